/*
 * fuzz_policy.c - the policy file parser: whatever it accepts is a
 * complete matrix of valid verdicts.
 */
#include "fuzz.h"
#include "policy.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dlp_policy pol;
	struct dlp_error err;
	enum dlp_status st;

	memset(&pol, 0, sizeof(pol));
	memset(&err, 0, sizeof(err));
	st =
	    dlp_policy_parse(&pol, "fuzz.conf", (const char *)data, size, &err);
	FZ_ASSERT(st == DLP_OK || st == DLP_ERR_CONFIG || st == DLP_ERR_NOMEM);
	FZ_ASSERT(memchr(err.message, '\0', sizeof(err.message)) != NULL);
	if (st != DLP_OK)
		return 0;
	for (unsigned l = 0; l <= DLP_LEVEL_MAX; l++)
		for (unsigned c = 0; c < DLP_RCPT_NCLASSES; c++)
			FZ_ASSERT(pol.matrix[l][c] >= DLP_ALLOW &&
			          pol.matrix[l][c] <= DLP_BLOCK);
	FZ_ASSERT(pol.unscanned_level <= DLP_LEVEL_MAX);
	FZ_ASSERT(pol.encrypted_level <= DLP_LEVEL_MAX);
	return 0;
}
