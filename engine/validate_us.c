/*
 * validate_us.c - validators for US markings: CAPCO banners with the "//"
 * grammar (markings.md §6.1), portion marks (§6.2, §14 item 5), CUI
 * banners, portions and lines (§7.1) and DoD distribution statements
 * (§7.2).
 *
 * Trust:  the text is hostile; offsets are clamped. Parsing is tolerant
 *         of category order and unknown tokens (they lower confidence).
 * Limits: a banner is parsed within its line (at most DLP_VBANNER_MAX
 *         bytes); the "second signal" search for a lone portion mark
 *         looks at most DLP_VSIGNAL_MAX bytes either side.
 * Status: accept or reject; out->detail is the banner text as written.
 */
#include <string.h>

#include "validate.h"

#define DLP_VBANNER_MAX 512
#define DLP_VSIGNAL_MAX 16384

enum tok_kind { T_LEVEL, T_SCI, T_PREFIX, T_REL, T_PLAIN };

struct token {
	const char *name;
	enum tok_kind kind;
	unsigned level; /* minimum level the token implies (0: none) */
	unsigned flags;
	bool colloquial; /* not a CAPCO token: caps confidence at C2 */
};

/* Controls after the class part, full and abbreviated (§6.1, §6.2 table,
 * §7.2). T_SCI also matches "NAME-..." and "NAME ..." (compartments). */
static const struct token tokens[] = {
    {"SI", T_SCI, 5, 0, false},
    {"TK", T_SCI, 5, 0, false},
    {"HCS", T_SCI, 5, 0, false},
    {"KDK", T_SCI, 5, 0, false},
    {"RSV", T_SCI, 5, 0, false},
    {"EL", T_SCI, 5, 0, false},
    {"SCI", T_LEVEL, 5, 0, true},
    {"COMINT", T_SCI, 5, 0, false},
    {"TALENT KEYHOLE", T_PLAIN, 5, 0, false},
    {"GAMMA", T_SCI, 5, 0, false},
    {"SAR-", T_PREFIX, 5, 0, false},
    {"SPECIAL ACCESS REQUIRED-", T_PREFIX, 5, 0, false},
    {"ATOMAL", T_LEVEL, 5, DLP_F_NATO, false},
    {"BOHEMIA", T_LEVEL, 5, DLP_F_NATO, false},
    {"BALK", T_LEVEL, 5, DLP_F_NATO, false},
    {"RD", T_SCI, 0, 0, false},
    {"CNWDI", T_PLAIN, 0, 0, false},
    {"FRD", T_PLAIN, 0, 0, false},
    {"DCNI", T_PLAIN, 0, 0, false},
    {"UCNI", T_PLAIN, 0, 0, false},
    {"DOD UCNI", T_PLAIN, 0, 0, false},
    {"DOE UCNI", T_PLAIN, 0, 0, false},
    {"TFNI", T_PLAIN, 0, 0, false},
    {"FGI", T_SCI, 0, 0, false},
    {"CUI", T_PLAIN, 2, 0, false},
    {"NOFORN", T_PLAIN, 0, DLP_F_NATIONAL_ONLY, false},
    {"NF", T_PLAIN, 0, DLP_F_NATIONAL_ONLY, false},
    {"REL TO ", T_REL, 0, DLP_F_REL_LIST, false},
    {"REL", T_PLAIN, 0, DLP_F_REL_LIST, false},
    {"RELIDO", T_PLAIN, 0, 0, false},
    {"DISPLAY ONLY ", T_REL, 0, DLP_F_REL_LIST, false},
    {"DISPLAYONLY", T_PLAIN, 0, DLP_F_REL_LIST, false},
    {"ORCON-USGOV", T_PLAIN, 0, DLP_F_ORIGINATOR, false},
    {"ORCON", T_PLAIN, 0, DLP_F_ORIGINATOR, false},
    {"OC-USGOV", T_PLAIN, 0, DLP_F_ORIGINATOR, false},
    {"OC", T_PLAIN, 0, DLP_F_ORIGINATOR, false},
    {"IMCON", T_PLAIN, 0, 0, false},
    {"IMC", T_PLAIN, 0, 0, false},
    {"PROPIN", T_PLAIN, 0, DLP_F_COMMERCIAL, false},
    {"PR", T_PLAIN, 0, DLP_F_COMMERCIAL, false},
    {"RSEN", T_PLAIN, 0, 0, false},
    {"RS", T_PLAIN, 0, 0, false},
    {"FISA", T_PLAIN, 0, 0, false},
    {"DSEN", T_PLAIN, 2, 0, false},
    {"DEA SENSITIVE", T_PLAIN, 2, 0, false},
    {"FOUO", T_PLAIN, 2, 0, false},
    {"FOR OFFICIAL USE ONLY", T_PLAIN, 2, 0, false},
    {"CANADIAN EYES ONLY", T_PLAIN, 0, DLP_F_NATIONAL_ONLY, false},
    {"CEO", T_PLAIN, 0, DLP_F_NATIONAL_ONLY, false},
    {"LIMDIS", T_PLAIN, 2, 0, false},
    {"EXDIS", T_PLAIN, 2, 0, false},
    {"NODIS", T_PLAIN, 2, 0, false},
    {"DS", T_PLAIN, 2, 0, false},
    {"XD", T_PLAIN, 2, 0, false},
    {"ND", T_PLAIN, 2, 0, false},
    {"SBU NOFORN", T_PLAIN, 2, DLP_F_NATIONAL_ONLY, false},
    {"SBU-NF", T_PLAIN, 2, DLP_F_NATIONAL_ONLY, false},
    {"SBU", T_PLAIN, 2, 0, false},
    {"SENSITIVE BUT UNCLASSIFIED", T_PLAIN, 2, 0, false},
    {"LES NOFORN", T_PLAIN, 2, DLP_F_NATIONAL_ONLY, false},
    {"LES-NF", T_PLAIN, 2, DLP_F_NATIONAL_ONLY, false},
    {"LES", T_PLAIN, 2, 0, false},
    {"LAW ENFORCEMENT SENSITIVE", T_PLAIN, 2, 0, false},
    {"SSI", T_PLAIN, 2, 0, false},
    {"NNPI", T_PLAIN, 2, 0, false},
};

