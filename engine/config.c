/*
 * config.c - the configuration builder and the configuration file.
 *
 * Trust: configuration files are written by administrators but are still
 * parsed strictly: an unknown key, a bad number or an over-long line is an
 * error naming the file and line, never silently ignored.
 * Limits: lines up to 4096 bytes; numbers must fit a size_t.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

void
dlp_limits_default(struct dlp_limits *lim)
{
	if (lim == NULL)
		return;
	lim->max_message_bytes = (size_t)64 << 20;
	lim->max_header_bytes = (size_t)1 << 20;
	lim->max_parts = 10000;
	lim->max_depth = 32;
	lim->max_expanded_bytes = (size_t)512 << 20;
	lim->max_entry_bytes = (size_t)128 << 20;
	lim->max_entries = 10000;
	lim->max_ratio = 200;
	lim->max_findings = 1000;
	lim->max_scan_ms = 30000;
}

enum dlp_status
dlp_config_new_with_allocator(
    const struct dlp_allocator *alloc, struct dlp_config **out)
{
	struct dlp_mem mem;
	struct dlp_config *cfg;

	if (out == NULL)
		return DLP_ERR_INVAL;
	*out = NULL;
	if (alloc != NULL) {
		if (alloc->malloc_fn == NULL || alloc->realloc_fn == NULL ||
		    alloc->free_fn == NULL)
			return DLP_ERR_INVAL;
		mem.a = *alloc;
	} else
		dlp_mem_init_default(&mem);
	if ((cfg = dlp_calloc(&mem, 1, sizeof(*cfg))) == NULL)
		return DLP_ERR_NOMEM;
	cfg->mem = mem;
	dlp_limits_default(&cfg->limits);
	*out = cfg;
	return DLP_OK;
}

enum dlp_status
dlp_config_new(struct dlp_config **out)
{
	return dlp_config_new_with_allocator(NULL, out);
}

static void
list_free(const struct dlp_mem *mem, struct dlp_strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		dlp_free(mem, l->v[i]);
	dlp_free(mem, l->v);
	l->v = NULL;
	l->n = 0;
}

void
dlp_config_free(struct dlp_config *cfg)
{
	struct dlp_mem mem;

	if (cfg == NULL)
		return;
	mem = cfg->mem;
	dlp_free(&mem, cfg->data_dir);
	dlp_free(&mem, cfg->policy);
	dlp_free(&mem, cfg->cache_dir);
	list_free(&mem, &cfg->signatures);
	list_free(&mem, &cfg->keywords);
	list_free(&mem, &cfg->internal);
	list_free(&mem, &cfg->trusted);
	dlp_free(&mem, cfg);
}

enum dlp_status
dlp_strlist_add(const struct dlp_mem *mem, struct dlp_strlist *l, const char *s)
{
	char **nv, *d;
	size_t sz;

	if (!dlp_add_ok(l->n, 1, &sz) || !dlp_mul_ok(sz, sizeof(*nv), &sz))
		return DLP_ERR_NOMEM;
	if ((d = dlp_strdup(mem, s)) == NULL)
		return DLP_ERR_NOMEM;
	if ((nv = dlp_realloc(mem, l->v, sz)) == NULL) {
		dlp_free(mem, d);
		return DLP_ERR_NOMEM;
	}
	nv[l->n++] = d;
	l->v = nv;
	return DLP_OK;
}

static enum dlp_status
set_str(struct dlp_config *cfg, char **slot, const char *s)
{
	char *d;

	if (cfg == NULL || s == NULL || *s == '\0')
		return DLP_ERR_INVAL;
	if ((d = dlp_strdup(&cfg->mem, s)) == NULL)
		return DLP_ERR_NOMEM;
	dlp_free(&cfg->mem, *slot);
	*slot = d;
	return DLP_OK;
}

static enum dlp_status
add_str(struct dlp_config *cfg, struct dlp_strlist *l, const char *s)
{
	if (cfg == NULL || s == NULL || *s == '\0')
		return DLP_ERR_INVAL;
	return dlp_strlist_add(&cfg->mem, l, s);
}

enum dlp_status
dlp_config_set_data_dir(struct dlp_config *cfg, const char *dir)
{
	return cfg ? set_str(cfg, &cfg->data_dir, dir) : DLP_ERR_INVAL;
}

enum dlp_status
dlp_config_set_policy(struct dlp_config *cfg, const char *path)
{
	return cfg ? set_str(cfg, &cfg->policy, path) : DLP_ERR_INVAL;
}

enum dlp_status
dlp_config_set_cache_dir(struct dlp_config *cfg, const char *dir)
{
	return cfg ? set_str(cfg, &cfg->cache_dir, dir) : DLP_ERR_INVAL;
}

enum dlp_status
dlp_config_clear_signatures(struct dlp_config *cfg)
{
	if (cfg == NULL)
		return DLP_ERR_INVAL;
	list_free(&cfg->mem, &cfg->signatures);
	cfg->no_default_signatures = true;
	return DLP_OK;
}

enum dlp_status
dlp_config_add_signatures(struct dlp_config *cfg, const char *path)
{
	return cfg ? add_str(cfg, &cfg->signatures, path) : DLP_ERR_INVAL;
}

enum dlp_status
dlp_config_add_keywords(struct dlp_config *cfg, const char *path)
{
	return cfg ? add_str(cfg, &cfg->keywords, path) : DLP_ERR_INVAL;
}

enum dlp_status
dlp_config_add_internal_domain(struct dlp_config *cfg, const char *domain)
{
	return cfg ? add_str(cfg, &cfg->internal, domain) : DLP_ERR_INVAL;
}

enum dlp_status
dlp_config_add_trusted_domain(struct dlp_config *cfg, const char *domain)
{
	return cfg ? add_str(cfg, &cfg->trusted, domain) : DLP_ERR_INVAL;
}

enum dlp_status
dlp_config_set_limits(struct dlp_config *cfg, const struct dlp_limits *lim)
{
	if (cfg == NULL || lim == NULL)
		return DLP_ERR_INVAL;
	cfg->limits = *lim;
	return DLP_OK;
}

/* The configuration file's keys. Limits are listed in one table. */
static const struct {
	const char *key;
	size_t off;
} limit_keys[] = {
    {"max_message_bytes", offsetof(struct dlp_limits, max_message_bytes)},
    {"max_header_bytes", offsetof(struct dlp_limits, max_header_bytes)},
    {"max_parts", offsetof(struct dlp_limits, max_parts)},
    {"max_depth", offsetof(struct dlp_limits, max_depth)},
    {"max_expanded_bytes", offsetof(struct dlp_limits, max_expanded_bytes)},
    {"max_entry_bytes", offsetof(struct dlp_limits, max_entry_bytes)},
    {"max_entries", offsetof(struct dlp_limits, max_entries)},
    {"max_ratio", offsetof(struct dlp_limits, max_ratio)},
    {"max_findings", offsetof(struct dlp_limits, max_findings)},
    {"max_scan_ms", offsetof(struct dlp_limits, max_scan_ms)},
};

