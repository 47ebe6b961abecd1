/*
 * engine.c - the engine (immutable, shared) and the scan (per thread):
 * builds the engine from a config, then runs one message through the
 * stages: parse -> recipients -> emit texts and objects -> match ->
 * policy.
 *
 * Trust: the message and envelope are hostile; the config is the
 * administrator's. The engine is never written after dlp_engine_new()
 * returns, so any number of threads may scan with it, each with its own
 * struct dlp_scan (Hyperscan scratch, buffers, libmagic cookie).
 * Limits: struct dlp_limits, checked here (message size, wall time) and
 * passed to every stage through the budget. A limit hit is an "unscanned"
 * entry, never a silent allow.
 * Status: only DLP_ERR_NOMEM, DLP_ERR_SCAN and DLP_ERR_INVAL leave a
 * scan; content problems become part of the result.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "address.h"
#include "config.h"
#include "domain.h"
#include "engine.h"
#include "extract.h"
#include "mime.h"

#define ENGINE_MAGIC 0x64706c65u /* "elpd" */
#define SCAN_MAGIC   0x64706c73u

static bool
file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static char *
join(const struct dlp_mem *mem, const char *dir, const char *name)
{
	struct dlp_buf b;

	dlp_buf_init(&b, mem);
	if (!dlp_buf_printf(&b, "%s/%s", dir, name)) {
		dlp_buf_fini(&b);
		return NULL;
	}
	return dlp_buf_take(&b, NULL);
}

enum dlp_status
dlp_engine_new(const struct dlp_config *cfg, struct dlp_engine **out,
    struct dlp_error *err)
{
	struct dlp_engine *e = NULL;
	const char **sigs = NULL;
	char *policy = NULL, *domdir = NULL;
	size_t nsig = 0;
	enum dlp_status st;

	if (err != NULL)
		memset(err, 0, sizeof(*err));
	if (out == NULL)
		return dlp_error_set(
		    err, DLP_ERR_INVAL, "", 0, 0, "out is NULL");
	*out = NULL;
	if (cfg == NULL)
		return dlp_error_set(err, DLP_ERR_INVAL, "", 0, 0, "no config");
	if ((st = dlp_limits_check(&cfg->limits, err)) != DLP_OK)
		return st;
	if ((e = dlp_calloc(&cfg->mem, 1, sizeof(*e))) == NULL)
		return dlp_error_set(
		    err, DLP_ERR_NOMEM, "", 0, 0, "out of memory");
	e->magic = ENGINE_MAGIC;
	e->mem = cfg->mem;
	e->limits = cfg->limits;

	/* Signature sources: the data directory's *.sig, then the extras. */
	if ((sigs = dlp_calloc(
	         &e->mem, cfg->signatures.n + 1, sizeof(*sigs))) == NULL) {
		st = dlp_error_set(
		    err, DLP_ERR_NOMEM, "", 0, 0, "out of memory");
		goto fail;
	}
	if (cfg->data_dir != NULL && !cfg->no_default_signatures)
		sigs[nsig++] = cfg->data_dir;
	for (size_t i = 0; i < cfg->signatures.n; i++)
		sigs[nsig++] = cfg->signatures.v[i];
	if (nsig == 0 && cfg->keywords.n == 0) {
		st = dlp_error_set(err, DLP_ERR_CONFIG, "", 0, 0,
		    "no signatures: set a data directory or add signature "
		    "files");
		goto fail;
	}
	if ((st = dlp_sigdb_load(&e->mem, sigs, nsig,
	         (const char *const *)cfg->keywords.v, cfg->keywords.n,
	         cfg->cache_dir, &e->sigdb, err)) != DLP_OK)
		goto fail;
	if (hs_alloc_scratch(e->sigdb->db, &e->proto) != HS_SUCCESS) {
		st = dlp_error_set(err, DLP_ERR_NOMEM, "", 0, 0,
		    "cannot allocate Hyperscan scratch");
		goto fail;
	}

	/* Policy: the explicit file, else the data directory's. */
	if (cfg->policy != NULL) {
		if ((policy = dlp_strdup(&e->mem, cfg->policy)) == NULL)
			goto nomem;
	} else if (cfg->data_dir != NULL) {
		if ((policy = join(&e->mem, cfg->data_dir, "policy.conf")) ==
		    NULL)
			goto nomem;
		if (!file_exists(policy)) {
			st = dlp_error_set(err, DLP_ERR_CONFIG, policy, 0, 0,
			    "the data directory has no policy.conf");
			goto fail;
		}
	}
	if ((st = dlp_policy_load(&e->policy, policy, err)) != DLP_OK)
		goto fail;

