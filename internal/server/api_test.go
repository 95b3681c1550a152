package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"

	"expodesk/internal/api"
	"expodesk/internal/expodesk"
)

// apiPaths are one request of each API endpoint over the seed fixture.
var apiPaths = []string{
	"/api/v1/expos",
	"/api/v1/expos/iotswc-test",
	"/api/v1/expos/iotswc-test/pavilions",
	"/api/v1/expos/iotswc-test/pavilions/wuxi-pavilion",
	"/api/v1/expos/iotswc-test/exhibitors",
	"/api/v1/expos/iotswc-test/exhibitors?q=sensing&sector=sensors&country=cn&page=1&per_page=10",
	"/api/v1/expos/iotswc-test/pavilions/wuxi-pavilion/exhibitors",
	"/api/v1/expos/iotswc-test/agenda",
	"/api/v1/expos/iotswc-test/pavilions/wuxi-pavilion/agenda",
	"/api/v1/exhibitors/taihu-sensing",
	"/api/v1/exhibitors/nube-catalana",
	"/api/v1/exhibitors/taihu-sensing/agenda",
	"/api/v1/sectors",
	"/api/v1/openapi.json",
}

// apiErrors are requests the API refuses, with the status and the
// parameter a problem must name.
var apiErrors = []struct {
	path   string
	status int
	param  string
}{
	{"/api/v1/expos/no-such-expo", 404, ""},
	{"/api/v1/expos/no-such-expo/exhibitors", 404, ""},
	{"/api/v1/expos/iotswc-test/pavilions/no-such-pavilion", 404, ""},
	{"/api/v1/expos/iotswc-test/pavilions/no-such-pavilion/agenda", 404, ""},
	{"/api/v1/expos/wiot-test/pavilions/wuxi-pavilion", 404, ""}, // another expo's pavilion
	{"/api/v1/exhibitors/no-such-company", 404, ""},
	{"/api/v1/exhibitors/applied-only", 404, ""}, // not approved anywhere: not public
	{"/api/v1/exhibitors/applied-only/agenda", 404, ""},
	{"/api/v1/exhibitors/%00bad", 404, ""},
	{"/api/v1/no-such-resource", 404, ""},
	{"/api/v1/expos/iotswc-test/exhibitors?page=-1", 400, "page"},
	{"/api/v1/expos/iotswc-test/exhibitors?page=1000000000000", 400, "page"},
	{"/api/v1/expos/iotswc-test/exhibitors?page=two", 400, "page"},
	{"/api/v1/expos/iotswc-test/exhibitors?per_page=0", 400, "per_page"},
	{"/api/v1/expos/iotswc-test/exhibitors?per_page=101", 400, "per_page"},
	{"/api/v1/expos/iotswc-test/exhibitors?q=" + strings.Repeat("x", 10<<10), 400, "q"},
	{"/api/v1/expos/iotswc-test/exhibitors?q=%ff%fe", 400, "q"},
	{"/api/v1/expos/iotswc-test/exhibitors?sector=no-such-sector", 400, "sector"},
	{"/api/v1/expos/iotswc-test/exhibitors?country=ESP", 400, "country"},
	{"/api/v1/expos/iotswc-test/pavilions/wuxi-pavilion/exhibitors?country=1x", 400, "country"},
	{"/api/v1/expos?lang=xx", 400, "lang"},
	{"/api/v1/expos/iotswc-test/agenda?lang=klingon", 400, "lang"},
}

// apiValidator is the OpenAPI document as a validator, built once.
var apiValidator = sync.OnceValues(func() (validator.Validator, error) {
	doc, err := libopenapi.NewDocument(api.OpenAPI)
	if err != nil {
		return nil, err
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		return nil, fmt.Errorf("validator: %v", errs)
	}
	return v, nil
})

