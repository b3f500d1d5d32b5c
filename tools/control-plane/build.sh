#!/usr/bin/env bash
# Builds the test cluster's binaries (kube-apiserver, kube-controller-manager, kube-scheduler,
# kubelet, etcd) and kustomize from the Go modules beside this file, into a cache outside the
# repository:
#
#   ${NIM_TEST_ASSETS_CACHE:-$HOME/.cache/odh-nim/control-plane}/<kubernetes-version>/
#
# Idempotent: a binary is rebuilt only when it is missing or was built from another version.
# Usage: build.sh [--print-dir] [NAME]...   (default: all; NAME as in `all` below)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"

out="${NIM_TEST_ASSETS_CACHE:-$HOME/.cache/odh-nim/control-plane}/$KUBERNETES_VERSION"
if [[ "${1:-}" == "--print-dir" ]]; then
  echo "$out"
  exit 0
fi

all=(kube-apiserver etcd kustomize kube-controller-manager kube-scheduler kubelet)
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=("${all[@]}")

# Static, reproducible binaries from the committed go.sum, with the local toolchain only.
export CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:+$GOFLAGS }-mod=readonly -buildvcs=false"

log() { echo "[control-plane] $*" >&2; }

mkdir -p "$out"
# Parallel runs (a test run and a manual build) must not build the same binary twice.
exec 9>"$out/.lock"
if ! flock -n 9; then
  log "another build holds $out/.lock; waiting"
  flock 9
fi

# The release time of a module version, used as the build date the binary reports; cosmetic,
# so a failure here leaves the default date and lets `go build` report the real problem.
module_time() {
  local info
  info="$(go mod download -json "$1@$2" 2>/dev/null | sed -n 's/^[[:space:]]*"Info": "\(.*\)",$/\1/p')"
  [[ -n "$info" && -f "$info" ]] || return 0
  sed -n 's/.*"Time":"\([^"]*\)".*/\1/p' "$info"
}

build_one() {
  local name="$1" dir pkg version ldflags
  case "$name" in
    kube-apiserver | kube-controller-manager | kube-scheduler | kubelet)
      dir=kubernetes pkg="k8s.io/kubernetes/cmd/$name" version="$KUBERNETES_VERSION"
      local minor="${KUBERNETES_VERSION#v1.}" date
      minor="${minor%%.*}"
      date="$(cd "$here/$dir" && module_time k8s.io/kubernetes "$KUBERNETES_VERSION")"
      ldflags=""
      # /version and --version read these; without them the server says v0.0.0-master.
      for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
        ldflags+=" -X $p.gitVersion=$KUBERNETES_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor"
        ldflags+=" -X $p.gitTreeState=clean${date:+ -X $p.buildDate=$date}"
      done
      ;;
    etcd)
      dir=etcd pkg=go.etcd.io/etcd/server/v3 version="$ETCD_VERSION"
      ldflags="-X go.etcd.io/etcd/api/v3/version.GitSHA=$ETCD_VERSION"
      ;;
    kustomize)
      dir=kustomize pkg=sigs.k8s.io/kustomize/kustomize/v5 version="$KUSTOMIZE_VERSION"
      local date
      date="$(cd "$here/$dir" && module_time sigs.k8s.io/kustomize/kustomize/v5 "$KUSTOMIZE_VERSION")"
      ldflags="-X sigs.k8s.io/kustomize/api/provenance.version=$KUSTOMIZE_VERSION"
      ldflags+="${date:+ -X sigs.k8s.io/kustomize/api/provenance.buildDate=$date}"
      ;;
    *)
      log "unknown binary '$name' (expected one of: ${all[*]})"
      return 2
      ;;
  esac

  local bin="$out/$name" stamp="$out/.$name.version"
  if [[ -x "$bin" && -f "$stamp" && "$(cat "$stamp")" == "$version" ]]; then
    log "$name $version: cached at $bin"
    return 0
  fi

  log "$name $version: building $pkg ($(go env GOVERSION), $(nproc) cores); this takes minutes"
  local start=$SECONDS tmp="$bin.tmp.$$"
  # -o to a temporary name then mv: a killed build never leaves a half-written binary.
  if ! (cd "$here/$dir" && go build -trimpath -ldflags "-s -w $ldflags" -o "$tmp" "$pkg"); then
    rm -f "$tmp"
    log "$name $version: BUILD FAILED after $((SECONDS - start))s (go error above)"
    return 1
  fi
  mv -f "$tmp" "$bin"
  echo "$version" >"$stamp"
  log "$name $version: built in $((SECONDS - start))s ($(du -h "$bin" | cut -f1)) -> $bin"
}

total_start=$SECONDS
for t in "${targets[@]}"; do
  build_one "$t"
done
log "done in $((SECONDS - total_start))s: $out"
