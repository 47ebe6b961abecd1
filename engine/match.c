/*
 * match.c - scan one normalised text with the compiled signatures and
 * confirm each hit: scope and header, position rule, "unless" suppressors,
 * the rule's validator, false-positive context (markings only), then
 * hotwords: a hotword hit near the confirmed span raises its confidence
 * one step and lets the rule count at its hotword-min-count.
 *
 * Trust: the text is hostile. The Hyperscan callback does O(1) work and
 * never allocates beyond a bounded hit array; confirmation runs after the
 * scan. Excerpts are short and masked for PII and keyword rules.
 * Limits: at most HIT_CAP candidates per rule per text are confirmed; when
 * a rule whose hits can be rejected goes over, *limited is set so the
 * caller reports "limit" (fail closed) instead of trusting the rest.
 * Status: DLP_ERR_SCAN when Hyperscan fails (fail closed), else
 * DLP_ERR_NOMEM or DLP_OK.
 */
#include <stdio.h>
#include <string.h>

#include "match.h"
#include "validate.h"

#define HIT_CAP     4096u
#define EXCERPT_MAX 60u

struct hit {
	uint32_t pat;
	uint32_t from, to;
};

/* A confirmed span, so two triggers of one rule on the same text count
 * once. */
struct span {
	uint32_t rule;
	size_t start, end;
};
#define SPANS_RECENT 16

struct dlp_matcher {
	const struct dlp_mem *mem;
	const struct dlp_sigdb *db;
	hs_scratch_t *scratch;
	struct dlp_norm norm;
	struct hit *hits;
	size_t nhits, caphits;
	uint32_t *rule_hits; /* per rule, in the current text */
	bool over_cap;
	struct span recent[SPANS_RECENT]; /* ring of confirmed spans */
	size_t nrecent;
	/* The current text, for the callback's scope filter. */
	unsigned scope;
	const char *header;
	/* Line table of the current normalised text, built on demand. */
	uint32_t *line_start;
	uint32_t *nonempty_before;
	size_t nlines, caplines, nonempty;
	bool lines_built;
	/* The original text, for line numbers a person can find. */
	const uint8_t *orig;
	size_t origlen;
	uint32_t *orig_nl; /* offsets of '\n' in the original */
	size_t norig_nl, caporig_nl;
	bool orig_built;
};

enum dlp_status
dlp_matcher_new(const struct dlp_mem *mem, const struct dlp_sigdb *db,
    hs_scratch_t *proto, struct dlp_matcher **out)
{
	struct dlp_matcher *m;

	*out = NULL;
	if ((m = dlp_calloc(mem, 1, sizeof(*m))) == NULL)
		return DLP_ERR_NOMEM;
	m->mem = mem;
	m->db = db;
	dlp_norm_init(&m->norm, mem);
	if ((m->rule_hits = dlp_calloc(mem, db->nrules ? db->nrules : 1,
	         sizeof(*m->rule_hits))) == NULL ||
	    hs_clone_scratch(proto, &m->scratch) != HS_SUCCESS) {
		dlp_matcher_free(m);
		return DLP_ERR_NOMEM;
	}
	*out = m;
	return DLP_OK;
}

void
dlp_matcher_free(struct dlp_matcher *m)
{
	if (m == NULL)
		return;
	hs_free_scratch(m->scratch);
	dlp_norm_fini(&m->norm);
	dlp_free(m->mem, m->hits);
	dlp_free(m->mem, m->rule_hits);
	dlp_free(m->mem, m->line_start);
	dlp_free(m->mem, m->nonempty_before);
	dlp_free(m->mem, m->orig_nl);
	dlp_free(m->mem, m);
}

static bool
rule_applies(const struct dlp_rule *r, unsigned scope, const char *header)
{
	if (!(r->scope & scope))
		return false;
	if (scope == DLP_SCOPE_HEADERS && r->header != NULL)
		return header != NULL && dlp_strcasecmp(header, r->header) == 0;
	return true;
}

