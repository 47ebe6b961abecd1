/*
 * fuzz_dlpd.c - the dlpd request parsing that sees client bytes: the HTTP
 * envelope headers (dlp_henv_header / _finish), the milter session
 * buffer (dlp_msess_*) and, for the first byte's low bit set, the daemon
 * configuration parser. Input: "Name: value" lines; after an empty line,
 * the body.
 */
#include <stdlib.h>

#include "dlpd.h"
#include "fuzz.h"

/* s is writable and lives until dlp_henv_fini: the envelope points into
 * it, as into libmicrohttpd's connection. */
static void
henv(char *s, size_t len)
{
	struct dlp_henv e;
	struct dlp_msess m;
	char *line = s, *end = s + len;

	memset(&e, 0, sizeof(e));
	e.max_rcpts = 50;
	dlp_msess_init(&m, 1 << 16, 50, 100);
	while (line < end) {
		char *nl = memchr(line, '\n', (size_t)(end - line)), *colon;

		if (nl == NULL)
			nl = end;
		*nl = '\0';
		if (nl == line) {
			line = nl + 1;
			break;
		}
		if ((colon = strchr(line, ':')) != NULL) {
			*colon = '\0';
			FZ_ASSERT(dlp_henv_header(&e, line, colon + 1));
			if (strcmp(line, "Rcpt") == 0)
				(void)dlp_msess_rcpt(&m, colon + 1);
			else if (strcmp(line, "From") == 0)
				(void)dlp_msess_from(&m, colon + 1, NULL);
			else
				(void)dlp_msess_header(&m, line, colon + 1);
		}
		line = nl + 1;
	}
	FZ_ASSERT(dlp_henv_finish(&e));
	FZ_ASSERT(e.nrcpts <= e.max_rcpts);
	for (size_t i = 0; e.rcpts != NULL && i < e.nrcpts; i++)
		FZ_ASSERT(strlen(e.rcpts[i]) < len);
	(void)dlp_msess_eoh(&m);
	if (line < end)
		(void)dlp_msess_body(
		    &m, (const unsigned char *)line, (size_t)(end - line));
	FZ_ASSERT(m.nrcpts <= m.max_rcpts);
	FZ_ASSERT(m.msg.len <= m.max_bytes);
	dlp_msess_fini(&m);
	dlp_henv_fini(&e);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size < 1)
		return 0;
	if ((s = fz_strndup(data + 1, size - 1)) == NULL)
		return 0;
	if (data[0] & 1) {
		struct dlp_dconf c;
		char err[256];

		if (dlp_dconf_init(&c) == 0) {
			if (dlp_dconf_parse(&c, "fuzz.conf", s, size - 1, err,
			        sizeof(err)) == 0)
				(void)dlp_dconf_check(&c, err, sizeof(err));
			dlp_dconf_fini(&c);
		}
	} else {
		henv(s, strlen(s));
	}
	free(s);
	return 0;
}
