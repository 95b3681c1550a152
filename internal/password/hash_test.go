package password

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"
)

// fastParams keep tests that hash many times quick; the tests that are about
// the production parameters use DefaultParams.
var fastParams = Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

func TestHashVerify(t *testing.T) {
	t.Parallel()
	h := NewHasher(Config{})
	ctx := context.Background()
	phc, err := h.Hash(ctx, "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}

	t.Run("Format", func(t *testing.T) {
		re := regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)
		if !re.MatchString(phc) {
			t.Errorf("hash %q does not match %v", phc, re)
		}
		p, salt, key, err := argon2id.DecodeHash(phc)
		if err != nil {
			t.Fatal(err)
		}
		if len(salt) != 16 || len(key) != 32 || p.Memory != 19*1024 || p.Iterations != 2 || p.Parallelism != 1 {
			t.Errorf("params %+v, salt %d bytes, key %d bytes", p, len(salt), len(key))
		}
	})
	t.Run("OK", func(t *testing.T) {
		ok, rehash, err := h.Verify(ctx, "correct horse battery staple", phc)
		if err != nil || !ok || rehash {
			t.Errorf("Verify = %v, %v, %v; want true, false, nil", ok, rehash, err)
		}
	})
	t.Run("WrongPassword", func(t *testing.T) {
		ok, rehash, err := h.Verify(ctx, "correct horse battery stapler", phc)
		if err != nil || ok || rehash {
			t.Errorf("Verify = %v, %v, %v; want false, false, nil", ok, rehash, err)
		}
	})
	t.Run("SaltIsRandom", func(t *testing.T) {
		again, err := h.Hash(ctx, "correct horse battery staple")
		if err != nil {
			t.Fatal(err)
		}
		if again == phc {
			t.Error("two hashes of the same password are equal")
		}
	})
}

func TestVerifyNormalizesNFC(t *testing.T) {
	t.Parallel()
	h := NewHasher(Config{Params: fastParams})
	ctx := context.Background()
	composed, decomposed := "contraseña-café", "contrasen\u0303a-cafe\u0301"
	phc, err := h.Hash(ctx, composed)
	if err != nil {
		t.Fatal(err)
	}
	if ok, _, err := h.Verify(ctx, decomposed, phc); err != nil || !ok {
		t.Errorf("decomposed form of the same password: Verify = %v, %v", ok, err)
	}
	// Compatibility forms are different passwords (NFC, not NFKC).
	if ok, _, _ := h.Verify(ctx, "ｃｏｎｔｒａｓｅñａ-café", phc); ok {
		t.Error("fullwidth letters matched the halfwidth password")
	}
}

func TestVerifyNeedsRehash(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// A hash as an older, cheaper configuration would have stored it.
	old, err := argon2id.CreateHash("an older password", &argon2id.Params{
		Memory: 4096, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32})
	if err != nil {
		t.Fatal(err)
	}
	h := NewHasher(Config{})

	t.Run("Weaker", func(t *testing.T) {
		ok, rehash, err := h.Verify(ctx, "an older password", old)
		if err != nil || !ok || !rehash {
			t.Errorf("Verify = %v, %v, %v; want true, true, nil", ok, rehash, err)
		}
	})
	t.Run("WrongPasswordSaysNothing", func(t *testing.T) {
		ok, rehash, err := h.Verify(ctx, "not the password", old)
		if err != nil || ok || rehash {
			t.Errorf("Verify = %v, %v, %v; want false, false, nil", ok, rehash, err)
		}
	})
	t.Run("StrongerIsKept", func(t *testing.T) {
		// A hash stronger than the current setting must not be downgraded.
		weak := NewHasher(Config{Params: fastParams})
		ok, rehash, err := weak.Verify(ctx, "an older password", old)
		if err != nil || !ok || rehash {
			t.Errorf("Verify = %v, %v, %v; want true, false, nil", ok, rehash, err)
		}
	})
}