// validateAPI checks a real response (and, when valid is set, its request)
// against the OpenAPI document.
func validateAPI(t *testing.T, req *http.Request, resp *http.Response, body string, wantValidRequest bool) {
	t.Helper()
	v, err := apiValidator()
	if err != nil {
		t.Fatal(err)
	}
	if wantValidRequest {
		if ok, errs := v.ValidateHttpRequest(req); !ok {
			for _, e := range errs {
				t.Errorf("request %s: %s: %s", req.URL, e.Message, e.Reason)
			}
		}
	}
	r := *resp
	r.Body = io.NopCloser(strings.NewReader(body))
	if ok, errs := v.ValidateHttpResponse(req, &r); !ok {
		for _, e := range errs {
			t.Errorf("response %d of %s: %s: %s", resp.StatusCode, req.URL, e.Message, e.Reason)
			for _, se := range e.SchemaValidationErrors {
				t.Errorf("  at %s (%s): %s", se.FieldPath, se.KeywordLocation, se.Reason)
			}
		}
	}
}

func apiGet(t *testing.T, ts *httptest.Server, path string, headers ...string) (*http.Request, *http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return req, resp, string(b)
}

// decode reads a JSON body into v.
func decode(t *testing.T, body string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("decode %q: %v", excerpt(body), err)
	}
}

func TestAPIDocumentIsValidOpenAPI31(t *testing.T) {
	t.Parallel()
	v, err := apiValidator()
	if err != nil {
		t.Fatal(err)
	}
	if ok, errs := v.ValidateDocument(); !ok {
		for _, e := range errs {
			t.Errorf("%s: %s", e.Message, e.Reason)
		}
	}
	var doc struct {
		OpenAPI string                     `json:"openapi"`
		Paths   map[string]json.RawMessage `json:"paths"`
	}
	decode(t, string(api.OpenAPI), &doc)
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi %q, want 3.1.0", doc.OpenAPI)
	}
	// Every GET route of the API is documented, and nothing else.
	e := newEnv(t)
	documented := map[string]bool{}
	for p := range doc.Paths {
		documented["GET /api/v1"+p] = true
	}
	for k := range e.server.Routes() {
		if strings.HasPrefix(k, "GET /api/") && !documented[k] {
			t.Errorf("route %s is not in openapi.json", k)
		}
		delete(documented, k)
	}
	for k := range documented {
		t.Errorf("openapi.json documents %s, which the router does not serve", k)
	}
}

// TestAPIEndpoints requests every endpoint in one language and in all, and
// validates each response against the OpenAPI document, errors included.
func TestAPIEndpoints(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seed()
	for _, path := range apiPaths {
		for _, lang := range []string{"", "zh", "all"} {
			p := path
			if lang != "" {
				p = withParam(path, "lang", lang)
			}
			t.Run(p, func(t *testing.T) {
				req, resp, body := apiGet(t, e.ts, p)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("status %d\n%s", resp.StatusCode, excerpt(body))
				}
				if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
					t.Errorf("Content-Type %q", ct)
				}
				if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age=") || !strings.Contains(cc, "stale-while-revalidate=") {
					t.Errorf("Cache-Control %q", cc)
				}
				// Go's client asks for gzip and reads it decompressed: the
				// tag names the gzip representation of the body.
				want := strongETag([]byte(body))
				if resp.Uncompressed {
					want = codedETag(want, codingGzip)
				}
				if etag := resp.Header.Get("ETag"); etag != want {
					t.Errorf("ETag %q is not the strong hash of the body (%s)", etag, want)
				}
				if resp.Header.Get("Access-Control-Allow-Origin") != "*" {
					t.Error("no Access-Control-Allow-Origin: *")
				}
				if resp.Header.Get("Set-Cookie") != "" {
					t.Errorf("the API set a cookie: %s", resp.Header.Get("Set-Cookie"))
				}
				validateAPI(t, req, resp, body, true)
			})
		}
	}
	for _, c := range apiErrors {
		name := c.path
		if len(name) > 100 {
			name = name[:100]
		}
		t.Run(name, func(t *testing.T) {
			req, resp, body := apiGet(t, e.ts, c.path)
			if resp.StatusCode != c.status {
				t.Fatalf("status %d, want %d\n%s", resp.StatusCode, c.status, excerpt(body))
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("Content-Type %q, want application/problem+json", ct)
			}
			if resp.Header.Get("Access-Control-Allow-Origin") != "*" {
				t.Error("a problem is not readable cross-origin")
			}
			var p api.Problem
			decode(t, body, &p)
			if p.Status != c.status || p.Title == "" || p.Detail == "" || p.Type != api.ProblemType(p.Code) || p.Parameter != c.param {
				t.Errorf("problem %+v, want status %d and parameter %q", p, c.status, c.param)
			}
			// A path the router does not know is not in the document.
			if c.path != "/api/v1/no-such-resource" && !strings.Contains(c.path, "%00") {
				validateAPI(t, req, resp, body, false)
			}
		})
	}
	t.Run("MethodNotAllowed", func(t *testing.T) {
		resp, err := e.client.Post(e.ts.URL+"/api/v1/expos", "application/json", strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var p api.Problem
		decode(t, string(b), &p)
		// A cross-site POST is refused before routing (403); either way, JSON.
		if (resp.StatusCode != http.StatusMethodNotAllowed && resp.StatusCode != http.StatusForbidden) ||
			resp.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("POST = %d %s\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
		}
	})
}

