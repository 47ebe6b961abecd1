/*
 * fuzz_config.c - the engine's configuration file (dlp_config_load) and
 * the limit check on what it set. The input is handed over as an
 * in-memory file (memfd), so no file is written.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dlp_config *cfg = NULL;
	struct dlp_error err;
	char path[64];
	enum dlp_status st;
	int fd;

	if ((fd = memfd_create("dlp-fuzz-config", MFD_CLOEXEC)) < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size ||
	    dlp_config_new(&cfg) != DLP_OK)
		goto out;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	memset(&err, 0, sizeof(err));
	st = dlp_config_load(cfg, path, &err);
	FZ_ASSERT(st == DLP_OK || st == DLP_ERR_CONFIG || st == DLP_ERR_IO ||
	          st == DLP_ERR_INVAL || st == DLP_ERR_NOMEM);
	FZ_ASSERT(memchr(err.message, '\0', sizeof(err.message)) != NULL);
	(void)dlp_limits_check(&cfg->limits, &err);
out:
	dlp_config_free(cfg);
	close(fd);
	return 0;
}
