/*
 * dlpsig - the signature analyst's tool.
 *
 *	dlpsig lint [PATH ...]       syntax, ids, patterns Hyperscan rejects or
 *	                             that are very slow, unknown validators
 *	dlpsig test [PATH ...]       run every embedded match/nomatch example
 *	dlpsig compile [PATH ...]    build the compiled-signature cache
 *	dlpsig explain FILE          scan one message and show how each
 *	                             finding and the policy made the verdict
 *	dlpsig corpus DIR|MBOX --signatures NEW [--baseline OLD]
 *	                             what a signature change does to real mail
 *
 * PATH is a signature file or folder; the default is the data directory.
 * Exit status: 0 fine, 1 a problem was found, 3 usage or I/O error.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "datadir.h"
#include "engine.h"
#include "input.h"
#include "validate.h"

#define EXIT_USAGE 3
#define MAXLIST    256

struct opts {
	const char *data_dir;
	const char *sigs[MAXLIST];
	size_t nsigs;
	const char *baseline;
	const char *keywords[MAXLIST];
	size_t nkeywords;
	const char *policy;
	const char *rcpts[MAXLIST];
	size_t nrcpts;
	const char *from;
	const char *internal[MAXLIST], *trusted[MAXLIST];
	size_t ninternal, ntrusted;
	const char *cache_dir;
	int strict;
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: dlpsig lint [PATH ...]\n"
	    "       dlpsig test [PATH ...]\n"
	    "       dlpsig compile [PATH ...] --cache-dir DIR\n"
	    "       dlpsig explain [options] FILE\n"
	    "       dlpsig corpus [options] DIR|MBOX --signatures NEW "
	    "[--baseline OLD]\n"
	    "\n"
	    "PATH is a signature file or folder (default: the data "
	    "directory).\n"
	    "Options: --data-dir DIR, --signatures PATH, --baseline PATH,\n"
	    "  --keywords FILE, --policy FILE, --rcpt ADDR, --from ADDR,\n"
	    "  --internal-domain D, --trusted-domain D, --cache-dir DIR,\n"
	    "  --strict (lint: warnings fail too), --help\n");
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
print_error(const struct dlp_error *err)
{
	if (err->file[0] != '\0' && err->line > 0)
		fprintf(stderr, "dlpsig: %s:%u:%u: %s\n", err->file, err->line,
		    err->column, err->message);
	else if (err->file[0] != '\0')
		fprintf(stderr, "dlpsig: %s: %s\n", err->file, err->message);
	else
		fprintf(stderr, "dlpsig: %s\n", err->message);
}

/*
 * An engine: the data directory's policy and domains, with signatures
 * from sigs (NULL: the data directory's own).
 */
static struct dlp_engine *
make_engine(
    const struct opts *o, const char *const *sigs, size_t nsigs, int with_data)
{
	struct dlp_config *cfg = NULL;
	struct dlp_engine *e = NULL;
	struct dlp_error err;
	int ok = dlp_config_new(&cfg) == DLP_OK;

	memset(&err, 0, sizeof(err));
	if (ok && with_data)
		ok = dlp_config_set_data_dir(cfg, o->data_dir) == DLP_OK;
	if (ok && sigs != NULL)
		ok = dlp_config_clear_signatures(cfg) == DLP_OK;
	for (size_t i = 0; ok && sigs && i < nsigs; i++)
		ok = dlp_config_add_signatures(cfg, sigs[i]) == DLP_OK;
	for (size_t i = 0; ok && i < o->nkeywords; i++)
		ok = dlp_config_add_keywords(cfg, o->keywords[i]) == DLP_OK;
	for (size_t i = 0; ok && i < o->ninternal; i++)
		ok = dlp_config_add_internal_domain(cfg, o->internal[i]) ==
		     DLP_OK;
	for (size_t i = 0; ok && i < o->ntrusted; i++)
		ok =
		    dlp_config_add_trusted_domain(cfg, o->trusted[i]) == DLP_OK;
	if (ok && o->policy)
		ok = dlp_config_set_policy(cfg, o->policy) == DLP_OK;
	if (ok && o->cache_dir)
		ok = dlp_config_set_cache_dir(cfg, o->cache_dir) == DLP_OK;
	if (!ok)
		fprintf(stderr, "dlpsig: out of memory\n");
	else if (dlp_engine_new(cfg, &e, &err) != DLP_OK)
		print_error(&err);
	dlp_config_free(cfg);
	return e;
}

