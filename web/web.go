// Package web holds expodesk's templ components (layout, shared components,
// pages), their view models, and the embedded static files.
package web

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"maps"
	"net/url"
	"slices"
	"strings"

	"expodesk/internal/expodesk"
	"expodesk/internal/i18n"
	"expodesk/internal/urls"
)

// Static holds the files served under /static/.
//
//go:embed static
var Static embed.FS

// assetVersions maps a static file's path to a short hash of its content, so
// that its URL changes when it does and it can be cached for a year.
var assetVersions = func() map[string]string {
	out := map[string]string{}
	_ = fs.WalkDir(Static, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := Static.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		out[strings.TrimPrefix(p, "static/")] = hex.EncodeToString(sum[:6])
		return nil
	})
	return out
}()

// Asset returns the versioned URL of a static file, e.g. Asset("app.css").
func Asset(name string) string {
	return urls.Static(name, assetVersions[name])
}

// AssetVersion returns the content version of a static file ("" if unknown).
func AssetVersion(name string) string { return assetVersions[name] }

// Request is what every page needs to know about the request it answers.
type Request struct {
	Lang      expodesk.Lang
	Loc       *i18n.Localizer
	URL       *url.URL
	Principal *expodesk.Principal
	RequestID string
	// BaseURL is the configured public origin (BASE_URL), for the absolute
	// links search engines ask for (hreflang); never the request's Host.
	BaseURL string
}

type requestKey struct{}

// WithRequest returns ctx carrying r.
func WithRequest(ctx context.Context, r Request) context.Context {
	ctx = i18n.WithLocalizer(ctx, r.Loc)
	return context.WithValue(ctx, requestKey{}, r)
}

// RequestFrom returns the Request in ctx (English, no URL, when absent).
func RequestFrom(ctx context.Context) Request {
	if r, ok := ctx.Value(requestKey{}).(Request); ok {
		return r
	}
	return Request{Lang: expodesk.EN, Loc: i18n.From(ctx), URL: &url.URL{Path: "/"}}
}

// RequestOf returns the Request in ctx, and whether there is one.
func RequestOf(ctx context.Context) (Request, bool) {
	r, ok := ctx.Value(requestKey{}).(Request)
	return r, ok
}

// Lang returns the request's interface language.
func Lang(ctx context.Context) expodesk.Lang { return RequestFrom(ctx).Lang }

// T translates a message id for the request.
func T(ctx context.Context, id string) string { return i18n.From(ctx).T(id) }

// TD translates a message id with template data.
func TD(ctx context.Context, id string, data map[string]any) string {
	return i18n.From(ctx).T(id, data)
}

// N translates a plural message for count.
func N(ctx context.Context, id string, count int) string { return i18n.From(ctx).N(id, count, nil) }

// In returns a content field in the request's language, with fallback.
func In(ctx context.Context, t expodesk.Text) string { return t.In(Lang(ctx)) }

// LangOf returns the language a content field is actually shown in, for a
// lang attribute on fallback text.
func LangOf(ctx context.Context, t expodesk.Text) string {
	_, l := t.Resolve(Lang(ctx))
	return htmlLang(l)
}

// htmlLang is the BCP 47 tag for an html lang attribute.
func htmlLang(l expodesk.Lang) string {
	if l == expodesk.ZH {
		return "zh-Hans"
	}
	return string(l)
}

// HTMLLang is the lang attribute of the page.
func HTMLLang(ctx context.Context) string { return htmlLang(Lang(ctx)) }

// LangURL returns the current URL switched to another language.
func LangURL(ctx context.Context, l expodesk.Lang) string {
	q := RequestFrom(ctx).URL.Query()
	q.Set("lang", string(l))
	return localURL(ctx, q)
}

// AlternateURL is LangURL as an absolute URL on the configured origin, as
// hreflang alternates must be; relative only when no origin is configured
// (tests serving on a random port).
func AlternateURL(ctx context.Context, l expodesk.Lang) string {
	return urls.Absolute(RequestFrom(ctx).BaseURL, LangURL(ctx, l))
}

// WithQuery returns the current URL with one query parameter replaced (removed when v is empty).
func WithQuery(ctx context.Context, key, v string) string {
	q := RequestFrom(ctx).URL.Query()
	q.Del("lang")
	if v == "" {
		q.Del(key)
	} else {
		q.Set(key, v)
	}
	return localURL(ctx, q)
}

// Echoed parameters are capped: the language switch, the hreflang links and
// pagination repeat the current query up to seven times, so a 10 KB ?q=
// would make a 70 KB page. No public page reads more than 100 characters of
// a value (the directory cuts q there) or more than a handful of parameters,
// so the links lose nothing a page uses.
const (
	maxEchoedValue  = 100 // characters
	maxEchoedParams = 8
)

// localURL is the current path with query q, always a path on this site:
// a request for //evil.example/x must not turn into a link to another host.
func localURL(ctx context.Context, q url.Values) string {
	p := "/" + strings.TrimLeft(RequestFrom(ctx).URL.EscapedPath(), "/\\")
	if len(q) == 0 {
		return p
	}
	keys := slices.Sorted(maps.Keys(q))
	if len(keys) > maxEchoedParams {
		// lang is the one a language link must keep.
		keys = slices.DeleteFunc(keys[:maxEchoedParams], func(k string) bool { return k == "lang" })
		if q.Has("lang") {
			keys = append(keys, "lang")
		}
	}
	kept := url.Values{}
	for _, k := range keys {
		if len(k) > maxEchoedValue || len(q[k]) == 0 {
			continue
		}
		// Pages read a parameter's first value only.
		v := q[k][0]
		if r := []rune(v); len(r) > maxEchoedValue {
			v = string(r[:maxEchoedValue])
		}
		kept.Set(k, v)
	}
	if len(kept) == 0 {
		return p
	}
	return p + "?" + kept.Encode()
}

// CurrentPath returns the path of the current URL.
func CurrentPath(ctx context.Context) string { return RequestFrom(ctx).URL.Path }

// LangName is the name of a language written in that language.
func LangName(l expodesk.Lang) string {
	switch l {
	case expodesk.ZH:
		return "中文"
	case expodesk.ES:
		return "Español"
	}
	return "English"
}

func pageTitle(ctx context.Context, p Page) string {
	if p.Title == "" {
		return "expodesk"
	}
	return p.Title + " · expodesk"
}
