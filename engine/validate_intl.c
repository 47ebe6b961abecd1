/*
 * validate_intl.c - validators for UK (GSCP §5.4, legacy GPMS §5.5), NATO
 * (§8), Australian EPMS (§10), Canadian (§11), New Zealand (§12) and TLP
 * (§13) markings, and the two position validators line-alone and
 * first-last-lines.
 *
 * Trust:  the text is hostile; offsets are clamped. Parsing is tolerant:
 *         separators vary, unknown items end the marking rather than
 *         reject it, wrong case lowers confidence.
 * Limits: each validator reads the candidate's line, the next line, or a
 *         window of at most DLP_VWIN bytes either side; the EPMS value is
 *         read up to DLP_VEPMS_MAX bytes.
 * Status: accept or reject; out->detail is the canonical parsed form.
 */
#include <string.h>

#include "validate.h"

#define DLP_VWIN      16384
#define DLP_VEPMS_MAX 2048

/* Characters of a marking line (no lowercase prose). */
static bool
marking_chars(const uint8_t *t, size_t s, size_t e)
{
	for (size_t i = s; i < e; i++)
		if (dlp_v_lower(t[i]))
			return false;
	return true;
}

/* Is [s, e) at the start of its line, after blanks, "[", or a
 * "Classification:" label? */
static bool
leads(const uint8_t *t, size_t ls, size_t s)
{
	size_t i = ls;

	while (i < s && (dlp_v_blank(t[i]) || t[i] == '['))
		i++;
	if (i == s)
		return true;
	if (dlp_validate_at(t, s, i, "Classification:", true) ||
	    dlp_validate_at(t, s, i, "Security Classification:", true)) {
		i = dlp_validate_find(t, s, i, s, ":", false) + 1;
		while (i < s && dlp_v_blank(t[i]))
			i++;
		return i == s;
	}
	return false;
}

static bool
word_end(const uint8_t *t, size_t len, size_t p)
{
	return p >= len || !dlp_v_word(t[p]);
}

static bool
word_start(const uint8_t *t, size_t p)
{
	return p == 0 || !dlp_v_word(t[p - 1]);
}

/*
 * UK items (§5.2, §5.4, §5.5) and their flags.
 */

static const struct {
	const char *s;
	unsigned flags;
} uk_items[] = {
    {"RECIPIENTS ONLY", DLP_F_ORIGINATOR},
    {"HMG USE ONLY", 0},
    {"EMBARGOED", DLP_F_EMBARGO},
    {"FOR PUBLIC RELEASE", DLP_F_SUPPRESSOR},
    {"PERSONAL DATA", DLP_F_PRIVACY_LEGAL},
    {"LEGAL PROFESSIONAL PRIVILEGE (LPP)", DLP_F_PRIVACY_LEGAL},
    {"LEGAL PROFESSIONAL PRIVILEGE", DLP_F_PRIVACY_LEGAL},
    {"LPP", DLP_F_PRIVACY_LEGAL},
    {"LEGAL", DLP_F_PRIVACY_LEGAL},
    {"MARKET SENSITIVE", DLP_F_COMMERCIAL},
    {"MARKET-SENSITIVE", DLP_F_COMMERCIAL},
    {"COMMERCIAL", DLP_F_COMMERCIAL},
    {"HR / MANAGEMENT", 0},
    {"HR/MANAGEMENT", 0},
    {"PERSONAL", DLP_F_PRIVACY_LEGAL},
    {"MEDICAL", DLP_F_PRIVACY_LEGAL},
    {"STAFF", DLP_F_PRIVACY_LEGAL},
    {"MANAGEMENT", 0},
    {"LOCSEN", DLP_F_NATIONAL_ONLY},
    {"CABINET", DLP_F_CABINET},
    {"UK EYES ONLY", DLP_F_NATIONAL_ONLY},
    {"UK EYES ALPHA", DLP_F_NATIONAL_ONLY},
    {"UK EYES BRAVO", DLP_F_NATIONAL_ONLY},
    {"FIVE EYES ONLY", DLP_F_NATIONAL_ONLY},
    {"UKEO", DLP_F_NATIONAL_ONLY},
    {"REL EU", DLP_F_REL_LIST},
    {"REL-EU", DLP_F_REL_LIST},
};

