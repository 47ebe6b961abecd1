/*
 * test_sniff.c - built-in type detection, the libmagic fallback and the
 * extension / declared-type tables.
 */
#define _POSIX_C_SOURCE 200809L
#include "attach_util.h"

static struct dlp_xctx
xctx(void)
{
	static struct dlp_mem libc;
	struct dlp_xctx x;

	dlp_mem_init_default(&libc);
	memset(&x, 0, sizeof(x));
	x.mem = &libc;
	return x;
}

#define B(s) (const uint8_t *)(s), sizeof(s) - 1

static const struct {
	const char *label;
	const uint8_t *data;
	size_t len;
	const char *name;
	enum dlp_ftype want;
} sigs[] = {
    {"pdf", B("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj"), NULL, DLP_FT_PDF},
    {"pdf after junk", B("garbage garbage\r\n%PDF-1.4\n"), NULL, DLP_FT_PDF},
    {"rtf", B("{\\rtf1\\ansi\\deff0 hello}"), NULL, DLP_FT_RTF},
    {"gzip", B("\x1F\x8B\x08\x00\x00\x00\x00\x00\x00\x03"), NULL, DLP_FT_GZIP},
    {"bzip2", B("BZh91AY&SY\x00\x01"), NULL, DLP_FT_BZIP2},
    {"xz",
        B("\xFD"
          "7zXZ\x00\x00\x04\xE6\xD6\xB4\x46"),
        NULL, DLP_FT_XZ},
    {"zstd", B("\x28\xB5\x2F\xFD\x24\x00\x01\x00"), NULL, DLP_FT_ZSTD},
    {"lzma", B("\x5D\x00\x00\x80\x00\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\x00"),
        NULL, DLP_FT_LZMA},
    {"lz4", B("\x04\x22\x4D\x18\x64\x40\xA7"), NULL, DLP_FT_LZ4},
    {"compress", B("\x1F\x9D\x90\x41\x00"), NULL, DLP_FT_COMPRESS},
    {"7z", B("7z\xBC\xAF\x27\x1C\x00\x04"), NULL, DLP_FT_7Z},
    {"rar4", B("Rar!\x1A\x07\x00\xCF\x90\x73"), NULL, DLP_FT_RAR},
    {"rar5", B("Rar!\x1A\x07\x01\x00\x33\x92"), NULL, DLP_FT_RAR5},
    {"cab", B("MSCF\x00\x00\x00\x00\x10\x00\x00\x00"), NULL, DLP_FT_CAB},
    {"cpio newc", B("070701000000010000"), NULL, DLP_FT_CPIO},
    {"lha", B("\x25\x1B-lh5-\x10\x00\x00\x00"), NULL, DLP_FT_LHA},
    {"ar", B("!<arch>\ndebian-binary   "), NULL, DLP_FT_AR},
    {"tnef", B("\x78\x9F\x3E\x22\x01\x00\x01\x06\x90"), NULL, DLP_FT_TNEF},
    {"pgp armour", B("-----BEGIN PGP MESSAGE-----\n\nhQEMA"), NULL, DLP_FT_PGP},
    {"pgp binary", B("\x85\x01\x0C\x03\x12\x34\x56\x78\x9A"), NULL, DLP_FT_PGP},
    {"pkcs7",
        B("\x30\x82\x05\x10\x06\x09\x2A\x86\x48\x86\xF7\x0D\x01\x07\x03"
          "\xA0"),
        NULL, DLP_FT_PKCS7},
    {"png", B("\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIHDR"), NULL, DLP_FT_PNG},
    {"jpeg", B("\xFF\xD8\xFF\xE0\x00\x10JFIF"), NULL, DLP_FT_JPEG},
    {"gif", B("GIF89a\x01\x00\x01\x00"), NULL, DLP_FT_GIF},
    {"bmp",
        B("BM\x36\x00\x0C\x00\x00\x00\x00\x00\x36\x00\x00\x00\x28\x00\x00"
          "\x00\x10\x00\x00\x00\x10\x00\x00\x00"),
        NULL, DLP_FT_BMP},
    {"tiff", B("II*\x00\x08\x00\x00\x00"), NULL, DLP_FT_TIFF},
    {"webp", B("RIFF\x24\x00\x00\x00WEBPVP8 "), NULL, DLP_FT_WEBP},
    {"heic",
        B("\x00\x00\x00\x18"
          "ftypheic\x00\x00\x00\x00"),
        NULL, DLP_FT_HEIC},
    {"ico",
        B("\x00\x00\x01\x00\x01\x00\x10\x10\x00\x00\x01\x00\x20\x00\x68"
          "\x04\x00\x00\x16\x00\x00\x00"),
        NULL, DLP_FT_ICO},
    {"wav", B("RIFF\x24\x00\x00\x00WAVEfmt "), NULL, DLP_FT_WAV},
    {"mp3 id3", B("ID3\x03\x00\x00\x00\x00\x00\x00"), NULL, DLP_FT_MP3},
    {"ogg", B("OggS\x00\x02\x00\x00"), NULL, DLP_FT_OGG},
    {"flac", B("fLaC\x00\x00\x00\x22"), NULL, DLP_FT_FLAC},
    {"mp4",
        B("\x00\x00\x00\x20"
          "ftypisom\x00\x00\x02\x00"),
        NULL, DLP_FT_MP4},
    {"mkv", B("\x1A\x45\xDF\xA3\x9F\x42\x86\x81"), NULL, DLP_FT_MKV},
    {"elf",
        B("\x7F"
          "ELF\x02\x01\x01\x00"),
        NULL, DLP_FT_ELF},
    {"pe", B("MZ\x90\x00\x03\x00\x00\x00"), NULL, DLP_FT_PE},
    {"mach-o", B("\xCF\xFA\xED\xFE\x07\x00\x00\x01"), NULL, DLP_FT_MACHO},
    {"mach-o fat", B("\xCA\xFE\xBA\xBE\x00\x00\x00\x02"), NULL, DLP_FT_MACHO},
    {"java class", B("\xCA\xFE\xBA\xBE\x00\x00\x00\x34"), NULL,
        DLP_FT_JAVA_CLASS},
    {"uuencode", B("begin 644 a.zip\nM4$L#!!0\n"), NULL, DLP_FT_UUENCODE},
    {"uuencode 4 digits", B("begin 0744 a.rar\nM4$L#!!0\n"), NULL,
        DLP_FT_UUENCODE},
    {"utf-8 text", B("Plain text, caf\xC3\xA9, SECRET.\n"), NULL, DLP_FT_TEXT},
    {"latin-1 text", B("Caf\xE9 cr\xE8me, line two\r\n"), NULL, DLP_FT_TEXT},
    {"utf-8 bom", B("\xEF\xBB\xBFhello"), NULL, DLP_FT_TEXT},
    {"utf-16le bom", B("\xFF\xFEh\0i\0"), NULL, DLP_FT_UTF16LE},
    {"utf-16be bom", B("\xFE\xFF\0h\0i"), NULL, DLP_FT_UTF16BE},
    {"utf-16le bare", B("S\0E\0C\0R\0E\0T\0 \0t\0e\0x\0t\0"), NULL,
        DLP_FT_UTF16LE},
    {"html", B("  <!DOCTYPE HTML><p>x</p>"), NULL, DLP_FT_HTML},
    {"html tag", B("<Html><body>x</body></html>"), NULL, DLP_FT_HTML},
    {"xml", B("<?xml version=\"1.0\"?><a/>"), NULL, DLP_FT_XML},
    {"xhtml", B("<?xml version=\"1.0\"?>\n<html xmlns=\"x\"/>"), NULL,
        DLP_FT_HTML},
    {"rfc822", B("Received: from a by b\r\nFrom: a@b\r\nSubject: x\r\n\r\nhi"),
        NULL, DLP_FT_RFC822},
    {"rfc822 mime", B("MIME-Version: 1.0\nReturn-Path: <a@b>\n\nbody"), NULL,
        DLP_FT_RFC822},
    {"not rfc822", B("Dear: Sir\nthis is a letter\n"), NULL, DLP_FT_TEXT},
    {"csv by name", B("a,b,c\n1,2,3\n"), "t.csv", DLP_FT_CSV},
    {"json by name", B("{\"a\": 1}"), "t.json", DLP_FT_JSON},
    {"binary", B("\x01\x02\x03\x04\x05\x06\x07\x08\x0E\x0F\x10\x11"), NULL,
        DLP_FT_UNKNOWN},
};

