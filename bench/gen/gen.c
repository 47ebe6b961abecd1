/*
 * gen.c - dlpgen: writes a deterministic benchmark corpus of outbound
 * mail (issue 8's mix) and a manifest of what was planted where.
 *
 *   dlpgen --out DIR [--seed N] [--count N] [--scale F] [--plant-rate F]
 *
 * DIR/mNNNNNN.eml   the messages (CRLF line ends)
 * DIR/manifest.jsonl one line per message: file, class, size, and for a
 *                   planted message the marking, its kind and level,
 *                   where it sits and the container type
 * DIR/mix.json      the mix actually generated
 *
 * Planted messages (plant-rate, default 3%) pick a container first, round
 * robin over every container type, so each type gets some plants; the
 * class follows from the container. Everything comes from the seed.
 */
#include <errno.h>
#include <gsf/gsf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gen.h"

enum cls { C_PLAIN, C_ALT, C_HTML, C_ATTACH, C_FWD, C_TNEF, C_LARGE, NCLS };

static const char *const cls_name[NCLS] = {"plain", "alternative",
    "html-inline", "attachments", "forwarded", "tnef", "large-archive"};
/* Issue 8's mix, in per mille. */
static const unsigned cls_pm[NCLS] = {100, 450, 150, 220, 50, 10, 20};

enum att { A_PDF, A_DOCX, A_XLSX, A_PPTX, A_PNG, A_JPEG, A_ZIP, A_DOC, NATT };

static const char *const att_name[NATT] = {
    "pdf", "docx", "xlsx", "pptx", "png", "jpeg", "zip", "doc"};
static const unsigned att_pm[NATT] = {340, 150, 110, 70, 90, 80, 90, 70};
static const char *const att_ext[NATT] = {
    "pdf", "docx", "xlsx", "pptx", "png", "jpg", "zip", "doc"};
static const char *const att_type[NATT] = {"application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml."
    "document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml."
    "presentation",
    "image/png", "image/jpeg", "application/zip", "application/msword"};

/* Containers a plant can sit in. */
enum ctr {
	K_SUBJECT,
	K_BODY,
	K_FOOTER,
	K_HTML,
	K_FILENAME,
	K_PDF,
	K_DOCX,
	K_XLSX,
	K_PPTX,
	K_ZIP,
	K_ZIPDOCX,
	K_DOC,
	K_RFC822,
	K_TNEF,
	K_LARGE,
	NCTR
};

static const char *const ctr_name[NCTR] = {"subject", "body/text", "footer",
    "body/html", "filename", "pdf", "docx", "xlsx", "pptx", "zip", "zip/docx",
    "doc", "message/rfc822", "tnef", "large-zip/docx"};

struct mark {
	const char *text; /* NULL: generated PII */
	const char *kind; /* "marking", "pii-card", "pii-ssn" */
	unsigned level;
};

static const struct mark marks[] = {
    {"OFFICIAL-SENSITIVE", "marking", 2},
    {"SECRET//NOFORN", "marking", 4},
    {"TOP SECRET//SI//NOFORN", "marking", 5},
    {"NATO SECRET", "marking", 4},
    {"CUI//SP-CTI", "marking", 2},
    {NULL, "pii-card", 2},
    {NULL, "pii-ssn", 2},
};
#define NMARKS (sizeof(marks) / sizeof(marks[0]))

struct plant {
	int on;
	enum ctr ctr;
	const struct mark *mk;
	char text[256]; /* what was written */
	char where[400];
};

struct gen {
	struct dlp_rng r;
	double scale;
	unsigned long msgno;
	struct plant pl;
	unsigned bnd; /* boundary counter within a message */
	FILE *manifest;
};

/* PII with valid check digits; three to a table, as in a spreadsheet. */
static void
card_number(struct dlp_rng *r, char *out, size_t n)
{
	int d[16], sum = 0;

	d[0] = 4; /* Visa, 16 digits */
	for (int i = 1; i < 15; i++)
		d[i] = (int)dlp_rng_below(r, 10);
	for (int i = 0; i < 15; i++) {
		int v = d[i];

		if (i % 2 == 0) {
			v *= 2;
			if (v > 9)
				v -= 9;
		}
		sum += v;
	}
	d[15] = (10 - sum % 10) % 10;
	snprintf(out, n, "%d%d%d%d %d%d%d%d %d%d%d%d %d%d%d%d", d[0], d[1],
	    d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12],
	    d[13], d[14], d[15]);
}

