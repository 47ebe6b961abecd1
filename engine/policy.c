/*
 * policy.c - turn findings, unscanned content and recipient classes into
 * a verdict with reasons a person can read.
 *
 * Trust: the policy file is an administrator's and is parsed strictly
 * (every level row must be present; unknown keys are errors). The
 * decision itself is a pure function of the result's contents.
 * Fail closed: unreadable content has a level (unscanned-level, default
 * 2); a message with no recipient gets no-recipients (default hold); the
 * verdict starts at hold until decided.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

static const char *const class_cols[DLP_RCPT_NCLASSES] = {
    "internal", "trusted", "unknown", "typo", "high-risk", "invalid"};

/* The shipped default matrix (also in signatures/policy.conf). */
static const enum dlp_verdict
    default_matrix[DLP_LEVEL_MAX + 1][DLP_RCPT_NCLASSES] = {
        {DLP_ALLOW, DLP_ALLOW, DLP_ALLOW, DLP_HOLD, DLP_HOLD, DLP_HOLD},
        {DLP_ALLOW, DLP_ALLOW, DLP_ALLOW, DLP_HOLD, DLP_HOLD, DLP_HOLD},
        {DLP_ALLOW, DLP_ALLOW, DLP_HOLD, DLP_BLOCK, DLP_BLOCK, DLP_BLOCK},
        {DLP_ALLOW, DLP_HOLD, DLP_BLOCK, DLP_BLOCK, DLP_BLOCK, DLP_BLOCK},
        {DLP_ALLOW, DLP_BLOCK, DLP_BLOCK, DLP_BLOCK, DLP_BLOCK, DLP_BLOCK},
        {DLP_ALLOW, DLP_BLOCK, DLP_BLOCK, DLP_BLOCK, DLP_BLOCK, DLP_BLOCK},
};

static bool
parse_verdict(const char *s, enum dlp_verdict *v)
{
	if (strcmp(s, "allow") == 0)
		*v = DLP_ALLOW;
	else if (strcmp(s, "hold") == 0)
		*v = DLP_HOLD;
	else if (strcmp(s, "block") == 0)
		*v = DLP_BLOCK;
	else
		return false;
	return true;
}

static bool
parse_level(const char *s, unsigned *out)
{
	if (s[0] < '0' || s[0] > '0' + DLP_LEVEL_MAX || s[1] != '\0')
		return false;
	*out = (unsigned)(s[0] - '0');
	return true;
}

/* Split a line into at most max words (in place). */
static size_t
words(char *s, char **w, size_t max)
{
	size_t n = 0;

	while (*s && n < max) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0' || *s == '#')
			break;
		w[n++] = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
		if (*s)
			*s++ = '\0';
	}
	return n;
}

static enum dlp_status
parse_line(struct dlp_policy *pol, const char *file, unsigned lineno,
    char *line, struct dlp_error *err)
{
	char *w[16];
	size_t n = words(line, w, DLP_NITEMS(w));
	unsigned lv;
	enum dlp_verdict v;

	if (n == 0)
		return DLP_OK;
	if (strcmp(w[0], "level") == 0) {
		if (n != 2 + DLP_RCPT_NCLASSES || !parse_level(w[1], &lv))
			return dlp_error_set(err, DLP_ERR_CONFIG, file, lineno,
			    1,
			    "expected \"level N\" and %d verdicts (internal "
			    "trusted unknown typo high-risk invalid)",
			    DLP_RCPT_NCLASSES);
		for (size_t c = 0; c < DLP_RCPT_NCLASSES; c++) {
			if (!parse_verdict(w[2 + c], &v))
				return dlp_error_set(err, DLP_ERR_CONFIG, file,
				    lineno, (unsigned)(w[2 + c] - line) + 1,
				    "%s: verdict must be allow, hold or block",
				    class_cols[c]);
			pol->matrix[lv][c] = v;
		}
		pol->loaded_matrix[lv] = true;
		return DLP_OK;
	}
	if (n != 2)
		return dlp_error_set(err, DLP_ERR_CONFIG, file, lineno, 1,
		    "expected \"key value\"");
	if (strcmp(w[0], "unscanned-level") == 0 ||
	    strcmp(w[0], "encrypted-level") == 0 ||
	    strcmp(w[0], "min-confidence") == 0) {
		if (!parse_level(w[1], &lv) || (w[0][1] == 'i' && lv > 3))
			return dlp_error_set(err, DLP_ERR_CONFIG, file, lineno,
			    (unsigned)(w[1] - line) + 1, "bad value for %s",
			    w[0]);
		if (w[0][0] == 'u')
			pol->unscanned_level = lv;
		else if (w[0][0] == 'e')
			pol->encrypted_level = lv;
		else
			pol->min_confidence = lv;
		return DLP_OK;
	}
	if (strcmp(w[0], "no-recipients") == 0 ||
	    strcmp(w[0], "national-only-foreign") == 0) {
		if (!parse_verdict(w[1], &v))
			return dlp_error_set(err, DLP_ERR_CONFIG, file, lineno,
			    (unsigned)(w[1] - line) + 1,
			    "verdict must be allow, hold or block");
		if (w[0][0] == 'n' && w[0][1] == 'o')
			pol->no_recipients = v;
		else
			pol->national_foreign = v;
		return DLP_OK;
	}
	if (strcmp(w[0], "audit") == 0) {
		if (strcmp(w[1], "yes") != 0 && strcmp(w[1], "no") != 0)
			return dlp_error_set(err, DLP_ERR_CONFIG, file, lineno,
			    (unsigned)(w[1] - line) + 1, "expected yes or no");
		pol->audit = strcmp(w[1], "yes") == 0;
		return DLP_OK;
	}
	return dlp_error_set(
	    err, DLP_ERR_CONFIG, file, lineno, 1, "unknown key \"%s\"", w[0]);
}

