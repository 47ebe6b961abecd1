/*
 * extract_xls.c - text of an Excel BIFF5/7/8 Workbook stream, for the OLE2
 * extractor (extract_ole.c reads the stream and reports the result).
 *
 * Walks the record sequence once, trusting no length: a record that runs
 * past the stream ends the walk. Cells are put in their rows (tab after
 * each cell, a line per row): LABELSST cells show their SST string (SST
 * strings are read also across CONTINUE records, where the character
 * width may change; strings no cell shows follow at the end, so none is
 * lost), LABEL, RSTRING and STRING (formula string result) cells,
 * NUMBER/RK/MULRK and cached FORMULA values (integers printed in full so
 * account and card numbers stay matchable, then as displayed with the
 * cell's FORMAT/XF number format). Also sheet names (BOUNDSHEET),
 * HEADER/FOOTER strings, text boxes (TXO), comment authors (NOTE) and
 * chart text (SERIESTEXT: series names, titles, axis titles). BIFF5/7
 * strings are 8-bit Windows-1252. A FILEPASS record (encryption) stops the
 * walk and is reported to the caller, as is a record that runs past the
 * end of the stream.
 */
#include <string.h>

#include "extract_ole.h"
#include "numfmt.h"

#define from1252 dlp_ole_cp1252

/* A cursor over a record and the CONTINUE records after it. */
struct bcur {
	const uint8_t *p;
	size_t len;      /* stream length */
	size_t pos, end; /* in the current record's payload */
	bool bad;
	bool biff5; /* BIFF5/7: 8-bit strings in the code page, no flags */
};

static bool
bcur_next(struct bcur *c)
{
	size_t rl;

	if (c->end + 4 > c->len || dlp_le16(c->p + c->end) != 0x003c)
		return false;
	rl = dlp_le16(c->p + c->end + 2);
	if (rl > c->len - c->end - 4)
		return false;
	c->pos = c->end + 4;
	c->end = c->pos + rl;
	return true;
}

static int
bcur_byte(struct bcur *c)
{
	if (c->pos >= c->end && !bcur_next(c)) {
		c->bad = true;
		return -1;
	}
	return c->p[c->pos++];
}

static void
bcur_skip(struct bcur *c, size_t n)
{
	while (n > 0 && !c->bad) {
		if (c->pos >= c->end && !bcur_next(c)) {
			c->bad = true;
			return;
		}
		if (c->end - c->pos >= n) {
			c->pos += n;
			return;
		}
		n -= c->end - c->pos;
		c->pos = c->end;
	}
}

/* XLUnicodeRichExtendedString / XLUnicodeString with cch of cchlen bytes. */
static bool
biff_string(struct bcur *c, unsigned cchlen, bool rich, struct dlp_buf *out)
{
	size_t cch, runs = 0, ext = 0, k;
	int fl, b0, b1;
	bool high;

	b0 = bcur_byte(c);
	b1 = cchlen == 2 ? bcur_byte(c) : 0;
	fl = c->biff5 ? 0 : bcur_byte(c);
	if (c->bad)
		return true;
	cch = (size_t)b0 | (size_t)b1 << 8;
	high = fl & 1;
	if (rich && (fl & 8))
		runs = (size_t)bcur_byte(c) | (size_t)bcur_byte(c) << 8;
	if (rich && (fl & 4))
		for (k = 0; k < 4; k++)
			ext |= (size_t)bcur_byte(c) << (8 * k);
	for (k = 0; k < cch && !c->bad; k++) {
		if (c->pos >= c->end) {
			if (!bcur_next(c)) {
				c->bad = true;
				break;
			}
			high = c->p[c->pos++] & 1; /* continuation flags */
		}
		if (high) {
			b0 = bcur_byte(c);
			b1 = bcur_byte(c);
			if (c->bad)
				break;
			if (!dlp_buf_put_utf8(out, (uint32_t)(b0 | b1 << 8)))
				return false;
		} else {
			b0 = bcur_byte(c);
			if (c->bad)
				break;
			if (!dlp_buf_put_utf8(out, c->biff5
			                               ? from1252((uint8_t)b0)
			                               : (uint32_t)b0))
				return false;
		}
	}
	bcur_skip(c, runs * 4);
	bcur_skip(c, ext);
	return true;
}

/* Number formats and shared strings seen so far. */
struct fmtstate {
	struct dlp_buf fmts; /* [u16 id][u16 len][code] ... */
	struct dlp_buf xfs;  /* u16 format id per XF index */
	struct dlp_buf tmp;
	struct dlp_buf sst;  /* the SST strings, UTF-8, one after another */
	struct dlp_buf soff; /* u32 start of each in sst, then the end */
	struct dlp_buf used; /* one byte per string: shown in a cell */
};

