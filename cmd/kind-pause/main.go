// Command kind-pause is the pod sandbox ("pause") container of the offline
// kind node image (hack/kind-node-image.sh) and the probe that
// hack/container-engine.sh runs to check privileged containers.
//
// It holds a pod's namespaces open doing nothing, reaps the orphans it
// inherits when it is PID 1 of a pod's shared PID namespace, and exits on
// SIGINT or SIGTERM. With -v it prints its name and exits at once.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "-v" {
		fmt.Println("kind-pause (machine-conformance)")
		return
	}
	signals := make(chan os.Signal, 8)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for s := range signals {
		if s != syscall.SIGCHLD {
			return
		}
		reapExitedChildren()
	}
}

// reapExitedChildren collects every child that has exited, so none stays a
// zombie; it never blocks.
func reapExitedChildren() {
	for {
		var status syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &status, syscall.WNOHANG, nil)
		if pid <= 0 || err != nil {
			return
		}
	}
}
