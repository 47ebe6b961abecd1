/*
 * milter.c - the milter frontend on libmilter, for Postfix and Sendmail.
 *
 * Per connection, a struct dlp_msess (smfi_setpriv) collects the
 * envelope from the SMTP session and the message (headers rebuilt as
 * "Name: value", the body in SMTP form) up to max_message_bytes. At end
 * of message the scan runs on the pool and the verdict maps to:
 *
 *   allow -> X-DLP-Verdict: allow, SMFIS_ACCEPT
 *   hold  -> X-DLP-Verdict: hold + X-DLP-Reason, smfi_quarantine,
 *            SMFIS_ACCEPT (Postfix: hold queue)
 *   block -> smfi_setreply 550 5.7.1 + short reason, SMFIS_REJECT
 *
 * No verdict (error, deadline, too many recipients/headers, oversize)
 * follows on_error / on_oversize, overload follows on_overload: hold
 * (quarantine) or tempfail (451 4.7.1). Nothing is accepted unscanned.
 *
 * Trust: the MTA is trusted to speak the protocol (libmilter parses it);
 * the message is hostile and only bounded bytes are kept. Several
 * messages may share one connection: state is reset in envfrom and in
 * abort.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <libmilter/mfapi.h>
#include <netinet/in.h>

#include "dlpd.h"

/* ---- the session buffer (no libmilter here: unit-tested) ---- */

void
dlp_msess_init(
    struct dlp_msess *m, size_t max_bytes, size_t max_rcpts, size_t max_headers)
{
	memset(m, 0, sizeof(*m));
	dlp_sb_init(&m->msg);
	m->max_bytes = max_bytes;
	m->max_rcpts = max_rcpts;
	m->max_headers = max_headers;
}

void
dlp_msess_reset(struct dlp_msess *m)
{
	size_t i;

	free(m->auth_user);
	free(m->mail_from);
	for (i = 0; i < m->nrcpts; i++)
		free(m->rcpts[i]);
	free(m->rcpts);
	dlp_sb_fini(&m->msg);
	m->auth_user = m->mail_from = NULL;
	m->rcpts = NULL;
	m->nrcpts = m->nheaders = 0;
	m->oversize = m->too_many = false;
}

void
dlp_msess_fini(struct dlp_msess *m)
{
	if (m == NULL)
		return;
	dlp_msess_reset(m);
	free(m->client_ip);
	m->client_ip = NULL;
}

int
dlp_msess_from(struct dlp_msess *m, const char *from, const char *auth)
{
	dlp_msess_reset(m);
	if ((m->mail_from = strdup(from ? from : "")) == NULL)
		return -1;
	if (auth != NULL && (m->auth_user = strdup(auth)) == NULL)
		return -1;
	return 0;
}

int
dlp_msess_rcpt(struct dlp_msess *m, const char *rcpt)
{
	char **r;

	if (m->nrcpts >= m->max_rcpts) {
		m->too_many = true; /* kept bounded; decided at EOM */
		return 0;
	}
	if ((r = realloc(m->rcpts, (m->nrcpts + 1) * sizeof(*r))) == NULL)
		return -1;
	m->rcpts = r;
	if ((r[m->nrcpts] = strdup(rcpt ? rcpt : "")) == NULL)
		return -1;
	m->nrcpts++;
	return 0;
}

static int
msess_add(struct dlp_msess *m, const void *p, size_t n)
{
	if (m->oversize)
		return 0;
	if (n > m->max_bytes || m->msg.len > m->max_bytes - n) {
		m->oversize = true;
		dlp_sb_fini(&m->msg); /* nothing partial is ever scanned */
		return 0;
	}
	dlp_sb_append(&m->msg, p, n);
	return m->msg.oom ? -1 : 0;
}

int
dlp_msess_header(struct dlp_msess *m, const char *name, const char *value)
{
	if (++m->nheaders > m->max_headers) {
		m->too_many = true;
		return 0;
	}
	if (msess_add(m, name, strlen(name)) != 0 ||
	    msess_add(m, ": ", 2) != 0 ||
	    msess_add(m, value, strlen(value)) != 0 ||
	    msess_add(m, "\r\n", 2) != 0)
		return -1;
	return 0;
}

