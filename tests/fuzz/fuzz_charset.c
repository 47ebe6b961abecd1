/*
 * fuzz_charset.c - conversion to UTF-8 from a charset chosen by the first
 * byte (fast paths, iconv, detection). Conversion never fails on content.
 */
#include "charset.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const sets[] = {NULL, "", "us-ascii", "utf-8",
	    "iso-8859-1", "windows-1252", "utf-16", "utf-16le", "utf-16be",
	    "utf-32", "utf-7", "shift_jis", "x-sjis", "euc-jp", "iso-2022-jp",
	    "gb2312", "gb18030", "big5", "ks_c_5601-1987", "koi8-r",
	    "iso-8859-7", "windows-1251", "cp1253", "x-unknown-charset", "UTF8",
	    "latin1"};
	struct dlp_mem mem;
	struct dlp_buf out;
	struct dlp_charset *cs = NULL;
	struct fz_sink f;
	unsigned flags = 0;
	const char *set;

	if (size < 1)
		return 0;
	dlp_mem_init_default(&mem);
	dlp_buf_init(&out, &mem);
	fz_sink_init(&f);
	set = sets[data[0] % DLP_NITEMS(sets)];
	if (dlp_charset_new(&mem, &cs) != DLP_OK)
		return 0;
	FZ_ASSERT(
	    dlp_charset_to_utf8(cs, set, data + 1, size - 1, &out, &flags));
	/* Without a cache: the same answer. */
	{
		struct dlp_buf again;
		unsigned f2 = 0;

		dlp_buf_init(&again, &mem);
		FZ_ASSERT(dlp_charset_to_utf8(
		    NULL, set, data + 1, size - 1, &again, &f2));
		FZ_ASSERT(again.len == out.len &&
		          memcmp(again.p, out.p, out.len) == 0);
		dlp_buf_fini(&again);
	}
	fz_touch(&f, out.p, out.len);
	(void)dlp_utf8_valid(data, size);
	dlp_charset_free(cs);
	dlp_buf_fini(&out);
	return 0;
}
