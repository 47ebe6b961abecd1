/*
 * decode.c - content-transfer and header decoders: base64,
 * quoted-printable, RFC 2047 Q, uuencode (and its begin-base64
 * variant), yEnc and RFC 2047 encoded
 * words in unstructured headers.
 *
 * Trusts nothing: every decoder is lenient the way mail clients are and
 * never fails on content. Garbage is skipped (base64, uuencode) or kept
 * literally (bad QP escapes) and reported through *flags; only memory
 * exhaustion returns false. Output sizes are bounded by the input size
 * (base64 3/4, QP/Q/yEnc 1x, uuencode 3/4), checked before reserving.
 *
 * base64 has fast paths over clean runs (32 input characters to 24 bytes
 * with AVX2 when the CPU has it, checked at run time; 8 characters to 6
 * bytes through one 256-entry table) and a tolerant slow path that skips
 * line breaks and garbage, accepts missing padding and continues after
 * '=' padding (concatenated base64 bodies are common).
 *
 * Linear time: every loop advances; the encoded-word scanner remembers
 * when no "?=" is left in the input, so it never rescans.
 */
#include <string.h>
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define DLP_B64_AVX2 1
#endif

#include "charset.h"
#include "decode.h"

#define B64_BAD 0xff
#define B64_WS  0xfe
#define B64_PAD 0xfd

/* base64 alphabet values; B64_WS for whitespace, B64_PAD for '='. */
static const uint8_t b64_tab[256] = {
#define X4  B64_BAD, B64_BAD, B64_BAD, B64_BAD
#define X16 X4, X4, X4, X4
    /* 0x00 */ B64_BAD,
    B64_BAD,
    B64_BAD,
    B64_BAD,
    B64_BAD,
    B64_BAD,
    B64_BAD,
    B64_BAD,
    B64_BAD,
    B64_WS,
    B64_WS,
    B64_WS,
    B64_WS,
    B64_WS,
    B64_BAD,
    B64_BAD,
    /* 0x10 */ X16,
    /* 0x20 */ B64_WS,
    B64_BAD,
    B64_BAD,
    B64_BAD,
    B64_BAD,
    B64_BAD,
    B64_BAD,
    B64_BAD,
    B64_BAD,
    B64_BAD,
    B64_BAD,
    62,
    B64_BAD,
    B64_BAD,
    B64_BAD,
    63,
    /* 0x30 */ 52,
    53,
    54,
    55,
    56,
    57,
    58,
    59,
    60,
    61,
    B64_BAD,
    B64_BAD,
    B64_BAD,
    B64_PAD,
    B64_BAD,
    B64_BAD,
    /* 0x40 */ B64_BAD,
    0,
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
    9,
    10,
    11,
    12,
    13,
    14,
    /* 0x50 */ 15,
    16,
    17,
    18,
    19,
    20,
    21,
    22,
    23,
    24,
    25,
    B64_BAD,
    B64_BAD,
    B64_BAD,
    B64_BAD,
    B64_BAD,
    /* 0x60 */ B64_BAD,
    26,
    27,
    28,
    29,
    30,
    31,
    32,
    33,
    34,
    35,
    36,
    37,
    38,
    39,
    40,
    /* 0x70 */ 41,
    42,
    43,
    44,
    45,
    46,
    47,
    48,
    49,
    50,
    51,
    B64_BAD,
    B64_BAD,
    B64_BAD,
    B64_BAD,
    B64_BAD,
    /* 0x80 */ X16,
    X16,
    X16,
    X16,
    X16,
    X16,
    X16,
    X16,
#undef X16
#undef X4
};

static const int8_t hex_tab[256] = {
    ['0'] = 1,
    ['1'] = 2,
    ['2'] = 3,
    ['3'] = 4,
    ['4'] = 5,
    ['5'] = 6,
    ['6'] = 7,
    ['7'] = 8,
    ['8'] = 9,
    ['9'] = 10,
    ['A'] = 11,
    ['B'] = 12,
    ['C'] = 13,
    ['D'] = 14,
    ['E'] = 15,
    ['F'] = 16,
    ['a'] = 11,
    ['b'] = 12,
    ['c'] = 13,
    ['d'] = 14,
    ['e'] = 15,
    ['f'] = 16,
};
/* hex_tab holds value + 1 so that 0 means "not a hex digit". */

