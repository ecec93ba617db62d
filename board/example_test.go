package board_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	dispatch "github.com/opendispatch/dispatch"
	"github.com/opendispatch/dispatch/board"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/tenant"
)

func ExampleRender() {
	t, _ := tenant.Parse(dispatch.DemoTenant)
	var buf bytes.Buffer
	if err := board.Render(&buf, t.Engine, hours.MustParseDate("2027-03-09"), "Demo"); err != nil {
		fmt.Println(err)
		return
	}
	page := buf.String()
	fmt.Println(strings.Contains(page, "<svg"), strings.Contains(page, "<script"), strings.Contains(page, "Ana Ruiz"))
	// Output: true false true
}

func ExampleRender_noData() {
	t, _ := tenant.Parse(dispatch.DemoTenant)
	err := board.Render(io.Discard, t.Engine, hours.MustParseDate("2027-03-14"), "Demo")
	fmt.Println(errors.Is(err, board.ErrNoData))
	fmt.Println(err)
	// Output:
	// true
	// board: 2027-03-14 (Sunday) has no working time and no appointments; its shifts and appointments run from 2027-03-08 to 2027-03-20
}

func ExampleRenderWeek() {
	t, _ := tenant.Parse(dispatch.DemoTenant)
	var buf bytes.Buffer
	opt := board.WeekOptions{BusinessUnitID: 1, Title: "Demo"}
	if err := board.RenderWeek(&buf, t.Engine, hours.MustParseDate("2027-03-08"), opt); err != nil {
		fmt.Println(err)
		return
	}
	page := buf.String()
	fmt.Println(strings.Contains(page, "HVAC Service and HVAC Maintenance (one group)"), strings.Contains(page, "Reserve holds 2.7 h back"))
	// Output: true true
}
