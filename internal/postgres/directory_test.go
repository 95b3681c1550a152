package postgres_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"expodesk/internal/expodesk"
)

// directoryWorld is an expo with two pavilions and exhibitors chosen so that
// each search, filter and sort case has exactly one right answer.
type directoryWorld struct {
	*visitorStore
	expo, other   expodesk.Expo
	wuxi, euro    expodesk.Pavilion
	otherPavilion expodesk.Pavilion
}

func newDirectoryWorld(t *testing.T) directoryWorld {
	t.Helper()
	v := newVisitorStore(t)
	w := directoryWorld{visitorStore: v}
	w.expo = v.expo("iotswc-2027")
	w.other = v.expo("wiot-2027")
	w.wuxi = v.pavilion(w.expo.ID, "wuxi-pavilion")
	w.euro = v.pavilion(w.expo.ID, "euro-pavilion")
	w.otherPavilion = v.pavilion(w.other.ID, "wuxi-pavilion")
	approved := func(e expodesk.Exhibitor, pv *expodesk.Pavilion) {
		t.Helper()
		x := v.exhibitor(e)
		var id *int64
		if pv != nil {
			id = &pv.ID
		}
		v.join(w.expo.ID, x.ID, id, expodesk.StatusApproved)
	}
	approved(expodesk.Exhibitor{Slug: "taihu-sensing", LegalName: "Taihu Sensing Technology Co Ltd",
		Name:        expodesk.Text{EN: "Taihu Sensing", ZH: "太湖传感"},
		Description: expodesk.Text{EN: "MEMS sensors.", ZH: "无锡制造的MEMS传感器。"},
		Country:     "CN", Sectors: []string{"sensors", "smart-city"}}, &w.wuxi)
	approved(expodesk.Exhibitor{Slug: "lihu-cloud", LegalName: "Lihu Cloud Co Ltd",
		Name:    expodesk.Text{EN: "Lihu Cloud", ZH: "蠡湖云"},
		Country: "CN", Sectors: []string{"cloud"}}, &w.wuxi)
	approved(expodesk.Exhibitor{Slug: "nube-catalana", LegalName: "Nube Catalana SL",
		Name:        expodesk.Text{ES: "Nube Catalana"},
		Description: expodesk.Text{ES: "Plataforma de energía en la nube."},
		Country:     "ES", Sectors: []string{"cloud", "energy"}}, nil)
	approved(expodesk.Exhibitor{Slug: "solar-100", LegalName: "Hundred Solar GmbH",
		Name: expodesk.Text{EN: "100% Solar"}, Country: "DE", Sectors: []string{"energy"}}, &w.euro)
	approved(expodesk.Exhibitor{Slug: "under-score", LegalName: "Under_Score Ltd",
		Name: expodesk.Text{EN: "Underscore"}, Country: "GB"}, &w.euro)
	approved(expodesk.Exhibitor{Slug: "back-slash", LegalName: `Back\Slash BV`,
		Name: expodesk.Text{EN: "Backslash"}, Country: "NL"}, &w.euro)

	// Not public in this expo: every search above would also find them.
	for i, st := range []expodesk.ParticipationStatus{expodesk.StatusApplied, expodesk.StatusInvited,
		expodesk.StatusRejected, expodesk.StatusWithdrawn} {
		x := v.exhibitor(expodesk.Exhibitor{Slug: fmt.Sprintf("hidden-%s", st), LegalName: fmt.Sprintf("Hidden %d 100%% Under_Score Back\\Slash", i),
			Name:        expodesk.Text{EN: "Taihu Hidden " + string(st), ZH: "无锡隐藏"},
			Description: expodesk.Text{ES: "energía oculta"}, Country: "CN", Sectors: []string{"sensors", "cloud", "energy"}})
		v.join(w.expo.ID, x.ID, &w.wuxi.ID, st)
	}
	// Approved, but at the other expo only.
	x := v.exhibitor(expodesk.Exhibitor{Slug: "elsewhere", Name: expodesk.Text{EN: "Taihu Elsewhere", ZH: "无锡别处"},
		Description: expodesk.Text{ES: "energía"}, Country: "CN", Sectors: []string{"sensors"}})
	v.join(w.other.ID, x.ID, &w.otherPavilion.ID, expodesk.StatusApproved)
	return w
}

