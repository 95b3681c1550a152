package service

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"expodesk/internal/expodesk"
	"expodesk/internal/mail"
	"expodesk/internal/postgres"
)

// Public applications (E5): a company applies to exhibit while an expo's
// call is open; organizers approve (which invites the applicant) or reject
// (which tells them why), and later compare the profile with what it was
// at approval.

// Application is a public application as its form describes it: the
// company (the fields and rules of an organizer's registration), the
// person to invite once approved, and a note to the organizers.
type Application struct {
	PavilionID     int64 // 0: no pavilion in particular
	LegalName      string
	Name           expodesk.Text
	Description    expodesk.Text
	Sectors        []string
	Country        string
	City           string
	Website        string
	Phone          string
	RegistrationID string
	Contact        expodesk.Applicant
	Note           string
}

// Apply records a public application to expo expoID: a new company and its
// participation, status applied, with the audit entry (by nobody: the
// applicant has no account) and a confirmation to the applicant in their
// language, in one transaction. It is refused while the call is not open.
//
// An application the expo already has — the same address, or the
// registration id of a company already on file — records nothing and
// mails the address a notice instead; the caller answers both alike, so
// that the form tells nobody which companies applied. The returned
// participation is zero then.
func (s *Service) Apply(ctx context.Context, c Caller, expoID int64, in Application) (expodesk.Participation, error) {
	expo, err := s.store.ExpoGetByID(ctx, expoID)
	if err != nil {
		return expodesk.Participation{}, err
	}
	if expo.CallAt(s.now()) != expodesk.CallOpen {
		return expodesk.Participation{}, expodesk.ErrCallClosed
	}
	in, company, pavilion, known, err := s.checkApplication(ctx, expoID, in)
	if err != nil {
		return expodesk.Participation{}, err
	}

	var out expodesk.Participation
	err = s.write(ctx, c, func(t *tx) error {
		repeat, err := t.applicationRepeats(ctx, expoID, in)
		if err != nil || repeat {
			return err
		}
		company.Slug, err = t.ExhibitorFreeSlug(ctx, applicationSlug(company))
		if err != nil {
			return err
		}
		if company, err = t.ExhibitorCreate(ctx, company, known); err != nil {
			return err
		}
		out, err = t.ApplicationCreate(ctx, expodesk.Participation{ExpoID: expoID, ExhibitorID: company.ID, PavilionID: pavilion},
			in.Contact, in.Note)
		if err != nil {
			return err
		}
		sc := participationScope(out)
		after := ExhibitorAudit(company)
		after["status"], after["pavilion_id"], after["contact_email"] = out.Status, out.PavilionID, in.Contact.Email
		if err := t.audit(ctx, expodesk.ActionApplicationSubmit, "participation", out.ID, sc, nil, after); err != nil {
			return err
		}
		l := in.Contact.Lang
		return t.mail(ctx, in.Contact.Email, l, mail.ApplicationReceived{Company: company.DisplayName(l), Expo: expo.Name.In(l)}, sc)
	})
	if errors.Is(err, expodesk.ErrApplicationRepeat) || postgres.ConstraintOf(err) == "exhibitor_registration_id" {
		// Another application from this address committed meanwhile.
		out, err = expodesk.Participation{}, s.write(ctx, c, func(t *tx) error { return t.applicationRepeated(ctx, expo, in) })
	}
	return out, err
}

// CheckApplication reports the problems of an application to expo expoID
// without recording anything, for a form that has problems of its own:
// the page then shows every problem at once.
func (s *Service) CheckApplication(ctx context.Context, expoID int64, in Application) error {
	_, _, _, _, err := s.checkApplication(ctx, expoID, in)
	return err
}

