/*
 * fuzz_normalise.c - the normaliser and its offset map: every output
 * byte maps into the input, offsets never decrease, the end maps to the
 * input length, and the vector fast path, at every width the CPU has,
 * gives exactly what the scalar rules give, text and offsets
 * (normalise.h).
 */
#include <string.h>

#include "fuzz.h"
#include "normalise.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dlp_mem mem;
	struct dlp_norm n, s;
	struct fz_sink f;

	dlp_mem_init_default(&mem);
	dlp_norm_init(&n, &mem);
	dlp_norm_init(&s, &mem);
	fz_sink_init(&f);
	FZ_ASSERT(dlp_normalise(&n, data, size));
	FZ_ASSERT(dlp_normalise_scalar(&s, data, size));
	FZ_ASSERT(n.text.len <= size && n.text.len == s.text.len);
	FZ_ASSERT(
	    n.text.len == 0 || memcmp(n.text.p, s.text.p, n.text.len) == 0);
	FZ_ASSERT(dlp_norm_offset(&n, n.text.len) == size);
	for (size_t i = 0; i < n.text.len; i++) {
		size_t at = dlp_norm_offset(&n, i);

		FZ_ASSERT(at < size && at <= dlp_norm_offset(&n, i + 1));
		FZ_ASSERT(at == dlp_norm_offset(&s, i));
	}
	fz_touch(&f, n.text.p, n.text.len);
	/* Every narrower vector width the CPU has, in a fresh state. */
	for (unsigned w = DLP_NORM_SSE2; w < dlp_norm_simd_max(); w++) {
		struct dlp_norm x;

		dlp_norm_init(&x, &mem);
		FZ_ASSERT(dlp_normalise_simd(&x, data, size, w));
		FZ_ASSERT(x.text.len == s.text.len &&
		          (x.text.len == 0 ||
		              memcmp(x.text.p, s.text.p, x.text.len) == 0));
		for (size_t i = 0; i <= x.text.len; i++)
			FZ_ASSERT(
			    dlp_norm_offset(&x, i) == dlp_norm_offset(&s, i));
		dlp_norm_fini(&x);
	}
	/* Reuse of the same state with a shorter input. */
	FZ_ASSERT(dlp_normalise(&n, data, size / 2));
	dlp_norm_fini(&n);
	dlp_norm_fini(&s);
	return 0;
}
