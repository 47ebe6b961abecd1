/*
 * extract_odf.c - text and metadata of OpenDocument packages (odt, ods,
 * odp, their templates and embedded sub-documents).
 *
 * content.xml: all character data inside office:body, with ODF white
 * space rules applied loosely (text:s c="N" is N spaces, at most 64, so
 * the output stays within a small multiple of the input; text:tab a tab,
 * text:line-break and the end of text:p/text:h a newline). styles.xml:
 * only the master pages (page headers and footers, presentation masters:
 * where banners live). Basic/ macro modules: their source text. meta.xml as
 * DLP_SCOPE_METADATA "name=value" lines, user-defined properties under
 * their meta:name. "Object N/content.xml" sub-documents are read the same
 * way; Pictures/ and other embedded files are passed on as objects.
 * An encrypted package (manifest encryption-data) is reported
 * "encrypted". Trusts nothing: the tokenizer is bounded and linear.
 */
#include <string.h>

#include "xmltext.h"

enum okind {
	O_NONE,
	O_CONTENT,
	O_STYLES,
	O_META,
	O_MANIFEST,
	O_OBJECT,
	O_SCRIPT /* Basic/ macro modules: all character data */
};

struct od {
	struct dlp_xctx *x;
	const char *where;
	unsigned depth;
	enum okind kind;
	struct dlp_buf out, name;
	unsigned in;   /* > 0 inside office:body or a header/footer */
	unsigned skip; /* inside dc:creator/dc:date of comments, changes */
	bool have_value;
	bool encrypted;
};

static enum okind
classify(const char *n)
{
	const char *base = strrchr(n, '/');

	base = base != NULL ? base + 1 : n;
	if (strcmp(n, "META-INF/manifest.xml") == 0)
		return O_MANIFEST;
	if (strcmp(base, "content.xml") == 0)
		return O_CONTENT;
	if (strcmp(base, "styles.xml") == 0)
		return O_STYLES;
	if (strcmp(n, "meta.xml") == 0)
		return O_META;
	if (strncmp(n, "Basic/", 6) == 0 &&
	    strcmp(base, "script-lb.xml") != 0 &&
	    strcmp(base, "script-lc.xml") != 0)
		return O_SCRIPT;
	if (strncmp(n, "Pictures/", 9) == 0 ||
	    (strncmp(n, "Object", 6) == 0 && strchr(n, '/') == NULL))
		return O_OBJECT;
	return O_NONE;
}

/* style:master-page holds page headers/footers and presentation masters */
static bool
is_hf(const char *n, size_t l)
{
	return l == 17 && memcmp(n, "style:master-page", 17) == 0;
}

static enum dlp_status
o_start(
    void *ctx, const char *n, size_t l, const char *a, size_t al, bool empty)
{
	struct od *o = ctx;
	const char *v, *loc;
	size_t vl, ll, i, count;
	bool ok = true;

	(void)empty;
	switch (o->kind) {
	case O_CONTENT:
	case O_STYLES:
		if ((o->kind == O_CONTENT && l == 11 &&
		        memcmp(n, "office:body", 11) == 0) ||
		    (o->kind == O_STYLES && is_hf(n, l)) || o->in > 0)
			o->in++;
		if (o->in == 0)
			break;
		if (o->skip > 0 ||
		    (l == 10 && memcmp(n, "dc:creator", 10) == 0) ||
		    (l == 7 && memcmp(n, "dc:date", 7) == 0)) {
			o->skip++;
			break;
		}
		if (l == 6 && memcmp(n, "text:s", 6) == 0) {
			count = 1;
			if (dlp_xml_attr_get(a, al, "text:c", &v, &vl) &&
			    vl > 0 && vl < 6) {
				count = 0;
				for (i = 0;
				     i < vl && v[i] >= '0' && v[i] <= '9'; i++)
					count =
					    count * 10 + (size_t)(v[i] - '0');
			}
			if (count >
			    64) /* bounded expansion; runs collapse anyway */
				count = 64;
			for (i = 0; i < count && ok; i++)
				ok = dlp_buf_putc(&o->out, ' ');
		} else if (l == 8 && memcmp(n, "text:tab", 8) == 0) {
			ok = dlp_buf_putc(&o->out, '\t');
		} else if (l == 15 && memcmp(n, "text:line-break", 15) == 0) {
			ok = dlp_buf_putc(&o->out, '\n');
		}
		break;
	case O_META:
		o->have_value = false;
		dlp_buf_reset(&o->name);
		if (l == 17 && memcmp(n, "meta:user-defined", 17) == 0 &&
		    dlp_xml_attr_get(a, al, "meta:name", &v, &vl)) {
			ok = dlp_xml_put_text(&o->name, v, vl, false);
		} else {
			loc = dlp_xml_local(n, l, &ll);
			ok = dlp_buf_append(&o->name, loc, ll);
		}
		break;
	case O_MANIFEST:
		if (dlp_xml_is(n, l, "encryption-data"))
			o->encrypted = true;
		break;
	default:
		break;
	}
	return ok ? DLP_OK : DLP_ERR_NOMEM;
}

