package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// world is the cluster every case runs in: two app namespaces, kube-system with DNS (its
// kubernetes.io/metadata.name label is implied), and two external addresses, one of them
// inside an excepted sub-range.
const world = `
  "namespaces": {"ns-a": {"team": "a"}, "ns-b": {"team": "b"}, "kube-system": {}},
  "pods": [
    {"namespace": "ns-a", "name": "a1", "labels": {"app": "a"}, "ip": "10.0.0.1"},
    {"namespace": "ns-a", "name": "a2", "labels": {"app": "other"}, "ip": "10.0.0.2"},
    {"namespace": "ns-b", "name": "b1", "labels": {"app": "a"}, "ip": "10.0.1.1"},
    {"namespace": "kube-system", "name": "dns", "labels": {"k8s-app": "kube-dns"}, "ip": "10.0.2.1"},
    {"namespace": "kube-system", "name": "proxy", "labels": {"k8s-app": "kube-proxy"}, "ip": "10.0.2.2"}
  ],
  "externals": [{"name": "hk-inside", "ip": "203.0.113.5"}, {"name": "hk-blocked", "ip": "203.0.113.200"}],
  "ports": [{"protocol": "TCP", "port": 80}, {"protocol": "TCP", "port": 8080},
            {"protocol": "TCP", "port": 9000}, {"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}]`

func evaluate(t *testing.T, policies ...string) map[string]Result {
	t.Helper()
	doc := fmt.Sprintf(`{%s, "policies": [%s]}`, world, strings.Join(policies, ","))
	var out strings.Builder
	if err := run(strings.NewReader(doc), &out); err != nil {
		t.Fatal(err)
	}
	var o Output
	if err := json.Unmarshal([]byte(out.String()), &o); err != nil {
		t.Fatal(err)
	}
	byKey := map[string]Result{}
	for _, r := range o.Results {
		byKey[fmt.Sprintf("%s %s %s/%d", r.From, r.To, r.Protocol, r.Port)] = r
	}
	// 5 pods: 20 ordered pairs, plus 5x2 pod->external and 2x5 external->pod; 5 ports each.
	if len(o.Results) != (20+10+10)*5 {
		t.Fatalf("got %d results", len(o.Results))
	}
	return byKey
}

// expect checks "from to PROTO/port" keys against the wanted verdict.
func expect(t *testing.T, got map[string]Result, allowed bool, keys ...string) {
	t.Helper()
	for _, k := range keys {
		r, ok := got[k]
		if !ok {
			t.Errorf("no result for %s", k)
		} else if r.Allowed != allowed || r.Allowed != (r.Ingress && r.Egress) {
			t.Errorf("%s: got allowed=%t (ingress=%t egress=%t), want %t", k, r.Allowed, r.Ingress, r.Egress, allowed)
		}
	}
}

func policy(ns, name, spec string) string {
	return fmt.Sprintf(`{"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
		"metadata": {"namespace": %q, "name": %q}, "spec": %s}`, ns, name, spec)
}

func TestNoPolicyAllowsAll(t *testing.T) {
	got := evaluate(t)
	for k, r := range got {
		if !r.Allowed {
			t.Errorf("%s denied without any policy", k)
		}
	}
}

func TestDefaultDeny(t *testing.T) {
	got := evaluate(t, policy("ns-a", "deny", `{"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}`))
	expect(t, got, false,
		"ns-a/a1 ns-a/a2 TCP/80", "ns-b/b1 ns-a/a1 TCP/80", "ns-a/a1 ns-b/b1 TCP/80",
		"ns-a/a1 external/hk-inside TCP/80", "external/hk-inside ns-a/a1 TCP/80")
	expect(t, got, true, "ns-b/b1 kube-system/dns UDP/53", "external/hk-inside ns-b/b1 TCP/80")
	// The side that denies is the one reported.
	if r := got["ns-b/b1 ns-a/a1 TCP/80"]; r.Ingress || !r.Egress {
		t.Errorf("b1 -> a1 should be denied by ingress only: %+v", r)
	}
}

// A policy without policyTypes gets the API server's default (Ingress only here).
func TestDefaultedPolicyTypes(t *testing.T) {
	got := evaluate(t, policy("ns-a", "deny", `{"podSelector": {}}`))
	expect(t, got, false, "ns-b/b1 ns-a/a1 TCP/80")
	expect(t, got, true, "ns-a/a1 ns-b/b1 TCP/80")
}

