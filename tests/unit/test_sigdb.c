/*
 * test_sigdb.c - the signature file parser, keyword dictionaries and the
 * Hyperscan compile: accepted files, and every error with its position.
 */
#define _POSIX_C_SOURCE 200809L
#include <unistd.h>

#include "match.h"
#include "sigdb.h"
#include "test.h"

static const struct {
	const char *name, *text;
	int line, col; /* 0 = the file is accepted */
	const char *msg;
} cases[] = {
    {"minimal", "rule a\n pattern /x/\n", 0, 0, NULL},
    {"all keys",
        "# c\nrule r-1.x:y\n title T\n category pii\n level 3\n"
        " confidence 1\n flags national-only rel-list\n"
        " scope subject body header:X-Label\n position edge-lines 4\n"
        " min-count 2\n within 10\n audit yes\n som no\n"
        " pattern /a/i\n pattern \"b.c\"w\n unless /d/s\n match x\n"
        " nomatch y\\nz\n",
        0, 0, NULL},
    {"key before rule", "pattern /x/\n", 1, 1, "expected \"rule ID\""},
    {"no pattern", "rule a\n title t\nrule b\n pattern /x/\n", 1, 1,
        "rule has no pattern"},
    {"duplicate id", "rule a\n pattern /x/\nrule a\n pattern /y/\n", 3, 6,
        "duplicate rule id"},
    {"bad level", "rule a\n level 6\n pattern /x/\n", 2, 8,
        "level must be 0-5"},
    {"bad flag", "rule a\n flags secret\n pattern /x/\n", 2, 8, "unknown flag"},
    {"bad scope", "rule a\n scope everywhere\n pattern /x/\n", 2, 8,
        "unknown scope"},
    {"unknown key", "rule a\n colour red\n pattern /x/\n", 2, 2, "unknown key"},
    {"empty regex", "rule a\n pattern //\n", 2, 10, "empty pattern"},
    {"empty literal", "rule a\n pattern \"\"\n", 2, 10, "empty"},
    {"unterminated", "rule a\n pattern /abc\n", 2, 10, "unterminated"},
    {"bad pattern flag", "rule a\n pattern /a/q\n", 2, 13,
        "unknown pattern flag"},
    {"bad position", "rule a\n position middle\n pattern /x/\n", 2, 11,
        "position is"},
    {"bad id", "rule a b\n pattern /x/\n", 1, 7, "rule id may hold"},
    {"invalid utf8", "rule a\n title \xff\n pattern /x/\n", 2, 8,
        "invalid UTF-8"},
    {"missing value", "rule a\n title\n pattern /x/\n", 2, 7, "missing value"},
    {"hotwords",
        "rule a\n min-count 3\n pattern /x/\n hotword /card/i within 40\n"
        " hotword \"IBAN\"w\n hotword-min-count 2\n",
        0, 0, NULL},
    {"bad hotword window", "rule a\n pattern /x/\n hotword /c/ within 999999\n",
        3, 21, "within must be"},
    {"bad hotword flag", "rule a\n pattern /x/\n hotword /c/q\n", 3, 13,
        "unknown pattern flag"},
    {"hotword-min-count alone",
        "rule a\n min-count 3\n hotword-min-count 2\n pattern /x/\n", 1, 1,
        "hotword-min-count needs"},
    {"hotword-min-count above min-count",
        "rule a\n hotword /h/\n hotword-min-count 2\n pattern /x/\n", 1, 1,
        "hotword-min-count needs"},
    {"bad hotword-min-count", "rule a\n hotword-min-count 0\n pattern /x/\n", 2,
        20, "hotword-min-count must be"},
};

