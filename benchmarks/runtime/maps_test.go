package runtime

import (
	"strconv"
	"testing"
)

// mapSizes are the map sizes of the map benchmarks: one that fits in a
// single group or bucket and one large enough to leave the CPU caches.
var mapSizes = []int{8, 1 << 16}

// Sinks keep the results of the map benchmarks reachable.
var (
	sinkMap  map[int]int
	sinkInt  int
	sinkBool bool
)

// mapKeys returns n distinct even keys spread over the int range by a
// fixed multiplicative hash (a bijection on uint32), so the order of
// insertion is not sequential and every odd key is a miss.
func mapKeys(n int) []int {
	keys := make([]int, n)
	for i := range keys {
		keys[i] = int(uint32(i)*2654435761) * 2
	}
	return keys
}

// filledMap returns a map holding every key with value i.
func filledMap(keys []int) map[int]int {
	m := make(map[int]int, len(keys))
	for i, k := range keys {
		m[k] = i
	}
	return m
}

// BenchmarkMapInsert measures inserting n int keys into a map made
// without a size hint, including every growth of the table.
func BenchmarkMapInsert(b *testing.B) {
	for _, n := range mapSizes {
		b.Run("n="+strconv.Itoa(n), func(b *testing.B) {
			keys := mapKeys(n)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				m := make(map[int]int)
				for j, k := range keys {
					m[k] = j
				}
				sinkMap = m
			}
		})
	}
}

// BenchmarkMapLookupHit measures one lookup of a key present in a map of
// n entries.
func BenchmarkMapLookupHit(b *testing.B) {
	for _, n := range mapSizes {
		b.Run("n="+strconv.Itoa(n), func(b *testing.B) {
			keys := mapKeys(n)
			m := filledMap(keys)
			b.ReportAllocs()
			b.ResetTimer()
			sum := 0
			for i := 0; i < b.N; i++ {
				sum += m[keys[i%n]]
			}
			sinkInt = sum
		})
	}
}

// BenchmarkMapLookupMiss measures one lookup of a key absent from a map of
// n entries.
func BenchmarkMapLookupMiss(b *testing.B) {
	for _, n := range mapSizes {
		b.Run("n="+strconv.Itoa(n), func(b *testing.B) {
			keys := mapKeys(n)
			m := filledMap(keys)
			// Every key is even, so k+1 is a miss that hashes
			// as unpredictably as the keys do.
			misses := make([]int, n)
			for i, k := range keys {
				misses[i] = k + 1
			}
			b.ReportAllocs()
			b.ResetTimer()
			found := false
			for i := 0; i < b.N; i++ {
				_, ok := m[misses[i%n]]
				found = found || ok
			}
			sinkBool = found
		})
	}
}

// BenchmarkMapIterate measures ranging over every entry of a map of n
// entries.
func BenchmarkMapIterate(b *testing.B) {
	for _, n := range mapSizes {
		b.Run("n="+strconv.Itoa(n), func(b *testing.B) {
			m := filledMap(mapKeys(n))
			b.ReportAllocs()
			b.ResetTimer()
			sum := 0
			for i := 0; i < b.N; i++ {
				for k, v := range m {
					sum += k ^ v
				}
			}
			sinkInt = sum
		})
	}
}

// BenchmarkMapDelete measures deleting one key from a map of n entries and
// inserting it again, so the map keeps its size across iterations.
func BenchmarkMapDelete(b *testing.B) {
	for _, n := range mapSizes {
		b.Run("n="+strconv.Itoa(n), func(b *testing.B) {
			keys := mapKeys(n)
			m := filledMap(keys)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				k := keys[i%n]
				delete(m, k)
				m[k] = i
			}
			sinkMap = m
		})
	}
}