	if (cfg->data_dir != NULL) {
		if ((domdir = join(&e->mem, cfg->data_dir, "domains")) == NULL)
			goto nomem;
		if (!file_exists(domdir)) {
			dlp_free(&e->mem, domdir);
			domdir = NULL;
		}
	}
	if ((st = dlp_domain_load(&e->mem, domdir,
	         (const char *const *)cfg->internal.v, cfg->internal.n,
	         (const char *const *)cfg->trusted.v, cfg->trusted.n,
	         &e->domains, err)) != DLP_OK)
		goto fail;

	e->pdf_keep = dlp_pdf_keep_new();
	dlp_free(&e->mem, sigs);
	dlp_free(&e->mem, policy);
	dlp_free(&e->mem, domdir);
	*out = e;
	return DLP_OK;
nomem:
	st = dlp_error_set(err, DLP_ERR_NOMEM, "", 0, 0, "out of memory");
fail:
	if (err != NULL && err->status == DLP_OK)
		dlp_error_set(err, st, "", 0, 0, "%s", dlp_strerror(st));
	if (e != NULL) {
		dlp_free(&e->mem, sigs);
		dlp_free(&e->mem, policy);
		dlp_free(&e->mem, domdir);
	}
	dlp_engine_free(e);
	return st;
}

void
dlp_engine_free(struct dlp_engine *e)
{
	struct dlp_mem mem;

	if (e == NULL || e->magic != ENGINE_MAGIC)
		return;
	mem = e->mem;
	hs_free_scratch(e->proto);
	dlp_sigdb_free(e->sigdb);
	dlp_domain_free(e->domains);
	dlp_pdf_keep_free(e->pdf_keep);
	e->magic = 0;
	dlp_free(&mem, e);
}

const char *
dlp_engine_signature_id(const struct dlp_engine *e)
{
	return e && e->magic == ENGINE_MAGIC ? e->sigdb->id : "";
}

int
dlp_engine_cache_hit(const struct dlp_engine *e)
{
	return e && e->magic == ENGINE_MAGIC && e->sigdb->cached;
}

size_t
dlp_engine_nrules(const struct dlp_engine *e)
{
	return e && e->magic == ENGINE_MAGIC ? e->sigdb->nrules : 0;
}

enum dlp_status
dlp_scan_new(const struct dlp_engine *e, struct dlp_scan **out)
{
	struct dlp_scan *s;
	enum dlp_status st;

	if (out == NULL)
		return DLP_ERR_INVAL;
	*out = NULL;
	if (e == NULL || e->magic != ENGINE_MAGIC)
		return DLP_ERR_INVAL;
	if ((s = dlp_calloc(&e->mem, 1, sizeof(*s))) == NULL)
		return DLP_ERR_NOMEM;
	s->magic = SCAN_MAGIC;
	s->eng = e;
	if ((st = dlp_matcher_new(&e->mem, e->sigdb, e->proto, &s->matcher)) !=
	        DLP_OK ||
	    (st = dlp_charset_new(&e->mem, &s->cs)) != DLP_OK ||
	    (s->rcpt_cache = dlp_calloc(&e->mem, 1, sizeof(*s->rcpt_cache))) ==
	        NULL) {
		dlp_scan_free(s);
		return st != DLP_OK ? st : DLP_ERR_NOMEM;
	}
	*out = s;
	return DLP_OK;
}

void
dlp_scan_free(struct dlp_scan *s)
{
	if (s == NULL || s->magic != SCAN_MAGIC)
		return;
	dlp_matcher_free(s->matcher);
	dlp_free(&s->eng->mem, s->rcpt_cache);
	dlp_charset_free(s->cs);
	dlp_sniffer_free(s->x.sniff);
	s->magic = 0;
	dlp_free(&s->eng->mem, s);
}

const char *
dlp_scan_errmsg(const struct dlp_scan *s)
{
	return s && s->magic == SCAN_MAGIC ? s->errmsg : "invalid scan";
}

/* The sink the stages report to. */

static enum dlp_status
sink_text(void *ctx, unsigned scope, const char *where, const char *header,
    const char *text, size_t len)
{
	struct dlp_scan *s = ctx;
	enum dlp_status st;
	bool limited = false;

	if (dlp_budget_expired(&s->budget)) {
		if (s->time_reported)
			return DLP_OK;
		s->time_reported = true;
		return dlp_result_add_unscanned(s->res, where, "limit",
		    "wall time per message (max_scan_ms) exceeded; the rest "
		    "of the message was not read",
		    0);
	}
	if (len >= ((size_t)1 << 32) - 1)
		return dlp_result_add_unscanned(
		    s->res, where, "limit", "text larger than 4 GiB", 0);
	st = dlp_match_text(
	    s->matcher, s->res, scope, header, where, text, len, &limited);
	if (st == DLP_ERR_SCAN)
		snprintf(s->errmsg, sizeof(s->errmsg), "Hyperscan failed on %s",
		    where);
	if (st == DLP_OK && limited)
		st = dlp_result_add_unscanned(s->res, where, "limit",
		    "too many candidate matches to confirm them all", 0);
	return st;
}

