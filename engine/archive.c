/*
 * archive.c - expand archives and compressed streams with libarchive.
 *
 * Trust: the bytes are hostile. Exactly these readers are enabled: formats
 * zip (incl. zip64; the seekable reader, which reads the central
 * directory), tar, cpio, 7z, rar, rar5, cab, iso9660, lha, ar and raw (a
 * single compressed stream), and one filter of gzip, bzip2, xz, lzma,
 * zstd, lz4, compress and uu, chosen by the sniffed type and appended
 * explicitly (no filter bidding: one layer per nesting level).
 * format_all and filter_program are never used; a filter that would need
 * an external program (ARCHIVE_WARN) is refused. Only exact ARCHIVE_OK
 * counts as success.
 * Limits: per entry lim->max_entry_bytes; per message the budget's
 * expanded bytes, entry count and deadline; per archive lim->max_entries
 * and an expansion ratio (bytes expanded / archive bytes over
 * lim->max_ratio, checked once 1 MiB has been expanded). An entry is read
 * in chunks and never held beyond the limits; a limit stops the archive
 * with an unscanned "limit" naming what was stopped (what was read so far
 * is still scanned).
 * Status: DLP_OK, DLP_ERR_NOMEM or an error from the sink. Encrypted
 * entries are unscanned "encrypted"; warnings, corruption, truncation and
 * bytes outside the archive (a second zip appended or prepended) are
 * unscanned "malformed"; the bytes outside are scanned as an object too.
 */
#include <archive.h>
#include <archive_entry.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sniff.h"

#define CHUNK       ((size_t)64 << 10)
#define RATIO_FLOOR ((size_t)1 << 20)

struct arc {
	struct dlp_xctx *x;
	const char *where;
	const struct dlp_limits *lim;
	struct dlp_budget *budget;
	size_t inlen;    /* archive bytes */
	size_t expanded; /* bytes expanded from this archive so far */
	size_t nentries;
	bool eof;        /* the walk reached the archive's end */
	bool rar5_crypt; /* a RAR5 header says encrypted (see rar5_encrypted) */
	int layer;       /* index into layers[] or -1 */
	unsigned depth;
	struct dlp_buf path; /* where + "/" + entry name */
	struct {             /* entry contents; grown to the limit, no more */
		uint8_t *p;
		size_t len, cap;
	} data;
};

/* Room for want more bytes in c->data, never past max_entry_bytes. */
static bool
grow(struct arc *c, size_t want)
{
	size_t need, ncap;
	uint8_t *np;

	if (!dlp_add_ok(c->data.len, want, &need))
		return false;
	if (need <= c->data.cap)
		return true;
	ncap = c->data.cap < CHUNK ? CHUNK : c->data.cap;
	while (ncap < need)
		if (!dlp_mul_ok(ncap, 2, &ncap))
			return false;
	if (ncap > c->lim->max_entry_bytes && need <= c->lim->max_entry_bytes)
		ncap = c->lim->max_entry_bytes;
	if (ncap < need)
		ncap = need;
	if ((np = dlp_realloc(c->x->mem, c->data.p, ncap)) == NULL)
		return false;
	c->data.p = np;
	c->data.cap = ncap;
	return true;
}

static enum dlp_status unscanned(struct arc *c, const char *where,
    const char *why, const char *fmt, ...) DLP_PRINTF(4, 5);

