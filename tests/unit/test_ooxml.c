/*
 * test_ooxml.c - OOXML text, metadata and embedded objects, from packages
 * generated here; the XML tokenizer's edge cases; limits, corrupt input,
 * OOM sweep; the Tika corpus check for docx/xlsx/pptx; and Tika's
 * workbooks with printer settings read in full.
 */
#define _GNU_SOURCE
#include "doc_util.h"
#include "xmltext.h"

#define W                                                                      \
	"xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/"   \
	"main\""

struct ocase {
	const char *name;
	struct du_part parts[4];
	const char *want[4]; /* substrings of the collected output */
	const char *never;   /* must not appear (NULL: none) */
};

static const struct ocase cases[] = {
    {"header-split-runs",
        {{"word/header1.xml",
            "<w:hdr " W "><w:p><w:r><w:t>OFFICIAL</w:t></w:r><w:r><w:t>-SEN"
            "</w:t></w:r><w:r><w:t>SITIVE</w:t></w:r></w:p></w:hdr>"}},
        {"[8 attachment/word/header1.xml]\nOFFICIAL-SENSITIVE\n"}},
    {"footer-secret",
        {{"word/footer2.xml",
            "<w:ftr " W "><w:p><w:r><w:t xml:space=\"preserve\">SEC</w:t>"
            "<w:t>RET</w:t></w:r></w:p></w:ftr>"}},
        {"word/footer2.xml]\nSECRET\n"}},
    {"body-paragraphs-tabs-breaks",
        {{"word/document.xml",
            "<?xml version=\"1.0\"?><w:document " W "><w:body><w:p><w:pPr>"
            "<w:tabs><w:tab w:val=\"left\"/></w:tabs></w:pPr><w:r><w:t>a"
            "</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c &amp; d</w:t></w:r>"
            "</w:p><w:p><w:r><w:instrText>HYPERLINK x</w:instrText><w:t>"
            "e</w:t></w:r></w:p></w:body></w:document>"}},
        {"]\na\tb\nc & d\ne\n\nHYPERLINK x\n"}, NULL},
    {"text-box-fallback-once",
        {{"word/document.xml",
            "<w:document " W "><w:body><w:p><w:r><mc:AlternateContent>"
            "<mc:Choice><w:txbxContent><w:p><w:r><w:t>BOXED</w:t></w:r></w:p>"
            "</w:txbxContent></mc:Choice><mc:Fallback><w:p><w:r><w:t>DUP"
            "</w:t></w:r></w:p></mc:Fallback></mc:AlternateContent></w:r>"
            "</w:p></w:body></w:document>"}},
        {"BOXED"}, "DUP"},
    {"comments-footnotes",
        {{"word/comments.xml",
             "<w:comments " W "><w:comment><w:p><w:r><w:t>"
             "note1</w:t></w:r></w:p></w:comment></w:comments>"},
            {"word/footnotes.xml", "<w:footnotes><w:footnote><w:p><w:r><w:t>"
                                   "foot1</w:t></w:r></w:p></w:footnote>"
                                   "</w:footnotes>"}},
        {"note1", "foot1"}},
    {"custom-msip-label",
        {{"docProps/custom.xml",
            "<Properties><property fmtid=\"{D5CDD505}\" pid=\"2\" "
            "name=\"MSIP_Label_1234-abcd_Enabled\"><vt:lpwstr>true"
            "</vt:lpwstr></property><property pid=\"3\" name=\"Class&amp;x\">"
            "<vt:lpwstr>SECRET</vt:lpwstr></property></Properties>"}},
        {"[32 attachment/docProps/custom.xml]\n"
         "MSIP_Label_1234-abcd_Enabled=true\nClass&x=SECRET\n"}},
    {"labelinfo",
        {{"docMetadata/LabelInfo.xml",
            "<clbl:labelList xmlns:clbl=\"x\"><clbl:label id=\"{9a2b}\" "
            "enabled=\"1\" method=\"Privileged\" siteId=\"{77}\"/>"
            "</clbl:labelList>"}},
        {"[32 attachment/docMetadata/LabelInfo.xml]\n"
         "label id={9a2b} enabled=1 method=Privileged siteId={77}\n"}},
    {"core-and-customxml",
        {{"docProps/core.xml",
             "<cp:coreProperties><dc:title>Plan</dc:title><cp:keywords>"
             "TOP SECRET</cp:keywords></cp:coreProperties>"},
            {"customXml/item1.xml",
                "<sisl><element uid=\"id_classification_x\" "
                "value=\"OFFICIAL\"/>"
                "<TitusGUID>abc</TitusGUID></sisl>"}},
        {"title=Plan\nkeywords=TOP SECRET\n",
            "element uid=id_classification_x value=OFFICIAL\n",
            "TitusGUID=abc\n"}},
    {"xlsx",
        {{"xl/sharedStrings.xml",
             "<sst><si><t>alpha</t></si><si><r><t>be</t></r><r><t>ta</t></r>"
             "<rPh><t>PHON</t></rPh></si></sst>"},
            {"xl/workbook.xml",
                "<workbook><sheets><sheet name=\"Payroll &amp; HR\" "
                "sheetId=\"1\"/></sheets></workbook>"},
            {"xl/worksheets/sheet1.xml",
                "<worksheet><sheetData><row><c r=\"A1\" t=\"s\"><v>0</v></c>"
                "<c r=\"B1\"><v>4111111111111111</v></c><c t=\"inlineStr\"><is>"
                "<t>inline</t></is></c></row></sheetData><headerFooter>"
                "<oddHeader>&amp;CSECRET</oddHeader></headerFooter></"
                "worksheet>"}},
        {"alpha\nbeta\n", "Payroll & HR\n", "4111111111111111\tinline\t",
            "&CSECRET\n"},
        "PHON"},
    {"pptx",
        {{"ppt/slides/slide1.xml",
             "<p:sld><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>Slide "
             "one</a:t></a:r><a:br/><a:r><a:t>two</a:t></a:r></a:p></p:txBody>"
             "</p:sp></p:spTree></p:cSld></p:sld>"},
            {"ppt/slideMasters/slideMaster1.xml",
                "<p:sldMaster><a:p><a:r><a:t>MASTER BANNER</a:t></a:r></a:p>"
                "</p:sldMaster>"},
            {"ppt/notesSlides/notesSlide1.xml",
                "<p:notes><a:p><a:r><a:t>speaker</a:t></a:r></a:p></p:notes>"}},
        {"Slide one\ntwo\n", "MASTER BANNER", "speaker"}},
    {"embedded-and-media",
        {{"word/embeddings/oleObject1.bin", "not really ole"},
            {"word/media/image1.png", "png"},
            {"word/styles.xml", "<w:styles><w:t>STYLE</w:t></w:styles>"}},
        {"object attachment/word/embeddings/oleObject1.bin oleObject1.bin - 14 "
         "2",
            "object attachment/word/media/image1.png image1.png - 3 2"},
        "STYLE"},
    {"xlsx-number-formats",
        {{"xl/styles.xml",
             "<styleSheet><numFmts><numFmt numFmtId=\"164\" "
             "formatCode=\"&quot;$&quot;"
             "#,##0.00\"/></numFmts><cellStyleXfs><xf numFmtId=\"9\"/>"
             "</cellStyleXfs><cellXfs><xf numFmtId=\"0\"/><xf "
             "numFmtId=\"164\"/>"
             "<xf numFmtId=\"15\"/></cellXfs></styleSheet>"},
            {"xl/worksheets/sheet1.xml",
                "<worksheet><sheetData><row><c s=\"1\"><v>1599.99</v></c><c "
                "s=\"2\"><v>39219</v></c><c s=\"0\"><v>7</v></c><c s=\"2\" "
                "t=\"s\"><v>0</v></c></row></sheetData></worksheet>"}},
        {"]\n1599.99 $1,599.99\t39219 17-May-07\t7\t\n"}},
    {"pivot-cache-and-table",
        {{"xl/pivotCache/pivotCacheRecords1.xml",
             "<pivotCacheRecords><r><x v=\"0\"/><s v=\"Alice Smith\"/><n "
             "v=\"4111111111111111\"/></r></pivotCacheRecords>"},
            {"xl/tables/table1.xml",
                "<table name=\"Staff\"><tableColumns><tableColumn id=\"1\" "
                "name=\"NI number\"/></tableColumns></table>"}},
        {"Alice Smith\t4111111111111111\t\n", "Staff\tNI number\t\n"}},
    {"list-numbering",
        {{"word/document.xml",
             "<w:document><w:body><w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/>"
             "<w:numId w:val=\"3\"/></w:numPr></w:pPr><w:r><w:t>first</w:t>"
             "</w:r></w:p><w:p><w:pPr><w:numPr><w:ilvl w:val=\"1\"/><w:numId "
             "w:val=\"3\"/></w:numPr></w:pPr><w:r><w:t>sub</w:t></w:r></w:p>"
             "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"1\"/><w:numId w:val=\"3\"/>"
             "</w:numPr></w:pPr><w:r><w:t>sub2</w:t></w:r></w:p><w:p><w:pPr>"
             "<w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"3\"/></w:numPr>"
             "</w:pPr><w:r><w:t>second</w:t></w:r></w:p></w:body></"
             "w:document>"},
            {"word/numbering.xml",
                "<w:numbering><w:abstractNum w:abstractNumId=\"7\"><w:lvl "
                "w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt "
                "w:val=\"decimal\"/>"
                "<w:lvlText w:val=\"%1.\"/></w:lvl><w:lvl "
                "w:ilvl=\"1\"><w:start "
                "w:val=\"1\"/><w:numFmt w:val=\"lowerRoman\"/><w:lvlText "
                "w:val=\"%1.%2)\"/></w:lvl></w:abstractNum><w:num "
                "w:numId=\"3\">"
                "<w:abstractNumId w:val=\"7\"/><w:lvlOverride w:ilvl=\"0\">"
                "<w:startOverride w:val=\"4\"/></w:lvlOverride></w:num>"
                "</w:numbering>"}},
        {"]\n4. first\n4.i) sub\n4.ii) sub2\n5. second\n"}},
    {"list-numbering-word-rules",
        /*
         * no <w:start> starts at 0; a skipped level counts as used;
         * lvlRestart 0 never restarts; isLgl shows decimals; lvlText
         * longer than 24 bytes; two instances share one abstract's
         * counters, one with its own level format; numStyleLink
         */
        {{"word/document.xml",
             "<w:document><w:body>"
             "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/>"
             "</w:numPr></w:pPr><w:r><w:t>one</w:t></w:r></w:p>"
             "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"2\"/><w:numId w:val=\"1\"/>"
             "</w:numPr></w:pPr><w:r><w:t>deep</w:t></w:r></w:p>"
             "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"1\"/><w:numId w:val=\"1\"/>"
             "</w:numPr></w:pPr><w:r><w:t>sub</w:t></w:r></w:p>"
             "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/>"
             "</w:numPr></w:pPr><w:r><w:t>two</w:t></w:r></w:p>"
             "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"1\"/><w:numId w:val=\"1\"/>"
             "</w:numPr></w:pPr><w:r><w:t>sub2</w:t></w:r></w:p>"
             "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"2\"/>"
             "</w:numPr></w:pPr><w:r><w:t>shared</w:t></w:r></w:p>"
             "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"3\"/>"
             "</w:numPr></w:pPr><w:r><w:t>linked</w:t></w:r></w:p>"
             "</w:body></w:document>"},
            {"word/numbering.xml",
                "<w:numbering><w:abstractNum w:abstractNumId=\"1\">"
                "<w:lvl w:ilvl=\"0\"><w:numFmt w:val=\"decimal\"/>"
                "<w:lvlText w:val=\"%1.\"/></w:lvl>"
                "<w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt "
                "w:val=\"lowerLetter\"/><w:lvlRestart w:val=\"0\"/>"
                "<w:lvlText w:val=\"%1.%2)\"/></w:lvl>"
                "<w:lvl w:ilvl=\"2\"><w:start w:val=\"1\"/><w:numFmt "
                "w:val=\"lowerRoman\"/><w:isLgl/><w:lvlText "
                "w:val=\"%1.%2.%3 and a long level text\"/></w:lvl>"
                "</w:abstractNum>"
                "<w:abstractNum w:abstractNumId=\"2\"><w:numStyleLink "
                "w:val=\"MyList\"/></w:abstractNum>"
                "<w:abstractNum w:abstractNumId=\"3\"><w:styleLink "
                "w:val=\"MyList\"/><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/>"
                "<w:numFmt w:val=\"upperRoman\"/><w:lvlText w:val=\"%1]\"/>"
                "</w:lvl></w:abstractNum>"
                "<w:num w:numId=\"1\"><w:abstractNumId w:val=\"1\"/></w:num>"
                "<w:num w:numId=\"2\"><w:abstractNumId w:val=\"1\"/>"
                "<w:lvlOverride w:ilvl=\"0\"><w:lvl w:ilvl=\"0\"><w:start "
                "w:val=\"7\"/><w:numFmt w:val=\"upperLetter\"/><w:lvlText "
                "w:val=\"%1:\"/></w:lvl></w:lvlOverride></w:num>"
                "<w:num w:numId=\"3\"><w:abstractNumId w:val=\"2\"/></w:num>"
                "</w:numbering>"}},
        {"]\n0. one\n0.1.1 and a long level text deep\n0.b) sub\n1. two\n"
         "1.c) sub2\nB: shared\nI] linked\n"}},
    {"list-numbering-from-style",
        /* numId from the paragraph style, ilvl through basedOn; a direct
         * numId 0 turns the style's numbering off */
        {{"word/styles.xml",
             "<w:styles><w:style w:type=\"paragraph\" w:styleId=\"H1\">"
             "<w:pPr><w:numPr><w:numId w:val=\"5\"/></w:numPr></w:pPr>"
             "</w:style><w:style w:type=\"paragraph\" w:styleId=\"H2\">"
             "<w:basedOn w:val=\"H1\"/><w:pPr><w:numPr><w:ilvl w:val=\"1\"/>"
             "</w:numPr></w:pPr></w:style></w:styles>"},
            {"word/numbering.xml",
                "<w:numbering><w:abstractNum w:abstractNumId=\"0\"><w:lvl "
                "w:ilvl=\"0\"><w:start w:val=\"1\"/><w:lvlText "
                "w:val=\"%1.\"/></w:lvl><w:lvl w:ilvl=\"1\"><w:start "
                "w:val=\"1\"/><w:lvlText w:val=\"%1.%2\"/></w:lvl>"
                "</w:abstractNum><w:num w:numId=\"5\"><w:abstractNumId "
                "w:val=\"0\"/></w:num></w:numbering>"},
            {"word/document.xml",
                "<w:document><w:body>"
                "<w:p><w:pPr><w:pStyle w:val=\"H1\"/></w:pPr><w:r><w:t>Intro"
                "</w:t></w:r></w:p>"
                "<w:p><w:pPr><w:pStyle w:val=\"H2\"/></w:pPr><w:r><w:t>Scope"
                "</w:t></w:r></w:p>"
                "<w:p><w:pPr><w:pStyle w:val=\"H2\"/><w:numPr><w:numId "
                "w:val=\"0\"/></w:numPr></w:pPr><w:r><w:t>Plain</w:t></w:r>"
                "</w:p>"
                "<w:p><w:pPr><w:pStyle w:val=\"H1\"/></w:pPr><w:r><w:t>Next"
                "</w:t></w:r></w:p></w:body></w:document>"}},
        {"]\n1. Intro\n1.1 Scope\nPlain\n2. Next\n"}},
    {"drawing-names-and-glossary",
        /* image names and alternative text, VML titles and links, the
         * glossary document (content-control placeholder text) */
        {{"word/document.xml",
             "<w:document><w:body><w:p><w:r><w:t>A</w:t><w:drawing>"
             "<wp:inline><wp:docPr id=\"1\" name=\"Img 1\" descr=\"SECRET "
             "map\"/><a:graphic><pic:pic><pic:nvPicPr><pic:cNvPr id=\"0\" "
             "name=\"Img 1\" descr=\"SECRET map\"/></pic:nvPicPr></pic:pic>"
             "</a:graphic></wp:inline></w:drawing><w:t>B</w:t></w:r></w:p>"
             "<w:p><w:r><w:pict><v:shape id=\"s1\" href=\"http://x.example/"
             "a&amp;b\"><v:imagedata r:id=\"rId1\" o:title=\"scan.png\"/>"
             "</v:shape></w:pict></w:r></w:p></w:body></w:document>"},
            {"word/glossary/document.xml",
                "<w:glossaryDocument><w:docParts><w:docPart><w:docPartBody>"
                "<w:p><w:r><w:t>Click to enter a date.</w:t></w:r></w:p>"
                "</w:docPartBody></w:docPart></w:docParts>"
                "</w:glossaryDocument>"}},
        {"]\nAB\n\n\nImg 1\nSECRET map\nhttp://x.example/a&b\nscan.png\n",
            "[8 attachment/word/glossary/document.xml]\nClick to enter a "
            "date.\n"},
        "SECRET map\nSECRET map"},
    {"pptx-comment-authors",
        {{"ppt/commentAuthors.xml",
             "<p:cmAuthorLst><p:cmAuthor id=\"3\" name=\"Doe, J&amp;J\" "
             "initials=\"JD\"/><p:cmAuthor id=\"5\" name=\"Bad&#0;\"/>"
             "<p:cmAuthor id=\"4\" name=\"Nobody\"/>"
             "</p:cmAuthorLst>"},
            {"ppt/comments/comment1.xml",
                "<p:cmLst><p:cm authorId=\"3\" idx=\"1\"><p:text>Looks "
                "SECRET</p:text></p:cm><p:cm authorId=\"4\"><p:text>ok"
                "</p:text></p:cm><p:cm authorId=\"9\"><p:text>who"
                "</p:text></p:cm><p:cm authorId=\"5\"><p:text>x</p:text>"
                "</p:cm></p:cmLst>"}},
        {"]\nDoe, J&J (JD)Looks SECRET\nNobody:ok\nwho\nx\n"}},
    {"altchunk-html-and-mht",
        {{"word/_rels/document.xml.rels",
             "<Relationships><Relationship Id=\"c1\" Type=\"http://"
             "schemas.openxmlformats.org/officeDocument/2006/relationships/"
             "aFChunk\" Target=\"chunk.html\"/><Relationship Id=\"c2\" "
             "Type=\"http://x/aFChunk\" Target=\"/word/part2.mht\"/>"
             "</Relationships>"},
            {"word/document.xml",
                "<w:document><w:body><w:altChunk r:id=\"c1\"/><w:altChunk "
                "r:id=\"c2\"/></w:body></w:document>"},
            {"word/chunk.html",
                "<html><body><p>HTML SECRET chunk</p></body></html>"},
            {"word/part2.mht",
                "From: <a@example.org>\r\nSubject: import\r\nMIME-Version: "
                "1.0\r\nContent-Type: text/html\r\n\r\n<html><body><p>MHT "
                "SECRET chunk</p></body></html>\r\n"}},
        {"attachment/word/chunk.html]\nHTML SECRET chunk", "MHT SECRET chunk"}},
    {"xlsx-dde-link-and-iso-date",
        {{"xl/externalLinks/externalLink1.xml",
             "<externalLink><ddeLink ddeService=\"cmd\" ddeTopic=\"/c "
             "calc.exe\"><ddeItems><ddeItem name=\"A0\"/></ddeItems>"
             "</ddeLink></externalLink>"},
            {"xl/styles.xml", "<styleSheet><cellXfs><xf numFmtId=\"0\"/><xf "
                              "numFmtId=\"14\"/></cellXfs></styleSheet>"},
            {"xl/worksheets/sheet1.xml",
                "<worksheet><sheetData><row><c s=\"1\"><v>43363</v></c>"
                "</row></sheetData></worksheet>"}},
        {"cmd|'/c calc.exe'\n", "43363 9/20/18 2018-09-20\t"}},
    {"xml-edge-cases",
        {{"word/document.xml",
            "<!DOCTYPE x [<!ENTITY e \"BOOM\">]><w:document><!-- <w:t>no"
            "</w:t> --><w:p a=\"x>y\" b='<'><w:r><w:t><![CDATA[<raw>&amp;]]>"
            "&#x53;&#69;C</w:t></w:r></w:p><?pi <w:t>no</w:t>?></w:document>"}},
        {"]\n<raw>&amp;SEC\n"}, "no"},
    {"truncated-xml",
        {{"word/document.xml", "<w:document><w:p><w:r><w:t>kept</w:t><w:r"}},
        {"kept", "unscanned attachment/word/document.xml malformed"}},
    {"xlsb-binary", {{"xl/workbook.bin", "\x01\x02"}},
        {"unscanned attachment unsupported"}},
    {"xlsb-sheet-binary", {{"xl/worksheets/sheet1.bin", "\x01\x02"}},
        {"unscanned attachment unsupported"}},
    /* Excel writes its printer settings as a binary part in an
     * ordinary xlsx: not an unreadable workbook (it was held as one). */
    {"xlsx-printer-settings",
        {{"xl/sharedStrings.xml",
             "<sst><si><t>quarterly figures</t></si></sst>"},
            {"xl/printerSettings/printerSettings1.bin", "\x00\x01printer"}},
        {"quarterly figures"}, "unsupported"},
};

