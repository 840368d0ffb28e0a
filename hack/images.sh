#!/usr/bin/env bash
# Builds, without Docker or any image registry, the container images that real nodes need, as
# tars that are OCI image layouts (for `ctr images import`), and prints the directory holding them.
#
#   hack/images.sh [--force] [pause|agnhost|base ...]    default: all three
#   hack/images.sh operator    the operator image; prints the path of its tar (see below)
#
#   pause.tar    registry.k8s.io/pause:3.10 — containerd's pod sandbox: a static C program
#   agnhost.tar  registry.k8s.io/e2e-test-images/agnhost:2.43 — agnhost (built by
#                hack/tools.sh --nodes) plus busybox-static, the image Kubernetes' own
#                network-policy e2e tests (and cyclonus) probe with
#   base.tar     the operator's base: Debian bookworm + openjdk-17-jre-headless (mmdebstrap),
#                also a `docker save` tar so that Jib can take it as `tar://` base
#
#   operator     lingang-zone-operator:<project version> — the operator, by Jib (jib:buildTar)
#                from operator/target/classes and its dependencies on the base above, user
#                10001, as operator/target/image/lingang-zone-operator.tar (a `docker save` tar,
#                which names itself); build the project first (make build). Jib only rewrites the
#                layers that changed, so it is built every time (seconds). Not cached here: each
#                checkout has its own. Load it into nodes with hack/nodes.sh load TAR.
#
# Each tar has a NAME.ref beside it (the image reference nodes import it under) and NAME.inputs,
# a hash of everything it was built from (the recipe below, the binaries, package versions): an
# image is rebuilt only when that hash changes, or with --force (e.g. for Debian security updates
# in the base, which the hash cannot see). Needs root (mmdebstrap --mode=root) and the packages
# of hack/packages.sh.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${LINGANG_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/lingang-zone-operator}"
out="$cache/images"
log() { echo "[images] $*" >&2; }

PAUSE_REF=registry.k8s.io/pause:3.10
AGNHOST_REF=registry.k8s.io/e2e-test-images/agnhost:2.43
BASE_REF=localhost/lingang-jre17-base:bookworm
DEBIAN_SOURCES=(
  "deb http://deb.debian.org/debian bookworm main"
  "deb http://deb.debian.org/debian bookworm-updates main"
  # Without the security suite the JRE would miss its security updates.
  "deb http://deb.debian.org/debian-security bookworm-security main"
)

# --- helpers -------------------------------------------------------------------------------

pkg_version() { dpkg-query -W -f='${Version}' "$1"; }

# layer_tar ROOTFS OUT: a reproducible layer tar (root-owned, fixed mtime, sorted).
layer_tar() {
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$1" -cf "$2" .
}

# oci_tar LAYOUT OUT: the layout's top-level entries, without a "./" entry, which Jib refuses
# ("Blocked unzipping files outside destination: ./").
oci_tar() {
  # shellcheck disable=SC2046 # one word per top-level entry
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$1" -cf "$2" $(ls "$1")
}

# new_image LAYOUT TAG LAYER...: an image of the given layers (umoci tags cannot hold a
# registry path, so the repository part of the reference lives in the .ref file).
new_image() {
  local layout="$1" tag="$2" l; shift 2
  umoci init --layout "$layout"
  umoci new --image "$layout:$tag"
  for l in "$@"; do umoci raw add-layer --image "$layout:$tag" "$l"; done
}

# digests_of LAYOUT: the config digest, then the layer digests, of the layout's only manifest.
digests_of() {
  local m
  m="$(grep -o '"digest":"sha256:[0-9a-f]*"' "$1/index.json" | head -n1 | cut -d: -f3 | tr -d '"')"
  grep -o '"digest":"sha256:[0-9a-f]*"' "$1/blobs/sha256/$m" | cut -d: -f3 | tr -d '"'
}

# docker_manifest LAYOUT REF: a docker-save manifest.json beside the OCI index, over the same
# blobs, so that one tar serves both `ctr images import` and Jib's tar:// base.
docker_manifest() {
  local layout="$1" ref="$2" config layers="" d
  { read -r config; while read -r d; do layers+="${layers:+,}\"blobs/sha256/$d\""; done; } < <(digests_of "$layout")
  printf '[{"Config":"blobs/sha256/%s","RepoTags":["%s"],"Layers":[%s]}]\n' "$config" "$ref" "$layers" >"$layout/manifest.json"
}

# --- recipes (their text is part of each image's input hash) -------------------------------

# A pod sandbox only has to hold the namespaces open, reap zombies and exit on a signal.
build_pause() {
  local work="$1"
  mkdir -p "$work/rootfs"
  cat >"$work/pause.c" <<'C'
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
static void quit(int sig) { (void)sig; _exit(0); }
static void reap(int sig) { (void)sig; while (waitpid(-1, 0, WNOHANG) > 0) {} }
int main(void) {
  signal(SIGINT, quit); signal(SIGTERM, quit); signal(SIGCHLD, reap);
  for (;;) pause();
}
C
  gcc -static -Os -s -o "$work/rootfs/pause" "$work/pause.c"
  layer_tar "$work/rootfs" "$work/layer.tar"
  new_image "$work/oci" 3.10 "$work/layer.tar"
  umoci config --image "$work/oci:3.10" --os linux --architecture amd64 \
    --config.entrypoint /pause --config.user 65535:65535
  umoci gc --layout "$work/oci"
  oci_tar "$work/oci" "$work/image.tar"
}

