#!/usr/bin/env python3
"""report.py - merge one bench/run's measurements into RESULTS.md and .json.

Inputs are the files bench/run leaves in --tmp: dlp-*.json (dlpbench),
clamscan-*.out/.t and clamd-mix.out/.t (ClamAV output and start/end
times), machine.json, and the corpora's manifest.jsonl and mix.json.
Every rate is shown beside the reference it is divided by (see README).
"""
import argparse
import json
import os
import re
import sys


def load(path, default=None):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return default


def manifest(corpus):
    rows = []
    with open(os.path.join(corpus, "manifest.jsonl")) as f:
        for line in f:
            rows.append(json.loads(line))
    return rows


def times(path):
    try:
        t0, t1 = open(path).read().split()
        return float(t1) - float(t0)
    except (OSError, ValueError):
        return None


FOUND = re.compile(r"^(.*): (\S+) FOUND$")


def clam_hits(path):
    hits = {}
    try:
        with open(path, errors="replace") as f:
            for line in f:
                m = FOUND.match(line.rstrip("\n"))
                if m:
                    hits.setdefault(os.path.basename(m.group(1)), []).append(m.group(2))
    except OSError:
        pass
    return hits


def clam_detects(row, names):
    if row.get("kind", "").startswith("pii"):
        return any(n.startswith("Heuristics.Structured") for n in names)
    return any(n.startswith("DLP.Marking") for n in names)


def r(x, nd=1):
    return None if x is None else round(x, nd)


def fmt(x, nd=1, unit=""):
    if x is None:
        return "n/a"
    if isinstance(x, float):
        if abs(x) >= 100:
            s = "{:,.0f}".format(x)
        else:
            s = ("{:.%df}" % nd).format(x)
    else:
        s = "{:,}".format(x)
    return s + unit