// withParam adds name=value to path's query.
func withParam(path, name, value string) string {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + name + "=" + url.QueryEscape(value)
}

// TestAPIContent checks what the responses say: the directory's filters,
// the agenda's slots, and the language with the pages' fallback.
func TestAPIContent(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	f := e.seed()
	e.stageLocation(f, `{"en": "Hall 2, 2-E01", "zh": "2号馆，2-E01"}`)

	t.Run("LanguageFallback", func(t *testing.T) {
		cases := []struct {
			path    string
			headers []string
			slug    string
			want    string
		}{
			{"/api/v1/exhibitors/taihu-sensing?lang=zh", nil, "", "太湖传感"},
			{"/api/v1/exhibitors/taihu-sensing?lang=es", nil, "", "Taihu Sensing"}, // no Spanish: English
			{"/api/v1/exhibitors/nube-catalana?lang=en", nil, "", "Nube Catalana"}, // Spanish only
			{"/api/v1/exhibitors/nube-catalana?lang=zh", nil, "", "Nube Catalana"}, // Spanish before Chinese
			{"/api/v1/exhibitors/taihu-sensing", []string{"Accept-Language", "zh-CN,zh;q=0.9"}, "", "太湖传感"},
			{"/api/v1/exhibitors/taihu-sensing?lang=zh-Hans", nil, "", "太湖传感"},
			{"/api/v1/exhibitors/taihu-sensing", []string{"Accept-Language", "fr"}, "", "Taihu Sensing"},
		}
		for _, c := range cases {
			_, resp, body := apiGet(t, e.ts, c.path, c.headers...)
			var x struct{ Name string }
			decode(t, body, &x)
			if resp.StatusCode != 200 || x.Name != c.want {
				t.Errorf("%s %v: name %q, want %q", c.path, c.headers, x.Name, c.want)
			}
		}
		_, _, body := apiGet(t, e.ts, "/api/v1/expos/iotswc-test/agenda?lang=es")
		var ag struct {
			Items []struct {
				Stage struct{ Name, Location string }
			}
		}
		decode(t, body, &ag)
		if len(ag.Items) == 0 || ag.Items[0].Stage.Name != "Wuxi Stage" || ag.Items[0].Stage.Location != "Hall 2, 2-E01" {
			t.Errorf("stage in Spanish falls back to English: %+v", ag.Items)
		}
	})

	t.Run("EveryLanguage", func(t *testing.T) {
		_, _, body := apiGet(t, e.ts, "/api/v1/exhibitors/taihu-sensing?lang=all")
		var x struct {
			Name        map[string]string
			Description map[string]string
			LegalName   string `json:"legal_name"`
		}
		decode(t, body, &x)
		want := map[string]string{"en": "Taihu Sensing", "zh": "太湖传感", "es": ""}
		for k, v := range want {
			if got, ok := x.Name[k]; !ok || got != v {
				t.Errorf("name[%s] = %q (present %v), want %q", k, got, ok, v)
			}
		}
		if x.Description["zh"] != "无锡制造的MEMS传感器。" || x.LegalName != "无锡太湖传感科技有限公司" {
			t.Errorf("description %v, legal name %q", x.Description, x.LegalName)
		}
		_, _, body = apiGet(t, e.ts, "/api/v1/expos/iotswc-test/exhibitors?lang=all")
		if !strings.Contains(body, `"lang=all"`) && !strings.Contains(body, "lang=all") {
			t.Errorf("the directory's links lose lang=all:\n%s", excerpt(body))
		}
	})

	t.Run("DirectoryFilters", func(t *testing.T) {
		slugs := func(path string) []string {
			t.Helper()
			_, resp, body := apiGet(t, e.ts, path)
			if resp.StatusCode != 200 {
				t.Fatalf("%s: %d %s", path, resp.StatusCode, body)
			}
			var raw struct{ Items []struct{ Slug string } }
			decode(t, body, &raw)
			out := []string{}
			for _, it := range raw.Items {
				out = append(out, it.Slug)
			}
			return out
		}
		for path, want := range map[string]string{
			"/api/v1/expos/iotswc-test/exhibitors":                         "nube-catalana taihu-sensing",
			"/api/v1/expos/iotswc-test/exhibitors?sector=cloud":            "nube-catalana",
			"/api/v1/expos/iotswc-test/exhibitors?country=CN":              "taihu-sensing",
			"/api/v1/expos/iotswc-test/exhibitors?country=es":              "nube-catalana",
			"/api/v1/expos/iotswc-test/exhibitors?q=传感":                    "taihu-sensing",
			"/api/v1/expos/iotswc-test/exhibitors?q=energía":               "nube-catalana",
			"/api/v1/expos/iotswc-test/pavilions/wuxi-pavilion/exhibitors": "taihu-sensing",
			"/api/v1/expos/wiot-test/exhibitors":                           "",
		} {
			if got := strings.Join(slugs(path), " "); got != want {
				t.Errorf("%s: %q, want %q", path, got, want)
			}
		}
	})

	t.Run("Agenda", func(t *testing.T) {
		_, _, body := apiGet(t, e.ts, "/api/v1/expos/iotswc-test/agenda?lang=en")
		var ag struct {
			Items []struct {
				ID           int64
				StartsAt     string `json:"starts_at"`
				Status       string
				Presentation *struct {
					Title     string
					Exhibitor struct{ Slug string }
				}
			}
		}
		decode(t, body, &ag)
		if len(ag.Items) != 4 {
			t.Fatalf("%d slots, want 4", len(ag.Items))
		}
		first := ag.Items[0]
		if first.StartsAt != "2027-05-11T10:30:00+02:00" || first.Status != api.SlotBooked || first.Presentation == nil ||
			first.Presentation.Exhibitor.Slug != "taihu-sensing" || first.Presentation.Title != "传感器赋能智慧城市" {
			t.Errorf("first slot %+v", first)
		}
		if ag.Items[1].Status != api.SlotFree || ag.Items[1].Presentation != nil {
			t.Errorf("second slot %+v, want free", ag.Items[1])
		}
		_, _, body = apiGet(t, e.ts, "/api/v1/exhibitors/nube-catalana/agenda")
		if strings.TrimSpace(body) != `{"items":[]}` {
			t.Errorf("an exhibitor without slots: %s", body)
		}
	})

	t.Run("Expo", func(t *testing.T) {
		_, _, body := apiGet(t, e.ts, "/api/v1/expos/iotswc-test?lang=en")
		var x struct {
			TimeZone  string `json:"time_zone"`
			FirstDay  string `json:"first_day"`
			Sisters   []struct{ Slug string }
			Counts    api.Counts
			Pavilions []struct {
				Slug       string
				Exhibitors int
			}
		}
		decode(t, body, &x)
		if x.TimeZone != "Europe/Madrid" || x.FirstDay != "2027-05-11" || len(x.Sisters) != 1 || x.Sisters[0].Slug != "wiot-test" ||
			x.Counts.Exhibitors != 2 || len(x.Pavilions) != 1 || x.Pavilions[0].Exhibitors != 1 {
			t.Errorf("expo %+v", x)
		}
	})
}

