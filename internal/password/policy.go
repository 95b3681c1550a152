package password

import (
	"bufio"
	_ "embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Length limits, in Unicode code points of the NFC form (NIST SP 800-63B
// counts each code point as one character). Emoji and CJK characters count
// one each, so a Chinese passphrase is not held to a byte budget. 128 leaves
// room for long passphrases while the form layer caps the request at 1 KiB.
const (
	MinLength = 8
	MaxLength = 128
)

// Problem keys returned by Check: translation keys for the message shown
// under the password field. Messages for the length keys may use the
// MinLength and MaxLength constants.
const (
	ProblemTooShort = "password.too_short"
	ProblemTooLong  = "password.too_long"
	ProblemCommon   = "password.common"
	ProblemEncoding = "password.encoding"
	ProblemContext  = "password.context"
)

// siteWords are the words of this service that people put in passwords made
// for it (ASVS 5.0 V6.2.11 asks for such a documented list). Check refuses a
// password that is little more than one of them.
var siteWords = []string{"expodesk", "iotswc", "worldiotexpo", "iotexpo", "wuxi", "barcelona", "eupic"}

// minContextWord is the shortest context word Check considers: shorter
// tokens ("com", "li") occur in too many good passwords to mean anything.
const minContextWord = 3

// Check returns "" when plain is acceptable as a new password, or the
// translation key of the first problem found. The rules are NIST's and
// ASVS's: length only, no composition rules (no "one digit, one capital"),
// and passwords from lists attackers try first are refused.
//
// Refused, in this order: invalid UTF-8; fewer than MinLength or more than
// MaxLength code points after NFC normalization; one of the 10,000 most
// common passwords, ignoring case and surrounding spaces (or only spaces);
// little more than a context word. Context words are this site's names plus contextWords, which
// the caller fills with what it knows of the person (email, names): each is
// split at anything not a letter or digit, and a password that is shorter
// than MinLength once all those words are taken out is refused
// ("expodesk2025", "marc.tarrago!!"), and so is one that is a common
// password once they are ("wuxipassword"), while a passphrase that merely
// contains one is not.
func Check(plain string, contextWords ...string) (problemKey string) {
	if !utf8.ValidString(plain) {
		return ProblemEncoding
	}
	n := normalize(plain)
	switch c := utf8.RuneCountInString(n); {
	case c < MinLength:
		return ProblemTooShort
	case c > MaxLength:
		return ProblemTooLong
	}
	key := commonKey(n)
	if key == "" || commonSet()[key] {
		return ProblemCommon
	}
	if mostlyContext(key, contextWords) {
		return ProblemContext
	}
	return ""
}

// commonKey is what the common list is matched on: NFC (already applied by
// the caller), lower case, surrounding spaces removed.
func commonKey(s string) string {
	return strings.ToLower(strings.TrimSpace(s))
}

//go:embed common.txt
var commonTxt string

// commonSet parses the embedded list once, on first use, so that programs
// that never call Check do not pay for it. The entries go through the same
// normalization as the input, whatever the file holds.
var commonSet = sync.OnceValue(func() map[string]bool {
	set := make(map[string]bool, 10000)
	sc := bufio.NewScanner(strings.NewReader(commonTxt))
	for sc.Scan() {
		if k := commonKey(normalize(sc.Text())); k != "" {
			set[k] = true
		}
	}
	return set
})

// mostlyContext reports whether what is left of key (lower case) once every
// context word is removed from it is shorter than MinLength or a common
// password ("wuxipassword").
func mostlyContext(key string, contextWords []string) bool {
	rest := key
	remove := func(word string) {
		for _, w := range strings.FieldsFunc(commonKey(normalize(word)), notLetterOrDigit) {
			if utf8.RuneCountInString(w) >= minContextWord {
				rest = strings.ReplaceAll(rest, w, "")
			}
		}
	}
	for _, w := range siteWords {
		remove(w)
	}
	for _, w := range contextWords {
		remove(w)
	}
	if rest == key {
		return false
	}
	rest = strings.TrimSpace(rest)
	return utf8.RuneCountInString(rest) < MinLength || commonSet()[rest]
}

func notLetterOrDigit(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }
