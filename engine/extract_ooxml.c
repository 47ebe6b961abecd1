/*
 * extract_ooxml.c - text and metadata of Office Open XML packages
 * (docx/docm/dotx, xlsx/xlsm/xltx, pptx/pptm/potx and friends).
 *
 * Reads the zip with the package walker (libarchive, ARCHIVE_OK only,
 * per-part size and message budget charged while inflating) and tokenizes
 * each text-bearing part with our own XML tokenizer:
 *   word: document, headers, footers, footnotes, endnotes, comments,
 *         glossary (text boxes are inside these parts); runs are joined,
 *         paragraphs end lines, <w:tab/> is a tab, <w:br/>/<w:cr/> newline;
 *         list numbers ("1.", "a)", "2.18.2.1") rendered from
 *         numbering.xml with Word's counting rules (shared counters,
 *         overrides, restarts, legal numbering; see below), which a
 *         first, quiet pass over the zip reads;
 *         altChunk parts (HTML, MHT: content in another format, named by
 *         aFChunk relationships) read as objects of their own type;
 *   xl:   shared strings, inline strings and cell values (numbers also
 *         as displayed, with the cell's number format from styles.xml,
 *         read in the first pass; the locale-dependent short date also in
 *         ISO form), header/footer
 *         strings, sheet names, comments, drawings;
 *   ppt:  slides, notes, masters, layouts, comments (each after its
 *         author, "Name (INITIALS)", from commentAuthors.xml/authors.xml);
 *         charts and diagrams;
 *   external relationship targets (links, templates, data sources);
 *   pivot caches (a copy of the source data), pivot and table
 *   definitions: their v/name/caption attribute values;
 *   field instructions (<w:instrText>: link and include targets) and
 *   drawing properties (image name, description and title in
 *   wp:docPr/cNvPr, VML alt/title/href and imagedata titles), each on its
 *   own line after the part's text so they never split a run.
 * Metadata (DLP_SCOPE_METADATA): docProps/core.xml and app.xml as
 * "name=value" lines, docProps/custom.xml as "property-name=value" lines
 * (so MSIP_Label_<guid>_Enabled=true is matchable), LabelInfo.xml,
 * customXml items, xl/connections.xml and external workbook links as
 * "element attr=value ..." lines plus element text, and a DDE link as
 * service|'topic'.
 * Embedded files and media are passed on as objects at depth + 1.
 * Binary parts (xlsb) are reported "unsupported" (printer settings,
 * binary in every xlsx, are not such a part). Trusts nothing; a part
 * whose XML is cut short is reported "malformed" after its text.
 */
#include <string.h>

#include "numfmt.h"
#include "xmltext.h"

enum kind {
	K_NONE,
	K_TEXT,      /* text runs: <t>, <delText> (word, drawing, sst) */
	K_SHEET,     /* worksheet: inline strings, values, header/footer */
	K_CHART,     /* chart: cached values and text */
	K_WORKBOOK,  /* sheet names */
	K_PPTCMT,    /* ppt comments: <p:text> */
	K_RELS,      /* relationships: external targets (links) */
	K_VALUES,    /* pivot caches, tables: v/name/caption attributes */
	K_PROPS,     /* core.xml, app.xml: element=value */
	K_CUSTOM,    /* custom.xml: name=value */
	K_ATTRS,     /* LabelInfo.xml, customXml: attributes and text */
	K_OBJECT,    /* embedded file or media */
	K_BINARY,    /* xlsb binary part */
	K_NUMBERING, /* word/numbering.xml, read in a first pass */
	K_STYLES,    /* xl/styles.xml (number formats), first pass too */
	K_AUTHORS,   /* ppt comment authors, first pass too */
	K_CHUNKRELS, /* word/_rels: altChunk targets, first pass too */
	K_WSTYLES,   /* word/styles.xml: numbered styles, first pass too */
	K_CHUNK      /* an altChunk part (HTML, MHT, ...) */
};

/*
 * List numbering (word/numbering.xml), enough to render "1.", "a)",
 * "2.18.2.1" ... the way Word does (ECMA-376 17.9): counters belong to
 * the abstract definition and are shared by every instance (<w:num>)
 * that uses it, unless the instance restarts a level (startOverride);
 * an instance may replace a level's definition (lvlOverride/lvl); a
 * level with no <w:start> starts at 0; a level skipped over counts as
 * used at its start value; lvlRestart says which levels restart it;
 * isLgl shows every level as a decimal; bullet and "none" levels show
 * nothing where another level refers to them; an abstract definition
 * with numStyleLink uses the one with the same styleLink; a paragraph
 * without its own numId takes its paragraph style's (word/styles.xml,
 * through basedOn).
 */
#define NUM_LEVELS 9
#define NUM_MAX    256 /* abstract definitions and instances kept */
#define NUM_TEXT   48  /* lvlText kept, bytes */
#define NUM_LINK   48  /* styleLink/numStyleLink name kept, bytes */
#define STY_MAX    512 /* paragraph styles kept (word/styles.xml) */
#define STY_DEPTH  10  /* basedOn chain followed */

enum numfmt { /* dlp_numfmt_counter's codes */
	F_DECIMAL = DLP_CNT_DECIMAL,
	F_ZERO = DLP_CNT_ZERO,
	F_LLETTER = DLP_CNT_LLETTER,
	F_ULETTER = DLP_CNT_ULETTER,
	F_LROMAN = DLP_CNT_LROMAN,
	F_UROMAN = DLP_CNT_UROMAN,
	F_ORDINAL = DLP_CNT_ORDINAL,
	F_BULLET = DLP_CNT_BULLET,
	F_NONE = DLP_CNT_NONE
};

struct numlvl {
	int start;
	int restart; /* lvlRestart: -1 after any higher level, 0 never */
	uint8_t fmt;
	bool lgl;            /* isLgl */
	char text[NUM_TEXT]; /* lvlText, "%1." */
};

struct numctr {
	int count[NUM_LEVELS];
	bool started[NUM_LEVELS];
};

struct absnum {
	int id;
	bool ref; /* link names a numStyleLink, not a styleLink */
	char link[NUM_LINK];
	struct numlvl lvl[NUM_LEVELS];
	struct numctr ctr;
};

/* A paragraph style's numbering (<w:style><w:pPr><w:numPr>). */
struct pstyle {
	char id[NUM_LINK], based[NUM_LINK];
	int numid, ilvl; /* -1: not set here */
};

struct numinst {
	int id, abs;
	int startov[NUM_LEVELS]; /* -1: none */
	bool own;                /* has a startOverride: its own counters */
	unsigned ovl;            /* bit d: lvl[d] replaces the abstract's */
	struct numlvl lvl[NUM_LEVELS];
	struct numctr ctr;
};

