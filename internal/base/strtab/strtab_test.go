package strtab

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/opendispatch/dispatch/internal/base/proptest"
)

func TestTable(t *testing.T) {
	var tab Table
	if got := tab.At(tab.Add("")); got != "" || tab.Len() != 1 {
		t.Fatalf("empty string: At = %q, Len = %d", got, tab.Len())
	}
	words := []string{"80202", "Install", "80202", "", "Install", "Repair"}
	pos := make([]int32, len(words))
	for i, w := range words {
		pos[i] = tab.Add(w)
	}
	for i, w := range words {
		if got := tab.At(pos[i]); got != w {
			t.Errorf("At(Add(%q)) = %q", w, got)
		}
	}
	if pos[0] != pos[2] || pos[1] != pos[4] || pos[3] != 0 {
		t.Errorf("positions %v: equal strings must share one", pos)
	}
	if tab.Len() != 4 {
		t.Errorf("Len = %d, want 4 (\"\", 80202, Install, Repair)", tab.Len())
	}
	if tab.Bytes() <= 0 {
		t.Errorf("Bytes = %d for a non-empty table", tab.Bytes())
	}
}

// Add answers from its recent positions and its maps alike: words, short
// and long, in runs and alternating, each get one position, and At gives
// the word back.
func TestRecent(t *testing.T) {
	var tab Table
	// Short strings are kept by their packed bytes: "a" and "a\x00" differ.
	words := []string{"Day", "Night", "Swing", "", "Day shift", "a", "a\x00", "1234567", "12345678"}
	pos := map[string]int32{}
	seq := []int{0, 0, 1, 0, 1, 2, 2, 3, 0, 3, 4, 1, 4, 4, 0, 2, 1, 0, 5, 6, 5, 7, 8, 6, 8, 7}
	for _, k := range seq {
		w := string([]byte(words[k])) // not sharing the table's copy
		p := tab.Add(w)
		if q, seen := pos[w]; seen && q != p {
			t.Fatalf("Add(%q) = %d, earlier %d", w, p, q)
		}
		pos[w] = p
		if tab.At(p) != w {
			t.Fatalf("At(Add(%q)) = %q", w, tab.At(p))
		}
	}
	if tab.Len() != len(words) {
		t.Errorf("Len = %d, want %d", tab.Len(), len(words))
	}
}

// Add agrees with a map from string to first position on random sequences
// of up to 40 distinct strings, short and long, so that tables cross from
// comparing each long string (up to linearMax of them) to their map at
// every point of a sequence, and of up to 3,000 distinct short ones, so that
// the short strings' table grows several times and probes past taken
// slots: one position per string, dense from 1 in order of first
// appearance, At gives it back.
func TestAddAgainstMap(t *testing.T) {
	props := gopter.NewProperties(proptest.Params(t, 500))
	props.Property("Add matches a map", prop.ForAll(
		func(seq []int, many bool) string {
			if many { // up to 3,000 strings of 7 bytes at most, each twice
				n := 60 * len(seq)
				long := make([]int, 0, 2*n)
				for i := range n {
					long = append(long, (i*7919+len(seq))%3000+1)
				}
				seq = append(long, long...)
			}
			var tab Table
			want := map[string]int32{"": 0}
			for _, k := range seq {
				w := fmt.Sprint(k)
				if k%3 == 0 && !many {
					w += "-long-title" // 8 bytes or more
				}
				w = string([]byte(w)) // not sharing the table's copy
				p := tab.Add(w)
				q, seen := want[w]
				if !seen {
					q = int32(len(want))
					want[w] = q
				}
				if p != q || tab.At(p) != w {
					return fmt.Sprintf("Add(%q) = %d, At = %q; want %d", w, p, tab.At(p), q)
				}
			}
			if tab.Len() != len(want) {
				return fmt.Sprintf("Len = %d, want %d", tab.Len(), len(want))
			}
			return ""
		},
		gen.SliceOf(gen.IntRange(1, 40)),
		gen.Bool(),
	))
	proptest.Run(t, props)
}

// TestPack: pack, which reads a string in two overlapping loads, gives
// every string of 0–7 bytes the word of its bytes, one at a time, and its
// length; words of different strings differ.
func TestPack(t *testing.T) {
	slow := func(s string) uint64 {
		w := uint64(len(s)) << 56
		for i := 0; i < len(s); i++ {
			w |= uint64(s[i]) << (8 * i)
		}
		return w
	}
	seen := map[uint64]string{}
	r := rand.New(rand.NewPCG(1, 2))
	for n := 0; n <= 7; n++ {
		for range 2000 {
			b := make([]byte, n)
			for i := range b {
				b[i] = byte(r.IntN(256))
				if r.IntN(4) == 0 {
					b[i] = 0 // zero bytes are where lengths would collide
				}
			}
			s := string(b)
			if got, want := pack(s), slow(s); got != want {
				t.Fatalf("pack(%q) = %#x, want %#x", s, got, want)
			}
			if o, dup := seen[pack(s)]; dup && o != s {
				t.Fatalf("pack(%q) = pack(%q)", s, o)
			}
			seen[pack(s)] = s
		}
	}
}
