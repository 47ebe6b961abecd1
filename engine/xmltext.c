/*
 * xmltext.c - the XML tokenizer shared by the OOXML and ODF extractors,
 * and the zip package walker they read their parts with.
 *
 * Trusts nothing in the input: one linear pass, nesting bounded by
 * DLP_XML_MAX_DEPTH, no DTD processing (entity declarations are skipped,
 * never expanded). Truncated markup stops the pass with "malformed"; the
 * text seen before it has already been reported.
 *
 * The walker reads zips through libarchive from memory, accepting only
 * ARCHIVE_OK; each entry is inflated in chunks that are charged to the
 * message budget, and stopped at the per-entry limit ("limit").
 */
#include <archive.h>
#include <archive_entry.h>
#include <string.h>

#include "html.h"
#include "xmltext.h"

static bool
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Find needle in p[0..len) from i; returns index or len. */
static size_t
find(const char *p, size_t len, size_t i, const char *needle)
{
	size_t nl = strlen(needle);
	const char *q;

	while (i < len) {
		q = memchr(p + i, needle[0], len - i);
		if (q == NULL)
			return len;
		i = (size_t)(q - p);
		if (len - i >= nl && memcmp(q, needle, nl) == 0)
			return i;
		i++;
	}
	return len;
}

/* End of a tag starting at i ('<'), honouring quotes; len if none. */
static size_t
tag_end(const char *p, size_t len, size_t i)
{
	char quote = 0;

	for (; i < len; i++) {
		if (quote != 0) {
			if (p[i] == quote)
				quote = 0;
		} else if (p[i] == '"' || p[i] == '\'') {
			quote = p[i];
		} else if (p[i] == '>') {
			return i;
		}
	}
	return len;
}

/* End of <!DOCTYPE ...> with an optional [internal subset]. */
static size_t
doctype_end(const char *p, size_t len, size_t i)
{
	char quote = 0;
	int bracket = 0;

	for (; i < len; i++) {
		if (quote != 0) {
			if (p[i] == quote)
				quote = 0;
		} else if (p[i] == '"' || p[i] == '\'') {
			quote = p[i];
		} else if (p[i] == '[') {
			bracket++;
		} else if (p[i] == ']' && bracket > 0) {
			bracket--;
		} else if (p[i] == '>' && bracket == 0) {
			return i;
		}
	}
	return len;
}

enum dlp_status
dlp_xml_parse(const uint8_t *in, size_t len, const struct dlp_xml_handler *h,
    const char **bad)
{
	const char *p = (const char *)in;
	size_t i = 0, j, e, n0, n1, depth = 0;
	enum dlp_status st = DLP_OK;
	const char *lt;
	bool empty;

	*bad = NULL;
	while (i < len) {
		lt = memchr(p + i, '<', len - i);
		j = lt != NULL ? (size_t)(lt - p) : len;
		if (j > i && depth > 0 && h->text != NULL &&
		    (st = h->text(h->ctx, p + i, j - i, false)) != DLP_OK)
			return st;
		if (j >= len)
			break;
		i = j;
		if (len - i >= 4 && memcmp(p + i, "<!--", 4) == 0) {
			e = find(p, len, i + 4, "-->");
			if (e >= len)
				goto malformed;
			i = e + 3;
		} else if (len - i >= 9 && memcmp(p + i, "<![CDATA[", 9) == 0) {
			e = find(p, len, i + 9, "]]>");
			if (e >= len)
				goto malformed;
			if (depth > 0 && h->text != NULL &&
			    (st = h->text(
			         h->ctx, p + i + 9, e - i - 9, true)) != DLP_OK)
				return st;
			i = e + 3;
		} else if (len - i >= 2 && p[i + 1] == '?') {
			e = find(p, len, i + 2, "?>");
			if (e >= len)
				goto malformed;
			i = e + 2;
		} else if (len - i >= 2 && p[i + 1] == '!') {
			e = doctype_end(p, len, i + 2);
			if (e >= len)
				goto malformed;
			i = e + 1;
		} else if (len - i >= 2 && p[i + 1] == '/') {
			e = tag_end(p, len, i + 2);
			if (e >= len)
				goto malformed;
			n0 = i + 2;
			for (n1 = n0; n1 < e && !is_space(p[n1]); n1++)
				;
			if (depth > 0)
				depth--;
			if (h->end != NULL &&
			    (st = h->end(h->ctx, p + n0, n1 - n0)) != DLP_OK)
				return st;
			i = e + 1;
		} else {
			e = tag_end(p, len, i + 1);
			if (e >= len)
				goto malformed;
			empty = e > i + 1 && p[e - 1] == '/';
			n0 = i + 1;
			for (n1 = n0;
			     n1 < e && !is_space(p[n1]) && p[n1] != '/'; n1++)
				;
			if (n1 == n0) {
				/* "<" followed by junk: treat as text. */
				i++;
				continue;
			}
			if (h->start != NULL &&
			    (st = h->start(h->ctx, p + n0, n1 - n0, p + n1,
			         (empty ? e - 1 : e) - n1, empty)) != DLP_OK)
				return st;
			if (empty) {
				if (h->end != NULL &&
				    (st = h->end(h->ctx, p + n0, n1 - n0)) !=
				        DLP_OK)
					return st;
			} else if (++depth > DLP_XML_MAX_DEPTH) {
				*bad = "limit";
				return DLP_OK;
			}
			i = e + 1;
		}
	}
	return DLP_OK;
malformed:
	*bad = "malformed";
	return DLP_OK;
}