static void
run(const uint8_t *p, size_t len, struct du_sink *d)
{
	CHECK_INT(dlp_extract_ooxml(&d->x, "attachment", p, len, 1), DLP_OK);
}

TEST(ooxml_table)
{
	size_t i, k, n;
	struct du_zip z;
	struct du_sink d;

	for (i = 0; i < DLP_NITEMS(cases); i++) {
		for (n = 0; n < 4 && cases[i].parts[n].name != NULL; n++)
			;
		du_zip(cases[i].parts, n, &z);
		du_init(&d, &test_mem);
		run(z.p, z.len, &d);
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

struct badcase {
	const char *name;
	const char *data;
	size_t len;
	const char *want;
};

TEST(ooxml_not_a_zip)
{
	static const struct badcase bad[] = {
	    {"empty", "", 0, "unscanned attachment malformed"},
	    {"garbage", "PK\003\004garbage", 11,
	        "unscanned attachment malformed"},
	};
	struct du_sink d;
	size_t i;

	for (i = 0; i < DLP_NITEMS(bad); i++) {
		du_init(&d, &test_mem);
		run((const uint8_t *)bad[i].data, bad[i].len, &d);
		CHECK_MSG(du_has(&d, bad[i].want), "%s: %s", bad[i].name,
		    d.log.p ? (char *)d.log.p : "");
		du_fini(&d);
	}
}

TEST(ooxml_limits)
{
	static const struct du_part p[] = {{"word/document.xml",
	    "<w:document><w:p><w:r><w:t>0123456789012345678901234567890123"
	    "456789</w:t></w:r></w:p></w:document>"}};
	struct du_zip z;
	struct du_sink d;

	du_zip(p, 1, &z);
	du_init(&d, &test_mem);
	d.limits.max_entry_bytes = 20;
	run(z.p, z.len, &d);
	CHECK(du_has(&d, "unscanned attachment/word/document.xml limit"));
	CHECK(!du_has(&d, "0123"));
	du_fini(&d);
	du_init(&d, &test_mem);
	d.budget.expanded_left = 10;
	run(z.p, z.len, &d);
	CHECK(du_has(&d, "unscanned attachment/word/document.xml limit"));
	du_fini(&d);
	free(z.p);
}

TEST(xml_depth_limit)
{
	struct dlp_xml_handler h = {NULL, NULL, NULL, NULL};
	struct dlp_buf b;
	const char *bad;
	int i;

	dlp_buf_init(&b, &test_mem);
	for (i = 0; i < DLP_XML_MAX_DEPTH + 1; i++)
		dlp_buf_puts(&b, "<a>");
	CHECK_INT(dlp_xml_parse(b.p, b.len, &h, &bad), DLP_OK);
	CHECK_STR(bad, "limit");
	dlp_buf_reset(&b);
	for (i = 0; i < DLP_XML_MAX_DEPTH; i++)
		dlp_buf_puts(&b, "<a>");
	CHECK_INT(dlp_xml_parse(b.p, b.len, &h, &bad), DLP_OK);
	CHECK(bad == NULL);
	dlp_buf_fini(&b);
}

/*
 * Workbooks Excel saved with printer settings (a binary part in most
 * xlsx files) are read, not reported as unreadable xlsb: Tika's test
 * workbooks that carry printerSettings parts. Skips without the
 * corpus.
 */
TEST(ooxml_corpus_printer_settings)
{
	static const char *const files[] = {"testComment.xlsx",
	    "testEXCEL_headers_footers.xlsx", "test-columnar.xlsx",
	    "protectedSheets.xlsx"};
	unsigned char *p;
	struct du_sink d;
	size_t i, len;

	for (i = 0; i < DLP_NITEMS(files); i++) {
		if ((p = test_tika_file("microsoft", files[i], &len)) == NULL)
			TEST_SKIP("corpus file absent");
		du_init(&d, &test_mem);
		run(p, len, &d);
		CHECK_MSG(!du_has(&d, "unsupported"), "%s:\n%s", files[i],
		    d.log.p ? (char *)d.log.p : "");
		du_fini(&d);
		free(p);
	}
	CHECK_INT(test_live(), 0);
}

TEST(ooxml_oom_sweep)
{
	struct du_zip z;
	size_t np, i;

	for (i = 0; i < DLP_NITEMS(cases); i++) {
		for (np = 0; np < 4 && cases[i].parts[np].name != NULL; np++)
			;
		du_zip(cases[i].parts, np, &z);
		CHECK_MSG(
		    du_oom_sweep(dlp_extract_ooxml, z.p, z.len, 500) < 500,
		    "%s", cases[i].name);
		free(z.p);
	}
}

DU_CORPUS_TESTS(ooxml, dlp_extract_ooxml, {"docx", "xlsx", "pptx", NULL})

TEST_MAIN()
