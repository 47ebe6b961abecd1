/*
 * tnef.c - Microsoft TNEF (winmail.dat, application/ms-tnef) through
 * libytnef: the subject and body text, the compressed-RTF body (handed
 * back to the dispatcher as an "application/rtf" object), and every
 * attached file (its name as DLP_SCOPE_FILENAME, its bytes as an object
 * "<where>/<name>").
 *
 * Trusts nothing in data, and only partly trusts libytnef, which has a
 * history of memory-safety bugs on hostile input: before handing the
 * stream over we walk its attribute records ourselves (signature, level,
 * lengths inside the buffer, checksums) and refuse anything that does
 * not add up, reporting it unscanned ("malformed"). libytnef parses a
 * private copy (its API takes a non-const buffer), allocates with libc
 * (outside our allocator hook) and may print diagnostics to stdout on
 * corrupt MAPI blocks. Only DLP_ERR_NOMEM or a sink error is returned.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ytnef.h>

#include "extract.h"

#define TNEF_SIGNATURE 0x223e9f78u

/* Walk the attribute records: true when the stream is well formed. */
static bool
tnef_well_formed(const uint8_t *p, size_t n, const char **why)
{
	size_t pos = 6, alen, end;

	*why = "not a TNEF stream";
	if (n < 6 || dlp_le32(p) != TNEF_SIGNATURE)
		return false;
	while (pos < n) {
		uint32_t sum = 0;
		size_t k;

		*why = "TNEF attribute truncated";
		if (n - pos < 9)
			return false;
		if (p[pos] != LVL_MESSAGE && p[pos] != LVL_ATTACHMENT) {
			/* Trailing garbage after a complete record. */
			*why = "TNEF stream has an invalid attribute level";
			return pos > 6;
		}
		alen = dlp_le32(p + pos + 5);
		if (!dlp_add_ok(pos + 9, alen, &end) ||
		    !dlp_add_ok(end, 2, &end) || end > n)
			return false;
		for (k = 0; k < alen; k++)
			sum += p[pos + 9 + k];
		if ((sum & 0xffff) !=
		    (uint32_t)(p[end - 2] | p[end - 1] << 8)) {
			*why = "TNEF attribute checksum mismatch";
			return false;
		}
		pos = end;
	}
	return true;
}

struct tctx {
	struct dlp_xctx *x;
	const char *where;
	unsigned depth;
	char codepage[24];
	struct dlp_buf w, t;
};

static bool
set_w(struct tctx *c, const char *suffix, const char *name)
{
	dlp_buf_reset(&c->w);
	return dlp_buf_puts(&c->w, c->where) && dlp_buf_puts(&c->w, suffix) &&
	       (name == NULL || dlp_buf_puts(&c->w, name));
}

static const variableLength *
prop(MAPIProps *p, unsigned type, unsigned id)
{
	variableLength *v = MAPIFindProperty(p, PROP_TAG(type, id));

	return (v == MAPI_UNDEFINED || v == NULL || v->data == NULL ||
	           v->size <= 0)
	           ? NULL
	           : v;
}

/* A string property (8-bit in the TNEF code page, or Unicode) into t. */
static bool
prop_string(struct tctx *c, MAPIProps *p, unsigned id, bool *have)
{
	const variableLength *v;
	size_t n;

	*have = false;
	dlp_buf_reset(&c->t);
	if ((v = prop(p, PT_UNICODE, id)) != NULL) {
		/* libytnef has already converted PT_UNICODE to UTF-8. */
		n = strnlen((const char *)v->data, (size_t)v->size);
		if (!dlp_charset_to_utf8(
		        c->x->cs, "UTF-8", v->data, n, &c->t, NULL))
			return false;
	} else if ((v = prop(p, PT_STRING8, id)) != NULL) {
		n = strnlen((const char *)v->data, (size_t)v->size);
		if (!dlp_charset_to_utf8(c->x->cs,
		        c->codepage[0] ? c->codepage : NULL, v->data, n, &c->t,
		        NULL))
			return false;
	} else {
		return true;
	}
	*have = c->t.len > 0;
	return true;
}

