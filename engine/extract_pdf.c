/*
 * extract_pdf.c - text and metadata of PDF documents through poppler-glib
 * (see docs/pdf-library.md for why poppler and not MuPDF).
 *
 * Poppler reads the bytes from memory (no file, no copy: the GBytes is
 * static and the document is released before returning). Text is reported
 * per page (where + "/page N", 1-based); the Info dictionary (title,
 * author, subject, keywords, creator, producer) and the XMP packet are
 * DLP_SCOPE_METADATA, as are Info keys named MSIP_Label_* (poppler-glib has
 * no call for custom Info keys, so their "/Name (value)" pairs are picked
 * from the raw bytes; a compressed object stream hides them, XMP usually
 * repeats them). A PDF that needs a password is "encrypted"; one encrypted
 * with an empty user password is read, and a metadata line
 * "Encrypt=empty user password" says so. Damaged files poppler cannot
 * open are "malformed". Pages beyond PDF_MAX_PAGES, the message deadline
 * and the expanded-bytes budget stop the text with "limit".
 *
 * Poppler and GLib allocate through g_malloc, not our allocator: the OOM
 * sweep covers only our buffers. Poppler's own diagnostics go to its
 * error callback, which poppler-glib keeps silent in release builds; this
 * file installs no GLib log handler (that is process-global state).
 */
#include <glib.h>
#include <poppler.h>
#include <stdio.h>
#include <string.h>

#include "extract.h"

#define PDF_MAX_PAGES 2000

static enum dlp_status
put_meta(struct dlp_buf *b, const char *name, gchar *val)
{
	bool ok = true;

	if (val != NULL && val[0] != '\0')
		ok = dlp_buf_puts(b, name) && dlp_buf_putc(b, '=') &&
		     dlp_buf_puts(b, val) && dlp_buf_putc(b, '\n');
	g_free(val);
	return ok ? DLP_OK : DLP_ERR_NOMEM;
}

static const uint8_t *
memfind(const uint8_t *p, size_t len, const char *needle)
{
	size_t nl = strlen(needle), i;
	const uint8_t *q;

	for (i = 0; i < len;) {
		q = memchr(p + i, needle[0], len - i);
		if (q == NULL)
			return NULL;
		i = (size_t)(q - p);
		if (len - i >= nl && memcmp(q, needle, nl) == 0)
			return q;
		i++;
	}
	return NULL;
}

/* "/MSIP_Label_x_Enabled (true)" pairs from the raw bytes, as lines. */
static bool
raw_labels(const uint8_t *data, size_t len, struct dlp_buf *b)
{
	const uint8_t *p = data, *end = data + len, *q;
	int nest;

	while ((q = memfind(p, (size_t)(end - p), "/MSIP_Label_")) != NULL) {
		p = q + 1;
		while (p<end && * p> ' ' && *p != '(' && *p != '/' &&
		       *p != '<' && *p != '[')
			p++;
		if (!dlp_buf_append(b, q + 1, (size_t)(p - q - 1)) ||
		    !dlp_buf_putc(b, '='))
			return false;
		while (p < end && (*p == ' ' || *p == '\r' || *p == '\n'))
			p++;
		if (p < end && *p == '(') {
			for (nest = 1, p++; p < end && nest > 0; p++) {
				if (*p == '\\' && p + 1 < end) {
					p++;
				} else if (*p == '(') {
					nest++;
				} else if (*p == ')' && --nest == 0) {
					break;
				}
				if (nest > 0 && !dlp_buf_putc(b, *p))
					return false;
			}
		} else if (p < end && *p == '/') {
			for (q = ++p;
			     p<end && * p> ' ' && *p != '/' && *p != '>'; p++)
				;
			if (!dlp_buf_append(b, q, (size_t)(p - q)))
				return false;
		}
		if (!dlp_buf_putc(b, '\n'))
			return false;
	}
	return true;
}

