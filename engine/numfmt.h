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

#endif /* DLP_NUMFMT_H */
