#!/usr/bin/env bash
# The throughput benchmark (docs/PERFORMANCE.md): builds the operator jar, then runs the Java
# program io.lingang.zones.bench.Benchmark (test scope, never part of `make test`) on the test
# classpath. Every run gets a fresh local control plane in operator/target/bench-cp.
#
#   hack/bench.sh [--quick] [--tenants 100,500,1000] [--zones 1,10] [--out FILE] [--profile] ...
#   hack/bench.sh --help                 every option
#   hack/bench.sh top FILE.jfr [N] [FROM TO]   top N frames of a JFR recording (--profile makes them)
#
# BENCH_SKIP_BUILD=1 reuses the jar and classes already built. Ctrl-C stops the operator and the
# control plane; so does any failure.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"
MVN="${MVN:-mvn -B}"
cp_file="$root/operator/target/bench-classpath.txt"
plane_dir="$root/operator/target/bench-cp"
out_dir="$root/operator/target/bench-out"
log() { echo "[bench] $*" >&2; }

# The test classpath as Maven resolves it (target/test-classes, target/classes, the dependencies).
classpath() {
  $MVN -q -pl operator exec:exec -Dexec.executable=echo -Dexec.args='%classpath' \
    -Dexec.classpathScope=test -Dexec.outputFile="$cp_file" >/dev/null
  cat "$cp_file"
}

if [[ "${1:-}" == top ]]; then
  shift
  [[ -f "$cp_file" ]] || classpath >/dev/null
  exec java -cp "$(cat "$cp_file")" io.lingang.zones.bench.JfrTop "$@"
fi

# Whatever happens, nothing of ours keeps running: the operator (by the pid the benchmark wrote,
# and only if that process still runs our jar) and the control plane.
cleanup() {
  local pid
  if [[ -f "$out_dir/operator.pid" ]]; then
    pid="$(cat "$out_dir/operator.pid")"
    if [[ -r "/proc/$pid/cmdline" ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'lingang-zone-operator.jar'; then
      log "stopping operator $pid"
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$out_dir/operator.pid"
  fi
  if [[ -f "$plane_dir/kube-apiserver.pid" || -f "$plane_dir/etcd.pid" ]]; then
    "$here/local-cluster.sh" down --dir "$plane_dir" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$here/tools.sh" >/dev/null
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  log "building the operator jar and the benchmark (mvn -q -DskipTests package)"
  $MVN -q -DskipTests package
fi
cp="$(classpath)"
mkdir -p "$out_dir"

# The benchmark's own JVM: enough heap for its watches and the raw client's objects.
java -Xmx1g -Dlingang.repoRoot="$root" -Dbench.command="hack/bench.sh $*" \
  -cp "$cp" io.lingang.zones.bench.Benchmark "$@"
