/*
 * test_domain.c - recipient-domain risk: the spec's domain table (section
 * 15.1-15.3), the message-level cases that fall to this module (15.4),
 * bad input, generated typo permutations, a list of real distinct
 * domains, and an allocation-failure sweep over loading.
 *
 * Uses the shipped data files (signatures/domains, pinned PSL) plus the
 * test-only entries of the spec's configuration given through the
 * internal/trusted arrays. Confusable cases depend on ICU's Unicode data
 * (written against ICU 72 / Unicode 15).
 */
#define _DEFAULT_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "test.h"

static const char *const cfg_internal[] = {"army.mil", "us.army.mil"};
static const char *const cfg_trusted[] = {"navy.mil", "af.mil", "mail.mil",
    "mod.gov.uk", "mod.uk", "dstl.gov.uk", "nato.int", "lockheedmartin.com",
    "mitre.org", "acme.com distinct=acne.com", "fass.de"};

static const char *
datadir(void)
{
	static char d[4096];

	snprintf(d, sizeof(d), "%s/signatures/domains", test_source_dir());
	return d;
}

static struct dlp_domain_db *
load_cfg(void)
{
	struct dlp_domain_db *db = NULL;
	struct dlp_error err = {0};
	enum dlp_status st;
	st = dlp_domain_load(&test_mem, datadir(), cfg_internal,
	    DLP_NITEMS(cfg_internal), cfg_trusted, DLP_NITEMS(cfg_trusted), &db,
	    &err);
	CHECK_MSG(st == DLP_OK, "%s:%u: %s", err.file, err.line, err.message);
	return db;
}

static const char *
cls_name(enum dlp_rcpt_class c)
{
	static const char *const n[] = {"?", "internal", "trusted", "unknown",
	    "typo", "high-risk", "invalid"};

	return (unsigned)c < DLP_NITEMS(n) ? n[c] : "?";
}

struct dcase {
	int row; /* spec section 15 row */
	const char *domain;
	enum dlp_rcpt_class cls;
	const char *kind;
	const char *matched; /* NULL: not checked */
	unsigned score;
};

#define I DLP_RCPT_INTERNAL
#define T DLP_RCPT_TRUSTED
#define U DLP_RCPT_UNKNOWN
#define Y DLP_RCPT_TYPO
#define H DLP_RCPT_HIGH_RISK
#define V DLP_RCPT_INVALID

