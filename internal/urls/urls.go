// Package urls builds every path expodesk links to, so that a page, a
// handler, a mail or a feed never concatenates one by hand and a URL changes
// in one line. The route table in internal/server/routes.go holds the
// patterns these paths must match; a test checks each builder against it.
package urls

import (
	"net/url"
	"strconv"
	"strings"
)

func id(n int64) string { return strconv.FormatInt(n, 10) }

// seg escapes one path segment (slugs are ASCII already; tokens are base64url).
func seg(s string) string { return url.PathEscape(s) }

// Visitor pages (V1–V4).

// Home is the list of sister expos.
func Home() string { return "/" }

// Expo is an expo's page.
func Expo(expo string) string { return "/expos/" + seg(expo) }

// ExpoDirectory is an expo's exhibitor directory.
func ExpoDirectory(expo string) string { return Expo(expo) + "/exhibitors" }

// Pavilion is a pavilion's page with its directory.
func Pavilion(expo, pavilion string) string { return Expo(expo) + "/pavilions/" + seg(pavilion) }

// ExpoApply is an expo's public application form (E5).
func ExpoApply(expo string) string { return Expo(expo) + "/apply" }

// ExpoAgenda is an expo's roadshow agenda.
func ExpoAgenda(expo string) string { return Expo(expo) + "/agenda" }

// ExpoAgendaICS is an expo's agenda as a calendar feed.
func ExpoAgendaICS(expo string) string { return Expo(expo) + "/agenda.ics" }

// PavilionAgenda is one pavilion's roadshow agenda.
func PavilionAgenda(expo, pavilion string) string { return Pavilion(expo, pavilion) + "/agenda" }

// PavilionAgendaICS is one pavilion's agenda as a calendar feed.
func PavilionAgendaICS(expo, pavilion string) string { return Pavilion(expo, pavilion) + "/agenda.ics" }

// Exhibitor is an exhibitor's public page.
func Exhibitor(exhibitor string) string { return "/exhibitors/" + seg(exhibitor) }

// ExhibitorLogo is an exhibitor's logo; version changes when the logo does.
func ExhibitorLogo(exhibitor, version string) string {
	p := Exhibitor(exhibitor) + "/logo"
	if version != "" {
		p += "?v=" + url.QueryEscape(version)
	}
	return p
}

// ExhibitorAgendaICS is one exhibitor's sessions as a calendar feed.
func ExhibitorAgendaICS(exhibitor string) string { return Exhibitor(exhibitor) + "/agenda.ics" }

// Accounts (E1).

// SignIn is the sign-in page; next, when not empty, is where to go after.
func SignIn(next string) string {
	if next == "" {
		return "/signin"
	}
	return "/signin?next=" + url.QueryEscape(next)
}

// SignInTOTP is the second step of signing in.
func SignInTOTP() string { return "/signin/totp" }

// SignInTOTPRecovery is the second step with a recovery code instead.
func SignInTOTPRecovery() string { return "/signin/totp?recovery=1" }

// SignInTOTPSetup is the enrolment an organizer completes at first sign-in.
func SignInTOTPSetup() string { return "/signin/totp/setup" }

// SignOut ends the session (POST).
func SignOut() string { return "/signout" }

// PasswordForgot asks for a reset link.
func PasswordForgot() string { return "/password/forgot" }

// PasswordReset is a reset link's page.
func PasswordReset(token string) string { return "/password/reset/" + seg(token) }

// Invitation is an invitation link's page.
func Invitation(token string) string { return "/invitations/" + seg(token) }

// Account is one's own account page.
func Account() string { return "/account" }

// AccountProfile saves one's name and language (POST).
func AccountProfile() string { return "/account/profile" }

// AccountPassword changes one's password (POST).
func AccountPassword() string { return "/account/password" }

// AccountTOTP enrols a second factor from the account page.
func AccountTOTP() string { return "/account/totp" }

// AccountTOTPDisable turns the second factor off (POST).
func AccountTOTPDisable() string { return "/account/totp/disable" }

