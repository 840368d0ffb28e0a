#!/usr/bin/env bash
# Quick self-check of a running hack/nodes.sh cluster, with real traffic between real pods:
#   - one agnhost pod per node, under the restricted Pod Security Standard (uid 65534, no
#     capabilities, seccomp RuntimeDefault, no privilege escalation), checked from inside;
#   - TCP from each pod to the pod on the next node (kubectl exec through the API server and
#     the kubelet's client-certificate path);
#   - unless the cluster runs without NetworkPolicy enforcement: a default-deny-ingress policy
#     blocks that traffic, and deleting the policy reopens it.
#
#   hack/nodes-smoke.sh [--dir DIR]      DIR as given to hack/nodes.sh (default .local/nodes)
#
# Exits 0 only when every check holds; prints "N passed, N failed".
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
dir="$root/.local/nodes"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --dir) dir="$2"; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
dir="$(cd "$dir" && pwd)"
ns="nodes-smoke"
passed=0 failed=0
log() { echo "[smoke] $*" >&2; }
k() { "$kubectl" --kubeconfig "$dir/cp/kubeconfig" --cache-dir "$dir/run/kubectl-cache" "$@"; }
check() { # NAME COMMAND...: run one check and count it
  local name="$1"; shift
  if "$@" >&2; then passed=$((passed + 1)); log "ok    $name"; else failed=$((failed + 1)); log "FAIL  $name"; fi
}

# pod_yaml NAME NODE: agnhost netexec pinned to NODE, tolerating the nodes' taints.
pod_yaml() {
  cat <<YAML
apiVersion: v1
kind: Pod
metadata: {name: $1, namespace: $ns, labels: {app: smoke}}
spec:
  nodeSelector: {kubernetes.io/hostname: $2}
  tolerations: [{operator: Exists, effect: NoSchedule}]
  terminationGracePeriodSeconds: 1
  securityContext:
    runAsNonRoot: true
    runAsUser: 65534
    runAsGroup: 65534
    seccompProfile: {type: RuntimeDefault}
  containers:
  - name: agnhost
    image: registry.k8s.io/e2e-test-images/agnhost:2.43
    imagePullPolicy: Always
    args: [netexec, --http-port=8080]
    ports: [{containerPort: 8080}]
    securityContext:
      allowPrivilegeEscalation: false
      capabilities: {drop: [ALL]}
YAML
}

deny_yaml() {
  cat <<YAML
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny-ingress, namespace: $ns}
spec: {podSelector: {}, policyTypes: [Ingress]}
YAML
}

# connects FROM IP: one TCP connection attempt from pod FROM.
connects() { k -n "$ns" exec "$1" -- /agnhost connect "$2:8080" --timeout=2s --protocol=tcp >/dev/null 2>&1; }

# expect connected|blocked FROM IP: retried for up to 20 s, as a policy takes a moment to apply.
expect() {
  local want="$1" deadline=$((SECONDS + 20)) got
  while :; do
    if connects "$2" "$3"; then got=connected; else got=blocked; fi
    [[ $got == "$want" ]] && return 0
    ((SECONDS < deadline)) || { log "$2 -> $3: $got, wanted $want"; return 1; }
    sleep 0.5
  done
}

# restricted POD: what the pod's process really runs with.
restricted() {
  local s
  s="$(k -n "$ns" exec "$1" -- cat /proc/1/status)"
  grep -q '^Uid:[[:space:]]*65534' <<<"$s" && grep -q '^CapEff:[[:space:]]*0000000000000000' <<<"$s" &&
    grep -q '^NoNewPrivs:[[:space:]]*1' <<<"$s" && grep -q '^Seccomp:[[:space:]]*2' <<<"$s"
}

on_node() { [[ "$(k -n "$ns" get pod "$1" -o jsonpath='{.spec.nodeName}')" == "$2" ]]; }

# Ring of probes: pod i -> pod i+1, each pair on different nodes when there are several.
probe_all() { # connected|blocked LABEL
  local i next
  for i in "${!pods[@]}"; do
    next=$(((i + 1) % ${#pods[@]}))
    check "TCP ${pod_nodes[i]} -> ${pod_nodes[next]} $2" expect "$1" "${pods[i]}" "${ips[next]}"
  done
}

main() {
  kubectl="$("$here/tools.sh")/kubectl"
  [[ -f "$dir/cp/kubeconfig" ]] || { log "no nodes cluster in $dir"; exit 1; }
  local started=$SECONDS nodes=() i
  mapfile -t nodes < <(k get nodes -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}' | sort)
  [[ ${#nodes[@]} -gt 0 ]] || { log "the cluster has no nodes"; exit 1; }
  log "nodes: ${nodes[*]}"
  # One pod per node; two on a single node, so that there is always a pair to probe.
  pod_nodes=("${nodes[@]}")
  [[ ${#nodes[@]} -gt 1 ]] || pod_nodes+=("${nodes[0]}")
  pods=()
  for i in "${!pod_nodes[@]}"; do pods+=("smoke-$((i + 1))-${pod_nodes[i]}"); done

  k delete namespace "$ns" --ignore-not-found --wait=true --timeout=60s >/dev/null
  k create namespace "$ns" >/dev/null
  k label namespace "$ns" pod-security.kubernetes.io/enforce=restricted >/dev/null
  for i in "${!pods[@]}"; do pod_yaml "${pods[i]}" "${pod_nodes[i]}"; echo ---; done | k apply -f - >/dev/null
  check "pods Ready under the restricted standard" k -n "$ns" wait --for=condition=Ready pod -l app=smoke --timeout=90s
  ips=()
  for i in "${!pods[@]}"; do ips+=("$(k -n "$ns" get pod "${pods[i]}" -o jsonpath='{.status.podIP}')"); done
  log "pod IPs: ${ips[*]}"

  for i in "${!pods[@]}"; do
    check "${pods[i]} runs on ${pod_nodes[i]}" on_node "${pods[i]}" "${pod_nodes[i]}"
    check "${pods[i]}: uid 65534, no capabilities, no new privileges, seccomp filter" restricted "${pods[i]}"
  done
  probe_all connected "without policy"

  if [[ "$(cat "$dir/run/netpol" 2>/dev/null || echo 1)" == 0 ]]; then
    log "the cluster runs without NetworkPolicy enforcement (--no-netpol): policy checks skipped"
  else
    deny_yaml | k apply -f - >/dev/null
    probe_all blocked "blocked by default-deny-ingress"
    k -n "$ns" delete networkpolicy default-deny-ingress >/dev/null
    probe_all connected "open again after deleting the policy"
  fi

  k delete namespace "$ns" --wait=false >/dev/null
  log "done in $((SECONDS - started)) s"
  echo "smoke: $passed passed, $failed failed"
  [[ $failed -eq 0 ]]
}

main
