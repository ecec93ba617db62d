package board_test

import (
	"bytes"
	"fmt"
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
