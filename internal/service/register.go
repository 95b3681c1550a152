package service

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"expodesk/internal/expodesk"
)

// Registering a company by form (O2), and the fields of its identity that
// only organizers change.

// Registration is a company an organizer registers at an expo, with its
// participation there, and the organizer's choice once likely duplicates
// were shown.
type Registration struct {
	// Company is the new company; its ID and Slug are ignored (the slug is
	// made from its name).
	Company    expodesk.Exhibitor
	Status     expodesk.ParticipationStatus // invited or approved
	PavilionID int64                        // 0: in no pavilion
	Booth      string
	// ExistingID adds the participation to this existing company instead
	// of creating one; Company is then not used.
	ExistingID int64
	// CreateAnyway creates a new company although likely duplicates exist,
	// provided the organizer was shown each of them (Seen) and none has the
	// same registration id, which no two companies may share.
	CreateAnyway bool
	Seen         []int64
}

// Registered is what a registration did: the company (new or existing)
// and its new participation; or, when it did nothing because the company
// looks like one that exists, the likely duplicates (with
// expodesk.ErrLikelyDuplicates).
type Registered struct {
	Exhibitor     expodesk.Exhibitor
	Participation expodesk.Participation
	Created       bool
	Duplicates    []expodesk.DuplicateCandidate
}

// registrationAudit is what the audit log records of a new company.
func registrationAudit(e expodesk.Exhibitor) map[string]any {
	a := ExhibitorAudit(e)
	a["slug"], a["legal_name"], a["registration_id"] = e.Slug, e.LegalName, e.RegistrationID
	return a
}

// identityAudit is what the audit log records of a company's identity.
func identityAudit(e expodesk.Exhibitor) map[string]any {
	return map[string]any{"legal_name": e.LegalName, "registration_id": e.RegistrationID}
}

// knownSectors is the set of sector codes a company may choose from.
func (s *Service) knownSectors(ctx context.Context) (map[string]bool, error) {
	list, err := s.store.SectorList(ctx)
	if err != nil {
		return nil, err
	}
	known := make(map[string]bool, len(list))
	for _, sc := range list {
		known[sc.Code] = true
	}
	return known, nil
}

// registrar applies the rule of registering at expo expoID: a visitor
// must sign in, an exhibitor is refused, a coordinator of another expo's
// pavilion does not find the expo (each refusal recorded).
func (s *Service) registrar(ctx context.Context, c Caller, expoID int64) (expodesk.Expo, error) {
	if c.Principal == nil {
		return expodesk.Expo{}, expodesk.Errorf(expodesk.EUNAUTHORIZED, "error.unauthorized")
	}
	if !c.Principal.IsOrganizer() {
		return expodesk.Expo{}, s.refuse(ctx, c, "expo", expoID, expodesk.ErrForbidden)
	}
	if !expodesk.CanRegisterExhibitor(c.Principal, expoID) {
		return expodesk.Expo{}, s.refuse(ctx, c, "expo", expoID, expodesk.ErrNotFound)
	}
	return s.store.ExpoGetByID(ctx, expoID)
}

// RegistrationExpo returns expo expoID if the caller may register
// companies there (for the registration form): what RegisterExhibitor
// checks first.
func (s *Service) RegistrationExpo(ctx context.Context, c Caller, expoID int64) (expodesk.Expo, error) {
	return s.registrar(ctx, c, expoID)
}

// checkParticipation validates the participation part of a registration
// into p and returns its pavilion (nil: none). A pavilion of another expo
// (a forged form) is not a choice; one the caller does not manage (a
// coordinator choosing another pavilion, or none) is refused at the field
// and recorded; a booth an approved company other than exhibitorID holds
// is explained at the booth field.
func (s *Service) checkParticipation(ctx context.Context, c Caller, expoID int64, in Registration, exhibitorID int64, p expodesk.Problems) (*int64, error) {
	if !slices.Contains(expodesk.RegisterStatuses, in.Status) {
		p.Add("status", "validation.choice", nil)
	}
	var pavilion *int64
	if in.PavilionID != 0 {
		pavilion = &in.PavilionID
		pv, err := s.store.PavilionGetByID(ctx, in.PavilionID)
		switch {
		case expodesk.ErrorCode(err) == expodesk.ENOTFOUND:
			p.Add("pavilion", "validation.choice", nil)
		case err != nil:
			return nil, err
		case pv.ExpoID != expoID:
			p.Add("pavilion", "validation.choice", nil)
		}
	}
	if _, bad := p["pavilion"]; !bad && !expodesk.CanManageParticipation(c.Principal, pavilion) {
		s.RecordRefusal(ctx, c, "pavilion", strconv.FormatInt(in.PavilionID, 10))
		p.Add("pavilion", "participations.pavilion_not_yours", nil)
	}
	expodesk.ValidateBooth(p, in.Booth)
	if _, bad := p["booth"]; !bad && in.Booth != "" {
		taken, err := s.store.BoothTaken(ctx, expoID, in.Booth, exhibitorID)
		if err != nil {
			return nil, err
		}
		if taken {
			p.Add("booth", expodesk.ErrBoothTaken.Message, nil)
		}
	}
	return pavilion, nil
}

