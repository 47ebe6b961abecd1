/*
 * http.c - the HTTP/1.1 + JSON frontend on libmicrohttpd.
 *
 *   POST /v1/scan    raw RFC 5322 message as the body, envelope in the
 *                    DLP-* request headers (rspamd's names as aliases)
 *   GET  /v1/health  liveness;  GET /v1/ready  readiness;
 *   GET  /metrics    Prometheus text;  GET /v1/version
 *
 * Trust: everything from the client is hostile. The body is collected up
 * to max_message_bytes (413 from Content-Length before reading; a
 * streamed body that passes the limit gets 413 at once and the
 * connection is closed, the rest unread); headers are bounded by
 * libmicrohttpd's connection memory limit and by max_headers; recipients
 * by max_rcpts; head and body together by request_timeout, an absolute
 * deadline kept by a watchdog thread (libmicrohttpd's own timeout only
 * sees idleness), which closes the connection. The service never opens
 * a file named by a client. On TCP listeners a bearer token is checked
 * in constant time when one is configured (required off loopback). On
 * the unix socket the peer's uid, gid and pid (SO_PEERCRED, taken at
 * accept) go to the audit log; they name who connected, and grant
 * nothing.
 *
 * Threads: libmicrohttpd runs one thread per connection (bounded by
 * max_connections); it only collects bytes and waits: the scan runs on a
 * pool worker. The body buffer is handed to the scan job, and the reply
 * to libmicrohttpd, without copies. Status 200 means a verdict was
 * produced; 500 means none was (the gateway must hold); 503 +
 * Retry-After means overloaded.
 *
 * Limits: the watchdog relies on libmicrohttpd calling the connection
 * notifier (MHD_CONNECTION_NOTIFY_CLOSED) before it closes the socket,
 * as 0.9.75 does; the early 413 is written on the socket directly,
 * because libmicrohttpd cannot queue a reply in the middle of a body.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>

#include "dlpd.h"

struct listener {
	struct dlp_http *h;
	struct MHD_Daemon *d;
	int fd;
	bool tcp;
};

/*
 * One per connection (libmicrohttpd's socket context), on the watchdog's
 * list from accept to close. deadline_ms is when the request being
 * received must be complete (0 while none is: the scan and the reply
 * have their own limits).
 */
struct hconn {
	struct hconn *prev, *next;
	int fd;
	uint64_t deadline_ms;
	bool cut;             /* the watchdog shut the socket down */
	struct dlp_peer peer; /* unix socket: who connected */
};

struct dlp_http {
	const struct dlp_dconf *conf;
	struct dlp_svc *svc;
	struct listener ux, tcp;
	char *sock_path; /* unlinked at stop */
	char *token;
	/* The request deadline watchdog (see watchdog_main). */
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct hconn *conns;
	pthread_t watchdog;
	bool watchdog_running;
	bool stopping;
};

enum route { R_SCAN = 1, R_HEALTH, R_READY, R_METRICS, R_VERSION };

struct hreq {
	enum route route;
	struct dlp_sb body;
	uint64_t start_ms;
	bool responded;
};

/* ---- envelope headers ---- */

static bool
bad_value(const char *v, size_t max)
{
	size_t n = 0;

	for (; *v != '\0'; v++, n++)
		if ((unsigned char)*v < 0x20 || *v == 0x7f || n >= max)
			return true;
	return false;
}

static const char *
trim_ws(const char *v)
{
	while (*v == ' ' || *v == '\t')
		v++;
	return v;
}

bool
dlp_henv_header(struct dlp_henv *e, const char *name, const char *value)
{
	static const struct {
		const char *name, *alias;
		size_t off;
	} one[] = {
	    {"DLP-Mail-From", "From", offsetof(struct dlp_henv, mail_from)},
	    {"DLP-Queue-Id", "Queue-Id", offsetof(struct dlp_henv, queue_id)},
	    {"DLP-Client-IP", "IP", offsetof(struct dlp_henv, client_ip)},
	    {"DLP-Auth-User", "User", offsetof(struct dlp_henv, auth_user)},
	    {"DLP-Helo", "Helo", offsetof(struct dlp_henv, helo)},
	    {"DLP-Request-Id", NULL, offsetof(struct dlp_henv, request_id)},
	};
	const char *p, *end;
	size_t i, n;

	if (value == NULL)
		value = "";
	if (strcasecmp(name, "DLP-Rcpt") == 0 ||
	    strcasecmp(name, "Rcpt") == 0) {
		if (bad_value(value, 64 * 1024)) {
			e->bad = true;
			return true;
		}
		/* One address per field, or a comma-separated list. */
		for (p = value; *p != '\0'; p = *end ? end + 1 : end) {
			p = trim_ws(p);
			end = strchr(p, ',');
			if (end == NULL)
				end = p + strlen(p);
			n = (size_t)(end - p);
			while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
				n--;
			if (n == 0)
				continue;
			if (e->nrcpts >= e->max_rcpts) {
				e->too_many = true;
				return true;
			}
			dlp_sb_append(&e->rcpt_buf, p, n);
			dlp_sb_append(&e->rcpt_buf, "", 1);
			if (e->rcpt_buf.oom)
				return false;
			e->nrcpts++;
		}
		return true;
	}
	for (i = 0; i < DLPD_NITEMS(one); i++) {
		if (strcasecmp(name, one[i].name) != 0 &&
		    (one[i].alias == NULL ||
		        strcasecmp(name, one[i].alias) != 0))
			continue;
		if (bad_value(value, 1024)) {
			e->bad = true;
			return true;
		}
		*(const char **)((char *)e + one[i].off) = trim_ws(value);
		return true;
	}
	return true;
}

