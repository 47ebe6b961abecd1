/*
 * service.c - the engine holder and the scan service shared by both
 * frontends.
 *
 * The engine is immutable and shared. The current one sits behind a
 * reference-counted holder (struct dlp_eref): a reload builds a new
 * engine without any lock held, then swaps the pointer; scans already
 * running keep their reference and finish on the old engine, which is
 * freed when its last reference goes. A reload that fails leaves the old
 * engine serving.
 *
 * Scans run only on pool workers. Each worker keeps one struct dlp_scan
 * for the engine generation it last used and rebuilds it when the
 * generation changes. A job owns copies of everything it reads (the
 * message itself is handed over when the frontend can give it up), so a
 * frontend that stops waiting (deadline) cannot leave it dangling.
 *
 * Fail closed: any scan that does not produce a verdict is reported as
 * DLP_SCAN_ERROR or DLP_SCAN_TIMEOUT, which the frontends turn into hold
 * (milter) or HTTP 500 (documented: the gateway holds).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "datadir.h"
#include "dlpd.h"

struct wlocal {
	struct dlp_eref *ref;
	struct dlp_scan *scan;
};

struct sjob {
	struct dlp_svc *svc;
	char *msg;
	size_t len;
	char *mail_from, *queue_id, *client_ip, *auth_user, *request_id;
	char **rcpts;
	size_t nrcpts;
	enum dlp_frontend frontend;
	struct dlp_peer peer;
	uint64_t start_ms;
	enum dlp_scan_rc rc;
	struct dlp_scan_out out;
};

static char *
dup_or_null(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

static void
sjob_free(void *vp)
{
	struct sjob *j = vp;
	size_t i;

	if (j == NULL)
		return;
	free(j->msg);
	free(j->mail_from);
	free(j->queue_id);
	free(j->client_ip);
	free(j->auth_user);
	free(j->request_id);
	for (i = 0; i < j->nrcpts; i++)
		free(j->rcpts[i]);
	free(j->rcpts);
	dlp_scan_out_fini(&j->out);
	free(j);
}

void
dlp_scan_out_fini(struct dlp_scan_out *o)
{
	free(o->json);
	free(o->reason);
	free(o->rules);
	free(o->error);
	memset(o, 0, sizeof(*o));
}

int
dlp_svc_build_engine(const struct dlp_dconf *conf, struct dlp_engine **out,
    char *err, size_t errlen)
{
	struct dlp_config *cfg = NULL;
	struct dlp_error e;
	char *dir = NULL;
	enum dlp_status st;
	int rc = -1;

	*out = NULL;
	memset(&e, 0, sizeof(e));
	if (dlp_config_new(&cfg) != DLP_OK) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	dir = strdup(conf->data_dir[0] != '\0' ? conf->data_dir
	                                       : dlp_cli_data_dir(NULL));
	if (dir == NULL || dlp_config_set_data_dir(cfg, dir) != DLP_OK) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (conf->cache_dir[0] != '\0' &&
	    dlp_config_set_cache_dir(cfg, conf->cache_dir) != DLP_OK) {
		snprintf(err, errlen, "cache_dir %s: out of memory",
		    conf->cache_dir);
		goto out;
	}
	if (conf->engine_config[0] != '\0' &&
	    dlp_dconf_file_safe(conf->engine_config, err, errlen) != 0)
		goto out;
	if (conf->engine_config[0] != '\0' &&
	    (st = dlp_config_load(cfg, conf->engine_config, &e)) != DLP_OK) {
		snprintf(err, errlen, "%s:%u: %s",
		    e.file[0] ? e.file : conf->engine_config, e.line,
		    e.message[0] ? e.message : dlp_strerror(st));
		goto out;
	}
	if ((st = dlp_engine_new(cfg, out, &e)) != DLP_OK) {
		if (e.file[0] != '\0')
			snprintf(err, errlen, "%s:%u: %s", e.file, e.line,
			    e.message[0] ? e.message : dlp_strerror(st));
		else
			snprintf(err, errlen, "data %s: %s", dir,
			    e.message[0] ? e.message : dlp_strerror(st));
		*out = NULL;
		goto out;
	}
	rc = 0;
out:
	free(dir);
	dlp_config_free(cfg);
	return rc;
}

static struct dlp_eref *
eref_new(struct dlp_engine *eng, unsigned long generation)
{
	struct dlp_eref *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	r->eng = eng;
	r->generation = generation;
	atomic_init(&r->refs, 1);
	return r;
}

struct dlp_eref *
dlp_svc_acquire(struct dlp_svc *s)
{
	struct dlp_eref *r;

	pthread_mutex_lock(&s->lock);
	r = s->cur;
	if (r != NULL)
		atomic_fetch_add(&r->refs, 1);
	pthread_mutex_unlock(&s->lock);
	return r;
}

void
dlp_svc_release(struct dlp_eref *r)
{
	if (r == NULL)
		return;
	if (atomic_fetch_sub(&r->refs, 1) == 1) {
		dlp_engine_free(r->eng);
		free(r);
	}
}

static void
wlocal_free(void *vp)
{
	struct wlocal *w = vp;

	if (w == NULL)
		return;
	dlp_scan_free(w->scan);
	dlp_svc_release(w->ref);
	free(w);
}

int
dlp_svc_init(struct dlp_svc *s, const struct dlp_dconf *conf,
    struct dlp_audit *audit, char *err, size_t errlen)
{
	struct dlp_engine *eng = NULL;

	memset(s, 0, sizeof(*s));
	s->conf = conf;
	s->audit = audit;
	pthread_mutex_init(&s->lock, NULL);
	if (dlp_svc_build_engine(conf, &eng, err, errlen) != 0)
		return -1;
	if ((s->cur = eref_new(eng, 1)) == NULL) {
		dlp_engine_free(eng);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	s->pool = dlp_pool_new(conf->workers, conf->queue_size, wlocal_free);
	if (s->pool == NULL) {
		snprintf(err, errlen, "cannot start %u workers", conf->workers);
		return -1;
	}
	return 0;
}

void
dlp_svc_fini(struct dlp_svc *s)
{
	dlp_pool_free(s->pool); /* workers drop their references */
	s->pool = NULL;
	dlp_svc_release(s->cur);
	s->cur = NULL;
	pthread_mutex_destroy(&s->lock);
}

