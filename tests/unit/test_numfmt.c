/*
 * test_numfmt.c - spreadsheet number formats rendered as displayed.
 */
#include "numfmt.h"
#include "test.h"

static const struct {
	const char *code;
	double v;
	const char *want;
} cases[] = {
    {"General", 12.5, ""},
    {"0", 4111111111111111.0, "4111111111111111"},
    {"#,##0.00", 1599.99, "1,599.99"},
    {"#,##0.00", -1599.99, "-1,599.99"},
    {"\"$\"#,##0.00_);[Red]\\(\"$\"#,##0.00\\)", 1599.99, "$1,599.99 "},
    {"\"$\"#,##0.00_);[Red]\\(\"$\"#,##0.00\\)", -1599.99, "($1,599.99)"},
    {"0.00%", 0.025, "2.50%"},
    {"0%", 0.5, "50%"},
    {"# ?/?", 2.5, "2 1/2"},
    {"d-mmm-yy", 39219, "17-May-07"},
    {"yyyy-mm-dd", 35287, "1996-08-10"},
    {"m/d/yy", 40089, "10/3/09"},
    {"h:mm", 0.7604166666666666, "18:15"},
    {"h:mm AM/PM", 0.7604166666666666, "6:15 PM"},
    {"m/d/yy h:mm", 39466.19097222222, "1/19/08 4:35"},
    {"mm:ss", 0.0006944444444444445, "01:00"},
    {"0.00E+00", 12345, ""},
    {"@", 1, ""},
};

TEST(numfmt_table)
{
	struct dlp_buf b;
	size_t i;

	for (i = 0; i < DLP_NITEMS(cases); i++) {
		dlp_buf_init(&b, &test_mem);
		CHECK(dlp_numfmt_render(
		    cases[i].code, strlen(cases[i].code), cases[i].v, &b));
		CHECK_MEM(b.p != NULL ? (const char *)b.p : "", b.len,
		    cases[i].want, strlen(cases[i].want), cases[i].code);
		dlp_buf_fini(&b);
	}
	CHECK_INT(test_live(), 0);
}

TEST(numfmt_builtin)
{
	CHECK_STR(dlp_numfmt_builtin(14), "m/d/yy");
	CHECK_STR(dlp_numfmt_builtin(10), "0.00%");
	CHECK(dlp_numfmt_builtin(0) == NULL);
	CHECK(dlp_numfmt_builtin(999) == NULL);
}

TEST_MAIN()
