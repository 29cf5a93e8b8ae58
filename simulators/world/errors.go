package world

import (
	"fmt"
	"strings"
)

// Error is one problem with a world, located by file and line when the
// world came from a file and by field path when it came from Go.
type Error struct {
	File string // empty for a world built in Go
	Line int    // 0 when unknown
	// Path is the field, e.g. regions[0].subnets[1].vpc.
	Path    string
	Message string
	// FirstPath and FirstLine locate the earlier definition a duplicate repeats.
	FirstPath string
	FirstLine int
}

func (e *Error) Error() string {
	var b strings.Builder
	switch {
	case e.File != "" && e.Line > 0:
		fmt.Fprintf(&b, "%s:%d: %s", e.File, e.Line, e.Message)
	case e.File != "" && e.Path != "":
		fmt.Fprintf(&b, "%s: %s: %s", e.File, e.Path, e.Message)
	case e.File != "":
		fmt.Fprintf(&b, "%s: %s", e.File, e.Message)
	default:
		fmt.Fprintf(&b, "world: %s: %s", e.Path, e.Message)
	}
	switch {
	case e.FirstLine > 0:
		fmt.Fprintf(&b, " (first at line %d)", e.FirstLine)
	case e.FirstPath != "":
		fmt.Fprintf(&b, " (first at %s)", e.FirstPath)
	}
	return b.String()
}

// Errors are all the problems found, one per line, in file order.
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// problems collects Errors while validating.
type problems struct{ list Errors }

func (p *problems) add(path, format string, args ...any) {
	p.list = append(p.list, &Error{Path: path, Message: fmt.Sprintf(format, args...)})
}

// seen records first definitions, to report duplicates.
type seen map[string]string

// dup records key at path and reports it when it was seen before.
func (p *problems) dup(s seen, key, path, format string, args ...any) {
	if first, ok := s[key]; ok {
		p.list = append(p.list, &Error{Path: path, Message: fmt.Sprintf(format, args...), FirstPath: first})
		return
	}
	s[key] = path
}
