// Package compare summarizes and compares files of Go benchmark results
// the way golang.org/x/perf/cmd/benchstat does by default, so that
// `dispatch bench --compare old.txt` prints what `benchstat old.txt
// new.txt` prints.
//
// It is built on golang.org/x/perf's benchfmt (reading), benchproc
// (grouping), benchmath (statistics) and benchunit (units), the packages
// cmd/benchstat is built on, with cmd/benchstat's defaults: a table for
// each file-level configuration (goos, goarch, pkg, cpu) and unit, a row
// for each benchmark's full name (sub-benchmark keys included), a column
// for each file, the first file the baseline. Units are named as
// benchstat names them: ns/op reads as sec/op, MB/s as B/s, and a custom
// metric such as ns/day as sec/day.
//
// # Statistics
//
// Unless a file's unit metadata says otherwise ("Unit U assume=exact"), a
// cell is summarized by its median and the 95% confidence interval of the
// median from order statistics (benchmath.AssumeNothing), shown as
// "± x%", or "± ∞" where there are too few runs for the interval (fewer
// than 6 at 95%), with a footnote saying so. A cell is compared with the
// baseline's by the Mann–Whitney U test: "~ (p=0.345 n=6)" where p >
// 0.05, the change in percent "-12.34% (p=0.002 n=6)" otherwise; "n=5+6"
// where the files ran a benchmark a different number of times. A table
// of more than one row ends with the geometric mean of each column and of
// each column's ratios to the baseline.
//
// # Where it differs from benchstat
//
// benchstat warns on stderr about a line that starts like a benchmark
// result or unit metadata but does not parse (or gives a unit an
// assumption at odds with an earlier file's), and carries on; [Set.Add]
// refuses such a file and names every bad line ([LineError]). benchstat prints nothing
// for a file with no results; Add says so ([ErrNoResults]), naming the
// first line that is not benchmark output. Add also refuses a name
// already given, where benchstat would pool the two files' runs in one
// column. Both stop at a line of 64 KiB or more, which the reader cannot
// hold; benchstat names the line before it, Add the line. For files Add accepts, the text is benchstat's byte for byte
// (TestAgainstBenchstat holds it to the real command).
//
// # Concurrency
//
// A [Set] is not safe for concurrent use.
package compare
