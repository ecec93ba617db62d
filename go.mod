module github.com/opendispatch/dispatch

go 1.26

require (
	github.com/google/go-cmp v0.7.0 // indirect
	github.com/leanovate/gopter v0.2.11 // indirect
)
