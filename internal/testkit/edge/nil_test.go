package edge_test

import (
	"strings"
	"testing"

	"github.com/opendispatch/dispatch/tenant"
)

// TestNilFile: a nil *File or io.Reader given to the tenant loaders is an
// error saying so, not a nil dereference.
func TestNilFile(t *testing.T) {
	for name, f := range map[string]func() error{
		"Build":        func() error { _, err := tenant.Build(nil); return err },
		"Load":         func() error { _, err := tenant.Load(nil); return err },
		"DecodeReader": func() error { _, err := tenant.DecodeReader(nil); return err },
	} {
		noPanic(t, name, func() {
			if err := f(); err == nil || !strings.HasPrefix(err.Error(), "tenant: ") || !strings.Contains(err.Error(), "nil") {
				t.Errorf("%s(nil): got %v, want a tenant error naming the nil", name, err)
			}
		})
	}
}
