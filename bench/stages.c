/*
 * stages.c - time the pipeline stages from outside the engine.
 *
 * The public API gives one number per message. To see where the time
 * goes, this replays each message through the engine's own stage entry
 * points (dlp_mime_parse/emit, dlp_extract_object, dlp_normalise) with a
 * sink that records the texts instead of matching them, then scans the
 * normalised texts with raw hs_scan over the same database the engine
 * compiles from the same *.sig files (dlp_sigdb_load: the engine's
 * loader and cache, so the database is identical), and once more through
 * the engine's matcher (dlp_match_text: normalise, hs_scan with its
 * callback, confirmation), the scan stage that raw hs_scan bounds. Nothing is
 * added to the library. Stages are timed in thread CPU time
 * (CLOCK_THREAD_CPUTIME_ID), so a busy machine does not move them. The sum of
 * the stages is not the end-to-end time: confirmation, findings, policy and the
 * result are what is left.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dlpbench.h"
#include "extract.h"
#include "mime.h"
#include "match.h"
#include "normalise.h"
#include "result.h"
#include "sigdb.h"
#include "sniff.h"

uint64_t
dlp_bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t
dlp_bench_cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

const char *const dlp_bench_kind_names[DLP_BENCH_NKINDS] = {
    "zip/ooxml", "pdf", "ole2", "image", "tnef", "message", "other"};

static unsigned
kind_of(const uint8_t *d, size_t n, const char *declared)
{
	static const uint8_t ole[4] = {0xd0, 0xcf, 0x11, 0xe0};
	static const uint8_t tnef[4] = {0x78, 0x9f, 0x3e, 0x22};

	if (declared != NULL && strncmp(declared, "message/", 8) == 0)
		return DLP_BENCH_K_MSG;
	if (n >= 4 && memcmp(d, "PK\x03\x04", 4) == 0)
		return DLP_BENCH_K_ZIP;
	if (n >= 5 && memcmp(d, "%PDF-", 5) == 0)
		return DLP_BENCH_K_PDF;
	if (n >= 4 && memcmp(d, ole, 4) == 0)
		return DLP_BENCH_K_OLE2;
	if (n >= 4 && memcmp(d, tnef, 4) == 0)
		return DLP_BENCH_K_TNEF;
	if ((n >= 4 && memcmp(d, "\x89PNG", 4) == 0) ||
	    (n >= 3 && memcmp(d, "\xff\xd8\xff", 3) == 0) ||
	    (n >= 4 && memcmp(d, "GIF8", 4) == 0))
		return DLP_BENCH_K_IMAGE;
	return DLP_BENCH_K_OTHER;
}

#define MAX_NEST 64

struct text_ref {
	size_t off, len;
	size_t hdr; /* offset of the header name in the arena, or SIZE_MAX */
	unsigned scope;
	size_t noff, nlen; /* the normalised text in the second arena */
};

struct replay {
	struct dlp_mem mem;
	struct dlp_sink sink;
	struct dlp_budget budget;
	struct dlp_xctx x;
	struct dlp_buf arena;  /* texts of the current message */
	struct dlp_buf normed; /* the same texts, normalised */
	struct text_ref *refs;
	size_t nrefs, caprefs;
	unsigned in_object; /* nesting of object callbacks */
	uint64_t object_ns;
	uint64_t sniff_ns; /* dlp_sniff of every object, timed apart */
	size_t objects;
	uint64_t child_ns[MAX_NEST + 1]; /* inclusive time of nested objects */
	uint64_t kind_ns[DLP_BENCH_NKINDS];
	size_t kind_n[DLP_BENCH_NKINDS];
	bool oom;
};

static enum dlp_status
rec_text(void *ctx, unsigned scope, const char *where, const char *header,
    const char *text, size_t len)
{
	struct replay *r = ctx;

	(void)where;
	if (r->nrefs == r->caprefs) {
		size_t cap = r->caprefs ? r->caprefs * 2 : 64;
		struct text_ref *n = realloc(r->refs, cap * sizeof(*n));

		if (n == NULL)
			return DLP_ERR_NOMEM;
		r->refs = n;
		r->caprefs = cap;
	}
	r->refs[r->nrefs].scope = scope;
	r->refs[r->nrefs].hdr = SIZE_MAX;
	if (header != NULL) {
		r->refs[r->nrefs].hdr = r->arena.len;
		if (!dlp_buf_append(&r->arena, header, strlen(header) + 1))
			return DLP_ERR_NOMEM;
	}
	r->refs[r->nrefs].off = r->arena.len;
	r->refs[r->nrefs].len = len;
	if (!dlp_buf_append(&r->arena, text, len))
		return DLP_ERR_NOMEM;
	r->nrefs++;
	return DLP_OK;
}

