package stdlib

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"testing"
	"time"
)

// Order is a realistic API payload: nested structs, a slice of items,
// a map, strings, numbers, a time and an optional field.
type Order struct {
	ID        int64             `json:"id"`
	Customer  Customer          `json:"customer"`
	Items     []Item            `json:"items"`
	Total     float64           `json:"total"`
	Currency  string            `json:"currency"`
	Paid      bool              `json:"paid"`
	CreatedAt time.Time         `json:"created_at"`
	Tags      []string          `json:"tags"`
	Meta      map[string]string `json:"meta"`
	Note      *string           `json:"note,omitempty"`
}

// Customer is the buyer of an Order.
type Customer struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
	City  string `json:"city"`
}

// Item is one line of an Order.
type Item struct {
	SKU      string  `json:"sku"`
	Name     string  `json:"name"`
	Quantity int     `json:"quantity"`
	Price    float64 `json:"price"`
}

// newOrder returns the fixed Order of the JSON benchmarks, with 20 items.
func newOrder() Order {
	note := "leave at the door"
	o := Order{
		ID:        123456789,
		Customer:  Customer{ID: 42, Name: "Ada Lovelace", Email: "ada@example.com", City: "London"},
		Currency:  "EUR",
		Paid:      true,
		CreatedAt: time.Date(2026, 8, 21, 12, 30, 0, 0, time.UTC),
		Tags:      []string{"priority", "gift", "repeat-customer"},
		Meta:      map[string]string{"channel": "web", "campaign": "autumn", "ab": "b"},
		Note:      &note,
	}
	for i := 0; i < 20; i++ {
		price := float64(100+i*37) / 10
		o.Items = append(o.Items, Item{SKU: "SKU-" + sizeName(1000+i), Name: words[i%len(words)], Quantity: 1 + i%3, Price: price})
		o.Total += price * float64(1+i%3)
	}
	return o
}

// BenchmarkJSONMarshal measures encoding/json.Marshal of an order with 20
// items (about 2 KB of JSON).
func BenchmarkJSONMarshal(b *testing.B) {
	o := newOrder()
	data, err := json.Marshal(o)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		data, err = json.Marshal(&o)
		if err != nil {
			b.Fatal(err)
		}
	}
	sinkBytes = data
}

// BenchmarkJSONUnmarshal measures encoding/json.Unmarshal of an order with
// 20 items (about 2 KB of JSON) into a fresh struct.
func BenchmarkJSONUnmarshal(b *testing.B) {
	data, err := json.Marshal(newOrder())
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var o Order
		if err := json.Unmarshal(data, &o); err != nil {
			b.Fatal(err)
		}
		sinkInt += len(o.Items)
	}
}

// header is a fixed-size record for the encoding/binary benchmarks.
type header struct {
	Magic   uint32
	Version uint16
	Flags   uint16
	Length  uint64
	Offsets [8]uint32
}

// BenchmarkBinaryWrite measures encoding/binary.Write of a 48-byte
// fixed-size struct in little-endian order, the reflection-based path.
func BenchmarkBinaryWrite(b *testing.B) {
	h := header{Magic: 0xfeedface, Version: 3, Flags: 5, Length: 1 << 40}
	for i := range h.Offsets {
		h.Offsets[i] = uint32(i * 4096)
	}
	var buf bytes.Buffer
	b.SetBytes(int64(binary.Size(h)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		buf.Reset()
		if err := binary.Write(&buf, binary.LittleEndian, &h); err != nil {
			b.Fatal(err)
		}
	}
	sinkInt = buf.Len()
}

// BenchmarkBinaryUvarint measures encoding 1024 integers of mixed
// magnitude with binary.AppendUvarint and decoding them with
// binary.Uvarint.
func BenchmarkBinaryUvarint(b *testing.B) {
	values := make([]uint64, 1024)
	for i := range values {
		values[i] = uint64(i) * uint64(i) * 2654435761 >> (i % 48)
	}
	buf := make([]byte, 0, len(values)*binary.MaxVarintLen64)
	b.ReportAllocs()
	b.ResetTimer()
	var sum uint64
	for i := 0; i < b.N; i++ {
		buf = buf[:0]
		for _, v := range values {
			buf = binary.AppendUvarint(buf, v)
		}
		for p := buf; len(p) > 0; {
			v, n := binary.Uvarint(p)
			sum += v
			p = p[n:]
		}
	}
	sinkInt = int(sum)
}

// BenchmarkBase64Encode measures base64.StdEncoding.Encode of random
// bytes into a preallocated buffer.
func BenchmarkBase64Encode(b *testing.B) {
	for _, n := range byteSizes {
		b.Run(sizeName(n), func(b *testing.B) {
			src := randomBytes(n, 1)
			dst := make([]byte, base64.StdEncoding.EncodedLen(n))
			b.SetBytes(int64(n))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				base64.StdEncoding.Encode(dst, src)
			}
			sinkBytes = dst
		})
	}
}

// BenchmarkBase64Decode measures base64.StdEncoding.Decode of encoded
// random bytes into a preallocated buffer.
func BenchmarkBase64Decode(b *testing.B) {
	for _, n := range byteSizes {
		b.Run(sizeName(n), func(b *testing.B) {
			src := []byte(base64.StdEncoding.EncodeToString(randomBytes(n, 2)))
			dst := make([]byte, n)
			b.SetBytes(int64(n))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				m, err := base64.StdEncoding.Decode(dst, src)
				if err != nil {
					b.Fatal(err)
				}
				sinkInt = m
			}
			sinkBytes = dst
		})
	}
}
