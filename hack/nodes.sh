#!/usr/bin/env bash
# A local cluster WITH real nodes: the control plane of hack/local-cluster.sh, kube-scheduler,
# the workload controllers, and N nodes, each a kubelet with its own containerd, runc, a CNI
# bridge and (unless --no-netpol) kube-router's NetworkPolicy firewall, in a network namespace
# of its own. Needs root and Linux; see hack/packages.sh, hack/tools.sh --nodes, hack/images.sh.
# Node 1 has a namespace too, not the host's: all nodes are alike, kube-router's rules stay out of
# the host's tables (two instances in one namespace would overwrite each other's), and deleting
# a namespace removes its bridge, iptables rules and ipsets at once.
#
#   hack/nodes.sh up   [--dir DIR] [--nodes N] [--no-netpol] [--no-placement-plugins]
#                      start (after a 'down' of DIR); prints the kubeconfig path on stdout
#   hack/nodes.sh down [--dir DIR]    stop and remove everything 'up' made
#   hack/nodes.sh load [--dir DIR] TAR...
#                      import image tars into every node (an OCI layout with NAME.ref beside
#                      it, as hack/images.sh makes, or a `docker save` tar)
#   hack/nodes.sh cache [--dir DIR] IMAGE NAME
#                      give IMAGE, which every node holds, the names NAME (REPO:TAG) and
#                      REPO@DIGEST in every node's image cache but not in the registry: an image
#                      another tenant pulled there
#   hack/nodes.sh netpol off|on [--dir DIR]
#                      stop NetworkPolicy enforcement in the running cluster (kube-router stopped,
#                      its rules and ipsets removed from every node), or start it again; for
#                      control runs that show a test detects a missing enforcer
#
# DIR defaults to .local/nodes in the repository; the control plane lives in DIR/cp. Only one
# nodes cluster runs on a machine at a time: network namespaces, links and addresses are global.
#
# Layout, node i = 1..N (N <= 8):
#   network namespace lzn-node<i>; bridge lzn0 with the node IP 10.246.<i-1>.1, pod CIDR
#   10.246.<i-1>.0/24; veth lzn<i>h (host, 10.246.255.<4i-3>/30) <-> lzn<i>n (namespace, .<4i-2>).
#   The host routes each pod CIDR to its namespace; a namespace routes 10.246.0.0/16 to the host
#   and has no default route. Pod traffic cannot leave the machine: besides the missing route,
#   the host drops (mangle FORWARD) anything from 10.246.0.0/16 that would go out of another link.
#   The API server listens on 127.0.0.1 of the host only: in each namespace socat relays
#   127.0.0.1:<api port> (kubelet, kube-router) and <node IP>:6443 (pods: give them
#   hostAliases kubernetes.default.svc -> node IP) over the unix socket DIR/run/api.sock.
#   Images: tenant pods must pull Always (the chart's policies), so the nodes pull through a
#   registry: crane's (go-containerregistry), on the host's 127.0.0.1, reached from each namespace's
#   127.0.0.1:5000 over the unix socket DIR/run/registry.sock; each containerd mirrors
#   registry.k8s.io there. It holds the node images (agnhost, pause), pushed from node 1 as imported.
#   Labels and taints per node: hack/nodes.conf (or LINGANG_NODES_CONF).
#   Security: the API server calls kubelets with a client certificate and checks theirs; kubelets
#   authenticate by x509 and authorize through the API server (Webhook); no anonymous access.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

cmd="${1:-}"; shift || true
dir="$root/.local/nodes"
count=2 netpol=1 cp_flags=() tars=() netpol_state=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --dir) dir="$2"; shift 2 ;;
    --nodes) count="$2"; shift 2 ;;
    --no-netpol) netpol=""; shift ;;
    --no-placement-plugins) cp_flags+=("$1"); shift ;;
    on | off) [[ $cmd == netpol ]] || { echo "unknown argument: $1" >&2; exit 2; }; netpol_state="$1"; shift ;;
    -*) echo "unknown argument: $1" >&2; exit 2 ;;
    *) tars+=("$1"); shift ;;
  esac
done
[[ $count =~ ^[1-8]$ ]] || { echo "--nodes takes 1 to 8" >&2; exit 2; }
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
run="$dir/run"
owner_file=/run/lzn-nodes.dir # which DIR owns the machine-wide objects (netns, links, rules)
guard_comment="lingang-nodes"
node_images=(pause agnhost)
registry_port=5000 # in each node's namespace
log() { echo "[nodes] $*" >&2; }

# --- naming and addressing -------------------------------------------------------------------

