/*
 * test_ole.c - legacy OLE2 documents built here with libgsf's writer: a
 * Word file with a piece table, an Excel BIFF8 workbook, a PowerPoint
 * stream, property sets with an MSIP label, an Outlook message with an
 * attachment, embedded objects, and the encrypted forms; corrupt input;
 * OOM sweep; the Tika corpus check for doc/xls/ppt.
 */
#define _GNU_SOURCE
#include <gsf/gsf.h>
#include <zlib.h>

#include "doc_util.h"

struct stream {
	const char *path; /* "storage/name" for one level of nesting */
	const uint8_t *data;
	size_t len;
};

static void
put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, v & 0xffff);
	put16(p + 2, v >> 16);
}

/* Build an OLE2 file from streams; returns malloc'd bytes. */
static uint8_t *
make_ole(const struct stream *st, size_t n, size_t *len)
{
	GsfOutput *mem = gsf_output_memory_new();
	GsfOutfile *ole = gsf_outfile_msole_new(mem);
	GsfOutfile *dirs[8];
	char names[8][64];
	size_t nd = 0, i, k;
	uint8_t *out;

	for (i = 0; i < n; i++) {
		const char *sl = strchr(st[i].path, '/');
		GsfOutfile *parent = ole;
		GsfOutput *o;

		if (sl != NULL) {
			for (k = 0; k < nd; k++)
				if (strncmp(names[k], st[i].path,
				        (size_t)(sl - st[i].path)) == 0 &&
				    names[k][sl - st[i].path] == '\0')
					break;
			if (k == nd) {
				snprintf(names[nd], sizeof(names[nd]), "%.*s",
				    (int)(sl - st[i].path), st[i].path);
				dirs[nd] = GSF_OUTFILE(gsf_outfile_new_child(
				    ole, names[nd], TRUE));
				nd++;
			}
			parent = dirs[k];
		}
		o = gsf_outfile_new_child(
		    parent, sl ? sl + 1 : st[i].path, FALSE);
		gsf_output_write(o, st[i].len, st[i].data);
		gsf_output_close(o);
		g_object_unref(o);
	}
	for (k = 0; k < nd; k++) {
		gsf_output_close(GSF_OUTPUT(dirs[k]));
		g_object_unref(dirs[k]);
	}
	gsf_output_close(GSF_OUTPUT(ole));
	g_object_unref(ole);
	*len = (size_t)gsf_output_size(mem);
	out = malloc(*len);
	memcpy(out, gsf_output_memory_get_bytes(GSF_OUTPUT_MEMORY(mem)), *len);
	g_object_unref(mem);
	return out;
}

static const char text8[] = "TOP SECRET\r\x13 HYPERLINK x \x14shown\x15\r";
static const char text16[] = "UK EYES ONLY\x07";

static uint8_t worddoc[0x600], table[64];

/* A Word 97 FIB with a piece table of one 8-bit and one UTF-16 piece. */
static void
make_word(unsigned flags)
{
	size_t l8 = sizeof(text8) - 1, l16 = sizeof(text16) - 1, i;

	memset(worddoc, 0, sizeof(worddoc));
	memset(table, 0, sizeof(table));
	put16(worddoc, 0xa5ec);
	put16(worddoc + 2, 0xc1);
	put16(worddoc + 0x0a, 0x0200 | flags); /* fWhichTblStm: 1Table */
	put16(worddoc + 32, 14);               /* csw */
	put16(worddoc + 62, 22);               /* cslw */
	put16(worddoc + 152, 93);              /* cbRgFcLcb */
	put32(worddoc + 418, 0);               /* fcClx */
	put32(worddoc + 422, 5 + 5 + 28);      /* lcbClx */
	memcpy(worddoc + 0x400, text8, l8);
	for (i = 0; i < l16; i++)
		put16(worddoc + 0x500 + 2 * i, (uint8_t)text16[i]);
	table[0] = 0x01; /* a Prc to skip */
	put16(table + 1, 2);
	table[5] = 0x02; /* Pcdt */
	put32(table + 6, 28);
	put32(table + 10, 0);
	put32(table + 14, (uint32_t)l8);
	put32(table + 18, (uint32_t)(l8 + l16));
	put32(table + 22 + 2, 0x40000000u | (0x400 * 2));
	put32(table + 30 + 2, 0x500);
}

/*
 * A Word file with list numbering: one paragraph per wpara, each with a
 * PAPX (style istd, and sprmPIlfo/sprmPIlvl when ilfo >= 0) in one FKP;
 * one list (lsid 7) whose nine levels are wlevels; LFO 1 plain, LFO 2
 * restarting level 0 at 5; style 1 a paragraph style in LFO 1, level 0.
 */
struct wpara {
	unsigned istd;
	int ilfo; /* -1: no sprmPIlfo */
	unsigned ilvl;
	const char *text;
};

static const struct {
	int32_t start;
	uint8_t nfc, flags, follow, restart;
	const char *xst; /* %0..%8: level placeholders, %b: U+F0B7 */
} wlevels[9] = {
    {1, 0, 0, 0, 0, "%0."},         /* decimal, tab */
    {1, 4, 0, 1, 0, "%0.%1)"},      /* lower letter, space */
    {3, 1, 0, 2, 0, "(%2)"},        /* upper roman from 3 */
    {1, 5, 0, 0, 0, "%3"},          /* ordinal */
    {1, 0, 0x04, 0, 0, "%0.%1.%4"}, /* legal: all decimal */
    {1, 255, 0, 2, 0, "%5"},        /* no number */
    {1, 0, 0x08, 1, 1, "%6"},       /* restarts only after level 0 */
    {1, 22, 0, 1, 0, "%7"},         /* leading zero */
    {1, 23, 0, 0, 0, "%b"},         /* bullet (Symbol font) */
};

