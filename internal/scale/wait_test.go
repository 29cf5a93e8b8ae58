package scale

import (
	"context"
	"strconv"
	"testing"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// pagedMachines serves List of its machines in pages, as the API server
// does with limit and continue; every other method is nil's (it panics).
type pagedMachines struct {
	client.Client
	machines []v1alpha1.Machine
	lists    int
}

func (p *pagedMachines) List(_ context.Context, list client.ObjectList, opts ...client.ListOption) error {
	o := (&client.ListOptions{}).ApplyOptions(opts)
	p.lists++
	from := 0
	if o.Continue != "" {
		from, _ = strconv.Atoi(o.Continue)
	}
	to := len(p.machines)
	if o.Limit > 0 {
		to = min(to, from+int(o.Limit))
	}
	l := list.(*v1alpha1.MachineList)
	l.Items = append(l.Items[:0], p.machines[from:to]...)
	if to < len(p.machines) {
		l.Continue = strconv.Itoa(to)
	}
	return nil
}

func TestExactReadsEveryPage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name           string
		total, running int
		wantLists      int
	}{
		{name: "none", wantLists: 1},
		{name: "less than a page", total: 3, running: 2, wantLists: 1},
		{name: "one full page", total: exactPage, running: exactPage, wantLists: 1},
		{name: "several pages, the last one short", total: 2*exactPage + 7, running: exactPage + 1, wantLists: 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := &pagedMachines{}
			for i := range tc.total {
				m := v1alpha1.Machine{}
				if i < tc.running {
					m.Status.CurrentStatus.Phase = v1alpha1.MachineRunning
				}
				p.machines = append(p.machines, m)
			}
			got, err := exact(context.Background(), p, "ns")
			if err != nil {
				t.Fatal(err)
			}
			if got != (counts{total: tc.total, running: tc.running}) || p.lists != tc.wantLists {
				t.Errorf("exact = %+v in %d lists, want %d machines, %d Running in %d lists", got, p.lists, tc.total, tc.running, tc.wantLists)
			}
		})
	}
}
