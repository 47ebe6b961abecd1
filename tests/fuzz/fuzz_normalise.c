/*
 * fuzz_normalise.c - the normaliser and its offset map: the map has one
 * entry per output byte plus one, never decreases, stays within the
 * input and ends at its length (normalise.h).
 */
#include "fuzz.h"
#include "normalise.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dlp_mem mem;
	struct dlp_norm n;
	struct fz_sink f;

	dlp_mem_init_default(&mem);
	dlp_norm_init(&n, &mem);
	fz_sink_init(&f);
	FZ_ASSERT(dlp_normalise(&n, data, size));
	FZ_ASSERT(n.map != NULL || n.text.len == 0);
	if (n.map != NULL) {
		FZ_ASSERT(n.map[n.text.len] == size);
		for (size_t i = 0; i < n.text.len; i++)
			FZ_ASSERT(n.map[i] <= n.map[i + 1] && n.map[i] <= size);
	}
	fz_touch(&f, n.text.p, n.text.len);
	/* Reuse of the same state with a shorter input. */
	FZ_ASSERT(dlp_normalise(&n, data, size / 2));
	dlp_norm_fini(&n);
	return 0;
}
