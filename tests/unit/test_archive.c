/*
 * test_archive.c - archives and compressed streams: a marking in every
 * container libarchive can write, nesting, encryption, every limit, zip
 * bombs, truncation, path traversal names, concatenated zips, self
 * nesting, an OOM sweep and the libarchive test corpus.
 */
#define _POSIX_C_SOURCE 200809L
#include "attach_util.h"

static const char marking[] = "TOP SECRET//NOFORN quarterly figures\n";

/* --- a peak-tracking allocator, to show entries are not held whole --- */

static size_t cur_bytes, peak_bytes;

static void *
pk_malloc(void *ctx, size_t n)
{
	size_t *p = malloc(n + 16);

	(void)ctx;
	if (p == NULL)
		return NULL;
	*p = n;
	cur_bytes += n;
	if (cur_bytes > peak_bytes)
		peak_bytes = cur_bytes;
	return (char *)p + 16;
}

static void
pk_free(void *ctx, void *q)
{
	(void)ctx;
	if (q == NULL)
		return;
	cur_bytes -= *(size_t *)((char *)q - 16);
	free((char *)q - 16);
}

static void *
pk_realloc(void *ctx, void *q, size_t n)
{
	size_t *p, old;

	if (q == NULL)
		return pk_malloc(ctx, n);
	old = *(size_t *)((char *)q - 16);
	if ((p = realloc((char *)q - 16, n + 16)) == NULL)
		return NULL;
	*p = n;
	cur_bytes = cur_bytes - old + n;
	if (cur_bytes > peak_bytes)
		peak_bytes = cur_bytes;
	return (char *)p + 16;
}

static const struct dlp_mem peak_mem = {{pk_malloc, pk_realloc, pk_free, NULL}};

static enum dlp_status
scan(struct rsink *r, const unsigned char *d, size_t len)
{
	return dlp_extract_object(&r->x, "attachment:x", NULL, NULL, d, len, 1);
}

/* --- a marking in each container --- */

