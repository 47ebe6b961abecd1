/*
 * http_bench.c - dlpd's service overhead: messages/s and p50/p99 latency
 * over HTTP (POST /v1/scan on dlpd's unix socket, persistent connections)
 * with 1, 2, 8 and 64 concurrent clients, beside in-process scanning of
 * the same messages, with the ratio; and clamd INSTREAM on the same
 * messages when a clamd socket is there, for reference.
 *
 *   http_bench -s /run/dlpscan/scan.sock [-d DATA_DIR] [-t SECONDS]
 *              [-c 1,2,8,64] [-r REPEATS] [-w WORKERS] [-p DLPD_PID]
 *              [-C /run/clamav/clamd.ctl] FILE|DIR ...
 *
 * The HTTP side is one client thread with an epoll loop over all its
 * connections (as wrk drives a server), each request's head and body in
 * one send: a blocked thread per client would spend the machine's CPU on
 * its own wake-ups, taken from the server on a small machine.
 *
 * Like with like: in each run the two sides scan exactly the same
 * messages (one side runs for -t seconds, the other takes the same
 * message indices), with the same envelope, and both render the JSON
 * result (dlpscan --json's output, which dlpd's reply carries);
 * in-process scanning uses as
 * many threads as dlpd has scanning workers (min(clients, -w)), one
 * struct dlp_scan each. The machine is shared, so each figure is the
 * median of -r runs, alternating which side goes first. With -p, the
 * CPU time of dlpd plus the clients is set against the in-process CPU
 * time for the same messages: that ratio hardly moves with the load.
 *
 * Not a test: it prints numbers. bench/http_bench.sh starts a dlpd for it.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>

#include "dlp.h"

#define MAX_MSGS             5000
#define MAX_MSG_BYTES        (8u << 20)
#define DLPD_BENCH_NITEMS(a) (sizeof(a) / sizeof((a)[0]))

struct msg {
	char *p;
	size_t len;
};

static struct msg msgs[MAX_MSGS];
static size_t nmsgs;
static size_t total_bytes;

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
load_file(const char *path)
{
	struct stat st;
	FILE *f;

	if (nmsgs >= MAX_MSGS || stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size == 0 || (size_t)st.st_size > MAX_MSG_BYTES)
		return;
	if ((f = fopen(path, "rb")) == NULL)
		return;
	msgs[nmsgs].p = malloc((size_t)st.st_size);
	if (msgs[nmsgs].p != NULL && fread(msgs[nmsgs].p, 1, (size_t)st.st_size,
	                                 f) == (size_t)st.st_size) {
		msgs[nmsgs].len = (size_t)st.st_size;
		total_bytes += msgs[nmsgs].len;
		nmsgs++;
	}
	fclose(f);
}

static void
load_path(const char *path, int depth)
{
	struct dirent *de;
	struct stat st;
	char sub[4096];
	DIR *d;

	if (stat(path, &st) != 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		load_file(path);
		return;
	}
	if (depth > 4 || (d = opendir(path)) == NULL)
		return;
	while ((de = readdir(d)) != NULL && nmsgs < MAX_MSGS) {
		size_t n = strlen(de->d_name);

		if (de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
		if (stat(sub, &st) == 0 && S_ISDIR(st.st_mode))
			load_path(sub, depth + 1);
		else if (n > 4 && strcmp(de->d_name + n - 4, ".eml") == 0)
			load_file(sub);
	}
	closedir(d);
}

/* ---- one run: nthreads clients over the same messages ---- */

enum mode { M_INPROC, M_HTTP, M_CLAMD };

/*
 * A run hands out message indices first..first+count-1 from one counter
 * (count 0: until the deadline; every index taken is finished), so two
 * runs given the same first and count scan exactly the same messages.
 */
struct runset {
	enum mode mode;
	const char *sock;
	struct dlp_scan **scans; /* in-process: one per thread, warm */
	double until;
	size_t first, count;
	atomic_size_t next;
};

struct run {
	struct runset *rs;
	unsigned id;
	double *lat;
	size_t nlat, caplat;
	size_t errors;
	unsigned nconn; /* HTTP: the connections this thread drives */
};

