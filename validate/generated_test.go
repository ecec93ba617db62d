package validate_test

import (
	"fmt"
	"math/big"
	"math/rand"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/prop"

	"github.com/opendispatch/dispatch/internal/base/proptest"
)

// TestUnmarshalGenerated runs the checks of FuzzUnmarshal (checkUnmarshal:
// the reference, go-json-experiment, and reading through small windows)
// on generated texts of fzOuter: every field in any order, with white
// space runs, strings of escapes, surrogates and multi-byte characters,
// numbers at and past the bounds of their types, date-times canonical and
// not, unknown and duplicate members; and, for a third of them, the text
// cut, or a byte of it dropped, doubled or replaced. The fuzz seeds alone
// left the paths a mutation test found untried: a string's escape split
// across a window's edge, a key without its colon, a u16 of 65536, a
// float written as an integer.
func TestUnmarshalGenerated(t *testing.T) {
	props := gopter.NewProperties(proptest.Params(t, 3000))
	props.Property("Unmarshal agrees with the references", prop.ForAll(
		func(text string) bool {
			t.Run("", func(t *testing.T) { checkUnmarshal(t, []byte(text)) })
			return !t.Failed()
		},
		genText(),
	))
	proptest.Run(t, props)
}

// genText generates the text of a fzOuter, sometimes damaged.
func genText() gopter.Gen {
	return func(p *gopter.GenParameters) *gopter.GenResult {
		g := &textGen{r: p.Rng}
		g.outer()
		s := g.b.String()
		if g.r.Intn(3) == 0 {
			s = g.damage(s)
		}
		return gopter.NewGenResult(s, gopter.NoShrinker)
	}
}

type textGen struct {
	r *rand.Rand
	b strings.Builder
}

func (g *textGen) pick(xs ...string) string { return xs[g.r.Intn(len(xs))] }

// ws writes white space: mostly none or one space, sometimes a run long
// enough to be read eight bytes at a time, or newlines and tabs.
func (g *textGen) ws() {
	switch g.r.Intn(6) {
	case 0, 1:
	case 2:
		g.b.WriteByte(' ')
	case 3:
		g.b.WriteString(strings.Repeat(" ", g.r.Intn(24)))
	case 4:
		g.b.WriteString("\n" + strings.Repeat(" ", g.r.Intn(12)))
	default:
		for range g.r.Intn(5) {
			g.b.WriteString(g.pick(" ", "\t", "\n", "\r", "\r\n", "        "))
		}
	}
}

// str writes a JSON string of plain runs, escapes and characters.
func (g *textGen) str() {
	g.b.WriteByte('"')
	for range g.r.Intn(6) {
		switch g.r.Intn(9) {
		case 0, 1:
			g.b.WriteString(strings.Repeat(g.pick("a", "Z", "0", " ", "~", "/", "'"), g.r.Intn(20)))
		case 2:
			g.b.WriteString(g.pick(`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`))
		case 3:
			// A \u escape of a random code point, in either case of hex.
			r := g.pick("0000", "001f", "0020", "007f", "00e9", "00E9", "abcd", "ABCD", "fFfF", "0a0A", "7FFF", "0100")
			g.b.WriteString(`\u` + r)
		case 4:
			// A surrogate pair, or now and then half of one or the
			// halves swapped.
			g.b.WriteString(g.pick(`\ud83d\ude00`, `\uD83D\uDE00`, `\udbff\udfff`, `\ud800\udc00`, `\ud83d`, `\ude00`, `\ude00\ud83d`, `\ud83d\u0041`, `\ud83dx`))
		case 5:
			g.b.WriteString(g.pick("é", "∑", "😀", "ÿ", "\u0080", "\u07ff", "\u0800", "\uffff", "\U00010000", "\U0010ffff"))
		case 6:
			g.b.WriteString(strings.Repeat("é∑x", g.r.Intn(5)))
		case 7:
			if g.r.Intn(8) == 0 { // bad: a raw control or an invalid byte
				g.b.WriteString(g.pick("\x01", "\t", "\x7f", "\xff", "\x80", "\xc3", "\xed\xa0\x80", `\x`, `\u12`, `\uZZZZ`, `\u00G0`))
			}
		default:
			g.b.WriteString(g.pick("abcdefgh", "abcdefghijklmnopq", "0123456789abcdef0123456789"))
		}
	}
	g.b.WriteByte('"')
}

