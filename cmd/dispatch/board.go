package main

import (
	"io"

	"github.com/opendispatch/dispatch/board"
)

func init() {
	register("board", "write a day's dispatch board as one self-contained HTML file", runBoard)
}

func runBoard(e *env) error {
	fs := flagSet(e, "board", "--date YYYY-MM-DD [--tenant FILE] [-o FILE]",
		"Writes the dispatch board of one local date: technicians by business unit, shifts, time off\n"+
			"and on-call as bands, appointments as bars, and each arrival window's capacity on top.",
		"dispatch board --date 2027-03-09 -o board.html")
	tenantPath := fs.String("tenant", "", "tenant `file` (default: the embedded demo tenant)")
	dateFlag := fs.String("date", "", "local `date` of the board (default: the tenant's first working day)")
	out := fs.String("o", "", "output `file` (default stdout), written atomically")
	if err := parse(fs, e.args, false); err != nil {
		return err
	}
	t, err := e.loadTenant(*tenantPath)
	if err != nil {
		return err
	}
	day := firstWorkingDay(t)
	if *dateFlag != "" {
		if day, err = date("date", *dateFlag); err != nil {
			return err
		}
	}
	return writeOutput(e, *out, func(w io.Writer) error { return board.Render(w, t.Engine, day, "Tenant "+t.ID) })
}
