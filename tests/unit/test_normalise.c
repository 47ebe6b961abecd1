/*
 * test_normalise.c - normalisation: dashes, spaces, deleted characters,
 * fullwidth, look-alike letters, line breaks, blank runs, invalid UTF-8,
 * the offset map (exact cases and a random property test), OOM.
 */
#include "normalise.h"
#include "test.h"

struct norm_case {
	const char *in;
	const char *want;
};

static const struct norm_case cases[] = {
    {"TOP SECRET", "TOP SECRET"},
    {"TOP  \t SECRET", "TOP SECRET"},
    {"OFFICIAL\xe2\x80\x93SENSITIVE", "OFFICIAL-SENSITIVE"}, /* U+2013 */
    {"OFFICIAL\xe2\x80\x91SENSITIVE", "OFFICIAL-SENSITIVE"}, /* U+2011 */
    {"a\xe2\x80\x90"
     "b\xe2\x80\x95"
     "c\xe2\x88\x92"
     "d",
        "a-b-c-d"},
    {"a\xef\xb9\x98"
     "b\xef\xb9\xa3"
     "c\xef\xbc\x8d"
     "d",
        "a-b-c-d"},
    {"TOP\xc2\xa0SECRET", "TOP SECRET"},
    {"TOP\xe2\x80\x83SECRET\xe2\x80\xafX\xe3\x80\x80Y\xe2\x81\x9fZ",
        "TOP SECRET X Y Z"},
    {"SE\xe2\x80\x8b"
     "CR\xc2\xad"
     "ET",
        "SECRET"},
    {"S\xe2\x80\x8c"
     "E\xe2\x80\x8d"
     "C\xe2\x81\xa0R\xef\xbb\xbf"
     "E\xe1\xa0\x8eT",
        "SECRET"},
    {"TOP \xe2\x80\x8b SECRET", "TOP SECRET"},
    {"\xef\xbc\xb3\xef\xbc\xa5\xef\xbc\xa3\xef\xbc\xb2\xef\xbc\xa5\xef\xbc\xb4",
        "SECRET"},
    {"\xef\xbc\x81\xef\xbd\x9e", "!~"},
    {"\xd0\x85"
     "ECRET",
        "SECRET"}, /* Cyrillic DZE */
    {"S\xd0\x95"
     "CRET",
        "SECRET"},                                     /* Cyrillic IE */
    {"\xd0\xa2\xd0\x9e\xd0\xa0 SECRET", "TOP SECRET"}, /* all look-alikes */
    {"\xce\x91\xce\x92\xce\x95", "ABE"},               /* Greek */
    {"s\xd0\xb5"
     "cr\xd0\xb5t",
        "secret"},
    /* Real Russian words stay Cyrillic. */
    {"\xd0\xa1\xd0\xb5\xd0\xba\xd1\x80\xd0\xb5\xd1\x82\xd0\xbd\xd0\xbe",
        "\xd0\xa1\xd0\xb5\xd0\xba\xd1\x80\xd0\xb5\xd1\x82\xd0\xbd\xd0\xbe"},
    {"\xd0\x9f\xd0\xa0\xd0\x98", "\xd0\x9f\xd0\xa0\xd0\x98"},
    {"TOP\r\nSECRET", "TOP\nSECRET"},
    {"TOP\rSECRET", "TOP\nSECRET"},
    {"TOP\xe2\x80\xa8SECRET\xc2\x85X", "TOP\nSECRET\nX"},
    {"TOP \n SECRET", "TOP\nSECRET"},
    {"TOP \r\n\t\r\n  SECRET", "TOP\nSECRET"},
    {"a\n\n\nb", "a\nb"},
    {"a\r\n\r\nb\r\rc", "a\nb\nc"},
    {"  lead", " lead"},
    {"trail  ", "trail "},
    {"\n x \n", "\nx\n"},
    {"bad\xff\xc3(utf8", "bad\xff\xc3(utf8"},
    {"caf\xc3\xa9", "caf\xc3\xa9"},
    {"\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"},
    {"", ""},
};

TEST(normalise)
{
	struct dlp_norm n;
	size_t i;

	dlp_norm_init(&n, &test_mem);
	for (i = 0; i < DLP_NITEMS(cases); i++) {
		CHECK(dlp_normalise(
		    &n, (const uint8_t *)cases[i].in, strlen(cases[i].in)));
		CHECK_MEM(n.text.p ? (const char *)n.text.p : "", n.text.len,
		    cases[i].want, strlen(cases[i].want), cases[i].in);
		CHECK(dlp_norm_offset(&n, n.text.len) == strlen(cases[i].in));
		CHECK(n.text.p == NULL || n.text.p[n.text.len] == '\0');
	}
	dlp_norm_fini(&n);
	CHECK_INT(test_live(), 0);
	dlp_norm_fini(NULL);
}

struct map_case {
	const char *in;
	const char *want;
	uint32_t map[24];
};