struct ox {
	struct dlp_xctx *x;
	const char *where;
	unsigned depth;
	enum kind kind;
	struct dlp_buf out, wb;
	unsigned capture;   /* > 0 while inside a text element */
	unsigned instr;     /* > 0 while inside a field instruction */
	struct dlp_buf fld; /* field instructions, drawing names: after text */
	size_t prop_at;     /* where the last drawing property line starts */
	unsigned skip;      /* > 0 while inside ignored content */
	unsigned run;       /* > 0 while inside a run (<w:r>) */
	bool shared_cell;   /* current <c> has t="s" */
	bool cell_text;     /* current cell produced text */
	bool have_value;    /* K_PROPS/K_ATTRS: "name=" written */
	bool binary;        /* an xlsb binary part was skipped */
	struct absnum *abs; /* NUM_MAX each, allocated on first use */
	struct numinst *num;
	size_t nabs, nnum;
	bool in_abs, in_num; /* numbering.xml parse state */
	int cur_ov;          /* lvlOverride ilvl, -1 outside */
	struct numlvl *cur;  /* level being read, NULL outside */
	bool in_numpr;       /* document: inside <w:numPr> */
	int p_ilvl, p_numid;
	bool p_ilvl_set, p_numbered; /* paragraph: ilvl given, number shown */
	char p_style[NUM_LINK];      /* paragraph: its pStyle */
	struct pstyle *sty;          /* STY_MAX, allocated on first use */
	size_t nsty;
	bool in_style;
	struct dlp_buf fmts;    /* xl/styles.xml: [u16 id][u16 len][code] ... */
	struct dlp_buf xfs;     /* cellXfs: u16 numFmtId per style index */
	struct dlp_buf authors; /* comment authors: "id\0label\0" ... */
	struct dlp_buf chunks;  /* altChunk part names: "name\0" ... */
	bool pass1;             /* the first, quiet pass */
	const char *part;       /* name of the part being read */
	bool in_cellxfs;
	int cell_style; /* s="" of the current <c> */
	bool cell_num;  /* the current <c> holds a number */
	size_t v_start; /* where its <v> text starts in out */
};

static bool
has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

static bool
has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n >= m && memcmp(s + n - m, suf, m) == 0;
}

/* dir/PREFIX*.xml directly in dir */
static bool
part_in(const char *name, const char *dir, const char *prefix)
{
	size_t dl = strlen(dir);

	return strncmp(name, dir, dl) == 0 && has_prefix(name + dl, prefix) &&
	       strchr(name + dl, '/') == NULL && has_suffix(name, ".xml");
}

static enum kind
classify(const char *n)
{
	static const char *const word[] = {"document", "header", "footer",
	    "footnotes", "endnotes", "comments"};
	static const char *const ppt[] = {"ppt/slides/", "ppt/notesSlides/",
	    "ppt/slideMasters/", "ppt/slideLayouts/", "ppt/notesMasters/",
	    "ppt/handoutMasters/"};
	size_t i;

	if (n[0] == '/')
		n++;
	if (strstr(n, "/embeddings/") != NULL || strstr(n, "/media/") != NULL)
		return K_OBJECT;
	for (i = 0; i < DLP_NITEMS(word); i++)
		if (part_in(n, "word/", word[i]) ||
		    part_in(n, "word/glossary/", word[i]))
			return K_TEXT;
	for (i = 0; i < DLP_NITEMS(ppt); i++)
		if (part_in(n, ppt[i], ""))
			return K_TEXT;
	if (strcmp(n, "ppt/commentAuthors.xml") == 0 ||
	    strcmp(n, "ppt/authors.xml") == 0)
		return K_AUTHORS;
	if (part_in(n, "ppt/comments/", "") || part_in(n, "ppt/", "comment"))
		return K_PPTCMT;
	if (strcmp(n, "word/numbering.xml") == 0)
		return K_NUMBERING;
	if (strcmp(n, "xl/styles.xml") == 0)
		return K_STYLES;
	if (strcmp(n, "word/styles.xml") == 0)
		return K_WSTYLES;
	if (strcmp(n, "xl/sharedStrings.xml") == 0 ||
	    part_in(n, "xl/", "comments") ||
	    part_in(n, "xl/drawings/", "drawing") ||
	    strstr(n, "/diagrams/data") != NULL)
		return K_TEXT;
	if (part_in(n, "xl/pivotCache/", "") || part_in(n, "xl/tables/", "") ||
	    part_in(n, "xl/pivotTables/", ""))
		return K_VALUES;
	if (part_in(n, "xl/worksheets/", "sheet"))
		return K_SHEET;
	if (strcmp(n, "xl/workbook.xml") == 0)
		return K_WORKBOOK;
	if (strstr(n, "/charts/chart") != NULL && has_suffix(n, ".xml"))
		return K_CHART;
	if (strcmp(n, "docProps/core.xml") == 0 ||
	    strcmp(n, "docProps/app.xml") == 0)
		return K_PROPS;
	if (strcmp(n, "docProps/custom.xml") == 0)
		return K_CUSTOM;
	if (strcmp(n, "docMetadata/LabelInfo.xml") == 0 ||
	    strcmp(n, "xl/connections.xml") == 0 ||
	    part_in(n, "xl/externalLinks/", "externalLink") ||
	    (has_prefix(n, "customXml/item") && has_suffix(n, ".xml")))
		return K_ATTRS;
	if (has_suffix(n, ".rels"))
		return K_RELS;
	/* Printer settings (a DEVMODE record, in nearly every workbook
	 * Excel saves) hold no content; any other binary part under xl/
	 * may (xlsb). */
	if (has_prefix(n, "xl/") && has_suffix(n, ".bin") &&
	    strstr(n, "vbaProject") == NULL &&
	    !has_prefix(n, "xl/printerSettings/"))
		return K_BINARY;
	return K_NONE;
}

static bool
is_hf(const char *n, size_t l)
{
	static const char *const hf[] = {"oddHeader", "oddFooter", "evenHeader",
	    "evenFooter", "firstHeader", "firstFooter"};
	size_t i;

	for (i = 0; i < DLP_NITEMS(hf); i++)
		if (dlp_xml_is(n, l, hf[i]))
			return true;
	return false;
}

static bool
put_local(struct dlp_buf *b, const char *n, size_t l)
{
	size_t ll;
	const char *loc = dlp_xml_local(n, l, &ll);

	return dlp_buf_append(b, loc, ll);
}