struct parse {
	unsigned level, flags;
	unsigned known, unknown;
	bool colloquial, stop;
	struct dlp_vout *out;
};

/* Country list of REL TO / DISPLAY ONLY: "USA, AUS, GBR" or "USA GBR". */
static void
rel_list(struct parse *ps, const uint8_t *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t s;

		while (i < n && (p[i] == ' ' || p[i] == ','))
			i++;
		s = i;
		while (i < n && dlp_v_upper(p[i]))
			i++;
		if (i - s >= 3 && i - s <= 4)
			dlp_validate_rel(ps->out, p + s, i - s);
		else if (i == s)
			i++;
	}
}

/* Apply one value between "/" separators. */
static void
apply_value(struct parse *ps, const uint8_t *p, size_t n)
{
	while (n > 0 && p[0] == ' ')
		p++, n--;
	while (n > 0 && p[n - 1] == ' ')
		n--;
	if (n == 0)
		return;
	if (n > 10 && memcmp(p + n - 10, " EYES ONLY", 10) == 0) {
		ps->flags |= DLP_F_NATIONAL_ONLY;
		ps->known++;
		return;
	}
	for (size_t i = 0; i < DLP_NITEMS(tokens); i++) {
		const struct token *k = &tokens[i];
		size_t kl = strlen(k->name);
		bool hit;

		if (k->kind == T_PREFIX || k->kind == T_REL)
			hit = n > kl && memcmp(p, k->name, kl) == 0;
		else if (n == kl)
			hit = memcmp(p, k->name, kl) == 0;
		else
			hit = n > kl && memcmp(p, k->name, kl) == 0 &&
			      (p[kl] == ' ' ||
			          (k->kind == T_SCI && p[kl] == '-'));
		if (!hit)
			continue;
		if (k->kind == T_REL)
			rel_list(ps, p + kl, n - kl);
		else if (n > kl && p[kl] == ' ' && k->kind != T_SCI &&
		         k->kind != T_PREFIX)
			ps->stop = true; /* prose after the last token */
		if (k->level > ps->level)
			ps->level = k->level;
		ps->flags |= k->flags;
		ps->colloquial |= k->colloquial;
		ps->known++;
		return;
	}
	ps->unknown++;
}

