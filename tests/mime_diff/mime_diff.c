/*
 * mime_diff.c - differential test of our MIME parser against GMime 3.
 *
 * For every message in the corpus mail sets (mime4j, MimeKit, GMime,
 * enmime, rspamd, flanker, ruby mail, mailparser: *.eml, *.msg, *.raw)
 * both parsers build the part tree, message/rfc822 parts recursed into.
 * Each side is written as one line per part: depth, content type and,
 * for leaves, the transfer-decoded length and a hash of the bytes. A
 * message is "same" when the two listings are equal.
 *
 * Our decoder keeps an unpadded final base64 quantum and goes on after
 * '=' padding, where GMime drops the one and stops at the other (R2, R3
 * in the divergences file). When the listings differ, ours is built a
 * second time with base64 leaves decoded under GMime's two rules
 * (gmime_base64: our decoder, given only the text up to the first
 * padding, and without the incomplete last quantum when there is no
 * padding). If that listing equals GMime's, the tree and every other
 * byte agree and the only difference is the bytes ours decodes beyond
 * GMime's: the message is counted "same but for GMime's base64 rules"
 * (BASE64-TAIL), agrees for the 95% criterion, and must still be
 * listed.
 *
 * Usage: mime_diff CORPUS_DIR DIVERGENCES_FILE [-v]
 * Prints a summary and every difference. Messages GMime refuses to parse
 * at all have no oracle: they are counted apart ("refused"), never agree
 * and must be listed too. Exit status: 0 when at least 95% of all
 * messages (refused ones included) are the same or BASE64-TAIL and every
 * other message is listed in the divergences file (a line
 * "path<TAB>reason", path relative to the corpus); 1 otherwise; 77
 * (skip) when the corpus is absent.
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gmime/gmime.h>

#include "decode.h"
#include "mime_int.h"

static const char *const sets[] = {"mime4j", "mimekit", "gmime", "enmime",
    "rspamd", "flanker", "rubymail", "mailparser"};

static char **files;
static bool verbose;
static size_t nfiles, fcap;

static int
collect(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	size_t n = strlen(path);

	(void)st;
	(void)ftw;
	if (flag != FTW_F)
		return 0;
	if ((n > 4 && (strcmp(path + n - 4, ".eml") == 0 ||
	                  strcmp(path + n - 4, ".msg") == 0 ||
	                  strcmp(path + n - 4, ".raw") == 0))) {
		if (nfiles == fcap) {
			fcap = fcap ? fcap * 2 : 256;
			files = realloc(files, fcap * sizeof(*files));
			if (files == NULL)
				return -1;
		}
		files[nfiles++] = strdup(path);
	}
	return 0;
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static unsigned long long
fnv(const uint8_t *p, size_t n)
{
	unsigned long long h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return h;
}

static void
leaf_line(GString *out, unsigned depth, const char *type, const char *sub,
    const uint8_t *p, size_t n)
{
	size_t i;

	g_string_append_printf(
	    out, "%u %s/%s len=%zu h=%016llx", depth, type, sub, n, fnv(p, n));
	if (verbose) /* the first and last bytes, to see the difference */
		for (i = 0; i < n; i++)
			if (i < 8 || i + 8 >= n)
				g_string_append_printf(out, " %02x", p[i]);
	g_string_append_c(out, '\n');
}

static bool
is_message(const char *type, const char *sub)
{
	return strcmp(type, "message") == 0 &&
	       (strcmp(sub, "rfc822") == 0 || strcmp(sub, "global") == 0 ||
	           strcmp(sub, "news") == 0);
}

/*
 * Part i decoded the way GMime reads base64 (R2, R3 in divergences.txt),
 * with our decoder: the text only up to its first '=' padding run, and
 * without an incomplete final quantum when there is no padding at all.
 * False (nothing written) when the part is not base64.
 */
static bool
gmime_base64(const struct dlp_mime *m, size_t i, struct dlp_buf *out)
{
	static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklm"
	                            "nopqrstuvwxyz0123456789+/";
	const struct dlp_mhdr *h;
	const uint8_t *body = m->parts[i].body, *eq;
	size_t blen = m->parts[i].blen, k, n = 0;
	char cte[40] = "";
	unsigned flags = 0;

	if ((h = dlp_mime_part_header(m, i, "Content-Transfer-Encoding")) !=
	    NULL)
		dlp_mime_token(h->val, h->vlen, cte, sizeof(cte));
	if (strcmp(cte, "base64") != 0)
		return false;
	if ((eq = memchr(body, '=', blen)) != NULL) {
		while (eq < body + blen && *eq == '=')
			eq++;
		blen = (size_t)(eq - body);
	}
	if (!dlp_decode_base64(body, blen, out, &flags))
		return false;
	if (eq == NULL) {
		for (k = 0; k < blen; k++)
			if (body[k] != '\0' && strchr(alpha, body[k]) != NULL)
				n++;
		if (n % 4 >= 2 && out->len >= n % 4 - 1)
			out->len -= n % 4 - 1;
	}
	return true;
}

