package service

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"expodesk/internal/expodesk"
	"expodesk/internal/mail"
	"expodesk/internal/urls"
)

// Invitation is a new account as an invitation form describes it. What the
// caller may create is decided here, whatever the form offered: only
// expo-wide organizers invite organizers and coordinators; a coordinator
// invites the teams of companies in their pavilion, and an exhibitor its
// own colleagues.
type Invitation struct {
	Kind        expodesk.InvitationKind
	Email       string
	Name        expodesk.PersonName
	Lang        expodesk.Lang
	PavilionID  int64 // coordinators: the pavilion they will coordinate
	ExhibitorID int64 // team members: their company
}

// Invite creates an account without a password and mails its invitation
// link, in one transaction with its audit entry.
//
// An address that already has an account is ErrEmailTaken for expo-wide
// organizers, who see every account anyway. Anyone else is answered as if
// the invitation went out, so that the form does not tell who has an
// account, and the account holder is told instead, with no link that signs
// anyone in.
func (s *Service) Invite(ctx context.Context, c Caller, in Invitation) (expodesk.User, error) {
	pi, err := s.prepareInvitation(ctx, c, in)
	if err != nil {
		return pi.u, err
	}
	var created expodesk.User
	err = s.write(ctx, c, func(t *tx) error {
		created, err = s.deliverInvitation(ctx, t, pi)
		return err
	})
	return created, err
}

// preparedInvitation is an invitation that passed the permission rule and
// validation: the account to create, the mail to send and their scope.
type preparedInvitation struct {
	u       expodesk.User
	content mail.Invitation
	sc      scope
}

// prepareInvitation applies Invite's permission rule and validation
// without writing anything.
func (s *Service) prepareInvitation(ctx context.Context, c Caller, in Invitation) (preparedInvitation, error) {
	p := c.Principal
	if p == nil {
		return preparedInvitation{}, expodesk.Errorf(expodesk.EUNAUTHORIZED, "error.unauthorized")
	}
	if in.Kind != expodesk.InviteExhibitor && !expodesk.CanManageExpos(p) {
		return preparedInvitation{}, s.refuse(ctx, c, "invitation", 0, expodesk.ErrForbidden)
	}
	u := expodesk.User{Email: in.Email, PersonName: in.Name, Lang: in.Lang}
	if u.NameOrder == "" {
		u.NameOrder = expodesk.GuessNameOrder(u.FamilyName)
	}
	if _, ok := expodesk.ParseLang(string(u.Lang)); !ok {
		u.Lang = expodesk.EN
	}
	problems := expodesk.Problems{}
	if !expodesk.ValidEmail(in.Email) {
		problems.Add("email", "validation.email", nil)
	}
	in.Name.Check(problems)

	content := mail.Invitation{Role: mail.InviteTeamMember, Inviter: c.User.PersonName.String(),
		ExpiresAt: s.now().Add(expodesk.InvitationTTL)}
	if content.Inviter == "" {
		content.Inviter = p.Email
	}
	sc := scope{}
	switch in.Kind {
	case expodesk.InviteOrganizer:
		u.Role = expodesk.RoleOrganizer
		content.Role = mail.InviteOrganizer
	case expodesk.InviteCoordinator:
		u.Role = expodesk.RoleOrganizer
		content.Role = mail.InviteOrganizer
		pv, err := s.store.PavilionGetByID(ctx, in.PavilionID)
		if errors.Is(err, expodesk.ErrNotFound) {
			problems.Add("pavilion", "users.choose_pavilion_problem", nil)
			break
		} else if err != nil {
			return preparedInvitation{u: u}, err
		}
		u.PavilionID = &pv.ID
		sc.PavilionID, sc.ExpoID = &pv.ID, &pv.ExpoID
		content.Pavilion = pv.Name.In(u.Lang)
		if e, err := s.store.ExpoGetByID(ctx, pv.ExpoID); err == nil {
			content.Expo, content.Zone = e.Name.In(u.Lang), e.Location()
		}
	case expodesk.InviteExhibitor:
		u.Role = expodesk.RoleExhibitor
		if p.IsExhibitor() {
			// An exhibitor invites to its own company, whatever the form said.
			in.ExhibitorID = p.ExhibitorID
		}
		company, err := s.store.ExhibitorGetByID(ctx, in.ExhibitorID)
		if err == nil {
			var in2 bool
			if in2, err = s.companyInPavilion(ctx, p, company.ID); err != nil {
				return preparedInvitation{u: u}, err
			}
			if !expodesk.CanEditExhibitor(p, company.ID, in2) {
				// The form offers only the caller's companies: this one was forged.
				s.RecordRefusal(ctx, c, "exhibitor", itoa(company.ID))
				err = expodesk.ErrNotFound
			}
		}
		if errors.Is(err, expodesk.ErrNotFound) {
			problems.Add("exhibitor", "users.choose_exhibitor_problem", nil)
			break
		} else if err != nil {
			return preparedInvitation{u: u}, err
		}
		u.ExhibitorID = &company.ID
		content.Company = company.DisplayName(u.Lang)
		sc.ExhibitorID = &company.ID
		if p.PavilionID != 0 {
			sc.PavilionID = &p.PavilionID
		}
	default:
		problems.Add("kind", "validation.required", nil)
	}
	if err := problems.Err(); err != nil {
		return preparedInvitation{u: u}, err
	}
	return preparedInvitation{u: u, content: content, sc: sc}, nil
}

