package server

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// wantThrottled fails unless resp is the 429 page with a Retry-After of at
// most window that the page repeats in minutes.
func wantThrottled(t *testing.T, what string, resp *http.Response, body string, window time.Duration) {
	t.Helper()
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("%s: %d, want 429\n%s", what, resp.StatusCode, excerpt(body))
		return
	}
	secs, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	if err != nil || secs <= 0 || secs > int(window.Seconds()) {
		t.Errorf("%s: Retry-After %q, want seconds in (0, %d]", what, resp.Header.Get("Retry-After"), int(window.Seconds()))
		return
	}
	minutes := int(math.Ceil(float64(secs) / 60))
	if want := fmt.Sprintf("wait %d minutes", minutes); !strings.Contains(body, want) {
		t.Errorf("%s: the page does not say %q\n%s", what, want, excerpt(body))
	}
}

// sameIP returns a new browser at c's address (another person behind the
// same address, or the same attacker with a fresh cookie jar).
func (c *client) sameIP(t *testing.T) *client {
	d := c.e.newClientOf(t, c.base)
	d.ip = c.ip
	return d
}

// TestThrottleAccount: ten wrong passwords lock the account for the rest of
// the window, even for the right password from elsewhere; after the window
// the person signs in.
func TestThrottleAccount(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	a := w.ExhibitorA
	attacker := e.newClient(t)
	for i := range 10 {
		if resp, body := attacker.signInStep(a.Email, fmt.Sprintf("guess number %d", i)); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d, want 401\n%s", i+1, resp.StatusCode, excerpt(body))
		}
	}
	resp, body := attacker.signInStep(a.Email, a.Password)
	wantThrottled(t, "11th attempt, right password", resp, body, 15*time.Minute)
	owner := e.newClient(t)
	resp, body = owner.signInStep(a.Email, a.Password)
	wantThrottled(t, "the owner from another address", resp, body, 15*time.Minute)
	owner.wantSignedOut("a throttled sign-in")
	resp, body = owner.signInStep(strings.ToUpper(a.Email), a.Password)
	wantThrottled(t, "the email in capitals", resp, body, 15*time.Minute)
	// Other accounts are not affected.
	if loc := e.newClient(t).signIn(w.ExhibitorA2); loc != "/exhibitor" {
		t.Errorf("another account signs in to %q, want /exhibitor", loc)
	}

	e.clock.Advance(15 * time.Minute)
	if loc := owner.signIn(a); loc != "/exhibitor" {
		t.Errorf("after the window the owner signs in to %q, want /exhibitor", loc)
	}
	// A success clears the failures: nine more wrong passwords do not lock.
	for i := range 9 {
		attacker.signInStep(a.Email, fmt.Sprintf("second round %d", i))
	}
	if loc := e.newClient(t).signIn(a); loc != "/exhibitor" {
		t.Errorf("nine failures after a success lock the account: sign-in went to %q", loc)
	}
}

