package postgres_test

import (
	"context"
	"testing"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/postgres"
	"expodesk/internal/testdb"
)

// delegationFixture is an expo with a pavilion, an exhibitor and a slot: what
// a delegation's itinerary and meetings point at.
type delegationFixture struct {
	expo      expodesk.Expo
	pavilion  expodesk.Pavilion
	exhibitor expodesk.Exhibitor
	slot      expodesk.Slot
}

func newDelegationFixture(t *testing.T, s *postgres.Store) delegationFixture {
	t.Helper()
	ctx := context.Background()
	var f delegationFixture
	var err error
	f.expo, err = s.ExpoCreate(ctx, expodesk.Expo{Slug: "fair", Name: expodesk.Text{EN: "Fair"},
		City: expodesk.Text{EN: "Barcelona"}, Country: "ES", TimeZone: "Europe/Madrid",
		FirstDay: time.Date(2027, 5, 11, 0, 0, 0, 0, time.UTC), LastDay: time.Date(2027, 5, 13, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	f.pavilion, err = s.PavilionCreate(ctx, expodesk.Pavilion{ExpoID: f.expo.ID, Slug: "hall", Name: expodesk.Text{EN: "Hall"}})
	if err != nil {
		t.Fatal(err)
	}
	f.exhibitor, err = s.ExhibitorCreate(ctx, expodesk.Exhibitor{Slug: "acme", LegalName: "Acme", Name: expodesk.Text{EN: "Acme"},
		Country: "ES"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := s.StageCreate(ctx, expodesk.Stage{ExpoID: f.expo.ID, PavilionID: &f.pavilion.ID, Slug: "stage", Name: expodesk.Text{EN: "Stage"}})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2027, 5, 11, 10, 0, 0, 0, f.expo.Location())
	f.slot, err = s.SlotCreate(ctx, expodesk.Slot{StageID: st.ID, StartsAt: start, EndsAt: start.Add(30 * time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestDelegationCreate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := testdb.Store(t, time.Now)
	f := newDelegationFixture(t, s)
	arrives := time.Date(2027, 5, 10, 16, 0, 0, 0, f.expo.Location())

	t.Run("OK", func(t *testing.T) {
		d, err := s.DelegationCreate(ctx, expodesk.Delegation{ExpoID: f.expo.ID, Name: expodesk.Text{EN: "Wuxi delegation"},
			Origin: "Wuxi Municipal Government", Kind: expodesk.KindGovernment, Leader: "王伟",
			HomeTimeZone: "Asia/Shanghai", ArrivesAt: arrives, DepartsAt: arrives.Add(72 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if d.ID == 0 || d.Status != expodesk.DelegationPlanned || d.Lang != expodesk.EN || !d.ArrivesAt.Equal(arrives) {
			t.Errorf("got %+v, want an id, status planned, lang en and the arrival kept", d)
		}
	})
	t.Run("ErrInvalidDates", func(t *testing.T) {
		_, err := s.DelegationCreate(ctx, expodesk.Delegation{ExpoID: f.expo.ID, Name: expodesk.Text{EN: "Backwards"},
			Kind: expodesk.KindBusiness, HomeTimeZone: "Europe/Madrid", ArrivesAt: arrives, DepartsAt: arrives.Add(-time.Hour)})
		if code := expodesk.ErrorCode(err); code != expodesk.EINVALID {
			t.Errorf("departure before arrival: code %q (%v), want %q", code, err, expodesk.EINVALID)
		}
	})
	t.Run("ErrInvalidKind", func(t *testing.T) {
		_, err := s.DelegationCreate(ctx, expodesk.Delegation{ExpoID: f.expo.ID, Name: expodesk.Text{EN: "Tourists"},
			Kind: "tourism", HomeTimeZone: "Europe/Madrid", ArrivesAt: arrives, DepartsAt: arrives})
		if code := expodesk.ErrorCode(err); code != expodesk.EINVALID {
			t.Errorf("unknown kind: code %q (%v), want %q", code, err, expodesk.EINVALID)
		}
	})
}

func TestDelegationMemberCreate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := testdb.Store(t, time.Now)
	f := newDelegationFixture(t, s)
	arrives := time.Date(2027, 5, 10, 16, 0, 0, 0, f.expo.Location())
	d, err := s.DelegationCreate(ctx, expodesk.Delegation{ExpoID: f.expo.ID, Name: expodesk.Text{EN: "Wuxi delegation"},
		Kind: expodesk.KindGovernment, HomeTimeZone: "Asia/Shanghai", ArrivesAt: arrives, DepartsAt: arrives.Add(72 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("DefaultsEastern", func(t *testing.T) {
		m, err := s.DelegationMemberCreate(ctx, expodesk.DelegationMember{DelegationID: d.ID,
			PersonName: expodesk.PersonName{FamilyName: "王", GivenName: "伟"}, Title: "副秘书长"})
		if err != nil {
			t.Fatal(err)
		}
		if m.NameOrder != expodesk.NameEastern || m.String() != "王伟" {
			t.Errorf("name %q order %q, want 王伟 eastern", m.String(), m.NameOrder)
		}
		if m.ProtocolRole != expodesk.ProtocolMember || m.LetterStatus != expodesk.LetterNotNeeded || m.ErasedAt != nil {
			t.Errorf("got role %q letter %q erased %v, want member, not_needed, not erased", m.ProtocolRole, m.LetterStatus, m.ErasedAt)
		}
	})
	t.Run("Western", func(t *testing.T) {
		m, err := s.DelegationMemberCreate(ctx, expodesk.DelegationMember{DelegationID: d.ID,
			PersonName:   expodesk.PersonName{FamilyName: "Tarragó", GivenName: "Marc"},
			ProtocolRole: expodesk.ProtocolHead, LetterStatus: expodesk.LetterIssued, Position: 1})
		if err != nil {
			t.Fatal(err)
		}
		if m.String() != "Marc Tarragó" || m.ProtocolRole != expodesk.ProtocolHead || m.LetterStatus != expodesk.LetterIssued || m.Position != 1 {
			t.Errorf("got %+v", m)
		}
	})
	t.Run("ErrInvalidRole", func(t *testing.T) {
		_, err := s.DelegationMemberCreate(ctx, expodesk.DelegationMember{DelegationID: d.ID, ProtocolRole: "king"})
		if code := expodesk.ErrorCode(err); code != expodesk.EINVALID {
			t.Errorf("code %q (%v), want %q", code, err, expodesk.EINVALID)
		}
	})
}

func TestItineraryItemCreate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := testdb.Store(t, time.Now)
	f := newDelegationFixture(t, s)
	arrives := time.Date(2027, 5, 10, 16, 0, 0, 0, f.expo.Location())
	d, err := s.DelegationCreate(ctx, expodesk.Delegation{ExpoID: f.expo.ID, Name: expodesk.Text{EN: "Wuxi delegation"},
		Kind: expodesk.KindGovernment, HomeTimeZone: "Asia/Shanghai", ArrivesAt: arrives, DepartsAt: arrives.Add(72 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("OK", func(t *testing.T) {
		it, err := s.ItineraryItemCreate(ctx, expodesk.ItineraryItem{DelegationID: d.ID, Kind: expodesk.ItineraryRoadshow,
			StartsAt: f.slot.StartsAt, EndsAt: f.slot.EndsAt, PavilionID: &f.pavilion.ID, ExhibitorID: &f.exhibitor.ID,
			SlotID: &f.slot.ID, Title: "Roadshow", Location: "Hall 2"})
		if err != nil {
			t.Fatal(err)
		}
		if it.ID == 0 || it.SlotID == nil || *it.SlotID != f.slot.ID || *it.ExhibitorID != f.exhibitor.ID || !it.StartsAt.Equal(f.slot.StartsAt) {
			t.Errorf("got %+v", it)
		}
	})
	t.Run("OKWithoutReferences", func(t *testing.T) {
		it, err := s.ItineraryItemCreate(ctx, expodesk.ItineraryItem{DelegationID: d.ID, Kind: expodesk.ItineraryOther,
			StartsAt: arrives, EndsAt: arrives.Add(time.Hour), Title: "Arrival"})
		if err != nil {
			t.Fatal(err)
		}
		if it.PavilionID != nil || it.ExhibitorID != nil || it.SlotID != nil {
			t.Errorf("got references %v %v %v, want none", it.PavilionID, it.ExhibitorID, it.SlotID)
		}
	})
	t.Run("ErrInvalidUnknownSlot", func(t *testing.T) {
		missing := f.slot.ID + 1000
		_, err := s.ItineraryItemCreate(ctx, expodesk.ItineraryItem{DelegationID: d.ID, Kind: expodesk.ItineraryRoadshow,
			StartsAt: arrives, EndsAt: arrives.Add(time.Hour), SlotID: &missing})
		if code := expodesk.ErrorCode(err); code != expodesk.EINVALID {
			t.Errorf("code %q (%v), want %q", code, err, expodesk.EINVALID)
		}
	})
	t.Run("ErrInvalidEmptyRange", func(t *testing.T) {
		_, err := s.ItineraryItemCreate(ctx, expodesk.ItineraryItem{DelegationID: d.ID, Kind: expodesk.ItineraryVisit,
			StartsAt: arrives, EndsAt: arrives})
		if code := expodesk.ErrorCode(err); code != expodesk.EINVALID {
			t.Errorf("code %q (%v), want %q", code, err, expodesk.EINVALID)
		}
	})
}

func TestMeetingCreate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := time.Date(2027, 4, 1, 9, 0, 0, 0, time.UTC)
	s, _ := testdb.Store(t, func() time.Time { return clock })
	f := newDelegationFixture(t, s)
	arrives := time.Date(2027, 5, 10, 16, 0, 0, 0, f.expo.Location())
	d, err := s.DelegationCreate(ctx, expodesk.Delegation{ExpoID: f.expo.ID, Name: expodesk.Text{EN: "Wuxi delegation"},
		Kind: expodesk.KindGovernment, HomeTimeZone: "Asia/Shanghai", ArrivesAt: arrives, DepartsAt: arrives.Add(72 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	starts := time.Date(2027, 5, 12, 16, 0, 0, 0, f.expo.Location())

	t.Run("Requested", func(t *testing.T) {
		m, err := s.MeetingCreate(ctx, expodesk.Meeting{DelegationID: d.ID, ExhibitorID: f.exhibitor.ID,
			StartsAt: starts, EndsAt: starts.Add(45 * time.Minute), Topic: "V2X pilot"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if m.ID == 0 || m.Status != expodesk.MeetingRequested || m.RespondedAt != nil || m.RequestedBy != nil || m.CreatedAt.IsZero() {
			t.Errorf("got %+v, want a requested meeting without an answer", m)
		}
	})
	t.Run("AcceptedIsStamped", func(t *testing.T) {
		m, err := s.MeetingCreate(ctx, expodesk.Meeting{DelegationID: d.ID, ExhibitorID: f.exhibitor.ID,
			StartsAt: starts.Add(time.Hour), EndsAt: starts.Add(2 * time.Hour), Status: expodesk.MeetingAccepted,
			ResponseNote: "See you at the booth."}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if m.Status != expodesk.MeetingAccepted || m.RespondedAt == nil || !m.RespondedAt.Equal(clock) {
			t.Errorf("got status %q responded at %v, want accepted at %v", m.Status, m.RespondedAt, clock)
		}
	})
	t.Run("ErrInvalidEndsBeforeStart", func(t *testing.T) {
		_, err := s.MeetingCreate(ctx, expodesk.Meeting{DelegationID: d.ID, ExhibitorID: f.exhibitor.ID,
			StartsAt: starts, EndsAt: starts.Add(-time.Minute)}, nil)
		if code := expodesk.ErrorCode(err); code != expodesk.EINVALID {
			t.Errorf("code %q (%v), want %q", code, err, expodesk.EINVALID)
		}
	})
	t.Run("ErrInvalidUnknownExhibitor", func(t *testing.T) {
		_, err := s.MeetingCreate(ctx, expodesk.Meeting{DelegationID: d.ID, ExhibitorID: f.exhibitor.ID + 1000,
			StartsAt: starts, EndsAt: starts.Add(time.Hour)}, nil)
		if code := expodesk.ErrorCode(err); code != expodesk.EINVALID {
			t.Errorf("code %q (%v), want %q", code, err, expodesk.EINVALID)
		}
	})
}