// RegisterExhibitor registers a company at expo expoID with its
// participation (invited or approved, in a pavilion and at a booth), in one
// transaction with their audit entries: an approved company is public at
// once. Organizers may (a coordinator at their pavilion's expo, in their
// pavilion only); exhibitors are forbidden.
//
// Before creating a company it looks for likely duplicates (the same
// registration id, the same website host, a near-identical name in any
// language); when there are some, nothing is written and they are returned
// with expodesk.ErrLikelyDuplicates, for the organizer to choose: add the
// participation to one of them (in.ExistingID), or create the company
// anyway (in.CreateAnyway), which the same registration id never allows.
func (s *Service) RegisterExhibitor(ctx context.Context, c Caller, expoID int64, in Registration) (Registered, error) {
	var out Registered
	if _, err := s.registrar(ctx, c, expoID); err != nil {
		return out, err
	}
	in.Booth = expodesk.CleanBooth(in.Booth)
	if in.ExistingID != 0 {
		return s.addParticipation(ctx, c, expoID, in)
	}
	p := expodesk.Problems{}
	pavilion, err := s.checkParticipation(ctx, c, expoID, in, 0, p)
	if err != nil {
		return out, err
	}
	company := in.Company
	company.ID = 0
	company.LegalName = strings.TrimSpace(company.LegalName)
	company.Website = strings.TrimSpace(company.Website)
	company.RegistrationID = expodesk.CleanRegistrationID(company.Country, company.RegistrationID)
	if company.Sectors == nil {
		company.Sectors = []string{}
	}
	company.Slug = expodesk.ExhibitorSlugFor(company)
	known, err := s.knownSectors(ctx)
	if err != nil {
		return out, err
	}
	if err := expodesk.ExplainRegistrationID(company.Validate(known), company.Country); err != nil {
		e := expodesk.ErrorOf(err)
		if e == nil || e.Code != expodesk.EINVALID {
			return out, err
		}
		for field, m := range e.Problems {
			p.Add(field, m.Key, m.Data)
		}
	}
	if err := p.Err(); err != nil {
		return out, err
	}

	dups, err := s.store.ExhibitorDuplicates(ctx, expodesk.DuplicateQueryFor(expoID, company))
	if err != nil {
		return out, err
	}
	if len(dups) > 0 && (!in.CreateAnyway || expodesk.BlocksNewCompany(dups) || !allSeen(dups, in.Seen)) {
		out.Duplicates = dups
		if !c.Principal.IsExpoOrganizer() {
			out.Duplicates = expodesk.ForCoordinator(dups)
		}
		return out, expodesk.ErrLikelyDuplicates
	}

	// A slug is free when chosen; another registration may take it before
	// this one commits, when the whole transaction is tried again.
	for attempt := 0; ; attempt++ {
		err = s.write(ctx, c, func(t *tx) error {
			slug, err := t.ExhibitorFreeSlug(ctx, company.Slug)
			if err != nil {
				return err
			}
			next := company
			next.Slug = slug
			if out.Exhibitor, err = t.ExhibitorCreate(ctx, next, known); err != nil {
				return err
			}
			id := out.Exhibitor.ID
			if out.Participation, err = t.ParticipationCreate(ctx, expodesk.Participation{ExpoID: expoID, ExhibitorID: id,
				PavilionID: pavilion, Booth: in.Booth, Status: in.Status}); err != nil {
				return err
			}
			sc := participationScope(out.Participation)
			if err := t.audit(ctx, expodesk.ActionExhibitorCreate, "exhibitor", id, sc, nil, registrationAudit(out.Exhibitor)); err != nil {
				return err
			}
			return t.audit(ctx, expodesk.ActionParticipationCreate, "participation", out.Participation.ID, sc,
				nil, participationAudit(out.Participation))
		})
		if !errors.Is(err, expodesk.ErrExhibitorSlugTaken) || attempt == 2 {
			break
		}
	}
	if err != nil {
		return Registered{}, err
	}
	out.Created = true
	return out, nil
}

// allSeen reports whether every candidate is among the ones the organizer was shown.
func allSeen(dups []expodesk.DuplicateCandidate, seen []int64) bool {
	for _, d := range dups {
		if !slices.Contains(seen, d.ExhibitorID) {
			return false
		}
	}
	return true
}