int
dlp_msess_eoh(struct dlp_msess *m)
{
	return msess_add(m, "\r\n", 2);
}

int
dlp_msess_body(struct dlp_msess *m, const unsigned char *p, size_t n)
{
	return msess_add(m, p, n);
}

/* ---- libmilter callbacks ---- */

/* libmilter keeps one global filter description; so does this file. */
static struct dlp_svc *msvc;

static struct dlp_msess *
sess(SMFICTX *ctx)
{
	return smfi_getpriv(ctx);
}

static sfsistat
fail_action(SMFICTX *ctx, enum dlp_dfail how, const char *why)
{
	char text[160];

	dlp_reply_text(why, text, sizeof(text), true);
	if (how == DLP_DFAIL_TEMPFAIL) {
		smfi_setreply(ctx, "451", "4.7.1", text);
		return SMFIS_TEMPFAIL;
	}
	if (smfi_addheader(ctx, "X-DLP-Verdict", "hold") != MI_SUCCESS ||
	    smfi_quarantine(ctx, text) != MI_SUCCESS) {
		/* Cannot hold: never accept instead. */
		smfi_setreply(ctx, "451", "4.7.1", "DLP scan unavailable");
		return SMFIS_TEMPFAIL;
	}
	return SMFIS_ACCEPT;
}

static sfsistat
x_connect(SMFICTX *ctx, char *host, _SOCK_ADDR *sa)
{
	struct dlp_msess *m = sess(ctx);
	const char *ip = smfi_getsymval(ctx, "{client_addr}");
	char buf[INET6_ADDRSTRLEN];

	(void)host;
	if (ip == NULL && sa != NULL && sa->sa_family == AF_INET)
		ip = inet_ntop(AF_INET, &((struct sockaddr_in *)sa)->sin_addr,
		    buf, sizeof(buf));
	else if (ip == NULL && sa != NULL && sa->sa_family == AF_INET6)
		ip = inet_ntop(AF_INET6,
		    &((struct sockaddr_in6 *)sa)->sin6_addr, buf, sizeof(buf));
	if (m == NULL) {
		if ((m = malloc(sizeof(*m))) == NULL)
			return SMFIS_TEMPFAIL;
		dlp_msess_init(m, msvc->conf->max_message_bytes,
		    msvc->conf->max_rcpts, msvc->conf->max_headers);
		if (smfi_setpriv(ctx, m) != MI_SUCCESS) {
			free(m);
			return SMFIS_TEMPFAIL;
		}
	}
	free(m->client_ip);
	m->client_ip = ip ? strdup(ip) : NULL;
	return SMFIS_CONTINUE;
}

static sfsistat
x_envfrom(SMFICTX *ctx, char **argv)
{
	struct dlp_msess *m = sess(ctx);

	if (m == NULL && x_connect(ctx, NULL, NULL) != SMFIS_CONTINUE)
		return SMFIS_TEMPFAIL;
	m = sess(ctx);
	if (dlp_msess_from(m, argv[0], smfi_getsymval(ctx, "{auth_authen}")) !=
	    0)
		return SMFIS_TEMPFAIL;
	return SMFIS_CONTINUE;
}

static sfsistat
x_envrcpt(SMFICTX *ctx, char **argv)
{
	struct dlp_msess *m = sess(ctx);

	if (m == NULL || dlp_msess_rcpt(m, argv[0]) != 0)
		return SMFIS_TEMPFAIL;
	return SMFIS_CONTINUE;
}

static sfsistat
x_header(SMFICTX *ctx, char *name, char *value)
{
	struct dlp_msess *m = sess(ctx);

	if (m == NULL || dlp_msess_header(m, name, value) != 0)
		return SMFIS_TEMPFAIL;
	return SMFIS_CONTINUE;
}

