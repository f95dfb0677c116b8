#!/usr/bin/env python3
"""Times PIL decode + open_clip's ViT-B-32 val transform on the files PreprocessBenchmark.java times, one thread.

    .cache/refvenv/bin/python models/bench_preprocess.py [FILE ...]

Paths are relative to the repository root (the photos are read from ../shared). Prints ms per image for decode only,
transform only (on an already decoded image) and both: process CPU time, the median of repeated timed rounds after a
warm-up round (CPU time, because wall time on a shared machine swings with the load; the Java side,
PreprocessBenchmark.main, reports thread CPU time the same way).
"""
import io
import os
import statistics
import sys
import time
import warnings

warnings.filterwarnings("ignore")
import open_clip  # noqa: E402
import torch  # noqa: E402
from PIL import Image  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FILES = [
    "../shared/data/cifar10-test/airplane/0000.jpg",
    "../shared/data/imagenet-sample/n01440764_tench.JPEG",
    "../shared/data/imagenet-sample/n01622779_great_grey_owl.JPEG",
    "../shared/data/clip-notebook/astronaut.png",
    "../shared/data/clip-notebook/horse.png",
    "../shared/data/clip-notebook/CLIP.png",
]


def decode(data):
    im = Image.open(data)
    im.load()
    return im


def per_call_ms(fn, budget_s=0.5, rounds=7):
    """Median over `rounds` of the mean CPU time per call within ~budget_s each, after one warm-up round."""
    means = []
    for r in range(rounds + 1):
        n, start = 0, time.process_time()
        while time.process_time() - start < budget_s:
            fn()
            n += 1
        if r:
            means.append((time.process_time() - start) / n * 1000)
    return statistics.median(means)


def main():
    torch.set_num_threads(1)
    transform = open_clip.image_transform(224, is_train=False)
    files = sys.argv[1:] or FILES
    print(f"Pillow {Image.__version__}, torch {torch.__version__}, open_clip {open_clip.__version__}, 1 thread")
    print(f"{'file':58} {'size':>10} {'decode':>8} {'transform':>10} {'both':>8}  (ms CPU)")
    for name in files:
        path = os.path.normpath(os.path.join(ROOT, name))
        with open(path, "rb") as f:
            data = f.read()
        decoded = decode(io.BytesIO(data))
        t_decode = per_call_ms(lambda: decode(io.BytesIO(data)))
        t_transform = per_call_ms(lambda: transform(decoded))
        t_both = per_call_ms(lambda: transform(decode(io.BytesIO(data))))
        size = "x".join(map(str, decoded.size))
        print(f"{name:58} {size:>10} {t_decode:8.2f} {t_transform:10.2f} {t_both:8.2f}")


if __name__ == "__main__":
    main()
