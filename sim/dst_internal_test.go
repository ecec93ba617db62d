package sim

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/internal/base/proptest"
	"github.com/opendispatch/dispatch/shifts"
)

// dstZones are the zones the DST studies run in: a 30-minute change (Lord
// Howe), changes at midnight so that some local dates have no 00:00
// (Santiago, Beirut), a +12:45/+13:45 offset (Chatham), Ramadan changes
// (Casablanca), a half-hour offset (St John's), and the plain ones.
var dstZones = []string{"America/Denver", "Europe/London", "Australia/Lord_Howe", "America/Santiago",
	"Asia/Beirut", "Pacific/Chatham", "Africa/Casablanca", "America/St_Johns", "UTC"}

func dstLoc(t testing.TB, name string) *time.Location {
	loc, err := hours.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// offsetOf returns loc's UTC offset at instant u, seconds.
func offsetOf(loc *time.Location, u int64) int64 {
	_, off := time.Unix(u, 0).In(loc).Zone()
	return int64(off)
}

// refLocal is a slow reference for design §3's wall-clock to instant:
// every instant within 27 hours whose local reading is wall (seconds of
// the local time read as if it were UTC), the earliest of them; when
// there is none (a spring-forward gap), wall read with the offset in
// force before the gap, which moves it forward by the gap. The study
// zones' offsets are whole quarter hours, so the search steps 15 minutes
// at a time from wall's own second.
func refLocal(loc *time.Location, wall int64) int64 {
	for u := wall - 27*3600; u <= wall+27*3600; u += 900 {
		if u+offsetOf(loc, u) == wall {
			return u
		}
	}
	return wall - offsetOf(loc, wall-27*3600)
}

// transitions returns loc's offset changes in [from, to), found by
// ZoneBounds.
func transitions(loc *time.Location, from, to int64) []int64 {
	var out []int64
	for u := from; u < to; {
		_, end := time.Unix(u, 0).In(loc).ZoneBounds()
		if end.IsZero() || end.Unix() >= to {
			break
		}
		out = append(out, end.Unix())
		u = end.Unix()
	}
	return out
}

// TestRollRosterKeepsWallClock: a weekly template rolled forward over
// hundreds of days, across every clock change of the study zones, gives
// each date outside the file's span exactly one shift per template
// shift (no date lost or repeated), starting and ending at the
// template's local clock times — read by a slow reference of design §3
// (a time in a gap moves forward by it, a repeated one takes the
// earlier instant) — so a 07:00–17:00 shift is 9 or 11 hours long only
// when a change falls inside it. Rolling by 24-hour days instead
// (s.Start.Add(…)) fails it in every DST zone.
func TestRollRosterKeepsWallClock(t *testing.T) {
	props := gopter.NewProperties(proptest.Params(t, 300))
	base := hours.MustParseDate("2026-06-01")
	props.Property("rolled shifts keep their local clock times", prop.ForAll(
		func(zi, tday, clock15, dur15, weeks int) bool {
			loc := dstLoc(t, dstZones[zi])
			tstart := base + hours.Date(tday)
			clock, dur := clock15*15, dur15*15
			var d capacity.Data
			for i := range 7 * weeks {
				day := tstart + hours.Date(i)
				st := hours.Local(loc, day, hours.Clock(clock))
				ew := clock + dur
				en := hours.Local(loc, day+hours.Date(ew/1440), hours.Clock(ew%1440))
				d.Shifts = append(d.Shifts, shifts.Shift{ID: int64(i + 1), TechnicianID: 1, Type: shifts.Normal,
					Start: time.Unix(st, 0).In(loc), End: time.Unix(en, 0).In(loc)})
			}
			from, to := tstart-200, tstart+400
			got := rollRoster(d, loc, Roster{TemplateStart: tstart.String(), TemplateWeeks: weeks}, from, to)
			perDay := map[hours.Date]int{}
			ids := map[int64]bool{}
			for _, s := range got {
				if ids[s.ID] {
					t.Logf("%s: shift id %d twice", dstZones[zi], s.ID)
					return false
				}
				ids[s.ID] = true
				day := hours.DateAt(loc, s.Start.Unix())
				perDay[day]++
				if day >= tstart && day < tstart+hours.Date(7*weeks) {
					continue // the file's own
				}
				ew := clock + dur
				wantS := refLocal(loc, int64(day)*86400+int64(clock)*60)
				wantE := refLocal(loc, int64(day+hours.Date(ew/1440))*86400+int64(ew%1440)*60)
				if s.Start.Unix() != wantS || s.End.Unix() != wantE {
					t.Logf("%s %s: rolled %v–%v, want %v–%v (template %s +%d min)", dstZones[zi], day,
						s.Start, s.End, time.Unix(wantS, 0).In(loc), time.Unix(wantE, 0).In(loc), hours.Clock(clock), dur)
					return false
				}
				// Neither end in a gap: the length is the wall-clock
				// length less the change inside the shift.
				inGap := func(u int64, c int) bool { lt := time.Unix(u, 0).In(loc); return lt.Hour()*60+lt.Minute() != c }
				if el := s.End.Unix() - s.Start.Unix(); !inGap(wantS, clock) && !inGap(wantE, ew%1440) &&
					el != int64(dur)*60-(offsetOf(loc, wantE)-offsetOf(loc, wantS)) {
					t.Logf("%s %s: a shift of %d min lasts %d s", dstZones[zi], day, dur, el)
					return false
				}
			}
			for day := from; day < to; day++ {
				if perDay[day] != 1 {
					t.Logf("%s: %d shifts start on %s, want 1 (template %s, %d weeks, %s +%d min)",
						dstZones[zi], perDay[day], day, tstart, weeks, hours.Clock(clock), dur)
					return false
				}
			}
			return len(got) == int(to-from)
		},
		gen.IntRange(0, len(dstZones)-1), gen.IntRange(0, 500), gen.IntRange(0, 95), gen.IntRange(1, 64), gen.IntRange(1, 3),
	))
	proptest.Run(t, props)
}

// TestDaysAheadLocalDays: the booking horizon's end, daysAhead, is the
// same local clock time the given number of dates later (design §3's
// disambiguation, by a slow reference), not that many 86,400-second
// days: across a fall-back those end an hour early by the clock, across
// a spring-forward an hour late. With now + n·86,400 it fails in every
// DST zone.
func TestDaysAheadLocalDays(t *testing.T) {
	props := gopter.NewProperties(proptest.Params(t, 2000))
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	props.Property("daysAhead keeps the local clock", prop.ForAll(
		func(zi int, sec int64, n int) bool {
			loc := dstLoc(t, dstZones[zi])
			w := &world{loc: loc}
			now := from + sec
			got := w.daysAhead(now, n)
			want := refLocal(loc, now+offsetOf(loc, now)+int64(n)*86400)
			if got != want {
				t.Logf("%s: %d days after %v: got %v, want %v", dstZones[zi], n, time.Unix(now, 0).In(loc),
					time.Unix(got, 0).In(loc), time.Unix(want, 0).In(loc))
				return false
			}
			return true
		},
		gen.IntRange(0, len(dstZones)-1), gen.Int64Range(0, 3*365*86400), gen.IntRange(0, 30),
	))
	proptest.Run(t, props)
}

// TestDaysAheadOddOffsets: daysAhead keeps the local clock to the second
// where offsets are not whole minutes (Amsterdam's +00:19:32 in 1900,
// Monrovia's −00:44:30 until 1972, Kolkata's +05:21:10 in 1900), before
// 1970 (negative instants) and near the last year instants may have
// (2199), by time.Date on dates without a change.
func TestDaysAheadOddOffsets(t *testing.T) {
	cases := []struct {
		zone string
		at   time.Time // UTC
		days int
	}{
		{"Europe/Amsterdam", time.Date(1900, 3, 5, 23, 50, 17, 0, time.UTC), 7},
		{"Africa/Monrovia", time.Date(1960, 7, 1, 0, 30, 0, 0, time.UTC), 1},
		{"Africa/Monrovia", time.Date(1969, 12, 31, 23, 59, 59, 0, time.UTC), 31},
		{"Asia/Kolkata", time.Date(1900, 1, 1, 18, 10, 41, 0, time.UTC), 3},
		{"America/Denver", time.Date(2199, 12, 1, 6, 59, 59, 0, time.UTC), 29},
		{"Australia/Lord_Howe", time.Date(2199, 6, 30, 13, 29, 30, 0, time.UTC), 7},
	}
	for _, c := range cases {
		loc := dstLoc(t, c.zone)
		now := c.at.Unix()
		lt := time.Unix(now, 0).In(loc)
		y, m, d := lt.Date()
		want := time.Date(y, m, d+c.days, lt.Hour(), lt.Minute(), lt.Second(), 0, loc)
		if got := (&world{loc: loc}).daysAhead(now, c.days); got != want.Unix() {
			t.Errorf("%s: %d days after %v: got %v, want %v", c.zone, c.days, lt, time.Unix(got, 0).In(loc), want)
		}
	}
}

// TestHourOfWeekAnyOrder: the arrival rate's hour of the week, cached by
// hourOfWeek, is the local hour of every instant whatever order they are
// asked in, around every clock change of the study zones — including
// Lord Howe's half-hour ones, after which the local hour began before
// the change (the cache once took [01:30, 02:00) standard time for the
// daylight hour 02).
func TestHourOfWeekAnyOrder(t *testing.T) {
	props := gopter.NewProperties(proptest.Params(t, 500))
	lo := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	hi := time.Date(2029, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	props.Property("hourOfWeek is the local hour", prop.ForAll(
		func(zi, ti int, offs []int64) bool {
			loc := dstLoc(t, dstZones[zi])
			tr := transitions(loc, lo, hi)
			at := lo + 86400
			if len(tr) > 0 {
				at = tr[ti%len(tr)]
			}
			r := &rep{w: &world{loc: loc}, hourTo: math.MinInt64}
			for _, o := range offs {
				u := at + o
				lt := time.Unix(u, 0).In(loc)
				if got, want := r.hourOfWeek(u), int(lt.Weekday())*24+lt.Hour(); got != want {
					t.Logf("%s: hour of week of %v: got %d, want %d", dstZones[zi], lt, got, want)
					return false
				}
			}
			return true
		},
		gen.IntRange(0, len(dstZones)-1), gen.IntRange(0, 100), gen.SliceOfN(30, gen.Int64Range(-3*3600, 3*3600)),
	))
	proptest.Run(t, props)
}

// changes2027 returns loc's clock changes from 2027-01-20 to 2027-12-01,
// after the January template the study tenants roll forward.
func changes2027(loc *time.Location) []int64 {
	return transitions(loc, time.Date(2027, 1, 20, 0, 0, 0, 0, time.UTC).Unix(), time.Date(2027, 12, 1, 0, 0, 0, 0, time.UTC).Unix())
}

// dailySchedule compiles the schedule of zone name open from–to every
// day with the arrival windows given.
func dailySchedule(t testing.TB, name, from, to string, windows ...hours.ArrivalWindow) *hours.Schedule {
	t.Helper()
	var bh hours.BusinessHours
	for d := time.Sunday; d <= time.Saturday; d++ {
		bh.Weekdays = append(bh.Weekdays, hours.WeekdayHours{Weekday: d.String(), TimeSlots: []hours.TimeSlot{{From: from, To: to}}})
	}
	sched, err := hours.Compile(hours.Rules{TimeZone: name, BusinessHours: bh, ArrivalWindows: windows})
	if err != nil {
		t.Fatal(err)
	}
	return sched
}

// dstTenant is a small tenant in zone name: open 07:00–22:00 every day
// with four arrival windows, a 90-minute repair and a 30-minute priority
// emergency, and four technicians whose two-week template from
// 2027-01-04 works 07:00–22:00 and is on call 22:00–07:00 every day, so
// that someone is on duty at every instant once the template is rolled
// forward.
func dstTenant(t testing.TB, name string) capacity.Data {
	sched := dailySchedule(t, name, "07:00", "22:00", hours.ArrivalWindow{ID: 1, From: "08:00", To: "10:00"}, hours.ArrivalWindow{ID: 2, From: "10:00", To: "12:00"}, hours.ArrivalWindow{ID: 3, From: "13:00", To: "15:00"}, hours.ArrivalWindow{ID: 4, From: "15:00", To: "17:00"})
	loc := sched.Location()
	d := capacity.Data{Schedule: sched, IdealBookingPercentage: 90,
		BusinessUnits: []capacity.BusinessUnit{{ID: 1, Name: "Service"}},
		JobTypes: []capacity.JobType{{ID: 1, Name: "Repair", DurationMinutes: 90, BusinessUnitIDs: []int64{1}},
			{ID: 2, Name: "Emergency", DurationMinutes: 30, Priority: true, BusinessUnitIDs: []int64{1}}}}
	first := hours.MustParseDate("2027-01-04")
	var id int64
	for i := range 4 {
		tech := int64(i + 1)
		d.Technicians = append(d.Technicians, capacity.Technician{ID: tech, Name: fmt.Sprint("T", tech), BusinessUnitID: 1})
		for day := first; day < first+14; day++ {
			at := func(day hours.Date, c int) time.Time {
				return time.Unix(hours.Local(loc, day, hours.Clock(c)), 0).In(loc)
			}
			id++
			d.Shifts = append(d.Shifts, shifts.Shift{ID: id, TechnicianID: tech, Type: shifts.Normal, Start: at(day, 7*60), End: at(day, 22*60)})
			id++
			d.Shifts = append(d.Shifts, shifts.Shift{ID: id, TechnicianID: tech, Type: shifts.OnCall, Start: at(day, 22*60), End: at(day+1, 7*60)})
		}
	}
	return d
}

// TestStudiesAcrossDST runs a study around every 2027 clock change of
// the study zones — the roster rolled forward from a January template,
// a week's warm-up, two measured weeks with the change in the middle —
// and checks them as a dispatcher would: no warning (every business day
// has working time); the per-day breakdown names the fourteen local
// dates in order; the measured time is fourteen local days, 23- and
// 25-hour ones counted as such; every date has the same working time
// (the 07:00–22:00 shifts keep their clock times on the days of the
// change); and with an emergency's maximum wait of 0, no emergency is
// ever lost for want of someone on duty — the on-call nights, the night
// of the change included, join the working days without a gap. The CSV
// has the same dates with their weekdays, and without the roster rolled
// forward, --strict refuses the study naming the 28 business dates
// without working time.
// Rolling the template by 24-hour days fails it in every DST zone.
func TestStudiesAcrossDST(t *testing.T) {
	for _, name := range dstZones {
		d := dstTenant(t, name)
		loc := d.Schedule.Location()
		changes := changes2027(loc)
		if name != "UTC" && len(changes) != 2 {
			t.Fatalf("%s: %d clock changes in 2027, want 2", name, len(changes))
		}
		if name == "UTC" {
			changes = []int64{time.Date(2027, 6, 15, 0, 0, 0, 0, time.UTC).Unix()}
		}
		for _, ch := range changes {
			s := Default()
			s.Variants = nil
			s.Replications = 3
			day := hours.DateAt(loc, ch)
			s.Start = (day - 10).String()
			s.Days, s.WarmupDays = 21, 7
			s.Roster = Roster{TemplateStart: "2027-01-04", TemplateWeeks: 2}
			s.Demand = Demand{CallsPerDay: 40, EmergencyShare: 0.5}
			s.Booking.EmergencyMaxWaitMinutes = 0
			res, err := Simulate(s, d, Options{})
			if err != nil {
				t.Fatalf("%s around %s: %v", name, day, err)
			}
			if len(res.Warnings) > 0 {
				t.Errorf("%s around %s: warnings %q", name, day, res.Warnings)
			}
			measure, end := hours.Local(loc, day-3, 0), hours.Local(loc, day+11, 0)
			wantMeasured := int64(14*86400) - (offsetOf(loc, end) - offsetOf(loc, measure))
			for _, r := range res.Runs {
				if r.MeasuredSeconds != wantMeasured {
					t.Errorf("%s around %s: measured %d s, want %d", name, day, r.MeasuredSeconds, wantMeasured)
				}
				if len(r.Days) != 14 {
					t.Fatalf("%s around %s: %d days, want 14", name, day, len(r.Days))
				}
				for i, dd := range r.Days {
					if want := (day - 3 + hours.Date(i)).String(); dd.Date != want {
						t.Errorf("%s around %s: day %d is %s, want %s", name, day, i, dd.Date, want)
					}
					if dd.WorkingSeconds != 4*15*3600 {
						t.Errorf("%s %s: %d s of working time, want 4 × 15 h", name, dd.Date, dd.WorkingSeconds)
					}
				}
				if n := r.LostBy[EmergencyOffDuty]; n > 0 {
					t.Errorf("%s around %s, replication %d: %d emergencies lost with no one on duty", name, day, r.Replication, n)
				}
				if r.EmergencyCalls < 200 {
					t.Errorf("%s around %s: only %d emergencies", name, day, r.EmergencyCalls)
				}
			}
			// The CSV's rows are the same local dates, with their
			// weekdays.
			var csvOut strings.Builder
			if err := WriteCSV(&csvOut, res); err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(strings.NewReader(csvOut.String())).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			dates := map[string]bool{}
			for _, row := range rows[1:] {
				dd, err := hours.ParseDate(row[1])
				if err != nil || dd.Weekday().String() != row[2] {
					t.Errorf("%s around %s: CSV row dated %q, %q", name, day, row[1], row[2])
				}
				dates[row[1]] = true
			}
			for _, dd := range res.Runs[0].Days {
				if !dates[dd.Date] {
					t.Errorf("%s around %s: no CSV row dated %s", name, day, dd.Date)
				}
			}
			if len(dates) != 14 {
				t.Errorf("%s around %s: the CSV has %d dates, want 14", name, day, len(dates))
			}
			// Without the roster rolled forward, every business date on
			// which calls may book has no working time: the call days
			// and a booking horizon, 28 local dates, named from the first.
			s.Roster = Roster{}
			if _, err := Simulate(s, d, Options{Strict: true}); !errors.Is(err, ErrWarnings) ||
				!strings.Contains(err.Error(), "28 business day(s)") || !strings.Contains(err.Error(), ": "+s.Start+", ") {
				t.Errorf("%s around %s: strict without a roster: %v; want 28 business days without working time from %s", name, day, err, s.Start)
			}
		}
	}
}

// horizonTenant is open 08:00–10:00 every day in zone name with one
// arrival window, 08:30–09:30, and one technician, who works only
// 08:30–09:30 on date last.
func horizonTenant(t testing.TB, name string, last hours.Date) capacity.Data {
	sched := dailySchedule(t, name, "08:00", "10:00", hours.ArrivalWindow{ID: 1, From: "08:30", To: "09:30"})
	loc := sched.Location()
	return capacity.Data{Schedule: sched, IdealBookingPercentage: 100,
		BusinessUnits: []capacity.BusinessUnit{{ID: 1, Name: "Service"}},
		JobTypes:      []capacity.JobType{{ID: 1, Name: "Check", DurationMinutes: 15, BusinessUnitIDs: []int64{1}}},
		Technicians:   []capacity.Technician{{ID: 1, Name: "T1", BusinessUnitID: 1}},
		Shifts: []shifts.Shift{{ID: 1, TechnicianID: 1, Type: shifts.Normal,
			Start: time.Unix(hours.Local(loc, last, 8*60+30), 0).In(loc), End: time.Unix(hours.Local(loc, last, 9*60+30), 0).In(loc)}}}
}

// TestHorizonLocalDays: the booking horizon is local days. Calls come in
// 09:00–10:00 on the Sunday a week before a clock change in London; the
// only window a technician works is 08:30–09:30 on the Sunday of the
// change, so with a 7-day horizon (a window is offered when it ends
// within it) the calls from 09:30 on are offered it
// and the earlier ones are lost beyond the horizon — in London exactly
// as in the same tenant in UTC, which has no change. With 7 × 86,400
// seconds, London's calls see an hour less across the fall-back (none is
// offered the window) and an hour more across the spring-forward (every
// one is).
func TestHorizonLocalDays(t *testing.T) {
	profile := make([]float64, 168)
	profile[9] = 1 // Sunday 09:00–10:00
	for _, change := range []string{"2027-03-28", "2027-10-31"} {
		last := hours.MustParseDate(change)
		s := Default()
		s.Variants = nil
		s.Replications = 4
		s.Start, s.Days, s.WarmupDays = (last - 7).String(), 1, 0
		s.Roster = Roster{}
		s.Demand = Demand{CallsPerDay: 2, HourOfWeek: profile}
		s.Booking.DeclineProbability = 0
		s.Booking.PreferredShare = 0
		var booked, beyond int64
		for _, l := range londonAsUTC(t, s, last) {
			booked, beyond = booked+l.Booked, beyond+l.LostBy[BeyondHorizon]
		}
		t.Logf("change %s: London booked %d, lost beyond the horizon %d over %d replications", change, booked, beyond, s.Replications)
		if booked == 0 || beyond == 0 {
			t.Errorf("change %s: %d booked and %d lost beyond the horizon over the replications; want some of each", change, booked, beyond)
		}
	}
}

// TestBeyondHorizonLocalDays: a lost call is lost beyond the horizon when
// a window would have been offered within twice the horizon, in local
// days too. Calls come in 09:00–10:00 on the Saturday eight days before
// a clock change in London, with a 4-day horizon; the only window is
// 08:30–09:30 on the Sunday of the change, so every call is lost, those
// from 09:30 on beyond the horizon, the earlier ones with no technician
// who fits (NoFit) — in London exactly as in UTC. With 8 × 86,400 seconds,
// none is beyond the horizon across the fall-back, and every one across
// the spring-forward.
func TestBeyondHorizonLocalDays(t *testing.T) {
	profile := make([]float64, 168)
	profile[6*24+9] = 1 // Saturday 09:00–10:00
	for _, change := range []string{"2027-03-28", "2027-10-31"} {
		last := hours.MustParseDate(change)
		s := Default()
		s.Variants = nil
		s.Replications = 4
		s.Start, s.Days, s.WarmupDays = (last - 8).String(), 1, 0
		s.Roster = Roster{}
		s.Demand = Demand{CallsPerDay: 2, HourOfWeek: profile}
		s.Booking.HorizonDays = 4
		s.Booking.DeclineProbability = 0
		s.Booking.PreferredShare = 0
		var lost, beyond int64
		for _, l := range londonAsUTC(t, s, last) {
			lost, beyond = lost+l.Lost, beyond+l.LostBy[BeyondHorizon]
		}
		t.Logf("change %s: London lost %d, %d of them beyond the horizon, over %d replications", change, lost, beyond, s.Replications)
		if beyond == 0 || beyond == lost {
			t.Errorf("change %s: %d lost, %d of them beyond the horizon; want some beyond it and some not", change, lost, beyond)
		}
	}
}

// londonAsUTC runs study s on horizonTenant in London and in UTC,
// reports every replication whose calls, bookings or reasons for losses
// differ, and returns London's runs.
func londonAsUTC(t *testing.T, s Scenario, last hours.Date) []*Run {
	t.Helper()
	byZone := map[string][]*Run{}
	for _, zone := range []string{"Europe/London", "UTC"} {
		res, err := Simulate(s, horizonTenant(t, zone, last), Options{})
		if err != nil {
			t.Fatal(err)
		}
		byZone[zone] = res.Runs
	}
	for i, l := range byZone["Europe/London"] {
		u := byZone["UTC"][i]
		if l.Calls != u.Calls || l.Booked != u.Booked || l.LostBy != u.LostBy {
			t.Errorf("change %s, replication %d: London %d calls, %d booked, lost %v; UTC %d calls, %d booked, lost %v",
				last, i, l.Calls, l.Booked, l.LostBy, u.Calls, u.Booked, u.LostBy)
		}
	}
	return byZone["Europe/London"]
}

// TestArrivalsPerLocalHour: demand is a rate per local hour of the week
// (design §7, docs/simulation.md): the hour that a spring-forward skips
// gets no calls, and the hour a fall-back repeats gets its rate twice.
// With all the week's calls in Sunday 01:00–02:00, London's Sunday of
// the spring change has none, the Sunday of the autumn change about
// twice an ordinary Sunday's. Thinning by the offset in force at the
// start of the study, or by UTC hours, fails it.
func TestArrivalsPerLocalHour(t *testing.T) {
	profile := make([]float64, 168)
	profile[1] = 1 // Sunday 01:00–02:00
	calls := func(start string) []int64 {
		s := Default()
		s.Variants = nil
		s.Replications = 4
		s.Start, s.Days, s.WarmupDays = start, 14, 0
		s.Roster = Roster{}
		s.Demand = Demand{CallsPerDay: 100, HourOfWeek: profile}
		res, err := Simulate(s, horizonTenant(t, "Europe/London", hours.MustParseDate(start)), Options{})
		if err != nil {
			t.Fatal(err)
		}
		out := make([]int64, 14)
		for _, r := range res.Runs {
			for i, d := range r.Days {
				out[i] += d.Calls
			}
		}
		return out
	}
	// 2027-03-21 and 2027-10-24 are ordinary Sundays; the changes follow a
	// week later. Each Sunday's hour has 700 calls a replication.
	spring, autumn := calls("2027-03-21"), calls("2027-10-24")
	for i := range 14 {
		if i%7 != 0 && (spring[i] != 0 || autumn[i] != 0) {
			t.Errorf("day %d: %d and %d calls outside Sunday 01:00–02:00", i, spring[i], autumn[i])
		}
	}
	if spring[7] != 0 || spring[0] < 4*600 || spring[0] > 4*800 {
		t.Errorf("spring: %d calls on an ordinary Sunday, %d on the day without 01:00; want about 2,800 and 0", spring[0], spring[7])
	}
	if autumn[0] < 4*600 || autumn[0] > 4*800 || autumn[7] < 4*1300 || autumn[7] > 4*1500 {
		t.Errorf("autumn: %d calls on an ordinary Sunday, %d on the day 01:00 repeats; want about 2,800 and 5,600", autumn[0], autumn[7])
	}
}

// nightTenant is open around the clock in zone name with arrival windows
// 00:00–02:00, 11:00–13:00 and 22:00–24:00 every day, and two
// technicians whose one-week template from 2027-01-04 works the whole of
// every day.
func nightTenant(t testing.TB, name string) capacity.Data {
	sched := dailySchedule(t, name, "00:00", "24:00", hours.ArrivalWindow{ID: 1, From: "00:00", To: "02:00"}, hours.ArrivalWindow{ID: 2, From: "11:00", To: "13:00"}, hours.ArrivalWindow{ID: 3, From: "22:00", To: "24:00"})
	loc := sched.Location()
	d := capacity.Data{Schedule: sched, IdealBookingPercentage: 100,
		BusinessUnits: []capacity.BusinessUnit{{ID: 1, Name: "Service"}},
		JobTypes:      []capacity.JobType{{ID: 1, Name: "Repair", DurationMinutes: 60, BusinessUnitIDs: []int64{1}}}}
	first := hours.MustParseDate("2027-01-04")
	for i := range 2 {
		tech := int64(i + 1)
		d.Technicians = append(d.Technicians, capacity.Technician{ID: tech, Name: fmt.Sprint("T", tech), BusinessUnitID: 1})
		for day := first; day < first+7; day++ {
			d.Shifts = append(d.Shifts, shifts.Shift{ID: int64(len(d.Shifts) + 1), TechnicianID: tech, Type: shifts.Normal,
				Start: time.Unix(hours.DayStart(loc, day), 0).In(loc), End: time.Unix(hours.DayStart(loc, day+1), 0).In(loc)})
		}
	}
	return d
}

// TestWindowCapacityAcrossDST: the per-window capacity of the measured
// days counts every window of every measured date once, whatever clock
// change lies between: two technicians around the clock give each
// window its length on each date (by the slow reference of design §3:
// Santiago's 00:00–02:00 on the date without a 00:00 is an hour), twice.
// Counting a week at a time by 7 × 86,400 seconds dropped the window
// that straddled the week's end, an hour off local midnight after a
// change.
func TestWindowCapacityAcrossDST(t *testing.T) {
	for _, name := range dstZones {
		d := nightTenant(t, name)
		loc := d.Schedule.Location()
		changes := changes2027(loc)
		if name == "UTC" {
			changes = []int64{time.Date(2027, 6, 15, 0, 0, 0, 0, time.UTC).Unix()}
		}
		for _, ch := range changes {
			day := hours.DateAt(loc, ch)
			s := Default()
			s.Variants = nil
			s.Replications = 2
			s.Start, s.Days, s.WarmupDays = (day - 10).String(), 21, 7
			s.Roster = Roster{TemplateStart: "2027-01-04"}
			s.Demand = Demand{CallsPerDay: 10}
			res, err := Simulate(s, d, Options{})
			if err != nil {
				t.Fatalf("%s around %s: %v", name, day, err)
			}
			want := map[string]int64{}
			for dd := day - 3; dd < day+11; dd++ {
				for _, w := range [][2]int{{0, 120}, {660, 780}, {1320, 1440}} {
					span := refLocal(loc, int64(dd)*86400+int64(w[1])*60) - refLocal(loc, int64(dd)*86400+int64(w[0])*60)
					want[hours.Clock(w[0]).String()+"-"+hours.Clock(w[1]).String()] += 2 * span / 60
				}
			}
			for _, w := range res.Runs[0].Windows {
				if w.CapacityMinutes != want[w.Window] {
					t.Errorf("%s around %s: window %s has %d minutes of capacity, want %d", name, day, w.Window, w.CapacityMinutes, want[w.Window])
				}
			}
			if len(res.Runs[0].Windows) != 3 {
				t.Errorf("%s around %s: %d windows, want 3", name, day, len(res.Runs[0].Windows))
			}
		}
	}
}

// TestSameAsUTCBeforeTheChange: the same study of the same tenant in a
// DST zone and in UTC (its shifts at the same clock times) sees the same
// calls, call for call, until the zone's clock changes, and books and
// loses them alike — the offers of the days before the change already
// reach across it, so the horizon, the windows and the rolled roster
// must all read the clock as the UTC copy does. (Declines are left out:
// declineAfterDays is elapsed time, a customer's patience.) With the
// booking horizon in 86,400-second days it fails.
func TestSameAsUTCBeforeTheChange(t *testing.T) {
	utc := dstTenant(t, "UTC")
	compared := 0
	for _, name := range dstZones[:len(dstZones)-1] {
		d := dstTenant(t, name)
		loc := d.Schedule.Location()
		for _, ch := range changes2027(loc) {
			day := hours.DateAt(loc, ch-1)
			s := Default()
			s.Variants = nil
			s.Replications = 4
			s.Start = (day - 16).String()
			s.Days, s.WarmupDays = 21, 7
			s.Roster = Roster{TemplateStart: "2027-01-04", TemplateWeeks: 2}
			// More routine work than the technicians have time for: the
			// book fills to the horizon's end, where a window more or
			// less shows.
			s.Demand = Demand{CallsPerDay: 90, EmergencyShare: 0.1}
			s.Booking.DeclineProbability = 0
			a, err := Simulate(s, d, Options{})
			if err != nil {
				t.Fatal(err)
			}
			b, err := Simulate(s, utc, Options{})
			if err != nil {
				t.Fatal(err)
			}
			for i, ra := range a.Runs {
				rb := b.Runs[i]
				for k, da := range ra.Days {
					dd := hours.MustParseDate(da.Date)
					if hours.DayStart(loc, dd+1) > ch {
						break // the change falls in or before this date
					}
					db := rb.Days[k]
					compared++
					if da.Calls != db.Calls || da.Booked != db.Booked || da.LostBy != db.LostBy {
						t.Errorf("%s, change %s, replication %d, %s: %d calls, %d booked, lost %v; in UTC %d, %d, %v",
							name, day, i, da.Date, da.Calls, da.Booked, da.LostBy, db.Calls, db.Booked, db.LostBy)
					}
				}
			}
		}
	}
	if compared < 16*4*5 {
		t.Errorf("compared %d days, want at least %d", compared, 16*4*5)
	}
}

// TestSameAsUTCWithoutChange: over a span with no clock change (the
// roster, the calls, the booking horizons after them), a study of the
// tenant in any zone, its shifts at the same clock times, is the study
// of its UTC copy, figure for figure: every run's JSON is the same.
// Reading any clock in UTC or at a fixed offset instead of the tenant's
// zone (the arrival profile, the windows, the rolled shifts) fails it
// in every zone but UTC.
func TestSameAsUTCWithoutChange(t *testing.T) {
	s := Default()
	s.Variants = nil
	s.Replications = 3
	s.Start, s.Days, s.WarmupDays = "2027-06-07", 21, 7
	s.Roster = Roster{TemplateStart: "2027-01-04", TemplateWeeks: 2}
	s.Demand = Demand{CallsPerDay: 90, EmergencyShare: 0.1}
	runs := func(name string) string {
		res, err := Simulate(s, dstTenant(t, name), Options{})
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(res.Runs)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	want := runs("UTC")
	lo := time.Date(2027, 6, 6, 0, 0, 0, 0, time.UTC).Unix()
	hi := time.Date(2027, 7, 20, 0, 0, 0, 0, time.UTC).Unix()
	for _, name := range dstZones[:len(dstZones)-1] {
		if tr := transitions(dstLoc(t, name), lo, hi); len(tr) > 0 {
			t.Fatalf("%s changes its clock at %v, within the study", name, time.Unix(tr[0], 0))
		}
		if got := runs(name); got != want {
			t.Errorf("%s: the runs differ from the UTC copy's", name)
		}
	}
}

// TestPerWeekAcrossDST: hours a week count weeks of local dates. Four
// technicians working 07:00–22:00 every day are 420 technician-hours a
// week — the optimiser's cost of the roster and the technicianHours
// figure — over a measured fortnight with a 23- or 25-hour day in it
// too. Dividing by the measured seconds read 421.3 across a
// spring-forward and 418.8 across a fall-back.
func TestPerWeekAcrossDST(t *testing.T) {
	var hoursKPI func(*Run) float64
	for _, k := range optMetrics {
		if k.key == "technicianHours" {
			hoursKPI = k.f
		}
	}
	for _, name := range dstZones {
		d := dstTenant(t, name)
		loc := d.Schedule.Location()
		for _, ch := range changes2027(loc) {
			day := hours.DateAt(loc, ch-1)
			s := Default()
			s.Variants = nil
			s.Replications = 2
			s.Start, s.Days, s.WarmupDays = (day - 10).String(), 21, 7
			s.Roster = Roster{TemplateStart: "2027-01-04", TemplateWeeks: 2}
			s.Demand = Demand{CallsPerDay: 40, EmergencyShare: 0.1}
			w, err := newWorld(&s, d, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := w.costPerWeek(0); got != 420 {
				t.Errorf("%s around %s: the roster costs %v hours a week, want 420", name, day, got)
			}
			res, err := Simulate(s, d, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := hoursKPI(res.Runs[0]); got != 420 {
				t.Errorf("%s around %s: %v technician-hours a week, want 420", name, day, got)
			}
		}
	}
}