/* lint */

/* A fixed 1 MiB text of words, numbers and punctuation. */
static char *
synthetic_text(size_t *len)
{
	static const char *const words[] = {"the", "report", "Minister",
	    "budget", "of", "and", "2024", "(a)", "meeting", "SECRET_KEY=x",
	    "confidential", "Official", "account", "4111", "GB82", "-", "unit",
	    "north", "is", "to", "//", "ref:", "TOP", "data", "\n", "\n\n",
	    "e-mail", "PROTECT", "note", "1234", "CUI", "see"};
	size_t n = (size_t)1 << 20, o = 0;
	unsigned seed = 12345;
	char *t = malloc(n + 64);

	if (t == NULL)
		return NULL;
	while (o < n) {
		const char *w;
		size_t l;

		seed = seed * 1103515245u + 12345u;
		w = words[(seed >> 16) % (sizeof(words) / sizeof(words[0]))];
		l = strlen(w);
		memcpy(t + o, w, l);
		o += l;
		t[o++] = ' ';
	}
	*len = o;
	return t;
}

static int
count_cb(unsigned id, unsigned long long from, unsigned long long to,
    unsigned flags, void *ctx)
{
	(void)id, (void)from, (void)to, (void)flags;
	(*(size_t *)ctx)++;
	return 0;
}

/* Best of three scans of text, in MB/s. */
static double
scan_rate(const hs_database_t *db, const char *t, size_t n)
{
	hs_scratch_t *s = NULL;
	double best = 0;
	size_t hits;

	if (hs_alloc_scratch(db, &s) != HS_SUCCESS)
		return 0;
	for (int i = 0; i < 3; i++) {
		double t0 = now_ms(), dt;

		hits = 0;
		hs_scan(db, t, (unsigned)n, 0, s, count_cb, &hits);
		dt = now_ms() - t0;
		if (dt > 0 && n / 1e3 / dt > best)
			best = n / 1e3 / dt;
	}
	hs_free_scratch(s);
	return best;
}

