#!/usr/bin/env python3
"""The Python app clip-search replaces, kept as a benchmark fixture (not product code).

It follows the Milvus "text to image search" tutorial as a team would deploy it behind a Gradio demo:
  * MilvusClient on a Milvus Lite file, one collection with an auto id, a COSINE vector and the file path;
  * images embedded one at a time and inserted one row per call, as the tutorial's loop does
    (--batch N embeds and inserts N at a time instead; the harness reports that separately);
  * the same TorchScript file the Java server loads, through torch.jit.load (encode_image / encode_text),
    with open_clip's tokenizer and open_clip's eval-time PIL transform;
  * a gr.Blocks app whose "search" endpoint (Textbox + Slider -> Gallery, api_name="search") has the same
    signature as clip-search's, so one load generator and one client script drive both.

Usage:
  refapp.py ingest --model M.pt --images DIR --db PATH/milvus.db [--batch N]   -> one JSON line on stdout
  refapp.py serve  --model M.pt --images DIR --db PATH/milvus.db --port P
--device cuda runs the model on a GPU (the pinned torch wheel is PyPI's CUDA build).
Threads: BENCH_THREADS (default: all cores) for torch's intra-op pool, the same budget the Java side gets.
"""
import argparse
import json
import os
import sys
import time
from pathlib import Path

COLLECTION = "image_collection"  # the tutorial's name, also clip-search's default
EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp"}


class Clip:
    """The TorchScript model plus the tokenizer and transform open_clip pairs with it."""

    def __init__(self, model_path: str, device: str = "cpu"):
        import open_clip
        import torch

        torch.set_num_threads(int(os.environ.get("BENCH_THREADS", os.cpu_count() or 1)))
        self.torch, self.device = torch, device
        spec = json.loads(Path(spec_path(model_path)).read_text())
        self.dim = int(spec["embed_dim"])
        self.model = torch.jit.load(model_path, map_location=device).eval()
        # The tutorial uses the model's own preprocess; for a TorchScript file that is open_clip's eval transform
        # built from the spec (resize shortest side, bicubic, center crop, CLIP mean/std).
        self.preprocess = open_clip.image_transform(
            int(spec["image_size"]), is_train=False, mean=tuple(spec["mean"]), std=tuple(spec["std"]))
        # The BPE tokenizer ships inside open_clip; ViT-B-32's is the plain 77-token CLIP tokenizer.
        self.tokenizer = open_clip.get_tokenizer("ViT-B-32")

    def images(self, paths):
        from PIL import Image

        batch = self.torch.stack([self.preprocess(Image.open(p).convert("RGB")) for p in paths])
        with self.torch.no_grad():
            return self.model.encode_image(batch.to(self.device)).tolist()

    def text(self, query: str):
        with self.torch.no_grad():
            return self.model.encode_text(self.tokenizer([query]).to(self.device))[0].tolist()


def spec_path(model_path: str) -> str:
    """The sidecar spec, named as clip-search looks for it: M.pt.json, else M.json."""
    first = model_path + ".json"
    return first if os.path.exists(first) else os.path.splitext(model_path)[0] + ".json"


def list_images(folder: str):
    return sorted(str(p.resolve()) for p in Path(folder).rglob("*") if p.suffix.lower() in EXTENSIONS)


def open_store(db: str, dim: int):
    from pymilvus import MilvusClient

    client = MilvusClient(uri=db)
    if not client.has_collection(COLLECTION):
        # The tutorial's quick setup: auto id primary key, "vector" with COSINE, filepath as a dynamic field.
        client.create_collection(collection_name=COLLECTION, dimension=dim, auto_id=True,
                                 enable_dynamic_field=True, metric_type="COSINE")
    else:
        # A reopened Lite collection starts released (the tutorial never reopens: it ingests and searches in one
        # process); the serving process loads it once.
        client.load_collection(COLLECTION)
    return client


def ingest(args) -> None:
    clip = Clip(args.model, args.device)
    client = open_store(args.db, clip.dim)
    paths = list_images(args.images)
    t0 = time.perf_counter()
    for i in range(0, len(paths), args.batch):
        chunk = paths[i:i + args.batch]
        vectors = clip.images(chunk)
        client.insert(collection_name=COLLECTION,
                      data=[{"vector": v, "filepath": p} for v, p in zip(vectors, chunk)])
    seconds = time.perf_counter() - t0
    client.close()
    print(json.dumps({"inserted": len(paths), "seconds": round(seconds, 3),
                      "images_per_second": round(len(paths) / seconds, 1) if seconds else None}))


def serve(args) -> None:
    import gradio as gr

    clip = Clip(args.model, args.device)
    client = open_store(args.db, clip.dim)

    def search(query: str, top_k: float = 10):
        if not query or not query.strip():
            raise gr.Error("Please enter a search query.")
        hits = client.search(collection_name=COLLECTION, data=[clip.text(query.strip())], limit=int(top_k),
                             output_fields=["filepath"], search_params={"metric_type": "COSINE"})[0]
        # Caption as clip-search writes it ("<file name> · <score>"), so the cross-check can compare both.
        return [(h["entity"]["filepath"], f'{os.path.basename(h["entity"]["filepath"])} \u00b7 {h["distance"]:.3f}')
                for h in hits]

    with gr.Blocks(title="Text-to-Image Search") as demo:
        with gr.Row():
            query = gr.Textbox(label="Query")
            top_k = gr.Slider(1, 50, value=10, step=1, label="Top K")
        button = gr.Button("Search")
        gallery = gr.Gallery(label="Results")
        button.click(search, [query, top_k], gallery, api_name="search")
        query.submit(search, [query, top_k], gallery, api_name=False)

    # Gradio's defaults (queue with concurrency_limit=1 per event), as the demo ships; the images folder must be
    # allowed so the Gallery can serve the stored files.
    demo.queue().launch(server_name="127.0.0.1", server_port=args.port, allowed_paths=[args.images],
                        show_error=True, quiet=True)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    for name in ("ingest", "serve"):
        s = sub.add_parser(name)
        s.add_argument("--model", required=True)
        s.add_argument("--images", required=True)
        s.add_argument("--db", required=True, help="Milvus Lite file, e.g. DIR/milvus.db")
        s.add_argument("--device", default="cpu", help="torch device (cuda on a GPU machine)")
        if name == "ingest":
            s.add_argument("--batch", type=int, default=1, help="images per encode_image/insert call (tutorial: 1)")
        else:
            s.add_argument("--port", type=int, required=True)
    args = p.parse_args()
    ingest(args) if args.cmd == "ingest" else serve(args)


if __name__ == "__main__":
    sys.exit(main())
