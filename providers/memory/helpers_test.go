package memory

import "k8s.io/apimachinery/pkg/util/validation/field"

func hasField(errs field.ErrorList, path string) bool {
	for _, e := range errs {
		if e.Field == path {
			return true
		}
	}
	return false
}
