/*
 * extract_pdf.c - text and metadata of PDF documents through poppler-glib
 * (see docs/pdf-library.md for why poppler and not MuPDF).
 *
 * Poppler reads the bytes from memory (no file, no copy: the GBytes is
 * static and the document is released before returning). Text is reported
 * per page (where + "/page N", 1-based, followed by the page's annotation
 * contents, text form-field values and link URIs); embedded files are
 * passed on as objects at depth + 1; the Info dictionary (title,
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

/* Annotation contents, text form fields and link targets of a page. */
static bool
page_extras(PopplerPage *page, struct dlp_buf *b)
{
	GList *l, *list;
	gchar *t, *name;
	bool ok = true;

	list = poppler_page_get_annot_mapping(page);
	for (l = list; l != NULL && ok; l = l->next) {
		PopplerAnnotMapping *m = l->data;
		if ((t = poppler_annot_get_contents(m->annot)) != NULL) {
			ok = dlp_buf_puts(b, t) && dlp_buf_putc(b, '\n');
			g_free(t);
		}
	}
	poppler_page_free_annot_mapping(list);
	list = poppler_page_get_form_field_mapping(page);
	for (l = list; l != NULL && ok; l = l->next) {
		PopplerFormFieldMapping *m = l->data;
		if (poppler_form_field_get_field_type(m->field) !=
		    POPPLER_FORM_FIELD_TEXT)
			continue;
		name = poppler_form_field_get_partial_name(m->field);
		t = poppler_form_field_text_get_text(m->field);
		if (t != NULL)
			ok = (name == NULL || (dlp_buf_puts(b, name) &&
			                          dlp_buf_puts(b, ": "))) &&
			     dlp_buf_puts(b, t) && dlp_buf_putc(b, '\n');
		g_free(name);
		g_free(t);
	}
	poppler_page_free_form_field_mapping(list);
	list = poppler_page_get_link_mapping(page);
	for (l = list; l != NULL && ok; l = l->next) {
		PopplerLinkMapping *m = l->data;
		if (m->action != NULL &&
		    m->action->type == POPPLER_ACTION_URI &&
		    m->action->uri.uri != NULL)
			ok = dlp_buf_puts(b, m->action->uri.uri) &&
			     dlp_buf_putc(b, '\n');
	}
	poppler_page_free_link_mapping(list);
	return ok;
}

struct attsave {
	struct dlp_buf *b;
	size_t max;
	bool over, nomem;
};

static gboolean
att_save(const gchar *buf, gsize count, gpointer data, GError **error)
{
	struct attsave *a = data;

	(void)error;
	if (a->max != 0 && count > a->max - a->b->len) {
		a->over = true;
		return FALSE;
	}
	if (!dlp_buf_append(a->b, buf, count)) {
		a->nomem = true;
		return FALSE;
	}
	return TRUE;
}

/* Embedded files: passed on as objects. */
static enum dlp_status
attachments(
    struct dlp_xctx *x, PopplerDocument *doc, const char *where, unsigned depth)
{
	const struct dlp_sink *s = x->sink;
	struct dlp_buf data, w;
	struct attsave as;
	GList *list, *l;
	GError *err = NULL;
	enum dlp_status st = DLP_OK;
	unsigned n = 0;

	dlp_buf_init(&data, x->mem);
	dlp_buf_init(&w, x->mem);
	list = poppler_document_get_attachments(doc);
	for (l = list; l != NULL && st == DLP_OK; l = l->next) {
		PopplerAttachment *att = l->data;
		const char *name = att->name != NULL ? att->name : NULL;

		n++;
		dlp_buf_reset(&data);
		dlp_buf_reset(&w);
		if (!dlp_buf_printf(&w, "%s/%s", where,
		        name != NULL ? name : "attachment")) {
			st = DLP_ERR_NOMEM;
			break;
		}
		as.b = &data;
		as.max = x->lim != NULL ? x->lim->max_entry_bytes : 0;
		as.over = as.nomem = false;
		if (!poppler_attachment_save_to_callback(
		        att, att_save, &as, &err)) {
			g_clear_error(&err);
			if (as.nomem)
				st = DLP_ERR_NOMEM;
			else
				st = s->unscanned(s->ctx, (const char *)w.p,
				    as.over ? "limit" : "malformed",
				    "embedded file");
			continue;
		}
		if (s->budget != NULL && !dlp_budget_take(s->budget, data.len))
			st = s->unscanned(s->ctx, (const char *)w.p, "limit",
			    "expanded bytes");
		else
			st = s->object(s->ctx, (const char *)w.p, name, NULL,
			    data.p, data.len, depth + 1);
	}
	g_list_free_full(list, g_object_unref);
	dlp_buf_fini(&data);
	dlp_buf_fini(&w);
	return st;
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
	struct dlp_buf meta, pw, pt;
	bool ok;
	enum dlp_status st = DLP_OK;
	gchar *text;
	size_t tl;
	int n, i;

	dlp_buf_init(&meta, x->mem);
	dlp_buf_init(&pw, x->mem);
	dlp_buf_init(&pt, x->mem);
	if (len < 5 || memfind(data, len < 1024 ? len : 1024, "%PDF") == NULL) {
		st = s->unscanned(s->ctx, where, "malformed", "no PDF header");
		goto out;
	}
	bytes = g_bytes_new_static(data, len);
	doc = poppler_document_new_from_bytes(bytes, NULL, &err);
	if (doc == NULL) {
		if (err != NULL && g_error_matches(err, POPPLER_ERROR,
		                       POPPLER_ERROR_ENCRYPTED))
			st = s->unscanned(
			    s->ctx, where, "encrypted", "PDF needs a password");
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
			st = s->unscanned(
			    s->ctx, where, "limit", "pages after 2000");
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
		dlp_buf_reset(&pt);
		ok = (text == NULL || dlp_buf_puts(&pt, text)) &&
		     dlp_buf_putc(&pt, '\n') && page_extras(page, &pt);
		g_free(text);
		g_object_unref(page);
		if (!ok) {
			st = DLP_ERR_NOMEM;
			goto out;
		}
		tl = pt.len;
		if (bud != NULL && !dlp_budget_take(bud, tl)) {
			st = s->unscanned(
			    s->ctx, where, "limit", "expanded bytes");
			goto out;
		}
		dlp_buf_reset(&pw);
		if (!dlp_buf_printf(&pw, "%s/page %d", where, i + 1)) {
			st = DLP_ERR_NOMEM;
			goto out;
		}
		if (tl > 1 && (st = s->text(s->ctx, DLP_SCOPE_ATTACHMENT,
		                   (const char *)pw.p, NULL, (const char *)pt.p,
		                   tl)) != DLP_OK)
			goto out;
	}
	st = attachments(x, doc, where, depth);
out:
	if (doc != NULL)
		g_object_unref(doc);
	if (bytes != NULL)
		g_bytes_unref(bytes);
	if (err != NULL)
		g_error_free(err);
	dlp_buf_fini(&meta);
	dlp_buf_fini(&pw);
	dlp_buf_fini(&pt);
	return st;
}
