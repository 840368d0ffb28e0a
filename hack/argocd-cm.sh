#!/usr/bin/env bash
# Prints an argocd-cm patch with the chart's health check for every kind of zones.lingang.io:
#   hack/argocd-cm.sh | kubectl -n argocd patch cm argocd-cm --type merge --patch-file /dev/stdin
set -euo pipefail
script="$(dirname "$0")/../helm/lingang-zone-operator/files/argocd/health.lua"
echo "data:"
for kind in BusinessZone ZoneTenant DataLink EdgePool EdgeAllocation TenantStatus; do
  echo "  resource.customizations.health.zones.lingang.io_${kind}: |"
  sed 's/^/    /' "$script"
done
