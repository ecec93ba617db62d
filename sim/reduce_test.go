package sim

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	dispatch "github.com/opendispatch/dispatch"
	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/internal/base/proptest"
	"github.com/opendispatch/dispatch/interval"
	"github.com/opendispatch/dispatch/shifts"
	"github.com/opendispatch/dispatch/tenant"
)

// TestReduceTechnicians: "two fewer HVAC technicians on Tuesdays
// 08:00–17:00" on the demo cuts exactly that window out of the Normal
// shifts of two HVAC Service technicians on every Tuesday — those with
// the like technician's skills and zones first, then the highest ids —
// and leaves everyone else, every other day and the time outside the
// window as rostered.
func TestReduceTechnicians(t *testing.T) {
	ten, err := tenant.Parse(dispatch.DemoTenant)
	if err != nil {
		t.Fatal(err)
	}
	base := ten.Engine.Data()
	s := Default()
	s.Variants = nil
	before, err := newWorld(&s, base, nil)
	if err != nil {
		t.Fatal(err)
	}
	// 102 Ben Okafor (HVAC; zones 1, 2) is the only one of his kind;
	// then 110 (inactive), 109 Ivan Kowalski (works 08:00–18:00), 108…
	v := &Variant{Name: "-2", Changes: []Change{{ReduceTechnicians: &ReduceTechnicians{Count: 2, Like: 102, Weekdays: []string{"Tuesday"}, From: "08:00", To: "17:00"}}}}
	after, err := newWorld(&s, base, v)
	if err != nil {
		t.Fatal(err)
	}
	loc := after.loc
	at := func(d hours.Date, clock string) int64 {
		c, err := hours.ParseClock(clock)
		if err != nil {
			t.Fatal(err)
		}
		return hours.Local(loc, d, c)
	}
	tuesdays := 0
	for day := after.first; hours.DayStart(loc, day) < after.last; day++ {
		lo, hi := time.Unix(hours.DayStart(loc, day), 0), time.Unix(hours.DayStart(loc, day+1), 0)
		for _, id := range []int64{101, 102, 103, 108, 109, 201} {
			was := before.eng.Working(id, lo, hi)
			got := after.eng.Working(id, lo, hi)
			want := was
			if day.Weekday() == 2 && (id == 102 || id == 109) {
				want = was.Difference(interval.From(at(day, "08:00"), at(day, "17:00")))
			}
			if !got.Equal(want) {
				t.Errorf("technician %d on %s (%s): works %v, want %v", id, day, day.Weekday(), got, want)
			}
		}
		if day.Weekday() == 2 {
			tuesdays++
			// What is left: 07:00–08:00 of a 07:00–17:00 shift, and
			// 17:00–18:00 of a late one.
			if got := after.eng.Working(102, lo, hi); !got.Equal(interval.From(at(day, "07:00"), at(day, "08:00"))) {
				t.Errorf("102 on %s keeps %v, want 07:00–08:00", day, got)
			}
			if got := after.eng.Working(109, lo, hi); !got.Equal(interval.From(at(day, "17:00"), at(day, "18:00"))) {
				t.Errorf("109 on %s keeps %v, want 17:00–18:00", day, got)
			}
		}
	}
	if tuesdays < 3 {
		t.Fatalf("only %d Tuesdays simulated", tuesdays)
	}
	// The cost goes down by 2 × 9 hours a week.
	if d := before.costPerWeek(0) - after.costPerWeek(0); d < 17.99 || d > 18.01 {
		t.Errorf("working hours a week go down by %.3f, want 18", d)
	}
	// A window covering the shifts takes the whole day off, and a count
	// above the unit's staff takes everyone who works.
	v = &Variant{Name: "-all", Changes: []Change{{ReduceTechnicians: &ReduceTechnicians{Count: 50, Like: 201, Weekdays: []string{"Wednesday"}, From: "00:00", To: "24:00"}}}}
	none, err := newWorld(&s, base, v)
	if err != nil {
		t.Fatal(err)
	}
	for day := none.first; hours.DayStart(loc, day) < none.last; day++ {
		lo, hi := time.Unix(hours.DayStart(loc, day), 0), time.Unix(hours.DayStart(loc, day+1), 0)
		for _, id := range []int64{201, 205, 208, 101} {
			got := none.eng.Working(id, lo, hi)
			want := before.eng.Working(id, lo, hi)
			if day.Weekday() == 3 && id != 101 {
				want = interval.Set{}
			}
			if !got.Equal(want) {
				t.Errorf("technician %d on %s (%s): works %v, want %v", id, day, day.Weekday(), got, want)
			}
		}
	}
}