/* K_ATTRS: "element a=v b=v" for an element with attributes. */
static bool
put_attrs(struct ox *o, const char *n, size_t l, const char *a, size_t al)
{
	const char *an, *av;
	size_t anl, avl, pos = 0;
	bool any = false;

	while (dlp_xml_attr_next(a, al, &pos, &an, &anl, &av, &avl)) {
		if (anl >= 5 && memcmp(an, "xmlns", 5) == 0)
			continue;
		if (!any && !put_local(&o->out, n, l))
			return false;
		any = true;
		if (!dlp_buf_putc(&o->out, ' ') ||
		    !put_local(&o->out, an, anl) ||
		    !dlp_buf_putc(&o->out, '=') ||
		    !dlp_xml_put_text(&o->out, av, avl, false))
			return false;
	}
	return !any || dlp_buf_putc(&o->out, '\n');
}

/*
 * An external link's DDE target as a formula shows it, service|'topic'
 * (=cmd|'/c calc.exe'!A0 runs calc.exe).
 */
static bool
put_dde(struct ox *o, const char *n, size_t l, const char *a, size_t al)
{
	const char *sv, *tp;
	size_t svl, tpl;

	if (!dlp_xml_is(n, l, "ddeLink") ||
	    !dlp_xml_attr_get(a, al, "ddeService", &sv, &svl))
		return true;
	if (!dlp_xml_attr_get(a, al, "ddeTopic", &tp, &tpl))
		tpl = 0;
	return dlp_xml_put_text(&o->out, sv, svl, false) &&
	       dlp_buf_puts(&o->out, "|'") &&
	       (tpl == 0 || dlp_xml_put_text(&o->out, tp, tpl, false)) &&
	       dlp_buf_puts(&o->out, "'\n");
}

static int
attr_int(const char *a, size_t al, const char *name, int dflt)
{
	const char *v;
	size_t vl, i;
	long n = 0;
	bool neg;

	if (!dlp_xml_attr_get(a, al, name, &v, &vl) || vl == 0 || vl > 9)
		return dflt;
	neg = v[0] == '-';
	for (i = neg ? 1 : 0; i < vl; i++) {
		if (v[i] < '0' || v[i] > '9')
			return dflt;
		n = n * 10 + (v[i] - '0');
	}
	return (int)(neg ? -n : n);
}

static uint8_t
fmt_of(const char *v, size_t vl)
{
	static const struct {
		const char *name;
		uint8_t fmt;
	} fmts[] = {{"decimal", F_DECIMAL}, {"decimalZero", F_ZERO},
	    {"lowerLetter", F_LLETTER}, {"upperLetter", F_ULETTER},
	    {"lowerRoman", F_LROMAN}, {"upperRoman", F_UROMAN},
	    {"ordinal", F_ORDINAL}, {"bullet", F_BULLET}, {"none", F_NONE}};
	size_t i;

	for (i = 0; i < DLP_NITEMS(fmts); i++)
		if (vl == strlen(fmts[i].name) &&
		    memcmp(v, fmts[i].name, vl) == 0)
			return fmts[i].fmt;
	return F_DECIMAL;
}

static void
lvl_init(struct numlvl *lv, int start)
{
	memset(lv, 0, sizeof(*lv));
	lv->start = start;
	lv->restart = -1;
	lv->fmt = F_DECIMAL;
}

static void
copy_val(char *dst, size_t cap, const char *a, size_t al, const char *name)
{
	const char *v = "";
	size_t vl;

	if (!dlp_xml_attr_get(a, al, name, &v, &vl))
		v = "", vl = 0;
	if (vl >= cap)
		vl = cap - 1;
	memcpy(dst, v, vl);
	dst[vl] = '\0';
}

/* numbering.xml: abstract definitions and their instances. */
static bool
num_start(struct ox *o, const char *n, size_t l, const char *a, size_t al)
{
	struct absnum *an;
	struct numinst *ni;
	struct numlvl *lv = o->cur;
	const char *v;
	size_t vl, k;
	int d;

	if (o->abs == NULL) {
		o->abs = dlp_calloc(o->x->mem, NUM_MAX, sizeof(*o->abs));
		o->num = dlp_calloc(o->x->mem, NUM_MAX, sizeof(*o->num));
		if (o->abs == NULL || o->num == NULL)
			return false;
	}
	an = o->in_abs ? &o->abs[o->nabs - 1] : NULL;
	ni = o->in_num ? &o->num[o->nnum - 1] : NULL;
	if (dlp_xml_is(n, l, "abstractNum")) {
		if (o->nabs >= NUM_MAX)
			return true;
		an = &o->abs[o->nabs++];
		an->id = attr_int(a, al, "abstractNumId", -1);
		for (k = 0; k < NUM_LEVELS; k++)
			lvl_init(&an->lvl[k], 1);
		o->in_abs = true;
	} else if (dlp_xml_is(n, l, "num") && !o->in_abs) {
		if (o->nnum >= NUM_MAX)
			return true;
		ni = &o->num[o->nnum++];
		ni->id = attr_int(a, al, "numId", -1);
		ni->abs = -1;
		for (k = 0; k < NUM_LEVELS; k++)
			ni->startov[k] = -1;
		o->in_num = true;
		o->cur_ov = -1;
	} else if (dlp_xml_is(n, l, "lvl")) {
		d = attr_int(a, al, "ilvl", -1);
		o->cur = NULL;
		if (ni != NULL && o->cur_ov >= 0)
			d = o->cur_ov;
		if (d < 0 || d >= NUM_LEVELS)
			return true;
		if (an != NULL) {
			o->cur = &an->lvl[d];
		} else if (ni != NULL && o->cur_ov >= 0) {
			o->cur = &ni->lvl[d];
			ni->ovl |= 1u << d;
		}
		if (o->cur != NULL)
			lvl_init(o->cur, 0); /* 17.9.25: no <w:start> is 0 */
	} else if (lv != NULL) {
		if (dlp_xml_is(n, l, "start")) {
			lv->start = attr_int(a, al, "val", 0);
		} else if (dlp_xml_is(n, l, "lvlRestart")) {
			lv->restart = attr_int(a, al, "val", -1);
		} else if (dlp_xml_is(n, l, "isLgl")) {
			lv->lgl = !dlp_xml_attr_get(a, al, "val", &v, &vl) ||
			          (vl > 0 && v[0] != '0' && v[0] != 'f');
		} else if (dlp_xml_is(n, l, "numFmt") &&
		           dlp_xml_attr_get(a, al, "val", &v, &vl)) {
			lv->fmt = fmt_of(v, vl);
		} else if (dlp_xml_is(n, l, "lvlText")) {
			copy_val(lv->text, sizeof(lv->text), a, al, "val");
		}
	} else if (an != NULL) {
		if (dlp_xml_is(n, l, "styleLink") ||
		    dlp_xml_is(n, l, "numStyleLink")) {
			an->ref = dlp_xml_is(n, l, "numStyleLink");
			copy_val(an->link, sizeof(an->link), a, al, "val");
		}
	} else if (ni != NULL) {
		if (dlp_xml_is(n, l, "abstractNumId")) {
			ni->abs = attr_int(a, al, "val", -1);
		} else if (dlp_xml_is(n, l, "lvlOverride")) {
			o->cur_ov = attr_int(a, al, "ilvl", -1);
			if (o->cur_ov >= NUM_LEVELS)
				o->cur_ov = -1;
		} else if (dlp_xml_is(n, l, "startOverride") &&
		           o->cur_ov >= 0) {
			ni->startov[o->cur_ov] = attr_int(a, al, "val", 0);
			ni->own = true;
		}
	}
	return true;
}

