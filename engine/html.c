/*
 * html.c - HTML to text for scanning: a hand-written single-pass tag
 * stripper (no DOM, no tree building).
 *
 * What it does: tags are removed; the content of script, style,
 * template, iframe, noembed, noframes and xmp is dropped (noscript and
 * title text is kept); comments, CDATA sections, doctypes and processing
 * instructions are removed (but the content of Outlook's conditional
 * comments, <!--[if mso]> ... <![endif]-->, is kept: Outlook shows it); block
 * elements (p, div, li, tr, td, h1-h6, table, blockquote, pre, hr, section ...)
 * start a new line, <br> is a line break; outside pre and textarea white
 * space is collapsed as a browser shows it (a run of spaces, tabs and
 * source line breaks is one space, none at the start of the text or of a
 * line, and a line break takes the place of a space before it); a byte
 * order mark at the start is dropped; NUL bytes are
 * dropped (browsers ignore them, so they cannot split a word for us either);
 * alt and title attribute text is kept, between spaces (markings hide there);
 * hidden text (display:none) is kept: it is still in the mail. All
 * HTML5 named character references (engine/html_entities.inc, generated
 * by engine/gen_entities.py, with the legacy no-semicolon forms) and
 * numeric ones are decoded; invalid numbers become U+FFFD and
 * 0x80-0x9F are read as Windows-1252, as HTML5 says.
 *
 * Trusts nothing. Malformed markup never hides the text after it: an
 * unterminated comment, an unclosed script, an attribute quote that is
 * never closed or a tag without '>' all fall back to keeping the text
 * (a tag that never ends is kept as text; a quote that never closes ends
 * the tag at its first '>'). Linear time: every search that reaches the
 * end of the input is remembered, so it is never repeated. Speed: text
 * between markup is copied 16 bytes a step (SSE2; 32 with AVX2, checked
 * at run time), white space mapped in the same pass; the commonest tags
 * (a bare name and '>': <br>, </p>, <b>) are taken without leaving that
 * loop; and tag names are looked up once per distinct name and document
 * through a small memo keyed by the name's bytes. The tests and the
 * fuzzer hold every width to the scalar loop.
 *
 * Input should be UTF-8 (it is copied byte for byte); false only on
 * memory exhaustion.
 */
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "charset.h"
#include "html.h"

struct entity {
	const char *name;
	const char *utf8;
};

static const struct entity entities[] = {
#include "html_entities.inc"
};

enum tag_kind {
	TK_NONE,
	TK_BLOCK,
	TK_BR,
	TK_PRE,
	TK_RAW,
	TK_PLAINTEXT,
};

static const struct {
	const char *name;
	enum tag_kind kind;
} tags[] = {
    {"address", TK_BLOCK},
    {"article", TK_BLOCK},
    {"aside", TK_BLOCK},
    {"blockquote", TK_BLOCK},
    {"body", TK_BLOCK},
    {"br", TK_BR},
    {"caption", TK_BLOCK},
    {"center", TK_BLOCK},
    {"dd", TK_BLOCK},
    {"details", TK_BLOCK},
    {"dialog", TK_BLOCK},
    {"dir", TK_BLOCK},
    {"div", TK_BLOCK},
    {"dl", TK_BLOCK},
    {"dt", TK_BLOCK},
    {"fieldset", TK_BLOCK},
    {"figcaption", TK_BLOCK},
    {"figure", TK_BLOCK},
    {"footer", TK_BLOCK},
    {"form", TK_BLOCK},
    {"h1", TK_BLOCK},
    {"h2", TK_BLOCK},
    {"h3", TK_BLOCK},
    {"h4", TK_BLOCK},
    {"h5", TK_BLOCK},
    {"h6", TK_BLOCK},
    {"head", TK_BLOCK},
    {"header", TK_BLOCK},
    {"hgroup", TK_BLOCK},
    {"hr", TK_BLOCK},
    {"html", TK_BLOCK},
    {"iframe", TK_RAW},
    {"legend", TK_BLOCK},
    {"li", TK_BLOCK},
    {"listing", TK_PRE},
    {"main", TK_BLOCK},
    {"menu", TK_BLOCK},
    {"nav", TK_BLOCK},
    {"noembed", TK_RAW},
    {"noframes", TK_RAW},
    {"ol", TK_BLOCK},
    {"option", TK_BLOCK},
    {"p", TK_BLOCK},
    {"plaintext", TK_PLAINTEXT},
    {"pre", TK_PRE},
    {"script", TK_RAW},
    {"section", TK_BLOCK},
    {"style", TK_RAW},
    {"summary", TK_BLOCK},
    {"table", TK_BLOCK},
    {"tbody", TK_BLOCK},
    {"td", TK_BLOCK},
    {"template", TK_RAW},
    {"textarea", TK_PRE},
    {"tfoot", TK_BLOCK},
    {"th", TK_BLOCK},
    {"thead", TK_BLOCK},
    {"title", TK_BLOCK},
    {"tr", TK_BLOCK},
    {"ul", TK_BLOCK},
    {"xmp", TK_RAW},
};