// AccountRecoveryCodes replaces the recovery codes (POST).
func AccountRecoveryCodes() string { return "/account/recovery-codes" }

// Organizers.

// Organizer is the organizer area's start page.
func Organizer() string { return "/organizer" }

// OrganizerUsers lists accounts and holds the invitation form.
func OrganizerUsers() string { return "/organizer/users" }

// OrganizerUsersInvite sends an invitation (POST).
func OrganizerUsersInvite() string { return "/organizer/users/invite" }

// OrganizerUserDisable disables an account (POST).
func OrganizerUserDisable(user int64) string { return "/organizer/users/" + id(user) + "/disable" }

// OrganizerUserEnable enables an account again (POST).
func OrganizerUserEnable(user int64) string { return "/organizer/users/" + id(user) + "/enable" }

// OrganizerAudit is the audit log with its filters.
func OrganizerAudit(q url.Values) string { return withQuery("/organizer/audit", q) }

// OrganizerAuditCSV is the audit log as a spreadsheet, with the page's filters.
func OrganizerAuditCSV(q url.Values) string { return withQuery("/organizer/audit.csv", q) }

// OrganizerExhibitorsCSV is the exhibitor export; expo (a slug) and status
// narrow it when not empty.
func OrganizerExhibitorsCSV(expo, status string) string {
	q := url.Values{}
	if expo != "" {
		q.Set("expo", expo)
	}
	if status != "" {
		q.Set("status", status)
	}
	return withQuery("/organizer/exhibitors.csv", q)
}

// OrganizerExhibitorsTemplateCSV is the empty spreadsheet with example rows.
func OrganizerExhibitorsTemplateCSV() string { return "/organizer/exhibitors-template.csv" }

// OrganizerImport is the exhibitor spreadsheet's upload form (GET).
func OrganizerImport() string { return "/organizer/import" }

// OrganizerImportPreview reads an uploaded spreadsheet and shows what
// importing it would do (POST).
func OrganizerImportPreview() string { return "/organizer/import/preview" }

// OrganizerImportCommit imports a previewed spreadsheet (POST).
func OrganizerImportCommit() string { return "/organizer/import/commit" }

// OrganizerOutbox is the mail outbox, page by page.
func OrganizerOutbox() string { return "/organizer/outbox" }

// OrganizerOutboxMessage is one message of the outbox.
func OrganizerOutboxMessage(message int64) string { return "/organizer/outbox/" + id(message) }

// OrganizerExpos lists expos in the console (GET) and creates one (POST).
func OrganizerExpos() string { return "/organizer/expos" }

// OrganizerExpoNew is the form for a new expo.
func OrganizerExpoNew() string { return "/organizer/expos/new" }

// OrganizerExpo is an expo's edit page (GET) and saves it (POST).
func OrganizerExpo(expo string) string { return "/organizer/expos/" + seg(expo) }

// OrganizerExpoArchive archives an expo (POST).
func OrganizerExpoArchive(expo string) string { return OrganizerExpo(expo) + "/archive" }

// OrganizerExpoRestore takes an expo out of the archive (POST).
func OrganizerExpoRestore(expo string) string { return OrganizerExpo(expo) + "/restore" }

// OrganizerExpoSisters links a sister expo (POST).
func OrganizerExpoSisters(expo string) string { return OrganizerExpo(expo) + "/sisters" }

// OrganizerExpoSisterUnlink unlinks a sister expo (POST).
func OrganizerExpoSisterUnlink(expo string, sister int64) string {
	return OrganizerExpo(expo) + "/sisters/" + id(sister) + "/unlink"
}

// OrganizerPavilions creates a pavilion of an expo (POST).
func OrganizerPavilions(expo string) string { return OrganizerExpo(expo) + "/pavilions" }

// OrganizerPavilionNew is the form for a new pavilion.
func OrganizerPavilionNew(expo string) string { return OrganizerExpo(expo) + "/pavilions/new" }

