/*
 * validate_labels.c - machine-readable labels (markings.md §9): Microsoft
 * Purview (MIP) msip_labels headers and MSIP_Label_* document properties,
 * LabelInfo.xml, Titus headers and document properties, Boldon James
 * <sisl> labels, RFC 7444 SIO-Label and STANAG 4774 XML. Organisation-
 * defined label ids are looked up in the label map (labelmap.c).
 *
 * Trust:  the text is hostile but normalised (validate.h). Each validator
 *         reads a bounded window (LBL_WIN bytes around the trigger) and
 *         copies what it must join (base64, chunked properties) into a
 *         fixed stack buffer, so nothing allocates. The label map
 *         (dlp_vin.cfg) is read-only.
 * Limits: a Titus header decodes to at most LBL_BUF bytes; Boldon James
 *         document labels are joined from at most 32 chunks; a longer
 *         label is read as far as it goes.
 * Levels: a label id found in the map gives its level at C3. Without a
 *         mapping, an upper-case government marking name (SECRET,
 *         OFFICIAL-SENSITIVE ...) gives its level at C2 and a corporate
 *         name ("Highly Confidential") gives a level at C1 (not counted):
 *         corporate labels need configuration (markings.md §2.3).
 */
#include <stdio.h>
#include <string.h>

#include "labelmap.h"
#include "validate.h"

#define LBL_WIN 8192 /* bytes read either side of a trigger */
#define LBL_BUF 6144 /* joined or decoded label text */

/*
 * Label names.
 */

struct lname {
	const char *s;
	unsigned level, flags;
};

/* Government marking names, upper case, longest first. */
static const struct lname gov_names[] = {
    {"COSMIC TOP SECRET", 5, DLP_F_NATO},
    {"TOP SECRET", 5, 0},
    {"TOP-SECRET", 5, 0},
    {"NATO SECRET", 4, DLP_F_NATO},
    {"SECRET", 4, 0},
    {"NATO CONFIDENTIAL", 3, DLP_F_NATO},
    {"CONFIDENTIAL", 3, 0},
    {"PROTECTED", 3, 0},
    {"NATO RESTRICTED", 2, DLP_F_NATO},
    {"RESTRICTED", 2, 0},
    {"OFFICIAL-SENSITIVE", 2, 0},
    {"OFFICIAL SENSITIVE", 2, 0},
    {"OFFICIAL:SENSITIVE", 2, 0},
    {"OFFICIAL: SENSITIVE", 2, 0},
    {"OFFICIAL", 1, 0},
    {"NATO UNCLASSIFIED", 1, DLP_F_NATO},
    {"UNCLASSIFIED", 0, 0},
    {"UNOFFICIAL", 0, 0},
    {"PUBLIC", 0, 0},
};

/* Corporate label words (any case), most specific first: a C1 guess. */
static const struct lname corp_names[] = {
    {"non-business", 0, 0},
    {"nonbusiness", 0, 0},
    {"public", 0, 0},
    {"unclassified", 0, 0},
    {"none", 0, 0},
    {"highly confidential", 3, 0},
    {"highly_confidential", 3, 0},
    {"top secret", 5, 0},
    {"top_secret", 5, 0},
    {"secret", 4, 0},
    {"official_sensitive", 2, 0},
    {"sensitive", 2, 0},
    {"confidential", 2, 0},
    {"restricted", 2, 0},
    {"general", 1, 0},
    {"internal", 1, 0},
    {"official", 1, 0},
};

static bool
find_in(const uint8_t *s, size_t n, const char *w, bool nocase)
{
	return dlp_validate_find(s, n, 0, n, w, nocase) != DLP_VNONE;
}

/*
 * A label name or display marking: true and *level set when it is a
 * government marking (upper case, at the start, ending at a word
 * boundary); caveats add flags.
 */
