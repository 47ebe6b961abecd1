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
 *
 * List numbers, which Word generates and does not store as text, are
 * put before each numbered paragraph: the paragraph's sprmPIlfo/sprmPIlvl
 * come from its PAPX (PlcBtePapx, then the FKP page holding the mark) or
 * its paragraph style (STSH, following istdBase), the number format from
 * the list's LVL (PlfLst) with the instance's overrides (PlfLfo). Levels
 * are counted per list: a level restarts after a higher one unless
 * fNoRestart says otherwise; legal numbering, decimal, roman, letters,
 * ordinals and leading-zero formats are rendered, other formats as
 * decimals. Tables that do not check out only turn numbering off.
 */
#include <string.h>

#include "extract_ole.h"
#include "numfmt.h"

/* ---- list numbering: the LST and LFO tables ---- */

#define NLVL 9

struct lvl {
	int32_t start;
	uint8_t nfc, flags; /* flags: 0x04 fLegal, 0x08 fNoRestart */
	uint8_t follow;     /* 0 tab, 1 space, 2 nothing */
	uint8_t restart;    /* with fNoRestart: restarts after levels < this */
	const uint8_t *xst; /* number text, UTF-16LE; units < 9 are levels */
	size_t xlen;        /* code units */
};

struct lst {
	int32_t lsid;
	unsigned nlvl;
	struct lvl lvl[NLVL];
	int32_t count[NLVL];
	bool set[NLVL];
	size_t last; /* the LFO last numbered with this list, + 1 */
};

struct lfo {
	size_t lst;                    /* index into lists.lst, or SIZE_MAX */
	uint16_t start_over, fmt_over; /* per level: fStartAt, fFormatting */
	int32_t start[NLVL];
	struct lvl lvl[NLVL];
};

struct lists {
	const struct dlp_mem *mem;
	const uint8_t *doc, *tbl;
	size_t dlen, tlen;
	const uint8_t *bte; /* PlcBtePapx */
	size_t nbte;
	const uint8_t *stsh; /* STSH, for paragraph styles */
	size_t stshlen;
	struct lst *lst;
	size_t nlst;
	struct lfo *lfo;
	size_t nlfo;
};

/* One LVL at p[*i..len) (LVLF, grpprlPapx, grpprlChpx, xst). */
static bool
parse_lvl(const uint8_t *p, size_t len, size_t *i, struct lvl *lv)
{
	size_t k = *i, n;

	if (k > len || len - k < 28)
		return false;
	lv->start = (int32_t)dlp_le32(p + k);
	lv->nfc = p[k + 4];
	lv->flags = p[k + 5];
	lv->follow = p[k + 15];
	lv->restart = p[k + 26];
	n = (size_t)p[k + 24] + p[k + 25];
	k += 28;
	if (n > len - k || len - k - n < 2)
		return false;
	k += n;
	n = dlp_le16(p + k);
	k += 2;
	if (n > (len - k) / 2)
		return false;
	lv->xst = p + k;
	lv->xlen = n;
	*i = k + 2 * n;
	return true;
}

/*
 * The PlfLst (LSTFs, then each list's LVLs) and PlfLfo (LFOs, then their
 * LFOData with level overrides). Tables that do not check out are left
 * out (no numbering), they do not stop the text. false only on OOM.
 */
static bool
load_lists(
    struct lists *l, size_t fclst, size_t lcblst, size_t fclfo, size_t lcblfo)
{
	const uint8_t *t = l->tbl;
	size_t n, i, k, j, pos, nl;
	struct lfo *f;
	unsigned b, lv;

