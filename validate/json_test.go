package validate_test

import (
	"errors"
	"testing"

	"github.com/opendispatch/dispatch/validate"
)

type inner struct {
	Active bool   `json:"active"`
	Name   string `json:"name,omitempty"`
}

type outer struct {
	Version int                `json:"version"`
	Items   []inner            `json:"items"`
	Mix     map[string]float64 `json:"mix"`
}

func TestUnmarshal(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{"version": 1, "items": [{"active": true}]}`, ""},
		{`{"Version": 1}`, `Version: unknown field "Version"`},
		{`{"version": 1, "version": 2}`, `version: duplicate key "version"`},
		{`{"items": [{"active": true}, {"active": "yes"}]}`, `items[1].active: want true or false, got the string "yes"`},
		{`{"items": [{"active": true, "extra": 1}]}`, `items[0].extra: unknown field "extra"`},
		{`{"mix": {"101": "x"}}`, `mix.101: want a number, got the string "x"`},
		{`{"version": 1}  {}`, `malformed JSON at line 1, column 17: invalid character '{' after top-level value`},
		{`{"version": 1,`, `malformed JSON at line 1, column 15: unexpected end of input`},
		{`   `, `empty input: want a JSON value`},
	} {
		var v outer
		err := validate.Unmarshal([]byte(c.in), &v)
		got := ""
		if err != nil {
			got = err.Error()
			if !errors.Is(err, validate.ErrJSON) {
				t.Errorf("%s: error does not wrap ErrJSON", c.in)
			}
		}
		if got != c.want {
			t.Errorf("Unmarshal(%s):\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}
