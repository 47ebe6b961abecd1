/*
 * pdf_text.c - the text of PDF pages in content-stream order, read with
 * the raw object reader (pdfobj.c). poppler-glib gives text only in its
 * physical-layout order, which splits columns read as a whole, rotated
 * lines and overlapping runs differently from the order the producer
 * wrote; this reads the order written.
 *
 * The page tree (/Root /Pages /Kids, with inherited /Resources) is walked
 * with an explicit stack; each page's /Contents (a stream or an array of
 * streams) is interpreted for its text operators only: BT/ET, Tf, Tc, Tw,
 * Tz, TL, Td, TD, Tm, T*, Tj, TJ, ' and ", q/Q/cm for the matrix, and Do
 * of Form XObjects (their /Matrix and /Resources). A line break is put
 * where the baseline moves by more than half the font size or turns; a
 * space where a run starts further on the same line than a quarter of the
 * font size past where the last one ended (a TJ adjustment below -250
 * thousandths of an em, a gap between positioned runs), measured after
 * the character and word spacing (Tc, Tw) so letter spacing is not read
 * as word gaps. A run that starts behind the end of the last one on the
 * same line is joined to it without a space (overlapping text). Glyph
 * widths come from /Widths (simple fonts) or /W and /DW (CID fonts);
 * without them a glyph is taken as half an em wide and a gap needs
 * more than half an em.
 *
 * Characters: a font's /ToUnicode CMap (codespace ranges, bfchar and
 * bfrange, the array form too; codes of 1 to 4 bytes), else for simple
 * fonts the /Encoding (WinAnsiEncoding, MacRomanEncoding,
 * StandardEncoding, /Differences with glyph names: the Latin-1 and a few
 * typographic names, uniXXXX, uXXXX[XX]). A code with no known character
 * is skipped, never emitted as raw bytes. Output is UTF-8.
 *
 * Trust: none in the bytes. Streams are decoded by pdf_stream (its
 * limits, charged to the message budget). Limits: PDF_MAX_PAGES pages;
 * PDF_TEXT_MAX_OPS operators and PDF_TEXT_MAX_BYTES text bytes a page;
 * forms nested at most PDF_TEXT_MAX_FORMS deep, each read once a page
 * (one that draws itself is "limit"); q nested PDF_TEXT_MAX_Q deep (deeper
 * saves are not kept); PDF_TEXT_MAX_FONTS fonts cached (the cache is
 * emptied when full) with at most PDF_TEXT_MAX_MAP mappings each; the
 * message deadline is checked per page and every 4096 operators. A limit
 * met on a page ends that page's text with why "limit"; nothing recurses
 * on the input except forms, which are bounded.
 *
 * Status: only DLP_ERR_NOMEM (or what fn returns) is returned.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "pdfobj.h"

#define PDF_TEXT_MAX_Q     32
#define PDF_TEXT_MAX_FONTS 256
#define PDF_TEXT_MAX_MAP   65536
#define PDF_TEXT_MAX_SPACE 8  /* codespace ranges kept a font */
#define PDF_TEXT_MAX_OPND  8  /* operands kept for an operator */
#define PDF_TEXT_MAX_SEEN  64 /* forms remembered a page */

/* ---- glyph names and base encodings ---- */

/* Latin-1 glyph names from 0xa0 (Adobe Glyph List); NULL: none kept. */
static const char *const latin1_names[96] = {NULL, "exclamdown", "cent",
    "sterling", "currency", "yen", "brokenbar", "section", "dieresis",
    "copyright", "ordfeminine", "guillemotleft", "logicalnot", NULL,
    "registered", "macron", "degree", "plusminus", "twosuperior",
    "threesuperior", "acute", "mu", "paragraph", "periodcentered", "cedilla",
    "onesuperior", "ordmasculine", "guillemotright", "onequarter", "onehalf",
    "threequarters", "questiondown", "Agrave", "Aacute", "Acircumflex",
    "Atilde", "Adieresis", "Aring", "AE", "Ccedilla", "Egrave", "Eacute",
    "Ecircumflex", "Edieresis", "Igrave", "Iacute", "Icircumflex", "Idieresis",
    "Eth", "Ntilde", "Ograve", "Oacute", "Ocircumflex", "Otilde", "Odieresis",
    "multiply", "Oslash", "Ugrave", "Uacute", "Ucircumflex", "Udieresis",
    "Yacute", "Thorn", "germandbls", "agrave", "aacute", "acircumflex",
    "atilde", "adieresis", "aring", "ae", "ccedilla", "egrave", "eacute",
    "ecircumflex", "edieresis", "igrave", "iacute", "icircumflex", "idieresis",
    "eth", "ntilde", "ograve", "oacute", "ocircumflex", "otilde", "odieresis",
    "divide", "oslash", "ugrave", "uacute", "ucircumflex", "udieresis",
    "yacute", "thorn", "ydieresis"};

/* ASCII punctuation names from 0x20; letters and digits are rules. */
static const char *const ascii_names[] = {"space", "exclam", "quotedbl",
    "numbersign", "dollar", "percent", "ampersand", "quotesingle", "parenleft",
    "parenright", "asterisk", "plus", "comma", "hyphen", "period", "slash"};
static const char *const ascii_names2[] = {
    "colon", "semicolon", "less", "equal", "greater", "question", "at"};
static const char *const ascii_names3[] = {"bracketleft", "backslash",
    "bracketright", "asciicircum", "underscore", "grave"};
static const char *const ascii_names4[] = {
    "braceleft", "bar", "braceright", "asciitilde"};
static const char *const digit_names[] = {"zero", "one", "two", "three", "four",
    "five", "six", "seven", "eight", "nine"};

static const struct {
	const char *name;
	uint32_t cp;
} other_names[] = {
    {"quoteleft", 0x2018},
    {"quoteright", 0x2019},
    {"quotedblleft", 0x201c},
    {"quotedblright", 0x201d},
    {"quotesinglbase", 0x201a},
    {"quotedblbase", 0x201e},
    {"guilsinglleft", 0x2039},
    {"guilsinglright", 0x203a},
    {"endash", 0x2013},
    {"emdash", 0x2014},
    {"bullet", 0x2022},
    {"ellipsis", 0x2026},
    {"dagger", 0x2020},
    {"daggerdbl", 0x2021},
    {"perthousand", 0x2030},
    {"trademark", 0x2122},
    {"Euro", 0x20ac},
    {"minus", 0x2212},
    {"fraction", 0x2044},
    {"florin", 0x0192},
    {"OE", 0x0152},
    {"oe", 0x0153},
    {"Scaron", 0x0160},
    {"scaron", 0x0161},
    {"Zcaron", 0x017d},
    {"zcaron", 0x017e},
    {"Ydieresis", 0x0178},
    {"Lslash", 0x0141},
    {"lslash", 0x0142},
    {"dotlessi", 0x0131},
    {"circumflex", 0x02c6},
    {"tilde", 0x02dc},
    {"fi", 0xfb01},
    {"fl", 0xfb02},
    {"ff", 0xfb00},
    {"ffi", 0xfb03},
    {"ffl", 0xfb04},
    {"nbspace", 0x00a0},
    {"nonbreakingspace", 0x00a0},
    {"sfthyphen", 0x00ad},
    {"mu1", 0x00b5},
};

