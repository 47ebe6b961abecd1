/*
 * util.c - allocator, byte buffer, clock, budget and small string helpers
 * shared by every stage.
 *
 * Trust: none needed; callers pass sizes derived from hostile input, so
 * every size computation here is checked and fails rather than wraps.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

static void *
libc_malloc(void *ctx, size_t n)
{
	(void)ctx;
	return malloc(n);
}

static void *
libc_realloc(void *ctx, void *p, size_t n)
{
	(void)ctx;
	return realloc(p, n);
}

static void
libc_free(void *ctx, void *p)
{
	(void)ctx;
	free(p);
}

void
dlp_mem_init_default(struct dlp_mem *m)
{
	m->a.malloc_fn = libc_malloc;
	m->a.realloc_fn = libc_realloc;
	m->a.free_fn = libc_free;
	m->a.ctx = NULL;
}

void *
dlp_malloc(const struct dlp_mem *m, size_t n)
{
	return m->a.malloc_fn(m->a.ctx, n == 0 ? 1 : n);
}

void *
dlp_calloc(const struct dlp_mem *m, size_t nmemb, size_t size)
{
	size_t n;
	void *p;

	if (!dlp_mul_ok(nmemb, size, &n))
		return NULL;
	if ((p = dlp_malloc(m, n)) != NULL)
		memset(p, 0, n);
	return p;
}

void *
dlp_realloc(const struct dlp_mem *m, void *p, size_t n)
{
	return m->a.realloc_fn(m->a.ctx, p, n == 0 ? 1 : n);
}

void
dlp_free(const struct dlp_mem *m, void *p)
{
	if (p != NULL)
		m->a.free_fn(m->a.ctx, p);
}

char *
dlp_strndup(const struct dlp_mem *m, const char *s, size_t n)
{
	char *d;
	size_t sz;

	if (!dlp_add_ok(n, 1, &sz) || (d = dlp_malloc(m, sz)) == NULL)
		return NULL;
	if (n > 0)
		memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *
dlp_strdup(const struct dlp_mem *m, const char *s)
{
	return dlp_strndup(m, s, strlen(s));
}

void
dlp_buf_init(struct dlp_buf *b, const struct dlp_mem *mem)
{
	b->p = NULL;
	b->len = 0;
	b->cap = 0;
	b->mem = mem;
}

void
dlp_buf_fini(struct dlp_buf *b)
{
	dlp_free(b->mem, b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

void
dlp_buf_reset(struct dlp_buf *b)
{
	b->len = 0;
	if (b->cap > 0)
		b->p[0] = '\0';
}

bool
dlp_buf_reserve(struct dlp_buf *b, size_t n)
{
	size_t need, ncap;
	uint8_t *np;

	/* need = len + n + 1 for the NUL, all checked. */
	if (!dlp_add_ok(b->len, n, &need) || !dlp_add_ok(need, 1, &need))
		return false;
	if (need <= b->cap)
		return true;
	ncap = b->cap < 64 ? 64 : b->cap;
	while (ncap < need) {
		if (!dlp_mul_ok(ncap, 2, &ncap))
			return false;
	}
	if ((np = dlp_realloc(b->mem, b->p, ncap)) == NULL)
		return false;
	b->p = np;
	b->cap = ncap;
	return true;
}

bool
dlp_buf_append(struct dlp_buf *b, const void *p, size_t n)
{
	if (!dlp_buf_reserve(b, n))
		return false;
	if (n > 0)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
	return true;
}

bool
dlp_buf_putc(struct dlp_buf *b, int c)
{
	uint8_t ch = (uint8_t)c;

	return dlp_buf_append(b, &ch, 1);
}

bool
dlp_buf_puts(struct dlp_buf *b, const char *s)
{
	return dlp_buf_append(b, s, strlen(s));
}

bool
dlp_buf_printf(struct dlp_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !dlp_buf_reserve(b, (size_t)n))
		return false;
	va_start(ap, fmt);
	(void)vsnprintf((char *)b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return true;
}

bool
dlp_buf_put_utf8(struct dlp_buf *b, uint32_t cp)
{
	uint8_t u[4];
	size_t n;

	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	if (cp < 0x80) {
		u[0] = (uint8_t)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (uint8_t)(0xc0 | cp >> 6);
		u[1] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (uint8_t)(0xe0 | cp >> 12);
		u[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (uint8_t)(0xf0 | cp >> 18);
		u[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return dlp_buf_append(b, u, n);
}

char *
dlp_buf_take(struct dlp_buf *b, size_t *len)
{
	char *p;

	if (b->p == NULL && !dlp_buf_reserve(b, 0))
		return NULL;
	p = (char *)b->p;
	if (len != NULL)
		*len = b->len;
	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}

uint64_t
dlp_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

bool
dlp_budget_expired(const struct dlp_budget *b)
{
	return b != NULL && b->deadline_ns != 0 &&
	       dlp_now_ns() > b->deadline_ns;
}

bool
dlp_budget_take(struct dlp_budget *b, size_t n)
{
	if (b == NULL)
		return true;
	if (n > b->expanded_left)
		return false;
	b->expanded_left -= n;
	return true;
}

int
dlp_strncasecmp(const char *a, const char *b, size_t n)
{
	for (; n > 0; a++, b++, n--) {
		int ca = dlp_tolower((unsigned char)*a);
		int cb = dlp_tolower((unsigned char)*b);

		if (ca != cb)
			return ca - cb;
		if (ca == 0)
			break;
	}
	return 0;
}

int
dlp_strcasecmp(const char *a, const char *b)
{
	return dlp_strncasecmp(a, b, (size_t)-1);
}

bool
dlp_memcaseeq(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (size_t i = 0; i < n; i++)
		if (dlp_tolower(x[i]) != dlp_tolower(y[i]))
			return false;
	return true;
}

enum dlp_status
dlp_error_set(struct dlp_error *err, enum dlp_status st, const char *file,
    unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return st;
	err->status = st;
	err->line = line;
	err->column = col;
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return st;
}