static void
num_end(struct ox *o, const char *n, size_t l)
{
	if (dlp_xml_is(n, l, "abstractNum"))
		o->in_abs = false;
	else if (dlp_xml_is(n, l, "num"))
		o->in_num = false;
	else if (dlp_xml_is(n, l, "lvlOverride"))
		o->cur_ov = -1;
	if (dlp_xml_is(n, l, "lvl") || dlp_xml_is(n, l, "abstractNum") ||
	    dlp_xml_is(n, l, "num"))
		o->cur = NULL;
}

/* word/styles.xml: which paragraph styles are numbered, and bases. */
static bool
wstyles_start(struct ox *o, const char *n, size_t l, const char *a, size_t al)
{
	struct pstyle *ps;
	const char *v;
	size_t vl;

	if (dlp_xml_is(n, l, "style")) {
		o->in_style = false;
		if ((dlp_xml_attr_get(a, al, "type", &v, &vl) &&
		        (vl != 9 || memcmp(v, "paragraph", 9) != 0)) ||
		    o->nsty >= STY_MAX)
			return true;
		if (o->sty == NULL && (o->sty = dlp_calloc(o->x->mem, STY_MAX,
		                           sizeof(*o->sty))) == NULL)
			return false;
		ps = &o->sty[o->nsty++];
		copy_val(ps->id, sizeof(ps->id), a, al, "styleId");
		ps->numid = ps->ilvl = -1;
		o->in_style = true;
		return true;
	}
	if (!o->in_style)
		return true;
	ps = &o->sty[o->nsty - 1];
	if (dlp_xml_is(n, l, "basedOn"))
		copy_val(ps->based, sizeof(ps->based), a, al, "val");
	else if (dlp_xml_is(n, l, "numId"))
		ps->numid = attr_int(a, al, "val", -1);
	else if (dlp_xml_is(n, l, "ilvl"))
		ps->ilvl = attr_int(a, al, "val", -1);
	return true;
}

/*
 * A paragraph without its own numId takes its style's (through basedOn),
 * and the style's ilvl unless the paragraph gives one. false: none.
 */
static bool
style_numbering(struct ox *o)
{
	const char *id = o->p_style;
	const struct pstyle *ps;
	size_t k, hops;

	for (hops = 0; hops < STY_DEPTH && id[0] != '\0'; hops++) {
		for (k = 0, ps = NULL; k < o->nsty && ps == NULL; k++)
			if (strcmp(o->sty[k].id, id) == 0)
				ps = &o->sty[k];
		if (ps == NULL)
			return false;
		if (!o->p_ilvl_set && ps->ilvl >= 0) {
			o->p_ilvl = ps->ilvl;
			o->p_ilvl_set = true;
		}
		if (ps->numid >= 0) {
			o->p_numid = ps->numid;
			if (!o->p_ilvl_set)
				o->p_ilvl = 0;
			return true;
		}
		id = ps->based;
	}
	return false;
}

/* The abstract definition of an instance, through a numStyleLink. */
static struct absnum *
num_abs(struct ox *o, const struct numinst *ni)
{
	struct absnum *an = NULL;
	size_t k;

	for (k = 0; k < o->nabs && an == NULL; k++)
		if (o->abs[k].id == ni->abs)
			an = &o->abs[k];
	if (an == NULL || !an->ref || an->link[0] == '\0')
		return an;
	for (k = 0; k < o->nabs; k++)
		if (!o->abs[k].ref && strcmp(o->abs[k].link, an->link) == 0)
			return &o->abs[k];
	return an;
}

static const struct numlvl *
num_lvl(const struct numinst *ni, const struct absnum *an, int d)
{
	return (ni->ovl & (1u << d)) != 0 ? &ni->lvl[d] : &an->lvl[d];
}

static int
num_startval(const struct numinst *ni, const struct absnum *an, int d)
{
	return ni->own && ni->startov[d] >= 0 ? ni->startov[d]
	                                      : num_lvl(ni, an, d)->start;
}

/* End of a paragraph's <w:numPr>: render its number before the text. */
static bool
num_render(struct ox *o)
{
	struct numinst *ni = NULL;
	struct absnum *an;
	struct numctr *c;
	const struct numlvl *me, *ref;
	const char *t;
	size_t k, mark;
	int lv = o->p_ilvl, d, r;

	for (k = 0; k < o->nnum && ni == NULL; k++)
		if (o->num[k].id == o->p_numid)
			ni = &o->num[k];
	if (ni == NULL || lv < 0 || lv >= NUM_LEVELS ||
	    (an = num_abs(o, ni)) == NULL)
		return true;
	c = ni->own ? &ni->ctr : &an->ctr;
	c->count[lv] =
	    c->started[lv] ? c->count[lv] + 1 : num_startval(ni, an, lv);
	c->started[lv] = true;
	for (d = 0; d < lv; d++)
		if (!c->started[d]) {
			c->count[d] = num_startval(ni, an, d);
			c->started[d] = true;
		}
	for (d = lv + 1; d < NUM_LEVELS; d++) {
		r = num_lvl(ni, an, d)->restart;
		if (r < 0 || (r > 0 && lv < r))
			c->started[d] = false;
	}
	me = num_lvl(ni, an, lv);
	if (me->fmt == F_BULLET || me->text[0] == '\0')
		return true;
	mark = o->out.len;
	for (t = me->text; *t != '\0'; t++) {
		if (t[0] == '%' && t[1] >= '1' && t[1] <= '9') {
			d = t[1] - '1';
			ref = num_lvl(ni, an, d);
			t++;
			if (ref->fmt == F_BULLET || ref->fmt == F_NONE)
				continue;
			if (!dlp_numfmt_counter(&o->out,
			        c->started[d] ? c->count[d]
			                      : num_startval(ni, an, d),
			        me->lgl ? F_DECIMAL : ref->fmt))
				return false;
		} else if (!dlp_buf_putc(&o->out, *t)) {
			return false;
		}
	}
	return o->out.len == mark || dlp_buf_putc(&o->out, ' ');
}

