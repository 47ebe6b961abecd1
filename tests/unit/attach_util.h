/*
 * attach_util.h - shared by the attachment tests (sniff, extract,
 * archive): archives generated in memory with libarchive's writer, and a
 * recording sink whose object callback sends nested objects back to
 * dlp_extract_object() as the engine does.
 */
#ifndef DLP_ATTACH_UTIL_H
#define DLP_ATTACH_UTIL_H

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>

#include "charset.h"
#include "extract.h"
#include "sniff.h"
#include "test.h"

#define UNUSED __attribute__((unused))

/* --- archives written into memory --- */

struct mbuf {
	unsigned char *p;
	size_t len, cap;
};

static UNUSED la_ssize_t
mbuf_write(struct archive *a, void *ctx, const void *buf, size_t n)
{
	struct mbuf *m = ctx;

	(void)a;
	if (m->len + n > m->cap) {
		size_t cap = m->cap ? m->cap : 65536;
		unsigned char *np;

		while (cap < m->len + n)
			cap *= 2;
		if ((np = realloc(m->p, cap)) == NULL)
			return -1;
		m->p = np;
		m->cap = cap;
	}
	memcpy(m->p + m->len, buf, n);
	m->len += n;
	return (la_ssize_t)n;
}

struct fentry {
	const char *name;
	const void *data; /* NULL: zeros; FILL_A: the letter A */
	size_t len;
};

typedef int (*arc_setter)(struct archive *);

static const char fill_a[] = "A";
#define FILL_A ((const void *)fill_a)

/*
 * Write entries into a new archive of format fmt with filter flt (may be
 * NULL) and options opt (may be NULL). Returns the bytes (free()) or NULL.
 */
static UNUSED unsigned char *
make_archive(arc_setter fmt, arc_setter flt, const char *opt,
    const struct fentry *ents, size_t n, size_t *outlen)
{
	struct archive *a = archive_write_new();
	struct mbuf m = {0};
	static const char zeros[65536];
	static char as[65536];
	int ok = 1;

	memset(as, 'A', sizeof(as));

	if (a == NULL)
		return NULL;
	ok = fmt(a) == ARCHIVE_OK && (flt == NULL || flt(a) == ARCHIVE_OK) &&
	     archive_write_set_bytes_per_block(a, 0) == ARCHIVE_OK;
	if (ok && opt != NULL) {
		ok = archive_write_set_options(a, opt) == ARCHIVE_OK;
		if (ok && strstr(opt, "encryption") != NULL)
			ok = archive_write_set_passphrase(a, "secret") ==
			     ARCHIVE_OK;
	}
	ok = ok &&
	     archive_write_open(a, &m, NULL, mbuf_write, NULL) == ARCHIVE_OK;
	for (size_t i = 0; ok && i < n; i++) {
		struct archive_entry *e = archive_entry_new();

		archive_entry_set_pathname(e, ents[i].name);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)ents[i].len);
		archive_entry_set_mtime(e, 1700000000, 0);
		ok = archive_write_header(a, e) == ARCHIVE_OK;
		if (ents[i].data != NULL && ents[i].data != FILL_A) {
			ok = ok && archive_write_data(a, ents[i].data,
			               ents[i].len) == (la_ssize_t)ents[i].len;
		} else {
			for (size_t w = 0; ok && w < ents[i].len;) {
				size_t k = ents[i].len - w;

				if (k > sizeof(zeros))
					k = sizeof(zeros);
				ok = archive_write_data(a,
				         ents[i].data ? as : zeros,
				         k) == (la_ssize_t)k;
				w += k;
			}
		}
		archive_entry_free(e);
	}
	if (archive_write_close(a) != ARCHIVE_OK)
		ok = 0;
	archive_write_free(a);
	if (!ok) {
		free(m.p);
		return NULL;
	}
	*outlen = m.len;
	return m.p;
}