/*
 * Store the low 48 bits of x big-endian at o. On little-endian machines
 * one 8-byte store (the caller reserved 2 bytes of slack; they are
 * overwritten by later output or lie beyond len).
 */
static inline void
put48(uint8_t *o, uint64_t x)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	x = __builtin_bswap64(x << 16);
	memcpy(o, &x, 8);
#else
	o[0] = (uint8_t)(x >> 40);
	o[1] = (uint8_t)(x >> 32);
	o[2] = (uint8_t)(x >> 24);
	o[3] = (uint8_t)(x >> 16);
	o[4] = (uint8_t)(x >> 8);
	o[5] = (uint8_t)x;
#endif
}

static unsigned
flags_dummy(unsigned **flags, unsigned *dummy)
{
	if (*flags == NULL)
		*flags = dummy;
	return 0;
}

/*
 * The bytes of a partial group of n sextets (at '=' or at the end): two
 * sextets make one byte, three make two; one alone is a lost byte.
 */
static uint8_t *
b64_partial(uint8_t *o, uint32_t acc, unsigned n, unsigned *flags)
{
	if (n == 2) {
		*o++ = (uint8_t)(acc >> 4);
	} else if (n == 3) {
		*o++ = (uint8_t)(acc >> 10);
		*o++ = (uint8_t)(acc >> 2);
	} else if (n == 1) {
		*flags |= DLP_DEC_TRUNCATED;
	}
	return o;
}

#ifdef DLP_B64_AVX2
/*
 * AVX2: decode clean 32-character blocks from in[*pi] to o, 24 bytes a
 * block (each store writes 32: the caller reserved 8 bytes of slack),
 * skipping LF and CRLF line breaks between whole groups. Stops at the
 * first other character outside the 64 of the alphabet, or at a line
 * break inside a group, which the scalar paths then take. The character check
 * and translation are W. Mula's nibble lookups ("Base64 decoding with SIMD
 * instructions", Mula and Lemire, ACM TWEB 2018): a byte is valid when
 * the bitmasks looked up by its low and high nibble have no bit in
 * common. Returns the new output pointer.
 */
__attribute__((target("avx2"))) static uint8_t *
b64_avx2(const uint8_t *in, size_t len, size_t *pi, uint8_t *o)
{
	const __m256i lut_lo = _mm256_setr_epi8(0x15, 0x11, 0x11, 0x11, 0x11,
	    0x11, 0x11, 0x11, 0x11, 0x11, 0x13, 0x1a, 0x1b, 0x1b, 0x1b, 0x1a,
	    0x15, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x13,
	    0x1a, 0x1b, 0x1b, 0x1b, 0x1a);
	const __m256i lut_hi = _mm256_setr_epi8(0x10, 0x10, 0x01, 0x02, 0x04,
	    0x08, 0x04, 0x08, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10,
	    0x10, 0x10, 0x01, 0x02, 0x04, 0x08, 0x04, 0x08, 0x10, 0x10, 0x10,
	    0x10, 0x10, 0x10, 0x10, 0x10);
	const __m256i lut_roll =
	    _mm256_setr_epi8(0, 16, 19, 4, -65, -65, -71, -71, 0, 0, 0, 0, 0, 0,
	        0, 0, 0, 16, 19, 4, -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0);
	const __m256i m2f = _mm256_set1_epi8(0x2f);
	const __m256i pack =
	    _mm256_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1,
	        -1, 2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1);
	const __m256i perm = _mm256_setr_epi32(0, 1, 2, 4, 5, 6, 7, 7);
	size_t i = *pi;

	while (len - i >= 32) {
		__m256i s =
		    _mm256_loadu_si256((const __m256i *)(const void *)(in + i));
		__m256i hn = _mm256_and_si256(_mm256_srli_epi32(s, 4), m2f);
		__m256i lo =
		    _mm256_shuffle_epi8(lut_lo, _mm256_and_si256(s, m2f));
		__m256i hi = _mm256_shuffle_epi8(lut_hi, hn);
		__m256i roll;
		uint32_t bad;
		size_t k;

		/* Bit j set: character j is not in the alphabet. */
		bad = ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(
		    _mm256_and_si256(lo, hi), _mm256_setzero_si256()));
		roll = _mm256_shuffle_epi8(
		    lut_roll, _mm256_add_epi8(_mm256_cmpeq_epi8(s, m2f), hn));
		s = _mm256_add_epi8(s, roll);
		/* 4 sextets -> 3 bytes per 32-bit lane, then pack the lanes. */
		s = _mm256_maddubs_epi16(s, _mm256_set1_epi32(0x01400140));
		s = _mm256_madd_epi16(s, _mm256_set1_epi32(0x00011000));
		s = _mm256_shuffle_epi8(s, pack);
		s = _mm256_permutevar8x32_epi32(s, perm);
		_mm256_storeu_si256((__m256i *)(void *)o, s);
		if (bad == 0) {
			o += 24;
			i += 32;
			continue;
		}
		/*
		 * Keep the whole groups before the first other character
		 * (the bytes stored after them are overwritten later); a
		 * line break right after a whole group is skipped here,
		 * anything else goes to the scalar paths.
		 */
		k = (size_t)__builtin_ctz(bad);
		o += k / 4 * 3;
		i += k / 4 * 4;
		if (k % 4 != 0)
			break;
		if (in[i] == '\n')
			i++;
		else if (in[i] == '\r' && in[i + 1] == '\n')
			i += 2;
		else
			break;
	}
	*pi = i;
	return o;
}
#endif

