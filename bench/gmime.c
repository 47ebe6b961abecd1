/*
 * gmime.c - the MIME reference: GMime 3 parses each message and decodes
 * every leaf part into a null stream, as a mail client would to show it.
 * Timed one message at a time, beside our MIME stage on the same message
 * (stages.c), so that a change in the machine's load hits both.
 * Built only when pkg-config finds gmime-3.0 (DLP_BENCH_GMIME).
 */
#include "dlpbench.h"

#ifdef DLP_BENCH_GMIME
#include <gmime/gmime.h>

static void
decode_part(GMimeObject *parent, GMimeObject *part, gpointer data)
{
	size_t *parts = data;
	GMimeDataWrapper *w;
	GMimeStream *null;

	(void)parent;
	(*parts)++;
	if (!GMIME_IS_PART(part))
		return;
	if ((w = g_mime_part_get_content(GMIME_PART(part))) == NULL)
		return;
	null = g_mime_stream_null_new();
	g_mime_data_wrapper_write_to_stream(w, null);
	g_object_unref(null);
}

uint64_t
dlp_bench_gmime_one(const struct dlp_bench_msg *m, size_t *parts)
{
	GMimeStream *s;
	GMimeParser *p;
	GMimeMessage *msg;
	uint64_t t0;

	g_mime_init(); /* counted: only the first call does anything */
	t0 = dlp_bench_cpu_now();
	s = g_mime_stream_mem_new_with_buffer((const char *)m->p, m->len);
	p = g_mime_parser_new_with_stream(s);
	if ((msg = g_mime_parser_construct_message(p, NULL)) != NULL) {
		(void)g_mime_message_get_subject(msg);
		g_mime_message_foreach(msg, decode_part, parts);
		g_object_unref(msg);
	}
	g_object_unref(p);
	g_object_unref(s);
	return dlp_bench_cpu_now() - t0;
}

const char *
dlp_bench_gmime_version(void)
{
	static char v[32];

	snprintf(v, sizeof(v), "%u.%u.%u", gmime_major_version,
	    gmime_minor_version, gmime_micro_version);
	return v;
}
#else
uint64_t
dlp_bench_gmime_one(const struct dlp_bench_msg *m, size_t *parts)
{
	(void)m;
	(void)parts;
	return 0;
}

const char *
dlp_bench_gmime_version(void)
{
	return "";
}
#endif