static int
cmd_lint(const struct opts *o, char **paths, int npaths)
{
	const char *def[1] = {o->data_dir};
	struct dlp_mem mem;
	struct dlp_sigdb *db = NULL;
	struct dlp_error err;
	hs_database_t *ref = NULL;
	hs_compile_error_t *cerr = NULL;
	size_t tlen = 0, errors = 0, warnings = 0;
	char *text = NULL;
	double ref_rate = 0;
	const char *refpat = "zqxjkvwq";
	unsigned refflags = 0, refid = 0;

	dlp_mem_init_default(&mem);
	memset(&err, 0, sizeof(err));
	if (dlp_sigdb_read(&mem, npaths ? (const char *const *)paths : def,
	        npaths ? (size_t)npaths : 1, o->keywords, o->nkeywords, &db,
	        &err) != DLP_OK) {
		print_error(&err);
		return 1;
	}
	text = synthetic_text(&tlen);
	if (text != NULL && hs_compile_multi(&refpat, &refflags, &refid, 1,
	                        HS_MODE_BLOCK, NULL, &ref, &cerr) == HS_SUCCESS)
		ref_rate = scan_rate(ref, text, tlen);
	hs_free_compile_error(cerr);
	for (size_t r = 0; r < db->nrules; r++) {
		const struct dlp_rule *rule = &db->rules[r];
		const char *exprs[4096];
		unsigned flags[4096], ids[4096];
		unsigned n = 0;
		hs_database_t *rdb = NULL;

		cerr = NULL;
		if (rule->validator && !dlp_validator_lookup(rule->validator)) {
			fprintf(stderr,
			    "%s:%u: rule %s: unknown validator \"%s\"\n",
			    rule->file, rule->line, rule->id, rule->validator);
			errors++;
		}
		if (rule->pos != DLP_POS_ANY && !rule->som) {
			fprintf(stderr,
			    "%s:%u: rule %s: a position rule needs \"som "
			    "yes\"\n",
			    rule->file, rule->line, rule->id);
			errors++;
		}
		if (rule->nexamples == 0 && strcmp(rule->category, "keyword")) {
			fprintf(stderr,
			    "%s:%u: rule %s: warning: no examples\n",
			    rule->file, rule->line, rule->id);
			warnings++;
		}
		for (size_t p = 0; p < db->npats && n < 4096; p++) {
			if (db->pats[p].rule != r)
				continue;
			exprs[n] = db->pats[p].expr;
			flags[n] = db->pats[p].hsflags |
			           (rule->som ? HS_FLAG_SOM_LEFTMOST : 0);
			ids[n] = (unsigned)p;
			/* Each pattern alone, so every rejection is named. */
			if (hs_compile_multi(&exprs[n], &flags[n], &ids[n], 1,
			        HS_MODE_BLOCK, NULL, &rdb,
			        &cerr) != HS_SUCCESS) {
				fprintf(stderr,
				    "%s:%u: rule %s: pattern rejected: %s\n",
				    rule->file, db->pats[p].line, rule->id,
				    cerr ? cerr->message : "?");
				errors++;
				hs_free_compile_error(cerr);
				cerr = NULL;
				continue;
			}
			hs_free_database(rdb);
			rdb = NULL;
			n++;
		}
		if (n == 0 || text == NULL || ref_rate <= 0)
			continue;
		if (hs_compile_multi(exprs, flags, ids, n, HS_MODE_BLOCK, NULL,
		        &rdb, &cerr) == HS_SUCCESS) {
			double rate = scan_rate(rdb, text, tlen);

			/* Relative to a rare literal scanned in the same run:
			 * under 1% is what unanchored PII regexes reach. */
			if (rate < ref_rate / 100) {
				fprintf(stderr,
				    "%s:%u: rule %s: warning: very slow: %.0f "
				    "MB/s, "
				    "%.1f%% of a plain literal's %.0f MB/s\n",
				    rule->file, rule->line, rule->id, rate,
				    100 * rate / ref_rate, ref_rate);
				warnings++;
			}
			hs_free_database(rdb);
		}
		hs_free_compile_error(cerr);
	}
	printf("%zu rules, %zu patterns: %zu errors, %zu warnings\n",
	    db->nrules, db->npats, errors, warnings);
	hs_free_database(ref);
	free(text);
	dlp_sigdb_free(db);
	return errors > 0 || (o->strict && warnings > 0) ? 1 : 0;
}

/* test */

struct test_ctx {
	size_t shown;
};

static void
on_example(
    void *ctx, const struct dlp_rule *r, const struct dlp_example *ex, bool ok)
{
	struct test_ctx *t = ctx;

	if (ok)
		return;
	t->shown++;
	printf("%s:%u: rule %s: %s example failed: \"%s\"\n", r->file, ex->line,
	    r->id, ex->must_match ? "match" : "nomatch", ex->text);
}

static int
cmd_test(const struct opts *o, char **paths, int npaths)
{
	struct dlp_engine *e;
	struct dlp_scan *s = NULL;
	struct test_ctx t = {0};
	size_t n = 0, failed = 0;
	int rc = 1;

	e = make_engine(
	    o, npaths ? (const char *const *)paths : NULL, (size_t)npaths, 1);
	if (e == NULL)
		return EXIT_USAGE;
	if (dlp_scan_new(e, &s) != DLP_OK ||
	    dlp_engine_examples(e, s, on_example, &t, &n, &failed) != DLP_OK)
		fprintf(stderr, "dlpsig: examples could not run\n");
	else {
		printf("%zu passed, %zu failed\n", n - failed, failed);
		rc = failed ? 1 : 0;
	}
	dlp_scan_free(s);
	dlp_engine_free(e);
	return rc;
}

/* compile */

static int
cmd_compile(const struct opts *o, char **paths, int npaths)
{
	struct dlp_engine *e;
	double t0 = now_ms();

	if (o->cache_dir == NULL) {
		fprintf(stderr, "dlpsig: compile needs --cache-dir DIR\n");
		return EXIT_USAGE;
	}
	e = make_engine(
	    o, npaths ? (const char *const *)paths : NULL, (size_t)npaths, 1);
	if (e == NULL)
		return 1;
	printf("%zu rules, signature set %s: %s in %.1f ms (%s)\n",
	    dlp_engine_nrules(e), dlp_engine_signature_id(e),
	    dlp_engine_cache_hit(e) ? "loaded from the cache"
	                            : "compiled and cached",
	    now_ms() - t0, o->cache_dir);
	dlp_engine_free(e);
	return 0;
}

