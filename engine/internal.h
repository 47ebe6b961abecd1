/*
 * internal.h - what every engine stage shares: the allocator, checked size
 * arithmetic, a growable byte buffer, text scopes and the sink through
 * which a stage hands what it found to the next one.
 *
 * Data flows one way: bytes -> parts -> decoded text with its location
 * ("where") -> normalised text -> matches -> findings -> verdict. A stage
 * never calls a later stage directly; it calls the sink it was given.
 */
#ifndef DLP_INTERNAL_H
#define DLP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dlp.h"

#define DLP_NITEMS(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define DLP_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define DLP_PRINTF(f, a)
#endif

/*
 * The allocator every stage uses (a copy of the caller's dlp_allocator, or
 * libc's). Never NULL inside the engine.
 */
struct dlp_mem {
	struct dlp_allocator a;
};

void dlp_mem_init_default(struct dlp_mem *m);
void *dlp_malloc(const struct dlp_mem *m, size_t n);
void *dlp_calloc(const struct dlp_mem *m, size_t nmemb, size_t size);
void *dlp_realloc(const struct dlp_mem *m, void *p, size_t n);
void dlp_free(const struct dlp_mem *m, void *p);
char *dlp_strdup(const struct dlp_mem *m, const char *s);
char *dlp_strndup(const struct dlp_mem *m, const char *s, size_t n);

/* Checked size arithmetic: false on overflow, *r untouched then. */
static inline bool
dlp_add_ok(size_t a, size_t b, size_t *r)
{
	return !__builtin_add_overflow(a, b, r);
}

static inline bool
dlp_mul_ok(size_t a, size_t b, size_t *r)
{
	return !__builtin_mul_overflow(a, b, r);
}

/*
 * A growable byte buffer. p is always NUL-terminated when cap > 0 (the
 * NUL is not counted in len), so text can be passed to C string functions
 * when it is known to hold no NUL.
 */
struct dlp_buf {
	uint8_t *p;
	size_t len;
	size_t cap;
	const struct dlp_mem *mem;
};

void dlp_buf_init(struct dlp_buf *b, const struct dlp_mem *mem);
void dlp_buf_fini(struct dlp_buf *b);
void dlp_buf_reset(struct dlp_buf *b);
/* Make room for n more bytes (plus the NUL). false on overflow/OOM. */
bool dlp_buf_reserve(struct dlp_buf *b, size_t n);
bool dlp_buf_append(struct dlp_buf *b, const void *p, size_t n);
bool dlp_buf_putc(struct dlp_buf *b, int c);
bool dlp_buf_puts(struct dlp_buf *b, const char *s);
bool dlp_buf_printf(struct dlp_buf *b, const char *fmt, ...) DLP_PRINTF(2, 3);
/* Append the UTF-8 encoding of code point cp (U+FFFD when invalid). */
bool dlp_buf_put_utf8(struct dlp_buf *b, uint32_t cp);
/* Detach the contents (NUL-terminated); the buffer is left empty. */
char *dlp_buf_take(struct dlp_buf *b, size_t *len);

/*
 * Where a text came from. Signatures say in which scopes they apply.
 */
#define DLP_SCOPE_SUBJECT    0x01 /* decoded Subject, prefixes stripped */
#define DLP_SCOPE_HEADERS    0x02 /* one unfolded header "Name: value" */
#define DLP_SCOPE_BODY       0x04 /* message body text (plain or HTML) */
#define DLP_SCOPE_ATTACHMENT 0x08 /* text extracted from an attachment */
#define DLP_SCOPE_FILENAME   0x10 /* attachment and archive entry names */
#define DLP_SCOPE_METADATA   0x20 /* document properties, labels, XMP */
#define DLP_SCOPE_ALL        0x3f

/*
 * A where that ends in DLP_WHERE_REREAD is a second reading of the text
 * at the where without it (a PDF page in content-stream order: "page
 * 3/stream" of "page 3"). Policy counts a rule's matches in the two as
 * the larger of the two counts, not their sum, so that reading a page
 * twice does not double a min-count.
 */
#define DLP_WHERE_REREAD "/stream"

/*
 * The sink: how a stage reports what it found. The engine implements it;
 * unit tests implement it to record calls. Every callback returns DLP_OK
 * or an error (DLP_ERR_NOMEM, ...) that the stage must pass back up at
 * once. Strings and bytes are borrowed for the call only.
 *
 * text:      UTF-8 text (it may hold invalid sequences; the matcher copes)
 *            found at where, in scope (one DLP_SCOPE_* bit). header names
 *            the header for DLP_SCOPE_HEADERS, else NULL.
 * unscanned: content that could not be read. why is "encrypted",
 *            "limit", "malformed", "unsupported" or "error".
 * finding:   a fact that is not from text, e.g. a declared type that
 *            disagrees with the real one (rule "type-mismatch").
 * object:    a nested object (attachment, archive member, embedded file)
 *            for the engine to identify and dispatch; depth is the
 *            object's own nesting depth. name may be NULL.
 */
struct dlp_sink {
	void *ctx;
	enum dlp_status (*text)(void *ctx, unsigned scope, const char *where,
	    const char *header, const char *text, size_t len);
	enum dlp_status (*unscanned)(
	    void *ctx, const char *where, const char *why, const char *detail);
	enum dlp_status (*finding)(void *ctx, const char *where,
	    const char *rule, unsigned level, const char *detail);
	enum dlp_status (*object)(void *ctx, const char *where,
	    const char *name, const char *declared_type, const uint8_t *data,
	    size_t len, unsigned depth);
	/* Per-message budget shared by every stage; may be NULL in tests. */
	struct dlp_budget *budget;
};

/*
 * What is left of the per-message limits. Stages charge it before they
 * expand content and report "limit" through the sink when it runs out.
 */
struct dlp_budget {
	size_t expanded_left; /* decoded/unpacked bytes still allowed */
	size_t entries_left;  /* archive entries still allowed */
	size_t parts_left;    /* MIME parts still allowed */
	uint64_t deadline_ns; /* CLOCK_MONOTONIC; 0 = none */
	const struct dlp_limits *limits;
};

/* Monotonic clock in nanoseconds. */
uint64_t dlp_now_ns(void);
/* True when the budget's deadline has passed. */
bool dlp_budget_expired(const struct dlp_budget *b);
/* Take n bytes from the expanded budget; false (nothing taken) if short. */
bool dlp_budget_take(struct dlp_budget *b, size_t n);

/* Case-insensitive ASCII comparisons (locale independent). */
int dlp_strncasecmp(const char *a, const char *b, size_t n);
int dlp_strcasecmp(const char *a, const char *b);
bool dlp_memcaseeq(const void *a, const void *b, size_t n);
static inline int
dlp_tolower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

/* Fill a struct dlp_error (NULL ok) and return st. */
enum dlp_status dlp_error_set(struct dlp_error *err, enum dlp_status st,
    const char *file, unsigned line, unsigned col, const char *fmt, ...)
    DLP_PRINTF(6, 7);

/* Little-endian readers for binary formats; the caller checks that the
 * bytes are there. */
static inline unsigned
dlp_le16(const uint8_t *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static inline uint32_t
dlp_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

#endif /* DLP_INTERNAL_H */
