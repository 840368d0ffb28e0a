// Command promql parses PromQL expressions with Prometheus' own parser and says, for each, which
// metrics it selects and under which aggregations. The tests use it to hold the chart's alert
// rules and Grafana dashboard against the metrics the operator really serves.
//
// Input on stdin: a JSON array of expressions. Output on stdout: a JSON array, one entry per
// expression, in order: {"expr", "error" (when it does not parse), "selectors": [{"metric",
// "aggregations": [{"op", "grouping", "without"}, ...]}]}, the aggregations innermost first.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/prometheus/prometheus/promql/parser"
)

type Aggregation struct {
	Op       string   `json:"op"`
	Grouping []string `json:"grouping"`
	Without  bool     `json:"without"`
}

type Selector struct {
	Metric       string        `json:"metric"`
	Aggregations []Aggregation `json:"aggregations"`
}

type Result struct {
	Expr      string     `json:"expr"`
	Error     string     `json:"error,omitempty"`
	Selectors []Selector `json:"selectors"`
}

func main() {
	if err := run(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "promql:", err)
		os.Exit(1)
	}
}

func run(r io.Reader, w io.Writer) error {
	var exprs []string
	if err := json.NewDecoder(r).Decode(&exprs); err != nil {
		return fmt.Errorf("stdin must be a JSON array of strings: %w", err)
	}
	results := make([]Result, 0, len(exprs))
	for _, e := range exprs {
		results = append(results, analyse(e))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(results)
}

func analyse(expr string) Result {
	res := Result{Expr: expr, Selectors: []Selector{}}
	node, err := parser.ParseExpr(expr)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	parser.Inspect(node, func(n parser.Node, path []parser.Node) error {
		vs, ok := n.(*parser.VectorSelector)
		if !ok {
			return nil
		}
		sel := Selector{Metric: vs.Name, Aggregations: []Aggregation{}}
		if sel.Metric == "" {
			for _, m := range vs.LabelMatchers {
				if m.Name == "__name__" {
					sel.Metric = m.Value
				}
			}
		}
		for i := len(path) - 1; i >= 0; i-- {
			if agg, ok := path[i].(*parser.AggregateExpr); ok {
				grouping := agg.Grouping
				if grouping == nil {
					grouping = []string{}
				}
				sel.Aggregations = append(sel.Aggregations, Aggregation{Op: agg.Op.String(), Grouping: grouping, Without: agg.Without})
			}
		}
		res.Selectors = append(res.Selectors, sel)
		return nil
	})
	return res
}