static uint8_t lworddoc[0x800], ltable[2048];

static size_t
put_xst(uint8_t *p, const char *x)
{
	size_t n = 0;

	for (; *x != '\0'; x++, n++)
		if (x[0] == '%' && x[1] == 'b') {
			put16(p + 2 + 2 * n, 0xf0b7);
			x++;
		} else if (x[0] == '%') {
			put16(p + 2 + 2 * n, (unsigned)(x[1] - '0'));
			x++;
		} else {
			put16(p + 2 + 2 * n, (uint8_t)*x);
		}
	put16(p, (unsigned)n);
	return 2 + 2 * n;
}

static void
make_word_lists(const struct wpara *ps, size_t np)
{
	uint8_t *fkp = lworddoc + 0x600, *t = ltable;
	size_t n = 0, fc = 0x400, i, k, tp, b;

	memset(lworddoc, 0, sizeof(lworddoc));
	memset(ltable, 0, sizeof(ltable));
	put16(lworddoc, 0xa5ec);
	put16(lworddoc + 2, 0xc1);
	put16(lworddoc + 0x0a, 0x0200);
	put16(lworddoc + 32, 14);
	put16(lworddoc + 62, 22);
	put16(lworddoc + 152, 93);
	/* the text, one 8-bit piece; the FKP (page 3) */
	fkp[511] = (uint8_t)np;
	for (i = 0; i < np; i++) {
		put32(fkp + 4 * i, (uint32_t)fc);
		k = strlen(ps[i].text);
		memcpy(lworddoc + fc, ps[i].text, k);
		lworddoc[fc + k] = '\r';
		fc += k + 1;
		b = 200 + 8 * i; /* PAPX at byte 2 * b */
		fkp[4 * (np + 1) + 13 * i] = (uint8_t)b;
		if (ps[i].ilfo < 0) { /* cb 0: then cb' words of istd */
			fkp[2 * b] = 0;
			fkp[2 * b + 1] = 1;
			put16(fkp + 2 * b + 2, ps[i].istd);
		} else { /* 2 * 5 - 1 bytes: istd, sprmPIlfo, sprmPIlvl */
			fkp[2 * b] = 5;
			put16(fkp + 2 * b + 1, ps[i].istd);
			put16(fkp + 2 * b + 3, 0x460b);
			put16(fkp + 2 * b + 5, (unsigned)ps[i].ilfo);
			put16(fkp + 2 * b + 7, 0x260a);
			fkp[2 * b + 9] = (uint8_t)ps[i].ilvl;
		}
	}
	put32(fkp + 4 * np, (uint32_t)fc);
	/* CLX at 0 */
	t[0] = 0x02;
	put32(t + 1, 16);
	put32(t + 5, 0);
	put32(t + 9, (uint32_t)(fc - 0x400));
	put32(t + 13 + 2, 0x40000000u | (0x400 * 2));
	put32(lworddoc + 154 + 8 * 33, 0);
	put32(lworddoc + 154 + 8 * 33 + 4, 21);
	/* PlcBtePapx at 32: one FKP */
	tp = 32;
	put32(t + tp, 0x400);
	put32(t + tp + 4, (uint32_t)fc);
	put32(t + tp + 8, 3);
	put32(lworddoc + 154 + 8 * 13, (uint32_t)tp);
	put32(lworddoc + 154 + 8 * 13 + 4, 12);
	/* STSH at 64: style 0 empty, style 1 a paragraph style in a list */
	tp = 64;
	put16(t + tp, 4);                       /* cbStshi */
	put16(t + tp + 2, 2);                   /* cstd */
	put16(t + tp + 4, 10);                  /* cbSTDBaseInFile */
	put16(t + tp + 6, 0);                   /* style 0: empty */
	put16(t + tp + 8, 28);                  /* style 1 */
	put16(t + tp + 10 + 2, 1 | 0xfff << 4); /* stk paragraph, no base */
	put16(t + tp + 10 + 4, 2);              /* cupx */
	put16(t + tp + 10 + 10, 1);             /* name: "S" */
	t[tp + 10 + 12] = 'S';
	put16(t + tp + 10 + 16, 9); /* UpxPapx: istd, sprms */
	put16(t + tp + 10 + 18, 1);
	put16(t + tp + 10 + 20, 0x460b);
	put16(t + tp + 10 + 22, 1);
	put16(t + tp + 10 + 24, 0x260a);
	put32(lworddoc + 154 + 8 * 1, (uint32_t)tp);
	put32(lworddoc + 154 + 8 * 1 + 4, 10 + 28);
	/* PlfLst at 128: one list, nine LVLs after it */
	tp = 128;
	put16(t + tp, 1);
	put32(t + tp + 2, 7); /* lsid */
	put32(lworddoc + 154 + 8 * 73, (uint32_t)tp);
	put32(lworddoc + 154 + 8 * 73 + 4, 2 + 28);
	tp += 2 + 28;
	for (k = 0; k < 9; k++) {
		put32(t + tp, (uint32_t)wlevels[k].start);
		t[tp + 4] = wlevels[k].nfc;
		t[tp + 5] = wlevels[k].flags;
		t[tp + 15] = wlevels[k].follow;
		t[tp + 26] = wlevels[k].restart;
		tp += 28;
		tp += put_xst(t + tp, wlevels[k].xst);
	}
	/* PlfLfo: LFO 1 plain, LFO 2 starting level 0 at 5 */
	n = tp;
	put32(t + n, 2);
	put32(t + n + 4, 7);
	put32(t + n + 20, 7);
	t[n + 20 + 12] = 1; /* clfolvl */
	n += 4 + 32;
	n += 4; /* LFOData 1: cp */
	n += 4; /* LFOData 2: cp, then one LFOLVL */
	put32(t + n, 5);
	t[n + 4] = 0x10; /* level 0, fStartAt */
	n += 8;
	put32(lworddoc + 154 + 8 * 74, (uint32_t)tp);
	put32(lworddoc + 154 + 8 * 74 + 4, 4 + 32);
}

