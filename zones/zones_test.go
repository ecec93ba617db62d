package zones_test

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/opendispatch/dispatch/internal/base/proptest"
	"github.com/opendispatch/dispatch/zones"
)

func TestNormalizeZip(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"80202", "80202", true},           // US ZIP
		{"80202-1234", "802021234", true},  // US ZIP+4
		{"M5V 3L9", "M5V3L9", true},        // Canada
		{"m5v-3l9", "M5V3L9", true},        // any case, hyphen
		{"SW1A 1AA", "SW1A1AA", true},      // UK
		{"sw1a  1aa", "SW1A1AA", true},     // repeated spaces
		{"2000", "2000", true},             // Australia
		{"1011 AB", "1011AB", true},        // Netherlands
		{" 80011 ", "80011", true},         // surrounding spaces
		{"EC1A", "EC1A", true},             // a UK district alone
		{"12", "12", true},                 // shortest
		{"1234567890", "1234567890", true}, // longest
		{"12345678901", "", false},         // too long
		{"1", "", false},                   // too short
		{"- -", "", false},                 // nothing left
		{"", "", false},
		{"8020X!", "", false},
		{"80202\t", "", false}, // only spaces and hyphens are separators
		{"M5V_3L9", "", false},
		{"ÉCOLE", "", false}, // ASCII letters only
		{"80202 1234", "802021234", true},
	}
	for _, tt := range tests {
		got, ok := zones.NormalizeZip(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NormalizeZip(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
		if zones.ValidZip(tt.in) != tt.ok {
			t.Errorf("ValidZip(%q) = %v, want %v", tt.in, !tt.ok, tt.ok)
		}
	}
	// A normalized code is returned as it is, without allocating: at
	// each bound of its length and of its characters too ('0', '9', 'A',
	// 'Z'), where a fast path that refused it would still give the right
	// code, from a copy.
	for _, code := range []string{"SW1A1AA", "00", "99", "AA", "ZZ", "0123456789", "ZZZZZZZZZZ", "A9Z0"} {
		if got, ok := zones.NormalizeZip(code); got != code || !ok {
			t.Errorf("NormalizeZip(%q) = %q, %v", code, got, ok)
		}
		if n := testing.AllocsPerRun(100, func() { zones.NormalizeZip(code) }); n != 0 {
			t.Errorf("NormalizeZip of the normalized code %q allocates %v times", code, n)
		}
	}
}

// world is a directory of zones in five countries, with entries of
// several lengths that prefix one another.
func world(t testing.TB) *zones.Directory {
	off := false
	d, err := zones.New([]zones.Zone{
		{ID: 1, Name: "Denver Central", Zips: []string{"80202", "80203"}, Cities: []string{"Denver", "Glendale"}},
		{ID: 2, Name: "Aurora", Zips: []string{"80010", "80011"}, Cities: []string{"Aurora"}},
		{ID: 3, Name: "Old Denver", Zips: []string{"80202", "80204"}, Cities: []string{"Denver"}, Active: &off},
		{ID: 4, Name: "Metro", Zips: []string{"80203-4410"}, Cities: []string{"denver"}},
		{ID: 10, Name: "Toronto Downtown", Zips: []string{"M5V"}},
		{ID: 11, Name: "Toronto Tower", Zips: []string{"m5v 3l9"}},
		{ID: 20, Name: "Westminster", Zips: []string{"SW1A", "SW1P"}},
		{ID: 21, Name: "Palace", Zips: []string{"SW1A 1AA"}},
		{ID: 22, Name: "London EC", Zips: []string{"EC"}},
		{ID: 30, Name: "Sydney", Zips: []string{"2000", "2010"}},
		{ID: 40, Name: "Amsterdam Centrum", Zips: []string{"1011", "1012"}},
		{ID: 41, Name: "Nieuwmarkt", Zips: []string{"1011 AB"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestLookup(t *testing.T) {
	d := world(t)
	tests := []struct {
		zip  string
		want []int64
	}{
		{"80202", []int64{1}},
		{"80202-1234", []int64{1}}, // ZIP+4 matches its ZIP
		{"80203-4410", []int64{4}}, // the longer entry wins
		{"80203-4411", []int64{1}}, // ... only where it matches
		{" 80011 ", []int64{2}},    // spaces around
		{"80204", nil},             // only an inactive zone has it
		{"99999", nil},             // nobody
		{"M5V 3L9", []int64{11}},   // Canada: the full code wins
		{"M5V 2T6", []int64{10}},   // the forward sortation area
		{"m5v3l9", []int64{11}},    // any spelling
		{"M5W 1E6", nil},           //
		{"SW1A 1AA", []int64{21}},  // UK: the full code wins
		{"SW1A 2AA", []int64{20}},  // the district
		{"SW1P 3BU", []int64{20}},  //
		{"EC1A 1BB", []int64{22}},  // a two-letter area
		{"2000", []int64{30}},      // Australia
		{"2001", nil},              //
		{"1011 AB", []int64{41}},   // the Netherlands
		{"1011 AC", []int64{40}},   //
		{"1012-LG", []int64{40}},   //
		{"M5", nil},                // shorter than every entry it starts
		{"80202123456", nil},       // malformed: too long (checked below)
	}
	for _, tt := range tests[:len(tests)-1] {
		got, err := d.LookupZip(tt.zip)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("LookupZip(%q) = %v, %v; want %v", tt.zip, got, err, tt.want)
		}
		if want := reference(d, tt.zip); !slices.Equal(got, want) {
			t.Errorf("LookupZip(%q) = %v; the reference says %v", tt.zip, got, want)
		}
	}
	for _, bad := range []string{"8", "80202123456", "abc!", "80202/1234", "", "É1"} {
		if _, err := d.LookupZip(bad); err == nil || !strings.Contains(err.Error(), `"`+bad+`"`) {
			t.Errorf("LookupZip(%q) error = %v, want one quoting the input", bad, err)
		}
	}
	if got := d.LookupCity("  DENVER "); !slices.Equal(got, []int64{1, 4}) {
		t.Errorf("LookupCity = %v, want [1 4] (inactive zone 3 left out)", got)
	}
	if got := d.Zones(); len(got) != 12 || got[0].ID != 1 || got[11].ID != 41 {
		t.Errorf("Zones not in id order: %v", got)
	}
	if z, ok := d.Zone(11); !ok || z.Zips[0] != "m5v 3l9" {
		t.Errorf("Zone(11) = %v, %v; want the entry as written", z, ok)
	}
	if n := testing.AllocsPerRun(100, func() { d.LookupZip("M5W 1E6") }); n > 1 {
		t.Errorf("a lookup that finds nothing allocates %v times", n)
	}
}

// reference is the slow lookup: every entry of every active zone, the
// longest that prefixes the normalized code.
func reference(d *zones.Directory, zip string) []int64 {
	code, ok := zones.NormalizeZip(zip)
	if !ok {
		return nil
	}
	var best []int64
	bestLen := 0
	for _, z := range d.Zones() {
		if !z.IsActive() {
			continue
		}
		for _, e := range z.Zips {
			n, _ := zones.NormalizeZip(e)
			if strings.HasPrefix(code, n) && len(n) > bestLen {
				best, bestLen = []int64{z.ID}, len(n)
			}
		}
	}
	return best
}

func TestValidation(t *testing.T) {
	_, err := zones.New([]zones.Zone{
		{ID: 1, Name: "A", Zips: []string{"80202", "8020X!", "M5V 3L9", "1"}},
		{ID: 1, Name: "", Zips: []string{"80203"}, Cities: []string{"  "}},
		{ID: 2, Name: "B", Zips: []string{"m5v-3l9", "80202", "80202-1"}},
		{ID: 3, Name: "C", Zips: []string{"80202", "SW1A 1AA 1234"}, Active: new(bool)},
		{ID: 4, Name: "D", Zips: []string{"2000", "2000"}},
		{ID: 5, Name: "E\nF", Cities: []string{"Aurora", strings.Repeat("é", 1001)}},
		{ID: 6, Name: strings.Repeat("x", 999) + "\t", Cities: []string{"Lone\tTree"}}, // at the limit, tab allowed
		{ID: 0, Name: "G"},
		{ID: -1, Name: "H"},
	})
	want := strings.Join([]string{
		`[0].zips[1]: zones: malformed postal code "8020X!" (want 2 to 10 letters or digits, spaces and hyphens aside)`,
		`[0].zips[3]: zones: malformed postal code "1" (want 2 to 10 letters or digits, spaces and hyphens aside)`,
		`[1].id: zones: duplicate zone id 1 (also [0])`,
		`[1].name: zones: zone 1 has no name`,
		`[1].cities[0]: zones: empty city name`,
		`[2].zips[0]: zones: postal code "m5v-3l9" (M5V3L9) is already in active zone 1`,
		`[2].zips[1]: zones: postal code "80202" is already in active zone 1`,
		`[3].zips[1]: zones: malformed postal code "SW1A 1AA 1234" (want 2 to 10 letters or digits, spaces and hyphens aside)`,
		`[5].name: validate: text "E\nF" has the control character U+000A at byte 1`,
		`[5].cities[1]: validate: text "éééééééééééééééééééé"… has 1001 characters; at most 1000`,
		`[7].id: zones: zone id 0 must be positive`,
		`[8].id: zones: zone id -1 must be positive`,
	}, "\n")
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
}

// TestLookupProperty: on random directories of codes that prefix one
// another (a four-letter alphabet, entries of 2 to 6 characters, written
// in either case with a space, a quarter of the zones inactive), every
// lookup agrees with the linear reference.
func TestLookupProperty(t *testing.T) {
	const alphabet = "AB12"
	genCode := func(minLen, maxLen int) gopter.Gen {
		return gen.SliceOfN(maxLen, gen.IntRange(0, len(alphabet)-1)).FlatMap(func(v any) gopter.Gen {
			digits := v.([]int)
			return gen.IntRange(minLen, maxLen).Map(func(n int) string {
				b := make([]byte, n)
				for i := range b {
					b[i] = alphabet[digits[i]]
				}
				return string(b)
			})
		}, reflect.TypeFor[string]())
	}
	type zone struct {
		Entries []string
		Active  bool
		Spell   bool // lower case and a space
	}
	genZone := gopter.CombineGens(gen.SliceOfN(3, genCode(2, 6)), gen.IntRange(0, 3), gen.Bool()).Map(func(v []any) zone {
		return zone{Entries: v[0].([]string), Active: v[1].(int) != 0, Spell: v[2].(bool)}
	})
	props := gopter.NewProperties(proptest.Params(t, 500))
	props.Property("LookupZip equals the longest-prefix scan", prop.ForAll(func(zs []zone, codes []string) bool {
		var list []zones.Zone
		owned := map[string]bool{}
		for i, z := range zs {
			zn := zones.Zone{ID: int64(i + 1), Name: "Z"}
			if !z.Active {
				zn.Active = new(bool)
			}
			for _, e := range z.Entries {
				if z.Active && owned[e] {
					continue // one entry in two active zones is refused
				}
				owned[e] = owned[e] || z.Active
				if z.Spell {
					e = strings.ToLower(e[:2]) + " " + e[2:]
				}
				zn.Zips = append(zn.Zips, e)
			}
			list = append(list, zn)
		}
		d, err := zones.New(list)
		if err != nil {
			t.Log(err)
			return false
		}
		for _, c := range codes {
			got, err := d.LookupZip(c)
			if want := reference(d, c); err != nil || !slices.Equal(got, want) {
				t.Logf("LookupZip(%q) = %v, %v; the reference says %v", c, got, err, want)
				return false
			}
		}
		return true
	}, gen.SliceOfN(8, genZone), gen.SliceOfN(20, genCode(2, 8))))
	proptest.Run(t, props)
}

func FuzzNormalizeZip(f *testing.F) {
	for _, s := range []string{"80202", "80202-1234", "", "8020-12345", "x", "M5V 3L9", "sw1a 1aa", "1011 AB", "ÉCOLE", "a-b-c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if msg := checkNormalizeZip(t, s); msg != "" {
			t.Fatal(msg)
		}
	})
}

// checkNormalizeZip compares NormalizeZip(s) with a reference — ASCII
// upper case, separators dropped, then the form checked — and a code it
// accepts with itself normalized again and with the lookup reference. It
// returns what differs, or "".
func checkNormalizeZip(t testing.TB, s string) string {
	got, ok := zones.NormalizeZip(s)
	want := strings.Map(func(r rune) rune {
		switch {
		case r == ' ' || r == '-':
			return -1
		case 'a' <= r && r <= 'z':
			return r - 'a' + 'A'
		}
		return r
	}, s)
	wantOK := len(want) >= 2 && len(want) <= 10 && strings.Trim(want, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == ""
	if ok != wantOK || ok && got != want {
		return fmt.Sprintf("NormalizeZip(%q) = %q, %v; want %q, %v", s, got, ok, want, wantOK)
	}
	if zones.ValidZip(s) != ok {
		return fmt.Sprintf("ValidZip(%q) = %v, NormalizeZip says %v", s, !ok, ok)
	}
	if ok {
		if again, ok2 := zones.NormalizeZip(got); !ok2 || again != got {
			return fmt.Sprintf("NormalizeZip is not idempotent on %q: %q, %v", got, again, ok2)
		}
		ids, err := world(t).LookupZip(s)
		if want := reference(world(t), s); err != nil || !slices.Equal(ids, want) {
			return fmt.Sprintf("LookupZip(%q) = %v, %v; the reference says %v", s, ids, err, want)
		}
	}
	return ""
}

// TestNormalizeZipGenerated runs checkNormalizeZip on generated texts of
// 0 to 13 characters, each a letter or digit at or next to the bound of
// its range ('/', '0', '9', ':', '@', 'A', 'Z', '[', '`', 'a', 'z', '{'),
// a separator, a tab, an underscore or a non-ASCII letter: go test runs
// FuzzNormalizeZip on its seeds only, and none of them held a 'z' or a
// 'Z' to upper-case or keep.
func TestNormalizeZipGenerated(t *testing.T) {
	chars := []rune("/09:@AZ[`az{ -\t_É")
	props := gopter.NewProperties(proptest.Params(t, 3000))
	props.Property("NormalizeZip = the reference", prop.ForAll(func(idx []int) string {
		var b strings.Builder
		for _, i := range idx {
			b.WriteRune(chars[i])
		}
		return checkNormalizeZip(t, b.String())
	}, gen.SliceOfN(13, gen.IntRange(0, len(chars)-1)).FlatMap(func(v any) gopter.Gen {
		all := v.([]int)
		return gen.IntRange(0, len(all)).Map(func(n int) []int { return all[:n] })
	}, reflect.TypeOf([]int(nil)))))
	proptest.Run(t, props)
}

func BenchmarkLookupZip(b *testing.B) {
	d := world(b)
	for _, zip := range []string{"80202-1234", "M5V 3L9", "SW1A2AA", "99999"} {
		b.Run("zip="+strings.ReplaceAll(zip, " ", "_"), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, _ = d.LookupZip(zip)
			}
		})
	}
}

// TestHas: Has agrees with Zone for every id around the directory's, an
// inactive zone included.
func TestHas(t *testing.T) {
	d := world(t)
	for id := int64(-1); id <= 45; id++ {
		_, want := d.Zone(id)
		if got := d.Has(id); got != want {
			t.Errorf("Has(%d) = %v, Zone finds it: %v", id, got, want)
		}
	}
	if !d.Has(3) {
		t.Errorf("Has(3) = false for an inactive zone")
	}
}