int
dlp_svc_reload(struct dlp_svc *s)
{
	struct dlp_engine *eng = NULL;
	struct dlp_eref *r, *old;
	char err[768];

	pthread_mutex_lock(&s->lock);
	if (s->reloading) {
		pthread_mutex_unlock(&s->lock);
		dlp_log(DLP_LOG_WARN, "reload already in progress");
		return -1;
	}
	s->reloading = true;
	pthread_mutex_unlock(&s->lock);

	if (dlp_svc_build_engine(s->conf, &eng, err, sizeof(err)) != 0 ||
	    (r = eref_new(eng, 0)) == NULL) {
		dlp_engine_free(eng);
		atomic_fetch_add(&s->metrics.errors[DLP_EK_RELOAD], 1);
		dlp_log(DLP_LOG_ERR,
		    "reload rejected, old set keeps serving: "
		    "%s",
		    eng == NULL ? err : "out of memory");
		pthread_mutex_lock(&s->lock);
		s->reloading = false;
		pthread_mutex_unlock(&s->lock);
		return -1;
	}
	pthread_mutex_lock(&s->lock);
	old = s->cur;
	r->generation = old->generation + 1;
	s->cur = r;
	s->reloading = false;
	pthread_mutex_unlock(&s->lock);
	atomic_fetch_add(&s->metrics.reloads, 1);
	dlp_log(DLP_LOG_INFO,
	    "reloaded: generation %lu, signatures %s, %zu "
	    "rules",
	    r->generation, dlp_engine_signature_id(eng),
	    dlp_engine_nrules(eng));
	dlp_svc_release(old);
	return 0;
}

/* Comma-separated rule ids of the result, each once. */
static char *
rule_list(const struct dlp_result *res)
{
	const struct dlp_finding *f, *g;
	struct dlp_sb b;
	size_t i, k, n = dlp_result_nfindings(res);

	dlp_sb_init(&b);
	for (i = 0; i < n; i++) {
		if ((f = dlp_result_finding(res, i)) == NULL)
			continue;
		for (k = 0; k < i; k++)
			if ((g = dlp_result_finding(res, k)) != NULL &&
			    strcmp(g->rule, f->rule) == 0)
				break;
		if (k < i)
			continue;
		if (b.len > 0)
			dlp_sb_puts(&b, ",");
		dlp_sb_puts(&b, f->rule);
	}
	return b.len > 0 ? dlp_sb_take(&b, NULL) : (dlp_sb_fini(&b), NULL);
}

