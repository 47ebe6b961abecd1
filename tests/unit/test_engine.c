/*
 * test_engine.c - the public API contract: argument checks, error
 * reporting, fail-closed results on bad input, JSON validity, and clean
 * failure (no crash, no leak, never "allow") when memory runs out.
 */
#include "engine.h"
#include "test.h"

static struct dlp_allocator test_alloc;

static struct dlp_engine *
engine_with(const struct dlp_allocator *a, struct dlp_error *err)
{
	struct dlp_config *cfg = NULL;
	struct dlp_engine *e = NULL;
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s/signatures", test_source_dir());
	if (err != NULL) {
		memset(err, 0, sizeof(*err));
		err->status = DLP_ERR_NOMEM; /* if a config step fails */
	}
	if (dlp_config_new_with_allocator(a, &cfg) != DLP_OK)
		return NULL;
	/* The compiled-signature cache keeps the OOM sweep quick. */
	if (dlp_config_set_data_dir(cfg, dir) == DLP_OK &&
	    dlp_config_set_cache_dir(cfg, "/tmp/dlp-test-engine-cache") ==
	        DLP_OK &&
	    dlp_config_add_internal_domain(cfg, "corp.example") == DLP_OK)
		(void)dlp_engine_new(cfg, &e, err);
	dlp_config_free(cfg);
	return e;
}

TEST(arguments)
{
	struct dlp_engine *e;
	struct dlp_scan *s;
	struct dlp_result *r = (void *)1;
	struct dlp_error err;

	CHECK_INT(dlp_engine_new(NULL, &e, &err), DLP_ERR_INVAL);
	CHECK_INT(dlp_scan_new(NULL, &s), DLP_ERR_INVAL);
	CHECK_INT(dlp_scan_message(NULL, "x", 1, NULL, &r), DLP_ERR_INVAL);
	CHECK(r == NULL);
	CHECK_INT(dlp_config_set_data_dir(NULL, "x"), DLP_ERR_INVAL);
	dlp_engine_free(NULL);
	dlp_scan_free(NULL);
	dlp_result_free(NULL);
	dlp_config_free(NULL);
	CHECK_STR(dlp_verdict_name(0), "invalid");
	CHECK_STR(dlp_verdict_name(DLP_BLOCK), "block");
	CHECK_STR(dlp_rcpt_class_name(DLP_RCPT_HIGH_RISK), "high-risk");
	CHECK(strcmp(dlp_strerror(DLP_ERR_NOMEM), "out of memory") == 0);
	CHECK(dlp_result_verdict(NULL) == DLP_HOLD);
}

TEST(config_errors)
{
	struct dlp_config *cfg;
	struct dlp_engine *e = (void *)1;
	struct dlp_error err;
	struct dlp_limits lim;

	CHECK(dlp_config_new(&cfg) == DLP_OK);
	CHECK_INT(dlp_engine_new(cfg, &e, &err), DLP_ERR_CONFIG);
	CHECK(e == NULL);
	CHECK(strstr(err.message, "no signatures") != NULL);
	dlp_limits_default(&lim);
	lim.max_depth = 0;
	CHECK(dlp_config_set_limits(cfg, &lim) == DLP_OK);
	CHECK(dlp_config_set_data_dir(cfg, "/nonexistent") == DLP_OK);
	CHECK_INT(dlp_engine_new(cfg, &e, &err), DLP_ERR_CONFIG);
	CHECK(strstr(err.message, "max_depth") != NULL);
	dlp_limits_default(&lim);
	CHECK(dlp_config_set_limits(cfg, &lim) == DLP_OK);
	CHECK_INT(dlp_engine_new(cfg, &e, &err), DLP_ERR_IO);
	CHECK_STR(err.file, "/nonexistent");
	CHECK_INT(dlp_config_load(cfg, "/nonexistent.conf", &err), DLP_ERR_IO);
	dlp_config_free(cfg);
}

/* Bad input: a verdict every time, and never allow unless it was read. */
static const struct {
	const char *name;
	const char *msg;
	size_t len; /* 0 = strlen */
	enum dlp_verdict at_most_lenient;
} bad_input[] = {
    {"empty", "", 1, DLP_HOLD},
    {"garbage", "\x01\x02\xff\xfe binary \x00 garbage",
        sizeof("\x01\x02\xff\xfe binary \x00 garbage") - 1, DLP_HOLD},
    {"headers only", "To: a@example.org\nSubject: hi\n", 0, DLP_ALLOW},
    {"multipart unread",
        "To: a@example.org\nContent-Type: "
        "multipart/mixed; boundary=b\n\n--b\n\nx\n--b--\n",
        0, DLP_ALLOW},
    {"nul bytes", "To: a@example.org\n\nabc\0def\0",
        sizeof("To: a@example.org\n\nabc\0def\0") - 1, DLP_ALLOW},
};

