package conformance

import (
	"cmp"
	"context"
	"fmt"
	"sync"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// defaultListPageSize is EC2's DescribeInstances page, for providers that
// declare none.
const defaultListPageSize = 1000

// Specs on what a driver sees of the cloud: only its own cluster's VMs, and
// all of them.
var _ = describeGroup("driver", func(env func() *harness) {
	It("GetMachineStatus does not report another cluster's VM of the same machine name [MUST]", func(ctx SpecContext) {
		h := env()
		enforce(ruleOwnCluster)
		if h.cfg.Provider.ForeignProviderSpec == nil {
			Skip("the provider declares no ForeignProviderSpec, so no other cluster's VM can be made")
		}
		foreign := newRequest(h, "drv-foreign-status", h.cfg.Provider.ForeignProviderSpec, h.cfg.Provider.SampleSecret)
		theirs, err := foreign.create(ctx, h)
		expectCode(err, "CreateMachine with the ForeignProviderSpec", codes.OK)
		st, err := sampleRequest(h, "drv-foreign-status").status(ctx, h)
		expectCode(err, fmt.Sprintf("GetMachineStatus with our class while only another cluster's VM %s carries the machine's name",
			theirs.ProviderID), codes.NotFound, codes.Unimplemented)
		if err == nil && st != nil {
			Fail(fmt.Sprintf("GetMachineStatus with our class reported VM %s of another cluster", st.ProviderID))
		}
	})

	It("ListMachines returns every VM of the class, past the cloud's page size [MUST]", Label("paging"), func(ctx SpecContext) {
		h := env()
		enforce(ruleListAll)
		n := cmp.Or(h.cfg.Provider.ListPageSize, defaultListPageSize) + 100
		probe := sampleRequest(h, "drv-pages-probe")
		if _, err := probe.list(ctx, h); err != nil {
			expectCode(err, "ListMachines", codes.OK, codes.Unimplemented)
			Skip("ListMachines is not implemented: orphan VMs cannot be found by the safety sweep")
		}
		want := createMany(ctx, h, n, "drv-pages")
		listed, err := probe.list(ctx, h)
		expectCode(err, fmt.Sprintf("ListMachines with %d VMs of the class", n), codes.OK)
		var missing []string
		for id := range want {
			if _, ok := listed[id]; !ok {
				missing = append(missing, id)
			}
		}
		Expect(missing).To(BeEmpty(), "ListMachines listed %d of the class's %d VMs (the cloud pages at %d): %d missing, e.g. %v",
			len(listed), n, cmp.Or(h.cfg.Provider.ListPageSize, defaultListPageSize), len(missing), missing[:min(3, len(missing))])
	})
})

// createMany makes n VMs of the sample class through the driver, with 8
// calls in flight, and returns their ProviderIDs with machine names.
func createMany(ctx context.Context, h *harness, n int, prefix string) map[string]string {
	GinkgoHelper()
	var (
		mu      sync.Mutex
		created = map[string]string{}
		errs    []error
		next    = make(chan int)
		wg      sync.WaitGroup
	)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				r := sampleRequest(h, fmt.Sprintf("%s-%04d", prefix, i))
				h.hold(r.machine.Name) // a thousand nodes would only slow the run
				resp, err := h.driver.CreateMachine(ctx, r.createRequest())
				mu.Lock()
				if err != nil {
					errs = append(errs, err)
				} else {
					created[resp.ProviderID] = r.machine.Name
					trackVM(h, r, resp.ProviderID)
				}
				mu.Unlock()
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	if len(errs) > 0 {
		Fail(fmt.Sprintf("CreateMachine of %d VMs: %d failed, the first with %v", n, len(errs), h.redact(errs[0].Error())))
	}
	return created
}
