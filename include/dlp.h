/*
 * dlp.h - the public API of libdlp, the dlpscan content scanner.
 *
 * This header is the specification: if a function or type is not declared
 * here it is not API. Every call documents ownership, lifetime, thread
 * safety and errors.
 *
 * The model, in the order a program uses it:
 *
 *	struct dlp_config *cfg;		settings: data files, domains, limits
 *	struct dlp_engine *eng;		immutable, compiled, shared by threads
 *	struct dlp_scan   *scan;	per-thread scratch state, reused
 *	struct dlp_result *res;		one message's verdict and evidence
 *
 *	dlp_config_new(&cfg);
 *	dlp_config_set_data_dir(cfg, "/usr/share/dlpscan");
 *	dlp_engine_new(cfg, &eng, &err);	(cfg may be freed afterwards)
 *	dlp_scan_new(eng, &scan);		(one per thread)
 *	dlp_scan_message(scan, bytes, len, &envelope, &res);
 *	dlp_result_verdict(res) ... dlp_result_to_json(res, ...);
 *	dlp_result_free(res); dlp_scan_free(scan); dlp_engine_free(eng);
 *
 * Status and verdict are different types. A call that fails returns a
 * negative enum dlp_status and produces no verdict; a caller must never
 * treat a failed call as "allow". Content the engine cannot read (an
 * encrypted archive, a limit hit, a malformed part) is not an error: it is
 * reported in the result as "unscanned" and raises the content level, so
 * the policy holds or blocks the message (fail closed).
 *
 * The library never prints, never exits and never aborts on bad input or
 * on memory exhaustion. It keeps no global mutable state.
 */
#ifndef DLP_H
#define DLP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define DLP_API __attribute__((visibility("default")))
#else
#define DLP_API
#endif

/* The library version, "MAJOR.MINOR.PATCH". A static string. */
DLP_API const char *dlp_version(void);

/*
 * Call status: did the call work? DLP_OK is zero, errors are negative.
 */
enum dlp_status {
	DLP_OK = 0,
	DLP_ERR_INVAL = -1,     /* bad argument, or call out of order */
	DLP_ERR_NOMEM = -2,     /* memory exhausted; the object is unusable */
	DLP_ERR_IO = -3,        /* a file could not be read */
	DLP_ERR_SIGNATURE = -4, /* a signature file was rejected */
	DLP_ERR_CONFIG = -5,    /* a config, policy or domain file is wrong */
	DLP_ERR_SCAN = -6,      /* the matcher failed; treat as hold */
	DLP_ERR_INTERNAL = -7   /* a bug; please report it */
};

/* A static English string for a status. Never NULL. */
DLP_API const char *dlp_strerror(enum dlp_status status);

/*
 * Verdict: what should happen to the message. Starts at 1 so that zeroed
 * memory is never mistaken for "allow".
 */
enum dlp_verdict {
	DLP_ALLOW = 1, /* deliver */
	DLP_HOLD = 2,  /* quarantine for a person to review */
	DLP_BLOCK = 3  /* reject */
};

/* "allow", "hold" or "block"; "invalid" for any other value. */
DLP_API const char *dlp_verdict_name(enum dlp_verdict verdict);

/*
 * Recipient class, from the recipient's domain. The policy matrix has one
 * column per class.
 */
enum dlp_rcpt_class {
	DLP_RCPT_INTERNAL = 1, /* the sender organisation's own domains */
	DLP_RCPT_TRUSTED,      /* partner domains and trusted namespaces */
	DLP_RCPT_UNKNOWN,      /* any other external domain */
	DLP_RCPT_TYPO,         /* a lookalike of an internal/trusted domain */
	DLP_RCPT_HIGH_RISK,    /* a top-level domain on the risk list */
	DLP_RCPT_INVALID       /* not a deliverable domain */
};
#define DLP_RCPT_NCLASSES 6

