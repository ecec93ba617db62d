// Package gps stores technicians' GPS pings in time order and answers the
// contract's range query.
//
// A [Store] is safe for concurrent use. Times are Unix seconds; the range
// query is half-open, [from, to).
package gps
