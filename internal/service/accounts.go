package service

import (
	"context"

	"expodesk/internal/expodesk"
	"expodesk/internal/mail"
	"expodesk/internal/totp"
)

// UpdateProfile changes the caller's own name and language.
func (s *Service) UpdateProfile(ctx context.Context, c Caller, name expodesk.PersonName, lang expodesk.Lang) (expodesk.User, error) {
	u := c.User
	if c.Principal == nil || u.ID == 0 {
		return u, expodesk.Errorf(expodesk.EUNAUTHORIZED, "error.unauthorized")
	}
	p := expodesk.Problems{}
	name.Check(p)
	if _, ok := expodesk.ParseLang(string(lang)); !ok {
		p.Add("lang", "validation.choice", nil)
	}
	if err := p.Err(); err != nil {
		return u, err
	}
	if name.NameOrder == "" {
		name.NameOrder = expodesk.GuessNameOrder(name.FamilyName)
	}
	var after expodesk.User
	err := s.write(ctx, c, func(t *tx) error {
		var err error
		if after, err = t.UserUpdateProfile(ctx, u.ID, name, lang); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionUserUpdateProfile, "user", u.ID, userScope(u), UserAudit(u), UserAudit(after))
	})
	return after, err
}

// TOTPEnrolment is a second factor being confirmed: the secret shown as a QR
// code and a code from the app that now holds it.
type TOTPEnrolment struct {
	Secret string
	Code   string
	// CurrentPassword confirms an enrolment from a signed-in session, so
	// that a stolen session cannot put its own second factor in front of
	// the owner. An organizer enrolling during their first sign-in has
	// just typed it.
	CurrentPassword string
}

// EnableTOTP turns on the second factor of user (the caller, or the person
// in the middle of signing in when the caller is a visitor) and returns the
// new recovery codes, shown once, and the user with its new session
// version. A factor already in place is never replaced (ErrTOTPAlreadyOn).
func (s *Service) EnableTOTP(ctx context.Context, c Caller, user expodesk.User, e TOTPEnrolment) ([]string, expodesk.User, error) {
	if c.Principal != nil && c.Principal.UserID != user.ID {
		return nil, user, s.refuse(ctx, c, "totp", user.ID, expodesk.ErrForbidden)
	}
	if user.TOTPEnabledAt != nil {
		return nil, user, expodesk.ErrTOTPAlreadyOn
	}
	p := expodesk.Problems{}
	step, valid := int64(0), false
	if e.Code == "" {
		p.Add("code", "validation.required", nil)
	} else if step, valid = totp.Validate(e.Secret, e.Code, s.now(), 0); !valid {
		p.Add("code", expodesk.ErrWrongCode.Message, nil)
	}
	if c.Principal != nil {
		if err := s.confirmAndValidate(ctx, c, e.CurrentPassword, p); err != nil {
			return nil, user, err
		}
	} else if err := p.Err(); err != nil {
		return nil, user, err
	}
	plain, hashes := totp.NewRecoveryCodes(totp.RecoveryCodeCount)
	var fresh expodesk.User
	err := s.write(ctx, c, func(t *tx) error {
		if err := t.UserEnableTOTP(ctx, user.ID, e.Secret, step, hashes); err != nil {
			return err
		}
		var err error
		if fresh, err = t.UserGet(ctx, user.ID); err != nil {
			return err
		}
		if err := t.auditAs(ctx, user, expodesk.ActionTOTPEnabled, nil); err != nil {
			return err
		}
		return t.mail(ctx, user.Email, user.Lang, mail.TOTPChanged{Enabled: true, At: s.now()}, scope{})
	})
	return plain, fresh, err
}

// DisableTOTP turns the caller's second factor off, confirmed by password;
// organizers must keep theirs. The owner is told by mail.
func (s *Service) DisableTOTP(ctx context.Context, c Caller, current string) (expodesk.User, error) {
	u := c.User
	if c.Principal.IsOrganizer() {
		return u, s.refuse(ctx, c, "totp", u.ID, expodesk.ErrTOTPRequired)
	}
	if err := s.confirmAndValidate(ctx, c, current, expodesk.Problems{}); err != nil {
		return u, err
	}
	var fresh expodesk.User
	err := s.write(ctx, c, func(t *tx) error {
		if err := t.UserDisableTOTP(ctx, u.ID); err != nil {
			return err
		}
		var err error
		if fresh, err = t.UserGet(ctx, u.ID); err != nil {
			return err
		}
		if err := t.audit(ctx, expodesk.ActionUserTOTPDisabled, "user", u.ID, userScope(u), nil, nil); err != nil {
			return err
		}
		return t.mail(ctx, u.Email, u.Lang, mail.TOTPChanged{Enabled: false, At: s.now()}, scope{})
	})
	return fresh, err
}

// ReplaceRecoveryCodes replaces the caller's recovery codes, confirmed by
// password, and returns the new ones, shown once.
func (s *Service) ReplaceRecoveryCodes(ctx context.Context, c Caller, current string) ([]string, error) {
	u := c.User
	if u.TOTPEnabledAt == nil {
		return nil, expodesk.Errorf(expodesk.ECONFLICT, "account.totp_off")
	}
	if err := s.confirmAndValidate(ctx, c, current, expodesk.Problems{}); err != nil {
		return nil, err
	}
	plain, hashes := totp.NewRecoveryCodes(totp.RecoveryCodeCount)
	err := s.write(ctx, c, func(t *tx) error {
		if err := t.RecoveryCodesReplace(ctx, u.ID, hashes); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionUserRecoveryCodes, "user", u.ID, userScope(u), nil, nil)
	})
	return plain, err
}