static const struct {
	const char *label;
	arc_setter fmt, flt;
	const char *opt, *name, *where;
} containers[] = {
    {"zip deflate", archive_write_set_format_zip, NULL, NULL,
        "docs/marking.txt", "attachment:x/docs/marking.txt"},
    {"zip store", archive_write_set_format_zip, NULL, "zip:compression=store",
        "docs/marking.txt", "attachment:x/docs/marking.txt"},
    {"zip64", archive_write_set_format_zip, NULL, "zip:zip64",
        "docs/marking.txt", "attachment:x/docs/marking.txt"},
    {"7z lzma2", archive_write_set_format_7zip, NULL, NULL, "docs/marking.txt",
        "attachment:x/docs/marking.txt"},
    {"7z bzip2", archive_write_set_format_7zip, NULL, "7zip:compression=bzip2",
        "marking.txt", "attachment:x/marking.txt"},
    {"7z deflate", archive_write_set_format_7zip, NULL,
        "7zip:compression=deflate", "marking.txt", "attachment:x/marking.txt"},
    {"7z ppmd", archive_write_set_format_7zip, NULL, "7zip:compression=ppmd",
        "marking.txt", "attachment:x/marking.txt"},
    {"7z store", archive_write_set_format_7zip, NULL, "7zip:compression=store",
        "marking.txt", "attachment:x/marking.txt"},
    {"ustar", archive_write_set_format_ustar, NULL, NULL, "docs/marking.txt",
        "attachment:x/docs/marking.txt"},
    {"pax", archive_write_set_format_pax, NULL, NULL, "docs/marking.txt",
        "attachment:x/docs/marking.txt"},
    {"gnutar", archive_write_set_format_gnutar, NULL, NULL, "docs/marking.txt",
        "attachment:x/docs/marking.txt"},
    {"v7 tar", archive_write_set_format_v7tar, NULL, NULL, "docs/marking.txt",
        "attachment:x/docs/marking.txt"},
    {"cpio odc", archive_write_set_format_cpio, NULL, NULL, "docs/marking.txt",
        "attachment:x/docs/marking.txt"},
    {"cpio newc", archive_write_set_format_cpio_newc, NULL, NULL,
        "docs/marking.txt", "attachment:x/docs/marking.txt"},
    {"iso9660", archive_write_set_format_iso9660, NULL, NULL, "marking.txt",
        "attachment:x/marking.txt"},
    {"ar", archive_write_set_format_ar_svr4, NULL, NULL, "marking.txt",
        "attachment:x/marking.txt"},
    {"tar.gz", archive_write_set_format_ustar, archive_write_add_filter_gzip,
        NULL, "docs/marking.txt", "attachment:x/docs/marking.txt"},
    {"tar.bz2", archive_write_set_format_ustar, archive_write_add_filter_bzip2,
        NULL, "docs/marking.txt", "attachment:x/docs/marking.txt"},
    {"tar.xz", archive_write_set_format_ustar, archive_write_add_filter_xz,
        NULL, "docs/marking.txt", "attachment:x/docs/marking.txt"},
    {"tar.lzma", archive_write_set_format_ustar, archive_write_add_filter_lzma,
        NULL, "docs/marking.txt", "attachment:x/docs/marking.txt"},
    {"tar.zst", archive_write_set_format_ustar, archive_write_add_filter_zstd,
        NULL, "docs/marking.txt", "attachment:x/docs/marking.txt"},
    {"tar.lz4", archive_write_set_format_ustar, archive_write_add_filter_lz4,
        NULL, "docs/marking.txt", "attachment:x/docs/marking.txt"},
    {"tar.Z", archive_write_set_format_ustar, archive_write_add_filter_compress,
        NULL, "docs/marking.txt", "attachment:x/docs/marking.txt"},
    {"tar.uu", archive_write_set_format_ustar,
        archive_write_add_filter_uuencode, NULL, "docs/marking.txt",
        "attachment:x/docs/marking.txt"},
    {"cpio.xz", archive_write_set_format_cpio_newc, archive_write_add_filter_xz,
        NULL, "marking.txt", "attachment:x/marking.txt"},
    {"gzip", archive_write_set_format_raw, archive_write_add_filter_gzip, NULL,
        "marking.txt", "attachment:x/data"},
    {"bzip2", archive_write_set_format_raw, archive_write_add_filter_bzip2,
        NULL, "marking.txt", "attachment:x/data"},
    {"xz", archive_write_set_format_raw, archive_write_add_filter_xz, NULL,
        "marking.txt", "attachment:x/data"},
    {"lzma", archive_write_set_format_raw, archive_write_add_filter_lzma, NULL,
        "marking.txt", "attachment:x/data"},
    {"zstd", archive_write_set_format_raw, archive_write_add_filter_zstd, NULL,
        "marking.txt", "attachment:x/data"},
    {"lz4", archive_write_set_format_raw, archive_write_add_filter_lz4, NULL,
        "marking.txt", "attachment:x/data"},
    {"compress", archive_write_set_format_raw,
        archive_write_add_filter_compress, NULL, "marking.txt",
        "attachment:x/data"},
};

TEST(archive_marking_in_each_container)
{
	for (size_t i = 0; i < DLP_NITEMS(containers); i++) {
		struct fentry e = {
		    containers[i].name, marking, sizeof(marking) - 1};
		size_t len = 0;
		unsigned char *d = make_archive(containers[i].fmt,
		    containers[i].flt, containers[i].opt, &e, 1, &len);
		struct rsink r;
		char want[256];

		CHECK_MSG(d != NULL, "%s: not written", containers[i].label);
		if (d == NULL)
			continue;
		rsink_init(&r, &test_mem);
		CHECK_INT(scan(&r, d, len), DLP_OK);
		snprintf(want, sizeof(want), "text 8 %s TOP SECRET//NOFORN",
		    containers[i].where);
		CHECK_MSG(test_sink_has(&r.t, want), "%s: want %s in:\n%s",
		    containers[i].label, want, rsink_log(&r));
		CHECK_MSG(!test_sink_has(&r.t, "unscanned"), "%s:\n%s",
		    containers[i].label, rsink_log(&r));
		if (containers[i].fmt != archive_write_set_format_raw) {
			snprintf(want, sizeof(want), "text 16 %s %s",
			    containers[i].where, containers[i].name);
			CHECK_MSG(test_sink_has(&r.t, want), "%s: want %s",
			    containers[i].label, want);
		}
		rsink_fini(&r);
		free(d);
	}
	CHECK_INT(test_live(), 0);
}

