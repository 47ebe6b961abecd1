/*
 * extract_rtf.c - text and metadata of RTF documents.
 *
 * One linear pass over the bytes with a bounded group stack: control
 * words stripped, {\*\...} and the font, colour, style, list and revision
 * tables skipped, picture data skipped, \binN data skipped, field results
 * kept (field instructions skipped). \'hh bytes are converted from the
 * document code page (\ansicpg, or the current font's \fcharset) with
 * dlp_charset_to_utf8(); \uN is decoded (surrogate pairs joined) and the
 * \ucN fallback characters after it skipped. \par, \line, \sect, \page,
 * \row end lines; \tab and \cell are tabs. The \info group (title,
 * subject, keywords, author ...) and \*\userprops custom properties
 * (propname=value, where MSIP_Label_* may be) are DLP_SCOPE_METADATA.
 * \objdata of embedded objects is hex-decoded, its OLE1 header removed,
 * and passed on as an object at depth + 1. Nesting deeper than
 * RTF_MAX_DEPTH is reported "limit"; text before it is still reported.
 */
#include <stdio.h>
#include <string.h>

#include "extract.h"
#include "extract_ole.h"

#define RTF_MAX_DEPTH 512
#define RTF_MAX_FONTS 1024

enum dest {
	D_TEXT,
	D_SKIP,
	D_FONTTBL,
	D_INFO,
	D_META,      /* info child: text then newline */
	D_PROPNAME,  /* userprops name: text then '=' */
	D_PROPVAL,   /* userprops value: text then newline */
	D_USERPROPS, /* container */
	D_OBJDATA
};

struct group {
	uint8_t dest;
	uint8_t uc;
	uint16_t cp; /* code page of the current font; 0 = document's */
};

struct rtf {
	struct dlp_xctx *x;
	const char *where;
	unsigned depth;
	struct group *g; /* stack, g[top] is current */
	size_t top;
	uint16_t *fontcp; /* font number -> code page */
	int curfont;      /* font being defined in fonttbl */
	unsigned doccp;
	struct dlp_buf text, meta, obj, raw;
	int raw_dest; /* destination of pending raw bytes */
	unsigned raw_cp;
	unsigned skip;    /* \uc fallback characters still to skip */
	uint32_t hi_surr; /* pending high surrogate */
	int objnib;       /* pending hex nibble of objdata, -1 none */
	bool star;        /* \* seen: unknown destination is skipped */
};

static struct dlp_buf *
dest_buf(struct rtf *r, int d)
{
	switch (d) {
	case D_TEXT:
		return &r->text;
	case D_META:
	case D_PROPNAME:
	case D_PROPVAL:
		return &r->meta;
	default:
		return NULL;
	}
}

/* Convert pending code-page bytes into their destination. */
static bool
flush(struct rtf *r)
{
	struct dlp_buf *b;
	char cs[16];

	if (r->raw.len == 0)
		return true;
	b = dest_buf(r, r->raw_dest);
	if (b != NULL) {
		if (r->raw_cp == 65001)
			snprintf(cs, sizeof(cs), "UTF-8");
		else if (r->raw_cp == 10000)
			snprintf(cs, sizeof(cs), "MACINTOSH");
		else
			snprintf(cs, sizeof(cs), "CP%u",
			    r->raw_cp != 0 ? r->raw_cp : 1252);
		if (!dlp_charset_to_utf8(
		        r->x->cs, cs, r->raw.p, r->raw.len, b, NULL))
			return false;
	}
	dlp_buf_reset(&r->raw);
	return true;
}

static unsigned
cur_cp(const struct rtf *r)
{
	return r->g[r->top].cp != 0 ? r->g[r->top].cp : r->doccp;
}

static bool end_surrogate(struct rtf *r);

