/*
 * domain_classify.c - classify one recipient address against the loaded
 * domain table (spec section 14.4): extract the domain, normalise it,
 * match internal/trusted/reference entries exactly or by subdomain, then
 * run every lookalike detector (skeleton, IDNA deviation, edit distance
 * through the symmetric-delete index, namespace suffix typo, suffix
 * append, label insertion and omission, joined labels, TLD swap), score
 * the best hit (section 14.5) and write the explanation (section 14.6).
 *
 * Trusts nothing in the address: quotes, comments, angle brackets, IP
 * literals, over-long labels and bad punycode end as DLP_RCPT_INVALID
 * with the reason, never as a failure. Reads the table only (no locks,
 * no allocation), so any number of threads may classify at once. The
 * work per recipient is bounded by the domain's length (at most 253
 * octets), not by the size of the table, apart from verifying the
 * candidates the index returns.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "domain_int.h"

/* The best lookalike found so far. */
struct hit {
	unsigned score; /* after the closed-namespace factor */
	unsigned rank;  /* role precedence for ties */
	const struct dlp_dom_entry *e;
	const char *kind;
	char kindbuf[32];
	char detail[128];
	char suggest[DOM_MAX];
	char extra[DOM_MAX]; /* label or suffix named by the template */
	unsigned flags;
	int tmpl;
	const char *closed; /* the closed namespace it stays in */
};

enum {
	T_EDIT = 1,
	T_EDIT2,
	T_NS,
	T_HOMO,
	T_DEV,
	T_APPEND,
	T_INS,
	T_OMIT,
	T_JOIN,
	T_SWAP
};

struct cls {
	const struct dlp_domain_db *db;
	struct dlp_dom_rcpt r;
	struct hit best, cur;
	bool have;
	const struct dlp_dom_tld *risk; /* TLD risk row of the recipient */
	const char *ns_in;              /* trusted namespace holding it */
};

/* Does d equal s or end with "." s? */
static bool
in_domain(const char *d, const char *s)
{
	size_t dl = strlen(d), sl = strlen(s);

	if (dl == sl)
		return strcmp(d, s) == 0;
	return dl > sl && d[dl - sl - 1] == '.' && strcmp(d + dl - sl, s) == 0;
}

static const char *
next_label(const char *p)
{
	const char *d = strchr(p, '.');

	return d ? d + 1 : NULL;
}

/* Find ix entry for string s (len n) whose key field equals s. */
static const void *
find_row(const struct dlp_domain_db *db, unsigned ix, const char *s, size_t n)
{
	uint64_t h = dlp_dom_hash(ix, s, n);
	size_t pos = SIZE_MAX;
	uint32_t id;

	while (dlp_dom_next(db, h, &pos, &id)) {
		const char *k = NULL;
		const void *row = NULL;

		if (ix == DLP_IX_TLD && id < db->ntld) {
			k = db->tld[id].tld;
			row = &db->tld[id];
		} else if (ix == DLP_IX_COUNTRY && id < db->nctry) {
			k = db->ctry[id].suffix;
			row = &db->ctry[id];
		} else if (ix == DLP_IX_CLOSED && id < db->nclosed) {
			k = db->closed[id];
			row = k;
		} else if ((ix == DLP_IX_NAME || ix == DLP_IX_NS) &&
		           id < db->nent) {
			k = db->ent[id].name;
			row = &db->ent[id];
		}
		if (k != NULL && strlen(k) == n && memcmp(k, s, n) == 0)
			return row;
	}
	return NULL;
}

/* The longest label-suffix of d found in ix (namespaces, countries...). */
static const void *
find_walk(const struct dlp_domain_db *db, unsigned ix, const char *d)
{
	for (const char *p = d; p != NULL; p = next_label(p)) {
		const void *row = find_row(db, ix, p, strlen(p));

		if (row != NULL)
			return row;
	}
	return NULL;
}

static bool
is_exception(const struct cls *c, const char *q, const char *e)
{
	char key[DOM_MAX * 2 + 2];
	int n = snprintf(key, sizeof(key), "%s\t%s", q, e);
	uint64_t h;
	size_t pos = SIZE_MAX;
	uint32_t id;

	if (n < 0 || (size_t)n >= sizeof(key))
		return false;
	h = dlp_dom_hash(DLP_IX_EXC, key, (size_t)n);
	while (dlp_dom_next(c->db, h, &pos, &id))
		if (id < c->db->nexc && strcmp(c->db->exc[id], key) == 0)
			return true;
	return false;
}

static bool
excluded(const struct cls *c, const struct dlp_dom_entry *e)
{
	return is_exception(c, c->r.a, e->name) ||
	       is_exception(c, c->r.org, e->name);
}

