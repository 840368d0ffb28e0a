package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestSelectorsAndAggregations(t *testing.T) {
	in := `["sum by (zone) (max without (instance, pod) (lingang_tenants{condition=\"Ready\"})) > 0",
	        "absent(up{job=\"x\"} == 1)", "rate(foo_total[5m]", "{__name__=\"bar\"}"]`
	var out bytes.Buffer
	if err := run(strings.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	var got []Result
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 {
		t.Fatalf("want 4 results, got %d", len(got))
	}
	s := got[0].Selectors
	if got[0].Error != "" || len(s) != 1 || s[0].Metric != "lingang_tenants" || len(s[0].Aggregations) != 2 {
		t.Fatalf("first: %+v", got[0])
	}
	if a := s[0].Aggregations[0]; a.Op != "max" || !a.Without || strings.Join(a.Grouping, ",") != "instance,pod" {
		t.Fatalf("innermost aggregation: %+v", a)
	}
	if a := s[0].Aggregations[1]; a.Op != "sum" || a.Without || strings.Join(a.Grouping, ",") != "zone" {
		t.Fatalf("outer aggregation: %+v", a)
	}
	if got[1].Selectors[0].Metric != "up" || len(got[1].Selectors[0].Aggregations) != 0 {
		t.Fatalf("second: %+v", got[1])
	}
	if got[2].Error == "" {
		t.Fatalf("an unclosed call must not parse: %+v", got[2])
	}
	if got[3].Selectors[0].Metric != "bar" {
		t.Fatalf("a name matcher names the metric: %+v", got[3])
	}
}
