package controller

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/status"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	clienttesting "k8s.io/client-go/testing"
	"k8s.io/client-go/tools/events"
	clocktesting "k8s.io/utils/clock/testing"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
)

const ns = "default"

var start = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// fixture is a machine reconciler over controller-runtime's fake client.
type fixture struct {
	t      *testing.T
	client client.Client
	clock  *clocktesting.FakeClock
	driver *fakeDriver
	r      *machineReconciler
	events *events.FakeRecorder
}

func newFixture(t *testing.T, d *fakeDriver, objs ...client.Object) *fixture {
	t.Helper()
	scheme := runtime.NewScheme()
	if err := AddToScheme(scheme); err != nil {
		t.Fatal(err)
	}
	base := []client.Object{
		&v1alpha1.MachineClass{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "cls"},
			SecretRef: &corev1.SecretReference{Name: "creds"}},
		&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "creds"}, Data: map[string][]byte{"token": []byte("t")}},
	}
	// A plain object tracker: controller-runtime v0.22's default one
	// manages fields with a type converter deduced from the Go types, which
	// panics on MCM's types (structured-merge-diff v6.3.0 reflects into a
	// pointer field). The reconciler never applies server-side.
	tracker := clienttesting.NewObjectTracker(scheme, serializer.NewCodecFactory(scheme).UniversalDecoder())
	c := fake.NewClientBuilder().WithScheme(scheme).WithObjectTracker(tracker).
		WithObjects(append(base, objs...)...).
		WithStatusSubresource(&v1alpha1.Machine{}).
		WithIndex(&v1alpha1.Machine{}, indexMachineByNodeName, machineNodeName).
		Build()
	clk := clocktesting.NewFakeClock(start)
	rec := events.NewFakeRecorder(100)
	opts, err := Options{Driver: d, Clock: clk}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, client: c, clock: clk, driver: d, events: rec,
		r: &machineReconciler{client: c, reader: c, recorder: rec, opts: opts}}
}

func newMachine(name string) *v1alpha1.Machine {
	return &v1alpha1.Machine{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec:       v1alpha1.MachineSpec{Class: v1alpha1.ClassSpec{Kind: "MachineClass", Name: "cls"}},
	}
}

func readyNode(name, providerID string, ready corev1.ConditionStatus) *corev1.Node {
	return &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec:       corev1.NodeSpec{ProviderID: providerID},
		Status:     corev1.NodeStatus{Conditions: []corev1.NodeCondition{{Type: corev1.NodeReady, Status: ready}}},
	}
}

func (f *fixture) reconcile(name string) (ctrl.Result, error) {
	f.t.Helper()
	return f.r.Reconcile(context.Background(), ctrl.Request{NamespacedName: client.ObjectKey{Namespace: ns, Name: name}})
}

func (f *fixture) machine(name string) *v1alpha1.Machine {
	f.t.Helper()
	m := &v1alpha1.Machine{}
	if err := f.client.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: name}, m); err != nil {
		f.t.Fatalf("get machine %s: %v", name, err)
	}
	return m
}

// drainEvents returns the events recorded so far, as "Type Reason note".
func (f *fixture) drainEvents() []string {
	var out []string
	for {
		select {
		case e := <-f.events.Events:
			out = append(out, e)
		default:
			return out
		}
	}
}

func hasEvent(events []string, prefix string) bool {
	for _, e := range events {
		if strings.HasPrefix(e, prefix) {
			return true
		}
	}
	return false
}

func creates(providerID string) func(*driver.CreateMachineRequest) (*driver.CreateMachineResponse, error) {
	return func(r *driver.CreateMachineRequest) (*driver.CreateMachineResponse, error) {
		return &driver.CreateMachineResponse{ProviderID: providerID, NodeName: r.Machine.Name}, nil
	}
}

