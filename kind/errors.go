package kind

import (
	"errors"
	"fmt"
)

// ErrNoContainerEngine means no docker, podman or nerdctl client was found;
// hack/container-engine.sh installs and starts Docker where it can.
var ErrNoContainerEngine = errors.New("no container engine client (docker, podman or nerdctl) on PATH; run hack/container-engine.sh")

// ErrClusterNotFound means the named cluster does not exist; `make kind-up`
// creates it.
var ErrClusterNotFound = errors.New("cluster not found; create it with `make kind-up`")

// OptionsError says which field of Options is wrong and why.
type OptionsError struct {
	Field  string
	Value  string
	Reason string
}

func (e *OptionsError) Error() string {
	return fmt.Sprintf("kind.Options.%s %q: %s", e.Field, e.Value, e.Reason)
}

// Operation names what was being done to a cluster when an OperationError
// happened.
type Operation string

// The operations Clusters performs.
const (
	OperationCreate           Operation = "create"
	OperationList             Operation = "list clusters for"
	OperationDelete           Operation = "delete"
	OperationExportKubeconfig Operation = "export the kubeconfig of"
	OperationLoadImageArchive Operation = "load an image archive into"
)

// OperationError is an operation on one cluster that failed; Err is kind's
// error (or ErrClusterNotFound) and is reachable with errors.Is and As.
type OperationError struct {
	Op      Operation
	Cluster string
	// File is the file the operation read or wrote, where there is one.
	File string
	Err  error
}

func (e *OperationError) Error() string {
	if e.File != "" {
		return fmt.Sprintf("%s kind cluster %q (file %s): %v", e.Op, e.Cluster, e.File, e.Err)
	}
	return fmt.Sprintf("%s kind cluster %q: %v", e.Op, e.Cluster, e.Err)
}

func (e *OperationError) Unwrap() error { return e.Err }