/* A byte of document text in the current destination. */
static bool
put_byte(struct rtf *r, uint8_t c)
{
	int d = r->g[r->top].dest;

	if (r->skip > 0) {
		r->skip--;
		return true;
	}
	if (dest_buf(r, d) == NULL)
		return true;
	if (!end_surrogate(r))
		return false;
	if (r->raw.len > 0 && (r->raw_dest != d || r->raw_cp != cur_cp(r)) &&
	    !flush(r))
		return false;
	r->raw_dest = d;
	r->raw_cp = cur_cp(r);
	return dlp_buf_putc(&r->raw, c);
}

/* Literal UTF-8 text (newlines, tabs, \uN) in the current destination. */
static bool
put_cp(struct rtf *r, uint32_t cp)
{
	struct dlp_buf *b = dest_buf(r, r->g[r->top].dest);

	if (b == NULL)
		return true;
	if (!flush(r))
		return false;
	return dlp_buf_put_utf8(b, cp);
}

/* A high surrogate not followed by \uN of a low one is U+FFFD. */
static bool
end_surrogate(struct rtf *r)
{
	if (r->hi_surr == 0)
		return true;
	r->hi_surr = 0;
	return put_cp(r, 0xfffd);
}

static bool
put_unicode(struct rtf *r, long n)
{
	uint32_t u = (uint32_t)(n < 0 ? n + 65536 : n) & 0xffff;

	r->skip = r->g[r->top].uc;
	if (u >= 0xdc00 && u < 0xe000 && r->hi_surr != 0) {
		u = 0x10000 + ((r->hi_surr - 0xd800) << 10) + (u - 0xdc00);
		r->hi_surr = 0;
		return put_cp(r, u);
	}
	if (r->hi_surr != 0 && !put_cp(r, 0xfffd)) /* unpaired high */
		return false;
	r->hi_surr = 0;
	if (u >= 0xd800 && u < 0xdc00) {
		r->hi_surr = u;
		return true;
	}
	return put_cp(r, u >= 0xdc00 && u < 0xe000 ? 0xfffd : u);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static unsigned
charset_cp(long fcharset)
{
	static const struct {
		int cs;
		unsigned cp;
	} map[] = {{77, 10000}, {128, 932}, {129, 949}, {130, 1361}, {134, 936},
	    {136, 950}, {161, 1253}, {162, 1254}, {163, 1258}, {177, 1255},
	    {178, 1256}, {186, 1257}, {204, 1251}, {222, 874}, {238, 1250}};
	size_t i;

	for (i = 0; i < DLP_NITEMS(map); i++)
		if (map[i].cs == fcharset)
			return map[i].cp;
	return 0;
}

static const char *const skip_dests[] = {"colortbl", "stylesheet", "pict",
    "listtable", "listoverridetable", "revtbl", "rsidtbl", "fldinst",
    "themedata", "colorschememapping", "latentstyles", "datastore", "xmlnstbl",
    "filetbl", "generator", "mmathPr", "pgdsctbl", "objclass", "objname",
    "bkmkstart", "bkmkend", "nonshppict", "private", "sp"};
static const char *const meta_words[] = {"title", "subject", "author",
    "keywords", "comment", "operator", "company", "category", "manager",
    "doccomm", "hlinkbase"};

static bool
word_in(const char *w, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(w, list[i]) == 0)
			return true;
	return false;
}

