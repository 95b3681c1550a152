package server

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"expodesk/internal/expodesk"
)

// badForm is a form of the account pages with a way to get a browser
// ready to submit it, and its fields by kind.
type badForm struct {
	name string
	// setup returns a browser, the URL and a form that would succeed.
	setup func(t *testing.T) (*client, string, url.Values)
	// checked are the fields whose bad values must be refused with a
	// message on the field; loose are choices that fall back to a default
	// (a language, a page to return to): whatever comes, never a 500.
	checked, loose []string
}

// badValues are what a broken or hostile client sends instead of a field's value.
func badValues(field, good string) map[string][]string {
	long := strings.Repeat("名", 1000)
	switch {
	case strings.Contains(field, "email"):
		long = strings.Repeat("a", 290) + "@example.com"
	case strings.Contains(field, "password"):
		long = strings.Repeat("p", 10<<10)
	}
	return map[string][]string{
		"InvalidUTF8":  {"\xff\xfe" + good},
		"Overlong":     {long},
		"Duplicated":   {good, good + "x"},
		"ControlChars": {string([]rune(good)[:len([]rune(good))/2]) + "\x00\r\n" + string([]rune(good)[len([]rune(good))/2:])},
		"Empty":        {""},
	}
}

// TestBadInputForms sends every account form with each field broken in
// turn: invalid UTF-8, overlong, sent twice, control characters, empty.
// A checked field is refused with a message next to it and nothing changes;
// no answer is ever a 500.
func TestBadInputForms(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	var n int
	unique := func(prefix string) string { n++; return fmt.Sprintf("%s%d@taihu.example.com", prefix, n) }
	freshAccount := func(u expodesk.User) account {
		u.Email = unique("bad")
		return e.createAccount(u)
	}
	exhibitor := func() account {
		return freshAccount(expodesk.User{Role: expodesk.RoleExhibitor, ExhibitorID: &w.Sensing.ID, PersonName: expodesk.PersonName{FamilyName: "Bad"}})
	}
	organizerWithTOTP := func() account {
		a := freshAccount(expodesk.User{Role: expodesk.RoleOrganizer, PersonName: expodesk.PersonName{FamilyName: "Bad"}})
		e.enrolTOTP(&a)
		return a
	}

	// kept signs a browser in once per form where the tests do not end its session.
	kept := map[string]*client{}
	keep := func(t *testing.T, name string, a func() account) *client {
		if kept[name] == nil {
			kept[name] = e.signedIn(t, a())
		}
		return kept[name]
	}
	forms := []badForm{
		{name: "SignIn", checked: []string{"email", "password"}, loose: []string{"next"},
			setup: func(t *testing.T) (*client, string, url.Values) {
				return e.newClient(t), "/signin", url.Values{"email": {w.ExhibitorA.Email}, "password": {testPassword}, "next": {"/account"}}
			}},
		{name: "Forgot", checked: []string{"email"},
			setup: func(t *testing.T) (*client, string, url.Values) {
				return e.newClient(t), "/password/forgot", url.Values{"email": {exhibitor().Email}}
			}},
		{name: "Invite", checked: []string{"email", "family_name", "exhibitor", "kind"}, loose: []string{"lang", "given_name", "pavilion"},
			setup: func(t *testing.T) (*client, string, url.Values) {
				return keep(t, "Invite", func() account { return w.Organizer }), "/organizer/users/invite", url.Values{"kind": {"exhibitor"},
					"exhibitor": {itoa(w.Sensing.ID)}, "email": {unique("invitee")}, "family_name": {"Wang"}, "given_name": {"Lei"}, "lang": {"zh"}}
			}},
		{name: "TeamInvite", checked: []string{"email", "family_name"}, loose: []string{"lang", "given_name"},
			setup: func(t *testing.T) (*client, string, url.Values) {
				return keep(t, "TeamInvite", exhibitor), "/exhibitor/team/invite",
					url.Values{"email": {unique("colleague")}, "family_name": {"Wang"}, "given_name": {"Lei"}, "lang": {"zh"}}
			}},
		{name: "AcceptInvitation", checked: []string{"family_name", "password", "password_confirm"}, loose: []string{"lang", "given_name"},
			setup: func(t *testing.T) (*client, string, url.Values) {
				u, err := e.store.UserCreate(t.Context(), expodesk.User{Email: unique("accept"), Role: expodesk.RoleExhibitor, ExhibitorID: &w.Sensing.ID})
				if err != nil {
					t.Fatal(err)
				}
				return e.newClient(t), "/invitations/" + e.createToken(expodesk.TokenInvitation, u.ID, expodesk.InvitationTTL), acceptForm("Wang", "Lei", "zh")
			}},
		{name: "Reset", checked: []string{"password", "password_confirm"},
			setup: func(t *testing.T) (*client, string, url.Values) {
				return e.newClient(t), "/password/reset/" + e.createToken(expodesk.TokenPasswordReset, exhibitor().ID, expodesk.ResetTTL), resetForm()
			}},
		{name: "Profile", checked: []string{"family_name"}, loose: []string{"lang", "given_name"},
			setup: func(t *testing.T) (*client, string, url.Values) {
				return keep(t, "Profile", exhibitor), "/account/profile", url.Values{"family_name": {"Wang"}, "given_name": {"Lei"}, "lang": {"zh"}}
			}},
		{name: "ChangePassword", checked: []string{"current_password", "password", "password_confirm"},
			setup: func(t *testing.T) (*client, string, url.Values) {
				return keep(t, "ChangePassword", exhibitor), "/account/password",
					url.Values{"current_password": {testPassword}, "password": {newPW}, "password_confirm": {newPW}}
			}},
		{name: "TOTP", checked: []string{"code"}, loose: []string{"mode"},
			setup: func(t *testing.T) (*client, string, url.Values) {
				o := organizerWithTOTP()
				c := e.newClient(t)
				c.signInStep(o.Email, o.Password)
				return c, "/signin/totp", url.Values{"code": {e.totpCode(o.ID, o.TOTPSecret)}}
			}},
		{name: "RecoveryCode", checked: []string{"recovery_code"}, loose: []string{"mode"},
			setup: func(t *testing.T) (*client, string, url.Values) {
				o := organizerWithTOTP()
				c := e.newClient(t)
				c.signInStep(o.Email, o.Password)
				return c, "/signin/totp", url.Values{"mode": {"recovery"}, "recovery_code": {o.RecoveryCodes[0]}}
			}},
		{name: "EnrolTOTP", checked: []string{"code"},
			setup: func(t *testing.T) (*client, string, url.Values) {
				o := freshAccount(expodesk.User{Role: expodesk.RoleOrganizer, PersonName: expodesk.PersonName{FamilyName: "Bad"}})
				c := e.newClient(t)
				c.signIn(o)
				_, body := c.get("/signin/totp/setup")
				secret := strings.ReplaceAll(doc(t, body).Find("code.secret").Text(), " ", "")
				return c, "/signin/totp/setup", url.Values{"code": {e.totpCode(o.ID, secret)}}
			}},
		{name: "DisableTOTP", checked: []string{"current_password"},
			setup: func(t *testing.T) (*client, string, url.Values) {
				return keep(t, "DisableTOTP", func() account {
					a := exhibitor()
					e.enrolTOTP(&a)
					return a
				}), "/account/totp/disable", url.Values{"current_password": {testPassword}}
			}},
	}

	for _, f := range forms {
		t.Run(f.name, func(t *testing.T) {
			for _, field := range append(append([]string{}, f.checked...), f.loose...) {
				checked := !contains(f.loose, field)
				for kind, bad := range badValues(field, "valid-value") {
					c, path, form := f.setup(t)
					if good := form.Get(field); good != "" {
						bad = badValues(field, good)[kind]
					}
					if kind == "ControlChars" && strings.Contains(field, "password") {
						continue // a passphrase may hold any character
					}
					if kind == "Empty" && !checked {
						continue
					}
					form[field] = bad
					before := e.snapshot()
					resp, body := c.post(path, form)
					what := fmt.Sprintf("%s %s=%s", path, field, kind)
					switch {
					case resp.StatusCode >= 500:
						t.Errorf("%s: %d\n%s", what, resp.StatusCode, excerpt(body))
						continue
					case !checked:
						if resp.StatusCode >= 400 {
							if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
								t.Errorf("%s answered %d but changed %v", what, resp.StatusCode, changed)
							}
						}
						continue
					}
					// A wrong second factor is a 401 (and counts against the limit); a coordinator's forged kind a 403.
					if resp.StatusCode != http.StatusUnprocessableEntity && resp.StatusCode != http.StatusUnauthorized && resp.StatusCode != http.StatusForbidden {
						t.Errorf("%s: %d, want 422 (or 401/403)\n%s", what, resp.StatusCode, excerpt(body))
					} else if resp.StatusCode == http.StatusUnprocessableEntity && doc(t, body).Find(".field.invalid .error").Length() == 0 {
						t.Errorf("%s: 422 without a message next to a field\n%s", what, excerpt(body))
					}
					if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
						t.Errorf("%s answered %d but changed %v", what, resp.StatusCode, changed)
					}
					if strings.Contains(field, "password") && resp.StatusCode == http.StatusUnprocessableEntity {
						if v, ok := doc(t, body).Find(`input[name="` + field + `"]`).Attr("value"); ok && v != "" {
							t.Errorf("%s: the page shows the typed password again", what)
						}
					}
				}
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// TestBadInputBodies sends bodies no form makes: other content types, a
// malformed encoding, bodies over the caps.
func TestBadInputBodies(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	creds := url.Values{"email": {w.ExhibitorA.Email}, "password": {testPassword}}.Encode()
	for _, tc := range []struct {
		name, contentType, body string
		want                    int
	}{
		{"JSON", "application/json", `{"email":"` + w.ExhibitorA.Email + `","password":"` + testPassword + `"}`, s422},
		{"TextPlain", "text/plain", creds, s422},
		{"NoContentType", "", creds, s422},
		{"Multipart", "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\n" + w.ExhibitorA.Email + "\r\n--x--\r\n", s422},
		{"MalformedEscape", "application/x-www-form-urlencoded", "email=%zz&password=%", s422},
		{"SemicolonSeparator", "application/x-www-form-urlencoded", "email=" + url.QueryEscape(w.ExhibitorA.Email) + ";password=" + url.QueryEscape(testPassword), s422},
		{"OverFormCap", "application/x-www-form-urlencoded", creds + "&pad=" + strings.Repeat("x", 100<<10), http.StatusRequestEntityTooLarge},
		{"OverRequestCap", "application/x-www-form-urlencoded", creds + "&pad=" + strings.Repeat("x", 2<<20), http.StatusRequestEntityTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := e.newClient(t)
			before := e.snapshot()
			resp, body := c.postRaw("/signin", tc.contentType, tc.body, "Content-Type", tc.contentType)
			if resp.StatusCode != tc.want {
				t.Errorf("POST /signin with %s: %d, want %d\n%s", tc.name, resp.StatusCode, tc.want, excerpt(body))
			}
			if tc.want == http.StatusRequestEntityTooLarge && !strings.Contains(body, "This form is too large") {
				t.Errorf("%s: the 413 answer is not the translated page:\n%s", tc.name, excerpt(body))
			}
			if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
				t.Errorf("%s changed %v", tc.name, changed)
			}
			c.wantSignedOut(tc.name)
		})
	}
	t.Run("ChunkedOverCap", func(t *testing.T) {
		c := e.newClient(t)
		req, err := http.NewRequest(http.MethodPost, c.base+"/password/forgot", strings.NewReader(strings.Repeat("email=a&", 300<<10)))
		if err != nil {
			t.Fatal(err)
		}
		req.ContentLength = -1 // sent chunked: the server learns the size only by reading
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, body := c.do(req)
		if resp.StatusCode != http.StatusUnprocessableEntity && resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("chunked 2.4 MB form: %d, want 413 or 422\n%s", resp.StatusCode, excerpt(body))
		}
	})
}

