/*
 * test_oom.c - the out-of-memory sweep: for each message of a set that
 * covers every stage (multipart, base64, quoted-printable, HTML, nested
 * message/rfc822, TNEF, zip, docx, PDF), fail the n-th allocation and
 * every one after it, for every n up to the count a clean scan makes.
 * Each run must return DLP_ERR_NOMEM with no result, or finish with the
 * verdict of the clean scan; it must never crash, never leak (test_live)
 * and never say allow when the clean verdict is not allow. Only the
 * library's own allocations go through the hook (libarchive, libmagic,
 * poppler and ICU allocate on their own), so this covers our code.
 */
#include "attach_util.h"
#include "msg_util.h"

/* Counts calls, then hands them to test_mem (which fails the n-th). */
static unsigned long ncalls;

static void *
c_malloc(void *ctx, size_t n)
{
	ncalls++;
	return test_mem.a.malloc_fn(ctx, n);
}

static void *
c_realloc(void *ctx, void *p, size_t n)
{
	ncalls++;
	return test_mem.a.realloc_fn(ctx, p, n);
}

static void
c_free(void *ctx, void *p)
{
	test_mem.a.free_fn(ctx, p);
}

static const struct dlp_allocator counting = {c_malloc, c_realloc, c_free};

struct oom_case {
	const char *name;
	char *msg;
	size_t len;
};

static void
add_case(struct oom_case *c, size_t *n, const char *name, char *msg, size_t len)
{
	c[*n].name = name;
	c[*n].msg = msg;
	c[*n].len = len;
	(*n)++;
}

static void
text_case(struct oom_case *c, size_t *n, const char *name, const char *s)
{
	size_t len = strlen(s);
	char *p = malloc(len + 1);

	if (p != NULL) {
		memcpy(p, s, len + 1);
		add_case(c, n, name, p, len);
	}
}

#define W                                                                      \
	"xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/"   \
	"main\""

static size_t
make_cases(struct oom_case *c)
{
	size_t n = 0, len, blen;
	unsigned char *b;
	static const char ct[] =
	    "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas."
	    "openxmlformats.org/package/2006/content-types\"><Override "
	    "PartName=\"/word/document.xml\" ContentType=\"application/vnd."
	    "openxmlformats-officedocument.wordprocessingml.document.main+xml"
	    "\"/></Types>";
	static const char doc[] = "<?xml version=\"1.0\"?><w:document " W
	                          "><w:body><w:p><w:r><w:t>SECRET//NOFORN"
	                          "</w:t></w:r></w:p></w:body></w:document>";
	const char *dir = test_corpus_dir();
	char *m;

	text_case(c, &n, "multipart",
	    "From: a@corp.example\nTo: x@example.org\nSubject: hi\n"
	    "MIME-Version: 1.0\nContent-Type: multipart/alternative; "
	    "boundary=b\n\n--b\nContent-Type: text/plain\n\nSECRET//"
	    "NOFORN\n--b\nContent-Type: text/html\n\n<p>SECRET//NOFORN"
	    "</p>\n--b--\n");
	text_case(c, &n, "base64",
	    "From: a@corp.example\nTo: x@example.org\nSubject: hi\n"
	    "Content-Transfer-Encoding: base64\n\n"
	    "U0VDUkVULy9OT0ZPUk4KYm9keQo=\n");
	text_case(c, &n, "quoted-printable",
	    "From: a@corp.example\nTo: x@example.org\nSubject: =?utf-"
	    "8?q?caf=C3=A9?=\nContent-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: quoted-printable\n\nSECRET//NO="
	    "\nFORN caf=C3=A9\n");
	text_case(c, &n, "html",
	    "From: a@corp.example\nTo: x@example.org\nSubject: hi\n"
	    "Content-Type: text/html; charset=iso-8859-1\n\n<html><body>"
	    "<p>&#83;ECRET//NO<b>FORN</b> &eacute;</p></body></html>\n");
	text_case(c, &n, "message/rfc822",
	    "From: a@corp.example\nTo: x@example.org\nSubject: fwd\n"
	    "MIME-Version: 1.0\nContent-Type: multipart/mixed; "
	    "boundary=b\n\n--b\nContent-Type: text/plain\n\nsee below\n"
	    "--b\nContent-Type: message/rfc822\n\nFrom: c@d.example\n"
	    "Subject: SECRET//NOFORN\n\ninner body\n--b--\n");
	if ((b = make_archive(archive_write_set_format_zip, NULL, NULL,
	         (struct fentry[]){{"doc.txt", "SECRET//NOFORN\n", 15}}, 1,
	         &blen)) != NULL) {
		m = mu_message(
		    "see attached", "a.zip", "application/zip", b, blen, &len);
		add_case(c, &n, "zip", m, len);
		free(b);
	}
	if ((b = make_archive(archive_write_set_format_zip, NULL, NULL,
	         (struct fentry[]){{"[Content_Types].xml", ct, sizeof(ct) - 1},
	             {"word/document.xml", doc, sizeof(doc) - 1}},
	         2, &blen)) != NULL) {
		m = mu_message("see attached", "a.docx",
		    "application/vnd.openxmlformats-officedocument."
		    "wordprocessingml.document",
		    b, blen, &len);
		add_case(c, &n, "docx", m, len);
		free(b);
	}
	b = mu_pdf("SECRET//NOFORN", 0, &blen);
	m = mu_message(
	    "see attached", "a.pdf", "application/pdf", b, blen, &len);
	add_case(c, &n, "pdf", m, len);
	free(b);
	if (dir != NULL) {
		char path[4096];

		snprintf(path, sizeof(path),
		    "%s/tnef/tests/files/datafiles/body.tnef", dir);
		if ((b = test_read_file(path, &blen)) != NULL) {
			m = mu_message("see attached", "winmail.dat",
			    "application/ms-tnef", b, blen, &len);
			add_case(c, &n, "tnef", m, len);
			free(b);
		}
	}
	return n;
}

