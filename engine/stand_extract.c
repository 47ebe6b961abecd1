/*
 * stand_extract.c - first-cut attachment handling: every nested object is
 * reported unscanned ("unsupported"), so a message with attachments is
 * held, never allowed by omission. Replaced by extract.c and its stages.
 */
#include "extract.h"

void
dlp_sniffer_free(struct dlp_sniffer *s)
{
	(void)s;
}

enum dlp_status
dlp_extract_object(struct dlp_xctx *x, const char *where, const char *name,
    const char *declared_type, const uint8_t *data, size_t len, unsigned depth)
{
	(void)name;
	(void)declared_type;
	(void)data;
	(void)len;
	(void)depth;
	return x->sink->unscanned(
	    x->sink->ctx, where, "unsupported", "attachments are not read yet");
}
