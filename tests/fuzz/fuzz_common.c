/*
 * fuzz_common.c - the harnesses' recording sink and helpers (fuzz.h).
 */
#include <stdlib.h>

#include "fuzz.h"

void
fz_touch(struct fz_sink *f, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		f->hash = f->hash * 31u + b[i];
}

static void
touch_str(struct fz_sink *f, const char *s)
{
	if (s != NULL)
		fz_touch(f, s, strlen(s));
}

static enum dlp_status
s_text(void *ctx, unsigned scope, const char *where, const char *header,
    const char *text, size_t len)
{
	struct fz_sink *f = ctx;

	/* Exactly one scope bit, a where, and readable bytes. */
	FZ_ASSERT(scope != 0 && (scope & (scope - 1)) == 0 &&
	          (scope & ~(unsigned)DLP_SCOPE_ALL) == 0);
	FZ_ASSERT(where != NULL);
	FZ_ASSERT(len == 0 || text != NULL);
	touch_str(f, where);
	touch_str(f, header);
	fz_touch(f, text, len);
	f->ntext++;
	return DLP_OK;
}

static enum dlp_status
s_unscanned(void *ctx, const char *where, const char *why, const char *detail)
{
	static const char *const whys[] = {
	    "encrypted", "limit", "malformed", "unsupported", "error"};
	struct fz_sink *f = ctx;
	bool known = false;

	FZ_ASSERT(where != NULL && why != NULL);
	for (size_t i = 0; i < DLP_NITEMS(whys); i++)
		known |= strcmp(why, whys[i]) == 0;
	FZ_ASSERT(known);
	touch_str(f, where);
	touch_str(f, detail);
	f->nunscanned++;
	return DLP_OK;
}

static enum dlp_status
s_finding(void *ctx, const char *where, const char *rule, unsigned level,
    const char *detail)
{
	struct fz_sink *f = ctx;

	FZ_ASSERT(where != NULL && rule != NULL && level <= DLP_LEVEL_MAX);
	touch_str(f, where);
	touch_str(f, rule);
	touch_str(f, detail);
	f->nfinding++;
	return DLP_OK;
}

static enum dlp_status
s_object(void *ctx, const char *where, const char *name, const char *type,
    const uint8_t *data, size_t len, unsigned depth)
{
	struct fz_sink *f = ctx;

	FZ_ASSERT(where != NULL && (len == 0 || data != NULL));
	touch_str(f, where);
	touch_str(f, name);
	touch_str(f, type);
	fz_touch(f, data, len);
	f->nobject++;
	/* The engine enforces the depth limit; so does this sink. */
	if (f->recurse != NULL && depth <= f->limits.max_depth)
		return dlp_extract_object(
		    f->recurse, where, name, type, data, len, depth);
	return DLP_OK;
}

void
fz_sink_init(struct fz_sink *f)
{
	memset(f, 0, sizeof(*f));
	dlp_limits_default(&f->limits);
	f->budget.expanded_left = f->limits.max_expanded_bytes;
	f->budget.entries_left = f->limits.max_entries;
	f->budget.parts_left = f->limits.max_parts;
	f->budget.limits = &f->limits;
	f->sink.ctx = f;
	f->sink.text = s_text;
	f->sink.unscanned = s_unscanned;
	f->sink.finding = s_finding;
	f->sink.object = s_object;
	f->sink.budget = &f->budget;
}

const char *
fz_source_dir(void)
{
	const char *d = getenv("DLP_SOURCE_DIR");

	return d ? d : DLP_FUZZ_SOURCE_DIR;
}

char *
fz_strndup(const uint8_t *data, size_t len)
{
	char *s = malloc(len + 1);

	if (s != NULL) {
		memcpy(s, data, len);
		s[len] = '\0';
	}
	return s;
}

void
fz_extract(fz_extract_fn fn, const uint8_t *data, size_t size)
{
	struct dlp_mem mem;
	struct dlp_xctx x;
	struct fz_sink f;
	enum dlp_status st;

	dlp_mem_init_default(&mem);
	fz_sink_init(&f);
	f.limits.max_depth = 6;
	f.limits.max_entries = 200;
	f.limits.max_entry_bytes = 8 << 20;
	f.limits.max_expanded_bytes = 32 << 20;
	f.budget.expanded_left = f.limits.max_expanded_bytes;
	f.budget.entries_left = f.limits.max_entries;
	memset(&x, 0, sizeof(x));
	x.mem = &mem;
	x.lim = &f.limits;
	x.sink = &f.sink;
	f.recurse = &x;
	if (dlp_charset_new(&mem, &x.cs) != DLP_OK)
		return;
	st = fn(&x, "attachment:fuzz", data, size, 1);
	FZ_ASSERT(st == DLP_OK || st == DLP_ERR_NOMEM);
	dlp_sniffer_free(x.sniff);
	dlp_charset_free(x.cs);
}
