// Package password hashes and verifies passwords with argon2id and decides
// whether a new password is acceptable (Check). It holds no package-level
// mutable state: a Hasher carries its parameters and its concurrency limit.
package password

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"unicode/utf8"

	"github.com/alexedwards/argon2id"
	"golang.org/x/text/unicode/norm"
)

// Params are argon2id's cost parameters. Memory is in KiB.
type Params struct {
	Memory      uint32
	Iterations  uint32
	Parallelism uint8
	SaltLength  uint32
	KeyLength   uint32
}

// DefaultParams returns OWASP's recommended argon2id configuration
// (m=19 MiB, t=2, p=1) with a 16-byte salt and a 32-byte key. It is a
// function rather than a variable so that nobody can change it for everyone.
func DefaultParams() Params {
	return Params{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}
}

// Limits on parameters read back from a stored hash. argon2 allocates Memory
// KiB and panics on zero iterations or parallelism, so a corrupted or
// tampered row must be refused before it reaches argon2, not crash or exhaust
// the process.
const (
	maxMemory      = 1 << 20 // KiB: 1 GiB
	maxIterations  = 64
	minSaltLength  = 8
	maxSaltLength  = 64
	minKeyLength   = 16
	maxKeyLength   = 64
	maxParallelism = 16
)

// ErrInvalidHash is returned by Verify for a stored string that is not an
// argon2id PHC string this package can check, or whose parameters are out of
// bounds.
var ErrInvalidHash = errors.New("password: not a usable argon2id hash")

// ErrEncoding is returned by Hash for a password that is not valid UTF-8;
// Check refuses such passwords first, with a message for the user.
var ErrEncoding = errors.New("password: not valid UTF-8")

// Config configures a Hasher. The zero value is the production setting.
type Config struct {
	// Params are the cost parameters for new hashes; zero means DefaultParams.
	Params Params
	// MaxConcurrent is how many hashes may be computed at once; zero or less
	// means runtime.GOMAXPROCS(0). Each costs Params.Memory of RAM and one core
	// for ~50 ms, so more than one per core adds memory and latency but no
	// throughput: on a 2-core box this caps hashing at 2 × 19 MiB.
	MaxConcurrent int
}

// Hasher hashes and verifies passwords, computing at most MaxConcurrent
// hashes at once; the others wait for a slot until their context ends. A
// burst of sign-ins then queues instead of taking all memory and CPU. It is
// safe for concurrent use.
type Hasher struct {
	params Params
	slots  chan struct{}
	// dummy is a well-formed hash with the current parameters and random salt
	// and key, which no password matches: VerifyDummy checks against it.
	dummy string
	// hashing, when set by a test, is called inside the concurrency limit.
	hashing func()
}

// NewHasher returns a Hasher configured by cfg. It panics when cfg.Params are
// outside the bounds Verify accepts: a configuration that would make hashes
// this package cannot check is a programming error, best found at start-up.
func NewHasher(cfg Config) *Hasher {
	p := cfg.Params
	if p == (Params{}) {
		p = DefaultParams()
	}
	n := cfg.MaxConcurrent
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	salt := make([]byte, p.SaltLength)
	key := make([]byte, p.KeyLength)
	rand.Read(salt) // never fails: crypto/rand crashes the program instead
	rand.Read(key)
	b64 := base64.RawStdEncoding
	dummy := fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s",
		p.Memory, p.Iterations, p.Parallelism, b64.EncodeToString(salt), b64.EncodeToString(key))
	if _, err := decode(dummy); err != nil {
		panic(fmt.Sprintf("password: NewHasher: %+v: %v", p, err))
	}
	return &Hasher{params: p, slots: make(chan struct{}, n), dummy: dummy}
}

// Params returns the parameters new hashes are made with.
func (h *Hasher) Params() Params { return h.params }

