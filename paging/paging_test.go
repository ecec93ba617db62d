package paging_test

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/opendispatch/dispatch/internal/base/proptest"
	"github.com/opendispatch/dispatch/paging"
	"github.com/opendispatch/dispatch/validate"
)

func TestSlice(t *testing.T) {
	items := []int{1, 2, 3, 4, 5}
	tests := []struct {
		q    paging.Query
		want paging.Page[int]
	}{
		{paging.Query{}, paging.Page[int]{Page: 1, PageSize: 50, TotalCount: 5, Data: items}},
		{paging.Query{Page: 2, PageSize: 2}, paging.Page[int]{Page: 2, PageSize: 2, HasMore: true, TotalCount: 5, Data: []int{3, 4}}},
		{paging.Query{Page: 3, PageSize: 2}, paging.Page[int]{Page: 3, PageSize: 2, TotalCount: 5, Data: []int{5}}},
		{paging.Query{Page: 9, PageSize: 2}, paging.Page[int]{Page: 9, PageSize: 2, TotalCount: 5, Data: []int{}}},
		// Far past the end, where (page-1)·pageSize overflows an int.
		{paging.Query{Page: math.MaxInt, PageSize: 500}, paging.Page[int]{Page: math.MaxInt, PageSize: 500, TotalCount: 5, Data: []int{}}},
		{paging.Query{Page: math.MaxInt/50 + 2, PageSize: 50}, paging.Page[int]{Page: math.MaxInt/50 + 2, PageSize: 50, TotalCount: 5, Data: []int{}}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, paging.Slice(items, tt.q)); diff != "" {
			t.Errorf("Slice(%+v) (-want +got):\n%s", tt.q, diff)
		}
	}
}

func TestNormalize(t *testing.T) {
	for _, q := range []paging.Query{{Page: -1}, {PageSize: 501}, {PageSize: -3},
		{Page: math.MaxInt, PageSize: 500}, {Page: math.MaxInt/2 + 1}, {Page: math.MaxInt/500 + 2, PageSize: 500}} {
		if _, err := q.Normalize(); !errors.Is(err, paging.ErrBadPage) {
			t.Errorf("Normalize(%+v) = %v, want ErrBadPage", q, err)
		}
	}
	// The last page whose offset fits is fine.
	q := paging.Query{Page: math.MaxInt/500 + 1, PageSize: 500}
	if _, err := q.Normalize(); err != nil {
		t.Errorf("Normalize(%+v) = %v", q, err)
	}
	if off, ok := q.Offset(); !ok || off != math.MaxInt/500*500 {
		t.Errorf("Offset(%+v) = %d, %v", q, off, ok)
	}
}

// TestParse covers the contract's query parameters: absent takes the
// default; 0, negative, not a number, above the maximum and too large for
// an offset are errors naming the parameter.
func TestParse(t *testing.T) {
	good := []struct {
		page, size string
		want       paging.Query
	}{
		{"", "", paging.Query{Page: 1, PageSize: 50}},
		{"3", "", paging.Query{Page: 3, PageSize: 50}},
		{"", "500", paging.Query{Page: 1, PageSize: 500}},
		{strconv.Itoa(math.MaxInt/500 + 1), "500", paging.Query{Page: math.MaxInt/500 + 1, PageSize: 500}},
	}
	for _, tt := range good {
		q, err := paging.Parse(tt.page, tt.size)
		if err != nil || q != tt.want {
			t.Errorf("Parse(%q, %q) = %+v, %v, want %+v", tt.page, tt.size, q, err, tt.want)
		}
	}
	bad := []struct {
		page, size string
		paths      []string
		fragment   string
	}{
		{"0", "", []string{"page"}, "page 0 must be at least 1"},
		{"", "0", []string{"pageSize"}, "pageSize 0 must be at least 1"},
		{"-1", "", []string{"page"}, "at least 1"},
		{"", "-7", []string{"pageSize"}, "at least 1"},
		{"x", "", []string{"page"}, `page "x" is not an integer`},
		{"1.5", "", []string{"page"}, "not an integer"},
		{" 1", "", []string{"page"}, "not an integer"},
		{"+2", "", []string{"page"}, `page "+2" is not an integer`},
		{"", "+99999999999999999999", []string{"pageSize"}, "not an integer"},
		{"", "501", []string{"pageSize"}, "above the maximum 500"},
		{"", "99999999999999999999", []string{"pageSize"}, "too large"},
		{"99999999999999999999", "", []string{"page"}, "too large"},
		{"-99999999999999999999", "", []string{"page"}, "at least 1"},
		{"9223372036854775807", "500", []string{"page"}, "too large"},
		{"4611686018427387904", "", []string{"page"}, "too large"},
		{"0", "0", []string{"page", "pageSize"}, "at least 1"},
		{strings.Repeat("9", 1000), "", []string{"page"}, "…"},
		// A parameter is quoted whole up to 40 bytes, cut after.
		{strings.Repeat("x", 40), "", []string{"page"}, `page "` + strings.Repeat("x", 40) + `" is not an integer`},
		{"", strings.Repeat("y", 41), []string{"pageSize"}, `pageSize "` + strings.Repeat("y", 40) + `…" is not an integer`},
	}
	for _, tt := range bad {
		_, err := paging.Parse(tt.page, tt.size)
		var list validate.Errors
		if !errors.Is(err, paging.ErrBadPage) || !errors.As(err, &list) {
			t.Errorf("Parse(%q, %q) = %v, want validate.Errors wrapping ErrBadPage", tt.page, tt.size, err)
			continue
		}
		var paths []string
		for _, e := range list {
			paths = append(paths, e.Path)
		}
		if diff := cmp.Diff(tt.paths, paths); diff != "" || !strings.Contains(err.Error(), tt.fragment) {
			t.Errorf("Parse(%q, %q) = %v: want paths %v and %q", tt.page, tt.size, err, tt.paths, tt.fragment)
		}
		if len(err.Error()) > 200 {
			t.Errorf("Parse(%q…): message of %d bytes", tt.page[:10], len(err.Error()))
		}
	}
}