/* A control word with its optional parameter. */
static bool
control(struct rtf *r, const char *w, bool has, long n)
{
	struct group *g = &r->g[r->top];
	bool star = r->star;

	r->star = false;
	if (r->skip > 0 && strcmp(w, "u") != 0) {
		r->skip--;
		return true;
	}
	if (g->dest == D_SKIP)
		return true;
	if (strcmp(w, "u") == 0 && has)
		return put_unicode(r, n);
	if (strcmp(w, "uc") == 0 && has && n >= 0 && n < 16) {
		g->uc = (uint8_t)n;
		return true;
	}
	if (!flush(r))
		return false;
	if (g->dest == D_FONTTBL) {
		if (strcmp(w, "f") == 0 && has)
			r->curfont = (int)n;
		else if (strcmp(w, "fcharset") == 0 && has && r->curfont >= 0 &&
		         r->curfont < RTF_MAX_FONTS)
			r->fontcp[r->curfont] = (uint16_t)charset_cp(n);
		else if (strcmp(w, "cpg") == 0 && has && n > 0 && n < 65536 &&
		         r->curfont >= 0 && r->curfont < RTF_MAX_FONTS)
			r->fontcp[r->curfont] = (uint16_t)n;
		return true;
	}
	if (strcmp(w, "ansicpg") == 0 && has && n > 0 && n < 65536) {
		r->doccp = (unsigned)n;
		return true;
	}
	if (strcmp(w, "f") == 0 && has) {
		g->cp = (n >= 0 && n < RTF_MAX_FONTS) ? r->fontcp[n] : 0;
		return true;
	}
	if (strcmp(w, "fonttbl") == 0) {
		g->dest = D_FONTTBL;
		r->curfont = -1;
		return true;
	}
	if (strcmp(w, "info") == 0) {
		g->dest = D_INFO;
		return true;
	}
	if (strcmp(w, "userprops") == 0) {
		g->dest = D_USERPROPS;
		return true;
	}
	if (strcmp(w, "objdata") == 0) {
		g->dest = D_OBJDATA;
		dlp_buf_reset(&r->obj);
		r->objnib = -1;
		return true;
	}
	if (g->dest == D_INFO) {
		if (word_in(w, meta_words, DLP_NITEMS(meta_words))) {
			g->dest = D_META;
			return dlp_buf_puts(&r->meta, w) &&
			       dlp_buf_putc(&r->meta, '=');
		}
		g->dest = D_SKIP; /* dates, statistics */
		return true;
	}
	if (g->dest == D_USERPROPS) {
		if (strcmp(w, "propname") == 0)
			g->dest = D_PROPNAME;
		else if (strcmp(w, "staticval") == 0)
			g->dest = D_PROPVAL;
		return true;
	}
	if (strcmp(w, "shpinst") == 0 || strcmp(w, "annotation") == 0)
		return true; /* starred, but holds text boxes and comments */
	if (star || word_in(w, skip_dests, DLP_NITEMS(skip_dests))) {
		g->dest = D_SKIP;
		return true;
	}
	if (strcmp(w, "par") == 0 || strcmp(w, "line") == 0 ||
	    strcmp(w, "sect") == 0 || strcmp(w, "page") == 0 ||
	    strcmp(w, "row") == 0 || strcmp(w, "column") == 0)
		return put_cp(r, '\n');
	if (strcmp(w, "tab") == 0 || strcmp(w, "cell") == 0)
		return put_cp(r, '\t');
	if (strcmp(w, "emdash") == 0)
		return put_cp(r, 0x2014);
	if (strcmp(w, "endash") == 0)
		return put_cp(r, 0x2013);
	if (strcmp(w, "lquote") == 0)
		return put_cp(r, 0x2018);
	if (strcmp(w, "rquote") == 0)
		return put_cp(r, 0x2019);
	if (strcmp(w, "ldblquote") == 0)
		return put_cp(r, 0x201c);
	if (strcmp(w, "rdblquote") == 0)
		return put_cp(r, 0x201d);
	if (strcmp(w, "bullet") == 0)
		return put_cp(r, 0x2022);
	if (strcmp(w, "emspace") == 0 || strcmp(w, "enspace") == 0 ||
	    strcmp(w, "qmspace") == 0)
		return put_cp(r, ' ');
	return true;
}

/*
 * Strip an OLE1 ObjectHeader (MS-OLEDS 2.2.4) when it parses; for the
 * Packager class, name gets the packaged file's label.
 */