// integer writes an integer near the bounds of an integer of bits bits.
func (g *textGen) integer(bits int, signed bool) {
	var lo, hi string
	if signed {
		lo, hi = strconv.FormatInt(int64(-1)<<(bits-1), 10), strconv.FormatInt(int64(1)<<(bits-1)-1, 10)
	} else {
		lo, hi = "0", strconv.FormatUint(^uint64(0)>>(64-bits), 10)
	}
	switch g.r.Intn(8) {
	case 0:
		g.b.WriteString(strconv.Itoa(g.r.Intn(200) - 100))
	case 1:
		g.b.WriteString(hi)
	case 2:
		g.b.WriteString(lo)
	case 3: // one past either bound
		x, _ := new(big.Int).SetString(hi, 10)
		x.Add(x, big.NewInt(1))
		if g.r.Intn(2) == 0 {
			x.SetString(lo, 10)
			x.Sub(x, big.NewInt(1))
		}
		g.b.WriteString(x.String())
	case 4:
		g.b.WriteString(g.pick("-0", "0", "1.0", "1e2", "1E+2", "1e-2", "0.5", "-1.5e3", "100000000000000000", "999999999999999999",
			"1000000000000000000", "9999999999999999999", "18446744073709551615", "18446744073709551616", "99999999999999999999",
			"-9223372036854775808", "-9223372036854775809", "123456789012345678901234"))
	case 5: // a bad number
		g.b.WriteString(g.pick("01", "-", "1.", ".5", "1e", "1e+", "+1", "--1", "1.5.2", "0x10", "-01"))
	case 6:
		g.b.WriteString(strconv.FormatUint(g.r.Uint64()>>uint(g.r.Intn(64)), 10))
	default:
		g.b.WriteString(strconv.FormatInt(g.r.Int63n(1<<20)-1<<19, 10))
	}
}

func (g *textGen) float() {
	switch g.r.Intn(4) {
	case 0:
		g.integer(64, true)
	case 1:
		g.b.WriteString(g.pick("3.4028234663852886e38", "3.5e38", "1e39", "1.7976931348623157e308", "1e309", "-1e400", "1e-400", "4.9e-324", "0.1"))
	default:
		g.b.WriteString(strconv.FormatFloat(g.r.NormFloat64()*1e3, 'g', -1, 64))
	}
}

// when writes a date-time, or a value that is not one. (Lower-case "t"
// and "z", which Unmarshal reads and the references refuse, are
// TestTimeFastPath's.)
func (g *textGen) when() {
	at := time.Date(1+g.r.Intn(9999), time.Month(1+g.r.Intn(12)), 1+g.r.Intn(31), g.r.Intn(24), g.r.Intn(60), g.r.Intn(60), 0, time.UTC)
	switch g.r.Intn(6) {
	case 0, 1:
		g.b.WriteString(strconv.Quote(at.Format(time.RFC3339)))
	case 2:
		off := (g.r.Intn(48*60) - 24*60) * 60
		g.b.WriteString(strconv.Quote(at.In(time.FixedZone("", off)).Format(time.RFC3339)))
	case 3:
		g.b.WriteString(strconv.Quote(g.pick("2026-03-09T10:00:00+00:00", "2026-02-29T10:00:00Z",
			"2024-02-29T10:00:00Z", "2026-03-09T10:00:00.5Z", "2026-03-09T24:00:00Z", "2026-03-09T10:00:00+24:00", "2026-3-09T10:00:00Z", "2026-03-09")))
	case 4:
		g.b.WriteString(g.pick("null", "1", `"x"`, "{}"))
	default:
		g.str()
	}
}

