/*
 * extract_pdf.c - text and metadata of PDF documents through poppler-glib
 * (see docs/pdf-library.md for why poppler and not MuPDF).
 *
 * Poppler reads the bytes from memory (no file, no copy: the GBytes is
 * static and the document is released before returning). Text is reported
 * per page (where + "/page N", 1-based, followed by the page's annotation
 * contents, the author label and subject of markup annotations, text and
 * choice form-field values and link URIs); outline (bookmark) titles are
 * where + "/outline" (at most OUTLINE_MAX_ITEMS items and OUTLINE_MAX_DEPTH
 * levels, the rest "limit"); embedded files, of the document and of file
 * attachment annotations (where + "/page N/" + name), are passed on as
 * objects at depth + 1; the Info dictionary (title,
 * author, subject, keywords, creator, producer) and the XMP packet are
 * DLP_SCOPE_METADATA, as are Info keys named MSIP_Label_* (poppler-glib has
 * no call for custom Info keys, so their "/Name (value)" pairs are picked
 * from the raw bytes and, by the raw reader below, from the decoded object
 * streams, where a compressed Info dictionary keeps them). A PDF that needs a
 * password is "encrypted"; one encrypted with an empty user password is read,
 * and a metadata line "Encrypt=empty user password" says so. Damaged files
 * poppler cannot open are "malformed". Pages beyond PDF_MAX_PAGES, the message
 * deadline and the expanded-bytes budget stop the text with "limit". Poppler's
 * text comes in physical-layout order (poppler-glib offers no other), so a
 * phrase that runs across two columns, a rotated line or text drawn over
 * itself may not read as written. Every page poppler read is therefore
 * read a second time in content-stream order (pdf_text.c, its limits
 * there: 1,000,000 operators and 1 MiB of text a page, forms 8 deep),
 * and where that text's words differ from poppler's (white space runs
 * compared as one space; a hash of poppler's words is kept per page) it
 * is reported as a separate text, where + "/page N/stream", charged to
 * the budget. What that second reading cannot do (a limit met, a budget
 * too small for it) is not reported as unscanned: poppler read the page,
 * and a large vector drawing would otherwise be held; the policy counts
 * a rule's matches in the two readings of a page once (internal.h,
 * DLP_WHERE_REREAD). On the PDFs of
 * the benchmark mix this second reading costs about 6% of the PDF
 * extraction time and reports nothing (the two orders agree); on the
 * Tika corpus PDFs about 17%. Not for a file with /Encrypt.
 *
 * What poppler-glib does not expose is read with the raw object reader
 * (pdfobj.c, its limits there): XFA form data as "caption: value" lines
 * (where + "/xfa", pdf_xfa.c) and document JavaScript, /JS strings and
 * streams of actions and of the /Names /JavaScript tree (where +
 * "/javascript"). It runs only when the raw bytes name /XFA or /JS or
 * hold an object stream, which can hide them (raw_wanted: one memchr
 * pass), never on a file with /Encrypt (its strings are encrypted). A
 * file poppler cannot open stays "malformed" (fail closed) and the raw
 * reader reports what it can find: file specification names (as
 * DLP_SCOPE_FILENAME, where + "/" + name) and embedded files (objects
 * at depth + 1), annotation /Contents (where + "/annotations"), the Info
 * strings of the latest trailer and MSIP label keys (metadata), XFA and
 * JavaScript.
 *
 * poppler-glib builds poppler's global parameters (encoding tables, CMap
 * and font directories; about 0.6 ms of CPU) with the first open document
 * and destroys them with the last, so a PDF read on its own paid for them
 * each time. The engine holds one empty document (dlp_pdf_keep_new) for
 * its lifetime so that they are built once.
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
#include "pdfobj.h"

#define OUTLINE_MAX_ITEMS 10000
#define OUTLINE_MAX_DEPTH 32

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
	const uint8_t *p = data, *end, *q;
	int nest;

	if (len == 0) /* data may be NULL */
		return true;
	end = data + len;
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

/*
 * Pass one embedded file on as an object named prefix/name. data and w
 * are scratch buffers of the caller.
 */
