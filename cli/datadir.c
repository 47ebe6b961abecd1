/*
 * datadir.c - the default data directory lookup shared by dlpscan and
 * dlpd.
 *
 * Trust: the environment and the executable's own location (the user
 * starting the program controls both). Nothing here reads a file named
 * by a network client.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "datadir.h"

#ifndef DLP_SOURCE_DATADIR
#define DLP_SOURCE_DATADIR ""
#endif
#ifndef DLP_INSTALL_DATADIR
#define DLP_INSTALL_DATADIR "/usr/share/dlpscan"
#endif

static char *
dup_str(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);

	if (p != NULL)
		memcpy(p, s, n);
	return p;
}

static int
is_dir(const char *path)
{
	struct stat st;

	return path[0] != '\0' && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The directory of the running executable into dir; 0 or -1. */
static int
exe_dir(const char *argv0, char *dir, size_t dirlen)
{
	char path[PATH_MAX];
	ssize_t n;
	char *slash;

	n = readlink("/proc/self/exe", path, sizeof(path) - 1);
	if (n > 0) {
		path[n] = '\0';
	} else {
		if (argv0 == NULL || strchr(argv0, '/') == NULL ||
		    realpath(argv0, path) == NULL)
			return -1;
	}
	if ((slash = strrchr(path, '/')) == NULL)
		return -1;
	*slash = '\0';
	if (strlen(path) + 1 > dirlen)
		return -1;
	memcpy(dir, path, strlen(path) + 1);
	return 0;
}

char *
dlp_cli_data_dir(const char *argv0)
{
	const char *env = getenv("DLP_DATA_DIR");
	char dir[PATH_MAX];
	char cand[PATH_MAX + 64];
	char policy[PATH_MAX + 96];
	struct stat st;

	if (env != NULL && env[0] != '\0')
		return dup_str(env);
	if (exe_dir(argv0, dir, sizeof(dir)) == 0) {
		snprintf(cand, sizeof(cand), "%s/../share/dlpscan", dir);
		snprintf(policy, sizeof(policy), "%s/policy.conf", cand);
		if (stat(policy, &st) == 0 && S_ISREG(st.st_mode)) {
			char real[PATH_MAX];

			if (realpath(cand, real) != NULL)
				return dup_str(real);
			return dup_str(cand);
		}
	}
	if (is_dir(DLP_SOURCE_DATADIR))
		return dup_str(DLP_SOURCE_DATADIR);
	return dup_str(DLP_INSTALL_DATADIR);
}
