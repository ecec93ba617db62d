package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	dispatch "github.com/opendispatch/dispatch"
	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/internal/base/atomicfile"
	"github.com/opendispatch/dispatch/tenant"
)

// helpShown ends a command after -h printed its help: exit status 0.
type helpShown struct{}

func (helpShown) Error() string { return "help shown" }

// flagSet returns a flag set for a command whose help prints the usage
// line, the description and an example.
func flagSet(e *env, name, usage, about, example string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stdout, "Usage: dispatch %s %s\n\n%s\n\nFlags:\n", name, usage, about)
		fs.SetOutput(e.stdout)
		fs.PrintDefaults()
		fs.SetOutput(e.stderr)
		fmt.Fprintf(e.stdout, "\nExample:\n  %s\n", example)
	}
	return fs
}

// parse parses the command's flags, turning -h into helpShown (the help
// printed once, on stdout) and bad flags into a usage error (one line on
// stderr, printed by run; no help). A flag given an empty value is
// refused unless emptyMeans names it. Positional arguments are refused
// unless allowArgs; then they are files: not empty, and not flags after
// them unless "--" comes first.
func parse(fs *flag.FlagSet, args []string, allowArgs bool) error {
	fs.SetOutput(io.Discard) // errors are reported once, by run
	// The flag package calls Usage itself for -h and for every bad flag;
	// the help is printed here, for -h only.
	usage := fs.Usage
	fs.Usage = func() {}
	// Each value is wrapped while parsing to count its settings and keep
	// the message of a flagValueError, then restored.
	var valueErr string
	var wrapped []*counted
	fs.VisitAll(func(f *flag.Flag) {
		c := &counted{Value: f.Value, err: &valueErr}
		wrapped = append(wrapped, c)
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			f.Value = countedBool{c}
		} else {
			f.Value = c
		}
	})
	err := fs.Parse(args)
	i := 0
	var repeated, empty string
	fs.VisitAll(func(f *flag.Flag) { // VisitAll visits in name order, both times
		c := wrapped[i]
		i++
		f.Value = c.Value
		if _, ok := c.Value.(repeatable); !ok && c.n > 1 && repeated == "" {
			repeated = f.Name
		}
		if c.empty && !emptyMeans[f.Name] && empty == "" {
			empty = f.Name
		}
	})
	fs.Usage = usage
	switch {
	case errors.Is(err, flag.ErrHelp):
		usage()
		return helpShown{}
	case valueErr != "":
		return usageError{valueErr}
	case err != nil:
		return usagef("%v", err)
	case empty != "":
		return usagef("%s: \"\" is empty: give a value, or leave the flag out for its default", dashed(empty))
	case repeated != "":
		return usagef("--%s: given more than once", repeated)
	case !allowArgs && fs.NArg() > 0:
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	// The arguments are files (the parts of a merge). The flag package
	// stops at the first one, so a flag after them would be opened as a
	// file; after "--" an argument is a file whatever it looks like.
	terminated := len(args) > fs.NArg() && args[len(args)-fs.NArg()-1] == "--"
	for i, a := range fs.Args() {
		switch {
		case a == "":
			return usagef("file argument %d is empty", i+1)
		case !terminated && len(a) > 1 && a[0] == '-':
			return usagef("%q after the file arguments: give flags before them", a)
		}
	}
	return nil
}

// loadTenant loads the tenant file at path, or the embedded demo tenant
// when path is empty, and prints its warnings on e's stderr, one a line:
//
//	dispatch: warning: my.json: timeZone: hours: time zone "MST" is ...
//
// Every command that reads a tenant loads it with this method.
func (e *env) loadTenant(path string, opts ...capacity.Option) (*tenant.Tenant, error) {
	t, err := loadTenant(path, opts...)
	if err != nil {
		return nil, err
	}
	name := path
	if name == "" {
		name = "the demo tenant"
	}
	for _, w := range t.Warnings {
		fmt.Fprintf(e.stderr, "dispatch: warning: %s: %s\n", name, oneLine(w.Error()))
	}
	return t, nil
}

// loadTenant loads the tenant file at path, or the embedded demo tenant
// when path is empty, without showing its warnings: commands use
// [env.loadTenant].
func loadTenant(path string, opts ...capacity.Option) (*tenant.Tenant, error) {
	if path == "" && len(opts) == 0 {
		t, err := parseDemo()
		if err != nil {
			return nil, fmt.Errorf("the demo tenant: %w", err)
		}
		return t, nil
	}
	var t *tenant.Tenant
	var err error
	name := "the demo tenant"
	if path == "" {
		t, err = tenant.Parse(dispatch.DemoTenant, opts...)
	} else {
		// Decoded as read: a large file is never in memory beside its
		// records.
		file, openErr := os.Open(path)
		if openErr != nil {
			return nil, openErr
		}
		defer file.Close()
		name = path
		t, err = tenant.Load(file, opts...)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return t, nil
}

// parseDemo parses the embedded demo tenant. The tests parse it once per
// process (TestMain memoizes this function): no command changes the demo
// tenant (assign and unassign require --tenant), and under the race
// detector each parse takes half a second.
var parseDemo = func() (*tenant.Tenant, error) { return tenant.Parse(dispatch.DemoTenant) }

// writeJSON writes v as indented JSON with a final newline, without
// encoding/json's HTML escaping: "Lakewood & Golden" stays readable.
func writeJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// writeRawJSON indents already encoded JSON and undoes its HTML escaping.
func writeRawJSON(w io.Writer, raw []byte) error {
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		return err
	}
	buf.WriteByte('\n')
	_, err := w.Write(unescapeHTML(buf.Bytes()))
	return err
}