/* explain */

struct explain_ctx {
	const struct opts *o;
	struct dlp_scan *scan;
	int rc;
	enum dlp_verdict worst;
};

static void
explain_one(void *ctx, const char *source, const char *msg, size_t len)
{
	struct explain_ctx *x = ctx;
	struct dlp_envelope env = {0};
	struct dlp_result *r = NULL;
	size_t n;

	env.mail_from = x->o->from;
	env.rcpts = x->o->rcpts;
	env.nrcpts = x->o->nrcpts;
	env.flags = DLP_ENV_RCPTS_FROM_HEADERS;
	if (dlp_scan_message(x->scan, msg, len, &env, &r) != DLP_OK) {
		fprintf(stderr, "dlpsig: %s: %s\n", source,
		    dlp_scan_errmsg(x->scan));
		x->rc = EXIT_USAGE;
		return;
	}
	printf("%s\n", source);
	n = dlp_result_nfindings(r);
	printf("  findings (%zu):\n", n);
	for (size_t i = 0; i < n; i++) {
		const struct dlp_finding *f = dlp_result_finding(r, i);

		printf(
		    "    %-28s level %u conf %u x%zu  %s line %u  \"%s\"%s%s\n",
		    f->rule, f->level, f->confidence, f->count, f->where,
		    f->line, f->excerpt, f->detail[0] ? "  " : "", f->detail);
	}
	n = dlp_result_nunscanned(r);
	if (n > 0)
		printf("  not scanned (%zu):\n", n);
	for (size_t i = 0; i < n; i++) {
		const struct dlp_unscanned *u = dlp_result_unscanned(r, i);

		printf("    %s: %s: %s (counts as level %u)\n", u->where,
		    u->why, u->detail, u->level);
	}
	printf("  content level: %u\n", dlp_result_level(r));
	n = dlp_result_nrecipients(r);
	printf("  recipients (%zu):\n", n);
	for (size_t i = 0; i < n; i++) {
		const struct dlp_recipient *c = dlp_result_recipient(r, i);

		printf("    %-32s %-9s score %3u  -> %s\n      %s\n",
		    c->address, dlp_rcpt_class_name(c->cls), c->score,
		    dlp_verdict_name(c->verdict), c->explain);
	}
	printf("  verdict: %s (the strictest over the recipients)\n",
	    dlp_verdict_name(dlp_result_verdict(r)));
	for (size_t i = 0; i < dlp_result_nreasons(r); i++)
		printf("    - %s\n", dlp_result_reason(r, i));
	if (dlp_result_verdict(r) > x->worst)
		x->worst = dlp_result_verdict(r);
	dlp_result_free(r);
}

static int
cmd_explain(const struct opts *o, char **paths, int npaths)
{
	struct explain_ctx x = {o, NULL, 0, DLP_ALLOW};
	struct dlp_engine *e;

	if (npaths < 1) {
		fprintf(stderr, "dlpsig: explain needs a message file\n");
		return EXIT_USAGE;
	}
	if ((e = make_engine(o, o->nsigs ? o->sigs : NULL, o->nsigs, 1)) ==
	    NULL)
		return EXIT_USAGE;
	if (dlp_scan_new(e, &x.scan) == DLP_OK)
		for (int i = 0; i < npaths; i++)
			if (dlp_cli_each_message(
			        "dlpsig", paths[i], explain_one, &x) != 0)
				x.rc = EXIT_USAGE;
	dlp_scan_free(x.scan);
	dlp_engine_free(e);
	return x.rc;
}

/* corpus */

struct rule_count {
	char *rule;
	size_t base, cand;           /* messages with a finding of the rule */
	size_t seen_base, seen_cand; /* last message counted, 1-based */
};

struct corpus_ctx {
	const struct opts *o;
	struct dlp_scan *base, *cand;
	struct rule_count *rules;
	size_t nrules, caprules;
	size_t nmsgs, changed, errors;
	double started, last;
	int tty;
};

