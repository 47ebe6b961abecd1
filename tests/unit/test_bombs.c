/*
 * test_bombs.c - resource bombs, generated here (nothing committed): each
 * must end inside the configured limits, in bounded time, with an
 * "unscanned" entry saying which limit stopped it, and a verdict that is
 * not allow (the recipient is external, so unscanned level 2 holds).
 *
 *	100,000 MIME parts		max_parts
 *	10,000-deep multipart nesting	max_depth
 *	10,000-deep message/rfc822	max_depth
 *	zips nested 20 deep		read (under max_depth 32); with
 *					max_depth 16: the limit
 *	one zip member of 10 GB of zeros	max_entry_bytes / max_ratio
 *	self-similar zip fan-out (each level holds the one below 8 times)
 *					max_entries / budget
 *	quine.gz (shared corpus, when present)	depth / malformed
 *	a PDF whose xref claims a billion objects	malformed
 */
#include "attach_util.h"
#include "msg_util.h"

static double
now_s(void)
{
	return (double)dlp_now_ns() / 1e9;
}

/* Scan msg; check a verdict other than allow, an unscanned entry with
 * why (and detail or where containing needle, may be NULL) and the time.
 */
static void
expect(struct dlp_scan *s, const char *label, const char *msg, size_t len,
    const char *why, const char *needle)
{
	double t0 = now_s(), dt;
	struct dlp_result *r = mu_scan(s, msg, len);

	dt = now_s() - t0;
	CHECK_MSG(r != NULL, "%s: no result", label);
	if (r == NULL)
		return;
	CHECK_MSG(dlp_result_verdict(r) != DLP_ALLOW, "%s: allowed", label);
	CHECK_MSG(mu_unscanned(r, why, needle), "%s: no unscanned %s (%s)",
	    label, why, needle ? needle : "");
	CHECK_MSG(dt < 20.0, "%s: %.1f s", label, dt);
	printf("  %-28s %s in %.2f s, %zu unscanned", label,
	    dlp_verdict_name(dlp_result_verdict(r)), dt,
	    dlp_result_nunscanned(r));
	if (dlp_result_nunscanned(r) > 0)
		printf(" (first: %s %s)", dlp_result_unscanned(r, 0)->why,
		    dlp_result_unscanned(r, 0)->detail);
	printf("\n");
	dlp_result_free(r);
}

static struct dlp_engine *eng;
static struct dlp_scan *scan;

static int
setup(void)
{
	if (scan != NULL)
		return 1;
	eng = mu_engine(NULL, NULL);
	CHECK(eng != NULL && dlp_scan_new(eng, &scan) == DLP_OK);
	return scan != NULL;
}

TEST(mime_100000_parts)
{
	struct mu_str m = {0};

	if (!setup())
		return;
	mu_puts(&m, "From: a@corp.example\nTo: x@example.org\nSubject: p\n"
	            "MIME-Version: 1.0\nContent-Type: multipart/mixed; "
	            "boundary=b\n\n");
	for (int i = 0; i < 100000; i++)
		mu_puts(&m, "--b\n\nx\n");
	mu_puts(&m, "--b--\n");
	expect(scan, "100,000 parts", m.p, m.len, "limit", NULL);
	free(m.p);
}

static void
deep(const char *label, int rfc822)
{
	struct mu_str m = {0};
	char line[128];
	int n = 10000;

	mu_puts(&m, "From: a@corp.example\nTo: x@example.org\nSubject: d\n"
	            "MIME-Version: 1.0\n");
	for (int i = 0; i < n; i++) {
		if (rfc822) {
			mu_puts(&m, "Content-Type: message/rfc822\n\n"
			            "Subject: level\n");
		} else {
			snprintf(line, sizeof(line),
			    "Content-Type: multipart/mixed; "
			    "boundary=b%d\n\n--b%d\n",
			    i, i);
			mu_puts(&m, line);
		}
	}
	mu_puts(&m, "Content-Type: text/plain\n\nSECRET//NOFORN\n");
	for (int i = n - 1; !rfc822 && i >= 0; i--) {
		snprintf(line, sizeof(line), "--b%d--\n", i);
		mu_puts(&m, line);
	}
	expect(scan, label, m.p, m.len, "limit", NULL);
	free(m.p);
}

TEST(mime_10000_deep)
{
	if (!setup())
		return;
	deep("10,000-deep multipart", 0);
	deep("10,000-deep message/rfc822", 1);
}

/* A zip holding one member called name with data. */
static unsigned char *
zip1(const char *name, const void *data, size_t len, size_t *out)
{
	struct fentry e = {name, data, len};

	return make_archive(
	    archive_write_set_format_zip, NULL, NULL, &e, 1, out);
}

