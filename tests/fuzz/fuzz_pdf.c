/*
 * fuzz_pdf.c - the PDF extractor (poppler),
 * nested objects dispatched again up to a small depth.
 */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_extract(dlp_extract_pdf, data, size);
	return 0;
}