static const struct map_case map_cases[] = {
    {"a  b", "a b", {0, 1, 3, 4}},
    {"a\xe2\x80\x93"
     "b",
        "a-b", {0, 1, 4, 5}},
    {"a\xe2\x80\x8b"
     "b",
        "ab", {0, 4, 5}},
    {"a \r\n b", "a\nb", {0, 3, 5, 6}},
    {"\xef\xbc\xb3x", "Sx", {0, 3, 4}},
    {"\xc3\xa9!", "\xc3\xa9!", {0, 1, 2, 3}},
    {"x\xd0\x85", "xS", {0, 1, 3}},
};

TEST(map_exact)
{
	struct dlp_norm n;
	size_t i, k;

	dlp_norm_init(&n, &test_mem);
	for (i = 0; i < DLP_NITEMS(map_cases); i++) {
		CHECK(dlp_normalise(&n, (const uint8_t *)map_cases[i].in,
		    strlen(map_cases[i].in)));
		CHECK_STR((char *)n.text.p, map_cases[i].want);
		for (k = 0; k <= n.text.len; k++)
			CHECK_MSG(dlp_norm_offset(&n, k) == map_cases[i].map[k],
			    "case %zu: map[%zu] = %zu, want %u", i, k,
			    dlp_norm_offset(&n, k), map_cases[i].map[k]);
	}
	dlp_norm_fini(&n);
}

/*
 * Property: for random input (a mix of ASCII, blanks, line breaks,
 * multi-byte characters of every class and invalid bytes), the map is
 * non-decreasing, within bounds, ends at the input length, every output
 * byte that is copied equals the input byte the map names, and the
 * output never grows.
 */
TEST(map_property)
{
	static const char *pieces[] = {"a", "Z", " ", "\t", "\n", "\r", "\r\n",
	    "\xc2\xa0", "\xe2\x80\x93", "\xe2\x80\x8b", "\xc2\xad",
	    "\xef\xbc\xa1", "\xd0\x85", "\xd0\x9f", "\xc3\xa9", "\xff", "\xe2",
	    "\xf0\x9f\x98\x80", "-", "\xe3\x80\x80"};
	struct dlp_norm n;
	uint8_t in[512];
	size_t len, k, round;
	uint32_t seed = 12345;

	dlp_norm_init(&n, &test_mem);
	for (round = 0; round < 2000; round++) {
		len = 0;
		while (len < sizeof(in) - 8) {
			const char *p;
			seed = seed * 1103515245u + 12345u;
			if ((seed >> 16) % 40 == 0)
				break;
			p = pieces[(seed >> 8) % DLP_NITEMS(pieces)];
			memcpy(in + len, p, strlen(p));
			len += strlen(p);
		}
		CHECK(dlp_normalise(&n, in, len));
		CHECK(n.text.len <= len);
		CHECK(dlp_norm_offset(&n, n.text.len) == len);
		for (k = 0; k < n.text.len; k++) {
			size_t at = dlp_norm_offset(&n, k);

			CHECK(at < len);
			CHECK(at <= dlp_norm_offset(&n, k + 1));
			if (n.text.p[k] >= 0x80 || n.text.p[k] == 'a' ||
			    n.text.p[k] == 'Z')
				CHECK(in[at] >= 0x80 || in[at] == n.text.p[k]);
			if (n.text.p[k] == '\n')
				CHECK(in[at] == '\n' || in[at] == '\r');
		}
		CHECK(memchr(n.text.p, '\r', n.text.len) == NULL);
		CHECK(strstr((char *)n.text.p, "  ") == NULL);
		CHECK(strstr((char *)n.text.p, " \n") == NULL);
		CHECK(strstr((char *)n.text.p, "\n ") == NULL);
		CHECK(strstr((char *)n.text.p, "\n\n") == NULL);
	}
	dlp_norm_fini(&n);
}

/*
 * The vector fast path, at every width the CPU has, against the scalar
 * rules: texts that are mostly ASCII words and single spaces (so whole
 * blocks are taken), or lines of any length up to 80 or 40 (so a block holds
 * none to several line breaks), with every kind of byte the scalar
 * rules handle dropped in at random places, including right at and
 * around block edges, and empty lines between paragraphs (CR LF CR LF,
 * LF LF: the block loops take them). Text and every offset must be the
 * same.
 */