static int
hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (c | 0x20) - 'a' + 10;
	return -1;
}

static bool
name_is(const uint8_t *n, size_t nl, const char *s)
{
	return strlen(s) == nl && memcmp(n, s, nl) == 0;
}

/* The character a glyph name stands for; 0 if not known. */
static uint32_t
glyph_cp(const uint8_t *n, size_t nl)
{
	uint32_t cp = 0;
	size_t i, k;
	int h;

	for (i = 0; i < nl && n[i] != '.'; i++) /* "a.sc": a */
		;
	nl = i;
	if (nl == 1 && (((n[0] | 0x20) >= 'a' && (n[0] | 0x20) <= 'z')))
		return n[0];
	if ((nl == 7 && memcmp(n, "uni", 3) == 0) ||
	    (nl >= 5 && nl <= 7 && n[0] == 'u' && n[1] != 'n')) {
		for (i = n[1] == 'n' ? 3 : 1; i < nl; i++) {
			if ((h = hexval(n[i])) < 0)
				return 0;
			cp = cp << 4 | (uint32_t)h;
		}
		return cp < 0x20 || (cp >= 0xd800 && cp < 0xe000) ||
		               cp > 0x10ffff
		           ? 0
		           : cp;
	}
	for (k = 0; k < DLP_NITEMS(ascii_names); k++)
		if (name_is(n, nl, ascii_names[k]))
			return 0x20 + (uint32_t)k;
	for (k = 0; k < DLP_NITEMS(digit_names); k++)
		if (name_is(n, nl, digit_names[k]))
			return '0' + (uint32_t)k;
	for (k = 0; k < DLP_NITEMS(ascii_names2); k++)
		if (name_is(n, nl, ascii_names2[k]))
			return 0x3a + (uint32_t)k;
	for (k = 0; k < DLP_NITEMS(ascii_names3); k++)
		if (name_is(n, nl, ascii_names3[k]))
			return 0x5b + (uint32_t)k;
	for (k = 0; k < DLP_NITEMS(ascii_names4); k++)
		if (name_is(n, nl, ascii_names4[k]))
			return 0x7b + (uint32_t)k;
	for (k = 0; k < DLP_NITEMS(latin1_names); k++)
		if (latin1_names[k] != NULL && name_is(n, nl, latin1_names[k]))
			return 0xa0 + (uint32_t)k;
	for (k = 0; k < DLP_NITEMS(other_names); k++)
		if (name_is(n, nl, other_names[k].name))
			return other_names[k].cp;
	return 0;
}

/* MacRomanEncoding from 0x80. */
static const uint16_t mac_roman[128] = {0xc4, 0xc5, 0xc7, 0xc9, 0xd1, 0xd6,
    0xdc, 0xe1, 0xe0, 0xe2, 0xe4, 0xe3, 0xe5, 0xe7, 0xe9, 0xe8, 0xea, 0xeb,
    0xed, 0xec, 0xee, 0xef, 0xf1, 0xf3, 0xf2, 0xf4, 0xf6, 0xf5, 0xfa, 0xf9,
    0xfb, 0xfc, 0x2020, 0xb0, 0xa2, 0xa3, 0xa7, 0x2022, 0xb6, 0xdf, 0xae, 0xa9,
    0x2122, 0xb4, 0xa8, 0x2260, 0xc6, 0xd8, 0x221e, 0xb1, 0x2264, 0x2265, 0xa5,
    0xb5, 0x2202, 0x2211, 0x220f, 0x3c0, 0x222b, 0xaa, 0xba, 0x3a9, 0xe6, 0xf8,
    0xbf, 0xa1, 0xac, 0x221a, 0x192, 0x2248, 0x2206, 0xab, 0xbb, 0x2026, 0xa0,
    0xc0, 0xc3, 0xd5, 0x152, 0x153, 0x2013, 0x2014, 0x201c, 0x201d, 0x2018,
    0x2019, 0xf7, 0x25ca, 0xff, 0x178, 0x2044, 0xa4, 0x2039, 0x203a, 0xfb01,
    0xfb02, 0x2021, 0xb7, 0x201a, 0x201e, 0x2030, 0xc2, 0xca, 0xc1, 0xcb, 0xc8,
    0xcd, 0xce, 0xcf, 0xcc, 0xd3, 0xd4, 0, 0xd2, 0xda, 0xdb, 0xd9, 0x131, 0x2c6,
    0x2dc, 0xaf, 0x2d8, 0x2d9, 0x2da, 0xb8, 0x2dd, 0x2db, 0x2c7};

/* StandardEncoding from 0xa0 (0: no glyph). */
static const uint16_t std_high[96] = {0, 0xa1, 0xa2, 0xa3, 0x2044, 0xa5, 0x192,
    0xa7, 0xa4, 0x27, 0x201c, 0xab, 0x2039, 0x203a, 0xfb01, 0xfb02, 0, 0x2013,
    0x2020, 0x2021, 0xb7, 0, 0xb6, 0x2022, 0x201a, 0x201e, 0x201d, 0xbb, 0x2026,
    0x2030, 0, 0xbf, 0, 0x60, 0xb4, 0x2c6, 0x2dc, 0xaf, 0x2d8, 0x2d9, 0xa8, 0,
    0x2da, 0xb8, 0, 0x2dd, 0x2db, 0x2c7, 0x2014, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0xc6, 0, 0xaa, 0, 0, 0, 0, 0x141, 0xd8, 0x152, 0xba, 0, 0,
    0, 0, 0, 0xe6, 0, 0, 0, 0x131, 0, 0, 0x142, 0xf8, 0x153, 0xdf, 0, 0, 0, 0};

enum base_enc { ENC_STANDARD, ENC_WINANSI, ENC_MACROMAN };

static uint32_t
base_cp(enum base_enc e, unsigned c)
{
	if (c < 0x20 || c == 0x7f)
		return 0;
	if (c < 0x7f) {
		if (e == ENC_STANDARD && c == 0x27)
			return 0x2019;
		if (e == ENC_STANDARD && c == 0x60)
			return 0x2018;
		return c;
	}
	switch (e) {
	case ENC_WINANSI:
		if (c >= 0xa0)
			return c;
		return dlp_cp1252_c1[c - 0x80] >= 0xa0 ? dlp_cp1252_c1[c - 0x80]
		                                       : 0;
	case ENC_MACROMAN:
		return c >= 0x80 ? mac_roman[c - 0x80] : 0;
	default:
		return c >= 0xa0 ? std_high[c - 0xa0] : 0;
	}
}

/* ---- fonts ---- */

