#!/usr/bin/env python3
"""Times open_clip's Python tokenizer on the texts TokenizerBenchmark (JMH) times the Java one on.

Reads src/test/resources/fixtures/tokens/bench_queries.jsonl and prints, per group, µs per query for
  encode:   SimpleTokenizer.encode(text) + SOT/EOT and the cut at 77, as a list (what the Java encode returns)
  tokenize: open_clip.tokenize(text), the padded [1, 77] LongTensor (what open_clip users call)
Warm, like the Java numbers: each group is run a few times first, so open_clip's BPE cache is filled.

  .cache/refvenv/bin/python models/bench_tokenizer.py
"""
import json
import os
import time
import warnings

warnings.filterwarnings("ignore")
import open_clip  # noqa: E402
from open_clip import tokenizer as oc  # noqa: E402

QUERIES = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "fixtures", "tokens",
                       "bench_queries.jsonl")
CONTEXT = 77


def encode(text):
    ids = [oc._tokenizer.sot_token_id] + oc._tokenizer.encode(text) + [oc._tokenizer.eot_token_id]
    if len(ids) > CONTEXT:
        ids = ids[:CONTEXT]
        ids[-1] = oc._tokenizer.eot_token_id
    return ids


def tokenize(text):
    return oc.tokenize([text], context_length=CONTEXT)


def per_query_us(fn, texts, min_seconds=2.0):
    for _ in range(20):
        for t in texts:
            fn(t)
    rounds, start = 0, time.perf_counter()
    while True:
        for t in texts:
            fn(t)
        rounds += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            return elapsed / (rounds * len(texts)) * 1e6


def main():
    groups = {}
    with open(QUERIES, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            groups.setdefault(row["group"], []).append(row["text"])
    print(f"open_clip {open_clip.__version__}, µs per query (warm)")
    for name, texts in groups.items():
        print(f"{name:13s} ({len(texts):2d} texts)  encode {per_query_us(encode, texts):8.1f}"
              f"   tokenize {per_query_us(tokenize, texts):8.1f}")
    start = time.perf_counter()
    oc.SimpleTokenizer()
    print(f"SimpleTokenizer() construction: {(time.perf_counter() - start) * 1e3:.0f} ms")


if __name__ == "__main__":
    main()