/* The SST strings no LABELSST cell showed, one a line; then forget them. */
static bool
sst_flush(struct fmtstate *fs, struct dlp_buf *out)
{
	size_t k, n = fs->soff.len / 4, a, b;

	for (k = 0; k + 1 < n; k++) {
		if (fs->used.p[k] != 0)
			continue;
		a = dlp_le32(fs->soff.p + 4 * k);
		b = dlp_le32(fs->soff.p + 4 * (k + 1));
		if (!dlp_buf_append(out, fs->sst.p + a, b - a) ||
		    !dlp_buf_putc(out, '\n'))
			return false;
	}
	dlp_buf_reset(&fs->sst);
	dlp_buf_reset(&fs->soff);
	dlp_buf_reset(&fs->used);
	return true;
}

static bool
put_off(struct dlp_buf *b, size_t v)
{
	uint8_t q[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
	    (uint8_t)(v >> 24)};

	return dlp_buf_append(b, q, 4);
}

/* End a line of cells before text that is not a cell. */
static bool
line_start(struct dlp_buf *out)
{
	return out->len == 0 || out->p[out->len - 1] == '\n' ||
	       dlp_buf_putc(out, '\n');
}

/* SST string isst as a cell's text; false only on OOM. */
static bool
sst_cell(struct fmtstate *fs, uint32_t isst, struct dlp_buf *out)
{
	size_t a, b;

	if (fs->soff.len < 8 || isst >= fs->soff.len / 4 - 1)
		return dlp_buf_putc(out, '\t');
	a = dlp_le32(fs->soff.p + 4 * (size_t)isst);
	b = dlp_le32(fs->soff.p + 4 * ((size_t)isst + 1));
	fs->used.p[isst] = 1;
	return dlp_buf_append(out, fs->sst.p + a, b - a) &&
	       dlp_buf_putc(out, '\t');
}

static bool
put_num(struct dlp_buf *out, double d, unsigned ixfe, struct fmtstate *fs)
{
	const char *code = NULL;
	size_t k, clen = 0, id, mark;

	/* integers print in full (card and account numbers stay matchable) */
	if (d > -9007199254740992.0 && d < 9007199254740992.0 &&
	    d == (double)(long long)d) {
		if (!dlp_buf_printf(out, "%lld", (long long)d))
			return false;
	} else if (!dlp_buf_printf(out, "%.15g", d)) {
		return false;
	}
	if ((size_t)ixfe * 2 + 2 <= fs->xfs.len) {
		id = (size_t)fs->xfs.p[2 * ixfe] |
		     (size_t)fs->xfs.p[2 * ixfe + 1] << 8;
		for (k = 0; k + 4 <= fs->fmts.len;
		     k += 4 + (size_t)dlp_le16(fs->fmts.p + k + 2))
			if (dlp_le16(fs->fmts.p + k) == id) {
				code = (const char *)fs->fmts.p + k + 4;
				clen = dlp_le16(fs->fmts.p + k + 2);
				break;
			}
		if (code == NULL && id != 0 &&
		    (code = dlp_numfmt_builtin((unsigned)id)) != NULL)
			clen = strlen(code);
		if (code != NULL && id != 0) {
			mark = out->len;
			if (!dlp_buf_putc(out, ' ') ||
			    !dlp_numfmt_render(code, clen, d, out))
				return false;
			if (out->len == mark + 1)
				out->len = mark;
			out->p[out->len] = '\0';
		}
	}
	return dlp_buf_putc(out, '\t');
}

static double
rk_value(uint32_t rk)
{
	double d;
	uint64_t bits;

	if (rk & 2) {
		d = (double)((int32_t)rk >> 2);
	} else {
		bits = (uint64_t)(rk & 0xfffffffcu) << 32;
		memcpy(&d, &bits, sizeof(d));
	}
	return (rk & 1) ? d / 100 : d;
}

static bool
biff_walk(const uint8_t *p, size_t len, struct dlp_buf *out, const char **why,
    struct fmtstate *fs)
{
	uint8_t rec[4];
	struct bcur c;
	size_t pos = 0, rl, k;
	unsigned type, cch = 0, pending_txo = 0;
	long row = -1;
	bool biff5 = false;
	double d;
	uint64_t bits;

