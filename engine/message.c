/*
 * message.c - a nested message (message/rfc822, message/global,
 * text/rfc822-headers, S/MIME signed content): parse it and report it
 * through the sink with where + ":" in front of every location, so its
 * headers are scanned as headers ("message/rfc822[1]:subject").
 *
 * Trusts nothing in data. The nesting depth is checked against
 * max_depth before anything is parsed; a deeper message is reported
 * unscanned ("limit"). Only DLP_ERR_NOMEM or a sink error is returned.
 */
#include <stdio.h>
#include <string.h>

#include "extract.h"
#include "mime.h"

enum dlp_status
dlp_extract_message(struct dlp_xctx *x, const char *where, const uint8_t *data,
    size_t len, unsigned depth)
{
	struct dlp_mime *m = NULL;
	struct dlp_buf prefix;
	enum dlp_status st;
	char d[80];

	if (x == NULL || x->sink == NULL || x->lim == NULL || where == NULL)
		return DLP_ERR_INVAL;
	if (depth > x->lim->max_depth) {
		snprintf(d, sizeof(d), "message nesting deeper than %zu",
		    x->lim->max_depth);
		return x->sink->unscanned(x->sink->ctx, where, "limit", d);
	}
	dlp_buf_init(&prefix, x->mem);
	if (!dlp_buf_puts(&prefix, where) || !dlp_buf_putc(&prefix, ':')) {
		st = DLP_ERR_NOMEM;
		goto out;
	}
	if ((st = dlp_mime_parse(x->mem, x->lim, data, len, &m)) != DLP_OK)
		goto out;
	st = dlp_mime_emit(m, x->cs, x->sink, (const char *)prefix.p, depth);
out:
	dlp_mime_free(m);
	dlp_buf_fini(&prefix);
	return st;
}