static void
bump(struct corpus_ctx *c, const struct dlp_result *r, int cand)
{
	for (size_t i = 0; i < dlp_result_nfindings(r); i++) {
		const struct dlp_finding *f = dlp_result_finding(r, i);
		size_t k;

		for (k = 0; k < c->nrules; k++)
			if (strcmp(c->rules[k].rule, f->rule) == 0)
				break;
		if (k == c->nrules) {
			if (c->nrules == c->caprules) {
				size_t nc = c->caprules ? c->caprules * 2 : 64;
				struct rule_count *nr =
				    realloc(c->rules, nc * sizeof(*nr));

				if (nr == NULL)
					return;
				c->rules = nr;
				c->caprules = nc;
			}
			c->rules[k].rule = strdup(f->rule);
			c->rules[k].base = c->rules[k].cand = 0;
			c->rules[k].seen_base = c->rules[k].seen_cand = 0;
			if (c->rules[k].rule == NULL)
				return;
			c->nrules++;
		}
		if (cand && c->rules[k].seen_cand != c->nmsgs) {
			c->rules[k].seen_cand = c->nmsgs;
			c->rules[k].cand++;
		} else if (!cand && c->rules[k].seen_base != c->nmsgs) {
			c->rules[k].seen_base = c->nmsgs;
			c->rules[k].base++;
		}
	}
}

static void
corpus_one(void *ctx, const char *source, const char *msg, size_t len)
{
	struct corpus_ctx *c = ctx;
	struct dlp_envelope env = {0};
	struct dlp_result *a = NULL, *b = NULL;

	env.rcpts = c->o->rcpts;
	env.nrcpts = c->o->nrcpts;
	env.flags = DLP_ENV_RCPTS_FROM_HEADERS;
	c->nmsgs++;
	if (dlp_scan_message(c->base, msg, len, &env, &a) != DLP_OK ||
	    dlp_scan_message(c->cand, msg, len, &env, &b) != DLP_OK) {
		fprintf(stderr, "dlpsig: %s: scan failed\n", source);
		c->errors++;
		goto out;
	}
	bump(c, a, 0);
	bump(c, b, 1);
	if (dlp_result_verdict(a) != dlp_result_verdict(b)) {
		c->changed++;
		printf("changed %s: %s -> %s: %s\n", source,
		    dlp_verdict_name(dlp_result_verdict(a)),
		    dlp_verdict_name(dlp_result_verdict(b)),
		    dlp_result_nreasons(b) ? dlp_result_reason(b, 0) : "");
	}
	if (c->tty && now_ms() - c->last > 500 &&
	    now_ms() - c->started > 2000) {
		c->last = now_ms();
		fprintf(stderr, "\rdlpsig: %zu messages", c->nmsgs);
	}
out:
	dlp_result_free(a);
	dlp_result_free(b);
}

static int
cmp_rule(const void *x, const void *y)
{
	return strcmp(((const struct rule_count *)x)->rule,
	    ((const struct rule_count *)y)->rule);
}

static int
cmd_corpus(const struct opts *o, char **paths, int npaths)
{
	struct corpus_ctx c;
	struct dlp_engine *eb = NULL, *ec = NULL;
	const char *base[1];
	int rc = EXIT_USAGE;

	memset(&c, 0, sizeof(c));
	c.o = o;
	if (npaths < 1 || o->nsigs == 0) {
		fprintf(stderr, "dlpsig: corpus needs DIR|MBOX and "
		                "--signatures NEW\n");
		return EXIT_USAGE;
	}
	base[0] = o->baseline;
	eb = make_engine(o, o->baseline ? base : NULL, o->baseline ? 1 : 0, 1);
	ec = make_engine(o, o->sigs, o->nsigs, 1);
	if (eb == NULL || ec == NULL || dlp_scan_new(eb, &c.base) != DLP_OK ||
	    dlp_scan_new(ec, &c.cand) != DLP_OK)
		goto out;
	c.started = c.last = now_ms();
	c.tty = isatty(STDERR_FILENO);
	for (int i = 0; i < npaths; i++)
		c.errors += (size_t)dlp_cli_each_message(
		    "dlpsig", paths[i], corpus_one, &c);
	if (c.tty)
		fprintf(stderr, "\r\033[K");
	qsort(c.rules, c.nrules, sizeof(*c.rules), cmp_rule);
	printf("\nmessages with a finding, per rule:\n%-40s %10s %10s %8s\n",
	    "rule", "baseline", "new", "change");
	for (size_t i = 0; i < c.nrules; i++)
		printf("%-40s %10zu %10zu %+8ld\n", c.rules[i].rule,
		    c.rules[i].base, c.rules[i].cand,
		    (long)c.rules[i].cand - (long)c.rules[i].base);
	printf("\n%zu messages, %zu verdicts changed, %zu errors\n", c.nmsgs,
	    c.changed, c.errors);
	rc = c.errors ? EXIT_USAGE : c.changed ? 1 : 0;
out:
	for (size_t i = 0; i < c.nrules; i++)
		free(c.rules[i].rule);
	free(c.rules);
	dlp_scan_free(c.base);
	dlp_scan_free(c.cand);
	dlp_engine_free(eb);
	dlp_engine_free(ec);
	return rc;
}

