/*
 * mime.c - the lenient, zero-copy RFC 5322 / MIME parser: header blocks,
 * the multipart tree, Content-Type parameters (RFC 2045, RFC 2231).
 *
 * Trusts nothing in the message. It repairs what mail clients repair
 * (bare LF, a leading mbox "From " line, a header block not ended by a
 * blank line, missing closing boundaries, boundary lines with trailing
 * white space, NUL bytes) and records in m->notes what it could not read
 * (depth and part limits, header fields truncated at max_header_bytes),
 * which dlp_mime_emit() reports as unscanned.
 *
 * One pass over the message: each line is looked at once, and only lines
 * starting with "--" are compared with the open boundaries (at most
 * max_depth of them), so the cost is O(len * min(depth, max_depth)) in
 * the worst case and O(len) in practice. Memory is the part and header
 * tables plus unfolded copies of folded header fields, bounded by a
 * small multiple of the message size. Only DLP_ERR_NOMEM and
 * DLP_ERR_INVAL are returned.
 */
#include <stdio.h>
#include <string.h>

#include "mime_int.h"

static bool
is_wsp(int c)
{
	return c == ' ' || c == '\t';
}

/*
 * The line starting at pos: returns its end (the CR of a CRLF, or the LF,
 * or len), *next the start of the following line.
 */
static size_t
line_at(const uint8_t *p, size_t len, size_t pos, size_t *next)
{
	const uint8_t *nl = memchr(p + pos, '\n', len - pos);
	size_t e;

	if (nl == NULL) {
		*next = len;
		return len;
	}
	e = (size_t)(nl - p);
	*next = e + 1;
	if (e > pos && p[e - 1] == '\r')
		e--;
	return e;
}

static bool
grow(const struct dlp_mem *mem, void **v, size_t *cap, size_t n, size_t size)
{
	size_t ncap, bytes;
	void *nv;

	if (n < *cap)
		return true;
	ncap = *cap ? *cap : 16;
	while (ncap <= n)
		if (!dlp_mul_ok(ncap, 2, &ncap))
			return false;
	if (!dlp_mul_ok(ncap, size, &bytes))
		return false;
	if ((nv = dlp_realloc(mem, *v, bytes)) == NULL)
		return false;
	*v = nv;
	*cap = ncap;
	return true;
}

static bool
note(struct dlp_mime *m, size_t part, const char *why, const char *detail)
{
	struct dlp_mnote *n;

	if (!grow(m->mem, (void **)&m->notes, &m->ncap, m->nnotes,
	        sizeof(*m->notes)))
		return false;
	n = &m->notes[m->nnotes++];
	n->part = part;
	n->why = why;
	snprintf(n->detail, sizeof(n->detail), "%s", detail);
	return true;
}

/*
 * Room for one more header entry? false with *ok = true when the field
 * cap is reached (noted once, the line is dropped); *ok = false on OOM.
 */
static bool
field_room(struct dlp_mime *m, size_t part, bool *ok)
{
	char d[96];

	*ok = true;
	if (m->nhdrs >= DLP_MIME_MAX_FIELDS) {
		if (!m->fields_full) {
			m->fields_full = true;
			snprintf(d, sizeof(d),
			    "more than %d header fields: the rest not read",
			    DLP_MIME_MAX_FIELDS);
			*ok = note(m, part, "limit", d);
		}
		return false;
	}
	if (!grow(m->mem, (void **)&m->hdrs, &m->hcap, m->nhdrs,
	        sizeof(*m->hdrs))) {
		*ok = false;
		return false;
	}
	return true;
}

/* A header field name: printable, no space, no colon. */
static size_t
name_len(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] <= ' ' || p[i] == ':' || p[i] == 0x7f)
			break;
	return i;
}

/*
 * Store header [ls, vend) whose name is [ls, ls + nl) and whose value
 * starts at vs; unfold when it spans lines; truncate at max_header_bytes.
 */