struct cmap_ent {
	uint32_t lo, hi;
	uint32_t off; /* UTF-16 units in font->u16 */
	uint16_t len;
	uint8_t nbytes;
};

struct wrange {
	uint32_t lo, hi;
	float w; /* thousandths of an em */
};

struct font {
	const uint8_t *key; /* the font dictionary's bytes */
	bool cid;           /* Type0: codes are 2 bytes unless told */
	bool have_widths;
	uint32_t uni[256]; /* simple fonts: code -> character */
	bool multi[256];   /* simple fonts: code maps to several (map) */
	float w[256];      /* simple fonts: widths, < 0 unknown */
	struct cmap_ent *map;
	size_t nmap, capmap;
	uint16_t *u16;
	size_t nu16, capu16;
	struct wrange *wr;
	size_t nwr, capwr;
	float dw;
	struct {
		uint32_t lo, hi;
		uint8_t n;
	} space[PDF_TEXT_MAX_SPACE];
	size_t nspace;
};

struct fcache {
	struct font *f[PDF_TEXT_MAX_FONTS];
	size_t n;
};

static bool
grow(const struct dlp_mem *mem, void **p, size_t *cap, size_t n, size_t sz)
{
	size_t nc, bytes;
	void *np;

	if (n < *cap)
		return true;
	nc = *cap == 0 ? 64 : *cap * 2;
	if (!dlp_mul_ok(nc, sz, &bytes) ||
	    (np = dlp_realloc(mem, *p, bytes)) == NULL)
		return false;
	*p = np;
	*cap = nc;
	return true;
}

static void
font_free(const struct dlp_mem *mem, struct font *f)
{
	if (f == NULL)
		return;
	dlp_free(mem, f->map);
	dlp_free(mem, f->u16);
	dlp_free(mem, f->wr);
	dlp_free(mem, f);
}

static double
num_of(const struct pdf_val *v)
{
	const uint8_t *p = v->p, *end = v->p + v->len;
	double n = 0, scale = 1;
	bool neg = false;

	if (v->type != PDF_NUM)
		return 0;
	if (p < end && (*p == '-' || *p == '+'))
		neg = *p++ == '-';
	for (; p < end && *p >= '0' && *p <= '9'; p++)
		n = n * 10 + (*p - '0');
	if (p < end && *p == '.')
		for (p++; p < end && *p >= '0' && *p <= '9'; p++)
			n += (*p - '0') * (scale /= 10);
	if (!isfinite(n) || n > 1e9)
		n = 1e9;
	return neg ? -n : n;
}

/* A hexadecimal or literal string's bytes as a big-endian code. */
static bool
code_of(
    const struct pdf_val *v, struct dlp_buf *tmp, uint32_t *code, uint8_t *n)
{
	size_t i;

	dlp_buf_reset(tmp);
	if (v->type != PDF_STRING || !pdf_string_bytes(v, tmp) ||
	    tmp->len == 0 || tmp->len > 4)
		return false;
	for (*code = 0, i = 0; i < tmp->len; i++)
		*code = *code << 8 | tmp->p[i];
	*n = (uint8_t)tmp->len;
	return true;
}

/* Add a mapping of lo..hi to the UTF-16 string dst (a string value). */
static bool
map_add(const struct dlp_mem *mem, struct font *f, uint32_t lo, uint32_t hi,
    uint8_t nbytes, const struct pdf_val *dst, struct dlp_buf *tmp)
{
	struct cmap_ent *e;
	size_t i, nu;

	dlp_buf_reset(tmp);
	if (f->nmap >= PDF_TEXT_MAX_MAP || dst->type != PDF_STRING)
		return true;
	if (!pdf_string_bytes(dst, tmp))
		return false;
	nu = tmp->len / 2;
	if (nu == 0 || nu > 16)
		return true;
	if (!grow(mem, (void **)&f->map, &f->capmap, f->nmap, sizeof(*e)) ||
	    !grow(mem, (void **)&f->u16, &f->capu16, f->nu16 + nu,
	        sizeof(*f->u16)))
		return false;
	e = &f->map[f->nmap++];
	e->lo = lo;
	e->hi = hi;
	e->nbytes = nbytes;
	e->off = (uint32_t)f->nu16;
	e->len = (uint16_t)nu;
	for (i = 0; i < nu; i++)
		f->u16[f->nu16++] =
		    (uint16_t)(tmp->p[2 * i] << 8 | tmp->p[2 * i + 1]);
	return true;
}

