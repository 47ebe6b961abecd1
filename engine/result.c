/*
 * result.c - the result object: accumulation during a scan, the public
 * accessors, and rendering as JSON.
 *
 * Trust: every string stored here may come from the message (attachment
 * names, where paths, excerpts) and can hold any bytes; the JSON writer
 * escapes control characters and replaces invalid UTF-8 with U+FFFD, so
 * its output is always valid JSON.
 * Limits: findings are capped at limits.max_findings distinct entries;
 * the best level of those not kept still counts (overflow_level).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "result.h"

struct dlp_arena_block {
	struct dlp_arena_block *next;
	size_t used, cap;
	char data[];
};

enum dlp_status
dlp_result_new(
    const struct dlp_mem *mem, size_t max_findings, struct dlp_result **out)
{
	struct dlp_result *r;

	*out = NULL;
	if ((r = dlp_calloc(mem, 1, sizeof(*r))) == NULL)
		return DLP_ERR_NOMEM;
	r->mem = mem;
	r->max_findings = max_findings;
	r->verdict = DLP_HOLD; /* until policy decides: never allow */
	r->sender = r->queue_id = r->sigid = "";
	*out = r;
	return DLP_OK;
}

void
dlp_result_free(struct dlp_result *r)
{
	struct dlp_arena_block *b, *n;

	if (r == NULL)
		return;
	for (b = r->arena; b != NULL; b = n) {
		n = b->next;
		dlp_free(r->mem, b);
	}
	dlp_free(r->mem, r->findings);
	dlp_free(r->mem, r->rcpts);
	dlp_free(r->mem, r->rcpt_country);
	dlp_free(r->mem, r->uns);
	dlp_free(r->mem, r->reasons);
	dlp_free(r->mem, r);
}

const char *
dlp_result_strn(struct dlp_result *r, const char *s, size_t n)
{
	struct dlp_arena_block *b = r->arena;
	size_t need;
	char *p;

	if (s == NULL)
		return "";
	if (!dlp_add_ok(n, 1, &need))
		return NULL;
	if (b == NULL || b->cap - b->used < need) {
		size_t cap = need > 8192 ? need : 8192, sz;

		if (!dlp_add_ok(cap, sizeof(*b), &sz) ||
		    (b = dlp_malloc(r->mem, sz)) == NULL)
			return NULL;
		b->cap = cap;
		b->used = 0;
		b->next = r->arena;
		r->arena = b;
	}
	p = b->data + b->used;
	memcpy(p, s, n);
	p[n] = '\0';
	b->used += need;
	return p;
}

const char *
dlp_result_str(struct dlp_result *r, const char *s)
{
	return dlp_result_strn(r, s, s ? strlen(s) : 0);
}

/* Make room for one more element in a result array. */
static bool
room(struct dlp_result *r, void **arr, size_t n, size_t *cap, size_t elem)
{
	size_t ncap, sz;
	void *na;

	if (n < *cap)
		return true;
	ncap = *cap ? *cap * 2 : 8;
	if (!dlp_mul_ok(ncap, elem, &sz) ||
	    (na = dlp_realloc(r->mem, *arr, sz)) == NULL)
		return false;
	*arr = na;
	*cap = ncap;
	return true;
}

