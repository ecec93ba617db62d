// Package validate collects data problems with the JSON path where each was
// found, so that loaders can report every problem at once instead of only
// the first.
//
// A path names a field the way a reader finds it in the file:
// "technicians[3].businessUnitId". [Errors] is the error type every loader
// in this module returns for bad data; callers reach the individual
// problems with errors.As.
package validate
