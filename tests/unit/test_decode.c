/*
 * test_decode.c - base64, quoted-printable, Q, uuencode, yEnc and RFC
 * 2047 header decoding: valid, garbage and truncated input, flags, OOM.
 */
#include "decode.h"
#include "test.h"

typedef bool (*dec_fn)(const uint8_t *, size_t, struct dlp_buf *, unsigned *);

struct dec_case {
	const char *name;
	const char *in;
	const char *want;
	size_t wantlen; /* 0 = strlen(want) */
	unsigned flags;
};

static void
run_cases(dec_fn fn, const struct dec_case *c, size_t n)
{
	struct dlp_buf b;
	unsigned flags;
	size_t i, wl;

	for (i = 0; i < n; i++) {
		dlp_buf_init(&b, &test_mem);
		flags = 0;
		CHECK(
		    fn((const uint8_t *)c[i].in, strlen(c[i].in), &b, &flags));
		wl = c[i].wantlen ? c[i].wantlen : strlen(c[i].want);
		CHECK_MEM(b.p ? (const char *)b.p : "", b.len, c[i].want, wl,
		    c[i].name);
		CHECK_MSG(flags == c[i].flags, "%s: flags %#x, want %#x",
		    c[i].name, flags, c[i].flags);
		dlp_buf_fini(&b);
	}
	CHECK_INT(test_live(), 0);
}

static const struct dec_case b64_cases[] = {
    {"plain", "U0VDUkVU", "SECRET", 0, 0},
    {"padding2", "U0VDUkVUUw==", "SECRETS", 0, 0},
    {"padding1", "U0VDUkVUUzE=", "SECRETS1", 0, 0},
    {"no padding", "U0VDUkVUUw", "SECRETS", 0, 0},
    {"crlf lines", "U0VD\r\nUkVU\r\n", "SECRET", 0, 0},
    {"spaces", " U 0 V D U k V U ", "SECRET", 0, 0},
    {"garbage", "U0V*DUk!VU", "SECRET", 0, DLP_DEC_GARBAGE},
    {"concatenated", "VE9Q==U0VDUkVU", "TOPSECRET", 0, 0},
    {"pad then more", "VE9QIA==\r\nU0VDUkVU", "TOP SECRET", 0, 0},
    {"truncated sextet", "U0VDUkVUU", "SECRET", 0, DLP_DEC_TRUNCATED},
    {"empty", "", "", 0, 0},
    {"only garbage", "***", "", 0, DLP_DEC_GARBAGE},
    {"binary", "AAEC/w==", "\x00\x01\x02\xff", 4, 0},
    {"long clean", "VE9QIFNFQ1JFVCBUT1AgU0VDUkVUIFRPUCBTRUNSRVQ=",
        "TOP SECRET TOP SECRET TOP SECRET", 0, 0},
    {"url alphabet is garbage", "U0VD-_UkVU", "SECRET", 0, DLP_DEC_GARBAGE},
};

TEST(base64)
{
	run_cases(dlp_decode_base64, b64_cases, DLP_NITEMS(b64_cases));
}

/* The fast and the slow path agree on every split into lines. */
TEST(base64_line_lengths)
{
	static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklm"
	                            "nopqrstuvwxyz0123456789+/";
	struct dlp_buf b, w;
	char enc[512], lined[1300];
	uint8_t raw[300];
	size_t i, n, step, k, o;
	uint32_t x;

	for (i = 0; i < sizeof(raw); i++)
		raw[i] = (uint8_t)(i * 37 + 11);
	for (i = 0, n = 0; i + 3 <= sizeof(raw); i += 3) {
		x = (uint32_t)raw[i] << 16 | (uint32_t)raw[i + 1] << 8 |
		    raw[i + 2];
		enc[n++] = alpha[x >> 18];
		enc[n++] = alpha[(x >> 12) & 63];
		enc[n++] = alpha[(x >> 6) & 63];
		enc[n++] = alpha[x & 63];
	}
	for (step = 1; step <= 77; step++) {
		for (k = 0, o = 0; k < n; k++) {
			lined[o++] = enc[k];
			if ((k + 1) % step == 0) {
				lined[o++] = '\r';
				lined[o++] = '\n';
			}
		}
		dlp_buf_init(&b, &test_mem);
		dlp_buf_init(&w, &test_mem);
		CHECK(dlp_decode_base64((uint8_t *)lined, o, &b, NULL));
		CHECK_MSG(b.len == sizeof(raw) && memcmp(b.p, raw, b.len) == 0,
		    "step %zu: len %zu", step, b.len);
		dlp_buf_fini(&b);
		dlp_buf_fini(&w);
	}
}

