/*
 * domain.c - load the recipient-domain table: the pinned Public Suffix
 * List, internal/trusted/reference domain lists (with namespaces and
 * aliases), closed namespaces, the TLD risk list, country suffixes and
 * known-distinct exceptions; and build the immutable hash index the
 * classifier (domain_classify.c) reads from many threads at once.
 *
 * Trusts the data directory only as far as its syntax: every line is
 * checked and a bad one fails the load with file:line in the error (a
 * domain list silently half-read would trust the wrong recipients).
 * Every file is required when a directory is given. The index is an
 * open-addressing table of 64-bit hashes to entry ids; a hash collision
 * can only add a candidate, because every candidate is verified against
 * the entry itself. All allocation goes through dlp_mem, except inside
 * libpsl, libidn2 and ICU.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpsl.h>

#include "domain_int.h"

/* The stored part of a hash: top 32 bits, never 0 (0 = empty slot). */
#define DLP_DOM_TAG(h) ((uint32_t)((h) >> 32) | 1u)

#define MAX_FILE                                                               \
	(64u << 20) /* a domain data file larger than this is refused */

uint64_t
dlp_dom_hash(unsigned ix, const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull ^ ix;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ull;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h;
}

bool
dlp_dom_add(struct dlp_domain_db *db, unsigned ix, const char *s, size_t len,
    uint32_t id)
{
	struct dlp_dom_pairs *p = &db->pairs;

	if (p->n == p->cap) {
		size_t ncap = p->cap ? p->cap : 1024, bytes;
		void *nv;

		if (!dlp_mul_ok(ncap, 2, &ncap) ||
		    !dlp_mul_ok(ncap, sizeof(*p->v), &bytes))
			return false;
		nv = dlp_realloc(db->mem, p->v, bytes);
		if (nv == NULL)
			return false;
		p->v = nv;
		p->cap = ncap;
	}
	p->v[p->n].h = dlp_dom_hash(ix, s, len);
	p->v[p->n].id = id;
	p->n++;
	return true;
}

bool
dlp_dom_next(
    const struct dlp_domain_db *db, uint64_t h, size_t *pos, uint32_t *id)
{
	size_t i;

	if (db->tab == NULL)
		return false;
	i = *pos == SIZE_MAX ? (size_t)((h >> 1) & db->mask)
	                     : ((*pos + 1) & db->mask);
	for (; db->tab[i].tag != 0; i = (i + 1) & db->mask) {
		if (db->tab[i].tag == DLP_DOM_TAG(h)) {
			*pos = i;
			*id = db->tab[i].id;
			return true;
		}
	}
	return false;
}

static enum dlp_status
build_table(struct dlp_domain_db *db)
{
	size_t want, size = 16, bytes;

	/* Load factor at most 2/3. */
	if (!dlp_add_ok(db->pairs.n, db->pairs.n / 2, &want))
		return DLP_ERR_NOMEM;
	while (size < want) {
		if (!dlp_mul_ok(size, 2, &size))
			return DLP_ERR_NOMEM;
	}
	if (!dlp_mul_ok(size, sizeof(*db->tab), &bytes))
		return DLP_ERR_NOMEM;
	db->tab = dlp_calloc(db->mem, size, sizeof(*db->tab));
	if (db->tab == NULL)
		return DLP_ERR_NOMEM;
	db->mask = size - 1;
	for (size_t k = 0; k < db->pairs.n; k++) {
		size_t i = (size_t)((db->pairs.v[k].h >> 1) & db->mask);

		while (db->tab[i].tag != 0)
			i = (i + 1) & db->mask;
		db->tab[i].tag = DLP_DOM_TAG(db->pairs.v[k].h);
		db->tab[i].id = db->pairs.v[k].id;
	}
	dlp_free(db->mem, db->pairs.v);
	db->pairs.v = NULL;
	db->pairs.n = db->pairs.cap = 0;
	return DLP_OK;
}

