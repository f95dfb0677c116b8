#!/usr/bin/env bash
# Runs every test: unit and functional tests (surefire), then the integration tests (failsafe) against a real
# Milvus Lite and a real Milvus standalone (the storage and end-to-end ITs run against both), the real gradio_client,
# OpenAI's own CLIP code (.cache/export-venv) and the test model in ../shared.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
bash src/scripts/setup.sh
bash src/scripts/export-model.sh --install-only
export OMP_WAIT_POLICY=PASSIVE OPENBLAS_THREAD_TIMEOUT=20 CLIPSRV_HOME="$root"
# -Dnative.required=true: CI must fail, not skip, when native/ cannot be built or its parity tests cannot run.
exec mvn -B verify -Dnative.required=true "$@"
