/*
 * test_evasion.c - content dressed up to slip past the scanner, through
 * dlp_scan_message() with the shipped signatures, to an external
 * recipient. Each case is either detected at the expected level or
 * reported unscanned with the expected why: never allowed by omission.
 * A case the engine does not handle yet asserts today's documented
 * behaviour (docs/robustness.md, "Known gaps") and says so.
 */
#include "attach_util.h"
#include "msg_util.h"

/*
 * GAP: a known gap (docs/robustness.md): the case asserts what the engine
 * does today, allow at level 0, so that a fix shows up as a failure here
 * and the row moves to DETECT.
 */
enum want { DETECT, UNSCANNED, GAP };

struct ecase {
	const char *name;
	const char *headers; /* extra header lines, or NULL */
	const char *body;    /* text/plain body, or the attachment's text */
	/* Attachment (NULL: none): how the body is turned into bytes. */
	const char *att;
	enum want want;
	unsigned level;  /* DETECT: the level found */
	const char *why; /* UNSCANNED: the why */
};

/* OFFICIAL-SENSITIVE is level 2, SECRET//NOFORN 4, TOP SECRET 5. */
static const struct ecase cases[] = {
    {"qp soft breaks", "Content-Transfer-Encoding: quoted-printable\n",
        "SEC=\nRET//NO=\nFORN\n", NULL, DETECT, 4, NULL},
    {"qp encoded letters", "Content-Transfer-Encoding: quoted-printable\n",
        "=53=45=43=52=45=54//NOFORN\n", NULL, DETECT, 4, NULL},
    {"html tags inside the word", "Content-Type: text/html\n",
        "<p>SEC<b></b>RET//<span>NO</span>FORN</p>\n", NULL, DETECT, 4, NULL},
    {"html decimal entity", "Content-Type: text/html\n",
        "<p>&#83;ECRET//NOFORN</p>\n", NULL, DETECT, 4, NULL},
    {"html hex entity and comment", "Content-Type: text/html\n",
        "<p>&#x53;EC<!-- x -->RET//NOFORN</p>\n", NULL, DETECT, 4, NULL},
    {"html non-breaking hyphen entity", "Content-Type: text/html\n",
        "<p>OFFICIAL&#8209;SENSITIVE</p>\n", NULL, DETECT, 2, NULL},
    {"zero-width space", "Content-Type: text/plain; charset=utf-8\n",
        "SE\xe2\x80\x8b"
        "CRET//NO\xe2\x80\x8c"
        "FORN\n",
        NULL, DETECT, 4, NULL},
    {"soft hyphen and word joiner", "Content-Type: text/plain; charset=utf-8\n",
        "SEC\xc2\xadRET//NO\xe2\x81\xa0"
        "FORN\n",
        NULL, DETECT, 4, NULL},
    {"en dash", "Content-Type: text/plain; charset=utf-8\n",
        "OFFICIAL\xe2\x80\x93SENSITIVE\n", NULL, DETECT, 2, NULL},
    {"non-breaking hyphen", "Content-Type: text/plain; charset=utf-8\n",
        "OFFICIAL\xe2\x80\x91SENSITIVE\n", NULL, DETECT, 2, NULL},
    {"cyrillic dze and ie", "Content-Type: text/plain; charset=utf-8\n",
        "\xd0\x85\xd0\x95"
        "CRET//NOFORN\n",
        NULL, DETECT, 4, NULL},
    {"greek tau omicron rho", "Content-Type: text/plain; charset=utf-8\n",
        "\xce\xa4\xce\x9f\xce\xa1 SECRET//NOFORN\n", NULL, DETECT, 5, NULL},
    {"fullwidth letters", "Content-Type: text/plain; charset=utf-8\n",
        "\xef\xbc\xb3\xef\xbc\xa5\xef\xbc\xa3RET//NOFORN\n", NULL, DETECT, 4,
        NULL},
    {"rfc 2047 split subject",
        "Subject: =?utf-8?q?SEC?= =?utf-8?b?UkVULy9OT0ZPUk4=?=\n", "hello\n",
        NULL, DETECT, 4, NULL},
    {"base64 body", "Content-Transfer-Encoding: base64\n",
        "U0VDUkVULy9OT0ZPUk4K\n", NULL, DETECT, 4, NULL},
    {"html hidden text", "Content-Type: text/html\n",
        "<p style=\"display:none\">SECRET//NOFORN</p><p>hi</p>\n", NULL, DETECT,
        4, NULL},
    {"html image alt text", "Content-Type: text/html\n",
        "<img src=\"cid:x\" alt=\"SECRET//NOFORN\">\n", NULL, DETECT, 4, NULL},
    {"utf-7 charset", "Content-Type: text/plain; charset=utf-7\n",
        "+AFMARQBDAFIARQBU-//NOFORN\n", NULL, DETECT, 4, NULL},
    {"utf-16 body",
        "Content-Type: text/plain; charset=utf-16be\n"
        "Content-Transfer-Encoding: base64\n",
        "AFMARQBDAFIARQBUAC8ALwBOAE8ARgBPAFIATgAK\n", NULL, DETECT, 4, NULL},
    /* Known gap: letters spaced apart are words of one letter to the
     * signatures. */
    {"letter-spaced", NULL, "S E C R E T//NOFORN\n", NULL, GAP, 0, NULL},
    {"pdf glyph positioning", NULL, "SECRET//NOFORN", "pdf-tj", DETECT, 4,
        NULL},
    /* Known gap: glyph gaps as wide as a space come out of poppler as
     * spaces, which is the letter-spaced case again. */
    {"pdf glyph gaps of a space", NULL, "SECRET//NOFORN", "pdf-wide", GAP, 0,
        NULL},
    {"declared as an image", NULL, "SECRET//NOFORN\n", "txt-as-png", DETECT, 4,
        NULL},
    {"utf-16 text attachment", NULL, "SECRET//NOFORN\n", "utf16", DETECT, 4,
        NULL},
    {"word runs split", NULL, "SECRET//NOFORN", "docx-runs", DETECT, 4, NULL},
    {"word footer only", NULL, "SECRET//NOFORN", "docx-footer", DETECT, 4,
        NULL},
    {"document metadata only", NULL, "SECRET//NOFORN", "docx-core", DETECT, 4,
        NULL},
    {"zip called .txt", NULL, "SECRET//NOFORN\n", "zip-as-txt", DETECT, 4,
        NULL},
    {"concatenated zip", NULL, "SECRET//NOFORN\n", "zip-concat", DETECT, 4,
        NULL},
    {"encrypted zip", NULL, "SECRET//NOFORN\n", "zip-encrypted", UNSCANNED, 0,
        "encrypted"},
};

