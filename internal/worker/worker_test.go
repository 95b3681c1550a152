package worker

import (
	"testing"
	"time"
)

// TestRetryDelay: failed rounds in a row (the database away) wait longer
// each time, up to a minute (or the interval when that is longer), and
// never not at all. The mail and webhook workers' cases, both.
func TestRetryDelay(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		interval time.Duration
		failures int
		want     time.Duration
	}{
		{5 * time.Second, 1, 5 * time.Second}, {5 * time.Second, 2, 10 * time.Second},
		{5 * time.Second, 3, 20 * time.Second},
		{5 * time.Second, 4, 40 * time.Second}, {5 * time.Second, 5, time.Minute}, {5 * time.Second, 1000, time.Minute},
		{5 * time.Second, 1 << 20, time.Minute},
		{0, 1, 100 * time.Millisecond}, {0, 2, 200 * time.Millisecond}, {0, 3, 400 * time.Millisecond},
		{5 * time.Minute, 3, 5 * time.Minute}, {2 * time.Minute, 9, 2 * time.Minute},
	} {
		if got := RetryDelay(c.interval, c.failures); got != c.want {
			t.Errorf("RetryDelay(%v, %d) = %v, want %v", c.interval, c.failures, got, c.want)
		}
	}
}
