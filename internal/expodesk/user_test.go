package expodesk_test

import (
	"testing"

	"expodesk/internal/expodesk"
)

func TestPersonNameString(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		in   expodesk.PersonName
		want string
	}{
		{"ChineseCharacters", expodesk.PersonName{FamilyName: "王", GivenName: "伟", NameOrder: expodesk.NameEastern}, "王伟"},
		{"ChineseCompoundSurname", expodesk.PersonName{FamilyName: "欧阳", GivenName: "娜娜", NameOrder: expodesk.NameEastern}, "欧阳娜娜"},
		{"ChinesePinyin", expodesk.PersonName{FamilyName: "Wang", GivenName: "Wei", NameOrder: expodesk.NameEastern}, "Wang Wei"},
		{"Spanish", expodesk.PersonName{FamilyName: "Tarragó", GivenName: "Marc", NameOrder: expodesk.NameWestern}, "Marc Tarragó"},
		{"SpanishTwoSurnames", expodesk.PersonName{FamilyName: "García Lorca", GivenName: "Federico", NameOrder: expodesk.NameWestern}, "Federico García Lorca"},
		{"EmptyOrderIsWestern", expodesk.PersonName{FamilyName: "Tarragó", GivenName: "Marc"}, "Marc Tarragó"},
		{"HanWithWesternOrder", expodesk.PersonName{FamilyName: "王", GivenName: "伟", NameOrder: expodesk.NameWestern}, "伟 王"},
		{"MixedScriptsEastern", expodesk.PersonName{FamilyName: "王", GivenName: "Wei", NameOrder: expodesk.NameEastern}, "王 Wei"},
		{"OnlyFamily", expodesk.PersonName{FamilyName: "王", NameOrder: expodesk.NameEastern}, "王"},
		{"OnlyGiven", expodesk.PersonName{GivenName: "Marc"}, "Marc"},
		{"SpacesTrimmed", expodesk.PersonName{FamilyName: "  Tarragó ", GivenName: " Marc "}, "Marc Tarragó"},
		{"Empty", expodesk.PersonName{}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.in.String(); got != tc.want {
				t.Errorf("%+v.String() = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestGuessNameOrder(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, family string
		want         expodesk.NameOrder
	}{
		{"Han", "王", expodesk.NameEastern},
		{"HanWithMiddleDot", "阿·卜", expodesk.NameEastern},
		{"Latin", "Tarragó", expodesk.NameWestern},
		{"Pinyin", "Wang", expodesk.NameWestern},
		{"Empty", "", expodesk.NameWestern},
		{"Mixed", "王Wang", expodesk.NameWestern},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := expodesk.GuessNameOrder(tc.family); got != tc.want {
				t.Errorf("GuessNameOrder(%q) = %q, want %q", tc.family, got, tc.want)
			}
		})
	}
}