// OrganizerPavilion is a pavilion's edit page (GET) and saves it (POST).
func OrganizerPavilion(expo string, pavilion int64) string {
	return OrganizerExpo(expo) + "/pavilions/" + id(pavilion)
}

// OrganizerPavilionMove moves a pavilion up or down in its expo's order (POST).
func OrganizerPavilionMove(expo string, pavilion int64) string {
	return OrganizerPavilion(expo, pavilion) + "/move"
}

// OrganizerParticipations lists an expo's participations, filtered by
// status, company name, pavilion (an id or "none") and profile gap
// (q: "status", "q", "pavilion", "incomplete").
func OrganizerParticipations(expo string, q url.Values) string {
	return withQuery(OrganizerExpo(expo)+"/participations", q)
}

// OrganizerDashboard is an expo's dashboard, of one pavilion when q has
// "pavilion" (an id or "none").
func OrganizerDashboard(expo string, q url.Values) string {
	return withQuery(OrganizerExpo(expo)+"/dashboard", q)
}

// OrganizerParticipationStatus approves, rejects or withdraws a participation (POST).
func OrganizerParticipationStatus(participation int64) string {
	return "/organizer/participations/" + id(participation) + "/status"
}

// OrganizerParticipationPlacement sets a participation's pavilion and booth (POST).
func OrganizerParticipationPlacement(participation int64) string {
	return "/organizer/participations/" + id(participation) + "/placement"
}

// OrganizerExhibitorNew is the form that registers a company at an expo (O2).
func OrganizerExhibitorNew(expo string) string { return OrganizerExpo(expo) + "/exhibitors/new" }

// OrganizerExhibitors registers a company at an expo (POST).
func OrganizerExhibitors(expo string) string { return OrganizerExpo(expo) + "/exhibitors" }

// OrganizerExhibitor is a company's page for organizers: its profile (GET,
// and saved with POST) and its identity.
func OrganizerExhibitor(exhibitor int64) string { return "/organizer/exhibitors/" + id(exhibitor) }

// OrganizerExhibitorIdentity saves a company's legal name and registration id (POST).
func OrganizerExhibitorIdentity(exhibitor int64) string {
	return OrganizerExhibitor(exhibitor) + "/identity"
}

// OrganizerParticipation is a participation's review page: its
// application and the profile's changes since approval.
func OrganizerParticipation(participation int64) string {
	return "/organizer/participations/" + id(participation)
}

// OrganizerParticipationsBulk approves or rejects the selected participations of an expo (POST).
func OrganizerParticipationsBulk(expo string) string {
	return OrganizerExpo(expo) + "/participations/bulk"
}

// OrganizerUsersInviteMany invites several exhibitor contacts at once (POST).
func OrganizerUsersInviteMany() string { return "/organizer/users/invite-many" }

// OrganizerStages lists an expo's stages (GET) and creates one (POST).
func OrganizerStages(expo string) string { return OrganizerExpo(expo) + "/stages" }

// OrganizerStageNew is the form for a new stage.
func OrganizerStageNew(expo string) string { return OrganizerStages(expo) + "/new" }

// OrganizerStage is a stage's edit page (GET) and saves it (POST).
func OrganizerStage(expo string, stage int64) string { return OrganizerStages(expo) + "/" + id(stage) }

// OrganizerStageDelete deletes a stage and its free slots (POST).
func OrganizerStageDelete(expo string, stage int64) string {
	return OrganizerStage(expo, stage) + "/delete"
}

// OrganizerStageGenerate is the form that generates a day's slots on a
// stage, with the preview of what q (the form's fields) would create (GET),
// and where the slots are created (POST, without q).
func OrganizerStageGenerate(expo string, stage int64, q url.Values) string {
	return withQuery(OrganizerStage(expo, stage)+"/generate", q)
}

// OrganizerSlot is one slot's edit page (GET) and saves it (POST).
func OrganizerSlot(expo string, slot int64) string { return OrganizerExpo(expo) + "/slots/" + id(slot) }