static void
ole1_native(const uint8_t *p, size_t len, const uint8_t **out, size_t *olen,
    char *name, size_t nsize)
{
	size_t i = 8, k, n;
	bool package = false;

	*out = p;
	*olen = len;
	if (len < 12)
		return;
	for (k = 0; k < 3; k++) { /* ClassName, TopicName, ItemName */
		if (len - i < 4)
			return;
		n = (size_t)p[i] | (size_t)p[i + 1] << 8 |
		    (size_t)p[i + 2] << 16 | (size_t)p[i + 3] << 24;
		i += 4;
		if (n > len - i)
			return;
		if (k == 0 && n == 8 && memcmp(p + i, "Package", 8) == 0)
			package = true;
		i += n;
	}
	if (len - i < 4)
		return;
	n = (size_t)p[i] | (size_t)p[i + 1] << 8 | (size_t)p[i + 2] << 16 |
	    (size_t)p[i + 3] << 24;
	i += 4;
	if (n == 0 || n > len - i)
		return;
	*out = p + i;
	*olen = n;
	/* Packager: the packaged file itself, named by its label */
	if (package)
		(void)dlp_ole_package(p + i, n, name, nsize, out, olen);
}

/* Close the current group. */
static enum dlp_status
close_group(struct rtf *r)
{
	const struct dlp_sink *s = r->x->sink;
	struct group *g = &r->g[r->top];
	enum dlp_status st = DLP_OK;
	const uint8_t *nat;
	size_t nlen;
	char buf[64];

	if (!end_surrogate(r) || !flush(r))
		return DLP_ERR_NOMEM;
	if ((g->dest == D_META || g->dest == D_PROPVAL) &&
	    (r->top == 0 || r->g[r->top - 1].dest != g->dest)) {
		if (!dlp_buf_putc(&r->meta, '\n'))
			return DLP_ERR_NOMEM;
	} else if (g->dest == D_PROPNAME &&
	           (r->top == 0 || r->g[r->top - 1].dest != g->dest)) {
		if (!dlp_buf_putc(&r->meta, '='))
			return DLP_ERR_NOMEM;
	} else if (g->dest == D_OBJDATA &&
	           (r->top == 0 || r->g[r->top - 1].dest != D_OBJDATA) &&
	           r->obj.len > 0) {
		snprintf(buf, sizeof(buf), "%s", "objdata");
		ole1_native(
		    r->obj.p, r->obj.len, &nat, &nlen, buf, sizeof(buf));
		st = s->object(
		    s->ctx, r->where, buf, NULL, nat, nlen, r->depth + 1);
		dlp_buf_reset(&r->obj);
	}
	r->skip = 0;
	if (r->top > 0)
		r->top--;
	return st;
}

