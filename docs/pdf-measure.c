/* pdf-measure.c - poppler-glib vs MuPDF on PDFs: time per page and the Tika
 * expected substrings each finds. Not part of the build; see
 * docs/pdf-library.md for how to build and run it. */
#define _GNU_SOURCE
#include <glib.h>
#include <poppler.h>
#include <mupdf/fitz.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double
now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}
static char *
slurp(const char *p, size_t *n)
{
	FILE *f = fopen(p, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	*n = ftell(f);
	rewind(f);
	char *b = malloc(*n + 1);
	if (fread(b, 1, *n, f) != *n) {
	}
	fclose(f);
	return b;
}
static void
squash(char *s)
{
	char *o = s;
	int sp = 0;
	for (unsigned char *p = (unsigned char *)s; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
		    *p == '\f') {
			sp = o > s;
			continue;
		}
		if (sp)
			*o++ = ' ';
		sp = 0;
		*o++ = *p;
	}
	*o = 0;
}
static GString *
pop(const char *d, size_t n, int *pages)
{
	GString *g = g_string_new("");
	GBytes *b = g_bytes_new_static(d, n);
	GError *e = NULL;
	PopplerDocument *doc = poppler_document_new_from_bytes(b, NULL, &e);
	*pages = 0;
	if (doc) {
		int np = poppler_document_get_n_pages(doc);
		*pages = np;
		for (int i = 0; i < np; i++) {
			PopplerPage *p = poppler_document_get_page(doc, i);
			if (!p)
				continue;
			char *t = poppler_page_get_text(p);
			if (t) {
				g_string_append(g, t);
				g_string_append_c(g, '\n');
				g_free(t);
			}
			g_object_unref(p);
		}
		g_object_unref(doc);
	} else
		g_error_free(e);
	g_bytes_unref(b);
	return g;
}
static GString *
mu(fz_context *ctx, const char *d, size_t n, int *pages)
{
	GString *g = g_string_new("");
	*pages = 0;
	fz_buffer *buf = NULL;
	fz_document *doc = NULL;
	fz_stream *st = NULL;
	fz_var(doc);
	fz_var(st);
	fz_try(ctx)
	{
		st = fz_open_memory(ctx, (const unsigned char *)d, n);
		doc = fz_open_document_with_stream(ctx, "application/pdf", st);
		int np = fz_count_pages(ctx, doc);
		*pages = np;
		for (int i = 0; i < np; i++) {
			fz_stext_page *sp = NULL;
			fz_page *pg = NULL;
			fz_var(sp);
			fz_var(pg);
			fz_try(ctx)
			{
				pg = fz_load_page(ctx, doc, i);
				sp = fz_new_stext_page_from_page(ctx, pg, NULL);
				buf = fz_new_buffer_from_stext_page(ctx, sp);
				g_string_append_len(
				    g, (const char *)buf->data, buf->len);
				g_string_append_c(g, '\n');
				fz_drop_buffer(ctx, buf);
				buf = NULL;
			}
			fz_always(ctx)
			{
				fz_drop_stext_page(ctx, sp);
				fz_drop_page(ctx, pg);
			}
			fz_catch(ctx)
			{
			}
		}
	}
	fz_always(ctx)
	{
		fz_drop_document(ctx, doc);
		fz_drop_stream(ctx, st);
	}
	fz_catch(ctx)
	{
	}
	return g;
}
int
main(int argc, char **argv)
{
	const char *corpus = argv[1];
	FILE *f = fopen(argv[2], "r");
	char line[8192], last[4096] = "";
	fz_context *ctx = fz_new_context(NULL, NULL, FZ_STORE_UNLIMITED);
	fz_register_document_handlers(ctx);
	fz_set_warning_callback(ctx, NULL, NULL);
	fz_set_error_callback(ctx, NULL, NULL);
	int fp = 0, fm = 0, tot = 0, files = 0;
	double tp = 0, tm = 0;
	long pp = 0, pm = 0;
	GString *gp = NULL, *gm = NULL;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = 0;
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab++ = 0;
		size_t L = strlen(line);
		if (L < 4 || strcmp(line + L - 4, ".pdf"))
			continue;
		if (strcmp(last, line)) {
			snprintf(last, sizeof last, "%s", line);
			char path[8192];
			snprintf(path, sizeof path, "%s/%s", corpus, line);
			size_t n;
			char *d = slurp(path, &n);
			if (gp)
				g_string_free(gp, TRUE);
			if (gm)
				g_string_free(gm, TRUE);
			gp = g_string_new("");
			gm = g_string_new("");
			if (d) {
				int a, b;
				double t0 = now();
				for (int r = 0; r < 3; r++) {
					g_string_free(gp, TRUE);
					gp = pop(d, n, &a);
				}
				double t1 = now();
				for (int r = 0; r < 3; r++) {
					g_string_free(gm, TRUE);
					gm = mu(ctx, d, n, &b);
				}
				double t2 = now();
				tp += (t1 - t0) / 3;
				tm += (t2 - t1) / 3;
				pp += a;
				pm += b;
				files++;
				printf("%-60s pages %3d/%3d poppler %8.2f ms "
				       "mupdf %8.2f ms\n",
				    strrchr(line, '/') + 1, a, b,
				    (t1 - t0) / 3 * 1000, (t2 - t1) / 3 * 1000);
				free(d);
			}
			squash(gp->str);
			squash(gm->str);
		}
		char sub[4096];
		char *o = sub;
		for (char *p = tab; *p; p++) {
			if (*p == '\\' && p[1]) {
				p++;
				*o++ = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
			} else
				*o++ = *p;
		}
		*o = 0;
		squash(sub);
		tot++;
		int a = strstr(gp->str, sub) != NULL,
		    b = strstr(gm->str, sub) != NULL;
		fp += a;
		fm += b;
		if (a != b)
			printf(
			    "   %s only: %s\n", a ? "poppler" : "mupdf", sub);
	}
	printf("files %d rows %d\npoppler: found %d/%d, pages %ld, total %.1f "
	       "ms, %.3f ms/page\nmupdf:   found %d/%d, pages %ld, total %.1f "
	       "ms, %.3f ms/page\n",
	    files, tot, fp, tot, pp, tp * 1000, tp * 1000 / pp, fm, tot, pm,
	    tm * 1000, tm * 1000 / pm);
	return 0;
}
