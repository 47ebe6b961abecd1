/*
 * extract_ole.h - functions of the OLE2 extractor shared between its
 * files (extract_ole.c, extract_doc.c, extract_xls.c) and with the RTF
 * extractor (packaged objects).
 */
#ifndef DLP_EXTRACT_OLE_H
#define DLP_EXTRACT_OLE_H

#include "internal.h"

/*
 * Parse an OLE Packager payload (the native data of a "Package" object:
 * u16 2, label, path, temp path, then the file): on success *name gets the
 * label (NUL-terminated, truncated to nsize) and *file, *flen the packaged
 * file's bytes (pointing into p). false when p is not such a payload.
 */
bool dlp_ole_package(const uint8_t *p, size_t len, char *name, size_t nsize,
    const uint8_t **file, size_t *flen);

/* A Windows-1252 byte as a Unicode code point. */
uint32_t dlp_ole_cp1252(uint8_t b);

/*
 * Append the text of an Excel Workbook stream (BIFF5/7/8) to out. *why
 * is set to NULL, or to "encrypted" (FILEPASS: the walk stops there) or
 * "malformed" (a record runs past the end). false only on memory
 * exhaustion.
 */
bool dlp_ole_biff_text(
    const uint8_t *p, size_t len, struct dlp_buf *out, const char **why);

/*
 * Append the drawing group of an Excel Workbook stream (MSODRAWINGGROUP
 * and its CONTINUE records: an OfficeArt DggContainer) to out. false only
 * on memory exhaustion.
 */
bool dlp_ole_biff_drawing_group(
    const uint8_t *p, size_t len, struct dlp_buf *out);

/*
 * Append the text of a Word document's piece table to out, with list
 * numbers: doc is the WordDocument stream, tbl the table stream, fclcb
 * the FIB's FibRgFcLcb (npairs fc/lcb pairs, all within doc). false (with
 * *nomem false) when the CLX does not check out; the caller then uses
 * dlp_ole_word_runs(). *nomem is set on memory exhaustion.
 */
bool dlp_ole_word_pieces(const uint8_t *doc, size_t dlen, const uint8_t *tbl,
    size_t tlen, const uint8_t *fclcb, size_t npairs, struct dlp_buf *out,
    bool *nomem);

/* UTF-16LE and 8-bit runs of printable text in p. false only on OOM. */
bool dlp_ole_word_runs(const uint8_t *p, size_t len, struct dlp_buf *out);

#endif /* DLP_EXTRACT_OLE_H */
