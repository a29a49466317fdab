package hash

import (
	"crypto/sha256"
	"hash/fnv"
	"testing"
)

var (
	sinkSum [32]byte
	sinkU64 uint64
	input   = make([]byte, 1024)
)

// BenchmarkSHA256 measures hashing 1 KiB with SHA-256.
func BenchmarkSHA256(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(input)))
	for i := 0; i < b.N; i++ {
		sinkSum = sha256.Sum256(input)
	}
}

// BenchmarkFNV measures hashing 1 KiB with 64-bit FNV-1a.
func BenchmarkFNV(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(input)))
	h := fnv.New64a()
	for i := 0; i < b.N; i++ {
		h.Reset()
		h.Write(input)
		sinkU64 = h.Sum64()
	}
}
