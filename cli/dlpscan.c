/*
 * dlpscan - scan messages and print a verdict for each.
 *
 *	dlpscan [options] FILE|DIR|- ...
 *
 * A FILE is one message, or an mbox of several; a DIR is a Maildir (its
 * cur/ and new/) or a folder whose files are each a message; "-" reads one
 * message from standard input. Exit status: 0 all allow, 1 the worst is
 * hold, 2 the worst is block, 3 usage or I/O error.
 *
 * A thin shell over the public API in dlp.h: everything it decides comes
 * from the library.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "datadir.h"
#include "input.h"
#include "dlp.h"

#define EXIT_USAGE 3

struct opts {
	const char **rcpts;
	size_t nrcpts;
	const char *from;
	int json;
	int quiet;
};

struct run {
	struct opts o;
	FILE *out; /* results: a private copy of stdout */
	struct dlp_scan *scan;
	enum dlp_verdict worst;
	int io_error;
	size_t nmsgs;
	time_t started, last_progress;
	int tty;
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: dlpscan [options] FILE|DIR|- ...\n"
	    "Scan each message (a file, each message of an mbox, each file of\n"
	    "a directory or Maildir, or standard input) and print its "
	    "verdict.\n"
	    "\n"
	    "  --rcpt ADDR            envelope recipient (repeatable; "
	    "default:\n"
	    "                         the To, Cc and Bcc headers)\n"
	    "  --from ADDR            envelope sender (default: From header)\n"
	    "  --internal-domain D    add an internal domain (repeatable)\n"
	    "  --trusted-domain D     add a trusted domain (repeatable)\n"
	    "  --keywords FILE        add a keyword dictionary (repeatable)\n"
	    "  --signatures PATH      add a signature file or folder\n"
	    "  --policy FILE          use this policy file\n"
	    "  --data-dir DIR         default signatures, policy and domains\n"
	    "  --config FILE          read settings from a config file\n"
	    "  --cache-dir DIR        keep compiled signatures in DIR\n"
	    "  --json                 one JSON object per message per line\n"
	    "  --quiet                print nothing; exit status only\n"
	    "  --help, --version\n"
	    "\n"
	    "Exit status: 0 all allow, 1 worst is hold, 2 worst is block,\n"
	    "3 usage or I/O error.\n");
}

static void
progress(struct run *r, int done)
{
	time_t now;

	if (!r->tty)
		return;
	now = time(NULL);
	if (done) {
		if (r->last_progress != 0)
			fprintf(stderr, "\r\033[K");
		return;
	}
	if (now - r->started < 3 || now == r->last_progress)
		return;
	r->last_progress = now;
	fprintf(stderr, "\rdlpscan: %zu messages scanned", r->nmsgs);
	fflush(stderr);
}

static void
report(struct run *r, const char *source, const struct dlp_result *res)
{
	enum dlp_verdict v = dlp_result_verdict(res);

	if (v > r->worst)
		r->worst = v;
	if (r->o.quiet)
		return;
	if (r->o.json) {
		char *json;

		if (dlp_result_to_json(res, source, &json, NULL) != DLP_OK) {
			fprintf(stderr, "dlpscan: %s: out of memory\n", source);
			r->io_error = 1;
			return;
		}
		fprintf(r->out, "%s\n", json);
		dlp_result_free_json(res, json);
		return;
	}
	fprintf(r->out, "%s: %s level %u", source, dlp_verdict_name(v),
	    dlp_result_level(res));
	for (size_t i = 0; i < dlp_result_nreasons(res) && i < 3; i++)
		fprintf(r->out, "%s%s", i == 0 ? ": " : "; ",
		    dlp_result_reason(res, i));
	fprintf(r->out, "\n");
}

static void
scan_bytes(void *ctx, const char *source, const char *buf, size_t len)
{
	struct run *r = ctx;
	struct dlp_envelope env;
	struct dlp_result *res = NULL;
	enum dlp_status st;

	memset(&env, 0, sizeof(env));
	env.mail_from = r->o.from;
	env.rcpts = r->o.rcpts;
	env.nrcpts = r->o.nrcpts;
	env.flags = DLP_ENV_RCPTS_FROM_HEADERS;
	st = dlp_scan_message(r->scan, buf, len, &env, &res);
	r->nmsgs++;
	if (st != DLP_OK) {
		/* No verdict: the message must be treated as held. */
		fprintf(stderr, "dlpscan: %s: scan failed: %s\n", source,
		    dlp_scan_errmsg(r->scan));
		if (DLP_HOLD > r->worst)
			r->worst = DLP_HOLD;
		r->io_error = 1;
		return;
	}
	report(r, source, res);
	dlp_result_free(res);
	progress(r, 0);
}

/*
 * Some libraries the engine uses (libytnef, libgsf) print to stdout on
 * corrupt input. Results go to a private copy of stdout and fd 1 is
 * pointed at stderr, so nothing can corrupt the JSON lines.
 */
static FILE *
private_stdout(void)
{
	FILE *f;
	int fd;

	fflush(stdout);
	if ((fd = dup(STDOUT_FILENO)) < 0)
		return stdout;
	if ((f = fdopen(fd, "w")) == NULL) {
		close(fd);
		return stdout;
	}
	if (dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
		fclose(f);
		return stdout;
	}
	return f;
}

static int
config_error(const char *what, enum dlp_status st)
{
	fprintf(stderr, "dlpscan: %s: %s\n", what, dlp_strerror(st));
	return EXIT_USAGE;
}

