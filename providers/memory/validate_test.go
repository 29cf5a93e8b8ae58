package memory

import (
	"reflect"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	t.Parallel()
	ok := map[string][]byte{SecretToken: []byte("t"), SecretUserData: []byte("#!")}
	tests := []struct {
		name      string
		spec      string
		secret    map[string][]byte // nil means ok
		wantField string            // "" means valid
		wantMsg   string            // a substring of the error, if set
	}{
		{name: "minimal", spec: specA},
		{name: "every field", spec: `{"cluster":"shoot-1","role":"infra","size":"large","zone":"zone-c","tags":{"team":"x"}}`},
		{name: "no cluster", spec: `{"size":"small"}`, wantField: "providerSpec.cluster"},
		{name: "cluster not a DNS label", spec: `{"cluster":"Shoot_A","size":"small"}`, wantField: "providerSpec.cluster"},
		{name: "no size", spec: `{"cluster":"a"}`, wantField: "providerSpec.size"},
		{name: "unknown size", spec: `{"cluster":"a","size":"huge"}`, wantField: "providerSpec.size",
			wantMsg: "providerSpec.size: Invalid value: \"huge\": must be one of small, medium, large"},
		{name: "role not a DNS label", spec: `{"cluster":"a","size":"small","role":"Big Role"}`, wantField: "providerSpec.role"},
		{name: "zone with a slash", spec: `{"cluster":"a","size":"small","zone":"eu/1"}`, wantField: "providerSpec.zone"},
		{name: "empty tag key", spec: `{"cluster":"a","size":"small","tags":{"":"v"}}`, wantField: "providerSpec.tags"},
		{name: "unknown field", spec: `{"cluster":"a","size":"small","color":"red"}`, wantField: "providerSpec", wantMsg: "color"},
		{name: "wrong type", spec: `{"cluster":"a","size":1}`, wantField: "providerSpec"},
		{name: "trailing data", spec: specA + `{}`, wantField: "providerSpec"},
		{name: "not JSON", spec: `cluster: a`, wantField: "providerSpec"},
		{name: "empty", spec: ``, wantField: "providerSpec"},
		{name: "empty token", spec: specA, secret: map[string][]byte{SecretToken: {}, SecretUserData: []byte("#!")}, wantField: "secret.token"},
		{name: "no token", spec: specA, secret: map[string][]byte{SecretUserData: []byte("#!")}, wantField: "secret.token"},
		{name: "empty userData", spec: specA, secret: map[string][]byte{SecretToken: []byte("t"), SecretUserData: {}}, wantField: "secret.userData"},
		{name: "no secret data", spec: specA, secret: map[string][]byte{}, wantField: "secret.userData"},
	}
	for _, tc := range tests {
		sec := tc.secret
		if sec == nil {
			sec = ok
		}
		errs := Validate([]byte(tc.spec), sec)
		switch {
		case tc.wantField == "" && len(errs) > 0:
			t.Errorf("%s: valid spec rejected: %v", tc.name, errs)
		case tc.wantField != "" && !hasField(errs, tc.wantField):
			t.Errorf("%s: want an error at %s, got %v", tc.name, tc.wantField, errs)
		case tc.wantMsg != "" && !strings.Contains(errs.ToAggregate().Error(), tc.wantMsg):
			t.Errorf("%s: error %q lacks %q", tc.name, errs.ToAggregate(), tc.wantMsg)
		}
	}
}

func TestDecodeSpecDefaults(t *testing.T) {
	t.Parallel()
	ok := map[string][]byte{SecretToken: []byte("t"), SecretUserData: []byte("#!")}
	tests := []struct {
		spec string
		want ProviderSpec
	}{
		{specA, ProviderSpec{Cluster: "a", Role: DefaultRole, Size: "small", Zone: DefaultZone}},
		{`{"cluster":"a","size":"medium","role":"infra","zone":"zone-b","tags":{"k":"v"}}`,
			ProviderSpec{Cluster: "a", Role: "infra", Size: "medium", Zone: "zone-b", Tags: map[string]string{"k": "v"}}},
	}
	for _, tc := range tests {
		got, errs := DecodeSpec([]byte(tc.spec), ok)
		if len(errs) > 0 || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("DecodeSpec(%s) = %+v, %v; want %+v", tc.spec, got, errs, tc.want)
		}
	}
}
