module example.com/loop123

go 1.23
