/*
 * mime_int.h - the MIME part tree shared by the parser (mime.c) and the
 * walker (mime_emit.c). Private to those two files and to tests.
 *
 * Parts are stored in document (depth-first) order: a part's children
 * follow it, and its subtree ends at the first later part whose depth is
 * not greater than its own. Spans point into the caller's message.
 */
#ifndef DLP_MIME_INT_H
#define DLP_MIME_INT_H

#include "mime.h"

/*
 * At most this many header fields (and stray header-block lines) are kept
 * per message, so the header table stays bounded (about 4 MB) whatever
 * the input; the rest are reported unscanned ("limit").
 */
#define DLP_MIME_MAX_FIELDS 100000

/* One header field. name/val point into msg, or val into own (unfolded). */
struct dlp_mhdr {
	const uint8_t *name;
	size_t nlen;
	const uint8_t *val;
	size_t vlen;
	uint8_t *own;
};

#define DLP_MP_MULTI    0x01 /* a multipart whose children follow it */
#define DLP_MP_LIMIT    0x02 /* not expanded: depth or part limit */
#define DLP_MP_NOBOUND  0x04 /* multipart without boundary: read as text */
#define DLP_MP_DIGEST   0x08 /* multipart/digest: children default rfc822 */
#define DLP_MP_NOHEADER 0x10 /* top level had no header block at all */

struct dlp_mpart {
	size_t parent; /* index, SIZE_MAX for the root */
	unsigned depth;
	unsigned sib; /* 1-based position among its siblings */
	unsigned flags;
	size_t nchild;
	size_t hfirst, nhdr; /* range in dlp_mime.hdrs */
	const uint8_t *body; /* leaf: content; multipart: preamble */
	size_t blen;
	char type[24]; /* lower case, truncated */
	char sub[48];
};

/* A repair or limit that loses content, reported by emit as unscanned. */
struct dlp_mnote {
	size_t part;
	const char *why; /* "limit" or "malformed" */
	char detail[120];
};

struct dlp_mime {
	const struct dlp_mem *mem;
	const struct dlp_limits *lim;
	const uint8_t *msg;
	size_t len;
	struct dlp_mhdr *hdrs;
	size_t nhdrs, hcap;
	struct dlp_mpart *parts;
	size_t nparts, pcap;
	struct dlp_mnote *notes;
	size_t nnotes, ncap;
	/* Boundary stack while parsing. */
	struct {
		uint8_t *b;
		size_t len;
	} * bs;
	size_t nbs, bscap;
	bool stopped;     /* part limit hit: the rest was not parsed */
	bool fields_full; /* DLP_MIME_MAX_FIELDS reached (noted once) */
};

/* The value of part p's first header called name, or NULL. */
const struct dlp_mhdr *dlp_mime_part_header(
    const struct dlp_mime *m, size_t p, const char *name);

/*
 * Parameter name of a structured header value (Content-Type,
 * Content-Disposition): RFC 2045 quoting and RFC 2231 continuations
 * ("name*0*=", "name*1=") and charsets ("utf-8''%E2%82%AC"), converted to
 * UTF-8 (through cs, which may be NULL) when a charset is given. Appends
 * the value to out.
 * Returns 1 when found, 0 when not, -1 on memory exhaustion.
 */
int dlp_mime_param(const struct dlp_mem *mem, struct dlp_charset *cs,
    const uint8_t *val, size_t vlen, const char *name, struct dlp_buf *out);

/* The first token of a header value, lower-cased, into buf (truncated). */
void dlp_mime_token(const uint8_t *val, size_t vlen, char *buf, size_t size);

#endif /* DLP_MIME_INT_H */