/*
 * Ours. With gmime_rules, base64 leaves are decoded by gmime_base64()
 * instead: the listing then shows whether GMime's base64 rules are the
 * only difference.
 */
static void
ours(const struct dlp_mem *mem, const struct dlp_limits *lim,
    const uint8_t *msg, size_t len, unsigned base, bool gmime_rules,
    GString *out)
{
	struct dlp_mime *m;
	size_t i, n;

	if (len == 0 && base > 0)
		return; /* an empty nested message: GMime has none either */
	if (dlp_mime_parse(mem, lim, msg, len, &m) != DLP_OK) {
		g_string_append(out, "parse error\n");
		return;
	}
	n = dlp_mime_nparts(m);
	for (i = 0; i < n; i++) {
		unsigned depth;
		const char *type, *sub;
		bool multi;
		struct dlp_buf b;

		dlp_mime_part_info(m, i, &depth, &type, &sub, &multi);
		if (multi) {
			g_string_append_printf(
			    out, "%u %s/%s\n", base + depth, type, sub);
			continue;
		}
		dlp_buf_init(&b, mem);
		if (!gmime_rules || is_message(type, sub) ||
		    !gmime_base64(m, i, &b))
			dlp_mime_decode_part(m, i, &b);
		if (is_message(type, sub) && base + depth < 64) {
			g_string_append_printf(
			    out, "%u %s/%s\n", base + depth, type, sub);
			ours(mem, lim, b.p ? b.p : (const uint8_t *)"", b.len,
			    base + depth + 1, gmime_rules, out);
		} else {
			leaf_line(out, base + depth, type, sub, b.p, b.len);
		}
		dlp_buf_fini(&b);
	}
	dlp_mime_free(m);
}

/* GMime's. */
static void
theirs(GMimeObject *obj, unsigned depth, GString *out)
{
	GMimeContentType *ct;
	const char *type, *sub;
	char *lt, *ls;

	if (obj == NULL)
		return;
	ct = g_mime_object_get_content_type(obj);
	type = ct ? g_mime_content_type_get_media_type(ct) : "text";
	sub = ct ? g_mime_content_type_get_media_subtype(ct) : "plain";
	lt = g_ascii_strdown(type ? type : "", -1);
	ls = g_ascii_strdown(sub ? sub : "", -1);
	if (GMIME_IS_MULTIPART(obj)) {
		int i, n = g_mime_multipart_get_count(GMIME_MULTIPART(obj));

		g_string_append_printf(out, "%u %s/%s\n", depth, lt, ls);
		for (i = 0; i < n; i++)
			theirs(
			    g_mime_multipart_get_part(GMIME_MULTIPART(obj), i),
			    depth + 1, out);
	} else if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *msg =
		    g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));

		g_string_append_printf(out, "%u %s/%s\n", depth, lt, ls);
		if (msg != NULL)
			theirs(
			    g_mime_message_get_mime_part(msg), depth + 1, out);
	} else if (GMIME_IS_PART(obj)) {
		GMimeDataWrapper *w = g_mime_part_get_content(GMIME_PART(obj));
		GMimeStream *ms = g_mime_stream_mem_new();
		GByteArray *ba;

		if (w != NULL)
			g_mime_data_wrapper_write_to_stream(w, ms);
		ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(ms));
		leaf_line(out, depth, lt, ls, ba->data, ba->len);
		g_object_unref(ms);
	}
	g_free(lt);
	g_free(ls);
}

static void
gmime_tree(const uint8_t *msg, size_t len, GString *out)
{
	GMimeStream *s =
	    g_mime_stream_mem_new_with_buffer((const char *)msg, len);
	GMimeParser *p = g_mime_parser_new_with_stream(s);
	GMimeMessage *m;

	g_mime_parser_set_format(p, GMIME_FORMAT_MESSAGE);
	m = g_mime_parser_construct_message(p, NULL);
	if (m == NULL)
		g_string_append(out, "parse error\n");
	else
		theirs(g_mime_message_get_mime_part(m), 0, out);
	if (m != NULL)
		g_object_unref(m);
	g_object_unref(p);
	g_object_unref(s);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (p = malloc((size_t)n + 1)) != NULL) {
		*len = fread(p, 1, (size_t)n, f);
		p[*len] = '\0';
	}
	fclose(f);
	return p;
}