static unsigned
rank_of(const struct dlp_dom_entry *e)
{
	return e->role;
}

/* Finish c->cur (closed namespace, TLD risk) and keep it if better. */
static void
offer(struct cls *c)
{
	struct hit *h = &c->cur;
	const char *cn = find_walk(c->db, DLP_IX_CLOSED, c->r.a);

	h->rank = rank_of(h->e);
	if (cn != NULL && in_domain(h->e->name, cn)) {
		h->score /= 2;
		h->flags |= DLP_DOMAIN_F_CLOSED_NS;
		h->closed = cn;
	}
	if (c->risk != NULL && c->risk->score > h->score)
		h->score = c->risk->score;
	if (!c->have || h->score > c->best.score ||
	    (h->score == c->best.score && h->rank < c->best.rank)) {
		c->best = *h;
		if (h->kind == h->kindbuf)
			c->best.kind = c->best.kindbuf;
		c->have = true;
	}
}

static void
start(struct cls *c, const struct dlp_dom_entry *e, const char *kind,
    unsigned score, int tmpl)
{
	memset(&c->cur, 0, sizeof(c->cur));
	c->cur.e = e;
	c->cur.kind = kind;
	c->cur.score = score;
	c->cur.tmpl = tmpl;
}

static bool
listed(const struct cls *c)
{
	return c->risk != NULL && c->risk->score >= c->db->listed_min;
}

/* prefix of a before q (q points into a), then name. */
static void
suggest(struct cls *c, const char *q, const char *name)
{
	snprintf(c->cur.suggest, sizeof(c->cur.suggest), "%.*s%s",
	    (int)(q - c->r.a), c->r.a, name);
}

/* "'rn' instead of 'm'" from the differing middle of two strings. */
static void
diff_detail(const char *r, const char *e, char *out, size_t cap)
{
	size_t rl = strlen(r), el = strlen(e), p = 0, s = 0;

	while (p < rl && p < el && r[p] == e[p])
		p++;
	while (s < rl - p && s < el - p && r[rl - 1 - s] == e[el - 1 - s])
		s++;
	if (rl - p - s == 0)
		snprintf(out, cap, "'%.*s' omitted", (int)(el - p - s), e + p);
	else if (el - p - s == 0)
		snprintf(out, cap, "'%.*s' added", (int)(rl - p - s), r + p);
	else
		snprintf(out, cap, "'%.*s' instead of '%.*s'",
		    (int)(rl - p - s), r + p, (int)(el - p - s), e + p);
}

/* (c) one edit, via the symmetric-delete index. */
struct del_ctx {
	struct cls *c;
	const char *q; /* the recipient string compared (a or org) */
	unsigned ix;
};

static void
try_edit(struct cls *c, const char *q, const struct dlp_dom_entry *e)
{
	size_t ql = strlen(q), el = strlen(e->name), epos;
	const char *kind;
	unsigned score;
	char detail[128];

	if (dlp_dom_osa(q, ql, e->name, el, 1) != 1 || excluded(c, e))
		return;
	dlp_dom_edit_kind(
	    q, ql, e->name, el, &kind, &score, &epos, detail, sizeof(detail));
	start(c, e, kind, score, T_EDIT);
	if (e->slen > 0 && epos >= el - e->slen) {
		snprintf(
		    c->cur.kindbuf, sizeof(c->cur.kindbuf), "%s(tld)", kind);
		c->cur.kind = c->cur.kindbuf;
		c->cur.score = listed(c) ? 95 : 90;
		c->cur.flags |= DLP_DOMAIN_F_IN_SUFFIX;
	}
	snprintf(c->cur.detail, sizeof(c->cur.detail), "%s", detail);
	suggest(c, q, e->name);
	offer(c);
}

static void
try_fold(
    struct cls *c, const char *q, const char *fq, const struct dlp_dom_entry *e)
{
	unsigned d = dlp_dom_osa(fq, strlen(fq), e->fold, strlen(e->fold), 1);
	bool idn = c->r.idn;

	if (d > 1 || strcmp(q, e->name) == 0 || excluded(c, e))
		return;
	if (d == 1 &&
	    dlp_dom_osa(q, strlen(q), e->name, strlen(e->name), 1) <= 1)
		return; /* a plain edit: try_edit names it better */
	if (d == 0)
		start(c, e,
		    !idn         ? "homoglyph-ascii"
		    : c->r.mixed ? "homoglyph-mixed-script"
		                 : "homoglyph-idn",
		    idn ? 95 : 85, T_HOMO);
	else
		start(c, e, "homoglyph-edit", idn ? 85 : 75, T_HOMO);
	if (idn)
		dlp_dom_describe_cps(
		    c->r.u, c->cur.detail, sizeof(c->cur.detail));
	else
		diff_detail(q, e->name, c->cur.detail, sizeof(c->cur.detail));
	if (c->r.mixed)
		c->cur.flags |= DLP_DOMAIN_F_MIXED_SCRIPT;
	suggest(c, q, e->name);
	offer(c);
}

