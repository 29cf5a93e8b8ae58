// Package drivercalls records the calls a machine controller makes to its
// driver: method, machine name, class and the machine code answered. The
// conformance suite's differential check compares these records between
// the reference controller (in-process, Wrap with a function) and MCM's
// own controller (a child process that appends them to the file EnvFile
// names, one JSON object per line).
package drivercalls

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"

	"github.com/machine-conformance/machine-conformance/internal/machinecode"
)

// EnvFile is the environment variable naming the file a controller process
// appends its driver calls to.
const EnvFile = "MACHINE_CONFORMANCE_DRIVER_CALLS"

// Call is one driver call as the controller made it.
type Call struct {
	Time    time.Time `json:"time"`
	Method  string    `json:"method"`
	Machine string    `json:"machine,omitempty"` // empty for ListMachines and GetVolumeIDs
	Class   string    `json:"class,omitempty"`
	Code    string    `json:"code"` // the machine code answered: "OK", "NotFound", ...
}

// Wrap returns d recording every call into record, after it returns.
func Wrap(d driver.Driver, record func(Call)) driver.Driver {
	return &recorder{d: d, record: record}
}

type recorder struct {
	d      driver.Driver
	record func(Call)
}

func (r *recorder) note(method string, m *v1alpha1.Machine, class *v1alpha1.MachineClass, err error) {
	c := Call{Time: time.Now(), Method: method, Code: code(err)}
	if m != nil {
		c.Machine = m.Name
	}
	if class != nil {
		c.Class = class.Name
	}
	r.record(c)
}

func code(err error) string {
	c, isStatus := machinecode.Of(err)
	if !isStatus {
		return "not-a-status"
	}
	return c.String()
}

// FileRecorder appends calls to path as JSON lines, each written whole, so
// that a reader sees every call that returned before it reads.
type FileRecorder struct {
	mu   sync.Mutex
	file *os.File
}

// OpenFile opens (creating or appending to) a call file.
func OpenFile(path string) (*FileRecorder, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("opening the driver call file: %w", err)
	}
	return &FileRecorder{file: f}, nil
}

// Record appends c; a failed write is reported on stderr once per call,
// never to the driver's caller.
func (f *FileRecorder) Record(c Call) {
	line, _ := json.Marshal(c)
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, err := f.file.Write(append(line, '\n')); err != nil {
		fmt.Fprintf(os.Stderr, "drivercalls: recording a %s call: %v\n", c.Method, err)
	}
}

// Close closes the file.
func (f *FileRecorder) Close() error { return f.file.Close() }

// ReadFile reads the calls recorded in path; a missing file holds none. A
// last line cut short by a writer still at work is left out; any other
// malformed line is an error naming the file and line.
func ReadFile(path string) ([]Call, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var calls []Call
	scanner := bufio.NewScanner(f)
	scanner.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	var pending error
	for n := 1; scanner.Scan(); n++ {
		if pending != nil {
			return nil, pending
		}
		var c Call
		if err := json.Unmarshal(scanner.Bytes(), &c); err != nil {
			pending = fmt.Errorf("%s:%d: not a driver call: %w", path, n, err)
			continue
		}
		calls = append(calls, c)
	}
	return calls, scanner.Err()
}
