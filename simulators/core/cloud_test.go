package core

import (
	"errors"
	"testing"
	"time"

	clocktesting "k8s.io/utils/clock/testing"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func newCloud(opts Options) (*Cloud, *clocktesting.FakeClock) {
	clk := clocktesting.NewFakeClock(t0)
	opts.Clock = clk
	return New(opts), clk
}

func launch(t *testing.T, c *Cloud, spec LaunchSpec) VM {
	t.Helper()
	if spec.IDPrefix == "" {
		spec.IDPrefix, spec.IDDigits = "i-", 17
	}
	vms, err := c.Launch(spec)
	if err != nil {
		t.Fatal(err)
	}
	return vms[0]
}

func TestProgressionOnTheInjectedClock(t *testing.T) {
	t.Parallel()
	c, clk := newCloud(Options{Progression: Progression{PendingFor: 10 * time.Second, ShuttingDownFor: 5 * time.Second}})
	vm := launch(t, c, LaunchSpec{})
	if vm.State() != Pending || len(vm.ID) != 19 {
		t.Fatalf("launched %s in %s", vm.ID, vm.State())
	}
	steps := []struct {
		advance time.Duration
		want    State
	}{
		{9 * time.Second, Pending},
		{time.Second, Running},
	}
	for _, s := range steps {
		clk.Step(s.advance)
		got, err := c.Get(vm.ID)
		if err != nil || got.State() != s.want {
			t.Fatalf("after +%s: %s, %v; want %s", s.advance, got.State(), err, s.want)
		}
	}
	changes, err := c.Terminate([]string{vm.ID})
	if err != nil || changes[0].Previous != Running || changes[0].Current != ShuttingDown {
		t.Fatalf("terminate: %+v, %v", changes, err)
	}
	clk.Step(5 * time.Second)
	if got, _ := c.Get(vm.ID); got.State() != Terminated {
		t.Fatalf("after shutting down: %s", got.State())
	}
	clk.Step(time.Hour)
	if _, err := c.Get(vm.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("terminated VM not expunged after an hour: %v", err)
	}
	if o, ok := c.Owner(vm.ID); !ok || o.Kind != "" {
		t.Errorf("oracle forgot an expunged VM: %+v %v", o, ok)
	}
}

func TestClientTokenIdempotency(t *testing.T) {
	t.Parallel()
	c, _ := newCloud(Options{})
	spec := LaunchSpec{IDPrefix: "i-", IDDigits: 17, InstanceType: "m5.large", ClientToken: "tok"}
	a := launch(t, c, spec)
	b := launch(t, c, spec)
	if a.ID != b.ID || len(c.List(nil)) != 1 {
		t.Fatalf("same token launched twice: %s %s", a.ID, b.ID)
	}
	spec.InstanceType = "m5.xlarge"
	if _, err := c.Launch(spec); !errors.Is(err, ErrIdempotentMismatch) {
		t.Fatalf("token reuse with other parameters: %v", err)
	}
}

func TestQuota(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		quota    Quota
		vcpus    int
		resource string
	}{
		{"instances", Quota{MaxInstances: 1}, 2, "instances"},
		{"vcpus", Quota{MaxVCPUs: 3}, 2, "vcpus"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, _ := newCloud(Options{Quota: tc.quota})
			vm := launch(t, c, LaunchSpec{VCPUs: tc.vcpus})
			_, err := c.Launch(LaunchSpec{IDPrefix: "i-", IDDigits: 17, VCPUs: tc.vcpus})
			var qe *QuotaError
			if !errors.As(err, &qe) || qe.Resource != tc.resource {
				t.Fatalf("want a %s QuotaError, got %v", tc.resource, err)
			}
			// Terminated VMs free their quota.
			if _, err := c.Terminate([]string{vm.ID}); err != nil {
				t.Fatal(err)
			}
			launch(t, c, LaunchSpec{VCPUs: tc.vcpus})
		})
	}
}

func TestReadLag(t *testing.T) {
	t.Parallel()
	c, clk := newCloud(Options{ReadLag: 3 * time.Second})
	vm := launch(t, c, LaunchSpec{})
	if _, err := c.Get(vm.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a fresh VM is visible under ReadLag: %v", err)
	}
	if n := len(c.List(nil)); n != 0 {
		t.Fatalf("list shows %d fresh VMs", n)
	}
	if n := len(c.Live()); n != 1 {
		t.Fatalf("the oracle must see the fresh VM, saw %d", n)
	}
	clk.Step(3 * time.Second)
	if _, err := c.Get(vm.ID); err != nil {
		t.Fatalf("after the lag: %v", err)
	}
}

