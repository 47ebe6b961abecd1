/*
 * validate_pii.c - validators for personal data: payment cards, IBANs, US
 * Social Security numbers and UK National Insurance numbers.
 *
 * Trust:  the text is hostile; the matcher's offsets are clamped. The
 *         digit patterns are compiled without SOM (performance-notes.md
 *         §3.7), so each validator walks back from the match end over at
 *         most one number's worth of characters.
 * Limits: a candidate is at most 19 card digits, 34 IBAN characters, one
 *         SSN or NINO; nothing else of the text is read.
 * Status: accept or reject; out->detail holds a masked form, never the
 *         whole number.
 */
#include <stdio.h>
#include <string.h>

#include "validate.h"

/*
 * Payment cards.
 */

struct network {
	const char *name;
	const char *lo, *hi; /* prefix range, same number of digits */
	unsigned minlen, maxlen;
};

/* Issuer prefix ranges and lengths (ISO/IEC 7812 IINs as published by the
 * networks). The first matching row wins, so narrow ranges come first. */
static const struct network networks[] = {
    {"amex", "34", "34", 15, 15},
    {"amex", "37", "37", 15, 15},
    {"mir", "2200", "2204", 16, 19},
    {"mastercard", "2221", "2720", 16, 16},
    {"diners", "300", "305", 14, 19},
    {"diners", "3095", "3095", 14, 19},
    {"diners", "36", "36", 14, 19},
    {"diners", "38", "39", 14, 19},
    {"jcb", "3528", "3589", 16, 19},
    {"visa", "4", "4", 13, 19},
    {"mastercard", "51", "55", 16, 16},
    {"maestro", "5018", "5018", 12, 19},
    {"maestro", "5020", "5020", 12, 19},
    {"maestro", "5038", "5038", 12, 19},
    {"maestro", "5893", "5893", 12, 19},
    {"discover", "6011", "6011", 16, 19},
    {"discover", "622126", "622925", 16, 19},
    {"unionpay", "62", "62", 16, 19},
    {"maestro", "6304", "6304", 12, 19},
    {"discover", "644", "649", 16, 19},
    {"discover", "65", "65", 16, 19},
    {"maestro", "6759", "6759", 12, 19},
    {"maestro", "6761", "6763", 12, 19},
};

static const struct network *
card_network(const char *d, size_t n)
{
	for (size_t i = 0; i < DLP_NITEMS(networks); i++) {
		const struct network *w = &networks[i];
		size_t pl = strlen(w->lo);

		if (n < pl || n < w->minlen || n > w->maxlen)
			continue;
		if (memcmp(d, w->lo, pl) >= 0 && memcmp(d, w->hi, pl) <= 0)
			return w;
	}
	return NULL;
}

static bool
luhn_ok(const char *d, size_t n)
{
	unsigned sum = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned v = (unsigned)(d[n - 1 - i] - '0');

		if (i % 2 == 1) {
			v *= 2;
			if (v > 9)
				v -= 9;
		}
		sum += v;
	}
	return sum % 10 == 0;
}