/* Parse "//cat//cat..." from pos (which must be at "//"); returns the end
 * of the last value consumed. */
static size_t
parse_controls(struct parse *ps, const uint8_t *t, size_t lim, size_t pos)
{
	size_t end = pos;

	while (
	    !ps->stop && pos + 2 < lim && t[pos] == '/' && t[pos + 1] == '/') {
		size_t s = pos + 2, i = s, vs = s;

		while (i < lim &&
		       (dlp_v_upper(t[i]) || dlp_v_digit(t[i]) || t[i] == ' ' ||
		           t[i] == ',' || t[i] == '-' ||
		           (t[i] == '/' && !(i + 1 < lim && t[i + 1] == '/'))))
			i++;
		bool last = false;

		/* A lowercase letter ends the banner: drop its word. */
		if (i < lim && dlp_v_lower(t[i])) {
			while (i > s && t[i - 1] != ' ')
				i--;
			last = true;
		}
		while (i > s &&
		       (t[i - 1] == ' ' || t[i - 1] == ',' || t[i - 1] == '-'))
			i--;
		if (i == s)
			break;
		for (size_t j = s; j <= i && !ps->stop; j++)
			if (j == i || t[j] == '/') {
				apply_value(ps, t + vs, j - vs);
				vs = j + 1;
			}
		ps->stop |= last;
		end = i;
		pos = i;
	}
	return end;
}

static const struct {
	const char *name;
	unsigned level;
} classes[] = {
    {"TOP SECRET", 5},
    {"SECRET", 4},
    {"CONFIDENTIAL", 3},
    {"RESTRICTED", 2},
    {"UNCLASSIFIED", 0},
};

/* NATO owner forms (§6.1 class-part, §8.1). */
static const struct {
	const char *name;
	unsigned level;
} nato_classes[] = {
    {"COSMIC TOP SECRET", 5},
    {"NATO SECRET", 4},
    {"NATO CONFIDENTIAL", 3},
    {"NATO RESTRICTED", 2},
    {"NATO UNCLASSIFIED", 1},
};

/* A US class word ending exactly at pos, with a word boundary before. */
static bool
class_before(
    const uint8_t *t, size_t ls, size_t pos, size_t *cs, unsigned *level)
{
	for (size_t i = 0; i < DLP_NITEMS(classes); i++) {
		size_t n = strlen(classes[i].name);

		if (pos - ls < n ||
		    memcmp(t + pos - n, classes[i].name, n) != 0)
			continue;
		if (pos - n > ls && dlp_v_word(t[pos - n - 1]))
			continue;
		*cs = pos - n;
		*level = classes[i].level;
		return true;
	}
	return false;
}

/* A non-US class part at pos ("//GBR SECRET", "//NATO SECRET",
 * "//COSMIC TOP SECRET", "//JOINT SECRET USA GBR"); *ce is its end. */
