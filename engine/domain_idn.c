/*
 * domain_idn.c - turn a recipient's domain into the forms the detectors
 * compare: IDNA2008/UTS #46 A-label and U-label (libidn2), the ICANN
 * public suffix and registrable domain (libpsl, pinned list), the folded
 * UTS #39 skeleton and the mixed-script test (ICU uspoof).
 *
 * Trusts nothing in the input: every label is length- and LDH-checked
 * after conversion, and every dependency result is checked for its exact
 * success value; a failure makes the domain invalid (with the reason),
 * never "unknown". The USpoofChecker is configured once at load and used
 * here only through const calls, which uspoof.h documents as thread
 * safe. Buffers are fixed (DOM_MAX, DOM_UMAX): longer input is invalid.
 * libidn2 and ICU allocate with their own allocators, outside dlp_mem.
 */
#include <stdio.h>
#include <string.h>

#include <idn2.h>
#include <libpsl.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uspoof.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include "domain_int.h"

enum dlp_status
dlp_dom_icu_open(struct dlp_domain_db *db)
{
	UErrorCode st = U_ZERO_ERROR;
	USpoofChecker *sc = uspoof_open(&st);

	if (U_FAILURE(st) || sc == NULL)
		goto fail;
	uspoof_setChecks(sc, USPOOF_RESTRICTION_LEVEL | USPOOF_CONFUSABLE, &st);
	if (U_FAILURE(st))
		goto fail;
	uspoof_setRestrictionLevel(sc, USPOOF_HIGHLY_RESTRICTIVE);
	db->spoof = sc;
	return DLP_OK;
fail:
	if (sc != NULL)
		uspoof_close(sc);
	return st == U_MEMORY_ALLOCATION_ERROR ? DLP_ERR_NOMEM
	                                       : DLP_ERR_INTERNAL;
}

void
dlp_dom_icu_close(struct dlp_domain_db *db)
{
	if (db->spoof != NULL)
		uspoof_close(db->spoof);
	db->spoof = NULL;
}

/* Replace every occurrence of from (2 chars) by the one char to. */
static void
fold_pair(char *s, const char *from, char to)
{
	char *w = s;

	for (const char *p = s; *p != '\0';) {
		if (p[0] == from[0] && p[1] == from[1]) {
			*w++ = to;
			p += 2;
		} else
			*w++ = *p++;
	}
	*w = '\0';
}

bool
dlp_dom_fold(
    const struct dlp_domain_db *db, const char *s, char *out, size_t cap)
{
	char skel[DOM_UMAX * 2];
	UChar u1[DOM_UMAX * 2], u2[DOM_UMAX * 2];
	int32_t n, m = 0;
	UErrorCode st = U_ZERO_ERROR;
	const UNormalizer2 *nfd;

	if (db->spoof == NULL || cap > INT32_MAX)
		return false;
	/* The type argument is deprecated since ICU 58: pass 0. */
	uspoof_getSkeletonUTF8(db->spoof, 0, s, -1, skel, sizeof(skel), &st);
	if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING)
		return false;
	u_strFromUTF8(u1, DLP_NITEMS(u1), &n, skel, -1, &st);
	if (U_FAILURE(st) || n >= (int32_t)DLP_NITEMS(u1))
		return false;
	nfd = unorm2_getNFDInstance(&st);
	if (U_FAILURE(st))
		return false;
	n = unorm2_normalize(nfd, u1, n, u2, DLP_NITEMS(u2), &st);
	if (U_FAILURE(st) || n >= (int32_t)DLP_NITEMS(u2))
		return false;
	/* Drop combining marks (diacritics stay in UTS #39 skeletons). */
	for (int32_t i = 0; i < n;) {
		UChar32 c;
		int32_t start = i;

		U16_NEXT(u2, i, n, c);
		if (u_charType(c) == U_NON_SPACING_MARK)
			continue;
		for (int32_t k = start; k < i; k++)
			u1[m++] = u2[k];
	}
	n = u_strToLower(u2, DLP_NITEMS(u2), u1, m, "", &st);
	if (U_FAILURE(st) || n >= (int32_t)DLP_NITEMS(u2))
		return false;
	u_strToUTF8(out, (int32_t)cap, &m, u2, n, &st);
	if (U_FAILURE(st) || m >= (int32_t)cap)
		return false;
	out[m] = '\0';
	fold_pair(out, "vv", 'w');
	fold_pair(out, "cl", 'd');
	return true;
}