static void
policy_defaults(struct dlp_policy *pol)
{
	memset(pol, 0, sizeof(*pol));
	memcpy(pol->matrix, default_matrix, sizeof(pol->matrix));
	pol->unscanned_level = DLP_LEVEL_SENSITIVE;
	pol->encrypted_level = DLP_LEVEL_SENSITIVE;
	pol->min_confidence = 2;
	pol->no_recipients = DLP_HOLD;
	pol->national_foreign = DLP_BLOCK;
}

enum dlp_status
dlp_policy_parse(struct dlp_policy *pol, const char *file, const char *text,
    size_t len, struct dlp_error *err)
{
	char line[1024];
	unsigned lineno = 0;
	size_t pos = 0;
	bool any = false;
	enum dlp_status st;

	policy_defaults(pol);
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;

		lineno++;
		if (n >= sizeof(line))
			return dlp_error_set(err, DLP_ERR_CONFIG, file, lineno,
			    1, "line too long");
		memcpy(line, text + pos, n);
		line[n] = '\0';
		if (n > 0 && line[n - 1] == '\r')
			line[n - 1] = '\0';
		pos += n + (nl != NULL);
		if ((st = parse_line(pol, file, lineno, line, err)) != DLP_OK)
			return st;
	}
	for (unsigned l = 0; l <= DLP_LEVEL_MAX; l++)
		any |= pol->loaded_matrix[l];
	if (any)
		for (unsigned l = 0; l <= DLP_LEVEL_MAX; l++)
			if (!pol->loaded_matrix[l])
				return dlp_error_set(err, DLP_ERR_CONFIG, file,
				    lineno, 0, "no row for level %u", l);
	return DLP_OK;
}

enum dlp_status
dlp_policy_load(struct dlp_policy *pol, const char *path, struct dlp_error *err)
{
	FILE *f;
	char buf[65536];
	size_t n;
	enum dlp_status st;

	policy_defaults(pol);
	if (path == NULL)
		return DLP_OK;
	if ((f = fopen(path, "r")) == NULL)
		return dlp_error_set(
		    err, DLP_ERR_IO, path, 0, 0, "%s", strerror(errno));
	n = fread(buf, 1, sizeof(buf), f);
	if (ferror(f) || !feof(f)) {
		fclose(f);
		return dlp_error_set(err, DLP_ERR_CONFIG, path, 0, 0,
		    "unreadable or larger than 64 KiB");
	}
	fclose(f);
	st = dlp_policy_parse(pol, path, buf, n, err);
	return st;
}

static enum dlp_verdict
vmax(enum dlp_verdict a, enum dlp_verdict b)
{
	return a > b ? a : b;
}

