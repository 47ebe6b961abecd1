/*
 * doc_util.h - shared by the document extractor tests: zip packages
 * written in memory with libarchive's writer, a sink that collects the
 * extracted text (and dispatches nested objects to the extractors by
 * magic, and any other object through dlp_extract_object as the engine
 * does), and the Tika corpus check.
 */
#ifndef DLP_DOC_UTIL_H
#define DLP_DOC_UTIL_H

#include <archive.h>
#include <archive_entry.h>
#include <ctype.h>

#include "charset.h"
#include "extract.h"
#include "test.h"

#define DU_UNUSED __attribute__((unused))

typedef enum dlp_status (*du_fn)(
    struct dlp_xctx *, const char *, const uint8_t *, size_t, unsigned);

/* --- zip written into memory --- */

struct du_zip {
	unsigned char *p;
	size_t len;
};

struct du_part {
	const char *name;
	const char *data; /* NUL-terminated */
};

static DU_UNUSED void
du_zip(const struct du_part *parts, size_t n, struct du_zip *z)
{
	struct archive *a = archive_write_new();
	struct archive_entry *e;
	size_t cap = 1 << 20, used = 0, i;

	z->p = malloc(cap);
	archive_write_set_format_zip(a);
	archive_write_open_memory(a, z->p, cap, &used);
	for (i = 0; i < n; i++) {
		e = archive_entry_new();
		archive_entry_set_pathname(e, parts[i].name);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)strlen(parts[i].data));
		archive_write_header(a, e);
		archive_write_data(a, parts[i].data, strlen(parts[i].data));
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);
	z->len = used;
}

/* --- a collecting sink --- */

struct du_sink {
	struct dlp_sink sink;
	struct dlp_buf text; /* "[scope where]\n" + text for every call */
	struct dlp_buf log;  /* unscanned / object lines */
	struct dlp_budget budget;
	struct dlp_limits limits;
	struct dlp_xctx x;
	struct dlp_mem libc;
	bool follow; /* dispatch objects by magic */
};

static enum dlp_status du_dispatch(struct du_sink *d, const char *where,
    const uint8_t *p, size_t len, unsigned depth);
static du_fn du_by_magic(const uint8_t *p, size_t len);

static enum dlp_status
du_text(void *ctx, unsigned scope, const char *where, const char *header,
    const char *text, size_t len)
{
	struct du_sink *d = ctx;

	(void)header;
	dlp_buf_printf(&d->text, "[%u %s]\n", scope, where);
	dlp_buf_append(&d->text, text, len);
	dlp_buf_putc(&d->text, '\n');
	return DLP_OK;
}

static enum dlp_status
du_unscanned(void *ctx, const char *where, const char *why, const char *detail)
{
	struct du_sink *d = ctx;

	dlp_buf_printf(
	    &d->log, "unscanned %s %s %s\n", where, why, detail ? detail : "");
	return DLP_OK;
}

static enum dlp_status
du_finding(void *ctx, const char *where, const char *rule, unsigned level,
    const char *detail)
{
	struct du_sink *d = ctx;

	dlp_buf_printf(&d->log, "finding %s %s %u %s\n", where, rule, level,
	    detail ? detail : "");
	return DLP_OK;
}

static enum dlp_status
du_object(void *ctx, const char *where, const char *name, const char *type,
    const uint8_t *data, size_t len, unsigned depth)
{
	struct du_sink *d = ctx;

	dlp_buf_printf(&d->log, "object %s %s %s %zu %u\n", where,
	    name ? name : "-", type ? type : "-", len, depth);
	if (!d->follow || depth >= 6)
		return DLP_OK;
	if (du_by_magic(data, len) == NULL) /* text, HTML, a message ... */
		return dlp_extract_object(
		    &d->x, where, name, type, data, len, depth);
	return du_dispatch(d, where, data, len, depth);
}

static DU_UNUSED void
du_init(struct du_sink *d, const struct dlp_mem *mem)
{
	memset(d, 0, sizeof(*d));
	dlp_mem_init_default(&d->libc);
	dlp_buf_init(&d->text, &d->libc);
	dlp_buf_init(&d->log, &d->libc);
	dlp_limits_default(&d->limits);
	d->budget.expanded_left = d->limits.max_expanded_bytes;
	d->budget.entries_left = d->limits.max_entries;
	d->budget.parts_left = d->limits.max_parts;
	d->budget.limits = &d->limits;
	d->sink.ctx = d;
	d->sink.text = du_text;
	d->sink.unscanned = du_unscanned;
	d->sink.finding = du_finding;
	d->sink.object = du_object;
	d->sink.budget = &d->budget;
	d->x.mem = mem;
	d->x.lim = &d->limits;
	d->x.sink = &d->sink;
	dlp_charset_new(mem, &d->x.cs);
}

