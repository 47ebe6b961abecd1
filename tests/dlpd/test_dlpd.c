/*
 * test_dlpd.c - unit tests of dlpd's own parts, without sockets: the
 * config parser, the worker pool (saturation, deadline, abandoned jobs),
 * the audit line, the HTTP envelope headers and reply JSON, the milter
 * session buffer and the reply-text sanitiser.
 */
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#include "dlpd.h"
#include "test.h"

static const struct {
	const char *name, *text;
	int ok;
	const char *key; /* a field to look at when ok */
	long long want;
} conf_cases[] = {
    {"empty", "", 1, "workers", 4},
    {"comment and blank", "# c\n\n   # d\n", 1, "workers", 4},
    {"workers", "workers = 8\n", 1, "workers", 8},
    {"spaces and CRLF", "  workers=3 \r\n", 1, "workers", 3},
    {"size suffix", "max_message_bytes = 2M\n", 1, "max_message_bytes",
        2 * 1024 * 1024},
    {"octal mode", "socket_mode = 0600\n", 1, "socket_mode", 0600},
    {"bool yes", "allow_remote = yes\n", 1, "allow_remote", 1},
    {"fail tempfail", "on_error = tempfail\n", 1, "on_error",
        DLP_DFAIL_TEMPFAIL},
    {"syslog", "log = syslog\n", 1, "log", 1},
    {"unknown key", "wrokers = 8\n", 0, NULL, 0},
    {"no equals", "workers 8\n", 0, NULL, 0},
    {"zero workers", "workers = 0\n", 0, NULL, 0},
    {"too many workers", "workers = 100000\n", 0, NULL, 0},
    {"negative", "queue_size = -1\n", 0, NULL, 0},
    {"trailing junk", "workers = 8x\n", 0, NULL, 0},
    {"bad bool", "allow_remote = maybe\n", 0, NULL, 0},
    {"bad fail", "on_error = allow\n", 0, NULL, 0},
    {"bad mode digit", "socket_mode = 0680\n", 0, NULL, 0},
    {"size overflow", "max_message_bytes = 99999999999G\n", 0, NULL, 0},
};

static long long
conf_field(const struct dlp_dconf *c, const char *key)
{
	if (strcmp(key, "workers") == 0)
		return c->workers;
	if (strcmp(key, "max_message_bytes") == 0)
		return (long long)c->max_message_bytes;
	if (strcmp(key, "socket_mode") == 0)
		return c->socket_mode;
	if (strcmp(key, "allow_remote") == 0)
		return c->allow_remote;
	if (strcmp(key, "on_error") == 0)
		return c->on_error;
	if (strcmp(key, "log") == 0)
		return c->log_syslog;
	return -1;
}

TEST(config_parse)
{
	for (size_t i = 0; i < DLPD_NITEMS(conf_cases); i++) {
		struct dlp_dconf c;
		char err[256] = "";
		int rc;

		CHECK_INT(dlp_dconf_init(&c), 0);
		rc = dlp_dconf_parse(&c, "t.conf", conf_cases[i].text,
		    strlen(conf_cases[i].text), err, sizeof(err));
		CHECK_MSG((rc == 0) == conf_cases[i].ok, "%s: rc %d (%s)",
		    conf_cases[i].name, rc, err);
		if (rc == 0 && conf_cases[i].key != NULL)
			CHECK_MSG(conf_field(&c, conf_cases[i].key) ==
			              conf_cases[i].want,
			    "%s: %s = %lld", conf_cases[i].name,
			    conf_cases[i].key,
			    conf_field(&c, conf_cases[i].key));
		if (rc != 0)
			CHECK_MSG(strncmp(err, "t.conf:", 7) == 0,
			    "%s: error does not name the file: %s",
			    conf_cases[i].name, err);
		dlp_dconf_fini(&c);
	}
}

