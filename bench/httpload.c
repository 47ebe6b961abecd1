/*
 * httpload.c - the service benchmark (issue 7): N concurrent HTTP/1.1
 * clients POST the corpus messages to dlpd's /v1/scan on its unix socket,
 * with keep-alive, and report messages/s and latency percentiles.
 *
 *   httpload --socket PATH --corpus DIR --clients N --seconds S --json OUT
 *
 * Each client sends the next message (a shared counter over the corpus)
 * and waits for the whole reply before sending again. Latency is from
 * the first byte sent to the last byte of the reply. Replies other than
 * 200 are counted by status (503 = overload), never retried.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

struct msg {
	char *p;
	size_t len;
};

struct run {
	const char *sock;
	struct msg *m;
	size_t n;
	uint64_t deadline;
	atomic_size_t next;
};

struct client {
	struct run *r;
	pthread_t th;
	uint64_t *lat;
	size_t nlat, cap;
	size_t ok, overload, other, errors;
};

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void
die(const char *what)
{
	fprintf(stderr, "httpload: %s\n", what);
	exit(1);
}

static int
connect_unix(const char *path)
{
	struct sockaddr_un sa;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

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
send_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t k = send(fd, p, n, MSG_NOSIGNAL);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* Read one reply; its status, or -1 on error. *keep: connection reusable. */
static int
read_reply(int fd, char *buf, size_t cap, int *keep)
{
	size_t have = 0, body = 0, head = 0;
	int status = -1;

	*keep = 1;
	for (;;) {
		ssize_t k;
		char *e;

		if (head == 0 && have > 0) {
			buf[have] = '\0';
			if ((e = strstr(buf, "\r\n\r\n")) != NULL) {
				char *cl;

				head = (size_t)(e - buf) + 4;
				if (sscanf(buf, "HTTP/1.%*d %d", &status) != 1)
					return -1;
				for (cl = buf; cl < e; cl++)
					if (strncasecmp(cl,
					        "\ncontent-length:", 16) == 0)
						body =
						    strtoul(cl + 16, NULL, 10);
				for (cl = buf; cl < e; cl++)
					if (strncasecmp(cl,
					        "\nconnection: close", 18) == 0)
						*keep = 0;
			}
		}
		if (head > 0 && have >= head + body)
			return status;
		if (have + 1 >= cap) {
			/* Discard the body we do not need beyond the head. */
			if (head == 0)
				return -1;
			body -= have - head;
			have = head;
		}
		k = recv(fd, buf + have, cap - have - 1, 0);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		have += (size_t)k;
	}
}