/* Grow an array of elements of size sz to hold one more. */
static bool
grow(const struct dlp_mem *mem, void **v, size_t *cap, size_t n, size_t sz)
{
	size_t ncap, bytes;
	void *nv;

	if (n < *cap)
		return true;
	ncap = *cap ? *cap : 16;
	if (!dlp_mul_ok(ncap, 2, &ncap) || !dlp_mul_ok(ncap, sz, &bytes))
		return false;
	nv = dlp_realloc(mem, *v, bytes);
	if (nv == NULL)
		return false;
	*v = nv;
	*cap = ncap;
	return true;
}

/* Parser state for one file or list. */
struct ld {
	struct dlp_domain_db *db;
	struct dlp_error *err;
	const char *file;
	unsigned line;
	struct dlp_dom_rcpt *r; /* scratch for normalising entries */
	unsigned group;
};

static enum dlp_status
ld_error(struct ld *l, enum dlp_status st, const char *what, const char *tok)
{
	if (st == DLP_ERR_NOMEM)
		return dlp_error_set(
		    l->err, st, l->file, l->line, 0, "out of memory");
	return dlp_error_set(
	    l->err, st, l->file, l->line, 0, "%s '%s'", what, tok);
}

/* Normalise a configured domain into l->r; false if it is invalid. */
static bool
ld_norm(struct ld *l, const char *tok)
{
	const char *kind = NULL;

	memset(l->r, 0, sizeof(*l->r));
	return dlp_dom_normalise(l->db, tok, strlen(tok), l->r, &kind) == NULL;
}

struct add_ctx {
	struct dlp_domain_db *db;
	unsigned ix;
	uint32_t id;
	const char *tail; /* appended to every variant (DEL2) */
};

static bool
add_cb(void *u, const char *d, size_t dlen)
{
	struct add_ctx *c = u;
	char buf[DOM_MAX * 2];
	size_t tl = c->tail ? strlen(c->tail) : 0;

	if (dlen + tl >= sizeof(buf))
		return true;
	memcpy(buf, d, dlen);
	memcpy(buf + dlen, c->tail ? c->tail : "", tl);
	return dlp_dom_add(c->db, c->ix, buf, dlen + tl, c->id);
}

static bool
add_del2(struct dlp_domain_db *db, const struct dlp_dom_entry *e, uint32_t id)
{
	const char *sld = e->name + e->sldoff;
	size_t n = strlen(e->name + e->sldoff) - e->slen - 1;
	struct add_ctx c = {db, DLP_IX_DEL2, id, sld + n};
	char one[DOM_MAX];

	if (!add_cb(&c, sld, n))
		return false;
	for (size_t i = 0; i < n; i++) {
		memcpy(one, sld, i);
		memcpy(one + i, sld + i + 1, n - i - 1);
		if (!add_cb(&c, one, n - 1) ||
		    !dlp_dom_deletes(one, n - 1, i, add_cb, &c))
			return false;
	}
	return true;
}

