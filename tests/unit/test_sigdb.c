/*
 * test_sigdb.c - the signature file parser, keyword dictionaries and the
 * Hyperscan compile: accepted files, and every error with its position.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <time.h>
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
	/* Bare literals (no \b, no start of match: a 10,000-term set
	 * compiles in a fraction of a second); the matcher checks word
	 * boundaries where the term's ends are word characters. */
	CHECK_STR(db->pats[0].expr, "BLUE HARBOUR");
	CHECK_STR(db->pats[1].expr, "operation x\\x2ey");
	CHECK_STR(db->pats[2].expr, "C\\x2b\\x2b");
	CHECK(db->pats[0].wb_start && db->pats[0].wb_end);
	CHECK(db->pats[2].wb_start && !db->pats[2].wb_end);
	CHECK_INT(db->pats[0].litlen, 12);
	CHECK(!db->rules[0].som);
	CHECK(db->pats[0].hsflags & HS_FLAG_CASELESS);
	CHECK(!(dlp_sigdb_hsflags(db, 0) & HS_FLAG_SOM_LEFTMOST));
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

/* Keyword terms match whole words, caseless, with their exact span. */
static const struct {
	const char *text;
	size_t count; /* matches of the dictionary */
	unsigned line;
} kw_cases[] = {
    {"meet at Blue Harbour today", 1, 1},
    {"x\nBLUE HARBOUR", 1, 2},
    {"blue harbours", 0, 0},
    {"deepblue harbour", 0, 0},
    {"_blue harbour", 0, 0},
    {"we use C++17 and c++", 2, 1},
    {"ABC++", 0, 0},
    {"operation x.y, operation x.yz", 1, 1},
};

TEST(keyword_matching)
{
	char *p = write_tmp("BLUE HARBOUR\noperation x.y\nC++\n");
	const char *kw[1];
	struct dlp_sigdb *db = NULL;
	struct dlp_matcher *m = NULL;
	hs_scratch_t *proto = NULL;
	struct dlp_error err;

	CHECK(p != NULL);
	kw[0] = p;
	CHECK(dlp_sigdb_load(&test_mem, NULL, 0, kw, 1, NULL, &db, &err) ==
	      DLP_OK);
	unlink(p);
	if (db == NULL)
		return;
	CHECK(hs_alloc_scratch(db->db, &proto) == HS_SUCCESS);
	CHECK(dlp_matcher_new(&test_mem, db, proto, &m) == DLP_OK);
	for (size_t i = 0; m != NULL && i < DLP_NITEMS(kw_cases); i++) {
		struct dlp_result *r;
		bool limited;
		size_t n = 0;

		CHECK(dlp_result_new(&test_mem, 10, &r) == DLP_OK);
		CHECK(dlp_match_text(m, r, DLP_SCOPE_BODY, NULL, "body",
		          kw_cases[i].text, strlen(kw_cases[i].text),
		          &limited) == DLP_OK);
		for (size_t k = 0; k < r->nfindings; k++)
			n += r->findings[k].pub.count;
		CHECK_MSG(n == kw_cases[i].count, "\"%s\": %zu matches",
		    kw_cases[i].text, n);
		if (n > 0)
			CHECK_MSG(r->findings[0].pub.line == kw_cases[i].line,
			    "\"%s\": line %u", kw_cases[i].text,
			    r->findings[0].pub.line);
		dlp_result_free(r);
	}
	dlp_matcher_free(m);
	hs_free_scratch(proto);
	dlp_sigdb_free(db);
	CHECK_INT(test_live(), 0);
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/*
 * A 10,000-term dictionary: pure literals keep the database small (with
 * \b and start of match it was 31 MB and took 20 s to compile) and a
 * warm start is a load from the cache.
 */
TEST(keywords_10k)
{
	static const char *const syl[] = {"ka", "lo", "mi", "ra", "tu", "ven",
	    "dor", "sil", "qua", "bex", "nor", "tal", "zen", "osk"};
	char dir[] = "/tmp/dlp-kw10k-XXXXXX", path[4096];
	const char *kw[1];
	struct dlp_sigdb *db = NULL;
	struct dlp_error err;
	unsigned long x = 12345;
	size_t size = 0;
	double t0, cold, warm;
	FILE *f;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/terms.txt", dir);
	CHECK((f = fopen(path, "w")) != NULL);
	if (f == NULL)
		return;
	for (int i = 0; i < 10000; i++) {
		/* Distinct: the index in base 14, one syllable a digit. */
		for (int k = i, d = 0; d < 4; d++, k /= 14)
			fputs(syl[k % 14], f);
		x = x * 1103515245 + 12345;
		fputs((x >> 16) % 3 == 0 ? " PROJECT\n" : "\n", f);
	}
	fclose(f);
	kw[0] = path;
	t0 = now_ms();
	CHECK(dlp_sigdb_load(&test_mem, NULL, 0, kw, 1, dir, &db, &err) ==
	      DLP_OK);
	cold = now_ms() - t0;
	CHECK(db != NULL && !db->cached && db->npats == 10000);
	if (db != NULL)
		CHECK(hs_database_size(db->db, &size) == HS_SUCCESS);
	dlp_sigdb_free(db);
	t0 = now_ms();
	CHECK(dlp_sigdb_load(&test_mem, NULL, 0, kw, 1, dir, &db, &err) ==
	      DLP_OK);
	warm = now_ms() - t0;
	CHECK(db != NULL && db->cached);
	dlp_sigdb_free(db);
	printf("  10,000 terms: compile %.0f ms, database %.2f MB, warm load "
	       "%.1f ms\n",
	    cold, (double)size / 1e6, warm);
	CHECK_MSG(size < 8000000, "database of %zu bytes", size);
	CHECK_MSG(warm < 500, "warm load took %.0f ms", warm);
	CHECK_INT(test_live(), 0);
	unlink(path);
	{
		DIR *d = opendir(dir);
		struct dirent *de;

		while (d != NULL && (de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			unlink(path);
		}
		if (d != NULL)
			closedir(d);
		CHECK(rmdir(dir) == 0);
	}
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