// OrganizerSlotDelete deletes a free slot (POST).
func OrganizerSlotDelete(expo string, slot int64) string {
	return OrganizerSlot(expo, slot) + "/delete"
}

// OrganizerSlotCancelBooking cancels, with a reason, the booking that
// holds a slot (POST).
func OrganizerSlotCancelBooking(expo string, slot int64) string {
	return OrganizerSlot(expo, slot) + "/cancel"
}

// OrganizerSlotBookFor books a free slot on a company's behalf (POST).
func OrganizerSlotBookFor(expo string, slot int64) string {
	return OrganizerSlot(expo, slot) + "/book"
}

// OrganizerSlotMoveBooking moves the booking holding a slot to another
// free slot (POST).
func OrganizerSlotMoveBooking(expo string, slot int64) string {
	return OrganizerSlot(expo, slot) + "/move"
}

// OrganizerAgendaCSV is an expo's agenda as a spreadsheet (GET).
func OrganizerAgendaCSV(expo string) string { return OrganizerExpo(expo) + "/agenda.csv" }

// OrganizerSlotGrid is the booked/free grid of an expo's stages for a day
// (q: "day" as 2006-01-02, "stage" an id).
func OrganizerSlotGrid(expo string, q url.Values) string {
	return withQuery(OrganizerExpo(expo)+"/grid", q)
}

// Exhibitors' area.

// ExhibitorArea is the exhibitor area's start page (the company's team).
func ExhibitorArea() string { return "/exhibitor" }

// ExhibitorTeamInvite invites a colleague (POST).
func ExhibitorTeamInvite() string { return "/exhibitor/team/invite" }

// ExhibitorTeamRemove removes a colleague (POST).
func ExhibitorTeamRemove(user int64) string { return "/exhibitor/team/" + id(user) + "/remove" }

// ExhibitorTeamInvitationCancel takes back an open invitation (POST).
func ExhibitorTeamInvitationCancel(invitation int64) string {
	return "/exhibitor/team/invitations/" + id(invitation) + "/cancel"
}

// ExhibitorProfile is the company's profile form with the preview of its public card.
func ExhibitorProfile() string { return "/exhibitor/profile" }

// ExhibitorOwnLogo is the company's logo for its own team (also before it
// is approved and public), and where a new one is uploaded (POST); version
// changes when the logo does.
func ExhibitorOwnLogo(version string) string {
	if version == "" {
		return "/exhibitor/logo"
	}
	return withQuery("/exhibitor/logo", url.Values{"v": {version}})
}

// ExhibitorLogoDelete removes the company's logo (POST).
func ExhibitorLogoDelete() string { return "/exhibitor/logo/delete" }

// Static files.

// Metrics is the Prometheus metrics endpoint (on the app port only with METRICS_TOKEN).
func Metrics() string { return "/metrics" }

// Static is a file under /static/ with its content version.
func Static(name, version string) string {
	p := "/static/" + name
	if version != "" {
		p += "?v=" + version
	}
	return p
}

// InLang returns path with ?lang= set, for links whose answer must come in
// a language though no cookie goes with them: a calendar app fetching a feed.
func InLang(path, lang string) string {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + "lang=" + url.QueryEscape(lang)
}

// Absolute joins the public origin (BASE_URL, no trailing slash) and a path,
// for links that leave the site: mails, feeds, hreflang.
func Absolute(base, path string) string { return base + path }

func withQuery(p string, q url.Values) string {
	if len(q) == 0 {
		return p
	}
	if e := q.Encode(); e != "" {
		return p + "?" + e
	}
	return p
}

// Booking (E3) and its rules.

// ExhibitorBookings lists the company's bookings and the expos it may book at.
func ExhibitorBookings() string { return "/exhibitor/bookings" }

// ExhibitorBooking is one booking's page: its texts (GET, POST to save).
func ExhibitorBooking(booking int64) string { return ExhibitorBookings() + "/" + id(booking) }

