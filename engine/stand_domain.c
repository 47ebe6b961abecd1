/*
 * stand_domain.c - first-cut recipient classification: internal and
 * trusted domains (and their subdomains, and whole namespaces such as
 * "mil") from the data files and the config; everything else external is
 * "unknown"; a malformed address or an IP literal is "invalid".
 * Replaced by domain.c (lookalikes, high-risk TLDs, IDN).
 *
 * Trust: addresses are hostile; lengths are bounded (RFC 5321: 254).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "domain.h"

struct dlp_domain_db {
	const struct dlp_mem *mem;
	char **internal, **trusted;
	size_t ninternal, ntrusted;
};

static enum dlp_status
push(const struct dlp_mem *mem, char ***v, size_t *n, const char *s, size_t len)
{
	char **nv, *d;
	size_t sz;

	while (len > 0 && s[len - 1] == '.')
		len--;
	while (len > 0 && s[0] == '.')
		s++, len--;
	if (len == 0)
		return DLP_OK;
	if (!dlp_mul_ok(*n + 1, sizeof(*nv), &sz) ||
	    (nv = dlp_realloc(mem, *v, sz)) == NULL)
		return DLP_ERR_NOMEM;
	*v = nv;
	if ((d = dlp_strndup(mem, s, len)) == NULL)
		return DLP_ERR_NOMEM;
	for (size_t i = 0; i < len; i++)
		d[i] = (char)dlp_tolower((unsigned char)d[i]);
	nv[(*n)++] = d;
	return DLP_OK;
}

static enum dlp_status
load_list(const struct dlp_mem *mem, const char *dir, const char *name,
    char ***v, size_t *n, struct dlp_error *err)
{
	char path[4096], line[1024];
	FILE *f;
	enum dlp_status st = DLP_OK;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "r")) == NULL)
		return DLP_OK; /* optional */
	while (st == DLP_OK && fgets(line, sizeof(line), f) != NULL) {
		char *s = line;
		size_t l;

		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '#' || *s == '\n' || *s == '\0')
			continue;
		l = strcspn(s, " \t\r\n#");
		st = push(mem, v, n, s, l);
	}
	fclose(f);
	if (st != DLP_OK)
		dlp_error_set(err, st, path, 0, 0, "out of memory");
	return st;
}

void
dlp_domain_free(struct dlp_domain_db *db)
{
	if (db == NULL)
		return;
	for (size_t i = 0; i < db->ninternal; i++)
		dlp_free(db->mem, db->internal[i]);
	for (size_t i = 0; i < db->ntrusted; i++)
		dlp_free(db->mem, db->trusted[i]);
	dlp_free(db->mem, db->internal);
	dlp_free(db->mem, db->trusted);
	dlp_free(db->mem, db);
}

enum dlp_status
dlp_domain_load(const struct dlp_mem *mem, const char *dir,
    const char *const *internal, size_t ninternal, const char *const *trusted,
    size_t ntrusted, struct dlp_domain_db **out, struct dlp_error *err)
{
	struct dlp_domain_db *db;
	enum dlp_status st = DLP_OK;

	*out = NULL;
	if ((db = dlp_calloc(mem, 1, sizeof(*db))) == NULL)
		return dlp_error_set(
		    err, DLP_ERR_NOMEM, "", 0, 0, "out of memory");
	db->mem = mem;
	if (dir != NULL) {
		st = load_list(mem, dir, "internal_domains.txt", &db->internal,
		    &db->ninternal, err);
		if (st == DLP_OK)
			st = load_list(mem, dir, "trusted_domains.txt",
			    &db->trusted, &db->ntrusted, err);
	}
	for (size_t i = 0; st == DLP_OK && i < ninternal; i++)
		st = push(mem, &db->internal, &db->ninternal, internal[i],
		    strlen(internal[i]));
	for (size_t i = 0; st == DLP_OK && i < ntrusted; i++)
		st = push(mem, &db->trusted, &db->ntrusted, trusted[i],
		    strlen(trusted[i]));
	if (st != DLP_OK) {
		dlp_domain_free(db);
		return st;
	}
	*out = db;
	return DLP_OK;
}

/* Is d equal to e or a subdomain of it? */
static bool
under(const char *d, const char *e)
{
	size_t dl = strlen(d), el = strlen(e);

	if (dl == el)
		return strcmp(d, e) == 0;
	return dl > el && d[dl - el - 1] == '.' && strcmp(d + dl - el, e) == 0;
}

static const struct {
	const char *suffix, *country;
} countries[] = {
    {"mil", "USA"},
    {"gov", "USA"},
    {"us", "USA"},
    {"uk", "GBR"},
    {"au", "AUS"},
    {"ca", "CAN"},
    {"nz", "NZL"},
};

