// Package core holds the allocation benchmarks every version of perftrack
// has tracked: small, large and map allocations, slice growth and GC churn.
package core
