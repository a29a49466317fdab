package networking

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"net/http"
	"syscall"
	"testing"
	"time"
)

// Sinks keep benchmark results reachable.
var (
	sinkInt   int
	sinkState tls.ConnectionState
)

// listen returns a TCP listener on a kernel-chosen loopback port, closed
// when the benchmark ends.
func listen(b *testing.B) net.Listener {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ln.Close() })
	return ln
}

// BenchmarkTCPEcho measures one round trip of a message over a loopback
// TCP connection to a goroutine that echoes it back.
func BenchmarkTCPEcho(b *testing.B) {
	for _, size := range []int{64, 16 << 10} {
		name := "64B"
		if size > 64 {
			name = "16KB"
		}
		b.Run(name, func(b *testing.B) {
			ln := listen(b)
			go func() {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				defer c.Close()
				io.Copy(c, c)
			}()
			c, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { c.Close() })
			msg := make([]byte, size)
			for i := range msg {
				msg[i] = byte(i)
			}
			reply := make([]byte, size)
			b.SetBytes(int64(2 * size))
			b.ReportAllocs()
			b.ResetTimer()
			n := 0
			for i := 0; i < b.N; i++ {
				if _, err := c.Write(msg); err != nil {
					b.Fatal(err)
				}
				m, err := io.ReadFull(c, reply)
				if err != nil {
					b.Fatal(err)
				}
				n += m
			}
			sinkInt = n
		})
	}
}

// BenchmarkHTTPGet measures one net/http GET round trip with a 1 KB
// response body to a loopback server, over a kept-alive connection.
func BenchmarkHTTPGet(b *testing.B) {
	body := make([]byte, 1<<10)
	for i := range body {
		body[i] = 'a' + byte(i%26)
	}
	ln := listen(b)
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.Write(body)
		}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	go srv.Serve(ln)
	b.Cleanup(func() { srv.Close() })
	transport := &http.Transport{MaxIdleConnsPerHost: 1}
	b.Cleanup(transport.CloseIdleConnections)
	client := &http.Client{Transport: transport}
	url := "http://" + ln.Addr().String() + "/"
	get := func() int {
		resp, err := client.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		n, err := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("GET %s: status %d, error %v", url, resp.StatusCode, err)
		}
		return int(n)
	}
	get() // open the connection the timed requests reuse
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		n += get()
	}
	sinkInt = n
}

// selfSignedCert returns an in-memory TLS certificate for 127.0.0.1 with
// a new ECDSA P-256 key, and a pool that trusts it.
func selfSignedCert(b *testing.B) (tls.Certificate, *x509.CertPool) {
	b.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "perftrack benchmark"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		b.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		b.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// BenchmarkTLSHandshake measures a full TLS 1.3 handshake (ECDHE with
// X25519, ECDSA P-256 certificate verified by the client, no session
// resumption) over a new loopback TCP connection, including the connect.
func BenchmarkTLSHandshake(b *testing.B) {
	cert, pool := selfSignedCert(b)
	serverConfig := &tls.Config{
		Certificates:           []tls.Certificate{cert},
		MinVersion:             tls.VersionTLS13,
		SessionTicketsDisabled: true,
	}
	clientConfig := &tls.Config{
		RootCAs:                pool,
		ServerName:             "127.0.0.1",
		MinVersion:             tls.VersionTLS13,
		CurvePreferences:       []tls.CurveID{tls.X25519},
		SessionTicketsDisabled: true,
	}
	ln := listen(b)
	serverErr := make(chan error, 1)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				if !errors.Is(err, net.ErrClosed) {
					serverErr <- err
				}
				return
			}
			tc := tls.Server(c, serverConfig)
			err = tc.Handshake()
			if err == nil {
				// Wait for the client to close, so the server
				// side never lingers in TIME_WAIT.
				_, err = bufio.NewReader(tc).ReadByte()
			}
			tc.Close()
			if err != nil && !errors.Is(err, io.EOF) && !isReset(err) {
				serverErr <- err
				return
			}
		}
	}()
	addr := ln.Addr().String()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			b.Fatal(err)
		}
		// Close with a reset: thousands of handshakes must not
		// exhaust the ephemeral ports with TIME_WAIT sockets.
		c.(*net.TCPConn).SetLinger(0)
		tc := tls.Client(c, clientConfig)
		if err := tc.Handshake(); err != nil {
			b.Fatal(err)
		}
		sinkState = tc.ConnectionState()
		tc.Close()
	}
	b.StopTimer()
	if sinkState.Version != tls.VersionTLS13 {
		b.Fatalf("negotiated TLS version %x, want TLS 1.3", sinkState.Version)
	}
	select {
	case err := <-serverErr:
		b.Fatal(err)
	default:
	}
}

// isReset reports whether err comes from the peer resetting the
// connection, which is how the client side of BenchmarkTLSHandshake
// closes.
func isReset(err error) bool {
	return errors.Is(err, syscall.ECONNRESET)
}