static bool
add_header(struct dlp_mime *m, size_t part, size_t ls, size_t nl, size_t vs,
    size_t vend, bool folded)
{
	const uint8_t *p = m->msg;
	struct dlp_mhdr *h;
	size_t i, o, max = m->lim->max_header_bytes;
	bool ok;

	if (!field_room(m, part, &ok))
		return ok;
	h = &m->hdrs[m->nhdrs];
	memset(h, 0, sizeof(*h));
	h->name = p + ls;
	h->nlen = nl;
	while (vs < vend && is_wsp(p[vs]))
		vs++;
	if (vend - vs > max) {
		char d[120];

		snprintf(d, sizeof(d), "header %.*s truncated at %zu bytes",
		    (int)(nl > 40 ? 40 : nl), (const char *)h->name, max);
		if (!note(m, part, "limit", d))
			return false;
		vend = vs + max;
	}
	if (folded) {
		/* Unfold: every CR and LF goes, copied a run at a time. */
		if ((h->own = dlp_malloc(m->mem, vend - vs + 1)) == NULL)
			return false;
		for (i = vs, o = 0; i < vend;) {
			const uint8_t *lf = memchr(p + i, '\n', vend - i), *cr;
			size_t e = lf != NULL ? (size_t)(lf - p) : vend, f;

			while (i < e) {
				cr = memchr(p + i, '\r', e - i);
				f = cr != NULL ? (size_t)(cr - p) : e;
				memcpy(h->own + o, p + i, f - i);
				o += f - i;
				i = cr != NULL ? f + 1 : e;
			}
			i = lf != NULL ? e + 1 : vend;
		}
		h->own[o] = '\0';
		h->val = h->own;
		h->vlen = o;
	} else {
		h->val = p + vs;
		h->vlen = vend - vs;
	}
	while (h->vlen > 0 &&
	       (is_wsp(h->val[h->vlen - 1]) || h->val[h->vlen - 1] == '\r'))
		h->vlen--;
	m->nhdrs++;
	return true;
}

/*
 * Read the header block at pos for part; returns the body start. Ends at
 * a blank line (consumed), or at the first line that is not a header
 * field or continuation (kept as body).
 */
struct pending {
	size_t ls, nl, vs, vend;
	bool folded, open;
};

static bool
flush(struct dlp_mime *m, size_t part, struct pending *h)
{
	if (!h->open)
		return true;
	h->open = false;
	return add_header(m, part, h->ls, h->nl, h->vs, h->vend, h->folded);
}

/* Is the line [pos, le) an open boundary? (see match_line) */
static bool is_boundary_line(const struct dlp_mime *m, size_t pos, size_t le);

/* Keep a line that is not a header field, to be scanned as text. */
static bool
add_garbage(struct dlp_mime *m, size_t part, size_t ls, size_t le)
{
	struct dlp_mhdr *h;
	bool ok;

	if (!field_room(m, part, &ok))
		return ok;
	h = &m->hdrs[m->nhdrs++];
	memset(h, 0, sizeof(*h));
	h->name = m->msg + ls;
	h->val = m->msg + ls;
	h->vlen = le - ls > m->lim->max_header_bytes ? m->lim->max_header_bytes
	                                             : le - ls;
	return true;
}

static bool
blank_line(const uint8_t *p, size_t pos, size_t le)
{
	for (; pos < le; pos++)
		if (!is_wsp(p[pos]))
			return false;
	return true;
}

/*
 * Read the header block at pos for part; returns the body start. As in
 * GMime and mime4j, the block ends at a blank line; a line that is not a
 * header field is skipped (kept as a nameless entry, scanned as text),
 * unless no header field came before it: then the body starts there. A
 * boundary line of an open multipart also ends the block.
 */
