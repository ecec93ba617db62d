// Package shellwords splits a command line as a POSIX shell would for the
// command lines the project's documentation shows: words separated by
// spaces, a part quoted with '…' or "…" kept whole (no escapes, no
// variables, no globbing). Tests use it to run the examples of the README
// and of the command's help as a reader would type them.
package shellwords
