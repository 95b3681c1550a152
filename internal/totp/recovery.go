package totp

import (
	"crypto/rand"
	"crypto/sha256"
	"strings"
	"unicode"
)

// Recovery codes are 24 characters from Crockford's base32 alphabet, shown
// as four groups of six ("7kq2mx-..."): 120 random bits each.
//
// Why so long: they are stored as plain SHA-256, so that a typed code can be
// found with one indexed lookup, and a fast unsalted hash is only safe for
// secrets that cannot be brute-forced from a stolen table. ASVS 5.0 V6.5.2
// sets that line at 112 bits; shorter codes (10 characters, 50 bits) would
// need a salted password hash per code and a try against every stored one.
const (
	recoveryGroups   = 4
	recoveryGroupLen = 6
	recoveryLen      = recoveryGroups * recoveryGroupLen
	recoveryBits     = recoveryLen * 5
)

// RecoveryCodeCount is how many recovery codes to give a person at a time.
const RecoveryCodeCount = 10

// recoveryAlphabet is Crockford's base32 alphabet: no i, l, o or u, so that
// nothing written down reads as two different characters; normalization maps
// i and l to 1 and o to 0, as Crockford specifies. 32 symbols make exactly 5
// bits per character from one random byte, with no modulo bias.
const recoveryAlphabet = "0123456789abcdefghjkmnpqrstvwxyz"

// NewRecoveryCodes returns n new recovery codes to show the person once, and
// the SHA-256 of each to store. The codes come from crypto/rand.
func NewRecoveryCodes(n int) (plain []string, hashes [][]byte) {
	plain = make([]string, 0, n)
	hashes = make([][]byte, 0, n)
	seen := make(map[string]bool, n)
	raw := make([]byte, recoveryLen)
	for len(plain) < n {
		rand.Read(raw) // never fails: crypto/rand crashes the program instead
		var code strings.Builder
		for i, b := range raw {
			if i > 0 && i%recoveryGroupLen == 0 {
				code.WriteByte('-')
			}
			code.WriteByte(recoveryAlphabet[b&31])
		}
		c := code.String()
		if seen[c] { // a 2^-120 event, but the store's key would refuse it
			continue
		}
		seen[c] = true
		plain = append(plain, c)
		hashes = append(hashes, HashRecoveryCode(c))
	}
	return plain, hashes
}

// HashRecoveryCode returns the SHA-256 of the normalized input (see
// NormalizeRecoveryCode), to look up among the stored hashes. Input that is
// not a well-formed code still gets a hash, which matches nothing.
func HashRecoveryCode(input string) []byte {
	n, _ := NormalizeRecoveryCode(input)
	if n == "" {
		n = "\x00invalid" // distinct from the hash of every real code
	}
	sum := sha256.Sum256([]byte(n))
	return sum[:]
}

// NormalizeRecoveryCode returns a recovery code as typed in its canonical form
// (24 lower-case characters, no separators), and false when it is not a
// well-formed code. Case, dashes and spaces are ignored, fullwidth characters
// from an input method are narrowed, and the letters people misread are
// mapped as Crockford specifies: i and l to 1, o to 0.
func NormalizeRecoveryCode(input string) (string, bool) {
	if len(input) > 256 {
		return "", false // far longer than any code with separators
	}
	var b strings.Builder
	for _, r := range input {
		if r >= '！' && r <= '～' { // fullwidth ASCII
			r -= '！' - '!'
		}
		r = unicode.ToLower(r)
		switch {
		case r == '-' || unicode.IsSpace(r):
			continue
		case r == 'i' || r == 'l':
			r = '1'
		case r == 'o':
			r = '0'
		}
		if r > unicode.MaxASCII || !strings.ContainsRune(recoveryAlphabet, r) {
			return "", false
		}
		b.WriteRune(r)
	}
	if b.Len() != recoveryLen {
		return "", false
	}
	return b.String(), true
}
