/*
 * match.h - run the compiled signatures over one text and turn confirmed
 * hits into findings.
 */
#ifndef DLP_MATCH_H
#define DLP_MATCH_H

#include "normalise.h"
#include "result.h"
#include "sigdb.h"

struct dlp_matcher; /* per scan: Hyperscan scratch and buffers */

enum dlp_status dlp_matcher_new(const struct dlp_mem *mem,
    const struct dlp_sigdb *db, hs_scratch_t *proto, struct dlp_matcher **out);
void dlp_matcher_free(struct dlp_matcher *m);

/*
 * Normalise text, scan it, confirm each hit (scope, position, suppressors,
 * context, validator) and add the confirmed ones to r. header names the
 * header for DLP_SCOPE_HEADERS. Returns DLP_OK, DLP_ERR_NOMEM or
 * DLP_ERR_SCAN (Hyperscan failed: the caller must fail closed). *limited
 * is set when a candidate cap was hit (the caller records "limit").
 */
enum dlp_status dlp_match_text(struct dlp_matcher *m, struct dlp_result *r,
    unsigned scope, const char *header, const char *where, const char *text,
    size_t len, bool *limited);

/*
 * Run one rule's embedded examples: for each, whether the rule produced a
 * finding on it (in the rule's first scope). fn is called once per
 * example with ok = (outcome matches the example's expectation).
 */
typedef void (*dlp_example_fn)(void *ctx, const struct dlp_rule *rule,
    const struct dlp_example *ex, bool ok);
enum dlp_status dlp_match_examples(struct dlp_matcher *m, size_t rule,
    dlp_example_fn fn, void *ctx, size_t *nfailed);

#endif /* DLP_MATCH_H */