static enum dlp_status
pass_file(struct dlp_xctx *x, PopplerAttachment *att, const char *prefix,
    unsigned depth, struct dlp_buf *data, struct dlp_buf *w)
{
	const struct dlp_sink *s = x->sink;
	const char *name =
	    att->name != NULL && att->name[0] != '\0' ? att->name : NULL;
	struct attsave as;
	GError *err = NULL;

	dlp_buf_reset(data);
	dlp_buf_reset(w);
	if (!dlp_buf_printf(
	        w, "%s/%s", prefix, name != NULL ? name : "attachment"))
		return DLP_ERR_NOMEM;
	as.b = data;
	as.max = x->lim != NULL ? x->lim->max_entry_bytes : 0;
	as.over = as.nomem = false;
	if (!poppler_attachment_save_to_callback(att, att_save, &as, &err)) {
		g_clear_error(&err);
		if (as.nomem)
			return DLP_ERR_NOMEM;
		return s->unscanned(s->ctx, (const char *)w->p,
		    as.over ? "limit" : "malformed", "embedded file");
	}
	if (s->budget != NULL && !dlp_budget_take(s->budget, data->len))
		return s->unscanned(
		    s->ctx, (const char *)w->p, "limit", "expanded bytes");
	return s->object(s->ctx, (const char *)w->p, name, NULL, data->p,
	    data->len, depth + 1);
}

static bool
put_line(struct dlp_buf *b, const char *prefix, gchar *t)
{
	bool ok = true;

	if (t != NULL && t[0] != '\0')
		ok = (prefix == NULL || dlp_buf_puts(b, prefix)) &&
		     dlp_buf_puts(b, t) && dlp_buf_putc(b, '\n');
	g_free(t);
	return ok;
}

/*
 * Append a page's text to b. poppler_page_get_text joins words of two
 * blocks that share a line without a space ("line 1Right column"), which
 * hides a word boundary from the rules. The text layout gives one box per
 * character of that text: where two characters on one line lie further
 * apart than the line is high, and no white space divides them, a space
 * is put in. When the boxes do not match the text one to one, the text is
 * taken as it is. The layout costs about a third of the page text again,
 * so it is asked for only when the text has a join that such a gap can
 * make and prose rarely has: a lower-case letter or a digit before a
 * capital, a letter next to a digit, or a capital run ending in a word
 * ("SECRETPage"). A join of two lower-case words stays as poppler gives it.
 */
static bool
maybe_joined(const char *t)
{
	unsigned char a, b, c;

	for (; t[0] != '\0' && t[1] != '\0'; t++) {
		a = (unsigned char)t[0];
		b = (unsigned char)t[1];
		c = (unsigned char)t[2];
		if (((a >= 'a' && a <= 'z') || (a >= '0' && a <= '9')) &&
		    b >= 'A' && b <= 'Z')
			return true;
		if ((((a | 0x20) >= 'a' && (a | 0x20) <= 'z') && b >= '0' &&
		        b <= '9') ||
		    (a >= '0' && a <= '9' && (b | 0x20) >= 'a' &&
		        (b | 0x20) <= 'z'))
			return true;
		if (a >= 'A' && a <= 'Z' && b >= 'A' && b <= 'Z' && c >= 'a' &&
		    c <= 'z')
			return true;
	}
	return false;
}

static bool
page_text(PopplerPage *page, const char *text, struct dlp_buf *b)
{
	PopplerRectangle *r = NULL;
	const char *p, *q;
	guint nr = 0, i, prev = 0;
	bool have = false, ok = true;
	double h, ph;
	gunichar u;

	if (!maybe_joined(text) ||
	    !poppler_page_get_text_layout(page, &r, &nr) ||
	    (glong)nr != g_utf8_strlen(text, -1)) {
		g_free(r);
		return dlp_buf_puts(b, text);
	}
	for (p = text, i = 0; *p != '\0' && i < nr && ok; p = q, i++) {
		u = g_utf8_get_char(p);
		q = g_utf8_next_char(p);
		if (g_unichar_isspace(u)) {
			have = false;
		} else {
			if (have && r[i].y1 < r[prev].y2 &&
			    r[prev].y1 < r[i].y2) {
				h = r[i].y2 - r[i].y1;
				ph = r[prev].y2 - r[prev].y1;
				if (ph > h)
					h = ph;
				if (r[i].x1 - r[prev].x2 > h ||
				    r[prev].x1 - r[i].x2 > h)
					ok = dlp_buf_putc(b, ' ');
			}
			have = true;
			prev = i;
		}
		ok = ok && dlp_buf_append(b, p, (size_t)(q - p));
	}
	g_free(r);
	return ok && dlp_buf_puts(b, p);
}

