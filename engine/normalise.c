/*
 * normalise.c - the text every signature sees, with an exact offset map
 * back to the input.
 *
 * Rules, in the order they apply to each code point:
 *   - deleted: U+00AD soft hyphen, U+180E, U+200B-U+200D, U+2060, U+FEFF
 *     (they vanish without touching the blanks around them);
 *   - dashes U+2010-U+2015, U+2212, U+FE58, U+FE63, U+FF0D -> '-';
 *   - blanks: ' ', TAB, VT, FF, U+00A0, U+2000-U+200A, U+202F, U+205F,
 *     U+3000 -> ' ';
 *   - fullwidth ASCII U+FF01-U+FF5E -> ASCII;
 *   - Cyrillic and Greek letters that look like Latin ones (table
 *     below) -> the Latin letter, but only in a word that holds no other
 *     Cyrillic or Greek letter: "ЅECRET", "ТОР" (all look-alikes) and
 *     "SЕCRET" fold, real Russian or Greek words stay as they are;
 *   - CR LF, lone CR, U+0085 NEL and U+2028/U+2029 (line and paragraph
 *     separators) -> LF (of a CR LF, the LF's offset is the one kept).
 *
 * Blank handling (line structure matters: rules look at "first/last N
 * lines" and "alone on a line"): a run of blanks without a line break
 * becomes one space; a run holding line breaks becomes one line break,
 * the spaces and tabs around it dropped. So "TOP  SECRET" -> "TOP
 * SECRET", "TOP \n SECRET" -> "TOP\nSECRET", and "a\n\n\nb" -> "a\nb":
 * empty lines do not count as lines, so a plain-text body and the same
 * body in HTML (whose <p> and <br> give arbitrary empty lines) have the
 * same line numbers, and padding with empty lines cannot push a marking
 * out of the "first N lines". Leading and trailing blanks follow the
 * same rule.
 *
 * Invalid UTF-8 bytes pass through unchanged, one at a time.
 *
 * Speed: most text needs no change at all, so the offset map is kept as
 * segments (a new one only where input and output stop advancing
 * together), and with SSE2 (32 bytes a step with AVX2, 64 with AVX-512,
 * checked at run time) runs of printable ASCII with single spaces and the line
 * breaks between visible characters (LF, and CR LF made LF) are copied without
 * a branch on where the breaks fall; the scalar rules run only from the
 * first byte that needs them. dlp_normalise_scalar is the same without
 * the vector path, and the tests hold the two equal.
 *
 * Trusts nothing; output is never longer than the input, so the text
 * buffer is sized once. Linear time: the look-alike rule scans each
 * word at most twice more. Limits: input below 4 GiB (uint32 offsets).
 */
#include <string.h>

#include "normalise.h"

