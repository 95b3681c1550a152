package i18n

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"

	"expodesk/internal/expodesk"
)

func TestCatalogsHaveTheSameKeys(t *testing.T) {
	t.Parallel()
	keys, err := Keys()
	if err != nil {
		t.Fatal(err)
	}
	areas := map[string]bool{}
	for _, l := range expodesk.Langs {
		for area := range keys[l] {
			areas[area] = true
		}
	}
	if !areas["site"] {
		t.Fatalf("no site catalog; areas %v", areas)
	}
	for area := range areas {
		t.Run(area, func(t *testing.T) {
			en := keys[expodesk.EN][area]
			if len(en) == 0 {
				t.Fatalf("area %s has no English catalog", area)
			}
			for _, l := range []expodesk.Lang{expodesk.ZH, expodesk.ES} {
				other, ok := keys[l][area]
				if !ok {
					t.Errorf("area %s has no %s catalog", area, l)
					continue
				}
				if missing := missingFrom(en, other); len(missing) > 0 {
					t.Errorf("%s.%s.json lacks %d keys of English: %s", area, l, len(missing), strings.Join(missing, ", "))
				}
				if extra := missingFrom(other, en); len(extra) > 0 {
					t.Errorf("%s.%s.json has %d keys English lacks: %s", area, l, len(extra), strings.Join(extra, ", "))
				}
			}
		})
	}
}

