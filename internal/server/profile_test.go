package server

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"html"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/urls"
)

func TestParagraphsReader(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want, problem string
	}{
		{"  Line one\r\nLine two\r\n\r\nThird\r  ", "Line one\nLine two\n\nThird", ""},
		{"中文\n介绍", "中文\n介绍", ""},
		{"", "", ""},
		{"nul\x00inside", "", "validation.encoding"},
		{"bad \xff utf-8", "", "validation.encoding"},
		{strings.Repeat("长", 31), strings.Repeat("长", 31), "validation.too_long"},
		// CRLF counts as one character: fifteen lines of "a" fit in 30.
		{strings.Repeat("a\r\n", 14) + "a", strings.Repeat("a\n", 14) + "a", ""},
	} {
		f := formOf(t, url.Values{"d": {tc.in}})
		got := f.paragraphs("d", 30, false)
		if tc.problem != "validation.too_long" && got != tc.want || problemOf(f, "d") != tc.problem {
			t.Errorf("paragraphs(%q) = %q, %q; want %q, %q", tc.in, got, problemOf(f, "d"), tc.want, tc.problem)
		}
	}
	f := formOf(t, url.Values{})
	if f.paragraphs("d", 10, true); problemOf(f, "d") != "validation.required" {
		t.Errorf("required: %q", problemOf(f, "d"))
	}
}

// profileForm is Taihu Sensing's profile as the page's form would send it.
func profileForm() url.Values {
	return url.Values{
		"name_en": {"Taihu Sensing"}, "name_zh": {"太湖智能传感"}, "name_es": {""},
		"description_en": {"Sensors for water.\r\nMade in Wuxi."}, "description_zh": {"水质传感器"}, "description_es": {""},
		"sectors": {"sensors", "cloud"}, "country": {"cn"}, "city": {"Wuxi"},
		"website": {"https://taihu.example.com"}, "email": {"hello@taihu.example.com"}, "phone": {"+86 510 8888 0000"},
	}
}

