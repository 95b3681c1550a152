package server

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Device cookies, as OWASP recommends against online password guessing
// ("Slow Down Online Guessing Attacks with Device Cookies"). Counting
// failures per account alone let anyone lock anyone out: ten wrong passwords
// for an email made the right one fail too, from everywhere. A browser that
// signed in to an account gets a cookie signed by the server, naming that
// account; sign-in attempts from it are counted against that device alone.
// Attempts without a valid cookie for the account (a stranger, a new
// browser, a forged, expired or other account's cookie) share the account's
// limit for untrusted clients. A stranger can then lock out only the
// untrusted clients, and the owner's browsers keep working.
//
// The cookie is "v1.<nonce>.<issued unix>.<mac>", the MAC an HMAC-SHA256
// over the nonce, the issue time and the lower-cased email: it names the
// account without carrying its address. The key is generated once and kept
// in PostgreSQL (server_key), so that every instance accepts the cookies of
// the others.

// deviceCookieTTL is how long a device stays trusted after a sign-in.
const deviceCookieTTL = 180 * 24 * time.Hour

// deviceKeyName names the device cookies' key in server_key.
const deviceKeyName = "device_cookie"

// deviceCookieName is the device cookie's name; with TLS it has the __Host-
// prefix, like the session cookie, so no neighbour can plant one.
func deviceCookieName(secure bool) string {
	if secure {
		return "__Host-expodesk_device"
	}
	return "expodesk_device"
}

// deviceKeyCache holds the device cookies' key once read from the database.
type deviceKeyCache struct {
	mu  sync.Mutex
	key []byte
}

// deviceKey returns the key device cookies are signed with, creating it in
// the database on first use.
func (s *Server) deviceKey(ctx context.Context) ([]byte, error) {
	s.deviceKeys.mu.Lock()
	defer s.deviceKeys.mu.Unlock()
	if s.deviceKeys.key == nil {
		k, err := s.store.ServerKey(ctx, deviceKeyName)
		if err != nil {
			return nil, err
		}
		s.deviceKeys.key = k
	}
	return s.deviceKeys.key, nil
}

// deviceMAC signs one device cookie's nonce and issue time for an account.
func deviceMAC(key []byte, email, nonce string, issued int64) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("expodesk device v1\x00" + nonce + "\x00" + strconv.FormatInt(issued, 10) + "\x00" + strings.ToLower(email)))
	return m.Sum(nil)
}

// trustedDevice returns the nonce of the request's device cookie when it is
// genuine, not expired and for email; "" for anything else.
func (s *Server) trustedDevice(r *http.Request, email string) (string, error) {
	c, err := r.Cookie(deviceCookieName(s.cfg.SecureCookies))
	if err != nil {
		return "", nil
	}
	parts := strings.Split(c.Value, ".")
	if len(parts) != 4 || parts[0] != "v1" || len(parts[1]) != 22 {
		return "", nil
	}
	nonce := parts[1]
	issued, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil {
		return "", nil
	}
	mac, err := base64.RawURLEncoding.DecodeString(parts[3])
	if err != nil {
		return "", nil
	}
	key, err := s.deviceKey(r.Context())
	if err != nil {
		return "", err
	}
	if !hmac.Equal(mac, deviceMAC(key, email, nonce, issued)) {
		return "", nil
	}
	// A minute of grace for instances whose clocks differ a little.
	if age := s.now().Sub(time.Unix(issued, 0)); age < -time.Minute || age > deviceCookieTTL {
		return "", nil
	}
	return nonce, nil
}

// signInLimitFor is the failure counter a sign-in attempt for email counts
// against: the device's own when the browser holds a valid device cookie
// for the account, else the account's limit for untrusted clients.
func (s *Server) signInLimitFor(r *http.Request, email string) (limit, error) {
	nonce, err := s.trustedDevice(r, email)
	if err != nil {
		return limit{}, err
	}
	if nonce != "" {
		return signInDeviceLimit(nonce), nil
	}
	return signInAccountLimit(email), nil
}

// issueDeviceCookie marks the browser as one that signed in to email, with
// a new nonce (so a device lockout does not follow it past a success).
func (s *Server) issueDeviceCookie(w http.ResponseWriter, r *http.Request, email string) error {
	key, err := s.deviceKey(r.Context())
	if err != nil {
		return err
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return err
	}
	nonce := base64.RawURLEncoding.EncodeToString(b)
	issued := s.now().Unix()
	value := "v1." + nonce + "." + strconv.FormatInt(issued, 10) + "." +
		base64.RawURLEncoding.EncodeToString(deviceMAC(key, email, nonce, issued))
	http.SetCookie(w, &http.Cookie{Name: deviceCookieName(s.cfg.SecureCookies), Value: value, Path: "/",
		MaxAge: int(deviceCookieTTL.Seconds()), HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
	return nil
}