bool
dlp_decode_base64(
    const uint8_t *in, size_t len, struct dlp_buf *out, unsigned *flags)
{
	size_t i = 0, need;
	uint32_t acc = 0;
	unsigned n = 0, dummy = 0, v;
	uint8_t *o;
#ifdef DLP_B64_AVX2
	bool avx2;
#endif

	flags_dummy(&flags, &dummy);
	/* 3 bytes per 4 characters, a partial group, and 8 bytes of slack
	 * for put48 and b64_avx2. */
	if (!dlp_add_ok(len / 4 * 3, 3 + 8, &need) ||
	    !dlp_buf_reserve(out, need))
		return false;
	o = out->p + out->len;
#ifdef DLP_B64_AVX2
	avx2 = __builtin_cpu_supports("avx2");
#endif
	while (i < len) {
		if (n == 0) {
			/* Fast path: whole clean groups, 32 (AVX2), 8 then 4
			 * at a time. */
#ifdef DLP_B64_AVX2
			if (avx2)
				o = b64_avx2(in, len, &i, o);
#endif
			while (i + 8 <= len) {
				uint64_t a = b64_tab[in[i]],
				         b = b64_tab[in[i + 1]],
				         c = b64_tab[in[i + 2]],
				         d = b64_tab[in[i + 3]],
				         e = b64_tab[in[i + 4]],
				         f = b64_tab[in[i + 5]],
				         g = b64_tab[in[i + 6]],
				         h = b64_tab[in[i + 7]];
				uint64_t x;
				if ((a | b | c | d | e | f | g | h) & 0x80)
					break;
				x = a << 42 | b << 36 | c << 30 | d << 24 |
				    e << 18 | f << 12 | g << 6 | h;
				put48(o, x);
				o += 6;
				i += 8;
			}
			while (i + 4 <= len) {
				uint32_t a = b64_tab[in[i]],
				         b = b64_tab[in[i + 1]],
				         c = b64_tab[in[i + 2]],
				         d = b64_tab[in[i + 3]];
				uint32_t x;
				if ((a | b | c | d) & 0x80)
					break;
				x = a << 18 | b << 12 | c << 6 | d;
				o[0] = (uint8_t)(x >> 16);
				o[1] = (uint8_t)(x >> 8);
				o[2] = (uint8_t)x;
				o += 3;
				i += 4;
			}
			if (i >= len)
				break;
		}
		/* Slow path: one character. */
		v = b64_tab[in[i++]];
		if (v < 64) {
			acc = acc << 6 | v;
			if (++n == 4) {
				o[0] = (uint8_t)(acc >> 16);
				o[1] = (uint8_t)(acc >> 8);
				o[2] = (uint8_t)acc;
				o += 3;
				n = 0;
				acc = 0;
			}
		} else if (v == B64_PAD) {
			/* End of a group; decoding goes on after it. */
			o = b64_partial(o, acc, n, flags);
			n = 0;
			acc = 0;
		} else if (v == B64_BAD) {
			*flags |= DLP_DEC_GARBAGE;
		}
	}
	/* Missing padding is fine; a lone sextet is a lost byte. */
	o = b64_partial(o, acc, n, flags);
	out->len = (size_t)(o - out->p);
	out->p[out->len] = '\0';
	return true;
}

