// Package board renders a dispatch board for one local date as one
// self-contained HTML page: inline CSS and SVG, no scripts, no external
// assets, so it opens anywhere and prints well.
//
// Technicians are rows grouped by business unit; the day's hours run
// across. Shifts, time off and on-call are background bands; appointments
// are bars labelled with job type and customer zip, unassigned ones in a
// row of their own. Along the top, each arrival window shows the capacity
// figures of the engine for that date: technicians available, free
// minutes, and whether booking one more would exceed the ideal booking
// percentage.
package board
