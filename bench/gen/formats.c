/*
 * formats.c - attachment formats for the corpus generator, written from
 * scratch or with the libraries the engine reads them with:
 *   PDF   hand-written, one FlateDecode content stream per page, real xref,
 *         and a noise image XObject on page 1 that brings the file to the
 *         wanted size (text is a realistic part of a PDF's bytes, not all)
 *   OOXML docx/xlsx/pptx zips written with libarchive's zip writer
 *   doc   OLE2 compound file written with libgsf (gsf_outfile_msole_new):
 *         a Word 97 FIB, an 8-bit piece table in 1Table, the text
 *   PNG   8-bit grey noise, zlib IDAT, CRCs
 *   JPEG  a baseline 8x8 grey frame with one-code Huffman tables, padded
 *         with COM segments to the wanted size
 *   TNEF  hand-written winmail.dat: attBody plus one attachment
 * Output is deterministic: fixed timestamps, no host data.
 */
#include <archive.h>
#include <archive_entry.h>
#include <gsf/gsf.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "gen.h"

#define FIXED_MTIME 1700000000

/* PDF. */

static void
pdf_string(struct dlp_gbuf *o, const char *p, size_t n)
{
	dlp_gbuf_add(o, "(", 1);
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '(' || p[i] == ')' || p[i] == '\\')
			dlp_gbuf_add(o, "\\", 1);
		dlp_gbuf_add(o, p + i, 1);
	}
	dlp_gbuf_add(o, ")", 1);
}

