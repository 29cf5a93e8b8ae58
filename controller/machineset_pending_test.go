package controller

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
)

func TestPendingChangesCountWhatTheCacheDoesNotShowYet(t *testing.T) {
	t.Parallel()
	now := time.Now()
	cached := func(names ...string) []v1alpha1.Machine {
		var ms []v1alpha1.Machine
		for _, n := range names {
			ms = append(ms, v1alpha1.Machine{ObjectMeta: metav1.ObjectMeta{Name: n}})
		}
		return ms
	}
	deleting := func(m v1alpha1.Machine) v1alpha1.Machine {
		m.DeletionTimestamp = &metav1.Time{Time: now}
		return m
	}
	const set = types.UID("set")
	tests := []struct {
		name         string
		do           func(p *pendingChanges)
		cache        []v1alpha1.Machine
		wantCreating int
		wantDeleting []string
	}{
		{"a create not cached yet counts", func(p *pendingChanges) { p.expectCreate(set, "a") }, nil, 1, nil},
		{"a create the cache shows counts once", func(p *pendingChanges) { p.expectCreate(set, "a") }, cached("a"), 0, nil},
		{"a create a watch event settled", func(p *pendingChanges) { p.expectCreate(set, "a"); p.observe(set, "a", false) }, nil, 0, nil},
		{"a failed create", func(p *pendingChanges) { p.expectCreate(set, "a"); p.forgetCreate(set, "a") }, nil, 0, nil},
		{"another set's create", func(p *pendingChanges) { p.expectCreate("other", "a") }, nil, 0, nil},
		{"a create older than the expiry", func(p *pendingChanges) {
			p.expectCreate(set, "a")
			p.now = func() time.Time { return now.Add(pendingExpiry + time.Second) }
		}, nil, 0, nil},
		{"a delete the cache does not show", func(p *pendingChanges) { p.expectDelete(set, "a") }, cached("a"), 0, []string{"a"}},
		{"a delete the cache shows", func(p *pendingChanges) { p.expectDelete(set, "a") }, []v1alpha1.Machine{deleting(cached("a")[0])}, 0, nil},
		{"a delete of a machine gone from the cache", func(p *pendingChanges) { p.expectDelete(set, "a") }, nil, 0, nil},
		{"a delete a watch event settled", func(p *pendingChanges) { p.expectDelete(set, "a"); p.observe(set, "a", true) }, cached("a"), 0, nil},
		{"an update event does not settle a delete", func(p *pendingChanges) { p.expectDelete(set, "a"); p.observe(set, "a", false) }, cached("a"), 0, []string{"a"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := newPendingChanges(func() time.Time { return now })
			tc.do(p)
			v := p.settle(set, tc.cache)
			if v.creating != tc.wantCreating {
				t.Errorf("creating %d, want %d", v.creating, tc.wantCreating)
			}
			if len(v.deleting) != len(tc.wantDeleting) {
				t.Errorf("deleting %v, want %v", v.deleting, tc.wantDeleting)
			}
			for _, n := range tc.wantDeleting {
				if !v.deleting[n] {
					t.Errorf("deleting %v, want %v", v.deleting, tc.wantDeleting)
				}
			}
			if again := p.settle(set, tc.cache); again.creating != v.creating || len(again.deleting) != len(v.deleting) {
				t.Errorf("a second look changed the count: %+v then %+v", v, again)
			}
		})
	}
}

func TestOutcomeUnknownOnlyWhereTheWriteMayHaveHappened(t *testing.T) {
	t.Parallel()
	gr := schema.GroupResource{Group: v1alpha1.GroupName, Resource: "machines"}
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"name taken", apierrors.NewAlreadyExists(gr, "m"), false},
		{"forbidden", apierrors.NewForbidden(gr, "m", errors.New("no")), false},
		{"throttled before running", apierrors.NewTooManyRequests("slow down", 1), false},
		{"invalid", apierrors.NewBadRequest("bad"), false},
		{"server timeout", apierrors.NewTimeoutError("took too long", 1), true},
		{"internal error", apierrors.NewInternalError(errors.New("etcd")), true},
		{"no answer", errors.New("connection reset by peer"), true},
		{"deadline", context.DeadlineExceeded, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := outcomeUnknown(tc.err); got != tc.want {
				t.Errorf("outcomeUnknown(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
}
