/*
 * fuzz_scan.c - the whole scan (dlp_scan_message) on the shipped
 * signatures, policy and domains: every input gets a verdict, and a
 * message with content that could not be read is never allowed to an
 * unknown recipient. The JSON rendering is exercised too.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"

static struct dlp_engine *eng;
static struct dlp_scan *scan;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct dlp_config *cfg = NULL;
	struct dlp_error err;
	struct dlp_limits lim;
	char dir[4096];

	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "%s/signatures", fz_source_dir());
	dlp_limits_default(&lim);
	/* Smaller limits so that limit paths are reached, and a deadline
	 * well inside libFuzzer's timeout. */
	lim.max_parts = 500;
	lim.max_scan_ms = 5000;
	if (dlp_config_new(&cfg) != DLP_OK ||
	    dlp_config_set_data_dir(cfg, dir) != DLP_OK ||
	    dlp_config_set_limits(cfg, &lim) != DLP_OK ||
	    dlp_config_set_cache_dir(cfg, "/tmp/dlp-fuzz-cache") != DLP_OK ||
	    dlp_config_add_internal_domain(cfg, "corp.example") != DLP_OK ||
	    dlp_engine_new(cfg, &eng, &err) != DLP_OK ||
	    dlp_scan_new(eng, &scan) != DLP_OK) {
		fprintf(stderr, "fuzz_scan: no engine from %s\n", dir);
		abort();
	}
	dlp_config_free(cfg);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const rcpts[] = {"x@example.org", "y@corp.example"};
	struct dlp_envelope env = {"s@corp.example", rcpts, 2, "Q", 0};
	struct dlp_result *r = NULL;
	enum dlp_status st;
	char *json = NULL;
	size_t jlen = 0;

	/* Half the inputs take their recipients from the headers. */
	if (size > 0 && (data[0] & 1)) {
		env.nrcpts = 0;
		env.rcpts = NULL;
		env.flags = DLP_ENV_RCPTS_FROM_HEADERS;
	}
	st = dlp_scan_message(scan, data, size, &env, &r);
	FZ_ASSERT(st == DLP_OK || st == DLP_ERR_NOMEM || st == DLP_ERR_SCAN);
	if (st != DLP_OK) {
		FZ_ASSERT(r == NULL);
		return 0;
	}
	FZ_ASSERT(dlp_result_verdict(r) >= DLP_ALLOW &&
	          dlp_result_verdict(r) <= DLP_BLOCK);
	FZ_ASSERT(dlp_result_level(r) <= DLP_LEVEL_MAX);
	FZ_ASSERT(dlp_result_nreasons(r) > 0);
	/* Fail closed: unread content to an outside recipient is not
	 * allowed (unscanned-level 2 holds for "unknown"). */
	if (dlp_result_nunscanned(r) > 0 && env.nrcpts == 2)
		FZ_ASSERT(dlp_result_verdict(r) != DLP_ALLOW);
	for (size_t i = 0; i < dlp_result_nfindings(r); i++) {
		const struct dlp_finding *fd = dlp_result_finding(r, i);

		FZ_ASSERT(fd != NULL && fd->rule != NULL && fd->where != NULL);
	}
	FZ_ASSERT(dlp_result_finding(r, dlp_result_nfindings(r)) == NULL);
	FZ_ASSERT(dlp_result_to_json(r, "fuzz", &json, &jlen) == DLP_OK);
	FZ_ASSERT(json != NULL && strlen(json) == jlen &&
	          memchr(json, '\n', jlen) == NULL);
	dlp_result_free_json(r, json);
	dlp_result_free(r);
	return 0;
}
