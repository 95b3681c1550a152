package expodesk

import (
	"testing"
	"time"
)

// The actors every rule is checked against.
var (
	visitor     *Principal
	organizer   = &Principal{UserID: 1, Role: RoleOrganizer}
	coordinator = &Principal{UserID: 2, Role: RoleOrganizer, PavilionID: 10, ExpoID: 1}
	exhibitorA  = &Principal{UserID: 3, Role: RoleExhibitor, ExhibitorID: 100}
	exhibitorB  = &Principal{UserID: 4, Role: RoleExhibitor, ExhibitorID: 200}
	// An exhibitor role without a company is a broken row; it may do nothing.
	orphan = &Principal{UserID: 5, Role: RoleExhibitor}
)

type actorCase struct {
	name string
	p    *Principal
	want bool
}

func checkRule(t *testing.T, rule string, f func(*Principal) bool, cases []actorCase) {
	t.Helper()
	for _, c := range cases {
		if got := f(c.p); got != c.want {
			t.Errorf("%s for %s = %v, want %v", rule, c.name, got, c.want)
		}
	}
}

func TestPrincipalRoles(t *testing.T) {
	for _, c := range []struct {
		name                                string
		p                                   *Principal
		organizer, expoOrganizer, exhibitor bool
	}{
		{"Visitor", visitor, false, false, false},
		{"Organizer", organizer, true, true, false},
		{"Coordinator", coordinator, true, false, false},
		{"ExhibitorA", exhibitorA, false, false, true},
		{"ExhibitorWithoutCompany", orphan, false, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.p.IsOrganizer() != c.organizer || c.p.IsExpoOrganizer() != c.expoOrganizer || c.p.IsExhibitor() != c.exhibitor {
				t.Errorf("IsOrganizer %v IsExpoOrganizer %v IsExhibitor %v", c.p.IsOrganizer(), c.p.IsExpoOrganizer(), c.p.IsExhibitor())
			}
		})
	}
}

func TestCanManageExpos(t *testing.T) {
	checkRule(t, "CanManageExpos", CanManageExpos, []actorCase{
		{"Visitor", visitor, false}, {"Organizer", organizer, true}, {"Coordinator", coordinator, false},
		{"ExhibitorA", exhibitorA, false},
	})
}

func TestCanManagePavilion(t *testing.T) {
	own := func(p *Principal) bool { return CanManagePavilion(p, 10) }
	other := func(p *Principal) bool { return CanManagePavilion(p, 11) }
	none := func(p *Principal) bool { return CanManagePavilion(p, 0) }
	checkRule(t, "CanManagePavilion(own)", own, []actorCase{
		{"Visitor", visitor, false}, {"Organizer", organizer, true}, {"Coordinator", coordinator, true},
		{"ExhibitorA", exhibitorA, false},
	})
	checkRule(t, "CanManagePavilion(other)", other, []actorCase{
		{"Organizer", organizer, true}, {"Coordinator", coordinator, false}, {"ExhibitorA", exhibitorA, false},
	})
	// An expo-wide stage or a company outside any pavilion is not a coordinator's.
	checkRule(t, "CanManagePavilion(none)", none, []actorCase{
		{"Organizer", organizer, true}, {"Coordinator", coordinator, false},
	})
}

func TestCanEditExhibitor(t *testing.T) {
	checkRule(t, "CanEditExhibitor(A, in pavilion)", func(p *Principal) bool { return CanEditExhibitor(p, 100, true) },
		[]actorCase{{"Visitor", visitor, false}, {"Organizer", organizer, true}, {"Coordinator", coordinator, true},
			{"ExhibitorA", exhibitorA, true}, {"ExhibitorB", exhibitorB, false}, {"ExhibitorWithoutCompany", orphan, false}})
	checkRule(t, "CanEditExhibitor(A, outside pavilion)", func(p *Principal) bool { return CanEditExhibitor(p, 100, false) },
		[]actorCase{{"Organizer", organizer, true}, {"Coordinator", coordinator, false}, {"ExhibitorA", exhibitorA, true},
			{"ExhibitorB", exhibitorB, false}})
	// Company 0 is "no company": nobody's own.
	checkRule(t, "CanEditExhibitor(0)", func(p *Principal) bool { return CanEditExhibitor(p, 0, false) },
		[]actorCase{{"ExhibitorWithoutCompany", orphan, false}, {"ExhibitorA", exhibitorA, false}})
}

