/*
 * domain_int.h - what the recipient-domain files (domain.c, domain_idn.c,
 * domain_typo.c) share: the loaded table, its hash index and the parsed
 * form of one recipient. Private to those three files.
 */
#ifndef DLP_DOMAIN_INT_H
#define DLP_DOMAIN_INT_H

#include "domain.h"

#define DOM_MAX  256  /* domain buffers: 253 octets plus slack */
#define DOM_UMAX 1024 /* U-label and skeleton buffers */

/* Roles, in precedence order for ties (lower wins). */
enum dlp_dom_role {
	DLP_DOM_INTERNAL = 0,
	DLP_DOM_NAMESPACE = 1, /* internal or trusted namespace */
	DLP_DOM_TRUSTED = 2,
	DLP_DOM_REFERENCE = 3
};

/* Index kinds; mixed into every hash key. */
enum dlp_dom_ix {
	DLP_IX_NAME = 1, /* entry name -> entry */
	DLP_IX_DEL,      /* name and its 1-deletes -> entry */
	DLP_IX_DEL2,     /* SLD with 0..2 deletions + suffix (long SLDs) */
	DLP_IX_FOLD,     /* folded skeleton and its 1-deletes -> entry */
	DLP_IX_SLD,      /* SLD label -> entry */
	DLP_IX_OMIT,     /* name minus one interior label -> entry */
	DLP_IX_JOIN,     /* labels joined by "" or "-" -> entry */
	DLP_IX_NS,       /* namespace -> entry */
	DLP_IX_EXC,      /* "recipient\tentry" exception pairs */
	DLP_IX_TLD,      /* tld_risk row */
	DLP_IX_COUNTRY,  /* country_tlds row */
	DLP_IX_CLOSED    /* closed namespace */
};

struct dlp_dom_entry {
	char *name;     /* A-label, lower case */
	char *uname;    /* U-label */
	char *fold;     /* folded skeleton of uname */
	size_t slen;    /* length of the ICANN suffix at the end of name */
	size_t sldoff;  /* offset of the SLD label in name */
	unsigned role;  /* enum dlp_dom_role (internal namespaces: 1) */
	bool internal;  /* for namespaces: internal rather than trusted */
	unsigned group; /* line number: aliases share it */
};

struct dlp_dom_tld {
	char *tld;
	unsigned score;
	char *category, *source, *as_of;
};

struct dlp_dom_country {
	char *suffix;
	char code[4];
	char *name;
};

struct dlp_dom_slot {
	uint64_t h; /* full hash, while loading */
	uint32_t id;
};

/* A table slot: the hash's top 32 bits (0 = empty) and the entry id. */
struct dlp_dom_tslot {
	uint32_t tag;
	uint32_t id;
};

/* A growable list of (hash, id) pairs, turned into a table at the end. */
struct dlp_dom_pairs {
	struct dlp_dom_slot *v;
	size_t n, cap;
};

struct dlp_domain_db {
	const struct dlp_mem *mem;
	void *psl;   /* psl_ctx_t *, NULL when no data directory */
	void *spoof; /* USpoofChecker *, used only through const calls */
	struct dlp_dom_entry *ent;
	size_t nent, capent;
	struct dlp_dom_tld *tld;
	size_t ntld, captld;
	struct dlp_dom_country *ctry;
	size_t nctry, capctry;
	char **closed;
	size_t nclosed, capclosed;
	uint32_t *ns; /* ids of namespace entries */
	size_t nns, capns;
	char **exc; /* "recipient\tentry" strings */
	size_t nexc, capexc;
	struct dlp_dom_pairs pairs; /* during load only */
	struct dlp_dom_tslot *tab;
	size_t mask;           /* table size - 1 */
	unsigned long_sld_min; /* two edits allowed at this SLD length */
	unsigned tld_swap_min; /* minimum SLD length for TLD swap */
	unsigned listed_min;   /* TLD risk score that counts as "listed" */
};