static bool
del_cb(void *u, const char *d, size_t dlen)
{
	struct del_ctx *x = u;
	const struct dlp_domain_db *db = x->c->db;
	uint64_t h = dlp_dom_hash(x->ix, d, dlen);
	size_t pos = SIZE_MAX;
	uint32_t id;

	while (dlp_dom_next(db, h, &pos, &id)) {
		if (id >= db->nent)
			continue;
		if (x->ix == DLP_IX_DEL)
			try_edit(x->c, x->q, &db->ent[id]);
		else
			try_fold(x->c, x->q,
			    x->q == x->c->r.a ? x->c->r.fold : x->c->r.ofold,
			    &db->ent[id]);
	}
	return true;
}

static void
detect_edits(struct cls *c, const char *q, const char *fq)
{
	struct del_ctx x = {c, q, DLP_IX_DEL};

	del_cb(&x, q, strlen(q));
	dlp_dom_deletes(q, strlen(q), 0, del_cb, &x);
	x.ix = DLP_IX_FOLD;
	del_cb(&x, fq, strlen(fq));
	dlp_dom_deletes(fq, strlen(fq), 0, del_cb, &x);
}

/* Two edits inside a long SLD, same suffix (DEL2 index). */
struct del2_ctx {
	struct cls *c;
	const char *tail;
};

static bool
del2_cb(void *u, const char *d, size_t dlen)
{
	struct del2_ctx *x = u;
	struct cls *c = x->c;
	char key[DOM_MAX * 2];
	size_t tl = strlen(x->tail), pos = SIZE_MAX;
	uint32_t id;

	if (dlen + tl >= sizeof(key))
		return true;
	memcpy(key, d, dlen);
	memcpy(key + dlen, x->tail, tl);
	uint64_t h = dlp_dom_hash(DLP_IX_DEL2, key, dlen + tl);
	while (dlp_dom_next(c->db, h, &pos, &id)) {
		const struct dlp_dom_entry *e;
		const char *eo;

		if (id >= c->db->nent)
			continue;
		e = &c->db->ent[id];
		eo = e->name + e->sldoff;
		if (strcmp(e->name + strlen(e->name) - e->slen, c->r.suffix) ||
		    dlp_dom_osa(
		        c->r.org, strlen(c->r.org), eo, strlen(eo), 2) != 2 ||
		    excluded(c, e))
			continue;
		start(c, e, "two-edits", 60, T_EDIT2);
		snprintf(c->cur.detail, sizeof(c->cur.detail), "%s",
		    "two characters changed in the name");
		suggest(c, c->r.org, eo);
		offer(c);
	}
	return true;
}

static void
detect_two_edits(struct cls *c)
{
	const char *sld = c->r.org;
	size_t n = c->r.sldlen;
	struct del2_ctx x = {c, sld + n};
	char one[DOM_MAX];

	if (n == 0 || n + 2 < c->db->long_sld_min)
		return;
	del2_cb(&x, sld, n);
	for (size_t i = 0; i < n; i++) {
		memcpy(one, sld, i);
		memcpy(one + i, sld + i + 1, n - i - 1);
		del2_cb(&x, one, n - 1);
		dlp_dom_deletes(one, n - 1, i, del2_cb, &x);
	}
}

/* (d) the recipient's suffix is one edit from a trusted namespace. */
static void
detect_ns_typo(struct cls *c)
{
	const struct dlp_domain_db *db = c->db;
	const char *s = c->r.suffix;

	if (c->r.sldlen == 0)
		return;
	for (size_t i = 0; i < db->nns; i++) {
		const struct dlp_dom_entry *e = &db->ent[db->ns[i]];
		size_t el = strlen(e->name), sl = strlen(s), epos;
		const char *kind;
		unsigned score, base;
		char detail[128];
		size_t bl = (size_t)(s - c->r.a) - 1;

		if (dlp_dom_osa(s, sl, e->name, el, 1) != 1 ||
		    in_domain(c->r.a, e->name) || excluded(c, e))
			continue;
		dlp_dom_edit_kind(s, sl, e->name, el, &kind, &base, &epos,
		    detail, sizeof(detail));
		score = 85;
		if (listed(c))
			score = 95;
		else if (sl == el && !dlp_dom_adjacent(e->name[epos], s[epos]))
			score = 60;
		start(c, e, "namespace-suffix-typo", score, T_NS);
		c->cur.flags |= DLP_DOMAIN_F_IN_SUFFIX;
		snprintf(c->cur.detail, sizeof(c->cur.detail), "%s", detail);
		/* army.mil.ml means army.mil, navy.ml means navy.mil. */
		if ((bl == el || (bl > el && c->r.a[bl - el - 1] == '.')) &&
		    memcmp(c->r.a + bl - el, e->name, el) == 0)
			snprintf(c->cur.suggest, sizeof(c->cur.suggest), "%.*s",
			    (int)bl, c->r.a);
		else
			snprintf(c->cur.suggest, sizeof(c->cur.suggest),
			    "%.*s.%s", (int)bl, c->r.a, e->name);
		offer(c);
	}
}

