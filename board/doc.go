// Package board renders a dispatch board for one local date, and a
// capacity planning board for a week, each as one self-contained HTML page: inline CSS and SVG, no scripts, no external
// assets, so it opens anywhere and prints well.
//
// Along the top, a card per arrival window gives each business unit's
// capacity in it — the technicians who fit and the free minutes, as a
// capacity request for that unit alone answers — marked within ideal, over
// the ideal booking percentage, or full. Below the hour scale come the
// day's unassigned appointments, first, where a dispatcher sees them
// without scrolling; then the technicians as rows grouped by business unit,
// with shifts, time off and on-call as background bands and appointments
// as bars labelled with job type and customer zip.
//
// [RenderWeek] writes the capacity planning board of a week: arrival
// windows by days, each cell a window's capacity, booked, pending and
// available hours and its percentage full, coloured within the ideal
// booking percentage, near it, over it or unavailable (with the reason;
// grey where nobody works and no adjustment applies: a hold-back that
// takes a worked window to nothing is unavailable), the adjustments that apply and what the
// reserve for emergencies holds back marked; for every business unit, or
// for one and its group.
//
// The day board's hour scale repeats on every business unit's heading, so
// a board of a thousand technicians still reads far below its top. Its
// lines fall on the local whole hours, whatever the zone's changes (Lord
// Howe Island's 30 minutes: 01:00 +1030, then 03:00 +11); on a day the
// clocks change, the hours either side carry the zone's abbreviation
// (01:00 MDT, 01:00 MST) and the heading gives the day's length and the
// change (from 02:00 MDT to 01:00 MST). Both boards print whole on a
// landscape page, and their text meets WCAG AA contrast.
//
// Labels are never cut inside a word: one that does not fit its bar drops
// the zip, then trailing words (with an ellipsis), and every bar carries
// its full text as a tooltip. [Render] refuses a date with no working time
// and no appointments ([ErrNoData]); [Fragment] draws whatever the date
// holds.
package board
