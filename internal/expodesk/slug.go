package expodesk

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/mozillazg/go-pinyin"
	"golang.org/x/text/unicode/norm"
)

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// latinLetters spells the Latin letters that NFD does not split into a
// base letter and an accent, so that "Straße" reads "strasse", not "stra-e".
var latinLetters = map[rune]string{
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'ł': "l", 'đ': "d", 'ð': "d", 'þ': "th", 'ı': "i",
}

// ValidSlug reports whether s is a lower-case ASCII slug of at most 80 bytes.
func ValidSlug(s string) bool {
	return len(s) <= 80 && slugPattern.MatchString(s)
}

func checkSlug(p Problems, field, v string) {
	if v == "" {
		p.Add(field, "validation.required", nil)
	} else if !ValidSlug(v) {
		p.Add(field, "validation.slug", nil)
	}
}

// Slugify turns a name in any of the three languages into a lower-case ASCII
// slug: accents are stripped ("Energía" → "energia") and Chinese characters
// become pinyin ("无锡" → "wu-xi"). It returns "" when nothing usable remains.
func Slugify(name string) string {
	var b strings.Builder
	dash := false
	emit := func(s string) {
		for _, r := range s {
			switch {
			case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
				b.WriteRune(r)
				dash = false
			case r >= 'A' && r <= 'Z':
				b.WriteRune(unicode.ToLower(r))
				dash = false
			default:
				if !dash && b.Len() > 0 {
					b.WriteByte('-')
					dash = true
				}
			}
		}
	}
	args := pinyin.NewArgs()
	for _, r := range norm.NFD.String(name) {
		switch {
		case unicode.Is(unicode.Mn, r):
			// a combining accent left by NFD
		case unicode.Is(unicode.Han, r):
			if py := pinyin.SinglePinyin(r, args); len(py) > 0 {
				if !dash && b.Len() > 0 {
					b.WriteByte('-')
				}
				emit(py[0])
				b.WriteByte('-')
				dash = true
			}
		default:
			if t, ok := latinLetters[unicode.ToLower(r)]; ok {
				emit(t)
			} else {
				emit(string(r))
			}
		}
		if b.Len() > 120 {
			break
		}
	}
	s := strings.Trim(b.String(), "-")
	if len(s) > 80 {
		s = strings.TrimRight(s[:80], "-")
	}
	return s
}
