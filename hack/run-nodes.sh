#!/usr/bin/env bash
# make run-nodes: the operator as a real cluster runs it, on real nodes (hack/nodes.sh; root, Linux).
#   - a cluster of N nodes (kubelet, containerd, runc, kube-router's NetworkPolicy firewall each);
#   - the operator image built by Jib (hack/images.sh operator) and imported into every node;
#   - the chart installed into lingang-system, which enforces the restricted Pod Security Standard:
#     two replicas in pods, one leading;
#   - examples/ applied and Ready;
#   - a tenant's workload: Deployment "hello" (agnhost) in harbor-logistics-routing and in
#     pearl-fintech, with a probe showing that the same company's pods reach each other and another
#     company's do not.
# It then follows the operator's log. Ctrl-C stops and removes the cluster.
#
#   hack/run-nodes.sh [--nodes N] [--dir DIR]     N defaults to 3, DIR to .local/nodes
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
dir="$root/.local/nodes"
nodes=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --nodes) nodes="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
log() { echo "[run-nodes] $*" >&2; }
# shellcheck source=examples.sh
source "$here/examples.sh"
bin="$("$here/tools.sh")"
kubectl="$bin/kubectl"
helm="$bin/helm"
[[ $(id -u) == 0 ]] || { log "real nodes need root (network namespaces, mounts, containerd); 'make run' needs none"; exit 1; }

log "building the operator image (Jib, no daemon)"
image_tar="$("$here/images.sh" operator)"
# The tar names itself: lingang-zone-operator:<project version>.
image="$(tar -xOf "$image_tar" manifest.json | sed 's/.*"RepoTags":\["\([^"]*\)".*/\1/')"

started=""
cleanup() {
  # A second Ctrl-C while stopping must not cut the cleanup short.
  trap - EXIT
  trap '' INT TERM
  # shellcheck disable=SC2046 # one word per job
  kill $(jobs -p) 2>/dev/null || true
  if [[ -n $started ]]; then
    log "stopping the cluster"
    "$here/nodes.sh" down --dir "$dir" || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "starting $nodes node(s)"
started=1
export KUBECONFIG
KUBECONFIG="$("$here/nodes.sh" up --dir "$dir" --nodes "$nodes")"
"$here/nodes.sh" load --dir "$dir" "$image_tar"

log "installing the chart with $image into lingang-system (restricted)"
"$kubectl" create namespace lingang-system --dry-run=client -o yaml | "$kubectl" apply -f - >/dev/null
"$kubectl" label namespace lingang-system --overwrite pod-security.kubernetes.io/enforce=restricted \
  pod-security.kubernetes.io/warn=restricted >/dev/null
"$helm" upgrade --install lzo "$root/helm/lingang-zone-operator" --namespace lingang-system \
  --values "$here/nodes-chart-values.yaml" --set "image.repository=${image%:*}" --set "image.tag=${image##*:}" \
  --wait --timeout 5m >/dev/null
"$kubectl" -n lingang-system get pods -o wide

log "applying examples/"
apply_examples

log "running Deployment hello in two companies' namespaces"
for ns in harbor-logistics-routing pearl-fintech; do
  # No resources given: the zone's LimitRange fills them in, and the quota counts them.
  "$kubectl" apply -f - >/dev/null <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: hello, namespace: $ns}
spec:
  replicas: 2
  selector: {matchLabels: {app: hello}}
  template:
    metadata: {labels: {app: hello}}
    spec:
      securityContext:
        runAsNonRoot: true
        runAsUser: 65534
        seccompProfile: {type: RuntimeDefault}
      containers:
      - name: hello
        image: registry.k8s.io/e2e-test-images/agnhost:2.43
        imagePullPolicy: Always
        args: [netexec, --http-port=8080, --udp-port=-1]
        readinessProbe: {httpGet: {path: /hostname, port: 8080}, periodSeconds: 2}
        securityContext:
          allowPrivilegeEscalation: false
          capabilities: {drop: [ALL]}
YAML
done
for ns in harbor-logistics-routing pearl-fintech; do "$kubectl" -n "$ns" rollout status deployment/hello --timeout=3m >/dev/null; done
"$kubectl" get pods -n harbor-logistics-routing -o wide
"$kubectl" get pods -n pearl-fintech -o wide

pearl_ip="$("$kubectl" -n pearl-fintech get pods -l app=hello -o jsonpath='{.items[0].status.podIP}')"
own_ip="$("$kubectl" -n harbor-logistics-routing get pods -l app=hello -o jsonpath='{.items[1].status.podIP}')"
# agnhost connect prints nothing when it connects, REFUSED when a policy refuses.
probe() {
  local out
  if out="$("$kubectl" -n harbor-logistics-routing exec deploy/hello -- /agnhost connect "$1:8080" --timeout=2s 2>&1)"; then
    echo CONNECTED
  else
    echo "${out%%$'\n'*}"
  fi
}
echo
echo "harbor-logistics-routing -> its own pod $own_ip:    $(probe "$own_ip")"
echo "harbor-logistics-routing -> pearl-fintech $pearl_ip: $(probe "$pearl_ip")"
echo
echo "Everything in examples/ is Ready; the operator runs in two pods under the chart, and two"
echo "companies run pods that NetworkPolicies (enforced by kube-router) keep apart. Try:"
echo "  export KUBECONFIG=$KUBECONFIG"
echo "  $kubectl get lingang"
echo "  $kubectl -n harbor-logistics-routing get pods,resourcequota,networkpolicies"
echo "  $kubectl -n harbor-logistics-routing exec deploy/hello -- /agnhost connect $pearl_ip:8080 --timeout=2s"
echo "Following the operator's log; press Ctrl-C to stop and remove the cluster."
# In the background, and waited for: the wait builtin returns as soon as Ctrl-C (or SIGTERM) comes,
# whatever the child does with the signal, and the trap above then removes the cluster.
"$kubectl" -n lingang-system logs -f -l app.kubernetes.io/instance=lzo --prefix --max-log-requests 4 &
wait $! || true
# The log stream ends when the operator's pods do; keep the cluster until Ctrl-C all the same.
sleep infinity &
wait $!