/* Is country c in the space-separated ISO list l? */
static bool
in_list(const char *l, const char *c)
{
	size_t n = strlen(c);

	if (n == 0)
		return false;
	for (const char *p = l; (p = strstr(p, c)) != NULL; p += n)
		if ((p == l || p[-1] == ' ' || p[-1] == ',') &&
		    (p[n] == '\0' || p[n] == ' ' || p[n] == ','))
			return true;
	return false;
}

static const char *
article(const char *word)
{
	return strchr("aeiou", word[0]) ? "an" : "a";
}

/*
 * What finding k adds to its rule's total: its count, or, for a second
 * reading (DLP_WHERE_REREAD) of a where the rule also matched in, only
 * what it found beyond that first reading.
 */
static size_t
rule_count(const struct dlp_result *r, size_t k)
{
	const struct dlp_finding_x *f = &r->findings[k];
	size_t wl = strlen(f->pub.where), sl = strlen(DLP_WHERE_REREAD);

	if (wl <= sl || strcmp(f->pub.where + wl - sl, DLP_WHERE_REREAD) != 0)
		return f->pub.count;
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct dlp_finding_x *g = &r->findings[i];

		if (i != k && strcmp(g->pub.rule, f->pub.rule) == 0 &&
		    strlen(g->pub.where) == wl - sl &&
		    strncmp(g->pub.where, f->pub.where, wl - sl) == 0)
			return f->pub.count > g->pub.count
			           ? f->pub.count - g->pub.count
			           : 0;
	}
	return f->pub.count;
}

