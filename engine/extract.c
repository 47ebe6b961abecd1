/*
 * extract.c - identify one object and hand it to the stage that reads it.
 *
 * Trust: the bytes, the file name and the declared MIME type are all
 * hostile; only the sniffed type decides where the bytes go. The name and
 * declared type are compared with it and a disagreement is a finding:
 *
 *	"type-mismatch" level 2 when the real type is an executable, or an
 *	archive/compressed stream behind a name or type that claims a
 *	document, text, image or media type (content hidden from a reader);
 *	level 1 (a note) for every other disagreement.
 *
 * Only a claim we recognise counts ("x.dat" or application/octet-stream
 * claims nothing); text, image and media types are each one family (a
 * JPEG named .png is not a finding), and a zip-based package behind a .zip
 * name is not one either.
 * Limits: x->lim->max_depth (an object deeper than it is not opened) and
 * the message deadline, each reported unscanned "limit".
 * Status: DLP_OK, DLP_ERR_NOMEM or an error from the sink; everything
 * about the content goes through the sink. Objects no stage reads are
 * reported unscanned "unsupported" (executables, unknown binaries) or
 * "encrypted" (PGP, PKCS#7, password-protected OOXML); images are
 * recorded as a level 0 "image" finding, media as "media".
 *
 * Also here, for the extractors that inflate zlib data themselves (OLE2
 * objects, PDF streams): dlp_expand_cap, the one reading of the
 * expansion limits, and dlp_inflate, bounded by it.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "charset.h"
#include "html.h"
#include "sniff.h"

static bool
family(enum dlp_fclass c, enum dlp_fclass d)
{
	if ((c == DLP_FC_TEXT || c == DLP_FC_HTML) &&
	    (d == DLP_FC_TEXT || d == DLP_FC_HTML))
		return true;
	return c == d && (c == DLP_FC_IMAGE || c == DLP_FC_MEDIA);
}

static bool
is_container(enum dlp_fclass c)
{
	return c == DLP_FC_ARCHIVE || c == DLP_FC_COMPRESS;
}

/* Does a claimed type agree with the real one? */
static bool
agrees(enum dlp_ftype claim, const struct dlp_sniff_result *real)
{
	enum dlp_fclass cc = dlp_ftype_class(claim);

	if (claim == DLP_FT_UNKNOWN || claim == real->type)
		return true;
	if (real->type == DLP_FT_OTHER)
		return strcmp(dlp_ftype_mime(claim), real->mime) == 0;
	if (family(cc, real->cls))
		return true;
	/* zip-based packages (docx, odt, jar, apk) are zips. */
	if (claim == DLP_FT_ZIP &&
	    (real->cls == DLP_FC_OOXML || real->cls == DLP_FC_ODF ||
	        real->type == DLP_FT_JAR || real->type == DLP_FT_APK))
		return true;
	/* The same format under two names (rar/rar5, ooxml variants). */
	if (strcmp(dlp_ftype_mime(claim), real->mime) == 0)
		return true;
	/* gzip of a tar is a .tgz/.tar.gz: the outer layer is what we see. */
	if (cc == DLP_FC_ARCHIVE && claim == DLP_FT_TAR &&
	    real->cls == DLP_FC_COMPRESS)
		return true;
	/* A text message is text; an RFC 822 file named .txt is fine. */
	return real->type == DLP_FT_RFC822 && cc == DLP_FC_TEXT;
}

static unsigned
mismatch_level(enum dlp_ftype claim, const struct dlp_sniff_result *real)
{
	enum dlp_fclass cc = dlp_ftype_class(claim);

	if (real->cls == DLP_FC_EXEC)
		return 2;
	if (is_container(real->cls) && !is_container(cc))
		return 2;
	return 1;
}

static const char *
extension(const char *name, size_t *n)
{
	const char *slash, *dot;