/* Index one specific (non-namespace) entry. */
static bool
index_entry(struct dlp_domain_db *db, uint32_t id)
{
	const struct dlp_dom_entry *e = &db->ent[id];
	size_t len = strlen(e->name), nl = 1;
	struct add_ctx c = {db, DLP_IX_DEL, id, NULL};
	char buf[DOM_MAX * 2];

	if (!dlp_dom_add(db, DLP_IX_NAME, e->name, len, id) ||
	    !dlp_dom_add(db, DLP_IX_DEL, e->name, len, id) ||
	    !dlp_dom_deletes(e->name, len, 0, add_cb, &c))
		return false;
	c.ix = DLP_IX_FOLD;
	if (!dlp_dom_add(db, DLP_IX_FOLD, e->fold, strlen(e->fold), id) ||
	    !dlp_dom_deletes(e->fold, strlen(e->fold), 0, add_cb, &c))
		return false;
	if (e->slen < len) {
		size_t sl = len - e->slen - 1 - e->sldoff;

		if (!dlp_dom_add(db, DLP_IX_SLD, e->name + e->sldoff, sl, id))
			return false;
		if (sl >= db->long_sld_min && !add_del2(db, e, id))
			return false;
	}
	for (const char *p = e->name; *p; p++)
		nl += *p == '.';
	/* Minus one interior label: dstl.gov.uk -> dstl.uk. */
	for (const char *p = strchr(e->name, '.'); p && strchr(p + 1, '.');
	     p = strchr(p + 1, '.')) {
		const char *q = strchr(p + 1, '.');
		size_t head = (size_t)(p - e->name);

		memcpy(buf, e->name, head);
		memcpy(buf + head, q, strlen(q) + 1);
		if (!dlp_dom_add(db, DLP_IX_OMIT, buf, strlen(buf), id))
			return false;
	}
	/* All labels joined: armymil, army-mil. */
	if (nl > 1) {
		for (int sep = 0; sep < 2; sep++) {
			size_t k = 0;

			for (const char *p = e->name; *p; p++) {
				if (*p != '.')
					buf[k++] = *p;
				else if (sep)
					buf[k++] = '-';
			}
			if (!dlp_dom_add(db, DLP_IX_JOIN, buf, k, id))
				return false;
		}
	}
	return true;
}

static enum dlp_status
add_entry(struct ld *l, const char *tok, unsigned role, bool internal)
{
	struct dlp_domain_db *db = l->db;
	struct dlp_dom_entry *e;
	uint32_t id;

	if (!ld_norm(l, tok))
		return ld_error(l, DLP_ERR_CONFIG, "not a valid domain", tok);
	if (db->nent >= UINT32_MAX - 1 ||
	    !grow(db->mem, (void **)&db->ent, &db->capent, db->nent,
	        sizeof(*db->ent)))
		return ld_error(l, DLP_ERR_NOMEM, "", "");
	id = (uint32_t)db->nent;
	e = &db->ent[db->nent++];
	memset(e, 0, sizeof(*e));
	e->role = role;
	e->internal = internal;
	e->group = l->group;
	e->name = dlp_strdup(db->mem, l->r->a);
	e->uname = dlp_strdup(db->mem, l->r->u);
	e->fold = dlp_strdup(db->mem, l->r->fold);
	if (e->name == NULL || e->uname == NULL || e->fold == NULL)
		return ld_error(l, DLP_ERR_NOMEM, "", "");
	e->slen = strlen(l->r->suffix);
	e->sldoff = (size_t)(l->r->org - l->r->a);
	if (role == DLP_DOM_NAMESPACE) {
		if (!grow(db->mem, (void **)&db->ns, &db->capns, db->nns,
		        sizeof(*db->ns)))
			return ld_error(l, DLP_ERR_NOMEM, "", "");
		db->ns[db->nns++] = id;
		if (!dlp_dom_add(db, DLP_IX_NS, e->name, strlen(e->name), id))
			return ld_error(l, DLP_ERR_NOMEM, "", "");
		return DLP_OK;
	}
	if (!index_entry(db, id))
		return ld_error(l, DLP_ERR_NOMEM, "", "");
	return DLP_OK;
}

static enum dlp_status
add_exception(struct ld *l, const char *rcpt, const char *entry)
{
	struct dlp_domain_db *db = l->db;
	char a[DOM_MAX], *s;
	size_t n;

	if (!ld_norm(l, rcpt))
		return ld_error(l, DLP_ERR_CONFIG, "not a valid domain", rcpt);
	snprintf(a, sizeof(a), "%s", l->r->a);
	if (!ld_norm(l, entry))
		return ld_error(l, DLP_ERR_CONFIG, "not a valid domain", entry);
	n = strlen(a) + 1 + strlen(l->r->a);
	if (db->nexc >= UINT32_MAX ||
	    !grow(db->mem, (void **)&db->exc, &db->capexc, db->nexc,
	        sizeof(*db->exc)) ||
	    (s = dlp_malloc(db->mem, n + 1)) == NULL)
		return ld_error(l, DLP_ERR_NOMEM, "", "");
	snprintf(s, n + 1, "%s\t%s", a, l->r->a);
	db->exc[db->nexc] = s;
	if (!dlp_dom_add(db, DLP_IX_EXC, s, n, (uint32_t)db->nexc++))
		return ld_error(l, DLP_ERR_NOMEM, "", "");
	return DLP_OK;
}