// TestThrottleAddress: one address trying many accounts is stopped after
// 30 attempts, whichever accounts they were; other addresses are not.
func TestThrottleAddress(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	sprayer := e.newClient(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	for g := range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := sprayer.sameIP(t)
			for i := range 6 {
				resp, _ := c.signInStep(fmt.Sprintf("user%d.%d@nube.example.es", g, i), "Summer2025!")
				mu.Lock()
				statuses[resp.StatusCode]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if statuses[http.StatusUnauthorized] != 30 || len(statuses) != 1 {
		t.Fatalf("30 attempts on 30 accounts from one address: %v, want 30 × 401", statuses)
	}
	resp, body := sprayer.sameIP(t).signInStep(w.ExhibitorB.Email, testPassword)
	wantThrottled(t, "31st attempt from the address, a real account", resp, body, 15*time.Minute)
	if loc := e.newClient(t).signIn(w.ExhibitorB); loc != "/exhibitor" {
		t.Errorf("the same account from another address signs in to %q, want /exhibitor", loc)
	}
	e.clock.Advance(15 * time.Minute)
	if loc := sprayer.sameIP(t).signIn(w.ExhibitorB); loc != "/exhibitor" {
		t.Errorf("after the window the address signs in to %q, want /exhibitor", loc)
	}
}

// TestThrottleTwoInstances runs two servers over one database, as behind a
// load balancer: failures on one count on the other, sessions and used
// TOTP steps are shared.
func TestThrottleTwoInstances(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	second := e.secondInstance()

	t.Run("SharedCounters", func(t *testing.T) {
		a := w.ExhibitorB2
		onA := e.newClient(t)
		for i := range 10 {
			onA.signInStep(a.Email, fmt.Sprintf("wrong %d", i))
		}
		resp, body := e.newClientOf(t, second.URL).signInStep(a.Email, a.Password)
		wantThrottled(t, "right password on the second instance after 10 failures on the first", resp, body, 15*time.Minute)
	})

	t.Run("SharedDeviceKey", func(t *testing.T) {
		// A device cookie from the first instance is trusted by the second:
		// the key lives in the shared database.
		b := w.ExhibitorB
		onA := e.newClient(t)
		onA.signIn(b)
		stranger := e.newClientOf(t, second.URL)
		for i := range 12 {
			stranger.signInStep(b.Email, fmt.Sprintf("wrong %d", i))
		}
		onB := e.newClientOf(t, second.URL)
		onB.setDeviceCookie(onA.deviceCookie())
		onB.wantSignInPasses("the first instance's device cookie on the second, after a stranger's 12 failures there", b)
		resp, body := e.newClient(t).signInStep(b.Email, b.Password)
		wantThrottled(t, "an untrusted client on the first instance after the failures on the second", resp, body, 15*time.Minute)
	})

	t.Run("SharedSessions", func(t *testing.T) {
		onA := e.signedIn(t, w.ExhibitorA)
		onB := e.newClientOf(t, second.URL)
		onB.setSession(onA.session())
		onB.wantSignedIn("the first instance's session on the second")
		if resp, _ := onB.post("/signout", nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign out on the second instance: %d", resp.StatusCode)
		}
		onA.wantSignedOut("on the first instance after signing out on the second")
	})

	t.Run("SharedTOTPSteps", func(t *testing.T) {
		o := w.Organizer
		onA, onB := e.newClient(t), e.newClientOf(t, second.URL)
		onA.signInStep(o.Email, o.Password)
		onB.signInStep(o.Email, o.Password)
		code := e.totpCode(o.ID, o.TOTPSecret)
		if resp, _ := onA.post("/signin/totp", url.Values{"code": {code}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("code on the first instance: %d, want 303", resp.StatusCode)
		}
		if resp, _ := onB.post("/signin/totp", url.Values{"code": {code}}); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("the same code on the second instance: %d, want 401", resp.StatusCode)
		}
	})
}

// TestThrottleTOTP: six wrong codes stop the second step for the window,
// even for the right code; after it, the person signs in again from the start.
func TestThrottleTOTP(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	o := w.Coordinator
	c := e.newClient(t)
	c.signInStep(o.Email, o.Password)
	right := e.totpCode(o.ID, o.TOTPSecret)
	n, _ := strconv.Atoi(right)
	wrong := fmt.Sprintf("%06d", (n+500000)%1000000)
	for i := range 6 {
		form := url.Values{"code": {wrong}}
		if i%2 == 1 {
			form = url.Values{"mode": {"recovery"}, "recovery_code": {"aaaaaa-bbbbbb-cccccc-dddddd"}}
		}
		if resp, body := c.post("/signin/totp", form); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong code %d: %d, want 401\n%s", i+1, resp.StatusCode, excerpt(body))
		}
	}
	resp, body := c.post("/signin/totp", url.Values{"code": {right}})
	wantThrottled(t, "the right code after 6 wrong ones", resp, body, 15*time.Minute)
	resp, body = c.post("/signin/totp", url.Values{"mode": {"recovery"}, "recovery_code": {o.RecoveryCodes[0]}})
	wantThrottled(t, "a right recovery code after 6 wrong codes", resp, body, 15*time.Minute)
	// Starting again with the password does not reset the second step's counter.
	again := e.newClient(t)
	again.signInStep(o.Email, o.Password)
	resp, body = again.post("/signin/totp", url.Values{"code": {right}})
	wantThrottled(t, "the right code in a new sign-in", resp, body, 15*time.Minute)
	if n := e.count(`SELECT count(*) FROM recovery_code WHERE user_id = $1 AND used_at IS NOT NULL`, o.ID); n != 0 {
		t.Errorf("a throttled attempt spent %d recovery codes", n)
	}

	e.clock.Advance(15 * time.Minute)
	// The half-finished sign-in has expired meanwhile (10 minutes).
	if resp, _ := c.post("/signin/totp", url.Values{"code": {e.totpCode(o.ID, o.TOTPSecret)}}); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/signin" {
		t.Errorf("second step after 15 minutes: %d to %q, want 303 to /signin", resp.StatusCode, resp.Header.Get("Location"))
	}
	if loc := e.newClient(t).signIn(o); loc != "/organizer" {
		t.Errorf("after the window the coordinator signs in to %q, want /organizer", loc)
	}
}

