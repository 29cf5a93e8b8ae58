package controller

import (
	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
)

// Finalizers and labels, spelled as machine-controller-manager spells them so
// that objects look the same to tools written for MCM.
const (
	// MachineFinalizer is put on Machines and on referenced MachineClasses.
	MachineFinalizer = "machine.sapcloud.io/machine-controller-manager"
	// SecretFinalizer is put on Secrets referenced by a MachineClass.
	SecretFinalizer = "machine.sapcloud.io/machine-controller"
	// NodeFinalizer is put on the Node of a machine, so the Node outlives
	// its machine's deletion only as long as the controller needs it.
	NodeFinalizer = "node.machine.sapcloud.io/machine-controller"
	// NodeLabel on a Machine names the Node it backs.
	NodeLabel = "node"
	// InitializationPendingAnnotation marks a Machine whose VM exists but whose
	// InitializeMachine call has not yet succeeded or been skipped.
	InitializationPendingAnnotation = "machine-conformance.dev/initialization-pending"
	// ReasonProviderIDMismatch is the reason of the Warning event a machine
	// gets when its node carries another spec.providerID than the driver
	// returned; the machine still becomes Running.
	ReasonProviderIDMismatch = "ProviderIDMismatch"
	// ControllerName is the name used for events and field managers.
	ControllerName = "reference-machine-controller"
)

// AddToScheme registers the built-in Kubernetes types and machine.sapcloud.io/v1alpha1.
func AddToScheme(s *runtime.Scheme) error {
	if err := clientgoscheme.AddToScheme(s); err != nil {
		return err
	}
	return v1alpha1.AddToScheme(s)
}