/* Split s in place at spaces/tabs (or only tabs) into at most max fields. */
static size_t
split(char *s, char **f, size_t max, bool tabs)
{
	size_t n = 0;

	while (*s && n < max) {
		while (*s == '\t' || (!tabs && *s == ' '))
			s++;
		if (*s == '\0')
			break;
		f[n++] = s;
		while (*s && *s != '\t' && (tabs || *s != ' '))
			s++;
		if (*s)
			*s++ = '\0';
	}
	return n;
}

/* One domain-list line: "name [namespace] [aliases=a,b] [distinct=c,d]". */
static enum dlp_status
domain_line(struct ld *l, char *s, unsigned role, bool internal)
{
	char *f[16], *aliases = NULL, *distinct = NULL;
	size_t n = split(s, f, DLP_NITEMS(f), false);
	bool ns = false;
	enum dlp_status st;

	if (n == 0)
		return DLP_OK;
	for (size_t i = 1; i < n; i++) {
		if (strcmp(f[i], "namespace") == 0)
			ns = true;
		else if (strncmp(f[i], "aliases=", 8) == 0)
			aliases = f[i] + 8;
		else if (strncmp(f[i], "distinct=", 9) == 0)
			distinct = f[i] + 9;
		else
			return ld_error(
			    l, DLP_ERR_CONFIG, "unknown option", f[i]);
	}
	if (ns && role == DLP_DOM_REFERENCE)
		return ld_error(l, DLP_ERR_CONFIG,
		    "a reference domain cannot be a namespace", f[0]);
	l->group++;
	st = add_entry(l, f[0], ns ? DLP_DOM_NAMESPACE : role, internal);
	for (char *a = aliases; st == DLP_OK && a && *a;) {
		char *c = strchr(a, ',');

		if (c)
			*c = '\0';
		if (*a)
			st = add_entry(l, a, role, internal);
		a = c ? c + 1 : NULL;
	}
	for (char *d = distinct; st == DLP_OK && d && *d;) {
		char *c = strchr(d, ',');

		if (c)
			*c = '\0';
		if (*d)
			st = add_exception(l, d, f[0]);
		d = c ? c + 1 : NULL;
	}
	return st;
}

static enum dlp_status
tld_line(struct ld *l, char *s)
{
	struct dlp_domain_db *db = l->db;
	char *f[5], *end;
	struct dlp_dom_tld *t;
	long score;

	if (split(s, f, 5, true) != 5)
		return ld_error(l, DLP_ERR_CONFIG,
		    "expected tld, score, category, source, as_of:", s);
	errno = 0;
	score = strtol(f[1], &end, 10);
	if (errno != 0 || *end != '\0' || score < 0 || score > 100)
		return ld_error(
		    l, DLP_ERR_CONFIG, "score must be 0-100, not", f[1]);
	if (!ld_norm(l, f[0]))
		return ld_error(l, DLP_ERR_CONFIG, "not a valid suffix", f[0]);
	if (!grow(db->mem, (void **)&db->tld, &db->captld, db->ntld,
	        sizeof(*db->tld)))
		return ld_error(l, DLP_ERR_NOMEM, "", "");
	t = &db->tld[db->ntld];
	memset(t, 0, sizeof(*t));
	t->score = (unsigned)score;
	t->tld = dlp_strdup(db->mem, l->r->a);
	t->category = dlp_strdup(db->mem, f[2]);
	t->source = dlp_strdup(db->mem, f[3]);
	t->as_of = dlp_strdup(db->mem, f[4]);
	db->ntld++;
	if (t->tld == NULL || t->category == NULL || t->source == NULL ||
	    t->as_of == NULL ||
	    !dlp_dom_add(db, DLP_IX_TLD, t->tld, strlen(t->tld),
	        (uint32_t)(db->ntld - 1)))
		return ld_error(l, DLP_ERR_NOMEM, "", "");
	return DLP_OK;
}

