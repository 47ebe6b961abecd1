/*
 * pending_attach.c - TEMPORARY STAND-INS, REMOVED AT MERGE.
 *
 * The dispatcher in extract.c calls stages that are written in parallel
 * (TNEF, nested messages, charset conversion, HTML to text). Until each one
 * exists this file provides a stand-in: every extractor reports its object
 * unscanned "unsupported" (fail closed), the charset and HTML stand-ins copy
 * bytes (UTF-16 is converted so that UTF-16 text attachments can be tested).
 *
 * A stand-in disappears as soon as the real source file is present in
 * engine/ (__has_include), and each is weak, so a real definition wins in
 * any link where both objects are present.
 */
#include <string.h>

#include "charset.h"
#include "extract.h"
#include "html.h"

#define PENDING __attribute__((weak))

static enum dlp_status
pending(struct dlp_xctx *x, const char *where, const char *what)
{
	return x->sink->unscanned(x->sink->ctx, where, "unsupported", what);
}

#if !__has_include("tnef.c")
PENDING enum dlp_status
dlp_extract_tnef(struct dlp_xctx *x, const char *where, const uint8_t *data,
                 size_t len, unsigned depth)
{
	(void)data, (void)len, (void)depth;
	return pending(x, where, "TNEF decoding not built");
}
#endif

#if !__has_include("message.c")
PENDING enum dlp_status
dlp_extract_message(struct dlp_xctx *x, const char *where, const uint8_t *data,
                    size_t len, unsigned depth)
{
	(void)data, (void)len, (void)depth;
	return pending(x, where, "nested message scanning not built");
}
#endif

#if !__has_include("charset.c")
struct dlp_charset {
	const struct dlp_mem *mem;
};

PENDING enum dlp_status
dlp_charset_new(const struct dlp_mem *mem, struct dlp_charset **out)
{
	if ((*out = dlp_calloc(mem, 1, sizeof(**out))) == NULL)
		return DLP_ERR_NOMEM;
	(*out)->mem = mem;
	return DLP_OK;
}

PENDING void
dlp_charset_free(struct dlp_charset *cs)
{
	if (cs != NULL)
		dlp_free(cs->mem, cs);
}

PENDING bool
dlp_utf8_valid(const uint8_t *in, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (in[i] >= 0x80)
			return false;
	return true;
}

static bool
utf16(const uint8_t *in, size_t len, bool le, struct dlp_buf *out)
{
	for (size_t i = 0; i + 1 < len; i += 2) {
		uint32_t c = le ? (uint32_t)(in[i] | in[i + 1] << 8)
		                : (uint32_t)(in[i] << 8 | in[i + 1]);

		if (!dlp_buf_put_utf8(out, c))
			return false;
	}
	return true;
}

PENDING bool
dlp_charset_to_utf8(struct dlp_charset *cs, const char *charset,
                    const uint8_t *in, size_t len, struct dlp_buf *out,
                    unsigned *flags)
{
	(void)cs;
	if (flags != NULL)
		*flags = 0;
	if (charset != NULL && dlp_strcasecmp(charset, "utf-16le") == 0)
		return utf16(in, len, true, out);
	if (charset != NULL && dlp_strcasecmp(charset, "utf-16be") == 0)
		return utf16(in, len, false, out);
	if ((charset == NULL || *charset == '\0') && len >= 2 &&
	    ((in[0] == 0xFF && in[1] == 0xFE) ||
	     (in[0] == 0xFE && in[1] == 0xFF)))
		return utf16(in + 2, len - 2, in[0] == 0xFF, out);
	return dlp_buf_append(out, in, len);
}
#endif

#if !__has_include("html.c")
PENDING bool
dlp_html_to_text(const uint8_t *in, size_t len, struct dlp_buf *out)
{
	return dlp_buf_append(out, in, len);
}

PENDING bool
dlp_html_decode_entities(const uint8_t *in, size_t len, struct dlp_buf *out)
{
	return dlp_buf_append(out, in, len);
}
#endif