static bool
parse_headers(struct dlp_mime *m, size_t part, size_t pos, size_t *body)
{
	const uint8_t *p = m->msg;
	size_t len = m->len, next, le, nl, c;
	struct pending h = {0};
	bool seen = false;

	m->parts[part].hfirst = m->nhdrs;
	while (pos < len) {
		le = line_at(p, len, pos, &next);
		if (le == pos) { /* blank line */
			pos = next;
			break;
		}
		if (is_wsp(p[pos])) {
			if (h.open) {
				h.vend = le;
				h.folded = true;
			} else if (seen || blank_line(p, pos, le)) {
				if (!add_garbage(m, part, pos, le))
					return false;
			} else {
				break; /* text at the top: the body */
			}
			pos = next;
			continue;
		}
		if (p[pos] == '-' && m->nbs > 0 && is_boundary_line(m, pos, le))
			break;
		nl = name_len(p + pos, le - pos);
		/* "Name :" is tolerated; anything else before ':' is not. */
		for (c = pos + nl; c < le && is_wsp(p[c]); c++)
			;
		if (nl == 0 || c >= le || p[c] != ':') {
			if (!seen)
				break; /* no header block: the body */
			if (!flush(m, part, &h) ||
			    !add_garbage(m, part, pos, le))
				return false;
			pos = next;
			continue;
		}
		if (!flush(m, part, &h))
			return false;
		seen = true;
		h.open = true;
		h.ls = pos;
		h.nl = nl;
		h.vs = c + 1;
		h.vend = le;
		h.folded = false;
		pos = next;
	}
	if (!flush(m, part, &h))
		return false;
	m->parts[part].nhdr = m->nhdrs - m->parts[part].hfirst;
	*body = pos;
	return true;
}

const struct dlp_mhdr *
dlp_mime_part_header(const struct dlp_mime *m, size_t p, const char *name)
{
	const struct dlp_mpart *pt = &m->parts[p];
	size_t i, n = strlen(name);

	/* The last one wins, as in GMime. */
	for (i = pt->nhdr; n > 0 && i-- > 0;) {
		const struct dlp_mhdr *h = &m->hdrs[pt->hfirst + i];

		if (h->nlen == n && dlp_memcaseeq(h->name, name, n))
			return h;
	}
	return NULL;
}

bool
dlp_mime_header(const struct dlp_mime *m, const char *name, size_t idx,
    const char **val, size_t *len)
{
	const struct dlp_mpart *pt;
	size_t i, n;

	if (m == NULL || name == NULL || m->nparts == 0)
		return false;
	pt = &m->parts[0];
	if ((n = strlen(name)) == 0)
		return false;
	for (i = 0; i < pt->nhdr; i++) {
		const struct dlp_mhdr *h = &m->hdrs[pt->hfirst + i];

		if (h->nlen != n || !dlp_memcaseeq(h->name, name, n))
			continue;
		if (idx-- > 0)
			continue;
		if (val != NULL)
			*val = (const char *)h->val;
		if (len != NULL)
			*len = h->vlen;
		return true;
	}
	return false;
}

/* Skip white space and RFC 5322 comments (nested, unterminated ok). */
static size_t
skip_cfws(const uint8_t *v, size_t n, size_t i)
{
	unsigned depth = 0;

	for (; i < n; i++) {
		if (depth > 0) {
			if (v[i] == '\\' && i + 1 < n)
				i++;
			else if (v[i] == '(')
				depth++;
			else if (v[i] == ')')
				depth--;
		} else if (v[i] == '(') {
			depth++;
		} else if (!is_wsp(v[i]) && v[i] != '\r' && v[i] != '\n') {
			break;
		}
	}
	return i;
}

/* Ends an RFC 2045 token: white space, controls and tspecials. */
static bool
is_tspecial_end(int c)
{
	return c <= ' ' || c == 0x7f || strchr("()<>@,;:\\\"/[]?=", c) != NULL;
}

void
dlp_mime_token(const uint8_t *v, size_t n, char *buf, size_t size)
{
	size_t i = skip_cfws(v, n, 0), o = 0;

	for (; i < n && !is_tspecial_end(v[i]) && v[i] != '\0'; i++)
		if (o + 1 < size)
			buf[o++] = (char)dlp_tolower(v[i]);
	if (size > 0)
		buf[o] = '\0';
}

