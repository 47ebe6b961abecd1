/*
 * sniff.c - true type of an object: built-in signatures, then libmagic.
 *
 * Trust: the bytes are hostile. Every read is bounds-checked against len;
 * structure walks (zip central directory, OLE2 directory chain) have fixed
 * step limits, so a sniff costs O(min(len, a few hundred KB)) at worst.
 * Limits: libmagic sees at most DLP_SNIFF_MAGIC_PREFIX bytes and only when
 * no built-in check answered. The cookie is opened lazily, loaded once per
 * sniffer (one per scan thread) and reused.
 * Status: never fails; an unidentifiable object is DLP_FT_UNKNOWN, which
 * the dispatcher reports unscanned.
 */
#include <magic.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "sniff.h"

struct dlp_sniffer {
	const struct dlp_mem *mem;
	magic_t cookie;
	bool tried; /* magic_open/magic_load attempted */
	size_t ncalls;
	char mime[128];
};

struct ftinfo {
	enum dlp_ftype type;
	enum dlp_fclass cls;
	const char *name;
	const char *mime;
	const char *exts;    /* space-separated extensions claiming it */
	const char *aliases; /* other declared MIME types meaning it */
};

static const struct ftinfo ftinfo[] = {
    {DLP_FT_UNKNOWN, DLP_FC_UNKNOWN, "unknown", "application/octet-stream", "",
        ""},
    {DLP_FT_OTHER, DLP_FC_UNKNOWN, "other", "application/octet-stream", "", ""},
    {DLP_FT_TEXT, DLP_FC_TEXT, "text", "text/plain",
        "txt text log md ini cfg conf c h cpp py sh pl rb js css java go rs "
        "sql yaml yml tex asc",
        ""},
    {DLP_FT_CSV, DLP_FC_TEXT, "csv", "text/csv", "csv tsv tab",
        "text/comma-separated-values text/tab-separated-values"},
    {DLP_FT_HTML, DLP_FC_HTML, "html", "text/html", "html htm xhtml shtml",
        "application/xhtml+xml"},
    {DLP_FT_XML, DLP_FC_TEXT, "xml", "application/xml", "xml xsl xsd svg rss",
        "text/xml image/svg+xml"},
    {DLP_FT_JSON, DLP_FC_TEXT, "json", "application/json", "json", ""},
    {DLP_FT_UTF16LE, DLP_FC_TEXT, "utf-16le", "text/plain", "", ""},
    {DLP_FT_UTF16BE, DLP_FC_TEXT, "utf-16be", "text/plain", "", ""},
    {DLP_FT_RFC822, DLP_FC_MESSAGE, "rfc822", "message/rfc822", "eml mht",
        "message/global"},
    {DLP_FT_ZIP, DLP_FC_ARCHIVE, "zip", "application/zip", "zip zipx",
        "application/x-zip-compressed application/x-zip"},
    {DLP_FT_DOCX, DLP_FC_OOXML, "docx",
        "application/"
        "vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx docm dotx dotm",
        "application/vnd.ms-word.document.macroenabled.12"},
    {DLP_FT_XLSX, DLP_FC_OOXML, "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx xlsm xltx xltm",
        "application/vnd.ms-excel.sheet.macroenabled.12"},
    {DLP_FT_PPTX, DLP_FC_OOXML, "pptx",
        "application/"
        "vnd.openxmlformats-officedocument.presentationml.presentation",
        "pptx pptm potx ppsx",
        "application/vnd.ms-powerpoint.presentation.macroenabled.12"},
    {DLP_FT_OOXML, DLP_FC_OOXML, "ooxml", "application/vnd.openxmlformats",
        "vsdx xps", ""},
    {DLP_FT_ODT, DLP_FC_ODF, "odt", "application/vnd.oasis.opendocument.text",
        "odt ott", ""},
    {DLP_FT_ODS, DLP_FC_ODF, "ods",
        "application/vnd.oasis.opendocument.spreadsheet", "ods ots", ""},
    {DLP_FT_ODP, DLP_FC_ODF, "odp",
        "application/vnd.oasis.opendocument.presentation", "odp otp", ""},
    {DLP_FT_ODF, DLP_FC_ODF, "odf", "application/vnd.oasis.opendocument",
        "odg odf", ""},
    {DLP_FT_JAR, DLP_FC_ARCHIVE, "jar", "application/java-archive",
        "jar war ear", "application/x-java-archive"},
    {DLP_FT_APK, DLP_FC_ARCHIVE, "apk",
        "application/vnd.android.package-archive", "apk", ""},
    {DLP_FT_OLE, DLP_FC_OLE, "ole2", "application/x-ole-storage", "", ""},
    {DLP_FT_DOC, DLP_FC_OLE, "doc", "application/msword", "doc dot", ""},
    {DLP_FT_XLS, DLP_FC_OLE, "xls", "application/vnd.ms-excel", "xls xlt",
        "application/excel application/x-msexcel"},
    {DLP_FT_PPT, DLP_FC_OLE, "ppt", "application/vnd.ms-powerpoint",
        "ppt pps pot", "application/mspowerpoint"},
    {DLP_FT_MSG, DLP_FC_OLE, "msg", "application/vnd.ms-outlook", "msg",
        "application/x-msg"},
    {DLP_FT_OOXML_ENCRYPTED, DLP_FC_ENCRYPTED, "ooxml-encrypted",
        "application/x-ooxml-encrypted", "", ""},
    {DLP_FT_PDF, DLP_FC_PDF, "pdf", "application/pdf", "pdf",
        "application/x-pdf"},
    {DLP_FT_RTF, DLP_FC_RTF, "rtf", "application/rtf", "rtf", "text/rtf"},
    {DLP_FT_TNEF, DLP_FC_TNEF, "tnef", "application/ms-tnef", "tnef",
        "application/vnd.ms-tnef"},
    {DLP_FT_GZIP, DLP_FC_COMPRESS, "gzip", "application/gzip", "gz tgz gzip",
        "application/x-gzip application/x-gtar-compressed"},
    {DLP_FT_BZIP2, DLP_FC_COMPRESS, "bzip2", "application/x-bzip2",
        "bz2 tbz tbz2", "application/x-bzip"},
    {DLP_FT_XZ, DLP_FC_COMPRESS, "xz", "application/x-xz", "xz txz", ""},
    {DLP_FT_ZSTD, DLP_FC_COMPRESS, "zstd", "application/zstd", "zst tzst",
        "application/x-zstd"},
    {DLP_FT_LZMA, DLP_FC_COMPRESS, "lzma", "application/x-lzma", "lzma", ""},
    {DLP_FT_LZ4, DLP_FC_COMPRESS, "lz4", "application/x-lz4", "lz4", ""},
    {DLP_FT_COMPRESS, DLP_FC_COMPRESS, "compress", "application/x-compress",
        "z taz", ""},
    {DLP_FT_UUENCODE, DLP_FC_COMPRESS, "uuencode", "text/x-uuencode", "uu uue",
        ""},
    {DLP_FT_7Z, DLP_FC_ARCHIVE, "7z", "application/x-7z-compressed", "7z", ""},
    {DLP_FT_RAR, DLP_FC_ARCHIVE, "rar", "application/vnd.rar", "rar",
        "application/x-rar-compressed application/x-rar"},
    {DLP_FT_RAR5, DLP_FC_ARCHIVE, "rar5", "application/vnd.rar", "", ""},
    {DLP_FT_CAB, DLP_FC_ARCHIVE, "cab", "application/vnd.ms-cab-compressed",
        "cab", ""},
    {DLP_FT_ISO9660, DLP_FC_ARCHIVE, "iso9660", "application/x-iso9660-image",
        "iso", ""},
    {DLP_FT_CPIO, DLP_FC_ARCHIVE, "cpio", "application/x-cpio", "cpio", ""},
    {DLP_FT_TAR, DLP_FC_ARCHIVE, "tar", "application/x-tar", "tar",
        "application/x-gtar"},
    {DLP_FT_LHA, DLP_FC_ARCHIVE, "lha", "application/x-lzh-compressed",
        "lha lzh", "application/x-lha"},
    {DLP_FT_AR, DLP_FC_ARCHIVE, "ar", "application/x-archive", "a ar deb", ""},
    {DLP_FT_PGP, DLP_FC_ENCRYPTED, "pgp", "application/pgp-encrypted",
        "pgp gpg", ""},
    {DLP_FT_PKCS7, DLP_FC_ENCRYPTED, "pkcs7", "application/pkcs7-mime",
        "p7m p7s p7c", "application/x-pkcs7-mime application/pkcs7-signature"},
    {DLP_FT_PNG, DLP_FC_IMAGE, "png", "image/png", "png apng", ""},
    {DLP_FT_JPEG, DLP_FC_IMAGE, "jpeg", "image/jpeg", "jpg jpeg jpe jfif",
        "image/pjpeg image/jpg"},
    {DLP_FT_GIF, DLP_FC_IMAGE, "gif", "image/gif", "gif", ""},
    {DLP_FT_BMP, DLP_FC_IMAGE, "bmp", "image/bmp", "bmp dib", "image/x-bmp"},
    {DLP_FT_TIFF, DLP_FC_IMAGE, "tiff", "image/tiff", "tif tiff", ""},
    {DLP_FT_WEBP, DLP_FC_IMAGE, "webp", "image/webp", "webp", ""},
    {DLP_FT_HEIC, DLP_FC_IMAGE, "heic", "image/heic", "heic heif avif",
        "image/heif image/avif"},
    {DLP_FT_ICO, DLP_FC_IMAGE, "ico", "image/vnd.microsoft.icon", "ico cur",
        "image/x-icon"},
    {DLP_FT_WAV, DLP_FC_MEDIA, "wav", "audio/x-wav", "wav", "audio/wav"},
    {DLP_FT_AVI, DLP_FC_MEDIA, "avi", "video/x-msvideo", "avi", ""},
    {DLP_FT_MP3, DLP_FC_MEDIA, "mp3", "audio/mpeg", "mp3", "audio/mp3"},
    {DLP_FT_OGG, DLP_FC_MEDIA, "ogg", "audio/ogg", "ogg oga ogv opus",
        "video/ogg"},
    {DLP_FT_FLAC, DLP_FC_MEDIA, "flac", "audio/flac", "flac", ""},
    {DLP_FT_MP4, DLP_FC_MEDIA, "mp4", "video/mp4", "mp4 m4a m4v mov 3gp",
        "audio/mp4 video/quicktime"},
    {DLP_FT_MKV, DLP_FC_MEDIA, "matroska", "video/x-matroska", "mkv webm mka",
        "video/webm"},
    {DLP_FT_ELF, DLP_FC_EXEC, "elf", "application/x-executable", "so elf o",
        "application/x-sharedlib"},
    {DLP_FT_PE, DLP_FC_EXEC, "pe",
        "application/vnd.microsoft.portable-executable",
        "exe dll sys scr com cpl ocx efi",
        "application/x-dosexec application/x-msdownload "
        "application/x-msdos-program"},
    {DLP_FT_MACHO, DLP_FC_EXEC, "mach-o", "application/x-mach-binary", "dylib",
        ""},
    {DLP_FT_JAVA_CLASS, DLP_FC_EXEC, "java-class", "application/java-vm",
        "class", "application/x-java-vm"},
};

