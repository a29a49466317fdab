// Package stdlib holds benchmarks of standard library packages whose speed
// changes between Go releases: encoding (json, binary, base64), strconv and
// fmt, strings and bytes, sorting, regexp, cryptography (sha256, AES-GCM),
// crc32, gzip, bufio and io.Copy.
//
// Inputs are generated in code from fixed seeds so every toolchain
// measures the same bytes.
package stdlib
