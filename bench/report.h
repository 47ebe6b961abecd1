/*
 * report.h - what dlpbench measured, and its JSON form (documented in
 * bench/README.md). Raw totals and the ratios derived from them.
 */
#ifndef DLP_BENCH_REPORT_H
#define DLP_BENCH_REPORT_H

#include "dlpbench.h"

struct dlp_bench_class {
	char name[32];
	size_t count, bytes;
	uint64_t one_ns; /* first pass, thread CPU time, per message */
	double one_s;    /* single thread: wall seconds for one_msgs */
	size_t one_msgs;
	double n_s; /* N threads: wall seconds for n_msgs */
	size_t n_msgs;
	double one_cpu, n_cpu;      /* process CPU seconds meanwhile */
	struct dlp_bench_stages st; /* GMime's time too (st.gmime) */
};

struct dlp_bench_ctr {
	char name[32];
	size_t planted, found;
};

struct dlp_bench_report {
	unsigned threads;
	double min_seconds;
	uint64_t startup_cold_ns, startup_warm_ns; /* dlp_engine_new */
	size_t nrules;
	long rss_engine_kb, rss_corpus_kb, rss_peak_kb;
	struct {
		size_t count, bytes;
		double one_s, n_s;
		size_t one_msgs, n_msgs;
		double one_cpu, n_cpu;
	} mix;
	struct dlp_bench_class classes[16];
	size_t nclasses;
	struct dlp_bench_ctr ctrs[32];
	size_t nctrs;
	size_t unplanted, false_flagged, held_unscanned;
	size_t verdicts[4]; /* by enum dlp_verdict */
	const char *hs_version, *gmime_version, *signature_id;
};

/* The class entry called name, added when new. */
struct dlp_bench_class *dlp_bench_report_class(
    struct dlp_bench_report *r, const char *name);

/* Count one message's outcome. */
void dlp_bench_report_outcome(struct dlp_bench_report *r,
    const struct dlp_bench_msg *m, enum dlp_verdict v, bool found, bool flagged,
    bool unscanned);

/* Write the report as JSON to path. 0 or -1. */
int dlp_bench_report_write(const struct dlp_bench_report *r, const char *path);

#endif
