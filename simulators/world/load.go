package world

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// LoadFile reads and validates the world in the YAML file at path. Errors
// are Errors whose lines start "path:line:".
func LoadFile(path string) (World, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return World{}, fmt.Errorf("reading world: %w", err)
	}
	return Load(path, data)
}

// Load parses and validates a world from YAML; name is the file name errors
// report. The world returned has derived values filled in (WithDefaults).
func Load(name string, data []byte) (World, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
		return World{}, Errors{{File: name, Message: "the world is empty: want accountID, credentials and regions"}}
	} else if err != nil {
		// yaml's syntax errors carry their own "line N" in their text.
		return World{}, Errors{{File: name, Message: "invalid YAML: " + err.Error()}}
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	lines := map[string]int{}
	var shape Errors
	walk(root, worldType, "", lines, &shape)
	if len(shape) > 0 {
		return World{}, located(name, shape, lines)
	}
	var w World
	if err := root.Decode(&w); err != nil { // walk checked every kind, so this is unexpected
		return World{}, Errors{{File: name, Message: err.Error()}}
	}
	if errs := w.problems(); len(errs) > 0 {
		return World{}, located(name, errs, lines)
	}
	return w.WithDefaults(), nil
}

// located gives errors the file name and the line of their path (or of
// the nearest enclosing field) and sorts them by line.
func located(name string, errs Errors, lines map[string]int) Errors {
	for _, e := range errs {
		e.File = name
		if e.Line == 0 {
			e.Line = lineOf(e.Path, lines)
		}
		if e.FirstPath != "" {
			e.FirstLine = lineOf(e.FirstPath, lines)
		}
	}
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Line < errs[j].Line })
	return errs
}

func lineOf(path string, lines map[string]int) int {
	for path != "" {
		if l, ok := lines[path]; ok {
			return l
		}
		cut := strings.LastIndexAny(path, ".[")
		if cut < 0 {
			break
		}
		path = path[:cut]
	}
	return lines[""]
}
