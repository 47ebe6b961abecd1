/*
 * fuzz_html.c - HTML to text and the character-reference decoder.
 */
#include "fuzz.h"
#include "html.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dlp_mem mem;
	struct dlp_buf out;
	struct fz_sink f;

	dlp_mem_init_default(&mem);
	dlp_buf_init(&out, &mem);
	fz_sink_init(&f);
	FZ_ASSERT(dlp_html_to_text(data, size, &out));
	fz_touch(&f, out.p, out.len);
	dlp_buf_reset(&out);
	FZ_ASSERT(dlp_html_decode_entities(data, size, &out));
	fz_touch(&f, out.p, out.len);
	dlp_buf_fini(&out);
	return 0;
}
