/*
 * dlpd.c - the dlpscan service: reads its configuration, binds the
 * sockets, drops root, builds the engine, serves HTTP/JSON and milter
 * until SIGTERM, and reloads the engine on SIGUSR1 (and on SIGHUP when
 * the milter is off: libmilter takes SIGHUP to mean stop).
 *
 * Signals are blocked in every thread and taken with sigwait() in one
 * thread, so no handler ever runs in async-signal context.
 */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <libgen.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "datadir.h"
#include "dlpd.h"

#define DLPD_DEFAULT_CONFIG "/etc/dlpscan/dlpd.conf"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: dlpd [-c FILE] [-o KEY=VALUE]... [--check-config]\n"
	    "  -c, --config FILE   configuration file (default %s if "
	    "present)\n"
	    "  -o KEY=VALUE        set one configuration key (after the "
	    "file)\n"
	    "  -d, --data-dir DIR  same as -o data_dir=DIR\n"
	    "      --check-config  check the configuration and the data set, "
	    "then exit\n"
	    "  -V, --version       print the version\n"
	    "Keys and protocol: docs/dlpd.md. Signals: SIGUSR1 reloads, "
	    "SIGTERM stops.\n",
	    DLPD_DEFAULT_CONFIG);
}

struct sigctx {
	struct dlp_svc *svc;
	struct dlp_audit *audit;
	bool milter; /* libmilter owns SIGHUP/SIGTERM/SIGINT */
	volatile sig_atomic_t stop;
	int exit_signal;
};

/*
 * Wait for signals. With the milter, only SIGUSR1 (reload) and SIGUSR2
 * (internal wake-up at shutdown) come here; without it, also SIGHUP
 * (reload) and SIGTERM/SIGINT (stop).
 */
static void *
signal_main(void *vp)
{
	struct sigctx *sc = vp;
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	if (!sc->milter) {
		sigaddset(&set, SIGHUP);
		sigaddset(&set, SIGTERM);
		sigaddset(&set, SIGINT);
	}
	while (!sc->stop) {
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGUSR1 || sig == SIGHUP) {
			dlp_log(DLP_LOG_INFO, "reload requested");
			if (dlp_audit_reopen(sc->audit) != 0)
				dlp_log(
				    DLP_LOG_ERR, "audit log: cannot reopen");
			dlp_svc_reload(sc->svc);
		} else if (sig == SIGTERM || sig == SIGINT) {
			sc->exit_signal = sig;
			sc->stop = 1;
		}
	}
	return NULL;
}

/* The user to run as: conf->user, else nobody. */
static int
find_user(const struct dlp_dconf *c, uid_t *uid, gid_t *gid, char *name,
    size_t namelen)
{
	struct passwd *pw = getpwnam(c->user);
	struct group *gr;

	if (pw == NULL) {
		dlp_log(
		    DLP_LOG_WARN, "user %s not found, using nobody", c->user);
		pw = getpwnam("nobody");
	}
	if (pw == NULL)
		return -1;
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	snprintf(name, namelen, "%s", pw->pw_name);
	if (c->socket_group[0] != '\0') {
		if ((gr = getgrnam(c->socket_group)) == NULL) {
			dlp_log(DLP_LOG_ERR, "socket_group %s not found",
			    c->socket_group);
			return -1;
		}
		*gid = gr->gr_gid;
	}
	return 0;
}

/* Create the directory of a unix socket path (0750, uid:gid) if absent. */
static int
socket_dir(const char *path, uid_t uid, gid_t gid)
{
	char buf[4096], *dir;
	struct stat st;

	if (path == NULL || strlen(path) >= sizeof(buf))
		return 0;
	memcpy(buf, path, strlen(path) + 1);
	dir = dirname(buf);
	if (stat(dir, &st) == 0)
		return 0;
	if (mkdir(dir, 0750) != 0) {
		dlp_log(DLP_LOG_ERR, "mkdir %s: %s", dir, strerror(errno));
		return -1;
	}
	if (geteuid() == 0 && chown(dir, uid, gid) != 0)
		return -1;
	return 0;
}

static const char *
milter_path(const struct dlp_dconf *c)
{
	if (strncmp(c->milter_socket, "unix:", 5) == 0)
		return c->milter_socket + 5;
	if (strncmp(c->milter_socket, "local:", 6) == 0)
		return c->milter_socket + 6;
	return NULL;
}

