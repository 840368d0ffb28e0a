#!/usr/bin/env bash
# Builds (once) and prints the directory holding the Go helpers the Java integration tests call:
#   netpol-truth  judges NetworkPolicies with cyclonus' policy engine (an independent evaluator)
#   kstatus       computes the kstatus verdict of Kubernetes objects
#   promql        parses PromQL (Prometheus' own parser): the metrics each expression selects, and how aggregated
# Their sources are the Go module in hack/gotools.
#
#   hack/test-tools.sh            ensure every binary, print their directory
#   hack/test-tools.sh --check    exit 0 if all are present, without building
#
# Binaries are cached under ${LINGANG_CACHE_DIR:-${XDG_CACHE_HOME:-~/.cache}/lingang-zone-operator},
# keyed by a hash of the module's go.mod, go.sum and *.go files: any change to them rebuilds,
# an unchanged tree builds nothing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/gotools"
tools=(netpol-truth kstatus promql)

cache="${LINGANG_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/lingang-zone-operator}"
log() { echo "[test-tools] $*" >&2; }

# Hash of relative paths and contents, sorted, so it is the same in every checkout.
hash="$(cd "$src" && find . -type f \( -name go.mod -o -name go.sum -o -name '*.go' \) -print0 \
  | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-12)"
bin="$cache/bin/gotools-$hash"

have_all() {
  local t
  for t in "${tools[@]}"; do
    [[ -x "$bin/$t" ]] || return 1
  done
}

if [[ "${1:-}" == "--check" ]]; then have_all && echo "$bin"; exit $?; fi

if ! have_all; then
  command -v go >/dev/null || { log "Go is required to build ${tools[*]}"; exit 1; }
  log "building ${tools[*]} into $bin"
  # Build into a scratch directory and rename it into place, so an interrupted build
  # never leaves a directory that --check would take as complete.
  mkdir -p "$cache/bin"
  tmp="$(mktemp -d "$cache/bin/.gotools-$hash.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  pkgs=()
  for t in "${tools[@]}"; do pkgs+=("./cmd/$t"); done
  (cd "$src" && CGO_ENABLED=0 go build -mod=readonly -trimpath -ldflags='-s -w' -o "$tmp/" "${pkgs[@]}")
  chmod 755 "$tmp"
  # A concurrent run may have finished first; its binaries are the same.
  if ! have_all; then rm -rf "$bin" && mv "$tmp" "$bin"; fi
  have_all || { log "some binaries are still missing in $bin"; exit 1; }
fi
echo "$bin"
