/*
 * pdfobj.c - a bounded reader of raw PDF objects (see pdfobj.h), for the
 * parts of a PDF that poppler-glib does not expose and for damaged files.
 *
 * Trust: none in the bytes. The cross-reference table is not read at all
 * (damaged files are the point): objects are found by scanning for
 * "N G obj", and when a number is defined more than once the definition
 * latest in the file wins, as an incremental update intends. A stream's
 * data ends at its /Length when that is a direct integer followed by
 * "endstream", else at the next "endstream". Object streams (/Type
 * /ObjStm) are inflated and their objects indexed like the others; the
 * first that does not decode is named in d->stm_why for the caller to
 * report, since the objects in it stay unread.
 *
 * Limits: PDF_MAX_OBJECTS objects, PDF_MAX_OBJSTMS object streams (past
 * either, what was indexed is kept and d->why says "limit");
 * arrays and dictionaries nested deeper than PDF_MAX_DEPTH are not read;
 * at most PDF_MAX_HOPS references are followed for a value. Streams are
 * decoded only for FlateDecode (or no filter), within the per-entry
 * limit, the expansion ratio (with archive.c's 1 MiB floor) and the
 * message's expanded-bytes budget, which every decoded byte is charged
 * to. Nothing recurses on the input: nesting is walked with explicit,
 * bounded stacks, and sizes are checked before arithmetic.
 *
 * Status: only DLP_ERR_NOMEM is returned; content problems come back as
 * why/detail strings for the caller to report.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "pdfobj.h"

static bool
is_ws(uint8_t c)
{
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' ||
	       c == '\0';
}

static bool
is_delim(uint8_t c)
{
	return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' ||
	       c == ']' || c == '{' || c == '}' || c == '/' || c == '%';
}

static bool
is_regular(uint8_t c)
{
	return !is_ws(c) && !is_delim(c);
}

static const uint8_t *
find(const uint8_t *p, const uint8_t *end, const char *needle)
{
	size_t nl = strlen(needle);
	const uint8_t *q;

	while (p < end) {
		q = memchr(p, needle[0], (size_t)(end - p));
		if (q == NULL)
			return NULL;
		if ((size_t)(end - q) >= nl && memcmp(q, needle, nl) == 0)
			return q;
		p = q + 1;
	}
	return NULL;
}

/* Past white space and comments. */
static const uint8_t *
skip_ws(const uint8_t *p, const uint8_t *end)
{
	for (;;) {
		while (p < end && is_ws(*p))
			p++;
		if (p >= end || *p != '%')
			return p;
		while (p < end && *p != '\r' && *p != '\n')
			p++;
	}
}

/* Just past the ')' closing the literal string at p, or end. */
static const uint8_t *
lit_end(const uint8_t *p, const uint8_t *end)
{
	unsigned nest = 0;
	uint8_t c;

	while (p < end) {
		c = *p++;
		if (c == '\\') {
			if (p < end)
				p++;
		} else if (c == '(') {
			nest++;
		} else if (c == ')' && --nest == 0) {
			return p;
		}
	}
	return end;
}

/*
 * Just past the array or dictionary opening at p. An unclosed one ends
 * at "endobj" or at end; NULL when nested deeper than PDF_MAX_DEPTH.
 */
static const uint8_t *
container_end(const uint8_t *p, const uint8_t *end)
{
	unsigned depth = 0;
	const uint8_t *q;

	while (p < end) {
		switch (*p) {
		case '(':
			p = lit_end(p, end);
			continue;
		case '%':
			while (p < end && *p != '\r' && *p != '\n')
				p++;
			continue;
		case '<':
			if (end - p >= 2 && p[1] == '<') {
				depth++;
				p += 2;
				break;
			}
			q = memchr(p, '>', (size_t)(end - p));
			p = q != NULL ? q + 1 : end;
			continue;
		case '[':
			depth++;
			p++;
			break;
		case '>':
			if (end - p >= 2 && p[1] == '>') {
				p += 2;
				if (depth <= 1)
					return p;
				depth--;
			} else {
				p++;
			}
			continue;
		case ']':
			p++;
			if (depth <= 1)
				return p;
			depth--;
			continue;
		case 'e':
			if (end - p >= 6 && memcmp(p, "endobj", 6) == 0)
				return p;
			p++;
			continue;
		default:
			p++;
			continue;
		}
		if (depth > PDF_MAX_DEPTH)
			return NULL;
	}
	return end;
}