static enum dlp_status
rec_unscanned(void *ctx, const char *where, const char *why, const char *detail)
{
	(void)ctx;
	(void)where;
	(void)why;
	(void)detail;
	return DLP_OK;
}

static enum dlp_status
rec_finding(void *ctx, const char *where, const char *rule, unsigned level,
    const char *detail)
{
	(void)ctx;
	(void)where;
	(void)rule;
	(void)level;
	(void)detail;
	return DLP_OK;
}

static enum dlp_status
rec_object(void *ctx, const char *where, const char *name,
    const char *declared_type, const uint8_t *data, size_t len, unsigned depth)
{
	struct replay *r = ctx;
	unsigned lvl = r->in_object, k = kind_of(data, len, declared_type);
	uint64_t t0, incl, inner = 0;
	enum dlp_status st;

	r->objects++;
	/* The true-type sniff alone, timed apart (dlp_extract_object sniffs
	 * again inside, so the object times below include it as well). */
	t0 = dlp_bench_cpu_now();
	(void)dlp_sniff(&r->x, data, len, name);
	incl = dlp_bench_cpu_now() - t0;
	r->sniff_ns += incl;
	/* ... and kept out of the time of the object that holds it. */
	if (lvl > 0 && lvl <= MAX_NEST)
		r->child_ns[lvl] += incl;
	if (lvl < MAX_NEST)
		r->child_ns[lvl + 1] = 0;
	r->in_object++;
	t0 = dlp_bench_cpu_now();
	st = dlp_extract_object(
	    &r->x, where, name, declared_type, data, len, depth);
	incl = dlp_bench_cpu_now() - t0;
	r->in_object--;
	if (lvl < MAX_NEST) {
		inner = r->child_ns[lvl + 1];
		r->child_ns[lvl] += incl;
	}
	r->kind_ns[k] += incl > inner ? incl - inner : 0;
	r->kind_n[k]++;
	if (lvl == 0)
		r->object_ns += incl;
	return st;
}

/* The sink of the timed MIME pass: it keeps nothing. */
static enum dlp_status
null_text(void *ctx, unsigned scope, const char *where, const char *header,
    const char *text, size_t len)
{
	(void)ctx;
	(void)scope;
	(void)where;
	(void)header;
	(void)text;
	(void)len;
	return DLP_OK;
}

static enum dlp_status
null_object(void *ctx, const char *where, const char *name,
    const char *declared_type, const uint8_t *data, size_t len, unsigned depth)
{
	(void)ctx;
	(void)where;
	(void)name;
	(void)declared_type;
	(void)data;
	(void)len;
	(void)depth;
	return DLP_OK;
}

static void
reset_budget(struct dlp_budget *b, const struct dlp_limits *lim)
{
	b->expanded_left = lim->max_expanded_bytes;
	b->entries_left = lim->max_entries;
	b->parts_left = lim->max_parts;
	b->deadline_ns = 0;
	b->limits = lim;
}

static int
hs_count(unsigned id, unsigned long long from, unsigned long long to,
    unsigned flags, void *ctx)
{
	(void)id;
	(void)from;
	(void)to;
	(void)flags;
	(*(size_t *)ctx)++;
	return 0;
}

