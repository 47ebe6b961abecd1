/*
 * fuzz_archive.c - dlp_extract_object with no name or type: the dispatcher
 * (sniffing, libarchive, nested dispatch), nested objects dispatched again up
 * to a small depth.
 */
#include "fuzz.h"

static enum dlp_status
dispatch(struct dlp_xctx *x, const char *where, const uint8_t *data, size_t len,
    unsigned depth)
{
	return dlp_extract_object(x, where, NULL, NULL, data, len, depth);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_extract(dispatch, data, size);
	return 0;
}
