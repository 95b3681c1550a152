// Package directory keeps each expo's public directory in memory: the
// approved participations with what a card shows and the folded text a
// search reads, indexed so that a search term costs microseconds rather
// than a PostgreSQL query (issue 10). It is a read model of the store,
// kept fresh by the public change notifications; the store's own
// Directory query remains the fallback and the reference its results are
// tested against.
package directory

import (
	"iter"
	"maps"
	"strings"
	"unicode/utf8"
)

// Fold is PostgreSQL's search_fold (migration 000001: lower(unaccent(t))
// with the pinned unaccent dictionary) in Go, character for character:
// foldTable is generated from the database and checked against it on
// every code point (fold_test.go).
func Fold(s string) string {
	i := 0
	for i < len(s) {
		c := s[i]
		if c >= utf8.RuneSelf || asciiFold[c] != "" {
			break
		}
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		if r < utf8.RuneSelf {
			if f := asciiFold[r]; f != "" {
				b.WriteString(f)
			} else {
				b.WriteByte(byte(r))
			}
			continue
		}
		if f, ok := foldTable[r]; ok {
			b.WriteString(f)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// asciiFold holds the ASCII characters foldTable changes (the capitals).
var asciiFold = func() (t [utf8.RuneSelf]string) {
	for r, f := range foldTable {
		if r < utf8.RuneSelf {
			t[r] = f
		}
	}
	return t
}()

// FoldTableRunes lists the code points Fold changes (for tests).
func FoldTableRunes() iter.Seq[rune] { return maps.Keys(foldTable) }
