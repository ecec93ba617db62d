package main

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/opendispatch/dispatch/sim"
)

// fileKind says what kind of dispatch file data holds, from its top-level
// members: "a simulation result", "an optimize result", "an optimize
// scenario", "a simulation scenario" or "a tenant file"; "" when it is
// not a JSON object or none of these (strict decoding then says what is
// wrong). It lets a command that expects one kind say in one line that it
// was given another, rather than list every member as unknown.
func fileKind(data []byte) string {
	var top map[string]json.RawMessage
	if json.Unmarshal(data, &top) != nil {
		return ""
	}
	has := func(keys ...string) bool {
		for _, k := range keys {
			if _, ok := top[k]; ok {
				return true
			}
		}
		return false
	}
	switch {
	case has("spec") && has("configurations", "complete", "runs"):
		return "an optimize result"
	case has("runs") && has("labels", "scenario"):
		return "a simulation result"
	case has("levers", "targets"):
		return "an optimize scenario"
	case has("version") && has("technicians", "businessUnits", "zones"):
		return "a tenant file"
	case has("start", "days", "demand", "roster", "variants", "booking"):
		return "a simulation scenario"
	}
	return ""
}

// wrongKind returns an error naming path when data is a dispatch file of
// another kind than want (such as "a partial simulation result"), else nil.
func wrongKind(path string, data []byte, want, wantKind string) error {
	if k := fileKind(data); k != "" && k != wantKind {
		return fmt.Errorf("%s: it is %s, not %s", path, k, want)
	}
	return nil
}

// namePart puts the file name of the part a *sim.PartError is about in
// front of what is wrong with it; other errors pass unchanged.
func namePart(err error, paths []string) error {
	var pe *sim.PartError
	if errors.As(err, &pe) && pe.Part >= 0 && pe.Part < len(paths) {
		return fmt.Errorf("%s: %w", paths[pe.Part], pe.Err)
	}
	return err
}