TEST(parse_table)
{
	for (size_t i = 0; i < DLP_NITEMS(cases); i++) {
		struct dlp_sigdb *db;
		struct dlp_error err;
		enum dlp_status st;

		memset(&err, 0, sizeof(err));
		CHECK(dlp_sigdb_new(&test_mem, &db) == DLP_OK);
		st = dlp_sigdb_parse_text(
		    db, "t.sig", cases[i].text, strlen(cases[i].text), &err);
		if (cases[i].line == 0) {
			CHECK_MSG(
			    st == DLP_OK, "%s: %s", cases[i].name, err.message);
		} else {
			CHECK_MSG(st == DLP_ERR_SIGNATURE, "%s", cases[i].name);
			CHECK_MSG((int)err.line == cases[i].line &&
			              (int)err.column == cases[i].col,
			    "%s: at %u:%u, want %d:%d (%s)", cases[i].name,
			    err.line, err.column, cases[i].line, cases[i].col,
			    err.message);
			CHECK_MSG(strstr(err.message, cases[i].msg) != NULL,
			    "%s: message \"%s\"", cases[i].name, err.message);
			CHECK_STR(err.file, "t.sig");
		}
		dlp_sigdb_free(db);
	}
	CHECK_INT(test_live(), 0);
}

TEST(parsed_fields)
{
	const char *t = cases[1].text;
	struct dlp_sigdb *db;
	const struct dlp_rule *r;

	CHECK(dlp_sigdb_new(&test_mem, &db) == DLP_OK);
	CHECK(dlp_sigdb_parse_text(db, "t.sig", t, strlen(t), NULL) == DLP_OK);
	CHECK_INT(db->nrules, 1);
	r = &db->rules[0];
	CHECK_STR(r->id, "r-1.x:y");
	CHECK_STR(r->category, "pii");
	CHECK_INT(r->level, 3);
	CHECK_INT(r->confidence, 1);
	CHECK_INT(r->flags, DLP_F_NATIONAL_ONLY | DLP_F_REL_LIST);
	CHECK_INT(
	    r->scope, DLP_SCOPE_SUBJECT | DLP_SCOPE_BODY | DLP_SCOPE_HEADERS);
	CHECK_STR(r->header, "X-Label");
	CHECK_INT(r->pos, DLP_POS_EDGE);
	CHECK_INT(r->pos_lines, 4);
	CHECK_INT(r->min_count, 2);
	CHECK(r->audit && !r->som && r->mask);
	CHECK_INT(db->npats, 3);
	CHECK_STR(db->pats[0].expr, "a");
	CHECK(db->pats[0].hsflags & HS_FLAG_CASELESS);
	/* A literal is escaped byte by byte, with word boundaries. */
	CHECK_STR(db->pats[1].expr, "\\bb\\x2ec\\b");
	CHECK(db->pats[2].suppressor && (db->pats[2].hsflags & HS_FLAG_DOTALL));
	CHECK_INT(r->nexamples, 2);
	CHECK_MEM(r->examples[1].text, r->examples[1].len, "y\nz", 3, "ex");
	CHECK(!r->examples[1].must_match);
	CHECK(dlp_sigdb_compile(db, NULL) == DLP_OK);
	dlp_sigdb_free(db);
}

TEST(hotword_fields)
{
	const char *t = cases[DLP_NITEMS(cases) - 6].text;
	struct dlp_sigdb *db;

	CHECK(dlp_sigdb_new(&test_mem, &db) == DLP_OK);
	CHECK(dlp_sigdb_parse_text(db, "t.sig", t, strlen(t), NULL) == DLP_OK);
	CHECK_INT(db->npats, 3);
	CHECK(db->rules[0].has_hotwords);
	CHECK_INT(db->rules[0].hot_min_count, 2);
	CHECK(!db->pats[0].hotword);
	CHECK(db->pats[1].hotword && !db->pats[1].suppressor);
	CHECK_INT(db->pats[1].within, 40);
	CHECK_STR(db->pats[1].expr, "card");
	CHECK(db->pats[2].hotword);
	CHECK_INT(db->pats[2].within, 0);
	CHECK_STR(db->pats[2].expr, "\\bIBAN\\b");
	CHECK(dlp_sigdb_compile(db, NULL) == DLP_OK);
	dlp_sigdb_free(db);
}

/* A hotword near a match raises its confidence one step and lowers the
 * min-count the finding carries; a far one does nothing. */
