package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"expodesk/internal/api"
	"expodesk/internal/expodesk"
	"expodesk/internal/i18n"
	"expodesk/internal/urls"
	"expodesk/web"
)

// The read-only JSON API (A2): the public data of the visitor pages, for
// partners' sites that embed a directory or an agenda. It reads what the
// pages read, through the same store calls, and writes the explicit
// response types of internal/api. Responses are cached like the pages
// (the page cache, kept fresh by the same notifications), carry a strong
// ETag of their body and answer a matching If-None-Match with 304.

// apiCacheControl lets a CDN or a browser keep a response a minute and
// serve it stale for five more while it asks again.
const apiCacheControl = "public, max-age=60, stale-while-revalidate=300"

// apiMaxQuery is the longest search text the API takes, in characters
// (the directory's own bound); a longer one is refused rather than cut.
const apiMaxQuery = 100

// apiMaxPage and apiMaxPerPage bound the directory's pages.
const (
	apiMaxPage    = 10000
	apiMaxPerPage = 100
	apiPerPage    = 24
)

// apiRead answers one API resource from the request and a response builder.
type apiRead func(r *http.Request, b api.Builder) (any, error)

// badParameter is a query parameter the API refuses (400).
type badParameter struct{ name, detail string }

func (e *badParameter) Error() string { return e.name + ": " + e.detail }

// api serves read: cross-origin readable, from the page cache for
// visitors, with the ETag of its body and a 304 for a client that has the
// response already (cached).
func (s *Server) api(read apiRead) http.HandlerFunc {
	render := s.cached(func(w http.ResponseWriter, r *http.Request) {
		lang, err := apiLang(r)
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		v, err := read(r, api.Builder{Base: s.baseURL(r), Lang: lang})
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		body, err := apiJSON(v)
		if err != nil {
			s.apiError(w, r, fmt.Errorf("encode %s: %w", r.URL.Path, err))
			return
		}
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("Cache-Control", apiCacheControl)
		_, _ = w.Write(body)
	})
	return func(w http.ResponseWriter, r *http.Request) {
		apiCORS(w.Header())
		render(w, r)
	}
}

// apiJSON encodes v without HTML escaping: a response is read as JSON,
// never pasted into a page, and links keep their & as written.
func apiJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// strongETag names a body by its SHA-256 (the first 128 bits are plenty to
// tell two versions of one resource apart).
func strongETag(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:16]) + `"`
}

// apiCORS lets any site read the API from a browser, without credentials:
// the data is public, and a cookie would change nothing in the answer.
func apiCORS(h http.Header) {
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Expose-Headers", "ETag")
}

// apiPreflight answers a browser's CORS preflight for any API path.
func (s *Server) apiPreflight(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	apiCORS(h)
	h.Set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
	h.Set("Access-Control-Allow-Headers", "Accept, Accept-Language, If-None-Match")
	h.Set("Access-Control-Max-Age", "86400")
	h.Set("Allow", "GET, HEAD, OPTIONS")
	h.Set("Cache-Control", "public, max-age=86400")
	w.WriteHeader(http.StatusNoContent)
}

// isAPI reports whether path is one of the API's, whose errors are JSON.
func isAPI(path string) bool {
	return path == urls.APIPrefix || strings.HasPrefix(path, urls.APIPrefix+"/")
}

// apiLang is the language the request asks for: ?lang= (a language, or
// "all"), else what the pages would use (the lang cookie, Accept-Language).
func apiLang(r *http.Request) (api.Lang, error) {
	q := r.URL.Query()
	if !q.Has("lang") {
		return api.Lang{Lang: web.Lang(r.Context())}, nil
	}
	v := q.Get("lang")
	if strings.EqualFold(v, "all") {
		return api.Lang{Lang: expodesk.EN, All: true}, nil
	}
	if l, ok := i18n.ParseLang(v); ok {
		return api.Lang{Lang: l}, nil
	}
	return api.Lang{}, &badParameter{"lang", "lang must be en, zh, es (or a BCP 47 tag of one of them) or all"}
}