// deliverInvitation writes a prepared invitation in t: the account, its
// single-use token, the mail and the audit entry. An address that has an
// account is ErrEmailTaken for expo-wide organizers; anyone else's
// invitation goes to its holder as a notice instead (see Invite).
func (s *Service) deliverInvitation(ctx context.Context, t *tx, pi preparedInvitation) (expodesk.User, error) {
	existing, err := t.UserGetByEmail(ctx, pi.u.Email)
	switch {
	case err == nil && !expodesk.CanManageExpos(t.c.Principal):
		if err := t.listTeamInvitation(ctx, pi.u, nil); err != nil {
			return expodesk.User{}, err
		}
		return expodesk.User{}, s.tellExisting(ctx, t, existing, pi.content)
	case err == nil:
		return expodesk.User{}, expodesk.ErrEmailTaken
	case !errors.Is(err, expodesk.ErrNotFound):
		return expodesk.User{}, err
	}
	return s.sendInvitation(ctx, t, pi)
}

// sendInvitation creates the account of a prepared invitation to an
// address without one, with its token, mail and audit entry, in t.
func (s *Service) sendInvitation(ctx context.Context, t *tx, pi preparedInvitation) (expodesk.User, error) {
	created, err := t.UserCreate(ctx, pi.u)
	if err != nil {
		return created, err
	}
	if err := t.listTeamInvitation(ctx, created, &created.ID); err != nil {
		return created, err
	}
	tok, hash, err := NewToken()
	if err != nil {
		return created, err
	}
	if err := t.TokenCreate(ctx, expodesk.TokenInvitation, created.ID, &t.c.Principal.UserID, hash, expodesk.InvitationTTL); err != nil {
		return created, err
	}
	content := pi.content
	content.Link = s.link(urls.Invitation(tok))
	if err := t.mail(ctx, created.Email, created.Lang, content, pi.sc); err != nil {
		return created, err
	}
	return created, t.audit(ctx, expodesk.ActionUserInvite, "user", created.ID,
		scope{ExhibitorID: created.ExhibitorID, PavilionID: created.PavilionID}, nil, UserAudit(created))
}

// listTeamInvitation puts a team member's invitation on the company's list
// of open invitations, the same way whether it created an account (userID)
// or went to an address that had one.
func (t *tx) listTeamInvitation(ctx context.Context, u expodesk.User, userID *int64) error {
	if u.ExhibitorID == nil {
		return nil
	}
	_, err := t.TeamInvitationAdd(ctx, expodesk.TeamInvitation{ExhibitorID: *u.ExhibitorID, Email: u.Email,
		UserID: userID, InvitedBy: &t.c.Principal.UserID})
	return err
}

// OpenTeamInvitations lists the invitations of the caller's company that
// wait for an answer, for its team page.
func (s *Service) OpenTeamInvitations(ctx context.Context, c Caller) ([]expodesk.TeamInvitation, error) {
	if !c.Principal.IsExhibitor() {
		return nil, expodesk.ErrForbidden
	}
	return s.store.TeamInvitationsOpen(ctx, c.Principal.ExhibitorID, s.now().Add(-expodesk.InvitationTTL))
}

