/*
 * pdfobj.h - a bounded reader of raw PDF objects, for what poppler-glib
 * does not expose (XFA form data, document JavaScript) and for files
 * poppler cannot open. pdfobj.c says what it trusts and its limits.
 *
 * Values are spans of the bytes they were read from (the file, or an
 * object stream inflated by the reader): nothing is copied until a string
 * or a stream is decoded. A struct pdf_doc owns the inflated object
 * streams; values read from it live as long as the document.
 */
#ifndef DLP_PDFOBJ_H
#define DLP_PDFOBJ_H

#include "extract.h"

#define PDF_MAX_OBJECTS 200000 /* objects indexed, files and streams */
#define PDF_MAX_DEPTH   32     /* nesting of arrays and dictionaries */
#define PDF_MAX_OBJSTMS 4096   /* object streams opened */
#define PDF_MAX_HOPS    16     /* references followed for one value */
#define PDF_MAX_PAGES   2000   /* pages read, by poppler and by pdf_text.c */

enum pdf_type {
	PDF_NONE, /* absent, or not a value (a stray keyword) */
	PDF_NULL,
	PDF_BOOL,
	PDF_NUM, /* integer or real; i holds the integer part */
	PDF_NAME,
	PDF_STRING, /* literal (...) or hexadecimal <...> */
	PDF_ARRAY,
	PDF_DICT,
	PDF_REF
};

struct pdf_val {
	enum pdf_type type;
	const uint8_t *p; /* the value's bytes, delimiters included */
	size_t len;
	int64_t i;    /* PDF_NUM (saturated), PDF_BOOL (0/1) */
	uint32_t num; /* PDF_REF object number */
	size_t entry; /* pdf_get/pdf_resolve: index of the object read */
	bool real;    /* PDF_NUM had a fraction */
};

struct pdf_ent {
	uint32_t num;
	uint32_t src; /* 0: the file; k: object stream buffer k - 1 */
	size_t off;   /* value start in its source */
	size_t end;   /* end of the value (of the stream data if any) */
	size_t sdata; /* stream data offset in the file; SIZE_MAX if none */
	size_t slen;  /* stream data length */
	size_t order; /* file offset of the definition: the latest wins */
};

struct pdf_doc {
	struct dlp_xctx *x;
	const uint8_t *data;
	size_t len;
	struct pdf_ent *ent; /* the first nsorted sorted by (num, order) */
	size_t n, cap, nsorted;
	struct dlp_buf *stm; /* inflated object streams */
	size_t nstm;
	/* the first limit met while reading, for the caller to report */
	const char *why, *detail;
	/* the first object stream that could not be decoded (malformed, or
	 * a filter other than Flate): its objects are unread, so the caller
	 * reports it too; the other streams are still opened */
	const char *stm_why, *stm_detail;
};

/*
 * Index the objects of data[0..len) (borrowed for the document's life)
 * and open its object streams. Limits met are left in d->why/d->detail
 * ("limit") and what was read before stays usable; an object stream that
 * does not decode is left in d->stm_why/d->stm_detail. Returns DLP_OK or
 * DLP_ERR_NOMEM; pdf_doc_close() is needed in both cases.
 */
enum dlp_status pdf_doc_open(
    struct pdf_doc *d, struct dlp_xctx *x, const uint8_t *data, size_t len);
void pdf_doc_close(struct pdf_doc *d);

/* The current (latest) definition of entry i, or false if superseded. */
bool pdf_entry_current(const struct pdf_doc *d, size_t i);

/* The value of entry i. */
bool pdf_entry_val(const struct pdf_doc *d, size_t i, struct pdf_val *v);

/* The value at offset off of the file (not of an object). */
bool pdf_value_at(const struct pdf_doc *d, size_t off, struct pdf_val *v);

/* Follow references (at most PDF_MAX_HOPS); false if none resolves. */
bool pdf_resolve(
    const struct pdf_doc *d, const struct pdf_val *in, struct pdf_val *out);

/* dict's value for key (no '/'), resolved; false when absent. */
bool pdf_dict_get(const struct pdf_doc *d, const struct pdf_val *dict,
    const char *key, struct pdf_val *out);

