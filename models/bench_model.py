#!/usr/bin/env python3
"""Python reference timings for the same TorchScript file the Java benchmark (ClipModelBenchmark) uses:
encode_text at 77 tokens vs the short length, encode_image at batch 1/8/32. Median ms per call.

  python models/bench_model.py /tmp/parity-full/clip.pt [--threads 2]
"""
import argparse
import json
import statistics
import time

import torch


def timed(fn, seconds=3.0, warmup=3):
    for _ in range(warmup):
        fn()
    times, end = [], time.perf_counter() + seconds
    while time.perf_counter() < end or len(times) < 5:
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("model")
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    spec = json.load(open(args.model + ".json"))
    m = torch.jit.load(args.model).eval()
    ids = [49406, 320, 1125, 539, 320, 1449, 1929, 49407]  # "a photo of a white dog"
    short = min(n for n in spec.get("text_lengths", [77]) + [77] if n >= len(ids))
    full = torch.zeros(1, 77, dtype=torch.long); full[0, :len(ids)] = torch.tensor(ids)
    cut = full[:, :short].contiguous()
    s = spec["image_size"]
    out = {"torch": torch.__version__, "threads": args.threads, "short_length": short}
    with torch.inference_mode():
        out["text77_ms"] = timed(lambda: m.encode_text(full))
        out["text_short_ms"] = timed(lambda: m.encode_text(cut))
        for b in (1, 8, 32):
            x = torch.randn(b, 3, s, s)
            out[f"image_b{b}_ms_per_batch"] = timed(lambda: m.encode_image(x))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
