//go:build tools

// Package tools pins CoreDNS for hack/kind-node-image.sh; it is never
// compiled on its own.
package tools

import _ "github.com/coredns/coredns"
