package stdlib

import (
	"math/rand"
	"slices"
	"sort"
	"strconv"
	"testing"
)

// sortSizes are the slice lengths of the sort benchmarks.
var sortSizes = []int{100, 10000}

// randomInts returns n ints from a generator with a fixed seed.
func randomInts(n int) []int {
	r := rand.New(rand.NewSource(int64(n)))
	s := make([]int, n)
	for i := range s {
		s[i] = r.Int()
	}
	return s
}

// BenchmarkSortInts measures sort.Ints of n random ints; the time includes
// copying the unsorted input into the slice being sorted.
func BenchmarkSortInts(b *testing.B) {
	for _, n := range sortSizes {
		b.Run("n="+strconv.Itoa(n), func(b *testing.B) {
			input := randomInts(n)
			s := make([]int, n)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				copy(s, input)
				sort.Ints(s)
			}
			sinkInt = s[n/2]
		})
	}
}

// BenchmarkSlicesSort measures slices.Sort of n random ints (pdqsort on
// generics); the time includes copying the unsorted input.
func BenchmarkSlicesSort(b *testing.B) {
	for _, n := range sortSizes {
		b.Run("n="+strconv.Itoa(n), func(b *testing.B) {
			input := randomInts(n)
			s := make([]int, n)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				copy(s, input)
				slices.Sort(s)
			}
			sinkInt = s[n/2]
		})
	}
}

// BenchmarkSlicesSortFunc measures slices.SortFunc of n structs by a
// string key then an int key, the comparator-heavy case.
func BenchmarkSlicesSortFunc(b *testing.B) {
	type record struct {
		name string
		age  int
	}
	for _, n := range sortSizes {
		b.Run("n="+strconv.Itoa(n), func(b *testing.B) {
			r := rand.New(rand.NewSource(7))
			input := make([]record, n)
			for i := range input {
				input[i] = record{name: words[r.Intn(len(words))], age: r.Intn(100)}
			}
			s := make([]record, n)
			cmp := func(a, b record) int {
				if a.name != b.name {
					if a.name < b.name {
						return -1
					}
					return 1
				}
				return a.age - b.age
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				copy(s, input)
				slices.SortFunc(s, cmp)
			}
			sinkInt = s[n/2].age
		})
	}
}