// missingFrom returns the ids of want that have is missing, sorted.
func missingFrom(want, have []string) []string {
	var out []string
	for _, id := range want {
		if !slices.Contains(have, id) {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// rawCatalog returns every message of one language, across areas, as raw JSON.
func rawCatalog(t *testing.T, l expodesk.Lang) map[string]json.RawMessage {
	t.Helper()
	files, err := catalogFiles(l)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]json.RawMessage{}
	for _, name := range files {
		raw, err := locales.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for id, v := range m {
			if _, dup := out[id]; dup {
				t.Errorf("%s: id %s is also in another area", name, id)
			}
			out[id] = v
		}
	}
	return out
}

// TestCatalogsAreTranslated guards against a catalog copied from English and
// never translated.
func TestCatalogsAreTranslated(t *testing.T) {
	t.Parallel()
	en := rawCatalog(t, expodesk.EN)
	for _, tc := range []struct {
		lang expodesk.Lang
		min  float64 // share of ids whose text differs from English
	}{
		{expodesk.ZH, 0.95},
		{expodesk.ES, 0.80},
	} {
		t.Run(string(tc.lang), func(t *testing.T) {
			other := rawCatalog(t, tc.lang)
			var same []string
			for id, v := range en {
				if o, ok := other[id]; ok && string(o) == string(v) {
					same = append(same, id)
				}
			}
			sort.Strings(same)
			if share := 1 - float64(len(same))/float64(len(en)); share < tc.min {
				t.Errorf("only %.0f%% of %s differs from English (want ≥ %.0f%%); identical: %s",
					share*100, tc.lang, tc.min*100, strings.Join(same, ", "))
			}
			if tc.lang == expodesk.ZH {
				// Chinese text with no Han character at all is English left in place.
				var latin []string
				for id, v := range other {
					if !strings.ContainsFunc(string(v), func(r rune) bool { return r >= 0x3000 }) &&
						!strings.HasPrefix(id, "date.") && !strings.HasPrefix(id, "month.") {
						latin = append(latin, id)
					}
				}
				sort.Strings(latin)
				if len(latin) > len(other)/20 {
					t.Errorf("%d Chinese messages have no Chinese character: %s", len(latin), strings.Join(latin, ", "))
				}
			}
		})
	}
}

// keyPatterns find the message ids the code passes to the translator.
var keyPatterns = []*regexp.Regexp{
	regexp.MustCompile(`\bT\(ctx, "([^"]+)"`),
	regexp.MustCompile(`\bTD\(ctx, "([^"]+)"`),
	regexp.MustCompile(`\bN\(ctx, "([^"]+)"`),
	regexp.MustCompile(`\.T\("([^"]+)"`),
	regexp.MustCompile(`\.N\("([^"]+)"`),
	regexp.MustCompile(`"((?:validation|error|password)\.[a-z0-9_]+(?:\.[a-z0-9_]+)*)"`),
	// Typed keys: flash messages, errors, field problems and button labels.
	regexp.MustCompile(`flashKey = "([^"]+)"`),
	regexp.MustCompile(`Errorf\(expodesk\.E[A-Z]+, "([^"]+)"\)`),
	regexp.MustCompile(`Message: "([^"]+)"`),
	regexp.MustCompile(`Problems\.Add\("[^"]+", "([^"]+)"`),
	regexp.MustCompile(`\bp\.Add\("[^"]+", "([^"]+)"`),
	regexp.MustCompile(`Label: "([a-z_]+\.[a-z_.]+)"`),
}

// usedKeys scans the non-test, non-generated sources for message ids, and
// returns each id with the first place it is used.
func usedKeys(t *testing.T) map[string]string {
	t.Helper()
	root := filepath.Join("..", "..")
	used := map[string]string{}
	scan := func(path string) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			for _, re := range keyPatterns {
				for _, m := range re.FindAllStringSubmatch(line, -1) {
					if _, seen := used[m[1]]; !seen {
						rel, _ := filepath.Rel(root, path)
						used[m[1]] = rel + ":" + strconv.Itoa(i+1)
					}
				}
			}
		}
	}
	templs, err := filepath.Glob(filepath.Join(root, "web", "*.templ"))
	if err != nil || len(templs) == 0 {
		t.Fatalf("no templ files found (%v)", err)
	}
	for _, p := range templs {
		scan(p)
	}
	for _, dir := range []string{"internal", "web", "cmd"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && (d.Name() == "testdata" || d.Name() == "node_modules") {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") || strings.HasSuffix(p, "_templ.go") {
				return nil
			}
			scan(p)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return used
}

func TestEveryUsedKeyExists(t *testing.T) {
	t.Parallel()
	used := usedKeys(t)
	if len(used) < 50 {
		t.Fatalf("found only %d keys in the code; the scan is broken", len(used))
	}
	en := rawCatalog(t, expodesk.EN)
	// Ids built at run time (format.go: month.%d, weekday.%d).
	for m := 1; m <= 12; m++ {
		used["month."+strconv.Itoa(m)] = "web/format.go (monthName)"
	}
	for d := 0; d <= 6; d++ {
		used["weekday."+strconv.Itoa(d)] = "web/format.go (weekdayName)"
	}
	var missing []string
	for id, where := range used {
		if strings.HasSuffix(id, ".") {
			// A prefix completed at run time ("role." + role): some id must start with it.
			found := false
			for k := range en {
				found = found || strings.HasPrefix(k, id)
			}
			if !found {
				missing = append(missing, id+"* ("+where+")")
			}
			continue
		}
		if _, ok := en[id]; !ok {
			missing = append(missing, id+" ("+where+")")
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("%d message ids used in the code are not in the English catalog:\n%s", len(missing), strings.Join(missing, "\n"))
	}
}

var templateField = regexp.MustCompile(`{{-?\s*\.(\w+)`)

// TestEveryMessageRenders formats every message in every language with
// plausible data, so that a broken template or plural form fails here and
// not on a page.
func TestEveryMessageRenders(t *testing.T) {
	t.Parallel()
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range expodesk.Langs {
		loc := c.Localizer(l)
		for id, raw := range rawCatalog(t, l) {
			if strings.HasPrefix(string(raw), "{") {
				continue // plural: see TestPluralMessages
			}
			// Every field the template names gets a value.
			data := map[string]any{}
			for _, m := range templateField.FindAllStringSubmatch(string(raw), -1) {
				data[m[1]] = "x"
			}
			s, err := loc.l.Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: data})
			if err != nil || strings.TrimSpace(s) == "" || strings.Contains(s, "<no value>") || strings.Contains(s, "{{") {
				t.Errorf("%s %s renders %q, %v", l, id, s, err)
			}
		}
	}
}

