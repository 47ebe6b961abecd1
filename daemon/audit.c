/*
 * audit.c - the audit log: one JSON object per line per decision, with
 * time, frontend, queue id, request id, client, the peer process of a
 * unix socket (uid, gid, pid from SO_PEERCRED), sender, recipients,
 * verdict, level, rule ids with their levels and places, the signature
 * set and the duration. It never holds message content, excerpts or
 * matched data. Lines are written with one write(2) on an O_APPEND file,
 * so lines from different threads never interleave.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dlpd.h"

struct dlp_audit {
	char *path;
	pthread_mutex_t lock; /* guards fd across reopen */
	int fd;
};

static int
open_log(const char *path)
{
	return open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
}

int
dlp_audit_open(const char *path, struct dlp_audit **out)
{
	struct dlp_audit *a;

	*out = NULL;
	if (path == NULL || path[0] == '\0')
		return 0;
	if ((a = calloc(1, sizeof(*a))) == NULL)
		return -1;
	if ((a->path = strdup(path)) == NULL || (a->fd = open_log(path)) < 0) {
		free(a->path);
		free(a);
		return -1;
	}
	pthread_mutex_init(&a->lock, NULL);
	*out = a;
	return 0;
}

int
dlp_audit_reopen(struct dlp_audit *a)
{
	int fd;

	if (a == NULL)
		return 0;
	if ((fd = open_log(a->path)) < 0)
		return -1; /* keep writing to the old file */
	pthread_mutex_lock(&a->lock);
	close(a->fd);
	a->fd = fd;
	pthread_mutex_unlock(&a->lock);
	return 0;
}

void
dlp_audit_close(struct dlp_audit *a)
{
	if (a == NULL)
		return;
	close(a->fd);
	pthread_mutex_destroy(&a->lock);
	free(a->path);
	free(a);
}

static void
field(struct dlp_sb *b, const char *name, const char *v)
{
	if (v == NULL || v[0] == '\0')
		return;
	dlp_sb_printf(b, ",\"%s\":", name);
	dlp_sb_json_str(b, v);
}

void
dlp_audit_format(const struct dlp_audit_rec *r, time_t when, struct dlp_sb *out)
{
	char ts[32];
	struct tm tm;
	size_t i;

	gmtime_r(&when, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	dlp_sb_printf(out, "{\"time\":\"%s\"", ts);
	field(out, "frontend", r->frontend);
	field(out, "request_id", r->request_id);
	field(out, "queue_id", r->queue_id);
	field(out, "client_ip", r->client_ip);
	field(out, "auth_user", r->auth_user);
	if (r->peer.known)
		dlp_sb_printf(out,
		    ",\"peer\":{\"uid\":%u,\"gid\":%u,\"pid\":%ld}",
		    r->peer.uid, r->peer.gid, r->peer.pid);
	dlp_sb_puts(out, ",\"sender\":");
	dlp_sb_json_str(out, r->mail_from);
	dlp_sb_puts(out, ",\"recipients\":[");
	for (i = 0; i < r->nrcpts; i++) {
		if (i > 0)
			dlp_sb_puts(out, ",");
		dlp_sb_json_str(out, r->rcpts[i]);
	}
	dlp_sb_puts(out, "],\"verdict\":");
	dlp_sb_json_str(out, r->verdict);
	dlp_sb_printf(out, ",\"level\":%u", r->level);
	field(out, "reason", r->reason);
	dlp_sb_puts(out, ",\"rules\":[");
	for (i = 0; i < r->nrules; i++) {
		dlp_sb_puts(out, i > 0 ? ",{\"rule\":" : "{\"rule\":");
		dlp_sb_json_str(out, r->rules[i].rule);
		dlp_sb_printf(
		    out, ",\"level\":%u,\"where\":", r->rules[i].level);
		dlp_sb_json_str(out, r->rules[i].where);
		dlp_sb_printf(out, ",\"count\":%zu}", r->rules[i].count);
	}
	dlp_sb_puts(out, "]");
	field(out, "signature_id", r->signature_id);
	dlp_sb_printf(out, ",\"duration_ms\":%lu}\n", r->duration_ms);
}

void
dlp_audit_write(struct dlp_audit *a, const struct dlp_audit_rec *r)
{
	struct dlp_sb b;
	size_t off = 0;
	ssize_t n;

	if (a == NULL)
		return;
	dlp_sb_init(&b);
	dlp_audit_format(r, time(NULL), &b);
	if (b.oom) {
		dlp_log(DLP_LOG_ERR, "audit: out of memory, record lost");
		goto out;
	}
	pthread_mutex_lock(&a->lock);
	while (off < b.len) {
		n = write(a->fd, b.p + off, b.len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			dlp_log(DLP_LOG_ERR, "audit: write %s: %s", a->path,
			    strerror(errno));
			break;
		}
		off += (size_t)n;
	}
	pthread_mutex_unlock(&a->lock);
out:
	dlp_sb_fini(&b);
}