static const struct {
	const char *name;
	struct wpara p[8];
	const char *want;
} listcases[] = {
    {"levels, restarts of lower levels",
        {{0, 1, 0, "A"}, {0, 1, 1, "B"}, {0, 1, 1, "C"}, {0, 1, 0, "D"},
            {0, 1, 1, "E"}},
        "1.\tA\n1.a) B\n1.b) C\n2.\tD\n2.a) E\n"},
    {"formats",
        {{0, 1, 2, "X"}, {0, 1, 3, "Y"}, {0, 1, 7, "Z"}, {0, 1, 8, "W"},
            {0, 1, 5, "V"}},
        "(III)X\n1st\tY\n01 Z\n\xc2\xb7\tW\nV\n"},
    {"legal numbering",
        {{0, 1, 0, "a"}, {0, 1, 1, "b"}, {0, 1, 1, "c"}, {0, 1, 4, "d"}},
        "1.\ta\n1.a) b\n1.b) c\n1.2.1\td\n"},
    {"restart limit",
        {{0, 1, 0, "a"}, {0, 1, 1, "b"}, {0, 1, 6, "c"}, {0, 1, 1, "d"},
            {0, 1, 6, "e"}, {0, 1, 0, "f"}, {0, 1, 6, "g"}},
        "1.\ta\n1.a) b\n1 c\n1.b) d\n2 e\n2.\tf\n1 g\n"},
    {"list instance with a start override",
        {{0, 1, 0, "a"}, {0, 2, 0, "b"}, {0, 2, 0, "c"}},
        "1.\ta\n5.\tb\n6.\tc\n"},
    {"paragraph style in a list; direct ilfo 0 turns it off",
        {{1, -1, 0, "S"}, {1, 0, 0, "T"}, {0, -1, 0, "U"}, {1, -1, 0, "R"}},
        "1.\tS\nT\nU\n2.\tR\n"},
};

TEST(ole_word_lists)
{
	struct du_sink d;
	struct stream st[2];
	uint8_t *p;
	size_t i, np, len;
	char want[256];

	for (i = 0; i < DLP_NITEMS(listcases); i++) {
		for (np = 0; np < 8 && listcases[i].p[np].text != NULL; np++)
			;
		make_word_lists(listcases[i].p, np);
		st[0] =
		    (struct stream){"WordDocument", lworddoc, sizeof(lworddoc)};
		st[1] = (struct stream){"1Table", ltable, sizeof(ltable)};
		p = make_ole(st, 2, &len);
		du_init(&d, &test_mem);
		CHECK_INT(dlp_extract_ole(&d.x, "a", p, len, 1), DLP_OK);
		snprintf(want, sizeof(want), "[8 a]\n%s", listcases[i].want);
		CHECK_MSG(du_has(&d, want), "%s: want \"%s\" in:\n%s%s",
		    listcases[i].name, want, d.text.p ? (char *)d.text.p : "",
		    d.log.p ? (char *)d.log.p : "");
		du_fini(&d);
		free(p);
	}
	CHECK_INT(test_live(), 0);
}

static size_t
rec(uint8_t *p, unsigned type, const void *data, size_t len)
{
	put16(p, type);
	put16(p + 2, (unsigned)len);
	memcpy(p + 4, data, len);
	return 4 + len;
}

static uint8_t book[512];

static size_t
make_book(bool filepass)
{
	static const uint8_t bof[16] = {0x00, 0x06, 0x05, 0x00};
	static const uint8_t sheet[] = {0, 0, 0, 0, 0, 0, 12, 0, 'S', 'h', 'e',
	    'e', 't', ' ', 'S', 'e', 'c', 'r', 'e', 't'};
	static const uint8_t sst[] = {2, 0, 0, 0, 2, 0, 0, 0, 5, 0, 0, 'a', 'l',
	    'p', 'h', 'a', 6, 0, 0, 'S', 'E', 'C'};
	static const uint8_t cont[] = {1, 'R', 0, 'E', 0, 'T', 0};
	static const uint8_t label[] = {
	    0, 0, 1, 0, 0, 0, 6, 0, 0, 'l', 'a', 'b', 'e', 'l', '1'};
	static const uint8_t hdr[] = {
	    8, 0, 0, '&', 'C', 'S', 'E', 'C', 'R', 'E', 'T'};
	uint8_t num[14] = {0, 0, 2, 0, 0, 0};
	double d = 4111111111111111.0;
	size_t n = 0;

	memcpy(num + 6, &d, 8);
	n += rec(book + n, 0x0809, bof, sizeof(bof));
	if (filepass)
		n += rec(book + n, 0x002f, "\x01\x00\x01\x00", 4);
	n += rec(book + n, 0x0085, sheet, sizeof(sheet));
	n += rec(book + n, 0x00fc, sst, sizeof(sst));
	n += rec(book + n, 0x003c, cont, sizeof(cont));
	n += rec(book + n, 0x0204, label, sizeof(label));
	n += rec(book + n, 0x0203, num, sizeof(num));
	{ /* a FORMAT, two XFs and a NUMBER in the second: 0.025 as 2.50% */
		static const uint8_t fmt[] = {
		    164, 0, 5, 0, 0, '0', '.', '0', '0', '%'};
		static const uint8_t xf0[4] = {0, 0, 0, 0};
		static const uint8_t xf1[4] = {0, 0, 164, 0};
		uint8_t pct[14] = {0, 0, 3, 0, 1, 0};
		double v = 0.025;

		memcpy(pct + 6, &v, 8);
		n += rec(book + n, 0x041e, fmt, sizeof(fmt));
		n += rec(book + n, 0x00e0, xf0, sizeof(xf0));
		n += rec(book + n, 0x00e0, xf1, sizeof(xf1));
		n += rec(book + n, 0x0203, pct, sizeof(pct));
	}
	n += rec(book + n, 0x0014, hdr, sizeof(hdr));
	n += rec(book + n, 0x000a, "", 0);
	return n;
}

