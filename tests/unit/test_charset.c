/*
 * test_charset.c - charset conversion to UTF-8: fast paths, aliases,
 * iconv charsets, invalid and truncated input, unknown names, the
 * descriptor cache, stateful encodings, OOM.
 */
#include "charset.h"
#include "test.h"

struct cs_case {
	const char *charset;
	const char *in;
	size_t inlen; /* 0 = strlen(in) */
	const char *want;
	unsigned flags;
};

#define CYR  "\xd0\xa1\xd0\xb5\xd0\xba\xd1\x80\xd0\xb5\xd1\x82\xd0\xbd\xd0\xbe"
#define FFFD "\xef\xbf\xbd"

static const struct cs_case cases[] = {
    {"us-ascii", "TOP SECRET", 0, "TOP SECRET", 0},
    {"US-ASCII", "caf\xc3\xa9", 0, "caf\xc3\xa9", 0},
    {"ascii", "caf\xe9", 0, "caf\xc3\xa9", 0},
    {"utf-8", "caf\xc3\xa9", 0, "caf\xc3\xa9", 0},
    {"UTF8", "\xef\xbb\xbfSECRET", 0, "SECRET", 0},
    {"utf-8", "a\xffz", 0, "a" FFFD "z", DLP_CS_INVALID},
    {"utf-8", "a\xc0\xafz", 0, "a" FFFD FFFD "z", DLP_CS_INVALID},
    {"utf-8", "a\xed\xa0\x80z", 0, "a" FFFD FFFD FFFD "z", DLP_CS_INVALID},
    {"utf-8", "a\xe2\x80", 0, "a" FFFD, DLP_CS_INVALID},
    {"utf-8", "\xf0\x9f\x98\x80", 0, "\xf0\x9f\x98\x80", 0},
    {"utf-8", "\xf4\x90\x80\x80", 0, FFFD FFFD FFFD FFFD, DLP_CS_INVALID},
    {"latin1", "caf\xe9", 0, "caf\xc3\xa9", 0},
    {"ISO-8859-1", "OFFICIAL\x96SENSITIVE", 0, "OFFICIAL\xe2\x80\x93SENSITIVE",
        0},
    {"iso8859-1", "\xa0", 0, "\xc2\xa0", 0},
    {"windows-1252", "\x80\x81\x9f", 0, "\xe2\x82\xac\xc2\x81\xc5\xb8", 0},
    {"cp1252", "\x93q\x94", 0, "\xe2\x80\x9cq\xe2\x80\x9d", 0},
    {"utf-16le", "S\0E\0", 4, "SE", 0},
    {"UTF-16LE", "\xff\xfeS\0E\0", 6, "SE", 0},
    {"utf-16be", "\0S\0E", 4, "SE", 0},
    {"utf-16be", "\xfe\xff\0S\0E", 6, "SE", 0},
    {"utf-16", "\xff\xfeS\0E\0C\0R\0E\0T\0", 14, "SECRET", 0},
    {"utf-16", "\xfe\xff\0S\0E\0C\0R\0E\0T", 14, "SECRET", 0},
    {"utf-16", "S\0E\0C\0R\0E\0T\0", 12, "SECRET", 0},
    {"utf-16", "\0S\0E\0C\0R\0E\0T", 12, "SECRET", 0},
    {"utf-16le", "\x3d\xd8\x00\xde", 4, "\xf0\x9f\x98\x80", 0},
    {"utf-16le", "\x3d\xd8S\0", 4, FFFD "S", DLP_CS_INVALID},
    {"utf-16le", "\x00\xdcS\0", 4, FFFD "S", DLP_CS_INVALID},
    {"utf-16le", "S\0E", 3, "S" FFFD, DLP_CS_INVALID},
    {"utf-16le", "\x21\x04\x35\x04", 4, "\xd0\xa1\xd0\xb5", 0},
    {"utf-16le", "\x11\x20", 2, "\xe2\x80\x91", 0},
    {"iso-2022-jp", "\x1b\x24\x42\x45\x6c\x35\x7e\x1b\x28\x42", 0,
        "\xe6\x9d\xb1\xe4\xba\xac", 0},
    {"big5", "\xbe\xf7\xb1\x4b", 0, "\xe6\xa9\x9f\xe5\xaf\x86", 0},
    {"koi8-r", "\xf3\xc5\xcb\xd2\xc5\xd4\xce\xcf", 0, CYR, 0},
    {"windows-1251", "\xd1\xe5\xea\xf0\xe5\xf2\xed\xee", 0, CYR, 0},
    {"cp1251", "\xd1\xe5\xea\xf0\xe5\xf2\xed\xee", 0, CYR, 0},
    {"gb2312", "\xbb\xfa\xc3\xdc", 0, "\xe6\x9c\xba\xe5\xaf\x86", 0},
    {"ks_c_5601-1987", "\xba\xf1\xb9\xd0", 0, "\xeb\xb9\x84\xeb\xb0\x80", 0},
    {"x-mac-roman", "caf\x8e", 0, "caf\xc3\xa9", 0},
    {"x-sjis", "\x94\xe9\x96\xa7", 0, "\xe7\xa7\x98\xe5\xaf\x86", 0},
    {"Shift_JIS", "\x94\xe9\x96\xa7", 0, "\xe7\xa7\x98\xe5\xaf\x86", 0},
    {"euc-jp", "\xc8\xeb\xcc\xa9", 0, "\xe7\xa7\x98\xe5\xaf\x86", 0},
    {"iso-8859-7", "\xc1\xf0", 0, "\xce\x91\xcf\x80", 0},
    {"\"koi8-r\"", "\xf3\xc5", 0, "\xd0\xa1\xd0\xb5", 0},
    /* Truncated double-byte character at the end: EINVAL. */
    {"shift_jis", "a\x94", 0, "a" FFFD, DLP_CS_INVALID},
    /* Invalid byte inside: EILSEQ, skipped, conversion goes on. */
    {"euc-jp",
        "a\xff"
        "b",
        0, "a" FFFD "b", DLP_CS_INVALID},
    {"x-no-such-charset", "caf\xe9", 0, "caf\xc3\xa9", DLP_CS_UNKNOWN},
    {"utf-8//TRANSLIT", "caf\xe9", 0, "caf\xc3\xa9", DLP_CS_UNKNOWN},
    {"", "caf\xc3\xa9", 0, "caf\xc3\xa9", 0},
    {"", "caf\xe9 \x96", 0, "caf\xc3\xa9 \xe2\x80\x93", 0},
    {"", "\xff\xfeS\0", 4, "S", 0},
    {NULL, "SECRET", 0, "SECRET", 0},
    {"utf-8", "", 0, "", 0},
    {"koi8-r", "", 0, "", 0},
};