enum dlp_status
dlp_result_add_hit(struct dlp_result *r, const struct dlp_hit *h)
{
	struct dlp_finding_x *f;

	for (size_t i = 0; i < r->nfindings; i++) {
		f = &r->findings[i];
		if (strcmp(f->pub.rule, h->rule) != 0 ||
		    strcmp(f->pub.where, h->where) != 0)
			continue;
		f->pub.count++;
		f->pub.flags |= h->flags;
		if (h->level > f->pub.level ||
		    (h->level == f->pub.level &&
		        h->confidence > f->pub.confidence)) {
			const char *d = dlp_result_str(r, h->detail);
			const char *rt = dlp_result_str(r, h->rel_to);

			if (d == NULL || rt == NULL)
				return DLP_ERR_NOMEM;
			f->pub.level = h->level;
			f->pub.detail = d;
			f->rel_to = rt;
		}
		if (h->confidence > f->pub.confidence)
			f->pub.confidence = h->confidence;
		/* A hit with a hotword near it may count at a lower min-count
		 * (docs/signatures.md). */
		if (h->min_count != 0 && h->min_count < f->min_count)
			f->min_count = h->min_count;
		return DLP_OK;
	}
	if (r->nfindings >= r->max_findings) {
		if (h->confidence >= 2 && h->level > r->overflow_level)
			r->overflow_level = h->level;
		r->noverflow++;
		return DLP_OK;
	}
	if (!room(r, (void **)&r->findings, r->nfindings, &r->capfindings,
	        sizeof(*f)))
		return DLP_ERR_NOMEM;
	f = &r->findings[r->nfindings];
	memset(f, 0, sizeof(*f));
	f->pub.rule = dlp_result_str(r, h->rule);
	f->pub.title = dlp_result_str(r, h->title);
	f->pub.category = dlp_result_str(r, h->category);
	f->pub.where = dlp_result_str(r, h->where);
	f->pub.excerpt = dlp_result_str(r, h->excerpt);
	f->pub.detail = dlp_result_str(r, h->detail);
	f->rel_to = dlp_result_str(r, h->rel_to);
	if (f->pub.rule == NULL || f->pub.title == NULL ||
	    f->pub.category == NULL || f->pub.where == NULL ||
	    f->pub.excerpt == NULL || f->pub.detail == NULL ||
	    f->rel_to == NULL)
		return DLP_ERR_NOMEM;
	f->pub.level = h->level;
	f->pub.flags = h->flags;
	f->pub.confidence = h->confidence;
	f->pub.count = 1;
	f->pub.line = h->line;
	f->audit = h->audit;
	f->min_count = h->min_count ? h->min_count : 1;
	r->nfindings++;
	return DLP_OK;
}

enum dlp_status
dlp_result_add_unscanned(struct dlp_result *r, const char *where,
    const char *why, const char *detail, unsigned level)
{
	struct dlp_unscanned *u;

	if (detail == NULL)
		detail = "";
	for (size_t i = 0; i < r->nuns; i++)
		if (strcmp(r->uns[i].where, where) == 0 &&
		    strcmp(r->uns[i].why, why) == 0 &&
		    strcmp(r->uns[i].detail, detail) == 0)
			return DLP_OK;
	if (r->nuns >= 1000) /* the same fail-closed level either way */
		return DLP_OK;
	if (!room(r, (void **)&r->uns, r->nuns, &r->capuns, sizeof(*u)))
		return DLP_ERR_NOMEM;
	u = &r->uns[r->nuns];
	u->where = dlp_result_str(r, where);
	u->why = dlp_result_str(r, why);
	u->detail = dlp_result_str(r, detail);
	u->level = level;
	if (u->where == NULL || u->why == NULL || u->detail == NULL)
		return DLP_ERR_NOMEM;
	r->nuns++;
	return DLP_OK;
}

enum dlp_status
dlp_result_add_recipient(
    struct dlp_result *r, const struct dlp_recipient *rc, const char *country)
{
	struct dlp_recipient *d;
	size_t cap = r->caprcpts;

	if (!room(r, (void **)&r->rcpts, r->nrcpts, &r->caprcpts, sizeof(*d)))
		return DLP_ERR_NOMEM;
	if (cap != r->caprcpts) {
		const char **nc;
		size_t sz;

		if (!dlp_mul_ok(r->caprcpts, sizeof(*nc), &sz) ||
		    (nc = dlp_realloc(r->mem, r->rcpt_country, sz)) == NULL)
			return DLP_ERR_NOMEM;
		r->rcpt_country = nc;
	}
	d = &r->rcpts[r->nrcpts];
	*d = *rc;
	d->address = dlp_result_str(r, rc->address);
	d->domain = dlp_result_str(r, rc->domain);
	d->kind = dlp_result_str(r, rc->kind);
	d->explain = dlp_result_str(r, rc->explain);
	d->suggest = dlp_result_str(r, rc->suggest);
	r->rcpt_country[r->nrcpts] = dlp_result_str(r, country);
	if (d->address == NULL || d->domain == NULL || d->kind == NULL ||
	    d->explain == NULL || d->suggest == NULL ||
	    r->rcpt_country[r->nrcpts] == NULL)
		return DLP_ERR_NOMEM;
	r->nrcpts++;
	return DLP_OK;
}

