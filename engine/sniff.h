/*
 * sniff.h - true file type of an object from its bytes.
 *
 * Built-in signature checks answer for the common types (zip and the
 * OOXML/ODF/jar/apk packages inside it, OLE2 and the Office/Outlook files
 * inside it, PDF, RTF, compressors, archives, images, media, executables,
 * encrypted containers and text); libmagic is asked only about the rest,
 * on a bounded prefix, because one magic_buffer() call costs 100-2,400 us.
 */
#ifndef DLP_SNIFF_H
#define DLP_SNIFF_H

#include "extract.h"

/* What a stage can do with an object: the dispatcher switches on this. */
enum dlp_fclass {
	DLP_FC_UNKNOWN = 0, /* binary of no known type */
	DLP_FC_TEXT,        /* plain text, CSV, XML, JSON, source code */
	DLP_FC_HTML,
	DLP_FC_MESSAGE,  /* an RFC 822 message */
	DLP_FC_ARCHIVE,  /* a multi-entry container read by libarchive */
	DLP_FC_COMPRESS, /* a single compressed stream (gzip, xz ...) */
	DLP_FC_OOXML,    /* docx/xlsx/pptx */
	DLP_FC_ODF,      /* odt/ods/odp */
	DLP_FC_RTF,
	DLP_FC_PDF,
	DLP_FC_OLE,       /* OLE2 compound file: doc/xls/ppt/msg */
	DLP_FC_TNEF,      /* winmail.dat */
	DLP_FC_ENCRYPTED, /* PGP, PKCS#7, password-protected OOXML */
	DLP_FC_IMAGE,
	DLP_FC_MEDIA, /* audio and video */
	DLP_FC_EXEC   /* executables and shared objects */
};

enum dlp_ftype {
	DLP_FT_UNKNOWN = 0,
	DLP_FT_OTHER, /* named by libmagic only: see the MIME string */
	/* text */
	DLP_FT_TEXT,
	DLP_FT_CSV,
	DLP_FT_HTML,
	DLP_FT_XML,
	DLP_FT_JSON,
	DLP_FT_UTF16LE, /* text in UTF-16, with or without a BOM */
	DLP_FT_UTF16BE,
	DLP_FT_RFC822,
	/* packages and documents */
	DLP_FT_ZIP,
	DLP_FT_DOCX,
	DLP_FT_XLSX,
	DLP_FT_PPTX,
	DLP_FT_OOXML, /* [Content_Types].xml but no known main part */
	DLP_FT_ODT,
	DLP_FT_ODS,
	DLP_FT_ODP,
	DLP_FT_ODF, /* another OpenDocument type */
	DLP_FT_JAR,
	DLP_FT_APK,
	DLP_FT_OLE,
	DLP_FT_DOC,
	DLP_FT_XLS,
	DLP_FT_PPT,
	DLP_FT_MSG,
	DLP_FT_OOXML_ENCRYPTED,
	DLP_FT_PDF,
	DLP_FT_RTF,
	DLP_FT_TNEF,
	/* compressors and archives */
	DLP_FT_GZIP,
	DLP_FT_BZIP2,
	DLP_FT_XZ,
	DLP_FT_ZSTD,
	DLP_FT_LZMA,
	DLP_FT_LZ4,
	DLP_FT_COMPRESS,
	DLP_FT_UUENCODE,
	DLP_FT_7Z,
	DLP_FT_RAR,
	DLP_FT_RAR5,
	DLP_FT_CAB,
	DLP_FT_ISO9660,
	DLP_FT_CPIO,
	DLP_FT_TAR,
	DLP_FT_LHA,
	DLP_FT_AR,
	/* encrypted or signed containers */
	DLP_FT_PGP,
	DLP_FT_PKCS7,
	/* images */
	DLP_FT_PNG,
	DLP_FT_JPEG,
	DLP_FT_GIF,
	DLP_FT_BMP,
	DLP_FT_TIFF,
	DLP_FT_WEBP,
	DLP_FT_HEIC,
	DLP_FT_ICO,
	/* audio and video */
	DLP_FT_WAV,
	DLP_FT_AVI,
	DLP_FT_MP3,
	DLP_FT_OGG,
	DLP_FT_FLAC,
	DLP_FT_MP4,
	DLP_FT_MKV,
	/* executables */
	DLP_FT_ELF,
	DLP_FT_PE,
	DLP_FT_MACHO,
	DLP_FT_JAVA_CLASS,
	DLP_FT_NTYPES
};

/* The result of dlp_sniff(). */
struct dlp_sniff_result {
	enum dlp_ftype type;
	enum dlp_fclass cls;
	/*
	 * Canonical MIME type. Static for built-in types; for libmagic
	 * answers it lives in the sniffer until the next dlp_sniff() call.
	 */
	const char *mime;
	bool by_magic; /* answered by libmagic rather than built-in checks */
};

/*
 * Identify data[0..len). name (may be NULL) only settles ties between
 * text types (.csv). Creates x->sniff on first use. Never fails: when
 * libmagic cannot be opened or is out of memory, an unknown binary is
 * DLP_FT_UNKNOWN "application/octet-stream" (which the dispatcher
 * reports unscanned, so nothing is lost).
 */
struct dlp_sniff_result dlp_sniff(
    struct dlp_xctx *x, const uint8_t *data, size_t len, const char *name);

/* Class and canonical MIME type of a built-in type. */
enum dlp_fclass dlp_ftype_class(enum dlp_ftype t);
const char *dlp_ftype_mime(enum dlp_ftype t);
/* Short name ("docx", "zip", "pe"), for details and docs. */
const char *dlp_ftype_name(enum dlp_ftype t);

/*
 * The built-in type a file name extension (without the dot, any case)
 * or a declared MIME type (parameters ignored) claims; DLP_FT_UNKNOWN
 * when it claims none we know (".dat", "application/octet-stream").
 */
enum dlp_ftype dlp_ftype_from_ext(const char *ext, size_t len);
enum dlp_ftype dlp_ftype_from_mime(const char *mime);

/* Number of libmagic calls made by this sniffer (for tests, metrics). */
size_t dlp_sniffer_nmagic(const struct dlp_sniffer *s);

/* Bytes handed to libmagic at most. */
#define DLP_SNIFF_MAGIC_PREFIX ((size_t)64 << 10)

#endif /* DLP_SNIFF_H */
