/*
 * decode.h - content-transfer and header decoders: base64,
 * quoted-printable, uuencode, yEnc and RFC 2047 encoded words.
 *
 * Every decoder appends to a caller's dlp_buf and is lenient the way mail
 * clients are: garbage is skipped, not fatal. The return value is false
 * only when memory runs out; *flags (may be NULL) reports what was odd
 * about the input (DLP_DEC_*), so the caller can record it.
 */
#ifndef DLP_DECODE_H
#define DLP_DECODE_H

#include "internal.h"

#define DLP_DEC_GARBAGE   0x01 /* bytes outside the alphabet were skipped */
#define DLP_DEC_TRUNCATED 0x02 /* input ended mid-group or without end */
#define DLP_DEC_BADCHECK  0x04 /* a checksum (yEnc crc/size) disagreed */

/* Base64 (RFC 2045 6.8): whitespace and garbage skipped, padding optional. */
bool dlp_decode_base64(
    const uint8_t *in, size_t len, struct dlp_buf *out, unsigned *flags);

/* Quoted-printable (RFC 2045 6.7): soft breaks joined, bad escapes kept. */
bool dlp_decode_qp(
    const uint8_t *in, size_t len, struct dlp_buf *out, unsigned *flags);

/* RFC 2047 "Q" encoding (underscore is space). */
bool dlp_decode_q(
    const uint8_t *in, size_t len, struct dlp_buf *out, unsigned *flags);

/* uuencode: "begin mode name" ... "end", or its base64 variant
 * "begin-base64 mode name" ... "===="; *name (may be NULL) gets a copy
 * of the file name, allocated with out->mem, or NULL. */
bool dlp_decode_uu(const uint8_t *in, size_t len, struct dlp_buf *out,
    char **name, unsigned *flags);

/* yEnc: "=ybegin ... name=" ... "=yend"; *name as for uuencode. */
bool dlp_decode_yenc(const uint8_t *in, size_t len, struct dlp_buf *out,
    char **name, unsigned *flags);

/*
 * Decode an unstructured header value (RFC 2047 encoded words, also the
 * common violations: words inside quotes, split multi-byte characters
 * across adjacent words, missing whitespace) to UTF-8, appending to out.
 * Text outside encoded words is taken as UTF-8 if valid, else as
 * Windows-1252. Unknown charsets decode as Latin-1 and set
 * DLP_DEC_UNKNOWN_CHARSET in *flags.
 */
#define DLP_DEC_UNKNOWN_CHARSET 0x08
bool dlp_decode_header(const struct dlp_mem *mem, const uint8_t *in, size_t len,
    struct dlp_buf *out, unsigned *flags);

/*
 * As dlp_decode_header, with the caller's converter cache (cs may be
 * NULL: then each legacy charset opens its own descriptor). Use this one
 * in a scan, where the cache outlives one header.
 */
struct dlp_charset;
bool dlp_decode_header_cs(struct dlp_charset *cs, const uint8_t *in, size_t len,
    struct dlp_buf *out, unsigned *flags);

#endif /* DLP_DECODE_H */
