/*
 * fuzz_pdfobj.c - the raw PDF object reader (pdfobj.c, pdf_xfa.c) on its
 * own, without poppler: every object indexed, every dictionary walked,
 * each value resolved, strings decoded, streams inflated (small limits,
 * so that the limit paths are reached), /XFA values rendered and the
 * pages' text read in content-stream order (pdf_text.c): fonts, CMaps,
 * forms and the operator interpreter.
 */
#include "fuzz.h"
#include "charset.h"
#include "pdfobj.h"

struct fz_obj {
	struct fz_sink *f;
	struct dlp_buf out;
	unsigned long dicts;
};

static void
check_why(const char *why)
{
	FZ_ASSERT(why == NULL || strcmp(why, "limit") == 0 ||
	          strcmp(why, "malformed") == 0 ||
	          strcmp(why, "unsupported") == 0);
}

static enum dlp_status
each(void *ctx, struct pdf_doc *d, size_t entry, const struct pdf_val *dict)
{
	struct fz_obj *o = ctx;
	struct pdf_iter it;
	struct pdf_val k, v, r;
	const char *why, *detail;
	enum dlp_status st;

	FZ_ASSERT(entry < d->n && dict->type == PDF_DICT);
	if (++o->dicts > 4096) /* enough: the walk itself is linear */
		return DLP_OK;
	pdf_iter_init(&it, dict);
	while (pdf_iter_next(&it, &k) && pdf_iter_next(&it, &v)) {
		if (!pdf_resolve(d, &v, &r))
			continue;
		dlp_buf_reset(&o->out);
		if (r.type == PDF_STRING && !pdf_string_text(&r, &o->out))
			return DLP_ERR_NOMEM;
		if (r.type == PDF_DICT) {
			if ((st = pdf_stream(d, &r, &o->out, &why, &detail)) !=
			    DLP_OK)
				return st;
			check_why(why);
			FZ_ASSERT(why == NULL || o->out.len == 0);
		}
		if (pdf_is_name(&k, "XFA")) {
			if ((st = pdf_xfa_text(
			         d, &r, &o->out, &why, &detail)) != DLP_OK)
				return st;
			FZ_ASSERT(why == NULL || strcmp(why, "limit") == 0 ||
			          strcmp(why, "malformed") == 0 ||
			          strcmp(why, "unsupported") == 0);
		}
		fz_touch(o->f, o->out.p, o->out.len);
	}
	return DLP_OK;
}

/* A page's text: valid UTF-8, within the page limit, a known why. */
static enum dlp_status
page(void *ctx, size_t n, const uint8_t *text, size_t len, const char *why,
    const char *detail)
{
	struct fz_obj *o = ctx;

	(void)n;
	(void)detail;
	check_why(why);
	FZ_ASSERT(len <= PDF_TEXT_MAX_BYTES);
	FZ_ASSERT(dlp_utf8_valid(text, len));
	fz_touch(o->f, text, len);
	return DLP_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dlp_mem mem;
	struct dlp_xctx x;
	struct fz_sink f;
	struct fz_obj o;
	struct pdf_doc d;
	enum dlp_status st;

	dlp_mem_init_default(&mem);
	fz_sink_init(&f);
	f.limits.max_entry_bytes = 1 << 20;
	f.limits.max_expanded_bytes = 4 << 20;
	f.budget.expanded_left = f.limits.max_expanded_bytes;
	memset(&x, 0, sizeof(x));
	x.mem = &mem;
	x.lim = &f.limits;
	x.sink = &f.sink;
	memset(&o, 0, sizeof(o));
	o.f = &f;
	dlp_buf_init(&o.out, &mem);
	st = pdf_doc_open(&d, &x, data, size);
	FZ_ASSERT(st == DLP_OK || st == DLP_ERR_NOMEM);
	FZ_ASSERT(d.n <= PDF_MAX_OBJECTS && d.nsorted == d.n);
	check_why(d.why);
	if (st == DLP_OK) {
		st = pdf_each_dict(&d, each, &o);
		FZ_ASSERT(st == DLP_OK || st == DLP_ERR_NOMEM);
	}
	if (st == DLP_OK) {
		const char *why, *detail;

		st = pdf_page_text(&d, NULL, page, &o, &why, &detail);
		FZ_ASSERT(st == DLP_OK || st == DLP_ERR_NOMEM);
		check_why(why);
	}
	pdf_doc_close(&d);
	dlp_buf_fini(&o.out);
	return 0;
}
