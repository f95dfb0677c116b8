#!/usr/bin/env python3
"""Writes the image-preprocessing parity fixtures for JavaImagePreprocessorParityTest.

Run with the reference environment (open_clip_torch + torch + torchvision + Pillow), from the repository root:

    .cache/refvenv/bin/python models/make_image_fixtures.py

It writes into src/test/resources/fixtures/images/:
  * small test images, one per decoder path / Pillow mode (synthetic content, a few KB each; image_fixture_sources.py);
  * for each (image, size) case, the expected 8-bit RGB centre crop that open_clip's val transform feeds to ToTensor,
    as raw gzip'd bytes (H*W*3, row-major, RGB): `<case>.rgb.gz`;
  * one full normalised float32 tensor (little-endian CHW) to check the ToTensor/Normalize arithmetic;
  * manifest.tsv: one line per case, with the reference versions in '#' header lines;
  * shared_data_crops_224.tsv.gz: a hash of the 224 crop of ~2000 shared photos (JavaImagePreprocessorSharedDataSweepTest).

Real photos from ../shared/data are referenced by path (../shared/...), never copied.
The reference transform is open_clip's own: image_transform(size, is_train=False), which for size 224 is what
open_clip.create_model_and_transforms('ViT-B-32') returns as its val preprocess (the script checks that).
"""
import gzip
import io
import os
import platform
import sys
import warnings

import numpy as np
from PIL import Image

warnings.filterwarnings("ignore")
import open_clip  # noqa: E402
import torch  # noqa: E402
import torchvision  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "src", "test", "resources", "fixtures", "images")
SHARED = os.path.join(os.path.dirname(ROOT), "shared")  # the worktree's ../shared
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from image_fixture_sources import make_images  # noqa: E402


# Real photos, read from ../shared at test time (relative to the repository root), never copied.
PHOTOS = [
    ("photo_tench_224", "../shared/data/imagenet-sample/n01440764_tench.JPEG", 224),
    ("photo_tench_16", "../shared/data/imagenet-sample/n01440764_tench.JPEG", 16),
    ("photo_shark_icc_224", "../shared/data/imagenet-sample/n01484850_great_white_shark.JPEG", 224),
    ("photo_guitar_grey_icc_64", "../shared/data/imagenet-sample/n02676566_acoustic_guitar.JPEG", 64),
    ("photo_owl_exif_64", "../shared/data/imagenet-sample/n01622779_great_grey_owl.JPEG", 64),
    ("photo_horse_rgba_224", "../shared/data/clip-notebook/horse.png", 224),
    ("photo_clip_rgba_64", "../shared/data/clip-notebook/CLIP.png", 64),
    ("photo_camera_grey_64", "../shared/data/clip-notebook/camera.png", 64),
    ("photo_page_grey_48", "../shared/data/clip-notebook/page.png", 48),
    ("photo_rocket_224", "../shared/data/clip-notebook/rocket.jpg", 224),
    ("photo_cifar_upscale_224", "../shared/data/cifar10-test/airplane/0000.jpg", 224),
]

# Image sizes per synthetic image (73x53 unless named): 32 downscales by ~1.7, 53 keeps the short side (crop only),
# 64 and 96 upscale a little, 224 upscales by ~4.2.
SIZES = {"jpeg_baseline_420": (32, 64), "png_rgba": (32, 53, 96), "png_palette": (32, 53, 224), "png_rgb": (32, 53),
         "png_grey16": (29, 32)}  # png_grey16 is 41x29: 29 is its crop-only case
SPECIAL_SIZES = {"tiny_1x1": (32,), "upscale_20x13": (48,), "crop_only_53x48": (48,), "crop_only_48x55": (48,),
                 "wide_4000x3": (32,), "tall_3x4000": (32,)}

NORMALISE_CASE = ("normalise_png_rgb_32", "png_rgb", 32)


def reference_transform(size):
    """open_clip's val transform; for 224 the one create_model_and_transforms('ViT-B-32') returns."""
    if size == 224:
        return VIT_B32_VAL
    return open_clip.image_transform(size, is_train=False)


def expected_crop(path, size):
    """The 8-bit RGB image the reference hands to ToTensor (every step of the Compose but ToTensor/Normalize)."""
    transform = reference_transform(size)
    steps = transform.transforms
    assert type(steps[-2]).__name__.endswith("ToTensor") and type(steps[-1]).__name__ == "Normalize", steps
    with Image.open(path) as im:
        mode = im.mode
        out = im
        for step in steps[:-2]:
            out = step(out)
    assert out.mode == "RGB" and out.size == (size, size), (out.mode, out.size)
    arr = np.asarray(out, dtype=np.uint8)
    # the crop really is what the full transform normalises (guards against steps[:-2] drifting from the Compose)
    with Image.open(path) as im:
        full = transform(im).numpy()
    again = steps[-1](steps[-2](out)).numpy()
    assert np.array_equal(full, again)
    return mode, arr, full


