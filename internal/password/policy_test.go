package password

import (
	"bufio"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCheck(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, plain, want string
	}{
		{"TooShort7", "xk7#qpz", ProblemTooShort},
		{"Empty", "", ProblemTooShort},
		{"OK8", "xk7#qpzw", ""},
		{"OK64", strings.Repeat("Tq9#", 16), ""},
		{"OK128", strings.Repeat("Tq9#", 32), ""},
		{"TooLong129", strings.Repeat("Tq9#", 32) + "x", ProblemTooLong},
		{"SpacesCount", "my dog z", ""},
		{"NoCompositionRules", "lowercase only passphrase", ""},

		// Code points, not bytes: 7 CJK characters are 21 bytes but too short.
		{"CJK7", "我的密码很安全", ProblemTooShort},
		{"CJK8", "我的密码非常安全", ""},
		{"CJK128", strings.Repeat("长城", 64), ""},
		{"CJK129", strings.Repeat("长城", 64) + "长", ProblemTooLong},
		{"Emoji7", "🐉🐉🐉🐉🐉🐉🐉", ProblemTooShort},
		{"Emoji8", "🐉🦊🐼🐯🐉🦊🐼🐯", ""},
		// A ZWJ family emoji is one picture but seven code points.
		{"ZWJSequenceCountsCodePoints", "👨\u200d👩\u200d👧\u200d👦x", ""},
		// NFC first: "e" + combining acute is one code point after normalization.
		{"DecomposedCountsOnce", "cafe\u0301abc", ProblemTooShort},
		{"DecomposedEight", "cafe\u0301abcd", ""},

		{"InvalidUTF8", "abcdefgh\xff", ProblemEncoding},
		{"InvalidUTF8Short", "\xc3", ProblemEncoding},
		{"Surrogate", "abcdefgh\xed\xa0\x80", ProblemEncoding},

		{"Common", "password", ProblemCommon},
		{"CommonCapitalised", "Password1", ProblemCommon},
		{"CommonUpper", "PASSWORD", ProblemCommon},
		{"CommonMixed", "QwErTyUiOp", ProblemCommon},
		{"CommonDigits", "12345678", ProblemCommon},
		{"CommonWithSpaces", "  iloveyou ", ProblemCommon},
		{"OnlySpaces", "          ", ProblemCommon},
		{"CommonIsWholePassword", "password is not enough", ""},

		{"SiteName", "Expodesk2025", ProblemContext},
		{"SiteNamePunctuated", "iotswc-2025!", ProblemContext},
		{"SiteNameInPassphrase", "wuxi tea house by the lake", ""},
		{"SiteNamePlusCommon", "WuxiPassword", ProblemContext},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Check(tc.plain); got != tc.want {
				t.Errorf("Check(%q) = %q, want %q", tc.plain, got, tc.want)
			}
		})
	}
}

func TestCheckContextWords(t *testing.T) {
	t.Parallel()
	ctx := []string{"marc.tarrago@example.com", "Marc", "Tarragó", "王伟"}
	for _, tc := range []struct {
		name, plain, want string
	}{
		{"EmailLocalPart", "marc.tarrago!!", ProblemContext},
		{"WholeEmail", "marc.tarrago@example.com", ProblemContext},
		{"NameAndYear", "Tarragó1987", ProblemContext},
		{"NameTwice", "MarcMarcMarc", ProblemContext},
		{"ChineseName", "王伟王伟12345", ""}, // 2-character words are too short to consider
		{"NameInPassphrase", "marc likes long walks on the beach", ""},
		{"Unrelated", "violet-anchor-ribbon", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Check(tc.plain, ctx...); got != tc.want {
				t.Errorf("Check(%q, %q) = %q, want %q", tc.plain, ctx, got, tc.want)
			}
		})
	}
}

// TestCommonList checks the embedded file: the advertised size, one
// password per line, each one the policy would otherwise accept (so each line
// does work), and all of them refused.
func TestCommonList(t *testing.T) {
	t.Parallel()
	if n := len(commonSet()); n != 10000 {
		t.Errorf("common list has %d distinct entries, want 10000", n)
	}
	sc := bufio.NewScanner(strings.NewReader(commonTxt))
	for sc.Scan() {
		line := sc.Text()
		if c := utf8.RuneCountInString(line); c < MinLength || c > MaxLength || line != commonKey(normalize(line)) {
			t.Errorf("line %q: not a normalized entry within the length limits", line)
		}
		if got := Check(strings.ToUpper(line)); got != ProblemCommon {
			t.Errorf("Check(%q) = %q, want %q", strings.ToUpper(line), got, ProblemCommon)
		}
	}
}

// FuzzCheck: Check never panics, returns one of its keys, gives the same
// answer twice and for the NFC form of its input, and its answer agrees with
// the rules it states.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{"", "password", "Password1", "xk7#qpzw", "我的密码非常安全",
		"cafe\u0301abcd", "abcdefgh\xff", "expodesk2025", strings.Repeat("x", 129), "👨\u200d👩\u200d👧\u200d👦x"} {
		f.Add(s, "marc.tarrago@example.com")
	}
	keys := map[string]bool{"": true, ProblemTooShort: true, ProblemTooLong: true,
		ProblemCommon: true, ProblemEncoding: true, ProblemContext: true}
	f.Fuzz(func(t *testing.T, plain, context string) {
		got := Check(plain, context)
		if !keys[got] {
			t.Fatalf("Check(%q) = %q, not a known key", plain, got)
		}
		if again := Check(plain, context); again != got {
			t.Fatalf("Check(%q) = %q, then %q", plain, got, again)
		}
		if !utf8.ValidString(plain) {
			if got != ProblemEncoding {
				t.Fatalf("Check(invalid UTF-8 %q) = %q", plain, got)
			}
			return
		}
		if nfc := normalize(plain); Check(nfc, context) != got {
			t.Fatalf("Check(%q) = %q but Check of its NFC form %q = %q", plain, got, nfc, Check(nfc, context))
		}
		c := utf8.RuneCountInString(normalize(plain))
		switch {
		case c < MinLength && got != ProblemTooShort:
			t.Fatalf("Check(%q) = %q for %d code points", plain, got, c)
		case c > MaxLength && got != ProblemTooLong:
			t.Fatalf("Check(%q) = %q for %d code points", plain, got, c)
		case c >= MinLength && c <= MaxLength && (got == ProblemTooShort || got == ProblemTooLong):
			t.Fatalf("Check(%q) = %q for %d code points", plain, got, c)
		}
		// Case never matters for the common list.
		if got == ProblemCommon {
			if up := Check(strings.ToUpper(plain)); up != ProblemCommon && utf8.RuneCountInString(normalize(strings.ToUpper(plain))) == c {
				t.Fatalf("Check(%q) = common but Check(%q) = %q", plain, strings.ToUpper(plain), up)
			}
		}
	})
}
