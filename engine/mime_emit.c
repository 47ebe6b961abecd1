/*
 * mime_emit.c - walk a parsed message (mime.c) and report it through the
 * sink: headers, the subject without its reply/forward chain, body text
 * (transfer-decoded, converted to UTF-8, HTML to text), attachment names
 * and bytes, nested messages, encrypted parts, message/partial fragments
 * and external bodies (what is elsewhere is reported unscanned), and every
 * repair or limit that lost content.
 *
 * Trusts the part tree (built by mime.c) but none of the content: CTE,
 * charset and parameter values are attacker text. Decoded bytes are
 * charged to the sink's budget; when it runs out the rest is reported
 * unscanned ("limit"). Working memory is a few buffers the size of the
 * largest decoded part. Only DLP_ERR_NOMEM or a sink error is returned.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "decode.h"
#include "html.h"
#include "mime_int.h"

struct emit {
	const struct dlp_mime *m;
	struct dlp_charset *cs;
	const struct dlp_sink *sink;
	const char *prefix;
	unsigned depth;
	unsigned ntext, nhtml, nenriched, nmsg, ninline;
	bool stop;
	struct dlp_buf where, dec, conv, txt, tmp, name;
};

static bool set_where(struct emit *e, struct dlp_buf *b, const char *fmt, ...)
    DLP_PRINTF(3, 4);

/* b = prefix + printf(fmt, ...). */
static bool
set_where(struct emit *e, struct dlp_buf *b, const char *fmt, ...)
{
	va_list ap;
	char tmp[256];
	int n;

	dlp_buf_reset(b);
	if (!dlp_buf_puts(b, e->prefix))
		return false;
	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return false;
	return dlp_buf_puts(b, tmp);
}

static const char *
wstr(const struct dlp_buf *b)
{
	return b->p != NULL ? (const char *)b->p : "";
}

static enum dlp_status
unscanned(
    struct emit *e, const char *where, const char *why, const char *detail)
{
	return e->sink->unscanned(e->sink->ctx, where, why, detail);
}

/* IMAP-style part number ("2", "2.1"); the root is "1". */
static void
section(const struct dlp_mime *m, size_t i, char *buf, size_t size)
{
	unsigned sibs[64];
	size_t n = 0, o = 0;

	buf[0] = '\0';
	while (i != SIZE_MAX && m->parts[i].parent != SIZE_MAX) {
		if (n < DLP_NITEMS(sibs))
			sibs[n++] = m->parts[i].sib;
		i = m->parts[i].parent;
	}
	if (n == 0) {
		snprintf(buf, size, "1");
		return;
	}
	while (n-- > 0 && o + 12 < size)
		o += (size_t)snprintf(
		    buf + o, size - o, "%s%u", o ? "." : "", sibs[n]);
}

static bool
part_where(struct emit *e, size_t i, struct dlp_buf *b)
{
	char sec[128];

	if (i == 0 || i == SIZE_MAX)
		return set_where(e, b, "message");
	section(e->m, i, sec, sizeof(sec));
	return set_where(e, b, "part%s", sec);
}

static bool
has_8bit(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] >= 0x80)
			return true;
	return false;
}

/*
 * First needle in h[0..hn), or NULL. The needle starts with k copies of
 * one byte c; an occurrence then starts k bytes before the end of a run
 * of c (the byte after the k is not c), so each run is looked at once:
 * dash lines and "-----Original Message-----" cost one memchr each.
 */
static const uint8_t *
memmem_(const uint8_t *h, size_t hn, const char *needle)
{
	size_t nn = strlen(needle), k = 0, pos = 0, r;
	const uint8_t *q;
	uint8_t c;

	if (nn == 0 || hn < nn)
		return NULL;
	c = (uint8_t)needle[0];
	while (k < nn && (uint8_t)needle[k] == c)
		k++;
	while (pos + nn <= hn &&
	       (q = memchr(h + pos, c, hn - nn + 1 - pos)) != NULL) {
		pos = (size_t)(q - h);
		for (r = pos; r < hn && h[r] == c;)
			r++;
		if (k == nn && r - pos >= nn)
			return q;
		if (k < nn && r - pos >= k && r - k + nn <= hn &&
		    memcmp(h + r - k, needle, nn) == 0)
			return h + r - k;
		pos = r;
	}
	return NULL;
}

/*
 * Transfer-decode part i into out. *cte gets the encoding token ("" for
 * identity encodings, which are not copied: then *decoded is false),
 * *unknown is set for an encoding we do not know. false only on OOM.
 */