// TestSliceProperty compares Slice with a reference that computes in
// arbitrary precision, over pages and sizes up to the largest int.
func TestSliceProperty(t *testing.T) {
	props := gopter.NewProperties(proptest.Params(t, 2000))
	pageGen := gen.OneGenOf(gen.IntRange(1, 20), gen.IntRange(1, math.MaxInt), gen.Const(math.MaxInt), gen.IntRange(math.MaxInt/500-5, math.MaxInt/500+5))
	props.Property("Slice matches arbitrary-precision paging", prop.ForAll(
		func(n, page, size int) string {
			items := make([]int, n)
			for i := range items {
				items[i] = i
			}
			got := paging.Slice(items, paging.Query{Page: page, PageSize: size})
			// Reference: item i is on page i/size+1.
			want := []int{}
			for i := range items {
				if big.NewInt(int64(i/size+1)).Cmp(big.NewInt(int64(page))) == 0 {
					want = append(want, i)
				}
			}
			off := new(big.Int).Mul(big.NewInt(int64(page-1)), big.NewInt(int64(size)))
			end := off.Add(off, big.NewInt(int64(size)))
			hasMore := end.Cmp(big.NewInt(int64(n))) < 0
			if diff := cmp.Diff(want, got.Data); diff != "" {
				return "data (-want +got):\n" + diff
			}
			if got.HasMore != hasMore || got.TotalCount != n || got.Page != page || got.PageSize != size {
				return fmt.Sprintf("page %+v, want hasMore %v", got, hasMore)
			}
			return ""
		},
		// Sizes past MaxSize too: Slice takes any size, and must not
		// overflow computing the offset of a huge one.
		gen.IntRange(0, 1200), pageGen, gen.OneGenOf(gen.IntRange(1, paging.MaxSize), gen.IntRange(1, math.MaxInt), gen.IntRange(math.MaxInt/8, math.MaxInt/2)),
	))
	proptest.Run(t, props)
}

func FuzzParse(f *testing.F) {
	for _, s := range [][2]string{{"", ""}, {"1", "50"}, {"0", "0"}, {"9223372036854775807", "500"}, {"4611686018427387904", ""}, {"-1", "x"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, page, size string) {
		if msg := checkParse(page, size); msg != "" {
			t.Fatal(msg)
		}
	})
}

