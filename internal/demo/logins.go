package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/password"
	"expodesk/internal/postgres"
	"expodesk/internal/totp"
)

// DemoTOTPSecret is the authenticator secret of the demo organizer and
// coordinator accounts, printed by `make run` so that anyone trying the demo
// can add it to an authenticator app. It exists only in demo data.
const DemoTOTPSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

// demoRecoveryCodes work once each for the demo organizer and coordinator.
var demoRecoveryCodes = func() []string {
	var codes []string
	for i := 1; i <= totp.RecoveryCodeCount; i++ {
		codes = append(codes, fmt.Sprintf("xpdk%02d-2027ws-bcnwxy-demkey", i))
	}
	return codes
}()

// demoAccount is a login the demo data creates.
type demoAccount struct {
	login     Login
	family    string
	given     string
	lang      expodesk.Lang
	role      expodesk.Role
	pavilion  string // a coordinator's pavilion slug
	exhibitor string // a team member's company slug
	withTOTP  bool
}

var demoAccounts = []demoAccount{
	{login: Login{Role: "organizer", Email: "organizer@expodesk.example", Password: "sister-fairs-organizer"},
		family: "Puig", given: "Ana", lang: expodesk.ES, role: expodesk.RoleOrganizer, withTOTP: true},
	{login: Login{Role: "coordinator", Email: "wuxi-pavilion@expodesk.example", Password: "sister-fairs-pavilion"},
		family: "刘", given: "洋", lang: expodesk.ZH, role: expodesk.RoleOrganizer, pavilion: "wuxi-pavilion", withTOTP: true},
	{login: Login{Role: "exhibitor", Email: "team@chengbo-sensing.example", Password: "sister-fairs-exhibitor"},
		family: "陈", given: "静", lang: expodesk.ZH, role: expodesk.RoleExhibitor, exhibitor: "chengbo-sensing"},
	{login: Login{Role: "exhibitor", Email: "equipo@sensorica-mediterrania.example", Password: "sister-fairs-exhibitor"},
		family: "Tarragó", given: "Marc", lang: expodesk.ES, role: expodesk.RoleExhibitor, exhibitor: "sensorica-mediterrania"},
}

// Logins lists the demo accounts for printing.
func Logins() []Login {
	var out []Login
	for _, a := range demoAccounts {
		out = append(out, a.login)
	}
	return out
}

// RecoveryCodes lists the demo accounts' one-time recovery codes, as loaded
// (used or not).
func RecoveryCodes() []string { return append([]string(nil), demoRecoveryCodes...) }

// AccountCodes are the recovery codes one demo login can still use.
type AccountCodes struct {
	Login  Login
	Unused []string
}

// errProbeDone rolls back the transaction in which UnusedRecoveryCodes spends codes.
var errProbeDone = errors.New("recovery code probe done")

// UnusedRecoveryCodes returns, for each demo login with a second factor, the
// demo recovery codes it has not spent, so that `make run` prints only codes
// that still work. The store keeps only hashes and says whether a code is
// spent only by spending it, so each code is spent in a transaction that is
// then rolled back: nothing changes. A login that replaced its codes (or no
// longer exists) has none of the demo codes left.
func UnusedRecoveryCodes(ctx context.Context, s *postgres.Store) ([]AccountCodes, error) {
	var out []AccountCodes
	for _, a := range demoAccounts {
		if !a.withTOTP {
			continue
		}
		ac := AccountCodes{Login: a.login}
		u, err := s.UserGetByEmail(ctx, a.login.Email)
		if expodesk.ErrorCode(err) == expodesk.ENOTFOUND {
			out = append(out, ac)
			continue
		} else if err != nil {
			return nil, err
		}
		err = s.Tx(ctx, func(tx *postgres.Store) error {
			for _, c := range demoRecoveryCodes {
				ok, err := tx.RecoveryCodeUse(ctx, u.ID, totp.HashRecoveryCode(c))
				if err != nil {
					return err
				}
				if ok {
					ac.Unused = append(ac.Unused, c)
				}
			}
			return errProbeDone
		})
		if !errors.Is(err, errProbeDone) {
			return nil, fmt.Errorf("recovery codes of %s: %w", a.login.Email, err)
		}
		out = append(out, ac)
	}
	return out, nil
}

// loadAccounts creates the demo logins. Hashing uses the production
// parameters, so signing in to the demo exercises the real path.
func loadAccounts(ctx context.Context, s *postgres.Store, w *world, _ time.Time) error {
	hasher := password.NewHasher(password.Config{})
	var recovery [][]byte
	for _, c := range demoRecoveryCodes {
		recovery = append(recovery, totp.HashRecoveryCode(c))
	}
	hashes := map[string]string{}
	for _, a := range demoAccounts {
		u := expodesk.User{Email: a.login.Email, Lang: a.lang, Role: a.role,
			PersonName: expodesk.PersonName{FamilyName: a.family, GivenName: a.given, NameOrder: expodesk.GuessNameOrder(a.family)}}
		if a.pavilion != "" {
			pv, ok := w.pavilions[a.pavilion]
			if !ok {
				return fmt.Errorf("account %s: no pavilion %s", a.login.Email, a.pavilion)
			}
			u.PavilionID = &pv.ID
		}
		if a.role == expodesk.RoleExhibitor {
			e, ok := w.exhibitors[a.exhibitor]
			if !ok {
				return fmt.Errorf("account %s: no exhibitor %s", a.login.Email, a.exhibitor)
			}
			u.ExhibitorID = &e.ID
		}
		h, ok := hashes[a.login.Password]
		if !ok {
			var err error
			if h, err = hasher.Hash(ctx, a.login.Password); err != nil {
				return err
			}
			hashes[a.login.Password] = h
		}
		u.PasswordHash = h
		created, err := s.UserCreate(ctx, u)
		if err != nil {
			return fmt.Errorf("account %s: %w", a.login.Email, err)
		}
		if a.withTOTP {
			if err := s.UserEnableTOTP(ctx, created.ID, DemoTOTPSecret, 0, recovery); err != nil {
				return fmt.Errorf("account %s: %w", a.login.Email, err)
			}
		}
	}
	return nil
}