const char *
dlp_dom_suffix(const struct dlp_domain_db *db, const char *a)
{
	const char *p = a, *last = strrchr(a, '.');

	if (db->psl == NULL)
		return last ? last + 1 : a;
	for (;;) {
		if (psl_is_public_suffix2(db->psl, p, PSL_TYPE_ICANN) == 1)
			return p;
		p = strchr(p, '.');
		if (p == NULL)
			return last ? last + 1 : a;
		p++;
	}
}

void
dlp_dom_describe_cps(const char *u, char *out, size_t cap)
{
	int32_t i = 0, len = (int32_t)strlen(u), pos = 0, n = 0;
	size_t used = 0;

	out[0] = '\0';
	while (i < len && n < 2) {
		UChar32 c;
		char name[128];
		UErrorCode st = U_ZERO_ERROR;

		U8_NEXT(u, i, len, c);
		pos++;
		if (c == '.')
			pos = 0;
		if (c >= 0 && c < 0x80)
			continue;
		u_charName(c, U_UNICODE_CHAR_NAME, name, sizeof(name), &st);
		if (U_FAILURE(st))
			snprintf(name, sizeof(name), "%s", "unnamed character");
		int w = snprintf(out + used, cap - used,
		    "%sU+%04X %s at position %d", n ? ", " : "", (unsigned)c,
		    name, (int)pos);
		if (w < 0 || (size_t)w >= cap - used)
			return;
		used += (size_t)w;
		n++;
	}
}

/* LDH labels of 1..63 octets, no hyphen at either end, <= 253 total. */
static const char *
check_ldh(const char *a, const char **kind)
{
	size_t lab = 0, len = strlen(a);

	if (len == 0 || len > 253) {
		*kind = "too-long";
		return "longer than 253 octets";
	}
	for (size_t i = 0; i <= len; i++) {
		char c = a[i];

		if (c == '.' || c == '\0') {
			if (lab == 0) {
				*kind = "empty-label";
				return "an empty label";
			}
			if (a[i - 1] == '-' || a[i - lab] == '-') {
				*kind = "hyphen";
				return "a label starts or ends with '-'";
			}
			lab = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		        c == '-')) {
			*kind = "not-ldh";
			return "a character not allowed in host names";
		}
		if (++lab > 63) {
			*kind = "label-too-long";
			return "a label longer than 63 octets";
		}
	}
	return NULL;
}

static bool
label_mixed(const struct dlp_domain_db *db, const char *u)
{
	const char *p = u;

	while (*p != '\0') {
		const char *e = strchr(p, '.');
		int32_t n = e ? (int32_t)(e - p) : (int32_t)strlen(p);
		UErrorCode st = U_ZERO_ERROR;
		int32_t r = uspoof_check2UTF8(db->spoof, p, n, NULL, &st);

		if (U_FAILURE(st) || (r & USPOOF_RESTRICTION_LEVEL) != 0)
			return true;
		if (e == NULL)
			break;
		p = e + 1;
	}
	return false;
}

/* The last n labels of s. */
static const char *
last_labels(const char *s, size_t n)
{
	const char *p = s + strlen(s);

	while (p > s) {
		if (p[-1] == '.' && --n == 0)
			return p;
		p--;
	}
	return s;
}

static size_t
count_labels(const char *s)
{
	size_t n = 1;

	for (; *s; s++)
		n += *s == '.';
	return n;
}

/* Is s, lower-cased by Unicode rules, equal to u? (Case is canonical.) */
static bool
lower_equal(const char *s, const char *u)
{
	UChar a[DOM_UMAX], b[DOM_UMAX];
	char out[DOM_UMAX * 3];
	int32_t n, m;
	UErrorCode st = U_ZERO_ERROR;

	u_strFromUTF8(a, DLP_NITEMS(a), &n, s, -1, &st);
	if (U_FAILURE(st) || n >= (int32_t)DLP_NITEMS(a))
		return false;
	m = u_strToLower(b, DLP_NITEMS(b), a, n, "", &st);
	if (U_FAILURE(st) || m >= (int32_t)DLP_NITEMS(b))
		return false;
	u_strToUTF8(out, (int32_t)sizeof(out), &n, b, m, &st);
	if (U_FAILURE(st) || n >= (int32_t)sizeof(out))
		return false;
	out[n] = '\0';
	return strcmp(out, u) == 0;
}

