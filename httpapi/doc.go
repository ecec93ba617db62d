// Package httpapi serves the Dispatch API contract (api/openapi.yaml) over
// HTTP for any number of tenants, with the security and limits of the real
// service, so integrators can develop against a local, deterministic
// server.
//
// # Routes
//
// Every operation is served under both the contract's server URL,
// /dispatch/v2/{tenant}/…, and the real service's,
// /dispatch/v2/tenant/{tenant}/… ([Prefixes]), so a client generated from
// either works unchanged. The two never compete for a path, even for a
// tenant named "tenant": no operation path below the tenant is a segment
// followed by another operation path of the same method, so
// /dispatch/v2/tenant/zones is the zones of tenant "tenant" and
// /dispatch/v2/tenant/tenant/zones the same by the other prefix
// (TestRouteTableExtensions checks it for every operation, path ids
// included). A known path with another method is 405 with Allow (GET
// paths also answer HEAD); a path of no operation is 404.
//
// # Extension operations
//
// Beside the contract's nine operations the server has the lifecycle of
// issue #14, documented in api/openapi.yaml with x-extension: true and tag
// Lifecycle (package api has their wire types):
//
//	GET    /appointments                        list (paged, or ?ids=)
//	POST   /appointments                        create (the caller's id)
//	POST   /appointments/{id}/reschedule        new span and arrival window
//	POST   /appointments/{id}/cancel            stays as history, consumes nothing
//	PATCH  /technician-shifts/{id}              the fields given replace the shift's
//	POST   /technician-shifts/{id}/deactivate   and /reactivate
//	DELETE /technician-shifts/{id}
//	GET    /technicians                         list (paged, or ?ids=)
//	POST   /technicians                         add, active, without shifts
//	PATCH  /technicians/{id}                    name, unit, skills, zones, home
//	POST   /technicians/{id}/deactivate         and /reactivate
//	POST   /journal/compact                     see Compaction
//
// Shift creation is the contract's POST /technician-shifts. Changes are
// journaled and replayed like the contract's; errors are the same problem
// documents (400 bad input, 404 unknown id, 409 a conflict such as
// canceling a canceled appointment). A POST that takes no input accepts an
// empty body without Content-Type, or {}.
//
// # Warnings
//
// An assignment with something wrong — an inactive technician, a missing
// skill, another business unit, outside working time, an overlap — is made
// all the same (dispatchers override), and the contract's response body
// is unchanged; each warning comes as one [WarningHeader] field line,
// "Dispatch-Warning", holding a compact JSON object [api.Warning]
// ({"technicianId", "code", "otherAppointmentId" for overlaps, "message"}),
// non-ASCII escaped so the value is ASCII. Joined with ", " by a proxy,
// the lines read as a JSON array once wrapped in [ and ]. A reschedule
// sends the warnings of the technicians who stay assigned the same way.
//
// # Extension
//
// Beside the contract's nine operations, capacity adjustments (DESIGN §4a
// item 10): GET and POST /capacity-adjustments, DELETE
// /capacity-adjustments/{id}, marked "x-extension: true" in
// api/openapi.yaml. A created adjustment's createdBy is the authenticated
// client and its createdOn the server's clock; both changes are journaled
// like assignments, a creation with the id it got, so that a replay makes
// the same adjustment.
//
// # Security
//
// Clients authenticate with OAuth 2.0 client credentials at POST
// /connect/token (RFC 6749 §4.4): a form body
// (application/x-www-form-urlencoded, not content-coded; anything else is
// invalid_request, and so is any query: parameters and credentials go in
// the body, never the URI, §2.3.1 and §3.2),
// the credentials either in the form or in HTTP Basic — form-urlencoded
// before base64 as §2.3.1 says, so secrets with "+", "/", "=" or "%" work —
// but not in both (invalid_request). A missing grant_type is
// invalid_request, another one unsupported_grant_type; a parameter given
// twice is invalid_request; failed client authentication is 401
// invalid_client with WWW-Authenticate: Basic. Token answers carry
// Cache-Control: no-store. API calls carry the token as Authorization:
// Bearer (the scheme name in any case, RFC 9110 §11.1) and the client's
// ST-App-Key header. A missing, unknown or expired token is 401 with
// WWW-Authenticate; a missing or wrong app key, or a tenant the client may
// not reach, is 403. Secrets are stored as SHA-256 hashes, compared in
// constant time and never logged; tokens are 256 random bits from
// crypto/rand and expire (15 minutes by default). A client's token
// requests are limited at the rate of its API calls ([Config.RateLimit]):
// past it, 429 with Retry-After and the error slow_down, so that a client
// asking for a token per call cannot fill the server with live tokens.
// A token is taken from the Authorization header only, never from the
// query or a form body (an access_token parameter is an unknown one, RFC
// 6750 §2.2 and §2.3 being optional and leaky; without the header, the
// 401 says where the token was and that it is not read). Failed authentications are limited per known
// client id, whatever RateLimit says: [FailedAuthBurst] wrong secrets
// at once, then one more each [FailedAuthEvery] (a right secret in
// between gives none back, and requests sent together count as those
// sent in turn); past that the id is refused (429, slow_down,
// Retry-After) whatever its secret, a right one included, so that a
// guesser is not told when it is right.
// Someone who knows a client's id can thereby hold that client out of
// new tokens while they keep failing (its live tokens still work): the
// price of bounding guesses. An unknown id is refused with 401 as always
// and counted nowhere. A secret should still be random (128 bits or
// more, as dispatch serve's demo secret): an unsalted SHA-256 protects no
// guessable secret from whoever reads the clients file.
//
// Every response, errors and the token endpoint's included, carries
// X-Content-Type-Options: nosniff and Cache-Control: no-store: tenant
// data, tokens and answers that depend on the caller's token stay out of
// shared and browser caches. No header names the server's software.
// TestAuthEveryRoute holds every operation of the route table, under both
// prefixes and with every method, to 401 or 403 without a valid token,
// the client's app key and a tenant the client may reach.
//
// # Browsers
//
// A browser application served from another origin (a dispatch board in
// development on http://localhost:3000, say) may call the server when its
// origin is in [Config.CORSOrigins] ("*" admits any). Its preflight, an
// OPTIONS with Access-Control-Request-Method, is answered 204 with the
// methods the path takes, the request headers the API reads
// (Authorization, Content-Type, ST-App-Key) and a ten-minute max age,
// without a token (a preflight carries none); every response to it,
// errors included, carries Access-Control-Allow-Origin and exposes
// Dispatch-Warning, Retry-After, WWW-Authenticate and Allow. Responses
// vary on Origin unless any origin is admitted. A request from another
// origin, or with CORSOrigins empty, gets no CORS headers (its browser
// then withholds the answer), and an OPTIONS is 405 as on any path that
// does not take it. Tokens are bearer tokens, not cookies: CORS admits no
// credentials, and none are needed.
//
// # Requests
//
// A POST body must be declared application/json (a charset, if given,
// must be UTF-8; no Content-Encoding, so no compressed body is ever
// inflated); anything else — a missing
// Content-Type included, even with an empty body — is 415. Bodies are read
// strictly (exact key case, no unknown or duplicate members), date-times
// must be RFC 3339 within the years 1900–2199 ("t" and "z" may be lower
// case) and a record's instants whole seconds, while a range bound's
// fraction of a second is rounded to the whole second selecting the same
// instants ([hours.ParseBound]), page ≥ 1 and pageSize 1–500 when given (see package
// api). No member is nullable but a technician's "home" (null removes
// it): null elsewhere is a 400 naming the member, and a body of null is a
// 400 naming "$" (every request schema is an object). Free-text fields (names,
// titles, notes, reasons, skills, zips) hold at most [api.MaxText] (1,000)
// characters, and single-line ones no control character but tab. Bodies
// over 1 MiB are 413 — refused unread when the Content-Length says so, so
// that Expect: 100-continue gets no 100 for them; one that does not
// arrive within the server's read timeout (dispatch serve: 15 s) is 408,
// and the connection is closed. [LimitListener] caps the connections
// served at once (dispatch serve --max-connections, 4,096 by default),
// idle keep-alive ones included; when it is full, a connection idle
// between requests is closed to make room for a new one. Each (app key,
// tenant) has a token bucket (60 requests a second by default); past it,
// 429 with Retry-After. Requests refused before authentication (401) are
// not limited: they cost a map lookup.
//
// # Errors
//
// Every error of the API is a JSON problem document (application/problem+json):
// type, title, status, detail, traceId and errors keyed by field ("pageSize":
// ["paging: pageSize 501 is above the maximum 500"]; "$" for the body as a
// whole, a header or a path or query parameter by its name). The type is
// "about:blank" (RFC 9457 §4.2.1: the problems restate their status; the
// contract names no type URIs). The title is the status's reason phrase in
// RFC 9110 ([Title]: "Forbidden", "Content Too Large"), the same for every
// occurrence (RFC 9457 §3.1.3); detail says what is particular ("missing
// or wrong ST-App-Key"), and errors is left out when no field is at fault
// (413, 429). The traceId is the server's random prefix and a count, so
// ids do not repeat across restarts, and the request's log line carries it.
//
// A 415 keys its message at the header at fault, Content-Type or
// Content-Encoding, and says what is taken (RFC 9110 §15.5.16): Accept:
// application/json (and, to a PATCH, Accept-Patch: application/json, RFC
// 5789 §2.2), or Accept-Encoding: identity. A method outside RFC
// 9110's and PATCH ("FROB", or "get": methods are case-sensitive) is 501
// on any path (RFC 9110 §9.1); a known one the path does not take,
// OPTIONS included, is 405 with Allow. Two Authorization headers are a
// 400 with WWW-Authenticate: Bearer error="invalid_request" (RFC 6750
// §3.1). No response carries an ETag, so an If-Match other than "*" can
// never hold: the request is not performed and the answer is 412 keyed at
// If-Match (RFC 9110 §13.1.1; a change is refused before it is tried, a
// read where it would have succeeded). A problem document lists at most
// [MaxProblems] messages, the first found, and at most 32 KiB of them, each message and field name cut to a readable
// length; when some are left out, "omittedErrors" gives their number and
// "detail" says how many there were. (A body's problems past the first
// [validate.MaxProblems] are counted, not kept: a 1 MiB body of unknown
// members costs the server a thousand problems, not ninety thousand.) The token endpoint answers errors as
// RFC 6749 §5.2 JSON instead ({"error", "error_description"}); it defines
// no scopes, and a request with a scope parameter is invalid_scope.
//
// Query parameters are strict: an unknown one, one given twice, an empty
// value ("pageSize=") or a number with a sign ("page=+1") is a 400 naming
// it, and so is any query on an operation that takes none (/zones,
// /business-hours, every POST, PATCH and DELETE). A query that does not
// parse — a bad percent escape ("technicianId=10%1", "page=%zz") or a
// semicolon ("technicianId=101;") — is a 400 naming the parameter (or
// "$query" when its name does not decode) on every operation: a pair is
// never dropped and the rest served. An id filter (technicianId,
// businessUnitId, businessUnitGroupId, ids) takes positive ids only; 0 or
// a negative id is a 400. A path that is not
// clean (a "." or ".." segment, an empty segment, a trailing slash) is a
// 404 problem document, never a redirect.
//
// No request makes the server answer 5xx but the 501 of an unknown
// method (FuzzHTTP holds it to that); only a failure of the machine, a
// journal that cannot be written, is a 500 (its detail, "change not made:
// the server cannot record changes", tells the client that the change did
// not happen and may be sent again). As a safety net, a handler that panics is answered
// with a 500 problem document and the panic is logged with its stack and
// the document's traceId; if the reply had begun, the connection is cut
// instead, so that a client never takes a truncated reply for a whole one.
//
// # Durability
//
// With a [Journal], every acknowledged change (shifts created,
// assignments, unassignments, adjustments created and deleted, the
// extension's lifecycle changes) is appended to the tenant's journal and
// fsynced before the reply, and replayed at start; a torn last record is
// detected by its checksum and dropped, while damage followed by intact
// records stops the start.
//
// The data directory's files are its owner's alone: the directory is
// created 0700, journals, snapshots and locks 0600 (a journal holds the
// tenant's customers). Each tenant served takes an exclusive lock, the
// file "<tenant>.lock" (flock, released by the system when the process
// ends, crashes included), so a second server on the same directory and
// tenant is refused at start instead of interleaving its records and
// compactions with the first's. A journal that is a symbolic link is
// refused, not followed, and so is a tenant id that cannot name a file
// in the directory (blank, "." or "..", with "/", "\" or a control
// character, or over 200 bytes). A journal's first line is a [Header] with the
// SHA-256 of the tenant file ([Fingerprint]); a start with a file of
// another fingerprint is refused ([TenantChangedError], naming both)
// unless [Config.AllowChangedTenant] is set, which replays the changes onto
// the new file and records its fingerprint. A journal written before
// headers existed is treated the same way: it cannot be checked, so it is
// refused until allowed once. Either way a change that no longer applies
// to the file stops the start. Without a journal, state lives in memory.
//
// A change the journal cannot take (a full disk, a read-only directory, a
// failed fsync) is answered with a 500 problem document and not made: the
// journal is cut back to its last intact record and the tenant's state is
// loaded again as a start loads it, so the change does not show and no
// torn record is left under later ones. Until an append succeeds again,
// each change first writes the journal's header again (a record that
// changes nothing) and is refused at once if that fails too, so that a
// full disk does not load the state again for every change. Reads are
// served throughout, and once the disk takes writes again so do changes. Should the state not
// load again, every change is refused until a restart. To load it again,
// the server keeps the tenant file's bytes in memory until the first
// compaction makes a snapshot on disk the base (the size of the file, on
// top of the engine: compact early, or lower --compact-records, for a
// large tenant on a small machine).
//
// A journal removed while serving (by hand, or by a cleaner of old files
// in /tmp) would take changes into a file no start reads: before the next
// change it is written again by a compaction, a snapshot of the tenant's
// state and a new journal naming it, and the server logs a warning. One
// replaced by another file is left alone, and changes are refused with a
// 500 until a restart.
//
// # Compaction
//
// With lifecycle changes a journal grows without end, and a start replays
// all of it. Once a journal holds [Config.CompactAfterRecords] change
// records or [Config.CompactAfterBytes] bytes (10,000 and 16 MiB by
// default; the change that crosses the line waits for it), and on demand
// ([Server.Compact], POST /journal/compact), the server writes the
// tenant's state as its canonical tenant file, the snapshot
// "<tenant>.snapshot-NNNNNN.json" beside the journal, then replaces the
// journal by one whose [Header] names the snapshot and its fingerprint
// and still the fingerprint of the tenant file the history started from.
// Both files are written to a temporary file, fsynced, renamed into place
// and the directory fsynced; the old snapshot is removed last. A
// compaction that fails (no room for the snapshot, a read-only directory)
// leaves the journal as it was, growing, and is logged; the next try
// comes 100 change records later, not at every change. A start
// finds the journal, loads its snapshot (checking its fingerprint; the
// tenant file given is not even parsed) and replays the short journal:
// BenchmarkRestart measures a 20,000-record history start in about 1/40
// of the time it takes to replay it.
//
// A crash at any point recovers the acknowledged state: before the new
// journal's rename the old journal and its snapshot (or the tenant file)
// are intact, and the new snapshot is an unnamed stray; after it, the new
// snapshot is complete. A start removes strays and temporary files. A
// torn last record is dropped as ever (TestCompactionCrashPoints,
// TestDurabilityKill9Compaction). The tenant file must still be the one
// the history started from ([TenantChangedError]); a compacted history
// cannot be replayed onto another file even with
// [Config.AllowChangedTenant] ([CompactedError]): restore the file, or move
// the journal and its snapshot away.
//
// # Logging
//
// With [Config.Logger], one line per request: method, path, status,
// durationMs (milliseconds as a number, to the microsecond), bytes and,
// when the answer is a problem document, its traceId; never headers,
// bodies or query strings.
//
// # Concurrency
//
// Reads run in parallel; changes to one tenant are serialized so that the
// journal's order is the order they were applied in.
package httpapi
