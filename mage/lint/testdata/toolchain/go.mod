module example.com/toolchain

go 1.23

toolchain go1.26.8