bool
dlp_henv_finish(struct dlp_henv *e)
{
	const char *p;
	size_t i;
	char c;

	if (e->request_id != NULL) {
		/* Echoed in headers and logs: a strict token. */
		for (p = e->request_id; (c = *p) != '\0'; p++)
			if (!((c >= 'a' && c <= 'z') ||
			        (c >= 'A' && c <= 'Z') ||
			        (c >= '0' && c <= '9') || c == '-' ||
			        c == '_' || c == '.' || c == ':'))
				e->bad = true;
		if (p - e->request_id > 64 || p == e->request_id)
			e->bad = true;
	}
	if (e->nrcpts == 0)
		return true;
	if ((e->rcpts = calloc(e->nrcpts, sizeof(*e->rcpts))) == NULL)
		return false;
	p = e->rcpt_buf.p;
	for (i = 0; i < e->nrcpts; i++) {
		e->rcpts[i] = p;
		p += strlen(p) + 1;
	}
	return true;
}

void
dlp_henv_fini(struct dlp_henv *e)
{
	free(e->rcpts);
	e->rcpts = NULL;
	dlp_sb_fini(&e->rcpt_buf);
}

static enum MHD_Result
env_iter(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	return dlp_henv_header(cls, key, value) ? MHD_YES : MHD_NO;
}

/* ---- replies ---- */

char *
dlp_http_reply_json(const char *result_json, const char *request_id,
    enum dlp_verdict v, const char *reason, const char *rules)
{
	const char *name = dlp_verdict_name(v);
	char text[200], line[256];
	struct dlp_sb b;
	size_t n = strlen(result_json);

	/* result_json is one object; open it up and add our fields. */
	if (n < 2 || result_json[0] != '{' || result_json[n - 1] != '}')
		return NULL;
	dlp_sb_init(&b);
	/* Our fields rarely pass 1 KiB: usually one allocation. */
	dlp_sb_reserve(&b, n + 1024);
	dlp_sb_puts(&b, "{\"api\":1,\"request_id\":");
	dlp_sb_json_str(&b, request_id);
	dlp_sb_puts(&b, ",\"action\":");
	dlp_sb_json_str(&b, name);
	if (n > 2) {
		dlp_sb_puts(&b, ",");
		dlp_sb_append(&b, result_json + 1, n - 2);
	}
	if (v == DLP_BLOCK) {
		dlp_reply_text(reason, text, sizeof(text), false);
		snprintf(line, sizeof(line),
		    "Message blocked by DLP policy%s%s", text[0] ? ": " : "",
		    text);
		dlp_sb_puts(&b, ",\"smtp_reply\":{\"code\":\"550\","
		                "\"enhanced\":\"5.7.1\",\"text\":");
		dlp_sb_json_str(&b, line);
		dlp_sb_puts(&b, "}");
	}
	dlp_sb_puts(&b, ",\"headers_add\":[{\"name\":\"X-DLP-Verdict\","
	                "\"value\":");
	dlp_sb_json_str(&b, name);
	dlp_sb_puts(&b, "}");
	if (v != DLP_ALLOW && reason != NULL) {
		dlp_reply_text(reason, text, sizeof(text), false);
		dlp_sb_puts(&b, ",{\"name\":\"X-DLP-Reason\",\"value\":");
		dlp_sb_json_str(&b, text);
		dlp_sb_puts(&b, "}");
	}
	if (v != DLP_ALLOW && rules != NULL) {
		dlp_reply_text(rules, text, sizeof(text), false);
		dlp_sb_puts(&b, ",{\"name\":\"X-DLP-Rules\",\"value\":");
		dlp_sb_json_str(&b, text);
		dlp_sb_puts(&b, "}");
	}
	dlp_sb_puts(&b, "]}");
	return dlp_sb_take(&b, NULL);
}