# agnhost and a busybox shell (kubectl exec ... sh), with users root and nobody.
build_agnhost() {
  local work="$1" r="$1/rootfs" a
  mkdir -p "$r/bin" "$r/etc" "$r/tmp"
  chmod 1777 "$r/tmp"
  install -m 0755 "$(agnhost_bin)" "$r/agnhost"
  install -m 0755 /bin/busybox "$r/bin/busybox"
  for a in $("$r/bin/busybox" --list); do [[ -e "$r/bin/$a" ]] || ln -s busybox "$r/bin/$a"; done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$r/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$r/etc/group"
  layer_tar "$r" "$work/layer.tar"
  new_image "$work/oci" 2.43 "$work/layer.tar"
  umoci config --image "$work/oci:2.43" --os linux --architecture amd64 \
    --config.env PATH=/bin --config.entrypoint /agnhost --config.cmd pause
  umoci gc --layout "$work/oci"
  oci_tar "$work/oci" "$work/image.tar"
}

# Debian's own packages, so no registry is needed; man/doc/locale left out. The man1 directory
# must exist anyway: update-alternatives links java.1.gz there and fails without it.
build_base() {
  local work="$1"
  # shellcheck disable=SC2016 # "$1" is expanded by mmdebstrap's hooks, not here
  mmdebstrap --mode=root --variant=essential --include=openjdk-17-jre-headless \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-exclude=/usr/share/info/*' \
    --essential-hook='mkdir -p "$1"/usr/share/man/man1' \
    --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/* "$1"/var/log/*' \
    --format=tar bookworm "$work/rootfs.tar" "${DEBIAN_SOURCES[@]}" >&2
  new_image "$work/oci" bookworm "$work/rootfs.tar"
  umoci config --image "$work/oci:bookworm" --os linux --architecture amd64 \
    --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --config.env JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 --config.cmd /bin/sh
  umoci gc --layout "$work/oci"
  docker_manifest "$work/oci" "$BASE_REF"
  oci_tar "$work/oci" "$work/image.tar"
}

# The operator: Jib, configured in operator/pom.xml, over the classes a build left in target/
# (no lifecycle phase runs, so this may be called while a build uses target/, as tests do).
build_operator() {
  local root classes
  root="$(cd "$here/.." && pwd)"
  classes="$root/operator/target/classes/io/lingang/zones/LingangZoneOperator.class"
  [[ -f $classes ]] || { log "no compiled operator in operator/target: run 'make build' first"; exit 1; }
  ${MVN:-mvn} -B -q -f "$root/pom.xml" -pl operator com.google.cloud.tools:jib-maven-plugin:buildTar -Djib.console=plain \
    -Dimage.base="tar://$out/base.tar" >&2
  echo "$root/operator/target/image/lingang-zone-operator.tar"
}

agnhost_bin() { echo "$("$here/tools.sh" --nodes)/agnhost"; }

# inputs NAME: everything the image is made of, as text; its hash decides a rebuild.
inputs() {
  declare -f layer_tar oci_tar new_image digests_of docker_manifest "build_$1"
  echo "umoci $(pkg_version umoci)"
  case "$1" in
    pause) echo "$PAUSE_REF"; gcc --version | head -n1; echo "libc $(pkg_version libc6-dev)" ;;
    agnhost) echo "$AGNHOST_REF"; sha256sum <"$(agnhost_bin)"; echo "busybox $(pkg_version busybox-static)" ;;
    base) echo "$BASE_REF"; printf '%s\n' "${DEBIAN_SOURCES[@]}"; echo "mmdebstrap $(pkg_version mmdebstrap)" ;;
  esac
}

# ensure NAME REF: build NAME.tar unless its inputs are unchanged; replace it atomically.
ensure() {
  local name="$1" ref="$2" hash
  hash="$(inputs "$name" | sha256sum | cut -c1-16)"
  if [[ -z $force && -f "$out/$name.tar" && "$(cat "$out/$name.inputs" 2>/dev/null)" == "$hash" ]]; then
    return
  fi
  log "building $name ($ref)"
  work="$(mktemp -d "$out/.build-$name.XXXXXX")"
  "build_$name" "$work" >&2
  mv "$work/image.tar" "$out/$name.tar"
  echo "$ref" >"$out/$name.ref"
  echo "$hash" >"$out/$name.inputs"
  rm -rf "$work"; work=""
  log "$name: $(du -h "$out/$name.tar" | cut -f1)"
}

force="" work="" operator=""
trap '[[ -z $work ]] || rm -rf "$work"' EXIT
names=()
for a in "$@"; do
  case "$a" in
    --force) force=1 ;;
    pause | agnhost | base) names+=("$a") ;;
    operator) operator=1 ;;
    *) log "unknown argument: $a"; exit 2 ;;
  esac
done
if [[ -n $operator ]]; then
  [[ ${#names[@]} -eq 0 ]] || { log "operator is built alone (it prints a tar, not a directory)"; exit 2; }
  names=(base)
fi
[[ ${#names[@]} -gt 0 ]] || names=(pause agnhost base)
"$here/packages.sh" --check || { log "missing Debian packages: run hack/packages.sh"; exit 1; }
mkdir -p "$out"
for n in "${names[@]}"; do
  case "$n" in
    pause) ensure pause "$PAUSE_REF" ;;
    agnhost) ensure agnhost "$AGNHOST_REF" ;;
    base) ensure base "$BASE_REF" ;;
  esac
done
if [[ -n $operator ]]; then
  started=$SECONDS
  tar="$(build_operator)"
  log "operator: $(du -h "$tar" | cut -f1) in $((SECONDS - started)) s"
  echo "$tar"
  exit 0
fi
echo "$out"