static DU_UNUSED void
du_fini(struct du_sink *d)
{
	dlp_charset_free(d->x.cs);
	dlp_sniffer_free(d->x.sniff);
	dlp_buf_fini(&d->text);
	dlp_buf_fini(&d->log);
}

static DU_UNUSED bool
du_has(const struct du_sink *d, const char *needle)
{
	return (d->text.p != NULL &&
	           strstr((const char *)d->text.p, needle) != NULL) ||
	       (d->log.p != NULL &&
	           strstr((const char *)d->log.p, needle) != NULL);
}

static DU_UNUSED du_fn
du_by_magic(const uint8_t *p, size_t len)
{
	if (len >= 4 && memcmp(p, "PK\003\004", 4) == 0) {
		/* ODF packages name their type in the first entry */
		if (len > 60 && memcmp(p + 30, "mimetype", 8) == 0)
			return dlp_extract_odf;
		return dlp_extract_ooxml;
	}
	if (len >= 8 && memcmp(p, "\320\317\021\340\241\261\032\341", 8) == 0)
		return dlp_extract_ole;
	if (len >= 5 && memcmp(p, "{\\rtf", 5) == 0)
		return dlp_extract_rtf;
	if (len >= 5 && memmem(p, len < 1024 ? len : 1024, "%PDF", 4) != NULL)
		return dlp_extract_pdf;
	return NULL;
}

static enum dlp_status
du_dispatch(struct du_sink *d, const char *where, const uint8_t *p, size_t len,
    unsigned depth)
{
	du_fn fn = du_by_magic(p, len);

	return fn != NULL ? fn(&d->x, where, p, len, depth) : DLP_OK;
}

/* --- the Tika corpus check --- */

/* Collapse white space runs to one space (in place); returns length. */
static DU_UNUSED size_t
du_squash(char *s, size_t len)
{
	size_t i, o = 0;
	bool sp = false;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		    c == '\f' || c == '\v') {
			sp = o > 0;
			continue;
		}
		if (c == 0xc2 && i + 1 < len &&
		    (unsigned char)s[i + 1] == 0xa0) { /* NBSP */
			i++;
			sp = o > 0;
			continue;
		}
		if (sp)
			s[o++] = ' ';
		sp = false;
		s[o++] = (char)c;
	}
	s[o] = '\0';
	return o;
}

