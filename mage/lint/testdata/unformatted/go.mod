module example.com/unformatted

go 1.23
