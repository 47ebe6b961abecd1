/*
 * extract_ole.c - legacy OLE2 compound files through libgsf: Word 97+
 * (.doc), Excel BIFF8 (.xls), PowerPoint 97+ (.ppt), Outlook (.msg), the
 * property-set streams, and password-protected OOXML (EncryptedPackage).
 *
 * Word: the piece table (CLX in the 0Table/1Table stream) gives the real
 * text, 8-bit pieces in Windows-1252, others UTF-16LE; field codes are
 * dropped and field results kept; list numbers are generated from the
 * list tables. When the FIB or CLX is odd the stream
 * is scanned for UTF-16LE and 8-bit runs instead. Excel (extract_xls.c):
 * cells in rows (LABELSST with its SST string, LABEL/RSTRING/STRING,
 * NUMBER/RK/MULRK/FORMULA values), sheet names, header/footer strings,
 * text boxes (TXO), comment authors, chart text; a PDF that
 * Mac Office keeps inside an EMF picture of the drawing group is passed
 * on as an object (the EMF inflated within the limits).
 * PowerPoint: TextCharsAtom/TextBytesAtom, CStrings (header/footer,
 * comments with "author (initials)", hyperlinks, names), also in the
 * PowerPoint 2000+ binary tag data;
 * embedded objects (ExOleObjStg) are passed on, zlib-compressed ones
 * inflated first within the per-entry, expansion-ratio and budget limits
 * ("limit" past them, "malformed" when the stream is broken).
 * SummaryInformation/DocumentSummaryInformation (title, subject,
 * keywords, custom properties where MSIP_Label_* may be) are
 * DLP_SCOPE_METADATA "name=value" lines. Outlook: subject (as a subject),
 * body, transport headers (one DLP_SCOPE_HEADERS text per header),
 * string-named properties as metadata ("msip_labels" also as a header),
 * attachments (__attach_* data as objects, embedded messages
 * read in place at depth + 1). Embedded storages (ObjectPool/_N, MBD*)
 * are read in place (at most 16 storage levels); Ole10Native, Package
 * and CONTENTS streams in them are passed on as objects at depth + 1.
 *
 * EncryptedPackage, the Word fEncrypted bit, Excel FILEPASS and the
 * PowerPoint EncryptedSummary stream are "encrypted"; a file libgsf cannot
 * open, or a stream in it that libgsf cannot open, is "malformed". Streams
 * larger than the per-entry limit or the budget are "limit". libgsf logs
 * g_warning/g_critical messages about corrupt files through GLib's
 * default handler (stderr); no handler is installed here, because GLib's
 * log handlers are process-global. libgsf/GLib allocate through
 * g_malloc, not our allocator; our buffers do go through it.
 */
#include <gsf/gsf.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "extract.h"
#include "extract_ole.h"

struct ole {
	struct dlp_xctx *x;
	struct dlp_buf text, meta, wb;
	struct dlp_buf names; /* Outlook named-property map (load_nameid) */
	bool encrypted;
};

