#!/usr/bin/env python3
"""Closed-loop load generator for a Gradio "search" endpoint, the same for clip-search and the Python app.

Each client is a thread with its own keep-alive HTTP connection that repeats Gradio's two-step REST call:
  POST /gradio_api/call/search {"data": [query, top_k]}  -> {"event_id": ...}
  GET  /gradio_api/call/search/{event_id}                -> SSE until "event: complete" (or "error")
A request's latency runs from the POST to the complete event. Only requests that finish inside the measured
window (after a warm-up) count, so throughput is completed requests / window.

Queries are unique (templates x ImageNet class names, handed out from one shared counter), so a server-side
text-embedding cache cannot turn the benchmark into a cache benchmark.

Usage: loadgen.py URL --clients N --seconds S [--warmup W] [--labels labels.tsv]  -> one JSON line
Threads are enough here: a client spends nearly all its time blocked on the socket.
"""
import argparse
import http.client
import itertools
import json
import threading
import time
from urllib.parse import urlsplit

TEMPLATES = ["a photo of a {}", "a {} in the wild", "a close-up of a {}", "a blurry photo of the {}",
             "a drawing of a {}", "two {}s", "a small {}", "a {} at night", "the {} on a table", "my favourite {}"]
FALLBACK_NAMES = ["dog", "cat", "car", "boat", "bird", "house", "tree", "flower", "guitar", "clock"]


def query_source(labels_path=None):
    """An endless iterator of distinct queries (distinct for the first len(templates)*len(names) of them)."""
    names = FALLBACK_NAMES
    if labels_path:
        with open(labels_path, encoding="utf-8") as f:
            rows = [line.rstrip("\n").split("\t") for line in f][1:]
        names = [r[-1].replace("_", " ") for r in rows if r and r[-1]] or FALLBACK_NAMES
    return itertools.cycle(t.format(n) for t in TEMPLATES for n in names)


class Caller:
    """One client's connection; call() returns (ok, seconds)."""

    def __init__(self, url: str, top_k: int = 10, timeout: float = 120.0):
        u = urlsplit(url)
        self.host, self.port = u.hostname, u.port or 80
        self.prefix = u.path.rstrip("/")
        self.top_k, self.timeout = top_k, timeout
        self.conn = None

    def _request(self, method, path, body=None):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        headers = {"Content-Type": "application/json"} if body is not None else {}
        try:
            self.conn.request(method, self.prefix + path, body=body, headers=headers)
            return self.conn.getresponse()
        except (OSError, http.client.HTTPException):
            self.close()  # a dropped keep-alive connection: retry once on a fresh one
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self.conn.request(method, self.prefix + path, body=body, headers=headers)
            return self.conn.getresponse()

    def call(self, query: str):
        t0 = time.perf_counter()
        try:
            r = self._request("POST", "/gradio_api/call/search",
                              json.dumps({"data": [query, self.top_k]}).encode())
            body = r.read()
            if r.status != 200:
                return False, time.perf_counter() - t0, None
            event_id = json.loads(body)["event_id"]
            r = self._request("GET", f"/gradio_api/call/search/{event_id}")
            event, done, ok, data = None, None, False, None
            while True:
                line = r.readline()
                if not line:
                    break
                line = line.decode("utf-8").rstrip("\r\n")
                if line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:") and event in ("complete", "error"):
                    done, ok, data = time.perf_counter(), event == "complete", line[5:].strip()
                    break
            r.read()  # drain the rest of the stream so the connection can be reused
            return ok, (done or time.perf_counter()) - t0, data
        except (OSError, http.client.HTTPException, ValueError, KeyError):
            self.close()
            return False, time.perf_counter() - t0, None

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def percentile(sorted_values, p):
    if not sorted_values:
        return None
    k = max(0, min(len(sorted_values) - 1, round(p / 100 * (len(sorted_values) - 1))))
    return sorted_values[k]


def run(url, clients, seconds, warmup=2.0, queries=None, top_k=10):
    """Drives `clients` closed-loop clients for warmup+seconds; returns the measured window's figures."""
    queries = queries or query_source()
    lock = threading.Lock()
    start = time.perf_counter() + 0.2
    window = (start + warmup, start + warmup + seconds)
    results = []  # (ok, end_time, latency)

    def client():
        caller = Caller(url, top_k)
        while time.perf_counter() < start:
            time.sleep(0.005)
        while time.perf_counter() < window[1]:
            with lock:
                q = next(queries)
            ok, latency, _ = caller.call(q)
            with lock:
                results.append((ok, time.perf_counter(), latency))
        caller.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + warmup + 300)
    inside = [r for r in results if window[0] <= r[1] <= window[1]]
    lat = sorted(r[2] for r in inside if r[0])
    return {
        "clients": clients,
        "seconds": seconds,
        "completed": len(lat),
        "errors": sum(1 for r in inside if not r[0]),
        "qps": round(len(lat) / seconds, 2),
        "p50_ms": round(percentile(lat, 50) * 1000, 1) if lat else None,
        "p99_ms": round(percentile(lat, 99) * 1000, 1) if lat else None,
    }


def main():
    p = argparse.ArgumentParser(description="Gradio /call/search load generator")
    p.add_argument("url")
    p.add_argument("--clients", type=int, default=1)
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--warmup", type=float, default=2)
    p.add_argument("--top-k", type=int, default=10)
    p.add_argument("--labels", help="labels.tsv whose last column names the query subjects")
    a = p.parse_args()
    print(json.dumps(run(a.url, a.clients, a.seconds, a.warmup, query_source(a.labels), a.top_k)))


if __name__ == "__main__":
    main()