func TestFaultRules(t *testing.T) {
	t.Parallel()
	throttle := &FaultError{Code: "RequestLimitExceeded", Status: 503}
	tests := []struct {
		name  string
		rule  FaultRule
		calls []map[string]string
		fires []bool
	}{
		{"every call", FaultRule{Operation: "RunInstances", Error: throttle},
			[]map[string]string{nil, nil}, []bool{true, true}},
		{"other operation", FaultRule{Operation: "TerminateInstances", Error: throttle},
			[]map[string]string{nil}, []bool{false}},
		{"skip and count", FaultRule{Operation: "*", Skip: 1, Count: 2, Error: throttle},
			[]map[string]string{nil, nil, nil, nil}, []bool{false, true, true, false}},
		{"match attributes", FaultRule{Operation: "*", Match: map[string]string{"InstanceType": "m5.large"}, Error: throttle},
			[]map[string]string{{"InstanceType": "t3.small"}, {"InstanceType": "m5.large"}, {}}, []bool{false, true, false}},
		{"present with any value", FaultRule{Operation: "*", Match: map[string]string{"ClientToken": "*"}, Error: throttle},
			[]map[string]string{{"ClientToken": "x"}, {}}, []bool{true, false}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, _ := newCloud(Options{Faults: []FaultRule{tc.rule}})
			for i, attrs := range tc.calls {
				d := c.Intercept("RunInstances", attrs)
				if (d.Err != nil) != tc.fires[i] {
					t.Fatalf("call %d: fired %v, want %v", i, d.Err != nil, tc.fires[i])
				}
			}
		})
	}
}

func TestFaultProbabilityReplaysWithTheSeed(t *testing.T) {
	t.Parallel()
	run := func(seed int64) []bool {
		c, _ := newCloud(Options{Seed: seed, Faults: []FaultRule{{Operation: "*", Probability: 0.5, Error: &FaultError{Code: "X"}}}})
		var out []bool
		for i := 0; i < 64; i++ {
			out = append(out, c.Intercept("A", nil).Err != nil)
		}
		return out
	}
	a, b := run(7), run(7)
	fired := 0
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("same seed, different outcome at call %d", i)
		}
		if a[i] {
			fired++
		}
	}
	if fired < 16 || fired > 48 {
		t.Errorf("probability 0.5 fired %d of 64 times", fired)
	}
}

func TestChaos(t *testing.T) {
	t.Parallel()
	c, clk := newCloud(Options{Progression: Progression{ShuttingDownFor: time.Second}, ReadLag: time.Second})
	clk.Step(time.Second)
	vm := launch(t, c, LaunchSpec{Owner: Owner{Kind: Managed, Cluster: "a", Machine: "m1"}})
	orphan := c.Inject(LaunchSpec{IDPrefix: "i-", IDDigits: 17, Owner: Owner{Kind: Orphan, Cluster: "a"}})
	if orphan.State() != Running {
		t.Fatalf("injected VM is %s", orphan.State())
	}
	if _, err := c.Get(orphan.ID); err != nil {
		t.Fatalf("injected VM must be visible at once: %v", err)
	}
	clk.Step(time.Second)
	if err := c.Kill(vm.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := c.Get(vm.ID); got.State() != ShuttingDown {
		t.Fatalf("killed VM is %s", got.State())
	}
	if err := c.Vanish(orphan.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(orphan.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("vanished VM still visible: %v", err)
	}
	if o, ok := c.Owner(orphan.ID); !ok || o.Kind != Orphan {
		t.Errorf("oracle: %+v", o)
	}
	kinds := map[EventKind]int{}
	for _, e := range c.Events() {
		kinds[e.Kind]++
	}
	if kinds[KindChaos] != 3 || kinds[KindState] < 3 {
		t.Errorf("event log %v", kinds)
	}
}

func TestTagIndexFollowsChanges(t *testing.T) {
	t.Parallel()
	c, _ := newCloud(Options{})
	a := launch(t, c, LaunchSpec{Tags: map[string]string{"Name": "a", "cluster": "x"}})
	b := launch(t, c, LaunchSpec{Tags: map[string]string{"Name": "b", "cluster": "x"}})
	count := func(k, v string) int { return len(c.ListByTag(k, v, nil)) }
	if count("cluster", "x") != 2 || count("Name", "a") != 1 {
		t.Fatalf("index after launch: %d, %d", count("cluster", "x"), count("Name", "a"))
	}
	if err := c.SetTags([]string{a.ID}, map[string]string{"Name": "renamed"}); err != nil {
		t.Fatal(err)
	}
	if count("Name", "a") != 0 || count("Name", "renamed") != 1 {
		t.Fatal("index not updated by SetTags")
	}
	if err := c.DeleteTags([]string{b.ID}, map[string]*string{"cluster": nil}); err != nil {
		t.Fatal(err)
	}
	if count("cluster", "x") != 1 {
		t.Fatal("index not updated by DeleteTags")
	}
	if err := c.Vanish(a.ID); err != nil {
		t.Fatal(err)
	}
	if count("cluster", "x") != 0 || count("Name", "renamed") != 0 {
		t.Fatal("index not updated by Vanish")
	}
}
