package expodesk

import (
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

// Delegations and their members (O4): the vocabularies, the status moves,
// field validation and the romanised form of a member's name.

// DelegationKinds are the kinds in the order forms list them.
var DelegationKinds = []DelegationKind{KindGovernment, KindBusiness, KindAcademic, KindMedia}

// DelegationStatuses are the statuses in the order of a visit.
var DelegationStatuses = []DelegationStatus{DelegationPlanned, DelegationConfirmed, DelegationArrived, DelegationCancelled}

// ProtocolRoles are the roles in protocol order.
var ProtocolRoles = []ProtocolRole{ProtocolHead, ProtocolDeputy, ProtocolMember, ProtocolInterpreter, ProtocolStaff}

// LetterStatuses are the invitation-letter statuses in the order of the consulate workflow.
var LetterStatuses = []LetterStatus{LetterNotNeeded, LetterRequested, LetterIssued}

// Field limits of a delegation and a member (the schema's checks).
const (
	MaxDelegationName  = 200
	MaxDelegationNotes = 4000
	MaxMemberName      = 100
	MaxMemberText      = 200
	MaxMemberPhone     = 40
)

// delegationMoves are the moves a visit's status may make: planned →
// confirmed → arrived, and cancelled from any status before arrival.
// Arrived and cancelled are final.
var delegationMoves = map[DelegationStatus][]DelegationStatus{
	DelegationPlanned:   {DelegationConfirmed, DelegationCancelled},
	DelegationConfirmed: {DelegationArrived, DelegationCancelled},
}

// DelegationNext returns the statuses a delegation in status from may move to.
func DelegationNext(from DelegationStatus) []DelegationStatus { return delegationMoves[from] }

// CanMoveDelegation reports whether a delegation may move from one status to another.
func CanMoveDelegation(from, to DelegationStatus) bool {
	return slices.Contains(delegationMoves[from], to)
}

// Validate reports what is wrong with d as its form shows it; known lists
// the sector codes that exist. Times are checked in order only: the form
// reads them in the expo's zone.
func (d Delegation) Validate(known map[string]bool) error {
	p := Problems{}
	checkText(p, "name", d.Name, MaxDelegationName, true)
	for _, l := range Langs {
		if strings.ContainsAny(d.Name.Get(l), "\x00\r\n") {
			p.Add("name_"+string(l), "validation.single_line", nil)
		}
	}
	checkLen(p, "origin", d.Origin, MaxDelegationName)
	checkLen(p, "leader", d.Leader, MaxDelegationName)
	checkLen(p, "notes", d.Notes, MaxDelegationNotes)
	if !slices.Contains(DelegationKinds, d.Kind) {
		p.Add("kind", "validation.choice", nil)
	}
	if _, ok := ParseLang(string(d.Lang)); !ok {
		p.Add("lang", "validation.choice", nil)
	}
	if d.Status != "" && !slices.Contains(DelegationStatuses, d.Status) {
		p.Add("status", "validation.choice", nil)
	}
	checkTimeZone(p, "home_time_zone", d.HomeTimeZone)
	if d.ArrivesAt.IsZero() {
		p.Add("arrives_at", "validation.required", nil)
	}
	switch {
	case d.DepartsAt.IsZero():
		p.Add("departs_at", "validation.required", nil)
	case !d.ArrivesAt.IsZero() && d.DepartsAt.Before(d.ArrivesAt):
		p.Add("departs_at", "delegations.departs_before_arrives", nil)
	case d.DepartsAt.Sub(d.ArrivesAt) > 60*24*time.Hour:
		p.Add("departs_at", "delegations.stay_too_long", nil)
	}
	for _, s := range d.Sectors {
		if !known[s] {
			p.Add("sectors", "validation.choice", nil)
		}
	}
	return p.Err()
}

// checkTimeZone requires an IANA zone name this binary knows ("Asia/Shanghai").
func checkTimeZone(p Problems, field, name string) {
	if strings.TrimSpace(name) == "" {
		p.Add(field, "validation.required", nil)
	} else if _, err := time.LoadLocation(name); err != nil || name == "Local" {
		p.Add(field, "validation.time_zone", nil)
	}
}

// Validate reports what is wrong with m as its form shows it.
func (m DelegationMember) Validate() error {
	p := Problems{}
	m.PersonName.Check(p)
	for field, v := range map[string]string{
		"romanized_family_name": m.RomanizedFamilyName, "romanized_given_name": m.RomanizedGivenName,
	} {
		checkLen(p, field, v, MaxMemberName)
	}
	for field, v := range map[string]string{
		"title": m.Title, "organisation": m.Organisation, "passport_name": m.PassportName,
	} {
		checkLen(p, field, v, MaxMemberText)
	}
	if m.Email != "" && !ValidEmail(m.Email) {
		p.Add("email", "validation.email", nil)
	}
	checkLen(p, "phone", m.Phone, MaxMemberPhone)
	if strings.ContainsFunc(m.Phone, func(r rune) bool {
		return !unicode.IsDigit(r) && !strings.ContainsRune(" +-().", r)
	}) {
		p.Add("phone", "delegations.phone_invalid", nil)
	}
	if !slices.Contains(ProtocolRoles, m.ProtocolRole) {
		p.Add("protocol_role", "validation.choice", nil)
	}
	if !slices.Contains(LetterStatuses, m.LetterStatus) {
		p.Add("letter_status", "validation.choice", nil)
	}
	if m.LetterIssuedOn != nil && m.LetterRequestedOn != nil && m.LetterIssuedOn.Before(*m.LetterRequestedOn) {
		p.Add("letter_issued_on", "delegations.issued_before_requested", nil)
	}
	if m.LetterIssuedOn != nil && m.LetterStatus != LetterIssued {
		p.Add("letter_issued_on", "delegations.issued_date_needs_issued", nil)
	}
	return p.Err()
}

// Erased reports whether the member's personal data was erased on request.
func (m DelegationMember) Erased() bool { return m.ErasedAt != nil }

// Romanized is the member's name in Latin letters, in the member's own
// name order ("Wang Wei", "Marc Tarragó").
func (m DelegationMember) Romanized() PersonName {
	return PersonName{FamilyName: m.RomanizedFamilyName, GivenName: m.RomanizedGivenName, NameOrder: m.NameOrder}
}

// LetterPending reports whether the member still waits for an invitation letter.
func (m DelegationMember) LetterPending() bool {
	return m.LetterStatus == LetterRequested && !m.Erased()
}

// surnameReadings are the readings of family names whose most common
// reading as a word is another one (单 is dān in a word, Shàn as a name).
var surnameReadings = map[string]string{
	"单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "区": "ou", "查": "zha", "朴": "piao",
	"盖": "ge", "覃": "qin", "乐": "yue", "缪": "miao", "种": "chong", "翟": "zhai", "秘": "bi",
	"召": "shao", "繁": "po", "尉迟": "yuchi", "万俟": "moqi", "长孙": "zhangsun", "尉": "yu",
	"句": "gou", "牟": "mou", "折": "she", "员": "yun", "重": "chong", "宿": "su", "能": "nai",
}

// Romanize returns a name written in Chinese characters as pinyin without
// tones, one word per name ("欧阳" → "Ouyang", "晓明" → "Xiaoming"), with ü
// spelt yu as passports do (吕 → "Lyu"); family reads a family name by its
// readings as a surname. Text in any other script is returned as it is, and
// an empty name stays empty.
func Romanize(name string, family bool) string {
	name = strings.TrimSpace(name)
	if !strings.ContainsFunc(name, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		return name
	}
	var b strings.Builder
	rest := name
	if family {
		for _, n := range []int{2, 1} {
			if rs := []rune(rest); len(rs) >= n {
				if rd, ok := surnameReadings[string(rs[:n])]; ok {
					b.WriteString(rd)
					rest = string(rs[n:])
					break
				}
			}
		}
	}
	args := pinyin.NewArgs()
	for _, r := range rest {
		switch {
		case unicode.Is(unicode.Han, r):
			if py := pinyin.SinglePinyin(r, args); len(py) > 0 {
				b.WriteString(strings.ReplaceAll(py[0], "v", "yu"))
			}
		case r == '·' || unicode.IsSpace(r):
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	words := strings.Fields(b.String())
	for i, w := range words {
		rs := []rune(w)
		rs[0] = unicode.ToUpper(rs[0])
		words[i] = string(rs)
	}
	return strings.Join(words, " ")
}

// DelegationFilter selects an expo's delegations for the organizer's list.
type DelegationFilter struct {
	ExpoID int64
	// PavilionID limits a coordinator to the visits their pavilion hosts.
	PavilionID int64
	Status     DelegationStatus
	Kind       DelegationKind
	// Q is matched against the names, the origin, the leader and the members' names.
	Q string
}

// DelegationRow is a delegation as the list shows it.
type DelegationRow struct {
	Delegation
	HostPavilionName Text
	Members          int
	LettersPending   int
}

// DelegationStatusCount is how many delegations of an expo are in one status.
type DelegationStatusCount struct {
	Status DelegationStatus
	Count  int
}

// LetterRow is a member who needs an invitation letter, with what the
// letter says of the visit.
type LetterRow struct {
	DelegationMember
	DelegationName   Text
	DelegationOrigin string
	ArrivesAt        time.Time
	DepartsAt        time.Time
}

// MeetingStatusCount is how many meetings of an expo's delegations are in
// one status, for the dashboard.
type MeetingStatusCount struct {
	Status MeetingStatus
	Count  int
}
