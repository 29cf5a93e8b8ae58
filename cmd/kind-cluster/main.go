// Command kind-cluster drives package kind for `make kind-up` and
// `make kind-down`; it only binds flags onto kind.Options:
//
//	kind-cluster up --node-image=IMAGE --node-image-has-cni   # create or reuse
//	kind-cluster kubeconfig --kubeconfig=FILE                 # write credentials
//	kind-cluster load --archive=images.tar                    # docker save output
//	kind-cluster down                                         # delete
//
// Exit codes: 0 done; 1 the operation failed; 2 bad usage; 3 no container
// engine (hack/container-engine.sh makes one where it can).
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/machine-conformance/machine-conformance/kind"
	kindcmd "sigs.k8s.io/kind/pkg/cmd"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	verb := os.Args[1]
	var opts kind.Options
	flags := flag.NewFlagSet("kind-cluster "+verb, flag.ExitOnError)
	flags.StringVar(&opts.Name, "name", kind.DefaultClusterName, "cluster name")
	flags.StringVar(&opts.KubeconfigPath, "kubeconfig", "", "kubeconfig file to write (default: $KUBECONFIG, else ~/.kube/config)")
	flags.StringVar(&opts.NodeImage, "node-image", "", "node image (default: kind's, which needs a registry)")
	flags.BoolVar(&opts.NodeImageHasCNI, "node-image-has-cni", false, "the node image brings its own CNI configuration (our offline image does)")
	flags.DurationVar(&opts.WaitForReady, "wait", kind.DefaultWaitForReady, "how long up waits for the control plane to be Ready")
	archive := flags.String("archive", "", "load: image archive (docker save output) to load into every node")
	_ = flags.Parse(os.Args[2:])

	clusters, err := kind.New(kindcmd.NewLogger())
	if err != nil {
		fail(3, err)
	}
	start := time.Now()
	switch verb {
	case "up":
		var result kind.UpResult
		result, err = clusters.Up(opts)
		if err == nil {
			action := "created"
			if result.Reused {
				action = "reused"
			}
			fmt.Fprintf(os.Stderr, "kind-cluster: %s cluster %q in %s\n", action, result.Name, time.Since(start).Round(100*time.Millisecond))
		}
	case "kubeconfig":
		err = clusters.ExportKubeconfig(opts)
	case "load":
		if *archive == "" {
			fail(2, errors.New("load needs --archive=FILE"))
		}
		err = clusters.LoadImageArchive(opts, *archive)
	case "down":
		err = clusters.Down(opts)
	default:
		usage()
	}
	if err != nil {
		fail(1, err)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: kind-cluster up|kubeconfig|load|down [flags]; kind-cluster up -h lists the flags")
	os.Exit(2)
}

func fail(code int, err error) {
	fmt.Fprintln(os.Stderr, "kind-cluster:", err)
	os.Exit(code)
}
