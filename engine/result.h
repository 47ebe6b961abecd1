/*
 * result.h - the per-message result: built up by the scan (findings,
 * unscanned entries, recipients, reasons), then frozen and handed to the
 * caller as the public struct dlp_result.
 */
#ifndef DLP_RESULT_H
#define DLP_RESULT_H

#include "internal.h"

struct dlp_arena_block;

/* A finding plus what only the engine needs. pub must stay first. */
struct dlp_finding_x {
	struct dlp_finding pub;
	const char *rel_to; /* ISO alpha-3 list or "" */
	bool counted;       /* raises the level (confidence, min-count) */
	bool audit;         /* audit-mode rule: reported, never decides */
	unsigned min_count;
	size_t adds; /* policy: what it adds to its rule's total */
};

struct dlp_unscanned_x {
	struct dlp_unscanned pub;
};

struct dlp_result {
	const struct dlp_mem *mem;
	struct dlp_arena_block *arena;
	enum dlp_verdict verdict;
	unsigned level;
	unsigned flags;
	struct dlp_finding_x *findings;
	size_t nfindings, capfindings;
	size_t max_findings;
	unsigned overflow_level; /* best level among findings not kept */
	size_t noverflow;
	struct dlp_recipient *rcpts;
	size_t nrcpts, caprcpts;
	const char **rcpt_country; /* parallel to rcpts */
	struct dlp_unscanned *uns;
	size_t nuns, capuns;
	const char **reasons;
	size_t nreasons, capreasons;
	size_t bytes;
	const char *sender;
	const char *queue_id;
	const char *sigid;
};

enum dlp_status dlp_result_new(
    const struct dlp_mem *mem, size_t max_findings, struct dlp_result **out);

/* Copy a string into the result's arena (NULL on OOM; s NULL -> ""). */
const char *dlp_result_str(struct dlp_result *r, const char *s);
const char *dlp_result_strn(struct dlp_result *r, const char *s, size_t n);

/*
 * Record one confirmed hit of a rule at where. Hits of the same rule in the
 * same place merge: count grows, the first line and excerpt are kept,
 * level and confidence take the maximum, flags are or-ed.
 */
struct dlp_hit {
	const char *rule, *title, *category, *where;
	unsigned level, flags, confidence, line, min_count;
	const char *excerpt, *detail, *rel_to;
	bool audit;
};
enum dlp_status dlp_result_add_hit(
    struct dlp_result *r, const struct dlp_hit *h);

enum dlp_status dlp_result_add_unscanned(struct dlp_result *r,
    const char *where, const char *why, const char *detail, unsigned level);

enum dlp_status dlp_result_add_recipient(
    struct dlp_result *r, const struct dlp_recipient *rc, const char *country);

enum dlp_status dlp_result_add_reason(
    struct dlp_result *r, const char *fmt, ...) DLP_PRINTF(2, 3);

#endif /* DLP_RESULT_H */
