package postgres_test

import (
	"crypto/rand"
	"errors"
	"slices"
	"testing"
	"time"

	"expodesk/internal/expodesk"
)

// dashboardFixture is one expo with two pavilions and companies in every
// situation the dashboard counts, and a second expo whose rows must never
// count in the first's numbers.
type dashboardFixture struct {
	v                 *visitorStore
	expo, other       expodesk.Expo
	wuxi, catalan     expodesk.Pavilion
	complete, noLogo  expodesk.Exhibitor // Wuxi: approved; applied
	noZH, bare        expodesk.Exhibitor // Wuxi: invited; Catalan: approved (no logo, no description)
	rejected, outside expodesk.Exhibitor // no pavilion: rejected (nothing at all); approved (no logo)
	elsewhere         expodesk.Exhibitor // the other expo only, no logo
}

func newDashboardFixture(t *testing.T) dashboardFixture {
	v := newVisitorStore(t)
	f := dashboardFixture{v: v, expo: v.expo("iotswc-2027"), other: v.expo("wiot-2027")}
	f.wuxi = v.pavilion(f.expo.ID, "wuxi-pavilion")
	f.catalan = v.pavilion(f.expo.ID, "catalan-pavilion")
	otherPav := v.pavilion(f.other.ID, "european-pavilion")
	desc := expodesk.Text{EN: "Sensors."}
	f.complete = v.exhibitor(expodesk.Exhibitor{Slug: "complete", Name: expodesk.Text{EN: "Complete", ZH: "完整"}, Description: desc})
	f.noLogo = v.exhibitor(expodesk.Exhibitor{Slug: "no-logo", Name: expodesk.Text{EN: "No Logo", ZH: "无标志"}, Description: desc})
	f.noZH = v.exhibitor(expodesk.Exhibitor{Slug: "no-zh", Name: expodesk.Text{EN: "No Chinese"}, Description: expodesk.Text{ES: "Sensores."}})
	f.bare = v.exhibitor(expodesk.Exhibitor{Slug: "bare", Name: expodesk.Text{ZH: "简"}})
	f.rejected = v.exhibitor(expodesk.Exhibitor{Slug: "rejected", Name: expodesk.Text{EN: "Rejected"}})
	f.outside = v.exhibitor(expodesk.Exhibitor{Slug: "outside", Name: expodesk.Text{EN: "Outside", ZH: "馆外"}, Description: expodesk.Text{ZH: "传感器。"}})
	f.elsewhere = v.exhibitor(expodesk.Exhibitor{Slug: "elsewhere", Name: expodesk.Text{EN: "Elsewhere"}})
	for _, x := range []expodesk.Exhibitor{f.complete, f.noZH} {
		v.must(v.s.LogoPut(v.ctx, x.ID, "image/png", []byte("\x89PNG\r\n\x1a\n"), 1, 1, x.Slug))
	}
	v.join(f.expo.ID, f.complete.ID, &f.wuxi.ID, expodesk.StatusApproved)
	v.join(f.expo.ID, f.noLogo.ID, &f.wuxi.ID, expodesk.StatusApplied)
	v.join(f.expo.ID, f.noZH.ID, &f.wuxi.ID, expodesk.StatusInvited)
	v.join(f.expo.ID, f.bare.ID, &f.catalan.ID, expodesk.StatusApproved)
	v.join(f.expo.ID, f.rejected.ID, nil, expodesk.StatusRejected)
	v.join(f.expo.ID, f.outside.ID, nil, expodesk.StatusApproved)
	v.join(f.other.ID, f.elsewhere.ID, &otherPav.ID, expodesk.StatusApproved)
	v.join(f.other.ID, f.complete.ID, nil, expodesk.StatusInvited)
	return f
}

// user creates an account; token is "open", "expired" or "" (none), and a
// password set means the invitation was accepted.
func (f dashboardFixture) user(email string, exhibitor, pavilion *int64, password bool, token string, disabled bool) {
	v := f.v
	v.t.Helper()
	u := expodesk.User{Email: email, Role: expodesk.RoleExhibitor, ExhibitorID: exhibitor, PavilionID: pavilion}
	if exhibitor == nil {
		u.Role = expodesk.RoleOrganizer
	}
	if password {
		u.PasswordHash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"
	}
	u, err := v.s.UserCreate(v.ctx, u)
	v.must(err)
	hash := make([]byte, 32)
	_, _ = rand.Read(hash)
	switch token {
	case "open":
		v.must(v.s.TokenCreate(v.ctx, expodesk.TokenInvitation, u.ID, nil, hash, 24*time.Hour))
	case "expired":
		v.exec(`INSERT INTO user_token (kind, token_hash, user_id, expires_at, created_at)
			VALUES ('invitation', $1, $2, now() - interval '1 day', now() - interval '8 days')`, hash, u.ID)
	}
	if disabled {
		_, err := v.s.UserSetDisabled(v.ctx, u.ID, true)
		v.must(err)
	}
}