/*
 * A workbook whose cells show shared strings (LABELSST), numbers (NUMBER,
 * RK) and a formula's string result (FORMULA + STRING) on two rows, with
 * an SST string no cell shows, a comment author (NOTE) and a chart
 * substream with a series title (SERIESTEXT).
 */
static size_t
make_book_cells(void)
{
	static const uint8_t bof[16] = {0x00, 0x06, 0x05, 0x00};
	static const uint8_t chart_bof[16] = {0x00, 0x06, 0x20, 0x00};
	static const uint8_t sst[] = {3, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 'N', 'a',
	    'm', 'e', 6, 0, 0, 'S', 'E', 'C', 'R', 'E', 'T', 6, 0, 0, 'u', 'n',
	    'u', 's', 'e', 'd'};
	static const uint8_t lsst0[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
	static const uint8_t lsst1[] = {0, 0, 1, 0, 0, 0, 1, 0, 0, 0};
	static const uint8_t rk[] = {1, 0, 1, 0, 0, 0, 18, 0, 0, 0}; /* 4 */
	static const uint8_t fstr[] = {3, 0, 0, 'a', 'b', 'c'};
	static const uint8_t note[] = {0, 0, 0, 0, 0, 0, 1, 0, 8, 0, 0, 'J',
	    '.', ' ', 'S', 'm', 'i', 't', 'h'};
	static const uint8_t stext[] = {
	    0, 0, 11, 0, 'A', 'x', 'i', 's', ' ', 'S', 'E', 'C', 'R', 'E', 'T'};
	uint8_t num[14] = {1, 0, 0, 0, 0, 0}, fml[20] = {1, 0, 2, 0, 0, 0};
	double d = 1.0;
	size_t n = 0;

	memcpy(num + 6, &d, 8);
	fml[6] = 0; /* cached result: a string, in the next STRING */
	put16(fml + 12, 0xffff);
	n += rec(book + n, 0x0809, bof, sizeof(bof));
	n += rec(book + n, 0x00fc, sst, sizeof(sst));
	n += rec(book + n, 0x000a, "", 0);
	n += rec(book + n, 0x0809, bof, sizeof(bof));
	n += rec(book + n, 0x00fd, lsst0, sizeof(lsst0));
	n += rec(book + n, 0x00fd, lsst1, sizeof(lsst1));
	n += rec(book + n, 0x0203, num, sizeof(num));
	n += rec(book + n, 0x027e, rk, sizeof(rk));
	n += rec(book + n, 0x0006, fml, sizeof(fml));
	n += rec(book + n, 0x0207, fstr, sizeof(fstr));
	n += rec(book + n, 0x001c, note, sizeof(note));
	n += rec(book + n, 0x000a, "", 0);
	n += rec(book + n, 0x0809, chart_bof, sizeof(chart_bof));
	n += rec(book + n, 0x100d, stext, sizeof(stext));
	n += rec(book + n, 0x000a, "", 0);
	return n;
}

/*
 * A workbook whose drawing group (MSODRAWINGGROUP, split by a CONTINUE)
 * holds one EMF picture, deflated (with a flipped byte when corrupt),
 * that carries a PDF in an EMR_COMMENT "GDIC" multi-format record, the
 * way Mac Office embeds a PDF.
 */
static size_t
make_book_drawing(bool corrupt)
{
	static const char pdf[] = "%PDF-1.4 SECRET";
	static const uint8_t bof[16] = {0x00, 0x06, 0x05, 0x00};
	uint8_t emf[256], dgg[512], *z;
	size_t el = 0, pl = sizeof(pdf) - 1, dl = 28 + 16 + pl, n = 0, g = 0;
	uLongf zl = sizeof(dgg);

	memset(emf, 0, sizeof(emf));
	memset(dgg, 0, sizeof(dgg));
	put32(emf, 1); /* EMR_HEADER, cut short */
	put32(emf + 4, 16);
	el = 16;
	put32(emf + el, 70); /* EMR_COMMENT */
	put32(emf + el + 4, (uint32_t)((12 + dl + 3) & ~(size_t)3));
	put32(emf + el + 8, (uint32_t)dl);
	memcpy(emf + el + 12, "GDIC", 4);
	put32(emf + el + 16, 0x40000004u);
	put32(emf + el + 36, 1);           /* one format */
	put32(emf + el + 40, 0x50444620u); /* " FDP" */
	put32(emf + el + 44, 1);
	put32(emf + el + 48, (uint32_t)pl);
	put32(emf + el + 52, 44);
	memcpy(emf + el + 12 + 44, pdf, pl);
	el += (12 + dl + 3) & ~(size_t)3;
	put32(emf + el, 14); /* EMR_EOF */
	put32(emf + el + 4, 20);
	el += 20;
	z = malloc(zl);
	compress2(z, &zl, emf, el, 9);
	if (corrupt)
		z[zl / 2] ^= 0x55;
	/* DggContainer { BStoreContainer { FBSE { EMF blip } } } */
	put16(dgg, 0x000f);
	put16(dgg + 2, 0xf000);
	put32(dgg + 4, (uint32_t)(8 + 8 + 36 + 8 + 16 + 34 + zl));
	put16(dgg + 8, 0x001f);
	put16(dgg + 10, 0xf001);
	put32(dgg + 12, (uint32_t)(8 + 36 + 8 + 16 + 34 + zl));
	put16(dgg + 16, 0x0022);
	put16(dgg + 18, 0xf007);
	put32(dgg + 20, (uint32_t)(36 + 8 + 16 + 34 + zl));
	g = 24 + 36;
	put16(dgg + g, 0x3d40);
	put16(dgg + g + 2, 0xf01a);
	put32(dgg + g + 4, (uint32_t)(16 + 34 + zl));
	g += 8 + 16;
	put32(dgg + g, (uint32_t)el);      /* cbSize */
	put32(dgg + g + 28, (uint32_t)zl); /* cbSave */
	dgg[g + 32] = 0;                   /* deflate */
	dgg[g + 33] = 0xfe;                /* no filter */
	memcpy(dgg + g + 34, z, zl);
	g += 34 + zl;
	free(z);
	n += rec(book + n, 0x0809, bof, sizeof(bof));
	n += rec(book + n, 0x00eb, dgg, 40);
	n += rec(book + n, 0x003c, dgg + 40, g - 40);
	n += rec(book + n, 0x000a, "", 0);
	return n;
}

static uint8_t ppt[1 << 16];

/* The embedded RTF document of the compressed ExOleObjStg fixtures. */
static const char embedded_rtf[] = "{\\rtf1 EMBEDDED SECRET}";

/*
 * A compressed ExOleObjStg record at p: declared size decl (0: the real
 * one), then the zlib stream of data, cut by cut bytes at its end, with
 * byte flip (if nonzero) XORed into the middle. Returns the record size.
 */
static size_t
ppt_zobj(uint8_t *p, const void *data, size_t len, uint32_t decl, size_t cut,
    uint8_t flip)
{
	uLongf zl = compressBound(len);
	uint8_t *z = malloc(zl);

	compress2(z, &zl, data, len, 9);
	if (cut < zl)
		zl -= cut;
	if (flip != 0)
		z[zl / 2] ^= flip;
	put16(p, 1 << 4);
	put16(p + 2, 0x1011);
	put32(p + 4, (uint32_t)(4 + zl));
	put32(p + 8, decl != 0 ? decl : (uint32_t)len);
	memcpy(p + 12, z, zl);
	free(z);
	return 12 + zl;
}

/* A PowerPoint Document stream holding only the record rec[0..rl). */
static size_t
make_ppt_obj(const uint8_t *rec, size_t rl)
{
	put16(ppt, 0x000f);
	put16(ppt + 2, 0x03e8);
	put32(ppt + 4, (uint32_t)rl);
	memcpy(ppt + 8, rec, rl);
	return 8 + rl;
}

/* Records into ppt: containers closed in order fix their lengths. */
static size_t pp_open[8], pp_nopen;

static size_t
pp_begin(size_t n, unsigned vi, unsigned type)
{
	put16(ppt + n, vi);
	put16(ppt + n + 2, type);
	pp_open[pp_nopen++] = n;
	return n + 8;
}

static size_t
pp_end(size_t n)
{
	size_t at = pp_open[--pp_nopen];

	put32(ppt + at + 4, (uint32_t)(n - at - 8));
	return n;
}

static size_t
pp_cstring(size_t n, unsigned inst, const char *text)
{
	size_t i, l = strlen(text);

	put16(ppt + n, inst << 4);
	put16(ppt + n + 2, 0x0fba);
	put32(ppt + n + 4, (uint32_t)(2 * l));
	for (i = 0; i < l; i++)
		put16(ppt + n + 8 + 2 * i, (uint8_t)text[i]);
	return n + 8 + 2 * l;
}

/*
 * PowerPoint 2000+ comment (in a ProgBinaryTag's BinaryTagDataBlob) and
 * a hyperlink target.
 */
static size_t
ppt_comment_link(size_t n)
{
	n = pp_begin(n, 0x000f, 0x1388); /* ProgTags */
	n = pp_begin(n, 0x000f, 0x138a); /* ProgBinaryTag */
	n = pp_cstring(n, 0, "___PPT10");
	n = pp_begin(n, 0x0000, 0x138b); /* BinaryTagDataBlob */
	n = pp_begin(n, 0x000f, 0x2ee0); /* Comment10Container */
	n = pp_cstring(n, 0, "J. Smith");
	n = pp_cstring(n, 1, "Comment SECRET");
	n = pp_cstring(n, 2, "JS");
	n = pp_begin(n, 0x0000, 0x2ee1); /* Comment10Atom */
	memset(ppt + n, 0, 28);
	n = pp_end(n + 28);
	n = pp_end(pp_end(pp_end(pp_end(n))));
	n = pp_begin(n, 0x000f, 0x0fd7); /* ExHyperlink */
	n = pp_cstring(n, 1, "http://x.example/SECRET");
	return pp_end(n);
}

static size_t
make_ppt(void)
{
	static const char chars[] = "Slide SECRET";
	static const char bytes[] = "bytes text";
	static const char foot[] = "UK EYES ONLY";
	size_t n = 8, i, hf;

	put16(ppt + n, 0);
	put16(ppt + n + 2, 0x0fa0);
	put32(ppt + n + 4, 2 * (sizeof(chars) - 1));
	for (i = 0; i < sizeof(chars) - 1; i++)
		put16(ppt + n + 8 + 2 * i, (uint8_t)chars[i]);
	n += 8 + 2 * (sizeof(chars) - 1);
	put16(ppt + n, 0);
	put16(ppt + n + 2, 0x0fa8);
	put32(ppt + n + 4, sizeof(bytes) - 1);
	memcpy(ppt + n + 8, bytes, sizeof(bytes) - 1);
	n += 8 + sizeof(bytes) - 1;
	hf = n; /* HeadersFootersContainer with a footer CString */
	put16(ppt + n, 0x000f);
	put16(ppt + n + 2, 0x0fd9);
	put32(ppt + n + 4, 8 + 2 * (sizeof(foot) - 1));
	n += 8;
	put16(ppt + n, 2 << 4);
	put16(ppt + n + 2, 0x0fba);
	put32(ppt + n + 4, 2 * (sizeof(foot) - 1));
	for (i = 0; i < sizeof(foot) - 1; i++)
		put16(ppt + n + 8 + 2 * i, (uint8_t)foot[i]);
	n += 8 + 2 * (sizeof(foot) - 1);
	(void)hf;
	n = ppt_comment_link(n);
	put16(ppt + n, 0); /* ExOleObjStg: plain, then compressed */
	put16(ppt + n + 2, 0x1011);
	put32(ppt + n + 4, 4);
	memcpy(ppt + n + 8, "OBJ!", 4);
	n += 12;
	n += ppt_zobj(ppt + n, embedded_rtf, sizeof(embedded_rtf) - 1, 0, 0, 0);
	put16(ppt, 0x000f); /* DocumentContainer around everything */
	put16(ppt + 2, 0x03e8);
	put32(ppt + 4, (uint32_t)(n - 8));
	return n;
}

/* SummaryInformation / DocumentSummaryInformation written by libgsf. */
static uint8_t *
make_props(bool doc, size_t *len)
{
	GsfDocMetaData *md = gsf_doc_meta_data_new();
	GsfOutput *mem = gsf_output_memory_new();
	GValue *v = g_new0(GValue, 1);
	uint8_t *out;

	g_value_init(v, G_TYPE_STRING);
	g_value_set_string(v, doc ? "true" : "Budget TOP SECRET");
	gsf_doc_meta_data_insert(
	    md, g_strdup(doc ? "MSIP_Label_abc_Enabled" : "dc:title"), v);
	gsf_doc_meta_data_write_to_msole(md, mem, doc);
	gsf_output_close(mem);
	*len = (size_t)gsf_output_size(mem);
	out = malloc(*len);
	memcpy(out, gsf_output_memory_get_bytes(GSF_OUTPUT_MEMORY(mem)), *len);
	g_object_unref(mem);
	g_object_unref(md);
	return out;
}

static const uint8_t u16subj[] = {'P', 0, 'l', 0, 'a', 0, 'n', 0};
static const uint8_t u16body[] = {
    'S', 0, 'E', 0, 'C', 0, 'R', 0, 'E', 0, 'T', 0};
static const uint8_t u16name[] = {'a', 0, '.', 0, 't', 0, 'x', 0, 't', 0};

/* UTF-16LE of an ASCII string into a static buffer (n pairs max 128) */
static size_t
utf16(const char *s, uint8_t *out)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		out[2 * i] = (uint8_t)s[i];
		out[2 * i + 1] = 0;
	}
	return 2 * i;
}

