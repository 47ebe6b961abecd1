/*
 * sigdb.c - read signature files and keyword dictionaries and compile
 * them into one block-mode Hyperscan database.
 *
 * Trust: signature files come from analysts, so every line is checked and
 * every error names file:line:column; Hyperscan never sees an empty
 * expression (5.4.0 crashes on one). Keyword terms are escaped byte by
 * byte, so no term can be read as a regex.
 * Limits: lines up to 64 KiB; at most 1,000,000 patterns.
 * Format: docs/signatures.md.
 */
#include <stdio.h>
#include <string.h>

#include "labelmap.h"
#include "sigdb.h"

#define MAX_PATTERNS 1000000u

/* What a pattern line is for. */
enum role {
	ROLE_MATCH,  /* "pattern": a trigger */
	ROLE_UNLESS, /* "unless": a suppressor */
	ROLE_HOT     /* "hotword": context that raises confidence */
};

static const struct {
	const char *name;
	unsigned bit;
} scope_names[] = {
    {"subject", DLP_SCOPE_SUBJECT},
    {"headers", DLP_SCOPE_HEADERS},
    {"body", DLP_SCOPE_BODY},
    {"attachment", DLP_SCOPE_ATTACHMENT},
    {"filename", DLP_SCOPE_FILENAME},
    {"metadata", DLP_SCOPE_METADATA},
    {"all", DLP_SCOPE_ALL},
};

static const struct {
	const char *name;
	unsigned bit;
} flag_names[] = {
    {"national-only", DLP_F_NATIONAL_ONLY},
    {"rel-list", DLP_F_REL_LIST},
    {"originator", DLP_F_ORIGINATOR},
    {"privacy-legal", DLP_F_PRIVACY_LEGAL},
    {"cabinet", DLP_F_CABINET},
    {"embargo", DLP_F_EMBARGO},
    {"commercial", DLP_F_COMMERCIAL},
    {"nato", DLP_F_NATO},
    {"suppressor", DLP_F_SUPPRESSOR},
};

unsigned
dlp_scope_from_name(const char *name, size_t len)
{
	for (size_t i = 0; i < DLP_NITEMS(scope_names); i++)
		if (strlen(scope_names[i].name) == len &&
		    memcmp(scope_names[i].name, name, len) == 0)
			return scope_names[i].bit;
	return 0;
}

const char *
dlp_scope_name(unsigned scope)
{
	for (size_t i = 0; i < DLP_NITEMS(scope_names); i++)
		if (scope_names[i].bit == scope)
			return scope_names[i].name;
	return "text";
}

enum dlp_status
dlp_sigdb_new(const struct dlp_mem *mem, struct dlp_sigdb **out)
{
	struct dlp_sigdb *db;

	*out = NULL;
	if ((db = dlp_calloc(mem, 1, sizeof(*db))) == NULL)
		return DLP_ERR_NOMEM;
	db->mem = mem;
	*out = db;
	return DLP_OK;
}

static void
rule_fini(const struct dlp_mem *mem, struct dlp_rule *r)
{
	dlp_free(mem, r->id);
	dlp_free(mem, r->title);
	dlp_free(mem, r->category);
	dlp_free(mem, r->file);
	dlp_free(mem, r->header);
	dlp_free(mem, r->validator);
	for (size_t i = 0; i < r->nexamples; i++)
		dlp_free(mem, r->examples[i].text);
	dlp_free(mem, r->examples);
}

void
dlp_sigdb_free(struct dlp_sigdb *db)
{
	if (db == NULL)
		return;
	for (size_t i = 0; i < db->nrules; i++)
		rule_fini(db->mem, &db->rules[i]);
	dlp_free(db->mem, db->rules);
	for (size_t i = 0; i < db->npats; i++)
		dlp_free(db->mem, db->pats[i].expr);
	dlp_free(db->mem, db->pats);
	hs_free_database(db->db);
	dlp_labelmap_free(db->labels);
	dlp_free(db->mem, db);
}