func TestDashboardCounts(t *testing.T) {
	t.Parallel()
	f := newDashboardFixture(t)
	v := f.v
	whole := expodesk.PavilionScope{}
	wuxi := expodesk.PavilionScope{PavilionID: f.wuxi.ID}
	catalan := expodesk.PavilionScope{PavilionID: f.catalan.ID}
	none := expodesk.PavilionScope{NoPavilion: true}

	t.Run("Statuses", func(t *testing.T) {
		type key struct {
			pavilion int64
			status   expodesk.ParticipationStatus
		}
		counts := func(sc expodesk.PavilionScope) map[key]int {
			t.Helper()
			rows, err := v.s.DashboardStatuses(v.ctx, f.expo.ID, sc)
			if err != nil {
				t.Fatal(err)
			}
			out := map[key]int{}
			for _, r := range rows {
				k := key{status: r.Status}
				if r.PavilionID != nil {
					k.pavilion = *r.PavilionID
				}
				out[k] = r.Count
			}
			return out
		}
		all := map[key]int{
			{f.wuxi.ID, expodesk.StatusApproved}: 1, {f.wuxi.ID, expodesk.StatusApplied}: 1, {f.wuxi.ID, expodesk.StatusInvited}: 1,
			{f.catalan.ID, expodesk.StatusApproved}: 1,
			{0, expodesk.StatusRejected}:            1, {0, expodesk.StatusApproved}: 1,
		}
		pick := func(pavilion int64) map[key]int {
			out := map[key]int{}
			for k, n := range all {
				if k.pavilion == pavilion {
					out[k] = n
				}
			}
			return out
		}
		for name, tc := range map[string]struct {
			sc   expodesk.PavilionScope
			want map[key]int
		}{
			"WholeExpo": {whole, all}, "Wuxi": {wuxi, pick(f.wuxi.ID)}, "Catalan": {catalan, pick(f.catalan.ID)}, "NoPavilion": {none, pick(0)},
		} {
			if got := counts(tc.sc); !mapsEqual(got, tc.want) {
				t.Errorf("%s: %v, want %v", name, got, tc.want)
			}
		}
	})

	t.Run("ProfileGaps", func(t *testing.T) {
		for name, tc := range map[string]struct {
			sc   expodesk.PavilionScope
			want expodesk.ProfileGapCounts
		}{
			// The rejected company lacks everything and counts nowhere.
			"WholeExpo":  {whole, expodesk.ProfileGapCounts{Any: 4, NoLogo: 3, NoChineseName: 1, NoDescription: 1}},
			"Wuxi":       {wuxi, expodesk.ProfileGapCounts{Any: 2, NoLogo: 1, NoChineseName: 1}},
			"Catalan":    {catalan, expodesk.ProfileGapCounts{Any: 1, NoLogo: 1, NoDescription: 1}},
			"NoPavilion": {none, expodesk.ProfileGapCounts{Any: 1, NoLogo: 1}},
		} {
			got, err := v.s.DashboardProfileGaps(v.ctx, f.expo.ID, tc.sc)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("%s: %+v, want %+v", name, got, tc.want)
			}
		}
	})

	t.Run("Invitations", func(t *testing.T) {
		f.user("pending@no-logo.example.com", &f.noLogo.ID, nil, false, "open", false)
		f.user("expired@bare.example.com", &f.bare.ID, nil, false, "expired", false)
		f.user("accepted@complete.example.com", &f.complete.ID, nil, true, "", false)
		f.user("pending@rejected.example.com", &f.rejected.ID, nil, false, "open", false)
		f.user("expired@coordinator.example.org", nil, &f.wuxi.ID, false, "expired", false)
		f.user("pending@elsewhere.example.com", &f.elsewhere.ID, nil, false, "open", false)
		f.user("disabled@outside.example.com", &f.outside.ID, nil, false, "open", true)
		f.user("pending@organizer.example.org", nil, nil, false, "open", false)
		for name, tc := range map[string]struct {
			sc   expodesk.PavilionScope
			want expodesk.InvitationCounts
		}{
			"WholeExpo":  {whole, expodesk.InvitationCounts{Pending: 1, Expired: 2}},
			"Wuxi":       {wuxi, expodesk.InvitationCounts{Pending: 1, Expired: 1}},
			"Catalan":    {catalan, expodesk.InvitationCounts{Expired: 1}},
			"NoPavilion": {none, expodesk.InvitationCounts{}},
		} {
			got, err := v.s.DashboardInvitations(v.ctx, f.expo.ID, tc.sc)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("%s: %+v, want %+v", name, got, tc.want)
			}
		}
	})

	t.Run("Slots", func(t *testing.T) {
		wuxiStage := v.stage(f.expo.ID, &f.wuxi.ID, "wuxi-stage", 1)
		mainStage := v.stage(f.expo.ID, nil, "main-stage", 0)
		v.stage(f.expo.ID, &f.catalan.ID, "catalan-stage", 2) // no slots yet
		otherStage := v.stage(f.other.ID, nil, "other-stage", 0)
		v.book(v.slot(wuxiStage.ID, 10, 0, 30).ID, f.complete.ID, "Booked")
		cancelled := v.book(v.slot(wuxiStage.ID, 10, 30, 30).ID, f.noLogo.ID, "Cancelled")
		v.exec(`UPDATE booking SET status = 'cancelled', cancelled_at = now() WHERE id = $1`, cancelled.ID)
		v.slot(wuxiStage.ID, 11, 0, 30)
		start := time.Date(2027, 5, 11, 12, 0, 0, 0, v.madrid)
		_, err := v.s.SlotCreate(v.ctx, expodesk.Slot{StageID: wuxiStage.ID, StartsAt: start, EndsAt: start.Add(time.Hour), Blocked: true})
		v.must(err)
		v.book(v.slot(mainStage.ID, 10, 0, 30).ID, f.outside.ID, "Keynote")
		v.slot(mainStage.ID, 10, 30, 30)
		v.book(v.slot(otherStage.ID, 10, 0, 30).ID, f.elsewhere.ID, "Elsewhere")

		type row struct {
			slug                         string
			total, booked, free, blocked int
		}
		slots := func(sc expodesk.PavilionScope) []row {
			t.Helper()
			got, err := v.s.DashboardSlots(v.ctx, f.expo.ID, sc)
			if err != nil {
				t.Fatal(err)
			}
			var out []row
			for _, s := range got {
				out = append(out, row{s.StageName.EN, s.Total, s.Booked, s.Free(), s.Blocked})
			}
			return out
		}
		wuxiRow := row{"Stage wuxi-stage", 4, 1, 2, 1}
		mainRow := row{"Stage main-stage", 2, 1, 1, 0}
		catalanRow := row{"Stage catalan-stage", 0, 0, 0, 0}
		for name, tc := range map[string]struct {
			sc   expodesk.PavilionScope
			want []row
		}{
			"WholeExpo":  {whole, []row{mainRow, wuxiRow, catalanRow}}, // in the stages' order
			"Wuxi":       {wuxi, []row{wuxiRow}},
			"NoPavilion": {none, []row{mainRow}},
		} {
			if got := slots(tc.sc); !slices.Equal(got, tc.want) {
				t.Errorf("%s: %+v, want %+v", name, got, tc.want)
			}
		}
	})
}

