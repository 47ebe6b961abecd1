/*
 * test_odf.c - OpenDocument text, header/footer, metadata and objects
 * from packages generated here; encrypted and corrupt packages; OOM
 * sweep; the Tika corpus check for odt/ods/odp.
 */
#define _GNU_SOURCE
#include "doc_util.h"

struct ocase {
	const char *name;
	struct du_part parts[4];
	const char *want[4];
	const char *never;
};

static const struct ocase cases[] = {
    {"content-spaces-tabs-breaks",
        {{"mimetype", "application/vnd.oasis.opendocument.text"},
            {"content.xml",
                "<office:document-content><office:automatic-styles>"
                "<number:text>STYLEJUNK</number:text></office:automatic-styles>"
                "<office:body><office:text><text:h>Title</text:h><text:p>a"
                "<text:s text:c=\"3\"/>b<text:tab/>c<text:line-break/>d &amp; "
                "<text:span>SEC</text:span>RET</text:p></office:text>"
                "</office:body></office:document-content>"}},
        {"[8 attachment/content.xml]\nTitle\na   b\tc\nd & SECRET\n"},
        "STYLEJUNK"},
    {"styles-footer",
        {{"styles.xml",
            "<office:document-styles><office:master-styles><style:master-page>"
            "<style:footer><text:p>OFFICIAL-SENSITIVE</text:p></style:footer>"
            "</style:master-page></office:master-styles><style:style>"
            "<text:p>NOTHIS</text:p></style:style></office:document-styles>"}},
        {"[8 attachment/styles.xml]\nOFFICIAL-SENSITIVE\n"}, "NOTHIS"},
    {"meta",
        {{"meta.xml",
            "<office:document-meta><office:meta><dc:title>Plan</dc:title>"
            "<meta:user-defined meta:name=\"MSIP_Label_x_Enabled\">true"
            "</meta:user-defined></office:meta></office:document-meta>"}},
        {"[32 attachment/meta.xml]\ntitle=Plan\nMSIP_Label_x_Enabled=true\n"}},
    {"pictures-and-subdocument",
        {{"Pictures/p1.png", "png!"},
            {"Object 1/content.xml",
                "<office:document-content><office:body><text:p>inner</text:p>"
                "</office:body></office:document-content>"}},
        {"object attachment/Pictures/p1.png p1.png - 4 2",
            "[8 attachment/Object 1/content.xml]\ninner\n"}},
    {"space-run-bounded",
        {{"content.xml",
            "<office:document-content><office:body><text:p>a<text:s "
            "text:c=\"99999\"/>b</text:p></office:body>"
            "</office:document-content>"}},
        {"a                                                                b"},
        "a                                                                 "},
    {"encrypted",
        {{"META-INF/manifest.xml",
             "<manifest:manifest><manifest:file-entry "
             "manifest:full-path=\"content"
             ".xml\"><manifest:encryption-data/></manifest:file-entry>"
             "</manifest:manifest>"},
            {"content.xml", "\x8f\x12garbage<text:p>NO</text:p>"}},
        {"unscanned attachment encrypted"}, "NO"},
};

TEST(odf_table)
{
	size_t i, k, n;
	struct du_zip z;
	struct du_sink d;

	for (i = 0; i < DLP_NITEMS(cases); i++) {
		for (n = 0; n < 4 && cases[i].parts[n].name != NULL; n++)
			;
		du_zip(cases[i].parts, n, &z);
		du_init(&d, &test_mem);
		CHECK_INT(
		    dlp_extract_odf(&d.x, "attachment", z.p, z.len, 1), DLP_OK);
		for (k = 0; k < 4 && cases[i].want[k] != NULL; k++)
			CHECK_MSG(du_has(&d, cases[i].want[k]),
			    "%s: want \"%s\" in:\n%s%s", cases[i].name,
			    cases[i].want[k], d.text.p ? (char *)d.text.p : "",
			    d.log.p ? (char *)d.log.p : "");
		if (cases[i].never != NULL)
			CHECK_MSG(!du_has(&d, cases[i].never), "%s: \"%s\"",
			    cases[i].name, cases[i].never);
		du_fini(&d);
		free(z.p);
	}
	CHECK_INT(test_live(), 0);
}

TEST(odf_corrupt)
{
	struct du_sink d;

	du_init(&d, &test_mem);
	CHECK_INT(
	    dlp_extract_odf(&d.x, "a", (const uint8_t *)"PK\003\004x", 5, 1),
	    DLP_OK);
	CHECK(du_has(&d, "unscanned a malformed"));
	du_fini(&d);
}

TEST(odf_oom_sweep)
{
	struct du_zip z;

	du_zip(cases[0].parts, 2, &z);
	CHECK(du_oom_sweep(dlp_extract_odf, z.p, z.len, 500) < 500);
	free(z.p);
}

DU_CORPUS_TESTS(odf, dlp_extract_odf, {"odt", "ods", "odp", NULL})

TEST_MAIN()
