// Package fragile fails to build under the fake "broken" toolchain of the
// tests, whose go command refuses to build it.
package fragile

import "testing"

var sink []byte

func BenchmarkFragile(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		sink = make([]byte, 16)
	}
}