static bool
gov_name(const uint8_t *s, size_t n, unsigned *level, unsigned *flags)
{
	while (n > 0 && dlp_v_blank(*s))
		s++, n--;
	if (n > 3 && memcmp(s, "UK ", 3) == 0)
		s += 3, n -= 3;
	for (size_t i = 0; i < DLP_NITEMS(gov_names); i++) {
		size_t l = strlen(gov_names[i].s);

		if (l > n || memcmp(s, gov_names[i].s, l) != 0 ||
		    (l < n && dlp_v_word(s[l])))
			continue;
		*level = gov_names[i].level;
		*flags |= gov_names[i].flags;
		if (find_in(s, n, "NOFORN", false) ||
		    find_in(s, n, "EYES ONLY", false))
			*flags |= DLP_F_NATIONAL_ONLY;
		if (find_in(s, n, "REL TO", false))
			*flags |= DLP_F_REL_LIST;
		return true;
	}
	return false;
}

static bool
corp_name(const uint8_t *s, size_t n, unsigned *level)
{
	for (size_t i = 0; i < DLP_NITEMS(corp_names); i++)
		if (find_in(s, n, corp_names[i].s, true)) {
			*level = corp_names[i].level;
			return true;
		}
	return false;
}

/* Classify an unmapped name: gov C2, corporate C1, else level 2 C1. */
static void
name_guess(const uint8_t *s, size_t n, struct dlp_vout *out)
{
	unsigned lv = 2;

	if (n > 0 && gov_name(s, n, &lv, &out->flags)) {
		out->level = lv;
		out->confidence = 2;
		return;
	}
	if (n > 0 && corp_name(s, n, &lv))
		out->level = lv;
	else
		out->level = 2;
	out->confidence = 1;
}

static void
detail2(struct dlp_vout *out, const char *a, const void *b, size_t bn)
{
	dlp_validate_detail(out, a, strlen(a));
	dlp_validate_detail(out, b, bn > 80 ? 80 : bn);
}

static void
mapped(struct dlp_vout *out, const struct dlp_label_entry *e)
{
	out->level = e->level;
	out->confidence = 3;
	detail2(out, "mapped label ", e->name, strlen(e->name));
}

/*
 * Small text readers over [0, lim).
 */

/* The value that follows key: "key=v", "key: v", key="v", XML
 * key"><vt:lpwstr>v< or <key ...>v<. Ends at ; " < LF (or at a blank
 * when stop_blank). */
static bool
value_after(const uint8_t *t, size_t lim, size_t at, size_t *vs, size_t *ve,
    bool stop_blank)
{
	size_t i = at, s;

	while (i < lim && i - at < 256 &&
	       (t[i] == '"' || t[i] == '\'' || t[i] == '=' || t[i] == ':' ||
	           t[i] == ' ' || t[i] == '>' || t[i] == '<')) {
		if (t[i] == '<' || (t[i] == '>' && i > at)) {
			/* skip a tag such as <vt:lpwstr> */
			if (t[i] == '<')
				while (i < lim && t[i] != '>' && i - at < 256)
					i++;
		}
		i++;
	}
	s = i = i < lim ? i : lim;
	while (i < lim && i - s < 512 && t[i] != ';' && t[i] != '"' &&
	       t[i] != '\'' && t[i] != '<' && t[i] != '\n' &&
	       !(stop_blank && t[i] == ' '))
		i++;
	while (i > s && dlp_v_blank(t[i - 1]))
		i--;
	*vs = s;
	*ve = i;
	return i > s;
}

/* Attribute name="v" or name=v within [from, to). */
static bool
attr(const uint8_t *t, size_t from, size_t to, const char *name, size_t *vs,
    size_t *ve)
{
	size_t n = strlen(name);

	for (size_t i = from; i + n + 1 <= to; i++) {
		if ((i > from && dlp_v_word(t[i - 1])) || t[i + n] != '=' ||
		    memcmp(t + i, name, n) != 0)
			continue;
		return value_after(t, to, i + n, vs, ve, true);
	}
	return false;
}