/* Look-alike letters: sorted by code point for binary search. */
static const struct {
	uint16_t cp;
	char latin;
} homoglyphs[] = {
    {0x0391, 'A'}, /* Greek Alpha */
    {0x0392, 'B'}, /* Beta */
    {0x0395, 'E'}, /* Epsilon */
    {0x0396, 'Z'}, /* Zeta */
    {0x0397, 'H'}, /* Eta */
    {0x0399, 'I'}, /* Iota */
    {0x039a, 'K'}, /* Kappa */
    {0x039c, 'M'}, /* Mu */
    {0x039d, 'N'}, /* Nu */
    {0x039f, 'O'}, /* Omicron */
    {0x03a1, 'P'}, /* Rho */
    {0x03a4, 'T'}, /* Tau */
    {0x03a5, 'Y'}, /* Upsilon */
    {0x03a7, 'X'}, /* Chi */
    {0x03b9, 'i'}, /* iota */
    {0x03ba, 'k'}, /* kappa */
    {0x03bd, 'v'}, /* nu */
    {0x03bf, 'o'}, /* omicron */
    {0x03c1, 'p'}, /* rho */
    {0x03c5, 'u'}, /* upsilon */
    {0x03c7, 'x'}, /* chi */
    {0x0405, 'S'}, /* Cyrillic DZE */
    {0x0406, 'I'}, /* Byelorussian-Ukrainian I */
    {0x0408, 'J'}, /* JE */
    {0x0410, 'A'}, {0x0412, 'B'}, {0x0415, 'E'}, {0x041a, 'K'}, {0x041c, 'M'},
    {0x041d, 'H'}, {0x041e, 'O'}, {0x0420, 'P'}, {0x0421, 'C'}, {0x0422, 'T'},
    {0x0425, 'X'}, {0x0430, 'a'}, {0x0435, 'e'}, {0x043e, 'o'}, {0x0440, 'p'},
    {0x0441, 'c'}, {0x0443, 'y'}, {0x0445, 'x'}, {0x0455, 's'}, /* dze */
    {0x0456, 'i'},                                              /* i */
    {0x0458, 'j'},                                              /* je */
    {0x04ae, 'Y'},                                              /* straight U */
    {0x04bb, 'h'},                                              /* shha */
    {0x0501, 'd'},                                              /* komi de */
    {0x051b, 'q'},                                              /* qa */
    {0x051d, 'w'},                                              /* we */
};

