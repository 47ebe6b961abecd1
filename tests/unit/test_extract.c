/*
 * test_extract.c - the object dispatcher: where each type goes, type
 * mismatch findings, the depth and time limits, text in any charset.
 */
#define _POSIX_C_SOURCE 200809L
#include "attach_util.h"

#define B(s) (const uint8_t *)(s), sizeof(s) - 1

static enum dlp_status
run(struct rsink *r, const char *name, const char *type, const uint8_t *d,
    size_t len)
{
	return dlp_extract_object(&r->x, "attachment:x", name, type, d, len, 1);
}

/* Types no document extractor is involved in: exact outcomes. */
static const struct {
	const char *label;
	const uint8_t *data;
	size_t len;
	const char *want;
} dispatch[] = {
    {"plain text", B("The SECRET plan\n"),
        "text 8 attachment:x The SECRET plan"},
    {"html", B("<html><body><p>SECRET</p></body></html>"), "SECRET"},
    {"utf-16le", B("\xFF\xFES\0E\0C\0R\0E\0T\0"), "text 8 attachment:x SECRET"},
    {"utf-16be bare", B("\0S\0E\0C\0R\0E\0T\0 \0x\0y"),
        "text 8 attachment:x SECRET xy"},
    {"utf-8 bom", B("\xEF\xBB\xBFSECRET"), "text 8 attachment:x SECRET"},
    {"png", B("\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIHDR"),
        "finding attachment:x image 0 image/png"},
    {"jpeg", B("\xFF\xD8\xFF\xE0\x00\x10JFIF"),
        "finding attachment:x image 0 image/jpeg"},
    {"mp3", B("ID3\x03\x00\x00\x00\x00\x00\x00"),
        "finding attachment:x media 0 audio/mpeg"},
    {"elf",
        B("\x7F"
          "ELF\x02\x01\x01\x00"),
        "unscanned attachment:x unsupported executable elf"},
    {"pe", B("MZ\x90\x00\x03\x00\x00\x00"),
        "unscanned attachment:x unsupported executable pe"},
    {"pgp", B("-----BEGIN PGP MESSAGE-----\n\nhQEMA"),
        "unscanned attachment:x encrypted pgp"},
    {"pkcs7",
        B("\x30\x80\x06\x09\x2A\x86\x48\x86\xF7\x0D\x01\x07\x03\xA0\x80"
          "\x00"),
        "unscanned attachment:x encrypted pkcs7"},
    {"binary", B("\x01\x02\x03\x04\x05\x06\x07\x08\x0E\x0F\x10\x11\x12"),
        "unscanned attachment:x unsupported no reader for"},
    {"gzip garbage", B("\x1F\x8B\x08\x00garbage-garbage"),
        "unscanned attachment:x malformed"},
};

TEST(extract_dispatch)
{
	for (size_t i = 0; i < DLP_NITEMS(dispatch); i++) {
		struct rsink r;

		rsink_init(&r, &test_mem);
		CHECK_INT(
		    run(&r, NULL, NULL, dispatch[i].data, dispatch[i].len),
		    DLP_OK);
		CHECK_MSG(test_sink_has(&r.t, dispatch[i].want),
		    "%s: want \"%s\" in:\n%s", dispatch[i].label,
		    dispatch[i].want, rsink_log(&r));
		rsink_fini(&r);
	}
	CHECK_INT(test_live(), 0);
}