/* xl/styles.xml: custom number formats and the cellXfs table. */
static bool
styles_start(struct ox *o, const char *n, size_t l, const char *a, size_t al)
{
	struct dlp_buf code;
	const char *v;
	size_t vl;
	uint8_t rec[4];
	int id;
	bool ok = true;

	if (dlp_xml_is(n, l, "cellXfs")) {
		o->in_cellxfs = true;
	} else if (dlp_xml_is(n, l, "xf") && o->in_cellxfs) {
		id = attr_int(a, al, "numFmtId", 0);
		rec[0] = (uint8_t)id;
		rec[1] = (uint8_t)(id >> 8);
		ok = o->xfs.len < 2 * 65536 && dlp_buf_append(&o->xfs, rec, 2);
		ok = ok || o->xfs.len >= 2 * 65536;
	} else if (dlp_xml_is(n, l, "numFmt") &&
	           dlp_xml_attr_get(a, al, "formatCode", &v, &vl) &&
	           o->fmts.len < 65536) {
		id = attr_int(a, al, "numFmtId", -1);
		dlp_buf_init(&code, o->x->mem);
		ok = dlp_xml_put_text(&code, v, vl, false);
		if (ok && id >= 0 && code.len < 256) {
			rec[0] = (uint8_t)id;
			rec[1] = (uint8_t)(id >> 8);
			rec[2] = (uint8_t)code.len;
			rec[3] = 0;
			ok = dlp_buf_append(&o->fmts, rec, 4) &&
			     dlp_buf_append(&o->fmts, code.p, code.len);
		}
		dlp_buf_fini(&code);
	}
	return ok;
}

/* A decimal number (as Excel writes <v>): digits, '.', exponent. */
static bool
parse_number(const char *p, size_t n, double *out)
{
	double v = 0, scale = 1;
	size_t i = 0;
	int e = 0, es = 1, digits = 0;
	bool neg = false, dot = false;

	if (i < n && (p[i] == '-' || p[i] == '+'))
		neg = p[i++] == '-';
	for (; i < n; i++) {
		if (p[i] >= '0' && p[i] <= '9') {
			if (dot)
				scale /= 10, v += (p[i] - '0') * scale;
			else
				v = v * 10 + (p[i] - '0');
			digits++;
		} else if (p[i] == '.' && !dot) {
			dot = true;
		} else {
			break;
		}
	}
	if (i < n && (p[i] == 'E' || p[i] == 'e')) {
		i++;
		if (i < n && (p[i] == '-' || p[i] == '+'))
			es = p[i++] == '-' ? -1 : 1;
		for (; i < n && p[i] >= '0' && p[i] <= '9' && e < 400; i++)
			e = e * 10 + (p[i] - '0');
		for (; e > 0; e--)
			v = es > 0 ? v * 10 : v / 10;
	}
	*out = neg ? -v : v;
	return digits > 0 && i == n;
}

/* After a numeric cell's raw value: " " + the value as displayed. */
static bool
cell_format(struct ox *o)
{
	const char *code = NULL, *iso = NULL;
	size_t k, clen = 0, id;
	double v;

	if (o->cell_style < 0 || (size_t)o->cell_style * 2 + 2 > o->xfs.len)
		return true;
	id = (size_t)o->xfs.p[2 * o->cell_style] |
	     (size_t)o->xfs.p[2 * o->cell_style + 1] << 8;
	if (id == 0 || !parse_number((const char *)o->out.p + o->v_start,
	                   o->out.len - o->v_start, &v))
		return true;
	for (k = 0; k + 4 <= o->fmts.len; k += 4 + o->fmts.p[k + 2])
		if ((size_t)(o->fmts.p[k] | o->fmts.p[k + 1] << 8) == id) {
			code = (const char *)o->fmts.p + k + 4;
			clen = o->fmts.p[k + 2];
			break;
		}
	if (code == NULL && (code = dlp_numfmt_builtin((unsigned)id)) != NULL) {
		clen = strlen(code);
		iso = dlp_numfmt_builtin_iso((unsigned)id);
	}
	if (code == NULL)
		return true;
	for (;;) {
		k = o->out.len;
		if (!dlp_buf_putc(&o->out, ' ') ||
		    !dlp_numfmt_render(code, clen, v, &o->out))
			return false;
		if (o->out.len == k + 1)
			o->out.len = k; /* nothing rendered: drop the space */
		if (o->out.p != NULL)
			o->out.p[o->out.len] = '\0';
		if (iso == NULL)
			return true;
		code = iso; /* a locale-dependent date: the ISO form too */
		clen = strlen(code);
		iso = NULL;
	}
}

static bool
all_space(const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
			return false;
	return true;
}

/*
 * Look name[0..len) up in b, a list of NUL-terminated keys, each followed
 * by a NUL-terminated value when pairs. Returns what follows the key (its
 * value), or NULL when absent.
 */
static const char *
in_list(const struct dlp_buf *b, const char *name, size_t len, bool pairs)
{
	size_t k = 0, n;
	const char *key;

	while (b->p != NULL && k < b->len) {
		key = (const char *)b->p + k;
		n = strlen(key);
		k += n + 1;
		if (n == len && memcmp(key, name, len) == 0)
			return key + n + 1;
		if (pairs && k < b->len)
			k += strlen((const char *)b->p + k) + 1;
	}
	return NULL;
}

/*
 * ppt/commentAuthors.xml (cmAuthor) and ppt/authors.xml (modern
 * comments): "id\0Name (INITIALS)\0" for each author.
 */
static bool
authors_start(struct ox *o, const char *n, size_t l, const char *a, size_t al)
{
	const char *id, *nm, *ini;
	size_t idl, nml, inil, at = o->authors.len, k, nuls;
	bool ok;

	if ((!dlp_xml_is(n, l, "cmAuthor") && !dlp_xml_is(n, l, "author")) ||
	    !dlp_xml_attr_get(a, al, "id", &id, &idl) ||
	    !dlp_xml_attr_get(a, al, "name", &nm, &nml) ||
	    o->authors.len > 65536)
		return true;
	if (!dlp_xml_attr_get(a, al, "initials", &ini, &inil))
		inil = 0;
	ok = dlp_xml_put_text(&o->authors, id, idl, false) &&
	     dlp_buf_putc(&o->authors, '\0') &&
	     dlp_xml_put_text(&o->authors, nm, nml, false);
	if (ok && inil > 0)
		ok = dlp_buf_puts(&o->authors, " (") &&
		     dlp_xml_put_text(&o->authors, ini, inil, false) &&
		     dlp_buf_putc(&o->authors, ')');
	else if (ok)
		ok = dlp_buf_putc(&o->authors, ':');
	ok = ok && dlp_buf_putc(&o->authors, '\0');
	for (k = at, nuls = 0; ok && k < o->authors.len; k++)
		nuls += o->authors.p[k] == '\0';
	if (ok && nuls != 2)
		o->authors.len = at; /* "&#0;" in a value: drop the author */
	return ok;
}

