/*
 * validate.c - the validator name table, helpers shared by the validator
 * files, and dlp_context_suppressed(), the false-positive context check of
 * markings.md §14.
 *
 * Trust:  the text is hostile but already normalised (UTF-8, LF line ends,
 *         blanks collapsed). Offsets from the matcher are checked against
 *         the length before use.
 * Limits: every search is bounded: the line, the paragraph, or at most
 *         DLP_VCTX_MAX bytes either side of the span. Nothing allocates.
 * Status: validators return accept/reject only; there is no error path.
 */
#include <stdarg.h>
#include <string.h>

#include "validate.h"

#define DLP_VCTX_MAX 1024 /* context window either side of a span */

static const struct {
	const struct dlp_validator_def *defs;
	const size_t *n;
} tables[] = {
    {dlp_validate_pii_defs, &dlp_validate_pii_ndefs},
    {dlp_validate_us_defs, &dlp_validate_us_ndefs},
    {dlp_validate_intl_defs, &dlp_validate_intl_ndefs},
    {dlp_validate_labels_defs, &dlp_validate_labels_ndefs},
};

dlp_validator_fn
dlp_validator_lookup(const char *name)
{
	if (name == NULL)
		return NULL;
	for (size_t i = 0; i < DLP_NITEMS(tables); i++)
		for (size_t j = 0; j < *tables[i].n; j++)
			if (strcmp(tables[i].defs[j].name, name) == 0)
				return tables[i].defs[j].fn;
	return NULL;
}

void
dlp_validate_init(const struct dlp_vin *in, struct dlp_vout *out)
{
	memset(out, 0, sizeof(*out));
	out->level = in->level;
	out->flags = in->flags;
	out->confidence = 2;
	out->end = in->end <= in->len ? in->end : in->len;
	out->start = in->start != DLP_VSTART_UNKNOWN && in->start <= out->end
	                 ? in->start
	                 : dlp_validate_start(in);
}

size_t
dlp_validate_start(const struct dlp_vin *in)
{
	size_t e = in->end <= in->len ? in->end : in->len, s = e;

	/* Walk back over the token run: no further than the line start. */
	while (s > 0 && in->text[s - 1] != '\n' && e - s < 256)
		s--;
	while (s < e && dlp_v_blank(in->text[s]))
		s++;
	return s;
}

void
dlp_validate_line(
    const uint8_t *t, size_t len, size_t pos, size_t *ls, size_t *le)
{
	size_t s, e;

	if (pos > len)
		pos = len;
	s = pos;
	while (s > 0 && t[s - 1] != '\n' && pos - s < DLP_VLINE_MAX)
		s--;
	e = pos;
	while (e < len && t[e] != '\n' && e - pos < DLP_VLINE_MAX)
		e++;
	*ls = s;
	*le = e;
}

bool
dlp_validate_at(
    const uint8_t *t, size_t len, size_t pos, const char *s, bool nocase)
{
	size_t n = strlen(s);

	if (pos > len || len - pos < n)
		return false;
	return nocase ? dlp_memcaseeq(t + pos, s, n)
	              : memcmp(t + pos, s, n) == 0;
}

/* Does t[i..i+n) equal s (n bytes, c0 its first byte folded or not)? */
static inline bool
at_n(const uint8_t *t, size_t i, const char *s, size_t n, bool nocase)
{
	if (nocase)
		return dlp_tolower(t[i]) == dlp_tolower((uint8_t)s[0]) &&
		       dlp_memcaseeq(t + i, s, n);
	return t[i] == (uint8_t)s[0] && memcmp(t + i, s, n) == 0;
}

size_t
dlp_validate_find(const uint8_t *t, size_t lim, size_t from, size_t to,
    const char *s, bool nocase)
{
	size_t n = strlen(s);

	if (n == 0 || lim < n)
		return DLP_VNONE;
	if (to > lim - n + 1)
		to = lim - n + 1;
	for (size_t i = from; i < to; i++)
		if (at_n(t, i, s, n, nocase))
			return i;
	return DLP_VNONE;
}

size_t
dlp_validate_rfind(const uint8_t *t, size_t lim, size_t from, size_t to,
    const char *s, bool nocase)
{
	size_t n = strlen(s);

	if (n == 0 || lim < n)
		return DLP_VNONE;
	if (to > lim - n + 1)
		to = lim - n + 1;
	for (size_t i = to; i > from; i--)
		if (at_n(t, i - 1, s, n, nocase))
			return i - 1;
	return DLP_VNONE;
}

bool
dlp_validate_alone(const uint8_t *t, size_t len, size_t s, size_t e)
{
	size_t ls, le;

	dlp_validate_line(t, len, s, &ls, &le);
	if (e > le)
		return false;
	for (size_t i = ls; i < s; i++)
		if (!dlp_v_blank(t[i]))
			return false;
	for (size_t i = e; i < le; i++)
		if (!dlp_v_blank(t[i]))
			return false;
	return true;
}