static int
push(const char **v, size_t *n, const char *s)
{
	if (*n >= MAXLIST) {
		fprintf(
		    stderr, "dlpsig: too many values (at most %d)\n", MAXLIST);
		return 0;
	}
	v[(*n)++] = s;
	return 1;
}

int
main(int argc, char **argv)
{
	enum {
		O_DATA = 256,
		O_SIGS,
		O_BASE,
		O_KW,
		O_POLICY,
		O_RCPT,
		O_FROM,
		O_INT,
		O_TRUST,
		O_CACHE,
		O_STRICT,
		O_HELP
	};
	static const struct option longopts[] = {
	    {"data-dir", required_argument, NULL, O_DATA},
	    {"signatures", required_argument, NULL, O_SIGS},
	    {"baseline", required_argument, NULL, O_BASE},
	    {"keywords", required_argument, NULL, O_KW},
	    {"policy", required_argument, NULL, O_POLICY},
	    {"rcpt", required_argument, NULL, O_RCPT},
	    {"from", required_argument, NULL, O_FROM},
	    {"internal-domain", required_argument, NULL, O_INT},
	    {"trusted-domain", required_argument, NULL, O_TRUST},
	    {"cache-dir", required_argument, NULL, O_CACHE},
	    {"strict", no_argument, NULL, O_STRICT},
	    {"help", no_argument, NULL, O_HELP},
	    {NULL, 0, NULL, 0},
	};
	static struct opts o;
	const char *cmd;
	int c, ok = 1;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : 0;
	}
	cmd = argv[1];
	optind = 2;
	opterr = 0;
	while (ok && (c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case O_DATA:
			o.data_dir = optarg;
			break;
		case O_SIGS:
			ok = push(o.sigs, &o.nsigs, optarg);
			break;
		case O_BASE:
			o.baseline = optarg;
			break;
		case O_KW:
			ok = push(o.keywords, &o.nkeywords, optarg);
			break;
		case O_POLICY:
			o.policy = optarg;
			break;
		case O_RCPT:
			ok = push(o.rcpts, &o.nrcpts, optarg);
			break;
		case O_FROM:
			o.from = optarg;
			break;
		case O_INT:
			ok = push(o.internal, &o.ninternal, optarg);
			break;
		case O_TRUST:
			ok = push(o.trusted, &o.ntrusted, optarg);
			break;
		case O_CACHE:
			o.cache_dir = optarg;
			break;
		case O_STRICT:
			o.strict = 1;
			break;
		case O_HELP:
			usage(stdout);
			return 0;
		default:
			fprintf(stderr,
			    "dlpsig: unknown or incomplete option \"%s\"; try "
			    "--help\n",
			    argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	if (!ok)
		return EXIT_USAGE;
	if (o.data_dir == NULL)
		o.data_dir = dlp_cli_data_dir(argv[0]);
	if (strcmp(cmd, "lint") == 0)
		return cmd_lint(&o, argv + optind, argc - optind);
	if (strcmp(cmd, "test") == 0)
		return cmd_test(&o, argv + optind, argc - optind);
	if (strcmp(cmd, "compile") == 0)
		return cmd_compile(&o, argv + optind, argc - optind);
	if (strcmp(cmd, "explain") == 0)
		return cmd_explain(&o, argv + optind, argc - optind);
	if (strcmp(cmd, "corpus") == 0)
		return cmd_corpus(&o, argv + optind, argc - optind);
	fprintf(stderr, "dlpsig: unknown command \"%s\"; try --help\n", cmd);
	return EXIT_USAGE;
}