/*
 * <p:cm authorId="1">: the author's label, directly followed by the
 * comment text ("Name (INI)Text", the layout Tika uses; the label ends in
 * ')' or ':', so no word is joined to the text).
 */
static bool
put_author(struct ox *o, const char *a, size_t al)
{
	struct dlp_buf id;
	const char *v, *label;
	size_t vl;
	bool ok;

	if (!dlp_xml_attr_get(a, al, "authorId", &v, &vl))
		return true;
	dlp_buf_init(&id, o->x->mem);
	ok = dlp_xml_put_text(&id, v, vl, false);
	if (ok &&
	    (label = in_list(&o->authors,
	         id.p != NULL ? (const char *)id.p : "", id.len, true)) != NULL)
		ok = dlp_buf_puts(&o->out, label);
	dlp_buf_fini(&id);
	return ok;
}

/*
 * word/_rels/X.rels: the targets of aFChunk (altChunk) relationships,
 * as part names ("word/chunk.html"), resolved against the directory of
 * the part the relationships belong to.
 */
static bool
chunk_rel(struct ox *o, const char *rels, const char *a, size_t al)
{
	const char *v, *dir;
	size_t vl, dl;

	if (!dlp_xml_attr_get(a, al, "Type", &v, &vl) || vl < 8 ||
	    memcmp(v + vl - 8, "/aFChunk", 8) != 0 ||
	    (dlp_xml_attr_get(a, al, "TargetMode", &v, &vl) && vl == 8 &&
	        memcmp(v, "External", 8) == 0) ||
	    !dlp_xml_attr_get(a, al, "Target", &v, &vl) || vl == 0 ||
	    o->chunks.len > 16384)
		return true;
	if (rels[0] == '/')
		rels++;
	dir = strstr(rels, "_rels/");
	dl = dir != NULL ? (size_t)(dir - rels) : 0;
	if (v[0] == '/') {
		v++, vl--;
		dl = 0;
	}
	while (vl > 2 && memcmp(v, "./", 2) == 0)
		v += 2, vl -= 2;
	return dlp_buf_append(&o->chunks, rels, dl) &&
	       dlp_xml_put_text(&o->chunks, v, vl, false) &&
	       dlp_buf_putc(&o->chunks, '\0');
}

/*
 * A drawing's name, alternative text or link, as its own line after the
 * part's text; a line equal to the one before is dropped (Word writes
 * the same description in wp:docPr and pic:cNvPr).
 */
static bool
put_prop(struct ox *o, const char *a, size_t al, const char *name)
{
	const char *v;
	size_t vl, at = o->fld.len, prev = o->prop_at;

	if (!dlp_xml_attr_get(a, al, name, &v, &vl) || all_space(v, vl))
		return true;
	if (!dlp_xml_put_text(&o->fld, v, vl, false) ||
	    !dlp_buf_putc(&o->fld, '\n'))
		return false;
	if (prev < at && at - prev == o->fld.len - at &&
	    memcmp(o->fld.p + prev, o->fld.p + at, at - prev) == 0)
		o->fld.len = at; /* the same line again */
	else
		o->prop_at = at;
	if (o->fld.p != NULL)
		o->fld.p[o->fld.len] = '\0';
	return true;
}

/* Drawing (DrawingML) and VML shape properties a reader can see. */
static bool
drawing_props(struct ox *o, const char *n, size_t l, const char *a, size_t al)
{
	static const char *const vml[] = {
	    "shape", "rect", "roundrect", "oval", "image", "group"};
	size_t i;

	if (dlp_xml_is(n, l, "docPr"))
		return put_prop(o, a, al, "name") &&
		       put_prop(o, a, al, "descr") &&
		       put_prop(o, a, al, "title");
	if (dlp_xml_is(n, l, "cNvPr"))
		return put_prop(o, a, al, "descr") &&
		       put_prop(o, a, al, "title");
	if (dlp_xml_is(n, l, "imagedata"))
		return put_prop(o, a, al, "title");
	for (i = 0; i < DLP_NITEMS(vml); i++)
		if (dlp_xml_is(n, l, vml[i]) && memchr(n, ':', l) != NULL)
			return put_prop(o, a, al, "alt") &&
			       put_prop(o, a, al, "title") &&
			       put_prop(o, a, al, "href");
	return true;
}

