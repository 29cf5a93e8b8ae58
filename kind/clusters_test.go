package kind

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"sigs.k8s.io/kind/pkg/log"
)

func TestUp(t *testing.T) {
	t.Parallel()
	sameConfig := Options{Name: "c1"}
	otherConfig := Options{Name: "c1", NodeImage: "other:v1"}
	cases := []struct {
		name string
		// before sets the provider up; nil means no cluster exists.
		before       func(p *fakeProvider, c *Clusters)
		wantReused   bool
		wantReplaced bool
		wantCalls    []string
	}{
		{
			name:      "creates a missing cluster",
			wantCalls: []string{"create c1"},
		},
		{
			name:       "reuses a cluster made from the same configuration",
			before:     func(p *fakeProvider, c *Clusters) { mustUp(t, c, sameConfig) },
			wantReused: true,
			wantCalls:  []string{"create c1", "export c1"},
		},
		{
			name:         "replaces a cluster made from another configuration",
			before:       func(p *fakeProvider, c *Clusters) { mustUp(t, c, otherConfig) },
			wantReplaced: true,
			wantCalls:    []string{"create c1", "delete c1", "create c1"},
		},
		{
			name: "replaces a cluster whose API server does not answer",
			before: func(p *fakeProvider, c *Clusters) {
				mustUp(t, c, sameConfig)
				p.clusters["c1"].apiServerDown = true
			},
			wantReplaced: true,
			wantCalls:    []string{"create c1", "delete c1", "create c1"},
		},
		{
			name: "replaces a cluster this package did not make",
			before: func(p *fakeProvider, c *Clusters) {
				mustUp(t, c, sameConfig)
				delete(p.clusters["c1"].files, renderedConfigPath)
			},
			wantReplaced: true,
			wantCalls:    []string{"create c1", "delete c1", "create c1"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := newFakeProvider()
			c := &Clusters{provider: p, logger: log.NoopLogger{}}
			if tc.before != nil {
				tc.before(p, c)
			}
			got, err := c.Up(sameConfig)
			if err != nil {
				t.Fatalf("Up: %v", err)
			}
			if got.Reused != tc.wantReused || (got.Replaced != "") != tc.wantReplaced {
				t.Errorf("Up = %+v, want Reused %v, replaced %v", got, tc.wantReused, tc.wantReplaced)
			}
			if !slices.Equal(p.calls, tc.wantCalls) {
				t.Errorf("provider calls = %q, want %q", p.calls, tc.wantCalls)
			}
			want, _ := Render(sameConfig)
			if kept := p.clusters["c1"].files[renderedConfigPath]; kept != string(want) {
				t.Errorf("configuration kept on the node = %q, want the rendered one", kept)
			}
		})
	}
}

func mustUp(t *testing.T, c *Clusters, opts Options) {
	t.Helper()
	if _, err := c.Up(opts); err != nil {
		t.Fatalf("Up(%+v): %v", opts, err)
	}
}

func TestErrorsNameClusterAndFile(t *testing.T) {
	t.Parallel()
	archive := filepath.Join(t.TempDir(), "images.tar")
	if err := os.WriteFile(archive, []byte("not an archive"), 0o644); err != nil {
		t.Fatal(err)
	}
	kindFailure := errors.New("kind failed")
	cases := []struct {
		name     string
		run      func(c *Clusters, p *fakeProvider) error
		wantOp   Operation
		wantErr  error
		wantFile string
	}{
		{
			name: "create fails",
			run: func(c *Clusters, p *fakeProvider) error {
				p.createErr = kindFailure
				_, err := c.Up(Options{Name: "c2"})
				return err
			},
			wantOp: OperationCreate, wantErr: kindFailure,
		},
		{
			name:   "kubeconfig of a missing cluster",
			run:    func(c *Clusters, _ *fakeProvider) error { return c.ExportKubeconfig(Options{Name: "c2"}) },
			wantOp: OperationExportKubeconfig, wantErr: ErrClusterNotFound,
		},
		{
			name:   "image archive into a missing cluster",
			run:    func(c *Clusters, _ *fakeProvider) error { return c.LoadImageArchive(Options{Name: "c2"}, archive) },
			wantOp: OperationLoadImageArchive, wantErr: ErrClusterNotFound, wantFile: archive,
		},
		{
			name: "missing image archive",
			run: func(c *Clusters, _ *fakeProvider) error {
				return c.LoadImageArchive(Options{Name: "c2"}, archive+".missing")
			},
			wantOp: OperationLoadImageArchive, wantErr: os.ErrNotExist, wantFile: archive + ".missing",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := newFakeProvider()
			err := tc.run(&Clusters{provider: p, logger: log.NoopLogger{}}, p)
			var opErr *OperationError
			if !errors.As(err, &opErr) {
				t.Fatalf("error = %v, want *OperationError", err)
			}
			if opErr.Op != tc.wantOp || opErr.Cluster != "c2" || opErr.File != tc.wantFile {
				t.Errorf("OperationError = %+v, want op %q, cluster c2, file %q", opErr, tc.wantOp, tc.wantFile)
			}
			if !errors.Is(err, tc.wantErr) {
				t.Errorf("error = %v, want it to wrap %v", err, tc.wantErr)
			}
		})
	}
}
