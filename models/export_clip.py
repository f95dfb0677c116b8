#!/usr/bin/env python3
"""Exports an open_clip CLIP model as the TorchScript file clip-search loads, plus its sidecar spec.

Output: OUT (TorchScript) with two methods, both returning unit-normalised [N, D] float32:
  encode_image(float32 [N, 3, S, S], CLIP mean/std normalised)
  encode_text(int64 [N, L] CLIP BPE ids: SOT ... EOT, zero padded), for L = context_length or any L in text_lengths
and OUT.json, the spec the server reads (image size, mean/std, context length, text_lengths, embedding size).

Why a wrapper module instead of open_clip's own encode_text: open_clip always adds all 77 positional embeddings
and the 77x77 causal mask, so it only accepts 77 tokens. The text tower is causal and pools at the EOT token, so the
first EOT+1 positions alone give the same vector; the wrapper slices the positional embedding and the mask to the
input length, which lets the server run a short query at a fraction of the cost.

Usage (on a machine with internet, this downloads OpenAI's ViT-B/32 weights through open_clip):
  python models/export_clip.py --out models/clip-vit-b-32.pt
Offline, the same architecture with random weights (for parity tests and benchmarks):
  python models/export_clip.py --random --out /tmp/clip-random.pt
  python models/export_clip.py --random --reduced --out /tmp/clip-tiny.pt   # narrow/shallow, a few MB
"""
import argparse
import json
import sys
from pathlib import Path

import torch
import torch.nn.functional as F

# Lengths the exported encode_text is checked at and declared for; a query pads up to the smallest that fits it.
DEFAULT_TEXT_LENGTHS = [8, 16, 32, 77]

# open_clip's ViT-B/32 text/vision towers at reduced width and depth: the same module types and code paths as the
# real model, small enough to commit as a test fixture.
REDUCED_CFG = {
    "embed_dim": 512,
    "vision_cfg": {"image_size": 224, "layers": 2, "width": 64, "head_width": 32, "patch_size": 32},
    "text_cfg": {"context_length": 77, "vocab_size": 49408, "width": 16, "heads": 2, "layers": 2},
}


class ExportedClip(torch.nn.Module):
    """open_clip CLIP's two towers with a length-agnostic encode_text (see the module docstring)."""

    def __init__(self, model):
        super().__init__()
        self.visual = model.visual
        self.token_embedding = model.token_embedding
        self.positional_embedding = model.positional_embedding
        self.transformer = model.transformer
        self.ln_final = model.ln_final
        self.text_projection = model.text_projection
        self.register_buffer("attn_mask", model.attn_mask, persistent=False)

    @torch.jit.export
    def encode_image(self, images: torch.Tensor) -> torch.Tensor:
        return F.normalize(self.visual(images), dim=-1)

    @torch.jit.export
    def encode_text(self, text: torch.Tensor) -> torch.Tensor:
        length = text.shape[1]
        x = self.token_embedding(text) + self.positional_embedding[:length]
        x = self.transformer(x, attn_mask=self.attn_mask[:length, :length])
        x = self.ln_final(x)
        # pool at EOT: it has the highest id in each row (open_clip's 'argmax' pooling)
        x = x[torch.arange(x.shape[0]), text.argmax(dim=-1)]
        return F.normalize(x @ self.text_projection, dim=-1)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.encode_image(images)


def build_model(args):
    import open_clip

    if args.reduced:
        model = open_clip.CLIP(**REDUCED_CFG)
        name = "ViT-B-32-reduced"
    else:
        pretrained = None if args.random else args.pretrained
        model = open_clip.create_model(args.model, pretrained=pretrained)
        name = args.model if pretrained is None else f"{args.model}/{pretrained}"
    if args.random:
        torch.manual_seed(args.seed)
        for p in model.parameters():  # open_clip's init leaves some params at 0/1; make every weight matter
            torch.nn.init.normal_(p, std=0.02 if p.dim() > 1 else 0.1)
        name += "-random"
    model.eval()
    return model, name


def check_equivalence(model, exported, lengths, context_length):
    """The wrapper must equal open_clip at full length, and a short input must equal its full-length twin."""
    import open_clip

    tokens = open_clip.tokenize(["a photo of a dog", "a diagram", "x"], context_length=context_length)
    images = torch.randn(2, 3, model.visual.image_size[0], model.visual.image_size[1])
    with torch.no_grad():
        ref_text = F.normalize(model.encode_text(tokens), dim=-1)
        ref_image = F.normalize(model.encode_image(images), dim=-1)
        diffs = {"image": (exported.encode_image(images) - ref_image).abs().max().item(),
                 f"text@{context_length}": (exported.encode_text(tokens) - ref_text).abs().max().item()}
        for length in lengths:
            if length < context_length and tokens.argmax(dim=-1).max().item() < length:
                diffs[f"text@{length}"] = (exported.encode_text(tokens[:, :length]) - ref_text).abs().max().item()
    worst = max(diffs.values())
    print(f"max |diff| vs open_clip: {json.dumps(diffs)}", file=sys.stderr)
    if worst > 1e-5:
        raise SystemExit(f"exported model differs from open_clip by {worst} (> 1e-5)")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, type=Path, help="TorchScript file to write; the spec goes to OUT.json")
    p.add_argument("--model", default="ViT-B-32", help="open_clip architecture (default ViT-B-32)")
    p.add_argument("--pretrained", default="openai", help="open_clip pretrained tag (default openai)")
    p.add_argument("--random", action="store_true", help="random weights, no download")
    p.add_argument("--reduced", action="store_true", help="reduced width/depth ViT-B/32 (test fixture size)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--text-lengths", default=",".join(map(str, DEFAULT_TEXT_LENGTHS)),
                   help="comma-separated encode_text lengths to declare (the context length is always accepted)")
    args = p.parse_args()

    model, name = build_model(args)
    context_length = int(model.context_length)
    lengths = sorted({int(x) for x in args.text_lengths.split(",") if x} | {context_length})
    if lengths[0] < 2 or lengths[-1] > context_length:
        raise SystemExit(f"--text-lengths must lie in 2..{context_length}")
    exported = torch.jit.script(ExportedClip(model).eval())
    check_equivalence(model, exported, lengths, context_length)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    exported.save(str(args.out))
    image_size = model.visual.image_size
    spec = {
        "name": name,
        "embed_dim": int(model.text_projection.shape[1]),
        "image_size": int(image_size[0] if isinstance(image_size, (tuple, list)) else image_size),
        "resize": "shortest_side",
        "interpolation": "bicubic",
        "crop": "center",
        "mean": list(getattr(model.visual, "image_mean", None) or (0.48145466, 0.4578275, 0.40821073)),
        "std": list(getattr(model.visual, "image_std", None) or (0.26862954, 0.26130258, 0.27577711)),
        "context_length": context_length,
        "text_lengths": lengths,
        "tokenizer": "clip-bpe-49408",
        "normalized_outputs": True,
        "exported_with": {"torch": torch.__version__, "open_clip": __import__("open_clip").__version__},
    }
    Path(str(args.out) + ".json").write_text(json.dumps(spec, indent=2) + "\n")
    print(f"wrote {args.out} and {args.out}.json ({name})", file=sys.stderr)


if __name__ == "__main__":
    main()