static const struct dcase cases[] = {
    {1, "army.mil", I, "exact", "army.mil", 0},
    {2, "mail.army.mil", I, "subdomain", "army.mil", 0},
    {3, "ARMY.MIL.", I, "exact", "army.mil", 0},
    {4, "us.army.mil", I, "exact", "us.army.mil", 0},
    {5, "navy.mil", T, "exact", "navy.mil", 0},
    {6, "socom.mil", T, "namespace", "mil", 0},
    {7, "dstl.gov.uk", T, "exact", "dstl.gov.uk", 0},
    {8, "mod.gov.uk", T, "exact", "mod.gov.uk", 0},
    {9, "army.ml", Y, "omission(tld)", "army.mil", 95},
    {10, "mail.army.ml", Y, "omission(tld)", "army.mil", 95},
    {11, "navy.ml", Y, "namespace-suffix-typo", "mil", 95},
    {12, "af.ml", Y, "namespace-suffix-typo", "mil", 95},
    {13, "socom.ml", Y, "namespace-suffix-typo", "mil", 95},
    {14, "army.il", Y, "omission(tld)", "army.mil", 90},
    {15, "army.mil.ml", Y, "namespace-suffix-typo", "mil", 95},
    {16, "arny.mil", Y, "homoglyph-ascii", "army.mil", 40},
    {17, "amry.mil", Y, "transposition", "army.mil", 40},
    {18, "armyy.mil", Y, "repetition", "army.mil", 40},
    {19, "arrny.mil", Y, "homoglyph-ascii", "army.mil", 42},
    {20, "arm9.mil", Y, "bitsquat", "army.mil", 40},
    {21, "ar.my.mil", Y, "dot-insertion", "army.mil", 40},
    {22, "usarmy.mil", Y, "missing-dot", "us.army.mil", 40},
    {23, "armymil.com", Y, "joined-labels", "army.mil", 80},
    {24, "army.com", Y, "tld-swap", "army.mil", 55},
    {25, "\xd0\xb0rmy.mil", Y, "homoglyph-mixed-script", "army.mil", 47},
    {26, "xn--rmy-5cd.mil", Y, "homoglyph-mixed-script", "army.mil", 47},
    {27, "mod.gov.uk.com", Y, "suffix-append", "mod.gov.uk", 90},
    {28, "mod.gov.co.uk", Y, "label-insertion", "mod.gov.uk", 80},
    {29, "hmrc.gov.co.uk", Y, "label-insertion", "gov.uk", 80},
    {30, "modgov.uk", Y, "missing-dot", "mod.gov.uk", 80},
    {31, "mod.gv.uk", Y, "omission(tld)", "mod.gov.uk", 90},
    {32, "rnod.gov.uk", Y, "homoglyph-ascii", "mod.gov.uk", 42},
    {33, "m0d.gov.uk", Y, "homoglyph-ascii", "mod.gov.uk", 42},
    {34,
        "m\xd0\xbe"
        "d.gov.uk",
        Y, "homoglyph-mixed-script", "mod.gov.uk", 47},
    {35, "dstl.uk", Y, "label-omission", "dstl.gov.uk", 80},
    {36, "lockheedmartin.co", Y, "omission(tld)", "lockheedmartin.com", 90},
    {37, "lockheedmartin.cm", Y, "omission(tld)", "lockheedmartin.com", 90},
    {38, "lockheedmartin.om", Y, "omission(tld)", "lockheedmartin.com", 90},
    {39, "lockheedmartin.net", Y, "tld-swap", "lockheedmartin.com", 55},
    {40, "lockheedmartin.co.uk", Y, "tld-swap", "lockheedmartin.com", 55},
    {41, "lockheed-martin.com", Y, "hyphenation", "lockheedmartin.com", 80},
    {42, "lockheedmatrin.com", Y, "transposition", "lockheedmartin.com", 80},
    {43, "lockhedmartin.com", Y, "omission", "lockheedmartin.com", 80},
    {44, "lockheedmartins.com", Y, "plural", "lockheedmartin.com", 80},
    {45, "1ockheedmartin.com", Y, "homoglyph-ascii", "lockheedmartin.com", 85},
    {46, "lockheedmartln.com", Y, "homoglyph-ascii", "lockheedmartin.com", 80},
    {47, "lokheedmartn.com", Y, "two-edits", "lockheedmartin.com", 60},
    {48, "mitre.ong", Y, "substitution(tld)", "mitre.org", 90},
    {49, "mitre.or", Y, "omission(tld)", "mitre.org", 90},
    {50, "nato.in", Y, "omission(tld)", "nato.int", 90},
    {51, "nat\xd0\xbe.int", Y, "homoglyph-mixed-script", "nato.int", 95},
    {52, "fa\xc3\x9f.de", Y, "idna-deviation", "fass.de", 75},
    {53, "gmial.com", Y, "transposition", "gmail.com", 80},
    {54, "gmail.com", U, "reference-domain", "gmail.com", 20},
    {55, "acne.com", U, "", "", 20},
    {56, "example.com", U, "", "", 20},
    {57,
        "b\xc3\xbc"
        "cher.de",
        U, "", "", 20},
    {58, "\xd1\x80\xd0\xb0\xd1\x83\xd1\x80\xd0\xb0l.com", U, "idn-mixed-script",
        "", 50},
    {59, "example.ir", H, "sanctioned", "", 100},
    {60, "example.kp", H, "sanctioned", "", 100},
    {61, "freebie.tk", H, "abused", "", 50},
    {62, "random.ml", Y, "namespace-suffix-typo", "mil", 95},
    {63, "example.zz", V, "unknown-tld", NULL, 50},
    {64, "[192.0.2.1]", V, "ip-literal", NULL, 60},
    {65, "army..mil", V, "empty-label", NULL, 60},
    {66, "-army.mil", V, "IDN2_HYPHEN_STARTEND", NULL, 60},
    {67, "localhost", V, "unknown-tld", NULL, 50},
    /* A reference domain under a listed TLD stays high-risk. */
    {0, "mail.ru", H, "policy", "mail.ru", 60},
    /* 15.2: observed trade-offs */
    {68, "example.il", Y, "namespace-suffix-typo", "mil", 85},
    {69, "x.gov.pk", Y, "namespace-suffix-typo", "gov.uk", 60},
    {70, "mil.ru", H, "policy", "", 60},
    {71, "example.co.il", H, "typo-magnet", "", 35},
    {72, "xyz.socom.mil", T, "namespace", "mil", 0},
};

static void
check_case(const struct dlp_domain_db *db, const struct dcase *c)
{
	struct dlp_domain_result r;
	char addr[600];

	snprintf(addr, sizeof(addr), "user@%s", c->domain);
	CHECK_INT(dlp_domain_classify(db, addr, strlen(addr), &r), DLP_OK);
	CHECK_MSG(r.cls == c->cls, "#%d %s: class %s, want %s (%s: %s)", c->row,
	    c->domain, cls_name(r.cls), cls_name(c->cls), r.kind, r.explain);
	CHECK_MSG(strcmp(r.kind, c->kind) == 0, "#%d %s: kind '%s', want '%s'",
	    c->row, c->domain, r.kind, c->kind);
	if (c->matched != NULL)
		CHECK_MSG(strcmp(r.matched, c->matched) == 0,
		    "#%d %s: matched '%s', want '%s'", c->row, c->domain,
		    r.matched, c->matched);
	CHECK_MSG(r.score == c->score, "#%d %s: score %u, want %u", c->row,
	    c->domain, r.score, c->score);
	CHECK_MSG(r.explain[0] != '\0', "#%d: no explanation", c->row);
}

TEST(spec_table)
{
	struct dlp_domain_db *db = load_cfg();

	if (db == NULL)
		return;
	for (size_t i = 0; i < DLP_NITEMS(cases); i++)
		check_case(db, &cases[i]);
	dlp_domain_free(db);
	CHECK_INT(test_live(), 0);
}

static const char *const data_files[] = {"public_suffix_list.dat",
    "internal_domains.txt", "trusted_domains.txt", "reference_domains.txt",
    "closed_namespaces.txt", "tld_risk.tsv", "lookalike_exceptions.tsv",
    "country_tlds.tsv"};

