package expodesk_test

import (
	"testing"
	"time"

	"expodesk/internal/expodesk"
)

func TestRomanize(t *testing.T) {
	for _, tc := range []struct {
		in     string
		family bool
		want   string
	}{
		{"王", true, "Wang"}, {"伟", false, "Wei"}, {"欧阳", true, "Ouyang"}, {"晓明", false, "Xiaoming"},
		{"吕", true, "Lyu"}, {"曾", true, "Zeng"}, {"单", true, "Shan"}, {"单", false, "Dan"},
		{"Tarragó", true, "Tarragó"}, {"", true, ""}, {"阿依古丽·买买提", false, "Ayiguli Maimaiti"},
	} {
		if got := expodesk.Romanize(tc.in, tc.family); got != tc.want {
			t.Errorf("Romanize(%q, %v) = %q, want %q", tc.in, tc.family, got, tc.want)
		}
	}
}

func TestMemberNameOrder(t *testing.T) {
	zh := expodesk.DelegationMember{PersonName: expodesk.PersonName{FamilyName: "王", GivenName: "伟", NameOrder: expodesk.NameEastern},
		RomanizedFamilyName: "Wang", RomanizedGivenName: "Wei"}
	es := expodesk.DelegationMember{PersonName: expodesk.PersonName{FamilyName: "Tarragó", GivenName: "Marc", NameOrder: expodesk.NameWestern}}
	if zh.String() != "王伟" || zh.Romanized().String() != "Wang Wei" || es.String() != "Marc Tarragó" {
		t.Errorf("got %q / %q / %q", zh.String(), zh.Romanized().String(), es.String())
	}
}

func TestCanMoveDelegation(t *testing.T) {
	ok := map[[2]expodesk.DelegationStatus]bool{
		{expodesk.DelegationPlanned, expodesk.DelegationConfirmed}:   true,
		{expodesk.DelegationConfirmed, expodesk.DelegationArrived}:   true,
		{expodesk.DelegationPlanned, expodesk.DelegationCancelled}:   true,
		{expodesk.DelegationConfirmed, expodesk.DelegationCancelled}: true,
	}
	for _, from := range expodesk.DelegationStatuses {
		for _, to := range expodesk.DelegationStatuses {
			if got := expodesk.CanMoveDelegation(from, to); got != ok[[2]expodesk.DelegationStatus{from, to}] {
				t.Errorf("%s → %s: %v", from, to, got)
			}
		}
	}
}

func TestCanManageDelegation(t *testing.T) {
	wuxi, other := int64(7), int64(8)
	org := &expodesk.Principal{UserID: 1, Role: expodesk.RoleOrganizer}
	coord := &expodesk.Principal{UserID: 2, Role: expodesk.RoleOrganizer, PavilionID: wuxi, ExpoID: 1}
	team := &expodesk.Principal{UserID: 3, Role: expodesk.RoleExhibitor, ExhibitorID: 5}
	for _, tc := range []struct {
		name string
		p    *expodesk.Principal
		expo int64
		host *int64
		want bool
	}{
		{"OrganizerWholeExpo", org, 1, nil, true},
		{"CoordinatorOwnPavilion", coord, 1, &wuxi, true},
		{"CoordinatorWholeExpo", coord, 1, nil, false},
		{"CoordinatorOtherPavilion", coord, 1, &other, false},
		{"CoordinatorOtherExpo", coord, 2, &wuxi, false},
		{"Exhibitor", team, 1, &wuxi, false},
		{"Visitor", nil, 1, &wuxi, false},
	} {
		if got := expodesk.CanManageDelegation(tc.p, tc.expo, tc.host); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestDelegationValidate(t *testing.T) {
	at := time.Date(2027, 5, 10, 16, 0, 0, 0, time.UTC)
	ok := expodesk.Delegation{Name: expodesk.Text{ZH: "无锡代表团"}, Kind: expodesk.KindGovernment, Lang: expodesk.ZH,
		HomeTimeZone: "Asia/Shanghai", ArrivesAt: at, DepartsAt: at.Add(72 * time.Hour)}
	if err := ok.Validate(nil); err != nil {
		t.Fatal(err)
	}
	for field, d := range map[string]expodesk.Delegation{
		"departs_at":     func() expodesk.Delegation { d := ok; d.DepartsAt = at.Add(-time.Hour); return d }(),
		"home_time_zone": func() expodesk.Delegation { d := ok; d.HomeTimeZone = "Mars/Olympus"; return d }(),
		"name_en":        func() expodesk.Delegation { d := ok; d.Name = expodesk.Text{}; return d }(),
		"kind":           func() expodesk.Delegation { d := ok; d.Kind = "tourism"; return d }(),
		"sectors":        func() expodesk.Delegation { d := ok; d.Sectors = []string{"nope"}; return d }(),
	} {
		e := expodesk.ErrorOf(d.Validate(nil))
		if e == nil || e.Problems[field].Key == "" {
			t.Errorf("%s: got %v, want a problem there", field, e)
		}
	}
}