// member writes a member: usually a field of the struct, sometimes an
// unknown name or a known one in the wrong case.
func (g *textGen) members(fields []string, value func(name string)) {
	g.b.WriteByte('{')
	g.ws()
	n := g.r.Intn(len(fields) + 2)
	for i := range n {
		if i > 0 {
			g.b.WriteByte(',')
			g.ws()
		}
		name := fields[g.r.Intn(len(fields))]
		switch g.r.Intn(20) {
		case 0:
			name = "x" + name
		case 1:
			name = strings.ToUpper(name[:1]) + name[1:]
		}
		g.b.WriteString(strconv.Quote(name))
		g.ws()
		g.b.WriteByte(':')
		g.ws()
		value(name)
		g.ws()
	}
	g.b.WriteByte('}')
}

func (g *textGen) outer() {
	g.ws()
	g.members([]string{"version", "name", "items", "mix", "when", "custom", "text", "any", "ptr", "NoTag", "nested", "f64", "u64", "Bools"}, func(name string) {
		switch name {
		case "version", "ptr":
			g.integer(64, true)
		case "name", "custom":
			g.str()
		case "items":
			g.array(func() { g.inner(0) })
		case "mix":
			g.members([]string{"a", "b", "é", "a\\u0062"}, func(string) { g.float() })
		case "when":
			g.when()
		case "text":
			g.b.WriteString(g.pick(`"red"`, `"blue"`, `"green"`, `"r\u0065d"`, "1"))
		case "any":
			g.anyValue(0)
		case "NoTag", "u64":
			g.integer(64, false)
		case "nested":
			g.members([]string{"k", "l"}, func(string) {
				g.array(func() {
					if g.r.Intn(3) == 0 {
						g.b.WriteString("null")
					} else {
						g.inner(2)
					}
				})
			})
		case "f64":
			g.float()
		case "Bools":
			g.array(func() { g.b.WriteString(g.pick("true", "false", "null", "1", `"true"`, "tru", "falsey")) })
		default:
			g.anyValue(1)
		}
	})
	g.ws()
}

func (g *textGen) inner(depth int) {
	g.members([]string{"a", "s", "i8", "u16", "f32", "p", "l", "t"}, func(name string) {
		switch name {
		case "a":
			g.b.WriteString(g.pick("true", "false", "null", `"yes"`, "0"))
		case "s":
			g.str()
		case "i8":
			g.integer(8, true)
		case "u16":
			g.integer(16, false)
		case "f32":
			g.b.WriteString(g.pick("3.4028234e38", "3.4028236e38", "1e39", "-1e39", "0.5", "16777217", "1", "-0", "1e-50"))
		case "p":
			if depth < 3 {
				g.inner(depth + 1)
			} else {
				g.b.WriteString("null")
			}
		case "l":
			g.array(func() { g.integer(64, true) })
		case "t":
			g.when()
		default:
			g.anyValue(2)
		}
	})
}

func (g *textGen) array(elem func()) {
	g.b.WriteByte('[')
	g.ws()
	for i := range g.r.Intn(5) {
		if i > 0 {
			g.b.WriteByte(',')
			g.ws()
		}
		elem()
		g.ws()
	}
	g.b.WriteByte(']')
}

func (g *textGen) anyValue(depth int) {
	k := g.r.Intn(8)
	if depth > 2 {
		k %= 5
	}
	switch k {
	case 0:
		g.b.WriteString(g.pick("true", "false", "null"))
	case 1:
		g.str()
	case 2, 3:
		g.float()
	case 4:
		g.when()
	case 5:
		g.array(func() { g.anyValue(depth + 1) })
	default:
		g.members([]string{"k", "a", "é"}, func(string) { g.anyValue(depth + 1) })
	}
}

// damage cuts s, or drops, doubles or replaces one of its bytes.
func (g *textGen) damage(s string) string {
	if s == "" {
		return s
	}
	i := g.r.Intn(len(s))
	c := g.pick("{", "}", "[", "]", ",", ":", `"`, `\`, "0", "-", "e", ".", "n", " ", "\x00", "\xff")
	switch g.r.Intn(4) {
	case 0:
		return s[:i]
	case 1:
		return s[:i] + s[i+1:]
	case 2:
		return s[:i] + s[i:i+1] + s[i:]
	}
	return fmt.Sprint(s[:i], c, s[i+1:])
}
