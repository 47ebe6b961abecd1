/*
 * normalise.h - the text every signature sees.
 *
 * From UTF-8 input it makes a copy in which Unicode dashes become '-',
 * NBSP and other spaces become ' ', zero-width characters and soft
 * hyphens are removed, fullwidth ASCII is folded to ASCII, common
 * Cyrillic/Greek homoglyphs of Latin capitals inside Latin words are
 * folded, CR LF and CR become LF, and runs of spaces/tabs collapse to one
 * space (so "TOP  SECRET" and "OFFICIAL\u2013SENSITIVE" match). Line
 * breaks are kept, since position rules count lines; a line break inside
 * a run of blanks is kept once. Invalid UTF-8 bytes pass through as-is.
 *
 * The map lets a match in the copy be reported at its place in the
 * original: map[i] is the offset in the input of output byte i, and
 * map[len] == input length.
 */
#ifndef DLP_NORMALISE_H
#define DLP_NORMALISE_H

#include "internal.h"

struct dlp_norm {
	struct dlp_buf text; /* normalised UTF-8, NUL-terminated */
	uint32_t *map;       /* text.len + 1 entries */
	size_t mapcap;
};

void dlp_norm_init(struct dlp_norm *n, const struct dlp_mem *mem);
void dlp_norm_fini(struct dlp_norm *n);

/* Replace n's contents with the normalisation of in[0..len).
 * false on memory exhaustion or when len >= 4 GiB. */
bool dlp_normalise(struct dlp_norm *n, const uint8_t *in, size_t len);

#endif /* DLP_NORMALISE_H */