func TestCreateRecordsVMAndWaitsForNode(t *testing.T) {
	t.Parallel()
	d := &fakeDriver{CreateFn: func(r *driver.CreateMachineRequest) (*driver.CreateMachineResponse, error) {
		if string(r.Secret.Data["token"]) != "t" || r.MachineClass.Name != "cls" {
			return nil, status.Error(codes.InvalidArgument, "class or secret not passed")
		}
		return &driver.CreateMachineResponse{ProviderID: "fake:///vm-1", NodeName: "node-1", LastKnownState: "created"}, nil
	}}
	f := newFixture(t, d, newMachine("m1"))
	res, err := f.reconcile("m1")
	if err != nil {
		t.Fatal(err)
	}
	if res.RequeueAfter <= 0 {
		t.Errorf("a Pending machine must be polled, got %+v", res)
	}
	m := f.machine("m1")
	if m.Spec.ProviderID != "fake:///vm-1" || m.Labels[NodeLabel] != "node-1" {
		t.Errorf("providerID %q node label %q", m.Spec.ProviderID, m.Labels[NodeLabel])
	}
	if m.Status.CurrentStatus.Phase != v1alpha1.MachinePending || m.Status.LastKnownState != "created" {
		t.Errorf("status %+v", m.Status)
	}
	if ev := f.drainEvents(); !hasEvent(ev, "Normal VMCreated") || hasEvent(ev, "Normal Pending") {
		t.Errorf("want one VMCreated event and none for the create starting, got %q", ev)
	}
	if !strings.Contains(strings.Join(m.Finalizers, ","), MachineFinalizer) {
		t.Errorf("finalizer missing: %v", m.Finalizers)
	}
	if d.Calls(opStatus) != 1 || d.Calls(opCreate) != 1 || d.Calls(opInitialize) != 1 {
		t.Errorf("calls: %v", d.calls)
	}
	if _, ok := m.Annotations[InitializationPendingAnnotation]; ok {
		t.Error("Unimplemented InitializeMachine must be skipped, not left pending")
	}

	// The node registers and becomes Ready: Running.
	if err := f.client.Create(context.Background(), readyNode("node-1", "fake:///vm-1", corev1.ConditionTrue)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.reconcile("m1"); err != nil {
		t.Fatal(err)
	}
	if got := f.machine("m1").Status.CurrentStatus.Phase; got != v1alpha1.MachineRunning {
		t.Fatalf("phase %s, want Running", got)
	}
	if d.Calls(opCreate) != 1 {
		t.Errorf("CreateMachine called again for a machine with a VM: %d calls", d.Calls(opCreate))
	}
}

func TestCreateAdoptsExistingVM(t *testing.T) {
	t.Parallel()
	d := &fakeDriver{StatusFn: func(*driver.GetMachineStatusRequest) (*driver.GetMachineStatusResponse, error) {
		return &driver.GetMachineStatusResponse{ProviderID: "fake:///vm-9", NodeName: "n9"}, nil
	}}
	f := newFixture(t, d, newMachine("m1"))
	if _, err := f.reconcile("m1"); err != nil {
		t.Fatal(err)
	}
	if got := f.machine("m1").Spec.ProviderID; got != "fake:///vm-9" {
		t.Errorf("providerID %q", got)
	}
	if d.Calls(opCreate) != 0 {
		t.Error("CreateMachine called although GetMachineStatus found the VM")
	}
}

// TestCreateErrorRecovery drives every code CreateMachine may return, as
// MCM handles them: CrashLoopBackOff, no driver call before the code's
// retry period has passed on the clock, another attempt after it, and
// Failed when an attempt fails after the creation timeout.
func TestCreateErrorRecovery(t *testing.T) {
	t.Parallel()
	opts, _ := Options{Driver: &fakeDriver{}}.withDefaults()
	for code := codes.Canceled; code <= codes.Uninitialized; code++ {
		t.Run(code.String(), func(t *testing.T) {
			t.Parallel()
			d := &fakeDriver{CreateFn: func(*driver.CreateMachineRequest) (*driver.CreateMachineResponse, error) {
				return nil, status.Error(code, "driver says "+code.String())
			}}
			f := newFixture(t, d, newMachine("m1"))
			if _, err := f.reconcile("m1"); err != nil {
				t.Fatal(err)
			}
			m := f.machine("m1")
			if m.Status.CurrentStatus.Phase != v1alpha1.MachineCrashLoopBackOff || m.Status.LastOperation.ErrorCode != code.String() ||
				!strings.Contains(m.Status.LastOperation.Description, "driver says "+code.String()) {
				t.Fatalf("%s: status %+v", code, m.Status)
			}
			if ev := f.drainEvents(); !hasEvent(ev, "Warning CrashLoopBackOff CreateMachine failed with code "+code.String()) {
				t.Errorf("%s: no CrashLoopBackOff event in %q", code, ev)
			}
			period := opts.createRetryPeriod(code)
			f.clock.Step(period - time.Second)
			if _, err := f.reconcile("m1"); err != nil || d.Calls(opCreate) != 1 {
				t.Fatalf("%s: called again %s before its retry period %s: %d calls, %v", code, period-time.Second, period, d.Calls(opCreate), err)
			}
			f.clock.Step(2 * time.Second)
			if _, err := f.reconcile("m1"); err != nil || d.Calls(opCreate) != 2 {
				t.Fatalf("%s: not retried after %s: %d calls, %v", code, period, d.Calls(opCreate), err)
			}
			f.clock.Step(DefaultCreationTimeout)
			if _, err := f.reconcile("m1"); err != nil {
				t.Fatal(err)
			}
			if got := f.machine("m1").Status.CurrentStatus.Phase; got != v1alpha1.MachineFailed {
				t.Fatalf("%s: an attempt after the creation timeout left phase %s, want Failed", code, got)
			}
			before := d.Calls(opCreate) // Failed is terminal: no further driver calls
			if _, err := f.reconcile("m1"); err != nil || d.Calls(opCreate) != before {
				t.Errorf("Failed machine was reconciled again: err %v, calls %d→%d", err, before, d.Calls(opCreate))
			}
		})
	}
}

func TestInitializationRetriedUntilItSucceeds(t *testing.T) {
	t.Parallel()
	attempts := 0
	d := &fakeDriver{
		CreateFn: creates("fake:///vm-1"),
		InitializeFn: func(r *driver.InitializeMachineRequest) (*driver.InitializeMachineResponse, error) {
			if r.Machine.Spec.ProviderID != "fake:///vm-1" {
				return nil, status.Error(codes.Internal, "InitializeMachine got no provider ID")
			}
			attempts++
			if attempts == 1 {
				return nil, status.Error(codes.Uninitialized, "network not ready")
			}
			return &driver.InitializeMachineResponse{ProviderID: "fake:///vm-1", NodeName: "m1"}, nil
		},
	}
	f := newFixture(t, d, newMachine("m1"))
	if _, err := f.reconcile("m1"); err != nil {
		t.Fatal(err)
	}
	m := f.machine("m1")
	if m.Spec.ProviderID == "" || m.Annotations[InitializationPendingAnnotation] == "" {
		t.Fatalf("VM must be recorded with initialization pending: %+v", m.ObjectMeta)
	}
	if got := m.Status.CurrentStatus.Phase; got != v1alpha1.MachineCrashLoopBackOff {
		t.Fatalf("a failed InitializeMachine left phase %s, want CrashLoopBackOff", got)
	}
	f.clock.Step(DefaultShortRetry) // MCM tries again after ShortRetry
	if _, err := f.reconcile("m1"); err != nil {
		t.Fatal(err)
	}
	if _, ok := f.machine("m1").Annotations[InitializationPendingAnnotation]; ok || attempts != 2 {
		t.Errorf("initialization not completed: attempts %d", attempts)
	}
}

func TestTimeoutsOnInjectedClock(t *testing.T) {
	t.Parallel()
	d := &fakeDriver{CreateFn: creates("fake:///vm-1")}
	f := newFixture(t, d, newMachine("m1"))
	if _, err := f.reconcile("m1"); err != nil {
		t.Fatal(err)
	}
	f.clock.Step(DefaultCreationTimeout - time.Second)
	if _, err := f.reconcile("m1"); err != nil {
		t.Fatal(err)
	}
	if got := f.machine("m1").Status.CurrentStatus.Phase; got != v1alpha1.MachinePending {
		t.Fatalf("before the creation timeout: %s", got)
	}
	f.clock.Step(2 * time.Second)
	if _, err := f.reconcile("m1"); err != nil {
		t.Fatal(err)
	}
	m := f.machine("m1")
	if m.Status.CurrentStatus.Phase != v1alpha1.MachineFailed || !strings.Contains(m.Status.LastOperation.Description, "creation timeout") {
		t.Fatalf("after the creation timeout: %+v", m.Status)
	}
}

func TestHealthTimeout(t *testing.T) {
	t.Parallel()
	d := &fakeDriver{CreateFn: creates("fake:///vm-1")}
	node := readyNode("m1", "fake:///vm-1", corev1.ConditionTrue)
	f := newFixture(t, d, newMachine("m1"), node)
	for i := 0; i < 2; i++ {
		if _, err := f.reconcile("m1"); err != nil {
			t.Fatal(err)
		}
	}
	if got := f.machine("m1").Status.CurrentStatus.Phase; got != v1alpha1.MachineRunning {
		t.Fatalf("phase %s, want Running", got)
	}
	ctx := context.Background()
	if err := f.client.Get(ctx, client.ObjectKeyFromObject(node), node); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(node.Finalizers, ","), NodeFinalizer) {
		t.Errorf("a Running machine's node lacks %s: %v", NodeFinalizer, node.Finalizers)
	}
	node.Status.Conditions[0].Status = corev1.ConditionUnknown
	if err := f.client.Status().Update(ctx, node); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		advance time.Duration
		want    v1alpha1.MachinePhase
	}{
		{0, v1alpha1.MachineUnknown},
		{DefaultHealthTimeout - time.Second, v1alpha1.MachineUnknown},
		{2 * time.Second, v1alpha1.MachineFailed},
	}
	for _, s := range steps {
		f.clock.Step(s.advance)
		if _, err := f.reconcile("m1"); err != nil {
			t.Fatal(err)
		}
		if got := f.machine("m1").Status.CurrentStatus.Phase; got != s.want {
			t.Fatalf("after +%s: phase %s, want %s", s.advance, got, s.want)
		}
	}
}

