/*
 * corpus_check.c - signature quality on real mail: scan every message of
 * each corpus set that is present with the shipped signatures and fail
 * on any message with a counted signature finding of level 2 or more
 * that is not listed (with its reason) in the marked list. Notes of the
 * stages (category "note": a type mismatch ...) are counted apart and do
 * not fail the run. Prints per-set counts.
 *
 *   corpus_check DATADIR MARKED NAME=DIR:EXT[,EXT...] ...
 *
 * A set whose DIR is absent is skipped; exit 77 (skip) when none is
 * present. A message that cannot be read or scanned fails the run too. Files
 * are found recursively by extension; an mbox holds many messages. Names in
 * MARKED are "NAME/PATH-UNDER-DIR[#N] reason".
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "engine.h"
#include "input.h"

struct set {
	const char *name, *dir;
	char exts[128];
	size_t nmsgs, nflagged, nlisted, nerrors, nnotes;
};

struct ctx {
	struct dlp_scan *scan;
	struct set *set;
	char **marked;
	size_t nmarked;
	unsigned char *seen; /* per marked entry: flagged this run */
	size_t unlisted;
};

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
on_message(void *vc, const char *source, const char *msg, size_t len)
{
	struct ctx *c = vc;
	struct dlp_envelope env = {0};
	struct dlp_result *r = NULL;
	const struct dlp_finding_x *top = NULL;
	size_t dl = strlen(c->set->dir);
	char name[4096];
	char *key = name, **hit;
	bool note = false;

	env.flags = DLP_ENV_RCPTS_FROM_HEADERS;
	c->set->nmsgs++;
	if (dlp_scan_message(c->scan, msg, len, &env, &r) != DLP_OK) {
		fprintf(stderr, "corpus: %s: scan failed\n", source);
		c->set->nerrors++;
		dlp_result_free(r);
		return;
	}
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct dlp_finding_x *f = &r->findings[i];

		if (!f->counted || f->pub.level < 2)
			continue;
		/* Notes are facts the stages report (a type mismatch, an
		 * archive path), not signature matches: counted apart. */
		if (strcmp(f->pub.category, "note") == 0) {
			note = true;
			continue;
		}
		if (top == NULL || f->pub.level > top->pub.level)
			top = f;
	}
	c->set->nnotes += note;
	if (top != NULL) {
		if (strncmp(source, c->set->dir, dl) == 0 && source[dl] == '/')
			source += dl + 1;
		snprintf(name, sizeof(name), "%s/%s", c->set->name, source);
		c->set->nflagged++;
		hit = c->nmarked ? bsearch(&key, c->marked, c->nmarked,
		                       sizeof(*c->marked), cmp_str)
		                 : NULL;
		if (hit != NULL) {
			c->set->nlisted++;
			c->seen[hit - c->marked] = 1;
		} else {
			c->unlisted++;
			printf(
			    "UNLISTED %s: level %u by %s (%s) in %s: \"%s\"\n",
			    name, top->pub.level, top->pub.rule,
			    top->pub.detail, top->pub.where, top->pub.excerpt);
		}
	}
	dlp_result_free(r);
}

static bool
has_ext(const char *file, const char *exts)
{
	const char *dot = strrchr(file, '.');
	size_t n;

	if (dot == NULL)
		return false;
	dot++;
	n = strlen(dot);
	for (const char *p = exts; *p;) {
		size_t l = strcspn(p, ",");

		if (l == n && strncmp(p, dot, n) == 0)
			return true;
		p += l + (p[l] == ',');
	}
	return false;
}

/* Walk dir recursively, in name order, scanning files with an extension
 * of the set. */
static void
walk(struct ctx *c, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			char **nn;

			cap = cap ? cap * 2 : 64;
			if ((nn = realloc(names, cap * sizeof(*nn))) == NULL)
				break;
			names = nn;
		}
		if ((names[n] = malloc(strlen(dir) + strlen(de->d_name) + 2)) ==
		    NULL)
			break;
		sprintf(names[n++], "%s/%s", dir, de->d_name);
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		struct stat st;

		if (stat(names[i], &st) == 0 && S_ISDIR(st.st_mode))
			walk(c, names[i]);
		else if (S_ISREG(st.st_mode) && has_ext(names[i], c->set->exts))
			c->set->nerrors += (size_t)dlp_cli_each_message(
			    "corpus", names[i], on_message, c);
		free(names[i]);
	}
	free(names);
}

