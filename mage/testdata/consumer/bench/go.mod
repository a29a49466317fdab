module example.com/consumer/bench

go 1.23
