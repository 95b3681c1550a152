package directory

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"expodesk/internal/expodesk"
)

// TestNarrowedSearchesAnswerAsFresh: a search narrowed to the rows an
// earlier keystroke matched answers exactly as the same search on a
// snapshot that remembers nothing, whatever was typed before it (prefixes,
// a deleted letter, a second word, other filters).
func TestNarrowedSearchesAnswerAsFresh(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	words := []string{"sensor", "señal", "senda", "lorawan", "lora", "gateway", "网关", "传感器", "物联网", "nube", "cámara", "camino", "mesh"}
	var rows []Row
	for i := range 3000 {
		name := words[rnd.IntN(len(words))] + " " + words[rnd.IntN(len(words))]
		desc := words[rnd.IntN(len(words))] + " " + words[rnd.IntN(len(words))] + " " + words[rnd.IntN(len(words))]
		r := Row{PavilionID: int64(rnd.IntN(3))}
		r.ID = int64(i + 1)
		r.Slug = fmt.Sprintf("c-%d", i)
		r.Name = expodesk.Text{EN: name}
		r.Country = []string{"ES", "CN", "FR"}[rnd.IntN(3)]
		r.SearchNames = Fold(name)
		r.Search = r.SearchNames + " " + Fold(desc)
		r.RankEN, r.RankZH, r.RankES = int32(rnd.IntN(1<<20)), int32(rnd.IntN(1<<20)), int32(rnd.IntN(1<<20))
		rows = append(rows, r)
	}
	typed := build(1, cloneRows(rows))
	var queries []expodesk.DirectoryQuery
	for _, term := range []string{"sensor gateway", "señal", "senda", "lorawan mesh", "网关", "传感器", "cámara nube"} {
		runes := []rune(term)
		for n := 1; n <= len(runes); n++ {
			for _, pv := range []int64{0, 1} {
				queries = append(queries, expodesk.DirectoryQuery{Text: string(runes[:n]), PavilionID: pv, Lang: expodesk.EN, Page: 1, PerPage: 20})
			}
		}
		// A letter deleted, then typed again.
		queries = append(queries, expodesk.DirectoryQuery{Text: string(runes[:len(runes)-1]), Lang: expodesk.ES, Page: 2, PerPage: 20},
			expodesk.DirectoryQuery{Text: term, Country: "CN", Lang: expodesk.ZH, Page: 1, PerPage: 20})
	}
	narrowedOnce := false
	for _, q := range queries {
		q = q.Clean()
		if typed.narrowed(q, Terms(q.Text)) != nil {
			narrowedOnce = true
		}
		got := typed.search(q)
		want := build(1, cloneRows(rows)).search(q)
		if !reflect.DeepEqual(slugsOf(got), slugsOf(want)) || got.Total != want.Total {
			t.Fatalf("%+v: narrowed %v (%d), fresh %v (%d)", q, slugsOf(got), got.Total, slugsOf(want), want.Total)
		}
	}
	if !narrowedOnce {
		t.Fatal("no search was narrowed by an earlier one")
	}
	if partOf([]string{"se", "x"}, []string{"sensor"}) || !partOf([]string{"se", "ga"}, []string{"sensor", "gateway"}) {
		t.Error("partOf")
	}
}

func cloneRows(rows []Row) []Row { return append([]Row(nil), rows...) }

func slugsOf(p expodesk.DirectoryPage) []string {
	var out []string
	for _, e := range p.Entries {
		out = append(out, e.Slug)
	}
	return strings.Fields(strings.Join(out, " "))
}