/*
 * A one-character-at-a-time base64 reader with the decoder's rules:
 * alphabet characters accumulate, '=' ends a group (its partial bytes
 * kept, decoding goes on), white space is skipped, anything else is
 * skipped as garbage.
 */
static size_t
b64_reference(const uint8_t *in, size_t len, uint8_t *out, unsigned *flags)
{
	static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklm"
	                            "nopqrstuvwxyz0123456789+/";
	uint32_t acc = 0;
	size_t i, o = 0;
	unsigned n = 0;
	const char *q;

	*flags = 0;
	for (i = 0; i <= len; i++) {
		if (i < len && in[i] != '\0' &&
		    (q = strchr(alpha, in[i])) != NULL) {
			acc = acc << 6 | (uint32_t)(q - alpha);
			if (++n == 4) {
				out[o++] = (uint8_t)(acc >> 16);
				out[o++] = (uint8_t)(acc >> 8);
				out[o++] = (uint8_t)acc;
				n = 0;
				acc = 0;
			}
			continue;
		}
		if (i < len && in[i] != '=') {
			if (strchr(" \t\r\n\v\f", in[i]) == NULL ||
			    in[i] == '\0')
				*flags |= DLP_DEC_GARBAGE;
			continue;
		}
		if (n == 2) {
			out[o++] = (uint8_t)(acc >> 4);
		} else if (n == 3) {
			out[o++] = (uint8_t)(acc >> 10);
			out[o++] = (uint8_t)(acc >> 2);
		} else if (n == 1) {
			*flags |= DLP_DEC_TRUNCATED;
		}
		n = 0;
		acc = 0;
	}
	return o;
}

static void
b64_against_reference(
    const uint8_t *in, size_t len, const char *what, size_t a, size_t b)
{
	uint8_t want[1024];
	unsigned wflags, flags = 0;
	size_t wl;
	struct dlp_buf got;

	wl = b64_reference(in, len, want, &wflags);
	dlp_buf_init(&got, &test_mem);
	CHECK(dlp_decode_base64(in, len, &got, &flags));
	CHECK_MSG(
	    got.len == wl && memcmp(got.p, want, wl) == 0 && flags == wflags,
	    "%s %zu/%zu: len %zu want %zu, flags %#x want %#x", what, a, b,
	    got.len, wl, flags, wflags);
	dlp_buf_fini(&got);
}

/*
 * Every byte value at every offset of a long clean run (the 32-character
 * vector blocks and the 8- and 4-character paths) decodes as the
 * reference reads it.
 */
TEST(base64_every_byte_everywhere)
{
	static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklm"
	                            "nopqrstuvwxyz0123456789+/";
	uint8_t enc[200];
	size_t i, pos;
	unsigned c;

	for (i = 0; i < sizeof(enc); i++)
		enc[i] = (uint8_t)alpha[(i * 29 + 7) % 64];
	b64_against_reference(enc, sizeof(enc), "clean", 0, 0);
	for (pos = 0; pos < 70; pos++) {
		for (c = 0; c < 256; c++) {
			uint8_t save = enc[pos];

			enc[pos] = (uint8_t)c;
			b64_against_reference(enc, sizeof(enc), "byte", c, pos);
			enc[pos] = save;
		}
	}
	/* Every length, so each path ends the input at every phase. */
	for (i = 0; i <= sizeof(enc); i++)
		b64_against_reference(enc, i, "length", i, 0);
}

