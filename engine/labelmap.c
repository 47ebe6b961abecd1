/*
 * labelmap.c - the structured-label map (labels.map, format in
 * docs/signatures.md): organisation-defined label ids mapped to levels,
 * for the label validators (validate_labels.c).
 *
 * Trust:  the file comes from the data directory (an administrator);
 *         every line is still checked and errors name file:line:column.
 * Limits: lookups are linear in the number of entries: maps hold a few
 *         dozen labels, and a lookup runs once per label found.
 */
#include <string.h>

#include "labelmap.h"

static const struct {
	const char *name;
	enum dlp_label_scheme scheme;
} schemes[] = {
    {"mip", DLP_LABEL_MIP},
    {"bj", DLP_LABEL_BJ},
    {"titus", DLP_LABEL_TITUS},
    {"exchange", DLP_LABEL_EXCHANGE},
};

/* Next field of a map line: a run of non-blanks or a "quoted" string. */
static bool
map_field(const char *s, size_t n, size_t *pos, const char **f, size_t *fl)
{
	size_t i = *pos;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i >= n)
		return false;
	if (s[i] == '"') {
		size_t b = ++i;

		while (i < n && s[i] != '"')
			i++;
		if (i >= n)
			return false;
		*f = s + b;
		*fl = i - b;
		*pos = i + 1;
		return true;
	}
	*f = s + i;
	while (i < n && s[i] != ' ' && s[i] != '\t')
		i++;
	*fl = (size_t)(s + i - *f);
	*pos = i;
	return true;
}

/* A GUID or id without its braces. */
static void
strip_braces(const char **s, size_t *n)
{
	if (*n >= 2 && (*s)[0] == '{' && (*s)[*n - 1] == '}') {
		(*s)++;
		*n -= 2;
	}
}

static enum dlp_status
map_line(const struct dlp_mem *mem, struct dlp_labelmap *map, const char *file,
    unsigned line, const char *s, size_t n, struct dlp_error *err)
{
	const char *f[4];
	size_t fl[4], pos = 0, sz;
	struct dlp_label_entry *e, *nv;
	unsigned level = 0;
	enum dlp_label_scheme sch = 0;

	for (size_t k = 0; k < 4; k++)
		if (!map_field(s, n, &pos, &f[k], &fl[k]))
			return dlp_error_set(err, DLP_ERR_CONFIG, file, line, 1,
			    "expected: scheme site id level [name]");
	for (size_t k = 0; k < DLP_NITEMS(schemes); k++)
		if (strlen(schemes[k].name) == fl[0] &&
		    memcmp(schemes[k].name, f[0], fl[0]) == 0)
			sch = schemes[k].scheme;
	if (sch == 0)
		return dlp_error_set(err, DLP_ERR_CONFIG, file, line, 1,
		    "unknown scheme (use mip, bj, titus or exchange)");
	if (fl[3] != 1 || f[3][0] < '0' || f[3][0] > '5')
		return dlp_error_set(err, DLP_ERR_CONFIG, file, line,
		    (unsigned)(f[3] - s) + 1, "level must be 0-5");
	level = (unsigned)(f[3][0] - '0');
	if (fl[2] == 0 || fl[1] == 0)
		return dlp_error_set(
		    err, DLP_ERR_CONFIG, file, line, 1, "empty site or id");
	while (pos < n && (s[pos] == ' ' || s[pos] == '\t'))
		pos++;
	if (!dlp_add_ok(map->n, 1, &sz) || !dlp_mul_ok(sz, sizeof(*e), &sz) ||
	    (nv = dlp_realloc(mem, map->v, sz)) == NULL)
		return DLP_ERR_NOMEM;
	map->v = nv;
	e = &map->v[map->n];
	memset(e, 0, sizeof(*e));
	e->scheme = sch;
	e->level = level;
	strip_braces(&f[1], &fl[1]);
	strip_braces(&f[2], &fl[2]);
	if ((!(fl[1] == 1 && f[1][0] == '*') &&
	        (e->site = dlp_strndup(mem, f[1], fl[1])) == NULL) ||
	    (e->id = dlp_strndup(mem, f[2], fl[2])) == NULL ||
	    (e->name = dlp_strndup(mem, s + pos, n - pos)) == NULL) {
		dlp_free(mem, e->site);
		dlp_free(mem, e->id);
		return DLP_ERR_NOMEM;
	}
	map->n++;
	return DLP_OK;
}

enum dlp_status
dlp_labelmap_parse(const struct dlp_mem *mem, struct dlp_labelmap **mapp,
    const char *file, const char *text, size_t len, struct dlp_error *err)
{
	struct dlp_labelmap *map = *mapp;
	size_t pos = 0;
	unsigned line = 0;
	enum dlp_status st = DLP_OK;

	if (map == NULL) {
		if ((map = dlp_calloc(mem, 1, sizeof(*map))) == NULL)
			return dlp_error_set(
			    err, DLP_ERR_NOMEM, file, 0, 0, "out of memory");
		map->mem = mem;
		*mapp = map;
	}
	while (pos < len && st == DLP_OK) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		const char *s = text + pos;

		line++;
		pos += n + (nl != NULL);
		while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == ' ' ||
		                    s[n - 1] == '\t'))
			n--;
		while (n > 0 && (*s == ' ' || *s == '\t'))
			s++, n--;
		if (n == 0 || *s == '#')
			continue;
		st = map_line(mem, map, file, line, s, n, err);
	}
	if (st == DLP_ERR_NOMEM)
		dlp_error_set(err, st, file, line, 0, "out of memory");
	return st;
}

const struct dlp_label_entry *
dlp_labelmap_find(const struct dlp_labelmap *map, enum dlp_label_scheme scheme,
    const char *site, size_t sitelen, const char *id, size_t idlen)
{
	const struct dlp_label_entry *any = NULL;

	if (map == NULL || id == NULL)
		return NULL;
	strip_braces(&id, &idlen);
	if (site != NULL)
		strip_braces(&site, &sitelen);
	for (size_t i = 0; i < map->n; i++) {
		const struct dlp_label_entry *e = &map->v[i];

		if (e->scheme != scheme || strlen(e->id) != idlen ||
		    !dlp_memcaseeq(e->id, id, idlen))
			continue;
		if (e->site == NULL || site == NULL || sitelen == 0) {
			/* "*", or the site is not known: the GUID alone */
			if (any == NULL || any->site != NULL)
				any = e;
		} else if (site != NULL && strlen(e->site) == sitelen &&
		           dlp_memcaseeq(e->site, site, sitelen))
			return e;
	}
	return any;
}

bool
dlp_labelmap_knows_site(const struct dlp_labelmap *map,
    enum dlp_label_scheme scheme, const char *site, size_t sitelen,
    bool *any_site)
{
	*any_site = false;
	if (map == NULL)
		return false;
	strip_braces(&site, &sitelen);
	for (size_t i = 0; i < map->n; i++) {
		const struct dlp_label_entry *e = &map->v[i];

		if (e->scheme != scheme || e->site == NULL)
			continue;
		*any_site = true;
		if (strlen(e->site) == sitelen &&
		    dlp_memcaseeq(e->site, site, sitelen))
			return true;
	}
	return false;
}

void
dlp_labelmap_free(struct dlp_labelmap *map)
{
	if (map == NULL)
		return;
	for (size_t i = 0; i < map->n; i++) {
		dlp_free(map->mem, map->v[i].site);
		dlp_free(map->mem, map->v[i].id);
		dlp_free(map->mem, map->v[i].name);
	}
	dlp_free(map->mem, map->v);
	dlp_free(map->mem, map);
}