static enum dlp_status
x_start(
    void *ctx, const char *n, size_t l, const char *a, size_t al, bool empty)
{
	struct ox *o = ctx;
	const char *v;
	size_t vl;
	bool ok = true;

	(void)empty;
	if (o->skip > 0 || dlp_xml_is(n, l, "Fallback") ||
	    dlp_xml_is(n, l, "rPh") || dlp_xml_is(n, l, "pPrChange")) {
		o->skip++;
		return DLP_OK;
	}
	switch (o->kind) {
	case K_NUMBERING:
		ok = num_start(o, n, l, a, al);
		break;
	case K_STYLES:
		ok = styles_start(o, n, l, a, al);
		break;
	case K_AUTHORS:
		ok = authors_start(o, n, l, a, al);
		break;
	case K_WSTYLES:
		ok = wstyles_start(o, n, l, a, al);
		break;
	case K_CHUNKRELS:
		if (dlp_xml_is(n, l, "Relationship"))
			ok = chunk_rel(o, o->part, a, al);
		break;
	case K_TEXT:
	case K_SHEET:
	case K_CHART:
	case K_PPTCMT:
		if (!drawing_props(o, n, l, a, al))
			ok = false;
		else if (o->kind == K_PPTCMT && dlp_xml_is(n, l, "cm"))
			ok = put_author(o, a, al);
		else if (dlp_xml_is(n, l, "numPr")) {
			o->in_numpr = true;
		} else if (o->in_numpr && dlp_xml_is(n, l, "ilvl")) {
			o->p_ilvl = attr_int(a, al, "val", 0);
			o->p_ilvl_set = true;
		} else if (o->kind == K_TEXT && dlp_xml_is(n, l, "p")) {
			o->p_style[0] = '\0';
			o->p_ilvl = 0;
			o->p_numid = -1;
			o->p_ilvl_set = o->p_numbered = false;
		} else if (o->kind == K_TEXT && dlp_xml_is(n, l, "pStyle")) {
			copy_val(o->p_style, sizeof(o->p_style), a, al, "val");
		} else if (o->in_numpr && dlp_xml_is(n, l, "numId")) {
			o->p_numid = attr_int(a, al, "val", -1);
		} else if (dlp_xml_is(n, l, "instrText"))
			o->instr++;
		else if (dlp_xml_is(n, l, "t") || dlp_xml_is(n, l, "delText") ||
		         (o->kind == K_PPTCMT && dlp_xml_is(n, l, "text")) ||
		         (o->kind == K_CHART && dlp_xml_is(n, l, "v")) ||
		         (o->kind == K_SHEET &&
		             ((dlp_xml_is(n, l, "v") && !o->shared_cell) ||
		                 is_hf(n, l)))) {
			o->capture++;
			o->v_start = o->out.len;
		} else if (dlp_xml_is(n, l, "r"))
			o->run++;
		else if (dlp_xml_is(n, l, "tab") && o->run > 0)
			ok = dlp_buf_putc(&o->out, '\t');
		else if (dlp_xml_is(n, l, "br") || dlp_xml_is(n, l, "cr"))
			ok = dlp_buf_putc(&o->out, '\n');
		else if (dlp_xml_is(n, l, "c") && o->kind == K_SHEET) {
			bool typed = dlp_xml_attr_get(a, al, "t", &v, &vl);
			o->shared_cell = typed && vl == 1 && v[0] == 's';
			o->cell_num = !typed || (vl == 1 && v[0] == 'n');
			o->cell_style = attr_int(a, al, "s", 0);
		}
		break;
	case K_WORKBOOK:
		if (dlp_xml_is(n, l, "sheet") &&
		    dlp_xml_attr_get(a, al, "name", &v, &vl))
			ok = dlp_xml_put_text(&o->out, v, vl, false) &&
			     dlp_buf_putc(&o->out, '\n');
		break;
	case K_VALUES:
		if (((dlp_xml_attr_get(a, al, "v", &v, &vl) ||
		         dlp_xml_attr_get(a, al, "name", &v, &vl) ||
		         dlp_xml_attr_get(a, al, "caption", &v, &vl)) &&
		        vl > 0) &&
		    (!dlp_xml_put_text(&o->out, v, vl, false) ||
		        !dlp_buf_putc(&o->out, '\t')))
			ok = false;
		break;
	case K_RELS:
		if (dlp_xml_is(n, l, "Relationship") &&
		    dlp_xml_attr_get(a, al, "TargetMode", &v, &vl) && vl == 8 &&
		    memcmp(v, "External", 8) == 0 &&
		    dlp_xml_attr_get(a, al, "Target", &v, &vl))
			ok = dlp_xml_put_text(&o->out, v, vl, false) &&
			     dlp_buf_putc(&o->out, '\n');
		break;
	case K_PROPS:
		o->have_value = false;
		break;
	case K_CUSTOM:
		if (dlp_xml_is(n, l, "property") &&
		    dlp_xml_attr_get(a, al, "name", &v, &vl)) {
			ok = dlp_xml_put_text(&o->out, v, vl, false) &&
			     dlp_buf_putc(&o->out, '=');
			o->capture++;
		}
		break;
	case K_ATTRS:
		o->have_value = false;
		ok = put_attrs(o, n, l, a, al) && put_dde(o, n, l, a, al);
		break;
	default:
		break;
	}
	if (!ok)
		return DLP_ERR_NOMEM;
	/* remember the element name for K_PROPS/K_ATTRS text */
	if (o->kind == K_PROPS || o->kind == K_ATTRS) {
		dlp_buf_reset(&o->wb);
		if (!put_local(&o->wb, n, l))
			return DLP_ERR_NOMEM;
	}
	return DLP_OK;
}

static enum dlp_status
x_end(void *ctx, const char *n, size_t l)
{
	struct ox *o = ctx;
	bool ok = true;

	if (o->skip > 0) {
		o->skip--;
		return DLP_OK;
	}
	switch (o->kind) {
	case K_NUMBERING:
		num_end(o, n, l);
		break;
	case K_STYLES:
		if (dlp_xml_is(n, l, "cellXfs"))
			o->in_cellxfs = false;
		break;
	case K_TEXT:
	case K_SHEET:
	case K_CHART:
	case K_PPTCMT:
		if (o->in_numpr && dlp_xml_is(n, l, "numPr")) {
			o->in_numpr = false;
			if (o->p_numid >= 0 && !o->p_numbered) {
				o->p_numbered = true;
				ok = o->abs == NULL || num_render(o);
			}
		} else if (o->kind == K_TEXT && dlp_xml_is(n, l, "pPr") &&
		           !o->p_numbered && o->p_style[0] != '\0') {
			o->p_numbered = true;
			if (o->abs != NULL && o->sty != NULL &&
			    style_numbering(o))
				ok = num_render(o);
		} else if (o->instr > 0 && dlp_xml_is(n, l, "instrText")) {
			o->instr--;
			ok = dlp_buf_putc(&o->fld, '\n');
		} else if (o->capture > 0 &&
		           (dlp_xml_is(n, l, "t") ||
		               dlp_xml_is(n, l, "delText") ||
		               dlp_xml_is(n, l, "text") ||
		               dlp_xml_is(n, l, "v") || is_hf(n, l))) {
			o->capture--;
			o->cell_text = true;
			if (o->kind == K_SHEET && o->cell_num &&
			    dlp_xml_is(n, l, "v"))
				ok = cell_format(o);
			if (is_hf(n, l) || dlp_xml_is(n, l, "text") ||
			    (o->kind == K_CHART && dlp_xml_is(n, l, "v")))
				ok = dlp_buf_putc(&o->out, '\n');
		} else if (dlp_xml_is(n, l, "r") && o->run > 0) {
			o->run--;
		} else if (dlp_xml_is(n, l, "p") || dlp_xml_is(n, l, "si") ||
		           dlp_xml_is(n, l, "comment") ||
		           dlp_xml_is(n, l, "row")) {
			ok = dlp_buf_putc(&o->out, '\n');
		} else if (dlp_xml_is(n, l, "c") && o->cell_text) {
			ok = dlp_buf_putc(&o->out, '\t');
			o->cell_text = false;
			o->shared_cell = false;
		}
		break;
	case K_VALUES:
		if (dlp_xml_is(n, l, "r") || dlp_xml_is(n, l, "cacheField") ||
		    dlp_xml_is(n, l, "tableColumns"))
			ok = dlp_buf_putc(&o->out, '\n');
		break;
	case K_CUSTOM:
		if (dlp_xml_is(n, l, "property") && o->capture > 0) {
			o->capture--;
			ok = dlp_buf_putc(&o->out, '\n');
		}
		break;
	case K_PROPS:
	case K_ATTRS:
		if (o->have_value)
			ok = dlp_buf_putc(&o->out, '\n');
		o->have_value = false;
		break;
	default:
		break;
	}
	return ok ? DLP_OK : DLP_ERR_NOMEM;
}