/* Pseudo-random mixes of alphabet, padding, line breaks and garbage. */
TEST(base64_random_against_reference)
{
	static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklm"
	                            "nopqrstuvwxyz0123456789+/";
	uint8_t enc[700];
	uint32_t r = 12345;
	size_t i, len;
	int round;

	for (round = 0; round < 2000; round++) {
		len = (size_t)round % sizeof(enc);
		for (i = 0; i < len; i++) {
			r = r * 1103515245u + 12345u;
			switch ((r >> 16) % 100) {
			case 0:
				enc[i] = '=';
				break;
			case 1:
				enc[i] = '\n';
				break;
			case 2:
				enc[i] = (uint8_t)(r >> 8);
				break;
			case 3:
				enc[i] = '\r';
				break;
			default:
				enc[i] = (uint8_t)alpha[(r >> 20) % 64];
			}
		}
		b64_against_reference(enc, len, "round", (size_t)round, len);
	}
}

static const struct dec_case qp_cases[] = {
    {"soft crlf", "SEC=\r\nRET", "SECRET", 0, 0},
    {"soft lf", "SEC=\nRET", "SECRET", 0, 0},
    {"soft with blanks", "SEC= \t\r\nRET", "SECRET", 0, 0},
    {"hex", "=53ECRET", "SECRET", 0, 0},
    {"escapes in a row", "=53=45=43=52=45=54", "SECRET", 0, 0},
    {"escape then soft break", "=53=\r\n=45=\nCRET", "SECRET", 0, 0},
    {"lower hex", "caf=c3=a9", "caf\xc3\xa9", 0, 0},
    {"hard break kept", "TOP\r\nSECRET", "TOP\r\nSECRET", 0, 0},
    {"bad escape", "a=ZZb", "a=ZZb", 0, DLP_DEC_GARBAGE},
    {"bad half", "a=4Zb", "a=4Zb", 0, DLP_DEC_GARBAGE},
    {"truncated escape", "ab=4", "ab=4", 0, DLP_DEC_TRUNCATED},
    {"trailing equals", "ab=", "ab", 0, 0},
    {"underscore stays", "a_b", "a_b", 0, 0},
    {"equals equals", "==3D", "==", 0, DLP_DEC_GARBAGE},
};

TEST(quoted_printable)
{
	run_cases(dlp_decode_qp, qp_cases, DLP_NITEMS(qp_cases));
}

static const struct dec_case q_cases[] = {
    {"underscore", "TOP_SECRET", "TOP SECRET", 0, 0},
    {"hex", "=53ECRET", "SECRET", 0, 0},
    {"utf8", "OFFICIAL=E2=80=91SENSITIVE", "OFFICIAL\xe2\x80\x91SENSITIVE", 0,
        0},
    {"bad", "a=G1", "a=G1", 0, DLP_DEC_GARBAGE},
    {"truncated", "a=4", "a=4", 0, DLP_DEC_TRUNCATED},
};

TEST(q_encoding)
{
	run_cases(dlp_decode_q, q_cases, DLP_NITEMS(q_cases));
}

struct named_case {
	const char *name;
	const char *in;
	const char *want;
	const char *file; /* NULL = none */
	unsigned flags;
};

static void
run_named(
    bool (*fn)(const uint8_t *, size_t, struct dlp_buf *, char **, unsigned *),
    const struct named_case *c, size_t n)
{
	struct dlp_buf b;
	unsigned flags;
	char *name;
	size_t i;

	for (i = 0; i < n; i++) {
		dlp_buf_init(&b, &test_mem);
		flags = 0;
		name = NULL;
		CHECK(fn((const uint8_t *)c[i].in, strlen(c[i].in), &b, &name,
		    &flags));
		CHECK_MEM(b.p ? (const char *)b.p : "", b.len, c[i].want,
		    strlen(c[i].want), c[i].name);
		if (c[i].file == NULL)
			CHECK_MSG(name == NULL, "%s: name %s", c[i].name, name);
		else
			CHECK_STR(name, c[i].file);
		CHECK_MSG(flags == c[i].flags, "%s: flags %#x, want %#x",
		    c[i].name, flags, c[i].flags);
		dlp_free(&test_mem, name);
		dlp_buf_fini(&b);
	}
	CHECK_INT(test_live(), 0);
}