/* Match one UK item at p; returns its length (0: none). */
static size_t
uk_item(const uint8_t *t, size_t lim, size_t p, bool dash, unsigned *flags)
{
	size_t i;

	for (size_t k = 0; k < DLP_NITEMS(uk_items); k++) {
		size_t n = strlen(uk_items[k].s);

		if (dlp_validate_at(t, lim, p, uk_items[k].s, false) &&
		    word_end(t, lim, p + n)) {
			*flags |= uk_items[k].flags;
			return n;
		}
	}
	/* "CC/CC EYES ONLY": codes of 2-3 capitals split by "/". */
	for (i = p;;) {
		size_t c = i;

		while (i < lim && dlp_v_upper(t[i]) && i - c < 4)
			i++;
		if (i - c < 2 || i - c > 3)
			break;
		if (dlp_validate_at(t, lim, i, " EYES ONLY", false) &&
		    word_end(t, lim, i + 10)) {
			*flags |= DLP_F_NATIONAL_ONLY;
			return i + 10 - p;
		}
		if (i >= lim || t[i] != '/')
			break;
		i++;
	}
	/* "<ORG> USE ONLY". */
	for (i = p; i < lim && (dlp_v_upper(t[i]) || t[i] == '/' ||
	                           t[i] == ' ' || t[i] == '&');
	     i++) {
		if (dlp_validate_at(t, lim, i, " USE ONLY", false) && i > p &&
		    word_end(t, lim, i + 9))
			return i + 9 - p;
	}
	/* A codeword: one capitalised word, only after " - ". */
	if (dash) {
		for (i = p; i < lim && dlp_v_upper(t[i]); i++)
			;
		if (i - p >= 3 && word_end(t, lim, i))
			return i - p;
	}
	return 0;
}

/* Parse the items after a tier; returns the end of the last item. */
static size_t
uk_items_parse(struct dlp_vout *out, const uint8_t *t, size_t lim, size_t p,
    unsigned *nitems)
{
	size_t end = p;

	for (;;) {
		size_t i = end, n;
		bool dash = false, sep = false;

		if (i < lim && t[i] == ']')
			i++;
		while (i < lim && t[i] == ' ')
			i++, sep = true;
		if (i < lim && strchr("-:[,+", t[i]) != NULL) {
			dash = t[i] == '-';
			i++;
			sep = true;
		}
		while (i < lim && t[i] == ' ')
			i++;
		if (i < lim && t[i] == '[')
			i++, sep = true;
		if (!sep || i >= lim)
			break;
		if ((n = uk_item(t, lim, i, dash, &out->flags)) == 0)
			break;
		dlp_validate_detail(out, " - ", 3);
		dlp_validate_detail(out, t + i, n);
		if (n == 6 && (memcmp(t + i, "REL EU", 6) == 0 ||
		                  memcmp(t + i, "REL-EU", 6) == 0))
			dlp_validate_rel(out, "EU", 2);
		end = i + n;
		if (end < lim && t[end] == ']')
			end++;
		(*nitems)++;
	}
	return end;
}

