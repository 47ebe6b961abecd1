/*
 * html.h - HTML to text for scanning.
 *
 * A hand-written, single-pass tag stripper (no DOM): tags removed,
 * script/style/head content dropped (but hidden text such as
 * display:none is kept: it is still in the mail), block elements and
 * <br> become line breaks, all named (HTML5 table) and numeric character
 * references decoded, comments removed, <title> and alt/title attribute
 * text kept. Input must already be UTF-8; output is UTF-8.
 */
#ifndef DLP_HTML_H
#define DLP_HTML_H

#include "internal.h"

/* Append the text of in[0..len) to out. false only on memory exhaustion. */
bool dlp_html_to_text(const uint8_t *in, size_t len, struct dlp_buf *out);

/*
 * The same with the text loop of a given width (0 scalar, 1 SSE2, 2
 * AVX2; above what the CPU has means the widest it has), for the tests
 * that hold the widths to one another. dlp_html_width_max(): the widest.
 */
bool dlp_html_to_text_width(
    const uint8_t *in, size_t len, struct dlp_buf *out, int width);
int dlp_html_width_max(void);

/*
 * Decode character references only (for XML/attribute text): &amp;
 * &#83; &#x53; and the HTML5 named set. false only on memory exhaustion.
 */
bool dlp_html_decode_entities(
    const uint8_t *in, size_t len, struct dlp_buf *out);

#endif /* DLP_HTML_H */
