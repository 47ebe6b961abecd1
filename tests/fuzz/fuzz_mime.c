/*
 * fuzz_mime.c - the message parser and walker: dlp_mime_parse, header
 * lookups and dlp_mime_emit through a recording sink, plus the test
 * walker (part info and per-part decoding).
 */
#include "fuzz.h"
#include "mime.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {"Subject", "From", "To", "Cc",
	    "Content-Type", "Content-Transfer-Encoding", "MIME-Version"};
	struct dlp_mem mem;
	struct dlp_limits lim;
	struct dlp_mime *m = NULL;
	struct dlp_charset *cs = NULL;
	struct fz_sink f;
	struct dlp_buf b;

	dlp_mem_init_default(&mem);
	dlp_limits_default(&lim);
	/* Smaller limits so that the limit paths are reached too. */
	lim.max_parts = 200;
	lim.max_depth = 8;
	lim.max_header_bytes = 4096;
	fz_sink_init(&f);
	f.limits = lim;
	f.budget.parts_left = lim.max_parts;
	f.budget.expanded_left = 1 << 20;
	if (dlp_mime_parse(&mem, &lim, data, size, &m) != DLP_OK)
		return 0;
	for (size_t i = 0; i < DLP_NITEMS(names); i++) {
		const char *v;
		size_t n;

		if (dlp_mime_header(m, names[i], 0, &v, &n))
			fz_touch(&f, v, n);
	}
	if (dlp_charset_new(&mem, &cs) == DLP_OK) {
		(void)dlp_mime_emit(m, cs, &f.sink, "", 0);
		dlp_charset_free(cs);
	}
	dlp_buf_init(&b, &mem);
	for (size_t i = 0, n = dlp_mime_nparts(m); i < n && i < 64; i++) {
		unsigned depth;
		const char *type, *sub;
		bool multi;

		FZ_ASSERT(
		    dlp_mime_part_info(m, i, &depth, &type, &sub, &multi));
		fz_touch(&f, type, strlen(type));
		fz_touch(&f, sub, strlen(sub));
		dlp_buf_reset(&b);
		if (!dlp_mime_decode_part(m, i, &b))
			break;
		fz_touch(&f, b.p, b.len);
	}
	FZ_ASSERT(
	    !dlp_mime_part_info(m, dlp_mime_nparts(m), NULL, NULL, NULL, NULL));
	dlp_buf_fini(&b);
	dlp_mime_free(m);
	return 0;
}