/* A number at p (sign, digits, fraction); *i saturates. */
static const uint8_t *
lex_num(const uint8_t *p, const uint8_t *end, struct pdf_val *v, unsigned *ndig)
{
	bool neg = false;
	int64_t n = 0;

	*ndig = 0;
	if (p < end && (*p == '+' || *p == '-'))
		neg = *p++ == '-';
	for (; p < end && *p >= '0' && *p <= '9'; p++, (*ndig)++)
		if (n < INT64_MAX / 10 - 10)
			n = n * 10 + (*p - '0');
	if (p < end && *p == '.') {
		v->real = true;
		for (p++; p < end && *p >= '0' && *p <= '9'; p++)
			;
	}
	while (p < end && is_regular(*p)) /* "12abc": not a number */
		p++, v->real = true;
	v->type = PDF_NUM;
	v->i = neg ? -n : n;
	return p;
}

/*
 * The value at *pp (white space and comments skipped); *pp is moved past
 * it. false at end, at a closing delimiter, or for a value nested too
 * deep. A keyword other than true/false/null is PDF_NONE.
 */
static bool
lex(const uint8_t **pp, const uint8_t *end, struct pdf_val *v)
{
	const uint8_t *p = skip_ws(*pp, end), *q, *r;
	struct pdf_val g;
	unsigned nd, gd;

	memset(v, 0, sizeof(*v));
	*pp = p;
	if (p >= end)
		return false;
	switch (*p) {
	case '(':
		v->type = PDF_STRING;
		q = lit_end(p, end);
		break;
	case '<':
		if (end - p >= 2 && p[1] == '<') {
			v->type = PDF_DICT;
			q = container_end(p, end);
		} else {
			v->type = PDF_STRING;
			q = memchr(p, '>', (size_t)(end - p));
			q = q != NULL ? q + 1 : end;
		}
		break;
	case '[':
		v->type = PDF_ARRAY;
		q = container_end(p, end);
		break;
	case '/':
		v->type = PDF_NAME;
		for (q = p + 1; q < end && is_regular(*q); q++)
			;
		break;
	case ')':
	case '>':
	case ']':
	case '{':
	case '}':
		*pp = p + 1;
		return false;
	default:
		if ((*p >= '0' && *p <= '9') || *p == '+' || *p == '-' ||
		    *p == '.') {
			q = lex_num(p, end, v, &nd);
			/* "N G R" is a reference */
			if (v->real || *p == '-' || *p == '+' || nd > 10 ||
			    v->i > UINT32_MAX)
				break;
			r = skip_ws(q, end);
			if (r >= end || *r < '0' || *r > '9')
				break;
			memset(&g, 0, sizeof(g));
			r = lex_num(r, end, &g, &gd);
			if (g.real || gd > 5)
				break;
			r = skip_ws(r, end);
			if (r < end && *r == 'R' &&
			    (end - r == 1 || !is_regular(r[1]))) {
				v->type = PDF_REF;
				v->num = (uint32_t)v->i;
				q = r + 1;
			}
			break;
		}
		for (q = p; q < end && is_regular(*q); q++)
			;
		if (q - p == 4 && memcmp(p, "true", 4) == 0) {
			v->type = PDF_BOOL;
			v->i = 1;
		} else if (q - p == 5 && memcmp(p, "false", 5) == 0) {
			v->type = PDF_BOOL;
		} else if (q - p == 4 && memcmp(p, "null", 4) == 0) {
			v->type = PDF_NULL;
		} else {
			v->type = PDF_NONE;
		}
		if (q == p) /* a stray delimiter */
			q++;
		break;
	}
	if (q == NULL) { /* nested too deep: skip only the opener */
		*pp = p + 1;
		return false;
	}
	v->p = p;
	v->len = (size_t)(q - p);
	*pp = q;
	return true;
}

