// Package kind creates, reuses, loads images into and deletes the kind
// clusters the conformance suite's kind tier runs on. It drives kind's own
// library (sigs.k8s.io/kind/pkg/cluster), never a kind binary.
//
// Design choices:
//   - The kind configuration is rendered here in Go from Options, and the
//     rendered bytes are what kind gets, so the golden test of Render
//     (testdata/*.golden) checks exactly what a cluster is made from.
//   - Every cluster gets a KubeletConfiguration patch with failCgroupV1:
//     false: kubelet 1.35 and later refuse to start on cgroup v1 hosts
//     otherwise (the machines this suite is developed on are cgroup v1),
//     and the setting does nothing on cgroup v2.
//   - Up reuses a cluster of the same name when its API server answers and
//     it was made from the same rendered configuration (kept on its control
//     plane node); otherwise it replaces it. Reuse is what makes the local
//     loop fast.
//   - The offline node image of hack/kind-node-image.sh ships its own CNI
//     configuration (Debian's bridge plugin), so kind must not install its
//     default one: Options.NodeImageHasCNI. That network serves one node,
//     which is why Options has no worker count.
package kind
