/*
 * test.h - the unit-test harness: TEST() cases registered in a table,
 * CHECK macros that report file:line and go on, a recording sink, and an
 * allocator that can be told to fail the n-th allocation.
 *
 * A test file defines its cases with TEST(name) { ... } and ends with
 * TEST_MAIN(). Running the binary runs every case (or those named on the
 * command line) and prints one line per case and a closing
 * "N passed, N failed" line; the exit status is non-zero on any failure.
 */
#ifndef DLP_TEST_H
#define DLP_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct test_case {
	const char *name;
	void (*fn)(void);
};

extern int test_failures;
extern struct test_case test_cases[];
extern size_t test_ncases;

#define TEST_MAX_CASES 512

#define TEST(name)                                                             \
	static void test_##name(void);                                         \
	__attribute__((constructor)) static void test_reg_##name(void)         \
	{                                                                      \
		if (test_ncases < TEST_MAX_CASES)                              \
			test_cases[test_ncases++] =                            \
			    (struct test_case){#name, test_##name};            \
	}                                                                      \
	static void test_##name(void)

#define CHECK_MSG(cond, ...)                                                   \
	do {                                                                   \
		if (!(cond)) {                                                 \
			test_failures++;                                       \
			fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, \
			    __LINE__, #cond);                                  \
			fprintf(stderr, __VA_ARGS__);                          \
			fputc('\n', stderr);                                   \
		}                                                              \
	} while (0)

#define CHECK(cond) CHECK_MSG(cond, "%s", "")

#define CHECK_INT(got, want)                                                   \
	do {                                                                   \
		long long g_ = (long long)(got), w_ = (long long)(want);       \
		CHECK_MSG(g_ == w_, "got %lld, want %lld", g_, w_);            \
	} while (0)

#define CHECK_STR(got, want)                                                   \
	do {                                                                   \
		const char *g_ = (got), *w_ = (want);                          \
		CHECK_MSG(g_ != NULL && strcmp(g_, w_) == 0,                   \
		    "got \"%s\", want \"%s\"", g_ ? g_ : "(null)", w_);        \
	} while (0)

#define CHECK_MEM(got, glen, want, wlen, label)                                \
	do {                                                                   \
		size_t gl_ = (glen), wl_ = (wlen);                             \
		CHECK_MSG(gl_ == wl_ && memcmp((got), (want), gl_) == 0,       \
		    "%s: got \"%.*s\" (%zu), want \"%.*s\" (%zu)", (label),    \
		    (int)gl_, (const char *)(got), gl_, (int)wl_,              \
		    (const char *)(want), wl_);                                \
	} while (0)

/*
 * The counting allocator: test_mem is a struct dlp_mem whose n-th
 * allocation fails after test_fail_after(n) (0 = never). test_live()
 * is the number of blocks not yet freed, for leak checks.
 */
extern struct dlp_mem test_mem;
void test_fail_after(unsigned long n);
long test_live(void);

/*
 * A sink that records every call as one line in test_sink_log:
 *	text <scope> <where> [<header>] <text>
 *	unscanned <where> <why> <detail>
 *	finding <where> <rule> <level> <detail>
 *	object <where> <name> <type> <len> <depth>
 */
struct test_sink {
	struct dlp_sink sink;
	struct dlp_buf log;
	struct dlp_budget budget;
	struct dlp_limits limits;
};
void test_sink_init(struct test_sink *t);
void test_sink_fini(struct test_sink *t);
/* True when the log holds a line containing needle. */
int test_sink_has(const struct test_sink *t, const char *needle);

/* Path of a directory under the source tree ("tests/messages"), or a
 * shared corpus path (NULL when absent: skip). */
const char *test_source_dir(void);
const char *test_corpus_dir(void);

/* Read a whole file; NULL on error. Free with free(). */
unsigned char *test_read_file(const char *path, size_t *len);

/* Read a test document of Tika's module ("pkg", "microsoft", "pdf") from
 * the shared corpus; NULL when the corpus or the file is absent. */
unsigned char *test_tika_file(
    const char *module, const char *name, size_t *len);

#define TEST_SKIP(why)                                                         \
	do {                                                                   \
		printf("  skipped: %s\n", why);                                \
		return;                                                        \
	} while (0)

#define TEST_MAIN()                                                            \
	int main(int argc, char **argv)                                        \
	{                                                                      \
		return test_run(argc, argv);                                   \
	}
int test_run(int argc, char **argv);

#endif /* DLP_TEST_H */
