package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"expodesk/internal/expodesk"
	"expodesk/internal/postgres"
	"expodesk/internal/testdb"
)

// allSectors marks every sector code the migrations insert as known.
var allSectors = map[string]bool{
	"sensors": true, "cloud": true, "industrial-internet": true, "internet-of-vehicles": true,
	"smart-city": true, "smart-home": true, "ai": true, "integrated-circuits": true, "energy": true,
	"security": true, "connectivity": true, "healthcare": true, "logistics": true, "agriculture": true,
}

// visitorStore is a store over a fresh database with the test's helpers.
type visitorStore struct {
	t      *testing.T
	ctx    context.Context
	s      *postgres.Store
	pool   *pgxpool.Pool
	madrid *time.Location
}

func newVisitorStore(t *testing.T) *visitorStore {
	t.Helper()
	s, pool := testdb.Store(t, time.Now)
	madrid, err := time.LoadLocation("Europe/Madrid")
	if err != nil {
		t.Fatal(err)
	}
	return &visitorStore{t: t, ctx: context.Background(), s: s, pool: pool, madrid: madrid}
}

func (v *visitorStore) must(err error) {
	v.t.Helper()
	if err != nil {
		v.t.Fatal(err)
	}
}

// expo creates an expo with the given slug in Barcelona (or Wuxi for a "wiot" prefix).
func (v *visitorStore) expo(slug string) expodesk.Expo {
	v.t.Helper()
	e := expodesk.Expo{Slug: slug, Name: expodesk.Text{EN: "Expo " + slug}, City: expodesk.Text{EN: "Barcelona"},
		Country: "ES", TimeZone: "Europe/Madrid",
		FirstDay: time.Date(2027, 5, 11, 0, 0, 0, 0, time.UTC), LastDay: time.Date(2027, 5, 13, 0, 0, 0, 0, time.UTC),
		SlotQuota: 2, CancelHoursBefore: 48}
	out, err := v.s.ExpoCreate(v.ctx, e)
	v.must(err)
	return out
}

func (v *visitorStore) pavilion(expoID int64, slug string) expodesk.Pavilion {
	v.t.Helper()
	out, err := v.s.PavilionCreate(v.ctx, expodesk.Pavilion{ExpoID: expoID, Slug: slug, Name: expodesk.Text{EN: "Pavilion " + slug}})
	v.must(err)
	return out
}

func (v *visitorStore) exhibitor(e expodesk.Exhibitor) expodesk.Exhibitor {
	v.t.Helper()
	if e.LegalName == "" {
		e.LegalName = e.Slug
	}
	if e.Country == "" {
		e.Country = "ES"
	}
	if e.Name.IsZero() {
		e.Name = expodesk.Text{EN: e.Slug}
	}
	out, err := v.s.ExhibitorCreate(v.ctx, e, allSectors)
	v.must(err)
	return out
}

// join makes the exhibitor take part in the expo with the given status.
func (v *visitorStore) join(expoID, exhibitorID int64, pavilionID *int64, status expodesk.ParticipationStatus) {
	v.t.Helper()
	_, err := v.s.ParticipationCreate(v.ctx, expodesk.Participation{ExpoID: expoID, ExhibitorID: exhibitorID,
		PavilionID: pavilionID, Status: status})
	v.must(err)
}

func (v *visitorStore) stage(expoID int64, pavilionID *int64, slug string, position int) expodesk.Stage {
	v.t.Helper()
	out, err := v.s.StageCreate(v.ctx, expodesk.Stage{ExpoID: expoID, PavilionID: pavilionID, Slug: slug,
		Name: expodesk.Text{EN: "Stage " + slug}, Position: position})
	v.must(err)
	return out
}

// slot creates a slot on the stage starting at hh:mm Madrid time on 11 May 2027.
func (v *visitorStore) slot(stageID int64, hh, mm, minutes int) expodesk.Slot {
	v.t.Helper()
	start := time.Date(2027, 5, 11, hh, mm, 0, 0, v.madrid)
	out, err := v.s.SlotCreate(v.ctx, expodesk.Slot{StageID: stageID, StartsAt: start, EndsAt: start.Add(time.Duration(minutes) * time.Minute)})
	v.must(err)
	return out
}

func (v *visitorStore) book(slotID, exhibitorID int64, title string) expodesk.Booking {
	v.t.Helper()
	out, err := v.s.BookingCreate(v.ctx, expodesk.Booking{SlotID: slotID, ExhibitorID: exhibitorID, Title: title}, nil)
	v.must(err)
	return out
}

// exec runs raw SQL, for what the store has no call for (cancelling a booking).
func (v *visitorStore) exec(sql string, args ...any) {
	v.t.Helper()
	_, err := v.pool.Exec(v.ctx, sql, args...)
	v.must(err)
}

// wantCode fails unless err carries the domain error code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := expodesk.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}