// unescapeHTML turns the escapes \u0026, \u003c and \u003e of valid JSON
// back into &, < and >. Other escapes, and an escaped backslash followed by
// "u0026", are left alone.
func unescapeHTML(b []byte) []byte {
	out := b[:0:0]
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' || i+1 >= len(b) {
			out = append(out, b[i])
			continue
		}
		if b[i+1] == 'u' && i+6 <= len(b) {
			switch strings.ToLower(string(b[i+2 : i+6])) {
			case "0026":
				out, i = append(out, '&'), i+5
				continue
			case "003c":
				out, i = append(out, '<'), i+5
				continue
			case "003e":
				out, i = append(out, '>'), i+5
				continue
			}
		}
		out = append(out, b[i], b[i+1]) // an escape: keep both bytes
		i++
	}
	return out
}

// writeOutput writes to the file at path atomically, or to stdout when
// path is empty or "-".
func writeOutput(e *env, path string, write func(io.Writer) error) error {
	if path == "" || path == "-" {
		return write(e.stdout)
	}
	return atomicfile.Write(path, 0o644, write)
}

// instant parses a date-time flag: RFC 3339 with any offset, a date (its
// local midnight in loc) or a local date-time such as 2027-03-09T08:00
// read in loc (see hours.ParseInstantIn). A bad value is a usage error
// naming the flag.
func instant(flagName, s string, loc *time.Location) (time.Time, error) {
	t, err := hours.ParseInstantIn(s, loc)
	if err != nil {
		return time.Time{}, usagef("--%s: %v", flagName, err)
	}
	return t, nil
}

// bound parses a date-time flag that bounds a range (--from, --to,
// --starts-on-or-after, ...) as instant does, except that a fraction of a
// second is taken, as the API takes it, and rounded to the whole second
// that selects the same instants (see hours.ParseBoundIn): up when
// instants must be at or after the bound, or before it; down when they
// must be at or before it. A record's instant (a shift's start, --now)
// is read by instant, which refuses a fraction.
func bound(flagName, s string, loc *time.Location, up bool) (time.Time, error) {
	t, err := hours.ParseBoundIn(s, loc, up)
	if err != nil {
		return time.Time{}, usagef("--%s: %v", flagName, err)
	}
	return t, nil
}

// optBound is bound for an optional flag: "" gives the zero time.
func optBound(flagName, s string, loc *time.Location, up bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return bound(flagName, s, loc, up)
}

// optInstant is instant for an optional flag: "" gives the zero time.
func optInstant(flagName, s string, loc *time.Location) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return instant(flagName, s, loc)
}

// date parses a date flag (YYYY-MM-DD, years 1900–2199); a bad value is a
// usage error naming the flag.
func date(flagName, s string) (hours.Date, error) {
	d, err := hours.ParseDate(s)
	if err == nil {
		y, _, _ := d.Civil()
		if y < 1900 || y > 2199 {
			err = fmt.Errorf("hours: date %q is outside the supported years 1900–2199", s)
		}
	}
	if err != nil {
		return 0, usagef("--%s: %v", flagName, err)
	}
	return d, nil
}

// timeHelp is the help text shared by date-time flags.
const timeHelp = "RFC 3339 `time` (any offset), date (its local midnight) or local date-time such as 2027-03-09T08:00"

// flagValueError is a flag value refused by its own Set method: parse
// reports it as "--name: message", the form every flag error takes.
type flagValueError struct{ msg string }

func (e flagValueError) Error() string { return e.msg }

// repeatable marks a flag.Value that may be given more than once (a list
// such as serve's --tenant). Every other flag given twice is refused.
type repeatable interface{ repeatable() }

func (*multiFlag) repeatable() {}

// counted wraps a flag's value while parse runs: it counts the times the
// flag is set, notes an empty value and keeps the message of a
// flagValueError.
type counted struct {
	flag.Value
	n     int
	empty bool // set to "" at least once
	err   *string
}

func (c *counted) Set(s string) error {
	c.n++
	c.empty = c.empty || s == ""
	err := c.Value.Set(s)
	var fe flagValueError
	if errors.As(err, &fe) && *c.err == "" {
		*c.err = fe.msg
	}
	return err
}

// emptyMeans names the flags whose empty value means something: an empty
// list (--skills "" clears a technician's skills, --zones "" lets it serve
// every zone, --business-units "" is every unit) or an empty text (a
// shift's --title and --note). Any other flag given as "" is a usage
// error: an unset shell variable ("--tenant $FILE") must not stand for
// the flag left out (the demo tenant, stdout, the clock, every network
// interface).
var emptyMeans = map[string]bool{"business-units": true, "note": true, "skills": true, "title": true, "zones": true}

// dashed is a flag's name as the user types it: -o, --tenant.
func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// countedBool is counted for a boolean flag (one that takes no value).
type countedBool struct{ *counted }

func (c countedBool) IsBoolFlag() bool { return true }

// given reports whether the flag name was set on the command line (as
// opposed to keeping its default).
func given(fs *flag.FlagSet, name string) bool {
	found := false
	fs.Visit(func(f *flag.Flag) { found = found || f.Name == name })
	return found
}

// checkOut checks an output path before any work is done: "" and "-" are
// stdout; otherwise the path must not be a directory and its directory
// must exist.
func checkOut(flagName, path string) error {
	if path == "" || path == "-" {
		return nil
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return usagef("-%s %s: is a directory", flagName, path)
	}
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return usagef("-%s %s: no such directory %s", flagName, path, dir)
	case err != nil:
		return usagef("-%s %s: %v", flagName, path, err)
	case !st.IsDir():
		return usagef("-%s %s: %s is not a directory", flagName, path, dir)
	}
	return nil
}