/*
 * Grow an array by one element; returns the new element, zeroed. The
 * capacity is implicit: the next power of two at or above the count, so
 * the array is reallocated only when the count reaches a power of two
 * (a 10,000-term dictionary makes 14 reallocations, not 10,000).
 */
static void *
grow(const struct dlp_mem *mem, void **arr, size_t *n, size_t elem)
{
	size_t sz;
	char *na = *arr;

	if (*n == 0 || (*n & (*n - 1)) == 0) {
		if (!dlp_mul_ok(*n ? *n : 1, 2, &sz) ||
		    !dlp_mul_ok(sz, elem, &sz))
			return NULL;
		if ((na = dlp_realloc(mem, *arr, sz)) == NULL)
			return NULL;
		*arr = na;
	}
	memset(na + *n * elem, 0, elem);
	return na + (*n)++ * elem;
}

/* The parser's position, for error messages. */
struct pctx {
	struct dlp_sigdb *db;
	const char *file;
	unsigned line;
	struct dlp_error *err;
	struct dlp_rule *rule; /* the rule being read, or NULL */
	bool rule_has_pattern;
	unsigned indent; /* blanks stripped from the line's start */
};

static enum dlp_status
perr(struct pctx *p, unsigned col, const char *msg, const char *arg)
{
	return dlp_error_set(p->err, DLP_ERR_SIGNATURE, p->file, p->line,
	    col + p->indent, "%s%s%s%s", msg, arg ? " \"" : "", arg ? arg : "",
	    arg ? "\"" : "");
}

static bool
is_word(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

static enum dlp_status
add_pattern(struct pctx *p, const char *expr, size_t len, unsigned hsflags,
    enum role role)
{
	struct dlp_sigdb *db = p->db;
	struct dlp_pattern *pat;

	if (len == 0)
		return perr(p, 1, "empty pattern", NULL);
	if (db->npats >= MAX_PATTERNS)
		return perr(p, 1, "too many patterns", NULL);
	if ((pat = grow(db->mem, (void **)&db->pats, &db->npats,
	         sizeof(*pat))) == NULL)
		return DLP_ERR_NOMEM;
	if ((pat->expr = dlp_strndup(db->mem, expr, len)) == NULL) {
		db->npats--;
		return DLP_ERR_NOMEM;
	}
	pat->hsflags = hsflags;
	pat->rule = (uint32_t)(p->rule - db->rules);
	pat->line = p->line;
	pat->suppressor = role == ROLE_UNLESS;
	pat->hotword = role == ROLE_HOT;
	if (role == ROLE_HOT)
		p->rule->has_hotwords = true;
	return DLP_OK;
}

/*
 * Render bytes as a Hyperscan expression matching them literally: word
 * characters as themselves, everything else as \xHH.
 */
static bool
escape_literal(struct dlp_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (is_word(c) || c == ' ') {
			if (!dlp_buf_putc(b, c))
				return false;
		} else if (!dlp_buf_printf(b, "\\x%02x", c))
			return false;
	}
	return true;
}

/* Unescape \n \t \\ \" in a value; returns the new length. */
static size_t
unescape(char *s, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			char c = s[++i];

			s[o++] = c == 'n'   ? '\n'
			         : c == 't' ? '\t'
			         : c == 'r' ? '\r'
			                    : c;
		} else
			s[o++] = s[i];
	}
	return o;
}

/*
 * A pattern value: /regex/flags or "literal"flags. Flags: i caseless,
 * s dot matches newline, w whole words (\b added where the ends are word
 * characters).
 */
