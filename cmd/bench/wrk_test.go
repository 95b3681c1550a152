package main

import (
	"fmt"
	"testing"
	"time"
)

func TestParseWrk(t *testing.T) {
	t.Parallel()
	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		r, err := parseWrk(`Running 10s test @ http://127.0.0.1:18777/
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.82ms    1.80ms  12.98ms   87.51%
    Req/Sec     1.25k   331.86     1.78k    80.00%
  Latency Distribution
     50%  812.00us
     75%    1.89ms
     90%    4.21ms
     99%    1.02s
  12490 requests in 10.00s, 45.10MB read
  Socket errors: connect 0, read 3, write 0, timeout 2
  Non-2xx or 3xx responses: 7
Requests/sec:   1246.77
Transfer/sec:      4.50MB
`)
		if err != nil {
			t.Fatal(err)
		}
		want := wrkResult{Requests: 12490, PerSecond: 1246.77, P50: 812 * time.Microsecond, P99: 1020 * time.Millisecond,
			Non2xx: 7, SocketErrors: 5, SocketDetail: "Socket errors: connect 0, read 3, write 0, timeout 2"}
		if r != want {
			t.Errorf("got %+v, want %+v", r, want)
		}
	})
	t.Run("NoResponses", func(t *testing.T) {
		t.Parallel()
		r, err := parseWrk(`  Latency Distribution
     50%    0.00us
     75%    0.00us
     90%    0.00us
     99%    0.00us
  0 requests in 1.15s, 0.00B read
  Socket errors: connect 0, read 0, write 0, timeout 64
Requests/sec:      0.00
`)
		if err != nil {
			t.Fatal(err)
		}
		if r.PerSecond != 0 || r.P99 != 0 || r.SocketErrors != 64 {
			t.Errorf("got %+v", r)
		}
	})
	t.Run("ErrNoLatency", func(t *testing.T) {
		t.Parallel()
		if _, err := parseWrk("Requests/sec:   1246.77\n"); err == nil {
			t.Error("want an error without the latency distribution")
		}
	})
}

func TestLogSink(t *testing.T) {
	t.Parallel()
	s := &logSink{}
	_, _ = s.Write([]byte("serving\n"))
	s.mark()
	for i := range 30 {
		_, _ = s.Write([]byte(fmt.Sprintf("line %d", i)))
		_, _ = s.Write([]byte("\n"))
	}
	_, _ = s.Write([]byte("partial, then\nwhole\n"))
	n, first := s.since()
	if n != 32 || len(first) != sinkKeepAfterMark || first[0] != "line 0" {
		t.Errorf("since() = %d, %q", n, first)
	}
	if last := s.last(); len(last) != sinkKeepTail || last[len(last)-1] != "whole" || last[len(last)-2] != "partial, then" {
		t.Errorf("last() = %q", last)
	}
}
