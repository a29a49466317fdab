package runtime

import (
	"bytes"
	"sync"
	"sync/atomic"
	"testing"
)

// BenchmarkMutexContended measures a sync.Mutex lock, counter increment
// and unlock with every P competing for the same mutex.
func BenchmarkMutexContended(b *testing.B) {
	b.ReportAllocs()
	var mu sync.Mutex
	counter := 0
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			mu.Lock()
			counter++
			mu.Unlock()
		}
	})
	sinkInt = counter
}

// BenchmarkRWMutexReadMostly measures a sync.RWMutex under a read-mostly
// load from every P: 99 read-locked lookups for each write-locked update.
func BenchmarkRWMutexReadMostly(b *testing.B) {
	b.ReportAllocs()
	var mu sync.RWMutex
	table := make([]int, 64)
	var total atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		local, i := 0, 0
		for pb.Next() {
			if i%100 == 0 {
				mu.Lock()
				table[i%len(table)]++
				mu.Unlock()
			} else {
				mu.RLock()
				local += table[i%len(table)]
				mu.RUnlock()
			}
			i++
		}
		total.Add(int64(local))
	})
	sinkInt = int(total.Load())
}

// BenchmarkAtomicAdd measures atomic.Int64.Add, uncontended on one
// goroutine and contended with every P adding to the same word.
func BenchmarkAtomicAdd(b *testing.B) {
	b.Run("uncontended", func(b *testing.B) {
		b.ReportAllocs()
		var n atomic.Int64
		for i := 0; i < b.N; i++ {
			n.Add(1)
		}
		sinkInt = int(n.Load())
	})
	b.Run("contended", func(b *testing.B) {
		b.ReportAllocs()
		var n atomic.Int64
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				n.Add(1)
			}
		})
		sinkInt = int(n.Load())
	})
}

// BenchmarkAtomicCompareAndSwap measures a successful
// atomic.Uint64.CompareAndSwap on an uncontended word.
func BenchmarkAtomicCompareAndSwap(b *testing.B) {
	b.ReportAllocs()
	var v atomic.Uint64
	for i := 0; i < b.N; i++ {
		old := v.Load()
		if !v.CompareAndSwap(old, old+1) {
			b.Fatal("uncontended CompareAndSwap failed")
		}
	}
	sinkInt = int(v.Load())
}

// bufferPool is the sync.Pool of BenchmarkSyncPool.
var bufferPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// BenchmarkSyncPool measures getting a buffer from a sync.Pool, writing
// 64 bytes to it and putting it back, from every P at once.
func BenchmarkSyncPool(b *testing.B) {
	b.ReportAllocs()
	payload := bytes.Repeat([]byte("x"), 64)
	var total atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		n := 0
		for pb.Next() {
			buf := bufferPool.Get().(*bytes.Buffer)
			buf.Reset()
			buf.Write(payload)
			n += buf.Len()
			bufferPool.Put(buf)
		}
		total.Add(int64(n))
	})
	sinkInt = int(total.Load())
}