bool
pdf_lex(const uint8_t **pp, const uint8_t *end, struct pdf_val *v)
{
	if (!lex(pp, end, v))
		return false;
	v->entry = SIZE_MAX;
	return true;
}

/* ---- the object table ---- */

static const uint8_t *
src_base(const struct pdf_doc *d, const struct pdf_ent *e)
{
	return e->src == 0 ? d->data : d->stm[e->src - 1].p;
}

bool
pdf_entry_val(const struct pdf_doc *d, size_t i, struct pdf_val *v)
{
	const struct pdf_ent *e;
	const uint8_t *p, *end;

	if (i >= d->n)
		return false;
	e = &d->ent[i];
	p = src_base(d, e) + e->off;
	end = src_base(d, e) + e->end;
	if (!lex(&p, end, v))
		return false;
	v->entry = i;
	return true;
}

bool
pdf_value_at(const struct pdf_doc *d, size_t off, struct pdf_val *v)
{
	const uint8_t *p = d->data + (off < d->len ? off : d->len);

	if (!lex(&p, d->data + d->len, v))
		return false;
	v->entry = SIZE_MAX;
	return true;
}

bool
pdf_entry_current(const struct pdf_doc *d, size_t i)
{
	return i < d->n &&
	       (i + 1 == d->n || d->ent[i + 1].num != d->ent[i].num);
}

/* The current entry for object num among the first n; SIZE_MAX if none. */
static size_t
lookup(const struct pdf_doc *d, size_t n, uint32_t num)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) { /* first entry with a number above num */
		mid = lo + (hi - lo) / 2;
		if (d->ent[mid].num <= num)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && d->ent[lo - 1].num == num ? lo - 1 : SIZE_MAX;
}

bool
pdf_resolve(
    const struct pdf_doc *d, const struct pdf_val *in, struct pdf_val *out)
{
	struct pdf_val v = *in;
	size_t i, hop;

	for (hop = 0; hop < PDF_MAX_HOPS; hop++) {
		if (v.type != PDF_REF) {
			*out = v;
			return true;
		}
		if ((i = lookup(d, d->nsorted, v.num)) == SIZE_MAX ||
		    !pdf_entry_val(d, i, &v))
			return false;
	}
	return false;
}

void
pdf_iter_init(struct pdf_iter *it, const struct pdf_val *v)
{
	size_t open = v->type == PDF_DICT ? 2 : v->type == PDF_ARRAY ? 1 : 0;
	size_t close = 0;

	it->entry = v->entry;
	if (open == 0 || v->len < open) {
		it->p = it->end = v->p;
		return;
	}
	if (v->type == PDF_DICT && v->len >= 4 && v->p[v->len - 1] == '>' &&
	    v->p[v->len - 2] == '>')
		close = 2;
	else if (v->type == PDF_ARRAY && v->len >= 2 && v->p[v->len - 1] == ']')
		close = 1;
	it->p = v->p + open;
	it->end = v->p + v->len - close;
}

bool
pdf_iter_next(struct pdf_iter *it, struct pdf_val *v)
{
	while (it->p < it->end) {
		if (lex(&it->p, it->end, v)) {
			v->entry = it->entry;
			return true;
		}
	}
	return false;
}

bool
pdf_is_name(const struct pdf_val *v, const char *name)
{
	size_t nl = strlen(name);

	return v->type == PDF_NAME && v->len == nl + 1 &&
	       memcmp(v->p + 1, name, nl) == 0;
}