static bool
plain_string(struct tctx *c, const variableLength *v)
{
	size_t n;

	dlp_buf_reset(&c->t);
	if (v == NULL || v->data == NULL || v->size <= 0)
		return true;
	n = strnlen((const char *)v->data, (size_t)v->size);
	return dlp_charset_to_utf8(c->x->cs,
	    c->codepage[0] ? c->codepage : NULL, v->data, n, &c->t, NULL);
}

static enum dlp_status
text(struct tctx *c, unsigned scope)
{
	const struct dlp_sink *s = c->x->sink;

	if (c->t.len == 0)
		return DLP_OK;
	return s->text(s->ctx, scope, (const char *)c->w.p, NULL,
	    (const char *)c->t.p, c->t.len);
}

static enum dlp_status
emit_message(struct tctx *c, TNEFStruct *t)
{
	const struct dlp_sink *s = c->x->sink;
	const variableLength *v;
	variableLength *rtf;
	enum dlp_status st;
	bool have;

	if (!plain_string(c, &t->subject) || !set_w(c, "/subject", NULL))
		return DLP_ERR_NOMEM;
	if ((st = text(c, DLP_SCOPE_SUBJECT)) != DLP_OK)
		return st;
	if (!plain_string(c, &t->body) || !set_w(c, "/body", NULL))
		return DLP_ERR_NOMEM;
	if (c->t.len == 0 &&
	    !prop_string(c, &t->MapiProperties, PR_BODY, &have))
		return DLP_ERR_NOMEM;
	if ((st = text(c, DLP_SCOPE_BODY)) != DLP_OK)
		return st;
	if ((v = prop(&t->MapiProperties, PT_BINARY, PR_BODY_HTML)) != NULL ||
	    (v = prop(&t->MapiProperties, PT_STRING8, PR_BODY_HTML)) != NULL) {
		if (!set_w(c, "/body.html", NULL))
			return DLP_ERR_NOMEM;
		if ((st = s->object(s->ctx, (const char *)c->w.p, "body.html",
		         "text/html", v->data, (size_t)v->size,
		         c->depth + 1)) != DLP_OK)
			return st;
	}
	rtf = MAPIFindProperty(
	    &t->MapiProperties, PROP_TAG(PT_BINARY, PR_RTF_COMPRESSED));
	if (rtf != MAPI_UNDEFINED && rtf != NULL && rtf->data != NULL &&
	    rtf->size > 16) {
		int size = 0;
		BYTE *raw;

		if (!set_w(c, "/body.rtf", NULL))
			return DLP_ERR_NOMEM;
		raw = DecompressRTF(rtf, &size);
		if (raw == NULL || size <= 0) {
			free(raw);
			return s->unscanned(s->ctx, (const char *)c->w.p,
			    "malformed", "compressed RTF body not readable");
		}
		if (!dlp_budget_take(s->budget, (size_t)size)) {
			free(raw);
			return s->unscanned(s->ctx, (const char *)c->w.p,
			    "limit", "decoded-bytes budget exhausted");
		}
		st = s->object(s->ctx, (const char *)c->w.p, "body.rtf",
		    "application/rtf", raw, (size_t)size, c->depth + 1);
		free(raw);
		if (st != DLP_OK)
			return st;
	}
	return DLP_OK;
}

