package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"expodesk/internal/expodesk"
	"expodesk/internal/urls"
	"expodesk/web"
)

// Waitlists of booked slots (issue 9, item 4): a company joins the line of
// a slot another company holds from the expo's slots page, sees its places
// in line and the slots offered to it on its bookings page, and accepts or
// declines an offer on the offer's page (linked from the offer's mail).
// Nothing of it is public. Every rule is the service's.

// The one-time messages of waitlists.
const (
	flashWaitlistJoined flashKey = "waitlist.joined"
	flashWaitlistLeft   flashKey = "waitlist.left"
	flashOfferAccepted  flashKey = "waitlist.offer_accepted"
	flashOfferDeclined  flashKey = "waitlist.offer_declined"
)

// expireOffers lapses the offers that have run out before a page shows
// slots or offers, so that a page never shows one as standing; the
// sweeper (RunOfferSweeper) does the same without a request.
func (s *Server) expireOffers(r *http.Request) {
	if _, err := s.svc.ExpireOffers(r.Context()); err != nil {
		s.log.WarnContext(r.Context(), "expire waitlist offers", "err", err)
	}
}

// waitlistOfCompany fills the bookings page's offers and places in line.
func (s *Server) waitlistOfCompany(r *http.Request, v *web.BookingsView) error {
	s.expireOffers(r)
	company := principal(r).ExhibitorID
	var err error
	if v.Offers, err = s.store.OffersOfExhibitor(r.Context(), company); err != nil {
		return err
	}
	v.Waitlist, err = s.store.WaitlistOfExhibitor(r.Context(), company)
	return err
}

// isRuleNotice reports whether err is a rule of booking or the waitlist
// that a page says in a sentence, rather than an error page.
func isRuleNotice(err error) (*expodesk.Error, bool) {
	e := expodesk.ErrorOf(err)
	if e == nil || e.Code == expodesk.ENOTFOUND || e.Code == expodesk.EUNAUTHORIZED {
		return e, false
	}
	return e, len(e.Problems) > 0 || strings.HasPrefix(e.Message, "booking.") || strings.HasPrefix(e.Message, "waitlist.")
}

// waitlistJoin puts the company in a slot's line; a rule that stands in
// the way (a free slot: book it instead) shows the slots again with why.
func (s *Server) waitlistJoin(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	expo, f, ok := loadedForm(s, w, r, s.urlExpo)
	if !ok {
		return
	}
	var err error
	// Texts are optional: the slots page sends none (to be announced).
	in := expodesk.BookingText{Titles: f.texts("title", expodesk.MaxBookingTitleLen, false),
		Abstracts: f.paragraphsIn("abstract", expodesk.MaxBookingAbstractLen)}
	err = f.err()
	if err == nil {
		slotID, _ := strconv.ParseInt(chi.URLParam(r, "slot"), 10, 64)
		_, err = s.svc.JoinWaitlist(ctx, s.caller(r), expo.ID, slotID, in)
	}
	if err == nil {
		s.flash(ctx, flashWaitlistJoined)
		http.Redirect(w, r, urls.ExhibitorSlots(expo.Slug, nil), http.StatusSeeOther)
		return
	}
	e, notice := isRuleNotice(err)
	if !notice {
		s.renderError(w, r, err)
		return
	}
	v, verr := s.bookingSlotsView(r, expo)
	if verr != nil {
		s.renderError(w, r, verr)
		return
	}
	v.Notice = web.BookingMessage(ctx, e, expo.Location())
	if len(e.Problems) > 0 {
		v.Notice = web.T(ctx, "waitlist.texts_invalid")
	}
	s.render(w, r, statusOf(e.Code), s.bookingSlotsPage(r, v))
}

// waitlistLeave takes the company out of a slot's line.
func (s *Server) waitlistLeave(w http.ResponseWriter, r *http.Request) {
	if _, err := parseForm(w, r); err != nil {
		s.renderError(w, r, err)
		return
	}
	id, _ := strconv.ParseInt(chi.URLParam(r, "entry"), 10, 64)
	if err := s.svc.LeaveWaitlist(r.Context(), s.caller(r), id); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.flash(r.Context(), flashWaitlistLeft)
	http.Redirect(w, r, urls.ExhibitorBookings(), http.StatusSeeOther)
}

