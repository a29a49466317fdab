// Package hash benchmarks the hashes this example repository depends on.
package hash
