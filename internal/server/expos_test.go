package server

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// expoForm is a complete, valid new-expo form.
func expoForm(slug string) url.Values {
	return url.Values{"slug": {slug}, "name_en": {"Smart City Expo"}, "name_zh": {"智慧城市博览会"}, "name_es": {"Feria de la Ciudad Inteligente"},
		"city_en": {"Barcelona"}, "city_zh": {"巴塞罗那"}, "city_es": {"Barcelona"}, "country": {"ES"}, "time_zone": {"Europe/Madrid"},
		"first_day": {"2027-11-16"}, "last_day": {"2027-11-18"}, "website": {"https://www.smartcityexpo.com"},
		"applications_open_at": {"2027-03-01T09:00"}, "applications_close_at": {"2027-06-30T18:00"},
		"slot_quota": {"3"}, "cancel_hours_before": {"24"}}
}

// TestExpoConsole creates an expo through the form, sees it on the public
// home page, edits it and sees the public page change (the page cache is
// told), archives it, and checks that bad input re-renders with what was typed.
func TestExpoConsole(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	org := e.signedIn(t, w.Organizer)
	_, pub := cachedInstance(t, e)
	// eventually polls the cached public instance until body holds (or not) want.
	eventually := func(path, want string, present bool) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for {
			_, body := fetch(t, pub, path)
			if strings.Contains(body, want) == present {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: %q present=%v never held", path, want, !present)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	fetch(t, pub, "/?lang=en") // cache the home page before the change

	resp, body := org.post("/organizer/expos", expoForm("scewc-2027"))
	if resp.StatusCode != s303 || resp.Header.Get("Location") != "/organizer/expos/scewc-2027" {
		t.Fatalf("create: %d %q\n%s", resp.StatusCode, resp.Header.Get("Location"), excerpt(body))
	}
	eventually("/?lang=en", "Smart City Expo", true)
	// The edit page shows the date-times in the expo's zone, as typed.
	if _, body := org.get("/organizer/expos/scewc-2027"); !strings.Contains(body, `value="2027-03-01T09:00"`) {
		t.Errorf("edit page does not show the call's opening in Madrid time:\n%s", excerpt(body))
	}

	t.Run("EditReachesPublicPage", func(t *testing.T) {
		fetch(t, pub, "/expos/scewc-2027?lang=en")
		f := expoForm("scewc-2027")
		f.Set("name_en", "Smart City Expo World Congress")
		if resp, body := org.post("/organizer/expos/scewc-2027", f); resp.StatusCode != s303 {
			t.Fatalf("update: %d\n%s", resp.StatusCode, excerpt(body))
		}
		eventually("/expos/scewc-2027?lang=en", "Smart City Expo World Congress", true)
	})

	t.Run("BadInputKeepsWhatWasTyped", func(t *testing.T) {
		for field, tc := range map[string]struct{ value, message string }{
			"last_day":             {"2027-11-01", "must not be before the first day"},
			"time_zone":            {"Europe/Atlantis", "valid time zone"},
			"website":              {"javascript:alert(1)", "http://"},
			"slug":                 {"iotswc-test", "Another expo already uses"},
			"applications_open_at": {"2027-03-28T02:30", "clocks skip it"}, // Madrid springs forward at 02:00
		} {
			f := expoForm("typed-slug")
			f.Set("name_zh", "我输入的名字")
			f.Set(field, tc.value)
			resp, body := org.post("/organizer/expos", f)
			if resp.StatusCode != s422 {
				t.Errorf("%s=%q: %d, want 422", field, tc.value, resp.StatusCode)
				continue
			}
			if !strings.Contains(body, "我输入的名字") || !strings.Contains(body, tc.message) ||
				!strings.Contains(body, `id="`+field+`-error"`) {
				t.Errorf("%s=%q: the page lacks what was typed or the message %q at the field:\n%s", field, tc.value, tc.message, excerpt(body))
			}
		}
	})

	t.Run("ArchiveHidesFromHome", func(t *testing.T) {
		if resp, _ := org.post("/organizer/expos/scewc-2027/archive", nil); resp.StatusCode != s303 {
			t.Fatalf("archive: %d", resp.StatusCode)
		}
		eventually("/?lang=en", "Smart City Expo World Congress", false)
		// Its page stays for links from elsewhere, and the console still lists it.
		if resp, _ := fetch(t, pub, "/expos/scewc-2027"); resp.StatusCode != s200 {
			t.Errorf("archived expo's page: %d", resp.StatusCode)
		}
		if _, body := org.get("/organizer/expos"); !strings.Contains(body, "Smart City Expo World Congress") {
			t.Error("the console lost the archived expo")
		}
	})

	t.Run("CoordinatorEditsOwnPavilion", func(t *testing.T) {
		coord := e.signedIn(t, w.Coordinator)
		f := url.Values{"slug": {"wuxi-pavilion"}, "name_en": {"Wuxi Pavilion"}, "name_zh": {"无锡馆"}, "hall": {"Hall 2"},
			"description_zh": {"无锡物联网企业展示。"}}
		resp, body := coord.post("/organizer/expos/"+w.Barcelona.Slug+"/pavilions/"+itoa(w.WuxiPavilion.ID), f)
		if resp.StatusCode != s303 {
			t.Fatalf("coordinator saves own pavilion: %d\n%s", resp.StatusCode, excerpt(body))
		}
		eventually("/expos/"+w.Barcelona.Slug+"/pavilions/wuxi-pavilion?lang=zh", "无锡物联网企业展示", true)
	})
}
