/*
 * domain.h - recipient-domain risk: is a recipient internal, trusted, a
 * lookalike of either, under a high-risk TLD, unknown or invalid?
 *
 * The table is loaded once into the engine and is immutable afterwards:
 * dlp_domain_classify() only reads it and may be called from any number
 * of threads at once.
 */
#ifndef DLP_DOMAIN_H
#define DLP_DOMAIN_H

#include "internal.h"

struct dlp_domain_db;

/*
 * Load the domain data from dir (the data directory's "domains" folder;
 * NULL = none) plus the extra internal and trusted entries given (e.g.
 * from the command line). Errors name the file and line in *err.
 */
enum dlp_status dlp_domain_load(const struct dlp_mem *mem, const char *dir,
    const char *const *internal, size_t ninternal, const char *const *trusted,
    size_t ntrusted, struct dlp_domain_db **out, struct dlp_error *err);

void dlp_domain_free(struct dlp_domain_db *db);

/* What dlp_domain_classify() found. All strings NUL-terminated. */
struct dlp_domain_result {
	enum dlp_rcpt_class cls;
	unsigned score;    /* 0-100 */
	char address[512]; /* normalised local@domain */
	char domain[256];  /* lower-case U-label form ("" if invalid) */
	char kind[32];     /* "exact", "subdomain", "namespace", "omission" */
	char matched[256]; /* the entry resembled or matched, or "" */
	char suggest[256]; /* the domain probably meant, or "" */
	char country[4];   /* ISO 3166 alpha-3 the domain shows, or "" */
	char explain[512]; /* a sentence a sender understands */
};

/*
 * Classify one address (an addr-spec, optionally in <>, as found in an
 * envelope or header). Never fails on content: a malformed address is
 * DLP_RCPT_INVALID with the reason in explain. Returns DLP_OK, or
 * DLP_ERR_INVAL for NULL arguments.
 */
enum dlp_status dlp_domain_classify(const struct dlp_domain_db *db,
    const char *addr, size_t len, struct dlp_domain_result *out);

#endif /* DLP_DOMAIN_H */
