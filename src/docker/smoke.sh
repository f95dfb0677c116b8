#!/usr/bin/env bash
# Runs inside the image (src/docker/smoke.Dockerfile): the jar's help, then `serve` with /smoke/model/*.pt over
# /smoke/images: /healthz answers, /readyz reports the background ingest done with every image, and a text search
# through Gradio's REST protocol (/gradio_api/call/search) returns results. Exits non-zero on the first failure.
set -euo pipefail
log() { printf '[smoke] %s\n' "$*" >&2; }
java -jar /app/clip-search.jar --help >/dev/null
model="$(ls /smoke/model/*.pt | head -1)"
count="$(ls /smoke/images | wc -l)"
# A free loopback port: a build may share the host's network (podman's chroot isolation does).
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
java -jar /app/clip-search.jar serve --model "$model" --images /smoke/images --host 127.0.0.1 --port "$port" \
  >/tmp/server.log 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
python3 - "$count" "$port" <<'PY' || { cat /tmp/server.log >&2; exit 1; }
import json, sys, time, urllib.request
want, base = int(sys.argv[1]), "http://127.0.0.1:" + sys.argv[2]

def get(path):
    try:
        with urllib.request.urlopen(base + path, timeout=5) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except OSError:
        return None, ""

def wait(what, ok, seconds=240):
    end = time.time() + seconds
    while time.time() < end:
        if ok():
            print("[smoke] " + what, file=sys.stderr)
            return
        time.sleep(1)
    sys.exit("[smoke] timed out waiting for: " + what)

wait("/healthz answers", lambda: get("/healthz")[0] == 200)
def ingested():
    status, body = get("/readyz")
    ingest = json.loads(body).get("ingest", {}) if status == 200 else {}
    return ingest.get("state") == "done" and ingest.get("done") == want
wait("/readyz: ingest of %d images done" % want, ingested)
req = urllib.request.Request(base + "/gradio_api/call/search", data=json.dumps({"data": ["a photo", 2]}).encode(),
                             headers={"Content-Type": "application/json"})
event = json.loads(urllib.request.urlopen(req, timeout=30).read())["event_id"]
stream = urllib.request.urlopen(base + "/gradio_api/call/search/" + event, timeout=60).read().decode()
frames = [f for f in stream.split("\n\n") if f.startswith("event: complete")]
assert frames, stream
results = json.loads(frames[0].split("data: ", 1)[1])[0]
assert len(results) == 2, results
print("[smoke] search returned %d results: %s" % (len(results), [r["caption"] for r in results]), file=sys.stderr)
PY
log "passed"