/* The value a reader sees in a text or choice field, after its name. */
static bool
field_value(PopplerFormField *f, struct dlp_buf *b)
{
	gchar *name, *t;
	bool ok = true;
	int i, n;

	switch (poppler_form_field_get_field_type(f)) {
	case POPPLER_FORM_FIELD_TEXT:
		t = poppler_form_field_text_get_text(f);
		break;
	case POPPLER_FORM_FIELD_CHOICE:
		t = poppler_form_field_choice_get_text(f);
		if (t != NULL && t[0] != '\0')
			break;
		g_free(t);
		t = NULL;
		n = poppler_form_field_choice_get_n_items(f);
		for (i = 0; i < n && t == NULL; i++)
			if (poppler_form_field_choice_is_item_selected(f, i))
				t = poppler_form_field_choice_get_item(f, i);
		if (t == NULL)
			return true;
		/* further selected items, one line each */
		for (; i < n && ok; i++)
			if (poppler_form_field_choice_is_item_selected(f, i))
				ok = put_line(b, NULL,
				    poppler_form_field_choice_get_item(f, i));
		break;
	default:
		return true;
	}
	if (t == NULL)
		return ok;
	name = poppler_form_field_get_partial_name(f);
	ok = ok &&
	     (name == NULL ||
	         (dlp_buf_puts(b, name) && dlp_buf_puts(b, ": "))) &&
	     dlp_buf_puts(b, t) && dlp_buf_putc(b, '\n');
	g_free(name);
	g_free(t);
	return ok;
}

/*
 * The text of a page's annotations (contents; author label and subject of
 * markup annotations), its text and choice form fields and link targets,
 * into b; files attached by annotations are passed on as objects under
 * pagewhere.
 */
static enum dlp_status
page_extras(struct dlp_xctx *x, PopplerPage *page, const char *pagewhere,
    unsigned depth, struct dlp_buf *b)
{
	struct dlp_buf data, w;
	GList *l, *list;
	PopplerAttachment *att;
	enum dlp_status st = DLP_OK;
	bool ok = true;

	dlp_buf_init(&data, x->mem);
	dlp_buf_init(&w, x->mem);
	list = poppler_page_get_annot_mapping(page);
	for (l = list; l != NULL && ok && st == DLP_OK; l = l->next) {
		PopplerAnnotMapping *m = l->data;

		ok = put_line(b, NULL, poppler_annot_get_contents(m->annot));
		if (ok && POPPLER_IS_ANNOT_MARKUP(m->annot))
			ok = put_line(b, NULL,
			         poppler_annot_markup_get_label(
			             (PopplerAnnotMarkup *)m->annot)) &&
			     put_line(b, NULL,
			         poppler_annot_markup_get_subject(
			             (PopplerAnnotMarkup *)m->annot));
		if (ok && POPPLER_IS_ANNOT_FILE_ATTACHMENT(m->annot) &&
		    (att = poppler_annot_file_attachment_get_attachment(
		         (PopplerAnnotFileAttachment *)m->annot)) != NULL) {
			st = pass_file(x, att, pagewhere, depth, &data, &w);
			g_object_unref(att);
		}
	}
	poppler_page_free_annot_mapping(list);
	list = ok && st == DLP_OK ? poppler_page_get_form_field_mapping(page)
	                          : NULL;
	for (l = list; l != NULL && ok; l = l->next) {
		PopplerFormFieldMapping *m = l->data;

		ok = field_value(m->field, b);
	}
	poppler_page_free_form_field_mapping(list);
	list = ok && st == DLP_OK ? poppler_page_get_link_mapping(page) : NULL;
	for (l = list; l != NULL && ok; l = l->next) {
		PopplerLinkMapping *m = l->data;
		if (m->action != NULL &&
		    m->action->type == POPPLER_ACTION_URI &&
		    m->action->uri.uri != NULL)
			ok = dlp_buf_puts(b, m->action->uri.uri) &&
			     dlp_buf_putc(b, '\n');
	}
	poppler_page_free_link_mapping(list);
	dlp_buf_fini(&data);
	dlp_buf_fini(&w);
	if (!ok)
		return DLP_ERR_NOMEM;
	return st;
}

/* Embedded files of the document (EmbeddedFiles): passed on as objects. */
static enum dlp_status
attachments(
    struct dlp_xctx *x, PopplerDocument *doc, const char *where, unsigned depth)
{
	struct dlp_buf data, w;
	GList *list, *l;
	enum dlp_status st = DLP_OK;

	dlp_buf_init(&data, x->mem);
	dlp_buf_init(&w, x->mem);
	list = poppler_document_get_attachments(doc);
	for (l = list; l != NULL && st == DLP_OK; l = l->next)
		st = pass_file(x, l->data, where, depth, &data, &w);
	g_list_free_full(list, g_object_unref);
	dlp_buf_fini(&data);
	dlp_buf_fini(&w);
	return st;
}

