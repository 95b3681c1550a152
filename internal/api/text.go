package api

import (
	"encoding/json"

	"expodesk/internal/expodesk"
)

// Lang is the language a response is written in: one of the three, with
// the pages' fallback for content missing in it, or all of them (?lang=all).
type Lang struct {
	Lang expodesk.Lang
	All  bool
}

// Text is content written in several languages as a response carries it:
// a string in the requested language (falling back as the pages do:
// requested, English, Spanish, Chinese) or, with every language asked
// for, an object with the three of them ("" where one is missing).
type Text struct {
	one string
	all *expodesk.Text
}

// Text returns t as l asks for it.
func (l Lang) Text(t expodesk.Text) Text {
	if l.All {
		return Text{all: &t}
	}
	return Text{one: t.In(l.Lang)}
}

// Plain returns s as a Text: the same string in every language (a
// company's legal name, which has one spelling).
func (l Lang) Plain(s string) Text {
	return l.Text(expodesk.Text{EN: s, ZH: s, ES: s})
}

// allLangs is Text's object form: every key present.
type allLangs struct {
	EN string `json:"en"`
	ZH string `json:"zh"`
	ES string `json:"es"`
}

// MarshalJSON writes the string or the three-language object.
func (t Text) MarshalJSON() ([]byte, error) {
	if t.all != nil {
		return json.Marshal(allLangs{EN: t.all.EN, ZH: t.all.ZH, ES: t.all.ES})
	}
	return json.Marshal(t.one)
}
