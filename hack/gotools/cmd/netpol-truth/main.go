// Command netpol-truth judges NetworkPolicies with the policy engine of cyclonus
// (github.com/mattfenwick/cyclonus/pkg/matcher), an evaluator independent of ours,
// so integration tests can compare what the operator renders against a second opinion.
//
// It reads one JSON document on stdin (see Input) and writes, for every ordered pair of
// distinct pods, every pod -> external address and every external address -> pod, and
// every port, whether the traffic is allowed (see Output).
//
// Like the API server, it labels each namespace kubernetes.io/metadata.name=<name> and
// defaults a policy's missing policyTypes, since test fixtures are often not read back
// from a cluster.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"

	"github.com/mattfenwick/cyclonus/pkg/matcher"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
)

// Input is the document read on stdin.
type Input struct {
	Namespaces map[string]map[string]string `json:"namespaces"` // name -> labels
	Pods       []Pod                        `json:"pods"`
	Externals  []External                   `json:"externals"`
	// Policies stay raw here: they are decoded leniently (unknown fields such as status are
	// fine), while the envelope is decoded strictly to catch typos in the test fixtures.
	Policies []json.RawMessage `json:"policies"`
	Ports    []Port            `json:"ports"`
}

type Pod struct {
	Namespace string            `json:"namespace"`
	Name      string            `json:"name"`
	Labels    map[string]string `json:"labels"`
	IP        string            `json:"ip"`
}

// External is an address outside the cluster.
type External struct {
	Name string `json:"name"`
	IP   string `json:"ip"`
}

type Port struct {
	Protocol corev1.Protocol `json:"protocol"`
	Port     int             `json:"port"`
	// Name, if set, is the port's name on the destination, matched by policies that name ports.
	Name string `json:"name,omitempty"`
}

type Output struct {
	Results []Result `json:"results"`
}

type Result struct {
	From     string          `json:"from"`
	To       string          `json:"to"`
	Protocol corev1.Protocol `json:"protocol"`
	Port     int             `json:"port"`
	PortName string          `json:"portName,omitempty"`
	Allowed  bool            `json:"allowed"`
	Ingress  bool            `json:"ingress"`
	Egress   bool            `json:"egress"`
}

func main() {
	if err := run(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "netpol-truth:", err)
		os.Exit(1)
	}
}

func run(r io.Reader, w io.Writer) error {
	var in Input
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return fmt.Errorf("reading input: %w", err)
	}
	if dec.More() {
		return fmt.Errorf("reading input: more than one JSON document")
	}
	out, err := Evaluate(in)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// Evaluate validates the input and judges all traffic it describes.
func Evaluate(in Input) (out Output, err error) {
	policies, err := decodePolicies(in.Policies)
	if err != nil {
		return out, err
	}
	if err := validate(in); err != nil {
		return out, err
	}
	// cyclonus panics on policies it cannot model (e.g. a bad CIDR, a named start port with
	// endPort); report those as errors rather than a stack trace.
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("cyclonus rejected the policies: %v", p)
		}
	}()
	// No simplification: judge the policies as written.
	engine := matcher.BuildNetworkPolicies(false, policies)

	judge := func(from, to string, src, dst *matcher.TrafficPeer) {
		for _, p := range in.Ports {
			res := engine.IsTrafficAllowed(&matcher.Traffic{
				Source: src, Destination: dst,
				ResolvedPort: p.Port, ResolvedPortName: p.Name, Protocol: p.Protocol,
			})
			out.Results = append(out.Results, Result{
				From: from, To: to, Protocol: p.Protocol, Port: p.Port, PortName: p.Name,
				Allowed: res.IsAllowed(), Ingress: res.Ingress.IsAllowed(), Egress: res.Egress.IsAllowed(),
			})
		}
	}
	// The API server labels every namespace with its name; policies commonly select on it.
	nsLabels := map[string]map[string]string{}
	for ns, labels := range in.Namespaces {
		nsLabels[ns] = map[string]string{corev1.LabelMetadataName: ns}
		for k, v := range labels {
			nsLabels[ns][k] = v
		}
	}
	podPeer := func(p Pod) *matcher.TrafficPeer {
		return &matcher.TrafficPeer{IP: p.IP, Internal: &matcher.InternalPeer{
			Namespace: p.Namespace, NamespaceLabels: nsLabels[p.Namespace], PodLabels: p.Labels,
		}}
	}
	out.Results = []Result{}
	for i, a := range in.Pods {
		for j, b := range in.Pods {
			if i != j {
				judge(a.Namespace+"/"+a.Name, b.Namespace+"/"+b.Name, podPeer(a), podPeer(b))
			}
		}
	}
	// An external peer has no Internal part: cyclonus then only judges the pod's side.
	for _, p := range in.Pods {
		for _, e := range in.Externals {
			judge(p.Namespace+"/"+p.Name, "external/"+e.Name, podPeer(p), &matcher.TrafficPeer{IP: e.IP})
		}
	}
	for _, e := range in.Externals {
		for _, p := range in.Pods {
			judge("external/"+e.Name, p.Namespace+"/"+p.Name, &matcher.TrafficPeer{IP: e.IP}, podPeer(p))
		}
	}
	return out, nil
}

