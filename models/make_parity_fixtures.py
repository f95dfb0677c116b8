#!/usr/bin/env python3
"""Writes the model-parity fixtures: a random-weight open_clip ViT-B/32 (a narrow, shallow one by default: the
committed fixture's own config below, GELU as open_clip's plain ViT-B-32) exported by export_clip.py, and golden.json with what open_clip itself gives for some texts and images: token ids, and
vectors from open_clip's own encode_text / encode_image through its own tokenizer and preprocessing.

The Java tests (ClipModelParityTest) run the same inputs through the Java pipeline and compare.

  python models/make_parity_fixtures.py                       # -> src/test/resources/fixtures/model/
  python models/make_parity_fixtures.py --full --out-dir /tmp/parity-full   # full-size random ViT-B/32 (~600 MB)
  then: mvn test -Dtest=ClipModelParityTest -Dparity.dir=/tmp/parity-full

Images are read from ../shared/data (paths stored relative to the shared folder, never copied).
"""
import argparse
import json
import sys
from pathlib import Path

import torch
import torch.nn.functional as F

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"

# The committed fixture: ViT-B/32's module types and code paths at reduced width and depth (a 4.7 MB file).
FIXTURE_CFG = {
    "embed_dim": 512,
    "vision_cfg": {"image_size": 224, "layers": 2, "width": 64, "head_width": 32, "patch_size": 32},
    "text_cfg": {"context_length": 77, "vocab_size": 49408, "width": 16, "heads": 2, "layers": 2},
}

TEXTS = [
    "a diagram", "a dog", "a cat", "a photo of a dog", "a white dog", "A red CAR parked on the street!",
    "café crème brûlée", "東京の夜景", "🐶 + 🐱 = ❤️", "", "x",
    "a very long query " + "with many repeated words " * 30,
]
IMAGES = [
    "data/clip-notebook/CLIP.png", "data/clip-notebook/astronaut.png", "data/clip-notebook/camera.png",
    "data/clip-notebook/chelsea.png", "data/clip-notebook/rocket.jpg", "data/clip-notebook/page.png",
    "data/imagenet-sample/n02101006_Gordon_setter.JPEG", "data/imagenet-sample/n04335435_streetcar.JPEG",
    "data/cifar10-test/dog/0000.jpg",
]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out-dir", type=Path, default=REPO / "src/test/resources/fixtures/model")
    p.add_argument("--full", action="store_true", help="full-size random ViT-B/32 instead of the reduced one")
    args = p.parse_args()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    model_file = args.out_dir / "clip.pt"

    import open_clip
    from PIL import Image

    # The exported file is the model under test; the reference is open_clip's own code path on the same weights.
    sys.path.insert(0, str(REPO / "models"))
    import export_clip

    export = ["--random", "--model", "ViT-B-32", "--out", str(model_file)]
    if not args.full:
        export += ["--config", json.dumps(FIXTURE_CFG)]
    model, _ = export_clip.export(export_clip.parse_args(export))
    preprocess = open_clip.image_transform(model.visual.image_size, is_train=False)
    tokenizer = open_clip.get_tokenizer("ViT-B-32")

    golden = {"open_clip": open_clip.__version__, "torch": torch.__version__, "texts": [], "images": []}
    with torch.no_grad():
        for text in TEXTS:
            tokens = tokenizer([text])
            vec = F.normalize(model.encode_text(tokens), dim=-1)[0]
            ids = [int(t) for t in tokens[0] if int(t) != 0]
            golden["texts"].append({"text": text, "ids": ids, "vector": [round(float(x), 7) for x in vec]})
        for rel in IMAGES:
            image = preprocess(Image.open(SHARED / rel)).unsqueeze(0)
            vec = F.normalize(model.encode_image(image), dim=-1)[0]
            golden["images"].append({"path": rel, "vector": [round(float(x), 7) for x in vec]})
    (args.out_dir / "golden.json").write_text(json.dumps(golden) + "\n")
    print(f"wrote {args.out_dir}/clip.pt, clip.pt.json and golden.json", file=sys.stderr)


if __name__ == "__main__":
    main()