static enum dlp_status
parse_pattern(struct pctx *p, char *v, size_t n, unsigned col, enum role role)
{
	struct dlp_buf b;
	enum dlp_status st;
	unsigned hsflags = HS_FLAG_MULTILINE;
	const char *body, *flags;
	size_t blen, flen;
	bool literal, words = false;
	char *end;

	if (n < 2 || (v[0] != '/' && v[0] != '"'))
		return perr(
		    p, col, "pattern must be /regex/ or \"literal\"", NULL);
	literal = v[0] == '"';
	end = NULL;
	for (size_t i = n; i > 1; i--)
		if (v[i - 1] == v[0] && (!literal || v[i - 2] != '\\')) {
			end = v + i - 1;
			break;
		}
	if (end == NULL || end == v)
		return perr(p, col, "unterminated pattern", NULL);
	body = v + 1;
	blen = (size_t)(end - body);
	flags = end + 1;
	flen = n - (size_t)(flags - v);
	for (size_t i = 0; i < flen; i++) {
		switch (flags[i]) {
		case 'i':
			hsflags |= HS_FLAG_CASELESS;
			break;
		case 's':
			hsflags |= HS_FLAG_DOTALL;
			break;
		case 'w':
			words = true;
			break;
		default:
			return perr(p, col + (unsigned)(flags - v + (long)i),
			    "unknown pattern flag (use i, s or w)", NULL);
		}
	}
	if (blen == 0)
		return perr(p, col, "empty pattern", NULL);
	dlp_buf_init(&b, p->db->mem);
	if (words && is_word((unsigned char)body[0]) &&
	    !dlp_buf_puts(&b, "\\b"))
		goto nomem;
	if (literal) {
		char *tmp;
		size_t tl;

		if ((tmp = dlp_strndup(p->db->mem, body, blen)) == NULL)
			goto nomem;
		tl = unescape(tmp, blen);
		if (tl == 0) {
			dlp_free(p->db->mem, tmp);
			dlp_buf_fini(&b);
			return perr(p, col, "empty literal", NULL);
		}
		if (!escape_literal(&b, tmp, tl)) {
			dlp_free(p->db->mem, tmp);
			goto nomem;
		}
		dlp_free(p->db->mem, tmp);
	} else if (!dlp_buf_append(&b, body, blen))
		goto nomem;
	if (words && is_word((unsigned char)body[blen - 1]) &&
	    !dlp_buf_puts(&b, "\\b"))
		goto nomem;
	st = add_pattern(p, (const char *)b.p, b.len, hsflags, role);
	dlp_buf_fini(&b);
	if (st == DLP_OK && role == ROLE_MATCH)
		p->rule_has_pattern = true;
	return st;
nomem:
	dlp_buf_fini(&b);
	return DLP_ERR_NOMEM;
}

static bool
parse_uint(const char *v, size_t n, unsigned max, unsigned *out)
{
	unsigned long x = 0;

	if (n == 0 || n > 9)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return false;
		x = x * 10 + (unsigned long)(v[i] - '0');
	}
	if (x > max)
		return false;
	*out = (unsigned)x;
	return true;
}

/* Split v into space-separated words, calling fn for each. */
static enum dlp_status
each_word(struct pctx *p, char *v, size_t n, unsigned col,
    enum dlp_status (*fn)(struct pctx *, const char *, size_t, unsigned))
{
	size_t i = 0;

	while (i < n) {
		size_t s;
		enum dlp_status st;

		while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		s = i;
		while (i < n && v[i] != ' ' && v[i] != '\t' && v[i] != ',')
			i++;
		if (i > s &&
		    (st = fn(p, v + s, i - s, col + (unsigned)s)) != DLP_OK)
			return st;
	}
	return DLP_OK;
}

static enum dlp_status
one_scope(struct pctx *p, const char *w, size_t n, unsigned col)
{
	unsigned bit;

	if (n > 7 && memcmp(w, "header:", 7) == 0) {
		dlp_free(p->db->mem, p->rule->header);
		if ((p->rule->header = dlp_strndup(p->db->mem, w + 7, n - 7)) ==
		    NULL)
			return DLP_ERR_NOMEM;
		p->rule->scope |= DLP_SCOPE_HEADERS;
		return DLP_OK;
	}
	if ((bit = dlp_scope_from_name(w, n)) == 0) {
		char tmp[64];

		snprintf(tmp, sizeof(tmp), "%.*s", (int)(n < 60 ? n : 60), w);
		return perr(p, col, "unknown scope", tmp);
	}
	p->rule->scope |= bit;
	return DLP_OK;
}

