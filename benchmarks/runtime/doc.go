// Package runtime holds benchmarks of the Go runtime and of the code the
// compiler generates for it: garbage collection under churn and with a
// large live heap, maps, goroutines, channels and select, sync and
// sync/atomic, defer, interface method calls and stack growth.
//
// The package is named after the category it tracks; it does not shadow
// the standard runtime package for importers because it has no
// non-test API.
package runtime