// ExhibitorBookingCancel cancels a booking (POST).
func ExhibitorBookingCancel(booking int64) string { return ExhibitorBooking(booking) + "/cancel" }

// ExhibitorSlots lists the free slots of an expo by day and stage (q: "tz",
// a zone to show times in beside the expo's).
func ExhibitorSlots(expo string, q url.Values) string {
	return withQuery("/exhibitor/expos/"+expo+"/slots", q)
}

// ExhibitorSlotBook books a slot (POST).
func ExhibitorSlotBook(expo string, slot int64) string {
	return ExhibitorSlots(expo, nil) + "/" + id(slot) + "/book"
}

// ExhibitorSlotWaitlist joins the waitlist of a slot another company holds (POST).
func ExhibitorSlotWaitlist(expo string, slot int64) string {
	return ExhibitorSlots(expo, nil) + "/" + id(slot) + "/waitlist"
}

// ExhibitorWaitlistLeave takes the company out of a slot's line (POST).
func ExhibitorWaitlistLeave(entry int64) string { return "/exhibitor/waitlist/" + id(entry) + "/leave" }

// ExhibitorOffer is a slot offered to the company from a waitlist (GET).
func ExhibitorOffer(booking int64) string { return "/exhibitor/offers/" + id(booking) }

// ExhibitorOfferAccept books an offered slot (POST).
func ExhibitorOfferAccept(booking int64) string { return ExhibitorOffer(booking) + "/accept" }

// ExhibitorOfferDecline gives an offered slot up to the next in line (POST).
func ExhibitorOfferDecline(booking int64) string { return ExhibitorOffer(booking) + "/decline" }

// OrganizerBookingRules is an expo's booking rules page (GET) and saves the
// expo's own rules (POST).
func OrganizerBookingRules(expo string) string { return OrganizerExpo(expo) + "/booking-rules" }

// OrganizerPavilionBookingRules saves a pavilion's own rules (POST).
func OrganizerPavilionBookingRules(expo string, pavilion int64) string {
	return OrganizerBookingRules(expo) + "/pavilions/" + id(pavilion)
}

// OrganizerPavilionBookingRulesDelete puts a pavilion back under the expo's rules (POST).
func OrganizerPavilionBookingRulesDelete(expo string, pavilion int64) string {
	return OrganizerPavilionBookingRules(expo, pavilion) + "/delete"
}

// Delegations (O4).

// OrganizerDelegations is an expo's delegations (GET, q: "status", "kind",
// "q") and where a new one is created (POST).
func OrganizerDelegations(expo string, q url.Values) string {
	return withQuery(OrganizerExpo(expo)+"/delegations", q)
}

// OrganizerDelegationNew is the form for a new delegation of an expo.
func OrganizerDelegationNew(expo string) string { return OrganizerDelegations(expo, nil) + "/new" }

// OrganizerDelegationLetters is the printable list of an expo's invitation letters.
func OrganizerDelegationLetters(expo string) string {
	return OrganizerDelegations(expo, nil) + "/letters"
}

// OrganizerDelegationsCSV is an expo's delegations with their members as a spreadsheet.
func OrganizerDelegationsCSV(expo string) string { return OrganizerExpo(expo) + "/delegations.csv" }

// OrganizerDelegation is one delegation's page with its members (GET) and
// where its edit form saves (POST).
func OrganizerDelegation(delegation int64) string { return "/organizer/delegations/" + id(delegation) }

// OrganizerDelegationEdit is a delegation's edit form.
func OrganizerDelegationEdit(delegation int64) string {
	return OrganizerDelegation(delegation) + "/edit"
}

// OrganizerDelegationStatus moves a delegation's status (POST).
func OrganizerDelegationStatus(delegation int64) string {
	return OrganizerDelegation(delegation) + "/status"
}

// OrganizerDelegationMembers adds a member (POST).
func OrganizerDelegationMembers(delegation int64) string {
	return OrganizerDelegation(delegation) + "/members"
}