enum dlp_status
dlp_policy_decide(const struct dlp_policy *pol, struct dlp_result *r)
{
	unsigned level = 0, flags = 0;
	enum dlp_verdict msg = DLP_ALLOW;
	const struct dlp_finding_x *top[3] = {NULL, NULL, NULL};
	enum dlp_status st;
	bool caveat = false;

	/* 1. Which findings count: confidence, audit, per-rule min-count
	 * (what each adds to its rule's total worked out once first: the
	 * pass below is already quadratic in the findings). */
	for (size_t k = 0; k < r->nfindings; k++)
		r->findings[k].adds = rule_count(r, k);
	for (size_t i = 0; i < r->nfindings; i++) {
		struct dlp_finding_x *f = &r->findings[i];
		size_t total = 0;

		for (size_t k = 0; k < r->nfindings; k++)
			if (strcmp(r->findings[k].pub.rule, f->pub.rule) == 0)
				total += r->findings[k].adds;
		f->counted = !f->audit &&
		             f->pub.confidence >= pol->min_confidence &&
		             total >= f->min_count;
		if (!f->counted)
			continue;
		flags |= f->pub.flags;
		if (f->pub.level > level)
			level = f->pub.level;
		if ((f->pub.flags & (DLP_F_NATIONAL_ONLY | DLP_F_REL_LIST)) &&
		    !(f->pub.flags & DLP_F_SUPPRESSOR))
			caveat = true;
		for (size_t t = 0; t < 3; t++) {
			if (top[t] == NULL ||
			    f->pub.level > top[t]->pub.level) {
				for (size_t u = 2; u > t; u--)
					top[u] = top[u - 1];
				top[t] = f;
				break;
			}
		}
	}
	if (r->overflow_level > level)
		level = r->overflow_level;
	for (size_t i = 0; i < r->nuns; i++) {
		struct dlp_unscanned *u = &r->uns[i];

		u->level = strcmp(u->why, "encrypted") == 0
		               ? pol->encrypted_level
		               : pol->unscanned_level;
		if (u->level > level)
			level = u->level;
	}
	r->level = level;
	r->flags = flags;

	/* 2. Each recipient; the message takes the strictest. */
	for (size_t i = 0; i < r->nrcpts; i++) {
		struct dlp_recipient *c = &r->rcpts[i];
		enum dlp_verdict v = pol->matrix[level][c->cls - 1];

		if (caveat && c->cls != DLP_RCPT_INTERNAL) {
			for (size_t k = 0; k < r->nfindings; k++) {
				const struct dlp_finding_x *f = &r->findings[k];

				if (!f->counted ||
				    !(f->pub.flags &
				        (DLP_F_NATIONAL_ONLY | DLP_F_REL_LIST)))
					continue;
				if (f->rel_to[0] == '\0' ||
				    !in_list(f->rel_to, r->rcpt_country[i])) {
					v = vmax(v, pol->national_foreign);
					if ((st = dlp_result_add_reason(r,
					         "%s (%s) may not go to %s: "
					         "its "
					         "domain is not shown to be in "
					         "%s",
					         f->pub.detail[0]
					             ? f->pub.detail
					             : f->pub.title,
					         f->pub.rule, c->address,
					         f->rel_to[0] ? f->rel_to
					                      : "the releasing "
					                        "nation")) !=
					    DLP_OK)
						return st;
				}
			}
		}
		c->verdict = v;
		msg = vmax(msg, v);
	}
	if (r->nrcpts == 0) {
		msg = vmax(msg, pol->no_recipients);
		if ((st = dlp_result_add_reason(r,
		         "the message has no recipient, so no recipient "
		         "domain could be checked")) != DLP_OK)
			return st;
	}

	/* 3. Reasons: content first, then what was not read, then who. */
	for (size_t t = 0; t < 3 && top[t] != NULL; t++) {
		const struct dlp_finding_x *f = top[t];
		char line[32] = "";

		if (f->pub.line > 0)
			snprintf(line, sizeof(line), " line %u", f->pub.line);
		if ((st = dlp_result_add_reason(r, "%s in %s%s (level %u, %s)",
		         f->pub.detail[0] ? f->pub.detail : f->pub.title,
		         f->pub.where, line, f->pub.level, f->pub.rule)) !=
		    DLP_OK)
			return st;
	}
	if (r->noverflow > 0 &&
	    (st = dlp_result_add_reason(r,
	         "%zu more findings were not listed (limit max_findings)",
	         r->noverflow)) != DLP_OK)
		return st;
	for (size_t i = 0; i < r->nuns && i < 5; i++) {
		const struct dlp_unscanned *u = &r->uns[i];

		if ((st = dlp_result_add_reason(r,
		         "could not scan %s: %s%s%s (treated as level %u)",
		         u->where, u->why, u->detail[0] ? ", " : "", u->detail,
		         u->level)) != DLP_OK)
			return st;
	}
	for (size_t i = 0; i < r->nrcpts; i++) {
		const struct dlp_recipient *c = &r->rcpts[i];
		const char *cls = dlp_rcpt_class_name(c->cls);

		if (c->verdict != msg || msg == DLP_ALLOW) {
			if (c->cls != DLP_RCPT_TYPO)
				continue;
		}
		if ((st = dlp_result_add_reason(r,
		         "recipient %s is %s %s recipient: %s", c->address,
		         article(cls), cls, c->explain)) != DLP_OK)
			return st;
		if (c->verdict != DLP_ALLOW &&
		    (st = dlp_result_add_reason(r,
		         "level %u content to %s %s recipient is %s", level,
		         article(cls), cls,
		         c->verdict == DLP_BLOCK ? "blocked" : "held")) !=
		        DLP_OK)
			return st;
	}
	/* A lookalike next to the domain it imitates: say so. */
	for (size_t i = 0; i < r->nrcpts; i++) {
		const struct dlp_recipient *c = &r->rcpts[i];
		size_t same = 0;

		if (c->cls != DLP_RCPT_TYPO || c->suggest[0] == '\0')
			continue;
		for (size_t k = 0; k < r->nrcpts; k++)
			if (k != i &&
			    strcmp(r->rcpts[k].domain, c->suggest) == 0)
				same++;
		if (same > 0 &&
		    (st = dlp_result_add_reason(r,
		         "this message also goes to %zu recipient%s at '%s'; "
		         "'%s' is probably a mistyped '%s'",
		         same, same > 1 ? "s" : "", c->suggest, c->domain,
		         c->suggest)) != DLP_OK)
			return st;
	}
	if (pol->audit && msg != DLP_ALLOW) {
		if ((st = dlp_result_add_reason(r,
		         "audit mode: the verdict would be %s; allowed",
		         dlp_verdict_name(msg))) != DLP_OK)
			return st;
		msg = DLP_ALLOW;
	}
	if (msg == DLP_ALLOW && r->nreasons == 0 &&
	    (st = dlp_result_add_reason(r,
	         level == 0 ? "no sensitive content found"
	                    : "content level %u is allowed "
	                      "to every recipient",
	         level)) != DLP_OK)
		return st;
	r->verdict = msg;
	return DLP_OK;
}
