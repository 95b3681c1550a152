package web

import (
	"context"
	"net/url"
	"sort"

	"expodesk/internal/expodesk"
	"expodesk/internal/i18n"
)

// FormState is a form as submitted: the values to show again and the
// problems to show next to each field.
type FormState struct {
	Values   url.Values
	Problems expodesk.Problems
}

// Get returns a submitted value ("" when absent).
func (f FormState) Get(name string) string {
	if f.Values == nil {
		return ""
	}
	return f.Values.Get(name)
}

// Invalid reports whether a field has a problem.
func (f FormState) Invalid(name string) bool {
	_, ok := f.Problems[name]
	return ok
}

// Problem returns a field's problem in the request's language ("" when fine).
func (f FormState) Problem(ctx context.Context, name string) string {
	m, ok := f.Problems[name]
	if !ok {
		return ""
	}
	return i18n.From(ctx).M(m)
}

// Input describes one labelled input of a form.
type Input struct {
	Name         string
	Label        string
	Type         string // text, email, password, …
	Hint         string
	Autocomplete string
	Required     bool
	MaxLength    int
	// Value overrides the submitted value (passwords are never echoed).
	Value     string
	UseValue  bool
	Inputmode string
}

func (in Input) value(f FormState) string {
	if in.UseValue {
		return in.Value
	}
	if in.Type == "password" {
		return ""
	}
	return f.Get(in.Name)
}

func (in Input) describedBy(f FormState) string {
	ids := ""
	if in.Hint != "" {
		ids = in.Name + "-hint"
	}
	if f.Invalid(in.Name) {
		if ids != "" {
			ids += " "
		}
		ids += in.Name + "-error"
	}
	return ids
}

func langOptions() []expodesk.Lang { return expodesk.Langs }

// sortedProblems lists the invalid field names in a stable order.
func sortedProblems(f FormState) []string {
	names := make([]string, 0, len(f.Problems))
	for n := range f.Problems {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Option is a choice in a select.
type Option struct {
	Value string
	Label string
}
