package server

import (
	"context"
	"testing"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/service"
)

// plan is a delegation of the world's fixture: the Wuxi municipal
// delegation at the Barcelona congress (home zone Shanghai, language
// Chinese) with a head and an interpreter, a free item, a requested
// meeting with Taihu Sensing (exhibitor A) and one with Nube Catalana
// (exhibitor B), and a shared link; Other is another delegation there.
type plan struct {
	Delegation, Other  expodesk.Delegation
	Head, Interpreter  expodesk.DelegationMember
	Item, OtherItem    expodesk.ItineraryItem
	MeetingA, MeetingB expodesk.Meeting
	Token              string
}

// madrid returns a wall time in Barcelona on the fixture's expo days.
func madrid(w world, day, hour, minute int) time.Time {
	return time.Date(2027, 5, day, hour, minute, 0, 0, w.Barcelona.Location())
}

func (e *testEnv) plan(t *testing.T, w world) plan {
	t.Helper()
	ctx := context.Background()
	s := e.store
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var p plan
	var err error
	p.Delegation, err = s.DelegationCreate(ctx, expodesk.Delegation{ExpoID: w.Barcelona.ID, Name: expodesk.Text{ZH: "无锡市政府代表团"},
		Origin: "无锡市人民政府", Kind: expodesk.KindGovernment, HomeTimeZone: "Asia/Shanghai", Lang: expodesk.ZH,
		ArrivesAt: madrid(w, 10, 16, 0), DepartsAt: madrid(w, 14, 12, 0)})
	must(err)
	p.Other, err = s.DelegationCreate(ctx, expodesk.Delegation{ExpoID: w.Barcelona.ID, Name: expodesk.Text{ES: "Misión de Valencia"},
		Kind: expodesk.KindBusiness, HomeTimeZone: "Europe/Madrid", Lang: expodesk.ES,
		ArrivesAt: madrid(w, 10, 9, 0), DepartsAt: madrid(w, 13, 20, 0)})
	must(err)
	p.Head, err = s.DelegationMemberCreate(ctx, expodesk.DelegationMember{DelegationID: p.Delegation.ID,
		PersonName: expodesk.PersonName{FamilyName: "王", GivenName: "伟"}, Title: "副秘书长", Email: "wang.wei@wuxi.example",
		ProtocolRole: expodesk.ProtocolHead, Position: 1})
	must(err)
	p.Interpreter, err = s.DelegationMemberCreate(ctx, expodesk.DelegationMember{DelegationID: p.Delegation.ID,
		PersonName: expodesk.PersonName{FamilyName: "李", GivenName: "娜"}, Title: "翻译", Email: "li.na@wuxi.example",
		ProtocolRole: expodesk.ProtocolInterpreter, Position: 2})
	must(err)
	p.Item, err = s.ItineraryItemCreate(ctx, expodesk.ItineraryItem{DelegationID: p.Delegation.ID, Kind: expodesk.ItineraryMeal,
		StartsAt: madrid(w, 12, 13, 0), EndsAt: madrid(w, 12, 14, 30), Title: "工作午餐", Location: "VIP Lounge"})
	must(err)
	p.OtherItem, err = s.ItineraryItemCreate(ctx, expodesk.ItineraryItem{DelegationID: p.Other.ID, Kind: expodesk.ItineraryTransfer,
		StartsAt: madrid(w, 10, 9, 0), EndsAt: madrid(w, 10, 10, 0), Title: "Traslado"})
	must(err)
	p.MeetingA = e.meeting(t, p.Delegation.ID, w.Sensing.ID, madrid(w, 12, 9, 0), &w.Organizer.ID)
	must(s.MeetingAttendeesAdd(ctx, p.MeetingA.ID, []int64{p.Head.ID}))
	p.MeetingB = e.meeting(t, p.Delegation.ID, w.Cloud.ID, madrid(w, 12, 16, 0), &w.Organizer.ID)
	tok, hash, err := service.NewToken()
	must(err)
	must(s.DelegationSetShare(ctx, p.Delegation.ID, hash))
	p.Token = tok
	return p
}

// meeting creates a requested half-hour meeting of a delegation with a company.
func (e *testEnv) meeting(t *testing.T, delegation, exhibitor int64, at time.Time, by *int64) expodesk.Meeting {
	t.Helper()
	m, err := e.store.MeetingCreate(context.Background(), expodesk.Meeting{DelegationID: delegation, ExhibitorID: exhibitor,
		StartsAt: at, EndsAt: at.Add(30 * time.Minute), Location: "Hall 2", Topic: "Sensors for Xinwu"}, by)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// proposed turns a meeting into the company's proposal of an hour later.
func (e *testEnv) proposed(t *testing.T, m expodesk.Meeting) expodesk.Meeting {
	t.Helper()
	start, end := m.StartsAt.Add(time.Hour), m.EndsAt.Add(time.Hour)
	m.Status, m.ProposedStartsAt, m.ProposedEndsAt = expodesk.MeetingProposed, &start, &end
	out, err := e.store.MeetingSet(context.Background(), m, expodesk.MeetingRequested)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
