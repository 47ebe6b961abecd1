/*
 * test_signatures.c - the shipped signature set: it compiles, every
 * embedded match/nomatch example holds, and the marking vectors of the
 * specification give the documented level through the whole engine.
 */
#include "engine.h"
#include "test.h"

static struct dlp_engine *
shipped_engine(void)
{
	struct dlp_config *cfg;
	struct dlp_engine *e = NULL;
	struct dlp_error err;
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s/signatures", test_source_dir());
	if (dlp_config_new(&cfg) != DLP_OK ||
	    dlp_config_set_data_dir(cfg, dir) != DLP_OK)
		return NULL;
	if (dlp_engine_new(cfg, &e, &err) != DLP_OK)
		fprintf(stderr, "engine: %s:%u: %s\n", err.file, err.line,
		    err.message);
	dlp_config_free(cfg);
	return e;
}

static void
on_example(
    void *ctx, const struct dlp_rule *r, const struct dlp_example *ex, bool ok)
{
	(void)ctx;
	CHECK_MSG(ok, "%s:%u: rule %s: %s example \"%s\"", r->file, ex->line,
	    r->id, ex->must_match ? "match" : "nomatch", ex->text);
}

TEST(embedded_examples)
{
	struct dlp_engine *e = shipped_engine();
	struct dlp_scan *s = NULL;
	size_t n = 0, failed = 0;

	CHECK(e != NULL);
	if (e == NULL)
		return;
	CHECK(dlp_scan_new(e, &s) == DLP_OK);
	CHECK(
	    dlp_engine_examples(e, s, on_example, NULL, &n, &failed) == DLP_OK);
	printf("  %zu examples in %zu rules, %zu failed\n", n,
	    dlp_engine_nrules(e), failed);
	CHECK(n >= 50);
	CHECK_INT(failed, 0);
	dlp_scan_free(s);
	dlp_engine_free(e);
}

