package server

import (
	"context"
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"expodesk/internal/expodesk"
	"expodesk/internal/metrics"
)

// limit is a fixed-window rate limit on one key.
type limit struct {
	key    string
	max    int
	window time.Duration
}

// Limits for the endpoints people could hammer. Per account they stop
// guessing one password; per address they stop spraying many accounts.
// Sign-in failures are counted per device for a browser holding a device
// cookie for the account (device.go), and per account for every other
// client: a stranger's guesses lock out strangers, not the owner.
func signInAddrLimit(ip string) limit {
	return limit{"signin:ip:" + addrGroup(ip), 30, 15 * time.Minute}
}
func signInAccountLimit(email string) limit {
	return limit{"signin:acct:" + strings.ToLower(email), 10, 15 * time.Minute}
}
func signInDeviceLimit(nonce string) limit {
	return limit{"signin:device:" + nonce, 10, 15 * time.Minute}
}

// confirmLimit counts the passwords a signed-in person types to confirm a
// change: per account, apart from sign-in, so that strangers' sign-in
// guesses never stop the owner and the owner's success never clears theirs.
func confirmLimit(userID int64) limit {
	return limit{"confirm:user:" + strconv.FormatInt(userID, 10), 10, 15 * time.Minute}
}

// totpEnrolLimit counts wrong codes while enrolling a second factor, apart
// from the sign-in step's.
func totpEnrolLimit(userID int64) limit {
	return limit{"totp_enrol:user:" + strconv.FormatInt(userID, 10), 10, 15 * time.Minute}
}

func totpLimit(userID int64) limit {
	return limit{"totp:user:" + strconv.FormatInt(userID, 10), 6, 15 * time.Minute}
}
func totpAddrLimit(ip string) limit  { return limit{"totp:ip:" + addrGroup(ip), 30, 15 * time.Minute} }
func resetAddrLimit(ip string) limit { return limit{"reset:ip:" + addrGroup(ip), 10, time.Hour} }
func resetAccountLimit(email string) limit {
	return limit{"reset:acct:" + strings.ToLower(email), 3, time.Hour}
}
func tokenAddrLimit(ip string) limit { return limit{"token:ip:" + addrGroup(ip), 30, 15 * time.Minute} }
func inviteActorLimit(userID int64) limit {
	return limit{"invite:user:" + strconv.FormatInt(userID, 10), 50, time.Hour}
}

// addrGroup is the part of a client address the per-address limits count:
// an IPv4 address itself, an IPv6 address's /64. One IPv6 subscriber usually
// holds a whole /64 and may send from any of its 2^64 addresses, so counting
// per /128 limited nothing.
func addrGroup(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.Unmap()
	if a.Is4() {
		return a.String()
	}
	p, err := a.WithZone("").Prefix(64)
	if err != nil {
		return ip
	}
	return p.String()
}

// hit counts one request against each limit and returns an ETOOMANY error
// (with the minutes to wait) when any is exceeded.
func (s *Server) hit(ctx context.Context, limits ...limit) error {
	for _, l := range limits {
		n, reset, err := s.store.RateHit(ctx, l.key, l.window)
		if err != nil {
			return err
		}
		if n > l.max {
			return s.tooMany(reset)
		}
	}
	return nil
}

func (s *Server) tooMany(reset time.Time) error {
	wait := reset.Sub(s.now())
	minutes := int(math.Ceil(wait.Minutes()))
	if minutes < 1 {
		minutes = 1
	}
	return &expodesk.Error{Code: expodesk.ETOOMANYREQUEST, Message: "auth.throttled",
		Data: map[string]any{"Minutes": minutes, "RetryAfter": int(math.Ceil(wait.Seconds()))}}
}

// signInThrottled is renderThrottled for a sign-in step (password or
// second factor), counting the refusal among the sign-in failures.
func (s *Server) signInThrottled(w http.ResponseWriter, r *http.Request, err error) {
	if e := expodesk.ErrorOf(err); e != nil && e.Code == expodesk.ETOOMANYREQUEST {
		s.metrics.SignInFailed(metrics.FailThrottled)
	}
	s.renderThrottled(w, r, err)
}

// renderThrottled answers 429 with a Retry-After header and a page saying
// when to retry. An error that is not a refusal (the counters could not be
// read: the database away) goes to the one error path as it is.
func (s *Server) renderThrottled(w http.ResponseWriter, r *http.Request, err error) {
	e := expodesk.ErrorOf(err)
	if e == nil || e.Code != expodesk.ETOOMANYREQUEST {
		s.renderError(w, r, err)
		return
	}
	if secs, ok := e.Data["RetryAfter"].(int); ok {
		w.Header().Set("Retry-After", strconv.Itoa(secs))
	}
	// The route pattern, not the path: a reset or invitation path holds its token.
	route := ""
	if rc := chi.RouteContext(r.Context()); rc != nil {
		route = rc.RoutePattern()
	}
	s.log.WarnContext(r.Context(), "throttled", "route", route, "client", s.clientIP(r))
	s.renderError(w, r, err)
}