static void
check_case(struct dlp_charset *cs, const struct cs_case *c)
{
	struct dlp_buf b;
	unsigned flags = 0;
	size_t n = c->inlen ? c->inlen : strlen(c->in);

	dlp_buf_init(&b, &test_mem);
	CHECK(dlp_charset_to_utf8(
	    cs, c->charset, (const uint8_t *)c->in, n, &b, &flags));
	CHECK_MEM(b.p ? (const char *)b.p : "", b.len, c->want, strlen(c->want),
	    c->charset ? c->charset : "(null)");
	CHECK_MSG(flags == c->flags, "%s: flags %#x, want %#x",
	    c->charset ? c->charset : "(null)", flags, c->flags);
	dlp_buf_fini(&b);
}

TEST(conversions)
{
	struct dlp_charset *cs;
	size_t i, round;

	CHECK_INT(dlp_charset_new(&test_mem, &cs), DLP_OK);
	/* Twice: the second round runs from the (evicting) cache. */
	for (round = 0; round < 2; round++) {
		for (i = 0; i < DLP_NITEMS(cases); i++)
			check_case(cs, &cases[i]);
	}
	dlp_charset_free(cs);
	/* And without a cache. */
	for (i = 0; i < DLP_NITEMS(cases); i++)
		check_case(NULL, &cases[i]);
	CHECK_INT(test_live(), 0);
	dlp_charset_free(NULL);
}

/* ISO-2022-JP ending in JIS mode must not leak its state. */
TEST(stateful_reset)
{
	struct dlp_charset *cs;
	struct dlp_buf b;

	CHECK_INT(dlp_charset_new(&test_mem, &cs), DLP_OK);
	dlp_buf_init(&b, &test_mem);
	CHECK(dlp_charset_to_utf8(cs, "iso-2022-jp",
	    (const uint8_t *)"\x1b\x24\x42\x45\x6c", 5, &b, NULL));
	CHECK_STR((char *)b.p, "\xe6\x9d\xb1");
	dlp_buf_reset(&b);
	CHECK(dlp_charset_to_utf8(
	    cs, "iso-2022-jp", (const uint8_t *)"El", 2, &b, NULL));
	CHECK_STR((char *)b.p, "El");
	dlp_buf_fini(&b);
	dlp_charset_free(cs);
}

struct valid_case {
	const char *in;
	bool valid;
};

static const struct valid_case valid_cases[] = {
    {"", true},
    {"plain ascii text, longer than eight bytes", true},
    {"caf\xc3\xa9", true},
    {"\xe2\x80\x91", true},
    {"\xf0\x9f\x98\x80", true},
    {"\xc3", false},
    {"\xc0\x80", false},
    {"\xe0\x80\x80", false},
    {"\xed\xa0\x80", false},
    {"\xf4\x90\x80\x80", false},
    {"\xf5\x80\x80\x80", false},
    {"abcdefgh\x80", false},
    {"\xef\xbf\xbf", true},
};

TEST(utf8_valid)
{
	size_t i;

	for (i = 0; i < DLP_NITEMS(valid_cases); i++)
		CHECK_MSG(
		    dlp_utf8_valid((const uint8_t *)valid_cases[i].in,
		        strlen(valid_cases[i].in)) == valid_cases[i].valid,
		    "case %zu", i);
}

