package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
)

// routes is the whole URL surface of expodesk. Every route declares its
// access rule here; a test walks the router and fails on any route whose
// rule is missing from the route × role matrix.
func (s *Server) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(s.observe, compress(), s.notModifiedEarly, s.securityHeaders, s.sessions.LoadAndSave, s.authenticate, s.locale, s.csrf, s.rememberZone)
	// HEAD is answered like GET (without the body), for link checkers and uptime monitors.
	r.Use(middleware.GetHead)
	r.NotFound(s.notFound)
	r.MethodNotAllowed(s.methodNotAllowed)

	// Operations.
	s.handle(r, "GET", "/livez", Public, s.livez)
	s.handle(r, "GET", "/readyz", Public, s.readyz)
	s.handle(r, "GET", "/static/*", Public, s.static)
	s.handle(r, "GET", "/favicon.ico", Public, s.favicon)
	s.handle(r, "GET", "/robots.txt", Public, s.revalidated(s.robots))
	// Prometheus metrics, on the app port only for a scraper holding
	// METRICS_TOKEN (a bearer token the handler checks); for anyone else,
	// and without the token configured, an unknown path. METRICS_ADDR
	// serves them on a listener of their own (internal/metrics).
	s.handle(r, "GET", "/metrics", Public, s.metricsEndpoint)

	// Visitors (V1–V4); their pages and calendar feeds are served from the page cache when fresh,
	// with an ETag and a public Cache-Control for browsers, proxies and CDNs (conditional.go).
	s.handle(r, "GET", "/", Public, s.cached(s.home))
	s.handle(r, "GET", "/expos/{expo}", Public, s.cached(s.expoShow))
	s.handle(r, "GET", "/expos/{expo}/exhibitors", Public, s.cached(s.directory))
	s.handle(r, "GET", "/expos/{expo}/pavilions/{pavilion}", Public, s.cached(s.directory))
	s.handle(r, "GET", "/expos/{expo}/agenda", Public, s.cached(s.agenda))
	s.handle(r, "GET", "/expos/{expo}/agenda.ics", Public, s.cached(s.agendaICS))
	s.handle(r, "GET", "/expos/{expo}/pavilions/{pavilion}/agenda", Public, s.cached(s.agenda))
	s.handle(r, "GET", "/expos/{expo}/pavilions/{pavilion}/agenda.ics", Public, s.cached(s.agendaICS))
	s.handle(r, "GET", "/exhibitors/{exhibitor}", Public, s.cached(s.exhibitorShow))
	s.handle(r, "GET", "/exhibitors/{exhibitor}/logo", Public, s.exhibitorLogo)
	s.handle(r, "GET", "/exhibitors/{exhibitor}/agenda.ics", Public, s.cached(s.exhibitorICS))

	// The read-only JSON API (A2): the visitors' data for partners' sites,
	// readable from any origin, served from the page cache with ETags.
	s.handle(r, "GET", "/api/v1/expos", Public, s.api(s.apiExpos))
	s.handle(r, "GET", "/api/v1/expos/{expo}", Public, s.api(s.apiExpo))
	s.handle(r, "GET", "/api/v1/expos/{expo}/pavilions", Public, s.api(s.apiPavilions))
	s.handle(r, "GET", "/api/v1/expos/{expo}/pavilions/{pavilion}", Public, s.api(s.apiPavilion))
	s.handle(r, "GET", "/api/v1/expos/{expo}/exhibitors", Public, s.api(s.apiExhibitors))
	s.handle(r, "GET", "/api/v1/expos/{expo}/pavilions/{pavilion}/exhibitors", Public, s.api(s.apiExhibitors))
	s.handle(r, "GET", "/api/v1/expos/{expo}/agenda", Public, s.api(s.apiAgenda))
	s.handle(r, "GET", "/api/v1/expos/{expo}/pavilions/{pavilion}/agenda", Public, s.api(s.apiAgenda))
	s.handle(r, "GET", "/api/v1/exhibitors/{exhibitor}", Public, s.api(s.apiExhibitor))
	s.handle(r, "GET", "/api/v1/exhibitors/{exhibitor}/agenda", Public, s.api(s.apiExhibitorAgenda))
	s.handle(r, "GET", "/api/v1/sectors", Public, s.api(s.apiSectors))
	s.handle(r, "GET", "/api/v1/openapi.json", Public, s.api(s.apiOpenAPI))
	s.handle(r, "OPTIONS", "/api/v1/*", Public, s.apiPreflight)

	// Companies not yet registered (E5): the public application form.
	s.handle(r, "GET", "/expos/{expo}/apply", Public, s.applyForm)
	s.handle(r, "POST", "/expos/{expo}/apply", Public, s.apply)

	// Signing in and out (E1), second factor, password reset, invitations.
	s.handle(r, "GET", "/signin", Public, s.signInForm)
	s.handle(r, "POST", "/signin", Public, s.signIn)
	s.handle(r, "GET", "/signin/totp", Public, s.totpForm)
	s.handle(r, "POST", "/signin/totp", Public, s.totpVerify)
	s.handle(r, "GET", "/signin/totp/setup", Public, s.totpSetupForm)
	s.handle(r, "POST", "/signin/totp/setup", Public, s.totpSetup)
	s.handle(r, "POST", "/signout", SignedIn, s.signOut)
	s.handle(r, "GET", "/password/forgot", Public, s.forgotForm)
	s.handle(r, "POST", "/password/forgot", Public, s.forgot)
	s.handle(r, "GET", "/password/reset/{token}", Public, s.resetForm)
	s.handle(r, "POST", "/password/reset/{token}", Public, s.reset)
	s.handle(r, "GET", "/invitations/{token}", Public, s.invitationForm)
	s.handle(r, "POST", "/invitations/{token}", Public, s.invitationAccept)

	// One's own account.
	s.handle(r, "GET", "/account", SignedIn, s.account)
	s.handle(r, "POST", "/account/profile", SignedIn, s.accountProfile)
	s.handle(r, "POST", "/account/password", SignedIn, s.accountPassword)
	s.handle(r, "GET", "/account/totp", SignedIn, s.totpSetupForm)
	s.handle(r, "POST", "/account/totp", SignedIn, s.totpSetup)
	s.handle(r, "POST", "/account/totp/disable", SignedIn, s.accountTOTPDisable)
	s.handle(r, "POST", "/account/recovery-codes", SignedIn, s.accountRecoveryCodes)

	// Organizers (O3, O5, O6): accounts, audit log, outbox.
	s.handle(r, "GET", "/organizer", OrganizerOnly, s.organizerHome)
	s.handle(r, "GET", "/organizer/users", OrganizerOnly, s.users)
	s.handle(r, "POST", "/organizer/users/invite", OrganizerOnly, s.usersInvite)
	s.handle(r, "POST", "/organizer/users/invite-many", OrganizerOnly, s.usersInviteMany)
	s.handle(r, "POST", "/organizer/users/{user}/disable", OrganizerOnly, s.usersSetDisabled(true))
	s.handle(r, "POST", "/organizer/users/{user}/enable", OrganizerOnly, s.usersSetDisabled(false))
	s.handle(r, "GET", "/organizer/audit", AuditReaders, s.auditLog)
	s.handle(r, "GET", "/organizer/outbox", MailReaders, s.outbox)
	s.handle(r, "GET", "/organizer/outbox/{message}", MailReaders, s.outboxMessage)

	// Organizers: expos, sister links, pavilions (O1)
	s.handle(r, "GET", "/organizer/expos", OrganizerOnly, s.expos)
	s.handle(r, "POST", "/organizer/expos", ExpoManagers, s.expoCreate)
	s.handle(r, "GET", "/organizer/expos/new", ExpoManagers, s.expoNew)
	s.handle(r, "GET", "/organizer/expos/{expo}", ExpoManagers, s.expoEdit)
	s.handle(r, "POST", "/organizer/expos/{expo}", ExpoManagers, s.expoUpdate)
	s.handle(r, "POST", "/organizer/expos/{expo}/archive", ExpoManagers, s.expoSetArchived(true))
	s.handle(r, "POST", "/organizer/expos/{expo}/restore", ExpoManagers, s.expoSetArchived(false))
	s.handle(r, "POST", "/organizer/expos/{expo}/sisters", ExpoManagers, s.expoLinkSister)
	s.handle(r, "POST", "/organizer/expos/{expo}/sisters/{sister}/unlink", ExpoManagers, s.expoUnlinkSister)
	s.handle(r, "GET", "/organizer/expos/{expo}/pavilions/new", ExpoManagers, s.pavilionNew)
	s.handle(r, "POST", "/organizer/expos/{expo}/pavilions", ExpoManagers, s.pavilionCreate)
	s.handle(r, "GET", "/organizer/expos/{expo}/pavilions/{pavilion}", OrganizerOnly, s.pavilionEdit)
	s.handle(r, "POST", "/organizer/expos/{expo}/pavilions/{pavilion}", OrganizerOnly, s.pavilionUpdate)
	s.handle(r, "POST", "/organizer/expos/{expo}/pavilions/{pavilion}/move", ExpoManagers, s.pavilionMove)

	// Organizers: exports (O2, O5). Reads, scoped for a coordinator by the store query.
	s.handle(r, "GET", "/organizer/exhibitors.csv", OrganizerOnly, s.exhibitorsCSV)
	s.handle(r, "GET", "/organizer/exhibitors-template.csv", OrganizerOnly, s.exhibitorsTemplateCSV)
	s.handle(r, "GET", "/organizer/audit.csv", AuditReaders, s.auditCSV)

	// Organizers: the exhibitor spreadsheet import (O2); a coordinator imports their pavilion's rows.
	s.handle(r, "GET", "/organizer/import", OrganizerOnly, s.importForm)
	s.handle(r, "POST", "/organizer/import/preview", OrganizerOnly, s.importPreview, bodyLimit(importBodyLimit))
	s.handle(r, "POST", "/organizer/import/commit", OrganizerOnly, s.importCommit)

	// Organizers: participations (O3)
	s.handle(r, "GET", "/organizer/expos/{expo}/participations", OrganizerOnly, s.participations)
	s.handle(r, "POST", "/organizer/participations/{participation}/status", OrganizerOnly, s.participationSetStatus)
	s.handle(r, "POST", "/organizer/participations/{participation}/placement", OrganizerOnly, s.participationPlace)
	s.handle(r, "POST", "/organizer/expos/{expo}/participations/bulk", OrganizerOnly, s.participationsBulk)
	s.handle(r, "GET", "/organizer/participations/{participation}", OrganizerOnly, s.participationShow)

	// Organizers: an expo's dashboard (O5), a coordinator's of their pavilion only.
	s.handle(r, "GET", "/organizer/expos/{expo}/dashboard", OrganizerOnly, s.dashboard)
	// Organizers: registering a company by form (O2) and a company's page
	// (its profile and identity); a coordinator in their pavilion only.
	s.handle(r, "GET", "/organizer/expos/{expo}/exhibitors/new", OrganizerOnly, s.exhibitorNew)
	s.handle(r, "POST", "/organizer/expos/{expo}/exhibitors", OrganizerOnly, s.exhibitorRegister)
	s.handle(r, "GET", "/organizer/exhibitors/{exhibitor}", OrganizerOnly, s.organizerExhibitor)
	s.handle(r, "POST", "/organizer/exhibitors/{exhibitor}", OrganizerOnly, s.organizerExhibitorSave)
	s.handle(r, "POST", "/organizer/exhibitors/{exhibitor}/identity", OrganizerOnly, s.organizerExhibitorIdentity)

	// Organizers: stages, slot generation, single slots and the booked/free
	// grid (O1, O5 part). A coordinator manages their pavilion's stages only;
	// another pavilion's stage or slot is not found (the service decides).
	s.handle(r, "GET", "/organizer/expos/{expo}/stages", OrganizerOnly, s.stages)
	s.handle(r, "POST", "/organizer/expos/{expo}/stages", OrganizerOnly, s.stageCreate)
	s.handle(r, "GET", "/organizer/expos/{expo}/stages/new", OrganizerOnly, s.stageNew)
	s.handle(r, "GET", "/organizer/expos/{expo}/stages/{stage}", OrganizerOnly, s.stageEdit)
	s.handle(r, "POST", "/organizer/expos/{expo}/stages/{stage}", OrganizerOnly, s.stageUpdate)
	s.handle(r, "POST", "/organizer/expos/{expo}/stages/{stage}/delete", OrganizerOnly, s.stageDelete)
	s.handle(r, "GET", "/organizer/expos/{expo}/stages/{stage}/generate", OrganizerOnly, s.slotsGenerateForm)
	s.handle(r, "POST", "/organizer/expos/{expo}/stages/{stage}/generate", OrganizerOnly, s.slotsGenerate)
	s.handle(r, "GET", "/organizer/expos/{expo}/slots/{slot}", OrganizerOnly, s.slotEdit)
	s.handle(r, "POST", "/organizer/expos/{expo}/slots/{slot}", OrganizerOnly, s.slotUpdate)
	s.handle(r, "POST", "/organizer/expos/{expo}/slots/{slot}/delete", OrganizerOnly, s.slotDelete)
	s.handle(r, "GET", "/organizer/expos/{expo}/grid", OrganizerOnly, s.slotGrid)
	// Organizer control of bookings (O5 part): cancel with a reason, book for a company, move; the agenda as CSV.
	s.handle(r, "POST", "/organizer/expos/{expo}/slots/{slot}/cancel", OrganizerOnly, s.slotCancelBooking)
	s.handle(r, "POST", "/organizer/expos/{expo}/slots/{slot}/book", OrganizerOnly, s.slotBookFor)
	s.handle(r, "POST", "/organizer/expos/{expo}/slots/{slot}/move", OrganizerOnly, s.slotMoveBooking)
	s.handle(r, "GET", "/organizer/expos/{expo}/agenda.csv", OrganizerOnly, s.agendaCSV)

	// Organizers: delegations and their members (O4). A coordinator manages
	// the visits their pavilion hosts; another's is not found (the service decides).
	s.handle(r, "GET", "/organizer/expos/{expo}/delegations", OrganizerOnly, s.delegations)
	s.handle(r, "POST", "/organizer/expos/{expo}/delegations", OrganizerOnly, s.delegationCreate)
	s.handle(r, "GET", "/organizer/expos/{expo}/delegations/new", OrganizerOnly, s.delegationNew)
	s.handle(r, "GET", "/organizer/expos/{expo}/delegations/letters", OrganizerOnly, s.delegationLetters)
	s.handle(r, "GET", "/organizer/expos/{expo}/delegations.csv", OrganizerOnly, s.delegationsCSV)
	s.handle(r, "GET", "/organizer/delegations/{delegation}", OrganizerOnly, s.delegationShow)
	s.handle(r, "POST", "/organizer/delegations/{delegation}", OrganizerOnly, s.delegationUpdate)
	s.handle(r, "GET", "/organizer/delegations/{delegation}/edit", OrganizerOnly, s.delegationEdit)
	s.handle(r, "POST", "/organizer/delegations/{delegation}/status", OrganizerOnly, s.delegationSetStatus)
	s.handle(r, "POST", "/organizer/delegations/{delegation}/members", OrganizerOnly, s.memberAdd)
	s.handle(r, "GET", "/organizer/delegations/{delegation}/members/{member}", OrganizerOnly, s.memberEdit)
	s.handle(r, "POST", "/organizer/delegations/{delegation}/members/{member}", OrganizerOnly, s.memberUpdate)
	s.handle(r, "POST", "/organizer/delegations/{delegation}/members/{member}/move", OrganizerOnly, s.memberMove)
	s.handle(r, "POST", "/organizer/delegations/{delegation}/members/{member}/remove", OrganizerOnly, s.memberRemove)
	s.handle(r, "POST", "/organizer/delegations/{delegation}/members/{member}/erase", OrganizerOnly, s.memberErase)

	// Exhibitors (E2): the company's team.
	s.handle(r, "GET", "/exhibitor", ExhibitorOnly, s.team)
	s.handle(r, "POST", "/exhibitor/team/invite", ExhibitorOnly, s.teamInvite)
	s.handle(r, "POST", "/exhibitor/team/{user}/remove", ExhibitorOnly, s.teamRemove)
	s.handle(r, "POST", "/exhibitor/team/invitations/{invitation}/cancel", ExhibitorOnly, s.teamInvitationCancel)

	// Exhibitors (E2): the company profile and logo.
	s.handle(r, "GET", "/exhibitor/profile", ExhibitorOnly, s.profile)
	s.handle(r, "POST", "/exhibitor/profile", ExhibitorOnly, s.profileSave)
	s.handle(r, "GET", "/exhibitor/logo", ExhibitorOnly, s.ownLogo)
	s.handle(r, "POST", "/exhibitor/logo", ExhibitorOnly, s.logoUpload, bodyLimit(logoBodyLimit))
	s.handle(r, "POST", "/exhibitor/logo/delete", ExhibitorOnly, s.logoDelete)

	// Exhibitors (E3): booking roadshow slots; organizers: the booking
	// rules of an expo and its pavilions. Another company's booking, or a
	// coordinator's other pavilion, is not found (the service decides).
	s.handle(r, "GET", "/exhibitor/bookings", ExhibitorOnly, s.bookings)
	s.handle(r, "GET", "/exhibitor/bookings/{booking}", ExhibitorOnly, s.bookingEdit)
	s.handle(r, "POST", "/exhibitor/bookings/{booking}", ExhibitorOnly, s.bookingSave)
	s.handle(r, "POST", "/exhibitor/bookings/{booking}/cancel", ExhibitorOnly, s.bookingCancel)
	s.handle(r, "GET", "/exhibitor/expos/{expo}/slots", ExhibitorOnly, s.bookingSlots)
	s.handle(r, "POST", "/exhibitor/expos/{expo}/slots/{slot}/book", ExhibitorOnly, s.bookSlot)
	// Waitlists: join a slot's line, leave it, answer a slot offered from it.
	s.handle(r, "POST", "/exhibitor/expos/{expo}/slots/{slot}/waitlist", ExhibitorOnly, s.waitlistJoin)
	s.handle(r, "POST", "/exhibitor/waitlist/{entry}/leave", ExhibitorOnly, s.waitlistLeave)
	s.handle(r, "GET", "/exhibitor/offers/{booking}", ExhibitorOnly, s.offer)
	s.handle(r, "POST", "/exhibitor/offers/{booking}/accept", ExhibitorOnly, s.offerAnswer(true))
	s.handle(r, "POST", "/exhibitor/offers/{booking}/decline", ExhibitorOnly, s.offerAnswer(false))
	s.handle(r, "GET", "/organizer/expos/{expo}/booking-rules", OrganizerOnly, s.bookingRules)
	s.handle(r, "POST", "/organizer/expos/{expo}/booking-rules", ExpoManagers, s.bookingRulesSave)
	s.handle(r, "POST", "/organizer/expos/{expo}/booking-rules/pavilions/{pavilion}", OrganizerOnly, s.pavilionRulesSave)
	s.handle(r, "POST", "/organizer/expos/{expo}/booking-rules/pavilions/{pavilion}/delete", OrganizerOnly, s.pavilionRulesDelete)

	// Organizers: a delegation's itinerary, suggested visits, meetings and
	// shared link (O4); exhibitors: their meetings with delegations (E4).
	// Another delegation, or another company's meeting, is not found (the
	// service decides); the shared link is public and secret.
	s.handle(r, "GET", "/organizer/delegations/{delegation}/itinerary", OrganizerOnly, s.itinerary)
	s.handle(r, "POST", "/organizer/delegations/{delegation}/itinerary", OrganizerOnly, s.itineraryAdd)
	s.handle(r, "GET", "/organizer/delegations/{delegation}/itinerary/new", OrganizerOnly, s.itineraryNew)
	s.handle(r, "GET", "/organizer/delegations/{delegation}/itinerary/{item}", OrganizerOnly, s.itineraryItemEdit)
	s.handle(r, "POST", "/organizer/delegations/{delegation}/itinerary/{item}", OrganizerOnly, s.itineraryItemUpdate)
	s.handle(r, "POST", "/organizer/delegations/{delegation}/itinerary/{item}/delete", OrganizerOnly, s.itineraryItemDelete)
	s.handle(r, "GET", "/organizer/delegations/{delegation}/suggestions", OrganizerOnly, s.suggestions)
	s.handle(r, "GET", "/organizer/delegations/{delegation}/meetings/new", OrganizerOnly, s.meetingNew)
	s.handle(r, "POST", "/organizer/delegations/{delegation}/meetings", OrganizerOnly, s.meetingRequest)
	s.handle(r, "POST", "/organizer/delegations/{delegation}/meetings/{meeting}/proposal", OrganizerOnly, s.meetingProposal)
	s.handle(r, "POST", "/organizer/delegations/{delegation}/meetings/{meeting}/cancel", OrganizerOnly, s.meetingCancel)
	s.handle(r, "POST", "/organizer/delegations/{delegation}/share", OrganizerOnly, s.shareCreate)
	s.handle(r, "POST", "/organizer/delegations/{delegation}/share/revoke", OrganizerOnly, s.shareRevoke)
	s.handle(r, "GET", "/exhibitor/meetings", ExhibitorOnly, s.companyMeetings)
	s.handle(r, "GET", "/exhibitor/meetings/{meeting}", ExhibitorOnly, s.companyMeeting)
	s.handle(r, "POST", "/exhibitor/meetings/{meeting}/answer", ExhibitorOnly, s.companyMeetingAnswer)
	s.handle(r, "POST", "/exhibitor/meetings/{meeting}/propose", ExhibitorOnly, s.companyMeetingPropose)
	s.handle(r, "GET", "/d/{token}", Public, s.sharedItinerary)

	// Organizers: webhook endpoints and their delivery logs (A3), expo-wide organizers only.
	s.handle(r, "GET", "/organizer/webhooks", WebhookManagers, s.webhooks)
	s.handle(r, "POST", "/organizer/webhooks", WebhookManagers, s.webhookCreate)
	s.handle(r, "GET", "/organizer/webhooks/new", WebhookManagers, s.webhookNew)
	s.handle(r, "GET", "/organizer/webhooks/{endpoint}", WebhookManagers, s.webhookEdit)
	s.handle(r, "POST", "/organizer/webhooks/{endpoint}", WebhookManagers, s.webhookUpdate)
	s.handle(r, "POST", "/organizer/webhooks/{endpoint}/delete", WebhookManagers, s.webhookDelete)
	s.handle(r, "POST", "/organizer/webhooks/{endpoint}/test", WebhookManagers, s.webhookTest)
	s.handle(r, "POST", "/organizer/webhooks/{endpoint}/deliveries/{delivery}/redeliver", WebhookManagers, s.webhookRedeliver)
	s.handle(r, "GET", "/d/{token}.ics", Public, s.sharedICS)
	// The fair draw (issue 9, item 5): organizers set up and run a scope's
	// draw (a coordinator their pavilion's), companies rank slots and read
	// why they got what they got, anyone reads the seeds (a page the page
	// cache does not keep: the draw's tables send no notifications).
	s.handle(r, "GET", "/expos/{expo}/draw", Public, s.revalidated(s.expoDraw))
	s.handle(r, "GET", "/organizer/expos/{expo}/draw", OrganizerOnly, s.organizerDraw)
	s.handle(r, "POST", "/organizer/expos/{expo}/draw", ExpoManagers, s.organizerDrawSave)
	s.handle(r, "POST", "/organizer/expos/{expo}/draw/run", ExpoManagers, s.organizerDrawRun)
	s.handle(r, "POST", "/organizer/expos/{expo}/draw/delete", ExpoManagers, s.organizerDrawDelete)
	s.handle(r, "POST", "/organizer/expos/{expo}/draw/pavilions/{pavilion}", OrganizerOnly, s.organizerDrawSave)
	s.handle(r, "POST", "/organizer/expos/{expo}/draw/pavilions/{pavilion}/run", OrganizerOnly, s.organizerDrawRun)
	s.handle(r, "POST", "/organizer/expos/{expo}/draw/pavilions/{pavilion}/delete", OrganizerOnly, s.organizerDrawDelete)
	s.handle(r, "GET", "/exhibitor/expos/{expo}/draw", ExhibitorOnly, s.exhibitorDraw)
	s.handle(r, "POST", "/exhibitor/expos/{expo}/draws/{draw}/ranking", ExhibitorOnly, s.exhibitorDrawRanking)
	s.handle(r, "POST", "/exhibitor/draw-requests/{request}/withdraw", ExhibitorOnly, s.exhibitorDrawWithdraw)

	return r
}

// handle registers a route with its access rule and options (its own body
// cap); a route without one takes defaultBodyLimit.
func (s *Server) handle(r chi.Router, method, pattern string, a Access, h http.HandlerFunc, opts ...routeOption) {
	spec := routeSpec{bodyLimit: defaultBodyLimit}
	for _, o := range opts {
		o(&spec)
	}
	s.access[method+" "+pattern] = a
	r.With(s.limitBody(spec.bodyLimit), s.require(a)).Method(method, pattern, h)
}
