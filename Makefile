# The project's entry points. `make run` and `make test` are the two commands in README.md.
SHELL := bash
MVN ?= mvn -B

.PHONY: run test build crds tools cluster-up cluster-down clean plugin

## run: build, start a local control plane (or use the current context with USE_CURRENT_CONTEXT=1),
##      install the CRDs, run the operator, apply examples/ and keep reconciling until Ctrl-C.
run: build tools
	hack/run.sh

## test: every test, unit and real-control-plane ones. .ci/run calls exactly this.
test: tools
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

cluster-up: tools
	hack/local-cluster.sh up

cluster-down:
	hack/local-cluster.sh down

clean:
	$(MVN) -q clean
	rm -rf .local bin

# Real nodes (root, Linux): containerd + runc + kubelet per node, NetworkPolicy by kube-router.
.PHONY: images nodes-up nodes-down nodes-smoke
NODES ?= 2
NODES_DIR ?= .local/nodes
NODES_FLAGS ?=

## images: build (cached) the node images and the operator's base image, without Docker.
images:
	hack/packages.sh
	hack/images.sh

## nodes-up: a local cluster with NODES real nodes in NODES_DIR (prints the kubeconfig path);
##           NODES_FLAGS may add --no-netpol and --no-placement-plugins.
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