static enum dlp_status
emit_attachments(struct tctx *c, TNEFStruct *t)
{
	const struct dlp_sink *s = c->x->sink;
	Attachment *a;
	unsigned n = 0;
	enum dlp_status st;

	for (a = t->starting_attach.next; a != NULL; a = a->next) {
		const variableLength *data = NULL;
		const uint8_t *bytes;
		size_t len, k;
		bool have;
		char unnamed[32];

		n++;
		if (!prop_string(c, &a->MAPI, PR_ATTACH_LONG_FILENAME, &have))
			return DLP_ERR_NOMEM;
		if (!have && !prop_string(c, &a->MAPI, PR_DISPLAY_NAME, &have))
			return DLP_ERR_NOMEM;
		if (!have) {
			if (!plain_string(c, &a->Title))
				return DLP_ERR_NOMEM;
			have = c->t.len > 0;
		}
		for (k = 0; k < c->t.len; k++)
			if (c->t.p[k] < 0x20 || c->t.p[k] == '/')
				c->t.p[k] = '_';
		snprintf(unnamed, sizeof(unnamed), "attachment%u", n);
		if (!set_w(c, "/", have ? (const char *)c->t.p : unnamed))
			return DLP_ERR_NOMEM;
		if (have && (st = text(c, DLP_SCOPE_FILENAME)) != DLP_OK)
			return st;
		if (a->FileData.data != NULL && a->FileData.size > 0)
			data = &a->FileData;
		else if ((data = prop(
		              &a->MAPI, PT_OBJECT, PR_ATTACH_DATA_OBJ)) == NULL)
			data = prop(&a->MAPI, PT_BINARY, PR_ATTACH_DATA_OBJ);
		if (data == NULL)
			continue; /* a link or an empty attachment */
		bytes = data->data;
		len = (size_t)data->size;
		if (data != &a->FileData &&
		    prop(&a->MAPI, PT_OBJECT, PR_ATTACH_DATA_OBJ) != NULL &&
		    len > 16) {
			/* PT_OBJECT starts with the interface GUID. */
			bytes += 16;
			len -= 16;
		}
		if (!dlp_budget_take(s->budget, len))
			return s->unscanned(s->ctx, (const char *)c->w.p,
			    "limit", "decoded-bytes budget exhausted");
		if ((st = s->object(s->ctx, (const char *)c->w.p,
		         have ? (const char *)c->t.p : NULL, NULL, bytes, len,
		         c->depth + 1)) != DLP_OK)
			return st;
	}
	return DLP_OK;
}

enum dlp_status
dlp_extract_tnef(struct dlp_xctx *x, const char *where, const uint8_t *data,
    size_t len, unsigned depth)
{
	struct tctx c;
	TNEFStruct t;
	uint8_t *copy = NULL;
	const char *why;
	enum dlp_status st = DLP_OK;
	bool parsed = false;

	if (x == NULL || x->sink == NULL || where == NULL ||
	    (data == NULL && len > 0))
		return DLP_ERR_INVAL;
	memset(&c, 0, sizeof(c));
	c.x = x;
	c.where = where;
	c.depth = depth;
	dlp_buf_init(&c.w, x->mem);
	dlp_buf_init(&c.t, x->mem);
	if (len > 0x7fffffff || !tnef_well_formed(data, len, &why)) {
		st = x->sink->unscanned(x->sink->ctx, where, "malformed",
		    len > 0x7fffffff ? "TNEF stream too large" : why);
		goto out;
	}
	if ((copy = dlp_malloc(x->mem, len)) == NULL) {
		st = DLP_ERR_NOMEM;
		goto out;
	}
	memcpy(copy, data, len);
	TNEFInitialize(&t);
	t.Debug = 0;
	parsed = true;
	if (TNEFParseMemory(copy, (long)len, &t) != 0) {
		st = x->sink->unscanned(x->sink->ctx, where, "malformed",
		    "TNEF stream not readable");
		goto out;
	}
	if (t.CodePage.data != NULL && t.CodePage.size >= 4) {
		uint32_t cp = dlp_le32(t.CodePage.data);

		if (cp != 0 && cp != 1200)
			snprintf(c.codepage, sizeof(c.codepage), "cp%u",
			    (unsigned)cp);
	}
	if ((st = emit_message(&c, &t)) != DLP_OK)
		goto out;
	st = emit_attachments(&c, &t);
out:
	if (parsed)
		TNEFFree(&t);
	dlp_free(x->mem, copy);
	dlp_buf_fini(&c.w);
	dlp_buf_fini(&c.t);
	return st;
}
