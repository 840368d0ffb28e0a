#!/usr/bin/env bash
# Installs the Debian packages that real nodes and Docker-free images need (hack/nodes.sh,
# hack/images.sh). Idempotent and quick: apt-get runs only when a package is missing.
#
#   hack/packages.sh           install what is missing (needs root)
#   hack/packages.sh --check   exit 0 if everything is installed, without installing
#
# containerd is installed for its binaries only: every node of hack/nodes.sh runs its own
# containerd with its own root, state and socket, so the package's system service must not run.
set -euo pipefail
log() { echo "[packages] $*" >&2; }

packages=(
  containerd runc containernetworking-plugins # the container runtime and CNI bridge/host-local/loopback
  iptables nftables ipset conntrack kmod      # kube-router's firewall; nft removes empty tables; modprobe
  iproute2 util-linux socat procps            # netns, veth, nsenter, the API relay into a node's netns
  umoci busybox-static gcc libc6-dev          # images without Docker: pause (static C), agnhost's shell
  mmdebstrap                                  # the operator's Debian base image
  openssl curl ca-certificates                # certificates, health checks
)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'; }

missing() {
  local p
  for p in "${packages[@]}"; do installed "$p" || echo "$p"; done
}

# policy-rc.d exit code 101 tells invoke-rc.d/deb-systemd-invoke not to start services while
# installing. Many images ship one already; add ours only for the duration of the install.
install_without_services() {
  local policy=/usr/sbin/policy-rc.d added=""
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && added=1
  fi
  log "apt-get update"
  apt-get update -qq
  log "installing: $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2 || { [[ -z $added ]] || rm -f "$policy"; return 1; }
  [[ -z $added ]] || rm -f "$policy"
}

# If the package's service runs anyway (systemd machines where policy-rc.d was ignored), stop it
# and keep it from starting at boot.
disable_system_containerd() {
  if [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null; then
    if systemctl is-enabled --quiet containerd.service 2>/dev/null || systemctl is-active --quiet containerd.service 2>/dev/null; then
      log "disabling the system containerd service (each node runs its own)"
      systemctl disable --now containerd.service >&2 || true
    fi
  fi
}

todo="$(missing)"
if [[ ${1:-} == --check ]]; then [[ -z $todo ]]; exit; fi
if [[ -n $todo ]]; then
  [[ $(id -u) == 0 ]] || { log "missing packages (${todo//$'\n'/ }); run as root"; exit 1; }
  # shellcheck disable=SC2086 # one word per package
  install_without_services $todo
  todo="$(missing)"
  [[ -z $todo ]] || { log "still missing: ${todo//$'\n'/ }"; exit 1; }
fi
disable_system_containerd
log "all packages present"