static int
drop_privileges(uid_t uid, gid_t gid, gid_t sock_gid, const char *name)
{
	gid_t groups[1] = {sock_gid};

	if (setgroups(1, groups) != 0 || setgid(gid) != 0 || setuid(uid) != 0) {
		dlp_log(DLP_LOG_ERR, "cannot drop privileges to %s: %s", name,
		    strerror(errno));
		return -1;
	}
	if (uid != 0 && setuid(0) == 0) {
		dlp_log(DLP_LOG_ERR, "privileges could be regained");
		return -1;
	}
	dlp_log(DLP_LOG_INFO, "running as %s (uid %u)", name, (unsigned)uid);
	return 0;
}

static int
load_config(struct dlp_dconf *c, int argc, char **argv, bool *check)
{
	static const struct option longopts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"data-dir", required_argument, NULL, 'd'},
	    {"check-config", no_argument, NULL, 'C'},
	    {"version", no_argument, NULL, 'V'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *file = NULL;
	char err[1024], *eq;
	int ch, i;

	*check = false;
	/* First pass: the file; second pass: -o and -d override it. */
	while (
	    (ch = getopt_long(argc, argv, "c:d:o:Vh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			file = optarg;
			break;
		case 'C':
			*check = true;
			break;
		case 'V':
			printf("dlpd %s\n", dlp_version());
			exit(0);
		case 'h':
			usage(stdout);
			exit(0);
		case 'd':
		case 'o':
			break;
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return -1;
	}
	if (file == NULL && access(DLPD_DEFAULT_CONFIG, F_OK) == 0)
		file = DLPD_DEFAULT_CONFIG;
	if (file != NULL && dlp_dconf_load(c, file, err, sizeof(err)) != 0) {
		fprintf(stderr, "dlpd: %s\n", err);
		return -1;
	}
	for (i = 1; i < argc; i++) {
		const char *kv = NULL;

		if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
			kv = argv[++i];
		else if (strncmp(argv[i], "-o", 2) == 0 && argv[i][2] != '\0')
			kv = argv[i] + 2;
		else if ((strcmp(argv[i], "-d") == 0 ||
		             strcmp(argv[i], "--data-dir") == 0) &&
		         i + 1 < argc) {
			if (dlp_dconf_set(c, "data_dir", argv[++i], err,
			        sizeof(err)) != 0)
				goto bad;
			continue;
		} else if (strncmp(argv[i], "--data-dir=", 11) == 0) {
			if (dlp_dconf_set(c, "data_dir", argv[i] + 11, err,
			        sizeof(err)) != 0)
				goto bad;
			continue;
		} else if (strcmp(argv[i], "-c") == 0 ||
		           strcmp(argv[i], "--config") == 0) {
			i++;
			continue;
		}
		if (kv == NULL)
			continue;
		char key[128];

		if ((eq = strchr(kv, '=')) == NULL ||
		    (size_t)(eq - kv) >= sizeof(key)) {
			fprintf(stderr, "dlpd: -o wants KEY=VALUE: %s\n", kv);
			return -1;
		}
		memcpy(key, kv, (size_t)(eq - kv));
		key[eq - kv] = '\0';
		if (dlp_dconf_set(c, key, eq + 1, err, sizeof(err)) != 0)
			goto bad;
	}
	if (dlp_dconf_check(c, err, sizeof(err)) != 0)
		goto bad;
	return 0;
bad:
	fprintf(stderr, "dlpd: %s\n", err);
	return -1;
}

static int
check_config(const struct dlp_dconf *c)
{
	struct dlp_engine *eng = NULL;
	char err[1024];

	if (dlp_svc_build_engine(c, &eng, err, sizeof(err)) != 0) {
		fprintf(stderr, "dlpd: %s\n", err);
		return 1;
	}
	printf("dlpd: configuration OK; %zu rules, signatures %s\n",
	    dlp_engine_nrules(eng), dlp_engine_signature_id(eng));
	dlp_engine_free(eng);
	return 0;
}

int
main(int argc, char **argv)
{
	static struct dlp_svc svc; /* the milter callbacks point here */
	struct dlp_audit *audit = NULL;
	struct dlp_http *http = NULL;
	struct dlp_dconf conf;
	struct sigctx sc;
	pthread_t sigthr;
	bool check, sig_started = false, svc_up = false;
	uid_t uid = 0;
	gid_t gid = 0, pgid = 0;
	char err[1024], uname[64] = "";
	sigset_t set;
	int rc = 1;

	/* With TZ unset, glibc stats /etc/localtime on every localtime()
	 * call, and libraries below the engine call it per document: name
	 * the zone once, before any thread starts (an operator's TZ wins). */
	if (getenv("TZ") == NULL)
		setenv("TZ", ":/etc/localtime", 0);
	if (dlp_dconf_init(&conf) != 0) {
		fprintf(stderr, "dlpd: out of memory\n");
		return 1;
	}
	if (load_config(&conf, argc, argv, &check) != 0)
		goto out;
	if (check) {
		rc = check_config(&conf);
		goto out;
	}
	dlp_log_open(conf.log_syslog, conf.log_debug);

	/* Every thread created from here on inherits this mask. */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	if (geteuid() == 0) {
		if (find_user(&conf, &uid, &gid, uname, sizeof(uname)) != 0) {
			dlp_log(DLP_LOG_ERR, "no user to run as");
			goto out;
		}
		struct passwd *pw = getpwnam(uname);

		pgid = pw ? pw->pw_gid : gid;
	} else {
		uid = geteuid();
		gid = getegid();
		pgid = gid;
	}
	if (dlp_audit_open(conf.audit_log, &audit) != 0) {
		dlp_log(DLP_LOG_ERR, "audit log %s: %s", conf.audit_log,
		    strerror(errno));
		goto out;
	}
	if (audit != NULL && geteuid() == 0 &&
	    chown(conf.audit_log, uid, gid) != 0)
		dlp_log(DLP_LOG_WARN, "chown %s: %s", conf.audit_log,
		    strerror(errno));
	if ((conf.http_socket[0] &&
	        socket_dir(conf.http_socket, uid, gid) != 0) ||
	    socket_dir(milter_path(&conf), uid, gid) != 0)
		goto out;
	if (dlp_http_open(&conf, uid, gid, &http, err, sizeof(err)) != 0) {
		dlp_log(DLP_LOG_ERR, "%s", err);
		goto out;
	}
	if (conf.milter_socket[0] != '\0') {
		if (dlp_milter_setup(&svc, &conf, err, sizeof(err)) != 0 ||
		    dlp_milter_chown(&conf, uid, gid) != 0) {
			dlp_log(DLP_LOG_ERR, "%s", err);
			goto out;
		}
	}
	if (geteuid() == 0 && drop_privileges(uid, pgid, gid, uname) != 0)
		goto out;

	if (dlp_svc_init(&svc, &conf, audit, err, sizeof(err)) != 0) {
		dlp_log(DLP_LOG_ERR, "%s", err);
		goto out;
	}
	svc_up = true;
	{
		struct dlp_eref *e = dlp_svc_acquire(&svc);

		dlp_log(DLP_LOG_INFO, "engine ready: %zu rules, signatures %s",
		    dlp_engine_nrules(e->eng), dlp_engine_signature_id(e->eng));
		dlp_svc_release(e);
	}
	if (dlp_http_start(http, &svc, err, sizeof(err)) != 0) {
		dlp_log(DLP_LOG_ERR, "%s", err);
		goto out;
	}
	memset(&sc, 0, sizeof(sc));
	sc.svc = &svc;
	sc.audit = audit;
	sc.milter = conf.milter_socket[0] != '\0';
	if (pthread_create(&sigthr, NULL, signal_main, &sc) != 0) {
		dlp_log(DLP_LOG_ERR, "cannot start the signal thread");
		goto out;
	}
	sig_started = true;
	dlp_log(DLP_LOG_INFO, "serving:%s%s%s%s%s%s",
	    conf.http_socket[0] ? " http unix:" : "", conf.http_socket,
	    conf.http_tcp[0] ? " http tcp:" : "", conf.http_tcp,
	    conf.milter_socket[0] ? " milter " : "", conf.milter_socket);
	if (sc.milter) {
		/* libmilter takes SIGTERM/SIGHUP/SIGINT itself. */
		rc = dlp_milter_run() == 0 ? 0 : 1;
	} else {
		pthread_join(sigthr, NULL); /* returns on SIGTERM/SIGINT */
		sig_started = false;
		rc = 0;
	}
	dlp_log(DLP_LOG_INFO, "stopping");
out:
	if (sig_started) {
		sc.stop = 1;
		pthread_kill(sigthr, SIGUSR2);
		pthread_join(sigthr, NULL);
	}
	dlp_http_stop(http);
	if (svc_up)
		dlp_svc_fini(&svc);
	dlp_audit_close(audit);
	dlp_dconf_fini(&conf);
	return rc;
}
