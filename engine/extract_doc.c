/*
 * extract_doc.c - the text of a Word 97+ WordDocument stream, for the
 * OLE2 extractor (extract_ole.c reads the streams and checks the FIB).
 *
 * The piece table (CLX in the table stream) maps character positions to
 * 8-bit (Windows-1252) or UTF-16LE pieces of the WordDocument stream.
 * Field codes (between 0x13 and 0x14) are dropped and field results kept;
 * paragraph, cell, line and page marks become newlines and tabs. Every
 * offset and count is checked against the streams, and the pieces
 * together may not exceed the stream (overlapping pieces cannot multiply
 * it). When the CLX does not check out, the caller falls back to
 * dlp_ole_word_runs(): UTF-16LE and 8-bit runs of printable characters.
 */
#include <string.h>

#include "extract_ole.h"

static unsigned
u16(const uint8_t *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t
u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

struct wtext {
	struct dlp_buf *out;
	unsigned code;  /* field nesting levels in their code part */
	unsigned depth; /* field nesting */
	uint32_t hi;    /* pending high surrogate */
};

static bool
word_char(struct wtext *w, uint32_t c)
{
	switch (c) {
	case 0x13:
		w->depth++;
		w->code++;
		return true;
	case 0x14:
		if (w->code > 0)
			w->code--;
		return true;
	case 0x15:
		if (w->depth > 0)
			w->depth--;
		if (w->code > w->depth)
			w->code = w->depth;
		return true;
	}
	if (w->code > 0)
		return true;
	if (c == 0x0d || c == 0x0b || c == 0x0c)
		return dlp_buf_putc(w->out, '\n');
	if (c == 0x07 || c == 0x09)
		return dlp_buf_putc(w->out, '\t');
	if (c == 0x1e)
		return dlp_buf_putc(w->out, '-');
	if (c < 0x20 || c == 0x1f)
		return true;
	if (c >= 0xd800 && c < 0xdc00) {
		w->hi = c;
		return true;
	}
	if (c >= 0xdc00 && c < 0xe000 && w->hi != 0) {
		c = 0x10000 + ((w->hi - 0xd800) << 10) + (c - 0xdc00);
		w->hi = 0;
	}
	return dlp_buf_put_utf8(w->out, c);
}

/* Text runs of a stream with no usable piece table. */
bool
dlp_ole_word_runs(const uint8_t *p, size_t len, struct dlp_buf *out)
{
	size_t i = 0, j;

	while (i + 1 < len) {
		/* UTF-16LE run of printable BMP characters */
		for (j = i; j + 1 < len &&
		            ((p[j] >= 0x20 || p[j] == 0x0d) && p[j + 1] == 0);
		     j += 2)
			;
		if (j - i >= 8) {
			for (; i < j; i += 2)
				if (!dlp_buf_put_utf8(
				        out, p[i] == 0x0d ? '\n' : p[i]))
					return false;
			if (!dlp_buf_putc(out, '\n'))
				return false;
			continue;
		}
		for (j = i; j < len && ((p[j] >= 0x20 && p[j] < 0x7f) ||
		                           p[j] >= 0xa0 || p[j] == 0x0d);
		     j++)
			;
		if (j - i >= 4) {
			for (; i < j; i++)
				if (!dlp_buf_put_utf8(out,
				        p[i] == 0x0d ? '\n'
				                     : dlp_ole_cp1252(p[i])))
					return false;
			if (!dlp_buf_putc(out, '\n'))
				return false;
			continue;
		}
		i = j + 1;
	}
	return true;
}

/* Piece table text; false (no error) when the CLX is unusable. */
bool
dlp_ole_word_pieces(const uint8_t *doc, size_t dlen, const uint8_t *tbl,
    size_t tlen, size_t fc, size_t lcb, struct dlp_buf *out, bool *nomem)
{
	struct wtext w = {out, 0, 0, 0};
	size_t i, n, pos, end, cp0, cp1, k, off, cnt, total = 0;
	uint32_t f;
	bool comp;

	*nomem = false;
	if (fc > tlen || lcb > tlen - fc || lcb == 0)
		return false;
	pos = fc;
	end = fc + lcb;
	while (pos < end && tbl[pos] == 0x01) { /* Prc: skip grpprl */
		if (end - pos < 3)
			return false;
		pos += 3 + u16(tbl + pos + 1);
	}
	if (pos >= end || end - pos < 5 || tbl[pos] != 0x02)
		return false;
	lcb = u32(tbl + pos + 1);
	pos += 5;
	if (lcb > end - pos || lcb < 4 || (lcb - 4) % 12 != 0)
		return false;
	n = (lcb - 4) / 12;
	for (i = 0; i < n; i++) {
		cp0 = u32(tbl + pos + 4 * i);
		cp1 = u32(tbl + pos + 4 * (i + 1));
		if (cp1 < cp0)
			return false;
		cnt = cp1 - cp0;
		f = u32(tbl + pos + 4 * (n + 1) + 8 * i + 2);
		comp = (f & 0x40000000u) != 0;
		off = comp ? (f & 0x3fffffffu) / 2 : (f & 0x3fffffffu);
		if (off > dlen || cnt > (dlen - off) / (comp ? 1 : 2))
			return false;
		/* overlapping pieces must not multiply the stream */
		if (cnt > dlen - total)
			return false;
		total += cnt;
		for (k = 0; k < cnt; k++)
			if (!word_char(&w, comp ? dlp_ole_cp1252(doc[off + k])
			                        : u16(doc + off + 2 * k))) {
				*nomem = true;
				return false;
			}
	}
	return true;
}