static bool
cte_decode(const struct dlp_mime *m, size_t i, struct dlp_buf *out,
    unsigned *flags, char *cte, size_t ctesize, bool *decoded, bool *unknown)
{
	const struct dlp_mpart *pt = &m->parts[i];
	const struct dlp_mhdr *h;
	bool r = true;

	*flags = 0;
	*decoded = *unknown = false;
	cte[0] = '\0';
	if ((h = dlp_mime_part_header(m, i, "Content-Transfer-Encoding")) !=
	    NULL)
		dlp_mime_token(h->val, h->vlen, cte, ctesize);
	*decoded = true;
	if (strcmp(cte, "base64") == 0) {
		r = dlp_decode_base64(pt->body, pt->blen, out, flags);
	} else if (strcmp(cte, "quoted-printable") == 0) {
		r = dlp_decode_qp(pt->body, pt->blen, out, flags);
		*flags &= ~DLP_DEC_GARBAGE; /* bad escapes are kept as-is */
	} else if (strcmp(cte, "x-uuencode") == 0 ||
	           strcmp(cte, "uuencode") == 0 || strcmp(cte, "x-uue") == 0) {
		r = dlp_decode_uu(pt->body, pt->blen, out, NULL, flags);
	} else if (strcmp(cte, "x-yenc") == 0 || strcmp(cte, "yenc") == 0) {
		r = dlp_decode_yenc(pt->body, pt->blen, out, NULL, flags);
	} else {
		*decoded = false;
		*unknown = cte[0] != '\0' && strcmp(cte, "7bit") != 0 &&
		           strcmp(cte, "8bit") != 0 &&
		           strcmp(cte, "binary") != 0;
	}
	return r;
}

size_t
dlp_mime_nparts(const struct dlp_mime *m)
{
	return m != NULL ? m->nparts : 0;
}

bool
dlp_mime_part_info(const struct dlp_mime *m, size_t i, unsigned *depth,
    const char **type, const char **subtype, bool *multipart)
{
	if (m == NULL || i >= m->nparts)
		return false;
	*depth = m->parts[i].depth;
	*type = m->parts[i].type;
	*subtype = m->parts[i].sub;
	*multipart = (m->parts[i].flags & DLP_MP_MULTI) != 0;
	return true;
}

bool
dlp_mime_decode_part(const struct dlp_mime *m, size_t i, struct dlp_buf *out)
{
	unsigned flags;
	bool decoded, unknown;
	char cte[40];

	if (m == NULL || i >= m->nparts)
		return true;
	if (!cte_decode(
	        m, i, out, &flags, cte, sizeof(cte), &decoded, &unknown))
		return false;
	return decoded ||
	       dlp_buf_append(out, m->parts[i].body, m->parts[i].blen);
}

/*
 * Transfer-decode part i for the walker, report decoding problems at
 * where and charge the budget. *data and *len point at the raw body or
 * into e->dec. *ok is false when the budget ran out (already reported).
 */
static enum dlp_status
decode_part(struct emit *e, size_t i, const char *where, const uint8_t **data,
    size_t *len, bool *ok)
{
	const struct dlp_mpart *pt = &e->m->parts[i];
	char cte[40];
	unsigned flags;
	bool decoded, unknown;
	enum dlp_status st;

	*ok = false;
	dlp_buf_reset(&e->dec);
	if (!cte_decode(
	        e->m, i, &e->dec, &flags, cte, sizeof(cte), &decoded, &unknown))
		return DLP_ERR_NOMEM;
	if (decoded) {
		*data = e->dec.p != NULL ? e->dec.p : (const uint8_t *)"";
		*len = e->dec.len;
	} else {
		*data = pt->body;
		*len = pt->blen;
	}
	if (unknown) {
		char d[96];

		snprintf(d, sizeof(d),
		    "unknown transfer encoding \"%s\": read as-is", cte);
		if ((st = unscanned(e, where, "unsupported", d)) != DLP_OK)
			return st;
	}
	if (flags & (DLP_DEC_TRUNCATED | DLP_DEC_GARBAGE | DLP_DEC_BADCHECK)) {
		char d[96];

		snprintf(d, sizeof(d), "%s body %s", cte,
		    (flags & DLP_DEC_TRUNCATED)  ? "truncated"
		    : (flags & DLP_DEC_BADCHECK) ? "fails its checksum"
		                                 : "has invalid characters");
		if ((st = unscanned(e, where, "malformed", d)) != DLP_OK)
			return st;
	}
	if (!dlp_budget_take(e->sink->budget, *len)) {
		e->stop = true;
		return unscanned(
		    e, where, "limit", "decoded-bytes budget exhausted");
	}
	*ok = true;
	return DLP_OK;
}

/* Decoded, sanitised file name of part i into e->name; false = none. */
static enum dlp_status
part_name(struct emit *e, size_t i, bool *have)
{
	const struct dlp_mhdr *h;
	struct dlp_buf *raw = &e->tmp;
	int rc = 0;
	size_t k;

	*have = false;
	dlp_buf_reset(raw);
	dlp_buf_reset(&e->name);
	if ((h = dlp_mime_part_header(e->m, i, "Content-Disposition")) != NULL)
		rc = dlp_mime_param(
		    e->m->mem, e->cs, h->val, h->vlen, "filename", raw);
	if (rc == 0 &&
	    (h = dlp_mime_part_header(e->m, i, "Content-Type")) != NULL)
		rc = dlp_mime_param(
		    e->m->mem, e->cs, h->val, h->vlen, "name", raw);
	if (rc < 0)
		return DLP_ERR_NOMEM;
	if (rc == 0 || raw->len == 0)
		return DLP_OK;
	if (!dlp_decode_header_cs(e->cs, raw->p, raw->len, &e->name, NULL))
		return DLP_ERR_NOMEM;
	for (k = 0; k < e->name.len; k++)
		if (e->name.p[k] < 0x20 || e->name.p[k] == 0x7f)
			e->name.p[k] = '_';
	*have = e->name.len > 0;
	return DLP_OK;
}

