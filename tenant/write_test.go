package tenant_test

import (
	"bytes"
	stdjson "encoding/json"
	"flag"
	"io"
	"math"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/internal/base/proptest"
	"github.com/opendispatch/dispatch/internal/testkit/benchdata"
	"github.com/opendispatch/dispatch/shifts"
	"github.com/opendispatch/dispatch/synth"
	"github.com/opendispatch/dispatch/tenant"
	"github.com/opendispatch/dispatch/zones"
)

var writeEnterprise = flag.Bool("write.enterprise", false, "TestWriteMatchesEncodingJSON also compares the enterprise profile (240 MB, slow under -race)")

// referenceWrite is File.Write as it was before the hand-written writer:
// encoding/json over the whole File, indented, HTML not escaped. Write
// must produce its bytes exactly, and fail where it fails.
func referenceWrite(f *tenant.File) ([]byte, error) {
	var buf bytes.Buffer
	enc := stdjson.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	err := enc.Encode(f)
	return buf.Bytes(), err
}

// sameAsReference reports how Write's output differs from the reference's,
// or "" when the two agree: the same bytes, or both an error.
func sameAsReference(f *tenant.File) string {
	want, errWant := referenceWrite(f)
	var got bytes.Buffer
	errGot := f.Write(&got)
	switch {
	case (errWant == nil) != (errGot == nil):
		return "reference error: " + errString(errWant) + "; Write error: " + errString(errGot)
	case errGot != nil:
		if !strings.HasPrefix(errGot.Error(), "tenant: ") {
			return "error without the package prefix: " + errGot.Error()
		}
		return ""
	case !bytes.Equal(got.Bytes(), want):
		return firstDifference(got.Bytes(), want)
	}
	return ""
}

func errString(err error) string {
	if err == nil {
		return "none"
	}
	return err.Error()
}

func firstDifference(got, want []byte) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	lo := max(0, i-80)
	return "Write differs from encoding/json at byte " + strconv.Itoa(i) + ":\ngot:  " + string(got[lo:min(len(got), i+80)]) + "\nwant: " + string(want[lo:min(len(want), i+80)])
}

// TestWriteMatchesEncodingJSON: Write gives encoding/json's bytes for the
// demo tenant, every synthetic profile (enterprise with -write.enterprise),
// the test files as decoded and as saved from their engines.
func TestWriteMatchesEncodingJSON(t *testing.T) {
	check := func(name string, f *tenant.File) {
		t.Helper()
		if diff := sameAsReference(f); diff != "" {
			t.Errorf("%s: %s", name, diff)
		}
	}
	check("synth.Demo", synth.Demo())
	files, err := filepath.Glob("testdata/*.json")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, "../testdata/tenants/demo.json")
	for _, name := range files {
		data := load(t, name)
		f, err := tenant.Decode(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		check(name+" decoded", f)
		ten, err := tenant.Parse(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		check(name+" saved", ten.File())
	}
	for _, p := range synth.Profiles {
		if p.Name == "enterprise" && !*writeEnterprise {
			t.Logf("enterprise profile skipped (-write.enterprise to compare it)")
			continue
		}
		check("profile "+p.Name, benchdata.File(p.Name))
	}
}

// TestWriteEdgeValues: values at encoding/json's edges, one member each.
func TestWriteEdgeValues(t *testing.T) {
	denver, err := time.LoadLocation("America/Denver")
	if err != nil {
		t.Fatal(err)
	}
	strs := []string{"", "plain", `q"uote`, `back\slash`, "\x00\x01\x1f\x7f", "\b\f\n\r\t", "<&>", "\u2028\u2029", "\xff\xfe", "é\xc3", "日本\xe2\x80", "\U0001F600"}
	floats := []float64{0, math.Copysign(0, -1), 1, -1.5, 1e-6, 9.99e-7, 1e-7, 1e20, 1e21, 123456789e13, 5e-324, math.MaxFloat64, -math.SmallestNonzeroFloat64, 39.7392, -104.9903}
	times := []time.Time{{}, time.Unix(0, 0).UTC(), time.Date(2027, 3, 14, 2, 30, 0, 0, denver), time.Date(2027, 3, 8, 7, 0, 0, 1, denver), time.Date(2027, 3, 8, 7, 0, 0, 120_000_000, time.UTC),
		time.Date(1899, 12, 31, 23, 59, 59, 999_999_999, time.FixedZone("", -5*3600-30*60)), time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)}
	for _, s := range strs {
		f := &tenant.File{Tenant: s, Technicians: []tenant.Technician{{Name: s, Skills: []string{s, s}}}, Shifts: []tenant.Shift{{ShiftType: shifts.Normal, Title: s, Note: s}},
			GPSPings: []tenant.Ping{{UTCDateTime: s}}, Appointments: []capacity.Appointment{{Zip: s}}, Assignments: []capacity.Assignment{{Status: capacity.Assigned, AssignedBy: &capacity.Actor{Name: s}}}}
		if diff := sameAsReference(f); diff != "" {
			t.Errorf("string %q: %s", s, diff)
		}
	}
	for _, x := range floats {
		for _, v := range []float64{x, -x} {
			f := &tenant.File{Technicians: []tenant.Technician{{Home: &capacity.Point{Latitude: v, Longitude: v}}}, GPSPings: []tenant.Ping{{Latitude: v, Longitude: v, Speed: v, Heading: v}}}
			if diff := sameAsReference(f); diff != "" {
				t.Errorf("float %v: %s", v, diff)
			}
		}
	}
	for _, tm := range times {
		f := &tenant.File{Shifts: []tenant.Shift{{ShiftType: shifts.OnCall, Start: tm, End: tm, ModifiedOn: tm}},
			Appointments: []capacity.Appointment{{Start: tm, End: tm, ArrivalWindowStart: tm, ArrivalWindowEnd: tm}},
			Assignments:  []capacity.Assignment{{Status: capacity.Unassigned, AssignedOn: tm, UnassignedOn: tm, ModifiedOn: tm}}}
		if diff := sameAsReference(f); diff != "" {
			t.Errorf("time %v: %s", tm, diff)
		}
	}
}