// slugs runs a directory query and returns the slugs found, in order, and the total.
func (w directoryWorld) slugs(t *testing.T, q expodesk.DirectoryQuery) ([]string, int) {
	t.Helper()
	if q.ExpoID == 0 {
		q.ExpoID = w.expo.ID
	}
	if q.PerPage == 0 {
		q.PerPage = 100
	}
	page, err := w.s.Directory(w.ctx, q)
	if err != nil {
		t.Fatalf("Directory(%+v): %v", q, err)
	}
	var out []string
	for _, e := range page.Entries {
		out = append(out, e.Slug)
	}
	return out, page.Total
}

func TestDirectory(t *testing.T) {
	t.Parallel()
	w := newDirectoryWorld(t)
	all := []string{"back-slash", "lihu-cloud", "nube-catalana", "solar-100", "taihu-sensing", "under-score"}
	for _, tc := range []struct {
		name string
		q    expodesk.DirectoryQuery
		want []string // sorted; order is checked separately
	}{
		{"OnlyApproved", expodesk.DirectoryQuery{}, all},
		{"OtherExpo", expodesk.DirectoryQuery{ExpoID: w.other.ID}, []string{"elsewhere"}},
		{"PavilionFilter", expodesk.DirectoryQuery{PavilionID: w.wuxi.ID}, []string{"lihu-cloud", "taihu-sensing"}},
		{"OtherPavilion", expodesk.DirectoryQuery{PavilionID: w.euro.ID}, []string{"back-slash", "solar-100", "under-score"}},
		{"PavilionOfOtherExpo", expodesk.DirectoryQuery{PavilionID: w.otherPavilion.ID}, nil},
		{"SectorFilter", expodesk.DirectoryQuery{Sector: "energy"}, []string{"nube-catalana", "solar-100"}},
		{"SectorAndPavilion", expodesk.DirectoryQuery{Sector: "cloud", PavilionID: w.wuxi.ID}, []string{"lihu-cloud"}},
		{"SectorUnknown", expodesk.DirectoryQuery{Sector: "astrology"}, nil},
		{"CountryFilter", expodesk.DirectoryQuery{Country: "CN"}, []string{"lihu-cloud", "taihu-sensing"}},
		{"CountryLowerCase", expodesk.DirectoryQuery{Country: "es"}, []string{"nube-catalana"}},
		{"CountryAndSector", expodesk.DirectoryQuery{Country: "CN", Sector: "sensors"}, []string{"taihu-sensing"}},
		{"CountryNone", expodesk.DirectoryQuery{Country: "FR"}, nil},
		{"SearchEnglishName", expodesk.DirectoryQuery{Text: "taihu"}, []string{"taihu-sensing"}},
		{"SearchCaseInsensitive", expodesk.DirectoryQuery{Text: "TAIHU sensing"}, []string{"taihu-sensing"}},
		{"SearchChineseName", expodesk.DirectoryQuery{Text: "蠡湖"}, []string{"lihu-cloud"}},
		{"SearchChineseTwoCharsInDescription", expodesk.DirectoryQuery{Text: "无锡"}, []string{"taihu-sensing"}},
		{"SearchChineseOneChar", expodesk.DirectoryQuery{Text: "湖"}, []string{"lihu-cloud", "taihu-sensing"}},
		{"SearchSpanishWithoutAccent", expodesk.DirectoryQuery{Text: "energia"}, []string{"nube-catalana"}},
		{"SearchSpanishWithAccent", expodesk.DirectoryQuery{Text: "ENERGÍA"}, []string{"nube-catalana"}},
		{"SearchLegalName", expodesk.DirectoryQuery{Text: "GmbH"}, []string{"solar-100"}},
		{"SearchDescription", expodesk.DirectoryQuery{Text: "mems"}, []string{"taihu-sensing"}},
		{"SearchPercentIsLiteral", expodesk.DirectoryQuery{Text: "%"}, []string{"solar-100"}},
		{"SearchPercentInWord", expodesk.DirectoryQuery{Text: "100%"}, []string{"solar-100"}},
		{"SearchUnderscoreIsLiteral", expodesk.DirectoryQuery{Text: "_"}, []string{"under-score"}},
		{"SearchUnderscoreInWord", expodesk.DirectoryQuery{Text: "under_score"}, []string{"under-score"}},
		{"SearchBackslashIsLiteral", expodesk.DirectoryQuery{Text: `\`}, []string{"back-slash"}},
		{"SearchBackslashInWord", expodesk.DirectoryQuery{Text: `back\slash`}, []string{"back-slash"}},
		// Full-width ％ ＿ ＼ fold to % _ \ and are as literal as those.
		{"SearchFullWidthPercent", expodesk.DirectoryQuery{Text: "％"}, []string{"solar-100"}},
		{"SearchFullWidthPercentInWord", expodesk.DirectoryQuery{Text: "100％"}, []string{"solar-100"}},
		{"SearchFullWidthUnderscore", expodesk.DirectoryQuery{Text: "＿"}, []string{"under-score"}},
		{"SearchFullWidthUnderscoreInWord", expodesk.DirectoryQuery{Text: "under＿score"}, []string{"under-score"}},
		{"SearchFullWidthBackslash", expodesk.DirectoryQuery{Text: "＼"}, []string{"back-slash"}},
		{"SearchFullWidthWildcardsInWord", expodesk.DirectoryQuery{Text: "tai％sensing"}, nil},
		{"SearchFullWidthTwoUnderscores", expodesk.DirectoryQuery{Text: "＿＿"}, nil},
		{"SearchQuote", expodesk.DirectoryQuery{Text: `O'Brien`}, nil},
		{"SearchAllWordsMustMatch", expodesk.DirectoryQuery{Text: "taihu cloud"}, nil},
		{"SearchWordsInDifferentFields", expodesk.DirectoryQuery{Text: "lihu 蠡湖 ltd"}, []string{"lihu-cloud"}},
		{"SearchWordsAnyOrder", expodesk.DirectoryQuery{Text: "sensing taihu"}, []string{"taihu-sensing"}},
		{"SearchOnlyFiveWordsCount", expodesk.DirectoryQuery{Text: "taihu sensing mems 传感 ltd nomatch"}, []string{"taihu-sensing"}},
		{"SearchAndFilter", expodesk.DirectoryQuery{Text: "cloud", Country: "CN"}, []string{"lihu-cloud"}},
		{"SearchNoMatch", expodesk.DirectoryQuery{Text: "zzzz"}, nil},
		{"SearchNULIsASpace", expodesk.DirectoryQuery{Text: "tai\x00hu"}, []string{"taihu-sensing"}},
		{"SearchInvalidUTF8", expodesk.DirectoryQuery{Text: "tai\xffhu"}, []string{"taihu-sensing"}},
		{"SearchOnlySpaces", expodesk.DirectoryQuery{Text: "   "}, all},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, total := w.slugs(t, tc.q)
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("found %v, want %v", got, tc.want)
			}
			if total != len(tc.want) {
				t.Errorf("total = %d, want %d", total, len(tc.want))
			}
		})
	}
}

