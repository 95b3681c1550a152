package web

import (
	"context"
	"net/url"
	"strconv"

	"expodesk/internal/expodesk"
)

// RegisterView is the organizer's form that registers a company at an
// expo (O2), with the likely duplicates when the last submission found some.
type RegisterView struct {
	Expo    expodesk.Expo
	Sectors []expodesk.Sector
	// PavilionOptions are the pavilions the reader may choose; a
	// coordinator's own pavilion is FixedPavilion instead (nil: choose).
	PavilionOptions []Option
	FixedPavilion   *Option
	Form            FormState
	// Duplicates are the companies the submitted one looks like; the page
	// asks the organizer to choose.
	Duplicates []expodesk.DuplicateCandidate
}

// Blocked reports whether a duplicate has the same registration id, so
// that no new company may be created.
func (v RegisterView) Blocked() bool { return expodesk.BlocksNewCompany(v.Duplicates) }

// RegisterValues is the empty form: invited, and a coordinator's pavilion.
func RegisterValues(pavilion *Option) url.Values {
	v := url.Values{"status": {string(expodesk.StatusInvited)}}
	if pavilion != nil {
		v.Set("pavilion", pavilion.Value)
	}
	return v
}

// registerStatusOptions are the statuses a registration may take.
func registerStatusOptions(ctx context.Context) []Option {
	var out []Option
	for _, s := range expodesk.RegisterStatuses {
		out = append(out, Option{Value: string(s), Label: statusLabel(ctx, s)})
	}
	return out
}

// duplicateReasonKeys are the catalog keys saying why a company is a likely duplicate.
var duplicateReasonKeys = map[expodesk.DuplicateReason]string{
	expodesk.DuplicateRegistrationID: "register.reason_registration_id",
	expodesk.DuplicateWebsite:        "register.reason_website",
	expodesk.DuplicateName:           "register.reason_name",
}

func duplicateReason(ctx context.Context, r expodesk.DuplicateReason) string {
	return T(ctx, duplicateReasonKeys[r])
}

func idString(n int64) string { return strconv.FormatInt(n, 10) }

// candidateName is a duplicate's name in the reader's language, else its legal name.
func candidateName(ctx context.Context, c expodesk.DuplicateCandidate) string {
	return c.DisplayName(Lang(ctx))
}

// OrganizerExhibitorView is a company's page for organizers: its profile
// form (the one its team uses), its identity (legal name, registration id)
// and where it takes part.
type OrganizerExhibitorView struct {
	Company expodesk.Exhibitor
	Sectors []expodesk.Sector
	// Participations are the company's expos; Links the reader's list of
	// each expo's participations ("" where the reader has none).
	Participations []expodesk.CandidateParticipation
	Links          map[int64]string
	Public         bool
	Profile        FormState
	Identity       FormState
	Flash          string
}

// IdentityValues is the identity form filled with what is stored.
func IdentityValues(e expodesk.Exhibitor) url.Values {
	return url.Values{"legal_name": {e.LegalName}, "registration_id": {e.RegistrationID}}
}

// registrationIDHint explains the registration id a company of country needs.
func registrationIDHint(ctx context.Context, country string) string {
	switch country {
	case "CN":
		return T(ctx, "register.registration_id_hint_cn")
	case "ES":
		return T(ctx, "register.registration_id_hint_es")
	case "":
		return T(ctx, "register.registration_id_hint")
	}
	return T(ctx, "register.registration_id_hint_other")
}