/* A copy of the shipped data in a new directory, one file replaced. */
static void
make_dir(char *dir, const char *name, const char *text)
{
	char path[8192];

	CHECK(mkdtemp(dir) != NULL);
	for (size_t i = 0; i < DLP_NITEMS(data_files); i++) {
		bool repl = strcmp(data_files[i], name) == 0;
		size_t len = repl ? strlen(text) : 0;
		unsigned char *b = NULL;
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", datadir(), data_files[i]);
		if (!repl) {
			b = test_read_file(path, &len);
			CHECK(b != NULL);
		}
		snprintf(path, sizeof(path), "%s/%s", dir, data_files[i]);
		f = fopen(path, "wb");
		CHECK(f != NULL);
		if (f && (repl || b))
			fwrite(repl ? (const void *)text : b, 1, len, f);
		if (f)
			fclose(f);
		free(b);
	}
}

static void
remove_dir(const char *dir)
{
	char path[8192];

	for (size_t i = 0; i < DLP_NITEMS(data_files); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, data_files[i]);
		remove(path);
	}
	remove(dir);
}

TEST(load_errors)
{
	static const struct {
		const char *file, *text;
		unsigned line;
	} bad[] = {
	    {"trusted_domains.txt", "# c\nmil namespace bogus\n", 2},
	    {"trusted_domains.txt", "ok.com\n-bad-.com\n", 2},
	    {"reference_domains.txt", "gmail.com namespace\n", 1},
	    {"tld_risk.tsv", "ml\t700\tabused\tx\t2023-07\n", 1},
	    {"tld_risk.tsv", "ml 70 abused\n", 1},
	    {"country_tlds.tsv", "ml\tMALI\tMali\n", 1},
	    {"closed_namespaces.txt", "mil gov\n", 1},
	    {"lookalike_exceptions.tsv", "only-one\n", 1},
	};
	struct dlp_domain_db *db = NULL;
	struct dlp_error err;
	const char *nul[] = {NULL};

	for (size_t i = 0; i < DLP_NITEMS(bad); i++) {
		char dir[] = "/tmp/dlp-domain-XXXXXX";

		make_dir(dir, bad[i].file, bad[i].text);
		memset(&err, 0, sizeof(err));
		CHECK_INT(dlp_domain_load(
		              &test_mem, dir, NULL, 0, NULL, 0, &db, &err),
		    DLP_ERR_CONFIG);
		CHECK(db == NULL);
		CHECK_STR(err.file, bad[i].file);
		CHECK_INT(err.line, bad[i].line);
		remove_dir(dir);
	}
	CHECK_INT(dlp_domain_load(&test_mem, "/nonexistent/dir", NULL, 0, NULL,
	              0, &db, &err),
	    DLP_ERR_IO);
	CHECK_INT(dlp_domain_load(&test_mem, NULL, nul, 1, NULL, 0, &db, &err),
	    DLP_ERR_CONFIG);
	CHECK_INT(dlp_domain_load(NULL, NULL, NULL, 0, NULL, 0, &db, &err),
	    DLP_ERR_INVAL);
	/* No data directory: only the given entries, last label as suffix. */
	CHECK_INT(dlp_domain_load(
	              &test_mem, NULL, cfg_internal, 2, NULL, 0, &db, &err),
	    DLP_OK);
	if (db != NULL) {
		struct dlp_domain_result r;

		CHECK_INT(
		    dlp_domain_classify(db, "a@army.mil", 10, &r), DLP_OK);
		CHECK_INT(r.cls, DLP_RCPT_INTERNAL);
		CHECK_INT(dlp_domain_classify(db, "a@army.ml", 9, &r), DLP_OK);
		CHECK_INT(r.cls, DLP_RCPT_TYPO);
	}
	dlp_domain_free(db);
	CHECK_INT(test_live(), 0);
}

/* Section 15.3: without the mil and gov.uk namespaces. */
TEST(spec_without_namespaces)
{
	static const struct dcase nons[] = {
	    {73, "random.ml", H, "typo-magnet", "", 70},
	    {74, "navy.ml", Y, "omission(tld)", "navy.mil", 95},
	    {75, "socom.ml", H, "typo-magnet", "", 70},
	    {76, "socom.mil", U, "", "", 20},
	    {77, "hmrc.gov.co.uk", U, "", "", 20},
	    {78, "mod.gov.co.uk", Y, "label-insertion", "mod.gov.uk", 80},
	};
	char dir[] = "/tmp/dlp-domain-XXXXXX";
	struct dlp_domain_db *db = NULL;
	struct dlp_error err = {0};

	make_dir(dir, "trusted_domains.txt", "# no namespaces\n");
	CHECK_INT(dlp_domain_load(&test_mem, dir, cfg_internal,
	              DLP_NITEMS(cfg_internal), cfg_trusted,
	              DLP_NITEMS(cfg_trusted), &db, &err),
	    DLP_OK);
	for (size_t i = 0; db && i < DLP_NITEMS(nons); i++)
		check_case(db, &nons[i]);
	dlp_domain_free(db);
	remove_dir(dir);
	CHECK_INT(test_live(), 0);
}

