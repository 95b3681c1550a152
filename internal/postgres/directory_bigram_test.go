package postgres_test

import (
	"testing"

	"expodesk/internal/expodesk"
)

// TestDirectoryTwoCharacterTerms: two-character terms go through the bigram
// index, and must find exactly what a plain substring match finds, including
// terms whose folded form is longer (Æ folds to ae).
func TestDirectoryTwoCharacterTerms(t *testing.T) {
	t.Parallel()
	v := newVisitorStore(t)
	e := v.expo("iotswc-2027")
	for _, x := range []expodesk.Exhibitor{
		{Slug: "wuxi-gateway", Name: expodesk.Text{ZH: "无锡网关科技", EN: "Wuxi Gateway"}},
		{Slug: "aero-sense", Name: expodesk.Text{EN: "Æro Sense"}, Description: expodesk.Text{EN: "AI cameras and 5G links"}},
		{Slug: "plain-co", Name: expodesk.Text{EN: "Plain Co"}},
	} {
		got := v.exhibitor(x)
		v.join(e.ID, got.ID, nil, expodesk.StatusApproved)
	}
	for _, tc := range []struct {
		term string
		want []string
	}{
		{"无锡", []string{"wuxi-gateway"}},
		{"网关", []string{"wuxi-gateway"}},
		// "plAIn" too: a substring, as LIKE finds it; a name match, so
		// before aero-sense, which has "AI" in its description only.
		{"ai", []string{"plain-co", "aero-sense"}},
		{"5G", []string{"aero-sense"}},
		{"Ær", []string{"aero-sense"}}, // folds to "aer", three characters
		{"锡网", []string{"wuxi-gateway"}},
		{"xx", nil},
		// Full-width wildcards fold to % and _ but stay literal: no name here holds them.
		{"％", nil},
		{"＿", nil},
		{"％％", nil},
		{"＿＿", nil},
		{"a＿", nil},
	} {
		t.Run(tc.term, func(t *testing.T) {
			page, err := v.s.Directory(v.ctx, expodesk.DirectoryQuery{ExpoID: e.ID, Text: tc.term, Lang: expodesk.EN})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, en := range page.Entries {
				got = append(got, en.Slug)
			}
			if len(got) != len(tc.want) || page.Total != len(tc.want) {
				t.Fatalf("q=%s: %v (total %d), want %v", tc.term, got, page.Total, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("q=%s: %v, want %v", tc.term, got, tc.want)
				}
			}
		})
	}
}
