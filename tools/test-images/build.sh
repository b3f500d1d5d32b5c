#!/usr/bin/env bash
# Builds the node test images, pause and the NIM stand-in, from the Go modules beside this file
# (crane too), into a cache outside the repository, keyed by a hash of their sources:
#
#   ${NIM_TEST_ASSETS_CACHE:-$HOME/.cache/odh-nim}/test-images/<hash>/
#     bin/{pause,nim-standin,crane}  pause.tar  nim-standin.tar  models/<ref-hash>.tar
#
# Nothing is pulled: each image is one layer on an empty base, assembled by crane through a
# throwaway registry on 127.0.0.1 (crane mutate reads only from a registry), and saved as a
# docker-archive tarball that `ctr -n k8s.io images import` takes.
#
# --model REF[=NAME] also makes a stand-in image named REF (say nvcr.io/nim/meta/x:1.0.0) that
# serves NAME (default: derived from REF as NIM does, meta/x), as a real NIM image knows its
# model. Repeatable.
#
# Idempotent; parallel runs wait on a lock. Prints `key=value` lines on stdout (paths, image
# refs, and `model:REF=TAR` per --model), progress on stderr.
# Usage: build.sh [--print-dir | --binaries | [--model REF[=NAME]]...]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"

# Static, reproducible binaries from the committed go.mod/go.sum, with the local toolchain only.
export CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:+$GOFLAGS }-mod=readonly -buildvcs=false"

log() { echo "[test-images] $*" >&2; }

# Tests are left out of the key, so editing a test rebuilds nothing.
key="$(
  cd "$here"
  find pause nim-standin crane -type f ! -name '*_test.go' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
  sha256sum build.sh versions.env
  go env GOVERSION GOOS GOARCH
)"
hash="$(sha256sum <<<"$key" | cut -c1-16)"
out="${NIM_TEST_ASSETS_CACHE:-$HOME/.cache/odh-nim}/test-images/$hash"

