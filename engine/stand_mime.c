/*
 * stand_mime.c - first-cut message reading: the RFC 5322 header block
 * (unfolded) and a single text/plain body. Any other structure is
 * reported unscanned ("unsupported"), so it is held, never allowed.
 * Also the plain pass-through charset and the minimal normaliser.
 *
 * Trust: hostile bytes; every scan is bounded by len.
 * Limits: header fields over max_header_bytes are truncated and reported.
 * This file is replaced by mime.c, charset.c and normalise.c.
 */
#include <stdio.h>
#include <string.h>

#include "charset.h"
#include "extract.h"
#include "mime.h"
#include "normalise.h"

struct hdr {
	const char *name, *value;
	size_t nlen, vlen;
};

struct dlp_mime {
	const struct dlp_mem *mem;
	const struct dlp_limits *lim;
	struct hdr *h;
	size_t nh;
	char *unfolded; /* all values, unfolded, one after another */
	const uint8_t *body;
	size_t blen;
	bool no_split, truncated_header;
};

enum dlp_status
dlp_mime_parse(const struct dlp_mem *mem, const struct dlp_limits *lim,
    const uint8_t *msg, size_t len, struct dlp_mime **out)
{
	struct dlp_mime *m;
	size_t i = 0, cap = 0, uo = 0;

	*out = NULL;
	if ((m = dlp_calloc(mem, 1, sizeof(*m))) == NULL)
		return DLP_ERR_NOMEM;
	m->mem = mem;
	m->lim = lim;
	if ((m->unfolded = dlp_malloc(mem, len + 1)) == NULL)
		goto nomem;
	/* An mbox "From " line is not a header. */
	if (len >= 5 && memcmp(msg, "From ", 5) == 0) {
		while (i < len && msg[i] != '\n')
			i++;
		i += i < len;
	}
	while (i < len) {
		size_t s = i, colon;
		struct hdr *h;

		if (msg[i] == '\n' ||
		    (msg[i] == '\r' && i + 1 < len && msg[i + 1] == '\n')) {
			i += msg[i] == '\r' ? 2 : 1;
			break; /* the blank line */
		}
		while (i < len && msg[i] != ':' && msg[i] != '\n' &&
		       msg[i] != ' ' && msg[i] != '\t')
			i++;
		if (i >= len || msg[i] != ':' || i == s) {
			/* Not a header line: the body starts here. */
			i = s;
			if (m->nh == 0)
				m->no_split = true;
			break;
		}
		colon = i++;
		if (m->nh == cap) {
			size_t ncap = cap ? cap * 2 : 32, sz;
			struct hdr *nh;

			if (!dlp_mul_ok(ncap, sizeof(*nh), &sz) ||
			    (nh = dlp_realloc(mem, m->h, sz)) == NULL)
				goto nomem;
			m->h = nh;
			cap = ncap;
		}
		h = &m->h[m->nh++];
		h->name = (const char *)msg + s;
		h->nlen = colon - s;
		while (i < len && (msg[i] == ' ' || msg[i] == '\t'))
			i++;
		h->value = m->unfolded + uo;
		for (;;) {
			while (i < len && msg[i] != '\n') {
				if (msg[i] != '\r' &&
				    (size_t)(m->unfolded + uo - h->value) <
				        lim->max_header_bytes)
					m->unfolded[uo++] = (char)msg[i];
				else if (msg[i] != '\r')
					m->truncated_header = true;
				i++;
			}
			i += i < len;
			if (i < len && (msg[i] == ' ' || msg[i] == '\t'))
				continue; /* a folded line: CRLF removed */
			break;
		}
		h->vlen = (size_t)(m->unfolded + uo - h->value);
	}
	m->body = msg + i;
	m->blen = len - i;
	*out = m;
	return DLP_OK;
nomem:
	dlp_mime_free(m);
	return DLP_ERR_NOMEM;
}

void
dlp_mime_free(struct dlp_mime *m)
{
	if (m == NULL)
		return;
	dlp_free(m->mem, m->h);
	dlp_free(m->mem, m->unfolded);
	dlp_free(m->mem, m);
}

bool
dlp_mime_header(const struct dlp_mime *m, const char *name, size_t idx,
    const char **val, size_t *len)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < m->nh; i++)
		if (m->h[i].nlen == n && dlp_memcaseeq(m->h[i].name, name, n) &&
		    idx-- == 0) {
			*val = m->h[i].value;
			*len = m->h[i].vlen;
			return true;
		}
	return false;
}

/* Strip RE:/FW:/Fwd: chains from the front of a subject. */
static void
strip_prefixes(const char **s, size_t *n)
{
	static const char *const pre[] = {
	    "re:", "fw:", "fwd:", "aw:", "wg:", "tr:", "sv:", "rv:"};
	bool again = true;

	while (again) {
		again = false;
		while (*n > 0 && (**s == ' ' || **s == '\t'))
			(*s)++, (*n)--;
		for (size_t i = 0; i < DLP_NITEMS(pre); i++) {
			size_t l = strlen(pre[i]);

			if (*n >= l && dlp_memcaseeq(*s, pre[i], l)) {
				*s += l, *n -= l;
				again = true;
			}
		}
	}
}