#define NRAW 8 /* distinct raw-text element names, for the search cache */

struct html {
	const uint8_t *in;
	size_t len;
	struct dlp_buf *out;
	size_t base;          /* out->len on entry */
	int width;            /* text loop: 0 scalar, 1 SSE2, 2 AVX2 */
	int pre;              /* open pre/textarea/listing elements */
	size_t noquote_until; /* tags starting before: quotes not special */
	size_t no_quote[2];   /* no '"' / '\'' at or after this offset */
	size_t no_gt;         /* no '>' at or after this offset */
	size_t no_cmt;        /* no "-->" at or after this offset */
	size_t no_cdata;      /* no "]]>" at or after this offset */
	size_t no_end[NRAW];  /* no "</name" at or after, per raw name */
	const char *rawname[NRAW];
	/* Recent tag name lookups (mail uses a handful of tags, over and
	 * over), direct-mapped by a hash of tag_key. */
	struct {
		uint64_t key; /* length, then the name's bytes; 0: empty */
		uint8_t kind;
		const char *canon;
	} memo[16];
};

/* dlp_buf_putc without the call when there is room. */
static inline bool
putc_fast(struct dlp_buf *b, uint8_t c)
{
	if (b->len + 1 < b->cap) {
		b->p[b->len++] = c;
		b->p[b->len] = '\0';
		return true;
	}
	return dlp_buf_putc(b, c);
}

static bool
is_alpha(uint8_t c)
{
	return (uint8_t)((c | 0x20) - 'a') < 26;
}

static bool
is_alnum(uint8_t c)
{
	return is_alpha(c) || (uint8_t)(c - '0') < 10;
}

/* Byte classes inside tags. */
#define C_WS    1
#define C_SLASH 2
#define C_GT    4
static const uint8_t cls[256] = {
    [' '] = C_WS,
    ['\t'] = C_WS,
    ['\n'] = C_WS,
    ['\r'] = C_WS,
    ['\f'] = C_WS,
    ['/'] = C_SLASH,
    ['>'] = C_GT,
};

static inline bool
is_ws(uint8_t c)
{
	return cls[c] & C_WS;
}

/*
 * Byte order of name[0..n) (no NUL inside) against the string s: the
 * order memcmp gives, a proper prefix first. Inline: names are short.
 */
static inline int
name_cmp(const uint8_t *name, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint8_t c = (uint8_t)s[i];
		if (c == '\0' || name[i] > c)
			return 1;
		if (name[i] < c)
			return -1;
	}
	return s[n] == '\0' ? 0 : -1;
}