const char *
dlp_dom_normalise(const struct dlp_domain_db *db, const char *in, size_t len,
    struct dlp_dom_rcpt *r, const char **kind)
{
	char buf[DOM_UMAX];
	char *out = NULL;
	const char *why = NULL;
	int rc;

	while (len > 0 && (in[len - 1] == ' ' || in[len - 1] == '\t'))
		len--;
	while (len > 0 && (in[0] == ' ' || in[0] == '\t'))
		in++, len--;
	if (len > 0 && in[len - 1] == '.')
		len--;
	if (len == 0) {
		*kind = "no-domain";
		return "no domain";
	}
	if (in[0] == '[') {
		*kind = "ip-literal";
		return "an address literal, not a domain name";
	}
	if (len >= sizeof(buf)) {
		*kind = "too-long";
		return "longer than 253 octets";
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c <= 0x20 || c == 0x7f) {
			*kind = "bad-character";
			return "a control character or space";
		}
		buf[i] = (char)dlp_tolower(c);
		if (c == '.' && (i == 0 || in[i - 1] == '.')) {
			*kind = "empty-label";
			return "an empty label";
		}
	}
	buf[len] = '\0';
	memcpy(r->input, buf, len + 1);

	rc = idn2_to_ascii_8z(buf, &out, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
	if (rc != IDN2_OK) {
		*kind = idn2_strerror_name(rc);
		why = idn2_strerror(rc);
		goto out;
	}
	if (strlen(out) >= sizeof(r->a)) {
		*kind = "too-long";
		why = "longer than 253 octets";
		goto out;
	}
	memcpy(r->a, out, strlen(out) + 1);
	idn2_free(out);
	out = NULL;
	if ((why = check_ldh(r->a, kind)) != NULL)
		goto out;
	rc = idn2_to_unicode_8z8z(r->a, &out, 0);
	if (rc != IDN2_OK) {
		*kind = idn2_strerror_name(rc);
		why = idn2_strerror(rc);
		goto out;
	}
	if (strlen(out) >= sizeof(r->u)) {
		*kind = "too-long";
		why = "longer than 253 octets";
		goto out;
	}
	memcpy(r->u, out, strlen(out) + 1);
	idn2_free(out);
	out = NULL;
	r->idn = strcmp(r->u, r->a) != 0;
	r->noncanon = strcmp(r->input, r->u) != 0 &&
	              strcmp(r->input, r->a) != 0 &&
	              !lower_equal(r->input, r->u);
	/* IDNA deviations: the transitional form is another domain. */
	r->trans[0] = '\0';
	if (idn2_to_ascii_8z(buf, &out, IDN2_NFC_INPUT | IDN2_TRANSITIONAL) ==
	        IDN2_OK &&
	    strcmp(out, r->a) != 0 && strlen(out) < sizeof(r->trans))
		memcpy(r->trans, out, strlen(out) + 1);
	idn2_free(out);
	out = NULL;

	r->suffix = dlp_dom_suffix(db, r->a);
	r->tld = strrchr(r->a, '.') ? strrchr(r->a, '.') + 1 : r->a;
	r->tld_known =
	    db->psl == NULL || psl_is_public_suffix2(db->psl, r->tld,
	                           PSL_TYPE_ICANN | PSL_TYPE_NO_STAR_RULE) == 1;
	if (r->suffix == r->a) {
		r->org = r->a;
		r->sldlen = 0;
	} else {
		const char *p = r->suffix - 1; /* the dot */

		while (p > r->a && p[-1] != '.')
			p--;
		r->org = p;
		r->sldlen = (size_t)(r->suffix - 1 - p);
	}
	r->regdom[0] = '\0';
	if (db->psl != NULL) {
		const char *rd = psl_registrable_domain(db->psl, r->a);

		if (rd != NULL)
			snprintf(r->regdom, sizeof(r->regdom), "%s", rd);
	}
	if (!dlp_dom_fold(db, r->u, r->fold, sizeof(r->fold)) ||
	    !dlp_dom_fold(db, last_labels(r->u, count_labels(r->org)), r->ofold,
	        sizeof(r->ofold))) {
		*kind = "skeleton";
		why = "its confusable skeleton cannot be computed";
		goto out;
	}
	r->mixed = r->idn && label_mixed(db, r->u);
out:
	idn2_free(out);
	return why;
}