/*
 * Queue a reply. body is copied, or with take (a malloc'd buffer) handed
 * to libmicrohttpd, which frees it; on failure it is freed here.
 */
static enum MHD_Result
send_body(struct MHD_Connection *c, struct hreq *r, unsigned status,
    const char *ctype, const char *body, size_t len, const char *request_id,
    const char *action, unsigned retry_after, char *take)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	char ra[16];

	if (take != NULL) {
		resp = MHD_create_response_from_buffer(
		    len, take, MHD_RESPMEM_MUST_FREE);
		if (resp == NULL)
			free(take);
	} else {
		resp = MHD_create_response_from_buffer(
		    len, (void *)body, MHD_RESPMEM_MUST_COPY);
	}
	if (resp == NULL)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	if (request_id != NULL)
		MHD_add_response_header(resp, "DLP-Request-Id", request_id);
	if (action != NULL)
		MHD_add_response_header(resp, "DLP-Action", action);
	if (retry_after > 0) {
		snprintf(ra, sizeof(ra), "%u", retry_after);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, ra);
	}
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW,
		    r != NULL && r->route == R_SCAN ? "POST" : "GET, HEAD");
	if (status == MHD_HTTP_UNAUTHORIZED)
		MHD_add_response_header(
		    resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
	ret = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	if (r != NULL)
		r->responded = true;
	return ret;
}

static enum MHD_Result
send_error(struct MHD_Connection *c, struct hreq *r, unsigned status,
    const char *code, const char *msg, const char *request_id,
    unsigned retry_after)
{
	struct dlp_sb b;
	enum MHD_Result ret;

	dlp_sb_init(&b);
	dlp_sb_puts(&b, "{\"api\":1,\"request_id\":");
	dlp_sb_json_str(&b, request_id);
	dlp_sb_puts(&b, ",\"error\":{\"code\":");
	dlp_sb_json_str(&b, code);
	dlp_sb_puts(&b, ",\"message\":");
	dlp_sb_json_str(&b, msg);
	dlp_sb_puts(&b, "}}\n");
	if (b.oom) {
		dlp_sb_fini(&b);
		return MHD_NO;
	}
	ret = send_body(c, r, status, "application/json", b.p, b.len,
	    request_id, NULL, retry_after, NULL);
	dlp_sb_fini(&b);
	return ret;
}

/* ---- endpoints ---- */

static enum MHD_Result
do_simple(struct dlp_http *h, struct MHD_Connection *c, struct hreq *r)
{
	struct dlp_svc *s = h->svc;
	struct dlp_eref *e;
	struct dlp_sb b;
	enum MHD_Result ret;
	unsigned status = MHD_HTTP_OK;
	const char *ctype = "application/json";

	dlp_sb_init(&b);
	switch (r->route) {
	case R_HEALTH:
		dlp_sb_puts(&b, "{\"status\":\"ok\"}\n");
		break;
	case R_VERSION:
		dlp_sb_printf(&b, "{\"version\":\"%s\"}\n", dlp_version());
		break;
	case R_READY:
		e = dlp_svc_acquire(s);
		if (e == NULL) {
			status = MHD_HTTP_SERVICE_UNAVAILABLE;
			dlp_sb_puts(&b, "{\"status\":\"loading\"}\n");
		} else if (dlp_pool_full(s->pool)) {
			status = MHD_HTTP_SERVICE_UNAVAILABLE;
			dlp_sb_puts(&b, "{\"status\":\"overloaded\"}\n");
		} else {
			dlp_sb_printf(&b,
			    "{\"status\":\"ready\",\"policy_generation\":%lu,"
			    "\"signature_id\":",
			    e->generation);
			dlp_sb_json_str(&b, dlp_engine_signature_id(e->eng));
			dlp_sb_puts(&b, "}\n");
		}
		dlp_svc_release(e);
		break;
	case R_METRICS:
		ctype = "text/plain; version=0.0.4; charset=utf-8";
		e = dlp_svc_acquire(s);
		dlp_metrics_render(&s->metrics, e ? e->generation : 0,
		    e ? dlp_engine_signature_id(e->eng) : "", &b);
		dlp_svc_release(e);
		break;
	default:
		break;
	}
	if (b.oom) {
		dlp_sb_fini(&b);
		return send_error(c, r, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    "internal", "out of memory", NULL, 0);
	}
	ret = send_body(c, r, status, ctype, b.p ? b.p : "", b.len, NULL, NULL,
	    status == MHD_HTTP_SERVICE_UNAVAILABLE ? h->conf->retry_after : 0,
	    NULL);
	dlp_sb_fini(&b);
	return ret;
}