static enum dlp_status
x_text(void *ctx, const char *p, size_t len, bool cdata)
{
	struct ox *o = ctx;
	bool ok = true;

	if (o->skip > 0)
		return DLP_OK;
	if (o->kind == K_PROPS || o->kind == K_ATTRS) {
		if (all_space(p, len))
			return DLP_OK;
		if (!o->have_value)
			ok = dlp_buf_append(&o->out, o->wb.p, o->wb.len) &&
			     dlp_buf_putc(&o->out, '=');
		o->have_value = true;
		ok = ok && dlp_xml_put_text(&o->out, p, len, cdata);
	} else if (o->instr > 0) {
		ok = dlp_xml_put_text(&o->fld, p, len, cdata);
	} else if (o->capture > 0) {
		ok = dlp_xml_put_text(&o->out, p, len, cdata);
	}
	return ok ? DLP_OK : DLP_ERR_NOMEM;
}

/* Parts the first pass reads: what later parts refer to. */
static enum kind
first_kind(const char *n)
{
	enum kind k = classify(n);

	if (k == K_NUMBERING || k == K_STYLES || k == K_AUTHORS ||
	    k == K_WSTYLES)
		return k;
	if (k == K_RELS && has_prefix(n[0] == '/' ? n + 1 : n, "word/_rels/"))
		return K_CHUNKRELS;
	return K_NONE;
}

static enum kind
main_kind(const struct ox *o, const char *n)
{
	const char *m = n[0] == '/' ? n + 1 : n;

	if (in_list(&o->chunks, m, strlen(m), false) != NULL)
		return K_CHUNK;
	return classify(n);
}

static int
ox_want(void *ctx, const char *name)
{
	struct ox *o = ctx;
	enum kind k;

	if (o->pass1)
		return first_kind(name) != K_NONE ? DLP_PKG_READ : DLP_PKG_SKIP;
	k = main_kind(o, name);
	if (k == K_NUMBERING || k == K_STYLES || k == K_AUTHORS ||
	    k == K_WSTYLES)
		return DLP_PKG_SKIP; /* read in the first pass */
	if (k == K_BINARY) {
		o->binary = true;
		return DLP_PKG_SKIP;
	}
	return k == K_NONE ? DLP_PKG_SKIP : DLP_PKG_READ;
}

static enum dlp_status
ox_part(void *ctx, const char *name, const uint8_t *data, size_t len)
{
	static const struct dlp_xml_handler xh = {NULL, x_start, x_end, x_text};
	struct dlp_xml_handler h = xh;
	struct ox *o = ctx;
	struct dlp_buf where;
	const struct dlp_sink *s = o->x->sink;
	const char *bad = NULL, *base;
	enum dlp_status st;

	dlp_buf_init(&where, o->x->mem);
	if (!dlp_pkg_where(&where, o->where, name)) {
		st = DLP_ERR_NOMEM;
		goto out;
	}
	o->part = name;
	o->kind = o->pass1 ? first_kind(name) : main_kind(o, name);
	base = strrchr(name, '/');
	base = base != NULL ? base + 1 : name;
	if (o->kind == K_OBJECT) {
		st = s->object(s->ctx, (const char *)where.p, base, NULL, data,
		    len, o->depth + 1);
		goto out;
	}
	if (o->kind == K_CHUNK) {
		/* document content in another format: read it as such */
		st = dlp_extract_object(o->x, (const char *)where.p, base, NULL,
		    data, len, o->depth + 1);
		goto out;
	}
	dlp_buf_reset(&o->out);
	dlp_buf_reset(&o->fld);
	o->capture = o->skip = o->run = o->instr = 0;
	o->prop_at = 0;
	o->shared_cell = o->cell_text = o->have_value = false;
	h.ctx = o;
	if ((st = dlp_xml_parse(data, len, &h, &bad)) != DLP_OK || o->pass1)
		goto out;
	/* field instructions after the text, so they never split a run */
	if (o->fld.len > 0 &&
	    (!dlp_buf_putc(&o->out, '\n') ||
	        !dlp_buf_append(&o->out, o->fld.p, o->fld.len))) {
		st = DLP_ERR_NOMEM;
		goto out;
	}
	if (o->out.len > 0 &&
	    (st = s->text(s->ctx,
	         o->kind >= K_PROPS ? DLP_SCOPE_METADATA : DLP_SCOPE_ATTACHMENT,
	         (const char *)where.p, NULL, (const char *)o->out.p,
	         o->out.len)) != DLP_OK)
		goto out;
	if (bad != NULL)
		st = s->unscanned(
		    s->ctx, (const char *)where.p, bad, "XML part");
out:
	dlp_buf_fini(&where);
	return st;
}

static enum dlp_status
quiet_unscanned(
    void *ctx, const char *where, const char *why, const char *detail)
{
	(void)ctx, (void)where, (void)why, (void)detail;
	return DLP_OK;
}

enum dlp_status
dlp_extract_ooxml(struct dlp_xctx *x, const char *where, const uint8_t *data,
    size_t len, unsigned depth)
{
	struct ox o;
	struct dlp_pkg_handler h = {&o, ox_want, ox_part};
	struct dlp_sink qs;
	struct dlp_xctx qx;
	enum dlp_status st;

	memset(&o, 0, sizeof(o));
	o.x = x;
	o.where = where;
	o.depth = depth;
	dlp_buf_init(&o.out, x->mem);
	dlp_buf_init(&o.wb, x->mem);
	dlp_buf_init(&o.fld, x->mem);
	dlp_buf_init(&o.fmts, x->mem);
	dlp_buf_init(&o.xfs, x->mem);
	dlp_buf_init(&o.authors, x->mem);
	dlp_buf_init(&o.chunks, x->mem);
	/*
	 * first pass, quietly (the second pass reports): list numbering,
	 * number formats, comment authors, altChunk targets
	 */
	qs = *x->sink;
	qs.unscanned = quiet_unscanned;
	qx = *x;
	qx.sink = &qs;
	o.pass1 = true;
	if ((st = dlp_pkg_walk(&qx, where, data, len, &h)) != DLP_OK)
		goto out;
	o.pass1 = false;
	st = dlp_pkg_walk(x, where, data, len, &h);
	if (st == DLP_OK && o.binary)
		st = x->sink->unscanned(x->sink->ctx, where, "unsupported",
		    "binary spreadsheet parts (xlsb)");
out:
	dlp_buf_fini(&o.out);
	dlp_buf_fini(&o.wb);
	dlp_buf_fini(&o.fld);
	dlp_buf_fini(&o.fmts);
	dlp_buf_fini(&o.xfs);
	dlp_buf_fini(&o.authors);
	dlp_buf_fini(&o.chunks);
	dlp_free(x->mem, o.abs);
	dlp_free(x->mem, o.num);
	dlp_free(x->mem, o.sty);
	return st;
}