// TestWriteErrors: a value JSON cannot hold is an error naming its path,
// as encoding/json refuses it.
func TestWriteErrors(t *testing.T) {
	for _, tt := range []struct {
		f    tenant.File
		want string
	}{
		{tenant.File{GPSPings: []tenant.Ping{{}, {Speed: math.NaN()}}}, "tenant: gpsPings[1].speed: json: unsupported value: NaN"},
		{tenant.File{Technicians: []tenant.Technician{{Home: &capacity.Point{Longitude: math.Inf(-1)}}}}, "tenant: technicians[0].home.longitude: json: unsupported value: -Inf"},
		{tenant.File{Shifts: []tenant.Shift{{ShiftType: shifts.Normal, End: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}}}, "tenant: shifts[0].end: Time.MarshalJSON: year outside of range [0,9999]"},
		{tenant.File{Appointments: []capacity.Appointment{{Start: time.Date(2027, 1, 1, 0, 0, 0, 0, time.FixedZone("", 24*3600))}}}, "tenant: appointments[0].start: Time.MarshalJSON: timezone hour outside of range [0,23]"},
		{tenant.File{Assignments: []capacity.Assignment{{AssignedOn: time.Unix(0, 0).UTC(), Status: 7}}}, "tenant: assignments[0].status: capacity: invalid assignment status 7"},
		{tenant.File{Shifts: []tenant.Shift{{}}}, "tenant: shifts[0].shiftType: shifts: invalid shift type 0"},
	} {
		if diff := sameAsReference(&tt.f); diff != "" {
			t.Errorf("%s: %s", tt.want, diff)
		}
		if err := tt.f.Write(new(bytes.Buffer)); err == nil || err.Error() != tt.want {
			t.Errorf("Write: %v, want %s", err, tt.want)
		}
	}
}

// bytesource hands out the fuzzer's bytes as values; zeros when spent.
type bytesource struct{ b []byte }

func (s *bytesource) byte() byte {
	if len(s.b) == 0 {
		return 0
	}
	c := s.b[0]
	s.b = s.b[1:]
	return c
}

func (s *bytesource) n(n int) int { return int(s.byte()) % n }

func (s *bytesource) u64() uint64 {
	var v uint64
	for range 8 {
		v = v<<8 | uint64(s.byte())
	}
	return v
}

func (s *bytesource) int64() int64 {
	switch s.n(4) {
	case 0:
		return 0
	case 1:
		return int64(s.byte())
	case 2:
		return -int64(s.byte()) * 1000003
	}
	return int64(s.u64())
}

