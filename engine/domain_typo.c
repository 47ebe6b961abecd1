/*
 * domain_typo.c - the string side of lookalike detection: optimal string
 * alignment distance, naming a single edit (omission, repetition,
 * keyboard replacement, bitsquat, ...), keyboard adjacency computed from
 * layout rows, and deletion variants for the symmetric-delete index.
 *
 * Trusts nothing: inputs are byte strings of at most 253 octets (longer
 * ones are refused, never truncated silently). Works on A-labels, so
 * every character is ASCII; IDN lookalikes are handled on skeletons in
 * domain_idn.c. No allocation, no global mutable state.
 */
#include <stdio.h>
#include <string.h>

#include "domain_int.h"

#define OSA_MAX 256

/*
 * Keyboard rows (spec section 4). The neighbours of row r, column c are
 * (r, c+-1), (r-1, c), (r-1, c+1), (r+1, c-1) and (r+1, c): the usual
 * half-key stagger. Adjacency is the union over the layouts.
 */
static const char *const layouts[][4] = {
    {"1234567890-", "qwertyuiop", "asdfghjkl", "zxcvbnm"}, /* QWERTY */
    {"1234567890", "qwertzuiop", "asdfghjkl", "yxcvbnm"},  /* QWERTZ */
    {"1234567890", "azertyuiop", "qsdfghjklm", "wxcvbn"},  /* AZERTY */
};

static bool
find_key(const char *const rows[4], int ch, int *r, int *c)
{
	for (int i = 0; i < 4; i++) {
		const char *p = strchr(rows[i], ch);

		if (ch != 0 && p != NULL) {
			*r = i;
			*c = (int)(p - rows[i]);
			return true;
		}
	}
	return false;
}

bool
dlp_dom_adjacent(int a, int b)
{
	for (size_t l = 0; l < DLP_NITEMS(layouts); l++) {
		int ra, ca, rb, cb;

		if (!find_key(layouts[l], a, &ra, &ca) ||
		    !find_key(layouts[l], b, &rb, &cb))
			continue;
		if (ra == rb && (cb == ca - 1 || cb == ca + 1))
			return true;
		if (rb == ra - 1 && (cb == ca || cb == ca + 1))
			return true;
		if (rb == ra + 1 && (cb == ca - 1 || cb == ca))
			return true;
	}
	return false;
}

unsigned
dlp_dom_osa(
    const char *a, size_t alen, const char *b, size_t blen, unsigned max)
{
	unsigned row[3][OSA_MAX + 1];
	unsigned *p2 = row[0], *p1 = row[1], *cur = row[2];

	if (alen > OSA_MAX || blen > OSA_MAX)
		return max + 1;
	if ((alen > blen ? alen - blen : blen - alen) > max)
		return max + 1;
	for (size_t j = 0; j <= blen; j++)
		p1[j] = (unsigned)j;
	for (size_t i = 1; i <= alen; i++) {
		unsigned best = max + 1;

		cur[0] = (unsigned)i;
		for (size_t j = 1; j <= blen; j++) {
			unsigned cost = a[i - 1] == b[j - 1] ? 0 : 1;
			unsigned v = p1[j - 1] + cost;

			if (p1[j] + 1 < v)
				v = p1[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && p2[j - 2] + 1 < v)
				v = p2[j - 2] + 1;
			cur[j] = v;
			if (v < best)
				best = v;
		}
		if (best > max)
			return max + 1;
		unsigned *t = p2;
		p2 = p1;
		p1 = cur;
		cur = t;
	}
	return p1[blen] > max ? max + 1 : p1[blen];
}

/* Single characters that look alike in most fonts (spec section 4). */
static bool
visual_pair(int a, int b)
{
	static const char *const pairs[] = {"0o", "1l", "1i", "il", "mn"};

	for (size_t i = 0; i < DLP_NITEMS(pairs); i++)
		if ((pairs[i][0] == a && pairs[i][1] == b) ||
		    (pairs[i][0] == b && pairs[i][1] == a))
			return true;
	return false;
}

static bool
is_vowel(int c)
{
	return c != 0 && strchr("aeiou", c) != NULL;
}

static bool
one_bit(int a, int b)
{
	unsigned x = (unsigned)(a ^ b) & 0xff;

	return x != 0 && (x & (x - 1)) == 0;
}

void
dlp_dom_edit_kind(const char *r, size_t rlen, const char *e, size_t elen,
    const char **kind, unsigned *score, size_t *epos, char *detail, size_t dcap)
{
	size_t i = 0;

	while (i < rlen && i < elen && r[i] == e[i])
		i++;
	*epos = i;
	*score = 80;
	if (rlen == elen) {
		int a = e[i], b = r[i];

		if (i + 1 < rlen && r[i] == e[i + 1] && r[i + 1] == e[i] &&
		    memcmp(r + i + 2, e + i + 2, rlen - i - 2) == 0) {
			*kind = "transposition";
			snprintf(
			    detail, dcap, "'%c' and '%c' swapped", a, e[i + 1]);
			return;
		}
		snprintf(detail, dcap, "'%c' instead of '%c'", b, a);
		if (visual_pair(a, b))
			*kind = "homoglyph-ascii";
		else if (dlp_dom_adjacent(a, b))
			*kind = "replacement-adjacent";
		else if (is_vowel(a) && is_vowel(b))
			*kind = "vowel-swap";
		else if (one_bit(a, b))
			*kind = "bitsquat";
		else {
			*kind = "substitution";
			*score = 70;
		}
		return;
	}
	if (rlen == elen + 1) {
		int c = r[i];
		int prev = i > 0 ? r[i - 1] : 0, next = r[i + 1];

		snprintf(detail, dcap, "'%c' added", c);
		if (c == prev)
			*kind = "repetition";
		else if (c == '-')
			*kind = "hyphenation";
		else if (c == '.')
			*kind = "dot-insertion";
		else if (c == 's' && (next == '.' || next == 0))
			*kind = "plural";
		else if (dlp_dom_adjacent(c, prev) || dlp_dom_adjacent(c, next))
			*kind = "insertion-adjacent";
		else {
			*kind = "insertion";
			*score = 70;
		}
		return;
	}
	/* One character fewer in the recipient. */
	snprintf(detail, dcap, "'%c' omitted", i < elen ? e[i] : '?');
	if (i < elen && e[i] == '-')
		*kind = "hyphen-omission";
	else if (i < elen && e[i] == '.')
		*kind = "missing-dot";
	else
		*kind = "omission";
}

bool
dlp_dom_deletes(const char *s, size_t len, size_t from,
    bool (*fn)(void *u, const char *d, size_t dlen), void *u)
{
	char buf[OSA_MAX];

	if (len == 0 || len > OSA_MAX)
		return true;
	for (size_t i = from; i < len; i++) {
		/* Deleting either of two equal neighbours gives one string. */
		if (i > from && s[i] == s[i - 1])
			continue;
		memcpy(buf, s, i);
		memcpy(buf + i, s + i + 1, len - i - 1);
		if (!fn(u, buf, len - 1))
			return false;
	}
	return true;
}
