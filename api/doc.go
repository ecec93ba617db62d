// Package api implements the nine operations of the Dispatch API contract
// (api/openapi.yaml) over a tenant, with the contract's wire types, so that
// the HTTP server and the command-line program answer with the same bytes.
//
// Inputs arrive as the contract carries them — JSON bodies and query
// parameters as url.Values — and are checked field by field. Errors map
// onto HTTP statuses with [Status]: bad input 400, unknown ids 404,
// conflicts 409; [Fields] gives the field-level messages of a problem
// document.
//
// Times go out in RFC 3339 in the tenant's local offset (GPS times in UTC);
// lists are in stable order, so identical state gives identical bytes.
package api