func TestDirectoryEntries(t *testing.T) {
	t.Parallel()
	w := newDirectoryWorld(t)
	page, err := w.s.Directory(w.ctx, expodesk.DirectoryQuery{ExpoID: w.expo.ID, Text: "taihu"})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Entries) != 1 {
		t.Fatalf("entries = %d", len(page.Entries))
	}
	e := page.Entries[0]
	if e.PavilionSlug != "wuxi-pavilion" || e.PavilionName.EN != "Pavilion wuxi-pavilion" {
		t.Errorf("pavilion = %q %+v", e.PavilionSlug, e.PavilionName)
	}
	if !slices.Equal(e.Sectors, []string{"sensors", "smart-city"}) {
		t.Errorf("sectors = %v", e.Sectors)
	}
	if e.Name.ZH != "太湖传感" || e.Country != "CN" {
		t.Errorf("exhibitor = %+v", e.Exhibitor)
	}
	page, err = w.s.Directory(w.ctx, expodesk.DirectoryQuery{ExpoID: w.expo.ID, Text: "energia"})
	if err != nil || len(page.Entries) != 1 || page.Entries[0].PavilionSlug != "" {
		t.Errorf("an exhibitor without a pavilion: %+v, %v", page.Entries, err)
	}
}

func TestDirectoryPagination(t *testing.T) {
	t.Parallel()
	w := newDirectoryWorld(t) // six approved exhibitors
	for _, tc := range []struct {
		name                string
		page, perPage       int
		wantPage, wantTotal int
		wantEntries         int
	}{
		{"FirstPage", 1, 4, 1, 6, 4},
		{"LastPage", 2, 4, 2, 6, 2},
		{"PastEndClampsToLast", 3, 4, 2, 6, 2},
		{"FarPastEndClampsToLast", 999999, 4, 2, 6, 2},
		{"NegativeIsFirst", -1, 4, 1, 6, 4},
		{"ExactPages", 3, 2, 3, 6, 2},
		{"OnePage", 1, 100, 1, 6, 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := w.s.Directory(w.ctx, expodesk.DirectoryQuery{ExpoID: w.expo.ID, Page: tc.page, PerPage: tc.perPage})
			if err != nil {
				t.Fatal(err)
			}
			if p.Page != tc.wantPage || p.Total != tc.wantTotal || len(p.Entries) != tc.wantEntries {
				t.Errorf("page %d total %d entries %d; want page %d total %d entries %d",
					p.Page, p.Total, len(p.Entries), tc.wantPage, tc.wantTotal, tc.wantEntries)
			}
		})
	}
	t.Run("PagesCoverEveryoneOnce", func(t *testing.T) {
		var seen []string
		for page := 1; page <= 3; page++ {
			got, _ := w.slugs(t, expodesk.DirectoryQuery{Page: page, PerPage: 2})
			seen = append(seen, got...)
		}
		all, _ := w.slugs(t, expodesk.DirectoryQuery{})
		if !slices.Equal(seen, all) {
			t.Errorf("pages of two = %v, one page = %v", seen, all)
		}
	})
	t.Run("NoResults", func(t *testing.T) {
		p, err := w.s.Directory(w.ctx, expodesk.DirectoryQuery{ExpoID: w.expo.ID, Text: "zzzz", Page: 5})
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != 0 || len(p.Entries) != 0 || p.Pages() != 1 {
			t.Errorf("empty result: %+v", p)
		}
	})
}