/* Content-Type "type/subtype" into the part (text/plain when absent). */
static void
parse_ctype(struct dlp_mpart *pt, const uint8_t *v, size_t n)
{
	size_t i = skip_cfws(v, n, 0), o;

	pt->type[0] = pt->sub[0] = '\0';
	for (o = 0; i < n && !is_tspecial_end(v[i]) && v[i] != '\0'; i++)
		if (o + 1 < sizeof(pt->type))
			pt->type[o++] = (char)dlp_tolower(v[i]);
	pt->type[o] = '\0';
	i = skip_cfws(v, n, i);
	if (i < n && v[i] == '/') {
		i = skip_cfws(v, n, i + 1);
		for (o = 0; i < n && !is_tspecial_end(v[i]) && v[i] != '\0';
		     i++)
			if (o + 1 < sizeof(pt->sub))
				pt->sub[o++] = (char)dlp_tolower(v[i]);
		pt->sub[o] = '\0';
	}
	if (pt->type[0] == '\0' || pt->sub[0] == '\0') {
		/* Unparsable: as GMime, an opaque leaf (RFC 2045 5.2 says
		 * text/plain; octet-stream lets the dispatcher sniff it). */
		strcpy(pt->type, "application");
		strcpy(pt->sub, "octet-stream");
	}
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = dlp_tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

#define MAX_SEGS 64

struct seg {
	const uint8_t *p;
	size_t n;
	bool quoted, ext;
};

/* Append a parameter value, unquoting or percent-decoding it. */
static bool
put_value(struct dlp_buf *b, const struct seg *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		int c = s->p[i];

		if (s->quoted && c == '\\' && i + 1 < s->n)
			c = s->p[++i];
		else if (s->ext && c == '%' && i + 2 < s->n &&
		         hexval(s->p[i + 1]) >= 0 && hexval(s->p[i + 2]) >= 0) {
			c = hexval(s->p[i + 1]) * 16 + hexval(s->p[i + 2]);
			i += 2;
		}
		if (!dlp_buf_putc(b, c))
			return false;
	}
	return true;
}

int
dlp_mime_param(const struct dlp_mem *mem, struct dlp_charset *cs,
    const uint8_t *v, size_t n, const char *name, struct dlp_buf *out)
{
	struct seg plain = {0}, segs[MAX_SEGS];
	size_t i = 0, want = strlen(name), nsegs = 0, k;
	bool have_plain = false;
	struct dlp_buf raw;
	int rc = -1;

	memset(segs, 0, sizeof(segs));
	/* Skip the type/subtype or disposition token. */
	while (i < n && v[i] != ';')
		i++;
	while (i < n) {
		size_t ns, ne, vs, ve;
		struct seg s = {0};

		i = skip_cfws(v, n, i + (v[i] == ';'));
		ns = i;
		while (i < n && v[i] != '=' && v[i] != ';' && !is_wsp(v[i]))
			i++;
		ne = i;
		i = skip_cfws(v, n, i);
		if (i >= n || v[i] != '=') {
			while (i < n && v[i] != ';')
				i++;
			continue;
		}
		i = skip_cfws(v, n, i + 1);
		if (i < n && v[i] == '"') {
			vs = ++i;
			while (i < n && v[i] != '"') {
				if (v[i] == '\\' && i + 1 < n)
					i++;
				i++;
			}
			ve = i < n ? i : n;
			s.quoted = true;
			while (i < n && v[i] != ';')
				i++;
		} else {
			/* Unquoted: up to ';' (spaces in names are common). */
			vs = i;
			while (i < n && v[i] != ';')
				i++;
			ve = i;
			while (ve > vs && is_wsp(v[ve - 1]))
				ve--;
			/* A trailing "(comment)" is not part of the value. */
			if (ve > vs && v[ve - 1] == ')') {
				size_t c = ve;

				while (c > vs && v[c - 1] != '(')
					c--;
				if (c > vs + 1 && is_wsp(v[c - 2])) {
					ve = c - 2;
					while (ve > vs && is_wsp(v[ve - 1]))
						ve--;
				}
			}
		}
		s.p = v + vs;
		s.n = ve - vs;
		if (ne - ns < want || !dlp_memcaseeq(v + ns, name, want))
			continue;
		if (ne - ns == want) {
			if (!have_plain)
				plain = s;
			have_plain = true;
			continue;
		}
		if (v[ns + want] != '*')
			continue;
		/* RFC 2231: name*, name*N, name*N* */
		{
			size_t j = ns + want + 1, num = 0;
			bool digits = false;

			while (j < ne && v[j] >= '0' && v[j] <= '9') {
				if (num < MAX_SEGS)
					num = num * 10 + (size_t)(v[j] - '0');
				digits = true;
				j++;
			}
			if (!digits)
				num = 0;
			s.ext = j < ne && v[j] == '*';
			if (!digits && j != ne)
				continue;
			if (digits && j != ne && !(s.ext && j + 1 == ne))
				continue;
			if (!digits)
				s.ext = true;
			if (num >= MAX_SEGS || segs[num].p != NULL)
				continue;
			segs[num] = s;
			if (num + 1 > nsegs)
				nsegs = num + 1;
		}
	}
	if (nsegs == 0 || segs[0].p == NULL) {
		if (!have_plain)
			return 0;
		return put_value(out, &plain) ? 1 : -1;
	}
	dlp_buf_init(&raw, mem);
	{
		char charset[64] = "";
		struct seg first = segs[0];

		if (first.ext) {
			/* charset'language'value */
			const uint8_t *q1 = memchr(first.p, '\'', first.n), *q2;

			if (q1 != NULL &&
			    (q2 = memchr(q1 + 1, '\'',
			         first.n - (size_t)(q1 + 1 - first.p))) !=
			        NULL) {
				size_t cl = (size_t)(q1 - first.p);

				if (cl >= sizeof(charset))
					cl = sizeof(charset) - 1;
				memcpy(charset, first.p, cl);
				charset[cl] = '\0';
				first.n -= (size_t)(q2 + 1 - first.p);
				first.p = q2 + 1;
			}
		}
		if (!put_value(&raw, &first))
			goto out;
		/* Stop at the first gap, as RFC 2231 3 says. */
		for (k = 1; k < nsegs && segs[k].p != NULL; k++)
			if (!put_value(&raw, &segs[k]))
				goto out;
		if (charset[0] != '\0') {
			if (!dlp_charset_to_utf8(
			        cs, charset, raw.p, raw.len, out, NULL))
				goto out;
		} else if (!dlp_buf_append(out, raw.p, raw.len)) {
			goto out;
		}
	}
	rc = 1;
out:
	dlp_buf_fini(&raw);
	return rc;
}