static void
ssn_number(struct dlp_rng *r, char *out, size_t n)
{
	unsigned area;

	do
		area = 1 + (unsigned)dlp_rng_below(r, 899);
	while (area == 666);
	snprintf(out, n, "%03u-%02u-%04u", area,
	    1 + (unsigned)dlp_rng_below(r, 99),
	    1 + (unsigned)dlp_rng_below(r, 9999));
}

/* The planted text as one line (PII: a three-row table). */
static void
plant_text(struct gen *g)
{
	const struct mark *mk = g->pl.mk;

	if (mk->text != NULL) {
		snprintf(g->pl.text, sizeof(g->pl.text), "%s", mk->text);
		return;
	}
	g->pl.text[0] = '\0';
	for (int i = 0; i < 3; i++) {
		char num[32], row[80];

		if (strcmp(mk->kind, "pii-card") == 0)
			card_number(&g->r, num, sizeof(num));
		else
			ssn_number(&g->r, num, sizeof(num));
		snprintf(row, sizeof(row), "%sEmployee %d: %s", i ? "; " : "",
		    100 + (int)dlp_rng_below(&g->r, 900), num);
		strncat(g->pl.text, row,
		    sizeof(g->pl.text) - strlen(g->pl.text) - 1);
	}
}

/* Text for a document of about n bytes; the plant goes on line 3. */
static void
doc_text(struct gen *g, struct dlp_gbuf *t, size_t n, int plant)
{
	dlp_gbuf_puts(t, "Quarterly review\n\n");
	if (plant) {
		dlp_gbuf_puts(t, g->pl.text);
		dlp_gbuf_puts(t, "\n");
	}
	dlp_gen_prose(&g->r, t, n, 0);
	/* Drop the final newline so FOR_LINES does not add an empty line. */
	if (t->len > 0 && t->p[t->len - 1] == '\n')
		t->p[--t->len] = '\0';
}

static int
make_doc(struct gen *g, enum att a, struct dlp_gbuf *out, size_t n, int plant)
{
	struct dlp_gbuf t = {0};
	int rc = 0;

	switch (a) {
	case A_PDF: {
		/*
		 * The text is drawn as for the other formats (same PRNG
		 * stream) but only its first quarter, to a line end, goes in:
		 * a PDF's bytes are mostly fonts and images, and a file of n
		 * bytes holding 2n bytes of text costs about four times more
		 * per byte to read than the real PDFs of ../shared/corpus
		 * (see README.md). The rest of the n bytes is an image.
		 */
		size_t keep;

		doc_text(g, &t, n * 2, plant);
		keep = t.len / 4;
		while (keep < t.len && t.p[keep] != '\n')
			keep++;
		rc = dlp_gen_pdf(out, t.p, keep, n);
		break;
	}
	case A_DOCX:
		doc_text(g, &t, n * 2, plant);
		rc = dlp_gen_docx(out, t.p, t.len);
		break;
	case A_XLSX:
		doc_text(g, &t, n * 2, plant);
		rc = dlp_gen_xlsx(out, t.p, t.len);
		break;
	case A_PPTX:
		doc_text(g, &t, n * 2, plant);
		rc = dlp_gen_pptx(out, t.p, t.len);
		break;
	case A_DOC:
		doc_text(g, &t, n, plant);
		rc = dlp_gen_doc(out, t.p, t.len);
		break;
	case A_PNG:
		rc = dlp_gen_png(&g->r, out, n);
		break;
	case A_JPEG:
		rc = dlp_gen_jpeg(&g->r, out, n);
		break;
	case A_ZIP: {
		/* csv and txt members; a planted zip/docx nests a docx. */
		struct dlp_gbuf a1 = {0}, a2 = {0};
		struct dlp_gen_member m[2];
		int nested = plant && g->pl.ctr == K_ZIPDOCX;

		doc_text(g, &a1, n * 2, plant && !nested);
		if (nested) {
			rc = make_doc(g, A_DOCX, &a2, n / 2, 1);
		} else {
			dlp_gbuf_puts(&a2, "id,amount,date\r\n");
			for (int i = 0; i < 40; i++)
				dlp_gbuf_printf(&a2,
				    "%d,%u.%02u,2026-11-%02d\r\n", i,
				    (unsigned)dlp_rng_below(&g->r, 9999),
				    (unsigned)dlp_rng_below(&g->r, 100),
				    1 + i % 28);
		}
		m[0] =
		    (struct dlp_gen_member){"notes/summary.txt", a1.p, a1.len};
		m[1] = (struct dlp_gen_member){
		    nested ? "notes/brief.docx" : "figures.csv", a2.p, a2.len};
		if (rc == 0)
			rc = dlp_gen_zip(out, m, 2, 0);
		dlp_gbuf_free(&a1);
		dlp_gbuf_free(&a2);
		break;
	}
	default:
		rc = -1;
	}
	dlp_gbuf_free(&t);
	return rc;
}

