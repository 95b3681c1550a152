package expodesk_test

import (
	"strings"
	"testing"

	"expodesk/internal/expodesk"
)

func TestValidUSCC(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, id string
		want     bool
	}{
		{"OK", "91350100M000100Y43", true},
		{"OKCheckIsLetter", "91110000802100433B", true},
		{"WrongCheckChar", "91350100M000100Y44", false},
		{"WrongCheckLetter", "91110000802100433C", false},
		{"BodyDigitChanged", "91350100M000100Y53", false},
		{"TwoDigitsSwapped", "19350100M000100Y43", false},
		{"TooShort", "91350100M000100Y4", false},
		{"TooLong", "91350100M000100Y433", false},
		{"Empty", "", false},
		{"LowerCase", "91110000802100433b", false},
		{"ForbiddenI", "91350100I000100Y43", false},
		{"ForbiddenO", "91350100O000100Y43", false},
		{"ForbiddenS", "91350100S000100Y43", false},
		{"ForbiddenV", "91350100V000100Y43", false},
		{"ForbiddenZ", "91350100Z000100Y43", false},
		{"ForbiddenAsCheckChar", "91350100M000100Y4I", false},
		{"ChineseCharacters", "九一三五〇一〇〇M000100Y43", false},
		{"EighteenBytesNotChars", "91350100M000100锡", false}, // 15 ASCII + 3 bytes of 锡
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := expodesk.ValidUSCC(tc.id); got != tc.want {
				t.Errorf("ValidUSCC(%q) = %v, want %v", tc.id, got, tc.want)
			}
		})
	}
}

func TestValidSpanishTaxID(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, id string
		want     bool
	}{
		{"DNI", "12345678Z", true},
		{"DNILowerCase", "12345678z", true},
		{"DNIWrongLetter", "12345678A", false},
		{"DNIShort", "1234567Z", false},
		{"DNILetterInBody", "1234A678Z", false},
		{"NIEX", "X1234567L", true},
		{"NIEY", "Y1234567X", true},
		{"NIEZ", "Z1234567R", true},
		{"NIEWrongLetter", "X1234567X", false},
		{"CIFDigitControlA", "A58818501", true},
		{"CIFDigitControlB", "B65410011", true},
		{"CIFWrongDigit", "A58818502", false},
		{"CIFLetterWhereDigitRequired", "A5881850A", false},
		{"CIFLetterControlQ", "Q2826000H", true},
		{"CIFQWithDigitControl", "Q28260008", false},
		{"CIFQWrongLetter", "Q2826000J", false},
		{"CIFEitherControlGDigit", "G08000002", true},
		{"CIFEitherControlGLetter", "G0800000B", true},
		{"CIFEitherControlGWrong", "G08000003", false},
		{"CIFUnknownFirstLetter", "I58818501", false},
		{"Empty", "", false},
		{"TooLong", "A588185011", false},
		{"NonASCII", "A5881850١", false},
		{"LongSUpperCasesToCIFLetter", "ſ2826000H", false}, // ToUpper("ſ") is "S": ten bytes must not pass as nine
		{"DotlessI", "ı58818501", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := expodesk.ValidSpanishTaxID(tc.id); got != tc.want {
				t.Errorf("ValidSpanishTaxID(%q) = %v, want %v", tc.id, got, tc.want)
			}
		})
	}
}

func TestValidRegistrationID(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, country, id string
		want              bool
	}{
		{"CNUSCC", "CN", "91350100M000100Y43", true},
		{"CNSpanishIDRefused", "CN", "A58818501", false},
		{"ESCIF", "ES", "B65410011", true},
		{"ESUSCCRefused", "ES", "91350100M000100Y43", false},
		{"OtherCountryFree", "GB", "SC-123456", true},
		{"OtherCountryEmpty", "GB", "", false},
		{"OtherCountryTooLong", "DE", strings.Repeat("1", 33), false},
		{"OtherCountrySpace", "DE", "HRB 1234", false},
		{"OtherCountryNonASCII", "DE", "HRB–1234", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := expodesk.ValidRegistrationID(tc.country, tc.id); got != tc.want {
				t.Errorf("ValidRegistrationID(%q, %q) = %v, want %v", tc.country, tc.id, got, tc.want)
			}
		})
	}
}

func FuzzRegistrationID(f *testing.F) {
	for _, s := range []string{
		"91350100M000100Y43", "91110000802100433B", "12345678Z", "X1234567L", "A58818501",
		"", "\xff", "ＡＢＣ", "91350100M000100锡", "Q2826000H", "X", strings.Repeat("9", 18), "z1234567r", "ſ2826000H", "ı58818501",
	} {
		f.Add("CN", s)
		f.Add("ES", s)
	}
	f.Add("GB", "SC-123456")
	f.Fuzz(func(t *testing.T, country, id string) {
		_ = expodesk.ValidRegistrationID(country, id)
		if expodesk.ValidUSCC(id) && len(id) != 18 {
			t.Fatalf("ValidUSCC(%q) with length %d", id, len(id))
		}
		if expodesk.ValidSpanishTaxID(id) {
			if len(id) != 9 {
				t.Fatalf("ValidSpanishTaxID(%q) with length %d", id, len(id))
			}
			for i := 0; i < len(id); i++ {
				if id[i] >= 0x80 {
					t.Fatalf("ValidSpanishTaxID(%q) accepts a non-ASCII byte", id)
				}
			}
		}
	})
}