/* Parse a size with an optional K/M/G suffix (powers of 1024). */
static bool
parse_size(const char *s, size_t *out)
{
	unsigned long long v, mul = 1;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return false;
	switch (*end) {
	case 'k':
	case 'K':
		mul = 1024ull, end++;
		break;
	case 'm':
	case 'M':
		mul = 1024ull * 1024, end++;
		break;
	case 'g':
	case 'G':
		mul = 1024ull * 1024 * 1024, end++;
		break;
	}
	if (*end != '\0' || v > SIZE_MAX / mul)
		return false;
	*out = (size_t)(v * mul);
	return true;
}

/* Resolve a path from a config file relative to that file's directory. */
static char *
resolve(const struct dlp_mem *mem, const char *cfgpath, const char *p)
{
	const char *slash = strrchr(cfgpath, '/');
	struct dlp_buf b;

	if (p[0] == '/' || slash == NULL)
		return dlp_strdup(mem, p);
	dlp_buf_init(&b, mem);
	if (!dlp_buf_append(&b, cfgpath, (size_t)(slash - cfgpath + 1)) ||
	    !dlp_buf_puts(&b, p)) {
		dlp_buf_fini(&b);
		return NULL;
	}
	return dlp_buf_take(&b, NULL);
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
	                    e[-1] == '\n'))
		*--e = '\0';
	return s;
}

