/*
 * fuzz_odf.c - the ODF extractor,
 * nested objects dispatched again up to a small depth.
 */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_extract(dlp_extract_odf, data, size);
	return 0;
}
