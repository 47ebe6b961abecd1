/*
 * test_pdf.c - PDF text per page, Info/XMP metadata, MSIP label keys,
 * encrypted and corrupt files, the page limit; PDFs are written by the
 * test with a correct xref, the two encrypted ones are committed fixtures
 * (tests/fixtures/make-encrypted-pdf.sh makes them). The raw object
 * reader (pdfobj.c): XFA forms, document JavaScript, object streams,
 * damaged files and its limits, on PDFs written by the test with streams
 * compressed by zlib here. Page text in content-stream order
 * (pdf_text.c): kerning, spacing, columns, rotation, fonts and encodings,
 * forms, limits, and when extract_pdf.c reports it. Ends with the Tika
 * corpus check for pdf.
 */
#define _GNU_SOURCE
#include <zlib.h>

#include "doc_util.h"
#include "pdfobj.h"

/* Write a PDF: npages pages showing text, an optional Info dictionary. */
static void
make_pdf(struct dlp_buf *b, const char *text, size_t npages, const char *info)
{
	size_t off[8], i, nobj = info != NULL ? 6 : 5, xref;
	struct dlp_buf kids;
	char content[512];

	dlp_buf_init(&kids, b->mem);
	snprintf(content, sizeof(content), "BT /F1 12 Tf 72 712 Td (%s) Tj ET",
	    text);
	dlp_buf_puts(b, "%PDF-1.4\n");
	off[1] = b->len;
	dlp_buf_puts(b, "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n");
	for (i = 0; i < npages; i++)
		dlp_buf_printf(&kids, "%zu 0 R ", 10 + i);
	off[2] = b->len;
	dlp_buf_printf(b,
	    "2 0 obj << /Type /Pages /Kids [%s] /Count %zu >> endobj\n",
	    (char *)kids.p, npages);
	off[3] = b->len;
	dlp_buf_puts(b, "3 0 obj << /Type /Font /Subtype /Type1 /BaseFont "
	                "/Helvetica >> endobj\n");
	off[4] = b->len;
	dlp_buf_printf(b,
	    "4 0 obj << /Length %zu >> stream\n%s\nendstream "
	    "endobj\n",
	    strlen(content), content);
	off[5] = b->len;
	dlp_buf_puts(b, "5 0 obj << /ProcSet [/PDF /Text] /Font << /F1 3 0 R "
	                ">> >> endobj\n");
	if (info != NULL) {
		off[6] = b->len;
		dlp_buf_printf(b, "6 0 obj << %s >> endobj\n", info);
	}
	/* pages are objects 10.. ; the xref lists 0..nobj then 10.. */
	{
		size_t *poff = calloc(npages, sizeof(*poff));
		for (i = 0; i < npages; i++) {
			poff[i] = b->len;
			dlp_buf_printf(b,
			    "%zu 0 obj << /Type /Page /Parent 2 0 R /MediaBox "
			    "[0 0 612 792] /Contents 4 0 R /Resources 5 0 R >> "
			    "endobj\n",
			    10 + i);
		}
		xref = b->len;
		dlp_buf_printf(
		    b, "xref\n0 %zu\n0000000000 65535 f \n", nobj + 1);
		for (i = 1; i <= nobj; i++)
			dlp_buf_printf(b, "%010zu 00000 n \n", off[i]);
		dlp_buf_printf(b, "10 %zu\n", npages);
		for (i = 0; i < npages; i++)
			dlp_buf_printf(b, "%010zu 00000 n \n", poff[i]);
		free(poff);
	}
	dlp_buf_printf(b,
	    "trailer << /Size %zu /Root 1 0 R %s >>\nstartxref\n%zu\n%%%%EOF\n",
	    10 + npages, info != NULL ? "/Info 6 0 R" : "", xref);
	dlp_buf_fini(&kids);
}

struct pcase {
	const char *name;
	const char *text;
	size_t npages;
	const char *info;
	const char *want[3];
};

static const struct pcase cases[] = {
    {"one-page", "TOP SECRET STRAP1", 1, NULL,
        {"[8 a/page 1]\nTOP SECRET STRAP1"}},
    {"three-pages", "OFFICIAL", 3, NULL, {"[8 a/page 3]\nOFFICIAL"}},
    {"info-title", "body", 1,
        "/Title (Quarterly plan) /Subject (UK EYES ONLY) "
        "/MSIP_Label_abc-123_Enabled (true) /MSIP_Label_abc-123_Method "
        "/Privileged",
        {"[32 a]\nTitle=Quarterly plan\nSubject=UK EYES ONLY\n",
            "MSIP_Label_abc-123_Enabled=true\nMSIP_Label_abc-123_Method="
            "Privileged\n",
            "[8 a/page 1]\nbody"}},
};

/*
 * The table cases' check: every want[k] (k < n, a NULL ends them early)
 * is in what d recorded, and absent (NULL: nothing) is not.
 */
static void
expect_text(const struct du_sink *d, const char *name, const char *const *want,
    size_t n, const char *absent)
{
	const char *text = d->text.p ? (const char *)d->text.p : "";
	const char *log = d->log.p ? (const char *)d->log.p : "";

	for (size_t k = 0; k < n && want[k] != NULL; k++)
		CHECK_MSG(du_has(d, want[k]), "%s: want \"%s\" in:\n%s%s", name,
		    want[k], text, log);
	if (absent != NULL)
		CHECK_MSG(!du_has(d, absent), "%s: \"%s\" in:\n%s%s", name,
		    absent, text, log);
}

TEST(pdf_table)
{
	struct dlp_buf b;
	struct du_sink d;
	size_t i;

	for (i = 0; i < DLP_NITEMS(cases); i++) {
		dlp_buf_init(&b, &test_mem);
		make_pdf(&b, cases[i].text, cases[i].npages, cases[i].info);
		du_init(&d, &test_mem);
		CHECK_INT(dlp_extract_pdf(&d.x, "a", b.p, b.len, 1), DLP_OK);
		expect_text(&d, cases[i].name, cases[i].want,
		    DLP_NITEMS(cases[i].want), NULL);
		CHECK(d.log.len == 0); /* nothing unscanned */
		du_fini(&d);
		dlp_buf_fini(&b);
	}
	CHECK_INT(test_live(), 0);
}

/*
 * Write a PDF of numbered objects: objs[0] is object 1 (the catalog).
 * "@STREAM text" in an object stands for "/Length N >> stream ... endstream"
 * of that text, so tests need not count bytes.
 */