static uint8_t nid_entries[8], nid_strings[64], labels[128], headers[256];

struct ocase {
	const char *name;
	int kind; /* 0 word, 1 word encrypted, 2 excel, 3 excel filepass,
	             4 ppt, 5 props, 6 msg, 7 encrypted package, 8 embedded,
	             9 unknown, 10 msg headers, 11 unknown property set,
	             12 word lists, 13 excel cells, 14 excel drawing,
	             15 excel drawing corrupt */
	const char *want[4];
	const char *never;
};

static const struct ocase cases[] = {
    {"word-piece-table", 0, {"[8 a]\nTOP SECRET\nshown\nUK EYES ONLY\t"},
        "HYPERLINK"},
    {"word-encrypted", 1, {"unscanned a encrypted"}, "TOP SECRET"},
    {"excel", 2,
        {"Sheet Secret\n", "alpha\nSECRET\n",
            "label1\t4111111111111111\t0.025 2.50%\t", "&CSECRET\n"}},
    {"excel-cells", 13,
        {"[8 a]\n\nName\tSECRET\t\n1\t4\tabc\t\nJ. Smith\n", "Axis SECRET\n",
            "\nunused\n"},
        "\nName\n"},
    {"excel-drawing-pdf", 14, {"object a/MsoDrawingGroup/pdf1 - - 15 2"}},
    {"excel-drawing-corrupt", 15, {"unscanned a/MsoDrawingGroup/EMF malformed"},
        "object a/"},
    {"excel-filepass", 3, {"unscanned a encrypted Excel FILEPASS"}, "alpha"},
    {"powerpoint", 4,
        {"Slide SECRET\n", "bytes text\nUK EYES ONLY\n",
            "Comment SECRET\nJ. Smith (JS)\nhttp://x.example/SECRET\n",
            "object a/ExOleObjStg1 - - 4 2\nobject a/ExOleObjStg2 - - 23 2"},
        "___PPT10"},
    {"property-sets", 5,
        {"[32 a]\n", "title=Budget TOP SECRET\n",
            "MSIP_Label_abc_Enabled=true\n"}},
    {"outlook-msg", 6,
        {"[1 a/subject]\nPlan\n", "[8 a]\nSECRET\n",
            "object a/__attach_version1.0_#00000000 a.txt - 3 2"}},
    {"encrypted-package", 7, {"unscanned a encrypted EncryptedPackage"}},
    {"embedded-ole10native", 8, {"object a/ObjectPool/Ole10Native - - 4 2"}},
    {"unknown-kind", 9, {"unscanned a unsupported"}},
    {"unknown-property-section", 11,
        {"unscanned a/SummaryInformation malformed property set", "alpha\n"},
        "Budget"},
    {"msg-named-properties-and-headers", 10,
        {"[32 a]\nmsip_labels=MSIP_Label_x_Enabled=true;\n",
            "[2 a]\nmsip_labels: MSIP_Label_x_Enabled=true;\n",
            "[2 a]\nX-Class: SECRET\tUK EYES\n", "[2 a]\nSubject: hi\n"}},
};

