package urls

import "net/url"

// APIPrefix starts every path of the read-only JSON API (A2).
const APIPrefix = "/api/v1"

// APIExpos is the list of current expos.
func APIExpos() string { return APIPrefix + "/expos" }

// APIExpo is one expo with its pavilions and figures.
func APIExpo(expo string) string { return APIExpos() + "/" + seg(expo) }

// APIPavilions is an expo's pavilions.
func APIPavilions(expo string) string { return APIExpo(expo) + "/pavilions" }

// APIPavilion is one pavilion.
func APIPavilion(expo, pavilion string) string { return APIPavilions(expo) + "/" + seg(pavilion) }

// APIExpoExhibitors is an expo's directory, with the query's search,
// filters and page (q, sector, country, page, per_page, lang).
func APIExpoExhibitors(expo string, q url.Values) string {
	return withQuery(APIExpo(expo)+"/exhibitors", q)
}

// APIPavilionExhibitors is a pavilion's directory, with the query's filters.
func APIPavilionExhibitors(expo, pavilion string, q url.Values) string {
	return withQuery(APIPavilion(expo, pavilion)+"/exhibitors", q)
}

// APIExpoAgenda is an expo's roadshow agenda.
func APIExpoAgenda(expo string) string { return APIExpo(expo) + "/agenda" }

// APIPavilionAgenda is a pavilion's roadshow agenda.
func APIPavilionAgenda(expo, pavilion string) string { return APIPavilion(expo, pavilion) + "/agenda" }

// APIExhibitor is one exhibitor's public profile.
func APIExhibitor(exhibitor string) string { return APIPrefix + "/exhibitors/" + seg(exhibitor) }

// APIExhibitorAgenda is the roadshow slots an exhibitor presents in.
func APIExhibitorAgenda(exhibitor string) string { return APIExhibitor(exhibitor) + "/agenda" }

// APISectors is the list of sectors the directory filters by.
func APISectors() string { return APIPrefix + "/sectors" }

// APIOpenAPI is the API's OpenAPI 3.1 document.
func APIOpenAPI() string { return APIPrefix + "/openapi.json" }
