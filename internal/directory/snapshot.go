package directory

import (
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	lru "github.com/hashicorp/golang-lru/v2"

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
	// seq is the expo's notification count the data is at least as new as,
	// cards its count of changes to cards (expoState).
	seq, cards uint64
	// rows are in English name order, so that a search reads text and
	// hot in order.
	rows []Row
	// hot is what a search tests of each row, packed (rows' index).
	hot []hot
	// text holds every row's folded search text, one after the other.
	text string
	// order holds row indexes in each language's name order.
	order [3][]int32
	// sectorBit numbers the sectors for hot.sectors (at most 64; any
	// other sector is tested on the row).
	sectorBit map[string]uint
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
	// recent are the rows the latest searches matched (narrowKey): search
	// as you type asks for "sen" after "se", and "sen" can only match rows
	// "se" matched, so it tests those instead of every row.
	recent *lru.Cache[string, []uint64]
}

// recentSearches is how many searches' matches a snapshot keeps: a bitmap
// of a bit a row each (9 KB for 72,000 rows).
const recentSearches = 256

// hot is one row as a search tests it.
type hot struct {
	pavilion int64
	sectors  uint64
	// text[start:names] are the folded names, text[start:end] all.
	start, names, end uint32
	country           [2]byte
}

// build indexes rows loaded at notification count seq.
func build(seq uint64, rows []Row) *snapshot {
	slices.SortFunc(rows, func(a, b Row) int { return int(a.RankEN) - int(b.RankEN) })
	recent, _ := lru.New[string, []uint64](recentSearches) // the size is valid
	s := &snapshot{seq: seq, rows: rows, countries: map[int64][]string{}, sectorBit: map[string]uint{}, recent: recent}
	for l := range s.order {
		o := make([]int32, len(rows))
		for i := range o {
			o[i] = int32(i)
		}
		slices.SortFunc(o, func(a, b int32) int { return int(rank(&rows[a], l)) - int(rank(&rows[b], l)) })
		s.order[l] = o
	}
	size := 0
	for i := range rows {
		size += len(rows[i].Search)
		for _, sec := range rows[i].Sectors {
			if _, ok := s.sectorBit[sec]; !ok && len(s.sectorBit) < 64 {
				s.sectorBit[sec] = uint(len(s.sectorBit))
			}
		}
	}
	var text strings.Builder
	text.Grow(size)
	s.hot = make([]hot, len(rows))
	for i := range rows {
		r := &rows[i]
		h := &s.hot[i]
		h.pavilion = r.PavilionID
		copy(h.country[:], r.Country)
		for _, sec := range r.Sectors {
			if b, ok := s.sectorBit[sec]; ok {
				h.sectors |= 1 << b
			}
		}
		h.start = uint32(text.Len())
		names := len(r.SearchNames)
		if !strings.HasPrefix(r.Search, r.SearchNames) {
			names = 0 // never so (search starts with the names); then no name matches
		}
		h.names = h.start + uint32(names)
		text.WriteString(r.Search)
		h.end = uint32(text.Len())
	}
	s.text = text.String()
	// The row's own copies are no longer needed: the arena holds them.
	for i := range rows {
		rows[i].Search, rows[i].SearchNames = "", ""
	}
	// About 5 bits a character (a distinct character or pair of them is
	// about 1.2 a character): a pair of characters not in a row passes for
	// about 1 in 8 rows, a term of three characters (five grams) for 1 in
	// 30,000.
	sigBits := 512
	if len(rows) > 0 {
		chars := utf8.RuneCountInString(s.text)
		for sigBits < 5*chars/len(rows) && sigBits < 1<<16 {
			sigBits *= 2
		}
	}
	s.words = sigBits / 64
	s.shift = uint(64 - bits.TrailingZeros(uint(sigBits)))
	s.sig = make([]uint64, len(rows)*s.words)
	for i, h := range s.hot {
		row := s.sig[i*s.words : (i+1)*s.words]
		grams(s.text[h.start:h.end], s.shift, func(g uint64) { row[g>>6] |= 1 << (g & 63) })
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
	var country [2]byte
	copy(country[:], q.Country)
	sectorMask, sectorKnown := uint64(0), true
	if q.Sector != "" {
		b, ok := s.sectorBit[q.Sector]
		sectorMask, sectorKnown = 1<<b, ok
	}
	// First in storage order (text and signatures read in sequence): which
	// rows match, and which of them by name.
	n := len(s.hot)
	match := make([]uint64, (n+63)/64)
	byName := make([]uint64, (n+63)/64)
	names, total := 0, 0
	// within is the matches of an earlier search these terms narrow, or
	// nil: every row is a candidate.
	within := s.narrowed(q, terms)
rows:
	for i := 0; i < n; i++ {
		if within != nil {
			w := within[i>>6] >> (i & 63)
			if w == 0 {
				// No candidate left in this word: go to the next one.
				i |= 63
				continue
			}
			if w&1 == 0 {
				continue
			}
		}
		h := &s.hot[i]
		if q.PavilionID != 0 && h.pavilion != q.PavilionID ||
			q.Country != "" && h.country != country ||
			q.Sector != "" && (sectorKnown && h.sectors&sectorMask == 0 || !sectorKnown && !slices.Contains(s.rows[i].Sectors, q.Sector)) {
			continue
		}
		if len(probes) > 0 {
			sig := s.sig[i*s.words:]
			for _, p := range probes {
				if sig[p.word]&p.mask != p.mask {
					continue rows
				}
			}
		}
		inNames := true
		for _, t := range terms {
			if inNames && strings.Contains(s.text[h.start:h.names], t) {
				continue
			}
			inNames = false
			if !strings.Contains(s.text[h.start:h.end], t) {
				continue rows
			}
		}
		match[i>>6] |= 1 << (i & 63)
		total++
		if inNames {
			byName[i>>6] |= 1 << (i & 63)
			names++
		}
	}
	if len(terms) > 0 {
		s.recent.Add(narrowKey(q, terms), match)
	}
	page := expodesk.DirectoryPage{Page: q.Page, PerPage: q.PerPage, Total: total}
	if total == 0 {
		return page
	}
	if last := page.Pages(); page.Page > last {
		page.Page = last
	}
	// Then in the language's order: name matches are places 0..names-1,
	// the others names..total-1; the page takes places from..to-1.
	from := (page.Page - 1) * page.PerPage
	to := min(from+page.PerPage, total)
	page.Entries = make([]expodesk.DirectoryEntry, to-from)
	nameAt, otherAt := 0, names
	for _, i := range s.order[langIndex(q.Lang)] {
		if match[i>>6]&(1<<(i&63)) == 0 {
			continue
		}
		at := &otherAt
		if byName[i>>6]&(1<<(i&63)) != 0 {
			at = &nameAt
		}
		if *at >= from && *at < to {
			page.Entries[*at-from] = s.rows[i].DirectoryEntry
		}
		*at++
		if nameAt >= min(to, names) && (names >= to || otherAt >= to) {
			break
		}
	}
	return page
}

// narrowKey names a search's matches in snapshot.recent: its filters and
// its folded terms (the page and the language only order them).
func narrowKey(q expodesk.DirectoryQuery, terms []string) string {
	return fmt.Sprintf("%d|%s|%s|%s", q.PavilionID, q.Country, q.Sector, strings.Join(terms, "\x00"))
}

// narrowed returns the matches of a recent search with q's filters whose
// every term is part of one of terms, so that every row terms match is
// among them: the query as it was a keystroke or a few before. Nil when
// none is kept.
func (s *snapshot) narrowed(q expodesk.DirectoryQuery, terms []string) []uint64 {
	if len(terms) == 0 || s.recent == nil {
		return nil
	}
	text := q.Text
	for range 8 {
		_, size := utf8.DecodeLastRuneInString(text)
		if size == 0 {
			return nil
		}
		text = strings.TrimRightFunc(text[:len(text)-size], unicode.IsSpace)
		earlier := Terms(text)
		if len(earlier) == 0 {
			return nil
		}
		if !partOf(earlier, terms) {
			continue
		}
		if m, ok := s.recent.Get(narrowKey(q, earlier)); ok {
			return m
		}
	}
	return nil
}

// partOf reports whether each of earlier is a substring of one of terms.
func partOf(earlier, terms []string) bool {
	for _, e := range earlier {
		if !slices.ContainsFunc(terms, func(t string) bool { return strings.Contains(t, e) }) {
			return false
		}
	}
	return true
}
