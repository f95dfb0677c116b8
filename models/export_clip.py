#!/usr/bin/env python3
"""Exports an open_clip CLIP model as the TorchScript file clip-search loads, plus its sidecar spec.

Output: OUT (TorchScript) with two methods, both returning unit-normalised [N, D] float32:
  encode_image(float32 [N, 3, S, S], CLIP mean/std normalised)
  encode_text(int64 [N, L] CLIP BPE ids: SOT ... EOT, zero padded), for L = context_length or any L in text_lengths
and OUT.json, the spec the server reads (architecture, activation, image size, mean/std, context length,
text_lengths, embedding size).

The activation must be the one the weights were trained with. OpenAI's CLIP weights (the Milvus tutorial's
`clip.load("ViT-B/32")`) were trained with QuickGELU (x * sigmoid(1.702 x)); open_clip's plain `ViT-B-32` config
uses GELU and only warns when given the `openai` weights. So the default here is `ViT-B-32-quickgelu`, and an
architecture whose activation differs from the pretrained tag's is refused before anything is downloaded.

Why a wrapper module instead of open_clip's own encode_text: open_clip always adds all 77 positional embeddings
and the 77x77 causal mask, so it only accepts 77 tokens. The text tower is causal and pools at the EOT token, so the
first EOT+1 positions alone give the same vector; the wrapper slices the positional embedding and the mask to the
input length, which lets the server run a short query at a fraction of the cost.

Usage (on a machine with internet, this downloads OpenAI's ViT-B/32 weights through open_clip):
  python models/export_clip.py --out models/clip-vit-b-32.pt
  python models/export_clip.py --model ViT-L-14-336-quickgelu --out models/clip-vit-l-14-336.pt
  python models/export_clip.py --model ViT-B-32 --pretrained laion2b_s34b_b79k --out models/clip-laion.pt
Offline, the same architecture with random weights (for parity tests and benchmarks):
  python models/export_clip.py --random --out /tmp/clip-random.pt
  python models/export_clip.py --random --reduced --out /tmp/clip-small.pt   # 2 layers, 64 wide, same layout
"""
import argparse
import copy
import json
import os
import sys
from pathlib import Path

import torch
import torch.nn.functional as F

# Lengths the exported encode_text is checked at and declared for; a query pads up to the smallest that fits it.
DEFAULT_TEXT_LENGTHS = [8, 16, 32, 77]
DEFAULT_MODEL = "ViT-B-32-quickgelu"
DEFAULT_PRETRAINED = "openai"
QUICK_GELU, GELU = "quick_gelu", "gelu"


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


def config_activation(model_name):
    """The activation an open_clip architecture config builds: QuickGELU when the config says so, else GELU."""
    import open_clip

    cfg = open_clip.get_model_config(model_name)
    if cfg is None:
        raise SystemExit(f"unknown open_clip architecture {model_name!r}; see open_clip.list_models()")
    return QUICK_GELU if cfg.get("quick_gelu", False) else GELU


def weights_activation(model_name, tag):
    """The activation a registered pretrained tag was trained with (open_clip's pretrained config records it).
    A tag registered only for the architecture's twin (with or without -quickgelu) still tells its activation."""
    import open_clip

    base = model_name.removesuffix("-quickgelu")
    for name in (model_name, base, base + "-quickgelu"):
        cfg = open_clip.get_pretrained_cfg(name, tag)
        if cfg:
            return QUICK_GELU if cfg.get("quick_gelu", False) else GELU
    tags = sorted(set(open_clip.list_pretrained_tags_by_model(base))
                  | set(open_clip.list_pretrained_tags_by_model(base + "-quickgelu")))
    raise SystemExit(f"{model_name!r} has no pretrained weights tagged {tag!r}; tags for this family: {tags}")


def check_activation(model_name, tag):
    """Refuses weights whose training activation differs from the architecture's (open_clip would only warn)."""
    built, trained = config_activation(model_name), weights_activation(model_name, tag)
    if built == trained:
        return built
    import open_clip

    base = model_name.removesuffix("-quickgelu")
    twin = base + "-quickgelu" if trained == QUICK_GELU else base
    hint = f" use --model {twin}" if twin in open_clip.list_models() else ""
    raise SystemExit(f"refusing to export: the {tag!r} weights were trained with {trained} but the {model_name!r} "
                     f"architecture uses {built}, so every vector would be wrong;{hint}")


