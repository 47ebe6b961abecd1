/*
 * pdf_xfa.c - XFA form data of a PDF (the AcroForm /XFA entry: one XDP
 * stream, or an array of packet names and streams), read with the raw
 * object reader (pdfobj.c) and rendered as a reader of the form sees it:
 * one "caption: value" line per template field that has a value in the
 * datasets, then "name: value" for data values no field claimed.
 *
 * A field's caption is its <caption> text, else its tool tip, else its
 * speak text, else its name. Values are paired with fields by name, in
 * document order (the first unclaimed data value of that name), which is
 * what XFA's normal binding gives for the flat forms that carry data; an
 * explicit data binding (bind ref) is not followed.
 *
 * Trust: the XML goes through the project's tokenizer (xmltext.c: no DTD,
 * no entity expansion, bounded nesting). Limits: the packets are decoded
 * within the stream limits of pdfobj.c; at most XFA_MAX_ITEMS fields and
 * data values are kept, the rest is "limit".
 */
#include <string.h>

#include "pdfobj.h"
#include "xmltext.h"

#define XFA_MAX_ITEMS 20000

struct xitem {
	size_t name, nlen; /* spans of x->strs */
	size_t val, vlen;  /* label for a field, value for a datum */
	bool used;
};

struct xlist {
	struct xitem *v;
	size_t n, cap;
};

struct xfa {
	const struct dlp_mem *mem;
	struct dlp_buf strs;
	struct xlist fields, data;
	struct dlp_buf cap[3], name, text;
	unsigned depth, tmpl, sets, dat, field, capd;
	int capk; /* collecting caption[capk - 1]; 0: none */
	bool leaf, over;
};

static bool
xl_add(struct xfa *x, struct xlist *l, const struct dlp_buf *name,
    const uint8_t *val, size_t vlen)
{
	struct xitem *nv;
	size_t cap, sz;

	if (x->fields.n + x->data.n >= XFA_MAX_ITEMS) {
		x->over = true;
		return true;
	}
	if (l->n == l->cap) {
		cap = l->cap == 0 ? 32 : l->cap * 2;
		if (!dlp_mul_ok(cap, sizeof(*nv), &sz) ||
		    (nv = dlp_realloc(x->mem, l->v, sz)) == NULL)
			return false;
		l->v = nv;
		l->cap = cap;
	}
	nv = &l->v[l->n];
	nv->name = x->strs.len;
	nv->nlen = name->len;
	nv->val = x->strs.len + name->len;
	nv->vlen = vlen;
	nv->used = false;
	if (!dlp_buf_append(&x->strs, name->p, name->len) ||
	    !dlp_buf_append(&x->strs, val, vlen))
		return false;
	l->n++;
	return true;
}