int
dlp_gen_pdf(struct dlp_gbuf *out, const char *text, size_t n, size_t size)
{
	enum { LINES_PER_PAGE = 60, IMG_W = 256 };
	struct dlp_gbuf pdf = {0}, content = {0};
	struct dlp_rng ir;
	size_t *offs = NULL, npages = 0, nlines = 0, nobj, i, pos = 0;
	size_t img_h, raw;
	unsigned char *img = NULL, *zi = NULL;
	uLongf zilen;
	int rc = -1;

	for (i = 0; i < n; i++)
		nlines += text[i] == '\n';
	nlines++;
	npages = (nlines + LINES_PER_PAGE - 1) / LINES_PER_PAGE;
	nobj = 4 + 2 * npages; /* the image is the last object */
	offs = dlp_gen_xmalloc((nobj + 1) * sizeof(*offs));
	dlp_gbuf_puts(&pdf, "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n");
	offs[1] = pdf.len;
	dlp_gbuf_puts(&pdf, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\n"
	                    "endobj\n");
	offs[2] = pdf.len;
	dlp_gbuf_puts(&pdf, "2 0 obj\n<< /Type /Pages /Kids [");
	for (i = 0; i < npages; i++)
		dlp_gbuf_printf(&pdf, "%s%zu 0 R", i ? " " : "", 4 + 2 * i);
	dlp_gbuf_printf(&pdf, "] /Count %zu >>\nendobj\n", npages);
	offs[3] = pdf.len;
	dlp_gbuf_puts(&pdf, "3 0 obj\n<< /Type /Font /Subtype /Type1 "
	                    "/BaseFont /Helvetica >>\nendobj\n");
	for (size_t pg = 0; pg < npages; pg++) {
		uLongf zlen;
		Bytef *z;

		content.len = 0;
		if (pg == 0)
			dlp_gbuf_puts(
			    &content, "q 200 0 0 150 362 40 cm /Im1 Do Q\n");
		dlp_gbuf_puts(&content, "BT /F1 10 Tf 12 TL 50 770 Td\n");
		for (size_t l = 0; l < LINES_PER_PAGE && pos <= n; l++) {
			size_t e = pos;

			while (e < n && text[e] != '\n')
				e++;
			pdf_string(&content, text + pos, e - pos);
			dlp_gbuf_puts(&content, " Tj T*\n");
			pos = e + 1;
		}
		dlp_gbuf_puts(&content, "ET\n");
		zlen = compressBound(content.len);
		z = dlp_gen_xmalloc(zlen);
		if (compress2(z, &zlen, (const Bytef *)content.p, content.len,
		        6) != Z_OK) {
			free(z);
			goto out;
		}
		offs[4 + 2 * pg] = pdf.len;
		dlp_gbuf_printf(&pdf,
		    "%zu 0 obj\n<< /Type /Page /Parent 2 0 R "
		    "/MediaBox [0 0 612 792] /Resources << /Font "
		    "<< /F1 3 0 R >>",
		    4 + 2 * pg);
		if (pg == 0)
			dlp_gbuf_printf(
			    &pdf, " /XObject << /Im1 %zu 0 R >>", nobj);
		dlp_gbuf_printf(
		    &pdf, " >> /Contents %zu 0 R >>\nendobj\n", 5 + 2 * pg);
		offs[5 + 2 * pg] = pdf.len;
		dlp_gbuf_printf(&pdf,
		    "%zu 0 obj\n<< /Length %lu /Filter /FlateDecode "
		    ">>\nstream\n",
		    5 + 2 * pg, (unsigned long)zlen);
		dlp_gbuf_add(&pdf, z, zlen);
		dlp_gbuf_puts(&pdf, "\nendstream\nendobj\n");
		free(z);
	}
	/*
	 * The image: grey noise (it does not compress), as many rows as
	 * bring the file to about size bytes, at least one. Its own PRNG,
	 * seeded from the text length, so the corpus stream is untouched.
	 */
	img_h = 1;
	if (size > pdf.len + 300 + 20 * nobj)
		img_h += (size - pdf.len - 300 - 20 * nobj) / IMG_W;
	raw = IMG_W * img_h;
	img = dlp_gen_xmalloc(raw);
	dlp_rng_seed(&ir, (uint64_t)n);
	for (i = 0; i < raw; i++)
		img[i] = (unsigned char)dlp_rng_next(&ir);
	zilen = compressBound(raw);
	zi = dlp_gen_xmalloc(zilen);
	if (compress2(zi, &zilen, img, raw, 1) != Z_OK)
		goto out;
	offs[nobj] = pdf.len;
	dlp_gbuf_printf(&pdf,
	    "%zu 0 obj\n<< /Type /XObject /Subtype /Image /Width %d "
	    "/Height %zu /ColorSpace /DeviceGray /BitsPerComponent 8 "
	    "/Length %lu /Filter /FlateDecode >>\nstream\n",
	    nobj, IMG_W, img_h, (unsigned long)zilen);
	dlp_gbuf_add(&pdf, zi, zilen);
	dlp_gbuf_puts(&pdf, "\nendstream\nendobj\n");
	{
		size_t xref = pdf.len;

		dlp_gbuf_printf(
		    &pdf, "xref\n0 %zu\n0000000000 65535 f \n", nobj + 1);
		for (i = 1; i <= nobj; i++)
			dlp_gbuf_printf(&pdf, "%010zu 00000 n \n", offs[i]);
		dlp_gbuf_printf(&pdf,
		    "trailer\n<< /Size %zu /Root 1 0 R >>\n"
		    "startxref\n%zu\n%%%%EOF\n",
		    nobj + 1, xref);
	}
	dlp_gbuf_add(out, pdf.p, pdf.len);
	rc = 0;
out:
	free(offs);
	free(img);
	free(zi);
	dlp_gbuf_free(&pdf);
	dlp_gbuf_free(&content);
	return rc;
}

/* Zip through libarchive. */

static la_ssize_t
zip_write(struct archive *a, void *ctx, const void *p, size_t n)
{
	(void)a;
	dlp_gbuf_add(ctx, p, n);
	return (la_ssize_t)n;
}

int
dlp_gen_zip(
    struct dlp_gbuf *out, const struct dlp_gen_member *m, size_t n, int store)
{
	struct archive *a = archive_write_new();
	struct archive_entry *e = NULL;
	int rc = -1;

