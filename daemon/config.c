/*
 * config.c - the dlpd configuration file: "key = value" lines, '#'
 * comments, blank lines ignored. Every key is in the table below with
 * its type and default; docs/dlpd.md documents them. Unknown keys and
 * bad values are errors naming the file and line, so a typo never turns
 * a protection off silently.
 *
 * Trust: the file is written by the administrator; it is still parsed
 * strictly (line length, numeric ranges).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dlpd.h"

enum ktype { K_STR, K_BOOL, K_UINT, K_SIZE, K_MODE, K_FAIL };

struct key {
	const char *name;
	enum ktype type;
	size_t off;
	const char *def;
	unsigned long long min, max; /* K_UINT, K_SIZE */
};

#define OFF(f) offsetof(struct dlp_dconf, f)

static const struct key keys[] = {
    {"data_dir", K_STR, OFF(data_dir), "", 0, 0},
    {"engine_config", K_STR, OFF(engine_config), "", 0, 0},
    {"cache_dir", K_STR, OFF(cache_dir), "", 0, 0},
    {"http_socket", K_STR, OFF(http_socket), "/run/dlpscan/scan.sock", 0, 0},
    {"http_tcp", K_STR, OFF(http_tcp), "", 0, 0},
    {"http_token_file", K_STR, OFF(http_token_file), "", 0, 0},
    {"allow_remote", K_BOOL, OFF(allow_remote), "no", 0, 0},
    {"milter_socket", K_STR, OFF(milter_socket),
        "unix:/run/dlpscan/milter.sock", 0, 0},
    {"socket_mode", K_MODE, OFF(socket_mode), "0660", 0, 0777},
    {"socket_group", K_STR, OFF(socket_group), "", 0, 0},
    {"workers", K_UINT, OFF(workers), "4", 1, 256},
    {"queue_size", K_UINT, OFF(queue_size), "64", 0, 100000},
    {"max_message_bytes", K_SIZE, OFF(max_message_bytes), "52428800", 1024,
        1ull << 32},
    {"max_rcpts", K_SIZE, OFF(max_rcpts), "1000", 1, 100000},
    {"max_headers", K_SIZE, OFF(max_headers), "1000", 8, 100000},
    {"max_header_bytes", K_SIZE, OFF(max_header_bytes), "65536", 4096,
        16u << 20},
    {"max_connections", K_UINT, OFF(max_connections), "64", 1, 10000},
    {"http_timeout", K_UINT, OFF(http_timeout), "60", 1, 3600},
    {"request_timeout", K_UINT, OFF(request_timeout), "120", 1, 3600},
    {"scan_timeout", K_UINT, OFF(scan_timeout), "60", 1, 3600},
    {"milter_timeout", K_UINT, OFF(milter_timeout), "310", 1, 7210},
    {"retry_after", K_UINT, OFF(retry_after), "5", 1, 3600},
    {"on_error", K_FAIL, OFF(on_error), "hold", 0, 0},
    {"on_overload", K_FAIL, OFF(on_overload), "tempfail", 0, 0},
    {"on_oversize", K_FAIL, OFF(on_oversize), "hold", 0, 0},
    {"audit_log", K_STR, OFF(audit_log), "", 0, 0},
    {"log", K_BOOL, OFF(log_syslog), "stderr", 0, 0},
    {"log_debug", K_BOOL, OFF(log_debug), "no", 0, 0},
    {"user", K_STR, OFF(user), "dlpd", 0, 0},
    {"scan_delay_ms", K_UINT, OFF(scan_delay_ms), "0", 0, 60000},
};