node_name() { echo "lzn-node$1"; }
node_ip() { echo "10.246.$(($1 - 1)).1"; }
pod_cidr() { echo "10.246.$(($1 - 1)).0/24"; }
host_end_ip() { echo "10.246.255.$((4 * $1 - 3))"; }
ns_end_ip() { echo "10.246.255.$((4 * $1 - 2))"; }
node_dir() { echo "$dir/node$1"; }
in_ns() { local i="$1"; shift; nsenter --net="/run/netns/$(node_name "$i")" -- "$@"; }
ctr_of() { local i="$1"; shift; ctr --address "$(node_dir "$i")/containerd.sock" -n k8s.io "$@"; }
# The node numbers present in DIR (after a failed or finished 'up').
nodes_in_dir() {
  local d
  for d in "$dir"/node*; do [[ -d $d && ${d##*/node} =~ ^[0-9]+$ ]] && echo "${d##*/node}"; done
  return 0
}

# --- processes -------------------------------------------------------------------------------
# Each daemon's pid file holds "PID STARTTIME" so that a stale file never names a new process.

proc_start() { local st; st="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1; st="${st##*) }"; awk '{print $20}' <<<"$st"; }
# alive PID: exists and is not a zombie (an orphan's zombie lingers until init reaps it).
alive() { local st; st="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1; st="${st##*) }"; [[ ${st%% *} != Z ]]; }

# spawn NAME NODE|- COMMAND...: run COMMAND in the background (in node NODE's namespace).
spawn() {
  local name="$1" node="$2"; shift 2
  [[ $node == - ]] || set -- nsenter --net="/run/netns/$(node_name "$node")" -- "$@"
  "$@" </dev/null >>"$dir/logs/$name.log" 2>&1 &
  echo "$! $(proc_start $!)" >"$run/$name.pid"
}

# pid_of NAME: the recorded process if it still runs.
pid_of() {
  local pid start
  [[ -f "$run/$1.pid" ]] || return 1
  read -r pid start <"$run/$1.pid"
  alive "$pid" && [[ "$(proc_start "$pid")" == "$start" ]] && echo "$pid"
}

# stop NAME...: TERM all, wait up to 10 s together, then KILL what is left.
stop() {
  local n pids=() p
  for n in "$@"; do
    if p="$(pid_of "$n")"; then pids+=("$p"); kill "$p" 2>/dev/null || true; fi
    rm -f "$run/$n.pid"
  done
  for _ in $(seq 1 100); do
    local left=()
    for p in ${pids[@]+"${pids[@]}"}; do alive "$p" && left+=("$p"); done
    [[ ${#left[@]} -eq 0 ]] && return 0
    pids=("${left[@]}"); sleep 0.1
  done
  kill -9 "${pids[@]}" 2>/dev/null || true
}

# wait_until SECONDS WHAT COMMAND...: poll COMMAND every 0.2 s.
wait_until() {
  local secs="$1" what="$2"; shift 2
  local deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || { log "timed out after ${secs}s waiting for $what"; return 1; }
    sleep 0.2
  done
}

# --- configuration files ---------------------------------------------------------------------

# node_conf I: sets $labels and $taints ("" for none) from hack/nodes.conf.
node_conf() {
  local conf="${LINGANG_NODES_CONF:-$here/nodes.conf}" n l t
  labels="" taints=""
  while read -r n l t; do
    [[ $n == "$1" ]] || continue
    [[ $l == - ]] || labels="$l"
    [[ $t == - || -z $t ]] || taints="$t"
  done < <(grep -v '^[[:space:]]*#' "$conf")
}

# taints_yaml "k=v:Effect,...": kubelet registerWithTaints entries.
taints_yaml() {
  local t kv
  echo "registerWithTaints:"
  [[ -n $1 ]] || { echo "  []"; return; }
  for t in ${1//,/ }; do
    kv="${t%:*}"
    if [[ $kv == *=* ]]; then
      printf -- '- key: %s\n  value: "%s"\n  effect: %s\n' "${kv%%=*}" "${kv#*=}" "${t##*:}"
    else
      printf -- '- key: %s\n  effect: %s\n' "$kv" "${t##*:}"
    fi
  done
}

# write_cni I: a bridge network without NAT (pod source IPs stay visible to policies).
write_cni() {
  local i="$1" nd; nd="$(node_dir "$1")"
  mkdir -p "$nd/cni/net.d" "$nd/cni/ipam"
  cat >"$nd/cni/net.d/10-lzn.conflist" <<JSON
{
  "cniVersion": "0.4.0",
  "name": "$(node_name "$i")",
  "plugins": [{
    "type": "bridge", "bridge": "lzn0", "isDefaultGateway": true, "ipMasq": false, "hairpinMode": true,
    "ipam": {"type": "host-local", "dataDir": "$nd/cni/ipam",
             "ranges": [[{"subnet": "$(pod_cidr "$i")", "gateway": "$(node_ip "$i")"}]]}
  }]
}
JSON
}

# write_containerd I: everything of this containerd under the node directory. The machine lacks
# CAP_SYS_RESOURCE: without restrict_oom_score_adj runc fails ("can't get final child's PID").
# Pod network namespaces are mounted under the state directory, not in the global /run/netns.
write_containerd() {
  local nd; nd="$(node_dir "$1")"
  cat >"$nd/containerd.toml" <<TOML
version = 2
root = "$nd/containerd/root"
state = "$nd/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]
[grpc]
  address = "$nd/containerd.sock"
[plugins."io.containerd.internal.v1.opt"]
  path = "$nd/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "registry.k8s.io/pause:3.10"
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  stream_server_address = "127.0.0.1"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        Root = "$nd/runc"
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$nd/cni/net.d"
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "$nd/containerd/certs.d"
TOML
  mkdir -p "$nd/containerd/certs.d/registry.k8s.io"
  cat >"$nd/containerd/certs.d/registry.k8s.io/hosts.toml" <<TOML
server = "http://127.0.0.1:$registry_port"
[host."http://127.0.0.1:$registry_port"]
  capabilities = ["pull", "resolve"]
TOML
}

# write_kubelet I: settings that work on this kind of machine (cgroup v1, no swap accounting,
# a shared busy disk that must not trigger eviction), every path under the node directory.
write_kubelet() {
  local i="$1" nd labels taints; nd="$(node_dir "$1")"
  node_conf "$i"
  cat >"$nd/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $(node_ip "$i")
port: 10250
readOnlyPort: 0
healthzPort: 0
tlsCertFile: $nd/pki/kubelet.crt
tlsPrivateKeyFile: $nd/pki/kubelet.key
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $dir/cp/pki/ca.crt}
authorization: {mode: Webhook}
containerRuntimeEndpoint: unix://$nd/containerd.sock
cgroupDriver: cgroupfs
cgroupsPerQOS: false
enforceNodeAllocatable: []
failSwapOn: false
failCgroupV1: false
podLogsDir: $nd/pod-logs
volumePluginDir: $nd/volume-plugins
# No DNS for pods: no cluster DNS runs, and no query may leave the machine.
resolvConf: ""
maxPods: 40
serializeImagePulls: false
evictionHard: {memory.available: 200Mi, nodefs.available: 2%, imagefs.available: 2%}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
$(taints_yaml "$taints")
YAML
  echo "$labels" >"$nd/labels"
}

# node_certs I: the kubelet's client identity (system:masters: this cluster runs no Node
# authorizer) and its serving certificate for the node IP, which the API server verifies.
node_certs() {
  local i="$1" nd name; nd="$(node_dir "$1")"; name="$(node_name "$1")"
  mkdir -p "$nd/pki"
  printf 'extendedKeyUsage=clientAuth\n' >"$nd/pki/client.ext"
  printf 'subjectAltName=IP:%s,DNS:%s\nextendedKeyUsage=serverAuth\n' "$(node_ip "$i")" "$name" >"$nd/pki/server.ext"
  sign "$nd/pki/client" "/O=system:masters/CN=system:node:$name" "$nd/pki/client.ext"
  sign "$nd/pki/kubelet" "/CN=$name" "$nd/pki/server.ext"
  kubeconfig_for "$nd/kubeconfig" "$nd/pki/client"
}

# sign PREFIX SUBJECT EXTFILE: an EC key (fast to make) and a certificate from the cluster CA.
sign() {
  local pki="$dir/cp/pki"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "$2" \
    -keyout "$1.key" -out "$1.csr" 2>/dev/null
  openssl x509 -req -in "$1.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -set_serial "0x$(openssl rand -hex 16)" \
    -days 3650 -extfile "$3" -out "$1.crt" 2>/dev/null
}

kubeconfig_for() { # FILE CERT-PREFIX
  cat >"$1" <<KC
apiVersion: v1
kind: Config
clusters:
- name: lingang-local
  cluster: {server: "https://127.0.0.1:$api_port", certificate-authority: "$dir/cp/pki/ca.crt"}
users:
- name: node
  user: {client-certificate: "$2.crt", client-key: "$2.key"}
contexts:
- name: lingang-local
  context: {cluster: lingang-local, user: node}
current-context: lingang-local
KC
}

# --- networking ------------------------------------------------------------------------------

host_network_up() {
  if [[ "$(cat /proc/sys/net/ipv4/ip_forward)" != 1 ]]; then
    echo 0 >"$run/ip_forward.orig"
    echo 1 >/proc/sys/net/ipv4/ip_forward
  fi
  [[ -e /proc/sys/net/bridge ]] || modprobe br_netfilter
  # mangle, because the filter table's FORWARD is where kube-router and others ACCEPT.
  guard -t mangle -I FORWARD -s 10.246.0.0/16 ! -o 'lzn+' -j DROP
  # Between nodes where the host's FORWARD policy is DROP (e.g. Docker installed); only then, so
  # that a machine without a filter table does not get one.
  if iptables -S FORWARD | grep -q '^-P FORWARD DROP'; then
    guard -t filter -I FORWARD -i 'lzn+' -o 'lzn+' -j ACCEPT
  fi
}

# guard RULE...: add the rule (with our comment) unless present.
guard() {
  local spec=("$@")
  spec[2]=-C
  iptables "${spec[@]}" -m comment --comment "$guard_comment" 2>/dev/null ||
    iptables "$@" -m comment --comment "$guard_comment"
}

host_network_down() {
  local spec
  for spec in "-t mangle -D FORWARD -s 10.246.0.0/16 ! -o lzn+ -j DROP" "-t filter -D FORWARD -i lzn+ -o lzn+ -j ACCEPT"; do
    # shellcheck disable=SC2086 # the spec is split on purpose
    while iptables $spec -m comment --comment "$guard_comment" 2>/dev/null; do :; done
  done
  if [[ -f "$run/ip_forward.orig" ]]; then
    cat "$run/ip_forward.orig" >/proc/sys/net/ipv4/ip_forward
    rm -f "$run/ip_forward.orig"
  fi
  # iptables-nft creates a table on its first rule and never deletes it: drop the ones we made.
  local t
  for t in $(cat "$run/nft-tables-made" 2>/dev/null); do
    iptables-save -t "$t" 2>/dev/null | grep -q '^-A' || nft delete table ip "$t" 2>/dev/null || true
  done
}

# node_network_up I: the namespace, its uplink to the host, the bridge holding the node IP (the
# kubelet wants its node IP on an interface before it starts), routes and bridge netfilter.
node_network_up() {
  local i="$1" ns h="lzn$1h" n="lzn$1n"; ns="$(node_name "$1")"
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  ip link add "$h" type veth peer name "$n" netns "$ns"
  ip addr add "$(host_end_ip "$i")/30" dev "$h"
  ip link set "$h" up
  ip -n "$ns" addr add "$(ns_end_ip "$i")/30" dev "$n"
  ip -n "$ns" link set "$n" up
  ip -n "$ns" link add lzn0 type bridge
  ip -n "$ns" addr add "$(node_ip "$i")/24" dev lzn0
  ip -n "$ns" link set lzn0 up
  ip -n "$ns" route add 10.246.0.0/16 via "$(host_end_ip "$i")"
  ip route add "$(pod_cidr "$i")" via "$(ns_end_ip "$i")" dev "$h"
  # kube-router refuses what a policy denies with an ICMP port-unreachable, which the kernel
  # rate-limits per peer: past a few per second, a denied connection would wait for its timeout.
  in_ns "$i" sysctl -qw net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1 net.ipv4.icmp_ratelimit=0
}

# --- up --------------------------------------------------------------------------------------

preflight() {
  [[ $(id -u) == 0 ]] || { log "needs root (network namespaces, mounts, containerd)"; exit 1; }
  "$here/packages.sh" --check || { log "missing Debian packages: run hack/packages.sh"; exit 1; }
  cp_bin="$("$here/tools.sh")"
  node_bin="$("$here/tools.sh" --nodes)"
  images="$("$here/images.sh" "${node_images[@]}")"
  local owner
  owner="$(cat "$owner_file" 2>/dev/null)" || true
  if [[ -n $owner && $owner != "$dir" ]] && ip netns list | grep -q '^lzn-node'; then
    log "a nodes cluster of $owner is running: hack/nodes.sh down --dir $owner"; exit 1
  fi
  # A unix socket path is limited to 108 bytes.
  ((${#dir} < 70)) || { log "DIR is too long for unix sockets: $dir"; exit 1; }
}

start_control_plane() {
  mkdir -p "$dir/cp"
  "$here/local-cluster.sh" up --dir "$dir/cp" --nodes ${cp_flags[@]+"${cp_flags[@]}"} >"$run/cp.out" &
  cp_pid=$!
}

wait_control_plane() {
  wait "$cp_pid" || { log "the control plane did not start"; return 1; }
  cp_pid=""
  kubeconfig="$(cat "$run/cp.out")"
  api_port="$(sed -n 's#.*server: https://127.0.0.1:\([0-9]*\).*#\1#p' "$kubeconfig")"
  # Discovery cache in DIR, not in ~/.kube/cache (a new port each run would pile up there).
  kubectl=("$cp_bin/kubectl" --kubeconfig "$kubeconfig" --cache-dir "$run/kubectl-cache")
}

start_containerd() {
  local nd; nd="$(node_dir "$1")"
  mkdir -p "$nd/containerd" "$nd/runc" "$nd/pod-logs" "$nd/volume-plugins" "$nd/kubelet"
  spawn "containerd-$1" "$1" containerd --config "$nd/containerd.toml"
}

# import_tar I TAR: an OCI layout with TAR's .ref beside it gets that name; a docker-save tar
# names itself. ctr adds a stray "import-<date>" name when it finds no base name: drop it, as
# CRI would take it for docker.io/library/import-... .
import_tar() {
  local i="$1" tar="$2" ref="${2%.tar}.ref" args=() n
  [[ -f $ref ]] && args=(--base-name "$(sed 's/:[^:/]*$//' "$ref")")
  ctr_of "$i" images import ${args[@]+"${args[@]}"} "$tar" >/dev/null
  for n in $(ctr_of "$i" images ls -q | grep '^import-' || true); do ctr_of "$i" images rm "$n" >/dev/null; done
}

prepare_node_runtime() { # I: containerd answering, node images imported
  local i="$1" im
  wait_until 30 "containerd of $(node_name "$i")" ctr_of "$i" version
  for im in "${node_images[@]}"; do import_tar "$i" "$images/$im.tar"; done
}

start_relays() {
  spawn api-relay - socat "UNIX-LISTEN:$run/api.sock,fork,unlink-early,mode=600" "TCP:127.0.0.1:$api_port"
  local i
  for i in $(seq 1 "$count"); do
    spawn "api-relay-local-$i" "$i" socat "TCP-LISTEN:$api_port,bind=127.0.0.1,fork,reuseaddr" "UNIX-CONNECT:$run/api.sock"
    spawn "api-relay-pods-$i" "$i" socat "TCP-LISTEN:6443,bind=$(node_ip "$i"),fork,reuseaddr" "UNIX-CONNECT:$run/api.sock"
  done
}

# start_registry: crane's registry on a port the kernel picks, and its relays (see the header).
start_registry() {
  mkdir -p "$dir/registry"
  spawn registry - "$node_bin/crane" registry serve --address 127.0.0.1:0 --disk "$dir/registry"
  wait_until 30 "the registry" grep -q 'serving on port' "$dir/logs/registry.log"
  local port i
  port="$(sed -n 's/.*serving on port \([0-9]*\).*/\1/p' "$dir/logs/registry.log" | tail -n1)"
  spawn registry-relay - socat "UNIX-LISTEN:$run/registry.sock,fork,unlink-early,mode=600" "TCP:127.0.0.1:$port"
  for i in $(seq 1 "$count"); do
    spawn "registry-relay-$i" "$i" socat "TCP-LISTEN:$registry_port,bind=127.0.0.1,fork,reuseaddr" "UNIX-CONNECT:$run/registry.sock"
  done
}

# publish_node_images: the images node 1 imported, pushed unchanged (same digests) to the registry.
publish_node_images() {
  local im ref
  wait_until 30 "the registry relay" in_ns 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$registry_port"
  for im in "${node_images[@]}"; do
    ref="$(cat "$images/$im.ref")"
    in_ns 1 ctr --address "$(node_dir 1)/containerd.sock" -n k8s.io images push --plain-http \
      "127.0.0.1:$registry_port/${ref#registry.k8s.io/}" "$ref" >/dev/null
  done
}

start_scheduler() {
  spawn kube-scheduler - "$node_bin/kube-scheduler" --kubeconfig "$kubeconfig" --leader-elect=false --secure-port 0
}

# The controllers local-cluster.sh leaves out, which real pods need: workloads, endpoints,
# disruption budgets, and node lifecycle (it takes the not-ready taint off Ready nodes). A
# process of its own, so that 'down' can stop it before deleting pods.
start_workload_controllers() {
  spawn kube-controller-manager-workloads - "$cp_bin/kube-controller-manager" \
    --kubeconfig "$dir/cp/controller-manager.kubeconfig" --leader-elect=false --secure-port 0 \
    --controllers deployment-controller,replicaset-controller,daemonset-controller,statefulset-controller,job-controller,endpoints-controller,endpointslice-controller,disruption-controller,node-lifecycle-controller,pod-garbage-collector-controller,taint-eviction-controller
}

start_kubelet() {
  local i="$1" nd labels; nd="$(node_dir "$1")"
  labels="$(cat "$nd/labels")"
  spawn "kubelet-$i" "$i" "$node_bin/kubelet" --config "$nd/kubelet.yaml" --kubeconfig "$nd/kubeconfig" \
    --root-dir "$nd/kubelet" --hostname-override "$(node_name "$i")" --node-ip "$(node_ip "$i")" \
    ${labels:+--node-labels "$labels"} --v 1
}

# nodes_ready: every node registered, Ready, and without the not-ready taint.
nodes_ready() {
  local ready
  ready="$("${kubectl[@]}" get nodes -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status} {.spec.taints[*].key}{"\n"}{end}' |
    grep '^True' | grep -vc 'node.kubernetes.io/not-ready')" || true
  [[ $ready == "$count" ]]
}

# wait_nodes_ready: up to 2 minutes, failing at once when a kubelet exits (e.g. a bad config).
wait_nodes_ready() {
  local deadline=$((SECONDS + 120)) i
  until nodes_ready; do
    for i in $(seq 1 "$count"); do
      pid_of "kubelet-$i" >/dev/null || { log "the kubelet of $(node_name "$i") exited"; tail_logs "kubelet-$i"; return 1; }
    done
    if ((SECONDS > deadline)); then
      log "timed out waiting for $count Ready node(s) without the not-ready taint"
      for i in $(seq 1 "$count"); do tail_logs "kubelet-$i"; done
      return 1
    fi
    sleep 0.2
  done
}

# Only the firewall (NetworkPolicy) controller: the router and service proxy, which the published
# kube-router advisories concern, stay off, and it listens on no port.
start_kube_router() {
  spawn "kube-router-$1" "$1" "$node_bin/kube-router" --run-firewall=true --run-router=false --run-service-proxy=false \
    --kubeconfig "$kubeconfig" --hostname-override "$(node_name "$1")" --health-port 0 --metrics-port 0 \
    --service-cluster-ip-range 10.96.0.0/16 --iptables-sync-period 1m --v 1
}

kube_router_synced() { in_ns "$1" iptables -S KUBE-ROUTER-FORWARD; }

# remove_kube_router_rules I: what kube-router's firewall leaves in node I's namespace once
# stopped (its own --cleanup-config leaves the policy chains in v2.1.0): the jumps from the
# built-in chains, its chains, and every ipset (the namespace holds no other).
remove_kube_router_rules() {
  local i="$1" c n
  local ours='^KUBE-(ROUTER|POD-FW|NWPLCY)'
  for c in INPUT FORWARD OUTPUT; do
    # By number, last first, so that the numbers of the rules still to delete do not move.
    for n in $(in_ns "$i" iptables -L "$c" -n --line-numbers | awk -v re="$ours" '$2 ~ re {print $1}' | sort -rn); do
      in_ns "$i" iptables -D "$c" "$n"
    done
  done
  # Flush all before deleting any: the chains jump to one another.
  local chains
  chains="$(in_ns "$i" iptables -S | awk -v re="$ours" '$1 == "-N" && $2 ~ re {print $2}')"
  for c in $chains; do in_ns "$i" iptables -F "$c"; done
  for c in $chains; do in_ns "$i" iptables -X "$c"; done
  in_ns "$i" ipset destroy
}

# A failed or interrupted 'up' removes everything it made (set -e makes any error an exit).
on_exit() {
  local rc=$?
  [[ -z $up_done ]] || return 0
  set +e
  # A second Ctrl-C while stopping must not cut the cleanup short.
  trap - EXIT
  trap '' INT TERM
  log "up failed (exit $rc); removing what was started. Logs: $dir/logs"
  [[ -z ${cp_pid:-} ]] || { kill "$cp_pid" 2>/dev/null; wait "$cp_pid" 2>/dev/null; }
  teardown
  exit $((rc == 0 ? 1 : rc))
}

up() {
  preflight
  teardown_quietly
  mkdir -p "$run" "$dir/logs"
  rm -f "$dir"/logs/*.log
  echo "$dir" >"$owner_file"
  echo "${netpol:-0}" >"$run/netpol"
  up_done=""
  trap on_exit EXIT
  trap 'log interrupted; exit 130' INT TERM
  local started=$SECONDS i pids=()
  remember_machine_state

  start_control_plane
  host_network_up
  for i in $(seq 1 "$count"); do
    mkdir -p "$(node_dir "$i")"
    node_network_up "$i"
    write_cni "$i"; write_containerd "$i"; write_kubelet "$i"
    start_containerd "$i"
  done
  start_registry
  for i in $(seq 1 "$count"); do (trap - EXIT INT TERM; prepare_node_runtime "$i") & pids+=($!); done
  for i in "${pids[@]}"; do wait "$i"; done
  publish_node_images
  wait_control_plane
  for i in $(seq 1 "$count"); do node_certs "$i"; done
  start_relays
  start_scheduler
  start_workload_controllers
  for i in $(seq 1 "$count"); do start_kubelet "$i"; done
  wait_nodes_ready
  if [[ -n $netpol ]]; then
    for i in $(seq 1 "$count"); do start_kube_router "$i"; done
    for i in $(seq 1 "$count"); do wait_until 60 "kube-router on $(node_name "$i")" kube_router_synced "$i"; done
  fi
  up_done=1
  trap - EXIT INT TERM
  log "$count node(s) Ready in $((SECONDS - started)) s, NetworkPolicy $([[ -n $netpol ]] && echo "enforced by kube-router" || echo "not enforced"); logs in $dir/logs"
  echo "$kubeconfig"
}

tail_logs() { log "last lines of $dir/logs/$1.log:"; tail -n 20 "$dir/logs/$1.log" >&2 || true; }

# --- machine-wide leftovers ------------------------------------------------------------------
# Some paths are fixed in the daemons, whatever their configuration: containerd's shim sockets
# (/run/containerd/s), the kubelet's device-plugin socket (/var/lib/kubelet/device-plugins),
# container log links (/var/log/containers), CNI's result cache (/var/lib/cni), containerd's
# default cgroup parent (k8s.io in each hierarchy); `ip netns add` makes /run/netns a mount.
# 'up' notes which of them did not exist, so that 'down' removes exactly those (when empty).

made_candidates() {
  echo /run/netns /var/log/containers /var/lib/kubelet /var/lib/kubelet/device-plugins \
    /var/lib/cni /var/lib/cni/results /run/containerd /run/containerd/s
  ls -d /sys/fs/cgroup/*/ 2>/dev/null | sed 's#/$#/k8s.io#'
}

remember_machine_state() {
  local p t
  for p in $(made_candidates); do [[ -e $p ]] || echo "$p"; done >"$run/made-paths"
  mountpoint -q /run/netns 2>/dev/null || echo /run/netns >"$run/made-netns-mount"
  for t in mangle filter; do nft list table ip "$t" >/dev/null 2>&1 || echo "$t"; done >"$run/nft-tables-made"
}

remove_made_paths() {
  local p
  [[ -f "$run/made-paths" ]] || return 0
  if grep -qx /var/lib/kubelet "$run/made-paths"; then rm -f /var/lib/kubelet/device-plugins/kubelet.sock; fi
  if [[ -f "$run/made-netns-mount" && -z "$(ls -A /run/netns 2>/dev/null)" ]]; then umount /run/netns 2>/dev/null || true; fi
  # Deepest first; rmdir leaves anything that is not empty (or a cgroup still in use).
  for p in $(sort -r "$run/made-paths"); do
    [[ -d $p ]] || continue
    if [[ $p == /sys/fs/cgroup/* ]]; then find "$p" -depth -type d -exec rmdir {} + 2>/dev/null || true; fi
    rmdir "$p" 2>/dev/null || true
  done
}

# --- down ------------------------------------------------------------------------------------

# Delete every pod through the API while kubelets run, so they stop sandboxes properly (CNI DEL).
# The scheduler and workload controllers are stopped first, so nothing replaces them.
delete_pods() {
  local kc="$dir/cp/kubeconfig" k i
  [[ -f $kc ]] || return 0
  k=("$("$here/tools.sh")/kubectl" --kubeconfig "$kc" --cache-dir "$run/kubectl-cache" --request-timeout 5s)
  "${k[@]}" get --raw /readyz >/dev/null 2>&1 || return 0
  for i in $(nodes_in_dir); do pid_of "kubelet-$i" >/dev/null || return 0; done
  "${k[@]}" delete pods --all --all-namespaces --grace-period 1 --wait=false >/dev/null 2>&1 || return 0
  wait_until 30 "pods to be deleted" no_pods "${k[@]}" || true
}
no_pods() { [[ -z "$("$@" get pods --all-namespaces -o name 2>/dev/null)" ]]; }

# clean_runtime I: whatever containers are left (a failed or killed node), then containerd, its
# shims (found by their -address argument) and runc state.
clean_runtime() {
  local i="$1" nd t r c p; nd="$(node_dir "$1")"
  if pid_of "containerd-$i" >/dev/null; then
    for t in $(ctr_of "$i" tasks ls -q 2>/dev/null); do ctr_of "$i" tasks delete --force "$t" >/dev/null 2>&1 || true; done
    for c in $(ctr_of "$i" containers ls -q 2>/dev/null); do ctr_of "$i" containers delete "$c" >/dev/null 2>&1 || true; done
  fi
  stop "containerd-$i"
  for r in "$nd"/runc/*/; do
    [[ -d $r ]] || continue
    for c in $(runc --root "$r" list -q 2>/dev/null); do runc --root "$r" delete --force "$c" >/dev/null 2>&1 || true; done
  done
  for p in $(grep -lsF -- "$nd/containerd.sock" /proc/[0-9]*/cmdline | cut -d/ -f3); do
    [[ "$(cat "/proc/$p/comm" 2>/dev/null)" == containerd-shim* ]] && kill_shim "$p"
  done
  return 0
}

# kill_shim PID: a shim that outlived its containerd, and its socket, which containerd 1.6 keeps
# in the fixed /run/containerd/s/, named sha256(<address>/<namespace>/<id>) of the shim's flags.
kill_shim() {
  local a=() k ns="" id="" addr=""
  mapfile -d '' a <"/proc/$1/cmdline" 2>/dev/null || return 0
  for k in "${!a[@]}"; do
    case "${a[k]}" in
      -namespace) ns="${a[k + 1]:-}" ;;
      -id) id="${a[k + 1]:-}" ;;
      -address) addr="${a[k + 1]:-}" ;;
    esac
  done
  kill -9 "$1" 2>/dev/null || true
  [[ -z $ns || -z $id || -z $addr ]] || rm -f "/run/containerd/s/$(printf '%s' "$addr/$ns/$id" | sha256sum | cut -d' ' -f1)"
}

# Mounts under DIR (kubelet's rshared root, volumes, rootfs overlays, pod netns), deepest first,
# repeated because a bind of a directory onto itself stacks.
unmount_all() {
  local m pass
  for pass in 1 2 3 4 5; do
    m="$(awk -v d="$dir/" 'index($2, d) == 1 {print length($2), $2}' /proc/self/mounts | sort -rn | cut -d' ' -f2-)"
    [[ -n $m ]] || return 0
    while read -r p; do
      if ((pass < 5)); then umount "$p" 2>/dev/null || true; else umount -l "$p" 2>/dev/null || true; fi
    done <<<"$m"
  done
}

# CNI's cache of results is global (/var/lib/cni/results): ours are named after our networks,
# and containerd's loopback ones after our sandboxes.
clean_cni_results() {
  local i id nd
  rm -f /var/lib/cni/results/lzn-node*-*
  for i in $(nodes_in_dir); do
    nd="$(node_dir "$i")"
    for id in "$nd"/containerd/{root,state}/io.containerd.grpc.v1.cri/sandboxes/*; do
      if [[ -e $id ]]; then rm -f "/var/lib/cni/results/cni-loopback-${id##*/}-lo"; fi
    done
  done
}

# Kubelets link container logs in /var/log/containers; remove the links into DIR.
clean_log_links() {
  local l
  for l in /var/log/containers/*; do
    if [[ -L $l && "$(readlink "$l")" == "$dir/"* ]]; then rm -f "$l"; fi
  done
}

# remove_node_networks: namespaces (with their bridges, rules and ipsets) and host links; anything
# still inside a namespace is ours, e.g. a host-network pod.
remove_node_networks() {
  local ns i p
  for ns in $(ip netns list | awk '/^lzn-node[0-9]+/ {print $1}'); do
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
  done
  for i in $(ip -o link show | awk -F': ' '$2 ~ /^lzn[0-9]+h(@|$)/ {sub(/@.*/, "", $2); print $2}'); do
    ip link del "$i" 2>/dev/null || true
  done
}

teardown() {
  local i names=() owner
  owner="$(cat "$owner_file" 2>/dev/null)" || true
  stop kube-scheduler kube-controller-manager-workloads
  delete_pods
  for i in $(nodes_in_dir); do names+=("kube-router-$i" "kubelet-$i"); done
  stop ${names[@]+"${names[@]}"}
  for i in $(nodes_in_dir); do clean_runtime "$i"; done
  names=(api-relay registry-relay registry)
  for i in $(nodes_in_dir); do names+=("api-relay-local-$i" "api-relay-pods-$i" "registry-relay-$i"); done
  stop "${names[@]}"
  unmount_all
  clean_cni_results
  clean_log_links
  # Machine-wide objects are removed only by the directory that made them.
  if [[ -z $owner || $owner == "$dir" ]]; then
    remove_node_networks
    host_network_down
    rm -f "$owner_file"
  fi
  remove_made_paths
  [[ ! -d "$dir/cp" ]] || "$here/local-cluster.sh" down --dir "$dir/cp" 2>/dev/null
  for i in $(nodes_in_dir); do rm -rf --one-file-system "$(node_dir "$i")"; done
  rm -rf "$run" "$dir/registry"
}

teardown_quietly() { teardown >/dev/null 2>&1 || true; }

down() {
  [[ $(id -u) == 0 ]] || { log "needs root"; exit 1; }
  local started=$SECONDS
  teardown
  log "removed the nodes cluster of $dir in $((SECONDS - started)) s"
}

# load: into all running nodes at once (unpacking a large image takes seconds per node).
load() {
  local i t pids=()
  [[ ${#tars[@]} -gt 0 ]] || { log "load: name image tars"; exit 2; }
  for i in $(nodes_in_dir); do
    pid_of "containerd-$i" >/dev/null || continue
    (for t in "${tars[@]}"; do import_tar "$i" "$t"; done) & pids+=($!)
  done
  [[ ${#pids[@]} -gt 0 ]] || { log "no running nodes in $dir"; exit 1; }
  for i in "${pids[@]}"; do wait "$i"; done
  log "imported ${#tars[@]} image(s) into ${#pids[@]} node(s)"
}

cache() {
  local i digest
  [[ ${#tars[@]} -eq 2 ]] || { log "cache: name IMAGE and NAME"; exit 2; }
  for i in $(nodes_in_dir); do
    pid_of "containerd-$i" >/dev/null || continue
    # Both names a pull leaves behind: REPO:TAG and REPO@DIGEST.
    digest="$(ctr_of "$i" images ls | awk -v r="${tars[0]}" '$1 == r {print $3}')"
    [[ -n $digest ]] || { log "cache: $(node_name "$i") does not hold ${tars[0]}"; exit 1; }
    ctr_of "$i" images tag --force "${tars[0]}" "${tars[1]}" >/dev/null
    ctr_of "$i" images tag --force "${tars[0]}" "${tars[1]%:*}@$digest" >/dev/null
  done
}

# netpol off|on: a running cluster without, then again with, NetworkPolicy enforcement.
netpol_switch() {
  local i nodes
  [[ $(id -u) == 0 ]] || { log "needs root"; exit 1; }
  [[ -f "$run/cp.out" ]] || { log "no nodes cluster in $dir"; exit 1; }
  nodes="$(nodes_in_dir)"
  case "$netpol_state" in
    off)
      for i in $nodes; do stop "kube-router-$i"; done
      for i in $nodes; do remove_kube_router_rules "$i"; done
      echo 0 >"$run/netpol"
      log "NetworkPolicy no longer enforced on $(wc -w <<<"$nodes") node(s)" ;;
    on)
      kubeconfig="$(cat "$run/cp.out")"
      node_bin="$("$here/tools.sh" --nodes)"
      for i in $nodes; do pid_of "kube-router-$i" >/dev/null || start_kube_router "$i"; done
      for i in $nodes; do wait_until 60 "kube-router on $(node_name "$i")" kube_router_synced "$i"; done
      echo 1 >"$run/netpol"
      log "NetworkPolicy enforced by kube-router on $(wc -w <<<"$nodes") node(s)" ;;
    *) log "netpol takes off or on"; exit 2 ;;
  esac
}

case "$cmd" in
  up) up ;;
  down) down ;;
  load) load ;;
  cache) cache ;;
  netpol) netpol_switch ;;
  *) sed -n '2,26p' "${BASH_SOURCE[0]}" >&2; exit 2 ;;
esac