const char *
dlp_xml_local(const char *name, size_t nlen, size_t *llen)
{
	const char *c = memchr(name, ':', nlen);

	if (c == NULL) {
		*llen = nlen;
		return name;
	}
	*llen = nlen - (size_t)(c + 1 - name);
	return c + 1;
}

bool
dlp_xml_attr_next(const char *a, size_t alen, size_t *pos, const char **name,
    size_t *nlen, const char **val, size_t *vlen)
{
	size_t i = *pos, n0;
	char q;

	for (;;) {
		while (i < alen && is_space(a[i]))
			i++;
		if (i >= alen)
			break;
		n0 = i;
		while (i < alen && !is_space(a[i]) && a[i] != '=')
			i++;
		*name = a + n0;
		*nlen = i - n0;
		while (i < alen && is_space(a[i]))
			i++;
		if (i >= alen || a[i] != '=') {
			if (*nlen == 0)
				i++;
			continue; /* attribute without value: skip */
		}
		i++;
		while (i < alen && is_space(a[i]))
			i++;
		if (i >= alen)
			break;
		if (a[i] == '"' || a[i] == '\'') {
			q = a[i++];
			n0 = i;
			while (i < alen && a[i] != q)
				i++;
			*val = a + n0;
			*vlen = i - n0;
			if (i < alen)
				i++;
		} else {
			n0 = i;
			while (i < alen && !is_space(a[i]))
				i++;
			*val = a + n0;
			*vlen = i - n0;
		}
		*pos = i;
		return true;
	}
	*pos = alen;
	return false;
}

bool
dlp_xml_attr_get(const char *attrs, size_t alen, const char *name,
    const char **val, size_t *vlen)
{
	size_t pos = 0, nl, want = strlen(name);
	const char *n;

	while (dlp_xml_attr_next(attrs, alen, &pos, &n, &nl, val, vlen)) {
		if ((nl == want && memcmp(n, name, nl) == 0) ||
		    (strchr(name, ':') == NULL && dlp_xml_is(n, nl, name)))
			return true;
	}
	return false;
}