// TestUnknownRecoversAndALostNodeTakesItsMachine: NotReady → Unknown,
// Ready again → Running; the node deleted → the Machine is deleted, as MCM
// does.
func TestUnknownRecoversAndALostNodeTakesItsMachine(t *testing.T) {
	t.Parallel()
	d := &fakeDriver{CreateFn: creates("fake:///vm-1")}
	node := readyNode("m1", "fake:///vm-1", corev1.ConditionTrue)
	f := newFixture(t, d, newMachine("m1"), node)
	ctx := context.Background()
	setReady := func(status corev1.ConditionStatus) {
		t.Helper()
		n := &corev1.Node{}
		if err := f.client.Get(ctx, client.ObjectKeyFromObject(node), n); err != nil {
			t.Fatal(err)
		}
		n.Status.Conditions = []corev1.NodeCondition{{Type: corev1.NodeReady, Status: status}}
		if err := f.client.Status().Update(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	for _, step := range []struct {
		do   func()
		want v1alpha1.MachinePhase
	}{
		{func() {}, v1alpha1.MachineRunning}, // create, then the node is Ready
		{func() { setReady(corev1.ConditionFalse) }, v1alpha1.MachineUnknown},
		{func() { setReady(corev1.ConditionTrue) }, v1alpha1.MachineRunning},
	} {
		step.do()
		for range 2 {
			if _, err := f.reconcile("m1"); err != nil {
				t.Fatal(err)
			}
		}
		if got := f.machine("m1"); got.Status.CurrentStatus.Phase != step.want {
			t.Fatalf("phase %s, want %s (%+v)", got.Status.CurrentStatus.Phase, step.want, got.Status.LastOperation)
		}
	}
	n := &corev1.Node{}
	if err := f.client.Get(ctx, client.ObjectKeyFromObject(node), n); err != nil {
		t.Fatal(err)
	}
	n.Finalizers = nil
	if err := f.client.Update(ctx, n); err != nil {
		t.Fatal(err)
	}
	if err := f.client.Delete(ctx, n); err != nil {
		t.Fatal(err)
	}
	if _, err := f.reconcile("m1"); err != nil {
		t.Fatal(err)
	}
	if m := f.machine("m1"); m.DeletionTimestamp.IsZero() {
		t.Fatalf("the machine of a deleted node was not deleted: %+v", m.Status)
	}
	if ev := f.drainEvents(); !hasEvent(ev, "Warning NodeDeleted") {
		t.Errorf("no NodeDeleted event in %q", ev)
	}
}

func TestDeleteErrorRecovery(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		deleteErr    error
		wantErr      bool
		wantFinalize bool
	}{
		{"ok", nil, false, true},
		{"not found: the VM is gone already", status.Error(codes.NotFound, "no such VM"), false, true},
		{"unavailable retries", status.Error(codes.Unavailable, "throttled"), false, false},
		{"unauthenticated waits for a fix", status.Error(codes.Unauthenticated, "bad key"), false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := &fakeDriver{
				CreateFn: creates("fake:///vm-1"),
				DeleteFn: func(r *driver.DeleteMachineRequest) (*driver.DeleteMachineResponse, error) {
					if r.Machine.Spec.ProviderID != "fake:///vm-1" {
						return nil, status.Error(codes.InvalidArgument, "wrong machine")
					}
					return &driver.DeleteMachineResponse{}, tc.deleteErr
				},
			}
			f := newFixture(t, d, newMachine("m1"), readyNode("m1", "fake:///vm-1", corev1.ConditionTrue))
			ctx := context.Background()
			if _, err := f.reconcile("m1"); err != nil {
				t.Fatal(err)
			}
			if err := f.client.Delete(ctx, f.machine("m1")); err != nil {
				t.Fatal(err)
			}
			_, err := f.reconcile("m1")
			if (err != nil) != tc.wantErr {
				t.Fatalf("error %v, want error: %v", err, tc.wantErr)
			}
			gone := apierrors.IsNotFound(f.client.Get(ctx, client.ObjectKey{Namespace: ns, Name: "m1"}, &v1alpha1.Machine{}))
			if gone != tc.wantFinalize {
				t.Fatalf("machine gone %v, want %v", gone, tc.wantFinalize)
			}
			nodeGone := apierrors.IsNotFound(f.client.Get(ctx, client.ObjectKey{Name: "m1"}, &corev1.Node{}))
			if nodeGone != tc.wantFinalize {
				t.Errorf("node gone %v, want %v", nodeGone, tc.wantFinalize)
			}
			if !tc.wantFinalize {
				m := f.machine("m1")
				if m.Status.CurrentStatus.Phase != v1alpha1.MachineTerminating || m.Status.LastOperation.Type != v1alpha1.MachineOperationDelete {
					t.Errorf("status %+v", m.Status)
				}
			}
		})
	}
}

