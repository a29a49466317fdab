package codec

import "testing"

// BenchmarkEncode measures encoding a record, reports widgets/op (a custom
// metric) and is described as <img src=x onerror=alert(1)> on purpose. The
// page must show that as text.
func BenchmarkEncode(b *testing.B) {}

// BenchmarkX is only reached through its sub-benchmark named after an HTML
// injection.
func BenchmarkX(b *testing.B) {}