/*
 * Outline (bookmark) titles, one a line, depth first. Stops at
 * OUTLINE_MAX_ITEMS items or OUTLINE_MAX_DEPTH levels and sets *cut.
 */
static bool
outline(PopplerIndexIter *it, struct dlp_buf *b, unsigned level, size_t *left,
    bool *cut)
{
	PopplerIndexIter *child;
	PopplerAction *a;
	bool ok = true;

	do {
		if (*left == 0) {
			*cut = true;
			break;
		}
		(*left)--;
		if ((a = poppler_index_iter_get_action(it)) != NULL) {
			if (a->any.title != NULL && a->any.title[0] != '\0')
				ok = dlp_buf_puts(b, a->any.title) &&
				     dlp_buf_putc(b, '\n');
			poppler_action_free(a);
		}
		if (ok && (child = poppler_index_iter_get_child(it)) != NULL) {
			if (level + 1 >= OUTLINE_MAX_DEPTH)
				*cut = true;
			else
				ok = outline(child, b, level + 1, left, cut);
			poppler_index_iter_free(child);
		}
	} while (ok && poppler_index_iter_next(it));
	return ok;
}

/* The outline's titles as text of where + "/outline". */
static enum dlp_status
outline_text(struct dlp_xctx *x, PopplerDocument *doc, const char *where,
    struct dlp_buf *b, struct dlp_buf *w)
{
	const struct dlp_sink *s = x->sink;
	PopplerIndexIter *it;
	size_t left = OUTLINE_MAX_ITEMS;
	bool ok, cut = false;
	enum dlp_status st = DLP_OK;

	if ((it = poppler_index_iter_new(doc)) == NULL)
		return DLP_OK;
	dlp_buf_reset(b);
	dlp_buf_reset(w);
	ok = outline(it, b, 0, &left, &cut) &&
	     dlp_buf_printf(w, "%s/outline", where);
	poppler_index_iter_free(it);
	if (!ok)
		return DLP_ERR_NOMEM;
	if (s->budget != NULL && !dlp_budget_take(s->budget, b->len))
		return s->unscanned(
		    s->ctx, (const char *)w->p, "limit", "expanded bytes");
	if (b->len > 0)
		st = s->text(s->ctx, DLP_SCOPE_ATTACHMENT, (const char *)w->p,
		    NULL, (const char *)b->p, b->len);
	if (st == DLP_OK && cut)
		st = s->unscanned(
		    s->ctx, (const char *)w->p, "limit", "outline items");
	return st;
}

/*
 * What the raw object reader (pdfobj.c) adds: XFA form data, document
 * JavaScript, and for a file poppler cannot open the names and data of
 * embedded files, annotation contents and the Info dictionary.
 */
struct raw {
	struct dlp_xctx *x;
	const char *where;
	unsigned depth;
	bool fallback;
	struct dlp_buf js, annots, meta, w, tmp, name;
	struct pdf_val xfa, info;
	size_t xfa_order, info_order;
	uint8_t *seen; /* entries of streams already read, one bit each */
	const struct ptext *pt; /* pages to read in stream order, or NULL */
};

/*
 * Poppler's text of each page, as a hash of its words (white space runs
 * as one space, none at the ends), so that the content-stream text is
 * reported only where it differs.
 */
struct ptext {
	uint64_t *hash;
	size_t n;
};

static uint64_t
words_hash(const uint8_t *p, size_t len)
{
	uint64_t h = 14695981039346656037ull;
	bool gap = false, any = false;
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' ||
		    p[i] == '\r' || p[i] == '\f') {
			gap = any;
			continue;
		}
		if (gap)
			h = (h ^ ' ') * 1099511628211ull;
		h = (h ^ p[i]) * 1099511628211ull;
		gap = false;
		any = true;
	}
	return h;
}

/* Does p[0..end) start with the whole name n (the next byte ends it)? */
static bool
name_at(const uint8_t *p, const uint8_t *end, const char *n)
{
	size_t nl = strlen(n);

	return (size_t)(end - p) > nl && memcmp(p, n, nl) == 0 &&
	       strchr(" \t\r\n/<>[]()", p[nl]) != NULL && p[nl] != '\0';
}

/*
 * Is the raw reader needed? Only a name /XFA or /JS, or an object stream
 * (which can hide them, so objstm asks about "/ObjStm" too), can hold
 * what poppler-glib does not give. One memchr pass.
 */
