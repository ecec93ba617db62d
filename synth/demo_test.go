package synth_test

import (
	"bytes"
	"flag"
	"io"
	"os"
	"testing"

	"github.com/opendispatch/dispatch/internal/base/atomicfile"
	"github.com/opendispatch/dispatch/synth"
	"github.com/opendispatch/dispatch/tenant"
)

var update = flag.Bool("update", false, "rewrite testdata/tenants/demo.json from synth.Demo")

const demoPath = "../testdata/tenants/demo.json"

// canonicalDemo is synth.Demo in the canonical file form.
func canonicalDemo(t *testing.T) []byte {
	var raw bytes.Buffer
	if err := synth.Demo().Write(&raw); err != nil {
		t.Fatal(err)
	}
	ten, err := tenant.Parse(raw.Bytes())
	if err != nil {
		t.Fatalf("the demo tenant does not load: %v", err)
	}
	var out bytes.Buffer
	if err := ten.Save(&out); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestDemoFile keeps testdata/tenants/demo.json equal to synth.Demo: run
// `go test ./synth -run DemoFile -update` after changing the demo.
func TestDemoFile(t *testing.T) {
	want := canonicalDemo(t)
	if *update {
		if err := atomicfile.Write(demoPath, 0o644, func(w io.Writer) error { _, err := w.Write(want); return err }); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(demoPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is not synth.Demo's output; run go test ./synth -run DemoFile -update", demoPath)
	}
}