int
main(int argc, char **argv)
{
	enum {
		O_RCPT = 256,
		O_FROM,
		O_INTERNAL,
		O_TRUSTED,
		O_KEYWORDS,
		O_SIGS,
		O_POLICY,
		O_DATA,
		O_CONFIG,
		O_CACHE,
		O_JSON,
		O_QUIET,
		O_HELP,
		O_VERSION
	};
	static const struct option longopts[] = {
	    {"rcpt", required_argument, NULL, O_RCPT},
	    {"from", required_argument, NULL, O_FROM},
	    {"internal-domain", required_argument, NULL, O_INTERNAL},
	    {"trusted-domain", required_argument, NULL, O_TRUSTED},
	    {"keywords", required_argument, NULL, O_KEYWORDS},
	    {"signatures", required_argument, NULL, O_SIGS},
	    {"policy", required_argument, NULL, O_POLICY},
	    {"data-dir", required_argument, NULL, O_DATA},
	    {"config", required_argument, NULL, O_CONFIG},
	    {"cache-dir", required_argument, NULL, O_CACHE},
	    {"json", no_argument, NULL, O_JSON},
	    {"quiet", no_argument, NULL, O_QUIET},
	    {"help", no_argument, NULL, O_HELP},
	    {"version", no_argument, NULL, O_VERSION},
	    {NULL, 0, NULL, 0},
	};
	struct run r;
	struct dlp_config *cfg = NULL;
	struct dlp_engine *eng = NULL;
	struct dlp_error err;
	const char *data_dir = NULL;
	enum dlp_status st;
	int c, rc = EXIT_USAGE;

	memset(&r, 0, sizeof(r));
	if ((r.o.rcpts = calloc((size_t)argc + 1, sizeof(*r.o.rcpts))) ==
	        NULL ||
	    dlp_config_new(&cfg) != DLP_OK) {
		fprintf(stderr, "dlpscan: out of memory\n");
		return EXIT_USAGE;
	}
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		st = DLP_OK;
		switch (c) {
		case O_RCPT:
			r.o.rcpts[r.o.nrcpts++] = optarg;
			break;
		case O_FROM:
			r.o.from = optarg;
			break;
		case O_INTERNAL:
			st = dlp_config_add_internal_domain(cfg, optarg);
			break;
		case O_TRUSTED:
			st = dlp_config_add_trusted_domain(cfg, optarg);
			break;
		case O_KEYWORDS:
			st = dlp_config_add_keywords(cfg, optarg);
			break;
		case O_SIGS:
			st = dlp_config_add_signatures(cfg, optarg);
			break;
		case O_POLICY:
			st = dlp_config_set_policy(cfg, optarg);
			break;
		case O_DATA:
			data_dir = optarg;
			break;
		case O_CONFIG:
			if ((st = dlp_config_load(cfg, optarg, &err)) !=
			    DLP_OK) {
				fprintf(stderr, "dlpscan: %s:%u: %s\n",
				    err.file, err.line, err.message);
				goto out;
			}
			break;
		case O_CACHE:
			st = dlp_config_set_cache_dir(cfg, optarg);
			break;
		case O_JSON:
			r.o.json = 1;
			break;
		case O_QUIET:
			r.o.quiet = 1;
			break;
		case O_HELP:
			usage(stdout);
			rc = 0;
			goto out;
		case O_VERSION:
			printf("dlpscan %s\n", dlp_version());
			rc = 0;
			goto out;
		default:
			fprintf(stderr,
			    "dlpscan: unknown or incomplete option "
			    "\"%s\"; try --help\n",
			    argv[optind - 1]);
			goto out;
		}
		if (st != DLP_OK) {
			rc = config_error(argv[optind - 1], st);
			goto out;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "dlpscan: no message given; try --help\n");
		goto out;
	}
	if (data_dir == NULL)
		data_dir = dlp_cli_data_dir(argv[0]);
	if ((st = dlp_config_set_data_dir(cfg, data_dir)) != DLP_OK) {
		rc = config_error("data directory", st);
		goto out;
	}
	if ((st = dlp_engine_new(cfg, &eng, &err)) != DLP_OK) {
		if (err.file[0] != '\0' && err.line > 0)
			fprintf(stderr, "dlpscan: %s:%u:%u: %s\n", err.file,
			    err.line, err.column, err.message);
		else if (err.file[0] != '\0')
			fprintf(
			    stderr, "dlpscan: %s: %s\n", err.file, err.message);
		else
			fprintf(stderr, "dlpscan: %s\n", err.message);
		goto out;
	}
	if ((st = dlp_scan_new(eng, &r.scan)) != DLP_OK) {
		rc = config_error("scan", st);
		goto out;
	}
	r.out = private_stdout();
	r.worst = DLP_ALLOW;
	r.started = time(NULL);
	r.tty = isatty(STDERR_FILENO);
	for (int i = optind; i < argc; i++)
		if (dlp_cli_each_message("dlpscan", argv[i], scan_bytes, &r) !=
		    0)
			r.io_error = 1;
	progress(&r, 1);
	if (fflush(r.out) != 0) {
		fprintf(stderr, "dlpscan: stdout: %s\n", strerror(errno));
		r.io_error = 1;
	}
	if (r.io_error)
		rc = EXIT_USAGE;
	else
		rc = r.worst == DLP_BLOCK ? 2 : r.worst == DLP_HOLD ? 1 : 0;
out:
	dlp_scan_free(r.scan);
	dlp_engine_free(eng);
	dlp_config_free(cfg);
	free(r.o.rcpts);
	return rc;
}