/* Is line [s, e) blank? */
static bool
line_empty(const uint8_t *t, size_t s, size_t e)
{
	for (size_t i = s; i < e; i++)
		if (!dlp_v_blank(t[i]))
			return false;
	return true;
}

bool
dlp_validate_edge(const uint8_t *t, size_t len, size_t pos, unsigned n)
{
	size_t top = len < DLP_VEDGE_MAX ? len : DLP_VEDGE_MAX;
	size_t bot = len > DLP_VEDGE_MAX ? len - DLP_VEDGE_MAX : 0;
	unsigned seen = 0;
	size_t i = 0;

	if (pos > len)
		return false;
	/* From the top: the first n non-empty lines within top bytes. */
	while (i < top && seen < n) {
		size_t ls = i;

		while (i < top && t[i] != '\n')
			i++;
		if (i == top && i < len)
			break; /* the line goes on past the window */
		if (!line_empty(t, ls, i))
			seen++;
		if (pos >= ls && pos <= i)
			return true;
		i++;
	}
	/* From the bottom, the same. */
	seen = 0;
	i = len;
	while (i > bot && seen < n) {
		size_t le = i;

		while (i > bot && t[i - 1] != '\n')
			i--;
		if (i == bot && i > 0)
			break;
		if (!line_empty(t, i, le))
			seen++;
		if (pos >= i && pos <= le)
			return true;
		if (i == 0)
			break;
		i--;
	}
	return false;
}

static void
append(char *dst, size_t cap, const void *p, size_t n)
{
	size_t have = strlen(dst);

	if (have + 1 >= cap)
		return;
	if (n > cap - 1 - have)
		n = cap - 1 - have;
	memcpy(dst + have, p, n);
	dst[have + n] = '\0';
}

void
dlp_validate_detail(struct dlp_vout *out, const void *p, size_t n)
{
	append(out->detail, sizeof(out->detail), p, n);
}

void
dlp_validate_rel(struct dlp_vout *out, const void *p, size_t n)
{
	if (out->rel_to[0] != '\0')
		append(out->rel_to, sizeof(out->rel_to), " ", 1);
	append(out->rel_to, sizeof(out->rel_to), p, n);
}

/*
 * Context suppression.
 */

struct word {
	const char *s;
	size_t n;
};
#define W(lit)                                                                 \
	{                                                                      \
		lit, sizeof(lit) - 1                                           \
	}

/* Phrases that, when they cover the span, make it ordinary text. */
static const struct word cover_phrases[] = {
    W("CONFIDENTIALITY NOTICE"),
    W("Official Secrets Act"),
    W("Official Secrets"),
    W("Victoria's Secret"),
    W("Victorias Secret"),
    W("Secret Santa"),
    W("Top Secret recipe"),
    W("secret recipe"),
    W("trade secret"),
    W("SECRET_KEY"),
    W("SECRET_ACCESS_KEY"),
    W("client_secret"),
    W("api_secret"),
    W("kind: Secret"),
    W("secrets:"),
    W("Secrets Manager"),
    W("Vault secret"),
    W("secret key"),
    W("Classified Ads"),
    W("Protected Disclosure Act"),
    W("password protected"),
    W("PROTECTED VIEW"),
    W("protected:"),
    W("Restricted Stock"),
    W("RESTRICTED ACCESS"),
    W("For Your Eyes Only"),
    W("FOR YOUR EYES ONLY"),
    W("Black Friday"),
    W("THE SECRET TO"),
    W("secret to"),
    W("UNCONTROLLED COPY"),
    W("CONTROLLED COPY"),
};

/* Disclaimer cues: within the span's paragraph they cancel the
 * "confidential" family of words. */
static const struct word disclaimer_cues[] = {
    W("CONFIDENTIALITY NOTICE"),
    W("intended recipient"),
    W("intended solely"),
    W("if you have received this"),
    W("privileged and confidential"),
    W("privileged & confidential"),
    W("private & confidential"),
    W("private and confidential"),
    W("attorney-client"),
    W("confidentiality notice"),
};

static const struct word disclaimer_words[] = {
    W("confidential"),
    W("restricted"),
    W("private"),
    W("privileged"),
};

/* Description cues: on the span's line they mark a description. */
static const struct word description_cues[] = {
    W("for example"),
    W("e.g."),
    W("such as"),
    W("for training purposes"),
};

/* Marketing cues: on the span's line they make "secret" a slogan. */
static const struct word marketing_cues[] = {
    W("Black Friday"),
    W(" deals"),
    W("% off"),
    W("discount"),
    W("giveaway"),
    W("unsubscribe"),
    W("limited time"),
};

/* Level words for "several levels listed in one line". */
static const struct word level_words[] = {
    W("TOP SECRET"),
    W("SECRET"),
    W("CONFIDENTIAL"),
    W("RESTRICTED"),
    W("UNCLASSIFIED"),
    W("OFFICIAL-SENSITIVE"),
    W("OFFICIAL"),
    W("PROTECTED"),
};