	if (lcblst < 2 || fclst > l->tlen || l->tlen - fclst < 2)
		return true;
	n = dlp_le16(t + fclst);
	if (n == 0 || n > 0x7fff || n > (l->tlen - fclst - 2) / 28)
		return true;
	if ((l->lst = dlp_calloc(l->mem, n, sizeof(*l->lst))) == NULL)
		return false;
	pos = fclst + 2 + 28 * n;
	for (i = 0; i < n; i++) {
		const uint8_t *r = t + fclst + 2 + 28 * i;

		l->lst[i].lsid = (int32_t)dlp_le32(r);
		nl = (r[26] & 1) ? 1 : NLVL;
		for (k = 0; k < nl; k++)
			if (!parse_lvl(t, l->tlen, &pos, &l->lst[i].lvl[k]))
				goto lfo; /* the lists read so far are kept */
		l->lst[i].nlvl = (unsigned)nl;
		l->nlst = i + 1;
	}
lfo:
	if (lcblfo < 4 || fclfo > l->tlen || l->tlen - fclfo < 4)
		return true;
	n = dlp_le32(t + fclfo);
	if (n == 0 || n > (l->tlen - fclfo - 4) / 16)
		return true;
	if ((l->lfo = dlp_calloc(l->mem, n, sizeof(*l->lfo))) == NULL)
		return false;
	l->nlfo = n;
	pos = fclfo + 4 + 16 * n;
	for (i = 0; i < n; i++) {
		const uint8_t *r = t + fclfo + 4 + 16 * i;

		f = &l->lfo[i];
		f->lst = SIZE_MAX;
		for (k = 0; k < l->nlst; k++)
			if (l->lst[k].lsid == (int32_t)dlp_le32(r))
				f->lst = k;
		if (pos == SIZE_MAX)
			continue; /* LFOData unreadable: no overrides */
		nl = r[12];
		if (l->tlen - pos < 4 || nl > NLVL) {
			pos = SIZE_MAX;
			continue;
		}
		pos += 4; /* cp */
		for (j = 0; j < nl && pos != SIZE_MAX; j++) {
			if (l->tlen - pos < 8) {
				pos = SIZE_MAX;
				break;
			}
			b = t[pos + 4];
			lv = b & 0x0f;
			if (lv >= NLVL) {
				pos = SIZE_MAX;
				break;
			}
			if (b & 0x10) {
				f->start_over |= 1u << lv;
				f->start[lv] = (int32_t)dlp_le32(t + pos);
			}
			pos += 8;
			if ((b & 0x20) &&
			    !parse_lvl(t, l->tlen, &pos, &f->lvl[lv])) {
				pos = SIZE_MAX;
				break;
			}
			if (b & 0x20)
				f->fmt_over |= 1u << lv;
		}
		if (pos == SIZE_MAX) /* drop a half-read LFO's overrides */
			f->start_over = f->fmt_over = 0;
	}
	return true;
}

/* Operand size of the sprm at p[0..2) with operand at p+2..p+n; 0: stop */
static size_t
sprm_len(const uint8_t *p, size_t n)
{
	unsigned sprm = dlp_le16(p);

	switch (sprm >> 13) {
	case 0:
	case 1:
		return 1;
	case 2:
	case 4:
	case 5:
		return 2;
	case 3:
		return 4;
	case 7:
		return 3;
	}
	if (n < 3)
		return 0;
	if (sprm == 0xd608) /* sprmTDefTable: u16 count, less one */
		return n < 4 ? 0 : (size_t)dlp_le16(p + 2) + 1;
	if (sprm == 0xc615 && p[2] == 255) /* sprmPChgTabs, long form */
		return 0;
	return (size_t)p[2] + 1;
}

/* sprmPIlfo and sprmPIlvl in a grpprl; *ilfo -1 when absent. */
static void
grpprl_list(const uint8_t *p, size_t n, int *ilfo, int *ilvl)
{
	size_t i = 0, ol;

	while (n - i >= 2) {
		ol = sprm_len(p + i, n - i);
		if (ol == 0 || ol > n - i - 2)
			return;
		if (dlp_le16(p + i) == 0x460b)
			*ilfo = (int)(int16_t)dlp_le16(p + i + 2);
		else if (dlp_le16(p + i) == 0x260a)
			*ilvl = p[i + 2];
		i += 2 + ol;
	}
}

/*
 * A paragraph style's list properties, following istdBase at most 10
 * levels (the STSH's STDs hold a UpxPapx: istd, then a grpprl).
 */
