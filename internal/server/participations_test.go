package server

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/urls"
)

// TestParticipations lists an expo's participations with the filters, a
// coordinator's part of them, approves one and sees it in the cached public
// directory at once (and gone again once withdrawn), and re-renders a
// booth clash with 422 and what was typed.
func TestParticipations(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	ctx := context.Background()
	org := e.signedIn(t, w.Organizer)
	coord := e.signedIn(t, w.Coordinator)
	rows, err := e.store.Participations(ctx, expodesk.ParticipationFilter{ExpoID: w.Barcelona.ID})
	if err != nil {
		t.Fatal(err)
	}
	part := map[int64]int64{}
	for _, r := range rows {
		part[r.ExhibitorID] = r.ID
	}
	list := func(c *client, q url.Values) string {
		t.Helper()
		resp, body := c.get(urls.OrganizerParticipations(w.Barcelona.Slug, q))
		if resp.StatusCode != s200 {
			t.Fatalf("list %v: %d\n%s", q, resp.StatusCode, excerpt(body))
		}
		return body
	}
	t.Run("Filters", func(t *testing.T) {
		for _, tc := range []struct {
			who       *client
			q         url.Values
			want, not []string
		}{
			{org, url.Values{"lang": {"en"}}, []string{"Taihu Sensing", "Nube Catalana", "Applied Only"}, nil},
			{org, url.Values{"lang": {"zh"}}, []string{"太湖传感"}, nil},
			{org, url.Values{"status": {"applied"}, "lang": {"en"}}, []string{"Applied Only"}, []string{"Taihu Sensing", "Nube Catalana"}},
			{org, url.Values{"q": {"nube"}, "lang": {"en"}}, []string{"Nube Catalana"}, []string{"Taihu Sensing", "Applied Only"}},
			{org, url.Values{"q": {"太湖"}, "lang": {"en"}}, []string{"Taihu Sensing"}, []string{"Nube Catalana"}},
			{org, url.Values{"status": {"withdrawn"}, "lang": {"en"}}, []string{"No participations match."}, []string{"Taihu Sensing"}},
			// A coordinator sees their pavilion's participations only.
			{coord, url.Values{"lang": {"en"}}, []string{"Taihu Sensing", "Applied Only"}, []string{"Nube Catalana"}},
		} {
			body := list(tc.who, tc.q)
			for _, s := range tc.want {
				if !strings.Contains(body, s) {
					t.Errorf("%v: %q missing\n%s", tc.q, s, excerpt(body))
				}
			}
			for _, s := range tc.not {
				if strings.Contains(body, s) {
					t.Errorf("%v: %q listed", tc.q, s)
				}
			}
		}
	})

	t.Run("ApprovedIsPublicAtOnce", func(t *testing.T) {
		_, pub := cachedInstance(t, e)
		dir := urls.ExpoDirectory(w.Barcelona.Slug) + "?lang=en"
		eventually := func(present bool) {
			t.Helper()
			deadline := time.Now().Add(5 * time.Second)
			for {
				_, body := fetch(t, pub, dir)
				if strings.Contains(body, "Applied Only") == present {
					return
				}
				if time.Now().After(deadline) {
					t.Fatalf("directory: Applied Only present=%v never held", present)
				}
				time.Sleep(20 * time.Millisecond)
			}
		}
		eventually(false) // cached before the change
		back := url.Values{"filter_status": {"applied"}}
		resp, body := coord.post(urls.OrganizerParticipationStatus(part[w.Hidden.ID]), url.Values{"status": {"approved"},
			"filter_status": back["filter_status"]})
		if want := urls.OrganizerParticipations(w.Barcelona.Slug, url.Values{"status": {"applied"}}); resp.StatusCode != s303 || resp.Header.Get("Location") != want {
			t.Fatalf("approve: %d %q, want 303 to %s\n%s", resp.StatusCode, resp.Header.Get("Location"), want, excerpt(body))
		}
		eventually(true)
		if resp, body := org.post(urls.OrganizerParticipationStatus(part[w.Hidden.ID]), url.Values{"status": {"withdrawn"}}); resp.StatusCode != s303 {
			t.Fatalf("withdraw: %d\n%s", resp.StatusCode, excerpt(body))
		}
		eventually(false)
		// Withdrawn is final here: approving again is a problem at the status field.
		if resp, body := org.post(urls.OrganizerParticipationStatus(part[w.Hidden.ID]), url.Values{"status": {"approved"}}); resp.StatusCode != s422 ||
			!strings.Contains(body, `id="status-`+itoa(part[w.Hidden.ID])+`">This status cannot be chosen`) {
			t.Errorf("withdrawn → approved: %d, want 422 with the problem at the status field\n%s", resp.StatusCode, excerpt(body))
		}
	})

	t.Run("RejectedStaysHidden", func(t *testing.T) {
		x, err := e.store.ExhibitorCreate(ctx, expodesk.Exhibitor{Slug: "rejected-co", LegalName: "Rejected Co", Name: expodesk.Text{EN: "Rejected Company"}, Country: "GB"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		pt, err := e.store.ParticipationCreate(ctx, expodesk.Participation{ExpoID: w.Barcelona.ID, ExhibitorID: x.ID, Status: expodesk.StatusApplied})
		if err != nil {
			t.Fatal(err)
		}
		if resp, body := org.post(urls.OrganizerParticipationStatus(pt.ID), url.Values{"status": {"rejected"}, "reason": {"Not an IoT company"}}); resp.StatusCode != s303 {
			t.Fatalf("reject: %d\n%s", resp.StatusCode, excerpt(body))
		}
		if _, body := fetch(t, e.ts, urls.ExpoDirectory(w.Barcelona.Slug)+"?lang=en"); strings.Contains(body, "Rejected Company") {
			t.Error("a rejected company is in the directory")
		}
		if body := list(org, url.Values{"status": {"rejected"}, "lang": {"en"}}); !strings.Contains(body, "Rejected Company") {
			t.Error("the rejected company is not listed as rejected")
		}
	})

	t.Run("BoothClashKeepsWhatWasTyped", func(t *testing.T) {
		id := itoa(part[w.Cloud.ID])
		resp, body := org.post(urls.OrganizerParticipationPlacement(part[w.Cloud.ID])+"?lang=en",
			url.Values{"pavilion": {itoa(w.WuxiPavilion.ID)}, "booth": {"2-A01"}})
		if resp.StatusCode != s422 {
			t.Fatalf("booth clash: %d, want 422\n%s", resp.StatusCode, excerpt(body))
		}
		for _, want := range []string{"This booth is already taken at this expo", `id="booth-` + id + `-error"`, `value="2-A01"`,
			`id="pavilion-` + id + `"`} {
			if !strings.Contains(body, want) {
				t.Errorf("422 page lacks %q\n%s", want, excerpt(body))
			}
		}
		pt, err := e.store.ParticipationGetByID(ctx, part[w.Cloud.ID])
		if err != nil || pt.Booth != "3-B10" || pt.PavilionID != nil {
			t.Errorf("the clash changed the participation: %+v %v", pt, err)
		}
	})

	t.Run("CoordinatorCannotMoveOut", func(t *testing.T) {
		resp, body := coord.post(urls.OrganizerParticipationPlacement(part[w.Sensing.ID])+"?lang=en", url.Values{"pavilion": {""}, "booth": {"2-A01"}})
		if resp.StatusCode != s422 || !strings.Contains(body, "your own pavilion only") {
			t.Errorf("coordinator moves out of the pavilion: %d\n%s", resp.StatusCode, excerpt(body))
		}
	})
}
