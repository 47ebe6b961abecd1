/*
 * test_rtf.c - RTF control words, groups, escapes, destinations, \info
 * metadata and \objdata objects, table-driven; depth limit; OOM sweep;
 * the Tika corpus check for rtf.
 */
#define _GNU_SOURCE
#include "doc_util.h"

struct rcase {
	const char *name;
	const char *rtf;
	const char *want[3];
	const char *never;
};

static const struct rcase cases[] = {
    {"plain-par-tab",
        "{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Times;}}{\\colortbl;\\red0;}"
        "\\pard Hello\\tab world\\par Second\\line line}",
        {"]\nHello\tworld\nSecond\nline\n"}, "Times"},
    {"split-marking-groups", "{\\rtf1 {\\b SEC}{\\i RET} \\{x\\}\\\\}",
        {"SECRET {x}\\"}},
    {"unicode-uc-skip",
        "{\\rtf1\\uc1 OFFICIAL\\u8209?SENSITIVE \\uc2\\u8364\\'80\\'80 x}",
        {"OFFICIAL\xe2\x80\x91SENSITIVE \xe2\x82\xac x"}},
    {"surrogate-pair", "{\\rtf1 \\u-10179?\\u-8704?}", {"\xf0\x9f\x98\x80"}},
    {"hex-ascii", "{\\rtf1\\ansi\\ansicpg1252 caf\\'e9}", {"caf"}},
    {"skipped-destinations",
        "{\\rtf1{\\*\\generator Writer;}{\\stylesheet{\\s1 Heading;}}"
        "{\\*\\fldinst HYPERLINK x}{\\fldrslt shown}{\\pict\\pngblip 89504e47}"
        "\\bin4 ABCD text}",
        {"shown", " text"}, "Heading"},
    {"info-metadata",
        "{\\rtf1{\\info{\\title Budget}{\\subject TOP SECRET}{\\keywords k1}"
        "{\\creatim\\yr2020}}{\\*\\userprops{\\propname MSIP_Label_a_Enabled}"
        "\\proptype30{\\staticval true}}body}",
        {"[32 attachment]\ntitle=Budget\nsubject=TOP SECRET\nkeywords=k1\n"
         "MSIP_Label_a_Enabled=true\n",
            "[8 attachment]\nbody"}},
    {"objdata",
        "{\\rtf1{\\object\\objemb{\\*\\objclass Package}{\\*\\objdata "
        "01050000020000000800000050616b6167650000000000000000000004000000"
        "41424344}{\\result shown}}}",
        {"object attachment objdata - 4 2", "shown"}},
    {"header-footer-text", "{\\rtf1{\\header SECRET}{\\footer UK EYES ONLY}x}",
        {"SECRET", "UK EYES ONLY"}},
    {"not-rtf", "hello", {"unscanned attachment malformed"}},
};

TEST(rtf_table)
{
	struct du_sink d;
	size_t i, k;

	for (i = 0; i < DLP_NITEMS(cases); i++) {
		du_init(&d, &test_mem);
		CHECK_INT(
		    dlp_extract_rtf(&d.x, "attachment",
		        (const uint8_t *)cases[i].rtf, strlen(cases[i].rtf), 1),
		    DLP_OK);
		for (k = 0; k < 3 && cases[i].want[k] != NULL; k++)
			CHECK_MSG(du_has(&d, cases[i].want[k]),
			    "%s: want \"%s\" in:\n%s%s", cases[i].name,
			    cases[i].want[k], d.text.p ? (char *)d.text.p : "",
			    d.log.p ? (char *)d.log.p : "");
		if (cases[i].never != NULL)
			CHECK_MSG(!du_has(&d, cases[i].never), "%s: \"%s\"",
			    cases[i].name, cases[i].never);
		du_fini(&d);
	}
	CHECK_INT(test_live(), 0);
}

TEST(rtf_depth_limit)
{
	struct dlp_buf b;
	struct du_sink d;
	int i;

	dlp_buf_init(&b, &test_mem);
	dlp_buf_puts(&b, "{\\rtf1 before");
	for (i = 0; i < 100000; i++)
		dlp_buf_putc(&b, '{');
	du_init(&d, &test_mem);
	CHECK_INT(dlp_extract_rtf(&d.x, "a", b.p, b.len, 1), DLP_OK);
	CHECK(du_has(&d, "unscanned a limit"));
	CHECK(du_has(&d, "before"));
	du_fini(&d);
	dlp_buf_fini(&b);
}

TEST(rtf_oom_sweep)
{
	const char *rtf = cases[6].rtf;

	CHECK(du_oom_sweep(dlp_extract_rtf, (const uint8_t *)rtf, strlen(rtf),
	          200) < 200);
}

DU_CORPUS_TESTS(rtf, dlp_extract_rtf, {"rtf", NULL})

TEST_MAIN()