static enum dlp_status
apply(struct dlp_config *cfg, const char *path, unsigned lineno,
    const char *key, const char *val, struct dlp_error *err)
{
	enum dlp_status st = DLP_OK;
	char *full = NULL;

	for (size_t i = 0; i < DLP_NITEMS(limit_keys); i++) {
		if (strcmp(key, limit_keys[i].key) == 0) {
			size_t v;

			if (!parse_size(val, &v))
				return dlp_error_set(err, DLP_ERR_CONFIG, path,
				    lineno, 0, "%s: not a size: \"%s\"", key,
				    val);
			memcpy((char *)&cfg->limits + limit_keys[i].off, &v,
			    sizeof(v));
			return DLP_OK;
		}
	}
	if (strcmp(key, "internal_domain") == 0)
		return dlp_config_add_internal_domain(cfg, val);
	if (strcmp(key, "trusted_domain") == 0)
		return dlp_config_add_trusted_domain(cfg, val);
	if (strcmp(key, "data_dir") != 0 && strcmp(key, "signatures") != 0 &&
	    strcmp(key, "keywords") != 0 && strcmp(key, "policy") != 0 &&
	    strcmp(key, "cache_dir") != 0)
		return dlp_error_set(err, DLP_ERR_CONFIG, path, lineno, 0,
		    "unknown key \"%s\"", key);
	if ((full = resolve(&cfg->mem, path, val)) == NULL)
		return DLP_ERR_NOMEM;
	if (strcmp(key, "data_dir") == 0)
		st = dlp_config_set_data_dir(cfg, full);
	else if (strcmp(key, "signatures") == 0)
		st = dlp_config_add_signatures(cfg, full);
	else if (strcmp(key, "keywords") == 0)
		st = dlp_config_add_keywords(cfg, full);
	else if (strcmp(key, "cache_dir") == 0)
		st = dlp_config_set_cache_dir(cfg, full);
	else
		st = dlp_config_set_policy(cfg, full);
	dlp_free(&cfg->mem, full);
	return st;
}

enum dlp_status
dlp_config_load(struct dlp_config *cfg, const char *path, struct dlp_error *err)
{
	FILE *f;
	char line[4096];
	unsigned lineno = 0;
	enum dlp_status st = DLP_OK;

	if (cfg == NULL || path == NULL)
		return dlp_error_set(
		    err, DLP_ERR_INVAL, "", 0, 0, "no config or path");
	if ((f = fopen(path, "r")) == NULL)
		return dlp_error_set(
		    err, DLP_ERR_IO, path, 0, 0, "%s", strerror(errno));
	while (fgets(line, sizeof(line), f) != NULL) {
		char *s, *eq, *key, *val;

		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			st = dlp_error_set(err, DLP_ERR_CONFIG, path, lineno, 0,
			    "line too long");
			break;
		}
		s = trim(line);
		if (*s == '\0' || *s == '#')
			continue;
		if ((eq = strchr(s, '=')) == NULL) {
			st = dlp_error_set(err, DLP_ERR_CONFIG, path, lineno, 1,
			    "expected \"key = value\"");
			break;
		}
		*eq = '\0';
		key = trim(s);
		val = trim(eq + 1);
		if (*val == '\0') {
			st = dlp_error_set(err, DLP_ERR_CONFIG, path, lineno,
			    (unsigned)(val - line) + 1, "empty value for %s",
			    key);
			break;
		}
		if ((st = apply(cfg, path, lineno, key, val, err)) != DLP_OK) {
			if (st == DLP_ERR_NOMEM)
				dlp_error_set(
				    err, st, path, lineno, 0, "out of memory");
			break;
		}
	}
	if (st == DLP_OK && ferror(f))
		st = dlp_error_set(
		    err, DLP_ERR_IO, path, lineno, 0, "read error");
	fclose(f);
	return st;
}

enum dlp_status
dlp_limits_check(const struct dlp_limits *lim, struct dlp_error *err)
{
	for (size_t i = 0; i < DLP_NITEMS(limit_keys); i++) {
		size_t v;

		memcpy(&v, (const char *)lim + limit_keys[i].off, sizeof(v));
		if (v == 0)
			return dlp_error_set(err, DLP_ERR_CONFIG, "", 0, 0,
			    "limit %s must not be 0", limit_keys[i].key);
	}
	if (lim->max_message_bytes >= ((size_t)1 << 32))
		return dlp_error_set(err, DLP_ERR_CONFIG, "", 0, 0,
		    "max_message_bytes must be below 4 GiB");
	return DLP_OK;
}