static bool
foreign_at(const uint8_t *t, size_t le, size_t pos, size_t *ce, unsigned *level,
    unsigned *flags)
{
	size_t p = pos + 2;

	for (size_t i = 0; i < DLP_NITEMS(nato_classes); i++)
		if (dlp_validate_at(t, le, p, nato_classes[i].name, false)) {
			*ce = p + strlen(nato_classes[i].name);
			*level = nato_classes[i].level;
			*flags |= DLP_F_NATO;
			return *ce == le || !dlp_v_word(t[*ce]);
		}
	if (dlp_validate_at(t, le, p, "JOINT ", false))
		p += 6;
	else if (p + 4 <= le && dlp_v_upper(t[p]) && dlp_v_upper(t[p + 1]) &&
	         dlp_v_upper(t[p + 2]) && t[p + 3] == ' ')
		p += 4;
	else
		return false;
	for (size_t i = 0; i < DLP_NITEMS(classes); i++) {
		size_t n = strlen(classes[i].name);

		if (!dlp_validate_at(t, le, p, classes[i].name, false))
			continue;
		p += n;
		if (p < le && dlp_v_word(t[p]))
			return false;
		/* JOINT owners: country list. */
		while (p + 4 <= le && t[p] == ' ' && dlp_v_upper(t[p + 1]) &&
		       dlp_v_upper(t[p + 2]) && dlp_v_upper(t[p + 3]) &&
		       (p + 4 == le || !dlp_v_word(t[p + 4])))
			p += 4;
		*ce = p;
		*level = classes[i].level;
		return true;
	}
	return false;
}

static bool
quoted_before(const uint8_t *t, size_t ls, size_t cs)
{
	static const char *const verbs[] = {
	    "marked ", "stamped ", "labeled ", "labelled ", "reading "};

	if (cs > ls && (t[cs - 1] == '"' || t[cs - 1] == '\''))
		return true;
	if (cs >= ls + 3 && t[cs - 3] == 0xe2 && t[cs - 2] == 0x80 &&
	    (t[cs - 1] == 0x9c || t[cs - 1] == 0x98))
		return true;
	for (size_t i = 0; i < DLP_NITEMS(verbs); i++) {
		size_t n = strlen(verbs[i]);

		if (cs - ls >= n && dlp_memcaseeq(t + cs - n, verbs[i], n))
			return true;
	}
	return false;
}

/* Is the span the line's leading content, after an optional label such as
 * "Classification:" or a paragraph number? */
static bool
leads_line(const uint8_t *t, size_t ls, size_t s)
{
	size_t i = ls;

	while (i < s && dlp_v_blank(t[i]))
		i++;
	if (i == s)
		return true;
	if (dlp_validate_at(t, s, i, "Classification:", true) ||
	    dlp_validate_at(t, s, i, "Security Classification:", true) ||
	    dlp_validate_at(t, s, i, "Classification :", true)) {
		i = dlp_validate_find(t, s, i, s, ":", false) + 1;
		while (i < s && dlp_v_blank(t[i]))
			i++;
		return i == s;
	}
	/* Paragraph numbers: "1.", "1.2.", "a.", "(a)". */
	while (i < s && (dlp_v_digit(t[i]) || t[i] == '.'))
		i++;
	if (i + 2 <= s && dlp_v_lower(t[i]) && t[i + 1] == '.')
		i += 2;
	while (i < s && dlp_v_blank(t[i]))
		i++;
	return i == s;
}

static bool
training(const uint8_t *t, size_t ls, size_t le)
{
	return dlp_validate_find(t, le, ls, le, "example", true) != DLP_VNONE ||
	       dlp_validate_find(t, le, ls, le, "training", true) != DLP_VNONE;
}