/* QP (q == false) or RFC 2047 Q (q == true). */
static bool
decode_qp(
    const uint8_t *in, size_t len, struct dlp_buf *out, unsigned *flags, bool q)
{
	size_t i = 0, j, start;
	uint8_t *o;
	int h, l;

	if (!dlp_buf_reserve(out, len))
		return false;
	o = out->p + out->len;
	while (i < len) {
		start = i;
		if (q) {
			while (i < len && in[i] != '=' && in[i] != '_')
				i++;
		} else if (in[i] != '=') { /* =XX=XX...: no call per escape */
			const uint8_t *e = memchr(in + i, '=', len - i);
			i = e != NULL ? (size_t)(e - in) : len;
		}
		if (i > start) {
			memcpy(o, in + start, i - start);
			o += i - start;
		}
		if (i >= len)
			break;
		if (in[i] == '_') {
			*o++ = ' ';
			i++;
			continue;
		}
		/* in[i] == '=' */
		if (i + 2 < len && (h = hex_tab[in[i + 1]]) != 0 &&
		    (l = hex_tab[in[i + 2]]) != 0) {
			*o++ = (uint8_t)((h - 1) << 4 | (l - 1));
			i += 3;
			continue;
		}
		if (!q) {
			/* Soft break: '=', optional blanks, CRLF or LF. */
			j = i + 1;
			while (j < len && (in[j] == ' ' || in[j] == '\t'))
				j++;
			if (j < len && in[j] == '\n') {
				i = j + 1;
				continue;
			}
			if (j + 1 < len && in[j] == '\r' && in[j + 1] == '\n') {
				i = j + 2;
				continue;
			}
			if (j >= len) {
				i = len; /* '=' at the very end: soft break */
				continue;
			}
		}
		*flags |= i + 2 >= len ? DLP_DEC_TRUNCATED : DLP_DEC_GARBAGE;
		*o++ = '=';
		i++;
	}
	out->len = (size_t)(o - out->p);
	out->p[out->len] = '\0';
	return true;
}

bool
dlp_decode_qp(
    const uint8_t *in, size_t len, struct dlp_buf *out, unsigned *flags)
{
	unsigned dummy = 0;

	flags_dummy(&flags, &dummy);
	return decode_qp(in, len, out, flags, false);
}

bool
dlp_decode_q(
    const uint8_t *in, size_t len, struct dlp_buf *out, unsigned *flags)
{
	unsigned dummy = 0;

	flags_dummy(&flags, &dummy);
	return decode_qp(in, len, out, flags, true);
}

/* Next line [*s, *e) from *pos; *pos moves past its line break. */
static bool
next_line(const uint8_t *in, size_t len, size_t *pos, size_t *s, size_t *e)
{
	const uint8_t *nl;

	if (*pos >= len)
		return false;
	*s = *pos;
	nl = memchr(in + *pos, '\n', len - *pos);
	*e = nl != NULL ? (size_t)(nl - in) : len;
	*pos = nl != NULL ? *e + 1 : len;
	if (*e > *s && in[*e - 1] == '\r')
		(*e)--;
	return true;
}

static bool
starts(const uint8_t *p, size_t n, const char *word)
{
	size_t k = strlen(word);

	return n >= k && memcmp(p, word, k) == 0;
}

/* Copy of p[0..n) with trailing blanks trimmed into *name (if wanted). */
static bool
take_name(const struct dlp_mem *mem, const uint8_t *p, size_t n, char **name)
{
	if (name == NULL || *name != NULL)
		return true;
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	while (n > 0 && (p[0] == ' ' || p[0] == '\t')) {
		p++;
		n--;
	}
	return (*name = dlp_strndup(mem, (const char *)p, n)) != NULL;
}