static bool
is_attachment_disp(const struct emit *e, size_t i)
{
	const struct dlp_mhdr *h;
	char d[32];

	if ((h = dlp_mime_part_header(e->m, i, "Content-Disposition")) == NULL)
		return false;
	dlp_mime_token(h->val, h->vlen, d, sizeof(d));
	return strcmp(d, "attachment") == 0;
}

/*
 * The first line at or after pos (a line start) that begins with 'b' or
 * '=', the only lines that can open an inline block; n if none. With
 * SSE2, 16 bytes a step: a LF followed by one of the two.
 */
static size_t
block_candidate(const uint8_t *p, size_t n, size_t pos)
{
	size_t i = pos;

	if (pos < n && (p[pos] == 'b' || p[pos] == '='))
		return pos;
#if defined(__SSE2__)
	{
		const __m128i lf = _mm_set1_epi8('\n'), b = _mm_set1_epi8('b');
		const __m128i eq = _mm_set1_epi8('=');

		while (n - i >= 17) {
			__m128i v = _mm_loadu_si128(
			    (const __m128i *)(const void *)(p + i));
			__m128i w = _mm_loadu_si128(
			    (const __m128i *)(const void *)(p + i + 1));
			unsigned mask = (unsigned)_mm_movemask_epi8(
			    _mm_and_si128(_mm_cmpeq_epi8(v, lf),
			        _mm_or_si128(_mm_cmpeq_epi8(w, b),
			            _mm_cmpeq_epi8(w, eq))));

			if (mask != 0)
				return i + (size_t)__builtin_ctz(mask) + 1;
			i += 16;
		}
	}
#endif
	for (; i + 1 < n; i++)
		if (p[i] == '\n' && (p[i + 1] == 'b' || p[i + 1] == '='))
			return i + 1;
	return n;
}

/*
 * Inline uuencode ("begin 644 name" ... "end", or "begin-base64 644 name"
 * ... "====") and yEnc ("=ybegin" ...
 * "=yend") blocks in a plain text body: each is reported as an object
 * and left out of the text, which is built in e->txt.
 */
static enum dlp_status
inline_blocks(struct emit *e, const uint8_t *p, size_t n, bool *found)
{
	size_t pos = 0, keep = 0, next;
	enum dlp_status st;

	*found = false;
	dlp_buf_reset(&e->txt);
	while ((pos = block_candidate(p, n, pos)) < n) {
		const uint8_t *nl = memchr(p + pos, '\n', n - pos);
		bool uu = false, ye = false, b64 = false;
		size_t end, q;

		next = nl ? (size_t)(nl - p) + 1 : n;
		if (n - pos > 10 && memcmp(p + pos, "begin ", 6) == 0 &&
		    p[pos + 6] >= '0' && p[pos + 6] <= '7' &&
		    p[pos + 7] >= '0' && p[pos + 7] <= '7' &&
		    p[pos + 8] >= '0' && p[pos + 8] <= '7')
			uu = true;
		else if (n - pos > 17 &&
		         memcmp(p + pos, "begin-base64 ", 13) == 0 &&
		         p[pos + 13] >= '0' && p[pos + 13] <= '7' &&
		         p[pos + 14] >= '0' && p[pos + 14] <= '7' &&
		         p[pos + 15] >= '0' && p[pos + 15] <= '7')
			uu = b64 = true;
		else if (n - pos > 8 && memcmp(p + pos, "=ybegin ", 8) == 0)
			ye = true;
		if (!uu && !ye) {
			pos = next;
			continue;
		}
		/* Find the closing line. */
		for (end = n, q = next; q < n;) {
			const uint8_t *l2 = memchr(p + q, '\n', n - q);
			size_t qn = l2 ? (size_t)(l2 - p) + 1 : n;

			if ((uu && !b64 && qn - q >= 3 &&
			        memcmp(p + q, "end", 3) == 0 &&
			        (qn - q == 3 || p[q + 3] == '\r' ||
			            p[q + 3] == '\n' || p[q + 3] == ' ')) ||
			    (b64 && qn - q >= 4 &&
			        memcmp(p + q, "====", 4) == 0 &&
			        (qn - q == 4 || p[q + 4] == '\r' ||
			            p[q + 4] == '\n')) ||
			    (ye && qn - q >= 5 &&
			        memcmp(p + q, "=yend", 5) == 0)) {
				end = qn;
				break;
			}
			q = qn;
		}
		{
			char *name = NULL;
			unsigned flags = 0;
			bool r;

			dlp_buf_reset(&e->tmp);
			r = uu ? dlp_decode_uu(
			             p + pos, end - pos, &e->tmp, &name, &flags)
			       : dlp_decode_yenc(p + pos, end - pos, &e->tmp,
			             &name, &flags);
			if (!r) {
				dlp_free(e->m->mem, name);
				return DLP_ERR_NOMEM;
			}
			e->ninline++;
			if (name != NULL && name[0] != '\0')
				r = set_where(
				    e, &e->where, "attachment:%s", name);
			else
				r = set_where(e, &e->where,
				    "attachment:inline%u", e->ninline);
			st = r ? DLP_OK : DLP_ERR_NOMEM;
			if (st == DLP_OK && name != NULL && name[0] != '\0')
				st = e->sink->text(e->sink->ctx,
				    DLP_SCOPE_FILENAME, wstr(&e->where), NULL,
				    name, strlen(name));
			if (st == DLP_OK &&
			    (flags & (DLP_DEC_TRUNCATED | DLP_DEC_BADCHECK)))
				st = unscanned(e, wstr(&e->where), "malformed",
				    uu ? "uuencoded block truncated"
				       : "yEnc block truncated or "
				         "bad checksum");
			if (st == DLP_OK &&
			    !dlp_budget_take(e->sink->budget, e->tmp.len)) {
				e->stop = true;
				st = unscanned(e, wstr(&e->where), "limit",
				    "decoded-bytes budget exhausted");
			} else if (st == DLP_OK) {
				st = e->sink->object(e->sink->ctx,
				    wstr(&e->where), name,
				    "application/octet-stream",
				    e->tmp.p ? e->tmp.p : (const uint8_t *)"",
				    e->tmp.len, e->depth + 1);
			}
			dlp_free(e->m->mem, name);
			if (st != DLP_OK)
				return st;
		}
		if (!dlp_buf_append(&e->txt, p + keep, pos - keep))
			return DLP_ERR_NOMEM;
		*found = true;
		keep = pos = end;
	}
	if (*found && !dlp_buf_append(&e->txt, p + keep, n - keep))
		return DLP_ERR_NOMEM;
	return DLP_OK;
}