/* Does a phrase occurrence cover or touch [s, e)? */
static bool
covered(const uint8_t *t, size_t len, size_t s, size_t e, const struct word *ph)
{
	size_t n = ph->n, from = s >= n ? s - n + 1 : 0;

	for (size_t i = from; i <= e && i + n <= len; i++)
		if (at_n(t, i, ph->s, n, true))
			return true;
	return false;
}

/* The paragraph around [s, e): bounded by a blank line or DLP_VCTX_MAX. */
static void
paragraph(
    const uint8_t *t, size_t len, size_t s, size_t e, size_t *ps, size_t *pe)
{
	size_t a = s, b = e;

	while (a > 0 && s - a < DLP_VCTX_MAX &&
	       !(t[a - 1] == '\n' && a >= 2 && t[a - 2] == '\n'))
		a--;
	while (b < len && b - e < DLP_VCTX_MAX &&
	       !(t[b] == '\n' && b + 1 < len && t[b + 1] == '\n'))
		b++;
	*ps = a;
	*pe = b;
}

/* Code context: an identifier or assignment glued to the span. */
static bool
code_glued(const uint8_t *t, size_t len, size_t s, size_t e)
{
	if (s > 0 && (t[s - 1] == '_' || t[s - 1] == '$'))
		return true;
	if (e < len && (t[e] == '_' || t[e] == '=' || t[e] == '('))
		return true;
	return false;
}

/* Number of distinct level words on [ls, le). */
static unsigned
count_levels(const uint8_t *t, size_t ls, size_t le)
{
	unsigned seen = 0, n = 0;

	for (size_t i = ls; i < le; i++) {
		if (!dlp_v_upper(t[i]) || (i > ls && dlp_v_word(t[i - 1])))
			continue;
		for (size_t w = 0; w < DLP_NITEMS(level_words); w++) {
			size_t wl = level_words[w].n;

			if (le - i < wl ||
			    !at_n(t, i, level_words[w].s, wl, false) ||
			    (i + wl < le && dlp_v_word(t[i + wl])))
				continue;
			if (!(seen & (1u << w))) {
				seen |= 1u << w;
				n++;
			}
			i += wl - 1;
			break;
		}
	}
	return n;
}

bool
dlp_context_suppressed(
    const uint8_t *text, size_t len, size_t start, size_t end)
{
	size_t ls, le, ps, pe, a, b;
	bool conf = false, secret;

	if (text == NULL || start > len || end > len || start > end)
		return false;
	for (size_t i = 0; i < DLP_NITEMS(cover_phrases); i++)
		if (covered(text, len, start, end, &cover_phrases[i]))
			return true;
	/* Code and marketing contexts are about the word "secret" (§14 items
	 * 2 and 3): a filename such as "Budget_OFFICIAL-SENSITIVE_v2.docx"
	 * keeps its marking. */
	secret = dlp_validate_find(text, end, start, end, "secret", true) !=
	             DLP_VNONE ||
	         dlp_validate_find(text, end, start, end, "eyes only", true) !=
	             DLP_VNONE;
	if (secret && code_glued(text, len, start, end))
		return true;

	/* Disclaimers cancel the confidential family, not other markings. */
	for (size_t i = 0; i < DLP_NITEMS(disclaimer_words); i++)
		if (dlp_validate_find(text, end, start, end,
		        disclaimer_words[i].s, true) != DLP_VNONE)
			conf = true;
	/* A marking alone on its line is a banner, even above a
	 * disclaimer paragraph. */
	if (conf && !dlp_validate_alone(text, len, start, end)) {
		paragraph(text, len, start, end, &ps, &pe);
		for (size_t i = 0; i < DLP_NITEMS(disclaimer_cues); i++)
			if (dlp_validate_find(text, pe, ps, pe,
			        disclaimer_cues[i].s, true) != DLP_VNONE)
				return true;
	}

	/* Descriptions of markings: cues or several levels on the line. */
	dlp_validate_line(text, len, start, &ls, &a);
	dlp_validate_line(text, len, end, &b, &le);
	a = start - ls > DLP_VCTX_MAX ? start - DLP_VCTX_MAX : ls;
	b = le - end > DLP_VCTX_MAX ? end + DLP_VCTX_MAX : le;
	for (size_t i = 0; secret && i < DLP_NITEMS(marketing_cues); i++)
		if (dlp_validate_find(
		        text, b, a, b, marketing_cues[i].s, true) != DLP_VNONE)
			return true;
	for (size_t i = 0; i < DLP_NITEMS(description_cues); i++)
		if (dlp_validate_find(text, b, a, b, description_cues[i].s,
		        true) != DLP_VNONE)
			return true;
	return count_levels(text, a, b) >= 3;
}
