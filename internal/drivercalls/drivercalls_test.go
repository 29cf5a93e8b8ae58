package drivercalls

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/status"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// stubDriver answers every call with err.
type stubDriver struct {
	driver.Driver
	err error
}

func (s stubDriver) CreateMachine(context.Context, *driver.CreateMachineRequest) (*driver.CreateMachineResponse, error) {
	return &driver.CreateMachineResponse{}, s.err
}

func TestWrapRecordsMethodMachineClassAndCode(t *testing.T) {
	t.Parallel()
	req := &driver.CreateMachineRequest{
		Machine:      &v1alpha1.Machine{ObjectMeta: metav1.ObjectMeta{Name: "m1"}},
		MachineClass: &v1alpha1.MachineClass{ObjectMeta: metav1.ObjectMeta{Name: "c1"}},
	}
	tests := []struct {
		err  error
		want string
	}{
		{nil, "OK"},
		{status.Error(codes.ResourceExhausted, "quota"), "ResourceExhausted"},
		{errors.New("plain"), "not-a-status"},
	}
	for _, tt := range tests {
		var got []Call
		d := Wrap(stubDriver{err: tt.err}, func(c Call) { got = append(got, c) })
		_, _ = d.CreateMachine(context.Background(), req)
		if len(got) != 1 {
			t.Fatalf("recorded %d calls, want 1", len(got))
		}
		c := got[0]
		if c.Method != "CreateMachine" || c.Machine != "m1" || c.Class != "c1" || c.Code != tt.want {
			t.Errorf("recorded %+v, want CreateMachine of m1 in c1 answering %s", c, tt.want)
		}
	}
}

func TestFileRoundTripAndErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "calls.jsonl")
	f, err := OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f.Record(Call{Method: "GetMachineStatus", Machine: "a", Code: "NotFound"})
	f.Record(Call{Method: "CreateMachine", Machine: "a", Code: "OK"})
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	calls, err := ReadFile(path)
	if err != nil || len(calls) != 2 || calls[1].Method != "CreateMachine" {
		t.Fatalf("ReadFile = %+v, %v; want the two calls recorded", calls, err)
	}

	// A last line cut short by a writer at work is left out.
	torn := filepath.Join(dir, "torn.jsonl")
	if err := os.WriteFile(torn, []byte(`{"method":"CreateMachine","code":"OK"}`+"\n"+`{"method":"Dele`), 0o600); err != nil {
		t.Fatal(err)
	}
	if calls, err := ReadFile(torn); err != nil || len(calls) != 1 {
		t.Fatalf("ReadFile of a torn last line = %+v, %v; want one call, no error", calls, err)
	}
	// A malformed line before the last is an error naming file and line.
	bad := filepath.Join(dir, "bad.jsonl")
	if err := os.WriteFile(bad, []byte("garbage\n"+`{"method":"CreateMachine","code":"OK"}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(bad); err == nil || !strings.Contains(err.Error(), bad+":1:") {
		t.Fatalf("ReadFile of a malformed line = %v; want an error naming %s:1", err, bad)
	}
	// A missing file holds no calls.
	if calls, err := ReadFile(filepath.Join(dir, "none")); err != nil || len(calls) != 0 {
		t.Fatalf("ReadFile of a missing file = %+v, %v", calls, err)
	}
}
