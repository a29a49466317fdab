package stdlib

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
	"testing"
)

// gzipSize is the size of the text the gzip benchmarks compress.
const gzipSize = 64 << 10

// BenchmarkGzipCompress measures compress/gzip at the default level on
// 64 KB of generated text, reusing the writer with Reset.
func BenchmarkGzipCompress(b *testing.B) {
	text := textBytes(gzipSize, 21)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	b.SetBytes(gzipSize)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		buf.Reset()
		zw.Reset(&buf)
		if _, err := zw.Write(text); err != nil {
			b.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			b.Fatal(err)
		}
	}
	sinkInt = buf.Len()
}

// BenchmarkGzipDecompress measures compress/gzip decompression of 64 KB of
// generated text, reusing the reader with Reset.
func BenchmarkGzipDecompress(b *testing.B) {
	var compressed bytes.Buffer
	zw := gzip.NewWriter(&compressed)
	if _, err := zw.Write(textBytes(gzipSize, 22)); err != nil {
		b.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		b.Fatal(err)
	}
	src := bytes.NewReader(compressed.Bytes())
	zr, err := gzip.NewReader(src)
	if err != nil {
		b.Fatal(err)
	}
	out := bytes.NewBuffer(make([]byte, 0, gzipSize))
	b.SetBytes(gzipSize)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		src.Reset(compressed.Bytes())
		if err := zr.Reset(src); err != nil {
			b.Fatal(err)
		}
		out.Reset()
		if _, err := io.Copy(out, zr); err != nil {
			b.Fatal(err)
		}
	}
	sinkInt = out.Len()
}

// BenchmarkBufioScanLines measures bufio.Scanner splitting 64 KB of text
// into lines of about 60 bytes.
func BenchmarkBufioScanLines(b *testing.B) {
	text := textBytes(64<<10, 23)
	r := bytes.NewReader(text)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	lines := 0
	for i := 0; i < b.N; i++ {
		r.Reset(text)
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			lines += len(sc.Bytes()) & 1
		}
		if err := sc.Err(); err != nil {
			b.Fatal(err)
		}
	}
	sinkInt = lines
}

// onlyReader hides every method but Read, so io.Copy cannot take the
// WriterTo or ReaderFrom shortcuts and must use its buffer.
type onlyReader struct{ io.Reader }

// BenchmarkIOCopy measures io.Copy from a reader to a writer that offer no
// shortcut interfaces, so io.Copy moves the bytes through its own 32 KB
// buffer.
func BenchmarkIOCopy(b *testing.B) {
	for _, n := range []int{4 << 10, 1 << 20} {
		b.Run(sizeName(n), func(b *testing.B) {
			data := randomBytes(n, 24)
			r := bytes.NewReader(data)
			dst := bytes.NewBuffer(make([]byte, 0, n))
			b.SetBytes(int64(n))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				r.Reset(data)
				dst.Reset()
				if _, err := io.Copy(onlyWriter{dst}, onlyReader{r}); err != nil {
					b.Fatal(err)
				}
			}
			sinkInt = dst.Len()
		})
	}
}

// onlyWriter hides every method but Write, like onlyReader.
type onlyWriter struct{ io.Writer }