static enum dlp_status
unscanned(
    struct arc *c, const char *where, const char *why, const char *fmt, ...)
{
	char detail[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	return c->x->sink->unscanned(c->x->sink->ctx, where, why, detail);
}

static const char *
errstr(struct archive *a)
{
	const char *s = archive_error_string(a);

	return s != NULL ? s : "unknown error";
}

struct reader {
	const char *name;
	int (*fn)(struct archive *);
};

static const struct reader formats[] = {
    {"zip", archive_read_support_format_zip},
    {"tar", archive_read_support_format_tar},
    {"cpio", archive_read_support_format_cpio},
    {"7zip", archive_read_support_format_7zip},
    {"rar", archive_read_support_format_rar},
    {"rar5", archive_read_support_format_rar5},
    {"cab", archive_read_support_format_cab},
    {"iso9660", archive_read_support_format_iso9660},
    {"lha", archive_read_support_format_lha},
    {"ar", archive_read_support_format_ar},
};

/*
 * The decompression layer, chosen from the sniffed type and appended
 * explicitly: libarchive's own filter bidding is bypassed, so exactly one
 * layer is removed per nesting level. (Bidding would stack up to 25
 * filters in one call, beyond every limit of ours: a gzip that expands to
 * a gzip, and so on, runs for minutes in libarchive 3.6.) What comes out
 * is an archive, or a "data" entry sent back through the engine, which
 * sniffs it again at depth + 1.
 */
static const struct {
	enum dlp_ftype type;
	int code;
	const char *name;
} layers[] = {
    {DLP_FT_GZIP, ARCHIVE_FILTER_GZIP, "gzip"},
    {DLP_FT_BZIP2, ARCHIVE_FILTER_BZIP2, "bzip2"},
    {DLP_FT_XZ, ARCHIVE_FILTER_XZ, "xz"},
    {DLP_FT_LZMA, ARCHIVE_FILTER_LZMA, "lzma"},
    {DLP_FT_ZSTD, ARCHIVE_FILTER_ZSTD, "zstd"},
    {DLP_FT_LZ4, ARCHIVE_FILTER_LZ4, "lz4"},
    {DLP_FT_COMPRESS, ARCHIVE_FILTER_COMPRESS, "compress"},
    {DLP_FT_UUENCODE, ARCHIVE_FILTER_UU, "uu"},
};

/* Index into layers[] of data's outer compression, or -1 for none. */
static int
layer_of(struct dlp_xctx *x, const uint8_t *data, size_t len)
{
	enum dlp_ftype t = dlp_sniff(x, data, len, NULL).type;

	for (size_t i = 0; i < DLP_NITEMS(layers); i++)
		if (layers[i].type == t)
			return (int)i;
	return -1;
}

/*
 * Enable exactly the readers named in the file comment: the archive
 * formats (all_formats), and for a compressed stream (layer >= 0) the raw
 * format and that one filter.
 */
static bool
setup(struct archive *a, bool all_formats, int layer, const char **what)
{
	for (size_t i = 0; all_formats && i < DLP_NITEMS(formats); i++)
		if (formats[i].fn(a) != ARCHIVE_OK) {
			*what = formats[i].name;
			return false;
		}
	if (layer < 0)
		return true;
	*what = layers[layer].name;
	if (archive_read_support_format_raw(a) != ARCHIVE_OK)
		return false;
	/*
	 * libarchive 3.6 crashes appending "compress" (its bidder is named
	 * "compress (.Z)"): that one filter alone is registered and bids.
	 */
	if (layers[layer].code == ARCHIVE_FILTER_COMPRESS)
		return archive_read_support_filter_compress(a) == ARCHIVE_OK;
	return archive_read_append_filter(a, layers[layer].code) == ARCHIVE_OK;
}

static bool
traversal(const char *name)
{
	const char *p;

	if (name[0] == '/' || name[0] == '\\' ||
	    (name[0] != '\0' && name[1] == ':'))
		return true;
	for (p = name; *p != '\0'; p++)
		if (p[0] == '.' && p[1] == '.' &&
		    (p == name || p[-1] == '/' || p[-1] == '\\') &&
		    (p[2] == '\0' || p[2] == '/' || p[2] == '\\'))
			return true;
	return false;
}

/*
 * Read the current entry's data into c->data in chunks, never past a
 * limit. *stop is set to the limit that cut it short (only when data
 * remained), *bad when libarchive failed to read it.
 */
static enum dlp_status
read_entry(struct arc *c, struct archive *a, const char **stop, bool *bad)
{
	size_t cap;

	*stop = NULL;
	*bad = false;
	c->data.len = 0;
	if (!dlp_mul_ok(c->inlen, c->lim->max_ratio, &cap))
		cap = SIZE_MAX;
	if (cap < RATIO_FLOOR)
		cap = RATIO_FLOOR;
	for (;;) {
		const char *why = NULL;
		size_t want = CHUNK;
		la_ssize_t n;

		if (c->lim->max_entry_bytes - c->data.len < want) {
			want = c->lim->max_entry_bytes - c->data.len;
			why = "entry size (max_entry_bytes)";
		}
		if (c->budget != NULL && c->budget->expanded_left < want) {
			want = c->budget->expanded_left;
			why = "expanded bytes per message (max_expanded_bytes)";
		}
		if (c->expanded >= cap) {
			want = 0;
			why = "expansion ratio (max_ratio)";
		} else if (cap - c->expanded < want) {
			want = cap - c->expanded;
			why = "expansion ratio (max_ratio)";
		}
		if (dlp_budget_expired(c->budget)) {
			want = 0;
			why = "scan time (max_scan_ms)";
		}
		if (want == 0) {
			char probe;

			n = archive_read_data(a, &probe, 1);
			if (n < 0)
				*bad = true;
			else if (n > 0)
				*stop = why;
			return DLP_OK;
		}
		if (!grow(c, want))
			return DLP_ERR_NOMEM;
		n = archive_read_data(a, c->data.p + c->data.len, want);
		if (n == 0)
			return DLP_OK;
		if (n < 0) {
			*bad = true;
			return DLP_OK;
		}
		c->data.len += (size_t)n;
		c->expanded += (size_t)n;
		if (c->budget != NULL)
			(void)dlp_budget_take(c->budget, (size_t)n);
	}
}

/* One entry. *stopped: a limit ended the archive (already reported). */
static enum dlp_status
entry(struct arc *c, struct archive *a, struct archive_entry *e, bool *stopped)
{
	const char *name, *stop, *path;
	enum dlp_status st;
	bool bad;

	*stopped = false;
	name = archive_entry_pathname_utf8(e);
	if (name == NULL)
		name = archive_entry_pathname(e);
	if (name == NULL || name[0] == '\0')
		name = "(unnamed)";
	dlp_buf_reset(&c->path);
	if (!dlp_buf_puts(&c->path, c->where) || !dlp_buf_putc(&c->path, '/') ||
	    !dlp_buf_puts(&c->path, name))
		return DLP_ERR_NOMEM;
	path = (const char *)c->path.p;
	st = c->x->sink->text(c->x->sink->ctx, DLP_SCOPE_FILENAME, path, NULL,
	    name, strlen(name));
	if (st != DLP_OK)
		return st;
	if (traversal(name) &&
	    (st = c->x->sink->finding(c->x->sink->ctx, path,
	         "archive-path-traversal", 1, name)) != DLP_OK)
		return st;
	if (archive_entry_filetype(e) != AE_IFREG)
		return DLP_OK;
	if (archive_entry_is_encrypted(e))
		return unscanned(
		    c, path, "encrypted", "encrypted archive entry");
	if (archive_entry_size_is_set(e) && archive_entry_size(e) >= 0 &&
	    (uint64_t)archive_entry_size(e) > c->lim->max_entry_bytes)
		return unscanned(c, path, "limit",
		    "entry size %lld over max_entry_bytes %zu: not read",
		    (long long)archive_entry_size(e), c->lim->max_entry_bytes);
	if ((st = read_entry(c, a, &stop, &bad)) != DLP_OK)
		return st;
	if (bad) {
		bool enc = archive_entry_is_encrypted(e) || c->rar5_crypt ||
		           strstr(errstr(a), "assphrase") != NULL ||
		           strstr(errstr(a), "ncrypt") != NULL;

		/*
		 * libarchive's state after a failed read is not to be
		 * trusted (its 3.6 CAB reader crashes when asked to skip
		 * on): what was read is still scanned, then the archive
		 * ends.
		 */
		*stopped = true;
		st = unscanned(c, path, enc ? "encrypted" : "malformed",
		    "entry data: %s; rest of the archive not read", errstr(a));
		if (st != DLP_OK)
			return st;
	}
	if (stop != NULL) {
		*stopped = true;
		st = unscanned(c, path, "limit",
		    "%s: entry cut after %zu bytes, rest of the archive not "
		    "read",
		    stop, c->data.len);
		if (st != DLP_OK)
			return st;
	}
	if (c->data.len == 0)
		return DLP_OK;
	return c->x->sink->object(c->x->sink->ctx, path, name, NULL, c->data.p,
	    c->data.len, c->depth + 1);
}

/*
 * Bytes of a zip outside [start, end): a prepended archive (detected from
 * the offset correction of the last end-of-central-directory record) or
 * data after the EOCD and its comment.
 */
static bool
zip_extent(const uint8_t *d, size_t len, size_t *start, size_t *end)
{
	size_t eocd, lo, cdsize, cdoff, clen;

	*start = 0;
	*end = len;
	if (len < 22)
		return false;
	lo = len > 65557 ? len - 65557 : 0;
	for (eocd = len - 22;; eocd--) {
		if (memcmp(d + eocd, "PK\5\6", 4) == 0)
			break;
		if (eocd == lo)
			return false;
	}
	cdsize = d[eocd + 12] | d[eocd + 13] << 8 | (size_t)d[eocd + 14] << 16 |
	         (size_t)d[eocd + 15] << 24;
	cdoff = d[eocd + 16] | d[eocd + 17] << 8 | (size_t)d[eocd + 18] << 16 |
	        (size_t)d[eocd + 19] << 24;
	clen = (size_t)(d[eocd + 20] | d[eocd + 21] << 8);
	if (eocd + 22 + clen <= len)
		*end = eocd + 22 + clen;
	if (eocd >= 76 && memcmp(d + eocd - 20, "PK\6\7", 4) == 0) {
		/* zip64: the directory ends at the zip64 end record. */
		const uint8_t *rec = d + eocd - 76;
		uint64_t off = 0;

		if (memcmp(rec, "PK\6\6", 4) != 0)
			return true;
		for (int i = 7; i >= 0; i--)
			off = off << 8 | d[eocd - 20 + 8 + i];
		if (off <= eocd - 76)
			*start = eocd - 76 - (size_t)off;
		return true;
	}
	if (cdoff != 0xFFFFFFFFu && cdsize <= eocd && cdoff <= eocd - cdsize)
		*start = eocd - cdsize - cdoff;
	return true;
}

static enum dlp_status
outside(struct arc *c, const char *what, const uint8_t *p, size_t n)
{
	enum dlp_status st;

	dlp_buf_reset(&c->path);
	if (!dlp_buf_printf(&c->path, "%s/(%s)", c->where, what))
		return DLP_ERR_NOMEM;
	st = unscanned(c, (const char *)c->path.p, "malformed",
	    "%zu bytes %s the archive", n,
	    strcmp(what, "prefix") == 0 ? "before" : "after");
	if (st != DLP_OK)
		return st;
	return c->x->sink->object(c->x->sink->ctx, (const char *)c->path.p,
	    NULL, NULL, p, n, c->depth + 1);
}

/* A RAR5 variable-length integer; false when it runs off the end. */
static bool
vint(const uint8_t *d, size_t len, size_t *off, uint64_t *v)
{
	*v = 0;
	for (unsigned shift = 0; shift < 64; shift += 7) {
		if (*off >= len)
			return false;
		*v |= (uint64_t)(d[*off] & 0x7F) << shift;
		if ((d[(*off)++] & 0x80) == 0)
			return true;
	}
	return false;
}

/*
 * libarchive 3.6 does not flag encrypted RAR5 entries; it fails to read
 * them. Walk the RAR5 headers (at most 4096): an archive encryption
 * header (type 4) or a file/service header with an encryption extra
 * record (type 1) means the read failures are encryption.
 */
static bool
rar5_encrypted(const uint8_t *d, size_t len)
{
	size_t off = 8;

	if (len < 8 || memcmp(d, "Rar!\x1A\x07\x01\x00", 8) != 0)
		return false;
	for (unsigned n = 0; n < 4096; n++) {
		uint64_t hsize, type, flags, xsize = 0, dsize = 0;
		size_t h, end;

		off += 4; /* header CRC32 */
		if (!vint(d, len, &off, &hsize) || hsize > len - off)
			return false;
		h = off;
		end = off + (size_t)hsize;
		if (!vint(d, end, &h, &type) || !vint(d, end, &h, &flags) ||
		    ((flags & 1) && !vint(d, end, &h, &xsize)) ||
		    ((flags & 2) && !vint(d, end, &h, &dsize)))
			return false;
		if (type == 4)
			return true;
		if ((type == 2 || type == 3) && xsize > 0 && xsize <= end - h) {
			size_t x = end - (size_t)xsize;

			while (x < end) {
				uint64_t rsize, rtype;
				size_t r = x;

				if (!vint(d, end, &r, &rsize) ||
				    rsize > end - r || rsize == 0)
					break;
				x = r + (size_t)rsize;
				if (vint(d, end, &r, &rtype) && rtype == 1)
					return true;
			}
		}
		if (type == 5 || dsize > len - end)
			return false;
		off = end + (size_t)dsize;
	}
	return false;
}

static bool
all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0)
			return false;
	return true;
}

