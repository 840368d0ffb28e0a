#!/usr/bin/env bash
# A real, local Kubernetes control plane without containers: etcd, kube-apiserver and
# kube-controller-manager as plain processes on loopback, with RBAC and the admission plugins
# the operator relies on. No nodes, no scheduler: pods stay Pending, which is all we need.
#
#   hack/local-cluster.sh up   [--dir DIR] [--no-placement-plugins] [--nodes]
#                                            start; prints the kubeconfig path on stdout
#   hack/local-cluster.sh down [--dir DIR]   stop every process started in DIR
#   hack/local-cluster.sh env  [--dir DIR]   print 'export KUBECONFIG=...'
#
# DIR defaults to .local/cluster in the repository. Several clusters may run at once in
# different directories (tests use their own), each on free ports. --no-placement-plugins leaves
# the alpha admission plugins PodNodeSelector and PodTolerationRestriction off, as on most
# managed clusters, where only the chart's ValidatingAdmissionPolicies guard reserved nodes.
# --nodes prepares the API server for real kubelets (hack/nodes.sh): it calls them with a client
# certificate, checks their serving certificates against the cluster CA, and dials their
# InternalIP first (node names do not resolve here).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

cmd="${1:-}"; shift || true
dir="$root/.local/cluster"
placement_plugins=",PodNodeSelector,PodTolerationRestriction"
for_nodes=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --dir) dir="$2"; shift 2 ;;
    --no-placement-plugins) placement_plugins=""; shift ;;
    --nodes) for_nodes=1; shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
log() { echo "[cluster] $*" >&2; }

# alive PID: the process exists and is not a zombie. Once 'up' has exited, the daemons' parent
# is init, which may reap them seconds after they exit; kill -0 alone would wait for that.
alive() {
  local st
  st="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  st="${st##*) }"
  [[ ${st%% *} != Z ]]
}

stop_all() {
  local p pid
  for p in kube-controller-manager kube-apiserver etcd; do
    [[ -f "$dir/$p.pid" ]] || continue
    pid="$(cat "$dir/$p.pid")"
    if alive "$pid"; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do alive "$pid" || break; sleep 0.1; done
      if alive "$pid"; then kill -9 "$pid" 2>/dev/null || true; fi
    fi
    rm -f "$dir/$p.pid"
  done
}

# A port nothing listens on, below the kernel's ephemeral range (32768 and up by default), where
# outgoing connections would otherwise take it between this check and the bind.
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 12000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}

# wait_for NAME SECONDS COMMAND...: poll until COMMAND succeeds, or fail with the process log.
wait_for() {
  local name="$1" secs="$2"; shift 2
  local deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS > deadline)) || ! kill -0 "$(cat "$dir/$name.pid")" 2>/dev/null; then
      log "$name did not become ready; last lines of $dir/logs/$name.log:"
      tail -n 30 "$dir/logs/$name.log" >&2 || true
      return 1
    fi
    sleep 0.2
  done
}

make_pki() {
  local pki="$dir/pki"
  [[ -f "$pki/admin.crt" ]] && return
  mkdir -p "$pki"
  (
    cd "$pki"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=lingang-local-ca" \
      -keyout ca.key -out ca.crt 2>/dev/null
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
    # Clients get ECDSA P-256 keys (SEC1 PEM, which fabric8 reads without BouncyCastle): a client
    # signs in every full TLS handshake, a Java client that has not compiled BigInteger yet takes
    # 20+ ms per RSA-2048 signature, and an operator opens a connection per watch as it starts (28
    # full handshakes). In a cluster it signs nothing: it sends its ServiceAccount token. The API
    # server's key stays RSA: clients only verify its signatures, which is cheap.
    cert() { # name subject [extfile]
      if [[ ${3:-} == client.ext ]]; then
        openssl ecparam -name prime256v1 -genkey -noout -out "$1.key"
      else
        openssl genrsa -out "$1.key" 2048 2>/dev/null
      fi
      openssl req -new -key "$1.key" -subj "$2" -out "$1.csr" 2>/dev/null
      openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 \
        ${3:+-extfile "$3"} -out "$1.crt" 2>/dev/null
    }
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc\nextendedKeyUsage=serverAuth\n' >server.ext
    printf 'extendedKeyUsage=clientAuth\n' >client.ext
    cert apiserver "/CN=kube-apiserver" server.ext
    cert admin "/O=system:masters/CN=lingang-admin" client.ext
    # A local test cluster: the controller manager runs with full rights rather than per-controller accounts.
    cert controller-manager "/O=system:masters/CN=system:kube-controller-manager" client.ext
  )
}

# The API server's identity towards kubelets (exec, logs, port-forward): kubelets authorize it
# through the API server (Webhook), where system:masters may do anything. Made on demand, so that
# a directory made without --nodes gains it too.
make_kubelet_client_cert() {
  local pki="$dir/pki"
  [[ -f "$pki/apiserver-kubelet-client.crt" ]] && return
  openssl req -newkey rsa:2048 -nodes -subj "/O=system:masters/CN=kube-apiserver-kubelet-client" \
    -keyout "$pki/apiserver-kubelet-client.key" -out "$pki/apiserver-kubelet-client.csr" 2>/dev/null
  openssl x509 -req -in "$pki/apiserver-kubelet-client.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" \
    -set_serial "0x$(openssl rand -hex 16)" -days 3650 -extfile "$pki/client.ext" \
    -out "$pki/apiserver-kubelet-client.crt" 2>/dev/null
}

