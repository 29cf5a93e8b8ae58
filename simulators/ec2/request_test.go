package ec2

import (
	"net/url"
	"testing"
	"unsafe"
)

func TestDetachCopiesValuesOutOfTheBody(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		"Action=RunInstances&ImageId=ami-1",
		"Action=CreateTags&Tag.1.Key=Name&Tag.1.Value=node%201&Tag.2.Key=role&Tag.2.Value=",
		"Action=DescribeInstances&InstanceId.1=i-1&InstanceId.1=i-2",
	} {
		params, err := url.ParseQuery(body)
		if err != nil {
			t.Fatal(err)
		}
		want := url.Values{}
		for k, vs := range params {
			want[k] = append([]string(nil), vs...)
		}
		detach(params)
		start := uintptr(unsafe.Pointer(unsafe.StringData(body)))
		for k, vs := range params {
			for i, v := range vs {
				if v != want[k][i] {
					t.Errorf("%q: %s[%d] = %q after detach, want %q", body, k, i, v, want[k][i])
				}
				if p := uintptr(unsafe.Pointer(unsafe.StringData(v))); v != "" && p >= start && p < start+uintptr(len(body)) {
					t.Errorf("%q: %s[%d] = %q still points into the body", body, k, i, v)
				}
			}
		}
	}
}