func decodePolicies(raws []json.RawMessage) ([]*networkingv1.NetworkPolicy, error) {
	var policies []*networkingv1.NetworkPolicy
	for i, raw := range raws {
		np := &networkingv1.NetworkPolicy{}
		if err := json.Unmarshal(raw, np); err != nil {
			return nil, fmt.Errorf("policies[%d]: %w", i, err)
		}
		if np.Kind != "" && (np.Kind != "NetworkPolicy" || np.APIVersion != "networking.k8s.io/v1") {
			return nil, fmt.Errorf("policies[%d]: expected networking.k8s.io/v1 NetworkPolicy, got %s %s", i, np.APIVersion, np.Kind)
		}
		// cyclonus would silently put a policy without namespace into "default".
		if np.Name == "" || np.Namespace == "" {
			return nil, fmt.Errorf("policies[%d]: metadata.name and metadata.namespace are required", i)
		}
		defaultPolicyTypes(np)
		policies = append(policies, np)
	}
	return policies, nil
}

// defaultPolicyTypes does what the API server does to a policy created without policyTypes
// (cyclonus expects them set and panics otherwise): Ingress always, Egress if it has egress rules.
func defaultPolicyTypes(np *networkingv1.NetworkPolicy) {
	if len(np.Spec.PolicyTypes) > 0 {
		return
	}
	np.Spec.PolicyTypes = []networkingv1.PolicyType{networkingv1.PolicyTypeIngress}
	if len(np.Spec.Egress) > 0 {
		np.Spec.PolicyTypes = append(np.Spec.PolicyTypes, networkingv1.PolicyTypeEgress)
	}
}

func validate(in Input) error {
	seen := map[string]bool{}
	unique := func(kind, id string) error {
		if seen[id] {
			return fmt.Errorf("duplicate %s %q", kind, id)
		}
		seen[id] = true
		return nil
	}
	for i, p := range in.Pods {
		if p.Namespace == "" || p.Name == "" {
			return fmt.Errorf("pods[%d]: namespace and name are required", i)
		}
		id := p.Namespace + "/" + p.Name
		if _, ok := in.Namespaces[p.Namespace]; !ok {
			return fmt.Errorf("pod %s: namespace %q is not listed in namespaces", id, p.Namespace)
		}
		// cyclonus needs every address parseable: ipBlock rules are checked against pods too.
		if net.ParseIP(p.IP) == nil {
			return fmt.Errorf("pod %s: invalid ip %q", id, p.IP)
		}
		if err := unique("pod", id); err != nil {
			return err
		}
	}
	for i, e := range in.Externals {
		if e.Name == "" || net.ParseIP(e.IP) == nil {
			return fmt.Errorf("externals[%d]: a name and a valid ip are required, got %q %q", i, e.Name, e.IP)
		}
		if err := unique("external", "external/"+e.Name); err != nil {
			return err
		}
	}
	if len(in.Ports) == 0 {
		return fmt.Errorf("no ports given")
	}
	for i, p := range in.Ports {
		switch p.Protocol {
		case corev1.ProtocolTCP, corev1.ProtocolUDP, corev1.ProtocolSCTP:
		default:
			return fmt.Errorf("ports[%d]: protocol must be TCP, UDP or SCTP, got %q", i, p.Protocol)
		}
		if p.Port < 1 || p.Port > 65535 {
			return fmt.Errorf("ports[%d]: port %d out of range", i, p.Port)
		}
	}
	return nil
}
