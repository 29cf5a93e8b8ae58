// Command bench-scale times a MachineSet of N machines to Running and back
// to none on the embedded control plane, with the reference controller,
// a provider's driver and its simulator, and prints one line:
//
//	scale: N machines Running in S s (R/s), deleted in D s; X API writes per machine; peak RSS M MB; ceiling C writes/s (P% used)
//
// It measures the API server's ceiling first, in the same run, and prints
// a progress line every few seconds while it waits.
package main

import (
	"github.com/go-logr/logr"
	"k8s.io/klog/v2"
	ctrl "sigs.k8s.io/controller-runtime"

	"context"
	"flag"
	"fmt"
	"maps"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/machine-conformance/machine-conformance/internal/scale"
	"github.com/machine-conformance/machine-conformance/internal/testcluster"
	"github.com/machine-conformance/machine-conformance/providers"
	_ "github.com/machine-conformance/machine-conformance/providers/all"
)

func main() {
	n := flag.Int("n", 100, "machines in the MachineSet")
	provider := flag.String("provider", "aws", "registered provider with a simulator")
	timeout := flag.Duration("timeout", 30*time.Minute, "longest wait for Running, and for none")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of this process (controller, driver, simulator, node joining) here")
	// The embedded API server runs without its watch cache unless told
	// otherwise: with one, it alone passed 2 GB at 10,000 machines (754 MB
	// without), and the run took as long either way.
	apiserverFlags := map[string][]string{"watch-cache": {"false"}}
	userSetWatchCache := false
	flag.Func("apiserver-flag", "NAME=VALUE set on kube-apiserver's command line (repeatable; default watch-cache=false), e.g. watch-cache=true",
		func(v string) error {
			name, value, ok := strings.Cut(v, "=")
			if !ok || name == "" {
				return fmt.Errorf("%q is not NAME=VALUE", v)
			}
			if name == "watch-cache" && !userSetWatchCache {
				apiserverFlags[name], userSetWatchCache = nil, true // the user's value replaces the default
			}
			apiserverFlags[name] = append(apiserverFlags[name], value)
			return nil
		})
	memoryLimit := flag.Int64("go-memory-limit-mib", 800, "soft memory limit of this process's Go runtime in MiB (not of kube-apiserver and etcd); 0: none")
	flag.Parse()
	if *memoryLimit > 0 {
		debug.SetMemoryLimit(*memoryLimit << 20)
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench-scale: --cpuprofile:", err)
			os.Exit(2)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "bench-scale: --cpuprofile:", err)
			os.Exit(2)
		}
		defer pprof.StopCPUProfile()
	}
	ctrl.SetLogger(logr.Discard()) // the controller's logs are not what is measured
	klog.SetLogger(logr.Discard())
	p, err := providers.Get(*provider)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench-scale:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	res, err := scale.Run(ctx, scale.Options{N: *n, Provider: p, Progress: os.Stderr, Timeout: *timeout,
		Cluster: testcluster.Options{APIServerFlags: apiserverFlags}})
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench-scale:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "scale: writes per machine by request: %v\n", res.WritesByRequest)
	fmt.Fprintf(os.Stderr, "scale: reconcilers: %v\n", res.Timings)
	fmt.Fprintf(os.Stderr, "scale: peak RSS by process (MB):")
	for _, name := range slices.Sorted(maps.Keys(res.PeakRSSByProcess)) {
		fmt.Fprintf(os.Stderr, " %s %d", name, res.PeakRSSByProcess[name]>>20)
	}
	fmt.Fprintln(os.Stderr)
	fmt.Println(res)
}
