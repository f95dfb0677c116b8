# Sourced by the scripts in src/scripts (and their setup.d steps): log lines with the script's tag, and the one way
# a step downloads something: with a time limit, and an error that says what failed and what to check.
#   source "$root/src/scripts/lib.sh" TAG
LOG_TAG="${1:?usage: source lib.sh TAG}"

log() { printf '[%s] %s\n' "$LOG_TAG" "$*" >&2; }

die() {
  log "ERROR: $*"
  exit 1
}

# net SECONDS WHAT COMMAND...: runs a command that uses the network; it is stopped after SECONDS. On failure the
# command's own message is above, and this line names the step, the limit and the usual causes.
net() {
  local limit="$1" what="$2" rc=0
  shift 2
  timeout --kill-after=10 "$limit" "$@" || rc=$?
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    die "$what: not done within $limit s. Is the network slow or down, or is a proxy/mirror needed (PIP_INDEX_URL, npm config registry, apt sources, Maven settings.xml)?"
  elif [ "$rc" -ne 0 ]; then
    die "$what failed (exit $rc; the tool's message is above). Check the network and the package index settings (PIP_INDEX_URL, npm config registry, apt sources, Maven settings.xml)."
  fi
}

# apt_install APT-ARGS...: installs Debian packages as root (through sudo when not root), each apt call time-limited;
# when the first try fails (stale or missing package lists) it updates the lists once and tries again.
apt_install() {
  command -v apt-get >/dev/null || die "apt-get not found: install these yourself: $*"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  if ! timeout 900 "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"; then
    net 300 "apt-get update" "${sudo[@]}" apt-get update -q
    net 900 "apt-get install $*" "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"
  fi
}
