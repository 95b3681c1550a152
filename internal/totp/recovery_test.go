package totp

import (
	"bytes"
	"crypto/sha256"
	"regexp"
	"strings"
	"testing"
)

func TestNewRecoveryCodes(t *testing.T) {
	t.Parallel()
	if recoveryBits < 112 {
		t.Fatalf("recovery codes carry %d bits; a fast hash needs at least 112", recoveryBits)
	}
	plain, hashes := NewRecoveryCodes(RecoveryCodeCount)
	if len(plain) != RecoveryCodeCount || len(hashes) != RecoveryCodeCount {
		t.Fatalf("got %d codes and %d hashes, want %d", len(plain), len(hashes), RecoveryCodeCount)
	}
	format := regexp.MustCompile(`^[0-9a-hjkmnp-tv-z]{6}(-[0-9a-hjkmnp-tv-z]{6}){3}$`)
	seen := map[string]bool{}
	for i, c := range plain {
		if !format.MatchString(c) {
			t.Errorf("code %q does not match %v", c, format)
		}
		if seen[c] {
			t.Errorf("code %q twice", c)
		}
		seen[c] = true
		norm := strings.ReplaceAll(c, "-", "")
		if want := sha256.Sum256([]byte(norm)); !bytes.Equal(hashes[i], want[:]) {
			t.Errorf("hash of %q is not SHA-256 of %q", c, norm)
		}
		if !bytes.Equal(HashRecoveryCode(c), hashes[i]) {
			t.Errorf("HashRecoveryCode(%q) differs from the stored hash", c)
		}
	}
	if p, h := NewRecoveryCodes(0); len(p) != 0 || len(h) != 0 {
		t.Errorf("NewRecoveryCodes(0) = %d codes", len(p))
	}
}

// TestRecoveryCodeRandomness is a coarse check that every symbol of the
// alphabet is used about equally often at every position: a bias (a modulo
// bug, a constant position) would take bits away.
func TestRecoveryCodeRandomness(t *testing.T) {
	t.Parallel()
	plain, _ := NewRecoveryCodes(2000)
	if len(plain) != 2000 {
		t.Fatalf("%d codes", len(plain))
	}
	total := map[rune]int{}
	for pos := range recoveryLen {
		perPos := map[byte]int{}
		for _, c := range plain {
			n, _ := NormalizeRecoveryCode(c)
			perPos[n[pos]]++
			total[rune(n[pos])]++
		}
		// 2000 draws over 32 symbols: 62.5 each on average.
		if len(perPos) < 28 {
			t.Errorf("position %d uses only %d symbols", pos, len(perPos))
		}
	}
	if len(total) != 32 {
		t.Errorf("%d distinct symbols used, want 32", len(total))
	}
	for r, n := range total {
		// 48,000 draws, 1,500 per symbol expected, σ ≈ 38.
		if n < 1300 || n > 1700 {
			t.Errorf("symbol %q drawn %d times, expected about 1500", r, n)
		}
	}
}

func TestNormalizeRecoveryCode(t *testing.T) {
	t.Parallel()
	const canon = "7kq2mx9ab0c1def3gh4jn5pr"
	for in, want := range map[string]string{
		"7kq2mx-9ab0c1-def3gh-4jn5pr":    canon,
		"7KQ2MX-9AB0C1-DEF3GH-4JN5PR":    canon,
		"7kq2mx9ab0c1def3gh4jn5pr":       canon,
		" 7kq2mx 9ab0c1 def3gh 4jn5pr\n": canon,
		"7kq2mx-9abOcI-def3gh-4jn5pr":    canon, // O→0, I→1
		"7kq2mx-9abocl-def3gh-4jn5pr":    canon, // o→0, l→1
		"７ｋｑ２ｍｘ－９ａｂ０ｃ１－ｄｅｆ３ｇｈ－４ｊｎ５ｐｒ": canon, // fullwidth
		"7kq2mx-9ab0c1-def3gh-4jn5p":       "", // too short
		"7kq2mx-9ab0c1-def3gh-4jn5pr7":     "", // too long
		"7kq2mx-9ab0c1-def3gh-4jn5pu":      "", // u is not in the alphabet
		"7kq2mx_9ab0c1_def3gh_4jn5pr":      "",
		"7kq2mx-9ab0c1-déf3gh-4jn5pr":      "",
		"":                                 "",
		"\xff\xfe7kq2mx9ab0c1def3gh4jn5pr": "",
	} {
		got, ok := NormalizeRecoveryCode(in)
		if got != want || ok != (want != "") {
			t.Errorf("NormalizeRecoveryCode(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestHashRecoveryCode(t *testing.T) {
	t.Parallel()
	plain, hashes := NewRecoveryCodes(1)
	typed := strings.ToUpper(strings.ReplaceAll(plain[0], "-", " "))
	if !bytes.Equal(HashRecoveryCode(typed), hashes[0]) {
		t.Errorf("HashRecoveryCode(%q) does not match the code %q", typed, plain[0])
	}
	if len(HashRecoveryCode("nonsense")) != sha256.Size {
		t.Error("a malformed code does not get a SHA-256 sized hash")
	}
	if bytes.Equal(HashRecoveryCode("nonsense"), hashes[0]) || bytes.Equal(HashRecoveryCode(""), hashes[0]) {
		t.Error("a malformed code matched a real one")
	}
}

func FuzzNormalizeRecoveryCode(f *testing.F) {
	for _, s := range []string{"7kq2mx-9ab0c1-def3gh-4jn5pr", "7KQ2MX 9ABOCI DEF3GH 4JN5PR", "", "\xff", "uuuuuu-uuuuuu-uuuuuu-uuuuuu"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, ok := NormalizeRecoveryCode(in)
		h := HashRecoveryCode(in)
		if len(h) != sha256.Size {
			t.Fatalf("HashRecoveryCode(%q) is %d bytes", in, len(h))
		}
		if !ok {
			if got != "" {
				t.Fatalf("NormalizeRecoveryCode(%q) = %q, false", in, got)
			}
			return
		}
		if len(got) != recoveryLen || strings.Trim(got, recoveryAlphabet) != "" {
			t.Fatalf("NormalizeRecoveryCode(%q) = %q: not %d alphabet characters", in, got, recoveryLen)
		}
		if again, ok := NormalizeRecoveryCode(got); !ok || again != got {
			t.Fatalf("not idempotent: %q → %q → %q", in, got, again)
		}
		if want := sha256.Sum256([]byte(got)); !bytes.Equal(h, want[:]) {
			t.Fatalf("HashRecoveryCode(%q) is not SHA-256 of %q", in, got)
		}
	})
}