static bool
card(const struct dlp_vin *in, struct dlp_vout *out)
{
	const uint8_t *t = in->text;
	const struct network *w;
	char d[20];
	size_t e, i, n = 0;
	int sep = 0;

	dlp_validate_init(in, out);
	e = out->end;
	if (e == 0 || !dlp_v_digit(t[e - 1]))
		return false;
	/* Not followed by more of a digit run ("1234 5678" + " 9"). */
	if (e < in->len && (dlp_v_alnum(t[e]) ||
	                       ((t[e] == ' ' || t[e] == '-') &&
	                           e + 1 < in->len && dlp_v_digit(t[e + 1]))))
		return false;
	/* Walk back: digits with single, consistent separators. */
	i = e;
	while (i > 0) {
		int c = t[i - 1];

		if (dlp_v_digit(c)) {
			if (n == 19)
				return false; /* a longer digit run */
			d[18 - n] = (char)c;
			n++;
			i--;
			continue;
		}
		if ((c == ' ' || c == '-') && i >= 2 && dlp_v_digit(t[i - 2]) &&
		    n > 0) {
			if (sep != 0 && sep != c)
				return false; /* mixed separators */
			sep = c;
			i--;
			continue;
		}
		break;
	}
	if (i > 0 && (dlp_v_alnum(t[i - 1]) || t[i - 1] == '.' ||
	                 t[i - 1] == ',' || t[i - 1] == '+'))
		return false; /* glued to a word, a decimal, a phone prefix */
	if (n < 12)
		return false;
	memmove(d, d + 19 - n, n);
	d[n] = '\0';
	if (!luhn_ok(d, n) || (w = card_network(d, n)) == NULL)
		return false;
	out->start = i;
	snprintf(
	    out->detail, sizeof(out->detail), "%s ****%s", w->name, d + n - 4);
	return true;
}

/*
 * IBAN (ISO 13616): country code, two check digits, BBAN; mod 97 == 1.
 */

static const struct {
	char cc[3];
	unsigned char len;
} iban_lengths[] = {
    {"AD", 24},
    {"AE", 23},
    {"AL", 28},
    {"AT", 20},
    {"AZ", 28},
    {"BA", 20},
    {"BE", 16},
    {"BG", 22},
    {"BH", 22},
    {"BR", 29},
    {"BY", 28},
    {"CH", 21},
    {"CR", 22},
    {"CY", 28},
    {"CZ", 24},
    {"DE", 22},
    {"DK", 18},
    {"DO", 28},
    {"EE", 20},
    {"EG", 29},
    {"ES", 24},
    {"FI", 18},
    {"FO", 18},
    {"FR", 27},
    {"GB", 22},
    {"GE", 22},
    {"GI", 23},
    {"GL", 18},
    {"GR", 27},
    {"GT", 28},
    {"HR", 21},
    {"HU", 28},
    {"IE", 22},
    {"IL", 23},
    {"IQ", 23},
    {"IS", 26},
    {"IT", 27},
    {"JO", 30},
    {"KW", 30},
    {"KZ", 20},
    {"LB", 28},
    {"LC", 32},
    {"LI", 21},
    {"LT", 20},
    {"LU", 20},
    {"LV", 21},
    {"LY", 25},
    {"MC", 27},
    {"MD", 24},
    {"ME", 22},
    {"MK", 19},
    {"MR", 27},
    {"MT", 31},
    {"MU", 30},
    {"NL", 18},
    {"NO", 15},
    {"PK", 24},
    {"PL", 28},
    {"PS", 29},
    {"PT", 25},
    {"QA", 29},
    {"RO", 24},
    {"RS", 22},
    {"SA", 24},
    {"SC", 31},
    {"SE", 24},
    {"SI", 19},
    {"SK", 24},
    {"SM", 27},
    {"ST", 25},
    {"SV", 28},
    {"TL", 23},
    {"TN", 24},
    {"TR", 26},
    {"UA", 29},
    {"VA", 22},
    {"VG", 24},
    {"XK", 20},
};

static unsigned
iban_len(const char *cc)
{
	for (size_t i = 0; i < DLP_NITEMS(iban_lengths); i++)
		if (memcmp(iban_lengths[i].cc, cc, 2) == 0)
			return iban_lengths[i].len;
	return 0;
}

static bool
iban_mod97(const char *s, size_t n)
{
	unsigned r = 0;

	for (size_t k = 0; k < n; k++) {
		char c = s[(k + 4) % n];

		if (dlp_v_digit(c))
			r = (r * 10 + (unsigned)(c - '0')) % 97;
		else if (dlp_v_upper(c))
			r = (r * 100 + (unsigned)(c - 'A' + 10)) % 97;
		else
			return false;
	}
	return r == 1;
}

