/*
 * mime.h - the message parser: RFC 5322 header block and the MIME part
 * tree, zero-copy over the caller's bytes.
 *
 * Two steps, so the engine can read the envelope headers before it scans:
 *
 *	dlp_mime_parse()	bytes -> part tree (spans into msg)
 *	dlp_mime_header()	look up a top-level header, unfolded
 *	dlp_mime_emit()		walk the tree: decode each part and report
 *				texts, nested objects and unscanned parts
 *				through the sink
 *	dlp_mime_free()
 *
 * msg must stay valid and unchanged until dlp_mime_free(). Malformed
 * input is never an error: the parser repairs what a mail client would
 * and records what it could not read, which dlp_mime_emit() reports as
 * "unscanned". Only DLP_ERR_NOMEM (and DLP_ERR_INVAL for NULL arguments)
 * are returned as errors.
 */
#ifndef DLP_MIME_H
#define DLP_MIME_H

#include "charset.h"
#include "internal.h"

struct dlp_mime;

enum dlp_status dlp_mime_parse(const struct dlp_mem *mem,
    const struct dlp_limits *lim, const uint8_t *msg, size_t len,
    struct dlp_mime **out);

void dlp_mime_free(struct dlp_mime *m);

/*
 * The idx-th (0-based) top-level header called name (case-insensitive),
 * unfolded (CRLF/LF followed by WSP removed, the WSP kept), raw (not
 * RFC 2047 decoded), without the trailing line break. Returns false when
 * there is no such header. *val points into msg or into m; it lives as
 * long as m.
 */
bool dlp_mime_header(const struct dlp_mime *m, const char *name, size_t idx,
    const char **val, size_t *len);

/*
 * Report the message through sink: every top-level header as
 * DLP_SCOPE_HEADERS text "Name: value" (decoded), the decoded Subject as
 * DLP_SCOPE_SUBJECT, each body text part as DLP_SCOPE_BODY (where
 * "body/text", "body/html", ...), attachment file names as
 * DLP_SCOPE_FILENAME, attachments and other non-text leaves through
 * sink->object, message/rfc822 parts recursed into with where
 * "message/rfc822[N]:...", encrypted or unreadable parts through
 * sink->unscanned. prefix ("" at top level) is put in front of every
 * where; depth is the message's own nesting depth, for the limit.
 */
enum dlp_status dlp_mime_emit(const struct dlp_mime *m, struct dlp_charset *cs,
    const struct dlp_sink *sink, const char *prefix, unsigned depth);

#endif /* DLP_MIME_H */
