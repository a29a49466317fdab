// Package bench is a small broken benchmark module for Check's test.
package bench

import "testing"

// Run is a benchmark body shared by tests; its loop is dead. The file is
// loaded twice (the package and its test variant) but reported once.
func Run(b *testing.B) {
	for i := 0; i < b.N; i++ {
		_ = make([]byte, 64)
	}
}