// CancelTeamInvitation takes back one of the caller's company's open
// invitations: the account it created, if still unused, goes with it.
// Another company's invitation is not found.
func (s *Service) CancelTeamInvitation(ctx context.Context, c Caller, id int64) error {
	p := c.Principal
	if !p.IsExhibitor() {
		return s.refuse(ctx, c, "team_invitation", id, expodesk.ErrNotFound)
	}
	return s.write(ctx, c, func(t *tx) error {
		// Read in the transaction that deletes it, FOR UPDATE, so that an
		// invitation accepted meanwhile is not cancelled on a stale read.
		inv, err := t.TeamInvitationGetForUpdate(ctx, p.ExhibitorID, id)
		if errors.Is(err, expodesk.ErrNotFound) {
			return s.refuse(ctx, c, "team_invitation", id, err)
		}
		if err != nil {
			return err
		}
		if inv.UserID != nil {
			u, err := t.UserGet(ctx, *inv.UserID)
			if err != nil && !errors.Is(err, expodesk.ErrNotFound) {
				return err
			}
			if err == nil && u.PasswordHash == "" {
				if err := t.UserDelete(ctx, u.ID); err != nil {
					return err
				}
			}
		}
		if err := t.TeamInvitationDelete(ctx, inv.ID); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionInvitationCancel, "team_invitation", inv.ID,
			scope{ExhibitorID: &inv.ExhibitorID}, map[string]any{"email": inv.Email}, nil)
	})
}

// tellExisting mails the holder of an existing account that someone tried
// to invite them, and records the attempt.
func (s *Service) tellExisting(ctx context.Context, t *tx, existing expodesk.User, inv mail.Invitation) error {
	notice := mail.AccountExists{Inviter: inv.Inviter, Company: inv.Company,
		SignInLink: s.link(urls.SignIn("")), ResetLink: s.link(urls.PasswordForgot())}
	if err := t.mail(ctx, existing.Email, existing.Lang, notice, scope{}); err != nil {
		return err
	}
	// Unscoped: a coordinator's or a company's audit page must not show it
	// either, or the answer alike would be for nothing. Expo-wide
	// organizers see it.
	return t.audit(ctx, expodesk.ActionUserInviteExisting, "user", existing.ID, scope{}, nil, nil)
}

// companyInPavilion reports whether the company is in the care of p as a
// pavilion coordinator; it asks the database only for coordinators.
func (s *Service) companyInPavilion(ctx context.Context, p *expodesk.Principal, exhibitorID int64) (bool, error) {
	if exhibitorID == 0 || p == nil || p.PavilionID == 0 {
		return false, nil
	}
	return s.store.ExhibitorInPavilion(ctx, exhibitorID, p.PavilionID)
}

// InvitationAcceptance is what the invitee chooses on accepting.
type InvitationAcceptance struct {
	Name expodesk.PersonName
	Lang expodesk.Lang
	NewPassword
}

// AcceptInvitation spends the invitation and sets the name, language and
// password of its account, which the caller then signs in. Of two
// acceptances of one link at the same moment, exactly one succeeds; the
// other gets ErrTokenGone.
func (s *Service) AcceptInvitation(ctx context.Context, c Caller, token string, a InvitationAcceptance) (expodesk.User, error) {
	u, err := s.PeekToken(ctx, expodesk.TokenInvitation, token)
	if err != nil {
		return u, err
	}
	p := expodesk.Problems{}
	a.Name.Check(p)
	if _, ok := expodesk.ParseLang(string(a.Lang)); !ok {
		a.Lang = expodesk.EN
	}
	a.check(p, u.Email, a.Name.FamilyName, a.Name.GivenName)
	if err := p.Err(); err != nil {
		return u, err
	}
	if a.Name.NameOrder == "" {
		a.Name.NameOrder = expodesk.GuessNameOrder(a.Name.FamilyName)
	}
	hash, err := s.passwords.Hash(ctx, a.Password)
	if err != nil {
		return u, err
	}
	err = s.write(ctx, c, func(t *tx) error {
		id, err := t.TokenRedeem(ctx, expodesk.TokenInvitation, HashToken(token))
		if err != nil {
			return err
		}
		if _, err := t.UserUpdateProfile(ctx, id, a.Name, a.Lang); err != nil {
			return err
		}
		if u, err = t.UserSetPassword(ctx, id, hash); err != nil {
			return err
		}
		return t.auditAs(ctx, u, expodesk.ActionInvitationAccepted, UserAudit(u))
	})
	return u, err
}