static const struct {
	const char *name, *text;
	int ok;
} check_cases[] = {
    {"defaults", "", 1},
    {"loopback tcp", "http_tcp = 127.0.0.1:8642\n", 1},
    {"v6 loopback", "http_tcp = [::1]:8642\n", 1},
    {"remote without opt-in", "http_tcp = 0.0.0.0:8642\n", 0},
    {"remote without token", "http_tcp = 192.0.2.1:8642\nallow_remote = yes\n",
        0},
    {"remote with token",
        "http_tcp = 192.0.2.1:8642\nallow_remote = yes\n"
        "http_token_file = /etc/dlpscan/token\n",
        1},
    {"bad port", "http_tcp = 127.0.0.1:99999\n", 0},
    {"no port", "http_tcp = 127.0.0.1\n", 0},
    {"milter inet loopback", "milter_socket = inet:8891@127.0.0.1\n", 1},
    {"milter inet any", "milter_socket = inet:8891\n", 0},
    {"milter bad scheme", "milter_socket = /run/x.sock\n", 0},
    {"relative http socket", "http_socket = scan.sock\n", 0},
    {"no listener", "http_socket =\nmilter_socket =\n", 0},
};

TEST(config_check)
{
	for (size_t i = 0; i < DLPD_NITEMS(check_cases); i++) {
		struct dlp_dconf c;
		char err[256] = "";
		int rc;

		CHECK_INT(dlp_dconf_init(&c), 0);
		rc = dlp_dconf_parse(&c, "t.conf", check_cases[i].text,
		    strlen(check_cases[i].text), err, sizeof(err));
		CHECK_MSG(rc == 0, "%s: parse: %s", check_cases[i].name, err);
		rc = dlp_dconf_check(&c, err, sizeof(err));
		CHECK_MSG((rc == 0) == check_cases[i].ok, "%s: check %d (%s)",
		    check_cases[i].name, rc, err);
		dlp_dconf_fini(&c);
	}
}

/* ---- pool ---- */

struct pjob {
	atomic_int *running;
	atomic_int *freed;
	unsigned sleep_ms;
	int ran;
};

static void
pjob_run(void **local, void *vp)
{
	struct pjob *j = vp;
	struct timespec ts = {
	    j->sleep_ms / 1000, (long)(j->sleep_ms % 1000) * 1000000L};

	if (*local == NULL)
		*local = malloc(1); /* per-worker slot, freed by fini */
	atomic_fetch_add(j->running, 1);
	nanosleep(&ts, NULL);
	j->ran = 1;
	atomic_fetch_sub(j->running, 1);
}

static void
pjob_free(void *vp)
{
	struct pjob *j = vp;

	atomic_fetch_add(j->freed, 1);
	free(j);
}

struct waiter {
	struct dlp_pool *pool;
	struct pjob *job;
	enum dlp_pool_rc rc;
	unsigned timeout;
};

static void *
waiter_main(void *vp)
{
	struct waiter *w = vp;

	w->rc = dlp_pool_run(w->pool, pjob_run, w->job, pjob_free, w->timeout);
	return NULL;
}

TEST(pool_runs_and_rejects_when_full)
{
	atomic_int running = 0, freed = 0;
	struct dlp_pool *p = dlp_pool_new(1, 1, free);
	struct waiter w[2];
	pthread_t t[2];
	struct pjob quick = {&running, &freed, 0, 0};

	CHECK(p != NULL);
	CHECK_INT(dlp_pool_run(p, pjob_run, &quick, NULL, 1000), DLP_POOL_DONE);
	CHECK_INT(quick.ran, 1);
	/* One running and one queued fill a pool of 1 worker + 1 slot. */
	for (int i = 0; i < 2; i++) {
		w[i].pool = p;
		w[i].timeout = 5000;
		w[i].job = calloc(1, sizeof(struct pjob));
		w[i].job->running = &running;
		w[i].job->freed = &freed;
		w[i].job->sleep_ms = 400;
		pthread_create(&t[i], NULL, waiter_main, &w[i]);
	}
	for (int i = 0; i < 100 && dlp_pool_busy(p) < 2; i++)
		usleep(10000);
	CHECK_INT(dlp_pool_busy(p), 2);
	CHECK(dlp_pool_full(p));
	quick.ran = 0;
	CHECK_INT(dlp_pool_run(p, pjob_run, &quick, NULL, 1000), DLP_POOL_FULL);
	CHECK_INT(quick.ran, 0);
	for (int i = 0; i < 2; i++) {
		pthread_join(t[i], NULL);
		CHECK_INT(w[i].rc, DLP_POOL_DONE);
		CHECK_INT(w[i].job->ran, 1);
		free(w[i].job);
	}
	CHECK_INT(freed, 0); /* nobody gave up: the callers free */
	CHECK_INT(dlp_pool_busy(p), 0);
	dlp_pool_free(p);
}

