// Command machine-controller is this provider's MCM machine controller: MCM's
// own controller (pkg/util/provider/app) with the provider's driver inside,
// built the way every MCM provider repository builds its binary.
package main

import (
	"fmt"
	"os"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/app"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/app/options"
	"github.com/spf13/pflag"
	"k8s.io/component-base/logs"

	"example.com/machine-controller-manager-provider-example/pkg/example"
)

func main() {
	s := options.NewMCServer()
	s.AddFlags(pflag.CommandLine)
	endpoint := pflag.String("ec2-endpoint", os.Getenv("AWS_ENDPOINT_URL_EC2"), "EC2 endpoint override")
	pflag.Parse()
	logs.InitLogs()
	defer logs.FlushLogs()
	if err := app.Run(s, example.NewDriver(*endpoint)); err != nil {
		fmt.Fprintln(os.Stderr, "machine-controller:", err)
		os.Exit(1)
	}
}