static const struct ftinfo *
info(enum dlp_ftype t)
{
	if ((size_t)t < DLP_NITEMS(ftinfo) && ftinfo[t].type == t)
		return &ftinfo[t];
	return &ftinfo[0];
}

enum dlp_fclass
dlp_ftype_class(enum dlp_ftype t)
{
	return info(t)->cls;
}

const char *
dlp_ftype_mime(enum dlp_ftype t)
{
	return info(t)->mime;
}

const char *
dlp_ftype_name(enum dlp_ftype t)
{
	return info(t)->name;
}

/* True when the space-separated list holds word[0..n), case-insensitive. */
static bool
inlist(const char *list, const char *word, size_t n)
{
	const char *p = list;

	if (n == 0)
		return false;
	while (*p != '\0') {
		size_t k = strcspn(p, " ");

		if (k == n && dlp_memcaseeq(p, word, n))
			return true;
		p += k;
		while (*p == ' ')
			p++;
	}
	return false;
}

enum dlp_ftype
dlp_ftype_from_ext(const char *ext, size_t len)
{
	for (size_t i = 0; i < DLP_NITEMS(ftinfo); i++)
		if (inlist(ftinfo[i].exts, ext, len))
			return ftinfo[i].type;
	return DLP_FT_UNKNOWN;
}

