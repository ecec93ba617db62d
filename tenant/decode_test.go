package tenant_test

import (
	"bytes"
	stdjson "encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/go-json-experiment/json"
	"github.com/google/go-cmp/cmp"

	"github.com/opendispatch/dispatch/internal/testkit/benchdata"
	"github.com/opendispatch/dispatch/synth"
	"github.com/opendispatch/dispatch/tenant"
	"github.com/opendispatch/dispatch/validate"
)

// FuzzDecode: Decode and DecodeReader agree, and Decode accepts exactly what go-json-experiment's strict
// decode accepts (unknown members and duplicate keys rejected, keys
// matched exactly) and decodes the same File, so the tenant's types are
// read by validate's own decoder without a difference in meaning.
func FuzzDecode(f *testing.F) {
	tiny := load(f, "testdata/tiny.json")
	f.Add(tiny)
	f.Add(load(f, "testdata/controls.json"))
	f.Add(bytes.Replace(tiny, []byte(`"version"`), []byte(`"VERSION"`), 1))
	f.Add(bytes.Replace(tiny, []byte(`"name"`), []byte(`"n\u0061me"`), 1))
	f.Add(bytes.Replace(tiny, []byte(`"gpsPings"`), []byte(`"tenant": "x", "gpsPings"`), 1))
	f.Add([]byte(`{"version":1,"Tenant":{}}`))
	f.Add(bytes.Replace(load(f, "testdata/controls.json"), []byte(`"idealBookingPercentage": 85`), []byte(`"idealBookingPercentage": 0`), 1))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := tenant.Decode(data)
		read, errRead := tenant.DecodeReader(iotest.OneByteReader(bytes.NewReader(data)))
		if fmt.Sprint(err) != fmt.Sprint(errRead) || err == nil && !cmp.Equal(got, read) {
			t.Fatalf("DecodeReader: %v; Decode: %v", errRead, err)
		}
		var want tenant.File
		err2 := json.Unmarshal(data, &want, json.RejectUnknownMembers(true))
		if err != nil && err2 == nil && onlyExplicitZeros(err) {
			return // the one rule of our own: validate's "nonzero"
		}
		if (err == nil) != (err2 == nil) {
			t.Fatalf("Decode: %v; go-json-experiment: %v", err, err2)
		}
		if err != nil {
			return
		}
		if diff := cmp.Diff(&want, got); diff != "" {
			t.Fatalf("Decode differs from go-json-experiment (-want +got):\n%s", diff)
		}
	})
}

// onlyExplicitZeros reports whether every problem of err is a 0 written
// in a member tagged validate:"nonzero", which go-json-experiment reads as
// the member left out.
func onlyExplicitZeros(err error) bool {
	var list validate.Errors
	if !errors.As(err, &list) || len(list) == 0 {
		return false
	}
	for _, e := range list {
		if !strings.Contains(e.Msg, "0 is not allowed in ") {
			return false
		}
	}
	return true
}

// BenchmarkDecode decodes each synthetic profile's file (as written by
// File.Write: indented) with Decode, and, for the ratios, with
// go-json-experiment's strict decode and with encoding/json's lenient
// json.Unmarshal (case-insensitive keys, unknown members and duplicate
// keys accepted) into the same File. The file is in memory: this is
// decoding, not reading a disk.
func BenchmarkDecode(b *testing.B) {
	for _, p := range synth.Profiles {
		var buf bytes.Buffer
		if err := benchdata.File(p.Name).Write(&buf); err != nil {
			b.Fatal(err)
		}
		data := buf.Bytes()
		run := func(impl string, decode func() error) {
			b.Run("profile="+p.Name+"/impl="+impl, func(b *testing.B) {
				measure(b, len(data), decode)
			})
		}
		run("tenant.Decode", func() error { _, err := tenant.Decode(data); return err })
		run("jsonv2-strict", func() error {
			var f tenant.File
			return json.Unmarshal(data, &f, json.RejectUnknownMembers(true))
		})
		run("encoding-json", func() error {
			var f tenant.File
			return stdjson.Unmarshal(data, &f)
		})
	}
}

// BenchmarkDecodeFile decodes the file named by $DISPATCH_TENANT_FILE
// (skipped when unset), e.g. the enterprise tenant written by `dispatch
// generate --profile enterprise --seed 1`: from bytes in memory with
// Decode, and from the open file with DecodeReader as the command line
// reads it (the file in the page cache after the first run).
func BenchmarkDecodeFile(b *testing.B) {
	name := os.Getenv("DISPATCH_TENANT_FILE")
	if name == "" {
		b.Skip("DISPATCH_TENANT_FILE is not set")
	}
	data, err := os.ReadFile(name)
	if err != nil {
		b.Fatal(err)
	}
	run := func(impl string, decode func() error) {
		b.Run("impl="+impl, func(b *testing.B) {
			measure(b, len(data), decode)
		})
	}
	run("Decode", func() error { _, err := tenant.Decode(data); return err })
	run("DecodeReader", func() error {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = tenant.DecodeReader(f)
		return err
	})
}

// BenchmarkLoadFile loads the file named by $DISPATCH_TENANT_FILE
// (skipped when unset) as the command line does: Load from the open
// file, decoding as it reads, then building the engine. impl=Build
// builds from a File decoded once, outside the timing.
func BenchmarkLoadFile(b *testing.B) {
	name := os.Getenv("DISPATCH_TENANT_FILE")
	if name == "" {
		b.Skip("DISPATCH_TENANT_FILE is not set")
	}
	st, err := os.Stat(name)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("impl=Load", func(b *testing.B) {
		measure(b, int(st.Size()), func() error {
			f, err := os.Open(name)
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = tenant.Load(f)
			return err
		})
	})
	b.Run("impl=Build", func(b *testing.B) {
		f, err := os.Open(name)
		if err != nil {
			b.Fatal(err)
		}
		file, err := tenant.DecodeReader(f)
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		measure(b, int(st.Size()), func() error {
			_, err := tenant.Build(file)
			return err
		})
	})
}

// measure runs decode over a text of size bytes and reports, beside MB/s
// and allocations, the bytes allocated per MB of text (B/MB) and the MB
// decoded per second of the process's CPU time (MB/cpu-s), which a busy
// machine disturbs less than the wall clock.
func measure(b *testing.B, size int, decode func() error) {
	b.SetBytes(int64(size))
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	cpu := cpuTime()
	for b.Loop() {
		if err := decode(); err != nil {
			b.Fatal(err)
		}
	}
	cpu = cpuTime() - cpu
	runtime.ReadMemStats(&after)
	mb := float64(size) / 1e6
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/mb, "B/MB")
	b.ReportMetric(mb*float64(b.N)/cpu.Seconds(), "MB/cpu-s")
}