static int
homoglyph(uint32_t cp)
{
	size_t lo = 0, hi = DLP_NITEMS(homoglyphs), mid;

	if (cp < 0x0391 || cp > 0x051d)
		return 0;
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (homoglyphs[mid].cp == cp)
			return homoglyphs[mid].latin;
		if (homoglyphs[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* Greek or Cyrillic letter (the scripts the table draws from). */
static bool
foreign_letter(uint32_t cp)
{
	return (cp >= 0x0370 && cp <= 0x03ff) || (cp >= 0x0400 && cp <= 0x052f);
}

static bool
deleted(uint32_t cp)
{
	return cp == 0x00ad || cp == 0x180e || (cp >= 0x200b && cp <= 0x200d) ||
	       cp == 0x2060 || cp == 0xfeff;
}

static bool
blank(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\v' || cp == '\f' ||
	       cp == 0xa0 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x202f ||
	       cp == 0x205f || cp == 0x3000;
}

/* Decode one code point at p; returns its length, 0 if invalid. */
static size_t
u8dec(const uint8_t *p, size_t n, uint32_t *cp)
{
	uint8_t c = p[0];

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf && n >= 2 && (p[1] & 0xc0) == 0x80) {
		*cp = (uint32_t)(c & 0x1f) << 6 | (p[1] & 0x3f);
		return 2;
	}
	if (c >= 0xe0 && c <= 0xef && n >= 3 && (p[1] & 0xc0) == 0x80 &&
	    (p[2] & 0xc0) == 0x80) {
		*cp = (uint32_t)(c & 0x0f) << 12 |
		      (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
		if (*cp < 0x800 || (*cp >= 0xd800 && *cp <= 0xdfff))
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4 && n >= 4 && (p[1] & 0xc0) == 0x80 &&
	    (p[2] & 0xc0) == 0x80 && (p[3] & 0xc0) == 0x80) {
		*cp = (uint32_t)(c & 0x07) << 18 |
		      (uint32_t)(p[1] & 0x3f) << 12 |
		      (uint32_t)(p[2] & 0x3f) << 6 | (p[3] & 0x3f);
		if (*cp < 0x10000 || *cp > 0x10ffff)
			return 0;
		return 4;
	}
	return 0;
}

/* Part of a word for the look-alike rule (deleted characters are, so
 * that a zero-width space cannot split a word). */
static bool
wordish(uint32_t cp)
{
	return (cp < 0x80 && ((cp | 0x20) - 'a' < 26 || cp - '0' < 10)) ||
	       foreign_letter(cp) || deleted(cp) ||
	       (cp >= 0xff10 && cp <= 0xff5a);
}

/*
 * True when the word around in[at] holds a Greek/Cyrillic letter that is
 * not a look-alike. *wend gets the end of the word.
 */
static bool
word_has_foreign(const uint8_t *in, size_t len, size_t at, size_t *wend)
{
	size_t i = at, n;
	uint32_t cp;
	bool foreign = false;

	/* Back to the start of the word. */
	while (i > 0) {
		size_t j = i - 1;
		while (j > 0 && (in[j] & 0xc0) == 0x80 && i - j < 4)
			j--;
		if ((n = u8dec(in + j, len - j, &cp)) == 0 || j + n != i ||
		    !wordish(cp))
			break;
		if (foreign_letter(cp) && homoglyph(cp) == 0)
			foreign = true;
		i = j;
	}
	for (i = at; i < len; i += n) {
		if ((n = u8dec(in + i, len - i, &cp)) == 0 || !wordish(cp))
			break;
		if (foreign_letter(cp) && homoglyph(cp) == 0)
			foreign = true;
	}
	*wend = i;
	return foreign;
}

void
dlp_norm_init(struct dlp_norm *n, const struct dlp_mem *mem)
{
	dlp_buf_init(&n->text, mem);
	n->seg = NULL;
	n->nseg = 0;
	n->segcap = 0;
	n->inlen = 0;
}

void
dlp_norm_fini(struct dlp_norm *n)
{
	if (n == NULL)
		return;
	dlp_free(n->text.mem, n->seg);
	n->seg = NULL;
	n->nseg = n->segcap = 0;
	dlp_buf_fini(&n->text);
}

size_t
dlp_norm_offset(const struct dlp_norm *n, size_t off)
{
	size_t lo = 0, hi = n->nseg;

	if (off >= n->text.len || n->nseg == 0)
		return n->inlen;
	/* The last segment starting at or before off (seg[0].out == 0). */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (n->seg[mid].out <= off)
			lo = mid;
		else
			hi = mid;
	}
	return n->seg[lo].in + (off - n->seg[lo].out);
}

/*
 * Record that output byte o comes from input byte i. Nothing to do while
 * the two advance together; a new segment otherwise. Every new segment
 * but the first follows at least one input byte that produced no output
 * byte of its own, so segments never outnumber half the input (plus
 * one): the growth is bounded by the input size. seg_push appends;
 * seg_at, inlined, is the check done for every emitted run.
 */
static bool
seg_room(struct dlp_norm *n)
{
	struct dlp_norm_seg *s;
	size_t ncap, sz;

	if (n->nseg < n->segcap)
		return true;
	ncap = n->segcap ? n->segcap * 2 : 64;
	if (!dlp_mul_ok(ncap, sizeof(*s), &sz) ||
	    (s = dlp_realloc(n->text.mem, n->seg, sz)) == NULL)
		return false;
	n->seg = s;
	n->segcap = ncap;
	return true;
}

static bool
seg_push(struct dlp_norm *n, size_t o, size_t i)
{
	if (!seg_room(n))
		return false;
	n->seg[n->nseg++] = (struct dlp_norm_seg){(uint32_t)o, (uint32_t)i};
	return true;
}

static inline bool
seg_at(struct dlp_norm *n, size_t o, size_t i)
{
	struct dlp_norm_seg *s;

	if (n->nseg > 0) {
		s = &n->seg[n->nseg - 1];
		if (s->in + (o - s->out) == i)
			return true;
		if (s->out == o) { /* an empty segment: reuse it */
			s->in = (uint32_t)i;
			return true;
		}
	}
	return seg_push(n, o, i);
}

#if defined(__SSE2__)
#include <emmintrin.h>

/*
 * The vector fast path, entered only with nothing pending (no space held
 * back, not after a line break): copies the longest prefix of in[i..len)
 * that normalisation leaves as it is, 16 bytes at a time, and returns
 * with *ip at the first byte that needs the scalar rules: a control or
 * non-ASCII byte, or a space followed by a space or by such a byte (the
 * second load, one byte on, gives each byte's successor). A run of
 * blanks and line breaks between two visible ASCII characters is the one
 * change made here (every line ends in one, and HTML text indents). The
 * buffer has room for len bytes
 * and o <= i, so the 16-byte stores stay inside it.
 */
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define DLP_NORM_AVX2 1

/*
 * The one stop the block loops below take: the empty line between two
 * paragraphs at q (the first byte after a visible one), CR LF CR LF or
 * LF LF followed by a visible byte. Returns its length (4 or 2), or 0
 * when q holds something else. The caller has the 5 bytes in its buffer.
 */
static inline size_t
empty_line(const uint8_t *q)
{
	if (q[0] == '\r' && q[1] == '\n' && q[2] == '\r' && q[3] == '\n' &&
	    (int8_t)q[4] > ' ')
		return 4;
	if (q[0] == '\n' && q[1] == '\n' && (int8_t)q[2] > ' ')
		return 2;
	return 0;
}

/*
 * Output for the empty line of gap bytes at input offset at: one LF,
 * as the scalar rules make it (the LF of the first CR LF, a segment of
 * its own after the dropped CR), then a segment for the next paragraph
 * (one after the dropped break). The caller has room for two segments.
 */
static inline void
take_empty_line(struct dlp_norm_seg *sg, size_t *ns, uint8_t *t, size_t *op,
    size_t at, size_t gap)
{
	size_t o = *op;

	if (gap == 4)
		sg[(*ns)++] =
		    (struct dlp_norm_seg){(uint32_t)o, (uint32_t)(at + 1)};
	t[o++] = '\n';
	sg[(*ns)++] = (struct dlp_norm_seg){(uint32_t)o, (uint32_t)(at + gap)};
	*op = o;
}

/*
 * The common-block loop of vector_run below, 32 bytes a step: the same
 * tests and the same two stores, for as long as every block qualifies
 * (and the segment array has room). The empty line between paragraphs
 * is taken here too, as in the AVX-512 loop below: leaving the loop for
 * it cost more than the rest of the paragraph. (A third store, for a
 * second CR LF in the block, made every block slower than the short
 * lines it keeps in the loop.) Returns the new input offset; *op and
 * n->nseg are brought up to date.
 */
__attribute__((target("avx2,bmi"))) static size_t
blocks_avx2(struct dlp_norm *n, const uint8_t *in, size_t len, size_t i,
    size_t *op, size_t steps)
{
	const __m256i spc = _mm256_set1_epi8(' ');
	const __m256i lf = _mm256_set1_epi8('\n'), cr = _mm256_set1_epi8('\r');
	struct dlp_norm_seg *sg = n->seg;
	uint8_t *t = n->text.p;
	/* n's fields in locals: a store through t could change them, as far
	 * as the compiler knows, so each step would read them again. */
	size_t o = *op, ns = n->nseg, segcap = n->segcap, k, d, p, gap, last;
	unsigned crl, good;

	if (len - i < 66 || steps == 0)
		return i;
	last = len - 66; /* the last block start, with its look-ahead */
	if (steps <= (last - i) / 32)
		last = i + 32 * (steps - 1);
	while (i <= last && segcap - ns >= 3) {
		__m256i v = _mm256_loadu_si256((const __m256i *)(in + i));
		__m256i w = _mm256_loadu_si256((const __m256i *)(in + i + 1));
		__m256i w2 = _mm256_loadu_si256((const __m256i *)(in + i + 2));
		__m256i c =
		    _mm256_and_si256(_mm256_and_si256(_mm256_cmpeq_epi8(v, cr),
		                         _mm256_cmpeq_epi8(w, lf)),
		        _mm256_cmpgt_epi8(w2, spc));
		__m256i g = _mm256_or_si256(
		    _mm256_or_si256(_mm256_cmpgt_epi8(v, spc), c),
		    _mm256_and_si256(_mm256_cmpgt_epi8(w, spc),
		        _mm256_or_si256(_mm256_cmpeq_epi8(v, spc),
		            _mm256_cmpeq_epi8(v, lf))));

		crl = (unsigned)_mm256_movemask_epi8(c);
		good = (unsigned)_mm256_movemask_epi8(g);
		p = 32;
		gap = 0;
		if (~good != 0) {
			/* The empty line, as in blocks_avx512 (the bytes
			 * looked at are inside len: len - i >= 66). */
			p = (size_t)_tzcnt_u32(~good);
			if (p == 0)
				break;
			if ((gap = empty_line(in + i + p)) == 0)
				break;
			crl &= (1u << p) - 1;
		}
		if ((crl & (crl - 1)) != 0)
			break;
		k = (size_t)_tzcnt_u32(crl);
		d = crl != 0;
		_mm256_storeu_si256((__m256i *)(t + o), v);
		_mm256_storeu_si256((__m256i *)(t + o + k),
		    _mm256_loadu_si256((const __m256i *)(in + i + k + 1)));
		sg[ns] = (struct dlp_norm_seg){
		    (uint32_t)(o + k), (uint32_t)(i + k + 1)};
		ns += d;
		o += p - d;
		if (gap == 0) {
			i += 32;
			continue;
		}
		take_empty_line(sg, &ns, t, &o, i + p, gap);
		i += p + gap;
	}
	n->nseg = ns;
	*op = o;
	return i;
}

/*
 * The same block loop 64 bytes a step with AVX-512 (BW and VBMI2): the
 * same tests on mask registers, up to two CR LF line breaks a block
 * (a line is about one block long), their CRs taken out by one
 * compress. Each CR starts a segment at its LF; both entries are
 * written every time and kept as far as there were CRs. The empty line
 * between paragraphs is taken here too (see below), so plain text stays
 * in this loop from one paragraph to the next.
 */
__attribute__((target("avx512f,avx512bw,avx512vbmi2,bmi,popcnt"))) static size_t
blocks_avx512(
    struct dlp_norm *n, const uint8_t *in, size_t len, size_t i, size_t *op)
{
	const __m512i spc = _mm512_set1_epi8(' ');
	const __m512i lf = _mm512_set1_epi8('\n'), cr = _mm512_set1_epi8('\r');
	struct dlp_norm_seg *sg = n->seg;
	uint8_t *t = n->text.p;
	size_t o = *op, ns = n->nseg, segcap = n->segcap, k1, k2, d;
	uint64_t crl, good;

	while (len - i >= 130 && segcap - ns >= 4) {
		__m512i v = _mm512_loadu_si512((const void *)(in + i));
		__m512i w = _mm512_loadu_si512((const void *)(in + i + 1));
		__m512i w2 = _mm512_loadu_si512((const void *)(in + i + 2));
		size_t p = 64, gap = 0;
		uint64_t keep = ~0ull; /* the bytes of the block taken */

		crl = _mm512_cmpeq_epi8_mask(v, cr) &
		      _mm512_cmpeq_epi8_mask(w, lf) &
		      _mm512_cmpgt_epi8_mask(w2, spc);
		good = _mm512_cmpgt_epi8_mask(v, spc) | crl |
		       (_mm512_cmpgt_epi8_mask(w, spc) &
		           (_mm512_cmpeq_epi8_mask(v, spc) |
		               _mm512_cmpeq_epi8_mask(v, lf)));
		if (~good != 0) {
			/*
			 * The one stop taken here: the empty line between
			 * two paragraphs, CR LF CR LF (or LF LF) with a
			 * visible byte before and after, the first break
			 * kept as one LF (the scalar rules keep the LF of
			 * the first CR LF). The block is taken up to it.
			 */
			p = (size_t)_tzcnt_u64(~good);
			if (p == 0 || p > 59)
				break;
			if ((gap = empty_line(in + i + p)) == 0)
				break;
			keep = (1ull << p) - 1;
			crl &= keep;
		}
		d = (size_t)__builtin_popcountll(crl);
		if (d > 2)
			break;
		_mm512_storeu_si512((void *)(t + o),
		    _mm512_maskz_compress_epi8(~crl & keep, v));
		k1 = (size_t)_tzcnt_u64(crl);
		k2 = (size_t)_tzcnt_u64(crl & (crl - 1));
		sg[ns] = (struct dlp_norm_seg){
		    (uint32_t)(o + k1), (uint32_t)(i + k1 + 1)};
		sg[ns + 1] = (struct dlp_norm_seg){
		    (uint32_t)(o + k2 - 1), (uint32_t)(i + k2 + 1)};
		ns += d;
		o += p - d;
		if (gap == 0) {
			i += 64;
			continue;
		}
		take_empty_line(sg, &ns, t, &o, i + p, gap);
		i += p + gap;
	}
	n->nseg = ns;
	*op = o;
	return i;
}
#endif

static bool
vector_run(struct dlp_norm *n, const uint8_t *in, size_t len, size_t *ip,
    size_t *op, enum dlp_norm_simd simd)
{
	const __m128i spc = _mm_set1_epi8(' '), lim = _mm_set1_epi8(0x21);
	const __m128i lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
	uint8_t *t = n->text.p;
	struct dlp_norm_seg *sg;
	size_t i = *ip, o = *op, e, nl, k, d, ns, steps, cap = SIZE_MAX;
	unsigned s, x, sn, xn, stop, crlf;
	bool ok = false;

	/*
	 * Each narrower loop takes only the block the wider one turned down
	 * (three line breaks in it, say), then hands back.
	 */
	if (simd >= DLP_NORM_AVX2)
		cap = 2;

	if (!seg_at(n, o, i))
		goto out;
	while (len - i >= 17) {
		__m128i v, w, w2;

		/*
		 * Most blocks: printable ASCII, single spaces, and the line
		 * breaks between visible characters that end nearly every
		 * line, taken without a branch that depends on where they
		 * fall. A LF followed by a visible byte stays, and so does
		 * the LF of one CR LF followed by one, whose CR is dropped
		 * (the byte before either is visible: a blank or a line
		 * break there is a stop of its own). A second store, from
		 * the byte after the CR, moves the rest of the block into
		 * place; the LF starts a segment, whose entry is written
		 * every time and kept only when there was a CR. The input
		 * always advances 16 bytes, so no load waits for the block
		 * before it, and the segment count stays in a register.
		 */
#ifdef DLP_NORM_AVX2
		if (simd >= DLP_NORM_AVX512)
			i = blocks_avx512(n, in, len, i, &o);
		if (simd >= DLP_NORM_AVX2)
			i = blocks_avx2(n, in, len, i, &o,
			    simd >= DLP_NORM_AVX512 ? 2 : SIZE_MAX);
#endif
		for (sg = n->seg, ns = n->nseg, steps = 0;
		     len - i >= 34 && steps < cap; i += 16, steps++) {
			__m128i good, crl;

			v = _mm_loadu_si128((const __m128i *)(in + i));
			w = _mm_loadu_si128((const __m128i *)(in + i + 1));
			w2 = _mm_loadu_si128((const __m128i *)(in + i + 2));
			/* Visible: 0x21-0x7f (a signed compare). A blank or
			 * a LF followed by one is fine as well, and so is a
			 * CR followed by LF and one. */
			good = _mm_cmpgt_epi8(w, spc);
			crl = _mm_and_si128(_mm_and_si128(_mm_cmpeq_epi8(v, cr),
			                        _mm_cmpeq_epi8(w, lf)),
			    _mm_cmpgt_epi8(w2, spc));
			good = _mm_or_si128(
			    _mm_or_si128(_mm_cmpgt_epi8(v, spc), crl),
			    _mm_and_si128(
			        good, _mm_or_si128(_mm_cmpeq_epi8(v, spc),
			                  _mm_cmpeq_epi8(v, lf))));
			crlf = (unsigned)_mm_movemask_epi8(crl);
			if ((unsigned)_mm_movemask_epi8(good) != 0xffff ||
			    (crlf & (crlf - 1)) != 0 || ns == n->segcap)
				break;
			k = crlf ? (size_t)__builtin_ctz(crlf) : 16;
			d = crlf != 0;
			_mm_storeu_si128((__m128i *)(t + o), v);
			_mm_storeu_si128((__m128i *)(t + o + k),
			    _mm_loadu_si128((const __m128i *)(in + i + k + 1)));
			sg[ns] = (struct dlp_norm_seg){
			    (uint32_t)(o + k), (uint32_t)(i + k + 1)};
			ns += d;
			o += 16 - d;
		}
		n->nseg = ns;
		if (steps == cap)
			continue;
		if (len - i < 17)
			break;
		if (ns == n->segcap && !seg_room(n))
			goto out;
		v = _mm_loadu_si128((const __m128i *)(in + i));
		w = _mm_loadu_si128((const __m128i *)(in + i + 1));
		s = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, spc));
		x = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(v, lim)) & ~s;
		sn = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(w, spc));
		xn = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(w, lim));
		stop = x | (s & (sn | xn));
		_mm_storeu_si128((__m128i *)(t + o), v);
		if (stop == 0) {
			i += 16;
			o += 16;
			continue;
		}
		e = (size_t)__builtin_ctz(stop);
		i += e;
		o += e;
		/* A run of blanks and line breaks between two visible ASCII
		 * characters (the byte before is one: copied, or there on
		 * entry) becomes one space, or one line break if it holds
		 * one, as the scalar rules make it (the LF of a CR LF stands
		 * for both, as there). */
		for (e = i, nl = len; e < len; e++) {
			if (in[e] == '\r' || in[e] == '\n') {
				if (nl == len)
					nl = e;
			} else if (in[e] != ' ' && in[e] != '\t')
				break;
		}
		if (e == i || e >= len || in[e] <= ' ' || in[e] >= 0x80)
			break;
		if (nl < len && in[nl] == '\r' && in[nl + 1] == '\n')
			nl++;
		if (!seg_at(n, o, nl < len ? nl : i))
			goto out;
		t[o++] = nl < len ? '\n' : ' ';
		i = e;
		if (!seg_at(n, o, i))
			goto out;
	}
	ok = true;
