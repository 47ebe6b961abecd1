/*
 * charset.c - text in a declared charset to UTF-8.
 *
 * Fast paths of our own for US-ASCII, UTF-8 (validated, invalid bytes
 * become U+FFFD), ISO-8859-1, Windows-1252 and UTF-16LE/BE (with and
 * without BOM, surrogate pairs); everything else goes through iconv with
 * a small per-converter cache of descriptors (8 entries, least recently
 * used evicted), since iconv_open is costly.
 *
 * Trusts nothing in the input or the charset name: names are matched
 * case-insensitively against an alias table, and only names made of
 * [A-Za-z0-9._:+()-] of at most 40 characters reach iconv_open (so no
 * "//TRANSLIT" suffix can be smuggled in). An unknown name decodes as
 * ISO-8859-1 and sets DLP_CS_UNKNOWN. iconv's //IGNORE is not used:
 * on EILSEQ we emit U+FFFD and skip one byte, on EINVAL (input ends
 * mid-character) we emit U+FFFD; descriptors are reset before every
 * call so stateful encodings (ISO-2022-JP) start in the initial state.
 *
 * Labels of ISO-8859-1 (latin1, iso-8859-1 ...) decode as Windows-1252,
 * as WHATWG and mail clients do: 0x96 labelled Latin-1 is shown as an
 * en dash, and the normaliser must see the dash.
 *
 * Limits: conversion never fails on content; false means memory ran out.
 */
#include <errno.h>
#include <iconv.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "charset.h"

#define CS_CACHE   8
#define CS_NAMEMAX 40

struct cs_slot {
	char name[CS_NAMEMAX + 1]; /* canonical iconv name; "" = free */
	iconv_t cd;
	bool bad; /* iconv_open failed for this name */
	uint64_t used;
};

struct dlp_charset {
	const struct dlp_mem *mem;
	struct cs_slot slot[CS_CACHE];
	uint64_t tick;
};

enum cs_kind {
	CS_DETECT,
	CS_ASCII,
	CS_UTF8,
	CS_LATIN1,
	CS_CP1252,
	CS_UTF16,
	CS_UTF16LE,
	CS_UTF16BE,
	CS_ICONV,
};

struct cs_alias {
	const char *name;  /* lower case */
	enum cs_kind kind; /* how to convert */
	const char *iconv; /* iconv name for CS_ICONV, NULL = name itself */
};

