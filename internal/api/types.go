// Package api holds the response types of the read-only JSON API (A2) and
// the conversions from the domain's types into them. The types are the
// API's contract, named and documented in openapi.json: they are built
// field by field from the domain's, never by serializing a domain struct,
// so that a field added to the domain (a contact email, a registration
// id) reaches no partner unless it is added here on purpose.
package api

// ExpoRef names an expo from another object.
type ExpoRef struct {
	Slug string `json:"slug"`
	Name Text   `json:"name"`
	API  string `json:"api"`
}

// Expo is one edition of a fair; the list of expos carries the same
// object without its pavilions.
type Expo struct {
	Slug     string    `json:"slug"`
	Name     Text      `json:"name"`
	City     Text      `json:"city"`
	Country  string    `json:"country"`
	Venue    Text      `json:"venue"`
	TimeZone string    `json:"time_zone"`
	FirstDay string    `json:"first_day"`
	LastDay  string    `json:"last_day"`
	Website  string    `json:"website,omitempty"`
	Sisters  []ExpoRef `json:"sisters"`
	Counts   Counts    `json:"counts"`
	// Pavilions is set on one expo's response only.
	Pavilions []Pavilion `json:"pavilions,omitempty"`
	URL       string     `json:"url"`
	Links     ExpoLinks  `json:"links"`
}

// ExpoLinks are the API resources of an expo.
type ExpoLinks struct {
	Self       string `json:"self"`
	Pavilions  string `json:"pavilions"`
	Exhibitors string `json:"exhibitors"`
	Agenda     string `json:"agenda"`
	Calendar   string `json:"calendar"`
}

// Counts are an expo's public figures.
type Counts struct {
	Exhibitors  int `json:"exhibitors"`
	Pavilions   int `json:"pavilions"`
	Countries   int `json:"countries"`
	Slots       int `json:"slots"`
	BookedSlots int `json:"booked_slots"`
}

// ExpoList is the response of /expos.
type ExpoList struct {
	Items []Expo `json:"items"`
}

// PavilionRef names a pavilion from another object.
type PavilionRef struct {
	Slug string `json:"slug"`
	Name Text   `json:"name"`
	API  string `json:"api"`
}

// Pavilion is a named area of an expo with its number of exhibitors.
type Pavilion struct {
	Slug        string        `json:"slug"`
	Expo        string        `json:"expo"`
	Name        Text          `json:"name"`
	Host        Text          `json:"host"`
	Hall        string        `json:"hall"`
	Description Text          `json:"description"`
	Exhibitors  int           `json:"exhibitors"`
	URL         string        `json:"url"`
	Links       PavilionLinks `json:"links"`
}

// PavilionLinks are the API resources of a pavilion.
type PavilionLinks struct {
	Self       string `json:"self"`
	Exhibitors string `json:"exhibitors"`
	Agenda     string `json:"agenda"`
	Calendar   string `json:"calendar"`
}

// PavilionList is the response of /expos/{expo}/pavilions.
type PavilionList struct {
	Items []Pavilion `json:"items"`
}

// ExhibitorCard is an exhibitor as a directory lists it.
type ExhibitorCard struct {
	Slug      string       `json:"slug"`
	Name      Text         `json:"name"`
	LegalName string       `json:"legal_name"`
	Country   string       `json:"country"`
	Sectors   []string     `json:"sectors"`
	Logo      string       `json:"logo,omitempty"`
	Booth     string       `json:"booth"`
	Pavilion  *PavilionRef `json:"pavilion"`
	URL       string       `json:"url"`
	API       string       `json:"api"`
}

// ExhibitorPage is one page of a directory. Pages are numbered from 1 in
// a stable order (the name in the response's language, then creation);
// a search counts its matches up to a bound, past which Total is the bound
// and TotalIsLowerBound is true.
type ExhibitorPage struct {
	Items             []ExhibitorCard `json:"items"`
	Page              int             `json:"page"`
	PerPage           int             `json:"per_page"`
	Pages             int             `json:"pages"`
	Total             int             `json:"total"`
	TotalIsLowerBound bool            `json:"total_is_lower_bound"`
	Links             PageLinks       `json:"links"`
}