	if (a == NULL)
		return -1;
	if (archive_write_set_format_zip(a) != ARCHIVE_OK ||
	    archive_write_set_bytes_per_block(a, 0) != ARCHIVE_OK ||
	    (store && archive_write_set_format_option(
	                  a, "zip", "compression", "store") != ARCHIVE_OK) ||
	    archive_write_open(a, out, NULL, zip_write, NULL) != ARCHIVE_OK)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if ((e = archive_entry_new()) == NULL)
			goto out;
		archive_entry_set_pathname(e, m[i].name);
		archive_entry_set_size(e, (la_int64_t)m[i].len);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_mtime(e, FIXED_MTIME, 0);
		if (archive_write_header(a, e) != ARCHIVE_OK ||
		    archive_write_data(a, m[i].data, m[i].len) !=
		        (la_ssize_t)m[i].len)
			goto out;
		archive_entry_free(e);
		e = NULL;
	}
	if (archive_write_close(a) != ARCHIVE_OK)
		goto out;
	rc = 0;
out:
	archive_entry_free(e);
	archive_write_free(a);
	return rc;
}

/* OOXML. */

#define XML_DECL                                                               \
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define CT_NS    "http://schemas.openxmlformats.org/package/2006/content-types"
#define REL_NS   "http://schemas.openxmlformats.org/package/2006/relationships"
#define OFFDOC   "http://schemas.openxmlformats.org/officeDocument/2006/"
#define OOXML_CT "application/vnd.openxmlformats-officedocument."

static const char core_xml[] =
    XML_DECL "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/"
             "package/2006/metadata/core-properties\" "
             "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
             "<dc:title>Quarterly report</dc:title>"
             "<dc:creator>Office user</dc:creator></cp:coreProperties>";

static void
content_types(struct dlp_gbuf *b, const char *overrides)
{
	dlp_gbuf_puts(b,
	    XML_DECL "<Types xmlns=\"" CT_NS "\">"
	             "<Default Extension=\"rels\" ContentType=\""
	             "application/vnd.openxmlformats-package."
	             "relationships+xml\"/>"
	             "<Default Extension=\"xml\" ContentType=\""
	             "application/xml\"/>"
	             "<Override PartName=\"/docProps/core.xml\" "
	             "ContentType=\"application/vnd."
	             "openxmlformats-package.core-properties+xml\"/>");
	dlp_gbuf_puts(b, overrides);
	dlp_gbuf_puts(b, "</Types>");
}

static void
root_rels(struct dlp_gbuf *b, const char *main)
{
	dlp_gbuf_printf(b,
	    XML_DECL "<Relationships xmlns=\"" REL_NS "\">"
	             "<Relationship Id=\"rId1\" Type=\"" OFFDOC
	             "relationships/officeDocument\" Target=\"%s\"/>"
	             "<Relationship Id=\"rId2\" Type=\"" REL_NS
	             "/metadata/core-properties\" "
	             "Target=\"docProps/core.xml\"/></Relationships>",
	    main);
}

/* Calls fn(ctx, line, len) for each '\n'-separated line. */
#define FOR_LINES(text, n, body)                                               \
	for (size_t ls_ = 0, le_; ls_ <= (n); ls_ = le_ + 1) {                 \
		const char *line = (text) + ls_;                               \
		size_t llen;                                                   \
		for (le_ = ls_; le_ < (n) && (text)[le_] != '\n'; le_++)       \
			;                                                      \
		llen = le_ - ls_;                                              \
		body                                                           \
	}

static int
ooxml_finish(struct dlp_gbuf *out, struct dlp_gen_member *m, size_t nm)
{
	return dlp_gen_zip(out, m, nm, 0);
}