// TestBadInputManyWrongPasswords sends 100 wrong passwords in a row: the
// first ten are wrong passwords, the rest throttled, none a 500, and the
// account's owner signs in after the window.
func TestBadInputManyWrongPasswords(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	c := e.newClient(t)
	before := e.snapshot()
	counts := map[int]int{}
	for i := range 100 {
		resp, body := c.signInStep(w.ExhibitorB.Email, fmt.Sprintf("wrong-%03d", i))
		counts[resp.StatusCode]++
		if resp.StatusCode >= 500 {
			t.Fatalf("attempt %d: %d\n%s", i+1, resp.StatusCode, excerpt(body))
		}
	}
	if counts[s401] != 10 || counts[http.StatusTooManyRequests] != 90 {
		t.Errorf("100 wrong passwords: %v, want 10 × 401 and 90 × 429", counts)
	}
	if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
		t.Errorf("wrong passwords changed %v", changed)
	}
	if n := e.count(`SELECT count(*) FROM audit_entry WHERE action = 'auth.signin_failed'`); n != 10 {
		t.Errorf("%d failed sign-ins audited, want the 10 that were checked", n)
	}
	e.clock.Advance(15 * time.Minute)
	if loc := e.newClient(t).signIn(w.ExhibitorB); loc != "/exhibitor" {
		t.Errorf("after the window the owner signs in to %q, want /exhibitor", loc)
	}
}