static bool
is_plain_text(const struct dlp_mime *m)
{
	const char *v;
	size_t n;

	if (dlp_mime_header(m, "Content-Transfer-Encoding", 0, &v, &n)) {
		while (n > 0 && v[n - 1] == ' ')
			n--;
		if (!((n == 4 && dlp_memcaseeq(v, "7bit", 4)) ||
		        (n == 4 && dlp_memcaseeq(v, "8bit", 4)) ||
		        (n == 6 && dlp_memcaseeq(v, "binary", 6))))
			return false;
	}
	if (!dlp_mime_header(m, "Content-Type", 0, &v, &n))
		return true;
	while (n > 0 && (*v == ' ' || *v == '\t'))
		v++, n--;
	return n >= 10 && dlp_memcaseeq(v, "text/plain", 10) &&
	       (n == 10 || v[10] == ';' || v[10] == ' ');
}

enum dlp_status
dlp_mime_emit(const struct dlp_mime *m, struct dlp_charset *cs,
    const struct dlp_sink *sink, const char *prefix, unsigned depth)
{
	struct dlp_buf b, where;
	enum dlp_status st = DLP_OK;

	(void)cs;
	(void)depth;
	dlp_buf_init(&b, m->mem);
	dlp_buf_init(&where, m->mem);
	for (size_t i = 0; i < m->nh && st == DLP_OK; i++) {
		const struct hdr *h = &m->h[i];
		char name[128];

		snprintf(name, sizeof(name), "%.*s",
		    (int)(h->nlen < 100 ? h->nlen : 100), h->name);
		dlp_buf_reset(&b);
		dlp_buf_reset(&where);
		if (!dlp_buf_printf(&b, "%s: ", name) ||
		    !dlp_buf_append(&b, h->value, h->vlen) ||
		    !dlp_buf_printf(&where, "%sheader:%s", prefix, name)) {
			st = DLP_ERR_NOMEM;
			break;
		}
		st = sink->text(sink->ctx, DLP_SCOPE_HEADERS,
		    (const char *)where.p, name, (const char *)b.p, b.len);
		if (st == DLP_OK && h->nlen == 7 &&
		    dlp_memcaseeq(h->name, "Subject", 7)) {
			const char *s = h->value;
			size_t n = h->vlen;

			strip_prefixes(&s, &n);
			dlp_buf_reset(&where);
			if (!dlp_buf_printf(&where, "%ssubject", prefix))
				st = DLP_ERR_NOMEM;
			else
				st = sink->text(sink->ctx, DLP_SCOPE_SUBJECT,
				    (const char *)where.p, NULL, s, n);
		}
	}
	if (st == DLP_OK && m->truncated_header)
		st = sink->unscanned(sink->ctx, "headers", "limit",
		    "header field longer than max_header_bytes");
	if (st == DLP_OK) {
		dlp_buf_reset(&where);
		if (!dlp_buf_printf(&where, "%sbody", prefix))
			st = DLP_ERR_NOMEM;
	}
	if (st == DLP_OK && m->nh == 0 && m->blen == 0)
		st = sink->unscanned(
		    sink->ctx, "message", "malformed", "empty message");
	else if (st == DLP_OK && m->no_split)
		st = sink->unscanned(sink->ctx, "message", "malformed",
		    "no header block: not an RFC 5322 message");
	if (st == DLP_OK && m->blen > 0) {
		if (is_plain_text(m))
			st = sink->text(sink->ctx, DLP_SCOPE_BODY,
			    (const char *)where.p, NULL, (const char *)m->body,
			    m->blen);
		else
			st = sink->unscanned(sink->ctx, (const char *)where.p,
			    "unsupported",
			    "MIME structure or encoding not read yet");
	}
	dlp_buf_fini(&b);
	dlp_buf_fini(&where);
	return st;
}

struct dlp_charset {
	const struct dlp_mem *mem;
};

enum dlp_status
dlp_charset_new(const struct dlp_mem *mem, struct dlp_charset **out)
{
	if ((*out = dlp_calloc(mem, 1, sizeof(**out))) == NULL)
		return DLP_ERR_NOMEM;
	(*out)->mem = mem;
	return DLP_OK;
}

void
dlp_charset_free(struct dlp_charset *cs)
{
	if (cs != NULL)
		dlp_free(cs->mem, cs);
}

void
dlp_norm_init(struct dlp_norm *n, const struct dlp_mem *mem)
{
	dlp_buf_init(&n->text, mem);
	n->map = NULL;
	n->mapcap = 0;
}

void
dlp_norm_fini(struct dlp_norm *n)
{
	dlp_free(n->text.mem, n->map);
	dlp_buf_fini(&n->text);
}

bool
dlp_normalise(struct dlp_norm *n, const uint8_t *in, size_t len)
{
	size_t need;

	dlp_buf_reset(&n->text);
	if (len >= ((size_t)1 << 32) - 1 || !dlp_buf_reserve(&n->text, len) ||
	    !dlp_add_ok(len, 1, &need))
		return false;
	if (need > n->mapcap) {
		uint32_t *nm;
		size_t sz;

		if (!dlp_mul_ok(need, sizeof(*nm), &sz) ||
		    (nm = dlp_realloc(n->text.mem, n->map, sz)) == NULL)
			return false;
		n->map = nm;
		n->mapcap = need;
	}
	for (size_t i = 0; i < len; i++) {
		uint8_t c = in[i];

		if (c == '\r') {
			if (i + 1 < len && in[i + 1] == '\n')
				continue;
			c = '\n';
		}
		if (c == '\t')
			c = ' ';
		if (c == ' ' && n->text.len > 0 &&
		    n->text.p[n->text.len - 1] == ' ')
			continue;
		n->map[n->text.len] = (uint32_t)i;
		n->text.p[n->text.len++] = c;
	}
	n->map[n->text.len] = (uint32_t)len;
	n->text.p[n->text.len] = '\0';
	return true;
}
