// Package i18n translates the interface into English, Simplified Chinese and
// Spanish. Catalogs are go-i18n JSON files embedded in the binary, one per
// area and language (locales/<area>.<lang>.json); the language a request gets
// is matched from Accept-Language with x/text.
package i18n

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"expodesk/internal/expodesk"
)

//go:embed locales/*.json
var locales embed.FS

var tags = map[expodesk.Lang]language.Tag{
	expodesk.EN: language.English,
	expodesk.ZH: language.SimplifiedChinese,
	expodesk.ES: language.Spanish,
}

// Catalog holds the three translated catalogs.
type Catalog struct {
	bundle     *i18n.Bundle
	matcher    language.Matcher
	localizers map[expodesk.Lang]*Localizer
}

// Load reads the embedded catalogs.
func Load() (*Catalog, error) {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	c := &Catalog{
		bundle:     b,
		matcher:    language.NewMatcher([]language.Tag{language.English, language.SimplifiedChinese, language.Spanish}),
		localizers: map[expodesk.Lang]*Localizer{},
	}
	for _, l := range expodesk.Langs {
		files, err := catalogFiles(l)
		if err != nil {
			return nil, err
		}
		plain, filled := map[string]string{}, map[string]fill{}
		for _, name := range files {
			raw, err := locales.ReadFile(name)
			if err != nil {
				return nil, fmt.Errorf("read %s: %w", name, err)
			}
			// go-i18n takes the language from the file name's last part before .json.
			if _, err := b.ParseMessageFileBytes(raw, path.Base(name)); err != nil {
				return nil, fmt.Errorf("parse %s: %w", name, err)
			}
			if err := plainMessages(raw, plain, filled); err != nil {
				return nil, fmt.Errorf("parse %s: %w", name, err)
			}
		}
		c.localizers[l] = &Localizer{
			Lang:   l,
			plain:  plain,
			filled: filled,
			l:      i18n.NewLocalizer(b, tags[l].String()),
		}
	}
	return c, nil
}

// catalogFiles lists the catalog files of one language.
func catalogFiles(l expodesk.Lang) ([]string, error) {
	files, err := fs.Glob(locales, "locales/*."+string(l)+".json")
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no catalogs for %s", l)
	}
	return files, nil
}

// plainMessages adds to plain the messages that need neither template data
// nor plural forms, so that the common case is a map lookup, and to filled
// those whose only actions print a field of the data ("Booth {{.Booth}}"),
// filled in without running a template: a directory page fills one per
// card, and text/template cost a tenth of its rendering.
func plainMessages(raw []byte, plain map[string]string, filled map[string]fill) error {
	var all map[string]json.RawMessage
	if err := json.Unmarshal(raw, &all); err != nil {
		return err
	}
	for id, v := range all {
		var s string
		if json.Unmarshal(v, &s) != nil {
			continue // a message with plural forms
		}
		if !strings.Contains(s, "{{") {
			plain[id] = s
		} else if f, ok := parseFill(s); ok {
			filled[id] = f
		}
	}
	return nil
}

// fill is a message made of literal text and fields of the data: text[0],
// the field fields[0], text[1], … (len(text) == len(fields)+1).
type fill struct {
	text, fields []string
}

// fieldAction is a template action that prints one field of the data.
var fieldAction = regexp.MustCompile(`\{\{\s*\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}`)

// parseFill reads s as a fill; false when s has any other action, which
// only a template can run.
func parseFill(s string) (fill, bool) {
	var f fill
	last := 0
	for _, m := range fieldAction.FindAllStringSubmatchIndex(s, -1) {
		f.text = append(f.text, s[last:m[0]])
		f.fields = append(f.fields, s[m[2]:m[3]])
		last = m[1]
	}
	f.text = append(f.text, s[last:])
	for _, t := range f.text {
		if strings.Contains(t, "{{") || strings.Contains(t, "}}") {
			return fill{}, false
		}
	}
	return f, true
}

// apply fills f with data as the template would print it (fmt's default
// format); false when a field is missing, for the template to say so.
func (f fill) apply(data map[string]any) (string, bool) {
	var b strings.Builder
	for i, name := range f.fields {
		v, ok := data[name]
		if !ok {
			return "", false
		}
		b.WriteString(f.text[i])
		switch v := v.(type) {
		case string:
			b.WriteString(v)
		case int:
			b.WriteString(strconv.Itoa(v))
		default:
			fmt.Fprint(&b, v)
		}
	}
	b.WriteString(f.text[len(f.fields)])
	return b.String(), true
}

