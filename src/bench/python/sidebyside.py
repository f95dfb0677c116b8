#!/usr/bin/env python3
"""Side-by-side benchmark: clip-search (Java) against the Python Gradio app it replaces (refapp.py), as users run it
and as its best-configured peer (refapp.py --tuned --autocast: Gradio batching, a raised concurrency limit, torch
bf16 autocast where the CPU has bf16; ingest in batches of --py-batch under the same autocast).

For each model and each repetition, for each side in turn (never both at once, so neither steals the other's
cores): ingest the same image folder into a fresh Milvus Lite, start the server on that data and time the first
answer, then drive it with loadgen at 1, 8 and 32 clients while sampling the server tree's RSS. Once per model,
gradio_client asks both servers the same queries and the top-10 file names are compared. Every figure reported
is the median over repetitions; the per-run values are kept in the JSON.

Called by src/bench/run-side-by-side.sh, which sets up the venv, the jar and the models first.
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import loadgen  # noqa: E402
import procs  # noqa: E402
import report  # noqa: E402

CHECK_QUERIES = ["a photo of a dog", "a red sports car", "a bird on a branch", "food on a plate", "a boat"]


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')} load {os.getloadavg()[0]:.1f}] {msg}", file=sys.stderr, flush=True)


class Side:
    """How to ingest and serve with one implementation."""

    def __init__(self, name, args):
        self.name, self.a = name, args
        threads = str(args.threads)
        self.env = dict(os.environ, OMP_NUM_THREADS=threads, OPENBLAS_NUM_THREADS=threads, MKL_NUM_THREADS=threads,
                        BENCH_THREADS=threads, OMP_WAIT_POLICY="PASSIVE", OPENBLAS_THREAD_TIMEOUT="20",
                        CLIPSRV_HOME=str(args.root),
                        GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1", PYTHONUNBUFFERED="1",
                        GRADIO_TEMP_DIR=str(args.work / "gradio-tmp"))

    def java(self, *rest):
        return ["java", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-jar", str(self.a.jar), *rest]

    def py(self, *rest):
        return [str(self.a.python), str(Path(__file__).resolve().parent / "refapp.py"), *rest]

    def java_threads(self):
        # The Java side sizes its pools per precision over all cores (ThreadPlan) unless --threads is narrowed.
        return [] if self.a.threads == os.cpu_count() else ["--threads", str(self.a.threads)]

    def ingest_argv(self, model, images, data, batch=1):
        if self.name == "java":
            return self.java("ingest", str(images), "--model", model, "--data-dir", str(data),
                             "--precision", self.a.precision, *self.java_threads(), "--device", self.a.device)
        tuned = self.name == "python-tuned"
        return self.py("ingest", "--model", model, "--images", str(images), "--db", str(data / "milvus.db"),
                       "--batch", str(self.a.py_batch if tuned else batch), "--device", self.a.device,
                       *(["--autocast"] if tuned else []))

    def serve_argv(self, model, images, data, port):
        if self.name == "java":
            return self.java("serve", "--model", model, "--data-dir", str(data), "--port", str(port),
                             "--precision", self.a.precision, *self.java_threads(), "--device", self.a.device)
        return self.py("serve", "--model", model, "--images", str(images), "--db", str(data / "milvus.db"),
                       "--port", str(port), "--device", self.a.device,
                       *(["--tuned", "--autocast"] if self.name == "python-tuned" else []))


def first_answer(server, url, limit_s):
    """Seconds from process start to the first complete /search answer."""
    caller = loadgen.Caller(url, timeout=60)
    while time.perf_counter() - server.started < limit_s:
        if not server.alive():
            raise RuntimeError(f"server exited with {server.proc.returncode}")
        ok, _, _ = caller.call("a photo of a dog")
        if ok:
            caller.close()
            return time.perf_counter() - server.started
        time.sleep(0.1)
    raise RuntimeError(f"no answer within {limit_s} s")


def top_files(url):
    """gradio_client's answer to each CHECK_QUERIES: [(file name, caption)] x 10."""
    from gradio_client import Client

    client = Client(url, verbose=False, download_files=False)
    out = {}
    for q in CHECK_QUERIES:
        items = client.predict(q, 10, api_name="/search")
        out[q] = [[Path(i["image"]["path"] if isinstance(i["image"], dict) else i["image"]).name, i["caption"]]
                  for i in items]
    return out


