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
	"k8s.io/client-go/rest"
	"k8s.io/klog/v2"
	ctrl "sigs.k8s.io/controller-runtime"

	"cmp"
	"context"
	"flag"
	"fmt"
	"maps"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"slices"
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
	memProfile := flag.String("memprofile", "", "once all N machines are Running, write a heap profile of this process here, and kube-apiserver's here plus .kube-apiserver")
	// The embedded API server runs without its watch cache unless told
	// otherwise: with one, it alone passed 2 GB at 10,000 machines (754 MB
	// without), and the run took as long either way.
	apiserverFlags := newProcessFlags(map[string][]string{"watch-cache": {"false"}})
	flag.Var(apiserverFlags, "apiserver-flag", "NAME=VALUE set on kube-apiserver's command line (repeatable; replaces a default of the same NAME), e.g. watch-cache=true")
	etcdFlags := newProcessFlags(nil)
	flag.Var(etcdFlags, "etcd-flag", "NAME=VALUE set on etcd's command line (repeatable; replaces a default of the same NAME)")
	// This process's Go runtime keeps under a soft limit of 600 MiB unless
	// told otherwise: at 10,000 machines it peaked at 643 MB under it,
	// against 863 MB under 800 MiB before the cache stopped keeping
	// managedFields (README, Scale).
	memoryLimit := flag.Int64("go-memory-limit-mib", 600, "soft memory limit of this process's Go runtime in MiB (not of kube-apiserver and etcd); 0: none")
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
	opts := scale.Options{N: *n, Provider: p, Progress: os.Stderr, Timeout: *timeout,
		Cluster: testcluster.Options{APIServerFlags: apiserverFlags.values, EtcdFlags: etcdFlags.values}}
	fmt.Fprintf(os.Stderr, "scale: kube-apiserver %s; etcd %s; this process's Go memory limit %d MiB\n",
		apiserverFlags, cmp.Or(etcdFlags.String(), "(envtest's flags)"), *memoryLimit)
	if *memProfile != "" {
		opts.AllRunning = func(cfg *rest.Config) { writeHeapProfiles(*memProfile, cfg) }
	}
	res, err := scale.Run(ctx, opts)
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