static void
style_list(
    const struct lists *l, unsigned istd, int *ilfo, int *ilvl, unsigned hops)
{
	const uint8_t *s = l->stsh;
	size_t n = l->stshlen, pos, cbstshi, cbbase, k, cb, nm;
	unsigned cstd, base;

	if (s == NULL || n < 6 || hops > 10)
		return;
	cbstshi = dlp_le16(s);
	if (cbstshi < 4 || cbstshi > n - 2)
		return;
	cstd = dlp_le16(s + 2);
	cbbase = dlp_le16(s + 4);
	if (istd >= cstd || cbbase < 10)
		return;
	pos = 2 + cbstshi;
	for (k = 0; k < istd; k++) {
		if (n - pos < 2)
			return;
		cb = dlp_le16(s + pos);
		if (cb > n - pos - 2)
			return;
		pos += 2 + cb;
	}
	if (n - pos < 2)
		return;
	cb = dlp_le16(s + pos);
	pos += 2;
	if (cb > n - pos || cb < cbbase + 2 ||
	    (dlp_le16(s + pos + 2) & 0x0f) != 1)
		return; /* empty slot, or not a paragraph style */
	base = dlp_le16(s + pos + 2) >> 4;
	s += pos;
	k = cbbase;
	nm = dlp_le16(s + k); /* xstzName: cch, chars, NUL */
	if (nm > (cb - k - 2) / 2 || cb - k - 2 - 2 * nm < 2)
		return;
	k += 2 + 2 * nm + 2;
	if (k & 1)
		k++;
	if (k <= cb && cb - k >= 4 && dlp_le16(s + k) >= 2 &&
	    dlp_le16(s + k) <= cb - k - 2)
		grpprl_list(s + k + 4, dlp_le16(s + k) - 2, ilfo, ilvl);
	if (*ilfo < 0 && base != 0x0fff && base != istd)
		style_list(l, base, ilfo, ilvl, hops + 1);
}

/* The list properties of the paragraph whose mark is at stream offset fc. */
static void
para_list(const struct lists *l, size_t fc, int *ilfo, int *ilvl)
{
	const uint8_t *fkp;
	size_t lo = 0, hi = l->nbte, mid, crun, j, b, gl, g;
	unsigned istd;

	*ilfo = -1;
	*ilvl = 0;
	if (l->nbte == 0)
		return;
	while (hi - lo > 1) { /* last i with aFC[i] <= fc */
		mid = lo + (hi - lo) / 2;
		if (dlp_le32(l->bte + 4 * mid) <= fc)
			lo = mid;
		else
			hi = mid;
	}
	if (fc < dlp_le32(l->bte) || fc >= dlp_le32(l->bte + 4 * l->nbte))
		return;
	b = dlp_le32(l->bte + 4 * (l->nbte + 1) + 4 * lo) & 0x3fffff;
	if (b >= l->dlen / 512)
		return;
	fkp = l->doc + 512 * b;
	crun = fkp[511];
	if (crun == 0 || 4 * (crun + 1) + 13 * crun > 511)
		return;
	for (j = 0; j < crun; j++)
		if (dlp_le32(fkp + 4 * j) <= fc &&
		    fc < dlp_le32(fkp + 4 * (j + 1)))
			break;
	if (j == crun || (b = fkp[4 * (crun + 1) + 13 * j]) == 0)
		return;
	b *= 2;
	if (b >= 510)
		return;
	if (fkp[b] != 0) {
		gl = 2 * (size_t)fkp[b] - 1;
		g = b + 1;
	} else {
		gl = 2 * (size_t)fkp[b + 1];
		g = b + 2;
	}
	if (gl < 2 || gl > 511 - g)
		return;
	istd = dlp_le16(fkp + g);
	grpprl_list(fkp + g + 2, gl - 2, ilfo, ilvl);
	if (*ilfo < 0) {
		int sl = 0;

		style_list(l, istd, ilfo, &sl, 0);
		if (*ilfo >= 0 && *ilvl == 0)
			*ilvl = sl;
	}
}

static const struct lvl *
lfo_lvl(const struct lists *l, const struct lfo *f, unsigned k)
{
	return (f->fmt_over & (1u << k)) ? &f->lvl[k] : &l->lst[f->lst].lvl[k];
}

static int32_t
lfo_start(const struct lists *l, const struct lfo *f, unsigned k)
{
	return (f->start_over & (1u << k)) ? f->start[k]
	                                   : lfo_lvl(l, f, k)->start;
}

/*
 * Count the paragraph in its list and append its number text (with the
 * tab or space after it) to out. false only on OOM.
 */
