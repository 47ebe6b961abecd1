/*
 * metrics.c - counters for /metrics in the Prometheus text format
 * (version 0.0.4): scans by verdict and frontend, a latency histogram,
 * bytes scanned, scans in flight, errors by kind, rejections by reason,
 * the engine generation and signature set. Counters are C11 atomics
 * updated from any thread without a lock.
 */
#include <stdio.h>

#include "dlpd.h"

/* Upper bounds of the latency buckets, in microseconds. */
static const unsigned long lat_bounds_us[DLP_LAT_NBUCKETS] = {1000, 2500, 5000,
    10000, 25000, 50000, 100000, 250000, 500000, 1000000, 2500000, 10000000};

static const char *const fe_names[DLP_FE_N] = {"http", "milter"};
static const char *const verdict_names[4] = {
    "tempfail", "allow", "hold", "block"};
static const char *const err_names[DLP_EK_N] = {
    "scan", "timeout", "internal", "reload"};
static const char *const rej_names[DLP_RJ_N] = {
    "overload", "too_large", "auth", "bad_request"};

void
dlp_metrics_latency(struct dlp_metrics *m, uint64_t us)
{
	size_t i;

	for (i = 0; i < DLP_LAT_NBUCKETS && us > lat_bounds_us[i]; i++)
		;
	atomic_fetch_add(&m->lat_bucket[i], 1);
	atomic_fetch_add(&m->lat_sum_us, (unsigned long)us);
	atomic_fetch_add(&m->lat_count, 1);
}

void
dlp_metrics_render(const struct dlp_metrics *m, unsigned long generation,
    const char *sigid, struct dlp_sb *out)
{
	unsigned long cum = 0;
	size_t f, v, i;

	dlp_sb_puts(out, "# HELP dlp_scans_total Messages scanned, by verdict "
	                 "and frontend.\n# TYPE dlp_scans_total counter\n");
	for (f = 0; f < DLP_FE_N; f++)
		for (v = 0; v < 4; v++)
			dlp_sb_printf(out,
			    "dlp_scans_total{action=\"%s\",frontend=\"%s\"} "
			    "%lu\n",
			    verdict_names[v], fe_names[f],
			    atomic_load(&m->scans[f][v]));
	dlp_sb_puts(out, "# HELP dlp_scan_duration_seconds Time from request "
	                 "to verdict.\n# TYPE dlp_scan_duration_seconds "
	                 "histogram\n");
	for (i = 0; i <= DLP_LAT_NBUCKETS; i++) {
		cum += atomic_load(&m->lat_bucket[i]);
		if (i < DLP_LAT_NBUCKETS)
			dlp_sb_printf(out,
			    "dlp_scan_duration_seconds_bucket{le=\"%g\"} "
			    "%lu\n",
			    (double)lat_bounds_us[i] / 1e6, cum);
		else
			dlp_sb_printf(out,
			    "dlp_scan_duration_seconds_bucket{le=\"+Inf\"} "
			    "%lu\n",
			    cum);
	}
	dlp_sb_printf(out, "dlp_scan_duration_seconds_sum %.6f\n",
	    (double)atomic_load(&m->lat_sum_us) / 1e6);
	dlp_sb_printf(out, "dlp_scan_duration_seconds_count %lu\n",
	    atomic_load(&m->lat_count));
	dlp_sb_printf(out,
	    "# HELP dlp_scan_bytes_total Message bytes scanned.\n"
	    "# TYPE dlp_scan_bytes_total counter\n"
	    "dlp_scan_bytes_total %lu\n",
	    atomic_load(&m->bytes));
	dlp_sb_printf(out,
	    "# HELP dlp_inflight Scans queued or running.\n"
	    "# TYPE dlp_inflight gauge\ndlp_inflight %ld\n",
	    atomic_load(&m->inflight));
	dlp_sb_puts(out, "# HELP dlp_errors_total Scans without a verdict, "
	                 "and rejected reloads.\n# TYPE dlp_errors_total "
	                 "counter\n");
	for (i = 0; i < DLP_EK_N; i++)
		dlp_sb_printf(out, "dlp_errors_total{kind=\"%s\"} %lu\n",
		    err_names[i], atomic_load(&m->errors[i]));
	dlp_sb_puts(out, "# HELP dlp_rejected_total Requests refused before "
	                 "scanning.\n# TYPE dlp_rejected_total counter\n");
	for (i = 0; i < DLP_RJ_N; i++)
		dlp_sb_printf(out, "dlp_rejected_total{reason=\"%s\"} %lu\n",
		    rej_names[i], atomic_load(&m->rejected[i]));
	dlp_sb_printf(out,
	    "# HELP dlp_reloads_total Successful reloads.\n"
	    "# TYPE dlp_reloads_total counter\ndlp_reloads_total %lu\n",
	    atomic_load(&m->reloads));
	dlp_sb_printf(out,
	    "# HELP dlp_policy_generation Engine generation serving now.\n"
	    "# TYPE dlp_policy_generation gauge\n"
	    "dlp_policy_generation %lu\n",
	    generation);
	dlp_sb_puts(out, "# HELP dlp_signature_info The signature set "
	                 "serving now.\n# TYPE dlp_signature_info gauge\n"
	                 "dlp_signature_info{id=");
	dlp_sb_json_str(out, sigid ? sigid : "");
	dlp_sb_printf(out,
	    "} 1\n# HELP dlp_build_info Version.\n"
	    "# TYPE dlp_build_info gauge\ndlp_build_info{version=\"%s\"} 1\n",
	    dlp_version());
}
