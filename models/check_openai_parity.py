#!/usr/bin/env python3
"""Proves an export equals OpenAI's own CLIP code (the `clip` package the Milvus tutorial loads), and writes the
reference values the Java pipeline is checked against (OpenAiClipParityIT).

  python models/check_openai_parity.py --arch ViT-B-32-quickgelu [--reduced] --out-dir DIR

1. Exports the architecture with random weights (export_clip.py) to DIR/clip.pt (+ .json).
2. Rebuilds the network from the export's weights alone with OpenAI's `clip.model.build_model(state_dict)` and
   compares both towers with the export: random images, the committed fixture images and a few real photos through
   OpenAI's own `preprocess`, and texts through OpenAI's `clip.tokenize`, at the full 77-token context and at the
   export's short lengths. A QuickGELU export must agree within 1e-5. A GELU export (open_clip's LAION
   architectures) must *disagree* with OpenAI's code (which always uses QuickGELU) by over 10x the tolerance: that shows the check can see an
   activation mismatch; its reference is then open_clip's own model.
3. Writes DIR/golden.json (token ids from `clip.tokenize` for the tokenizer corpus, text and image vectors from the
   reference model), DIR/pixels/*.f32 (OpenAI's preprocess output, float32 little-endian CHW) and
   DIR/report.json (every difference measured). Exit status 1 when a check fails.
"""
import argparse
import json
import sys
import warnings
from pathlib import Path

import torch
import torch.nn.functional as F

warnings.filterwarnings("ignore")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "models"))
import export_clip  # noqa: E402

TOLERANCE = 1e-5
# A GELU network seen through QuickGELU code must differ by well over the tolerance, or the check could not see a
# wrong activation (random weights keep pre-activations small, where GELU and QuickGELU are close).
MISMATCH_FLOOR = 10 * TOLERANCE
# Photos referenced from ../shared (never copied), and the committed fixtures: one per decoder path / Pillow mode.
SHARED_IMAGES = [
    "data/clip-notebook/CLIP.png", "data/clip-notebook/astronaut.png", "data/clip-notebook/camera.png",
    "data/clip-notebook/chelsea.png", "data/clip-notebook/rocket.jpg", "data/clip-notebook/page.png",
    "data/imagenet-sample/n02101006_Gordon_setter.JPEG", "data/imagenet-sample/n04335435_streetcar.JPEG",
    "data/cifar10-test/dog/0000.jpg",
]
FIXTURE_IMAGES = REPO / "src/test/resources/fixtures/images"
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp"}
TEXTS = [
    "a diagram", "a dog", "a cat", "a photo of a dog", "a white dog", "A red CAR parked on the street!",
    "café crème brûlée", "東京の夜景", "🐶 + 🐱 = ❤️", "", "x",
    "a very long query " + "with many repeated words " * 30,
    # OpenAI's spelling of the special tokens (open_clip spells them <start_of_text>, <end_of_text>)
    "a<|endoftext|>b", "<|startoftext|>", "x <|endoftext|> y <|STARTOFTEXT|> z", "<|\u017ftartoftext|>",
]
TOKEN_CORPUS = REPO / "src/test/resources/fixtures/tokens/open_clip_tokens.jsonl"


def openai_model_from(exported):
    """OpenAI's CLIP network built by its own code from the export's weights (exactly, in float32)."""
    import clip

    state = {k: v.detach().clone() for k, v in exported.state_dict().items() if k != "attn_mask"}
    state["logit_scale"] = torch.tensor(4.6052)  # not part of either tower; build_model needs the key
    model = clip.model.build_model(dict(state))
    # build_model stores fp16 weights (OpenAI's checkpoint format); clip.load casts them back with .float() on CPU.
    # Loading the fp32 state again keeps every weight bit-identical to the export.
    model.float().load_state_dict(state)
    return model.eval()


def image_files():
    shared = REPO.parent / "shared"
    files = [(f"../shared/{rel}", shared / rel) for rel in SHARED_IMAGES]
    for f in sorted(FIXTURE_IMAGES.iterdir()):
        if f.suffix.lower() in IMAGE_SUFFIXES:
            files.append((str(f.relative_to(REPO)), f))
    return files


def corpus_texts():
    texts = []
    for line in TOKEN_CORPUS.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if "text" in row and row.get("context_length", 77) == 77:
            texts.append(row["text"])
    return texts


def openai_ids(text, context):
    """clip.tokenize's ids for one text without the padding (id 0 is also a real token: '!' inside a word)."""
    import clip

    tokenizer = clip.clip._tokenizer
    ids = [tokenizer.encoder["<|startoftext|>"]] + tokenizer.encode(text) + [tokenizer.encoder["<|endoftext|>"]]
    if len(ids) > context:  # clip.tokenize(truncate=True)
        ids = ids[:context - 1] + ids[-1:]
    padded = clip.tokenize([text], context_length=context, truncate=True)[0].tolist()
    assert padded == ids + [0] * (context - len(ids)), f"clip.tokenize disagrees with its tokenizer on {text!r}"
    return ids


