package deploy

import (
	"bytes"

	"sigs.k8s.io/yaml"
)

// Render returns Objects as one YAML stream, as `kubectl apply -f -`
// takes it. Map keys come out sorted, so the same Options give the same
// bytes.
func Render(o Options) ([]byte, error) {
	objs, err := Objects(o)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	for i, obj := range objs {
		if i > 0 {
			out.WriteString("---\n")
		}
		y, err := yaml.Marshal(obj)
		if err != nil {
			return nil, err
		}
		out.Write(y)
	}
	return out.Bytes(), nil
}