/* (e) [P.]T.S: a trusted name with a public suffix appended. */
static void
detect_append(struct cls *c)
{
	const char *s = c->r.suffix;
	size_t rl;

	if (s == c->r.a)
		return;
	rl = (size_t)(s - c->r.a) - 1;
	for (const char *p = c->r.a; p != NULL && p < s; p = next_label(p)) {
		size_t n = rl - (size_t)(p - c->r.a);
		const struct dlp_dom_entry *e =
		    find_row(c->db, DLP_IX_NAME, p, n);

		if (e == NULL && p != c->r.a && strchr(s, '.') == NULL)
			e = find_row(c->db, DLP_IX_NS, p, n);
		if (e == NULL || excluded(c, e))
			continue;
		start(c, e, "suffix-append", 90, T_APPEND);
		snprintf(c->cur.extra, sizeof(c->cur.extra), "%s", s);
		snprintf(
		    c->cur.detail, sizeof(c->cur.detail), "'.%s' added", s);
		snprintf(c->cur.suggest, sizeof(c->cur.suggest), "%.*s",
		    (int)rl, c->r.a);
		offer(c);
		return;
	}
}

/* (f) one extra interior label: mod.gov.co.uk for mod.gov.uk. */
static void
detect_insertion(struct cls *c)
{
	const char *a = c->r.a;
	char buf[DOM_MAX];

	if (c->ns_in != NULL)
		return;
	for (const char *p = strchr(a, '.'); p && strchr(p + 1, '.');
	     p = strchr(p + 1, '.')) {
		const char *q = strchr(p + 1, '.');
		size_t head = (size_t)(p - a);
		const struct dlp_dom_entry *e = NULL;

		memcpy(buf, a, head);
		memcpy(buf + head, q, strlen(q) + 1);
		/* Entries that are label-suffixes of a match a as well. */
		for (const char *w = buf; w && !e && w <= buf + head;
		     w = next_label(w))
			e = find_row(c->db, DLP_IX_NAME, w, strlen(w));
		if (e == NULL) {
			e = find_walk(c->db, DLP_IX_NS, buf);
			if (e != NULL && strcmp(e->name, buf) == 0)
				e = NULL;
		}
		if (e == NULL || in_domain(a, e->name) || excluded(c, e))
			continue;
		start(c, e, "label-insertion", 80, T_INS);
		snprintf(c->cur.extra, sizeof(c->cur.extra), "%.*s",
		    (int)(q - p - 1), p + 1);
		snprintf(c->cur.detail, sizeof(c->cur.detail), "'%.63s' added",
		    c->cur.extra);
		snprintf(c->cur.suggest, sizeof(c->cur.suggest), "%s", buf);
		offer(c);
	}
}

/* Is q the entry name with one interior label removed? Names it. */
static bool
omits(const char *name, const char *q, char *label, size_t cap)
{
	for (const char *p = strchr(name, '.'); p && strchr(p + 1, '.');
	     p = strchr(p + 1, '.')) {
		const char *nx = strchr(p + 1, '.');
		size_t head = (size_t)(p - name);

		if (strncmp(name, q, head) == 0 && strcmp(q + head, nx) == 0) {
			snprintf(label, cap, "%.*s", (int)(nx - p - 1), p + 1);
			return true;
		}
	}
	return false;
}

