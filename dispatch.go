// Package dispatch is the root of opendispatch, an open capacity engine and
// what-if simulator for field-service dispatch. It embeds the demo tenant;
// the engine itself lives in the packages below (start with capacity).
package dispatch

import _ "embed"

// DemoTenant is the demo tenant file (testdata/tenants/demo.json): a
// Denver-area HVAC, plumbing and electrical contractor with 25 technicians
// over the two weeks from Monday 2027-03-08, which include the US
// spring-forward change. Load it with tenant.Parse.
//
//go:embed testdata/tenants/demo.json
var DemoTenant []byte