// TestAPIPagination walks a directory page by page: every exhibitor once,
// in the same order as one big page, with links that lead there.
func TestAPIPagination(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	f := e.seed()
	ctx := context.Background()
	// Names that tie on purpose: the order must still be stable (by id).
	for i := range 9 {
		name := fmt.Sprintf("Paged Company %d", i%3)
		x, err := e.store.ExhibitorCreate(ctx, expodesk.Exhibitor{Slug: fmt.Sprintf("paged-%d", i), LegalName: name,
			Name: expodesk.Text{EN: name}, Country: "DE"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.store.ParticipationCreate(ctx, expodesk.Participation{ExpoID: f.Barcelona.ID, ExhibitorID: x.ID,
			Status: expodesk.StatusApproved}); err != nil {
			t.Fatal(err)
		}
	}
	list := func(path string) api.ExhibitorPage {
		t.Helper()
		_, resp, body := apiGet(t, e.ts, path)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, body)
		}
		var raw struct {
			Items []struct{ Slug string }
			Page  int
			Pages int
			Total int
			Links struct {
				Self, First, Last string
				Next, Prev        *string
			}
		}
		decode(t, body, &raw)
		out := api.ExhibitorPage{Page: raw.Page, Pages: raw.Pages, Total: raw.Total,
			Links: api.PageLinks{Self: raw.Links.Self, First: raw.Links.First, Last: raw.Links.Last, Next: raw.Links.Next, Prev: raw.Links.Prev}}
		for _, it := range raw.Items {
			out.Items = append(out.Items, api.ExhibitorCard{Slug: it.Slug})
		}
		return out
	}
	all := list("/api/v1/expos/iotswc-test/exhibitors?country=DE&per_page=100")
	if all.Total != 9 || len(all.Items) != 9 {
		t.Fatalf("total %d, %d items", all.Total, len(all.Items))
	}
	var walked []string
	next := e.ts.URL + "/api/v1/expos/iotswc-test/exhibitors?country=DE&per_page=4"
	for pages := 0; next != ""; pages++ {
		if pages > 5 {
			t.Fatal("the next links do not end")
		}
		if !strings.HasPrefix(next, e.cfg.BaseURL) {
			t.Fatalf("next link %q is not absolute on BASE_URL", next)
		}
		p := list(strings.TrimPrefix(next, e.cfg.BaseURL))
		if p.Pages != 3 || p.Total != 9 {
			t.Errorf("page %d: pages %d total %d", p.Page, p.Pages, p.Total)
		}
		if (p.Page == 1) != (p.Links.Prev == nil) {
			t.Errorf("page %d: prev %v", p.Page, p.Links.Prev)
		}
		for _, it := range p.Items {
			walked = append(walked, it.Slug)
		}
		next = ""
		if p.Links.Next != nil {
			next = *p.Links.Next
		}
	}
	var want []string
	for _, it := range all.Items {
		want = append(want, it.Slug)
	}
	if strings.Join(walked, " ") != strings.Join(want, " ") {
		t.Errorf("pages walked %v, want %v", walked, want)
	}
	// The same page twice is the same page.
	if a, b := list("/api/v1/expos/iotswc-test/exhibitors?country=DE&per_page=4&page=2"),
		list("/api/v1/expos/iotswc-test/exhibitors?country=DE&per_page=4&page=2"); fmt.Sprint(a.Items) != fmt.Sprint(b.Items) {
		t.Error("one page, two orders")
	}
	past := list("/api/v1/expos/iotswc-test/exhibitors?country=DE&per_page=4&page=9")
	if len(past.Items) != 0 || past.Page != 9 || past.Links.Next != nil || past.Links.Prev == nil ||
		!strings.HasSuffix(*past.Links.Prev, "page=3&per_page=4") {
		t.Errorf("a page past the end: %+v", past)
	}
}