/* Check the IBAN written from p to e (spaces allowed between groups of
 * four); on success store the compact form in buf. */
static bool
iban_check(const uint8_t *t, size_t p, size_t e, char *buf, size_t *pn)
{
	size_t n = 0, group = 0;
	bool spaced = false;
	unsigned want;

	for (size_t i = p; i < e; i++) {
		if (t[i] == ' ') {
			if (group != 4)
				return false;
			spaced = true;
			group = 0;
			continue;
		}
		if (!dlp_v_upper(t[i]) && !dlp_v_digit(t[i]))
			return false;
		if (n == 34)
			return false;
		buf[n++] = (char)t[i];
		group++;
	}
	if (spaced && (group == 0 || group > 4))
		return false;
	if (n < 15 || !dlp_v_upper(buf[0]) || !dlp_v_upper(buf[1]) ||
	    !dlp_v_digit(buf[2]) || !dlp_v_digit(buf[3]))
		return false;
	if ((want = iban_len(buf)) == 0 || want != n)
		return false;
	*pn = n;
	return iban_mod97(buf, n);
}

static bool
iban(const struct dlp_vin *in, struct dlp_vout *out)
{
	const uint8_t *t = in->text;
	char buf[35];
	size_t e, p, n, lo;

	dlp_validate_init(in, out);
	e = out->end;
	if (e == 0 || !dlp_v_alnum(t[e - 1]) ||
	    (e < in->len && dlp_v_alnum(t[e])))
		return false;
	/* Walk back over at most 34 characters plus 8 group spaces. */
	lo = e > 42 ? e - 42 : 0;
	p = e;
	while (
	    p > lo && (dlp_v_upper(t[p - 1]) || dlp_v_digit(t[p - 1]) ||
	                  (t[p - 1] == ' ' && p >= 2 && dlp_v_alnum(t[p - 2]))))
		p--;
	/* The IBAN starts at a group start: try the furthest one first. */
	for (size_t s = p; s + 4 <= e; s++) {
		if (s > p && t[s - 1] != ' ')
			continue;
		if (s > 0 && dlp_v_alnum(t[s - 1]))
			continue;
		if (!iban_check(t, s, e, buf, &n))
			continue;
		out->start = s;
		snprintf(out->detail, sizeof(out->detail), "%.2s** ****%.4s",
		    buf, buf + n - 4);
		return true;
	}
	return false;
}

/*
 * US Social Security number: AAA-GG-SSSS (SSA rules: area not 000, 666 or
 * 900-999; group not 00; serial not 0000; numbers published in
 * advertising or misused are invalid).
 */

static const char *const ssn_invalid[] = {
    "078051120",
    "219099999",
    "123456789",
};