def ratio(a, b):
    return a / b if a is not None and b else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tmp", required=True)
    ap.add_argument("--mode", required=True)
    ap.add_argument("--seed", required=True)
    ap.add_argument("--mix-corpus", required=True)
    ap.add_argument("--recall-corpus", required=True)
    ap.add_argument("--have-clamav", default="0")
    ap.add_argument("--have-real", default="0")
    ap.add_argument("--keywords", default="10,000")
    ap.add_argument("--md", required=True)
    ap.add_argument("--json", required=True)
    a = ap.parse_args()
    t = a.tmp

    mach = load(os.path.join(t, "machine.json"), {})
    dmix = load(os.path.join(t, "dlp-mix.json"))
    drec = load(os.path.join(t, "dlp-recall.json"))
    dreal = load(os.path.join(t, "dlp-real.json")) if a.have_real == "1" else None
    dkw = load(os.path.join(t, "dlp-keywords.json"))
    if dmix is None or drec is None:
        print("report.py: dlpbench results missing", file=sys.stderr)
        return 1
    gmix = load(os.path.join(a.mix_corpus, "mix.json"), {})
    mrows = manifest(a.mix_corpus)
    rrows = manifest(a.recall_corpus)
    nthreads = dmix["threads"]
    m = dmix["mix"]

    # ClamAV.
    clam = {"available": a.have_clamav == "1"}
    if clam["available"]:
        start = times(os.path.join(t, "clam-startup.t"))
        wall = times(os.path.join(t, "clamscan-mix.t"))
        dwall = times(os.path.join(t, "clamd-mix.t"))
        n = len(mrows)
        clam.update({
            "clamscan_startup_s": r(start, 3),
            "clamscan_wall_s": r(wall, 3),
            "clamscan_msg_per_s": r(n / (wall - start), 2) if wall and start is not None and wall > start else None,
            "clamscan_msg_per_s_with_startup": r(n / wall, 2) if wall else None,
            "clamd_threads": nthreads,
            "clamd_wall_s": r(dwall, 3),
            "clamd_msg_per_s": r(n / dwall, 2) if dwall else None,
        })
        hmix = clam_hits(os.path.join(t, "clamscan-mix.out"))
        hrec = clam_hits(os.path.join(t, "clamscan-recall.out"))
        clam["false_positives_unplanted"] = sum(
            1 for row in mrows if "container" not in row and row["file"] in hmix)
    else:
        hmix = hrec = {}

    # Recall per container: the dense recall set plus the mix's plants,
    # the same messages for every tool.
    ours = {}
    for d in (drec, dmix):
        for e in d["recall"]:
            o = ours.setdefault(e["container"], [0, 0])
            o[0] += e["planted"]
            o[1] += e["found"]
    theirs = {}
    for rows, hits in ((rrows, hrec), (mrows, hmix)):
        for row in rows:
            if "container" not in row:
                continue
            c = theirs.setdefault(row["container"], [0, 0])
            c[0] += 1
            c[1] += clam_detects(row, hits.get(row["file"], []))
    recall = []
    for k in ours:
        p, f = ours[k]
        cp, cf = theirs.get(k, [0, 0])
        recall.append({"container": k, "planted": p, "dlpscan_found": f,
                       "dlpscan_recall": r(ratio(f, p), 3),
                       "clamav_found": cf if clam["available"] else None,
                       "clamav_recall": r(ratio(cf, cp), 3) if clam["available"] else None})
    tp = sum(x["planted"] for x in recall)
    tf = sum(x["dlpscan_found"] for x in recall)
    tcf = sum(x["clamav_found"] or 0 for x in recall)

    one = m["one_thread"]["msg_per_s"]
    nth = m["n_threads"]["msg_per_s"]
    per_cpu = ratio(one, m["cpu_share_one"])
    head = {
        "mix_msg_per_s_1_thread": one,
        "mix_mb_per_s_1_thread": m["one_thread"]["mb_per_s"],
        "mix_msg_per_s_n_threads": nth,
        "mix_msg_per_cpu_second": r(per_cpu, 1),
        "scaling_1_to_n": m["scaling"],
        "cpu_share_one_thread": m["cpu_share_one"],
        "cpu_share_n_threads": m["cpu_share_n"],
        "limit_ratio_hs_scan": m["limit_ratio_hs_scan"],
        "limit_ratio_memcpy": m["limit_ratio_memcpy"],
        "mime_stage_over_gmime": m["mime_over_gmime"],
        "vs_clamscan_1_thread": r(ratio(one, clam.get("clamscan_msg_per_s")), 2),
        "vs_clamd_n_threads": r(ratio(nth, clam.get("clamd_msg_per_s")), 2),
        "recall_dlpscan": r(ratio(tf, tp), 3),
        "recall_clamav": r(ratio(tcf, tp), 3) if clam["available"] else None,
        "startup_ms": dmix["startup"],
        "peak_rss_kb": dmix["rss_kb"]["peak"],
    }

    L = []
    w = L.append
    w("# dlpscan benchmark: %s run, %s" % (a.mode, mach.get("host", "")))
    w("")
    w("Machine: %s (vector paths: %s), %s cores, %s MB RAM, kernel %s; load average at the end %s. "
      "Build: %s. Seed %s. Hyperscan %s, GMime %s, ClamAV %s." % (
          mach.get("cpu", "?"), mach.get("vector", "?"), mach.get("cores", "?"),
          (mach.get("memory_kb", 0) or 0) // 1024, mach.get("kernel", "?"),
          ", ".join("%.1f" % x for x in mach.get("load_average", [])),
          mach.get("build_type", "?"), a.seed, dmix["hyperscan"],
          dmix["gmime"] or "n/a",
          mach.get("packages", {}).get("clamav") or "not installed"))
    w("")
    w("Every figure is a ratio to a reference measured in the same run: this machine "
      "is shared, so absolute rates move with the load. `CPU share` is the CPU time "
      "the benchmark got divided by wall time x threads: below about 0.9 the machine "
      "was busy and scaling figures say more about the neighbours than about us. "
      "Stage times, ceilings and GMime are measured in thread CPU time, and so is the "
      "end-to-end pass they are divided by, so those ratios do not move with the load.")
    w("")
    w("## Headline")
    w("")
    w("| Figure | dlpscan | Reference | Ratio |")
    w("|---|---|---|---|")
    w("| Mixed corpus, 1 thread | %s msg/s (%s MB/s) | ClamAV clamscan, 1 process: %s msg/s | %s |" % (
        fmt(one), fmt(m["one_thread"]["mb_per_s"]), fmt(clam.get("clamscan_msg_per_s")),
        fmt(head["vs_clamscan_1_thread"], 2, "x")))
    w("| Mixed corpus, %d threads | %s msg/s (%s MB/s) | ClamAV clamd, %d threads: %s msg/s | %s |" % (
        nthreads, fmt(nth), fmt(m["n_threads"]["mb_per_s"]), nthreads,
        fmt(clam.get("clamd_msg_per_s")), fmt(head["vs_clamd_n_threads"], 2, "x")))
    w("| Scaling 1 -> %d threads | %s | target 1.8 on 2 cores | CPU share %s / %s |" % (
        nthreads, fmt(m["scaling"], 2, "x"), fmt(m["cpu_share_one"], 2), fmt(m["cpu_share_n"], 2)))
    w("| Per CPU-second (load-independent) | %s msg | | |" % fmt(per_cpu))
    e2e_cpu = m.get("e2e_cpu_msg_per_s")
    w("| Limit ratio: raw hs_scan | end to end %s msg per CPU-s | hs_scan of the same text, same database: %s msg per CPU-s (%s GB/s) | %s |" % (
        fmt(e2e_cpu), fmt(m["hs_scan_msg_per_s"]), fmt(m["hs_scan_gb_per_s"], 3),
        fmt(m["limit_ratio_hs_scan"], 3)))
    w("| Limit ratio: memcpy | end to end %s msg per CPU-s | memcpy of the input: %s msg per CPU-s (%s GB/s) | %s |" % (
        fmt(e2e_cpu), fmt(m["memcpy_msg_per_s"]), fmt(m["memcpy_gb_per_s"], 2),
        fmt(m["limit_ratio_memcpy"], 4)))
    w("| MIME stage (parse+decode+emit) | %s msg per CPU-s | GMime parse+decode: %s msg per CPU-s | %s |" % (
        fmt(m["mime_stage_msg_per_s"]), fmt(m["gmime_msg_per_s"]), fmt(m["mime_over_gmime"], 2, "x")))
    mst = m["stages"]
    mn_rate = (m["count"] * 1e9 / (mst["mime_ns"] + mst["normalise_ns"])
               if mst["mime_ns"] + mst["normalise_ns"] > 0 else None)
    head["mime_norm_over_gmime"] = r(ratio(mn_rate, m["gmime_msg_per_s"]), 3)
    w("| MIME stage + normalise (parse+decode+normalise) | %s msg per CPU-s | GMime parse+decode: %s msg per CPU-s | %s |" % (
        fmt(mn_rate), fmt(m["gmime_msg_per_s"]), fmt(head["mime_norm_over_gmime"], 2, "x")))
    w("| Recall of planted markings/PII | %s of %d | ClamAV: %s | |" % (
        fmt(head["recall_dlpscan"], 3), tp, fmt(head["recall_clamav"], 3)))
    w("| False positives (unplanted, level >= 2) | %d of %d | ClamAV: %s | |" % (
        dmix["unplanted"]["flagged_level2"], dmix["unplanted"]["count"],
        fmt(clam.get("false_positives_unplanted"))))
    s = dmix["startup"]
    w("| Start-up (dlp_engine_new) | cold (compile + store in the cache) %s ms, warm cache %s ms | ClamAV clamscan start-up: %s s | |" % (
        fmt(s["cold_cache_ms"], 1), fmt(s["warm_cache_ms"], 2),
        fmt(clam.get("clamscan_startup_s"), 3)))
    rss = dmix["rss_kb"]
    w("| Peak RSS (getrusage) | %s MB (engine alone %s MB, corpus in memory %s MB) | | |" % (
        fmt(rss["peak"] / 1024, 1), fmt(rss["engine"] / 1024, 1),
        fmt(max(rss["with_corpus"] - rss["engine"], 0) / 1024, 1)))
    w("")
    w("Held for unscanned content (fail closed) among unplanted messages: %d of %d." % (
        dmix["unplanted"]["held_for_unscanned"], dmix["unplanted"]["count"]))
    w("")
    w("## Per class")
    w("")
    w("`MIME` is parse + decode + emit (HTML to text included); `+norm` adds "
      "the normalisation of every text the stage emits (issue 3's parse + "
      "decode + normalise). GMime is parse + decode only.")
    w("")
    w("| Class | Msgs | Mean KB | 1 thread msg/s | MB/s | msg per CPU-s | %d threads msg/s | Scaling | CPU share | hs_scan ceiling msg/s | Limit ratio | MIME MB/s | GMime MB/s | MIME/GMime | MIME+norm MB/s | MIME+norm/GMime |" % nthreads)
    w("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for c in dmix["classes"]:
        st = c["stages"]
        mn_ns = st["mime_ns"] + st["normalise_ns"]
        mn = c["bytes"] * 1e3 / mn_ns if mn_ns > 0 else None
        c["mime_norm_mb_per_s"] = r(mn, 1)
        c["mime_norm_over_gmime"] = r(ratio(mn, c["gmime_mb_per_s"]), 3) if mn else None
        w("| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            c["class"], c["count"], fmt(c["bytes"] / max(c["count"], 1) / 1e3, 1),
            fmt(c["one_thread"]["msg_per_s"]), fmt(c["one_thread"]["mb_per_s"]),
            fmt(ratio(c["one_thread"]["msg_per_s"], c["cpu_share_one"])),
            fmt(c["n_threads"]["msg_per_s"]), fmt(c["scaling"], 2),
            fmt(c["cpu_share_n"], 2), fmt(c["hs_scan_msg_per_s"]),
            fmt(c["limit_ratio_hs_scan"], 3), fmt(c["mime_stage_mb_per_s"]),
            fmt(c["gmime_mb_per_s"]), fmt(c["mime_over_gmime"], 2),
            fmt(mn), fmt(c["mime_norm_over_gmime"], 2)))
    w("")
    w("## Share of time per stage (mixed corpus, 1 thread)")
    w("")
    st = m["stages"]
    e2e = m["one_thread_per_message_ns"]
    w("Stage replay through the engine's own stage functions; the end-to-end "
      "time is the same messages through `dlp_scan_message`, timed per message. "
      "All in thread CPU time.")
    w("")
    w("| Stage | CPU ms | Share of end to end |")
    w("|---|---|---|")
    parts = [("MIME parse, decode, emit (incl. HTML to text)", st["mime_ns"]),
             ("Nested objects: sniff, unpack, extract (%d objects)" % st["objects"], st["object_ns"]),
             ("Normalise (%d texts, %s KB)" % (st["texts"], fmt(st["text_bytes"] / 1e3, 1)), st["normalise_ns"]),
             ("Scan (raw hs_scan, %d matches)" % st["hs_matches"], st["scan_ns"])]
    done = 0
    for name, ns in parts:
        done += ns
        w("| %s | %s | %s |" % (name, fmt(ns / 1e6, 2), fmt(100 * ns / e2e if e2e else None, 1, "%")))
        if name.startswith("Nested objects"):
            if "sniff_ns" in st:
                w("| &nbsp;&nbsp;of which true-type sniff (built-in signatures, then libmagic; timed apart) | %s | %s |" % (
                    fmt(st["sniff_ns"] / 1e6, 2), fmt(100 * st["sniff_ns"] / e2e if e2e else None, 1, "%")))
            for kind, v in st.get("objects_by_type", {}).items():
                if v["count"]:
                    w("| &nbsp;&nbsp;of which %s (%d objects, exclusive of what they contain) | %s | %s |" % (
                        kind, v["count"], fmt(v["ns"] / 1e6, 2),
                        fmt(100 * v["ns"] / e2e if e2e else None, 1, "%")))
    rest = e2e - done
    w("| Confirmation, recipients and domain risk, findings, policy, result (the rest) | %s | %s |" % (
        fmt(max(rest, 0) / 1e6, 2), fmt(100 * max(rest, 0) / e2e if e2e else None, 1, "%")))
    w("| End to end | %s | 100%% |" % fmt(e2e / 1e6, 2))
    w("")
    w("## Signature sets: scan stage against raw hs_scan (issue 5)")
    w("")
    w("Every extracted text of the mixed corpus goes once through raw `hs_scan` "
      "of the engine's database (after normalisation) and once through the "
      "engine's matcher (`dlp_match_text`: normalise, `hs_scan` with the "
      "engine's callback, confirmation of each hit). **Scan stage** = raw "
      "`hs_scan` time / the matcher's time without normalisation (the stage "
      "issue 5 sets at 0.9); **with normalisation** = raw `hs_scan` time / the "
      "matcher's whole time. **End to end** carries MIME, policy and the "
      "result as well (end to end minus the MIME and nested-object stages).")
    w("")
    w("| Set | Rules | Cold start-up ms | Warm cache ms | 1 thread msg/s | hs_scan GB/s | Scan stage | With normalisation | End to end matching | Limit ratio |")
    w("|---|---|---|---|---|---|---|---|---|---|")
    sets = [("default", dmix)] + ([("default + %s keywords" % a.keywords, dkw)] if dkw else [])
    for name, d in sets:
        dm = d["mix"]
        ds = dm["stages"]
        match_ns = dm["one_thread_per_message_ns"] - ds["mime_ns"] - ds["object_ns"]
        eff = ratio(ds["scan_ns"], match_ns) if match_ns > 0 else None
        m_ns = ds.get("match_ns", 0)
        stage = ratio(ds["scan_ns"], m_ns - ds["normalise_ns"]) if m_ns > ds["normalise_ns"] else None
        withn = ratio(ds["scan_ns"], m_ns) if m_ns > 0 else None
        w("| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            d["name"] if "name" in d else name, d["rules"], fmt(d["startup"]["cold_cache_ms"], 1),
            fmt(d["startup"]["warm_cache_ms"], 2), fmt(dm["one_thread"]["msg_per_s"]),
            fmt(dm["hs_scan_gb_per_s"], 3), fmt(stage, 3), fmt(withn, 3), fmt(eff, 3),
            fmt(dm["limit_ratio_hs_scan"], 3)))
        key = "default" if name == "default" else "keywords"
        head["matching_efficiency_" + key] = r(eff, 3)
        head["scan_stage_ratio_" + key] = r(stage, 3)
        head["scan_stage_with_normalise_ratio_" + key] = r(withn, 3)
    w("")
    w("## Recall per container (planted markings and PII)")
    w("")
    w("The dense recall corpus (every message planted) plus the plants of the mixed "
      "corpus; ClamAV ran on the same files with `bench/clamav/dlp.ldb` and "
      "`--detect-structured`.")
    w("")
    w("| Container | Planted | dlpscan found | dlpscan | ClamAV found | ClamAV |")
    w("|---|---|---|---|---|---|")
    for x in recall:
        w("| %s | %d | %d | %s | %s | %s |" % (
            x["container"], x["planted"], x["dlpscan_found"],
            fmt(100 * x["dlpscan_recall"], 0, "%") if x["dlpscan_recall"] is not None else "n/a",
            fmt(x["clamav_found"]),
            fmt(100 * x["clamav_recall"], 0, "%") if x["clamav_recall"] is not None else "n/a"))
    w("| **all** | %d | %d | %s | %s | %s |" % (
        tp, tf, fmt(100 * ratio(tf, tp), 0, "%") if tp else "n/a",
        fmt(tcf) if clam["available"] else "n/a",
        fmt(100 * ratio(tcf, tp), 0, "%") if tp and clam["available"] else "n/a"))
    w("")
    w("## Corpus generated")
    w("")
    w("%s messages, %s MB, mean %s KB (%s KB without the large archives), %s planted "
      "(rate %s), scale %s." % (
          gmix.get("count"), fmt(gmix.get("bytes", 0) / 1e6, 1),
          fmt(gmix.get("mean_bytes", 0) / 1e3, 1),
          fmt(gmix.get("mean_bytes_without_large", 0) / 1e3, 1),
          gmix.get("planted"), gmix.get("plant_rate"), gmix.get("scale")))
    w("")
    w("| Class | Messages | Share | MB |")
    w("|---|---|---|---|")
    for k, v in gmix.get("classes", {}).items():
        w("| %s | %d | %s | %s |" % (k, v["count"], fmt(100 * v["share"], 1, "%"), fmt(v["bytes"] / 1e6, 1)))
    w("")
    if dreal:
        rm = dreal["mix"]
        w("## Real messages (shared corpus / SpamAssassin, when present)")
        w("")
        w("%d messages, %s MB: %s msg/s (%s MB/s) on 1 thread, %s msg/s on %d threads; "
          "limit ratio to hs_scan %s; MIME stage / GMime %s." % (
              rm["count"], fmt(rm["bytes"] / 1e6, 1), fmt(rm["one_thread"]["msg_per_s"]),
              fmt(rm["one_thread"]["mb_per_s"]), fmt(rm["n_threads"]["msg_per_s"]),
              nthreads, fmt(rm["limit_ratio_hs_scan"], 3), fmt(rm["mime_over_gmime"], 2)))
        w("")
    if not clam["available"]:
        w("ClamAV was not installed: its columns are empty.")
        w("")
    http_txt = ""
    try:
        http_txt = open(os.path.join(t, "http-bench.txt"), errors="replace").read().strip()
    except OSError:
        pass
    http_rows = []
    for line in http_txt.splitlines():
        f = line.split()
        if len(f) >= 8 and f[0].isdigit():
            try:
                http_rows.append({"clients": int(f[0]), "inproc_msg_per_s": float(f[1]),
                                  "inproc_p50_ms": float(f[2]), "inproc_p99_ms": float(f[3]),
                                  "http_msg_per_s": float(f[4]), "http_p50_ms": float(f[5]),
                                  "http_p99_ms": float(f[6]),
                                  "http_over_inproc": float(f[7].rstrip("%")) / 100})
            except ValueError:
                pass
    if http_txt:
        w("## dlpd over HTTP (issue 7)")
        w("")
        w("dlpd's own `bench/http_bench.sh` on the mixed corpus (messages over 8 MiB "
          "skipped), in-process scanning of the same messages with as many threads as "
          "dlpd has workers beside it (medians of repeated runs), "
          "and clamd INSTREAM on the same messages:")
        w("")
        w("```")
        w(http_txt)
        w("```")
        w("")
        for row in http_rows:
            if row["clients"] == 2:
                head["http_over_inproc_2_clients"] = row["http_over_inproc"]
    md = "\n".join(L) + "\n"
    with open(a.md, "w") as f:
        f.write(md)
    out = {"mode": a.mode, "seed": int(a.seed), "machine": mach, "headline": head,
           "corpus": gmix, "recall": recall, "clamav": clam, "http": http_rows,
           "dlpbench": {"mix": dmix, "recall": drec, "real": dreal, "keywords": dkw}}
    with open(a.json, "w") as f:
        json.dump(out, f, indent=1)
    sys.stdout.write(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