// InviteLine is one line of a form that invites several exhibitor
// contacts: its number, the address and name, and the company's slug.
type InviteLine struct {
	Line        int
	Email       string
	Name        expodesk.PersonName
	CompanySlug string
}

// LineProblems are the problems of a many-line form by line number.
type LineProblems map[int]expodesk.Problems

func (lp LineProblems) Error() string { return fmt.Sprintf("%d lines have problems", len(lp)) }

// MaxInviteLines bounds one many-line invitation form.
const MaxInviteLines = 50

// InviteMany invites several exhibitor contacts, each to the company its
// line names, in lang. Every line is checked first with Invite's rule and
// validation (an address twice in the list is a problem too); if any line
// has a problem, nothing is sent and the problems come back by line.
// Otherwise every invitation is written, with its mail and audit entry, in
// one transaction.
func (s *Service) InviteMany(ctx context.Context, c Caller, lines []InviteLine, lang expodesk.Lang) ([]expodesk.User, error) {
	return s.inviteMany(ctx, c, lines, lang, true)
}

// CheckInviteLines reports InviteMany's problems of lines without sending
// anything, for a form with lines that could not even be read: the page
// then lists every line's problems at once.
func (s *Service) CheckInviteLines(ctx context.Context, c Caller, lines []InviteLine, lang expodesk.Lang) error {
	_, err := s.inviteMany(ctx, c, lines, lang, false)
	return err
}

func (s *Service) inviteMany(ctx context.Context, c Caller, lines []InviteLine, lang expodesk.Lang, send bool) ([]expodesk.User, error) {
	if c.Principal == nil {
		return nil, expodesk.Errorf(expodesk.EUNAUTHORIZED, "error.unauthorized")
	}
	if !c.Principal.IsOrganizer() {
		return nil, s.refuse(ctx, c, "invitation", 0, expodesk.ErrForbidden)
	}
	problems := LineProblems{}
	seen := map[string]int{}
	var prepared []preparedInvitation
	for _, l := range lines {
		in := Invitation{Kind: expodesk.InviteExhibitor, Email: l.Email, Name: l.Name, Lang: lang}
		if e, err := s.store.ExhibitorGet(ctx, l.CompanySlug); err == nil {
			in.ExhibitorID = e.ID
		} else if !errors.Is(err, expodesk.ErrNotFound) {
			return nil, err
		}
		pi, err := s.prepareInvitation(ctx, c, in)
		p := expodesk.Problems{}
		if e := expodesk.ErrorOf(err); e != nil && e.Code == expodesk.EINVALID {
			p = e.Problems
		} else if err != nil {
			return nil, err
		}
		key := strings.ToLower(l.Email)
		if first, ok := seen[key]; ok && key != "" {
			p.Add("email", "apply.many_repeat", map[string]any{"Line": first})
		} else {
			seen[key] = l.Line
		}
		if _, bad := p["email"]; !bad && expodesk.CanManageExpos(c.Principal) {
			// Expo-wide organizers see every account: they are told, as Invite tells them.
			if _, err := s.store.UserGetByEmail(ctx, l.Email); err == nil {
				p.Add("email", expodesk.ErrEmailTaken.Message, nil)
			} else if !errors.Is(err, expodesk.ErrNotFound) {
				return nil, err
			}
		}
		if len(p) > 0 {
			problems[l.Line] = p
			continue
		}
		prepared = append(prepared, pi)
	}
	if len(problems) > 0 {
		return nil, problems
	}
	if !send {
		return nil, nil
	}
	var out []expodesk.User
	err := s.write(ctx, c, func(t *tx) error {
		out = out[:0]
		for _, pi := range prepared {
			u, err := s.deliverInvitation(ctx, t, pi)
			if err != nil {
				return err
			}
			out = append(out, u)
		}
		return nil
	})
	return out, err
}