static bool
raw_wanted(const uint8_t *p, size_t len, bool objstm)
{
	const uint8_t *q, *end;

	if (len == 0) /* an object stream that decoded to nothing: p NULL */
		return false;
	end = p + len;
	while ((q = memchr(p, '/', (size_t)(end - p))) != NULL) {
		p = q + 1;
		if (name_at(p, end, "XFA") || name_at(p, end, "JS") ||
		    (objstm && name_at(p, end, "ObjStm")))
			return true;
	}
	return false;
}

/* Does any object stream of d name /XFA or /JS? */
static bool
objstm_wanted(const struct pdf_doc *d)
{
	size_t k;

	for (k = 0; k < d->nstm; k++)
		if (raw_wanted(d->stm[k].p, d->stm[k].len, false))
			return true;
	return false;
}

/* Has stream entry i been read? If not, mark it. One bit an entry. */
static enum dlp_status
raw_seen(struct raw *r, const struct pdf_doc *d, size_t i, bool *seen)
{
	*seen = true;
	if (i >= d->n)
		return DLP_OK;
	if (r->seen == NULL &&
	    (r->seen = dlp_calloc(r->x->mem, d->n / 8 + 1, 1)) == NULL)
		return DLP_ERR_NOMEM;
	*seen = (r->seen[i / 8] >> (i % 8)) & 1;
	r->seen[i / 8] |= (uint8_t)(1u << (i % 8));
	return DLP_OK;
}

/* Report a stream the reader could not decode, as where + suffix. */
static enum dlp_status
raw_unscanned(
    struct raw *r, const char *suffix, const char *why, const char *detail)
{
	const struct dlp_sink *s = r->x->sink;

	dlp_buf_reset(&r->w);
	if (!dlp_buf_printf(&r->w, "%s%s", r->where, suffix))
		return DLP_ERR_NOMEM;
	return s->unscanned(s->ctx, (const char *)r->w.p, why, detail);
}

/* A /JS entry: a string, or a stream, of script text. */
static enum dlp_status
raw_js(struct raw *r, struct pdf_doc *d, const struct pdf_val *v)
{
	const char *why, *detail;
	enum dlp_status st;
	bool seen;

	if (v->type == PDF_STRING)
		return pdf_string_text(v, &r->js) && dlp_buf_putc(&r->js, '\n')
		           ? DLP_OK
		           : DLP_ERR_NOMEM;
	if (v->type != PDF_DICT)
		return DLP_OK;
	if ((st = raw_seen(r, d, v->entry, &seen)) != DLP_OK || seen)
		return st;
	if ((st = pdf_stream(d, v, &r->tmp, &why, &detail)) != DLP_OK)
		return st;
	if (why != NULL)
		return raw_unscanned(r, "/javascript", why, detail);
	return dlp_buf_append(&r->js, r->tmp.p, r->tmp.len) &&
	               dlp_buf_putc(&r->js, '\n')
	           ? DLP_OK
	           : DLP_ERR_NOMEM;
}

/* A file specification: its name as a file name, its data as an object. */
static enum dlp_status
raw_filespec(struct raw *r, struct pdf_doc *d, const struct pdf_val *fs)
{
	const struct dlp_sink *s = r->x->sink;
	struct pdf_val n, ef, f;
	const char *why, *detail;
	enum dlp_status st;
	bool seen;

	dlp_buf_reset(&r->name);
	if (((pdf_dict_get(d, fs, "UF", &n) && n.type == PDF_STRING) ||
	        (pdf_dict_get(d, fs, "F", &n) && n.type == PDF_STRING)) &&
	    !pdf_string_text(&n, &r->name))
		return DLP_ERR_NOMEM;
	dlp_buf_reset(&r->w);
	if (!dlp_buf_printf(&r->w, "%s/%s", r->where,
	        r->name.len > 0 ? (const char *)r->name.p : "attachment"))
		return DLP_ERR_NOMEM;
	if (r->name.len > 0 &&
	    (st = s->text(s->ctx, DLP_SCOPE_FILENAME, (const char *)r->w.p,
	         NULL, (const char *)r->name.p, r->name.len)) != DLP_OK)
		return st;
	if (!pdf_dict_get(d, fs, "EF", &ef) ||
	    (!pdf_dict_get(d, &ef, "F", &f) &&
	        !pdf_dict_get(d, &ef, "UF", &f)) ||
	    f.type != PDF_DICT)
		return DLP_OK;
	if ((st = raw_seen(r, d, f.entry, &seen)) != DLP_OK || seen)
		return st;
	if ((st = pdf_stream(d, &f, &r->tmp, &why, &detail)) != DLP_OK)
		return st;
	if (why != NULL)
		return s->unscanned(s->ctx, (const char *)r->w.p, why, detail);
	return s->object(s->ctx, (const char *)r->w.p,
	    r->name.len > 0 ? (const char *)r->name.p : NULL, NULL, r->tmp.p,
	    r->tmp.len, r->depth + 1);
}