int
dlp_gen_docx(struct dlp_gbuf *out, const char *text, size_t n)
{
	struct dlp_gbuf ct = {0}, rels = {0}, doc = {0};
	struct dlp_gen_member m[4];
	int rc;

	content_types(&ct,
	    "<Override PartName=\"/word/document.xml\" "
	    "ContentType=\"" OOXML_CT "wordprocessingml.document.main+xml\"/>");
	root_rels(&rels, "word/document.xml");
	dlp_gbuf_puts(&doc, XML_DECL "<w:document xmlns:w=\"http://schemas."
	                             "openxmlformats.org/wordprocessingml/2006/"
	                             "main\"><w:body>");
	FOR_LINES(text, n, {
		/* Word splits runs at edits: two runs for longer lines. */
		size_t cut = llen > 24 ? llen / 2 : llen;

		dlp_gbuf_puts(&doc, "<w:p><w:r><w:t xml:space=\"preserve\">");
		dlp_gen_xml_escape(&doc, line, cut);
		dlp_gbuf_puts(&doc, "</w:t></w:r>");
		if (cut < llen) {
			dlp_gbuf_puts(&doc, "<w:r><w:rPr><w:b/></w:rPr><w:t "
			                    "xml:space=\"preserve\">");
			dlp_gen_xml_escape(&doc, line + cut, llen - cut);
			dlp_gbuf_puts(&doc, "</w:t></w:r>");
		}
		dlp_gbuf_puts(&doc, "</w:p>");
	})
	dlp_gbuf_puts(&doc, "<w:sectPr/></w:body></w:document>");
	m[0] = (struct dlp_gen_member){"[Content_Types].xml", ct.p, ct.len};
	m[1] = (struct dlp_gen_member){"_rels/.rels", rels.p, rels.len};
	m[2] = (struct dlp_gen_member){"word/document.xml", doc.p, doc.len};
	m[3] = (struct dlp_gen_member){
	    "docProps/core.xml", core_xml, sizeof(core_xml) - 1};
	rc = ooxml_finish(out, m, 4);
	dlp_gbuf_free(&ct);
	dlp_gbuf_free(&rels);
	dlp_gbuf_free(&doc);
	return rc;
}

int
dlp_gen_xlsx(struct dlp_gbuf *out, const char *text, size_t n)
{
	struct dlp_gbuf ct = {0}, rels = {0}, wb = {0}, wbrels = {0},
	                sheet = {0}, ss = {0};
	struct dlp_gen_member m[7];
	size_t row = 0;
	int rc;

	content_types(&ct,
	    "<Override PartName=\"/xl/workbook.xml\" ContentType=\"" OOXML_CT
	    "spreadsheetml.sheet.main+xml\"/>"
	    "<Override PartName=\"/xl/worksheets/sheet1.xml\" "
	    "ContentType=\"" OOXML_CT "spreadsheetml.worksheet+xml\"/>"
	    "<Override PartName=\"/xl/sharedStrings.xml\" "
	    "ContentType=\"" OOXML_CT "spreadsheetml.sharedStrings+xml\"/>");
	root_rels(&rels, "xl/workbook.xml");
	dlp_gbuf_puts(&wb,
	    XML_DECL "<workbook xmlns=\"http://schemas."
	             "openxmlformats.org/spreadsheetml/2006/main\" "
	             "xmlns:r=\"" OFFDOC "relationships\"><sheets>"
	             "<sheet name=\"Sheet1\" sheetId=\"1\" "
	             "r:id=\"rId1\"/></sheets></workbook>");
	dlp_gbuf_puts(&wbrels,
	    XML_DECL "<Relationships xmlns=\"" REL_NS "\">"
	             "<Relationship Id=\"rId1\" Type=\"" OFFDOC
	             "relationships/worksheet\" "
	             "Target=\"worksheets/sheet1.xml\"/>"
	             "<Relationship Id=\"rId2\" Type=\"" OFFDOC
	             "relationships/sharedStrings\" "
	             "Target=\"sharedStrings.xml\"/></Relationships>");
	dlp_gbuf_puts(&sheet, XML_DECL "<worksheet xmlns=\"http://schemas."
	                               "openxmlformats.org/spreadsheetml/2006/"
	                               "main\"><sheetData>");
	dlp_gbuf_puts(&ss, XML_DECL "<sst xmlns=\"http://schemas."
	                            "openxmlformats.org/spreadsheetml/2006/"
	                            "main\">");
	FOR_LINES(text, n, {
		row++;
		dlp_gbuf_printf(&sheet,
		    "<row r=\"%zu\"><c r=\"A%zu\" t=\"s\"><v>%zu</v>"
		    "</c><c r=\"B%zu\"><v>%zu</v></c></row>",
		    row, row, row - 1, row, row * 37 % 1000);
		dlp_gbuf_puts(&ss, "<si><t>");
		dlp_gen_xml_escape(&ss, line, llen);
		dlp_gbuf_puts(&ss, "</t></si>");
	})
	dlp_gbuf_puts(&sheet, "</sheetData></worksheet>");
	dlp_gbuf_puts(&ss, "</sst>");
	m[0] = (struct dlp_gen_member){"[Content_Types].xml", ct.p, ct.len};
	m[1] = (struct dlp_gen_member){"_rels/.rels", rels.p, rels.len};
	m[2] = (struct dlp_gen_member){"xl/workbook.xml", wb.p, wb.len};
	m[3] = (struct dlp_gen_member){
	    "xl/_rels/workbook.xml.rels", wbrels.p, wbrels.len};
	m[4] = (struct dlp_gen_member){
	    "xl/worksheets/sheet1.xml", sheet.p, sheet.len};
	m[5] = (struct dlp_gen_member){"xl/sharedStrings.xml", ss.p, ss.len};
	m[6] = (struct dlp_gen_member){
	    "docProps/core.xml", core_xml, sizeof(core_xml) - 1};
	rc = ooxml_finish(out, m, 7);
	dlp_gbuf_free(&ct);
	dlp_gbuf_free(&rels);
	dlp_gbuf_free(&wb);
	dlp_gbuf_free(&wbrels);
	dlp_gbuf_free(&sheet);
	dlp_gbuf_free(&ss);
	return rc;
}