func TestAllowSameNamespaceLabel(t *testing.T) {
	got := evaluate(t, policy("ns-a", "same-app", `{"podSelector": {"matchLabels": {"app": "a"}},
		"ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "a"}}}]}]}`))
	// The podSelector of a peer without namespaceSelector only looks in the policy's namespace.
	expect(t, got, false, "ns-a/a2 ns-a/a1 TCP/80", "ns-b/b1 ns-a/a1 TCP/80", "external/hk-inside ns-a/a1 TCP/80")
	// a2 is not selected by the policy, so it is unrestricted.
	expect(t, got, true, "ns-a/a1 ns-a/a2 TCP/80", "ns-b/b1 ns-a/a2 TCP/80")
}

func TestIPBlockWithExcept(t *testing.T) {
	got := evaluate(t, policy("ns-a", "egress-hk", `{"podSelector": {}, "policyTypes": ["Egress"],
		"egress": [{"to": [{"ipBlock": {"cidr": "203.0.113.0/24", "except": ["203.0.113.128/25"]}}]}]}`))
	expect(t, got, true, "ns-a/a1 external/hk-inside TCP/80", "ns-a/a1 external/hk-inside UDP/53")
	expect(t, got, false, "ns-a/a1 external/hk-blocked TCP/80", "ns-a/a1 ns-b/b1 TCP/80")
	// Egress rules do not restrict what comes in.
	expect(t, got, true, "external/hk-blocked ns-a/a1 TCP/80")
}

func TestPortRange(t *testing.T) {
	got := evaluate(t, policy("ns-a", "range", `{"podSelector": {}, "ingress": [{"ports": [
		{"protocol": "TCP", "port": 8000, "endPort": 8999}]}]}`))
	expect(t, got, true, "ns-b/b1 ns-a/a1 TCP/8080", "external/hk-inside ns-a/a1 TCP/8080")
	expect(t, got, false, "ns-b/b1 ns-a/a1 TCP/80", "ns-b/b1 ns-a/a1 TCP/9000", "ns-b/b1 ns-a/a1 UDP/53")
}

func TestEgressToKubeDNS(t *testing.T) {
	got := evaluate(t, policy("ns-a", "dns-only", `{"podSelector": {}, "policyTypes": ["Egress"],
		"egress": [{"to": [{
			"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
			"podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}],
		"ports": [{"protocol": "UDP", "port": 53}]}]}`))
	expect(t, got, true, "ns-a/a1 kube-system/dns UDP/53", "ns-b/b1 ns-a/a1 TCP/80")
	expect(t, got, false, "ns-a/a1 kube-system/dns TCP/53", "ns-a/a1 kube-system/proxy UDP/53",
		"ns-a/a1 ns-a/a2 UDP/53", "ns-a/a1 external/hk-inside UDP/53")
}

func TestBadInput(t *testing.T) {
	for name, doc := range map[string]string{
		"unlisted namespace": `{"namespaces": {}, "pods": [{"namespace": "x", "name": "p", "ip": "10.0.0.1"}],
			"ports": [{"protocol": "TCP", "port": 80}]}`,
		"bad ip": `{"namespaces": {"x": {}}, "pods": [{"namespace": "x", "name": "p", "ip": "nope"}],
			"ports": [{"protocol": "TCP", "port": 80}]}`,
		"unknown field": `{"namespace": {}}`,
		"bad protocol":  `{"ports": [{"protocol": "tcp", "port": 80}]}`,
		"no namespace": `{"ports": [{"protocol": "TCP", "port": 80}], "policies": [
			{"metadata": {"name": "p"}, "spec": {"podSelector": {}}}]}`,
		"bad cidr": `{"namespaces": {"x": {}}, "pods": [{"namespace": "x", "name": "p", "ip": "10.0.0.1"},
			{"namespace": "x", "name": "q", "ip": "10.0.0.2"}], "ports": [{"protocol": "TCP", "port": 80}],
			"policies": [` + policy("x", "p", `{"podSelector": {}, "ingress": [{"from": [{"ipBlock": {"cidr": "10.0.0/8"}}]}]}`) + `]}`,
	} {
		if err := run(strings.NewReader(doc), &strings.Builder{}); err == nil {
			t.Errorf("%s: no error", name)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
}