func TestDirectorySortByLanguage(t *testing.T) {
	t.Parallel()
	v := newVisitorStore(t)
	e := v.expo("iotswc-2027")
	for _, x := range []expodesk.Exhibitor{
		// zh by pinyin: 阿 (ā) < 北 (běi) < 中 (zhōng); by code point 中 < 北 < 阿.
		// es: N < Ñ < O; English collation puts Ñ with N.
		{Slug: "x-zhong", Name: expodesk.Text{EN: "Alpha", ZH: "中云", ES: "Oro"}},
		{Slug: "x-bei", Name: expodesk.Text{EN: "Beta", ZH: "北能", ES: "Ñandú"}},
		{Slug: "x-a", Name: expodesk.Text{EN: "Gamma", ZH: "阿尔法", ES: "Nube"}},
		// Named only in English: sorts by its English name in every language.
		{Slug: "x-delta", Name: expodesk.Text{EN: "Delta"}},
		// No name in the reader's language falls back like Text.In: zh → en.
		{Slug: "x-es-only", Name: expodesk.Text{ES: "Naranja"}, LegalName: "zzz legal"},
	} {
		x = v.exhibitor(x)
		v.join(e.ID, x.ID, nil, expodesk.StatusApproved)
	}
	for _, tc := range []struct {
		lang expodesk.Lang
		want []string
	}{
		// Alpha, Beta, Delta, Gamma, Naranja
		{expodesk.EN, []string{"x-zhong", "x-bei", "x-delta", "x-a", "x-es-only"}},
		// 阿尔法, 北能, 中云 by pinyin (a, bei, zhong), then Delta, Naranja: the zh
		// collation puts Han characters before Latin letters.
		{expodesk.ZH, []string{"x-a", "x-bei", "x-zhong", "x-delta", "x-es-only"}},
		// Delta, Naranja, Nube, Ñandú, Oro
		{expodesk.ES, []string{"x-delta", "x-es-only", "x-a", "x-bei", "x-zhong"}},
	} {
		t.Run(strings.ToUpper(string(tc.lang)), func(t *testing.T) {
			got, _ := (directoryWorld{visitorStore: v, expo: e}).slugs(t, expodesk.DirectoryQuery{Lang: tc.lang})
			if !slices.Equal(got, tc.want) {
				t.Errorf("order %v, want %v", got, tc.want)
			}
		})
	}
}

func TestDirectoryCountries(t *testing.T) {
	t.Parallel()
	w := newDirectoryWorld(t)
	for _, tc := range []struct {
		name     string
		pavilion int64
		want     []string
	}{
		{"Expo", 0, []string{"CN", "DE", "ES", "GB", "NL"}},
		{"Pavilion", w.wuxi.ID, []string{"CN"}},
		{"OtherPavilion", w.euro.ID, []string{"DE", "GB", "NL"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := w.s.DirectoryCountries(w.ctx, w.expo.ID, tc.pavilion)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("countries %v, want %v", got, tc.want)
			}
		})
	}
}
