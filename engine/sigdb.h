/*
 * sigdb.h - signature files and keyword dictionaries, compiled into one
 * Hyperscan database. The format is documented in docs/signatures.md.
 */
#ifndef DLP_SIGDB_H
#define DLP_SIGDB_H

#include <hs.h>

#include "internal.h"

/* Position rules: where in its text a hit must lie. */
enum dlp_sig_pos {
	DLP_POS_ANY = 0,
	DLP_POS_LINE_ALONE, /* the only non-blank content of its line */
	DLP_POS_FIRST,      /* within the first n non-empty lines */
	DLP_POS_LAST,       /* within the last n non-empty lines */
	DLP_POS_EDGE        /* within the first or last n non-empty lines */
};

struct dlp_example {
	char *text; /* unescaped */
	size_t len;
	bool must_match;
	unsigned line; /* in the signature file */
};

struct dlp_rule {
	char *id;
	char *title;
	char *category; /* "marking", "label", "pii", "keyword" ... */
	char *file;     /* where it was defined, for messages */
	unsigned line;
	unsigned level;
	unsigned flags;      /* DLP_F_* */
	unsigned confidence; /* 0-3 */
	unsigned scope;      /* DLP_SCOPE_* */
	char *header;        /* scope header:NAME, or NULL */
	char *validator;     /* name for dlp_validator_lookup, or NULL */
	enum dlp_sig_pos pos;
	unsigned pos_lines;
	unsigned min_count;     /* matches needed in a message (default 1) */
	unsigned within;        /* suppressor window in bytes; 0 = same line */
	unsigned hot_min_count; /* min-count when a hotword is near a match
	                           (0 = min_count) */
	bool has_hotwords;      /* at least one "hotword" pattern */
	bool audit;             /* reported, never changes the verdict */
	bool som;               /* start of match wanted (default true) */
	bool mask;              /* excerpt masked (pii, keyword) */
	struct dlp_example *examples;
	size_t nexamples;
};

/* One Hyperscan expression; its index is its Hyperscan id. */
struct dlp_pattern {
	char *expr; /* as given to Hyperscan */
	unsigned hsflags;
	uint32_t rule;   /* index into rules[] */
	unsigned line;   /* in the rule's file */
	bool suppressor; /* an "unless" pattern of that rule */
	bool hotword;    /* a "hotword" pattern of that rule */
	unsigned within; /* hotword window in bytes; 0 = same line */
	/* A keyword term: compiled as a bare literal of litlen bytes (no
	 * \b, no start of match); the matcher derives the start and checks
	 * the word boundaries wb_start / wb_end itself. 0 = not a term. */
	uint32_t litlen;
	bool wb_start, wb_end;
};

struct dlp_sigdb {
	const struct dlp_mem *mem;
	struct dlp_rule *rules;
	size_t nrules;
	struct dlp_pattern *pats;
	size_t npats;
	hs_database_t *db;
	struct dlp_labelmap *labels; /* labels.map of the data directories,
	                                or NULL (validate_labels.c) */
	char id[17];                 /* hash of the sources, hex */
	bool cached; /* db came from the compiled-signature cache */
};

/*
 * Parse every signature file (a file or a directory of *.sig) and keyword
 * file, then compile — or, with a cache_dir (NULL = none), load the
 * compiled database from the cache when its key matches, and store it
 * there after a compile. Errors name file:line:column in *err.
 */
enum dlp_status dlp_sigdb_load(const struct dlp_mem *mem,
    const char *const *sigpaths, size_t nsig, const char *const *kwpaths,
    size_t nkw, const char *cache_dir, struct dlp_sigdb **out,
    struct dlp_error *err);

/* The compiled-signature cache (sigcache.c). */
bool dlp_sigcache_key(const struct dlp_sigdb *db, char hex[65]);
bool dlp_sigcache_load(struct dlp_sigdb *db, const char *dir, const char *key);
bool dlp_sigcache_store(
    const struct dlp_sigdb *db, const char *dir, const char *key);

/* Parse only (no compile): for dlpsig lint. */
enum dlp_status dlp_sigdb_read(const struct dlp_mem *mem,
    const char *const *sigpaths, size_t nsig, const char *const *kwpaths,
    size_t nkw, struct dlp_sigdb **out, struct dlp_error *err);

/* Parse one signature file's text (for tests and dlpsig lint). */
enum dlp_status dlp_sigdb_parse_text(struct dlp_sigdb *db, const char *file,
    const char *text, size_t len, struct dlp_error *err);

/* Parse one keyword dictionary's text into one rule (sigload.c reads
 * the files). */
enum dlp_status dlp_sigdb_parse_keywords(struct dlp_sigdb *db, const char *file,
    const char *text, size_t len, struct dlp_error *err);

/* The Hyperscan flags pattern i is compiled with (the cache key uses the
 * same). */
unsigned dlp_sigdb_hsflags(const struct dlp_sigdb *db, size_t i);

/* Compile what was parsed. */
enum dlp_status dlp_sigdb_compile(struct dlp_sigdb *db, struct dlp_error *err);

/* An empty database to parse into. */
enum dlp_status dlp_sigdb_new(
    const struct dlp_mem *mem, struct dlp_sigdb **out);

void dlp_sigdb_free(struct dlp_sigdb *db);

/* Scope name ("body") to DLP_SCOPE_* bit, 0 if unknown; and back. */
unsigned dlp_scope_from_name(const char *name, size_t len);
const char *dlp_scope_name(unsigned scope);

#endif /* DLP_SIGDB_H */