enum { K_TEXT, K_HTML, K_ENRICHED };

/* Report a body text part (or a multipart's preamble) as DLP_SCOPE_BODY. */
static enum dlp_status
emit_body(struct emit *e, size_t i, int kind)
{
	static const char *const names[] = {"text", "html", "enriched"};
	unsigned *cnt = kind == K_HTML       ? &e->nhtml
	                : kind == K_ENRICHED ? &e->nenriched
	                                     : &e->ntext;
	const uint8_t *data, *t, *src;
	size_t len, tlen, srclen;
	const struct dlp_mhdr *h;
	enum dlp_status st;
	unsigned csflags = 0;
	char charset[64] = "";
	bool ok, found;
	struct dlp_buf cb;
	int rc;

	++*cnt;
	if (!(*cnt == 1 ? set_where(e, &e->where, "body/%s", names[kind])
	                : set_where(
	                      e, &e->where, "body/%s[%u]", names[kind], *cnt)))
		return DLP_ERR_NOMEM;
	if ((st = decode_part(e, i, wstr(&e->where), &data, &len, &ok)) !=
	        DLP_OK ||
	    !ok)
		return st;
	if (memmem_(data, len, "-----BEGIN PGP MESSAGE-----") != NULL &&
	    (st = unscanned(e, wstr(&e->where), "encrypted",
	         "inline PGP message")) != DLP_OK)
		return st;
	t = data;
	tlen = len;
	if (kind == K_TEXT) {
		if ((st = inline_blocks(e, data, len, &found)) != DLP_OK)
			return st;
		/* inline_blocks used e->where for the objects: rebuild. */
		if (!(*cnt == 1
		            ? set_where(e, &e->where, "body/%s", names[kind])
		            : set_where(e, &e->where, "body/%s[%u]",
		                  names[kind], *cnt)))
			return DLP_ERR_NOMEM;
		if (found) {
			t = e->txt.p ? e->txt.p : (const uint8_t *)"";
			tlen = e->txt.len;
		}
	}
	if ((h = dlp_mime_part_header(e->m, i, "Content-Type")) != NULL) {
		dlp_buf_init(&cb, e->m->mem);
		rc = dlp_mime_param(
		    e->m->mem, NULL, h->val, h->vlen, "charset", &cb);
		if (rc > 0)
			snprintf(charset, sizeof(charset), "%.*s", (int)cb.len,
			    (const char *)cb.p);
		dlp_buf_fini(&cb);
		if (rc < 0)
			return DLP_ERR_NOMEM;
	}
	src = t;
	srclen = tlen;
	if (!dlp_charset_identity(charset[0] ? charset : NULL, t, tlen)) {
		dlp_buf_reset(&e->conv);
		if (!dlp_charset_to_utf8(e->cs, charset[0] ? charset : NULL, t,
		        tlen, &e->conv, &csflags))
			return DLP_ERR_NOMEM;
		t = e->conv.p ? e->conv.p : (const uint8_t *)"";
		tlen = e->conv.len;
	}
	if ((csflags & DLP_CS_UNKNOWN) && has_8bit(src, srclen)) {
		char d[112];

		snprintf(d, sizeof(d),
		    "unknown charset \"%s\": read as Latin-1", charset);
		if ((st = unscanned(e, wstr(&e->where), "unsupported", d)) !=
		    DLP_OK)
			return st;
	}
	if (kind != K_TEXT) {
		dlp_buf_reset(&e->txt);
		if (!dlp_html_to_text(t, tlen, &e->txt))
			return DLP_ERR_NOMEM;
		t = e->txt.p ? e->txt.p : (const uint8_t *)"";
		tlen = e->txt.len;
	}
	return e->sink->text(e->sink->ctx, DLP_SCOPE_BODY, wstr(&e->where),
	    NULL, (const char *)t, tlen);
}