static bool
list_number(struct lists *l, int ilfo, int ilvl, struct dlp_buf *out)
{
	const struct lvl *lv;
	struct lfo *f;
	struct lst *ls;
	unsigned k, c;
	size_t i;

	if (ilfo < 1 || (size_t)ilfo > l->nlfo || ilvl < 0 || ilvl >= NLVL)
		return true;
	f = &l->lfo[ilfo - 1];
	if (f->lst == SIZE_MAX || (unsigned)ilvl >= l->lst[f->lst].nlvl)
		return true;
	ls = &l->lst[f->lst];
	if (ls->last != (size_t)ilfo) { /* another instance: its overrides */
		for (k = 0; k < NLVL; k++)
			if ((f->start_over | f->fmt_over) & (1u << k))
				ls->set[k] = false;
		ls->last = (size_t)ilfo;
	}
	if (ls->set[ilvl])
		ls->count[ilvl]++;
	else
		ls->count[ilvl] = lfo_start(l, f, (unsigned)ilvl);
	ls->set[ilvl] = true;
	for (k = 0; k < (unsigned)ilvl; k++)
		if (!ls->set[k]) {
			ls->count[k] = lfo_start(l, f, k);
			ls->set[k] = true;
		}
	for (k = (unsigned)ilvl + 1; k < ls->nlvl; k++) {
		lv = lfo_lvl(l, f, k);
		if (!(lv->flags & 0x08) || (unsigned)ilvl < lv->restart)
			ls->set[k] = false;
	}
	lv = lfo_lvl(l, f, (unsigned)ilvl);
	if (lv->nfc == 255)
		return true;
	for (i = 0; i < lv->xlen; i++) {
		c = dlp_le16(lv->xst + 2 * i);
		if (c < ls->nlvl) {
			if (lfo_lvl(l, f, c)->nfc == 255) /* no number */
				continue;
			if (!dlp_numfmt_counter(out, ls->count[c],
			        (lv->flags & 0x04) ? 0 : lfo_lvl(l, f, c)->nfc))
				return false;
		} else if (c >= 0xf020 && c < 0xf100) { /* symbol font */
			if (!dlp_buf_put_utf8(out, c - 0xf000))
				return false;
		} else if (c >= NLVL && !dlp_buf_put_utf8(out, c)) {
			return false;
		}
	}
	if (lv->follow < 2 && !dlp_buf_putc(out, lv->follow == 0 ? '\t' : ' '))
		return false;
	return true;
}

/* ---- the text ---- */

struct wtext {
	struct dlp_buf *out;
	struct dlp_buf para; /* the paragraph so far, when numbering */
	struct lists *lists; /* NULL: no numbering */
	unsigned code;       /* field nesting levels in their code part */
	unsigned depth;      /* field nesting */
	uint32_t hi;         /* pending high surrogate */
};

