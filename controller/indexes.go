package controller

import (
	"cmp"
	"context"
	"slices"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// Field indexes on the manager's cache. Each answers one question the
// reconcilers ask often: "which machines use this class", "which machine
// backs this node" (by its node label, as MCM finds a machine's node), "which
// classes use this secret".
const (
	indexMachineByClass    = "machine.spec.class.name"
	indexMachineByNodeName = "machine.metadata.labels.node"
	indexClassBySecret     = "machineclass.secretRefs"
	// indexMachineByController: "which machines does this MachineSet
	// control", by the UID in the machine's controller reference.
	indexMachineByController = "machine.metadata.ownerReferences.controller.uid"
)

type fieldIndexer interface {
	IndexField(ctx context.Context, obj client.Object, field string, extract client.IndexerFunc) error
}

func addIndexes(ctx context.Context, idx fieldIndexer) error {
	for _, i := range []struct {
		obj     client.Object
		field   string
		extract client.IndexerFunc
	}{
		{&v1alpha1.Machine{}, indexMachineByClass, machineClassName},
		{&v1alpha1.Machine{}, indexMachineByNodeName, machineNodeName},
		{&v1alpha1.MachineClass{}, indexClassBySecret, classSecretKeys},
		{&v1alpha1.Machine{}, indexMachineByController, controllerUID},
	} {
		if err := idx.IndexField(ctx, i.obj, i.field, i.extract); err != nil {
			return err
		}
	}
	return nil
}

func machineClassName(o client.Object) []string {
	if name := o.(*v1alpha1.Machine).Spec.Class.Name; name != "" {
		return []string{name}
	}
	return nil
}

func machineNodeName(o client.Object) []string {
	if name := o.GetLabels()[NodeLabel]; name != "" {
		return []string{name}
	}
	return nil
}

func controllerUID(o client.Object) []string {
	if ref := metav1.GetControllerOf(o); ref != nil {
		return []string{string(ref.UID)}
	}
	return nil
}

// nodeName is the value a node is found by in indexMachineByNodeName.
func nodeName(o client.Object) []string { return []string{o.GetName()} }

// classSecretKeys returns "namespace/name" for each secret a class references.
func classSecretKeys(o client.Object) []string {
	var keys []string
	for _, ref := range secretRefs(o.(*v1alpha1.MachineClass)) {
		keys = append(keys, ref.String())
	}
	return keys
}

// secretRefs resolves a class's secretRef and credentialsSecretRef, in that
// order and without repeats; an empty namespace means the class's own.
func secretRefs(cls *v1alpha1.MachineClass) []types.NamespacedName {
	var refs []types.NamespacedName
	for _, ref := range []*corev1.SecretReference{cls.SecretRef, cls.CredentialsSecretRef} {
		if ref == nil || ref.Name == "" {
			continue
		}
		key := types.NamespacedName{Namespace: cmp.Or(ref.Namespace, cls.Namespace), Name: ref.Name}
		if !slices.Contains(refs, key) {
			refs = append(refs, key)
		}
	}
	return refs
}