/* (g) label omission, (h) joined labels, (i) TLD swap. */
static void
detect_labels(struct cls *c, const char *q)
{
	const struct dlp_domain_db *db = c->db;
	char label[DOM_MAX];
	size_t pos = SIZE_MAX, sl = c->r.sldlen;
	uint32_t id;
	uint64_t h = dlp_dom_hash(DLP_IX_OMIT, q, strlen(q));

	while (dlp_dom_next(db, h, &pos, &id)) {
		const struct dlp_dom_entry *e;

		if (id >= db->nent)
			continue;
		e = &db->ent[id];
		if (!omits(e->name, q, label, sizeof(label)) || excluded(c, e))
			continue;
		start(c, e, "label-omission", 80, T_OMIT);
		snprintf(c->cur.extra, sizeof(c->cur.extra), "%s", label);
		snprintf(c->cur.detail, sizeof(c->cur.detail),
		    "'%.63s' missing", label);
		suggest(c, q, e->name);
		offer(c);
	}
	if (q != c->r.org || sl == 0)
		return;
	pos = SIZE_MAX;
	h = dlp_dom_hash(DLP_IX_JOIN, q, sl);
	while (dlp_dom_next(db, h, &pos, &id)) {
		const struct dlp_dom_entry *e = &db->ent[id];
		char j[2][DOM_MAX];
		size_t k = 0;

		if (id >= db->nent)
			continue;
		for (const char *p = e->name; *p && k + 1 < DOM_MAX; p++, k++) {
			j[0][k] = *p == '.' ? '\0' : *p;
			j[1][k] = *p == '.' ? '-' : *p;
		}
		j[1][k] = '\0';
		/* Squeeze the NULs out of j[0]. */
		size_t w = 0;
		for (size_t i = 0; i < k; i++)
			if (j[0][i] != '\0')
				j[0][w++] = j[0][i];
		j[0][w] = '\0';
		if (!((strlen(j[0]) == sl && memcmp(j[0], q, sl) == 0) ||
		        (strlen(j[1]) == sl && memcmp(j[1], q, sl) == 0)) ||
		    excluded(c, e))
			continue;
		start(c, e, "joined-labels", 80, T_JOIN);
		snprintf(c->cur.detail, sizeof(c->cur.detail),
		    "'%.*s' under '.%s'", (int)sl, q, c->r.suffix);
		suggest(c, q, e->name);
		offer(c);
	}
	if (sl < db->tld_swap_min && !listed(c))
		return;
	pos = SIZE_MAX;
	h = dlp_dom_hash(DLP_IX_SLD, q, sl);
	while (dlp_dom_next(db, h, &pos, &id)) {
		const struct dlp_dom_entry *e;
		const char *eo;

		/* A tag collision can yield another index's id: check it
		 * before reading the entry. */
		if (id >= db->nent)
			continue;
		e = &db->ent[id];
		eo = e->name + e->sldoff;
		if (strncmp(eo, q, sl + 1) != 0 || strcmp(eo, q) == 0 ||
		    excluded(c, e))
			continue;
		start(c, e, "tld-swap", listed(c) ? 85 : 55, T_SWAP);
		snprintf(c->cur.extra, sizeof(c->cur.extra), "%s",
		    e->name + strlen(e->name) - e->slen);
		snprintf(c->cur.detail, sizeof(c->cur.detail),
		    "'.%.40s' instead of '.%.40s'", c->r.suffix, c->cur.extra);
		suggest(c, q, eo);
		offer(c);
	}
}

/* (b) IDNA2003/transitional form equals an entry: faß.de vs fass.de. */
static void
detect_deviation(struct cls *c)
{
	const struct dlp_dom_entry *e;

	if (c->r.trans[0] == '\0')
		return;
	e = find_walk(c->db, DLP_IX_NAME, c->r.trans);
	if (e == NULL || excluded(c, e))
		return;
	start(c, e, "idna-deviation", 75, T_DEV);
	snprintf(c->cur.detail, sizeof(c->cur.detail),
	    "older software writes it '%.90s'", c->r.trans);
	snprintf(c->cur.suggest, sizeof(c->cur.suggest), "%s", c->r.trans);
	offer(c);
}

static const char *
role_name(const struct dlp_dom_entry *e)
{
	switch (e->role) {
	case DLP_DOM_INTERNAL:
		return "your organisation's domain";
	case DLP_DOM_NAMESPACE:
		return e->internal ? "your organisation's namespace"
		                   : "trusted namespace";
	case DLP_DOM_TRUSTED:
		return "trusted domain";
	default:
		return "well-known domain";
	}
}

/* The entry as shown: ".mil" for a namespace, the U-label otherwise. */
static void
shown(const struct dlp_dom_entry *e, char *out, size_t cap)
{
	snprintf(out, cap, "%s%s", e->role == DLP_DOM_NAMESPACE ? "." : "",
	    e->uname);
}

static void
explain_tld(const struct dlp_dom_tld *t, char *out, size_t cap)
{
	dlp_dom_cat(out, cap,
	    " '.%s' is on your organisation's list: %s (source: %s, %s).",
	    t->tld, t->category, t->source, t->as_of);
}