/* XML's own references (XML 1.0 4.1, 4.6): five names and numeric. */
static bool
put_ref(struct dlp_buf *out, const char *r, size_t rl)
{
	static const struct {
		const char *name;
		char c;
	} named[] = {{"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'},
	    {"apos", '\''}};
	uint32_t cp = 0;
	size_t i, k;
	int d;

	for (k = 0; k < DLP_NITEMS(named); k++)
		if (rl == strlen(named[k].name) &&
		    memcmp(r, named[k].name, rl) == 0)
			return dlp_buf_putc(out, named[k].c);
	if (rl >= 2 && r[0] == '#') {
		bool hex = r[1] == 'x' || r[1] == 'X';
		for (i = hex ? 2 : 1; i < rl; i++) {
			if (r[i] >= '0' && r[i] <= '9')
				d = r[i] - '0';
			else if (hex && r[i] >= 'a' && r[i] <= 'f')
				d = r[i] - 'a' + 10;
			else if (hex && r[i] >= 'A' && r[i] <= 'F')
				d = r[i] - 'A' + 10;
			else
				break;
			cp = cp * (hex ? 16 : 10) + (uint32_t)d;
			if (cp > 0x10ffff)
				break;
		}
		if (i == rl && i > (hex ? 2u : 1u))
			return dlp_buf_put_utf8(out, cp);
	}
	/* unknown (e.g. HTML named) references: HTML's decoder */
	return dlp_html_decode_entities((const uint8_t *)r - 1, rl + 2, out);
}

bool
dlp_xml_put_text(struct dlp_buf *out, const char *p, size_t len, bool cdata)
{
	const char *amp, *semi, *end = p + len;

	if (cdata)
		return dlp_buf_append(out, p, len);
	while (p < end) {
		amp = memchr(p, '&', (size_t)(end - p));
		if (amp == NULL)
			return dlp_buf_append(out, p, (size_t)(end - p));
		if (!dlp_buf_append(out, p, (size_t)(amp - p)))
			return false;
		semi = memchr(amp, ';',
		    (size_t)(end - amp) < 12 ? (size_t)(end - amp) : 12);
		if (semi == NULL) {
			if (!dlp_buf_putc(out, '&'))
				return false;
			p = amp + 1;
			continue;
		}
		if (!put_ref(out, amp + 1, (size_t)(semi - amp - 1)))
			return false;
		p = semi + 1;
	}
	return true;
}

bool
dlp_pkg_where(struct dlp_buf *b, const char *where, const char *name)
{
	dlp_buf_reset(b);
	return dlp_buf_puts(b, where) && dlp_buf_putc(b, '/') &&
	       dlp_buf_puts(b, name);
}

/* Report an unreadable entry (or the whole package when name is NULL). */
static enum dlp_status
pkg_unscanned(struct dlp_xctx *x, struct dlp_buf *wb, const char *where,
    const char *name, const char *why, const char *detail)
{
	if (name == NULL)
		return x->sink->unscanned(x->sink->ctx, where, why, detail);
	if (!dlp_pkg_where(wb, where, name))
		return DLP_ERR_NOMEM;
	return x->sink->unscanned(
	    x->sink->ctx, (const char *)wb->p, why, detail);
}

enum dlp_status
dlp_pkg_walk(struct dlp_xctx *x, const char *where, const uint8_t *data,
    size_t len, const struct dlp_pkg_handler *h)
{
	struct archive *a = NULL;
	struct archive_entry *ent;
	struct dlp_buf part, wb;
	struct dlp_budget *bud = x->sink->budget;
	size_t max_entry = x->lim != NULL ? x->lim->max_entry_bytes : 0;
	enum dlp_status st = DLP_OK;
	const char *name, *why;
	la_ssize_t got;
	int r;

	dlp_buf_init(&part, x->mem);
	dlp_buf_init(&wb, x->mem);
	if (max_entry == 0 && bud != NULL && bud->limits != NULL)
		max_entry = bud->limits->max_entry_bytes;
	if ((a = archive_read_new()) == NULL) {
		st = DLP_ERR_NOMEM;
		goto out;
	}
	if (archive_read_support_format_zip(a) != ARCHIVE_OK ||
	    archive_read_open_memory(a, data, len) != ARCHIVE_OK) {
		st = x->sink->unscanned(
		    x->sink->ctx, where, "malformed", archive_error_string(a));
		goto out;
	}
	for (;;) {
		r = archive_read_next_header(a, &ent);
		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK) {
			st = x->sink->unscanned(x->sink->ctx, where,
			    "malformed", archive_error_string(a));
			goto out;
		}
		if (bud != NULL && dlp_budget_expired(bud)) {
			st = x->sink->unscanned(
			    x->sink->ctx, where, "limit", "scan time");
			goto out;
		}
		name = archive_entry_pathname(ent);
		if (name == NULL || archive_entry_filetype(ent) != AE_IFREG ||
		    h->want(h->ctx, name) != DLP_PKG_READ)
			continue;
		if (archive_entry_is_encrypted(ent)) {
			if ((st = pkg_unscanned(x, &wb, where, name,
			         "encrypted", "zip entry")) != DLP_OK)
				goto out;
			continue;
		}
		dlp_buf_reset(&part);
		why = NULL;
		for (;;) {
			if (!dlp_buf_reserve(&part, 65536)) {
				st = DLP_ERR_NOMEM;
				goto out;
			}
			got = archive_read_data(a, part.p + part.len, 65536);
			if (got == 0)
				break;
			if (got < 0) {
				why = "malformed";
				break;
			}
			if ((max_entry != 0 &&
			        part.len + (size_t)got > max_entry) ||
			    (bud != NULL &&
			        !dlp_budget_take(bud, (size_t)got))) {
				why = "limit";
				break;
			}
			part.len += (size_t)got;
			part.p[part.len] = '\0';
		}
		if (why != NULL) {
			if ((st = pkg_unscanned(x, &wb, where, name, why,
			         why[0] == 'l' ? "entry size or budget"
			                       : archive_error_string(a))) !=
			    DLP_OK)
				goto out;
			if (why[0] == 'm')
				goto out; /* the stream is unusable now */
			continue;
		}
		if ((st = h->part(h->ctx, name, part.p, part.len)) != DLP_OK)
			goto out;
	}
out:
	if (a != NULL)
		archive_read_free(a);
	dlp_buf_fini(&part);
	dlp_buf_fini(&wb);
	return st;
}
