// Command machine-controller runs the reference machine controller against
// the cluster of a kubeconfig, driving the provider chosen by name:
//
//	machine-controller --provider=memory --kubeconfig=$HOME/.kube/config
//
// It binds flags onto controller.Options and nothing more; see package
// controller for what it does.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], environ()); err != nil {
		fmt.Fprintln(os.Stderr, "machine-controller:", err)
		os.Exit(1)
	}
}

// environ returns the process environment as a map, handed to the provider's
// driver factory (endpoint overrides and similar settings).
func environ() map[string]string {
	env := map[string]string{}
	for _, kv := range os.Environ() {
		for i := 0; i < len(kv); i++ {
			if kv[i] == '=' {
				env[kv[:i]] = kv[i+1:]
				break
			}
		}
	}
	return env
}
