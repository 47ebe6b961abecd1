/*
 * engine.h - the engine and scan structures, for the stages and for the
 * programs that need more than the public API (dlpsig runs examples).
 */
#ifndef DLP_ENGINE_H
#define DLP_ENGINE_H

#include "charset.h"
#include "domain.h"
#include "extract.h"
#include "match.h"
#include "policy.h"
#include "sigdb.h"

struct dlp_domain_db;

struct dlp_engine {
	uint32_t magic;
	struct dlp_mem mem;
	struct dlp_limits limits;
	struct dlp_sigdb *sigdb;
	hs_scratch_t *proto; /* cloned by each scan */
	struct dlp_policy policy;
	struct dlp_domain_db *domains;
	struct dlp_pdf_keep *pdf_keep; /* may be NULL */
};

struct dlp_scan {
	uint32_t magic;
	const struct dlp_engine *eng;
	struct dlp_matcher *matcher;
	struct dlp_charset *cs;
	char errmsg[256];
	/* The message being scanned. */
	struct dlp_result *res;
	struct dlp_budget budget;
	struct dlp_sink sink;
	struct dlp_xctx x;
	bool time_reported;
	struct dlp_domain_cache *rcpt_cache; /* recipient domains seen */
};

/* Run every rule's embedded examples (see dlp_match_examples). */
enum dlp_status dlp_engine_examples(const struct dlp_engine *e,
    struct dlp_scan *s, dlp_example_fn fn, void *ctx, size_t *nexamples,
    size_t *nfailed);

#endif /* DLP_ENGINE_H */