static enum dlp_status
one_flag(struct pctx *p, const char *w, size_t n, unsigned col)
{
	char tmp[64];

	for (size_t i = 0; i < DLP_NITEMS(flag_names); i++)
		if (strlen(flag_names[i].name) == n &&
		    memcmp(flag_names[i].name, w, n) == 0) {
			p->rule->flags |= flag_names[i].bit;
			return DLP_OK;
		}
	snprintf(tmp, sizeof(tmp), "%.*s", (int)(n < 60 ? n : 60), w);
	return perr(p, col, "unknown flag", tmp);
}

static enum dlp_status
set_string(struct pctx *p, char **slot, const char *v, size_t n)
{
	dlp_free(p->db->mem, *slot);
	if ((*slot = dlp_strndup(p->db->mem, v, n)) == NULL)
		return DLP_ERR_NOMEM;
	return DLP_OK;
}

static enum dlp_status
add_example(struct pctx *p, char *v, size_t n, bool must)
{
	struct dlp_rule *r = p->rule;
	struct dlp_example *ex;

	if ((ex = grow(p->db->mem, (void **)&r->examples, &r->nexamples,
	         sizeof(*ex))) == NULL)
		return DLP_ERR_NOMEM;
	if ((ex->text = dlp_strndup(p->db->mem, v, n)) == NULL) {
		r->nexamples--;
		return DLP_ERR_NOMEM;
	}
	ex->len = unescape(ex->text, n);
	ex->text[ex->len] = '\0';
	ex->must_match = must;
	ex->line = p->line;
	return DLP_OK;
}

static enum dlp_status
finish_rule(struct pctx *p)
{
	struct dlp_rule *r = p->rule;

	if (r == NULL)
		return DLP_OK;
	p->rule = NULL;
	if (!p->rule_has_pattern) {
		p->line = r->line;
		p->indent = 0;
		return perr(p, 1, "rule has no pattern:", r->id);
	}
	if (r->title == NULL &&
	    (r->title = dlp_strdup(p->db->mem, r->id)) == NULL)
		return DLP_ERR_NOMEM;
	if (r->category == NULL &&
	    (r->category = dlp_strdup(p->db->mem, "marking")) == NULL)
		return DLP_ERR_NOMEM;
	if (r->hot_min_count != 0 &&
	    (!r->has_hotwords || r->hot_min_count > r->min_count)) {
		p->line = r->line;
		p->indent = 0;
		return perr(p, 1,
		    "hotword-min-count needs a hotword and at most min-count:",
		    r->id);
	}
	if (r->scope == 0)
		r->scope = DLP_SCOPE_ALL & ~DLP_SCOPE_HEADERS;
	if (strcmp(r->category, "pii") == 0 ||
	    strcmp(r->category, "keyword") == 0)
		r->mask = true;
	return DLP_OK;
}

static enum dlp_status
start_rule(struct pctx *p, const char *id, size_t n, unsigned col)
{
	struct dlp_sigdb *db = p->db;
	struct dlp_rule *r;
	enum dlp_status st;

	if ((st = finish_rule(p)) != DLP_OK)
		return st;
	if (n == 0 || n > 64)
		return perr(p, col, "rule id must be 1-64 characters", NULL);
	for (size_t i = 0; i < n; i++)
		if (!is_word((unsigned char)id[i]) && id[i] != '-' &&
		    id[i] != '.' && id[i] != ':')
			return perr(p, col + (unsigned)i,
			    "rule id may hold letters, digits, - _ . : only",
			    NULL);
	for (size_t i = 0; i < db->nrules; i++)
		if (strlen(db->rules[i].id) == n &&
		    memcmp(db->rules[i].id, id, n) == 0) {
			char tmp[320];

			snprintf(tmp, sizeof(tmp),
			    "%s (first defined at %s:%u)", db->rules[i].id,
			    db->rules[i].file, db->rules[i].line);
			return perr(p, col, "duplicate rule id", tmp);
		}
	if ((r = grow(db->mem, (void **)&db->rules, &db->nrules, sizeof(*r))) ==
	    NULL)
		return DLP_ERR_NOMEM;
	r->line = p->line;
	r->confidence = 2;
	r->min_count = 1;
	r->som = true;
	r->level = 2;
	p->rule = r;
	p->rule_has_pattern = false;
	if ((r->id = dlp_strndup(db->mem, id, n)) == NULL ||
	    (r->file = dlp_strdup(db->mem, p->file)) == NULL)
		return DLP_ERR_NOMEM;
	return DLP_OK;
}