	if (name == NULL)
		return NULL;
	slash = strrchr(name, '/');
	if (slash != NULL)
		name = slash + 1;
	if ((slash = strrchr(name, '\\')) != NULL)
		name = slash + 1;
	if ((dot = strrchr(name, '.')) == NULL || dot == name)
		return NULL;
	*n = strlen(dot + 1);
	return dot + 1;
}

static enum dlp_status
check_mismatch(struct dlp_xctx *x, const char *where, const char *name,
    const char *declared, const struct dlp_sniff_result *real)
{
	enum dlp_ftype by_ext = DLP_FT_UNKNOWN, by_decl;
	const char *ext;
	size_t n = 0;
	unsigned level = 0;
	char detail[320];

	if ((ext = extension(name, &n)) != NULL)
		by_ext = dlp_ftype_from_ext(ext, n);
	by_decl = dlp_ftype_from_mime(declared);
	if (!agrees(by_ext, real))
		level = mismatch_level(by_ext, real);
	if (!agrees(by_decl, real) && mismatch_level(by_decl, real) > level)
		level = mismatch_level(by_decl, real);
	if (level == 0)
		return DLP_OK;
	snprintf(detail, sizeof(detail),
	    "real %s (%s); name .%.*s; declared %s", dlp_ftype_name(real->type),
	    real->mime, ext ? (int)(n > 32 ? 32 : n) : 1, ext ? ext : "-",
	    declared ? declared : "-");
	return x->sink->finding(
	    x->sink->ctx, where, "type-mismatch", level, detail);
}

/* The charset parameter of a declared type, copied into buf. */
static const char *
charset_param(const char *declared, char *buf, size_t size)
{
	const char *p;
	size_t n;

	if (declared == NULL)
		return NULL;
	for (p = declared; (p = strchr(p, ';')) != NULL;) {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (dlp_strncasecmp(p, "charset=", 8) != 0)
			continue;
		p += 8;
		if (*p == '"')
			p++;
		n = strcspn(p, "\"; \t");
		if (n == 0 || n >= size)
			return NULL;
		memcpy(buf, p, n);
		buf[n] = '\0';
		return buf;
	}
	return NULL;
}

static enum dlp_status
do_text(struct dlp_xctx *x, const char *where, const char *declared,
    const struct dlp_sniff_result *r, const uint8_t *data, size_t len)
{
	struct dlp_buf u, h;
	const char *cs = NULL;
	char csbuf[64];
	enum dlp_status st = DLP_OK;
	const struct dlp_buf *out = &u;

	dlp_buf_init(&u, x->mem);
	dlp_buf_init(&h, x->mem);
	if (r->type == DLP_FT_UTF16LE) {
		cs = "UTF-16LE";
		if (len >= 2 && data[0] == 0xFF && data[1] == 0xFE)
			data += 2, len -= 2;
	} else if (r->type == DLP_FT_UTF16BE) {
		cs = "UTF-16BE";
		if (len >= 2 && data[0] == 0xFE && data[1] == 0xFF)
			data += 2, len -= 2;
	} else if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		cs = "UTF-8";
		data += 3, len -= 3;
	} else {
		cs = charset_param(declared, csbuf, sizeof(csbuf));
	}
	/* Valid UTF-8 is passed on as it is: no copy of a large text. */
	if ((cs == NULL || dlp_strcasecmp(cs, "utf-8") == 0) &&
	    r->cls == DLP_FC_TEXT && dlp_utf8_valid(data, len)) {
		st = x->sink->text(x->sink->ctx, DLP_SCOPE_ATTACHMENT, where,
		    NULL, (const char *)data, len);
		goto out;
	}
	if (!dlp_charset_to_utf8(x->cs, cs, data, len, &u, NULL)) {
		st = DLP_ERR_NOMEM;
		goto out;
	}
	if (r->cls == DLP_FC_HTML) {
		if (!dlp_html_to_text(
		        u.p ? u.p : (const uint8_t *)"", u.len, &h)) {
			st = DLP_ERR_NOMEM;
			goto out;
		}
		out = &h;
	}
	st = x->sink->text(x->sink->ctx, DLP_SCOPE_ATTACHMENT, where, NULL,
	    out->p ? (const char *)out->p : "", out->len);
