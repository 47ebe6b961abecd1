/*
 * dlpbench.c - the in-process benchmark of the engine, through the
 * public API (dlp.h), on a corpus written by dlpgen (or imported):
 *
 *   dlpbench --corpus DIR --data DIR --json OUT [--threads N]
 *            [--min-seconds S] [--keywords FILE]
 *
 * Measures, on the same messages in the same run: end-to-end messages/s
 * and MB/s on one thread and on N threads, for the mix and per class;
 * start-up (compile, cold cache, warm cache); peak RSS; the detection of
 * planted markings per container; and through stages.c the time per
 * stage and the two ceilings (memcpy of the input, raw hs_scan of the
 * normalised text); through gmime.c GMime's parse + decode rate.
 * Every rate is printed with the reference it is compared to.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <hs.h>

#include "dlpbench.h"
#include "report.h"

struct outcome {
	enum dlp_verdict verdict;
	unsigned mark_level; /* highest marking/label finding */
	bool pii;
	bool flagged; /* any level >= 2 finding that is not a note */
	size_t unscanned;
};

struct opts {
	const char *corpus, *data, *json, *keywords;
	unsigned threads;
	double min_seconds;
};

static void
die(const char *what)
{
	fprintf(stderr, "dlpbench: %s\n", what);
	exit(1);
}

/* Minimal reader for the manifest lines dlpgen writes. */
static bool
field(const char *line, const char *key, char *out, size_t n)
{
	char pat[64];
	const char *p;
	size_t k = 0;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	if ((p = strstr(line, pat)) == NULL)
		return false;
	p += strlen(pat);
	if (*p == '"') {
		for (p++; *p && *p != '"' && k + 1 < n; p++) {
			if (*p == '\\' && p[1])
				p++;
			out[k++] = *p;
		}
	} else {
		while (*p && *p != ',' && *p != '}' && k + 1 < n)
			out[k++] = *p++;
	}
	out[k] = '\0';
	return true;
}