static uint8_t *
build(int kind, size_t *len)
{
	static const uint8_t native[] = {4, 0, 0, 0, 'D', 'A', 'T', 'A'};
	struct stream st[6];
	size_t n = 0, pl1, pl2;
	uint8_t *p1 = NULL, *p2 = NULL, *out;

	memset(st, 0, sizeof(st));
	switch (kind) {
	case 0:
	case 1:
		make_word(kind == 1 ? 0x0100 : 0);
		st[n++] =
		    (struct stream){"WordDocument", worddoc, sizeof(worddoc)};
		st[n++] = (struct stream){"1Table", table, sizeof(table)};
		break;
	case 2:
	case 3:
		st[n].path = "Workbook";
		st[n].data = book;
		st[n++].len = make_book(kind == 3);
		break;
	case 4:
		st[n].path = "PowerPoint Document";
		st[n].data = ppt;
		st[n++].len = make_ppt();
		break;
	case 5:
		p1 = make_props(false, &pl1);
		p2 = make_props(true, &pl2);
		st[n++] = (struct stream){"\005SummaryInformation", p1, pl1};
		st[n++] =
		    (struct stream){"\005DocumentSummaryInformation", p2, pl2};
		break;
	case 6:
		st[n++] = (struct stream){
		    "__substg1.0_0037001F", u16subj, sizeof(u16subj)};
		st[n++] = (struct stream){
		    "__substg1.0_1000001F", u16body, sizeof(u16body)};
		st[n++] = (struct stream){
		    "__attach_version1.0_#00000000/__substg1.0_3707001F",
		    u16name, sizeof(u16name)};
		st[n++] = (struct stream){
		    "__attach_version1.0_#00000000/__substg1.0_37010102",
		    (const uint8_t *)"abc", 3};
		break;
	case 10: {
		size_t sl = utf16("msip_labels", nid_strings + 4);

		put32(nid_strings, (uint32_t)sl);
		put32(nid_entries, 0);     /* string offset */
		put16(nid_entries + 4, 1); /* kind: string name */
		put16(nid_entries + 6, 1); /* property 0x8001 */
		st[n++] = (struct stream){
		    "__nameid_version1.0/__substg1.0_00030102", nid_entries, 8};
		st[n++] =
		    (struct stream){"__nameid_version1.0/__substg1.0_00040102",
		        nid_strings, 4 + sl};
		st[n++] = (struct stream){"__substg1.0_8001001F", labels,
		    utf16("MSIP_Label_x_Enabled=true;", labels)};
		st[n++] = (struct stream){"__substg1.0_007D001F", headers,
		    utf16("Subject: hi\r\nX-Class: SECRET\r\n\tUK EYES\r\n",
		        headers)};
		break;
	}
	case 13:
		st[n].path = "Workbook";
		st[n].data = book;
		st[n++].len = make_book_cells();
		break;
	case 14:
	case 15:
		st[n].path = "Workbook";
		st[n].data = book;
		st[n++].len = make_book_drawing(kind == 15);
		break;
	case 12: /* a Word file with list numbering */
		make_word_lists(listcases[0].p, 5);
		st[n++] =
		    (struct stream){"WordDocument", lworddoc, sizeof(lworddoc)};
		st[n++] = (struct stream){"1Table", ltable, sizeof(ltable)};
		break;
	case 11: /* a property set with an unknown section: not parsed */
		p1 = make_props(false, &pl1);
		if (pl1 > 28)
			p1[28] ^= 0x55;
		st[n++] = (struct stream){"\005SummaryInformation", p1, pl1};
		st[n++] = (struct stream){"Workbook", book, make_book(false)};
		break;
	case 7:
		st[n++] = (struct stream){
		    "EncryptionInfo", (const uint8_t *)"\x04\x00\x04\x00", 4};
		st[n++] = (struct stream){
		    "EncryptedPackage", (const uint8_t *)"xxxxxxxx", 8};
		break;
	case 8:
		make_word(0);
		st[n++] =
		    (struct stream){"WordDocument", worddoc, sizeof(worddoc)};
		st[n++] = (struct stream){"1Table", table, sizeof(table)};
		st[n++] = (struct stream){
		    "ObjectPool/\001Ole10Native", native, sizeof(native)};
		break;
	default:
		st[n++] = (struct stream){"Something", (const uint8_t *)"x", 1};
		break;
	}
	out = make_ole(st, n, len);
	free(p1);
	free(p2);
	return out;
}

