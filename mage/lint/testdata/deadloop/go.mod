module example.com/deadloop

go 1.23