enum dlp_ftype
dlp_ftype_from_mime(const char *mime)
{
	size_t n;

	if (mime == NULL)
		return DLP_FT_UNKNOWN;
	while (*mime == ' ' || *mime == '\t')
		mime++;
	n = strcspn(mime, "; \t");
	for (size_t i = 2; i < DLP_NITEMS(ftinfo); i++) {
		const char *m = ftinfo[i].mime;

		if ((strlen(m) == n && dlp_memcaseeq(m, mime, n)) ||
		    inlist(ftinfo[i].aliases, mime, n))
			return ftinfo[i].type;
	}
	if (n > 5 && dlp_memcaseeq(mime, "text/", 5))
		return DLP_FT_TEXT;
	return DLP_FT_UNKNOWN;
}

static bool
at(const uint8_t *d, size_t len, size_t off, const void *sig, size_t n)
{
	return off <= len && n <= len - off && memcmp(d + off, sig, n) == 0;
}

/* --- zip packages --- */

#define ZIP_MAX_NAMES 4096 /* central directory entries examined */

struct zipscan {
	bool content_types, word, xl, ppt, manifest_mf, android, dex;
	bool mimetype;
	char odf[96]; /* the mimetype entry's contents when stored */
};

static bool
hasprefix(const uint8_t *name, size_t n, const char *pre)
{
	size_t k = strlen(pre);

	return n >= k && memcmp(name, pre, k) == 0;
}

static bool
nameis(const uint8_t *name, size_t n, const char *s)
{
	return n == strlen(s) && memcmp(name, s, n) == 0;
}

static void
zip_name(struct zipscan *z, const uint8_t *name, size_t n)
{
	if (nameis(name, n, "[Content_Types].xml"))
		z->content_types = true;
	else if (hasprefix(name, n, "word/"))
		z->word = true;
	else if (hasprefix(name, n, "xl/"))
		z->xl = true;
	else if (hasprefix(name, n, "ppt/"))
		z->ppt = true;
	else if (nameis(name, n, "META-INF/MANIFEST.MF"))
		z->manifest_mf = true;
	else if (nameis(name, n, "AndroidManifest.xml"))
		z->android = true;
	else if (nameis(name, n, "classes.dex"))
		z->dex = true;
	else if (nameis(name, n, "mimetype"))
		z->mimetype = true;
}

/* The ODF mimetype entry must be first and stored (ODF 1.2 part 3, 3.3). */
static void
zip_first_local(struct zipscan *z, const uint8_t *d, size_t len)
{
	size_t nlen, xlen, csize, off;

	if (len < 30)
		return;
	nlen = dlp_le16(d + 26);
	xlen = dlp_le16(d + 28);
	csize = dlp_le32(d + 18);
	if (nlen != 8 || memcmp(d + 30, "mimetype", 8) != 0 ||
	    dlp_le16(d + 8) != 0)
		return;
	off = 30 + nlen + xlen;
	if (off > len || csize >= sizeof(z->odf) || csize > len - off)
		return;
	memcpy(z->odf, d + off, csize);
	z->odf[csize] = '\0';
}