static int
connect_unix(const char *path)
{
	struct sockaddr_un sa;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int
write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, c, n)) < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

/* ---- HTTP: one thread, an epoll loop over the connections ---- */

/* One kept-alive connection, with one request in flight. */
struct hcl {
	int fd;
	const struct msg *m;
	char head[512];
	size_t hlen, sent; /* of head + body */
	size_t have, need; /* reply bytes; need is 0 until the head is in */
	int status;
	bool close_after, want_out;
	double t0;
	char buf[65536];
};

static bool
record(struct run *r, double dt)
{
	if (r->nlat == r->caplat) {
		double *p;
		size_t cap = r->caplat ? r->caplat * 2 : 4096;

		if ((p = realloc(r->lat, cap * sizeof(*p))) == NULL)
			return false;
		r->lat = p;
		r->caplat = cap;
	}
	r->lat[r->nlat++] = dt;
	return true;
}

/* Take the next message index; false when the run is over. */
static bool
take_msg(struct runset *rs, const struct msg **m)
{
	size_t i;

	if (rs->count == 0 && now_s() >= rs->until)
		return false;
	i = atomic_fetch_add(&rs->next, 1);
	if (rs->count != 0 && i >= rs->first + rs->count)
		return false;
	*m = &msgs[i % nmsgs];
	return true;
}

static void
hcl_close(struct hcl *c, int ep)
{
	if (c->fd >= 0) {
		epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
		close(c->fd);
		c->fd = -1;
	}
	c->want_out = false;
}

/* Send what is left of the request: 0 all sent, 1 later, -1 error. */
static int
hcl_send(struct hcl *c, int ep)
{
	struct iovec iov[2];
	struct msghdr mh;
	struct epoll_event ev;
	size_t total = c->hlen + c->m->len, off;
	ssize_t w;

	while (c->sent < total) {
		memset(&mh, 0, sizeof(mh));
		mh.msg_iov = iov;
		if (c->sent < c->hlen)
			iov[mh.msg_iovlen++] = (struct iovec){
			    c->head + c->sent, c->hlen - c->sent};
		off = c->sent > c->hlen ? c->sent - c->hlen : 0;
		iov[mh.msg_iovlen++] =
		    (struct iovec){c->m->p + off, c->m->len - off};
		/* MSG_NOSIGNAL: a server that closed early is an error
		 * here, not a SIGPIPE. */
		if ((w = sendmsg(c->fd, &mh, MSG_NOSIGNAL)) < 0 &&
		    errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (w <= 0)
			return -1;
		c->sent += (size_t)w;
	}
	if ((c->sent < total) != c->want_out) {
		c->want_out = c->sent < total;
		ev.events = EPOLLIN | (c->want_out ? EPOLLOUT : 0);
		ev.data.ptr = c;
		if (epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev) != 0)
			return -1;
	}
	return c->sent < total;
}

/* Start the next request on c (connecting if need be); false, with c
 * closed, when the run has no more messages for it. A failed request
 * counts as an error and the next one is tried, as a gateway would. */
static bool
hcl_start(struct run *r, struct hcl *c, int ep)
{
	struct epoll_event ev;
	int n;

	while (take_msg(r->rs, &c->m)) {
		if (c->fd < 0) {
			if ((c->fd = connect_unix(r->rs->sock)) < 0)
				goto fail;
			fcntl(
			    c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
			ev.events = EPOLLIN;
			ev.data.ptr = c;
			if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) != 0)
				goto fail;
		}
		n = snprintf(c->head, sizeof(c->head),
		    "POST /v1/scan HTTP/1.1\r\nHost: dlp\r\n"
		    "Content-Type: message/rfc822\r\n"
		    "DLP-Mail-From: <alice@corp.example>\r\n"
		    "DLP-Rcpt: <bob@partner.example>\r\n"
		    "Content-Length: %zu\r\n\r\n",
		    c->m->len);
		c->hlen = (size_t)n;
		c->sent = c->have = c->need = 0;
		c->t0 = now_s();
		if (hcl_send(c, ep) >= 0)
			return true;
	fail:
		r->errors++;
		hcl_close(c, ep);
	}
	/* Done: closed, so that no later event (the server closing an idle
	 * connection) is taken for a reply. */
	hcl_close(c, ep);
	return false;
}