static void
make_objs(struct dlp_buf *b, const char *const *objs, size_t n)
{
	size_t off[64], i, xref;
	const char *st;

	dlp_buf_puts(b, "%PDF-1.7\n");
	for (i = 0; i < n && i < 64; i++) {
		off[i] = b->len;
		dlp_buf_printf(b, "%zu 0 obj\n", i + 1);
		if ((st = strstr(objs[i], "@STREAM ")) != NULL) {
			dlp_buf_append(b, objs[i], (size_t)(st - objs[i]));
			dlp_buf_printf(b,
			    "/Length %zu >>\nstream\n%s\nendstream",
			    strlen(st + 8), st + 8);
		} else {
			dlp_buf_puts(b, objs[i]);
		}
		dlp_buf_puts(b, "\nendobj\n");
	}
	xref = b->len;
	dlp_buf_printf(b, "xref\n0 %zu\n0000000000 65535 f \n", i + 1);
	for (size_t k = 0; k < i; k++)
		dlp_buf_printf(b, "%010zu 00000 n \n", off[k]);
	dlp_buf_printf(b,
	    "trailer << /Size %zu /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
	    i + 1, xref);
}

#define PAGE_OBJS(annots)                                                      \
	"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",                           \
	    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents "  \
	    "4 0 R /Resources << /Font << /F1 5 0 R >> >> " annots " >>",      \
	    "<< @STREAM BT /F1 12 Tf 72 712 Td (body) Tj ET",                  \
	    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"

struct ocase {
	const char *name;
	const char *objs[12];
	const char *want[4];
	const char *absent;
};