bool
dlp_decode_uu(const uint8_t *in, size_t len, struct dlp_buf *out, char **name,
    unsigned *flags)
{
	size_t pos = 0, s, e, k, i, n, body;
	unsigned dummy = 0, c[4], bflags = 0;
	bool begun = false, ended = false, b64 = false;
	uint8_t *o;

	flags_dummy(&flags, &dummy);
	if (name != NULL)
		*name = NULL;
	/* "begin <mode> <name>" (or "begin-base64 <mode> <name>"); without
	 * it, decode from the start. */
	while (next_line(in, len, &pos, &s, &e)) {
		size_t p;

		if (starts(in + s, e - s, "begin "))
			p = s + 6;
		else if (starts(in + s, e - s, "begin-base64 "))
			p = s + 13;
		else
			continue;
		/* "begin", an octal mode, a blank, the name: "begin the
		 * meeting" in a preamble is not a begin line. */
		k = p;
		while (p < e && in[p] >= '0' && in[p] <= '7')
			p++;
		if (p == k || p >= e || in[p] != ' ')
			continue;
		if (!take_name(out->mem, in + p, e - p, name))
			return false;
		begun = true;
		b64 = k == s + 13;
		break;
	}
	if (b64) {
		/* The base64 variant (POSIX uuencode -m): base64 lines up to
		 * a "====" line. */
		for (body = pos; next_line(in, len, &pos, &s, &e);) {
			if (e - s == 4 && memcmp(in + s, "====", 4) == 0) {
				ended = true;
				break;
			}
		}
		if (!dlp_decode_base64(
		        in + body, (ended ? s : len) - body, out, &bflags))
			return false;
		*flags |= bflags & DLP_DEC_TRUNCATED;
		if (!ended)
			*flags |= DLP_DEC_TRUNCATED;
		return true;
	}
	if (!begun) {
		*flags |= DLP_DEC_GARBAGE;
		pos = 0;
	}
	if (!dlp_buf_reserve(out, len))
		return false;
	o = out->p + out->len;
	while (next_line(in, len, &pos, &s, &e)) {
		if (e - s == 3 && memcmp(in + s, "end", 3) == 0) {
			ended = true;
			break;
		}
		if (e == s)
			continue;
		n = (in[s] - 0x20) & 0x3f; /* bytes on this line */
		if (n == 0)
			continue; /* the "`" line before "end" */
		/* A line never yields more than its characters carry
		 * (3 bytes per 4); a shorter line is cut, and flagged. */
		if (n > (e - s - 1) * 3 / 4) {
			n = (e - s - 1) * 3 / 4;
			*flags |= DLP_DEC_TRUNCATED;
		}
		for (i = s + 1, k = 0; k < n; i += 4) {
			unsigned j;
			for (j = 0; j < 4; j++)
				c[j] =
				    i + j < e ? (in[i + j] - 0x20) & 0x3f : 0;
			o[0] = (uint8_t)(c[0] << 2 | c[1] >> 4);
			o[1] = (uint8_t)(c[1] << 4 | c[2] >> 2);
			o[2] = (uint8_t)(c[2] << 6 | c[3]);
			j = n - k < 3 ? (unsigned)(n - k) : 3;
			o += j;
			k += j;
			if (i >= e)
				break;
		}
	}
	if (!ended)
		*flags |= DLP_DEC_TRUNCATED;
	out->len = (size_t)(o - out->p);
	out->p[out->len] = '\0';
	return true;
}

/* Value of "key=" in a yEnc header line, as a number; false if absent. */
static bool
yenc_num(const uint8_t *p, size_t n, const char *key, uint64_t *v, int base)
{
	size_t k = strlen(key), i;
	int d;

	for (i = 0; i + k <= n; i++) {
		if ((i == 0 || p[i - 1] == ' ') && memcmp(p + i, key, k) == 0)
			break;
	}
	if (i + k > n)
		return false;
	i += k;
	*v = 0;
	if (i >= n || (d = hex_tab[p[i]]) == 0 || d - 1 >= base)
		return false;
	for (; i < n && (d = hex_tab[p[i]]) != 0 && d - 1 < base; i++) {
		if (*v > (UINT64_MAX >> 4))
			return false;
		*v = *v * (uint64_t)base + (uint64_t)(d - 1);
	}
	return true;
}