/*
 * Minimal DER/BER reader for S/MIME signed-data (RFC 5652 5.1): find
 * encapContentInfo.eContent and return its bytes (a primitive OCTET
 * STRING, or the concatenation of a constructed one) in out.
 */
struct der {
	const uint8_t *p;
	size_t n, pos;
};

static bool
der_next(struct der *d, unsigned *tag, size_t *len)
{
	size_t l, k, nb;

	if (d->pos + 2 > d->n)
		return false;
	*tag = d->p[d->pos++];
	if ((*tag & 0x1f) == 0x1f)
		return false; /* high tag numbers never occur here */
	l = d->p[d->pos++];
	if (l == 0x80) {
		*len = d->n - d->pos; /* indefinite: up to the end */
		return true;
	}
	if (l & 0x80) {
		nb = l & 0x7f;
		if (nb > sizeof(size_t) || d->pos + nb > d->n)
			return false;
		for (l = 0, k = 0; k < nb; k++)
			l = (l << 8) | d->p[d->pos++];
	}
	if (l > d->n - d->pos)
		return false;
	*len = l;
	return true;
}

static bool
der_enter(struct der *d, unsigned want)
{
	unsigned tag;
	size_t len;

	if (!der_next(d, &tag, &len) || tag != want)
		return false;
	d->n = d->pos + len;
	return true;
}

static bool
der_skip(struct der *d, unsigned want)
{
	unsigned tag;
	size_t len;

	if (!der_next(d, &tag, &len) || tag != want)
		return false;
	d->pos += len;
	return true;
}

/* 1 = content found, 0 = not signed-data or no content, -1 = NOMEM */
static int
smime_signed_content(const uint8_t *p, size_t n, struct dlp_buf *out)
{
	static const uint8_t oid_signed[] = {
	    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02};
	struct der d = {p, n, 0};
	unsigned tag;
	size_t len;

	if (!der_enter(&d, 0x30) || d.n - d.pos < sizeof(oid_signed) ||
	    memcmp(d.p + d.pos, oid_signed, sizeof(oid_signed)) != 0)
		return 0;
	d.pos += sizeof(oid_signed);
	if (!der_enter(&d, 0xa0) || !der_enter(&d, 0x30) ||
	    !der_skip(&d, 0x02) || !der_skip(&d, 0x31) ||
	    !der_enter(&d, 0x30) || !der_skip(&d, 0x06) || !der_enter(&d, 0xa0))
		return 0;
	if (!der_next(&d, &tag, &len))
		return 0;
	if (tag == 0x04)
		return dlp_buf_append(out, d.p + d.pos, len) ? 1 : -1;
	if (tag != 0x24)
		return 0;
	d.n = d.pos + len;
	while (der_next(&d, &tag, &len) && tag == 0x04) {
		if (!dlp_buf_append(out, d.p + d.pos, len))
			return -1;
		d.pos += len;
	}
	return out->len > 0 ? 1 : 0;
}

/* An attachment or other non-text leaf. */
static enum dlp_status
emit_attachment(struct emit *e, size_t i)
{
	const struct dlp_mpart *pt = &e->m->parts[i];
	const uint8_t *data;
	size_t len;
	bool have, ok;
	enum dlp_status st;
	char type[80], sec[128];

	if ((st = part_name(e, i, &have)) != DLP_OK)
		return st;
	section(e->m, i, sec, sizeof(sec));
	if (!(have ? set_where(e, &e->where, "attachment:%s", wstr(&e->name))
	           : set_where(e, &e->where, "attachment:part%s", sec)))
		return DLP_ERR_NOMEM;
	if (have &&
	    (st = e->sink->text(e->sink->ctx, DLP_SCOPE_FILENAME,
	         wstr(&e->where), NULL, wstr(&e->name), e->name.len)) != DLP_OK)
		return st;
	snprintf(type, sizeof(type), "%s/%s", pt->type, pt->sub);
	if (strcmp(pt->type, "application") == 0 &&
	    (strcmp(pt->sub, "pkcs7-mime") == 0 ||
	        strcmp(pt->sub, "x-pkcs7-mime") == 0)) {
		const struct dlp_mhdr *h =
		    dlp_mime_part_header(e->m, i, "Content-Type");
		char smt[40] = "";
		struct dlp_buf b;
		int rc;

		dlp_buf_init(&b, e->m->mem);
		rc = dlp_mime_param(
		    e->m->mem, NULL, h->val, h->vlen, "smime-type", &b);
		if (rc > 0)
			dlp_mime_token(b.p, b.len, smt, sizeof(smt));
		dlp_buf_fini(&b);
		if (rc < 0)
			return DLP_ERR_NOMEM;
		if (strcmp(smt, "signed-data") != 0 &&
		    strcmp(smt, "certs-only") != 0)
			return unscanned(e, wstr(&e->where), "encrypted",
			    smt[0] ? smt : "S/MIME message");
		if ((st = decode_part(
		         e, i, wstr(&e->where), &data, &len, &ok)) != DLP_OK ||
		    !ok)
			return st;
		dlp_buf_reset(&e->conv);
		rc = smime_signed_content(data, len, &e->conv);
		if (rc < 0)
			return DLP_ERR_NOMEM;
		if (rc == 0)
			return unscanned(e, wstr(&e->where), "unsupported",
			    "S/MIME signed-data without readable content");
		return e->sink->object(e->sink->ctx, wstr(&e->where), NULL,
		    "message/rfc822", e->conv.p, e->conv.len, e->depth + 1);
	}
	if ((st = decode_part(e, i, wstr(&e->where), &data, &len, &ok)) !=
	        DLP_OK ||
	    !ok)
		return st;
	return e->sink->object(e->sink->ctx, wstr(&e->where),
	    have ? wstr(&e->name) : NULL, type, data, len, e->depth + 1);
}

