/*
 * util.c - small utilities for dlpd: a growable string builder that
 * remembers allocation failure, JSON string escaping, a monotonic clock,
 * constant-time comparison, reading a token file, and logging to stderr
 * or syslog.
 *
 * Trust: strings given to dlp_sb_json_str() may hold any bytes; control
 * bytes are escaped so a log or reply line cannot be split.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "dlpd.h"

void
dlp_sb_init(struct dlp_sb *b)
{
	b->p = NULL;
	b->len = 0;
	b->cap = 0;
	b->oom = false;
}

void
dlp_sb_fini(struct dlp_sb *b)
{
	free(b->p);
	dlp_sb_init(b);
}

static bool
sb_reserve(struct dlp_sb *b, size_t n)
{
	size_t need, cap;
	char *p;

	if (b->oom)
		return false;
	if (__builtin_add_overflow(b->len, n, &need) ||
	    __builtin_add_overflow(need, 1, &need)) {
		b->oom = true;
		return false;
	}
	if (need <= b->cap)
		return true;
	cap = b->cap ? b->cap : 256;
	while (cap < need) {
		if (__builtin_mul_overflow(cap, 2, &cap)) {
			cap = need;
			break;
		}
	}
	if ((p = realloc(b->p, cap)) == NULL) {
		b->oom = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

void
dlp_sb_reserve(struct dlp_sb *b, size_t n)
{
	(void)sb_reserve(b, n);
}

void
dlp_sb_append(struct dlp_sb *b, const void *p, size_t n)
{
	if (!sb_reserve(b, n))
		return;
	if (n > 0)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
dlp_sb_puts(struct dlp_sb *b, const char *s)
{
	dlp_sb_append(b, s, strlen(s));
}

void
dlp_sb_printf(struct dlp_sb *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = true;
		return;
	}
	if (!sb_reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
dlp_sb_json_str(struct dlp_sb *b, const char *s)
{
	const unsigned char *u = (const unsigned char *)(s ? s : "");

	dlp_sb_append(b, "\"", 1);
	for (; *u != '\0'; u++) {
		switch (*u) {
		case '"':
			dlp_sb_append(b, "\\\"", 2);
			break;
		case '\\':
			dlp_sb_append(b, "\\\\", 2);
			break;
		case '\n':
			dlp_sb_append(b, "\\n", 2);
			break;
		case '\r':
			dlp_sb_append(b, "\\r", 2);
			break;
		case '\t':
			dlp_sb_append(b, "\\t", 2);
			break;
		default:
			if (*u < 0x20 || *u == 0x7f)
				dlp_sb_printf(b, "\\u%04x", *u);
			else
				dlp_sb_append(b, u, 1);
		}
	}
	dlp_sb_append(b, "\"", 1);
}

char *
dlp_sb_take(struct dlp_sb *b, size_t *len)
{
	char *p;

	if (b->oom) {
		dlp_sb_fini(b);
		return NULL;
	}
	if (b->p == NULL && !sb_reserve(b, 0))
		return NULL;
	if (b->p != NULL)
		b->p[b->len] = '\0';
	p = b->p;
	if (len != NULL)
		*len = b->len;
	dlp_sb_init(b);
	return p;
}

uint64_t
dlp_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

bool
dlp_ct_equal(const char *a, size_t alen, const char *b, size_t blen)
{
	unsigned char d = (unsigned char)(alen != blen);
	size_t i;

	/* Touch every byte of a whatever b is, so timing says nothing. */
	for (i = 0; i < alen; i++)
		d |= (unsigned char)(a[i] ^ (i < blen ? b[i] : 0));
	return d == 0;
}

char *
dlp_read_small_file(const char *path, size_t max)
{
	char *buf = NULL;
	size_t len = 0;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	if ((buf = malloc(max + 1)) == NULL)
		goto fail;
	while (len < max) {
		n = read(fd, buf + len, max - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len == max) /* too long to be a token */
		goto fail;
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' ||
	                      buf[len - 1] == ' ' || buf[len - 1] == '\t'))
		len--;
	buf[len] = '\0';
	close(fd);
	return buf;
fail:
	free(buf);
	close(fd);
	return NULL;
}

/* Logging: set once at start-up, before any thread exists. */
static bool log_to_syslog;
static bool log_debug;

void
dlp_log_open(bool use_syslog, bool debug)
{
	log_to_syslog = use_syslog;
	log_debug = debug;
	if (use_syslog)
		openlog("dlpd", LOG_PID | LOG_NDELAY, LOG_MAIL);
}

void
dlp_log(int level, const char *fmt, ...)
{
	static const char *const names[8] = {"emerg", "alert", "crit", "error",
	    "warning", "notice", "info", "debug"};
	char line[1024];
	va_list ap;

	if (level >= DLP_LOG_DEBUG && !log_debug)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (log_to_syslog) {
		syslog(level, "%s", line);
		return;
	}
	fprintf(stderr, "dlpd: %s: %s\n", names[level & 7], line);
}

void
dlp_reply_text(const char *in, char *out, size_t outlen, bool double_pct)
{
	const unsigned char *u = (const unsigned char *)(in ? in : "");
	size_t n = 0;

	if (outlen == 0)
		return;
	for (; *u != '\0' && n + 1 < outlen; u++) {
		if (*u == '%' && double_pct) {
			if (n + 2 >= outlen)
				break;
			out[n++] = '%';
			out[n++] = '%';
			continue;
		}
		out[n++] = (*u >= 0x20 && *u < 0x7f) ? (char)*u : '?';
	}
	out[n] = '\0';
}
