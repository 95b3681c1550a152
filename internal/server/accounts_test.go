package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	pqtotp "github.com/pquerna/otp/totp"

	"expodesk/internal/expodesk"
	"expodesk/internal/mail"
	"expodesk/internal/totp"
)

// testPassword is every fixture account's password. Its argon2id hash is
// computed once per test binary (see testHasher for its cost).
const testPassword = "lantern harbour quietly 7"

// testPasswordHash is the PHC string of testPassword with testHasher's parameters.
var testPasswordHash = sync.OnceValue(func() string {
	h, err := testHasher().Hash(context.Background(), testPassword)
	if err != nil {
		panic(err)
	}
	return h
})

// account is a fixture user with what a person would know: the password,
// the TOTP secret in their app and their recovery codes.
type account struct {
	expodesk.User
	Password      string
	TOTPSecret    string
	RecoveryCodes []string
}

// world is the fixture with one account per role of the route × role matrix,
// and a second member of each team for tests that act on a colleague.
type world struct {
	fixture
	ExhibitorA  account // team of taihu-sensing, in the Wuxi Pavilion
	ExhibitorA2 account // a colleague of ExhibitorA
	ExhibitorB  account // team of nube-catalana, in no pavilion
	ExhibitorB2 account // a colleague of ExhibitorB
	Coordinator account // organizer of the Wuxi Pavilion only, with TOTP
	Organizer   account // expo-wide organizer, with TOTP
}

// newAuthEnv is the environment of the account tests: a server with a
// controllable clock, its log kept, trusting X-Forwarded-For so that each
// test client has an address of its own (throttling counts per address).
func newAuthEnv(t *testing.T, cfg Config) *testEnv {
	t.Helper()
	cfg.TrustProxy = true
	return newEnvWith(t, envOptions{Clock: newTestClock(), Config: cfg, KeepLogs: true})
}

// world seeds the fixture and creates one account per role.
func (e *testEnv) world() world {
	e.t.Helper()
	w := world{fixture: e.seed()}
	w.ExhibitorA = e.createAccount(expodesk.User{Email: "ana@taihu.example.com", Role: expodesk.RoleExhibitor,
		ExhibitorID: &w.Sensing.ID, PersonName: expodesk.PersonName{FamilyName: "王", GivenName: "安娜"}, Lang: expodesk.ZH})
	w.ExhibitorA2 = e.createAccount(expodesk.User{Email: "li.wei@taihu.example.com", Role: expodesk.RoleExhibitor,
		ExhibitorID: &w.Sensing.ID, PersonName: expodesk.PersonName{FamilyName: "李", GivenName: "伟"}, Lang: expodesk.ZH})
	w.ExhibitorB = e.createAccount(expodesk.User{Email: "jordi@nube.example.es", Role: expodesk.RoleExhibitor,
		ExhibitorID: &w.Cloud.ID, PersonName: expodesk.PersonName{FamilyName: "Puig", GivenName: "Jordi"}, Lang: expodesk.ES})
	w.ExhibitorB2 = e.createAccount(expodesk.User{Email: "marta@nube.example.es", Role: expodesk.RoleExhibitor,
		ExhibitorID: &w.Cloud.ID, PersonName: expodesk.PersonName{FamilyName: "Soler", GivenName: "Marta"}, Lang: expodesk.ES})
	w.Coordinator = e.createAccount(expodesk.User{Email: "coordinator@eupic.example.org", Role: expodesk.RoleOrganizer,
		PavilionID: &w.WuxiPavilion.ID, PersonName: expodesk.PersonName{FamilyName: "Chen", GivenName: "Yu"}})
	e.enrolTOTP(&w.Coordinator)
	w.Organizer = e.createAccount(expodesk.User{Email: "director@iotswc.example.org", Role: expodesk.RoleOrganizer,
		PersonName: expodesk.PersonName{FamilyName: "Tarragó", GivenName: "Marc"}, Lang: expodesk.EN})
	e.enrolTOTP(&w.Organizer)
	return w
}

// createAccount inserts a user with testPassword, straight through the store.
func (e *testEnv) createAccount(u expodesk.User) account {
	e.t.Helper()
	u.PasswordHash = testPasswordHash()
	created, err := e.store.UserCreate(context.Background(), u)
	if err != nil {
		e.t.Fatalf("create %s: %v", u.Email, err)
	}
	return account{User: created, Password: testPassword}
}