/* "TOP SECRET\n" uuencoded (as uuencode(1) writes it). */
static const struct named_case uu_cases[] = {
    {"full", "begin 644 label.txt\n+5$]0(%-%0U)%5`H`\n`\nend\n", "TOP SECRET\n",
        "label.txt", 0},
    {"crlf", "begin 644 a b.txt\r\n+5$]0(%-%0U)%5`H`\r\n`\r\nend\r\n",
        "TOP SECRET\n", "a b.txt", 0},
    {"no end", "begin 600 x\n+5$]0(%-%0U)%5`H`\n", "TOP SECRET\n", "x",
        DLP_DEC_TRUNCATED},
    {"no begin", "+5$]0(%-%0U)%5`H`\nend\n", "TOP SECRET\n", NULL,
        DLP_DEC_GARBAGE},
    {"preamble",
        "hello\nbegin the meeting\nbegin 644 f\n+5$]0(%-%0U)%5`H`\nend\n",
        "TOP SECRET\n", "f", 0},
    {"short line", "begin 644 f\n(5$]0(%-%0U\nend\n", "TOP SEC", "f",
        DLP_DEC_TRUNCATED},
    /* The base64 variant (uuencode -m). */
    {"base64", "begin-base64 644 label.txt\nVE9QIFNF\nQ1JFVAo=\n====\n",
        "TOP SECRET\n", "label.txt", 0},
    {"base64 crlf", "begin-base64 644 a b\r\nVE9QIFNFQ1JFVAo=\r\n====\r\n",
        "TOP SECRET\n", "a b", 0},
    {"base64 no end", "begin-base64 600 x\nVE9QIFNFQ1JFVAo=\n", "TOP SECRET\n",
        "x", DLP_DEC_TRUNCATED},
    {"base64 stops at ====", "begin-base64 644 f\nVE9Q\n====\nU0VDUkVU\n",
        "TOP", "f", 0},
    {"base64 after a non-begin line",
        "begin-base64 the plan\nbegin-base64 644 f\nVE9Q\n====\n", "TOP", "f",
        0},
};

TEST(uuencode)
{
	run_named(dlp_decode_uu, uu_cases, DLP_NITEMS(uu_cases));
}

/* yEnc of "TOP SECRET" (crc32 0xd55dc608 computed by zlib). */
static const struct named_case yenc_cases[] = {
    {"single",
        "=ybegin line=128 size=10 name=label.txt\r\n"
        "~yzJ}om|o~\r\n=yend size=10 crc32=d55dc608\r\n",
        "TOP SECRET", "label.txt", 0},
    {"bad crc",
        "=ybegin line=128 size=10 name=x\r\n"
        "~yzJ}om|o~\r\n=yend size=10 crc32=00000001\r\n",
        "TOP SECRET", "x", DLP_DEC_BADCHECK},
    {"bad size",
        "=ybegin line=128 size=11 name=x\r\n"
        "~yzJ}om|o~\r\n=yend size=11\r\n",
        "TOP SECRET", "x", DLP_DEC_BADCHECK},
    {"no end", "=ybegin line=128 size=10 name=x\r\n~yzJ}om|o~\r\n",
        "TOP SECRET", "x", DLP_DEC_TRUNCATED},
    {"part",
        "=ybegin part=1 line=128 size=20 name=p\r\n"
        "=ypart begin=1 end=10\r\n~yzJ}om|o~\r\n"
        "=yend size=10 part=1 pcrc32=d55dc608\r\n",
        "TOP SECRET", "p", 0},
    {"escape", "=ybegin size=1 name=e\r\n=}\r\n=yend size=1\r\n", "\x13", "e",
        0},
};

TEST(yenc)
{
	run_named(dlp_decode_yenc, yenc_cases, DLP_NITEMS(yenc_cases));
}

