package controller

import (
	"maps"
	"slices"
	"testing"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestCacheOptions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		namespace string
		want      []string
	}{
		{namespace: "", want: nil},
		{namespace: "machines", want: []string{"machines"}},
	} {
		o := CacheOptions(tc.namespace)
		if got := slices.Collect(maps.Keys(o.DefaultNamespaces)); !slices.Equal(got, tc.want) {
			t.Errorf("CacheOptions(%q) watches namespaces %v, want %v", tc.namespace, got, tc.want)
		}
		managed := []metav1.ManagedFieldsEntry{{Manager: "kubectl", Operation: metav1.ManagedFieldsOperationUpdate}}
		for _, obj := range []metav1.Object{
			&v1alpha1.Machine{ObjectMeta: metav1.ObjectMeta{Name: "m", ManagedFields: managed, Finalizers: []string{MachineFinalizer}}},
			&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "n", ManagedFields: managed, Finalizers: []string{NodeFinalizer}}},
		} {
			out, err := o.DefaultTransform(obj)
			if err != nil {
				t.Fatal(err)
			}
			kept := out.(metav1.Object)
			if kept.GetManagedFields() != nil || len(kept.GetFinalizers()) != 1 {
				t.Errorf("CacheOptions(%q) keeps %T %s as managedFields %v, finalizers %v; want no managedFields and the rest unchanged",
					tc.namespace, obj, kept.GetName(), kept.GetManagedFields(), kept.GetFinalizers())
			}
		}
	}
}
