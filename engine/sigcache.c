/*
 * sigcache.c - the compiled-signature cache: a serialised Hyperscan
 * database stored under a key that names everything the compiled form
 * depends on, so a warm start skips hs_compile_multi.
 *
 * Key: SHA-256 (GLib's GChecksum) over a format tag, hs_version() at run
 * time, the host platform Hyperscan compiles for (tune and CPU features)
 * and every pattern's expression, flags and id, in order.
 * Trust: a cache file is never trusted: its header must carry the same
 * key, and Hyperscan's own version and platform checks run on
 * deserialisation; anything else means "rebuild". Writes go to a
 * temporary file renamed into place, so readers never see half a file.
 * Failure to read or write the cache is not an error: it only costs a
 * compile.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sigdb.h"

#define CACHE_MAGIC "dlpscan-hsdb-1\n"
#define CACHE_MAX   ((size_t)1 << 30)

bool
dlp_sigcache_key(const struct dlp_sigdb *db, char hex[65])
{
	GChecksum *c = g_checksum_new(G_CHECKSUM_SHA256);
	hs_platform_info_t plat;
	const char *ver = hs_version(), *s;
	char num[64];

	if (c == NULL || hs_populate_platform(&plat) != HS_SUCCESS) {
		if (c != NULL)
			g_checksum_free(c);
		return false;
	}
	g_checksum_update(c, (const guchar *)CACHE_MAGIC, strlen(CACHE_MAGIC));
	g_checksum_update(c, (const guchar *)ver, (gssize)strlen(ver) + 1);
	snprintf(num, sizeof(num), "%u/%llu/%zu", plat.tune,
	    (unsigned long long)plat.cpu_features, db->npats);
	g_checksum_update(c, (const guchar *)num, (gssize)strlen(num) + 1);
	for (size_t i = 0; i < db->npats; i++) {
		const struct dlp_pattern *p = &db->pats[i];
		unsigned fl = dlp_sigdb_hsflags(db, i);

		snprintf(num, sizeof(num), "%zu:%u:", i, fl);
		g_checksum_update(c, (const guchar *)num, (gssize)strlen(num));
		g_checksum_update(
		    c, (const guchar *)p->expr, (gssize)strlen(p->expr) + 1);
	}
	s = g_checksum_get_string(c);
	snprintf(hex, 65, "%s", s);
	g_checksum_free(c);
	return strlen(hex) == 64;
}

static void
cache_path(char *out, size_t n, const char *dir, const char *key)
{
	snprintf(out, n, "%s/%s.hsdb", dir, key);
}

bool
dlp_sigcache_load(struct dlp_sigdb *db, const char *dir, const char *key)
{
	char path[4096], head[sizeof(CACHE_MAGIC) + 65];
	size_t hl = strlen(CACHE_MAGIC) + 65, n;
	struct stat st;
	hs_database_t *hdb = NULL;
	char *buf = NULL;
	FILE *f;
	bool ok = false;

	cache_path(path, sizeof(path), dir, key);
	if ((f = fopen(path, "rb")) == NULL)
		return false;
	if (fstat(fileno(f), &st) != 0 || st.st_size <= (off_t)hl ||
	    (size_t)st.st_size > CACHE_MAX)
		goto out;
	n = (size_t)st.st_size - hl;
	if (fread(head, 1, hl, f) != hl ||
	    memcmp(head, CACHE_MAGIC, strlen(CACHE_MAGIC)) != 0 ||
	    memcmp(head + strlen(CACHE_MAGIC), key, 64) != 0 ||
	    head[hl - 1] != '\n')
		goto out;
	if ((buf = dlp_malloc(db->mem, n)) == NULL || fread(buf, 1, n, f) != n)
		goto out;
	if (hs_deserialize_database(buf, n, &hdb) != HS_SUCCESS)
		goto out;
	hs_free_database(db->db);
	db->db = hdb;
	ok = true;
out:
	dlp_free(db->mem, buf);
	fclose(f);
	return ok;
}

bool
dlp_sigcache_store(const struct dlp_sigdb *db, const char *dir, const char *key)
{
	char path[4096], tmp[4200];
	char *bytes = NULL;
	size_t len = 0;
	FILE *f = NULL;
	bool ok = false;
	int fd;

	if (db->db == NULL ||
	    hs_serialize_database(db->db, &bytes, &len) != HS_SUCCESS)
		return false;
	(void)mkdir(dir, 0755);
	cache_path(path, sizeof(path), dir, key);
	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0)
		goto out;
	if ((f = fdopen(fd, "wb")) == NULL) {
		close(fd);
		unlink(tmp);
		goto out;
	}
	if (fputs(CACHE_MAGIC, f) < 0 || fwrite(key, 1, 64, f) != 64 ||
	    fputc('\n', f) == EOF || fwrite(bytes, 1, len, f) != len ||
	    fflush(f) != 0 || fsync(fileno(f)) != 0) {
		fclose(f);
		unlink(tmp);
		goto out;
	}
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		goto out;
	}
	(void)chmod(path, 0644);
	ok = true;
out:
	free(bytes); /* Hyperscan's misc allocator: libc by default */
	return ok;
}
