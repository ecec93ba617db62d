package main

import (
	"encoding/json"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/opendispatch/dispatch/internal/base/proptest"
	"github.com/opendispatch/dispatch/sim"
)

// TestIntegerFlags: every integer flag and list of ids is plain decimal,
// as the API's integers are: octal, hexadecimal, a "+" sign, underscores
// and leading zeros are a usage error naming the flag (exit status 2), and
// so is a value out of the flag's range, too large or too small alike.
func TestIntegerFlags(t *testing.T) {
	maxInt := strconv.Itoa(math.MaxInt) // a page is an int: 2^63−1, or 2^31−1 on 32-bit platforms
	tests := []struct {
		name string
		args []string
		msg  string
	}{
		{"octal page size", []string{"shifts", "--page-size", "010"}, `dispatch shifts: --page-size: "010" is not a decimal integer`},
		{"hex page", []string{"shifts", "--page", "0x10"}, `dispatch shifts: --page: "0x10" is not a decimal integer`},
		{"plus page", []string{"technicians", "--page", "+1"}, `dispatch technicians: --page: "+1" is not a decimal integer`},
		{"underscore page size", []string{"appointments", "--page-size", "1_0"}, `dispatch appointments: --page-size: "1_0" is not a decimal integer`},
		{"minus zero page", []string{"shifts", "--page", "-0"}, `dispatch shifts: --page: "-0" is not a decimal integer`},
		{"page size too large", []string{"shifts", "--page-size", "501"}, "dispatch shifts: --page-size: 501 is above the maximum 500"},
		{"page overflow", []string{"shifts", "--page", "99999999999999999999"}, "dispatch shifts: --page: 99999999999999999999 is above the maximum " + maxInt},
		{"page offset overflow", []string{"shifts", "--page", maxInt}, "dispatch shifts: --page: " + maxInt + " is too large: (page-1)×page-size 50 is above " + maxInt},
		{"hex replications", []string{"simulate", "--replications", "0x3"}, `dispatch simulate: --replications: "0x3" is not a decimal integer`},
		{"huge replications", []string{"simulate", "--replications", "1000000000000"}, "dispatch simulate: --replications: 1000000000000 is above the maximum 100000"},
		{"negative replications", []string{"simulate", "--replications", "-3"}, "dispatch simulate: --replications: -3 must be at least 2"},
		{"hex seed", []string{"simulate", "--seed", "0x10"}, `dispatch simulate: --seed: "0x10" is not a decimal integer`},
		{"negative seed", []string{"generate", "--seed", "-1"}, "dispatch generate: --seed: -1 must be at least 0"},
		{"seed beyond uint64", []string{"generate", "--seed", "18446744073709551616"}, "dispatch generate: --seed: 18446744073709551616 is above the maximum 18446744073709551615"},
		{"huge workers", []string{"simulate", "--workers", "99999999999999999999"}, "dispatch simulate: --workers: 99999999999999999999 is above the maximum"},
		{"octal batch", []string{"simulate", "optimize", "--scenario", "x.json", "--batch", "07"}, `--batch: "07" is not a decimal integer`},
		{"octal shard", []string{"simulate", "--shard", "01/2", "--format", "json"}, `dispatch simulate: --shard: "01/2" is not i/n with 0 <= i < n`},
		{"hex bench count", []string{"bench", "--count", "0x2"}, `dispatch bench: --count: "0x2" is not a decimal integer`},
		{"zero bench count", []string{"bench", "--count", "0"}, "dispatch bench: --count: 0 must be at least 1"},
		{"hex compact records", []string{"serve", "--compact-records", "0x10"}, `dispatch serve: --compact-records: "0x10" is not a decimal integer`},
		{"plus compact bytes", []string{"serve", "--compact-bytes", "+5"}, `dispatch serve: --compact-bytes: "+5" is not a decimal integer`},
		{"leading zero job type", []string{"appointments", "--job-type", "0101"}, `dispatch appointments: --job-type: "0101" is not a positive integer id`},
		{"hex technician", []string{"assignments", "--technician", "0x65"}, `dispatch assignments: --technician: "0x65" is not a positive integer id`},
		{"plus technician", []string{"gps", "--technician", "+101"}, `dispatch gps: --technician: "+101" is not a positive integer id`},
		{"leading zero unit list", []string{"technicians", "--business-units", "1,02"}, `dispatch technicians: --business-units: "02" is not a positive integer`},
		{"empty unit list item", []string{"technicians", "--business-units", "1,,2"}, `dispatch technicians: --business-units: "" is not a positive integer`},
		{"leading zero minutes", []string{"adjust", "--tenant", "x.json", "--date", "2027-03-09", "--window", "08:00-10:00", "--minutes", "090", "--reason", "r"},
			`dispatch adjust: --minutes: "090" is not a whole number of minutes`},
		{"hex minutes", []string{"adjust", "--tenant", "x.json", "--date", "2027-03-09", "--window", "08:00-10:00", "--minutes", "-0x5a", "--reason", "r"},
			`dispatch adjust: --minutes: "-0x5a" is not a whole number of minutes`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := dispatchRun(t, "", tt.args...)
			if code != 2 || !strings.Contains(errOut, tt.msg) || strings.Count(errOut, "\n") != 1 {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errOut, tt.msg)
			}
		})
	}
	// Plain decimal at the edges of the ranges is taken.
	for _, args := range [][]string{
		{"shifts", "--page-size", "500", "--page", "1"},
		{"shifts", "--page", strconv.Itoa(math.MaxInt / 500), "--page-size", "500"}, // (page-1)×500 fits an int
		{"generate", "--seed", "18446744073709551615"},
		{"generate", "--seed", "0"},
		{"technicians", "--business-units", " 1, 2"},
	} {
		if _, errOut, code := dispatchRun(t, "", args...); code != 0 {
			t.Errorf("%q: exit %d, %s", args, code, errOut)
		}
	}
}