static void
explain_hit(const struct cls *c, struct dlp_domain_result *o)
{
	const struct hit *h = &c->best;
	const struct dlp_dom_rcpt *r = &c->r;
	const struct dlp_dom_country *ct =
	    find_walk(c->db, DLP_IX_COUNTRY, r->a);
	const char *role = role_name(h->e);
	char m[DOM_UMAX];
	char *x = o->explain;
	size_t cap = sizeof(o->explain);

	shown(h->e, m, sizeof(m));
	switch (h->tmpl) {
	case T_EDIT:
	case T_NS:
	case T_EDIT2:
		dlp_dom_cat(x, cap,
		    "Recipient domain '%s' is %s away from %s '%s' (%s)", r->a,
		    h->tmpl == T_EDIT2 ? "two characters" : "one character",
		    role, m, h->detail);
		if ((h->flags & DLP_DOMAIN_F_IN_SUFFIX) && ct != NULL)
			dlp_dom_cat(x, cap,
			    ": the mail would go to %s's registry ('.%s').",
			    ct->name, r->suffix);
		else if (h->flags & DLP_DOMAIN_F_IN_SUFFIX)
			dlp_dom_cat(x, cap,
			    ": the change is in the top-level domain, so the "
			    "mail would go to a different registry ('.%s').",
			    r->suffix);
		else
			dlp_dom_cat(x, cap, ".");
		break;
	case T_HOMO:
		if (r->idn)
			dlp_dom_cat(x, cap,
			    "'%s' (really '%s') looks like %s '%s' but "
			    "uses %s.",
			    r->u, r->a, role, m, h->detail);
		else
			dlp_dom_cat(x, cap, "'%s' looks like %s '%s' (%s).",
			    r->a, role, m, h->detail);
		break;
	case T_DEV:
		dlp_dom_cat(x, cap,
		    "'%s' is a different domain from %s '%s': older software "
		    "writes it '%s', but the mail goes to '%s'.",
		    r->u, role, m, r->trans, r->a);
		break;
	case T_APPEND:
		dlp_dom_cat(x, cap,
		    "'%s' is %s '%s' with '.%s' added. It is a different "
		    "domain, registered under '%s'.",
		    r->a, role, m, h->extra, r->regdom[0] ? r->regdom : r->org);
		break;
	case T_INS:
		dlp_dom_cat(x, cap,
		    "'%s' has an extra part '%s'. Without it, it would be '%s' "
		    "(%s '%s').",
		    r->a, h->extra, h->suggest, role, m);
		break;
	case T_OMIT:
		dlp_dom_cat(x, cap, "'%s' is missing the part '%s' of %s '%s'.",
		    r->a, h->extra, role, m);
		break;
	case T_JOIN:
		dlp_dom_cat(x, cap,
		    "'%s' joins the parts of %s '%s' into one name "
		    "under '.%s'.",
		    r->a, role, m, r->suffix);
		break;
	case T_SWAP:
		dlp_dom_cat(x, cap,
		    "'%s' has the same name as %s '%s' but ends in '.%s' "
		    "instead of '.%s'.",
		    r->a, role, m, r->suffix, h->extra);
		break;
	}
	if (h->suggest[0] != '\0')
		dlp_dom_cat(x, cap, " Did you mean '%s'?", h->suggest);
	if (h->closed != NULL)
		dlp_dom_cat(x, cap,
		    " The address stays inside '.%s', so it will probably "
		    "bounce. Please check it.",
		    h->closed);
	if (c->risk != NULL)
		explain_tld(c->risk, x, cap);
}

static void
set_invalid(struct dlp_domain_result *o, const char *typed, const char *kind,
    const char *why, unsigned score)
{
	o->cls = DLP_RCPT_INVALID;
	o->score = score;
	o->domain[0] = o->alabel[0] = '\0';
	snprintf(o->kind, sizeof(o->kind), "%s", kind);
	snprintf(o->explain, sizeof(o->explain),
	    "'%.200s' is not a deliverable domain name (%.200s).", typed, why);
}

/* Step 5: exact or subdomain match; internal > trusted > reference. */
static const struct dlp_dom_entry *
exact(const struct cls *c)
{
	const struct dlp_dom_entry *best = NULL;

	for (const char *p = c->r.a; p != NULL; p = next_label(p)) {
		uint64_t h = dlp_dom_hash(DLP_IX_NAME, p, strlen(p));
		size_t pos = SIZE_MAX;
		uint32_t id;

		while (dlp_dom_next(c->db, h, &pos, &id)) {
			const struct dlp_dom_entry *e;

			if (id >= c->db->nent)
				continue;
			e = &c->db->ent[id];
			if (strcmp(e->name, p) == 0 &&
			    (best == NULL || e->role < best->role))
				best = e;
		}
	}
	return best;
}