static void
audit_result(struct sjob *j, const struct dlp_result *res, const char *sigid)
{
	struct dlp_audit_rule rules[64];
	const struct dlp_finding *f;
	struct dlp_audit_rec r;
	size_t i, n = dlp_result_nfindings(res);

	memset(&r, 0, sizeof(r));
	if (n > DLPD_NITEMS(rules))
		n = DLPD_NITEMS(rules);
	for (i = 0; i < n; i++) {
		f = dlp_result_finding(res, i);
		rules[i].rule = f ? f->rule : "";
		rules[i].level = f ? f->level : 0;
		rules[i].where = f ? f->where : "";
		rules[i].count = f ? f->count : 0;
	}
	r.frontend = j->frontend == DLP_FE_HTTP ? "http" : "milter";
	r.request_id = j->request_id;
	r.queue_id = j->queue_id;
	r.client_ip = j->client_ip;
	r.auth_user = j->auth_user;
	r.peer = j->peer;
	r.mail_from = j->mail_from;
	r.rcpts = (const char *const *)j->rcpts;
	r.nrcpts = j->nrcpts;
	r.verdict = dlp_verdict_name(dlp_result_verdict(res));
	r.level = dlp_result_level(res);
	r.reason =
	    dlp_result_nreasons(res) > 0 ? dlp_result_reason(res, 0) : NULL;
	r.rules = rules;
	r.nrules = n;
	r.signature_id = sigid;
	r.duration_ms = (unsigned long)(dlp_now_ms() - j->start_ms);
	dlp_audit_write(j->svc->audit, &r);
}

static void
run_scan(void **localp, void *vp)
{
	struct sjob *j = vp;
	struct wlocal *w = *localp;
	struct dlp_result *res = NULL;
	struct dlp_envelope env;
	struct dlp_eref *ref;
	enum dlp_status st;
	const char *why;

	j->rc = DLP_SCAN_ERROR;
	if (w == NULL && (w = *localp = calloc(1, sizeof(*w))) == NULL) {
		j->out.error = strdup("out of memory");
		return;
	}
	if ((ref = dlp_svc_acquire(j->svc)) == NULL) {
		j->out.error = strdup("no engine");
		return;
	}
	if (w->ref != ref || w->scan == NULL) {
		dlp_scan_free(w->scan);
		w->scan = NULL;
		dlp_svc_release(w->ref);
		w->ref = ref;
		ref = NULL;
		if ((st = dlp_scan_new(w->ref->eng, &w->scan)) != DLP_OK) {
			j->out.error = strdup(dlp_strerror(st));
			return;
		}
	} else {
		dlp_svc_release(ref); /* w->ref already holds one */
	}
	if (j->svc->conf->scan_delay_ms > 0) {
		struct timespec ts = {j->svc->conf->scan_delay_ms / 1000,
		    (long)(j->svc->conf->scan_delay_ms % 1000) * 1000000L};

		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
	}
	memset(&env, 0, sizeof(env));
	env.mail_from = j->mail_from;
	env.rcpts = (const char *const *)j->rcpts;
	env.nrcpts = j->nrcpts;
	env.queue_id = j->queue_id;
	st = dlp_scan_message(w->scan, j->msg, j->len, &env, &res);
	if (st != DLP_OK) {
		why = dlp_scan_errmsg(w->scan);
		j->out.error = strdup(why && why[0] ? why : dlp_strerror(st));
		dlp_log(DLP_LOG_ERR, "scan %s failed: %s",
		    j->request_id ? j->request_id : "-",
		    j->out.error ? j->out.error : dlp_strerror(st));
		return;
	}
	j->out.verdict = dlp_result_verdict(res);
	j->out.level = dlp_result_level(res);
	j->out.generation = w->ref->generation;
	if (dlp_result_nreasons(res) > 0)
		j->out.reason = dup_or_null(dlp_result_reason(res, 0));
	j->out.rules = rule_list(res);
	{
		char *json = NULL;

		if (dlp_result_to_json(res, NULL, &json, NULL) == DLP_OK &&
		    json != NULL)
			j->out.json = strdup(json);
		dlp_result_free_json(res, json);
	}
	if (j->out.json == NULL ||
	    (j->out.verdict != DLP_ALLOW && j->out.verdict != DLP_HOLD &&
	        j->out.verdict != DLP_BLOCK)) {
		j->out.error = strdup("cannot render the result");
		goto out;
	}
	atomic_fetch_add(&j->svc->metrics.bytes, (unsigned long)j->len);
	audit_result(j, res, dlp_engine_signature_id(w->ref->eng));
	j->rc = DLP_SCAN_OK;
out:
	dlp_result_free(res);
}