/*
 * The next token of p[0..end) (content streams, CMaps): a value, or an
 * operator as PDF_NONE spanning its bytes; *pp is moved past it. false at
 * the end, or at a stray closing delimiter (which *pp then skips).
 */
bool pdf_lex(const uint8_t **pp, const uint8_t *end, struct pdf_val *v);

/* Is v the name /name (no '/' in name)? */
bool pdf_is_name(const struct pdf_val *v, const char *name);

/*
 * Iterate the elements of an array or the keys and values of a dictionary
 * (alternately): pdf_iter_init, then pdf_iter_next until false. Values are
 * not resolved.
 */
struct pdf_iter {
	const uint8_t *p, *end;
	size_t entry;
};
void pdf_iter_init(struct pdf_iter *it, const struct pdf_val *v);
bool pdf_iter_next(struct pdf_iter *it, struct pdf_val *v);

/*
 * Append a string's text to out as UTF-8: literal escapes and hex digits
 * decoded, UTF-16BE (with its BOM) and UTF-8 (with its BOM) converted,
 * other bytes read as PDFDocEncoding. Returns false on memory exhaustion.
 */
bool pdf_string_text(const struct pdf_val *v, struct dlp_buf *out);

/* Append a string's raw bytes (escapes decoded, no charset conversion). */
bool pdf_string_bytes(const struct pdf_val *v, struct dlp_buf *out);

/*
 * The decoded data of stream v (an object's own value, as pdf_resolve or
 * pdf_entry_val gives it; FlateDecode or no filter),
 * into out (reset first) within the per-entry limit, the expansion ratio
 * and the message budget. *why is NULL on success, or "limit",
 * "malformed" (no stream, broken data) or "unsupported" (another filter),
 * and *detail says which.
 */
enum dlp_status pdf_stream(struct pdf_doc *d, const struct pdf_val *v,
    struct dlp_buf *out, const char **why, const char **detail);

/*
 * Call fn for every dictionary of the current objects, nested ones
 * included (depth first, at most PDF_MAX_DEPTH levels); entry is the index
 * of the object holding it. References are not followed. Stops at the
 * first status other than DLP_OK, which is returned, or at the message
 * deadline (d->why "limit", "scan time").
 */
typedef enum dlp_status (*pdf_dict_fn)(
    void *ctx, struct pdf_doc *d, size_t entry, const struct pdf_val *dict);
enum dlp_status pdf_each_dict(struct pdf_doc *d, pdf_dict_fn fn, void *ctx);

/*
 * XFA form data (pdf_xfa.c): the packets of an AcroForm's /XFA value
 * (one stream, or an array of names and streams) rendered as
 * "caption: value" lines into out. why and detail as for pdf_stream.
 */
enum dlp_status pdf_xfa_text(struct pdf_doc *d, const struct pdf_val *xfa,
    struct dlp_buf *out, const char **why, const char **detail);

#define PDF_TEXT_MAX_OPS   1000000           /* operators interpreted a page */
#define PDF_TEXT_MAX_BYTES ((size_t)1 << 20) /* text bytes a page */
#define PDF_TEXT_MAX_FORMS 8                 /* nesting of form XObjects */

/*
 * Page text in content-stream order (pdf_text.c): for every page of the
 * page tree (in order, at most PDF_MAX_PAGES) that want(ctx, n) accepts
 * (want NULL: all), the text its content streams show, decoded through
 * the fonts, is passed to fn with the page number n (0-based). why and
 * detail name a limit met on that page ("limit") or a stream that could
 * not be decoded; the text before it is still given. The walk stops at
 * the first status other than DLP_OK, which is returned; the page and
 * time limits of the whole walk come back in *why and *detail.
 */
typedef bool (*pdf_want_fn)(void *ctx, size_t page);
typedef enum dlp_status (*pdf_text_fn)(void *ctx, size_t page,
    const uint8_t *text, size_t len, const char *why, const char *detail);
enum dlp_status pdf_page_text(struct pdf_doc *d, pdf_want_fn want,
    pdf_text_fn fn, void *ctx, const char **why, const char **detail);

#endif /* DLP_PDFOBJ_H */
