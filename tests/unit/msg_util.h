/*
 * msg_util.h - shared by the whole-scan tests (oom, bombs, evasion): an
 * engine on the shipped signatures, messages built in memory (a text
 * body plus base64 attachments), and a scan that returns the result.
 */
#ifndef DLP_MSG_UTIL_H
#define DLP_MSG_UTIL_H

#include "test.h"

#define MU_UNUSED __attribute__((unused))

/* The shipped data directory, an internal domain, the compiled cache, and
 * optionally an allocator and limits (both may be NULL). */
static MU_UNUSED struct dlp_engine *
mu_engine(const struct dlp_allocator *a, const struct dlp_limits *lim)
{
	struct dlp_config *cfg = NULL;
	struct dlp_engine *e = NULL;
	struct dlp_error err;
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s/signatures", test_source_dir());
	if (dlp_config_new_with_allocator(a, &cfg) != DLP_OK)
		return NULL;
	if (dlp_config_set_data_dir(cfg, dir) == DLP_OK &&
	    dlp_config_set_cache_dir(cfg, "/tmp/dlp-test-engine-cache") ==
	        DLP_OK &&
	    dlp_config_add_internal_domain(cfg, "corp.example") == DLP_OK &&
	    (lim == NULL || dlp_config_set_limits(cfg, lim) == DLP_OK))
		(void)dlp_engine_new(cfg, &e, &err);
	dlp_config_free(cfg);
	return e;
}

/* A growable string for building messages (malloc; aborts the test
 * program only on OOM of the test itself). */
struct mu_str {
	char *p;
	size_t len, cap;
};

static MU_UNUSED void
mu_add(struct mu_str *s, const void *p, size_t n)
{
	if (s->len + n + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 4096;

		while (cap < s->len + n + 1)
			cap *= 2;
		if ((s->p = realloc(s->p, cap)) == NULL) {
			fprintf(stderr, "test: out of memory\n");
			exit(2);
		}
		s->cap = cap;
	}
	memcpy(s->p + s->len, p, n);
	s->len += n;
	s->p[s->len] = '\0';
}

static MU_UNUSED void
mu_puts(struct mu_str *s, const char *t)
{
	mu_add(s, t, strlen(t));
}

/* Base64 with 76-column lines. */
static MU_UNUSED void
mu_base64(struct mu_str *s, const unsigned char *p, size_t n)
{
	static const char al[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t col = 0;

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16;
		char q[4];

		if (i + 1 < n)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		q[0] = al[(v >> 18) & 63];
		q[1] = al[(v >> 12) & 63];
		q[2] = i + 1 < n ? al[(v >> 6) & 63] : '=';
		q[3] = i + 2 < n ? al[v & 63] : '=';
		mu_add(s, q, 4);
		if ((col += 4) >= 76) {
			mu_puts(s, "\n");
			col = 0;
		}
	}
	mu_puts(s, "\n");
}

/*
 * A message to x@example.org (unknown recipient: level 2 holds, 3 and
 * above block) with a plain body and, when data is not NULL, one base64
 * attachment called name of declared type.
 */
static MU_UNUSED char *
mu_message(const char *body, const char *name, const char *type,
    const unsigned char *data, size_t len, size_t *outlen)
{
	struct mu_str s = {0};

	mu_puts(&s, "From: a@corp.example\nTo: x@example.org\n"
	            "Subject: report\nMIME-Version: 1.0\n");
	if (data == NULL) {
		mu_puts(&s, "Content-Type: text/plain\n\n");
		mu_puts(&s, body);
	} else {
		mu_puts(&s, "Content-Type: multipart/mixed; boundary=\"b1\"\n\n"
		            "--b1\nContent-Type: text/plain\n\n");
		mu_puts(&s, body);
		mu_puts(&s, "\n--b1\nContent-Type: ");
		mu_puts(&s, type);
		mu_puts(&s, "\nContent-Disposition: attachment; filename=\"");
		mu_puts(&s, name);
		mu_puts(&s, "\"\nContent-Transfer-Encoding: base64\n\n");
		mu_base64(&s, data, len);
		mu_puts(&s, "--b1--\n");
	}
	*outlen = s.len;
	return s.p;
}

/* Scan with the message's own recipients; NULL on error. */
static MU_UNUSED struct dlp_result *
mu_scan(struct dlp_scan *s, const char *msg, size_t len)
{
	struct dlp_envelope env = {0};
	struct dlp_result *r = NULL;

	env.flags = DLP_ENV_RCPTS_FROM_HEADERS;
	if (dlp_scan_message(s, msg, len, &env, &r) != DLP_OK)
		return NULL;
	return r;
}

/* True when some unscanned entry has this why (and detail contains
 * needle, when not NULL). */
static MU_UNUSED int
mu_unscanned(const struct dlp_result *r, const char *why, const char *needle)
{
	for (size_t i = 0; i < dlp_result_nunscanned(r); i++) {
		const struct dlp_unscanned *u = dlp_result_unscanned(r, i);

		if (strcmp(u->why, why) == 0 &&
		    (needle == NULL || strstr(u->detail, needle) != NULL ||
		        strstr(u->where, needle) != NULL))
			return 1;
	}
	return 0;
}

/*
 * A one-page PDF showing text. claim is the object count the xref
 * section and trailer claim (0 = the true count): a liar's xref.
 */
static MU_UNUSED unsigned char *
mu_pdf(const char *text, unsigned long claim, size_t *outlen)
{
	struct mu_str s = {0};
	size_t off[6], xref;
	char buf[512];

	mu_puts(&s, "%PDF-1.4\n");
	off[1] = s.len;
	mu_puts(&s, "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n");
	off[2] = s.len;
	mu_puts(&s, "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> "
	            "endobj\n");
	off[3] = s.len;
	mu_puts(&s, "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 "
	            "792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> "
	            ">> >> endobj\n");
	off[4] = s.len;
	snprintf(buf, sizeof(buf), "BT /F1 12 Tf 72 712 Td (%s) Tj ET", text);
	{
		char head[64];

		snprintf(head, sizeof(head),
		    "4 0 obj << /Length %zu >> stream\n", strlen(buf));
		mu_puts(&s, head);
	}
	mu_puts(&s, buf);
	mu_puts(&s, "\nendstream endobj\n");
	off[5] = s.len;
	mu_puts(&s, "5 0 obj << /Type /Font /Subtype /Type1 /BaseFont "
	            "/Helvetica >> endobj\n");
	xref = s.len;
	snprintf(buf, sizeof(buf), "xref\n0 %lu\n0000000000 65535 f \n",
	    claim ? claim : 6ul);
	mu_puts(&s, buf);
	for (int i = 1; i <= 5; i++) {
		snprintf(buf, sizeof(buf), "%010zu 00000 n \n", off[i]);
		mu_puts(&s, buf);
	}
	snprintf(buf, sizeof(buf),
	    "trailer << /Size %lu /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
	    claim ? claim : 6ul, xref);
	mu_puts(&s, buf);
	*outlen = s.len;
	return (unsigned char *)s.p;
}

#endif /* DLP_MSG_UTIL_H */