static bool
uk_marking(const struct dlp_vin *in, struct dlp_vout *out)
{
	const uint8_t *t = in->text;
	size_t e, ls, le, so, ss, s, te, end, nls, nle;
	unsigned nitems = 0;
	bool upper, sensitive = false, positioned, alone, more;

	dlp_validate_init(in, out);
	e = out->end;
	dlp_validate_line(t, in->len, e > 0 ? e - 1 : 0, &ls, &le);
	so = dlp_validate_rfind(t, le, ls, e, "OFFICIAL", true);
	ss = dlp_validate_rfind(t, le, ls, e, "SECRET", true);
	while (
	    so != DLP_VNONE && (!word_start(t, so) || !word_end(t, le, so + 8)))
		so = so > ls
		         ? dlp_validate_rfind(t, le, ls, so, "OFFICIAL", true)
		         : DLP_VNONE;
	while (
	    ss != DLP_VNONE && (!word_start(t, ss) || !word_end(t, le, ss + 6)))
		ss = ss > ls ? dlp_validate_rfind(t, le, ls, ss, "SECRET", true)
		             : DLP_VNONE;
	if (so == DLP_VNONE && ss == DLP_VNONE) {
		/* No tier: a lone handling instruction or caveat. */
		size_t p = dlp_validate_rfind(
		    t, le, ls, e, "FOR PUBLIC RELEASE", false);

		if (p != DLP_VNONE) {
			out->level = 0;
			out->flags |= DLP_F_SUPPRESSOR;
			out->start = p;
			out->end = p + 18;
			dlp_validate_detail(out, "FOR PUBLIC RELEASE", 18);
			return true;
		}
		p = dlp_validate_rfind(t, le, ls, e, "EYES ONLY", false);
		if (p == DLP_VNONE || p < ls + 3 || t[p - 1] != ' ')
			return false;
		/* The country list: 2-3 letter codes split by "/", or FIVE. */
		s = p - 1;
		if (p >= ls + 5 && dlp_validate_at(t, p, p - 5, "FIVE", false))
			s = p - 5;
		for (size_t run = 0;
		     s > ls && (dlp_v_upper(t[s - 1]) || t[s - 1] == '/'); s--)
			if (t[s - 1] == '/')
				run = 0;
			else if (++run > 3)
				break;
		if (s == p - 1 ||
		    (s > ls && dlp_v_word(t[s - 1]) &&
		        !dlp_validate_at(t, p, s - 1, "FIVE", false)))
			return false;
		if (t[s] == '/' ||
		    (p - 1 - s > 4 &&
		        dlp_validate_find(t, p, s, p, "/", false) == DLP_VNONE))
			return false;
		out->flags |= DLP_F_NATIONAL_ONLY;
		out->start = s;
		out->end = p + 9;
		dlp_validate_detail(out, t + s, p + 9 - s);
		out->confidence =
		    dlp_validate_alone(t, in->len, s, p + 9) ? 2 : 1;
		return true;
	}
	if (so != DLP_VNONE && (ss == DLP_VNONE || so > ss)) {
		s = so;
		te = so + 8;
		out->level = 1;
		/* "Official Secrets (Act)" is not a marking. */
		if (dlp_validate_at(t, le, te, " SECRET", true))
			return false;
		static const char *const sens[] = {"-SENSITIVE", " - SENSITIVE",
		    ": SENSITIVE", ":SENSITIVE", " SENSITIVE", "SENSITIVE"};
		for (size_t k = 0; k < DLP_NITEMS(sens); k++)
			if (dlp_validate_at(t, le, te, sens[k], true) &&
			    word_end(t, le, te + strlen(sens[k]))) {
				te += strlen(sens[k]);
				sensitive = true;
				out->level = 2;
				break;
			}
		upper = dlp_validate_at(t, le, s, "OFFICIAL", false) &&
		        (!sensitive ||
		            dlp_validate_at(t, le, te - 9, "SENSITIVE", false));
		dlp_validate_detail(out,
		    sensitive ? "OFFICIAL-SENSITIVE" : "OFFICIAL",
		    sensitive ? 18 : 8);
	} else {
		s = ss;
		te = ss + 6;
		out->level = 4;
		upper = dlp_validate_at(t, le, s, "SECRET", false);
		if (s >= ls + 4 &&
		    (dlp_validate_at(t, le, s - 4, "TOP ", true) ||
		        dlp_validate_at(t, le, s - 4, "TOP-", true))) {
			s -= 4;
			out->level = 5;
			upper =
			    upper && dlp_validate_at(t, le, s, "TOP", false);
		}
		if (dlp_validate_at(t, le, te, "S ", true) ||
		    dlp_validate_at(t, le, te, "_", false))
			return false;
		dlp_validate_detail(out,
		    out->level == 5 ? "TOP SECRET" : "SECRET",
		    out->level == 5 ? 10 : 6);
	}
	if (s >= ls + 3 && dlp_validate_at(t, le, s - 3, "UK ", false) &&
	    word_start(t, s - 3)) {
		s -= 3;
		memmove(out->detail + 3, out->detail, strlen(out->detail) + 1);
		memcpy(out->detail, "UK ", 3);
	}
	end = uk_items_parse(out, t, le, te, &nitems);
	/* "UK OFFICIAL-SENSITIVE" / next line "REL-EU". */
	if (le < in->len) {
		dlp_validate_line(t, in->len, le + 1, &nls, &nle);
		for (size_t k = 0; k < 2; k++) {
			const char *r = k ? "REL EU" : "REL-EU";

			if (dlp_validate_at(t, nle, nls, r, false) &&
			    dlp_validate_alone(t, in->len, nls, nls + 6)) {
				out->flags |= DLP_F_REL_LIST;
				dlp_validate_rel(out, "EU", 2);
				dlp_validate_detail(out, " / ", 3);
				dlp_validate_detail(out, r, 6);
			}
		}
	}
	if (out->flags & DLP_F_SUPPRESSOR) {
		if (sensitive || out->level > 1)
			out->flags &= ~(unsigned)DLP_F_SUPPRESSOR; /* invalid */
		else
			out->level = 0;
	}
	out->start = s;
	out->end = end;
	alone = dlp_validate_alone(
	    t, in->len, s > ls && t[s - 1] == '[' ? s - 1 : s, end);
	positioned = alone || leads(t, ls, s) ||
	             ((in->scope & DLP_SCOPE_SUBJECT) && end < le &&
	                 t[end] == ']' && marking_chars(t, end, le));
	if ((in->scope & DLP_SCOPE_SUBJECT) && end == le && s > ls &&
	    t[s - 1] == '[')
		positioned = true;
	if (!upper)
		out->confidence = 1;
	else if (positioned)
		out->confidence = alone && nitems > 0 ? 3 : 2;
	else
		out->confidence = 1;
	/* A bare tier followed by another word is ordinary English: "the
	 * official site", "OFFICIAL RECEIPT", "SECRET SAUCE". */
	more = nitems == 0 && end + 1 < le && t[end] == ' ' &&
	       dlp_v_alpha(t[end + 1]);
	if (out->level == 1 && !sensitive && (!positioned || more))
		return false;
	if (more && !sensitive && out->confidence > 1)
		out->confidence = 1;
	return true;
}