out:
	dlp_buf_fini(&u);
	dlp_buf_fini(&h);
	return st;
}

static enum dlp_status
report(struct dlp_xctx *x, const char *where, const char *why, const char *what,
    const char *name, const char *mime)
{
	char detail[256];

	snprintf(detail, sizeof(detail), "%s%s (%s)", what, name, mime);
	return x->sink->unscanned(x->sink->ctx, where, why, detail);
}

static enum dlp_status
dispatch(struct dlp_xctx *x, const char *where, const char *declared,
    const struct dlp_sniff_result *r, const uint8_t *data, size_t len,
    unsigned depth)
{
	const char *name = dlp_ftype_name(r->type);

	switch (r->cls) {
	case DLP_FC_ARCHIVE:
	case DLP_FC_COMPRESS:
		return dlp_extract_archive(x, where, data, len, depth);
	case DLP_FC_OOXML:
		return dlp_extract_ooxml(x, where, data, len, depth);
	case DLP_FC_ODF:
		return dlp_extract_odf(x, where, data, len, depth);
	case DLP_FC_RTF:
		return dlp_extract_rtf(x, where, data, len, depth);
	case DLP_FC_PDF:
		return dlp_extract_pdf(x, where, data, len, depth);
	case DLP_FC_OLE:
		return dlp_extract_ole(x, where, data, len, depth);
	case DLP_FC_TNEF:
		return dlp_extract_tnef(x, where, data, len, depth);
	case DLP_FC_MESSAGE:
		return dlp_extract_message(x, where, data, len, depth);
	case DLP_FC_TEXT:
	case DLP_FC_HTML:
		return do_text(x, where, declared, r, data, len);
	case DLP_FC_IMAGE:
		return x->sink->finding(
		    x->sink->ctx, where, "image", 0, r->mime);
	case DLP_FC_MEDIA:
		return x->sink->finding(
		    x->sink->ctx, where, "media", 0, r->mime);
	case DLP_FC_ENCRYPTED:
		return report(x, where, "encrypted", "", name, r->mime);
	case DLP_FC_EXEC:
		return report(
		    x, where, "unsupported", "executable ", name, r->mime);
	case DLP_FC_UNKNOWN:
		break;
	}
	return report(x, where, "unsupported", "no reader for ",
	    r->type == DLP_FT_OTHER ? "type" : name, r->mime);
}

enum dlp_status
dlp_extract_object(struct dlp_xctx *x, const char *where, const char *name,
    const char *declared_type, const uint8_t *data, size_t len, unsigned depth)
{
	struct dlp_sniff_result r;
	enum dlp_status st;
	char detail[96];

	if (x == NULL || x->sink == NULL || where == NULL ||
	    (data == NULL && len > 0))
		return DLP_ERR_INVAL;
	if (x->lim != NULL && depth > x->lim->max_depth) {
		snprintf(detail, sizeof(detail),
		    "nesting depth %u over max_depth %zu: not opened", depth,
		    x->lim->max_depth);
		return x->sink->unscanned(x->sink->ctx, where, "limit", detail);
	}
	if (dlp_budget_expired(x->sink->budget))
		return x->sink->unscanned(x->sink->ctx, where, "limit",
		    "scan time (max_scan_ms) used up: not opened");
	if (len == 0)
		return DLP_OK; /* nothing to read, nothing hidden */
	r = dlp_sniff(x, data, len, name);
	/*
	 * A container that says message/rfc822 is a message even when its
	 * headers are too odd for the sniff, as long as it is text.
	 */
	if (r.cls == DLP_FC_TEXT && declared_type != NULL &&
	    dlp_ftype_from_mime(declared_type) == DLP_FT_RFC822) {
		r.type = DLP_FT_RFC822;
		r.cls = DLP_FC_MESSAGE;
		r.mime = dlp_ftype_mime(r.type);
	}
	if ((st = check_mismatch(x, where, name, declared_type, &r)) != DLP_OK)
		return st;
	return dispatch(x, where, declared_type, &r, data, len, depth);
}