#define W                                                                      \
	"xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/"   \
	"main\""
static const char ctypes[] =
    "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/"
    "package/2006/content-types\"><Override PartName=\"/word/document.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument."
    "wordprocessingml.document.main+xml\"/></Types>";

static unsigned char *
docx(const char *part, const char *xml, size_t *len)
{
	static const char empty[] = "<?xml version=\"1.0\"?><w:document " W
	                            "><w:body><w:p><w:r><w:t>hello</w:t></w:r>"
	                            "</w:p></w:body></w:document>";
	struct fentry e[3] = {{"[Content_Types].xml", ctypes, strlen(ctypes)},
	    {"word/document.xml", empty, strlen(empty)},
	    {part, xml, strlen(xml)}};

	/* The document itself replaces the placeholder. */
	if (strcmp(part, "word/document.xml") == 0) {
		e[1].data = xml;
		e[1].len = strlen(xml);
		return make_archive(
		    archive_write_set_format_zip, NULL, NULL, e, 2, len);
	}
	return make_archive(
	    archive_write_set_format_zip, NULL, NULL, e, 3, len);
}

/* The attachment bytes, its file name and declared type. */
static unsigned char *
make_att(
    const struct ecase *c, size_t *len, const char **name, const char **type)
{
	char xml[1024];
	unsigned char *b, *z2;
	size_t l2;
	struct fentry e = {"doc.txt", c->body, strlen(c->body)};

	*type = "application/vnd.openxmlformats-officedocument."
	        "wordprocessingml.document";
	*name = "report.docx";
	if (strcmp(c->att, "utf16") == 0) {
		size_t n = strlen(c->body);

		b = malloc(2 * n + 2);
		b[0] = 0xff, b[1] = 0xfe;
		for (size_t i = 0; i < n; i++)
			b[2 + 2 * i] = (unsigned char)c->body[i],
			          b[3 + 2 * i] = 0;
		*len = 2 * n + 2;
		*name = "notes.txt";
		*type = "text/plain; charset=utf-16";
		return b;
	}
	if (strcmp(c->att, "docx-runs") == 0) {
		snprintf(xml, sizeof(xml),
		    "<?xml version=\"1.0\"?><w:document " W
		    "><w:body><w:p><w:r>"
		    "<w:t>SEC</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>RET//"
		    "</w:t></w:r><w:proofErr/><w:r><w:t>NOFORN</w:t></w:r></"
		    "w:p>"
		    "</w:body></w:document>");
		return docx("word/document.xml", xml, len);
	}
	if (strcmp(c->att, "docx-footer") == 0) {
		snprintf(xml, sizeof(xml),
		    "<w:ftr " W "><w:p><w:r><w:t>%s</w:t></w:r></w:p></w:ftr>",
		    c->body);
		return docx("word/footer1.xml", xml, len);
	}
	if (strcmp(c->att, "docx-core") == 0) {
		snprintf(xml, sizeof(xml),
		    "<?xml version=\"1.0\"?><cp:coreProperties "
		    "xmlns:cp=\"http://"
		    "schemas.openxmlformats.org/package/2006/metadata/core-"
		    "properties\" "
		    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
		    "<dc:title>%s</dc:title></cp:coreProperties>",
		    c->body);
		return docx("docProps/core.xml", xml, len);
	}
	if (strcmp(c->att, "pdf-tj") == 0) {
		unsigned char *p = mu_pdf(") Tj [(SEC) -20 (RET//) 15 (NO) "
		                          "-30 (FORN)] TJ (",
		    0, len);

		*name = "r.pdf";
		*type = "application/pdf";
		return p;
	}
	if (strcmp(c->att, "pdf-wide") == 0) {
		unsigned char *p =
		    mu_pdf(") Tj [(S) -400 (E) -400 (C) -400 (R) "
		           "-400 (E) -400 (T//NOFORN)] TJ (",
		        0, len);

		*name = "r.pdf";
		*type = "application/pdf";
		return p;
	}
	if (strcmp(c->att, "txt-as-png") == 0) {
		*len = strlen(c->body);
		*name = "photo.png";
		*type = "image/png";
		b = malloc(*len);
		memcpy(b, c->body, *len);
		return b;
	}
	*name = "a.zip";
	*type = "application/zip";
	if (strcmp(c->att, "zip-as-txt") == 0) {
		*name = "notes.txt";
		*type = "text/plain";
		return make_archive(
		    archive_write_set_format_zip, NULL, NULL, &e, 1, len);
	}
	if (strcmp(c->att, "zip-encrypted") == 0)
		return make_archive(archive_write_set_format_zip, NULL,
		    "zip:encryption=zipcrypt", &e, 1, len);
	/* zip-concat: a harmless zip, then one with the marking. */
	{
		struct fentry h = {"hello.txt", "hello\n", 6};

		b = make_archive(
		    archive_write_set_format_zip, NULL, NULL, &h, 1, len);
		z2 = make_archive(
		    archive_write_set_format_zip, NULL, NULL, &e, 1, &l2);
		if (b == NULL || z2 == NULL ||
		    (b = realloc(b, *len + l2)) == NULL) {
			free(z2);
			return NULL;
		}
		memcpy(b + *len, z2, l2);
		*len += l2;
		free(z2);
		return b;
	}
}

