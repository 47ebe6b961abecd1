/*
 * validate.h - validators: C checks run after a Hyperscan trigger to
 * confirm a candidate (Luhn, mod-97, banner grammar ...) and refine its
 * level, flags, confidence and parsed detail; and the false-positive
 * context check applied to marking hits.
 */
#ifndef DLP_VALIDATE_H
#define DLP_VALIDATE_H

#include "internal.h"

struct dlp_vin {             /* a candidate from the matcher */
	const uint8_t *text; /* the whole normalised text */
	size_t len;
	size_t start; /* match start, or DLP_VSTART_UNKNOWN (no SOM) */
	size_t end;   /* match end (exclusive) */
	unsigned scope;
	unsigned level; /* the signature's level, as default */
	unsigned flags; /* the signature's DLP_F_* flags, as default */
};
#define DLP_VSTART_UNKNOWN ((size_t)-1)

struct dlp_vout {
	unsigned level, flags, confidence; /* confidence 0-3; 0 = suppressed */
	size_t start, end;                 /* the span confirmed */
	char detail[160];                  /* parsed form of the marking */
	char rel_to[64]; /* ISO alpha-3 list "USA GBR", or "" */
};

/* true = accept (out filled; level/flags default to in's), false = reject. */
typedef bool (*dlp_validator_fn)(
    const struct dlp_vin *in, struct dlp_vout *out);

/* The validator called name, or NULL. Names: docs/validators.md. */
dlp_validator_fn dlp_validator_lookup(const char *name);

/* true if [start,end) sits in a known false-positive context. */
bool dlp_context_suppressed(
    const uint8_t *text, size_t len, size_t start, size_t end);

#endif /* DLP_VALIDATE_H */
