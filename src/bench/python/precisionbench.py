#!/usr/bin/env python3
"""clip-search's precisions side by side, in one run (issue 18): per model and precision, the image tower alone at
batch 1/8/16/32, the text query p50 at 1 client and QPS at 16 clients through /gradio_api/call/search, and the
end-to-end ingest of an image folder; PyTorch's own tower on the same file and threads; the quality figures
(cifar-tiny eval per precision, cosine to fp32 on real photos and captions); and the machine's nominal peak FLOP/s,
so that every rate also reads as a fraction of the hardware.

Called by src/bench/run-precision-bench.sh; writes OUT/precision.{json,md}.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import loadgen  # noqa: E402
import procs  # noqa: E402
import report  # noqa: E402

HERE = Path(__file__).resolve().parent
VIT_GFLOP_IMAGE = 8.8  # ViT-B/32 image tower, 224 px (2 x multiply-adds)
VIT_GFLOP_TEXT = 6.0  # ViT-B/32 text tower, 77 tokens
CAPTIONS = ["a photo of a dog", "a red sports car", "a bird on a branch", "food on a plate", "a boat at sea",
            "a diagram", "two cats on a sofa", "a snowy mountain", "a cup of coffee", "a person riding a horse",
            "an old clock tower", "a plate of sushi", "a yellow school bus", "a close-up of a flower", "a guitar",
            "a city street at night"]


def log(msg):
    print(f"[precision-bench {time.strftime('%H:%M:%S')} load {os.getloadavg()[0]:.1f}] {msg}", file=sys.stderr,
          flush=True)


def java(a, *rest, cp=False):
    head = ["java", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0"]
    if cp:
        return head + ["-cp", f"{a.jar}:{a.root / 'target' / 'test-classes'}", *rest]
    return head + ["-jar", str(a.jar), *rest]


def last_json(text):
    return json.loads(text.strip().splitlines()[-1])


def peaks(cores):
    """Nominal peak FLOP/s (int8: OPS/s) of this CPU from its flags and base clock; formulas in the Markdown."""
    mhz = None
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("cpu MHz"):
                mhz = float(line.split(":")[1])
                break
    flags = set(report.cpu_flags())
    ghz = (mhz or 0) / 1000
    per_cycle = {"fp32_avx512": 64 if "avx512f" in flags else 32 if "avx2" in flags else 8,
                 "bf16_avx512": 128 if "avx512_bf16" in flags else None,
                 "bf16_amx": 1024 if "amx_bf16" in flags else None,
                 "int8_vnni": 256 if "avx512_vnni" in flags else None,
                 "int8_amx": 2048 if "amx_int8" in flags else None}
    return {"ghz": round(ghz, 3), "cores": cores,
            "per_cycle_per_core": per_cycle,
            "gflops": {k: round(v * ghz * cores, 1) if v else None for k, v in per_cycle.items()}}


def tower(a, env, model, precision, batch, threads=(0, 0)):
    """ModelImageRate; threads = (torch, OpenBLAS), 0 = the precision's default (ThreadPlan)."""
    out = subprocess.run(java(a, "dev.clipsearch.bench.ModelImageRate", model, str(batch), str(a.tower_seconds),
                              "cpu", precision, str(threads[0]), str(threads[1]), cp=True),
                         env=env, check=True, capture_output=True, text=True).stdout
    r = last_json(out)
    return {"ips": r["images_per_second"], "cpu_ms": r["cpu_ms_per_image"], "load": round(os.getloadavg()[0], 1)}


def ingest(a, env, model, precision, data, logs, tag):
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    out, wall, peak = procs.run_measured(java(a, "ingest", str(a.images), "--model", model, "--data-dir", str(data),
                                              "--precision", precision), env, logs / f"ingest-{tag}.log")
    s = last_json(out)
    return {"images_per_second": s["images_per_second"], "inserted": s["inserted"], "wall_s": round(wall, 1),
            "peak_rss_mb": round(peak / 2**20), "load": round(os.getloadavg()[0], 1)}