/* zip inside tar.gz inside 7z. */
static unsigned char *
make_nested(size_t *len)
{
	struct fentry e = {"marking.txt", marking, sizeof(marking) - 1};
	unsigned char *zip, *tgz, *sz = NULL;
	size_t zl, tl;

	if ((zip = make_archive(
	         archive_write_set_format_zip, NULL, NULL, &e, 1, &zl)) == NULL)
		return NULL;
	e = (struct fentry){"doc.zip", zip, zl};
	tgz = make_archive(archive_write_set_format_ustar,
	    archive_write_add_filter_gzip, NULL, &e, 1, &tl);
	if (tgz != NULL) {
		e = (struct fentry){"inner.tar.gz", tgz, tl};
		sz = make_archive(
		    archive_write_set_format_7zip, NULL, NULL, &e, 1, len);
	}
	free(zip);
	free(tgz);
	return sz;
}

TEST(archive_nested_three_deep)
{
	size_t len;
	unsigned char *d = make_nested(&len);
	struct rsink r;

	CHECK(d != NULL);
	if (d == NULL)
		return;
	rsink_init(&r, &test_mem);
	CHECK_INT(scan(&r, d, len), DLP_OK);
	CHECK_MSG(test_sink_has(&r.t, "text 8 attachment:x/inner.tar.gz/"
	                              "doc.zip/marking.txt TOP SECRET"),
	    "%s", rsink_log(&r));
	CHECK(test_sink_has(&r.t, "object attachment:x/inner.tar.gz/doc.zip "
	                          "doc.zip - "));
	CHECK(test_sink_has(&r.t, " 3\n")); /* the zip's entry at depth 4 */
	CHECK(!test_sink_has(&r.t, "unscanned"));
	rsink_fini(&r);
	free(d);
}

TEST(archive_encrypted_zip)
{
	static const struct fentry e[] = {
	    {"secret.txt", marking, sizeof(marking) - 1}};
	size_t len;
	unsigned char *d = make_archive(archive_write_set_format_zip, NULL,
	    "zip:encryption=zipcrypt", e, 1, &len);
	struct rsink r;

	CHECK(d != NULL);
	if (d == NULL)
		return;
	rsink_init(&r, &test_mem);
	CHECK_INT(scan(&r, d, len), DLP_OK);
	CHECK_MSG(
	    test_sink_has(&r.t, "unscanned attachment:x/secret.txt encrypted"),
	    "%s", rsink_log(&r));
	CHECK(test_sink_has(&r.t, "text 16 attachment:x/secret.txt"));
	CHECK(!test_sink_has(&r.t, "TOP SECRET"));
	rsink_fini(&r);
	free(d);
}

TEST(archive_entry_count_limit)
{
	struct fentry e[10];
	char names[10][16];
	size_t len;
	unsigned char *d;
	struct rsink r;

	for (int i = 0; i < 10; i++) {
		snprintf(names[i], sizeof(names[i]), "f%d.txt", i);
		e[i] = (struct fentry){names[i], marking, sizeof(marking) - 1};
	}
	d = make_archive(archive_write_set_format_zip, NULL, NULL, e, 10, &len);
	CHECK(d != NULL);
	if (d == NULL)
		return;
	/* Per archive (max_entries), then per message (the budget). */
	for (int pass = 0; pass < 2; pass++) {
		rsink_init(&r, &test_mem);
		if (pass == 0)
			r.t.limits.max_entries = 4;
		else
			r.t.budget.entries_left = 4;
		CHECK_INT(scan(&r, d, len), DLP_OK);
		CHECK_MSG(test_sink_has(&r.t, "unscanned attachment:x limit "
		                              "entry count (max_entries): "
		                              "stopped after 4"),
		    "%s", rsink_log(&r));
		CHECK_INT(rsink_count(&r, "text 8 "), 4);
		rsink_fini(&r);
	}
	free(d);
}