static enum dlp_status
o_end(void *ctx, const char *n, size_t l)
{
	struct od *o = ctx;
	bool ok = true;

	if (o->kind == O_META) {
		if (o->have_value)
			ok = dlp_buf_putc(&o->out, '\n');
		o->have_value = false;
	} else if (o->in > 0) {
		o->in--;
		if (o->skip > 0) {
			o->skip--;
			return DLP_OK;
		}
		if ((l == 6 && memcmp(n, "text:p", 6) == 0) ||
		    (l == 6 && memcmp(n, "text:h", 6) == 0))
			ok = dlp_buf_putc(&o->out, '\n');
		else if (l == 16 && memcmp(n, "table:table-cell", 16) == 0)
			ok = dlp_buf_putc(&o->out, '\t');
	}
	return ok ? DLP_OK : DLP_ERR_NOMEM;
}

static enum dlp_status
o_text(void *ctx, const char *p, size_t len, bool cdata)
{
	struct od *o = ctx;
	bool ok = true;
	size_t i;

	if (o->kind == O_META) {
		for (i = 0; i < len && (p[i] == ' ' || p[i] == '\t' ||
		                           p[i] == '\r' || p[i] == '\n');
		     i++)
			;
		if (i == len)
			return DLP_OK;
		if (!o->have_value)
			ok = dlp_buf_append(&o->out, o->name.p, o->name.len) &&
			     dlp_buf_putc(&o->out, '=');
		o->have_value = true;
		ok = ok && dlp_xml_put_text(&o->out, p, len, cdata);
	} else if ((o->in > 0 && o->skip == 0) || o->kind == O_SCRIPT) {
		ok = dlp_xml_put_text(&o->out, p, len, cdata);
	}
	return ok ? DLP_OK : DLP_ERR_NOMEM;
}

static int
od_want(void *ctx, const char *name)
{
	(void)ctx;
	return classify(name) == O_NONE ? DLP_PKG_SKIP : DLP_PKG_READ;
}

static enum dlp_status
od_part(void *ctx, const char *name, const uint8_t *data, size_t len)
{
	static const struct dlp_xml_handler xh = {NULL, o_start, o_end, o_text};
	struct dlp_xml_handler h = xh;
	struct od *o = ctx;
	const struct dlp_sink *s = o->x->sink;
	struct dlp_buf where;
	const char *bad = NULL, *base;
	enum dlp_status st;

	dlp_buf_init(&where, o->x->mem);
	if (!dlp_pkg_where(&where, o->where, name)) {
		st = DLP_ERR_NOMEM;
		goto out;
	}
	o->kind = classify(name);
	if (o->kind == O_OBJECT) {
		base = strrchr(name, '/');
		st = s->object(s->ctx, (const char *)where.p,
		    base != NULL ? base + 1 : name, NULL, data, len,
		    o->depth + 1);
		goto out;
	}
	if (o->encrypted && o->kind != O_MANIFEST) {
		st = DLP_OK; /* reported once for the package */
		goto out;
	}
	dlp_buf_reset(&o->out);
	o->in = o->skip = 0;
	o->have_value = false;
	h.ctx = o;
	if ((st = dlp_xml_parse(data, len, &h, &bad)) != DLP_OK)
		goto out;
	if (o->out.len > 0 &&
	    (st = s->text(s->ctx,
	         o->kind == O_META ? DLP_SCOPE_METADATA : DLP_SCOPE_ATTACHMENT,
	         (const char *)where.p, NULL, (const char *)o->out.p,
	         o->out.len)) != DLP_OK)
		goto out;
	if (bad != NULL)
		st = s->unscanned(
		    s->ctx, (const char *)where.p, bad, "XML part");
out:
	dlp_buf_fini(&where);
	return st;
}

enum dlp_status
dlp_extract_odf(struct dlp_xctx *x, const char *where, const uint8_t *data,
    size_t len, unsigned depth)
{
	struct od o;
	struct dlp_pkg_handler h = {&o, od_want, od_part};
	enum dlp_status st;

	memset(&o, 0, sizeof(o));
	o.x = x;
	o.where = where;
	o.depth = depth;
	dlp_buf_init(&o.out, x->mem);
	dlp_buf_init(&o.name, x->mem);
	st = dlp_pkg_walk(x, where, data, len, &h);
	if (st == DLP_OK && o.encrypted)
		st = x->sink->unscanned(
		    x->sink->ctx, where, "encrypted", "ODF package encryption");
	dlp_buf_fini(&o.out);
	dlp_buf_fini(&o.name);
	return st;
}