// addParticipation is RegisterExhibitor for an existing company: its
// participation at the expo only. A company that participates there
// already, or none (a forged form), is a problem at the existing field.
func (s *Service) addParticipation(ctx context.Context, c Caller, expoID int64, in Registration) (Registered, error) {
	var out Registered
	p := expodesk.Problems{}
	company, err := s.store.ExhibitorGetByID(ctx, in.ExistingID)
	switch {
	case expodesk.ErrorCode(err) == expodesk.ENOTFOUND:
		p.Add("existing", "validation.choice", nil)
	case err != nil:
		return out, err
	default:
		if _, exists, err := s.store.ParticipationStatusOf(ctx, company.ID, expoID); err != nil {
			return out, err
		} else if exists {
			p.Add("existing", expodesk.ErrAlreadyParticipates.Message, nil)
		}
	}
	pavilion, err := s.checkParticipation(ctx, c, expoID, in, company.ID, p)
	if err != nil {
		return out, err
	}
	if err := p.Err(); err != nil {
		return out, err
	}
	err = s.write(ctx, c, func(t *tx) error {
		var err error
		if out.Participation, err = t.ParticipationCreate(ctx, expodesk.Participation{ExpoID: expoID, ExhibitorID: company.ID,
			PavilionID: pavilion, Booth: in.Booth, Status: in.Status}); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionParticipationCreate, "participation", out.Participation.ID,
			participationScope(out.Participation), nil, participationAudit(out.Participation))
	})
	if errors.Is(err, expodesk.ErrAlreadyParticipates) {
		// Added by someone else since the check.
		p.Add("existing", expodesk.ErrAlreadyParticipates.Message, nil)
		return Registered{}, p.Err()
	}
	if err != nil {
		return Registered{}, err
	}
	out.Exhibitor = company
	return out, nil
}

// ManagedExhibitor returns company id for an organizer who may edit it
// (for the organizer's company page): expo-wide organizers any, a
// coordinator one in their pavilion; another is not found, and an exhibitor
// is forbidden (each refusal recorded).
func (s *Service) ManagedExhibitor(ctx context.Context, c Caller, id int64) (expodesk.Exhibitor, error) {
	if c.Principal == nil {
		return expodesk.Exhibitor{}, expodesk.Errorf(expodesk.EUNAUTHORIZED, "error.unauthorized")
	}
	if !c.Principal.IsOrganizer() {
		return expodesk.Exhibitor{}, s.refuse(ctx, c, "exhibitor", id, expodesk.ErrForbidden)
	}
	return s.editableExhibitor(ctx, c, id)
}

// Identity is what identifies a company in law: the fields only
// organizers change.
type Identity struct {
	LegalName      string
	RegistrationID string
}

// UpdateExhibitorIdentity changes company id's legal name and registration
// id (checked by the kind its country uses; another company's id is a
// problem at the field). Organizers may (a coordinator for a company in
// their pavilion; another is not found); a company's own team may not.
// Saving what is stored changes nothing and records nothing.
func (s *Service) UpdateExhibitorIdentity(ctx context.Context, c Caller, id int64, in Identity) (expodesk.Exhibitor, error) {
	if c.Principal == nil {
		return expodesk.Exhibitor{}, expodesk.Errorf(expodesk.EUNAUTHORIZED, "error.unauthorized")
	}
	inPavilion, err := s.companyInPavilion(ctx, c.Principal, id)
	if err != nil {
		return expodesk.Exhibitor{}, err
	}
	if !expodesk.CanEditExhibitorIdentity(c.Principal, id, inPavilion) {
		refusal := expodesk.ErrNotFound
		if !c.Principal.IsOrganizer() {
			refusal = expodesk.ErrForbidden
		}
		return expodesk.Exhibitor{}, s.refuse(ctx, c, "exhibitor", id, refusal)
	}
	before, err := s.store.ExhibitorGetByID(ctx, id)
	if err != nil {
		return before, err
	}
	in.LegalName = strings.TrimSpace(in.LegalName)
	in.RegistrationID = expodesk.CleanRegistrationID(before.Country, in.RegistrationID)
	p := expodesk.Problems{}
	switch {
	case in.LegalName == "":
		p.Add("legal_name", "validation.required", nil)
	case !utf8.ValidString(in.LegalName):
		p.Add("legal_name", "validation.encoding", nil)
	case utf8.RuneCountInString(in.LegalName) > 200:
		p.Add("legal_name", "validation.too_long", map[string]any{"Max": 200})
	}
	if in.RegistrationID != "" && !expodesk.ValidRegistrationID(before.Country, in.RegistrationID) {
		p.Add("registration_id", expodesk.RegistrationIDProblem(before.Country), nil)
	}
	if err := p.Err(); err != nil {
		return before, err
	}
	if in.LegalName == before.LegalName && in.RegistrationID == before.RegistrationID {
		return before, nil
	}
	var after expodesk.Exhibitor
	err = s.write(ctx, c, func(t *tx) error {
		if after, err = t.ExhibitorUpdateIdentity(ctx, id, in.LegalName, in.RegistrationID); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionExhibitorUpdateIdentity, "exhibitor", id, exhibitorScope(id),
			identityAudit(before), identityAudit(after))
	})
	return after, err
}