static enum dlp_status
parse_position(struct pctx *p, const char *v, size_t n, unsigned col)
{
	static const struct {
		const char *name;
		enum dlp_sig_pos pos;
	} pos_names[] = {
	    {"line-alone", DLP_POS_LINE_ALONE},
	    {"first-lines", DLP_POS_FIRST},
	    {"last-lines", DLP_POS_LAST},
	    {"edge-lines", DLP_POS_EDGE},
	};
	size_t w = 0;

	while (w < n && v[w] != ' ')
		w++;
	for (size_t i = 0; i < DLP_NITEMS(pos_names); i++) {
		if (strlen(pos_names[i].name) != w ||
		    memcmp(pos_names[i].name, v, w) != 0)
			continue;
		p->rule->pos = pos_names[i].pos;
		if (pos_names[i].pos == DLP_POS_LINE_ALONE)
			return w == n ? DLP_OK
			              : perr(p, col + (unsigned)w,
			                    "line-alone takes no number", NULL);
		while (w < n && v[w] == ' ')
			w++;
		if (!parse_uint(v + w, n - w, 10000, &p->rule->pos_lines) ||
		    p->rule->pos_lines == 0)
			return perr(p, col + (unsigned)w,
			    "expected a line count 1-10000", NULL);
		return DLP_OK;
	}
	return perr(p, col,
	    "position is line-alone, first-lines N, last-lines N or "
	    "edge-lines N",
	    NULL);
}

/*
 * "hotword PATTERN [within N]": a pattern whose hit within N bytes of a
 * confirmed match (0 or no "within": on the same line) raises the
 * finding's confidence by one step.
 */
static enum dlp_status
parse_hotword(struct pctx *p, char *v, size_t n, unsigned col)
{
	size_t e = n, d;
	unsigned within = 0;
	enum dlp_status st;

	while (e > 0 && v[e - 1] >= '0' && v[e - 1] <= '9')
		e--;
	d = e;
	while (d > 0 && v[d - 1] == ' ')
		d--;
	if (e < n && d < e && d >= 7 && memcmp(v + d - 6, "within", 6) == 0 &&
	    (v[d - 7] == ' ' || v[d - 7] == '\t')) {
		if (!parse_uint(v + e, n - e, 100000, &within))
			return perr(p, col + (unsigned)e,
			    "within must be 0-100000 bytes", NULL);
		n = d - 7;
		while (n > 0 && v[n - 1] == ' ')
			n--;
	}
	if ((st = parse_pattern(p, v, n, col, ROLE_HOT)) != DLP_OK)
		return st;
	p->db->pats[p->db->npats - 1].within = within;
	return DLP_OK;
}

