package expodesk

import (
	"strings"
	"time"
	"unicode"
)

// Role is what a signed-in person is.
type Role string

// Roles. A visitor has no account and no role.
const (
	RoleOrganizer Role = "organizer"
	RoleExhibitor Role = "exhibitor"
)

// NameOrder is how a person's name is shown.
type NameOrder string

// Name orders: western shows "Marc Tarragó"; eastern shows "王伟" or "Wang Wei".
const (
	NameWestern NameOrder = "western"
	NameEastern NameOrder = "eastern"
)

// PersonName is a family name and a given name, shown in the order the
// person's culture uses.
type PersonName struct {
	FamilyName string
	GivenName  string
	NameOrder  NameOrder
}

// String returns the full name: family name first without a space for names
// in Chinese characters (王伟), family name first with a space for other
// eastern-order names (Wang Wei), given name first otherwise (Marc Tarragó).
func (n PersonName) String() string {
	f, g := strings.TrimSpace(n.FamilyName), strings.TrimSpace(n.GivenName)
	switch {
	case f == "":
		return g
	case g == "":
		return f
	case n.NameOrder == NameEastern && isHan(f) && isHan(g):
		return f + g
	case n.NameOrder == NameEastern:
		return f + " " + g
	}
	return g + " " + f
}

// GuessNameOrder proposes the order for a name typed into a form: eastern
// when the family name is written in Chinese characters.
func GuessNameOrder(family string) NameOrder {
	if family != "" && isHan(family) {
		return NameEastern
	}
	return NameWestern
}

func isHan(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) && r != '·' {
			return false
		}
	}
	return s != ""
}

// User is a person who signs in: an organizer or a member of an exhibitor's team.
type User struct {
	ID    int64
	Email string
	PersonName
	Lang              Lang
	Role              Role
	PavilionID        *int64 // organizers: the one pavilion a coordinator manages
	ExhibitorID       *int64 // exhibitor team members: their company
	PasswordHash      string
	PasswordChangedAt *time.Time
	SessionVersion    int
	TOTPSecret        string
	TOTPEnabledAt     *time.Time
	TOTPFailures      int // wrong codes in a row
	DisabledAt        *time.Time
	LastSignInAt      *time.Time
	CreatedAt         time.Time
}

// Principal is who is acting: nil for an anonymous visitor.
type Principal struct {
	UserID      int64
	Email       string
	Role        Role
	PavilionID  int64 // 0 for an expo-wide organizer
	ExpoID      int64 // the expo of PavilionID, for a coordinator
	ExhibitorID int64 // 0 unless an exhibitor
}

// PrincipalOf returns the principal for an enabled user; expoID is the expo
// of the user's pavilion, if any.
func PrincipalOf(u User, expoID int64) *Principal {
	p := &Principal{UserID: u.ID, Email: u.Email, Role: u.Role}
	if u.PavilionID != nil {
		p.PavilionID = *u.PavilionID
		p.ExpoID = expoID
	}
	if u.ExhibitorID != nil {
		p.ExhibitorID = *u.ExhibitorID
	}
	return p
}

// IsOrganizer reports whether p is any organizer, expo-wide or pavilion-scoped.
func (p *Principal) IsOrganizer() bool { return p != nil && p.Role == RoleOrganizer }

// IsExpoOrganizer reports whether p is an organizer not limited to a pavilion.
func (p *Principal) IsExpoOrganizer() bool { return p.IsOrganizer() && p.PavilionID == 0 }

// IsExhibitor reports whether p is a member of an exhibitor's team.
func (p *Principal) IsExhibitor() bool {
	return p != nil && p.Role == RoleExhibitor && p.ExhibitorID != 0
}

// TokenKind is what a single-use link lets its holder do.
type TokenKind string

// Token kinds (the database checks the same list).
const (
	TokenInvitation    TokenKind = "invitation"
	TokenPasswordReset TokenKind = "password_reset"
)

// Token lifetimes: a reset link is short-lived; an invitation waits a week.
const (
	ResetTTL      = time.Hour
	InvitationTTL = 7 * 24 * time.Hour
)

// TOTPMaxFailures is how many wrong codes in a row a second factor takes
// before only a recovery code unlocks it (and its owner is told by mail).
const TOTPMaxFailures = 100

// InvitationKind is what kind of account an organizer's invitation creates.
type InvitationKind string

// Invitation kinds.
const (
	InviteExhibitor   InvitationKind = "exhibitor"   // a member of a company's team
	InviteCoordinator InvitationKind = "coordinator" // an organizer limited to one pavilion
	InviteOrganizer   InvitationKind = "organizer"   // an expo-wide organizer
)

// Check records what is wrong with a person's name under the fields
// family_name and given_name: the family name is required, both fit 100
// characters on one line.
func (n PersonName) Check(p Problems) {
	checkRequired(p, "family_name", n.FamilyName, 100)
	checkLen(p, "given_name", n.GivenName, 100)
	for field, v := range map[string]string{"family_name": n.FamilyName, "given_name": n.GivenName} {
		if strings.ContainsAny(v, "\x00\r\n") {
			p.Add(field, "validation.single_line", nil)
		}
	}
}

// UserFilter selects users for the organizer's list.
type UserFilter struct {
	ExhibitorID int64 // only this company's team
	PavilionID  int64 // only coordinators of, and teams of companies in, this pavilion
}

// UserRow is a user with the name of their company, for lists.
type UserRow struct {
	User
	ExhibitorSlug string
	ExhibitorName Text
	PavilionName  Text
	Pending       bool // invited, no password yet
}

// TeamInvitation is an invitation a company's team sent: to a new account
// (UserID set) or to an address that already had one (UserID nil).
type TeamInvitation struct {
	ID          int64
	ExhibitorID int64
	Email       string
	UserID      *int64
	InvitedBy   *int64
	CreatedAt   time.Time
}
