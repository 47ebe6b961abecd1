/*
 * sigload.c - the signature sources on disk: signature files, directories
 * of *.sig (in name order), keyword dictionaries and a data directory's
 * labels.map; the identity hash of the set; the compiled-signature cache.
 *
 * Trust: the files come from analysts; sigdb.c parses them and names
 * file:line:column in every error. Files are read whole (no size limit
 * beyond memory: they are configuration, not mail).
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "labelmap.h"
#include "sigdb.h"

/* Grow an array by one element; returns the new element, zeroed. */
static void *
grow(const struct dlp_mem *mem, void **arr, size_t *n, size_t elem)
{
	size_t sz;
	char *na;

	if (!dlp_add_ok(*n, 1, &sz) || !dlp_mul_ok(sz, elem, &sz))
		return NULL;
	if ((na = dlp_realloc(mem, *arr, sz)) == NULL)
		return NULL;
	*arr = na;
	memset(na + *n * elem, 0, elem);
	return na + (*n)++ * elem;
}

static enum dlp_status
read_file(const struct dlp_mem *mem, const char *path, struct dlp_buf *b,
    struct dlp_error *err)
{
	FILE *f;
	char chunk[65536];
	size_t n;
	enum dlp_status st = DLP_OK;

	if ((f = fopen(path, "rb")) == NULL)
		return dlp_error_set(
		    err, DLP_ERR_IO, path, 0, 0, "%s", strerror(errno));
	(void)mem;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (!dlp_buf_append(b, chunk, n)) {
			st = dlp_error_set(
			    err, DLP_ERR_NOMEM, path, 0, 0, "out of memory");
			break;
		}
	if (st == DLP_OK && ferror(f))
		st = dlp_error_set(err, DLP_ERR_IO, path, 0, 0, "read error");
	fclose(f);
	return st;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* FNV-1a, 64-bit: the signature set's identity, not a security hash. */
static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

enum kind { K_SIG, K_KEYWORDS, K_LABELMAP };

static enum dlp_status
load_file(struct dlp_sigdb *db, const char *path, enum kind kind, uint64_t *h,
    struct dlp_error *err)
{
	struct dlp_buf b;
	enum dlp_status st;

	dlp_buf_init(&b, db->mem);
	if ((st = read_file(db->mem, path, &b, err)) == DLP_OK) {
		*h = fnv(*h, b.p ? (const char *)b.p : "", b.len);
		if (kind == K_KEYWORDS)
			st = dlp_sigdb_parse_keywords(
			    db, path, (const char *)b.p, b.len, err);
		else if (kind == K_LABELMAP)
			st = dlp_labelmap_parse(db->mem, &db->labels, path,
			    b.p ? (const char *)b.p : "", b.len, err);
		else
			st = dlp_sigdb_parse_text(
			    db, path, (const char *)b.p, b.len, err);
	}
	dlp_buf_fini(&b);
	return st;
}

/* A directory's *.sig files, in name order so ids and hashes are stable,
 * then its labels.map if it has one. */
static enum dlp_status
load_dir(
    struct dlp_sigdb *db, const char *dir, uint64_t *h, struct dlp_error *err)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;
	enum dlp_status st = DLP_OK;

	if ((d = opendir(dir)) == NULL)
		return dlp_error_set(
		    err, DLP_ERR_IO, dir, 0, 0, "%s", strerror(errno));
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		char **slot;
		struct dlp_buf pb;

		if (l < 5 || strcmp(de->d_name + l - 4, ".sig") != 0 ||
		    de->d_name[0] == '.')
			continue;
		if ((slot = grow(db->mem, (void **)&names, &n,
		         sizeof(*names))) == NULL) {
			st = DLP_ERR_NOMEM;
			goto out;
		}
		dlp_buf_init(&pb, db->mem);
		if (!dlp_buf_printf(&pb, "%s/%s", dir, de->d_name)) {
			n--;
			st = DLP_ERR_NOMEM;
			goto out;
		}
		*slot = dlp_buf_take(&pb, NULL);
	}
	if (n > 0)
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n && st == DLP_OK; i++)
		st = load_file(db, names[i], K_SIG, h, err);
	if (st == DLP_OK) {
		struct dlp_buf pb;
		struct stat sb;

		dlp_buf_init(&pb, db->mem);
		if (!dlp_buf_printf(&pb, "%s/labels.map", dir))
			st = DLP_ERR_NOMEM;
		else if (stat((const char *)pb.p, &sb) == 0 &&
		         S_ISREG(sb.st_mode))
			st = load_file(
			    db, (const char *)pb.p, K_LABELMAP, h, err);
		dlp_buf_fini(&pb);
	}
out:
	closedir(d);
	for (size_t i = 0; i < n; i++)
		dlp_free(db->mem, names[i]);
	dlp_free(db->mem, names);
	if (st == DLP_ERR_NOMEM)
		dlp_error_set(err, st, dir, 0, 0, "out of memory");
	return st;
}

enum dlp_status
dlp_sigdb_read(const struct dlp_mem *mem, const char *const *sigpaths,
    size_t nsig, const char *const *kwpaths, size_t nkw, struct dlp_sigdb **out,
    struct dlp_error *err)
{
	struct dlp_sigdb *db;
	enum dlp_status st;
	uint64_t h = 0xcbf29ce484222325ull;
	const char *ver = hs_version();

	*out = NULL;
	if ((st = dlp_sigdb_new(mem, &db)) != DLP_OK)
		return dlp_error_set(err, st, "", 0, 0, "out of memory");
	for (size_t i = 0; i < nsig && st == DLP_OK; i++) {
		struct stat sb;

		if (stat(sigpaths[i], &sb) != 0)
			st = dlp_error_set(err, DLP_ERR_IO, sigpaths[i], 0, 0,
			    "%s", strerror(errno));
		else if (S_ISDIR(sb.st_mode))
			st = load_dir(db, sigpaths[i], &h, err);
		else
			st = load_file(db, sigpaths[i], K_SIG, &h, err);
	}
	for (size_t i = 0; i < nkw && st == DLP_OK; i++)
		st = load_file(db, kwpaths[i], K_KEYWORDS, &h, err);
	if (st != DLP_OK) {
		dlp_sigdb_free(db);
		return st;
	}
	h = fnv(h, ver, strlen(ver));
	snprintf(db->id, sizeof(db->id), "%016llx", (unsigned long long)h);
	*out = db;
	return DLP_OK;
}

enum dlp_status
dlp_sigdb_load(const struct dlp_mem *mem, const char *const *sigpaths,
    size_t nsig, const char *const *kwpaths, size_t nkw, const char *cache_dir,
    struct dlp_sigdb **out, struct dlp_error *err)
{
	struct dlp_sigdb *db;
	enum dlp_status st;
	char key[65];
	bool keyed = false;

	*out = NULL;
	if ((st = dlp_sigdb_read(
	         mem, sigpaths, nsig, kwpaths, nkw, &db, err)) != DLP_OK)
		return st;
	if (db->npats > 0 && cache_dir != NULL &&
	    (keyed = dlp_sigcache_key(db, key)))
		db->cached = dlp_sigcache_load(db, cache_dir, key);
	if (!db->cached) {
		st = dlp_sigdb_compile(db, err);
		if (st == DLP_OK && keyed)
			(void)dlp_sigcache_store(db, cache_dir, key);
	}
	if (st != DLP_OK) {
		dlp_sigdb_free(db);
		return st;
	}
	*out = db;
	return DLP_OK;
}
