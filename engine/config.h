/*
 * config.h - the configuration builder's contents, read by engine.c.
 */
#ifndef DLP_CONFIG_H
#define DLP_CONFIG_H

#include "internal.h"

struct dlp_strlist {
	char **v;
	size_t n;
};

struct dlp_config {
	struct dlp_mem mem;
	struct dlp_limits limits;
	char *data_dir;
	char *policy;
	char *cache_dir;
	bool no_default_signatures; /* skip data_dir's *.sig */
	struct dlp_strlist signatures;
	struct dlp_strlist keywords;
	struct dlp_strlist internal;
	struct dlp_strlist trusted;
};

enum dlp_status dlp_strlist_add(
    const struct dlp_mem *mem, struct dlp_strlist *l, const char *s);
/* Check that every limit is set and sane. */
enum dlp_status dlp_limits_check(
    const struct dlp_limits *lim, struct dlp_error *err);

#endif /* DLP_CONFIG_H */