int
dlp_gen_pptx(struct dlp_gbuf *out, const char *text, size_t n)
{
	enum { LINES_PER_SLIDE = 12, MAX_SLIDES = 64 };
	struct dlp_gbuf ct = {0}, rels = {0}, pres = {0}, prels = {0},
	                slides[MAX_SLIDES];
	struct dlp_gen_member m[5 + MAX_SLIDES];
	char names[MAX_SLIDES][32];
	size_t ns = 0, inslide = 0, nm = 0;
	int rc;

	memset(slides, 0, sizeof(slides));
	FOR_LINES(text, n, {
		if (inslide == 0 ||
		    (inslide == LINES_PER_SLIDE && ns < MAX_SLIDES)) {
			if (ns > 0)
				dlp_gbuf_puts(&slides[ns - 1],
				    "</p:txBody></p:sp></p:spTree>"
				    "</p:cSld></p:sld>");
			dlp_gbuf_puts(&slides[ns],
			    XML_DECL "<p:sld xmlns:p=\"http://schemas."
			             "openxmlformats.org/presentationml/2006/"
			             "main\" xmlns:a=\"http://schemas."
			             "openxmlformats.org/drawingml/2006/main\">"
			             "<p:cSld><p:spTree><p:sp><p:txBody>");
			ns++;
			inslide = 0;
		}
		dlp_gbuf_puts(&slides[ns - 1], "<a:p><a:r><a:t>");
		dlp_gen_xml_escape(&slides[ns - 1], line, llen);
		dlp_gbuf_puts(&slides[ns - 1], "</a:t></a:r></a:p>");
		inslide++;
	})
	dlp_gbuf_puts(&slides[ns - 1], "</p:txBody></p:sp></p:spTree>"
	                               "</p:cSld></p:sld>");
	{
		struct dlp_gbuf ov = {0};

		for (size_t i = 0; i < ns; i++)
			dlp_gbuf_printf(&ov,
			    "<Override PartName=\"/ppt/slides/"
			    "slide%zu.xml\" ContentType=\"" OOXML_CT
			    "presentationml.slide+xml\"/>",
			    i + 1);
		dlp_gbuf_puts(&ov,
		    "<Override PartName=\"/ppt/presentation.xml\" "
		    "ContentType=\"" OOXML_CT
		    "presentationml.presentation.main+xml\"/>");
		content_types(&ct, ov.p);
		dlp_gbuf_free(&ov);
	}
	root_rels(&rels, "ppt/presentation.xml");
	dlp_gbuf_puts(&pres,
	    XML_DECL "<p:presentation xmlns:p=\"http://"
	             "schemas.openxmlformats.org/"
	             "presentationml/2006/main\" xmlns:r=\"" OFFDOC
	             "relationships\"><p:sldIdLst>");
	dlp_gbuf_puts(&prels, XML_DECL "<Relationships xmlns=\"" REL_NS "\">");
	for (size_t i = 0; i < ns; i++) {
		dlp_gbuf_printf(&pres, "<p:sldId id=\"%zu\" r:id=\"rId%zu\"/>",
		    256 + i, i + 1);
		dlp_gbuf_printf(&prels,
		    "<Relationship Id=\"rId%zu\" Type=\"" OFFDOC
		    "relationships/slide\" "
		    "Target=\"slides/slide%zu.xml\"/>",
		    i + 1, i + 1);
	}
	dlp_gbuf_puts(&pres, "</p:sldIdLst></p:presentation>");
	dlp_gbuf_puts(&prels, "</Relationships>");
	m[nm++] = (struct dlp_gen_member){"[Content_Types].xml", ct.p, ct.len};
	m[nm++] = (struct dlp_gen_member){"_rels/.rels", rels.p, rels.len};
	m[nm++] =
	    (struct dlp_gen_member){"ppt/presentation.xml", pres.p, pres.len};
	m[nm++] = (struct dlp_gen_member){
	    "ppt/_rels/presentation.xml.rels", prels.p, prels.len};
	for (size_t i = 0; i < ns; i++) {
		snprintf(names[i], sizeof(names[i]), "ppt/slides/slide%zu.xml",
		    i + 1);
		m[nm++] = (struct dlp_gen_member){
		    names[i], slides[i].p, slides[i].len};
	}
	m[nm++] = (struct dlp_gen_member){
	    "docProps/core.xml", core_xml, sizeof(core_xml) - 1};
	rc = ooxml_finish(out, m, nm);
	dlp_gbuf_free(&ct);
	dlp_gbuf_free(&rels);
	dlp_gbuf_free(&pres);
	dlp_gbuf_free(&prels);
	for (size_t i = 0; i < ns; i++)
		dlp_gbuf_free(&slides[i]);
	return rc;
}