// OrganizerDelegationMember is a member's edit form (GET) and saves it (POST).
func OrganizerDelegationMember(delegation, member int64) string {
	return OrganizerDelegationMembers(delegation) + "/" + id(member)
}

// OrganizerDelegationMemberMove moves a member up or down in protocol order (POST).
func OrganizerDelegationMemberMove(delegation, member int64) string {
	return OrganizerDelegationMember(delegation, member) + "/move"
}

// OrganizerDelegationMemberRemove takes a member off the delegation (POST).
func OrganizerDelegationMemberRemove(delegation, member int64) string {
	return OrganizerDelegationMember(delegation, member) + "/remove"
}

// OrganizerDelegationMemberErase erases a member's personal data (POST).
func OrganizerDelegationMemberErase(delegation, member int64) string {
	return OrganizerDelegationMember(delegation, member) + "/erase"
}

// Delegations' itineraries, meetings and shared links (O4, E4).

// OrganizerDelegationBase is one delegation in the organizer console; its
// own page is part A's, and the itinerary's pages hang under it.
func OrganizerDelegationBase(delegation int64) string {
	return "/organizer/delegations/" + id(delegation)
}

// OrganizerItinerary is a delegation's itinerary (GET) and adds an item to it (POST).
func OrganizerItinerary(delegation int64) string {
	return OrganizerDelegationBase(delegation) + "/itinerary"
}

// OrganizerItineraryNew is the page adding an item of a kind ("visit", "roadshow" or "free").
func OrganizerItineraryNew(delegation int64, kind string) string {
	return withQuery(OrganizerItinerary(delegation)+"/new", url.Values{"kind": {kind}})
}

// OrganizerItineraryItem is one item's edit page (GET, POST to save).
func OrganizerItineraryItem(delegation, item int64) string {
	return OrganizerItinerary(delegation) + "/" + id(item)
}

// OrganizerItineraryItemDelete removes an item (POST).
func OrganizerItineraryItemDelete(delegation, item int64) string {
	return OrganizerItineraryItem(delegation, item) + "/delete"
}

// OrganizerSuggestions lists the suggested visits of a delegation (q: "sector", repeated).
func OrganizerSuggestions(delegation int64, q url.Values) string {
	return withQuery(OrganizerDelegationBase(delegation)+"/suggestions", q)
}

// OrganizerMeetings requests a meeting for a delegation (POST).
func OrganizerMeetings(delegation int64) string {
	return OrganizerDelegationBase(delegation) + "/meetings"
}

// OrganizerMeetingNew is the full meeting request form, for a company
// chosen beforehand (exhibitor 0: none).
func OrganizerMeetingNew(delegation, exhibitor int64) string {
	var q url.Values
	if exhibitor != 0 {
		q = url.Values{"exhibitor": {id(exhibitor)}}
	}
	return withQuery(OrganizerMeetings(delegation)+"/new", q)
}

// OrganizerMeetingProposal takes or turns down a company's proposal of another time (POST).
func OrganizerMeetingProposal(delegation, meeting int64) string {
	return OrganizerMeetings(delegation) + "/" + id(meeting) + "/proposal"
}

// OrganizerMeetingCancel cancels a meeting (POST).
func OrganizerMeetingCancel(delegation, meeting int64) string {
	return OrganizerMeetings(delegation) + "/" + id(meeting) + "/cancel"
}

// OrganizerShare makes a new shared itinerary link, replacing the old one (POST).
func OrganizerShare(delegation int64) string { return OrganizerDelegationBase(delegation) + "/share" }

// OrganizerShareRevoke revokes the shared itinerary link (POST).
func OrganizerShareRevoke(delegation int64) string { return OrganizerShare(delegation) + "/revoke" }

// ExhibitorMeetings lists a company's meetings with delegations.
func ExhibitorMeetings() string { return "/exhibitor/meetings" }

// ExhibitorMeeting is one meeting's page in the exhibitor's portal.
func ExhibitorMeeting(meeting int64) string { return ExhibitorMeetings() + "/" + id(meeting) }

