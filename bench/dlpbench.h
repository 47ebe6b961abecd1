/*
 * dlpbench.h - the in-process benchmark: the corpus in memory, the
 * measurements, and the stage replay that times what the public API does
 * not expose (see bench/README.md for how each figure is made).
 */
#ifndef DLP_BENCH_H
#define DLP_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dlp.h"

struct dlp_bench_msg {
	char file[64];
	char cls[32];
	char container[32]; /* "" when nothing is planted */
	char kind[16];      /* "marking", "pii-card", "pii-ssn" */
	unsigned level;     /* planted level */
	const uint8_t *p;
	size_t len;
};

struct dlp_bench_corpus {
	struct dlp_bench_msg *m;
	size_t n;
	uint8_t *arena;
	size_t bytes;
};

/*
 * Nested objects by their real type (sniffed here from the first bytes,
 * like the engine's built-in sniff), each timed exclusive of the objects
 * nested in it.
 */
enum {
	DLP_BENCH_K_ZIP,   /* zip and OOXML: unpack + XML extraction */
	DLP_BENCH_K_PDF,   /* PDF text through poppler */
	DLP_BENCH_K_OLE2,  /* legacy Office through libgsf */
	DLP_BENCH_K_IMAGE, /* PNG, JPEG, GIF: counted, not read */
	DLP_BENCH_K_TNEF,  /* winmail.dat */
	DLP_BENCH_K_MSG,   /* message/rfc822 */
	DLP_BENCH_K_OTHER, /* text, other archives, libmagic's share */
	DLP_BENCH_NKINDS
};
extern const char *const dlp_bench_kind_names[DLP_BENCH_NKINDS];

/* Stage totals in thread CPU nanoseconds, summed over the corpus. */
struct dlp_bench_stages {
	uint64_t kind_ns[DLP_BENCH_NKINDS];
	size_t kind_n[DLP_BENCH_NKINDS];
	uint64_t mime;      /* parse + decode + emit, without nested objects */
	uint64_t object;    /* sniff + unpack + extract of nested objects */
	uint64_t sniff;     /* of which the true-type sniff (timed apart) */
	uint64_t normalise; /* dlp_normalise over every text */
	uint64_t scan;      /* raw hs_scan of the engine's database */
	uint64_t match;     /* dlp_match_text: normalise + scan + confirm */
	uint64_t memcpy;    /* memcpy of the input messages */
	uint64_t gmime;     /* GMime parse + decode (0 without GMime) */
	size_t gmime_parts; /* parts GMime saw */
	size_t texts;       /* texts reported by the stages */
	size_t text_bytes;  /* their bytes after normalisation */
	size_t objects;     /* nested objects dispatched */
	size_t hs_matches;
};

/* Monotonic wall clock, and this thread's CPU time, in nanoseconds. */
uint64_t dlp_bench_now(void);
uint64_t dlp_bench_cpu_now(void);

/*
 * Replay the stages of every message in idx[0..n) of c with the engine's
 * own stage functions and a sink that records texts; time each stage.
 * datadir is the data directory whose *.sig files the engine compiled,
 * keywords (may be NULL) the keyword file it was given, cache (may be
 * NULL) the compiled-signature cache directory to load it from.
 * Returns 0, or -1 with a message on stderr.
 */
int dlp_bench_stages(const struct dlp_bench_corpus *c, const size_t *idx,
    size_t n, const char *datadir, const char *keywords, const char *cache,
    struct dlp_bench_stages *out);

/*
 * GMime 3 parse + decode of every part of one message: this thread's CPU
 * nanoseconds, or 0 when built without GMime; *parts grows by the parts
 * GMime saw.
 */
uint64_t dlp_bench_gmime_one(const struct dlp_bench_msg *m, size_t *parts);
const char *dlp_bench_gmime_version(void);

#endif