static enum dlp_status
emit_message(struct emit *e, size_t i)
{
	const uint8_t *data;
	size_t len;
	bool ok, have;
	enum dlp_status st;

	/* A forwarded message saved as "x.eml" keeps its name. */
	if ((st = part_name(e, i, &have)) != DLP_OK)
		return st;
	if (!set_where(e, &e->where, "message/rfc822[%u]", ++e->nmsg))
		return DLP_ERR_NOMEM;
	if (have &&
	    (st = e->sink->text(e->sink->ctx, DLP_SCOPE_FILENAME,
	         wstr(&e->where), NULL, wstr(&e->name), e->name.len)) != DLP_OK)
		return st;
	if ((st = decode_part(e, i, wstr(&e->where), &data, &len, &ok)) !=
	        DLP_OK ||
	    !ok)
		return st;
	return e->sink->object(e->sink->ctx, wstr(&e->where),
	    have ? wstr(&e->name) : NULL, "message/rfc822", data, len,
	    e->depth + 1);
}

/* Reply/forward prefixes (markings.md 4), matched before a ':'. */
static const char *const reply_prefixes[] = {"re", "fw", "fwd", "aw", "wg",
    "tr", "sv", "rv", "r", "i", "antw", "vs", "odp", "enc", "res"};

static size_t
strip_subject(const uint8_t *s, size_t n)
{
	size_t i = 0, k, j;

	for (;;) {
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i < n && s[i] == '[') { /* [EXTERNAL], [SPAM] ... */
			const uint8_t *c = memchr(s + i, ']', n - i);

			if (c != NULL && (size_t)(c - (s + i)) <= 40) {
				i = (size_t)(c - s) + 1;
				continue;
			}
		}
		for (k = 0; k < DLP_NITEMS(reply_prefixes); k++) {
			size_t pl = strlen(reply_prefixes[k]);

			if (n - i < pl + 1 ||
			    dlp_strncasecmp((const char *)s + i,
			        reply_prefixes[k], pl) != 0)
				continue;
			j = i + pl;
			/* "Re[2]:", "Re(2):", "RE :" */
			if (j < n && (s[j] == '[' || s[j] == '(')) {
				size_t q = j + 1;

				while (q < n && s[q] >= '0' && s[q] <= '9')
					q++;
				if (q < n && (s[q] == ']' || s[q] == ')'))
					j = q + 1;
			}
			while (j < n && s[j] == ' ')
				j++;
			if (j < n && s[j] == ':') {
				i = j + 1;
				break;
			}
			if (n - j >= 3 &&
			    memcmp(s + j, "\xef\xbc\x9a", 3) == 0) {
				i = j + 3; /* fullwidth colon */
				break;
			}
		}
		if (k == DLP_NITEMS(reply_prefixes))
			return i;
	}
}