/*
 * tar, cpio and ar end at a marker; libarchive ignores what follows. Any
 * non-zero bytes after it (a second archive appended, say) are reported
 * and scanned. For a compressed stream the decompressed data is read a
 * second time, up to the marker, then what remains (within the limits).
 */
static enum dlp_status
tail_check(struct arc *c, struct archive *a, const uint8_t *data, size_t len)
{
	int fmt = archive_format(a) & ARCHIVE_FORMAT_BASE_MASK;
	la_int64_t used = archive_filter_bytes(a, 0);
	struct archive *b = NULL;
	struct archive_entry *e;
	const char *what, *stop;
	enum dlp_status st = DLP_OK;
	la_int64_t skipped = 0;
	bool bad;

	if ((fmt != ARCHIVE_FORMAT_TAR && fmt != ARCHIVE_FORMAT_CPIO &&
	        fmt != ARCHIVE_FORMAT_AR) ||
	    used < 0)
		return DLP_OK;
	if (archive_filter_count(a) <= 1) {
		if ((uint64_t)used >= len ||
		    all_zero(data + used, len - (size_t)used))
			return DLP_OK;
		return outside(c, "trailer", data + used, len - (size_t)used);
	}
	if ((b = archive_read_new()) == NULL)
		return DLP_ERR_NOMEM;
	if (!setup(b, false, c->layer, &what) ||
	    archive_read_open_memory(b, data, len) != ARCHIVE_OK ||
	    archive_read_next_header(b, &e) != ARCHIVE_OK)
		goto out; /* the first pass read it: nothing new to say */
	while (skipped < used) {
		char tmp[8192];
		la_int64_t want = used - skipped;
		la_ssize_t n = archive_read_data(b, tmp,
		    want > (la_int64_t)sizeof(tmp) ? sizeof(tmp)
		                                   : (size_t)want);

		if (n <= 0)
			goto out;
		skipped += n;
	}
	if ((st = read_entry(c, b, &stop, &bad)) != DLP_OK)
		goto out;
	if (c->data.len == 0 || all_zero(c->data.p, c->data.len))
		goto out;
	st = outside(c, "trailer", c->data.p, c->data.len);
out:
	archive_read_free(b);
	return st;
}

