package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"expodesk/internal/expodesk"
)

// TestOutboxHidesSentInvitationLinks: while no mail server sends it, an
// invitation is readable in the outbox so an organizer can pass the link on;
// once sent, the link (which signs in as the invitee) is no longer shown.
// Expo-wide organizer invitations name no expo, so none is left blank.
func TestOutboxHidesSentInvitationLinks(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	org := e.signedIn(t, w.Organizer)
	resp, body := org.post("/organizer/users/invite", url.Values{"kind": {"organizer"}, "email": {"new.org@iotswc.example.org"},
		"family_name": {"Vidal"}, "given_name": {"Pau"}, "lang": {"en"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("invite: %d\n%s", resp.StatusCode, excerpt(body))
	}
	msgs := e.mailTo("new.org@iotswc.example.org")
	if len(msgs) != 1 {
		t.Fatalf("%d mails, want 1", len(msgs))
	}
	m := msgs[0]
	if strings.Contains(m.Subject, ":") && strings.HasSuffix(strings.TrimSpace(m.Subject), ":") || strings.Contains(m.BodyText, ": .") {
		t.Errorf("the invitation has a blank where an expo name would go: %q / %q", m.Subject, m.BodyText)
	}
	link := linkIn(t, m, "/invitations/")
	page := "/organizer/outbox/" + itoa(m.ID)
	if _, body := org.get(page); !strings.Contains(body, link) {
		t.Error("an unsent invitation's link is not readable in the outbox")
	}
	if err := e.store.MailMarkSent(context.Background(), m.ID, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if _, body := org.get(page); strings.Contains(body, link) || strings.Contains(body, strings.TrimPrefix(link, e.ts.URL)) {
		t.Error("a sent invitation's link is still shown in the outbox")
	}
}

// TestOutboxShowsGivenUpMail: a message that failed every attempt reads as
// not sent, on the list and on its own page, not as still waiting.
func TestOutboxShowsGivenUpMail(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	org := e.signedIn(t, w.Organizer)
	resp, body := org.post("/organizer/users/invite", url.Values{"kind": {"exhibitor"}, "exhibitor": {itoa(w.Sensing.ID)},
		"email": {"bounce@taihu.example.com"}, "family_name": {"Zhou"}, "lang": {"en"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("invite: %d\n%s", resp.StatusCode, excerpt(body))
	}
	m := e.mailTo("bounce@taihu.example.com")[0]
	for range expodesk.MailMaxAttempts {
		if err := e.store.MailMarkFailed(context.Background(), m.ID, "550 no such user", e.clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	for _, page := range []string{"/organizer/outbox", "/organizer/outbox/" + itoa(m.ID)} {
		if _, body := org.get(page); !strings.Contains(body, "gave up after 12 failures") || strings.Contains(body, "Waiting") {
			t.Errorf("%s does not say the message was given up:\n%s", page, excerpt(body))
		}
	}
}

// TestOutboxHidesOrganizerInvitationsFromCoordinators: an unsent invitation
// to a coordinator account is listed in the pavilion's outbox, but its link
// (which signs in as the new coordinator) is for expo-wide organizers only;
// a team member's invitation stays readable to the coordinator who passes
// it on by hand.
func TestOutboxHidesOrganizerInvitationsFromCoordinators(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	org := e.signedIn(t, w.Organizer)
	coord := e.signedIn(t, w.Coordinator)
	resp, body := org.post("/organizer/users/invite", url.Values{"kind": {"coordinator"}, "pavilion": {itoa(w.WuxiPavilion.ID)},
		"email": {"second.coord@eupic.example.org"}, "family_name": {"Wang"}, "given_name": {"Lei"}, "lang": {"en"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("invite a coordinator: %d\n%s", resp.StatusCode, excerpt(body))
	}
	resp, body = coord.post("/organizer/users/invite", url.Values{"kind": {"exhibitor"}, "exhibitor": {itoa(w.Sensing.ID)},
		"email": {"new.member@taihu.example.com"}, "family_name": {"Zhou"}, "lang": {"en"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("invite a team member: %d\n%s", resp.StatusCode, excerpt(body))
	}
	coordMail := e.mailTo("second.coord@eupic.example.org")[0]
	memberMail := e.mailTo("new.member@taihu.example.com")[0]
	coordLink, memberLink := linkIn(t, coordMail, "/invitations/"), linkIn(t, memberMail, "/invitations/")

	if _, body := coord.get("/organizer/outbox"); !strings.Contains(body, "/organizer/outbox/"+itoa(coordMail.ID)) {
		t.Errorf("the coordinator's outbox does not list the invitation of a coordinator of their pavilion:\n%s", excerpt(body))
	}
	resp, body = coord.get("/organizer/outbox/" + itoa(coordMail.ID))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("coordinator opens a fellow coordinator's invitation: %d, want 200 (listed, body hidden)", resp.StatusCode)
	}
	if strings.Contains(body, coordLink) {
		t.Error("a coordinator reads the link of another coordinator's unsent invitation")
	}
	if !strings.Contains(body, "shown only to the expo&#39;s organizers") && !strings.Contains(body, "shown only to the expo's organizers") {
		t.Errorf("the page does not say why the body is hidden:\n%s", excerpt(body))
	}
	if _, body := org.get("/organizer/outbox/" + itoa(coordMail.ID)); !strings.Contains(body, coordLink) {
		t.Error("the expo-wide organizer cannot read the unsent coordinator invitation's link")
	}
	if _, body := coord.get("/organizer/outbox/" + itoa(memberMail.ID)); !strings.Contains(body, memberLink) {
		t.Error("the coordinator cannot read the link of a team member's unsent invitation")
	}
}
