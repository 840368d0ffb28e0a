#!/usr/bin/env bash
# What the operator needs in a cluster besides itself, as `make run` installs it: the CRDs, the
# tenant roles and the ValidatingAdmissionPolicies for tenant namespaces (KUBECONFIG's cluster).
#
#   hack/install-cluster-objects.sh
#
# The roles and policies are the chart's own files, marked the way Helm marks what it owns
# (label app.kubernetes.io/managed-by=Helm, annotations meta.helm.sh/release-name and
# release-namespace), for release ${LINGANG_HELM_RELEASE:-lzo} in ${LINGANG_HELM_NAMESPACE:-lingang-system},
# the names README.md installs the chart with: a later `helm install` of that release adopts them
# instead of failing on objects that already exist. The CRDs need no mark: Helm skips existing ones.
# Server-side apply with --force-conflicts, as for every CRD upgrade (README.md).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
kubectl="$("$here/tools.sh")/kubectl"
files="$root/helm/lingang-zone-operator/files"
release="${LINGANG_HELM_RELEASE:-lzo}"
release_namespace="${LINGANG_HELM_NAMESPACE:-lingang-system}"

"$kubectl" apply --server-side --force-conflicts -f "$root/crds/" >/dev/null
"$kubectl" wait --for condition=Established --timeout=60s -f "$root/crds/" >/dev/null
# The policies take BusinessZones and EdgePools as parameters: their CRDs must be served first.
"$kubectl" label --local -o json -f "$files/tenant-roles.yaml" -f "$files/admission-policies.yaml" \
    app.kubernetes.io/managed-by=Helm \
  | "$kubectl" annotate --local -o json -f - \
    meta.helm.sh/release-name="$release" meta.helm.sh/release-namespace="$release_namespace" \
  | "$kubectl" apply --server-side --force-conflicts -f - >/dev/null