// The pieces strings are made of: every kind of byte encoding/json
// treats apart.
var pieces = []string{"a", "Z", " ", `"`, `\`, "/", "<", ">", "&", "\x00", "\x1f", "\x7f", "\b", "\f", "\n", "\r", "\t",
	"é", "\u2028", "\u2029", "\u2027", "\xe2\x80", "\xff", "\xc3", "\xed\xa0\x80", "\U0001F600", "\xf0\x9f\x98"}

func (s *bytesource) string() string {
	var b strings.Builder
	for range s.n(6) {
		if c := s.byte(); c < 128 && s.n(2) == 0 {
			b.WriteByte(c)
		} else {
			b.WriteString(pieces[int(c)%len(pieces)])
		}
	}
	return b.String()
}

func (s *bytesource) strings() []string {
	if s.n(4) == 0 {
		return nil
	}
	v := make([]string, s.n(3))
	for i := range v {
		v[i] = s.string()
	}
	return v
}

func (s *bytesource) ints() []int64 {
	if s.n(4) == 0 {
		return nil
	}
	v := make([]int64, s.n(3))
	for i := range v {
		v[i] = s.int64()
	}
	return v
}

var edgeFloats = []float64{0, 1, -1, 0.1, 1e-6, 1e-7, 9.999999e-7, 1e20, 1e21, 1.5e300, 5e-324, 39.7392, -104.9903, 12.5, math.NaN(), math.Inf(1)}

func (s *bytesource) float() float64 {
	switch s.n(4) {
	case 0:
		return edgeFloats[s.n(len(edgeFloats))]
	case 1:
		return float64(s.int64()) / 1000
	case 2:
		if s.n(4) == 0 {
			return math.Float64frombits(s.u64())
		}
	}
	return float64(int8(s.byte())) * math.Pow(10, float64(int8(s.byte())%40))
}

func (s *bytesource) bool() *bool {
	switch s.n(3) {
	case 0:
		return nil
	case 1:
		v := true
		return &v
	}
	v := false
	return &v
}

var denver, _ = time.LoadLocation("America/Denver")

func (s *bytesource) time() time.Time {
	if s.n(5) == 0 {
		return time.Time{}
	}
	var sec int64
	switch s.n(64) {
	case 0:
		sec = int64(s.u64()) // mostly outside years 0–9999
	case 1, 2, 3:
		sec = int64(s.u64() >> (30 + s.n(34)))
	default:
		sec = 1_804_000_000 + int64(s.byte())*3600 + int64(s.byte())*60
	}
	nsec := int64(0)
	if s.n(2) == 0 {
		nsec = int64(s.u64() % 1e9)
	}
	t := time.Unix(sec, nsec)
	switch z := s.n(64); {
	case z == 0: // mostly 24 hours or more: no RFC 3339 form
		return t.In(time.FixedZone("", int(int32(s.u64()))))
	case z < 24:
		return t.In(denver)
	case z < 34:
		return t.In(time.FixedZone("", (int(s.byte())-128)*10*60)) // whole minutes within ±21:20
	case z < 44:
		return t.In(time.FixedZone("X", (int(s.byte())-128)*97*5)) // odd seconds, dropped by RFC 3339
	}
	return t.UTC()
}

// randomFile builds a File of every member from the fuzzer's bytes: nil
// and empty lists, absent and present pointers, strings of every kind of
// byte, floats and times at encoding/json's edges and beyond.
func randomFile(data []byte) *tenant.File {
	s := &bytesource{data}
	f := &tenant.File{Version: int(s.int64()), Tenant: s.string(), TimeZone: s.string(), IdealBookingPercentage: int(s.int64()), TravelBufferMinutes: int(s.int64())}
	if s.n(2) == 0 {
		f.BusinessHours.Weekdays = []hours.WeekdayHours{{Weekday: s.string(), TimeSlots: []hours.TimeSlot{{From: s.string(), To: s.string()}}}}
	}
	if s.n(3) > 0 {
		f.BusinessUnits = []capacity.BusinessUnit{}
		for range s.n(3) {
			f.BusinessUnits = append(f.BusinessUnits, capacity.BusinessUnit{ID: s.int64(), Name: s.string(), ReservePercentage: int(s.int64())})
		}
	}
	if s.n(3) > 0 {
		f.BusinessUnitGroups = make([]capacity.BusinessUnitGroup, s.n(2))
		for i := range f.BusinessUnitGroups {
			f.BusinessUnitGroups[i] = capacity.BusinessUnitGroup{ID: s.int64(), Name: s.string(), BusinessUnitIDs: s.ints()}
		}
	}
	if s.n(3) > 0 {
		f.CapacityAdjustments = make([]tenant.Adjustment, s.n(2))
		for i := range f.CapacityAdjustments {
			f.CapacityAdjustments[i] = tenant.Adjustment{ID: s.int64(), Reason: s.string(), CreatedOn: s.string()}
			if s.n(2) == 0 {
				f.CapacityAdjustments[i].CreatedBy = &capacity.Actor{ID: s.int64(), Name: s.string()}
			}
		}
	}
	if s.n(2) == 0 {
		f.Zones = []zones.Zone{{ID: s.int64(), Name: s.string(), Zips: s.strings()}}
	}
	if s.n(4) > 0 {
		f.Technicians = make([]tenant.Technician, s.n(4))
		for i := range f.Technicians {
			tc := tenant.Technician{ID: s.int64(), Name: s.string(), BusinessUnitID: s.int64(), Skills: s.strings(), ZoneIDs: s.ints(), Active: s.bool()}
			if s.n(2) == 0 {
				tc.Home = &capacity.Point{Latitude: s.float(), Longitude: s.float()}
			}
			f.Technicians[i] = tc
		}
	}
	if s.n(4) > 0 {
		f.Shifts = make([]tenant.Shift, s.n(4))
		for i := range f.Shifts {
			f.Shifts[i] = tenant.Shift{ID: s.int64(), TechnicianID: s.int64(), ShiftType: shifts.Type(1 + s.n(40)%3 - s.n(40)/39), Title: s.string(), Note: s.string(),
				Start: s.time(), End: s.time(), Active: s.bool(), ModifiedOn: s.time()}
		}
	}
	if s.n(4) > 0 {
		f.Appointments = make([]capacity.Appointment, s.n(4))
		for i := range f.Appointments {
			f.Appointments[i] = capacity.Appointment{ID: s.int64(), JobID: s.int64(), JobTypeID: s.int64(), BusinessUnitID: s.int64(), Start: s.time(), End: s.time(),
				ArrivalWindowStart: s.time(), ArrivalWindowEnd: s.time(), Zip: s.string(), Canceled: s.n(2) == 0}
		}
	}
	if s.n(4) > 0 {
		f.Assignments = make([]capacity.Assignment, s.n(4))
		for i := range f.Assignments {
			a := capacity.Assignment{ID: s.int64(), AppointmentID: s.int64(), TechnicianID: s.int64(), AssignedOn: s.time(), UnassignedOn: s.time(),
				Status: capacity.Status(1 + s.n(40)%2 - s.n(40)/39), ModifiedOn: s.time()}
			if s.n(2) == 0 {
				a.AssignedBy = &capacity.Actor{ID: s.int64(), Name: s.string()}
			}
			f.Assignments[i] = a
		}
	}
	if s.n(4) > 0 {
		f.GPSPings = make([]tenant.Ping, s.n(4))
		for i := range f.GPSPings {
			f.GPSPings[i] = tenant.Ping{TechnicianID: s.int64(), Latitude: s.float(), Longitude: s.float(), Speed: s.float(), Heading: s.float(), UTCDateTime: s.string()}
		}
	}
	return f
}

// FuzzWrite: for a File built from any bytes, Write writes encoding/json's
// bytes, or fails where it fails.
func FuzzWrite(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte(strings.Repeat("\x01\x02\x03\xff", 64)))
	f.Add(load(f, "testdata/tiny.json"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if diff := sameAsReference(randomFile(data)); diff != "" {
			t.Fatal(diff)
		}
	})
}

// TestWriteRandomFiles is FuzzWrite's property over random bytes, for
// every run of the tests (the fuzzer runs only on demand).
func TestWriteRandomFiles(t *testing.T) {
	params := proptest.Params(t, 3000)
	runs, written := params.MinSuccessfulTests, 0
	props := gopter.NewProperties(params)
	props.Property("Write writes encoding/json's bytes", prop.ForAll(func(seed uint64) string {
		r := rand.New(rand.NewPCG(seed, 29))
		data := make([]byte, r.IntN(600))
		for i := range data {
			data[i] = byte(r.Uint32())
		}
		f := randomFile(data)
		if f.Write(io.Discard) == nil {
			written++
		}
		return sameAsReference(f)
	}, gen.UInt64()))
	proptest.Run(t, props)
	// Most cases must be files, not errors, or the test compares little.
	if written < runs/2 {
		t.Errorf("only %d of %d random files could be written", written, runs)
	}
}

// BenchmarkWrite writes the large and enterprise profiles (enterprise not
// under -short) with Write and, for the ratio, with the encoding/json
// encoder it replaced (impl=encoding-json: the whole file indented into a
// buffer, as the old Write did), both to io.Discard. MB/s are of the
// written file.
func BenchmarkWrite(b *testing.B) {
	for _, name := range []string{"large", "enterprise"} {
		if name == "enterprise" && testing.Short() {
			continue
		}
		f := benchdata.File(name)
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			b.Fatal(err)
		}
		size := int64(buf.Len())
		buf = bytes.Buffer{}
		run := func(impl string, write func() error) {
			b.Run("profile="+name+"/impl="+impl, func(b *testing.B) {
				b.SetBytes(size)
				b.ReportAllocs()
				for b.Loop() {
					if err := write(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		run("Write", func() error { return f.Write(io.Discard) })
		run("encoding-json", func() error {
			data, err := referenceWrite(f)
			if err == nil {
				_, err = io.Discard.Write(data)
			}
			return err
		})
	}
}

// TestWriteEveryField: the hand-written lists (technicians, shifts,
// appointments, assignments, pings) write every field their types
// declare. Each record is filled by reflection, every field non-zero, so
// a field added to one of these types and not to Write fails here rather
// than vanishing silently from saved files.
func TestWriteEveryField(t *testing.T) {
	var f tenant.File
	f.Version = 1
	for _, list := range []any{&f.Technicians, &f.Shifts, &f.Appointments, &f.Assignments, &f.GPSPings} {
		v := reflect.ValueOf(list).Elem()
		rec := reflect.New(v.Type().Elem()).Elem()
		fillNonZero(t, rec, v.Type().Elem().Name())
		v.Set(reflect.Append(v, rec))
	}
	if d := sameAsReference(&f); d != "" {
		t.Fatal(d)
	}
}

// fillNonZero sets every field of v, recursively, to a non-zero value.
func fillNonZero(t *testing.T, v reflect.Value, path string) {
	t.Helper()
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Date(2027, 3, 9, 8, 30, 0, 0, time.FixedZone("", -7*3600))))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillNonZero(t, v.Field(i), path+"."+v.Type().Field(i).Name)
			}
		}
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fillNonZero(t, p.Elem(), path)
		v.Set(p)
	case reflect.Slice:
		e := reflect.New(v.Type().Elem()).Elem()
		fillNonZero(t, e, path+"[0]")
		v.Set(reflect.Append(reflect.MakeSlice(v.Type(), 0, 1), e))
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Uint8: // enums: Status, shift Type
		v.SetUint(1)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(1.5)
	default:
		t.Fatalf("%s: cannot fill a %s", path, v.Kind())
	}
}

// piecesWriter records the size of every Write.
type piecesWriter struct {
	buf   bytes.Buffer
	sizes []int
}

func (w *piecesWriter) Write(p []byte) (int, error) {
	w.sizes = append(w.sizes, len(p))
	return w.buf.Write(p)
}

// TestWriteInPieces: Write streams a large file to w in pieces of about
// 64 KiB, as its doc says — each but the last at least 64 KiB and less
// than one record more — and the pieces are the reference's bytes. (A
// writer that flushed after every record wrote the same bytes in
// thousands of calls.)
func TestWriteInPieces(t *testing.T) {
	const flushAt = 64 << 10
	f := &tenant.File{Version: 1, Tenant: "t"}
	for i := range 5000 {
		f.Technicians = append(f.Technicians, tenant.Technician{ID: int64(i + 1), Name: "Technician " + strconv.Itoa(i), BusinessUnitID: 1,
			Skills: []string{"HVAC", "Plumbing"}, ZoneIDs: []int64{1, 2, 3}})
	}
	var w piecesWriter
	if err := f.Write(&w); err != nil {
		t.Fatal(err)
	}
	want, err := referenceWrite(f)
	if err != nil || !bytes.Equal(w.buf.Bytes(), want) {
		t.Fatalf("the pieces are not the reference's bytes (%v)", err)
	}
	if len(want) < 10*flushAt || len(w.sizes) < 10 {
		t.Fatalf("%d bytes in %d pieces: want a file of at least 10 pieces", len(want), len(w.sizes))
	}
	for i, n := range w.sizes[:len(w.sizes)-1] {
		if n < flushAt || n >= flushAt+512 { // a technician here is under 300 bytes
			t.Fatalf("piece %d of %d has %d bytes; want %d to %d", i, len(w.sizes), n, flushAt, flushAt+512)
		}
	}
}