// checkParse compares Parse(page, size) with parseRef: the same query, or
// an error wrapping ErrBadPage that names the same parameters. It returns
// what differs, or "".
func checkParse(page, size string) string {
	q, err := paging.Parse(page, size)
	want, bad := parseRef(page, size)
	if err != nil {
		if !errors.Is(err, paging.ErrBadPage) {
			return fmt.Sprintf("error %v does not wrap ErrBadPage", err)
		}
		var list validate.Errors
		if !errors.As(err, &list) {
			return fmt.Sprintf("error %v is not a validate.Errors", err)
		}
		var paths []string
		for _, e := range list {
			paths = append(paths, e.Path)
		}
		if !slices.Equal(paths, bad) {
			return fmt.Sprintf("Parse(%q, %q): %v names %q; the reference says %q", page, size, err, paths, bad)
		}
		return ""
	}
	if bad != nil || q != want {
		return fmt.Sprintf("Parse(%q, %q) = %+v; the reference says %+v, bad %q", page, size, q, want, bad)
	}
	if q.Page < 1 || q.PageSize < 1 || q.PageSize > paging.MaxSize {
		return fmt.Sprintf("Parse accepted %+v", q)
	}
	if off, ok := q.Offset(); !ok || off != (q.Page-1)*q.PageSize {
		return fmt.Sprintf("Parse accepted %+v whose offset is %d, %v", q, off, ok)
	}
	paging.Slice([]int{1, 2, 3}, q) // must not panic
	return ""
}

// TestParseGenerated runs checkParse on generated parameters: the bounds
// of each (0, 1, 2, 499–501), the largest page whose offset fits for
// several sizes and the next, the int64 bounds, signs, spaces and junk,
// and random integers of every size. go test runs FuzzParse on its seeds
// only, and none of them asked for a page size of 1.
func TestParseGenerated(t *testing.T) {
	pool := []string{"", "0", "1", "2", "3", "49", "50", "51", "499", "500", "501", "-0", "-1", "+1", "01", " 1", "1 ", "1e3", "x",
		"9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "99999999999999999999"}
	for _, size := range []int{1, 2, 50, 499, 500} {
		last := math.MaxInt/size + 1 // the largest page whose offset fits
		pool = append(pool, strconv.Itoa(last-1), strconv.Itoa(last), strconv.Itoa(last+1))
	}
	param := gen.OneGenOf(gen.OneConstOf(anys(pool)...),
		gen.IntRange(-3, 600).Map(strconv.Itoa),
		gen.Int64().Map(func(n int64) string { return strconv.FormatInt(n, 10) }),
		gen.NumString())
	props := gopter.NewProperties(proptest.Params(t, 5000))
	props.Property("Parse = the reference", prop.ForAll(checkParse, param, param))
	proptest.Run(t, props)
}

func anys(s []string) []any {
	out := make([]any, len(s))
	for i, x := range s {
		out[i] = x
	}
	return out
}

// parseRef reads each parameter as a decimal integer of any size
// (math/big, "+" refused), applies the bounds, and says which parameters
// are bad.
func parseRef(page, size string) (q paging.Query, bad []string) {
	read := func(s string, def int64) (*big.Int, bool) {
		if s == "" {
			return big.NewInt(def), true
		}
		if s[0] == '+' || strings.Trim(strings.TrimPrefix(s, "-"), "0123456789") != "" || strings.TrimPrefix(s, "-") == "" {
			return nil, false
		}
		n, ok := new(big.Int).SetString(s, 10)
		return n, ok
	}
	maxInt := big.NewInt(math.MaxInt)
	p, okP := read(page, 1)
	z, okZ := read(size, paging.DefaultSize)
	okP = okP && p.Sign() > 0 && p.Cmp(maxInt) <= 0
	okZ = okZ && z.Sign() > 0 && z.Cmp(big.NewInt(paging.MaxSize)) <= 0
	switch {
	case !okP && !okZ:
		return q, []string{"page", "pageSize"}
	case !okP:
		return q, []string{"page"}
	case !okZ:
		return q, []string{"pageSize"}
	}
	if off := new(big.Int).Mul(new(big.Int).Sub(p, big.NewInt(1)), z); off.Cmp(maxInt) > 0 {
		return q, []string{"page"}
	}
	return paging.Query{Page: int(p.Int64()), PageSize: int(z.Int64())}, nil
}

func ExampleSlice() {
	q, _ := paging.Query{Page: 2, PageSize: 2}.Normalize()
	p := paging.Slice([]string{"a", "b", "c"}, q)
	fmt.Printf("%+v\n", p)
	_, err := paging.Query{PageSize: 501}.Normalize()
	fmt.Println(err)
	// Output:
	// {Page:2 PageSize:2 HasMore:false TotalCount:3 Data:[c]}
	// pageSize: 501 is above the maximum 500
}

func ExampleParse() {
	q, err := paging.Parse("3", "")
	fmt.Printf("%+v %v\n", q, err)
	_, err = paging.Parse("0", "abc")
	fmt.Println(err)
	// Output:
	// {Page:3 PageSize:50} <nil>
	// page: paging: page 0 must be at least 1
	// pageSize: paging: pageSize "abc" is not an integer
}