// Hash returns the argon2id PHC string of plain, such as
// "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<key>". Call Check first: Hash only
// refuses invalid UTF-8. It fails when ctx ends before a hashing slot is free.
func (h *Hasher) Hash(ctx context.Context, plain string) (string, error) {
	if !utf8.ValidString(plain) {
		return "", ErrEncoding
	}
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	p := argon2id.Params(h.params)
	return argon2id.CreateHash(normalize(plain), &p)
}

// Verify reports whether plain matches the stored PHC string, and, when it
// does, whether the hash was made with weaker parameters than the current
// ones, so that the caller can store a new Hash while it has the password.
// A stored string that cannot be checked is an error (ErrInvalidHash); an
// account without a password should call VerifyDummy instead. It fails when
// ctx ends before a hashing slot is free.
func (h *Hasher) Verify(ctx context.Context, plain, phc string) (ok, needsRehash bool, err error) {
	stored, err := decode(phc)
	if err != nil {
		return false, false, err
	}
	if err := h.acquire(ctx); err != nil {
		return false, false, err
	}
	defer h.release()
	// The library decodes the string again; decode above has already bounded
	// the parameters it will find.
	ok, _, err = argon2id.CheckHash(normalize(plain), phc)
	if err != nil {
		return false, false, fmt.Errorf("%w: %v", ErrInvalidHash, err)
	}
	return ok, ok && weaker(stored, h.params), nil
}

// VerifyDummy does the work of a Verify with the current parameters and
// throws the result away. Sign-in calls it for an unknown email or an account
// without a password, so that such attempts take as long as a wrong password
// and timing does not tell whether an account exists. It fails only when ctx
// ends before a hashing slot is free.
func (h *Hasher) VerifyDummy(ctx context.Context, plain string) error {
	_, _, err := h.Verify(ctx, plain, h.dummy)
	return err
}

// acquire waits for a hashing slot or for ctx to end.
func (h *Hasher) acquire(ctx context.Context) error {
	// An ended context never takes a slot, even when one is free: select
	// picks at random among ready cases.
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("password: waiting for a hashing slot: %w", err)
	}
	select {
	case h.slots <- struct{}{}:
		if h.hashing != nil {
			h.hashing()
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("password: waiting for a hashing slot: %w", ctx.Err())
	}
}

func (h *Hasher) release() { <-h.slots }

// decode parses a PHC string and refuses parameters outside sane bounds.
func decode(phc string) (Params, error) {
	p, _, _, err := argon2id.DecodeHash(phc)
	if err != nil {
		return Params{}, fmt.Errorf("%w: %v", ErrInvalidHash, err)
	}
	switch {
	case p.Memory < 8*uint32(p.Parallelism) || p.Memory > maxMemory,
		p.Iterations < 1 || p.Iterations > maxIterations,
		p.Parallelism < 1 || p.Parallelism > maxParallelism,
		p.SaltLength < minSaltLength || p.SaltLength > maxSaltLength,
		p.KeyLength < minKeyLength || p.KeyLength > maxKeyLength:
		return Params{}, fmt.Errorf("%w: parameters out of bounds (m=%d,t=%d,p=%d)",
			ErrInvalidHash, p.Memory, p.Iterations, p.Parallelism)
	}
	return Params(*p), nil
}

// weaker reports whether stored costs an attacker less than current in any
// respect. Parallelism is left out: more lanes over the same memory and
// passes is the same work, spread over more cores.
func weaker(stored, current Params) bool {
	return stored.Memory < current.Memory ||
		stored.Iterations < current.Iterations ||
		stored.SaltLength < current.SaltLength ||
		stored.KeyLength < current.KeyLength
}

// normalize returns plain in Unicode Normalization Form C, so that a password
// typed as "é" (one code point, as most keyboards send it) and as "e" + a
// combining accent (as some macOS and mobile input does) is the same
// password. NFC changes nothing a person can see; the compatibility forms
// (NFKC) were not chosen because they also fold characters that do look
// different (fullwidth letters, ligatures, superscripts), and ASVS asks that
// passwords be verified as received. Hash, Verify and Check all use it.
func normalize(plain string) string {
	return norm.NFC.String(plain)
}