// urlOffer is the caller's company's offer the URL names; another
// company's, or a booking never offered, is not found. An offer accepted
// since is its booking (ok false: the caller goes there).
func (s *Server) urlOffer(w http.ResponseWriter, r *http.Request) (expodesk.Offer, bool) {
	ctx := r.Context()
	raw := chi.URLParam(r, "booking")
	id, _ := strconv.ParseInt(raw, 10, 64)
	company := principal(r).ExhibitorID
	o, err := s.store.OfferOfExhibitor(ctx, company, id)
	if errors.Is(err, expodesk.ErrNotFound) {
		if b, berr := s.store.BookingRowOfExhibitor(ctx, company, id); berr == nil && b.Status == expodesk.BookingActive {
			http.Redirect(w, r, urls.ExhibitorBooking(b.ID), http.StatusSeeOther)
			return o, false
		}
		s.authorizationFailed(r, "booking", raw)
	}
	if err != nil {
		s.renderError(w, r, err)
		return o, false
	}
	return o, true
}

func (s *Server) renderOffer(w http.ResponseWriter, r *http.Request, status int, v web.OfferView) {
	s.render(w, r, status, web.OfferPage(web.Page{Title: web.T(r.Context(), "waitlist.offer_title")}, v))
}

// offer shows a slot offered to the company, until when, and the buttons
// to accept or decline it.
func (s *Server) offer(w http.ResponseWriter, r *http.Request) {
	s.expireOffers(r)
	o, ok := s.urlOffer(w, r)
	if !ok {
		return
	}
	s.renderOffer(w, r, http.StatusOK, web.OfferView{Offer: o, Now: s.now(), Flash: s.popFlash(r)})
}

// offerAnswer accepts (to the booking's page) or declines (to the
// bookings page) an offer; a rule that stands in the way — it ran out,
// the quota is reached — is said on the offer's page.
func (s *Server) offerAnswer(accept bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		o, ok := s.urlOffer(w, r)
		if !ok {
			return
		}
		if _, err := parseForm(w, r); err != nil {
			s.renderError(w, r, err)
			return
		}
		var err error
		if accept {
			var b expodesk.Booking
			if b, err = s.svc.AcceptOffer(ctx, s.caller(r), o.ID); err == nil {
				s.flash(ctx, flashOfferAccepted)
				http.Redirect(w, r, urls.ExhibitorBooking(b.ID), http.StatusSeeOther)
				return
			}
		} else if err = s.svc.DeclineOffer(ctx, s.caller(r), o.ID); err == nil {
			s.flash(ctx, flashOfferDeclined)
			http.Redirect(w, r, urls.ExhibitorBookings(), http.StatusSeeOther)
			return
		}
		e, notice := isRuleNotice(err)
		if !notice {
			s.renderError(w, r, err)
			return
		}
		if fresh, ferr := s.store.OfferOfExhibitor(ctx, principal(r).ExhibitorID, o.ID); ferr == nil {
			o = fresh
		}
		s.renderOffer(w, r, statusOf(e.Code), web.OfferView{Offer: o, Now: s.now(),
			Notice: web.BookingMessage(ctx, e, expodesk.LoadLocation(o.ExpoTimeZone))})
	}
}

// RunOfferSweeper lapses waitlist offers that have run out, and passes
// their slots on, every interval until ctx ends. Every instance may run
// it: each offer is taken with FOR UPDATE SKIP LOCKED, so two sweepers
// never work on the same one.
func (s *Server) RunOfferSweeper(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if n, err := s.svc.ExpireOffers(ctx); err != nil && ctx.Err() == nil {
			s.log.WarnContext(ctx, "expire waitlist offers", "err", err)
		} else if n > 0 {
			s.log.InfoContext(ctx, "waitlist offers expired", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
