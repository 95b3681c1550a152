package server

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"expodesk/internal/expodesk"
)

// form reads a submitted form field by field, collecting the problems a page
// shows next to each field. Values are kept as typed so the page can show
// them again.
type form struct {
	Values   url.Values
	Problems expodesk.Problems
}

// maxFormBytes caps the body of an ordinary form; uploads have their own cap.
const maxFormBytes = 64 << 10

// parseForm reads the request's form body. A body that is too big or not a
// form is reported as one problem, never a crash.
func parseForm(w http.ResponseWriter, r *http.Request) (*form, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, &expodesk.Error{Code: eTooLarge, Message: "form.too_large", Data: map[string]any{"KB": maxFormBytes >> 10}}
		}
		return nil, expodesk.Errorf(expodesk.EINVALID, "form.unreadable")
	}
	return &form{Values: r.PostForm, Problems: expodesk.Problems{}}, nil
}

// raw returns a field as sent, or "" when it was sent several times (a forged form).
func (f *form) raw(name string) string {
	vs := f.Values[name]
	if len(vs) != 1 {
		return ""
	}
	return vs[0]
}

// text returns a trimmed single-line field of at most max characters.
func (f *form) text(name string, max int, required bool) string {
	v := strings.TrimSpace(f.raw(name))
	switch {
	case !utf8.ValidString(v):
		f.Problems.Add(name, "validation.encoding", nil)
		return ""
	case strings.ContainsAny(v, "\x00\r\n"):
		f.Problems.Add(name, "validation.single_line", nil)
	case required && v == "":
		f.Problems.Add(name, "validation.required", nil)
	case utf8.RuneCountInString(v) > max:
		f.Problems.Add(name, "validation.too_long", map[string]any{"Max": max})
	}
	return v
}

// email returns a required email address, compared case-insensitively elsewhere.
func (f *form) email(name string) string {
	v := f.text(name, 254, true)
	if _, bad := f.Problems[name]; !bad && !expodesk.ValidEmail(v) {
		f.Problems.Add(name, "validation.email", nil)
	}
	return v
}

// secret returns a password-like field exactly as typed (no trimming: spaces
// may be part of a passphrase), capped so that hashing cost stays bounded.
func (f *form) secret(name string) string {
	v := f.raw(name)
	switch {
	case v == "":
		f.Problems.Add(name, "validation.required", nil)
	case !utf8.ValidString(v):
		f.Problems.Add(name, "validation.encoding", nil)
		return ""
	case len(v) > 1024:
		f.Problems.Add(name, "password.too_long", map[string]any{"Max": 128})
		return ""
	}
	return v
}

// personName reads the family_name and given_name fields; the name order
// follows the script of the family name (王伟, Marc Tarragó).
func (f *form) personName() expodesk.PersonName {
	n := expodesk.PersonName{FamilyName: f.text("family_name", 100, true), GivenName: f.text("given_name", 100, false)}
	n.NameOrder = expodesk.GuessNameOrder(n.FamilyName)
	return n
}

// lang returns a language choice, English when absent or unknown.
func (f *form) lang(name string) expodesk.Lang {
	l, _ := expodesk.ParseLang(f.raw(name))
	return l
}

// err returns the collected problems as an EINVALID error, or nil.
func (f *form) err() error { return f.Problems.Err() }
