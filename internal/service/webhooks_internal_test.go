package service

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/postgres"
	"expodesk/internal/testdb"
)

// eventFixture is an expo with a pavilion, a company in it, a booking, a
// delegation and a meeting, written straight to the store, and an endpoint
// subscribed to every event.
type eventFixture struct {
	svc                             *Service
	store                           *postgres.Store
	participation, booking, meeting int64
	delegation                      int64
	expoID                          int64
}

func newEventFixture(t *testing.T) eventFixture {
	t.Helper()
	ctx := context.Background()
	store, pool := testdb.Store(t, time.Now)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	f := eventFixture{store: store, svc: New(Config{}, Deps{Store: store})}
	expo, err := store.ExpoCreate(ctx, expodesk.Expo{Slug: "hooks-expo", Name: expodesk.Text{EN: "IOTSWC", ZH: "巴塞罗那物联网大会"},
		City: expodesk.Text{EN: "Barcelona"}, Country: "ES", TimeZone: "Europe/Madrid",
		FirstDay: time.Date(2027, 5, 11, 0, 0, 0, 0, time.UTC), LastDay: time.Date(2027, 5, 13, 0, 0, 0, 0, time.UTC)})
	must(err)
	f.expoID = expo.ID
	pv, err := store.PavilionCreate(ctx, expodesk.Pavilion{ExpoID: expo.ID, Slug: "wuxi-pavilion", Name: expodesk.Text{EN: "Wuxi Pavilion"}})
	must(err)
	x, err := store.ExhibitorCreate(ctx, expodesk.Exhibitor{Slug: "taihu-sensing", LegalName: "Taihu Sensing Co., Ltd.",
		Name: expodesk.Text{EN: "Taihu Sensing", ZH: "太湖传感"}, Country: "CN", Email: "private@taihu.example.cn", Phone: "+86 510 0000"}, nil)
	must(err)
	p, err := store.ParticipationCreate(ctx, expodesk.Participation{ExpoID: expo.ID, ExhibitorID: x.ID, PavilionID: &pv.ID,
		Booth: "W12", Status: expodesk.StatusApproved})
	must(err)
	f.participation = p.ID
	st, err := store.StageCreate(ctx, expodesk.Stage{ExpoID: expo.ID, PavilionID: &pv.ID, Slug: "wuxi", Name: expodesk.Text{EN: "Wuxi stage"}})
	must(err)
	start := time.Date(2027, 5, 11, 10, 0, 0, 0, time.UTC)
	sl, err := store.SlotCreate(ctx, expodesk.Slot{StageID: st.ID, StartsAt: start, EndsAt: start.Add(30 * time.Minute)})
	must(err)
	b, err := store.BookingCreate(ctx, expodesk.Booking{SlotID: sl.ID, ExhibitorID: x.ID, Titles: expodesk.Text{EN: "Sensors for the Taihu"}}, nil)
	must(err)
	f.booking = b.ID
	// The delegation's name is text before the delegations migration and
	// content in three languages after it: written as the column wants.
	var nameType string
	must(pool.QueryRow(ctx, `SELECT data_type FROM information_schema.columns WHERE table_name = 'delegation' AND column_name = 'name'`).Scan(&nameType))
	name := "Xinwu District"
	if nameType == "jsonb" {
		name = `{"en": "Xinwu District"}`
	}
	must(pool.QueryRow(ctx, `INSERT INTO delegation (expo_id, name, origin, kind, leader, home_time_zone, arrives_at, departs_at, status, notes)
		VALUES ($1, $2, 'Xinwu District, Wuxi', 'government', 'Leader Private', 'Asia/Shanghai', $3, $4, 'confirmed', 'private notes')
		RETURNING id`, expo.ID, name, start, start.Add(48*time.Hour)).Scan(&f.delegation))
	m, err := store.MeetingCreate(ctx, expodesk.Meeting{DelegationID: f.delegation, ExhibitorID: x.ID, StartsAt: start.Add(2 * time.Hour),
		EndsAt: start.Add(3 * time.Hour), Location: "Booth W12", Topic: "private topic", Status: expodesk.MeetingAccepted,
		ResponseNote: "private note"}, nil)
	must(err)
	f.meeting = m.ID
	_, err = store.WebhookEndpointCreate(ctx, expodesk.WebhookEndpointInput{URL: "https://partner.example.org/hooks",
		Events: expodesk.WebhookEventTypes}, "whsec_dGVzdA==", nil)
	must(err)
	return f
}

