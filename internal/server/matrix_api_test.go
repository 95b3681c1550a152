package server

import (
	"net/http"
	"net/url"

	"expodesk/internal/urls"
)

// apiMatrixCases are the JSON API's rows of the route × role matrix: the
// same answer for everyone, signed in or not (the API reads public data
// only and ignores who asks); an object visitors may not see is not found.
func apiMatrixCases(w world) []matrixCase {
	path := func(p string) func(role) string { return func(role) string { return p } }
	all := func(s int) [roleCount]int { return [roleCount]int{s, s, s, s, s} }
	bcn, pv := w.Barcelona.Slug, w.WuxiPavilion.Slug
	return []matrixCase{
		{method: "GET", pattern: "/api/v1/expos", path: path(urls.APIExpos()), want: all(s200)},
		{method: "GET", pattern: "/api/v1/expos/{expo}", path: path(urls.APIExpo(bcn)), want: all(s200)},
		{method: "GET", pattern: "/api/v1/expos/{expo}", object: "unknown expo", path: path(urls.APIExpo("no-such-expo")), want: all(s404)},
		{method: "GET", pattern: "/api/v1/expos/{expo}/pavilions", path: path(urls.APIPavilions(bcn)), want: all(s200)},
		{method: "GET", pattern: "/api/v1/expos/{expo}/pavilions/{pavilion}", path: path(urls.APIPavilion(bcn, pv)), want: all(s200)},
		{method: "GET", pattern: "/api/v1/expos/{expo}/pavilions/{pavilion}", object: "another expo's pavilion",
			path: path(urls.APIPavilion(w.Wuxi.Slug, pv)), want: all(s404)},
		{method: "GET", pattern: "/api/v1/expos/{expo}/exhibitors", path: path(urls.APIExpoExhibitors(bcn, url.Values{"q": {"sensing"}})), want: all(s200)},
		{method: "GET", pattern: "/api/v1/expos/{expo}/exhibitors", object: "bad page",
			path: path(urls.APIExpoExhibitors(bcn, url.Values{"page": {"-1"}})), want: all(http.StatusBadRequest)},
		{method: "GET", pattern: "/api/v1/expos/{expo}/pavilions/{pavilion}/exhibitors", path: path(urls.APIPavilionExhibitors(bcn, pv, nil)), want: all(s200)},
		{method: "GET", pattern: "/api/v1/expos/{expo}/agenda", path: path(urls.APIExpoAgenda(bcn)), want: all(s200)},
		{method: "GET", pattern: "/api/v1/expos/{expo}/pavilions/{pavilion}/agenda", path: path(urls.APIPavilionAgenda(bcn, pv)), want: all(s200)},
		{method: "GET", pattern: "/api/v1/exhibitors/{exhibitor}", path: path(urls.APIExhibitor(w.Sensing.Slug)), want: all(s200)},
		{method: "GET", pattern: "/api/v1/exhibitors/{exhibitor}", object: "not public", path: path(urls.APIExhibitor(w.Hidden.Slug)), want: all(s404)},
		{method: "GET", pattern: "/api/v1/exhibitors/{exhibitor}/agenda", path: path(urls.APIExhibitorAgenda(w.Sensing.Slug)), want: all(s200)},
		{method: "GET", pattern: "/api/v1/sectors", path: path(urls.APISectors()), want: all(s200)},
		{method: "GET", pattern: "/api/v1/openapi.json", path: path(urls.APIOpenAPI()), want: all(s200)},
		{method: "OPTIONS", pattern: "/api/v1/*", path: path(urls.APIExpos()), want: all(http.StatusNoContent)},
	}
}