	*why = NULL;
	while (pos + 4 <= len) {
		type = dlp_le16(p + pos);
		rl = dlp_le16(p + pos + 2);
		if (rl > len - pos - 4) {
			*why = "malformed"; /* record past the end */
			return true;
		}
		c.p = p;
		c.len = len;
		c.pos = pos + 4;
		c.end = pos + 4 + rl;
		c.bad = false;
		c.biff5 = biff5;
		switch (type) { /* cells: a new row starts a new line */
		case 0x00fd:    /* LABELSST */
		case 0x0204:    /* LABEL */
		case 0x00d6:    /* RSTRING */
		case 0x0203:    /* NUMBER */
		case 0x027e:    /* RK */
		case 0x00bd:    /* MULRK */
		case 0x0006:    /* FORMULA */
			if (rl >= 2 && row != (long)dlp_le16(p + pos + 4)) {
				if (row >= 0 && !dlp_buf_putc(out, '\n'))
					return false;
				row = (long)dlp_le16(p + pos + 4);
			}
			break;
		}
		switch (type) {
		case 0x0809: /* BOF: BIFF8 is 0x0600, BIFF5/7 0x0500 */
			if (rl >= 2)
				biff5 = dlp_le16(p + pos + 4) == 0x0500;
			row = -1;
			break;
		case 0x0006: /* FORMULA: cached number unless 0xFFFF marker */
			if (rl >= 14 && dlp_le16(p + pos + 4 + 12) != 0xffff) {
				bits = (uint64_t)dlp_le32(p + pos + 10) |
				       (uint64_t)dlp_le32(p + pos + 14) << 32;
				memcpy(&d, &bits, sizeof(d));
				if (!put_num(out, d, dlp_le16(p + pos + 8), fs))
					return false;
			}
			break;
		case 0x041e: /* FORMAT: ifmt, then the format string */
			if (rl > 3) {
				dlp_buf_reset(&fs->tmp);
				c.pos += 2;
				if (!biff_string(
				        &c, biff5 ? 1 : 2, false, &fs->tmp))
					return false;
				if (fs->tmp.len < 256) {
					rec[0] = p[pos + 4];
					rec[1] = p[pos + 5];
					rec[2] = (uint8_t)fs->tmp.len;
					rec[3] = 0;
					if (!dlp_buf_append(
					        &fs->fmts, rec, 4) ||
					    !dlp_buf_append(&fs->fmts,
					        fs->tmp.p, fs->tmp.len))
						return false;
				}
			}
			break;
		case 0x00e0: /* XF: format id at offset 2 */
			if (rl >= 4 && fs->xfs.len < 2 * 65536 &&
			    !dlp_buf_append(&fs->xfs, p + pos + 6, 2))
				return false;
			break;
		case 0x002f: /* FILEPASS */
			*why = "encrypted";
			return true;
		case 0x0085: /* BOUNDSHEET8 */
			if (rl > 6) {
				c.pos += 6;
				c.end = pos + 4 + rl; /* no CONTINUE here */
				if (!biff_string(&c, 1, false, out) ||
				    !dlp_buf_putc(out, '\n'))
					return false;
			}
			break;
		case 0x00fc: /* SST: kept for LABELSST cells */
			if (rl < 8)
				break;
			if (!sst_flush(fs, out))
				return false;
			k = dlp_le32(p + pos + 8);
			c.pos += 8;
			for (; k > 0 && !c.bad; k--) {
				if (fs->sst.len > UINT32_MAX ||
				    !put_off(&fs->soff, fs->sst.len) ||
				    !dlp_buf_putc(&fs->used, 0) ||
				    !biff_string(&c, 2, true, &fs->sst))
					return false;
			}
			if (fs->sst.len > UINT32_MAX ||
			    !put_off(&fs->soff, fs->sst.len))
				return false;
			break;
		case 0x00fd: /* LABELSST: rw, col, ixfe, isst */
			if (rl >= 10 &&
			    !sst_cell(fs, dlp_le32(p + pos + 10), out))
				return false;
			break;
		case 0x100d: /* SERIESTEXT: chart series, axis and title text */
			if (rl >= 4) {
				c.pos += 2;
				if (!line_start(out) ||
				    !biff_string(&c, 1, false, out) ||
				    !dlp_buf_putc(out, '\n'))
					return false;
			}
			break;
		case 0x001c: /* NOTE: a comment's author (BIFF5: its text) */
			if (rl > (biff5 ? 6u : 10u)) {
				c.pos += biff5 ? 4 : 8;
				if (!line_start(out) ||
				    !biff_string(&c, 2, false, out) ||
				    !dlp_buf_putc(out, '\n'))
					return false;
			}
			break;
		case 0x0204: /* LABEL */
		case 0x00d6: /* RSTRING */
			if (rl > 8) {
				c.pos += 6;
				if (!biff_string(&c, 2, false, out) ||
				    !dlp_buf_putc(out, '\t'))
					return false;
			}
			break;
		case 0x0207: /* STRING (formula result) */
		case 0x0014: /* HEADER */
		case 0x0015: /* FOOTER */
			if (rl >= 2) {
				if (!biff_string(&c,
				        biff5 && type != 0x0207 ? 1 : 2, false,
				        out) ||
				    !dlp_buf_putc(
				        out, type == 0x0207 ? '\t' : '\n'))
					return false;
			}
			break;
		case 0x0203: /* NUMBER */
			if (rl >= 14) {
				bits = (uint64_t)dlp_le32(p + pos + 10) |
				       (uint64_t)dlp_le32(p + pos + 14) << 32;
				memcpy(&d, &bits, sizeof(d));
				if (!put_num(out, d, dlp_le16(p + pos + 8), fs))
					return false;
			}
			break;
		case 0x027e: /* RK */
			if (rl >= 10 &&
			    !put_num(out, rk_value(dlp_le32(p + pos + 10)),
			        dlp_le16(p + pos + 8), fs))
				return false;
			break;
		case 0x00bd: /* MULRK */
			for (k = 4; k + 6 <= rl - 2 && rl >= 6; k += 6)
				if (!put_num(out,
				        rk_value(dlp_le32(p + pos + 4 + k + 2)),
				        dlp_le16(p + pos + 4 + k), fs))
					return false;
			break;
		case 0x01b6: /* TXO: text in the next CONTINUE */
			pending_txo = rl >= 12 ? 1 : 0;
			cch = rl >= 12 ? dlp_le16(p + pos + 4 + 10) : 0;
			break;
		case 0x003c: /* CONTINUE */
			if (pending_txo == 1 && rl >= 1 && cch > 0) {
				bool high = p[pos + 4] & 1;
				for (k = 0; k < cch; k++) {
					size_t at =
					    pos + 5 + (high ? 2 * k : k);
					if (at + (high ? 2 : 1) > pos + 4 + rl)
						break;
					if (!dlp_buf_put_utf8(
					        out, high ? dlp_le16(p + at)
					                  : from1252(p[at])))
						return false;
				}
				if (!dlp_buf_putc(out, '\n'))
					return false;
			}
			pending_txo = 0;
			break;
		case 0x000a: /* EOF: end of a substream */
			if (!dlp_buf_putc(out, '\n'))
				return false;
			break;
		default:
			break;
		}
		pos += 4 + rl;
	}
	return sst_flush(fs, out);
}