static sfsistat
x_eoh(SMFICTX *ctx)
{
	struct dlp_msess *m = sess(ctx);

	if (m == NULL || dlp_msess_eoh(m) != 0)
		return SMFIS_TEMPFAIL;
	return SMFIS_CONTINUE;
}

static sfsistat
x_body(SMFICTX *ctx, unsigned char *p, size_t n)
{
	struct dlp_msess *m = sess(ctx);

	if (m == NULL || dlp_msess_body(m, p, n) != 0)
		return SMFIS_TEMPFAIL;
	return SMFIS_CONTINUE;
}

static sfsistat
x_eom(SMFICTX *ctx)
{
	const struct dlp_dconf *c = msvc->conf;
	struct dlp_msess *m = sess(ctx);
	struct dlp_scan_req rq;
	struct dlp_scan_out out;
	enum dlp_scan_rc rc;
	char text[200], reply[240];
	const char *why;
	sfsistat ret;

	if (m == NULL)
		return fail_action(ctx, c->on_error, "DLP: no session state");
	if (m->oversize) {
		atomic_fetch_add(&msvc->metrics.rejected[DLP_RJ_TOO_LARGE], 1);
		ret = fail_action(ctx, c->on_oversize,
		    "DLP: message exceeds max_message_bytes");
		goto out;
	}
	if (m->too_many) {
		atomic_fetch_add(
		    &msvc->metrics.rejected[DLP_RJ_BAD_REQUEST], 1);
		ret = fail_action(
		    ctx, c->on_error, "DLP: too many recipients or headers");
		goto out;
	}
	memset(&rq, 0, sizeof(rq));
	rq.frontend = DLP_FE_MILTER;
	rq.msg = m->msg.p ? m->msg.p : "";
	rq.len = m->msg.len;
	rq.mail_from = m->mail_from;
	rq.rcpts = (const char *const *)m->rcpts;
	rq.nrcpts = m->nrcpts;
	rq.queue_id = smfi_getsymval(ctx, "i");
	rq.client_ip = m->client_ip;
	rq.auth_user = m->auth_user;
	rq.request_id = rq.queue_id;
	if (m->oversize || m->too_many) {
		why = m->oversize ? "DLP: message exceeds max_message_bytes"
		                  : "DLP: too many recipients or headers";
		atomic_fetch_add(
		    &msvc->metrics.rejected[m->oversize ? DLP_RJ_TOO_LARGE
		                                        : DLP_RJ_BAD_REQUEST],
		    1);
		dlp_svc_audit_failure(msvc, &rq, why, dlp_now_ms());
		ret = fail_action(
		    ctx, m->oversize ? c->on_oversize : c->on_error, why);
		goto out;
	}
	if (m->msg.p != NULL) { /* the job takes the message: no copy */
		rq.msg_owned = m->msg.p;
		dlp_sb_init(&m->msg);
	}
	rc = dlp_svc_scan(msvc, &rq, &out);
	if (rc == DLP_SCAN_OVERLOAD) {
		ret = fail_action(ctx, c->on_overload,
		    "DLP: scanner overloaded, try again later");
	} else if (rc != DLP_SCAN_OK) {
		ret = fail_action(ctx, c->on_error, "DLP: no verdict");
	} else if (out.verdict == DLP_ALLOW) {
		smfi_addheader(ctx, "X-DLP-Verdict", "allow");
		ret = SMFIS_ACCEPT;
	} else if (out.verdict == DLP_BLOCK) {
		dlp_reply_text(out.reason, text, sizeof(text), true);
		snprintf(reply, sizeof(reply),
		    "Message blocked by DLP policy%s%s", text[0] ? ": " : "",
		    text);
		if (smfi_setreply(ctx, "550", "5.7.1", reply) != MI_SUCCESS)
			smfi_setreply(ctx, "550", "5.7.1",
			    "Message blocked by DLP policy");
		ret = SMFIS_REJECT;
	} else {
		dlp_reply_text(out.reason, text, sizeof(text), false);
		if (smfi_addheader(ctx, "X-DLP-Verdict", "hold") !=
		        MI_SUCCESS ||
		    (text[0] && smfi_addheader(ctx, "X-DLP-Reason", text) !=
		                    MI_SUCCESS) ||
		    (out.rules && smfi_addheader(ctx, "X-DLP-Rules",
		                      out.rules) != MI_SUCCESS)) {
			ret = fail_action(ctx, DLP_DFAIL_TEMPFAIL,
			    "DLP: cannot mark the message");
		} else {
			dlp_reply_text(out.reason, text, sizeof(text), true);
			snprintf(reply, sizeof(reply), "DLP: %s",
			    text[0] ? text : "held for review");
			ret = smfi_quarantine(ctx, reply) == MI_SUCCESS
			          ? SMFIS_ACCEPT
			          : fail_action(ctx, DLP_DFAIL_TEMPFAIL,
			                "DLP: cannot hold");
		}
	}
	dlp_scan_out_fini(&out);
out:
	dlp_msess_reset(m);
	return ret;
}

