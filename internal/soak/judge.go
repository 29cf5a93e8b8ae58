package soak

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/machine-conformance/machine-conformance/internal/providerid"
)

// state is what the oracle and the API server say at one moment.
type state struct {
	running, machines int
	carried           map[string]string // vmKey → machine name, from Machines
	live              []string          // live VMs, from the simulator's oracle
	listedTwice       []string          // machine names ListMachines lists more than once
}

func (r *Runner) observe(ctx context.Context, namespace string, class *v1alpha1.MachineClass, secret *corev1.Secret) (state, error) {
	st := state{carried: map[string]string{}}
	list := &v1alpha1.MachineList{}
	if err := r.admin.List(ctx, list, client.InNamespace(namespace)); err != nil {
		return st, err
	}
	for _, m := range list.Items {
		st.machines++
		if m.Status.CurrentStatus.Phase == v1alpha1.MachineRunning && m.DeletionTimestamp.IsZero() {
			st.running++
		}
		if m.Spec.ProviderID != "" {
			st.carried[providerid.VMKey(m.Spec.ProviderID)] = m.Name
		}
	}
	st.live = r.chaos.LiveVMs()
	resp, err := r.lister.ListMachines(ctx, &driver.ListMachinesRequest{MachineClass: class, Secret: secret})
	if err != nil {
		return st, fmt.Errorf("ListMachines: %w", err)
	}
	seen := map[string]int{}
	for _, name := range resp.MachineList {
		if seen[name]++; seen[name] == 2 {
			st.listedTwice = append(st.listedTwice, name)
		}
	}
	return st, nil
}

// judgeGrown waits for the set to be Running at full size and for every
// live VM to belong to exactly one of its machines.
func (r *Runner) judgeGrown(ctx context.Context, namespace string, class *v1alpha1.MachineClass, secret *corev1.Secret, ms *v1alpha1.MachineSet) []string {
	return r.await(ctx, func() (bool, []string) {
		st, err := r.observe(ctx, namespace, class, secret)
		if err != nil {
			return false, []string{err.Error()}
		}
		var p []string
		if st.running != int(ms.Spec.Replicas) {
			p = append(p, fmt.Sprintf("%d of %d machines Running (%d machines)", st.running, ms.Spec.Replicas, st.machines))
		}
		for _, id := range st.live {
			if _, ok := st.carried[providerid.VMKey(id)]; !ok {
				p = append(p, "VM without a Machine: "+id)
			}
		}
		for _, name := range st.listedTwice {
			p = append(p, "Machine with two VMs: "+name)
		}
		return len(p) == 0, p
	})
}

// judgeShrunk waits for every machine and VM to be gone, then deletes set,
// class and secret and waits until their finalizers let them go.
func (r *Runner) judgeShrunk(ctx context.Context, namespace string, class *v1alpha1.MachineClass, secret *corev1.Secret, ms *v1alpha1.MachineSet) []string {
	problems := r.await(ctx, func() (bool, []string) {
		st, err := r.observe(ctx, namespace, class, secret)
		if err != nil {
			return false, []string{err.Error()}
		}
		var p []string
		if st.machines > 0 {
			p = append(p, fmt.Sprintf("%d machines left after scaling to 0", st.machines))
		}
		for _, id := range st.live {
			p = append(p, "VM without a Machine: "+id)
		}
		return len(p) == 0, p
	})
	for _, o := range []client.Object{ms, class, secret} {
		_ = client.IgnoreNotFound(r.admin.Delete(ctx, o))
	}
	problems = append(problems, r.await(ctx, func() (bool, []string) {
		var p []string
		for _, o := range []client.Object{ms, class, secret} {
			cur := o.DeepCopyObject().(client.Object)
			if err := r.admin.Get(ctx, client.ObjectKeyFromObject(o), cur); !apierrors.IsNotFound(err) {
				p = append(p, fmt.Sprintf("%T %s stuck with finalizers %v", o, o.GetName(), cur.GetFinalizers()))
			}
		}
		return len(p) == 0, p
	})...)
	if len(problems) > 0 {
		r.cleanUp(ctx, namespace)
	}
	return problems
}

// await polls check until it is satisfied or Settle passes, and returns
// what it last found wrong.
func (r *Runner) await(ctx context.Context, check func() (bool, []string)) []string {
	deadline := time.Now().Add(r.opts.Settle)
	for {
		ok, problems := check()
		if ok {
			return nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			slices.Sort(problems)
			return problems
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// cleanUp removes what a failed seed left, so the next seed starts clean.
func (r *Runner) cleanUp(ctx context.Context, namespace string) {
	for _, id := range r.chaos.LiveVMs() {
		_ = r.chaos.Vanish(id)
	}
	list := &v1alpha1.MachineList{}
	if r.admin.List(ctx, list, client.InNamespace(namespace)) == nil {
		for i := range list.Items {
			m := &list.Items[i]
			patch := client.MergeFrom(m.DeepCopy())
			m.Finalizers = nil
			_ = r.admin.Patch(ctx, m, patch)
			_ = r.admin.Delete(ctx, m)
		}
	}
	for _, o := range []client.Object{&v1alpha1.MachineClass{}, &corev1.Secret{}} {
		key := client.ObjectKey{Namespace: namespace, Name: "soak"}
		if r.admin.Get(ctx, key, o) == nil {
			o.SetFinalizers(nil)
			_ = r.admin.Update(ctx, o)
			_ = r.admin.Delete(ctx, o)
		}
	}
}