static void
zip_walk_local(struct zipscan *z, const uint8_t *d, size_t len)
{
	size_t off = 0;

	for (unsigned i = 0; i < 64 && at(d, len, off, "PK\3\4", 4); i++) {
		size_t nlen, xlen, csize, next;

		if (len - off < 30)
			return;
		nlen = dlp_le16(d + off + 26);
		xlen = dlp_le16(d + off + 28);
		csize = dlp_le32(d + off + 18);
		if (nlen > len - off - 30)
			return;
		zip_name(z, d + off + 30, nlen);
		/* A data descriptor hides the size: stop walking there. */
		if (dlp_le16(d + off + 6) & 0x08)
			return;
		next = off + 30;
		if (!dlp_add_ok(next, nlen, &next) ||
		    !dlp_add_ok(next, xlen, &next) ||
		    !dlp_add_ok(next, csize, &next) || next > len)
			return;
		off = next;
	}
}

static bool
zip_walk_central(struct zipscan *z, const uint8_t *d, size_t len)
{
	size_t eocd, cdoff, cdsize, lo, off;
	unsigned n;

	if (len < 22)
		return false;
	lo = len > 65557 ? len - 65557 : 0;
	for (eocd = len - 22;; eocd--) {
		if (memcmp(d + eocd, "PK\5\6", 4) == 0)
			break;
		if (eocd == lo)
			return false;
	}
	cdsize = dlp_le32(d + eocd + 12);
	cdoff = dlp_le32(d + eocd + 16);
	if (cdsize > eocd)
		return false;
	/* Tolerate a prefix (self-extractor): the directory ends at eocd. */
	off = eocd - cdsize;
	(void)cdoff;
	for (n = 0; n < ZIP_MAX_NAMES && at(d, eocd, off, "PK\1\2", 4); n++) {
		size_t nlen, xlen, clen;

		if (eocd - off < 46)
			break;
		nlen = dlp_le16(d + off + 28);
		xlen = dlp_le16(d + off + 30);
		clen = dlp_le16(d + off + 32);
		if (nlen > eocd - off - 46)
			break;
		zip_name(z, d + off + 46, nlen);
		off += 46 + nlen;
		if (xlen + clen > eocd - off)
			break;
		off += xlen + clen;
	}
	return n > 0;
}

static enum dlp_ftype
sniff_zip(const uint8_t *d, size_t len)
{
	struct zipscan z;

	memset(&z, 0, sizeof(z));
	zip_first_local(&z, d, len);
	if (!zip_walk_central(&z, d, len))
		zip_walk_local(&z, d, len);
	if (z.odf[0] != '\0' || z.mimetype) {
		if (strcmp(z.odf, "application/vnd.oasis.opendocument.text") ==
		    0)
			return DLP_FT_ODT;
		if (strcmp(z.odf,
		        "application/vnd.oasis.opendocument.spreadsheet") == 0)
			return DLP_FT_ODS;
		if (strcmp(z.odf,
		        "application/vnd.oasis.opendocument.presentation") == 0)
			return DLP_FT_ODP;
		if (strncmp(z.odf, "application/vnd.oasis.opendocument.", 35) ==
		    0)
			return DLP_FT_ODF;
	}
	if (z.content_types) {
		if (z.word)
			return DLP_FT_DOCX;
		if (z.xl)
			return DLP_FT_XLSX;
		if (z.ppt)
			return DLP_FT_PPTX;
		return DLP_FT_OOXML;
	}
	if (z.android && z.dex)
		return DLP_FT_APK;
	if (z.manifest_mf)
		return DLP_FT_JAR;
	return DLP_FT_ZIP;
}

/* --- OLE2 compound files ([MS-CFB]) --- */

#define OLE_MAX_DIRSECT 256 /* directory sectors followed at most */
#define OLE_ENDOFCHAIN  0xFFFFFFFEu

/* FAT entry of sector sec, using only the header's 109 DIFAT slots. */
static bool
ole_fat(const uint8_t *d, size_t len, size_t ssz, uint32_t sec, uint32_t *next)
{
	size_t per = ssz / 4, idx = sec / per, off;
	uint32_t fsec;

	if (idx >= 109)
		return false;
	fsec = dlp_le32(d + 0x4C + idx * 4);
	if (fsec >= 0xFFFFFFFAu)
		return false;
	off = ((size_t)fsec + 1) * ssz + (sec % per) * 4;
	if (off > len || len - off < 4)
		return false;
	*next = dlp_le32(d + off);
	return true;
}

static bool
ole_name(const uint8_t *e, const char *s, bool prefix)
{
	size_t n = dlp_le16(e + 0x40), k = strlen(s);

	if (n < 2 || n > 64 || (!prefix && n != (k + 1) * 2) ||
	    (prefix && n < k * 2))
		return false;
	for (size_t i = 0; i < k; i++)
		if (e[2 * i] != (uint8_t)s[i] || e[2 * i + 1] != 0)
			return false;
	return true;
}

