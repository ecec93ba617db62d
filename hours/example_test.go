package hours_test

import (
	"fmt"
	"time"

	"github.com/opendispatch/dispatch/hours"
)

func ExampleLocal() {
	loc, _ := hours.LoadLocation("America/Denver")
	spring := hours.MustParseDate("2027-03-14") // clocks jump 02:00 → 03:00
	fall := hours.MustParseDate("2027-11-07")   // clocks fall back 02:00 → 01:00
	show := func(u int64) { fmt.Println(time.Unix(u, 0).In(loc).Format(time.RFC3339)) }
	show(hours.Local(loc, spring, hours.MustParseClock("02:30"))) // does not exist: moves forward
	show(hours.Local(loc, fall, hours.MustParseClock("01:30")))   // happens twice: the earlier
	show(hours.Local(loc, spring-1, hours.EndOfDay))              // 24:00 is the next midnight
	// Output:
	// 2027-03-14T03:30:00-06:00
	// 2027-11-07T01:30:00-06:00
	// 2027-03-14T00:00:00-07:00
}

func ExampleSchedule_Windows() {
	s, err := hours.Compile(hours.Rules{
		TimeZone: "America/Denver",
		BusinessHours: hours.BusinessHours{Weekdays: []hours.WeekdayHours{
			{Weekday: "Monday", TimeSlots: []hours.TimeSlot{{From: "08:00", To: "17:00"}}},
		}},
		ArrivalWindows: []hours.ArrivalWindow{
			{ID: 1, From: "08:00", To: "10:00"},
			{ID: 2, From: "10:00", To: "12:00", BusinessUnitIDs: []int64{1}},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	loc := s.Location()
	mon := hours.MustParseDate("2027-03-08")
	for _, w := range s.Windows(hours.DayStart(loc, mon), hours.DayStart(loc, mon+7)) {
		fmt.Println(w.Date, w.ID, time.Unix(w.Start, 0).In(loc).Format(time.Kitchen), w.BusinessUnitIDs)
	}
	// Output:
	// 2027-03-08 1 8:00AM []
	// 2027-03-08 2 10:00AM [1]
}

func ExampleCompile_errors() {
	_, err := hours.Compile(hours.Rules{
		TimeZone: "America/Denver",
		BusinessHours: hours.BusinessHours{Weekdays: []hours.WeekdayHours{
			{Weekday: "Monday", TimeSlots: []hours.TimeSlot{{From: "17:00", To: "25:00"}}},
		}},
	})
	fmt.Println(err)
	// Output: businessHours.weekdays[0].timeSlots[0]: hours: clock "25:00": hour out of range
}

func ExampleParseInstantIn() {
	loc, _ := hours.LoadLocation("America/Denver")
	for _, s := range []string{"2027-03-09", "2027-03-09 08:00", "2027-03-14T02:30", "2027-03-09T15:00:00Z", "2026-02-30"} {
		t, err := hours.ParseInstantIn(s, loc)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(t.Format(time.RFC3339))
	}
	// Output:
	// 2027-03-09T00:00:00-07:00
	// 2027-03-09T08:00:00-07:00
	// 2027-03-14T03:30:00-06:00
	// 2027-03-09T15:00:00Z
	// hours: date "2026-02-30": February 2026 has 28 days
}

func ExampleParseBoundIn() {
	loc, _ := hours.LoadLocation("America/Denver")
	// A client's clock gives milliseconds: "on or after" rounds up, "on or
	// before" down, to the whole seconds that select the same instants.
	from, _ := hours.ParseBoundIn("2027-03-09T08:00:00.250", loc, true)
	to, _ := hours.ParseBoundIn("2027-03-09T17:00:00.750-07:00", loc, false)
	fmt.Println(from.Format(time.RFC3339), to.Format(time.RFC3339))
	// Output: 2027-03-09T08:00:01-07:00 2027-03-09T17:00:00-07:00
}

func ExampleZoneWarning() {
	_, err := hours.LoadLocation("America/Denvr")
	fmt.Println(err)
	fmt.Println(hours.ZoneWarning("PST8PDT"))
	fmt.Printf("%q\n", hours.ZoneWarning("US/Mountain"))
	// Output:
	// hours: unknown time zone "America/Denvr" (did you mean "America/Denver"?)
	// hours: time zone "PST8PDT" is a legacy POSIX-style name kept only for compatibility; use "America/Los_Angeles"
	// ""
}