static enum dlp_status
country_line(struct ld *l, char *s)
{
	struct dlp_domain_db *db = l->db;
	char *f[3];
	struct dlp_dom_country *c;

	if (split(s, f, 3, true) != 3 || strlen(f[1]) != 3)
		return ld_error(l, DLP_ERR_CONFIG,
		    "expected suffix, ISO 3166 alpha-3 code, name:", s);
	if (!ld_norm(l, f[0]))
		return ld_error(l, DLP_ERR_CONFIG, "not a valid suffix", f[0]);
	if (!grow(db->mem, (void **)&db->ctry, &db->capctry, db->nctry,
	        sizeof(*db->ctry)))
		return ld_error(l, DLP_ERR_NOMEM, "", "");
	c = &db->ctry[db->nctry];
	memset(c, 0, sizeof(*c));
	memcpy(c->code, f[1], 4);
	c->suffix = dlp_strdup(db->mem, l->r->a);
	c->name = dlp_strdup(db->mem, f[2]);
	db->nctry++;
	if (c->suffix == NULL || c->name == NULL ||
	    !dlp_dom_add(db, DLP_IX_COUNTRY, c->suffix, strlen(c->suffix),
	        (uint32_t)(db->nctry - 1)))
		return ld_error(l, DLP_ERR_NOMEM, "", "");
	return DLP_OK;
}

static enum dlp_status
closed_line(struct ld *l, char *s)
{
	struct dlp_domain_db *db = l->db;
	char *f[2], *c;

	if (split(s, f, 2, false) != 1)
		return ld_error(l, DLP_ERR_CONFIG, "expected one suffix:", s);
	if (!ld_norm(l, f[0]))
		return ld_error(l, DLP_ERR_CONFIG, "not a valid suffix", f[0]);
	if (!grow(db->mem, (void **)&db->closed, &db->capclosed, db->nclosed,
	        sizeof(*db->closed)) ||
	    (c = dlp_strdup(db->mem, l->r->a)) == NULL)
		return ld_error(l, DLP_ERR_NOMEM, "", "");
	db->closed[db->nclosed++] = c;
	if (!dlp_dom_add(
	        db, DLP_IX_CLOSED, c, strlen(c), (uint32_t)(db->nclosed - 1)))
		return ld_error(l, DLP_ERR_NOMEM, "", "");
	return DLP_OK;
}

static enum dlp_status
exception_line(struct ld *l, char *s)
{
	char *f[3];

	if (split(s, f, 3, true) < 2)
		return ld_error(
		    l, DLP_ERR_CONFIG, "expected recipient, entry, note:", s);
	return add_exception(l, f[0], f[1]);
}

enum file_kind { F_DOMAINS, F_TLD, F_COUNTRY, F_CLOSED, F_EXC };

static enum dlp_status
parse_line(
    struct ld *l, char *s, enum file_kind k, unsigned role, bool internal)
{
	char *h = strchr(s, '#');
	size_t n;