static enum dlp_status
sink_unscanned(
    void *ctx, const char *where, const char *why, const char *detail)
{
	struct dlp_scan *s = ctx;

	return dlp_result_add_unscanned(s->res, where, why, detail, 0);
}

/* Findings that are facts about the message rather than text matches. */
static const struct {
	const char *rule, *title;
} note_titles[] = {
    {"type-mismatch", "Declared file type differs from the real type"},
    {"image", "Image (text in images is not read)"},
    {"archive-path-traversal", "Archive entry name leaves its folder"},
};

static enum dlp_status
sink_finding(void *ctx, const char *where, const char *rule, unsigned level,
    const char *detail)
{
	struct dlp_scan *s = ctx;
	struct dlp_hit h;

	memset(&h, 0, sizeof(h));
	h.rule = rule;
	h.title = rule;
	for (size_t i = 0; i < DLP_NITEMS(note_titles); i++)
		if (strcmp(note_titles[i].rule, rule) == 0)
			h.title = note_titles[i].title;
	h.category = "note";
	h.where = where;
	h.level = level > DLP_LEVEL_MAX ? DLP_LEVEL_MAX : level;
	h.confidence = 3;
	h.min_count = 1;
	h.excerpt = "";
	h.detail = detail ? detail : "";
	h.rel_to = "";
	return dlp_result_add_hit(s->res, &h);
}

static enum dlp_status
sink_object(void *ctx, const char *where, const char *name,
    const char *declared_type, const uint8_t *data, size_t len, unsigned depth)
{
	struct dlp_scan *s = ctx;

	if (dlp_budget_expired(&s->budget)) {
		if (s->time_reported)
			return DLP_OK;
		s->time_reported = true;
		return dlp_result_add_unscanned(s->res, where, "limit",
		    "wall time per message (max_scan_ms) exceeded", 0);
	}
	return dlp_extract_object(
	    &s->x, where, name, declared_type, data, len, depth);
}

/* Recipients. */

struct rcpt_ctx {
	struct dlp_scan *s;
	enum dlp_status st;
	size_t n;
};

static enum dlp_status
add_rcpt(void *ctx, const char *addr, size_t len)
{
	struct rcpt_ctx *rc = ctx;
	struct dlp_domain_result d;
	struct dlp_recipient pub;
	enum dlp_status st;

	if (rc->n >= 10000) /* bound the work; the rest share a verdict */
		return DLP_OK;
	if ((st = dlp_domain_classify_cached(rc->s->eng->domains,
	         rc->s->rcpt_cache, addr, len, &d)) != DLP_OK)
		return st;
	for (size_t i = 0; i < rc->s->res->nrcpts; i++)
		if (strcmp(rc->s->res->rcpts[i].address, d.address) == 0)
			return DLP_OK; /* a duplicate */
	memset(&pub, 0, sizeof(pub));
	pub.address = d.address;
	pub.domain = d.domain;
	pub.cls = d.cls;
	pub.score = d.score;
	pub.kind = d.kind;
	pub.explain = d.explain;
	pub.suggest = d.suggest;
	pub.verdict = DLP_HOLD;
	rc->n++;
	return dlp_result_add_recipient(rc->s->res, &pub, d.country);
}

static enum dlp_status
recipients(struct dlp_scan *s, const struct dlp_mime *m,
    const struct dlp_envelope *env)
{
	static const char *const hdrs[] = {"To", "Cc", "Bcc"};
	struct rcpt_ctx rc = {s, DLP_OK, 0};
	enum dlp_status st;
	const char *v;
	size_t vlen;

	if (env != NULL && env->nrcpts > 0) {
		if (env->rcpts == NULL)
			return DLP_ERR_INVAL;
		for (size_t i = 0; i < env->nrcpts; i++) {
			const char *a = env->rcpts[i] ? env->rcpts[i] : "";

			if ((st = add_rcpt(&rc, a, strlen(a))) != DLP_OK)
				return st;
		}
		return DLP_OK;
	}
	if (env != NULL && !(env->flags & DLP_ENV_RCPTS_FROM_HEADERS))
		return DLP_OK;
	for (size_t h = 0; h < DLP_NITEMS(hdrs); h++)
		for (size_t i = 0; dlp_mime_header(m, hdrs[h], i, &v, &vlen);
		     i++)
			if ((st = dlp_address_list(&s->eng->mem, v, vlen,
			         add_rcpt, &rc)) != DLP_OK)
				return st;
	return DLP_OK;
}