static int
map_cmp(const void *a, const void *b)
{
	const struct cmap_ent *x = a, *y = b;

	if (x->nbytes != y->nbytes)
		return x->nbytes < y->nbytes ? -1 : 1;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Parse a ToUnicode CMap: codespace ranges, bfchar, bfrange. */
static bool
parse_cmap(const struct dlp_mem *mem, struct font *f, const uint8_t *p,
    size_t len, struct dlp_buf *tmp)
{
	const uint8_t *end = len > 0 ? p + len : p;
	struct pdf_val v[3], a;
	struct pdf_iter it;
	enum { NONE, SPACE, CHAR, RANGE } sect = NONE;
	uint32_t lo, hi, c;
	uint8_t n1, n2;
	size_t nv = 0, want;

	while (p < end) {
		if (!pdf_lex(&p, end, &v[nv]))
			continue;
		if (v[nv].type == PDF_NONE) {
			if (v[nv].len >= 5 && memcmp(v[nv].p, "begin", 5) == 0)
				sect =
				    name_is(v[nv].p, v[nv].len,
				        "begincodespacerange")
				        ? SPACE
				    : name_is(v[nv].p, v[nv].len, "beginbfchar")
				        ? CHAR
				    : name_is(
				          v[nv].p, v[nv].len, "beginbfrange")
				        ? RANGE
				        : NONE;
			else if (v[nv].len >= 3 &&
			         memcmp(v[nv].p, "end", 3) == 0)
				sect = NONE;
			nv = 0;
			continue;
		}
		if (sect == NONE) {
			nv = 0;
			continue;
		}
		want = sect == CHAR || sect == SPACE ? 2 : 3;
		if (++nv < want)
			continue;
		nv = 0;
		if (!code_of(&v[0], tmp, &lo, &n1))
			continue;
		if (sect == CHAR) {
			if (!map_add(mem, f, lo, lo, n1, &v[1], tmp))
				return false;
			continue;
		}
		if (!code_of(&v[1], tmp, &hi, &n2) || n2 != n1 || hi < lo)
			continue;
		if (sect == SPACE) {
			if (f->nspace < PDF_TEXT_MAX_SPACE) {
				f->space[f->nspace].lo = lo;
				f->space[f->nspace].hi = hi;
				f->space[f->nspace++].n = n1;
			}
			continue;
		}
		if (v[2].type == PDF_ARRAY) {
			pdf_iter_init(&it, &v[2]);
			for (c = lo; c <= hi && pdf_iter_next(&it, &a); c++)
				if (!map_add(mem, f, c, c, n1, &a, tmp))
					return false;
			continue;
		}
		if (hi - lo > 0xffff)
			continue;
		if (!map_add(mem, f, lo, hi, n1, &v[2], tmp))
			return false;
	}
	if (f->nmap > 1)
		qsort(f->map, f->nmap, sizeof(*f->map), map_cmp);
	return true;
}

static int
wr_cmp(const void *a, const void *b)
{
	const struct wrange *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static bool
wr_add(const struct dlp_mem *mem, struct font *f, uint32_t lo, uint32_t hi,
    double w)
{
	if (f->nwr >= PDF_TEXT_MAX_MAP || hi < lo)
		return true;
	if (!grow(mem, (void **)&f->wr, &f->capwr, f->nwr, sizeof(*f->wr)))
		return false;
	f->wr[f->nwr].lo = lo;
	f->wr[f->nwr].hi = hi;
	f->wr[f->nwr++].w = (float)w;
	return true;
}

/* A CID font's /W array: "c [w1 w2 ...]" and "c1 c2 w". */
static bool
parse_w(const struct dlp_mem *mem, struct pdf_doc *d, struct font *f,
    const struct pdf_val *w)
{
	struct pdf_iter it, in;
	struct pdf_val v[2], x, r;
	size_t nv = 0;
	uint32_t c;

	pdf_iter_init(&it, w);
	while (pdf_iter_next(&it, &x)) {
		if (!pdf_resolve(d, &x, &r))
			return true;
		if (nv == 1 && r.type == PDF_ARRAY) {
			c = (uint32_t)(v[0].i < 0 ? 0 : v[0].i);
			pdf_iter_init(&in, &r);
			while (pdf_iter_next(&in, &x))
				if (pdf_resolve(d, &x, &r) &&
				    !wr_add(mem, f, c, c, num_of(&r)))
					return false;
				else
					c++;
			nv = 0;
			continue;
		}
		if (r.type != PDF_NUM)
			return true;
		if (nv < 2) {
			v[nv++] = r;
			continue;
		}
		if (v[0].i >= 0 && v[1].i >= v[0].i &&
		    !wr_add(
		        mem, f, (uint32_t)v[0].i, (uint32_t)v[1].i, num_of(&r)))
			return false;
		nv = 0;
	}
	if (f->nwr > 1)
		qsort(f->wr, f->nwr, sizeof(*f->wr), wr_cmp);
	return true;
}

static const struct cmap_ent *map_find(
    const struct font *f, uint32_t code, uint8_t n);

/* Read a font dictionary: its widths, encoding and ToUnicode map. */
static enum dlp_status
font_load(struct pdf_doc *d, const struct pdf_val *fd, struct font *f,
    struct dlp_buf *tmp, struct dlp_buf *sbuf)
{
	const struct dlp_mem *mem = d->x->mem;
	struct pdf_val v, e, x, r, desc;
	struct pdf_iter it;
	enum base_enc be = ENC_STANDARD;
	const char *why, *detail;
	enum dlp_status st;
	int64_t code, first;
	size_t k;

	memset(&e, 0, sizeof(e));
	memset(&v, 0, sizeof(v));
	for (k = 0; k < 256; k++)
		f->w[k] = -1;
	f->dw = 1000;
	f->cid = pdf_dict_get(d, fd, "Subtype", &v) && pdf_is_name(&v, "Type0");
	if (f->cid) {
		if (pdf_dict_get(d, fd, "DescendantFonts", &v) &&
		    v.type == PDF_ARRAY) {
			pdf_iter_init(&it, &v);
			if (pdf_iter_next(&it, &x) &&
			    pdf_resolve(d, &x, &desc) &&
			    desc.type == PDF_DICT) {
				if (pdf_dict_get(d, &desc, "DW", &r) &&
				    r.type == PDF_NUM)
					f->dw = (float)num_of(&r);
				if (pdf_dict_get(d, &desc, "W", &r) &&
				    r.type == PDF_ARRAY &&
				    !parse_w(mem, d, f, &r))
					return DLP_ERR_NOMEM;
				f->have_widths = true;
			}
		}
	} else {
		if (pdf_dict_get(d, fd, "Widths", &v) && v.type == PDF_ARRAY &&
		    pdf_dict_get(d, fd, "FirstChar", &x) && x.type == PDF_NUM &&
		    !(pdf_dict_get(d, fd, "Subtype", &r) &&
		        pdf_is_name(&r, "Type3"))) {
			first = x.i;
			pdf_iter_init(&it, &v);
			for (code = first; pdf_iter_next(&it, &x); code++)
				if (code >= 0 && code < 256 &&
				    pdf_resolve(d, &x, &r) && r.type == PDF_NUM)
					f->w[code] = (float)num_of(&r);
			f->have_widths = true;
		}
		if (pdf_dict_get(d, fd, "Encoding", &e)) {
			if (e.type != PDF_DICT)
				v = e;
			else if (!pdf_dict_get(d, &e, "BaseEncoding", &v))
				v.type = PDF_NONE;
			if (pdf_is_name(&v, "WinAnsiEncoding"))
				be = ENC_WINANSI;
			else if (pdf_is_name(&v, "MacRomanEncoding"))
				be = ENC_MACROMAN;
		}
		for (k = 0; k < 256; k++)
			f->uni[k] = base_cp(be, (unsigned)k);
		if (e.type == PDF_DICT &&
		    pdf_dict_get(d, &e, "Differences", &v) &&
		    v.type == PDF_ARRAY) {
			pdf_iter_init(&it, &v);
			for (code = 0; pdf_iter_next(&it, &x);) {
				if (x.type == PDF_NUM) {
					code = x.i;
				} else if (x.type == PDF_NAME) {
					if (code >= 0 && code < 256)
						f->uni[code] = glyph_cp(
						    x.p + 1, x.len - 1);
					code++;
				}
			}
		}
	}
	if (!pdf_dict_get(d, fd, "ToUnicode", &v) || v.type != PDF_DICT)
		return DLP_OK;
	if ((st = pdf_stream(d, &v, sbuf, &why, &detail)) != DLP_OK)
		return st;
	if (why == NULL && !parse_cmap(mem, f, sbuf->p, sbuf->len, tmp))
		return DLP_ERR_NOMEM;
	if (f->cid)
		return DLP_OK;
	/* a simple font's single characters are looked up once, here */
	for (k = 0; k < 256; k++) {
		const struct cmap_ent *m = map_find(f, (uint32_t)k, 1);

		/* "<0020> <0020>" in a simple font's CMap: the byte 0x20 */
		if (m == NULL)
			m = map_find(f, (uint32_t)k, 2);
		if (m == NULL)
			continue;
		if (m->len == 1 &&
		    (f->u16[m->off] < 0xd800 || f->u16[m->off] >= 0xe000))
			f->uni[k] = f->u16[m->off] + ((uint32_t)k - m->lo);
		else
			f->multi[k] = true;
	}
	return DLP_OK;
}

/* The cached font for dictionary fd (*out), read on first use. */
static enum dlp_status
font_get(struct pdf_doc *d, struct fcache *fc, const struct pdf_val *fd,
    struct dlp_buf *tmp, struct dlp_buf *sbuf, struct font **out)
{
	struct font *f;
	enum dlp_status st;
	size_t k;

	*out = NULL;
	if (fd->type != PDF_DICT)
		return DLP_OK;
	for (k = 0; k < fc->n; k++)
		if (fc->f[k]->key == fd->p) {
			*out = fc->f[k];
			return DLP_OK;
		}
	if (fc->n == PDF_TEXT_MAX_FONTS) {
		for (k = 0; k < fc->n; k++)
			font_free(d->x->mem, fc->f[k]);
		fc->n = 0;
	}
	if ((f = dlp_calloc(d->x->mem, 1, sizeof(*f))) == NULL)
		return DLP_ERR_NOMEM;
	f->key = fd->p;
	if ((st = font_load(d, fd, f, tmp, sbuf)) != DLP_OK) {
		font_free(d->x->mem, f);
		return st;
	}
	fc->f[fc->n++] = f;
	*out = f;
	return DLP_OK;
}

/* The ToUnicode entry for an n-byte code, or NULL. */
static const struct cmap_ent *
map_find(const struct font *f, uint32_t code, uint8_t n)
{
	size_t lo = 0, hi = f->nmap, mid;
	const struct cmap_ent *e;

	while (lo < hi) { /* first entry after (n, code) */
		mid = lo + (hi - lo) / 2;
		e = &f->map[mid];
		if (e->nbytes < n || (e->nbytes == n && e->lo <= code))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	e = &f->map[lo - 1];
	return e->nbytes == n && e->lo <= code && code <= e->hi ? e : NULL;
}

static double
font_width(const struct font *f, uint32_t code, bool *known)
{
	size_t lo = 0, hi, mid;

	*known = f->have_widths;
	if (!f->cid) {
		if (code < 256 && f->w[code] >= 0)
			return f->w[code];
		*known = false;
		return 500;
	}
	for (hi = f->nwr; lo < hi;) {
		mid = lo + (hi - lo) / 2;
		if (f->wr[mid].lo <= code)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > 0 && code <= f->wr[lo - 1].hi)
		return f->wr[lo - 1].w;
	return f->dw;
}

/* How many bytes the code at p takes (codespace ranges, else default). */
static size_t
code_len(const struct font *f, const uint8_t *p, size_t left)
{
	uint32_t c = 0;
	size_t n, k;

	/* a simple font's codes are single bytes, whatever its CMap says */
	if (!f->cid)
		return 1;
	if (f->nspace > 0) {
		for (n = 1; n <= 4 && n <= left; n++) {
			c = c << 8 | p[n - 1];
			for (k = 0; k < f->nspace; k++)
				if (f->space[k].n == n && f->space[k].lo <= c &&
				    c <= f->space[k].hi)
					return n;
		}
	}
	n = f->cid ? 2 : 1;
	return n <= left ? n : left;
}

/* ---- the interpreter ---- */

struct mat {
	double a, b, c, d, e, f;
};

static const struct mat identity = {1, 0, 0, 1, 0, 0};

/* m × n */
static struct mat
mat_mul(const struct mat *m, const struct mat *n)
{
	struct mat r;

	r.a = m->a * n->a + m->b * n->c;
	r.b = m->a * n->b + m->b * n->d;
	r.c = m->c * n->a + m->d * n->c;
	r.d = m->c * n->b + m->d * n->d;
	r.e = m->e * n->a + m->f * n->c + n->e;
	r.f = m->e * n->b + m->f * n->d + n->f;
	return r;
}

struct gstate {
	struct mat ctm;
	double tc, tw, th, tl, tfs;
	struct font *font;
};

struct form_seen {
	const uint8_t *key;
	bool active;
};

struct interp {
	struct pdf_doc *d;
	struct fcache *fc;
	struct dlp_buf *out, tmp, sbuf, str;
	struct gstate gs, stack[PDF_TEXT_MAX_Q];
	size_t sp, lost; /* saves kept; saves beyond the stack */
	struct mat tm, tlm;
	size_t ops;
	unsigned forms;
	struct form_seen seen[PDF_TEXT_MAX_SEEN];
	size_t nseen;
	/* where the last run ended, in device space */
	bool have_last, last_known;
	double lx, ly, ldx, ldy, lfs;
	double kern; /* TJ adjustment since the last string, in em */
	bool in_tj;
	const char *why, *detail;
	bool stop; /* a limit: the rest of the page is not read */
};

/* Note the first problem of the page; a limit ends the page's text. */
static void
set_limit(struct interp *in, const char *why, const char *detail)
{
	if (in->why == NULL) {
		in->why = why;
		in->detail = detail;
	}
	if (strcmp(why, "limit") == 0)
		in->stop = true;
}

static bool
out_byte_ok(struct interp *in, size_t n)
{
	if (in->out->len + n > PDF_TEXT_MAX_BYTES) {
		set_limit(in, "limit", "PDF page text bytes");
		return false;
	}
	return true;
}

static bool
out_sep(struct interp *in, char c)
{
	uint8_t last;

	if (in->out->len == 0)
		return true;
	last = in->out->p[in->out->len - 1];
	if (last == '\n' || (c == ' ' && last == ' '))
		return true;
	if (!out_byte_ok(in, 1))
		return true;
	if (c == '\n' && last == ' ')
		in->out->p[in->out->len - 1] = '\n';
	else
		return dlp_buf_putc(in->out, c);
	return true;
}

/* The text rendering matrix's origin, direction and size, device space. */
static void
trm_pos(const struct interp *in, double *x, double *y, double *dx, double *dy,
    double *fs)
{
	struct mat m = mat_mul(&in->tm, &in->gs.ctm);
	double l;

	*x = m.e;
	*y = m.f;
	l = hypot(m.a, m.b);
	*dx = l > 1e-9 ? m.a / l : 1;
	*dy = l > 1e-9 ? m.b / l : 0;
	*fs = fabs(in->gs.tfs) * hypot(m.c, m.d);
}

/* Before a run: a line break or a space, from where the last one ended. */
static bool
run_start(struct interp *in)
{
	double x, y, dx, dy, fs, vx, vy, perp, along, gap;

	trm_pos(in, &x, &y, &dx, &dy, &fs);
	if (!in->have_last)
		return true;
	if (in->in_tj) {
		if (in->kern > 0.25)
			return out_sep(in, ' ');
		return true;
	}
	vx = x - in->lx;
	vy = y - in->ly;
	perp = fabs(vx * in->ldy - vy * in->ldx);
	along = vx * in->ldx + vy * in->ldy;
	if (dx * in->ldx + dy * in->ldy < 0.9 || perp > 0.5 * in->lfs)
		return out_sep(in, '\n');
	gap = in->last_known ? 0.25 : 0.5;
	if (along > gap * in->lfs)
		return out_sep(in, ' ');
	return true;
}

static bool
put_cp(struct interp *in, uint32_t cp)
{
	struct dlp_buf *b = in->out;

	if (cp >= 0x20 && cp < 0x7f && b->len + 2 <= b->cap &&
	    b->len < PDF_TEXT_MAX_BYTES) { /* the common case, inline */
		b->p[b->len++] = (uint8_t)cp;
		b->p[b->len] = '\0';
		return true;
	}
	if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r')
		return true;
	if (cp == '\t' || cp == '\r' || cp == '\n')
		cp = ' ';
	if ((cp >= 0xd800 && cp < 0xe000) || cp > 0x10ffff || cp == 0xfffd)
		return true;
	if (!out_byte_ok(in, cp < 0x80      ? 1
	                     : cp < 0x800   ? 2
	                     : cp < 0x10000 ? 3
	                                    : 4))
		return true;
	return dlp_buf_put_utf8(in->out, cp);
}

/* The characters of a ToUnicode entry for code. */
static bool
put_mapped(struct interp *in, const struct font *f, const struct cmap_ent *e,
    uint32_t code)
{
	uint32_t cp, lo;
	size_t k;

	for (k = 0; k < e->len; k++) {
		cp = f->u16[e->off + k];
		if (k + 1 == e->len && e->hi > e->lo)
			cp += code - e->lo;
		if (cp >= 0xd800 && cp < 0xdc00 && k + 1 < e->len) {
			lo = f->u16[e->off + k + 1];
			if (lo >= 0xdc00 && lo < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				     (lo - 0xdc00);
				k++;
			}
		}
		if (!put_cp(in, cp))
			return false;
	}
	return true;
}

/*
 * The characters of a string in a simple font (one byte a code); *adv
 * gets its advance in text space units before scaling.
 */
static bool
show_simple(struct interp *in, const struct font *f, const uint8_t *p, size_t n,
    double *adv, bool *known)
{
	const struct cmap_ent *e;
	double w = 0, tc = in->gs.tc, tw = in->gs.tw;
	size_t i, nsp = 0;
	uint8_t c;

	*known = true;
	for (i = 0; i < n; i++) {
		c = p[i];
		if (!f->multi[c]) {
			if (f->uni[c] != 0 && !put_cp(in, f->uni[c]))
				return false;
		} else if ((e = map_find(f, c, 1)) != NULL ||
		           (e = map_find(f, c, 2)) != NULL) {
			if (!put_mapped(in, f, e, c))
				return false;
		}
		if (f->w[c] >= 0) {
			w += f->w[c];
		} else {
			w += 500;
			*known = false;
		}
		nsp += c == 32;
	}
	*adv = w / 1000 * in->gs.tfs + tc * (double)n + tw * (double)nsp;
	return true;
}

/* Show a string: its characters, and the text matrix moved past it. */
static bool
show(struct interp *in, const struct pdf_val *s)
{
	const struct font *f = in->gs.font;
	const struct cmap_ent *e;
	const uint8_t *p;
	double adv = 0, x, y, dx, dy, fs;
	uint32_t code;
	size_t n, i, k;
	bool known = false;

	dlp_buf_reset(&in->str);
	if (!pdf_string_bytes(s, &in->str))
		return false;
	if (f == NULL || in->str.len == 0)
		return true;
	if (!run_start(in))
		return false;
	if (in->out->len + in->str.len < PDF_TEXT_MAX_BYTES &&
	    !dlp_buf_reserve(in->out, in->str.len + 1))
		return false;
	p = in->str.p;
	if (!f->cid) {
		if (!show_simple(in, f, p, in->str.len, &adv, &known))
			return false;
	} else {
		for (i = 0; i < in->str.len; i += n) {
			n = code_len(f, p + i, in->str.len - i);
			for (code = 0, k = 0; k < n; k++)
				code = code << 8 | p[i + k];
			if ((e = map_find(f, code, (uint8_t)n)) != NULL &&
			    !put_mapped(in, f, e, code))
				return false;
			adv += font_width(f, code, &known) / 1000 * in->gs.tfs +
			       in->gs.tc +
			       (n == 1 && code == 32 ? in->gs.tw : 0);
		}
	}
	adv *= in->gs.th;
	in->tm.e += adv * in->tm.a;
	in->tm.f += adv * in->tm.b;
	trm_pos(in, &x, &y, &dx, &dy, &fs);
	in->have_last = true;
	in->last_known = known;
	in->lx = x;
	in->ly = y;
	in->ldx = dx;
	in->ldy = dy;
	in->lfs = fs > 1e-6 ? fs : 1e-6;
	in->kern = 0;
	return true;
}

static void
td(struct interp *in, double tx, double ty)
{
	struct mat t = {1, 0, 0, 1, tx, ty};

	in->tlm = mat_mul(&t, &in->tlm);
	in->tm = in->tlm;
}

static enum dlp_status run(
    struct interp *in, const uint8_t *p, size_t len, const struct pdf_val *res);

/* Do: a Form XObject's content, with its matrix and resources. */
static enum dlp_status
do_form(struct interp *in, const struct pdf_val *res)
{
	struct pdf_doc *d = in->d;
	struct pdf_val xo, x, v, r, fres;
	struct pdf_iter it;
	struct dlp_buf data;
	struct gstate save;
	struct mat m = identity, save_tm, save_tlm;
	double a[6];
	const char *why, *detail;
	enum dlp_status st;
	size_t k, slot;
	int i;

	if (!pdf_dict_get(d, res, "XObject", &xo) ||
	    !pdf_dict_get(d, &xo, (const char *)in->tmp.p, &x) ||
	    x.type != PDF_DICT || !pdf_dict_get(d, &x, "Subtype", &v) ||
	    !pdf_is_name(&v, "Form"))
		return DLP_OK;
	for (k = 0; k < in->nseen; k++)
		if (in->seen[k].key == x.p) {
			if (in->seen[k].active)
				set_limit(in, "limit", "PDF form recursion");
			return DLP_OK;
		}
	if (in->forms >= PDF_TEXT_MAX_FORMS) {
		set_limit(in, "limit", "PDF form nesting");
		return DLP_OK;
	}
	if (in->nseen == PDF_TEXT_MAX_SEEN) {
		set_limit(in, "limit", "PDF forms per page");
		return DLP_OK;
	}
	slot = in->nseen++;
	in->seen[slot].key = x.p;
	in->seen[slot].active = true;
	if (pdf_dict_get(d, &x, "Matrix", &v) && v.type == PDF_ARRAY) {
		pdf_iter_init(&it, &v);
		for (i = 0; i < 6 && pdf_iter_next(&it, &r); i++)
			a[i] = pdf_resolve(d, &r, &r) ? num_of(&r) : 0;
		if (i == 6)
			m = (struct mat){a[0], a[1], a[2], a[3], a[4], a[5]};
	}
	if (!pdf_dict_get(d, &x, "Resources", &fres) || fres.type != PDF_DICT)
		fres = *res;
	dlp_buf_init(&data, d->x->mem);
	if ((st = pdf_stream(d, &x, &data, &why, &detail)) != DLP_OK)
		goto out;
	if (why != NULL) {
		set_limit(in, why, detail);
		goto out;
	}
	save = in->gs;
	save_tm = in->tm;
	save_tlm = in->tlm;
	in->gs.ctm = mat_mul(&m, &in->gs.ctm);
	in->forms++;
	st = run(in, data.p, data.len, &fres);
	in->forms--;
	in->gs = save;
	in->tm = save_tm;
	in->tlm = save_tlm;
out:
	in->seen[slot].active = false;
	dlp_buf_fini(&data);
	return st;
}

/* The operator op with its operands v[0..nv). */
static enum dlp_status
op(struct interp *in, const uint8_t *o, size_t ol, struct pdf_val *v, size_t nv,
    const struct pdf_val *res)
{
	struct pdf_doc *d = in->d;
	struct pdf_val fonts, fd, x;
	struct pdf_iter it;
	struct mat m;
	enum dlp_status st;

#define OP(s)  (ol == sizeof(s) - 1 && memcmp(o, s, sizeof(s) - 1) == 0)
#define NUM(k) (nv > (k) ? num_of(&v[nv - 1 - (k)]) : 0)
	if (OP("BT")) {
		in->tm = in->tlm = identity;
	} else if (OP("Tf") && nv >= 2 && v[nv - 2].type == PDF_NAME) {
		in->gs.tfs = NUM(0);
		in->gs.font = NULL;
		dlp_buf_reset(&in->tmp);
		if (!dlp_buf_append(
		        &in->tmp, v[nv - 2].p + 1, v[nv - 2].len - 1) ||
		    !dlp_buf_putc(&in->tmp, '\0'))
			return DLP_ERR_NOMEM;
		if (pdf_dict_get(d, res, "Font", &fonts) &&
		    pdf_dict_get(d, &fonts, (const char *)in->tmp.p, &fd) &&
		    (st = font_get(d, in->fc, &fd, &in->tmp, &in->sbuf,
		         &in->gs.font)) != DLP_OK)
			return st;
	} else if (OP("Tc")) {
		in->gs.tc = NUM(0);
	} else if (OP("Tw")) {
		in->gs.tw = NUM(0);
	} else if (OP("Tz")) {
		in->gs.th = NUM(0) / 100;
	} else if (OP("TL")) {
		in->gs.tl = NUM(0);
	} else if (OP("Td")) {
		td(in, NUM(1), NUM(0));
	} else if (OP("TD")) {
		in->gs.tl = -NUM(0);
		td(in, NUM(1), NUM(0));
	} else if (OP("Tm") && nv >= 6) {
		m = (struct mat){
		    NUM(5), NUM(4), NUM(3), NUM(2), NUM(1), NUM(0)};
		in->tm = in->tlm = m;
	} else if (OP("T*")) {
		td(in, 0, -in->gs.tl);
	} else if (OP("Tj") && nv >= 1) {
		return show(in, &v[nv - 1]) ? DLP_OK : DLP_ERR_NOMEM;
	} else if (OP("'") && nv >= 1) {
		td(in, 0, -in->gs.tl);
		return show(in, &v[nv - 1]) ? DLP_OK : DLP_ERR_NOMEM;
	} else if (OP("\"") && nv >= 3) {
		in->gs.tw = NUM(2);
		in->gs.tc = NUM(1);
		td(in, 0, -in->gs.tl);
		return show(in, &v[nv - 1]) ? DLP_OK : DLP_ERR_NOMEM;
	} else if (OP("TJ") && nv >= 1 && v[nv - 1].type == PDF_ARRAY) {
		pdf_iter_init(&it, &v[nv - 1]);
		in->kern = 0;
		in->in_tj = false;
		while (pdf_iter_next(&it, &x)) {
			if (x.type == PDF_STRING) {
				if (!show(in, &x))
					return DLP_ERR_NOMEM;
				in->in_tj = in->have_last;
			} else if (x.type == PDF_NUM) {
				double k = num_of(&x) / 1000;
				double tx = -k * in->gs.tfs * in->gs.th;

				in->kern -= k;
				in->tm.e += tx * in->tm.a;
				in->tm.f += tx * in->tm.b;
			}
		}
		in->in_tj = false;
		/* a gap after the last string counts for the next run */
		if (in->kern > 0.25 && in->have_last && !out_sep(in, ' '))
			return DLP_ERR_NOMEM;
		in->kern = 0;
	} else if (OP("q")) {
		if (in->sp < PDF_TEXT_MAX_Q)
			in->stack[in->sp++] = in->gs;
		else
			in->lost++;
	} else if (OP("Q")) {
		if (in->lost > 0)
			in->lost--;
		else if (in->sp > 0)
			in->gs = in->stack[--in->sp];
	} else if (OP("cm") && nv >= 6) {
		m = (struct mat){
		    NUM(5), NUM(4), NUM(3), NUM(2), NUM(1), NUM(0)};
		in->gs.ctm = mat_mul(&m, &in->gs.ctm);
	} else if (OP("Do") && nv >= 1 && v[nv - 1].type == PDF_NAME) {
		dlp_buf_reset(&in->tmp);
		if (!dlp_buf_append(
		        &in->tmp, v[nv - 1].p + 1, v[nv - 1].len - 1) ||
		    !dlp_buf_putc(&in->tmp, '\0'))
			return DLP_ERR_NOMEM;
		return do_form(in, res);
	}
#undef OP
#undef NUM
	return DLP_OK;
}

/* Past inline image data: to "EI" between white space, or the end. */
static const uint8_t *
skip_inline_image(const uint8_t *p, const uint8_t *end)
{
	const uint8_t *q;

	for (q = p; q + 1 < end; q++) {
		q = memchr(q, 'E', (size_t)(end - q));
		if (q == NULL || q + 1 >= end)
			break;
		if (q[1] == 'I' && q > p && strchr(" \t\r\n", q[-1]) != NULL &&
		    (q + 2 == end || strchr(" \t\r\n/", q[2]) != NULL))
			return q + 2;
	}
	return end;
}

/* Interpret a content stream with resources res. */
static enum dlp_status
run(struct interp *in, const uint8_t *p, size_t len, const struct pdf_val *res)
{
	struct dlp_budget *bud = in->d->x->sink->budget;
	const uint8_t *end;
	struct pdf_val v[PDF_TEXT_MAX_OPND], t;
	enum dlp_status st;
	size_t nv = 0;

	if (len == 0) /* p may be NULL: an empty buffer */
		return DLP_OK;
	end = p + len;

	while (p < end && !in->stop) {
		if (!pdf_lex(&p, end, &t))
			continue;
		if (t.type != PDF_NONE) {
			if (nv == PDF_TEXT_MAX_OPND) {
				memmove(v, v + 1, sizeof(v[0]) * (nv - 1));
				nv--;
			}
			v[nv++] = t;
			continue;
		}
		if (++in->ops > PDF_TEXT_MAX_OPS) {
			set_limit(in, "limit", "PDF operators per page");
			break;
		}
		if (in->ops % 4096 == 0 && bud != NULL &&
		    dlp_budget_expired(bud)) {
			set_limit(in, "limit", "scan time");
			break;
		}
		if (t.len == 2 && memcmp(t.p, "ID", 2) == 0) {
			p = skip_inline_image(p, end);
		} else if ((st = op(in, t.p, t.len, v, nv, res)) != DLP_OK) {
			return st;
		}
		nv = 0;
	}
	return DLP_OK;
}

/* ---- pages ---- */

/* The catalog: the latest "/Root N G R" whose object has /Pages. */
static bool
find_pages(struct pdf_doc *d, struct pdf_val *pages)
{
	const uint8_t *p = d->data, *end = d->data + d->len, *q;
	struct pdf_val r, root, pg;
	bool found = false;

	while (p < end && (q = memchr(p, '/', (size_t)(end - p))) != NULL) {
		p = q + 1;
		if ((size_t)(end - p) < 4 || memcmp(p, "Root", 4) != 0)
			continue;
		p += 4;
		if (pdf_value_at(d, (size_t)(p - d->data), &r) &&
		    r.type == PDF_REF && pdf_resolve(d, &r, &root) &&
		    pdf_dict_get(d, &root, "Pages", &pg) &&
		    pg.type == PDF_DICT) {
			*pages = pg;
			found = true;
		}
	}
	return found;
}

/* The page's content streams, decoded, one after another. */
static enum dlp_status
page_contents(struct pdf_doc *d, const struct pdf_val *page,
    struct dlp_buf *all, struct dlp_buf *one, const char **why,
    const char **detail)
{
	struct pdf_val c, x, s;
	struct pdf_iter it;
	enum dlp_status st;

	*why = NULL;
	dlp_buf_reset(all);
	if (!pdf_dict_get(d, page, "Contents", &c))
		return DLP_OK;
	if (c.type == PDF_DICT)
		return pdf_stream(d, &c, all, why, detail);
	if (c.type != PDF_ARRAY)
		return DLP_OK;
	pdf_iter_init(&it, &c);
	while (pdf_iter_next(&it, &x)) {
		if (!pdf_resolve(d, &x, &s) || s.type != PDF_DICT)
			continue;
		if ((st = pdf_stream(d, &s, one, why, detail)) != DLP_OK)
			return st;
		if (*why != NULL)
			return DLP_OK;
		if (!dlp_buf_append(all, one->p, one->len) ||
		    !dlp_buf_putc(all, '\n'))
			return DLP_ERR_NOMEM;
	}
	return DLP_OK;
}

enum dlp_status
pdf_page_text(struct pdf_doc *d, pdf_want_fn want, pdf_text_fn fn, void *ctx,
    const char **why, const char **detail)
{
	struct dlp_budget *bud = d->x->sink->budget;
	struct {
		struct pdf_iter it;
		struct pdf_val res;
	} stack[PDF_MAX_DEPTH];
	struct pdf_val pages, kid, node, v, res;
	struct dlp_buf out, data, one;
	struct fcache fc;
	struct interp *in = NULL;
	const char *cwhy, *cdetail;
	enum dlp_status st = DLP_OK;
	size_t sp = 0, npage = 0, nodes = 0, k;

	*why = *detail = NULL;
	memset(&fc, 0, sizeof(fc));
	dlp_buf_init(&out, d->x->mem);
	dlp_buf_init(&data, d->x->mem);
	dlp_buf_init(&one, d->x->mem);
	if (!find_pages(d, &pages))
		goto out;
	if ((in = dlp_calloc(d->x->mem, 1, sizeof(*in))) == NULL) {
		st = DLP_ERR_NOMEM;
		goto out;
	}
	in->d = d;
	in->fc = &fc;
	in->out = &out;
	dlp_buf_init(&in->tmp, d->x->mem);
	dlp_buf_init(&in->sbuf, d->x->mem);
	dlp_buf_init(&in->str, d->x->mem);
	memset(&res, 0, sizeof(res));
	node = pages;
	for (;;) {
		/* a Kids cycle can only make the tree wide: count nodes */
		if (++nodes > 4 * PDF_MAX_PAGES) {
			*why = "limit";
			*detail = "PDF page tree nodes";
			break;
		}
		if (node.type == PDF_DICT) {
			if (!pdf_dict_get(d, &node, "Resources", &v) ||
			    v.type != PDF_DICT)
				v = sp > 0 ? stack[sp - 1].res : res;
			if (pdf_dict_get(d, &node, "Kids", &kid) &&
			    kid.type == PDF_ARRAY) {
				if (sp == PDF_MAX_DEPTH) {
					*why = "limit";
					*detail = "PDF page tree depth";
					break;
				}
				pdf_iter_init(&stack[sp].it, &kid);
				stack[sp++].res = v;
			} else {
				/* a page */
				if (npage >= PDF_MAX_PAGES) {
					*why = "limit";
					*detail = "pages after 2000";
					break;
				}
				if (bud != NULL && dlp_budget_expired(bud)) {
					*why = "limit";
					*detail = "scan time";
					break;
				}
				if (want == NULL || want(ctx, npage)) {
					st = page_contents(d, &node, &data,
					    &one, &cwhy, &cdetail);
					if (st != DLP_OK)
						break;
					dlp_buf_reset(&out);
					in->gs.ctm = identity;
					in->gs.th = 1;
					in->gs.tc = in->gs.tw = in->gs.tl = 0;
					in->gs.tfs = 0;
					in->gs.font = NULL;
					in->tm = in->tlm = identity;
					in->sp = in->lost = in->ops = 0;
					in->nseen = 0;
					in->forms = 0;
					in->have_last = in->in_tj = false;
					in->kern = 0;
					in->why = cwhy;
					in->detail = cdetail;
					in->stop = false;
					if (cwhy == NULL &&
					    (st = run(in, data.p, data.len,
					         &v)) != DLP_OK)
						break;
					if ((st = fn(ctx, npage, out.p, out.len,
					         in->why, in->detail)) !=
					    DLP_OK)
						break;
				}
				npage++;
			}
		}
		while (sp > 0 && !pdf_iter_next(&stack[sp - 1].it, &kid))
			sp--;
		if (sp == 0)
			break;
		if (!pdf_resolve(d, &kid, &node))
			node.type = PDF_NONE;
	}
out:
	for (k = 0; k < fc.n; k++)
		font_free(d->x->mem, fc.f[k]);
	if (in != NULL) {
		dlp_buf_fini(&in->tmp);
		dlp_buf_fini(&in->sbuf);
		dlp_buf_fini(&in->str);
		dlp_free(d->x->mem, in);
	}
	dlp_buf_fini(&out);
	dlp_buf_fini(&data);
	dlp_buf_fini(&one);
	return st;
}