static sfsistat
x_abort(SMFICTX *ctx)
{
	struct dlp_msess *m = sess(ctx);

	if (m != NULL)
		dlp_msess_reset(m);
	return SMFIS_CONTINUE;
}

static sfsistat
x_close(SMFICTX *ctx)
{
	struct dlp_msess *m = sess(ctx);

	if (m != NULL) { /* may be NULL: close can be the only call */
		dlp_msess_fini(m);
		free(m);
		smfi_setpriv(ctx, NULL);
	}
	return SMFIS_CONTINUE;
}

static struct smfiDesc desc = {
    .xxfi_name = "dlpd",
    .xxfi_version = SMFI_VERSION,
    .xxfi_flags = SMFIF_ADDHDRS | SMFIF_QUARANTINE,
    .xxfi_connect = x_connect,
    .xxfi_envfrom = x_envfrom,
    .xxfi_envrcpt = x_envrcpt,
    .xxfi_header = x_header,
    .xxfi_eoh = x_eoh,
    .xxfi_body = x_body,
    .xxfi_eom = x_eom,
    .xxfi_abort = x_abort,
    .xxfi_close = x_close,
};

int
dlp_milter_setup(
    struct dlp_svc *s, const struct dlp_dconf *c, char *err, size_t errlen)
{
	const char *path = NULL;
	mode_t old;

	msvc = s;
	if (smfi_setconn((char *)c->milter_socket) != MI_SUCCESS ||
	    smfi_settimeout((int)c->milter_timeout) != MI_SUCCESS ||
	    smfi_setbacklog(128) != MI_SUCCESS ||
	    smfi_register(desc) != MI_SUCCESS) {
		snprintf(
		    err, errlen, "libmilter rejected %s", c->milter_socket);
		return -1;
	}
	old = umask(0177);
	if (smfi_opensocket(true) != MI_SUCCESS) {
		umask(old);
		snprintf(err, errlen, "cannot open the milter socket %s",
		    c->milter_socket);
		return -1;
	}
	umask(old);
	if (strncmp(c->milter_socket, "unix:", 5) == 0)
		path = c->milter_socket + 5;
	else if (strncmp(c->milter_socket, "local:", 6) == 0)
		path = c->milter_socket + 6;
	if (path != NULL && chmod(path, c->socket_mode) != 0) {
		snprintf(err, errlen, "chmod %s failed", path);
		return -1;
	}
	return 0;
}

/* Owner of the unix milter socket (called as root, before the drop). */
int
dlp_milter_chown(const struct dlp_dconf *c, unsigned uid, unsigned gid)
{
	const char *path = NULL;

	if (strncmp(c->milter_socket, "unix:", 5) == 0)
		path = c->milter_socket + 5;
	else if (strncmp(c->milter_socket, "local:", 6) == 0)
		path = c->milter_socket + 6;
	if (path == NULL || geteuid() != 0)
		return 0;
	return chown(path, uid, gid);
}

int
dlp_milter_run(void)
{
	return smfi_main() == MI_SUCCESS ? 0 : -1;
}
