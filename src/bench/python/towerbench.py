#!/usr/bin/env python3
"""PyTorch's own image-tower rate on the same TorchScript file clip-search loads, same threads: the Python reference
for bench-results/precision.md. Modes: fp32; autocast (torch.autocast("cpu", bfloat16)); bf16 (weights and input
cast to bf16, as clip-search's bf16). Each mode runs in a fresh process (JIT specialisation and autocast state do
not carry over). Prints one JSON line: {"mode": ..., "batch": ..., "images_per_second": ..., "min_cosine": ...}.

Usage: towerbench.py MODEL.pt MODE [BATCH] [SECONDS]    (threads: BENCH_THREADS, default all cores)
"""
import contextlib
import json
import os
import sys
import time

import torch
import torch.nn.functional as F


def main():
    path, mode = sys.argv[1], sys.argv[2]
    batch = int(sys.argv[3]) if len(sys.argv) > 3 else 16
    seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 10
    torch.set_num_threads(int(os.environ.get("BENCH_THREADS", os.cpu_count() or 1)))
    torch.manual_seed(7)
    x = torch.randn(batch, 3, 224, 224)
    with torch.inference_mode():  # a separate instance: a first fp32 run would specialise the timed one's graph
        ref = torch.jit.load(path).eval().encode_image(x).float()
    model = torch.jit.load(path).eval()
    if mode == "bf16":
        model.to(torch.bfloat16)
        x = x.to(torch.bfloat16)
    elif mode not in ("fp32", "autocast"):
        raise SystemExit(f"unknown mode {mode}")
    ctx = (lambda: torch.autocast("cpu", dtype=torch.bfloat16)) if mode == "autocast" else contextlib.nullcontext
    with torch.inference_mode(), ctx():
        for _ in range(3):
            out = model.encode_image(x)
        t0, c0, n = time.perf_counter(), time.process_time(), 0
        while time.perf_counter() - t0 < seconds or n < 3:
            out = model.encode_image(x)
            n += 1
        dt, dc = time.perf_counter() - t0, time.process_time() - c0
    cos = F.cosine_similarity(out.float(), ref).min().item()
    print(json.dumps({"mode": mode, "batch": batch, "images_per_second": round(n * batch / dt, 1),
                      "cpu_ms_per_image": round(dc * 1000 / (n * batch), 2),
                      "min_cosine": round(cos, 6), "torch": torch.__version__, "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