struct hdr_case {
	const char *in;
	const char *want;
	unsigned flags;
};

static const struct hdr_case hdr_cases[] = {
    {"plain subject", "plain subject", 0},
    {"=?utf-8?q?TOP_SECRET?=", "TOP SECRET", 0},
    {"=?UTF-8?B?VE9QIFNFQ1JFVA==?=", "TOP SECRET", 0},
    {"Re: =?iso-8859-1?q?caf=E9?= now", "Re: caf\xc3\xa9 now", 0},
    {"=?utf-8?q?TOP?= =?utf-8?q?_SECRET?=", "TOP SECRET", 0},
    {"=?utf-8?q?TOP?=\r\n =?utf-8?q?SECRET?=", "TOPSECRET", 0},
    /* U+2011 split across two words, bytes joined before conversion. */
    {"=?utf-8?q?OFFICIAL=E2=80?= =?utf-8?q?=91SENSITIVE?=",
        "OFFICIAL\xe2\x80\x91SENSITIVE", 0},
    {"=?utf-8?b?T0ZGSUNJQUzi?= =?utf-8?b?gJFTRU5TSVRJVkU=?=",
        "OFFICIAL\xe2\x80\x91SENSITIVE", 0},
    {"=?UTF-8*en?Q?SECRET?=", "SECRET", 0},
    {"\"=?utf-8?q?Sm=C3=ADth?=\" <a@b>", "\"Sm\xc3\xadth\" <a@b>", 0},
    {"x=?utf-8?q?SEC?=RET", "xSECRET", 0},
    {"=?x-unknown-cs?q?caf=E9?=", "caf\xc3\xa9", DLP_DEC_UNKNOWN_CHARSET},
    {"=?utf-8?x?abc?=", "=?utf-8?x?abc?=", 0},
    {"=?utf-8?q?unterminated", "=?utf-8?q?unterminated", 0},
    {"raw caf\xe9", "raw caf\xc3\xa9", 0},
    {"=?koi8-r?b?8NLJ18XU?=",
        "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5"
        "\xd1\x82",
        0},
    {"=?iso-8859-1?q?a?= =?utf-8?q?b?=", "ab", 0},
    {"=?utf-8?q?a?= x =?utf-8?q?b?=", "a x b", 0},
    {"=?shift_jis?b?k4yLng==?=", "\xe6\x9d\xb1\xe4\xba\xac", 0},
};

TEST(header)
{
	struct dlp_buf b;
	unsigned flags;
	size_t i;

	for (i = 0; i < DLP_NITEMS(hdr_cases); i++) {
		dlp_buf_init(&b, &test_mem);
		flags = 0;
		CHECK(dlp_decode_header(&test_mem,
		    (const uint8_t *)hdr_cases[i].in, strlen(hdr_cases[i].in),
		    &b, &flags));
		CHECK_MEM(b.p ? (const char *)b.p : "", b.len,
		    hdr_cases[i].want, strlen(hdr_cases[i].want),
		    hdr_cases[i].in);
		CHECK_MSG(flags == hdr_cases[i].flags, "%s: flags %#x",
		    hdr_cases[i].in, flags);
		dlp_buf_fini(&b);
	}
	CHECK_INT(test_live(), 0);
}

/* Many "=?" without an end must stay linear (and correct). */
TEST(header_many_starts)
{
	struct dlp_buf in, b;
	size_t i;

	dlp_buf_init(&in, &test_mem);
	dlp_buf_init(&b, &test_mem);
	for (i = 0; i < 100000; i++)
		CHECK(dlp_buf_puts(&in, "=?a?q?x "));
	CHECK(dlp_decode_header(&test_mem, in.p, in.len, &b, NULL));
	CHECK_INT(b.len, in.len);
	dlp_buf_fini(&in);
	dlp_buf_fini(&b);
}

/* Random token soup: every decoder returns true, output stays bounded
 * and the header decoder's output is valid UTF-8 when charsets are. */