/* Entity with this name (n bytes, ';' included if any), or NULL. */
static const char *
entity_lookup(const uint8_t *name, size_t n)
{
	size_t lo = 0, hi = DLP_NITEMS(entities), mid;
	int c;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		c = name_cmp(name, n, entities[mid].name);
		if (c == 0)
			return entities[mid].utf8;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/*
 * Decode the character reference at in[i] ('&') into out; returns the
 * offset after it, or i + 1 with a literal '&' when it is not one.
 */
static bool
entity(const uint8_t *in, size_t len, size_t *pi, struct dlp_buf *out)
{
	size_t i = *pi, p = i + 1, ns, k;
	uint32_t v = 0;
	const char *val;
	bool hex;
	int d;

	if (p < len && in[p] == '#') {
		p++;
		hex = p < len && (in[p] | 0x20) == 'x';
		if (hex)
			p++;
		ns = p;
		for (; p < len; p++) {
			uint8_t c = in[p];
			if (c >= '0' && c <= '9')
				d = c - '0';
			else if (hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f')
				d = (c | 0x20) - 'a' + 10;
			else
				break;
			v = v * (hex ? 16 : 10) + (uint32_t)d;
			if (v > 0x10ffff)
				v = 0x110000; /* saturate; keep consuming */
		}
		if (p == ns)
			goto literal;
		if (p < len && in[p] == ';')
			p++;
		if (v == 0 || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
			v = 0xfffd;
		else if (v >= 0x80 && v <= 0x9f)
			v = dlp_cp1252_c1[v - 0x80];
		*pi = p;
		return dlp_buf_put_utf8(out, v);
	}
	ns = p;
	while (p < len && p - ns < 32 && is_alnum(in[p]))
		p++;
	if (p == ns)
		goto literal;
	if (p < len && in[p] == ';' &&
	    (val = entity_lookup(in + ns, p - ns + 1)) != NULL) {
		*pi = p + 1;
		return dlp_buf_puts(out, val);
	}
	/* Legacy forms without ';' ("&amp", "&nbsp", "&notit" = "¬it"). */
	for (k = p - ns; k >= 2; k--) {
		if ((val = entity_lookup(in + ns, k)) != NULL) {
			*pi = ns + k;
			return dlp_buf_puts(out, val);
		}
	}
literal:
	*pi = i + 1;
	return putc_fast(out, '&');
}

static bool
decode_entities(const uint8_t *in, size_t len, struct dlp_buf *out)
{
	size_t i = 0, s;
	const uint8_t *a;

	while (i < len) {
		s = i;
		a = memchr(in + i, '&', len - i);
		i = a != NULL ? (size_t)(a - in) : len;
		if (!dlp_buf_append(out, in + s, i - s))
			return false;
		if (i < len && !entity(in, len, &i, out))
			return false;
	}
	return true;
}

bool
dlp_html_decode_entities(const uint8_t *in, size_t len, struct dlp_buf *out)
{
	return decode_entities(in, len, out);
}

/*
 * A line break at the end of p[base..len), which has room for one more
 * byte: for <br> (block false) always, for a block tag only away from a
 * line start; in place of a trailing space (a browser shows none there)
 * unless in pre. Returns the new length.
 */
static inline size_t
break_out(uint8_t *p, size_t len, size_t base, bool block, bool pre)
{
	if (block && (len == base || p[len - 1] == '\n'))
		return len;
	if (!pre && len > base && p[len - 1] == ' ')
		p[len - 1] = '\n';
	else
		p[len++] = '\n';
	return len;
}

static bool
put_break(struct html *h, bool block)
{
	struct dlp_buf *o = h->out;

	if (o->len + 1 >= o->cap && !dlp_buf_reserve(o, 1))
		return false;
	o->len = break_out(o->p, o->len, h->base, block, h->pre != 0);
	o->p[o->len] = '\0';
	return true;
}

/* A line break (<br>). */
static bool
line_break(struct html *h)
{
	return put_break(h, false);
}

/* A line break unless the output is empty or already ends with one. */
static bool
newline(struct html *h)
{
	return put_break(h, true);
}

/* First c at or after from, using the "none left" cache *none. */
static size_t
find_ch(struct html *h, size_t from, uint8_t c, size_t *none)
{
	const uint8_t *q;

	if (from >= h->len || from >= *none)
		return SIZE_MAX;
	q = memchr(h->in + from, c, h->len - from);
	if (q == NULL) {
		*none = from;
		return SIZE_MAX;
	}
	return (size_t)(q - h->in);
}

/* Offset just after s (n bytes) at or after from, or SIZE_MAX. */
static size_t
find_str(const uint8_t *in, size_t len, size_t from, const char *s)
{
	size_t n = strlen(s);
	const uint8_t *q;

	while (from + n <= len) {
		q = memchr(in + from, s[0], len - from - n + 1);
		if (q == NULL)
			return SIZE_MAX;
		if (memcmp(q, s, n) == 0)
			return (size_t)(q - in) + n;
		from = (size_t)(q - in) + 1;
	}
	return SIZE_MAX;
}

/* find_str with a "none left" cache, as find_ch. */
static size_t
find_str_cached(struct html *h, size_t from, const char *s, size_t *none)
{
	size_t r;

	if (from >= *none)
		return SIZE_MAX;
	if ((r = find_str(h->in, h->len, from, s)) == SIZE_MAX)
		*none = from;
	return r;
}

/*
 * The memo's key of a tag name: its bytes, lower-cased, and its length
 * (names of up to 7 bytes, all the usual ones; a longer one gets key 0,
 * which no entry has, and is looked up every time).
 */
static uint64_t
tag_key(const uint8_t *name, size_t n)
{
	uint64_t key = n;
	size_t i;

	if (n == 0 || n >= 8)
		return 0;
	for (i = 0; i < n; i++)
		key |= (uint64_t)(uint8_t)dlp_tolower(name[i]) << (8 * i + 8);
	return key;
}

static inline size_t
memo_slot(uint64_t key)
{
	return (size_t)((key * 0x9e3779b97f4a7c15u) >> 60);
}

/* The tag table's entry for name[0..n) (key: its tag_key), remembered. */
static enum tag_kind
tag_search(struct html *h, const uint8_t *name, size_t n, uint64_t key,
    const char **canon)
{
	char low[15];
	size_t i, lo, hi, mid, k;
	enum tag_kind kind = TK_NONE;
	int c;

	*canon = NULL;
	if (n == 0 || n > sizeof(low))
		return TK_NONE;
	for (i = 0; i < n; i++)
		low[i] = (char)dlp_tolower(name[i]);
	lo = 0;
	hi = DLP_NITEMS(tags);
	while (lo < hi) { /* the order memcmp gives, a proper prefix first */
		const char *t = tags[mid = (lo + hi) / 2].name;

		for (k = 0; k < n && t[k] != '\0' && low[k] == t[k];)
			k++;
		if (k == n)
			c = t[k] == '\0' ? 0 : -1;
		else if (t[k] == '\0')
			c = 1;
		else
			c = (uint8_t)low[k] - (uint8_t)t[k];
		if (c == 0) {
			*canon = t;
			kind = tags[mid].kind;
			break;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (key != 0) {
		size_t slot = memo_slot(key);

		h->memo[slot].key = key;
		h->memo[slot].kind = (uint8_t)kind;
		h->memo[slot].canon = *canon;
	}
	return kind;
}

/* The kind of the tag name[0..n) whose tag_key is key: from the memo
 * when it is there (inline: that is nearly every tag). */
static inline enum tag_kind
tag_kind_key(struct html *h, const uint8_t *name, size_t n, uint64_t key,
    const char **canon)
{
	size_t slot = memo_slot(key);

	if (key != 0 && h->memo[slot].key == key) {
		*canon = h->memo[slot].canon;
		return (enum tag_kind)h->memo[slot].kind;
	}
	return tag_search(h, name, n, key, canon);
}

static enum tag_kind
tag_kind(struct html *h, const uint8_t *name, size_t n, const char **canon)
{
	return tag_kind_key(h, name, n, tag_key(name, n), canon);
}

/*
 * Parse the attributes of a tag from p up to its '>'. For a start tag,
 * alt and title values go to the output. Returns the offset after '>',
 * or SIZE_MAX when the tag does not end (output is rolled back then).
 */
static size_t
attributes(struct html *h, size_t p, size_t tagstart, bool start, bool *ok)
{
	const uint8_t *in = h->in;
	size_t len = h->len, an, anl, vs, ve, save = h->out->len;
	bool quotes = tagstart >= h->noquote_until;

	*ok = true;
	for (;;) {
		while (p < len && (is_ws(in[p]) || in[p] == '/'))
			p++;
		if (p >= len)
			break;
		if (in[p] == '>')
			return p + 1;
		an = p;
		while (p < len && !(cls[in[p]] & (C_WS | C_SLASH | C_GT)) &&
		       (in[p] != '=' || p == an))
			p++;
		anl = p - an;
		while (p < len && is_ws(in[p]))
			p++;
		if (p >= len || in[p] != '=')
			continue;
		p++;
		while (p < len && is_ws(in[p]))
			p++;
		if (p < len && quotes && (in[p] == '"' || in[p] == '\'')) {
			int qi = in[p] == '\'';
			vs = p + 1;
			ve = find_ch(h, vs, in[p], &h->no_quote[qi]);
			if (ve == SIZE_MAX)
				break; /* never closed */
			p = ve + 1;
		} else {
			vs = p;
			while (p < len && !(cls[in[p]] & (C_WS | C_GT)))
				p++;
			ve = p;
		}
		if (start &&
		    ((anl == 3 && dlp_memcaseeq(in + an, "alt", 3)) ||
		        (anl == 5 && dlp_memcaseeq(in + an, "title", 5)))) {
			if (!putc_fast(h->out, ' ') ||
			    !decode_entities(in + vs, ve - vs, h->out) ||
			    !putc_fast(h->out, ' ')) {
				*ok = false;
				return SIZE_MAX;
			}
		}
	}
	/* The tag does not end where quotes count: from now on they do
	 * not (a later tag would only scan to the end again). */
	h->noquote_until = len;
	h->out->len = save;
	if (h->out->cap > 0)
		h->out->p[save] = '\0';
	return SIZE_MAX;
}

/* Skip a raw-text element's content after its start tag (at p). */
static size_t
skip_raw(struct html *h, size_t p, const char *name)
{
	size_t n = strlen(name), k, q, slot = NRAW;

	for (k = 0; k < NRAW; k++) {
		if (h->rawname[k] == name || h->rawname[k] == NULL) {
			h->rawname[k] = name;
			slot = k;
			break;
		}
	}
	if (slot < NRAW && p >= h->no_end[slot])
		return p; /* known: never closed, keep the text */
	for (q = p; (q = find_str(h->in, h->len, q, "</")) != SIZE_MAX;) {
		if (q + n <= h->len && dlp_memcaseeq(h->in + q, name, n) &&
		    (q + n == h->len || is_ws(h->in[q + n]) ||
		        h->in[q + n] == '>' || h->in[q + n] == '/')) {
			k = find_ch(h, q + n, '>', &h->no_gt);
			return k == SIZE_MAX ? h->len : k + 1;
		}
	}
	/* No end tag: a browser would hide the rest; we keep it. */
	if (slot < NRAW)
		h->no_end[slot] = p;
	return p;
}

/* Handle markup at in[i] == '<'; *pi moves past what was consumed. */
static bool
markup(struct html *h, size_t *pi)
{
	const uint8_t *in = h->in;
	size_t len = h->len, i = *pi, p, e, ns;
	const char *canon;
	enum tag_kind kind;
	bool end, ok;

	if (i + 1 >= len)
		goto literal;
	if (in[i + 1] == '!') {
		if (i + 3 < len && in[i + 2] == '-' && in[i + 3] == '-') {
			p = i + 4;
			/* Outlook shows "<!--[if mso]> ... <![endif]-->": drop
			 * the markers, keep what is between them. */
			if (len - p >= 3 && memcmp(in + p, "[if", 3) == 0 &&
			    (e = find_ch(h, p, '>', &h->no_gt)) != SIZE_MAX) {
				*pi = e + 1;
				return true;
			}
			if (p < len && in[p] == '>')
				e = p + 1;
			else if (p + 1 < len && in[p] == '-' &&
			         in[p + 1] == '>')
				e = p + 2;
			else
				e = find_str_cached(h, p, "-->", &h->no_cmt);
			/* Unterminated: drop only the "<!--" itself. */
			*pi = e != SIZE_MAX ? e : p;
			return true;
		}
		if (len - i >= 9 && memcmp(in + i, "<![CDATA[", 9) == 0 &&
		    (e = find_str_cached(h, i + 9, "]]>", &h->no_cdata)) !=
		        SIZE_MAX) {
			*pi = e;
			return true;
		}
		goto bogus;
	}
	if (in[i + 1] == '?')
		goto bogus;
	if (i + 1 >= h->no_gt)
		goto literal; /* no '>' left: no tag can end */
	end = in[i + 1] == '/';
	ns = i + 1 + end;
	if (ns >= len || !is_alpha(in[ns])) {
		if (end)
			goto bogus;
		goto literal;
	}
	for (p = ns; p < len && !(cls[in[p]] & (C_WS | C_SLASH | C_GT));)
		p++;
	kind = tag_kind(h, in + ns, p - ns, &canon);
	if (p < len && in[p] == '>') {
		e = p + 1; /* no attributes */
		ok = true;
	} else {
		e = attributes(h, p, i, !end, &ok);
	}
	if (!ok)
		return false;
	if (e == SIZE_MAX) {
		/* No '>' outside quotes: end the tag at its first '>'. */
		e = find_ch(h, i + 1, '>', &h->no_gt);
		if (e == SIZE_MAX)
			goto literal; /* a tag that never ends is text */
		e++;
	}
	*pi = e;
	switch (kind) {
	case TK_NONE:
		return true;
	case TK_BR:
		return line_break(h);
	case TK_BLOCK:
		return newline(h);
	case TK_PRE:
		if (end && h->pre > 0)
			h->pre--;
		else if (!end && h->pre < 1000)
			h->pre++;
		return newline(h);
	case TK_RAW:
		if (!end)
			*pi = skip_raw(h, e, canon);
		return true;
	case TK_PLAINTEXT:
		if (end)
			return true;
		*pi = len;
		return newline(h) && dlp_buf_append(h->out, in + e, len - e);
	}
	return true;
bogus:
	/* <!doctype>, <?xml ...?>, </ 3>: a comment up to the next '>'. */
	e = find_ch(h, i + 1, '>', &h->no_gt);
	if (e != SIZE_MAX) {
		*pi = e + 1;
		return true;
	}
literal:
	*pi = i + 1;
	return putc_fast(h->out, '<');
}

/* Bytes that end a run of plain text in pre. */
static const uint8_t special[256] = {
    ['<'] = 1,
    ['&'] = 1,
    ['\0'] = 1,
    ['\r'] = 1,
    ['\n'] = 1,
    ['\t'] = 1,
    ['\f'] = 1,
};

/* Outside pre: 1 ends a run, 2 is white space (collapsed). */
static const uint8_t run_cls[256] = {
    ['<'] = 1,
    ['&'] = 1,
    ['\0'] = 1,
    [' '] = 2,
    ['\r'] = 2,
    ['\n'] = 2,
    ['\t'] = 2,
    ['\f'] = 2,
};

/* Is p[base..len) at a point where white space shows nothing: at its
 * start, or after a space or a line break? */
static inline bool
at_break_in(const uint8_t *p, size_t len, size_t base)
{
	return len == base || p[len - 1] == ' ' || p[len - 1] == '\n';
}

static inline bool
at_break(const struct html *h)
{
	return at_break_in(h->out->p, h->out->len, h->base);
}

/*
 * <br>, <p> and </p>, four tags in five in mail, known from the four
 * bytes at q (letters in either case, every other byte exact): their
 * length, with *kind, or 0 for anything else. Naming them here is
 * bare_tag()'s short cut past the name scan and the memo.
 */
static inline size_t
common_tag(const uint8_t *q, enum tag_kind *kind)
{
	uint32_t w;

	if (__BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__)
		return 0;
	memcpy(&w, q, 4);
	*kind = TK_BR;
	if ((w | 0x00202000u) == 0x3e72623cu) /* <br> */
		return 4;
	*kind = TK_BLOCK;
	if ((w | 0x00200000u) == 0x3e702f3cu) /* </p> */
		return 4;
	if (((w & 0x00ffffffu) | 0x00002000u) == 0x003e703cu) /* <p> */
		return 3;
	return 0;
}

/*
 * The commonest markup, taken without leaving the text loops: a start or
 * end tag whose name (letters and digits) is followed at once by '>',
 * of a kind that only breaks lines or does nothing (<br>, </p>, <b>).
 * Returns its length, with *kind, or 0 when markup() must take the tag
 * instead. It only looks (the tag memo aside); the caller writes the
 * line break. The same as markup() for what it takes: the tests hold
 * the loops that use it to the ones that do not.
 */
static inline size_t
bare_tag(struct html *h, size_t i, enum tag_kind *kind)
{
	const uint8_t *in = h->in;
	size_t len = h->len, p, ns;
	const char *canon;
	uint64_t key, w;

	if (len - i >= 4 && (p = common_tag(in + i, kind)) != 0)
		return p;
	if (in[i] != '<')
		return 0;
	ns = i + 1 + (i + 1 < len && in[i + 1] == '/');
	if (ns >= len || !is_alpha(in[ns]))
		return 0;
	for (p = ns + 1; p < len && p - ns < 8 && is_alnum(in[p]);)
		p++;
	if (p >= len || in[p] != '>')
		return 0;
	/* The tag_key of a name of letters and digits (lower case is
	 * | 0x20 for both), straight from a load when there is room. */
	if (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && p - ns < 8 &&
	    len - ns >= 8) {
		memcpy(&w, in + ns, 8);
		w = (w | 0x2020202020202020u) & ((1ull << (8 * (p - ns))) - 1);
		key = w << 8 | (p - ns);
	} else {
		key = tag_key(in + ns, p - ns);
	}
	*kind = tag_kind_key(h, in + ns, p - ns, key, &canon);
	if (*kind != TK_BR && *kind != TK_BLOCK && *kind != TK_NONE)
		return 0;
	return p + 1 - i;
}

/*
 * A text loop stopped at in[i]: a bare tag there is taken (bare_tag),
 * with the white space after it that a line start drops. Returns the
 * offset after what it took, i itself when it took nothing (markup()
 * takes the tag), or SIZE_MAX on memory exhaustion.
 */
static inline size_t
take_tag(struct html *h, size_t i)
{
	enum tag_kind kind;
	size_t e;

	if ((e = bare_tag(h, i, &kind)) == 0)
		return i;
	if (kind != TK_NONE && !put_break(h, kind == TK_BLOCK))
		return SIZE_MAX;
	i += e;
	if (i < h->len && run_cls[h->in[i]] == 2 && at_break(h))
		while (i < h->len && run_cls[h->in[i]] == 2)
			i++;
	return i;
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define DLP_HTML_AVX2 1

/*
 * The loop of text_run below, 32 bytes a step, for CPUs with AVX2: each
 * byte's class from two nibble lookups (Mula's method: the bits of the
 * low-nibble table and the high-nibble table in common), white space
 * stored as a space, and a step stops at a run of two or more white
 * space bytes (taken here: one space, the rest skipped) or at '<', '&'
 * or NUL (returned); a bare tag (bare_tag) is taken as take_tag()
 * takes it, on the output kept in locals. Returns the offset reached, or
 * SIZE_MAX on memory exhaustion; stops with fewer than 33 bytes left.
 */
__attribute__((target("avx2"))) static size_t
text_avx2(struct html *h, size_t i)
{
	/* bits: 1 TAB LF FF CR, 2 space, 4 '<', 8 '&', 16 NUL */
	const __m256i lo = _mm256_setr_epi8(18, 0, 0, 0, 0, 0, 8, 0, 0, 1, 1, 0,
	    5, 1, 0, 0, 18, 0, 0, 0, 0, 0, 8, 0, 0, 1, 1, 0, 5, 1, 0, 0);
	const __m256i hi = _mm256_setr_epi8(17, 0, 10, 4, 0, 0, 0, 0, 0, 0, 0,
	    0, 0, 0, 0, 0, 17, 0, 10, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	const __m256i nib = _mm256_set1_epi8(0x0f), sp = _mm256_set1_epi8(' ');
	const __m256i wsbits = _mm256_set1_epi8(3),
	              stbits = _mm256_set1_epi8(28);
	const __m256i zero = _mm256_setzero_si256();
	const uint8_t *in = h->in;
	struct dlp_buf *out = h->out;
	size_t len = h->len, e, k;
	enum tag_kind kind;
	/* The output's pointer, length and capacity kept in locals: a
	 * store through p could be to the buffer's own fields, as far as
	 * the compiler knows, so they would go through memory on every
	 * step. The length is written back before anything else looks at
	 * the buffer, and all three are read again after. */
	uint8_t *p = out->p;
	size_t olen = out->len, cap = out->cap;

	while (len - i >= 33) {
		__m256i v, c, ws;
		unsigned wsm, stop, run;

		if (cap - olen < 33) {
			out->len = olen;
			if (!dlp_buf_reserve(out, 4096))
				return SIZE_MAX;
			p = out->p;
			cap = out->cap;
		}
		v = _mm256_loadu_si256((const __m256i *)(const void *)(in + i));
		c = _mm256_and_si256(
		    _mm256_shuffle_epi8(lo, _mm256_and_si256(v, nib)),
		    _mm256_shuffle_epi8(
		        hi, _mm256_and_si256(_mm256_srli_epi16(v, 4), nib)));
		ws = _mm256_cmpgt_epi8(_mm256_and_si256(c, wsbits), zero);
		_mm256_storeu_si256((__m256i *)(void *)(p + olen),
		    _mm256_blendv_epi8(v, sp, ws));
		wsm = (unsigned)_mm256_movemask_epi8(ws);
		stop = (unsigned)_mm256_movemask_epi8(
		    _mm256_cmpgt_epi8(_mm256_and_si256(c, stbits), zero));
		run = wsm &
		      ((wsm >> 1) | (run_cls[in[i + 32]] == 2 ? 1u << 31 : 0));
		if ((stop | run) == 0) {
			olen += 32;
			i += 32;
			continue;
		}
		e = (size_t)__builtin_ctz(stop | run);
		olen += e;
		i += e;
		if ((stop & (1u << e)) != 0) {
			/* As take_tag(): room for the line break is there
			 * (33 bytes at the step's start, of which e < 32
			 * used). Any other stop is markup()'s or entity()'s. */
			if ((k = bare_tag(h, i, &kind)) == 0)
				break;
			if (kind != TK_NONE)
				olen = break_out(
				    p, olen, h->base, kind == TK_BLOCK, false);
			i += k;
			/* After a line break (or none at a line start) the
			 * output is at a break: only <b> and the like ask. */
			if (kind != TK_NONE || at_break_in(p, olen, h->base))
				while (i < len && run_cls[in[i]] == 2)
					i++;
			continue;
		}
		olen++; /* one space for the run (stored) */
		while (i < len && run_cls[in[i]] == 2)
			i++;
	}
	out->len = olen;
	if (out->cap > out->len)
		out->p[out->len] = '\0';
	return i;
}
#endif

/*
 * Outside pre: copy the text at in[i] up to the next '<', '&' or NUL,
 * with white space (space, tab, LF, CR, FF) collapsed as a browser shows
 * it: a run is one space, and none at the start of the output or after a
 * space or a line break. Returns the offset of the byte that stopped it,
 * or SIZE_MAX on memory exhaustion. With SSE2, 16 bytes a step, and a
 * step stops only at a run of two or more.
 */
static size_t
text_run(struct html *h, size_t i)
{
	const uint8_t *in = h->in;
	size_t len = h->len, e;
	struct dlp_buf *out = h->out;

	for (;;) {
		if (i < len && run_cls[in[i]] == 2 && at_break(h)) {
			while (i < len && run_cls[in[i]] == 2)
				i++;
		}
#if defined(__SSE2__)
		const __m128i lt = _mm_set1_epi8('<'), amp = _mm_set1_epi8('&');
		const __m128i nul = _mm_setzero_si128(),
		              sp = _mm_set1_epi8(' ');
		const __m128i ht = _mm_set1_epi8('\t'),
		              lf = _mm_set1_epi8('\n');
		const __m128i cr = _mm_set1_epi8('\r'),
		              ff = _mm_set1_epi8('\f');

#ifdef DLP_HTML_AVX2
		if (h->width >= 2) {
			if ((i = text_avx2(h, i)) == SIZE_MAX)
				return SIZE_MAX;
			if (i < len && run_cls[in[i]] == 1)
				return i;
		}
#endif
		while (h->width >= 1 && len - i >= 17) {
			__m128i v, w, ws, wsn;
			unsigned mask, run;

			if (out->cap - out->len < 17 &&
			    !dlp_buf_reserve(out, 4096))
				return SIZE_MAX;
			v = _mm_loadu_si128(
			    (const __m128i *)(const void *)(in + i));
			w = _mm_loadu_si128(
			    (const __m128i *)(const void *)(in + i + 1));
			ws = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, ht),
			                      _mm_cmpeq_epi8(v, lf)),
			    _mm_or_si128(
			        _mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, ff)));
			_mm_storeu_si128((__m128i *)(void *)(out->p + out->len),
			    _mm_or_si128(_mm_andnot_si128(ws, v),
			        _mm_and_si128(ws, sp)));
			ws = _mm_or_si128(ws, _mm_cmpeq_epi8(v, sp));
			wsn = _mm_or_si128(
			    _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(w, ht),
			                     _mm_cmpeq_epi8(w, lf)),
			        _mm_or_si128(_mm_cmpeq_epi8(w, cr),
			            _mm_cmpeq_epi8(w, ff))),
			    _mm_cmpeq_epi8(w, sp));
			run =
			    (unsigned)_mm_movemask_epi8(_mm_and_si128(ws, wsn));
			mask = (unsigned)_mm_movemask_epi8(
			    _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, lt),
			                     _mm_cmpeq_epi8(v, amp)),
			        _mm_cmpeq_epi8(v, nul)));
			if ((mask | run) == 0) {
				out->len += 16;
				i += 16;
				continue;
			}
			e = (size_t)__builtin_ctz(mask | run);
			out->len += e;
			i += e;
			if ((mask & (1u << e)) != 0) {
				if ((e = take_tag(h, i)) == i)
					break;
				if ((i = e) == SIZE_MAX)
					return SIZE_MAX;
				continue;
			}
			/* A run of two or more: one space (stored). */
			out->len++;
			while (i < len && run_cls[in[i]] == 2)
				i++;
		}
		if (out->cap > out->len)
			out->p[out->len] = '\0';
		if (len - i >= 17 && run_cls[in[i]] == 1)
			return i;
