module example.com/loop124

go 1.24