static DU_UNUSED void
du_unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (*s == '\\' && s[1] != '\0') {
			s++;
			*o++ = *s == 't'   ? '\t'
			       : *s == 'n' ? '\n'
			       : *s == 'r' ? '\r'
			                   : *s;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

static DU_UNUSED const char *
du_ext(const char *path)
{
	const char *dot = strrchr(path, '.'), *sl = strrchr(path, '/');

	return (dot != NULL && (sl == NULL || dot > sl)) ? dot + 1 : "";
}

/*
 * Tika asserts on its XHTML output, so an expected substring may carry
 * XML's escapes ("-&gt;"): decode them into out (size >= strlen(s) + 1).
 */
static DU_UNUSED void
du_xml_unescape(const char *s, char *out)
{
	static const struct {
		const char *ref;
		char c;
	} refs[] = {{"&gt;", '>'}, {"&lt;", '<'}, {"&quot;", '"'},
	    {"&apos;", '\''}, {"&amp;", '&'}};
	size_t k;

	while (*s != '\0') {
		for (k = 0; k < DLP_NITEMS(refs); k++)
			if (strncmp(s, refs[k].ref, strlen(refs[k].ref)) == 0)
				break;
		if (k < DLP_NITEMS(refs)) {
			*out++ = refs[k].c;
			s += strlen(refs[k].ref);
		} else {
			*out++ = *s++;
		}
	}
	*out = '\0';
}

/* Is "path\tsubstring\t" listed in the misses file? */
static DU_UNUSED bool
du_listed(const char *misses, const char *path, const char *sub)
{
	const char *p = misses;
	size_t pl = strlen(path), sl = strlen(sub);

	while (p != NULL && (p = strstr(p, path)) != NULL) {
		if ((p == misses || p[-1] == '\n') && p[pl] == '\t' &&
		    strncmp(p + pl + 1, sub, sl) == 0 && p[pl + 1 + sl] == '\t')
			return true;
		p += pl;
	}
	return false;
}

/*
 * Rows of the misses file for these extensions that were not missed (the
 * extractor now finds them, or no such expected row exists): each is
 * printed and counted, so the list stays true. used holds "path\tsub\t\n"
 * for every listed miss seen.
 */
static DU_UNUSED int
du_stale(const char *misses, const char *const *exts, struct dlp_buf *used)
{
	const char *p = misses, *nl, *t1, *t2;
	char row[8192], path[4096];
	int stale = 0, ek;

	for (; p != NULL && *p != '\0'; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		if (*p == '#' || *p == '\n')
			continue;
		if ((t1 = strchr(p, '\t')) == NULL || (nl && t1 > nl) ||
		    (t2 = strchr(t1 + 1, '\t')) == NULL || (nl && t2 > nl) ||
		    (size_t)(t1 - p) >= sizeof(path) ||
		    (size_t)(t2 - p) + 3 >= sizeof(row))
			continue;
		memcpy(path, p, (size_t)(t1 - p));
		path[t1 - p] = '\0';
		for (ek = 0; exts[ek] != NULL && strcmp(exts[ek], du_ext(path));
		     ek++)
			;
		if (exts[ek] == NULL)
			continue;
		memcpy(row, p, (size_t)(t2 - p) + 1);
		row[t2 - p + 1] = '\n';
		row[t2 - p + 2] = '\0';
		if (used->p == NULL ||
		    strstr((const char *)used->p, row) == NULL) {
			stale++;
			printf(
			    "  stale row in extract_misses.txt (found now, or "
			    "not expected): %.*s\n",
			    (int)(t2 - p), p);
		}
	}
	return stale;
}

/*
 * Run fn on every Tika file with extension in exts (NULL-terminated) and
 * check its expected substrings. Prints found/total per extension and
 * every miss; returns the number of misses not listed in
 * tests/data/extract_misses.txt. *total gets the rows checked.
 */
static DU_UNUSED int
du_corpus(const char *const *exts, du_fn fn, int *total)
{
	char path[4096], *line = NULL, *tab, *misses;
	const char *corpus = test_corpus_dir(), *e;
	size_t cap = 0, mlen, flen;
	unsigned char *file;
	int found[16] = {0}, all[16] = {0}, unlisted = 0, k, ek;
	char last[4096] = "", *plain = NULL;
	struct du_sink d;
	FILE *f;
	char *hay = NULL;
	struct dlp_buf usedbuf, *used = &usedbuf;

	*total = 0;
	snprintf(path, sizeof(path), "%s/expected/tika-substrings.tsv", corpus);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	snprintf(path, sizeof(path), "%s/tests/data/extract_misses.txt",
	    test_source_dir());
	misses = (char *)test_read_file(path, &mlen);
	du_init(&d, &d.libc);
	d.x.mem = &d.libc;
	d.follow = true;
	dlp_buf_init(used, &d.libc);
	while (getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\n")] = '\0';
		if ((tab = strchr(line, '\t')) == NULL)
			continue;
		*tab++ = '\0';
		e = du_ext(line);
		for (ek = 0; exts[ek] != NULL && strcmp(exts[ek], e) != 0; ek++)
			;
		if (exts[ek] == NULL)
			continue;
		if (strcmp(last, line) != 0) {
			snprintf(last, sizeof(last), "%s", line);
			dlp_buf_reset(&d.text);
			dlp_buf_reset(&d.log);
			d.budget.expanded_left = d.limits.max_expanded_bytes;
			snprintf(path, sizeof(path), "%s/%s", corpus, line);
			free(hay);
			hay = NULL;
			if ((file = test_read_file(path, &flen)) != NULL) {
				fn(&d.x, "attachment", file, flen, 1);
				free(file);
			}
			/* text, and the names of embedded objects */
			dlp_buf_append(&d.text, d.log.p, d.log.len);
			if (d.text.p != NULL) {
				hay = strdup((const char *)d.text.p);
				du_squash(hay, strlen(hay));
			}
		}
		du_unescape(tab);
		du_squash(tab, strlen(tab));
		all[ek]++;
		(*total)++;
		free(plain);
		if ((plain = malloc(strlen(tab) + 1)) != NULL)
			du_xml_unescape(tab, plain);
		if (hay != NULL && (strstr(hay, tab) != NULL ||
		                       (plain != NULL && strstr(hay, plain)))) {
			found[ek]++;
			continue;
		}
		if (!du_listed(misses ? misses : "", line, tab)) {
			unlisted++;
			printf("  unlisted miss: %s\t%s\n", line, tab);
		} else if (used != NULL && dlp_buf_printf(used, "%s\t%s\t\n",
		                               line, tab) == false) {
			unlisted++;
		}
	}
	unlisted += du_stale(misses, exts, used);
	for (k = 0; exts[k] != NULL; k++)
		printf("  %s: %d/%d expected substrings found\n", exts[k],
		    found[k], all[k]);
	free(hay);
	free(plain);
	free(line);
	free(misses);
	fclose(f);
	dlp_buf_fini(used);
	du_fini(&d);
	return unlisted;
}

/*
 * The OOM sweep of every extractor test: the n-th allocation fails, for
 * n = 1, 2, ... until fn runs through; each run returns DLP_OK or
 * DLP_ERR_NOMEM and leaks nothing. Returns the n that ran through (max
 * when none below it did).
 */
static DU_UNUSED unsigned long
du_oom_sweep(du_fn fn, const uint8_t *p, size_t len, unsigned long max)
{
	struct du_sink d;
	enum dlp_status st;
	unsigned long n;

	for (n = 1; n < max; n++) {
		du_init(&d, &test_mem);
		test_fail_after(n);
		st = fn(&d.x, "a", p, len, 1);
		test_fail_after(0);
		CHECK(st == DLP_OK || st == DLP_ERR_NOMEM);
		du_fini(&d);
		CHECK_INT(test_live(), 0);
		if (st == DLP_OK)
			break;
	}
	return n;
}

/* --- every corpus file of the extractor's type: no crash, no error --- */

#include <ftw.h>

static du_fn du_walk_fn;
static int du_walk_files, du_walk_errors;

static int
du_walk_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	struct du_sink d;
	unsigned char *p;
	size_t len;
	enum dlp_status st;

	(void)sb;
	(void)ftw;
	if (type != FTW_F || (p = test_read_file(path, &len)) == NULL)
		return 0;
	if (du_by_magic(p, len) == du_walk_fn) {
		du_init(&d, &test_mem);
		d.follow = true;
		st = du_walk_fn(&d.x, "attachment", p, len, 1);
		du_walk_files++;
		if (st != DLP_OK) {
			du_walk_errors++;
			printf("  %s: status %d\n", path, (int)st);
		}
		du_fini(&d);
	}
	free(p);
	return 0;
}

