/*
 * datadir.c - find the default data directory (see datadir.h).
 */
#define _DEFAULT_SOURCE
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "datadir.h"

static int
has_policy(const char *dir)
{
	char p[2 * PATH_MAX + 96];
	struct stat st;
	int n = snprintf(p, sizeof(p), "%s/policy.conf", dir);

	if (n < 0 || (size_t)n >= sizeof(p))
		return 0;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

const char *
dlp_cli_data_dir(const char *argv0)
{
	static char buf[2 * PATH_MAX + 64];
	char exe[PATH_MAX];
	const char *env = getenv("DLP_DATA_DIR");
	ssize_t n;
	char *slash;

	(void)argv0;
	if (env != NULL && *env != '\0')
		return env;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			snprintf(buf, sizeof(buf), "%s/../share/dlpscan", exe);
			if (has_policy(buf))
				return buf;
		}
	}
	if (has_policy(DLP_SOURCE_DATADIR))
		return DLP_SOURCE_DATADIR;
	return DLP_INSTALL_DATADIR;
}