func TestCanSeeAuditAndOutbox(t *testing.T) {
	cases := []actorCase{{"Visitor", visitor, false}, {"Organizer", organizer, true}, {"Coordinator", coordinator, true},
		{"ExhibitorA", exhibitorA, false}}
	checkRule(t, "CanSeeAudit", CanSeeAudit, cases)
	checkRule(t, "CanReadOutbox", CanReadOutbox, cases)
}

func TestPrincipalOf(t *testing.T) {
	pv, ex := int64(10), int64(100)
	c := PrincipalOf(User{ID: 2, Email: "c@example.org", Role: RoleOrganizer, PavilionID: &pv}, 1)
	if c.PavilionID != 10 || c.ExpoID != 1 || c.ExhibitorID != 0 || c.IsExpoOrganizer() {
		t.Errorf("coordinator principal = %+v", c)
	}
	e := PrincipalOf(User{ID: 3, Role: RoleExhibitor, ExhibitorID: &ex}, 0)
	if e.ExhibitorID != 100 || e.PavilionID != 0 || !e.IsExhibitor() {
		t.Errorf("exhibitor principal = %+v", e)
	}
}

func TestCanManageAccount(t *testing.T) {
	a, b := int64(100), int64(200)
	memberA := User{ID: 30, Role: RoleExhibitor, ExhibitorID: &a}
	memberB := User{ID: 40, Role: RoleExhibitor, ExhibitorID: &b}
	otherOrganizer := User{ID: 50, Role: RoleOrganizer}
	checkRule(t, "CanManageAccount(member of A, A in pavilion)", func(p *Principal) bool { return CanManageAccount(p, memberA, true) },
		[]actorCase{{"Visitor", visitor, false}, {"Organizer", organizer, true}, {"Coordinator", coordinator, true},
			{"ExhibitorA", exhibitorA, true}, {"ExhibitorB", exhibitorB, false}})
	checkRule(t, "CanManageAccount(member of B, B outside pavilion)", func(p *Principal) bool { return CanManageAccount(p, memberB, false) },
		[]actorCase{{"Organizer", organizer, true}, {"Coordinator", coordinator, false}, {"ExhibitorA", exhibitorA, false},
			{"ExhibitorB", exhibitorB, true}})
	checkRule(t, "CanManageAccount(an organizer)", func(p *Principal) bool { return CanManageAccount(p, otherOrganizer, true) },
		[]actorCase{{"Organizer", organizer, true}, {"Coordinator", coordinator, false}, {"ExhibitorA", exhibitorA, false}})
	self := User{ID: organizer.UserID, Role: RoleOrganizer}
	if CanManageAccount(organizer, self, true) {
		t.Error("an organizer may manage their own account this way")
	}
}

func TestCanReadMail(t *testing.T) {
	own, other := int64(10), int64(11)
	checkRule(t, "CanReadMail(own pavilion)", func(p *Principal) bool { return CanReadMail(p, &own) },
		[]actorCase{{"Visitor", visitor, false}, {"Organizer", organizer, true}, {"Coordinator", coordinator, true}, {"ExhibitorA", exhibitorA, false}})
	checkRule(t, "CanReadMail(other pavilion)", func(p *Principal) bool { return CanReadMail(p, &other) },
		[]actorCase{{"Organizer", organizer, true}, {"Coordinator", coordinator, false}})
	checkRule(t, "CanReadMail(unscoped)", func(p *Principal) bool { return CanReadMail(p, nil) },
		[]actorCase{{"Organizer", organizer, true}, {"Coordinator", coordinator, false}})
}

