package zones_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/opendispatch/dispatch/zones"
)

func TestLookup(t *testing.T) {
	f := false
	d, err := zones.New([]zones.Zone{
		{ID: 2, Name: "Aurora", Zips: []string{"80010", "80011"}, Cities: []string{"Aurora"}},
		{ID: 1, Name: "Central", Zips: []string{"80202"}, Cities: []string{"Denver", "Glendale"}},
		{ID: 3, Name: "Old", Zips: []string{"80202"}, Cities: []string{"Denver"}, Active: &f},
		{ID: 4, Name: "Metro", Zips: []string{"80203"}, Cities: []string{"denver"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		zip  string
		want []int64
	}{
		{"80202", []int64{1}}, {"80202-1234", []int64{1}}, {" 80011 ", []int64{2}}, {"99999", nil},
	}
	for _, tt := range tests {
		got, err := d.LookupZip(tt.zip)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("LookupZip(%q) = %v, %v; want %v", tt.zip, got, err, tt.want)
		}
	}
	for _, bad := range []string{"8020", "80202-12", "abcde", "80202 1234"} {
		if _, err := d.LookupZip(bad); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("LookupZip(%q) error = %v, want one quoting the input", bad, err)
		}
	}
	if got := d.LookupCity("  DENVER "); !slices.Equal(got, []int64{1, 4}) {
		t.Errorf("LookupCity = %v, want [1 4] (inactive zone 3 left out)", got)
	}
	if got := d.Zones(); len(got) != 4 || got[0].ID != 1 {
		t.Errorf("Zones not in id order: %v", got)
	}
}

func TestValidation(t *testing.T) {
	_, err := zones.New([]zones.Zone{
		{ID: 1, Name: "A", Zips: []string{"80202", "8020X"}},
		{ID: 1, Name: "", Zips: []string{"80202"}, Cities: []string{"  "}},
	})
	want := strings.Join([]string{
		`[0].zips[1]: zones: malformed zip "8020X" (want five digits)`,
		`[1].id: zones: duplicate zone id 1 (also [0])`,
		`[1].name: zones: zone 1 has no name`,
		`[1].cities[0]: zones: empty city name`,
	}, "\n")
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
	_, err = zones.New([]zones.Zone{{ID: 1, Name: "A", Zips: []string{"80202"}}, {ID: 2, Name: "B", Zips: []string{"80202"}}})
	if err == nil || !strings.Contains(err.Error(), "[1].zips[0]: zones: zip 80202 is already in active zone 1") {
		t.Errorf("shared zip: got %v", err)
	}
}

func FuzzNormalizeZip(f *testing.F) {
	for _, s := range []string{"80202", "80202-1234", "", "8020-12345", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		z, ok := zones.NormalizeZip(s)
		if ok != zones.ValidZip(z) {
			t.Fatalf("NormalizeZip(%q) = %q, %v but ValidZip says %v", s, z, ok, zones.ValidZip(z))
		}
	})
}