// ExhibitorMeetingAnswer accepts or declines a meeting (POST).
func ExhibitorMeetingAnswer(meeting int64) string { return ExhibitorMeeting(meeting) + "/answer" }

// ExhibitorMeetingPropose proposes another time for a meeting (POST).
func ExhibitorMeetingPropose(meeting int64) string { return ExhibitorMeeting(meeting) + "/propose" }

// SharedItinerary is a delegation's read-only itinerary behind its secret link.
func SharedItinerary(token string) string { return "/d/" + seg(token) }

// SharedItineraryICS is the shared itinerary as a calendar file.
func SharedItineraryICS(token string) string { return SharedItinerary(token) + ".ics" }

// OrganizerWebhooks lists the webhook endpoints; a POST registers one.
func OrganizerWebhooks() string { return "/organizer/webhooks" }

// OrganizerWebhookNew is the form that registers an endpoint.
func OrganizerWebhookNew() string { return "/organizer/webhooks/new" }

// OrganizerWebhook is an endpoint's page (its form and delivery log); a POST saves it.
func OrganizerWebhook(endpoint int64) string { return "/organizer/webhooks/" + id(endpoint) }

// OrganizerWebhookDelete removes an endpoint.
func OrganizerWebhookDelete(endpoint int64) string { return OrganizerWebhook(endpoint) + "/delete" }

// OrganizerWebhookTest sends an endpoint a test event.
func OrganizerWebhookTest(endpoint int64) string { return OrganizerWebhook(endpoint) + "/test" }

// OrganizerWebhookRedeliver sends one delivery of an endpoint again.
func OrganizerWebhookRedeliver(endpoint, delivery int64) string {
	return OrganizerWebhook(endpoint) + "/deliveries/" + id(delivery) + "/redeliver"
}

// The fair draw (issue 9, item 5).

// ExpoDraw is an expo's public draw page: each run draw's seed and time (GET).
func ExpoDraw(expo string) string { return Expo(expo) + "/draw" }

// OrganizerDraw is an expo's draw page for its organizers; POST sets up
// the expo's own draw.
func OrganizerDraw(expo string) string { return OrganizerExpo(expo) + "/draw" }

// OrganizerDrawRun runs the expo's own draw (POST).
func OrganizerDrawRun(expo string) string { return OrganizerDraw(expo) + "/run" }

// OrganizerDrawDelete removes the expo's own draw before it runs (POST).
func OrganizerDrawDelete(expo string) string { return OrganizerDraw(expo) + "/delete" }

// OrganizerPavilionDraw sets up the draw of a pavilion with rules of its own (POST).
func OrganizerPavilionDraw(expo string, pavilion int64) string {
	return OrganizerDraw(expo) + "/pavilions/" + id(pavilion)
}

// OrganizerPavilionDrawRun runs a pavilion's draw (POST).
func OrganizerPavilionDrawRun(expo string, pavilion int64) string {
	return OrganizerPavilionDraw(expo, pavilion) + "/run"
}

// OrganizerPavilionDrawDelete removes a pavilion's draw before it runs (POST).
func OrganizerPavilionDrawDelete(expo string, pavilion int64) string {
	return OrganizerPavilionDraw(expo, pavilion) + "/delete"
}

// ExhibitorDraw is a company's page of an expo's draws: its rankings,
// then its place and why it got what it got.
func ExhibitorDraw(expo string) string { return "/exhibitor/expos/" + seg(expo) + "/draw" }

// ExhibitorDrawRanking saves the company's ranking in a draw (POST).
func ExhibitorDrawRanking(expo string, draw int64) string {
	return "/exhibitor/expos/" + seg(expo) + "/draws/" + id(draw) + "/ranking"
}

// ExhibitorDrawWithdraw withdraws one of the company's rankings (POST).
func ExhibitorDrawWithdraw(request int64) string {
	return "/exhibitor/draw-requests/" + id(request) + "/withdraw"
}