/* Where a scan for boundary lines stopped. */
struct bmatch {
	bool found;
	bool close;
	size_t idx;  /* index in the boundary stack */
	size_t ls;   /* start of the boundary line */
	size_t next; /* start of the line after it */
};

/* Is p[i..e) only white space? */
static bool
only_wsp(const uint8_t *p, size_t i, size_t e)
{
	for (; i < e; i++)
		if (!is_wsp(p[i]) && p[i] != '\r')
			return false;
	return true;
}

/*
 * Does the line [pos, le) open or close a boundary on the stack? "--b"
 * or "--b--" followed only by white space, as GMime and Thunderbird read
 * them; the innermost boundary is tried first.
 */
static bool
match_line(
    const struct dlp_mime *m, size_t pos, size_t le, size_t *idx, bool *close)
{
	const uint8_t *p = m->msg;
	size_t n, k;

	if (le - pos < 3 || p[pos] != '-' || p[pos + 1] != '-')
		return false;
	n = le - pos - 2;
	for (k = m->nbs; k-- > 0;) {
		size_t bl = m->bs[k].len, e = pos + 2 + bl;

		if (n < bl || memcmp(p + pos + 2, m->bs[k].b, bl) != 0)
			continue;
		if (n >= bl + 2 && p[e] == '-' && p[e + 1] == '-' &&
		    only_wsp(p, e + 2, le))
			*close = true;
		else if (only_wsp(p, e, le))
			*close = false;
		else
			continue;
		*idx = k;
		return true;
	}
	return false;
}

static bool
is_boundary_line(const struct dlp_mime *m, size_t pos, size_t le)
{
	size_t idx;
	bool close;

	return match_line(m, pos, le, &idx, &close);
}

/*
 * Find the next boundary line from pos (a line start). Only lines that
 * start with '-' can be one, so this looks for '-' bytes (base64 has
 * none) rather than walking line by line: a '-' at pos or just after
 * a LF starts a candidate line, and a run of '-' inside a line is
 * skipped at once.
 */