binaries_only=false
models=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --print-dir) echo "$out"; exit 0 ;;
    --binaries) binaries_only=true ;;
    --model) [[ $# -ge 2 ]] || { log "--model needs REF[=NAME]"; exit 2; }; models+=("$2"); shift ;;
    *) log "unknown argument '$1' (expected --print-dir, --binaries or --model REF[=NAME])"; exit 2 ;;
  esac
  shift
done

mkdir -p "$out/bin" "$out/models"
exec 9>"$out/.lock"
if ! flock -n 9; then
  log "another build holds $out/.lock; waiting"
  flock 9
fi

total_start=$SECONDS
arch="$(go env GOARCH)"

build_bin() {
  local name="$1" dir="$2" pkg="$3" ldflags="${4:-}" bin="$out/bin/$1"
  if [[ -x "$bin" ]]; then
    log "$name: cached at $bin"
    return 0
  fi
  log "$name: building $pkg in tools/test-images/$dir ($(go env GOVERSION), $(nproc) cores)"
  local start=$SECONDS tmp="$bin.tmp.$$"
  # -o to a temporary name then mv: a killed build never leaves a half-written binary.
  if ! (cd "$here/$dir" && go build -trimpath -ldflags "-s -w $ldflags" -o "$tmp" "$pkg"); then
    rm -f "$tmp"
    log "$name: BUILD FAILED after $((SECONDS - start))s (go error above)"
    return 1
  fi
  mv -f "$tmp" "$bin"
  log "$name: built in $((SECONDS - start))s ($(du -h "$bin" | cut -f1))"
}

build_bin pause pause odh-nim/tools/test-images/pause "-X main.version=$PAUSE_TAG"
build_bin nim-standin nim-standin odh-nim/tools/test-images/nim-standin "-X main.version=$NIM_STANDIN_VERSION"
echo "pause.bin=$out/bin/pause"
echo "nim-standin.bin=$out/bin/nim-standin"
if $binaries_only; then
  exit 0
fi

pause_ref="$IMAGE_PREFIX/pause:$PAUSE_TAG"
standin_ref="$IMAGE_PREFIX/nim-standin:$NIM_STANDIN_VERSION"
crane="$out/bin/crane"
work=""
registry=""
reg_pid=""
cleanup() {
  [[ -z "$reg_pid" ]] || { kill "$reg_pid" 2>/dev/null || true; wait "$reg_pid" 2>/dev/null || true; }
  [[ -z "$work" ]] || rm -rf "$work"
}
trap cleanup EXIT

# Starts crane's in-memory registry once, on a port the kernel picks (crane logs which).
ensure_registry() {
  [[ -z "$registry" ]] || return 0
  build_bin crane crane github.com/google/go-containerregistry/cmd/crane
  work="$(mktemp -d "$out/.work.XXXXXX")"
  "$crane" registry serve --address 127.0.0.1:0 >"$work/registry.log" 2>&1 &
  reg_pid=$!
  local port=""
  for _ in $(seq 100); do
    port="$(sed -n 's/.*serving on port \([0-9][0-9]*\).*/\1/p' "$work/registry.log")"
    [[ -z "$port" ]] || break
    kill -0 "$reg_pid" 2>/dev/null || break
    sleep 0.1
  done
  if [[ -z "$port" ]]; then
    log "crane registry did not start:"
    cat "$work/registry.log" >&2
    return 1
  fi
  registry="127.0.0.1:$port"
}

# crane CMD... with its per-blob log kept for a failure only.
crane_quiet() {
  if ! "$crane" "$@" >"$work/crane.log" 2>&1; then
    cat "$work/crane.log" >&2
    log "crane $1 FAILED (output above)"
    return 1
  fi
}

# assemble NAME REF ROOTFS [crane mutate flags...]: one layer, owned by root, mtime 0.
assemble() {
  local name="$1" ref="$2" rootfs="$3" start=$SECONDS entries
  shift 3
  mapfile -t entries < <(cd "$rootfs" && ls -A)
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 \
    -C "$rootfs" -cf "$work/$name.layer.tar" "${entries[@]}"
  crane_quiet append --oci-empty-base -f "$work/$name.layer.tar" -t "$registry/odh-nim/$name:build"
  crane_quiet mutate "$registry/odh-nim/$name:build" --set-platform "linux/$arch" \
    -t "$ref" -o "$out/$name.tar.tmp" "$@"
  mv -f "$out/$name.tar.tmp" "$out/$name.tar"
  log "$name: image $ref assembled in $((SECONDS - start))s ($(du -h "$out/$name.tar" | cut -f1))"
}

if [[ ! -f "$out/pause.tar" || ! -f "$out/nim-standin.tar" ]]; then
  ensure_registry
  # Modes matter: a pod may run as any UID (OpenShift's restricted SCC), so all is world-readable.
  mkdir -m 0755 "$work/pause-root" "$work/standin-root"
  install -m 0755 "$out/bin/pause" "$work/pause-root/pause"
  install -m 0755 "$out/bin/nim-standin" "$work/standin-root/nim-standin"
  mkdir -m 1777 "$work/standin-root/tmp"

  # As Kubernetes' own pause image: its user is 65535.
  assemble pause "$pause_ref" "$work/pause-root" \
    --entrypoint /pause --user 65535:65535 \
    -l org.opencontainers.image.title=pause -l "org.opencontainers.image.version=$PAUSE_TAG"
  # A numeric non-root user, so runAsNonRoot holds; GID 0 as on OpenShift. No shell inside.
  assemble nim-standin "$standin_ref" "$work/standin-root" \
    --entrypoint /nim-standin --user 1000:0 --workdir / --exposed-ports 8000/tcp \
    -l org.opencontainers.image.title=nim-standin \
    -l "org.opencontainers.image.version=$NIM_STANDIN_VERSION" \
    -l "org.opencontainers.image.description=Test stand-in for an NVIDIA NIM runtime; no model"
else
  log "pause.tar, nim-standin.tar: cached in $out"
fi

echo "pause.tar=$out/pause.tar"
echo "pause.ref=$pause_ref"
echo "nim-standin.tar=$out/nim-standin.tar"
echo "nim-standin.ref=$standin_ref"

# The name NIM serves an image's model under: the repository path without the registry and
# NGC's `nim/` team, e.g. nvcr.io/nim/meta/llama3-8b-instruct:1.0.0 -> meta/llama3-8b-instruct.
served_name() {
  local path="${1%%@*}"
  [[ "${path##*/}" != *:* ]] || path="${path%:*}"
  local first="${path%%/*}"
  [[ "$path" != */* || ! ("$first" == *.* || "$first" == *:* || "$first" == localhost) ]] ||
    path="${path#*/}"
  [[ "$path" != */nim/* ]] || path="${path#*/nim/}"
  echo "${path#nim/}"
}

pushed_standin=false
for spec in "${models[@]}"; do
  ref="${spec%%=*}" name="$(served_name "${spec%%=*}")"
  [[ "$spec" != *=* ]] || name="${spec#*=}"
  tar_path="$out/models/$(sha256sum <<<"$ref=$name" | cut -c1-16).tar"
  if [[ ! -f "$tar_path" ]]; then
    ensure_registry
    if ! $pushed_standin; then
      crane_quiet push "$out/nim-standin.tar" "$registry/odh-nim/nim-standin:build"
      pushed_standin=true
    fi
    crane_quiet mutate "$registry/odh-nim/nim-standin:build" -e "NIM_STANDIN_MODEL=$name" \
      -t "$ref" -o "$tar_path.tmp"
    mv -f "$tar_path.tmp" "$tar_path"
    log "model image $ref (serves $name) assembled"
  fi
  echo "model:$ref=$tar_path"
done
log "done in $((SECONDS - total_start))s: $out"
