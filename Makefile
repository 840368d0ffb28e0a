# The project's entry points. `make run` and `make test` are the two commands in README.md.
SHELL := bash
MVN ?= mvn -B

.PHONY: run test build crds tools cluster-up cluster-down clean

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

## crds: regenerate crds/ and the chart's crds/ from the Java API types.
crds:
	$(MVN) -q -Pupdate-crds process-classes

## tools: build (once, cached) etcd, kube-apiserver, kube-controller-manager, kubectl and helm.
tools:
	@hack/tools.sh >/dev/null

cluster-up: tools
	hack/local-cluster.sh up

cluster-down:
	hack/local-cluster.sh down

clean:
	$(MVN) -q clean
	rm -rf .local