TEST(explanations)
{
	struct dlp_domain_db *db = load_cfg();
	struct dlp_domain_result r;
	static const struct {
		const char *addr, *needle, *suggest, *country;
	} ex[] = {
	    {"x@army.ml", "the mail would go to Mali's registry", "army.mil",
	        "MLI"},
	    {"x@navy.ml",
	        "one character away from trusted namespace '.mil' "
	        "('i' omitted)",
	        "navy.mil", "MLI"},
	    {"x@army.mil.ml", "'.mil'", "army.mil", "MLI"},
	    {"x@arny.mil", "probably bounce", "army.mil", "USA"},
	    {"x@mod.gov.uk.com", "registered under 'gov.uk.com'", "mod.gov.uk",
	        ""},
	    {"x@hmrc.gov.co.uk", "extra part 'co'", "hmrc.gov.uk", "GBR"},
	    {"x@\xd0\xb0rmy.mil",
	        "U+0430 CYRILLIC SMALL LETTER A at "
	        "position 1",
	        "army.mil", "USA"},
	    {"x@example.ir", "sanctioned (source: OFAC", "", "IRN"},
	    {"x@mod.gov.uk", "trusted domain 'mod.gov.uk'", "", "GBR"},
	    {"x@example.ca", "does not list", "", "CAN"},
	    {"x@example.co.nz", "does not list", "", "NZL"},
	    {"x@agency.gov.au", "does not list", "", "AUS"},
	    {"x@example.gov", "trusted namespace '.gov'", "", "USA"},
	    {"x@yandex.ru", "well-known public domain ('yandex.ru')", "",
	        "RUS"},
	};

	if (db == NULL)
		return;
	for (size_t i = 0; i < DLP_NITEMS(ex); i++) {
		CHECK_INT(
		    dlp_domain_classify(db, ex[i].addr, strlen(ex[i].addr), &r),
		    DLP_OK);
		CHECK_MSG(strstr(r.explain, ex[i].needle) != NULL,
		    "%s: '%s' lacks '%s'", ex[i].addr, r.explain, ex[i].needle);
		CHECK_MSG(strcmp(r.suggest, ex[i].suggest) == 0,
		    "%s: suggest '%s', want '%s'", ex[i].addr, r.suggest,
		    ex[i].suggest);
		CHECK_MSG(strcmp(r.country, ex[i].country) == 0,
		    "%s: country '%s', want '%s'", ex[i].addr, r.country,
		    ex[i].country);
	}
	dlp_domain_free(db);
}

static void
same_result(const char *what, const struct dlp_domain_result *a,
    const struct dlp_domain_result *b)
{
	CHECK_MSG(a->cls == b->cls && a->score == b->score &&
	              a->flags == b->flags &&
	              strcmp(a->address, b->address) == 0 &&
	              strcmp(a->domain, b->domain) == 0 &&
	              strcmp(a->alabel, b->alabel) == 0 &&
	              strcmp(a->kind, b->kind) == 0 &&
	              strcmp(a->matched, b->matched) == 0 &&
	              strcmp(a->suggest, b->suggest) == 0 &&
	              strcmp(a->country, b->country) == 0 &&
	              strcmp(a->detail, b->detail) == 0 &&
	              strcmp(a->explain, b->explain) == 0,
	    "%s: cached '%s' (%s) != '%s' (%s)", what, a->address, a->explain,
	    b->address, b->explain);
}

/*
 * The per-thread cache gives what classifying again gives: every spec
 * row, twice in a row (the second time hits), each time under another
 * local part (which goes into address only); slot collisions replace
 * entries; a cache used with another table starts afresh.
 */
TEST(cache_equals_classify)
{
	struct dlp_domain_db *db = load_cfg(), *db2 = load_cfg();
	struct dlp_domain_cache *cache;
	struct dlp_domain_result a, b;
	char addr[600];

	if (db == NULL || db2 == NULL ||
	    (cache = calloc(1, sizeof(*cache))) == NULL) {
		dlp_domain_free(db);
		dlp_domain_free(db2);
		return;
	}
	for (size_t i = 0; i < DLP_NITEMS(cases); i++)
		for (unsigned pass = 0; pass < 2; pass++) {
			snprintf(addr, sizeof(addr), "%s%u@%s",
			    pass ? "second" : "first", (unsigned)i,
			    cases[i].domain);
			CHECK_INT(
			    dlp_domain_classify(db, addr, strlen(addr), &a),
			    DLP_OK);
			CHECK_INT(dlp_domain_classify_cached(
			              db, cache, addr, strlen(addr), &b),
			    DLP_OK);
			same_result(addr, &b, &a);
		}
	CHECK(cache->hits >= DLP_NITEMS(cases) / 2);
	CHECK(cache->misses >= DLP_DOMAIN_CACHE_SLOTS);
	/* Another table: nothing of the first is reused. */
	CHECK_INT(
	    dlp_domain_classify_cached(db2, cache, "x@army.ml", 9, &b), DLP_OK);
	CHECK(cache->db == db2 && cache->hits == 0 && cache->misses == 1);
	CHECK_INT(dlp_domain_classify(db2, "x@army.ml", 9, &a), DLP_OK);
	same_result("x@army.ml", &b, &a);
	/* Malformed addresses: the same verdict and explanation. */
	for (unsigned k = 0; k < 2; k++) {
		static const char *const bad[] = {"no@@x", "a@", "<>", "a b@c"};

		for (size_t i = 0; i < DLP_NITEMS(bad); i++) {
			CHECK_INT(dlp_domain_classify_cached(
			              db2, cache, bad[i], strlen(bad[i]), &b),
			    DLP_OK);
			CHECK_INT(dlp_domain_classify(
			              db2, bad[i], strlen(bad[i]), &a),
			    DLP_OK);
			CHECK(b.cls == DLP_RCPT_INVALID);
			same_result(bad[i], &b, &a);
		}
	}
	free(cache);
	dlp_domain_free(db);
	dlp_domain_free(db2);
	CHECK_INT(test_live(), 0);
}