TEST(archive_entry_size_limit)
{
	struct fentry z = {"big.bin", FILL_A, (size_t)16 << 20};
	size_t len;
	unsigned char *zip, *gz;
	struct rsink r;

	/* Size in the header: not read at all. */
	zip =
	    make_archive(archive_write_set_format_zip, NULL, NULL, &z, 1, &len);
	CHECK(zip != NULL);
	rsink_init(&r, &test_mem);
	r.t.limits.max_entry_bytes = (size_t)1 << 20;
	CHECK_INT(scan(&r, zip, len), DLP_OK);
	CHECK_MSG(
	    test_sink_has(&r.t, "unscanned attachment:x/big.bin limit "
	                        "entry size 16777216 over max_entry_bytes"),
	    "%s", rsink_log(&r));
	rsink_fini(&r);
	free(zip);
	/* A gzip stream hides its size: read up to the limit, then cut. */
	gz = make_archive(archive_write_set_format_raw,
	    archive_write_add_filter_gzip, NULL, &z, 1, &len);
	CHECK(gz != NULL);
	rsink_init(&r, &peak_mem);
	r.t.limits.max_entry_bytes = (size_t)1 << 20;
	r.t.limits.max_ratio = (size_t)1 << 20;
	peak_bytes = cur_bytes = 0;
	CHECK_INT(scan(&r, gz, len), DLP_OK);
	CHECK_MSG(test_sink_has(&r.t, "unscanned attachment:x/data limit entry "
	                              "size (max_entry_bytes): entry cut after "
	                              "1048576 bytes"),
	    "%s", rsink_log(&r));
	CHECK_MSG(peak_bytes < ((size_t)2 << 20), "peak %zu", peak_bytes);
	rsink_fini(&r);
	free(gz);
}

TEST(archive_expanded_budget)
{
	struct fentry e[4];
	size_t len;
	unsigned char *d;
	struct rsink r;

	for (int i = 0; i < 4; i++)
		e[i] = (struct fentry){"z.bin", NULL, (size_t)1 << 20};
	d = make_archive(archive_write_set_format_7zip, NULL, NULL, e, 4, &len);
	CHECK(d != NULL);
	if (d == NULL)
		return;
	rsink_init(&r, &test_mem);
	r.t.limits.max_ratio = (size_t)1 << 30;
	r.t.budget.expanded_left = (size_t)5 << 19; /* 2.5 MiB */
	CHECK_INT(scan(&r, d, len), DLP_OK);
	CHECK_MSG(test_sink_has(&r.t, "limit expanded bytes per message "
	                              "(max_expanded_bytes): entry cut after "
	                              "524288 bytes"),
	    "%s", rsink_log(&r));
	CHECK_INT(r.t.budget.expanded_left, 0);
	CHECK_INT(rsink_count(&r, "text 16 "), 3);
	rsink_fini(&r);
	free(d);
}

TEST(archive_ratio_limit)
{
	struct fentry z = {"zeros.bin", NULL, (size_t)64 << 20};
	size_t len;
	unsigned char *d =
	    make_archive(archive_write_set_format_zip, NULL, NULL, &z, 1, &len);
	struct rsink r;

	CHECK(d != NULL);
	if (d == NULL)
		return;
	rsink_init(&r, &peak_mem);
	peak_bytes = cur_bytes = 0;
	CHECK_INT(scan(&r, d, len), DLP_OK);
	CHECK_MSG(test_sink_has(&r.t, "unscanned attachment:x/zeros.bin limit "
	                              "expansion ratio (max_ratio)"),
	    "%s", rsink_log(&r));
	/* Stopped at about len * 200 bytes, far below 64 MiB. */
	CHECK_MSG(peak_bytes < 2 * len * 200 + ((size_t)1 << 20), "peak %zu",
	    peak_bytes);
	rsink_fini(&r);
	free(d);
}

/* 10 GiB from about 10 MB: 1280 gzip members of 8 MiB of zeros each. */
TEST(archive_ten_gib_member)
{
	struct fentry z = {"m", FILL_A, (size_t)8 << 20};
	size_t one, len;
	unsigned char *m = make_archive(archive_write_set_format_raw,
	    archive_write_add_filter_gzip, NULL, &z, 1, &one);
	unsigned char *d;
	struct rsink r;
	uint64_t t0;

	CHECK(m != NULL);
	if (m == NULL || (d = malloc(one * 1280)) == NULL) {
		free(m);
		return;
	}
	for (size_t i = 0; i < 1280; i++)
		memcpy(d + i * one, m, one);
	len = one * 1280;
	rsink_init(&r, &peak_mem);
	r.t.limits.max_entry_bytes = (size_t)32 << 20;
	peak_bytes = cur_bytes = 0;
	t0 = dlp_now_ns();
	CHECK_INT(scan(&r, d, len), DLP_OK);
	CHECK_MSG(test_sink_has(&r.t, "unscanned attachment:x/data limit "
	                              "entry size (max_entry_bytes)"),
	    "%.300s", rsink_log(&r));
	CHECK_MSG(peak_bytes <= r.t.limits.max_entry_bytes + ((size_t)1 << 20),
	    "peak %zu", peak_bytes);
	CHECK_MSG(dlp_now_ns() - t0 < (uint64_t)20 * 1000000000u, "too slow");
	rsink_fini(&r);
	free(m);
	free(d);
}

