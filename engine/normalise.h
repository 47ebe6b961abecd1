/*
 * normalise.h - the text every signature sees.
 *
 * From UTF-8 input it makes a copy in which Unicode dashes become '-',
 * NBSP and other spaces become ' ', zero-width characters and soft
 * hyphens are removed, fullwidth ASCII is folded to ASCII, common
 * Cyrillic/Greek homoglyphs of Latin letters are folded in words that
 * hold no other Cyrillic/Greek letter (so Russian and Greek text stays),
 * CR LF and CR become LF, and runs of spaces/tabs collapse to one
 * space (so "TOP  SECRET" and "OFFICIAL\u2013SENSITIVE" match). Line
 * breaks are kept, since position rules count lines; a line break inside
 * a run of blanks is kept once. Invalid UTF-8 bytes pass through as-is.
 *
 * The offset map lets a match in the copy be reported at its place in
 * the original: dlp_norm_offset(n, i) is the offset in the input of
 * output byte i (the input length for i == text.len). It is kept as
 * segments in which input and output advance together, so the common
 * case (text that normalisation leaves alone) costs no per-byte map.
 */
#ifndef DLP_NORMALISE_H
#define DLP_NORMALISE_H

#include "internal.h"

/* Output bytes from out on come from input bytes from in on, one to one,
 * up to the next segment. */
struct dlp_norm_seg {
	uint32_t out, in;
};

struct dlp_norm {
	struct dlp_buf text;      /* normalised UTF-8, NUL-terminated */
	struct dlp_norm_seg *seg; /* nseg entries, seg[0].out == 0 */
	size_t nseg, segcap;
	size_t inlen; /* length of the input */
};

void dlp_norm_init(struct dlp_norm *n, const struct dlp_mem *mem);
void dlp_norm_fini(struct dlp_norm *n);

/* Replace n's contents with the normalisation of in[0..len).
 * false on memory exhaustion or when len >= 4 GiB. */
bool dlp_normalise(struct dlp_norm *n, const uint8_t *in, size_t len);

/* The same result without the vector fast path (the reference the tests
 * compare dlp_normalise with). */
bool dlp_normalise_scalar(struct dlp_norm *n, const uint8_t *in, size_t len);

/* The vector widths of the fast path, narrowest first. */
enum dlp_norm_simd {
	DLP_NORM_SCALAR,
	DLP_NORM_SSE2,
	DLP_NORM_AVX2,   /* 32 bytes a step */
	DLP_NORM_AVX512, /* 64 bytes a step (AVX-512 BW and VBMI2) */
};

/* The widest this build and CPU have; dlp_normalise uses it. */
enum dlp_norm_simd dlp_norm_simd_max(void);

/* dlp_normalise at most simd wide (the same result: the tests run every
 * width the CPU has against the scalar rules). */
bool dlp_normalise_simd(
    struct dlp_norm *n, const uint8_t *in, size_t len, enum dlp_norm_simd simd);

/* Input offset of output byte off; n->inlen when off >= text.len. */
size_t dlp_norm_offset(const struct dlp_norm *n, size_t off);

#endif /* DLP_NORMALISE_H */