/* dict's value for key, unresolved. */
static bool
dict_raw(const struct pdf_val *dict, const char *key, struct pdf_val *out)
{
	struct pdf_iter it;
	struct pdf_val k;

	if (dict->type != PDF_DICT)
		return false;
	pdf_iter_init(&it, dict);
	while (pdf_iter_next(&it, &k)) {
		if (!pdf_iter_next(&it, out))
			return false;
		if (pdf_is_name(&k, key))
			return true;
	}
	return false;
}

bool
pdf_dict_get(const struct pdf_doc *d, const struct pdf_val *dict,
    const char *key, struct pdf_val *out)
{
	struct pdf_val v;

	return dict_raw(dict, key, &v) && pdf_resolve(d, &v, out) &&
	       out->type != PDF_NULL;
}

/* ---- strings ---- */

bool
pdf_string_bytes(const struct pdf_val *v, struct dlp_buf *out)
{
	const uint8_t *p, *end, *q;
	unsigned c, k, n, hi = 0;
	bool half = false;

	if (v->type != PDF_STRING || v->len == 0)
		return true;
	p = v->p + 1;
	end = v->p + v->len;
	if (v->p[0] == '<') {
		if (end > p && end[-1] == '>')
			end--;
		for (; p < end; p++) {
			c = *p;
			if (c >= '0' && c <= '9')
				n = c - '0';
			else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
				n = (c | 0x20) - 'a' + 10;
			else
				continue;
			if (half && !dlp_buf_putc(out, (int)(hi << 4 | n)))
				return false;
			hi = n;
			half = !half;
		}
		return !half || dlp_buf_putc(out, (int)(hi << 4));
	}
	if (end > p && end[-1] == ')')
		end--;
	while (p < end) {
		for (q = p; q < end && *q != '\\' && *q != '\r'; q++)
			;
		if (q > p) { /* a run without escapes, in one go */
			if (!dlp_buf_append(out, p, (size_t)(q - p)))
				return false;
			p = q;
			continue;
		}
		c = *p++;
		if (c == '\r') { /* an end of line is "\n", however written */
			if (p < end && *p == '\n')
				p++;
			c = '\n';
		} else if (c == '\\' && p < end) {
			c = *p++;
			switch (c) {
			case 'n':
				c = '\n';
				break;
			case 'r':
				c = '\r';
				break;
			case 't':
				c = '\t';
				break;
			case 'b':
				c = '\b';
				break;
			case 'f':
				c = '\f';
				break;
			case '\r':
				if (p < end && *p == '\n')
					p++;
				continue;
			case '\n':
				continue;
			default:
				if (c >= '0' && c <= '7') {
					n = c - '0';
					for (k = 1; k < 3 && p < end &&
					            *p >= '0' && *p <= '7';
					     k++)
						n = n * 8 +
						    (unsigned)(*p++ - '0');
					c = n & 0xff;
				}
				break;
			}
		}
		if (!dlp_buf_putc(out, (int)c))
			return false;
	}
	return true;
}

/* PDFDocEncoding 0x80-0xA0 (ISO 32000-1 Annex D); the rest is Latin-1. */
static const uint16_t pdfdoc_hi[33] = {0x2022, 0x2020, 0x2021, 0x2026, 0x2014,
    0x2013, 0x0192, 0x2044, 0x2039, 0x203a, 0x2212, 0x2030, 0x201e, 0x201c,
    0x201d, 0x2018, 0x2019, 0x201a, 0x2122, 0xfb01, 0xfb02, 0x0141, 0x0152,
    0x0160, 0x0178, 0x017d, 0x0131, 0x0142, 0x0153, 0x0161, 0x017e, 0xfffd,
    0x20ac};