/* "internal", "trusted", "unknown", "typo", "high-risk", "invalid". */
DLP_API const char *dlp_rcpt_class_name(enum dlp_rcpt_class cls);

/* Content levels, 0 to 5. See docs/signatures.md for the scale. */
#define DLP_LEVEL_NONE         0
#define DLP_LEVEL_OFFICIAL     1
#define DLP_LEVEL_SENSITIVE    2
#define DLP_LEVEL_CONFIDENTIAL 3
#define DLP_LEVEL_SECRET       4
#define DLP_LEVEL_TOP_SECRET   5
#define DLP_LEVEL_MAX          5

/*
 * Modifier flags carried by findings, separate from the level. The policy
 * uses them (a national-only caveat to a foreign recipient blocks).
 */
#define DLP_F_NATIONAL_ONLY 0x0001 /* NOFORN, UK EYES ONLY, AUSTEO ... */
#define DLP_F_REL_LIST      0x0002 /* REL TO ..., RELEASABLE TO ... */
#define DLP_F_ORIGINATOR    0x0004 /* ORCON, RECIPIENTS ONLY ... */
#define DLP_F_PRIVACY_LEGAL 0x0008 /* PERSONAL DATA, LPP, LEGAL ... */
#define DLP_F_CABINET       0x0010
#define DLP_F_EMBARGO       0x0020
#define DLP_F_COMMERCIAL    0x0040
#define DLP_F_NATO          0x0080 /* a NATO marking: NATO-only release */
#define DLP_F_SUPPRESSOR    0x0100 /* a declassification or public stamp */

/*
 * Error detail for calls made before a handle exists (loading config,
 * building an engine). The caller provides the storage; on failure the
 * library fills it. file/line/column are set when the error is in a file
 * (0 when not known). All strings are NUL-terminated and may be truncated.
 */
struct dlp_error {
	enum dlp_status status;
	char message[512];
	char file[256];
	unsigned line;
	unsigned column;
};

/*
 * Allocator hook. All of the library's own allocations go through it (not
 * those made inside libarchive, libmagic or ICU). Functions receive ctx.
 * The hook must be thread safe if the engine is shared by threads.
 * realloc_fn(ctx, NULL, n) must behave as malloc; free_fn(ctx, NULL) as a
 * no-op.
 */
struct dlp_allocator {
	void *(*malloc_fn)(void *ctx, size_t size);
	void *(*realloc_fn)(void *ctx, void *ptr, size_t size);
	void (*free_fn)(void *ctx, void *ptr);
	void *ctx;
};

/*
 * Resource limits. Every limit hit is reported as an "unscanned" entry
 * with why "limit" (content level 2 by the default policy) and never as a
 * silent allow. dlp_limits_default() fills the documented defaults; zero
 * is not "unlimited" but is rejected by dlp_engine_new().
 */
struct dlp_limits {
	size_t max_message_bytes;  /* input message size      (64 MiB) */
	size_t max_header_bytes;   /* one header field         (1 MiB) */
	size_t max_parts;          /* MIME parts per message   (10000) */
	size_t max_depth;          /* nesting of parts/archives   (32) */
	size_t max_expanded_bytes; /* decoded+unpacked total (512 MiB) */
	size_t max_entry_bytes;    /* one archive entry      (128 MiB) */
	size_t max_entries;        /* archive entries/message  (10000) */
	size_t max_ratio;          /* entry expansion ratio      (200) */
	size_t max_findings;       /* distinct findings kept     (1000) */
	size_t max_scan_ms;        /* wall time per message    (30000) */
};

/* Fill *lim with the documented defaults shown above. */
DLP_API void dlp_limits_default(struct dlp_limits *lim);

/*
 * Configuration: a mutable builder, used once to make an engine.
 *
 * A config is not thread safe; the engine copies what it needs, so the
 * config may be freed (or reused) as soon as dlp_engine_new() returns.
 * Path strings are copied. Functions return DLP_OK, DLP_ERR_INVAL (NULL or
 * empty argument) or DLP_ERR_NOMEM.
 */
