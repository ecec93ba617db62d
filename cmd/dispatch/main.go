// Command dispatch is the command-line face of opendispatch: it answers the
// Dispatch API's operations over a tenant file (or the embedded demo
// tenant), lists the tenant's technicians, job types, business units,
// arrival windows and appointments, changes a tenant file (assignments,
// and the lifecycle of appointments, shifts and technicians: "dispatch
// appointment cancel", "dispatch shift update", "dispatch technician
// add"), and writes synthetic tenants and dispatch boards.
//
// Usage:
//
//	dispatch <command> [flags]
//
// Run "dispatch help" for the commands and "dispatch <command> -h" (or
// "dispatch help <command>") for each
// one's flags and an example (printed once, on stdout, exit status 0).
// Results go to stdout as JSON without HTML escaping, errors to stderr as
// one line naming the field or flag; the exit status is 0 on success, 1
// when the operation failed and 2 for a usage error. A tenant's warnings
// (a legacy time zone, say) go to stderr as "dispatch: warning: FILE:
// PATH: MESSAGE", and the command goes on; so do the warnings of an
// assignment ("dispatch: warning: technician 104: missingSkills: ..."),
// which is made all the same (exit status 0).
//
// Flags are checked before any work: a flag given twice is refused unless
// it is a list (serve's --tenant); an explicit value is never taken for
// "not given" (an id flag must be a positive integer, --replications 0 is
// refused, --seed 0 is seed 0, and an empty value, --tenant "" or -o "", is
// refused unless the flag is a list or a text that may be empty: --skills
// "", --note ""); a filter on an id the tenant does not have
// is an error, like an inverted --from/--to range; and an output path (-o)
// must not be a directory and must be in an existing directory.
//
// Numbers are spelled as the API spells them. An integer flag (ids, lists
// of ids, --page, --page-size, --replications, --seed, --workers, ...) is
// plain decimal: no "+", no leading zeros, no octal, hexadecimal or
// underscores ("--page-size 010" is refused, not 8), with a leading "-"
// only where a negative value means something (--compact-records;
// adjust's --minutes, a signed delta, also takes "+90"). A float flag
// (--home, --rate-limit) is a finite JSON number: NaN, Inf and
// hexadecimal floats are refused. A value out of a flag's range is a usage
// error (exit status 2), too large or too small alike.
//
// Date-time flags take RFC 3339 with any offset, a date (its local
// midnight) or a local date-time without an offset ("2027-03-09T08:00",
// "2027-03-09 08:00") read in the tenant's time zone by the rule of
// hours.Local. A flag that bounds a range (--from, --to,
// --starts-on-or-after, --ends-on-or-before, --modified-on-or-after) also
// takes a fraction of a second, as the API does, rounded to the whole
// second selecting the same instants (hours.ParseBoundIn); a record's
// instant (--start, --end, --now) is whole seconds.
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"
)

// env is what a command may touch: its arguments and standard streams.
// Tests run commands in-process with buffers.
type env struct {
	args           []string
	stdin          io.Reader
	stdout, stderr io.Writer
}

// wallClock stamps a change made without --now (an assignment's
// assignedOn, an adjustment's createdOn, a record's modifiedOn). Tests
// that compare two runs of one command fix it.
var wallClock = time.Now

// command is one subcommand.
type command struct {
	summary string
	run     func(e *env) error
}

var commands = map[string]command{}

func register(name, summary string, run func(e *env) error) {
	commands[name] = command{summary: summary, run: run}
}

// usageError is a bad command line: exit status 2.
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes one command line and returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 { // a usage error: the help goes to stderr
		printHelp(stderr)
		return 2
	}
	if args[0] == "help" && len(args) > 1 { // "help simulate" is "simulate -h"
		if _, ok := commands[args[1]]; ok {
			return run(append(append([]string{}, args[1:]...), "-h"), stdin, stdout, stderr)
		}
		fmt.Fprintf(stderr, "dispatch: unknown command %q (run \"dispatch help\")\n", args[1])
		return 2
	}
	if args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printHelp(stdout)
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "dispatch: unknown command %q (run \"dispatch help\")\n", args[0])
		return 2
	}
	err := cmd.run(&env{args: args[1:], stdin: stdin, stdout: stdout, stderr: stderr})
	switch e := err.(type) {
	case nil:
		return 0
	case usageError:
		fmt.Fprintf(stderr, "dispatch %s: %s\n", subName(args), oneLine(e.msg))
		return 2
	case helpShown:
		return 0
	default:
		fmt.Fprintf(stderr, "dispatch %s: %s\n", subName(args), oneLine(err.Error()))
		return 1
	}
}

// oneLine joins a multi-line error (every problem of a tenant file) into
// one line.
func oneLine(s string) string { return strings.Join(strings.Split(strings.TrimSpace(s), "\n"), "; ") }

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "dispatch: a deterministic field-service capacity engine and Dispatch API")
	fmt.Fprintln(w, "\nUsage: dispatch <command> [flags]   (dispatch <command> -h for details)")
	fmt.Fprintln(w, "\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	width := 0
	for _, n := range names {
		width = max(width, len(n))
	}
	for _, n := range names {
		fmt.Fprintf(w, "  %-*s  %s\n", width, n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nWithout --tenant FILE, commands use the embedded demo tenant.")
}
