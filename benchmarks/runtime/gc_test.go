package runtime

import (
	"runtime"
	"strconv"
	"testing"
)

// node is a binary tree node: two pointers and a payload, the shape of
// most pointer-heavy heaps the collector has to trace.
type node struct {
	left, right *node
	value       int
}

// sinkNode keeps the trees built by the GC benchmarks reachable until the
// next iteration replaces them.
var sinkNode *node

// buildTree allocates a complete binary tree of the given depth.
func buildTree(depth int) *node {
	if depth == 0 {
		return &node{value: 1}
	}
	return &node{left: buildTree(depth - 1), right: buildTree(depth - 1), value: depth}
}

// BenchmarkGCTreeAlloc measures allocating a complete binary tree of
// short-lived nodes, so the time includes the garbage collections that
// reclaim the previous trees.
func BenchmarkGCTreeAlloc(b *testing.B) {
	for _, depth := range []int{10, 16} {
		b.Run("depth="+strconv.Itoa(depth), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				sinkNode = buildTree(depth)
			}
		})
	}
}

// liveHeap is the long-lived part of BenchmarkGCLiveHeap's heap; it stays
// reachable so every collection has to mark it.
var liveHeap []*node

// sinkSmall keeps the short-lived allocations of BenchmarkGCLiveHeap
// reachable until they are overwritten.
var sinkSmall [64]*node

// BenchmarkGCLiveHeap measures small short-lived allocations while a
// pointer-rich live heap of about 32 MiB exists, so each collection cycle
// must mark the whole live heap: the pattern behind GC pause and
// assist-time regressions.
func BenchmarkGCLiveHeap(b *testing.B) {
	// 1<<20 nodes of 32 bytes (24 bytes rounded up to a size class),
	// held through one slice.
	liveHeap = make([]*node, 1<<20)
	for i := range liveHeap {
		liveHeap[i] = &node{value: i}
		if i > 0 {
			liveHeap[i].left = liveHeap[i-1]
		}
	}
	b.Cleanup(func() { liveHeap = nil })
	runtime.GC()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sinkSmall[i%len(sinkSmall)] = &node{value: i}
	}
}