/* Section 15.4 cases that fall to this module. */
TEST(message_level)
{
	struct dlp_domain_db *db = load_cfg();
	struct dlp_domain_result r[3];
	unsigned f = 0;

	if (db == NULL)
		return;
	/* M1: an internal recipient plus a lookalike of the same entry. */
	CHECK_INT(dlp_domain_classify(db, "b@army.mil", 10, &r[0]), DLP_OK);
	CHECK_INT(dlp_domain_classify(db, "c@army.ml", 9, &r[1]), DLP_OK);
	CHECK_INT(dlp_domain_assess(r, 2, &f), DLP_OK);
	CHECK(f & DLP_DOMAIN_MSG_MIXED_TYPO);
	CHECK_INT(r[1].cls, DLP_RCPT_TYPO);
	CHECK(r[1].score >= 90);
	CHECK(strstr(r[1].explain, "probably a mistyped 'army.mil'") != NULL);
	/* M1 with a closed-namespace typo: raised from 40 to 90. */
	CHECK_INT(dlp_domain_classify(db, "c@arny.mil", 10, &r[1]), DLP_OK);
	CHECK_INT(r[1].score, 40);
	CHECK_INT(dlp_domain_assess(r, 2, &f), DLP_OK);
	CHECK_INT(r[1].score, 90);
	/* M6, M7, M12: per-recipient scores. */
	CHECK_INT(dlp_domain_classify(db, "x@example.ir", 12, &r[0]), DLP_OK);
	CHECK_INT(r[0].cls, DLP_RCPT_HIGH_RISK);
	CHECK_INT(r[0].score, 100);
	CHECK_INT(
	    dlp_domain_classify(db, "x@mod.gov.uk.com", 16, &r[0]), DLP_OK);
	CHECK_INT(r[0].cls, DLP_RCPT_TYPO);
	CHECK_INT(r[0].score, 90);
	/* M10: internal plus an unknown external: +10 on the external. */
	CHECK_INT(dlp_domain_classify(db, "b@army.mil", 10, &r[0]), DLP_OK);
	CHECK_INT(dlp_domain_classify(db, "x@example.com", 13, &r[1]), DLP_OK);
	CHECK_INT(dlp_domain_assess(r, 2, &f), DLP_OK);
	CHECK(f & DLP_DOMAIN_MSG_MIXED_EXTERNAL);
	CHECK_INT(r[1].score, 30);
	/* M11: a hidden ZWSP still reaches army.mil, with a warning. */
	const char *zw = "a@ar\xe2\x80\x8bmy.mil";
	CHECK_INT(dlp_domain_classify(db, zw, strlen(zw), &r[0]), DLP_OK);
	CHECK_INT(r[0].cls, DLP_RCPT_INTERNAL);
	CHECK(r[0].flags & DLP_DOMAIN_F_NONCANONICAL);
	CHECK_INT(r[0].score, 30);
	/* An empty recipient list is itself a reason. */
	CHECK_INT(dlp_domain_assess(NULL, 0, &f), DLP_OK);
	CHECK(f & DLP_DOMAIN_MSG_EMPTY);
	dlp_domain_free(db);
}

