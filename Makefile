# The project's entry points. `make run` and `make test` are the two commands in README.md.
SHELL := bash
MVN ?= mvn -B
# Real nodes (make run-nodes, nodes-up): how many, and where their state lives.
NODES ?= 3
NODES_DIR ?= .local/nodes

.PHONY: run run-nodes test build crds tools nodes-prerequisites cluster-up cluster-down clean plugin

## run: build, start a local control plane (or use the current context with USE_CURRENT_CONTEXT=1),
##      install the CRDs, run the operator, apply examples/ and keep reconciling until Ctrl-C.
run: build tools
	hack/run.sh

## run-nodes: the same on real nodes (root, Linux): the operator image built without Docker, the
##            chart installed into a restricted namespace (two replicas in pods), examples/ applied,
##            pods of two companies in their tenant namespaces; Ctrl-C stops it.
run-nodes: build tools nodes-prerequisites
	hack/run-nodes.sh --nodes $(NODES) --dir $(NODES_DIR)

## test: every test: unit tests, the real control plane, and real nodes (root). .ci/run calls exactly this.
test: tools nodes-prerequisites
	$(MVN) verify

## build: the operator jar (operator/target/lingang-zone-operator.jar), tests not run.
build:
	$(MVN) -q package -DskipTests

## plugin: the kubectl plugin, installed as bin/kubectl-lingang (a launcher) and bin/kubectl-lingang.jar;
##         then: PATH=$$PWD/bin:$$PATH kubectl lingang zones
plugin:
	$(MVN) -q package -DskipTests -pl kubectl-plugin -am
	mkdir -p bin
	install -m 0644 kubectl-plugin/target/kubectl-lingang.jar bin/kubectl-lingang.jar
	install -m 0755 kubectl-plugin/src/main/sh/kubectl-lingang bin/kubectl-lingang

## crds: regenerate crds/ and the chart's crds/ from the Java API types.
crds:
	$(MVN) -q -Pupdate-crds process-classes

## helm-docs: regenerate the chart's README.md from values.yaml by helm-docs (ChartReadmeIT checks it).
.PHONY: helm-docs
helm-docs: tools
	hack/helm-docs.sh

## tools: build (once, cached) etcd, kube-apiserver, kube-controller-manager, kubectl and helm.
tools:
	@hack/tools.sh >/dev/null

## nodes-prerequisites: what real nodes need, each installed or built once and cached: the Debian
##                      packages, kubelet, kube-scheduler, kube-router, agnhost, the node images
##                      (pause, agnhost) and the operator's base image.
nodes-prerequisites:
	@hack/packages.sh
	@hack/tools.sh --nodes >/dev/null
	@hack/images.sh >/dev/null

cluster-up: tools
	hack/local-cluster.sh up

cluster-down:
	hack/local-cluster.sh down

clean:
	$(MVN) -q clean
	rm -rf .local bin

# Real nodes (root, Linux): containerd + runc + kubelet per node, NetworkPolicy by kube-router.
.PHONY: images nodes-up nodes-down nodes-smoke
NODES_FLAGS ?=

## images: build, without Docker, the node images and the operator's base image (cached), then
##         the operator image (operator/target/image/lingang-zone-operator.tar, by Jib).
images: build
	hack/packages.sh
	hack/images.sh
	hack/images.sh operator

## nodes-up: a local cluster with NODES real nodes in NODES_DIR (prints the kubeconfig path);
##           NODES_FLAGS may add --no-netpol and --no-placement-plugins. hack/nodes.conf gives
##           node 2 an edge pool's label and taint, node 3 a dedicated zone's.
nodes-up:
	hack/packages.sh
	hack/nodes.sh up --dir $(NODES_DIR) --nodes $(NODES) $(NODES_FLAGS)

## nodes-down: stop it and remove everything it made (processes, mounts, links, rules).
nodes-down:
	hack/nodes.sh down --dir $(NODES_DIR)

## nodes-smoke: pods on every node, cross-node TCP, a NetworkPolicy that blocks and reopens it.
nodes-smoke:
	hack/nodes-smoke.sh --dir $(NODES_DIR)

# Throughput benchmark (docs/PERFORMANCE.md): the operator against a raw client, each run on a
# fresh local control plane. Not part of `make test`. BENCH_ARGS="--quick" for a smoke run.
.PHONY: bench
BENCH_ARGS ?=

## bench: build the jar, run hack/bench.sh $(BENCH_ARGS); the report goes to operator/target/bench-out/.
bench: tools
	hack/bench.sh $(BENCH_ARGS)