func TestPluralMessages(t *testing.T) {
	t.Parallel()
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	var plurals []string
	for id, raw := range rawCatalog(t, expodesk.EN) {
		if strings.HasPrefix(string(raw), "{") {
			plurals = append(plurals, id)
		}
	}
	sort.Strings(plurals)
	if len(plurals) == 0 {
		t.Fatal("no plural messages found")
	}
	for _, l := range expodesk.Langs {
		for _, id := range plurals {
			for _, n := range []int{0, 1, 2, 5, 21, 1000000} {
				t.Run(string(l)+"/"+id+"/"+strconv.Itoa(n), func(t *testing.T) {
					s, err := c.Localizer(l).l.Localize(&goi18n.LocalizeConfig{MessageID: id, PluralCount: n,
						TemplateData: map[string]any{"Count": n}})
					if err != nil {
						t.Fatalf("Localize: %v", err)
					}
					if !strings.Contains(s, strconv.Itoa(n)) {
						t.Errorf("%q does not show the count", s)
					}
					if via := c.Localizer(l).N(id, n, nil); via != s {
						t.Errorf("N = %q, Localize = %q", via, s)
					}
				})
			}
		}
	}
	t.Run("EnglishForms", func(t *testing.T) {
		en := c.Localizer(expodesk.EN)
		for n, want := range map[int]string{0: "0 exhibitors found", 1: "1 exhibitor found", 2: "2 exhibitors found"} {
			if got := en.N("directory.count", n, nil); got != want {
				t.Errorf("N(%d) = %q, want %q", n, got, want)
			}
		}
	})
	t.Run("SpanishForms", func(t *testing.T) {
		es := c.Localizer(expodesk.ES)
		if got := es.N("directory.count", 1, nil); !strings.HasPrefix(got, "1 expositor ") {
			t.Errorf("N(1) = %q", got)
		}
		if got := es.N("directory.count", 2, nil); !strings.HasPrefix(got, "2 expositores") {
			t.Errorf("N(2) = %q", got)
		}
	})
}

func TestMatch(t *testing.T) {
	t.Parallel()
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, header string
		want         expodesk.Lang
	}{
		{"Empty", "", expodesk.EN},
		{"English", "en", expodesk.EN},
		{"BritishEnglish", "en-GB,en;q=0.9", expodesk.EN},
		{"ChinaChinese", "zh-CN,zh;q=0.9", expodesk.ZH},
		{"PlainChinese", "zh", expodesk.ZH},
		{"SimplifiedScript", "zh-Hans-CN", expodesk.ZH},
		{"SingaporeChinese", "zh-SG", expodesk.ZH},
		{"MexicanSpanish", "es-MX", expodesk.ES},
		{"LatinAmericanSpanish", "es-419", expodesk.ES},
		{"Catalan", "ca-ES,ca;q=0.9,es;q=0.8,en;q=0.7", expodesk.ES},
		{"WeightsRespected", "en;q=0.3,zh;q=0.9", expodesk.ZH},
		{"SecondChoice", "fr-FR,fr;q=0.9,es;q=0.5", expodesk.ES},
		{"Unsupported", "fr-FR,de;q=0.9", expodesk.EN},
		{"Star", "*", expodesk.EN},
		{"Garbage", ";;;,,,q=zz", expodesk.EN},
		{"BadQuality", "zh;q=abc", expodesk.EN},
		{"TooLong", strings.Repeat("zh-CN,", 200), expodesk.EN},
		{"InvalidUTF8", "\xff\xfe", expodesk.EN},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.Match(tc.header); got != tc.want {
				t.Errorf("Match(%q) = %q, want %q", tc.header, got, tc.want)
			}
		})
	}
}