TEST(bad_input)
{
	static const struct {
		const char *addr;
		enum dlp_rcpt_class cls;
		const char *kind;
	} bad[] = {
	    {"\"john doe\"@army.mil", I, "exact"},
	    {"\"a@b\"@army.ml", Y, "omission(tld)"},
	    {"user(comment)@army.mil", I, "exact"},
	    {"user@(comment)army.mil", I, "exact"},
	    {"user@(only a comment)", V, "no-domain"},
	    {"\"just quotes\"", V, "no-domain"},
	    {"\"unterminated@army.mil", V, "malformed"},
	    {"user@[192.0.2.1]", V, "ip-literal"},
	    {"user@[IPv6:2001:db8::1]", V, "ip-literal"},
	    {"@army.mil", V, "empty-local-part"},
	    {"<>", V, "null-address"},
	    {"", V, "null-address"},
	    {"<user@army.mil>", I, "exact"},
	    {"<user@army.mil", V, "malformed"},
	    {"user@xn--a.mil", V, NULL},
	    {"user@xn--.com", V, NULL},
	    {"user@army.mil\x01", V, "bad-character"},
	    {"user@ar my.mil", V, "bad-character"},
	    {"user@exa_mple.com", V, "not-ldh"},
	    {"j\xc3\xb6rg@b\xc3\xbc"
	     "cher.de",
	        U, ""},
	    {"\xe7\x94\xa8\xe6\x88\xb7@army.mil", I, "exact"},
	    {"user\xff@army.mil", V, "bad-local-part"},
	    {"user@\xd1\x80\xd0\xb0\xd1\x83\xd1\x80\xd0\xb0l.com", U,
	        "idn-mixed-script"},
	    {"user@\xef\xbc\xa1\xef\xbc\xb2\xef\xbc\xad\xef\xbc\xb9\xef\xbc"
	     "\x8e\xef\xbc\xad\xef\xbc\xa9\xef\xbc\xac",
	        I, "exact"},
	};
	struct dlp_domain_db *db = load_cfg();
	struct dlp_domain_result r;
	char big[700];

	if (db == NULL)
		return;
	for (size_t i = 0; i < DLP_NITEMS(bad); i++) {
		CHECK_INT(dlp_domain_classify(
		              db, bad[i].addr, strlen(bad[i].addr), &r),
		    DLP_OK);
		CHECK_MSG(r.cls == bad[i].cls, "%s: class %s (%s), want %s",
		    bad[i].addr, cls_name(r.cls), r.kind, cls_name(bad[i].cls));
		if (bad[i].kind != NULL)
			CHECK_MSG(strcmp(r.kind, bad[i].kind) == 0,
			    "%s: kind '%s', want '%s'", bad[i].addr, r.kind,
			    bad[i].kind);
	}
	/* Upper case is canonical; a full-width form is not. */
	CHECK_INT(dlp_domain_classify(db,
	              "x@B\xc3\x9c"
	              "CHER.de",
	              12, &r),
	    DLP_OK);
	CHECK_INT(r.cls, DLP_RCPT_UNKNOWN);
	CHECK_INT(r.flags & DLP_DOMAIN_F_NONCANONICAL, 0);
	CHECK_INT(r.score, 20);
	CHECK_STR(r.domain, "b\xc3\xbc"
	                    "cher.de");
	CHECK_STR(r.address, "x@xn--bcher-kva.de");
	/* A 300-character label, and a NUL inside the address. */
	memset(big, 'a', sizeof(big));
	memcpy(big, "u@", 2);
	memcpy(big + 302, ".mil", 5);
	CHECK_INT(dlp_domain_classify(db, big, strlen(big), &r), DLP_OK);
	CHECK_INT(r.cls, DLP_RCPT_INVALID);
	CHECK_INT(dlp_domain_classify(db, "u@army.mil\0.ml", 14, &r), DLP_OK);
	CHECK_INT(r.cls, DLP_RCPT_INVALID);
	/* Random bytes never crash and always get a class. */
	unsigned seed = 12345;
	for (int n = 0; n < 20000; n++) {
		static const char alpha[] =
		    "am.ily@<>\"()[]\\-0x n\xd0\xb0\xc3";
		char s[64];
		size_t len = (size_t)(n % 40);

		for (size_t k = 0; k < len; k++) {
			seed = seed * 1103515245u + 12345u;
			s[k] = alpha[(seed >> 16) % (sizeof(alpha) - 1)];
		}
		CHECK_INT(dlp_domain_classify(db, s, len, &r), DLP_OK);
		if (r.cls < DLP_RCPT_INTERNAL || r.cls > DLP_RCPT_INVALID) {
			CHECK_MSG(0, "no class for '%.*s'", (int)len, s);
			break;
		}
	}
	CHECK_INT(dlp_domain_classify(NULL, "a@b.c", 5, &r), DLP_ERR_INVAL);
	CHECK_INT(dlp_domain_classify(db, "a@b.c", 5, NULL), DLP_ERR_INVAL);
	CHECK_INT(dlp_domain_classify(db, NULL, 0, &r), DLP_ERR_INVAL);
	CHECK_INT(r.cls, DLP_RCPT_INVALID);
	dlp_domain_free(db);
}

/*
 * Property: every generated typo-class permutation of every configured
 * entry is never internal or trusted, unless it is itself a configured
 * name or a subdomain of one, or it is a label inserted inside a trusted
 * namespace (spec row 72: documented). Prints the share flagged as typo.
 */
struct perm_stats {
	const struct dlp_domain_db *db;
	const char *cls;
	unsigned total, typo, ns_ok, bad;
};

static bool
is_configured(const char *d)
{
	size_t dl = strlen(d);

	for (size_t i = 0;
	     i < DLP_NITEMS(cfg_internal) + DLP_NITEMS(cfg_trusted); i++) {
		const char *e = i < DLP_NITEMS(cfg_internal)
		                    ? cfg_internal[i]
		                    : cfg_trusted[i - DLP_NITEMS(cfg_internal)];
		size_t el = strcspn(e, " ");

		if (dl == el && memcmp(d, e, el) == 0)
			return true;
		if (dl > el && d[dl - el - 1] == '.' &&
		    memcmp(d + dl - el, e, el) == 0)
			return true;
	}
	return false;
}

