/*
 * dlpd.h - the pieces of the dlpd service: configuration, string builder,
 * logging, worker pool, engine holder and scan service, metrics, audit
 * log, and the two frontends (HTTP/JSON and milter).
 *
 * The daemon uses libdlp only through include/dlp.h. Frontend threads
 * (libmicrohttpd's and libmilter's) never scan: they hand a job to the
 * bounded pool and wait for it with a deadline.
 */
#ifndef DLPD_H
#define DLPD_H

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "dlp.h"

#define DLPD_NITEMS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- configuration (config.c) ---- */

enum dlp_dfail {
	DLP_DFAIL_HOLD = 1, /* quarantine (milter) */
	DLP_DFAIL_TEMPFAIL  /* 451 4.7.1 (milter) */
};

struct dlp_dconf {
	char *data_dir;        /* "" = dlp_cli_data_dir() */
	char *engine_config;   /* dlp_config_load() file, "" = none */
	char *cache_dir;       /* compiled-signature cache, "" = none */
	char *http_socket;     /* unix socket path, "" = off */
	char *http_tcp;        /* "host:port", "" = off */
	char *http_token_file; /* bearer token, "" = none */
	bool allow_remote;     /* permit a non-loopback TCP bind */
	char *milter_socket;   /* libmilter address, "" = off */
	unsigned socket_mode;  /* unix sockets, octal */
	char *socket_group;    /* group of the unix sockets, "" = user's */
	unsigned workers;
	unsigned queue_size;      /* jobs waiting beyond the workers */
	size_t max_message_bytes; /* HTTP body and milter message */
	size_t max_rcpts;
	size_t max_headers;         /* HTTP request headers, milter headers */
	size_t max_header_bytes;    /* HTTP connection memory */
	unsigned max_connections;   /* HTTP */
	unsigned http_timeout;      /* seconds of inactivity */
	unsigned request_timeout;   /* seconds for a whole HTTP request */
	unsigned scan_timeout;      /* seconds a frontend waits for a scan */
	unsigned milter_timeout;    /* smfi_settimeout */
	unsigned retry_after;       /* seconds, on 503 */
	enum dlp_dfail on_error;    /* milter: internal error */
	enum dlp_dfail on_overload; /* milter: pool full */
	enum dlp_dfail on_oversize; /* milter: message over the limit */
	char *audit_log;            /* path, "" = off */
	bool log_syslog;            /* else stderr */
	bool log_debug;
	char *user;             /* run as, when started as root */
	unsigned scan_delay_ms; /* testing only: delay each scan */
};

/* Fill *c with the documented defaults (strings allocated). */
int dlp_dconf_init(struct dlp_dconf *c);
void dlp_dconf_fini(struct dlp_dconf *c);
/*
 * Apply one "key = value" setting. Returns 0, or -1 with a message in
 * err (unknown key, bad value).
 */
int dlp_dconf_set(struct dlp_dconf *c, const char *key, const char *value,
    char *err, size_t errlen);
/*
 * Parse a config file or text. Returns 0, or -1 with "file:line: why" in
 * err.
 */
int dlp_dconf_load(
    struct dlp_dconf *c, const char *path, char *err, size_t errlen);
/*
 * 0 when path may be trusted as configuration; -1 with err when it
 * cannot be read or is world-writable (anyone could change the policy).
 * dlp_dconf_load() and the engine_config loader check it.
 */
int dlp_dconf_file_safe(const char *path, char *err, size_t errlen);
int dlp_dconf_parse(struct dlp_dconf *c, const char *name, const char *text,
    size_t len, char *err, size_t errlen);
/* Cross-field checks (TCP exposure, token). 0 or -1 with err. */
int dlp_dconf_check(const struct dlp_dconf *c, char *err, size_t errlen);
/* Split "host:port"; 0 or -1. host must hold 64 bytes. */
int dlp_dconf_hostport(
    const char *s, char *host, size_t hostlen, unsigned *port);
/* true for 127.0.0.0/8, ::1 and "localhost". */
bool dlp_dconf_is_loopback(const char *host);

/* ---- string builder and utilities (util.c) ---- */

struct dlp_sb {
	char *p;
	size_t len;
	size_t cap;
	bool oom; /* an append failed; contents are incomplete */
};

