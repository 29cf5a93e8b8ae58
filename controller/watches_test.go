package controller

import (
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/event"
)

func TestNodeChangedIgnoresHeartbeats(t *testing.T) {
	t.Parallel()
	ready := func(status corev1.ConditionStatus, beat time.Time) *corev1.Node {
		return &corev1.Node{
			ObjectMeta: metav1.ObjectMeta{Name: "n"},
			Status: corev1.NodeStatus{Conditions: []corev1.NodeCondition{{Type: corev1.NodeReady, Status: status,
				LastHeartbeatTime: metav1.NewTime(beat)}}},
		}
	}
	now := time.Now()
	tests := []struct {
		name   string
		mutate func(*corev1.Node)
		want   bool
	}{
		{"a heartbeat", func(n *corev1.Node) { n.Status.Conditions[0].LastHeartbeatTime = metav1.NewTime(now.Add(time.Minute)) }, false},
		{"a label", func(n *corev1.Node) { n.Labels = map[string]string{"a": "b"} }, false},
		{"Ready turns Unknown", func(n *corev1.Node) { n.Status.Conditions[0].Status = corev1.ConditionUnknown }, true},
		{"a new condition", func(n *corev1.Node) {
			n.Status.Conditions = append(n.Status.Conditions, corev1.NodeCondition{Type: "DiskPressure", Status: corev1.ConditionTrue})
		}, true},
		{"a taint", func(n *corev1.Node) {
			n.Spec.Taints = []corev1.Taint{{Key: CriticalComponentsNotReadyTaint, Effect: corev1.TaintEffectNoSchedule}}
		}, true},
		{"our finalizer stripped", func(n *corev1.Node) { n.Finalizers = nil }, true},
		{"another finalizer added", func(n *corev1.Node) { n.Finalizers = append(n.Finalizers, "x") }, false},
		{"deletion", func(n *corev1.Node) { n.DeletionTimestamp = &metav1.Time{Time: now} }, true},
		{"another provider ID", func(n *corev1.Node) { n.Spec.ProviderID = "other" }, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			old := ready(corev1.ConditionTrue, now)
			old.Finalizers = []string{NodeFinalizer}
			n := old.DeepCopy()
			tc.mutate(n)
			if got := (nodeChanged{}).Update(event.UpdateEvent{ObjectOld: old, ObjectNew: n}); got != tc.want {
				t.Errorf("Update = %v, want %v", got, tc.want)
			}
		})
	}
}
