/*
 * domain_bench.c - classifications per second of dlp_domain_classify()
 * with 100, 10,000 and 100,000 generated trusted entries (spec section
 * 6.2: the symmetric-delete index must keep a recipient in microseconds,
 * whatever the size of the list).
 *
 * Usage: domain_bench [datadir/domains] [queries] [entries]
 * The queries mix exact matches, one-edit typos of entries and unrelated
 * domains, one third each. Names are generated from a fixed seed.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain.h"

#ifndef DLP_BENCH_DATADIR
#define DLP_BENCH_DATADIR "signatures/domains"
#endif

static unsigned long long rng = 88172645463325252ull;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static void
gen_name(char *out, size_t cap)
{
	static const char *const tlds[] = {
	    "com", "net", "org", "de", "co.uk", "fr", "io"};
	char sld[32];
	unsigned len = 5 + rnd(10);

	for (unsigned i = 0; i < len; i++)
		sld[i] = (char)('a' + rnd(26));
	sld[len] = '\0';
	snprintf(out, cap, "%s.%s", sld, tlds[rnd(DLP_NITEMS(tlds))]);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
run(const char *dir, size_t n, size_t nq)
{
	struct dlp_mem mem;
	char **names = calloc(n, sizeof(*names));
	char **q = calloc(nq, sizeof(*q));
	struct dlp_domain_db *db = NULL;
	struct dlp_error err = {0};
	struct dlp_domain_result r;
	size_t typo = 0, ok = 0;
	double t0, t1, t2;
	int rc = 1;

	dlp_mem_init_default(&mem);
	if (names == NULL || q == NULL)
		goto out;
	for (size_t i = 0; i < n; i++) {
		char b[64];

		gen_name(b, sizeof(b));
		if ((names[i] = strdup(b)) == NULL)
			goto out;
	}
	for (size_t i = 0; i < nq; i++) {
		char b[80];
		const char *e = names[rnd((unsigned)n)];

		switch (i % 3) {
		case 0:
			snprintf(b, sizeof(b), "user@%s", e);
			break;
		case 1: { /* one edit: drop a character of the name */
			size_t k = rnd((unsigned)strcspn(e, "."));
			snprintf(
			    b, sizeof(b), "user@%.*s%s", (int)k, e, e + k + 1);
			break;
		}
		default:
			memcpy(b, "user@", 5);
			gen_name(b + 5, sizeof(b) - 5);
		}
		if ((q[i] = strdup(b)) == NULL)
			goto out;
	}
	t0 = now();
	if (dlp_domain_load(&mem, dir, NULL, 0, (const char *const *)names, n,
	        &db, &err) != DLP_OK) {
		fprintf(stderr, "domain_bench: %s:%u: %s\n", err.file, err.line,
		    err.message);
		goto out;
	}
	t1 = now();
	for (size_t i = 0; i < nq; i++) {
		if (dlp_domain_classify(db, q[i], strlen(q[i]), &r) != DLP_OK)
			goto out;
		ok++;
		typo += r.cls == DLP_RCPT_TYPO;
	}
	t2 = now();
	printf("%7zu trusted entries: load %.2f s, %zu classifications in "
	       "%.3f s = %.0f per second (%.1f us each), %zu typos\n",
	    n, t1 - t0, ok, t2 - t1, (double)ok / (t2 - t1),
	    1e6 * (t2 - t1) / (double)ok, typo);
	rc = 0;
out:
	dlp_domain_free(db);
	for (size_t i = 0; names && i < n; i++)
		free(names[i]);
	for (size_t i = 0; q && i < nq; i++)
		free(q[i]);
	free(names);
	free(q);
	return rc;
}

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : DLP_BENCH_DATADIR;
	size_t nq = argc > 2 ? strtoul(argv[2], NULL, 10) : 30000;
	static const size_t sizes[] = {100, 10000, 100000};

	if (nq == 0)
		nq = 30000;
	if (argc > 3)
		return run(dir, strtoul(argv[3], NULL, 10), nq);
	for (size_t i = 0; i < DLP_NITEMS(sizes); i++)
		if (run(dir, sizes[i], nq) != 0)
			return 1;
	return 0;
}