static bool
is_true(const uint8_t *t, size_t s, size_t e)
{
	return (e - s == 4 && dlp_memcaseeq(t + s, "true", 4)) ||
	       (e - s == 1 && t[s] == '1');
}

static size_t
win_lo(size_t pos)
{
	return pos > LBL_WIN ? pos - LBL_WIN : 0;
}

static size_t
win_hi(const struct dlp_vin *in, size_t pos)
{
	return in->len - pos > LBL_WIN ? pos + LBL_WIN : in->len;
}

/*
 * MIP: a trigger MSIP_Label_<guid>_Enabled followed by = : or ".
 * Reads Name and SiteId of the same GUID nearby; Enabled must be true.
 */
static bool
v_mip_label(const struct dlp_vin *in, struct dlp_vout *out)
{
	const uint8_t *t = in->text;
	char key[64];
	size_t g, vs, ve, lo, hi, at, ns = 0, ne = 0, ss = 0, se = 0;
	const struct dlp_label_entry *e;
	bool any_site;

	dlp_validate_init(in, out);
	g = dlp_validate_rfind(
	    t, in->end, win_lo(in->end), in->end, "_Label_", true);
	if (g == DLP_VNONE || in->end - g < 7 + 36 + 8)
		return false;
	g += 7;
	if (!value_after(t, in->len, g + 36 + 8, &vs, &ve, true) ||
	    !is_true(t, vs, ve))
		return false; /* Enabled=false: not applied */
	lo = win_lo(g);
	hi = win_hi(in, g);
	snprintf(key, sizeof(key), "_Label_%.36s_Name", (const char *)t + g);
	if ((at = dlp_validate_find(t, hi, lo, hi, key, true)) != DLP_VNONE)
		(void)value_after(t, hi, at + strlen(key), &ns, &ne, false);
	snprintf(key, sizeof(key), "_Label_%.36s_SiteId", (const char *)t + g);
	if ((at = dlp_validate_find(t, hi, lo, hi, key, true)) != DLP_VNONE)
		(void)value_after(t, hi, at + strlen(key), &ss, &se, true);
	out->start = g - 7 - (g >= 11 ? 4 : 0);
	out->end = in->end;
	e = dlp_labelmap_find(in->cfg, DLP_LABEL_MIP,
	    se > ss ? (const char *)t + ss : NULL, se - ss, (const char *)t + g,
	    36);
	if (e != NULL) {
		mapped(out, e);
		return true;
	}
	name_guess(t + ns, ne - ns, out);
	if (se > ss &&
	    !dlp_labelmap_knows_site(in->cfg, DLP_LABEL_MIP,
	        (const char *)t + ss, se - ss, &any_site) &&
	    any_site) {
		out->confidence = 1;
		dlp_validate_detail(out, "unknown tenant; ", 16);
	}
	if (ne > ns)
		detail2(out, "label name ", t + ns, ne - ns);
	else
		detail2(out, "unmapped label ", t + g, 36);
	return true;
}

/* MIP LabelInfo.xml: <clbl:label id= enabled= removed= siteId=> or the
 * extractor's "label id=... enabled=..." line. */
static bool
v_mip_labelinfo(const struct dlp_vin *in, struct dlp_vout *out)
{
	const uint8_t *t = in->text;
	size_t s = in->start == DLP_VSTART_UNKNOWN ? dlp_validate_start(in)
	                                           : in->start,
	       e = in->end, is, ie, vs, ve, ss = 0, se = 0;
	const struct dlp_label_entry *ent;

	dlp_validate_init(in, out);
	while (e < in->len && t[e] != '>' && t[e] != '\n' && e - s < 2048)
		e++;
	if (!attr(t, s, e, "id", &is, &ie))
		return false;
	if (!attr(t, s, e, "enabled", &vs, &ve) || !is_true(t, vs, ve))
		return false;
	if (attr(t, s, e, "removed", &vs, &ve) && is_true(t, vs, ve))
		return false;
	(void)attr(t, s, e, "siteId", &ss, &se);
	out->start = s;
	out->end = e;
	ent = dlp_labelmap_find(in->cfg, DLP_LABEL_MIP,
	    se > ss ? (const char *)t + ss : NULL, se - ss,
	    (const char *)t + is, ie - is);
	if (ent != NULL) {
		mapped(out, ent);
		return true;
	}
	out->level = 2;
	out->confidence = 1;
	detail2(out, "unmapped label ", t + is, ie - is);
	return true;
}