/* p[0..*n) without leading and trailing white space. */
static const uint8_t *
trim(const uint8_t *p, size_t *n)
{
	while (*n > 0 && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++, (*n)--;
	while (*n > 0 && (p[*n - 1] == ' ' || p[*n - 1] == '\t' ||
	                     p[*n - 1] == '\r' || p[*n - 1] == '\n'))
		(*n)--;
	return p;
}

static enum dlp_status
x_start(void *ctx, const char *name, size_t nlen, const char *attrs,
    size_t alen, bool empty)
{
	struct xfa *x = ctx;
	const char *v;
	size_t vl, ll;
	const char *l = dlp_xml_local(name, nlen, &ll);

	(void)empty;
	x->depth++;
	if (x->tmpl == 0 && x->sets == 0 && ll == 8 &&
	    memcmp(l, "template", 8) == 0) {
		x->tmpl = x->depth;
	} else if (x->sets == 0 && x->tmpl == 0 && ll == 8 &&
	           memcmp(l, "datasets", 8) == 0) {
		x->sets = x->depth;
	} else if (x->sets != 0 && x->dat == 0 && ll == 4 &&
	           memcmp(l, "data", 4) == 0) {
		x->dat = x->depth;
	} else if (x->dat != 0) { /* a data element: a leaf until a child */
		x->leaf = true;
		dlp_buf_reset(&x->name);
		dlp_buf_reset(&x->text);
		if (!dlp_buf_append(&x->name, l, ll))
			return DLP_ERR_NOMEM;
	} else if (x->tmpl != 0 && x->field == 0 && ll == 5 &&
	           memcmp(l, "field", 5) == 0) {
		x->field = x->depth;
		dlp_buf_reset(&x->name);
		for (int k = 0; k < 3; k++)
			dlp_buf_reset(&x->cap[k]);
		if (dlp_xml_attr_get(attrs, alen, "name", &v, &vl) &&
		    !dlp_xml_put_text(&x->name, v, vl, false))
			return DLP_ERR_NOMEM;
	} else if (x->field != 0 && x->capk == 0) {
		x->capk = ll == 7 && memcmp(l, "caption", 7) == 0   ? 1
		          : ll == 7 && memcmp(l, "toolTip", 7) == 0 ? 2
		          : ll == 5 && memcmp(l, "speak", 5) == 0   ? 3
		                                                    : 0;
		x->capd = x->depth;
	}
	return DLP_OK;
}

static enum dlp_status
x_text(void *ctx, const char *p, size_t len, bool cdata)
{
	struct xfa *x = ctx;
	struct dlp_buf *b = NULL;

	if (x->dat != 0 && x->leaf && x->depth > x->dat)
		b = &x->text;
	else if (x->field != 0 && x->capk != 0)
		b = &x->cap[x->capk - 1];
	if (b != NULL && b->len < 65536 && !dlp_xml_put_text(b, p, len, cdata))
		return DLP_ERR_NOMEM;
	return DLP_OK;
}

static enum dlp_status
x_end(void *ctx, const char *name, size_t nlen)
{
	struct xfa *x = ctx;
	const uint8_t *v;
	size_t vl;
	int k;

	(void)name;
	(void)nlen;
	if (x->dat != 0 && x->depth > x->dat && x->leaf) {
		vl = x->text.len;
		v = trim(x->text.p, &vl);
		if (vl > 0 && !xl_add(x, &x->data, &x->name, v, vl))
			return DLP_ERR_NOMEM;
	}
	x->leaf = false;
	if (x->capk != 0 && x->depth == x->capd)
		x->capk = 0;
	if (x->field != 0 && x->depth == x->field) {
		for (k = 0, vl = 0; k < 3 && vl == 0; k++) {
			vl = x->cap[k].len;
			v = trim(x->cap[k].p, &vl);
		}
		if (vl == 0) {
			vl = x->name.len;
			v = x->name.p;
		}
		if (vl > 0 && !xl_add(x, &x->fields, &x->name, v, vl))
			return DLP_ERR_NOMEM;
		x->field = 0;
	}
	if (x->depth == x->dat)
		x->dat = 0;
	if (x->depth == x->sets)
		x->sets = 0;
	if (x->depth == x->tmpl)
		x->tmpl = 0;
	x->depth--;
	return DLP_OK;
}

static bool
put_item(struct dlp_buf *out, const struct dlp_buf *s, size_t a, size_t al,
    size_t b, size_t bl)
{
	return dlp_buf_append(out, s->p + a, al) && dlp_buf_puts(out, ": ") &&
	       dlp_buf_append(out, s->p + b, bl) && dlp_buf_putc(out, '\n');
}

/* Fields with their values, then the values no field claimed. */
static bool
render(struct xfa *x, struct dlp_buf *out)
{
	const uint8_t *s = x->strs.p;
	struct xitem *f, *d;
	size_t i, k;

	for (i = 0; i < x->fields.n; i++) {
		f = &x->fields.v[i];
		for (k = 0; k < x->data.n; k++) {
			d = &x->data.v[k];
			if (!d->used && d->nlen == f->nlen &&
			    memcmp(s + d->name, s + f->name, f->nlen) == 0)
				break;
		}
		if (k == x->data.n)
			continue;
		d->used = true;
		if (!put_item(out, &x->strs, f->val, f->vlen, d->val, d->vlen))
			return false;
	}
	for (k = 0; k < x->data.n; k++) {
		d = &x->data.v[k];
		if (!d->used &&
		    !put_item(out, &x->strs, d->name, d->nlen, d->val, d->vlen))
			return false;
	}
	return true;
}

/* Append the decoded stream v to xdp. */
static enum dlp_status
packet(struct pdf_doc *d, const struct pdf_val *v, struct dlp_buf *xdp,
    struct dlp_buf *tmp, const char **why, const char **detail)
{
	enum dlp_status st;

	*why = NULL;
	if (v->type != PDF_DICT)
		return DLP_OK;
	if ((st = pdf_stream(d, v, tmp, why, detail)) != DLP_OK)
		return st;
	if (*why == NULL && !dlp_buf_append(xdp, tmp->p, tmp->len))
		return DLP_ERR_NOMEM;
	return DLP_OK;
}

enum dlp_status
pdf_xfa_text(struct pdf_doc *d, const struct pdf_val *xfa, struct dlp_buf *out,
    const char **why, const char **detail)
{
	struct dlp_xml_handler h = {NULL, x_start, x_end, x_text};
	const struct dlp_mem *mem = d->x->mem;
	struct dlp_buf xdp, tmp;
	struct pdf_iter it;
	struct pdf_val e, v;
	struct xfa x;
	enum dlp_status st = DLP_OK;
	const char *bad = NULL;
	int k;

	*why = NULL;
	*detail = NULL;
	memset(&x, 0, sizeof(x));
	x.mem = mem;
	dlp_buf_init(&x.strs, mem);
	dlp_buf_init(&x.name, mem);
	dlp_buf_init(&x.text, mem);
	for (k = 0; k < 3; k++)
		dlp_buf_init(&x.cap[k], mem);
	dlp_buf_init(&xdp, mem);
	dlp_buf_init(&tmp, mem);
	if (xfa->type == PDF_ARRAY) { /* (name) stream, (name) stream ... */
		pdf_iter_init(&it, xfa);
		while (st == DLP_OK && *why == NULL && pdf_iter_next(&it, &e))
			if (e.type == PDF_REF && pdf_resolve(d, &e, &v))
				st = packet(d, &v, &xdp, &tmp, why, detail);
	} else {
		st = packet(d, xfa, &xdp, &tmp, why, detail);
	}
	if (st == DLP_OK && xdp.len > 0) {
		h.ctx = &x;
		st = dlp_xml_parse(xdp.p, xdp.len, &h, &bad);
		if (st == DLP_OK && !render(&x, out))
			st = DLP_ERR_NOMEM;
		if (st == DLP_OK && *why == NULL && bad != NULL) {
			*why = bad;
			*detail = "XFA form data (XML)";
		}
		if (st == DLP_OK && *why == NULL && x.over) {
			*why = "limit";
			*detail = "XFA fields (XFA_MAX_ITEMS)";
		}
	}
	dlp_free(mem, x.fields.v);
	dlp_free(mem, x.data.v);
	dlp_buf_fini(&x.strs);
	dlp_buf_fini(&x.name);
	dlp_buf_fini(&x.text);
	for (k = 0; k < 3; k++)
		dlp_buf_fini(&x.cap[k]);
	dlp_buf_fini(&xdp);
	dlp_buf_fini(&tmp);
	return st;
}
