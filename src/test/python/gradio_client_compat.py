"""Drives the real gradio_client against a clip-search server (run by GradioClientCompatIT).

Usage: python gradio_client_compat.py BASE_URL IMAGE_PNG
Runs the same sequence as fixtures/gradio/client_runs (connect, view_api, positional and keyword predict, submit,
upload + ingest, download_files=False) plus search_image, concurrent submits on one session, and error cases.
Every check is an assert; the last stdout line is a JSON summary that the Java side checks further.
Exit status 0 only if everything passed.
"""
import json
import os
import sys
import time

import gradio_client
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError


def main(url: str, png: str) -> None:
    summary = {"gradio_client": gradio_client.__version__}
    t0 = time.monotonic()
    client = Client(url, verbose=False)
    summary["connect_s"] = round(time.monotonic() - t0, 3)
    assert client.protocol == "sse_v3", client.protocol

    api = client.view_api(print_info=False, return_format="dict")
    named = api["named_endpoints"]
    assert set(named) == {"/search", "/ingest", "/search_image"}, named.keys()
    assert [p["parameter_name"] for p in named["/search"]["parameters"]] == ["query", "top_k"]
    assert named["/search"]["parameters"][1]["parameter_default"] == 10
    printed = client.view_api(print_info=False, return_format="str")
    assert 'predict(query, top_k, api_name="/search")' in printed, printed

    t0 = time.monotonic()
    result = client.predict("a white dog", 2, api_name="/search")
    summary["predict_s"] = round(time.monotonic() - t0, 3)
    assert isinstance(result, list) and len(result) == 2, result
    for item in result:
        assert os.path.isfile(item["image"]), item  # downloaded through GET {p}/file=
    summary["downloaded"] = [item["image"] for item in result]
    summary["captions"] = [item["caption"] for item in result]

    keyword = client.predict(query="a cat", api_name="/search")
    summary["keyword_len"] = len(keyword)

    job = client.submit("a dog", 1, api_name="/search")
    submitted = job.result(timeout=30)
    assert len(submitted) == 1 and job.status().success, job.status()

    # Several jobs multiplexed on one session and one stream: close_stream must wait for the last of them.
    # Three rounds: with a fast server, gradio_client 1.x's late registration of event ids (gradio issue #10354) made
    # one such round fail about every other run until the server held 1.x completions back.
    for _ in range(3):
        jobs = [client.submit(f"query {i}", 1 + i % 3, api_name="/search") for i in range(6)]
        lens = [len(j.result(timeout=30)) for j in jobs]
        assert lens == summary.get("concurrent_lens", lens), lens
        summary["concurrent_lens"] = lens

    status = client.predict(handle_file(png), "blue", api_name="/ingest")
    assert isinstance(status, str) and status.startswith("stored "), status
    assert status.endswith(" \u2028\u0085\u2029"), repr(status)  # intact through the SSE frame
    summary["ingest"] = status

    by_image = client.predict(handle_file(png), 2, api_name="/search_image")
    assert len(by_image) == 2, by_image
    summary["by_image_len"] = len(by_image)

    odd = client.predict("dog\u2028cat\u0085caf\u00e9", 1, api_name="/search")
    assert len(odd) == 1, odd

    try:
        client.predict("", 2, api_name="/search")
        raise AssertionError("an empty query must raise AppError")
    except AppError as e:
        summary["app_error"] = str(e)

    try:
        client.predict("x", api_name="/nosuch")
        raise AssertionError("an unknown api_name must raise")
    except ValueError as e:
        summary["unknown_api_error"] = str(e)

    raw_client = Client(url, download_files=False, verbose=False)
    raw = raw_client.predict("a white dog", 1, api_name="/search")
    summary["raw_item"] = raw[0]

    for c in (client, raw_client):
        if hasattr(c, "close"):  # gradio_client >= 1.4; older ones stop with the process
            c.close()
    print(json.dumps(summary))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