static const struct {
	const char *text;
	unsigned confidence, min_count;
} hot_cases[] = {
    {"1234", 1, 3},
    {"card number 1234", 2, 2},
    {"card number .............................. 1234", 1, 3},
    {"1234\nx card number", 2, 2},
    {"ref 1234 ACCT", 2, 2},
    {"ACCT\n1234", 1, 3},
    {"ACCTS 1234", 1, 3},
};

TEST(hotword_matching)
{
	const char *t = "rule h\n confidence 1\n min-count 3\n"
	                " pattern /\\b[0-9]{4}\\b/\n"
	                " hotword /card number/i within 20\n"
	                " hotword \"ACCT\"w\n hotword-min-count 2\n";
	struct dlp_sigdb *db;
	struct dlp_matcher *m = NULL;
	hs_scratch_t *proto = NULL;

	CHECK(dlp_sigdb_new(&test_mem, &db) == DLP_OK);
	CHECK(dlp_sigdb_parse_text(db, "t.sig", t, strlen(t), NULL) == DLP_OK);
	CHECK(dlp_sigdb_compile(db, NULL) == DLP_OK);
	CHECK(hs_alloc_scratch(db->db, &proto) == HS_SUCCESS);
	CHECK(dlp_matcher_new(&test_mem, db, proto, &m) == DLP_OK);
	for (size_t i = 0; m != NULL && i < DLP_NITEMS(hot_cases); i++) {
		struct dlp_result *r;
		bool limited;

		CHECK(dlp_result_new(&test_mem, 10, &r) == DLP_OK);
		CHECK(dlp_match_text(m, r, DLP_SCOPE_BODY, NULL, "body",
		          hot_cases[i].text, strlen(hot_cases[i].text),
		          &limited) == DLP_OK);
		CHECK_MSG(r->nfindings == 1, "case %zu: %zu findings", i,
		    r->nfindings);
		if (r->nfindings == 1)
			CHECK_MSG(r->findings[0].pub.confidence ==
			                  hot_cases[i].confidence &&
			              r->findings[0].min_count ==
			                  hot_cases[i].min_count,
			    "case %zu: C%u min-count %u", i,
			    r->findings[0].pub.confidence,
			    r->findings[0].min_count);
		dlp_result_free(r);
	}
	dlp_matcher_free(m);
	hs_free_scratch(proto);
	dlp_sigdb_free(db);
	CHECK_INT(test_live(), 0);
}

TEST(compile_error_names_the_rule)
{
	const char *t = "rule good\n pattern /ok/\nrule bad\n pattern /a(b/\n";
	struct dlp_sigdb *db;
	struct dlp_error err;

	CHECK(dlp_sigdb_new(&test_mem, &db) == DLP_OK);
	CHECK(dlp_sigdb_parse_text(db, "x.sig", t, strlen(t), NULL) == DLP_OK);
	CHECK_INT(dlp_sigdb_compile(db, &err), DLP_ERR_SIGNATURE);
	CHECK_INT(err.line, 4);
	CHECK_STR(err.file, "x.sig");
	CHECK(strstr(err.message, "rule bad") != NULL);
	dlp_sigdb_free(db);
}

static char *
write_tmp(const char *content)
{
	static char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/dlp-kw-XXXXXX");
	int fd = mkstemp(path);

	if (fd < 0 || (f = fdopen(fd, "w")) == NULL)
		return NULL;
	fputs(content, f);
	fclose(f);
	return path;
}