TEST(sniff_signatures)
{
	struct dlp_xctx x = xctx();

	for (size_t i = 0; i < DLP_NITEMS(sigs); i++) {
		struct dlp_sniff_result r =
		    dlp_sniff(&x, sigs[i].data, sigs[i].len, sigs[i].name);

		CHECK_MSG(r.type == sigs[i].want, "%s: got %s, want %s",
		    sigs[i].label, dlp_ftype_name(r.type),
		    dlp_ftype_name(sigs[i].want));
		if (sigs[i].want != DLP_FT_UNKNOWN)
			CHECK_MSG(
			    !r.by_magic, "%s: asked libmagic", sigs[i].label);
		CHECK_MSG(
		    r.mime != NULL && r.mime[0] != '\0', "%s", sigs[i].label);
	}
	dlp_sniffer_free(x.sniff);
}

/* An OLE2 file with one 512-byte FAT sector and one directory sector. */
static unsigned char *
make_ole(const char *const *names, size_t n, size_t *len)
{
	unsigned char *d = calloc(1, 512 * 3);

	if (d == NULL || n > 3)
		return free(d), NULL;
	memcpy(d, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
	d[0x18] = 0x3E, d[0x1A] = 3, d[0x1C] = 0xFE, d[0x1D] = 0xFF;
	d[0x1E] = 9, d[0x20] = 6, d[0x2C] = 1; /* one FAT sector */
	d[0x30] = 1;                           /* directory at sector 1 */
	memset(d + 0x3C, 0xFF, 4), d[0x3C] = 0xFE;
	memset(d + 0x44, 0xFF, 4), d[0x44] = 0xFE;
	memset(d + 0x4C, 0xFF, 109 * 4);
	memset(d + 0x4C, 0, 4); /* DIFAT[0] = sector 0 */
	memset(d + 512, 0xFF, 512);
	memcpy(d + 512, "\xFD\xFF\xFF\xFF\xFE\xFF\xFF\xFF", 8);
	for (size_t i = 0; i <= n; i++) {
		unsigned char *e = d + 1024 + i * 128;
		const char *s = i == 0 ? "Root Entry" : names[i - 1];
		size_t k = strlen(s);

		for (size_t c = 0; c < k; c++)
			e[2 * c] = (unsigned char)s[c];
		e[0x40] = (unsigned char)((k + 1) * 2);
		e[0x42] = i == 0 ? 5 : 2;
	}
	*len = 512 * 3;
	return d;
}

TEST(sniff_ole2)
{
	static const struct {
		const char *names[3];
		size_t n;
		enum dlp_ftype want;
	} cases[] = {
	    {{"WordDocument", "1Table"}, 2, DLP_FT_DOC},
	    {{"Workbook"}, 1, DLP_FT_XLS},
	    {{"Book"}, 1, DLP_FT_XLS},
	    {{"Current User", "PowerPoint Document"}, 2, DLP_FT_PPT},
	    {{"__substg1.0_0037001F", "__properties_version1.0"}, 2,
	        DLP_FT_MSG},
	    {{"EncryptionInfo", "EncryptedPackage"}, 2, DLP_FT_OOXML_ENCRYPTED},
	    {{"Thumbs"}, 1, DLP_FT_OLE},
	};
	struct dlp_xctx x = xctx();

	for (size_t i = 0; i < DLP_NITEMS(cases); i++) {
		size_t len;
		unsigned char *d = make_ole(cases[i].names, cases[i].n, &len);
		struct dlp_sniff_result r;

		CHECK(d != NULL);
		if (d == NULL)
			continue;
		r = dlp_sniff(&x, d, len, NULL);
		CHECK_MSG(r.type == cases[i].want, "case %zu: got %s", i,
		    dlp_ftype_name(r.type));
		/* Truncated: still OLE2, never a read out of bounds. */
		for (size_t cut = 8; cut < len; cut += 97)
			CHECK(
			    dlp_ftype_class(dlp_sniff(&x, d, cut, NULL).type) ==
			        DLP_FC_OLE ||
			    dlp_sniff(&x, d, cut, NULL).type ==
			        DLP_FT_OOXML_ENCRYPTED);
		free(d);
	}
	dlp_sniffer_free(x.sniff);
}

static const char odt_mime[] = "application/vnd.oasis.opendocument.text";
static const char ods_mime[] = "application/vnd.oasis.opendocument.spreadsheet";

TEST(sniff_zip_packages)
{
	static const struct fentry docx[] = {
	    {"[Content_Types].xml", "<Types/>", 8},
	    {"word/document.xml", "<w:document/>", 13}};
	static const struct fentry xlsx[] = {
	    {"[Content_Types].xml", "<Types/>", 8},
	    {"xl/workbook.xml", "<w/>", 4}};
	static const struct fentry pptx[] = {
	    {"[Content_Types].xml", "<Types/>", 8},
	    {"ppt/presentation.xml", "<p/>", 4}};
	static const struct fentry odt[] = {
	    {"mimetype", odt_mime, sizeof(odt_mime) - 1},
	    {"content.xml", "<office/>", 9}};
	static const struct fentry ods[] = {
	    {"mimetype", ods_mime, sizeof(ods_mime) - 1},
	    {"content.xml", "<office/>", 9}};
	static const struct fentry jar[] = {
	    {"META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n", 22},
	    {"a/B.class", "\xCA\xFE\xBA\xBE", 4}};
	static const struct fentry apk[] = {
	    {"AndroidManifest.xml", "x", 1}, {"classes.dex", "dex\n035", 7}};
	static const struct fentry zip[] = {{"a.txt", "hello", 5}};
	static const struct {
		const struct fentry *e;
		size_t n;
		const char *opt;
		enum dlp_ftype want;
	} cases[] = {
	    {docx, 2, NULL, DLP_FT_DOCX},
	    {xlsx, 2, NULL, DLP_FT_XLSX},
	    {pptx, 2, NULL, DLP_FT_PPTX},
	    {odt, 2, "zip:compression=store", DLP_FT_ODT},
	    {ods, 2, "zip:compression=store", DLP_FT_ODS},
	    {jar, 2, NULL, DLP_FT_JAR},
	    {apk, 2, NULL, DLP_FT_APK},
	    {zip, 1, NULL, DLP_FT_ZIP},
	};
	struct dlp_xctx x = xctx();

	for (size_t i = 0; i < DLP_NITEMS(cases); i++) {
		size_t len = 0;
		unsigned char *d = make_archive(archive_write_set_format_zip,
		    NULL, cases[i].opt, cases[i].e, cases[i].n, &len);
		struct dlp_sniff_result r;

		CHECK(d != NULL);
		if (d == NULL)
			continue;
		r = dlp_sniff(&x, d, len, NULL);
		CHECK_MSG(r.type == cases[i].want, "case %zu: got %s", i,
		    dlp_ftype_name(r.type));
		CHECK(!r.by_magic);
		/* Without its central directory: local headers decide. */
		for (size_t cut = 4; cut < len; cut += 7)
			CHECK_MSG(
			    dlp_ftype_class(dlp_sniff(&x, d, cut, NULL).type) !=
			        DLP_FC_UNKNOWN,
			    "case %zu cut %zu", i, cut);
		free(d);
	}
	dlp_sniffer_free(x.sniff);
}

TEST(sniff_written_archives)
{
	static const struct fentry one[] = {{"doc.txt", "SECRET\n", 7}};
	static const struct {
		arc_setter fmt, flt;
		enum dlp_ftype want;
	} cases[] = {
	    {archive_write_set_format_ustar, NULL, DLP_FT_TAR},
	    {archive_write_set_format_pax, NULL, DLP_FT_TAR},
	    {archive_write_set_format_gnutar, NULL, DLP_FT_TAR},
	    {archive_write_set_format_v7tar, NULL, DLP_FT_TAR},
	    {archive_write_set_format_cpio, NULL, DLP_FT_CPIO},
	    {archive_write_set_format_cpio_newc, NULL, DLP_FT_CPIO},
	    {archive_write_set_format_iso9660, NULL, DLP_FT_ISO9660},
	    {archive_write_set_format_ar_svr4, NULL, DLP_FT_AR},
	    {archive_write_set_format_7zip, NULL, DLP_FT_7Z},
	    {archive_write_set_format_ustar, archive_write_add_filter_gzip,
	        DLP_FT_GZIP},
	    {archive_write_set_format_ustar, archive_write_add_filter_bzip2,
	        DLP_FT_BZIP2},
	    {archive_write_set_format_ustar, archive_write_add_filter_xz,
	        DLP_FT_XZ},
	    {archive_write_set_format_ustar, archive_write_add_filter_lzma,
	        DLP_FT_LZMA},
	    {archive_write_set_format_ustar, archive_write_add_filter_zstd,
	        DLP_FT_ZSTD},
	    {archive_write_set_format_ustar, archive_write_add_filter_lz4,
	        DLP_FT_LZ4},
	    {archive_write_set_format_ustar, archive_write_add_filter_compress,
	        DLP_FT_COMPRESS},
	};
	struct dlp_xctx x = xctx();

	for (size_t i = 0; i < DLP_NITEMS(cases); i++) {
		size_t len = 0;
		unsigned char *d = make_archive(
		    cases[i].fmt, cases[i].flt, NULL, one, 1, &len);
		struct dlp_sniff_result r;

		CHECK_MSG(d != NULL, "case %zu", i);
		if (d == NULL)
			continue;
		r = dlp_sniff(&x, d, len, NULL);
		CHECK_MSG(r.type == cases[i].want, "case %zu: got %s want %s",
		    i, dlp_ftype_name(r.type), dlp_ftype_name(cases[i].want));
		free(d);
	}
	dlp_sniffer_free(x.sniff);
}

TEST(sniff_libmagic_only_for_the_rest)
{
	static const uint8_t sqlite[128] =
	    "SQLite format 3\0\020\0\1\1\0\100\040\040";
	struct dlp_xctx x = xctx();
	struct dlp_sniff_result r;
	size_t before;

	r = dlp_sniff(&x, B("%PDF-1.5\n"), NULL);
	CHECK(!r.by_magic);
	CHECK_INT(dlp_sniffer_nmagic(x.sniff), 0);
	r = dlp_sniff(&x, sqlite, sizeof(sqlite), NULL);
	CHECK(r.by_magic);
	CHECK_INT(dlp_sniffer_nmagic(x.sniff), 1);
	CHECK_MSG(r.mime != NULL && strstr(r.mime, "sqlite") != NULL, "%s",
	    r.mime ? r.mime : "(null)");
	CHECK(r.type == DLP_FT_OTHER);
	/* The cookie is reused; known types still do not reach it. */
	before = dlp_sniffer_nmagic(x.sniff);
	dlp_sniff(&x, B("\x89PNG\r\n\x1A\n...."), NULL);
	CHECK_INT(dlp_sniffer_nmagic(x.sniff), before);
	dlp_sniffer_free(x.sniff);
	dlp_sniffer_free(NULL);
}

TEST(sniff_claims)
{
	static const struct {
		const char *ext, *mime;
		enum dlp_ftype want;
	} cases[] = {
	    {"txt", "text/plain; charset=utf-8", DLP_FT_TEXT},
	    {"PDF", "application/pdf", DLP_FT_PDF},
	    {"docx",
	        "application/"
	        "vnd.openxmlformats-officedocument.wordprocessingml.document",
	        DLP_FT_DOCX},
	    {"zip", "application/x-zip-compressed", DLP_FT_ZIP},
	    {"exe", "application/x-msdownload", DLP_FT_PE},
	    {"jpg", "image/jpeg", DLP_FT_JPEG},
	    {"dat", "application/octet-stream", DLP_FT_UNKNOWN},
	    {"", "", DLP_FT_UNKNOWN},
	};

	for (size_t i = 0; i < DLP_NITEMS(cases); i++) {
		CHECK_MSG(dlp_ftype_from_ext(cases[i].ext,
		              strlen(cases[i].ext)) == cases[i].want,
		    "ext %s", cases[i].ext);
		CHECK_MSG(dlp_ftype_from_mime(cases[i].mime) == cases[i].want,
		    "mime %s", cases[i].mime);
	}
	for (int t = 0; t < DLP_FT_NTYPES; t++) {
		CHECK(dlp_ftype_mime((enum dlp_ftype)t) != NULL);
		CHECK(
		    strcmp(dlp_ftype_name((enum dlp_ftype)t), "unknown") != 0 ||
		    t == DLP_FT_UNKNOWN);
	}
}

/* The file(1) test inputs: every one sniffs without a crash. */
static void
sniff_one(const char *path, void *ctx)
{
	struct dlp_xctx *x = ctx;
	size_t len;
	unsigned char *d;
	struct dlp_sniff_result r;

	if ((d = test_read_file(path, &len)) == NULL)
		return;
	r = dlp_sniff(x, d, len, path);
	CHECK_MSG(r.mime != NULL, "%s", path);
	free(d);
}

TEST(sniff_corpus_file)
{
	const char *dir = test_corpus_dir();
	char path[4096];
	struct dlp_xctx x = xctx();
	size_t n;

	if (dir == NULL)
		TEST_SKIP("no corpus");
	snprintf(path, sizeof(path), "%s/file/tests", dir);
	n = each_file(path, ".testfile", sniff_one, &x);
	CHECK(n > 50);
	/* The built-in checks answer for a good share of them. */
	CHECK_MSG(dlp_sniffer_nmagic(x.sniff) < n, "%zu of %zu by libmagic",
	    dlp_sniffer_nmagic(x.sniff), n);
	dlp_sniffer_free(x.sniff);
}

/*
 * The text test counts control bytes (other than TAB, LF, CR, FF, ESC)
 * in the first 8 KiB, 16 at a time: at most one in 64 is text, a NUL is
 * not. Random control bytes, allowed ones and NULs at every kind of
 * offset, around the 16-byte blocks and the 8 KiB window, against a
 * byte-at-a-time count. Text by our rule is never asked of libmagic.
 */
TEST(sniff_text_controls)
{
	static const size_t lens[] = {
	    15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 1000, 8191, 8192, 8300};
	static const uint8_t bad_bytes[] = {0x01, 0x07, 0x0b, 0x1f, 0x08};
	static const uint8_t ok_bytes[] = {'\t', '\n', '\r', '\f', 0x1b};
	struct dlp_xctx x = xctx();
	static uint8_t buf[8300];
	uint32_t seed = 99;

	for (size_t li = 0; li < DLP_NITEMS(lens); li++)
		for (unsigned trial = 0; trial < 40; trial++) {
			size_t len = lens[li], n = len > 8192 ? 8192 : len;
			size_t bad = 0, k, nbad;
			bool nul = false, want;
			struct dlp_sniff_result r;

			for (k = 0; k < len; k++)
				buf[k] =
				    (uint8_t)(k % 7 == 6 ? ' ' : 'a' + k % 5);
			/* around the threshold: n/64 - 1 ... n/64 + 2 */
			nbad = n / 64 + trial % 4;
			nbad = nbad > 0 ? nbad - 1 : 0;
			for (k = 0; k < nbad; k++) {
				seed = seed * 1103515245u + 12345u;
				buf[2 + (seed >> 8) % (len - 2)] =
				    bad_bytes[(seed >> 4) % 5];
			}
			for (k = 0; k < 4; k++) {
				seed = seed * 1103515245u + 12345u;
				buf[2 + (seed >> 8) % (len - 2)] =
				    ok_bytes[(seed >> 4) % 5];
			}
			if (trial % 10 == 9) {
				seed = seed * 1103515245u + 12345u;
				buf[2 + (seed >> 8) % (len - 2)] = 0;
			}
			for (k = 0; k < n; k++) {
				if (buf[k] == 0) {
					nul = true;
					break;
				}
				if (buf[k] < 0x20 && buf[k] != '\t' &&
				    buf[k] != '\n' && buf[k] != '\r' &&
				    buf[k] != '\f' && buf[k] != 0x1b)
					bad++;
			}
			want = !nul && bad * 64 <= n;
			r = dlp_sniff(&x, buf, len, NULL);
			CHECK_MSG(
			    (r.type == DLP_FT_TEXT && !r.by_magic) == want,
			    "len %zu trial %u: %zu bad, nul %d: got %s%s", len,
			    trial, bad, nul, dlp_ftype_name(r.type),
			    r.by_magic ? " (libmagic)" : "");
		}
	dlp_sniffer_free(x.sniff);
}

TEST_MAIN()