out:
	*ip = i;
	*op = o;
	return ok;
}
#endif

#define EMIT(b, src)                                                           \
	do {                                                                   \
		if (!seg_at(n, o, (src)))                                      \
			return false;                                          \
		t[o++] = (uint8_t)(b);                                         \
	} while (0)

static bool
normalise(
    struct dlp_norm *n, const uint8_t *in, size_t len, enum dlp_norm_simd simd)
{
	size_t i = 0, k, o = 0, wend = 0, sp_at = 0, c;
	uint32_t cp;
	bool sp = false, fold = false, after_nl = false;
	uint8_t *t;
	int ch;

	dlp_buf_reset(&n->text);
	n->nseg = 0;
	n->inlen = len;
	if (len >= UINT32_MAX)
		return false;
	if (!dlp_buf_reserve(&n->text, len))
		return false;
	t = n->text.p;
	(void)simd;
	while (i < len) {
#if defined(__SSE2__)
		if (simd > DLP_NORM_SCALAR && !sp && !after_nl &&
		    len - i >= 17) {
			if (!vector_run(n, in, len, &i, &o, simd))
				return false;
			if (i >= len)
				break;
		}
#endif
		/* Scalar fast paths: printable ASCII, and ASCII blanks. */
		ch = in[i];
		if (ch > ' ' && ch < 0x7f) {
			if (sp) {
				EMIT(' ', sp_at);
				sp = false;
			}
			after_nl = false;
			if (!seg_at(n, o, i))
				return false;
			do {
				t[o++] = in[i++];
			} while (i < len && in[i] > ' ' && in[i] < 0x7f);
			continue;
		}
		if (ch == ' ' || ch == '\t') {
			if (!sp && !after_nl) {
				sp = true;
				sp_at = i;
			}
			i++;
			continue;
		}
		if ((k = u8dec(in + i, len - i, &cp)) == 0) {
			cp = 0x110000; /* invalid byte: copied as is */
			k = 1;
		}
		if (cp == '\r' || cp == '\n' || cp == 0x85 || cp == 0x2028 ||
		    cp == 0x2029) {
			/* Spaces before a line break are dropped. */
			if (cp == '\r' && i + 1 < len && in[i + 1] == '\n')
				k = 2;
			if (!after_nl) /* once per run of blanks; of a CR
			                * LF, the LF stands for both */
				EMIT('\n', cp == '\r' ? i + k - 1 : i);
			sp = false;
			after_nl = true;
			i += k;
			continue;
		}
		if (blank(cp)) {
			/* Spaces after a line break are dropped too. */
			if (!sp && !after_nl) {
				sp = true;
				sp_at = i;
			}
			i += k;
			continue;
		}
		if (deleted(cp)) {
			i += k;
			continue;
		}
		/* A visible character: a pending space goes first. */
		if (sp)
			EMIT(' ', sp_at);
		after_nl = false;
		sp = false;
		if (cp == 0x110000 || cp < 0x80) {
			EMIT(in[i], i);
			i += k;
			continue;
		}
		ch = 0;
		if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 ||
		    cp == 0xfe58 || cp == 0xfe63 || cp == 0xff0d)
			ch = '-';
		else if (cp >= 0xff01 && cp <= 0xff5e)
			ch = (int)(cp - 0xfee0);
		else if (homoglyph(cp) != 0) {
			if (i >= wend)
				fold = !word_has_foreign(in, len, i, &wend);
			if (fold)
				ch = homoglyph(cp);
		}
		if (ch != 0)
			EMIT(ch, i);
		else
			for (c = 0; c < k; c++)
				EMIT(in[i + c], i + c);
		i += k;
	}
	if (sp) /* trailing blanks: one space, as inside the text */
		EMIT(' ', sp_at);
	n->text.len = o;
	t[o] = '\0';
	return true;
}

