package stdlib

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkStrconv measures strconv's integer and float conversions in
// both directions, one conversion per iteration.
func BenchmarkStrconv(b *testing.B) {
	b.Run("Itoa", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			sinkString = strconv.Itoa(i * 7919)
		}
	})
	b.Run("Atoi", func(b *testing.B) {
		b.ReportAllocs()
		sum := 0
		for i := 0; i < b.N; i++ {
			n, err := strconv.Atoi("-1234567890")
			if err != nil {
				b.Fatal(err)
			}
			sum += n
		}
		sinkInt = sum
	})
	b.Run("FormatFloat", func(b *testing.B) {
		b.ReportAllocs()
		buf := make([]byte, 0, 64)
		for i := 0; i < b.N; i++ {
			buf = strconv.AppendFloat(buf[:0], float64(i)*1.000123456789, 'g', -1, 64)
		}
		sinkBytes = buf
	})
	b.Run("ParseFloat", func(b *testing.B) {
		b.ReportAllocs()
		var sum float64
		for i := 0; i < b.N; i++ {
			f, err := strconv.ParseFloat("12345.678901234e-3", 64)
			if err != nil {
				b.Fatal(err)
			}
			sum += f
		}
		sinkInt = int(sum)
	})
}

// BenchmarkSprintf measures fmt.Sprintf with a format mixing a string, an
// integer, a float and a padded hexadecimal value.
func BenchmarkSprintf(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		sinkString = fmt.Sprintf("%s #%d: %.3f ms (%08x)", "request", i, float64(i)/7, i)
	}
}

// BenchmarkStringsBuilder measures building a 64-line string with
// strings.Builder from lines of about 60 bytes, without a size hint.
func BenchmarkStringsBuilder(b *testing.B) {
	lines := strings.Split(string(textBytes(4096, 3)), "\n")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var sb strings.Builder
		for _, l := range lines {
			sb.WriteString(l)
			sb.WriteByte('\n')
		}
		sinkString = sb.String()
	}
}

// BenchmarkStringsIndex measures strings.Index for a 10-byte needle that
// occurs only at the very end of the text, so the whole text is scanned.
func BenchmarkStringsIndex(b *testing.B) {
	for _, n := range byteSizes {
		b.Run(sizeName(n), func(b *testing.B) {
			text := string(textBytes(n-10, 4)) + "XYZZY-1234"
			b.SetBytes(int64(n))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				sinkInt = strings.Index(text, "XYZZY-1234")
			}
		})
	}
}

// BenchmarkBytesCount measures bytes.Count of newlines in text, the
// vectorized single-byte search.
func BenchmarkBytesCount(b *testing.B) {
	for _, n := range byteSizes {
		b.Run(sizeName(n), func(b *testing.B) {
			text := textBytes(n, 5)
			b.SetBytes(int64(n))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				sinkInt = bytes.Count(text, []byte{'\n'})
			}
		})
	}
}

// logPattern matches a log line's timestamp, level and request id.
const logPattern = `^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z (INFO|WARN|ERROR) req=([0-9a-f]{8}) `

// BenchmarkRegexpCompile measures regexp.Compile of a log-line pattern with
// eight capture groups.
func BenchmarkRegexpCompile(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		re, err := regexp.Compile(logPattern)
		if err != nil {
			b.Fatal(err)
		}
		sinkAny = re
	}
}

// BenchmarkRegexpMatch measures matching a compiled log-line pattern: a
// boolean match, and a submatch extraction of eight groups.
func BenchmarkRegexpMatch(b *testing.B) {
	re := regexp.MustCompile(logPattern)
	line := []byte("2026-08-21T12:30:05Z WARN req=0badf00d slow handshake took 1.2s")
	b.Run("Match", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			sinkBool = re.Match(line)
		}
	})
	b.Run("FindSubmatch", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			sinkAny = re.FindSubmatch(line)
		}
	})
}