TEST(random_input)
{
	static const char *tok[] = {"=", "?", "=?", "?=", "utf-8", "q", "B",
	    "QUJD", "==", "\r\n", "\n", " ", "_", "=4", "=41", "=ZZ", "begin ",
	    "644 f", "end", "`", "M", "=ybegin ", "=ypart ", "=yend ",
	    "size=", "crc32=", "part=", "begin=", "end=", "1", "ff",
	    "name=", "\xff", "\xe2\x80", "koi8-r", "*en", "x"};
	struct dlp_buf in, b;
	uint32_t seed = 99;
	unsigned round, k, n, flags;
	char *name;

	dlp_buf_init(&in, &test_mem);
	dlp_buf_init(&b, &test_mem);
	for (round = 0; round < 4000; round++) {
		dlp_buf_reset(&in);
		seed = seed * 1103515245u + 12345u;
		n = (seed >> 16) % 60;
		for (k = 0; k < n; k++) {
			seed = seed * 1103515245u + 12345u;
			CHECK(dlp_buf_puts(
			    &in, tok[(seed >> 12) % DLP_NITEMS(tok)]));
		}
		dlp_buf_reset(&b);
		CHECK(dlp_decode_base64(in.p, in.len, &b, &flags));
		CHECK(b.len <= in.len / 4 * 3 + 3);
		dlp_buf_reset(&b);
		CHECK(dlp_decode_qp(in.p, in.len, &b, &flags));
		CHECK(b.len <= in.len);
		dlp_buf_reset(&b);
		CHECK(dlp_decode_q(in.p, in.len, &b, &flags));
		CHECK(b.len <= in.len);
		dlp_buf_reset(&b);
		name = NULL;
		CHECK(dlp_decode_uu(in.p, in.len, &b, &name, &flags));
		CHECK(b.len <= in.len);
		dlp_free(&test_mem, name);
		dlp_buf_reset(&b);
		name = NULL;
		CHECK(dlp_decode_yenc(in.p, in.len, &b, &name, &flags));
		CHECK(b.len <= in.len);
		dlp_free(&test_mem, name);
		dlp_buf_reset(&b);
		CHECK(dlp_decode_header(&test_mem, in.p, in.len, &b, &flags));
	}
	dlp_buf_fini(&in);
	dlp_buf_fini(&b);
	CHECK_INT(test_live(), 0);
}

/* GMime's and MimeKit's encoded files against their decoded originals. */
struct corpus_case {
	const char *enc;  /* path under the corpus */
	const char *enc2; /* a second part to append, or NULL */
	const char *orig; /* the decoded original */
	int kind;         /* 0 base64, 1 qp, 2 uu, 3 yenc */
};

static const struct corpus_case corpus_cases[] = {
    {"gmime/tests/data/encodings/photo.b64", NULL,
        "gmime/tests/data/encodings/photo.jpg", 0},
    {"gmime/tests/data/encodings/photo.uu", NULL,
        "gmime/tests/data/encodings/photo.jpg", 2},
    {"gmime/tests/data/encodings/wikipedia.qp", NULL,
        "gmime/tests/data/encodings/wikipedia.txt", 1},
    {"gmime/tests/data/mime-part/raptors.b64.txt", NULL,
        "gmime/tests/data/mime-part/raptors.png", 0},
    {"gmime/tests/data/mime-part/raptors.uu.txt", NULL,
        "gmime/tests/data/mime-part/raptors.png", 2},
    {"mimekit/UnitTests/TestData/yenc/00000020.ntx",
        "mimekit/UnitTests/TestData/yenc/00000021.ntx",
        "mimekit/UnitTests/TestData/yenc/joystick.jpg", 3},
};

static bool
decode_kind(
    int kind, const uint8_t *p, size_t n, struct dlp_buf *b, unsigned *flags)
{
	char *name = NULL;
	bool ok;

	switch (kind) {
	case 0:
		return dlp_decode_base64(p, n, b, flags);
	case 1:
		return dlp_decode_qp(p, n, b, flags);
	case 2:
		ok = dlp_decode_uu(p, n, b, &name, flags);
		break;
	default:
		ok = dlp_decode_yenc(p, n, b, &name, flags);
		break;
	}
	CHECK(name != NULL);
	dlp_free(&test_mem, name);
	return ok;
}

