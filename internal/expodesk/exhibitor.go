package expodesk

import (
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Exhibitor is a company, one identity across expos.
type Exhibitor struct {
	ID             int64
	Slug           string
	LegalName      string
	Name           Text
	Description    Text
	Country        string
	City           string
	Website        string
	Email          string
	Phone          string
	RegistrationID string
	Sectors        []string // sector codes
	LogoETag       string   // empty when there is no logo
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// DisplayName returns the name a reader of lang sees, falling back to the legal name.
func (e Exhibitor) DisplayName(lang Lang) string {
	if v := e.Name.In(lang); v != "" {
		return v
	}
	return e.LegalName
}

// Initials returns up to two letters for the placeholder shown instead of a
// missing logo: the first letters of two words, or the first Chinese character.
func Initials(name string) string {
	var out []rune
	for _, w := range strings.Fields(name) {
		r, _ := utf8.DecodeRuneInString(w)
		if r == utf8.RuneError {
			continue
		}
		if r > 0x2E80 { // CJK: one character says enough
			if len(out) == 0 {
				return string(r)
			}
			break
		}
		out = append(out, []rune(strings.ToUpper(string(r)))...)
		if len(out) == 2 {
			break
		}
	}
	if len(out) == 0 {
		return "?"
	}
	return string(out)
}

// Validate reports what is wrong with e. known holds the valid sector codes.
func (e Exhibitor) Validate(known map[string]bool) error {
	p := Problems{}
	checkSlug(p, "slug", e.Slug)
	checkRequired(p, "legal_name", e.LegalName, 200)
	checkText(p, "name", e.Name, 200, true)
	checkText(p, "description", e.Description, 4000, false)
	checkCountry(p, "country", e.Country)
	checkLen(p, "city", e.City, 100)
	checkURL(p, "website", e.Website)
	if e.Email != "" && !ValidEmail(e.Email) {
		p.Add("email", "validation.email", nil)
	}
	checkLen(p, "phone", e.Phone, 40)
	if e.RegistrationID != "" && !ValidRegistrationID(e.Country, e.RegistrationID) {
		p.Add("registration_id", "validation.registration_id", nil)
	}
	for _, s := range e.Sectors {
		if !known[s] {
			p.Add("sectors", "validation.sector", nil)
		}
	}
	return p.Err()
}

// ValidEmail reports whether s is a single plain address (no display name).
func ValidEmail(s string) bool {
	if len(s) > 254 || strings.ContainsAny(s, " \t\r\n<>") {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndexByte(s, '@'):], ".")
}

// ParticipationStatus is where an exhibitor stands at one expo.
type ParticipationStatus string

// Participation statuses: invited or applied, then approved, rejected or withdrawn.
const (
	StatusInvited   ParticipationStatus = "invited"
	StatusApplied   ParticipationStatus = "applied"
	StatusApproved  ParticipationStatus = "approved"
	StatusRejected  ParticipationStatus = "rejected"
	StatusWithdrawn ParticipationStatus = "withdrawn"
)

// ParticipationStatuses lists every status.
var ParticipationStatuses = []ParticipationStatus{StatusInvited, StatusApplied, StatusApproved, StatusRejected, StatusWithdrawn}

// Participation is an exhibitor at one expo. Only approved ones are public.
type Participation struct {
	ID          int64
	ExpoID      int64
	ExhibitorID int64
	PavilionID  *int64
	Booth       string
	Status      ParticipationStatus
	CreatedAt   time.Time
}

// DirectoryQuery selects exhibitors of one expo (and optionally one pavilion)
// for the public directory.
type DirectoryQuery struct {
	ExpoID     int64
	PavilionID int64 // 0 for the whole expo
	Text       string
	Sector     string
	Country    string
	Lang       Lang
	Page       int // 1-based
	PerPage    int
}

// Clean bounds q to what the directory accepts: invalid UTF-8 is dropped,
// control characters become spaces, the search text is trimmed to 100
// characters, the page kept within 1..10000. Clean(Clean(q)) == Clean(q).
func (q DirectoryQuery) Clean() DirectoryQuery {
	// PostgreSQL text cannot hold NUL; a tab or newline separates words like a space.
	q.Text = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(q.Text, ""))
	q.Text = strings.TrimSpace(q.Text)
	if r := []rune(q.Text); len(r) > 100 {
		// Trimmed again: the cut may end on a space.
		q.Text = strings.TrimSpace(string(r[:100]))
	}
	q.Sector = strings.ToValidUTF8(q.Sector, "")
	if !ValidSlug(q.Sector) {
		q.Sector = ""
	}
	q.Country = strings.ToUpper(q.Country)
	if len(q.Country) != 2 || q.Country[0] < 'A' || q.Country[0] > 'Z' || q.Country[1] < 'A' || q.Country[1] > 'Z' {
		q.Country = ""
	}
	if q.PerPage <= 0 || q.PerPage > 100 {
		q.PerPage = 24
	}
	if q.Page < 1 {
		q.Page = 1
	}
	if q.Page > 10000 {
		q.Page = 10000
	}
	return q
}

// DirectoryEntry is one card of the directory.
type DirectoryEntry struct {
	Exhibitor
	Booth        string
	PavilionSlug string
	PavilionName Text
}

// DirectoryCountBound is how far a search's matches are counted: past it
// the directory says "more than" this many and pages up to it.
const DirectoryCountBound = 1000

// DirectoryPage is one page of directory results. Entries hold only what a
// card shows (no descriptions or contact fields).
type DirectoryPage struct {
	Entries []DirectoryEntry
	Total   int
	// More is whether there are more than Total matches (a search counted
	// up to DirectoryCountBound).
	More    bool
	Page    int
	PerPage int
}

// Pages returns the number of pages, at least 1.
func (d DirectoryPage) Pages() int {
	if d.PerPage <= 0 || d.Total == 0 {
		return 1
	}
	return (d.Total + d.PerPage - 1) / d.PerPage
}

// ExhibitorParticipation is an approved participation as an exhibitor's page shows it.
type ExhibitorParticipation struct {
	Expo     Expo
	Pavilion *Pavilion
	Booth    string
}

// ExhibitorPage is what a visitor's page of an exhibitor shows: the company,
// its approved participations (soonest expo first) and the slots it presents in.
type ExhibitorPage struct {
	Exhibitor      Exhibitor
	Participations []ExhibitorParticipation
	Slots          []AgendaItem
}
