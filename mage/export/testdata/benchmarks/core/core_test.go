package core

import "testing"

// BenchmarkAlloc measures one small heap allocation. It is the baseline of
// the suite.
func BenchmarkAlloc(b *testing.B) {}

// BenchmarkMap measures filling a map with 100 entries.
func BenchmarkMap(b *testing.B) {}

func BenchmarkUndocumented(b *testing.B) {}