static enum dlp_status
parse_line(struct pctx *p, char *s, size_t n)
{
	struct dlp_rule *r;
	size_t k = 0, v;
	unsigned col, x;
	char *val;
	size_t vn;

	while (k < n && s[k] != ' ' && s[k] != '\t')
		k++;
	v = k;
	while (v < n && (s[v] == ' ' || s[v] == '\t'))
		v++;
	val = s + v;
	vn = n - v;
	col = (unsigned)v + 1;
#define KEY(name) (k == sizeof(name) - 1 && memcmp(s, name, k) == 0)
	if (KEY("rule"))
		return start_rule(p, val, vn, col);
	if ((r = p->rule) == NULL)
		return perr(p, 1, "expected \"rule ID\" before", s);
	if (vn == 0)
		return perr(p, (unsigned)k + 1, "missing value", NULL);
	if (KEY("title") || KEY("description"))
		return set_string(p, &r->title, val, vn);
	if (KEY("category"))
		return set_string(p, &r->category, val, vn);
	if (KEY("validator"))
		return set_string(p, &r->validator, val, vn);
	if (KEY("level")) {
		if (!parse_uint(val, vn, DLP_LEVEL_MAX, &r->level))
			return perr(p, col, "level must be 0-5", NULL);
		return DLP_OK;
	}
	if (KEY("confidence")) {
		if (!parse_uint(val, vn, 3, &r->confidence))
			return perr(p, col, "confidence must be 0-3", NULL);
		return DLP_OK;
	}
	if (KEY("min-count")) {
		if (!parse_uint(val, vn, 1000000, &r->min_count) ||
		    r->min_count == 0)
			return perr(
			    p, col, "min-count must be 1-1000000", NULL);
		return DLP_OK;
	}
	if (KEY("within")) {
		if (!parse_uint(val, vn, 100000, &x))
			return perr(
			    p, col, "within must be 0-100000 bytes", NULL);
		r->within = x;
		return DLP_OK;
	}
	if (KEY("audit") || KEY("som")) {
		bool yes = vn == 3 && memcmp(val, "yes", 3) == 0;

		if (!yes && !(vn == 2 && memcmp(val, "no", 2) == 0))
			return perr(p, col, "expected yes or no", NULL);
		if (KEY("audit"))
			r->audit = yes;
		else
			r->som = yes;
		return DLP_OK;
	}
	if (KEY("scope"))
		return each_word(p, val, vn, col, one_scope);
	if (KEY("flags"))
		return each_word(p, val, vn, col, one_flag);
	if (KEY("position"))
		return parse_position(p, val, vn, col);
	if (KEY("pattern"))
		return parse_pattern(p, val, vn, col, ROLE_MATCH);
	if (KEY("unless"))
		return parse_pattern(p, val, vn, col, ROLE_UNLESS);
	if (KEY("hotword"))
		return parse_hotword(p, val, vn, col);
	if (KEY("hotword-min-count")) {
		if (!parse_uint(val, vn, 1000000, &r->hot_min_count) ||
		    r->hot_min_count == 0)
			return perr(p, col,
			    "hotword-min-count must be 1-1000000", NULL);
		return DLP_OK;
	}
	if (KEY("match"))
		return add_example(p, val, vn, true);
	if (KEY("nomatch"))
		return add_example(p, val, vn, false);
#undef KEY
	s[k] = '\0';
	return perr(p, 1, "unknown key", s);
}

static bool
valid_utf8(const unsigned char *s, size_t n, size_t *bad)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		size_t k;

		if (c < 0x80) {
			i++;
			continue;
		}
		k = (c & 0xe0) == 0xc0   ? 2
		    : (c & 0xf0) == 0xe0 ? 3
		    : (c & 0xf8) == 0xf0 ? 4
		                         : 0;
		if (k == 0 || i + k > n)
			goto bad;
		for (size_t j = 1; j < k; j++)
			if ((s[i + j] & 0xc0) != 0x80)
				goto bad;
		i += k;
	}
	return true;
bad:
	*bad = i;
	return false;
}