// Keys returns, for each language, the message ids of each of its catalog
// files keyed by area ("site" for locales/site.en.json).
func Keys() (map[expodesk.Lang]map[string][]string, error) {
	out := map[expodesk.Lang]map[string][]string{}
	for _, l := range expodesk.Langs {
		files, err := catalogFiles(l)
		if err != nil {
			return nil, err
		}
		out[l] = map[string][]string{}
		for _, name := range files {
			raw, err := locales.ReadFile(name)
			if err != nil {
				return nil, err
			}
			var all map[string]json.RawMessage
			if err := json.Unmarshal(raw, &all); err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			area := strings.TrimSuffix(path.Base(name), "."+string(l)+".json")
			for id := range all {
				out[l][area] = append(out[l][area], id)
			}
		}
	}
	return out, nil
}

// Localizer returns the translator for lang (English for an unknown one).
func (c *Catalog) Localizer(lang expodesk.Lang) *Localizer {
	if l, ok := c.localizers[lang]; ok {
		return l
	}
	return c.localizers[expodesk.EN]
}

// Match returns the best supported language for an Accept-Language header,
// English when nothing matches or the header is malformed.
func (c *Catalog) Match(acceptLanguage string) expodesk.Lang {
	if acceptLanguage == "" || len(acceptLanguage) > 500 {
		return expodesk.EN
	}
	prefs, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(prefs) == 0 {
		return expodesk.EN
	}
	_, idx, conf := c.matcher.Match(prefs...)
	if conf == language.No {
		return expodesk.EN
	}
	return expodesk.Langs[idx]
}

// ParseLang reads a language a URL or cookie names, as BCP 47 tags are
// written: case-insensitively and with any script or region, so that the
// zh-Hans the pages' own hreflang links say works as well as zh ("ZH",
// "zh-CN", "zh-Hans-CN", "es-ES", "en_GB"). Chinese in any script is the
// Simplified Chinese there is. It reports false for anything else.
func ParseLang(s string) (expodesk.Lang, bool) {
	if s == "" || len(s) > 35 { // the longest tag anyone writes by hand is far shorter
		return expodesk.EN, false
	}
	if l, ok := expodesk.ParseLang(s); ok {
		return l, true
	}
	t, err := language.Parse(strings.ReplaceAll(s, "_", "-"))
	if err != nil {
		return expodesk.EN, false
	}
	base, conf := t.Base()
	if conf != language.Exact {
		return expodesk.EN, false
	}
	return expodesk.ParseLang(base.String())
}

// Localizer translates message ids into one language.
type Localizer struct {
	Lang   expodesk.Lang
	plain  map[string]string
	filled map[string]fill
	l      *i18n.Localizer
}

// T returns the message id, filled with data when given. A missing id is
// logged and shown as the id itself, which the catalog tests prevent.
func (l *Localizer) T(id string, data ...map[string]any) string {
	if len(data) == 0 || data[0] == nil {
		if s, ok := l.plain[id]; ok {
			return s
		}
	} else if f, ok := l.filled[id]; ok {
		if s, ok := f.apply(data[0]); ok {
			return s
		}
	}
	cfg := &i18n.LocalizeConfig{MessageID: id}
	if len(data) > 0 {
		cfg.TemplateData = data[0]
	}
	s, err := l.l.Localize(cfg)
	if err != nil {
		slog.Warn("missing translation", "lang", l.Lang, "id", id, "err", err)
		return id
	}
	return s
}

// N returns the plural form of id for count; data may add more fields.
func (l *Localizer) N(id string, count int, data map[string]any) string {
	d := map[string]any{"Count": count}
	for k, v := range data {
		d[k] = v
	}
	s, err := l.l.Localize(&i18n.LocalizeConfig{MessageID: id, PluralCount: count, TemplateData: d})
	if err != nil {
		slog.Warn("missing translation", "lang", l.Lang, "id", id, "err", err)
		return id
	}
	return s
}

// M translates a domain message.
func (l *Localizer) M(m expodesk.Message) string { return l.T(m.Key, m.Data) }

type ctxKey struct{}

// WithLocalizer returns ctx carrying l.
func WithLocalizer(ctx context.Context, l *Localizer) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// From returns the localizer in ctx; English if none, so that nothing panics.
func From(ctx context.Context) *Localizer {
	if l, ok := ctx.Value(ctxKey{}).(*Localizer); ok {
		return l
	}
	return fallback()
}

// fallback is loaded on first use, not at start-up: the server passes its
// own catalog through the context, so only code without one ever needs it.
var fallback = sync.OnceValue(func() *Localizer {
	c, err := Load()
	if err != nil {
		panic(fmt.Sprintf("i18n: embedded catalogs do not load: %v", err))
	}
	return c.Localizer(expodesk.EN)
})
