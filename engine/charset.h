/*
 * charset.h - conversion of text in any declared charset to UTF-8.
 *
 * iconv for legacy charsets (one descriptor cache per scan, since
 * iconv_open is costly), fast paths for US-ASCII, UTF-8, Latin-1 and
 * UTF-16. Invalid sequences become U+FFFD; conversion never fails on
 * content, only on memory.
 */
#ifndef DLP_CHARSET_H
#define DLP_CHARSET_H

#include "internal.h"

struct dlp_charset; /* per-scan converter cache; not thread safe */

enum dlp_status dlp_charset_new(
    const struct dlp_mem *mem, struct dlp_charset **out);
void dlp_charset_free(struct dlp_charset *cs);

#define DLP_CS_UNKNOWN 0x01 /* charset unknown: decoded as Latin-1 */
#define DLP_CS_INVALID 0x02 /* invalid sequences replaced by U+FFFD */

/*
 * Append in[0..len) converted from charset (NULL or "" = detect: UTF-8
 * if valid, a BOM if present, else Windows-1252) to UTF-8. Charset names
 * are matched case-insensitively with the usual aliases (latin1, cp1252,
 * x-sjis, ks_c_5601-1987, utf8 ...). *flags (may be NULL) gets DLP_CS_*.
 * Returns false only on memory exhaustion. cs may be NULL (no cache: a
 * legacy charset then opens and closes its own iconv descriptor).
 */
bool dlp_charset_to_utf8(struct dlp_charset *cs, const char *charset,
    const uint8_t *in, size_t len, struct dlp_buf *out, unsigned *flags);

/*
 * True when dlp_charset_to_utf8() would append in[0..len) unchanged and
 * set no flag (valid UTF-8 declared as UTF-8, US-ASCII or nothing;
 * ASCII declared as Windows-1252 or Latin-1), so the copy can be skipped.
 */
bool dlp_charset_identity(const char *charset, const uint8_t *in, size_t len);

/* Windows-1252 0x80-0x9F as code points (HTML5 maps &#128; etc. too). */
extern const uint16_t dlp_cp1252_c1[32];

/* True when in[0..len) is valid UTF-8 (no overlongs or surrogates). */
bool dlp_utf8_valid(const uint8_t *in, size_t len);

#endif /* DLP_CHARSET_H */
