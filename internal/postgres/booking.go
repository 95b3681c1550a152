package postgres

import (
	"context"

	"expodesk/internal/expodesk"
)

const bookingColumns = `id, slot_id, exhibitor_id, title, abstract, lang, status, created_at`

// BookingCreate records an active booking of a slot. A slot that already has
// an active booking is a conflict (the partial unique index decides).
func (s *Store) BookingCreate(ctx context.Context, b expodesk.Booking, by *int64) (expodesk.Booking, error) {
	if err := b.Validate(); err != nil {
		return b, err
	}
	if b.Lang == "" {
		b.Lang = expodesk.EN
	}
	return one[expodesk.Booking](ctx, s.db, "create booking",
		`INSERT INTO booking (slot_id, exhibitor_id, title, abstract, lang, created_by)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING `+bookingColumns,
		b.SlotID, b.ExhibitorID, b.Title, b.Abstract, b.Lang, by)
}