// TestParseIntReference compares parseInt with a slow reference: the
// regular expression of plain decimal, then strconv.ParseInt and the
// range, over strings drawn from digits, signs, "x", "_" and spaces.
func TestParseIntReference(t *testing.T) {
	plain := regexp.MustCompile(`^-?(0|[1-9][0-9]*)$`)
	ref := func(s string, min, max int64) (int64, bool) {
		if !plain.MatchString(s) || s == "-0" {
			return 0, false
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < min || n > max {
			return 0, false
		}
		return n, true
	}
	p := proptest.Params(t, 20000)
	props := gopter.NewProperties(p)
	alphabet := gen.OneConstOf('0', '1', '2', '5', '9', '-', '+', 'x', '_', ' ', '7')
	props.Property("parseInt agrees with the reference", prop.ForAll(
		func(rs []rune, lo, hi int64, wide bool) bool {
			s := string(rs)
			if wide { // near the edges of int64
				s = strings.Repeat("9", 18) + s
			}
			min, max := min(lo, hi), max(lo, hi)
			got, err := parseInt("f", s, min, max)
			want, ok := ref(s, min, max)
			if (err == nil) != ok || got != want {
				t.Logf("parseInt(%q, %d, %d) = %d, %v; reference %d, %v", s, min, max, got, err, want, ok)
				return false
			}
			return true
		},
		gen.SliceOfN(6, alphabet),
		gen.OneGenOf(gen.Int64Range(-20, 20), gen.Int64(), gen.Const(int64(math.MinInt64))),
		gen.OneGenOf(gen.Int64Range(-20, 1000), gen.Int64(), gen.Const(int64(math.MaxInt64))),
		gen.Bool(),
	))
	proptest.Run(t, props)
}

// TestReplicationsLimit: --replications refuses what the scenario file
// would refuse, at the same bound.
func TestReplicationsLimit(t *testing.T) {
	for _, n := range []int{maxReplications, maxReplications + 1} {
		s := sim.Default()
		s.Replications = n
		data, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		_, err = sim.ParseScenario(data)
		if (err == nil) != (n == maxReplications) {
			t.Errorf("sim.ParseScenario with %d replications: %v; --replications allows up to %d", n, err, maxReplications)
		}
	}
}