TEST(archive_deadline)
{
	size_t len;
	unsigned char *d =
	    make_zip1("a.txt", marking, sizeof(marking) - 1, &len);
	struct rsink r;

	CHECK(d != NULL);
	rsink_init(&r, &test_mem);
	r.t.budget.deadline_ns = 1;
	CHECK_INT(dlp_extract_archive(&r.x, "attachment:x", d, len, 1), DLP_OK);
	CHECK_MSG(test_sink_has(&r.t, "unscanned attachment:x limit scan time"),
	    "%s", rsink_log(&r));
	CHECK(!test_sink_has(&r.t, "TOP SECRET"));
	rsink_fini(&r);
	free(d);
}

/* 42.zip style: 16 copies per level, three levels, 1 MiB of zeros each. */
TEST(archive_zip_bomb_nest)
{
	struct fentry e[16];
	size_t len, nlen;
	unsigned char *d, *n;
	struct rsink r;

	e[0] = (struct fentry){"0.bin", NULL, (size_t)1 << 20};
	d = make_archive(archive_write_set_format_zip, NULL, NULL, e, 1, &len);
	for (int level = 0; d != NULL && level < 3; level++) {
		static const char *const nm[16] = {"0.zip", "1.zip", "2.zip",
		    "3.zip", "4.zip", "5.zip", "6.zip", "7.zip", "8.zip",
		    "9.zip", "a.zip", "b.zip", "c.zip", "d.zip", "e.zip",
		    "f.zip"};

		for (int i = 0; i < 16; i++)
			e[i] = (struct fentry){nm[i], d, len};
		n = make_archive(archive_write_set_format_zip, NULL,
		    "zip:compression=store", e, 16, &nlen);
		free(d);
		d = n;
		len = nlen;
	}
	CHECK(d != NULL);
	if (d == NULL)
		return;
	rsink_init(&r, &peak_mem);
	r.t.budget.expanded_left = (size_t)64 << 20;
	peak_bytes = cur_bytes = 0;
	CHECK_INT(scan(&r, d, len), DLP_OK);
	CHECK_MSG(test_sink_has(&r.t, "limit expanded bytes per message"),
	    "%.2000s", rsink_log(&r));
	CHECK_INT(r.t.budget.expanded_left, 0);
	CHECK_MSG(peak_bytes < ((size_t)16 << 20), "peak %zu", peak_bytes);
	rsink_fini(&r);
	free(d);
}

/* A zip in a zip ... 20 deep, the marking at the bottom. */
TEST(archive_deep_nest)
{
	size_t len, nlen;
	unsigned char *d = make_zip1(
	                  "marking.txt", marking, sizeof(marking) - 1, &len),
	              *n;
	struct rsink r;

	for (int i = 0; d != NULL && i < 19; i++) {
		n = make_zip1("in.zip", d, len, &nlen);
		free(d);
		d = n;
		len = nlen;
	}
	CHECK(d != NULL);
	if (d == NULL)
		return;
	rsink_init(&r, &test_mem);
	CHECK_INT(scan(&r, d, len), DLP_OK);
	CHECK_MSG(test_sink_has(&r.t, "/in.zip/marking.txt TOP SECRET"), "%s",
	    rsink_log(&r));
	CHECK_INT(r.nobjects, 20);
	rsink_fini(&r);
	rsink_init(&r, &test_mem);
	r.t.limits.max_depth = 10;
	CHECK_INT(scan(&r, d, len), DLP_OK);
	CHECK(test_sink_has(&r.t, "limit nesting depth 11 over max_depth 10"));
	CHECK(!test_sink_has(&r.t, "TOP SECRET"));
	rsink_fini(&r);
	free(d);
}

