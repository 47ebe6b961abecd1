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
	/* Added fields. */
	char alabel[256]; /* the A-label form the MTA uses ("" if invalid) */
	char detail[128]; /* what differs: "'i' omitted", "U+0430 ..." */
	unsigned flags;   /* DLP_DOMAIN_F_* */
};

#define DLP_DOMAIN_F_IN_SUFFIX      0x001 /* the edit is in the public suffix */
#define DLP_DOMAIN_F_CLOSED_NS      0x002 /* stays inside a closed namespace */
#define DLP_DOMAIN_F_MIXED_SCRIPT   0x004 /* a label mixes scripts */
#define DLP_DOMAIN_F_NONCANONICAL   0x008 /* UTS #46 removed/mapped chars */
#define DLP_DOMAIN_F_TLD_LISTED     0x010 /* the TLD is on the risk list */
#define DLP_DOMAIN_F_IDN            0x020 /* the domain has non-ASCII labels */
#define DLP_DOMAIN_F_REFERENCE      0x040 /* a reference (freemail) domain */
#define DLP_DOMAIN_F_MIXED_INTERNAL 0x100 /* set by dlp_domain_assess() */

/*
 * Classify one address (an addr-spec, optionally in <>, as found in an
 * envelope or header; a string without '@' is taken as a bare domain).
 * Never fails on content: a malformed address is
 * DLP_RCPT_INVALID with the reason in explain. Returns DLP_OK, or
 * DLP_ERR_INVAL for NULL arguments.
 */
enum dlp_status dlp_domain_classify(const struct dlp_domain_db *db,
    const char *addr, size_t len, struct dlp_domain_result *out);

/*
 * The same, through a small cache of domain results owned by the caller
 * (one per thread: the scan state). Classification is a function of the
 * table and the domain alone (the local part only goes into address), so
 * a cached result is exactly what classifying again would give; a cache
 * used with another table starts afresh. Gateways send to the same few
 * domains again and again, and a miss costs tens of microseconds
 * (UTS #46 mapping, confusable skeletons, the typo index).
 */
#define DLP_DOMAIN_CACHE_SLOTS 16 /* direct-mapped */
struct dlp_domain_cache_slot {
	bool used;
	size_t len;
	char dom[256]; /* the domain as parsed from the address */
	struct dlp_domain_result r;
};
struct dlp_domain_cache {
	const struct dlp_domain_db *db;
	size_t hits, misses;
	struct dlp_domain_cache_slot slot[DLP_DOMAIN_CACHE_SLOTS];
};
enum dlp_status dlp_domain_classify_cached(const struct dlp_domain_db *db,
    struct dlp_domain_cache *cache, const char *addr, size_t len,
    struct dlp_domain_result *out);

/*
 * Message level (spec section 12): given the results of every recipient
 * of one message, raise a lookalike to at least 90 when the message also
 * goes to the entry it resembles ("a@army.mil, b@army.ml") and add 10 to
 * unknown externals mixed with internal recipients; both say so in
 * explain. *msg_flags (may be NULL) gets DLP_DOMAIN_MSG_* bits; an empty
 * recipient list is DLP_DOMAIN_MSG_EMPTY, itself a reason to hold.
 * Returns DLP_OK, or DLP_ERR_INVAL for NULL res with n > 0.
 */
#define DLP_DOMAIN_MSG_EMPTY          0x1 /* no recipients at all */
#define DLP_DOMAIN_MSG_MIXED_TYPO     0x2 /* trusted + lookalike of it */
#define DLP_DOMAIN_MSG_MIXED_EXTERNAL 0x4 /* internal + unknown external */
enum dlp_status dlp_domain_assess(
    struct dlp_domain_result *res, size_t n, unsigned *msg_flags);

#endif /* DLP_DOMAIN_H */