enum dlp_status
dlp_sigdb_parse_text(struct dlp_sigdb *db, const char *file, const char *text,
    size_t len, struct dlp_error *err)
{
	struct pctx p = {db, file, 0, err, NULL, false, 0};
	struct dlp_buf line;
	enum dlp_status st = DLP_OK;
	size_t pos = 0, bad;

	dlp_buf_init(&line, db->mem);
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		char *s;
		size_t sn;

		p.line++;
		if (n > 65536) {
			st = perr(&p, 1, "line longer than 64 KiB", NULL);
			goto out;
		}
		if (!valid_utf8((const unsigned char *)text + pos, n, &bad)) {
			st = perr(&p, (unsigned)bad + 1, "invalid UTF-8", NULL);
			goto out;
		}
		dlp_buf_reset(&line);
		if (!dlp_buf_append(&line, text + pos, n)) {
			st = DLP_ERR_NOMEM;
			goto out;
		}
		pos += n + (nl != NULL);
		s = (char *)line.p;
		sn = line.len;
		while (sn > 0 && (s[sn - 1] == '\r' || s[sn - 1] == ' ' ||
		                     s[sn - 1] == '\t'))
			s[--sn] = '\0';
		p.indent = 0;
		while (sn > 0 && (*s == ' ' || *s == '\t'))
			s++, sn--, p.indent++;
		if (sn == 0 || *s == '#')
			continue;
		if ((st = parse_line(&p, s, sn)) != DLP_OK)
			goto out;
	}
	p.line++;
	p.indent = 0;
	st = finish_rule(&p);
out:
	if (st == DLP_ERR_NOMEM)
		dlp_error_set(err, st, file, p.line, 0, "out of memory");
	dlp_buf_fini(&line);
	return st;
}

/* A keyword dictionary becomes one rule with one literal per term. */
enum dlp_status
dlp_sigdb_parse_keywords(struct dlp_sigdb *db, const char *file,
    const char *text, size_t len, struct dlp_error *err)
{
	struct pctx p = {db, file, 0, err, NULL, false, 0};
	const char *base = strrchr(file, '/');
	struct dlp_buf id, pat;
	enum dlp_status st;
	size_t pos = 0, bad;

	base = base ? base + 1 : file;
	dlp_buf_init(&id, db->mem);
	dlp_buf_init(&pat, db->mem);
	if (!dlp_buf_puts(&id, "keywords:") || !dlp_buf_puts(&id, base)) {
		st = DLP_ERR_NOMEM;
		goto out;
	}
	/* ids allow only a few characters: map the rest to '_'. */
	for (size_t i = 9; i < id.len; i++)
		if (!is_word(id.p[i]) && id.p[i] != '-' && id.p[i] != '.')
			id.p[i] = '_';
	if (id.len > 64)
		id.len = 64, id.p[64] = '\0';
	if ((st = start_rule(&p, (const char *)id.p, id.len, 1)) != DLP_OK)
		goto out;
	if ((st = set_string(&p, &p.rule->category, "keyword", 7)) != DLP_OK)
		goto out;
	p.rule->som = false; /* the start is end - length */
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		const char *s = text + pos;
		unsigned lvl;

		p.line++;
		pos += n + (nl != NULL);
		while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == ' ' ||
		                    s[n - 1] == '\t'))
			n--;
		while (n > 0 && (*s == ' ' || *s == '\t'))
			s++, n--;
		if (!valid_utf8((const unsigned char *)s, n, &bad)) {
			st = perr(&p, (unsigned)bad + 1, "invalid UTF-8", NULL);
			goto out;
		}
		if (n >= 8 && memcmp(s, "#!level ", 8) == 0) {
			if (!parse_uint(s + 8, n - 8, DLP_LEVEL_MAX, &lvl)) {
				st = perr(&p, 9, "level must be 0-5", NULL);
				goto out;
			}
			p.rule->level = lvl;
			continue;
		}
		if (n >= 8 && memcmp(s, "#!title ", 8) == 0) {
			if ((st = set_string(
			         &p, &p.rule->title, s + 8, n - 8)) != DLP_OK)
				goto out;
			continue;
		}
		if (n == 0 || *s == '#')
			continue;
		if (n > 1024) {
			st =
			    perr(&p, 1, "keyword longer than 1024 bytes", NULL);
			goto out;
		}
		/* A pure literal: \b assertions and start of match make a
		 * 10,000-term set compile 70-170 times slower and 10-30
		 * times bigger (docs/signatures.md); the matcher checks
		 * the word boundaries and knows the start from the length. */
		dlp_buf_reset(&pat);
		if (!escape_literal(&pat, s, n)) {
			st = DLP_ERR_NOMEM;
			goto out;
		}
		if ((st = add_pattern(&p, (const char *)pat.p, pat.len,
		         HS_FLAG_CASELESS | HS_FLAG_MULTILINE, ROLE_MATCH)) !=
		    DLP_OK)
			goto out;
		db->pats[db->npats - 1].litlen = (uint32_t)n;
		db->pats[db->npats - 1].wb_start = is_word((unsigned char)s[0]);
		db->pats[db->npats - 1].wb_end =
		    is_word((unsigned char)s[n - 1]);
		p.rule_has_pattern = true;
	}
	if (!p.rule_has_pattern) {
		st = dlp_error_set(err, DLP_ERR_SIGNATURE, file, 0, 0,
		    "keyword file has no terms");
		goto out;
	}
	if (p.rule->title == NULL) {
		dlp_buf_reset(&pat);
		if (!dlp_buf_printf(&pat, "Keyword from dictionary %s", base) ||
		    (p.rule->title = dlp_buf_take(&pat, NULL)) == NULL) {
			st = DLP_ERR_NOMEM;
			goto out;
		}
	}
	if (st == DLP_OK)
		st = finish_rule(&p);
