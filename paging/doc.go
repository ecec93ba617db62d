// Package paging implements the contract's paged lists: page numbers from 1,
// a page size of 50 by default and at most 500, and responses that carry
// page, pageSize, hasMore and totalCount beside the data.
package paging
