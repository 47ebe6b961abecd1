/*
 * labelmap.h - the structured-label map: organisation-defined label ids
 * (Microsoft Purview label GUIDs, Boldon James policy and element uids,
 * Titus namespace fields) mapped to a level, read from a data directory's
 * labels.map (labelmap.c). The format is documented in
 * docs/signatures.md; the label validators (validate_labels.c) look
 * entries up through dlp_vin.cfg.
 */
#ifndef DLP_LABELMAP_H
#define DLP_LABELMAP_H

#include "internal.h"

enum dlp_label_scheme {
	DLP_LABEL_MIP = 1, /* site = tenant GUID, id = label GUID */
	DLP_LABEL_BJ,      /* site = policy GUID, id = element uid */
	DLP_LABEL_TITUS,   /* site = namespace, id = Field=Value */
	DLP_LABEL_EXCHANGE /* site = "*", id = message classification GUID */
};

struct dlp_label_entry {
	enum dlp_label_scheme scheme;
	char *site; /* NULL = any ("*") */
	char *id;
	unsigned level;
	char *name;
};

struct dlp_labelmap {
	const struct dlp_mem *mem;
	struct dlp_label_entry *v;
	size_t n;
};

/* Parse labels.map text, adding to *map (created when NULL). Errors name
 * file:line:column. */
enum dlp_status dlp_labelmap_parse(const struct dlp_mem *mem,
    struct dlp_labelmap **map, const char *file, const char *text, size_t len,
    struct dlp_error *err);

/*
 * The entry for (scheme, site, id), or NULL. Comparison ignores ASCII
 * case and braces around GUIDs; an entry with a site wins over one
 * without. site may be NULL or empty (unknown). map may be NULL.
 */
const struct dlp_label_entry *dlp_labelmap_find(const struct dlp_labelmap *map,
    enum dlp_label_scheme scheme, const char *site, size_t sitelen,
    const char *id, size_t idlen);

/* Does the map name sites for this scheme, and is site one of them?
 * *any_site tells the first: when it is set and the result is false, the
 * label comes from a foreign tenant. */
bool dlp_labelmap_knows_site(const struct dlp_labelmap *map,
    enum dlp_label_scheme scheme, const char *site, size_t sitelen,
    bool *any_site);

void dlp_labelmap_free(struct dlp_labelmap *map);

#endif /* DLP_LABELMAP_H */