/* Run fn on every corpus file whose magic selects it; returns errors. */
static DU_UNUSED int
du_corpus_all(du_fn fn, int *files)
{
	du_walk_fn = fn;
	du_walk_files = du_walk_errors = 0;
	nftw(test_corpus_dir(), du_walk_one, 16, FTW_PHYS);
	*files = du_walk_files;
	printf("  %d corpus files read\n", du_walk_files);
	return du_walk_errors;
}

/*
 * The two corpus tests every extractor's test file has: PREFIX_corpus
 * checks Tika's expected substrings for the extensions given (a
 * NULL-terminated list in braces), PREFIX_corpus_no_crash runs FN on
 * every corpus file its magic selects. Both skip without the corpus.
 */
#define DU_CORPUS_TESTS(prefix, fn, ...)                                       \
	TEST(prefix##_corpus)                                                  \
	{                                                                      \
		static const char *const exts[] = __VA_ARGS__;                 \
		int total, unlisted;                                           \
                                                                               \
		if (test_corpus_dir() == NULL)                                 \
			TEST_SKIP("corpus absent");                            \
		unlisted = du_corpus(exts, fn, &total);                        \
		CHECK(total > 0);                                              \
		CHECK_INT(unlisted, 0);                                        \
	}                                                                      \
	TEST(prefix##_corpus_no_crash)                                         \
	{                                                                      \
		int files;                                                     \
                                                                               \
		if (test_corpus_dir() == NULL)                                 \
			TEST_SKIP("corpus absent");                            \
		CHECK_INT(du_corpus_all(fn, &files), 0);                       \
		CHECK(files > 0);                                              \
		CHECK_INT(test_live(), 0);                                     \
	}

#endif /* DLP_DOC_UTIL_H */