/* HTB write-up template cues (§14 item 8). */
static bool
htb_context(const uint8_t *t, size_t len, size_t pos)
{
	static const char *const cues[] = {
	    "Difficulty:", "Hack The Box", "HackTheBox", "HTB"};
	size_t a = pos > 1024 ? pos - 1024 : 0;
	size_t b = len - pos > 1024 ? pos + 1024 : len;

	for (size_t i = 0; i < DLP_NITEMS(cues); i++)
		if (dlp_validate_find(t, b, a, b, cues[i], false) != DLP_VNONE)
			return true;
	return false;
}

static bool
uk_line(const struct dlp_vin *in, struct dlp_vout *out)
{
	const uint8_t *t = in->text;
	size_t e, ls, le, s, x, lab;

	dlp_validate_init(in, out);
	e = out->end;
	dlp_validate_line(t, in->len, e > 0 ? e - 1 : 0, &ls, &le);
	s = ls;
	while (s < le && dlp_v_blank(t[s]))
		s++;
	x = le;
	while (x > s && dlp_v_blank(t[x - 1]))
		x--;
	out->level = 1;
	if ((x - s == 8 && dlp_memcaseeq(t + s, "OFFICIAL", 8)) ||
	    (x - s == 11 && dlp_memcaseeq(t + s, "UK OFFICIAL", 11))) {
		out->start = s;
		out->end = x;
		out->confidence = marking_chars(t, s, x) ? 2 : 1;
		dlp_validate_detail(out, t + s, x - s);
		return true;
	}
	lab = dlp_validate_rfind(t, le, ls, e, "Classification:", true);
	if (lab == DLP_VNONE)
		return false;
	s = lab + 15;
	while (s < le && dlp_v_blank(t[s]))
		s++;
	if (!dlp_validate_at(t, le, s, "OFFICIAL", true))
		return false;
	x = s + 8;
	if (dlp_validate_at(t, le, x, " SECRET", true))
		return false;
	if (dlp_validate_at(t, le, x, "-SENSITIVE", true) ||
	    dlp_validate_at(t, le, x, " SENSITIVE", true)) {
		out->level = 2;
		x += 10;
	}
	if (!word_end(t, le, x))
		return false;
	out->start = lab;
	out->end = x;
	dlp_validate_detail(out, t + s, x - s);
	out->confidence = marking_chars(t, s, x) ? 2 : 1;
	/* Not at the line start ("Difficulty: Easy Classification: ..."). */
	if (!leads(t, ls, lab) &&
	    !(lab >= ls + 9 &&
	        dlp_validate_at(t, le, lab - 9, "Security ", true) &&
	        leads(t, ls, lab - 9)))
		out->confidence = 1;
	if (htb_context(t, in->len, lab))
		out->confidence = out->confidence > 1 ? 1 : out->confidence;
	return true;
}

static bool
line_alone(const struct dlp_vin *in, struct dlp_vout *out)
{
	const uint8_t *t = in->text;
	size_t e, ls, le, s, x, d;
	unsigned n = 0;

	dlp_validate_init(in, out);
	e = out->end;
	dlp_validate_line(t, in->len, e > 0 ? e - 1 : 0, &ls, &le);
	s = in->start != DLP_VSTART_UNKNOWN && in->start >= ls ? in->start : ls;
	while (s < e && dlp_v_blank(t[s]))
		s++;
	x = e;
	while (x > s && dlp_v_blank(t[x - 1]))
		x--;
	if (x == s || !dlp_validate_alone(t, in->len, s, x) ||
	    !marking_chars(t, s, x))
		return false;
	/* A trailing legacy descriptor: "RESTRICTED - COMMERCIAL". */
	d = dlp_validate_find(t, x, s, x, " - ", false);
	if (d != DLP_VNONE)
		uk_items_parse(out, t, x, d, &n);
	out->start = s;
	out->end = x;
	memset(out->detail, 0, sizeof(out->detail));
	dlp_validate_detail(out, t + s, x - s);
	out->confidence = dlp_validate_edge(t, in->len, s, 5) ? 2 : 1;
	return true;
}

static bool
first_last_lines(const struct dlp_vin *in, struct dlp_vout *out)
{
	dlp_validate_init(in, out);
	if (!dlp_validate_edge(in->text, in->len, out->start, 5))
		return false;
	dlp_validate_detail(out, in->text + out->start, out->end - out->start);
	return true;
}

/*
 * NATO (§8).
 */

