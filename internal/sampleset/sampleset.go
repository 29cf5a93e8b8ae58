// Package sampleset makes a MachineSet of a provider's sample class, with
// its Secret and MachineClass, and scales it: what the soak and the scale
// bench both drive the reference controller with.
package sampleset

import (
	"context"
	"fmt"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/machine-conformance/machine-conformance/providers"
)

// Create creates, all named name in namespace, a Secret holding p's
// sample secret, a MachineClass of p's sample providerSpec referring to
// it, and a MachineSet of replicas machines of that class.
func Create(ctx context.Context, c client.Client, p providers.Provider, namespace, name string, replicas int32) (
	*corev1.Secret, *v1alpha1.MachineClass, *v1alpha1.MachineSet, error) {
	secret := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name}, Data: p.SampleSecret}
	class := &v1alpha1.MachineClass{ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name},
		ProviderSpec: runtime.RawExtension{Raw: p.SampleProviderSpec}, Provider: p.MachineClassProvider(),
		SecretRef: &corev1.SecretReference{Namespace: namespace, Name: name}}
	labels := map[string]string{"machine-conformance/set": name}
	ms := &v1alpha1.MachineSet{ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name},
		Spec: v1alpha1.MachineSetSpec{Replicas: replicas, Selector: &metav1.LabelSelector{MatchLabels: labels},
			MachineClass: v1alpha1.ClassSpec{Kind: "MachineClass", Name: name},
			Template: v1alpha1.MachineTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: v1alpha1.MachineSpec{Class: v1alpha1.ClassSpec{Kind: "MachineClass", Name: name}}}}}
	for _, o := range []client.Object{secret, class, ms} {
		if err := c.Create(ctx, o); err != nil {
			return nil, nil, nil, fmt.Errorf("creating %T %s/%s: %w", o, namespace, o.GetName(), err)
		}
	}
	return secret, class, ms, nil
}

// Scale sets the MachineSet's replicas with a merge patch.
func Scale(ctx context.Context, c client.Client, ms *v1alpha1.MachineSet, replicas int32) error {
	cur := &v1alpha1.MachineSet{}
	if err := c.Get(ctx, client.ObjectKeyFromObject(ms), cur); err != nil {
		return err
	}
	patch := client.MergeFrom(cur.DeepCopy())
	cur.Spec.Replicas = replicas
	return c.Patch(ctx, cur, patch)
}