enum dlp_status
dlp_result_add_reason(struct dlp_result *r, const char *fmt, ...)
{
	char line[1024];
	const char *s;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	for (size_t i = 0; i < r->nreasons; i++)
		if (strcmp(r->reasons[i], line) == 0)
			return DLP_OK;
	if (!room(r, (void **)&r->reasons, r->nreasons, &r->capreasons,
	        sizeof(*r->reasons)))
		return DLP_ERR_NOMEM;
	if ((s = dlp_result_str(r, line)) == NULL)
		return DLP_ERR_NOMEM;
	r->reasons[r->nreasons++] = s;
	return DLP_OK;
}

/* Public accessors. */

enum dlp_verdict
dlp_result_verdict(const struct dlp_result *r)
{
	return r ? r->verdict : DLP_HOLD;
}

unsigned
dlp_result_level(const struct dlp_result *r)
{
	return r ? r->level : 0;
}

unsigned
dlp_result_flags(const struct dlp_result *r)
{
	return r ? r->flags : 0;
}

size_t
dlp_result_nfindings(const struct dlp_result *r)
{
	return r ? r->nfindings : 0;
}

const struct dlp_finding *
dlp_result_finding(const struct dlp_result *r, size_t i)
{
	return r && i < r->nfindings ? &r->findings[i].pub : NULL;
}

size_t
dlp_result_nrecipients(const struct dlp_result *r)
{
	return r ? r->nrcpts : 0;
}

const struct dlp_recipient *
dlp_result_recipient(const struct dlp_result *r, size_t i)
{
	return r && i < r->nrcpts ? &r->rcpts[i] : NULL;
}

size_t
dlp_result_nunscanned(const struct dlp_result *r)
{
	return r ? r->nuns : 0;
}

const struct dlp_unscanned *
dlp_result_unscanned(const struct dlp_result *r, size_t i)
{
	return r && i < r->nuns ? &r->uns[i] : NULL;
}

size_t
dlp_result_nreasons(const struct dlp_result *r)
{
	return r ? r->nreasons : 0;
}

const char *
dlp_result_reason(const struct dlp_result *r, size_t i)
{
	return r && i < r->nreasons ? r->reasons[i] : NULL;
}

size_t
dlp_result_bytes(const struct dlp_result *r)
{
	return r ? r->bytes : 0;
}

/* JSON. */

static bool
json_str(struct dlp_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	bool ok = dlp_buf_putc(b, '"');

	while (ok && *p) {
		unsigned c = *p;

		if (c == '"' || c == '\\') {
			ok = dlp_buf_putc(b, '\\') && dlp_buf_putc(b, (int)c);
			p++;
		} else if (c < 0x20 || c == 0x7f) {
			ok = dlp_buf_printf(b, "\\u%04x", c);
			p++;
		} else if (c < 0x80) {
			ok = dlp_buf_putc(b, (int)c);
			p++;
		} else {
			/* Copy a valid UTF-8 sequence; else U+FFFD. */
			size_t k = (c & 0xe0) == 0xc0   ? 2
			           : (c & 0xf0) == 0xe0 ? 3
			           : (c & 0xf8) == 0xf0 ? 4
			                                : 0;
			size_t j = 1;

			if (k != 0)
				for (; j < k && (p[j] & 0xc0) == 0x80; j++)
					;
			if (k == 0 || j != k || (k == 2 && c < 0xc2)) {
				ok = dlp_buf_puts(b, "\\ufffd");
				p++;
			} else {
				ok = dlp_buf_append(b, p, k);
				p += k;
			}
		}
	}
	return ok && dlp_buf_putc(b, '"');
}

