/*
 * report.c - dlpbench's results as JSON: raw totals, then the derived
 * rates and ratios (each rate beside the reference it is compared to).
 */
#include <string.h>

#include "report.h"

struct dlp_bench_class *
dlp_bench_report_class(struct dlp_bench_report *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nclasses; i++)
		if (strcmp(r->classes[i].name, name) == 0)
			return &r->classes[i];
	if (i == sizeof(r->classes) / sizeof(r->classes[0]))
		i--; /* more classes than slots: fold into the last */
	else
		r->nclasses++;
	snprintf(r->classes[i].name, sizeof(r->classes[i].name), "%s", name);
	return &r->classes[i];
}

static struct dlp_bench_ctr *
ctr(struct dlp_bench_report *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nctrs; i++)
		if (strcmp(r->ctrs[i].name, name) == 0)
			return &r->ctrs[i];
	if (i == sizeof(r->ctrs) / sizeof(r->ctrs[0]))
		i--;
	else
		r->nctrs++;
	snprintf(r->ctrs[i].name, sizeof(r->ctrs[i].name), "%s", name);
	return &r->ctrs[i];
}

void
dlp_bench_report_outcome(struct dlp_bench_report *r,
    const struct dlp_bench_msg *m, enum dlp_verdict v, bool found, bool flagged,
    bool unscanned)
{
	if (v >= DLP_ALLOW && v <= DLP_BLOCK)
		r->verdicts[v]++;
	if (m->container[0] == '\0') {
		r->unplanted++;
		r->false_flagged += flagged;
		r->held_unscanned += unscanned && v != DLP_ALLOW;
		return;
	}
	{
		struct dlp_bench_ctr *k = ctr(r, m->container);

		k->planted++;
		k->found += found;
	}
}

static double
div0(double a, double b)
{
	return b > 0 ? a / b : 0;
}

static void
stages_json(FILE *f, const struct dlp_bench_stages *s)
{
	fprintf(f,
	    "{\"mime_ns\":%llu,\"object_ns\":%llu,\"sniff_ns\":%llu,"
	    "\"normalise_ns\":%llu,"
	    "\"scan_ns\":%llu,\"match_ns\":%llu,\"memcpy_ns\":%llu,"
	    "\"texts\":%zu,"
	    "\"text_bytes\":%zu,\"objects\":%zu,\"hs_matches\":%zu,"
	    "\"objects_by_type\":{",
	    (unsigned long long)s->mime, (unsigned long long)s->object,
	    (unsigned long long)s->sniff, (unsigned long long)s->normalise,
	    (unsigned long long)s->scan, (unsigned long long)s->match,
	    (unsigned long long)s->memcpy, s->texts, s->text_bytes, s->objects,
	    s->hs_matches);
	for (unsigned k = 0; k < DLP_BENCH_NKINDS; k++)
		fprintf(f, "%s\"%s\":{\"count\":%zu,\"ns\":%llu}", k ? "," : "",
		    dlp_bench_kind_names[k], s->kind_n[k],
		    (unsigned long long)s->kind_ns[k]);
	fprintf(f, "}}");
}