kubeconfig() { # file user
  cat >"$1" <<KC
apiVersion: v1
kind: Config
clusters:
- name: lingang-local
  cluster:
    server: https://127.0.0.1:$api_port
    certificate-authority: $dir/pki/ca.crt
users:
- name: $2
  user:
    client-certificate: $dir/pki/$2.crt
    client-key: $dir/pki/$2.key
contexts:
- name: lingang-local
  context: {cluster: lingang-local, user: $2}
current-context: lingang-local
KC
}

up() {
  local bin
  bin="$("$here/tools.sh")"
  stop_all
  rm -rf "$dir/etcd" "$dir/logs"
  mkdir -p "$dir/logs"
  make_pki
  local node_flags=()
  if [[ -n $for_nodes ]]; then
    make_kubelet_client_cert
    # shellcheck disable=SC2054 # the commas belong to one flag value
    node_flags=(
      --kubelet-client-certificate "$dir/pki/apiserver-kubelet-client.crt"
      --kubelet-client-key "$dir/pki/apiserver-kubelet-client.key"
      --kubelet-certificate-authority "$dir/pki/ca.crt"
      --kubelet-preferred-address-types InternalIP,Hostname,InternalDNS,ExternalDNS,ExternalIP
    )
  fi
  trap 'log "start failed; stopping what was started"; stop_all' ERR

  local etcd_port peer_port
  etcd_port="$(free_port)"; peer_port="$(free_port)"; api_port="$(free_port)"
  while [[ $peer_port == "$etcd_port" || $api_port == "$etcd_port" || $api_port == "$peer_port" ]]; do
    peer_port="$(free_port)"; api_port="$(free_port)"
  done

  # --unsafe-no-fsync: a throwaway test store; durability buys nothing here and costs seconds.
  "$bin/etcd" --name local --data-dir "$dir/etcd" --unsafe-no-fsync \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-cluster "local=http://127.0.0.1:$peer_port" --log-level warn \
    >"$dir/logs/etcd.log" 2>&1 &
  echo $! >"$dir/etcd.pid"
  wait_for etcd 30 curl -fsS "http://127.0.0.1:$etcd_port/health"

  "$bin/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" \
    --cert-dir "$dir/pki" --tls-cert-file "$dir/pki/apiserver.crt" --tls-private-key-file "$dir/pki/apiserver.key" \
    --client-ca-file "$dir/pki/ca.crt" \
    --service-account-issuer https://kubernetes.default.svc \
    --service-account-key-file "$dir/pki/sa.pub" --service-account-signing-key-file "$dir/pki/sa.key" \
    --service-cluster-ip-range 10.96.0.0/16 \
    --authorization-mode RBAC \
    --enable-admission-plugins NamespaceLifecycle,LimitRanger,ServiceAccount,ResourceQuota${placement_plugins},DefaultTolerationSeconds,MutatingAdmissionWebhook,ValidatingAdmissionWebhook,ValidatingAdmissionPolicy \
    --allow-privileged=true --endpoint-reconciler-type none \
    ${node_flags[@]+"${node_flags[@]}"} \
    >"$dir/logs/kube-apiserver.log" 2>&1 &
  echo $! >"$dir/kube-apiserver.pid"
  kubeconfig "$dir/kubeconfig" admin
  kubeconfig "$dir/controller-manager.kubeconfig" controller-manager
  wait_for kube-apiserver 90 "$bin/kubectl" --kubeconfig "$dir/kubeconfig" get --raw /readyz

  "$bin/kube-controller-manager" \
    --kubeconfig "$dir/controller-manager.kubeconfig" \
    --controllers namespace-controller,garbage-collector-controller,resourcequota-controller,serviceaccount-controller,serviceaccount-token-controller,clusterrole-aggregation-controller,root-ca-certificate-publisher-controller \
    --service-account-private-key-file "$dir/pki/sa.key" --root-ca-file "$dir/pki/ca.crt" \
    --leader-elect=false --secure-port 0 \
    --concurrent-namespace-syncs 5 --concurrent-gc-syncs 20 --concurrent-resource-quota-syncs 5 \
    >"$dir/logs/kube-controller-manager.log" 2>&1 &
  echo $! >"$dir/kube-controller-manager.pid"
  # The service-account controller creating 'default' proves the controller manager is at work.
  wait_for kube-controller-manager 60 "$bin/kubectl" --kubeconfig "$dir/kubeconfig" -n default get serviceaccount default
  trap - ERR
  log "control plane up: API server https://127.0.0.1:$api_port, logs in $dir/logs"
  echo "$dir/kubeconfig"
}

case "$cmd" in
  up) up ;;
  down) stop_all; log "stopped the control plane in $dir" ;;
  env) echo "export KUBECONFIG=$dir/kubeconfig" ;;
  *) sed -n '2,12p' "${BASH_SOURCE[0]}" >&2; exit 2 ;;
esac