TEST(ole_table)
{
	struct du_sink d;
	uint8_t *p;
	size_t i, k, len;

	for (i = 0; i < DLP_NITEMS(cases); i++) {
		p = build(cases[i].kind, &len);
		du_init(&d, &test_mem);
		CHECK_INT(dlp_extract_ole(&d.x, "a", p, len, 1), DLP_OK);
		for (k = 0; k < 4 && cases[i].want[k] != NULL; k++)
			CHECK_MSG(du_has(&d, cases[i].want[k]),
			    "%s: want \"%s\" in:\n%s%s", cases[i].name,
			    cases[i].want[k], d.text.p ? (char *)d.text.p : "",
			    d.log.p ? (char *)d.log.p : "");
		if (cases[i].never != NULL)
			CHECK_MSG(!du_has(&d, cases[i].never), "%s: \"%s\"",
			    cases[i].name, cases[i].never);
		du_fini(&d);
		free(p);
	}
	CHECK_INT(test_live(), 0);
}

/*
 * Compressed PowerPoint embedded objects: inflated within the limits and
 * passed on (followed here, so the embedded RTF's text shows), or
 * reported unscanned.
 */
TEST(ole_ppt_compressed_objects)
{
	static const struct {
		const char *name;
		size_t size;   /* bytes of zeros, or 0: the embedded RTF */
		uint32_t decl; /* declared size, 0: the real one */
		size_t cut;    /* bytes cut off the end of the zlib stream */
		uint8_t flip;  /* XORed into the middle of the stream */
		size_t max_entry;
		const char *want;
		const char *never;
	} zc[] = {
	    {"whole stream", 0, 0, 0, 0, 0, "object a/ExOleObjStg1 - - 23 2\n",
	        "unscanned"},
	    {"no Adler-32 at the end", 0, 0, 4, 0, 0,
	        "object a/ExOleObjStg1 - - 23 2\n", "unscanned"},
	    {"embedded text", 0, 0, 0, 0, 0, "EMBEDDED SECRET", NULL},
	    {"stream cut short", 0, 0, 12, 0, 0,
	        "unscanned a/ExOleObjStg1 malformed", "object a/"},
	    {"corrupt stream", 0, 0, 0, 0x55, 0, "unscanned a/ExOleObjStg1",
	        "EMBEDDED SECRET"},
	    {"declared over max_entry_bytes", 0, 1 << 20, 0, 0, 4096,
	        "unscanned a/ExOleObjStg1 limit entry size", "object a/"},
	    {"ratio bomb", 8 << 20, 0, 0, 0, 0,
	        "unscanned a/ExOleObjStg1 limit expansion ratio", "object a/"},
	    {"ratio bomb, small declared size", 8 << 20, 100, 0, 0, 0,
	        "unscanned a/ExOleObjStg1 limit expansion ratio", "object a/"},
	};
	static uint8_t rec[1 << 15];
	struct du_sink d;
	struct stream st;
	uint8_t *p, *zeros;
	size_t i, len;

	for (i = 0; i < DLP_NITEMS(zc); i++) {
		zeros = zc[i].size != 0 ? calloc(1, zc[i].size) : NULL;
		len = zeros != NULL ? ppt_zobj(rec, zeros, zc[i].size,
		                          zc[i].decl, zc[i].cut, zc[i].flip)
		                    : ppt_zobj(rec, embedded_rtf,
		                          sizeof(embedded_rtf) - 1, zc[i].decl,
		                          zc[i].cut, zc[i].flip);
		free(zeros);
		CHECK(len < sizeof(rec));
		st = (struct stream){"PowerPoint Document", ppt, 0};
		st.len = make_ppt_obj(rec, len);
		p = make_ole(&st, 1, &len);
		du_init(&d, &test_mem);
		d.follow = true;
		if (zc[i].max_entry != 0)
			d.limits.max_entry_bytes = zc[i].max_entry;
		CHECK_INT(dlp_extract_ole(&d.x, "a", p, len, 1), DLP_OK);
		CHECK_MSG(du_has(&d, zc[i].want), "%s: want \"%s\" in:\n%s%s",
		    zc[i].name, zc[i].want, d.text.p ? (char *)d.text.p : "",
		    d.log.p ? (char *)d.log.p : "");
		if (zc[i].never != NULL)
			CHECK_MSG(!du_has(&d, zc[i].never),
			    "%s: \"%s\" in:\n%s", zc[i].name, zc[i].never,
			    d.log.p ? (char *)d.log.p : "");
		du_fini(&d);
		free(p);
	}
	CHECK_INT(test_live(), 0);
}

