package expodesk

import (
	"strconv"
	"strings"
)

// Registering a company by form (O2): the organizer's side of bringing a
// company and its participation in, with the signals that it may exist
// already.

// Audit actions of registering companies and of their identity (O2).
const (
	ActionExhibitorCreate         AuditAction = "exhibitor.create"
	ActionExhibitorUpdateIdentity AuditAction = "exhibitor.update_identity"
	ActionParticipationCreate     AuditAction = "participation.create"
)

// Errors of registering a company.
var (
	// ErrRegistrationIDTaken: another company has this registration id
	// (the exhibitor_registration_id index).
	ErrRegistrationIDTaken = &Error{Code: ECONFLICT, Message: "register.registration_id_taken", Field: "registration_id",
		Data: map[string]any{"Constraint": "exhibitor_registration_id"}}
	// ErrExhibitorSlugTaken: another company has this slug (the
	// exhibitor_slug_key index); a registration picks a free one, so this is
	// a race the service retries.
	ErrExhibitorSlugTaken = &Error{Code: ECONFLICT, Message: "register.slug_taken",
		Data: map[string]any{"Constraint": "exhibitor_slug_key"}}
	// ErrAlreadyParticipates: the company participates in this expo already
	// (the participation_expo_id_exhibitor_id_key index).
	ErrAlreadyParticipates = &Error{Code: ECONFLICT, Message: "register.already_participates",
		Data: map[string]any{"Constraint": "participation_expo_id_exhibitor_id_key"}}
	// ErrLikelyDuplicates: the company to register looks like one that
	// exists; the organizer chooses between adding the participation to it
	// and creating a new company anyway.
	ErrLikelyDuplicates = Errorf(ECONFLICT, "register.likely_duplicates")
)

// RegisterStatuses are the statuses an organizer may register a
// participation with: invited (the company is asked to confirm) or
// approved (public at once).
var RegisterStatuses = []ParticipationStatus{StatusInvited, StatusApproved}

// CleanRegistrationID normalises a registration id as typed: surrounding
// space dropped, and for the Chinese and Spanish ids, which are written in
// capitals, inner spaces and dashes dropped and ASCII letters upper-cased
// ("b-2674 0183" → "B26740183"), so that one company's id compares equal
// however it was typed.
func CleanRegistrationID(country, id string) string {
	id = strings.TrimSpace(id)
	if country != "CN" && country != "ES" {
		return id
	}
	b := make([]byte, 0, len(id))
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case c == ' ' || c == '-':
			continue
		case c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		}
		b = append(b, c)
	}
	return string(b)
}

// RegistrationIDProblem is the catalog key that says what kind of
// registration id a company of country needs: the Unified Social Credit
// Code for China, the NIF/CIF for Spain, letters, digits and dashes
// elsewhere.
func RegistrationIDProblem(country string) string {
	switch country {
	case "CN":
		return "validation.registration_id_uscc"
	case "ES":
		return "validation.registration_id_es"
	}
	return "validation.registration_id_other"
}

// ExplainRegistrationID replaces the generic registration id problem of
// err (Exhibitor.Validate's) by the one that names the kind of id expected
// for country; any other error is returned as it is.
func ExplainRegistrationID(err error, country string) error {
	e := ErrorOf(err)
	if e == nil || e.Code != EINVALID {
		return err
	}
	if m, ok := e.Problems["registration_id"]; ok && m.Key == "validation.registration_id" {
		e.Problems["registration_id"] = Message{Key: RegistrationIDProblem(country)}
	}
	return err
}

// ExhibitorSlugFor is the slug a new company starts from: its name in
// English, Spanish or Chinese (as pinyin), its legal name, or its
// registration id, the first that makes a slug; "exhibitor" when none does.
// A number is added when the slug is taken (see SlugWithSuffix).
func ExhibitorSlugFor(e Exhibitor) string {
	for _, v := range []string{e.Name.EN, e.Name.ES, e.Name.ZH, e.LegalName, e.RegistrationID} {
		if s := Slugify(v); s != "" {
			return s
		}
	}
	return "exhibitor"
}