static bool
json_key(struct dlp_buf *b, bool *first, const char *k)
{
	bool ok = true;

	if (!*first)
		ok = dlp_buf_putc(b, ',');
	*first = false;
	return ok && json_str(b, k) && dlp_buf_putc(b, ':');
}

static bool
json_kstr(struct dlp_buf *b, bool *first, const char *k, const char *v)
{
	return json_key(b, first, k) && json_str(b, v);
}

static bool
json_knum(struct dlp_buf *b, bool *first, const char *k, unsigned long long v)
{
	return json_key(b, first, k) && dlp_buf_printf(b, "%llu", v);
}

static bool
json_kbool(struct dlp_buf *b, bool *first, const char *k, bool v)
{
	return json_key(b, first, k) && dlp_buf_puts(b, v ? "true" : "false");
}

static const char *const flag_json[] = {
    "national-only",
    "rel-list",
    "originator",
    "privacy-legal",
    "cabinet",
    "embargo",
    "commercial",
    "nato",
    "suppressor",
};

static bool
json_flags(struct dlp_buf *b, bool *first, unsigned flags)
{
	bool ok = json_key(b, first, "flags") && dlp_buf_putc(b, '[');
	bool f1 = true;

	for (size_t i = 0; ok && i < DLP_NITEMS(flag_json); i++) {
		if (!(flags & (1u << i)))
			continue;
		if (!f1)
			ok = dlp_buf_putc(b, ',');
		f1 = false;
		ok = ok && json_str(b, flag_json[i]);
	}
	return ok && dlp_buf_putc(b, ']');
}

static bool
render(const struct dlp_result *r, const char *source, struct dlp_buf *b)
{
	bool first = true, ok = dlp_buf_putc(b, '{');

	if (source != NULL)
		ok = ok && json_kstr(b, &first, "source", source);
	ok =
	    ok && json_kstr(b, &first, "verdict", dlp_verdict_name(r->verdict));
	ok = ok && json_knum(b, &first, "level", r->level);
	ok = ok && json_flags(b, &first, r->flags);
	ok = ok && json_kstr(b, &first, "queue_id", r->queue_id);
	ok = ok && json_kstr(b, &first, "sender", r->sender);
	ok = ok && json_key(b, &first, "reasons") && dlp_buf_putc(b, '[');
	for (size_t i = 0; ok && i < r->nreasons; i++)
		ok = (i == 0 || dlp_buf_putc(b, ',')) &&
		     json_str(b, r->reasons[i]);
	ok = ok && dlp_buf_putc(b, ']');
	ok = ok && json_key(b, &first, "findings") && dlp_buf_putc(b, '[');
	for (size_t i = 0; ok && i < r->nfindings; i++) {
		const struct dlp_finding_x *f = &r->findings[i];
		bool ff = true;

		ok = (i == 0 || dlp_buf_putc(b, ',')) && dlp_buf_putc(b, '{') &&
		     json_kstr(b, &ff, "rule", f->pub.rule) &&
		     json_kstr(b, &ff, "title", f->pub.title) &&
		     json_kstr(b, &ff, "category", f->pub.category) &&
		     json_knum(b, &ff, "level", f->pub.level) &&
		     json_knum(b, &ff, "confidence", f->pub.confidence) &&
		     json_knum(b, &ff, "count", f->pub.count) &&
		     json_kstr(b, &ff, "where", f->pub.where) &&
		     json_knum(b, &ff, "line", f->pub.line) &&
		     json_kstr(b, &ff, "excerpt", f->pub.excerpt) &&
		     json_kstr(b, &ff, "detail", f->pub.detail) &&
		     json_flags(b, &ff, f->pub.flags) &&
		     json_kbool(b, &ff, "counted", f->counted) &&
		     json_kbool(b, &ff, "audit", f->audit) &&
		     dlp_buf_putc(b, '}');
	}
	ok = ok && dlp_buf_putc(b, ']');
	ok = ok && json_key(b, &first, "recipients") && dlp_buf_putc(b, '[');
	for (size_t i = 0; ok && i < r->nrcpts; i++) {
		const struct dlp_recipient *c = &r->rcpts[i];
		bool ff = true;

		ok = (i == 0 || dlp_buf_putc(b, ',')) && dlp_buf_putc(b, '{') &&
		     json_kstr(b, &ff, "address", c->address) &&
		     json_kstr(b, &ff, "domain", c->domain) &&
		     json_kstr(b, &ff, "class", dlp_rcpt_class_name(c->cls)) &&
		     json_knum(b, &ff, "score", c->score) &&
		     json_kstr(b, &ff, "kind", c->kind) &&
		     json_kstr(b, &ff, "explain", c->explain) &&
		     json_kstr(b, &ff, "suggest", c->suggest) &&
		     json_kstr(
		         b, &ff, "verdict", dlp_verdict_name(c->verdict)) &&
		     dlp_buf_putc(b, '}');
	}
	ok = ok && dlp_buf_putc(b, ']');
	ok = ok && json_key(b, &first, "unscanned") && dlp_buf_putc(b, '[');
	for (size_t i = 0; ok && i < r->nuns; i++) {
		const struct dlp_unscanned *u = &r->uns[i];
		bool ff = true;

		ok = (i == 0 || dlp_buf_putc(b, ',')) && dlp_buf_putc(b, '{') &&
		     json_kstr(b, &ff, "where", u->where) &&
		     json_kstr(b, &ff, "why", u->why) &&
		     json_kstr(b, &ff, "detail", u->detail) &&
		     json_knum(b, &ff, "level", u->level) &&
		     dlp_buf_putc(b, '}');
	}
	ok = ok && dlp_buf_putc(b, ']');
	ok = ok && json_knum(b, &first, "bytes", r->bytes);
	ok = ok && json_kstr(b, &first, "signature_id", r->sigid);
	return ok && dlp_buf_putc(b, '}');
}

