package sim_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/stat/distuv"

	dispatch "github.com/opendispatch/dispatch"
	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/shifts"
	"github.com/opendispatch/dispatch/sim"
	"github.com/opendispatch/dispatch/tenant"
)

func demoData(t testing.TB) capacity.Data {
	ten, err := tenant.Parse(dispatch.DemoTenant)
	if err != nil {
		t.Fatal(err)
	}
	return ten.Engine.Data()
}

func simulate(t testing.TB, s sim.Scenario, d capacity.Data, opt sim.Options) *sim.Result {
	t.Helper()
	res, err := sim.Simulate(s, d, opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func kpi(v sim.VariantSummary, key string) sim.Estimate {
	for _, k := range v.KPIs {
		if k.Key == key {
			return k
		}
	}
	panic("no kpi " + key)
}

// small is the default scenario cut down for tests: the baseline only.
func small(reps int) sim.Scenario {
	s := sim.Default()
	s.Replications = reps
	s.Variants = nil
	return s
}

// TestInvariants checks, in every run of the default scenario,
// conservation of calls — per reason, through every breakdown (day, job
// type, zone) — and of working time, and Little's law.
func TestInvariants(t *testing.T) {
	s := sim.Default()
	s.Replications = 4
	res := simulate(t, s, demoData(t), sim.Options{})
	for _, r := range res.Runs {
		name := fmt.Sprintf("%s/rep %d", r.Variant, r.Replication)
		if r.Calls != r.Booked+r.Lost || r.Lost != r.LostBy.Total() {
			t.Errorf("%s: calls %d != booked %d + lost %d, or lost != Σ by reason %v", name, r.Calls, r.Booked, r.Lost, r.LostBy)
		}
		var days, jts, zones sim.Tally
		for _, d := range r.Days {
			add(&days, sim.Tally{Calls: d.Calls, Booked: d.Booked, LostBy: d.LostBy})
			var day sim.Tally
			for _, jt := range d.JobTypes {
				add(&day, jt)
				add(&jts, jt)
			}
			if day != (sim.Tally{Calls: d.Calls, Booked: d.Booked, LostBy: d.LostBy}) {
				t.Errorf("%s %s: job types sum to %+v, the day is %+v", name, d.Date, day, d)
			}
		}
		for _, z := range r.Zones {
			add(&zones, z)
		}
		total := sim.Tally{Calls: r.Calls, Booked: r.Booked, LostBy: r.LostBy}
		for what, got := range map[string]sim.Tally{"days": days, "job types": jts, "zones": zones} {
			if got != total {
				t.Errorf("%s: %s sum to %+v, the run is %+v", name, what, got, total)
			}
			if got.Calls != got.Booked+got.LostBy.Total() {
				t.Errorf("%s: %s: calls are not booked + lost", name, what)
			}
		}
		if r.WorkingSeconds != r.OnSiteSeconds+r.DriveSeconds+r.IdleSeconds {
			t.Errorf("%s: working %d != on site %d + driving %d + idle %d", name, r.WorkingSeconds, r.OnSiteSeconds, r.DriveSeconds, r.IdleSeconds)
		}
		// Little's law: the time-average number of technicians on site
		// equals the start rate times the mean time on site, up to the
		// jobs that straddle the ends of the measured span.
		T := float64(r.MeasuredSeconds)
		L := float64(r.OnSiteAll) / T
		lambdaW := float64(r.Jobs) / T * (float64(r.OnSiteStarted) / float64(r.Jobs))
		if math.Abs(L-lambdaW) > 0.02*lambdaW {
			t.Errorf("%s: Little's law: L = %.4f, λW = %.4f", name, L, lambdaW)
		}
	}
	reportSums(t, res)
}

// reportSums checks conservation in the reports, as the runs' check above
// does in the runs: in the JSON (read back), each variant's losses by job
// type, business unit, zone and day sum to its calls, booked, lost and
// lost by each reason; in the CSV, the rows (day × business unit × job
// type, three decimals each) sum to the same totals, and the rows of a
// day, a unit and a job type to that day's, unit's and job type's.
func reportSums(t *testing.T, res *sim.Result) {
	t.Helper()
	var js, sheet bytes.Buffer
	if err := sim.WriteJSON(&js, res); err != nil {
		t.Fatal(err)
	}
	back, err := sim.ParseResult(js.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.WriteCSV(&sheet, res); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&sheet).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := rows[0]
	col := func(name string) int {
		i := slices.Index(head, name)
		if i < 0 {
			t.Fatalf("csv: no column %q in %q", name, head)
		}
		return i
	}
	// The figures of a tally, in this order: calls, booked, lost, and
	// lost by each reason.
	keys := []string{"calls", "booked", "lost"}
	for why := range sim.Reason(sim.NumReasons) {
		keys = append(keys, "lost."+why.String())
	}
	cols := []int{col("calls"), col("booked"), col("lost")}
	for why := range sim.Reason(sim.NumReasons) {
		cols = append(cols, col("lost_"+why.String()))
	}
	figs := func(r sim.LossRow) []float64 {
		out := []float64{r.Calls.Mean, r.Booked.Mean, r.Lost.Mean}
		for _, c := range r.LostBy {
			out = append(out, c.Mean)
		}
		return out
	}
	near := func(a, b, tol float64) bool { return math.Abs(a-b) <= tol+1e-9*math.Abs(b) }
	for _, v := range back.Summary.Variants {
		total := make([]float64, len(keys))
		for i, k := range keys {
			total[i] = kpi(v, k).Mean
		}
		for what, list := range map[string][]sim.LossRow{"job type": v.Losses.ByJobType, "business unit": v.Losses.ByBusinessUnit,
			"zone": v.Losses.ByZone, "day": v.Losses.ByDay} {
			sum := make([]float64, len(keys))
			for _, r := range list {
				for i, x := range figs(r) {
					sum[i] += x
				}
			}
			for i := range keys {
				if !near(sum[i], total[i], 0) {
					t.Errorf("JSON %s: %s by %s sums to %.6f, the variant's is %.6f", v.Name, keys[i], what, sum[i], total[i])
				}
			}
		}
		// The CSV: every row of the variant, and by day, unit, job type.
		name := v.Name
		if strings.ContainsAny(name[:1], "=+-@\t\r") {
			name = "'" + name
		}
		want := map[string][]float64{"": total}
		for _, r := range v.Losses.ByDay {
			want["day "+r.Label] = figs(r)
		}
		for _, r := range v.Losses.ByBusinessUnit {
			want[fmt.Sprint("unit ", r.ID)] = figs(r)
		}
		for _, r := range v.Losses.ByJobType {
			want[fmt.Sprint("job type ", r.ID)] = figs(r)
		}
		got, n := map[string][]float64{}, map[string]int{}
		for _, row := range rows[1:] {
			if row[0] != name {
				continue
			}
			for _, g := range []string{"", "day " + row[col("date")], "unit " + row[col("business_unit_id")], "job type " + row[col("job_type_id")]} {
				if got[g] == nil {
					got[g] = make([]float64, len(keys))
				}
				n[g]++
				for i, c := range cols {
					x, err := strconv.ParseFloat(row[c], 64)
					if err != nil {
						t.Fatalf("csv %s: %v", head[c], err)
					}
					got[g][i] += x
				}
			}
		}
		for g, w := range want {
			for i := range keys {
				// Each row is rounded to three decimals.
				if !near(got[g][i], w[i], 0.0005*float64(n[g])) {
					t.Errorf("CSV %s %s: %s rows sum to %.4f over %d rows, the JSON's is %.4f", v.Name, g, keys[i], got[g][i], n[g], w[i])
				}
			}
		}
	}
}

func add(t *sim.Tally, o sim.Tally) {
	t.Calls += o.Calls
	t.Booked += o.Booked
	for i := range t.LostBy {
		t.LostBy[i] += o.LostBy[i]
	}
}

// TestDeterminism: the same scenario gives byte-identical JSON for any
// number of workers and any sharding.
func TestDeterminism(t *testing.T) {
	s := sim.Default()
	s.Replications, s.Days = 4, 10
	d := demoData(t)
	encode := func(r *sim.Result) []byte {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	one := encode(simulate(t, s, d, sim.Options{Workers: 1}))
	if four := encode(simulate(t, s, d, sim.Options{Workers: 4})); !bytes.Equal(one, four) {
		t.Fatal("1 and 4 workers give different results")
	}
	var parts []*sim.Result
	for i := range 3 {
		p := simulate(t, s, d, sim.Options{Shard: i, Shards: 3, Workers: 2})
		if p.Summary != nil || p.Shard == "" {
			t.Fatalf("shard %d is not a partial result", i)
		}
		// Round-trip through JSON, as shards on other machines would.
		var back sim.Result
		if err := json.Unmarshal(encode(p), &back); err != nil {
			t.Fatal(err)
		}
		parts = append(parts, &back)
	}
	merged, err := sim.Merge(parts[2], parts[0], parts[1])
	if err != nil {
		t.Fatal(err)
	}
	if got := encode(merged); !bytes.Equal(one, got) {
		t.Fatalf("merged shards differ from one run:\n%.500s\n%.500s", one, got)
	}
	// Every mistake says what is wrong with the parts.
	half := simulate(t, s, d, sim.Options{Shard: 1, Shards: 2, Workers: 2})
	whole := simulate(t, s, d, sim.Options{Workers: 2})
	for _, tt := range []struct {
		name  string
		parts []*sim.Result
		want  string
		part  int // the *PartError's part, -1 for none
	}{
		{"missing", []*sim.Result{parts[0], parts[1]}, "sim: shard 2/3 missing: give every part of the split", -1},
		{"other split", []*sim.Result{parts[0], half}, "sim: part 2: it is shard 1/2 but the first part is shard 0/3: the parts come from different splits", 1},
		{"complete", []*sim.Result{whole, parts[0]}, "sim: part 1: it is a complete result, not a shard", 0},
		{"twice", []*sim.Result{parts[0], parts[1], parts[0]}, "sim: part 3: it is shard 0/3 again", 2},
	} {
		_, err := sim.Merge(tt.parts...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
		var pe *sim.PartError
		if got := errors.As(err, &pe); got != (tt.part >= 0) || got && pe.Part != tt.part {
			t.Errorf("%s: %#v is not a *sim.PartError of part %d", tt.name, err, tt.part)
		}
	}
	tenant, err := os.ReadFile(filepath.Join("..", "testdata", "tenants", "demo.json"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sim.ParseResult(tenant); err == nil || !strings.Contains(err.Error(), "sim: not a simulation result") || strings.Count(err.Error(), "unknown") > 0 {
		t.Errorf("a tenant file read as a result: %v", err)
	}
	if back, err := sim.ParseResult(encode(parts[1])); err != nil || back.Shard != "1/3" {
		t.Errorf("a shard's result read back: %v", err)
	}
}

// TestCommonRandomNumbers: a variant that changes nothing reproduces the
// baseline exactly; a dispatch-policy variant sees exactly the baseline's
// calls; a variant with half the demand sees a subset of them (every
// replication has no more calls); and the default variant's paired
// difference is tighter than the variant's own interval.
func TestCommonRandomNumbers(t *testing.T) {
	s := sim.Default()
	s.Replications, s.Days = 4, 12
	one, half, policy := 1.0, 0.5, "nearest"
	s.Variants = append(s.Variants,
		sim.Variant{Name: "no change", Changes: []sim.Change{{ScaleDurations: &one}}},
		sim.Variant{Name: "nearest", Changes: []sim.Change{{DispatchPolicy: &policy}}},
		sim.Variant{Name: "half the demand", Changes: []sim.Change{{ScaleDemand: &half}}})
	res := simulate(t, s, demoData(t), sim.Options{})
	base, same := res.Summary.Variants[0], res.Summary.Variants[2]
	for i := range base.KPIs {
		if base.KPIs[i] != same.KPIs[i] {
			t.Errorf("%s: a no-op variant gives %+v, baseline %+v", base.KPIs[i].Name, same.KPIs[i], base.KPIs[i])
		}
	}
	for i := 0; i < len(res.Runs); i += 5 {
		b, nearest, halfRun := res.Runs[i], res.Runs[i+3], res.Runs[i+4]
		if nearest.Calls != b.Calls || nearest.EmergencyCalls != b.EmergencyCalls {
			t.Errorf("replication %d: the policy variant saw %d calls, the baseline %d", b.Replication, nearest.Calls, b.Calls)
		}
		if halfRun.Calls > b.Calls || halfRun.Calls < b.Calls/3 {
			t.Errorf("replication %d: half the demand gives %d calls, the baseline %d", b.Replication, halfRun.Calls, b.Calls)
		}
	}
	v, diff := kpi(res.Summary.Variants[1], "emergencyWaitMean"), kpi(res.Summary.Differences[0], "emergencyWaitMean")
	if diff.High-diff.Low >= v.High-v.Low {
		t.Errorf("paired difference interval %.2f is not tighter than the variant's own %.2f", diff.High-diff.Low, v.High-v.Low)
	}
}

// TestEveryLever runs one variant per lever and checks each moves what it
// should, against the baseline, under common random numbers.
func TestEveryLever(t *testing.T) {
	s := small(6)
	s.Days, s.WarmupDays = 11, 4
	s.Booking.OfferExceeding = false
	yes, share, horizon, pol := true, 1.0, 2, "nearest"
	demand, dur := 1.5, 1.3
	ruleID, groupID, ninety := int64(9), int64(1), 90
	s.Variants = []sim.Variant{
		{Name: "add", Changes: []sim.Change{{AddTechnicians: &sim.AddTechnicians{Count: 3, Like: 201, From: "07:00", To: "17:00"}}}},
		{Name: "remove", Changes: []sim.Change{{RemoveTechnicians: &sim.RemoveTechnicians{IDs: []int64{201, 202, 203}}}}},
		{Name: "hours", Changes: []sim.Change{{ShiftHours: &sim.ShiftHours{From: "09:00", To: "15:00"}}}},
		{Name: "ideal", Changes: []sim.Change{{IdealBooking: &sim.IdealBooking{BusinessUnit: 1, Percentage: 20}}}},
		{Name: "offer", Changes: []sim.Change{{OfferExceeding: &yes}}},
		{Name: "prefer", Changes: []sim.Change{{PreferredShare: &share}}},
		{Name: "horizon", Changes: []sim.Change{{BookingHorizonDays: &horizon}}},
		{Name: "policy", Changes: []sim.Change{{DispatchPolicy: &pol}}},
		{Name: "demand", Changes: []sim.Change{{ScaleDemand: &demand}}},
		{Name: "mix", Changes: []sim.Change{{DemandMix: &sim.DemandMix{JobTypes: map[string]float64{"103": 1}}}}},
		{Name: "durations", Changes: []sim.Change{{ScaleDurations: &dur}}},
		{Name: "job type", Changes: []sim.Change{{JobTypeDuration: &sim.JobTypeDuration{JobType: 101, Minutes: 200}}}},
		// The capacity controls of design §4a.
		{Name: "reserve", Changes: []sim.Change{{ReservePercentage: &sim.ReservePercentage{Group: 1, Percentage: 90}}}},
		{Name: "unit reserve", Changes: []sim.Change{{ReservePercentage: &sim.ReservePercentage{BusinessUnit: 2, Percentage: 90}}}},
		{Name: "rule", Changes: []sim.Change{{AddCapacityRule: &sim.CapacityRule{ID: 9, JobTypes: []int64{101, 201, 301}, MaxPercentage: 1}}}},
		{Name: "rule added and removed", Changes: []sim.Change{{AddCapacityRule: &sim.CapacityRule{ID: 9, JobTypes: []int64{101}, MaxPercentage: 1}},
			{RemoveCapacityRule: &ruleID}}},
		{Name: "overbook", Changes: []sim.Change{{AddAdjustments: &sim.AddAdjustments{From: "08:00", To: "10:00", Minutes: 600}}}},
		{Name: "hold back", Changes: []sim.Change{{AddAdjustments: &sim.AddAdjustments{From: "08:00", To: "10:00", Group: 1, Minutes: -100000}}}},
		{Name: "buffer", Changes: []sim.Change{{TravelBuffer: &sim.TravelBuffer{Minutes: 90}}}},
		{Name: "job buffer", Changes: []sim.Change{{TravelBuffer: &sim.TravelBuffer{JobType: 101, Minutes: 200}}}},
		{Name: "group", Changes: []sim.Change{{BusinessUnitGroup: &sim.BusinessUnitGroup{ID: 2, BusinessUnits: []int64{2, 3}, ReservePercentage: &ninety}}}},
		{Name: "ungroup", Changes: []sim.Change{{RemoveBusinessUnitGroup: &groupID}}},
	}
	res := simulate(t, s, demoData(t), sim.Options{})
	diff := map[string]sim.VariantSummary{}
	for _, d := range res.Summary.Differences {
		diff[strings.TrimSuffix(d.Name, " − baseline")] = d
	}
	for _, tt := range []struct {
		variant, kpi string
		sign         float64
	}{
		{"add", "utilisation", -1},
		{"remove", "lost", +1},
		{"hours", "utilisation", +1}, // shorter shifts, the same work
		{"ideal", "lost.idealHeld", +1},
		{"reserve", "bookingRate", -1},
		{"offer", "lost.idealHeld", -1},
		{"prefer", "routineWaitMean", +1},
		{"horizon", "lost", +1},
		{"policy", "driveShare", -1}, // nearest drives less than pro, which weighs workload too
		{"demand", "calls", +1},
		{"mix", "lost.idealHeld", +1},
		{"durations", "overtime", +1},
		{"job type", "lost", +1},
		{"reserve", "lost.reserveOrRule", +1},
		{"unit reserve", "lost.reserveOrRule", +1},
		{"rule", "lost.reserveOrRule", +1},
		{"overbook", "lost.idealHeld", -1},
		{"hold back", "routineWaitMean", +1},
		{"buffer", "lost", +1},
		{"job buffer", "lost", +1},
		{"group", "lost.reserveOrRule", +1},
		{"ungroup", "lost.noEligibleTechnician", +1}, // tune-ups are HVAC Maintenance's, done by HVAC Service
	} {
		e := kpi(diff[tt.variant], tt.kpi)
		if !e.Significant() || e.Mean*tt.sign <= 0 {
			t.Errorf("%s: %s moved %+.3f [%.3f, %.3f], want a significant change of sign %+g", tt.variant, tt.kpi, e.Mean, e.Low, e.High, tt.sign)
		} else if testing.Verbose() {
			t.Logf("%s: %s moved %+.3f [%.3f, %.3f]", tt.variant, tt.kpi, e.Mean, e.Low, e.High)
		}
	}
	// Removing what a variant added gives the baseline back exactly: the
	// same runs, and differences of 0 — with Student t's [0, 0], or, for a
	// share or count of events, the exact interval of no discordant event,
	// which does not know the two are one.
	nv := len(s.Variants) + 1
	same := slices.IndexFunc(s.Variants, func(v sim.Variant) bool { return v.Name == "rule added and removed" }) + 1
	for rep := range s.Replications {
		b, v := *res.Runs[rep*nv], *res.Runs[rep*nv+same]
		v.Variant = b.Variant
		bj, _ := json.Marshal(b)
		vj, _ := json.Marshal(v)
		if !bytes.Equal(bj, vj) {
			t.Errorf("rule added and removed, replication %d: the run differs from the baseline's", rep)
		}
	}
	for _, k := range diff["rule added and removed"].KPIs {
		if k.Mean != 0 || k.Low != -k.High || k.Significant() {
			t.Errorf("rule added and removed: %s moved %+.3f [%.3f, %.3f], want no change", k.Key, k.Mean, k.Low, k.High)
		}
	}
}

// TestLossReasons forces each reason in turn and checks calls land there.
func TestLossReasons(t *testing.T) {
	d := demoData(t)
	d.JobTypes = append(d.JobTypes, capacity.JobType{ID: 999, Name: "Crane lift", DurationMinutes: 60, Skills: []string{"Crane"}, BusinessUnitIDs: []int64{1}})
	long := 12 * 60
	for _, tt := range []struct {
		name  string
		set   func(s *sim.Scenario)
		why   sim.Reason
		share float64 // of the calls at least
	}{
		{"no eligible technician", func(s *sim.Scenario) {
			s.Demand.JobTypes = map[string]float64{"999": 1}
			s.Demand.EmergencyShare = 0 // an emergency would take its unit's priority job type
		}, sim.NoEligibleTechnician, 1},
		{"no window fits", func(s *sim.Scenario) {
			s.Demand.JobTypes = map[string]float64{"201": 1}
			s.Demand.EmergencyShare = 0
			s.Variants = []sim.Variant{{Name: "long", Changes: []sim.Change{{JobTypeDuration: &sim.JobTypeDuration{JobType: 201, Minutes: long}}}}}
		}, sim.NoFit, 1},
		{"held by the ideal percentage", func(s *sim.Scenario) {
			s.Demand.EmergencyShare = 0
			s.Booking.OfferExceeding = false
			var changes []sim.Change
			for _, u := range d.BusinessUnits {
				changes = append(changes, sim.Change{IdealBooking: &sim.IdealBooking{BusinessUnit: u.ID, Percentage: 1}})
			}
			s.Variants = []sim.Variant{{Name: "1%", Changes: changes}}
		}, sim.IdealHeld, 0.85},
		{"held by a capacity rule", func(s *sim.Scenario) {
			s.Demand.EmergencyShare = 0
			var all []int64
			for _, j := range d.JobTypes {
				all = append(all, j.ID)
			}
			s.Variants = []sim.Variant{{Name: "1% rule", Changes: []sim.Change{{AddCapacityRule: &sim.CapacityRule{ID: 9, JobTypes: all, MaxPercentage: 1}}}}}
		}, sim.ReserveOrRule, 0.95},
		{"held by a reserve", func(s *sim.Scenario) {
			s.Demand.EmergencyShare = 0
			s.Demand.CallsPerDay = 200 // pools fill past the 10% the reserve leaves
			var changes []sim.Change
			for _, u := range d.BusinessUnits {
				if u.ID == 1 || u.ID == 4 {
					continue // in group 1, whose reserve replaces theirs
				}
				changes = append(changes, sim.Change{ReservePercentage: &sim.ReservePercentage{BusinessUnit: u.ID, Percentage: 90}})
			}
			changes = append(changes, sim.Change{ReservePercentage: &sim.ReservePercentage{Group: 1, Percentage: 90}})
			s.Variants = []sim.Variant{{Name: "90% reserve", Changes: changes}}
		}, sim.ReserveOrRule, 0.5},
		{"beyond the horizon", func(s *sim.Scenario) {
			s.Demand.EmergencyShare = 0
			s.Demand.CallsPerDay = 300
			s.Booking.HorizonDays = 1
		}, sim.BeyondHorizon, 0.05},
		{"declined", func(s *sim.Scenario) {
			s.Demand.EmergencyShare = 0
			s.Booking.DeclineAfterDays, s.Booking.DeclineProbability = 0, 1
		}, sim.Declined, 0.9},
		{"emergency wait", func(s *sim.Scenario) {
			s.Demand.EmergencyShare = 1
			s.Demand.CallsPerDay = 250
			s.Booking.EmergencyMaxWaitMinutes = 0
		}, sim.EmergencyWait, 0.3},
		{"emergency, no one on duty", func(s *sim.Scenario) {
			s.Demand.EmergencyShare = 1
			s.Booking.EmergencyMaxWaitMinutes = 30
			s.Demand.HourOfWeek = make([]float64, 168)
			for d := range 7 {
				s.Demand.HourOfWeek[d*24+2] = 1 // 02:00–03:00
			}
		}, sim.EmergencyOffDuty, 0.5},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := small(2)
			s.Days, s.WarmupDays = 5, 1
			tt.set(&s)
			res := simulate(t, s, d, sim.Options{})
			for _, r := range res.Runs {
				if r.Variant == "baseline" && len(s.Variants) > 0 {
					continue
				}
				if got := float64(r.LostBy[tt.why]); got < tt.share*float64(r.Calls) || got == 0 {
					t.Errorf("%s rep %d: %v of %d calls lost as %s (lost by reason %v)", r.Variant, r.Replication, got, r.Calls, tt.why, r.LostBy)
				}
			}
		})
	}
}

// TestScenarioErrors: scenario files are read like tenant files — exact
// key case, unknown members and duplicate keys refused — and every
// problem is reported at once with its path; references to records the
// tenant does not have are errors too.
func TestScenarioErrors(t *testing.T) {
	_, err := sim.ParseScenario([]byte(`{"days": 0, "warmupDays": -1, "replications": 1, "dispatch": {"policy": "random"},
		"demand": {"callsPerDay": 10, "hourOfWeek": [1, 2], "jobTypes": {"x": 1}},
		"roster": {"templateStart": "2027-13-01", "templateWeeks": 9},
		"variants": [{"name": "", "changes": [{"scaleDemand": -2}, {}, {"bookingHorizonDays": 40, "dispatchPolicy": "x"}]}]}`))
	want := `days: sim: 0 days is outside 1…731
warmupDays: sim: -1 warm-up days must be at least 0 and fewer than the 0 days
roster.templateStart: hours: date "2027-13-01": month 13 is out of range 01–12
roster.templateWeeks: sim: 9 weeks is outside 1…8 (0 means 1)
demand.hourOfWeek: sim: 2 weights given, want 168 (one per hour of the week)
demand.jobTypes.x: sim: key "x" is not an id
dispatch.policy: sim: unknown policy "random" (want first-available, least-loaded, nearest or pro)
replications: sim: 1 replications is outside 2…100000 (intervals need two)
variants[0].name: sim: variant name "" is empty or used twice
variants[0].changes[0].scaleDemand: sim: factor -2 is outside (0, 100]
variants[0].changes[1]: sim: a change sets exactly one of addTechnicians, removeTechnicians, reduceTechnicians, shiftHours, idealBookingPercentage, offerExceeding, preferredShare, bookingHorizonDays, dispatchPolicy, scaleDemand, demandMix, scaleDurations, jobTypeDuration, reservePercentage, addCapacityRule, removeCapacityRule, addAdjustments, travelBufferMinutes, businessUnitGroup, removeBusinessUnitGroup (found 0)
variants[0].changes[2].bookingHorizonDays: sim: 40 days is outside 1…31
variants[0].changes[2].dispatchPolicy: sim: unknown policy "x" (want first-available, least-loaded, nearest or pro)
variants[0].changes[2]: sim: a change sets exactly one of addTechnicians, removeTechnicians, reduceTechnicians, shiftHours, idealBookingPercentage, offerExceeding, preferredShare, bookingHorizonDays, dispatchPolicy, scaleDemand, demandMix, scaleDurations, jobTypeDuration, reservePercentage, addCapacityRule, removeCapacityRule, addAdjustments, travelBufferMinutes, businessUnitGroup, removeBusinessUnitGroup (found 2)`
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
	for _, bad := range []struct{ json, msg string }{
		{`{"colour": 1}`, `colour: unknown field "colour"`},
		{`{"Days": 3}`, `Days: unknown field "Days"`},
		{`{"demand": {"CallsPerDay": 3}}`, `demand.CallsPerDay: unknown field "CallsPerDay"`},
		{`{"days": 3, "days": 4}`, `days: duplicate key "days"`},
		{`{"days": "3"}`, `days: want an integer, got the string "3"`},
		{`{"start": "9999-12-25"}`, `start: sim: "9999-12-25": outside the years 1900–2199`},
		{`{"start": "0000-01-01"}`, `start: sim: "0000-01-01": outside the years 1900–2199`},
		{`{"start": "2199-12-20"}`, `start: sim: "2199-12-20": the simulated dates run to 2200-01-24, past 2199`},
		{`{"roster": {"templateStart": "1899-12-31"}}`, `roster.templateStart: sim: "1899-12-31": outside the years 1900–2199`},
	} {
		_, err := sim.ParseScenario([]byte(bad.json))
		if err == nil || !strings.Contains(err.Error(), bad.msg) {
			t.Errorf("%s: got %v, want %q", bad.json, err, bad.msg)
		}
	}

	// Unknown ids anywhere, all at once, before anything runs.
	s := sim.Default()
	s.Demand.JobTypes = map[string]float64{"101": 1, "999": 2}
	s.Demand.Zones = map[string]float64{"7": 1}
	s.Execution.ZoneSpeedKmh = map[string]float64{"8": 30}
	s.Variants = []sim.Variant{{Name: "v", Changes: []sim.Change{
		{AddTechnicians: &sim.AddTechnicians{Count: 1, Like: 1, From: "08:00", To: "12:00"}},
		{RemoveTechnicians: &sim.RemoveTechnicians{IDs: []int64{101, 2}}},
		{ShiftHours: &sim.ShiftHours{Technicians: []int64{3}, From: "08:00", To: "12:00"}},
		{IdealBooking: &sim.IdealBooking{BusinessUnit: 14, Percentage: 50}},
		{DemandMix: &sim.DemandMix{JobTypes: map[string]float64{"5": 1}, Zones: map[string]float64{"6": 1}}},
		{JobTypeDuration: &sim.JobTypeDuration{JobType: 9, Minutes: 30}},
		{ReservePercentage: &sim.ReservePercentage{BusinessUnit: 17, Percentage: 10}},
		{AddCapacityRule: &sim.CapacityRule{ID: 5, JobTypes: []int64{101, 11}, BusinessUnits: []int64{12}, MaxPercentage: 30}},
		{AddAdjustments: &sim.AddAdjustments{From: "08:00", To: "10:00", BusinessUnit: 16, Minutes: 60}},
		{TravelBuffer: &sim.TravelBuffer{JobType: 12, Minutes: 30}},
		{BusinessUnitGroup: &sim.BusinessUnitGroup{ID: 3, BusinessUnits: []int64{2, 15}}},
		{ReduceTechnicians: &sim.ReduceTechnicians{Count: 1, Like: 4, From: "08:00", To: "12:00"}},
	}}}
	s.Roster.TemplateStart = "2020-01-06"
	_, err = sim.Simulate(s, demoData(t), sim.Options{})
	want = `demand.jobTypes.999: sim: unknown job type 999
demand.zones.7: sim: unknown zone 7
execution.zoneSpeedKmh.8: sim: unknown zone 8
variants[0].changes[0].addTechnicians.like: sim: unknown technician 1
variants[0].changes[1].removeTechnicians.ids[1]: sim: unknown technician 2
variants[0].changes[2].shiftHours.technicians[0]: sim: unknown technician 3
variants[0].changes[3].idealBookingPercentage.businessUnit: sim: unknown business unit 14
variants[0].changes[4].demandMix.jobTypes.5: sim: unknown job type 5
variants[0].changes[4].demandMix.zones.6: sim: unknown zone 6
variants[0].changes[5].jobTypeDuration.jobType: sim: unknown job type 9
variants[0].changes[6].reservePercentage.businessUnit: sim: unknown business unit 17
variants[0].changes[7].addCapacityRule.jobTypes[1]: sim: unknown job type 11
variants[0].changes[7].addCapacityRule.businessUnits[0]: sim: unknown business unit 12
variants[0].changes[8].addAdjustments.businessUnit: sim: unknown business unit 16
variants[0].changes[9].travelBufferMinutes.jobType: sim: unknown job type 12
variants[0].changes[10].businessUnitGroup.businessUnits[1]: sim: unknown business unit 15
variants[0].changes[11].reduceTechnicians.like: sim: unknown technician 4
roster.templateStart: sim: no Normal shift of the tenant starts in the 2 week(s) from 2020-01-06`
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
}

// FuzzParseScenario: any input parses to a valid scenario or an error
// with text, and a parsed scenario's references check against the demo
// tenant without panicking. Seeds: testdata/fuzz/FuzzParseScenario.
func FuzzParseScenario(f *testing.F) {
	def, _ := json.Marshal(sim.Default())
	f.Add(def)
	f.Add([]byte(`{"days": 3, "warmupDays": 1, "replications": 2}`))
	f.Add([]byte(`{"variants": [{"name": "x", "changes": [{"scaleDemand": 2}]}]}`))
	for _, name := range []string{"testdata/reserve.scenario.json", "testdata/controls.scenario.json", "testdata/levers.scenario.json"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	d := demoData(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := sim.ParseScenario(data)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("ParseScenario accepted a scenario Validate rejects: %v", err)
		}
		if err := s.CheckTenant(d); err != nil && err.Error() == "" {
			t.Fatal("empty error")
		}
		// What is accepted writes out and reads back to itself: the
		// written form is a fixed point.
		once, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("accepted a scenario that does not marshal: %v", err)
		}
		again, err := sim.ParseScenario(once)
		if err != nil {
			t.Fatalf("%s\n→ %s\nwhich does not parse: %v", data, once, err)
		}
		if twice, _ := json.Marshal(again); !bytes.Equal(once, twice) {
			t.Fatalf("%s\n→ %s\n→ %s", data, once, twice)
		}
	})
}

// TestOvertimeAroundTheClock: technicians on shift around the clock —
// a 24/7 M/M/100/100 study, where jobs cross midnight all the time — work
// no overtime.
func TestOvertimeAroundTheClock(t *testing.T) {
	s := queueScenario(90, 4, 1, 2, false)
	res := simulate(t, s, queueTenant(t, 100, hours.MustParseDate(s.Start), s.Days+21), sim.Options{})
	for _, r := range res.Runs {
		if r.OvertimeSeconds != 0 {
			t.Errorf("replication %d: %.1f hours of overtime", r.Replication, float64(r.OvertimeSeconds)/3600)
		}
	}
}

// TestAnyHorizon: the demo tenant studied from 2027-06-01 for 90 days —
// far past the file's two weeks — books at a steady rate across weeks,
// its shifts rolled forward; without the roster every business day has
// no working time, which is a warning, and an error under Strict.
func TestAnyHorizon(t *testing.T) {
	d := demoData(t)
	s := small(6)
	s.Start, s.Days, s.WarmupDays = "2027-06-01", 90, 7
	res := simulate(t, s, d, sim.Options{})
	if len(res.Warnings) > 0 {
		t.Errorf("warnings: %v", res.Warnings)
	}
	// Booked per complete measured week (Monday to Sunday), per
	// replication.
	days := res.Runs[0].Days
	first := 0
	for hours.MustParseDate(days[first].Date).Weekday() != time.Monday {
		first++
	}
	weeks := (len(days) - first) / 7
	booked := make([][]float64, weeks) // [week][replication]
	for _, r := range res.Runs {
		for w := range weeks {
			n := int64(0)
			for _, d := range r.Days[first+7*w : first+7*w+7] {
				n += d.Booked
			}
			booked[w] = append(booked[w], float64(n))
		}
	}
	var line []string
	for w := range weeks {
		m, _ := meanSD(booked[w])
		line = append(line, fmt.Sprintf("%s %.1f", days[first+7*w].Date[5:], m))
	}
	t.Logf("booked per week: %s", strings.Join(line, ", "))
	if weeks < 11 {
		t.Fatalf("only %d complete weeks measured", weeks)
	}
	flatAcross(t, "booked per week", booked)

	s.Roster = sim.Roster{}
	s.Days, s.Replications = 14, 2
	res = simulate(t, s, d, sim.Options{})
	if len(res.Warnings) == 0 || !strings.Contains(res.Warnings[0], "have no working time at all") || !strings.Contains(res.Warnings[0], "2027-06-01") {
		t.Errorf("no warning about days without working time: %q", res.Warnings)
	}
	if res.Summary.Variants[0].KPIs[1].Mean != 0 {
		t.Errorf("booked %v calls without shifts", res.Summary.Variants[0].KPIs[1].Mean)
	}
	if _, err := sim.Simulate(s, d, sim.Options{Strict: true}); !errors.Is(err, sim.ErrWarnings) || !strings.Contains(err.Error(), "2027-06-01") {
		t.Errorf("strict: got %v, want an error wrapping ErrWarnings naming the dates", err)
	}
}

// flatAcross checks that series (each a list of replication values, all
// over the same replications) have one common mean: each one's paired
// difference from the mean of all of them has a 95% interval covering
// zero, simultaneously (Bonferroni over the series). It reports whether
// all passed, for tests that expect a failure.
func flatAcross(t *testing.T, what string, series [][]float64) bool {
	t.Helper()
	return flatTo(t.Errorf, what, series)
}

// flatTo is flatAcross reporting to errorf.
func flatTo(errorf func(string, ...any), what string, series [][]float64) bool {
	ok := true
	n := len(series[0])
	q := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(1 - 0.05/float64(len(series))/2)
	for i, xs := range series {
		d := make([]float64, n)
		for r := range n {
			all := 0.0
			for _, ys := range series {
				all += ys[r]
			}
			d[r] = xs[r] - all/float64(len(series))
		}
		m, sd := meanSD(d)
		if hw := q * sd / math.Sqrt(float64(n)); math.Abs(m) > hw {
			ok = false
			errorf("%s %d: %+.2f ± %.2f from the common mean", what, i, m, hw)
		}
	}
	return ok
}

// stationaryTenant has ten technicians working 08:00–18:00 every day of
// the week on shifts that reach until last, business hours to match and
// one 90-minute job type: every day is alike.
func stationaryTenant(t testing.TB, first, last hours.Date) capacity.Data {
	var bh hours.BusinessHours
	for d := time.Sunday; d <= time.Saturday; d++ {
		bh.Weekdays = append(bh.Weekdays, hours.WeekdayHours{Weekday: d.String(), TimeSlots: []hours.TimeSlot{{From: "08:00", To: "18:00"}}})
	}
	sched, err := hours.Compile(hours.Rules{TimeZone: "America/Chicago", BusinessHours: bh, ArrivalWindows: []hours.ArrivalWindow{
		{ID: 1, From: "08:00", To: "11:00"}, {ID: 2, From: "11:00", To: "14:00"}, {ID: 3, From: "14:00", To: "17:00"}}})
	if err != nil {
		t.Fatal(err)
	}
	loc := sched.Location()
	d := capacity.Data{Schedule: sched, IdealBookingPercentage: 90,
		BusinessUnits: []capacity.BusinessUnit{{ID: 1, Name: "Service"}},
		JobTypes:      []capacity.JobType{{ID: 1, Name: "Repair", DurationMinutes: 90}}}
	var id int64
	for i := range 10 {
		tech := int64(i + 1)
		d.Technicians = append(d.Technicians, capacity.Technician{ID: tech, Name: fmt.Sprint("T", tech), BusinessUnitID: 1})
		for day := first - 1; day < last; day++ {
			id++
			d.Shifts = append(d.Shifts, shifts.Shift{ID: id, TechnicianID: tech, Type: shifts.Normal,
				Start: time.Unix(hours.Local(loc, day, 8*60), 0).In(loc), End: time.Unix(hours.Local(loc, day, 18*60), 0).In(loc)})
		}
	}
	return d
}

// TestEdgesFlat: per-day booked and lost of a stationary scenario are flat
// within their intervals across the measured days, first and last
// included: the warm-up fills the book, and calls of the last days may
// book into the days after them. Cut the shifts at the last day — the
// old end of horizon — and the test sees the artefact.
func TestEdgesFlat(t *testing.T) {
	s := small(12)
	s.Start, s.Days, s.WarmupDays = "2027-09-06", 7+14, 7
	s.Roster = sim.Roster{}
	// A third more calls than the technicians can take, offered two days
	// ahead: the book fills within the warm-up and stays full, about 60
	// calls a day are booked and 20 lost beyond the horizon.
	s.Demand = sim.Demand{CallsPerDay: 80, EmergencyShare: 0, HourOfWeek: dayProfile()}
	s.Booking.HorizonDays = 2
	s.Booking.DeclineProbability = 0
	first := hours.MustParseDate(s.Start)
	perDay := func(res *sim.Result) (booked, lost [][]float64) {
		for di := range res.Runs[0].Days {
			var b, l []float64
			for _, r := range res.Runs {
				b = append(b, float64(r.Days[di].Booked))
				l = append(l, float64(r.Days[di].LostBy.Total()))
			}
			booked, lost = append(booked, b), append(lost, l)
		}
		return booked, lost
	}
	res := simulate(t, s, stationaryTenant(t, first, first+hours.Date(s.Days+2*s.Booking.HorizonDays+1)), sim.Options{})
	booked, lost := perDay(res)
	m, _ := meanSD(lost[0])
	t.Logf("lost on the first measured day: %.1f of %.1f calls", m, float64(res.Runs[0].Calls)/float64(len(booked)))
	flatAcross(t, "booked on measured day", booked)
	flatAcross(t, "lost on measured day", lost)

	// The old end of horizon: no shifts after the last call day.
	short := simulate(t, s, stationaryTenant(t, first, first+hours.Date(s.Days)), sim.Options{})
	if len(short.Warnings) == 0 {
		t.Error("no warning for the days without shifts after the last call day")
	}
	booked, lost = perDay(short)
	var seen []string
	note := func(format string, args ...any) { seen = append(seen, fmt.Sprintf(format, args...)) }
	if flatTo(note, "booked on measured day", booked) && flatTo(note, "lost on measured day", lost) {
		t.Error("the flatness check does not see an end-of-horizon artefact")
	}
	t.Logf("with the shifts cut at the last call day: %s", strings.Join(seen, "; "))
}

// dayProfile weighs 08:00–17:00 of every day alike.
func dayProfile() []float64 {
	w := make([]float64, 168)
	for d := range 7 {
		for h := 8; h < 17; h++ {
			w[d*24+h] = 1
		}
	}
	return w
}

// TestDemoWeekdaysFlat: the demo tenant on rolled-forward weeks shows no
// end artefact either: each measured day books and loses like the other
// measured days of its weekday, the last Friday and Saturday included.
func TestDemoWeekdaysFlat(t *testing.T) {
	s := small(8)
	s.Start, s.Days, s.WarmupDays = "2027-06-07", 7+21, 7
	res := simulate(t, s, demoData(t), sim.Options{})
	for wd := range 7 {
		var booked, lost [][]float64
		for di, d := range res.Runs[0].Days {
			if int(hours.MustParseDate(d.Date).Weekday()) != wd {
				continue
			}
			var b, l []float64
			for _, r := range res.Runs {
				b = append(b, float64(r.Days[di].Booked))
				l = append(l, float64(r.Days[di].LostBy.Total()))
			}
			booked, lost = append(booked, b), append(lost, l)
		}
		flatAcross(t, time.Weekday(wd).String()+" booked, week", booked)
		flatAcross(t, time.Weekday(wd).String()+" lost, week", lost)
	}
}

// TestReports: every format carries the warnings; the text fits in
// TextWidth columns for any number of variants; HTML works on a tenant
// without arrival windows and titles its board as the baseline's; CSV is
// the per-day × unit × job-type table.
func TestReports(t *testing.T) {
	s := queueScenario(4, 5, 1, 3, false)
	s.WarmupDays = 0
	for i, name := range []string{"Two extra technicians on every weekday of the summer rush", "A much shorter booking horizon for everyone", "c", "d"} {
		f := 1 + 0.1*float64(i)
		s.Variants = append(s.Variants, sim.Variant{Name: name, Changes: []sim.Change{{ScaleDemand: &f}}})
	}
	d := queueTenant(t, 5, hours.MustParseDate(s.Start), 6) // shifts end before the booking tail: a warning
	for n := 0; n <= len(s.Variants); n++ {
		sn := s
		sn.Variants = s.Variants[:n]
		res := simulate(t, sn, d, sim.Options{Board: true})
		if len(res.Warnings) == 0 {
			t.Fatal("no warning")
		}
		var text bytes.Buffer
		if err := sim.WriteText(&text, res); err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(text.String(), "\n") {
			if w := len([]rune(line)); w > sim.TextWidth {
				t.Errorf("%d variants: line %d is %d wide: %q", n, i+1, w, line)
			}
		}
		var js, html, csv bytes.Buffer
		if err := sim.WriteJSON(&js, res); err != nil {
			t.Fatal(err)
		}
		if err := sim.WriteHTML(&html, res); err != nil {
			t.Fatal(err)
		}
		if err := sim.WriteCSV(&csv, res); err != nil {
			t.Fatal(err)
		}
		var back sim.Result
		if err := json.Unmarshal(js.Bytes(), &back); err != nil {
			t.Fatal(err)
		}
		for format, out := range map[string]string{"text": text.String(), "html": html.String(), "json": strings.Join(back.Warnings, "")} {
			if !strings.Contains(out, "no working time at all") {
				t.Errorf("%d variants: the %s report has no warning", n, format)
			}
		}
		h := html.String()
		for _, want := range []string{"<table", "sans-serif", "Baseline, replication 0", "Why calls are lost", "By job type", "By day"} {
			if !strings.Contains(h, want) {
				t.Errorf("%d variants: the HTML has no %q", n, want)
			}
		}
		if n > 0 && !strings.Contains(h, "Paired differences") {
			t.Errorf("%d variants: no chart of the paired differences", n)
		}
		if strings.Contains(h, "font-family=\"Times") || strings.Contains(h, "serif\"") && !strings.Contains(h, "sans-serif") {
			t.Error("serif fonts in the charts")
		}
		lines := strings.Split(strings.TrimSpace(csv.String()), "\n")
		if want := 1 + (n+1)*len(res.Runs[0].Days)*len(res.Labels.JobTypes); len(lines) != want {
			t.Errorf("%d variants: %d CSV lines, want %d", n, len(lines), want)
		}
		if !strings.HasPrefix(lines[0], "variant,date,weekday,business_unit_id,business_unit,job_type_id,job_type,replications,calls,booked,lost,lost_noEligibleTechnician,") {
			t.Errorf("CSV header %q", lines[0])
		}
	}
}

// TestPings: replication 0 of the baseline keeps its GPS pings, queried
// like the contract's GPS operation; drives report speed and heading.
func TestPings(t *testing.T) {
	s := sim.Default()
	s.Replications = 2
	s.Variants = nil
	res := simulate(t, s, demoData(t), sim.Options{Workers: 1, Board: true})
	if res.Pings == nil || res.Pings.Len() == 0 {
		t.Fatal("no pings kept")
	}
	loc, _ := hours.LoadLocation("America/Denver")
	day := hours.MustParseDate("2027-03-09")
	from, to := hours.DayStart(loc, day), hours.DayStart(loc, day+1)
	var driving, onSite int
	for _, tech := range []int64{101, 102, 201, 301} {
		prev := int64(0)
		for _, p := range res.Pings.Range(tech, from, to) {
			if p.Time < prev {
				t.Fatalf("pings out of order for %d", tech)
			}
			prev = p.Time
			if p.Speed > 0 {
				driving++
				if p.Heading < 0 || p.Heading >= 360 {
					t.Errorf("heading %v", p.Heading)
				}
			} else {
				onSite++
			}
		}
	}
	if driving == 0 || onSite == 0 {
		t.Errorf("pings on Tuesday: %d driving, %d on site; want both", driving, onSite)
	}
}

// TestControlChanges: the capacity-control changes read from a scenario
// file, every problem with its path; the file of every control runs, and
// each control moves something against the baseline.
func TestControlChanges(t *testing.T) {
	_, err := sim.ParseScenario([]byte(`{"variants": [{"name": "v", "changes": [
		{"reservePercentage": {"percentage": 95}},
		{"reservePercentage": {"businessUnit": 1, "group": 1, "percentage": 10}},
		{"addCapacityRule": {"id": 0, "jobTypes": [], "maxPercentage": 0}},
		{"addAdjustments": {"from": "10:00", "to": "09:00", "businessUnit": 1, "group": 1, "minutes": 0, "weekdays": ["Caturday"]}},
		{"travelBufferMinutes": {"minutes": 1441}},
		{"businessUnitGroup": {"id": 2, "businessUnits": [], "idealBookingPercentage": 300, "reservePercentage": -1}},
		{"removeCapacityRule": 1, "removeBusinessUnitGroup": 1}]}]}`))
	want := `variants[0].changes[0].reservePercentage: sim: give a businessUnit or a group, one of them
variants[0].changes[0].reservePercentage.percentage: sim: 95 is outside 0…90
variants[0].changes[1].reservePercentage: sim: give a businessUnit or a group, one of them
variants[0].changes[2].addCapacityRule.id: sim: id 0 must be positive
variants[0].changes[2].addCapacityRule.jobTypes: sim: a rule names at least one job type
variants[0].changes[2].addCapacityRule.maxPercentage: sim: 0 is outside 1…100
variants[0].changes[3].addAdjustments: hours: slot "10:00"-"09:00": from must be before to (a slot across midnight is two slots)
variants[0].changes[3].addAdjustments.weekdays[0]: hours: unknown weekday "Caturday" (want Sunday … Saturday)
variants[0].changes[3].addAdjustments: sim: give a businessUnit or a group, not both
variants[0].changes[3].addAdjustments.minutes: sim: 0 minutes: want a number other than 0 within ±100000000
variants[0].changes[4].travelBufferMinutes.minutes: sim: 1441 is outside 0…1440
variants[0].changes[5].businessUnitGroup.businessUnits: sim: a group has at least one business unit (removeBusinessUnitGroup removes one)
variants[0].changes[5].businessUnitGroup.idealBookingPercentage: sim: 300 is outside 1…200
variants[0].changes[5].businessUnitGroup.reservePercentage: sim: -1 is outside 0…90
variants[0].changes[6]: sim: a change sets exactly one of`
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}

	// Problems found when the variant is applied: what the tenant or an
	// earlier change does not have.
	for _, c := range []struct {
		change sim.Change
		msg    string
	}{
		{sim.Change{ReservePercentage: &sim.ReservePercentage{Group: 7, Percentage: 10}}, `variants[0].changes[0].reservePercentage.group: sim: unknown business-unit group 7`},
		{sim.Change{AddCapacityRule: &sim.CapacityRule{ID: 1, JobTypes: []int64{101}, MaxPercentage: 10}}, `variants[0].changes[0].addCapacityRule.id: sim: the tenant has a capacity rule 1`},
		{sim.Change{RemoveCapacityRule: ptr(int64(5))}, `variants[0].changes[0].removeCapacityRule: sim: unknown capacity rule 5`},
		{sim.Change{AddAdjustments: &sim.AddAdjustments{From: "09:00", To: "11:00", Minutes: 60}}, `variants[0].changes[0].addAdjustments: sim: no simulated date has a window 09:00–11:00`},
		{sim.Change{AddAdjustments: &sim.AddAdjustments{From: "08:00", To: "10:00", Group: 4, Minutes: 60}}, `variants[0].changes[0].addAdjustments.group: sim: unknown business-unit group 4`},
		{sim.Change{BusinessUnitGroup: &sim.BusinessUnitGroup{ID: 2, BusinessUnits: []int64{2, 4}}}, `variants[0].changes[0].businessUnitGroup.businessUnits[1]: sim: business unit 4 is in group 1; a unit is in at most one group`},
		{sim.Change{RemoveBusinessUnitGroup: ptr(int64(3))}, `variants[0].changes[0].removeBusinessUnitGroup: sim: unknown business-unit group 3`},
	} {
		s := small(2)
		s.Variants = []sim.Variant{{Name: "v", Changes: []sim.Change{c.change}}}
		if _, err := sim.Simulate(s, demoData(t), sim.Options{}); err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("got %v, want %q", err, c.msg)
		}
	}

	b, err := os.ReadFile("testdata/controls.scenario.json")
	if err != nil {
		t.Fatal(err)
	}
	s, err := sim.ParseScenario(b)
	if err != nil {
		t.Fatal(err)
	}
	s.Replications = 2
	res := simulate(t, s, demoData(t), sim.Options{})
	for _, d := range res.Summary.Differences {
		moved := false
		for _, k := range d.KPIs {
			moved = moved || k.Mean != 0
		}
		if !moved {
			t.Errorf("%s: no KPI moved", d.Name)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// TestControlScenarioFiles: the scenario files the README runs read and
// name only records the demo has.
func TestControlScenarioFiles(t *testing.T) {
	for _, name := range []string{"testdata/reserve.scenario.json", "testdata/levers.scenario.json", "testdata/controls.scenario.json", "testdata/lakewood.scenario.json"} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		s, err := sim.ParseScenario(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := s.CheckTenant(demoData(t)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestEmergencyJobTypes: an emergency takes a priority job type of the
// unit of the job type drawn from the mix — the demo's No-Heat Emergency
// (104, HVAC Service) and Burst Pipe (204, Plumbing) — and keeps the job
// type drawn when its unit has none (Electrical); routine calls keep the
// mix, which gives the priority types no weight.
func TestEmergencyJobTypes(t *testing.T) {
	d := demoData(t)
	calls := func(s sim.Scenario) map[int64]int64 {
		res := simulate(t, s, d, sim.Options{})
		out := map[int64]int64{}
		for _, r := range res.Runs {
			for _, day := range r.Days {
				for ji, tally := range day.JobTypes {
					out[res.Labels.JobTypes[ji].ID] += tally.Calls
				}
			}
		}
		return out
	}
	s := small(2)
	s.Days, s.WarmupDays = 5, 1
	s.Demand.EmergencyShare = 1
	s.Demand.JobTypes = map[string]float64{"101": 1, "201": 1, "301": 1}
	got := calls(s)
	if got[104] == 0 || got[204] == 0 || got[301] == 0 || got[101]+got[201] != 0 {
		t.Errorf("every call an emergency: calls by job type %v, want 104, 204 and 301 only", got)
	}
	s.Demand.EmergencyShare = 0
	if got := calls(s); got[104]+got[204] != 0 || got[101] == 0 {
		t.Errorf("no emergencies: calls by job type %v, want none of 104 or 204", got)
	}
}

// FuzzParseResult: any input gives a result or an error, never a panic;
// a result that reads merges or is refused with an error.
func FuzzParseResult(f *testing.F) {
	s := sim.Default()
	s.Replications, s.Days, s.WarmupDays = 2, 3, 1
	d := demoData(f)
	s.Days, s.Variants = 2, nil // a small seed: one run of one measured day
	for i := range 2 {
		p, err := sim.Simulate(s, d, sim.Options{Shard: i, Shards: 2})
		if err != nil {
			f.Fatal(err)
		}
		b, _ := json.Marshal(p)
		f.Add(b)
	}
	f.Add([]byte(`{"days": 3}`))
	f.Add([]byte(`{"scenario": {}, "runs": [null]}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := sim.ParseResult(data)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if _, err := sim.Merge(r); err != nil && err.Error() == "" {
			t.Fatal("empty error")
		}
		once, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("accepted a result that does not marshal: %v", err)
		}
		again, err := sim.ParseResult(once)
		if err != nil {
			t.Fatalf("%s\n→ %s\nwhich does not parse: %v", data, once, err)
		}
		if twice, _ := json.Marshal(again); !bytes.Equal(once, twice) {
			t.Fatalf("%s\n→ %s\n→ %s", data, once, twice)
		}
	})
}

// TestMergeUnevenRuns: parts whose runs of one variant disagree on their
// measured days or windows (a part edited, or of another build) are
// refused with the run named, where the summary indexed past the end of
// the shorter run and crashed.
func TestMergeUnevenRuns(t *testing.T) {
	s := sim.Default()
	s.Replications, s.Days, s.WarmupDays, s.Variants = 2, 3, 1, nil
	d := demoData(t)
	parts := func() []*sim.Result {
		var out []*sim.Result
		for i := range 2 {
			p := simulate(t, s, d, sim.Options{Shard: i, Shards: 2})
			b, err := json.Marshal(p)
			if err != nil {
				t.Fatal(err)
			}
			back, err := sim.ParseResult(b)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, back)
		}
		return out
	}
	if _, err := sim.Merge(parts()...); err != nil {
		t.Fatalf("the parts as written: %v", err)
	}
	for _, tc := range []struct {
		name string
		edit func(r *sim.Run)
		want string
	}{
		{"a window fewer", func(r *sim.Run) {
			r.Windows = r.Windows[:len(r.Windows)-1]
			for i := range r.UnitWindows {
				r.UnitWindows[i].Windows = r.UnitWindows[i].Windows[:len(r.UnitWindows[i].Windows)-1]
			}
		}, "windows ["},
		{"a day fewer", func(r *sim.Run) { r.Days = r.Days[:len(r.Days)-1] }, "1 measured days, not the 2 of replication 0"},
		{"no unit windows", func(r *sim.Run) { r.UnitWindows = nil }, "0 business-unit window figures"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ps := parts()
			tc.edit(ps[1].Runs[0])
			_, err := sim.Merge(ps...)
			if err == nil || !strings.Contains(err.Error(), "sim: run 1 (baseline, replication 1): ") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("merge: %v, want run 1 named and %q", err, tc.want)
			}
		})
	}
}

// TestSignificant: a difference is significant when its interval, from
// two replications or more and none censored, lies wholly above or below
// zero; touching zero is not.
func TestSignificant(t *testing.T) {
	for _, c := range []struct {
		e    sim.Estimate
		want bool
	}{
		{sim.Estimate{N: 2, Low: 0.1, High: 1}, true},
		{sim.Estimate{N: 2, Low: -1, High: -0.1}, true},
		{sim.Estimate{N: 1, Low: 0.1, High: 1}, false},
		{sim.Estimate{N: 2, Low: 0, High: 1}, false},
		{sim.Estimate{N: 2, Low: -1, High: 0}, false},
		{sim.Estimate{N: 2, Low: 0.1, High: 1, Censored: 1}, false},
	} {
		if got := c.e.Significant(); got != c.want {
			t.Errorf("%+v: Significant %v, want %v", c.e, got, c.want)
		}
	}
}

// TestSimulateOptions: Strict runs a study without warnings exactly as
// without it; a shard outside the split is refused; Progress counts every
// task once, up to the total; the zones are labelled with the tenant's
// names; Merge keeps the parts' warnings and names at most four missing
// shards. (A mutation test of result.go found none of these decided.)
func TestSimulateOptions(t *testing.T) {
	d := demoData(t)
	s := small(2)
	s.Days = 9
	encode := func(r *sim.Result) string {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	plain := simulate(t, s, d, sim.Options{Workers: 1})
	if len(plain.Warnings) != 0 {
		t.Fatalf("warnings: %v", plain.Warnings)
	}
	if strict := simulate(t, s, d, sim.Options{Workers: 1, Strict: true}); encode(strict) != encode(plain) {
		t.Error("Strict changed a study without warnings")
	}
	for _, o := range []sim.Options{{Shard: 2, Shards: 2}, {Shard: -1, Shards: 2}, {Shard: 1}} {
		want := fmt.Sprintf("sim: shard %d of %d does not exist", o.Shard, max(o.Shards, 1))
		if _, err := sim.Simulate(s, d, o); err == nil || err.Error() != want {
			t.Errorf("shard %d of %d: %v, want %q", o.Shard, o.Shards, err, want)
		}
	}
	var counts []int
	total := 0
	simulate(t, s, d, sim.Options{Workers: 2, Progress: func(done, n int) { counts = append(counts, done); total = n }})
	if want := []int{1, 2}; total != 2 || !slices.Equal(counts, want) {
		t.Errorf("progress %v of %d, want %v of 2", counts, total, want)
	}

	var zones []string
	for _, z := range d.Zones.Zones() {
		if z.IsActive() {
			zones = append(zones, fmt.Sprint(z.ID, " ", z.Name))
		}
	}
	var labels []string
	for _, l := range plain.Labels.Zones {
		labels = append(labels, fmt.Sprint(l.ID, " ", l.Name))
	}
	slices.Sort(zones)
	slices.Sort(labels)
	if len(zones) == 0 || !slices.Equal(zones, labels) {
		t.Errorf("zone labels %q, want the tenant's %q", labels, zones)
	}

	var parts []*sim.Result
	for i := range 2 {
		parts = append(parts, simulate(t, s, d, sim.Options{Shard: i, Shards: 7, Workers: 1}))
	}
	if _, err := sim.Merge(parts...); err == nil || err.Error() != "sim: shard 2/7, 3/7, 4/7, 5/7 and 1 more missing: give every part of the split" {
		t.Errorf("five shards missing: %v", err)
	}

	// Variants, their runs in each part given in reverse: Merge orders
	// them by replication, then variant.
	v := sim.Default()
	v.Replications, v.Days = 2, 9
	whole := simulate(t, v, d, sim.Options{Workers: 1})
	parts = nil
	for i := range 2 {
		p := simulate(t, v, d, sim.Options{Shard: i, Shards: 2, Workers: 1})
		slices.Reverse(p.Runs)
		parts = append(parts, p)
	}
	if len(v.Variants) == 0 {
		t.Fatalf("the default scenario has %d variants", len(v.Variants))
	}
	if merged, err := sim.Merge(parts[1], parts[0]); err != nil || encode(merged) != encode(whole) {
		t.Errorf("merged variants in reverse: %v, or not one run's result", err)
	}

	// Parts that do not fit: a shard past its split, a run whose days,
	// or business-unit figures, are not the others'.
	fresh := func() []*sim.Result {
		var out []*sim.Result
		for _, p := range parts {
			back, err := sim.ParseResult([]byte(encode(p)))
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, back)
		}
		return out
	}
	days := whole.Runs[0].Days
	span := fmt.Sprintf("(%s to %s)", days[0].Date, days[len(days)-1].Date)
	for _, c := range []struct {
		name string
		edit func(ps []*sim.Result)
		want string
	}{
		{"shard past the split", func(ps []*sim.Result) { ps[1].Shard = "2/2" }, `sim: part 2: it has shard "2/2": want i/n with 0 <= i < n`},
		{"a day short", func(ps []*sim.Result) { r := ps[1].Runs[len(ps[1].Runs)-1]; r.Days = r.Days[:len(r.Days)-1] },
			fmt.Sprintf("sim: run 2 (baseline, replication 1): %d measured days, not the %d of replication 0 %s", len(days)-1, len(days), span)},
		{"first run without days", func(ps []*sim.Result) {
			for _, r := range ps[0].Runs {
				if r.Variant == "baseline" {
					r.Days = nil
				}
			}
		}, fmt.Sprintf("sim: run 2 (baseline, replication 1): %d measured days, not the 0 of replication 0 (none to none)", len(days))},
		{"business units", func(ps []*sim.Result) { r := ps[1].Runs[0]; r.Units = r.Units[:len(r.Units)-1] },
			fmt.Sprintf("business-unit figures for %d business units", len(whole.Labels.BusinessUnits))},
		{"a day's business units", func(ps []*sim.Result) { r := ps[1].Runs[0]; r.Days[1].Units = r.Days[1].Units[:1] },
			fmt.Sprintf("days[1]: 1 business-unit figures for %d business units", len(whole.Labels.BusinessUnits))},
	} {
		ps := fresh()
		c.edit(ps)
		if _, err := sim.Merge(ps...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	if len(whole.Labels.BusinessUnits) < 2 || len(whole.Runs[0].Units) == 0 || len(days) < 2 || len(days[1].Units) < 2 {
		t.Fatalf("%d business units, %d figures: the cases above test nothing", len(whole.Labels.BusinessUnits), len(whole.Runs[0].Units))
	}
	// A file that is not a result names its first six members, and an
	// ellipsis only for more.
	for _, c := range []struct{ in, want string }{
		{`{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6}`, "(its members: a, b, c, d, e, f)"},
		{`{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7}`, "(its members: a, b, c, d, e, f, …)"},
	} {
		if _, err := sim.ParseResult([]byte(c.in)); err == nil || !strings.HasSuffix(err.Error(), c.want) {
			t.Errorf("ParseResult(%s): %v, want it to end %q", c.in, err, c.want)
		}
	}

	// The board is the baseline's replication 0, with variants beside it
	// or not.
	boardOf := func(sc sim.Scenario, o sim.Options) string {
		o.Board = true
		res := simulate(t, sc, d, o)
		if res.Board == nil || res.Pings == nil {
			t.Fatal("no board kept")
		}
		b := res.Board.Data()
		return fmt.Sprint(len(b.Appointments), b.Appointments, b.Assignments)
	}
	base := v
	base.Variants = nil
	if boardOf(v, sim.Options{Workers: 2}) != boardOf(base, sim.Options{Workers: 2}) {
		t.Error("the board with variants differs from the baseline's alone")
	}
	if boardOf(v, sim.Options{Shard: 0, Shards: 2}) != boardOf(v, sim.Options{Workers: 2}) {
		t.Error("the board of shard 0 (replication 0 alone) differs from the whole study's")
	}

	// A study with warnings (no roster: no working time), merged.
	s.Roster = sim.Roster{}
	whole = simulate(t, s, d, sim.Options{Workers: 1})
	parts = nil
	for i := range 2 {
		parts = append(parts, simulate(t, s, d, sim.Options{Shard: i, Shards: 2, Workers: 1}))
	}
	merged, err := sim.Merge(parts...)
	if err != nil || len(whole.Warnings) == 0 || encode(merged) != encode(whole) {
		t.Errorf("merged with warnings %q, %v; one run's %q", merged.Warnings, err, whole.Warnings)
	}
}

// TestKPIUnits: each figure of the summary is the mean, over the
// replications where it is defined, of the run's own counts in the
// figure's unit, computed here apart: seconds in hours or minutes, counts
// in % or per technician-day. (The unit conversions of the emergency and
// routine waits were changed by a mutation test unseen.)
func TestKPIUnits(t *testing.T) {
	d := demoData(t)
	s := small(3)
	s.Days = 12
	res := simulate(t, s, d, sim.Options{Workers: 1})
	per := func(a, b int64, scale float64) (float64, bool) { return float64(a) / float64(b) * scale, b > 0 }
	if_ := func(n int64, x float64) (float64, bool) { return x, n > 0 }
	ref := map[string]func(r *sim.Run) (float64, bool){
		"calls":                func(r *sim.Run) (float64, bool) { return float64(r.Calls), true },
		"booked":               func(r *sim.Run) (float64, bool) { return float64(r.Booked), true },
		"lost":                 func(r *sim.Run) (float64, bool) { return float64(r.Lost), true },
		"bookingRate":          func(r *sim.Run) (float64, bool) { return per(r.Booked, r.Calls, 100) },
		"utilisation":          func(r *sim.Run) (float64, bool) { return per(r.OnSiteSeconds, r.WorkingSeconds, 100) },
		"driveShare":           func(r *sim.Run) (float64, bool) { return per(r.DriveSeconds, r.WorkingSeconds, 100) },
		"overtime":             func(r *sim.Run) (float64, bool) { return float64(r.OvertimeSeconds) / 3600, true },
		"onTime":               func(r *sim.Run) (float64, bool) { return per(r.OnTime, r.RoutineJobs, 100) },
		"routineWaitMean":      func(r *sim.Run) (float64, bool) { return per(r.WaitSeconds, r.RoutineJobs, 1.0/3600) },
		"routineWaitP50":       func(r *sim.Run) (float64, bool) { return if_(r.RoutineJobs, float64(r.RoutineWaitP50)/3600) },
		"routineWaitP90":       func(r *sim.Run) (float64, bool) { return if_(r.RoutineJobs, float64(r.RoutineWaitP90)/3600) },
		"emergencyLost":        func(r *sim.Run) (float64, bool) { return float64(r.EmergencyLost), true },
		"emergencyLostShare":   func(r *sim.Run) (float64, bool) { return per(r.EmergencyLost, r.EmergencyCalls, 100) },
		"emergencyWaited":      func(r *sim.Run) (float64, bool) { return per(r.EmergencyWaited, r.EmergencyJobs, 100) },
		"emergencyWaitMean":    func(r *sim.Run) (float64, bool) { return per(r.EmergencyWaitSec, r.EmergencyJobs, 1.0/60) },
		"emergencyWaitP50":     func(r *sim.Run) (float64, bool) { return if_(r.EmergencyCalls, float64(r.EmergencyWaitP50)/60) },
		"emergencyWaitP90":     func(r *sim.Run) (float64, bool) { return if_(r.EmergencyCalls, float64(r.EmergencyWaitP90)/60) },
		"emergencyResponse":    func(r *sim.Run) (float64, bool) { return per(r.ResponseSeconds, r.EmergencyJobs, 1.0/60) },
		"emergencyResponseP90": func(r *sim.Run) (float64, bool) { return if_(r.EmergencyCalls, float64(r.EmergencyResponseP90)/60) },
		"jobsPerTechnicianDay": func(r *sim.Run) (float64, bool) { return per(r.Jobs, r.TechnicianDays, 1) },
	}
	checked := 0
	for key, f := range ref {
		e := kpi(res.Summary.Variants[0], key)
		if e.Key != key {
			t.Errorf("no figure %q", key)
			continue
		}
		if e.Censored > 0 {
			continue // the mean stands in a value for the censored ones
		}
		sum, n := 0.0, 0
		for _, r := range res.Runs {
			if x, ok := f(r); ok {
				sum += x
				n++
			}
		}
		if n != e.N || n > 0 && math.Abs(e.Mean-sum/float64(n)) > 1e-9*math.Max(1, math.Abs(e.Mean)) {
			t.Errorf("%s: mean %v over %d replications, want %v over %d", key, e.Mean, e.N, sum/float64(max(n, 1)), n)
		}
		if n > 0 && e.Mean != 0 {
			checked++
		}
	}
	// The business units' time figures likewise.
	units := res.Summary.Variants[0].Units
	if len(units) != len(res.Labels.BusinessUnits) || len(units) == 0 {
		t.Fatalf("%d unit figures for %d business units", len(units), len(res.Labels.BusinessUnits))
	}
	for ui, u := range units {
		for _, c := range []struct {
			name string
			got  float64
			f    func(r *sim.Run) float64
		}{
			{"utilisation", u.Utilisation.Mean, func(r *sim.Run) float64 {
				return 100 * float64(r.Units[ui].OnSiteSeconds) / float64(r.Units[ui].WorkingSeconds)
			}},
			{"drive share", u.DriveShare.Mean, func(r *sim.Run) float64 {
				return 100 * float64(r.Units[ui].DriveSeconds) / float64(r.Units[ui].WorkingSeconds)
			}},
			{"overtime hours", u.OvertimeHours.Mean, func(r *sim.Run) float64 { return float64(r.Units[ui].OvertimeSeconds) / 3600 }},
			{"working hours", u.WorkingHours.Mean, func(r *sim.Run) float64 { return float64(r.Units[ui].WorkingSeconds) / 3600 }},
		} {
			sum := 0.0
			for _, r := range res.Runs {
				sum += c.f(r)
			}
			if want := sum / float64(len(res.Runs)); math.Abs(c.got-want) > 1e-9*math.Max(1, math.Abs(want)) {
				t.Errorf("unit %d %s: %v, want %v", u.ID, c.name, c.got, want)
			}
		}
	}
	if checked < len(ref)-4 {
		t.Errorf("only %d of %d figures non-zero and checked: the study is too small to tell", checked, len(ref))
	}
}

// TestNoBusinessHoursWarned: a tenant without business hours on any date
// a call may book (no weekly hours, no exception opening a date) loses
// every call that is not an emergency; that is a warning naming the
// dates, and an error under Strict, never a silent 100% loss (design §7).
// One open date within reach is enough to say nothing.
func TestNoBusinessHoursWarned(t *testing.T) {
	var f map[string]any
	if err := json.Unmarshal(dispatch.DemoTenant, &f); err != nil {
		t.Fatal(err)
	}
	f["businessHours"] = map[string]any{"weekdays": []any{}}
	f["exceptions"] = []any{}
	closed := func(exceptions []any) capacity.Data {
		f["exceptions"] = exceptions
		b, err := json.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		ten, err := tenant.Parse(b)
		if err != nil {
			t.Fatal(err)
		}
		return ten.Engine.Data()
	}
	s := small(2)
	s.Start, s.Days, s.WarmupDays = "2027-03-08", 14, 7
	res := simulate(t, s, closed(nil), sim.Options{})
	want := "none of the 21 dates on which calls may book (2027-03-08 to 2027-03-28) has business hours"
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], want) {
		t.Errorf("warnings %q; want one with %q", res.Warnings, want)
	}
	if _, err := sim.Simulate(s, closed(nil), sim.Options{Strict: true}); !errors.Is(err, sim.ErrWarnings) || !strings.Contains(err.Error(), want) {
		t.Errorf("strict: got %v, want an error wrapping ErrWarnings with %q", err, want)
	}
	// An exception opening the last date a call may book reaches it.
	open := closed([]any{map[string]any{"date": "2027-03-28", "timeSlots": []any{map[string]any{"from": "08:00", "to": "12:00"}}}})
	for _, w := range simulate(t, s, open, sim.Options{}).Warnings {
		if strings.Contains(w, "has business hours") {
			t.Errorf("warned with a date open: %q", w)
		}
	}
}