static const struct key *
find_key(const char *name)
{
	size_t i;

	for (i = 0; i < DLPD_NITEMS(keys); i++)
		if (strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

static int
parse_bool(const char *name, const char *v, bool *out)
{
	static const char *const yes[] = {"yes", "true", "on", "1"};
	static const char *const no[] = {"no", "false", "off", "0"};
	size_t i;

	if (strcmp(name, "log") == 0) { /* log = stderr | syslog */
		if (strcmp(v, "syslog") == 0)
			return *out = true, 0;
		if (strcmp(v, "stderr") == 0)
			return *out = false, 0;
		return -1;
	}
	for (i = 0; i < DLPD_NITEMS(yes); i++) {
		if (strcmp(v, yes[i]) == 0)
			return *out = true, 0;
		if (strcmp(v, no[i]) == 0)
			return *out = false, 0;
	}
	return -1;
}

/* Decimal (or octal with base 8), with an optional k/M/G for sizes. */
static int
parse_num(const char *v, int base, bool suffix, unsigned long long *out)
{
	unsigned long long n, mul = 1;
	char *end;

	if (!isdigit((unsigned char)v[0]))
		return -1;
	errno = 0;
	n = strtoull(v, &end, base);
	if (errno != 0)
		return -1;
	if (suffix && *end != '\0' && end[1] == '\0') {
		switch (*end) {
		case 'k':
		case 'K':
			mul = 1024;
			break;
		case 'm':
		case 'M':
			mul = 1024 * 1024;
			break;
		case 'g':
		case 'G':
			mul = 1024 * 1024 * 1024;
			break;
		default:
			return -1;
		}
		end++;
	}
	if (*end != '\0' || __builtin_mul_overflow(n, mul, &n))
		return -1;
	*out = n;
	return 0;
}

int
dlp_dconf_set(struct dlp_dconf *c, const char *name, const char *v, char *err,
    size_t errlen)
{
	const struct key *k = find_key(name);
	char *base = (char *)c;
	unsigned long long n;
	char *s;

	if (k == NULL) {
		snprintf(err, errlen, "unknown key \"%s\"", name);
		return -1;
	}
	switch (k->type) {
	case K_STR:
		if ((s = strdup(v)) == NULL) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		free(*(char **)(base + k->off));
		*(char **)(base + k->off) = s;
		return 0;
	case K_BOOL:
		if (parse_bool(name, v, (bool *)(base + k->off)) != 0)
			goto bad;
		return 0;
	case K_FAIL:
		if (strcmp(v, "hold") == 0)
			*(enum dlp_dfail *)(base + k->off) = DLP_DFAIL_HOLD;
		else if (strcmp(v, "tempfail") == 0)
			*(enum dlp_dfail *)(base + k->off) = DLP_DFAIL_TEMPFAIL;
		else
			goto bad;
		return 0;
	case K_MODE:
	case K_UINT:
	case K_SIZE:
		if (parse_num(v, k->type == K_MODE ? 8 : 10, k->type == K_SIZE,
		        &n) != 0 ||
		    n < k->min || n > k->max)
			goto bad;
		if (k->type == K_SIZE)
			*(size_t *)(base + k->off) = (size_t)n;
		else
			*(unsigned *)(base + k->off) = (unsigned)n;
		return 0;
	}
bad:
	if (k->type == K_UINT || k->type == K_SIZE)
		snprintf(err, errlen,
		    "bad value \"%s\" for %s (want %llu..%llu)", v, name,
		    k->min, k->max);
	else
		snprintf(err, errlen, "bad value \"%s\" for %s", v, name);
	return -1;
}

int
dlp_dconf_init(struct dlp_dconf *c)
{
	char err[256];
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < DLPD_NITEMS(keys); i++)
		if (dlp_dconf_set(
		        c, keys[i].name, keys[i].def, err, sizeof(err)) != 0)
			return -1;
	return 0;
}

void
dlp_dconf_fini(struct dlp_dconf *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < DLPD_NITEMS(keys); i++)
		if (keys[i].type == K_STR) {
			free(*(char **)((char *)c + keys[i].off));
			*(char **)((char *)c + keys[i].off) = NULL;
		}
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

int
dlp_dconf_parse(struct dlp_dconf *c, const char *name, const char *text,
    size_t len, char *err, size_t errlen)
{
	char line[4096], why[512];
	unsigned lineno = 0;
	size_t pos = 0, n;
	char *key, *val, *eq;

	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);

		n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		lineno++;
		if (n >= sizeof(line)) {
			snprintf(
			    err, errlen, "%s:%u: line too long", name, lineno);
			return -1;
		}
		memcpy(line, text + pos, n);
		line[n] = '\0';
		pos += n + (nl ? 1 : 0);
		if (memchr(line, '\0', n) != NULL) {
			snprintf(err, errlen, "%s:%u: NUL byte", name, lineno);
			return -1;
		}
		key = trim(line);
		if (*key == '\0' || *key == '#')
			continue;
		if ((eq = strchr(key, '=')) == NULL) {
			snprintf(err, errlen, "%s:%u: expected key = value",
			    name, lineno);
			return -1;
		}
		*eq = '\0';
		val = trim(eq + 1);
		key = trim(key);
		if (dlp_dconf_set(c, key, val, why, sizeof(why)) != 0) {
			snprintf(err, errlen, "%s:%u: %s", name, lineno, why);
			return -1;
		}
	}
	return 0;
}

