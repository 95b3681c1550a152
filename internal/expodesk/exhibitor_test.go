package expodesk_test

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"expodesk/internal/expodesk"
)

func TestDirectoryQueryClean(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("传感器 sensor ", 1000) // ~13 KB
	for _, tc := range []struct {
		name string
		in   expodesk.DirectoryQuery
		want expodesk.DirectoryQuery
	}{
		{"Defaults", expodesk.DirectoryQuery{},
			expodesk.DirectoryQuery{Page: 1, PerPage: 24}},
		{"KeepsGoodValues", expodesk.DirectoryQuery{ExpoID: 7, PavilionID: 3, Text: "无锡", Sector: "smart-city", Country: "CN", Lang: expodesk.ZH, Page: 3, PerPage: 12},
			expodesk.DirectoryQuery{ExpoID: 7, PavilionID: 3, Text: "无锡", Sector: "smart-city", Country: "CN", Lang: expodesk.ZH, Page: 3, PerPage: 12}},
		{"NegativePage", expodesk.DirectoryQuery{Page: -1},
			expodesk.DirectoryQuery{Page: 1, PerPage: 24}},
		{"HugePage", expodesk.DirectoryQuery{Page: 999999},
			expodesk.DirectoryQuery{Page: 10000, PerPage: 24}},
		{"PerPageTooLarge", expodesk.DirectoryQuery{PerPage: 101},
			expodesk.DirectoryQuery{Page: 1, PerPage: 24}},
		{"PerPageMax", expodesk.DirectoryQuery{PerPage: 100},
			expodesk.DirectoryQuery{Page: 1, PerPage: 100}},
		{"TextTrimmed", expodesk.DirectoryQuery{Text: "  energía \t"},
			expodesk.DirectoryQuery{Text: "energía", Page: 1, PerPage: 24}},
		{"InvalidUTF8Dropped", expodesk.DirectoryQuery{Text: "\xff\xfe无锡\xc3"},
			expodesk.DirectoryQuery{Text: "无锡", Page: 1, PerPage: 24}},
		{"OnlyInvalidUTF8", expodesk.DirectoryQuery{Text: "\xff\xfe"},
			expodesk.DirectoryQuery{Page: 1, PerPage: 24}},
		{"SectorUnknownShape", expodesk.DirectoryQuery{Sector: "Smart City"},
			expodesk.DirectoryQuery{Page: 1, PerPage: 24}},
		{"SectorInvalidUTF8", expodesk.DirectoryQuery{Sector: "sensors\xff"},
			expodesk.DirectoryQuery{Sector: "sensors", Page: 1, PerPage: 24}},
		{"SectorInjection", expodesk.DirectoryQuery{Sector: "x' OR 1=1 --"},
			expodesk.DirectoryQuery{Page: 1, PerPage: 24}},
		{"CountryLowerCaseUpper", expodesk.DirectoryQuery{Country: "es"},
			expodesk.DirectoryQuery{Country: "ES", Page: 1, PerPage: 24}},
		{"CountryThreeLetters", expodesk.DirectoryQuery{Country: "zzz"},
			expodesk.DirectoryQuery{Page: 1, PerPage: 24}},
		{"CountryDigits", expodesk.DirectoryQuery{Country: "12"},
			expodesk.DirectoryQuery{Page: 1, PerPage: 24}},
		{"CountryNonASCII", expodesk.DirectoryQuery{Country: "中国"},
			expodesk.DirectoryQuery{Page: 1, PerPage: 24}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.in.Clean(); got != tc.want {
				t.Errorf("Clean() =\n %+v, want\n %+v", got, tc.want)
			}
		})
	}

	t.Run("LongTextCutTo100Runes", func(t *testing.T) {
		got := expodesk.DirectoryQuery{Text: long}.Clean()
		if n := utf8.RuneCountInString(got.Text); n > 100 {
			t.Errorf("text has %d runes, want ≤ 100", n)
		}
		if !strings.HasPrefix(long, got.Text) || len(got.Text) < 50 {
			t.Errorf("text %q is not a prefix of the input", got.Text)
		}
		if got.Text != strings.TrimSpace(got.Text) {
			t.Errorf("text %q has surrounding space after the cut", got.Text)
		}
	})
	t.Run("CutOnSpaceIsIdempotent", func(t *testing.T) {
		in := expodesk.DirectoryQuery{Text: strings.Repeat("a", 99) + " b"}
		once := in.Clean()
		if twice := once.Clean(); twice != once {
			t.Errorf("Clean is not idempotent: %q then %q", once.Text, twice.Text)
		}
	})
	t.Run("NULAndControlsRemoved", func(t *testing.T) {
		// PostgreSQL text cannot hold NUL: it must never reach a query.
		got := expodesk.DirectoryQuery{Text: "a\x00b\x1bc\nd"}.Clean()
		if strings.ContainsFunc(got.Text, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			t.Errorf("text %q still holds control characters", got.Text)
		}
	})
}