func TestWeaker(t *testing.T) {
	t.Parallel()
	cur := DefaultParams()
	for name, tc := range map[string]struct {
		change func(*Params)
		want   bool
	}{
		"Same":            {func(*Params) {}, false},
		"LessMemory":      {func(p *Params) { p.Memory = 15 * 1024 }, true},
		"FewerIterations": {func(p *Params) { p.Iterations = 1 }, true},
		"ShorterSalt":     {func(p *Params) { p.SaltLength = 8 }, true},
		"ShorterKey":      {func(p *Params) { p.KeyLength = 16 }, true},
		"MoreMemory":      {func(p *Params) { p.Memory = 64 * 1024 }, false},
		"MoreLanes":       {func(p *Params) { p.Parallelism = 4 }, false},
	} {
		t.Run(name, func(t *testing.T) {
			p := cur
			tc.change(&p)
			if got := weaker(p, cur); got != tc.want {
				t.Errorf("weaker(%+v) = %v, want %v", p, got, tc.want)
			}
		})
	}
}

func TestVerifyInvalidHash(t *testing.T) {
	t.Parallel()
	h := NewHasher(Config{Params: fastParams})
	salt, key := "c29tZXNhbHRzb21lc2FsdA", "a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U"
	for name, phc := range map[string]string{
		"Empty":          "",
		"Bcrypt":         "$2a$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW",
		"Argon2i":        "$argon2i$v=19$m=4096,t=3,p=1$" + salt + "$" + key,
		"OldVersion":     "$argon2id$v=16$m=4096,t=3,p=1$" + salt + "$" + key,
		"ZeroIterations": "$argon2id$v=19$m=4096,t=0,p=1$" + salt + "$" + key,
		"ZeroLanes":      "$argon2id$v=19$m=4096,t=1,p=0$" + salt + "$" + key,
		"HugeMemory":     "$argon2id$v=19$m=4294967295,t=1,p=1$" + salt + "$" + key,
		"ManyIterations": "$argon2id$v=19$m=4096,t=100000,p=1$" + salt + "$" + key,
		"NoKey":          "$argon2id$v=19$m=4096,t=1,p=1$" + salt + "$",
		"BadBase64":      "$argon2id$v=19$m=4096,t=1,p=1$" + salt + "$!!!",
	} {
		t.Run(name, func(t *testing.T) {
			ok, rehash, err := h.Verify(context.Background(), "whatever", phc)
			if !errors.Is(err, ErrInvalidHash) || ok || rehash {
				t.Errorf("Verify(%q) = %v, %v, %v; want ErrInvalidHash", phc, ok, rehash, err)
			}
		})
	}
}

func TestHashRefusesInvalidUTF8(t *testing.T) {
	t.Parallel()
	h := NewHasher(Config{Params: fastParams})
	if _, err := h.Hash(context.Background(), "abc\xffdefgh"); !errors.Is(err, ErrEncoding) {
		t.Errorf("Hash(invalid UTF-8) error = %v, want ErrEncoding", err)
	}
}

func TestVerifyDummy(t *testing.T) {
	t.Parallel()
	h := NewHasher(Config{})
	ctx := context.Background()
	if !strings.HasPrefix(h.dummy, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("dummy hash %q is not made with the current parameters", h.dummy)
	}
	if _, err := decode(h.dummy); err != nil {
		t.Fatalf("dummy hash does not decode: %v", err)
	}
	if err := h.VerifyDummy(ctx, "anything at all"); err != nil {
		t.Fatal(err)
	}

	// It must cost about what a real verification costs. Timing in tests is
	// noisy, so only a gross difference (a dummy that skips the work) fails.
	phc, err := h.Hash(ctx, "a real password")
	if err != nil {
		t.Fatal(err)
	}
	verify := minDuration(3, func() { h.Verify(ctx, "a wrong password", phc) })
	dummy := minDuration(3, func() { h.VerifyDummy(ctx, "a wrong password") })
	if dummy < verify/3 || dummy > verify*3 {
		t.Errorf("VerifyDummy took %v, a real Verify %v", dummy, verify)
	}
}

