package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/internal/base/atomicfile"
	"github.com/opendispatch/dispatch/tenant"
)

// The commands that change a tenant file (adjust, assign, unassign, the
// lifecycle commands) read it with loadTenantToChange and save it with
// saveTenant: a save checks, under a lock file beside the tenant, that
// the file still holds what was read, so that of two commands changing
// one file at once the second fails and says so instead of silently
// dropping the first's change (review 5, finding 5).

// loadTenantToChange is [env.loadTenant] for the tenant file at path
// (required), also returning the stamp of the bytes read for saveTenant.
func (e *env) loadTenantToChange(path string, opts ...capacity.Option) (*tenant.Tenant, atomicfile.Stamp, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, atomicfile.Stamp{}, err
	}
	defer file.Close()
	r := atomicfile.NewReader(file)
	t, err := tenant.Load(r, opts...)
	if err != nil {
		return nil, atomicfile.Stamp{}, fmt.Errorf("%s: %w", path, err)
	}
	stamp, err := r.Stamp()
	if err != nil {
		return nil, atomicfile.Stamp{}, fmt.Errorf("%s: %w", path, err)
	}
	for _, w := range t.Warnings {
		fmt.Fprintf(e.stderr, "dispatch: warning: %s: %s\n", path, oneLine(w.Error()))
	}
	return t, stamp, nil
}

// saveTenant writes t back to path, streamed into a temporary file renamed
// over the tenant, if the file still holds what loadTenantToChange read
// (stamp). On an error the file is left as it was.
func saveTenant(path string, t *tenant.Tenant, stamp atomicfile.Stamp) error {
	err := atomicfile.WriteIfUnchanged(path, 0o644, stamp, t.Save)
	if errors.Is(err, atomicfile.ErrChanged) {
		return fmt.Errorf("the tenant file %s changed since it was read (another command or program saved it): nothing was saved; run the command again", path)
	}
	return err
}

// tenantSaveHelp is the paragraph of a changing command's help about saving.
const tenantSaveHelp = "The save fails, changing nothing, if another command or program changed the file since this\n" +
	"one read it: run the command again. A link to the tenant file is followed; the file keeps its mode.\n" +
	"A read-only file (no write permission at all) is refused."