/* Message assembly. */

static void
boundary(struct gen *g, char *b, size_t n)
{
	snprintf(b, n, "=_bench_%06lu_%u", g->msgno, g->bnd++);
}

static void
headers(struct gen *g, struct dlp_gbuf *m, const char *subject_extra)
{
	static const char *const subj[] = {"Meeting notes", "Budget update",
	    "Draft for review", "Re: schedule", "Quarterly figures",
	    "Travel plans", "FW: contract", "Project status"};
	static const char *const to[] = {
	    "partner.example.com", "example.org", "supplier.example.net"};
	unsigned long id = g->msgno;

	dlp_gbuf_printf(m,
	    "From: User %lu <user%lu@corp.example.gov.uk>\r\n"
	    "To: Contact <contact%lu@%s>\r\n",
	    id % 97, id % 97, id % 13, to[dlp_rng_below(&g->r, 3)]);
	dlp_gbuf_printf(m, "Subject: %s%s%s\r\n",
	    subject_extra ? subject_extra : "", subject_extra ? " " : "",
	    subj[dlp_rng_below(&g->r, 8)]);
	dlp_gbuf_printf(m,
	    "Date: Tue, %u Dec 2026 %02u:%02u:00 +0000\r\n"
	    "Message-ID: <bench.%lu@corp.example.gov.uk>\r\n"
	    "MIME-Version: 1.0\r\n",
	    1 + (unsigned)dlp_rng_below(&g->r, 28),
	    (unsigned)dlp_rng_below(&g->r, 24),
	    (unsigned)dlp_rng_below(&g->r, 60), id);
}

static const char footer_text[] =
    "CONFIDENTIALITY NOTICE: This e-mail message is for the sole use of the\r\n"
    "intended recipient(s) and may contain information that is privileged.\r\n";

/* Body prose of about n bytes, with body/footer plants and the footer. */
static void
body_text(struct gen *g, struct dlp_gbuf *t, size_t n, int may_plant)
{
	dlp_gbuf_puts(t, "Hello,\r\n\r\n");
	if (may_plant && g->pl.on && g->pl.ctr == K_BODY) {
		dlp_gbuf_printf(t, "%s\r\n\r\n", g->pl.text);
		snprintf(g->pl.where, sizeof(g->pl.where), "body/text");
	}
	dlp_gen_prose(&g->r, t, n, 1);
	dlp_gbuf_puts(t, "\r\nRegards,\r\nUser\r\n--\r\n");
	if (dlp_rng_below(&g->r, 3) == 0)
		dlp_gbuf_puts(t, footer_text);
	if (may_plant && g->pl.on && g->pl.ctr == K_FOOTER) {
		dlp_gbuf_printf(t, "%s\r\n", g->pl.text);
		snprintf(
		    g->pl.where, sizeof(g->pl.where), "body/text (last line)");
	}
}