def one_run(side, model, images, work, rep, crosscheck, batched):
    a = side.a
    res = {"rep": rep, "load_before": round(os.getloadavg()[0], 2)}
    data = work / f"{side.name}-rep{rep}"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    logs = work / "logs"
    logs.mkdir(exist_ok=True)
    out, wall, peak = procs.run_measured(side.ingest_argv(model, images, data), side.env,
                                         logs / f"{side.name}-ingest-rep{rep}.log")
    summary = json.loads(out.strip().splitlines()[-1])
    res.update(ingest_ips=summary["images_per_second"], ingest_wall_s=round(wall, 2),
               ingest_peak_rss_mb=round(peak / 2**20), inserted=summary["inserted"])
    log(f"{side.name} ingest: {summary['inserted']} images, {summary['images_per_second']} img/s, wall {wall:.1f} s")
    if batched and side.name == "python":
        bdata = work / "python-batched"
        shutil.rmtree(bdata, ignore_errors=True)
        bdata.mkdir(parents=True)
        out, _, _ = procs.run_measured(side.ingest_argv(model, images, bdata, a.py_batch), side.env,
                                       logs / "python-ingest-batched.log")
        res["ingest_batched_ips"] = json.loads(out.strip().splitlines()[-1])["images_per_second"]
        log(f"python batched ({a.py_batch}) ingest: {res['ingest_batched_ips']} img/s")

    port = procs.free_port()
    url = f"http://127.0.0.1:{port}"
    server = procs.Server(side.serve_argv(model, images, data, port), side.env, logs / f"{side.name}-serve-rep{rep}.log")
    try:
        res["first_answer_s"] = round(first_answer(server, url, a.start_limit), 2)
        log(f"{side.name} first answer after {res['first_answer_s']} s")
        if crosscheck:
            res["crosscheck"] = top_files(url)
        for n in a.clients:
            cell = loadgen.run(url, n, a.seconds, a.warmup, a.queries)
            cell["load"] = round(os.getloadavg()[0], 2)
            res[f"c{n}"] = cell
            log(f"{side.name} {n} clients: {cell}")
    finally:
        res["peak_rss_mb"] = round(server.stop() / 2**20)
    res["load_after"] = round(os.getloadavg()[0], 2)
    return res


def median_of(runs, key):
    vals = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(vals) if vals else None


def summarise(runs, clients):
    flat = []
    for r in runs:
        f = {k: r.get(k) for k in ("ingest_ips", "ingest_batched_ips", "first_answer_s", "peak_rss_mb")}
        for n in clients:
            c = r.get(f"c{n}", {})
            f.update({f"qps_{n}": c.get("qps"), f"p50_{n}": c.get("p50_ms"), f"p99_{n}": c.get("p99_ms"),
                      f"errors_{n}": c.get("errors")})
        flat.append(f)
    return {k: median_of(flat, k) for k in flat[0]} if flat else {}