static enum MHD_Result
do_scan(struct dlp_http *h, struct MHD_Connection *c, struct hreq *r,
    const struct hconn *hc)
{
	struct dlp_svc *s = h->svc;
	struct dlp_scan_req rq;
	struct dlp_scan_out out;
	struct dlp_henv env;
	enum dlp_scan_rc rc;
	enum MHD_Result ret;
	char rid[48], *reply;
	const char *id;

	memset(&env, 0, sizeof(env));
	dlp_sb_init(&env.rcpt_buf);
	env.max_rcpts = h->conf->max_rcpts;
	if (MHD_get_connection_values(c, MHD_HEADER_KIND, env_iter, &env) < 0 ||
	    env.rcpt_buf.oom || !dlp_henv_finish(&env)) {
		ret = send_error(c, r, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    "internal", "out of memory", NULL, 0);
		goto out;
	}
	id = env.request_id;
	if (id == NULL || env.bad) {
		snprintf(rid, sizeof(rid), "dlpd-%llx-%lu",
		    (unsigned long long)time(NULL),
		    atomic_fetch_add(&s->next_request, 1));
		id = rid;
	}
	if (env.bad || env.too_many || r->body.len == 0) {
		atomic_fetch_add(&s->metrics.rejected[DLP_RJ_BAD_REQUEST], 1);
		ret = send_error(c, r, MHD_HTTP_BAD_REQUEST,
		    env.too_many ? "too_many_recipients"
		    : env.bad    ? "bad_header"
		                 : "empty_body",
		    env.too_many ? "more recipients than max_rcpts"
		    : env.bad    ? "a DLP header holds control bytes or a "
		                   "bad request id"
		                 : "the message body is empty",
		    id, 0);
		goto out;
	}
	memset(&rq, 0, sizeof(rq));
	rq.frontend = DLP_FE_HTTP;
	rq.msg = r->body.p;
	rq.len = r->body.len;
	rq.msg_owned = r->body.p; /* the job takes the body: no copy */
	dlp_sb_init(&r->body);
	rq.mail_from = env.mail_from;
	rq.rcpts = env.rcpts;
	rq.nrcpts = env.nrcpts;
	rq.queue_id = env.queue_id;
	rq.client_ip = env.client_ip;
	rq.auth_user = env.auth_user;
	rq.request_id = id;
	rq.peer = hc->peer;
	rc = dlp_svc_scan(s, &rq, &out);
	switch (rc) {
	case DLP_SCAN_OK:
		reply = dlp_http_reply_json(
		    out.json, id, out.verdict, out.reason, out.rules);
		if (reply == NULL) {
			ret = send_error(c, r, MHD_HTTP_INTERNAL_SERVER_ERROR,
			    "internal", "cannot render the reply", id, 0);
			break;
		}
		/* libmicrohttpd takes the reply over: no copy. */
		ret = send_body(c, r, MHD_HTTP_OK, "application/json", NULL,
		    strlen(reply), id, dlp_verdict_name(out.verdict), 0, reply);
		break;
	case DLP_SCAN_OVERLOAD:
		ret = send_error(c, r, MHD_HTTP_SERVICE_UNAVAILABLE,
		    "overloaded", "all workers are busy; retry or hold", id,
		    h->conf->retry_after);
		break;
	case DLP_SCAN_TIMEOUT:
		ret = send_error(c, r, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    "timeout", "no verdict within scan_timeout; hold", id, 0);
		break;
	default:
		ret = send_error(c, r, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    "scan_failed", "no verdict; hold", id, 0);
		break;
	}
	dlp_scan_out_fini(&out);
out:
	dlp_henv_fini(&env);
	return ret;
}

static bool
authorized(struct dlp_http *h, struct listener *l, struct MHD_Connection *c)
{
	const char *v;
	size_t n;

	if (!l->tcp || h->token == NULL)
		return true;
	v = MHD_lookup_connection_value(
	    c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	if (v == NULL || strncasecmp(v, "Bearer ", 7) != 0)
		return false;
	v += 7;
	n = strlen(v);
	return dlp_ct_equal(v, n, h->token, strlen(h->token));
}

static struct hconn *
conn_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci;

	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci != NULL ? ci->socket_context : NULL;
}