static void
classify(struct cls *c, struct dlp_domain_result *o)
{
	const struct dlp_dom_rcpt *r = &c->r;
	const struct dlp_dom_entry *e = exact(c);
	char *x = o->explain;
	size_t cap = sizeof(o->explain);

	if (e != NULL && e->role == DLP_DOM_REFERENCE && c->risk != NULL) {
		/* Well known, but the registry is still on the list. */
		o->flags |= DLP_DOMAIN_F_REFERENCE;
		snprintf(o->matched, sizeof(o->matched), "%s", e->uname);
		e = NULL;
	} else if (e != NULL) {
		o->cls = e->role == DLP_DOM_INTERNAL  ? DLP_RCPT_INTERNAL
		         : e->role == DLP_DOM_TRUSTED ? DLP_RCPT_TRUSTED
		                                      : DLP_RCPT_UNKNOWN;
		snprintf(o->kind, sizeof(o->kind), "%s",
		    e->role == DLP_DOM_REFERENCE ? "reference-domain"
		    : strcmp(e->name, r->a) == 0 ? "exact"
		                                 : "subdomain");
		snprintf(o->matched, sizeof(o->matched), "%s", e->uname);
		o->score = e->role == DLP_DOM_REFERENCE ? 20 : 0;
		if (e->role == DLP_DOM_REFERENCE)
			o->flags |= DLP_DOMAIN_F_REFERENCE;
		dlp_dom_cat(x, cap,
		    e->role == DLP_DOM_REFERENCE
		        ? "'%s' is a well-known public domain ('%s'); it is "
		          "not trusted."
		        : "'%s' is %s '%s'.",
		    r->a,
		    e->role == DLP_DOM_REFERENCE ? e->uname : role_name(e),
		    e->uname);
		return;
	}
	if (o->flags & DLP_DOMAIN_F_REFERENCE)
		goto risk;
	detect_edits(c, r->a, r->fold);
	if (r->org != r->a)
		detect_edits(c, r->org, r->ofold);
	detect_two_edits(c);
	detect_deviation(c);
	detect_ns_typo(c);
	detect_append(c);
	detect_insertion(c);
	detect_labels(c, r->a);
	if (r->org != r->a)
		detect_labels(c, r->org);
	if (c->have) {
		const struct hit *h = &c->best;

		o->cls = DLP_RCPT_TYPO;
		o->score = h->score;
		o->flags |= h->flags;
		snprintf(o->kind, sizeof(o->kind), "%s", h->kind);
		snprintf(o->matched, sizeof(o->matched), "%s", h->e->uname);
		snprintf(o->suggest, sizeof(o->suggest), "%s", h->suggest);
		snprintf(o->detail, sizeof(o->detail), "%s", h->detail);
		explain_hit(c, o);
		return;
	}
	if (c->ns_in != NULL) {
		e = (const struct dlp_dom_entry *)c->ns_in;
		o->cls = e->internal ? DLP_RCPT_INTERNAL : DLP_RCPT_TRUSTED;
		snprintf(o->kind, sizeof(o->kind), "%s", "namespace");
		snprintf(o->matched, sizeof(o->matched), "%s", e->uname);
		dlp_dom_cat(x, cap, "'%s' is inside %s '.%s'.", r->a,
		    role_name(e), e->uname);
		return;
	}
	if (!r->tld_known) {
		set_invalid(o, r->u, "unknown-tld",
		    "its top-level domain does not exist", 50);
		return;
	}
risk:
	if (c->risk != NULL) {
		size_t k = strcspn(c->risk->category, ",");

		o->cls = DLP_RCPT_HIGH_RISK;
		o->score = c->risk->score;
		snprintf(o->kind, sizeof(o->kind), "%.*s", (int)k,
		    c->risk->category);
		if (o->flags & DLP_DOMAIN_F_REFERENCE)
			dlp_dom_cat(x, cap,
			    "'%s' is a well-known public domain ('%s'), but "
			    "not trusted.",
			    r->a, o->matched);
		else
			dlp_dom_cat(x, cap,
			    "'%s' is outside the domains your organisation "
			    "knows.",
			    r->a);
		explain_tld(c->risk, x, cap);
		return;
	}
	o->cls = DLP_RCPT_UNKNOWN;
	o->score = r->mixed ? 50 : 20;
	snprintf(
	    o->kind, sizeof(o->kind), "%s", r->mixed ? "idn-mixed-script" : "");
	dlp_dom_cat(x, cap,
	    "'%s' is an external domain your organisation does not list.",
	    r->a);
	if (r->mixed) {
		char cps[128];

		dlp_dom_describe_cps(r->u, cps, sizeof(cps));
		dlp_dom_cat(
		    x, cap, " '%s' mixes writing systems (%s).", r->u, cps);
	}
}

/* Everything after the address is parsed: a function of the table and
 * the domain alone, so its result can be cached (out->address is left
 * for the caller). */