/* Sorted by name for bsearch-free linear lookup (the table is small). */
static const struct cs_alias cs_aliases[] = {
    {"646", CS_ASCII, NULL},
    {"ansi_x3.4-1968", CS_ASCII, NULL},
    {"ascii", CS_ASCII, NULL},
    {"us-ascii", CS_ASCII, NULL},
    {"us", CS_ASCII, NULL},
    {"iso646-us", CS_ASCII, NULL},
    {"cp367", CS_ASCII, NULL},
    {"utf-8", CS_UTF8, NULL},
    {"utf8", CS_UTF8, NULL},
    {"unicode-1-1-utf-8", CS_UTF8, NULL},
    {"x-unicode20utf8", CS_UTF8, NULL},
    {"iso-8859-1", CS_CP1252, NULL},
    {"iso8859-1", CS_CP1252, NULL},
    {"iso_8859-1", CS_CP1252, NULL},
    {"iso_8859-1:1987", CS_CP1252, NULL},
    {"iso-ir-100", CS_CP1252, NULL},
    {"8859-1", CS_CP1252, NULL},
    {"latin1", CS_CP1252, NULL},
    {"latin-1", CS_CP1252, NULL},
    {"l1", CS_CP1252, NULL},
    {"cp819", CS_CP1252, NULL},
    {"ibm819", CS_CP1252, NULL},
    {"csisolatin1", CS_CP1252, NULL},
    {"windows-1252", CS_CP1252, NULL},
    {"cp1252", CS_CP1252, NULL},
    {"x-cp1252", CS_CP1252, NULL},
    {"ms-ansi", CS_CP1252, NULL},
    {"utf-16", CS_UTF16, NULL},
    {"utf16", CS_UTF16, NULL},
    {"ucs-2", CS_UTF16, NULL},
    {"unicode", CS_UTF16, NULL},
    {"utf-16le", CS_UTF16LE, NULL},
    {"utf16le", CS_UTF16LE, NULL},
    {"ucs-2le", CS_UTF16LE, NULL},
    {"unicodefffe", CS_UTF16BE, NULL},
    {"utf-16be", CS_UTF16BE, NULL},
    {"utf16be", CS_UTF16BE, NULL},
    {"ucs-2be", CS_UTF16BE, NULL},
    {"shift_jis", CS_ICONV, "CP932"},
    {"shift-jis", CS_ICONV, "CP932"},
    {"x-sjis", CS_ICONV, "CP932"},
    {"sjis", CS_ICONV, "CP932"},
    {"ms_kanji", CS_ICONV, "CP932"},
    {"csshiftjis", CS_ICONV, "CP932"},
    {"windows-31j", CS_ICONV, "CP932"},
    {"cp932", CS_ICONV, "CP932"},
    {"ks_c_5601-1987", CS_ICONV, "CP949"},
    {"ks_c_5601", CS_ICONV, "CP949"},
    {"ks_c_5601-1989", CS_ICONV, "CP949"},
    {"ksc5601", CS_ICONV, "CP949"},
    {"ksc_5601", CS_ICONV, "CP949"},
    {"euc-kr", CS_ICONV, "CP949"},
    {"korean", CS_ICONV, "CP949"},
    {"windows-949", CS_ICONV, "CP949"},
    {"cp949", CS_ICONV, "CP949"},
    {"gb2312", CS_ICONV, "GB18030"},
    {"gb_2312-80", CS_ICONV, "GB18030"},
    {"gbk", CS_ICONV, "GB18030"},
    {"x-gbk", CS_ICONV, "GB18030"},
    {"cp936", CS_ICONV, "GB18030"},
    {"euc-cn", CS_ICONV, "GB18030"},
    {"csgb2312", CS_ICONV, "GB18030"},
    {"chinese", CS_ICONV, "GB18030"},
    {"gb18030", CS_ICONV, "GB18030"},
    {"big5", CS_ICONV, "BIG5-HKSCS"},
    {"big-5", CS_ICONV, "BIG5-HKSCS"},
    {"cn-big5", CS_ICONV, "BIG5-HKSCS"},
    {"x-x-big5", CS_ICONV, "BIG5-HKSCS"},
    {"csbig5", CS_ICONV, "BIG5-HKSCS"},
    {"big5-hkscs", CS_ICONV, "BIG5-HKSCS"},
    {"cp950", CS_ICONV, "CP950"},
    {"x-mac-roman", CS_ICONV, "MACINTOSH"},
    {"macintosh", CS_ICONV, "MACINTOSH"},
    {"mac", CS_ICONV, "MACINTOSH"},
    {"csmacintosh", CS_ICONV, "MACINTOSH"},
    {"x-mac-cyrillic", CS_ICONV, "MAC-CYRILLIC"},
    {"windows-874", CS_ICONV, "CP874"},
    {"tis-620", CS_ICONV, "CP874"},
    {"iso-8859-8-i", CS_ICONV, "ISO-8859-8"},
    {"x-euc-jp", CS_ICONV, "EUC-JP"},
    {"csiso2022jp", CS_ICONV, "ISO-2022-JP"},
    {"iso-2022-jp", CS_ICONV, "ISO-2022-JP-2"},
    {"koi8r", CS_ICONV, "KOI8-R"},
    {"koi", CS_ICONV, "KOI8-R"},
    {"cskoi8r", CS_ICONV, "KOI8-R"},
};

/*
 * Windows-1252 0x80-0x9F. The five holes (0x81 0x8D 0x8F 0x90 0x9D) map
 * to the C1 control of the same value, as WHATWG does.
 */
const uint16_t dlp_cp1252_c1[32] = {0x20ac, 0x0081, 0x201a, 0x0192, 0x201e,
    0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d,
    0x017d, 0x008f, 0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013,
    0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178};

enum dlp_status
dlp_charset_new(const struct dlp_mem *mem, struct dlp_charset **out)
{
	struct dlp_charset *cs;
	size_t i;

	*out = NULL;
	if ((cs = dlp_calloc(mem, 1, sizeof(*cs))) == NULL)
		return DLP_ERR_NOMEM;
	cs->mem = mem;
	for (i = 0; i < CS_CACHE; i++)
		cs->slot[i].cd = (iconv_t)-1;
	*out = cs;
	return DLP_OK;
}

