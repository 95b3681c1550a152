package web

import (
	"context"
	"strings"
	"time"
	"unicode"

	"expodesk/internal/expodesk"
)

// DelegationsView is an expo's delegations for an organizer (O4), with the
// list's filters as typed.
type DelegationsView struct {
	Expo   expodesk.Expo
	Flash  string
	Rows   []expodesk.DelegationRow
	Status string
	Kind   string
	Q      string
}

// DelegationFormView is the form of a new or an existing delegation.
type DelegationFormView struct {
	Expo       expodesk.Expo
	Delegation *expodesk.Delegation // nil for a new one
	Form       FormState
	// HostOptions are the pavilions the caller may have host the visit.
	HostOptions []Option
	Sectors     []expodesk.Sector
}

// DelegationView is one delegation's page: what it is, its status moves
// and its members in protocol order, with the form adding one.
type DelegationView struct {
	Expo         expodesk.Expo
	Delegation   expodesk.Delegation
	HostPavilion *expodesk.Pavilion
	Sectors      []expodesk.Sector
	Members      []expodesk.DelegationMember
	Flash        string
	// MemberForm is the add-a-member form; StatusForm the status buttons'.
	MemberForm FormState
	StatusForm FormState
}

// MemberFormView is a member's edit form.
type MemberFormView struct {
	Expo       expodesk.Expo
	Delegation expodesk.Delegation
	Member     expodesk.DelegationMember
	Form       FormState
}

// LettersView is the printable list of an expo's invitation letters, by delegation.
type LettersView struct {
	Expo   expodesk.Expo
	Groups []LetterGroup
}

// LetterGroup is one delegation's members who need a letter.
type LetterGroup struct {
	Name      expodesk.Text
	Origin    string
	ArrivesAt time.Time
	DepartsAt time.Time
	Members   []expodesk.LetterRow
}

// GroupLetters gathers letter rows (ordered by delegation) by delegation.
func GroupLetters(rows []expodesk.LetterRow) []LetterGroup {
	var out []LetterGroup
	last := int64(0)
	for _, r := range rows {
		if len(out) == 0 || r.DelegationID != last {
			out = append(out, LetterGroup{Name: r.DelegationName, Origin: r.DelegationOrigin,
				ArrivesAt: r.ArrivesAt, DepartsAt: r.DepartsAt})
			last = r.DelegationID
		}
		out[len(out)-1].Members = append(out[len(out)-1].Members, r)
	}
	return out
}

// MemberLabel is a member's name in the order their culture uses (王伟,
// Marc Tarragó), or "Erased member" once their personal data is erased.
func MemberLabel(ctx context.Context, m expodesk.DelegationMember) string {
	if m.Erased() {
		return T(ctx, "delegations.erased_member")
	}
	return m.String()
}

// memberRomanized is the member's romanised name when it reads otherwise
// than the name itself ("Wang Wei" beside 王伟), "" otherwise.
func memberRomanized(m expodesk.DelegationMember) string {
	r := m.Romanized().String()
	if m.Erased() || r == "" || r == m.String() {
		return ""
	}
	return r
}

// nameLang is the lang attribute of a person's name: Chinese when it is
// written in Chinese characters, "" (the page's) otherwise.
func nameLang(name string) string {
	if strings.ContainsFunc(name, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		return "zh-Hans"
	}
	return ""
}

// bothZones is a time in the expo's zone and the delegation's home zone
// side by side: "16:20 CEST · 22:20 CST".
func bothZones(t time.Time, e expodesk.Expo, d expodesk.Delegation) string {
	expo, home := e.Location(), expodesk.LoadLocation(d.HomeTimeZone)
	if expo.String() == home.String() {
		return Clock(t, expo)
	}
	return Clock(t, expo) + " · " + Clock(t, home)
}

// delegationWhen is a delegation's arrival or departure: its day in the
// expo's zone and the time in both zones.
func delegationWhen(ctx context.Context, t time.Time, e expodesk.Expo, d expodesk.Delegation) string {
	return ShortDate(ctx, t.In(e.Location())) + ", " + bothZones(t, e, d)
}

func delegationStatusLabel(ctx context.Context, s expodesk.DelegationStatus) string {
	return T(ctx, "delegations.status."+string(s))
}

func delegationKindLabel(ctx context.Context, k expodesk.DelegationKind) string {
	return T(ctx, "delegations.kind."+string(k))
}

func protocolRoleLabel(ctx context.Context, r expodesk.ProtocolRole) string {
	return T(ctx, "delegations.role."+string(r))
}

func letterStatusLabel(ctx context.Context, s expodesk.LetterStatus) string {
	return T(ctx, "delegations.letter."+string(s))
}

// statusButtonLabel names the button that moves a delegation to status s.
func statusButtonLabel(ctx context.Context, s expodesk.DelegationStatus) string {
	return T(ctx, "delegations.move."+string(s))
}

// optionsOf are values as a select offers them, each named by label.
func optionsOf[T ~string](ctx context.Context, values []T, label func(context.Context, T) string) []Option {
	out := make([]Option, len(values))
	for i, v := range values {
		out[i] = Option{Value: string(v), Label: label(ctx, v)}
	}
	return out
}

// DelegationKindOptions are the kinds as a select offers them.
func DelegationKindOptions(ctx context.Context) []Option {
	return optionsOf(ctx, expodesk.DelegationKinds, delegationKindLabel)
}

func protocolRoleOptions(ctx context.Context) []Option {
	return optionsOf(ctx, expodesk.ProtocolRoles, protocolRoleLabel)
}

func letterStatusOptions(ctx context.Context) []Option {
	return optionsOf(ctx, expodesk.LetterStatuses, letterStatusLabel)
}

func nameOrderOptions(ctx context.Context) []Option {
	return []Option{
		{Value: "", Label: T(ctx, "delegations.name_order_auto")},
		{Value: string(expodesk.NameEastern), Label: T(ctx, "delegations.name_order_eastern")},
		{Value: string(expodesk.NameWestern), Label: T(ctx, "delegations.name_order_western")},
	}
}

func langSelectOptions() []Option {
	var out []Option
	for _, l := range expodesk.Langs {
		out = append(out, Option{Value: string(l), Label: LangName(l)})
	}
	return out
}

// sectorNames are a delegation's sectors of interest by name, in the reader's language.
func sectorNames(ctx context.Context, codes []string, sectors []expodesk.Sector) string {
	var names []string
	for _, c := range codes {
		names = append(names, In(ctx, sectorName(sectors, c)))
	}
	return strings.Join(names, ", ")
}

// commonZones are offered as suggestions for a home time zone; any IANA
// name is accepted.
var commonZones = []string{"Asia/Shanghai", "Europe/Madrid", "Europe/London", "Europe/Paris", "Europe/Berlin",
	"Asia/Hong_Kong", "Asia/Tokyo", "Asia/Singapore", "America/New_York", "UTC"}

func dateOf(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format("2006-01-02")
}

// DashboardDelegations are the dashboard's figures of delegations (O5).
type DashboardDelegations struct {
	ByStatus       map[expodesk.DelegationStatus]int
	Total          int
	LettersPending int
	// Meetings counts the meetings of the delegations in scope by status.
	Meetings []expodesk.MeetingStatusCount
}

// meetingStatusLabel names a meeting status for the dashboard.
func meetingStatusLabel(ctx context.Context, s expodesk.MeetingStatus) string {
	return T(ctx, "delegations.meeting."+string(s))
}
