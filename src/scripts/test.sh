#!/usr/bin/env bash
# Runs every test: unit and functional tests (surefire), then the integration tests (failsafe) against a real
# Milvus Lite and a real Milvus standalone (the storage and end-to-end ITs run against both), the real Gradio clients,
# headless Chromium, OpenAI's own CLIP code (.cache/export-venv) and the test model in ../shared. First it installs
# what the tests need besides what serving needs (setup.sh --test).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
source src/scripts/lib.sh test
bash src/scripts/setup.sh --test
bash src/scripts/export-model.sh --install-only
export OMP_WAIT_POLICY=PASSIVE OPENBLAS_THREAD_TIMEOUT=20 CLIPSRV_HOME="$root"
log "mvn verify: unit tests, then the integration tests (about 10 minutes on 2 idle cores; the first run also downloads the Maven dependencies)"
# -Dnative.required=true: CI must fail, not skip, when native/ cannot be built or its parity tests cannot run.
exec mvn -B -ntp verify -Dnative.required=true "$@"