/* An archive that contains itself ends at the depth limit. */
TEST(archive_self_nesting)
{
	size_t len;
	unsigned char *d = make_zip1("self.zip", "placeholder", 11, &len);
	struct rsink r;

	CHECK(d != NULL);
	if (d == NULL)
		return;
	rsink_init(&r, &test_mem);
	r.self = d;
	r.selflen = len;
	CHECK_INT(scan(&r, d, len), DLP_OK);
	CHECK(test_sink_has(&r.t, "limit nesting depth 33 over max_depth 32"));
	CHECK_INT(r.nobjects, 32);
	rsink_fini(&r);
	free(d);
}

TEST(archive_truncated)
{
	static const struct {
		arc_setter fmt, flt;
	} kinds[] = {
	    {archive_write_set_format_zip, NULL},
	    {archive_write_set_format_7zip, NULL},
	    {archive_write_set_format_ustar, archive_write_add_filter_gzip},
	    {archive_write_set_format_ustar, archive_write_add_filter_xz},
	    {archive_write_set_format_ustar, archive_write_add_filter_bzip2},
	    {archive_write_set_format_cpio_newc, archive_write_add_filter_zstd},
	};
	static const char text[] =
	    "TOP SECRET and a good deal more text so that the entry is long "
	    "enough to be cut in the middle of its compressed data ......\n";

	for (size_t k = 0; k < DLP_NITEMS(kinds); k++) {
		struct fentry e[2] = {{"a.txt", text, sizeof(text) - 1},
		    {"b.txt", text, sizeof(text) - 1}};
		size_t len;
		unsigned char *d =
		    make_archive(kinds[k].fmt, kinds[k].flt, NULL, e, 2, &len);

		CHECK(d != NULL);
		if (d == NULL)
			continue;
		for (size_t cut = 1; cut < 8; cut++) {
			struct rsink r;
			size_t n = len * cut / 8;

			rsink_init(&r, &test_mem);
			CHECK_INT(
			    dlp_extract_archive(&r.x, "attachment:x", d, n, 1),
			    DLP_OK);
			CHECK_MSG(test_sink_has(&r.t, "unscanned attachment:x"),
			    "kind %zu cut %zu/%zu:\n%s", k, n, len,
			    rsink_log(&r));
			rsink_fini(&r);
		}
		free(d);
	}
}

TEST(archive_path_traversal)
{
	static const struct {
		const char *name;
		int bad;
	} names[] = {
	    {"../../etc/passwd", 1},
	    {"/etc/shadow", 1},
	    {"a/../../b.txt", 1},
	    {"C:\\Windows\\x.dll", 1},
	    {"..\\up.txt", 1},
	    {"ok/..hidden/file", 0},
	    {"dir/file..txt", 0},
	};

	for (size_t i = 0; i < DLP_NITEMS(names); i++) {
		size_t len;
		unsigned char *d = make_zip1(names[i].name, "x", 1, &len);
		struct rsink r;

		CHECK(d != NULL);
		if (d == NULL)
			continue;
		rsink_init(&r, &test_mem);
		CHECK_INT(scan(&r, d, len), DLP_OK);
		CHECK_MSG(test_sink_has(&r.t, "archive-path-traversal 1") ==
		              names[i].bad,
		    "%s:\n%s", names[i].name, rsink_log(&r));
		rsink_fini(&r);
		free(d);
	}
}

TEST(archive_concatenated)
{
	size_t la, lb;
	unsigned char *a = make_zip1("a.txt", "ALPHA marking", 13, &la);
	unsigned char *b = make_zip1("b.txt", "BRAVO marking", 13, &lb);
	unsigned char *d;
	struct rsink r;

	CHECK(a != NULL && b != NULL);
	if (a == NULL || b == NULL || (d = malloc(la + lb + 9)) == NULL) {
		free(a), free(b);
		return;
	}
	/* A then B: both read, the join reported. */
	memcpy(d, a, la);
	memcpy(d + la, b, lb);
	rsink_init(&r, &test_mem);
	CHECK_INT(scan(&r, d, la + lb), DLP_OK);
	CHECK_MSG(test_sink_has(&r.t, "BRAVO") && test_sink_has(&r.t, "ALPHA"),
	    "%s", rsink_log(&r));
	CHECK(test_sink_has(&r.t, "unscanned attachment:x/(prefix) malformed"));
	rsink_fini(&r);
	/* A then junk. */
	memcpy(d + la, "trailing!", 9);
	rsink_init(&r, &test_mem);
	CHECK_INT(scan(&r, d, la + 9), DLP_OK);
	CHECK(test_sink_has(&r.t, "ALPHA"));
	CHECK_MSG(test_sink_has(&r.t, "unscanned attachment:x/(trailer) "
	                              "malformed 9 bytes after"),
	    "%s", rsink_log(&r));
	CHECK(test_sink_has(&r.t, "text 8 attachment:x/(trailer) trailing!"));
	rsink_fini(&r);
	free(a), free(b), free(d);
}

