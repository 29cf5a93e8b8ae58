// Package s3 serves an S3 endpoint beside the EC2 simulator, for drivers
// that keep large bootstrap data (ignition, user data) in a bucket. It is
// gofakes3 with its in-memory backend, addressed path-style
// (http://host/bucket/key); clients must set UsePathStyle. gofakes3 does
// not check request signatures.
package s3

import (
	"net/http"
	"net/http/httptest"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"k8s.io/utils/clock"
)

// Options configure a Server. The zero value uses the real clock and
// creates buckets only when asked.
type Options struct {
	// Clock stamps objects; nil means the real clock.
	Clock clock.PassiveClock
	// AutoBucket creates a bucket on first write instead of answering NoSuchBucket.
	AutoBucket bool
}

// Server is a running S3 simulator.
type Server struct {
	// URL is the endpoint (AWS_ENDPOINT_URL_S3).
	URL  string
	http *httptest.Server
}

// NewServer starts an S3 simulator on a loopback port.
func NewServer(opts Options) *Server {
	srv := httptest.NewServer(Handler(opts))
	return &Server{URL: srv.URL, http: srv}
}

// Handler returns the S3 endpoint as a handler, to serve on a listener of
// the caller's choosing.
func Handler(opts Options) http.Handler {
	var clk clock.PassiveClock = clock.RealClock{}
	if opts.Clock != nil {
		clk = opts.Clock
	}
	backend := s3mem.New(s3mem.WithTimeSource(clk))
	fake := gofakes3.New(backend, gofakes3.WithTimeSource(clk), gofakes3.WithAutoBucket(opts.AutoBucket),
		gofakes3.WithLogger(gofakes3.DiscardLog()))
	return fake.Server()
}

// Close stops the server.
func (s *Server) Close() { s.http.Close() }
