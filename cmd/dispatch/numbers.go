package main

import (
	"flag"
	"math"
	"strconv"
	"strings"
)

// Numbers on the command line are spelled as the API spells them: a
// float is a JSON number ("39.74", "-104.99", "1e-3"), finite; never NaN,
// Inf, a hexadecimal float ("0x1p-2"), a "+" sign, a leading dot or
// underscores. Every float flag reads its value with parseFloat, so that
// nothing the API would refuse, and nothing encoding/json cannot write,
// gets past the flag.

// parseFloat parses s as a finite decimal number in the syntax of a JSON
// number. A bad value is a usage error naming the flag.
func parseFloat(flagName, s string) (float64, error) {
	if !jsonNumber(s) {
		return 0, usagef("--%s: %q is not a decimal number (such as 39.74 or -104.99)", flagName, s)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) { // 1e999 overflows
		return 0, usagef("--%s: %q is out of range", flagName, s)
	}
	return f, nil
}

// jsonNumber reports whether s has the syntax of a JSON number (RFC 8259
// §6): -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func jsonNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	default:
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if i == len(s) || !isDigit(s[i]) {
			return false
		}
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i == len(s) || !isDigit(s[i]) {
			return false
		}
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	return i == len(s)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// floatValue is a float flag read with parseFloat.
type floatValue struct {
	name string
	v    *float64
}

// floatFlag declares a float flag with a default value.
func floatFlag(fs *flag.FlagSet, name string, def float64, usage string) *float64 {
	v := new(float64)
	*v = def
	fs.Var(floatValue{name, v}, name, usage)
	return v
}

func (f floatValue) String() string {
	if f.v == nil {
		return ""
	}
	return strconv.FormatFloat(*f.v, 'g', -1, 64)
}

func (f floatValue) Set(s string) error {
	x, err := parseFloat(f.name, s)
	if err != nil {
		return flagValueError{err.Error()}
	}
	*f.v = x
	return nil
}

// position parses a LATITUDE,LONGITUDE flag value: two decimal numbers,
// latitude in −90..90 and longitude in −180..180 (degrees). A bad value
// is a usage error naming the flag.
func position(flagName, s string) (lat, lon float64, err error) {
	la, lo, ok := strings.Cut(s, ",")
	if !ok {
		return 0, 0, usagef("--%s: %q is not LATITUDE,LONGITUDE (39.74,-104.99)", flagName, s)
	}
	part := func(what, s string) (float64, error) {
		s = strings.TrimSpace(s)
		f, err := strconv.ParseFloat(s, 64)
		switch {
		case !jsonNumber(s):
			return 0, usagef("--%s: %s %q is not a decimal number (want LATITUDE,LONGITUDE such as 39.74,-104.99)", flagName, what, s)
		case err != nil || math.IsInf(f, 0):
			return 0, usagef("--%s: %s %q is out of range", flagName, what, s)
		}
		return f, nil
	}
	if lat, err = part("latitude", la); err != nil {
		return 0, 0, err
	}
	if lon, err = part("longitude", lo); err != nil {
		return 0, 0, err
	}
	switch {
	case lat < -90 || lat > 90:
		return 0, 0, usagef("--%s: latitude %v is outside −90..90", flagName, lat)
	case lon < -180 || lon > 180:
		return 0, 0, usagef("--%s: longitude %v is outside −180..180", flagName, lon)
	}
	return lat, lon, nil
}