static bool
us_banner(const struct dlp_vin *in, struct dlp_vout *out)
{
	const uint8_t *t = in->text;
	struct parse ps = {0};
	size_t ls, le, lim, e, cs = 0, ce = 0, be;
	unsigned level = 0;
	bool found = false, foreign = false;

	dlp_validate_init(in, out);
	e = out->end;
	dlp_validate_line(t, in->len, e > 0 ? e - 1 : 0, &ls, &le);
	if (e > ls + DLP_VBANNER_MAX)
		ls = e - DLP_VBANNER_MAX;
	/* The rightmost "//" before the end that opens the banner. */
	for (size_t i = e >= 2 ? e - 2 : 0; i + 1 > ls && !found; i--) {
		if (i + 1 >= le || t[i] != '/' || t[i + 1] != '/')
			goto next;
		if (class_before(t, ls, i, &cs, &level)) {
			ce = i;
			found = true;
		} else if ((i == ls || !dlp_v_word(t[i - 1])) &&
		           t[i - (i > ls)] != ':' &&
		           foreign_at(t, le, i, &ce, &level, &ps.flags)) {
			cs = i;
			found = foreign = true;
		}
	next:
		if (i == 0)
			break;
	}
	if (!found)
		return false;
	ps.level = level;
	ps.out = out;
	lim = le - ce > DLP_VBANNER_MAX ? ce + DLP_VBANNER_MAX : le;
	be = parse_controls(&ps, t, lim, ce);
	if (be < ce)
		be = ce;
	if (be == ce && !foreign)
		return false;
	out->level = ps.level;
	out->flags |= ps.flags;
	out->start = cs;
	out->end = be;
	dlp_validate_detail(out, t + cs, be - cs);
	out->confidence = ps.known > 0 && !ps.colloquial ? 3 : 2;
	if (!(dlp_validate_alone(t, in->len, cs, be) ||
	        leads_line(t, ls, cs))) {
		out->confidence = quoted_before(t, ls, cs) ? 1 : 2;
	}
	if (training(t, ls, le) && out->confidence > 1)
		out->confidence--;
	return true;
}

/*
 * Portion marks.
 */

static const struct {
	const char *abbr;
	unsigned level;
} portion_classes[] = {
    {"TS", 5},
    {"S", 4},
    {"C", 3},
    {"U", 0},
    {"R", 2},
};

/* Does [ls, le) start with a portion mark "(X) " or "(X//"? */
static bool
line_has_portion(const uint8_t *t, size_t ls, size_t le)
{
	size_t i = ls;

	while (i < le && dlp_v_blank(t[i]))
		i++;
	if (i >= le || t[i] != '(')
		return false;
	for (size_t k = 0; k < DLP_NITEMS(portion_classes); k++) {
		size_t n = strlen(portion_classes[k].abbr);

		if (i + 1 + n + 2 <= le &&
		    memcmp(t + i + 1, portion_classes[k].abbr, n) == 0 &&
		    ((t[i + 1 + n] == ')' && t[i + 2 + n] == ' ') ||
		        (t[i + 1 + n] == '/' && t[i + 2 + n] == '/')))
			return true;
	}
	return false;
}

/* The "second signal" of §14 item 5, within DLP_VSIGNAL_MAX either side:
 * a banner, a classification authority block or >= 3 portion marks. */
static bool
second_signal(const uint8_t *t, size_t len, size_t pos)
{
	static const char *const cab[] = {
	    "Classified By:", "Derived From:", "Declassify On:"};
	size_t a = pos > DLP_VSIGNAL_MAX ? pos - DLP_VSIGNAL_MAX : 0;
	size_t b = len - pos > DLP_VSIGNAL_MAX ? pos + DLP_VSIGNAL_MAX : len;
	unsigned portions = 0;

	/* One pass over the window, line by line. */
	for (size_t i = a; i < b;) {
		const uint8_t *nl = memchr(t + i, '\n', b - i);
		size_t ls = i, le = nl != NULL ? (size_t)(nl - t) : b;
		size_t s = ls, e = le, cs;
		unsigned lv;

		while (s < e && dlp_v_blank(t[s]))
			s++;
		while (e > s && dlp_v_blank(t[e - 1]))
			e--;
		if (line_has_portion(t, s, e) && ++portions >= 3)
			return true;
		for (size_t k = 0; k < DLP_NITEMS(cab); k++)
			if (dlp_validate_at(t, e, s, cab[k], false))
				return true;
		/* A banner: a class word alone, or a class word + "//". */
		for (size_t k = 0; k < DLP_NITEMS(classes); k++)
			if (classes[k].level >= 3 &&
			    e - s == strlen(classes[k].name) &&
			    memcmp(t + s, classes[k].name, e - s) == 0)
				return true;
		for (size_t j = s; j + 1 < e; j++) {
			const uint8_t *sl = memchr(t + j, '/', e - j - 1);

			if (sl == NULL)
				break;
			j = (size_t)(sl - t);
			if (t[j + 1] == '/' && class_before(t, s, j, &cs, &lv))
				return true;
		}
		i = le + 1;
	}
	return false;
}