// apiError writes err as a problem (RFC 9457): a bad parameter 400, an
// unknown object 404, a database outage 503 with Retry-After, anything
// else 500 with the request id to quote, logged and never described.
func (s *Server) apiError(w http.ResponseWriter, r *http.Request, err error) {
	if clientGone(r, err) {
		return
	}
	p := api.Problem{Status: http.StatusInternalServerError, Code: api.CodeInternal,
		Detail: "The server could not answer; quote the request id when reporting it."}
	var bad *badParameter
	switch {
	case errors.As(err, &bad):
		p.Status, p.Code, p.Parameter, p.Detail = http.StatusBadRequest, api.CodeBadParameter, bad.name, bad.detail
	case expodesk.ErrorCode(err) == expodesk.ENOTFOUND:
		p.Status, p.Code, p.Detail = http.StatusNotFound, api.CodeNotFound, "No such resource: "+r.URL.Path
	case expodesk.ErrorCode(err) == eMethod:
		p.Status, p.Code, p.Detail = http.StatusMethodNotAllowed, api.CodeMethodNotAllowed, "The API is read-only: GET, HEAD or OPTIONS."
	case errorCode(err) == eUnavailable:
		p.Status, p.Code, p.Detail = http.StatusServiceUnavailable, api.CodeUnavailable,
			"The service is briefly unavailable; try again after the number of seconds in Retry-After."
		p.RequestID = RequestID(r.Context())
		noteUnavailable(r.Context(), err)
		w.Header().Set("Retry-After", retryAfter)
	default:
		s.log.ErrorContext(r.Context(), "api internal error", "err", err)
		p.RequestID = RequestID(r.Context())
	}
	p.Type, p.Title = api.ProblemType(p.Code), http.StatusText(p.Status)
	body, _ := apiJSON(p) // a Problem always encodes
	h := w.Header()
	apiCORS(h)
	h.Set("Content-Type", "application/problem+json")
	h.Set("Cache-Control", "no-store")
	h.Del("ETag")
	w.WriteHeader(p.Status)
	_, _ = w.Write(body)
}

// apiExpos lists the current expos with their sisters and figures.
func (s *Server) apiExpos(r *http.Request, b api.Builder) (any, error) {
	ctx := r.Context()
	expos, err := s.store.ExpoList(ctx)
	if err != nil {
		return nil, err
	}
	out := api.ExpoList{Items: make([]api.Expo, 0, len(expos))}
	for _, e := range expos {
		x, err := s.apiExpoOf(r, b, e)
		if err != nil {
			return nil, err
		}
		out.Items = append(out.Items, x)
	}
	return out, nil
}

func (s *Server) apiExpoOf(r *http.Request, b api.Builder, e expodesk.Expo) (api.Expo, error) {
	sisters, err := s.store.ExpoSisters(r.Context(), e.ID)
	if err != nil {
		return api.Expo{}, err
	}
	counts, err := s.store.ExpoCountsGet(r.Context(), e.ID)
	if err != nil {
		return api.Expo{}, err
	}
	return b.Expo(e, sisters, counts), nil
}

// apiExpo is one expo with its pavilions.
func (s *Server) apiExpo(r *http.Request, b api.Builder) (any, error) {
	e, err := s.publicExpo(r.Context(), chi.URLParam(r, "expo"))
	if err != nil {
		return nil, err
	}
	out, err := s.apiExpoOf(r, b, e)
	if err != nil {
		return nil, err
	}
	list, err := s.apiPavilionList(r, b, e)
	if err != nil {
		return nil, err
	}
	out.Pavilions = list.Items
	return out, nil
}

func (s *Server) apiPavilionList(r *http.Request, b api.Builder, e expodesk.Expo) (api.PavilionList, error) {
	pvs, err := s.store.PavilionListWithCounts(r.Context(), e.ID)
	if err != nil {
		return api.PavilionList{}, err
	}
	out := api.PavilionList{Items: make([]api.Pavilion, 0, len(pvs))}
	for _, pv := range pvs {
		out.Items = append(out.Items, b.Pavilion(e.Slug, pv.Pavilion, pv.Exhibitors))
	}
	return out, nil
}

// apiPavilions lists an expo's pavilions.
func (s *Server) apiPavilions(r *http.Request, b api.Builder) (any, error) {
	e, err := s.publicExpo(r.Context(), chi.URLParam(r, "expo"))
	if err != nil {
		return nil, err
	}
	return s.apiPavilionList(r, b, e)
}

// apiPavilion is one pavilion of an expo.
func (s *Server) apiPavilion(r *http.Request, b api.Builder) (any, error) {
	e, pv, err := s.agendaScope(r)
	if err != nil {
		return nil, err
	}
	list, err := s.apiPavilionList(r, b, e)
	if err != nil {
		return nil, err
	}
	for _, p := range list.Items {
		if p.Slug == pv.Slug {
			return p, nil
		}
	}
	return nil, expodesk.ErrNotFound
}

