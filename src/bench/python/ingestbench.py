"""Ingest throughput in one run, per model: clip-search's end-to-end ingest vs its image tower alone at the same
batch size (the ratio says how much the pipeline around the model costs), and the Python tutorial loop (one image
per encode_image/insert) plus its batched variant on the same images, model and thread budget.

Called by src/bench/run-ingest-bench.sh; writes OUT/ingest.{json,md}.
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
import procs  # noqa: E402
import report as machine  # noqa: E402


def log(msg):
    print(f"[ingest-bench {time.strftime('%H:%M:%S')} load {os.getloadavg()[0]:.1f}] {msg}", file=sys.stderr,
          flush=True)


def env_for(args):
    t = str(args.threads)
    return dict(os.environ, OMP_NUM_THREADS=t, OPENBLAS_NUM_THREADS=t, MKL_NUM_THREADS=t, BENCH_THREADS=t,
                OMP_WAIT_POLICY="PASSIVE", OPENBLAS_THREAD_TIMEOUT="20", CLIPSRV_HOME=str(args.root), PYTHONUNBUFFERED="1")


def java(args, *rest, cp=None):
    head = ["java", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0"]
    return head + (["-cp", cp] if cp else ["-jar", str(args.jar)]) + list(rest)


def timed_ingest(argv, env, log_path):
    out, wall, peak = procs.run_measured(argv, env, log_path)
    s = json.loads(out.strip().splitlines()[-1])
    return {"images_per_second": s["images_per_second"], "inserted": s["inserted"], "wall_s": round(wall, 2),
            "peak_rss_mb": round(peak / 2**20)}


def fresh(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def one_model(args, name, model, env):
    logs = args.work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    res = {"model": name, "load_before": round(os.getloadavg()[0], 2), "java": [], "python_loop": []}
    cp = f"{args.jar}:{args.root / 'target' / 'test-classes'}"
    out = subprocess.run(java(args, "dev.clipsearch.bench.ModelImageRate", model, str(args.batch),
                              str(args.model_seconds), args.device, args.precision, cp=cp),
                         env=env, check=True, capture_output=True, text=True).stdout
    res["model_only"] = json.loads(out.strip().splitlines()[-1])
    log(f"{name} model only, batch {args.batch}: {res['model_only']['images_per_second']} img/s")
    for rep in range(args.reps):
        data = fresh(args.work / f"java-{name}-{rep}")
        r = timed_ingest(java(args, "ingest", str(args.images), "--model", model, "--data-dir", str(data),
                              *([] if args.threads == os.cpu_count() else ["--threads", str(args.threads)]),
                              "--device", args.device, "--max-batch-image", str(args.batch),
                              "--precision", args.precision),
                         env, logs / f"java-{name}-{rep}.log")
        res["java"].append(r)
        log(f"{name} clip-search ingest: {r}")
        data = fresh(args.work / f"python-{name}-{rep}")
        r = timed_ingest([str(args.python), str(Path(__file__).resolve().parent / "refapp.py"), "ingest",
                          "--model", model, "--images", str(args.images), "--db", str(data / "milvus.db"),
                          "--batch", "1", "--device", args.device], env, logs / f"python-{name}-{rep}.log")
        res["python_loop"].append(r)
        log(f"{name} Python tutorial loop: {r}")
    data = fresh(args.work / f"python-batched-{name}")
    res["python_batched"] = timed_ingest(
        [str(args.python), str(Path(__file__).resolve().parent / "refapp.py"), "ingest", "--model", model,
         "--images", str(args.images), "--db", str(data / "milvus.db"), "--batch", str(args.batch),
         "--device", args.device], env, logs / f"python-batched-{name}.log")
    log(f"{name} Python batched ({args.batch}): {res['python_batched']}")
    res["load_after"] = round(os.getloadavg()[0], 2)
    java_ips = statistics.median(r["images_per_second"] for r in res["java"])
    loop_ips = statistics.median(r["images_per_second"] for r in res["python_loop"])
    res["summary"] = {
        "java_ingest_ips": java_ips,
        "model_only_ips": res["model_only"]["images_per_second"],
        "ingest_over_model": round(java_ips / res["model_only"]["images_per_second"], 3),
        "python_loop_ips": loop_ips,
        "java_over_python_loop": round(java_ips / loop_ips, 2),
        "python_batched_ips": res["python_batched"]["images_per_second"],
    }
    return res


def markdown(report):
    lines = [f"# Ingest throughput ({report['date']})", "",
             f"CPU: {report.get('cpu')}, flags {' '.join(report.get('flags', []))}; clip-search `--precision "
             f"{report.get('precision')}`.", "",
             f"Images: `{report['images']}` ({report['count']} files), {report['cores']} cores, "
             f"{report['threads']} threads for both sides, device {report['device']}, image batch {report['batch']}, "
             f"median of {report['reps']} runs per side; load average {report['load_before']} at start.", "",
             "| model | clip-search ingest img/s | image tower alone img/s | ratio (target >= 0.9) "
             "| Python tutorial loop img/s | clip-search / loop (target >= 2) | Python batched img/s | load |",
             "|---|---|---|---|---|---|---|---|"]
    for r in report["models"]:
        s = r["summary"]
        lines.append(f"| {r['model']} | {s['java_ingest_ips']} | {s['model_only_ips']} | {s['ingest_over_model']} "
                     f"| {s['python_loop_ips']} | {s['java_over_python_loop']}x | {s['python_batched_ips']} "
                     f"| {r['load_before']}-{r['load_after']} |")
    lines += ["", "End-to-end rates cover reading, hashing, decoding, preprocessing, encoding and Milvus Lite inserts "
              "(JVM and model start excluded, as on the Python side). The image tower alone runs encode_image on "
              "preprocessed pixels at the same batch size in the same LibTorch runtime.", "",
              "Reproduce: `src/bench/run-ingest-bench.sh` (options: `--reps`, `--batch`, `--threads`, `--device`)."]
    return "\n".join(lines) + "\n"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--root", type=Path, required=True)
    p.add_argument("--jar", type=Path, required=True)
    p.add_argument("--python", type=Path, required=True)
    p.add_argument("--model", action="append", required=True, help="NAME=PATH.pt, repeatable")
    p.add_argument("--images", type=Path, required=True)
    p.add_argument("--reps", type=int, default=1)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--model-seconds", type=float, default=30)
    p.add_argument("--only", help="run just the model with this NAME")
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--device", default="cpu")
    p.add_argument("--precision", default="auto", help="clip-search's --precision, for ingest and the tower alike")
    p.add_argument("--work", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    args = p.parse_args()
    env = env_for(args)
    count = sum(1 for f in args.images.rglob("*") if f.suffix.lower() in {".jpg", ".jpeg", ".png", ".webp",
                                                                           ".gif", ".bmp"})
    report = {"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "images": machine.shown(args.images, args.root),
              "count": count, "cores": os.cpu_count(), "cpu": machine.cpu_model(), "flags": machine.cpu_flags(),
              "precision": args.precision, "threads": args.threads, "device": args.device,
              "batch": args.batch, "reps": args.reps, "load_before": round(os.getloadavg()[0], 2), "models": []}
    for spec in args.model:
        name, path = spec.split("=", 1)
        if args.only and name != args.only:
            continue
        report["models"].append(one_model(args, name, path, env))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "ingest.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.out / "ingest.md").write_text(markdown(report))
    print(markdown(report))


if __name__ == "__main__":
    main()
