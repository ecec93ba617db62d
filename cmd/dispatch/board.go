package main

import (
	"io"

	"github.com/opendispatch/dispatch/board"
)

func init() {
	register("board", "write a day's dispatch board or a week's capacity planning board as one self-contained HTML file", runBoard)
}

func runBoard(e *env) error {
	fs := flagSet(e, "board", "[--date YYYY-MM-DD | --week YYYY-MM-DD [--business-unit N]] [--tenant FILE] [-o FILE]",
		"Writes the dispatch board of one local date: technicians by business unit, shifts, time off\n"+
			"and on-call as bands, appointments as bars, and each arrival window's capacity on top.\n\n"+
			"With --week, the capacity planning board of the seven dates from that one: arrival windows\n"+
			"by days, each cell the window's capacity, booked, pending and available hours and the\n"+
			"percentage full, coloured within ideal, near it, over it or unavailable (with the reason), the\n"+
			"adjustments that apply and what the reserve for emergencies holds back marked.",
		"dispatch board --week 2027-03-08 --business-unit 1 -o week.html")
	tenantPath := fs.String("tenant", "", "tenant `file` (default: the embedded demo tenant)")
	dateFlag := fs.String("date", "", "local `date` of the board (default: the tenant's first working day)")
	weekFlag := fs.String("week", "", "first local `date` of a week's capacity planning board (a Monday, say)")
	unit := idFlag(fs, "business-unit", "with --week: only this business unit and the units grouped with it (`id`)")
	out := fs.String("o", "", "output `file` (default stdout), replaced atomically; links are followed, devices and pipes written in place")
	if err := parse(fs, e.args, false); err != nil {
		return err
	}
	if err := checkOut("o", *out); err != nil {
		return err
	}
	switch {
	case *dateFlag != "" && *weekFlag != "":
		return usagef("--date and --week are mutually exclusive")
	case *unit != 0 && *weekFlag == "":
		return usagef("--business-unit goes with --week")
	}
	t, err := e.loadTenant(*tenantPath)
	if err != nil {
		return err
	}
	if *weekFlag != "" {
		first, err := date("week", *weekFlag)
		if err != nil {
			return err
		}
		if err := checkKnown(t.Engine.Data(), "business-unit", "business unit", *unit); err != nil {
			return err
		}
		opt := board.WeekOptions{BusinessUnitID: *unit, Title: "Tenant " + t.ID}
		return writeOutput(e, *out, func(w io.Writer) error { return board.RenderWeek(w, t.Engine, first, opt) })
	}
	day, ok := firstWorkingDay(t)
	if *dateFlag != "" {
		if day, err = date("date", *dateFlag); err != nil {
			return err
		}
	} else if !ok {
		return usagef("give --date: the tenant has no active Normal shift, so no first working day to show")
	}
	return writeOutput(e, *out, func(w io.Writer) error { return board.Render(w, t.Engine, day, "Tenant "+t.ID) })
}
