package stdlib

import (
	"math/rand"
	"strconv"
	"strings"
)

// Sinks keep benchmark results reachable so the compiler cannot delete
// the work that produced them.
var (
	sinkBytes  []byte
	sinkString string
	sinkInt    int
	sinkUint32 uint32
	sinkBool   bool
	sinkAny    any
)

// byteSizes are the input sizes of the throughput benchmarks: small
// enough to stay in L1, and large enough to stream.
var byteSizes = []int{1 << 10, 64 << 10}

// sizeName names a sub-benchmark by its input size, e.g. "1KB", "64KB".
func sizeName(n int) string {
	if n%(1<<20) == 0 {
		return strconv.Itoa(n>>20) + "MB"
	}
	if n%(1<<10) == 0 {
		return strconv.Itoa(n>>10) + "KB"
	}
	return strconv.Itoa(n) + "B"
}

// randomBytes returns n bytes from a generator with a fixed seed, the
// same on every run and toolchain.
func randomBytes(n int, seed int64) []byte {
	r := rand.New(rand.NewSource(seed))
	p := make([]byte, n)
	for i := range p {
		p[i] = byte(r.Intn(256))
	}
	return p
}

// words is the vocabulary of textBytes.
var words = strings.Fields(`the quick brown fox jumps over a lazy dog while
benchmark results compare toolchains across releases garbage collector
runtime scheduler compiler inliner escape analysis allocation channel
goroutine mutex atomic network handshake certificate`)

// textBytes returns about n bytes of English-like text in lines of about
// 60 characters, generated from a fixed seed: compressible and
// searchable like real text.
func textBytes(n int, seed int64) []byte {
	r := rand.New(rand.NewSource(seed))
	var sb strings.Builder
	line := 0
	for sb.Len() < n {
		w := words[r.Intn(len(words))]
		sb.WriteString(w)
		line += len(w) + 1
		if line > 60 {
			sb.WriteByte('\n')
			line = 0
		} else {
			sb.WriteByte(' ')
		}
	}
	return []byte(sb.String()[:n])
}