void
dlp_charset_free(struct dlp_charset *cs)
{
	size_t i;

	if (cs == NULL)
		return;
	for (i = 0; i < CS_CACHE; i++) {
		if (cs->slot[i].cd != (iconv_t)-1)
			(void)iconv_close(cs->slot[i].cd);
	}
	dlp_free(cs->mem, cs);
}

/* Length of the valid UTF-8 sequence at p (1-4), or 0 if invalid; *cp
 * gets the code point. */
static size_t
utf8_seq(const uint8_t *p, size_t n, uint32_t *cp)
{
	uint8_t c = p[0];

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		if (n < 2 || (p[1] & 0xc0) != 0x80)
			return 0;
		*cp = (uint32_t)(c & 0x1f) << 6 | (p[1] & 0x3f);
		return 2;
	}
	if (c >= 0xe0 && c <= 0xef) {
		if (n < 3 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] > 0x9f))
			return 0; /* overlong or surrogate */
		*cp = (uint32_t)(c & 0x0f) << 12 |
		      (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (n < 4 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 ||
		    (p[3] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] > 0x8f))
			return 0;
		*cp = (uint32_t)(c & 0x07) << 18 |
		      (uint32_t)(p[1] & 0x3f) << 12 |
		      (uint32_t)(p[2] & 0x3f) << 6 | (p[3] & 0x3f);
		return 4;
	}
	return 0;
}

/* Bytes of the maximal invalid prefix at p that a truncated sequence
 * covers (a lead byte and its valid continuations), at least 1. */
static size_t
utf8_bad_len(const uint8_t *p, size_t n)
{
	uint8_t c = p[0];
	size_t want, i;

	if (c >= 0xc2 && c <= 0xdf)
		want = 2;
	else if (c >= 0xe0 && c <= 0xef)
		want = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		want = 4;
	else
		return 1;
	for (i = 1; i < want && i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			break;
		if (i == 1 &&
		    ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] > 0x9f) ||
		        (c == 0xf0 && p[1] < 0x90) ||
		        (c == 0xf4 && p[1] > 0x8f)))
			break;
	}
	return i;
}

static size_t
ascii_run(const uint8_t *in, size_t len)
{
	size_t i = 0;
	uint64_t w;

#if defined(__SSE2__)
	while (len - i >= 64) { /* four blocks at a time: one test */
		const __m128i *q = (const __m128i *)(const void *)(in + i);
		__m128i v = _mm_or_si128(
		    _mm_or_si128(_mm_loadu_si128(q), _mm_loadu_si128(q + 1)),
		    _mm_or_si128(
		        _mm_loadu_si128(q + 2), _mm_loadu_si128(q + 3)));

		if (_mm_movemask_epi8(v) != 0)
			break; /* the 16-byte loop finds the byte */
		i += 64;
	}
	while (len - i >= 16) {
		unsigned m = (unsigned)_mm_movemask_epi8(
		    _mm_loadu_si128((const __m128i *)(const void *)(in + i)));

		if (m != 0)
			return i + (size_t)__builtin_ctz(m);
		i += 16;
	}
#endif
	while (i + 8 <= len) {
		memcpy(&w, in + i, 8);
		if (w & 0x8080808080808080ull)
			break;
		i += 8;
	}
	while (i < len && in[i] < 0x80)
		i++;
	return i;
}

bool
dlp_utf8_valid(const uint8_t *in, size_t len)
{
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		i += ascii_run(in + i, len - i);
		if (i >= len)
			break;
		if ((n = utf8_seq(in + i, len - i, &cp)) == 0)
			return false;
		i += n;
	}
	return true;
}