/* The marked list: "name reason" lines, sorted for bsearch. */
static char **
read_marked(const char *path, size_t *n)
{
	FILE *f = fopen(path, "r");
	char line[8192], **v = NULL;
	size_t cap = 0;

	*n = 0;
	if (f == NULL)
		return NULL;
	while (fgets(line, sizeof(line), f) != NULL) {
		size_t l = strcspn(line, " \t\r\n");

		if (line[0] == '#' || l == 0)
			continue;
		if (*n == cap) {
			char **nv;

			cap = cap ? cap * 2 : 16;
			if ((nv = realloc(v, cap * sizeof(*nv))) == NULL)
				break;
			v = nv;
		}
		line[l] = '\0';
		if ((v[*n] = strdup(line)) == NULL)
			break;
		(*n)++;
	}
	fclose(f);
	if (*n > 0)
		qsort(v, *n, sizeof(*v), cmp_str);
	return v;
}

int
main(int argc, char **argv)
{
	struct dlp_config *cfg = NULL;
	struct dlp_engine *e = NULL;
	struct dlp_error err;
	struct ctx c;
	struct set sets[16];
	size_t nsets = 0, present = 0, errors = 0;
	int rc = 1;

	memset(&c, 0, sizeof(c));
	if (argc < 4) {
		fprintf(stderr, "usage: corpus_check DATADIR MARKED "
		                "NAME=DIR:EXT[,EXT] ...\n");
		return 2;
	}
	for (int i = 3; i < argc && nsets < 16; i++) {
		char *eq = strchr(argv[i], '='), *colon = strrchr(argv[i], ':');
		struct stat st;

		if (eq == NULL || colon == NULL || colon < eq) {
			fprintf(stderr, "corpus: bad set %s\n", argv[i]);
			return 2;
		}
		*eq = *colon = '\0';
		memset(&sets[nsets], 0, sizeof(sets[nsets]));
		sets[nsets].name = argv[i];
		sets[nsets].dir = eq + 1;
		snprintf(sets[nsets].exts, sizeof(sets[nsets].exts), "%s",
		    colon + 1);
		if (stat(eq + 1, &st) == 0 && S_ISDIR(st.st_mode))
			present++;
		else
			printf(
			    "corpus %s: %s absent, skipped\n", argv[i], eq + 1);
		nsets++;
	}
	if (present == 0) {
		printf("no corpus present: skipped\n");
		return 77;
	}
	c.marked = read_marked(argv[2], &c.nmarked);
	c.seen = calloc(c.nmarked + 1, 1);
	if (dlp_config_new(&cfg) != DLP_OK ||
	    dlp_config_set_data_dir(cfg, argv[1]) != DLP_OK ||
	    dlp_engine_new(cfg, &e, &err) != DLP_OK ||
	    dlp_scan_new(e, &c.scan) != DLP_OK || c.seen == NULL) {
		fprintf(stderr, "corpus: engine: %s\n", err.message);
		goto out;
	}
	for (size_t i = 0; i < nsets; i++) {
		struct stat st;

		if (stat(sets[i].dir, &st) != 0 || !S_ISDIR(st.st_mode))
			continue;
		c.set = &sets[i];
		walk(&c, sets[i].dir);
		printf(
		    "corpus %-14s %6zu messages, %4zu with a counted level>=2 "
		    "finding (%zu listed as marked), %zu with a level>=2 "
		    "note, %zu errors\n",
		    sets[i].name, sets[i].nmsgs, sets[i].nflagged,
		    sets[i].nlisted, sets[i].nnotes, sets[i].nerrors);
	}
	for (size_t i = 0; i < c.nmarked; i++)
		if (!c.seen[i])
			printf(
			    "note: %s is listed but gave no level>=2 finding "
			    "(or its set is absent)\n",
			    c.marked[i]);
	for (size_t i = 0; i < nsets; i++)
		errors += sets[i].nerrors;
	printf("%zu unlisted messages with a counted level>=2 finding, %zu "
	       "errors\n",
	    c.unlisted, errors);
	rc = c.unlisted || errors ? 1 : 0;
out:
	dlp_scan_free(c.scan);
	dlp_engine_free(e);
	dlp_config_free(cfg);
	for (size_t i = 0; i < c.nmarked; i++)
		free(c.marked[i]);
	free(c.marked);
	free(c.seen);
	return rc;
}