static enum dlp_status
emit_headers(struct emit *e)
{
	const struct dlp_mime *m = e->m;
	const struct dlp_mpart *root = &m->parts[0];
	enum dlp_status st;
	bool subject = false;
	size_t i, off;

	for (i = 0; i < root->nhdr; i++) {
		const struct dlp_mhdr *h = &m->hdrs[root->hfirst + i];

		if (h->nlen == 0) {
			/* A line in the header block that is no header. */
			if (!set_where(e, &e->where, "header/invalid"))
				return DLP_ERR_NOMEM;
			if ((st = e->sink->text(e->sink->ctx, DLP_SCOPE_BODY,
			         wstr(&e->where), NULL, (const char *)h->val,
			         h->vlen)) != DLP_OK)
				return st;
			continue;
		}
		/* where = prefix + "header:" + name, as set_where would
		 * write it (cut at its 255 bytes), without the printf. */
		dlp_buf_reset(&e->name);
		dlp_buf_reset(&e->where);
		if (!dlp_buf_append(&e->name, h->name, h->nlen) ||
		    !dlp_buf_puts(&e->where, e->prefix) ||
		    !dlp_buf_append(&e->where, "header:", 7) ||
		    !dlp_buf_append(&e->where, h->name,
		        h->nlen > 255 - 7 ? 255 - 7 : h->nlen))
			return DLP_ERR_NOMEM;
		dlp_buf_reset(&e->txt);
		if (!dlp_buf_append(&e->txt, h->name, h->nlen) ||
		    !dlp_buf_puts(&e->txt, ": "))
			return DLP_ERR_NOMEM;
		off = e->txt.len;
		if (!dlp_decode_header_cs(
		        e->cs, h->val, h->vlen, &e->txt, NULL))
			return DLP_ERR_NOMEM;
		if ((st = e->sink->text(e->sink->ctx, DLP_SCOPE_HEADERS,
		         wstr(&e->where), wstr(&e->name),
		         (const char *)e->txt.p, e->txt.len)) != DLP_OK)
			return st;
		if (subject || h->nlen != 7 ||
		    !dlp_memcaseeq(h->name, "Subject", 7))
			continue;
		subject = true;
		{
			size_t s =
			    strip_subject(e->txt.p + off, e->txt.len - off);

			if (!set_where(e, &e->where, "subject"))
				return DLP_ERR_NOMEM;
			if ((st = e->sink->text(e->sink->ctx, DLP_SCOPE_SUBJECT,
			         wstr(&e->where), NULL,
			         (const char *)e->txt.p + off + s,
			         e->txt.len - off - s)) != DLP_OK)
				return st;
		}
	}
	return DLP_OK;
}

static bool
type_is(const struct dlp_mpart *pt, const char *type, const char *sub)
{
	return strcmp(pt->type, type) == 0 && strcmp(pt->sub, sub) == 0;
}

/*
 * message/partial (RFC 2046 5.2.2): one fragment of a message split over
 * several mails; the rest is in other messages, so it cannot be put back
 * together here. message/external-body (5.2.3): the content is not in the
 * message at all. Either way what is not here is reported unscanned; the
 * part's own bytes (a fragment, or the access headers) are still read
 * like an attachment.
 */
static enum dlp_status
emit_elsewhere(struct emit *e, size_t i)
{
	const struct dlp_mpart *pt = &e->m->parts[i];
	const struct dlp_mhdr *h =
	    dlp_mime_part_header(e->m, i, "Content-Type");
	char num[16] = "?", tot[16] = "?", d[200];
	struct dlp_buf b;
	enum dlp_status st;
	int rc = 0;

	if (!part_where(e, i, &e->where))
		return DLP_ERR_NOMEM;
	if (strcmp(pt->sub, "partial") == 0) {
		dlp_buf_init(&b, e->m->mem);
		if (h != NULL && (rc = dlp_mime_param(e->m->mem, NULL, h->val,
		                      h->vlen, "number", &b)) > 0)
			dlp_mime_token(b.p, b.len, num, sizeof(num));
		dlp_buf_reset(&b);
		if (rc >= 0 && h != NULL &&
		    (rc = dlp_mime_param(
		         e->m->mem, NULL, h->val, h->vlen, "total", &b)) > 0)
			dlp_mime_token(b.p, b.len, tot, sizeof(tot));
		dlp_buf_fini(&b);
		if (rc < 0)
			return DLP_ERR_NOMEM;
		snprintf(d, sizeof(d),
		    "message/partial fragment %s of %s: the other fragments "
		    "are in other messages and cannot be reassembled; this one "
		    "is read alone",
		    num[0] ? num : "?", tot[0] ? tot : "?");
	} else {
		snprintf(d, sizeof(d),
		    "message/external-body: the content is stored outside the "
		    "message and was not fetched");
	}
	if ((st = unscanned(e, wstr(&e->where), "unsupported", d)) != DLP_OK)
		return st;
	return emit_attachment(e, i);
}