/* ---- shared by the extractors: expansion limits and inflating ---- */

size_t
dlp_expand_cap(const struct dlp_xctx *x, size_t len, const char **detail)
{
	struct dlp_budget *bud = x->sink->budget;
	const struct dlp_limits *lim =
	    x->lim != NULL ? x->lim : (bud != NULL ? bud->limits : NULL);
	size_t cap = SIZE_MAX;

	*detail = NULL;
	if (lim != NULL) {
		if (!dlp_mul_ok(len, lim->max_ratio, &cap))
			cap = SIZE_MAX;
		if (cap < ((size_t)1 << 20))
			cap = (size_t)1 << 20;
		*detail = "expansion ratio (max_ratio)";
		if (lim->max_entry_bytes != 0 && lim->max_entry_bytes < cap) {
			cap = lim->max_entry_bytes;
			*detail = "entry size (max_entry_bytes)";
		}
	}
	if (bud != NULL && bud->expanded_left < cap) {
		cap = bud->expanded_left;
		*detail = "expanded bytes per message (max_expanded_bytes)";
	}
	return cap;
}

static voidpf
z_alloc(voidpf opaque, uInt items, uInt size)
{
	size_t n;

	if (!dlp_mul_ok(items, size, &n))
		return Z_NULL;
	return dlp_malloc(opaque, n);
}

static void
z_free(voidpf opaque, voidpf p)
{
	dlp_free(opaque, p);
}

enum dlp_status
dlp_inflate(const struct dlp_xctx *x, const uint8_t *p, size_t len, size_t cap,
    const char *capdetail, size_t decl, bool partial_ok, const char *what,
    struct dlp_buf *out, const char **why, const char **detail)
{
	enum dlp_status st = DLP_OK;
	size_t want, chunk;
	z_stream z;
	int zr;

	*why = NULL;
	*detail = NULL;
	dlp_buf_reset(out);
	if (decl > cap) { /* the declared size is already too much */
		*why = "limit";
		*detail = capdetail;
		return DLP_OK;
	}
	memset(&z, 0, sizeof(z));
	z.zalloc = z_alloc;
	z.zfree = z_free;
	z.opaque = (voidpf)x->mem;
	z.next_in = (Bytef *)(uintptr_t)p;
	z.avail_in = len > UINT_MAX ? UINT_MAX : (uInt)len;
	if ((zr = inflateInit(&z)) != Z_OK) {
		if (zr == Z_MEM_ERROR)
			return DLP_ERR_NOMEM;
		*why = "unsupported";
		*detail = "zlib initialisation";
		return DLP_OK;
	}
	want = decl > 0 ? decl : 4096;
	for (;;) {
		if (out->len >= cap) {
			*why = "limit";
			*detail = capdetail;
			break;
		}
		chunk = cap - out->len < want ? cap - out->len : want;
		if (chunk > UINT_MAX)
			chunk = UINT_MAX;
		if (!dlp_buf_reserve(out, chunk)) {
			st = DLP_ERR_NOMEM;
			break;
		}
		z.next_out = out->p + out->len;
		z.avail_out = (uInt)chunk;
		zr = inflate(&z, Z_NO_FLUSH);
		out->len += chunk - z.avail_out;
		if (zr == Z_STREAM_END)
			break;
		/* the input ended before the stream did (writers leave out
		 * its Adler-32 or its last block) */
		if (zr == Z_BUF_ERROR && z.avail_in == 0 &&
		    ((decl > 0 && out->len == decl) ||
		        (partial_ok && out->len > 0)))
			break;
		if (zr == Z_MEM_ERROR) {
			st = DLP_ERR_NOMEM;
			break;
		}
		if (zr != Z_OK) { /* data error, or input ended early */
			*why = "malformed";
			*detail = what;
			break;
		}
		want = 64 << 10;
	}
	inflateEnd(&z);
	if (out->cap > 0)
		out->p[out->len] = '\0';
	return st;
}