/* What a reader sees: annotations, forms, outline, words kept apart. */
static const struct ocase ocases[] = {
    {"markup-label-subject",
        {"<< /Type /Catalog /Pages 2 0 R >>", PAGE_OBJS("/Annots [6 0 R]"),
            "<< /Type /Annot /Subtype /Text /Rect [10 10 30 30] "
            "/Contents (see annex) /T (j.smith) /Subj (UK EYES ONLY) >>"},
        {"[8 a/page 1]\nbody\nsee annex\nj.smith\nUK EYES ONLY\n"}, NULL},
    {"file-attachment-annotation",
        {"<< /Type /Catalog /Pages 2 0 R >>", PAGE_OBJS("/Annots [6 0 R]"),
            "<< /Type /Annot /Subtype /FileAttachment /Rect [40 40 60 60] "
            "/FS << /Type /Filespec /F (plan.txt) /UF (plan.txt) /EF << /F "
            "7 0 R >> >> >>",
            "<< /Type /EmbeddedFile @STREAM TOP SECRET STRAP1"},
        {"object a/page 1/plan.txt plan.txt - 17 2\n"}, "unscanned"},
    {"choice-field",
        {"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [6 0 R] >> "
         ">>",
            PAGE_OBJS("/Annots [6 0 R]"),
            "<< /Type /Annot /Subtype /Widget /FT /Ch /T (grade) /Opt "
            "[(OFFICIAL) (SECRET)] /V (SECRET) /Rect [100 100 200 120] /P 3 0 "
            "R >>"},
        {"grade: SECRET\n"}, NULL},
    {"text-field",
        {"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [6 0 R] >> "
         ">>",
            PAGE_OBJS("/Annots [6 0 R]"),
            "<< /Type /Annot /Subtype /Widget /FT /Tx /T (owner) /V (NATO "
            "SECRET) /Rect [100 100 200 120] /P 3 0 R >>"},
        {"owner: NATO SECRET\n"}, NULL},
    {"outline",
        {"<< /Type /Catalog /Pages 2 0 R /Outlines 6 0 R >>", PAGE_OBJS(""),
            "<< /Type /Outlines /First 7 0 R /Last 8 0 R /Count 2 >>",
            "<< /Title (Annex A) /Parent 6 0 R /Next 8 0 R /First 9 0 R "
            "/Last 9 0 R /Count 1 >>",
            "<< /Title (Annex B) /Parent 6 0 R /Prev 7 0 R >>",
            "<< /Title (SECRET//NOFORN summary) /Parent 7 0 R >>"},
        {"[8 a/outline]\nAnnex A\nSECRET//NOFORN summary\nAnnex B\n"},
        "unscanned"},
    /* two text boxes side by side: poppler joins their lines unspaced */
    {"columns-spaced",
        {"<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents "
            "4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            "<< @STREAM BT /F1 11 Tf 1 0 0 1 38 738 Tm (Handling UK SECRET) "
            "Tj ET BT /F1 11 Tf 1 0 0 1 38 712 Tm (Owner J Smith) Tj ET BT "
            "/F1 11 Tf 1 0 0 1 294 738 Tm (Page 1 of 2) Tj ET BT /F1 11 Tf 1 "
            "0 0 1 294 712 Tm (Draft copy) Tj ET",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"},
        {"Handling UK SECRET Page 1 of 2\nOwner J Smith Draft copy\n"},
        "SECRETPage"},
};

TEST(pdf_reader_extras)
{
	struct dlp_buf b;
	struct du_sink d;
	size_t i, n;

	for (i = 0; i < DLP_NITEMS(ocases); i++) {
		for (n = 0; n < 12 && ocases[i].objs[n] != NULL; n++)
			;
		dlp_buf_init(&b, &test_mem);
		make_objs(&b, ocases[i].objs, n);
		du_init(&d, &test_mem);
		CHECK_INT(dlp_extract_pdf(&d.x, "a", b.p, b.len, 1), DLP_OK);
		expect_text(&d, ocases[i].name, ocases[i].want,
		    DLP_NITEMS(ocases[i].want), ocases[i].absent);
		du_fini(&d);
		dlp_buf_fini(&b);
	}
	CHECK_INT(test_live(), 0);
}

/* An outline nested deeper than the engine reads: the rest is unscanned. */
TEST(pdf_outline_depth)
{
	const char *objs[64];
	char item[60][128];
	struct dlp_buf b;
	struct du_sink d;
	size_t i, n = 0;

	objs[n++] = "<< /Type /Catalog /Pages 2 0 R /Outlines 6 0 R >>";
	objs[n++] = "<< /Type /Pages /Kids [3 0 R] /Count 1 >>";
	objs[n++] = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>";
	objs[n++] = "<< >>";
	objs[n++] = "<< >>";
	objs[n++] = "<< /Type /Outlines /First 7 0 R /Last 7 0 R >>";
	for (i = 0; i < 40; i++) { /* item i is object 7 + i, level i */
		if (i < 39)
			snprintf(item[i], sizeof(item[i]),
			    "<< /Title (level %zu) /Parent %zu 0 R /First %zu "
			    "0 "
			    "R /Last %zu 0 R /Count 1 >>",
			    i, 6 + i, 8 + i, 8 + i);
		else
			snprintf(item[i], sizeof(item[i]),
			    "<< /Title (level %zu) /Parent %zu 0 R >>", i,
			    6 + i);
		objs[n++] = item[i];
	}
	dlp_buf_init(&b, &test_mem);
	make_objs(&b, objs, n);
	du_init(&d, &test_mem);
	CHECK_INT(dlp_extract_pdf(&d.x, "a", b.p, b.len, 1), DLP_OK);
	CHECK(du_has(&d, "level 0\nlevel 1\n"));
	CHECK(du_has(&d, "level 31\n"));
	CHECK(!du_has(&d, "level 32\n"));
	CHECK_MSG(du_has(&d, "unscanned a/outline limit outline items"), "%s",
	    d.log.p ? (char *)d.log.p : "(nothing unscanned)");
	du_fini(&d);
	dlp_buf_fini(&b);
	CHECK_INT(test_live(), 0);
}

/* The document the engine holds to keep poppler's global state opens. */
TEST(pdf_keep)
{
	struct dlp_pdf_keep *k = dlp_pdf_keep_new();
	struct dlp_buf b;
	struct du_sink d;

	CHECK(k != NULL);
	dlp_buf_init(&b, &test_mem);
	make_pdf(&b, cases[0].text, 1, NULL);
	du_init(&d, &test_mem);
	CHECK_INT(dlp_extract_pdf(&d.x, "a", b.p, b.len, 1), DLP_OK);
	CHECK(du_has(&d, cases[0].want[0]));
	du_fini(&d);
	dlp_buf_fini(&b);
	dlp_pdf_keep_free(k);
	dlp_pdf_keep_free(NULL);
	CHECK_INT(test_live(), 0);
}

TEST(pdf_page_limit)
{
	struct dlp_buf b;
	struct du_sink d;

	dlp_buf_init(&b, &test_mem);
	make_pdf(&b, "x", 2001, NULL);
	du_init(&d, &test_mem);
	CHECK_INT(dlp_extract_pdf(&d.x, "a", b.p, b.len, 1), DLP_OK);
	CHECK(du_has(&d, "a/page 2000]"));
	CHECK(!du_has(&d, "a/page 2001]"));
	CHECK(du_has(&d, "unscanned a limit"));
	du_fini(&d);
	dlp_buf_fini(&b);
}

TEST(pdf_deadline)
{
	struct dlp_buf b;
	struct du_sink d;

	dlp_buf_init(&b, &test_mem);
	make_pdf(&b, "x", 2, NULL);
	du_init(&d, &test_mem);
	d.budget.deadline_ns = 1; /* long past */
	CHECK_INT(dlp_extract_pdf(&d.x, "a", b.p, b.len, 1), DLP_OK);
	CHECK(du_has(&d, "unscanned a limit scan time"));
	CHECK(!du_has(&d, "a/page 1]"));
	du_fini(&d);
	dlp_buf_fini(&b);
}

struct badcase {
	const char *name;
	const char *data;
	const char *want;
};

TEST(pdf_corrupt)
{
	static const struct badcase bad[] = {
	    {"not-pdf", "hello world", "unscanned a malformed"},
	    {"header-only", "%PDF-1.4\n", "unscanned a malformed"},
	    {"garbage-xref", "%PDF-1.4\n1 0 obj << >>\nxref\nzz\ntrailer <<>>",
	        "unscanned a malformed"},
	};
	struct du_sink d;
	size_t i;

	for (i = 0; i < DLP_NITEMS(bad); i++) {
		du_init(&d, &test_mem);
		CHECK_INT(
		    dlp_extract_pdf(&d.x, "a", (const uint8_t *)bad[i].data,
		        strlen(bad[i].data), 1),
		    DLP_OK);
		CHECK_MSG(du_has(&d, bad[i].want), "%s: %s", bad[i].name,
		    d.log.p ? (char *)d.log.p : "(nothing)");
		du_fini(&d);
	}
}

TEST(pdf_encrypted_fixtures)
{
	static const struct {
		const char *file;
		const char *want;
		bool text;
	} fx[] = {
	    {"encrypted-user-password.pdf", "unscanned a encrypted", false},
	    {"encrypted-empty-user-password.pdf", "Encrypt=empty user password",
	        true},
	};
	char path[4096];
	unsigned char *p;
	struct du_sink d;
	size_t i, len;

	for (i = 0; i < DLP_NITEMS(fx); i++) {
		snprintf(path, sizeof(path), "%s/tests/fixtures/%s",
		    test_source_dir(), fx[i].file);
		p = test_read_file(path, &len);
		CHECK_MSG(p != NULL, "%s", path);
		if (p == NULL)
			continue;
		du_init(&d, &test_mem);
		CHECK_INT(dlp_extract_pdf(&d.x, "a", p, len, 1), DLP_OK);
		CHECK_MSG(du_has(&d, fx[i].want), "%s: %s%s", fx[i].file,
		    d.text.p ? (char *)d.text.p : "",
		    d.log.p ? (char *)d.log.p : "");
		CHECK(du_has(&d, "TOP SECRET STRAP1") == fx[i].text);
		du_fini(&d);
		free(p);
	}
}

TEST(pdf_oom_sweep)
{
	struct dlp_buf b;
	struct dlp_mem libc;

	dlp_mem_init_default(&libc);
	dlp_buf_init(&b, &libc);
	make_pdf(&b, cases[2].text, 2, cases[2].info);
	CHECK(du_oom_sweep(dlp_extract_pdf, b.p, b.len, 200) < 200);
	dlp_buf_fini(&b);
}

/* ---- the raw object reader ---- */

/*
 * One object of a raw-reader fixture. With stream set, the object is a
 * stream of that text (zlib-compressed when flate); "@BIG" stands for
 * 2 MiB of spaces. With inner set, it is an object stream holding the
 * objects inner[k] numbered innum[k].
 */
struct robj {
	unsigned num;
	const char *dict;
	const char *stream;
	bool flate;
	const char *inner[3];
	unsigned innum[3];
};

struct rcase {
	const char *name;
	struct robj objs[8];
	const char *trailer; /* NULL: no xref and no trailer at all */
	size_t budget;       /* expanded bytes left; 0 = the default */
	const char *want[4];
	const char *absent;
};

static void
put_stream(
    struct dlp_buf *b, const char *dict, const uint8_t *p, size_t n, bool flate)
{
	uLongf zl = compressBound(n);
	uint8_t *z = malloc(zl);

	if (flate) {
		compress2(z, &zl, p, n, 9);
		p = z;
		n = zl;
	}
	dlp_buf_printf(b, "<< %s%s /Length %zu >>\nstream\n", dict,
	    flate ? " /Filter /FlateDecode" : "", n);
	dlp_buf_append(b, p, n);
	dlp_buf_puts(b, "\nendstream");
	free(z);
}

static void
make_raw(struct dlp_buf *b, const struct rcase *c)
{
	struct dlp_buf in, hdr, body;
	size_t off[8], i, k, xref, n;
	char *big = NULL;
	const struct robj *o;

	dlp_buf_init(&in, b->mem);
	dlp_buf_init(&hdr, b->mem);
	dlp_buf_init(&body, b->mem);
	dlp_buf_puts(b, "%PDF-1.7\n");
	for (i = 0; i < 8 && c->objs[i].num != 0; i++) {
		o = &c->objs[i];
		off[i] = b->len;
		dlp_buf_printf(b, "%u 0 obj\n", o->num);
		if (o->inner[0] != NULL) {
			dlp_buf_reset(&hdr);
			dlp_buf_reset(&body);
			for (k = 0; k < 3 && o->inner[k] != NULL; k++) {
				dlp_buf_printf(
				    &hdr, "%u %zu ", o->innum[k], body.len);
				dlp_buf_printf(&body, "%s\n", o->inner[k]);
			}
			dlp_buf_reset(&in);
			dlp_buf_printf(
			    &in, "/Type /ObjStm /N %zu /First %zu", k, hdr.len);
			dlp_buf_append(&hdr, body.p, body.len);
			put_stream(b, (const char *)in.p, hdr.p, hdr.len, true);
		} else if (o->stream != NULL &&
		           strcmp(o->stream, "@BIG") == 0) {
			n = (size_t)2 << 20;
			big = malloc(n);
			memset(big, ' ', n);
			put_stream(
			    b, o->dict, (const uint8_t *)big, n, o->flate);
			free(big);
		} else if (o->stream != NULL) {
			put_stream(b, o->dict, (const uint8_t *)o->stream,
			    strlen(o->stream), o->flate);
		} else {
			dlp_buf_puts(b, o->dict);
		}
		dlp_buf_puts(b, "\nendobj\n");
	}
	if (c->trailer != NULL) {
		xref = b->len;
		dlp_buf_puts(b, "xref\n0 1\n0000000000 65535 f \n");
		for (k = 0; k < i; k++)
			dlp_buf_printf(b, "%u 1\n%010zu 00000 n \n",
			    c->objs[k].num, off[k]);
		dlp_buf_printf(b,
		    "trailer << /Size 20 %s >>\nstartxref\n%zu\n"
		    "%%%%EOF\n",
		    c->trailer, xref);
	}
	dlp_buf_fini(&in);
	dlp_buf_fini(&hdr);
	dlp_buf_fini(&body);
}

#define RAW_PAGES                                                              \
	{2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"},                      \
	{                                                                      \
		3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"   \
	}

static const char xfa_template[] =
    "<template xmlns=\"http://www.xfa.org/schema/xfa-template/2.8/\">"
    "<subform name=\"form1\"><field name=\"School_Name\"><assist><toolTip>"
    "School Name</toolTip></assist></field><field name=\"Room_1\"><caption>"
    "<value><text>Room [1]</text></value></caption><assist><toolTip>room"
    "</toolTip></assist></field><field name=\"Empty\"/></subform>"
    "</template>";
static const char xfa_datasets[] =
    "<xfa:datasets xmlns:xfa=\"http://www.xfa.org/schema/xfa-data/1.0/\">"
    "<xfa:data><form1><School_Name>my_school</School_Name><Room_1>my_room1"
    "</Room_1><Empty/><Extra>R&amp;D only</Extra></form1></xfa:data>"
    "</xfa:datasets>";
static const char xfa_xdp[] =
    "<?xml version=\"1.0\"?><xdp:xdp xmlns:xdp=\"http://ns.adobe.com/xdp/\">"
    "<template><field name=\"owner\"><caption><value><text>Owner</text>"
    "</value></caption></field></template><xfa:datasets><xfa:data><f>"
    "<owner>NATO SECRET</owner></f></xfa:data></xfa:datasets></xdp:xdp>";

static const struct rcase rcases[] = {
    {"xfa-packets",
        {{1, "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [] /XFA "
             "[(template) 6 0 R (datasets) 7 0 R] >> >>"},
            RAW_PAGES, {6, "", xfa_template, true},
            {7, "", xfa_datasets, false}},
        "/Root 1 0 R", 0,
        {"[8 a/xfa]\nSchool Name: my_school\nRoom [1]: my_room1\nExtra: R&D "
         "only\n"},
        "Empty"},
    {"xfa-one-stream",
        {{1, "<< /Type /Catalog /Pages 2 0 R /AcroForm 4 0 R >>"}, RAW_PAGES,
            {4, "<< /Fields [] /XFA 6 0 R >>"}, {6, "", xfa_xdp, true}},
        "/Root 1 0 R", 0, {"[8 a/xfa]\nOwner: NATO SECRET\n"}, "unscanned"},
    {"javascript",
        {{1, "<< /Type /Catalog /Pages 2 0 R /Names << /JavaScript 6 0 R >> "
             "/OpenAction << /S /JavaScript /JS 8 0 R >> >>"},
            RAW_PAGES, {6, "<< /Names [(init) 7 0 R (utf16) 9 0 R] >>"},
            {7, "<< /S /JavaScript /JS (var v = app.viewerVersion;\\n"
                "if \\(v < 7\\) app.alert\\(\"\\101\\102\"\\);) >>"},
            {8, "", "this.print({bUI: true});", true},
            {9, "<< /S /JavaScript /JS <FEFF0063006F006E0073006F006C0065"
                "D83DDE00> >>"}},
        "/Root 1 0 R", 0,
        {"var v = app.viewerVersion;\nif (v < 7) app.alert(\"AB\");\n",
            "this.print({bUI: true});\n", "console\xf0\x9f\x98\x80\n"},
        "unscanned"},
    /* the JavaScript action and its script are compressed objects */
    {"object-stream",
        {{1, "<< /Type /Catalog /Pages 2 0 R /OpenAction 9 0 R >>"}, RAW_PAGES,
            {8, "", NULL, false,
                {"<< /S /JavaScript /JS 10 0 R >>", "(from an object stream)"},
                {9, 10}}},
        "/Root 1 0 R", 0, {"[8 a/javascript]\nfrom an object stream\n"},
        "unscanned"},
    /* an object stream without /JS or /XFA: indexed, not walked */
    {"object-stream-plain",
        {{1, "<< /Type /Catalog /Pages 2 0 R /Info 9 0 R >>"}, RAW_PAGES,
            {8, "", NULL, false, {"<< /Title (plain) /Contents (c) >>"}, {9}}},
        "/Root 1 0 R", 0, {NULL}, "a/"},
    /* the Info dictionary, with Microsoft's label keys, is a compressed
     * object: the raw bytes hide the keys, the decoded stream has them */
    {"object-stream-labels",
        {{1, "<< /Type /Catalog /Pages 2 0 R >>"}, RAW_PAGES,
            {8, "", NULL, false,
                {"<< /Title (t) /MSIP_Label_1f2e_Enabled (true) "
                 "/MSIP_Label_1f2e_Name (Highly Confidential) >>"},
                {9}}},
        "/Root 1 0 R /Info 9 0 R", 0,
        {"[32 a]\nMSIP_Label_1f2e_Enabled=true\nMSIP_Label_1f2e_Name=Highly "
         "Confidential\n"},
        "unscanned"},
    /* object streams that decode to nothing: nothing to index, and no
     * pointer arithmetic on their empty buffers (fuzz_pdf found a zero
     * offset applied to NULL in the /JS search); the one whose filter
     * the reader lacks hides its objects, so it is reported */
    {"object-stream-empty",
        {{1, "<< /Type /Catalog /Pages 2 0 R /OpenAction 9 0 R >>"}, RAW_PAGES,
            {8, "/Type /ObjStm /N 1 /First 0", "", false},
            {9, "/Type /ObjStm /N 1 /First 0 /Filter /LZWDecode", "x", false}},
        "/Root 1 0 R", 0, {"unscanned a unsupported PDF stream filter"}, "a/"},
    /* an object stream whose deflate data is broken */
    {"object-stream-broken",
        {{1, "<< /Type /Catalog /Pages 2 0 R >>"}, RAW_PAGES,
            {8, "/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode",
                "9 0 << /JS (x) >>", false}},
        "/Root 1 0 R", 0, {"unscanned a malformed"}, NULL},
    /* no catalog: poppler gives up, the raw reader still finds the file */
    {"damaged",
        {{1, "<< /Type /Annot /Subtype /FileAttachment /Contents (see plan) "
             "/FS 2 0 R >>"},
            {2, "<< /Type /Filespec /F (plan.txt) /UF <FEFF0070006C0061006E"
                "002E007400780074> /EF << /F 3 0 R >> >>"},
            {3, "/Type /EmbeddedFile", "TOP SECRET STRAP1", true},
            {4, "<< /Title (Quarterly \\(draft\\) plan) /Author (J Smith) >>"},
            {5, "<< /Info 4 0 R >>"}},
        NULL, 0,
        {"unscanned a malformed", "object a/plan.txt plan.txt - 17 2\n",
            "[16 a/plan.txt]\nplan.txt\n",
            "[32 a]\nTitle=Quarterly (draft) plan\nAuthor=J Smith\n"},
        NULL},
    /* an incremental update redefines object 7: the later one counts */
    {"redefined",
        {{1, "<< /Type /Catalog /Pages 2 0 R /OpenAction 7 0 R >>"}, RAW_PAGES,
            {7, "<< /S /JavaScript /JS (old script) >>"},
            {7, "<< /S /JavaScript /JS (new script) >>"}},
        "/Root 1 0 R", 0, {"new script"}, "old script"},
    {"limit-ratio",
        {{1, "<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript "
             "/JS 6 0 R >> >>"},
            RAW_PAGES, {6, "", "@BIG", true}},
        "/Root 1 0 R", 0,
        {"unscanned a/javascript limit expansion ratio (max_ratio)"}, NULL},
    {"limit-budget",
        {{1, "<< /Type /Catalog /Pages 2 0 R /AcroForm << /XFA 6 0 R >> >>"},
            RAW_PAGES, {6, "", xfa_xdp, true}},
        "/Root 1 0 R", 64,
        {"unscanned a/xfa limit expanded bytes per message "
         "(max_expanded_bytes)"},
        "NATO SECRET"},
    {"limit-object-stream",
        {{1, "<< /Type /Catalog /Pages 2 0 R /OpenAction 9 0 R >>"}, RAW_PAGES,
            {8, "", NULL, false, {"<< /JS (x) >>"}, {9}}},
        "/Root 1 0 R", 8, {"unscanned a limit expanded bytes per message"},
        NULL},
    {"filter-unsupported",
        {{1, "<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript "
             "/JS 6 0 R >> >>"},
            RAW_PAGES, {6, "/Filter /LZWDecode", "x", false}},
        "/Root 1 0 R", 0,
        {"unscanned a/javascript unsupported PDF stream filter"}, NULL},
};

TEST(pdf_raw_reader)
{
	struct dlp_buf b;
	struct du_sink d;
	size_t i;

	for (i = 0; i < DLP_NITEMS(rcases); i++) {
		dlp_buf_init(&b, &test_mem);
		make_raw(&b, &rcases[i]);
		du_init(&d, &test_mem);
		if (rcases[i].budget != 0)
			d.budget.expanded_left = rcases[i].budget;
		CHECK_INT(dlp_extract_pdf(&d.x, "a", b.p, b.len, 1), DLP_OK);
		expect_text(&d, rcases[i].name, rcases[i].want,
		    DLP_NITEMS(rcases[i].want), rcases[i].absent);
		du_fini(&d);
		dlp_buf_fini(&b);
	}
	CHECK_INT(test_live(), 0);
}

/* Values of the reader itself: strings, nesting, references. */
TEST(pdf_raw_values)
{
	static const struct {
		const char *in, *want;
	} strs[] = {
	    {"(a\\(b\\)c)", "a(b)c"},
	    {"(tab\\there\\\\)", "tab\there\\"},
	    {"(\\101\\0102\\7)", "A\b2\a"},
	    {"(one\\\ntwo\r\nthree)", "onetwo\nthree"},
	    {"(nested (parens) ok)", "nested (parens) ok"},
	    {"<48 65 6c6C6>", "Hell`"},
	    {"<FEFF00e9>", "\xc3\xa9"},
	    {"<FFFE4100>", "A"},
	    {"(\\357\\273\\277caf\\303\\251)", "caf\xc3\xa9"},
	    {"(\\200\\240\\351)", "\xe2\x80\xa2\xe2\x82\xac\xc3\xa9"},
	};
	struct dlp_buf b, out;
	struct du_sink d;
	struct pdf_doc pd;
	struct pdf_val v, w;
	size_t i;

	du_init(&d, &test_mem);
	for (i = 0; i < DLP_NITEMS(strs); i++) {
		dlp_buf_init(&b, &test_mem);
		dlp_buf_init(&out, &test_mem);
		dlp_buf_printf(&b, "1 0 obj %s endobj", strs[i].in);
		CHECK_INT(pdf_doc_open(&pd, &d.x, b.p, b.len), DLP_OK);
		CHECK(pd.n == 1 && pdf_entry_val(&pd, 0, &v));
		CHECK(v.type == PDF_STRING && pdf_string_text(&v, &out));
		CHECK_MSG(out.len == strlen(strs[i].want) &&
		              memcmp(out.p, strs[i].want, out.len) == 0,
		    "%s gave \"%s\"", strs[i].in, out.p ? (char *)out.p : "");
		pdf_doc_close(&pd);
		dlp_buf_fini(&out);
		dlp_buf_fini(&b);
	}
	/* a reference cycle resolves to nothing; a deep array is not read */
	dlp_buf_init(&b, &test_mem);
	dlp_buf_puts(&b, "1 0 obj 2 0 R endobj 2 0 obj 1 0 R endobj "
	                 "3 0 obj << /A 1 0 R /B 4 0 R /C 5 0 R >> endobj "
	                 "5 0 obj ");
	for (i = 0; i < PDF_MAX_DEPTH + 4; i++)
		dlp_buf_putc(&b, '[');
	for (i = 0; i < PDF_MAX_DEPTH + 4; i++)
		dlp_buf_putc(&b, ']');
	dlp_buf_puts(&b, " endobj 4 0 obj (four) endobj");
	CHECK_INT(pdf_doc_open(&pd, &d.x, b.p, b.len), DLP_OK);
	CHECK_INT((int)pd.n, 4);
	CHECK(pdf_entry_val(&pd, 2, &v) && v.type == PDF_DICT);
	CHECK(!pdf_dict_get(&pd, &v, "A", &w));
	CHECK(pdf_dict_get(&pd, &v, "B", &w) && w.type == PDF_STRING);
	CHECK(!pdf_dict_get(&pd, &v, "C", &w));
	pdf_doc_close(&pd);
	dlp_buf_fini(&b);
	du_fini(&d);
	CHECK_INT(test_live(), 0);
}

/* More objects than the reader indexes: "limit", the rest still read. */
TEST(pdf_raw_object_limit)
{
	struct dlp_buf b;
	struct du_sink d;
	size_t i;

	dlp_buf_init(&b, &test_mem);
	dlp_buf_puts(&b, "%PDF-1.7\n1 0 obj << /JS (first) >> endobj\n");
	for (i = 2; i <= PDF_MAX_OBJECTS + 1; i++)
		dlp_buf_printf(&b, "%zu 0 obj null endobj\n", i);
	du_init(&d, &test_mem);
	CHECK_INT(dlp_extract_pdf(&d.x, "a", b.p, b.len, 1), DLP_OK);
	CHECK_MSG(du_has(&d, "unscanned a limit PDF objects") &&
	              du_has(&d, "unscanned a malformed") &&
	              du_has(&d, "[8 a/javascript]\nfirst\n"),
	    "%s%s", d.text.p ? (char *)d.text.p : "",
	    d.log.p ? (char *)d.log.p : "");
	du_fini(&d);
	dlp_buf_fini(&b);
}

TEST(pdf_raw_oom_sweep)
{
	struct dlp_buf b;
	struct dlp_mem libc;
	size_t c;

	dlp_mem_init_default(&libc);
	for (c = 0; c < DLP_NITEMS(rcases); c++) {
		if (strncmp(rcases[c].name, "limit", 5) == 0)
			continue;
		dlp_buf_init(&b, &libc);
		make_raw(&b, &rcases[c]);
		CHECK_MSG(du_oom_sweep(dlp_extract_pdf, b.p, b.len, 400) < 400,
		    "%s", rcases[c].name);
		dlp_buf_fini(&b);
	}
}

/* ---- page text in content-stream order (pdf_text.c) ---- */

#define HELV                                                                   \
	"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding "       \
	"/WinAnsiEncoding >>"
#define HELV_W                                                                 \
	"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding "       \
	"/WinAnsiEncoding /FirstChar 65 /LastChar 68 /Widths [600 600 600 "    \
	"600] >>"
#define CID_FONT                                                               \
	"<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H "   \
	"/DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /DW 500 >>] " \
	"/ToUnicode 6 0 R >>"
#define FORM "/Type /XObject /Subtype /Form /BBox [0 0 500 500]"

struct tcase {
	const char *name;
	const char *content; /* the page's content stream */
	const char *font;    /* /F1 (object 5) */
	const char *cmap;    /* object 6 (a ToUnicode stream), or NULL */
	const char *form[2]; /* /Fm1 (object 7): dictionary and stream */
	const char *want;    /* the page text, exactly */
	const char *why;     /* "why detail" of the page, or NULL */
};

static const struct tcase tcases[] = {
    {"tj-kerning", "BT /F1 10 Tf 72 700 Td [(Hel)-20(lo)-300(World)] TJ ET",
        HELV, NULL, {NULL}, "Hello World", NULL},
    /* glyphs placed one by one: gaps of 0.2 em join, 0.6 em divides */
    {"positioned-glyphs",
        "BT /F1 10 Tf 1 0 0 1 72 700 Tm (A) Tj 1 0 0 1 80 700 Tm (B) Tj "
        "1 0 0 1 88 700 Tm (C) Tj 1 0 0 1 100 700 Tm (D) Tj ET",
        HELV_W, NULL, {NULL}, "ABC D", NULL},
    /* the character spacing is part of the advance: not a word gap */
    {"letter-spacing-tc",
        "BT /F1 10 Tf 4 Tc 72 700 Td (ABC) Tj 1 0 0 1 104 700 Tm (D) Tj ET",
        HELV_W, NULL, {NULL}, "ABCD", NULL},
    {"two-columns",
        "BT /F1 12 Tf 1 0 0 1 72 700 Tm (Left one) Tj 0 -14 Td (Left two) "
        "Tj 1 0 0 1 300 700 Tm (Right one) Tj 0 -14 Td (Right two) Tj ET",
        HELV, NULL, {NULL}, "Left one\nLeft two\nRight one\nRight two", NULL},
    {"rotated-tm",
        "BT /F1 12 Tf 0 1 -1 0 100 100 Tm [(Up)-400(the)-400(page)] TJ ET "
        "BT /F1 12 Tf 1 0 0 1 200 100 Tm (Across) Tj ET",
        HELV, NULL, {NULL}, "Up the page\nAcross", NULL},
    {"overlapping",
        "BT /F1 24 Tf 100 700 Td (Text once) Tj 0 0 Td (Text "
        "again) Tj ET",
        HELV, NULL, {NULL}, "Text onceText again", NULL},
    {"tounicode",
        "BT /F1 10 Tf 72 700 Td <00010002000300040005000600070008> Tj ET",
        CID_FONT,
        "/CIDInit /ProcSet findresource begin begincmap 1 "
        "begincodespacerange <0000> <FFFF> endcodespacerange 3 beginbfchar "
        "<0001> <0048> <0002> <0069> <0008> <D83DDE00> endbfchar 2 "
        "beginbfrange <0003> <0005> <0041> <0006> <0007> [<0058> "
        "<00590059>] endbfrange endcmap",
        {NULL}, "HiABCXYY\xf0\x9f\x98\x80", NULL},
    /* a simple font whose CMap writes one-byte codes as two */
    {"tounicode-simple", "BT /F1 10 Tf 72 700 Td (\\001\\002 ) Tj ET",
        "<< /Type /Font /Subtype /Type1 /BaseFont /X /ToUnicode 6 0 R >>",
        "1 begincodespacerange <0000> <FFFF> endcodespacerange 3 "
        "beginbfchar <01> <004F> <02> <004B> <0020> <0020> endbfchar",
        {NULL}, "OK ", NULL},
    {"winansi", "BT /F1 10 Tf 72 700 Td (\\200 \\226 caf\\351) Tj ET", HELV,
        NULL, {NULL}, "\xe2\x82\xac \xe2\x80\x93 caf\xc3\xa9", NULL},
    {"differences", "BT /F1 10 Tf 72 700 Td (ABabcd) Tj ET",
        "<< /Type /Font /Subtype /Type1 /BaseFont /X /Encoding << "
        "/BaseEncoding /WinAnsiEncoding /Differences [65 /uni0416 /eacute "
        "97 /Euro /fi /g12] >> >>",
        NULL, {NULL},
        "\xd0\x96\xc3\xa9\xe2\x82\xac\xef\xac\x81"
        "d",
        NULL},
    {"macroman-standard",
        "BT /F1 10 Tf 72 700 Td (\\212) Tj /F2 10 Tf ( it's) Tj ET",
        "<< /Type /Font /Subtype /Type1 /BaseFont /X /Encoding "
        "/MacRomanEncoding >>",
        NULL, {NULL}, "\xc3\xa4 it\xe2\x80\x99s", NULL},
    /* no ToUnicode in a CID font: nothing, never the raw bytes */
    {"unknown-glyphs", "BT /F1 10 Tf 72 700 Td <00410042> Tj ET",
        "<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H "
        ">>",
        NULL, {NULL}, "", NULL},
    {"form",
        "q 1 0 0 1 50 50 cm /Fm1 Do Q BT /F1 12 Tf 1 0 0 1 72 300 Tm "
        "(After) Tj ET",
        HELV, NULL, {FORM, "BT /F1 12 Tf 10 10 Td (In a form) Tj ET"},
        "In a form\nAfter", NULL},
    {"form-recursion", "/Fm1 Do", HELV, NULL,
        {FORM " /Resources << /Font << /F1 5 0 R >> /XObject << /Fm1 7 0 R "
              ">> >>",
            "BT /F1 12 Tf 10 10 Td (Mirror) Tj ET /Fm1 Do"},
        "Mirror", "limit PDF form recursion"},
    {"inline-image",
        "BI /W 2 /H 1 /BPC 8 /CS /G ID \x01(Tj) EI BT /F1 10 Tf 72 700 Td "
        "(seen) Tj ET",
        HELV, NULL, {NULL}, "seen", NULL},
};

/* A one-page PDF of tcase c; content replaces c->content when set. */
static void
make_text_pdf(struct dlp_buf *b, const struct tcase *c, const char *content)
{
	struct rcase r;
	size_t n = 0;

	memset(&r, 0, sizeof(r));
	r.objs[n++] = (struct robj){1, "<< /Type /Catalog /Pages 2 0 R >>"};
	r.objs[n++] =
	    (struct robj){2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"};
	r.objs[n++] = (struct robj){3,
	    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 "
	    "0 R /Resources << /Font << /F1 5 0 R /F2 8 0 R >> /XObject << "
	    "/Fm1 7 0 R >> >> >>"};
	r.objs[n++] = (struct robj){
	    4, "", content != NULL ? content : c->content, content == NULL};
	r.objs[n++] = (struct robj){5, c->font};
	if (c->cmap != NULL)
		r.objs[n++] = (struct robj){6, "", c->cmap, true};
	if (c->form[0] != NULL)
		r.objs[n++] = (struct robj){7, c->form[0], c->form[1], true};
	r.objs[n++] = (struct robj){
	    8, "<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>"};
	r.trailer = "/Root 1 0 R";
	make_raw(b, &r);
}

static enum dlp_status
collect(void *ctx, size_t page, const uint8_t *text, size_t len,
    const char *why, const char *detail)
{
	struct dlp_buf *b = ctx;

	dlp_buf_printf(b, "%zu:", page);
	dlp_buf_append(b, text, len);
	if (why != NULL)
		dlp_buf_printf(b, "|%s %s", why, detail ? detail : "");
	return DLP_OK;
}

/* The text of every page, "N:text|why detail" */
static void
stream_text(struct du_sink *d, const struct dlp_buf *pdf, struct dlp_buf *out)
{
	struct pdf_doc pd;
	const char *why, *detail;

	CHECK_INT(pdf_doc_open(&pd, &d->x, pdf->p, pdf->len), DLP_OK);
	CHECK_INT(
	    pdf_page_text(&pd, NULL, collect, out, &why, &detail), DLP_OK);
	CHECK(why == NULL);
	pdf_doc_close(&pd);
}

TEST(pdf_stream_text)
{
	struct dlp_buf b, out, want;
	struct du_sink d;
	size_t i;

	for (i = 0; i < DLP_NITEMS(tcases); i++) {
		dlp_buf_init(&b, &test_mem);
		dlp_buf_init(&out, &test_mem);
		dlp_buf_init(&want, &test_mem);
		make_text_pdf(&b, &tcases[i], NULL);
		du_init(&d, &test_mem);
		stream_text(&d, &b, &out);
		dlp_buf_printf(&want, "0:%s", tcases[i].want);
		if (tcases[i].why != NULL)
			dlp_buf_printf(&want, "|%s", tcases[i].why);
		CHECK_MSG(
		    out.len == want.len && memcmp(out.p, want.p, out.len) == 0,
		    "%s: want \"%s\", got \"%s\"", tcases[i].name,
		    (char *)want.p, out.p ? (char *)out.p : "");
		du_fini(&d);
		dlp_buf_fini(&b);
		dlp_buf_fini(&out);
		dlp_buf_fini(&want);
	}
	CHECK_INT(test_live(), 0);
}

/* Too many operators, too much text: "limit", and the text before. */
TEST(pdf_stream_text_limits)
{
	struct dlp_buf b, out, content;
	struct du_sink d;
	size_t i;

	for (i = 0; i < 2; i++) {
		dlp_buf_init(&b, &test_mem);
		dlp_buf_init(&out, &test_mem);
		dlp_buf_init(&content, &test_mem);
		dlp_buf_puts(&content, "BT /F1 10 Tf 72 700 Td (before) Tj ");
		if (i == 0) {
			size_t k;

			for (k = 0; k < PDF_TEXT_MAX_OPS; k++)
				dlp_buf_puts(&content, "n ");
		} else {
			dlp_buf_putc(&content, '(');
			while (content.len < PDF_TEXT_MAX_BYTES + 64)
				dlp_buf_puts(&content, "AAAAAAAA");
			dlp_buf_puts(&content, ") Tj ");
		}
		dlp_buf_puts(&content, "(after) Tj ET");
		make_text_pdf(&b, &tcases[0], (const char *)content.p);
		du_init(&d, &test_mem);
		stream_text(&d, &b, &out);
		CHECK(out.p != NULL &&
		      strncmp((char *)out.p, "0:before", 8) == 0);
		CHECK(out.p != NULL && strstr((char *)out.p, "after") == NULL);
		CHECK_MSG(
		    out.p != NULL &&
		        strstr((char *)out.p,
		            i == 0 ? "|limit PDF operators per page"
		                   : "|limit PDF page text bytes") != NULL,
		    "%.80s", out.p ? (char *)out.p + out.len - 60 : "");
		if (i == 1)
			CHECK_INT(
			    (int)(out.len - strlen("0:|limit PDF page text "
			                           "bytes")),
			    (int)PDF_TEXT_MAX_BYTES);
		du_fini(&d);
		dlp_buf_fini(&b);
		dlp_buf_fini(&out);
		dlp_buf_fini(&content);
	}
	CHECK_INT(test_live(), 0);
}

/*
 * Through dlp_extract_pdf: the stream text is reported (where + "/page
 * N/stream") only where it differs from poppler's; it is charged to the
 * expanded-bytes budget; what it cannot do (a limit, a budget too small)
 * is not "unscanned": poppler read the page.
 */
TEST(pdf_stream_text_reported)
{
	static const struct tcase same = {"same",
	    "BT /F1 12 Tf 72 700 Td "
	    "(Hello World) Tj ET",
	    HELV, NULL, {NULL}, NULL, NULL};
	struct dlp_buf b;
	struct du_sink d;
	size_t used, i;

	for (i = 0; i < DLP_NITEMS(tcases); i++)
		if (strcmp(tcases[i].name, "overlapping") == 0)
			break;
	dlp_buf_init(&b, &test_mem);
	make_text_pdf(&b, &tcases[i], NULL);
	du_init(&d, &test_mem);
	CHECK_INT(dlp_extract_pdf(&d.x, "a", b.p, b.len, 1), DLP_OK);
	/* poppler drops the "Text " drawn twice: "Text again\nonce" */
	CHECK_MSG(du_has(&d, "[8 a/page 1/stream]\nText onceText again\n"),
	    "%s%s", d.text.p ? (char *)d.text.p : "",
	    d.log.p ? (char *)d.log.p : "");
	CHECK(d.log.len == 0);
	used = d.limits.max_expanded_bytes - d.budget.expanded_left;
	du_fini(&d);
	/* a budget that ends inside the stream text */
	du_init(&d, &test_mem);
	d.budget.expanded_left = used - 10;
	CHECK_INT(dlp_extract_pdf(&d.x, "a", b.p, b.len, 1), DLP_OK);
	CHECK_MSG(d.log.len == 0 && !du_has(&d, "Text onceText") &&
	              du_has(&d, "[8 a/page 1]"),
	    "%s%s", d.text.p ? (char *)d.text.p : "",
	    d.log.p ? (char *)d.log.p : "");
	du_fini(&d);
	dlp_buf_fini(&b);

	dlp_buf_init(&b, &test_mem);
	make_text_pdf(&b, &same, NULL);
	du_init(&d, &test_mem);
	CHECK_INT(dlp_extract_pdf(&d.x, "a", b.p, b.len, 1), DLP_OK);
	CHECK(du_has(&d, "[8 a/page 1]\nHello World"));
	CHECK(!du_has(&d, "/stream"));
	du_fini(&d);
	dlp_buf_fini(&b);

	for (i = 0; i < DLP_NITEMS(tcases); i++)
		if (strcmp(tcases[i].name, "form-recursion") == 0)
			break;
	dlp_buf_init(&b, &test_mem);
	make_text_pdf(&b, &tcases[i], NULL);
	du_init(&d, &test_mem);
	CHECK_INT(dlp_extract_pdf(&d.x, "a", b.p, b.len, 1), DLP_OK);
	CHECK_MSG(!du_has(&d, "unscanned") && du_has(&d, "[8 a/page 1]"),
	    "%s%s", d.text.p ? (char *)d.text.p : "",
	    d.log.p ? (char *)d.log.p : "");
	du_fini(&d);
	dlp_buf_fini(&b);
	CHECK_INT(test_live(), 0);
}

TEST(pdf_stream_text_oom_sweep)
{
	struct dlp_buf b;
	struct dlp_mem libc;
	size_t c;

	dlp_mem_init_default(&libc);
	for (c = 0; c < DLP_NITEMS(tcases); c++) {
		dlp_buf_init(&b, &libc);
		make_text_pdf(&b, &tcases[c], NULL);
		CHECK_MSG(du_oom_sweep(dlp_extract_pdf, b.p, b.len, 400) < 400,
		    "%s", tcases[c].name);
		dlp_buf_fini(&b);
	}
}

DU_CORPUS_TESTS(pdf, dlp_extract_pdf, {"pdf", NULL})

TEST_MAIN()
