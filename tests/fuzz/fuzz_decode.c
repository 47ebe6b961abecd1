/*
 * fuzz_decode.c - every decoder in decode.h. The first byte picks the
 * decoder; the rest is its input. Decoders may only fail on memory.
 */
#include <stdlib.h>

#include "charset.h"
#include "decode.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dlp_mem mem;
	struct dlp_buf out;
	struct dlp_charset *cs = NULL;
	struct fz_sink f;
	unsigned flags = 0;
	char *name = NULL;
	bool ok = true;

	if (size < 1)
		return 0;
	dlp_mem_init_default(&mem);
	dlp_buf_init(&out, &mem);
	fz_sink_init(&f);
	switch (data[0] % 7) {
	case 0:
		ok = dlp_decode_base64(data + 1, size - 1, &out, &flags);
		/* Base64 never grows: 3 bytes out per 4 in. */
		FZ_ASSERT(out.len <= (size - 1) / 4 * 3 + 3);
		break;
	case 1:
		ok = dlp_decode_qp(data + 1, size - 1, &out, &flags);
		FZ_ASSERT(out.len <= size - 1);
		break;
	case 2:
		ok = dlp_decode_q(data + 1, size - 1, &out, &flags);
		FZ_ASSERT(out.len <= size - 1);
		break;
	case 3:
		ok = dlp_decode_uu(data + 1, size - 1, &out, &name, &flags);
		break;
	case 4:
		ok = dlp_decode_yenc(data + 1, size - 1, &out, &name, &flags);
		break;
	case 5:
		ok = dlp_decode_header(&mem, data + 1, size - 1, &out, &flags);
		break;
	default:
		if (dlp_charset_new(&mem, &cs) != DLP_OK)
			break;
		ok = dlp_decode_header_cs(cs, data + 1, size - 1, &out, &flags);
		/* A second header through the same converter cache. */
		if (ok)
			ok = dlp_decode_header_cs(
			    cs, data + 1, (size - 1) / 2, &out, &flags);
		dlp_charset_free(cs);
		break;
	}
	FZ_ASSERT(ok);
	FZ_ASSERT(out.cap == 0 || out.p[out.len] == '\0');
	fz_touch(&f, out.p, out.len);
	if (name != NULL)
		fz_touch(&f, name, strlen(name));
	dlp_free(&mem, name);
	dlp_buf_fini(&out);
	return 0;
}