// TestReduceTechniciansVariant: reduceTechnicians is a change of the
// scenario file's vocabulary: read strictly with paths, and a variant
// with one fewer HVAC technician on Tuesdays 07:00–17:00 works exactly
// ten hours less on each measured Tuesday in every replication.
func TestReduceTechniciansVariant(t *testing.T) {
	_, err := ParseScenario([]byte(`{"variants": [{"name": "v", "changes": [
		{"reduceTechnicians": {"count": 0, "like": 101, "weekdays": ["Tuesday", "Caturday"], "from": "17:00", "to": "07:00"}}]}]}`))
	for _, want := range []string{
		"variants[0].changes[0].reduceTechnicians.count: sim: 0 is outside 1…1000",
		"variants[0].changes[0].reduceTechnicians: hours: slot",
		"variants[0].changes[0].reduceTechnicians.weekdays[1]: ",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	_, err = ParseScenario([]byte(`{"variants": [{"name": "v", "changes": [{"reduceTechnicians": {"count": 1, "like": 101, "form": "07:00", "to": "17:00"}}]}]}`))
	if want := `variants[0].changes[0].reduceTechnicians.form: unknown field "form"`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error lacks %q:\n%v", want, err)
	}
	s, err := ParseScenario([]byte(`{"days": 16, "warmupDays": 7, "replications": 2, "variants": [{"name": "one fewer HVAC on Tuesdays",
		"changes": [{"reduceTechnicians": {"count": 1, "like": 101, "weekdays": ["Tuesday"], "from": "07:00", "to": "17:00"}}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	ten, err := tenant.Parse(dispatch.DemoTenant)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Simulate(s, ten.Engine.Data(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Measured: 2027-03-15 to 2027-03-23 (included), two Tuesdays.
	work := map[string]map[int]int64{}
	for _, r := range res.Runs {
		if work[r.Variant] == nil {
			work[r.Variant] = map[int]int64{}
		}
		work[r.Variant][r.Replication] = r.WorkingSeconds
	}
	for rep, base := range work["baseline"] {
		if d := base - work["one fewer HVAC on Tuesdays"][rep]; d != 2*10*3600 {
			t.Errorf("replication %d: the variant works %d s less, want 2 Tuesdays × 10 h = %d", rep, d, 2*10*3600)
		}
	}
}

// TestReduceTechniciansProperty compares reduceTechnicians with a slow
// reference on minute bitmaps: random units of technicians of two kinds,
// random shifts (overnight ones and several a day included), random
// counts, weekdays and windows. The reference walks the dates in order and,
// for each, takes the window out of the first Count technicians in the
// documented order who work any minute of it.
func TestReduceTechniciansProperty(t *testing.T) {
	const days = 12
	first := hours.DateOf(2027, time.January, 4)
	w := &world{first: first, loc: time.UTC, last: hours.DayStart(time.UTC, first+days)}
	origin := hours.DayStart(time.UTC, first-1)
	minutes := (days + 3) * 1440
	props := gopter.NewProperties(proptest.Params(t, 300))
	props.Property("cuts equal the reference's", prop.ForAll(func(seed uint64) string {
		rng := rand.New(rand.NewPCG(seed, 15))
		n := 1 + rng.IntN(6)
		var d capacity.Data
		ref := make([][]bool, n)
		shiftID := int64(0)
		for i := range n {
			id := int64(10 + rng.IntN(5)*10 + i) // ids out of order
			unit := int64(1 + rng.IntN(4)/3)     // mostly unit 1
			skills := []string{"A"}
			if rng.IntN(3) == 0 {
				skills = []string{"A", "B"}
			}
			d.Technicians = append(d.Technicians, capacity.Technician{ID: id, BusinessUnitID: unit, Skills: skills, Inactive: rng.IntN(8) == 0})
			ref[i] = make([]bool, minutes)
			for day := range days + 2 {
				for range rng.IntN(3) {
					start := day*1440 + rng.IntN(24*4)*15
					end := min(start+15*(1+rng.IntN(14*4)), minutes)
					typ := shifts.Normal
					if rng.IntN(6) == 0 {
						typ = shifts.OnCall
					}
					shiftID++
					d.Shifts = append(d.Shifts, shifts.Shift{ID: shiftID, TechnicianID: id, Type: typ,
						Start: time.Unix(origin+int64(start)*60, 0), End: time.Unix(origin+int64(end)*60, 0)})
					if typ == shifts.Normal {
						for m := start; m < end; m++ {
							ref[i][m] = true
						}
					}
				}
			}
		}
		like := d.Technicians[rng.IntN(n)]
		from := rng.IntN(24 * 4)
		to := from + 1 + rng.IntN(24*4-from)
		clock := func(q int) string { return hours.Clock(q * 15).String() }
		var weekdays []string
		var mask uint8
		for wd := range 7 {
			if rng.IntN(2) == 0 {
				weekdays = append(weekdays, time.Weekday(wd).String())
				mask |= 1 << wd
			}
		}
		if mask == 0 {
			mask = 0b0111110
		}
		r := &ReduceTechnicians{Count: 1 + rng.IntN(n+1), Like: like.ID, Weekdays: weekdays, From: clock(from), To: clock(to)}

		// The reference.
		sameKind := func(x capacity.Technician) bool {
			return slices.Equal(x.Skills, like.Skills) && slices.Equal(x.ZoneIDs, like.ZoneIDs)
		}
		order := []int{}
		for i, x := range d.Technicians {
			if x.IsActive() && x.BusinessUnitID == like.BusinessUnitID {
				order = append(order, i)
			}
		}
		slices.SortFunc(order, func(a, b int) int {
			ta, tb := d.Technicians[a], d.Technicians[b]
			if sameKind(ta) != sameKind(tb) {
				if sameKind(ta) {
					return -1
				}
				return 1
			}
			return cmp.Compare(tb.ID, ta.ID)
		})
		for day := range days {
			if mask&(1<<(first+hours.Date(day)).Weekday()) == 0 {
				continue
			}
			lo, hi := (day+1)*1440+from*15, (day+1)*1440+to*15
			left := r.Count
			for _, i := range order {
				if left == 0 {
					break
				}
				if slices.Contains(ref[i][lo:hi], true) {
					clear(ref[i][lo:hi])
					left--
				}
			}
		}

		onCallBefore := onCallSpans(d)
		w.reduce(&d, r)
		for i, x := range d.Technicians {
			var spans []interval.Span
			for _, s := range d.Shifts {
				if s.TechnicianID == x.ID && s.IsActive() && s.Type == shifts.Normal {
					if !s.Start.Before(s.End) {
						return fmt.Sprintf("technician %d: empty shift %+v", x.ID, s)
					}
					spans = append(spans, s.Span())
				}
			}
			var want []interval.Span
			for m := 0; m < minutes; m++ {
				if ref[i][m] {
					e := m
					for e < minutes && ref[i][e] {
						e++
					}
					want = append(want, interval.Span{Start: origin + int64(m)*60, End: origin + int64(e)*60})
					m = e
				}
			}
			if got, want := interval.New(spans...), interval.New(want...); !got.Equal(want) {
				return fmt.Sprintf("technician %d (%+v, reduce %+v): works %v, want %v", x.ID, x, *r, got, want)
			}
		}
		if !onCallBefore.Equal(onCallSpans(d)) {
			return "OnCall shifts changed"
		}
		return ""
	}, gen.UInt64()))
	props.TestingRun(t)
}

func onCallSpans(d capacity.Data) interval.Set {
	var spans []interval.Span
	for _, s := range d.Shifts {
		if s.Type == shifts.OnCall && s.IsActive() {
			spans = append(spans, s.Span())
		}
	}
	return interval.New(spans...)
}