/* The request is in (or answered): its deadline no longer applies. */
static bool
disarm(struct dlp_http *h, struct hconn *hc)
{
	bool cut;

	pthread_mutex_lock(&h->lock);
	hc->deadline_ms = 0;
	cut = hc->cut;
	pthread_mutex_unlock(&h->lock);
	return !cut;
}

/*
 * The body went over max_message_bytes while streaming (chunked, or more
 * bytes than Content-Length said): answer 413 now and read no further.
 * libmicrohttpd (0.9.75) cannot queue a reply before the body is over,
 * so the reply is written on the socket here, and MHD_NO makes
 * libmicrohttpd close the connection without reading the rest. Nothing
 * else writes on this socket meanwhile: no reply was queued, and this
 * is the connection's own thread.
 */
static enum MHD_Result
reject_streaming(struct dlp_http *h, struct MHD_Connection *c)
{
	static const char body[] =
	    "{\"api\":1,\"request_id\":null,\"error\":{\"code\":\"too_large\","
	    "\"message\":\"message exceeds max_message_bytes\"}}\n";
	const union MHD_ConnectionInfo *ci;
	struct iovec iov[2];
	struct msghdr mh;
	char head[256];
	ssize_t w;
	int n;

	atomic_fetch_add(&h->svc->metrics.rejected[DLP_RJ_TOO_LARGE], 1);
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (ci == NULL)
		return MHD_NO;
	n = snprintf(head, sizeof(head),
	    "HTTP/1.1 413 Content Too Large\r\nConnection: close\r\n"
	    "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
	    sizeof(body) - 1);
	iov[0].iov_base = head;
	iov[0].iov_len = (size_t)n;
	iov[1].iov_base = (void *)body;
	iov[1].iov_len = sizeof(body) - 1;
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = iov;
	mh.msg_iovlen = 2;
	/*
	 * Never blocking: the reply is a few hundred bytes, which an empty
	 * send buffer takes whole. If it does not, the client sees the
	 * connection closed without a reply, which it must treat as hold.
	 */
	w = sendmsg(ci->connect_fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (w != (ssize_t)(iov[0].iov_len + iov[1].iov_len))
		dlp_log(DLP_LOG_INFO, "http: the 413 could not be sent whole");
	/* The reply goes out before the close. */
	(void)shutdown(ci->connect_fd, SHUT_WR);
	dlp_log(DLP_LOG_INFO, "http: body over max_message_bytes while "
	                      "streaming: 413, closing");
	return MHD_NO;
}

static enum MHD_Result
handler(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct listener *l = cls;
	struct dlp_http *h = l->h;
	struct dlp_metrics *m = &h->svc->metrics;
	struct hreq *r = *con_cls;
	struct hconn *hc;
	unsigned long long clen;
	const char *cl;
	char *end;
	bool is_get;
	int nhdr;

	(void)version;
	/* Not tracked by the watchdog (out of memory): close. */
	if ((hc = conn_of(c)) == NULL)
		return MHD_NO;
	if (r == NULL) { /* headers are in; the body is not */
		if ((r = calloc(1, sizeof(*r))) == NULL)
			return MHD_NO;
		dlp_sb_init(&r->body);
		r->start_ms = dlp_now_ms();
		*con_cls = r;
		is_get = strcmp(method, MHD_HTTP_METHOD_GET) == 0 ||
		         strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
		if (strcmp(url, "/v1/scan") == 0)
			r->route = R_SCAN;
		else if (strcmp(url, "/v1/health") == 0)
			r->route = R_HEALTH;
		else if (strcmp(url, "/v1/ready") == 0)
			r->route = R_READY;
		else if (strcmp(url, "/metrics") == 0)
			r->route = R_METRICS;
		else if (strcmp(url, "/v1/version") == 0)
			r->route = R_VERSION;
		else
			return send_error(c, r, MHD_HTTP_NOT_FOUND, "not_found",
			    "no such path", NULL, 0);
		if ((r->route == R_SCAN &&
		        strcmp(method, MHD_HTTP_METHOD_POST) != 0) ||
		    (r->route != R_SCAN && !is_get))
			return send_error(c, r, MHD_HTTP_METHOD_NOT_ALLOWED,
			    "method_not_allowed", "wrong method", NULL, 0);
		nhdr =
		    MHD_get_connection_values(c, MHD_HEADER_KIND, NULL, NULL);
		if (nhdr < 0 || (size_t)nhdr > h->conf->max_headers) {
			atomic_fetch_add(&m->rejected[DLP_RJ_BAD_REQUEST], 1);
			return send_error(c, r, MHD_HTTP_BAD_REQUEST,
			    "too_many_headers", "more headers than max_headers",
			    NULL, 0);
		}
		if (r->route != R_HEALTH && !authorized(h, l, c)) {
			atomic_fetch_add(&m->rejected[DLP_RJ_AUTH], 1);
			return send_error(c, r, MHD_HTTP_UNAUTHORIZED,
			    "unauthorized", "bearer token required", NULL, 0);
		}
		if (r->route != R_SCAN)
			return MHD_YES; /* answered once the request is in */
		cl = MHD_lookup_connection_value(
		    c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl != NULL) {
			errno = 0;
			clen = strtoull(cl, &end, 10);
			if (errno != 0 || clen > h->conf->max_message_bytes) {
				atomic_fetch_add(
				    &m->rejected[DLP_RJ_TOO_LARGE], 1);
				return send_error(c, r,
				    MHD_HTTP_CONTENT_TOO_LARGE, "too_large",
				    "message exceeds max_message_bytes", NULL,
				    0);
			}
			/* A known size within the limit: one allocation. */
			dlp_sb_reserve(&r->body, (size_t)clen);
			if (r->body.oom) {
				atomic_fetch_add(
				    &m->errors[DLP_EK_INTERNAL], 1);
				return MHD_NO;
			}
		}
		return MHD_YES;
	}
	if (r->responded || r->route != R_SCAN) {
		/* An early reply was queued, or a GET came with a body
		 * (bounded by request_timeout): drop it. */
		if (*upload_data_size > 0) {
			*upload_data_size = 0;
			return MHD_YES;
		}
		if (r->responded)
			return MHD_YES;
		/*
		 * A reply queued only now, with the request complete, lets
		 * libmicrohttpd keep the connection alive (one queued on the
		 * first call closes it).
		 */
		if (!disarm(h, hc))
			return MHD_NO;
		return do_simple(h, c, r);
	}
	if (*upload_data_size > 0) {
		if (dlp_now_ms() - r->start_ms >
		    (uint64_t)h->conf->request_timeout * 1000u) {
			/* No reply can be queued mid-body: close. */
			dlp_log(DLP_LOG_WARN, "http: body not received within "
			                      "request_timeout, closing");
			atomic_fetch_add(&m->rejected[DLP_RJ_BAD_REQUEST], 1);
			return MHD_NO;
		}
		if (r->body.len + *upload_data_size >
		    h->conf->max_message_bytes) {
			dlp_sb_fini(&r->body); /* keep nothing */
			return reject_streaming(h, c);
		}
		dlp_sb_append(&r->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		if (r->body.oom) {
			atomic_fetch_add(&m->errors[DLP_EK_INTERNAL], 1);
			return MHD_NO;
		}
		return MHD_YES;
	}
	if (!disarm(h, hc))
		return MHD_NO;
	return do_scan(h, c, r, hc);
}

static void
completed(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct listener *l = cls;
	struct dlp_http *h = l->h;
	struct hreq *r = *con_cls;
	struct hconn *hc = conn_of(c);

	(void)toe;
	/* The next request on a kept-alive connection gets a new clock. */
	if (hc != NULL) {
		pthread_mutex_lock(&h->lock);
		hc->deadline_ms =
		    dlp_now_ms() + (uint64_t)h->conf->request_timeout * 1000u;
		pthread_mutex_unlock(&h->lock);
	}
	if (r == NULL)
		return;
	dlp_sb_fini(&r->body);
	free(r);
	*con_cls = NULL;
}

/* Track each connection from accept to close for the watchdog. */
static void
notify_conn(void *cls, struct MHD_Connection *c, void **socket_context,
    enum MHD_ConnectionNotificationCode code)
{
	struct listener *l = cls;
	struct dlp_http *h = l->h;
	const union MHD_ConnectionInfo *ci;
	struct hconn *hc;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		*socket_context = NULL;
		ci = MHD_get_connection_info(
		    c, MHD_CONNECTION_INFO_CONNECTION_FD);
		if (ci == NULL || (hc = calloc(1, sizeof(*hc))) == NULL)
			return; /* untracked: the handler closes it */
		hc->fd = ci->connect_fd;
		if (!l->tcp) {
			struct ucred uc;
			socklen_t ul = sizeof(uc);

			if (getsockopt(hc->fd, SOL_SOCKET, SO_PEERCRED, &uc,
			        &ul) == 0 &&
			    ul == sizeof(uc)) {
				hc->peer.known = true;
				hc->peer.uid = (unsigned)uc.uid;
				hc->peer.gid = (unsigned)uc.gid;
				hc->peer.pid = (long)uc.pid;
			}
		}
		pthread_mutex_lock(&h->lock);
		hc->deadline_ms =
		    dlp_now_ms() + (uint64_t)h->conf->request_timeout * 1000u;
		hc->next = h->conns;
		if (h->conns != NULL)
			h->conns->prev = hc;
		h->conns = hc;
		pthread_mutex_unlock(&h->lock);
		*socket_context = hc;
		return;
	}
	if ((hc = *socket_context) == NULL)
		return;
	/*
	 * libmicrohttpd calls this before it closes the socket, so under
	 * the lock the watchdog never sees a closed (or reused) fd.
	 */
	pthread_mutex_lock(&h->lock);
	if (hc->prev != NULL)
		hc->prev->next = hc->next;
	else
		h->conns = hc->next;
	if (hc->next != NULL)
		hc->next->prev = hc->prev;
	pthread_mutex_unlock(&h->lock);
	free(hc);
	*socket_context = NULL;
}

/*
 * libmicrohttpd's connection timeout is an idle timer: a client sending
 * one byte every few seconds never trips it. The watchdog enforces
 * request_timeout as an absolute deadline for a request's head and body,
 * counted from the accept (or from the previous reply on a kept-alive
 * connection): past it, the socket is shut down, so the connection's
 * thread sees the end of its input and libmicrohttpd closes the
 * connection. No reply can be sent then (the request is incomplete):
 * the gateway sees a transport error and holds.
 */
static void *
watchdog_main(void *vp)
{
	struct dlp_http *h = vp;
	struct timespec ts;
	struct hconn *hc;
	uint64_t now;

	pthread_mutex_lock(&h->lock);
	while (!h->stopping) {
		now = dlp_now_ms();
		for (hc = h->conns; hc != NULL; hc = hc->next) {
			if (hc->cut || hc->deadline_ms == 0 ||
			    now < hc->deadline_ms)
				continue;
			hc->cut = true;
			shutdown(hc->fd, SHUT_RDWR);
			atomic_fetch_add(
			    &h->svc->metrics.rejected[DLP_RJ_BAD_REQUEST], 1);
			dlp_log(DLP_LOG_WARN,
			    "http: request not received within "
			    "request_timeout (%us), closing",
			    h->conf->request_timeout);
		}
		/* A quarter second: plenty for a deadline in seconds. */
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_nsec += 250000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&h->wake, &h->lock, &ts);
	}
	pthread_mutex_unlock(&h->lock);
	return NULL;
}