#undef EMIT

enum dlp_norm_simd
dlp_norm_simd_max(void)
{
#ifdef DLP_NORM_AVX2
	/* Every feature the block loops are built for: both use TZCNT
	 * (BMI1, whose zero case they rely on), which a CPU or a virtual
	 * machine may lack beside AVX2. */
	if (__builtin_cpu_supports("avx512f") &&
	    __builtin_cpu_supports("avx512bw") &&
	    __builtin_cpu_supports("avx512vbmi2") &&
	    __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") &&
	    __builtin_cpu_supports("popcnt"))
		return DLP_NORM_AVX512;
	if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi"))
		return DLP_NORM_AVX2;
#endif
#if defined(__SSE2__)
	return DLP_NORM_SSE2;
#else
	return DLP_NORM_SCALAR;
#endif
}

bool
dlp_normalise(struct dlp_norm *n, const uint8_t *in, size_t len)
{
	return normalise(n, in, len, dlp_norm_simd_max());
}

bool
dlp_normalise_simd(
    struct dlp_norm *n, const uint8_t *in, size_t len, enum dlp_norm_simd simd)
{
	enum dlp_norm_simd max = dlp_norm_simd_max();

	return normalise(n, in, len, simd < max ? simd : max);
}

bool
dlp_normalise_scalar(struct dlp_norm *n, const uint8_t *in, size_t len)
{
	return normalise(n, in, len, DLP_NORM_SCALAR);
}
