module github.com/perftrack/perftrack/benchmarks

go 1.23