// enrolTOTP turns on a second factor for a, with a new secret and ten recovery codes.
func (e *testEnv) enrolTOTP(a *account) {
	e.t.Helper()
	ctx := context.Background()
	secret, _, err := totp.NewSecret("expodesk", a.Email)
	if err != nil {
		e.t.Fatal(err)
	}
	plain, hashes := totp.NewRecoveryCodes(10)
	if err := e.store.UserEnableTOTP(ctx, a.ID, secret, 0, hashes); err != nil {
		e.t.Fatal(err)
	}
	a.TOTPSecret, a.RecoveryCodes = secret, plain
	a.User = e.user(a.ID)
}

// user reads a user back from the database.
func (e *testEnv) user(id int64) expodesk.User {
	e.t.Helper()
	u, err := e.store.UserGet(context.Background(), id)
	if err != nil {
		e.t.Fatalf("get user %d: %v", id, err)
	}
	return u
}

// totpCode returns a code the server will accept now for the secret: of a
// step after the last one the user signed in with (codes work once), moving
// the clock on by the 30 seconds of a step when the current steps are used.
func (e *testEnv) totpCode(userID int64, secret string) string {
	e.t.Helper()
	var last int64
	if err := e.pool.QueryRow(context.Background(),
		`SELECT coalesce(totp_last_step, 0) FROM app_user WHERE id = $1`, userID).Scan(&last); err != nil {
		e.t.Fatal(err)
	}
	cur := e.clock.Now().Unix() / 30
	step := max(cur-1, last+1)
	if step > cur+1 {
		e.clock.Advance(time.Duration(step-cur-1) * 30 * time.Second)
	}
	return codeAt(e.t, secret, step)
}

// codeAt is the TOTP code of a 30-second step, computed as an authenticator app does.
func codeAt(t *testing.T, secret string, step int64) string {
	t.Helper()
	code, err := pqtotp.GenerateCode(secret, time.Unix(step*30, 0))
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// nextIP gives each test client an address of its own.
var nextIP atomic.Uint32

// client is one browser: its own cookie jar and client address; it does not
// follow redirects, so that tests see each 303.
type client struct {
	t    *testing.T
	e    *testEnv
	base string // the origin of the server instance it talks to
	http *http.Client
	ip   string
}

// newClient returns a browser talking to the env's server.
func (e *testEnv) newClient(t *testing.T) *client {
	t.Helper()
	return e.newClientOf(t, e.ts.URL)
}

// newClientOf returns a browser talking to the server instance at base.
func (e *testEnv) newClientOf(t *testing.T, base string) *client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	n := nextIP.Add(1)
	return &client{t: t, e: e, base: base, ip: fmt.Sprintf("10.%d.%d.%d", n>>16&255, n>>8&255, n&255),
		http: &http.Client{Transport: e.ts.Client().Transport, Jar: jar,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// get requests path like a browser following a link.
func (c *client) get(path string, headers ...string) (*http.Response, string) {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.do(req, headers...)
}

// post submits a form like a browser on one of the site's pages: same
// origin. Header pairs override the defaults; an empty value removes one.
func (c *client) post(path string, form url.Values, headers ...string) (*http.Response, string) {
	c.t.Helper()
	return c.postRaw(path, "application/x-www-form-urlencoded", form.Encode(), headers...)
}

// postRaw submits a body as it is, with the given content type.
func (c *client) postRaw(path, contentType, body string, headers ...string) (*http.Response, string) {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Origin", c.base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.do(req, headers...)
}

func (c *client) do(req *http.Request, headers ...string) (*http.Response, string) {
	c.t.Helper()
	req.Header.Set("X-Forwarded-For", c.ip)
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
		} else {
			req.Header.Set(headers[i], headers[i+1])
		}
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp, string(b)
}

// session returns the value of the session cookie the client holds ("" when none).
func (c *client) session() string {
	u, _ := url.Parse(c.base)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == sessionCookieName(c.e.cfg.SecureCookies) {
			return ck.Value
		}
	}
	return ""
}

// setSession plants a session cookie, as an attacker who got one into a
// victim's browser would (or to replay a cookie from another client).
func (c *client) setSession(value string) {
	u, _ := url.Parse(c.base)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookieName(c.e.cfg.SecureCookies), Value: value, Path: "/"}})
}

