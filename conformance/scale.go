package conformance

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/machine-conformance/machine-conformance/internal/drivercalls"
)

// scalePerMachine is what each machine adds to the time a scale spec
// waits, on top of Config.Timeout: generous for a simulator (the
// reference controller takes about 30 machines a second on 2 cores) and
// for most clouds' APIs.
const scalePerMachine = 500 * time.Millisecond

// The scale group runs only when Config.ScaleMachines is set (the CLI's
// --scale-machines, with --ginkgo.label-filter=scale to run it alone).
var _ = describeGroup("scale", func(env func() *harness) {
	It("takes a MachineSet of many machines to Running and back to none, with no failed call, duplicate VM or leak [MUST]", func(ctx SpecContext) {
		h := env()
		h.referenceOnly("MachineSets are reconciled by machine-controller-manager itself, not by the provider's machine controller")
		enforce(ruleLifecycle)
		n := h.cfg.ScaleMachines
		budget := h.cfg.Timeout + time.Duration(n)*scalePerMachine
		_, _, err := h.newClass(ctx, "scale")
		Expect(err).NotTo(HaveOccurred())
		labels := map[string]string{"conformance-set": "scale"}
		ms := &v1alpha1.MachineSet{
			ObjectMeta: metav1.ObjectMeta{Namespace: h.namespace, Name: "scale"},
			Spec: v1alpha1.MachineSetSpec{Replicas: int32(n), Selector: &metav1.LabelSelector{MatchLabels: labels},
				MachineClass: v1alpha1.ClassSpec{Kind: "MachineClass", Name: "scale"},
				Template: v1alpha1.MachineTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels},
					Spec: v1alpha1.MachineSpec{Class: v1alpha1.ClassSpec{Kind: "MachineClass", Name: "scale"}}}},
		}
		firstCall := h.trace.callCount()
		start := time.Now()
		Expect(h.admin.Create(ctx, ms)).To(Succeed())
		h.spec.addMachineSet(ms)

		By(fmt.Sprintf("waiting up to %s for %d Running machines", budget.Round(time.Second), n))
		running := h.waitForScale(ctx, labels, budget, func(s scaleState) (bool, string) {
			if s.total > n {
				return false, fmt.Sprintf("the MachineSet of %d has %d machines", n, s.total)
			}
			return s.phases[v1alpha1.MachineRunning] == n, ""
		})
		up := time.Since(start)

		By("checking every machine has a VM of its own, and ListMachines lists exactly those")
		enforce(ruleCreateResponse)
		byVM := map[string][]string{}
		for _, m := range running {
			byVM[m.Spec.ProviderID] = append(byVM[m.Spec.ProviderID], m.Name)
		}
		for id, names := range byVM {
			Expect(names).To(HaveLen(1), "machines %v share the VM %s: each machine needs a VM of its own", names, id)
		}
		if listed := listVMs(ctx, h, "scale"); listed != nil {
			enforce(ruleListAll)
			h.trackStrays(ctx, "scale", listed, byVM)
			ids := slices.Sorted(maps.Keys(listed))
			Expect(ids).To(HaveLen(n), "ListMachines lists %d VMs for the class of %d Running machines: %s",
				len(ids), n, sample(ids, 5))
			for id := range listed {
				Expect(byVM).To(HaveKey(id), "ListMachines lists VM %s, which no machine of the MachineSet carries", id)
			}
		}

		By("scaling to zero")
		Expect(h.admin.Get(ctx, client.ObjectKeyFromObject(ms), ms)).To(Succeed())
		patch := client.MergeFrom(ms.DeepCopy())
		ms.Spec.Replicas = 0
		Expect(h.admin.Patch(ctx, ms, patch)).To(Succeed())
		start = time.Now()
		h.waitForScale(ctx, labels, budget, func(s scaleState) (bool, string) { return s.total == 0, "" })
		down := time.Since(start)
		if listed := listVMs(ctx, h, "scale"); len(listed) > 0 {
			h.trackStrays(ctx, "scale", listed, nil)
			Fail(fmt.Sprintf("after every machine was deleted, ListMachines still lists %d VMs of the class: %s",
				len(listed), sample(slices.Sorted(maps.Keys(listed)), 5)))
		}

		By("checking no driver call failed")
		enforce(ruleErrorScheme)
		failed := unexpectedCodes(h.trace.callsSince(firstCall))
		Expect(failed).To(BeEmpty(), "with nothing injected, the driver answered errors while %d machines came and went: %s", n, strings.Join(failed, "; "))
		AddReportEntry(noteEntry, fmt.Sprintf("%d machines Running in %s (%.1f/s), all deleted in %s (%.1f/s)",
			n, up.Round(100*time.Millisecond), float64(n)/up.Seconds(), down.Round(100*time.Millisecond), float64(n)/down.Seconds()))
	})
})