TEST(bad_input_gets_a_verdict)
{
	struct dlp_engine *e = engine_with(NULL, NULL);
	struct dlp_scan *s = NULL;

	CHECK(e != NULL && dlp_scan_new(e, &s) == DLP_OK);
	for (size_t i = 0; s && i < DLP_NITEMS(bad_input); i++) {
		struct dlp_result *r = NULL;
		struct dlp_envelope env = {0};
		size_t len = bad_input[i].len ? bad_input[i].len
		                              : strlen(bad_input[i].msg);

		env.flags = DLP_ENV_RCPTS_FROM_HEADERS;
		if (bad_input[i].len == 1 && bad_input[i].msg[0] == '\0')
			len = 0;
		CHECK_MSG(dlp_scan_message(
		              s, bad_input[i].msg, len, &env, &r) == DLP_OK,
		    "%s", bad_input[i].name);
		if (r == NULL)
			continue;
		CHECK_MSG(dlp_result_verdict(r) >= DLP_ALLOW &&
		              dlp_result_verdict(r) <= DLP_BLOCK,
		    "%s", bad_input[i].name);
		CHECK_MSG(dlp_result_nreasons(r) > 0, "%s", bad_input[i].name);
		dlp_result_free(r);
	}
	/* An empty message is unscanned, and held. */
	{
		struct dlp_result *r = NULL;
		const char *rc[] = {"a@example.org"};
		struct dlp_envelope env = {NULL, rc, 1, NULL, 0};

		CHECK(dlp_scan_message(s, "", 0, &env, &r) == DLP_OK);
		CHECK(r && dlp_result_verdict(r) == DLP_HOLD &&
		      dlp_result_nunscanned(r) > 0);
		dlp_result_free(r);
	}
	dlp_scan_free(s);
	dlp_engine_free(e);
}

TEST(huge_header_line_and_message_limit)
{
	struct dlp_engine *e = engine_with(NULL, NULL);
	struct dlp_scan *s = NULL;
	struct dlp_result *r = NULL;
	const char *rc[] = {"a@corp.example"};
	struct dlp_envelope env = {NULL, rc, 1, "Q1", 0};
	size_t n = (size_t)3 << 20;
	char *m = malloc(n + 64);

	CHECK(m != NULL && e != NULL && dlp_scan_new(e, &s) == DLP_OK);
	if (m == NULL || s == NULL)
		goto out;
	memcpy(m, "Subject: ", 9);
	memset(m + 9, 'A', n - 9);
	memcpy(m + n, "\n\nSECRET//NOFORN\n", 17);
	CHECK(dlp_scan_message(s, m, n + 17, &env, &r) == DLP_OK);
	CHECK(r != NULL && dlp_result_level(r) >= 2);
	CHECK(r != NULL && dlp_result_nunscanned(r) > 0);
	/* Internal recipient: allowed even at level 4. */
	CHECK(r != NULL && dlp_result_verdict(r) == DLP_ALLOW);
	dlp_result_free(r);
out:
	free(m);
	dlp_scan_free(s);
	dlp_engine_free(e);
}

TEST(json_is_escaped)
{
	struct dlp_engine *e = engine_with(NULL, NULL);
	struct dlp_scan *s = NULL;
	struct dlp_result *r = NULL;
	const char *rc[] = {"\"q\\\"\x01\xff\"@example.org"};
	struct dlp_envelope env = {NULL, rc, 1, "Q\n1", 0};
	char *json = NULL;
	const char *msg = "Subject: SECRET//NOFORN \x02\xc3\n\nbody\n";

	CHECK(e != NULL && dlp_scan_new(e, &s) == DLP_OK);
	CHECK(dlp_scan_message(s, msg, strlen(msg), &env, &r) == DLP_OK);
	CHECK(dlp_result_to_json(r, "src\"x", &json, NULL) == DLP_OK);
	CHECK(json != NULL && strchr(json, '\n') == NULL);
	CHECK(json != NULL && strstr(json, "\"source\":\"src\\\"x\"") != NULL);
	CHECK(json != NULL && strstr(json, "\"verdict\":\"block\"") != NULL);
	CHECK(json != NULL && strstr(json, "\\u0001") != NULL);
	CHECK(json != NULL && strstr(json, "\\ufffd") != NULL);
	for (const unsigned char *p = (void *)json; p && *p; p++)
		CHECK(*p >= 0x20);
	dlp_result_free_json(r, json);
	dlp_result_free(r);
	dlp_scan_free(s);
	dlp_engine_free(e);
}