static enum dlp_ftype
sniff_ole(const uint8_t *d, size_t len)
{
	size_t ssz;
	uint32_t sec;
	bool doc = false, xls = false, ppt = false, msg = false, enc = false;

	if (len < 512)
		return DLP_FT_OLE;
	ssz = dlp_le16(d + 0x1E) == 12 ? 4096 : 512;
	sec = dlp_le32(d + 0x30);
	for (unsigned n = 0; n < OLE_MAX_DIRSECT && sec < 0xFFFFFFFAu; n++) {
		size_t off = ((size_t)sec + 1) * ssz;

		if (off > len || len - off < ssz)
			break;
		for (size_t e = off; e + 128 <= off + ssz; e += 128) {
			const uint8_t *p = d + e;

			doc |= ole_name(p, "WordDocument", false);
			xls |= ole_name(p, "Workbook", false) ||
			       ole_name(p, "Book", false);
			ppt |= ole_name(p, "PowerPoint Document", false);
			msg |= ole_name(p, "__substg1.0_", true) ||
			       ole_name(p, "__properties_version1.0", false);
			enc |= ole_name(p, "EncryptedPackage", false);
		}
		if (!ole_fat(d, len, ssz, sec, &sec))
			break;
	}
	if (enc)
		return DLP_FT_OOXML_ENCRYPTED;
	if (msg)
		return DLP_FT_MSG;
	if (doc)
		return DLP_FT_DOC;
	if (xls)
		return DLP_FT_XLS;
	if (ppt)
		return DLP_FT_PPT;
	return DLP_FT_OLE;
}

/* --- tar --- */

static bool
octal_field(const uint8_t *p, size_t n, unsigned long *v)
{
	size_t i = 0;
	bool any = false;

	*v = 0;
	while (i < n && p[i] == ' ')
		i++;
	for (; i < n && p[i] >= '0' && p[i] <= '7'; i++) {
		*v = *v * 8 + (unsigned long)(p[i] - '0');
		any = true;
	}
	for (; i < n; i++)
		if (p[i] != ' ' && p[i] != '\0')
			return false;
	return any;
}

/* A pre-POSIX tar header is recognised by its checksum alone. */
static bool
tar_checksum_ok(const uint8_t *d, size_t len)
{
	unsigned long want, sum = 0;

	if (len < 512 || d[0] == '\0' || !octal_field(d + 148, 8, &want))
		return false;
	for (size_t i = 0; i < 512; i++)
		sum += (i >= 148 && i < 156) ? ' ' : d[i];
	return sum == want;
}

/* --- text --- */

static bool
header_start(const uint8_t *d, size_t len)
{
	static const char *const names[] = {
	    "Received:", "From:", "MIME-Version:", "Return-Path:",
	    "Message-ID:", "Date:", "To:", "Subject:", "Delivered-To:", "X-",
	    "DKIM-Signature:", "Content-Type:", "From "};
	size_t lines = 0, off = 0, known = 0;

	/* Every line up to the first blank one must look like a header. */
	while (off < len && lines < 64) {
		size_t e = off, colon = 0;

		while (e < len && d[e] != '\n')
			e++;
		if (e == off || (e == off + 1 && d[off] == '\r'))
			break;
		if (d[off] != ' ' && d[off] != '\t') {
			for (size_t i = off; i < e; i++) {
				if (d[i] == ':') {
					colon = i;
					break;
				}
				if (d[i] <= ' ' || d[i] >= 127)
					break;
			}
			if (colon == 0 &&
			    !(lines == 0 && at(d, len, off, "From ", 5)))
				return false;
			for (size_t k = 0; k < DLP_NITEMS(names); k++) {
				size_t n = strlen(names[k]);

				if (e - off >= n &&
				    dlp_memcaseeq(d + off, names[k], n))
					known++;
			}
		}
		lines++;
		off = e + 1;
	}
	return known >= 2 || (known >= 1 && lines >= 3);
}

static size_t
skip_ws(const uint8_t *d, size_t len, size_t i)
{
	while (i < len && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' ||
	                      d[i] == '\n' || d[i] == '\f'))
		i++;
	return i;
}

static bool
starts_ci(const uint8_t *d, size_t len, size_t off, const char *s)
{
	size_t n = strlen(s);

	return off <= len && n <= len - off && dlp_memcaseeq(d + off, s, n);
}

/* UTF-16 without a BOM: mostly zero bytes in the odd or even positions. */
static enum dlp_ftype
utf16_guess(const uint8_t *d, size_t len)
{
	size_t n = len > 4096 ? 4096 : len, ze = 0, zo = 0;

	if (n < 8)
		return DLP_FT_UNKNOWN;
	n &= ~(size_t)1;
	for (size_t i = 0; i < n; i += 2) {
		ze += d[i] == 0;
		zo += d[i + 1] == 0;
	}
	if (zo * 10 >= n / 2 * 9 && ze * 20 < n / 2)
		return DLP_FT_UTF16LE;
	if (ze * 10 >= n / 2 * 9 && zo * 20 < n / 2)
		return DLP_FT_UTF16BE;
	return DLP_FT_UNKNOWN;
}

static bool
ends_ci(const char *name, const char *ext)
{
	size_t n, k = strlen(ext);

	if (name == NULL)
		return false;
	n = strlen(name);
	return n > k && name[n - k - 1] == '.' &&
	       dlp_strcasecmp(name + n - k, ext) == 0;
}

/*
 * Count the control bytes of d[0..n) other than TAB, LF, CR, FF and ESC,
 * up to the first NUL; *nul gets its offset (n if none). With SSE2, 16
 * bytes a step; the scalar loop finishes (and is the reference).
 */