TEST(keywords)
{
	char *p = write_tmp("# codenames\n#!level 3\nBLUE HARBOUR\n"
	                    "  operation x.y \n\nC++\n");
	const char *kw[1];
	struct dlp_sigdb *db;
	struct dlp_error err;

	CHECK(p != NULL);
	kw[0] = p;
	CHECK(dlp_sigdb_load(&test_mem, NULL, 0, kw, 1, NULL, &db, &err) ==
	      DLP_OK);
	CHECK_INT(db->nrules, 1);
	CHECK_INT(db->rules[0].level, 3);
	CHECK_STR(db->rules[0].category, "keyword");
	CHECK_INT(db->npats, 3);
	CHECK_STR(db->pats[0].expr, "\\bBLUE HARBOUR\\b");
	CHECK_STR(db->pats[1].expr, "\\boperation x\\x2ey\\b");
	/* No \b after a non-word character. */
	CHECK_STR(db->pats[2].expr, "\\bC\\x2b\\x2b");
	CHECK(db->pats[0].hsflags & HS_FLAG_CASELESS);
	CHECK(strlen(db->id) == 16);
	dlp_sigdb_free(db);
	unlink(p);

	p = write_tmp("# nothing but comments\n");
	kw[0] = p;
	CHECK_INT(dlp_sigdb_load(&test_mem, NULL, 0, kw, 1, NULL, &db, &err),
	    DLP_ERR_SIGNATURE);
	unlink(p);
	CHECK_INT(test_live(), 0);
}

TEST(missing_file)
{
	const char *s[1] = {"/nonexistent/x.sig"};
	struct dlp_sigdb *db;
	struct dlp_error err;

	CHECK_INT(dlp_sigdb_load(&test_mem, s, 1, NULL, 0, NULL, &db, &err),
	    DLP_ERR_IO);
	CHECK_STR(err.file, "/nonexistent/x.sig");
	CHECK(db == NULL);
}

TEST(compiled_cache)
{
	char dir[] = "/tmp/dlp-cache-XXXXXX", path[4096];
	const char *kw[1];
	char *p = write_tmp("alpha\nbravo charlie\n");
	struct dlp_sigdb *db;
	struct dlp_error err;
	FILE *f;
	char key[65];

	CHECK(p != NULL && mkdtemp(dir) != NULL);
	kw[0] = p;
	/* Cold: compiled and stored. */
	CHECK(dlp_sigdb_load(&test_mem, NULL, 0, kw, 1, dir, &db, &err) ==
	      DLP_OK);
	CHECK(!db->cached);
	CHECK(dlp_sigcache_key(db, key));
	dlp_sigdb_free(db);
	/* Warm: loaded. */
	CHECK(dlp_sigdb_load(&test_mem, NULL, 0, kw, 1, dir, &db, &err) ==
	      DLP_OK);
	CHECK(db->cached && db->db != NULL);
	dlp_sigdb_free(db);
	/* A corrupt (or foreign) file is rebuilt, not trusted. */
	snprintf(path, sizeof(path), "%s/%s.hsdb", dir, key);
	f = fopen(path, "r+b");
	CHECK(f != NULL);
	if (f != NULL) {
		fseek(f, 100, SEEK_SET);
		fputs("garbage garbage garbage", f);
		fclose(f);
	}
	CHECK(dlp_sigdb_load(&test_mem, NULL, 0, kw, 1, dir, &db, &err) ==
	      DLP_OK);
	CHECK(!db->cached && db->db != NULL);
	dlp_sigdb_free(db);
	/* A changed set has another key. */
	f = fopen(p, "a");
	if (f != NULL) {
		fputs("delta\n", f);
		fclose(f);
	}
	CHECK(dlp_sigdb_load(&test_mem, NULL, 0, kw, 1, dir, &db, &err) ==
	      DLP_OK);
	CHECK(!db->cached);
	dlp_sigdb_free(db);
	unlink(p);
	unlink(path);
	CHECK_INT(test_live(), 0);
}

TEST(oom_sweep)
{
	const char *t = cases[1].text;

	for (unsigned long n = 1; n < 10000; n++) {
		struct dlp_sigdb *db = NULL;
		enum dlp_status st;

		test_fail_after(n);
		st = dlp_sigdb_new(&test_mem, &db);
		if (st == DLP_OK)
			st = dlp_sigdb_parse_text(
			    db, "t.sig", t, strlen(t), NULL);
		test_fail_after(0);
		dlp_sigdb_free(db);
		CHECK_INT(test_live(), 0);
		if (st == DLP_OK)
			break;
		CHECK_INT(st, DLP_ERR_NOMEM);
	}
}

TEST_MAIN()
