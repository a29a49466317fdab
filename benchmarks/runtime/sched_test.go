package runtime

import (
	"strconv"
	"sync"
	"testing"
)

// BenchmarkGoroutineCreateJoin measures starting a goroutine and waiting
// for it to finish with a sync.WaitGroup.
func BenchmarkGoroutineCreateJoin(b *testing.B) {
	b.ReportAllocs()
	var wg sync.WaitGroup
	var total int
	for i := 0; i < b.N; i++ {
		wg.Add(1)
		go func() {
			total++
			wg.Done()
		}()
		wg.Wait()
	}
	sinkInt = total
}

// BenchmarkChanPingPong measures one round trip between two goroutines
// over a pair of channels: a send and a receive in each direction. The
// unbuffered case forces a goroutine switch per message; the buffered
// case (capacity 1) shows the cost without rendezvous.
func BenchmarkChanPingPong(b *testing.B) {
	for _, capacity := range []int{0, 1} {
		name := "unbuffered"
		if capacity > 0 {
			name = "buffered=" + strconv.Itoa(capacity)
		}
		b.Run(name, func(b *testing.B) {
			ping := make(chan int, capacity)
			pong := make(chan int, capacity)
			done := make(chan struct{})
			go func() {
				defer close(done)
				for v := range ping {
					pong <- v + 1
				}
			}()
			b.ReportAllocs()
			b.ResetTimer()
			sum := 0
			for i := 0; i < b.N; i++ {
				ping <- i
				sum += <-pong
			}
			b.StopTimer()
			close(ping)
			<-done
			sinkInt = sum
		})
	}
}

// BenchmarkChanBufferedBatch measures sending 1000 values through a
// channel of capacity 128 to a receiving goroutine, the producer and
// consumer pattern where the buffer absorbs most switches.
func BenchmarkChanBufferedBatch(b *testing.B) {
	const batch = 1000
	b.ReportAllocs()
	ch := make(chan int, 128)
	result := make(chan int)
	go func() {
		sum, n := 0, 0
		for v := range ch {
			sum += v
			n++
			if n == batch {
				result <- sum
				sum, n = 0, 0
			}
		}
		close(result)
	}()
	b.ResetTimer()
	total := 0
	for i := 0; i < b.N; i++ {
		for j := 0; j < batch; j++ {
			ch <- j
		}
		total += <-result
	}
	b.StopTimer()
	close(ch)
	<-result
	sinkInt = total
}

// BenchmarkSelect measures a select over four buffered channels of which
// exactly one is ready, the ready one rotating each iteration.
func BenchmarkSelect(b *testing.B) {
	b.ReportAllocs()
	var chans [4]chan int
	for i := range chans {
		chans[i] = make(chan int, 1)
	}
	sum := 0
	for i := 0; i < b.N; i++ {
		chans[i%len(chans)] <- i
		select {
		case v := <-chans[0]:
			sum += v
		case v := <-chans[1]:
			sum += v
		case v := <-chans[2]:
			sum += v
		case v := <-chans[3]:
			sum += v
		}
	}
	sinkInt = sum
}
