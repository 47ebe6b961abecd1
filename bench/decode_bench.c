/*
 * decode_bench.c - throughput of the decoding kernels: base64 and
 * quoted-printable decode, HTML to text and normalisation, each on a
 * generated 64 MiB buffer, printed beside memcpy of the same bytes in
 * the same run. Best of N runs (default 5; argv[1] overrides); argv[2]
 * (optional) runs only the kernels whose name contains it.
 *
 * A program, not a test: the numbers depend on the machine.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "html.h"
#include "internal.h"
#include "normalise.h"

#define SIZE (64u << 20)

static uint32_t seed = 2463534242u;

static uint32_t
rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 17;
	seed ^= seed << 5;
	return seed;
}

static void
gen_base64(struct dlp_buf *b)
{
	static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq"
	                         "rstuvwxyz0123456789+/";
	size_t col = 0;

	while (b->len < SIZE) {
		dlp_buf_putc(b, al[rnd() % 64]);
		if (++col == 76) {
			dlp_buf_append(b, "\r\n", 2);
			col = 0;
		}
	}
}

static void
gen_qp(struct dlp_buf *b)
{
	static const char *words[] = {"TOP", "SECRET", "caf=C3=A9", "the",
	    "OFFICIAL", "=E2=80=93", "message", "and", "=3D", "sensitive"};
	size_t col = 0, n;
	const char *w;

	while (b->len < SIZE) {
		w = words[rnd() % DLP_NITEMS(words)];
		n = strlen(w);
		dlp_buf_append(b, w, n);
		dlp_buf_putc(b, ' ');
		col += n + 1;
		if (col > 70) {
			dlp_buf_puts(b, rnd() % 2 ? "=\r\n" : "\r\n");
			col = 0;
		}
	}
}

static void
gen_html(struct dlp_buf *b)
{
	static const char *bits[] = {"<p style=\"color:red\">", "</p>",
	    "TOP SECRET ", "lorem ipsum dolor sit amet ", "&nbsp;", "&amp;",
	    "<br>", "<span class=\"x\">", "</span>", "&#8209;",
	    "<a href=\"https://example.com/x\" title=\"t\">", "</a>",
	    "<!-- c -->", "consectetur adipiscing elit, sed do eiusmod ",
	    "<div>", "</div>", "\r\n", "<img src=\"cid:x\" alt=\"logo\">"};

	while (b->len < SIZE)
		dlp_buf_puts(b, bits[rnd() % DLP_NITEMS(bits)]);
}

static void
gen_text(struct dlp_buf *b)
{
	static const char *bits[] = {"TOP SECRET", " ", "  ", "\r\n",
	    "lorem ipsum dolor sit amet", "OFFICIAL\xe2\x80\x93SENSITIVE",
	    "\xc2\xa0", "caf\xc3\xa9", ", ", "consectetur adipiscing elit",
	    "\t", "sed do eiusmod tempor"};

	while (b->len < SIZE)
		dlp_buf_puts(b, bits[rnd() % DLP_NITEMS(bits)]);
}

static double
secs(uint64_t a, uint64_t b)
{
	return (double)(b - a) / 1e9;
}

int
main(int argc, char **argv)
{
	struct dlp_mem mem;
	struct dlp_buf in, out;
	struct dlp_norm norm;
	uint8_t *copy;
	int runs = argc > 1 ? atoi(argv[1]) : 5, r, k;
	double best, bestcp, t;
	uint64_t t0;
	static const char *names[] = {
	    "base64 decode", "qp decode", "html to text", "normalise"};

	dlp_mem_init_default(&mem);
	if (runs < 1)
		runs = 1;
	if ((copy = malloc(SIZE + (1u << 20))) == NULL)
		return 1;
	printf("%-14s %10s %10s %10s %7s\n", "kernel", "MiB in", "MB/s",
	    "memcpy", "ratio");
	for (k = 0; k < 4; k++) {
		/* argv[2], if given, picks kernels by name. */
		if (argc > 2 && strstr(names[k], argv[2]) == NULL)
			continue;
		dlp_buf_init(&in, &mem);
		dlp_buf_init(&out, &mem);
		dlp_norm_init(&norm, &mem);
		seed = 2463534242u;
		if (!dlp_buf_reserve(&in, SIZE + 4096))
			return 1;
		switch (k) {
		case 0:
			gen_base64(&in);
			break;
		case 1:
			gen_qp(&in);
			break;
		case 2:
			gen_html(&in);
			break;
		case 3:
			gen_text(&in);
			break;
		}
		best = bestcp = 1e9;
		for (r = 0; r < runs; r++) {
			bool ok = true;
			dlp_buf_reset(&out);
			t0 = dlp_now_ns();
			switch (k) {
			case 0:
				ok =
				    dlp_decode_base64(in.p, in.len, &out, NULL);
				break;
			case 1:
				ok = dlp_decode_qp(in.p, in.len, &out, NULL);
				break;
			case 2:
				ok = dlp_html_to_text(in.p, in.len, &out);
				break;
			case 3:
				ok = dlp_normalise(&norm, in.p, in.len);
				break;
			}
			t = secs(t0, dlp_now_ns());
			if (!ok)
				return 1;
			if (t < best)
				best = t;
			t0 = dlp_now_ns();
			memcpy(copy, in.p, in.len);
			t = secs(t0, dlp_now_ns());
			/* Keep the copy observable. */
			if (copy[in.len / 2] != in.p[in.len / 2])
				return 1;
			if (t < bestcp)
				bestcp = t;
		}
		printf("%-14s %10.1f %10.0f %10.0f %7.3f\n", names[k],
		    (double)in.len / (1 << 20), (double)in.len / best / 1e6,
		    (double)in.len / bestcp / 1e6, bestcp / best);
		dlp_norm_fini(&norm);
		dlp_buf_fini(&in);
		dlp_buf_fini(&out);
	}
	free(copy);
	return 0;
}