static void *
client_main(void *arg)
{
	struct client *c = arg;
	struct run *r = c->r;
	char head[512], *buf = malloc(65536);
	int fd = -1;

	if (buf == NULL)
		die("out of memory");
	while (now_ns() < r->deadline) {
		size_t i = atomic_fetch_add(&r->next, 1) % r->n;
		uint64_t t0;
		int n, st, keep;

		if (fd < 0 && (fd = connect_unix(r->sock)) < 0) {
			c->errors++;
			nanosleep(&(struct timespec){0, 10000000}, NULL);
			continue;
		}
		n = snprintf(head, sizeof(head),
		    "POST /v1/scan HTTP/1.1\r\nHost: dlpd\r\n"
		    "Content-Type: message/rfc822\r\n"
		    "DLP-Mail-From: sender@corp.example.gov.uk\r\n"
		    "DLP-Rcpt: contact@partner.example.com\r\n"
		    "Content-Length: %zu\r\n\r\n",
		    r->m[i].len);
		t0 = now_ns();
		if (send_all(fd, head, (size_t)n) != 0 ||
		    send_all(fd, r->m[i].p, r->m[i].len) != 0 ||
		    (st = read_reply(fd, buf, 65536, &keep)) < 0) {
			c->errors++;
			close(fd);
			fd = -1;
			continue;
		}
		if (st == 200) {
			c->ok++;
			if (c->nlat == c->cap) {
				c->cap = c->cap ? c->cap * 2 : 1024;
				c->lat =
				    realloc(c->lat, c->cap * sizeof(*c->lat));
				if (c->lat == NULL)
					die("out of memory");
			}
			c->lat[c->nlat++] = now_ns() - t0;
		} else if (st == 503 || st == 429) {
			c->overload++;
		} else {
			c->other++;
		}
		if (!keep) {
			close(fd);
			fd = -1;
		}
	}
	if (fd >= 0)
		close(fd);
	free(buf);
	return NULL;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void
load(const char *dir, struct run *r)
{
	char path[4096], line[4096];
	size_t cap = 0;
	FILE *mf;

	snprintf(path, sizeof(path), "%s/manifest.jsonl", dir);
	if ((mf = fopen(path, "r")) == NULL)
		die("cannot open the manifest");
	while (fgets(line, sizeof(line), mf) != NULL) {
		char *f = strstr(line, "\"file\":\""), *e;
		FILE *in;
		long sz;

		if (f == NULL || (e = strchr(f + 8, '"')) == NULL)
			continue;
		*e = '\0';
		snprintf(path, sizeof(path), "%s/%s", dir, f + 8);
		if ((in = fopen(path, "rb")) == NULL ||
		    fseek(in, 0, SEEK_END) || (sz = ftell(in)) < 0 ||
		    fseek(in, 0, SEEK_SET))
			die("cannot read a message");
		if (r->n == cap) {
			cap = cap ? cap * 2 : 1024;
			if ((r->m = realloc(r->m, cap * sizeof(*r->m))) == NULL)
				die("out of memory");
		}
		if ((r->m[r->n].p = malloc((size_t)sz + 1)) == NULL ||
		    fread(r->m[r->n].p, 1, (size_t)sz, in) != (size_t)sz)
			die("short read");
		r->m[r->n].len = (size_t)sz;
		r->n++;
		fclose(in);
	}
	fclose(mf);
	if (r->n == 0)
		die("empty corpus");
}

int
main(int argc, char **argv)
{
	const char *sock = NULL, *corpus = NULL, *json = NULL;
	unsigned nc = 1;
	double secs = 2;
	struct run r;
	struct client *cl;
	uint64_t t0, wall, *all;
	size_t nall = 0, ok = 0, over = 0, other = 0, errs = 0;
	FILE *f;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--socket") == 0)
			sock = argv[i + 1];
		else if (strcmp(argv[i], "--corpus") == 0)
			corpus = argv[i + 1];
		else if (strcmp(argv[i], "--clients") == 0)
			nc = (unsigned)strtoul(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--seconds") == 0)
			secs = strtod(argv[i + 1], NULL);
		else if (strcmp(argv[i], "--json") == 0)
			json = argv[i + 1];
	}
	if (sock == NULL || corpus == NULL || json == NULL || nc == 0 ||
	    nc > 1024) {
		fprintf(stderr, "usage: httpload --socket PATH --corpus DIR "
		                "--clients N --seconds S --json OUT\n");
		return 2;
	}
	memset(&r, 0, sizeof(r));
	r.sock = sock;
	load(corpus, &r);
	if ((cl = calloc(nc, sizeof(*cl))) == NULL)
		die("out of memory");
	t0 = now_ns();
	r.deadline = t0 + (uint64_t)(secs * 1e9);
	atomic_init(&r.next, 0);
	for (unsigned i = 0; i < nc; i++) {
		cl[i].r = &r;
		if (pthread_create(&cl[i].th, NULL, client_main, &cl[i]) != 0)
			die("pthread_create");
	}
	for (unsigned i = 0; i < nc; i++) {
		pthread_join(cl[i].th, NULL);
		nall += cl[i].nlat;
	}
	wall = now_ns() - t0;
	if ((all = malloc((nall + 1) * sizeof(*all))) == NULL)
		die("out of memory");
	nall = 0;
	for (unsigned i = 0; i < nc; i++) {
		memcpy(all + nall, cl[i].lat, cl[i].nlat * sizeof(*all));
		nall += cl[i].nlat;
		ok += cl[i].ok;
		over += cl[i].overload;
		other += cl[i].other;
		errs += cl[i].errors;
		free(cl[i].lat);
	}
	qsort(all, nall, sizeof(*all), cmp_u64);
	if ((f = fopen(json, "w")) == NULL)
		die("cannot write the JSON");
	fprintf(f,
	    "{\"clients\":%u,\"seconds\":%.4f,\"ok\":%zu,\"overload\":%zu,"
	    "\"other_status\":%zu,\"errors\":%zu,\"msg_per_s\":%.1f,"
	    "\"p50_ms\":%.3f,\"p99_ms\":%.3f}\n",
	    nc, (double)wall / 1e9, ok, over, other, errs,
	    (double)ok * 1e9 / (double)wall,
	    nall ? (double)all[nall / 2] / 1e6 : 0.0,
	    nall ? (double)all[nall * 99 / 100] / 1e6 : 0.0);
	if (fclose(f) != 0)
		die("cannot write the JSON");
	free(all);
	free(cl);
	for (size_t i = 0; i < r.n; i++)
		free(r.m[i].p);
	free(r.m);
	return 0;
}