struct dlp_config;

/* Make a config with default limits and no data directory. */
DLP_API enum dlp_status dlp_config_new(struct dlp_config **out);

/* Like dlp_config_new(), with a custom allocator (copied). */
DLP_API enum dlp_status dlp_config_new_with_allocator(
    const struct dlp_allocator *alloc, struct dlp_config **out);

/* Free a config. NULL is a no-op. */
DLP_API void dlp_config_free(struct dlp_config *cfg);

/*
 * The data directory holding the default set: signatures/ (*.sig),
 * policy.conf and domains/. Files added with the calls below are used in
 * addition to (signatures, keywords, domains) or instead of (policy) the
 * files found there.
 */
DLP_API enum dlp_status dlp_config_set_data_dir(
    struct dlp_config *cfg, const char *dir);

/*
 * Forget the signatures added so far and do not load the data directory's
 * *.sig files (its policy and domains are still used): for trying a
 * different signature set against the same policy.
 */
DLP_API enum dlp_status dlp_config_clear_signatures(struct dlp_config *cfg);

/* Add one signature file, or a directory of *.sig files. */
DLP_API enum dlp_status dlp_config_add_signatures(
    struct dlp_config *cfg, const char *path);

/*
 * Add a keyword dictionary: one term per line, '#' comments, matched
 * caseless at word boundaries, level 2 unless the file says otherwise with
 * a "#!level N" line. See docs/signatures.md.
 */
DLP_API enum dlp_status dlp_config_add_keywords(
    struct dlp_config *cfg, const char *path);

/* Use this policy file instead of the data directory's policy.conf. */
DLP_API enum dlp_status dlp_config_set_policy(
    struct dlp_config *cfg, const char *path);

/*
 * Add an internal (the sender organisation's) or trusted (partner) domain.
 * Subdomains are included. A bare suffix such as "mil" or "gov.uk" names a
 * whole namespace.
 */
DLP_API enum dlp_status dlp_config_add_internal_domain(
    struct dlp_config *cfg, const char *domain);
DLP_API enum dlp_status dlp_config_add_trusted_domain(
    struct dlp_config *cfg, const char *domain);

/*
 * Keep compiled signature databases in dir (created if missing), keyed by
 * a hash of the patterns, the Hyperscan version and the CPU, so that the
 * next dlp_engine_new() with the same signatures skips compiling. A stale
 * or foreign cache file is rebuilt, never trusted; a cache that cannot be
 * written only costs time. Default: no cache.
 */
DLP_API enum dlp_status dlp_config_set_cache_dir(
    struct dlp_config *cfg, const char *dir);

/* Replace the limits (copied). Validated by dlp_engine_new(). */
DLP_API enum dlp_status dlp_config_set_limits(
    struct dlp_config *cfg, const struct dlp_limits *lim);

/*
 * Read settings from a configuration file ("key = value" lines, '#'
 * comments; keys are documented in docs/configuration.md). Relative paths
 * in the file are relative to the file's directory. On error, *err (if not
 * NULL) names the file and line.
 */
DLP_API enum dlp_status dlp_config_load(
    struct dlp_config *cfg, const char *path, struct dlp_error *err);

/*
 * Engine: the compiled signatures, policy and domain data. Immutable once
 * built and safe to share between any number of threads; it must outlive
 * every scan and result made from it.
 *
 * dlp_engine_new() reads every file named by cfg, compiles the signatures
 * with Hyperscan and checks the policy. Returns DLP_OK and *out, or an
 * error (then *out is NULL) with detail in *err when err is not NULL:
 * DLP_ERR_INVAL, DLP_ERR_NOMEM, DLP_ERR_IO, DLP_ERR_SIGNATURE,
 * DLP_ERR_CONFIG, DLP_ERR_SCAN (Hyperscan cannot run on this CPU).
 */