/* A parsed recipient. */
struct dlp_dom_rcpt {
	char local[DOM_MAX * 2];
	char input[DOM_UMAX]; /* the domain as typed, lower-cased ASCII */
	char a[DOM_MAX];      /* A-label FQDN */
	char u[DOM_UMAX];     /* U-label FQDN */
	char fold[DOM_UMAX];  /* folded skeleton of u */
	char ofold[DOM_UMAX]; /* folded skeleton of the organisation */
	char trans[DOM_MAX];  /* transitional A-label, "" if same or none */
	const char *org;      /* into a: one label plus the ICANN suffix */
	const char *suffix;   /* into a: the ICANN public suffix */
	const char *tld;      /* into a: the last label */
	size_t sldlen;        /* length of the SLD label (org - suffix) */
	bool tld_known;
	bool idn;             /* non-ASCII U-label */
	bool mixed;           /* a label fails the restriction level */
	bool noncanon;        /* typed form differs from the U-label */
	char regdom[DOM_MAX]; /* full-PSL registrable domain, for display */
};

/* Hashing and the index (domain.c). */
uint64_t dlp_dom_hash(unsigned ix, const char *s, size_t len);
bool dlp_dom_add(struct dlp_domain_db *db, unsigned ix, const char *s,
    size_t len, uint32_t id);
/* Iterate the ids stored under (ix, s): *pos starts at SIZE_MAX. */
bool dlp_dom_next(
    const struct dlp_domain_db *db, uint64_t h, size_t *pos, uint32_t *id);

/* IDNA, PSL and ICU (domain_idn.c). */
enum dlp_status dlp_dom_icu_open(struct dlp_domain_db *db);
void dlp_dom_icu_close(struct dlp_domain_db *db);
/*
 * Normalise a domain (UTF-8 or A-label) into r->a, r->u, r->fold and the
 * PSL fields. Returns NULL on success, or a short reason (the idn2 error
 * name or ours) and sets *kind to the invalid kind.
 */
const char *dlp_dom_normalise(const struct dlp_domain_db *db, const char *in,
    size_t len, struct dlp_dom_rcpt *r, const char **kind);
/* Folded skeleton of UTF-8 s into out; false on failure. */
bool dlp_dom_fold(
    const struct dlp_domain_db *db, const char *s, char *out, size_t cap);
/* ICANN suffix of a (a pointer into a; a itself if a is a suffix). */
const char *dlp_dom_suffix(const struct dlp_domain_db *db, const char *a);
/* Describe the first non-ASCII code points of u ("U+0430 CYRILLIC ..."). */
void dlp_dom_describe_cps(const char *u, char *out, size_t cap);

/* Edit distance and typo classification (domain_typo.c). */
unsigned dlp_dom_osa(
    const char *a, size_t alen, const char *b, size_t blen, unsigned max);
/*
 * Name the single edit turning entry e into recipient r (OSA 1): kind,
 * its base score, the position of the edit in e, and a detail sentence.
 */
void dlp_dom_edit_kind(const char *r, size_t rlen, const char *e, size_t elen,
    const char **kind, unsigned *score, size_t *epos, char *detail,
    size_t dcap);
bool dlp_dom_adjacent(int a, int b);
/* Call fn for every string made by deleting one char of s (len <= 253). */
bool dlp_dom_deletes(const char *s, size_t len, size_t from,
    bool (*fn)(void *u, const char *d, size_t dlen), void *u);

/* Addresses and text (domain_addr.c). */
#define ADDR_MAX 4096
/* Append a formatted string to the NUL-terminated buf (truncating). */
void dlp_dom_cat(char *buf, size_t cap, const char *fmt, ...) DLP_PRINTF(3, 4);
/*
 * Split addr into *local and *dom, both pointing into buf (ADDR_MAX + 2
 * bytes). No '@' at all: a bare domain, *local = "". Returns NULL, or a
 * reason for an invalid address with its kind in *kind.
 */
const char *dlp_dom_parse_addr(const char *addr, size_t len, char *buf,
    char **local, char **dom, const char **kind);

#endif /* DLP_DOMAIN_INT_H */
