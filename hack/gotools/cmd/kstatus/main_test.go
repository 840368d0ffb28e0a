package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestStatuses(t *testing.T) {
	// One custom resource per case, as a JSON array; generation is 2 unless overridden.
	cr := func(name, extraMeta, status string) string {
		return `{"apiVersion": "example.io/v1", "kind": "Zone", "metadata": {"namespace": "ns", "name": "` + name +
			`", "generation": 2` + extraMeta + `}, "status": ` + status + `}`
	}
	cond := func(typ string) string {
		return `{"observedGeneration": 2, "conditions": [{"type": "` + typ + `", "status": "True", "reason": "R", "message": "m"}]}`
	}
	in := "[" + strings.Join([]string{
		cr("ready", "", cond("Ready")),
		cr("reconciling", "", cond("Reconciling")),
		cr("stalled", "", cond("Stalled")),
		cr("deleting", `, "deletionTimestamp": "2024-01-01T00:00:00Z", "finalizers": ["x"]`, cond("Ready")),
		cr("stale", `, "generation": 3`, cond("Ready")),
	}, ",") + "]"
	want := map[string]string{
		"ready": "Current", "reconciling": "InProgress", "stalled": "Failed",
		"deleting": "Terminating", "stale": "InProgress",
	}
	got := compute(t, in)
	if len(got) != len(want) {
		t.Fatalf("got %d results, want %d", len(got), len(want))
	}
	for _, r := range got {
		if r.Status != want[r.Name] || r.Kind != "Zone" || r.Namespace != "ns" {
			t.Errorf("%s: got %+v, want status %s", r.Name, r, want[r.Name])
		}
	}
}

func TestListAndSingleObject(t *testing.T) {
	cm := `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"namespace": "ns", "name": "cm"}}`
	if got := compute(t, `{"apiVersion": "v1", "kind": "List", "items": [`+cm+`,`+cm+`]}`); len(got) != 2 || got[1].Status != "Current" {
		t.Errorf("list: %+v", got)
	}
	if got := compute(t, cm); len(got) != 1 || got[0].Name != "cm" {
		t.Errorf("single object: %+v", got)
	}
	if got := compute(t, `{"apiVersion": "v1", "kind": "List", "items": []}`); len(got) != 0 {
		t.Errorf("empty list: %+v", got)
	}
	for _, bad := range []string{`[1]`, `{"metadata": {}}`, `nope`, `"x"`} {
		if err := run(strings.NewReader(bad), &strings.Builder{}); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func compute(t *testing.T, in string) []Result {
	t.Helper()
	var out strings.Builder
	if err := run(strings.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	var res []Result
	if err := json.Unmarshal([]byte(out.String()), &res); err != nil {
		t.Fatal(err)
	}
	return res
}
