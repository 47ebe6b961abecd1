/*
 * fuzz.h - what the libFuzzer harnesses share: a recording sink that
 * reads every byte it is given (so an out-of-bounds span shows under
 * ASan), a per-input budget with the default limits, and the source
 * tree's path for data files.
 *
 * Each harness is one fuzz_<target>.c defining LLVMFuzzerTestOneInput
 * (and LLVMFuzzerInitialize when it needs loaded data). A harness checks
 * the documented invariants of its target and traps when one breaks, so
 * the fuzzer reports it as a crash.
 */
#ifndef DLP_FUZZ_H
#define DLP_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "extract.h"
#include "internal.h"

/* Abort the run (a crash the fuzzer records) when cond is false. */
#define FZ_ASSERT(cond)                                                        \
	do {                                                                   \
		if (!(cond))                                                   \
			__builtin_trap();                                      \
	} while (0)

struct fz_sink {
	struct dlp_sink sink;
	struct dlp_budget budget;
	struct dlp_limits limits;
	unsigned long ntext, nunscanned, nfinding, nobject;
	uint32_t hash; /* of every byte seen, so no read is optimised away */
	/* When set, nested objects are dispatched again (as the engine
	 * does) up to max_depth; else only read. */
	struct dlp_xctx *recurse;
};

void fz_sink_init(struct fz_sink *f);
/* Fold bytes into f->hash (reads each of them). */
void fz_touch(struct fz_sink *f, const void *p, size_t n);
/* The source tree (for signatures/ and tests/). */
const char *fz_source_dir(void);
/* A NUL-terminated copy of data (malloc); NULL on OOM. */
char *fz_strndup(const uint8_t *data, size_t len);

/*
 * Run an extractor (dlp_extract_object, dlp_extract_ooxml ...) on data
 * with a fresh context and a recursing sink, small limits (so that the
 * limit paths are reached) and check what it returns.
 */
typedef enum dlp_status (*fz_extract_fn)(struct dlp_xctx *x, const char *where,
    const uint8_t *data, size_t len, unsigned depth);
void fz_extract(fz_extract_fn fn, const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#endif /* DLP_FUZZ_H */