static void
emit(struct perm_stats *ps, const char *d)
{
	struct dlp_domain_result r;
	char addr[600];

	if (is_configured(d))
		return;
	snprintf(addr, sizeof(addr), "u@%s", d);
	if (dlp_domain_classify(ps->db, addr, strlen(addr), &r) != DLP_OK) {
		ps->bad++;
		return;
	}
	if (r.cls == DLP_RCPT_INVALID)
		return;
	ps->total++;
	if (r.cls == DLP_RCPT_TYPO)
		ps->typo++;
	else if (r.cls == DLP_RCPT_TRUSTED &&
	         strcmp(r.kind, "namespace") == 0 &&
	         strcmp(ps->cls, "label-insertion") == 0)
		ps->ns_ok++;
	else if (r.cls == DLP_RCPT_TRUSTED || r.cls == DLP_RCPT_INTERNAL) {
		ps->bad++;
		CHECK_MSG(0, "%s permutation '%s' classified %s (%s)", ps->cls,
		    d, cls_name(r.cls), r.kind);
	}
}

/* Replace len bytes at pos of name by rep; emit. */
static void
splice(struct perm_stats *ps, const char *name, size_t pos, size_t len,
    const char *rep)
{
	char buf[600];

	snprintf(buf, sizeof(buf), "%.*s%s%s", (int)pos, name, rep,
	    name + pos + len);
	emit(ps, buf);
}

static void
permute(struct perm_stats *ps, const char *name)
{
	static const char alnum[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	static const char *const homo[][2] = {{"m", "rn"}, {"o", "0"},
	    {"l", "1"}, {"i", "l"}, {"d", "cl"}, {"w", "vv"}, {"a", "\xd0\xb0"},
	    {"o", "\xd0\xbe"}, {"e", "\xd0\xb5"}, {"p", "\xd1\x80"},
	    {"c", "\xd1\x81"}, {"y", "\xd1\x83"}, {"i", "\xd1\x96"}};
	static const char *const tlds[] = {
	    "com", "net", "org", "co", "ml", "io", "de", "co.uk"};
	size_t n = strlen(name);
	const char *lastdot = strrchr(name, '.');
	const char *firstdot = strchr(name, '.');
	char one[3] = {0};

	ps->cls = "omission";
	for (size_t i = 0; i < n; i++)
		if (name[i] != '.')
			splice(ps, name, i, 1, "");
	ps->cls = "repetition";
	for (size_t i = 0; i < n; i++)
		if (name[i] != '.') {
			one[0] = one[1] = name[i];
			splice(ps, name, i, 1, one);
		}
	one[1] = 0;
	ps->cls = "insertion";
	for (size_t i = 0; i <= n; i++)
		for (const char *a = alnum; *a; a++) {
			one[0] = *a;
			splice(ps, name, i, 0, one);
		}
	ps->cls = "replacement";
	for (size_t i = 0; i < n; i++)
		for (const char *a = alnum; *a; a++)
			if (name[i] != '.' && *a != name[i]) {
				one[0] = *a;
				splice(ps, name, i, 1, one);
			}
	ps->cls = "transposition";
	for (size_t i = 0; i + 1 < n; i++)
		if (name[i] != name[i + 1]) {
			char sw[3] = {name[i + 1], name[i], 0};
			splice(ps, name, i, 2, sw);
		}
	ps->cls = "bitsquat";
	for (size_t i = 0; i < n; i++)
		for (int b = 0; b < 8; b++) {
			int c = name[i] ^ (1 << b);

			if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			    c == '-') {
				one[0] = (char)c;
				splice(ps, name, i, 1, one);
			}
		}
	ps->cls = "hyphenation";
	for (size_t i = 1; i < n; i++)
		if (name[i] != '.' && name[i - 1] != '.')
			splice(ps, name, i, 0, "-");
	ps->cls = "dot-insertion";
	for (size_t i = 1; i < n; i++)
		if (name[i] != '.' && name[i - 1] != '.')
			splice(ps, name, i, 0, ".");
	ps->cls = "missing-dot";
	for (size_t i = 0; i < n; i++)
		if (name[i] == '.')
			splice(ps, name, i, 1, "");
	ps->cls = "plural";
	if (lastdot != NULL)
		splice(ps, name, (size_t)(firstdot - name), 0, "s");
	ps->cls = "tld-swap";
	for (size_t t = 0; lastdot != NULL && t < DLP_NITEMS(tlds); t++)
		splice(ps, name, (size_t)(lastdot - name) + 1,
		    n - (size_t)(lastdot - name) - 1, tlds[t]);
	ps->cls = "suffix-append";
	for (size_t t = 0; t < DLP_NITEMS(tlds); t++) {
		char buf[600];

		snprintf(buf, sizeof(buf), "%s.%s", name, tlds[t]);
		emit(ps, buf);
	}
	ps->cls = "label-insertion";
	for (size_t i = 0; i < n; i++)
		if (name[i] == '.')
			splice(ps, name, i, 0, ".co");
	ps->cls = "joined-labels";
	{
		char j[300], k[600];
		size_t w = 0;

		for (size_t i = 0; i < n; i++)
			if (name[i] != '.')
				j[w++] = name[i];
		j[w] = '\0';
		snprintf(k, sizeof(k), "%s.com", j);
		emit(ps, k);
	}
	ps->cls = "homoglyph";
	for (size_t h = 0; h < DLP_NITEMS(homo); h++)
		for (const char *p = strstr(name, homo[h][0]); p;
		     p = strstr(p + 1, homo[h][0]))
			splice(ps, name, (size_t)(p - name), strlen(homo[h][0]),
			    homo[h][1]);
}