static bool
conv_utf8(const uint8_t *in, size_t len, struct dlp_buf *out, unsigned *flags)
{
	size_t i = 0, run, n;
	uint32_t cp;

	if (len >= 3 && in[0] == 0xef && in[1] == 0xbb && in[2] == 0xbf)
		i = 3; /* BOM */
	if (!dlp_buf_reserve(out, len - i))
		return false;
	while (i < len) {
		run = i;
		while (i < len) {
			i += ascii_run(in + i, len - i);
			if (i >= len ||
			    (n = utf8_seq(in + i, len - i, &cp)) == 0)
				break;
			i += n;
		}
		if (!dlp_buf_append(out, in + run, i - run))
			return false;
		if (i < len) {
			*flags |= DLP_CS_INVALID;
			i += utf8_bad_len(in + i, len - i);
			if (!dlp_buf_put_utf8(out, 0xfffd))
				return false;
		}
	}
	return true;
}

/* Single-byte: ISO-8859-1 (c1 == false) or Windows-1252. */
static bool
conv_8bit(const uint8_t *in, size_t len, struct dlp_buf *out, bool c1)
{
	size_t i = 0, run, need;
	uint32_t cp;

	if (!dlp_mul_ok(len, 3, &need) || !dlp_buf_reserve(out, need))
		return false;
	while (i < len) {
		run = ascii_run(in + i, len - i);
		if (!dlp_buf_append(out, in + i, run))
			return false;
		i += run;
		if (i >= len)
			break;
		cp = in[i++];
		if (c1 && cp >= 0x80 && cp <= 0x9f)
			cp = dlp_cp1252_c1[cp - 0x80];
		if (!dlp_buf_put_utf8(out, cp))
			return false;
	}
	return true;
}

/* US-ASCII that holds 8-bit bytes: as UTF-8 if valid, else 1252. */
static bool
conv_ascii(const uint8_t *in, size_t len, struct dlp_buf *out, unsigned *flags)
{
	if (ascii_run(in, len) == len)
		return dlp_buf_append(out, in, len);
	if (dlp_utf8_valid(in, len))
		return conv_utf8(in, len, out, flags);
	return conv_8bit(in, len, out, true);
}

static bool
conv_utf16(const uint8_t *in, size_t len, struct dlp_buf *out, bool be,
    unsigned *flags)
{
	size_t i = 0, need;
	uint32_t u, v;
	uint8_t *o;

	/* Every code unit gives at most 3 bytes; a pair gives 4 for 2. */
	if (!dlp_mul_ok(len / 2 + 1, 3, &need) || !dlp_buf_reserve(out, need))
		return false;
	o = out->p + out->len;
#define U16(k)                                                                 \
	(be ? (uint32_t)in[k] << 8 | in[(k) + 1]                               \
	    : (uint32_t)in[(k) + 1] << 8 | in[k])
	while (i + 2 <= len) {
		/* ASCII fast path, four units at a time. */
		while (i + 8 <= len) {
			uint32_t a = U16(i), b = U16(i + 2), c = U16(i + 4),
			         d = U16(i + 6);
			if ((a | b | c | d) >= 0x80)
				break;
			o[0] = (uint8_t)a;
			o[1] = (uint8_t)b;
			o[2] = (uint8_t)c;
			o[3] = (uint8_t)d;
			o += 4;
			i += 8;
		}
		if (i + 2 > len)
			break;
		u = U16(i);
		i += 2;
		if (u < 0x80) {
			*o++ = (uint8_t)u;
			continue;
		}
		if (u < 0x800) {
			*o++ = (uint8_t)(0xc0 | u >> 6);
			*o++ = (uint8_t)(0x80 | (u & 0x3f));
			continue;
		}
		if (u >= 0xd800 && u <= 0xdbff && i + 2 <= len &&
		    (v = U16(i)) >= 0xdc00 && v <= 0xdfff) {
			i += 2;
			u = 0x10000 + ((u - 0xd800) << 10) + (v - 0xdc00);
			*o++ = (uint8_t)(0xf0 | u >> 18);
			*o++ = (uint8_t)(0x80 | ((u >> 12) & 0x3f));
			*o++ = (uint8_t)(0x80 | ((u >> 6) & 0x3f));
			*o++ = (uint8_t)(0x80 | (u & 0x3f));
			continue;
		}
		if (u >= 0xd800 && u <= 0xdfff) {
			*flags |= DLP_CS_INVALID;
			u = 0xfffd; /* lone surrogate */
		}
		*o++ = (uint8_t)(0xe0 | u >> 12);
		*o++ = (uint8_t)(0x80 | ((u >> 6) & 0x3f));
		*o++ = (uint8_t)(0x80 | (u & 0x3f));
	}
#undef U16
	if (i < len) { /* odd trailing byte */
		*flags |= DLP_CS_INVALID;
		*o++ = 0xef;
		*o++ = 0xbf;
		*o++ = 0xbd;
	}
	out->len = (size_t)(o - out->p);
	out->p[out->len] = '\0';
	return true;
}

