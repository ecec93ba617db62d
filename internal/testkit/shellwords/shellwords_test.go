package shellwords_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/opendispatch/dispatch/internal/testkit/shellwords"
)

func ExampleSplit() {
	w, _ := shellwords.Split(`dispatch adjust --reason 'two tune-ups usually cancel' --by "Maria Lopez"`)
	fmt.Printf("%q\n", w)
	// Output: ["dispatch" "adjust" "--reason" "two tune-ups usually cancel" "--by" "Maria Lopez"]
}

func TestSplit(t *testing.T) {
	for _, tc := range []struct {
		line string
		want []string
	}{
		{"", nil},
		{"  a  b ", []string{"a", "b"}},
		{`a '' b`, []string{"a", "", "b"}},
		{`--x='a b'c`, []string{"--x=a bc"}},
		{`'it"s' "it's"`, []string{`it"s`, "it's"}},
	} {
		got, err := shellwords.Split(tc.line)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("Split(%q) = %q, %v; want %q", tc.line, got, err, tc.want)
		}
	}
	for _, bad := range []string{`a 'b`, `"`, `x "y' z`} {
		if _, err := shellwords.Split(bad); err == nil {
			t.Errorf("Split(%q): no error for an unbalanced quote", bad)
		}
	}
}