TEST(corpus_originals)
{
	const char *dir = test_corpus_dir();
	char path[4096];
	unsigned char *enc, *orig;
	size_t elen, olen, i;
	struct dlp_buf b;
	unsigned flags;

	if (dir == NULL)
		TEST_SKIP("no corpus");
	for (i = 0; i < DLP_NITEMS(corpus_cases); i++) {
		const struct corpus_case *c = &corpus_cases[i];
		snprintf(path, sizeof(path), "%s/%s", dir, c->orig);
		if ((orig = test_read_file(path, &olen)) == NULL) {
			printf("  missing %s\n", c->orig);
			continue;
		}
		dlp_buf_init(&b, &test_mem);
		flags = 0;
		snprintf(path, sizeof(path), "%s/%s", dir, c->enc);
		enc = test_read_file(path, &elen);
		CHECK(enc != NULL);
		if (enc != NULL) {
			/* raptors.b64.txt is a MIME part: skip its header. */
			unsigned char *body = enc;
			size_t blen = elen;
			if (c->kind == 0 && elen > 0 && enc[0] == 'C') {
				unsigned char *e = (unsigned char *)strstr(
				    (char *)enc, "\n\n");
				if (e != NULL) {
					body = e + 2;
					blen = elen - (size_t)(body - enc);
				}
			}
			CHECK(decode_kind(c->kind, body, blen, &b, &flags));
		}
		free(enc);
		if (c->enc2 != NULL) {
			snprintf(path, sizeof(path), "%s/%s", dir, c->enc2);
			enc = test_read_file(path, &elen);
			CHECK(enc != NULL);
			if (enc != NULL)
				CHECK(decode_kind(
				    c->kind, enc, elen, &b, &flags));
			free(enc);
		}
		CHECK_MSG(b.len == olen && memcmp(b.p, orig, olen) == 0,
		    "%s: %zu bytes, want %zu", c->enc, b.len, olen);
		CHECK_MSG(flags == 0, "%s: flags %#x", c->enc, flags);
		dlp_buf_fini(&b);
		free(orig);
	}
	CHECK_INT(test_live(), 0);
}

/* Every decoder: fail the n-th allocation; false and no leak. */
TEST(oom)
{
	static const char *hdr = "=?koi8-r?b?8NLJ18XU?= =?utf-8?q?a?= raw\xe9";
	struct dlp_buf b;
	unsigned long n;
	bool ok = false;
	char *name;
	int which;

	for (which = 0; which < 6; which++) {
		for (n = 1; n < 50; n++) {
			dlp_buf_init(&b, &test_mem);
			name = NULL;
			test_fail_after(n);
			switch (which) {
			case 0:
				ok = dlp_decode_base64(
				    (const uint8_t *)"U0VD", 4, &b, NULL);
				break;
			case 1:
				ok = dlp_decode_qp(
				    (const uint8_t *)"a=41", 4, &b, NULL);
				break;
			case 2:
				ok = dlp_decode_q(
				    (const uint8_t *)"a_b", 3, &b, NULL);
				break;
			case 3:
				ok = dlp_decode_uu(
				    (const uint8_t *)uu_cases[0].in,
				    strlen(uu_cases[0].in), &b, &name, NULL);
				break;
			case 4:
				ok = dlp_decode_yenc(
				    (const uint8_t *)yenc_cases[0].in,
				    strlen(yenc_cases[0].in), &b, &name, NULL);
				break;
			case 5:
				ok = dlp_decode_header(&test_mem,
				    (const uint8_t *)hdr, strlen(hdr), &b,
				    NULL);
				break;
			}
			test_fail_after(0);
			dlp_free(&test_mem, name);
			dlp_buf_fini(&b);
			CHECK_INT(test_live(), 0);
			if (ok)
				break;
		}
		CHECK_MSG(ok, "decoder %d never succeeded", which);
	}
}

TEST_MAIN()
