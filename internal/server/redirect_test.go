package server

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// browserTarget reads a Location header the way a browser does before
// resolving it (the URL Standard): tabs and newlines are removed, leading
// and trailing spaces and control characters trimmed, and in an http(s)
// URL a backslash is a slash.
func browserTarget(loc string) string {
	loc = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, loc)
	loc = strings.TrimFunc(loc, func(r rune) bool { return r <= ' ' })
	return strings.ReplaceAll(loc, `\`, "/")
}

// sameOrigin fails unless loc, as a browser reads it, is a path on this site.
func sameOrigin(t *testing.T, what, loc string) {
	t.Helper()
	b := browserTarget(loc)
	if !strings.HasPrefix(b, "/") || strings.HasPrefix(b, "//") {
		t.Errorf("%s: Location %q reads as %q, which does not start with a single /", what, loc, b)
		return
	}
	u, err := url.Parse(b)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Opaque != "" {
		t.Errorf("%s: Location %q names a scheme or host (%v)", what, loc, err)
		return
	}
	base, _ := url.Parse("https://expodesk.example/signin")
	if ref := base.ResolveReference(u); ref.Host != base.Host || ref.Scheme != base.Scheme {
		t.Errorf("%s: Location %q resolves to %s", what, loc, ref)
	}
}

// redirectLocation is the Location http.Redirect writes for target.
func redirectLocation(target string) string {
	rec := httptest.NewRecorder()
	http.Redirect(rec, httptest.NewRequest(http.MethodPost, "/signin", nil), target, http.StatusSeeOther)
	return rec.Header().Get("Location")
}

func TestLocalPath(t *testing.T) {
	t.Parallel()
	for _, next := range []string{`/./\evil.example/x`, `/.\evil.example`, "/.//evil.example", "/a/..//evil.example",
		"/x/../\\evil.example", `/%5Cevil.example`, `/%5cevil.example`, "/./%5Cevil.example/x", "/%2e/", "/a/%2E%2e/b",
		"/a/./b", "/a/../b", "/a//b", "/.", "/..", "/\x7f/evil.example", "/\t/evil.example", ""} {
		if got := localPath(next, "/home"); got != "/home" {
			t.Errorf("localPath(%q) = %q, want the fallback (Location would be %q)", next, got, redirectLocation(got))
		}
	}
	for _, next := range []string{"/", "/organizer/users", "/organizer/users/", "/exhibitor?tab=slots&x=/../y",
		"/expos/iotswc/agenda#day-2", "/a.b/c..d/.e", "/%E6%97%A0%E9%94%A1", "/无锡"} {
		if got := localPath(next, "/home"); got != next {
			t.Errorf("localPath(%q) = %q, want it kept", next, got)
		}
		if loc := redirectLocation(next); browserTarget(loc) != browserTarget(redirectLocation(loc)) {
			t.Errorf("localPath kept %q, but http.Redirect rewrote it to %q", next, loc)
		}
	}
}

// FuzzLocalPathRedirect: whatever localPath accepts, the Location that
// http.Redirect then writes stays on this site as a browser reads it.
func FuzzLocalPathRedirect(f *testing.F) {
	for _, s := range []string{"/organizer/users", `/./\evil.example/x`, "/./%5Cevil.example/x", "//evil.example",
		`/\evil.example`, "/.//evil.example", "/a/../..//evil.example", "/%2e%2e//evil.example", "/\t/evil.example",
		"/?next=//evil.example", "/a#//evil.example", "/%09/evil.example", "/ /evil.example"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, next string) {
		p := localPath(next, "")
		if p == "" {
			return
		}
		if p != next {
			t.Fatalf("localPath(%q) = %q: neither next nor the fallback", next, p)
		}
		sameOrigin(t, fmt.Sprintf("localPath(%q)", next), redirectLocation(p))
	})
}
