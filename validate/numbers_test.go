package validate_test

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/go-json-experiment/json"

	"github.com/opendispatch/dispatch/validate"
)

// numberTexts are the numbers tried against every numeric type: each
// integer type's bounds and one past them, the lengths of digits the
// decoder's fast path and overflow checks turn on (18, 19, 20, 21), and
// numbers that are not integers.
func numberTexts() []string {
	texts := []string{"0", "-0", "1", "-1", "7", "9", "10", "99", "1.0", "1.5", "-2.5", "1e2", "1E+2", "1e-2", "0.1",
		"100000000000000000", "999999999999999999", "-999999999999999999", "1000000000000000000", "9999999999999999999",
		"10000000000000000000", "99999999999999999999", "100000000000000000000", "-99999999999999999999",
		"18446744073709551615", "18446744073709551616", "18446744073709551619", "18446744073709551620", "28446744073709551615",
		"3.4028234663852886e38", "3.5e38", "1e39", "-1e39", "1.7976931348623157e308", "1e309", "1e-400", "4.9e-324", "16777217"}
	for _, bits := range []int{8, 16, 32, 64} {
		for _, b := range []*big.Int{
			new(big.Int).Lsh(big.NewInt(1), uint(bits)),   // 2^bits: one past the unsigned maximum
			new(big.Int).Lsh(big.NewInt(1), uint(bits-1)), // one past the signed maximum
		} {
			for _, d := range []int64{-1, 0, 1} {
				x := new(big.Int).Add(b, big.NewInt(d))
				texts = append(texts, x.String(), new(big.Int).Neg(x).String())
			}
		}
	}
	return texts
}

// integerRange is "from LO to HI" of the integers of t, computed apart
// from the decoder.
func integerRange(t reflect.Type) (lo, hi *big.Int) {
	one := big.NewInt(1)
	if t.Kind() >= reflect.Uint && t.Kind() <= reflect.Uintptr {
		return big.NewInt(0), new(big.Int).Sub(new(big.Int).Lsh(one, uint(t.Bits())), one)
	}
	m := new(big.Int).Lsh(one, uint(t.Bits()-1))
	return new(big.Int).Neg(m), new(big.Int).Sub(m, one)
}

// TestNumbersAgainstJSONv2: a number decodes into every integer and float
// type exactly when go-json-experiment decodes it, to the same value; a
// refused one is reported at its path with the type's range. As a map
// key, an integer does the same. Before, a float written as an integer,
// a uint8 of 256 or a map key past its type's range were never tried.
func TestNumbersAgainstJSONv2(t *testing.T) {
	checkNumbers[int8](t)
	checkNumbers[int16](t)
	checkNumbers[int32](t)
	checkNumbers[int64](t)
	checkNumbers[int](t)
	checkNumbers[uint8](t)
	checkNumbers[uint16](t)
	checkNumbers[uint32](t)
	checkNumbers[uint64](t)
	checkNumbers[uint](t)
	checkNumbers[float32](t)
	checkNumbers[float64](t)
}

func checkNumbers[T int8 | int16 | int32 | int64 | int | uint8 | uint16 | uint32 | uint64 | uint | float32 | float64](t *testing.T) {
	typ := reflect.TypeFor[T]()
	isFloat := typ.Kind() == reflect.Float32 || typ.Kind() == reflect.Float64
	for _, num := range numberTexts() {
		// As a value, in a struct and at the top level.
		type rec struct {
			V T `json:"v"`
		}
		text := `{"v": ` + num + `}`
		var got, want rec
		err := validate.Unmarshal([]byte(text), &got)
		errWant := json.Unmarshal([]byte(text), &want, json.RejectUnknownMembers(true))
		if (err == nil) != (errWant == nil) || got != want {
			t.Errorf("%v %s: got %v, %v; go-json-experiment %v, %v", typ, num, got.V, err, want.V, errWant)
			continue
		}
		var top T
		if err2 := validate.Unmarshal([]byte(num), &top); (err2 == nil) != (err == nil) || top != got.V {
			t.Errorf("%v %s at the top level: %v, %v; in a struct %v, %v", typ, num, top, err2, got.V, err)
		}
		if err != nil {
			var msg string
			f, _ := strconv.ParseFloat(num, 64)
			switch {
			case isFloat:
				max := math.MaxFloat64
				if typ.Bits() == 32 {
					max = math.MaxFloat32
				}
				msg = fmt.Sprintf("want a number of magnitude at most %s, got the number %s", strconv.FormatFloat(max, 'g', -1, typ.Bits()), num)
			case f != math.Trunc(f) || !isIntegerText(num):
				msg = "want an integer, got the number " + num
			default:
				lo, hi := integerRange(typ)
				msg = fmt.Sprintf("want an integer from %v to %v, got the number %s", lo, hi, num)
			}
			if want := "v: " + msg; err.Error() != want {
				t.Errorf("%v %s:\n got %v\nwant %s", typ, num, err, want)
			}
		}
		if isFloat {
			continue
		}
		// As a map key.
		for _, key := range []string{num, "+" + num, "0" + num, " " + num, num + " ", ""} {
			text := fmt.Sprintf(`{%q: 1}`, key)
			var got, want map[T]int
			err := validate.Unmarshal([]byte(text), &got)
			errWant := json.Unmarshal([]byte(text), &want, json.RejectUnknownMembers(true))
			if (err == nil) != (errWant == nil) || !reflect.DeepEqual(got, want) && err == nil {
				t.Errorf("%v key %q: got %v, %v; go-json-experiment %v, %v", typ, key, got, err, want, errWant)
				continue
			}
			lo, hi := integerRange(typ)
			path := key // a key that would not read back as a step is quoted
			if key == "" || strings.ContainsAny(key, " .") {
				path = "[" + strconv.Quote(key) + "]"
			}
			wantErr := &validate.Error{Path: path, Msg: fmt.Sprintf("want an integer key of %v to %v, got %q", lo, hi, key)}
			if msg := wantErr.Error(); err != nil && err.Error() != msg {
				t.Errorf("%v key %q:\n got %v\nwant %s", typ, key, err, msg)
			}
			if err != nil && !errors.Is(err, validate.ErrJSON) {
				t.Errorf("%v key %q: %v does not wrap ErrJSON", typ, key, err)
			}
		}
	}
}

// isIntegerText reports whether num is written without fraction or
// exponent.
func isIntegerText(num string) bool {
	for _, c := range num {
		if c == '.' || c == 'e' || c == 'E' {
			return false
		}
	}
	return true
}