/* Is rel listed (first field of a line) in the divergences text? */
static bool
listed(const char *div, const char *rel)
{
	size_t n = strlen(rel);
	const char *p = div;

	while (p != NULL && *p) {
		if (strncmp(p, rel, n) == 0 && (p[n] == '\t' || p[n] == ' '))
			return true;
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
	return false;
}

/* The first line where a and b differ. */
static void
show_diff(const char *a, const char *b)
{
	const char *la = a, *lb = b;
	int line = 1;

	while (*a && *a == *b) {
		if (*a == '\n') {
			line++;
			la = a + 1;
			lb = b + 1;
		}
		a++;
		b++;
	}
	printf("    line %d: ours   %.*s\n", line, (int)strcspn(la, "\n"), la);
	printf("    line %d: gmime  %.*s\n", line, (int)strcspn(lb, "\n"), lb);
}

/*
 * mime4j's expected decoded bodies: X_decoded_<path>.txt/.bin next to
 * X.msg, path the 1-based position in the tree ("1_2_1"; a nested
 * message's root is its part's path + "_1"). Compares our transfer-
 * decoded leaf bytes; returns the number of files that differ.
 */
struct m4j {
	const struct dlp_mem *mem;
	const struct dlp_limits *lim;
	const char *stem; /* path without ".msg" */
	size_t checked, same;
	const char *div;
	size_t unlisted;
};

/* Line ends to LF in place; returns the new length. */
static size_t
crlf_to_lf(char *p, size_t n)
{
	size_t i, o = 0;

	for (i = 0; p != NULL && i < n; i++)
		if (!(p[i] == '\r' && i + 1 < n && p[i + 1] == '\n'))
			p[o++] = p[i];
	return o;
}

static void
m4j_walk(struct m4j *c, const uint8_t *msg, size_t len, const char *root)
{
	struct dlp_mime *m;
	size_t i, n;
	char paths[256][160];

	memset(paths, 0, sizeof(paths));

	if (dlp_mime_parse(c->mem, c->lim, msg, len, &m) != DLP_OK)
		return;
	n = dlp_mime_nparts(m);
	for (i = 0; i < n && i < 256; i++) {
		unsigned depth;
		const char *type, *sub;
		bool multi;
		struct dlp_buf b;
		char file[4400];
		size_t j, flen = 0;
		char *want = NULL;

		dlp_mime_part_info(m, i, &depth, &type, &sub, &multi);
		if (depth == 0) {
			snprintf(paths[i], sizeof(paths[i]), "%s", root);
		} else {
			/* parent: nearest earlier part one level up */
			size_t pj = i, sib = 0;
			unsigned d2;
			const char *t2, *s2;
			bool m2;

			while (pj-- > 0) {
				dlp_mime_part_info(m, pj, &d2, &t2, &s2, &m2);
				if (d2 == depth)
					sib++;
				if (d2 < depth)
					break;
			}
			{
				char tmp[200];
				size_t l;

				snprintf(tmp, sizeof(tmp), "%s_%zu", paths[pj],
				    sib + 1);
				l = strlen(tmp);
				if (l >= sizeof(paths[i]))
					l = sizeof(paths[i]) - 1;
				memcpy(paths[i], tmp, l);
				paths[i][l] = '\0';
			}
		}
		if (multi)
			continue;
		dlp_buf_init(&b, c->mem);
		dlp_mime_decode_part(m, i, &b);
		if (is_message(type, sub)) {
			char sub_root[200];

			snprintf(sub_root, sizeof(sub_root), "%s_1", paths[i]);
			m4j_walk(c, b.p ? b.p : (const uint8_t *)"", b.len,
			    sub_root);
			dlp_buf_fini(&b);
			continue;
		}
		for (j = 0; j < 2 && want == NULL; j++) {
			snprintf(file, sizeof(file), "%s_decoded_%s.%s",
			    c->stem, paths[i], j ? "bin" : "txt");
			want = slurp(file, &flen);
		}
		if (want != NULL) {
			const char *rel = strstr(file, "mime4j/");

			c->checked++;
			if (j == 1) { /* .txt: mime4j writes text with CRLF */
				flen = crlf_to_lf(want, flen);
				b.len = crlf_to_lf((char *)b.p, b.len);
			}
			if (flen == b.len &&
			    memcmp(want, b.p ? (char *)b.p : "", flen) == 0) {
				c->same++;
			} else {
				bool ok = c->div != NULL && rel != NULL &&
				          listed(c->div, rel);

				if (!ok)
					c->unlisted++;
				printf("MIME4J %s: ours %zu bytes, expected "
				       "%zu%s\n",
				    rel ? rel : file, b.len, flen,
				    ok ? " (listed)" : "");
			}
			free(want);
		}
		dlp_buf_fini(&b);
	}
	dlp_mime_free(m);
}

int
main(int argc, char **argv)
{
	const char *corpus = getenv("DLP_CORPUS");
	struct dlp_mem mem;
	struct dlp_limits lim;
	char *div = NULL, path[4096];
	size_t i, k, same = 0, differ = 0, unlisted = 0, dlen, clen;
	size_t refused = 0, comparable, b64tail = 0, agree;
	struct m4j m4 = {0};
	struct stat st;

	if (argc < 3) {
		fprintf(stderr, "usage: mime_diff CORPUS DIVERGENCES [-v]\n");
		return 2;
	}
	if (corpus == NULL)
		corpus = argv[1];
	if (stat(corpus, &st) != 0 || !S_ISDIR(st.st_mode)) {
		printf("corpus %s absent: skipped\n", corpus);
		return 77;
	}
	verbose = argc > 3 && strcmp(argv[3], "-v") == 0;
	clen = strlen(corpus);
	div = slurp(argv[2], &dlen);
	dlp_mem_init_default(&mem);
	dlp_limits_default(&lim);
	g_mime_init();
	m4.mem = &mem;
	m4.lim = &lim;
	m4.div = div;
	for (k = 0; k < sizeof(sets) / sizeof(sets[0]); k++) {
		snprintf(path, sizeof(path), "%s/%s", corpus, sets[k]);
		if (nftw(path, collect, 16, FTW_PHYS) != 0)
			return 2;
	}
	if (nfiles == 0) {
		printf("no messages under %s: skipped\n", corpus);
		return 77;
	}
	qsort(files, nfiles, sizeof(*files), cmp);
	for (i = 0; i < nfiles; i++) {
		size_t len;
		char *msg = slurp(files[i], &len);
		const char *rel = files[i] + clen + 1;
		GString *a, *b, *g;

		if (msg == NULL)
			continue;
		a = g_string_new(NULL);
		b = g_string_new(NULL);
		g = g_string_new(NULL);
		ours(&mem, &lim, (const uint8_t *)msg, len, 0, false, a);
		if (strncmp(rel, "mime4j/", 7) == 0 &&
		    strcmp(files[i] + strlen(files[i]) - 4, ".msg") == 0) {
			char stem[4096];

			snprintf(stem, sizeof(stem), "%.*s",
			    (int)(strlen(files[i]) - 4), files[i]);
			m4.stem = stem;
			m4j_walk(&m4, (const uint8_t *)msg, len, "1");
		}
		gmime_tree((const uint8_t *)msg, len, b);
		g_string_truncate(g, 0);
		ours(&mem, &lim, (const uint8_t *)msg, len, 0, true, g);
		if (strcmp(a->str, b->str) == 0) {
			same++;
		} else if (strcmp(g->str, b->str) == 0) {
			/* Only GMime's base64 rules differ: ours decodes a
			 * tail it drops (R2) or text after padding (R3). */
			bool ok = div != NULL && listed(div, rel);

			b64tail++;
			if (!ok)
				unlisted++;
			printf(
			    "BASE64-TAIL %s%s\n", rel, ok ? " (listed)" : "");
			show_diff(a->str, b->str);
		} else if (strcmp(b->str, "parse error\n") == 0) {
			/* No oracle: GMime refuses the whole message. */
			refused++;
			printf("REFUSED %s (GMime cannot parse it)%s\n", rel,
			    div != NULL && listed(div, rel) ? " (listed)" : "");
			if (div == NULL || !listed(div, rel))
				unlisted++;
		} else {
			bool ok = div != NULL && listed(div, rel);

			differ++;
			if (!ok)
				unlisted++;
			printf("DIFF %s%s\n", rel, ok ? " (listed)" : "");
			show_diff(a->str, b->str);
			if (verbose)
				printf("--- ours\n%s--- gmime\n%s", a->str,
				    b->str);
		}
		g_string_free(a, TRUE);
		g_string_free(b, TRUE);
		g_string_free(g, TRUE);
		free(msg);
		free(files[i]);
	}
	printf("mime4j expected bodies: %zu checked, %zu same, %zu differ "
	       "(%zu not listed)\n",
	    m4.checked, m4.same, m4.checked - m4.same, m4.unlisted);
	unlisted += m4.unlisted;
	comparable = nfiles - refused;
	agree = same + b64tail;
	printf("%zu messages: %zu refused by GMime, %zu compared: %zu same, "
	       "%zu same but for GMime's base64 rules, %zu differ; %zu not "
	       "listed in the divergences; %.1f%% same, %.1f%% of all "
	       "messages agree\n",
	    nfiles, refused, comparable, same, b64tail, differ, unlisted,
	    comparable ? 100.0 * (double)same / (double)comparable : 0.0,
	    100.0 * (double)agree / (double)nfiles);
	free(files);
	free(div);
	g_mime_shutdown();
	return unlisted == 0 && comparable > 0 && agree * 100 >= nfiles * 95
	           ? 0
	           : 1;
}