func TestProfileEdit(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	ctx := context.Background()
	a := e.newClient(t)
	a.signIn(w.ExhibitorA)
	_, tsCached := cachedInstance(t, e)
	publicZH := urls.Exhibitor(w.Sensing.Slug) + "?lang=zh"
	directoryZH := urls.ExpoDirectory(w.Barcelona.Slug) + "?lang=zh"
	// Warm the page cache: the change must reach pages already cached.
	fetch(t, tsCached, publicZH)
	fetch(t, tsCached, directoryZH)

	t.Run("ShowsTheStoredProfile", func(t *testing.T) {
		resp, body := a.get(urls.ExhibitorProfile())
		if resp.StatusCode != s200 || !strings.Contains(body, `value="太湖传感"`) || !strings.Contains(body, "exhibitor-card") {
			t.Fatalf("%d\n%s", resp.StatusCode, excerpt(body))
		}
	})

	t.Run("ForgedFieldsAreIgnored", func(t *testing.T) {
		beforeCloud, _ := e.store.ExhibitorGetByID(ctx, w.Cloud.ID)
		var beforeParts string
		_ = e.pool.QueryRow(ctx, `SELECT string_agg(concat_ws('|', id, status, pavilion_id, booth), ',' ORDER BY id) FROM participation`).Scan(&beforeParts)
		form := profileForm()
		for k, v := range map[string]string{
			"slug": "hijacked", "legal_name": "Hijacked Ltd", "status": "approved", "pavilion_id": itoa(w.EuroPavilion.ID),
			"pavilion": itoa(w.EuroPavilion.ID), "booth": "9-Z99", "quota": "99", "registration_id": "91320200MA1MYJ5X7N",
			"exhibitor_id": itoa(w.Cloud.ID), "id": itoa(w.Cloud.ID),
		} {
			form.Set(k, v)
		}
		resp, body := a.post(urls.ExhibitorProfile(), form)
		if resp.StatusCode != s303 || resp.Header.Get("Location") != urls.ExhibitorProfile() {
			t.Fatalf("%d %s\n%s", resp.StatusCode, resp.Header.Get("Location"), excerpt(body))
		}
		got, err := e.store.ExhibitorGetByID(ctx, w.Sensing.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name.ZH != "太湖智能传感" || got.Description.EN != "Sensors for water.\nMade in Wuxi." || got.Country != "CN" ||
			strings.Join(got.Sectors, ",") != "cloud,sensors" || got.Phone != "+86 510 8888 0000" {
			t.Errorf("stored %+v", got)
		}
		if got.Slug != w.Sensing.Slug || got.LegalName != w.Sensing.LegalName || got.RegistrationID != w.Sensing.RegistrationID {
			t.Errorf("identity changed: %q %q %q", got.Slug, got.LegalName, got.RegistrationID)
		}
		var afterParts string
		_ = e.pool.QueryRow(ctx, `SELECT string_agg(concat_ws('|', id, status, pavilion_id, booth), ',' ORDER BY id) FROM participation`).Scan(&afterParts)
		if afterParts != beforeParts {
			t.Errorf("participations changed: %s → %s", beforeParts, afterParts)
		}
		if afterCloud, _ := e.store.ExhibitorGetByID(ctx, w.Cloud.ID); afterCloud.UpdatedAt != beforeCloud.UpdatedAt || afterCloud.Name != beforeCloud.Name {
			t.Error("the forged exhibitor_id changed another company")
		}
		// The page after saving shows the saved card.
		_, body = a.get(urls.ExhibitorProfile())
		if !strings.Contains(body, "太湖智能传感") || !strings.Contains(body, html.EscapeString("The profile has been saved")) && !strings.Contains(body, "简介已保存") {
			t.Errorf("page after saving:\n%s", excerpt(body))
		}
	})

	t.Run("PublicPageAndDirectoryShowTheChangeAtOnce", func(t *testing.T) {
		for _, page := range []string{publicZH, directoryZH} {
			deadline := time.Now().Add(5 * time.Second)
			for {
				_, body := fetch(t, tsCached, page)
				if strings.Contains(body, "太湖智能传感") {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("%s still shows the old name", page)
				}
				time.Sleep(20 * time.Millisecond)
			}
		}
	})

	t.Run("InvalidKeepsWhatWasTyped", func(t *testing.T) {
		before, _ := e.store.ExhibitorGetByID(ctx, w.Sensing.ID)
		form := profileForm()
		form.Set("name_zh", "新名字")
		form.Set("website", "javascript:alert(1)")
		form.Set("description_es", "Sensores\r\nde agua")
		resp, body := a.post(urls.ExhibitorProfile()+"?lang=es", form)
		if resp.StatusCode != s422 {
			t.Fatalf("%d\n%s", resp.StatusCode, excerpt(body))
		}
		for _, want := range []string{`value="新名字"`, `value="javascript:alert(1)"`, "Sensores", "de agua", `id="website-error"`} {
			if !strings.Contains(body, want) {
				t.Errorf("422 page lacks %q", want)
			}
		}
		if after, _ := e.store.ExhibitorGetByID(ctx, w.Sensing.ID); after.UpdatedAt != before.UpdatedAt {
			t.Error("an invalid profile was saved")
		}
	})

	t.Run("NoNameAtAll", func(t *testing.T) {
		form := profileForm()
		form.Set("name_en", "")
		form.Set("name_zh", "")
		resp, body := a.post(urls.ExhibitorProfile(), form)
		if resp.StatusCode != s422 || !strings.Contains(body, `id="name_en-error"`) {
			t.Errorf("%d\n%s", resp.StatusCode, excerpt(body))
		}
	})
}

// upload posts one file as the logo form does.
func (c *client) upload(path, filename string, data []byte, headers ...string) (*http.Response, string) {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", filename)
	if err != nil {
		c.t.Fatal(err)
	}
	_, _ = fw.Write(data)
	_ = mw.Close()
	return c.postRaw(path, mw.FormDataContentType(), body.String(), headers...)
}

func encodePNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{uint8(x), uint8(y), 200, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// hugePNGHeader is a PNG signature and a valid IHDR chunk announcing w×h
// pixels, with no pixel data.
func hugePNGHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6
	chunk := append([]byte("IHDR"), ihdr...)
	_ = binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	b.Write(chunk)
	_ = binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

func TestLogoUpload(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	ctx := context.Background()
	a := e.newClient(t)
	a.signIn(w.ExhibitorA)

	var gifData bytes.Buffer
	if err := gif.Encode(&gifData, image.NewPaletted(image.Rect(0, 0, 4, 4), []color.Color{color.Black}), nil); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, filename string
		data           []byte
		status         int
		message        string
	}{
		{"HTMLRenamedPNG", "logo.png", []byte("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"), s422, "This file is not a PNG, JPEG or WebP image"},
		{"HugeHeader", "huge.png", hugePNGHeader(100000, 100000), s422, "This image is too large: at most 4096 × 4096 pixels."},
		{"SVG", "logo.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>`), s422, "This file is not a PNG, JPEG or WebP image"},
		{"GIF", "logo.gif", gifData.Bytes(), s422, "This file is not a PNG, JPEG or WebP image"},
		{"Truncated", "cut.png", encodePNG(t, 64, 64)[:100], s422, "damaged or incomplete"},
		{"Empty", "empty.png", []byte{}, s422, "This file is empty."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := e.snapshot()
			resp, body := a.upload(urls.ExhibitorOwnLogo("")+"?lang=en", tc.filename, tc.data)
			if resp.StatusCode != tc.status || !strings.Contains(html.UnescapeString(body), tc.message) || !strings.Contains(body, `id="file-error"`) {
				t.Fatalf("%d, want %d with %q\n%s", resp.StatusCode, tc.status, tc.message, excerpt(body))
			}
			if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
				t.Errorf("a refused upload changed %v", changed)
			}
		})
	}

	t.Run("FiftyMegabytesRefusedBeforeParsing", func(t *testing.T) {
		before := e.snapshot()
		big := append(encodePNG(t, 8, 8), make([]byte, 50<<20)...)
		resp, body := a.upload(urls.ExhibitorOwnLogo("")+"?lang=en", "big.png", big)
		if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "KB") {
			t.Fatalf("%d\n%s", resp.StatusCode, excerpt(body))
		}
		if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
			t.Errorf("changed %v", changed)
		}
	})

	t.Run("ChineseMessage", func(t *testing.T) {
		_, body := a.upload(urls.ExhibitorOwnLogo("")+"?lang=zh", "logo.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`))
		if !strings.Contains(body, "此文件不是 PNG、JPEG 或 WebP 图片") {
			t.Errorf("no Chinese message\n%s", excerpt(body))
		}
	})

	var jpegData bytes.Buffer
	if err := jpeg.Encode(&jpegData, image.NewRGBA(image.Rect(0, 0, 1024, 768)), nil); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		data     []byte
		wantType string
		w, h     int
	}{
		{"GoodPNG", encodePNG(t, 700, 700), "image/png", 512, 512},
		{"GoodJPEG", jpegData.Bytes(), "image/jpeg", 512, 384},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := a.upload(urls.ExhibitorOwnLogo(""), "logo", tc.data)
			if resp.StatusCode != s303 || resp.Header.Get("Location") != urls.ExhibitorProfile() {
				t.Fatalf("%d\n%s", resp.StatusCode, excerpt(body))
			}
			stored, err := e.store.LogoGetOwn(ctx, w.Sensing.ID)
			if err != nil {
				t.Fatal(err)
			}
			cfg, format, err := image.DecodeConfig(bytes.NewReader(stored.Data))
			if err != nil || "image/"+format != tc.wantType || stored.ContentType != tc.wantType || cfg.Width != tc.w || cfg.Height != tc.h {
				t.Errorf("stored %s %s %dx%d (%v), want %s %dx%d", stored.ContentType, format, cfg.Width, cfg.Height, err, tc.wantType, tc.w, tc.h)
			}
			if bytes.Equal(stored.Data, tc.data) {
				t.Error("stored as uploaded, not re-encoded")
			}
			// Its own team sees it through the signed-in route, with nosniff and an ETag.
			resp, got := a.get(urls.ExhibitorOwnLogo(stored.ETag))
			if resp.StatusCode != s200 || got != string(stored.Data) || resp.Header.Get("Content-Type") != tc.wantType ||
				resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("ETag") != `"`+stored.ETag+`"` {
				t.Errorf("own logo: %d %v", resp.StatusCode, resp.Header)
			}
			if resp, _ := a.get(urls.ExhibitorOwnLogo(stored.ETag), "If-None-Match", `"`+stored.ETag+`"`); resp.StatusCode != http.StatusNotModified {
				t.Errorf("If-None-Match: %d", resp.StatusCode)
			}
			// The company is approved: the public route serves it with long caching.
			resp, got = a.get(urls.ExhibitorLogo(w.Sensing.Slug, stored.ETag))
			if resp.StatusCode != s200 || got != string(stored.Data) || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
				t.Errorf("public logo: %d %v", resp.StatusCode, resp.Header)
			}
			// No image bytes in the audit log.
			var after string
			if err := e.pool.QueryRow(ctx, `SELECT after::text FROM audit_entry WHERE action = 'exhibitor.set_logo' ORDER BY id DESC LIMIT 1`).Scan(&after); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(after, stored.ETag) || len(after) > 300 {
				t.Errorf("audit after: %s", after)
			}
		})
	}

	t.Run("ProfilePageShowsTheLogo", func(t *testing.T) {
		stored, _ := e.store.LogoGetOwn(ctx, w.Sensing.ID)
		_, body := a.get(urls.ExhibitorProfile())
		if !strings.Contains(body, html.EscapeString(urls.ExhibitorOwnLogo(stored.ETag))) {
			t.Errorf("profile page lacks the own-logo URL\n%s", excerpt(body))
		}
	})

	t.Run("Remove", func(t *testing.T) {
		resp, _ := a.post(urls.ExhibitorLogoDelete(), url.Values{})
		if resp.StatusCode != s303 {
			t.Fatalf("%d", resp.StatusCode)
		}
		if _, err := e.store.LogoGetOwn(ctx, w.Sensing.ID); !errors.Is(err, expodesk.ErrNotFound) {
			t.Errorf("logo still stored: %v", err)
		}
		if resp, _ := a.get(urls.ExhibitorOwnLogo("")); resp.StatusCode != s404 {
			t.Errorf("own logo after removal: %d", resp.StatusCode)
		}
	})
}