/* Legacy Word through libgsf. */

static void
put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v & 0xff);
	p[1] = (unsigned char)((v >> 8) & 0xff);
}

static void
put32(unsigned char *p, uint32_t v)
{
	put16(p, v & 0xffff);
	put16(p + 2, v >> 16);
}

static int
gsf_child(GsfOutfile *ole, const char *name, const void *p, size_t n)
{
	GsfOutput *o = gsf_outfile_new_child(ole, name, FALSE);
	int ok;

	if (o == NULL)
		return -1;
	ok = gsf_output_write(o, n, p) && gsf_output_close(o);
	g_object_unref(o);
	return ok ? 0 : -1;
}

int
dlp_gen_doc(struct dlp_gbuf *out, const char *text, size_t n)
{
	enum { TEXT_AT = 1024 };
	GsfOutput *mem = NULL;
	GsfOutfile *ole = NULL;
	unsigned char *wd = NULL, tbl[21];
	size_t wdlen = TEXT_AT + n + 1;
	int rc = -1;

	wd = calloc(1, wdlen);
	if (wd == NULL)
		return -1;
	/* FibBase, Word 97 (nFib 0xC1), text and piece table in 1Table. */
	put16(wd + 0, 0xA5EC);
	put16(wd + 2, 0x00C1);
	put16(wd + 6, 0x0409);
	put16(wd + 10, 0x0200 | 0x1000); /* fWhichTblStm, fExtChar */
	put16(wd + 12, 0x00BF);
	put16(wd + 32, 14);                   /* csw */
	put16(wd + 62, 22);                   /* cslw */
	put32(wd + 64, (uint32_t)wdlen);      /* cbMac */
	put32(wd + 64 + 12, (uint32_t)n + 1); /* ccpText */
	put16(wd + 152, 0x5D);                /* cbRgFcLcb */
	put32(wd + 418, 0);                   /* fcClx */
	put32(wd + 422, sizeof(tbl));
	for (size_t i = 0; i < n; i++)
		wd[TEXT_AT + i] =
		    text[i] == '\n' ? '\r' : (unsigned char)text[i];
	wd[TEXT_AT + n] = '\r';
	/* Clx: one Pcdt with one piece of 8-bit text at TEXT_AT. */
	tbl[0] = 0x02;
	put32(tbl + 1, 16);
	put32(tbl + 5, 0);
	put32(tbl + 9, (uint32_t)n + 1);
	put16(tbl + 13, 0);
	put32(tbl + 15, (uint32_t)(TEXT_AT * 2) | 0x40000000u);
	put16(tbl + 19, 0);

	if ((mem = gsf_output_memory_new()) == NULL ||
	    (ole = gsf_outfile_msole_new(mem)) == NULL)
		goto out;
	if (gsf_child(ole, "WordDocument", wd, wdlen) != 0 ||
	    gsf_child(ole, "1Table", tbl, sizeof(tbl)) != 0 ||
	    !gsf_output_close(GSF_OUTPUT(ole)))
		goto out;
	dlp_gbuf_add(out, gsf_output_memory_get_bytes(GSF_OUTPUT_MEMORY(mem)),
	    (size_t)gsf_output_size(mem));
	rc = 0;
out:
	if (ole != NULL)
		g_object_unref(ole);
	if (mem != NULL)
		g_object_unref(mem); /* closed with ole */
	free(wd);
	return rc;
}

