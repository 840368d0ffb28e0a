#!/usr/bin/env bash
# Builds (once) and prints the directory holding the binaries the project needs:
# etcd, kube-apiserver, kube-controller-manager, kubectl, helm and helm-docs, built from Go modules.
#
#   hack/tools.sh                    ensure all binaries, print their directory
#   hack/tools.sh --check            exit 0 if all are present, without building
#   hack/tools.sh --nodes [--check]  the same, plus the binaries of real nodes (hack/nodes.sh):
#                                    kubelet, kube-scheduler, kube-router, agnhost and crane; prints
#                                    the directory holding those (a directory of their own)
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
# helm and helm-docs are rebuilt when their recipe changes (a version, or how helm is stamped), without
# rebuilding the rest of the directory: each has a stamp file beside it naming what it was built as.
# Revision 2: helm stamped with the Kubernetes version (before, it rendered for Kubernetes 1.20).
helm_stamp="helm $HELM_VERSION kubernetes $KUBERNETES_VERSION revision 2"
helm_docs_stamp="helm-docs $HELM_DOCS_VERSION"
# The node binaries live apart, so that the control plane's directory and its check stay as they were.
node_bin="$cache/bin/nodes-k8s-$KUBERNETES_VERSION-kube-router-$KUBE_ROUTER_VERSION"
node_binaries=(kubelet kube-scheduler agnhost kube-router crane)
crane_stamp="crane $GO_CONTAINERREGISTRY_VERSION"
log() { echo "[tools] $*" >&2; }

have_all() {
  local b
  for b in etcd kube-apiserver kube-controller-manager kubectl helm helm-docs; do
    [[ -x "$bin/$b" ]] || return 1
  done
  stamped helm "$helm_stamp" && stamped helm-docs "$helm_docs_stamp"
}