// FuzzForm feeds arbitrary bodies and return paths to the form decoding:
// it never panics, a field it accepts is valid by its own rules, and a
// return path always stays on the site.
func FuzzForm(f *testing.F) {
	for _, seed := range []struct{ body, next string }{
		{"email=ana%40taihu.example.com&password=secret&name=Wang&lang=zh", "/account"},
		{"email=a&email=b&name=%FF%FE&lang=xx", "//evil.example"},
		{"email=%E7%8E%8B%40%E4%BE%8B%E5%AD%90.%E4%B8%AD%E5%9B%BD&name=a%00b", `/\evil`},
		{"password=" + strings.Repeat("p", 2000) + "&name=" + strings.Repeat("%E5%90%8D", 200), "https://evil.example"},
		{"%zz=1&;&&==", "/%2F%2Fevil"},
		{"email=x%40y.z%0D%0Abcc%3Aa%40b.c&lang=es", "/\t/evil"},
		{"email=%22a+b%22%40example.com&name=+++", "javascript:alert(1)"},
		{"", ""},
	} {
		f.Add(seed.body, seed.next)
	}
	f.Fuzz(func(t *testing.T, body, next string) {
		req := httptest.NewRequest(http.MethodPost, "/signin", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		fm, err := parseForm(httptest.NewRecorder(), req)
		if err != nil {
			if expodesk.ErrorCode(err) != expodesk.EINVALID {
				t.Fatalf("parseForm error %v is not EINVALID", err)
			}
		} else {
			name := fm.text("name", 100, true)
			if _, bad := fm.Problems["name"]; !bad {
				if !utf8.ValidString(name) || utf8.RuneCountInString(name) > 100 || name == "" ||
					strings.ContainsAny(name, "\x00\r\n") || name != strings.TrimSpace(name) {
					t.Errorf("text accepted %q", name)
				}
			}
			email := fm.email("email")
			if _, bad := fm.Problems["email"]; !bad && !expodesk.ValidEmail(email) {
				t.Errorf("email accepted %q, which ValidEmail refuses", email)
			}
			pw := fm.secret("password")
			if _, bad := fm.Problems["password"]; !bad && (pw == "" || !utf8.ValidString(pw) || len(pw) > 1024) {
				t.Errorf("secret accepted %d bytes (valid UTF-8 %v)", len(pw), utf8.ValidString(pw))
			}
			switch l := fm.lang("lang"); l {
			case expodesk.EN, expodesk.ZH, expodesk.ES:
			default:
				t.Errorf("lang returned %q", l)
			}
		}
		for _, fallback := range []string{"", "/"} {
			p := localPath(next, fallback)
			if p == fallback {
				continue
			}
			if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, `/\`) {
				t.Errorf("localPath(%q) = %q, which does not start with a single /", next, p)
			}
			u, err := url.Parse(p)
			if err != nil || u.Scheme != "" || u.Host != "" || u.Opaque != "" {
				t.Errorf("localPath(%q) = %q, which names a scheme or host (%v)", next, p, err)
			}
			if strings.ContainsAny(p, "\r\n\t\x00") {
				t.Errorf("localPath(%q) = %q, which holds a control character", next, p)
			}
			// What a browser does with the Location: it must stay on this origin.
			base, _ := url.Parse("https://expodesk.example/signin")
			if ref, err := base.Parse(p); err != nil || ref.Host != base.Host {
				t.Errorf("localPath(%q) = %q resolves to host %q", next, p, ref.Host)
			}
		}
	})
}