/*
 * UTF-16 with a BOM, or without one: RFC 2781 says big-endian, but mail
 * from Windows is little-endian without a BOM, so pick the byte order
 * whose high bytes are mostly zero (text is mostly Latin).
 */
static bool
conv_utf16_detect(
    const uint8_t *in, size_t len, struct dlp_buf *out, unsigned *flags)
{
	size_t i, zeven = 0, zodd = 0, lim;

	if (len >= 2 && in[0] == 0xfe && in[1] == 0xff)
		return conv_utf16(in + 2, len - 2, out, true, flags);
	if (len >= 2 && in[0] == 0xff && in[1] == 0xfe)
		return conv_utf16(in + 2, len - 2, out, false, flags);
	lim = len < 4096 ? len : 4096;
	for (i = 0; i + 1 < lim; i += 2) {
		zeven += in[i] == 0;
		zodd += in[i + 1] == 0;
	}
	return conv_utf16(in, len, out, zeven > zodd, flags);
}

static bool
name_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > CS_NAMEMAX)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		        (c >= '0' && c <= '9') || strchr("._:+()-", c) != NULL))
			return false;
	}
	return true;
}

/* Descriptor for name from the cache (opened on a miss), or -1. */
static iconv_t
cache_get(struct dlp_charset *cs, const char *name)
{
	struct cs_slot *s, *victim = &cs->slot[0];
	size_t i;

	for (i = 0; i < CS_CACHE; i++) {
		s = &cs->slot[i];
		if (s->name[0] != '\0' && strcmp(s->name, name) == 0) {
			s->used = ++cs->tick;
			return s->bad ? (iconv_t)-1 : s->cd;
		}
		if (s->used < victim->used)
			victim = s;
	}
	if (victim->cd != (iconv_t)-1)
		(void)iconv_close(victim->cd);
	victim->cd = iconv_open("UTF-8", name);
	victim->bad = victim->cd == (iconv_t)-1;
	memcpy(victim->name, name, strlen(name) + 1);
	victim->used = ++cs->tick;
	return victim->cd;
}

static bool
conv_iconv(iconv_t cd, const uint8_t *in, size_t len, struct dlp_buf *out,
    unsigned *flags)
{
	char *ip = (char *)(uintptr_t)in, *op;
	size_t il = len, ol, want, r;

	(void)iconv(cd, NULL, NULL, NULL, NULL); /* initial shift state */
	for (;;) {
		want = il < (1u << 20) ? il : (1u << 20);
		if (!dlp_mul_ok(want, 4, &want) || !dlp_add_ok(want, 16, &want))
			return false;
		if (!dlp_buf_reserve(out, want))
			return false;
		op = (char *)out->p + out->len;
		ol = out->cap - out->len - 1;
		if (il == 0) {
			/* Flush the shift state (nothing for UTF-8 output). */
			r = iconv(cd, NULL, NULL, &op, &ol);
			out->len = (size_t)((uint8_t *)op - out->p);
			out->p[out->len] = '\0';
			if (r == (size_t)-1 && errno == E2BIG)
				continue;
			break;
		}
		r = iconv(cd, &ip, &il, &op, &ol);
		out->len = (size_t)((uint8_t *)op - out->p);
		out->p[out->len] = '\0';
		if (r != (size_t)-1 || errno == E2BIG)
			continue;
		*flags |= DLP_CS_INVALID;
		if (!dlp_buf_put_utf8(out, 0xfffd))
			return false;
		if (errno == EILSEQ && il > 0) {
			ip++;
			il--;
		} else {
			il = 0; /* EINVAL: input ends mid-character */
		}
	}
	(void)iconv(cd, NULL, NULL, NULL, NULL);
	return true;
}

