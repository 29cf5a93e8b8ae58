package conformance

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	"github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/util/wait"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/machine-conformance/machine-conformance/controller"
	"github.com/machine-conformance/machine-conformance/internal/providerid"
	"github.com/machine-conformance/machine-conformance/providers"
)

// tracker records everything one spec creates, as csi-sanity's resource
// tracker does, so that the spec's own teardown removes it whatever its
// assertions did, and reports against that spec, by name and VM ID,
// whatever could not be removed.
type tracker struct {
	machineSets []*v1alpha1.MachineSet
	machines    []*v1alpha1.Machine
	classes     []*v1alpha1.MachineClass
	secrets     []*corev1.Secret
	vms         []trackedVM
	// liveBefore holds the VMs alive before the spec began (by vmKey), when
	// the simulator can tell: any other VM alive after teardown leaked.
	liveBefore map[string]bool
	// started is when the spec began, for the trace's driver calls.
	started time.Time
}

// trackedVM is a VM made by a direct driver call (not through a Machine).
type trackedVM struct {
	r          request
	providerID string
}

func (t *tracker) addMachineSet(ms *v1alpha1.MachineSet) { t.machineSets = append(t.machineSets, ms) }
func (t *tracker) addMachine(m *v1alpha1.Machine)        { t.machines = append(t.machines, m) }
func (t *tracker) addClass(c *v1alpha1.MachineClass)     { t.classes = append(t.classes, c) }
func (t *tracker) addSecret(s *corev1.Secret)            { t.secrets = append(t.secrets, s) }
func (t *tracker) addVM(r request, providerID string) {
	t.vms = append(t.vms, trackedVM{r: r, providerID: providerID})
}

// beginSpec starts tracking a spec.
func (h *harness) beginSpec() {
	h.spec = &tracker{started: time.Now()}
	if c, ok := h.simulator.(providers.Chaos); ok {
		h.spec.liveBefore = map[string]bool{}
		for _, id := range c.LiveVMs() {
			h.spec.liveBefore[providerid.VMKey(id)] = true
		}
	}
}

// endSpec tears the spec's objects down in the order the controller needs
// (machine sets, machines, then their classes and secrets, then VMs made
// by direct driver calls) and fails the spec, naming each, for what is
// stuck or leaked.
func (h *harness) endSpec(ctx context.Context) {
	t := h.spec
	h.spec = nil
	if t == nil {
		return
	}
	traced := tracedSpec(ginkgo.CurrentSpecReport())
	var cloud specCloud
	if traced {
		cloud = h.cloudAtEnd(ctx, t)
	}
	var problems []string
	problems = append(problems, h.removeMachines(ctx, t)...)
	problems = append(problems, h.removeClasses(ctx, t)...)
	problems = append(problems, h.deleteVMs(ctx, t.vms)...)
	problems = append(problems, h.leaks(ctx, t)...)
	if traced {
		h.attachTrace(ctx, t, cloud)
	}
	Expect(problems).To(BeEmpty(), "teardown of this spec: %s", strings.Join(problems, "; "))
}

// deleteVMs deletes VMs made by direct driver calls, 8 calls at a time.
func (h *harness) deleteVMs(ctx context.Context, vms []trackedVM) []string {
	var (
		mu       sync.Mutex
		problems []string
		wg       sync.WaitGroup
		next     = make(chan trackedVM)
	)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for vm := range next {
				if err := vm.r.delete(ctx, h, vm.providerID); err != nil {
					mu.Lock()
					problems = append(problems, fmt.Sprintf("DeleteMachine of VM %s (made for machine name %s): %s",
						vm.providerID, vm.r.machine.Name, h.redact(err.Error())))
					mu.Unlock()
				}
			}
		}()
	}
	for _, vm := range vms {
		next <- vm
	}
	close(next)
	wg.Wait()
	return problems
}

// removeMachines deletes the spec's machine sets and machines and waits
// until the controller has released them and their nodes.
func (h *harness) removeMachines(ctx context.Context, t *tracker) []string {
	machines := slices.Clone(t.machines)
	for _, ms := range t.machineSets {
		_ = client.IgnoreNotFound(h.admin.Delete(ctx, ms))
		owned := &v1alpha1.MachineList{}
		if ms.Spec.Selector != nil {
			_ = h.admin.List(ctx, owned, client.InNamespace(h.namespace), client.MatchingLabels(ms.Spec.Selector.MatchLabels))
		}
		for i := range owned.Items {
			machines = append(machines, &owned.Items[i])
		}
	}
	var nodes []string
	for _, m := range machines {
		cur, err := h.machine(ctx, m.Name)
		if err != nil {
			continue
		}
		h.scanMachine(cur)
		if name := cur.Labels[controller.NodeLabel]; name != "" {
			nodes = append(nodes, name)
		}
		if !h.classExists(ctx, cur.Spec.Class.Name) {
			h.releaseMachine(ctx, cur) // the controller cannot call the driver without a class
			continue
		}
		_ = client.IgnoreNotFound(h.admin.Delete(ctx, cur))
	}
	var problems []string
	for _, m := range machines {
		if !h.waitGone(ctx, &v1alpha1.Machine{ObjectMeta: m.ObjectMeta}) {
			cur, _ := h.machine(ctx, m.Name)
			problems = append(problems, fmt.Sprintf("machine %s stuck in deletion with finalizers %v, last operation %q",
				m.Name, cur.Finalizers, h.redact(cur.Status.LastOperation.Description)))
			h.releaseMachine(ctx, cur)
		}
	}
	for _, name := range nodes {
		node := &corev1.Node{}
		node.Name = name
		if h.nodeJoined(ctx, name) && !h.waitGone(ctx, node) {
			problems = append(problems, fmt.Sprintf("node %s still exists after its machine was deleted", name))
		}
	}
	return problems
}

