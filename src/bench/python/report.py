"""Renders the side-by-side results as Markdown, and collects the machine and version facts they depend on."""
import os
import subprocess

# (key, label, target ratio Java/Python, True when higher is better)
ROWS = [
    ("ingest_ips", "ingest, images/s", 2.0, True),
    ("p50_1", "query p50, 1 client, ms", 1 / 3, False),
    ("p99_1", "query p99, 1 client, ms", None, False),
    ("qps_8", "queries/s, 8 clients", None, True),
    ("p99_8", "query p99, 8 clients, ms", None, False),
    ("qps_32", "queries/s, 32 clients", 5.0, True),
    ("p99_32", "query p99, 32 clients, ms", None, False),
    ("peak_rss_mb", "peak RSS of the server tree (incl. Milvus Lite), MB", 1.0, False),
    ("first_answer_s", "start to first answer, s", None, False),
]


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


FLAGS = ["avx2", "avx512f", "avx512_bf16", "avx512_vnni", "amx_bf16", "amx_int8"]


def cpu_flags():
    """The precision-relevant CPU flags present (the ones clip-search's CpuFeatures reports)."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    have = set(line.split(":", 1)[1].split())
                    return [x for x in FLAGS if x in have]
    except OSError:
        pass
    return []


def versions(python):
    out = {}
    try:
        java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()
        out["java"] = java[0] if java else "unknown"
    except OSError:
        out["java"] = "unknown"
    wanted = {"torch", "open_clip_torch", "gradio", "gradio_client", "pymilvus", "milvus-lite", "pillow", "numpy"}
    freeze = subprocess.run([str(python), "-m", "pip", "list", "--format=freeze"], capture_output=True, text=True)
    for line in freeze.stdout.splitlines():
        name, _, ver = line.partition("==")
        if name.lower().replace("_", "-") in {w.replace("_", "-") for w in wanted}:
            out[name] = ver
    return out


def fmt(v):
    if v is None:
        return "–"
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}"


def verdict(ratio, target, higher):
    if ratio is None or target is None:
        return ""
    met = ratio >= target if higher else ratio <= target
    want = ("≥ " if higher else "≤ ") + (f"{target:.2f}" if target < 1 else f"{target:g}")
    return f"{want}: **{'met' if met else 'missed'}**"


def model_section(name, m):
    j, p, t = m["java"], m["python"], m.get("python_tuned") or {}
    lines = [f"### {name}", "", f"Model file: `{m['model']}`", "",
             "| metric | Java | Python (as users run it) | Java / Python | target | Python tuned | Java / tuned |",
             "|---|---:|---:|---:|---|---:|---:|"]
    for key, label, target, higher in ROWS:
        jv, pv, tv = j.get(key), p.get(key), t.get(key)
        ratio = jv / pv if jv is not None and pv else None
        tratio = jv / tv if jv is not None and tv else None
        lines.append(f"| {label} | {fmt(jv)} | {fmt(pv)} | {fmt(ratio) if ratio is not None else '–'} | "
                     f"{verdict(ratio, target, higher)} | {fmt(tv)} | {fmt(tratio) if tratio is not None else '–'} |")
    if p.get("ingest_batched_ips") is not None:
        b = p["ingest_batched_ips"]
        lines.append(f"| (Python ingest batched fp32, images/s) | | {fmt(b)} | "
                     f"{fmt(j['ingest_ips'] / b) if j.get('ingest_ips') else '–'} | not a target | | |")
    errs = {k: (j.get(k), p.get(k)) for k in j if k.startswith("errors_")}
    bad = {k: v for k, v in errs.items() if any(v)}
    lines.append("")
    lines.append("Failed requests (median per cell, Java/Python): " +
                 (", ".join(f"{k[7:]} clients {v[0]}/{v[1]}" for k, v in bad.items()) if bad else "none") + ".")
    cc = m.get("crosscheck", {})
    if cc:
        lines += ["", "Cross-check through `gradio_client` (top-10 file names, same query on both servers):", "",
                  "| query | shared of 10 | same order | max score diff |", "|---|---:|---|---:|"]
        for q, c in cc.items():
            lines.append(f"| {q} | {c['overlap']} | {'yes' if c['same_order'] else 'no'} | "
                         f"{fmt(c['max_score_diff'])} |")
    return "\n".join(lines) + "\n"


def markdown(doc):
    mach, s = doc["machine"], doc["settings"]
    head = [
        "# clip-search vs the Python Gradio app: side by side",
        "",
        f"Run {doc['when']} in {doc['duration_s']} s by `src/bench/run-side-by-side.sh` on {mach['cores']} cores "
        f"({mach['cpu']}; flags {' '.join(mach.get('flags', [])) or 'none of ' + ' '.join(FLAGS)}); load average at "
        f"start {mach['loadavg_start']}, at end {mach['loadavg_end']} "
        "(the per-cell load is in side-by-side.json).",
        "",
        f"Settings: {s['images']} images; median of {s['reps']} runs; {s['seconds_per_cell']} s per load cell "
        f"after {s['warmup_s']} s warm-up; top_k {s['top_k']}; {s['threads']} threads for each side "
        "(torch.set_num_threads / OMP / OpenBLAS; clip-search sizes its pools per precision within them); the servers "
        f"run one at a time. clip-search runs `--precision {s.get('precision', 'fp32')}`. Python tuned = refapp.py "
        "`--tuned --autocast` (Gradio batch=True, max_batch_size 32, concurrency_limit 4; torch bf16 autocast where "
        f"the CPU has bf16; ingest in batches of {s.get('python_batch')}).",
        "",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in doc["versions"].items()) + ".",
        "",
        "Both are driven by `src/bench/python/loadgen.py` through Gradio's REST protocol (`POST "
        "/gradio_api/call/search`, then the SSE `GET .../{event_id}`), closed loop, unique queries. Ingest is "
        "the embed-and-insert loop only (not process start), from each side's own report. Peak RSS is sampled "
        "every 100 ms over the server's whole life (start, warm-up, all load cells) and sums the process tree.",
        "",
    ]
    return "\n".join(head) + "\n" + "\n".join(model_section(n, m) for n, m in doc["models"].items())


def shown(path, root):
    """A path as a report shows it: relative to the repository root, so a committed report names no one's folders."""
    return os.path.relpath(os.path.abspath(path), root)