// TestThrottleForgot: asking for reset links is limited per account (quietly:
// the page still says a mail was sent) and per address (429), and neither
// tells a known address from an unknown one.
func TestThrottleForgot(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	known, unknown := w.ExhibitorA.Email, "stranger@taihu.example.com"

	t.Run("PerAccountQuiet", func(t *testing.T) {
		var first string
		for i := range 5 {
			for _, email := range []string{known, unknown} {
				resp, body := e.newClient(t).post("/password/forgot", url.Values{"email": {email}})
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("request %d for %s: %d, want 200", i+1, email, resp.StatusCode)
				}
				if first == "" {
					first = sameAnswer(body, email)
				} else if sameAnswer(body, email) != first {
					t.Errorf("request %d for %s: the page differs", i+1, email)
				}
			}
		}
		if n := len(e.mailTo(known)); n != 3 {
			t.Errorf("%d reset mails after 5 requests, want 3 (the per-account limit)", n)
		}
		if n := len(e.mailTo(unknown)); n != 0 {
			t.Errorf("%d mails to an unknown address", n)
		}
	})

	t.Run("PerAddress", func(t *testing.T) {
		c := e.newClient(t)
		for i := range 10 {
			email := known
			if i%2 == 1 {
				email = unknown
			}
			if resp, _ := c.post("/password/forgot", url.Values{"email": {email}}); resp.StatusCode != http.StatusOK {
				t.Fatalf("request %d: %d, want 200", i+1, resp.StatusCode)
			}
		}
		respK, bodyK := c.post("/password/forgot", url.Values{"email": {known}})
		wantThrottled(t, "11th request from the address, known email", respK, bodyK, time.Hour)
		respU, bodyU := c.post("/password/forgot", url.Values{"email": {unknown}})
		wantThrottled(t, "12th request from the address, unknown email", respU, bodyU, time.Hour)
		if nonceAttr.ReplaceAllString(bodyK, "") != nonceAttr.ReplaceAllString(bodyU, "") {
			t.Error("the 429 pages for a known and an unknown address differ")
		}
	})
}

