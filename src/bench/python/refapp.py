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
  refapp.py ingest --model M.pt --images DIR --db PATH/milvus.db [--batch N] [--autocast]   -> one JSON line on stdout
  refapp.py serve  --model M.pt --images DIR --db PATH/milvus.db --port P [--tuned] [--autocast]
--tuned serves the best-configured peer instead of the demo as users run it: Gradio's own batching (batch=True,
max_batch_size 32: one encode_text and one Milvus search per batch of queries) and a raised concurrency_limit.
--autocast runs the model under torch.autocast("cpu", bfloat16) when the CPU has bf16 in hardware (amx_bf16 or
avx512_bf16), fp32 otherwise: PyTorch's own mixed precision, the Python side of clip-search's --precision auto.
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

    def __init__(self, model_path: str, device: str = "cpu", autocast: bool = False):
        import contextlib

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
        bf16 = autocast and device == "cpu" and bool(cpu_flags() & {"amx_bf16", "avx512_bf16"})
        self.precision = "bf16 autocast" if bf16 else "fp32"
        self.mode = (lambda: torch.autocast("cpu", dtype=torch.bfloat16)) if bf16 else contextlib.nullcontext

    def images(self, paths):
        from PIL import Image

        batch = self.torch.stack([self.preprocess(Image.open(p).convert("RGB")) for p in paths])
        with self.torch.no_grad(), self.mode():
            return self.model.encode_image(batch.to(self.device)).float().tolist()

    def text(self, query: str):
        return self.texts([query])[0]

    def texts(self, queries):
        with self.torch.no_grad(), self.mode():
            return self.model.encode_text(self.tokenizer(queries).to(self.device)).float().tolist()


def cpu_flags():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


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
    clip = Clip(args.model, args.device, args.autocast)
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
    print(json.dumps({"inserted": len(paths), "seconds": round(seconds, 3), "precision": clip.precision,
                      "images_per_second": round(len(paths) / seconds, 1) if seconds else None}))


def serve(args) -> None:
    import gradio as gr

    clip = Clip(args.model, args.device, args.autocast)
    client = open_store(args.db, clip.dim)

    def gallery(hits):
        # Caption as clip-search writes it ("<file name> · <score>"), so the cross-check can compare both.
        return [(h["entity"]["filepath"], f'{os.path.basename(h["entity"]["filepath"])} \u00b7 {h["distance"]:.3f}')
                for h in hits]

    def search(query: str, top_k: float = 10):
        if not query or not query.strip():
            raise gr.Error("Please enter a search query.")
        hits = client.search(collection_name=COLLECTION, data=[clip.text(query.strip())], limit=int(top_k),
                             output_fields=["filepath"], search_params={"metric_type": "COSINE"})[0]
        return gallery(hits)

    def search_batch(queries, top_ks):
        # Gradio batch=True: lists in, one list per output out. One text batch and one Milvus call per top_k.
        if any(not q or not q.strip() for q in queries):
            raise gr.Error("Please enter a search query.")
        vectors = clip.texts([q.strip() for q in queries])
        out = [None] * len(queries)
        for k in sorted(set(int(k) for k in top_ks)):
            idx = [i for i, t in enumerate(top_ks) if int(t) == k]
            res = client.search(collection_name=COLLECTION, data=[vectors[i] for i in idx], limit=k,
                                output_fields=["filepath"], search_params={"metric_type": "COSINE"})
            for i, hits in zip(idx, res):
                out[i] = gallery(hits)
        return [out]

    with gr.Blocks(title="Text-to-Image Search") as demo:
        with gr.Row():
            query = gr.Textbox(label="Query")
            top_k = gr.Slider(1, 50, value=10, step=1, label="Top K")
        button = gr.Button("Search")
        results = gr.Gallery(label="Results")
        if args.tuned:
            button.click(search_batch, [query, top_k], results, api_name="search", batch=True, max_batch_size=32,
                         concurrency_limit=4)
        else:
            button.click(search, [query, top_k], results, api_name="search")
        query.submit(search, [query, top_k], results, api_name=False)

    # Untuned: Gradio's defaults (queue with concurrency_limit=1 per event), as the demo ships. Tuned: batches of up
    # to 32 queries, 4 batches at once (torch releases the GIL in its kernels; Milvus calls are I/O). The images
    # folder must be allowed so the Gallery can serve the stored files.
    demo.queue(default_concurrency_limit=4 if args.tuned else 1).launch(
        server_name="127.0.0.1", server_port=args.port, allowed_paths=[args.images], show_error=True, quiet=True)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    for name in ("ingest", "serve"):
        s = sub.add_parser(name)
        s.add_argument("--model", required=True)
        s.add_argument("--images", required=True)
        s.add_argument("--db", required=True, help="Milvus Lite file, e.g. DIR/milvus.db")
        s.add_argument("--device", default="cpu", help="torch device (cuda on a GPU machine)")
        s.add_argument("--autocast", action="store_true", help="torch bf16 autocast where the CPU has bf16")
        if name == "ingest":
            s.add_argument("--batch", type=int, default=1, help="images per encode_image/insert call (tutorial: 1)")
        else:
            s.add_argument("--port", type=int, required=True)
            s.add_argument("--tuned", action="store_true", help="Gradio batching and a raised concurrency limit")
    args = p.parse_args()
    ingest(args) if args.cmd == "ingest" else serve(args)


if __name__ == "__main__":
    sys.exit(main())
