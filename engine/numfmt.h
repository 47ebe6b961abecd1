/*
 * numfmt.h - spreadsheet number formats ("#,##0.00", "d-mmm-yy", "0.00%")
 * rendered the way a reader sees the cell, for the OOXML and BIFF
 * extractors. The raw value is always reported as well; this only adds
 * the displayed form.
 */
#ifndef DLP_NUMFMT_H
#define DLP_NUMFMT_H

#include "internal.h"

/* The format code of a built-in format id (ECMA-376 18.8.30), or NULL. */
const char *dlp_numfmt_builtin(unsigned id);

/*
 * Built-in formats 14 and 22 are the reader's short date (and time):
 * Excel shows them in the system locale (m/d/yyyy in the US, d/m/yyyy in
 * the UK, yyyy-mm-dd in ISO locales), so a second, ISO rendering is
 * worth adding to dlp_numfmt_builtin's en-US one. Its code, or NULL.
 */
const char *dlp_numfmt_builtin_iso(unsigned id);

/*
 * Append v formatted with code[0..len) to out. Returns true with nothing
 * appended for codes it does not render (General, text, exponents), false
 * only on memory exhaustion.
 */
bool dlp_numfmt_render(
    const char *code, size_t len, double v, struct dlp_buf *out);

/*
 * List counters (numbered paragraphs), for the Word binary and OOXML
 * extractors. The values are MS-DOC's nfc codes, which ECMA-376's
 * ST_NumberFormat names (decimal, upperRoman, ...) share.
 */
enum dlp_counter {
	DLP_CNT_DECIMAL = 0,
	DLP_CNT_UROMAN = 1,
	DLP_CNT_LROMAN = 2,
	DLP_CNT_ULETTER = 3,
	DLP_CNT_LLETTER = 4,
	DLP_CNT_ORDINAL = 5,
	DLP_CNT_ZERO = 22,   /* decimal with a leading zero: 01 */
	DLP_CNT_BULLET = 23, /* no number: the caller shows the bullet */
	DLP_CNT_NONE = 255
};

/*
 * Append counter value v in format nfc: roman numerals for 1-3999,
 * letters a..z, aa..zz ... for 1-780 (as Word), ordinals 1st 2nd 3rd,
 * and decimal for everything else and out of those ranges. false only
 * on memory exhaustion.
 */
bool dlp_numfmt_counter(struct dlp_buf *b, long v, unsigned nfc);

#endif /* DLP_NUMFMT_H */