static void
find_boundary(const struct dlp_mime *m, size_t pos, struct bmatch *bm)
{
	const uint8_t *p = m->msg, *q;
	size_t len = m->len, le, next, c;

	bm->found = false;
	if (m->nbs == 0) {
		bm->ls = bm->next = len;
		return;
	}
	for (c = pos; c < len;) {
		if ((q = memchr(p + c, '-', len - c)) == NULL)
			break;
		c = (size_t)(q - p);
		if (c == pos || p[c - 1] == '\n') {
			le = line_at(p, len, c, &next);
			if (match_line(m, c, le, &bm->idx, &bm->close)) {
				bm->found = true;
				bm->ls = c;
				bm->next = next;
				return;
			}
			c = next;
			continue;
		}
		while (c < len && p[c] == '-')
			c++;
	}
	bm->ls = bm->next = len;
}

/* End of content that precedes a boundary line at ls: its CRLF is part
 * of the boundary (RFC 2046 5.1.1). */
static size_t
content_end(const struct dlp_mime *m, size_t start, size_t ls, bool found)
{
	size_t e = ls;

	if (!found)
		return m->len;
	if (e > start && m->msg[e - 1] == '\n')
		e--;
	if (e > start && m->msg[e - 1] == '\r')
		e--;
	return e < start ? start : e;
}

static enum dlp_status
parse_part(struct dlp_mime *m, size_t pos, size_t parent, unsigned depth,
    unsigned sib, struct bmatch *bm)
{
	struct dlp_mpart *pt;
	const struct dlp_mhdr *h;
	size_t me, body, myb;
	struct dlp_buf b;
	int rc;
	char d[120];

	if (m->nparts >= m->lim->max_parts) {
		snprintf(d, sizeof(d),
		    "more than %zu MIME parts: %zu bytes not parsed",
		    m->lim->max_parts, m->len - pos);
		m->stopped = true;
		return note(m, parent, "limit", d) ? DLP_OK : DLP_ERR_NOMEM;
	}
	if (!grow(m->mem, (void **)&m->parts, &m->pcap, m->nparts,
	        sizeof(*m->parts)))
		return DLP_ERR_NOMEM;
	me = m->nparts++;
	pt = &m->parts[me];
	memset(pt, 0, sizeof(*pt));
	pt->parent = parent;
	pt->depth = depth;
	pt->sib = sib;
	if (parent != SIZE_MAX)
		m->parts[parent].nchild++;
	if (!parse_headers(m, me, pos, &body))
		return DLP_ERR_NOMEM;
	pt = &m->parts[me];
	if ((h = dlp_mime_part_header(m, me, "Content-Type")) != NULL) {
		parse_ctype(pt, h->val, h->vlen);
	} else if (parent != SIZE_MAX &&
	           (m->parts[parent].flags & DLP_MP_DIGEST)) {
		strcpy(pt->type, "message");
		strcpy(pt->sub, "rfc822");
	} else {
		strcpy(pt->type, "text");
		strcpy(pt->sub, "plain");
	}
	if (strcmp(pt->type, "multipart") != 0) {
		find_boundary(m, body, bm);
		pt->body = m->msg + body;
		pt->blen = content_end(m, body, bm->ls, bm->found) - body;
		return DLP_OK;
	}
	/* A multipart: find its boundary. */
	dlp_buf_init(&b, m->mem);
	rc = dlp_mime_param(m->mem, NULL, h->val, h->vlen, "boundary", &b);
	if (rc < 0)
		return DLP_ERR_NOMEM;
	if (rc == 0 || b.len == 0 || memchr(b.p, '\n', b.len) != NULL) {
		/* No boundary: a multipart without parts, read as text. */
		dlp_buf_fini(&b);
		pt->flags |= DLP_MP_NOBOUND | DLP_MP_MULTI;
		if (!note(m, me, "malformed",
		        "multipart without boundary: read as text"))
			return DLP_ERR_NOMEM;
		find_boundary(m, body, bm);
		pt->body = m->msg + body;
		pt->blen = content_end(m, body, bm->ls, bm->found) - body;
		return DLP_OK;
	}
	if (depth >= m->lim->max_depth) {
		dlp_buf_fini(&b);
		pt->flags |= DLP_MP_LIMIT;
		snprintf(d, sizeof(d), "MIME nesting deeper than %zu",
		    m->lim->max_depth);
		if (!note(m, me, "limit", d))
			return DLP_ERR_NOMEM;
		find_boundary(m, body, bm);
		pt->body = m->msg + body;
		pt->blen = content_end(m, body, bm->ls, bm->found) - body;
		return DLP_OK;
	}
	if (!grow(m->mem, (void **)&m->bs, &m->bscap, m->nbs, sizeof(*m->bs))) {
		dlp_buf_fini(&b);
		return DLP_ERR_NOMEM;
	}
	myb = m->nbs++;
	m->bs[myb].len = b.len;
	m->bs[myb].b = (uint8_t *)dlp_buf_take(&b, NULL);
	pt->flags |= DLP_MP_MULTI;
	if (strcmp(pt->sub, "digest") == 0)
		pt->flags |= DLP_MP_DIGEST;
	/* The preamble, kept in case there are no parts at all. */
	find_boundary(m, body, bm);
	pt->body = m->msg + body;
	pt->blen = content_end(m, body, bm->ls, bm->found) - body;
	for (sib = 0;;) {
		enum dlp_status st;

		if (!bm->found || bm->idx != myb)
			break; /* end of input, or an outer boundary */
		if (bm->close) {
			/* Epilogue: ignored, up to an outer boundary. */
			dlp_free(m->mem, m->bs[myb].b);
			m->nbs--;
			find_boundary(m, bm->next, bm);
			return DLP_OK;
		}
		/* As GMime: a boundary directly followed by another one, or
		 * by the end of the input, delimits no part at all. */
		if (bm->next >= m->len)
			break;
		{
			size_t nx, le = line_at(m->msg, m->len, bm->next, &nx);

			if (is_boundary_line(m, bm->next, le)) {
				find_boundary(m, bm->next, bm);
				continue;
			}
		}
		if ((st = parse_part(m, bm->next, me, depth + 1, ++sib, bm)) !=
		    DLP_OK)
			return st;
		if (m->stopped)
			break;
	}
	if (m->parts[me].nchild == 0 && !m->stopped) {
		if (!note(m, me, "malformed",
		        "multipart without any part: read as text"))
			return DLP_ERR_NOMEM;
	}
	dlp_free(m->mem, m->bs[myb].b);
	m->nbs--;
	return DLP_OK;
}

