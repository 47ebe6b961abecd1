/*
 * extract.h - attachments and nested objects: identify the real type and
 * hand the bytes to the stage that can read them (archive, document
 * extractor, nested message, TNEF), which reports text, further nested
 * objects and unscanned content through the sink.
 *
 * Every extractor has the same shape:
 *
 *	enum dlp_status dlp_extract_X(struct dlp_xctx *x, const char *where,
 *	    const uint8_t *data, size_t len, unsigned depth);
 *
 * where names the object ("attachment:brief.zip/brief.docx"); pieces
 * inside it are reported as where + "/" + inner path. depth is the
 * object's nesting depth; an extractor passes depth + 1 for what it finds
 * inside. Content problems (corrupt, encrypted, over a limit) are reported
 * through x->sink->unscanned and are not errors; only DLP_ERR_NOMEM (or an
 * error returned by the sink) is returned.
 */
#ifndef DLP_EXTRACT_H
#define DLP_EXTRACT_H

#include "charset.h"
#include "internal.h"

struct dlp_sniffer; /* type detection state (libmagic cookie), per scan */

/* Per-scan extraction context. Owned by the scan; one thread at a time. */
struct dlp_xctx {
	const struct dlp_mem *mem;
	const struct dlp_limits *lim;
	struct dlp_charset *cs;
	struct dlp_sniffer *sniff; /* created on first use; may be NULL */
	const struct dlp_sink *sink;
};

void dlp_sniffer_free(struct dlp_sniffer *s);

/*
 * Identify and dispatch one object. name (may be NULL) is its file name,
 * declared_type (may be NULL) the MIME type its container claimed; a
 * disagreement with the real type is reported as a "type-mismatch"
 * finding. Objects of a type no stage reads are reported unscanned
 * ("unsupported") unless they are known inert types (images are counted).
 */
enum dlp_status dlp_extract_object(struct dlp_xctx *x, const char *where,
    const char *name, const char *declared_type, const uint8_t *data,
    size_t len, unsigned depth);

/*
 * How many bytes an object of len bytes inside the message may expand
 * to: the expansion ratio (with archive.c's 1 MiB floor), the per-entry
 * limit and what is left of the message budget, the smallest of them.
 * *detail names the limit that gives it (NULL: none applies).
 */
size_t dlp_expand_cap(
    const struct dlp_xctx *x, size_t len, const char **detail);

/*
 * Inflate the zlib stream p[0..len) into out (reset first, NUL-ended),
 * at most cap bytes (from dlp_expand_cap, whose *detail is capdetail).
 * A stream whose input ends before its end: complete when decl (the
 * size its container declared, 0: unknown) is reached, or, with
 * partial_ok, when anything was inflated (PDF writers truncate it).
 * *why is NULL, "limit" (*detail = capdetail), "malformed" (*detail =
 * what) or "unsupported". Returns DLP_ERR_NOMEM or DLP_OK. The budget is
 * not charged here.
 */
enum dlp_status dlp_inflate(const struct dlp_xctx *x, const uint8_t *p,
    size_t len, size_t cap, const char *capdetail, size_t decl, bool partial_ok,
    const char *what, struct dlp_buf *out, const char **why,
    const char **detail);

/*
 * Poppler's global state, held for as long as the caller keeps the
 * result (extract_pdf.c says why). NULL when poppler cannot start: PDFs
 * are still read, only slower. Safe to share between threads.
 */
struct dlp_pdf_keep;
struct dlp_pdf_keep *dlp_pdf_keep_new(void);
void dlp_pdf_keep_free(struct dlp_pdf_keep *k);

/* Stage entry points, each in its own file. */
enum dlp_status dlp_extract_archive(struct dlp_xctx *x, const char *where,
    const uint8_t *data, size_t len, unsigned depth);
enum dlp_status dlp_extract_ooxml(struct dlp_xctx *x, const char *where,
    const uint8_t *data, size_t len, unsigned depth);
enum dlp_status dlp_extract_odf(struct dlp_xctx *x, const char *where,
    const uint8_t *data, size_t len, unsigned depth);
enum dlp_status dlp_extract_rtf(struct dlp_xctx *x, const char *where,
    const uint8_t *data, size_t len, unsigned depth);
enum dlp_status dlp_extract_pdf(struct dlp_xctx *x, const char *where,
    const uint8_t *data, size_t len, unsigned depth);
enum dlp_status dlp_extract_ole(struct dlp_xctx *x, const char *where,
    const uint8_t *data, size_t len, unsigned depth);
enum dlp_status dlp_extract_tnef(struct dlp_xctx *x, const char *where,
    const uint8_t *data, size_t len, unsigned depth);
enum dlp_status dlp_extract_message(struct dlp_xctx *x, const char *where,
    const uint8_t *data, size_t len, unsigned depth);

#endif /* DLP_EXTRACT_H */