	if (h)
		*h = '\0';
	n = strlen(s);
	while (
	    n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0')
		return DLP_OK;
	switch (k) {
	case F_DOMAINS:
		return domain_line(l, s, role, internal);
	case F_TLD:
		return tld_line(l, s);
	case F_COUNTRY:
		return country_line(l, s);
	case F_CLOSED:
		return closed_line(l, s);
	case F_EXC:
		return exception_line(l, s);
	}
	return DLP_ERR_INTERNAL;
}

static enum dlp_status
load_file(struct ld *l, const char *dir, const char *name, enum file_kind k,
    unsigned role, bool internal)
{
	char path[4096];
	FILE *fp = NULL;
	struct dlp_buf b;
	enum dlp_status st = DLP_OK;
	size_t got;
	char *p;

	dlp_buf_init(&b, l->db->mem);
	l->file = name;
	l->line = 0;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path)) {
		st = dlp_error_set(
		    l->err, DLP_ERR_IO, name, 0, 0, "path too long");
		goto out;
	}
	fp = fopen(path, "rb");
	if (fp == NULL) {
		st = dlp_error_set(l->err, DLP_ERR_IO, path, 0, 0,
		    "cannot open: %s", strerror(errno));
		goto out;
	}
	do {
		if (!dlp_buf_reserve(&b, 65536)) {
			st = ld_error(l, DLP_ERR_NOMEM, "", "");
			goto out;
		}
		got = fread(b.p + b.len, 1, 65536, fp);
		b.len += got;
		b.p[b.len] = '\0';
		if (b.len > MAX_FILE) {
			st = dlp_error_set(l->err, DLP_ERR_CONFIG, path, 0, 0,
			    "file larger than %u bytes", MAX_FILE);
			goto out;
		}
	} while (got > 0);
	if (ferror(fp)) {
		st =
		    dlp_error_set(l->err, DLP_ERR_IO, path, 0, 0, "read error");
		goto out;
	}
	if (memchr(b.p, '\0', b.len) != NULL) {
		st = dlp_error_set(l->err, DLP_ERR_CONFIG, path, 0, 0,
		    "file holds a NUL byte");
		goto out;
	}
	for (p = (char *)b.p; st == DLP_OK && p && *p;) {
		char *nl = strchr(p, '\n');

		if (nl)
			*nl = '\0';
		l->line++;
		st = parse_line(l, p, k, role, internal);
		p = nl ? nl + 1 : NULL;
	}
out:
	if (fp != NULL)
		fclose(fp);
	dlp_buf_fini(&b);
	return st;
}

static enum dlp_status
load_list(struct ld *l, const char *const *v, size_t n, unsigned role,
    bool internal, const char *what)
{
	enum dlp_status st = DLP_OK;

	l->file = what;
	for (size_t i = 0; st == DLP_OK && i < n; i++) {
		char line[1024];

		if (v[i] == NULL || strlen(v[i]) >= sizeof(line)) {
			l->line = (unsigned)i + 1;
			return ld_error(l, DLP_ERR_CONFIG, "bad entry",
			    v[i] ? "(too long)" : "(null)");
		}
		snprintf(line, sizeof(line), "%s", v[i]);
		l->line = (unsigned)i + 1;
		st = parse_line(l, line, F_DOMAINS, role, internal);
	}
	return st;
}

void
dlp_domain_free(struct dlp_domain_db *db)
{
	if (db == NULL)
		return;
	for (size_t i = 0; i < db->nent; i++) {
		dlp_free(db->mem, db->ent[i].name);
		dlp_free(db->mem, db->ent[i].uname);
		dlp_free(db->mem, db->ent[i].fold);
	}
	for (size_t i = 0; i < db->ntld; i++) {
		dlp_free(db->mem, db->tld[i].tld);
		dlp_free(db->mem, db->tld[i].category);
		dlp_free(db->mem, db->tld[i].source);
		dlp_free(db->mem, db->tld[i].as_of);
	}
	for (size_t i = 0; i < db->nctry; i++) {
		dlp_free(db->mem, db->ctry[i].suffix);
		dlp_free(db->mem, db->ctry[i].name);
	}
	for (size_t i = 0; i < db->nclosed; i++)
		dlp_free(db->mem, db->closed[i]);
	for (size_t i = 0; i < db->nexc; i++)
		dlp_free(db->mem, db->exc[i]);
	dlp_free(db->mem, db->ent);
	dlp_free(db->mem, db->tld);
	dlp_free(db->mem, db->ctry);
	dlp_free(db->mem, db->closed);
	dlp_free(db->mem, db->exc);
	dlp_free(db->mem, db->ns);
	dlp_free(db->mem, db->pairs.v);
	dlp_free(db->mem, db->tab);
	if (db->psl != NULL)
		psl_free(db->psl);
	dlp_dom_icu_close(db);
	dlp_free(db->mem, db);
}