/* Read what the socket has of the reply: 0 done (status set), 1 more
 * to come, -1 error. */
static int
hcl_read(struct hcl *c)
{
	char *end, *cl;
	size_t at, clen = 0;
	ssize_t n;

	for (;;) {
		at = c->need == 0 ? c->have : 0; /* after the head: discard */
		if (c->need == 0 && at == sizeof(c->buf) - 1)
			return -1;
		n = read(c->fd, c->buf + at,
		    c->need == 0 ? sizeof(c->buf) - 1 - at : sizeof(c->buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 1;
		if (n <= 0)
			return -1;
		c->have += (size_t)n;
		if (c->need == 0) {
			c->buf[c->have] = '\0';
			if ((end = strstr(c->buf, "\r\n\r\n")) == NULL)
				continue;
			if (sscanf(c->buf, "HTTP/1.1 %d", &c->status) != 1)
				return -1;
			*end = '\0';
			if ((cl = strcasestr(c->buf, "\r\nContent-Length:")) !=
			    NULL)
				clen = strtoul(cl + 17, NULL, 10);
			c->close_after =
			    strcasestr(c->buf, "\r\nConnection: close") != NULL;
			c->need = (size_t)(end + 4 - c->buf) + clen;
		}
		if (c->have >= c->need)
			return 0;
	}
}

static void *
http_main(void *vp)
{
	struct run *r = vp;
	struct epoll_event ev[64];
	struct hcl *cs = calloc(r->nconn, sizeof(*cs));
	unsigned k, active = 0;
	int ep = epoll_create1(EPOLL_CLOEXEC), ne, i, rc;

	if (cs == NULL || ep < 0)
		goto out;
	for (k = 0; k < r->nconn; k++) {
		cs[k].fd = -1;
		active += hcl_start(r, &cs[k], ep);
	}
	while (active > 0) {
		/* A server that answers nothing for 60 s is not measured. */
		if ((ne = epoll_wait(ep, ev, 64, 60000)) < 0 && errno == EINTR)
			continue;
		if (ne <= 0)
			break;
		for (i = 0; i < ne; i++) {
			struct hcl *c = ev[i].data.ptr;

			if (c->sent < c->hlen + c->m->len) {
				if (hcl_send(c, ep) < 0) {
					r->errors++;
					hcl_close(c, ep);
					active -= !hcl_start(r, c, ep);
				}
				continue;
			}
			if ((rc = hcl_read(c)) == 1)
				continue;
			if (rc == 0 && c->status == 200) {
				if (!record(r, now_s() - c->t0))
					r->errors++;
			} else {
				r->errors++;
			}
			if (rc != 0 || c->close_after)
				hcl_close(c, ep);
			active -= !hcl_start(r, c, ep);
		}
	}
out:
	for (k = 0; cs != NULL && k < r->nconn; k++)
		if (cs[k].fd >= 0)
			close(cs[k].fd);
	free(cs);
	if (ep >= 0)
		close(ep);
	return NULL;
}

/* clamd INSTREAM (a new connection per message, as clamd wants). */
static int
clamd_scan(const char *sock, const struct msg *m)
{
	char reply[256];
	uint32_t n;
	size_t off;
	ssize_t r;
	int fd = connect_unix(sock), rc = -1;

	if (fd < 0)
		return -1;
	if (write_all(fd, "zINSTREAM", 10) != 0)
		goto out;
	for (off = 0; off < m->len; off += 65536) {
		size_t k = m->len - off < 65536 ? m->len - off : 65536;

		n = htonl((uint32_t)k);
		if (write_all(fd, &n, 4) != 0 || write_all(fd, m->p + off, k))
			goto out;
	}
	n = 0;
	if (write_all(fd, &n, 4) != 0)
		goto out;
	if ((r = read(fd, reply, sizeof(reply) - 1)) > 0) {
		reply[r] = '\0';
		rc = strstr(reply, "OK") || strstr(reply, "FOUND") ? 0 : -1;
	}
out:
	close(fd);
	return rc;
}

/* In-process scanning, or clamd: a thread per client. */
static void *
client_main(void *vp)
{
	struct run *r = vp;
	struct runset *rs = r->rs;
	struct dlp_scan *scan = rs->scans != NULL ? rs->scans[r->id] : NULL;
	struct dlp_result *res;
	struct dlp_envelope env;
	/* The envelope the HTTP client sends, byte for byte. */
	const char *rcpt = "<bob@partner.example>";
	const struct msg *m;
	int rc;
	double t0;

	memset(&env, 0, sizeof(env));
	env.mail_from = "<alice@corp.example>";
	env.rcpts = &rcpt;
	env.nrcpts = 1;
	while (take_msg(rs, &m)) {
		t0 = now_s();
		if (rs->mode == M_INPROC) {
			/* What dlpscan --json does, and what dlpd's reply
			 * carries: the scan and the JSON result. */
			char *json = NULL;

			rc = dlp_scan_message(scan, m->p, m->len, &env, &res) ==
			                 DLP_OK &&
			             dlp_result_to_json(
			                 res, NULL, &json, NULL) == DLP_OK
			         ? 0
			         : -1;
			dlp_result_free_json(res, json);
			dlp_result_free(res);
		} else {
			rc = clamd_scan(rs->sock, m);
		}
		if (rc != 0)
			r->errors++;
		else if (!record(r, now_s() - t0))
			break;
	}
	return NULL;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* CPU seconds used so far by this process, or by pid (0: none). */
static double
cpu_self(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
cpu_of(long pid)
{
	unsigned long ut = 0, st = 0;
	char path[64], buf[1024], *p;
	FILE *f;
	size_t n;

	if (pid <= 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* Fields 14 and 15 (utime, stime) follow the ")" of the name. */
	if ((p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
	        &ut, &st) != 2)
		return 0;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

struct stats {
	double rate, p50, p99;
	double cpu, cpu_client; /* CPU seconds per message: all, clients */
	size_t n, errors;
};

static struct stats
measure(enum mode mode, const char *sock, struct dlp_scan **scans,
    unsigned nthreads, double seconds, size_t first, size_t count,
    long server_pid)
{
	struct run *runs = calloc(nthreads, sizeof(*runs));
	pthread_t *t = calloc(nthreads, sizeof(*t));
	struct runset rs;
	struct stats s = {0};
	double *all = NULL, start, cpu0, srv0;
	size_t k = 0;
	unsigned i;

	if (runs == NULL || t == NULL)
		goto out;
	rs.mode = mode;
	rs.sock = sock;
	rs.scans = scans;
	rs.first = first;
	rs.count = count;
	atomic_init(&rs.next, first);
	cpu0 = cpu_self();
	srv0 = cpu_of(server_pid);
	start = now_s();
	rs.until = start + seconds;
	if (mode == M_HTTP) { /* one thread, nthreads connections */
		runs[0] = (struct run){&rs, 0, NULL, 0, 0, 0, nthreads};
		nthreads = 1;
		pthread_create(&t[0], NULL, http_main, &runs[0]);
	} else {
		for (i = 0; i < nthreads; i++) {
			runs[i] = (struct run){&rs, i, NULL, 0, 0, 0, 0};
			pthread_create(&t[i], NULL, client_main, &runs[i]);
		}
	}
	for (i = 0; i < nthreads; i++) {
		pthread_join(t[i], NULL);
		s.n += runs[i].nlat;
		s.errors += runs[i].errors;
	}
	s.rate = (double)s.n / (now_s() - start);
	if (s.n > 0) {
		s.cpu_client = (cpu_self() - cpu0) / (double)s.n;
		s.cpu =
		    s.cpu_client + (cpu_of(server_pid) - srv0) / (double)s.n;
	}
	if (s.n > 0 && (all = malloc(s.n * sizeof(*all))) != NULL) {
		for (i = 0; i < nthreads; i++) {
			memcpy(
			    all + k, runs[i].lat, runs[i].nlat * sizeof(*all));
			k += runs[i].nlat;
		}
		qsort(all, s.n, sizeof(*all), cmp_double);
		s.p50 = all[s.n / 2] * 1e3;
		s.p99 = all[(s.n * 99) / 100] * 1e3;
	}
out:
	for (i = 0; runs != NULL && i < nthreads; i++)
		free(runs[i].lat);
	free(all);
	free(runs);
	free(t);
	return s;
}

static double
median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n == 0 ? 0 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

#define MAX_REPEATS 15

static size_t
parse_levels(const char *arg, unsigned *out, size_t max)
{
	size_t n = 0;
	char *end;
	unsigned long v;

	while (*arg != '\0' && n < max) {
		v = strtoul(arg, &end, 10);
		if (end == arg || v == 0 || v > 1024)
			return 0;
		out[n++] = (unsigned)v;
		arg = *end == ',' ? end + 1 : end;
		if (*end != ',' && *end != '\0')
			return 0;
	}
	return n;
}

int
main(int argc, char **argv)
{
	unsigned levels[16] = {1, 2, 8, 64};
	size_t nlevels = 4;
	const char *sock = "/run/dlpscan/scan.sock", *data = NULL;
	const char *clamd = "/run/clamav/clamd.ctl";
	struct dlp_config *cfg = NULL;
	struct dlp_engine *eng = NULL;
	struct dlp_scan **scans = NULL;
	struct dlp_error err;
	unsigned u;
	double seconds = 3;
	unsigned workers = (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
	unsigned repeats = 3;
	long server_pid = 0;
	size_t offset = 0;
	struct stat st;
	int ch, i;
	size_t l;

	while ((ch = getopt(argc, argv, "s:d:t:C:c:r:w:p:")) != -1) {
		switch (ch) {
		case 's':
			sock = optarg;
			break;
		case 'd':
			data = optarg;
			break;
		case 't':
			seconds = atof(optarg);
			break;
		case 'C':
			clamd = optarg;
			break;
		case 'c':
			if ((nlevels = parse_levels(optarg, levels,
			         DLPD_BENCH_NITEMS(levels))) == 0)
				goto usage;
			break;
		case 'r':
			repeats = (unsigned)atoi(optarg);
			if (repeats < 1 || repeats > MAX_REPEATS)
				goto usage;
			break;
		case 'w':
			workers = (unsigned)atoi(optarg);
			break;
		case 'p':
			server_pid = atol(optarg);
			break;
		default:
			goto usage;
		}
	}
	if (workers < 1)
		workers = 1;
	for (i = optind; i < argc; i++)
		load_path(argv[i], 0);
	if (nmsgs == 0) {
		fprintf(stderr, "http_bench: no messages (*.eml) found\n");
		return 2;
	}
	memset(&err, 0, sizeof(err));
	if (dlp_config_new(&cfg) != DLP_OK ||
	    (data != NULL && dlp_config_set_data_dir(cfg, data) != DLP_OK) ||
	    dlp_engine_new(cfg, &eng, &err) != DLP_OK) {
		fprintf(stderr, "http_bench: engine: %s\n", err.message);
		return 1;
	}
	dlp_config_free(cfg);
	/*
	 * dlpd's workers keep their struct dlp_scan from scan to scan: so do
	 * the in-process threads, made and warmed once, outside the timing.
	 */
	if ((scans = calloc(workers, sizeof(*scans))) == NULL)
		return 1;
	for (u = 0; u < workers; u++) {
		struct dlp_result *res = NULL;
		struct dlp_envelope env;

		memset(&env, 0, sizeof(env));
		if (dlp_scan_new(eng, &scans[u]) != DLP_OK) {
			fprintf(stderr, "http_bench: dlp_scan_new failed\n");
			return 1;
		}
		(void)dlp_scan_message(scans[u], msgs[u % nmsgs].p,
		    msgs[u % nmsgs].len, &env, &res);
		dlp_result_free(res);
	}
	printf("messages: %zu, %.1f KiB on average; %u runs of %.0f s per "
	       "figure, medians; dlpd socket %s, %u workers\n",
	    nmsgs, (double)total_bytes / (double)nmsgs / 1024.0, repeats,
	    seconds, sock, workers);
	printf("in-process threads = min(clients, workers); both sides scan "
	       "the same messages in each run%s\n",
	    server_pid > 0 ? ";\ncpu = in-process CPU-s / (client + dlpd "
	                     "CPU-s) per message; client = the clients' share "
	                     "of that"
	                   : "");
	printf("%8s  %12s %9s %9s  %12s %9s %9s  %7s  %13s  %7s  %7s\n",
	    "clients", "inproc msg/s", "p50 ms", "p99 ms", "http msg/s",
	    "p50 ms", "p99 ms", "ratio", "ratio min-max", "cpu", "client");
	for (l = 0; l < nlevels; l++) {
		double v[7][MAX_REPEATS], cpuv[MAX_REPEATS], clv[MAX_REPEATS];
		unsigned rep, nt = levels[l] < workers ? levels[l] : workers;
		size_t errs = 0;

		for (rep = 0; rep < repeats; rep++) {
			struct stats a, b;

			/*
			 * The first side runs for the time given; the other
			 * scans exactly the messages it scanned. Alternate
			 * which goes first, so drifting load hits both.
			 */
			if (rep % 2 == 0) {
				a = measure(M_INPROC, NULL, scans, nt, seconds,
				    offset, 0, 0);
				b = measure(M_HTTP, sock, NULL, levels[l],
				    seconds, offset, a.n + a.errors,
				    server_pid);
			} else {
				b = measure(M_HTTP, sock, NULL, levels[l],
				    seconds, offset, 0, server_pid);
				a = measure(M_INPROC, NULL, scans, nt, seconds,
				    offset, b.n + b.errors, 0);
			}
			offset = (offset + a.n + a.errors) % nmsgs;
			errs += b.errors;
			v[0][rep] = a.rate;
			v[1][rep] = a.p50;
			v[2][rep] = a.p99;
			v[3][rep] = b.rate;
			v[4][rep] = b.p50;
			v[5][rep] = b.p99;
			v[6][rep] = a.rate > 0 ? 100.0 * b.rate / a.rate : 0;
			cpuv[rep] = b.cpu > 0 ? 100.0 * a.cpu / b.cpu : 0;
			clv[rep] = b.cpu > 0 ? 100.0 * b.cpu_client / b.cpu : 0;
		}
		{
			double lo = v[6][0], hi = v[6][0];
			char range[32];

			for (rep = 1; rep < repeats; rep++) {
				lo = v[6][rep] < lo ? v[6][rep] : lo;
				hi = v[6][rep] > hi ? v[6][rep] : hi;
			}
			snprintf(range, sizeof(range), "%.1f-%.1f%%", lo, hi);
			printf("%8u  %12.0f %9.2f %9.2f  %12.0f %9.2f %9.2f  "
			       "%6.1f%%  %13s  %6.1f%%  %6.1f%%%s\n",
			    levels[l], median(v[0], repeats),
			    median(v[1], repeats), median(v[2], repeats),
			    median(v[3], repeats), median(v[4], repeats),
			    median(v[5], repeats), median(v[6], repeats), range,
			    median(cpuv, repeats), median(clv, repeats),
			    errs ? "  (http errors; 503 = pool full)" : "");
		}
		fflush(stdout);
	}
	if (stat(clamd, &st) == 0 && S_ISSOCK(st.st_mode)) {
		for (l = 0; l < nlevels; l++) {
			struct stats c = measure(
			    M_CLAMD, clamd, NULL, levels[l], seconds, 0, 0, 0);

			printf("clamd INSTREAM %3u clients: %8.0f msg/s, p50 "
			       "%.2f ms, p99 %.2f ms%s\n",
			    levels[l], c.rate, c.p50, c.p99,
			    c.errors ? " (errors)" : "");
		}
	} else {
		printf("clamd: no socket at %s (install clamav-daemon for the "
		       "reference run)\n",
		    clamd);
	}
	for (u = 0; u < workers; u++)
		dlp_scan_free(scans[u]);
	free(scans);
	dlp_engine_free(eng);
	return 0;
usage:
	fprintf(stderr, "usage: http_bench -s SOCKET [-d DATA] [-t SECONDS] "
	                "[-c 1,2,8] [-r REPEATS] [-w WORKERS] [-p DLPD_PID] "
	                "[-C CLAMD] FILE|DIR ...\n");
	return 2;
}