void
dlp_mime_free(struct dlp_mime *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->nhdrs; i++)
		dlp_free(m->mem, m->hdrs[i].own);
	for (i = 0; i < m->nbs; i++)
		dlp_free(m->mem, m->bs[i].b);
	dlp_free(m->mem, m->hdrs);
	dlp_free(m->mem, m->parts);
	dlp_free(m->mem, m->notes);
	dlp_free(m->mem, m->bs);
	dlp_free(m->mem, m);
}

enum dlp_status
dlp_mime_parse(const struct dlp_mem *mem, const struct dlp_limits *lim,
    const uint8_t *msg, size_t len, struct dlp_mime **out)
{
	struct dlp_mime *m;
	struct bmatch bm;
	enum dlp_status st;
	size_t pos = 0, next;

	if (out != NULL)
		*out = NULL;
	if (mem == NULL || lim == NULL || out == NULL || (msg == NULL && len))
		return DLP_ERR_INVAL;
	if ((m = dlp_calloc(mem, 1, sizeof(*m))) == NULL)
		return DLP_ERR_NOMEM;
	m->mem = mem;
	m->lim = lim;
	m->msg = msg;
	m->len = len;
	/* An mbox "From " separator line before the header block. */
	if (len >= 5 && memcmp(msg, "From ", 5) == 0) {
		line_at(msg, len, 0, &next);
		pos = next;
	}
	if ((st = parse_part(m, pos, SIZE_MAX, 0, 1, &bm)) != DLP_OK)
		goto fail;
	if (m->nparts > 0 && len > 0) {
		size_t i, fields = 0, le = line_at(msg, len, pos, &next);

		for (i = 0; i < m->parts[0].nhdr; i++)
			if (m->hdrs[m->parts[0].hfirst + i].nlen > 0)
				fields++;
		/* No header block at all (not even an empty one). */
		if (fields == 0 && (le != pos || pos >= len))
			m->parts[0].flags |= DLP_MP_NOHEADER;
	}
	*out = m;
	return DLP_OK;
fail:
	dlp_mime_free(m);
	return st;
}