static enum dlp_status
raw_dict(void *ctx, struct pdf_doc *d, size_t entry, const struct pdf_val *dict)
{
	struct raw *r = ctx;
	struct pdf_val v;
	enum dlp_status st;
	size_t order = d->ent[entry].order;

	if (pdf_dict_get(d, dict, "XFA", &v) &&
	    (r->xfa.type == PDF_NONE || order >= r->xfa_order)) {
		r->xfa = v;
		r->xfa_order = order;
	}
	if (pdf_dict_get(d, dict, "JS", &v) &&
	    (st = raw_js(r, d, &v)) != DLP_OK)
		return st;
	if (!r->fallback)
		return DLP_OK;
	if (pdf_dict_get(d, dict, "Info", &v) && v.type == PDF_DICT &&
	    (r->info.type == PDF_NONE || order >= r->info_order)) {
		r->info = v;
		r->info_order = order;
	}
	if (pdf_dict_get(d, dict, "Contents", &v) && v.type == PDF_STRING &&
	    (!pdf_string_text(&v, &r->annots) ||
	        !dlp_buf_putc(&r->annots, '\n')))
		return DLP_ERR_NOMEM;
	if (pdf_dict_get(d, dict, "EF", &v) ||
	    (pdf_dict_get(d, dict, "Type", &v) && pdf_is_name(&v, "Filespec")))
		return raw_filespec(r, d, dict);
	return DLP_OK;
}

/* The Info dictionary of a classic trailer ("trailer << ... >>"). */
static void
raw_trailer_info(struct raw *r, struct pdf_doc *d)
{
	const uint8_t *p = d->data, *end = d->data + d->len, *q;
	struct pdf_val t, v;

	while ((q = memfind(p, (size_t)(end - p), "trailer")) != NULL) {
		p = q + 7;
		if (pdf_value_at(d, (size_t)(p - d->data), &t) &&
		    pdf_dict_get(d, &t, "Info", &v) && v.type == PDF_DICT &&
		    (r->info.type == PDF_NONE ||
		        (size_t)(q - d->data) >= r->info_order)) {
			r->info = v;
			r->info_order = (size_t)(q - d->data);
		}
	}
}

static enum dlp_status
raw_info(struct raw *r, struct pdf_doc *d)
{
	static const char *const keys[] = {
	    "Title", "Author", "Subject", "Keywords", "Creator", "Producer"};
	struct pdf_val v;
	size_t k;

	raw_trailer_info(r, d);
	for (k = 0; k < DLP_NITEMS(keys) && r->info.type == PDF_DICT; k++) {
		if (!pdf_dict_get(d, &r->info, keys[k], &v) ||
		    v.type != PDF_STRING)
			continue;
		dlp_buf_reset(&r->tmp);
		if (!pdf_string_text(&v, &r->tmp))
			return DLP_ERR_NOMEM;
		if (r->tmp.len > 0 && !dlp_buf_printf(&r->meta, "%s=%s\n",
		                          keys[k], (const char *)r->tmp.p))
			return DLP_ERR_NOMEM;
	}
	return raw_labels(d->data, d->len, &r->meta) ? DLP_OK : DLP_ERR_NOMEM;
}

/*
 * Label keys in the decoded object streams: an Info dictionary that is a
 * compressed object hides them from raw_labels on the file's bytes, and
 * poppler-glib has no call for them.
 */
static enum dlp_status
raw_stm_labels(struct raw *r, const struct pdf_doc *d)
{
	size_t k;

	for (k = 0; k < d->nstm; k++)
		if (!raw_labels(d->stm[k].p, d->stm[k].len, &r->meta))
			return DLP_ERR_NOMEM;
	return DLP_OK;
}

/* Text of where + suffix, charged to the budget. */
static enum dlp_status
raw_emit(
    struct raw *r, unsigned scope, const char *suffix, const struct dlp_buf *b)
{
	const struct dlp_sink *s = r->x->sink;

	if (b->len == 0)
		return DLP_OK;
	dlp_buf_reset(&r->w);
	if (!dlp_buf_printf(&r->w, "%s%s", r->where, suffix))
		return DLP_ERR_NOMEM;
	if (s->budget != NULL && !dlp_budget_take(s->budget, b->len))
		return s->unscanned(
		    s->ctx, (const char *)r->w.p, "limit", "expanded bytes");
	return s->text(s->ctx, scope, (const char *)r->w.p, NULL,
	    (const char *)b->p, b->len);
}