void
dlp_svc_audit_failure(struct dlp_svc *s, const struct dlp_scan_req *rq,
    const char *why, uint64_t start)
{
	struct dlp_audit_rec r;

	memset(&r, 0, sizeof(r));
	r.frontend = rq->frontend == DLP_FE_HTTP ? "http" : "milter";
	r.request_id = rq->request_id;
	r.queue_id = rq->queue_id;
	r.client_ip = rq->client_ip;
	r.auth_user = rq->auth_user;
	r.peer = rq->peer;
	r.mail_from = rq->mail_from;
	r.rcpts = rq->rcpts;
	r.nrcpts = rq->nrcpts;
	r.verdict = "none";
	r.reason = why;
	r.duration_ms = (unsigned long)(dlp_now_ms() - start);
	dlp_audit_write(s->audit, &r);
}

enum dlp_scan_rc
dlp_svc_scan(
    struct dlp_svc *s, const struct dlp_scan_req *rq, struct dlp_scan_out *out)
{
	uint64_t start = dlp_now_ms();
	enum dlp_pool_rc prc;
	enum dlp_scan_rc rc;
	struct sjob *j;
	size_t i;

	memset(out, 0, sizeof(*out));
	if ((j = calloc(1, sizeof(*j))) == NULL) {
		free(rq->msg_owned);
		goto oom;
	}
	j->svc = s;
	j->frontend = rq->frontend;
	j->peer = rq->peer;
	j->start_ms = start;
	j->len = rq->len;
	if (rq->msg_owned != NULL) {
		j->msg = rq->msg_owned; /* taken over: no copy */
	} else {
		if ((j->msg = malloc(rq->len ? rq->len : 1)) == NULL)
			goto oom;
		if (rq->len > 0)
			memcpy(j->msg, rq->msg, rq->len);
	}
	j->mail_from = dup_or_null(rq->mail_from);
	j->queue_id = dup_or_null(rq->queue_id);
	j->client_ip = dup_or_null(rq->client_ip);
	j->auth_user = dup_or_null(rq->auth_user);
	j->request_id = dup_or_null(rq->request_id);
	if (rq->nrcpts > 0 &&
	    (j->rcpts = calloc(rq->nrcpts, sizeof(*j->rcpts))) == NULL)
		goto oom;
	for (i = 0; i < rq->nrcpts; i++) {
		if ((j->rcpts[i] = strdup(rq->rcpts[i])) == NULL)
			goto oom;
		j->nrcpts++;
	}
	if ((rq->mail_from && !j->mail_from) ||
	    (rq->queue_id && !j->queue_id) ||
	    (rq->client_ip && !j->client_ip) ||
	    (rq->auth_user && !j->auth_user) ||
	    (rq->request_id && !j->request_id))
		goto oom;

	atomic_fetch_add(&s->metrics.inflight, 1);
	prc = dlp_pool_run(
	    s->pool, run_scan, j, sjob_free, s->conf->scan_timeout * 1000u);
	atomic_fetch_sub(&s->metrics.inflight, 1);
	switch (prc) {
	case DLP_POOL_FULL:
		sjob_free(j);
		atomic_fetch_add(&s->metrics.rejected[DLP_RJ_OVERLOAD], 1);
		atomic_fetch_add(&s->metrics.scans[rq->frontend][0], 1);
		out->error = strdup("overloaded");
		dlp_svc_audit_failure(s, rq, "overloaded", start);
		return DLP_SCAN_OVERLOAD;
	case DLP_POOL_TIMEOUT: /* j now belongs to the pool */
		atomic_fetch_add(&s->metrics.errors[DLP_EK_TIMEOUT], 1);
		out->error = strdup("scan deadline passed");
		dlp_svc_audit_failure(s, rq, "scan deadline passed", start);
		dlp_log(DLP_LOG_ERR, "scan %s: deadline of %us passed",
		    rq->request_id ? rq->request_id : "-",
		    s->conf->scan_timeout);
		return DLP_SCAN_TIMEOUT;
	case DLP_POOL_DONE:
		break;
	}
	rc = j->rc;
	*out = j->out;
	memset(&j->out, 0, sizeof(j->out));
	sjob_free(j);
	dlp_metrics_latency(&s->metrics, (dlp_now_ms() - start) * 1000u);
	if (rc == DLP_SCAN_OK) {
		atomic_fetch_add(
		    &s->metrics.scans[rq->frontend][out->verdict], 1);
	} else {
		atomic_fetch_add(&s->metrics.errors[DLP_EK_SCAN], 1);
		dlp_svc_audit_failure(
		    s, rq, out->error ? out->error : "scan failed", start);
	}
	return rc;
oom:
	sjob_free(j);
	atomic_fetch_add(&s->metrics.errors[DLP_EK_INTERNAL], 1);
	out->error = strdup("out of memory");
	return DLP_SCAN_ERROR;
}