static void
load_corpus(const char *dir, struct dlp_bench_corpus *c)
{
	char path[4096], line[4096], tmp[64];
	size_t cap = 0, off = 0;
	FILE *mf;

	memset(c, 0, sizeof(*c));
	snprintf(path, sizeof(path), "%s/manifest.jsonl", dir);
	if ((mf = fopen(path, "r")) == NULL)
		die("cannot open the corpus manifest");
	while (fgets(line, sizeof(line), mf) != NULL) {
		struct dlp_bench_msg *m;

		if (c->n == cap) {
			cap = cap ? cap * 2 : 1024;
			if ((c->m = realloc(c->m, cap * sizeof(*c->m))) == NULL)
				die("out of memory");
		}
		m = &c->m[c->n];
		memset(m, 0, sizeof(*m));
		if (!field(line, "file", m->file, sizeof(m->file)) ||
		    !field(line, "class", m->cls, sizeof(m->cls)))
			continue;
		field(line, "container", m->container, sizeof(m->container));
		field(line, "kind", m->kind, sizeof(m->kind));
		if (field(line, "level", tmp, sizeof(tmp)))
			m->level = (unsigned)strtoul(tmp, NULL, 10);
		if (field(line, "size", tmp, sizeof(tmp)))
			c->bytes += strtoull(tmp, NULL, 10);
		c->n++;
	}
	fclose(mf);
	/* One arena, so the corpus is in memory before any timing. */
	if ((c->arena = malloc(c->bytes + 1)) == NULL)
		die("out of memory for the corpus");
	for (size_t i = 0; i < c->n; i++) {
		struct dlp_bench_msg *m = &c->m[i];
		FILE *f;
		long sz = 0;

		snprintf(path, sizeof(path), "%s/%s", dir, m->file);
		if ((f = fopen(path, "rb")) == NULL || fseek(f, 0, SEEK_END) ||
		    (sz = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
			die("cannot read a corpus message");
		if (off + (size_t)sz > c->bytes) {
			c->bytes = off + (size_t)sz;
			if ((c->arena = realloc(c->arena, c->bytes)) == NULL)
				die("out of memory for the corpus");
		}
		if (fread(c->arena + off, 1, (size_t)sz, f) != (size_t)sz)
			die("short read");
		fclose(f);
		m->len = (size_t)sz;
		off += (size_t)sz;
	}
	c->bytes = off;
	off = 0;
	for (size_t i = 0; i < c->n; i++) {
		c->m[i].p = c->arena + off;
		off += c->m[i].len;
	}
}

static struct dlp_engine *
engine(const char *data, const char *kw, const char *cache, uint64_t *ns)
{
	struct dlp_config *cfg = NULL;
	struct dlp_engine *e = NULL;
	struct dlp_error err;
	uint64_t t0 = dlp_bench_now();

	if (dlp_config_new(&cfg) != DLP_OK ||
	    dlp_config_set_data_dir(cfg, data) != DLP_OK ||
	    (kw && dlp_config_add_keywords(cfg, kw) != DLP_OK) ||
	    (cache && dlp_config_set_cache_dir(cfg, cache) != DLP_OK))
		die("config");
	if (dlp_engine_new(cfg, &e, &err) != DLP_OK) {
		fprintf(
		    stderr, "dlpbench: engine: %s %s\n", err.file, err.message);
		exit(1);
	}
	*ns = dlp_bench_now() - t0;
	dlp_config_free(cfg);
	return e;
}

static void
scan_one(struct dlp_scan *s, const struct dlp_bench_msg *m, struct outcome *o)
{
	struct dlp_envelope env = {0};
	struct dlp_result *r = NULL;

	env.flags = DLP_ENV_RCPTS_FROM_HEADERS;
	if (dlp_scan_message(s, m->p, m->len, &env, &r) != DLP_OK) {
		fprintf(
		    stderr, "dlpbench: %s: %s\n", m->file, dlp_scan_errmsg(s));
		exit(1);
	}
	if (o != NULL) {
		memset(o, 0, sizeof(*o));
		o->verdict = dlp_result_verdict(r);
		o->unscanned = dlp_result_nunscanned(r);
		for (size_t i = 0; i < dlp_result_nfindings(r); i++) {
			const struct dlp_finding *f = dlp_result_finding(r, i);

			if (strcmp(f->category, "note") == 0)
				continue;
			if (f->level >= 2)
				o->flagged = true;
			if (strcmp(f->category, "pii") == 0)
				o->pii = true;
			if ((strcmp(f->category, "marking") == 0 ||
			        strcmp(f->category, "label") == 0) &&
			    f->level > o->mark_level)
				o->mark_level = f->level;
		}
	}
	dlp_result_free(r);
}

/*
 * Threads pull message indices from a shared counter that wraps around
 * the set, until the deadline; each thread keeps its scan for the run,
 * so thread start-up is not in the figure. At least one whole pass.
 */
struct pool {
	const struct dlp_engine *eng;
	const struct dlp_bench_corpus *c;
	const size_t *idx;
	size_t n;
	uint64_t deadline;
	atomic_size_t next;
	atomic_size_t done;
};

static void *
worker(void *arg)
{
	struct pool *p = arg;
	struct dlp_scan *s = NULL;
	size_t i;

	if (dlp_scan_new(p->eng, &s) != DLP_OK)
		die("scan_new");
	while ((i = atomic_fetch_add(&p->next, 1)) < p->n ||
	       dlp_bench_now() < p->deadline) {
		scan_one(s, &p->c->m[p->idx[i % p->n]], NULL);
		atomic_fetch_add(&p->done, 1);
	}
	dlp_scan_free(s);
	return NULL;
}

static double
cpu_seconds(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return 0;
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* Wall seconds; *cpu gets the CPU seconds the process used meanwhile. */
static double
rate(const struct dlp_engine *e, const struct dlp_bench_corpus *c,
    const size_t *idx, size_t n, unsigned nt, double min_s, size_t *msgs,
    double *cpu)
{
	pthread_t th[256];
	struct pool p;
	uint64_t t0;
	double c0 = cpu_seconds();

	if (nt > 256)
		nt = 256;
	memset(&p, 0, sizeof(p));
	p.eng = e;
	p.c = c;
	p.idx = idx;
	p.n = n;
	t0 = dlp_bench_now();
	p.deadline = t0 + (uint64_t)(min_s * 1e9);
	atomic_init(&p.next, 0);
	atomic_init(&p.done, 0);
	for (unsigned t = 0; t < nt; t++)
		if (pthread_create(&th[t], NULL, worker, &p) != 0)
			die("pthread_create");
	for (unsigned t = 0; t < nt; t++)
		pthread_join(th[t], NULL);
	*msgs = atomic_load(&p.done);
	*cpu = cpu_seconds() - c0;
	return (double)(dlp_bench_now() - t0) / 1e9;
}

static size_t
class_index(const struct dlp_bench_corpus *c, const char *cls, size_t *idx)
{
	size_t k = 0;

	for (size_t i = 0; i < c->n; i++)
		if (cls == NULL || strcmp(c->m[i].cls, cls) == 0)
			idx[k++] = i;
	return k;
}

static bool
detected(const struct dlp_bench_msg *m, const struct outcome *o)
{
	if (strncmp(m->kind, "pii", 3) == 0)
		return o->pii;
	return o->mark_level >= m->level;
}

static long
peak_rss_kb(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1;
}

static void
usage(void)
{
	fprintf(stderr, "usage: dlpbench --corpus DIR --data DIR --json OUT "
	                "[--threads N] [--min-seconds S] [--keywords FILE]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct opts o = {NULL, NULL, NULL, NULL, 0, 2.0};
	struct dlp_bench_corpus c;
	struct dlp_bench_report rep;
	char cachedir[] = "/tmp/dlpbench-cacheXXXXXX";
	struct dlp_engine *e, *tmp;
	struct dlp_scan *s = NULL;
	struct outcome *out;
	size_t *idx, n;
	uint64_t ns;

	for (int i = 1; i < argc; i++) {
		if (i + 1 >= argc)
			usage();
		if (strcmp(argv[i], "--corpus") == 0)
			o.corpus = argv[++i];
		else if (strcmp(argv[i], "--data") == 0)
			o.data = argv[++i];
		else if (strcmp(argv[i], "--json") == 0)
			o.json = argv[++i];
		else if (strcmp(argv[i], "--threads") == 0)
			o.threads = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--keywords") == 0)
			o.keywords = argv[++i];
		else if (strcmp(argv[i], "--min-seconds") == 0)
			o.min_seconds = strtod(argv[++i], NULL);
		else
			usage();
	}
	if (o.corpus == NULL || o.data == NULL || o.json == NULL)
		usage();
	if (o.threads == 0) {
		long nc = sysconf(_SC_NPROCESSORS_ONLN);

		o.threads = nc > 0 ? (unsigned)nc : 1;
	}
	memset(&rep, 0, sizeof(rep));
	rep.threads = o.threads;
	rep.min_seconds = o.min_seconds;

	/* Start-up: cold (an empty cache: compile and store), then warm. */
	if (mkdtemp(cachedir) == NULL)
		die("mkdtemp");
	tmp = engine(o.data, o.keywords, cachedir, &ns);
	rep.startup_cold_ns = ns;
	rep.nrules = dlp_engine_nrules(tmp);
	dlp_engine_free(tmp);
	e = engine(o.data, o.keywords, cachedir, &ns);
	rep.startup_warm_ns = ns;

	rep.rss_engine_kb = peak_rss_kb();
	load_corpus(o.corpus, &c);
	rep.rss_corpus_kb = peak_rss_kb();
	if (c.n == 0)
		die("empty corpus");
	if ((idx = malloc(c.n * sizeof(*idx))) == NULL ||
	    (out = calloc(c.n, sizeof(*out))) == NULL)
		die("out of memory");

	/* Mixed corpus, 1 and N threads, whole passes. */
	n = class_index(&c, NULL, idx);
	rep.mix.one_s = rate(e, &c, idx, n, 1, o.min_seconds, &rep.mix.one_msgs,
	    &rep.mix.one_cpu);
	rep.mix.n_s = rate(e, &c, idx, n, o.threads, o.min_seconds,
	    &rep.mix.n_msgs, &rep.mix.n_cpu);
	/* Then one more pass (warm), message by message in thread CPU
	 * time, for the ratios
	 * to the stages and ceilings (timed the same way) and the outcomes
	 * (recall). */
	if (dlp_scan_new(e, &s) != DLP_OK)
		die("scan_new");
	for (size_t i = 0; i < c.n; i++) {
		uint64_t t0 = dlp_bench_cpu_now();

		scan_one(s, &c.m[i], &out[i]);
		dlp_bench_report_class(&rep, c.m[i].cls)->one_ns +=
		    dlp_bench_cpu_now() - t0;
	}
	dlp_scan_free(s);

	rep.mix.count = c.n;
	rep.mix.bytes = c.bytes;

	for (size_t k = 0; k < rep.nclasses; k++) {
		struct dlp_bench_class *cl = &rep.classes[k];

		n = class_index(&c, cl->name, idx);
		cl->count = n;
		for (size_t i = 0; i < n; i++)
			cl->bytes += c.m[idx[i]].len;
		cl->one_s = rate(e, &c, idx, n, 1, o.min_seconds / 4,
		    &cl->one_msgs, &cl->one_cpu);
		cl->n_s = rate(e, &c, idx, n, o.threads, o.min_seconds / 4,
		    &cl->n_msgs, &cl->n_cpu);
		if (dlp_bench_stages(
		        &c, idx, n, o.data, o.keywords, cachedir, &cl->st) != 0)
			die("stage replay failed");
	}

	for (size_t i = 0; i < c.n; i++)
		dlp_bench_report_outcome(&rep, &c.m[i], out[i].verdict,
		    c.m[i].container[0] ? detected(&c.m[i], &out[i]) : false,
		    out[i].flagged, out[i].unscanned > 0);

	rep.rss_peak_kb = peak_rss_kb();
	rep.hs_version = hs_version();
	rep.gmime_version = dlp_bench_gmime_version();
	rep.signature_id = dlp_engine_signature_id(e);
	if (dlp_bench_report_write(&rep, o.json) != 0)
		die("cannot write the JSON report");

	dlp_engine_free(e);
	{
		char p[sizeof(cachedir) + 64];

		/* The cache holds files named by their key: remove them. */
		snprintf(p, sizeof(p), "rm -rf '%s'", cachedir);
		if (system(p) != 0)
			fprintf(stderr, "dlpbench: could not remove %s\n",
			    cachedir);
	}
	free(idx);
	free(out);
	free(c.m);
	free(c.arena);
	return 0;
}