/* Every page poppler read is read again from its content streams. */
static bool
ptext_want(void *ctx, size_t page)
{
	const struct raw *r = ctx;

	return page < r->pt->n;
}

/* A page's text in content-stream order, where it differs from poppler's. */
static enum dlp_status
ptext_page(void *ctx, size_t page, const uint8_t *text, size_t len,
    const char *why, const char *detail)
{
	struct raw *r = ctx;
	const struct dlp_sink *s = r->x->sink;
	enum dlp_status st = DLP_OK;

	dlp_buf_reset(&r->w);
	if (!dlp_buf_printf(
	        &r->w, "%s/page %zu" DLP_WHERE_REREAD, r->where, page + 1))
		return DLP_ERR_NOMEM;
	/*
	 * A second reading of a page poppler read: what it cannot do (a
	 * limit met, a budget too small for it) is not "unscanned", or
	 * every large vector drawing would be held. It only adds text.
	 */
	(void)why;
	(void)detail;
	if (len > 0 && words_hash(text, len) != r->pt->hash[page] &&
	    (s->budget == NULL || dlp_budget_take(s->budget, len)))
		st = s->text(s->ctx, DLP_SCOPE_ATTACHMENT, (const char *)r->w.p,
		    NULL, (const char *)text, len);
	return st;
}

static enum dlp_status
raw_read(struct dlp_xctx *x, const char *where, const uint8_t *data, size_t len,
    unsigned depth, bool fallback, const struct ptext *pt)
{
	struct pdf_doc d;
	struct raw r;
	struct dlp_buf xt;
	const char *why, *detail;
	enum dlp_status st;

	memset(&r, 0, sizeof(r));
	r.x = x;
	r.where = where;
	r.depth = depth;
	r.fallback = fallback;
	r.pt = pt;
	dlp_buf_init(&r.js, x->mem);
	dlp_buf_init(&r.annots, x->mem);
	dlp_buf_init(&r.meta, x->mem);
	dlp_buf_init(&r.w, x->mem);
	dlp_buf_init(&r.tmp, x->mem);
	dlp_buf_init(&r.name, x->mem);
	dlp_buf_init(&xt, x->mem);
	if ((st = pdf_doc_open(&d, x, data, len)) != DLP_OK)
		goto out;
	/* opened for its object streams only, and they name neither */
	if (fallback || raw_wanted(data, len, false) || objstm_wanted(&d))
		st = pdf_each_dict(&d, raw_dict, &r);
	if (st == DLP_OK && d.why != NULL)
		st = x->sink->unscanned(x->sink->ctx, where, d.why, d.detail);
	if (st == DLP_OK && d.stm_why != NULL)
		st = x->sink->unscanned(
		    x->sink->ctx, where, d.stm_why, d.stm_detail);
	if (st != DLP_OK)
		goto out;
	if (r.xfa.type != PDF_NONE) {
		if ((st = pdf_xfa_text(&d, &r.xfa, &xt, &why, &detail)) !=
		        DLP_OK ||
		    (st = raw_emit(&r, DLP_SCOPE_ATTACHMENT, "/xfa", &xt)) !=
		        DLP_OK ||
		    (why != NULL && (st = raw_unscanned(
		                         &r, "/xfa", why, detail)) != DLP_OK))
			goto out;
	}
	if ((st = raw_emit(&r, DLP_SCOPE_ATTACHMENT, "/javascript", &r.js)) !=
	        DLP_OK ||
	    (st = raw_emit(&r, DLP_SCOPE_ATTACHMENT, "/annotations",
	         &r.annots)) != DLP_OK)
		goto out;
	if ((fallback && (st = raw_info(&r, &d)) != DLP_OK) ||
	    (st = raw_stm_labels(&r, &d)) != DLP_OK ||
	    (st = raw_emit(&r, DLP_SCOPE_METADATA, "", &r.meta)) != DLP_OK)
		goto out;
	/* (a limit of the second reading is not reported: see ptext_page) */
	if (pt != NULL && pt->n > 0)
		st = pdf_page_text(
		    &d, ptext_want, ptext_page, &r, &why, &detail);
out:
	pdf_doc_close(&d);
	dlp_free(x->mem, r.seen);
	dlp_buf_fini(&r.js);
	dlp_buf_fini(&r.annots);
	dlp_buf_fini(&r.meta);
	dlp_buf_fini(&r.w);
	dlp_buf_fini(&r.tmp);
	dlp_buf_fini(&r.name);
	dlp_buf_fini(&xt);
	return st;
}

