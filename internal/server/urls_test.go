package server

import (
	"net/url"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"expodesk/internal/urls"
)

// TestURLBuildersMatchRoutes checks that every path the urls package builds
// is one the router serves, with the method a page uses to reach it.
func TestURLBuildersMatchRoutes(t *testing.T) {
	e := newEnv(t)
	routes := e.server.router.(chi.Routes)
	tok := strings.Repeat("A", 43)
	cases := []struct{ method, path string }{
		{"GET", urls.Home()},
		{"GET", urls.Expo("iotswc-2027")},
		{"GET", urls.ExpoDirectory("iotswc-2027")},
		{"GET", urls.Pavilion("iotswc-2027", "wuxi-pavilion")},
		{"GET", urls.ExpoAgenda("iotswc-2027")},
		{"GET", urls.ExpoAgendaICS("iotswc-2027")},
		{"GET", urls.PavilionAgenda("iotswc-2027", "wuxi-pavilion")},
		{"GET", urls.PavilionAgendaICS("iotswc-2027", "wuxi-pavilion")},
		{"GET", urls.Exhibitor("acme")},
		{"GET", urls.ExhibitorLogo("acme", "abc")},
		{"GET", urls.ExhibitorAgendaICS("acme")},
		{"GET", urls.SignIn("/organizer")},
		{"POST", urls.SignIn("")},
		{"GET", urls.SignInTOTP()},
		{"GET", urls.SignInTOTPRecovery()},
		{"GET", urls.SignInTOTPSetup()},
		{"POST", urls.SignOut()},
		{"GET", urls.PasswordForgot()},
		{"GET", urls.PasswordReset(tok)},
		{"GET", urls.Invitation(tok)},
		{"GET", urls.Account()},
		{"POST", urls.AccountProfile()},
		{"POST", urls.AccountPassword()},
		{"GET", urls.AccountTOTP()},
		{"POST", urls.AccountTOTPDisable()},
		{"POST", urls.AccountRecoveryCodes()},
		{"GET", urls.Organizer()},
		{"GET", urls.OrganizerUsers()},
		{"POST", urls.OrganizerUsersInvite()},
		{"POST", urls.OrganizerUserDisable(7)},
		{"POST", urls.OrganizerUserEnable(7)},
		{"GET", urls.OrganizerAudit(url.Values{"action": {"auth."}})},
		{"GET", urls.OrganizerAuditCSV(url.Values{"action": {"auth."}})},
		{"GET", urls.OrganizerExhibitorsCSV("", "")},
		{"GET", urls.OrganizerExhibitorsCSV("iotswc-2027", "approved")},
		{"GET", urls.OrganizerExhibitorsTemplateCSV()},
		{"GET", urls.OrganizerImport()},
		{"POST", urls.OrganizerImportPreview()},
		{"POST", urls.OrganizerImportCommit()},
		{"GET", urls.OrganizerOutbox()},
		{"GET", urls.OrganizerOutboxMessage(7)},
		{"GET", urls.OrganizerExpos()},
		{"POST", urls.OrganizerExpos()},
		{"GET", urls.OrganizerExpoNew()},
		{"GET", urls.OrganizerExpo("iotswc-2027")},
		{"POST", urls.OrganizerExpo("iotswc-2027")},
		{"POST", urls.OrganizerExpoArchive("iotswc-2027")},
		{"POST", urls.OrganizerExpoRestore("iotswc-2027")},
		{"POST", urls.OrganizerExpoSisters("iotswc-2027")},
		{"POST", urls.OrganizerExpoSisterUnlink("iotswc-2027", 7)},
		{"GET", urls.OrganizerPavilionNew("iotswc-2027")},
		{"POST", urls.OrganizerPavilions("iotswc-2027")},
		{"GET", urls.OrganizerPavilion("iotswc-2027", 7)},
		{"POST", urls.OrganizerPavilion("iotswc-2027", 7)},
		{"POST", urls.OrganizerPavilionMove("iotswc-2027", 7)},
		{"GET", urls.OrganizerParticipations("iotswc-2027", nil)},
		{"GET", urls.OrganizerParticipations("iotswc-2027", url.Values{"status": {"applied"}, "q": {"传感"}})},
		{"GET", urls.OrganizerParticipations("iotswc-2027", url.Values{"pavilion": {"none"}, "incomplete": {"logo"}})},
		{"GET", urls.OrganizerDashboard("iotswc-2027", nil)},
		{"GET", urls.OrganizerDashboard("iotswc-2027", url.Values{"pavilion": {"7"}})},
		{"POST", urls.OrganizerParticipationStatus(7)},
		{"POST", urls.OrganizerParticipationPlacement(7)},
		{"GET", urls.OrganizerExhibitorNew("iotswc-2027")},
		{"POST", urls.OrganizerExhibitors("iotswc-2027")},
		{"GET", urls.OrganizerExhibitor(7)},
		{"POST", urls.OrganizerExhibitor(7)},
		{"POST", urls.OrganizerExhibitorIdentity(7)},
		{"GET", urls.OrganizerParticipation(7)},
		{"POST", urls.OrganizerParticipationsBulk("iotswc-2027")},
		{"POST", urls.OrganizerUsersInviteMany()},
		{"GET", urls.ExpoApply("iotswc-2027")},
		{"POST", urls.ExpoApply("iotswc-2027")},
		{"GET", urls.OrganizerStages("iotswc-2027")},
		{"POST", urls.OrganizerStages("iotswc-2027")},
		{"GET", urls.OrganizerStageNew("iotswc-2027")},
		{"GET", urls.OrganizerStage("iotswc-2027", 7)},
		{"POST", urls.OrganizerStage("iotswc-2027", 7)},
		{"POST", urls.OrganizerStageDelete("iotswc-2027", 7)},
		{"GET", urls.OrganizerStageGenerate("iotswc-2027", 7, nil)},
		{"GET", urls.OrganizerStageGenerate("iotswc-2027", 7, url.Values{"day": {"2027-05-11"}, "length": {"30"}})},
		{"POST", urls.OrganizerStageGenerate("iotswc-2027", 7, nil)},
		{"GET", urls.OrganizerSlot("iotswc-2027", 7)},
		{"POST", urls.OrganizerSlot("iotswc-2027", 7)},
		{"POST", urls.OrganizerSlotDelete("iotswc-2027", 7)},
		{"POST", urls.OrganizerSlotCancelBooking("iotswc-2027", 7)},
		{"POST", urls.OrganizerSlotBookFor("iotswc-2027", 7)},
		{"POST", urls.OrganizerSlotMoveBooking("iotswc-2027", 7)},
		{"GET", urls.OrganizerAgendaCSV("iotswc-2027")},
		{"GET", urls.OrganizerSlotGrid("iotswc-2027", nil)},
		{"GET", urls.OrganizerSlotGrid("iotswc-2027", url.Values{"day": {"2027-05-11"}, "stage": {"7"}})},
		{"GET", urls.ExhibitorArea()},
		{"POST", urls.ExhibitorTeamInvite()},
		{"POST", urls.ExhibitorTeamRemove(7)},
		{"POST", urls.ExhibitorTeamInvitationCancel(7)},
		{"GET", urls.ExhibitorProfile()},
		{"POST", urls.ExhibitorProfile()},
		{"GET", urls.ExhibitorOwnLogo("")},
		{"GET", urls.ExhibitorOwnLogo("abc")},
		{"POST", urls.ExhibitorOwnLogo("")},
		{"POST", urls.ExhibitorLogoDelete()},
		{"POST", urls.ExhibitorSlotWaitlist("iotswc-2027", 7)},
		{"POST", urls.ExhibitorWaitlistLeave(7)},
		{"GET", urls.ExhibitorOffer(7)},
		{"POST", urls.ExhibitorOfferAccept(7)},
		{"POST", urls.ExhibitorOfferDecline(7)},
		{"GET", urls.Static("app.css", "abc")},
	}
	for _, c := range cases {
		u, err := url.Parse(c.path)
		if err != nil {
			t.Errorf("%s: %v", c.path, err)
			continue
		}
		if !routes.Match(chi.NewRouteContext(), c.method, u.Path) {
			t.Errorf("%s %s: no route serves it", c.method, c.path)
		}
	}
}
