/*
 * fuzz_domain.c - recipient-domain classification and the message-level
 * assessment, on the shipped domain data (loaded once). Input: one
 * address per line.
 */
#include <stdio.h>
#include <stdlib.h>

#include "domain.h"
#include "fuzz.h"

static struct dlp_domain_db *db;
static struct dlp_mem mem;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const internal[] = {"corp.example", "army.mil"};
	static const char *const trusted[] = {"partner.example", "gov.uk"};
	char dir[4096];
	struct dlp_error err;

	(void)argc;
	(void)argv;
	dlp_mem_init_default(&mem);
	snprintf(dir, sizeof(dir), "%s/signatures/domains", fz_source_dir());
	if (dlp_domain_load(&mem, dir, internal, 2, trusted, 2, &db, &err) !=
	    DLP_OK) {
		fprintf(stderr, "fuzz_domain: %s: %s\n", dir, err.message);
		abort();
	}
	return 0;
}

#define MAXR 16

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dlp_domain_result res[MAXR];
	struct fz_sink f;
	size_t n = 0, pos = 0;
	unsigned flags = 0;

	fz_sink_init(&f);
	while (pos <= size && n < MAXR) {
		const uint8_t *nl = memchr(data + pos, '\n', size - pos);
		size_t len = nl ? (size_t)(nl - (data + pos)) : size - pos;
		struct dlp_domain_result *r = &res[n++];

		FZ_ASSERT(dlp_domain_classify(
		              db, (const char *)data + pos, len, r) == DLP_OK);
		FZ_ASSERT(
		    r->cls >= DLP_RCPT_INTERNAL && r->cls <= DLP_RCPT_INVALID);
		FZ_ASSERT(r->score <= 100);
		/* Every string is terminated inside its field. */
		FZ_ASSERT(memchr(r->address, 0, sizeof(r->address)) &&
		          memchr(r->domain, 0, sizeof(r->domain)) &&
		          memchr(r->kind, 0, sizeof(r->kind)) &&
		          memchr(r->explain, 0, sizeof(r->explain)) &&
		          memchr(r->suggest, 0, sizeof(r->suggest)) &&
		          memchr(r->alabel, 0, sizeof(r->alabel)) &&
		          memchr(r->detail, 0, sizeof(r->detail)));
		fz_touch(&f, r->explain, strlen(r->explain));
		if (nl == NULL)
			break;
		pos += len + 1;
	}
	FZ_ASSERT(dlp_domain_assess(res, n, &flags) == DLP_OK);
	for (size_t i = 0; i < n; i++)
		FZ_ASSERT(res[i].score <= 100);
	return 0;
}
