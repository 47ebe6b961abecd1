/*
 * policy.h - the decision: content level x recipient class -> verdict,
 * from a data file (signatures/policy.conf), plus the flag rules.
 */
#ifndef DLP_POLICY_H
#define DLP_POLICY_H

#include "result.h"

struct dlp_policy {
	enum dlp_verdict matrix[DLP_LEVEL_MAX + 1][DLP_RCPT_NCLASSES];
	unsigned unscanned_level; /* level of unreadable content (2) */
	unsigned encrypted_level; /* level of encrypted content (2) */
	unsigned min_confidence;  /* findings below it are not counted (2) */
	enum dlp_verdict no_recipients;    /* verdict with none (hold) */
	enum dlp_verdict national_foreign; /* caveat to a foreign rcpt */
	bool audit; /* whole policy in audit mode: verdict always allow */
	bool loaded_matrix[DLP_LEVEL_MAX + 1];
};

/* Defaults, then the file (NULL = defaults only). */
enum dlp_status dlp_policy_load(
    struct dlp_policy *pol, const char *path, struct dlp_error *err);

/* Parse policy text (for tests). */
enum dlp_status dlp_policy_parse(struct dlp_policy *pol, const char *file,
    const char *text, size_t len, struct dlp_error *err);

/*
 * Decide: set every finding's counted flag, the result's level, flags,
 * per-recipient and message verdicts, and the reasons.
 */
enum dlp_status dlp_policy_decide(
    const struct dlp_policy *pol, struct dlp_result *r);

#endif /* DLP_POLICY_H */