static size_t
count_controls(const uint8_t *d, size_t n, size_t *nul)
{
	size_t bad = 0, i = 0;

#if defined(__SSE2__)
	const __m128i hi3 = _mm_set1_epi8((char)0xe0), z = _mm_setzero_si128();

	for (; n - i >= 16; i += 16) {
		__m128i v =
		    _mm_loadu_si128((const __m128i *)(const void *)(d + i));
		__m128i ok = _mm_or_si128(
		    _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\t')),
		        _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))),
		    _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\r')),
		        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\f')),
		            _mm_cmpeq_epi8(v, _mm_set1_epi8(0x1b)))));
		unsigned ctl = (unsigned)_mm_movemask_epi8(
		    _mm_cmpeq_epi8(_mm_and_si128(v, hi3), z));

		if ((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, z)) != 0)
			break; /* a NUL: the bytes below find it */
		bad += (size_t)__builtin_popcount(
		    ctl & ~(unsigned)_mm_movemask_epi8(ok));
	}
#endif
	for (; i < n; i++) {
		uint8_t c = d[i];

		if (c == 0)
			break;
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' &&
		    c != '\f' && c != 0x1b)
			bad++;
	}
	*nul = i;
	return bad;
}

static enum dlp_ftype
sniff_text(const uint8_t *d, size_t len, const char *name)
{
	size_t n = len > 8192 ? 8192 : len, bad, i;

	if (at(d, len, 0, "\xFF\xFE", 2) && !at(d, len, 0, "\xFF\xFE\0\0", 4))
		return DLP_FT_UTF16LE;
	if (at(d, len, 0, "\xFE\xFF", 2))
		return DLP_FT_UTF16BE;
	bad = count_controls(d, n, &i);
	if (i < n)
		return utf16_guess(d, len);
	/* At most 1 control byte in 64 and no NUL: text in some charset. */
	if (bad * 64 > n)
		return DLP_FT_UNKNOWN;
	i = at(d, len, 0, "\xEF\xBB\xBF", 3) ? 3 : 0;
	i = skip_ws(d, len, i);
	if (starts_ci(d, len, i, "<!doctype html") ||
	    starts_ci(d, len, i, "<html") || starts_ci(d, len, i, "<head") ||
	    starts_ci(d, len, i, "<body"))
		return DLP_FT_HTML;
	if (starts_ci(d, len, i, "<?xml")) {
		/* XHTML is HTML for reading purposes. */
		size_t m = len > 1024 ? 1024 : len;

		for (size_t k = i; k + 5 <= m; k++)
			if (starts_ci(d, m, k, "<html"))
				return DLP_FT_HTML;
		return DLP_FT_XML;
	}
	if (i == 0 && header_start(d, len))
		return DLP_FT_RFC822;
	if (ends_ci(name, "csv") || ends_ci(name, "tsv"))
		return DLP_FT_CSV;
	if (ends_ci(name, "json") && i < len && (d[i] == '{' || d[i] == '['))
		return DLP_FT_JSON;
	return DLP_FT_TEXT;
}

/* --- everything else by signature --- */

static bool
pkcs7(const uint8_t *d, size_t len)
{
	static const uint8_t oid[] = {
	    0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07};
	size_t off;

	if (len < 16 || d[0] != 0x30)
		return false;
	if (d[1] == 0x80)
		off = 2;
	else if (d[1] >= 0x81 && d[1] <= 0x84)
		off = 2 + (size_t)(d[1] & 0x7F);
	else
		return false;
	return at(d, len, off, oid, sizeof(oid));
}

/* "begin MODE NAME": a mode of three or four octal digits. */
static bool
uu_begin(const uint8_t *d, size_t len)
{
	size_t i = 6;

	if (!at(d, len, 0, "begin ", 6))
		return false;
	while (i < len && i < 10 && d[i] >= '0' && d[i] <= '7')
		i++;
	return i >= 9 && i < len && d[i] == ' ';
}