static void
html_from_text(struct gen *g, struct dlp_gbuf *h, const char *t, size_t n,
    size_t nimg, int plant)
{
	dlp_gbuf_puts(h, "<html><head><style>p{font-family:Calibri}</style>"
	                 "</head><body>\r\n<p>");
	for (size_t i = 0; i < n; i++) {
		if (t[i] == '\r')
			continue;
		if (t[i] == '\n') {
			dlp_gbuf_puts(h, i + 2 < n && t[i + 2] == '\n'
			                     ? "</p>\r\n<p>"
			                     : "<br>\r\n");
			continue;
		}
		dlp_gen_xml_escape(h, t + i, 1);
	}
	dlp_gbuf_puts(h, "</p>\r\n");
	for (size_t i = 0; i < nimg; i++)
		dlp_gbuf_printf(
		    h, "<img src=\"cid:img%zu.%lu@bench\">\r\n", i, g->msgno);
	if (plant) {
		/* The first character as an entity, as HTML mailers do. */
		dlp_gbuf_printf(h,
		    "<div style=\"font-size:8pt;color:#888\">&#%d;%s"
		    "</div>\r\n",
		    (unsigned char)g->pl.text[0], g->pl.text + 1);
		snprintf(g->pl.where, sizeof(g->pl.where), "body/html");
	}
	dlp_gbuf_puts(h, "</body></html>\r\n");
}

static void
part_qp(struct dlp_gbuf *m, const char *type, const char *p, size_t n)
{
	dlp_gbuf_printf(m,
	    "Content-Type: %s; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n",
	    type);
	dlp_gen_qp(m, p, n);
	dlp_gbuf_puts(m, "\r\n");
}

static void
part_b64(struct dlp_gbuf *m, const char *type, const char *name,
    const char *cid, const void *p, size_t n)
{
	dlp_gbuf_printf(m, "Content-Type: %s; name=\"%s\"\r\n", type, name);
	dlp_gbuf_puts(m, "Content-Transfer-Encoding: base64\r\n");
	if (cid != NULL)
		dlp_gbuf_printf(m,
		    "Content-ID: <%s>\r\nContent-Disposition: inline; "
		    "filename=\"%s\"\r\n\r\n",
		    cid, name);
	else
		dlp_gbuf_printf(m,
		    "Content-Disposition: attachment; "
		    "filename=\"%s\"\r\n\r\n",
		    name);
	dlp_gen_base64(m, p, n);
}

static enum att
pick_att(struct gen *g)
{
	unsigned x = (unsigned)dlp_rng_below(&g->r, 1000), acc = 0;

	for (int i = 0; i < NATT; i++) {
		acc += att_pm[i];
		if (x < acc)
			return (enum att)i;
	}
	return A_PDF;
}

static enum att
ctr_att(enum ctr c)
{
	switch (c) {
	case K_PDF:
	case K_FILENAME:
		return A_PDF;
	case K_DOCX:
		return A_DOCX;
	case K_XLSX:
		return A_XLSX;
	case K_PPTX:
		return A_PPTX;
	case K_ZIP:
	case K_ZIPDOCX:
		return A_ZIP;
	case K_DOC:
		return A_DOC;
	default:
		return NATT;
	}
}

/* Writes the body (after the top-level headers) of a class. */
static int body(struct gen *g, struct dlp_gbuf *m, enum cls c, size_t size,
    char *atts, size_t natts);

static int
attachments(
    struct gen *g, struct dlp_gbuf *m, size_t size, char *atts, size_t natts)
{
	char b[64];
	struct dlp_gbuf t = {0};
	size_t k = 1 + dlp_rng_below(&g->r, 3);
	enum att want = g->pl.on ? ctr_att(g->pl.ctr) : NATT;
	int rc = 0;