// TestThrottleLinksAndInvitations: token pages are limited per address
// (guessing links), invitations per inviting user.
func TestThrottleLinksAndInvitations(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()

	c := e.newClient(t)
	for i := range 30 {
		tok := fmt.Sprintf("%043d", i)
		if resp, _ := c.get("/invitations/" + tok); resp.StatusCode != http.StatusGone {
			t.Fatalf("guess %d: %d, want 410", i+1, resp.StatusCode)
		}
	}
	resp, body := c.get("/password/reset/" + strings.Repeat("B", 43))
	wantThrottled(t, "31st link guess from one address", resp, body, 15*time.Minute)

	org := e.signedIn(t, w.Organizer)
	for i := range 50 {
		resp, body := org.post("/organizer/users/invite", url.Values{"kind": {"exhibitor"}, "exhibitor": {itoa(w.Sensing.ID)},
			"email": {fmt.Sprintf("bulk%d@taihu.example.com", i)}, "family_name": {"Bulk"}, "lang": {"en"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("invitation %d: %d, want 303\n%s", i+1, resp.StatusCode, excerpt(body))
		}
	}
	before := e.snapshot()
	resp, body = org.post("/organizer/users/invite", url.Values{"kind": {"exhibitor"}, "exhibitor": {itoa(w.Sensing.ID)},
		"email": {"bulk50@taihu.example.com"}, "family_name": {"Bulk"}, "lang": {"en"}})
	wantThrottled(t, "51st invitation in an hour", resp, body, time.Hour)
	if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
		t.Errorf("a throttled invitation changed %v", changed)
	}
}

// TestThrottleParallelGuesses: guesses sent at the same moment are each
// counted before they are checked, so a burst gets no more tries than the
// limit, for the second factor as for the password.
func TestThrottleParallelGuesses(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	o := w.Coordinator
	c := e.newClient(t)
	c.signInStep(o.Email, o.Password)
	right := e.totpCode(o.ID, o.TOTPSecret)
	n, _ := strconv.Atoi(right)
	wrong := fmt.Sprintf("%06d", (n+500000)%1000000)
	const burst = 20
	statuses := make(chan int, 2*burst)
	var wg sync.WaitGroup
	for range burst {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, _ := c.post("/signin/totp", url.Values{"code": {wrong}})
			statuses <- resp.StatusCode
		}()
	}
	a := e.newClient(t)
	for range burst {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, _ := a.signInStep(w.ExhibitorB.Email, "not the password")
			statuses <- resp.StatusCode
		}()
	}
	wg.Wait()
	close(statuses)
	checked := 0
	for s := range statuses {
		if s != http.StatusTooManyRequests {
			checked++
		}
	}
	if limit := totpLimit(o.ID).max + signInAccountLimit(w.ExhibitorB.Email).max; checked > limit {
		t.Errorf("%d of %d parallel guesses were checked, want at most %d", checked, 2*burst, limit)
	}
}

// deviceCookie returns the device cookie the client holds ("" when none).
func (c *client) deviceCookie() string {
	u, _ := url.Parse(c.base)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == deviceCookieName(c.e.cfg.SecureCookies) {
			return ck.Value
		}
	}
	return ""
}

// setDeviceCookie plants a device cookie (copied, forged or another account's).
func (c *client) setDeviceCookie(value string) {
	u, _ := url.Parse(c.base)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: deviceCookieName(c.e.cfg.SecureCookies), Value: value, Path: "/"}})
}

// wantSignInPasses fails unless the password step of a's sign-in is accepted.
func (c *client) wantSignInPasses(what string, a account) {
	c.t.Helper()
	resp, body := c.signInStep(a.Email, a.Password)
	if resp.StatusCode != http.StatusSeeOther || strings.HasPrefix(resp.Header.Get("Location"), "/signin?") {
		c.t.Errorf("%s: %d to %q, want the password accepted\n%s", what, resp.StatusCode, resp.Header.Get("Location"), excerpt(body))
	}
}

