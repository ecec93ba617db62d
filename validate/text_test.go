package validate_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode"

	"github.com/opendispatch/dispatch/validate"
)

var errBad = errors.New("bad")

// TestCheckText: free text passes up to MaxText code points (not bytes)
// and with no control character but tab — line feed and carriage return
// too when multi-line; past that, one problem at the path, wrapping the
// caller's error.
func TestCheckText(t *testing.T) {
	for _, tt := range []struct {
		name       string
		s          string
		singleLine bool
		want       string // the message, "" when fit
	}{
		{"empty", "", true, ""},
		{"plain", "Ana Ruiz", true, ""},
		{"tab", "a\tb", true, ""},
		{"at the limit in bytes and characters", strings.Repeat("x", validate.MaxText), true, ""},
		{"at the limit in characters", strings.Repeat("é", validate.MaxText), true, ""},
		{"one too many", strings.Repeat("x", validate.MaxText+1), true, `validate: text "xxxxxxxxxxxxxxxxxxxx"… has 1001 characters; at most 1000`},
		{"one too many, multi-byte", strings.Repeat("é", validate.MaxText+1), false, `validate: text "éééééééééééééééééééé"… has 1001 characters; at most 1000`},
		{"line feed", "a\nb", true, `validate: text "a\nb" has the control character U+000A at byte 1`},
		{"line feed, multi-line", "a\nb\r\n", false, ""},
		{"NUL, multi-line", "ab\x00", false, `validate: text "ab\x00" has the control character U+0000 at byte 2`},
		{"BEL", "\a", true, `validate: text "\a" has the control character U+0007 at byte 0`},
		{"DEL", "é\x7f", true, `validate: text "é\x7f" has the control character U+007F at byte 2`},
		{"C1", "a\u0085", false, `validate: text "a\u0085" has the control character U+0085 at byte 1`},
		{"not control: no-break space", "a\u00a0b€", true, ""},
		{"too long and a control character", strings.Repeat("\x00", validate.MaxText+1), true, `validate: text "` + strings.Repeat(`\x00`, 20) + `"… has 1001 characters; at most 1000`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var errs validate.Errors
			ok := validate.CheckText(&errs, "f", tt.s, tt.singleLine, errBad)
			if ok != (tt.want == "") || ok != (len(errs) == 0) {
				t.Fatalf("CheckText = %v with %v, want fit %v", ok, errs, tt.want == "")
			}
			if ok {
				return
			}
			if len(errs) != 1 || errs[0].Path != "f" || errs[0].Msg != tt.want || !errors.Is(errs, errBad) {
				t.Errorf("got %q at %q wrapping %v, want one problem %q at f wrapping errBad", errs[0].Msg, errs[0].Path, errs[0].Err, tt.want)
			}
			var plain validate.Errors
			validate.CheckText(&plain, "f", tt.s, tt.singleLine, nil)
			if len(plain) != 1 || plain[0].Msg != tt.want || plain[0].Err != nil {
				t.Errorf("without an error to wrap: %q wrapping %v", plain[0].Msg, plain[0].Err)
			}
		})
	}
}

// TestCheckTextEveryRune: a one-character text passes exactly when its
// character is not a control character (tab aside; line feed and
// carriage return aside in multi-line text), compared with unicode for
// every code point below U+0800 and a sample above.
func TestCheckTextEveryRune(t *testing.T) {
	for r := rune(0); r < 0x110000; r++ {
		if r >= 0x800 && r%97 != 0 || r >= 0xd800 && r < 0xe000 {
			continue
		}
		for _, single := range []bool{true, false} {
			want := !unicode.IsControl(r) || r == '\t' || !single && (r == '\n' || r == '\r')
			var errs validate.Errors
			if got := validate.CheckText(&errs, "f", "a"+string(r), single, nil); got != want {
				t.Fatalf("%U single-line %v: fit %v, want %v", r, single, got, want)
			}
		}
	}
}

// CheckText holds a name to one line of at most MaxText characters.
func ExampleCheckText() {
	var errs validate.Errors
	validate.CheckText(&errs, "technicians[0].name", "Ana\aRuiz", true, nil)
	validate.CheckText(&errs, "technicians[0].skills[0]", strings.Repeat("é", 1001), true, nil)
	validate.CheckText(&errs, "capacityAdjustments[0].reason", "storm\r\nday", false, nil)
	for _, e := range errs {
		fmt.Println(e)
	}
	// Output:
	// technicians[0].name: validate: text "Ana\aRuiz" has the control character U+0007 at byte 3
	// technicians[0].skills[0]: validate: text "éééééééééééééééééééé"… has 1001 characters; at most 1000
}