struct dlp_engine;

DLP_API enum dlp_status dlp_engine_new(const struct dlp_config *cfg,
    struct dlp_engine **out, struct dlp_error *err);

/* Free an engine. NULL is a no-op. No scan made from it may be in use. */
DLP_API void dlp_engine_free(struct dlp_engine *eng);

/*
 * A short identifier of the compiled signature set (a hash of the rule
 * sources, 16 hex digits); lives as long as the engine.
 */
DLP_API const char *dlp_engine_signature_id(const struct dlp_engine *eng);

/* 1 when eng's compiled signatures came from the cache, else 0. */
DLP_API int dlp_engine_cache_hit(const struct dlp_engine *eng);

/* Number of rules compiled into the engine. */
DLP_API size_t dlp_engine_nrules(const struct dlp_engine *eng);

/*
 * Scan state: scratch space for one thread at a time, reused across
 * messages. It must not be used by two threads at once; it may move
 * between threads between calls. Returns DLP_OK, DLP_ERR_INVAL or
 * DLP_ERR_NOMEM.
 */
struct dlp_scan;
struct dlp_result;

DLP_API enum dlp_status dlp_scan_new(
    const struct dlp_engine *eng, struct dlp_scan **out);

/* Free scan state. NULL is a no-op. Results made with it stay valid. */
DLP_API void dlp_scan_free(struct dlp_scan *scan);

/*
 * The SMTP envelope. All strings are borrowed for the duration of the call
 * and may be NULL. When rcpts is empty and flags has
 * DLP_ENV_RCPTS_FROM_HEADERS, recipients are taken from the To, Cc and Bcc
 * headers (and the sender from From when mail_from is NULL); an envelope
 * with no recipient at all is itself a reason to hold.
 */
#define DLP_ENV_RCPTS_FROM_HEADERS 0x1

struct dlp_envelope {
	const char *mail_from;    /* reverse path, without <> or with */
	const char *const *rcpts; /* forward paths */
	size_t nrcpts;
	const char *queue_id; /* for the caller's logs; copied to result */
	unsigned flags;       /* DLP_ENV_* */
};

/*
 * Scan one message: raw RFC 5322 bytes (headers, blank line, body) and its
 * envelope. msg is borrowed for the duration of the call; it need not be
 * NUL-terminated and may contain any bytes.
 *
 * Returns DLP_OK and a new result in *out, which the caller frees with
 * dlp_result_free(); or an error with *out NULL: DLP_ERR_INVAL,
 * DLP_ERR_NOMEM, DLP_ERR_SCAN. After an error the scan may be reused; the
 * message has no verdict and must be treated as hold by the caller.
 * Detail: dlp_scan_errmsg(scan).
 */
DLP_API enum dlp_status dlp_scan_message(struct dlp_scan *scan, const void *msg,
    size_t len, const struct dlp_envelope *env, struct dlp_result **out);

/*
 * The message of the last failed call on scan; "" after success. Valid
 * until the next call on scan.
 */
DLP_API const char *dlp_scan_errmsg(const struct dlp_scan *scan);

/*
 * Result: the verdict of one message and its evidence. Immutable; it may
 * be read from any thread. It holds no pointer into the message, the scan
 * or the envelope, but it refers to the engine: free it before the engine.
 * Every pointer returned by an accessor lives as long as the result.
 */

/* Free a result. NULL is a no-op. */
DLP_API void dlp_result_free(struct dlp_result *res);

/*
 * The message verdict: the strictest over its recipients (DLP_HOLD for a
 * NULL result, never DLP_ALLOW).
 */
DLP_API enum dlp_verdict dlp_result_verdict(const struct dlp_result *res);

/* Highest content level, 0-5, counting unscanned content at its level. */
DLP_API unsigned dlp_result_level(const struct dlp_result *res);

