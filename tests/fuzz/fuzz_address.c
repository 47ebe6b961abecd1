/*
 * fuzz_address.c - RFC 5322 address lists: every address reported is
 * read in full (ASan catches a span outside the input).
 */
#include <stdlib.h>

#include "address.h"
#include "fuzz.h"

static enum dlp_status
one(void *ctx, const char *addr, size_t len)
{
	fz_touch(ctx, addr, len);
	return DLP_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dlp_mem mem;
	struct fz_sink f;
	char *s;

	dlp_mem_init_default(&mem);
	fz_sink_init(&f);
	if ((s = fz_strndup(data, size)) == NULL)
		return 0;
	FZ_ASSERT(dlp_address_list(&mem, s, size, one, &f) == DLP_OK);
	free(s);
	return 0;
}
