// Package httpapi serves the Dispatch API contract (api/openapi.yaml) over
// HTTP for any number of tenants, at /dispatch/v2/tenant/{tenant}/…, with
// the security and limits of the real service, so integrators can develop
// against a local, deterministic server.
//
// # Security
//
// Clients authenticate with OAuth 2.0 client credentials at POST
// /connect/token and call the API with the bearer token and their
// ST-App-Key header. A missing, unknown or expired token is 401 with
// WWW-Authenticate; a missing or wrong app key, or a tenant the client may
// not reach, is 403. Secrets are stored as SHA-256 hashes, compared in
// constant time and never logged; tokens are 256 random bits from
// crypto/rand and expire (15 minutes by default).
//
// # Limits
//
// Bodies over 1 MiB are 413. Each (app key, tenant) has a token bucket (60
// requests a second by default); past it, 429 with Retry-After.
//
// # Errors
//
// Every error is a JSON problem document: type, title, status, traceId and
// errors keyed by field ("pageSize": ["api: 501 is above the maximum 500"];
// "$" for the body as a whole).
//
// # Durability
//
// With a [Journal], every acknowledged change (shifts created,
// assignments, unassignments) is appended to the tenant's journal and
// fsynced before the reply, and replayed at start; a torn last record is
// detected by its checksum and dropped. Without one, state lives in memory.
//
// # Concurrency
//
// Reads run in parallel; changes to one tenant are serialized so that the
// journal's order is the order they were applied in.
package httpapi