/* Vectors from the markings specification, through the whole engine. */
static const struct {
	const char *id, *subject, *body;
	unsigned level;
	unsigned flags; /* flags that must be set */
} vectors[] = {
    {"UK-P1", "OFFICIAL-SENSITIVE: Draft submission to Minister", "Hi", 2, 0},
    {"UK-P2", "RE: FW: OFFICIAL-SENSITIVE - RECIPIENTS ONLY - Budget", "x", 2,
        0},
    {"UK-P3", "notes", "OFFICIAL-SENSITIVE\n\ntext\n\nOFFICIAL-SENSITIVE\n", 2,
        0},
    {"UK-P4", "x", "UK SECRET - CODEWORD - UK EYES ONLY\n\nbody\n", 4,
        DLP_F_NATIONAL_ONLY},
    {"UK-P5", "x", "SECRET - RECIPIENTS ONLY - COMMERCIAL\nbody\n", 4, 0},
    {"UK-P8", "x", "TOP SECRET - UK/US EYES ONLY\nbody\n", 5,
        DLP_F_NATIONAL_ONLY},
    {"UK-P9", "x", "body\nClassification: OFFICIAL\n", 1, 0},
    {"UK-P10", "x", "RESTRICTED - COMMERCIAL\nbody\n", 2, 0},
    {"UK-P11", "x", "OFFICIAL-SENSITIVE [PERSONAL]\nbody\n", 2, 0},
    {"UK-N1", "x", "...in breach of the Official Secrets Act 1989...\n", 0, 0},
    {"UK-N1b", "x", "OFFICIAL SECRETS ACT\n", 0, 0},
    {"UK-N2", "x", "Difficulty: Easy  Classification: Official\n", 0, 0},
    {"UK-N3", "TOP SECRET: our Black Friday deals!", "Buy now", 0, 0},
    {"UK-N4", "x", "Please treat this as official sensitive information\n", 0,
        0},
    {"UK-N5", "x",
        "RESTRICTED ACCESS AREA\nRestricted Stock Units vest on...\n"
        "PROTECT YOUR ACCOUNT\n",
        0, 0},
    {"UK-N8", "x", "OFFICIAL RULES\nthe official website\n", 0, 0},
    {"US-P1", "x", "SECRET//NOFORN\n\nThe unit moved.\n\nSECRET//NOFORN\n", 4,
        DLP_F_NATIONAL_ONLY},
    {"US-P2", "x", "TOP SECRET//HCS/SI/TK//NOFORN\nx\n", 5,
        DLP_F_NATIONAL_ONLY},
    {"US-P3", "x", "SECRET//REL TO USA, AUS, CAN, GBR, NZL\nx\n", 4,
        DLP_F_REL_LIST},
    {"US-P4", "(S//NF) Update on the exercise", "(S//NF) The unit moved.\n", 4,
        DLP_F_NATIONAL_ONLY},
    {"US-P6", "x", "CONFIDENTIAL//REL TO USA, GBR\nClassified By: x\n", 3,
        DLP_F_REL_LIST},
    {"US-P10", "x", "UNCLASSIFIED//FOR OFFICIAL USE ONLY\n", 2, 0},
    {"US-N1", "x", "(C) 2024 Acme Corp. All rights reserved.\n", 0, 0},
    {"US-N2", "x", "(S)-ibuprofen and (R)-enantiomer; Acme(R); employee(s)\n",
        0, 0},
    {"US-N5", "x",
        "SECRET_KEY=abc\nclient_secret: x\nkind: Secret\nVictoria's Secret\n",
        0, 0},
    {"US-N6", "x",
        "CONFIDENTIALITY NOTICE: This e-mail message, including any "
        "attachments, is for the sole use of the intended recipient(s) and "
        "may contain confidential and privileged information.\n",
        0, 0},
    {"US-N9", "x", "HTTPS://EXAMPLE.COM and C://Users/x\n", 0, 0},
    {"CUI-P2", "x", "CUI//SP-EXPT//NOFORN\nbody\n", 2, DLP_F_NATIONAL_ONLY},
    {"CUI-P4", "CUI - Contract data package", "x", 2, 0},
    {"CUI-N1", "x", "CUI: RO12345678\nCui îi pasă?\n", 0, 0},
    {"CUI-N3", "x", "UNCONTROLLED COPY WHEN PRINTED\n", 0, 0},
    {"CUI-N5", "x", "DISTRIBUTION STATEMENT A. Approved for public release\n",
        0, 0},
    {"CUI-P7", "x",
        "DISTRIBUTION STATEMENT D. Distribution authorized to the Department "
        "of Defense\n",
        2, 0},
    {"NATO-P1", "x", "NATO RESTRICTED\n\ntext\n\nNATO RESTRICTED\n", 2,
        DLP_F_NATO},
    {"NATO-P3", "x", "COSMIC TOP SECRET ATOMAL\nx\n", 5, 0},
    {"NATO-P5", "x", "CONFIDENTIEL OTAN\nx\n", 3, 0},
    {"NATO-N1", "x",
        "NATO UNCLASSIFIED\nDECLASSIFIED/DECLASSIFIÉ - PUBLIC DISCLOSED/MISE "
        "EN LECTURE PUBLIQUE\n",
        0, 0},
    {"NATO-N2", "x", "a NATO secret meeting; Nato restricted the airspace\n", 0,
        0},
    {"NATO-N3", "x", "cosmic ray detectors and the COSMIC collaboration\n", 0,
        0},
    {"§14.3-subject", "CONFIDENTIAL", "Dear friend, I am a bank manager.\n", 0,
        0},
    {"§14.3-subject-ts", "Re: [list] TOP SECRET", "x\n", 0, 0},
    /* PII: a hotword lets two numbers count; one never does. */
    {"PII-hot-2", "x",
        "Card number: 4111 1111 1111 1111\nCard number: 5500 0000 0000 0004\n",
        2, 0},
    {"PII-hot-1", "x", "Card number: 4111 1111 1111 1111\n", 0, 0},
    {"PII-cold-2", "x", "4111 1111 1111 1111\n5500 0000 0000 0004\n", 0, 0},
    {"PII-ssn-hot-2", "x", "SSN 536-22-1234\nSSN 536-22-1235\n", 2, 0},
};

TEST(spec_vectors)
{
	struct dlp_engine *e = shipped_engine();
	struct dlp_scan *s = NULL;
	const char *rcpt[] = {"someone@example.org"};

	CHECK(e != NULL);
	if (e == NULL)
		return;
	CHECK(dlp_scan_new(e, &s) == DLP_OK);
	for (size_t i = 0; i < DLP_NITEMS(vectors); i++) {
		struct dlp_envelope env = {NULL, rcpt, 1, NULL, 0};
		struct dlp_result *r = NULL;
		char msg[2048];
		int n = snprintf(msg, sizeof(msg),
		    "From: a@sender.example\nTo: someone@example.org\n"
		    "Subject: %s\n\n%s",
		    vectors[i].subject, vectors[i].body);

		CHECK(dlp_scan_message(s, msg, (size_t)n, &env, &r) == DLP_OK);
		if (r == NULL)
			continue;
		CHECK_MSG(dlp_result_level(r) == vectors[i].level,
		    "%s: level %u, want %u", vectors[i].id, dlp_result_level(r),
		    vectors[i].level);
		CHECK_MSG((dlp_result_flags(r) & vectors[i].flags) ==
		              vectors[i].flags,
		    "%s: flags %#x, want %#x", vectors[i].id,
		    dlp_result_flags(r), vectors[i].flags);
		dlp_result_free(r);
	}
	dlp_scan_free(s);
	dlp_engine_free(e);
}

TEST_MAIN()
