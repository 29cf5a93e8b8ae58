package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

// writeHeapProfiles writes this process's live heap, as of a garbage
// collection run now, to path, and kube-apiserver's (from its
// /debug/pprof/heap, as of its last collection) to path plus
// ".kube-apiserver"; a failure is reported and the run goes on.
func writeHeapProfiles(path string, cfg *rest.Config) {
	f, err := os.Create(path)
	if err == nil {
		runtime.GC()
		err = errors.Join(pprof.WriteHeapProfile(f), f.Close())
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench-scale: --memprofile:", err)
		return
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Fprintf(os.Stderr, "scale: at all Running: heap %d MB live, %d MB from the OS; stacks %d MB; %d goroutines; heap profile in %s\n",
		ms.HeapAlloc>>20, ms.HeapSys>>20, ms.StackSys>>20, runtime.NumGoroutine(), path)
	apiserver := path + ".kube-apiserver"
	if err := fetchHeapProfile(cfg, apiserver); err != nil {
		fmt.Fprintln(os.Stderr, "bench-scale: --memprofile: kube-apiserver's heap:", err)
		return
	}
	fmt.Fprintf(os.Stderr, "scale: kube-apiserver's heap profile in %s\n", apiserver)
}

// fetchHeapProfile saves kube-apiserver's /debug/pprof/heap (served while
// its --profiling is on, the default) to path.
func fetchHeapProfile(cfg *rest.Config, path string) error {
	kube, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	profile, err := kube.CoreV1().RESTClient().Get().AbsPath("/debug/pprof/heap").DoRaw(ctx)
	if err != nil {
		return fmt.Errorf("GET /debug/pprof/heap: %w", err)
	}
	return os.WriteFile(path, profile, 0o644)
}