static void
put16le(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static const uint16_t cp1252_hi[32] = {0x20ac, 0x81, 0x201a, 0x192, 0x201e,
    0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d,
    0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc,
    0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178};

uint32_t
dlp_ole_cp1252(uint8_t b)
{
	return (b >= 0x80 && b < 0xa0) ? cp1252_hi[b - 0x80] : b;
}

/* UTF-16LE code units to UTF-8, surrogate pairs joined; \r and \v end
 * lines when nl is set. */
static bool
put_utf16(struct dlp_buf *out, const uint8_t *p, size_t n, bool nl)
{
	uint32_t c, lo;
	size_t k;

	for (k = 0; k < n; k++) {
		c = (uint32_t)p[2 * k] | (uint32_t)p[2 * k + 1] << 8;
		if (c >= 0xd800 && c < 0xdc00 && k + 1 < n) {
			lo = (uint32_t)p[2 * k + 2] | (uint32_t)p[2 * k + 3]
			                                  << 8;
			if (lo >= 0xdc00 && lo < 0xe000) {
				c = 0x10000 + ((c - 0xd800) << 10) +
				    (lo - 0xdc00);
				k++;
			}
		}
		if (nl && (c == 0x0d || c == 0x0b))
			c = '\n';
		if (!dlp_buf_put_utf8(out, c))
			return false;
	}
	return true;
}

static bool
make_where(struct dlp_buf *b, const char *where, const char *name)
{
	dlp_buf_reset(b);
	if (!dlp_buf_puts(b, where) || !dlp_buf_putc(b, '/'))
		return false;
	for (; *name != '\0'; name++)
		if ((unsigned char)*name >= ' ' && !dlp_buf_putc(b, *name))
			return false;
	return true;
}

/*
 * Read a whole stream into out within the entry limit and budget.
 * Returns DLP_OK with *why NULL on success, *why set when unreadable.
 */
static enum dlp_status
read_stream(struct ole *o, GsfInput *in, struct dlp_buf *out, const char **why)
{
	struct dlp_budget *bud = o->x->sink->budget;
	size_t max = o->x->lim != NULL ? o->x->lim->max_entry_bytes : 0;
	gsf_off_t size = gsf_input_size(in);

	*why = NULL;
	dlp_buf_reset(out);
	if (max == 0 && bud != NULL && bud->limits != NULL)
		max = bud->limits->max_entry_bytes;
	if (size < 0) {
		*why = "malformed";
		return DLP_OK;
	}
	if ((max != 0 && (uint64_t)size > max) ||
	    (bud != NULL && !dlp_budget_take(bud, (size_t)size))) {
		*why = "limit";
		return DLP_OK;
	}
	if (!dlp_buf_reserve(out, (size_t)size))
		return DLP_ERR_NOMEM;
	if (size > 0 && gsf_input_read(in, (size_t)size, out->p) == NULL) {
		*why = "malformed";
		return DLP_OK;
	}
	out->len = (size_t)size;
	out->p[out->len] = '\0';
	return DLP_OK;
}

static enum dlp_status
report(struct ole *o, const char *where, const char *why, const char *detail)
{
	return o->x->sink->unscanned(o->x->sink->ctx, where, why, detail);
}

/* ---- Word: the piece table is read in extract_doc.c ---- */

static enum dlp_status
do_word(struct ole *o, GsfInfile *dir, GsfInput *wd, const char *where)
{
	struct dlp_buf doc, tbl;
	GsfInput *t = NULL;
	enum dlp_status st;
	const char *why;
	size_t base, npairs = 0;
	unsigned flags, csw, cslw;
	bool nomem = false, ok = false;

	dlp_buf_init(&doc, o->x->mem);
	dlp_buf_init(&tbl, o->x->mem);
	if ((st = read_stream(o, wd, &doc, &why)) != DLP_OK)
		goto out;
	if (why != NULL) {
		st = report(o, where, why, "WordDocument stream");
		goto out;
	}
	if (doc.len < 34 || dlp_le16(doc.p) != 0xa5ec) {
		st = report(o, where, "malformed", "Word FIB");
		goto out;
	}
	flags = dlp_le16(doc.p + 0x0a);
	if (flags & 0x0100) {
		o->encrypted = true;
		st = report(o, where, "encrypted", "Word fEncrypted");
		goto out;
	}
	csw = dlp_le16(doc.p + 32);
	base = 34 + 2 * (size_t)csw;
	if (base + 2 <= doc.len) {
		cslw = dlp_le16(doc.p + base);
		base += 2 + 4 * (size_t)cslw + 2;
		if (base <= doc.len) {
			npairs = dlp_le16(doc.p + base - 2);
			if (npairs > (doc.len - base) / 8)
				npairs = (doc.len - base) / 8;
		}
		if (npairs > 33) {
			t = gsf_infile_child_by_name(
			    dir, (flags & 0x0200) ? "1Table" : "0Table");
			if (t != NULL) {
				if ((st = read_stream(o, t, &tbl, &why)) !=
				    DLP_OK)
					goto out;
				if (why == NULL)
					ok = dlp_ole_word_pieces(doc.p, doc.len,
					    tbl.p, tbl.len, doc.p + base,
					    npairs, &o->text, &nomem);
			}
		}
	}
	if (nomem) {
		st = DLP_ERR_NOMEM;
		goto out;
	}
	if (!ok) {
		dlp_buf_reset(&o->text);
		if (!dlp_ole_word_runs(doc.p + (doc.len > 0x200 ? 0x200 : 0),
		        doc.len - (doc.len > 0x200 ? 0x200 : 0), &o->text))
			st = DLP_ERR_NOMEM;
	}
out:
	if (t != NULL)
		g_object_unref(t);
	dlp_buf_fini(&doc);
	dlp_buf_fini(&tbl);
	return st;
}

/* ---- Excel: the BIFF walk is in extract_xls.c ---- */

static enum dlp_status inflate_limited(struct ole *o, uint32_t decl,
    const uint8_t *p, size_t len, struct dlp_buf *out, const char **why,
    const char **detail);

/*
 * An EMF picture's EMR_COMMENT "GDIC" multi-format records: the PDF
 * format (signature " FDP"), which Mac Office writes for an embedded PDF,
 * is passed on as an object.
 */
static enum dlp_status
emf_pdf(struct ole *o, const uint8_t *e, size_t len, const char *where,
    unsigned depth, unsigned *n)
{
	const struct dlp_sink *s = o->x->sink;
	enum dlp_status st = DLP_OK;
	size_t pos = 0, sz, k, cnt, dl, fl, fo;
	const uint8_t *f;
	char name[48];

	while (st == DLP_OK && len - pos >= 8) {
		sz = dlp_le32(e + pos + 4);
		if (sz < 8 || sz > len - pos ||
		    dlp_le32(e + pos) == 14) /* EOF */
			break;
		if (dlp_le32(e + pos) == 70 && sz >= 40 &&
		    memcmp(e + pos + 12, "GDIC", 4) == 0 &&
		    dlp_le32(e + pos + 16) == 0x40000004u) {
			dl = dlp_le32(e + pos + 8);
			if (dl > sz - 12)
				dl = sz - 12;
			cnt = dlp_le32(e + pos + 36);
			for (k = 0;
			     k < cnt && st == DLP_OK && k < (dl - 28) / 16;
			     k++) {
				f = e + pos + 40 + 16 * k;
				fl = dlp_le32(f + 8);
				fo = dlp_le32(f + 12);
				if (dlp_le32(f) != 0x50444620u || fo > dl ||
				    fl > dl - fo)
					continue;
				snprintf(name, sizeof(name),
				    "MsoDrawingGroup/pdf%u", ++*n);
				if (!make_where(&o->wb, where, name))
					return DLP_ERR_NOMEM;
				st = s->object(s->ctx, (const char *)o->wb.p,
				    NULL, NULL, e + pos + 12 + fo, fl,
				    depth + 1);
			}
		}
		pos += sz;
	}
	return st;
}

/*
 * The pictures of an Excel drawing group (DggContainer, BStoreContainer,
 * FBSE records with the picture inside): EMF pictures are inflated
 * (within the limits) and searched for an embedded PDF. Other pictures
 * are not passed on.
 */
static enum dlp_status
xls_pictures(struct ole *o, const uint8_t *g, size_t glen, const char *where,
    unsigned depth)
{
	struct dlp_buf emf;
	enum dlp_status st = DLP_OK;
	size_t pos = 0, rl, h, cb;
	unsigned vi, type, n = 0;
	const char *why, *detail;
	const uint8_t *m;

	dlp_buf_init(&emf, o->x->mem);
	while (st == DLP_OK && glen - pos >= 8) {
		vi = dlp_le16(g + pos);
		type = dlp_le16(g + pos + 2);
		rl = dlp_le32(g + pos + 4);
		if (rl > glen - pos - 8)
			break;
		if ((vi & 0x0f) == 0x0f) { /* container: descend */
			pos += 8;
			continue;
		}
		if (type == 0xf007 && rl >= 36 && g[pos + 8 + 33] <= rl - 36) {
			pos += 8 + 36 + g[pos + 8 + 33]; /* FBSE: its picture */
			continue;
		}
		h = 16 + (((vi >> 4) ^ 0x3d4) == 1 ? 16 : 0); /* rgbUid(s) */
		if (type == 0xf01a && rl >= h + 34 &&
		    dlp_le32(g + pos + 8 + h + 28) <= rl - h - 34) {
			m = g + pos + 8 + h; /* the metafile header */
			cb = dlp_le32(m + 28);
			why = NULL;
			dlp_buf_reset(&emf);
			if (m[32] == 0) /* deflate */
				st = inflate_limited(o, dlp_le32(m), m + 34, cb,
				    &emf, &why, &detail);
			else if (!dlp_buf_append(&emf, m + 34, cb))
				st = DLP_ERR_NOMEM;
			if (st == DLP_OK && why != NULL) {
				if (!make_where(
				        &o->wb, where, "MsoDrawingGroup/EMF"))
					st = DLP_ERR_NOMEM;
				else
					st = report(o, (const char *)o->wb.p,
					    why, detail);
			} else if (st == DLP_OK) {
				st = emf_pdf(
				    o, emf.p, emf.len, where, depth, &n);
			}
		}
		pos += 8 + rl;
	}
	dlp_buf_fini(&emf);
	return st;
}

static enum dlp_status
do_excel(struct ole *o, GsfInput *in, const char *where, unsigned depth)
{
	struct dlp_buf wb, dg;
	enum dlp_status st;
	const char *why;
	const char *bad = NULL;

	dlp_buf_init(&wb, o->x->mem);
	dlp_buf_init(&dg, o->x->mem);
	if ((st = read_stream(o, in, &wb, &why)) != DLP_OK)
		goto out;
	if (why != NULL) {
		st = report(o, where, why, "Workbook stream");
		goto out;
	}
	if (!dlp_ole_biff_text(wb.p, wb.len, &o->text, &bad)) {
		st = DLP_ERR_NOMEM;
	} else if (bad != NULL && bad[0] == 'e') {
		o->encrypted = true;
		st = report(o, where, "encrypted", "Excel FILEPASS");
	} else if (bad != NULL) {
		st = report(o, where, bad, "Excel record past the stream end");
	}
	if (st == DLP_OK && !o->encrypted) {
		if (!dlp_ole_biff_drawing_group(wb.p, wb.len, &dg))
			st = DLP_ERR_NOMEM;
		else
			st = xls_pictures(o, dg.p, dg.len, where, depth);
	}
out:
	dlp_buf_fini(&wb);
	dlp_buf_fini(&dg);
	return st;
}

/* ---- PowerPoint ---- */

/*
 * Inflate the zlib stream p[0..len), decl bytes when whole, into out,
 * within the per-entry limit, the expansion ratio (with archive.c's 1 MiB
 * floor) and the message budget. *why is NULL, "limit" (*detail names
 * it) or "malformed".
 */
static enum dlp_status
inflate_limited(struct ole *o, uint32_t decl, const uint8_t *p, size_t len,
    struct dlp_buf *out, const char **why, const char **detail)
{
	struct dlp_budget *bud = o->x->sink->budget;
	const char *capdetail;
	size_t cap = dlp_expand_cap(o->x, len, &capdetail);
	enum dlp_status st;

	st = dlp_inflate(o->x, p, len, cap, capdetail, decl, false,
	    "compressed embedded object", out, why, detail);
	if (st == DLP_OK && *why == NULL && !dlp_budget_take(bud, out->len)) {
		*why = "limit";
		*detail = "expanded bytes per message (max_expanded_bytes)";
	}
	return st;
}

/* A compressed ExOleObjStg: u32 decompressed size, then a zlib stream. */
static enum dlp_status
inflate_obj(struct ole *o, const uint8_t *p, size_t len, struct dlp_buf *out,
    const char **why, const char **detail)
{
	if (len < 4) {
		*why = "malformed";
		*detail = "compressed embedded object";
		return DLP_OK;
	}
	return inflate_limited(
	    o, dlp_le32(p), p + 4, len - 4, out, why, detail);
}

/* Does p[0..len) hold whole records, one after another, exactly? */
static bool
ppt_records(const uint8_t *p, size_t len)
{
	size_t pos = 0, rl;

	while (len - pos >= 8) {
		rl = dlp_le32(p + pos + 4);
		if (rl > len - pos - 8)
			return false;
		pos += 8 + rl;
	}
	return pos == len;
}

#define PPT_LEVELS 32

/* A comment's author "Name (initials)" once its container ends. */
static bool
ppt_author(struct dlp_buf *out, struct dlp_buf *author, struct dlp_buf *ini)
{
	bool ok = true;

	if (author->len > 0 || ini->len > 0) {
		ok = dlp_buf_append(out, author->p, author->len) &&
		     (ini->len == 0 ||
		         (dlp_buf_puts(out, author->len > 0 ? " (" : "(") &&
		             dlp_buf_append(out, ini->p, ini->len) &&
		             dlp_buf_putc(out, ')'))) &&
		     dlp_buf_putc(out, '\n');
	}
	dlp_buf_reset(author);
	dlp_buf_reset(ini);
	return ok;
}

/*
 * The PowerPoint Document stream, walked record by record. Containers
 * are entered (and a BinaryTagDataBlob when it holds whole records: the
 * PowerPoint 2000+ extensions, comments among them, live there). Text:
 * TextCharsAtom, TextBytesAtom and every CString (header/footer, comment,
 * hyperlink, slide and object names) but programmable tag names.
 * Comments (Comment10Container: author, text, initials) give the text,
 * then "author (initials)".
 */
static enum dlp_status
do_ppt(struct ole *o, GsfInput *in, const char *where, unsigned depth)
{
	const struct dlp_sink *s = o->x->sink;
	unsigned nobj = 0;
	char oname[32];
	struct dlp_buf pp, obj, author, ini;
	enum dlp_status st;
	const char *why, *detail;
	size_t pos = 0, rl, k, nst = 0, end[PPT_LEVELS];
	unsigned vi, type, inst, parent, ctype[PPT_LEVELS];
	struct dlp_buf *out = &o->text;

	dlp_buf_init(&pp, o->x->mem);
	dlp_buf_init(&obj, o->x->mem);
	dlp_buf_init(&author, o->x->mem);
	dlp_buf_init(&ini, o->x->mem);
	if ((st = read_stream(o, in, &pp, &why)) != DLP_OK)
		goto out;
	if (why != NULL) {
		st = report(o, where, why, "PowerPoint Document stream");
		goto out;
	}
	while (pos + 8 <= pp.len) {
		while (nst > 0 && pos >= end[nst - 1])
			if (ctype[--nst] == 0x2ee0 &&
			    !ppt_author(out, &author, &ini))
				goto nomem;
		parent = nst > 0 ? ctype[nst - 1] : 0;
		vi = dlp_le16(pp.p + pos);
		type = dlp_le16(pp.p + pos + 2);
		rl = dlp_le32(pp.p + pos + 4);
		inst = vi >> 4;
		if ((vi & 0x0f) == 0x0f ||
		    (type == 0x138b && rl <= pp.len - pos - 8 &&
		        ppt_records(pp.p + pos + 8, rl))) {
			/* a container: descend */
			if (nst < PPT_LEVELS) {
				ctype[nst] = type;
				end[nst++] = rl <= pp.len - pos - 8
				                 ? pos + 8 + rl
				                 : pp.len;
			}
			pos += 8;
			continue;
		}
		if (rl > pp.len - pos - 8) {
			st = report(o, where, "malformed",
			    "PowerPoint record past the end of the stream");
			goto out;
		}
		if (type == 0x1011) { /* ExOleObjStg: an embedded object */
			snprintf(oname, sizeof(oname), "ExOleObjStg%u", ++nobj);
			if (!make_where(&o->wb, where, oname))
				goto nomem;
			if (inst == 0) {
				st = s->object(s->ctx, (const char *)o->wb.p,
				    NULL, NULL, pp.p + pos + 8, rl, depth + 1);
			} else if ((st = inflate_obj(o, pp.p + pos + 8, rl,
			                &obj, &why, &detail)) != DLP_OK) {
				goto out;
			} else if (why != NULL) {
				st = report(
				    o, (const char *)o->wb.p, why, detail);
			} else {
				st = s->object(s->ctx, (const char *)o->wb.p,
				    NULL, NULL, obj.p, obj.len, depth + 1);
			}
			if (st != DLP_OK)
				goto out;
		} else if (type == 0x0fba && parent == 0x2ee0 &&
		           (inst == 0 || inst == 2)) { /* author, initials */
			dlp_buf_reset(inst == 0 ? &author : &ini);
			if (!put_utf16(inst == 0 ? &author : &ini,
			        pp.p + pos + 8, rl / 2, false))
				goto nomem;
		} else if (type == 0x0fa0 ||
		           (type == 0x0fba && !(inst == 0 && parent >= 0x1388 &&
		                                  parent <= 0x138a))) {
			if (!put_utf16(out, pp.p + pos + 8, rl / 2, true))
				goto nomem;
			if (!dlp_buf_putc(out, '\n'))
				goto nomem;
		} else if (type == 0x0fa8) {
			for (k = 0; k < rl; k++) {
				uint8_t ch = pp.p[pos + 8 + k];
				if (!dlp_buf_put_utf8(
				        out, ch == 0x0d || ch == 0x0b
				                 ? '\n'
				                 : dlp_ole_cp1252(ch)))
					goto nomem;
			}
			if (!dlp_buf_putc(out, '\n'))
				goto nomem;
		}
		pos += 8 + rl;
	}
	while (nst > 0) /* containers that end with the stream */
		if (ctype[--nst] == 0x2ee0 && !ppt_author(out, &author, &ini))
			goto nomem;
	goto out;
nomem:
	st = DLP_ERR_NOMEM;
out:
	dlp_buf_fini(&pp);
	dlp_buf_fini(&obj);
	dlp_buf_fini(&author);
	dlp_buf_fini(&ini);
	return st;
}

/* ---- property sets ---- */

struct metactx {
	struct dlp_buf *out;
	bool nomem;
};

static void
meta_one(gpointer key, gpointer value, gpointer user)
{
	struct metactx *m = user;
	const GValue *v = gsf_doc_prop_get_val(value);
	gchar *s = NULL;
	const char *name = key;

	if (v == NULL || m->nomem)
		return;
	if (G_VALUE_HOLDS_STRING(v))
		s = g_value_dup_string(v);
	else if (G_VALUE_HOLDS_BOOLEAN(v))
		s = g_strdup(g_value_get_boolean(v) ? "true" : "false");
	else if (G_VALUE_HOLDS_INT(v) || G_VALUE_HOLDS_UINT(v))
		s = g_strdup_value_contents(v);
	if (s == NULL || s[0] == '\0') {
		g_free(s);
		return;
	}
	if (strncmp(name, "dc:", 3) == 0 || strncmp(name, "gsf:", 4) == 0 ||
	    strncmp(name, "meta:", 5) == 0)
		name = strchr(name, ':') + 1;
	if (!dlp_buf_puts(m->out, name) || !dlp_buf_putc(m->out, '=') ||
	    !dlp_buf_puts(m->out, s) || !dlp_buf_putc(m->out, '\n'))
		m->nomem = true;
	g_free(s);
}

/*
 * A property-set stream whose sections are all of the known kinds
 * (SummaryInformation, DocumentSummaryInformation and its user-defined
 * section). libgsf hex-dumps an unknown section to stdout, so only sets
 * that pass this check are handed to it.
 */
static bool
props_known(const uint8_t *p, size_t len)
{
	static const uint8_t fmtids[3][16] = {
	    {0xe0, 0x85, 0x9f, 0xf2, 0xf9, 0x4f, 0x68, 0x10, 0xab, 0x91, 0x08,
	        0x00, 0x2b, 0x27, 0xb3, 0xd9},
	    {0x02, 0xd5, 0xcd, 0xd5, 0x9c, 0x2e, 0x1b, 0x10, 0x93, 0x97, 0x08,
	        0x00, 0x2b, 0x2c, 0xf9, 0xae},
	    {0x05, 0xd5, 0xcd, 0xd5, 0x9c, 0x2e, 0x1b, 0x10, 0x93, 0x97, 0x08,
	        0x00, 0x2b, 0x2c, 0xf9, 0xae}};
	uint32_t n, k, f;

	if (len < 28 || dlp_le16(p) != 0xfffe)
		return false;
	n = dlp_le32(p + 24);
	if (n == 0 || n > 2 || len < 28 + 20 * (size_t)n)
		return false;
	for (k = 0; k < n; k++) {
		for (f = 0; f < 3; f++)
			if (memcmp(p + 28 + 20 * k, fmtids[f], 16) == 0)
				break;
		if (f == 3 || dlp_le32(p + 28 + 20 * k + 16) >= len)
			return false;
	}
	return true;
}

static enum dlp_status
do_props(struct ole *o, GsfInput *in, const char *where)
{
	GsfDocMetaData *md = NULL;
	GsfInput *mem = NULL;
	struct metactx m = {&o->meta, false};
	struct dlp_buf raw;
	enum dlp_status st;
	const char *why;
	GError *e;

	dlp_buf_init(&raw, o->x->mem);
	if ((st = read_stream(o, in, &raw, &why)) != DLP_OK)
		goto out;
	if (why == NULL && !props_known(raw.p, raw.len)) {
		size_t k;

		for (k = 0; k < raw.len && raw.p[k] == 0; k++)
			;
		if (k == raw.len) /* zero-filled (some writers): no content */
			goto out;
		why = "malformed";
	}
	if (why != NULL) {
		st = report(o, where, why, "property set");
		goto out;
	}
	md = gsf_doc_meta_data_new();
	mem = gsf_input_memory_new(raw.p, (gsf_off_t)raw.len, FALSE);
	if (md == NULL || mem == NULL) {
		st = DLP_ERR_NOMEM;
		goto out;
	}
	e = gsf_doc_meta_data_read_from_msole(md, mem);
	if (e != NULL)
		g_error_free(e); /* partial sets are still listed */
	gsf_doc_meta_data_foreach(md, meta_one, &m);
	st = m.nomem ? DLP_ERR_NOMEM : DLP_OK;
out:
	if (mem != NULL)
		g_object_unref(mem);
	if (md != NULL)
		g_object_unref(md);
	dlp_buf_fini(&raw);
	return st;
}

/* ---- embedded objects ---- */

/* A NUL-terminated string at p[*i..len); false when unterminated. */
static bool
cstr(const uint8_t *p, size_t len, size_t *i, const uint8_t **s, size_t *sl)
{
	const uint8_t *z = memchr(p + *i, 0, len - *i);

	if (z == NULL)
		return false;
	*s = p + *i;
	*sl = (size_t)(z - (p + *i));
	*i += *sl + 1;
	return true;
}

bool
dlp_ole_package(const uint8_t *p, size_t len, char *name, size_t nsize,
    const uint8_t **file, size_t *flen)
{
	const uint8_t *label, *path;
	size_t i = 2, ll, pl, n;

	if (len < 2 || dlp_le16(p) != 2 || !cstr(p, len, &i, &label, &ll) ||
	    !cstr(p, len, &i, &path, &pl) || len - i < 8)
		return false;
	i += 4; /* format/version */
	n = dlp_le32(p + i);
	i += 4;
	if (n > len - i || len - i - n < 4)
		return false;
	i += n; /* temporary path */
	n = dlp_le32(p + i);
	i += 4;
	if (n > len - i)
		return false;
	*file = p + i;
	*flen = n;
	if (nsize > 0) {
		if (ll >= nsize)
			ll = nsize - 1;
		memcpy(name, label, ll);
		name[ll] = '\0';
	}
	return true;
}

/* An Ole10Native stream: u32 size, then native data (maybe a package). */
static enum dlp_status
ole10native(struct ole *o, const char *where, const uint8_t *p, size_t len,
    unsigned depth)
{
	const struct dlp_sink *s = o->x->sink;
	const uint8_t *file;
	size_t flen, n;
	char name[256];

	if (len < 4)
		return report(o, where, "malformed", "Ole10Native");
	n = dlp_le32(p);
	if (n > len - 4)
		n = len - 4;
	if (dlp_ole_package(p + 4, n, name, sizeof(name), &file, &flen))
		return s->object(s->ctx, where, name[0] != '\0' ? name : NULL,
		    NULL, file, flen, depth + 1);
	return s->object(s->ctx, where, NULL, NULL, p + 4, n, depth + 1);
}

/* ---- storage walk ---- */

static enum dlp_status walk(struct ole *o, GsfInfile *dir, const char *where,
    unsigned depth, unsigned level);

/* Text of a string property stream (001F UTF-16LE, 001E 8-bit). */
static enum dlp_status
msg_prop(struct ole *o, GsfInput *in, bool wide, struct dlp_buf *out)
{
	struct dlp_buf raw;
	enum dlp_status st;
	const char *why;

	dlp_buf_init(&raw, o->x->mem);
	if ((st = read_stream(o, in, &raw, &why)) != DLP_OK || why != NULL)
		goto out;
	if (wide) {
		if (!put_utf16(out, raw.p, raw.len / 2, false))
			st = DLP_ERR_NOMEM;
	} else if (!dlp_charset_to_utf8(
	               o->x->cs, NULL, raw.p, raw.len, out, NULL)) {
		st = DLP_ERR_NOMEM;
	}
out:
	dlp_buf_fini(&raw);
	return st;
}

/* ---- Outlook named properties and transport headers ---- */

/*
 * The named-property map of a .msg (__nameid_version1.0): string-named
 * properties are kept as records [u16 id][u16 len][name] in o->names.
 */
static enum dlp_status
load_nameid(struct ole *o, GsfInfile *dir)
{
	GsfInput *nd, *ein = NULL, *sin = NULL;
	struct dlp_buf ent, str, name;
	enum dlp_status st = DLP_OK;
	const char *why1 = NULL, *why2 = NULL;
	size_t k, off, n;
	uint8_t hdr[4];

	if ((nd = gsf_infile_child_by_name(dir, "__nameid_version1.0")) == NULL)
		return DLP_OK;
	dlp_buf_init(&ent, o->x->mem);
	dlp_buf_init(&str, o->x->mem);
	dlp_buf_init(&name, o->x->mem);
	if (!GSF_IS_INFILE(nd))
		goto out;
	ein = gsf_infile_child_by_name(GSF_INFILE(nd), "__substg1.0_00030102");
	sin = gsf_infile_child_by_name(GSF_INFILE(nd), "__substg1.0_00040102");
	if (ein == NULL || sin == NULL)
		goto out;
	if ((st = read_stream(o, ein, &ent, &why1)) != DLP_OK ||
	    (st = read_stream(o, sin, &str, &why2)) != DLP_OK || why1 != NULL ||
	    why2 != NULL)
		goto out;
	dlp_buf_reset(&o->names);
	for (k = 0; k + 8 <= ent.len; k += 8) {
		if ((dlp_le16(ent.p + k + 4) & 1) == 0)
			continue; /* numeric name */
		off = dlp_le32(ent.p + k);
		if (off > str.len || str.len - off < 4)
			continue;
		n = dlp_le32(str.p + off);
		if (n > str.len - off - 4)
			continue;
		dlp_buf_reset(&name);
		if (!put_utf16(&name, str.p + off + 4, n / 2, false) ||
		    name.len > 0xffff) {
			st = name.len > 0xffff ? DLP_OK : DLP_ERR_NOMEM;
			if (st != DLP_OK)
				goto out;
			continue;
		}
		put16le(hdr, 0x8000 + dlp_le16(ent.p + k + 6));
		put16le(hdr + 2, (unsigned)name.len);
		if (!dlp_buf_append(&o->names, hdr, 4) ||
		    !dlp_buf_append(&o->names, name.p, name.len)) {
			st = DLP_ERR_NOMEM;
			goto out;
		}
	}
out:
	if (ein != NULL)
		g_object_unref(ein);
	if (sin != NULL)
		g_object_unref(sin);
	g_object_unref(nd);
	dlp_buf_fini(&ent);
	dlp_buf_fini(&str);
	dlp_buf_fini(&name);
	return st;
}

static const char *
named(const struct ole *o, unsigned id, size_t *len)
{
	size_t k = 0, n;

	while (k + 4 <= o->names.len) {
		n = dlp_le16(o->names.p + k + 2);
		if (dlp_le16(o->names.p + k) == id) {
			*len = n;
			return (const char *)o->names.p + k + 4;
		}
		k += 4 + n;
	}
	return NULL;
}

/* One header "Name: value" (already unfolded) as DLP_SCOPE_HEADERS. */
static enum dlp_status
put_header(struct ole *o, const char *where, const char *line, size_t len)
{
	const struct dlp_sink *s = o->x->sink;
	const char *colon = memchr(line, ':', len);
	char hname[128];
	size_t nl;

	if (colon == NULL || colon == line)
		return DLP_OK;
	nl = (size_t)(colon - line);
	if (nl >= sizeof(hname))
		nl = sizeof(hname) - 1;
	memcpy(hname, line, nl);
	hname[nl] = '\0';
	return s->text(s->ctx, DLP_SCOPE_HEADERS, where, hname, line, len);
}

/* PidTagTransportMessageHeaders: unfold and report each header. */
static enum dlp_status
msg_headers(struct ole *o, const char *where, const uint8_t *p, size_t len)
{
	struct dlp_buf line;
	enum dlp_status st = DLP_OK;
	size_t i = 0, e;

	dlp_buf_init(&line, o->x->mem);
	while (i < len && st == DLP_OK) {
		for (e = i; e < len && p[e] != '\n'; e++)
			;
		if (e > i && p[i] != ' ' && p[i] != '\t' && line.len > 0) {
			st = put_header(
			    o, where, (const char *)line.p, line.len);
			dlp_buf_reset(&line);
		}
		/* a continuation line is appended: the CRLF goes, the WSP stays
		 */

		if (!dlp_buf_append(
		        &line, p + i, e - i - (e > i && p[e - 1] == '\r'))) {
			st = DLP_ERR_NOMEM;
			break;
		}
		i = e + 1;
	}
	if (st == DLP_OK && line.len > 0)
		st = put_header(o, where, (const char *)line.p, line.len);
	dlp_buf_fini(&line);
	return st;
}

static bool
is_hex4(const char *s, unsigned *v)
{
	unsigned k, d;

	*v = 0;
	for (k = 0; k < 4; k++) {
		if (s[k] >= '0' && s[k] <= '9')
			d = (unsigned)(s[k] - '0');
		else if (s[k] >= 'A' && s[k] <= 'F')
			d = (unsigned)(s[k] - 'A' + 10);
		else if (s[k] >= 'a' && s[k] <= 'f')
			d = (unsigned)(s[k] - 'a' + 10);
		else
			return false;
		*v = *v << 4 | d;
	}
	return true;
}

/*
 * A string property other than subject and body: transport headers, and
 * string-named properties (MSIP labels: "msip_labels" is also reported as
 * a header). Returns DLP_OK without doing anything for other tags.
 */
static enum dlp_status
msg_other(
    struct ole *o, GsfInput *in, const char *where, unsigned tag, bool wide)
{
	const struct dlp_sink *s = o->x->sink;
	struct dlp_buf v, line;
	enum dlp_status st = DLP_OK;
	const char *nm = NULL;
	size_t nl = 0;

	if (tag != 0x007d &&
	    (tag < 0x8000 || (nm = named(o, tag, &nl)) == NULL))
		return DLP_OK;
	dlp_buf_init(&v, o->x->mem);
	dlp_buf_init(&line, o->x->mem);
	if ((st = msg_prop(o, in, wide, &v)) != DLP_OK || v.len == 0)
		goto out;
	if (tag == 0x007d) {
		st = msg_headers(o, where, v.p, v.len);
		goto out;
	}
	if (!dlp_buf_append(&o->meta, nm, nl) || !dlp_buf_putc(&o->meta, '=') ||
	    !dlp_buf_append(&o->meta, v.p, v.len) ||
	    !dlp_buf_putc(&o->meta, '\n')) {
		st = DLP_ERR_NOMEM;
		goto out;
	}
	if (nl == 11 && dlp_memcaseeq(nm, "msip_labels", 11)) {
		if (!dlp_buf_puts(&line, "msip_labels: ") ||
		    !dlp_buf_append(&line, v.p, v.len))
			st = DLP_ERR_NOMEM;
		else
			st = s->text(s->ctx, DLP_SCOPE_HEADERS, where,
			    "msip_labels", (const char *)line.p, line.len);
	}
out:
	dlp_buf_fini(&v);
	dlp_buf_fini(&line);
	return st;
}

/* An Outlook attachment storage: its data stream as an object. */
static enum dlp_status
msg_attach(struct ole *o, GsfInfile *att, const char *where, unsigned depth)
{
	const struct dlp_sink *s = o->x->sink;
	struct dlp_buf name, data;
	GsfInput *in;
	GsfInfile *sub;
	enum dlp_status st = DLP_OK;
	const char *why = NULL;

	dlp_buf_init(&name, o->x->mem);
	dlp_buf_init(&data, o->x->mem);
	if ((in = gsf_infile_child_by_name(att, "__substg1.0_3707001F")) !=
	        NULL ||
	    (in = gsf_infile_child_by_name(att, "__substg1.0_3704001F")) !=
	        NULL) {
		st = msg_prop(o, in, true, &name);
		g_object_unref(in);
		if (st != DLP_OK)
			goto out;
	}
	if ((in = gsf_infile_child_by_name(att, "__substg1.0_37010102")) !=
	    NULL) {
		st = read_stream(o, in, &data, &why);
		g_object_unref(in);
		if (st != DLP_OK)
			goto out;
		if (why != NULL)
			st = report(o, where, why, "attachment data");
		else
			st = s->object(s->ctx, where,
			    name.len > 0 ? (const char *)name.p : NULL, NULL,
			    data.p, data.len, depth + 1);
	} else if ((in = gsf_infile_child_by_name(
	                att, "__substg1.0_3701000D")) != NULL) {
		sub = GSF_IS_INFILE(in) ? GSF_INFILE(in) : NULL;
		if (sub != NULL)
			st = walk(o, sub, where, depth + 1, 1);
		g_object_unref(in);
	} else {
		st = report(o, where, "unsupported", "attachment method");
	}
out:
	dlp_buf_fini(&name);
	dlp_buf_fini(&data);
	return st;
}

/* Flush text and metadata gathered for one storage. */
static enum dlp_status
flush_text(struct ole *o, const char *where)
{
	const struct dlp_sink *s = o->x->sink;
	enum dlp_status st = DLP_OK;

	if (o->text.len > 0)
		st = s->text(s->ctx, DLP_SCOPE_ATTACHMENT, where, NULL,
		    (const char *)o->text.p, o->text.len);
	if (st == DLP_OK && o->meta.len > 0)
		st = s->text(s->ctx, DLP_SCOPE_METADATA, where, NULL,
		    (const char *)o->meta.p, o->meta.len);
	dlp_buf_reset(&o->text);
	dlp_buf_reset(&o->meta);
	return st;
}

static enum dlp_status
walk(struct ole *o, GsfInfile *dir, const char *where, unsigned depth,
    unsigned level)
{
	const struct dlp_sink *s = o->x->sink;
	size_t maxd = o->x->lim != NULL ? o->x->lim->max_depth : 32;
	struct dlp_buf sub, data;
	GsfInput *in;
	enum dlp_status st = DLP_OK;
	const char *name, *why;
	int i, n = gsf_infile_num_children(dir);
	unsigned tag;
	bool known = false, wide;

	dlp_buf_init(&sub, o->x->mem);
	dlp_buf_init(&data, o->x->mem);
	if (depth > maxd || level > 16) {
		st = report(o, where, "limit", "nesting depth");
		goto out;
	}
	if ((in = gsf_infile_child_by_name(dir, "EncryptedPackage")) != NULL) {
		g_object_unref(in);
		o->encrypted = true;
		st = report(o, where, "encrypted", "EncryptedPackage");
		goto out;
	}
	if ((in = gsf_infile_child_by_name(dir, "EncryptedSummary")) != NULL) {
		g_object_unref(in);
		o->encrypted = true;
		st = report(o, where, "encrypted", "PowerPoint encryption");
		goto out;
	}
	if ((st = load_nameid(o, dir)) != DLP_OK)
		goto out;
	for (i = 0; i < n && st == DLP_OK; i++) {
		name = gsf_infile_name_by_index(dir, i);
		if (name == NULL ||
		    (in = gsf_infile_child_by_index(dir, i)) == NULL) {
			/* a directory entry libgsf cannot open: say so */
			if (!make_where(&sub, where, name != NULL ? name : "?"))
				st = DLP_ERR_NOMEM;
			else
				st = report(o, (const char *)sub.p, "malformed",
				    "OLE2 stream");
			continue;
		}
		if (s->budget != NULL && dlp_budget_expired(s->budget)) {
			g_object_unref(in);
			st = report(o, where, "limit", "scan time");
			break;
		}
		if (strcmp(name, "WordDocument") == 0) {
			known = true;
			st = do_word(o, dir, in, where);
		} else if (strcmp(name, "Workbook") == 0 ||
		           strcmp(name, "Book") == 0) {
			known = true;
			st = do_excel(o, in, where, depth);
		} else if (strcmp(name, "PowerPoint Document") == 0) {
			known = true;
			st = do_ppt(o, in, where, depth);
		} else if (strcmp(name, "\005SummaryInformation") == 0 ||
		           strcmp(name, "\005DocumentSummaryInformation") ==
		               0) {
			if (make_where(&sub, where, name))
				st = do_props(o, in, (const char *)sub.p);
			else
				st = DLP_ERR_NOMEM;
		} else if (strncmp(name, "__substg1.0_", 12) == 0 &&
		           strlen(name) == 20 &&
		           (strncmp(name + 12, "0037", 4) == 0 ||
		               strncmp(name + 12, "1000", 4) == 0) &&
		           (strcmp(name + 16, "001F") == 0 ||
		               strcmp(name + 16, "001E") == 0)) {
			known = true;
			wide = name[19] == 'F';
			dlp_buf_reset(&data);
			if ((st = msg_prop(o, in, wide, &data)) == DLP_OK &&
			    data.len > 0) {
				if (name[12] == '0' &&
				    make_where(&sub, where, "subject"))
					st = s->text(s->ctx, DLP_SCOPE_SUBJECT,
					    (const char *)sub.p, NULL,
					    (const char *)data.p, data.len);
				else if (!dlp_buf_append(
				             &o->text, data.p, data.len) ||
				         !dlp_buf_putc(&o->text, '\n'))
					st = DLP_ERR_NOMEM;
			}
		} else if (strncmp(name, "__substg1.0_", 12) == 0 &&
		           strlen(name) == 20 && is_hex4(name + 12, &tag) &&
		           (strcmp(name + 16, "001F") == 0 ||
		               strcmp(name + 16, "001E") == 0)) {
			st = msg_other(o, in, where, tag, name[19] == 'F');
		} else if (strncmp(name, "__attach_version1.0_", 20) == 0 &&
		           GSF_IS_INFILE(in)) {
			known = true;
			if (!make_where(&sub, where, name))
				st = DLP_ERR_NOMEM;
			else
				st = msg_attach(o, GSF_INFILE(in),
				    (const char *)sub.p, depth);
		} else if (strcmp(name, "\001Ole10Native") == 0 ||
		           strcmp(name, "Package") == 0 ||
		           strcmp(name, "CONTENTS") == 0) {
			known = true;
			if ((st = read_stream(o, in, &data, &why)) != DLP_OK)
				;
			else if (!make_where(&sub, where, name))
				st = DLP_ERR_NOMEM;
			else if (why != NULL)
				st = report(o, (const char *)sub.p, why,
				    "embedded stream");
			else if (name[0] == '\001')
				st = ole10native(o, (const char *)sub.p, data.p,
				    data.len, depth);
			else
				st = s->object(s->ctx, (const char *)sub.p,
				    NULL, NULL, data.p, data.len, depth + 1);
		} else if (GSF_IS_INFILE(in) &&
		           gsf_infile_num_children(GSF_INFILE(in)) >= 0 &&
		           strncmp(name, "__", 2) != 0) {
			/* embedded storage (ObjectPool/_N, MBD...): read in
			 * place */
			if (!make_where(&sub, where, name))
				st = DLP_ERR_NOMEM;
			else if ((st = flush_text(o, where)) == DLP_OK)
				st = walk(o, GSF_INFILE(in),
				    (const char *)sub.p, depth, level + 1);
		}
		g_object_unref(in);
		if (o->encrypted)
			break;
	}
	if (st == DLP_OK)
		st = flush_text(o, where);
	if (st == DLP_OK && level == 0 && !known && !o->encrypted)
		st = report(
		    o, where, "unsupported", "OLE2 file of unknown kind");
out:
	dlp_buf_fini(&sub);
	dlp_buf_fini(&data);
	return st;
}

enum dlp_status
dlp_extract_ole(struct dlp_xctx *x, const char *where, const uint8_t *data,
    size_t len, unsigned depth)
{
	struct ole o;
	GsfInput *in = NULL;
	GsfInfile *ole = NULL;
	GError *err = NULL;
	enum dlp_status st;

	memset(&o, 0, sizeof(o));
	o.x = x;
	dlp_buf_init(&o.text, x->mem);
	dlp_buf_init(&o.meta, x->mem);
	dlp_buf_init(&o.wb, x->mem);
	dlp_buf_init(&o.names, x->mem);
	in = gsf_input_memory_new(data, (gsf_off_t)len, FALSE);
	if (in == NULL) {
		st = DLP_ERR_NOMEM;
		goto out;
	}
	ole = gsf_infile_msole_new(in, &err);
	if (ole == NULL) {
		st = x->sink->unscanned(x->sink->ctx, where, "malformed",
		    err != NULL ? err->message : "OLE2");
		goto out;
	}
	st = walk(&o, ole, where, depth, 0);
out:
	if (ole != NULL)
		g_object_unref(ole);
	if (in != NULL)
		g_object_unref(in);
	if (err != NULL)
		g_error_free(err);
	dlp_buf_fini(&o.text);
	dlp_buf_fini(&o.meta);
	dlp_buf_fini(&o.wb);
	dlp_buf_fini(&o.names);
	return st;
}