void dlp_sb_init(struct dlp_sb *b);
void dlp_sb_fini(struct dlp_sb *b);
/* Make room for n more bytes at once (one allocation for a known size). */
void dlp_sb_reserve(struct dlp_sb *b, size_t n);
void dlp_sb_append(struct dlp_sb *b, const void *p, size_t n);
void dlp_sb_puts(struct dlp_sb *b, const char *s);
void dlp_sb_printf(struct dlp_sb *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Append s as a JSON string with quotes; bytes < 0x20 and 0x7f escaped. */
void dlp_sb_json_str(struct dlp_sb *b, const char *s);
/* Detach the NUL-terminated contents (NULL after OOM). */
char *dlp_sb_take(struct dlp_sb *b, size_t *len);

/*
 * A reply or header text safe for SMTP and header fields: printable
 * ASCII only (others become '?'), at most outlen - 1 bytes; when
 * double_pct, '%' is written "%%" (smfi_setreply).
 */
void dlp_reply_text(const char *in, char *out, size_t outlen, bool double_pct);

/* Monotonic milliseconds. */
uint64_t dlp_now_ms(void);
/* Constant-time comparison of two byte strings. */
bool dlp_ct_equal(const char *a, size_t alen, const char *b, size_t blen);
/* Read a small file (token) and strip trailing whitespace; NULL on error. */
char *dlp_read_small_file(const char *path, size_t max);

/* ---- logging (log.c) ---- */

enum { DLP_LOG_ERR = 3, DLP_LOG_WARN = 4, DLP_LOG_INFO = 6, DLP_LOG_DEBUG = 7 };

void dlp_log_open(bool use_syslog, bool debug);
void dlp_log(int level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- bounded worker pool (pool.c) ---- */

struct dlp_pool;
struct dlp_job;

/*
 * run is called on a worker thread with that worker's private slot
 * (*local, NULL at first; fini_local frees it at shutdown). free_arg, if
 * not NULL, releases arg when the waiter gave up before the job ended.
 */
typedef void (*dlp_job_fn)(void **local, void *arg);

enum dlp_pool_rc {
	DLP_POOL_DONE = 0,   /* the job ran to completion */
	DLP_POOL_FULL = 1,   /* rejected at once: all slots busy */
	DLP_POOL_TIMEOUT = 2 /* still running; arg now owned by the job */
};

struct dlp_pool *dlp_pool_new(
    unsigned nworkers, unsigned queue_size, void (*fini_local)(void *local));
/* Run fn(arg) on a worker, waiting at most timeout_ms (0 = forever). */
enum dlp_pool_rc dlp_pool_run(struct dlp_pool *p, dlp_job_fn fn, void *arg,
    void (*free_arg)(void *arg), unsigned timeout_ms);
/* Jobs queued or running now. */
unsigned dlp_pool_busy(struct dlp_pool *p);
bool dlp_pool_full(struct dlp_pool *p);
/* Stop accepting, finish queued jobs, join the workers, free. */
void dlp_pool_free(struct dlp_pool *p);

/* ---- metrics (metrics.c) ---- */

enum dlp_frontend { DLP_FE_HTTP = 0, DLP_FE_MILTER = 1, DLP_FE_N };
enum dlp_err_kind {
	DLP_EK_SCAN = 0, /* dlp_scan_message failed */
	DLP_EK_TIMEOUT,  /* scan deadline passed */
	DLP_EK_INTERNAL, /* OOM, JSON rendering, ... */
	DLP_EK_RELOAD,   /* a reload was rejected */
	DLP_EK_N
};
enum dlp_rej_reason {
	DLP_RJ_OVERLOAD = 0,
	DLP_RJ_TOO_LARGE,
	DLP_RJ_AUTH,
	DLP_RJ_BAD_REQUEST,
	DLP_RJ_N
};

#define DLP_LAT_NBUCKETS 12

struct dlp_metrics {
	/* [frontend][verdict 0..3, 0 = tempfail] */
	atomic_ulong scans[DLP_FE_N][4];
	atomic_ulong errors[DLP_EK_N];
	atomic_ulong rejected[DLP_RJ_N];
	atomic_ulong lat_bucket[DLP_LAT_NBUCKETS + 1]; /* last is +Inf */
	atomic_ulong lat_sum_us;
	atomic_ulong lat_count;
	atomic_ulong bytes;
	atomic_long inflight;
	atomic_ulong reloads;
};

void dlp_metrics_latency(struct dlp_metrics *m, uint64_t us);
/* Render Prometheus text; generation and sigid describe the engine. */
void dlp_metrics_render(const struct dlp_metrics *m, unsigned long generation,
    const char *sigid, struct dlp_sb *out);

/* ---- audit log (audit.c) ---- */

struct dlp_audit;

/* The process at the other end of a unix socket (SO_PEERCRED). */
struct dlp_peer {
	bool known; /* false on TCP, or when the kernel would not say */
	unsigned uid, gid;
	long pid;
};

/* One audited decision. Strings may be NULL. No content, ever. */
struct dlp_audit_rule {
	const char *rule;
	unsigned level;
	const char *where;
	size_t count;
};

struct dlp_audit_rec {
	const char *frontend;
	const char *request_id;
	const char *queue_id;
	const char *client_ip;
	const char *auth_user;
	struct dlp_peer peer;
	const char *mail_from;
	const char *const *rcpts;
	size_t nrcpts;
	const char *verdict; /* allow|hold|block|tempfail */
	unsigned level;
	const char *reason; /* first reason sentence, or error */
	const struct dlp_audit_rule *rules;
	size_t nrules;
	const char *signature_id;
	unsigned long duration_ms;
};

/* path "" -> NULL handle (audit off) and 0; -1 when it cannot open. */
int dlp_audit_open(const char *path, struct dlp_audit **out);
/* Reopen the file (log rotation). */
int dlp_audit_reopen(struct dlp_audit *a);
void dlp_audit_close(struct dlp_audit *a);
/* Render one JSON line (with the newline) into out. */
void dlp_audit_format(
    const struct dlp_audit_rec *r, time_t when, struct dlp_sb *out);
/* Write one record; a NULL handle is a no-op. */
void dlp_audit_write(struct dlp_audit *a, const struct dlp_audit_rec *r);

/* ---- the engine holder and the scan service (service.c) ---- */

/* A reference-counted engine generation. */
struct dlp_eref {
	struct dlp_engine *eng;
	unsigned long generation;
	atomic_uint refs;
};

struct dlp_svc {
	const struct dlp_dconf *conf;
	pthread_mutex_t lock; /* guards cur and reloading */
	struct dlp_eref *cur;
	bool reloading;
	struct dlp_pool *pool;
	struct dlp_audit *audit;
	struct dlp_metrics metrics;
	atomic_ulong next_request;
};

/*
 * What a frontend asks for. Strings borrowed; rcpts may be empty. When
 * msg_owned is set, it is the malloc'd buffer that msg points to, and
 * dlp_svc_scan() takes it over (the job keeps it instead of a copy, and
 * frees it in every case); the caller must forget it.
 */
struct dlp_scan_req {
	enum dlp_frontend frontend;
	const char *msg;
	size_t len;
	char *msg_owned;
	const char *mail_from;
	const char *const *rcpts;
	size_t nrcpts;
	const char *queue_id;
	const char *client_ip;
	const char *auth_user;
	const char *request_id;
	struct dlp_peer peer; /* HTTP on the unix socket */
};

enum dlp_scan_rc {
	DLP_SCAN_OK = 0,       /* verdict and json are set */
	DLP_SCAN_OVERLOAD = 1, /* pool full: nothing ran */
	DLP_SCAN_ERROR = 2,    /* no verdict: hold */
	DLP_SCAN_TIMEOUT = 3   /* no verdict in time: hold */
};

struct dlp_scan_out {
	enum dlp_verdict verdict;
	unsigned level;
	char *json;   /* dlp_result_to_json(), malloc'd */
	char *reason; /* first reason, malloc'd, or NULL */
	char *rules;  /* "rule1,rule2" (ids only), malloc'd, or NULL */
	char *error;  /* why there is no verdict, malloc'd, or NULL */
	unsigned long generation;
};

/* Build the first engine; 0, or -1 with err. */
int dlp_svc_init(struct dlp_svc *s, const struct dlp_dconf *conf,
    struct dlp_audit *audit, char *err, size_t errlen);
void dlp_svc_fini(struct dlp_svc *s);
/* Build an engine from conf; 0 or -1 with err (used by --check-config). */
int dlp_svc_build_engine(const struct dlp_dconf *conf, struct dlp_engine **out,
    char *err, size_t errlen);
/* Take and drop a reference to the current engine. */
struct dlp_eref *dlp_svc_acquire(struct dlp_svc *s);
void dlp_svc_release(struct dlp_eref *r);
/* Rebuild and swap (blocking; call from a background thread). 0 or -1. */
int dlp_svc_reload(struct dlp_svc *s);
/* Scan through the pool. out is always filled; free with _out_fini. */
enum dlp_scan_rc dlp_svc_scan(
    struct dlp_svc *s, const struct dlp_scan_req *rq, struct dlp_scan_out *out);
void dlp_scan_out_fini(struct dlp_scan_out *o);
/* Audit a decision made without a verdict (verdict "none", why). */
void dlp_svc_audit_failure(struct dlp_svc *s, const struct dlp_scan_req *rq,
    const char *why, uint64_t start_ms);

/* ---- frontends ---- */

struct dlp_http;
/*
 * Bind the listeners named in conf (as root, before dropping privileges):
 * the unix socket gets socket_mode and owner uid:gid. 0, or -1 with err.
 */
int dlp_http_open(const struct dlp_dconf *conf, unsigned uid, unsigned gid,
    struct dlp_http **out, char *err, size_t errlen);
/* Start serving with s (threads start here). 0, or -1 with err. */
int dlp_http_start(
    struct dlp_http *h, struct dlp_svc *s, char *err, size_t errlen);
/* Stop serving and close the sockets. NULL is a no-op. */
void dlp_http_stop(struct dlp_http *h);

/*
 * The envelope of an HTTP scan request, parsed from its headers. The
 * strings point into the connection (or into rcpt_buf for split lists).
 */
struct dlp_henv {
	const char *mail_from, *queue_id, *client_ip, *auth_user, *helo;
	const char *request_id;
	const char **rcpts;
	size_t nrcpts, max_rcpts;
	struct dlp_sb rcpt_buf; /* every recipient, '\0'-terminated */
	bool too_many;
	bool bad; /* a malformed value */
};

/* Take one request header; false on OOM. Unknown names are ignored. */
bool dlp_henv_header(struct dlp_henv *e, const char *name, const char *value);
/* Resolve the pointers into rcpt_buf once all headers are in. */
bool dlp_henv_finish(struct dlp_henv *e);
void dlp_henv_fini(struct dlp_henv *e);
/* Insert api/request_id/action before, smtp_reply/headers_add after. */
char *dlp_http_reply_json(const char *result_json, const char *request_id,
    enum dlp_verdict v, const char *reason, const char *rules);

/*
 * The milter session's message buffer, independent of libmilter so it
 * can be tested: headers and body are collected into one RFC 5322 byte
 * string with a size and header-count limit.
 */
struct dlp_msess {
	char *client_ip;
	char *auth_user;
	char *mail_from;
	char **rcpts;
	size_t nrcpts;
	struct dlp_sb msg;
	size_t nheaders;
	bool oversize; /* message exceeded max_message_bytes */
	bool too_many; /* recipients or headers over the limit */
	size_t max_bytes;
	size_t max_rcpts;
	size_t max_headers;
};

void dlp_msess_init(struct dlp_msess *m, size_t max_bytes, size_t max_rcpts,
    size_t max_headers);
/* Forget the message (keep the connection's client_ip). */
void dlp_msess_reset(struct dlp_msess *m);
void dlp_msess_fini(struct dlp_msess *m);
/* 0, or -1 on OOM. Over-limit input sets a flag and returns 0. */
int dlp_msess_from(struct dlp_msess *m, const char *from, const char *auth);
int dlp_msess_rcpt(struct dlp_msess *m, const char *rcpt);
int dlp_msess_header(struct dlp_msess *m, const char *name, const char *value);
int dlp_msess_eoh(struct dlp_msess *m);
int dlp_msess_body(struct dlp_msess *m, const unsigned char *p, size_t n);

/* Set up libmilter (opens the socket). Then dlp_milter_run() blocks. */
int dlp_milter_setup(
    struct dlp_svc *s, const struct dlp_dconf *c, char *err, size_t errlen);
int dlp_milter_run(void);
/* Give the unix milter socket to uid:gid (as root). 0 or -1. */
int dlp_milter_chown(const struct dlp_dconf *c, unsigned uid, unsigned gid);

#endif /* DLPD_H */
