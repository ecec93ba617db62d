package tenant_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/tenant"
)

// postalTenant has one technician per zone in five countries, one whose
// only zone is inactive and one without zones, all working Monday
// 2026-03-09 08:00–17:00.
func postalTenant(t *testing.T) *tenant.Tenant {
	zones := []string{
		`{"id": 1, "name": "Denver Central", "zips": ["80202"], "cities": []}`,
		`{"id": 2, "name": "Toronto Downtown", "zips": ["M5V"], "cities": []}`,
		`{"id": 3, "name": "CN Tower", "zips": ["m5v 3l9"], "cities": []}`,
		`{"id": 4, "name": "Westminster", "zips": ["SW1A"], "cities": []}`,
		`{"id": 5, "name": "Sydney", "zips": ["2000"], "cities": []}`,
		`{"id": 6, "name": "Amsterdam Centrum", "zips": ["1011 AB", "1012"], "cities": []}`,
		`{"id": 7, "name": "Retired", "zips": ["80203"], "cities": [], "active": false}`,
	}
	var techs, shifts []string
	zoneOf := map[int][]int{101: {1}, 102: {2}, 103: {3}, 104: {4}, 105: {5}, 106: {6}, 107: {7}, 108: {}}
	for id := 101; id <= 108; id++ {
		z := strings.Trim(strings.Join(strings.Fields(fmt.Sprint(zoneOf[id])), ", "), "[]")
		techs = append(techs, fmt.Sprintf(`{"id": %d, "name": "T%d", "businessUnitId": 1, "skills": [], "zoneIds": [%s]}`, id, id, z))
		shifts = append(shifts, fmt.Sprintf(`{"id": %d, "technicianId": %d, "shiftType": "Normal", "title": "Day", "note": "",
			"start": "2026-03-09T08:00:00-06:00", "end": "2026-03-09T17:00:00-06:00"}`, id, id))
	}
	file := `{"version": 1, "tenant": "postal", "timeZone": "America/Denver",
		"businessHours": {"weekdays": [{"weekday": "Monday", "timeSlots": [{"from": "08:00", "to": "17:00"}]}]},
		"exceptions": [], "arrivalWindows": [{"id": 1, "from": "08:00", "to": "10:00", "weekdays": [], "businessUnitIds": []}],
		"businessUnits": [{"id": 1, "name": "HVAC"}], "jobTypes": [],
		"zones": [` + strings.Join(zones, ", ") + `],
		"technicians": [` + strings.Join(techs, ", ") + `],
		"shifts": [` + strings.Join(shifts, ", ") + `],
		"appointments": [{"id": 1, "jobId": 1, "jobTypeId": 0, "businessUnitId": 1, "start": "2026-03-09T12:00:00-06:00",
			"end": "2026-03-09T13:00:00-06:00", "arrivalWindowStart": "2026-03-09T12:00:00-06:00",
			"arrivalWindowEnd": "2026-03-09T13:00:00-06:00", "zip": "SW1A 1AA"}],
		"assignments": [], "gpsPings": []}`
	file = strings.Replace(file, `"jobTypes": []`, `"jobTypes": [{"id": 10, "name": "Visit", "durationMinutes": 30, "skills": [], "businessUnitIds": []}]`, 1)
	file = strings.Replace(file, `"jobTypeId": 0`, `"jobTypeId": 10`, 1)
	ten, err := tenant.Parse([]byte(file))
	if err != nil {
		t.Fatal(err)
	}
	return ten
}

// TestPostalCodes: codes of every country load and match their zones,
// the longest entry wins, a ZIP+4 matches its ZIP, a technician whose
// zones are all inactive serves no code and one without zones serves all.
func TestPostalCodes(t *testing.T) {
	ten := postalTenant(t)
	day := time.Date(2026, 3, 9, 0, 0, 0, 0, ten.Engine.Location())
	tests := []struct {
		zip  string
		want []int64
	}{
		{"80202-1234", []int64{101, 108}},
		{"80202", []int64{101, 108}},
		{"80203", []int64{108}}, // only the retired zone lists it: 107 serves nothing
		{"M5V 2T6", []int64{102, 108}},
		{"M5V 3L9", []int64{103, 108}}, // the full code's zone, not M5V's
		{"m5v-3l9", []int64{103, 108}},
		{"SW1A 1AA", []int64{104, 108}},
		{"2000", []int64{105, 108}},
		{"1011 AB", []int64{106, 108}},
		{"1012 LG", []int64{106, 108}},
		{"1011 AC", []int64{108}},
		{"H0H 0H0", []int64{108}},
	}
	for _, tt := range tests {
		resp, err := ten.Engine.Capacity(capacity.Request{StartsOnOrAfter: day, EndsOnOrBefore: day.AddDate(0, 0, 1), Zip: tt.zip})
		if err != nil {
			t.Fatalf("zip %q: %v", tt.zip, err)
		}
		got := resp.Availabilities[0].Timeslots[0].TechnicianIDs
		if !slices.Equal(got, tt.want) {
			t.Errorf("zip %q: technicians %v, want %v", tt.zip, got, tt.want)
		}
	}
	// No zip: everyone active.
	resp, err := ten.Engine.Capacity(capacity.Request{StartsOnOrAfter: day, EndsOnOrBefore: day.AddDate(0, 0, 1)})
	if err != nil || len(resp.Availabilities[0].Timeslots[0].TechnicianIDs) != 8 {
		t.Errorf("without a zip: %v, %v", resp, err)
	}
	_, err = ten.Engine.Capacity(capacity.Request{StartsOnOrAfter: day, EndsOnOrBefore: day.AddDate(0, 0, 1), Zip: "SW1A_1AA"})
	if err == nil || !strings.Contains(err.Error(), `zip: zones: malformed postal code "SW1A_1AA"`) {
		t.Errorf("malformed zip: %v", err)
	}
}

// TestPostalCodesLoad: codes are checked with their paths when the file
// loads, and the canonical save keeps them as written.
func TestPostalCodesLoad(t *testing.T) {
	ten := postalTenant(t)
	var b strings.Builder
	if err := ten.Save(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"m5v 3l9"`, `"1011 AB"`, `"zip": "SW1A 1AA"`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("saved file lacks %s", want)
		}
	}
	_, err := tenant.Parse(replace(t, `"zips": ["80202"]`, `"zips": ["80202", "M5V 3L9", "SW1A 1AA!"]`,
		`"cities": ["Denver"], "active": true}]`, `"cities": ["Denver"], "active": true}, {"id": 2, "name": "Dup", "zips": ["m5v3l9"], "cities": []}]`,
		`"zip": "80202"`, `"zip": "802"`))
	want := strings.Join([]string{
		`zones[0].zips[2]: zones: malformed postal code "SW1A 1AA!" (want 2 to 10 letters or digits, spaces and hyphens aside)`,
		`zones[1].zips[0]: zones: postal code "m5v3l9" (M5V3L9) is already in active zone 1`,
	}, "\n")
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
	_, err = tenant.Parse(replace(t, `"zip": "80202"`, `"zip": "80202/1"`))
	if err == nil || err.Error() != `appointments[0].zip: capacity: malformed zip "80202/1"` {
		t.Errorf("appointment zip: %v", err)
	}
}
