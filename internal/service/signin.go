package service

import (
	"context"
	"errors"

	"expodesk/internal/expodesk"
	"expodesk/internal/mail"
	"expodesk/internal/metrics"
	"expodesk/internal/totp"
	"expodesk/internal/urls"
)

// Sign-in errors. ErrSignInFailed is one answer for an unknown address, a
// disabled account, an account without a password and a wrong password.
var (
	ErrSignInFailed   = expodesk.Errorf(expodesk.EUNAUTHORIZED, "auth.signin_failed")
	ErrTOTPFailed     = expodesk.Errorf(expodesk.EUNAUTHORIZED, "auth.totp_failed")
	ErrRecoveryFailed = expodesk.Errorf(expodesk.EUNAUTHORIZED, "auth.recovery_failed")
	// ErrTOTPLocked: so many wrong codes in a row that only a recovery code works.
	ErrTOTPLocked = expodesk.Errorf(expodesk.EUNAUTHORIZED, "auth.totp_locked")
)

// CheckPassword is the first step of signing in: it returns the account
// whose password this is, or ErrSignInFailed after the same hashing work
// whatever was wrong. A hash made with weaker parameters is replaced.
// Throttling is the caller's, before it calls: it counts attempts, this
// checks them.
func (s *Service) CheckPassword(ctx context.Context, c Caller, email, pw string) (expodesk.User, error) {
	user, err := s.store.UserGetByEmail(ctx, email)
	if err != nil && !errors.Is(err, expodesk.ErrNotFound) {
		return user, err
	}
	ok := false
	if err == nil && user.PasswordHash != "" && user.DisabledAt == nil {
		var rehash bool
		if ok, rehash, err = s.passwords.Verify(ctx, pw, user.PasswordHash); err != nil {
			return user, err
		}
		if ok && rehash {
			if h, err := s.passwords.Hash(ctx, pw); err == nil {
				if err := s.store.UserUpgradeHash(ctx, user.ID, user.PasswordHash, h); err != nil {
					s.log.WarnContext(ctx, "upgrade password hash", "err", err)
				}
			}
		}
	} else if err := s.passwords.VerifyDummy(ctx, pw); err != nil {
		return user, err
	}
	if !ok {
		e := s.entry(c, expodesk.ActionSignInFailed, "user", user.ID, userScope(user), nil, nil)
		e.ActorLabel = email
		if user.ID != 0 {
			e.ActorID, e.ActorLabel = &user.ID, user.Email
		}
		s.auditNow(ctx, e)
		s.metrics.SignInFailed(metrics.FailPassword)
		return expodesk.User{}, ErrSignInFailed
	}
	return user, nil
}

// SecondFactor is the code typed at the second step of signing in.
type SecondFactor struct {
	Code     string
	Recovery bool // Code is a recovery code
}

// CheckSecondFactor is the second step of signing in: a code from the app
// (each time step usable once, on any instance) or a recovery code (each
// usable once). Wrong app codes are counted in a row; at
// expodesk.TOTPMaxFailures the app's codes stop working and the owner is
// told by mail, until a recovery code unlocks them.
func (s *Service) CheckSecondFactor(ctx context.Context, c Caller, user expodesk.User, f SecondFactor) error {
	var result error
	err := s.write(ctx, c, func(t *tx) error {
		var err error
		result, err = t.checkSecondFactor(ctx, user, f)
		return err
	})
	if err != nil {
		return err
	}
	// Counted once the failure's count and audit entry have committed.
	switch result {
	case ErrTOTPFailed:
		s.metrics.SignInFailed(metrics.FailTOTP)
	case ErrTOTPLocked:
		s.metrics.SignInFailed(metrics.FailTOTPLocked)
	case ErrRecoveryFailed:
		s.metrics.SignInFailed(metrics.FailRecoveryCode)
	}
	return result
}

// checkSecondFactor is CheckSecondFactor inside its transaction: it returns
// the answer for the person (nil when the code passed) and the error that
// rolls the transaction back. A failure commits its count and audit entry.
func (t *tx) checkSecondFactor(ctx context.Context, user expodesk.User, f SecondFactor) (answer, err error) {
	s := t.svc
	if f.Recovery {
		ok, err := t.RecoveryCodeUse(ctx, user.ID, totp.HashRecoveryCode(f.Code))
		if err != nil {
			return nil, err
		}
		if !ok {
			return ErrRecoveryFailed, t.auditAs(ctx, user, expodesk.ActionTOTPFailed, nil)
		}
		if err := t.UserTOTPUnlock(ctx, user.ID); err != nil {
			return nil, err
		}
		return nil, t.auditAs(ctx, user, expodesk.ActionRecoveryCodeUsed, nil)
	}
	if user.TOTPFailures >= expodesk.TOTPMaxFailures {
		return ErrTOTPLocked, t.auditAs(ctx, user, expodesk.ActionTOTPFailed, nil)
	}
	if step, valid := totp.Validate(user.TOTPSecret, f.Code, s.now(), 0); valid {
		ok, err := t.UserUseTOTPStep(ctx, user.ID, step)
		if err != nil || ok {
			return nil, err
		}
	}
	n, err := t.UserTOTPFailed(ctx, user.ID)
	if err != nil {
		return nil, err
	}
	if err := t.auditAs(ctx, user, expodesk.ActionTOTPFailed, nil); err != nil {
		return nil, err
	}
	if n < expodesk.TOTPMaxFailures {
		return ErrTOTPFailed, nil
	}
	if n == expodesk.TOTPMaxFailures {
		// The count that locks and the owner's notice commit together.
		if err := t.auditAs(ctx, user, expodesk.ActionTOTPLocked, nil); err != nil {
			return nil, err
		}
		if err := t.mail(ctx, user.Email, user.Lang, mail.TOTPLocked{Failures: n, At: s.now(),
			ResetLink: s.link(urls.PasswordForgot())}, scope{}); err != nil {
			return nil, err
		}
	}
	return ErrTOTPLocked, nil
}

// RecordSignIn notes a completed sign-in on the account and in the audit log.
func (s *Service) RecordSignIn(ctx context.Context, c Caller, user expodesk.User) error {
	return s.write(ctx, c, func(t *tx) error {
		if err := t.UserRecordSignIn(ctx, user.ID); err != nil {
			return err
		}
		return t.auditAs(ctx, user, expodesk.ActionSignIn, nil)
	})
}

// RecordSignOut notes a sign-out in the audit log.
func (s *Service) RecordSignOut(ctx context.Context, c Caller) {
	if c.User.ID != 0 {
		s.auditUser(ctx, c, c.User, expodesk.ActionSignOut)
	}
}

// auditUser records a security event of user's own account, outside any
// change: a failure is recorded even though nothing else is written.
func (s *Service) auditUser(ctx context.Context, c Caller, user expodesk.User, action expodesk.AuditAction) {
	e := s.entry(c, action, "user", user.ID, userScope(user), nil, nil)
	e.ActorID, e.ActorLabel = &user.ID, user.Email
	s.auditNow(ctx, e)
}

func (s *Service) auditNow(ctx context.Context, e expodesk.AuditEntry) {
	if err := s.store.AuditAdd(ctx, e); err != nil {
		s.log.ErrorContext(ctx, "audit", "action", e.Action, "err", err)
	}
}