/* A character at stream offset fc. */
static bool
word_char(struct wtext *w, uint32_t c, size_t fc)
{
	struct dlp_buf *o = w->lists != NULL ? &w->para : w->out;
	int ilfo, ilvl;

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
	if (w->lists != NULL && (c == 0x0d || c == 0x07)) {
		/* a paragraph (or cell) ends: its number goes first */
		para_list(w->lists, fc, &ilfo, &ilvl);
		if (!list_number(w->lists, ilfo, ilvl, w->out) ||
		    !dlp_buf_append(w->out, w->para.p, w->para.len))
			return false;
		dlp_buf_reset(&w->para);
		o = w->out;
	}
	if (c == 0x0d || c == 0x0b || c == 0x0c)
		return dlp_buf_putc(o, '\n');
	if (c == 0x07 || c == 0x09)
		return dlp_buf_putc(o, '\t');
	if (c == 0x1e)
		return dlp_buf_putc(o, '-');
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
	return dlp_buf_put_utf8(o, c);
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

/* FibRgFcLcb97 pairs used here */
enum {
	FIB_STSHF = 1,
	FIB_BTEPAPX = 13,
	FIB_CLX = 33,
	FIB_PLFLST = 73,
	FIB_PLFLFO = 74
};

/* Piece table text; false (no error) when the CLX is unusable. */
bool
dlp_ole_word_pieces(const uint8_t *doc, size_t dlen, const uint8_t *tbl,
    size_t tlen, const uint8_t *fclcb, size_t npairs, struct dlp_buf *out,
    bool *nomem)
{
	struct wtext w;
	struct lists l;
	size_t i, n, pos, end, cp0, cp1, k, off, cnt, total = 0, fc, lcb;
	uint32_t f;
	bool comp, ok = false;

	*nomem = false;
	memset(&w, 0, sizeof(w));
	memset(&l, 0, sizeof(l));
	w.out = out;
	dlp_buf_init(&w.para, out->mem);
	if (npairs <= FIB_CLX)
		goto out;
	fc = dlp_le32(fclcb + 8 * FIB_CLX);
	lcb = dlp_le32(fclcb + 8 * FIB_CLX + 4);
	if (fc > tlen || lcb > tlen - fc || lcb == 0)
		goto out;
	pos = fc;
	end = fc + lcb;
	while (pos < end && tbl[pos] == 0x01) { /* Prc: skip grpprl */
		if (end - pos < 3)
			goto out;
		pos += 3 + dlp_le16(tbl + pos + 1);
	}
	if (pos >= end || end - pos < 5 || tbl[pos] != 0x02)
		goto out;
	lcb = dlp_le32(tbl + pos + 1);
	pos += 5;
	if (lcb > end - pos || lcb < 4 || (lcb - 4) % 12 != 0)
		goto out;
	n = (lcb - 4) / 12;
	/* list numbering needs the paragraph properties and the lists */
	l.mem = out->mem;
	l.doc = doc;
	l.dlen = dlen;
	l.tbl = tbl;
	l.tlen = tlen;
	if (npairs > FIB_PLFLFO) {
		size_t bfc = dlp_le32(fclcb + 8 * FIB_BTEPAPX),
		       blcb = dlp_le32(fclcb + 8 * FIB_BTEPAPX + 4),
		       sfc = dlp_le32(fclcb + 8 * FIB_STSHF),
		       slcb = dlp_le32(fclcb + 8 * FIB_STSHF + 4);

		if (bfc <= tlen && blcb <= tlen - bfc && blcb >= 12 &&
		    (blcb - 4) % 8 == 0) {
			l.bte = tbl + bfc;
			l.nbte = (blcb - 4) / 8;
		}
		if (sfc <= tlen && slcb <= tlen - sfc) {
			l.stsh = tbl + sfc;
			l.stshlen = slcb;
		}
		if (!load_lists(&l, dlp_le32(fclcb + 8 * FIB_PLFLST),
		        dlp_le32(fclcb + 8 * FIB_PLFLST + 4),
		        dlp_le32(fclcb + 8 * FIB_PLFLFO),
		        dlp_le32(fclcb + 8 * FIB_PLFLFO + 4))) {
			*nomem = true;
			goto out;
		}
		if (l.nlfo > 0 && l.nbte > 0)
			w.lists = &l;
	}
	for (i = 0; i < n; i++) {
		cp0 = dlp_le32(tbl + pos + 4 * i);
		cp1 = dlp_le32(tbl + pos + 4 * (i + 1));
		if (cp1 < cp0)
			goto out;
		cnt = cp1 - cp0;
		f = dlp_le32(tbl + pos + 4 * (n + 1) + 8 * i + 2);
		comp = (f & 0x40000000u) != 0;
		off = comp ? (f & 0x3fffffffu) / 2 : (f & 0x3fffffffu);
		if (off > dlen || cnt > (dlen - off) / (comp ? 1 : 2))
			goto out;
		/* overlapping pieces must not multiply the stream */
		if (cnt > dlen - total)
			goto out;
		total += cnt;
		for (k = 0; k < cnt; k++)
			if (!(comp ? word_char(&w, dlp_ole_cp1252(doc[off + k]),
			                 off + k)
			           : word_char(&w, dlp_le16(doc + off + 2 * k),
			                 off + 2 * k))) {
				*nomem = true;
				goto out;
			}
	}
	/* text after the last paragraph mark */
	if (w.para.len > 0 && !dlp_buf_append(out, w.para.p, w.para.len)) {
		*nomem = true;
		goto out;
	}
	ok = true;
out:
	dlp_buf_fini(&w.para);
	dlp_free(out->mem, l.lst);
	dlp_free(out->mem, l.lfo);
	return ok;
}
