package deploy

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	"sigs.k8s.io/yaml"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

func referenceOptions() Options {
	return Options{
		Namespace: "conformance-abcde",
		Controller: Container{
			Image:   "machine-conformance.local/machine-controller:0123456789ab",
			Command: []string{"/machine-controller"},
			Args:    []string{"--provider=aws", "--namespace=conformance-abcde", "--metrics-bind-address=:8080"},
			Env:     map[string]string{"AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL_EC2": "http://172.18.0.2:18080"},
		},
		ClusterRoleName: "reference-machine-controller",
		ClusterRole: &rbacv1.ClusterRole{ObjectMeta: metav1.ObjectMeta{Name: "reference-machine-controller"},
			Rules: []rbacv1.PolicyRule{{APIGroups: []string{"machine.sapcloud.io"}, Resources: []string{"machines"}, Verbs: []string{"get"}}}},
		MetricsPort: 8080,
		Simulator:   Simulator{Image: "machine-conformance.local/cloud-simulator:0123456789ab", Cloud: "aws", Args: []string{"--pending-for=500ms"}},
	}
}

// TestRenderMatchesGolden pins the manifests; after an intended change,
// regenerate with: go test ./deploy -run TestRenderMatchesGolden -update
func TestRenderMatchesGolden(t *testing.T) {
	t.Parallel()
	mcm := referenceOptions()
	mcm.Controller.Command = []string{"/mcm-machine-controller"}
	mcm.ClusterRoleName, mcm.ClusterRole, mcm.MetricsPort, mcm.Simulator = "cluster-admin", nil, 0, Simulator{}
	for name, opts := range map[string]Options{"reference-with-simulator": referenceOptions(), "mcm-bound-to-existing-role": mcm} {
		t.Run(name, func(t *testing.T) {
			got, err := Render(opts)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (create it with -update)", err)
			}
			if string(got) != string(want) {
				t.Errorf("Render differs from %s (rerun with -update if intended):\n%s", path, got)
			}
		})
	}
}

// TestObjectsWireControllerToSimulator checks the links the golden files
// only show: the binding names the ServiceAccount the pod runs as, the
// pod reads the settings Secret, and the simulator advertises the node's IP.
func TestObjectsWireControllerToSimulator(t *testing.T) {
	t.Parallel()
	objs, err := Objects(referenceOptions())
	if err != nil {
		t.Fatal(err)
	}
	docs := strings.Split(mustRender(t, referenceOptions()), "---\n")
	if len(docs) != len(objs) {
		t.Fatalf("Render has %d documents for %d objects", len(docs), len(objs))
	}
	var controller, simulator appsv1.Deployment
	var binding rbacv1.ClusterRoleBinding
	for _, d := range docs {
		switch {
		case strings.Contains(d, "kind: ClusterRoleBinding"):
			mustUnmarshal(t, d, &binding)
		case strings.Contains(d, "kind: Deployment") && strings.Contains(d, "name: "+SimulatorName+"\n"):
			mustUnmarshal(t, d, &simulator)
		case strings.Contains(d, "kind: Deployment"):
			mustUnmarshal(t, d, &controller)
		}
	}
	pod := controller.Spec.Template.Spec
	if s := binding.Subjects; len(s) != 1 || s[0].Name != pod.ServiceAccountName || s[0].Namespace != "conformance-abcde" {
		t.Errorf("binding subjects %+v, pod runs as %q", s, pod.ServiceAccountName)
	}
	if ref := pod.Containers[0].EnvFrom; len(ref) != 1 || ref[0].SecretRef.Name != ControllerName+"-env" {
		t.Errorf("controller envFrom %+v, want the settings Secret", ref)
	}
	sim := simulator.Spec.Template.Spec
	if !sim.HostNetwork || !strings.Contains(strings.Join(sim.Containers[0].Args, " "), "--advertise-host=$(HOST_IP)") ||
		sim.Containers[0].Env[0].ValueFrom.FieldRef.FieldPath != "status.hostIP" {
		t.Errorf("simulator pod does not advertise the node's IP on the node's network: %+v", sim)
	}
}