// checkApplication cleans and validates in; it returns the company to
// create, the pavilion chosen and the known sectors.
func (s *Service) checkApplication(ctx context.Context, expoID int64, in Application) (Application, expodesk.Exhibitor, *int64, map[string]bool, error) {
	in.Contact.Email = strings.TrimSpace(in.Contact.Email)
	if _, ok := expodesk.ParseLang(string(in.Contact.Lang)); !ok {
		in.Contact.Lang = expodesk.EN
	}
	if in.Contact.Name.NameOrder == "" {
		in.Contact.Name.NameOrder = expodesk.GuessNameOrder(in.Contact.Name.FamilyName)
	}
	in.RegistrationID = strings.ToUpper(strings.TrimSpace(in.RegistrationID))
	company := expodesk.Exhibitor{Slug: "applicant", LegalName: in.LegalName, Name: in.Name, Description: in.Description,
		Sectors: in.Sectors, Country: in.Country, City: in.City, Website: in.Website, Email: in.Contact.Email,
		Phone: in.Phone, RegistrationID: in.RegistrationID}
	if company.Sectors == nil {
		company.Sectors = []string{}
	}
	known, err := s.knownSectors(ctx)
	if err != nil {
		return in, expodesk.Exhibitor{}, nil, nil, err
	}
	p := expodesk.Problems{}
	if e := expodesk.ErrorOf(company.Validate(known)); e != nil {
		for field, m := range e.Problems {
			if field == "email" {
				continue // the contact's address, checked at its own field
			}
			p.Add(field, m.Key, m.Data)
		}
	}
	in.Contact.Check(p)
	if utf8.RuneCountInString(in.Note) > expodesk.MaxNoteLen {
		p.Add("note", "validation.too_long", map[string]any{"Max": expodesk.MaxNoteLen})
	}
	var pavilion *int64
	if in.PavilionID != 0 {
		pv, err := s.store.PavilionGetByID(ctx, in.PavilionID)
		switch {
		case errors.Is(err, expodesk.ErrNotFound) || (err == nil && pv.ExpoID != expoID):
			p.Add("pavilion", "validation.choice", nil)
		case err != nil:
			return in, expodesk.Exhibitor{}, nil, nil, err
		default:
			pavilion = &pv.ID
		}
	}
	if err := p.Err(); err != nil {
		return in, expodesk.Exhibitor{}, nil, nil, err
	}
	return in, company, pavilion, known, nil
}

// applicationRepeats reports whether expo expoID already has in's
// application, and if so answers it as applicationRepeated does.
func (t *tx) applicationRepeats(ctx context.Context, expoID int64, in Application) (bool, error) {
	repeat, err := t.ApplicationEmailUsed(ctx, expoID, in.Contact.Email)
	if err != nil {
		return false, err
	}
	if !repeat && in.RegistrationID != "" {
		_, err := t.ExhibitorIDByRegistrationID(ctx, in.RegistrationID)
		switch {
		case err == nil:
			repeat = true
		case !errors.Is(err, expodesk.ErrNotFound):
			return false, err
		}
	}
	if !repeat {
		return false, nil
	}
	expo, err := t.ExpoGetByID(ctx, expoID)
	if err != nil {
		return true, err
	}
	return true, t.applicationRepeated(ctx, expo, in)
}

// applicationRepeated mails the applicant that nothing new was recorded
// and audits the attempt, scoped to the expo for its organizers.
func (t *tx) applicationRepeated(ctx context.Context, expo expodesk.Expo, in Application) error {
	sc := scope{ExpoID: &expo.ID}
	l := in.Contact.Lang
	if err := t.mail(ctx, in.Contact.Email, l, mail.ApplicationRepeat{Expo: expo.Name.In(l)}, sc); err != nil {
		return err
	}
	return t.audit(ctx, expodesk.ActionApplicationRepeat, "expo", expo.ID, sc, nil,
		map[string]any{"contact_email": in.Contact.Email, "registration_id": in.RegistrationID})
}

// applicationSlug is the slug an applying company starts from: its name in
// English, Spanish or Chinese (pinyin), else its legal name.
func applicationSlug(e expodesk.Exhibitor) string {
	for _, v := range []string{e.Name.EN, e.Name.ES, e.Name.ZH, e.LegalName} {
		if slug := expodesk.Slugify(v); slug != "" {
			if len(slug) > 60 {
				slug = strings.Trim(slug[:60], "-")
			}
			return slug
		}
	}
	return "exhibitor"
}

