package main

import (
	"math/rand/v2"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Search as you type: every keystroke in the directory's search box sends
// a new term (htmx, after 250 ms without typing), so a visitor typing
// "sensores de pre" asks for "se", "sen", "sens"… and someone typing
// Chinese commits two or three characters at a time through the input
// method. typingTerms makes such terms from the data set's own words.

// termKind is the kind of a search term, for the mix the report shows.
type termKind int

const (
	termLatin    termKind = iota // ASCII letters, digits and spaces only
	termAccented                 // other Latin letters (á, é, ü…), no ñ
	termEnye                     // with ñ
	termHan2                     // two Chinese characters
	termHan3                     // three Chinese characters
	termKinds
)

func (k termKind) String() string {
	return [...]string{"Latin", "accented Latin", "with ñ", "2 Chinese characters", "3 Chinese characters"}[k]
}

// langOf is the language a visitor typing the term most likely reads the
// site in: Chinese terms in Chinese, accented ones in Spanish.
func (k termKind) lang() string {
	switch k {
	case termHan2, termHan3:
		return "zh"
	case termAccented, termEnye:
		return "es"
	}
	return "en"
}

// kindOf classifies a term; ok is false for one that is none of the kinds
// (mixed scripts, one character).
func kindOf(term string) (termKind, bool) {
	han, other, n := 0, 0, utf8.RuneCountInString(term)
	ascii, enye := true, false
	for _, r := range term {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
		case r == 'ñ' || r == 'Ñ':
			enye, ascii = true, false
			other++
		case r >= utf8.RuneSelf:
			ascii = false
			other++
		default:
			other++
		}
	}
	switch {
	case han > 0 && other > 0, n < 2:
		return 0, false
	case han == 2:
		return termHan2, true
	case han == 3:
		return termHan3, true
	case han > 0:
		return 0, false
	case enye:
		return termEnye, true
	case !ascii:
		return termAccented, true
	}
	return termLatin, true
}

// typedTerm is one search a visitor sends.
type typedTerm struct {
	Text string
	Kind termKind
}

// typingTerms returns every distinct term a visitor typing one of phrases
// sends: for Latin text, each prefix of the lower-cased phrase from two
// characters on (not ending in a space, as the box trims it; at most
// maxWords words); for Chinese text, every run of two and of three
// consecutive Chinese characters. Each kind is shuffled (seeded), and the
// kinds are spread evenly through the list in proportion to their sizes,
// so that any stretch of the list has about the same mix.
func typingTerms(phrases []string, seed uint64) []typedTerm {
	const maxWords = 3
	seen := map[string]bool{}
	var byKind [termKinds][]string
	add := func(t string) {
		if seen[t] {
			return
		}
		seen[t] = true
		if k, ok := kindOf(t); ok {
			byKind[k] = append(byKind[k], t)
		}
	}
	for _, p := range phrases {
		var han []rune
		flush := func() {
			for size := 2; size <= 3; size++ {
				for i := 0; i+size <= len(han); i++ {
					add(string(han[i : i+size]))
				}
			}
			han = han[:0]
		}
		var latin []rune
		words := 0
		for _, r := range strings.ToLower(p) {
			if unicode.Is(unicode.Han, r) {
				han = append(han, r)
				continue
			}
			flush()
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != ' ' && r != '-' {
				r = ' '
			}
			if r == ' ' {
				if len(latin) == 0 || latin[len(latin)-1] == ' ' {
					continue
				}
				if words++; words == maxWords {
					latin = latin[:0]
					words = 0
					continue
				}
			}
			latin = append(latin, r)
			if r != ' ' && len(latin) >= 2 && !hasHan(latin) {
				add(string(latin))
			}
		}
		flush()
	}
	rng := rand.New(rand.NewPCG(seed, 17))
	type placed struct {
		term typedTerm
		at   float64
	}
	var all []placed
	for k := range termKinds {
		list := byKind[k]
		slices.Sort(list) // map order must not decide the shuffle
		rng.Shuffle(len(list), func(i, j int) { list[i], list[j] = list[j], list[i] })
		for i, t := range list {
			all = append(all, placed{typedTerm{t, k}, (float64(i) + 0.5) / float64(len(list))})
		}
	}
	slices.SortStableFunc(all, func(a, b placed) int {
		switch {
		case a.at < b.at:
			return -1
		case a.at > b.at:
			return 1
		}
		return int(a.term.Kind) - int(b.term.Kind)
	})
	out := make([]typedTerm, len(all))
	for i, p := range all {
		out[i] = p.term
	}
	return out
}

func hasHan(rs []rune) bool {
	for _, r := range rs {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// termMix counts the terms of each kind.
func termMix(terms []typedTerm) [termKinds]int {
	var n [termKinds]int
	for _, t := range terms {
		n[t.Kind]++
	}
	return n
}