static enum dlp_ftype
sniff_builtin(const uint8_t *d, size_t len, const char *name)
{
	size_t i;

	if (at(d, len, 0, "PK\3\4", 4) || at(d, len, 0, "PK\5\6", 4))
		return sniff_zip(d, len);
	if (at(d, len, 0, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
		return sniff_ole(d, len);
	for (i = 0; i + 5 <= len && i < 1024; i++)
		if (d[i] == '%' && memcmp(d + i, "%PDF-", 5) == 0)
			return DLP_FT_PDF;
	if (at(d, len, 0, "{\\rtf", 5))
		return DLP_FT_RTF;
	if (at(d, len, 0, "\x1F\x8B", 2))
		return DLP_FT_GZIP;
	if (at(d, len, 0, "BZh", 3) && len > 3 && d[3] >= '1' && d[3] <= '9')
		return DLP_FT_BZIP2;
	if (at(d, len, 0,
	        "\xFD"
	        "7zXZ\0",
	        6))
		return DLP_FT_XZ;
	if (at(d, len, 0, "\x28\xB5\x2F\xFD", 4))
		return DLP_FT_ZSTD;
	if (at(d, len, 0, "\x04\x22\x4D\x18", 4))
		return DLP_FT_LZ4;
	if (at(d, len, 0, "\x1F\x9D", 2))
		return DLP_FT_COMPRESS;
	/* lzma_alone: lc/lp/pb byte 0x5D and a power-of-two-ish dict size. */
	if (len >= 13 && d[0] == 0x5D && d[1] == 0 && d[2] == 0 &&
	    (d[3] & 0x0F) == 0)
		return DLP_FT_LZMA;
	if (at(d, len, 0, "7z\xBC\xAF\x27\x1C", 6))
		return DLP_FT_7Z;
	if (at(d, len, 0, "Rar!\x1A\x07\x01\x00", 8))
		return DLP_FT_RAR5;
	if (at(d, len, 0, "Rar!\x1A\x07\x00", 7))
		return DLP_FT_RAR;
	if (at(d, len, 0, "MSCF\0\0\0\0", 8))
		return DLP_FT_CAB;
	if (at(d, len, 32769, "CD001", 5) || at(d, len, 34817, "CD001", 5) ||
	    at(d, len, 36865, "CD001", 5))
		return DLP_FT_ISO9660;
	if (at(d, len, 0, "070707", 6) || at(d, len, 0, "070701", 6) ||
	    at(d, len, 0, "070702", 6) || at(d, len, 0, "\xC7\x71", 2) ||
	    at(d, len, 0, "\x71\xC7", 2))
		return DLP_FT_CPIO;
	if (at(d, len, 257, "ustar", 5) || tar_checksum_ok(d, len))
		return DLP_FT_TAR;
	if (len >= 7 && d[2] == '-' && d[3] == 'l' &&
	    (d[4] == 'h' || d[4] == 'z') && d[6] == '-')
		return DLP_FT_LHA;
	if (at(d, len, 0, "!<arch>\n", 8))
		return DLP_FT_AR;
	if (at(d, len, 0, "\x78\x9F\x3E\x22", 4))
		return DLP_FT_TNEF;
	if (at(d, len, 0, "-----BEGIN PGP MESSAGE-----", 27))
		return DLP_FT_PGP;
	/* Binary OpenPGP: a session-key packet (tag 1 or 3) opens it. */
	if (len >= 8 &&
	    (((d[0] == 0x84 || d[0] == 0xC1) && d[2] == 3) ||
	        (d[0] == 0x85 && d[3] == 3) ||
	        ((d[0] == 0x8C || d[0] == 0xC3) && (d[2] == 4 || d[2] == 5))))
		return DLP_FT_PGP;
	if (pkcs7(d, len) || at(d, len, 0, "-----BEGIN PKCS7-----", 21))
		return DLP_FT_PKCS7;
	if (at(d, len, 0, "\x89PNG\r\n\x1A\n", 8))
		return DLP_FT_PNG;
	if (at(d, len, 0, "\xFF\xD8\xFF", 3))
		return DLP_FT_JPEG;
	if (at(d, len, 0, "GIF87a", 6) || at(d, len, 0, "GIF89a", 6))
		return DLP_FT_GIF;
	if (at(d, len, 0, "BM", 2) && len >= 26 && dlp_le32(d + 14) >= 12 &&
	    dlp_le32(d + 14) <= 124 && d[6] == 0 && d[7] == 0)
		return DLP_FT_BMP;
	if (at(d, len, 0, "II*\0", 4) || at(d, len, 0, "MM\0*", 4))
		return DLP_FT_TIFF;
	if (at(d, len, 0, "RIFF", 4) && at(d, len, 8, "WEBP", 4))
		return DLP_FT_WEBP;
	if (at(d, len, 0, "RIFF", 4) && at(d, len, 8, "WAVE", 4))
		return DLP_FT_WAV;
	if (at(d, len, 0, "RIFF", 4) && at(d, len, 8, "AVI ", 4))
		return DLP_FT_AVI;
	if (at(d, len, 4, "ftyp", 4) && len >= 12) {
		if (at(d, len, 8, "heic", 4) || at(d, len, 8, "heix", 4) ||
		    at(d, len, 8, "mif1", 4) || at(d, len, 8, "msf1", 4) ||
		    at(d, len, 8, "avif", 4) || at(d, len, 8, "hevc", 4))
			return DLP_FT_HEIC;
		return DLP_FT_MP4;
	}
	if (at(d, len, 0, "\0\0\1\0", 4) && len >= 22 && dlp_le16(d + 4) > 0 &&
	    (d[9] == 0 || d[9] == 255) && dlp_le16(d + 10) <= 1)
		return DLP_FT_ICO;
	if (at(d, len, 0, "ID3", 3) ||
	    (len >= 4 && d[0] == 0xFF && (d[1] & 0xE6) == 0xE2 &&
	        (d[2] & 0xF0) != 0xF0))
		return DLP_FT_MP3;
	if (at(d, len, 0, "OggS", 4))
		return DLP_FT_OGG;
	if (at(d, len, 0, "fLaC", 4))
		return DLP_FT_FLAC;
	if (at(d, len, 0, "\x1A\x45\xDF\xA3", 4))
		return DLP_FT_MKV;
	if (at(d, len, 0,
	        "\x7F"
	        "ELF",
	        4))
		return DLP_FT_ELF;
	if (at(d, len, 0, "MZ", 2))
		return DLP_FT_PE;
	if (at(d, len, 0, "\xFE\xED\xFA\xCE", 4) ||
	    at(d, len, 0, "\xFE\xED\xFA\xCF", 4) ||
	    at(d, len, 0, "\xCE\xFA\xED\xFE", 4) ||
	    at(d, len, 0, "\xCF\xFA\xED\xFE", 4) ||
	    (at(d, len, 0, "\xCA\xFE\xBA\xBE", 4) && len >= 8 &&
	        (d[4] | d[5] | d[6]) == 0 && d[7] < 45))
		return DLP_FT_MACHO;
	/* The same magic with a class-file version (45 = JDK 1.1 on). */
	if (at(d, len, 0, "\xCA\xFE\xBA\xBE", 4) && len >= 8)
		return DLP_FT_JAVA_CLASS;
	if (uu_begin(d, len))
		return DLP_FT_UUENCODE;
	return sniff_text(d, len, name);
}

/* --- libmagic --- */

struct magicmap {
	const char *mime; /* a prefix when it ends in '/' */
	enum dlp_ftype type;
};

static const struct magicmap magicmap[] = {
    {"text/html", DLP_FT_HTML},
    {"text/xml", DLP_FT_XML},
    {"text/", DLP_FT_TEXT},
    {"message/rfc822", DLP_FT_RFC822},
    {"application/zip", DLP_FT_ZIP},
    {"application/pdf", DLP_FT_PDF},
    {"application/x-tar", DLP_FT_TAR},
    {"application/x-lha", DLP_FT_LHA},
    {"application/x-lzh-compressed", DLP_FT_LHA},
    {"application/x-cpio", DLP_FT_CPIO},
    {"application/x-iso9660-image", DLP_FT_ISO9660},
    {"application/x-executable", DLP_FT_ELF},
    {"application/x-sharedlib", DLP_FT_ELF},
    {"application/x-pie-executable", DLP_FT_ELF},
    {"application/x-dosexec", DLP_FT_PE},
    {"application/x-mach-binary", DLP_FT_MACHO},
    {"application/pgp", DLP_FT_PGP},
    {"application/json", DLP_FT_JSON},
};

static enum dlp_ftype
map_magic(const char *mime)
{
	for (size_t i = 0; i < DLP_NITEMS(magicmap); i++) {
		size_t n = strlen(magicmap[i].mime);

		if (magicmap[i].mime[n - 1] == '/'
		        ? strncmp(mime, magicmap[i].mime, n) == 0
		        : strcmp(mime, magicmap[i].mime) == 0)
			return magicmap[i].type;
	}
	return DLP_FT_OTHER;
}

static bool
sniffer_ready(struct dlp_xctx *x)
{
	struct dlp_sniffer *s = x->sniff;

	if (s == NULL) {
		if ((s = dlp_calloc(x->mem, 1, sizeof(*s))) == NULL)
			return false;
		s->mem = x->mem;
		x->sniff = s;
	}
	if (!s->tried) {
		s->tried = true;
		s->cookie = magic_open(
		    MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS |
		    MAGIC_NO_CHECK_TAR | MAGIC_NO_CHECK_ELF | MAGIC_ERROR);
		if (s->cookie != NULL && magic_load(s->cookie, NULL) != 0) {
			magic_close(s->cookie);
			s->cookie = NULL;
		}
	}
	return s->cookie != NULL;
}

size_t
dlp_sniffer_nmagic(const struct dlp_sniffer *s)
{
	return s != NULL ? s->ncalls : 0;
}

void
dlp_sniffer_free(struct dlp_sniffer *s)
{
	if (s == NULL)
		return;
	if (s->cookie != NULL)
		magic_close(s->cookie);
	dlp_free(s->mem, s);
}

struct dlp_sniff_result
dlp_sniff(struct dlp_xctx *x, const uint8_t *data, size_t len, const char *name)
{
	struct dlp_sniff_result r;
	const char *m;

	memset(&r, 0, sizeof(r));
	r.type = sniff_builtin(data, len, name);
	if (r.type != DLP_FT_UNKNOWN || len == 0 || !sniffer_ready(x))
		goto out;
	x->sniff->ncalls++;
	m = magic_buffer(x->sniff->cookie, data,
	    len > DLP_SNIFF_MAGIC_PREFIX ? DLP_SNIFF_MAGIC_PREFIX : len);
	r.by_magic = true;
	if (m == NULL || strcmp(m, "application/octet-stream") == 0)
		goto out;
	r.type = map_magic(m);
	if (r.type == DLP_FT_OTHER) {
		size_t n = strlen(m);

		if (n >= sizeof(x->sniff->mime))
			n = sizeof(x->sniff->mime) - 1;
		memcpy(x->sniff->mime, m, n);
		x->sniff->mime[n] = '\0';
		r.cls = DLP_FC_UNKNOWN;
		if (strncmp(m, "image/", 6) == 0)
			r.cls = DLP_FC_IMAGE;
		else if (strncmp(m, "audio/", 6) == 0 ||
		         strncmp(m, "video/", 6) == 0)
			r.cls = DLP_FC_MEDIA;
		r.mime = x->sniff->mime;
		return r;
	}
out:
	r.cls = dlp_ftype_class(r.type);
	r.mime = dlp_ftype_mime(r.type);
	return r;
}