static bool
word_byte(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

static int
on_match(unsigned id, unsigned long long from, unsigned long long to,
    unsigned flags, void *ctx)
{
	struct dlp_matcher *m = ctx;
	const struct dlp_pattern *p = &m->db->pats[id];
	const struct dlp_rule *r = &m->db->rules[p->rule];
	struct hit *h;

	(void)flags;
	if (!rule_applies(r, m->scope, m->header))
		return 0;
	if (p->litlen != 0) {
		/* A keyword term, compiled without \b: its word boundaries
		 * (ASCII word characters, as Hyperscan's \b without UCP),
		 * checked before it counts against the cap. */
		const uint8_t *t = m->norm.text.p;

		if (to < p->litlen ||
		    (p->wb_start && to > p->litlen &&
		        word_byte(t[to - p->litlen - 1])) ||
		    (p->wb_end && to < m->norm.text.len && word_byte(t[to])))
			return 0;
	}
	if (m->rule_hits[p->rule]++ >= HIT_CAP) {
		/* Later hits are counted, not confirmed: fail closed when
		 * they could have been confirmed differently. */
		if (r->validator || r->pos != DLP_POS_ANY || p->suppressor ||
		    r->has_hotwords)
			m->over_cap = true;
		return 0;
	}
	if (m->nhits == m->caphits) {
		size_t ncap = m->caphits ? m->caphits * 2 : 64, sz;
		struct hit *nh;

		if (!dlp_mul_ok(ncap, sizeof(*nh), &sz) ||
		    (nh = dlp_realloc(m->mem, m->hits, sz)) == NULL)
			return 1; /* stop: reported as NOMEM below */
		m->hits = nh;
		m->caphits = ncap;
	}
	h = &m->hits[m->nhits++];
	h->pat = id;
	h->from = (uint32_t)from;
	h->to = (uint32_t)to;
	return 0;
}

static bool
is_blank(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Build the line table of the normalised text. */
static bool
build_lines(struct dlp_matcher *m)
{
	const uint8_t *t = m->norm.text.p;
	size_t len = m->norm.text.len, i = 0;

	m->nlines = 0;
	m->nonempty = 0;
	for (;;) {
		size_t s = i;
		bool empty = true;

		if (m->nlines == m->caplines) {
			size_t ncap = m->caplines ? m->caplines * 2 : 256, sz;
			uint32_t *a, *b;

			if (!dlp_mul_ok(ncap, sizeof(*a), &sz))
				return false;
			if ((a = dlp_realloc(m->mem, m->line_start, sz)) ==
			    NULL)
				return false;
			m->line_start = a;
			if ((b = dlp_realloc(m->mem, m->nonempty_before, sz)) ==
			    NULL)
				return false;
			m->nonempty_before = b;
			m->caplines = ncap;
		}
		while (i < len && t[i] != '\n') {
			if (!is_blank(t[i]))
				empty = false;
			i++;
		}
		m->line_start[m->nlines] = (uint32_t)s;
		m->nonempty_before[m->nlines] = (uint32_t)m->nonempty;
		m->nlines++;
		if (!empty)
			m->nonempty++;
		if (i >= len)
			break;
		i++; /* the '\n' */
	}
	m->lines_built = true;
	return true;
}

/* The 0-based line holding offset off. */
static size_t
line_of(const struct dlp_matcher *m, size_t off)
{
	size_t lo = 0, hi = m->nlines;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->line_start[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static size_t
line_end(const struct dlp_matcher *m, size_t li)
{
	return li + 1 < m->nlines ? m->line_start[li + 1] - 1
	                          : m->norm.text.len;
}

/* 1-based line, in the original text, of normalised offset off. */
static bool
orig_line(struct dlp_matcher *m, size_t off, unsigned *line)
{
	size_t o, lo = 0, hi;

	if (!m->orig_built) {
		m->norig_nl = 0;
		for (size_t i = 0; i < m->origlen; i++) {
			if (m->orig[i] != '\n')
				continue;
			if (m->norig_nl == m->caporig_nl) {
				size_t ncap = m->caporig_nl ? m->caporig_nl * 2
				                            : 256,
				       sz;
				uint32_t *n;

				if (!dlp_mul_ok(ncap, sizeof(*n), &sz) ||
				    (n = dlp_realloc(m->mem, m->orig_nl, sz)) ==
				        NULL)
					return false;
				m->orig_nl = n;
				m->caporig_nl = ncap;
			}
			m->orig_nl[m->norig_nl++] = (uint32_t)i;
		}
		m->orig_built = true;
	}
	o = dlp_norm_offset(&m->norm, off);
	/* Count the line breaks before o. */
	hi = m->norig_nl;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->orig_nl[mid] < o)
			lo = mid + 1;
		else
			hi = mid;
	}
	*line = (unsigned)lo + 1;
	return true;
}

static bool
position_ok(const struct dlp_matcher *m, const struct dlp_rule *r, size_t from,
    size_t to)
{
	const uint8_t *t = m->norm.text.p;
	size_t li = line_of(m, from), s, e, before, after;

	switch (r->pos) {
	case DLP_POS_ANY:
		return true;
	case DLP_POS_LINE_ALONE:
		s = m->line_start[li];
		e = line_end(m, li);
		while (s < from && is_blank(t[s]))
			s++;
		while (e > to && is_blank(t[e - 1]))
			e--;
		return s == from && e == to;
	case DLP_POS_FIRST:
	case DLP_POS_LAST:
	case DLP_POS_EDGE:
		before = m->nonempty_before[li];
		after = m->nonempty - before - 1;
		if (r->pos == DLP_POS_FIRST)
			return before < r->pos_lines;
		if (r->pos == DLP_POS_LAST)
			return after < r->pos_lines;
		return before < r->pos_lines || after < r->pos_lines;
	}
	return false;
}

/* Is a suppressor hit of rule ri close enough to [from,to)? */
static bool
suppressed(const struct dlp_matcher *m, uint32_t ri, size_t from, size_t to)
{
	const struct dlp_rule *r = &m->db->rules[ri];

	for (size_t i = 0; i < m->nhits; i++) {
		const struct hit *h = &m->hits[i];
		const struct dlp_pattern *p = &m->db->pats[h->pat];

		if (!p->suppressor || p->rule != ri)
			continue;
		if (r->within == 0) {
			if (line_of(m, h->from) == line_of(m, from) ||
			    line_of(m, h->to ? h->to - 1 : 0) ==
			        line_of(m, from))
				return true;
		} else if (h->to + (size_t)r->within >= from &&
		           (size_t)h->from <= to + r->within)
			return true;
	}
	return false;
}

/* Is a hotword hit of rule ri close enough to the span [from,to)? */
static bool
hot_near(const struct dlp_matcher *m, uint32_t ri, size_t from, size_t to)
{
	size_t lf = line_of(m, from), lt = line_of(m, to ? to - 1 : 0);

	for (size_t i = 0; i < m->nhits; i++) {
		const struct hit *h = &m->hits[i];
		const struct dlp_pattern *p = &m->db->pats[h->pat];

		if (!p->hotword || p->rule != ri)
			continue;
		if (p->within == 0) {
			if (line_of(m, h->from) <= lt &&
			    line_of(m, h->to ? h->to - 1 : 0) >= lf)
				return true;
		} else if (h->to + (size_t)p->within >= from &&
		           (size_t)h->from <= to + p->within)
			return true;
	}
	return false;
}

static void
make_excerpt(const struct dlp_matcher *m, const struct dlp_rule *r, size_t from,
    size_t to, char *out, size_t outsz)
{
	const uint8_t *t = m->norm.text.p;
	size_t n, o = 0;

	if (to - from > EXCERPT_MAX)
		to = from + EXCERPT_MAX;
	n = to - from;
	for (size_t i = 0; i < n && o + 4 < outsz; i++) {
		uint8_t c = t[from + i];

		if (c == '\n' || c == '\t' || c < 0x20)
			c = ' ';
		if (r->mask && i >= 2 && i + 2 < n && c != ' ' && c != '-')
			c = '*';
		else if (r->mask && c >= 0x80)
			c = '*';
		out[o++] = (char)c;
	}
	/* Do not end inside a UTF-8 sequence. */
	while (o > 0 && ((uint8_t)out[o - 1] & 0xc0) == 0x80) {
		size_t k = o;

		while (k > 0 && ((uint8_t)out[k - 1] & 0xc0) == 0x80)
			k--;
		if (k > 0 && (uint8_t)out[k - 1] >= 0xc0) {
			unsigned lead = (uint8_t)out[k - 1];
			size_t need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;

			if (o - (k - 1) == need)
				break;
			o = k - 1;
		} else
			break;
	}
	if (to < m->norm.text.len && to - from == EXCERPT_MAX && o + 3 < outsz)
		out[o++] = '.', out[o++] = '.', out[o++] = '.';
	out[o] = '\0';
}

static enum dlp_status
confirm(struct dlp_matcher *m, struct dlp_result *r, const struct hit *h,
    unsigned scope, const char *where)
{
	const struct dlp_pattern *p = &m->db->pats[h->pat];
	const struct dlp_rule *rule = &m->db->rules[p->rule];
	const uint8_t *t = m->norm.text.p;
	size_t len = m->norm.text.len;
	size_t from = rule->som ? h->from : DLP_VSTART_UNKNOWN, to = h->to;
	struct dlp_vout vo;
	struct dlp_hit hit;
	char excerpt[EXCERPT_MAX * 2 + 8];
	bool hot = false;

	if (p->litlen != 0)
		from = to - p->litlen; /* a keyword term (see on_match) */
	if (!m->lines_built && !build_lines(m))
		return DLP_ERR_NOMEM;
	if (from != DLP_VSTART_UNKNOWN && !position_ok(m, rule, from, to))
		return DLP_OK;
	if (from != DLP_VSTART_UNKNOWN && suppressed(m, p->rule, from, to))
		return DLP_OK;
	memset(&vo, 0, sizeof(vo));
	vo.level = rule->level;
	vo.flags = rule->flags;
	vo.confidence = rule->confidence;
	vo.start = from;
	vo.end = to;
	if (rule->validator != NULL) {
		dlp_validator_fn fn = dlp_validator_lookup(rule->validator);
		struct dlp_vin vi = {t, len, from, to, scope, rule->level,
		    rule->flags, m->db->labels};

		if (fn == NULL || !fn(&vi, &vo))
			return DLP_OK;
	}
	if (vo.start == DLP_VSTART_UNKNOWN || vo.start > vo.end)
		vo.start = vo.end > 40 ? vo.end - 40 : 0;
	if (vo.end > len)
		vo.end = len;
	if (vo.confidence == 0)
		return DLP_OK;
	if (strcmp(rule->category, "marking") == 0 &&
	    dlp_context_suppressed(t, len, vo.start, vo.end))
		return DLP_OK;
	if (rule->has_hotwords && hot_near(m, p->rule, vo.start, vo.end)) {
		hot = true;
		if (vo.confidence < 3)
			vo.confidence++;
	}
	for (size_t i = 0; i < m->nrecent && i < SPANS_RECENT; i++) {
		const struct span *sp = &m->recent[i];

		if (sp->rule == p->rule && sp->start == vo.start &&
		    sp->end == vo.end)
			return DLP_OK; /* already counted */
	}
	m->recent[m->nrecent++ % SPANS_RECENT] =
	    (struct span){p->rule, vo.start, vo.end};
	make_excerpt(m, rule, vo.start, vo.end, excerpt, sizeof(excerpt));
	memset(&hit, 0, sizeof(hit));
	hit.rule = rule->id;
	hit.title = rule->title;
	hit.category = rule->category;
	hit.where = where;
	hit.level = vo.level;
	hit.flags = vo.flags;
	hit.confidence = vo.confidence;
	if (!orig_line(m, vo.start, &hit.line))
		return DLP_ERR_NOMEM;
	hit.min_count =
	    hot && rule->hot_min_count ? rule->hot_min_count : rule->min_count;
	hit.excerpt = excerpt;
	hit.detail = vo.detail;
	hit.rel_to = vo.rel_to;
	hit.audit = rule->audit;
	return dlp_result_add_hit(r, &hit);
}

enum dlp_status
dlp_match_text(struct dlp_matcher *m, struct dlp_result *r, unsigned scope,
    const char *header, const char *where, const char *text, size_t len,
    bool *limited)
{
	hs_error_t rc;
	enum dlp_status st = DLP_OK;

	*limited = false;
	if (!dlp_normalise(&m->norm, (const uint8_t *)text, len))
		return DLP_ERR_NOMEM;
	m->nhits = 0;
	m->nrecent = 0;
	m->orig = (const uint8_t *)text;
	m->origlen = len;
	m->orig_built = false;
	m->over_cap = false;
	m->lines_built = false;
	m->scope = scope;
	m->header = header;
	memset(m->rule_hits, 0, m->db->nrules * sizeof(*m->rule_hits));
	rc = hs_scan(m->db->db, (const char *)m->norm.text.p,
	    (unsigned)m->norm.text.len, 0, m->scratch, on_match, m);
	if (rc == HS_SCAN_TERMINATED)
		return DLP_ERR_NOMEM; /* the callback could not grow */
	if (rc != HS_SUCCESS)
		return DLP_ERR_SCAN;
	for (size_t i = 0; i < m->nhits && st == DLP_OK; i++)
		if (!m->db->pats[m->hits[i].pat].suppressor &&
		    !m->db->pats[m->hits[i].pat].hotword)
			st = confirm(m, r, &m->hits[i], scope, where);
	*limited = m->over_cap;
	return st;
}

enum dlp_status
dlp_match_examples(struct dlp_matcher *m, size_t ri, dlp_example_fn fn,
    void *ctx, size_t *nfailed)
{
	const struct dlp_rule *rule = &m->db->rules[ri];
	unsigned scope = rule->scope & (unsigned)-(int)rule->scope;
	enum dlp_status st = DLP_OK;

	*nfailed = 0;
	for (size_t i = 0; i < rule->nexamples && st == DLP_OK; i++) {
		const struct dlp_example *ex = &rule->examples[i];
		struct dlp_result *r;
		bool limited, hit = false;

		if ((st = dlp_result_new(m->mem, 1000, &r)) != DLP_OK)
			break;
		st = dlp_match_text(m, r, scope, rule->header, "example",
		    ex->text, ex->len, &limited);
		/* A match is what would raise the level: a strong finding
		 * above level 0, as often as min-count asks (or the lower
		 * hotword-min-count, when a hotword was near a match). */
		size_t total = 0, need = rule->min_count;

		for (size_t k = 0; k < r->nfindings; k++) {
			const struct dlp_finding_x *f = &r->findings[k];

			if (strcmp(f->pub.rule, rule->id) != 0)
				continue;
			if (f->min_count < need)
				need = f->min_count;
			if (f->pub.confidence >= 2 && f->pub.level > 0)
				total += f->pub.count;
		}
		hit = total > 0 && total >= need;
		dlp_result_free(r);
		if (st != DLP_OK)
			break;
		if (hit != ex->must_match)
			(*nfailed)++;
		if (fn != NULL)
			fn(ctx, rule, ex, hit == ex->must_match);
	}
	return st;
}