static void
attach(const char *label, const char *fname, const unsigned char *z,
    size_t zlen, const char *why, const char *needle)
{
	size_t len;
	char *m =
	    mu_message("see attached", fname, "application/zip", z, zlen, &len);

	expect(scan, label, m, len, why, needle);
	free(m);
}

TEST(zip_nested_20_deep)
{
	size_t len;
	unsigned char *z = zip1("in.txt", "SECRET//NOFORN\n", 15, &len);

	if (!setup())
		return;
	for (int i = 0; z != NULL && i < 20; i++) {
		unsigned char *o = zip1("n.zip", z, len, &len);

		free(z);
		z = o;
	}
	CHECK(z != NULL);
	if (z != NULL) {
		/* Within the default max_depth (32): read to the bottom. */
		size_t mlen;
		char *m = mu_message(
		    "see attached", "n.zip", "application/zip", z, len, &mlen);
		struct dlp_result *r = mu_scan(scan, m, mlen);
		struct dlp_limits lim;
		struct dlp_engine *e2;
		struct dlp_scan *s2 = NULL;

		CHECK(r != NULL && dlp_result_verdict(r) == DLP_BLOCK &&
		      dlp_result_level(r) == 4);
		dlp_result_free(r);
		/* With max_depth 16 the limit stops it, unscanned. */
		dlp_limits_default(&lim);
		lim.max_depth = 16;
		e2 = mu_engine(NULL, &lim);
		CHECK(e2 != NULL && dlp_scan_new(e2, &s2) == DLP_OK);
		if (s2 != NULL)
			expect(s2, "zips nested 20 deep, depth 16", m, mlen,
			    "limit", NULL);
		dlp_scan_free(s2);
		dlp_engine_free(e2);
		free(m);
	}
	free(z);
}

TEST(zip_member_10gb)
{
	/* 10 GiB of zeros, streamed through libarchive's writer at the
	 * fastest deflate level: the zip is about 10 MB. */
	struct fentry e = {"zeros.bin", NULL, (size_t)10 << 30};
	size_t len;
	double t0 = now_s();
	unsigned char *z;

	if (!setup())
		return;
	z = make_archive(archive_write_set_format_zip, NULL,
	    "zip:compression-level=1,zip:zip64", &e, 1, &len);
	CHECK(z != NULL);
	if (z == NULL)
		return;
	printf(
	    "  (10 GiB member: %zu-byte zip in %.1f s)\n", len, now_s() - t0);
	attach("10 GiB member", "zeros.zip", z, len, "limit", NULL);
	free(z);
}

TEST(zip_self_similar_fanout)
{
	/* Each level holds the level below eight times: 8^7 = 2 million
	 * leaves if nothing stopped it. */
	struct fentry e[8];
	size_t len;
	unsigned char *z = zip1("leaf.txt", "x", 1, &len);
	char names[8][16];

	if (!setup())
		return;
	for (int lv = 0; z != NULL && lv < 7; lv++) {
		unsigned char *o;

		for (int i = 0; i < 8; i++) {
			snprintf(names[i], sizeof(names[i]), "c%d.zip", i);
			e[i] = (struct fentry){names[i], z, len};
		}
		o = make_archive(
		    archive_write_set_format_zip, NULL, NULL, e, 8, &len);
		free(z);
		z = o;
	}
	CHECK(z != NULL);
	if (z != NULL)
		attach(
		    "self-similar fan-out 8^7", "f.zip", z, len, "limit", NULL);
	free(z);
}

TEST(quine_gz)
{
	unsigned char *q;
	size_t len;

	if ((q = test_tika_file("pkg", "quine.gz", &len)) == NULL)
		TEST_SKIP("no corpus quine.gz");
	if (!setup())
		return;
	/* A gzip that decompresses to itself: the depth limit ends it. */
	{
		size_t mlen;
		char *m = mu_message("see attached", "quine.gz",
		    "application/gzip", q, len, &mlen);

		expect(scan, "quine.gz", m, mlen, "limit", NULL);
		free(m);
	}
	free(q);
}

TEST(pdf_billion_object_xref)
{
	size_t len, mlen;
	unsigned char *p = mu_pdf("hello", 1000000000ul, &len);
	char *m;

	if (!setup())
		return;
	m = mu_message(
	    "see attached", "x.pdf", "application/pdf", p, len, &mlen);
	/* poppler repairs the table or gives up: either way bounded, and
	 * the engine reports the document as malformed. */
	expect(scan, "PDF xref of 10^9 objects", m, mlen, "malformed", NULL);
	free(m);
	free(p);
}

TEST(teardown)
{
	dlp_scan_free(scan);
	dlp_engine_free(eng);
	scan = NULL;
	eng = NULL;
}

TEST_MAIN()