static const struct {
	const char *s;
	unsigned level;
	bool portion;
} nato_marks[] = {
    {"COSMIC TOP SECRET", 5, false},
    {"NATO SECRET", 4, false},
    {"NATO CONFIDENTIAL", 3, false},
    {"NATO RESTRICTED", 2, false},
    {"NATO UNCLASSIFIED", 1, false},
    {"SECRET OTAN", 4, false},
    {"CONFIDENTIEL OTAN", 3, false},
    {"DIFFUSION RESTREINTE OTAN", 2, false},
    {"(CTSA)", 5, true},
    {"(NSAT)", 5, true},
    {"(NCA)", 5, true},
    {"(CTS)", 5, true},
    {"(NS)", 4, true},
    {"(NC)", 3, true},
    {"(NR)", 2, true},
    {"(NU)", 1, true},
};

static bool
window_has(const uint8_t *t, size_t len, size_t pos, size_t w, const char *s)
{
	size_t a = pos > w ? pos - w : 0, b = len - pos > w ? pos + w : len;

	return dlp_validate_find(t, b, a, b, s, false) != DLP_VNONE;
}

static bool
nato(const struct dlp_vin *in, struct dlp_vout *out)
{
	const uint8_t *t = in->text;
	size_t e, ls, le, s = DLP_VNONE, x = 0, p, r;
	unsigned level = 0;
	bool portion = false;

	dlp_validate_init(in, out);
	e = out->end;
	dlp_validate_line(t, in->len, e > 0 ? e - 1 : 0, &ls, &le);
	for (size_t k = 0; k < DLP_NITEMS(nato_marks); k++) {
		size_t n = strlen(nato_marks[k].s);
		size_t q =
		    dlp_validate_rfind(t, le, ls, e, nato_marks[k].s, false);

		if (q == DLP_VNONE || (s != DLP_VNONE && q <= s))
			continue;
		if (!nato_marks[k].portion &&
		    (!word_start(t, q) || !word_end(t, le, q + n)))
			continue;
		s = q;
		x = q + n;
		level = nato_marks[k].level;
		portion = nato_marks[k].portion;
	}
	if (s == DLP_VNONE)
		return false;
	out->flags |= DLP_F_NATO;
	out->level = level;
	if (portion) {
		if (!leads(t, ls, s) || (x < le && t[x] != ' ') ||
		    !(window_has(t, in->len, s, DLP_VWIN, "NATO ") ||
		        window_has(
		            t, in->len, s, DLP_VWIN, "COSMIC TOP SECRET") ||
		        window_has(t, in->len, s, DLP_VWIN, " OTAN")))
			return false;
	}
	/* ATOMAL / BOHEMIA / BALK after the mark. */
	p = x;
	while (p < le && (t[p] == ' ' || t[p] == '-' || t[p] == '/'))
		p++;
	if (p > x && (dlp_validate_at(t, le, p, "ATOMAL", false) ||
	                 dlp_validate_at(t, le, p, "BOHEMIA", false) ||
	                 dlp_validate_at(t, le, p, "BALK", false))) {
		out->level = 5;
		while (p < le && dlp_v_upper(t[p]))
			p++;
		x = p;
	}
	out->start = s;
	out->end = x;
	dlp_validate_detail(out, t + s, x - s);
	/* RELEASABLE TO on this line or the next two. */
	p = le;
	for (int k = 0; k < 2 && p < in->len; k++) {
		p++;
		while (p < in->len && t[p] != '\n')
			p++;
	}
	r = dlp_validate_find(t, p, ls, p, "RELEASABLE TO ", false);
	if (r != DLP_VNONE) {
		size_t i = r + 14;

		out->flags |= DLP_F_REL_LIST;
		while (i < p && t[i] != '\n') {
			size_t w = i;

			while (i < p && dlp_v_alpha(t[i]))
				i++;
			if (i - w >= 2 && i - w <= 5 && dlp_v_upper(t[w]))
				dlp_validate_rel(out, t + w, i - w);
			if (i == w)
				i++;
		}
	}
	if (portion || s == ls || leads(t, ls, s) ||
	    dlp_validate_alone(t, in->len, s, x))
		out->confidence = 2;
	else
		out->confidence = 1;
	if (s >= ls + 2 && t[s - 1] == '/' && t[s - 2] == '/')
		out->confidence = 3;
	/* The public-disclosure overstamp suppresses (§8.1). */
	if (window_has(t, in->len, s, DLP_VWIN, "PUBLIC DISCLOSED") ||
	    window_has(t, in->len, s, DLP_VWIN, "PUBLICLY DISCLOSED") ||
	    window_has(t, in->len, s, DLP_VWIN, "MISE EN LECTURE PUBLIQUE") ||
	    dlp_validate_find(t, in->len < DLP_VWIN ? in->len : DLP_VWIN, 0,
	        DLP_VWIN, "PUBLIC DISCLOSED", false) != DLP_VNONE) {
		out->level = 0;
		out->flags |= DLP_F_SUPPRESSOR;
	}
	return true;
}