// PageLinks are the neighbouring pages of a directory page; Next and Prev
// are null at the ends.
type PageLinks struct {
	Self  string  `json:"self"`
	First string  `json:"first"`
	Last  string  `json:"last"`
	Next  *string `json:"next"`
	Prev  *string `json:"prev"`
}

// Exhibitor is a company's public profile: no contact email or phone, no
// registration id, no team, and only its approved participations.
type Exhibitor struct {
	Slug           string          `json:"slug"`
	Name           Text            `json:"name"`
	LegalName      string          `json:"legal_name"`
	Description    Text            `json:"description"`
	Country        string          `json:"country"`
	City           string          `json:"city"`
	Website        string          `json:"website,omitempty"`
	Sectors        []string        `json:"sectors"`
	Logo           string          `json:"logo,omitempty"`
	Participations []Participation `json:"participations"`
	URL            string          `json:"url"`
	Links          ExhibitorLinks  `json:"links"`
}

// ExhibitorLinks are the API resources of an exhibitor.
type ExhibitorLinks struct {
	Self     string `json:"self"`
	Agenda   string `json:"agenda"`
	Calendar string `json:"calendar"`
}

// Participation is an exhibitor's approved presence at an expo.
type Participation struct {
	Expo     ExpoRef      `json:"expo"`
	Pavilion *PavilionRef `json:"pavilion"`
	Booth    string       `json:"booth"`
}

// Agenda is a list of roadshow slots in time order.
type Agenda struct {
	Items []Slot `json:"items"`
}

// Slot statuses.
const (
	SlotFree    = "free"
	SlotBooked  = "booked"
	SlotBlocked = "blocked"
)

// Slot is a roadshow slot: free, booked (with its presentation when the
// company presenting is public) or blocked (a keynote, a break: its label).
type Slot struct {
	ID           int64         `json:"id"`
	StartsAt     string        `json:"starts_at"`
	EndsAt       string        `json:"ends_at"`
	TimeZone     string        `json:"time_zone"`
	Status       string        `json:"status"`
	Label        *Text         `json:"label"`
	Expo         ExpoRef       `json:"expo"`
	Stage        Stage         `json:"stage"`
	Pavilion     *PavilionRef  `json:"pavilion"`
	Presentation *Presentation `json:"presentation"`
}

// Stage is where a slot takes place.
type Stage struct {
	Slug     string `json:"slug"`
	Name     Text   `json:"name"`
	Location Text   `json:"location"`
}

// Presentation is what a company presents in a booked slot; the title is
// empty while it is to be announced.
type Presentation struct {
	Title     Text         `json:"title"`
	Abstract  Text         `json:"abstract"`
	Exhibitor ExhibitorRef `json:"exhibitor"`
}

// ExhibitorRef names an exhibitor from another object.
type ExhibitorRef struct {
	Slug string `json:"slug"`
	Name Text   `json:"name"`
	URL  string `json:"url"`
	API  string `json:"api"`
}

// Sector is an entry of the sector list the directory filters by.
type Sector struct {
	Code string `json:"code"`
	Name Text   `json:"name"`
}

// SectorList is the response of /sectors.
type SectorList struct {
	Items []Sector `json:"items"`
}

// Problem is an error response (RFC 9457, application/problem+json),
// with the problem's code and, for a bad query parameter, its name.
type Problem struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail"`
	Code      string `json:"code"`
	Parameter string `json:"parameter,omitempty"`
	RequestID string `json:"request_id,omitempty"`
}

// Problem codes; a problem's type is ProblemType(code).
const (
	CodeNotFound         = "not-found"
	CodeBadParameter     = "bad-parameter"
	CodeMethodNotAllowed = "method-not-allowed"
	CodeInternal         = "internal"
	// CodeUnavailable is a 503: the service is briefly unable to answer
	// (its database restarting); Retry-After says when to ask again.
	CodeUnavailable = "unavailable"
)

// ProblemType is the type URI of a problem code: a tag URI (RFC 4151),
// an identifier that is stable and not meant to be fetched.
func ProblemType(code string) string { return "tag:expodesk.org,2025:problem:" + code }