func TestMissingClassIsReportedAndPolled(t *testing.T) {
	t.Parallel()
	d := &fakeDriver{CreateFn: creates("fake:///vm-1")}
	m := newMachine("m1")
	m.Spec.Class.Name = "absent"
	f := newFixture(t, d, m)
	res, err := f.reconcile("m1")
	if err != nil || res.RequeueAfter == 0 {
		t.Fatalf("got %+v, %v", res, err)
	}
	got := f.machine("m1")
	if got.Status.CurrentStatus.Phase != "" {
		t.Errorf("phase %q while the class is missing; MCM leaves the machine without a phase", got.Status.CurrentStatus.Phase)
	}
	if !strings.Contains(got.Status.LastOperation.Description, "MachineClass default/absent not found") {
		t.Errorf("description %q does not name the missing class", got.Status.LastOperation.Description)
	}
	if d.Calls(opCreate) != 0 {
		t.Error("driver called without a class")
	}
}

// A DeleteMachine failure a human must fix is not retried by whatever
// requeues the machine (node, class events), only after LongRetry or once
// the class or secret changed.
func TestDeleteWaitsForAFixOrLongRetry(t *testing.T) {
	t.Parallel()
	deletes := 0
	d := &fakeDriver{
		CreateFn: creates("fake:///vm-1"),
		DeleteFn: func(*driver.DeleteMachineRequest) (*driver.DeleteMachineResponse, error) {
			deletes++
			return nil, status.Error(codes.Unauthenticated, "bad key")
		},
	}
	f := newFixture(t, d, newMachine("m1"))
	ctx := context.Background()
	if _, err := f.reconcile("m1"); err != nil {
		t.Fatal(err)
	}
	if err := f.client.Delete(ctx, f.machine("m1")); err != nil {
		t.Fatal(err)
	}
	step := func(what string, want int) {
		t.Helper()
		if _, err := f.reconcile("m1"); err != nil {
			t.Fatal(err)
		}
		if deletes != want {
			t.Fatalf("%s: %d DeleteMachine calls, want %d", what, deletes, want)
		}
	}
	step("first delete", 1)
	step("requeued by another event", 1)
	f.clock.Step(f.r.opts.LongRetry / 2)
	step("half of LongRetry later", 1)

	sec := &corev1.Secret{}
	if err := f.client.Get(ctx, client.ObjectKey{Namespace: ns, Name: "creds"}, sec); err != nil {
		t.Fatal(err)
	}
	sec.Data["token"] = []byte("fixed")
	if err := f.client.Update(ctx, sec); err != nil {
		t.Fatal(err)
	}
	step("after the secret changed", 2)
	step("requeued again, secret unchanged", 2)
	f.clock.Step(f.r.opts.LongRetry + time.Second)
	step("after LongRetry", 3)
}

// A machine deleted while its class is missing keeps its finalizer (its VM
// cannot be reached) and its phase: as under MCM, deleting starts with a class.
func TestDeleteWithoutClassKeepsPhaseAndFinalizer(t *testing.T) {
	t.Parallel()
	m := newMachine("m1")
	m.Spec.Class.Name = "absent"
	f := newFixture(t, &fakeDriver{CreateFn: creates("fake:///vm-1")}, m)
	if _, err := f.reconcile("m1"); err != nil {
		t.Fatal(err)
	}
	if err := f.client.Delete(context.Background(), f.machine("m1")); err != nil {
		t.Fatal(err)
	}
	if _, err := f.reconcile("m1"); err != nil {
		t.Fatal(err)
	}
	got := f.machine("m1")
	if got.Name == "" || got.Status.CurrentStatus.Phase != "" || !strings.Contains(got.Status.LastOperation.Description, "cannot delete the VM") {
		t.Fatalf("want the machine kept without a phase, saying why; got %q, status %+v", got.Name, got.Status)
	}
}
