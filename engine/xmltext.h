/*
 * xmltext.h - a small XML tokenizer for document text (OOXML, ODF), and
 * the zip package walker both formats share.
 *
 * The tokenizer is not a validating parser: it reports start tags (with
 * their raw attribute text), end tags and character data, in one linear
 * pass with bounded nesting depth. Comments, processing instructions and
 * DOCTYPE declarations are skipped (no entity definitions are honoured,
 * so no expansion attacks); CDATA is reported raw; '>' inside quoted
 * attribute values does not end a tag. Character data is reported raw:
 * dlp_xml_put_text() decodes character references into a buffer.
 */
#ifndef DLP_XMLTEXT_H
#define DLP_XMLTEXT_H

#include <string.h>

#include "extract.h"

#define DLP_XML_MAX_DEPTH 256

struct dlp_xml_handler {
	void *ctx;
	/* A start tag; empty is true for <x/>. name is the qualified name. */
	enum dlp_status (*start)(void *ctx, const char *name, size_t nlen,
	    const char *attrs, size_t alen, bool empty);
	/* An end tag (also called after start() for an empty element). */
	enum dlp_status (*end)(void *ctx, const char *name, size_t nlen);
	/* Character data, raw (entities not decoded) unless cdata. */
	enum dlp_status (*text)(
	    void *ctx, const char *p, size_t len, bool cdata);
};

/*
 * Tokenize in[0..len). Returns DLP_OK or the first error a callback
 * returned. *bad is set to NULL, or to "malformed" (truncated markup) or
 * "limit" (nesting deeper than DLP_XML_MAX_DEPTH); tokenizing stops there.
 */
enum dlp_status dlp_xml_parse(const uint8_t *in, size_t len,
    const struct dlp_xml_handler *h, const char **bad);

/* The local part of a qualified name ("w:t" -> "t"). */
const char *dlp_xml_local(const char *name, size_t nlen, size_t *llen);

/*
 * True when the local name of name[0..nlen) is lname. Inline: the
 * extractors ask it many times for every element, and with lname a
 * literal most calls end at the length and last-byte test.
 */
static inline bool
dlp_xml_is(const char *name, size_t nlen, const char *lname)
{
	size_t ll = strlen(lname);

	if (nlen < ll || ll == 0 || name[nlen - 1] != lname[ll - 1] ||
	    memcmp(name + nlen - ll, lname, ll) != 0)
		return false;
	/* "lname" alone, or "prefix:lname" with no other ':' before */
	return nlen == ll || (name[nlen - ll - 1] == ':' &&
	                         memchr(name, ':', nlen - ll - 1) == NULL);
}

/*
 * Iterate attributes: *pos starts at 0; each call yields the next
 * attribute's name and raw value (entities not decoded). false at end.
 */
bool dlp_xml_attr_next(const char *attrs, size_t alen, size_t *pos,
    const char **name, size_t *nlen, const char **val, size_t *vlen);

/* Find attribute by qualified or local name; false when absent. */
bool dlp_xml_attr_get(const char *attrs, size_t alen, const char *name,
    const char **val, size_t *vlen);

/* Append raw character data to out, decoding references unless cdata. */
bool dlp_xml_put_text(
    struct dlp_buf *out, const char *p, size_t len, bool cdata);

/*
 * Zip package walker (OOXML and ODF). For every entry, want(ctx, name)
 * says whether to read it (DLP_PKG_SKIP, DLP_PKG_READ); entries read are
 * inflated into memory within the per-entry limit and the message budget
 * and passed to part(). Unreadable entries (encrypted, corrupt, over a
 * limit) are reported through the sink as where/name; a corrupt
 * directory as where.
 */
#define DLP_PKG_SKIP 0
#define DLP_PKG_READ 1

struct dlp_pkg_handler {
	void *ctx;
	int (*want)(void *ctx, const char *name);
	enum dlp_status (*part)(
	    void *ctx, const char *name, const uint8_t *data, size_t len);
};

enum dlp_status dlp_pkg_walk(struct dlp_xctx *x, const char *where,
    const uint8_t *data, size_t len, const struct dlp_pkg_handler *h);

/* Make "where/name" in b (reset first). false on OOM. */
bool dlp_pkg_where(struct dlp_buf *b, const char *where, const char *name);

#endif /* DLP_XMLTEXT_H */
