/*
 * test_policy.c - the policy file and the decision: the shipped default
 * is exactly the documented matrix, errors name their line, and the
 * decision follows level x class, flags, unscanned content and audit.
 */
#include "policy.h"
#include "test.h"

/* The matrix the project promises (README, docs/policy.md). */
static const char *const want[6][6] = {
    {"allow", "allow", "allow", "hold", "hold", "hold"},
    {"allow", "allow", "allow", "hold", "hold", "hold"},
    {"allow", "allow", "hold", "block", "block", "block"},
    {"allow", "hold", "block", "block", "block", "block"},
    {"allow", "block", "block", "block", "block", "block"},
    {"allow", "block", "block", "block", "block", "block"},
};

static void
check_matrix(const struct dlp_policy *pol, const char *label)
{
	for (int l = 0; l < 6; l++)
		for (int c = 0; c < 6; c++)
			CHECK_MSG(strcmp(dlp_verdict_name(pol->matrix[l][c]),
			              want[l][c]) == 0,
			    "%s: level %d class %s: %s, want %s", label, l,
			    dlp_rcpt_class_name(c + 1),
			    dlp_verdict_name(pol->matrix[l][c]), want[l][c]);
}

TEST(shipped_policy_is_the_documented_matrix)
{
	struct dlp_policy pol;
	struct dlp_error err;
	char path[4096];

	CHECK(dlp_policy_load(&pol, NULL, NULL) == DLP_OK);
	check_matrix(&pol, "built-in");
	snprintf(
	    path, sizeof(path), "%s/signatures/policy.conf", test_source_dir());
	CHECK_MSG(
	    dlp_policy_load(&pol, path, &err) == DLP_OK, "%s", err.message);
	check_matrix(&pol, "policy.conf");
	CHECK_INT(pol.unscanned_level, 2);
	CHECK_INT(pol.encrypted_level, 2);
	CHECK_INT(pol.min_confidence, 2);
	CHECK_INT(pol.no_recipients, DLP_HOLD);
	CHECK(!pol.audit);
}

static const struct {
	const char *name, *text;
	unsigned line;
	const char *msg;
} bad[] = {
    {"short row", "level 0 allow allow\n", 1, "expected \"level N\""},
    {"bad verdict", "level 0 allow allow allow hold hold maybe\n", 1,
        "invalid: verdict"},
    {"bad level", "level 9 allow allow allow hold hold hold\n", 1,
        "expected \"level N\""},
    {"missing row", "level 0 allow allow allow hold hold hold\n", 1,
        "no row for level 1"},
    {"unknown key", "colour blue\n", 1, "unknown key"},
    {"bad unscanned", "unscanned-level high\n", 1, "bad value"},
    {"bad audit", "audit maybe\n", 1, "expected yes or no"},
};

TEST(parse_errors)
{
	for (size_t i = 0; i < DLP_NITEMS(bad); i++) {
		struct dlp_policy pol;
		struct dlp_error err;

		memset(&err, 0, sizeof(err));
		CHECK_MSG(dlp_policy_parse(&pol, "p.conf", bad[i].text,
		              strlen(bad[i].text), &err) == DLP_ERR_CONFIG,
		    "%s", bad[i].name);
		CHECK_MSG(err.line == bad[i].line, "%s: line %u", bad[i].name,
		    err.line);
		CHECK_MSG(strstr(err.message, bad[i].msg) != NULL, "%s: %s",
		    bad[i].name, err.message);
	}
}

/* Build a result with one finding and some recipients, then decide. */
struct scenario {
	const char *name;
	unsigned level, flags, confidence;
	const char *rel_to;
	const char *unscanned_why; /* NULL: none */
	enum dlp_rcpt_class cls[3];
	const char *country[3];
	enum dlp_verdict want;
	unsigned want_level;
};