# stamped NAME RECIPE: NAME was built from RECIPE (see helm_stamp).
stamped() {
  [[ "$(cat "$bin/$1.stamp" 2>/dev/null)" == "$2" ]]
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

have_nodes() {
  local b
  for b in "${node_binaries[@]}"; do
    [[ -x "$node_bin/$b" ]] || return 1
  done
  crane_current
}

# crane_current: crane is there and was built as crane_stamp says (a version change rebuilds it).
crane_current() {
  [[ -x "$node_bin/crane" && "$(cat "$node_bin/crane.stamp" 2>/dev/null)" == "$crane_stamp" ]]
}

# k8s_wrapper WORKDIR PACKAGE...: a module requiring k8s.io/kubernetes that can build PACKAGEs.
# Sets the caller's local $ldflags to stamp the Kubernetes version into the binaries.
k8s_wrapper() {
  local work="$1" minor staging gomod p; shift
  minor="$(cut -d. -f2 <<<"$KUBERNETES_VERSION")"
  mkdir -p "$work"
  gomod="$(cd "$work" && go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | sed -n 's/.*"GoMod": "\(.*\)",/\1/p')"
  # k8s.io/kubernetes replaces its staging modules by local paths; pin each to the matching v0.X.Y.
  staging="$(sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/.*#\1#p' "$gomod")"
  {
    echo "module lingang.local/kubernetes-build"
    echo "go 1.24"
    echo "require k8s.io/kubernetes $KUBERNETES_VERSION"
    for m in $staging; do echo "replace $m => $m v0.${KUBERNETES_VERSION#v1.}"; done
  } >"$work/go.mod"
  ldflags="-s -w"
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $p.gitVersion=$KUBERNETES_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
  done
  # The tools.go pattern: imports of the commands (never compiled) keep their modules required.
  {
    printf '//go:build tools\n\npackage tools\n\nimport (\n'
    for p in "$@"; do printf '\t_ "%s"\n' "$p"; done
    printf ')\n'
  } >"$work/tools.go"
  (cd "$work" && go mod tidy)
}

build_kubernetes() {
  local work="$cache/build/kubernetes-$KUBERNETES_VERSION" ldflags
  local pkgs=(k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kubectl)
  log "building kube-apiserver, kube-controller-manager, kubectl $KUBERNETES_VERSION (first time only; minutes)"
  k8s_wrapper "$work" "${pkgs[@]}"
  (cd "$work" && CGO_ENABLED=0 go build -ldflags "$ldflags" -o "$bin/" "${pkgs[@]}")
}

# kubelet, kube-scheduler and agnhost (Kubernetes' own test image binary, which the network
# policy e2e tests and cyclonus probe with) from the same wrapper, in a work directory of its
# own so that it never races a control-plane build. Same flags as the control plane (no -trimpath),
# so Go's build cache reuses the packages they share. All static: agnhost runs in a scratch image.
build_kubernetes_nodes() {
  local work="$cache/build/kubernetes-nodes-$KUBERNETES_VERSION" ldflags
  local pkgs=(k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/test/images/agnhost)
  log "building kubelet, kube-scheduler, agnhost $KUBERNETES_VERSION (first time only; minutes)"
  k8s_wrapper "$work" "${pkgs[@]}"
  (cd "$work" && CGO_ENABLED=0 go build -ldflags "$ldflags" -o "$scratch/" "${pkgs[@]}")
  mv "$scratch"/* "$node_bin/"
}

# kube-router has no replace directives, so `go install pkg@version` works. Only its firewall
# (NetworkPolicy) controller is ever run; see hack/nodes.sh.
build_kube_router() {
  log "building kube-router $KUBE_ROUTER_VERSION (first time only; minutes)"
  GOBIN="$scratch" CGO_ENABLED=0 go install -trimpath \
    -ldflags "-s -w -X github.com/cloudnativelabs/kube-router/v2/pkg/version.Version=$KUBE_ROUTER_VERSION" \
    "github.com/cloudnativelabs/kube-router/v2/cmd/kube-router@$KUBE_ROUTER_VERSION"
  mv "$scratch/kube-router" "$node_bin/"
}

# crane (go-containerregistry): its `registry serve` is the registry real nodes pull through.
build_crane() {
  log "building crane $GO_CONTAINERREGISTRY_VERSION (first time only)"
  GOBIN="$scratch" CGO_ENABLED=0 go install -trimpath -ldflags "-s -w" \
    "github.com/google/go-containerregistry/cmd/crane@$GO_CONTAINERREGISTRY_VERSION"
  mv -f "$scratch/crane" "$node_bin/"
  echo "$crane_stamp" >"$node_bin/crane.stamp"
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

# helm, stamped like helm's own Makefile does: its version, and the Kubernetes version it assumes
# when no cluster is asked (helm template, helm lint); unstamped, helm says Kubernetes v1.20.0.
build_helm() {
  local minor ldflags=""
  minor="$(cut -d. -f2 <<<"$KUBERNETES_VERSION")"
  log "building helm $HELM_VERSION for Kubernetes 1.$minor (first time only)"
  for p in helm.sh/helm/v3/pkg/chartutil helm.sh/helm/v3/pkg/lint/rules; do
    ldflags+=" -X $p.k8sVersionMajor=1 -X $p.k8sVersionMinor=$minor"
  done
  replace_tool helm "$helm_stamp" -trimpath \
    -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean$ldflags" \
    "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
}

# helm-docs (github.com/norwoodj/helm-docs) writes the chart's README.md from values.yaml's comments.
build_helm_docs() {
  log "building helm-docs $HELM_DOCS_VERSION (first time only)"
  replace_tool helm-docs "$helm_docs_stamp" -trimpath -ldflags "-s -w" \
    "github.com/norwoodj/helm-docs/cmd/helm-docs@$HELM_DOCS_VERSION"
}

# replace_tool NAME RECIPE GO-INSTALL-ARGS...: builds NAME into a scratch directory and renames it
# into place, so that a test of another checkout running the previous binary meanwhile never
# finds it missing or half-written; then writes its stamp.
replace_tool() {
  local name="$1" recipe="$2" scratch; shift 2
  scratch="$(mktemp -d "$bin/.$name-build.XXXXXX")"
  GOBIN="$scratch" CGO_ENABLED=0 go install "$@" || { rm -rf "$scratch"; return 1; }
  mv -f "$scratch/$name" "$bin/$name"
  rm -rf "$scratch"
  echo "$recipe" >"$bin/$name.stamp"
}

nodes="" check=""
for a in "$@"; do
  case "$a" in
    --nodes) nodes=1 ;;
    --check) check=1 ;;
    *) log "unknown argument: $a"; exit 2 ;;
  esac
done
if [[ -n $check ]]; then
  have_all || exit 1
  if [[ -n $nodes ]]; then have_nodes && echo "$node_bin"; exit $?; fi
  echo "$bin"; exit 0
fi

mkdir -p "$bin"
if ! have_all; then
  command -v go >/dev/null || { log "Go is required to build the control plane binaries"; exit 1; }
  adopt_envtest || true
  [[ -x "$bin/etcd" ]] || build_etcd
  [[ -x "$bin/kube-apiserver" && -x "$bin/kube-controller-manager" && -x "$bin/kubectl" ]] || build_kubernetes
  [[ -x "$bin/helm" ]] && stamped helm "$helm_stamp" || build_helm
  [[ -x "$bin/helm-docs" ]] && stamped helm-docs "$helm_docs_stamp" || build_helm_docs
  have_all || { log "some binaries are still missing in $bin"; exit 1; }
fi
if [[ -n $nodes ]]; then
  mkdir -p "$node_bin"
  if ! have_nodes; then
    command -v go >/dev/null || { log "Go is required to build the node binaries"; exit 1; }
    # One node build at a time (a second caller waits, then finds the binaries). Binaries are
    # built into a scratch directory and renamed into place, so an interrupted build never
    # leaves a half-written binary that the check above would take as complete.
    exec 9>"$cache/bin/.nodes.lock"
    flock 9
    scratch="$(mktemp -d "$cache/bin/.nodes-build.XXXXXX")"
    trap 'rm -rf "$scratch"' EXIT
    [[ -x "$node_bin/kubelet" && -x "$node_bin/kube-scheduler" && -x "$node_bin/agnhost" ]] || build_kubernetes_nodes
    [[ -x "$node_bin/kube-router" ]] || build_kube_router
    crane_current || build_crane
    have_nodes || { log "some binaries are still missing in $node_bin"; exit 1; }
  fi
  echo "$node_bin"
  exit 0
fi
echo "$bin"
