package stdlib

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"hash/crc32"
	"testing"
)

// BenchmarkSHA256 measures crypto/sha256.Sum256 of random bytes.
func BenchmarkSHA256(b *testing.B) {
	for _, n := range byteSizes {
		b.Run(sizeName(n), func(b *testing.B) {
			data := randomBytes(n, 11)
			b.SetBytes(int64(n))
			b.ReportAllocs()
			b.ResetTimer()
			var sum [sha256.Size]byte
			for i := 0; i < b.N; i++ {
				sum = sha256.Sum256(data)
			}
			sinkBytes = sum[:]
		})
	}
}

// newGCM returns an AES-128-GCM AEAD with a fixed key.
func newGCM(b *testing.B) cipher.AEAD {
	block, err := aes.NewCipher(randomBytes(16, 12))
	if err != nil {
		b.Fatal(err)
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		b.Fatal(err)
	}
	return gcm
}

// BenchmarkAESGCMSeal measures AES-128-GCM encryption and authentication
// of random plaintext into a preallocated buffer.
func BenchmarkAESGCMSeal(b *testing.B) {
	for _, n := range byteSizes {
		b.Run(sizeName(n), func(b *testing.B) {
			gcm := newGCM(b)
			nonce := make([]byte, gcm.NonceSize())
			plaintext := randomBytes(n, 13)
			out := make([]byte, 0, n+gcm.Overhead())
			b.SetBytes(int64(n))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				out = gcm.Seal(out[:0], nonce, plaintext, nil)
			}
			sinkBytes = out
		})
	}
}

// BenchmarkAESGCMOpen measures AES-128-GCM authentication and decryption
// of a sealed message into a preallocated buffer.
func BenchmarkAESGCMOpen(b *testing.B) {
	for _, n := range byteSizes {
		b.Run(sizeName(n), func(b *testing.B) {
			gcm := newGCM(b)
			nonce := make([]byte, gcm.NonceSize())
			sealed := gcm.Seal(nil, nonce, randomBytes(n, 14), nil)
			out := make([]byte, 0, n)
			b.SetBytes(int64(n))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				var err error
				out, err = gcm.Open(out[:0], nonce, sealed, nil)
				if err != nil {
					b.Fatal(err)
				}
			}
			sinkBytes = out
		})
	}
}

// crcTable is the Castagnoli table of BenchmarkCRC32.
var crcTable = crc32.MakeTable(crc32.Castagnoli)

// BenchmarkCRC32 measures hash/crc32 checksums of random bytes with the
// IEEE and the Castagnoli polynomials.
func BenchmarkCRC32(b *testing.B) {
	for _, n := range byteSizes {
		data := randomBytes(n, 15)
		b.Run("IEEE/"+sizeName(n), func(b *testing.B) {
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				sinkUint32 = crc32.ChecksumIEEE(data)
			}
		})
		b.Run("Castagnoli/"+sizeName(n), func(b *testing.B) {
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				sinkUint32 = crc32.Checksum(data, crcTable)
			}
		})
	}
}