/*
 * Australia: EPMS [SEC=...] subject form and X-Protective-Marking (§10).
 */

static const struct {
	const char *s;
	unsigned level;
} au_sec[] = {
    {"UNOFFICIAL", 0},
    {"OFFICIAL:Sensitive", 2},
    {"OFFICIAL", 1},
    {"PROTECTED", 3},
    {"SECRET", 4},
    {"TOP-SECRET", 5},
    {"UNCLASSIFIED", 1},
    {"CONFIDENTIAL", 3},
    {"HIGHLY PROTECTED", 4},
    {"HIGHLY-PROTECTED", 4},
};

static const struct {
	const char *s;
	unsigned level, flags;
} au_dlm[] = {
    {"For-Official-Use-Only", 2, 0},
    {"Sensitive:Personal", 2, DLP_F_PRIVACY_LEGAL},
    {"Sensitive:Legal", 2, DLP_F_PRIVACY_LEGAL},
    {"Sensitive:Cabinet", 2, DLP_F_CABINET},
    {"Sensitive", 2, 0},
};

static const struct {
	const char *s;
	unsigned flags;
} au_caveats[] = {
    {"RI:AGAO", DLP_F_NATIONAL_ONLY},
    {"RI:AUSTEO", DLP_F_NATIONAL_ONLY},
    {"AUSTEO", DLP_F_NATIONAL_ONLY},
    {"AGAO", DLP_F_NATIONAL_ONLY},
    {"RI:REL", DLP_F_REL_LIST},
    {"SH:ORCON", DLP_F_ORIGINATOR},
    {"SH:EXCLUSIVE-FOR", DLP_F_ORIGINATOR},
    {"SH:NATIONAL-CABINET", DLP_F_CABINET},
    {"SH:CABINET", DLP_F_CABINET},
    {"NATIONAL-CABINET", DLP_F_CABINET},
    {"CABINET", DLP_F_CABINET},
};

static bool
au_element(struct dlp_vout *out, const uint8_t *v, size_t n, unsigned *level,
    bool *sec_seen, bool *nonconf)
{
	if (n > 4 && memcmp(v, "SEC=", 4) == 0) {
		v += 4, n -= 4;
		for (size_t k = 0; k < DLP_NITEMS(au_sec); k++) {
			size_t kl = strlen(au_sec[k].s);
			bool exact = n == kl && memcmp(v, au_sec[k].s, kl) == 0;

			if (!exact &&
			    !(n == kl && dlp_memcaseeq(v, au_sec[k].s, kl)) &&
			    !(k == 1 && n == 19 &&
			        dlp_memcaseeq(v, "OFFICIAL: Sensitive", 19)))
				continue;
			*nonconf |= !exact;
			if (au_sec[k].level > *level)
				*level = au_sec[k].level;
			*sec_seen = true;
			dlp_validate_detail(out, "SEC=", 4);
			dlp_validate_detail(out, au_sec[k].s, kl);
			return true;
		}
		return false;
	}
	if (n > 4 && memcmp(v, "DLM=", 4) == 0) {
		v += 4, n -= 4;
		for (size_t k = 0; k < DLP_NITEMS(au_dlm); k++)
			if (n == strlen(au_dlm[k].s) &&
			    memcmp(v, au_dlm[k].s, n) == 0) {
				if (au_dlm[k].level > *level)
					*level = au_dlm[k].level;
				out->flags |= au_dlm[k].flags;
				*sec_seen = true;
				return true;
			}
		return false;
	}
	if (n > 7 && memcmp(v, "CAVEAT=", 7) == 0) {
		v += 7, n -= 7;
		for (size_t k = 0; k < DLP_NITEMS(au_caveats); k++) {
			size_t kl = strlen(au_caveats[k].s);

			if (n < kl || memcmp(v, au_caveats[k].s, kl) != 0)
				continue;
			out->flags |= au_caveats[k].flags;
			if (au_caveats[k].flags == DLP_F_REL_LIST) {
				/* "RI:REL AUS/GBR" or "RI:REL/AUS/GBR". */
				for (size_t i = kl; i < n;) {
					size_t w;

					while (i < n &&
					       (v[i] == ' ' || v[i] == '/'))
						i++;
					w = i;
					while (i < n && dlp_v_upper(v[i]))
						i++;
					if (i - w == 3)
						dlp_validate_rel(out, v + w, 3);
					if (i == w)
						i++;
				}
			}
			break;
		}
		dlp_validate_detail(out, ", CAVEAT=", 9);
		dlp_validate_detail(out, v, n);
		return true;
	}
	if (n > 7 && memcmp(v, "ACCESS=", 7) == 0) {
		out->flags |= DLP_F_PRIVACY_LEGAL;
		dlp_validate_detail(out, ", ", 2);
		dlp_validate_detail(out, v, n);
		return true;
	}
	if ((n > 8 && memcmp(v, "EXPIRES=", 8) == 0) ||
	    (n > 7 && memcmp(v, "DOWNTO=", 7) == 0)) {
		out->flags |= DLP_F_EMBARGO;
		return true;
	}
	return true; /* VER=, NS=, NOTE=, ORIGIN= and unknown: tolerated */
}