def max_diff(a, b):
    return (a - b).abs().max().item()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--arch", default=export_clip.DEFAULT_MODEL, help="open_clip architecture")
    p.add_argument("--reduced", action="store_true", help="2 layers, 64-wide towers (export_clip.py --reduced)")
    p.add_argument("--out-dir", required=True, type=Path)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    torch.set_num_threads(max(1, torch.get_num_threads()))

    import clip
    from PIL import Image

    out = args.out_dir
    (out / "pixels").mkdir(parents=True, exist_ok=True)
    export_args = export_clip.parse_args(["--random", "--model", args.arch, "--seed", str(args.seed),
                                          "--out", str(out / "clip.pt")] + (["--reduced"] if args.reduced else []))
    open_clip_model, spec = export_clip.export(export_args)
    exported = torch.jit.load(str(out / "clip.pt")).eval()
    openai = openai_model_from(exported)
    quick = spec["activation"] == export_clip.QUICK_GELU
    reference = openai if quick else open_clip_model
    size, context = spec["image_size"], spec["context_length"]
    preprocess = clip.clip._transform(size)  # what clip.load returns as its preprocess

    report = {"architecture": spec["architecture"], "name": spec["name"], "activation": spec["activation"],
              "reference": "openai clip.model" if quick else "open_clip", "image_size": size,
              "embed_dim": spec["embed_dim"], "parameters": sum(p.numel() for p in open_clip_model.parameters()),
              "clip_package": getattr(clip, "__version__", None) or "openai-clip 1.0.1", "torch": torch.__version__}
    golden = {"reference": report["reference"], "spec": spec, "tokens": [], "texts": [], "images": []}
    diffs = {}
    with torch.no_grad():
        # Images: random tensors, then real files through OpenAI's preprocess.
        rand = torch.randn(4, 3, size, size, generator=torch.Generator().manual_seed(1))
        ours = exported.encode_image(rand)
        diffs["openai_image_random"] = max_diff(ours, F.normalize(openai.encode_image(rand), dim=-1))
        worst_real = 0.0
        for i, (label, path) in enumerate(image_files()):
            pixels = preprocess(Image.open(path)).unsqueeze(0)
            ours = exported.encode_image(pixels)[0]
            ref = F.normalize(reference.encode_image(pixels), dim=-1)[0]
            worst_real = max(worst_real, max_diff(ours, F.normalize(openai.encode_image(pixels), dim=-1)[0]))
            pixel_file = f"pixels/{i:03d}.f32"
            pixels[0].contiguous().numpy().astype("<f4").tofile(out / pixel_file)
            golden["images"].append({"path": label, "pixels": pixel_file, "vector": ref.tolist()})
        diffs["openai_image_real"] = worst_real

        # Texts: clip.tokenize at the full context, then the export's short lengths.
        tokens = clip.tokenize(TEXTS, context_length=context, truncate=True).long()
        ref_text = F.normalize(reference.encode_text(tokens), dim=-1)
        diffs[f"openai_text@{context}"] = max_diff(exported.encode_text(tokens),
                                                   F.normalize(openai.encode_text(tokens), dim=-1))
        for length in spec["text_lengths"]:
            fits = (tokens.argmax(dim=-1) < length).nonzero().flatten()
            if length < context and len(fits):
                short = exported.encode_text(tokens[fits, :length])
                diffs[f"export_text@{length}_vs_reference@{context}"] = max_diff(short, ref_text[fits])
        for text, row, vec in zip(TEXTS, tokens, ref_text):
            golden["texts"].append({"text": text, "ids": openai_ids(text, context), "vector": vec.tolist()})
        for text in corpus_texts():
            golden["tokens"].append({"text": text, "ids": openai_ids(text, context)})

    openai_worst = max(v for k, v in diffs.items() if k.startswith("openai_"))
    short_worst = max([v for k, v in diffs.items() if k.startswith("export_text@")] or [0.0])
    failures = []
    if quick and openai_worst > TOLERANCE:
        failures.append(f"export differs from OpenAI's clip by {openai_worst:.3g} (> {TOLERANCE})")
    if not quick and openai_worst < MISMATCH_FLOOR:
        failures.append(f"a GELU export agrees with OpenAI's QuickGELU code ({openai_worst:.3g}): the check is blind")
    if short_worst > TOLERANCE:
        failures.append(f"short text path differs from the reference by {short_worst:.3g} (> {TOLERANCE})")
    report.update(diffs=diffs, openai_max_diff=openai_worst, short_text_max_diff=short_worst,
                  images=len(golden["images"]), texts=len(TEXTS), token_texts=len(golden["tokens"]), failures=failures)
    (out / "golden.json").write_text(json.dumps(golden) + "\n")
    (out / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps({k: report[k] for k in ("name", "activation", "openai_max_diff", "short_text_max_diff",
                                             "failures")}), file=sys.stderr)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