func TestValidateNamesTheField(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(*Options)
		want   string
	}{
		{"namespace", func(o *Options) { o.Namespace = "Bad_NS" }, "Options.Namespace"},
		{"image", func(o *Options) { o.Controller.Image = "" }, "Options.Controller.Image"},
		{"role name", func(o *Options) { o.ClusterRoleName = "" }, "Options.ClusterRoleName"},
		{"role mismatch", func(o *Options) { o.ClusterRoleName = "other" }, "Options.ClusterRole is named"},
		{"env key", func(o *Options) { o.Controller.Env = map[string]string{"1BAD=": "x"} }, "Options.Controller.Env key"},
		{"simulator cloud", func(o *Options) { o.Simulator.Cloud = "" }, "Options.Simulator.Cloud"},
		{"metrics port", func(o *Options) { o.MetricsPort = 70000 }, "Options.MetricsPort"},
		{"simulator ports", func(o *Options) { o.Simulator.FirstPort = 65533 }, "Options.Simulator.FirstPort"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := referenceOptions()
			tt.change(&o)
			_, err := Objects(o)
			if !errors.Is(err, ErrInvalidOptions) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Objects: %v, want ErrInvalidOptions naming %s", err, tt.want)
			}
		})
	}
}

func mustRender(t *testing.T, o Options) string {
	t.Helper()
	b, err := Render(o)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func mustUnmarshal(t *testing.T, doc string, into any) {
	t.Helper()
	if err := yaml.UnmarshalStrict([]byte(doc), into); err != nil {
		t.Fatalf("%v in:\n%s", err, doc)
	}
}

// TestSimulatorObjectsNeedNoController: the simulator is deployed first,
// before the controller's settings (its address) are known.
func TestSimulatorObjectsNeedNoController(t *testing.T) {
	t.Parallel()
	o := Options{Namespace: "ns", Simulator: Simulator{Image: "sim:1", Cloud: "aws"}}
	objs, err := SimulatorObjects(o)
	if err != nil || len(objs) != 1 || objs[0].GetName() != SimulatorName {
		t.Fatalf("SimulatorObjects = %v, %v; want the simulator's Deployment alone", objs, err)
	}
	if _, err := ControllerObjects(o); !errors.Is(err, ErrInvalidOptions) {
		t.Fatalf("ControllerObjects without a controller image: %v, want ErrInvalidOptions", err)
	}
}

// TestFreeSimulatorPort skips the blocks other simulators hold, in any
// namespace.
func TestFreeSimulatorPort(t *testing.T) {
	t.Parallel()
	simulatorPod := func(ns string, first int32) *corev1.Pod {
		o := Options{Namespace: ns, Simulator: Simulator{Image: "sim:1", Cloud: "aws", FirstPort: first}}
		d := o.simulatorDeployment()
		return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "sim", Labels: d.Spec.Template.Labels},
			Spec: d.Spec.Template.Spec}
	}
	tests := []struct {
		name string
		pods []client.Object
		want int32
	}{
		{"none", nil, DefaultSimulatorPort},
		{"the default taken", []client.Object{simulatorPod("dev", 0)}, DefaultSimulatorPort + SimulatorPortStride},
		{"a gap is reused", []client.Object{simulatorPod("a", DefaultSimulatorPort+SimulatorPortStride)}, DefaultSimulatorPort},
		{"two taken", []client.Object{simulatorPod("a", 0), simulatorPod("b", DefaultSimulatorPort+SimulatorPortStride)},
			DefaultSimulatorPort + 2*SimulatorPortStride},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := fake.NewClientBuilder().WithObjects(tt.pods...).Build()
			got, err := FreeSimulatorPort(context.Background(), c)
			if err != nil || got != tt.want {
				t.Fatalf("FreeSimulatorPort = %d, %v; want %d", got, err, tt.want)
			}
		})
	}
}