TEST(pool_deadline_leaves_job_owning_its_arg)
{
	atomic_int running = 0, freed = 0;
	struct dlp_pool *p = dlp_pool_new(1, 4, free);
	struct pjob *slow = calloc(1, sizeof(*slow));
	struct pjob *queued = calloc(1, sizeof(*queued));
	struct waiter w = {p, NULL, DLP_POOL_DONE, 0};
	pthread_t t;

	slow->running = queued->running = &running;
	slow->freed = queued->freed = &freed;
	slow->sleep_ms = 600;
	/* Running job: the deadline passes, the job frees its arg later. */
	CHECK_INT(
	    dlp_pool_run(p, pjob_run, slow, pjob_free, 100), DLP_POOL_TIMEOUT);
	CHECK_INT(freed, 0);
	/* Queued behind it: taken off the queue and freed at once. */
	w.job = queued;
	w.timeout = 100;
	pthread_create(&t, NULL, waiter_main, &w);
	pthread_join(t, NULL);
	CHECK_INT(w.rc, DLP_POOL_TIMEOUT);
	CHECK_INT(freed, 1);
	dlp_pool_free(p); /* waits for the slow job */
	CHECK_INT(freed, 2);
	CHECK_INT(running, 0);
}

/* ---- audit ---- */

TEST(audit_line)
{
	const char *rcpts[] = {"<bob@example.org>", "<c\"d@x.example>"};
	struct dlp_audit_rule rules[] = {{"us-banner", 4, "subject", 2}};
	struct dlp_audit_rec r;
	struct dlp_sb b;

	memset(&r, 0, sizeof(r));
	r.frontend = "milter";
	r.queue_id = "75E31A7605C";
	r.mail_from = "<alice@corp.example>";
	r.rcpts = rcpts;
	r.nrcpts = 2;
	r.verdict = "block";
	r.level = 4;
	r.reason = "line1\nline2";
	r.rules = rules;
	r.nrules = 1;
	r.duration_ms = 7;
	dlp_sb_init(&b);
	dlp_audit_format(&r, (time_t)1764579600, &b);
	CHECK(!b.oom);
	CHECK_STR(b.p,
	    "{\"time\":\"2025-12-01T09:00:00Z\",\"frontend\":\"milter\","
	    "\"queue_id\":\"75E31A7605C\",\"sender\":\"<alice@corp.example>\","
	    "\"recipients\":[\"<bob@example.org>\",\"<c\\\"d@x.example>\"],"
	    "\"verdict\":\"block\",\"level\":4,\"reason\":\"line1\\nline2\","
	    "\"rules\":[{\"rule\":\"us-banner\",\"level\":4,\"where\":"
	    "\"subject\",\"count\":2}],\"duration_ms\":7}\n");
	/* Exactly one line: nothing a client sends can split it. */
	CHECK(strchr(b.p, '\n') == b.p + b.len - 1);
	dlp_sb_fini(&b);
}

TEST(audit_line_peer)
{
	static const struct {
		struct dlp_peer peer;
		const char *want; /* what follows "frontend":"http" */
	} cases[] = {
	    {{false, 0, 0, 0}, ",\"sender\":\"\","},
	    {{true, 0, 0, 1}, ",\"peer\":{\"uid\":0,\"gid\":0,\"pid\":1},"
	                      "\"sender\":\"\","},
	    {{true, 4294967295u, 65534, 2147483647L},
	        ",\"peer\":{\"uid\":4294967295,\"gid\":65534,"
	        "\"pid\":2147483647},\"sender\":\"\","},
	};
	struct dlp_audit_rec r;
	struct dlp_sb b;
	const char *p;
	size_t i;

	for (i = 0; i < DLPD_NITEMS(cases); i++) {
		memset(&r, 0, sizeof(r));
		r.frontend = "http";
		r.verdict = "allow";
		r.peer = cases[i].peer;
		dlp_sb_init(&b);
		dlp_audit_format(&r, (time_t)1764579600, &b);
		CHECK(!b.oom);
		p = strstr(b.p, "\"frontend\":\"http\"");
		CHECK(p != NULL);
		if (p != NULL)
			CHECK(strncmp(p + 17, cases[i].want,
			          strlen(cases[i].want)) == 0);
		dlp_sb_fini(&b);
	}
}