static enum dlp_status
walk(struct arc *c, struct archive *a)
{
	struct archive_entry *e;
	enum dlp_status st;
	unsigned retries = 0;
	bool stopped;
	int r;

	for (;;) {
		r = archive_read_next_header(a, &e);
		if (r == ARCHIVE_EOF) {
			c->eof = true;
			return DLP_OK;
		}
		if (r == ARCHIVE_RETRY && ++retries < 3)
			continue;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			bool enc = archive_read_has_encrypted_entries(a) > 0 ||
			           c->rar5_crypt ||
			           strstr(errstr(a), "ncrypt") != NULL;

			return unscanned(c, c->where,
			    enc ? "encrypted" : "malformed",
			    "after %zu entries: %s", c->nentries, errstr(a));
		}
		if (r == ARCHIVE_WARN &&
		    (st = unscanned(c, c->where, "malformed", "entry %zu: %s",
		         c->nentries + 1, errstr(a))) != DLP_OK)
			return st;
		if (c->nentries >= c->lim->max_entries ||
		    (c->budget != NULL && c->budget->entries_left == 0))
			return unscanned(c, c->where, "limit",
			    "entry count (max_entries): stopped after %zu "
			    "entries, rest of the archive not read",
			    c->nentries);
		if (dlp_budget_expired(c->budget))
			return unscanned(c, c->where, "limit",
			    "scan time (max_scan_ms): stopped after %zu "
			    "entries",
			    c->nentries);
		/* raw with no filter is any bytes at all: not an archive. */
		if (archive_format(a) == ARCHIVE_FORMAT_RAW &&
		    archive_filter_count(a) <= 1)
			return unscanned(c, c->where, "malformed",
			    "no archive format recognised");
		c->nentries++;
		if (c->budget != NULL)
			c->budget->entries_left--;
		if ((st = entry(c, a, e, &stopped)) != DLP_OK || stopped)
			return st;
	}
}