bool
dlp_ole_biff_text(
    const uint8_t *p, size_t len, struct dlp_buf *out, const char **why)
{
	struct fmtstate fs;
	bool ok;

	dlp_buf_init(&fs.fmts, out->mem);
	dlp_buf_init(&fs.xfs, out->mem);
	dlp_buf_init(&fs.tmp, out->mem);
	dlp_buf_init(&fs.sst, out->mem);
	dlp_buf_init(&fs.soff, out->mem);
	dlp_buf_init(&fs.used, out->mem);
	ok = biff_walk(p, len, out, why, &fs);
	if (ok && *why != NULL) /* stopped early: what was read is text */
		ok = sst_flush(&fs, out);
	dlp_buf_fini(&fs.fmts);
	dlp_buf_fini(&fs.xfs);
	dlp_buf_fini(&fs.tmp);
	dlp_buf_fini(&fs.sst);
	dlp_buf_fini(&fs.soff);
	dlp_buf_fini(&fs.used);
	return ok;
}

bool
dlp_ole_biff_drawing_group(const uint8_t *p, size_t len, struct dlp_buf *out)
{
	size_t pos = 0, rl;
	unsigned type, prev = 0;

	while (len - pos >= 4) {
		type = dlp_le16(p + pos);
		rl = dlp_le16(p + pos + 2);
		if (rl > len - pos - 4)
			break;
		if (type == 0x002f) /* FILEPASS: the rest is encrypted */
			break;
		if (type == 0x00eb || (type == 0x003c && prev == 0x00eb)) {
			if (!dlp_buf_append(out, p + pos + 4, rl))
				return false;
			type = 0x00eb;
		}
		prev = type;
		pos += 4 + rl;
	}
	return true;
}