enum dlp_status
dlp_extract_pdf(struct dlp_xctx *x, const char *where, const uint8_t *data,
                size_t len, unsigned depth)
{
	const struct dlp_sink *s = x->sink;
	struct dlp_budget *bud = s->budget;
	PopplerDocument *doc = NULL;
	PopplerPage *page;
	GBytes *bytes = NULL;
	GError *err = NULL;
	struct dlp_buf meta, pw;
	enum dlp_status st = DLP_OK;
	gchar *text;
	size_t tl;
	int n, i;

	(void)depth;
	dlp_buf_init(&meta, x->mem);
	dlp_buf_init(&pw, x->mem);
	if (len < 5 || memfind(data, len < 1024 ? len : 1024, "%PDF") == NULL) {
		st = s->unscanned(s->ctx, where, "malformed", "no PDF header");
		goto out;
	}
	bytes = g_bytes_new_static(data, len);
	doc = poppler_document_new_from_bytes(bytes, NULL, &err);
	if (doc == NULL) {
		if (err != NULL && g_error_matches(err, POPPLER_ERROR,
		                                   POPPLER_ERROR_ENCRYPTED))
			st = s->unscanned(s->ctx, where, "encrypted",
			                  "PDF needs a password");
		else
			st = s->unscanned(s->ctx, where, "malformed",
			                  err != NULL ? err->message : "PDF");
		goto out;
	}
	if ((st = put_meta(&meta, "Title", poppler_document_get_title(doc))) !=
	        DLP_OK ||
	    (st = put_meta(&meta, "Author",
	                   poppler_document_get_author(doc))) != DLP_OK ||
	    (st = put_meta(&meta, "Subject",
	                   poppler_document_get_subject(doc))) != DLP_OK ||
	    (st = put_meta(&meta, "Keywords",
	                   poppler_document_get_keywords(doc))) != DLP_OK ||
	    (st = put_meta(&meta, "Creator",
	                   poppler_document_get_creator(doc))) != DLP_OK ||
	    (st = put_meta(&meta, "Producer",
	                   poppler_document_get_producer(doc))) != DLP_OK ||
	    (st = put_meta(&meta, "XMP", poppler_document_get_metadata(doc))) !=
	        DLP_OK)
		goto out;
	if (!raw_labels(data, len, &meta)) {
		st = DLP_ERR_NOMEM;
		goto out;
	}
	if (memfind(data, len, "/Encrypt") != NULL &&
	    !dlp_buf_puts(&meta, "Encrypt=empty user password\n")) {
		st = DLP_ERR_NOMEM;
		goto out;
	}
	if (meta.len > 0 &&
	    (st = s->text(s->ctx, DLP_SCOPE_METADATA, where, NULL,
	                  (const char *)meta.p, meta.len)) != DLP_OK)
		goto out;
	n = poppler_document_get_n_pages(doc);
	for (i = 0; i < n; i++) {
		if (i >= PDF_MAX_PAGES) {
			st = s->unscanned(s->ctx, where, "limit",
			                  "pages after 2000");
			goto out;
		}
		if (bud != NULL && dlp_budget_expired(bud)) {
			st = s->unscanned(s->ctx, where, "limit", "scan time");
			goto out;
		}
		if ((page = poppler_document_get_page(doc, i)) == NULL) {
			dlp_buf_reset(&pw);
			if (!dlp_buf_printf(&pw, "%s/page %d", where, i + 1)) {
				st = DLP_ERR_NOMEM;
				goto out;
			}
			if ((st = s->unscanned(s->ctx, (const char *)pw.p,
			                       "malformed", "page")) != DLP_OK)
				goto out;
			continue;
		}
		text = poppler_page_get_text(page);
		g_object_unref(page);
		tl = text != NULL ? strlen(text) : 0;
		if (tl > 0 && bud != NULL && !dlp_budget_take(bud, tl)) {
			g_free(text);
			st = s->unscanned(s->ctx, where, "limit",
			                  "expanded bytes");
			goto out;
		}
		dlp_buf_reset(&pw);
		if (!dlp_buf_printf(&pw, "%s/page %d", where, i + 1)) {
			g_free(text);
			st = DLP_ERR_NOMEM;
			goto out;
		}
		if (tl > 0)
			st = s->text(s->ctx, DLP_SCOPE_ATTACHMENT,
			             (const char *)pw.p, NULL, text, tl);
		g_free(text);
		if (st != DLP_OK)
			goto out;
	}
out:
	if (doc != NULL)
		g_object_unref(doc);
	if (bytes != NULL)
		g_bytes_unref(bytes);
	if (err != NULL)
		g_error_free(err);
	dlp_buf_fini(&meta);
	dlp_buf_fini(&pw);
	return st;
}