func TestCanReadMailBody(t *testing.T) {
	own, other := int64(10), int64(11)
	sent := time.Date(2027, 5, 1, 9, 0, 0, 0, time.UTC)
	invitation := MailMessage{Kind: MailInvitation, PavilionID: &own}
	for _, tc := range []struct {
		name      string
		m         MailMessage
		recipient Role
		cases     []actorCase
	}{
		{"unsent team-member invitation in own pavilion", invitation, RoleExhibitor,
			[]actorCase{{"Visitor", visitor, false}, {"Organizer", organizer, true}, {"Coordinator", coordinator, true}, {"ExhibitorA", exhibitorA, false}}},
		{"unsent coordinator invitation in own pavilion", invitation, RoleOrganizer,
			[]actorCase{{"Visitor", visitor, false}, {"Organizer", organizer, true}, {"Coordinator", coordinator, false}, {"ExhibitorA", exhibitorA, false}}},
		{"unsent invitation to an address without an account", invitation, "",
			[]actorCase{{"Organizer", organizer, true}, {"Coordinator", coordinator, false}}},
		{"unsent expo-wide organizer invitation", MailMessage{Kind: MailInvitation}, RoleOrganizer,
			[]actorCase{{"Organizer", organizer, true}, {"Coordinator", coordinator, false}}},
		{"unsent team-member invitation in another pavilion", MailMessage{Kind: MailInvitation, PavilionID: &other}, RoleExhibitor,
			[]actorCase{{"Organizer", organizer, true}, {"Coordinator", coordinator, false}}},
		{"sent team-member invitation", MailMessage{Kind: MailInvitation, PavilionID: &own, SentAt: &sent}, RoleExhibitor,
			[]actorCase{{"Organizer", organizer, false}, {"Coordinator", coordinator, false}}},
		{"sent coordinator invitation", MailMessage{Kind: MailInvitation, PavilionID: &own, SentAt: &sent}, RoleOrganizer,
			[]actorCase{{"Organizer", organizer, false}, {"Coordinator", coordinator, false}}},
		{"password reset", MailMessage{Kind: MailPasswordReset, PavilionID: &own}, RoleOrganizer,
			[]actorCase{{"Organizer", organizer, false}, {"Coordinator", coordinator, false}}},
		{"password changed notice to a coordinator", MailMessage{Kind: MailPasswordChanged, PavilionID: &own}, RoleOrganizer,
			[]actorCase{{"Organizer", organizer, true}, {"Coordinator", coordinator, true}, {"ExhibitorA", exhibitorA, false}}},
	} {
		checkRule(t, "CanReadMailBody("+tc.name+")", func(p *Principal) bool { return CanReadMailBody(p, tc.m, tc.recipient) }, tc.cases)
	}
}

func TestCanManageParticipation(t *testing.T) {
	wuxi, euro := int64(1), int64(2)
	org := &Principal{UserID: 1, Role: RoleOrganizer}
	coord := &Principal{UserID: 2, Role: RoleOrganizer, PavilionID: wuxi, ExpoID: 9}
	exh := &Principal{UserID: 3, Role: RoleExhibitor, ExhibitorID: 5}
	for _, tc := range []struct {
		name     string
		p        *Principal
		pavilion *int64
		want     bool
	}{
		{"OrganizerNoPavilion", org, nil, true},
		{"OrganizerAnyPavilion", org, &euro, true},
		{"CoordinatorOwn", coord, &wuxi, true},
		{"CoordinatorOther", coord, &euro, false},
		{"CoordinatorNoPavilion", coord, nil, false},
		{"Exhibitor", exh, &wuxi, false},
		{"ExhibitorNoPavilion", exh, nil, false},
		{"Visitor", nil, &wuxi, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := CanManageParticipation(tc.p, tc.pavilion); got != tc.want {
				t.Errorf("CanManageParticipation = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCanManageStage(t *testing.T) {
	wuxi, euro := int64(10), int64(20)
	for _, c := range []struct {
		name     string
		p        *Principal
		pavilion *int64
		want     bool
	}{
		{"OrganizerExpoWide", organizer, nil, true},
		{"OrganizerAnyPavilion", organizer, &euro, true},
		{"CoordinatorOwn", coordinator, &wuxi, true},
		{"CoordinatorOther", coordinator, &euro, false},
		{"CoordinatorExpoWide", coordinator, nil, false},
		{"Exhibitor", exhibitorA, &wuxi, false},
		{"Visitor", visitor, &wuxi, false},
		{"Orphan", orphan, nil, false},
	} {
		if got := CanManageStage(c.p, c.pavilion); got != c.want {
			t.Errorf("CanManageStage for %s = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestCanActForCompany(t *testing.T) {
	checkRule(t, "CanActForCompany(100)", func(p *Principal) bool { return CanActForCompany(p, 100) }, []actorCase{
		{"Visitor", visitor, false}, {"Organizer", organizer, false}, {"Coordinator", coordinator, false},
		{"ExhibitorA", exhibitorA, true}, {"ExhibitorB", exhibitorB, false}, {"Orphan", orphan, false},
	})
	if CanActForCompany(orphan, 0) {
		t.Error("a team member of no company acts for company 0")
	}
}