// signInStep submits the sign-in form and returns the answer.
func (c *client) signInStep(email, pw string, extra ...string) (*http.Response, string) {
	c.t.Helper()
	form := url.Values{"email": {email}, "password": {pw}}
	for i := 0; i+1 < len(extra); i += 2 {
		form.Set(extra[i], extra[i+1])
	}
	return c.post("/signin", form)
}

// signIn signs a in, through the second factor when they have one, and
// returns where the server sent them at the end.
func (c *client) signIn(a account) string {
	c.t.Helper()
	resp, body := c.signInStep(a.Email, a.Password)
	if resp.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("sign in %s: %d, want 303\n%s", a.Email, resp.StatusCode, excerpt(body))
	}
	loc := resp.Header.Get("Location")
	if loc != "/signin/totp" {
		return loc
	}
	if a.TOTPSecret == "" {
		c.t.Fatalf("sign in %s: asked for a second factor the fixture did not enrol", a.Email)
	}
	resp, body = c.post("/signin/totp", url.Values{"code": {c.e.totpCode(a.ID, a.TOTPSecret)}})
	if resp.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("sign in %s, second factor: %d, want 303\n%s", a.Email, resp.StatusCode, excerpt(body))
	}
	return resp.Header.Get("Location")
}

// signedIn returns a new client with a signed in.
func (e *testEnv) signedIn(t *testing.T, a account) *client {
	t.Helper()
	c := e.newClient(t)
	c.signIn(a)
	return c
}

// wantSignedOut fails unless the client is a visitor to the server: a page
// for signed-in people sends it to sign in.
func (c *client) wantSignedOut(why string) {
	c.t.Helper()
	resp, _ := c.get("/account")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/signin") {
		c.t.Errorf("%s: GET /account = %d (Location %q), want 303 to /signin: the session should have ended",
			why, resp.StatusCode, resp.Header.Get("Location"))
	}
}

// wantSignedIn fails unless the client's session is signed in.
func (c *client) wantSignedIn(why string) {
	c.t.Helper()
	resp, body := c.get("/account")
	if resp.StatusCode != http.StatusOK {
		c.t.Errorf("%s: GET /account = %d (Location %q), want 200: the session should be signed in\n%s",
			why, resp.StatusCode, resp.Header.Get("Location"), excerpt(body))
	}
}

// mailTo returns the messages in the outbox addressed to, oldest first.
func (e *testEnv) mailTo(to string) []expodesk.MailMessage {
	e.t.Helper()
	msgs, err := e.store.MailList(context.Background(), expodesk.MailFilter{PerPage: 100})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []expodesk.MailMessage
	for i := len(msgs) - 1; i >= 0; i-- {
		if strings.EqualFold(msgs[i].ToAddr, to) {
			out = append(out, msgs[i])
		}
	}
	return out
}

// linkIn returns the path of the one link in m whose path starts with prefix.
func linkIn(t *testing.T, m expodesk.MailMessage, prefix string) string {
	t.Helper()
	for _, l := range mail.LinksIn(m.BodyText) {
		u, err := url.Parse(l)
		if err == nil && strings.HasPrefix(u.Path, prefix) {
			return u.Path
		}
	}
	t.Fatalf("no %s… link in the %s mail to %s:\n%s", prefix, m.Kind, m.ToAddr, m.BodyText)
	return ""
}

// count returns the result of a counting query.
func (e *testEnv) count(query string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.pool.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		e.t.Fatalf("%s: %v", query, err)
	}
	return n
}

// excerpt shortens a body for a failure message: the page's main text.
func excerpt(body string) string {
	if i := strings.Index(body, `<main`); i >= 0 {
		body = body[i:]
	}
	body = tagPattern.ReplaceAllString(body, " ")
	body = strings.Join(strings.Fields(body), " ")
	if len(body) > 600 {
		body = body[:600] + "…"
	}
	return body
}

var tagPattern = regexp.MustCompile(`<[^>]*>`)