/* The ASCII fast paths (64, 16 and 8 bytes at a time, then bytes): one
 * bad byte or one good two-byte character at every offset of every
 * length up to 200, so each block edge is crossed. */
TEST(utf8_valid_every_offset)
{
	uint8_t buf[201];

	for (size_t len = 1; len <= 200; len++)
		for (size_t at = 0; at < len; at++) {
			memset(buf, 'a', len);
			buf[at] = 0xff;
			CHECK_MSG(!dlp_utf8_valid(buf, len),
			    "bad byte at %zu of %zu", at, len);
			if (at + 1 < len) {
				buf[at] = 0xc3, buf[at + 1] = 0xa9;
				CHECK_MSG(dlp_utf8_valid(buf, len),
				    "good pair at %zu of %zu", at, len);
				buf[at + 1] = 'a'; /* a lone lead byte */
				CHECK_MSG(!dlp_utf8_valid(buf, len),
				    "lone lead at %zu of %zu", at, len);
			}
		}
}

/* A big UTF-16 text crosses the fast path and the output growth. */
TEST(utf16_large)
{
	struct dlp_buf b;
	uint8_t *in;
	size_t i, n = 100000;

	in = malloc(2 * n);
	CHECK(in != NULL);
	if (in == NULL)
		return;
	for (i = 0; i < n; i++) {
		in[2 * i] = (uint8_t)(i % 7 == 0 ? 0x21 : 'a' + i % 26);
		in[2 * i + 1] = (uint8_t)(i % 7 == 0 ? 0x04 : 0);
	}
	dlp_buf_init(&b, &test_mem);
	CHECK(dlp_charset_to_utf8(NULL, "utf-16le", in, 2 * n, &b, NULL));
	CHECK_INT(b.len, n + n / 7 + 1);
	CHECK(dlp_utf8_valid(b.p, b.len));
	dlp_buf_fini(&b);
	free(in);
}

/* GMime's charset filter pairs: NAME.CHARSET.txt and NAME.utf-8.txt. */
TEST(corpus_pairs)
{
	/* chinese.big5.txt is left out: it lacks the characters of the
	 * UTF-8 file that Big5 cannot encode (a lossy pair). */
	static const char *pairs[][2] = {
	    {"cyrillic", "cp1251"},
	    {"cyrillic", "iso-8859-5"},
	    {"cyrillic", "koi8-r"},
	    {"japanese", "iso-2022-jp"},
	    {"japanese", "shift-jis"},
	};
	const char *dir = test_corpus_dir();
	struct dlp_charset *cs;
	char path[4096];
	unsigned char *in, *want;
	size_t ilen, wlen, i;
	struct dlp_buf b;
	unsigned flags;

	if (dir == NULL)
		TEST_SKIP("no corpus");
	CHECK_INT(dlp_charset_new(&test_mem, &cs), DLP_OK);
	for (i = 0; i < DLP_NITEMS(pairs); i++) {
		snprintf(path, sizeof(path),
		    "%s/gmime/tests/data/filters/%s.%s.txt", dir, pairs[i][0],
		    pairs[i][1]);
		in = test_read_file(path, &ilen);
		snprintf(path, sizeof(path),
		    "%s/gmime/tests/data/filters/%s.utf-8.txt", dir,
		    pairs[i][0]);
		want = test_read_file(path, &wlen);
		if (in == NULL || want == NULL) {
			printf("  missing %s.%s\n", pairs[i][0], pairs[i][1]);
			free(in);
			free(want);
			continue;
		}
		dlp_buf_init(&b, &test_mem);
		flags = 0;
		CHECK(
		    dlp_charset_to_utf8(cs, pairs[i][1], in, ilen, &b, &flags));
		CHECK_MSG(b.len == wlen && memcmp(b.p, want, wlen) == 0,
		    "%s: %zu bytes, want %zu", pairs[i][1], b.len, wlen);
		CHECK_MSG(flags == 0, "%s: flags %#x", pairs[i][1], flags);
		dlp_buf_fini(&b);
		free(in);
		free(want);
	}
	dlp_charset_free(cs);
	CHECK_INT(test_live(), 0);
}

TEST(oom)
{
	struct dlp_charset *cs;
	struct dlp_buf b;
	unsigned long n;
	size_t i;
	bool ok;

	for (i = 0; i < DLP_NITEMS(cases); i++) {
		for (n = 1; n < 20; n++) {
			size_t len = cases[i].inlen ? cases[i].inlen
			                            : strlen(cases[i].in);
			cs = NULL;
			dlp_buf_init(&b, &test_mem);
			test_fail_after(n);
			ok = dlp_charset_new(&test_mem, &cs) == DLP_OK &&
			     dlp_charset_to_utf8(cs, cases[i].charset,
			         (const uint8_t *)cases[i].in, len, &b, NULL);
			test_fail_after(0);
			dlp_charset_free(cs);
			dlp_buf_fini(&b);
			CHECK_INT(test_live(), 0);
			if (ok)
				break;
		}
		CHECK_MSG(ok, "case %zu never succeeded", i);
	}
}

TEST_MAIN()
