package server

import (
	"bytes"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"expodesk/internal/expodesk"
)

// form reads a submitted form field by field, collecting the problems a page
// shows next to each field. Values are kept as typed so the page can show
// them again. Each handler reads its form into a struct of its own with
// these typed readers, then hands the struct to a service operation.
type form struct {
	Values   url.Values
	Problems expodesk.Problems
	files    map[string][]*multipart.FileHeader
}

// maxFormBytes caps the body of an ordinary form; routes that take files
// declare their own cap in the route table (see bodyLimit).
const maxFormBytes = 64 << 10

// loadedForm is the start of a form's POST handler: the object the URL
// names, loaded by load (an expo, a slot…), then the parsed form. On either
// failure it has rendered the error page and ok is false.
func loadedForm[T any](s *Server, w http.ResponseWriter, r *http.Request, load func(*http.Request) (T, error)) (v T, f *form, ok bool) {
	v, err := load(r)
	if err == nil {
		f, err = parseForm(w, r)
	}
	if err != nil {
		s.renderError(w, r, err)
		return v, nil, false
	}
	return v, f, true
}

// loadedForm2 is loadedForm for a loader that returns two objects (an expo
// and the slot in it).
func loadedForm2[A, B any](s *Server, w http.ResponseWriter, r *http.Request, load func(*http.Request) (A, B, error)) (a A, b B, f *form, ok bool) {
	a, b, err := load(r)
	if err == nil {
		f, err = parseForm(w, r)
	}
	if err != nil {
		s.renderError(w, r, err)
		return a, b, nil, false
	}
	return a, b, f, true
}

// parseForm reads the request's form body: URL-encoded, or multipart on
// routes that take files, within the route's body cap. A body that is too
// big or not a form is reported as one error, never a crash.
func parseForm(w http.ResponseWriter, r *http.Request) (*form, error) {
	limit := routeBodyLimit(r)
	multi := strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data")
	if !multi && limit > maxFormBytes {
		limit = maxFormBytes
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	var err error
	if multi {
		// Files beyond 1 MiB spill to temporary files, removed when the request ends.
		err = r.ParseMultipartForm(1 << 20)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, tooLarge(limit)
		}
		return nil, expodesk.Errorf(expodesk.EINVALID, "form.unreadable")
	}
	f := &form{Values: r.PostForm, Problems: expodesk.Problems{}}
	if r.MultipartForm != nil {
		f.files = r.MultipartForm.File
	}
	return f, nil
}

// tooLarge is the error for a body over its cap: a translated 413.
func tooLarge(limit int64) error {
	return &expodesk.Error{Code: eTooLarge, Message: "form.too_large", Data: map[string]any{"KB": limit >> 10}}
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

// paragraphs returns a trimmed multi-line field (a description) of at most
// max characters, its line ends made LF whatever the browser sent
// (browsers submit CRLF), so that lengths and what is stored do not depend
// on the browser. NUL and other invalid text are refused.
func (f *form) paragraphs(name string, max int, required bool) string {
	v := f.raw(name)
	switch {
	case !utf8.ValidString(v):
		f.Problems.Add(name, "validation.encoding", nil)
		return ""
	case strings.ContainsRune(v, 0):
		f.Problems.Add(name, "validation.encoding", nil)
		return ""
	}
	v = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(v, "\r\n", "\n"), "\r", "\n"))
	switch {
	case required && v == "":
		f.Problems.Add(name, "validation.required", nil)
	case utf8.RuneCountInString(v) > max:
		f.Problems.Add(name, "validation.too_long", map[string]any{"Max": max})
	}
	return v
}

// paragraphsIn reads multi-line text in the three languages from the fields
// base_en, base_zh and base_es.
func (f *form) paragraphsIn(base string, max int) expodesk.Text {
	var t expodesk.Text
	for _, l := range expodesk.Langs {
		t = t.Set(l, f.paragraphs(base+"_"+string(l), max, false))
	}
	return t
}

