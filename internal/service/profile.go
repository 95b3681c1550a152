package service

import (
	"context"
	"errors"

	"expodesk/internal/expodesk"
	"expodesk/internal/logo"
	"expodesk/internal/postgres"
)

// Profile is what a company's team may change of its public profile. The
// fields an exhibitor may not change (slug, legal name, registration id,
// and everything about its participations: status, pavilion, booth, quota)
// are not here, so no form can reach them.
type Profile struct {
	Name        expodesk.Text
	Description expodesk.Text
	Sectors     []string
	Country     string
	City        string
	Website     string
	Email       string
	Phone       string
}

// editableExhibitor returns the company the caller may edit
// (expodesk.CanEditExhibitor). Another company, or one outside a
// coordinator's pavilion, is not found, and the attempt is recorded.
func (s *Service) editableExhibitor(ctx context.Context, c Caller, id int64) (expodesk.Exhibitor, error) {
	if c.Principal == nil {
		return expodesk.Exhibitor{}, expodesk.Errorf(expodesk.EUNAUTHORIZED, "error.unauthorized")
	}
	in, err := s.companyInPavilion(ctx, c.Principal, id)
	if err != nil {
		return expodesk.Exhibitor{}, err
	}
	if !expodesk.CanEditExhibitor(c.Principal, id, in) {
		return expodesk.Exhibitor{}, s.refuse(ctx, c, "exhibitor", id, expodesk.ErrNotFound)
	}
	return s.store.ExhibitorGetByID(ctx, id)
}

// exhibitorScope is the scope of a change to a company's profile; a
// coordinator sees it through the company's participation in their pavilion.
func exhibitorScope(id int64) scope { return scope{ExhibitorID: &id} }

// ExhibitorAudit is what the audit log records of a company's profile.
func ExhibitorAudit(e expodesk.Exhibitor) map[string]any {
	return map[string]any{
		"name": e.Name, "description": e.Description, "sectors": e.Sectors, "country": e.Country,
		"city": e.City, "website": e.Website, "email": e.Email, "phone": e.Phone,
	}
}

// UpdateExhibitorProfile changes the profile of company id. The public page
// and the directory show it once the transaction commits (the public-change
// triggers tell every instance's page cache).
func (s *Service) UpdateExhibitorProfile(ctx context.Context, c Caller, id int64, in Profile) (expodesk.Exhibitor, error) {
	before, err := s.editableExhibitor(ctx, c, id)
	if err != nil {
		return before, err
	}
	known, err := s.knownSectors(ctx)
	if err != nil {
		return before, err
	}
	next := before
	next.Name, next.Description, next.Sectors = in.Name, in.Description, in.Sectors
	next.Country, next.City, next.Website, next.Email, next.Phone = in.Country, in.City, in.Website, in.Email, in.Phone
	if next.Sectors == nil {
		next.Sectors = []string{}
	}
	if err := next.Validate(known); err != nil {
		return before, countryAgainstRegistration(err)
	}
	var after expodesk.Exhibitor
	err = s.write(ctx, c, func(t *tx) error {
		if after, err = t.ExhibitorUpdateProfile(ctx, next); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionExhibitorUpdateProfile, "exhibitor", id, exhibitorScope(id),
			ExhibitorAudit(before), ExhibitorAudit(after))
	})
	return after, err
}

// countryAgainstRegistration moves a registration id problem to the
// country field: the profile form has no registration id (only organizers
// change it), so the only way to make it invalid there is choosing a
// country its kind does not belong to (a Chinese code with Spain).
func countryAgainstRegistration(err error) error {
	var e *expodesk.Error
	if !errors.As(err, &e) || e.Problems == nil {
		return err
	}
	if _, ok := e.Problems["registration_id"]; ok {
		delete(e.Problems, "registration_id")
		e.Problems.Add("country", "profile.country_registration", nil)
	}
	return err
}

// logoProblems are the messages at the file field for each reason a logo is refused.
var logoProblems = map[error]string{
	logo.ErrType:       "profile.logo_type",
	logo.ErrDimensions: "profile.logo_dimensions",
	logo.ErrCorrupt:    "profile.logo_unreadable",
	logo.ErrTooLarge:   "profile.logo_too_large",
}

// LogoField is the form field a logo arrives in and its problems are shown at.
const LogoField = "file"

// logoAudit describes a logo for the audit log: never its bytes.
func logoAudit(l postgres.LogoInfo) map[string]any {
	return map[string]any{"content_type": l.ContentType, "size": l.Size, "width": l.Width, "height": l.Height, "etag": l.ETag}
}

// SetLogo checks an uploaded image (logo.Process: type from content,
// dimensions capped before decoding), stores it re-encoded as company id's
// logo and returns what was stored.
func (s *Service) SetLogo(ctx context.Context, c Caller, id int64, data []byte) (postgres.LogoInfo, error) {
	if _, err := s.editableExhibitor(ctx, c, id); err != nil {
		return postgres.LogoInfo{}, err
	}
	img, err := logo.Process(ctx, data)
	if err != nil {
		for reason, key := range logoProblems {
			if errors.Is(err, reason) {
				p := expodesk.Problems{}
				p.Add(LogoField, key, map[string]any{"Max": logo.MaxSide, "KB": logo.MaxBytes >> 10})
				return postgres.LogoInfo{}, p.Err()
			}
		}
		return postgres.LogoInfo{}, err
	}
	after := postgres.LogoInfo{ContentType: img.ContentType, Size: len(img.Data), Width: img.Width, Height: img.Height, ETag: img.ETag}
	err = s.write(ctx, c, func(t *tx) error {
		var before any
		if old, err := t.LogoInfoGet(ctx, id); err == nil {
			before = logoAudit(old)
		} else if !errors.Is(err, expodesk.ErrNotFound) {
			return err
		}
		if err := t.LogoPut(ctx, id, img.ContentType, img.Data, img.Width, img.Height, img.ETag); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionExhibitorSetLogo, "exhibitor", id, exhibitorScope(id), before, logoAudit(after))
	})
	return after, err
}

// RemoveLogo deletes company id's logo; the public card shows its initials
// again. Removing a logo that is not there changes nothing and is not audited.
func (s *Service) RemoveLogo(ctx context.Context, c Caller, id int64) error {
	if _, err := s.editableExhibitor(ctx, c, id); err != nil {
		return err
	}
	return s.write(ctx, c, func(t *tx) error {
		old, err := t.LogoInfoGet(ctx, id)
		if errors.Is(err, expodesk.ErrNotFound) {
			return nil
		} else if err != nil {
			return err
		}
		if err := t.LogoDelete(ctx, id); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionExhibitorRemoveLogo, "exhibitor", id, exhibitorScope(id), logoAudit(old), nil)
	})
}