static void
classify_domain(const struct dlp_domain_db *db, const char *dom,
    struct dlp_domain_result *out)
{
	const char *why, *kind = "malformed";
	struct cls cs;
	struct cls *c = &cs;
	const struct dlp_dom_country *ct;

	memset(c, 0, sizeof(*c));
	c->db = db;
	why = dlp_dom_normalise(db, dom, strlen(dom), &c->r, &kind);
	if (why != NULL) {
		set_invalid(
		    out, strlen(dom) <= 200 ? dom : "(domain)", kind, why, 60);
		return;
	}
	if (strlen(c->r.u) >= sizeof(out->domain)) {
		set_invalid(
		    out, c->r.a, "too-long", "longer than 253 octets", 60);
		return;
	}
	memcpy(out->domain, c->r.u, strlen(c->r.u) + 1);
	snprintf(out->alabel, sizeof(out->alabel), "%.253s", c->r.a);
	ct = find_walk(db, DLP_IX_COUNTRY, c->r.a);
	if (ct != NULL)
		memcpy(out->country, ct->code, sizeof(out->country));
	if (c->r.idn)
		out->flags |= DLP_DOMAIN_F_IDN;
	if (c->r.mixed)
		out->flags |= DLP_DOMAIN_F_MIXED_SCRIPT;
	c->risk = find_row(db, DLP_IX_TLD, c->r.suffix, strlen(c->r.suffix));
	if (c->risk == NULL)
		c->risk = find_row(db, DLP_IX_TLD, c->r.tld, strlen(c->r.tld));
	if (c->risk != NULL)
		out->flags |= DLP_DOMAIN_F_TLD_LISTED;
	c->ns_in = find_walk(db, DLP_IX_NS, c->r.a);
	classify(c, out);
	if (c->r.noncanon && out->cls != DLP_RCPT_INVALID) {
		out->flags |= DLP_DOMAIN_F_NONCANONICAL;
		out->score = out->score + 30 > 100 ? 100 : out->score + 30;
		dlp_dom_cat(out->explain, sizeof(out->explain),
		    " The address as written holds hidden or look-alike "
		    "characters; mail servers read it as '%s'.",
		    c->r.a);
	}
}

enum dlp_status
dlp_domain_classify(const struct dlp_domain_db *db, const char *addr,
    size_t len, struct dlp_domain_result *out)
{
	return dlp_domain_classify_cached(db, NULL, addr, len, out);
}

enum dlp_status
dlp_domain_classify_cached(const struct dlp_domain_db *db,
    struct dlp_domain_cache *cache, const char *addr, size_t len,
    struct dlp_domain_result *out)
{
	char buf[ADDR_MAX + 2];
	char *local = NULL, *dom = NULL;
	const char *why, *kind = "malformed";
	struct dlp_domain_cache_slot *slot = NULL;
	size_t dlen;

	if (out == NULL)
		return DLP_ERR_INVAL;
	memset(out, 0, sizeof(*out));
	out->cls = DLP_RCPT_INVALID;
	if (db == NULL || addr == NULL)
		return DLP_ERR_INVAL;
	why = dlp_dom_parse_addr(addr, len, buf, &local, &dom, &kind);
	if (why != NULL) {
		set_invalid(out, len <= 200 ? buf : "(address)", kind, why, 60);
		if (len <= 200)
			snprintf(out->explain, sizeof(out->explain),
			    "'%.*s' is not a deliverable address (%s).",
			    (int)len, addr, why);
		return DLP_OK;
	}
	dlen = strlen(dom);
	if (cache != NULL && dlen < sizeof(slot->dom)) {
		uint64_t h = 14695981039346656037u; /* FNV-1a */

		if (cache->db != db) { /* first use, or another table */
			memset(cache, 0, sizeof(*cache));
			cache->db = db;
		}
		for (size_t i = 0; i < dlen; i++)
			h = (h ^ (uint8_t)dom[i]) * 1099511628211u;
		slot = &cache->slot[h % DLP_DOMAIN_CACHE_SLOTS];
		if (slot->used && slot->len == dlen &&
		    memcmp(slot->dom, dom, dlen) == 0) {
			*out = slot->r;
			cache->hits++;
		} else {
			classify_domain(db, dom, out);
			slot->used = true;
			slot->len = dlen;
			memcpy(slot->dom, dom, dlen);
			slot->r = *out;
			cache->misses++;
		}
	} else
		classify_domain(db, dom, out);
	/* The local part is at most 64 octets (checked when parsed). */
	if (out->alabel[0] != '\0')
		snprintf(out->address, sizeof(out->address), "%.200s%s%.253s",
		    local, *local ? "@" : "", out->alabel);
	return DLP_OK;
}