func FuzzDirectoryQueryClean(f *testing.F) {
	for _, s := range []string{
		"", "无锡", "energía", " a ", "\xff\xfe", "%_\\", "a\x00b", strings.Repeat("a", 99) + " b",
		strings.Repeat("无", 101), strings.Repeat(" ", 200), "\u200b\u00a0x\u3000", "e\u0301",
	} {
		f.Add(s, "sensors", "cn", 1, 24)
	}
	f.Add("x", "Smart City", "zzz", -1, -5)
	f.Add("x", "a--b", "ǅǅ", 999999, 1000)
	f.Add("x", "\xff", "\xff\xff", 0, 0)
	f.Fuzz(func(t *testing.T, text, sector, country string, page, perPage int) {
		q := expodesk.DirectoryQuery{Text: text, Sector: sector, Country: country, Page: page, PerPage: perPage}
		c := q.Clean()
		if again := c.Clean(); again != c {
			t.Fatalf("not idempotent:\n %+v\n %+v", c, again)
		}
		if !utf8.ValidString(c.Text) || !utf8.ValidString(c.Sector) || !utf8.ValidString(c.Country) {
			t.Fatalf("invalid UTF-8 after Clean: %+v", c)
		}
		if utf8.RuneCountInString(c.Text) > 100 {
			t.Fatalf("text has %d runes", utf8.RuneCountInString(c.Text))
		}
		if strings.ContainsRune(c.Text, 0) {
			t.Fatalf("text holds NUL: %q", c.Text)
		}
		if c.Page < 1 || c.Page > 10000 || c.PerPage < 1 || c.PerPage > 100 {
			t.Fatalf("page %d perPage %d out of bounds", c.Page, c.PerPage)
		}
		if c.Sector != "" && !expodesk.ValidSlug(c.Sector) {
			t.Fatalf("sector %q", c.Sector)
		}
		if c.Country != "" && (len(c.Country) != 2 || strings.ToUpper(c.Country) != c.Country) {
			t.Fatalf("country %q", c.Country)
		}
	})
}