	boundary(g, b, sizeof(b));
	dlp_gbuf_printf(m,
	    "Content-Type: multipart/mixed; boundary=\"%s\"\r\n"
	    "\r\nThis is a multi-part message in MIME format.\r\n",
	    b);
	dlp_gbuf_printf(m, "--%s\r\n", b);
	body_text(g, &t, 600 + dlp_rng_below(&g->r, 2000), 1);
	part_qp(m, "text/plain", t.p, t.len);
	for (size_t i = 0; i < k && rc == 0; i++) {
		struct dlp_gbuf d = {0};
		enum att a = (i == 0 && want != NATT) ? want : pick_att(g);
		int plant = i == 0 && want != NATT && g->pl.ctr != K_FILENAME;
		char name[300];

		if (i == 0 && want != NATT && g->pl.ctr == K_FILENAME) {
			snprintf(name, sizeof(name), "%s budget.%s", g->pl.text,
			    att_ext[a]);
			snprintf(g->pl.where, sizeof(g->pl.where),
			    "attachment name");
		} else {
			snprintf(name, sizeof(name), "document%zu.%s", i + 1,
			    att_ext[a]);
		}
		rc = make_doc(g, a, &d, size / k, plant);
		if (plant)
			snprintf(g->pl.where, sizeof(g->pl.where),
			    "attachment:%s%s", name,
			    g->pl.ctr == K_ZIPDOCX ? "/notes/brief.docx"
			    : a == A_ZIP           ? "/notes/summary.txt"
			                           : "");
		dlp_gbuf_printf(m, "--%s\r\n", b);
		part_b64(m, att_type[a], name, NULL, d.p, d.len);
		if (strlen(atts) + 8 < natts) {
			if (atts[0])
				strcat(atts, ",");
			strcat(atts, att_name[a]);
		}
		dlp_gbuf_free(&d);
	}
	dlp_gbuf_printf(m, "--%s--\r\n", b);
	dlp_gbuf_free(&t);
	return rc;
}