/* fmt is libmicrohttpd's own format string. */
__attribute__((format(printf, 2, 0))) static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];
	size_t n;

	(void)cls;
	vsnprintf(line, sizeof(line), fmt, ap);
	n = strlen(line);
	while (n > 0 && line[n - 1] == '\n')
		line[--n] = '\0';
	dlp_log(DLP_LOG_WARN, "http: %s", line);
}

/* ---- sockets ---- */

static int
bind_unix(const char *path, unsigned mode, unsigned uid, unsigned gid,
    char *err, size_t errlen)
{
	struct sockaddr_un sa;
	struct stat st;
	mode_t old;
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "%s: path too long", path);
		return -1;
	}
	/* Replace a stale socket, never any other kind of file. */
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			snprintf(
			    err, errlen, "%s exists and is not a socket", path);
			return -1;
		}
		unlink(path);
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	old = umask(0177); /* no window where the socket is open to all */
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		umask(old);
		snprintf(err, errlen, "bind %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	umask(old);
	if ((geteuid() == 0 && chown(path, uid, gid) != 0) ||
	    chmod(path, mode) != 0 || listen(fd, 128) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	return fd;
}

static int
bind_tcp(const char *hostport, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	char host[64];
	unsigned port;
	int fd, one = 1;

	memset(&ss, 0, sizeof(ss));
	if (dlp_dconf_hostport(hostport, host, sizeof(host), &port) != 0)
		goto bad;
	if (strcmp(host, "localhost") == 0)
		memcpy(host, "127.0.0.1", 10);
	if (inet_pton(AF_INET, host, &((struct sockaddr_in *)&ss)->sin_addr) ==
	    1) {
		((struct sockaddr_in *)&ss)->sin_family = AF_INET;
		((struct sockaddr_in *)&ss)->sin_port = htons((uint16_t)port);
		sl = sizeof(struct sockaddr_in);
	} else if (inet_pton(AF_INET6, host,
	               &((struct sockaddr_in6 *)&ss)->sin6_addr) == 1) {
		((struct sockaddr_in6 *)&ss)->sin6_family = AF_INET6;
		((struct sockaddr_in6 *)&ss)->sin6_port = htons((uint16_t)port);
		sl = sizeof(struct sockaddr_in6);
	} else {
		goto bad;
	}
	if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) != 0 || listen(fd, 128) != 0) {
		snprintf(err, errlen, "bind %s: %s", hostport, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
bad:
	snprintf(err, errlen, "http_tcp %s: want IPv4 or IPv6 address:port",
	    hostport);
	return -1;
}

int
dlp_http_open(const struct dlp_dconf *conf, unsigned uid, unsigned gid,
    struct dlp_http **out, char *err, size_t errlen)
{
	pthread_condattr_t ca;
	struct dlp_http *h;

	*out = NULL;
	if ((h = calloc(1, sizeof(*h))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	h->conf = conf;
	pthread_mutex_init(&h->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&h->wake, &ca);
	pthread_condattr_destroy(&ca);
	h->ux.fd = h->tcp.fd = -1;
	h->ux.h = h->tcp.h = h;
	h->tcp.tcp = true;
	if (conf->http_token_file[0] != '\0' &&
	    (h->token = dlp_read_small_file(conf->http_token_file, 4096)) ==
	        NULL) {
		snprintf(err, errlen, "%s: cannot read the token",
		    conf->http_token_file);
		goto fail;
	}
	if (h->token != NULL && strlen(h->token) < 16) {
		snprintf(err, errlen, "%s: token shorter than 16 bytes",
		    conf->http_token_file);
		goto fail;
	}
	if (conf->http_socket[0] != '\0') {
		h->ux.fd = bind_unix(conf->http_socket, conf->socket_mode, uid,
		    gid, err, errlen);
		if (h->ux.fd < 0 ||
		    (h->sock_path = strdup(conf->http_socket)) == NULL)
			goto fail;
	}
	if (conf->http_tcp[0] != '\0' &&
	    (h->tcp.fd = bind_tcp(conf->http_tcp, err, errlen)) < 0)
		goto fail;
	*out = h;
	return 0;
fail:
	dlp_http_stop(h);
	return -1;
}

static int
start_one(struct dlp_http *h, struct listener *l, char *err, size_t errlen)
{
	const struct dlp_dconf *c = h->conf;

	if (l->fd < 0)
		return 0;
	l->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
	                            MHD_USE_THREAD_PER_CONNECTION |
	                            MHD_USE_POLL | MHD_USE_ERROR_LOG,
	    0, NULL, NULL, handler, l, MHD_OPTION_EXTERNAL_LOGGER, mhd_log,
	    NULL, MHD_OPTION_LISTEN_SOCKET, l->fd, MHD_OPTION_CONNECTION_LIMIT,
	    (unsigned)c->max_connections, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
	    (size_t)c->max_header_bytes, MHD_OPTION_CONNECTION_TIMEOUT,
	    (unsigned)c->http_timeout, MHD_OPTION_NOTIFY_COMPLETED, completed,
	    l, MHD_OPTION_NOTIFY_CONNECTION, notify_conn, l, MHD_OPTION_END);
	if (l->d == NULL) {
		snprintf(err, errlen, "cannot start the %s HTTP listener",
		    l->tcp ? "TCP" : "unix");
		return -1;
	}
	l->fd = -1; /* MHD_stop_daemon() closes it now */
	return 0;
}

int
dlp_http_start(struct dlp_http *h, struct dlp_svc *s, char *err, size_t errlen)
{
	h->svc = s;
	if (pthread_create(&h->watchdog, NULL, watchdog_main, h) != 0) {
		snprintf(err, errlen, "cannot start the request watchdog");
		return -1;
	}
	h->watchdog_running = true;
	if (start_one(h, &h->ux, err, errlen) != 0 ||
	    start_one(h, &h->tcp, err, errlen) != 0)
		return -1;
	return 0;
}

void
dlp_http_stop(struct dlp_http *h)
{
	if (h == NULL)
		return;
	if (h->ux.d != NULL)
		MHD_stop_daemon(h->ux.d);
	if (h->tcp.d != NULL)
		MHD_stop_daemon(h->tcp.d);
	if (h->watchdog_running) { /* after the listeners: no connections */
		pthread_mutex_lock(&h->lock);
		h->stopping = true;
		pthread_cond_signal(&h->wake);
		pthread_mutex_unlock(&h->lock);
		pthread_join(h->watchdog, NULL);
	}
	pthread_cond_destroy(&h->wake);
	pthread_mutex_destroy(&h->lock);
	if (h->ux.fd >= 0)
		close(h->ux.fd);
	if (h->tcp.fd >= 0)
		close(h->tcp.fd);
	if (h->sock_path != NULL)
		unlink(h->sock_path);
	free(h->sock_path);
	if (h->token != NULL)
		memset(h->token, 0, strlen(h->token));
	free(h->token);
	free(h);
}