/* Look the name up; *iname gets the iconv name for CS_ICONV. */
static enum cs_kind
classify(const char *charset, char *iname)
{
	char low[CS_NAMEMAX + 1];
	size_t n, i;

	if (charset == NULL || charset[0] == '\0')
		return CS_DETECT;
	n = strlen(charset);
	/* Trim blanks and quotes that survived header parsing. */
	while (n > 0 && strchr(" \t\"'", charset[n - 1]) != NULL)
		n--;
	while (n > 0 && strchr(" \t\"'", charset[0]) != NULL) {
		charset++;
		n--;
	}
	if (!name_ok(charset, n))
		return CS_LATIN1;
	for (i = 0; i < n; i++)
		low[i] = (char)dlp_tolower((unsigned char)charset[i]);
	low[n] = '\0';
	for (i = 0; i < DLP_NITEMS(cs_aliases); i++) {
		if (strcmp(cs_aliases[i].name, low) == 0) {
			if (cs_aliases[i].kind == CS_ICONV)
				strcpy(iname, cs_aliases[i].iconv);
			return cs_aliases[i].kind;
		}
	}
	/* windows-NNNN is cpNNNN to glibc. */
	if (strncmp(low, "windows-", 8) == 0 && n < CS_NAMEMAX - 2) {
		memcpy(iname, "CP", 2);
		memcpy(iname + 2, low + 8, n - 8 + 1);
		return CS_ICONV;
	}
	memcpy(iname, low, n + 1);
	return CS_ICONV;
}

bool
dlp_charset_to_utf8(struct dlp_charset *cs, const char *charset,
    const uint8_t *in, size_t len, struct dlp_buf *out, unsigned *flags)
{
	char iname[CS_NAMEMAX + 1];
	unsigned dummy = 0;
	iconv_t cd;
	bool ok;

	if (flags == NULL)
		flags = &dummy;
	switch (classify(charset, iname)) {
	case CS_DETECT:
		if (len >= 2 && ((in[0] == 0xfe && in[1] == 0xff) ||
		                    (in[0] == 0xff && in[1] == 0xfe)))
			return conv_utf16_detect(in, len, out, flags);
		if (dlp_utf8_valid(in, len))
			return conv_utf8(in, len, out, flags);
		return conv_8bit(in, len, out, true);
	case CS_ASCII:
		return conv_ascii(in, len, out, flags);
	case CS_UTF8:
		return conv_utf8(in, len, out, flags);
	case CS_CP1252:
		return conv_8bit(in, len, out, true);
	case CS_UTF16:
		return conv_utf16_detect(in, len, out, flags);
	case CS_UTF16LE:
		if (len >= 2 && in[0] == 0xff && in[1] == 0xfe)
			return conv_utf16(in + 2, len - 2, out, false, flags);
		return conv_utf16(in, len, out, false, flags);
	case CS_UTF16BE:
		if (len >= 2 && in[0] == 0xfe && in[1] == 0xff)
			return conv_utf16(in + 2, len - 2, out, true, flags);
		return conv_utf16(in, len, out, true, flags);
	case CS_ICONV:
		if (cs == NULL) {
			/* No cache: a descriptor for this call only. */
			if ((cd = iconv_open("UTF-8", iname)) == (iconv_t)-1)
				break;
			ok = conv_iconv(cd, in, len, out, flags);
			(void)iconv_close(cd);
			return ok;
		}
		if ((cd = cache_get(cs, iname)) != (iconv_t)-1)
			return conv_iconv(cd, in, len, out, flags);
		break;
	case CS_LATIN1:
		break;
	}
	*flags |= DLP_CS_UNKNOWN;
	return conv_8bit(in, len, out, false);
}

bool
dlp_charset_identity(const char *charset, const uint8_t *in, size_t len)
{
	char iname[CS_NAMEMAX + 1];

	if (len >= 3 && in[0] == 0xef && in[1] == 0xbb && in[2] == 0xbf)
		return false; /* the BOM is dropped */
	switch (classify(charset, iname)) {
	case CS_DETECT:
	case CS_ASCII:
	case CS_UTF8:
		/* 0xFE and 0xFF (UTF-16 BOMs) are never valid UTF-8. */
		return dlp_utf8_valid(in, len);
	case CS_CP1252:
		return ascii_run(in, len) == len;
	default:
		return false;
	}
}