def write_shared_data_sweep():
    """A 64-bit hash of the 224 crop of every shared ImageNet photo, every tenth CIFAR-10 image and the notebook
    images: a wide parity check against real files (ICC profiles, greyscale, odd sizes) that stays small."""
    import glob
    import hashlib
    data = os.path.join(SHARED, "data")
    files = sorted(glob.glob(os.path.join(data, "imagenet-sample", "*.JPEG")))
    files += sorted(glob.glob(os.path.join(data, "cifar10-test", "*", "*.jpg")))[::10]
    files += sorted(glob.glob(os.path.join(data, "clip-notebook", "*.[pj][np]g")))
    steps = VIT_B32_VAL.transforms[:-2]
    lines = []
    for path in files:
        with Image.open(path) as im:
            mode = im.mode
            out = im
            for step in steps:
                out = step(out)
        digest = hashlib.sha256(np.asarray(out, dtype=np.uint8).tobytes()).hexdigest()[:16]
        lines.append(f"{os.path.relpath(path, data)}\t{mode}\t{digest}")
    raw = gzip.GzipFile(os.path.join(OUT, "shared_data_crops_224.tsv.gz"), "wb", compresslevel=9, mtime=0)
    with io.TextIOWrapper(raw, encoding="utf-8") as f:
        f.write("# path under ../shared/data, Pillow mode, first 16 hex digits of sha256(224x224x3 RGB crop)\n")
        f.write("\n".join(lines) + "\n")
    return len(lines)


def rel(path):
    return os.path.relpath(path, ROOT)


def main():
    global VIT_B32_VAL
    _, _, VIT_B32_VAL = open_clip.create_model_and_transforms("ViT-B-32")
    assert repr(VIT_B32_VAL) == repr(open_clip.image_transform(224, is_train=False)), repr(VIT_B32_VAL)
    made = make_images(OUT)
    cases = []
    for name, path in made.items():
        for size in SIZES.get(name, SPECIAL_SIZES.get(name, (32,))):
            cases.append((f"{name}_{size}", path, size))
    cases += [(cid, os.path.normpath(os.path.join(ROOT, p)), size) for cid, p, size in PHOTOS]

    lines = []
    for cid, path, size in cases:
        mode, crop, _ = expected_crop(path, size)
        with gzip.GzipFile(os.path.join(OUT, cid + ".rgb.gz"), "wb", mtime=0) as f:
            f.write(crop.tobytes())
        with Image.open(path) as im:
            w, h = im.size
        lines.append(f"{cid}\t{rel(path)}\t{size}\t{mode}\t{w}x{h}\t{cid}.rgb.gz")

    cid, name, size = NORMALISE_CASE
    _, crop, full = expected_crop(made[name], size)
    with open(os.path.join(OUT, cid + ".f32"), "wb") as f:
        f.write(full.astype("<f4").tobytes())
    lines.append(f"{cid}\t{rel(made[name])}\t{size}\tRGB\t-\t{cid}.f32")

    swept = write_shared_data_sweep()

    header = [
        "# Expected open_clip val-transform output per image; written by models/make_image_fixtures.py.",
        f"# python {platform.python_version()}, Pillow {Image.__version__}, torch {torch.__version__}, "
        f"torchvision {torchvision.__version__}, open_clip {open_clip.__version__}, numpy {np.__version__}",
        f"# Pillow JPEG: libjpeg-turbo {_feature('libjpeg_turbo')}, WebP: libwebp {_feature('webp')}",
        f"# 224 transform: {' | '.join(repr(VIT_B32_VAL).split())}",
        "# columns: case, source (relative to the repository root), image_size, Pillow mode as opened, "
        "source size, expected file (.rgb.gz: gzip'd size*size*3 RGB bytes; .f32: little-endian CHW float32)",
    ]
    with open(os.path.join(OUT, "manifest.tsv"), "w") as f:
        f.write("\n".join(header + lines) + "\n")
    total = sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT))
    print(f"{len(lines)} cases, {swept} shared images hashed, fixtures folder {total / 1024:.0f} KiB", file=sys.stderr)


def _feature(name):
    from PIL import features
    return features.version(name)


if __name__ == "__main__":
    main()
