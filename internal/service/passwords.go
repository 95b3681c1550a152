package service

import (
	"context"
	"errors"

	"expodesk/internal/expodesk"
	"expodesk/internal/mail"
	"expodesk/internal/password"
	"expodesk/internal/urls"
)

// NewPassword is a new password as a form asks for it: typed twice.
type NewPassword struct {
	Password string
	Confirm  string
}

// check records what is wrong with the new password under the fields
// password and password_confirm; contextWords (the email, the name) may
// not make up the password.
func (n NewPassword) check(p expodesk.Problems, contextWords ...string) {
	if _, bad := p["password"]; bad {
		return
	}
	if key := password.Check(n.Password, contextWords...); key != "" {
		p.Add("password", key, map[string]any{"Min": password.MinLength, "Max": password.MaxLength})
		return
	}
	if n.Confirm != n.Password {
		p.Add("password_confirm", "auth.passwords_differ", nil)
	}
}

// verifyCurrent checks the password typed to confirm a sensitive change. A
// wrong one is recorded in the audit log and returned as ErrWrongPassword,
// which a form shows on its current_password field.
func (s *Service) verifyCurrent(ctx context.Context, c Caller, current string) error {
	u := c.User
	if c.Principal == nil || u.ID == 0 {
		return expodesk.Errorf(expodesk.EUNAUTHORIZED, "error.unauthorized")
	}
	ok, _, err := s.passwords.Verify(ctx, current, u.PasswordHash)
	if err != nil {
		return err
	}
	if !ok {
		if err := s.store.AuditAdd(ctx, s.entry(c, expodesk.ActionPasswordCheckFailed, "user", u.ID, userScope(u), nil, nil)); err != nil {
			s.log.ErrorContext(ctx, "audit", "action", expodesk.ActionPasswordCheckFailed, "err", err)
		}
		return expodesk.ErrWrongPassword
	}
	return nil
}

// confirmAndValidate checks the current password and the other problems of
// a form together, so that a form shows every problem at once.
func (s *Service) confirmAndValidate(ctx context.Context, c Caller, current string, p expodesk.Problems) error {
	if current == "" {
		p.Add("current_password", "validation.required", nil)
	} else if err := s.verifyCurrent(ctx, c, current); errors.Is(err, expodesk.ErrWrongPassword) {
		p.Add("current_password", expodesk.ErrWrongPassword.Message, nil)
	} else if err != nil {
		return err
	}
	return p.Err()
}

// ChangePassword sets the caller's own password, confirmed by the current
// one: every other session of theirs ends (the session version moves on), and
// a notice is mailed so that a stranger's change is noticed. It returns the
// user with the new session version, for the caller's own session.
func (s *Service) ChangePassword(ctx context.Context, c Caller, current string, n NewPassword) (expodesk.User, error) {
	u := c.User
	p := expodesk.Problems{}
	n.check(p, u.Email, u.FamilyName, u.GivenName)
	if err := s.confirmAndValidate(ctx, c, current, p); err != nil {
		return u, err
	}
	hash, err := s.passwords.Hash(ctx, n.Password)
	if err != nil {
		return u, err
	}
	var changed expodesk.User
	err = s.write(ctx, c, func(t *tx) error {
		if changed, err = t.UserChangePassword(ctx, u.ID, u.PasswordHash, hash); err != nil {
			return err
		}
		if err := t.audit(ctx, expodesk.ActionUserChangePassword, "user", u.ID, userScope(u), nil, nil); err != nil {
			return err
		}
		return t.mail(ctx, u.Email, u.Lang, mail.PasswordChanged{At: s.now(), ResetLink: s.link(urls.PasswordForgot())}, scope{})
	})
	return changed, err
}

// RequestPasswordReset mails a reset link when the address belongs to an
// enabled account, and does nothing otherwise: the caller answers "sent"
// either way, so that nobody learns who has an account.
func (s *Service) RequestPasswordReset(ctx context.Context, c Caller, email string) error {
	if !expodesk.ValidEmail(email) {
		return (expodesk.Problems{"email": {Key: "validation.email"}}).Err()
	}
	user, err := s.store.UserGetByEmail(ctx, email)
	if errors.Is(err, expodesk.ErrNotFound) || (err == nil && user.DisabledAt != nil) {
		return nil
	}
	if err != nil {
		return err
	}
	return s.write(ctx, c, func(t *tx) error {
		if err := t.TokensRevoke(ctx, expodesk.TokenPasswordReset, user.ID); err != nil {
			return err
		}
		tok, hash, err := NewToken()
		if err != nil {
			return err
		}
		if err := t.TokenCreate(ctx, expodesk.TokenPasswordReset, user.ID, nil, hash, expodesk.ResetTTL); err != nil {
			return err
		}
		if err := t.mail(ctx, user.Email, user.Lang, mail.PasswordReset{
			Link: s.link(urls.PasswordReset(tok)), ExpiresAt: s.now().Add(expodesk.ResetTTL),
		}, scope{}); err != nil {
			return err
		}
		return t.auditAs(ctx, user, expodesk.ActionResetRequested, nil)
	})
}

// ResetPassword spends a reset token and sets the password. Every session of
// the user ends (they sign in again, through their second factor if any),
// and they are told by mail. Of two uses of one link at the same moment,
// exactly one succeeds; the other gets ErrTokenGone.
func (s *Service) ResetPassword(ctx context.Context, c Caller, token string, n NewPassword) (expodesk.User, error) {
	u, err := s.PeekToken(ctx, expodesk.TokenPasswordReset, token)
	if err != nil {
		return u, err
	}
	p := expodesk.Problems{}
	n.check(p, u.Email, u.FamilyName, u.GivenName)
	if err := p.Err(); err != nil {
		return u, err
	}
	hash, err := s.passwords.Hash(ctx, n.Password)
	if err != nil {
		return u, err
	}
	err = s.write(ctx, c, func(t *tx) error {
		id, err := t.TokenRedeem(ctx, expodesk.TokenPasswordReset, HashToken(token))
		if err != nil {
			return err
		}
		if u, err = t.UserSetPassword(ctx, id, hash); err != nil {
			return err
		}
		if err := t.auditAs(ctx, u, expodesk.ActionPasswordReset, nil); err != nil {
			return err
		}
		return t.mail(ctx, u.Email, u.Lang, mail.PasswordChanged{At: s.now(), ResetLink: s.link(urls.PasswordForgot())}, scope{})
	})
	return u, err
}
