package directory

import (
	"math/bits"
	"slices"
	"strings"
	"unicode/utf8"

	"expodesk/internal/expodesk"
)

// Row is one approved participation of an expo as the store loads it.
type Row = expodesk.DirectoryRow

// langIndex is a language's index in Row.Rank; sortName orders any other
// language as English.
func langIndex(l expodesk.Lang) int {
	switch l {
	case expodesk.ZH:
		return 1
	case expodesk.ES:
		return 2
	}
	return 0
}

func rank(r *Row, l int) int32 {
	switch l {
	case 1:
		return r.RankZH
	case 2:
		return r.RankES
	}
	return r.RankEN
}

// maxTerms is how many words of a search are matched, as the store does
// (postgres maxSearchTerms).
const maxTerms = 5

// snapshot is one expo's directory at one moment, never changed once built.
type snapshot struct {
	// seq is the expo's notification count the data is at least as new as.
	seq  uint64
	rows []Row
	// order holds row indexes in each language's name order.
	order [3][]int32
	// sig is a signature of each row's folded text: words uint64s a row,
	// one bit set for each hashed character and pair of characters. A term
	// can only occur in a row that has all its bits; strings.Contains
	// decides (the signature has false positives, never false negatives).
	sig   []uint64
	words int
	shift uint
	// countries are the sorted distinct countries of the expo (key 0) and
	// of each pavilion.
	countries map[int64][]string
}

// build indexes rows loaded at notification count seq.
func build(seq uint64, rows []Row) *snapshot {
	s := &snapshot{seq: seq, rows: rows, countries: map[int64][]string{}}
	for l := range s.order {
		o := make([]int32, len(rows))
		for i := range o {
			o[i] = int32(i)
		}
		slices.SortFunc(o, func(a, b int32) int { return int(rank(&rows[a], l)) - int(rank(&rows[b], l)) })
		s.order[l] = o
	}
	// About 4 bits a distinct gram (a character or a pair of them, about
	// 1.2 a character): a pair of characters not in a row passes for one of
	// about 1 in 8, a term of three characters (five grams) for 1 in 30,000.
	chars := 0
	for i := range rows {
		r := &rows[i]
		chars += utf8.RuneCountInString(r.Search)
		// Share the names' bytes with the search text they start.
		if strings.HasPrefix(r.Search, r.SearchNames) {
			r.SearchNames = r.Search[:len(r.SearchNames)]
		}
	}
	sigBits := 512
	if len(rows) > 0 {
		for sigBits < 5*chars/len(rows) && sigBits < 1<<16 {
			sigBits *= 2
		}
	}
	s.words = sigBits / 64
	s.shift = uint(64 - bits.TrailingZeros(uint(sigBits)))
	s.sig = make([]uint64, len(rows)*s.words)
	for i := range rows {
		row := s.sig[i*s.words : (i+1)*s.words]
		grams(rows[i].Search, s.shift, func(h uint64) { row[h>>6] |= 1 << (h & 63) })
	}
	countries := map[int64]map[string]bool{}
	for _, r := range rows {
		for _, pv := range []int64{0, r.PavilionID} {
			if countries[pv] == nil {
				countries[pv] = map[string]bool{}
			}
			countries[pv][r.Country] = true
		}
	}
	for pv, set := range countries {
		list := make([]string, 0, len(set))
		for c := range set {
			list = append(list, c)
		}
		slices.Sort(list)
		s.countries[pv] = list
	}
	return s
}

// grams calls f with the hash (shift bits) of every character and every
// pair of adjacent characters of s.
func grams(s string, shift uint, f func(uint64)) {
	var prev rune = -1
	for _, r := range s {
		f(hashGram(uint64(r), shift))
		if prev >= 0 {
			f(hashGram(uint64(prev)<<21|uint64(r)|1<<63, shift))
		}
		prev = r
	}
}

func hashGram(k uint64, shift uint) uint64 { return (k * 0x9E3779B97F4A7C15) >> shift }

// probe is one word of a signature and the bits a match must have there.
type probe struct {
	word int
	mask uint64
}

// probes are the signature bits every row matching all terms has.
func (s *snapshot) probes(terms []string) []probe {
	var out []probe
	for _, t := range terms {
		grams(t, s.shift, func(h uint64) {
			w, m := int(h>>6), uint64(1)<<(h&63)
			for i := range out {
				if out[i].word == w {
					out[i].mask |= m
					return
				}
			}
			out = append(out, probe{w, m})
		})
	}
	return out
}

// Terms are the folded words of a search the directory matches, as the
// store's Directory takes them: the first five of its words, each folded.
func Terms(text string) []string {
	var terms []string
	for i, w := range strings.Fields(text) {
		if i == maxTerms {
			break
		}
		terms = append(terms, Fold(w))
	}
	return terms
}

// search answers q (cleaned) from the snapshot: name matches first (every
// term in a name or the legal name), then the other matches, each in the
// language's name order; the count is exact.
func (s *snapshot) search(q expodesk.DirectoryQuery) expodesk.DirectoryPage {
	terms := Terms(q.Text)
	probes := s.probes(terms)
	var names, others []int32
rows:
	for _, i := range s.order[langIndex(q.Lang)] {
		r := &s.rows[i]
		if q.PavilionID != 0 && r.PavilionID != q.PavilionID ||
			q.Country != "" && r.Country != q.Country ||
			q.Sector != "" && !slices.Contains(r.Sectors, q.Sector) {
			continue
		}
		if len(probes) > 0 {
			sig := s.sig[int(i)*s.words:]
			for _, p := range probes {
				if sig[p.word]&p.mask != p.mask {
					continue rows
				}
			}
		}
		inNames := true
		for _, t := range terms {
			if inNames && strings.Contains(r.SearchNames, t) {
				continue
			}
			inNames = false
			if !strings.Contains(r.Search, t) {
				continue rows
			}
		}
		if inNames {
			names = append(names, i)
		} else {
			others = append(others, i)
		}
	}
	page := expodesk.DirectoryPage{Page: q.Page, PerPage: q.PerPage, Total: len(names) + len(others)}
	if page.Total == 0 {
		return page
	}
	if last := page.Pages(); page.Page > last {
		page.Page = last
	}
	from := (page.Page - 1) * page.PerPage
	to := min(from+page.PerPage, page.Total)
	page.Entries = make([]expodesk.DirectoryEntry, 0, to-from)
	for k := from; k < to; k++ {
		i := 0
		if k < len(names) {
			i = int(names[k])
		} else {
			i = int(others[k-len(names)])
		}
		page.Entries = append(page.Entries, s.rows[i].DirectoryEntry)
	}
	return page
}
