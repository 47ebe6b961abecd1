/*
 * fuzz_html.c - HTML to text and the character-reference decoder; every
 * text-loop width the CPU has must give what the scalar loop gives.
 */
#include "fuzz.h"
#include "html.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dlp_mem mem;
	struct dlp_buf out, ref;
	struct fz_sink f;
	int w;

	dlp_mem_init_default(&mem);
	dlp_buf_init(&out, &mem);
	dlp_buf_init(&ref, &mem);
	fz_sink_init(&f);
	FZ_ASSERT(dlp_html_to_text_width(data, size, &ref, 0));
	for (w = 1; w <= dlp_html_width_max(); w++) {
		dlp_buf_reset(&out);
		FZ_ASSERT(dlp_html_to_text_width(data, size, &out, w));
		FZ_ASSERT(out.len == ref.len &&
		          (ref.len == 0 || memcmp(out.p, ref.p, ref.len) == 0));
	}
	fz_touch(&f, out.p, out.len);
	dlp_buf_fini(&ref);
	dlp_buf_reset(&out);
	FZ_ASSERT(dlp_html_decode_entities(data, size, &out));
	fz_touch(&f, out.p, out.len);
	dlp_buf_fini(&out);
	return 0;
}
