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

/* List counters: every format, its range edges, and out-of-range values
 * falling back to decimal. */
TEST(numfmt_counter)
{
	static const struct {
		long v;
		unsigned nfc;
		const char *want;
	} counters[] = {
	    {7, DLP_CNT_DECIMAL, "7"},
	    {-3, DLP_CNT_DECIMAL, "-3"},
	    {1, DLP_CNT_UROMAN, "I"},
	    {1994, DLP_CNT_UROMAN, "MCMXCIV"},
	    {3999, DLP_CNT_LROMAN, "mmmcmxcix"},
	    {4000, DLP_CNT_LROMAN, "4000"},
	    {0, DLP_CNT_UROMAN, "0"},
	    {1, DLP_CNT_LLETTER, "a"},
	    {26, DLP_CNT_ULETTER, "Z"},
	    {27, DLP_CNT_LLETTER, "aa"},
	    {53, DLP_CNT_LLETTER, "aaa"},
	    {780, DLP_CNT_LLETTER, "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"},
	    {781, DLP_CNT_LLETTER, "781"},
	    {0, DLP_CNT_ULETTER, "0"},
	    {1, DLP_CNT_ORDINAL, "1st"},
	    {2, DLP_CNT_ORDINAL, "2nd"},
	    {3, DLP_CNT_ORDINAL, "3rd"},
	    {11, DLP_CNT_ORDINAL, "11th"},
	    {112, DLP_CNT_ORDINAL, "112th"},
	    {121, DLP_CNT_ORDINAL, "121st"},
	    {4, DLP_CNT_ZERO, "04"},
	    {123, DLP_CNT_ZERO, "123"},
	    {5, 999, "5"},
	};
	struct dlp_buf b;

	dlp_buf_init(&b, &test_mem);
	for (size_t i = 0; i < DLP_NITEMS(counters); i++) {
		dlp_buf_reset(&b);
		CHECK(dlp_numfmt_counter(&b, counters[i].v, counters[i].nfc));
		CHECK_STR(b.p ? (const char *)b.p : "", counters[i].want);
	}
	dlp_buf_fini(&b);
	CHECK_INT(test_live(), 0);
}

TEST_MAIN()
