// Package networking holds benchmarks of the network stack over the
// loopback interface only: a TCP echo round trip, an HTTP/1.1 GET round
// trip on a kept-alive connection and a TLS 1.3 handshake.
//
// Every benchmark listens on 127.0.0.1 with a port chosen by the kernel
// and closes its listener and connections when it ends.
package networking