static const struct scenario scenarios[] = {
    {"clean to unknown", 0, 0, 2, "", NULL, {DLP_RCPT_UNKNOWN}, {""}, DLP_ALLOW,
        0},
    {"sensitive to unknown", 2, 0, 2, "", NULL, {DLP_RCPT_UNKNOWN}, {""},
        DLP_HOLD, 2},
    {"sensitive to typo", 2, 0, 2, "", NULL, {DLP_RCPT_TYPO}, {""}, DLP_BLOCK,
        2},
    {"strictest wins", 2, 0, 2, "", NULL,
        {DLP_RCPT_INTERNAL, DLP_RCPT_UNKNOWN, DLP_RCPT_TRUSTED}, {"", "", ""},
        DLP_HOLD, 2},
    {"secret to trusted", 4, 0, 2, "", NULL, {DLP_RCPT_TRUSTED}, {"USA"},
        DLP_BLOCK, 4},
    {"secret internal", 4, 0, 2, "", NULL, {DLP_RCPT_INTERNAL}, {""}, DLP_ALLOW,
        4},
    {"weak finding does not count", 4, 0, 1, "", NULL, {DLP_RCPT_UNKNOWN}, {""},
        DLP_ALLOW, 0},
    {"unscanned fails closed", 0, 0, 2, "", "limit", {DLP_RCPT_UNKNOWN}, {""},
        DLP_HOLD, 2},
    {"encrypted fails closed", 0, 0, 2, "", "encrypted", {DLP_RCPT_TYPO}, {""},
        DLP_BLOCK, 2},
    {"noforn to trusted foreign", 2, DLP_F_NATIONAL_ONLY, 3, "USA", NULL,
        {DLP_RCPT_TRUSTED}, {"GBR"}, DLP_BLOCK, 2},
    {"noforn to trusted same nation", 2, DLP_F_NATIONAL_ONLY, 3, "USA", NULL,
        {DLP_RCPT_TRUSTED}, {"USA"}, DLP_ALLOW, 2},
    {"rel to list includes", 2, DLP_F_REL_LIST, 3, "USA GBR", NULL,
        {DLP_RCPT_TRUSTED}, {"GBR"}, DLP_ALLOW, 2},
    {"caveat without a list", 2, DLP_F_NATIONAL_ONLY, 3, "", NULL,
        {DLP_RCPT_TRUSTED}, {"USA"}, DLP_BLOCK, 2},
    {"no recipients", 0, 0, 2, "", NULL, {0}, {NULL}, DLP_HOLD, 0},
};

/* A hit of rule "r" with empty excerpt, detail and REL TO. */
static struct dlp_hit
test_hit(const char *category, unsigned level, unsigned confidence,
    unsigned min_count)
{
	struct dlp_hit h;

	memset(&h, 0, sizeof(h));
	h.rule = "r";
	h.title = "T";
	h.category = category;
	h.excerpt = h.detail = h.rel_to = "";
	h.level = level;
	h.confidence = confidence;
	h.min_count = min_count;
	return h;
}

TEST(decide_table)
{
	struct dlp_policy pol;

	CHECK(dlp_policy_load(&pol, NULL, NULL) == DLP_OK);
	for (size_t i = 0; i < DLP_NITEMS(scenarios); i++) {
		const struct scenario *sc = &scenarios[i];
		struct dlp_result *r;
		struct dlp_hit h;

		CHECK(dlp_result_new(&test_mem, 100, &r) == DLP_OK);
		h = test_hit("marking", sc->level, sc->confidence, 1);
		h.where = "body";
		h.rel_to = sc->rel_to;
		h.flags = sc->flags;
		if (sc->level > 0)
			CHECK(dlp_result_add_hit(r, &h) == DLP_OK);
		if (sc->unscanned_why)
			CHECK(dlp_result_add_unscanned(r, "attachment:x.zip",
			          sc->unscanned_why, "d", 0) == DLP_OK);
		for (size_t k = 0; k < 3 && sc->cls[k]; k++) {
			struct dlp_recipient rc = {"a@b.example", "b.example",
			    sc->cls[k], 0, "k", "explain", "", DLP_HOLD};

			CHECK(dlp_result_add_recipient(
			          r, &rc, sc->country[k]) == DLP_OK);
		}
		CHECK(dlp_policy_decide(&pol, r) == DLP_OK);
		CHECK_MSG(r->verdict == sc->want, "%s: %s", sc->name,
		    dlp_verdict_name(r->verdict));
		CHECK_MSG(r->level == sc->want_level, "%s: level %u", sc->name,
		    r->level);
		CHECK_MSG(r->nreasons > 0, "%s: no reason", sc->name);
		dlp_result_free(r);
	}
	CHECK_INT(test_live(), 0);
}