// TestAPIPrivacy sets every private field of the fixture and looks for it
// in each endpoint's responses, in one language and in all: contact
// emails and phones, registration ids, users, audit entries, and companies
// and bookings that are not public.
func TestAPIPrivacy(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	f := e.seed()
	ctx := context.Background()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := e.pool.Exec(ctx, q, args...); err != nil {
			t.Fatal(err)
		}
	}
	private := []string{}
	for i, x := range []expodesk.Exhibitor{f.Sensing, f.Cloud, f.Hidden} {
		email, phone, reg := fmt.Sprintf("press%d@private.example", i), fmt.Sprintf("+86 510 8888 %04d", i), fmt.Sprintf("91320200MA1PRIV%03d", i)
		exec(`UPDATE exhibitor SET email = $2, phone = $3, registration_id = $4 WHERE id = $1`, x.ID, email, phone, reg)
		private = append(private, email, phone, reg)
	}
	// A company that withdrew, with a booking that stays on the agenda as taken.
	gone, err := e.store.ExhibitorCreate(ctx, expodesk.Exhibitor{Slug: "withdrawn-co", LegalName: "Withdrawn Secret Co",
		Name: expodesk.Text{EN: "Withdrawn Secret"}, Country: "FR"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.ParticipationCreate(ctx, expodesk.Participation{ExpoID: f.Barcelona.ID, ExhibitorID: gone.ID,
		PavilionID: &f.WuxiPavilion.ID, Status: expodesk.StatusApproved}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.BookingCreate(ctx, expodesk.Booking{SlotID: f.Slots[2].ID, ExhibitorID: gone.ID,
		Title: "Withdrawn Talk Title", Abstract: "Withdrawn abstract", Lang: expodesk.EN}, nil); err != nil {
		t.Fatal(err)
	}
	exec(`UPDATE participation SET status = 'withdrawn' WHERE exhibitor_id = $1`, gone.ID)
	private = append(private, "Withdrawn Secret", "Withdrawn Talk", "withdrawn-co", "Applied Only", "applied-only")
	// Team members and an organizer, with their names and emails, and an audit entry.
	for _, u := range []expodesk.User{
		{Email: "member@taihu-private.example", Role: expodesk.RoleExhibitor, ExhibitorID: &f.Sensing.ID,
			PersonName: expodesk.PersonName{FamilyName: "Privatefamily", GivenName: "Privategiven"}},
		{Email: "organizer@private.example", Role: expodesk.RoleOrganizer,
			PersonName: expodesk.PersonName{FamilyName: "Organizerfamily", GivenName: "Organizergiven"}},
	} {
		e.createAccount(u)
		private = append(private, u.Email, u.PersonName.FamilyName, u.PersonName.GivenName)
	}
	exec(`INSERT INTO audit_entry (actor_label, action, object_type, object_id, exhibitor_id, after)
		VALUES ('auditor@private.example', 'test.api_privacy', 'exhibitor', $1::bigint::text, $1, '{"note": "AuditSecretDetail"}')`, f.Sensing.ID)
	private = append(private, "AuditSecretDetail", "test.api_privacy", "auditor@private.example")

	paths := append([]string{}, apiPaths...)
	paths = append(paths, "/api/v1/expos/iotswc-test/exhibitors?q=withdrawn", "/api/v1/expos/iotswc-test/exhibitors?q=applied")
	for _, path := range paths {
		if path == "/api/v1/openapi.json" {
			continue
		}
		for _, lang := range []string{"en", "zh", "all"} {
			p := withParam(path, "lang", lang)
			_, resp, body := apiGet(t, e.ts, p)
			if resp.StatusCode != 200 {
				t.Errorf("%s: %d", p, resp.StatusCode)
				continue
			}
			for _, s := range private {
				if strings.Contains(body, s) || strings.Contains(body, jsonEscaped(s)) {
					t.Errorf("%s leaks %q", p, s)
				}
			}
			for _, key := range []string{`"email"`, `"phone"`, `"registration_id"`, `"users"`, `"status":"applied"`, `"status":"withdrawn"`} {
				if strings.Contains(body, key) {
					t.Errorf("%s has %s", p, key)
				}
			}
		}
	}
	// The withdrawn company's slot is still taken, and says nothing more.
	_, _, body := apiGet(t, e.ts, "/api/v1/expos/iotswc-test/agenda")
	var ag api.Agenda
	var raw struct {
		Items []struct {
			ID           int64
			Status       string
			Presentation *json.RawMessage
		}
	}
	decode(t, body, &raw)
	_ = ag
	for _, it := range raw.Items {
		if it.ID == f.Slots[2].ID && (it.Status != api.SlotBooked || it.Presentation != nil) {
			t.Errorf("the withdrawn company's slot: %+v", it)
		}
	}
}

// jsonEscaped is s as encoding/json writes it inside a string.
func jsonEscaped(s string) string {
	b, _ := json.Marshal(s)
	return string(bytes.Trim(b, `"`))
}

// TestAPICORS checks that a browser on another site may read the API:
// the preflight of a conditional request, and the answers themselves,
// without credentials.
func TestAPICORS(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seed()
	for _, path := range []string{"/api/v1/expos", "/api/v1/expos/iotswc-test/pavilions/wuxi-pavilion/exhibitors"} {
		req, err := http.NewRequest(http.MethodOptions, e.ts.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Origin", "https://www.wuxi-expo.example.cn")
		req.Header.Set("Access-Control-Request-Method", "GET")
		req.Header.Set("Access-Control-Request-Headers", "if-none-match")
		resp, _ := e.do(req)
		h := resp.Header
		if resp.StatusCode != http.StatusNoContent || h.Get("Access-Control-Allow-Origin") != "*" ||
			!strings.Contains(h.Get("Access-Control-Allow-Methods"), "GET") ||
			!strings.Contains(strings.ToLower(h.Get("Access-Control-Allow-Headers")), "if-none-match") ||
			h.Get("Access-Control-Allow-Credentials") != "" || h.Get("Access-Control-Max-Age") == "" {
			t.Errorf("preflight of %s: %d %v", path, resp.StatusCode, h)
		}
		resp, _ = e.get(path, "Origin", "https://www.wuxi-expo.example.cn")
		if resp.Header.Get("Access-Control-Allow-Origin") != "*" || resp.Header.Get("Access-Control-Allow-Credentials") != "" ||
			!strings.Contains(resp.Header.Get("Access-Control-Expose-Headers"), "ETag") {
			t.Errorf("GET %s: %v", path, resp.Header)
		}
	}
	// The pages are not opened to other origins by the API.
	if resp, _ := e.get("/expos/iotswc-test", "Origin", "https://elsewhere.example"); resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Error("an HTML page allows cross-origin reads")
	}
}

// TestAPIConditional checks ETag and If-None-Match, with the page cache
// and without it: 304 with no body when the client's copy is current, a
// new ETag once the data changes.
func TestAPIConditional(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	f := e.seed()
	srv, cached := cachedInstance(t, e)
	const path = "/api/v1/expos/iotswc-test/pavilions/wuxi-pavilion/exhibitors?lang=en"
	for name, ts := range map[string]*httptest.Server{"Uncached": e.ts, "Cached": cached} {
		t.Run(name, func(t *testing.T) {
			_, r1, b1 := apiGet(t, ts, path)
			etag := r1.Header.Get("ETag")
			if r1.StatusCode != 200 || etag == "" || strings.HasPrefix(etag, "W/") {
				t.Fatalf("%d, ETag %q", r1.StatusCode, etag)
			}
			for _, inm := range []string{etag, `"other", ` + etag, "W/" + etag, "*"} {
				req, r2, b2 := apiGet(t, ts, path, "If-None-Match", inm, "Accept-Encoding", "gzip")
				if r2.StatusCode != http.StatusNotModified || b2 != "" || r2.Header.Get("ETag") != etag ||
					r2.Header.Get("Cache-Control") != apiCacheControl || r2.Header.Get("Content-Length") != "" {
					t.Errorf("If-None-Match %s: %d %q %v", inm, r2.StatusCode, b2, r2.Header)
				}
				validateAPI(t, req, r2, b2, true)
			}
			_, r3, b3 := apiGet(t, ts, path, "If-None-Match", `"stale"`)
			if r3.StatusCode != 200 || b3 != b1 {
				t.Errorf("a stale ETag: %d", r3.StatusCode)
			}
			req, _ := http.NewRequest(http.MethodHead, ts.URL+path, nil)
			req.Header.Set("If-None-Match", etag)
			if resp, err := ts.Client().Do(req); err != nil || resp.StatusCode != http.StatusNotModified {
				t.Errorf("HEAD with the ETag: %v %v", resp, err)
			}
		})
	}
	t.Run("HitsAnswer304WithoutRendering", func(t *testing.T) {
		_, r1, _ := apiGet(t, cached, path)
		etag := r1.Header.Get("ETag")
		_, r2, _ := apiGet(t, cached, path, "If-None-Match", etag)
		if r2.StatusCode != http.StatusNotModified || r2.Header.Get("X-Cache") != "hit" {
			t.Errorf("%d X-Cache %q, want a 304 from the cache", r2.StatusCode, r2.Header.Get("X-Cache"))
		}
		// The cache holds the page once, whichever way it was asked for.
		if n := srv.pages.pages.Len(); n == 0 {
			t.Error("nothing cached")
		}
	})
	t.Run("ChangeMakesANewETag", func(t *testing.T) {
		_, r1, _ := apiGet(t, cached, path)
		etag := r1.Header.Get("ETag")
		if _, err := e.pool.Exec(context.Background(),
			`UPDATE exhibitor SET name = jsonb_set(name, '{en}', '"Taihu Sensing Renamed"') WHERE id = $1`, f.Sensing.ID); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(5 * time.Second)
		for {
			_, r2, body := apiGet(t, cached, path, "If-None-Match", etag)
			if r2.StatusCode == 200 && strings.Contains(body, "Taihu Sensing Renamed") && r2.Header.Get("ETag") != etag {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("still %d with ETag %q after the change", r2.StatusCode, r2.Header.Get("ETag"))
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
	t.Run("BookingReachesTheAgenda", func(t *testing.T) {
		const agenda = "/api/v1/exhibitors/nube-catalana/agenda"
		if _, _, body := apiGet(t, cached, agenda); !strings.Contains(body, `"items":[]`) {
			t.Fatalf("agenda before: %s", body)
		}
		if _, err := e.store.BookingCreate(context.Background(), expodesk.Booking{SlotID: f.Slots[3].ID, ExhibitorID: f.Cloud.ID,
			Title: "Energía en la nube", Lang: expodesk.ES}, nil); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(5 * time.Second)
		for {
			if _, _, body := apiGet(t, cached, agenda); strings.Contains(body, "Energía en la nube") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the exhibitor's agenda kept the slots from before the booking")
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}

func TestAPIPageClasses(t *testing.T) {
	t.Parallel()
	for path, want := range map[string]string{
		"/api/v1/expos":                          "home agenda",
		"/api/v1/expos/x":                        "agenda expo:x",
		"/api/v1/expos/x/agenda":                 "agenda expo:x",
		"/api/v1/expos/x/pavilions/p/agenda":     "agenda expo:x",
		"/api/v1/expos/x/exhibitors":             "expo:x",
		"/api/v1/expos/x/pavilions":              "expo:x",
		"/api/v1/expos/x/pavilions/p/exhibitors": "expo:x",
		"/api/v1/exhibitors/acme":                "exhibitor:acme",
		"/api/v1/exhibitors/acme/agenda":         "exhibitor:acme",
		"/api/v1/sectors":                        "",
		"/exhibitors/acme/agenda.ics":            "exhibitor:acme",
		"/expos/x/pavilions/p":                   "expo:x",
	} {
		if got := strings.Join(pageClasses(path, false), " "); got != want {
			t.Errorf("pageClasses(%s) = %q, want %q", path, got, want)
		}
	}
}

// TestAPIValidatorRefusesLeaks checks the check: a response with a field
// the document does not name (a contact email) or of the wrong shape fails
// validation, so that TestAPIEndpoints would catch one.
func TestAPIValidatorRefusesLeaks(t *testing.T) {
	t.Parallel()
	v, err := apiValidator()
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "http://expo.example.org/api/v1/sectors", nil)
	for _, body := range []string{
		`{"items":[{"code":"sensors","name":"Sensors","email":"press@example.com"}]}`,
		`{"items":[{"code":"sensors","name":7}]}`,
		`{"items":[{"code":"sensors"}]}`,
	} {
		resp := &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(strings.NewReader(body)), Request: req}
		if ok, _ := v.ValidateHttpResponse(req, resp); ok {
			t.Errorf("%s passed validation", body)
		}
	}
}
