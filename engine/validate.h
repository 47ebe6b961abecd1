/*
 * validate.h - post-match validators and the marking context check.
 *
 * Signatures are matched with Hyperscan as triggers; after a hit, the C
 * validator a signature names confirms the candidate and may refine its
 * level, flags, confidence and a parsed detail string. The rules of each
 * validator are in docs/validators.md; they follow
 * ../shared/spec/markings.md.
 *
 * Every validator is pure: it reads only the text it is given (and the
 * read-only configuration in dlp_vin.cfg), keeps no
 * state, allocates nothing and looks only at a bounded window around the
 * candidate (the line, the paragraph, a capped number of bytes), so it is
 * safe on any thread and costs O(window) per candidate.
 */
#ifndef DLP_VALIDATE_H
#define DLP_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"

struct dlp_vin {             /* a candidate from the matcher */
	const uint8_t *text; /* the whole normalised text (UTF-8, LF line ends,
	                        blanks collapsed) */
	size_t len;
	size_t start;    /* start of the match, or DLP_VSTART_UNKNOWN (pattern
	                    compiled without SOM) */
	size_t end;      /* end of the match (exclusive) */
	unsigned scope;  /* DLP_SCOPE_* of the text (internal.h) */
	unsigned level;  /* the signature's level, as default */
	unsigned flags;  /* the signature's DLP_F_* flags, as default */
	const void *cfg; /* configuration the engine loaded for validators
	                    that need it: the label map (struct dlp_labelmap,
	                    labelmap.h) or NULL; read-only */
};
#define DLP_VSTART_UNKNOWN ((size_t)-1)

struct dlp_vout {
	unsigned level, flags,
	    confidence; /* confidence 0-3 (C0-C3 of
	                   markings.md §3.3); C0 = suppressed */
	size_t start,
	    end;          /* the span confirmed (for excerpt and line number) */
	char detail[160]; /* parsed form, e.g. "SECRET//REL TO USA, GBR" */
	char rel_to[64];  /* REL TO countries as ISO alpha-3 list "USA GBR AUS",
	                     or "" */
};

/* true = accept the candidate (out filled; out->level/flags default to
 * in's), false = reject it. */
typedef bool (*dlp_validator_fn)(
    const struct dlp_vin *in, struct dlp_vout *out);

/* The validator called name, or NULL. Names are listed in
 * docs/validators.md. */
dlp_validator_fn dlp_validator_lookup(const char *name);

/*
 * A context check the matcher applies to every marking hit: true if the
 * span [start,end) sits in a known false-positive context (a disclaimer
 * paragraph, "Official Secrets Act", code like SECRET_KEY=, a description
 * of markings...) - see markings.md §14. Looks at most 1 KB either side.
 */
bool dlp_context_suppressed(
    const uint8_t *text, size_t len, size_t start, size_t end);

/*
 * Shared by the validator files (validate*.c); not for other stages.
 */
struct dlp_validator_def {
	const char *name;
	dlp_validator_fn fn;
};
extern const struct dlp_validator_def dlp_validate_pii_defs[];
extern const size_t dlp_validate_pii_ndefs;
extern const struct dlp_validator_def dlp_validate_us_defs[];
extern const size_t dlp_validate_us_ndefs;
extern const struct dlp_validator_def dlp_validate_intl_defs[];
extern const size_t dlp_validate_intl_ndefs;
extern const struct dlp_validator_def dlp_validate_labels_defs[];
extern const size_t dlp_validate_labels_ndefs;

#define DLP_VNONE ((size_t)-1)

/* Fill out with in's defaults: level, flags, C2, the span. */
void dlp_validate_init(const struct dlp_vin *in, struct dlp_vout *out);
/* Bounds [*ls, *le) of the line holding pos (le excludes the LF), at most
 * DLP_VLINE_MAX bytes either side of pos: a longer line is cut, so no
 * validator is O(line) on a text with no line breaks. */
#define DLP_VLINE_MAX 4096
void dlp_validate_line(
    const uint8_t *t, size_t len, size_t pos, size_t *ls, size_t *le);
/* Offset of the first/last occurrence of s starting in [from, to) and lying
 * wholly before lim, or DLP_VNONE. nocase: ASCII case-insensitive. */
size_t dlp_validate_find(const uint8_t *t, size_t lim, size_t from, size_t to,
    const char *s, bool nocase);
size_t dlp_validate_rfind(const uint8_t *t, size_t lim, size_t from, size_t to,
    const char *s, bool nocase);
/* True when t[pos..] begins with s (case-sensitive or not). */
bool dlp_validate_at(
    const uint8_t *t, size_t len, size_t pos, const char *s, bool nocase);
/* True when only blanks lie between ls..s and e..le on the line. */
bool dlp_validate_alone(const uint8_t *t, size_t len, size_t s, size_t e);
/* True when pos lies in the first or last n non-empty lines of the text
 * (looking at most DLP_VEDGE_MAX bytes from either end). */
#define DLP_VEDGE_MAX 16384
bool dlp_validate_edge(const uint8_t *t, size_t len, size_t pos, unsigned n);
/* Append to out->detail / out->rel_to (truncating, always terminated). */
void dlp_validate_detail(struct dlp_vout *out, const void *p, size_t n);
void dlp_validate_rel(struct dlp_vout *out, const void *p, size_t n);
/* The start of the token run ending at end when the start is unknown. */
size_t dlp_validate_start(const struct dlp_vin *in);

static inline bool
dlp_v_upper(int c)
{
	return c >= 'A' && c <= 'Z';
}
static inline bool
dlp_v_lower(int c)
{
	return c >= 'a' && c <= 'z';
}
static inline bool
dlp_v_digit(int c)
{
	return c >= '0' && c <= '9';
}
static inline bool
dlp_v_alpha(int c)
{
	return dlp_v_upper(c) || dlp_v_lower(c);
}
static inline bool
dlp_v_alnum(int c)
{
	return dlp_v_alpha(c) || dlp_v_digit(c);
}
static inline bool
dlp_v_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r';
}
/* A word character for boundaries: ASCII alnum, '_' or any non-ASCII byte
 * (so "PROTÉGÉ" is one word). */
static inline bool
dlp_v_word(int c)
{
	return dlp_v_alnum(c) || c == '_' || c >= 0x80;
}

#endif /* DLP_VALIDATE_H */