static bool
valid_domain(const char *d)
{
	size_t label = 0, n = strlen(d);

	if (n == 0 || n > 253 || strchr(d, '.') == NULL)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)d[i];

		if (c == '.') {
			if (label == 0 || d[i - 1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		        c == '-' || c >= 0x80))
			return false;
		if (label == 0 && c == '-')
			return false;
		if (++label > 63)
			return false;
	}
	return label > 0;
}

enum dlp_status
dlp_domain_classify(const struct dlp_domain_db *db, const char *addr,
    size_t len, struct dlp_domain_result *r)
{
	const char *at = NULL;
	size_t s = 0, e = len, dl;
	char *d;

	if (db == NULL || r == NULL || (addr == NULL && len > 0))
		return DLP_ERR_INVAL;
	memset(r, 0, sizeof(*r));
	while (s < e && (addr[s] == ' ' || addr[s] == '<'))
		s++;
	while (e > s && (addr[e - 1] == ' ' || addr[e - 1] == '>'))
		e--;
	snprintf(r->address, sizeof(r->address), "%.*s",
	    (int)(e - s < 500 ? e - s : 500), addr + s);
	for (size_t i = s; i < e; i++)
		if (addr[i] == '@')
			at = addr + i;
	r->cls = DLP_RCPT_INVALID;
	r->score = 60;
	snprintf(r->kind, sizeof(r->kind), "malformed");
	if (at == NULL || at == addr + s || e - s > 254) {
		snprintf(r->explain, sizeof(r->explain),
		    "'%.200s' is not a deliverable address", r->address);
		return DLP_OK;
	}
	dl = (size_t)(addr + e - (at + 1));
	if (dl >= sizeof(r->domain))
		dl = sizeof(r->domain) - 1;
	memcpy(r->domain, at + 1, dl);
	r->domain[dl] = '\0';
	while (dl > 0 && r->domain[dl - 1] == '.')
		r->domain[--dl] = '\0';
	for (d = r->domain; *d; d++)
		*d = (char)dlp_tolower((unsigned char)*d);
	if (r->domain[0] == '[') {
		snprintf(r->kind, sizeof(r->kind), "ip-literal");
		snprintf(r->explain, sizeof(r->explain),
		    "'%.200s' is an IP address, not a domain name", r->domain);
		return DLP_OK;
	}
	if (!valid_domain(r->domain)) {
		snprintf(r->explain, sizeof(r->explain),
		    "'%.200s' is not a deliverable domain name", r->domain);
		return DLP_OK;
	}
	for (size_t i = 0; i < DLP_NITEMS(countries); i++)
		if (under(r->domain, countries[i].suffix))
			snprintf(r->country, sizeof(r->country), "%s",
			    countries[i].country);
	for (size_t i = 0; i < db->ninternal; i++)
		if (under(r->domain, db->internal[i])) {
			r->cls = DLP_RCPT_INTERNAL;
			r->score = 0;
			snprintf(r->kind, sizeof(r->kind), "%s",
			    strcmp(r->domain, db->internal[i]) == 0
			        ? "exact"
			        : "subdomain");
			snprintf(r->matched, sizeof(r->matched), "%s",
			    db->internal[i]);
			snprintf(r->explain, sizeof(r->explain),
			    "'%.200s' is one of your organisation's domains",
			    r->domain);
			return DLP_OK;
		}
	for (size_t i = 0; i < db->ntrusted; i++)
		if (under(r->domain, db->trusted[i])) {
			bool ns = strchr(db->trusted[i], '.') == NULL;

			r->cls = DLP_RCPT_TRUSTED;
			r->score = 5;
			snprintf(r->kind, sizeof(r->kind), "%s",
			    ns ? "namespace"
			    : strcmp(r->domain, db->trusted[i]) == 0
			        ? "exact"
			        : "subdomain");
			snprintf(r->matched, sizeof(r->matched), "%s",
			    db->trusted[i]);
			snprintf(r->explain, sizeof(r->explain),
			    "'%.200s' is trusted (%s%.200s)", r->domain,
			    ns ? "namespace ." : "partner ", db->trusted[i]);
			return DLP_OK;
		}
	r->cls = DLP_RCPT_UNKNOWN;
	r->score = 20;
	snprintf(r->kind, sizeof(r->kind), "external");
	snprintf(r->explain, sizeof(r->explain),
	    "'%.200s' is an external domain that is neither internal nor "
	    "trusted",
	    r->domain);
	return DLP_OK;
}