func minDuration(n int, f func()) time.Duration {
	best := time.Duration(1<<63 - 1)
	for range n {
		start := time.Now()
		f()
		best = min(best, time.Since(start))
	}
	return best
}

func TestConcurrencyBound(t *testing.T) {
	t.Parallel()
	for _, limit := range []int{1, 3} {
		h := NewHasher(Config{Params: fastParams, MaxConcurrent: limit})
		var inFlight, peak atomic.Int32
		h.hashing = func() {
			n := inFlight.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			// Hold the slot long enough for the others to pile up behind it.
			time.Sleep(2 * time.Millisecond)
			inFlight.Add(-1)
		}
		phc, err := h.Hash(context.Background(), "password for the crowd")
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for i := range 40 {
			wg.Go(func() {
				var err error
				if i%2 == 0 {
					_, err = h.Hash(context.Background(), "password for the crowd")
				} else {
					_, _, err = h.Verify(context.Background(), "password for the crowd", phc)
				}
				if err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if got := peak.Load(); got != int32(limit) {
			t.Errorf("MaxConcurrent %d: at most %d hashes ran at once, want exactly %d", limit, got, limit)
		}
	}
}

func TestNewHasherRefusesBadParams(t *testing.T) {
	t.Parallel()
	for name, p := range map[string]Params{
		"ZeroIterations": {Memory: 64, Iterations: 0, Parallelism: 1, SaltLength: 16, KeyLength: 32},
		"ShortKey":       {Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 4},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("NewHasher(%+v) did not panic", p)
				}
			}()
			NewHasher(Config{Params: p})
		})
	}
}

func TestDefaultConcurrency(t *testing.T) {
	t.Parallel()
	h := NewHasher(Config{})
	if cap(h.slots) < 1 {
		t.Errorf("default concurrency %d", cap(h.slots))
	}
}

func TestContextEndsWhileWaiting(t *testing.T) {
	t.Parallel()
	h := NewHasher(Config{Params: fastParams, MaxConcurrent: 1})
	phc, err := h.Hash(context.Background(), "a password to wait for")
	if err != nil {
		t.Fatal(err)
	}
	// Occupy the only slot.
	entered, leave := make(chan struct{}), make(chan struct{})
	h.hashing = func() { close(entered); <-leave }
	holder := make(chan error)
	go func() {
		_, err := h.Hash(context.Background(), "the slow one")
		holder <- err
	}()
	<-entered
	h.hashing = nil // set before anyone else can acquire: the slot is held

	t.Run("Deadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := h.Hash(ctx, "a password to wait for")
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Hash error = %v, want DeadlineExceeded", err)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("Hash returned after %v, long after its deadline", d)
		}
	})
	t.Run("Cancel", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() {
			_, _, err := h.Verify(ctx, "a password to wait for", phc)
			done <- err
		}()
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Verify error = %v, want Canceled", err)
		}
		if err := h.VerifyDummy(ctx, "x"); !errors.Is(err, context.Canceled) {
			t.Errorf("VerifyDummy error = %v, want Canceled", err)
		}
	})

	close(leave)
	if err := <-holder; err != nil {
		t.Fatal(err)
	}
	t.Run("AlreadyEndedNeverHashes", func(t *testing.T) {
		// The slot is free now, but an ended context still gets an error.
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		for range 20 {
			if _, err := h.Hash(ctx, "a password to wait for"); !errors.Is(err, context.Canceled) {
				t.Fatalf("Hash error = %v, want Canceled", err)
			}
		}
	})
	t.Run("SlotFreedAfterwards", func(t *testing.T) {
		ok, _, err := h.Verify(context.Background(), "a password to wait for", phc)
		if err != nil || !ok {
			t.Errorf("Verify = %v, %v", ok, err)
		}
	})
}