static bool
us_ssn(const struct dlp_vin *in, struct dlp_vout *out)
{
	const uint8_t *t = in->text;
	char d[10];
	size_t e, s, n = 0, k;
	unsigned area, group, serial;
	int sep = -1;

	dlp_validate_init(in, out);
	e = out->end;
	if (e < 9 || !dlp_v_digit(t[e - 1]))
		return false;
	if (e < in->len &&
	    (dlp_v_word(t[e]) ||
	        (t[e] == '-' && e + 1 < in->len && dlp_v_digit(t[e + 1]))))
		return false;
	/* Walk back: 4 digits, sep, 2 digits, sep, 3 digits. */
	s = e;
	for (k = 0; k < 3; k++) {
		size_t want = k == 0 ? 4 : k == 1 ? 2 : 3;

		for (size_t j = 0; j < want; j++) {
			if (s == 0 || !dlp_v_digit(t[s - 1]))
				return false;
			d[8 - n++] = (char)t[--s];
		}
		if (k < 2) {
			int c = s > 0 ? t[s - 1] : 0;
			int got = (c == '-' || c == ' ') ? c : 0;

			if (sep >= 0 && got != sep)
				return false;
			sep = got;
			if (got)
				s--;
		}
	}
	if (s > 0 && (dlp_v_word(t[s - 1]) ||
	                 (t[s - 1] == '-' && s >= 2 && dlp_v_digit(t[s - 2]))))
		return false;
	/* Part of a decimal or dotted number (193350514.1157): no SSN. */
	if ((e + 1 < in->len && (t[e] == '.' || t[e] == ',') &&
	        dlp_v_digit(t[e + 1])) ||
	    (s >= 2 && (t[s - 1] == '.' || t[s - 1] == ',') &&
	        dlp_v_digit(t[s - 2])))
		return false;
	d[9] = '\0';
	area = (unsigned)((d[0] - '0') * 100 + (d[1] - '0') * 10 + d[2] - '0');
	group = (unsigned)((d[3] - '0') * 10 + d[4] - '0');
	serial = (unsigned)((d[5] - '0') * 1000 + (d[6] - '0') * 100 +
	                    (d[7] - '0') * 10 + d[8] - '0');
	if (area == 0 || area == 666 || area >= 900 || group == 0 ||
	    serial == 0)
		return false;
	for (size_t i = 0; i < DLP_NITEMS(ssn_invalid); i++)
		if (memcmp(d, ssn_invalid[i], 9) == 0)
			return false;
	out->start = s;
	/* Nine bare digits are everywhere (sizes, ids, log counters): weak
	 * unless a hotword ("SSN") near it raises it (pii.sig). */
	if (sep == 0)
		out->confidence = 1;
	snprintf(out->detail, sizeof(out->detail), "***-**-%.4s", d + 5);
	return true;
}

/*
 * UK National Insurance number: two prefix letters, six digits (optionally
 * in pairs), suffix A-D (HMRC NIM39110).
 */

static bool
nino_prefix_ok(int a, int b)
{
	static const char *const bad[] = {
	    "BG", "GB", "NK", "KN", "TN", "NT", "ZZ"};
	char pf[3] = {(char)a, (char)b, '\0'};

	if (!dlp_v_upper(a) || !dlp_v_upper(b))
		return false;
	if (strchr("DFIQUV", a) != NULL || strchr("DFIQUVO", b) != NULL)
		return false;
	for (size_t i = 0; i < DLP_NITEMS(bad); i++)
		if (strcmp(pf, bad[i]) == 0)
			return false;
	return true;
}

static bool
uk_nino(const struct dlp_vin *in, struct dlp_vout *out)
{
	const uint8_t *t = in->text;
	size_t e, s;
	int spaced = -1;

	dlp_validate_init(in, out);
	e = out->end;
	if (e < 9 || t[e - 1] < 'A' || t[e - 1] > 'D' ||
	    (e < in->len && dlp_v_word(t[e])))
		return false;
	s = e - 1;
	/* Optional space before the suffix, then three digit pairs. */
	for (int k = 0; k < 4; k++) {
		bool sp = s > 0 && t[s - 1] == ' ';

		if (spaced < 0)
			spaced = sp;
		else if (sp != (spaced != 0))
			return false;
		if (sp)
			s--;
		if (k == 3)
			break;
		if (s < 2 || !dlp_v_digit(t[s - 1]) || !dlp_v_digit(t[s - 2]))
			return false;
		s -= 2;
	}
	if (s < 2 || !nino_prefix_ok(t[s - 2], t[s - 1]))
		return false;
	s -= 2;
	if (s > 0 && dlp_v_word(t[s - 1]))
		return false;
	out->start = s;
	snprintf(out->detail, sizeof(out->detail), "%c%c ** ** ** %c", t[s],
	    t[s + 1], t[e - 1]);
	return true;
}

const struct dlp_validator_def dlp_validate_pii_defs[] = {
    {"card", card},
    {"iban", iban},
    {"us-ssn", us_ssn},
    {"uk-nino", uk_nino},
};
const size_t dlp_validate_pii_ndefs = DLP_NITEMS(dlp_validate_pii_defs);
