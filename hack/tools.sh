#!/usr/bin/env bash
# Builds (once) and prints the directory holding the binaries the project needs:
# etcd, kube-apiserver, kube-controller-manager, kubectl and helm, built from Go modules.
#
#   hack/tools.sh            ensure all binaries, print their directory
#   hack/tools.sh --check    exit 0 if all are present, without building
#
# Binaries are cached under ${LINGANG_CACHE_DIR:-${XDG_CACHE_HOME:-~/.cache}/lingang-zone-operator},
# keyed by version, so a second run builds nothing. Official envtest binaries are reused when
# KUBEBUILDER_ASSETS or kube-api-test's directory already holds the pinned version.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"

cache="${LINGANG_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/lingang-zone-operator}"
bin="$cache/bin/k8s-$KUBERNETES_VERSION-etcd-$ETCD_VERSION-helm-$HELM_VERSION"
log() { echo "[tools] $*" >&2; }

have_all() {
  local b
  for b in etcd kube-apiserver kube-controller-manager kubectl helm; do
    [[ -x "$bin/$b" ]] || return 1
  done
}

# Reuse an existing envtest installation of exactly our Kubernetes version, if any.
adopt_envtest() {
  local k="${KUBERNETES_VERSION#v}" d
  for d in "${KUBEBUILDER_ASSETS:-}" "${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/$k-linux-amd64"; do
    [[ -n "$d" && -x "$d/kube-apiserver" ]] || continue
    "$d/kube-apiserver" --version 2>/dev/null | grep -q "v$k\$" || continue
    log "reusing envtest binaries from $d"
    for b in etcd kube-apiserver kubectl; do
      [[ -x "$d/$b" && ! -e "$bin/$b" ]] && ln -s "$d/$b" "$bin/$b"
    done
    return 0
  done
}

build_kubernetes() {
  local work="$cache/build/kubernetes-$KUBERNETES_VERSION" minor staging gomod
  minor="$(cut -d. -f2 <<<"$KUBERNETES_VERSION")"
  mkdir -p "$work"
  log "building kube-apiserver, kube-controller-manager, kubectl $KUBERNETES_VERSION (first time only; minutes)"
  gomod="$(cd "$work" && go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | sed -n 's/.*"GoMod": "\(.*\)",/\1/p')"
  # k8s.io/kubernetes replaces its staging modules by local paths; pin each to the matching v0.X.Y.
  staging="$(sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/.*#\1#p' "$gomod")"
  {
    echo "module lingang.local/kubernetes-build"
    echo "go 1.24"
    echo "require k8s.io/kubernetes $KUBERNETES_VERSION"
    for m in $staging; do echo "replace $m => $m v0.${KUBERNETES_VERSION#v1.}"; done
  } >"$work/go.mod"
  local ldflags="-s -w"
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $p.gitVersion=$KUBERNETES_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
  done
  # The tools.go pattern: imports of the commands (never compiled) keep their modules required.
  cat >"$work/tools.go" <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
GO
  (cd "$work" && go mod tidy \
    && CGO_ENABLED=0 go build -ldflags "$ldflags" -o "$bin/" \
      k8s.io/kubernetes/cmd/kube-apiserver \
      k8s.io/kubernetes/cmd/kube-controller-manager \
      k8s.io/kubernetes/cmd/kubectl)
}

build_etcd() {
  local work="$cache/build/etcd-$ETCD_VERSION"
  mkdir -p "$work"
  log "building etcd $ETCD_VERSION (first time only)"
  cat >"$work/main.go" <<'GO'
// Command etcd is etcd's own server main, built from its Go modules.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
  printf 'module lingang.local/etcd-build\n\ngo 1.24\n\nrequire go.etcd.io/etcd/server/v3 %s\n' "$ETCD_VERSION" >"$work/go.mod"
  (cd "$work" && go mod tidy && CGO_ENABLED=0 go build -ldflags "-s -w" -o "$bin/etcd" .)
}

build_helm() {
  log "building helm $HELM_VERSION (first time only)"
  GOBIN="$bin" CGO_ENABLED=0 go install -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" \
    "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
}

if [[ "${1:-}" == "--check" ]]; then have_all && echo "$bin"; exit $?; fi

mkdir -p "$bin"
if ! have_all; then
  command -v go >/dev/null || { log "Go is required to build the control plane binaries"; exit 1; }
  adopt_envtest || true
  [[ -x "$bin/etcd" ]] || build_etcd
  [[ -x "$bin/kube-apiserver" && -x "$bin/kube-controller-manager" && -x "$bin/kubectl" ]] || build_kubernetes
  [[ -x "$bin/helm" ]] || build_helm
  have_all || { log "some binaries are still missing in $bin"; exit 1; }
fi
echo "$bin"
