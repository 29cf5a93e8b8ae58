package world

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

var worldType = reflect.TypeFor[World]()

// walk checks node n against Go type t before anything is decoded: every
// mapping key must be a field of the struct, every value of the kind the
// field wants. It records the line of every path it visits, so validation
// errors found later can be located.
func walk(n *yaml.Node, t reflect.Type, path string, lines map[string]int, errs *Errors) {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	lines[path] = n.Line
	bad := func(want string) {
		*errs = append(*errs, &Error{Path: path, Line: n.Line, Message: fmt.Sprintf("%s: want %s, got %s", display(path), want, describe(n))})
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return // an empty value is the zero value; validation judges it
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			bad("a mapping")
			return
		}
		fields := yamlFields(t)
		first := map[string]int{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, value := n.Content[i], n.Content[i+1]
			field, ok := fields[key.Value]
			if !ok {
				*errs = append(*errs, &Error{Path: path, Line: key.Line, Message: fmt.Sprintf(
					"unknown field %q in %s (known fields: %s)", key.Value, noun(t), strings.Join(sortedKeys(fields), ", "))})
				continue
			}
			if line, dup := first[key.Value]; dup {
				*errs = append(*errs, &Error{Path: path, Line: key.Line, Message: fmt.Sprintf(
					"field %q is given twice in %s", key.Value, noun(t)), FirstLine: line})
				continue
			}
			first[key.Value] = key.Line
			walk(value, field.Type, join(path, key.Value), lines, errs)
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			bad("a list")
			return
		}
		for i, item := range n.Content {
			walk(item, t.Elem(), fmt.Sprintf("%s[%d]", path, i), lines, errs)
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			bad("a mapping of strings")
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			walk(n.Content[i+1], t.Elem(), join(path, n.Content[i].Value), lines, errs)
		}
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			bad("a string")
		}
	case reflect.Int:
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" {
			bad("an integer")
		}
	default:
		panic("world: walk does not know " + t.String()) // a new field type needs a case here
	}
}

// yamlFields maps YAML keys to the struct's fields.
func yamlFields(t reflect.Type) map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if f.IsExported() && name != "-" && name != "" {
			out[name] = f
		}
	}
	return out
}

func sortedKeys(m map[string]reflect.StructField) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func display(path string) string {
	if path == "" {
		return "the world"
	}
	return path
}

// nouns name the struct types in messages.
var nouns = map[string]string{
	"World": "the world", "Credential": "a credential", "Region": "a region", "Image": "an image",
	"InstanceType": "an instance type", "VPC": "a VPC", "Subnet": "a subnet", "SecurityGroup": "a security group",
	"KeyPair": "a key pair", "InstanceProfile": "an instance profile", "Quotas": "quotas",
}

func noun(t reflect.Type) string {
	if n, ok := nouns[t.Name()]; ok {
		return n
	}
	return t.Name()
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	default:
		return fmt.Sprintf("%q", n.Value)
	}
}