static bool
au_epms(const struct dlp_vin *in, struct dlp_vout *out)
{
	const uint8_t *t = in->text;
	size_t e, lo, s = DLP_VNONE, v, lim, i;
	unsigned level = 0;
	bool header = false, sec_seen = false, nonconf = false;

	dlp_validate_init(in, out);
	e = out->end;
	lo = e > DLP_VEPMS_MAX ? e - DLP_VEPMS_MAX : 0;
	static const char *const opens[] = {"[SEC=", "[DLM="};
	for (size_t k = 0; k < 2; k++) {
		size_t q =
		    dlp_validate_rfind(t, in->len, lo, e, opens[k], false);

		if (q != DLP_VNONE && (s == DLP_VNONE || q > s))
			s = q;
	}
	v = dlp_validate_rfind(
	    t, in->len, lo, e, "X-Protective-Marking:", true);
	if (v != DLP_VNONE && (s == DLP_VNONE || v > s)) {
		/* Only in a header block, never quoted in a body (AU-N2). */
		if (!(in->scope & DLP_SCOPE_HEADERS))
			return false;
		s = v;
		header = true;
		v = s + 21;
	} else if (s != DLP_VNONE) {
		size_t ls, le;

		v = s + 1;
		/* In a subject the leftmost marking wins (§10.1). */
		dlp_validate_line(t, in->len, s, &ls, &le);
		if ((in->scope & DLP_SCOPE_SUBJECT) &&
		    dlp_validate_find(t, s, ls, s, "[SEC=", false) != DLP_VNONE)
			return false;
	} else
		return false;
	lim = in->len - v > DLP_VEPMS_MAX ? v + DLP_VEPMS_MAX : in->len;
	/* Elements separated by "," and folding white space. */
	i = v;
	for (;;) {
		size_t es;

		while (i < lim && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n'))
			i++;
		es = i;
		while (i < lim && t[i] != ',' && t[i] != ']' && t[i] != '\n')
			i++;
		if (i > es && !au_element(out, t + es, i - es, &level,
		                  &sec_seen, &nonconf))
			return false;
		if (i >= lim || t[i] == ']')
			break;
		if (t[i] == '\n' && !(i + 1 < lim && dlp_v_blank(t[i + 1])))
			break;
		i++;
	}
	if (!sec_seen || (!header && (i >= lim || t[i] != ']')))
		return false;
	out->level = level;
	out->start = s;
	out->end = i < lim ? i + (t[i] == ']') : i;
	out->confidence = nonconf ? 2 : 3;
	if (nonconf)
		dlp_validate_detail(out, " (non-conformant)", 17);
	return true;
}

/*
 * Canada (§11).
 */

static bool
ca(const struct dlp_vin *in, struct dlp_vout *out)
{
	static const char *const words[] = {
	    "PROTECTED ", "PROT\xc3\x89G\xc3\x89 ", "PROTEGE "};
	const uint8_t *t = in->text;
	size_t e, ls, le, s = DLP_VNONE, x = 0;
	int letter = 0;

	dlp_validate_init(in, out);
	e = out->end;
	dlp_validate_line(t, in->len, e > 0 ? e - 1 : 0, &ls, &le);
	for (size_t k = 0; k < DLP_NITEMS(words); k++) {
		size_t n = strlen(words[k]);
		size_t q = dlp_validate_rfind(t, le, ls, e, words[k], false);

		if (q == DLP_VNONE || (s != DLP_VNONE && q < s) ||
		    q + n >= le || t[q + n] < 'A' || t[q + n] > 'C' ||
		    !word_start(t, q) || !word_end(t, le, q + n + 1))
			continue;
		s = q;
		x = q + n + 1;
		letter = t[q + n];
	}
	if (s == DLP_VNONE) {
		s = dlp_validate_rfind(
		    t, le, ls, e, "CANADIAN EYES ONLY", false);
		if (s == DLP_VNONE)
			return false;
		x = s + 18;
		out->flags |= DLP_F_NATIONAL_ONLY;
	} else {
		out->level = letter == 'C' ? 3 : 2;
		if (letter == 'B')
			out->flags |= DLP_F_PRIVACY_LEGAL;
	}
	out->start = s;
	out->end = x;
	dlp_validate_detail(out, t + s, x - s);
	out->confidence = marking_chars(t, ls, s) ? 2 : 1;
	/* Blank forms: "PROTECTED B when completed" (§11, CA-N2). */
	if (dlp_validate_find(t, le, x, le, "when completed", true) !=
	        DLP_VNONE ||
	    dlp_validate_find(t, le, x, le, "une fois rempli", true) !=
	        DLP_VNONE) {
		out->confidence = 1;
		dlp_validate_detail(out, " (conditional)", 14);
	}
	return true;
}

/*
 * New Zealand (§12).
 */

static bool
nz(const struct dlp_vin *in, struct dlp_vout *out)
{
	static const struct {
		const char *s;
		unsigned level, flags;
	} tags[] = {
	    {"MEDICAL IN-CONFIDENCE", 2, DLP_F_PRIVACY_LEGAL},
	    {"[IN-CONFIDENCE]", 2, 0},
	    {"[SENSITIVE]", 2, 0},
	    {"[RESTRICTED]", 3, 0},
	    {"[SEEMAIL]", 1, 0},
	    {"[TRUSTED]", 1, 0},
	};
	const uint8_t *t = in->text;
	size_t e, lo;

	dlp_validate_init(in, out);
	e = out->end;
	lo = e > 32 ? e - 32 : 0;
	for (size_t k = 0; k < DLP_NITEMS(tags); k++) {
		size_t n = strlen(tags[k].s);
		size_t q =
		    dlp_validate_rfind(t, in->len, lo, e, tags[k].s, false);

		if (q == DLP_VNONE ||
		    (k == 0 &&
		        (!word_start(t, q) || !word_end(t, in->len, q + n))))
			continue;
		out->level = tags[k].level;
		out->flags |= tags[k].flags;
		out->start = q;
		out->end = q + n;
		dlp_validate_detail(out, tags[k].s, n);
		/* C2 needs an NZ government context (a .govt.nz address). */
		out->confidence =
		    window_has(t, in->len, q, 1024, ".govt.nz") ? 2 : 1;
		return true;
	}
	return false;
}

/*
 * Traffic Light Protocol (§13).
 */

static bool
tlp(const struct dlp_vin *in, struct dlp_vout *out)
{
	static const struct {
		const char *s;
		unsigned level;
	} vals[] = {
	    {"AMBER+STRICT", 2},
	    {"AMBER", 2},
	    {"CLEAR", 0},
	    {"WHITE", 0},
	    {"GREEN", 1},
	    {"RED", 3},
	};
	const uint8_t *t = in->text;
	size_t e, ls, le, s, v;
	unsigned distinct = 0;

	dlp_validate_init(in, out);
	e = out->end;
	dlp_validate_line(t, in->len, e > 0 ? e - 1 : 0, &ls, &le);
	s = dlp_validate_rfind(t, le, e > 24 ? e - 24 : ls, e, "TLP:", true);
	if (s == DLP_VNONE || s < ls || !word_start(t, s))
		return false;
	v = s + 4;
	for (size_t k = 0; k < DLP_NITEMS(vals); k++) {
		size_t n = strlen(vals[k].s);

		if (!dlp_validate_at(t, le, v, vals[k].s, true) ||
		    !word_end(t, le, v + n))
			continue;
		out->level = vals[k].level;
		out->start = s;
		out->end = v + n;
		dlp_validate_detail(out, t + s, v + n - s);
		out->confidence =
		    dlp_validate_at(t, le, s, "TLP:", false) &&
		            dlp_validate_at(t, le, v, vals[k].s, false) &&
		            (leads(t, ls, s) ||
		                (in->scope & DLP_SCOPE_SUBJECT) ||
		                dlp_validate_edge(t, in->len, s, 5))
		        ? 2
		        : 1;
		break;
	}
	if (out->detail[0] == '\0')
		return false;
	/* Text explaining TLP lists several colours. */
	for (size_t k = 1; k < DLP_NITEMS(vals); k++) {
		char buf[16] = "TLP:";

		memcpy(buf + 4, vals[k].s, strlen(vals[k].s) + 1);
		if (dlp_validate_find(t, le, ls, le, buf, true) != DLP_VNONE)
			distinct++;
	}
	if (distinct >= 2)
		out->confidence = 1;
	return true;
}

const struct dlp_validator_def dlp_validate_intl_defs[] = {
    {"uk-marking", uk_marking},
    {"uk-line", uk_line},
    {"line-alone", line_alone},
    {"first-last-lines", first_last_lines},
    {"nato", nato},
    {"au-epms", au_epms},
    {"ca", ca},
    {"nz", nz},
    {"tlp", tlp},
};
const size_t dlp_validate_intl_ndefs = DLP_NITEMS(dlp_validate_intl_defs);