#endif
		for (e = i; e < len && run_cls[in[e]] == 0;)
			e++;
		if (e > i && !dlp_buf_append(out, in + i, e - i))
			return SIZE_MAX;
		i = e;
		if (i >= len || run_cls[in[i]] == 1)
			return i;
		/* white space */
		while (i < len && run_cls[in[i]] == 2)
			i++;
		if (!at_break(h) && !putc_fast(out, ' '))
			return SIZE_MAX;
	}
}

int
dlp_html_width_max(void)
{
#if defined(DLP_HTML_AVX2)
	if (__builtin_cpu_supports("avx2"))
		return 2;
#endif
#if defined(__SSE2__)
	return 1;
#else
	return 0;
#endif
}

/* The converter, its text loops width wide (at most what the CPU has). */
static bool
html_to_text(const uint8_t *in, size_t len, struct dlp_buf *out, int width)
{
	struct html h;
	size_t i = 0, s, k;
	uint8_t c;

	memset(&h, 0, sizeof(h));
	h.in = in;
	h.len = len;
	h.out = out;
	h.base = out->len;
	h.width = width;
	h.no_quote[0] = h.no_quote[1] = h.no_gt = SIZE_MAX;
	h.no_cmt = h.no_cdata = SIZE_MAX;
	for (k = 0; k < NRAW; k++)
		h.no_end[k] = SIZE_MAX;
	/* Text is rarely longer than its markup: one reservation (and the
	 * slack text_run stores into) mostly. */
	if (len > SIZE_MAX - 32 || !dlp_buf_reserve(out, len + 32))
		return false;
	/* A byte order mark is not text (browsers drop it). */
	if (len >= 3 && memcmp(in, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len) {
		if (h.pre == 0) {
			if ((i = text_run(&h, i)) == SIZE_MAX)
				return false;
		} else {
			s = i;
			while (i < len && !special[in[i]])
				i++;
			if (i > s && !dlp_buf_append(out, in + s, i - s))
				return false;
		}
		if (i >= len)
			break;
		c = in[i];
		if (c == '<') {
			if (!markup(&h, &i))
				return false;
		} else if (c == '&') {
			if (!entity(in, len, &i, out))
				return false;
		} else if (c == '\0') {
			i++;
		} else if (h.pre > 0) {
			if (c == '\r' && i + 1 < len && in[i + 1] == '\n')
				i++;
			i++;
			if (!putc_fast(out, c == '\r' ? '\n' : c))
				return false;
		} else {
			i++;
			if (!putc_fast(out, ' '))
				return false;
		}
	}
	return true;
}

bool
dlp_html_to_text(const uint8_t *in, size_t len, struct dlp_buf *out)
{
	return html_to_text(in, len, out, dlp_html_width_max());
}

bool
dlp_html_to_text_width(
    const uint8_t *in, size_t len, struct dlp_buf *out, int width)
{
	int max = dlp_html_width_max();

	return html_to_text(in, len, out, width < max ? width : max);
}