/* Bytes after a tar's end marker, plain or inside gzip, are scanned. */
TEST(archive_tar_trailer)
{
	static const char hidden[] = "HIDDEN SECRET after the end marker";
	struct fentry e = {"a.txt", "visible", 7};
	size_t tl, gl;
	unsigned char *tar = make_archive(
	    archive_write_set_format_ustar, NULL, NULL, &e, 1, &tl);
	unsigned char *d, *gz = NULL;
	struct rsink r;

	CHECK(tar != NULL);
	if (tar == NULL || (d = malloc(tl + sizeof(hidden))) == NULL) {
		free(tar);
		return;
	}
	memcpy(d, tar, tl);
	memcpy(d + tl, hidden, sizeof(hidden) - 1);
	for (int pass = 0; pass < 2; pass++) {
		const unsigned char *in = d;
		size_t len = tl + sizeof(hidden) - 1;

		if (pass == 1) {
			e = (struct fentry){"t", d, len};
			gz = make_archive(archive_write_set_format_raw,
			    archive_write_add_filter_gzip, NULL, &e, 1, &gl);
			CHECK(gz != NULL);
			if (gz == NULL)
				break;
			in = gz;
			len = gl;
		}
		rsink_init(&r, &test_mem);
		CHECK_INT(scan(&r, in, len), DLP_OK);
		CHECK(test_sink_has(&r.t, "text 8 attachment:x/a.txt visible"));
		CHECK_MSG(
		    test_sink_has(&r.t, "unscanned attachment:x/(trailer) "
		                        "malformed"),
		    "pass %d: %s", pass, rsink_log(&r));
		CHECK(test_sink_has(&r.t, "text 8 attachment:x/(trailer) "
		                          "HIDDEN SECRET"));
		rsink_fini(&r);
	}
	free(tar), free(d), free(gz);
}

/* A sink error stops the walk at once and is returned. */
static enum dlp_status
fail_text(
    void *c, unsigned s, const char *w, const char *h, const char *t, size_t n)
{
	(void)c, (void)s, (void)w, (void)h, (void)t, (void)n;
	return DLP_ERR_SCAN;
}

TEST(archive_sink_error)
{
	size_t len;
	unsigned char *d = make_zip1("a.txt", "x", 1, &len);
	struct rsink r;

	CHECK(d != NULL);
	rsink_init(&r, &test_mem);
	r.sink.text = fail_text;
	CHECK_INT(scan(&r, d, len), DLP_ERR_SCAN);
	rsink_fini(&r);
	free(d);
}

TEST(archive_oom)
{
	size_t len;
	unsigned char *d = make_nested(&len);
	int done = 0;

	CHECK(d != NULL);
	if (d == NULL)
		return;
	for (unsigned long n = 1; n < 2000 && !done; n++) {
		struct rsink r;
		enum dlp_status st;
		long base;

		rsink_init(&r, &test_mem);
		base = test_live();
		test_fail_after(n);
		st = scan(&r, d, len);
		test_fail_after(0);
		CHECK_MSG(
		    st == DLP_OK || st == DLP_ERR_NOMEM, "n %lu: %d", n, st);
		if (st == DLP_OK && test_sink_has(&r.t, "TOP SECRET"))
			done = 1;
		dlp_sniffer_free(r.x.sniff);
		r.x.sniff = NULL;
		CHECK_INT(test_live(), base);
		rsink_fini(&r);
	}
	CHECK(done);
	CHECK_INT(test_live(), 0);
	free(d);
}

/* --- the libarchive test corpus (uuencoded) --- */

static int
uu_char(int c)
{
	return (c - ' ') & 0x3F;
}

