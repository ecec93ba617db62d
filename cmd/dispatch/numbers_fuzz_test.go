package main

import (
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The references of the number flags: the regular expressions of a JSON
// number and of plain decimal, then strconv and math/big.
var (
	jsonNumberRE = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)
	plainRE      = regexp.MustCompile(`^-?(0|[1-9][0-9]*)$`)
)

// checkUsage fails unless err is a usage error (exit status 2) whose
// message begins with the flag's name.
func checkUsage(t *testing.T, flagName string, err error) {
	t.Helper()
	var u usageError
	if !errors.As(err, &u) || !strings.HasPrefix(u.msg, "--"+flagName+": ") {
		t.Fatalf("error %v (%T) is not a usage error naming --%s", err, err, flagName)
	}
}

// FuzzParseFloat compares parseFloat with the reference: the syntax of a
// JSON number, then strconv.ParseFloat, finite. What it accepts encodes
// as JSON and reads back to the same number; what it refuses is a usage
// error naming the flag.
func FuzzParseFloat(f *testing.F) {
	for _, s := range []string{"39.74", "-104.99", "1e-3", "0", "-0", "1E+2", "1e999", "NaN", "Inf", "0x1p-2", "+1", ".5", "5.", "1_0", "01", "", "-", "1e", "4.9e-324", "1.7976931348623157e308"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseFloat("lat", s)
		want, refErr := strconv.ParseFloat(s, 64)
		ok := jsonNumberRE.MatchString(s) && refErr == nil && !math.IsInf(want, 0)
		if (err == nil) != ok {
			t.Fatalf("parseFloat(%q) = %v, %v; the reference says ok=%v (%v)", s, got, err, ok, refErr)
		}
		if err != nil {
			checkUsage(t, "lat", err)
			var fv flagValueError
			if e := (floatValue{"lat", new(float64)}).Set(s); !errors.As(e, &fv) || !strings.Contains(e.Error(), "--lat: ") {
				t.Fatalf("floatValue.Set(%q) = %v: not a flag value error naming the flag", s, e)
			}
			return
		}
		if math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("parseFloat(%q) = %v; strconv says %v", s, got, want)
		}
		out, err := json.Marshal(got)
		if err != nil {
			t.Fatalf("parseFloat(%q) = %v, which JSON cannot write: %v", s, got, err)
		}
		back, err := parseFloat("lat", string(out))
		if err != nil || back != got {
			t.Fatalf("%q → %v → %s → %v, %v", s, got, out, back, err)
		}
	})
}

// FuzzParseInt compares parseInt, at the three integer types the flags
// use, with the reference: plain decimal (not "-0"), then math/big and
// the range. A refusal is a usage error naming the flag.
func FuzzParseInt(f *testing.F) {
	seeds := []struct {
		s      string
		lo, hi int64
	}{
		{"0", 0, 10}, {"-0", -5, 5}, {"010", 0, 100}, {"0x10", 0, 100}, {"+1", 0, 10}, {"1_0", 0, 100},
		{"9223372036854775807", math.MinInt64, math.MaxInt64}, {"-9223372036854775808", math.MinInt64, math.MaxInt64},
		{"-9223372036854775809", math.MinInt64, math.MaxInt64}, {"18446744073709551615", 0, math.MaxInt64},
		{"18446744073709551616", 0, 1}, {"99999999999999999999", 1, math.MaxInt64}, {"", 0, 1}, {"-", 0, 1},
		{"501", 1, 500}, {"-3", 2, 100000}, {"5", 10, 1},
	}
	for _, c := range seeds {
		f.Add(c.s, c.lo, c.hi, uint8(0))
		f.Add(c.s, c.lo, c.hi, uint8(2))
	}
	f.Fuzz(func(t *testing.T, s string, lo, hi int64, kind uint8) {
		n, okSyntax := new(big.Int), plainRE.MatchString(s) && s != "-0"
		if okSyntax {
			n.SetString(s, 10)
		}
		inRange := func(min, max *big.Int) bool { return okSyntax && n.Cmp(min) >= 0 && n.Cmp(max) <= 0 }
		var got *big.Int
		var err error
		var ok bool
		switch kind % 3 {
		case 0:
			var v int64
			v, err = parseInt[int64]("seed", s, lo, hi)
			got, ok = big.NewInt(v), inRange(big.NewInt(lo), big.NewInt(hi))
		case 1:
			var v int
			v, err = parseInt("seed", s, int(lo), int(hi))
			got, ok = big.NewInt(int64(v)), inRange(big.NewInt(int64(int(lo))), big.NewInt(int64(int(hi))))
		case 2:
			var v uint64
			v, err = parseInt("seed", s, uint64(lo), uint64(hi))
			got, ok = new(big.Int).SetUint64(v), inRange(new(big.Int).SetUint64(uint64(lo)), new(big.Int).SetUint64(uint64(hi)))
		}
		if (err == nil) != ok || ok && got.Cmp(n) != 0 {
			t.Fatalf("parseInt(%q, %d, %d) kind %d = %v, %v; the reference says ok=%v, %v", s, lo, hi, kind%3, got, err, ok, n)
		}
		if err != nil {
			checkUsage(t, "seed", err)
		}
	})
}

// FuzzIDs compares ids, the comma-separated lists of ids, with the
// reference: split on commas, each item trimmed, plain decimal, 1 to
// MaxInt64. A refusal is a usage error naming the flag.
func FuzzIDs(f *testing.F) {
	for _, s := range []string{"", "1", " 1, 2", "1,,2", "1,02", "0", "-1", "9223372036854775807", "9223372036854775808", ",", "1 2", "\t3\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ids("business-units", s)
		var want []int64
		ok := true
		if s != "" {
			for _, part := range strings.Split(s, ",") {
				part = strings.TrimSpace(part)
				n, err := strconv.ParseInt(part, 10, 64)
				if !plainRE.MatchString(part) || err != nil || n < 1 {
					ok = false
					break
				}
				want = append(want, n)
			}
		}
		if (err == nil) != ok || ok && !slices.Equal(got, want) {
			t.Fatalf("ids(%q) = %v, %v; the reference says %v, ok=%v", s, got, err, want, ok)
		}
		if err != nil {
			checkUsage(t, "business-units", err)
		}
	})
}

// FuzzPosition compares position, a LATITUDE,LONGITUDE flag, with the
// reference: cut at the first comma, each part trimmed and a finite JSON
// number, latitude in −90..90 and longitude in −180..180.
func FuzzPosition(f *testing.F) {
	for _, s := range []string{"39.74,-104.99", " 39.74 , -104.99 ", "90,180", "-90.0,-180", "90.1,0", "0,180.5", "1e999,0", "0,NaN", "39.74", "1,2,3", ",", "+1,2", "0x1p1,0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lat, lon, err := position("near", s)
		la, lo, cut := strings.Cut(s, ",")
		num := func(p string) (float64, bool) {
			p = strings.TrimSpace(p)
			x, err := strconv.ParseFloat(p, 64)
			return x, jsonNumberRE.MatchString(p) && err == nil && !math.IsInf(x, 0)
		}
		wla, ok1 := num(la)
		wlo, ok2 := num(lo)
		ok := cut && ok1 && ok2 && wla >= -90 && wla <= 90 && wlo >= -180 && wlo <= 180
		if (err == nil) != ok || ok && (lat != wla || lon != wlo) {
			t.Fatalf("position(%q) = %v, %v, %v; the reference says %v, %v, ok=%v", s, lat, lon, err, wla, wlo, ok)
		}
		if err != nil {
			checkUsage(t, "near", err)
		}
	})
}