enum dlp_status
dlp_extract_rtf(struct dlp_xctx *x, const char *where, const uint8_t *data,
    size_t len, unsigned depth)
{
	const struct dlp_sink *s = x->sink;
	struct rtf r;
	enum dlp_status st = DLP_OK;
	const char *bad = NULL;
	char word[33];
	size_t i = 0, wl, nd;
	long n;
	bool has, neg;
	int c, h1, h2;

	memset(&r, 0, sizeof(r));
	r.x = x;
	r.where = where;
	r.depth = depth;
	r.doccp = 1252;
	r.objnib = -1;
	r.curfont = -1;
	dlp_buf_init(&r.text, x->mem);
	dlp_buf_init(&r.meta, x->mem);
	dlp_buf_init(&r.obj, x->mem);
	dlp_buf_init(&r.raw, x->mem);
	r.g = dlp_calloc(x->mem, RTF_MAX_DEPTH + 1, sizeof(*r.g));
	r.fontcp = dlp_calloc(x->mem, RTF_MAX_FONTS, sizeof(*r.fontcp));
	if (r.g == NULL || r.fontcp == NULL) {
		st = DLP_ERR_NOMEM;
		goto out;
	}
	r.g[0].uc = 1;
	if (len < 5 || memcmp(data, "{\\rtf", 5) != 0)
		bad = "malformed";
	while (bad == NULL && i < len) {
		c = data[i++];
		if (c == '{') {
			if (!flush(&r))
				goto nomem;
			if (r.top >= RTF_MAX_DEPTH) {
				bad = "limit";
				break;
			}
			r.g[r.top + 1] = r.g[r.top];
			r.top++;
			r.skip = 0;
		} else if (c == '}') {
			if ((st = close_group(&r)) != DLP_OK)
				goto out;
		} else if (c == '\\' && i < len) {
			c = data[i];
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
				for (wl = 0;
				     i < len && wl < sizeof(word) - 1 &&
				     ((data[i] >= 'a' && data[i] <= 'z') ||
				         (data[i] >= 'A' && data[i] <= 'Z'));
				     i++)
					word[wl++] = (char)data[i];
				word[wl] = '\0';
				while (i < len &&
				       ((data[i] >= 'a' && data[i] <= 'z') ||
				           (data[i] >= 'A' && data[i] <= 'Z')))
					i++; /* over-long word: ignored tail */
				neg = i < len && data[i] == '-';
				if (neg)
					i++;
				n = 0;
				for (nd = 0; i < len && data[i] >= '0' &&
				             data[i] <= '9';
				     i++, nd++)
					if (nd < 10)
						n = n * 10 + (data[i] - '0');
				has = nd > 0;
				if (neg)
					n = -n;
				if (i < len && data[i] == ' ')
					i++;
				if (strcmp(word, "bin") == 0 && has && n > 0) {
					/* raw binary: skip n bytes */
					if ((size_t)n > len - i)
						i = len;
					else
						i += (size_t)n;
					continue;
				}
				if (!control(&r, word, has, n))
					goto nomem;
			} else if (c == '\'') {
				i++;
				h1 = i < len ? hexval(data[i]) : -1;
				h2 = i + 1 < len ? hexval(data[i + 1]) : -1;
				if (h1 < 0 || h2 < 0)
					continue;
				i += 2;
				if (r.g[r.top].dest != D_SKIP &&
				    !put_byte(&r, (uint8_t)(h1 << 4 | h2)))
					goto nomem;
			} else {
				i++;
				if (c == '*') {
					r.star = true;
				} else if (c == '\\' || c == '{' || c == '}') {
					if (!put_byte(&r, (uint8_t)c))
						goto nomem;
				} else if (c == '~') {
					if (!put_cp(&r, 0xa0))
						goto nomem;
				} else if (c == '_') {
					if (!put_cp(&r, 0x2011))
						goto nomem;
				} else if (c == '-') {
					if (!put_cp(&r, 0xad))
						goto nomem;
				} else if (c == '\n' || c == '\r') {
					if (!put_cp(&r, '\n'))
						goto nomem;
				} else if (c == '\t') {
					if (!put_cp(&r, '\t'))
						goto nomem;
				}
			}
		} else if (c == '\r' || c == '\n') {
			continue;
		} else if (r.g[r.top].dest == D_OBJDATA) {
			if ((h1 = hexval(c)) < 0)
				continue;
			if (r.objnib < 0) {
				r.objnib = h1;
			} else {
				if (!dlp_buf_putc(
				        &r.obj, (uint8_t)(r.objnib << 4 | h1)))
					goto nomem;
				r.objnib = -1;
			}
		} else if (c == '\t') {
			if (!put_cp(&r, '\t'))
				goto nomem;
		} else if (r.g[r.top].dest != D_SKIP) {
			if (!put_byte(&r, (uint8_t)c))
				goto nomem;
		}
	}
	if (!flush(&r))
		goto nomem;
	if (r.text.len > 0 &&
	    (st = s->text(s->ctx, DLP_SCOPE_ATTACHMENT, where, NULL,
	         (const char *)r.text.p, r.text.len)) != DLP_OK)
		goto out;
	if (r.meta.len > 0 &&
	    (st = s->text(s->ctx, DLP_SCOPE_METADATA, where, NULL,
	         (const char *)r.meta.p, r.meta.len)) != DLP_OK)
		goto out;
	if (bad != NULL)
		st = s->unscanned(s->ctx, where, bad,
		    bad[0] == 'l' ? "RTF group depth" : "not RTF");
	goto out;
nomem:
	st = DLP_ERR_NOMEM;
out:
	dlp_free(x->mem, r.g);
	dlp_free(x->mem, r.fontcp);
	dlp_buf_fini(&r.text);
	dlp_buf_fini(&r.meta);
	dlp_buf_fini(&r.obj);
	dlp_buf_fini(&r.raw);
	return st;
}
