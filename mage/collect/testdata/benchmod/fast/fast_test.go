package fast

import (
	"strconv"
	"testing"
	"time"
)

var sink int

func BenchmarkFast(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sink += i
	}
}

func BenchmarkSub(b *testing.B) {
	for _, n := range []int{1, 2} {
		b.Run("n="+strconv.Itoa(n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				sink += i * n
			}
		})
	}
}

func BenchmarkPanic(b *testing.B) {
	panic("this benchmark always panics")
}

func BenchmarkHang(b *testing.B) {
	time.Sleep(time.Hour)
}

func TestNotRun(t *testing.T) {
	t.Fatal("collect must not run tests")
}
