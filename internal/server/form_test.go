package server

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"expodesk/internal/expodesk"
)

// formOf parses body as a submitted URL-encoded form.
func formOf(t *testing.T, body url.Values) *form {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	f, err := parseForm(httptest.NewRecorder(), req)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func problemOf(f *form, field string) string { return f.Problems[field].Key }

func TestFormReaders(t *testing.T) {
	t.Parallel()
	madrid := expodesk.LoadLocation("Europe/Madrid")
	t.Run("Integer", func(t *testing.T) {
		for _, tc := range []struct {
			in      string
			want    int64
			problem string
		}{
			{"3", 3, ""}, {" 12 ", 12, ""}, {"", 0, ""}, {"0", 0, "validation.range"}, {"21", 0, "validation.range"},
			{"1e3", 0, "validation.range"}, {"٣", 0, "validation.range"}, {"99999999999999999999", 0, "validation.range"},
		} {
			f := formOf(t, url.Values{"n": {tc.in}})
			if got := f.integer("n", 1, 20, false); got != tc.want || problemOf(f, "n") != tc.problem {
				t.Errorf("integer(%q) = %d, %q; want %d, %q", tc.in, got, problemOf(f, "n"), tc.want, tc.problem)
			}
		}
		f := formOf(t, url.Values{})
		if f.integer("n", 1, 20, true); problemOf(f, "n") != "validation.required" {
			t.Errorf("a required empty integer: %q", problemOf(f, "n"))
		}
	})
	t.Run("Date", func(t *testing.T) {
		f := formOf(t, url.Values{"d": {"2027-11-16"}, "bad": {"16/11/2027"}, "feb": {"2027-02-30"}})
		if got := f.date("d", true); !got.Equal(time.Date(2027, 11, 16, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("date = %v", got)
		}
		f.date("bad", true)
		f.date("feb", true)
		if problemOf(f, "bad") != "validation.date" || problemOf(f, "feb") != "validation.date" {
			t.Errorf("malformed dates: %v", f.Problems)
		}
	})
	t.Run("DateTimeInZone", func(t *testing.T) {
		for _, tc := range []struct {
			name, in string
			want     string // RFC 3339 in UTC, "" for a problem
			problem  string
		}{
			{"Winter", "2027-11-16T10:30", "2027-11-16T09:30:00Z", ""},
			{"Summer", "2027-06-16T10:30", "2027-06-16T08:30:00Z", ""},
			{"WithSeconds", "2027-06-16T10:30:00", "2027-06-16T08:30:00Z", ""},
			// 28 March 2027: clocks go from 02:00 to 03:00 in Madrid.
			{"SkippedByTheClockChange", "2027-03-28T02:30", "", "validation.time_skipped"},
			{"JustAfterTheGap", "2027-03-28T03:00", "2027-03-28T01:00:00Z", ""},
			// 31 October 2027: 02:00–03:00 happens twice; the first is taken.
			{"RepeatedHourTakesTheFirst", "2027-10-31T02:30", "2027-10-31T00:30:00Z", ""},
			{"Malformed", "2027-10-31 25:00", "", "validation.date_time"},
			{"OneDigitHour", "2027-10-01T9:00", "", "validation.date_time"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				f := formOf(t, url.Values{"at": {tc.in}})
				got := f.dateTime("at", madrid, true)
				if problemOf(f, "at") != tc.problem {
					t.Fatalf("problem %q, want %q", problemOf(f, "at"), tc.problem)
				}
				if tc.want != "" && got.UTC().Format(time.RFC3339) != tc.want {
					t.Errorf("dateTime(%q) = %s, want %s", tc.in, got.UTC().Format(time.RFC3339), tc.want)
				}
			})
		}
		shanghai := expodesk.LoadLocation("Asia/Shanghai")
		f := formOf(t, url.Values{"at": {"2027-11-16T10:30"}})
		if got := f.dateTime("at", shanghai, true); got.UTC().Format(time.RFC3339) != "2027-11-16T02:30:00Z" {
			t.Errorf("Wuxi 10:30 = %s", got.UTC())
		}
	})
	t.Run("BooleanChoiceChoices", func(t *testing.T) {
		f := formOf(t, url.Values{"on": {"on"}, "kind": {"b"}, "forged": {"z"}, "twice": {"a", "b"}, "sectors": {"cloud", "ai", "cloud"}, "bad": {"ai", "evil"}})
		if !f.boolean("on") || f.boolean("off") {
			t.Error("boolean")
		}
		if got := f.choice("kind", []string{"a", "b"}, true); got != "b" {
			t.Errorf("choice = %q", got)
		}
		if f.choice("forged", []string{"a", "b"}, false); problemOf(f, "forged") != "validation.choice" {
			t.Errorf("a forged choice: %q", problemOf(f, "forged"))
		}
		if f.choice("twice", []string{"a", "b"}, true); problemOf(f, "twice") != "validation.required" {
			t.Errorf("a choice sent twice: %q", problemOf(f, "twice"))
		}
		if got := f.choices("sectors", []string{"sensors", "cloud", "ai"}); strings.Join(got, ",") != "cloud,ai" {
			t.Errorf("choices = %v, want cloud,ai (no repeats, in list order)", got)
		}
		if f.choices("bad", []string{"ai"}); problemOf(f, "bad") != "validation.choice" {
			t.Errorf("a forged multi-choice: %q", problemOf(f, "bad"))
		}
	})
	t.Run("Texts", func(t *testing.T) {
		f := formOf(t, url.Values{"name_zh": {" 太湖传感 "}, "name_es": {strings.Repeat("ñ", 201)}})
		got := f.texts("name", 200, true)
		if got.ZH != "太湖传感" || problemOf(f, "name_es") != "validation.too_long" {
			t.Errorf("texts = %+v, problems %v", got, f.Problems)
		}
		empty := formOf(t, url.Values{"name_en": {"  "}})
		if empty.texts("name", 200, true); problemOf(empty, "name_en") != "validation.one_language_required" {
			t.Errorf("no language: %v", empty.Problems)
		}
	})
}

// multipartRequest builds a multipart form with one file field.
func multipartRequest(t *testing.T, path, field, filename string, data []byte) *http.Request {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile(field, filename)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.WriteField("note", "a logo")
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return req
}

// TestRouteBodyLimits: an ordinary route keeps the global cap, a route that
// declares a larger one in the route table takes files up to it, and both
// answer 413 with the translated page beyond, before the handler runs.
func TestRouteBodyLimits(t *testing.T) {
	e := newEnv(t)
	s := e.server
	r := chi.NewRouter()
	r.Use(s.locale)
	var got *upload
	reached := 0
	h := func(w http.ResponseWriter, r *http.Request) {
		reached++
		f, err := parseForm(w, r)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		got = f.file("logo", 4<<20, true)
		if f.err() != nil {
			s.renderError(w, r, f.err())
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
	s.handle(r, "POST", "/ordinary", Public, h)
	s.handle(r, "POST", "/upload", Public, h, bodyLimit(5<<20))
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 2<<20)...)

	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, multipartRequest(t, "/upload", "logo", "logo.png", png))
	if rec.Code != http.StatusNoContent || got == nil || got.ContentType != "image/png" || len(got.Data) != len(png) {
		t.Fatalf("a 2 MiB file on the upload route: %d, %+v", rec.Code, got)
	}
	for _, tc := range []struct {
		name, path string
		size       int
	}{{"OrdinaryRoute", "/ordinary", 2 << 20}, {"UploadRoute", "/upload", 6 << 20}} {
		t.Run(tc.name, func(t *testing.T) {
			before := reached
			req := multipartRequest(t, tc.path, "logo", "logo.png", bytes.Repeat([]byte{1}, tc.size))
			req.Header.Set("Accept-Language", "es")
			rec := httptest.NewRecorder()
			r.ServeHTTP(rec, req)
			if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "demasiado") {
				t.Errorf("%d bytes: %d, want a Spanish 413\n%s", tc.size, rec.Code, excerpt(rec.Body.String()))
			}
			if reached != before {
				t.Error("the handler ran for a body over the route's cap")
			}
		})
	}
	t.Run("BodyOverCapWithoutLength", func(t *testing.T) {
		req := multipartRequest(t, "/ordinary", "logo", "logo.png", bytes.Repeat([]byte{1}, 2<<20))
		req.ContentLength = -1
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, req)
		if rec.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("a chunked body over the cap: %d, want 413", rec.Code)
		}
	})
	t.Run("FileOverItsOwnCap", func(t *testing.T) {
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, multipartRequest(t, "/upload", "logo", "big.png", bytes.Repeat([]byte{1}, (4<<20)+1)))
		if rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("a file over the field's cap: %d, want 422", rec.Code)
		}
	})
}

