package postgres_test

import (
	"slices"
	"sync"
	"testing"
	"time"
)

// rateCounters counts the stored counters of key, over every window.
func (w accountsWorld) rateCounters(key string) int {
	w.t.Helper()
	var n int
	w.must(w.pool.QueryRow(w.ctx, `SELECT count(*) FROM rate_counter WHERE key = $1`, key).Scan(&n))
	return n
}

func (w accountsWorld) hit(t *testing.T, key string, window time.Duration) (int, time.Time) {
	t.Helper()
	n, end, err := w.s.RateHit(w.ctx, key, window)
	if err != nil {
		t.Fatal(err)
	}
	return n, end
}

func TestRateHit(t *testing.T) {
	t.Parallel()
	w := newAccountsWorld(t)
	w.clock.Advance(7 * time.Minute) // 09:07, inside the 09:00–09:15 window
	const window = 15 * time.Minute
	windowEnd := accountsT0.Add(window)

	t.Run("Counts", func(t *testing.T) {
		for want := 1; want <= 3; want++ {
			n, end := w.hit(t, "signin:ip:192.0.2.1", window)
			if n != want || !end.Equal(windowEnd) {
				t.Errorf("hit %d: %d, window ends %v; want %d, %v", want, n, end, want, windowEnd)
			}
		}
	})
	t.Run("KeysApart", func(t *testing.T) {
		if n, _ := w.hit(t, "signin:ip:192.0.2.2", window); n != 1 {
			t.Errorf("another key's first hit counted %d", n)
		}
	})
	t.Run("SameWindowUntilItEnds", func(t *testing.T) {
		w.clock.Advance(8*time.Minute - time.Nanosecond) // 09:14:59.999999999
		if n, end := w.hit(t, "signin:ip:192.0.2.1", window); n != 4 || !end.Equal(windowEnd) {
			t.Errorf("last instant of the window: %d, ends %v; want 4, %v", n, end, windowEnd)
		}
	})
	t.Run("NextWindow", func(t *testing.T) {
		w.clock.Advance(time.Nanosecond) // 09:15: a fresh window
		n, end := w.hit(t, "signin:ip:192.0.2.1", window)
		if n != 1 || !end.Equal(windowEnd.Add(window)) {
			t.Errorf("first hit of the next window: %d, ends %v; want 1, %v", n, end, windowEnd.Add(window))
		}
		if c := w.rateCounters("signin:ip:192.0.2.1"); c != 2 {
			t.Errorf("%d counters stored, want one per window (2)", c)
		}
	})
}

func TestRateReset(t *testing.T) {
	t.Parallel()
	w := newAccountsWorld(t)
	const window = time.Hour
	for range 3 {
		w.hit(t, "signin:account:7", window)
	}
	w.clock.Advance(window) // and one in the next window
	w.hit(t, "signin:account:7", window)
	w.hit(t, "signin:account:8", window)

	t.Run("OK", func(t *testing.T) {
		w.must(w.s.RateReset(w.ctx, "signin:account:7"))
		if c := w.rateCounters("signin:account:7"); c != 0 {
			t.Errorf("%d counters left after reset, want none in any window", c)
		}
		if n, _ := w.hit(t, "signin:account:7", window); n != 1 {
			t.Errorf("first hit after reset counted %d", n)
		}
	})
	t.Run("OtherKeysKept", func(t *testing.T) {
		if n, _ := w.hit(t, "signin:account:8", window); n != 2 {
			t.Errorf("another key after a reset: %d, want 2", n)
		}
	})
	t.Run("UnknownKey", func(t *testing.T) {
		w.must(w.s.RateReset(w.ctx, "never:hit"))
	})
}

func TestRatePrune(t *testing.T) {
	t.Parallel()
	w := newAccountsWorld(t)
	const window = time.Minute
	w.hit(t, "forgot:ip:192.0.2.9", window) // window 09:00
	w.clock.Advance(5 * time.Minute)
	w.hit(t, "forgot:ip:192.0.2.9", window) // window 09:05
	w.hit(t, "forgot:ip:192.0.2.10", window)

	t.Run("NothingBeforeCutoff", func(t *testing.T) {
		w.must(w.s.RatePrune(w.ctx, accountsT0))
		if c := w.rateCounters("forgot:ip:192.0.2.9"); c != 2 {
			t.Errorf("%d counters, want both", c)
		}
	})
	t.Run("Expired", func(t *testing.T) {
		w.must(w.s.RatePrune(w.ctx, accountsT0.Add(5*time.Minute)))
		if c := w.rateCounters("forgot:ip:192.0.2.9"); c != 1 {
			t.Errorf("%d counters after pruning the 09:00 window, want 1", c)
		}
		// The current window's count survives.
		if n, _ := w.hit(t, "forgot:ip:192.0.2.9", window); n != 2 {
			t.Errorf("current window after pruning: %d, want 2", n)
		}
		if n, _ := w.hit(t, "forgot:ip:192.0.2.10", window); n != 2 {
			t.Errorf("other key's current window after pruning: %d, want 2", n)
		}
	})
}

// TestRateHitConcurrent hits one key from many goroutines at once, as many
// instances would: every hit is counted exactly once, each sees its own count.
func TestRateHitConcurrent(t *testing.T) {
	t.Parallel()
	w := newAccountsWorld(t)
	const goroutines, each = 16, 10
	var wg sync.WaitGroup
	var mu sync.Mutex
	var seen []int
	start := make(chan struct{})
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for range each {
				n, _, err := w.s.RateHit(w.ctx, "signin:ip:198.51.100.1", time.Hour)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				seen = append(seen, n)
				mu.Unlock()
			}
		}()
	}
	close(start)
	wg.Wait()
	slices.Sort(seen)
	want := make([]int, goroutines*each)
	for i := range want {
		want[i] = i + 1
	}
	if !slices.Equal(seen, want) {
		t.Errorf("concurrent hits saw %v, want each of 1..%d once", seen, len(want))
	}
	if n, _ := w.hit(t, "signin:ip:198.51.100.1", time.Hour); n != goroutines*each+1 {
		t.Errorf("the hit after %d concurrent ones counted %d", goroutines*each, n)
	}
}