static int
body(struct gen *g, struct dlp_gbuf *m, enum cls c, size_t size, char *atts,
    size_t natts)
{
	struct dlp_gbuf t = {0}, h = {0};
	char b[64], b2[64];
	int rc = 0;

	switch (c) {
	case C_PLAIN:
		body_text(g, &t, size, 1);
		dlp_gbuf_puts(m,
		    "Content-Type: text/plain; charset=us-ascii\r\n"
		    "Content-Transfer-Encoding: 7bit\r\n\r\n");
		dlp_gbuf_add(m, t.p, t.len);
		break;
	case C_ALT:
		body_text(g, &t, size * 2 / 5, 1);
		html_from_text(
		    g, &h, t.p, t.len, 0, g->pl.on && g->pl.ctr == K_HTML);
		boundary(g, b, sizeof(b));
		dlp_gbuf_printf(m,
		    "Content-Type: multipart/alternative; "
		    "boundary=\"%s\"\r\n\r\n--%s\r\n",
		    b, b);
		part_qp(m, "text/plain", t.p, t.len);
		dlp_gbuf_printf(m, "--%s\r\n", b);
		part_qp(m, "text/html", h.p, h.len);
		dlp_gbuf_printf(m, "--%s--\r\n", b);
		break;
	case C_HTML: {
		size_t nimg = 1 + dlp_rng_below(&g->r, 4);
		size_t tlen = size / 8 > 20000 ? 20000 : size / 8;

		body_text(g, &t, tlen, 1);
		html_from_text(
		    g, &h, t.p, t.len, nimg, g->pl.on && g->pl.ctr == K_HTML);
		boundary(g, b, sizeof(b));
		dlp_gbuf_printf(m,
		    "Content-Type: multipart/related; type=\"text/html\";"
		    " boundary=\"%s\"\r\n\r\n--%s\r\n",
		    b, b);
		part_qp(m, "text/html", h.p, h.len);
		for (size_t i = 0; i < nimg && rc == 0; i++) {
			struct dlp_gbuf d = {0};
			int png = dlp_rng_below(&g->r, 2) == 0;
			char cid[64], name[32];

			rc = (png ? dlp_gen_png : dlp_gen_jpeg)(
			    &g->r, &d, (size - tlen) / nimg);
			snprintf(
			    cid, sizeof(cid), "img%zu.%lu@bench", i, g->msgno);
			snprintf(name, sizeof(name), "image%zu.%s", i,
			    png ? "png" : "jpg");
			dlp_gbuf_printf(m, "--%s\r\n", b);
			part_b64(m, png ? "image/png" : "image/jpeg", name, cid,
			    d.p, d.len);
			dlp_gbuf_free(&d);
		}
		dlp_gbuf_printf(m, "--%s--\r\n", b);
		break;
	}
	case C_ATTACH:
		rc = attachments(g, m, size, atts, natts);
		break;
	case C_FWD: {
		struct dlp_gbuf inner = {0};
		int planted = g->pl.on && g->pl.ctr == K_RFC822;

		/* The forwarded message carries the plant in its body. */
		if (planted)
			g->pl.ctr = K_BODY;
		headers(g, &inner, NULL);
		rc = body(g, &inner, dlp_rng_below(&g->r, 2) ? C_PLAIN : C_ALT,
		    size, atts, natts);
		if (planted) {
			g->pl.ctr = K_RFC822;
			snprintf(g->pl.where, sizeof(g->pl.where),
			    "message/rfc822[1]:body/text");
		}
		boundary(g, b, sizeof(b));
		body_text(g, &t, 300, 0);
		dlp_gbuf_printf(m,
		    "Content-Type: multipart/mixed; boundary=\"%s\"\r\n"
		    "\r\n--%s\r\n",
		    b, b);
		part_qp(m, "text/plain", t.p, t.len);
		dlp_gbuf_printf(m,
		    "--%s\r\nContent-Type: message/rfc822\r\n"
		    "Content-Disposition: attachment; "
		    "filename=\"forwarded.eml\"\r\n\r\n",
		    b);
		dlp_gbuf_add(m, inner.p, inner.len);
		dlp_gbuf_printf(m, "\r\n--%s--\r\n", b);
		dlp_gbuf_free(&inner);
		if (strlen(atts) + 8 < natts)
			strcat(atts, atts[0] ? ",rfc822" : "rfc822");
		break;
	}
	case C_TNEF: {
		struct dlp_gbuf w = {0}, att = {0};
		int planted = g->pl.on && g->pl.ctr == K_TNEF;

		doc_text(g, &att, size / 2, planted);
		body_text(g, &t, 400, 0);
		dlp_gen_tnef(&w, t.p, t.len, "report.txt", att.p, att.len);
		if (planted)
			snprintf(g->pl.where, sizeof(g->pl.where),
			    "attachment:winmail.dat/report.txt");
		boundary(g, b, sizeof(b));
		dlp_gbuf_printf(m,
		    "Content-Type: multipart/mixed; boundary=\"%s\"\r\n"
		    "\r\n--%s\r\n",
		    b, b);
		part_qp(m, "text/plain", t.p, t.len);
		dlp_gbuf_printf(m, "--%s\r\n", b);
		part_b64(
		    m, "application/ms-tnef", "winmail.dat", NULL, w.p, w.len);
		dlp_gbuf_printf(m, "--%s--\r\n", b);
		dlp_gbuf_free(&w);
		dlp_gbuf_free(&att);
		if (strlen(atts) + 8 < natts)
			strcat(atts, atts[0] ? ",tnef" : "tnef");
		break;
	}
	case C_LARGE: {
		/* Scans (stored, incompressible) plus a report, 5-25 MB. */
		size_t total = (size_t)((5.0 + 20.0 * dlp_rng_unit(&g->r)) *
		                        1e6 * g->scale);
		size_t nscan = 4 + dlp_rng_below(&g->r, 6), k = 0;
		struct dlp_gen_member mem[12];
		struct dlp_gbuf parts[12], z = {0};
		char names[12][40];
		int planted = g->pl.on && g->pl.ctr == K_LARGE;

		memset(parts, 0, sizeof(parts));
		for (; k < nscan && rc == 0; k++) {
			rc = dlp_gen_jpeg(&g->r, &parts[k], total / nscan);
			snprintf(names[k], sizeof(names[k]),
			    "scans/page%02zu.jpg", k + 1);
		}
		if (rc == 0)
			rc = make_doc(g, A_DOCX, &parts[k], 20000, planted);
		snprintf(names[k], sizeof(names[k]), "report.docx");
		k++;
		for (size_t i = 0; i < k; i++)
			mem[i] = (struct dlp_gen_member){
			    names[i], parts[i].p, parts[i].len};
		if (rc == 0)
			rc = dlp_gen_zip(&z, mem, k, 1);
		if (planted)
			snprintf(g->pl.where, sizeof(g->pl.where),
			    "attachment:scans.zip/report.docx");
		boundary(g, b2, sizeof(b2));
		body_text(g, &t, 500, 1);
		dlp_gbuf_printf(m,
		    "Content-Type: multipart/mixed; boundary=\"%s\"\r\n"
		    "\r\n--%s\r\n",
		    b2, b2);
		part_qp(m, "text/plain", t.p, t.len);
		dlp_gbuf_printf(m, "--%s\r\n", b2);
		part_b64(m, "application/zip", "scans.zip", NULL, z.p, z.len);
		dlp_gbuf_printf(m, "--%s--\r\n", b2);
		for (size_t i = 0; i < k; i++)
			dlp_gbuf_free(&parts[i]);
		dlp_gbuf_free(&z);
		if (strlen(atts) + 8 < natts)
			strcat(atts, atts[0] ? ",zip" : "zip");
		break;
	}
	default:
		rc = -1;
	}
	dlp_gbuf_free(&t);
	dlp_gbuf_free(&h);
	return rc;
}