TEST(ole_corrupt)
{
	static const struct {
		const char *name;
		size_t cut; /* bytes kept of a valid file; 0: garbage */
	} bad[] = {{"garbage", 0}, {"truncated-header", 100},
	    {"truncated-body", 1000}};
	struct du_sink d;
	uint8_t *p, junk[600];
	size_t i, len;

	for (i = 0; i < DLP_NITEMS(bad); i++) {
		p = build(0, &len);
		du_init(&d, &test_mem);
		if (bad[i].cut == 0) {
			memset(junk, 0x41, sizeof(junk));
			memcpy(junk, "\320\317\021\340\241\261\032\341", 8);
			CHECK_INT(
			    dlp_extract_ole(&d.x, "a", junk, sizeof(junk), 1),
			    DLP_OK);
		} else {
			CHECK_INT(dlp_extract_ole(&d.x, "a", p,
			              bad[i].cut < len ? bad[i].cut : len, 1),
			    DLP_OK);
		}
		CHECK_MSG(du_has(&d, "unscanned a"), "%s: %s", bad[i].name,
		    d.log.p ? (char *)d.log.p : "(nothing)");
		du_fini(&d);
		free(p);
	}
}

TEST(ole_limit)
{
	struct du_sink d;
	uint8_t *p;
	size_t len;

	p = build(0, &len);
	du_init(&d, &test_mem);
	d.limits.max_entry_bytes = 100;
	CHECK_INT(dlp_extract_ole(&d.x, "a", p, len, 1), DLP_OK);
	CHECK(du_has(&d, "unscanned a limit"));
	CHECK(!du_has(&d, "TOP SECRET"));
	du_fini(&d);
	free(p);
}

TEST(ole_oom_sweep)
{
	static const int kinds[] = {0, 2, 4, 5, 6, 8, 10, 12, 13, 14};
	uint8_t *p;
	size_t len, k;

	for (k = 0; k < DLP_NITEMS(kinds); k++) {
		p = build(kinds[k], &len);
		CHECK(du_oom_sweep(dlp_extract_ole, p, len, 300) < 300);
		free(p);
	}
}

DU_CORPUS_TESTS(ole, dlp_extract_ole, {"doc", "xls", "ppt", NULL})

TEST_MAIN()