enum dlp_status
dlp_domain_load(const struct dlp_mem *mem, const char *dir,
    const char *const *internal, size_t ninternal, const char *const *trusted,
    size_t ntrusted, struct dlp_domain_db **out, struct dlp_error *err)
{
	struct dlp_domain_db *db = NULL;
	struct ld l = {0};
	enum dlp_status st;

	if (out != NULL)
		*out = NULL;
	if (mem == NULL || out == NULL || (ninternal && internal == NULL) ||
	    (ntrusted && trusted == NULL))
		return dlp_error_set(
		    err, DLP_ERR_INVAL, "", 0, 0, "bad arguments");
	db = dlp_calloc(mem, 1, sizeof(*db));
	if (db == NULL)
		return dlp_error_set(
		    err, DLP_ERR_NOMEM, "", 0, 0, "out of memory");
	db->mem = mem;
	db->long_sld_min = 9;
	db->tld_swap_min = 4;
	db->listed_min = 50;
	l.db = db;
	l.err = err;
	l.r = dlp_malloc(mem, sizeof(*l.r));
	if (l.r == NULL) {
		st = dlp_error_set(
		    err, DLP_ERR_NOMEM, "", 0, 0, "out of memory");
		goto fail;
	}
	if ((st = dlp_dom_icu_open(db)) != DLP_OK) {
		dlp_error_set(
		    err, st, "", 0, 0, "cannot open the ICU spoof checker");
		goto fail;
	}
	if (dir != NULL) {
		char path[4096];

		if ((size_t)snprintf(path, sizeof(path),
		        "%s/public_suffix_list.dat", dir) >= sizeof(path)) {
			st = dlp_error_set(
			    err, DLP_ERR_IO, dir, 0, 0, "path too long");
			goto fail;
		}
		db->psl = psl_load_file(path);
		if (db->psl == NULL) {
			st = dlp_error_set(err, DLP_ERR_IO, path, 0, 0,
			    "cannot load the Public Suffix List");
			goto fail;
		}
		if ((st = load_file(&l, dir, "closed_namespaces.txt", F_CLOSED,
		         0, false)) != DLP_OK ||
		    (st = load_file(
		         &l, dir, "tld_risk.tsv", F_TLD, 0, false)) != DLP_OK ||
		    (st = load_file(&l, dir, "country_tlds.tsv", F_COUNTRY, 0,
		         false)) != DLP_OK ||
		    (st = load_file(&l, dir, "lookalike_exceptions.tsv", F_EXC,
		         0, false)) != DLP_OK ||
		    (st = load_file(&l, dir, "internal_domains.txt", F_DOMAINS,
		         DLP_DOM_INTERNAL, true)) != DLP_OK ||
		    (st = load_file(&l, dir, "trusted_domains.txt", F_DOMAINS,
		         DLP_DOM_TRUSTED, false)) != DLP_OK ||
		    (st = load_file(&l, dir, "reference_domains.txt", F_DOMAINS,
		         DLP_DOM_REFERENCE, false)) != DLP_OK)
			goto fail;
	}
	if ((st = load_list(&l, internal, ninternal, DLP_DOM_INTERNAL, true,
	         "internal domain")) != DLP_OK ||
	    (st = load_list(&l, trusted, ntrusted, DLP_DOM_TRUSTED, false,
	         "trusted domain")) != DLP_OK)
		goto fail;
	if ((st = build_table(db)) != DLP_OK) {
		dlp_error_set(err, st, "", 0, 0, "out of memory");
		goto fail;
	}
	dlp_free(mem, l.r);
	*out = db;
	return DLP_OK;
fail:
	dlp_free(mem, l.r);
	dlp_domain_free(db);
	return st;
}
