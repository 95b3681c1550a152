package main

import (
	"slices"
	"strings"
	"testing"
)

func TestDirectoryMissPaths(t *testing.T) {
	t.Parallel()
	entries := []dirEntry{
		{Pavilion: "wuxi", Country: "CN", Sectors: []string{"sensors"}},
		{Pavilion: "wuxi", Country: "CN", Sectors: []string{"sensors", "cloud"}},
		{Pavilion: "", Country: "ES", Sectors: []string{"cloud"}},
	}
	got := directoryMissPaths("x", entries, 1, 2, 1)
	var want []string
	page := func(path, query string, pages int) {
		for p := 1; p <= pages; p++ {
			for _, lang := range missLangs {
				q := []string{}
				if query != "" {
					q = append(q, strings.Split(query, "&")...)
				}
				q = append(q, "lang="+lang)
				if p > 1 {
					q = append(q, "page=2")
				}
				// url.Values.Encode sorts by key: country, lang, page, sector.
				slices.SortFunc(q, func(a, b string) int { return strings.Compare(a, b) })
				want = append(want, path+"?"+strings.Join(q, "&"))
			}
		}
	}
	// The expo: everyone (3, two pages at most), by sector, by country, by both.
	page("/expos/x/exhibitors", "", 2)
	page("/expos/x/exhibitors", "sector=sensors", 2)
	page("/expos/x/exhibitors", "sector=cloud", 2)
	page("/expos/x/exhibitors", "country=CN", 2)
	page("/expos/x/exhibitors", "country=ES", 1)
	page("/expos/x/exhibitors", "country=CN&sector=sensors", 2)
	page("/expos/x/exhibitors", "country=CN&sector=cloud", 1)
	page("/expos/x/exhibitors", "country=ES&sector=cloud", 1)
	// The pavilion: its two companies only.
	page("/expos/x/pavilions/wuxi", "", 2)
	page("/expos/x/pavilions/wuxi", "sector=sensors", 2)
	page("/expos/x/pavilions/wuxi", "sector=cloud", 1)
	page("/expos/x/pavilions/wuxi", "country=CN", 2)
	page("/expos/x/pavilions/wuxi", "country=CN&sector=sensors", 2)
	page("/expos/x/pavilions/wuxi", "country=CN&sector=cloud", 1)
	sorted := slices.Clone(got)
	slices.Sort(sorted)
	slices.Sort(want)
	if !slices.Equal(sorted, want) {
		t.Errorf("paths\n got %q\nwant %q", sorted, want)
	}
	if slices.Equal(got, sorted) {
		t.Error("the paths are not shuffled")
	}
	if again := directoryMissPaths("x", entries, 1, 2, 1); !slices.Equal(again, got) {
		t.Error("the same entries and seed gave another order")
	}
}

func TestSearchAndExhibitorPaths(t *testing.T) {
	t.Parallel()
	got := searchPaths("/expos/x/exhibitors", []typedTerm{{"señal re", termEnye}, {"网关", termHan2}, {"lo", termLatin}})
	want := []string{"/expos/x/exhibitors?lang=es&q=se%C3%B1al+re", "/expos/x/exhibitors?lang=zh&q=%E7%BD%91%E5%85%B3", "/expos/x/exhibitors?lang=en&q=lo"}
	if !slices.Equal(got, want) {
		t.Errorf("search paths %q, want %q", got, want)
	}
	ex := exhibitorMissPaths([]string{"a", "b"}, 1)
	slices.Sort(ex)
	if want := []string{"/exhibitors/a?lang=en", "/exhibitors/a?lang=es", "/exhibitors/a?lang=zh",
		"/exhibitors/b?lang=en", "/exhibitors/b?lang=es", "/exhibitors/b?lang=zh"}; !slices.Equal(ex, want) {
		t.Errorf("exhibitor paths %q", ex)
	}
}
