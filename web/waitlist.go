package web

import (
	"time"

	"expodesk/internal/expodesk"
)

// OfferView is the page of a slot offered to a company from a waitlist.
type OfferView struct {
	Offer  expodesk.Offer
	Now    time.Time
	Notice string // why the last answer did not go through, translated
	Flash  string
}

// Open reports whether the offer can still be answered.
func (v OfferView) Open() bool {
	return v.Offer.Status == expodesk.BookingOffered && v.Now.Before(v.Offer.OfferedUntil)
}

func (v OfferView) zone() *time.Location { return expodesk.LoadLocation(v.Offer.ExpoTimeZone) }