// TestOwnLogoBeforeApproval: a company that only applied has no public
// logo, but its team sees it through the signed-in route.
func TestOwnLogoBeforeApproval(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	hidden := e.createAccount(expodesk.User{Email: "team@applied.example.com", Role: expodesk.RoleExhibitor,
		ExhibitorID: &w.Hidden.ID, PersonName: expodesk.PersonName{FamilyName: "Applicant"}})
	c := e.newClient(t)
	c.signIn(hidden)
	if resp, body := c.upload(urls.ExhibitorOwnLogo(""), "logo.png", encodePNG(t, 40, 40)); resp.StatusCode != s303 {
		t.Fatalf("%d\n%s", resp.StatusCode, excerpt(body))
	}
	stored, err := e.store.LogoGetOwn(context.Background(), w.Hidden.ID)
	if err != nil {
		t.Fatal(err)
	}
	if resp, _ := c.get(urls.ExhibitorLogo(w.Hidden.Slug, stored.ETag)); resp.StatusCode != s404 {
		t.Errorf("public logo of an unapproved company: %d", resp.StatusCode)
	}
	if resp, body := c.get(urls.ExhibitorOwnLogo(stored.ETag)); resp.StatusCode != s200 || body != string(stored.Data) {
		t.Errorf("own logo: %d", resp.StatusCode)
	}
	if _, body := c.get(urls.ExhibitorProfile() + "?lang=en"); !strings.Contains(body, "Your company is not public yet") {
		t.Errorf("profile page of an unapproved company\n%s", excerpt(body))
	}
}