// approved follows an approval in t: the company's profile is kept as it
// is now, and the applicant of a public application is invited as the
// company's first user (an address that already has an account gets a
// notice instead, as with any invitation).
func (s *Service) approved(ctx context.Context, t *tx, before, out expodesk.Participation) error {
	company, err := t.ExhibitorGetByID(ctx, out.ExhibitorID)
	if err != nil {
		return err
	}
	if err := t.ParticipationRecordApproval(ctx, out.ID, expodesk.SnapshotOf(company)); err != nil {
		return err
	}
	if before.Status != expodesk.StatusApplied {
		return nil
	}
	app, err := t.ApplicationGet(ctx, out.ID)
	if err != nil || app.Contact.Email == "" {
		return err
	}
	if has, err := t.ExhibitorHasUsers(ctx, company.ID); err != nil || has {
		return err
	}
	expo, err := t.ExpoGetByID(ctx, out.ExpoID)
	if err != nil {
		return err
	}
	l := app.Contact.Lang
	inviter := t.c.User.PersonName.String()
	if inviter == "" {
		inviter = t.c.Principal.Email
	}
	pi := preparedInvitation{
		u: expodesk.User{Email: app.Contact.Email, PersonName: app.Contact.Name, Lang: l, Role: expodesk.RoleExhibitor,
			ExhibitorID: &company.ID},
		content: mail.Invitation{Role: mail.InviteTeamMember, Inviter: inviter, Company: company.DisplayName(l),
			Expo: expo.Name.In(l), ExpiresAt: s.now().Add(expodesk.InvitationTTL), Zone: expo.Location()},
		sc: scope{ExpoID: &out.ExpoID, PavilionID: out.PavilionID, ExhibitorID: &company.ID},
	}
	if existing, err := t.UserGetByEmail(ctx, pi.u.Email); err == nil {
		return s.tellExisting(ctx, t, existing, pi.content)
	} else if !errors.Is(err, expodesk.ErrNotFound) {
		return err
	}
	_, err = s.sendInvitation(ctx, t, pi)
	return err
}

// rejected follows a rejection in t: the reason is kept, and the applicant
// of a public application is told, with the reason, in their language.
func (s *Service) rejected(ctx context.Context, t *tx, before, out expodesk.Participation, reason string) error {
	if err := t.ParticipationRecordRejection(ctx, out.ID, reason); err != nil {
		return err
	}
	if before.Status != expodesk.StatusApplied {
		return nil
	}
	app, err := t.ApplicationGet(ctx, out.ID)
	if err != nil || app.Contact.Email == "" {
		return err
	}
	company, err := t.ExhibitorGetByID(ctx, out.ExhibitorID)
	if err != nil {
		return err
	}
	expo, err := t.ExpoGetByID(ctx, out.ExpoID)
	if err != nil {
		return err
	}
	l := app.Contact.Lang
	return t.mail(ctx, app.Contact.Email, l, mail.ApplicationRejected{Company: company.DisplayName(l), Expo: expo.Name.In(l),
		Reason: reason}, participationScope(out))
}

// ApplicationReview is what an organizer's review page of a participation
// shows: the application, and the profile's changes since approval.
type ApplicationReview struct {
	Record  expodesk.ApplicationRecord
	Company expodesk.Exhibitor
	Expo    expodesk.Expo
	// Diff lists every profile field at approval and now; nil before approval.
	Diff []expodesk.FieldChange
}

// ReviewParticipation returns participation id's application and profile
// diff, if the caller may manage it (another pavilion's is not found).
func (s *Service) ReviewParticipation(ctx context.Context, c Caller, id int64) (ApplicationReview, error) {
	var v ApplicationReview
	if _, err := s.ManagedParticipation(ctx, c, id); err != nil {
		return v, err
	}
	var err error
	if v.Record, err = s.store.ApplicationGet(ctx, id); err != nil {
		return v, err
	}
	if v.Company, err = s.store.ExhibitorGetByID(ctx, v.Record.ExhibitorID); err != nil {
		return v, err
	}
	if v.Expo, err = s.store.ExpoGetByID(ctx, v.Record.ExpoID); err != nil {
		return v, err
	}
	if v.Record.ProfileAtApproval != nil {
		v.Diff = expodesk.DiffProfile(*v.Record.ProfileAtApproval, expodesk.SnapshotOf(v.Company))
	}
	return v, nil
}