int
dlp_dconf_file_safe(const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if ((st.st_mode & S_IWOTH) != 0) {
		snprintf(err, errlen,
		    "%s: world-writable: refusing it (chmod o-w)", path);
		return -1;
	}
	return 0;
}

int
dlp_dconf_load(struct dlp_dconf *c, const char *path, char *err, size_t errlen)
{
	struct dlp_sb b;
	char chunk[8192];
	size_t n;
	FILE *f;
	int rc = -1;

	dlp_sb_init(&b);
	if (dlp_dconf_file_safe(path, err, errlen) != 0)
		return -1;
	if ((f = fopen(path, "re")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		dlp_sb_append(&b, chunk, n);
		if (b.len > (1u << 20)) {
			snprintf(err, errlen, "%s: file too large", path);
			goto out;
		}
	}
	if (ferror(f) || b.oom) {
		snprintf(err, errlen, "%s: read error", path);
		goto out;
	}
	rc = dlp_dconf_parse(c, path, b.p ? b.p : "", b.len, err, errlen);
out:
	fclose(f);
	dlp_sb_fini(&b);
	return rc;
}

int
dlp_dconf_hostport(const char *s, char *host, size_t hostlen, unsigned *port)
{
	const char *colon = strrchr(s, ':');
	unsigned long long p;
	size_t hl;

	if (colon == NULL || colon == s)
		return -1;
	hl = (size_t)(colon - s);
	if (s[0] == '[' && hl >= 2 && s[hl - 1] == ']') { /* [::1]:8642 */
		s++;
		hl -= 2;
	}
	if (hl == 0 || hl >= hostlen)
		return -1;
	if (parse_num(colon + 1, 10, false, &p) != 0 || p == 0 || p > 65535)
		return -1;
	memcpy(host, s, hl);
	host[hl] = '\0';
	*port = (unsigned)p;
	return 0;
}

bool
dlp_dconf_is_loopback(const char *host)
{
	return strcmp(host, "localhost") == 0 || strcmp(host, "::1") == 0 ||
	       strncmp(host, "127.", 4) == 0;
}

int
dlp_dconf_check(const struct dlp_dconf *c, char *err, size_t errlen)
{
	char host[64];
	unsigned port;

	if (c->http_socket[0] == '\0' && c->http_tcp[0] == '\0' &&
	    c->milter_socket[0] == '\0') {
		snprintf(err, errlen,
		    "no listener: set http_socket, http_tcp "
		    "or milter_socket");
		return -1;
	}
	if (c->http_socket[0] != '\0' && c->http_socket[0] != '/') {
		snprintf(err, errlen, "http_socket must be an absolute path");
		return -1;
	}
	if (c->milter_socket[0] != '\0' &&
	    strncmp(c->milter_socket, "unix:", 5) != 0 &&
	    strncmp(c->milter_socket, "local:", 6) != 0 &&
	    strncmp(c->milter_socket, "inet:", 5) != 0 &&
	    strncmp(c->milter_socket, "inet6:", 6) != 0) {
		snprintf(err, errlen,
		    "milter_socket must start with unix:, "
		    "inet: or inet6:");
		return -1;
	}
	if (strncmp(c->milter_socket, "inet", 4) == 0) {
		const char *at = strchr(c->milter_socket, '@');

		/* libmilter binds every address when no host is given. */
		if ((at == NULL || !dlp_dconf_is_loopback(at + 1)) &&
		    !c->allow_remote) {
			snprintf(err, errlen,
			    "milter_socket %s is not loopback-only: it needs "
			    "allow_remote = yes",
			    c->milter_socket);
			return -1;
		}
	}
	if (c->http_tcp[0] != '\0') {
		if (dlp_dconf_hostport(
		        c->http_tcp, host, sizeof(host), &port) != 0) {
			snprintf(err, errlen, "http_tcp must be host:port");
			return -1;
		}
		if (!dlp_dconf_is_loopback(host) &&
		    (!c->allow_remote || c->http_token_file[0] == '\0')) {
			snprintf(err, errlen,
			    "http_tcp on %s is not loopback: it needs "
			    "allow_remote = yes and http_token_file",
			    host);
			return -1;
		}
	}
	return 0;
}
