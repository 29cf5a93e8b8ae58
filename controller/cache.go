package controller

import "sigs.k8s.io/controller-runtime/pkg/cache"

// CacheOptions are the manager cache options the reference controller is
// meant to run with (cache.Options for ctrl.Options.Cache).
//
// The cache watches namespace only, or all namespaces when it is empty,
// as Options.Namespace should say too. It keeps no managedFields: no
// reconciler reads them, an update sent without them leaves the server's
// as they are, and they held 17 MB at 10,000 Machines and Nodes (of
// cmd/bench-scale's 184 MB live heap, --memprofile).
func CacheOptions(namespace string) cache.Options {
	o := cache.Options{DefaultTransform: cache.TransformStripManagedFields()}
	if namespace != "" {
		o.DefaultNamespaces = map[string]cache.Config{namespace: {}}
	}
	return o
}