/* Union of the DLP_F_* flags of all findings. */
DLP_API unsigned dlp_result_flags(const struct dlp_result *res);

/* A finding: one rule matched in one place ("where"), count times. */
struct dlp_finding {
	const char *rule;     /* signature id, e.g. "us-banner" */
	const char *title;    /* one-line description */
	const char *category; /* "marking", "label", "pii", "keyword", ... */
	unsigned level;       /* 0-5 */
	unsigned flags;       /* DLP_F_* */
	unsigned confidence;  /* 0-3, see docs/signatures.md */
	size_t count;         /* matches of this rule in this place */
	const char *where;    /* "subject", "body", "attachment:a.zip/b.doc" */
	unsigned line;        /* 1-based line of the first match, 0 unknown */
	const char *excerpt;  /* short masked excerpt of the first match */
	const char *detail;   /* parsed marking, e.g. "REL TO USA, GBR"; "" */
};

/* Number of findings (0 for NULL). Findings below the policy's
 * min-confidence are included, and do not count towards the level. */
DLP_API size_t dlp_result_nfindings(const struct dlp_result *res);
/* The i-th finding (0-based), or NULL when i is out of range. */
DLP_API const struct dlp_finding *dlp_result_finding(
    const struct dlp_result *res, size_t i);

/* One recipient and what the engine made of its domain. */
struct dlp_recipient {
	const char *address;      /* as given, normalised: local@domain */
	const char *domain;       /* lower-case, Unicode (U-label) form */
	enum dlp_rcpt_class cls;  /* policy column */
	unsigned score;           /* risk 0-100 */
	const char *kind;         /* finer kind, e.g. "tld-swap", "exact" */
	const char *explain;      /* a sentence a sender understands */
	const char *suggest;      /* "Did you mean" domain, or "" */
	enum dlp_verdict verdict; /* this recipient's verdict */
};

/* Number of recipients assessed, and the i-th (NULL when out of range). */
DLP_API size_t dlp_result_nrecipients(const struct dlp_result *res);
DLP_API const struct dlp_recipient *dlp_result_recipient(
    const struct dlp_result *res, size_t i);

/*
 * Content that could not be scanned. why is one of "encrypted", "limit",
 * "malformed", "unsupported", "error"; detail says what exactly.
 */
struct dlp_unscanned {
	const char *where;
	const char *why;
	const char *detail;
	unsigned level; /* the content level policy gives it */
};

/* Number of unscanned entries, and the i-th (NULL when out of range). */
DLP_API size_t dlp_result_nunscanned(const struct dlp_result *res);
DLP_API const struct dlp_unscanned *dlp_result_unscanned(
    const struct dlp_result *res, size_t i);

/* Reasons for the verdict, most important first, as sentences. */
DLP_API size_t dlp_result_nreasons(const struct dlp_result *res);
DLP_API const char *dlp_result_reason(const struct dlp_result *res, size_t i);

/* Bytes of message scanned, parts and texts seen (for metrics). */
DLP_API size_t dlp_result_bytes(const struct dlp_result *res);

/*
 * Render the result as one line of JSON (no newline), the format of
 * "dlpscan --json" documented in docs/json.md. source, if not NULL, is
 * included as "source". On DLP_OK *json is a NUL-terminated string of
 * *len bytes (len may be NULL) that the caller frees with
 * dlp_result_free_json() before freeing the result.
 * Errors: DLP_ERR_INVAL, DLP_ERR_NOMEM (then *json is NULL).
 */
DLP_API enum dlp_status dlp_result_to_json(
    const struct dlp_result *res, const char *source, char **json, size_t *len);

/* Free a string from dlp_result_to_json(res, ...). NULL is a no-op. */
DLP_API void dlp_result_free_json(const struct dlp_result *res, char *json);

#ifdef __cplusplus
}
#endif

#endif /* DLP_H */