/*
 * Titus.
 */

static int
b64v(uint8_t c)
{
	if (dlp_v_upper(c))
		return c - 'A';
	if (dlp_v_lower(c))
		return c - 'a' + 26;
	if (dlp_v_digit(c))
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

/* Base64 from t[s..) to the end of the header value, blanks skipped. */
static size_t
b64_decode(const uint8_t *t, size_t s, size_t lim, uint8_t *out, size_t cap)
{
	unsigned acc = 0, bits = 0;
	size_t o = 0;

	for (size_t i = s; i < lim && o < cap; i++) {
		int v;

		if (t[i] == ' ' || t[i] == '\t' || t[i] == '\n')
			continue;
		if (t[i] == '=')
			break;
		if ((v = b64v(t[i])) < 0)
			break;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (uint8_t)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	return o;
}

/* A JSON string value after "key": unescape \/ and \" into dst. */
static size_t
json_str(const uint8_t *j, size_t n, size_t from, const char *key, char *dst,
    size_t cap, size_t *next)
{
	size_t at = dlp_validate_find(j, n, from, n, key, false), i, o = 0;

	if (at == DLP_VNONE)
		return 0;
	i = at + strlen(key);
	while (i < n && (j[i] == ' ' || j[i] == ':'))
		i++;
	if (i >= n || j[i] != '"')
		return 0;
	for (i++; i < n && j[i] != '"'; i++) {
		if (j[i] == '\\' && i + 1 < n)
			i++;
		if (o + 1 < cap)
			dst[o++] = (char)j[i];
	}
	dst[o] = '\0';
	*next = i;
	return o;
}

/* Look one Titus field=value up (namespace as given, or its last path
 * segment, or any) and keep the highest result in out. */
static void
titus_one(const struct dlp_vin *in, const char *ns, const char *field,
    const char *val, struct dlp_vout *out, bool *found)
{
	char id[192];
	const char *seg = strrchr(ns, '/');
	const struct dlp_label_entry *e;
	unsigned lv = 0, fl = 0;

	snprintf(id, sizeof(id), "%s=%s", field, val);
	e = dlp_labelmap_find(
	    in->cfg, DLP_LABEL_TITUS, ns, strlen(ns), id, strlen(id));
	if (e == NULL && seg != NULL)
		e = dlp_labelmap_find(in->cfg, DLP_LABEL_TITUS, seg + 1,
		    strlen(seg + 1), id, strlen(id));
	if (e != NULL) {
		if (!*found || out->confidence < 3 || e->level > out->level) {
			out->detail[0] = '\0';
			mapped(out, e);
		}
		*found = true;
		return;
	}
	if (*found && out->confidence == 3)
		return;
	/* "No", "None", "False": a field that is not set (level 0) */
	if (strcmp(val, "No") == 0 || strcmp(val, "None") == 0 ||
	    strcmp(val, "False") == 0 ||
	    gov_name((const uint8_t *)val, strlen(val), &lv, &fl) ||
	    corp_name((const uint8_t *)val, strlen(val), &lv)) {
		if (!*found || lv > out->level) {
			out->level = lv;
			out->detail[0] = '\0';
			detail2(out, "unmapped Titus ", id, strlen(id));
		}
		out->confidence = 1;
		*found = true;
	}
}

/* x-titus-metadata-40 (base64 JSON) and x-tituslabs-classifications-30
 * (Root=Org;Field=Value;...) headers; TitusGUID document properties. */
static bool
v_titus(const struct dlp_vin *in, struct dlp_vout *out)
{
	const uint8_t *t = in->text;
	uint8_t buf[LBL_BUF];
	char ns[128] = "", field[64], val[96];
	size_t n, pos = 0, ls, le, hi = win_hi(in, in->end);
	bool found = false;

	dlp_validate_init(in, out);
	dlp_validate_line(t, in->len, in->end, &ls, &le);
	if (in->end >= 19 && dlp_validate_rfind(t, in->end, ls, in->end,
	                         "metadata-40", true) != DLP_VNONE) {
		n = b64_decode(t, in->end, hi, buf, sizeof(buf));
		(void)json_str(buf, n, 0, "\"ns\"", ns, sizeof(ns), &pos);
		pos = 0;
		while (json_str(buf, n, pos, "\"n\"", field, sizeof(field),
		           &pos) > 0) {
			size_t vp = pos, nx = dlp_validate_find(
			                     buf, n, pos, n, "\"n\"", false);

			while (json_str(buf, nx == DLP_VNONE ? n : nx, vp,
			           "\"value\"", val, sizeof(val), &vp) > 0)
				titus_one(in, ns, field, val, out, &found);
		}
		if (!found && n > 0) {
			out->level = 2;
			out->confidence = 1;
			dlp_validate_detail(out, "Titus label, no field", 21);
			found = true;
		}
		return found;
	}
	/* "k=v;" lists: the -30 header, or document properties (one per
	 * line) after TitusGUID. */
	for (size_t i = in->end; i < hi;) {
		size_t ks = i, ke, vs, ve;

		while (i < hi && t[i] != '=' && t[i] != ';' && t[i] != '\n')
			i++;
		ke = i;
		if (i >= hi || t[i] != '=') {
			i++;
			continue;
		}
		vs = ++i;
		while (i < hi && t[i] != ';' && t[i] != '\n')
			i++;
		ve = i++;
		while (ks < ke && dlp_v_blank(t[ks]))
			ks++;
		if (ke - ks == 14 &&
		    memcmp(t + ks, "TLPropertyRoot", 14) == 0) {
			snprintf(ns, sizeof(ns), "%.*s", (int)(ve - vs),
			    (const char *)t + vs);
			continue;
		}
		if (ke - ks >= sizeof(field) || ve - vs >= sizeof(val) ||
		    ke == ks ||
		    (ke - ks == 9 && memcmp(t + ks, "TitusGUID", 9) == 0))
			continue;
		snprintf(field, sizeof(field), "%.*s", (int)(ke - ks),
		    (const char *)t + ks);
		snprintf(val, sizeof(val), "%.*s", (int)(ve - vs),
		    (const char *)t + vs);
		titus_one(in, ns, field, val, out, &found);
		if (in->scope & DLP_SCOPE_HEADERS && i > le)
			break;
	}
	return found;
}

/*
 * Boldon James: <sisl ... policy="G"><element uid="U" .../></sisl>; in
 * document properties the XML is split over bjDocumentLabelXML,
 * bjDocumentLabelXML-0, -1 ... which are joined first.
 */
static size_t
bj_join(const uint8_t *t, size_t len, uint8_t *buf, size_t cap)
{
	size_t o = 0;
	char key[40];

	for (int k = -1; k < 32; k++) {
		size_t at = 0, vs, ve;
		bool got = false;

		if (k < 0)
			snprintf(key, sizeof(key), "bjDocumentLabelXML=");
		else
			snprintf(key, sizeof(key), "bjDocumentLabelXML-%d=", k);
		while ((at = dlp_validate_find(t, len, at, len, key, false)) !=
		       DLP_VNONE) {
			if (at == 0 || t[at - 1] == '\n') {
				got = true;
				break;
			}
			at++;
		}
		if (!got)
			continue;
		vs = at + strlen(key);
		ve = vs;
		while (ve < len && t[ve] != '\n')
			ve++;
		if (ve - vs > cap - o)
			ve = vs + (cap - o);
		memcpy(buf + o, t + vs, ve - vs);
		o += ve - vs;
	}
	return o;
}

/* The end of element name at or after from: "<name" in XML, or "name" at
 * a line start as the extractor writes customXml ("element uid=..."). */
static size_t
find_el(const uint8_t *b, size_t n, size_t from, const char *name)
{
	size_t l = strlen(name);

	for (size_t at = from;
	     (at = dlp_validate_find(b, n, at, n, name, false)) != DLP_VNONE;
	     at++) {
		if (at + l < n && b[at + l] != ' ' && b[at + l] != '>' &&
		    b[at + l] != '\t' && b[at + l] != '/')
			continue;
		if (at == 0 || b[at - 1] == '<' || b[at - 1] == '\n')
			return at + l;
	}
	return DLP_VNONE;
}

static bool
v_bj_label(const struct dlp_vin *in, struct dlp_vout *out)
{
	const uint8_t *t = in->text;
	uint8_t buf[LBL_BUF];
	size_t n, s, ps = 0, pe = 0, at, us, ue;
	bool found = false;

	dlp_validate_init(in, out);
	s = out->start;
	if (dlp_validate_at(t, in->len, s, "bjDocumentLabelXML", false))
		n = bj_join(t, win_hi(in, s), buf, sizeof(buf));
	else {
		n = win_hi(in, s) - s;
		if (n > sizeof(buf))
			n = sizeof(buf);
		memcpy(buf, t + s, n);
	}
	if ((at = find_el(buf, n, 0, "sisl")) == DLP_VNONE)
		return false;
	(void)attr(buf, at, n, "policy", &ps, &pe);
	while ((at = find_el(buf, n, at, "element")) != DLP_VNONE) {
		const struct dlp_label_entry *e;
		unsigned lv = 2;

		if (!attr(buf, at, n, "uid", &us, &ue))
			continue;
		e = dlp_labelmap_find(in->cfg, DLP_LABEL_BJ,
		    pe > ps ? (const char *)buf + ps : NULL, pe - ps,
		    (const char *)buf + us, ue - us);
		if (e != NULL) {
			if (!found || out->confidence < 3 ||
			    e->level > out->level) {
				out->detail[0] = '\0';
				mapped(out, e);
			}
		} else if (!found || out->confidence < 3) {
			if (!corp_name(buf + us, ue - us, &lv))
				lv = 2;
			if (!found || lv > out->level) {
				out->level = lv;
				out->detail[0] = '\0';
				detail2(out, "unmapped element ", buf + us,
				    ue - us);
			}
			out->confidence = 1;
		}
		found = true;
	}
	return found;
}

/* bjclassification: display text only: a C1 guess. */
static bool
v_label_text(const struct dlp_vin *in, struct dlp_vout *out)
{
	size_t ls, le, s;

	dlp_validate_init(in, out);
	dlp_validate_line(in->text, in->len, in->end, &ls, &le);
	s = in->end;
	while (s < le && dlp_v_blank(in->text[s]))
		s++;
	if (s >= le)
		return false;
	name_guess(in->text + s, le - s, out);
	out->confidence = 1;
	detail2(out, "label text ", in->text + s, le - s);
	return true;
}

/*
 * STANAG 4774: Classification relative to PolicyIdentifier; a schema is
 * not a label.
 */
static bool
xml_text(const uint8_t *t, size_t lo, size_t hi, const char *el, size_t *vs,
    size_t *ve)
{
	size_t n = strlen(el), at = lo;

	while (
	    (at = dlp_validate_find(t, hi, at, hi, el, false)) != DLP_VNONE) {
		size_t i = at + n;

		at = i;
		if (at - n > lo && dlp_v_word(t[at - n - 1]))
			continue;
		if (i < hi && t[i] == '=') /* extractor: "Element=text" */
			return value_after(t, hi, i, vs, ve, false);
		if (i < hi && (t[i] == '>' || t[i] == ' ')) {
			while (i < hi && t[i] != '>' && t[i] != '\n')
				i++;
			if (i < hi && t[i] == '>' &&
			    value_after(t, hi, i, vs, ve, false))
				return true;
		}
	}
	return false;
}

/* Level of a 4774 Classification value under its policy. */
static bool
stanag_level(const uint8_t *c, size_t n, bool nato, unsigned *level)
{
	unsigned fl = 0;

	if (n > 5 && memcmp(c, "NATO ", 5) == 0)
		nato = true;
	if (!gov_name(c, n, level, &fl))
		return false;
	if (nato && *level == 0)
		*level = 1; /* NATO UNCLASSIFIED is NATO-owned */
	return true;
}

static size_t
stanag_doc(const uint8_t *t, size_t lo, size_t hi, unsigned scope,
    struct dlp_vout *out)
{
	size_t ps, pe, cs, ce, at, vs, ve;
	bool policy, nato;
	unsigned lv;

	if (!xml_text(t, lo, hi, "Classification", &cs, &ce))
		return 0;
	policy = xml_text(t, lo, hi, "PolicyIdentifier", &ps, &pe);
	nato = policy && pe - ps >= 4 && memcmp(t + ps, "NATO", 4) == 0;
	if (!stanag_level(t + cs, ce - cs, nato, &lv))
		return 0;
	out->level = lv;
	if (nato)
		out->flags |= DLP_F_NATO;
	if (!policy)
		out->confidence = 1;
	else if (scope & (DLP_SCOPE_METADATA | DLP_SCOPE_HEADERS))
		out->confidence = 3;
	else
		out->confidence =
		    dlp_validate_find(t, hi, lo, hi, "urn:nato:stanag:4778",
		        false) != DLP_VNONE
		        ? 3
		        : 1;
	/* The span is the Classification value, so the triggers of one
	 * label (namespace, root element, PolicyIdentifier line) count
	 * once. */
	out->start = cs;
	out->end = ce;
	if (policy)
		detail2(out, "", t + ps, pe - ps);
	dlp_validate_detail(out, " ", 1);
	dlp_validate_detail(out, t + cs, ce - cs > 60 ? 60 : ce - cs);
	/* Releasable To: the GenericValues of that category. */
	if ((at = dlp_validate_find(t, hi, lo, hi, "Releasable", true)) !=
	    DLP_VNONE) {
		size_t end = at + 1024 < hi ? at + 1024 : hi;

		while (xml_text(t, at, end, "GenericValue", &vs, &ve)) {
			if (ve - vs == 3 || ve - vs == 4) {
				out->flags |= DLP_F_REL_LIST;
				dlp_validate_rel(out, t + vs, ve - vs);
			}
			at = ve;
		}
	}
	return ce;
}

static bool
v_stanag_4774(const struct dlp_vin *in, struct dlp_vout *out)
{
	const uint8_t *t = in->text;
	size_t lo = win_lo(in->end), hi = win_hi(in, in->end);

	dlp_validate_init(in, out);
	if (dlp_validate_find(t, hi, lo, hi, ":schema", false) != DLP_VNONE ||
	    dlp_validate_find(t, hi, lo, hi, "<schema", false) != DLP_VNONE ||
	    dlp_validate_find(t, hi, lo, hi, "targetNamespace", false) !=
	        DLP_VNONE)
		return false; /* a schema enumerates values: not a label */
	return stanag_doc(t, lo, hi, in->scope, out) > 0;
}

/* The label="..." parameter, or label*0= label*1= ... joined (RFC 2231),
 * with \" unescaped. */
static size_t
sio_join(const uint8_t *t, size_t from, size_t lim, uint8_t *buf, size_t cap)
{
	size_t o = 0;
	char key[16];

	for (int k = -1; k < 64; k++) {
		size_t at = from, i;

		if (k < 0)
			snprintf(key, sizeof(key), "label=\"");
		else
			snprintf(key, sizeof(key), "label*%d=\"", k);
		for (;;) {
			at = dlp_validate_find(t, lim, at, lim, key, true);
			if (at == DLP_VNONE || at == from ||
			    !dlp_v_word(t[at - 1]))
				break;
			at++;
		}
		if (at == DLP_VNONE)
			continue;
		for (i = at + strlen(key); i < lim && t[i] != '"' && o < cap;
		     i++) {
			if (t[i] == '\\' && i + 1 < lim)
				i++;
			buf[o++] = t[i];
		}
		if (k < 0)
			break; /* a single label= */
	}
	return o;
}

/*
 * RFC 7444 SIO-Label: marking="..." is a display marking; type=":xml"
 * with label= (or label*0= label*1= ...) carries 4774 XML.
 */
static bool
v_sio_label(const struct dlp_vin *in, struct dlp_vout *out)
{
	const uint8_t *t = in->text;
	uint8_t buf[LBL_BUF];
	size_t ls, le, vs, ve, at, n;
	bool history;
	unsigned lv = 0;

	dlp_validate_init(in, out);
	dlp_validate_line(t, in->len, in->end, &ls, &le);
	le = win_hi(in, in->end); /* the header value, unfolded */
	history = dlp_validate_find(t, in->end, ls, in->end, "History", true) !=
	          DLP_VNONE;
	if ((at = dlp_validate_find(t, le, in->end, le, "marking=", true)) !=
	        DLP_VNONE &&
	    (at == in->end || !dlp_v_word(t[at - 1])) &&
	    value_after(t, le, at + 8, &vs, &ve, false) &&
	    gov_name(t + vs, ve - vs, &lv, &out->flags)) {
		out->level = lv;
		out->confidence = 3;
		detail2(out, "", t + vs, ve - vs);
	} else if ((n = sio_join(t, in->end, le, buf, sizeof(buf))) > 0 &&
	           dlp_validate_find(buf, n, 0, n, "ConfidentialityLabel",
	               false) != DLP_VNONE) {
		if (stanag_doc(buf, 0, n, DLP_SCOPE_HEADERS, out) == 0)
			return false;
		out->start = in->start == DLP_VSTART_UNKNOWN
		                 ? dlp_validate_start(in)
		                 : in->start;
		out->end = in->end; /* the span is in buf, not the text */
	} else
		return false;
	if (history && out->confidence > 1)
		out->confidence = 1;
	return true;
}

/*
 * X-MS-Exchange-Organization-Classification: <guid>. Exchange also puts
 * system GUIDs there (partner and ORAR mail), so only a mapped GUID is a
 * finding (markings.md §9.7).
 */
static bool
v_exchange_class(const struct dlp_vin *in, struct dlp_vout *out)
{
	const uint8_t *t = in->text;
	const struct dlp_label_entry *e;
	size_t s = in->end, g;

	dlp_validate_init(in, out);
	while (s < in->len && dlp_v_blank(t[s]))
		s++;
	g = s;
	while (g < in->len && g - s < 40 &&
	       (dlp_v_alnum(t[g]) || t[g] == '-' || t[g] == '{' || t[g] == '}'))
		g++;
	if (g == s || (e = dlp_labelmap_find(in->cfg, DLP_LABEL_EXCHANGE, NULL,
	                   0, (const char *)t + s, g - s)) == NULL)
		return false;
	out->end = g;
	mapped(out, e);
	return true;
}

const struct dlp_validator_def dlp_validate_labels_defs[] = {
    {"exchange-class", v_exchange_class},
    {"mip-label", v_mip_label},
    {"mip-labelinfo", v_mip_labelinfo},
    {"titus", v_titus},
    {"bj-label", v_bj_label},
    {"label-text", v_label_text},
    {"stanag-4774", v_stanag_4774},
    {"sio-label", v_sio_label},
};
const size_t dlp_validate_labels_ndefs = DLP_NITEMS(dlp_validate_labels_defs);
