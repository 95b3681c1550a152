package server

import (
	"net/url"
	"path"
	"strings"
)

// localPath returns next when it is a path on this site, so that a sign-in
// link cannot send people elsewhere; otherwise fallback.
//
// The check is made on what the browser will finally see. http.Redirect
// cleans a path (path.Clean) before writing Location, and browsers read a
// backslash as a slash: "/./\evil.example" was accepted, cleaned into
// "/\evil.example" and followed to evil.example. So next is accepted only
// when cleaning leaves it as it is, and it holds no backslash (raw or
// percent-encoded), no dot segment (browsers also read %2e as a dot) and no
// control character (browsers drop tabs and newlines from URLs).
func localPath(next, fallback string) string {
	if !isLocalPath(next) {
		return fallback
	}
	return next
}

func isLocalPath(next string) bool {
	if next == "" || len(next) > 2000 || next[0] != '/' {
		return false
	}
	for i := 0; i < len(next); i++ {
		if c := next[i]; c < 0x20 || c == 0x7f || c == '\\' {
			return false
		}
	}
	if strings.Contains(strings.ToLower(next), "%5c") {
		return false
	}
	// http.Redirect cleans what comes before the query.
	p, _, _ := strings.Cut(next, "?")
	if redirectClean(p) != p {
		return false
	}
	for _, seg := range strings.Split(p, "/") {
		if dotSegment(seg) {
			return false
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Opaque != "" {
		return false
	}
	return true
}

// redirectClean is what http.Redirect does to a path that starts with a
// slash: path.Clean, keeping a trailing slash.
func redirectClean(p string) string {
	c := path.Clean(p)
	if strings.HasSuffix(p, "/") && !strings.HasSuffix(c, "/") {
		c += "/"
	}
	return c
}

// dotSegment reports whether a path segment is one a browser resolves as
// "." or "..", percent-encoded dots included (the URL Standard's single- and
// double-dot segments).
func dotSegment(seg string) bool {
	s := strings.ReplaceAll(strings.ToLower(seg), "%2e", ".")
	return s == "." || s == ".."
}
