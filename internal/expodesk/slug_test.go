package expodesk_test

import (
	"strings"
	"testing"

	"expodesk/internal/expodesk"
)

func TestSlugify(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in, want string
	}{
		{"ChineseToPinyin", "无锡太湖", "wu-xi-tai-hu"},
		{"ChineseCompanyName", "无锡太湖传感科技有限公司", "wu-xi-tai-hu-chuan-gan-ke-ji-you-xian-gong-si"},
		{"MixedScripts", "Wuxi 无锡 Tech", "wuxi-wu-xi-tech"},
		{"HanBetweenLatinNoSpaces", "IoT无锡", "iot-wu-xi"},
		{"AccentsStripped", "Energía Solar", "energia-solar"},
		{"CatalanAccents", "Marc Tarragó i Fàbregas", "marc-tarrago-i-fabregas"},
		{"Umlauts", "Ünïcödé", "unicode"},
		{"Enye", "Compañía España", "compania-espana"},
		{"LettersWithoutDecomposition", "Straße Łódź Ærø", "strasse-lodz-aero"},
		{"UpperCase", "IOTSWC 2027", "iotswc-2027"},
		{"PunctuationCollapsed", "Nube --- Catalana, S.L.", "nube-catalana-s-l"},
		{"LeadingTrailingJunk", "  ¡Hola!  ", "hola"},
		{"Digits", "5G & 6G", "5g-6g"},
		{"Empty", "", ""},
		{"OnlySpaces", "   ", ""},
		{"EmojiOnly", "🎉🚀", ""},
		{"PunctuationOnly", "—·、。!!", ""},
		{"EmojiAroundText", "🎉 Expo 🎉", "expo"},
		{"InvalidUTF8", "ab\xffcd", "ab-cd"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := expodesk.Slugify(tc.in)
			if got != tc.want {
				t.Errorf("Slugify(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if got != "" && !expodesk.ValidSlug(got) {
				t.Errorf("Slugify(%q) = %q is not a valid slug", tc.in, got)
			}
		})
	}
}

func TestSlugifyLengthCap(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, in string }{
		{"LongLatin", strings.Repeat("sensor ", 100)},
		{"LongChinese", strings.Repeat("无锡太湖传感", 50)},
		{"LongWordNoSpaces", strings.Repeat("a", 500)},
		{"DashAtCut", strings.Repeat("abcdefghi ", 20)}, // a dash falls at byte 80
		{"HugeInput", strings.Repeat("Energía 能源 ", 20000)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := expodesk.Slugify(tc.in)
			if len(got) > 80 {
				t.Errorf("len = %d, want ≤ 80", len(got))
			}
			if !expodesk.ValidSlug(got) {
				t.Errorf("Slugify = %q, not a valid slug", got)
			}
		})
	}
}

func TestValidSlug(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		in   string
		want bool
	}{
		{"OK", "iotswc-2027", true},
		{"OneChar", "a", true},
		{"Max80", strings.Repeat("a", 80), true},
		{"TooLong81", strings.Repeat("a", 81), false},
		{"Empty", "", false},
		{"LeadingDash", "-a", false},
		{"TrailingDash", "a-", false},
		{"DoubleDash", "a--b", false},
		{"UpperCase", "A", false},
		{"Underscore", "a_b", false},
		{"Space", "a b", false},
		{"Chinese", "无锡", false},
		{"Accent", "energía", false},
		{"TrailingNewline", "a\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := expodesk.ValidSlug(tc.in); got != tc.want {
				t.Errorf("ValidSlug(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func FuzzSlugify(f *testing.F) {
	for _, s := range []string{
		"", "无锡太湖", "Energía", "🎉", "a--b", "-", "ǅ", "İstanbul", "ß", "Ⅻ", "１２３",
		"\xff\xfe", "a\x00b", strings.Repeat("无", 60), strings.Repeat("a-", 60), "e\u0301\u0301\u0301",
		"绿色", "女", "〇", "㐀", "\U00020000", " - - ", "ＡＢＣ", "İ̇",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := expodesk.Slugify(in)
		if got != "" && !expodesk.ValidSlug(got) {
			t.Fatalf("Slugify(%q) = %q, not a valid slug", in, got)
		}
		if again := expodesk.Slugify(got); again != got {
			t.Fatalf("Slugify not idempotent: %q → %q → %q", in, got, again)
		}
	})
}