// texts reads a text in the three languages from the fields base_en,
// base_zh and base_es; required asks for at least one of them.
func (f *form) texts(base string, max int, required bool) expodesk.Text {
	var t expodesk.Text
	for _, l := range expodesk.Langs {
		t = t.Set(l, f.text(base+"_"+string(l), max, false))
	}
	if required && t.IsZero() {
		f.Problems.Add(base+"_en", "validation.one_language_required", nil)
	}
	return t
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

// integer returns a whole number from min to max; 0 and no problem when the
// field is empty and not required.
func (f *form) integer(name string, min, max int64, required bool) int64 {
	v := f.text(name, 20, required)
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < min || n > max {
		f.Problems.Add(name, "validation.range", map[string]any{"Min": min, "Max": max})
		return 0
	}
	return n
}

// id returns a positive id from a select or hidden field (0 when empty or
// malformed, which the operation then reports as not chosen).
func (f *form) id(name string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(f.raw(name)), 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// boolean returns whether a checkbox was ticked ("on", "true", "1", "yes").
func (f *form) boolean(name string) bool {
	switch strings.ToLower(strings.TrimSpace(f.raw(name))) {
	case "on", "true", "1", "yes":
		return true
	}
	return false
}

// Date and time layouts of <input type="date"> and <input type="datetime-local">.
const (
	dateLayout     = "2006-01-02"
	dateTimeLayout = "2006-01-02T15:04"
)

// date returns a calendar day (midnight UTC); the zero time when empty and
// not required.
func (f *form) date(name string, required bool) time.Time {
	v := f.text(name, 10, required)
	if v == "" {
		return time.Time{}
	}
	t, err := time.Parse(dateLayout, v)
	if err != nil {
		f.Problems.Add(name, "validation.date", nil)
		return time.Time{}
	}
	return t
}

// dateTime returns a local date and time as typed in zone (the expo's),
// as an instant. A time that the zone skips (02:30 on the night clocks go
// forward) is refused with a message that says so; a time that happens
// twice (the hour clocks go back) is taken as the first of the two.
func (f *form) dateTime(name string, zone *time.Location, required bool) time.Time {
	v := f.text(name, 19, required)
	if v == "" {
		return time.Time{}
	}
	layout := dateTimeLayout
	if len(v) == len(dateTimeLayout)+3 {
		layout += ":05"
	}
	local, err := time.Parse(layout, v)
	if err != nil || local.Format(layout) != v { // Parse takes "T9:00" for 09:00; a browser never sends it
		f.Problems.Add(name, "validation.date_time", nil)
		return time.Time{}
	}
	t, ok := inZone(local, zone)
	if !ok {
		f.Problems.Add(name, "validation.time_skipped", map[string]any{"Time": local.Format("15:04")})
		return time.Time{}
	}
	return t
}

// inZone reads the wall-clock fields of local (parsed as UTC) in zone: the
// earlier instant when the wall time happens twice, and false when the
// zone skips it.
func inZone(local time.Time, zone *time.Location) (time.Time, bool) {
	y, mo, d := local.Date()
	h, mi, s := local.Clock()
	t := time.Date(y, mo, d, h, mi, s, 0, zone)
	if t.Hour() != h || t.Minute() != mi {
		return time.Time{}, false
	}
	// time.Date picks one of two instants for a repeated wall time; an
	// hour earlier with the same wall time is the first of them.
	if earlier := t.Add(-time.Hour); earlier.Hour() == h && earlier.Minute() == mi {
		return earlier, true
	}
	return t, true
}

// choice returns one of allowed, or "" (with a problem when required, or
// when the value is not one of them: a forged form).
func (f *form) choice(name string, allowed []string, required bool) string {
	v := strings.TrimSpace(f.raw(name))
	switch {
	case v == "" && required:
		f.Problems.Add(name, "validation.required", nil)
	case v != "" && !slices.Contains(allowed, v):
		f.Problems.Add(name, "validation.choice", nil)
		return ""
	}
	return v
}

// choices returns the values of a multi-select or a group of checkboxes,
// each one of allowed, without repeats, in the order of allowed.
func (f *form) choices(name string, allowed []string) []string {
	var out []string
	for _, v := range f.Values[name] {
		if !slices.Contains(allowed, v) {
			f.Problems.Add(name, "validation.choice", nil)
			return nil
		}
	}
	for _, a := range allowed {
		if slices.Contains(f.Values[name], a) {
			out = append(out, a)
		}
	}
	return out
}

// upload is a file as a form sent it. Its type is what its content says,
// never what the browser claimed.
type upload struct {
	Filename    string
	ContentType string // sniffed from the first 512 bytes
	Data        []byte
}

// file returns the one file sent under name, at most max bytes (nil when
// none was chosen and none is required). The body cap of the route has
// already bounded what can arrive.
func (f *form) file(name string, max int64, required bool) *upload {
	fhs := f.files[name]
	if len(fhs) == 0 || (len(fhs) == 1 && fhs[0].Size == 0 && fhs[0].Filename == "") {
		if required {
			f.Problems.Add(name, "validation.required", nil)
		}
		return nil
	}
	if len(fhs) > 1 {
		f.Problems.Add(name, "validation.one_file", nil)
		return nil
	}
	fh := fhs[0]
	if fh.Size > max {
		f.Problems.Add(name, "validation.file_too_large", map[string]any{"KB": max >> 10})
		return nil
	}
	src, err := fh.Open()
	if err != nil {
		f.Problems.Add(name, "form.unreadable", nil)
		return nil
	}
	defer src.Close()
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, io.LimitReader(src, max+1)); err != nil || int64(buf.Len()) > max {
		f.Problems.Add(name, "validation.file_too_large", map[string]any{"KB": max >> 10})
		return nil
	}
	if buf.Len() == 0 {
		f.Problems.Add(name, "validation.file_empty", nil)
		return nil
	}
	return &upload{Filename: clip(fh.Filename, 200), ContentType: http.DetectContentType(buf.Bytes()), Data: buf.Bytes()}
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

// absorb takes the field-level part of an operation's error into the form:
// the problems of an EINVALID error, or an error about one field (an email
// already taken). It reports whether err was of that kind; any other error
// is left for the error page, whatever the form's own problems.
func (f *form) absorb(err error) bool {
	e := expodesk.ErrorOf(err)
	switch {
	case e == nil:
		return false
	case e.Field != "":
		f.Problems.Add(e.Field, e.Message, e.Data)
		return true
	case e.Code == expodesk.EINVALID && len(e.Problems) > 0:
		for field, m := range e.Problems {
			f.Problems.Add(field, m.Key, m.Data)
		}
		return true
	}
	return false
}
