// The test benchmark module of package collect. Its go line is newer than
// any toolchain, so every test run exercises the lowered -modfile build.
module example.com/benchmod

go 1.99.0