func TestDirectoryPagePages(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name                 string
		total, perPage, want int
	}{
		{"Empty", 0, 24, 1},
		{"One", 1, 24, 1},
		{"Exact", 48, 24, 2},
		{"OneOver", 49, 24, 3},
		{"ZeroPerPage", 10, 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := (expodesk.DirectoryPage{Total: tc.total, PerPage: tc.perPage}).Pages(); got != tc.want {
				t.Errorf("Pages() = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestInitials(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in, want string
	}{
		{"TwoWords", "Taihu Sensing", "TS"},
		{"ThreeWords", "Nube Catalana SL", "NC"},
		{"OneWord", "nube", "N"},
		{"Chinese", "太湖传感", "太"},
		{"ChineseSecondWord", "Taihu 传感", "T"},
		{"Accented", "énergie ñandú", "ÉÑ"},
		{"Empty", "", "?"},
		{"Spaces", "   ", "?"},
		{"InvalidUTF8Skipped", "\xff abc", "A"},
		{"Emoji", "🎉", "🎉"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := expodesk.Initials(tc.in); got != tc.want {
				t.Errorf("Initials(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestExhibitorDisplayName(t *testing.T) {
	t.Parallel()
	e := expodesk.Exhibitor{LegalName: "无锡太湖传感科技有限公司", Name: expodesk.Text{ZH: "太湖传感"}}
	if got := e.DisplayName(expodesk.EN); got != "太湖传感" {
		t.Errorf("DisplayName(en) = %q, want the Chinese name as fallback", got)
	}
	e.Name = expodesk.Text{}
	if got := e.DisplayName(expodesk.ES); got != "无锡太湖传感科技有限公司" {
		t.Errorf("DisplayName(es) without names = %q, want the legal name", got)
	}
}

// problemKeys returns the field names of an EINVALID error, sorted.
func problemKeys(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	e := expodesk.ErrorOf(err)
	if e == nil || e.Code != expodesk.EINVALID {
		t.Fatalf("error %v is not EINVALID", err)
	}
	return slices.Sorted(maps.Keys(e.Problems))
}

func TestExhibitorValidate(t *testing.T) {
	t.Parallel()
	known := map[string]bool{"sensors": true, "cloud": true}
	valid := expodesk.Exhibitor{Slug: "taihu-sensing", LegalName: "无锡太湖传感科技有限公司",
		Name: expodesk.Text{ZH: "太湖传感"}, Country: "CN", City: "无锡", Website: "https://taihu.example.cn",
		Email: "info@taihu.example.cn", Phone: "+86 510 0000 0000", RegistrationID: "91350100M000100Y43",
		Sectors: []string{"sensors"}}
	for _, tc := range []struct {
		name   string
		modify func(*expodesk.Exhibitor)
		want   []string
	}{
		{"OK", func(*expodesk.Exhibitor) {}, nil},
		{"OKMinimal", func(e *expodesk.Exhibitor) {
			*e = expodesk.Exhibitor{Slug: "x", LegalName: "X", Name: expodesk.Text{ES: "X"}, Country: "ES"}
		}, nil},
		{"ErrSlugMissing", func(e *expodesk.Exhibitor) { e.Slug = "" }, []string{"slug"}},
		{"ErrSlugBad", func(e *expodesk.Exhibitor) { e.Slug = "Taihu Sensing" }, []string{"slug"}},
		{"ErrLegalNameBlank", func(e *expodesk.Exhibitor) { e.LegalName = "  " }, []string{"legal_name"}},
		{"ErrLegalNameTooLong", func(e *expodesk.Exhibitor) { e.LegalName = strings.Repeat("公", 201) }, []string{"legal_name"}},
		{"OKLegalName200Chinese", func(e *expodesk.Exhibitor) { e.LegalName = strings.Repeat("公", 200) }, nil},
		{"ErrNoName", func(e *expodesk.Exhibitor) { e.Name = expodesk.Text{ES: "  "} }, []string{"name_en"}},
		{"ErrNameZHTooLong", func(e *expodesk.Exhibitor) { e.Name.ZH = strings.Repeat("传", 201) }, []string{"name_zh"}},
		{"ErrNameESInvalidUTF8", func(e *expodesk.Exhibitor) { e.Name.ES = "Energ\xeda" }, []string{"name_es"}},
		{"ErrDescriptionTooLong", func(e *expodesk.Exhibitor) { e.Description.EN = strings.Repeat("a", 4001) }, []string{"description_en"}},
		{"ErrCountryLower", func(e *expodesk.Exhibitor) { e.Country = "cn" }, []string{"country"}},
		{"ErrCityTooLong", func(e *expodesk.Exhibitor) { e.City = strings.Repeat("c", 101) }, []string{"city"}},
		{"ErrWebsiteJavascript", func(e *expodesk.Exhibitor) { e.Website = "javascript:alert(1)" }, []string{"website"}},
		{"ErrWebsiteNoScheme", func(e *expodesk.Exhibitor) { e.Website = "taihu.example.cn" }, []string{"website"}},
		{"ErrEmailDisplayName", func(e *expodesk.Exhibitor) { e.Email = "Taihu <info@taihu.example.cn>" }, []string{"email"}},
		{"ErrEmailNoDot", func(e *expodesk.Exhibitor) { e.Email = "info@localhost" }, []string{"email"}},
		{"ErrPhoneTooLong", func(e *expodesk.Exhibitor) { e.Phone = strings.Repeat("1", 41) }, []string{"phone"}},
		{"ErrRegistrationIDCheckChar", func(e *expodesk.Exhibitor) { e.RegistrationID = "91350100M000100Y44" }, []string{"registration_id"}},
		{"OKSpanishCIF", func(e *expodesk.Exhibitor) { e.Country, e.RegistrationID = "ES", "B65410011" }, nil},
		{"ErrSectorUnknown", func(e *expodesk.Exhibitor) { e.Sectors = []string{"sensors", "astrology"} }, []string{"sectors"}},
		{"ErrSeveral", func(e *expodesk.Exhibitor) { e.Slug, e.Country, e.RegistrationID = "", "", "" }, []string{"country", "slug"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := valid
			e.Sectors = slices.Clone(valid.Sectors)
			tc.modify(&e)
			if got := problemKeys(t, e.Validate(known)); !slices.Equal(got, tc.want) {
				t.Errorf("problems on %v, want %v", got, tc.want)
			}
		})
	}
}

func TestValidEmail(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in string
		want     bool
	}{
		{"OK", "ana@example.es", true},
		{"OKPlus", "ana+expo@example.es", true},
		{"NoAt", "ana.example.es", false},
		{"DisplayName", "Ana <ana@example.es>", false},
		{"Space", "ana @example.es", false},
		{"Newline", "ana@example.es\n", false},
		{"NoDotInDomain", "ana@example", false},
		{"TooLong", strings.Repeat("a", 250) + "@x.es", false},
		{"Empty", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := expodesk.ValidEmail(tc.in); got != tc.want {
				t.Errorf("ValidEmail(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}
