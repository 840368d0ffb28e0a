// Command kstatus prints the kstatus verdict (sigs.k8s.io/cli-utils/pkg/kstatus/status.Compute)
// for Kubernetes objects read as JSON on stdin: one object, a List, or a JSON array.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

type Result struct {
	Kind      string `json:"kind"`
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	Status    string `json:"status"`
	Message   string `json:"message"`
}

func main() {
	if err := run(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "kstatus:", err)
		os.Exit(1)
	}
}

func run(r io.Reader, w io.Writer) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	objs, err := parse(data)
	if err != nil {
		return err
	}
	results := []Result{}
	for i, obj := range objs {
		res, err := status.Compute(obj)
		if err != nil {
			return fmt.Errorf("object %d (%s %s/%s): %w", i, obj.GetKind(), obj.GetNamespace(), obj.GetName(), err)
		}
		results = append(results, Result{
			Kind: obj.GetKind(), Namespace: obj.GetNamespace(), Name: obj.GetName(),
			Status: res.Status.String(), Message: res.Message,
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(results)
}

// parse accepts one object, a List (kind List or any *List kind with items, as kubectl prints)
// or a JSON array of objects.
func parse(data []byte) ([]*unstructured.Unstructured, error) {
	// apimachinery's json keeps integers as int64, as unstructured accessors expect
	// (encoding/json would make metadata.generation a float64, which reads as 0).
	var doc any
	if err := utiljson.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("input is not JSON: %w", err)
	}
	items, isArray := doc.([]any)
	if !isArray {
		obj, ok := doc.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("input is neither a JSON object nor an array")
		}
		items = []any{obj}
		if kind, _ := obj["kind"].(string); strings.HasSuffix(kind, "List") {
			list, ok := obj["items"].([]any)
			if !ok && obj["items"] != nil {
				return nil, fmt.Errorf("items of %s is not an array", kind)
			}
			items = list
		}
	}
	objs := make([]*unstructured.Unstructured, 0, len(items))
	for i, item := range items {
		m, ok := item.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("item %d is not an object", i)
		}
		obj := &unstructured.Unstructured{Object: m}
		if obj.GetKind() == "" {
			return nil, fmt.Errorf("item %d has no kind", i)
		}
		objs = append(objs, obj)
	}
	return objs, nil
}
