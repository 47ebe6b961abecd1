/*
 * test_fuzz_regress.c - inputs the fuzz harnesses (tests/fuzz) found to
 * crash, replayed through the same calls, one table row per finding. Most
 * of the faults were memory errors: these rows fail under the sanitizer
 * build (build-asan), where a bad read aborts the test.
 */
#include "domain.h"
#include "test.h"

/* fuzz_domain: a tag collision in the TLD-swap index gave an id past the
 * entry table, which was read before the id was checked. */
static const char *const domain_inputs[] = {"gc.by", "x@gc.by"};

TEST(domain_classify)
{
	static const char *const internal[] = {"corp.example", "army.mil"};
	static const char *const trusted[] = {"partner.example", "gov.uk"};
	struct dlp_domain_db *db = NULL;
	struct dlp_error err = {0};
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s/signatures/domains", test_source_dir());
	CHECK(dlp_domain_load(&test_mem, dir, internal, 2, trusted, 2, &db,
	          &err) == DLP_OK);
	for (size_t i = 0; db != NULL && i < DLP_NITEMS(domain_inputs); i++) {
		struct dlp_domain_result r;

		CHECK(dlp_domain_classify(db, domain_inputs[i],
		          strlen(domain_inputs[i]), &r) == DLP_OK);
		CHECK_MSG(r.cls == DLP_RCPT_UNKNOWN || r.cls == DLP_RCPT_TYPO ||
		              r.cls == DLP_RCPT_HIGH_RISK,
		    "%s: class %d", domain_inputs[i], r.cls);
	}
	dlp_domain_free(db);
	CHECK_INT(test_live(), 0);
}

TEST_MAIN()
