// Command kind-apiprobe runs in a pod and checks that the pod network reaches
// the API server through the kubernetes Service with the pod's
// ServiceAccount, and that cluster DNS answers: it GETs /version with the
// mounted token and CA, resolves kubernetes.default.svc, and prints
// "apiserver <gitVersion> reached at <address>; kubernetes.default.svc is
// <addresses>". It exits non-zero on any failure. The kind tier's end-to-end test (kind/e2e_test.go) runs it from
// a one-file image, with no registry.
package main

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"
)

const serviceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount"

func main() {
	if err := probe(); err != nil {
		fmt.Fprintln(os.Stderr, "kind-apiprobe:", err)
		os.Exit(1)
	}
}

func probe() error {
	token, err := os.ReadFile(serviceAccountDir + "/token")
	if err != nil {
		return err
	}
	caPEM, err := os.ReadFile(serviceAccountDir + "/ca.crt")
	if err != nil {
		return err
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(caPEM) {
		return fmt.Errorf("%s/ca.crt holds no PEM certificate", serviceAccountDir)
	}
	host, port := os.Getenv("KUBERNETES_SERVICE_HOST"), os.Getenv("KUBERNETES_SERVICE_PORT")
	if host == "" || port == "" {
		return fmt.Errorf("KUBERNETES_SERVICE_HOST or KUBERNETES_SERVICE_PORT is unset: not in a pod?")
	}
	address := net.JoinHostPort(host, port)
	client := &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}},
	}
	request, err := http.NewRequest(http.MethodGet, "https://"+address+"/version", nil)
	if err != nil {
		return err
	}
	request.Header.Set("Authorization", "Bearer "+string(token))
	response, err := client.Do(request)
	if err != nil {
		return err
	}
	defer response.Body.Close()
	if response.StatusCode != http.StatusOK {
		return fmt.Errorf("GET https://%s/version: %s", address, response.Status)
	}
	var version struct {
		GitVersion string `json:"gitVersion"`
	}
	if err := json.NewDecoder(response.Body).Decode(&version); err != nil {
		return fmt.Errorf("GET https://%s/version: %w", address, err)
	}
	// The pod's resolv.conf search path completes the name (cluster DNS).
	serviceAddresses, err := net.LookupHost("kubernetes.default.svc")
	if err != nil {
		return fmt.Errorf("cluster DNS: %w", err)
	}
	fmt.Printf("apiserver %s reached at %s; kubernetes.default.svc is %v\n", version.GitVersion, address, serviceAddresses)
	return nil
}
