package server

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"expodesk/internal/expodesk"
	"expodesk/internal/urls"
)

// registerForm is a valid registration of a company like no other in the
// fixture, approved and in no pavilion.
func registerForm(name string) url.Values {
	slug := expodesk.Slugify(name)
	return url.Values{
		"legal_name": {name + " GmbH"}, "name_en": {name}, "name_zh": {""}, "name_es": {""},
		"description_en": {"Made in Berlin."}, "description_zh": {""}, "description_es": {""},
		"sectors": {"sensors"}, "country": {"de"}, "city": {"Berlin"}, "website": {"https://" + slug + ".example.de"},
		"email": {"info@" + slug + ".example.de"}, "phone": {"+49 30 0000"}, "registration_id": {""},
		"status": {"approved"}, "pavilion": {""}, "booth": {""},
	}
}

// with returns a copy of v with the pairs set.
func with(v url.Values, pairs ...string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		out.Set(pairs[i], pairs[i+1])
	}
	return out
}

// companiesNamed counts the companies with this English name.
func (e *testEnv) companiesNamed(t *testing.T, name string) int {
	t.Helper()
	var n int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM exhibitor WHERE name->>'en' = $1`, name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestRegisterExhibitorForm registers companies through the form: the
// plain case, each bad input at its field with what was typed (and nothing
// written), the likely duplicates with their two choices, and a
// coordinator's pavilion.
func TestRegisterExhibitorForm(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	ctx := context.Background()
	org := e.signedIn(t, w.Organizer)
	coord := e.signedIn(t, w.Coordinator)
	bcn := urls.OrganizerExhibitors(w.Barcelona.Slug) + "?lang=en"

	t.Run("Form", func(t *testing.T) {
		resp, body := org.get(urls.OrganizerExhibitorNew(w.Barcelona.Slug) + "?lang=en")
		if resp.StatusCode != s200 {
			t.Fatalf("%d\n%s", resp.StatusCode, excerpt(body))
		}
		d := doc(t, body)
		for _, sel := range []string{`input#legal_name[required]`, `input#name_zh`, `textarea#description_es`, `input#sector-sensors`,
			`input#registration_id`, `select#status option[value="invited"][selected]`, `select#status option[value="approved"]`,
			`select#pavilion option[value="` + itoa(w.WuxiPavilion.ID) + `"]`, `input#booth`} {
			if d.Find(sel).Length() != 1 {
				t.Errorf("the form lacks %s", sel)
			}
		}
		if d.Find(`select#status option[value="applied"]`).Length() != 0 {
			t.Error("the form offers the status applied")
		}
		// A coordinator's pavilion is fixed: theirs, as a hidden field.
		_, body = coord.get(urls.OrganizerExhibitorNew(w.Barcelona.Slug) + "?lang=en")
		d = doc(t, body)
		if d.Find(`select#pavilion`).Length() != 0 || d.Find(`input[type=hidden][name=pavilion][value="`+itoa(w.WuxiPavilion.ID)+`"]`).Length() != 1 ||
			!strings.Contains(d.Find("main").Text(), "Wuxi Pavilion") {
			t.Errorf("the coordinator's form does not fix their pavilion\n%s", excerpt(body))
		}
		// The participations list links here, and to each company's page.
		_, body = org.get(urls.OrganizerParticipations(w.Barcelona.Slug, nil))
		d = doc(t, body)
		if d.Find(`a[href="`+urls.OrganizerExhibitorNew(w.Barcelona.Slug)+`"]`).Length() != 1 ||
			d.Find(`a[href="`+urls.OrganizerExhibitor(w.Cloud.ID)+`"]`).Length() != 1 {
			t.Error("the participations list does not link to the registration form and the company pages")
		}
	})

	t.Run("OK", func(t *testing.T) {
		form := with(registerForm("Spree Sensorik"), "booth", "5-E01", "name_zh", "施普雷传感")
		resp, body := org.post(bcn, form)
		if want := urls.OrganizerParticipations(w.Barcelona.Slug, nil); resp.StatusCode != s303 || resp.Header.Get("Location") != want {
			t.Fatalf("%d %q, want 303 to %s\n%s", resp.StatusCode, resp.Header.Get("Location"), want, excerpt(body))
		}
		x, err := e.store.ExhibitorGet(ctx, "spree-sensorik")
		if err != nil {
			t.Fatal(err)
		}
		if x.Country != "DE" || x.Name.ZH != "施普雷传感" || x.LegalName != "Spree Sensorik GmbH" {
			t.Errorf("stored %+v", x)
		}
		_, body = org.get(resp.Header.Get("Location") + "?lang=en")
		if !strings.Contains(body, "The company has been registered") || !strings.Contains(body, "Spree Sensorik") {
			t.Errorf("the list after registering lacks the flash or the company\n%s", excerpt(body))
		}
		// Approved: in the public directory at once.
		if _, body := fetch(t, e.ts, urls.ExpoDirectory(w.Barcelona.Slug)+"?lang=en"); !strings.Contains(body, "Spree Sensorik") {
			t.Error("the approved registration is not in the directory")
		}
	})

	for _, tc := range []struct {
		name, field, message string
		pairs                []string
	}{
		{"NoName", "name_en", "Fill in at least one language.", []string{"name_en", ""}},
		{"JavascriptWebsite", "website", "Enter a full web address starting with http:// or https://.", []string{"website", "javascript:alert(1)"}},
		{"BadUSCC", "registration_id", "not a valid Unified Social Credit Code", []string{"country", "CN", "registration_id", "91350100M000100Y44"}},
		{"BadNIF", "registration_id", "not a valid NIF or CIF", []string{"country", "ES", "registration_id", "B26740184"}},
		{"BoothTaken", "booth", "This booth is already taken at this expo.", []string{"booth", "2-A01"}},
		{"UnknownSector", "sectors", "", []string{"sectors", "alchemy"}},
	} {
		t.Run("Invalid/"+tc.name, func(t *testing.T) {
			form := with(registerForm("Refused Robotics"), tc.pairs...)
			before := e.snapshot()
			resp, body := org.post(bcn, form)
			if resp.StatusCode != s422 {
				t.Fatalf("%d, want 422\n%s", resp.StatusCode, excerpt(body))
			}
			d := doc(t, body)
			if tc.field != "sectors" {
				msg := d.Find("#" + tc.field + "-error").Text()
				if !strings.Contains(msg, tc.message) {
					t.Errorf("message at %s = %q, want %q", tc.field, msg, tc.message)
				}
				in := d.Find("#" + tc.field)
				if v, _ := in.Attr("value"); tc.field != "name_en" && v != form.Get(tc.field) {
					t.Errorf("%s shows %q, want what was typed %q", tc.field, v, form.Get(tc.field))
				}
				if desc, _ := in.Attr("aria-describedby"); !strings.Contains(desc, tc.field+"-error") {
					t.Errorf("%s is not described by its error (%q)", tc.field, desc)
				}
			}
			if v, _ := d.Find("#legal_name").Attr("value"); v != "Refused Robotics GmbH" {
				t.Errorf("legal name shows %q after a problem", v)
			}
			if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
				t.Errorf("an invalid registration changed %v", changed)
			}
		})
	}

	t.Run("Duplicates", func(t *testing.T) {
		// At Barcelona, where Taihu Sensing exhibits already: listed, nothing to add.
		form := with(registerForm("Taihu Sensing"), "website", "https://taihu-sensing.example.cn")
		before := e.snapshot()
		resp, body := org.post(bcn, form)
		if resp.StatusCode != s200 {
			t.Fatalf("%d, want 200 with the duplicates\n%s", resp.StatusCode, excerpt(body))
		}
		if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
			t.Errorf("showing duplicates changed %v", changed)
		}
		d := doc(t, body)
		panel := d.Find("#duplicates")
		for _, want := range []string{"Taihu Sensing", "无锡太湖传感科技有限公司", "CN", "similar name", "IoT Solutions World Congress (Approved)",
			"It already takes part in this expo (Approved)"} {
			if !strings.Contains(panel.Text(), want) {
				t.Errorf("the duplicates panel lacks %q\n%s", want, excerpt(body))
			}
		}
		if panel.Find(`button[name=existing]`).Length() != 0 {
			t.Error("a company already at this expo can be added again")
		}
		if panel.Find(`button[name=confirm][value=new]`).Length() != 1 || panel.Find(`input[type=hidden][name=seen][value="`+itoa(w.Sensing.ID)+`"]`).Length() != 1 {
			t.Error("no 'create anyway' with the candidates seen")
		}
		if v, _ := d.Find("#website").Attr("value"); v != "https://taihu-sensing.example.cn" {
			t.Errorf("the form does not keep what was typed: website %q", v)
		}

		// At Wuxi, where it does not exhibit: add the participation to it.
		wuxi := urls.OrganizerExhibitors(w.Wuxi.Slug) + "?lang=en"
		_, body = org.post(wuxi, form)
		btn := doc(t, body).Find(`#duplicates button[name=existing][value="` + itoa(w.Sensing.ID) + `"]`)
		if btn.Length() != 1 {
			t.Fatalf("no button to add the participation to Taihu Sensing\n%s", excerpt(body))
		}
		companies := e.companiesNamed(t, "Taihu Sensing")
		resp, body = org.post(wuxi, with(form, "existing", itoa(w.Sensing.ID), "status", "invited"))
		if resp.StatusCode != s303 {
			t.Fatalf("add to existing: %d\n%s", resp.StatusCode, excerpt(body))
		}
		pts, err := e.store.ExhibitorParticipationsOf(ctx, []int64{w.Sensing.ID})
		if err != nil || len(pts) != 2 || pts[1].ExpoID != w.Wuxi.ID || pts[1].Status != expodesk.StatusInvited {
			t.Errorf("Taihu Sensing's participations %+v, %v", pts, err)
		}
		if e.companiesNamed(t, "Taihu Sensing") != companies {
			t.Error("adding to the existing company created one")
		}

		// Create anyway, having seen the candidate: a second company with a slug of its own.
		resp, body = org.post(bcn, with(form, "confirm", "new", "seen", itoa(w.Sensing.ID)))
		if resp.StatusCode != s303 {
			t.Fatalf("create anyway: %d\n%s", resp.StatusCode, excerpt(body))
		}
		if _, err := e.store.ExhibitorGet(ctx, "taihu-sensing-2"); err != nil {
			t.Errorf("the new company's slug: %v", err)
		}
	})

	t.Run("SameRegistrationIDOnlyAddsToExisting", func(t *testing.T) {
		if _, err := e.store.ExhibitorUpdateIdentity(ctx, w.Cloud.ID, w.Cloud.LegalName, "B26740183"); err != nil {
			t.Fatal(err)
		}
		form := with(registerForm("Totally Other"), "country", "ES", "registration_id", "b2674 0183", "confirm", "new", "seen", itoa(w.Cloud.ID))
		resp, body := org.post(urls.OrganizerExhibitors(w.Wuxi.Slug)+"?lang=en", form)
		if resp.StatusCode != s200 {
			t.Fatalf("%d\n%s", resp.StatusCode, excerpt(body))
		}
		panel := doc(t, body).Find("#duplicates")
		if !strings.Contains(panel.Text(), "same registration number") || !strings.Contains(panel.Text(), "no two companies may share one") {
			t.Errorf("the panel does not explain the registration number\n%s", excerpt(body))
		}
		if panel.Find(`button[name=confirm]`).Length() != 0 || panel.Find(`button[name=existing][value="`+itoa(w.Cloud.ID)+`"]`).Length() != 1 {
			t.Error("want only 'add to this company' for the same registration number")
		}
		if e.companiesNamed(t, "Totally Other") != 0 {
			t.Error("a second company with the same registration id was created")
		}
	})

	t.Run("Coordinator", func(t *testing.T) {
		other, err := e.store.PavilionCreate(ctx, expodesk.Pavilion{ExpoID: w.Barcelona.ID, Slug: "catalan-pavilion", Name: expodesk.Text{EN: "Catalan Pavilion"}})
		if err != nil {
			t.Fatal(err)
		}
		before := e.snapshot()
		resp, body := coord.post(bcn, with(registerForm("Lake Robotics"), "pavilion", itoa(other.ID)))
		if resp.StatusCode != s422 || !strings.Contains(doc(t, body).Find("#pavilion").Text(), "your own pavilion only") {
			t.Errorf("another pavilion: %d\n%s", resp.StatusCode, excerpt(body))
		}
		resp, _ = coord.post(urls.OrganizerExhibitors(w.Wuxi.Slug), registerForm("Lake Robotics"))
		if resp.StatusCode != s404 {
			t.Errorf("another expo: %d, want 404", resp.StatusCode)
		}
		if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
			t.Errorf("refused registrations changed %v", changed)
		}
		resp, body = coord.post(bcn, with(registerForm("Lake Robotics"), "pavilion", itoa(w.WuxiPavilion.ID), "status", "invited"))
		if resp.StatusCode != s303 {
			t.Fatalf("own pavilion: %d\n%s", resp.StatusCode, excerpt(body))
		}
		x, err := e.store.ExhibitorGet(ctx, "lake-robotics")
		if err != nil {
			t.Fatal(err)
		}
		var entries int
		if err := e.pool.QueryRow(ctx, `SELECT count(*) FROM audit_entry WHERE action IN ('exhibitor.create', 'participation.create')
			AND exhibitor_id = $1 AND pavilion_id = $2 AND actor_id = $3`, x.ID, w.WuxiPavilion.ID, w.Coordinator.ID).Scan(&entries); err != nil || entries != 2 {
			t.Errorf("%d audit entries in the coordinator's scope, want 2 (%v)", entries, err)
		}
	})
}