out:
	p.rule = NULL;
	dlp_buf_fini(&id);
	dlp_buf_fini(&pat);
	return st;
}

unsigned
dlp_sigdb_hsflags(const struct dlp_sigdb *db, size_t i)
{
	const struct dlp_pattern *p = &db->pats[i];

	/* Hotwords always report their start: the window test needs it. */
	if (db->rules[p->rule].som || p->hotword)
		return p->hsflags | HS_FLAG_SOM_LEFTMOST;
	return p->hsflags;
}

enum dlp_status
dlp_sigdb_compile(struct dlp_sigdb *db, struct dlp_error *err)
{
	const char **exprs = NULL;
	unsigned *flags = NULL, *ids = NULL;
	hs_compile_error_t *cerr = NULL;
	enum dlp_status st = DLP_OK;
	hs_error_t rc;

	if (db->npats == 0)
		return dlp_error_set(err, DLP_ERR_SIGNATURE, "", 0, 0,
		    "no signatures: the set is empty");
	if (hs_valid_platform() != HS_SUCCESS)
		return dlp_error_set(err, DLP_ERR_SCAN, "", 0, 0,
		    "this CPU cannot run Hyperscan (SSSE3 needed)");
	exprs = dlp_calloc(db->mem, db->npats, sizeof(*exprs));
	flags = dlp_calloc(db->mem, db->npats, sizeof(*flags));
	ids = dlp_calloc(db->mem, db->npats, sizeof(*ids));
	if (exprs == NULL || flags == NULL || ids == NULL) {
		st = dlp_error_set(
		    err, DLP_ERR_NOMEM, "", 0, 0, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < db->npats; i++) {
		exprs[i] = db->pats[i].expr;
		flags[i] = dlp_sigdb_hsflags(db, i);
		ids[i] = (unsigned)i;
	}
	rc = hs_compile_multi(exprs, flags, ids, (unsigned)db->npats,
	    HS_MODE_BLOCK, NULL, &db->db, &cerr);
	if (rc != HS_SUCCESS) {
		if (cerr != NULL && cerr->expression >= 0 &&
		    (size_t)cerr->expression < db->npats) {
			const struct dlp_pattern *pt =
			    &db->pats[cerr->expression];
			const struct dlp_rule *r = &db->rules[pt->rule];

			st = dlp_error_set(err, DLP_ERR_SIGNATURE, r->file,
			    pt->line, 0, "rule %s: pattern rejected: %s", r->id,
			    cerr->message);
		} else
			st = dlp_error_set(err, DLP_ERR_SIGNATURE, "", 0, 0,
			    "signature set rejected by Hyperscan: %s",
			    cerr ? cerr->message : "unknown error");
		db->db = NULL;
	}
	hs_free_compile_error(cerr);
out:
	dlp_free(db->mem, exprs);
	dlp_free(db->mem, flags);
	dlp_free(db->mem, ids);
	return st;
}