// trackStrays hands the VMs ListMachines listed that no machine carries to
// the spec's teardown, which deletes them through DeleteMachine: a spec
// that finds them fails, and must not leave them behind either.
func (h *harness) trackStrays(ctx context.Context, className string, listed map[string]string, carried map[string][]string) {
	GinkgoHelper()
	cls, sec := classAndSecret(ctx, h, className)
	for id, name := range listed {
		if _, ok := carried[id]; !ok {
			trackVM(h, request{machine: &v1alpha1.Machine{ObjectMeta: metav1.ObjectMeta{Namespace: h.namespace, Name: name}},
				class: cls, secret: sec}, id)
		}
	}
}

// scaleState is what one look at a MachineSet's machines saw.
type scaleState struct {
	total  int
	phases map[v1alpha1.MachinePhase]int
}

func (s scaleState) String() string {
	keys := slices.Sorted(maps.Keys(s.phases))
	parts := make([]string, 0, len(keys))
	for _, p := range keys {
		name := string(p)
		if name == "" {
			name = "no phase"
		}
		parts = append(parts, fmt.Sprintf("%d %s", s.phases[p], name))
	}
	return fmt.Sprintf("%d machines (%s)", s.total, strings.Join(parts, ", "))
}

// waitForScale polls the set's machines until done says so. A machine that
// Failed or went to CrashLoopBackOff ends the wait at once with its last
// operation: nothing was injected, so any of them is a failed call. It
// returns the machines last seen.
func (h *harness) waitForScale(ctx context.Context, labels map[string]string, budget time.Duration,
	done func(scaleState) (bool, string)) []v1alpha1.Machine {
	GinkgoHelper()
	var last []v1alpha1.Machine
	var state scaleState
	Eventually(func(g Gomega) {
		list := &v1alpha1.MachineList{}
		g.Expect(h.admin.List(ctx, list, client.InNamespace(h.namespace), client.MatchingLabels(labels))).To(Succeed())
		state = scaleState{total: len(list.Items), phases: map[v1alpha1.MachinePhase]int{}}
		for i := range list.Items {
			m := &list.Items[i]
			state.phases[m.Status.CurrentStatus.Phase]++
			switch m.Status.CurrentStatus.Phase {
			case v1alpha1.MachineFailed, v1alpha1.MachineCrashLoopBackOff:
				StopTrying(fmt.Sprintf("machine %s is %s with nothing injected: %s; %s",
					m.Name, m.Status.CurrentStatus.Phase, m.Status.LastOperation.Description, state)).Now()
			}
		}
		ok, why := done(state)
		if why != "" {
			StopTrying(why + "; " + state.String()).Now()
		}
		last = list.Items
		g.Expect(ok).To(BeTrue(), "after %s: %s", budget, state)
	}).WithContext(ctx).WithTimeout(budget).WithPolling(time.Second).Should(Succeed())
	return last
}

// unexpectedCodes lists, by method and code, the driver calls that answered
// something other than OK, or NotFound where the contract expects it (a
// machine without a VM yet, a VM already gone).
func unexpectedCodes(calls []drivercalls.Call) []string {
	counts := map[string]int{}
	for _, c := range calls {
		switch {
		case c.Code == "OK":
		case c.Code == "NotFound" && (c.Method == "GetMachineStatus" || c.Method == "DeleteMachine" || c.Method == "InitializeMachine"):
		case c.Code == "Unimplemented" && (c.Method == "InitializeMachine" || c.Method == "GetMachineStatus"):
		default:
			counts[c.Method+" "+c.Code]++
		}
	}
	keys := slices.Sorted(maps.Keys(counts))
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, fmt.Sprintf("%s ×%d", k, counts[k]))
	}
	return out
}

// sample names the first few of ids, which come sorted.
func sample(ids []string, n int) string {
	if len(ids) <= n {
		return strings.Join(ids, ", ")
	}
	return strings.Join(ids[:n], ", ") + fmt.Sprintf(" and %d more", len(ids)-n)
}