def queries(a, env, model, precision, data, logs, tag):
    port = procs.free_port()
    url = f"http://127.0.0.1:{port}"
    server = procs.Server(java(a, "serve", "--model", model, "--data-dir", str(data), "--port", str(port),
                               "--precision", precision), env, logs / f"serve-{tag}.log")
    try:
        caller = loadgen.Caller(url, timeout=60)
        t0 = time.perf_counter()
        while True:
            if not server.alive():
                raise RuntimeError(f"server exited; see {logs / f'serve-{tag}.log'}")
            if caller.call("a photo of a dog")[0]:
                break
            if time.perf_counter() - t0 > 300:
                raise RuntimeError("no answer within 300 s")
            time.sleep(0.2)
        caller.close()
        one = loadgen.run(url, 1, a.seconds, a.warmup, a.queries)
        many = loadgen.run(url, 16, a.seconds, a.warmup, a.queries)
        metrics = urlopen_text(url + "/metrics")
    finally:
        server.stop()
    info = next((line for line in metrics.splitlines() if line.startswith("clipsearch_engine_info{")), "")
    return {"p50_1_ms": one["p50_ms"], "p99_1_ms": one["p99_ms"], "qps_16": many["qps"], "p50_16_ms": many["p50_ms"],
            "errors": one["errors"] + many["errors"], "engine_info": info, "load": round(os.getloadavg()[0], 1)}


def urlopen_text(url):
    from urllib.request import urlopen

    with urlopen(url, timeout=30) as r:
        return r.read().decode()


def python_tower(a, env, model, mode):
    out = subprocess.run([str(a.python), str(HERE / "towerbench.py"), model, mode, "16", str(a.tower_seconds)],
                         env=env, check=True, capture_output=True, text=True).stdout
    return last_json(out)


def embed(a, env, model, precision, photos):
    argv = java(a, "embed", "--model", model, "--precision", precision)
    for c in CAPTIONS:
        argv += ["--text", c]
    for p in photos:
        argv += ["--image", str(p)]
    out = subprocess.run(argv, env=env, check=True, capture_output=True, text=True).stdout
    return [json.loads(line)["vector"] for line in out.splitlines() if line.startswith("{")]


def cosines(ref, other):
    def cos(u, v):
        dot = sum(x * y for x, y in zip(u, v))
        nu = sum(x * x for x in u) ** 0.5
        nv = sum(y * y for y in v) ** 0.5
        return dot / (nu * nv)
    cs = [cos(u, v) for u, v in zip(ref, other)]
    return {"min": round(min(cs), 6), "mean": round(statistics.mean(cs), 6), "n": len(cs)}


def evaluate(a, env, model, precision):
    out = subprocess.run(java(a, "eval", str(a.cifar), "--model", model, "--precision", precision), env=env,
                         check=True, capture_output=True, text=True).stdout
    s = last_json(out)
    return {k: s[k] for k in ("zero_shot_accuracy", "p_at_10", "map") if k in s}


def one_model(a, env, name, model, modes):
    logs = a.work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    res = {"model": report.shown(model, a.root), "load_before": round(os.getloadavg()[0], 2), "modes": {}}
    for m in modes:
        r = {"tower": {}}
        for b in a.batches:
            r["tower"][str(b)] = tower(a, env, model, m, b)
        log(f"{name} {m} tower img/s by batch: {r['tower']}")
        r["ingest"] = ingest(a, env, model, m, a.work / f"{name}-{m}", logs, f"{name}-{m}")
        log(f"{name} {m} ingest: {r['ingest']}")
        r["queries"] = queries(a, env, model, m, a.work / f"{name}-{m}", logs, f"{name}-{m}")
        log(f"{name} {m} queries: {r['queries']}")
        res["modes"][m] = r
    if "vit" in name.lower():  # the thread plan per precision, checked: torch x OpenBLAS pools at batch 16
        cores = os.cpu_count()
        res["thread_sweep_b16"] = {m: {f"{t}x{b}": tower(a, env, model, m, 16, (t, b))
                                       for t, b in ((1, cores), (cores, 1), (cores, cores))} for m in modes}
        log(f"{name} thread sweep (torch x OpenBLAS) at batch 16: {res['thread_sweep_b16']}")
    res["python_tower_b16"] = {}
    for mode in ("fp32", "autocast", "bf16"):
        if mode != "fp32" and not ({"amx_bf16", "avx512_bf16"} & set(report.cpu_flags())):
            continue
        res["python_tower_b16"][mode] = python_tower(a, env, model, mode)
        log(f"{name} PyTorch tower b16 {mode}: {res['python_tower_b16'][mode]}")
    res["load_after"] = round(os.getloadavg()[0], 2)
    return res