TEST(property_permutations)
{
	struct dlp_domain_db *db = load_cfg();
	struct perm_stats ps = {0};

	if (db == NULL)
		return;
	ps.db = db;
	for (size_t i = 0;
	     i < DLP_NITEMS(cfg_internal) + DLP_NITEMS(cfg_trusted); i++) {
		const char *e = i < DLP_NITEMS(cfg_internal)
		                    ? cfg_internal[i]
		                    : cfg_trusted[i - DLP_NITEMS(cfg_internal)];
		char name[256];

		snprintf(name, sizeof(name), "%.*s", (int)strcspn(e, " "), e);
		permute(&ps, name);
	}
	printf("  permutations: %u valid, %u flagged typo (%.1f %%), %u label "
	       "insertions inside a trusted namespace, %u wrongly trusted\n",
	    ps.total, ps.typo, ps.total ? 100.0 * ps.typo / ps.total : 0.0,
	    ps.ns_ok, ps.bad);
	CHECK(ps.total > 1000);
	CHECK_INT(ps.bad, 0);
	dlp_domain_free(db);
}

/* Real, distinct domains: none may be reported as a typo. */
TEST(distinct_domains)
{
	struct dlp_domain_db *db = load_cfg();
	char path[4096];
	size_t len, n = 0, fp = 0;
	unsigned char *b;

	if (db == NULL)
		return;
	snprintf(path, sizeof(path), "%s/tests/data/distinct_domains.txt",
	    test_source_dir());
	b = test_read_file(path, &len);
	CHECK(b != NULL);
	for (char *p = (char *)b; b && p && *p;) {
		char *nl = strchr(p, '\n');
		struct dlp_domain_result r;

		if (nl)
			*nl = '\0';
		if (*p && *p != '#') {
			n++;
			CHECK_INT(
			    dlp_domain_classify(db, p, strlen(p), &r), DLP_OK);
			if (r.cls == DLP_RCPT_TYPO) {
				fp++;
				printf("  false positive: %s (%s of %s)\n", p,
				    r.kind, r.matched);
			}
		}
		p = nl ? nl + 1 : NULL;
	}
	printf("  distinct domains: %zu, typo false positives: %zu (%.2f %%)\n",
	    n, fp, n ? 100.0 * (double)fp / (double)n : 0.0);
	CHECK(n >= 200);
	CHECK_INT(fp, 0);
	free(b);
	dlp_domain_free(db);
}

/* Every allocation of a load may fail: NOMEM, no leak, then success. */
TEST(oom_load)
{
	unsigned long n;
	enum dlp_status st = DLP_ERR_NOMEM;
	struct dlp_domain_db *db = NULL;

	for (n = 1; n < 100000 && st == DLP_ERR_NOMEM; n++) {
		struct dlp_error err = {0};

		test_fail_after(n);
		st = dlp_domain_load(&test_mem, datadir(), cfg_internal,
		    DLP_NITEMS(cfg_internal), cfg_trusted,
		    DLP_NITEMS(cfg_trusted), &db, &err);
		test_fail_after(0);
		if (st != DLP_OK) {
			CHECK_MSG(st == DLP_ERR_NOMEM, "n=%lu: %d %s", n, st,
			    err.message);
			CHECK(db == NULL);
			CHECK_MSG(test_live() == 0, "n=%lu: %ld blocks leaked",
			    n, test_live());
		}
	}
	printf("  load succeeded after %lu failing allocations\n", n - 1);
	CHECK_INT(st, DLP_OK);
	dlp_domain_free(db);
	CHECK_INT(test_live(), 0);
}

/* Many threads classify with one db: results equal the single-thread ones. */
struct thr_arg {
	const struct dlp_domain_db *db;
	const struct dlp_domain_result *want;
	unsigned mismatches;
};

static void *
thr_run(void *p)
{
	struct thr_arg *a = p;

	for (int round = 0; round < 20; round++)
		for (size_t i = 0; i < DLP_NITEMS(cases); i++) {
			struct dlp_domain_result r;
			char addr[600];

			snprintf(
			    addr, sizeof(addr), "user@%s", cases[i].domain);
			if (dlp_domain_classify(
			        a->db, addr, strlen(addr), &r) != DLP_OK ||
			    memcmp(&r, &a->want[i], sizeof(r)) != 0)
				a->mismatches++;
		}
	return NULL;
}

TEST(threads)
{
	struct dlp_domain_db *db = load_cfg();
	static struct dlp_domain_result want[DLP_NITEMS(cases)];
	struct thr_arg args[4];
	pthread_t tid[4];

	if (db == NULL)
		return;
	for (size_t i = 0; i < DLP_NITEMS(cases); i++) {
		char addr[600];

		snprintf(addr, sizeof(addr), "user@%s", cases[i].domain);
		CHECK_INT(dlp_domain_classify(db, addr, strlen(addr), &want[i]),
		    DLP_OK);
	}
	for (int t = 0; t < 4; t++) {
		args[t] = (struct thr_arg){db, want, 0};
		CHECK_INT(pthread_create(&tid[t], NULL, thr_run, &args[t]), 0);
	}
	for (int t = 0; t < 4; t++) {
		CHECK_INT(pthread_join(tid[t], NULL), 0);
		CHECK_INT(args[t].mismatches, 0);
	}
	dlp_domain_free(db);
}

TEST_MAIN()
