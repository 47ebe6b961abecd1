/*
 * fuzz_sigdb.c - the signature file parser (dlp_sigdb_parse_text). The
 * compile step is not run: Hyperscan's compiler is not ours, and a
 * hostile pattern may take it long to reject.
 */
#include "fuzz.h"
#include "sigdb.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dlp_mem mem;
	struct dlp_sigdb *db = NULL;
	struct dlp_error err;
	struct fz_sink f;
	enum dlp_status st;

	dlp_mem_init_default(&mem);
	fz_sink_init(&f);
	if (dlp_sigdb_new(&mem, &db) != DLP_OK)
		return 0;
	memset(&err, 0, sizeof(err));
	st = dlp_sigdb_parse_text(
	    db, "fuzz.sig", (const char *)data, size, &err);
	FZ_ASSERT(
	    st == DLP_OK || st == DLP_ERR_SIGNATURE || st == DLP_ERR_NOMEM);
	/* Error text is NUL-terminated within its storage. */
	FZ_ASSERT(memchr(err.message, '\0', sizeof(err.message)) != NULL);
	for (size_t i = 0; st == DLP_OK && i < db->nrules; i++) {
		FZ_ASSERT(db->rules[i].id != NULL);
		FZ_ASSERT(db->rules[i].level <= DLP_LEVEL_MAX);
		fz_touch(&f, db->rules[i].id, strlen(db->rules[i].id));
	}
	for (size_t i = 0; st == DLP_OK && i < db->npats; i++) {
		FZ_ASSERT(db->pats[i].rule < db->nrules);
		fz_touch(&f, db->pats[i].expr, strlen(db->pats[i].expr));
	}
	dlp_sigdb_free(db);
	return 0;
}