def native_modes():
    flags = set(report.cpu_flags())
    modes = ["fp32"]
    if {"amx_bf16", "avx512_bf16"} & flags:
        modes.append("bf16")
    if "avx2" in flags:
        modes.append("int8")
    return modes


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--root", type=Path, required=True)
    p.add_argument("--jar", type=Path, required=True)
    p.add_argument("--python", type=Path, required=True)
    p.add_argument("--model", action="append", required=True, help="NAME=PATH.pt, repeatable")
    p.add_argument("--images", type=Path, required=True)
    p.add_argument("--cifar", type=Path, required=True, help="cifar10-test folder for the tiny model's eval")
    p.add_argument("--tiny-name", default="cifar-tiny-clip")
    p.add_argument("--batches", default="1,8,16,32")
    p.add_argument("--tower-seconds", type=float, default=8)
    p.add_argument("--seconds", type=float, default=8)
    p.add_argument("--warmup", type=float, default=2)
    p.add_argument("--photos", type=int, default=16, help="photos for the cosine-to-fp32 check")
    p.add_argument("--work", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    a = p.parse_args()
    a.batches = [int(b) for b in a.batches.split(",")]
    labels = a.images / "labels.tsv"
    a.queries = loadgen.query_source(str(labels) if labels.exists() else None)
    env = dict(os.environ, OMP_WAIT_POLICY="PASSIVE", OPENBLAS_THREAD_TIMEOUT="20", CLIPSRV_HOME=str(a.root),
               BENCH_THREADS=str(os.cpu_count()), PYTHONUNBUFFERED="1")
    modes = native_modes()
    t0 = time.time()
    doc = {"when": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "machine": {
        "cpu": report.cpu_model(), "flags": report.cpu_flags(), "cores": os.cpu_count(),
        "loadavg_start": [round(x, 2) for x in os.getloadavg()], "peak": peaks(os.cpu_count())},
        "versions": report.versions(a.python), "modes": modes,
        "settings": {"batches": a.batches, "tower_seconds": a.tower_seconds, "seconds_per_cell": a.seconds,
                     "images": report.shown(a.images, a.root), "photos": a.photos}, "models": {}, "quality": {}}
    for spec in a.model:
        name, path = spec.split("=", 1)
        doc["models"][name] = one_model(a, env, name, path, modes)
    photos = sorted(x for x in a.images.iterdir() if x.suffix.lower() in {".jpg", ".jpeg", ".png"})[:a.photos]
    for spec in a.model:
        name, path = spec.split("=", 1)
        q = {}
        ref = embed(a, env, path, "fp32", photos)
        for m in modes[1:]:
            q[f"cosine_{m}"] = cosines(ref, embed(a, env, path, m, photos))
        if name == a.tiny_name:
            for m in modes:
                q[f"eval_{m}"] = evaluate(a, env, path, m)
        doc["quality"][name] = q
        log(f"{name} quality: {q}")
    doc["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    doc["duration_s"] = round(time.time() - t0)
    a.out.mkdir(parents=True, exist_ok=True)
    (a.out / "precision.json").write_text(json.dumps(doc, indent=1) + "\n")
    (a.out / "precision.md").write_text(markdown(doc))
    print(markdown(doc))


def fmt(v, digits=1):
    return "–" if v is None else f"{v:.{digits}f}"


def markdown(doc):
    mach, pk = doc["machine"], doc["machine"]["peak"]
    g = pk["gflops"]
    lines = [f"# CPU precisions: fp32, bf16, int8 ({doc['when']})", "",
             f"Machine: {mach['cpu']}, {mach['cores']} cores, flags {' '.join(mach['flags']) or 'none of interest'}; "
             f"load average {mach['loadavg_start']} at start, {mach['loadavg_end']} at end; {doc['duration_s']} s.",
             "Versions: " + ", ".join(f"{k} {v}" for k, v in doc["versions"].items()) + ".", "",
             f"Nominal peak at {pk['ghz']} GHz x {pk['cores']} cores (FLOP per cycle per core: fp32 AVX-512 2 FMA x 16 "
             "lanes x 2 = 64; AVX-512 BF16 128; AMX BF16 1024; int8 VNNI 256 OPS; AMX INT8 2048 OPS): "
             + ", ".join(f"{k} {v:,.0f} GFLOP/s" for k, v in g.items() if v) + ". ViT-B/32 costs ~8.8 GFLOP per "
             "224 px image and ~6 GFLOP per 77-token text; 'of peak' = img/s x 8.8 GFLOP / the peak of the units "
             "that mode runs on (fp32: AVX-512 fp32; bf16: AMX BF16 when present; int8: VNNI). On a shared machine "
             "wall-clock rates swing with the neighbours' load; CPU-ms per image (process CPU time) is the steadier "
             "figure, and 'from CPU time' is the rate that CPU time would give with all cores to itself.", ""]
    for name, m in doc["models"].items():
        vit = "vit" in name.lower()
        lines += [f"## {name}", "", f"Model file: `{m['model']}`; load {m['load_before']} -> {m['load_after']}.", "",
                  "| precision | tower img/s b1 | b8 | b16 | b32 | b16 CPU-ms/img | b16 vs fp32 (wall; CPU) | b16 of peak "
                  "(wall; from CPU time) | ingest img/s | ingest / tower b16 | text p50 1 client, ms | text QPS 16 "
                  "clients | peak RSS ingest MB |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        f16 = m["modes"]["fp32"]["tower"].get("16")
        for mode, r in m["modes"].items():
            t = r["tower"]
            b16 = t.get("16")
            unit = {"fp32": g["fp32_avx512"], "bf16": g["bf16_amx"] or g["bf16_avx512"], "int8": g["int8_vnni"]}.get(mode)
            # from CPU time: the rate the same work would run at with every core to itself
            of_peak = (f"{100 * b16['ips'] * VIT_GFLOP_IMAGE / unit:.1f} %; "
                       f"{100 * (1000 * pk['cores'] / b16['cpu_ms']) * VIT_GFLOP_IMAGE / unit:.1f} %"
                       if vit and b16 and unit else "–")
            lines.append(
                f"| {mode} | {fmt(t['1']['ips'] if '1' in t else None)} | {fmt(t['8']['ips'] if '8' in t else None)} | "
                f"{fmt(b16['ips'] if b16 else None)} | {fmt(t['32']['ips'] if '32' in t else None)} | "
                f"{fmt(b16['cpu_ms'] if b16 else None, 2)} | "
                f"{fmt(b16['ips'] / f16['ips'], 2) + 'x; ' + fmt(f16['cpu_ms'] / b16['cpu_ms'], 2) + 'x' if b16 and f16 else '–'} | "
                f"{of_peak} | {fmt(r['ingest']['images_per_second'])} | "
                f"{fmt(r['ingest']['images_per_second'] / b16['ips'], 2) if b16 else '–'} | "
                f"{fmt(r['queries']['p50_1_ms'])} | {fmt(r['queries']['qps_16'])} | {r['ingest']['peak_rss_mb']} |")
        sweep = m.get("thread_sweep_b16")
        if sweep:
            lines += ["", "Thread pools at batch 16, img/s by torch (OpenMP) x OpenBLAS threads (the defaults: fp32 1 x "
                      "cores, bf16 cores x 1, int8 cores x cores): "
                      + "; ".join(f"{mode} " + ", ".join(f"{k} {v['ips']} ({v['cpu_ms']} CPU-ms/img)"
                                                         for k, v in cells.items())
                                  for mode, cells in sweep.items()) + "."]
        py = m.get("python_tower_b16", {})
        if py:
            lines += ["", "PyTorch on the same file, same threads, batch 16 (`src/bench/python/towerbench.py`): "
                      + "; ".join(f"{k} {v['images_per_second']} img/s, {v.get('cpu_ms_per_image')} CPU-ms/img "
                                  f"(min cosine to fp32 {v['min_cosine']})"
                                  for k, v in py.items()) + "."]
        lines.append("")
    lines += ["## Quality", "", "| model | check | " + " | ".join(doc["modes"]) + " |",
              "|---|---|" + "---:|" * len(doc["modes"])]
    for name, q in doc["quality"].items():
        for key, label in (("zero_shot_accuracy", "cifar10-test zero-shot acc"), ("p_at_10", "P@10"), ("map", "mAP")):
            if f"eval_fp32" in q:
                lines.append(f"| {name} | {label} | " + " | ".join(fmt(q.get(f'eval_{m}', {}).get(key), 4)
                                                                  for m in doc["modes"]) + " |")
        lines.append(f"| {name} | min cosine to fp32 ({len(CAPTIONS)} captions, {doc['settings'].get('photos')} photos) | 1 | "
                     + " | ".join(fmt(q.get(f'cosine_{m}', {}).get('min'), 6) for m in doc["modes"][1:]) + " |")
    lines += ["", "Gate (CI): zero-shot acc, P@10, mAP within +-0.005 of fp32 (0.7403, 0.98, 0.8053); cosine >= 0.999.",
              "", "Reproduce: `src/bench/run-precision-bench.sh`."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