static bool
us_portion(const struct dlp_vin *in, struct dlp_vout *out)
{
	const uint8_t *t = in->text;
	struct parse ps = {0};
	size_t e, op, cp, ls, le, p, ce;
	bool slashes = false, found = false;
	unsigned level = 0;

	dlp_validate_init(in, out);
	e = out->end;
	/* Walk back from the end to the ')' and its '('. */
	cp = dlp_validate_rfind(
	    t, in->len, e > 128 ? e - 128 : 0, e, ")", false);
	if (cp == DLP_VNONE)
		return false;
	op = dlp_validate_rfind(
	    t, in->len, cp > 128 ? cp - 128 : 0, cp, "(", false);
	if (op == DLP_VNONE)
		return false;
	/* No letter before '(' ("Acme(R)", "employee(s)"). */
	if (op > 0 && dlp_v_word(t[op - 1]))
		return false;
	dlp_validate_line(t, in->len, op, &ls, &le);
	if (cp >= le)
		return false;
	p = op + 1;
	for (size_t k = 0; k < DLP_NITEMS(portion_classes) && !found; k++) {
		size_t n = strlen(portion_classes[k].abbr);

		if (dlp_validate_at(t, cp, p, portion_classes[k].abbr, false) &&
		    (p + n == cp || t[p + n] == '/')) {
			level = portion_classes[k].level;
			p += n;
			found = true;
		}
	}
	if (!found && t[p] == '/' &&
	    foreign_at(t, cp, p, &ce, &level, &ps.flags)) {
		p = ce;
		found = true;
	}
	if (!found && t[p] == '/' && p + 2 < cp) {
		/* Abbreviated foreign forms: "//NS", "//CTS", "//GBR S". */
		static const struct {
			const char *s;
			unsigned level;
		} ab[] = {
		    {"CTS", 5}, {"NS", 4}, {"NC", 3}, {"NR", 2}, {"NU", 1}};
		size_t q = p + 2;

		if (q + 4 < cp && dlp_v_upper(t[q]) && t[q + 3] == ' ')
			q += 4;
		for (size_t k = 0; k < DLP_NITEMS(ab) && !found; k++)
			if (dlp_validate_at(t, cp, q, ab[k].s, false) &&
			    (q + strlen(ab[k].s) == cp ||
			        t[q + strlen(ab[k].s)] == '/')) {
				level = ab[k].level;
				p = q + strlen(ab[k].s);
				found = true;
			}
		for (size_t k = 0; k < DLP_NITEMS(portion_classes) && !found;
		     k++)
			if (q > p + 2 &&
			    dlp_validate_at(
			        t, cp, q, portion_classes[k].abbr, false) &&
			    q + strlen(portion_classes[k].abbr) == cp) {
				level = portion_classes[k].level;
				p = cp;
				found = true;
			}
	}
	if (!found)
		return false;
	ps.level = level;
	ps.out = out;
	if (p < cp) {
		if (t[p] != '/' || p + 1 >= cp || t[p + 1] != '/')
			return false;
		slashes = true;
		if (parse_controls(&ps, t, cp, p) != cp || ps.stop)
			return false;
	} else if (t[op + 1] == '/')
		slashes = true;
	/* A space after ')' (not "(S)-", "(S)uccess"); "(X//Y)" may end a
	 * line. */
	if (cp + 1 < in->len && t[cp + 1] != ' ' &&
	    !(slashes && t[cp + 1] == '\n'))
		return false;
	if (cp + 1 >= in->len && !slashes)
		return false;
	/* "(C) 2024", "(c) Copyright". */
	if (cp + 2 < in->len &&
	    (dlp_v_digit(t[cp + 2]) ||
	        dlp_validate_at(t, in->len, cp + 2, "Copyright", true) ||
	        dlp_validate_at(t, in->len, cp + 2, "All rights", true)))
		return false;
	/* At the start of the portion: line start or paragraph number. */
	if (!leads_line(t, ls, op))
		return false;
	if (!slashes && !second_signal(t, in->len, op))
		return false;
	out->level = ps.level;
	out->flags |= ps.flags;
	out->start = op;
	out->end = cp + 1;
	dlp_validate_detail(out, t + op, cp + 1 - op);
	out->confidence = slashes && ps.unknown == 0 && !ps.colloquial ? 3 : 2;
	return true;
}

