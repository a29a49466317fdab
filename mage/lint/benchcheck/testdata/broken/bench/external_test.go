package bench_test

import (
	"strconv"
	"testing"
)

// BenchmarkExternal lives in the external test package.
func BenchmarkExternal(b *testing.B) {
	for i := range b.N {
		strconv.Itoa(i)
	}
}
