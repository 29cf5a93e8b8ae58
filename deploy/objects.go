package deploy

import (
	"fmt"
	"maps"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// Objects returns SimulatorObjects then ControllerObjects, in the order to
// create them.
func Objects(o Options) ([]client.Object, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	sim, err := SimulatorObjects(o)
	if err != nil {
		return nil, err
	}
	ctrl, err := ControllerObjects(o)
	return append(sim, ctrl...), err
}

// SimulatorObjects returns the simulator's Deployment, or nothing when
// Options.Simulator.Image is empty. A caller creates it first when the
// controller's settings hold the simulator's address.
func SimulatorObjects(o Options) ([]client.Object, error) {
	if o.Simulator.Image == "" {
		return nil, nil
	}
	if err := joinInvalid(o.simulatorErrors()); err != nil {
		return nil, err
	}
	return []client.Object{o.simulatorDeployment()}, nil
}

// ControllerObjects returns what runs the controller, in the order to
// create them: RBAC, the settings Secret, then the Deployment.
func ControllerObjects(o Options) ([]client.Object, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	var objs []client.Object
	if o.ClusterRole != nil {
		role := o.ClusterRole.DeepCopy()
		role.TypeMeta = metav1.TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "ClusterRole"}
		role.Labels = withPartOf(role.Labels)
		objs = append(objs, role)
	}
	objs = append(objs,
		&corev1.ServiceAccount{TypeMeta: typeMeta("v1", "ServiceAccount"), ObjectMeta: o.meta(ControllerName)},
		&rbacv1.ClusterRoleBinding{
			TypeMeta:   typeMeta("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
			ObjectMeta: metav1.ObjectMeta{Name: BindingName(o.Namespace), Labels: withPartOf(nil)},
			RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: o.ClusterRoleName},
			Subjects:   []rbacv1.Subject{{Kind: rbacv1.ServiceAccountKind, Namespace: o.Namespace, Name: ControllerName}},
		},
		&corev1.Secret{TypeMeta: typeMeta("v1", "Secret"), ObjectMeta: o.meta(ControllerName + "-env"),
			StringData: maps.Clone(o.Controller.Env)},
		o.controllerDeployment())
	return objs, nil
}

// BindingName is the controller's ClusterRoleBinding for namespace.
func BindingName(namespace string) string { return ControllerName + "-" + namespace }

func (o Options) controllerDeployment() *appsv1.Deployment {
	c := corev1.Container{
		Name: ControllerName, Image: o.Controller.Image, ImagePullPolicy: corev1.PullIfNotPresent,
		Command: o.Controller.Command, Args: o.Controller.Args,
		EnvFrom: []corev1.EnvFromSource{{SecretRef: &corev1.SecretEnvSource{
			LocalObjectReference: corev1.LocalObjectReference{Name: ControllerName + "-env"}}}},
		SecurityContext: restricted(),
	}
	if o.MetricsPort > 0 {
		c.Ports = []corev1.ContainerPort{{Name: "metrics", ContainerPort: o.MetricsPort, Protocol: corev1.ProtocolTCP}}
	}
	pod := corev1.PodSpec{ServiceAccountName: ControllerName, Containers: []corev1.Container{c},
		SecurityContext: &corev1.PodSecurityContext{RunAsNonRoot: ptr.To(true), RunAsUser: ptr.To[int64](65532)}}
	return o.deployment(ControllerName, pod)
}

func (o Options) simulatorDeployment() *appsv1.Deployment {
	first := o.Simulator.firstPort()
	names := [simulatorPorts]string{"control", "ec2", "s3", "sts", "openstack"}
	args := []string{"--cloud=" + o.Simulator.Cloud, "--advertise-host=$(HOST_IP)"}
	var ports []corev1.ContainerPort
	for i, name := range names {
		port := first + int32(i)
		args = append(args, fmt.Sprintf("--%s-listen=0.0.0.0:%d", name, port))
		// Declared, so that the scheduler refuses a node whose ports are taken.
		ports = append(ports, corev1.ContainerPort{Name: name, ContainerPort: port, HostPort: port, Protocol: corev1.ProtocolTCP})
	}
	c := corev1.Container{
		Name: SimulatorName, Image: o.Simulator.Image, ImagePullPolicy: corev1.PullIfNotPresent,
		Command: []string{"/" + SimulatorName}, Args: append(args, o.Simulator.Args...),
		Env: []corev1.EnvVar{{Name: "HOST_IP", ValueFrom: &corev1.EnvVarSource{
			FieldRef: &corev1.ObjectFieldSelector{FieldPath: "status.hostIP"}}}},
		Ports: ports,
		ReadinessProbe: &corev1.Probe{
			ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{
				Path: "/_simulator/env", Port: intstr.FromString("control")}},
			PeriodSeconds: 1,
		},
		SecurityContext: restricted(),
	}
	pod := corev1.PodSpec{
		// On the node's network, the simulator has one address for pods
		// and for a harness on the host: the node's IP.
		HostNetwork: true, DNSPolicy: corev1.DNSClusterFirstWithHostNet,
		Containers:      []corev1.Container{c},
		SecurityContext: &corev1.PodSecurityContext{RunAsNonRoot: ptr.To(true), RunAsUser: ptr.To[int64](65532)},
	}
	return o.deployment(SimulatorName, pod)
}

func (o Options) deployment(name string, pod corev1.PodSpec) *appsv1.Deployment {
	labels := map[string]string{AppLabel: name}
	return &appsv1.Deployment{
		TypeMeta:   typeMeta("apps/v1", "Deployment"),
		ObjectMeta: o.meta(name),
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr.To[int32](1),
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			// One controller at a time: the old pod goes before the new starts.
			Strategy: appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: withPartOf(maps.Clone(labels))}, Spec: pod},
		},
	}
}

func (o Options) meta(name string) metav1.ObjectMeta {
	return metav1.ObjectMeta{Namespace: o.Namespace, Name: name, Labels: withPartOf(nil)}
}

func typeMeta(apiVersion, kind string) metav1.TypeMeta {
	return metav1.TypeMeta{APIVersion: apiVersion, Kind: kind}
}

func withPartOf(labels map[string]string) map[string]string {
	if labels == nil {
		labels = map[string]string{}
	}
	labels[PartOfLabel] = PartOf
	return labels
}

func restricted() *corev1.SecurityContext {
	return &corev1.SecurityContext{
		AllowPrivilegeEscalation: ptr.To(false),
		ReadOnlyRootFilesystem:   ptr.To(true),
		Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
	}
}