/* ---- HTTP envelope headers ---- */

TEST(http_envelope_headers)
{
	static const struct {
		const char *name, *value;
	} hdrs[] = {
	    {"Host", "dlp"},
	    {"dlp-mail-from", "<alice@corp.example>"},
	    {"DLP-Rcpt", "<bob@example.org>"},
	    {"Rcpt", " <carol@other.example> , <dave@other.example>,"},
	    {"Queue-Id", "75E31A7605C"},
	    {"IP", "192.0.2.10"},
	    {"User", "alice"},
	    {"DLP-Request-Id", "req-1"},
	};
	static const char *const want[] = {"<bob@example.org>",
	    "<carol@other.example>", "<dave@other.example>"};
	struct dlp_henv e;

	memset(&e, 0, sizeof(e));
	dlp_sb_init(&e.rcpt_buf);
	e.max_rcpts = 10;
	for (size_t i = 0; i < DLPD_NITEMS(hdrs); i++)
		CHECK(dlp_henv_header(&e, hdrs[i].name, hdrs[i].value));
	CHECK(dlp_henv_finish(&e));
	CHECK(!e.bad);
	CHECK(!e.too_many);
	CHECK_STR(e.mail_from, "<alice@corp.example>");
	CHECK_STR(e.queue_id, "75E31A7605C");
	CHECK_STR(e.client_ip, "192.0.2.10");
	CHECK_STR(e.auth_user, "alice");
	CHECK_STR(e.request_id, "req-1");
	CHECK_INT(e.nrcpts, DLPD_NITEMS(want));
	for (size_t i = 0; i < e.nrcpts && i < DLPD_NITEMS(want); i++)
		CHECK_STR(e.rcpts[i], want[i]);
	dlp_henv_fini(&e);
}

static const struct {
	const char *name, *hname, *value;
	int bad, too_many;
} henv_bad[] = {
    {"control byte", "DLP-Mail-From", "<a\x01@x>", 1, 0},
    {"request id with space", "DLP-Request-Id", "a b", 1, 0},
    {"request id too long", "DLP-Request-Id",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 1,
        0},
    {"too many recipients", "DLP-Rcpt", "<a@x>,<b@x>,<c@x>,<d@x>", 0, 1},
};

TEST(http_envelope_rejects)
{
	for (size_t i = 0; i < DLPD_NITEMS(henv_bad); i++) {
		struct dlp_henv e;

		memset(&e, 0, sizeof(e));
		dlp_sb_init(&e.rcpt_buf);
		e.max_rcpts = 3;
		CHECK(
		    dlp_henv_header(&e, henv_bad[i].hname, henv_bad[i].value));
		CHECK(dlp_henv_finish(&e));
		CHECK_MSG(e.bad == henv_bad[i].bad, "%s", henv_bad[i].name);
		CHECK_MSG(
		    e.too_many == henv_bad[i].too_many, "%s", henv_bad[i].name);
		CHECK(e.nrcpts <= 3);
		dlp_henv_fini(&e);
	}
}

TEST(http_reply_json)
{
	static const struct {
		enum dlp_verdict v;
		const char *in, *want;
	} cases[] = {
	    {DLP_ALLOW, "{\"verdict\":\"allow\"}",
	        "{\"api\":1,\"request_id\":\"r1\",\"action\":\"allow\","
	        "\"verdict\":\"allow\",\"headers_add\":[{\"name\":"
	        "\"X-DLP-Verdict\",\"value\":\"allow\"}]}"},
	    {DLP_BLOCK, "{}",
	        "{\"api\":1,\"request_id\":\"r1\",\"action\":\"block\","
	        "\"smtp_reply\":{\"code\":\"550\",\"enhanced\":\"5.7.1\","
	        "\"text\":\"Message blocked by DLP policy: why?\"},"
	        "\"headers_add\":[{\"name\":\"X-DLP-Verdict\",\"value\":"
	        "\"block\"},{\"name\":\"X-DLP-Reason\",\"value\":\"why?\"},"
	        "{\"name\":\"X-DLP-Rules\",\"value\":\"r-a,r-b\"}]}"},
	    {DLP_HOLD, "not json", NULL},
	};

	for (size_t i = 0; i < DLPD_NITEMS(cases); i++) {
		char *got = dlp_http_reply_json(
		    cases[i].in, "r1", cases[i].v, "why\n", "r-a,r-b");

		if (cases[i].want == NULL)
			CHECK(got == NULL);
		else
			CHECK_STR(got, cases[i].want);
		free(got);
	}
}

