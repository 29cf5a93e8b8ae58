// Package deploy renders the objects that run a machine controller, and
// optionally a cloud simulator, inside a cluster as production runs them:
// a Deployment under a ServiceAccount bound to one ClusterRole, the
// driver's settings in a Secret, and the simulator on the node's network
// so that pods and the host reach it at one address.
//
// It knows Kubernetes objects, not controllers: callers say which image,
// command and flags run (see conformance and cmd/kind-cluster). Objects
// gives the typed objects to create; Render gives the same as YAML for
// kubectl and for golden tests.
package deploy
