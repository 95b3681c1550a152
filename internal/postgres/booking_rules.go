package postgres

import (
	"context"
	"errors"

	"expodesk/internal/expodesk"
)

const expoRulesColumns = `e.id AS expo_id, NULL::bigint AS pavilion_id, e.booking_opens_at AS opens_at,
	e.booking_closes_at AS closes_at, e.slot_quota, e.cancel_hours_before,
	coalesce(e.booking_title_lang, '') AS title_lang, e.booking_texts_due_at AS texts_due_at,
	e.waitlist_offer_hours`

const expoRulesSelect = `SELECT ` + expoRulesColumns + ` FROM expo e `

const pavilionRulesSelect = `SELECT r.expo_id, r.pavilion_id, r.opens_at, r.closes_at, r.slot_quota,
	r.cancel_hours_before, coalesce(r.title_lang, '') AS title_lang, r.texts_due_at, r.waitlist_offer_hours
	FROM pavilion_booking_rule r `

// BookingRulesOfExpo returns an expo's own booking rules.
func (s *Store) BookingRulesOfExpo(ctx context.Context, expoID int64) (expodesk.BookingRules, error) {
	return one[expodesk.BookingRules](ctx, s.db, "get expo's booking rules", expoRulesSelect+`WHERE e.id = $1`, expoID)
}

// BookingRulesOfPavilions returns the rules of an expo's pavilions that
// have rules of their own.
func (s *Store) BookingRulesOfPavilions(ctx context.Context, expoID int64) ([]expodesk.BookingRules, error) {
	return collect[expodesk.BookingRules](ctx, s.db, "list pavilions' booking rules",
		pavilionRulesSelect+`WHERE r.expo_id = $1 ORDER BY r.pavilion_id`, expoID)
}

// BookingRulesFor returns the rules that govern the stages of a pavilion
// (nil: expo-wide stages): the pavilion's own when it has some, else the expo's.
func (s *Store) BookingRulesFor(ctx context.Context, expoID int64, pavilionID *int64) (expodesk.BookingRules, error) {
	if pavilionID != nil {
		r, err := one[expodesk.BookingRules](ctx, s.db, "get pavilion's booking rules",
			pavilionRulesSelect+`WHERE r.pavilion_id = $1 AND r.expo_id = $2`, *pavilionID, expoID)
		if !errors.Is(err, expodesk.ErrNotFound) {
			return r, err
		}
	}
	return s.BookingRulesOfExpo(ctx, expoID)
}

// BookingRulesSetExpo replaces an expo's own booking rules.
func (s *Store) BookingRulesSetExpo(ctx context.Context, r expodesk.BookingRules) (expodesk.BookingRules, error) {
	return one[expodesk.BookingRules](ctx, s.db, "set expo's booking rules",
		`UPDATE expo e SET booking_opens_at = $2, booking_closes_at = $3, slot_quota = $4,
			cancel_hours_before = $5, booking_title_lang = nullif($6, ''), booking_texts_due_at = $7,
			waitlist_offer_hours = $8, updated_at = now()
		WHERE e.id = $1 RETURNING `+expoRulesColumns,
		r.ExpoID, r.OpensAt, r.ClosesAt, r.SlotQuota, r.CancelHoursBefore, string(r.TitleLang), r.TextsDueAt, r.WaitlistOfferHours)
}

// BookingRulesSetPavilion gives a pavilion rules of its own, or replaces them.
func (s *Store) BookingRulesSetPavilion(ctx context.Context, r expodesk.BookingRules) (expodesk.BookingRules, error) {
	return one[expodesk.BookingRules](ctx, s.db, "set pavilion's booking rules",
		`INSERT INTO pavilion_booking_rule AS r (pavilion_id, expo_id, opens_at, closes_at, slot_quota,
			cancel_hours_before, title_lang, texts_due_at, waitlist_offer_hours)
		VALUES ($1, $2, $3, $4, $5, $6, nullif($7, ''), $8, $9)
		ON CONFLICT (pavilion_id) DO UPDATE SET opens_at = EXCLUDED.opens_at, closes_at = EXCLUDED.closes_at,
			slot_quota = EXCLUDED.slot_quota, cancel_hours_before = EXCLUDED.cancel_hours_before,
			title_lang = EXCLUDED.title_lang, texts_due_at = EXCLUDED.texts_due_at,
			waitlist_offer_hours = EXCLUDED.waitlist_offer_hours, updated_at = now()
		RETURNING r.expo_id, r.pavilion_id, r.opens_at, r.closes_at, r.slot_quota,
			r.cancel_hours_before, coalesce(r.title_lang, '') AS title_lang, r.texts_due_at, r.waitlist_offer_hours`,
		*r.PavilionID, r.ExpoID, r.OpensAt, r.ClosesAt, r.SlotQuota, r.CancelHoursBefore, string(r.TitleLang), r.TextsDueAt,
		r.WaitlistOfferHours)
}

// BookingRulesDeletePavilion puts a pavilion's stages back under the
// expo's rules; it reports whether the pavilion had rules of its own.
func (s *Store) BookingRulesDeletePavilion(ctx context.Context, pavilionID int64) (bool, error) {
	tag, err := s.db.Exec(ctx, `DELETE FROM pavilion_booking_rule WHERE pavilion_id = $1`, pavilionID)
	if err != nil {
		return false, translate(err, "delete pavilion's booking rules")
	}
	return tag.RowsAffected() == 1, nil
}
