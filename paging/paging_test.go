package paging_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/opendispatch/dispatch/paging"
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
	}
	for _, tt := range tests {
		q, err := tt.q.Normalize()
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, paging.Slice(items, q)); diff != "" {
			t.Errorf("Slice(%+v) (-want +got):\n%s", tt.q, diff)
		}
	}
	for _, q := range []paging.Query{{Page: -1}, {PageSize: 501}, {PageSize: -3}} {
		if _, err := q.Normalize(); !errors.Is(err, paging.ErrBadPage) {
			t.Errorf("Normalize(%+v) = %v, want ErrBadPage", q, err)
		}
	}
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
