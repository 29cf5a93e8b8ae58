package kind

import (
	"context"
	"errors"
	"io"
	"slices"
	"strings"

	"sigs.k8s.io/kind/pkg/cluster"
	"sigs.k8s.io/kind/pkg/cluster/nodes"
	kindexec "sigs.k8s.io/kind/pkg/exec"
)

// fakeProvider plays kind's provider: clusters are names with one fake
// control plane node each, and every call is recorded.
type fakeProvider struct {
	clusters  map[string]*fakeNode
	calls     []string
	createErr error
}

var _ provider = (*fakeProvider)(nil)

func newFakeProvider() *fakeProvider {
	return &fakeProvider{clusters: map[string]*fakeNode{}}
}

func (p *fakeProvider) List() ([]string, error) {
	var names []string
	for name := range p.clusters {
		names = append(names, name)
	}
	slices.Sort(names)
	return names, nil
}

func (p *fakeProvider) Create(name string, _ ...cluster.CreateOption) error {
	p.calls = append(p.calls, "create "+name)
	if p.createErr != nil {
		return p.createErr
	}
	p.clusters[name] = &fakeNode{name: name + "-control-plane", files: map[string]string{}}
	return nil
}

func (p *fakeProvider) Delete(name, _ string) error {
	p.calls = append(p.calls, "delete "+name)
	delete(p.clusters, name)
	return nil
}

func (p *fakeProvider) ExportKubeConfig(name, _ string, _ bool) error {
	p.calls = append(p.calls, "export "+name)
	return nil
}

func (p *fakeProvider) ListInternalNodes(name string) ([]nodes.Node, error) {
	node, ok := p.clusters[name]
	if !ok {
		return nil, nil
	}
	return []nodes.Node{node}, nil
}

// fakeNode is a control plane node with a file system of its own; its API
// server answers unless apiServerDown is set.
type fakeNode struct {
	name          string
	files         map[string]string
	apiServerDown bool
}

func (n *fakeNode) String() string              { return n.name }
func (n *fakeNode) Role() (string, error)       { return "control-plane", nil }
func (n *fakeNode) IP() (string, string, error) { return "172.18.0.2", "", nil }
func (n *fakeNode) SerialLogs(io.Writer) error  { return nil }
func (n *fakeNode) Command(name string, args ...string) kindexec.Cmd {
	return &fakeCmd{node: n, argv: append([]string{name}, args...)}
}
func (n *fakeNode) CommandContext(_ context.Context, name string, args ...string) kindexec.Cmd {
	return n.Command(name, args...)
}

// fakeCmd understands the few commands Clusters and kind's nodeutils run.
type fakeCmd struct {
	node   *fakeNode
	argv   []string
	stdin  io.Reader
	stdout io.Writer
}

func (c *fakeCmd) SetEnv(...string) kindexec.Cmd      { return c }
func (c *fakeCmd) SetStdin(r io.Reader) kindexec.Cmd  { c.stdin = r; return c }
func (c *fakeCmd) SetStdout(w io.Writer) kindexec.Cmd { c.stdout = w; return c }
func (c *fakeCmd) SetStderr(io.Writer) kindexec.Cmd   { return c }

func (c *fakeCmd) Run() error {
	switch c.argv[0] {
	case "mkdir":
		return nil
	case "cp": // cp /dev/stdin DEST
		raw, err := io.ReadAll(c.stdin)
		c.node.files[c.argv[2]] = string(raw)
		return err
	case "cat":
		content, ok := c.node.files[c.argv[1]]
		if !ok {
			return errors.New("cat: no such file: " + c.argv[1])
		}
		_, err := io.WriteString(c.stdout, content)
		return err
	case "kubectl":
		if c.node.apiServerDown {
			return errors.New("connection refused")
		}
		return nil
	}
	return errors.New("fake node cannot run " + strings.Join(c.argv, " "))
}
