/*
 * fuzz_rtf.c - the RTF extractor,
 * nested objects dispatched again up to a small depth.
 */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_extract(dlp_extract_rtf, data, size);
	return 0;
}
