package main

import (
	"flag"
	"fmt"
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

// An integer flag is plain decimal, as the API's integers are: digits
// without a leading zero (but "0" itself), a leading "-" only where a
// negative value means something; no "+", no octal ("010"), hexadecimal
// ("0x10") or binary prefixes, no underscores. Every integer flag and
// every list of ids reads its value with parseInt, and a value outside
// the flag's range is a usage error (exit status 2) whether it is too
// large or too small.

// decimal splits s into its sign and magnitude when it is plain decimal,
// -?(0|[1-9][0-9]*); over reports a magnitude beyond uint64.
func decimal(s string) (neg bool, mag uint64, over, ok bool) {
	if strings.HasPrefix(s, "-") {
		neg, s = true, s[1:]
	}
	if s == "" || s[0] == '0' && len(s) > 1 || neg && s == "0" { // not "-0" either
		return false, 0, false, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isDigit(c) {
			return false, 0, false, false
		}
		if mag > (math.MaxUint64-uint64(c-'0'))/10 {
			over = true
		}
		mag = mag*10 + uint64(c-'0')
	}
	return neg, mag, over, true
}

// integer is the types an integer flag may hold.
type integer interface{ ~int | ~int64 | ~uint64 }

// parseInt parses s as plain decimal in [min, max]. A bad value is a
// usage error naming the flag: "--page-size: "010" is not a decimal
// integer", "--page: 0 must be at least 1", "--page-size: 600 is above the
// maximum 500".
func parseInt[T integer](flagName, s string, min, max T) (T, error) {
	neg, mag, over, ok := decimal(s)
	if !ok {
		return 0, usagef("--%s: %q is not a decimal integer", flagName, s)
	}
	if neg {
		// Only a signed T may hold a negative min or max: int64 of them
		// is exact.
		if min >= 0 || over || mag > uint64(math.MaxInt64)+1 || -int64(mag-1)-1 < int64(min) {
			return 0, usagef("--%s: %s must be at least %d", flagName, s, min)
		}
		if v := -int64(mag-1) - 1; v > int64(max) {
			return 0, usagef("--%s: %s is above the maximum %d", flagName, s, max)
		}
		return T(-int64(mag-1) - 1), nil
	}
	if min > 0 && mag < uint64(min) {
		return 0, usagef("--%s: %s must be at least %d", flagName, s, min)
	}
	if over || max < 0 || mag > uint64(max) {
		return 0, usagef("--%s: %s is above the maximum %d", flagName, s, max)
	}
	return T(mag), nil
}

// intValue is an integer flag read with parseInt. An id flag (see idFlag)
// says so in its message.
type intValue[T integer] struct {
	name     string
	v        *T
	min, max T
	id       bool
}

// intFlag declares an integer flag with a default value and the range
// [min, max] a given value must be in. The default need not be in the
// range: it may mean "not given" (--workers 0, one per CPU).
func intFlag[T integer](fs *flag.FlagSet, name string, def, min, max T, usage string) *T {
	v := new(T)
	*v = def
	fs.Var(intValue[T]{name: name, v: v, min: min, max: max}, name, usage)
	return v
}

func (f intValue[T]) String() string {
	if f.v == nil {
		return "0" // the zero value flag.PrintDefaults compares with
	}
	return fmt.Sprint(*f.v)
}

func (f intValue[T]) Set(s string) error {
	n, err := parseInt(f.name, s, f.min, f.max)
	if err != nil {
		if f.id {
			return flagValueError{fmt.Sprintf("--%s: %q is not a positive integer id", f.name, s)}
		}
		return flagValueError{err.Error()}
	}
	*f.v = n
	return nil
}

// idFlag declares an id flag: the value stays 0 unless the flag is given,
// and a given value must be a positive integer (plain decimal).
func idFlag(fs *flag.FlagSet, name, usage string) *int64 {
	v := new(int64)
	fs.Var(idValue{intValue[int64]{name: name, v: v, min: 1, max: math.MaxInt64, id: true}}, name, usage)
	return v
}

// idValue is an id flag: 0 is "not given" and prints as nothing.
type idValue struct{ intValue[int64] }

func (f idValue) String() string {
	if f.v == nil || *f.v == 0 {
		return ""
	}
	return fmt.Sprint(*f.v)
}

// ids parses a comma-separated list of positive integers (plain decimal;
// spaces around an item are allowed). "" is no list; an empty item
// ("1,,2") is an error naming the flag.
func ids(flagName, s string) ([]int64, error) {
	if s == "" {
		return nil, nil
	}
	var out []int64
	for _, part := range strings.Split(s, ",") {
		n, err := parseInt[int64](flagName, strings.TrimSpace(part), 1, math.MaxInt64)
		if err != nil {
			return nil, usagef("--%s: %q is not a positive integer", flagName, part)
		}
		out = append(out, n)
	}
	return out, nil
}