struct first_addr {
	struct dlp_result *r;
	bool done;
};

static enum dlp_status
take_sender(void *ctx, const char *addr, size_t len)
{
	struct first_addr *f = ctx;

	if (f->done)
		return DLP_OK;
	f->done = true;
	f->r->sender = dlp_result_strn(f->r, addr, len);
	return f->r->sender ? DLP_OK : DLP_ERR_NOMEM;
}

static enum dlp_status
sender(struct dlp_scan *s, const struct dlp_mime *m,
    const struct dlp_envelope *env)
{
	struct first_addr f = {s->res, false};
	const char *v;
	size_t vlen;

	if (env != NULL && env->mail_from != NULL) {
		s->res->sender = dlp_result_str(s->res, env->mail_from);
		return s->res->sender ? DLP_OK : DLP_ERR_NOMEM;
	}
	if (!dlp_mime_header(m, "From", 0, &v, &vlen))
		return DLP_OK;
	return dlp_address_list(&s->eng->mem, v, vlen, take_sender, &f);
}

enum dlp_status
dlp_scan_message(struct dlp_scan *s, const void *msg, size_t len,
    const struct dlp_envelope *env, struct dlp_result **out)
{
	const struct dlp_engine *e;
	struct dlp_mime *m = NULL;
	struct dlp_result *r = NULL;
	enum dlp_status st;

	if (out == NULL)
		return DLP_ERR_INVAL;
	*out = NULL;
	if (s == NULL || s->magic != SCAN_MAGIC || (msg == NULL && len > 0))
		return DLP_ERR_INVAL;
	e = s->eng;
	s->errmsg[0] = '\0';
	if ((st = dlp_result_new(&e->mem, e->limits.max_findings, &r)) !=
	    DLP_OK)
		goto fail;
	r->sigid = e->sigdb->id;
	r->bytes = len;
	if (env != NULL && env->queue_id != NULL &&
	    (r->queue_id = dlp_result_str(r, env->queue_id)) == NULL)
		goto nomem;
	s->res = r;
	s->time_reported = false;
	s->budget.expanded_left = e->limits.max_expanded_bytes;
	s->budget.entries_left = e->limits.max_entries;
	s->budget.parts_left = e->limits.max_parts;
	s->budget.deadline_ns =
	    dlp_now_ns() + (uint64_t)e->limits.max_scan_ms * 1000000u;
	s->budget.limits = &e->limits;
	s->sink.ctx = s;
	s->sink.text = sink_text;
	s->sink.unscanned = sink_unscanned;
	s->sink.finding = sink_finding;
	s->sink.object = sink_object;
	s->sink.budget = &s->budget;
	s->x.mem = &e->mem;
	s->x.lim = &e->limits;
	s->x.cs = s->cs;
	s->x.sink = &s->sink;

	if (len > e->limits.max_message_bytes) {
		/* Read what the limit allows; the rest is unscanned. */
		if ((st = dlp_result_add_unscanned(r, "message", "limit",
		         "message larger than max_message_bytes; only the "
		         "start was read",
		         0)) != DLP_OK)
			goto fail;
		len = e->limits.max_message_bytes;
	}
	if ((st = dlp_mime_parse(&e->mem, &e->limits, msg, len, &m)) != DLP_OK)
		goto fail;
	if ((st = recipients(s, m, env)) != DLP_OK ||
	    (st = sender(s, m, env)) != DLP_OK)
		goto fail;
	if ((st = dlp_mime_emit(m, s->cs, &s->sink, "", 0)) != DLP_OK)
		goto fail;
	if ((st = dlp_policy_decide(&e->policy, r)) != DLP_OK)
		goto fail;
	dlp_mime_free(m);
	s->res = NULL;
	*out = r;
	return DLP_OK;
nomem:
	st = DLP_ERR_NOMEM;
fail:
	if (s->errmsg[0] == '\0')
		snprintf(s->errmsg, sizeof(s->errmsg), "%s", dlp_strerror(st));
	dlp_mime_free(m);
	dlp_result_free(r);
	s->res = NULL;
	return st;
}

enum dlp_status
dlp_engine_examples(const struct dlp_engine *e, struct dlp_scan *s,
    dlp_example_fn fn, void *ctx, size_t *nexamples, size_t *nfailed)
{
	enum dlp_status st = DLP_OK;

	*nexamples = *nfailed = 0;
	for (size_t i = 0; i < e->sigdb->nrules && st == DLP_OK; i++) {
		size_t nf = 0;

		st = dlp_match_examples(s->matcher, i, fn, ctx, &nf);
		*nexamples += e->sigdb->rules[i].nexamples;
		*nfailed += nf;
	}
	return st;
}