// SlugWithSuffix returns base with "-n" added (n ≥ 2), shortened so that
// the whole stays a valid slug of at most 80 bytes.
func SlugWithSuffix(base string, n int) string {
	if n < 2 {
		return base
	}
	suffix := "-" + strconv.Itoa(n)
	if len(base)+len(suffix) > 80 {
		base = strings.TrimRight(base[:80-len(suffix)], "-")
	}
	return base + suffix
}

// DuplicateReason is a signal that a company to register exists already.
type DuplicateReason string

// The three signals of a likely duplicate.
const (
	DuplicateRegistrationID DuplicateReason = "registration_id" // the same registration id
	DuplicateWebsite        DuplicateReason = "website"         // the same website host, www. aside
	DuplicateName           DuplicateReason = "name"            // a near-identical name in any language
)

// DuplicateQuery is what a company to register is compared by.
type DuplicateQuery struct {
	// ExpoID is the expo the participation is for, to tell which
	// candidates participate in it already.
	ExpoID         int64
	RegistrationID string // cleaned (CleanRegistrationID); "" for none
	Website        string // compared by host, www. aside; "" for none
	Names          []string
}

// DuplicateQueryFor is the query for a company to register at expo expoID.
func DuplicateQueryFor(expoID int64, e Exhibitor) DuplicateQuery {
	q := DuplicateQuery{ExpoID: expoID, RegistrationID: e.RegistrationID, Website: e.Website}
	for _, n := range []string{e.LegalName, e.Name.EN, e.Name.ZH, e.Name.ES} {
		if n = strings.TrimSpace(n); n != "" {
			q.Names = append(q.Names, n)
		}
	}
	return q
}

// DuplicateCandidate is an existing company that looks like the one being
// registered, with what the organizer needs to decide: its names, country,
// website and the expos it takes part in.
type DuplicateCandidate struct {
	ExhibitorID    int64
	Slug           string
	LegalName      string
	Name           Text
	Country        string
	Website        string
	RegistrationID string
	Reasons        []DuplicateReason
	Participations []CandidateParticipation
	// InExpo is its status at the expo of the registration ("" when it
	// does not participate there yet).
	InExpo ParticipationStatus
}

// Has reports whether r is among c's reasons.
func (c DuplicateCandidate) Has(r DuplicateReason) bool {
	for _, x := range c.Reasons {
		if x == r {
			return true
		}
	}
	return false
}

// DisplayName is the candidate's name for a reader of lang, else its legal name.
func (c DuplicateCandidate) DisplayName(lang Lang) string {
	if v := c.Name.In(lang); v != "" {
		return v
	}
	return c.LegalName
}

// CandidateParticipation is one expo a company takes part in, as a
// duplicate warning or the organizer's company page lists it.
type CandidateParticipation struct {
	ExhibitorID int64
	ExpoID      int64
	ExpoSlug    string
	ExpoName    Text
	Status      ParticipationStatus
	Booth       string
}

// ForCoordinator is what a pavilion coordinator may see of likely
// duplicates: a coordinator registers for one pavilion, so of a company
// they are shown what the public sees of it (its approved participations)
// and never its registration id, which they learn only matched.
func ForCoordinator(cands []DuplicateCandidate) []DuplicateCandidate {
	out := make([]DuplicateCandidate, len(cands))
	for i, c := range cands {
		c.RegistrationID = ""
		var parts []CandidateParticipation
		for _, pt := range c.Participations {
			if pt.Status == StatusApproved {
				parts = append(parts, pt)
			}
		}
		c.Participations = parts
		out[i] = c
	}
	return out
}

// BlocksNewCompany reports whether one of cands has the registration id
// of the company being registered, which no second company may have.
func BlocksNewCompany(cands []DuplicateCandidate) bool {
	for _, c := range cands {
		if c.Has(DuplicateRegistrationID) {
			return true
		}
	}
	return false
}