func (f eventFixture) events(t *testing.T) []expodesk.WebhookEvent {
	t.Helper()
	var out []expodesk.WebhookEvent
	rows, err := f.store.WebhookEndpointList(context.Background())
	if err != nil || len(rows) != 1 {
		t.Fatalf("endpoints %v, %v", rows, err)
	}
	list, err := f.store.WebhookDeliveries(context.Background(), rows[0].ID, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range list {
		out = append(out, expodesk.WebhookEvent{MessageID: d.MessageID, Type: d.EventType, Body: d.Body})
	}
	return out
}

// TestEventsFromAuditActions: each audited change partners subscribe to
// queues its event, with the data a partner needs and no private field;
// the same change rolled back queues nothing.
func TestEventsFromAuditActions(t *testing.T) {
	f := newEventFixture(t)
	ctx := context.Background()
	private := []string{"private", "+86", "Leader", "email", "phone"}
	cases := []struct {
		action expodesk.AuditAction
		id     func() int64
		want   expodesk.WebhookEventType
		has    []string
	}{
		{expodesk.ActionParticipationStatus, func() int64 { return f.participation }, expodesk.EventParticipationApproved,
			[]string{`"booth":"W12"`, `"slug":"taihu-sensing"`, `"zh":"太湖传感"`, `"slug":"wuxi-pavilion"`}},
		{expodesk.ActionBookingCreate, func() int64 { return f.booking }, expodesk.EventSlotBooked,
			[]string{`"title":{"en":"Sensors for the Taihu"}`, `"starts_at":"2027-05-11T10:00:00Z"`, `"slug":"wuxi"`}},
		{expodesk.ActionBookingOrganizerCancel, func() int64 { return f.booking }, expodesk.EventBookingCancelled,
			[]string{`"cancelled_by":"organizer"`}},
		{expodesk.ActionMeetingAnswer, func() int64 { return f.meeting }, expodesk.EventMeetingAccepted,
			[]string{`"status":"accepted"`, `"location":"Booth W12"`, `"name":{"en":"Xinwu District"}`}},
		{expodesk.ActionDelegationStatus, func() int64 { return f.delegation }, expodesk.EventDelegationConfirmed,
			[]string{`"origin":"Xinwu District, Wuxi"`, `"kind":"government"`, `"name":{"en":"Xinwu District"}`}},
	}
	for i, tc := range cases {
		t.Run(string(tc.want), func(t *testing.T) {
			rollback := errors.New("the change failed after its audit entry")
			err := f.svc.write(ctx, Caller{}, func(t *tx) error {
				if err := t.audit(ctx, tc.action, "object", tc.id(), scope{}, nil, nil); err != nil {
					return err
				}
				return rollback
			})
			if !errors.Is(err, rollback) {
				t.Fatal(err)
			}
			if got := f.events(t); len(got) != i {
				t.Fatalf("a rolled-back change left %d events, want %d", len(got), i)
			}
			if err := f.svc.write(ctx, Caller{}, func(t *tx) error {
				return t.audit(ctx, tc.action, "object", tc.id(), scope{}, nil, nil)
			}); err != nil {
				t.Fatal(err)
			}
			got := f.events(t)
			if len(got) != i+1 {
				t.Fatalf("%d events after the committed change, want %d", len(got), i+1)
			}
			ev := got[0] // newest first
			var env struct {
				Type      string          `json:"type"`
				Timestamp time.Time       `json:"timestamp"`
				Data      json.RawMessage `json:"data"`
			}
			if err := json.Unmarshal([]byte(ev.Body), &env); err != nil {
				t.Fatal(err)
			}
			if ev.Type != tc.want || env.Type != string(tc.want) || env.Timestamp.IsZero() || !strings.HasPrefix(ev.MessageID, "msg_") {
				t.Fatalf("event %+v", ev)
			}
			for _, s := range append(tc.has, `"expo":{"slug":"hooks-expo"`) {
				if !strings.Contains(ev.Body, s) {
					t.Errorf("body lacks %s:\n%s", s, ev.Body)
				}
			}
			for _, s := range private {
				if strings.Contains(ev.Body, s) {
					t.Errorf("body holds private %q:\n%s", s, ev.Body)
				}
			}
		})
	}
	t.Run("NoEventForOtherStatuses", func(t *testing.T) {
		before := len(f.events(t))
		if _, err := f.store.ParticipationSetStatus(ctx, f.participation, expodesk.StatusApproved, expodesk.StatusWithdrawn); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.write(ctx, Caller{}, func(t *tx) error {
			return t.audit(ctx, expodesk.ActionParticipationStatus, "participation", f.participation, scope{}, nil, nil)
		}); err != nil {
			t.Fatal(err)
		}
		if n := len(f.events(t)); n != before {
			t.Fatalf("withdrawing queued an event (%d → %d)", before, n)
		}
	})
}
