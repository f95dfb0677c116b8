#!/usr/bin/env python3
"""Exports a model (export_clip.py) and compares the export with OpenAI's own `clip.load(...)` of the same weights on
images and texts: the real-weight proof that clip-search computes what the tutorial computes. Needs internet for
the weights (open_clip downloads them for the export, `clip` for the comparison). Run it once on your machine:

  src/scripts/export-model.sh --verify --out models/clip-vit-b-32.pt
  src/scripts/export-model.sh --verify --out models/clip-vit-l-14-336.pt --model ViT-L-14-336-quickgelu

It prints the largest absolute difference per tower and exits 1 above 1e-4. Local files work in place of the
downloads: `--pretrained FILE` (a state dict for open_clip) with `--openai-checkpoint FILE` (OpenAI's TorchScript
archive for clip.load); `--self-test` writes both from one set of random weights and runs that path offline (the
tests use it).
"""
import argparse
import json
import sys
import tempfile
import warnings
from pathlib import Path

import torch
import torch.nn.functional as F

warnings.filterwarnings("ignore")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "models"))
import check_openai_parity  # noqa: E402
import export_clip  # noqa: E402

TOLERANCE = 1e-4
# open_clip architecture -> the name clip.load() knows for the same OpenAI weights
OPENAI_NAMES = {
    "ViT-B-32-quickgelu": "ViT-B/32", "ViT-B-16-quickgelu": "ViT-B/16", "ViT-L-14-quickgelu": "ViT-L/14",
    "ViT-L-14-336-quickgelu": "ViT-L/14@336px", "RN50-quickgelu": "RN50", "RN101-quickgelu": "RN101",
}
TEXTS = ["a diagram", "a dog", "a cat", "a photo of a white dog", "a red car parked on the street"]


def openai_reference(args, openai_checkpoint):
    """What clip.load() is given: a local OpenAI archive, or the OpenAI name of the architecture's weights."""
    if openai_checkpoint:
        return openai_checkpoint
    if args.pretrained != "openai":
        raise SystemExit(f"no OpenAI reference for the {args.pretrained!r} weights (pass --openai-checkpoint FILE); "
                         "export_clip.py checks every export against open_clip")
    if args.model not in OPENAI_NAMES:
        raise SystemExit(f"clip.load() has no name for {args.model!r}; known: {sorted(OPENAI_NAMES)}")
    return OPENAI_NAMES[args.model]


def compare(export_file, reference):
    """Max |diff| per tower between the export and clip.load(reference), both normalised, on CPU in float32."""
    import clip
    from PIL import Image

    model, preprocess = clip.load(reference, device="cpu", jit=False)
    model.float().eval()
    exported = torch.jit.load(str(export_file)).eval()
    images = [f for _, f in check_openai_parity.image_files() if f.exists()][:12]
    with torch.no_grad():
        pixels = torch.stack([preprocess(Image.open(f)) for f in images])
        tokens = clip.tokenize(TEXTS).long()
        image = (exported.encode_image(pixels) - F.normalize(model.encode_image(pixels), dim=-1)).abs().max().item()
        text = (exported.encode_text(tokens) - F.normalize(model.encode_text(tokens), dim=-1)).abs().max().item()
    return {"reference": str(reference), "images": len(images), "texts": len(TEXTS), "image_max_diff": image,
            "text_max_diff": text}


def self_test_files(workdir, arch):
    """One set of random reduced weights in both published formats: OpenAI's (their model traced into a TorchScript
    archive, weights rounded to float16 as in their files) and open_clip's (a state dict of the same values)."""
    args = export_clip.parse_args(["--random", "--reduced", "--model", arch, "--out", str(workdir / "seed.pt")])
    export_clip.export(args)
    openai = check_openai_parity.openai_model_from(torch.jit.load(str(workdir / "seed.pt"))).half().float()
    size = openai.visual.input_resolution
    traced = torch.jit.trace(openai, (torch.zeros(1, 3, size, size), torch.zeros(1, 77, dtype=torch.long)))
    traced.save(str(workdir / "openai-archive.pt"))
    torch.save(openai.state_dict(), workdir / "open_clip-state.pt")
    return workdir / "open_clip-state.pt", workdir / "openai-archive.pt"


def main():
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--openai-checkpoint")
    p.add_argument("--self-test", action="store_true")
    ours, argv = p.parse_known_args()
    openai_checkpoint = ours.openai_checkpoint
    if ours.self_test:
        workdir = Path(tempfile.mkdtemp(prefix="verify-self-test-"))
        arch = export_clip.DEFAULT_MODEL
        state, openai_checkpoint = self_test_files(workdir, arch)
        argv = ["--model", arch, "--pretrained", str(state), "--reduced", "--out", str(workdir / "clip.pt")]
    args = export_clip.parse_args(argv)
    reference = openai_reference(args, openai_checkpoint)
    export_clip.export(args)
    result = compare(args.out, reference)
    worst = max(result["image_max_diff"], result["text_max_diff"])
    print(json.dumps(result))
    print(f"{'OK' if worst <= TOLERANCE else 'MISMATCH'}: the export differs from clip.load({reference!r}) by at most "
          f"{worst:.3g} (image {result['image_max_diff']:.3g}, text {result['text_max_diff']:.3g}; limit {TOLERANCE})")
    sys.exit(0 if worst <= TOLERANCE else 1)


if __name__ == "__main__":
    main()
