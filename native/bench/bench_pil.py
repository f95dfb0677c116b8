"""Python reference timing for NativePreprocessBench: open_clip's val transform (PIL decode, torchvision Resize(224,
bicubic), CenterCrop, convert RGB, ToTensor, Normalize) per image, single thread, median of repeated runs.
Usage: python bench_pil.py FILE... (the same files as the JMH benchmark; the 12 MP one is made by its setup)."""
import io
import statistics
import sys
import time

import torch
from PIL import Image
from torchvision import transforms as T

torch.set_num_threads(1)
MEAN = (0.48145466, 0.4578275, 0.40821073)
STD = (0.26862954, 0.26130258, 0.27577711)
transform = T.Compose([
    T.Resize(224, interpolation=T.InterpolationMode.BICUBIC),
    T.CenterCrop(224),
    lambda im: im.convert("RGB"),
    T.ToTensor(),
    T.Normalize(MEAN, STD),
])


def once(data: bytes) -> None:
    transform(Image.open(io.BytesIO(data)))


for path in sys.argv[1:]:
    data = open(path, "rb").read()
    for _ in range(3):
        once(data)
    times = []
    deadline = time.perf_counter() + 5
    while time.perf_counter() < deadline or len(times) < 5:
        start = time.perf_counter()
        once(data)
        times.append((time.perf_counter() - start) * 1000)
    print(f"{path}\t{Image.open(path).size}\tmedian {statistics.median(times):.3f} ms\tn={len(times)}")