// TestOrganizerExhibitorPage edits a company's profile and identity as an
// organizer, with a coordinator limited to their pavilion's companies.
func TestOrganizerExhibitorPage(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	ctx := context.Background()
	org := e.signedIn(t, w.Organizer)
	coord := e.signedIn(t, w.Coordinator)
	page := urls.OrganizerExhibitor(w.Cloud.ID)

	t.Run("Show", func(t *testing.T) {
		resp, body := org.get(page + "?lang=en")
		if resp.StatusCode != s200 {
			t.Fatalf("%d\n%s", resp.StatusCode, excerpt(body))
		}
		d := doc(t, body)
		if v, _ := d.Find("#name_es").Attr("value"); v != "Nube Catalana" {
			t.Errorf("name_es = %q", v)
		}
		if v, _ := d.Find("#legal_name").Attr("value"); v != "Nube Catalana SL" {
			t.Errorf("legal_name = %q", v)
		}
		if !strings.Contains(d.Find("#registration_id-hint").Text(), "NIF or CIF") {
			t.Error("the registration id hint does not name the Spanish kind")
		}
		if d.Find(`a[href="`+urls.Exhibitor(w.Cloud.Slug)+`"]`).Length() != 1 {
			t.Error("no link to the public page")
		}
	})

	t.Run("SaveProfile", func(t *testing.T) {
		form := url.Values{"name_en": {"Catalan Cloud"}, "name_zh": {"加泰云"}, "name_es": {"Nube Catalana"}, "sectors": {"cloud"},
			"country": {"es"}, "city": {"Girona"}, "website": {"https://nube.example.es"}}
		resp, body := org.post(page, form)
		if resp.StatusCode != s303 || resp.Header.Get("Location") != page {
			t.Fatalf("%d %q\n%s", resp.StatusCode, resp.Header.Get("Location"), excerpt(body))
		}
		x, _ := e.store.ExhibitorGetByID(ctx, w.Cloud.ID)
		if x.City != "Girona" || x.Name.ZH != "加泰云" {
			t.Errorf("stored %+v", x)
		}
		resp, body = org.post(page+"?lang=en", with(form, "website", "javascript:alert(1)"))
		if resp.StatusCode != s422 || !strings.Contains(doc(t, body).Find("#website-error").Text(), "http://") {
			t.Errorf("javascript website: %d\n%s", resp.StatusCode, excerpt(body))
		}
	})

	t.Run("SaveIdentity", func(t *testing.T) {
		id := urls.OrganizerExhibitorIdentity(w.Cloud.ID)
		before := e.snapshot()
		resp, body := org.post(id+"?lang=en", url.Values{"legal_name": {"Nube Catalana SLU"}, "registration_id": {"B26740184"}})
		if resp.StatusCode != s422 || !strings.Contains(doc(t, body).Find("#registration_id-error").Text(), "not a valid NIF or CIF") {
			t.Errorf("bad NIF: %d\n%s", resp.StatusCode, excerpt(body))
		}
		if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
			t.Errorf("a bad NIF changed %v", changed)
		}
		resp, body = org.post(id, url.Values{"legal_name": {"Nube Catalana SLU"}, "registration_id": {"B26740183"}})
		if resp.StatusCode != s303 {
			t.Fatalf("%d\n%s", resp.StatusCode, excerpt(body))
		}
		x, _ := e.store.ExhibitorGetByID(ctx, w.Cloud.ID)
		if x.LegalName != "Nube Catalana SLU" || x.RegistrationID != "B26740183" {
			t.Errorf("stored %q %q", x.LegalName, x.RegistrationID)
		}
		var n int
		if err := e.pool.QueryRow(ctx, `SELECT count(*) FROM audit_entry WHERE action = 'exhibitor.update_identity' AND object_id = $1`,
			itoa(w.Cloud.ID)).Scan(&n); err != nil || n != 1 {
			t.Errorf("%d identity entries, %v", n, err)
		}
		// Another company's number is a problem at the field.
		resp, body = org.post(urls.OrganizerExhibitorIdentity(w.Hidden.ID)+"?lang=en", url.Values{"legal_name": {"Applied Only Ltd"}, "registration_id": {""}})
		if resp.StatusCode != s303 {
			t.Fatalf("no change: %d\n%s", resp.StatusCode, excerpt(body))
		}
		if _, err := e.pool.Exec(ctx, `UPDATE exhibitor SET country = 'ES' WHERE id = $1`, w.Hidden.ID); err != nil {
			t.Fatal(err)
		}
		resp, body = org.post(urls.OrganizerExhibitorIdentity(w.Hidden.ID)+"?lang=en", url.Values{"legal_name": {"Applied Only Ltd"}, "registration_id": {"B26740183"}})
		if resp.StatusCode != s422 || !strings.Contains(doc(t, body).Find("#registration_id-error").Text(), "Another company is registered with this number") {
			t.Errorf("a taken number: %d\n%s", resp.StatusCode, excerpt(body))
		}
	})

	t.Run("CoordinatorOwnPavilionOnly", func(t *testing.T) {
		if resp, body := coord.get(urls.OrganizerExhibitor(w.Sensing.ID)); resp.StatusCode != s200 {
			t.Errorf("own pavilion's company: %d\n%s", resp.StatusCode, excerpt(body))
		}
		before := e.snapshot()
		for _, p := range []string{page, urls.OrganizerExhibitorIdentity(w.Cloud.ID)} {
			resp, _ := coord.post(p, url.Values{"legal_name": {"Taken Over"}, "name_en": {"Taken Over"}, "country": {"ES"}})
			if resp.StatusCode != s404 {
				t.Errorf("POST %s: %d, want 404", p, resp.StatusCode)
			}
		}
		if resp, _ := coord.get(page); resp.StatusCode != s404 {
			t.Errorf("GET another pavilion's company: %d, want 404", resp.StatusCode)
		}
		if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
			t.Errorf("refused edits changed %v", changed)
		}
	})
}