static uint64_t
minus(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

/* The CPU time one reading of the thread CPU clock adds to an interval
 * (a system call on some virtual machines: hundreds of ns): the median
 * of many empty intervals. */
static uint64_t
clock_cost(void)
{
	enum { N = 501 };
	uint64_t d[N], t;

	for (size_t i = 0; i < N; i++) {
		t = dlp_bench_cpu_now();
		d[i] = dlp_bench_cpu_now() - t;
	}
	for (size_t i = 1; i < N; i++) /* insertion sort: N is small */
		for (size_t j = i; j > 0 && d[j - 1] > d[j]; j--)
			t = d[j], d[j] = d[j - 1], d[j - 1] = t;
	return d[N / 2];
}

int
dlp_bench_stages(const struct dlp_bench_corpus *c, const size_t *idx, size_t n,
    const char *datadir, const char *keywords, const char *cache,
    struct dlp_bench_stages *out)
{
	struct replay r;
	struct dlp_sink null_sink;
	struct dlp_limits lim;
	struct dlp_charset *cs = NULL;
	struct dlp_sigdb *db = NULL;
	struct dlp_error err;
	struct dlp_norm norm;
	struct dlp_matcher *matcher = NULL;
	hs_scratch_t *scratch = NULL;
	uint8_t *copy = NULL;
	struct dlp_result *res = NULL;
	size_t maxlen = 0;
	uint64_t clock_ns = clock_cost();
	int rc = -1;

	memset(out, 0, sizeof(*out));
	memset(&r, 0, sizeof(r));
	dlp_mem_init_default(&r.mem);
	dlp_limits_default(&lim);
	dlp_buf_init(&r.arena, &r.mem);
	dlp_buf_init(&r.normed, &r.mem);
	dlp_norm_init(&norm, &r.mem);
	if (dlp_sigdb_load(&r.mem, &datadir, 1, keywords ? &keywords : NULL,
	        keywords ? 1 : 0, cache, &db, &err) != DLP_OK) {
		fprintf(stderr, "dlpbench: signatures: %s: %s\n", err.file,
		    err.message);
		goto out;
	}
	if (hs_alloc_scratch(db->db, &scratch) != HS_SUCCESS ||
	    dlp_charset_new(&r.mem, &cs) != DLP_OK ||
	    dlp_matcher_new(&r.mem, db, scratch, &matcher) != DLP_OK) {
		fprintf(stderr, "dlpbench: cannot allocate scan state\n");
		goto out;
	}
	null_sink.ctx = &r;
	null_sink.text = null_text;
	null_sink.unscanned = rec_unscanned;
	null_sink.finding = rec_finding;
	null_sink.object = null_object;
	null_sink.budget = &r.budget;
	r.sink.ctx = &r;
	r.sink.text = rec_text;
	r.sink.unscanned = rec_unscanned;
	r.sink.finding = rec_finding;
	r.sink.object = rec_object;
	r.sink.budget = &r.budget;
	r.x.mem = &r.mem;
	r.x.lim = &lim;
	r.x.cs = cs;
	r.x.sink = &r.sink;

	for (size_t i = 0; i < n; i++)
		if (c->m[idx[i]].len > maxlen)
			maxlen = c->m[idx[i]].len;
	if ((copy = malloc(maxlen ? maxlen : 1)) == NULL)
		goto out;

	/* The memory ceiling: one copy of each input message, timed as a
	 * loop so the clock's own cost is not in it. */
	{
		uint64_t t0 = dlp_bench_cpu_now();

		for (size_t i = 0; i < n; i++) {
			memcpy(copy, c->m[idx[i]].p, c->m[idx[i]].len);
			__asm__ volatile("" : : "r"(copy) : "memory");
		}
		out->memcpy = dlp_bench_cpu_now() - t0;
	}

	for (size_t i = 0; i < n; i++) {
		const struct dlp_bench_msg *m = &c->m[idx[i]];
		struct dlp_mime *mime = NULL;
		uint64_t t0, t1;

		/* The MIME stage alone (the message is read cold, as the
		 * engine reads it): parse and emit into a sink that keeps
		 * nothing. The recording pass below copies every text and
		 * times every object, which the engine does not do. GMime
		 * parses and decodes the same message next to it, before it
		 * on every other message (the first to read it reads it
		 * cold), so that both see the same load. */
		if (i % 2 == 1)
			out->gmime +=
			    minus(dlp_bench_gmime_one(m, &out->gmime_parts),
			        clock_ns);
		reset_budget(&r.budget, &lim);
		t0 = dlp_bench_cpu_now();
		if (dlp_mime_parse(&r.mem, &lim, m->p, m->len, &mime) !=
		        DLP_OK ||
		    dlp_mime_emit(mime, cs, &null_sink, "", 0) != DLP_OK) {
			dlp_mime_free(mime);
			fprintf(
			    stderr, "dlpbench: replay of %s failed\n", m->file);
			goto out;
		}
		dlp_mime_free(mime);
		t1 = dlp_bench_cpu_now();
		out->mime += minus(t1 - t0, clock_ns);
		if (i % 2 == 0)
			out->gmime +=
			    minus(dlp_bench_gmime_one(m, &out->gmime_parts),
			        clock_ns);

		r.arena.len = 0;
		r.nrefs = 0;
		r.object_ns = 0;
		reset_budget(&r.budget, &lim);
		mime = NULL;
		if (dlp_mime_parse(&r.mem, &lim, m->p, m->len, &mime) !=
		        DLP_OK ||
		    dlp_mime_emit(mime, cs, &r.sink, "", 0) != DLP_OK) {
			dlp_mime_free(mime);
			fprintf(
			    stderr, "dlpbench: replay of %s failed\n", m->file);
			goto out;
		}
		dlp_mime_free(mime);
		out->object += r.object_ns;

		/* The texts of this message (tens of KB: they stay in the
		 * cache), each loop timed as a whole so that the clock is read
		 * a few times per message, not per text; the calibrated cost
		 * of reading it is taken off. Untimed first: normalise every
		 * text into a second arena, which also warms the texts and the
		 * database. Then timed: normalise alone; raw hs_scan of the
		 * normalised texts; the engine's matching stage on the same
		 * texts (normalise, hs_scan with its callback, confirmation).
		 */
		r.normed.len = 0;
		for (size_t k = 0; k < r.nrefs; k++) {
			struct text_ref *tr = &r.refs[k];
			size_t warm = 0;

			if (!dlp_normalise(&norm, r.arena.p + tr->off, tr->len))
				goto out;
			tr->noff = r.normed.len;
			tr->nlen = norm.text.len;
			if (!dlp_buf_append(
			        &r.normed, norm.text.p, norm.text.len) ||
			    hs_scan(db->db, (const char *)norm.text.p,
			        (unsigned)norm.text.len, 0, scratch, hs_count,
			        &warm) != HS_SUCCESS)
				goto out;
			out->text_bytes += norm.text.len;
		}
		t0 = dlp_bench_cpu_now();
		for (size_t k = 0; k < r.nrefs; k++)
			if (!dlp_normalise(&norm, r.arena.p + r.refs[k].off,
			        r.refs[k].len))
				goto out;
		t1 = dlp_bench_cpu_now();
		out->normalise += minus(t1 - t0, clock_ns);
		for (size_t k = 0; k < r.nrefs; k++)
			if (hs_scan(db->db,
			        (const char *)r.normed.p + r.refs[k].noff,
			        (unsigned)r.refs[k].nlen, 0, scratch, hs_count,
			        &out->hs_matches) != HS_SUCCESS) {
				fprintf(stderr, "dlpbench: hs_scan failed\n");
				goto out;
			}
		t0 = dlp_bench_cpu_now();
		out->scan += minus(t0 - t1, clock_ns);
		if (dlp_result_new(&r.mem, 1000, &res) != DLP_OK)
			goto out;
		for (size_t k = 0; k < r.nrefs; k++) {
			const struct text_ref *tr = &r.refs[k];
			bool limited;

			if (dlp_match_text(matcher, res, tr->scope,
			        tr->hdr == SIZE_MAX
			            ? NULL
			            : (const char *)r.arena.p + tr->hdr,
			        "text", (const char *)r.arena.p + tr->off,
			        tr->len, &limited) != DLP_OK) {
				fprintf(stderr, "dlpbench: matching failed\n");
				goto out;
			}
		}
		out->match += minus(dlp_bench_cpu_now() - t0, clock_ns);
		dlp_result_free(res);
		res = NULL;
		out->texts += r.nrefs;
	}
	out->objects = r.objects;
	out->sniff = r.sniff_ns;
	for (unsigned k = 0; k < DLP_BENCH_NKINDS; k++) {
		out->kind_ns[k] = r.kind_ns[k];
		out->kind_n[k] = r.kind_n[k];
	}
	rc = 0;
out:
	free(copy);
	free(r.refs);
	dlp_buf_fini(&r.arena);
	dlp_buf_fini(&r.normed);
	dlp_norm_fini(&norm);
	dlp_result_free(res);
	dlp_matcher_free(matcher);
	dlp_sniffer_free(r.x.sniff);
	dlp_charset_free(cs);
	hs_free_scratch(scratch);
	dlp_sigdb_free(db);
	return rc;
}