// apiExhibitors is a page of an expo's or a pavilion's directory, with the
// pages' search and filters. Pages are numbered (?page=, ?per_page=) in a
// stable order: the name in the response's language, then the company's id.
func (s *Server) apiExhibitors(r *http.Request, b api.Builder) (any, error) {
	ctx := r.Context()
	e, pv, err := s.agendaScope(r)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	dq, err := s.apiDirectoryQuery(r, q)
	if err != nil {
		return nil, err
	}
	dq.ExpoID, dq.Lang = e.ID, b.Lang.Lang
	link := func(v url.Values) string { return urls.APIExpoExhibitors(e.Slug, v) }
	if pv != nil {
		dq.PavilionID = pv.ID
		link = func(v url.Values) string { return urls.APIPavilionExhibitors(e.Slug, pv.Slug, v) }
	}
	page, err := s.store.Directory(ctx, dq)
	if err != nil {
		return nil, err
	}
	// The store shows the last page for one past the end, as the pages
	// do; a client walking the pages is told there is nothing there.
	if page.Page != dq.Page {
		page.Page, page.Entries = dq.Page, nil
	}
	kept := url.Values{}
	for _, k := range []string{"q", "sector", "country", "per_page", "lang"} {
		if q.Has(k) {
			kept.Set(k, q.Get(k))
		}
	}
	return b.ExhibitorPage(e.Slug, page, kept, link), nil
}

// apiDirectoryQuery reads the directory's parameters, refusing what the
// pages would silently drop: an API client should learn of its mistake.
func (s *Server) apiDirectoryQuery(r *http.Request, q url.Values) (expodesk.DirectoryQuery, error) {
	dq := expodesk.DirectoryQuery{Page: 1, PerPage: apiPerPage}
	text := q.Get("q")
	if !utf8.ValidString(text) || utf8.RuneCountInString(strings.TrimSpace(text)) > apiMaxQuery {
		return dq, &badParameter{"q", fmt.Sprintf("q must be valid UTF-8 of at most %d characters", apiMaxQuery)}
	}
	dq.Text = text
	var err error
	if dq.Page, err = apiInt(q, "page", 1, apiMaxPage, 1); err != nil {
		return dq, err
	}
	if dq.PerPage, err = apiInt(q, "per_page", 1, apiMaxPerPage, apiPerPage); err != nil {
		return dq, err
	}
	if c := q.Get("country"); c != "" {
		dq.Country = strings.ToUpper(c)
		if len(c) != 2 || dq.Country[0] < 'A' || dq.Country[0] > 'Z' || dq.Country[1] < 'A' || dq.Country[1] > 'Z' {
			return dq, &badParameter{"country", "country must be an ISO 3166-1 alpha-2 code such as CN or ES"}
		}
	}
	if code := q.Get("sector"); code != "" {
		sectors, err := s.sectorList(r.Context())
		if err != nil {
			return dq, err
		}
		if !knownSector(sectors, code) {
			return dq, &badParameter{"sector", "sector must be one of the codes " + urls.APISectors() + " lists"}
		}
		dq.Sector = code
	}
	return dq.Clean(), nil
}

// apiInt reads an integer parameter within [lo, hi], def when absent.
func apiInt(q url.Values, name string, lo, hi, def int) (int, error) {
	if !q.Has(name) {
		return def, nil
	}
	n, err := strconv.Atoi(q.Get(name))
	if err != nil || n < lo || n > hi {
		return 0, &badParameter{name, fmt.Sprintf("%s must be a whole number from %d to %d", name, lo, hi)}
	}
	return n, nil
}

// apiExhibitor is a company's public profile.
func (s *Server) apiExhibitor(r *http.Request, b api.Builder) (any, error) {
	page, err := s.publicExhibitor(r)
	if err != nil {
		return nil, err
	}
	return b.Exhibitor(page.Exhibitor, page.Participations), nil
}

// apiAgenda is an expo's or a pavilion's roadshow slots in time order.
func (s *Server) apiAgenda(r *http.Request, b api.Builder) (any, error) {
	e, pv, err := s.agendaScope(r)
	if err != nil {
		return nil, err
	}
	var pavilionID int64
	if pv != nil {
		pavilionID = pv.ID
	}
	items, err := s.store.Agenda(r.Context(), e.ID, pavilionID)
	if err != nil {
		return nil, err
	}
	return b.Agenda(items), nil
}

// apiExhibitorAgenda is the slots a company presents in, across expos.
func (s *Server) apiExhibitorAgenda(r *http.Request, b api.Builder) (any, error) {
	page, err := s.publicExhibitor(r)
	if err != nil {
		return nil, err
	}
	return b.Agenda(page.Slots), nil
}

// apiSectors is the sector list the directory filters by.
func (s *Server) apiSectors(r *http.Request, b api.Builder) (any, error) {
	list, err := s.sectorList(r.Context())
	if err != nil {
		return nil, err
	}
	return b.Sectors(list), nil
}

// apiOpenAPI serves the API's OpenAPI 3.1 document.
func (s *Server) apiOpenAPI(r *http.Request, _ api.Builder) (any, error) {
	return json.RawMessage(api.OpenAPI), nil
}