TEST(evasions)
{
	struct dlp_engine *e = mu_engine(NULL, NULL);
	struct dlp_scan *s = NULL;

	CHECK(e != NULL && dlp_scan_new(e, &s) == DLP_OK);
	for (size_t i = 0; s != NULL && i < DLP_NITEMS(cases); i++) {
		const struct ecase *c = &cases[i];
		struct mu_str m = {0};
		struct dlp_result *r;
		char *msg;
		size_t len;

		if (c->att == NULL) {
			mu_puts(
			    &m, "From: a@corp.example\nTo: x@example.org\n");
			if (c->headers == NULL ||
			    strncmp(c->headers, "Subject:", 8) != 0)
				mu_puts(&m, "Subject: report\n");
			if (c->headers != NULL)
				mu_puts(&m, c->headers);
			mu_puts(&m, "\n");
			mu_puts(&m, c->body);
			msg = m.p;
			len = m.len;
		} else {
			const char *name, *type;
			size_t blen;
			unsigned char *b = make_att(c, &blen, &name, &type);

			CHECK_MSG(b != NULL, "%s: no attachment", c->name);
			if (b == NULL)
				continue;
			msg = mu_message(
			    "see attached", name, type, b, blen, &len);
			free(b);
		}
		r = mu_scan(s, msg, len);
		CHECK_MSG(r != NULL, "%s: no result", c->name);
		if (r != NULL) {
			const char *u = dlp_result_nunscanned(r) > 0
			                    ? dlp_result_unscanned(r, 0)->why
			                    : "-";

			printf("  %-32s %s level %u, unscanned %zu (%s)\n",
			    c->name, dlp_verdict_name(dlp_result_verdict(r)),
			    dlp_result_level(r), dlp_result_nunscanned(r), u);
			if (c->want == GAP) {
				CHECK_MSG(dlp_result_verdict(r) == DLP_ALLOW &&
				              dlp_result_level(r) == 0,
				    "%s: the known gap changed: update "
				    "docs/robustness.md and this row",
				    c->name);
				goto next;
			}
			CHECK_MSG(dlp_result_verdict(r) != DLP_ALLOW,
			    "%s: allowed", c->name);
			if (c->want == DETECT)
				CHECK_MSG(dlp_result_level(r) == c->level &&
				              dlp_result_nfindings(r) > 0,
				    "%s: level %u, want %u", c->name,
				    dlp_result_level(r), c->level);
			else
				CHECK_MSG(mu_unscanned(r, c->why, NULL),
				    "%s: not unscanned %s", c->name, c->why);
		}
	next:
		dlp_result_free(r);
		free(msg);
	}
	dlp_scan_free(s);
	dlp_engine_free(e);
}

TEST_MAIN()
