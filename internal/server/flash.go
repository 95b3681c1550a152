package server

import (
	"net/http"

	"github.com/a-h/templ"

	"expodesk/internal/expodesk"
	"expodesk/web"
)

// flashKey is the catalog key of a one-time message shown after a redirect.
type flashKey string

// The one-time messages.
const (
	flashSaved               flashKey = "account.saved"
	flashPasswordChanged     flashKey = "account.password_changed"
	flashTOTPDisabled        flashKey = "account.totp_disabled"
	flashSignedOut           flashKey = "auth.signed_out"
	flashInvited             flashKey = "users.invited"
	flashUserEnabled         flashKey = "user.enabled"
	flashUserDisabled        flashKey = "user.disabled"
	flashPasswordReset       flashKey = "auth.password_reset_done"
	flashTeamRemoved         flashKey = "team.removed"
	flashInvitationCancelled flashKey = "team.invitation_cancelled"
	flashProfileSaved        flashKey = "profile.saved"
	flashLogoSaved           flashKey = "profile.logo_saved"
	flashLogoRemoved         flashKey = "profile.logo_removed"
	flashExpoSaved           flashKey = "expos.saved"
	flashParticipationSaved  flashKey = "participations.saved"
	flashImported            flashKey = "import.committed"
	flashStageSaved          flashKey = "stages.saved"
	flashStageDeleted        flashKey = "stages.deleted"
	flashSlotsGenerated      flashKey = "slots.generated"
	flashSlotSaved           flashKey = "slots.saved"
	flashSlotDeleted         flashKey = "slots.deleted"
)

// submission is the outcome of a form handed to a service operation.
type submission struct {
	f   *form
	err error
	// page renders the form's page again with what was typed and its
	// problems, for a 422.
	page func(web.FormState) (templ.Component, error)
	// done is where a successful submission goes (303), with flash.
	done  string
	flash flashKey
}

// finish ends a form submission the one way every form does: success sets
// the flash and redirects with 303; problems with the input (the form's own,
// or the operation's field-level ones) show the same page again with 422,
// the typed values and each problem at its field; any other error is the
// error page (a 429 with Retry-After when throttled).
func (s *Server) finish(w http.ResponseWriter, r *http.Request, sub submission) {
	if sub.err == nil && sub.f.err() == nil {
		if sub.flash != "" {
			s.flash(r.Context(), sub.flash)
		}
		http.Redirect(w, r, sub.done, http.StatusSeeOther)
		return
	}
	if sub.err != nil && !sub.f.absorb(sub.err) {
		s.renderThrottledOrError(w, r, sub.err)
		return
	}
	c, err := sub.page(web.FormState{Values: sub.f.Values, Problems: sub.f.Problems})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusUnprocessableEntity, c)
}

// renderThrottledOrError is renderError, with Retry-After for a throttled request.
func (s *Server) renderThrottledOrError(w http.ResponseWriter, r *http.Request, err error) {
	if e := expodesk.ErrorOf(err); e != nil && e.Code == expodesk.ETOOMANYREQUEST {
		s.renderThrottled(w, r, err)
		return
	}
	s.renderError(w, r, err)
}

// The one-time messages of booking (E3).
const (
	flashBooked            flashKey = "booking.booked"
	flashBookingSaved      flashKey = "booking.saved"
	flashBookingCancelled  flashKey = "booking.cancelled"
	flashBookingRulesSaved flashKey = "booking.rules_saved"
)
