package conformance

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// active is the scanner of the running suite, for FailHandler.
var active atomic.Pointer[secretScanner]

// FailHandler is Ginkgo's Fail with the class Secret's values redacted from
// the message, so the suite never prints a secret even when a driver puts
// one into an error. Test and the CLI register it; a suite that embeds
// GinkgoTest registers it with RegisterFailHandler(conformance.FailHandler).
func FailHandler(message string, callerSkip ...int) {
	skip := 1
	if len(callerSkip) > 0 {
		skip += callerSkip[0]
	}
	Fail(active.Load().redact(message), skip)
}

// watchForSecrets starts the secret scanner over the provider's sample and
// fixture secrets and captures the process's output through it.
func (h *harness) watchForSecrets() error {
	secrets := []map[string][]byte{h.cfg.Provider.SampleSecret}
	if fixtures, err := h.cfg.Provider.LoadFixtures(); err == nil {
		for _, f := range fixtures {
			secrets = append(secrets, f.Secret)
		}
	}
	h.secrets = newSecretScanner(secrets...)
	active.Store(h.secrets)
	out, err := captureOutput(h.secrets)
	if err != nil {
		return err
	}
	h.out = out
	h.stop = append(h.stop, func() error { out.release(); return nil })
	return nil
}

func (h *harness) redact(s string) string { return h.secrets.redact(s) }

// scanMachine looks for secrets in what a Machine's status tells users.
func (h *harness) scanMachine(m *v1alpha1.Machine) {
	if m == nil {
		return
	}
	h.secrets.scan("Machine status", m.Status.LastOperation.Description)
	h.secrets.scan("Machine status", m.Status.LastKnownState)
}

// scanEvents looks for secrets in every event of the run's namespace.
func (h *harness) scanEvents(ctx context.Context) error {
	events := &eventsv1.EventList{}
	if err := h.admin.List(ctx, events, client.InNamespace(h.namespace)); err != nil {
		return err
	}
	for _, e := range events.Items {
		h.secrets.scan("events", e.Note)
	}
	core := &corev1.EventList{}
	if err := h.admin.List(ctx, core, client.InNamespace(h.namespace)); err != nil {
		return err
	}
	for _, e := range core.Items {
		h.secrets.scan("events", e.Message)
	}
	return nil
}

// The secrets group judges the whole run, so it runs last.
var _ = describeGroup("secrets", func(env func() *harness) {
	It("no value of the class Secret appears in output, logs, events, Machine statuses or reports [MUST]", func(ctx SpecContext) {
		h := env()
		Expect(h.scanEvents(ctx)).To(Succeed())
		if h.inCluster() {
			Expect(h.scanControllerLog(ctx)).To(Succeed())
		}
		time.Sleep(100 * time.Millisecond) // let the output pipes hand over what was printed last
		if leaks := h.secrets.findings(); len(leaks) > 0 {
			Fail(fmt.Sprintf("%s (the values are not shown); %s", strings.Join(leaks, "; "), ruleNoSecretsInLogs))
		}
	})
})