// removeClasses deletes the spec's classes and secrets and waits until
// their finalizers are released.
func (h *harness) removeClasses(ctx context.Context, t *tracker) []string {
	var problems []string
	objs := make([]client.Object, 0, len(t.classes)+len(t.secrets))
	for _, c := range t.classes {
		objs = append(objs, c)
	}
	for _, s := range t.secrets {
		objs = append(objs, s)
	}
	for _, o := range objs {
		_ = client.IgnoreNotFound(h.admin.Delete(ctx, o))
	}
	for _, o := range objs {
		if h.waitGone(ctx, o) {
			continue
		}
		cur := o.DeepCopyObject().(client.Object)
		_ = h.admin.Get(ctx, client.ObjectKeyFromObject(o), cur)
		problems = append(problems, fmt.Sprintf("%T %s stuck in deletion with finalizers %v",
			o, o.GetName(), cur.GetFinalizers()))
		cur.SetFinalizers(nil)
		_ = h.admin.Update(ctx, cur)
	}
	return problems
}

// leaks lists the VMs the spec left alive: by the simulator's oracle when
// it has one, else by ListMachines of the classes of the spec's direct VMs.
func (h *harness) leaks(ctx context.Context, t *tracker) []string {
	var problems []string
	if c, ok := h.simulator.(providers.Chaos); ok && t.liveBefore != nil {
		_ = wait.PollUntilContextTimeout(ctx, poll, h.cfg.Timeout, true, func(context.Context) (bool, error) {
			return len(newVMs(c, t.liveBefore)) == 0, nil
		})
		for _, id := range newVMs(c, t.liveBefore) {
			problems = append(problems, fmt.Sprintf("leaked VM %s: alive in the cloud after every machine and VM of this spec was deleted", id))
			_ = c.Vanish(id) // keep the next spec's world clean
		}
		return problems
	}
	for _, vm := range t.vms {
		listed, err := vm.r.list(ctx, h)
		if err == nil && listed[vm.providerID] != "" {
			problems = append(problems, fmt.Sprintf("leaked VM %s (machine name %s): still listed after DeleteMachine", vm.providerID, vm.r.machine.Name))
		}
	}
	return problems
}

// newVMs lists the simulator's live VMs that were not alive before.
func newVMs(c providers.Chaos, before map[string]bool) []string {
	var ids []string
	for _, id := range c.LiveVMs() {
		if !before[providerid.VMKey(id)] {
			ids = append(ids, id)
		}
	}
	return ids
}

// waitGone waits (up to the run's timeout) until obj no longer exists.
func (h *harness) waitGone(ctx context.Context, obj client.Object) bool {
	gone := h.gone(ctx, obj)
	err := wait.PollUntilContextTimeout(ctx, poll, h.cfg.Timeout, true, func(context.Context) (bool, error) { return gone(), nil })
	return err == nil
}

func (h *harness) classExists(ctx context.Context, name string) bool {
	err := h.admin.Get(ctx, client.ObjectKey{Namespace: h.namespace, Name: name}, &v1alpha1.MachineClass{})
	return !apierrors.IsNotFound(err)
}

func (h *harness) nodeJoined(ctx context.Context, name string) bool {
	err := h.admin.Get(ctx, client.ObjectKey{Name: name}, &corev1.Node{})
	return err == nil
}

// releaseMachine strips a machine's finalizers and deletes it: for machines
// the controller cannot delete (no class), or that are stuck.
func (h *harness) releaseMachine(ctx context.Context, m *v1alpha1.Machine) {
	if m == nil || m.Name == "" {
		return
	}
	// Delete first: a machine not being deleted gets its finalizer back
	// from the controller as soon as it is stripped.
	_ = client.IgnoreNotFound(h.admin.Delete(ctx, m))
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_ = wait.PollUntilContextCancel(ctx, poll, true, func(context.Context) (bool, error) {
		cur := &v1alpha1.Machine{}
		if err := h.admin.Get(ctx, client.ObjectKeyFromObject(m), cur); err != nil {
			return apierrors.IsNotFound(err), nil
		}
		if len(cur.Finalizers) > 0 {
			patch := client.MergeFromWithOptions(cur.DeepCopy(), client.MergeFromWithOptimisticLock{})
			cur.Finalizers = nil
			_ = h.admin.Patch(ctx, cur, patch)
		}
		return false, nil
	})
}
