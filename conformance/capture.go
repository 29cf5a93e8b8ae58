package conformance

import (
	"flag"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/go-logr/logr"
	"github.com/go-logr/logr/funcr"
	. "github.com/onsi/ginkgo/v2"
	"k8s.io/klog/v2"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"
)

// captureVerbosity is the klog and logr verbosity the run captures at:
// drivers log requests at 2-4; client-go's request bodies start at 8.
const captureVerbosity = 4

// output is what the suite captures while it runs: the process's stdout and
// stderr (fmt, log, anything printing), klog and the controller-runtime
// logger, each passed through the secret scanner. Stdout and stderr still
// reach the terminal; logs go to GinkgoWriter, shown with a failing spec.
type output struct {
	scanner *secretScanner
	stdout  *os.File
	stderr  *os.File
	pipes   []*teePipe
	logger  logr.Logger
}

// captureOutput starts capturing; release restores everything.
func captureOutput(scanner *secretScanner) (*output, error) {
	o := &output{scanner: scanner, stdout: os.Stdout, stderr: os.Stderr}
	for _, target := range []struct {
		file   **os.File
		source string
	}{{&os.Stdout, "the process's stdout"}, {&os.Stderr, "the process's stderr"}} {
		p, err := newTeePipe(*target.file, scanner.stream(target.source))
		if err != nil {
			o.release()
			return nil, err
		}
		o.pipes = append(o.pipes, p)
		*target.file = p.w
	}
	logs := io.MultiWriter(scanner.stream("klog output"), GinkgoWriter)
	klog.LogToStderr(false)
	klog.SetOutput(logs)
	fs := flag.NewFlagSet("klog", flag.ContinueOnError)
	klog.InitFlags(fs)
	_ = fs.Set("v", fmt.Sprint(captureVerbosity))
	ctrlLogs := io.MultiWriter(scanner.stream("the controller's log"), GinkgoWriter)
	o.logger = funcr.New(func(prefix, args string) { fmt.Fprintln(ctrlLogs, prefix, args) },
		funcr.Options{Verbosity: captureVerbosity})
	ctrllog.SetLogger(o.logger)
	return o, nil
}

// release restores stdout, stderr and klog and waits until everything
// captured has been scanned and passed on.
func (o *output) release() {
	os.Stdout, os.Stderr = o.stdout, o.stderr
	for _, p := range o.pipes {
		p.close()
	}
	o.pipes = nil
	klog.SetOutput(o.stderr)
	klog.LogToStderr(true)
}

// teePipe is a pipe whose reader copies everything to a file and a writer.
type teePipe struct {
	w    *os.File
	done sync.WaitGroup
}

func newTeePipe(to *os.File, also io.Writer) (*teePipe, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("capturing output: %w", err)
	}
	p := &teePipe{w: w}
	p.done.Add(1)
	go func() {
		defer p.done.Done()
		_, _ = io.Copy(io.MultiWriter(to, also), r)
		_ = r.Close()
	}()
	return p, nil
}

func (p *teePipe) close() {
	_ = p.w.Close()
	p.done.Wait()
}
