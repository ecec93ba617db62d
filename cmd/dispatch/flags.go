package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
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

// parse parses the command's flags, turning -h into helpShown and bad
// flags into a usage error. Positional arguments are refused unless
// allowArgs.
func parse(fs *flag.FlagSet, args []string, allowArgs bool) error {
	fs.SetOutput(io.Discard) // errors are reported once, by run
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.Usage()
		return helpShown{}
	case err != nil:
		return usagef("%v", err)
	case !allowArgs && fs.NArg() > 0:
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

// loadTenant loads the tenant file at path, or the embedded demo tenant
// when path is empty.
func loadTenant(path string, opts ...capacity.Option) (*tenant.Tenant, error) {
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

// writeJSON writes v as indented JSON with a final newline.
func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// writeRawJSON indents already encoded JSON.
func writeRawJSON(w io.Writer, raw []byte) error {
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		return err
	}
	buf.WriteByte('\n')
	_, err := w.Write(buf.Bytes())
	return err
}

// writeOutput writes to the file at path atomically, or to stdout when
// path is empty or "-".
func writeOutput(e *env, path string, write func(io.Writer) error) error {
	if path == "" || path == "-" {
		return write(e.stdout)
	}
	return atomicfile.Write(path, 0o644, write)
}

// ids parses a comma-separated list of positive integers.
func ids(flagName, s string) ([]int64, error) {
	if s == "" {
		return nil, nil
	}
	var out []int64
	for _, part := range strings.Split(s, ",") {
		n, err := strconv.ParseInt(strings.TrimSpace(part), 10, 64)
		if err != nil || n <= 0 {
			return nil, usagef("--%s: %q is not a positive integer", flagName, part)
		}
		out = append(out, n)
	}
	return out, nil
}

// instant parses an RFC 3339 date-time, or a date (YYYY-MM-DD) meaning its
// first instant in loc.
func instant(flagName, s string, loc *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	d, err := hours.ParseDate(s)
	if err != nil {
		return time.Time{}, usagef("--%s: %q is neither an RFC 3339 date-time nor a date YYYY-MM-DD", flagName, s)
	}
	return time.Unix(hours.DayStart(loc, d), 0).In(loc), nil
}
