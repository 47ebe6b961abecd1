/*
 * test.c - the unit-test harness (see test.h).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <sys/stat.h>

#include "test.h"

int test_failures;
struct test_case test_cases[TEST_MAX_CASES];
size_t test_ncases;

static unsigned long fail_at, nallocs;
static long live;

static void *
t_malloc(void *ctx, size_t n)
{
	void *p;

	(void)ctx;
	if (fail_at != 0 && ++nallocs >= fail_at)
		return NULL;
	if ((p = malloc(n)) != NULL)
		live++;
	return p;
}

static void *
t_realloc(void *ctx, void *p, size_t n)
{
	void *q;

	(void)ctx;
	if (fail_at != 0 && ++nallocs >= fail_at)
		return NULL;
	q = realloc(p, n);
	if (q != NULL && p == NULL)
		live++;
	return q;
}

static void
t_free(void *ctx, void *p)
{
	(void)ctx;
	if (p != NULL)
		live--;
	free(p);
}

struct dlp_mem test_mem = {{t_malloc, t_realloc, t_free, NULL}};

void
test_fail_after(unsigned long n)
{
	fail_at = n;
	nallocs = 0;
}

long
test_live(void)
{
	return live;
}

static void logf_(struct test_sink *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
logf_(struct test_sink *t, const char *fmt, ...)
{
	va_list ap;
	char line[4096];

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	dlp_buf_puts(&t->log, line);
	dlp_buf_putc(&t->log, '\n');
}

static enum dlp_status
s_text(void *ctx, unsigned scope, const char *where, const char *header,
    const char *text, size_t len)
{
	logf_(ctx, "text %u %s %s%s%.*s", scope, where, header ? header : "",
	    header ? " " : "", (int)len, text);
	return DLP_OK;
}

static enum dlp_status
s_unscanned(void *ctx, const char *where, const char *why, const char *detail)
{
	logf_(ctx, "unscanned %s %s %s", where, why, detail ? detail : "");
	return DLP_OK;
}

static enum dlp_status
s_finding(void *ctx, const char *where, const char *rule, unsigned level,
    const char *detail)
{
	logf_(ctx, "finding %s %s %u %s", where, rule, level,
	    detail ? detail : "");
	return DLP_OK;
}

static enum dlp_status
s_object(void *ctx, const char *where, const char *name, const char *type,
    const uint8_t *data, size_t len, unsigned depth)
{
	(void)data;
	logf_(ctx, "object %s %s %s %zu %u", where, name ? name : "-",
	    type ? type : "-", len, depth);
	return DLP_OK;
}

void
test_sink_init(struct test_sink *t)
{
	static struct dlp_mem libc;

	dlp_mem_init_default(&libc);
	memset(t, 0, sizeof(*t));
	dlp_buf_init(&t->log, &libc);
	dlp_limits_default(&t->limits);
	t->budget.expanded_left = t->limits.max_expanded_bytes;
	t->budget.entries_left = t->limits.max_entries;
	t->budget.parts_left = t->limits.max_parts;
	t->budget.limits = &t->limits;
	t->sink.ctx = t;
	t->sink.text = s_text;
	t->sink.unscanned = s_unscanned;
	t->sink.finding = s_finding;
	t->sink.object = s_object;
	t->sink.budget = &t->budget;
}

void
test_sink_fini(struct test_sink *t)
{
	dlp_buf_fini(&t->log);
}

int
test_sink_has(const struct test_sink *t, const char *needle)
{
	return t->log.p != NULL &&
	       strstr((const char *)t->log.p, needle) != NULL;
}

const char *
test_source_dir(void)
{
	const char *d = getenv("DLP_SOURCE_DIR");

	return d ? d : DLP_TEST_SOURCE_DIR;
}

const char *
test_corpus_dir(void)
{
	static char path[4096];
	const char *d = getenv("DLP_CORPUS");
	struct stat st;

	if (d == NULL) {
		snprintf(path, sizeof(path), "%s/../shared/corpus",
		    test_source_dir());
		d = path;
	}
	if (stat(d, &st) != 0 || !S_ISDIR(st.st_mode))
		return NULL;
	return d;
}

unsigned char *
test_read_file(const char *path, size_t *len)
{
	FILE *f;
	unsigned char *p = NULL;
	size_t cap = 0, n = 0, r;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	for (;;) {
		if (n + 65536 + 1 > cap) {
			unsigned char *np;

			cap = cap ? cap * 2 : 131072;
			if ((np = realloc(p, cap)) == NULL) {
				free(p);
				fclose(f);
				return NULL;
			}
			p = np;
		}
		r = fread(p + n, 1, 65536, f);
		n += r;
		if (r == 0)
			break;
	}
	fclose(f);
	p[n] = '\0';
	*len = n;
	return p;
}

unsigned char *
test_tika_file(const char *module, const char *name, size_t *len)
{
	const char *dir = test_corpus_dir();
	char path[4096];

	if (dir == NULL)
		return NULL;
	snprintf(path, sizeof(path),
	    "%s/tika/tika-parsers/tika-parsers-standard/"
	    "tika-parsers-standard-modules/tika-parser-%s-module/src/test/"
	    "resources/test-documents/%s",
	    dir, module, name);
	return test_read_file(path, len);
}

int
test_run(int argc, char **argv)
{
	size_t passed = 0, failed = 0;

	for (size_t i = 0; i < test_ncases; i++) {
		int before = test_failures, want = argc < 2;

		for (int a = 1; a < argc; a++)
			if (strcmp(argv[a], test_cases[i].name) == 0)
				want = 1;
		if (!want)
			continue;
		test_cases[i].fn();
		if (test_failures == before) {
			passed++;
			printf("ok   %s\n", test_cases[i].name);
		} else {
			failed++;
			printf("FAIL %s\n", test_cases[i].name);
		}
	}
	printf("%zu passed, %zu failed\n", passed, failed);
	return failed ? 1 : 0;
}