static UNUSED unsigned char *
make_zip1(const char *name, const void *data, size_t len, size_t *outlen)
{
	struct fentry e = {name, data, len};

	return make_archive(
	    archive_write_set_format_zip, NULL, NULL, &e, 1, outlen);
}

/* --- the recursing sink --- */

struct rsink {
	struct test_sink t;
	struct dlp_sink sink; /* t's callbacks, with object recursing */
	struct dlp_xctx x;
	const unsigned char *self; /* when set: every "self.zip" is this */
	size_t selflen;
	size_t nobjects;
};

static UNUSED enum dlp_status
rsink_object(void *ctx, const char *where, const char *name, const char *type,
    const uint8_t *data, size_t len, unsigned depth)
{
	struct rsink *r = ctx;
	enum dlp_status st;

	r->nobjects++;
	st = r->t.sink.object(&r->t, where, name, type, data, len, depth);
	if (st != DLP_OK)
		return st;
	if (r->self != NULL && name != NULL && strcmp(name, "self.zip") == 0) {
		data = r->self;
		len = r->selflen;
	}
	return dlp_extract_object(&r->x, where, name, type, data, len, depth);
}

static UNUSED enum dlp_status
rs_text(
    void *c, unsigned s, const char *w, const char *h, const char *t, size_t n)
{
	struct rsink *r = c;

	return r->t.sink.text(&r->t, s, w, h, t, n);
}

static UNUSED enum dlp_status
rs_unscanned(void *c, const char *w, const char *why, const char *d)
{
	struct rsink *r = c;

	return r->t.sink.unscanned(&r->t, w, why, d);
}

static UNUSED enum dlp_status
rs_finding(void *c, const char *w, const char *rule, unsigned l, const char *d)
{
	struct rsink *r = c;

	return r->t.sink.finding(&r->t, w, rule, l, d);
}

/* mem: the allocator for the extraction (test_mem for OOM tests). */
static UNUSED void
rsink_init(struct rsink *r, const struct dlp_mem *mem)
{
	memset(r, 0, sizeof(*r));
	test_sink_init(&r->t);
	r->sink = r->t.sink;
	r->sink.ctx = r;
	r->sink.text = rs_text;
	r->sink.unscanned = rs_unscanned;
	r->sink.finding = rs_finding;
	r->sink.object = rsink_object;
	r->sink.budget = &r->t.budget;
	r->x.mem = mem;
	r->x.lim = &r->t.limits;
	r->x.sink = &r->sink;
	if (dlp_charset_new(mem, &r->x.cs) != DLP_OK)
		r->x.cs = NULL;
}

/* After changing r->t.limits: refill the budget from them. */
static UNUSED void
rsink_rebudget(struct rsink *r)
{
	r->t.budget.expanded_left = r->t.limits.max_expanded_bytes;
	r->t.budget.entries_left = r->t.limits.max_entries;
}

static UNUSED void
rsink_fini(struct rsink *r)
{
	dlp_sniffer_free(r->x.sniff);
	dlp_charset_free(r->x.cs);
	test_sink_fini(&r->t);
}

static UNUSED const char *
rsink_log(const struct rsink *r)
{
	return r->t.log.p ? (const char *)r->t.log.p : "";
}

/* Number of log lines containing needle. */
static UNUSED size_t
rsink_count(const struct rsink *r, const char *needle)
{
	size_t n = 0;
	const char *p = rsink_log(r);

	while ((p = strstr(p, needle)) != NULL) {
		n++;
		p += strlen(needle);
	}
	return n;
}

/* Call fn on every file in dir whose name ends in suffix; the count. */
static UNUSED size_t
each_file(const char *dir, const char *suffix,
    void (*fn)(const char *path, void *ctx), void *ctx)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[4096];
	size_t n = 0, k = strlen(suffix);

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);

		if (l <= k || strcmp(de->d_name + l - k, suffix) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		fn(path, ctx);
		n++;
	}
	closedir(d);
	return n;
}

#endif /* DLP_ATTACH_UTIL_H */