static void
sweep(const struct dlp_engine *e, const struct oom_case *c)
{
	struct dlp_scan *s = NULL;
	struct dlp_result *r;
	enum dlp_verdict want;
	unsigned long total, n, nomem = 0, ok = 0;
	long base = test_live();

	/* The clean scan: its verdict and its allocation count. */
	ncalls = 0;
	CHECK(dlp_scan_new(e, &s) == DLP_OK);
	r = mu_scan(s, c->msg, c->len);
	total = ncalls;
	CHECK_MSG(r != NULL, "%s", c->name);
	if (r == NULL) {
		dlp_scan_free(s);
		return;
	}
	want = dlp_result_verdict(r);
	dlp_result_free(r);
	dlp_scan_free(s);
	for (n = 1; n <= total + 1; n++) {
		struct dlp_envelope env = {0};
		enum dlp_status st;

		r = NULL;
		s = NULL;
		env.flags = DLP_ENV_RCPTS_FROM_HEADERS;
		test_fail_after(n);
		st = dlp_scan_new(e, &s);
		if (st == DLP_OK)
			st = dlp_scan_message(s, c->msg, c->len, &env, &r);
		test_fail_after(0);
		if (st == DLP_OK) {
			ok++;
			CHECK_MSG(r != NULL && dlp_result_verdict(r) == want,
			    "%s n=%lu: verdict %s, want %s", c->name, n,
			    dlp_verdict_name(dlp_result_verdict(r)),
			    dlp_verdict_name(want));
		} else {
			nomem++;
			CHECK_MSG(st == DLP_ERR_NOMEM && r == NULL,
			    "%s n=%lu: status %d", c->name, n, st);
		}
		dlp_result_free(r);
		dlp_scan_free(s);
		CHECK_MSG(test_live() == base, "%s n=%lu: %ld blocks leaked",
		    c->name, n, test_live() - base);
	}
	printf("  %-16s %s, %lu allocations: %lu NOMEM, %lu verdicts\n",
	    c->name, dlp_verdict_name(want), total, nomem, ok);
	/* Every generated case carries a marking; the corpus TNEF file
	 * does not. */
	CHECK_MSG(want != DLP_ALLOW || strcmp(c->name, "tnef") == 0,
	    "%s: the case must not be allowed", c->name);
}

TEST(sweep_every_stage)
{
	struct oom_case cases[16];
	struct dlp_engine *e = mu_engine(&counting, NULL);
	size_t n = make_cases(cases);

	CHECK(e != NULL);
	CHECK(n >= 8);
	for (size_t i = 0; e != NULL && i < n; i++)
		sweep(e, &cases[i]);
	for (size_t i = 0; i < n; i++)
		free(cases[i].msg);
	dlp_engine_free(e);
	CHECK_INT(test_live(), 0);
}

TEST_MAIN()