def compare(java, python):
    """Per query: same top-10 set, same order, and the largest |score difference| on shared files."""
    out = {}
    for q in CHECK_QUERIES:
        j, p = java.get(q, []), python.get(q, [])
        jn, pn = [x[0] for x in j], [x[0] for x in p]
        score = lambda cap: float(cap.rsplit(" ", 1)[-1])  # noqa: E731 ("name · 0.123")
        ps = {n: score(c) for n, c in p}
        diffs = [abs(score(c) - ps[n]) for n, c in j if n in ps]
        out[q] = {"overlap": len(set(jn) & set(pn)), "same_order": jn == pn,
                  "max_score_diff": round(max(diffs), 4) if diffs else None, "java": jn, "python": pn}
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--root", type=Path, required=True)
    p.add_argument("--jar", type=Path, required=True)
    p.add_argument("--python", type=Path, required=True, help="the bench venv's python")
    p.add_argument("--model", action="append", required=True, help="NAME=PATH.pt, repeatable")
    p.add_argument("--images", type=Path, required=True)
    p.add_argument("--count", type=int, default=500,
                   help="how many images (sorted by name) to ingest; 500 keeps a 2-core run under 20 minutes")
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--seconds", type=float, default=8)
    p.add_argument("--warmup", type=float, default=2)
    p.add_argument("--clients", default="1,8,32")
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--device", default="cpu", help="cpu, or cuda for both sides on a GPU machine")
    p.add_argument("--py-batch", type=int, default=32)
    p.add_argument("--precision", default="auto", help="clip-search's --precision (default auto)")
    p.add_argument("--start-limit", type=float, default=300)
    p.add_argument("--work", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    a = p.parse_args()
    a.clients = [int(c) for c in a.clients.split(",")]
    labels = a.images / "labels.tsv"
    a.queries = loadgen.query_source(str(labels) if labels.exists() else None)

    t_start = time.time()
    load_start = os.getloadavg()
    images = a.work / f"images-{a.count}"
    if not images.is_dir() or len(list(images.iterdir())) != a.count:
        shutil.rmtree(images, ignore_errors=True)
        images.mkdir(parents=True)
        # Copies, not links: clip-search serves only regular files (no symlinks) from its store.
        for f in sorted(x for x in a.images.iterdir() if x.suffix.lower() in {".jpg", ".jpeg", ".png"})[:a.count]:
            shutil.copy(f, images / f.name)

    results = {}
    for spec in a.model:
        name, path = spec.split("=", 1)
        log(f"model {name}: {path}")
        work = a.work / name
        sides = [Side("java", a), Side("python", a), Side("python-tuned", a)]
        runs = {s.name: [] for s in sides}
        for rep in range(a.reps):
            for s in sides:
                runs[s.name].append(one_run(s, path, images, work, rep, crosscheck=rep == 0, batched=rep == 0))
        results[name] = {
            "model": report.shown(path, a.root),
            "java": summarise(runs["java"], a.clients),
            "python": summarise(runs["python"], a.clients),
            "python_tuned": summarise(runs["python-tuned"], a.clients),
            "crosscheck": compare(runs["java"][0].get("crosscheck", {}), runs["python"][0].get("crosscheck", {})),
            "runs": runs,
        }
        for s in runs.values():
            for r in s:
                r.pop("crosscheck", None)

    doc = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(t_start)),
        "duration_s": round(time.time() - t_start),
        "machine": {"cores": os.cpu_count(), "cpu": report.cpu_model(), "flags": report.cpu_flags(),
                    "platform": platform.platform(),
                    "loadavg_start": [round(x, 2) for x in load_start],
                    "loadavg_end": [round(x, 2) for x in os.getloadavg()]},
        "settings": {"images": a.count, "reps": a.reps, "seconds_per_cell": a.seconds, "warmup_s": a.warmup,
                     "clients": a.clients, "threads": a.threads, "device": a.device, "top_k": 10, "python_batch": a.py_batch,
                     "precision": a.precision},
        "versions": report.versions(a.python),
        "models": results,
    }
    a.out.mkdir(parents=True, exist_ok=True)
    (a.out / "side-by-side.json").write_text(json.dumps(doc, indent=1) + "\n")
    (a.out / "side-by-side.md").write_text(report.markdown(doc))
    log(f"wrote {a.out / 'side-by-side.md'} in {doc['duration_s']} s")


if __name__ == "__main__":
    main()
