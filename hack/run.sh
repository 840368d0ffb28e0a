#!/usr/bin/env bash
# The operator's main job, end to end (make run): a local control plane unless
# USE_CURRENT_CONTEXT=1, the CRDs, the operator, and examples/ until everything is Ready.
# Ctrl-C stops the operator and the control plane this script started.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
bin="$("$here/tools.sh")"
kubectl="$bin/kubectl"
jar="$root/operator/target/lingang-zone-operator.jar"
log() { echo "[run] $*" >&2; }
# shellcheck source=examples.sh
source "$here/examples.sh"

[[ -f "$jar" ]] || { log "no $jar: run 'make build' first"; exit 1; }

started_cluster=""
operator_pid=""
cleanup() {
  # A second Ctrl-C while stopping must not cut the cleanup short (it left processes behind).
  trap - EXIT
  trap '' INT TERM
  if [[ -n "$operator_pid" ]]; then
    log "stopping the operator"
    kill -TERM "$operator_pid" 2>/dev/null || true
    wait "$operator_pid" 2>/dev/null || true
  fi
  if [[ -n "$started_cluster" ]]; then
    "$here/local-cluster.sh" down
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ "${USE_CURRENT_CONTEXT:-0}" == "1" ]]; then
  log "using the current kubeconfig context: $("$kubectl" config current-context)"
else
  export KUBECONFIG
  KUBECONFIG="$("$here/local-cluster.sh" up)"
  started_cluster=1
fi

log "installing the CRDs, the tenant roles and the admission policies for tenant namespaces"
# Marked for Helm, so that the chart installed later on this cluster adopts them (see the script).
"$here/install-cluster-objects.sh"

log "starting the operator (logs below)"
LINGANG_HEALTH_PORT="${LINGANG_HEALTH_PORT:-0}" java -jar "$jar" &
operator_pid=$!

log "applying examples/"
apply_examples
echo
"$kubectl" get lingang
echo
echo "Everything in examples/ is Ready, and the one example meant to be refused is refused."
echo "Point kubectl at this cluster with:"
echo "  export KUBECONFIG=${KUBECONFIG:-~/.kube/config}"
echo "  $kubectl get lingang"
echo "The operator keeps reconciling; press Ctrl-C to stop it${started_cluster:+ and the local control plane}."
wait "$operator_pid"