/*
 * CUI (§7.1).
 */

static const struct {
	const char *name;
	unsigned flags;
} cui_tokens[] = {
    {"NOFORN", DLP_F_NATIONAL_ONLY},
    {"FED ONLY", DLP_F_NATIONAL_ONLY},
    {"DL ONLY", DLP_F_ORIGINATOR},
    {"REL TO", DLP_F_REL_LIST},
    {"DISPLAY ONLY", DLP_F_REL_LIST},
    {"SP-PRVCY", DLP_F_PRIVACY_LEGAL},
    {"PRVCY", DLP_F_PRIVACY_LEGAL},
    {"ATTORNEY-CLIENT", DLP_F_PRIVACY_LEGAL},
    {"ATTORNEY-WP", DLP_F_PRIVACY_LEGAL},
    {"SP-PROPIN", DLP_F_COMMERCIAL},
    {"PROPIN", DLP_F_COMMERCIAL},
};

/* Categories and LDCs after "CUI//": tokens [A-Z0-9 -]+ split by / or //. */
static size_t
cui_controls(struct dlp_vout *out, const uint8_t *t, size_t lim, size_t p)
{
	size_t end = p;

	while (p + 2 < lim && t[p] == '/') {
		size_t s, i;

		p += t[p + 1] == '/' ? 2 : 1;
		s = i = p;
		if (dlp_validate_at(t, lim, s, "Attorney-", true)) {
			while (i < lim && (dlp_v_alpha(t[i]) || t[i] == '-'))
				i++;
		} else {
			while (i < lim &&
			       (dlp_v_upper(t[i]) || dlp_v_digit(t[i]) ||
			           t[i] == '-' || t[i] == ' ' || t[i] == ','))
				i++;
			/* A lowercase letter ends the banner. */
			if (i < lim && dlp_v_lower(t[i]))
				while (i > s && t[i - 1] != ' ')
					i--;
		}
		while (i > s &&
		       (t[i - 1] == ' ' || t[i - 1] == ',' || t[i - 1] == '-'))
			i--;
		if (i == s)
			break;
		for (size_t k = 0; k < DLP_NITEMS(cui_tokens); k++) {
			size_t n = strlen(cui_tokens[k].name);

			if (i - s >= n &&
			    dlp_memcaseeq(t + s, cui_tokens[k].name, n)) {
				out->flags |= cui_tokens[k].flags;
				if (cui_tokens[k].flags == DLP_F_REL_LIST) {
					struct parse ps = {.out = out};

					rel_list(&ps, t + s + n, i - s - n);
				}
				break;
			}
		}
		end = p = i;
	}
	return end;
}