def reduced_config(model_name):
    """The architecture at 2 layers and 64-wide towers (one 64-wide head each, as OpenAI's code derives heads):
    the same module types, activation, patch size, image size, context and embedding size, a few MB."""
    import open_clip

    cfg = copy.deepcopy(open_clip.get_model_config(model_name))
    cfg["vision_cfg"].update(layers=2, width=64, head_width=64)
    cfg["text_cfg"].update(layers=2, width=64, heads=1)
    return cfg


def module_activation(model):
    """What the built network actually uses (open_clip's QuickGELU module, or GELU)."""
    import open_clip

    return QUICK_GELU if any(isinstance(m, open_clip.transformer.QuickGELU) for m in model.modules()) else GELU


def build_model(args):
    """Returns (model, spec fields naming it). --config replaces the architecture's config (test fixtures only)."""
    import open_clip

    pretrained = None if args.random else args.pretrained
    if pretrained and not os.path.isfile(pretrained):
        check_activation(args.model, pretrained)
    if args.config:
        overrides = json.loads(Path(args.config).read_text() if os.path.isfile(args.config) else args.config)
    elif args.reduced:
        overrides = reduced_config(args.model)
    else:
        overrides = {}
    model = open_clip.create_model(args.model, pretrained=pretrained, **overrides)
    name = args.model + ("-reduced" if args.reduced else "-custom" if args.config else "")
    name += f"/{os.path.basename(pretrained) if os.path.isfile(pretrained) else pretrained}" if pretrained else ""
    if args.random:
        torch.manual_seed(args.seed)
        for p in model.parameters():  # open_clip's init leaves some params at 0/1; make every weight matter
            torch.nn.init.normal_(p, std=0.02 if p.dim() > 1 else 0.1)
        name += "-random"
    model.eval()
    return model, {"name": name, "architecture": args.model, "pretrained": pretrained and os.path.basename(pretrained),
                   "activation": module_activation(model)}


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


def spec_of(model, identity, lengths, context_length):
    image_size = model.visual.image_size
    return {
        **identity,
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


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, type=Path, help="TorchScript file to write; the spec goes to OUT.json")
    p.add_argument("--model", default=DEFAULT_MODEL, help=f"open_clip architecture (default {DEFAULT_MODEL})")
    p.add_argument("--pretrained", default=DEFAULT_PRETRAINED,
                   help=f"open_clip pretrained tag or checkpoint file (default {DEFAULT_PRETRAINED})")
    p.add_argument("--random", action="store_true", help="random weights, no download")
    p.add_argument("--reduced", action="store_true", help="2 layers, 64-wide towers (test fixture size)")
    p.add_argument("--config", help="JSON (or a JSON file) replacing the architecture's config keys; tests only")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--text-lengths", default=",".join(map(str, DEFAULT_TEXT_LENGTHS)),
                   help="comma-separated encode_text lengths to declare (the context length is always accepted)")
    return p.parse_args(argv)


def export(args):
    """Builds, checks and writes OUT and OUT.json; returns (the open_clip model, the spec)."""
    model, identity = build_model(args)
    context_length = int(model.context_length)
    lengths = sorted({int(x) for x in args.text_lengths.split(",") if x} | {context_length})
    if lengths[0] < 2 or lengths[-1] > context_length:
        raise SystemExit(f"--text-lengths must lie in 2..{context_length}")
    exported = torch.jit.script(ExportedClip(model).eval())
    check_equivalence(model, exported, lengths, context_length)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    exported.save(str(args.out))
    spec = spec_of(model, identity, lengths, context_length)
    Path(str(args.out) + ".json").write_text(json.dumps(spec, indent=2) + "\n")
    print(f"wrote {args.out} and {args.out}.json ({spec['name']}, {spec['activation']})", file=sys.stderr)
    return model, spec


if __name__ == "__main__":
    export(parse_args())
