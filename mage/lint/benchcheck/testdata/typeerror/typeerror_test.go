package typeerror

import "testing"

// BenchmarkUndefined does not compile.
func BenchmarkUndefined(b *testing.B) {
	undefined()
}