func TestLocalizer(t *testing.T) {
	t.Parallel()
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	t.Run("UnknownLanguageIsEnglish", func(t *testing.T) {
		if got := c.Localizer("fr").Lang; got != expodesk.EN {
			t.Errorf("Localizer(fr).Lang = %q", got)
		}
	})
	t.Run("MissingIDShownAsID", func(t *testing.T) {
		if got := c.Localizer(expodesk.ZH).T("no.such.key"); got != "no.such.key" {
			t.Errorf("T = %q", got)
		}
	})
	t.Run("TemplateData", func(t *testing.T) {
		got := c.Localizer(expodesk.ES).T("error.request_id", map[string]any{"ID": "abc123"})
		if !strings.Contains(got, "abc123") {
			t.Errorf("T = %q", got)
		}
	})
	t.Run("DomainMessage", func(t *testing.T) {
		got := c.Localizer(expodesk.EN).M(expodesk.Message{Key: "validation.too_long", Data: map[string]any{"Max": 200}})
		if got != "Use at most 200 characters." {
			t.Errorf("M = %q", got)
		}
	})
	t.Run("FromEmptyContextIsEnglish", func(t *testing.T) {
		if got := From(context.Background()).Lang; got != expodesk.EN {
			t.Errorf("From(empty).Lang = %q", got)
		}
		ctx := WithLocalizer(context.Background(), c.Localizer(expodesk.ZH))
		if got := From(ctx).T("home.title"); got != c.Localizer(expodesk.ZH).T("home.title") {
			t.Errorf("From(ctx).T = %q", got)
		}
	})
}

func TestParseLang(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want expodesk.Lang
		ok   bool
	}{
		{"zh", expodesk.ZH, true}, {"ZH", expodesk.ZH, true}, {"zh-Hans", expodesk.ZH, true},
		{"zh-hans", expodesk.ZH, true}, {"zh-CN", expodesk.ZH, true}, {"zh-Hans-CN", expodesk.ZH, true},
		{"zh_CN", expodesk.ZH, true}, {"zh-Hant-TW", expodesk.ZH, true},
		{"es", expodesk.ES, true}, {"es-ES", expodesk.ES, true}, {"ES-419", expodesk.ES, true},
		{"en", expodesk.EN, true}, {"en-GB", expodesk.EN, true}, {"EN-us", expodesk.EN, true},
		{"", expodesk.EN, false}, {"fr", expodesk.EN, false}, {"fr-FR", expodesk.EN, false},
		{"zhx", expodesk.EN, false}, {"xx", expodesk.EN, false}, {"und", expodesk.EN, false},
		{"zh-" + strings.Repeat("a", 40), expodesk.EN, false}, {"\xff", expodesk.EN, false},
	} {
		got, ok := ParseLang(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseLang(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// TestFilledMessagesAsTemplates: a message filled without a template reads
// exactly as go-i18n's template prints it, for every such message of every
// language, with strings, numbers and other values in its fields.
func TestFilledMessagesAsTemplates(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, lang := range expodesk.Langs {
		l := c.Localizer(lang)
		for id, f := range l.filled {
			data := map[string]any{}
			for i, name := range f.fields {
				switch i % 3 {
				case 0:
					data[name] = "A-12 <b>&"
				case 1:
					data[name] = 42
				default:
					data[name] = int64(-7)
				}
			}
			want, err := l.l.Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: data})
			if err != nil {
				t.Fatalf("%s %s: %v", lang, id, err)
			}
			if got := l.T(id, data); got != want {
				t.Errorf("%s %s: filled %q, the template says %q", lang, id, got, want)
			}
			n++
		}
	}
	if n == 0 {
		t.Fatal("no message is filled without a template")
	}
	if _, ok := parseFill("{{if .X}}a{{end}}"); ok {
		t.Error("a message with another action was taken for a fill")
	}
}
