// Package api implements the nine operations of the Dispatch API contract
// (api/openapi.yaml) over a tenant, with the contract's wire types, so that
// the HTTP server and the command-line program answer with the same bytes;
// and, beside the contract, the extension of capacity adjustments (list,
// create, delete; marked "x-extension: true" in api/openapi.yaml).
//
// # Extensions
//
// Beside the contract it implements the lifecycle extension operations,
// which api/openapi.yaml marks x-extension: true (tag Lifecycle):
// appointments created ([Service.CreateAppointment]), rescheduled and
// canceled; shifts updated, deactivated, reactivated and deleted;
// technicians added, updated, deactivated and reactivated; and lists of
// appointments and technicians. [Service.Assign] and
// [Service.RescheduleAppointment] also return what is wrong with the
// assignments they make or keep ([Warning]): the HTTP server sends it in
// Dispatch-Warning headers, the command line on stderr.
//
// # Input
//
// Inputs arrive as the contract carries them — JSON bodies and query
// parameters as url.Values — and are checked field by field, every problem
// reported with the field it concerns:
//
//   - Bodies are decoded with validate.Unmarshal: keys match exactly (case
//     included), unknown members, duplicate keys and trailing data are
//     errors naming the JSON path.
//   - Every date-time (shift start and end, capacity bounds, the
//     startsOnOrAfter, endsOnOrBefore, modifiedOnOrAfter, fromUtc and toUtc
//     filters) is RFC 3339 read with hours.ParseInstant: years 1900–2199.
//   - page and pageSize are read with paging.Parse: absent takes the
//     default (1 and 50); 0, negative, not an integer, a size above 500 or a
//     page too large for its offset is an error, never a silent default.
//   - An unknown query parameter, or a known one given twice, is an error.
//
// # Errors
//
// Errors map onto HTTP statuses with [Status]: bad input 400, unknown ids
// 404, conflicts 409. [Problems] gives the field-level messages of a
// problem document in the order they were found ([Fields] keyed by field).
//
// # Output
//
// Times go out in RFC 3339 in the tenant's local offset (GPS times in UTC);
// lists are in stable order, so identical state gives identical bytes.
package api