/* One empty page; objects at the offsets the xref gives. */
static const char keep_pdf[] =
    "%PDF-1.4\n"
    "1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 1 1]>>endobj\n"
    "xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n"
    "0000000052 00000 n \n0000000101 00000 n \n"
    "trailer<</Size 4/Root 1 0 R>>\nstartxref\n160\n%%EOF\n";

struct dlp_pdf_keep *
dlp_pdf_keep_new(void)
{
	GBytes *bytes = g_bytes_new_static(keep_pdf, sizeof(keep_pdf) - 1);
	PopplerDocument *doc =
	    poppler_document_new_from_bytes(bytes, NULL, NULL);

	g_bytes_unref(bytes); /* the document keeps its own reference */
	return (struct dlp_pdf_keep *)doc;
}

void
dlp_pdf_keep_free(struct dlp_pdf_keep *k)
{
	if (k != NULL)
		g_object_unref((PopplerDocument *)k);
}

enum dlp_status
dlp_extract_pdf(struct dlp_xctx *x, const char *where, const uint8_t *data,
    size_t len, unsigned depth)
{
	const struct dlp_sink *s = x->sink;
	struct dlp_budget *bud = s->budget;
	PopplerDocument *doc = NULL;
	PopplerPage *page = NULL;
	GBytes *bytes = NULL;
	GError *err = NULL;
	struct dlp_buf meta, pw, pt;
	struct ptext pt_hash = {NULL, 0};
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
		else if ((st = s->unscanned(s->ctx, where, "malformed",
		              err != NULL ? err->message : "PDF")) == DLP_OK &&
		         memfind(data, len, "/Encrypt") == NULL)
			st = raw_read(x, where, data, len, depth, true, NULL);
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
		dlp_buf_reset(&pw);
		if (!dlp_buf_printf(&pw, "%s/page %d", where, i + 1)) {
			st = DLP_ERR_NOMEM;
			goto out;
		}
		if ((page = poppler_document_get_page(doc, i)) == NULL) {
			if ((st = s->unscanned(s->ctx, (const char *)pw.p,
			         "malformed", "page")) != DLP_OK)
				goto out;
			continue;
		}
		text = poppler_page_get_text(page);
		if (pt_hash.hash == NULL &&
		    (pt_hash.hash = dlp_calloc(x->mem,
		         (size_t)(n < PDF_MAX_PAGES ? n : PDF_MAX_PAGES),
		         sizeof(*pt_hash.hash))) == NULL) {
			g_free(text);
			st = DLP_ERR_NOMEM;
			goto out;
		}
		pt_hash.hash[i] =
		    text != NULL
		        ? words_hash((const uint8_t *)text, strlen(text))
		        : words_hash(NULL, 0);
		pt_hash.n = (size_t)i + 1;
		dlp_buf_reset(&pt);
		ok = (text == NULL || page_text(page, text, &pt)) &&
		     dlp_buf_putc(&pt, '\n');
		g_free(text);
		if (!ok) {
			st = DLP_ERR_NOMEM;
			goto out;
		}
		st = page_extras(x, page, (const char *)pw.p, depth, &pt);
		g_object_unref(page);
		page = NULL;
		if (st != DLP_OK)
			goto out;
		tl = pt.len;
		if (bud != NULL && !dlp_budget_take(bud, tl)) {
			st = s->unscanned(
			    s->ctx, where, "limit", "expanded bytes");
			goto out;
		}
		if (tl > 1 && (st = s->text(s->ctx, DLP_SCOPE_ATTACHMENT,
		                   (const char *)pw.p, NULL, (const char *)pt.p,
		                   tl)) != DLP_OK)
			goto out;
	}
	if ((st = outline_text(x, doc, where, &pt, &pw)) != DLP_OK)
		goto out;
	if ((st = attachments(x, doc, where, depth)) != DLP_OK)
		goto out;
	if (memfind(data, len, "/Encrypt") == NULL)
		st = raw_read(x, where, data, len, depth, false, &pt_hash);
out:
	if (page != NULL)
		g_object_unref(page);
	if (doc != NULL)
		g_object_unref(doc);
	if (bytes != NULL)
		g_bytes_unref(bytes);
	if (err != NULL)
		g_error_free(err);
	dlp_buf_fini(&meta);
	dlp_buf_fini(&pw);
	dlp_buf_fini(&pt);
	dlp_free(x->mem, pt_hash.hash);
	return st;
}
