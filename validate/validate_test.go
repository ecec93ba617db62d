package validate

import (
	"errors"
	"fmt"
	"io"
	"testing"
)

func TestNesting(t *testing.T) {
	var inner Errors
	inner.Add("[1].from", "bad clock %q: %w", "25:00", io.ErrUnexpectedEOF)
	var outer Errors
	outer.AddErr("timeSlots", inner)
	outer.AddErr("", errors.New("plain"))
	if got, want := outer.Error(), "timeSlots[1].from: bad clock \"25:00\"\nplain"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if !errors.Is(outer, io.ErrUnexpectedEOF) {
		t.Error("errors.Is does not see the wrapped error")
	}
	if (Errors{}).Err() != nil {
		t.Error("empty Errors is not nil")
	}
	if got := Join("a", "b") + Join("", "c") + Join("d", ""); got != "a.bcd" {
		t.Errorf("Join: got %q", got)
	}
}

func TestNulls(t *testing.T) {
	for in, want := range map[string]string{
		`{"b":null,"a":null,"c":1,"d":{"e":null}}`: "[a b]",
		`{"a": null }`: "[a]",
		`{}`:           "[]",
		`[null]`:       "[]",
		`null`:         "[]",
		`{"a":"null"}`: "[]",
	} {
		if got := fmt.Sprint(Nulls([]byte(in))); got != want {
			t.Errorf("Nulls(%s) = %s, want %s", in, got, want)
		}
	}
}