// TestThrottleDeviceCookie: a stranger's wrong passwords lock out untrusted
// clients only; a browser that signed in to the account before (a valid
// device cookie for it) still signs in, and has a lockout of its own.
func TestThrottleDeviceCookie(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	a := w.ExhibitorA
	owner := e.newClient(t)
	owner.signIn(a)
	genuine := owner.deviceCookie()
	if genuine == "" {
		t.Fatal("signing in set no device cookie")
	}
	other := e.newClient(t)
	other.signIn(w.ExhibitorA2)

	stranger := e.newClient(t)
	for i := range 20 {
		resp, body := stranger.signInStep(a.Email, fmt.Sprintf("guess %d", i))
		if i < 10 && resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("stranger's guess %d: %d, want 401\n%s", i+1, resp.StatusCode, excerpt(body))
		}
		if i >= 10 {
			wantThrottled(t, fmt.Sprintf("stranger's guess %d", i+1), resp, body, 15*time.Minute)
		}
	}
	owner.wantSignInPasses("the owner's browser after a stranger's 20 wrong passwords", a)
	if owner.deviceCookie() == genuine {
		t.Error("signing in again kept the old device cookie; want a new one")
	}
	resp, body := e.newClient(t).signInStep(a.Email, a.Password)
	wantThrottled(t, "the right password from a browser without a device cookie", resp, body, 15*time.Minute)

	parts := strings.Split(owner.deviceCookie(), ".")
	if len(parts) != 4 {
		t.Fatalf("device cookie %q: want four dot-separated parts", owner.deviceCookie())
	}
	issued, _ := strconv.ParseInt(parts[2], 10, 64)
	for _, tc := range []struct{ name, value string }{
		{"ForgedMAC", strings.Join([]string{parts[0], parts[1], parts[2], strings.Repeat("A", len(parts[3]))}, ".")},
		{"ForgedIssueTime", strings.Join([]string{parts[0], parts[1], strconv.FormatInt(issued+1, 10), parts[3]}, ".")},
		{"Garbage", "v1.not-a-cookie"},
		{"OtherAccount", other.deviceCookie()},
	} {
		c := e.newClient(t)
		c.setDeviceCookie(tc.value)
		resp, body := c.signInStep(a.Email, a.Password)
		wantThrottled(t, tc.name+" device cookie counts as untrusted", resp, body, 15*time.Minute)
	}

	t.Run("OwnDeviceLockout", func(t *testing.T) {
		b := w.ExhibitorB
		mine := e.newClient(t)
		mine.signIn(b)
		for i := range 10 {
			if resp, body := mine.signInStep(b.Email, fmt.Sprintf("typo %d", i)); resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("wrong password %d from the trusted browser: %d, want 401\n%s", i+1, resp.StatusCode, excerpt(body))
			}
		}
		resp, body := mine.signInStep(b.Email, b.Password)
		wantThrottled(t, "the trusted browser after its own 10 wrong passwords", resp, body, 15*time.Minute)
		// The device's failures are its own: other clients are not locked out.
		e.newClient(t).wantSignInPasses("an untrusted browser after the trusted one locked itself out", b)
	})

	t.Run("Expired", func(t *testing.T) {
		c := w.ExhibitorB2
		mine := e.newClient(t)
		mine.signIn(c)
		e.clock.Advance(deviceCookieTTL + time.Hour)
		attacker := e.newClient(t)
		for i := range 10 {
			attacker.signInStep(c.Email, fmt.Sprintf("late guess %d", i))
		}
		resp, body := mine.signInStep(c.Email, c.Password)
		wantThrottled(t, "an expired device cookie counts as untrusted", resp, body, 15*time.Minute)
	})
}

// TestThrottleIPv6: per-address limits count an IPv6 client's /64, which a
// single subscriber usually holds whole; other /64s are counted apart.
func TestThrottleIPv6(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	at := func(ip string) *client {
		c := e.newClient(t)
		c.ip = ip
		return c
	}
	for i, ip := range []string{"2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:fffe"} {
		c := at(ip)
		for j := range 15 {
			if resp, body := c.signInStep(fmt.Sprintf("v6.%d.%d@nube.example.es", i, j), "Summer2025!"); resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("attempt %d from %s: %d, want 401\n%s", j+1, ip, resp.StatusCode, excerpt(body))
			}
		}
	}
	resp, body := at("2001:db8:1:2::abcd").signInStep("v6.last@nube.example.es", "Summer2025!")
	wantThrottled(t, "31st attempt from the same /64", resp, body, 15*time.Minute)
	if resp, body := at("2001:db8:1:3::1").signInStep("v6.next@nube.example.es", "Summer2025!"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("an attempt from the next /64: %d, want 401 (not throttled)\n%s", resp.StatusCode, excerpt(body))
	}
}

func TestAddrGroup(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ ip, want string }{
		{"203.0.113.7", "203.0.113.7"},
		{"::ffff:203.0.113.7", "203.0.113.7"},
		{"2001:db8:1:2::1", "2001:db8:1:2::/64"},
		{"2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"},
		{"2001:db8:1:3::1", "2001:db8:1:3::/64"},
		{"fe80::1%eth0", "fe80::/64"},
		{"not an address", "not an address"},
	} {
		if got := addrGroup(tc.ip); got != tc.want {
			t.Errorf("addrGroup(%q) = %q, want %q", tc.ip, got, tc.want)
		}
	}
}