static enum dlp_status
emit_leaf(struct emit *e, size_t i)
{
	const struct dlp_mpart *pt = &e->m->parts[i];
	bool have;
	enum dlp_status st;

	if (strcmp(pt->type, "message") == 0 &&
	    (strcmp(pt->sub, "rfc822") == 0 || strcmp(pt->sub, "global") == 0 ||
	        strcmp(pt->sub, "news") == 0))
		return emit_message(e, i);
	if (type_is(pt, "text", "rfc822-headers"))
		return emit_message(e, i);
	if (type_is(pt, "message", "partial") ||
	    type_is(pt, "message", "external-body"))
		return emit_elsewhere(e, i);
	if (type_is(pt, "application", "pgp-encrypted") ||
	    type_is(pt, "application", "x-pgp-encrypted")) {
		if (!part_where(e, i, &e->where))
			return DLP_ERR_NOMEM;
		return unscanned(
		    e, wstr(&e->where), "encrypted", "PGP encrypted part");
	}
	/* Signatures carry no content (multipart/signed, RFC 1847). */
	if (type_is(pt, "application", "pgp-signature") ||
	    type_is(pt, "application", "pkcs7-signature") ||
	    type_is(pt, "application", "x-pkcs7-signature"))
		return DLP_OK;
	if ((strcmp(pt->type, "text") == 0 &&
	        (strcmp(pt->sub, "plain") == 0 ||
	            strcmp(pt->sub, "html") == 0 ||
	            strcmp(pt->sub, "enriched") == 0 ||
	            strcmp(pt->sub, "richtext") == 0)) ||
	    type_is(pt, "message", "delivery-status") ||
	    type_is(pt, "message", "disposition-notification") ||
	    type_is(pt, "message", "feedback-report")) {
		if ((st = part_name(e, i, &have)) != DLP_OK)
			return st;
		if (!have && !is_attachment_disp(e, i))
			return emit_body(e, i,
			    strcmp(pt->sub, "html") == 0 ? K_HTML
			    : (strcmp(pt->sub, "enriched") == 0 ||
			          strcmp(pt->sub, "richtext") == 0)
			        ? K_ENRICHED
			        : K_TEXT);
	}
	return emit_attachment(e, i);
}

static enum dlp_status
walk(struct emit *e)
{
	const struct dlp_mime *m = e->m;
	struct dlp_budget *bud = e->sink->budget;
	enum dlp_status st;
	size_t i = 0, j;

	while (i < m->nparts && !e->stop) {
		const struct dlp_mpart *pt = &m->parts[i];

		if (bud != NULL &&
		    (bud->parts_left == 0 || dlp_budget_expired(bud))) {
			if (!part_where(e, i, &e->where))
				return DLP_ERR_NOMEM;
			e->stop = true;
			return unscanned(e, wstr(&e->where), "limit",
			    bud->parts_left == 0 ? "MIME part budget exhausted"
			                         : "scan time exhausted");
		}
		if (bud != NULL)
			bud->parts_left--;
		if (pt->flags & DLP_MP_MULTI) {
			if (strcmp(pt->sub, "encrypted") == 0) {
				if (!part_where(e, i, &e->where))
					return DLP_ERR_NOMEM;
				if ((st = unscanned(e, wstr(&e->where),
				         "encrypted", "multipart/encrypted")) !=
				    DLP_OK)
					return st;
				for (j = i + 1; j < m->nparts &&
				                m->parts[j].depth > pt->depth;
				     j++)
					;
				i = j;
				continue;
			}
			if (pt->nchild == 0 &&
			    (st = emit_body(e, i, K_TEXT)) != DLP_OK)
				return st;
			i++;
			continue;
		}
		if (!(pt->flags & DLP_MP_LIMIT) &&
		    (st = emit_leaf(e, i)) != DLP_OK)
			return st;
		i++;
	}
	return DLP_OK;
}

enum dlp_status
dlp_mime_emit(const struct dlp_mime *m, struct dlp_charset *cs,
    const struct dlp_sink *sink, const char *prefix, unsigned depth)
{
	struct emit e;
	enum dlp_status st = DLP_OK;
	size_t i;

	if (m == NULL || sink == NULL)
		return DLP_ERR_INVAL;
	memset(&e, 0, sizeof(e));
	e.m = m;
	e.cs = cs;
	e.sink = sink;
	e.prefix = prefix != NULL ? prefix : "";
	e.depth = depth;
	dlp_buf_init(&e.where, m->mem);
	dlp_buf_init(&e.dec, m->mem);
	dlp_buf_init(&e.conv, m->mem);
	dlp_buf_init(&e.txt, m->mem);
	dlp_buf_init(&e.tmp, m->mem);
	dlp_buf_init(&e.name, m->mem);
	if (m->len == 0 || m->nparts == 0) {
		if (!set_where(&e, &e.where, "message"))
			st = DLP_ERR_NOMEM;
		else
			st = unscanned(
			    &e, wstr(&e.where), "malformed", "empty message");
		goto out;
	}
	if ((st = emit_headers(&e)) != DLP_OK)
		goto out;
	if (m->parts[0].flags & DLP_MP_NOHEADER) {
		if (!set_where(&e, &e.where, "message")) {
			st = DLP_ERR_NOMEM;
			goto out;
		}
		if ((st = unscanned(&e, wstr(&e.where), "malformed",
		         "no header block: read as text")) != DLP_OK)
			goto out;
	}
	if ((st = walk(&e)) != DLP_OK)
		goto out;
	for (i = 0; i < m->nnotes; i++) {
		if (!part_where(&e, m->notes[i].part, &e.where)) {
			st = DLP_ERR_NOMEM;
			goto out;
		}
		if ((st = unscanned(&e, wstr(&e.where), m->notes[i].why,
		         m->notes[i].detail)) != DLP_OK)
			goto out;
	}
out:
	dlp_buf_fini(&e.where);
	dlp_buf_fini(&e.dec);
	dlp_buf_fini(&e.conv);
	dlp_buf_fini(&e.txt);
	dlp_buf_fini(&e.tmp);
	dlp_buf_fini(&e.name);
	return st;
}
