/*
 * input.c - enumerate messages: a file (one message, or an mbox split at
 * "From " lines after a blank line), a directory (each regular file, in
 * name order), a Maildir (cur/ then new/), or "-" (standard input).
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "input.h"

struct walk {
	const char *prog;
	dlp_cli_message_fn fn;
	void *ctx;
	int errors;
};

/* Read a whole stream; NULL with errno on failure. */
static char *
slurp(FILE *f, size_t *len)
{
	size_t cap = 65536, n = 0, k;
	char *p = malloc(cap), *np;

	if (p == NULL)
		return NULL;
	while ((k = fread(p + n, 1, cap - n, f)) > 0) {
		n += k;
		if (n == cap) {
			if (cap > SIZE_MAX / 2 ||
			    (np = realloc(p, cap * 2)) == NULL) {
				free(p);
				errno = ENOMEM;
				return NULL;
			}
			p = np;
			cap *= 2;
		}
	}
	if (ferror(f)) {
		free(p);
		return NULL;
	}
	*len = n;
	return p;
}

/* "From " at the start of a line that follows a blank line. */
static int
mbox_break(const char *p, size_t n, size_t i)
{
	return i >= 1 && i + 6 < n && p[i] == '\n' && p[i - 1] == '\n' &&
	       memcmp(p + i + 1, "From ", 5) == 0;
}

static int
is_mbox(const char *p, size_t n)
{
	if (n < 5 || memcmp(p, "From ", 5) != 0)
		return 0;
	for (size_t i = 1; i + 6 < n; i++)
		if (mbox_break(p, n, i))
			return 1;
	return 0;
}

static void
each_in_buffer(struct walk *w, const char *source, const char *p, size_t n)
{
	size_t start = 0, idx = 0;
	char name[4096];

	if (!is_mbox(p, n)) {
		w->fn(w->ctx, source, p, n);
		return;
	}
	for (size_t i = 1; i <= n; i++) {
		if (i < n && !mbox_break(p, n, i))
			continue;
		snprintf(name, sizeof(name), "%s#%zu", source, ++idx);
		w->fn(w->ctx, name, p + start, (i < n ? i + 1 : n) - start);
		start = i + 1;
	}
}

static void
each_in_file(struct walk *w, const char *path)
{
	FILE *f;
	char *buf;
	size_t len = 0;

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "%s: %s: %s\n", w->prog, path, strerror(errno));
		w->errors++;
		return;
	}
	if ((buf = slurp(f, &len)) == NULL) {
		fprintf(stderr, "%s: %s: %s\n", w->prog, path, strerror(errno));
		w->errors++;
	} else
		each_in_buffer(w, path, buf, len);
	free(buf);
	fclose(f);
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
each_in_dir(struct walk *w, const char *dir)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL, path[4096];
	size_t n = 0, cap = 0;

	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "%s: %s: %s\n", w->prog, dir, strerror(errno));
		w->errors++;
		return;
	}
	while ((de = readdir(d)) != NULL) {
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (n == cap) {
			char **nn;

			cap = cap ? cap * 2 : 64;
			if ((nn = realloc(names, cap * sizeof(*nn))) == NULL) {
				fprintf(stderr, "%s: %s: out of memory\n",
				    w->prog, dir);
				w->errors++;
				break;
			}
			names = nn;
		}
		if ((names[n] = strdup(path)) != NULL)
			n++;
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		each_in_file(w, names[i]);
		free(names[i]);
	}
	free(names);
}

int
dlp_cli_each_message(
    const char *prog, const char *path, dlp_cli_message_fn fn, void *ctx)
{
	struct walk w = {prog, fn, ctx, 0};
	struct stat st;
	char sub[4096];

	if (strcmp(path, "-") == 0) {
		size_t len = 0;
		char *buf = slurp(stdin, &len);

		if (buf == NULL) {
			fprintf(
			    stderr, "%s: stdin: %s\n", prog, strerror(errno));
			return 1;
		}
		each_in_buffer(&w, "-", buf, len);
		free(buf);
		return 0;
	}
	if (stat(path, &st) != 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		return 1;
	}
	if (!S_ISDIR(st.st_mode)) {
		each_in_file(&w, path);
		return w.errors;
	}
	snprintf(sub, sizeof(sub), "%s/cur", path);
	if (stat(sub, &st) == 0 && S_ISDIR(st.st_mode)) {
		each_in_dir(&w, sub);
		snprintf(sub, sizeof(sub), "%s/new", path);
		if (stat(sub, &st) == 0 && S_ISDIR(st.st_mode))
			each_in_dir(&w, sub);
		return w.errors;
	}
	each_in_dir(&w, path);
	return w.errors;
}