TEST(threads_share_one_engine)
{
	/* The engine is read-only after creation: two scans interleaved. */
	struct dlp_engine *e = engine_with(NULL, NULL);
	struct dlp_scan *a = NULL, *b = NULL;
	struct dlp_result *ra = NULL, *rb = NULL;
	const char *rc[] = {"x@example.org"};
	struct dlp_envelope env = {NULL, rc, 1, NULL, 0};
	const char *m1 = "Subject: hi\n\nSECRET//NOFORN\n";
	const char *m2 = "Subject: hi\n\nlunch?\n";

	CHECK(e != NULL && dlp_scan_new(e, &a) == DLP_OK &&
	      dlp_scan_new(e, &b) == DLP_OK);
	CHECK(dlp_scan_message(a, m1, strlen(m1), &env, &ra) == DLP_OK);
	CHECK(dlp_scan_message(b, m2, strlen(m2), &env, &rb) == DLP_OK);
	dlp_scan_free(a); /* results outlive their scan */
	dlp_scan_free(b);
	CHECK(ra && dlp_result_verdict(ra) == DLP_BLOCK);
	CHECK(rb && dlp_result_verdict(rb) == DLP_ALLOW);
	dlp_result_free(ra);
	dlp_result_free(rb);
	dlp_engine_free(e);
}

static void *
ta_malloc(void *ctx, size_t n)
{
	return test_mem.a.malloc_fn(ctx, n);
}

static void *
ta_realloc(void *ctx, void *p, size_t n)
{
	return test_mem.a.realloc_fn(ctx, p, n);
}

static void
ta_free(void *ctx, void *p)
{
	test_mem.a.free_fn(ctx, p);
}

TEST(oom_sweep)
{
	const char *msg = "From: a@corp.example\nTo: b@example.org, "
	                  "c@corp.example\nSubject: OFFICIAL-SENSITIVE: x\n\n"
	                  "SECRET//NOFORN\nbody\n";
	unsigned long n;

	test_alloc.malloc_fn = ta_malloc;
	test_alloc.realloc_fn = ta_realloc;
	test_alloc.free_fn = ta_free;
	/* Engine construction. */
	for (n = 1; n < 100000; n++) {
		struct dlp_engine *e;
		struct dlp_error err;

		test_fail_after(n);
		e = engine_with(&test_alloc, &err);
		test_fail_after(0);
		if (e != NULL) {
			dlp_engine_free(e);
			break;
		}
		CHECK_MSG(
		    err.status == DLP_ERR_NOMEM, "n=%lu: %s", n, err.message);
		CHECK_MSG(test_live() == 0, "n=%lu: %ld blocks leaked", n,
		    test_live());
	}
	printf("  engine: %lu allocation points\n", n);
	/* One scan: fails cleanly with NOMEM, or gives the real verdict. */
	{
		struct dlp_engine *e = engine_with(&test_alloc, NULL);
		long base = test_live();

		CHECK(e != NULL);
		for (n = 1; e && n < 100000; n++) {
			struct dlp_scan *s = NULL;
			struct dlp_result *r = NULL;
			struct dlp_envelope env = {0};
			enum dlp_status st;

			env.flags = DLP_ENV_RCPTS_FROM_HEADERS;
			test_fail_after(n);
			st = dlp_scan_new(e, &s);
			if (st == DLP_OK)
				st = dlp_scan_message(
				    s, msg, strlen(msg), &env, &r);
			test_fail_after(0);
			if (st == DLP_OK)
				CHECK(dlp_result_verdict(r) == DLP_BLOCK);
			else
				CHECK_MSG(st == DLP_ERR_NOMEM && r == NULL,
				    "n=%lu st=%d", n, st);
			dlp_result_free(r);
			dlp_scan_free(s);
			CHECK_MSG(test_live() == base, "n=%lu: leak", n);
			if (st == DLP_OK)
				break;
		}
		printf("  scan: %lu allocation points\n", n);
		dlp_engine_free(e);
	}
}

TEST_MAIN()