TEST(vector_equals_scalar)
{
	static const char *pieces[] = {"word", "SECRET", "a", " ", " ", " ",
	    "  ", "\t", "\r\n", "\n", "\r", " \r\n ", "\xc2\xa0",
	    "\xe2\x80\x93", "\xe2\x80\x8b", "\xc2\xad", "\xef\xbc\xa1",
	    "\xd0\x85", "\xd0\x9f", "\xc3\xa9", "\xff", "\xe2", "\x7f", "\x01",
	    "\xf0\x9f\x98\x80", "-", "\xe3\x80\x80", "0123456789",
	    "end.\r\nNext", "end.\nNext", "x\r\n\r\ny", "x\r\n y",
	    "x\n\xc2\xa0y", "x\r\n", "x\n\ny", "\r\n\r\n", "\n\n",
	    "\r\n\r\n\r\n", "\n\n "};
	struct dlp_norm v, s;
	uint8_t in[4096];
	size_t len, k, round;
	uint32_t seed = 777, x = 2463534242u;
	unsigned simd;

	dlp_norm_init(&v, &test_mem);
	dlp_norm_init(&s, &test_mem);
	for (round = 0; round < 6000; round++) {
		unsigned special = 2 + round % 9; /* rarer or denser */
		bool lines = round % 2 == 1;

		len = 0;
		while (len < sizeof(in) - 96) {
			const char *p;

			seed = seed * 1103515245u + 12345u;
			if ((seed >> 16) % 400 == 0)
				break;
			if (lines) {
				/* Lines of 1 to 80 (or 40, or all of one
				 * length), so that blocks hold none to
				 * several line breaks
				 * (xorshift: the generator's low bits repeat
				 * too soon for runs of short lines). */
				x ^= x << 13;
				x ^= x >> 17;
				x ^= x << 5;
				k = round % 8 == 3
				        ? 1 + round / 8 % 80
				        : 1 + x % (round % 4 == 1 ? 40 : 80);
				memset(in + len, 'x', k);
				for (size_t j = 5; j < k; j += 6)
					in[len + j] = ' ';
				len += k;
				p = round % 8 == 3 ? "\r\n"
				    : (x >> 8) % (4 * special) == 0
				        ? pieces[(x >> 16) % DLP_NITEMS(pieces)]
				    : (x >> 24) % 4 == 0 ? "\n"
				                         : "\r\n";
			} else if ((seed >> 8) % special == 0) {
				p = pieces[(seed >> 12) % DLP_NITEMS(pieces)];
			} else {
				p = (seed >> 20) % 2 ? "word " : "SECRET ";
			}
			memcpy(in + len, p, strlen(p));
			len += strlen(p);
		}
		CHECK(dlp_normalise_scalar(&s, in, len));
		/* Every vector width this CPU has, and the default, each
		 * in a fresh state (a reused one holds the segments of the
		 * width before, which would hide a missing one). */
		for (simd = DLP_NORM_SSE2; simd <= dlp_norm_simd_max() + 1u;
		     simd++) {
			dlp_norm_fini(&v);
			dlp_norm_init(&v, &test_mem);
			if (simd <= dlp_norm_simd_max())
				CHECK(dlp_normalise_simd(
				    &v, in, len, (enum dlp_norm_simd)simd));
			else
				CHECK(dlp_normalise(&v, in, len));
			CHECK_MEM((const char *)v.text.p, v.text.len,
			    (const char *)s.text.p, s.text.len,
			    "vector vs scalar");
			for (k = 0; k <= v.text.len && k <= s.text.len; k++)
				if (dlp_norm_offset(&v, k) !=
				    dlp_norm_offset(&s, k)) {
					CHECK_MSG(false,
					    "round %zu, width %u: offset %zu: "
					    "%zu != %zu",
					    round, simd, k,
					    dlp_norm_offset(&v, k),
					    dlp_norm_offset(&s, k));
					break;
				}
		}
	}
	dlp_norm_fini(&v);
	dlp_norm_fini(&s);
	CHECK_INT(test_live(), 0);
}

/* Reuse: a long text, then a short one, then a long one again. */
TEST(reuse)
{
	struct dlp_norm n;
	struct dlp_buf big;
	size_t i;

	dlp_norm_init(&n, &test_mem);
	dlp_buf_init(&big, &test_mem);
	for (i = 0; i < 10000; i++)
		CHECK(dlp_buf_puts(&big, "TOP\xc2\xa0SECRET "));
	CHECK(dlp_normalise(&n, big.p, big.len));
	CHECK_INT(n.text.len, 10000 * 11);
	CHECK(dlp_normalise(&n, (const uint8_t *)"x", 1));
	CHECK_STR((char *)n.text.p, "x");
	CHECK(dlp_normalise(&n, big.p, big.len));
	CHECK_INT(n.text.len, 10000 * 11);
	dlp_buf_fini(&big);
	dlp_norm_fini(&n);
	CHECK_INT(test_live(), 0);
}

TEST(oom)
{
	static const char *in = "TOP\xc2\xa0SECRET\r\n\xd0\x85"
	                        "ECRET";
	struct dlp_norm n;
	unsigned long k;
	bool ok = false;

	for (k = 1; k < 20; k++) {
		dlp_norm_init(&n, &test_mem);
		test_fail_after(k);
		ok = dlp_normalise(&n, (const uint8_t *)in, strlen(in));
		test_fail_after(0);
		if (ok)
			CHECK_STR((char *)n.text.p, "TOP SECRET\nSECRET");
		dlp_norm_fini(&n);
		CHECK_INT(test_live(), 0);
		if (ok)
			break;
	}
	CHECK(ok);
}

TEST_MAIN()