// FuzzFormReaders: whatever is typed, the typed readers return a value in
// range or a problem, never a panic.
func FuzzFormReaders(f *testing.F) {
	for _, s := range []string{"12", "2027-03-28T02:30", "2027-10-31T02:30:00", "2027-02-30", "-0", "on", "\xff", "", "9223372036854775808"} {
		f.Add(s)
	}
	madrid := expodesk.LoadLocation("Europe/Madrid")
	f.Fuzz(func(t *testing.T, v string) {
		fm := &form{Values: url.Values{"v": {v}}, Problems: expodesk.Problems{}}
		if n := fm.integer("v", 1, 500, false); fm.Problems["v"].Key == "" && (n < 0 || n > 500) {
			t.Errorf("integer accepted %d", n)
		}
		fm.Problems = expodesk.Problems{}
		if at := fm.dateTime("v", madrid, false); fm.Problems["v"].Key == "" && !at.IsZero() {
			wall := at.In(madrid).Format(dateTimeLayout)
			if !strings.HasPrefix(v, wall) && !strings.HasPrefix(strings.TrimSpace(v), wall) {
				t.Errorf("dateTime(%q) = %s in Madrid", v, wall)
			}
		}
		fm.Problems = expodesk.Problems{}
		fm.date("v", false)
		fm.choice("v", []string{"a"}, true)
		fm.choices("v", []string{"a"})
		fm.boolean("v")
	})
}