/* ---- milter session ---- */

TEST(milter_session_buffer)
{
	static const char want[] = "Subject: hi\r\nTo: <b@x>\r\n\r\nbody\r\n";
	struct dlp_msess m;

	dlp_msess_init(&m, 64, 2, 3);
	CHECK_INT(dlp_msess_from(&m, "<a@x>", "alice"), 0);
	CHECK_INT(dlp_msess_rcpt(&m, "<b@x>"), 0);
	CHECK_INT(dlp_msess_header(&m, "Subject", "hi"), 0);
	CHECK_INT(dlp_msess_header(&m, "To", "<b@x>"), 0);
	CHECK_INT(dlp_msess_eoh(&m), 0);
	CHECK_INT(dlp_msess_body(&m, (const unsigned char *)"body\r\n", 6), 0);
	CHECK_MEM(m.msg.p, m.msg.len, want, sizeof(want) - 1, "message");
	CHECK(!m.oversize && !m.too_many);
	CHECK_STR(m.auth_user, "alice");
	/* A second message on the connection starts clean. */
	CHECK_INT(dlp_msess_from(&m, "<c@x>", NULL), 0);
	CHECK_INT(m.msg.len, 0);
	CHECK_INT(m.nrcpts, 0);
	CHECK(m.auth_user == NULL);
	/* Limits: recipients, headers, bytes. Nothing partial is kept. */
	for (int i = 0; i < 5; i++)
		CHECK_INT(dlp_msess_rcpt(&m, "<r@x>"), 0);
	CHECK_INT(m.nrcpts, 2);
	CHECK(m.too_many);
	CHECK_INT(dlp_msess_from(&m, "<c@x>", NULL), 0);
	for (int i = 0; i < 4; i++)
		CHECK_INT(dlp_msess_header(&m, "X", "y"), 0);
	CHECK(m.too_many);
	CHECK_INT(dlp_msess_from(&m, "<c@x>", NULL), 0);
	for (int i = 0; i < 20; i++)
		CHECK_INT(
		    dlp_msess_body(&m, (const unsigned char *)"0123", 4), 0);
	CHECK(m.oversize);
	CHECK_INT(m.msg.len, 0);
	dlp_msess_fini(&m);
}

TEST(reply_text)
{
	static const struct {
		const char *in;
		int pct;
		size_t outlen;
		const char *want;
	} cases[] = {
	    {"plain", 0, 64, "plain"},
	    {"a\r\nb", 0, 64, "a??b"},
	    {"100% sure", 1, 64, "100%% sure"},
	    {"100% sure", 0, 64, "100% sure"},
	    {"abcdef", 0, 4, "abc"},
	    {"ab%", 1, 4, "ab"},
	    {"caf\xc3\xa9", 0, 64, "caf??"},
	};

	for (size_t i = 0; i < DLPD_NITEMS(cases); i++) {
		char out[64];

		dlp_reply_text(
		    cases[i].in, out, cases[i].outlen, cases[i].pct != 0);
		CHECK_STR(out, cases[i].want);
	}
}

TEST(constant_time_equal)
{
	CHECK(dlp_ct_equal("secret-token", 12, "secret-token", 12));
	CHECK(!dlp_ct_equal("secret-token", 12, "secret-tokeX", 12));
	CHECK(!dlp_ct_equal("secret", 6, "secret-token", 12));
	CHECK(!dlp_ct_equal("secret-token", 12, "secret", 6));
}

TEST_MAIN()
