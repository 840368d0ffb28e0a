# Sourced by hack/run.sh and hack/run-nodes.sh: examples/ applied, and waited for as the comments in
# them promise. Needs $kubectl (and KUBECONFIG) and $root set by the caller.

# apply_examples: every example Ready, except those labelled examples.lingang.io/expect=Refused,
# which show a refusal and are never Ready.
apply_examples() {
  local kinds=businesszones,zonetenants,datalinks,edgepools,edgeallocations
  "$kubectl" apply --server-side -f "$root/examples/" >/dev/null
  "$kubectl" wait --for=condition=Ready --timeout=180s "$kinds" -l 'examples.lingang.io/expect!=Refused'
  "$kubectl" wait --for=condition=Admitted=false --timeout=60s "$kinds" -l 'examples.lingang.io/expect=Refused'
}
