package service

import (
	"context"
	"strconv"

	"expodesk/internal/expodesk"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// managedUser returns the account the caller may manage (disable, enable,
// remove). One's own account is ErrNotYourself; an account outside the
// caller's care, including one outside a coordinator's pavilion, is not
// found, and the attempt is recorded.
func (s *Service) managedUser(ctx context.Context, c Caller, id int64) (expodesk.User, error) {
	u, err := s.store.UserGet(ctx, id)
	if err != nil {
		return u, err
	}
	if c.Principal == nil {
		return u, expodesk.Errorf(expodesk.EUNAUTHORIZED, "error.unauthorized")
	}
	if u.ID == c.Principal.UserID {
		return u, expodesk.ErrNotYourself
	}
	var company int64
	if u.ExhibitorID != nil {
		company = *u.ExhibitorID
	}
	in, err := s.companyInPavilion(ctx, c.Principal, company)
	if err != nil {
		return u, err
	}
	if !expodesk.CanManageAccount(c.Principal, u, in) {
		return u, s.refuse(ctx, c, "user", id, expodesk.ErrNotFound)
	}
	return u, nil
}

// SetUserDisabled disables or enables another person's account; disabling
// ends their sessions (the session version moves on).
func (s *Service) SetUserDisabled(ctx context.Context, c Caller, id int64, disabled bool) (expodesk.User, error) {
	u, err := s.managedUser(ctx, c, id)
	if err != nil {
		return u, err
	}
	action := expodesk.ActionUserEnable
	if disabled {
		action = expodesk.ActionUserDisable
	}
	var after expodesk.User
	err = s.write(ctx, c, func(t *tx) error {
		if after, err = t.UserSetDisabled(ctx, u.ID, disabled); err != nil {
			return err
		}
		return t.audit(ctx, action, "user", u.ID, userScope(u), UserAudit(u), UserAudit(after))
	})
	return after, err
}

// RemoveUser deletes another person's account (a colleague leaving the
// company's team); its sessions die with it, and the audit log keeps its
// email as the actor label of what it did.
func (s *Service) RemoveUser(ctx context.Context, c Caller, id int64) error {
	u, err := s.managedUser(ctx, c, id)
	if err != nil {
		return err
	}
	return s.write(ctx, c, func(t *tx) error {
		if err := t.UserDelete(ctx, u.ID); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionUserRemove, "user", u.ID, userScope(u), UserAudit(u), nil)
	})
}
