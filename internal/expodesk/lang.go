package expodesk

// Lang is one of the three interface and content languages.
type Lang string

// The supported languages, in the order the language switch shows them.
const (
	EN Lang = "en"
	ZH Lang = "zh"
	ES Lang = "es"
)

// Langs lists the supported languages.
var Langs = []Lang{EN, ZH, ES}

// ParseLang returns the Lang named by s and whether s names one.
func ParseLang(s string) (Lang, bool) {
	switch Lang(s) {
	case EN, ZH, ES:
		return Lang(s), true
	}
	return EN, false
}

// Text is a content field with one value per language (a company's name, a
// pavilion's description). Any of them may be empty.
type Text struct {
	EN string `json:"en,omitempty"`
	ZH string `json:"zh,omitempty"`
	ES string `json:"es,omitempty"`
}

// Get returns the value in exactly lang, possibly empty.
func (t Text) Get(lang Lang) string {
	switch lang {
	case ZH:
		return t.ZH
	case ES:
		return t.ES
	}
	return t.EN
}

// Set returns t with lang's value replaced.
func (t Text) Set(lang Lang, v string) Text {
	switch lang {
	case ZH:
		t.ZH = v
	case ES:
		t.ES = v
	default:
		t.EN = v
	}
	return t
}

// In returns the value for a reader of lang, falling back when it is empty:
// the requested language first, then English, then Spanish, then Chinese.
// English comes first among the fallbacks because it is the fairs' common
// language; Spanish before Chinese because Latin script is readable to more
// of the readers who land there.
func (t Text) In(lang Lang) string {
	v, _ := t.Resolve(lang)
	return v
}

// Resolve is In that also reports which language the value is in, so that
// pages can mark fallback text with its own lang attribute.
func (t Text) Resolve(lang Lang) (string, Lang) {
	if v := t.Get(lang); v != "" {
		return v, lang
	}
	for _, l := range []Lang{EN, ES, ZH} {
		if v := t.Get(l); v != "" {
			return v, l
		}
	}
	return "", lang
}

// IsZero reports whether every language is empty.
func (t Text) IsZero() bool { return t.EN == "" && t.ZH == "" && t.ES == "" }