static bool
cui(const struct dlp_vin *in, struct dlp_vout *out)
{
	const uint8_t *t = in->text;
	size_t e, ls, le, s = DLP_VNONE, n = 0, be;

	dlp_validate_init(in, out);
	e = out->end;
	dlp_validate_line(t, in->len, e > 0 ? e - 1 : 0, &ls, &le);
	/* The last CUI/CONTROLLED token starting before the end. */
	for (size_t i = e; i > ls && s == DLP_VNONE; i--) {
		static const char *const w[] = {"CUI", "CONTROLLED"};

		for (size_t k = 0; k < 2; k++)
			if (dlp_validate_at(t, le, i - 1, w[k], false) &&
			    (i - 1 == ls || !dlp_v_word(t[i - 2])) &&
			    (i - 1 + strlen(w[k]) == le ||
			        !dlp_v_word(t[i - 1 + strlen(w[k])]))) {
				s = i - 1;
				n = strlen(w[k]);
				break;
			}
	}
	if (s == DLP_VNONE)
		return false;
	out->start = s;
	out->end = be = s + n;
	out->level = out->level < 2 ? 2 : out->level;
	if (be + 2 < le && t[be] == '/' && t[be + 1] == '/' &&
	    dlp_v_upper(t[be + 2])) {
		/* Banner: CUI//categories//LDCs. */
		out->end = cui_controls(out, t, le, be);
		out->confidence = leads_line(t, ls, s) ? 3 : 2;
	} else if (s > ls && t[s - 1] == '(' && n == 3) {
		/* Portion "(CUI)" / "(CUI//SP-CTI)": at a paragraph start. */
		size_t q = be;

		if (q < le && t[q] == '/')
			q = cui_controls(out, t, le, q);
		if (q >= le || t[q] != ')' || !leads_line(t, ls, s - 1) ||
		    (q + 1 < le && t[q + 1] != ' '))
			return false;
		out->start = s - 1;
		out->end = q + 1;
		out->confidence = 2;
	} else if (dlp_validate_alone(t, in->len, s, be)) {
		out->confidence = dlp_validate_edge(t, in->len, s, 5) ? 2 : 1;
		if (dlp_validate_find(t, in->len,
		        s > DLP_VSIGNAL_MAX ? s - DLP_VSIGNAL_MAX : 0,
		        in->len - s > DLP_VSIGNAL_MAX ? s + DLP_VSIGNAL_MAX
		                                      : in->len,
		        "Controlled by:", true) != DLP_VNONE)
			out->confidence = 3;
	} else if ((in->scope & DLP_SCOPE_SUBJECT) && n == 3 &&
	           (leads_line(t, ls, s) ||
	               (s >= ls + 9 &&
	                   dlp_validate_at(t, le, s - 9, "Contains ", true)))) {
		/* Subject "CUI - ...", "Contains CUI"; not "CUI: RO123". */
		if (be < le && t[be] == ':')
			return false;
		out->confidence = 2;
	} else
		return false;
	dlp_validate_detail(out, t + out->start, out->end - out->start);
	return true;
}

/* DoD distribution statements (§7.2): A is a public-release suppressor,
 * B-F are controlled technical information. */
static bool
dist_statement(const struct dlp_vin *in, struct dlp_vout *out)
{
	const uint8_t *t = in->text;
	size_t e, s, n = strlen("DISTRIBUTION STATEMENT ");

	dlp_validate_init(in, out);
	e = out->end;
	s = dlp_validate_rfind(t, in->len, e > 64 ? e - 64 : 0, e,
	    "DISTRIBUTION STATEMENT ", false);
	if (s == DLP_VNONE || s + n >= in->len)
		return false;
	if (t[s + n] < 'A' || t[s + n] > 'F' ||
	    (s + n + 1 < in->len && dlp_v_word(t[s + n + 1])))
		return false;
	out->start = s;
	out->end = s + n + 1;
	if (t[s + n] == 'A') {
		out->level = 0;
		out->flags |= DLP_F_SUPPRESSOR;
	} else if (out->level < 2)
		out->level = 2;
	dlp_validate_detail(out, t + s, n + 1);
	return true;
}

const struct dlp_validator_def dlp_validate_us_defs[] = {
    {"us-banner", us_banner},
    {"us-portion", us_portion},
    {"cui", cui},
    {"dist-statement", dist_statement},
};
const size_t dlp_validate_us_ndefs = DLP_NITEMS(dlp_validate_us_defs);