static enum cls
ctr_class(struct gen *g, enum ctr c)
{
	switch (c) {
	case K_SUBJECT:
	case K_BODY:
	case K_FOOTER:
		return dlp_rng_below(&g->r, 2) ? C_PLAIN : C_ALT;
	case K_HTML:
		return dlp_rng_below(&g->r, 2) ? C_ALT : C_HTML;
	case K_RFC822:
		return C_FWD;
	case K_TNEF:
		return C_TNEF;
	case K_LARGE:
		return C_LARGE;
	default:
		return C_ATTACH;
	}
}

static enum cls
pick_class(struct gen *g)
{
	unsigned x = (unsigned)dlp_rng_below(&g->r, 1000), acc = 0;

	for (int i = 0; i < NCLS; i++) {
		acc += cls_pm[i];
		if (x < acc)
			return (enum cls)i;
	}
	return C_ALT;
}

static void
json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void
usage(void)
{
	fprintf(stderr, "usage: dlpgen --out DIR [--seed N] [--count N] "
	                "[--scale F] [--plant-rate F]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	const char *dir = NULL;
	unsigned long long seed = 8;
	unsigned long count = 2000, nplant = 0;
	double scale = 1.0, rate = 0.03;
	unsigned long ncls[NCLS] = {0}, nctr[NCTR] = {0}, nmk[NMARKS] = {0};
	double bytes_cls[NCLS] = {0}, total = 0, total_small = 0;
	unsigned long nsmall = 0;
	struct gen g;
	char path[4096];
	FILE *mix;

	for (int i = 1; i < argc; i++) {
		if (i + 1 >= argc)
			usage();
		if (strcmp(argv[i], "--out") == 0)
			dir = argv[++i];
		else if (strcmp(argv[i], "--seed") == 0)
			seed = strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--count") == 0)
			count = strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--scale") == 0)
			scale = strtod(argv[++i], NULL);
		else if (strcmp(argv[i], "--plant-rate") == 0)
			rate = strtod(argv[++i], NULL);
		else
			usage();
	}
	if (dir == NULL || count == 0 || !(scale > 0) || rate < 0 || rate > 1)
		usage();
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		perror(dir);
		return 1;
	}
	gsf_init();
	memset(&g, 0, sizeof(g));
	dlp_rng_seed(&g.r, seed);
	g.scale = scale;
	snprintf(path, sizeof(path), "%s/manifest.jsonl", dir);
	if ((g.manifest = fopen(path, "w")) == NULL) {
		perror(path);
		return 1;
	}
	for (unsigned long i = 0; i < count; i++) {
		struct dlp_gbuf m = {0};
		char atts[128] = "", name[32], *subj = NULL;
		enum cls c;
		size_t size;
		FILE *f;

		g.msgno = i + 1;
		g.bnd = 0;
		memset(&g.pl, 0, sizeof(g.pl));
		if (dlp_rng_unit(&g.r) < rate) {
			g.pl.on = 1;
			g.pl.ctr = (enum ctr)(nplant % NCTR);
			g.pl.mk = &marks[(nplant / NCTR + nplant) % NMARKS];
			nplant++;
			plant_text(&g);
			c = ctr_class(&g, g.pl.ctr);
		} else {
			c = pick_class(&g);
		}
		size = (size_t)(dlp_rng_lognormal(&g.r, 75000.0, 1.0) * scale);
		if (size < 1500)
			size = 1500;
		if (size > (size_t)(4e6 * scale))
			size = (size_t)(4e6 * scale);
		if (g.pl.on && g.pl.ctr == K_SUBJECT) {
			subj = g.pl.text;
			snprintf(g.pl.where, sizeof(g.pl.where), "subject");
		}
		headers(&g, &m, subj);
		if (body(&g, &m, c, size, atts, sizeof(atts)) != 0) {
			fprintf(stderr, "dlpgen: writing message %lu failed\n",
			    g.msgno);
			return 1;
		}
		snprintf(name, sizeof(name), "m%06lu.eml", g.msgno);
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		if ((f = fopen(path, "wb")) == NULL ||
		    fwrite(m.p, 1, m.len, f) != m.len || fclose(f) != 0) {
			perror(path);
			return 1;
		}
		ncls[c]++;
		bytes_cls[c] += (double)m.len;
		total += (double)m.len;
		if (c != C_LARGE) {
			total_small += (double)m.len;
			nsmall++;
		}
		fprintf(g.manifest,
		    "{\"file\":\"%s\",\"class\":\"%s\","
		    "\"size\":%zu,\"attachments\":",
		    name, cls_name[c], m.len);
		json_str(g.manifest, atts);
		if (g.pl.on) {
			nctr[g.pl.ctr]++;
			nmk[g.pl.mk - marks]++;
			fprintf(g.manifest, ",\"planted\":");
			json_str(g.manifest, g.pl.text);
			fprintf(g.manifest,
			    ",\"kind\":\"%s\",\"level\":%u,"
			    "\"where\":",
			    g.pl.mk->kind, g.pl.mk->level);
			json_str(g.manifest, g.pl.where);
			fprintf(g.manifest, ",\"container\":\"%s\"",
			    ctr_name[g.pl.ctr]);
		}
		fprintf(g.manifest, "}\n");
		dlp_gbuf_free(&m);
	}
	if (fclose(g.manifest) != 0)
		return 1;

	snprintf(path, sizeof(path), "%s/mix.json", dir);
	if ((mix = fopen(path, "w")) == NULL) {
		perror(path);
		return 1;
	}
	fprintf(mix,
	    "{\"seed\":%llu,\"count\":%lu,\"scale\":%g,\"plant_rate\":%g,"
	    "\"bytes\":%.0f,\"mean_bytes\":%.0f,"
	    "\"mean_bytes_without_large\":%.0f,\"planted\":%lu,"
	    "\"classes\":{",
	    seed, count, scale, rate, total, total / (double)count,
	    nsmall ? total_small / (double)nsmall : 0.0, nplant);
	for (int i = 0; i < NCLS; i++)
		fprintf(mix,
		    "%s\"%s\":{\"count\":%lu,\"share\":%.4f,"
		    "\"bytes\":%.0f}",
		    i ? "," : "", cls_name[i], ncls[i],
		    (double)ncls[i] / (double)count, bytes_cls[i]);
	fprintf(mix, "},\"containers\":{");
	for (int i = 0; i < NCTR; i++)
		fprintf(
		    mix, "%s\"%s\":%lu", i ? "," : "", ctr_name[i], nctr[i]);
	fprintf(mix, "},\"markings\":{");
	for (size_t i = 0; i < NMARKS; i++)
		fprintf(mix, "%s\"%s\":%lu", i ? "," : "",
		    marks[i].text ? marks[i].text : marks[i].kind, nmk[i]);
	fprintf(mix, "}}\n");
	if (fclose(mix) != 0)
		return 1;
	printf("dlpgen: %lu messages, %.1f MB (mean %.1f KB, %.1f KB without "
	       "large archives), %lu planted, in %s\n",
	    count, total / 1e6, total / (double)count / 1e3,
	    nsmall ? total_small / (double)nsmall / 1e3 : 0.0, nplant, dir);
	for (int i = 0; i < NCLS; i++)
		printf("  %-14s %6lu  %5.1f%%  %8.1f MB\n", cls_name[i],
		    ncls[i], 100.0 * (double)ncls[i] / (double)count,
		    bytes_cls[i] / 1e6);
	return 0;
}