/*
 * A PDF page read twice (poppler's order, then the content stream's:
 * where + DLP_WHERE_REREAD) counts a rule's matches once: the larger of
 * the two counts, not their sum. Rule "r" wants 3 matches.
 */
static const struct {
	const char *name;
	const char *where[2];
	unsigned count[2];
	unsigned want_level;
} rereads[] = {
    {"the same 2 twice: 2", {"a:x.pdf/page 1", "a:x.pdf/page 1/stream"}, {2, 2},
        0},
    {"2, then 3 in stream order: 3",
        {"a:x.pdf/page 1", "a:x.pdf/page 1/stream"}, {2, 3}, 2},
    {"stream order of another page: 2 + 2",
        {"a:x.pdf/page 1", "a:x.pdf/page 2/stream"}, {2, 2}, 2},
    {"two pages: 2 + 2", {"a:x.pdf/page 1", "a:x.pdf/page 2"}, {2, 2}, 2},
    {"stream order alone: 3", {"a:x.pdf/page 1/stream", NULL}, {3, 0}, 2},
};

TEST(reread_counts_once)
{
	struct dlp_policy pol;

	CHECK(dlp_policy_load(&pol, NULL, NULL) == DLP_OK);
	for (size_t i = 0; i < DLP_NITEMS(rereads); i++) {
		struct dlp_recipient rc = {"a@b.example", "b.example",
		    DLP_RCPT_UNKNOWN, 0, "k", "e", "", DLP_HOLD};
		struct dlp_result *r;
		struct dlp_hit h;

		CHECK(dlp_result_new(&test_mem, 100, &r) == DLP_OK);
		h = test_hit("pii", 2, 2, 3);
		for (size_t w = 0; w < 2 && rereads[i].where[w]; w++) {
			h.where = rereads[i].where[w];
			for (unsigned c = 0; c < rereads[i].count[w]; c++)
				CHECK(dlp_result_add_hit(r, &h) == DLP_OK);
		}
		CHECK(dlp_result_add_recipient(r, &rc, "") == DLP_OK);
		CHECK(dlp_policy_decide(&pol, r) == DLP_OK);
		CHECK_MSG(r->level == rereads[i].want_level, "%s: level %u",
		    rereads[i].name, r->level);
		dlp_result_free(r);
	}
	CHECK_INT(test_live(), 0);
}

TEST(audit_mode_allows_but_says_why)
{
	struct dlp_policy pol;
	struct dlp_result *r;
	struct dlp_recipient rc = {"a@b.example", "b.example", DLP_RCPT_UNKNOWN,
	    0, "k", "e", "", DLP_HOLD};
	int said = 0;

	CHECK(dlp_policy_parse(&pol, "p", "audit yes\n", 10, NULL) == DLP_OK);
	CHECK(dlp_result_new(&test_mem, 100, &r) == DLP_OK);
	CHECK(
	    dlp_result_add_unscanned(r, "body", "malformed", "", 0) == DLP_OK);
	CHECK(dlp_result_add_recipient(r, &rc, "") == DLP_OK);
	CHECK(dlp_policy_decide(&pol, r) == DLP_OK);
	CHECK_INT(r->verdict, DLP_ALLOW);
	for (size_t i = 0; i < r->nreasons; i++)
		said |= strstr(r->reasons[i], "audit mode") != NULL;
	CHECK(said);
	dlp_result_free(r);
}

TEST_MAIN()