/* Encrypted OOXML: OLE2 holding EncryptedPackage. */
TEST(extract_encrypted_ooxml)
{
	unsigned char d[1536];
	struct rsink r;
	static const char name[] = "EncryptedPackage";

	memset(d, 0, sizeof(d));
	memcpy(d, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
	d[0x1E] = 9, d[0x30] = 1;
	memset(d + 0x4C, 0xFF, 109 * 4);
	memset(d + 0x4C, 0, 4);
	memset(d + 512, 0xFF, 512);
	memcpy(d + 512, "\xFD\xFF\xFF\xFF\xFE\xFF\xFF\xFF", 8);
	for (size_t c = 0; c < sizeof(name) - 1; c++)
		d[1024 + 2 * c] = (unsigned char)name[c];
	d[1024 + 0x40] = sizeof(name) * 2;
	rsink_init(&r, &test_mem);
	CHECK_INT(run(&r, "pay.docx", NULL, d, sizeof(d)), DLP_OK);
	CHECK_MSG(test_sink_has(&r.t, "unscanned attachment:x encrypted "
	                              "ooxml-encrypted"),
	    "%s", rsink_log(&r));
	/* Named .docx but an OLE2 file: a note, not a hidden archive. */
	CHECK(test_sink_has(&r.t, "type-mismatch 1"));
	rsink_fini(&r);
}

/* Document types reach a document stage, never the binary fallback. */
TEST(extract_documents_dispatched)
{
	static const struct {
		const uint8_t *d;
		size_t len;
	} docs[] = {
	    {B("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")},
	    {B("{\\rtf1\\ansi SECRET}")},
	    {B("\x78\x9F\x3E\x22\x01\x00\x01\x06\x90\x08\x00")},
	    {B("From: a@b.example\r\nTo: c@d.example\r\nSubject: s\r\n\r\nhi")},
	};

	for (size_t i = 0; i < DLP_NITEMS(docs); i++) {
		struct rsink r;

		rsink_init(&r, &test_mem);
		CHECK_INT(run(&r, NULL, NULL, docs[i].d, docs[i].len), DLP_OK);
		CHECK_MSG(!test_sink_has(&r.t, "no reader for") &&
		              !test_sink_has(&r.t, "executable"),
		    "case %zu: %s", i, rsink_log(&r));
		CHECK_MSG(r.t.log.len > 0, "case %zu: nothing reported", i);
		rsink_fini(&r);
	}
}

static const struct {
	const char *label;
	const uint8_t *data;
	size_t len;
	const char *name, *type;
	int level; /* -1: no finding */
} mismatch[] = {
    {"txt is zip", B("PK\3\4\x14\x00\x00\x00\x00\x00"), "report.txt", NULL, 2},
    {"pdf is exe", B("MZ\x90\x00\x03\x00\x00\x00"), "brief.pdf", NULL, 2},
    {"jpg is elf",
        B("\x7F"
          "ELF\x02\x01\x01\x00"),
        "cat.jpg", NULL, 2},
    {"declared pdf is gzip", B("\x1F\x8B\x08\x00\x00\x00\x00\x00\x00\x03"),
        NULL, "application/pdf", 2},
    {"doc is rtf", B("{\\rtf1 x}"), "letter.doc", NULL, 1},
    {"pdf is text", B("just words here\n"), "scan.pdf", NULL, 1},
    {"declared text is png", B("\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIHDR"), NULL,
        "text/plain", 1},
    {"txt is text", B("just words\n"), "notes.txt", "text/plain", -1},
    {"csv declared text", B("a,b\n1,2\n"), "t.csv", "text/plain", -1},
    {"png is jpeg", B("\xFF\xD8\xFF\xE0\x00\x10JFIF"), "p.png", "image/png",
        -1},
    {"unknown ext",
        B("\x7F"
          "ELF\x02\x01\x01\x00"),
        "blob.dat", "application/octet-stream", -1},
    {"zip named zip", B("PK\3\4\x14\x00\x00\x00\x00\x00"), "a.zip",
        "application/zip", -1},
    {"tgz", B("\x1F\x8B\x08\x00\x00\x00\x00\x00\x00\x03"), "a.tar.gz", NULL,
        -1},
    {"html declared", B("<html>x</html>"), "a.htm", "text/html", -1},
    {"eml as txt", B("From: a@b\r\nTo: c@d\r\nSubject: x\r\n\r\nhi"), "m.txt",
        NULL, -1},
};

TEST(extract_type_mismatch)
{
	for (size_t i = 0; i < DLP_NITEMS(mismatch); i++) {
		struct rsink r;
		char want[64];

		rsink_init(&r, &test_mem);
		CHECK_INT(run(&r, mismatch[i].name, mismatch[i].type,
		              mismatch[i].data, mismatch[i].len),
		    DLP_OK);
		if (mismatch[i].level < 0) {
			CHECK_MSG(!test_sink_has(&r.t, "type-mismatch"),
			    "%s: %s", mismatch[i].label, rsink_log(&r));
		} else {
			snprintf(want, sizeof(want),
			    "finding attachment:x type-mismatch %d real",
			    mismatch[i].level);
			CHECK_MSG(test_sink_has(&r.t, want), "%s: want %s: %s",
			    mismatch[i].label, want, rsink_log(&r));
		}
		rsink_fini(&r);
	}
}

TEST(extract_depth_limit)
{
	struct rsink r;

	rsink_init(&r, &test_mem);
	r.t.limits.max_depth = 3;
	CHECK_INT(dlp_extract_object(
	              &r.x, "attachment:x", NULL, NULL, B("SECRET text"), 3),
	    DLP_OK);
	CHECK(test_sink_has(&r.t, "text 8 attachment:x SECRET"));
	CHECK_INT(dlp_extract_object(
	              &r.x, "attachment:y", NULL, NULL, B("SECRET text"), 4),
	    DLP_OK);
	CHECK(test_sink_has(&r.t, "unscanned attachment:y limit nesting"));
	CHECK(!test_sink_has(&r.t, "text 8 attachment:y"));
	rsink_fini(&r);
}

TEST(extract_deadline)
{
	struct rsink r;

	rsink_init(&r, &test_mem);
	r.t.budget.deadline_ns = 1; /* long past */
	CHECK_INT(run(&r, NULL, NULL, B("SECRET")), DLP_OK);
	CHECK(test_sink_has(&r.t, "unscanned attachment:x limit scan time"));
	CHECK(!test_sink_has(&r.t, "text "));
	rsink_fini(&r);
}

TEST(extract_charset_param)
{
	struct rsink r;

	rsink_init(&r, &test_mem);
	CHECK_INT(run(&r, "a.txt", "text/plain; charset=\"utf-16le\"",
	              B("S\0E\0C\0R\0E\0T\0")),
	    DLP_OK);
	CHECK_MSG(test_sink_has(&r.t, "text 8 attachment:x SECRET"), "%s",
	    rsink_log(&r));
	rsink_fini(&r);
}

TEST(extract_bad_arguments)
{
	struct rsink r;

	rsink_init(&r, &test_mem);
	CHECK_INT(dlp_extract_object(&r.x, NULL, NULL, NULL, B("x"), 0),
	    DLP_ERR_INVAL);
	CHECK_INT(dlp_extract_object(&r.x, "w", NULL, NULL, NULL, 5, 0),
	    DLP_ERR_INVAL);
	CHECK_INT(
	    dlp_extract_object(&r.x, "w", NULL, NULL, NULL, 0, 0), DLP_OK);
	rsink_fini(&r);
}

TEST(extract_oom)
{
	static const struct {
		const uint8_t *d;
		size_t len;
	} in[] = {
	    {B("<html><p>SECRET</p></html>")},
	    {B("\xFF\xFES\0E\0C\0R\0E\0T\0")},
	    {B("PK\3\4\x14\x00\x00\x00\x00\x00")},
	};

	for (size_t i = 0; i < DLP_NITEMS(in); i++) {
		long base = test_live();
		int done = 0;

		for (unsigned long n = 1; n < 200 && !done; n++) {
			struct rsink r;
			enum dlp_status st;

			rsink_init(&r, &test_mem);
			test_fail_after(n);
			st = run(&r, "f.txt", NULL, in[i].d, in[i].len);
			test_fail_after(0);
			CHECK_MSG(st == DLP_OK || st == DLP_ERR_NOMEM,
			    "case %zu n %lu: %d", i, n, st);
			done = st == DLP_OK && r.x.cs != NULL;
			rsink_fini(&r);
			CHECK_INT(test_live(), base);
		}
		CHECK(done);
	}
}

TEST_MAIN()