// TestParticipationsFilterIncomplete: the list the dashboard's numbers link
// to holds the companies they count.
func TestParticipationsFilterIncomplete(t *testing.T) {
	t.Parallel()
	f := newDashboardFixture(t)
	v := f.v
	list := func(pf expodesk.ParticipationFilter) []string {
		t.Helper()
		pf.ExpoID = f.expo.ID
		rows, err := v.s.Participations(v.ctx, pf)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range rows {
			out = append(out, r.ExhibitorSlug)
		}
		slices.Sort(out)
		return out
	}
	for name, tc := range map[string]struct {
		f    expodesk.ParticipationFilter
		want []string
	}{
		"NoLogo":             {expodesk.ParticipationFilter{Incomplete: expodesk.GapLogo}, []string{"bare", "no-logo", "outside"}},
		"NoChineseName":      {expodesk.ParticipationFilter{Incomplete: expodesk.GapChineseName}, []string{"no-zh"}},
		"NoDescription":      {expodesk.ParticipationFilter{Incomplete: expodesk.GapDescription}, []string{"bare"}},
		"AnyInWuxi":          {expodesk.ParticipationFilter{Incomplete: expodesk.GapAny, PavilionID: f.wuxi.ID}, []string{"no-logo", "no-zh"}},
		"AnyApproved":        {expodesk.ParticipationFilter{Incomplete: expodesk.GapAny, Status: expodesk.StatusApproved}, []string{"bare", "outside"}},
		"RejectedNotCounted": {expodesk.ParticipationFilter{Incomplete: expodesk.GapAny, Status: expodesk.StatusRejected}, nil},
		"NoPavilion":         {expodesk.ParticipationFilter{NoPavilion: true}, []string{"outside", "rejected"}},
	} {
		if got := list(tc.f); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", name, got, tc.want)
		}
	}
	_, err := v.s.Participations(v.ctx, expodesk.ParticipationFilter{ExpoID: f.expo.ID, Incomplete: "bogus"})
	if !errors.Is(err, expodesk.ErrNotFound) {
		t.Errorf("unknown gap: %v, want not found", err)
	}
}

func mapsEqual[K comparable](a, b map[K]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, n := range a {
		if b[k] != n {
			return false
		}
	}
	return true
}