static bool
utf16_text(const uint8_t *p, size_t n, bool be, struct dlp_buf *out)
{
	uint32_t c, lo;
	size_t i;

	for (i = 0; i + 1 < n; i += 2) {
		c = be ? (uint32_t)p[i] << 8 | p[i + 1]
		       : (uint32_t)p[i + 1] << 8 | p[i];
		if (c >= 0xd800 && c < 0xdc00 && i + 3 < n) {
			lo = be ? (uint32_t)p[i + 2] << 8 | p[i + 3]
			        : (uint32_t)p[i + 3] << 8 | p[i + 2];
			if (lo >= 0xdc00 && lo < 0xe000) {
				c = 0x10000 + ((c - 0xd800) << 10) +
				    (lo - 0xdc00);
				i += 2;
			}
		}
		if (c >= 0xd800 && c < 0xe000)
			c = 0xfffd;
		if (!dlp_buf_put_utf8(out, c))
			return false;
	}
	return true;
}

bool
pdf_string_text(const struct pdf_val *v, struct dlp_buf *out)
{
	struct dlp_buf raw;
	const uint8_t *p;
	size_t i, n;
	bool ok = true;

	dlp_buf_init(&raw, out->mem);
	if (!pdf_string_bytes(v, &raw)) {
		dlp_buf_fini(&raw);
		return false;
	}
	p = raw.p;
	n = raw.len;
	if (n >= 2 && p[0] == 0xfe && p[1] == 0xff)
		ok = utf16_text(p + 2, n - 2, true, out);
	else if (n >= 2 && p[0] == 0xff && p[1] == 0xfe)
		ok = utf16_text(p + 2, n - 2, false, out);
	else if (n >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
		ok = dlp_buf_append(out, p + 3, n - 3);
	else
		for (i = 0; i < n && ok; i++)
			ok = p[i] < 0x80 ? dlp_buf_putc(out, p[i])
			     : p[i] <= 0xa0
			         ? dlp_buf_put_utf8(out, pdfdoc_hi[p[i] - 0x80])
			         : dlp_buf_put_utf8(out, p[i]);
	dlp_buf_fini(&raw);
	return ok;
}

/* ---- streams ---- */

enum dlp_status
pdf_stream(struct pdf_doc *d, const struct pdf_val *v, struct dlp_buf *out,
    const char **why, const char **detail)
{
	const struct pdf_ent *e;
	struct pdf_val f, parm, pred;
	struct pdf_iter it;
	const uint8_t *p;
	const char *capwhy;
	size_t len, cap;
	bool flate = false;
	enum dlp_status st = DLP_OK;

	*why = "malformed";
	*detail = "PDF stream";
	dlp_buf_reset(out);
	if (v->entry >= d->n || v->type != PDF_DICT)
		return DLP_OK;
	e = &d->ent[v->entry];
	if (e->sdata == SIZE_MAX || e->src != 0 || v->p != d->data + e->off)
		return DLP_OK;
	p = d->data + e->sdata;
	len = e->slen;
	*why = "unsupported";
	*detail = "PDF stream filter";
	if (pdf_dict_get(d, v, "Filter", &f)) {
		if (f.type == PDF_ARRAY) {
			pdf_iter_init(&it, &f);
			if (pdf_iter_next(&it, &f) && pdf_iter_next(&it, &parm))
				return DLP_OK; /* a chain of filters */
		}
		if (f.type == PDF_NAME) {
			if (!pdf_is_name(&f, "FlateDecode") &&
			    !pdf_is_name(&f, "Fl"))
				return DLP_OK;
			flate = true;
		}
	}
	if (flate && pdf_dict_get(d, v, "DecodeParms", &parm)) {
		if (parm.type == PDF_ARRAY) {
			pdf_iter_init(&it, &parm);
			if (!pdf_iter_next(&it, &f) ||
			    !pdf_resolve(d, &f, &parm))
				parm.type = PDF_NONE;
		}
		if (pdf_dict_get(d, &parm, "Predictor", &pred) &&
		    pred.type == PDF_NUM && pred.i > 1) {
			*detail = "PDF stream predictor";
			return DLP_OK;
		}
	}
	*why = NULL;
	cap = dlp_expand_cap(d->x, len, &capwhy);
	*detail = capwhy;
	if (!flate) {
		if (len > cap)
			*why = "limit";
		else if (!dlp_buf_append(out, p, len))
			return DLP_ERR_NOMEM;
	} else {
		/* writers often truncate the last block's check value */
		st = dlp_inflate(d->x, p, len, cap, capwhy, 0, true,
		    "PDF stream data (FlateDecode)", out, why, detail);
	}
	if (st == DLP_OK && *why == NULL && d->x->sink->budget != NULL &&
	    !dlp_budget_take(d->x->sink->budget, out->len)) {
		*why = "limit";
		*detail = "expanded bytes per message (max_expanded_bytes)";
	}
	if (st != DLP_OK || *why != NULL)
		dlp_buf_reset(out);
	return st;
}

/* ---- indexing ---- */

/*
 * Is the "obj" at q preceded by "N G " (N up to 10 digits, G up to 5,
 * after a delimiter or the start)? *num gets N.
 */
static bool
obj_header(const uint8_t *data, const uint8_t *q, uint32_t *num)
{
	const uint8_t *p = q, *dig;
	uint64_t n = 0;

	if (p == data || !is_ws(p[-1]))
		return false;
	while (p > data && is_ws(p[-1]))
		p--;
	for (dig = p; p > data && p[-1] >= '0' && p[-1] <= '9'; p--)
		;
	if (p == dig || dig - p > 5 || p == data || !is_ws(p[-1]))
		return false;
	while (p > data && is_ws(p[-1]))
		p--;
	for (dig = p; p > data && p[-1] >= '0' && p[-1] <= '9'; p--)
		;
	if (p == dig || dig - p > 10 || (p > data && is_regular(p[-1])))
		return false;
	for (; p < dig; p++)
		n = n * 10 + (uint64_t)(*p - '0');
	if (n > UINT32_MAX)
		return false;
	*num = (uint32_t)n;
	return true;
}

static enum dlp_status
add_entry(struct pdf_doc *d, const struct pdf_ent *e)
{
	struct pdf_ent *ne;
	size_t cap, sz;

	if (d->n >= PDF_MAX_OBJECTS) {
		if (d->why == NULL) {
			d->why = "limit";
			d->detail = "PDF objects (PDF_MAX_OBJECTS)";
		}
		return DLP_OK;
	}
	if (d->n == d->cap) {
		cap = d->cap == 0 ? 64 : d->cap * 2;
		if (!dlp_mul_ok(cap, sizeof(*ne), &sz) ||
		    (ne = dlp_realloc(d->x->mem, d->ent, sz)) == NULL)
			return DLP_ERR_NOMEM;
		d->ent = ne;
		d->cap = cap;
	}
	d->ent[d->n++] = *e;
	return DLP_OK;
}

static int
ent_cmp(const void *a, const void *b)
{
	const struct pdf_ent *x = a, *y = b;

	if (x->num != y->num)
		return x->num < y->num ? -1 : 1;
	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	if (x->src != y->src)
		return x->src < y->src ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

static void
sort_entries(struct pdf_doc *d)
{
	if (d->n > 1)
		qsort(d->ent, d->n, sizeof(*d->ent), ent_cmp);
	d->nsorted = d->n;
}

/* Where a stream's data ends, from start s: by /Length, or "endstream". */
static size_t
stream_len(const struct pdf_val *dict, const uint8_t *s, const uint8_t *end)
{
	struct pdf_val l;
	const uint8_t *q;

	if (dict_raw(dict, "Length", &l) && l.type == PDF_NUM && !l.real &&
	    l.i >= 0 && (uint64_t)l.i <= (uint64_t)(end - s)) {
		q = s + l.i;
		while (q < end && is_ws(*q))
			q++;
		if (end - q >= 9 && memcmp(q, "endstream", 9) == 0)
			return (size_t)l.i;
	}
	if ((q = find(s, end, "endstream")) == NULL)
		return (size_t)(end - s);
	if (q > s && q[-1] == '\n')
		q--;
	if (q > s && q[-1] == '\r')
		q--;
	return (size_t)(q - s);
}

static enum dlp_status
scan_file(struct pdf_doc *d)
{
	const uint8_t *p = d->data, *end = d->data + d->len, *q, *v0, *r, *s;
	struct pdf_val v;
	struct pdf_ent e;
	enum dlp_status st;
	uint32_t num;

	while (d->why == NULL && (q = find(p, end, "obj")) != NULL) {
		p = q + 3;
		if ((p < end && is_regular(*p)) ||
		    !obj_header(d->data, q, &num))
			continue;
		v0 = skip_ws(p, end);
		if (!lex(&p, end, &v))
			continue;
		memset(&e, 0, sizeof(e));
		e.num = num;
		e.off = (size_t)(v0 - d->data);
		e.end = (size_t)(p - d->data);
		e.order = (size_t)(q - d->data);
		e.sdata = SIZE_MAX;
		r = skip_ws(p, end);
		if (v.type == PDF_DICT && end - r >= 6 &&
		    memcmp(r, "stream", 6) == 0) {
			s = r + 6;
			if (s < end && *s == '\r')
				s++;
			if (s < end && *s == '\n')
				s++;
			e.sdata = (size_t)(s - d->data);
			e.slen = stream_len(&v, s, end);
			p = s + e.slen;
		}
		if ((st = add_entry(d, &e)) != DLP_OK)
			return st;
	}
	return DLP_OK;
}

/* Index the objects of the object stream v (entry i). */
static enum dlp_status
open_objstm(struct pdf_doc *d, size_t i, const struct pdf_val *v)
{
	struct dlp_buf *b, *nb;
	struct pdf_val nv, fv, a, o, na, no;
	struct pdf_ent e;
	const uint8_t *p, *hend, *q;
	const char *why, *detail;
	enum dlp_status st;
	size_t sz, first, off, next;
	int64_t k;

	if (!pdf_dict_get(d, v, "N", &nv) ||
	    !pdf_dict_get(d, v, "First", &fv) || nv.type != PDF_NUM ||
	    fv.type != PDF_NUM || nv.i <= 0 || fv.i < 0)
		return DLP_OK;
	if (d->nstm >= PDF_MAX_OBJSTMS) {
		d->why = "limit";
		d->detail = "PDF object streams (PDF_MAX_OBJSTMS)";
		return DLP_OK;
	}
	if (!dlp_mul_ok(d->nstm + 1, sizeof(*nb), &sz) ||
	    (nb = dlp_realloc(d->x->mem, d->stm, sz)) == NULL)
		return DLP_ERR_NOMEM;
	d->stm = nb;
	b = &d->stm[d->nstm];
	dlp_buf_init(b, d->x->mem);
	d->nstm++;
	if ((st = pdf_stream(d, v, b, &why, &detail)) != DLP_OK)
		return st;
	if (why != NULL) {
		if (strcmp(why, "limit") == 0) {
			d->why = why;
			d->detail = detail;
		} else if (d->stm_why == NULL) {
			d->stm_why = why;
			d->stm_detail = detail;
		}
		return DLP_OK;
	}
	if (b->len == 0) /* nothing to index, and b->p may be NULL */
		return DLP_OK;
	first = (uint64_t)fv.i < b->len ? (size_t)fv.i : b->len;
	p = b->p;
	hend = b->p + first;
	for (k = 0; k < nv.i && d->why == NULL; k++) {
		if (!lex(&p, hend, &a) || !lex(&p, hend, &o) ||
		    a.type != PDF_NUM || o.type != PDF_NUM || a.real ||
		    o.real || a.i < 0 || a.i > UINT32_MAX || o.i < 0 ||
		    (uint64_t)o.i >= b->len - first)
			break;
		off = first + (size_t)o.i;
		/* the object ends where the next one starts */
		next = b->len;
		q = p;
		if (lex(&q, hend, &na) && lex(&q, hend, &no) &&
		    no.type == PDF_NUM && no.i >= 0 &&
		    (uint64_t)no.i < b->len - first &&
		    first + (size_t)no.i > off)
			next = first + (size_t)no.i;
		memset(&e, 0, sizeof(e));
		e.num = (uint32_t)a.i;
		e.src = (uint32_t)d->nstm;
		e.off = off;
		e.end = next;
		e.sdata = SIZE_MAX;
		e.order = d->ent[i].order;
		if ((st = add_entry(d, &e)) != DLP_OK)
			return st;
	}
	return DLP_OK;
}

enum dlp_status
pdf_doc_open(
    struct pdf_doc *d, struct dlp_xctx *x, const uint8_t *data, size_t len)
{
	struct dlp_budget *bud = x->sink->budget;
	struct pdf_val v, t;
	enum dlp_status st;
	size_t i, n0;

	memset(d, 0, sizeof(*d));
	d->x = x;
	d->data = data;
	d->len = len;
	if ((st = scan_file(d)) != DLP_OK)
		return st;
	sort_entries(d);
	n0 = d->n;
	for (i = 0; i < n0 && st == DLP_OK && d->why == NULL; i++) {
		if ((i + 1 < n0 && d->ent[i + 1].num == d->ent[i].num) ||
		    d->ent[i].sdata == SIZE_MAX || !pdf_entry_val(d, i, &v) ||
		    !dict_raw(&v, "Type", &t) || !pdf_is_name(&t, "ObjStm"))
			continue;
		if (bud != NULL && dlp_budget_expired(bud)) {
			d->why = "limit";
			d->detail = "scan time";
			break;
		}
		st = open_objstm(d, i, &v);
	}
	sort_entries(d);
	return st;
}

void
pdf_doc_close(struct pdf_doc *d)
{
	size_t i;

	for (i = 0; i < d->nstm; i++)
		dlp_buf_fini(&d->stm[i]);
	dlp_free(d->x->mem, d->stm);
	dlp_free(d->x->mem, d->ent);
	d->stm = NULL;
	d->ent = NULL;
	d->n = d->nstm = d->nsorted = 0;
}

enum dlp_status
pdf_each_dict(struct pdf_doc *d, pdf_dict_fn fn, void *ctx)
{
	struct dlp_budget *bud = d->x->sink->budget;
	struct pdf_iter stack[PDF_MAX_DEPTH];
	struct pdf_val v;
	enum dlp_status st;
	size_t i, sp;

	for (i = 0; i < d->n; i++) {
		if (i % 256 == 255 && bud != NULL && dlp_budget_expired(bud)) {
			if (d->why == NULL) {
				d->why = "limit";
				d->detail = "scan time";
			}
			break;
		}
		if (!pdf_entry_current(d, i) || !pdf_entry_val(d, i, &v))
			continue;
		if (v.type == PDF_DICT && (st = fn(ctx, d, i, &v)) != DLP_OK)
			return st;
		if (v.type != PDF_DICT && v.type != PDF_ARRAY)
			continue;
		pdf_iter_init(&stack[0], &v);
		sp = 1;
		while (sp > 0) {
			if (!pdf_iter_next(&stack[sp - 1], &v)) {
				sp--;
				continue;
			}
			if (v.type == PDF_DICT &&
			    (st = fn(ctx, d, i, &v)) != DLP_OK)
				return st;
			if ((v.type == PDF_DICT || v.type == PDF_ARRAY) &&
			    sp < PDF_MAX_DEPTH)
				pdf_iter_init(&stack[sp++], &v);
		}
	}
	return DLP_OK;
}