static unsigned char *
uudecode(const unsigned char *in, size_t len, size_t *out)
{
	unsigned char *o = malloc(len), *p = o;
	const unsigned char *s = in, *end = in + len;

	if (o == NULL)
		return NULL;
	while (s < end && strncmp((const char *)s, "begin ", 6) != 0)
		s++;
	while (s < end && *s != '\n')
		s++;
	while (s < end) {
		const unsigned char *e;
		int n;

		s++;
		e = memchr(s, '\n', (size_t)(end - s));

		if (e == NULL)
			e = end;
		if (e == s || (n = uu_char(*s)) == 0)
			break;
		for (const unsigned char *q = s + 1; q + 3 < e + 1 && n > 0;
		     q += 4) {
			int c0 = uu_char(q[0]),
			    c1 = q + 1 < e ? uu_char(q[1]) : 0,
			    c2 = q + 2 < e ? uu_char(q[2]) : 0,
			    c3 = q + 3 < e ? uu_char(q[3]) : 0;

			*p++ = (unsigned char)(c0 << 2 | c1 >> 4), n--;
			if (n-- > 0)
				*p++ = (unsigned char)(c1 << 4 | c2 >> 2);
			if (n-- > 0)
				*p++ = (unsigned char)(c2 << 6 | c3);
		}
		s = e;
	}
	*out = (size_t)(p - o);
	return o;
}

struct corpus {
	size_t files, encrypted_named, encrypted_seen;
};

static void
corpus_one(const char *path, void *ctx)
{
	struct corpus *c = ctx;
	size_t len, dlen;
	unsigned char *raw = test_read_file(path, &len), *d;
	struct rsink r;
	const char *base = strrchr(path, '/') + 1;
	uint64_t t0;

	if (raw == NULL)
		return;
	if (getenv("DLP_TEST_VERBOSE"))
		fprintf(stderr, "%s\n", base);
	d = uudecode(raw, len, &dlen);
	free(raw);
	if (d == NULL)
		return;
	if (dlen == 0) { /* begin-base64: not for this decoder */
		free(d);
		return;
	}
	rsink_init(&r, &test_mem);
	t0 = dlp_now_ns();
	r.t.limits.max_entry_bytes = (size_t)16 << 20;
	r.t.budget.expanded_left = (size_t)64 << 20;
	CHECK_MSG(
	    dlp_extract_object(&r.x, base, base, NULL, d, dlen, 1) == DLP_OK,
	    "%s", base);
	CHECK_MSG(r.t.log.len > 0, "%s: nothing reported", base);
	if (getenv("DLP_TEST_VERBOSE"))
		fprintf(
		    stderr, "  %.1f ms\n", (double)(dlp_now_ns() - t0) / 1e6);
	c->files++;
	if (strstr(base, "encrypt") != NULL) {
		c->encrypted_named++;
		if (test_sink_has(&r.t, " encrypted "))
			c->encrypted_seen++;
		else
			fprintf(stderr, "  no encrypted report: %s\n", base);
	}
	rsink_fini(&r);
	free(d);
}

TEST(archive_corpus_libarchive)
{
	const char *dir = test_corpus_dir();
	char path[4096];
	struct corpus c = {0};

	if (dir == NULL)
		TEST_SKIP("no corpus");
	snprintf(path, sizeof(path), "%s/libarchive/libarchive/test", dir);
	each_file(path, ".uu", corpus_one, &c);
	CHECK(c.files > 400);
	CHECK_MSG(c.encrypted_seen == c.encrypted_named, "%zu of %zu",
	    c.encrypted_seen, c.encrypted_named);
	CHECK_INT(test_live(), 0);
}

TEST(archive_corpus_quine)
{
	size_t len;
	unsigned char *d;
	struct rsink r;

	if ((d = test_tika_file("pkg", "quine.gz", &len)) == NULL)
		TEST_SKIP("no corpus quine.gz");
	rsink_init(&r, &test_mem);
	CHECK_INT(dlp_extract_object(
	              &r.x, "attachment:quine.gz", "quine.gz", NULL, d, len, 1),
	    DLP_OK);
	/* libarchive stops it at its filter-stack limit, or the depth does. */
	CHECK_MSG(test_sink_has(&r.t, "unscanned attachment:quine.gz"),
	    "%.3000s", rsink_log(&r));
	rsink_fini(&r);
	free(d);
}

TEST_MAIN()