enum dlp_status
dlp_extract_archive(struct dlp_xctx *x, const char *where, const uint8_t *data,
    size_t len, unsigned depth)
{
	struct dlp_limits deflim;
	struct archive *a = NULL;
	struct arc c;
	enum dlp_status st = DLP_OK;
	const char *what = NULL;
	size_t zstart = 0, zend = len;
	bool zip, eocd = true;

	memset(&c, 0, sizeof(c));
	c.x = x;
	c.where = where;
	c.budget = x->sink->budget;
	c.inlen = len;
	c.depth = depth;
	if ((c.lim = x->lim) == NULL) {
		dlp_limits_default(&deflim);
		c.lim = &deflim;
	}
	dlp_buf_init(&c.path, x->mem);
	zip = len >= 4 && memcmp(data, "PK\3\4", 4) == 0;
	if (zip)
		eocd = zip_extent(data, len, &zstart, &zend);
	c.rar5_crypt = rar5_encrypted(data, len);
	c.layer = layer_of(x, data, len);
	if ((a = archive_read_new()) == NULL) {
		st = DLP_ERR_NOMEM;
		goto out;
	}
	/*
	 * Rock Ridge off: libarchive 3.6's reader loops without bound on a
	 * continuation-entry cycle (the corpus has one) and then exits the
	 * process on memory exhaustion. Joliet or ISO names are used.
	 */
	if (!setup(a, true, c.layer, &what) ||
	    ((what = "iso9660 options") != NULL &&
	        archive_read_set_format_option(
	            a, "iso9660", "rockridge", NULL) != ARCHIVE_OK)) {
		st = unscanned(&c, where, "error",
		    "libarchive cannot read %s without an external program",
		    what);
		goto out;
	}
	if (archive_read_open_memory(a, data + zstart, zend - zstart) !=
	    ARCHIVE_OK) {
		st = unscanned(
		    &c, where, "malformed", "not readable: %s", errstr(a));
		goto out;
	}
	if ((st = walk(&c, a)) != DLP_OK)
		goto out;
	if (c.eof && c.nentries == 0 &&
	    (st = unscanned(&c, where, "malformed", "no entries")) != DLP_OK)
		goto out;
	if (c.eof && (st = tail_check(&c, a, data, len)) != DLP_OK)
		goto out;
	if (!eocd && (st = unscanned(&c, where, "malformed",
	                  "zip without an end of central directory "
	                  "(truncated?)")) != DLP_OK)
		goto out;
	if (zstart > 0 && (st = outside(&c, "prefix", data, zstart)) != DLP_OK)
		goto out;
	if (zend < len)
		st = outside(&c, "trailer", data + zend, len - zend);
out:
	archive_read_free(a);
	dlp_buf_fini(&c.path);
	dlp_free(x->mem, c.data.p);
	return st;
}