/* Images. */

static void
png_chunk(struct dlp_gbuf *o, const char *type, const void *p, size_t n)
{
	unsigned char hdr[8], crc[4];
	uLong c;

	put32(hdr, 0);
	hdr[0] = (unsigned char)(n >> 24);
	hdr[1] = (unsigned char)(n >> 16);
	hdr[2] = (unsigned char)(n >> 8);
	hdr[3] = (unsigned char)n;
	memcpy(hdr + 4, type, 4);
	dlp_gbuf_add(o, hdr, 8);
	dlp_gbuf_add(o, p, n);
	c = crc32(0, hdr + 4, 4);
	c = crc32(c, p, (uInt)n);
	crc[0] = (unsigned char)(c >> 24);
	crc[1] = (unsigned char)(c >> 16);
	crc[2] = (unsigned char)(c >> 8);
	crc[3] = (unsigned char)c;
	dlp_gbuf_add(o, crc, 4);
}

int
dlp_gen_png(struct dlp_rng *r, struct dlp_gbuf *out, size_t n)
{
	size_t w = 8, raw;
	unsigned char ihdr[13];
	unsigned char *img, *z;
	uLongf zlen;
	int rc = -1;

	while (w * w < n)
		w++;
	raw = w * (w + 1);
	img = dlp_gen_xmalloc(raw);
	for (size_t y = 0; y < w; y++) {
		img[y * (w + 1)] = 0;
		for (size_t x = 0; x < w; x++)
			img[y * (w + 1) + 1 + x] =
			    (unsigned char)dlp_rng_next(r);
	}
	zlen = compressBound(raw);
	z = dlp_gen_xmalloc(zlen);
	if (compress2(z, &zlen, img, raw, 1) == Z_OK) {
		static const unsigned char sig[8] = {
		    0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
		dlp_gbuf_add(out, sig, 8);
		memset(ihdr, 0, sizeof(ihdr));
		ihdr[0] = (unsigned char)(w >> 24);
		ihdr[1] = (unsigned char)(w >> 16);
		ihdr[2] = (unsigned char)(w >> 8);
		ihdr[3] = (unsigned char)w;
		memcpy(ihdr + 4, ihdr, 4);
		ihdr[8] = 8; /* bit depth; colour type 0 (grey) */
		png_chunk(out, "IHDR", ihdr, 13);
		png_chunk(out, "IDAT", z, zlen);
		png_chunk(out, "IEND", "", 0);
		rc = 0;
	}
	free(img);
	free(z);
	return rc;
}

int
dlp_gen_jpeg(struct dlp_rng *r, struct dlp_gbuf *out, size_t n)
{
	static const unsigned char head[] = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10,
	    'J', 'F', 'I', 'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01,
	    0x00, 0x00};
	static const unsigned char sof[] = {0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00,
	    0x08, 0x00, 0x08, 0x01, 0x01, 0x11, 0x00};
	/* One code ("0", length 1) per table: DC category 0, AC EOB. */
	static const unsigned char dht[] = {0xFF, 0xC4, 0x00, 0x14, 0x00, 1, 0,
	    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xC4, 0x00, 0x14,
	    0x10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
	static const unsigned char sos[] = {0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01,
	    0x00, 0x00, 0x3F, 0x00, 0x3F, 0xFF, 0xD9};
	unsigned char dqt[69], com[4];
	size_t start = out->len;

	dlp_gbuf_add(out, head, sizeof(head));
	dqt[0] = 0xFF;
	dqt[1] = 0xDB;
	dqt[2] = 0x00;
	dqt[3] = 0x43;
	dqt[4] = 0x00;
	memset(dqt + 5, 1, 64);
	dlp_gbuf_add(out, dqt, sizeof(dqt));
	/* Camera-style padding: COM segments of noise. */
	while (out->len - start + 200 < n) {
		size_t want = n - (out->len - start) - 200, seg;

		seg = want > 65000 ? 65000 : want;
		com[0] = 0xFF;
		com[1] = 0xFE;
		com[2] = (unsigned char)((seg + 2) >> 8);
		com[3] = (unsigned char)(seg + 2);
		dlp_gbuf_add(out, com, 4);
		for (size_t i = 0; i < seg; i++) {
			unsigned char c = (unsigned char)dlp_rng_next(r);

			dlp_gbuf_add(out, &c, 1);
		}
	}
	dlp_gbuf_add(out, sof, sizeof(sof));
	dlp_gbuf_add(out, dht, sizeof(dht));
	dlp_gbuf_add(out, sos, sizeof(sos));
	return 0;
}

/* TNEF. */

static void
tnef_attr(
    struct dlp_gbuf *o, unsigned level, uint32_t id, const void *p, size_t n)
{
	unsigned char h[9], ck[2];
	const unsigned char *b = p;
	unsigned sum = 0;

	h[0] = (unsigned char)level;
	put32(h + 1, id);
	put32(h + 5, (uint32_t)n);
	dlp_gbuf_add(o, h, 9);
	dlp_gbuf_add(o, p, n);
	for (size_t i = 0; i < n; i++)
		sum += b[i];
	put16(ck, sum & 0xffff);
	dlp_gbuf_add(o, ck, 2);
}

int
dlp_gen_tnef(struct dlp_gbuf *out, const char *body, size_t nbody,
    const char *fname, const char *data, size_t ndata)
{
	static const char cls[] = "IPM.Microsoft Mail.Note";
	unsigned char sig[6], v[14];

	put32(sig, 0x223E9F78);
	put16(sig + 4, 0x0001);
	dlp_gbuf_add(out, sig, 6);
	put32(v, 0x00010000);
	tnef_attr(out, 1, 0x00089006, v, 4); /* attTnefVersion */
	put32(v, 1252);
	put32(v + 4, 0);
	tnef_attr(out, 1, 0x00069007, v, 8);             /* attOemCodepage */
	tnef_attr(out, 1, 0x00078008, cls, sizeof(cls)); /* attMessageClass */
	tnef_attr(out, 1, 0x0002800C, body, nbody);      /* attBody */
	memset(v, 0, sizeof(v));
	put16(v, 1);
	put32(v + 2, 0xFFFFFFFFu);
	tnef_attr(out, 2, 0x00069002, v, 14); /* attAttachRenddata */
	tnef_attr(out, 2, 0x00018010, fname, strlen(fname) + 1); /* Title */
	tnef_attr(out, 2, 0x0006800F, data, ndata); /* attAttachData */
	return 0;
}
