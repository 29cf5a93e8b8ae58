package conformance

import (
	"encoding/base64"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"sync"
)

// minSecretLen is the shortest secret value the scanner looks for: shorter
// ones ("true", "1") appear in any text and prove nothing.
const minSecretLen = 6

// secretScanner looks for the values of the class Secret in everything the
// driver, the controller and the suite itself print or write: a value seen
// anywhere is a leak. It also redacts those values from the suite's own
// messages. Values are matched as they are, base64-encoded (a Secret printed
// as JSON) and as Go prints a []byte with %v.
type secretScanner struct {
	mu     sync.Mutex
	forms  map[string]string          // a printed form of a value → its secret key
	found  map[string]map[string]bool // secret key → sources it appeared in
	maxLen int
}

func newSecretScanner(secrets ...map[string][]byte) *secretScanner {
	s := &secretScanner{forms: map[string]string{}, found: map[string]map[string]bool{}}
	for _, data := range secrets {
		for key, raw := range data {
			v := strings.TrimSpace(string(raw))
			if len(v) < minSecretLen {
				continue
			}
			for _, form := range []string{v, base64.StdEncoding.EncodeToString(raw), fmt.Sprint(raw)} {
				s.forms[form] = key
				s.maxLen = max(s.maxLen, len(form))
			}
		}
	}
	return s
}

// scan records which secret values text contains, and where it came from.
func (s *secretScanner) scan(source, text string) {
	if s == nil || text == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for form, key := range s.forms {
		if strings.Contains(text, form) {
			if s.found[key] == nil {
				s.found[key] = map[string]bool{}
			}
			s.found[key][source] = true
		}
	}
}

// redact replaces every secret value in text with <secret key>.
func (s *secretScanner) redact(text string) string {
	if s == nil {
		return text
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	// Longest forms first, so a value inside another is not half-replaced.
	forms := slices.SortedFunc(maps.Keys(s.forms), func(a, b string) int { return len(b) - len(a) })
	for _, form := range forms {
		text = strings.ReplaceAll(text, form, "<value of secret key "+s.forms[form]+">")
	}
	return text
}

// findings lists, per secret key, where its value appeared, without the value.
func (s *secretScanner) findings() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, key := range slices.Sorted(maps.Keys(s.found)) {
		out = append(out, fmt.Sprintf("the value of secret key %q appeared in %s", key,
			strings.Join(slices.Sorted(maps.Keys(s.found[key])), ", ")))
	}
	return out
}

// stream returns a writer that scans what passes through it as source,
// also across the boundaries of writes.
func (s *secretScanner) stream(source string) io.Writer {
	return &scanWriter{s: s, source: source}
}

type scanWriter struct {
	s      *secretScanner
	source string
	mu     sync.Mutex
	tail   string // the end of earlier writes, to catch a value split across two
}

func (w *scanWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	text := w.tail + string(p)
	w.s.scan(w.source, text)
	if keep := w.s.maxLen - 1; keep > 0 && len(text) > keep {
		text = text[len(text)-keep:]
	}
	w.tail = text
	return len(p), nil
}