int
dlp_bench_report_write(const struct dlp_bench_report *r, const char *path)
{
	FILE *f = fopen(path, "w");
	struct dlp_bench_stages tot;
	uint64_t one_ns = 0, gm_ns = 0;

	if (f == NULL)
		return -1;
	memset(&tot, 0, sizeof(tot));
	for (size_t i = 0; i < r->nclasses; i++) {
		const struct dlp_bench_stages *s = &r->classes[i].st;

		tot.mime += s->mime;
		tot.object += s->object;
		tot.sniff += s->sniff;
		tot.normalise += s->normalise;
		tot.scan += s->scan;
		tot.match += s->match;
		tot.memcpy += s->memcpy;
		tot.texts += s->texts;
		tot.text_bytes += s->text_bytes;
		tot.objects += s->objects;
		tot.hs_matches += s->hs_matches;
		for (unsigned k = 0; k < DLP_BENCH_NKINDS; k++) {
			tot.kind_ns[k] += s->kind_ns[k];
			tot.kind_n[k] += s->kind_n[k];
		}
		one_ns += r->classes[i].one_ns;
		gm_ns += r->classes[i].st.gmime;
	}
	fprintf(f,
	    "{\"tool\":\"dlpbench\",\"dlp_version\":\"%s\","
	    "\"hyperscan\":\"%s\",\"gmime\":\"%s\","
	    "\"signature_id\":\"%s\",\"rules\":%zu,\"threads\":%u,"
	    "\"min_seconds\":%g,\n",
	    dlp_version(), r->hs_version, r->gmime_version, r->signature_id,
	    r->nrules, r->threads, r->min_seconds);
	fprintf(f,
	    "\"startup\":{\"cold_cache_ms\":%.3f,\"warm_cache_ms\":%.3f},\n",
	    (double)r->startup_cold_ns / 1e6, (double)r->startup_warm_ns / 1e6);
	fprintf(f,
	    "\"rss_kb\":{\"engine\":%ld,\"with_corpus\":%ld,\"peak\":%ld},\n",
	    r->rss_engine_kb, r->rss_corpus_kb, r->rss_peak_kb);
	{
		double one = div0((double)r->mix.one_msgs, r->mix.one_s);
		double nth = div0((double)r->mix.n_msgs, r->mix.n_s);
		double mb =
		    div0((double)r->mix.bytes, (double)r->mix.count) / 1e6;
		/* Ceilings, per message of the mix, on one core. */
		double memcpy_rate =
		    div0((double)r->mix.count * 1e9, (double)tot.memcpy);
		double scan_rate =
		    div0((double)r->mix.count * 1e9, (double)tot.scan);
		double gm_rate =
		    div0((double)r->mix.count * 1e9, (double)gm_ns);
		double mime_rate =
		    div0((double)r->mix.count * 1e9, (double)tot.mime);

		fprintf(f,
		    "\"mix\":{\"count\":%zu,\"bytes\":%zu,"
		    "\"one_thread\":{\"msgs\":%zu,\"seconds\":%.4f,"
		    "\"msg_per_s\":%.1f,\"mb_per_s\":%.2f},"
		    "\"n_threads\":{\"msgs\":%zu,\"seconds\":%.4f,"
		    "\"msg_per_s\":%.1f,\"mb_per_s\":%.2f},"
		    "\"scaling\":%.3f,\"cpu_share_one\":%.3f,"
		    "\"cpu_share_n\":%.3f,"
		    "\"memcpy_msg_per_s\":%.1f,\"memcpy_gb_per_s\":%.3f,"
		    "\"limit_ratio_memcpy\":%.6f,"
		    "\"hs_scan_msg_per_s\":%.1f,\"hs_scan_gb_per_s\":%.3f,"
		    "\"limit_ratio_hs_scan\":%.4f,"
		    "\"mime_stage_msg_per_s\":%.1f,\"gmime_msg_per_s\":%.1f,"
		    "\"mime_over_gmime\":%.3f,"
		    "\"stages\":",
		    r->mix.count, r->mix.bytes, r->mix.one_msgs, r->mix.one_s,
		    one, one * mb, r->mix.n_msgs, r->mix.n_s, nth, nth * mb,
		    div0(nth, one), div0(r->mix.one_cpu, r->mix.one_s),
		    div0(r->mix.n_cpu, r->mix.n_s * r->threads), memcpy_rate,
		    div0((double)r->mix.bytes, (double)tot.memcpy),
		    div0((double)tot.memcpy, (double)one_ns), scan_rate,
		    div0((double)tot.text_bytes, (double)tot.scan),
		    div0((double)tot.scan, (double)one_ns), mime_rate, gm_rate,
		    div0(mime_rate, gm_rate));
		stages_json(f, &tot);
		fprintf(f,
		    ",\"one_thread_per_message_ns\":%llu,"
		    "\"e2e_cpu_msg_per_s\":%.1f},\n",
		    (unsigned long long)one_ns,
		    div0((double)r->mix.count * 1e9, (double)one_ns));
	}
	fprintf(f, "\"classes\":[");
	for (size_t i = 0; i < r->nclasses; i++) {
		const struct dlp_bench_class *c = &r->classes[i];
		double one = div0((double)c->one_msgs, c->one_s);
		double nth = div0((double)c->n_msgs, c->n_s);
		double mb = div0((double)c->bytes, (double)c->count) / 1e6;
		double scan_rate =
		    div0((double)c->count * 1e9, (double)c->st.scan);
		double mime_mb =
		    div0((double)c->bytes * 1e3, (double)c->st.mime);
		double gm_mb =
		    div0((double)c->bytes * 1e3, (double)c->st.gmime);

		fprintf(f,
		    "%s\n{\"class\":\"%s\",\"count\":%zu,\"bytes\":%zu,"
		    "\"one_thread\":{\"msg_per_s\":%.1f,\"mb_per_s\":%.2f},"
		    "\"n_threads\":{\"msg_per_s\":%.1f,\"mb_per_s\":%.2f},"
		    "\"scaling\":%.3f,\"cpu_share_one\":%.3f,"
		    "\"cpu_share_n\":%.3f,\"hs_scan_msg_per_s\":%.1f,"
		    "\"limit_ratio_hs_scan\":%.4f,"
		    "\"mime_stage_mb_per_s\":%.1f,\"gmime_mb_per_s\":%.1f,"
		    "\"mime_over_gmime\":%.3f,\"gmime_parts\":%zu,"
		    "\"stages\":",
		    i ? "," : "", c->name, c->count, c->bytes, one, one * mb,
		    nth, nth * mb, div0(nth, one), div0(c->one_cpu, c->one_s),
		    div0(c->n_cpu, c->n_s * r->threads), scan_rate,
		    div0((double)c->st.scan, (double)c->one_ns), mime_mb, gm_mb,
		    div0(mime_mb, gm_mb), c->st.gmime_parts);
		stages_json(f, &c->st);
		fprintf(f,
		    ",\"one_thread_ns\":%llu,\"e2e_cpu_msg_per_s\":%.1f}",
		    (unsigned long long)c->one_ns,
		    div0((double)c->count * 1e9, (double)c->one_ns));
	}
	fprintf(f, "],\n\"recall\":[");
	for (size_t i = 0; i < r->nctrs; i++)
		fprintf(f,
		    "%s\n{\"container\":\"%s\",\"planted\":%zu,\"found\":%zu}",
		    i ? "," : "", r->ctrs[i].name, r->ctrs[i].planted,
		    r->ctrs[i].found);
	fprintf(f,
	    "],\n\"unplanted\":{\"count\":%zu,\"flagged_level2\":%zu,"
	    "\"held_for_unscanned\":%zu},"
	    "\"verdicts\":{\"allow\":%zu,\"hold\":%zu,\"block\":%zu}}\n",
	    r->unplanted, r->false_flagged, r->held_unscanned,
	    r->verdicts[DLP_ALLOW], r->verdicts[DLP_HOLD],
	    r->verdicts[DLP_BLOCK]);
	return fclose(f) == 0 ? 0 : -1;
}