static uint32_t
crc32_update(const uint32_t *tab, uint32_t crc, const uint8_t *p, size_t n)
{
	size_t i;

	crc = ~crc;
	for (i = 0; i < n; i++)
		crc = tab[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
	return ~crc;
}

bool
dlp_decode_yenc(const uint8_t *in, size_t len, struct dlp_buf *out, char **name,
    unsigned *flags)
{
	size_t pos = 0, s, e, i, start;
	unsigned dummy = 0, k;
	uint32_t tab[256], c;
	uint64_t size = 0, v, pbegin = 0, pend = 0;
	bool in_part = false, have_size = false, have_part = false;
	uint8_t *o;

	flags_dummy(&flags, &dummy);
	if (name != NULL)
		*name = NULL;
	for (k = 0; k < 256; k++) {
		c = k;
		for (i = 0; i < 8; i++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		tab[k] = c;
	}
	if (!dlp_buf_reserve(out, len))
		return false;
	o = out->p + out->len;
	start = out->len;
	while (next_line(in, len, &pos, &s, &e)) {
		if (starts(in + s, e - s, "=ybegin ")) {
			if (in_part)
				*flags |= DLP_DEC_TRUNCATED;
			in_part = true;
			have_part = false;
			start = (size_t)(o - out->p);
			have_size = yenc_num(in + s, e - s, "size=", &size, 10);
			for (i = s; i + 6 <= e; i++) {
				if (memcmp(in + i, " name=", 6) == 0)
					break;
			}
			if (i + 6 <= e &&
			    !take_name(out->mem, in + i + 6, e - i - 6, name))
				return false;
			continue;
		}
		if (!in_part)
			continue;
		if (starts(in + s, e - s, "=ypart ")) {
			have_part =
			    yenc_num(in + s, e - s, "begin=", &pbegin, 10) &&
			    yenc_num(in + s, e - s, "end=", &pend, 10) &&
			    pend >= pbegin;
			continue;
		}
		if (starts(in + s, e - s, "=yend")) {
			size_t got = (size_t)(o - out->p) - start;
			uint64_t want = have_part ? pend - pbegin + 1 : size;
			if (yenc_num(in + s, e - s, "size=", &v, 10))
				want = v, have_size = true;
			if (have_size && want != got)
				*flags |= DLP_DEC_BADCHECK;
			if ((have_part &&
			        yenc_num(in + s, e - s, "pcrc32=", &v, 16)) ||
			    (!have_part &&
			        yenc_num(in + s, e - s, "crc32=", &v, 16))) {
				if (crc32_update(tab, 0, out->p + start, got) !=
				    (uint32_t)v)
					*flags |= DLP_DEC_BADCHECK;
			}
			in_part = false;
			continue;
		}
		for (i = s; i < e; i++) {
			if (in[i] == '=') {
				if (++i >= e)
					break; /* escape cut by a line end */
				*o++ = (uint8_t)(in[i] - 64 - 42);
			} else {
				*o++ = (uint8_t)(in[i] - 42);
			}
		}
	}
	if (in_part)
		*flags |= DLP_DEC_TRUNCATED;
	out->len = (size_t)(o - out->p);
	out->p[out->len] = '\0';
	return true;
}

/*
 * RFC 2047 encoded words in an unstructured header.
 */

struct ew {
	size_t start, end; /* the whole "=?...?=" */
	size_t cs, cslen;  /* charset (RFC 2231 "*lang" cut off) */
	size_t text, textlen;
	char enc; /* 'B' or 'Q' */
};

/* Parse an encoded word at in[i] ("=?"); false if it is not one. */
static bool
ew_parse(const uint8_t *in, size_t len, size_t i, struct ew *w, bool *no_end)
{
	size_t p = i + 2, q;
	const uint8_t *t;

	w->start = i;
	w->cs = p;
	while (p < len && in[p] != '?' && in[p] != ' ' && in[p] != '\t' &&
	       in[p] != '\r' && in[p] != '\n' && p - w->cs < 64)
		p++;
	if (p >= len || in[p] != '?' || p == w->cs)
		return false;
	w->cslen = p - w->cs;
	for (q = w->cs; q < p; q++) {
		if (in[q] == '*') {
			w->cslen = q - w->cs;
			break;
		}
	}
	if (p + 2 >= len || in[p + 2] != '?')
		return false;
	w->enc = (char)(in[p + 1] & ~0x20);
	if (w->enc != 'B' && w->enc != 'Q')
		return false;
	w->text = p + 3;
	/* The first "?=" after the text start ends the word. */
	for (q = w->text;; q = (size_t)(t - in) + 1) {
		t = q < len ? memchr(in + q, '?', len - q) : NULL;
		if (t == NULL) {
			*no_end = true;
			return false;
		}
		if ((size_t)(t - in) + 1 < len && t[1] == '=')
			break;
	}
	w->textlen = (size_t)(t - in) - w->text;
	w->end = (size_t)(t - in) + 2;
	return true;
}

/* Text outside encoded words: UTF-8 if valid, else Windows-1252. */
static bool
put_raw(struct dlp_charset *cs, const uint8_t *p, size_t n, struct dlp_buf *out)
{
	if (n == 0)
		return true;
	if (dlp_utf8_valid(p, n))
		return dlp_buf_append(out, p, n);
	return dlp_charset_to_utf8(cs, "windows-1252", p, n, out, NULL);
}

/* Convert the pending bytes of adjacent same-charset words. */
static bool
flush_words(struct dlp_charset *cs, const char *charset, struct dlp_buf *bytes,
    struct dlp_buf *out, unsigned *flags)
{
	unsigned cf = 0;

	if (bytes->len == 0)
		return true;
	if (!dlp_charset_to_utf8(cs, charset, bytes->p, bytes->len, out, &cf))
		return false;
	if (cf & DLP_CS_UNKNOWN)
		*flags |= DLP_DEC_UNKNOWN_CHARSET;
	if (cf & DLP_CS_INVALID)
		*flags |= DLP_DEC_GARBAGE;
	dlp_buf_reset(bytes);
	return true;
}

bool
dlp_decode_header_cs(struct dlp_charset *cs, const uint8_t *in, size_t len,
    struct dlp_buf *out, unsigned *flags)
{
	struct dlp_buf bytes;
	char charset[65] = "", wcs[65];
	size_t i = 0, lit = 0, gap;
	unsigned dummy = 0;
	bool no_end = false, ok = false, pending = false, adjacent;
	struct ew w;
	const uint8_t *q;

	flags_dummy(&flags, &dummy);
	dlp_buf_init(&bytes, out->mem);
	while (i < len && !no_end) {
		q = memchr(in + i, '=', len - i);
		if (q == NULL)
			break;
		i = (size_t)(q - in);
		if (i + 1 >= len || in[i + 1] != '?' ||
		    !ew_parse(in, len, i, &w, &no_end)) {
			i++;
			continue;
		}
		memcpy(wcs, in + w.cs, w.cslen);
		wcs[w.cslen] = '\0';
		/* Blanks between adjacent encoded words are dropped. */
		for (gap = lit; gap < w.start; gap++) {
			uint8_t c = in[gap];
			if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
				break;
		}
		adjacent = pending && gap == w.start;
		if (!adjacent || dlp_strcasecmp(charset, wcs) != 0) {
			if (!flush_words(cs, charset, &bytes, out, flags))
				goto out;
			memcpy(charset, wcs, w.cslen + 1);
		}
		if (!adjacent && !put_raw(cs, in + lit, w.start - lit, out))
			goto out;
		if (w.enc == 'B') {
			if (!dlp_decode_base64(
			        in + w.text, w.textlen, &bytes, flags))
				goto out;
		} else if (!dlp_decode_q(
		               in + w.text, w.textlen, &bytes, flags)) {
			goto out;
		}
		pending = true;
		i = lit = w.end;
	}
	if (!flush_words(cs, charset, &bytes, out, flags))
		goto out;
	if (!put_raw(cs, in + lit, len - lit, out))
		goto out;
	ok = true;
out:
	dlp_buf_fini(&bytes);
	return ok;
}

static bool
has_ew_start(const uint8_t *in, size_t len)
{
	const uint8_t *q;
	size_t i = 0;

	while (i < len && (q = memchr(in + i, '=', len - i)) != NULL) {
		i = (size_t)(q - in) + 1;
		if (i < len && in[i] == '?')
			return true;
	}
	return false;
}

bool
dlp_decode_header(const struct dlp_mem *mem, const uint8_t *in, size_t len,
    struct dlp_buf *out, unsigned *flags)
{
	struct dlp_charset *cs = NULL;
	bool ok;

	/* Plain ASCII/UTF-8 without encoded words needs no converter. */
	if (!has_ew_start(in, len) && dlp_utf8_valid(in, len))
		return dlp_buf_append(out, in, len);
	if (dlp_charset_new(mem, &cs) != DLP_OK)
		return false;
	ok = dlp_decode_header_cs(cs, in, len, out, flags);
	dlp_charset_free(cs);
	return ok;
}