enum dlp_status
dlp_result_to_json(
    const struct dlp_result *r, const char *source, char **json, size_t *len)
{
	struct dlp_buf b;

	if (json != NULL)
		*json = NULL;
	if (len != NULL)
		*len = 0;
	if (r == NULL || json == NULL)
		return DLP_ERR_INVAL;
	dlp_buf_init(&b, r->mem);
	if (!render(r, source, &b)) {
		dlp_buf_fini(&b);
		return DLP_ERR_NOMEM;
	}
	*json = dlp_buf_take(&b, len);
	return *json ? DLP_OK : DLP_ERR_NOMEM;
}

void
dlp_result_free_json(const struct dlp_result *r, char *json)
{
	if (r != NULL && json != NULL)
		dlp_free(r->mem, json);
}

/* Names. */

const char *
dlp_verdict_name(enum dlp_verdict v)
{
	switch (v) {
	case DLP_ALLOW:
		return "allow";
	case DLP_HOLD:
		return "hold";
	case DLP_BLOCK:
		return "block";
	}
	return "invalid";
}

const char *
dlp_rcpt_class_name(enum dlp_rcpt_class c)
{
	static const char *const names[] = {
	    "internal", "trusted", "unknown", "typo", "high-risk", "invalid"};

	if (c >= DLP_RCPT_INTERNAL && c <= DLP_RCPT_INVALID)
		return names[c - DLP_RCPT_INTERNAL];
	return "invalid";
}

const char *
dlp_strerror(enum dlp_status st)
{
	switch (st) {
	case DLP_OK:
		return "success";
	case DLP_ERR_INVAL:
		return "invalid argument";
	case DLP_ERR_NOMEM:
		return "out of memory";
	case DLP_ERR_IO:
		return "input/output error";
	case DLP_ERR_SIGNATURE:
		return "signature file rejected";
	case DLP_ERR_CONFIG:
		return "configuration rejected";
	case DLP_ERR_SCAN:
		return "matcher failed";
	case DLP_ERR_INTERNAL:
		return "internal error";
	}
	return "unknown status";
}

const char *
dlp_version(void)
{
	return DLP_VERSION_STRING;
}
