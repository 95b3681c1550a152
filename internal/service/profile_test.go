package service_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"strconv"
	"strings"
	"testing"

	"expodesk/internal/expodesk"
	"expodesk/internal/service"
)

func profileOf(e expodesk.Exhibitor) service.Profile {
	return service.Profile{Name: e.Name, Description: e.Description, Sectors: e.Sectors, Country: e.Country,
		City: e.City, Website: e.Website, Email: e.Email, Phone: e.Phone}
}

// auditCount counts the audit entries of one action about one company.
func (w world) auditCount(t *testing.T, action expodesk.AuditAction, id int64) int {
	t.Helper()
	var n int
	err := w.pool.QueryRow(context.Background(),
		`SELECT count(*) FROM audit_entry WHERE action = $1 AND object_type = 'exhibitor' AND object_id = $2`,
		string(action), itoa(id)).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestUpdateExhibitorProfile(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	in := profileOf(w.inside)
	in.Name = expodesk.Text{EN: "Inside", ZH: "内部科技"}
	in.Description = expodesk.Text{EN: "Line one\nLine two"}
	in.Sectors = []string{"sensors", "cloud"}
	in.City, in.Website, in.Email, in.Phone = "Wuxi", "https://inside.example.cn", "hello@inside.example.cn", "+86 510 1234"

	for _, tc := range []struct {
		name   string
		caller expodesk.User
	}{{"own team", w.exhibitorIn}, {"organizer", w.organizer}, {"coordinator of its pavilion", w.coordinator}} {
		t.Run(tc.name, func(t *testing.T) {
			audits := w.auditCount(t, expodesk.ActionExhibitorUpdateProfile, w.inside.ID)
			got, err := w.svc.UpdateExhibitorProfile(ctx, w.as(tc.caller), w.inside.ID, in)
			if err != nil {
				t.Fatal(err)
			}
			if got.Name.ZH != "内部科技" || got.City != "Wuxi" || strings.Join(got.Sectors, ",") != "cloud,sensors" {
				t.Errorf("stored %+v", got)
			}
			if got.Slug != w.inside.Slug || got.LegalName != w.inside.LegalName {
				t.Errorf("identity changed: %q %q", got.Slug, got.LegalName)
			}
			if n := w.auditCount(t, expodesk.ActionExhibitorUpdateProfile, w.inside.ID); n != audits+1 {
				t.Errorf("%d audit entries, want %d", n, audits+1)
			}
		})
	}

	t.Run("audit holds before and after", func(t *testing.T) {
		var before, after string
		err := w.pool.QueryRow(ctx, `SELECT before::text, after::text FROM audit_entry
			WHERE action = 'exhibitor.update_profile' ORDER BY id LIMIT 1`).Scan(&before, &after)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(before, "内部科技") || !strings.Contains(after, "内部科技") || !strings.Contains(after, "inside.example.cn") {
			t.Errorf("before %s after %s", before, after)
		}
	})

	for _, tc := range []struct {
		name   string
		caller service.Caller
		id     int64
		want   error
	}{
		{"exhibitor A editing B", w.as(w.exhibitorIn), w.outside.ID, expodesk.ErrNotFound},
		{"coordinator editing outside the pavilion", w.as(w.coordinator), w.outside.ID, expodesk.ErrNotFound},
		{"unknown company", w.as(w.organizer), w.outside.ID + 1000, expodesk.ErrNotFound},
	} {
		t.Run("refused/"+tc.name, func(t *testing.T) {
			refusals := w.countRefusals(t)
			before, _ := w.store.ExhibitorGetByID(ctx, w.outside.ID)
			_, err := w.svc.UpdateExhibitorProfile(ctx, tc.caller, tc.id, in)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
			after, _ := w.store.ExhibitorGetByID(ctx, w.outside.ID)
			if after.Name != before.Name || after.City != before.City {
				t.Errorf("changed: %+v → %+v", before, after)
			}
			if tc.id == w.outside.ID && w.countRefusals(t) != refusals+1 {
				t.Error("refusal not audited")
			}
		})
	}
	t.Run("refused/visitor", func(t *testing.T) {
		_, err := w.svc.UpdateExhibitorProfile(ctx, service.Caller{}, w.inside.ID, in)
		if e := expodesk.ErrorOf(err); e == nil || e.Code != expodesk.EUNAUTHORIZED {
			t.Fatalf("err %v", err)
		}
	})

	for _, tc := range []struct {
		name  string
		edit  func(*service.Profile)
		field string
	}{
		{"no name", func(p *service.Profile) { p.Name = expodesk.Text{} }, "name_en"},
		{"javascript website", func(p *service.Profile) { p.Website = "javascript:alert(1)" }, "website"},
		{"ftp website", func(p *service.Profile) { p.Website = "ftp://inside.example.cn" }, "website"},
		{"bad email", func(p *service.Profile) { p.Email = "not an address" }, "email"},
		{"unknown sector", func(p *service.Profile) { p.Sectors = []string{"alchemy"} }, "sectors"},
		{"unknown country", func(p *service.Profile) { p.Country = "cn" }, "country"},
		{"description too long", func(p *service.Profile) { p.Description = expodesk.Text{ZH: strings.Repeat("长", 4001)} }, "description_zh"},
	} {
		t.Run("invalid/"+tc.name, func(t *testing.T) {
			p := in
			tc.edit(&p)
			before := w.auditCount(t, expodesk.ActionExhibitorUpdateProfile, w.inside.ID)
			stored, _ := w.store.ExhibitorGetByID(ctx, w.inside.ID)
			_, err := w.svc.UpdateExhibitorProfile(ctx, w.as(w.exhibitorIn), w.inside.ID, p)
			e := expodesk.ErrorOf(err)
			if e == nil || e.Code != expodesk.EINVALID {
				t.Fatalf("err %v, want EINVALID", err)
			}
			if _, ok := e.Problems[tc.field]; !ok {
				t.Errorf("problems %v, want one at %s", e.Problems, tc.field)
			}
			now, _ := w.store.ExhibitorGetByID(ctx, w.inside.ID)
			if now.UpdatedAt != stored.UpdatedAt || w.auditCount(t, expodesk.ActionExhibitorUpdateProfile, w.inside.ID) != before {
				t.Error("an invalid profile changed something")
			}
		})
	}
}

func (w world) countRefusals(t *testing.T) int {
	t.Helper()
	var n int
	if err := w.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_entry WHERE action = 'auth.forbidden'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func testPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = byte(i)
	}
	img.Set(0, 0, color.NRGBA{255, 0, 0, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestLogo(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	info, err := w.svc.SetLogo(ctx, w.as(w.exhibitorIn), w.inside.ID, testPNG(t, 800, 400))
	if err != nil {
		t.Fatal(err)
	}
	if info.ContentType != "image/png" || info.Width != 512 || info.Height != 256 || info.ETag == "" {
		t.Errorf("stored %+v", info)
	}
	got, err := w.store.LogoGetOwn(ctx, w.inside.ID)
	if err != nil || got.ETag != info.ETag || len(got.Data) != info.Size {
		t.Fatalf("stored %v %v", got.ETag, err)
	}
	var after string
	if err := w.pool.QueryRow(ctx, `SELECT after::text FROM audit_entry WHERE action = 'exhibitor.set_logo'`).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(after, info.ETag) || len(after) > 300 {
		t.Errorf("audit after %s: want size, type and etag only", after)
	}

	t.Run("refused upload changes nothing", func(t *testing.T) {
		_, err := w.svc.SetLogo(ctx, w.as(w.exhibitorIn), w.inside.ID, []byte("<svg xmlns='http://www.w3.org/2000/svg'/>"))
		e := expodesk.ErrorOf(err)
		if e == nil || e.Problems[service.LogoField].Key != "profile.logo_type" {
			t.Fatalf("err %v", err)
		}
		if now, _ := w.store.LogoGetOwn(ctx, w.inside.ID); now.ETag != info.ETag {
			t.Error("logo changed")
		}
	})
	t.Run("forbidden", func(t *testing.T) {
		if _, err := w.svc.SetLogo(ctx, w.as(w.coordinator), w.outside.ID, testPNG(t, 10, 10)); !errors.Is(err, expodesk.ErrNotFound) {
			t.Errorf("coordinator outside the pavilion: %v", err)
		}
		if _, err := w.svc.SetLogo(ctx, w.as(w.exhibitorIn), w.outside.ID, testPNG(t, 10, 10)); !errors.Is(err, expodesk.ErrNotFound) {
			t.Errorf("exhibitor A setting B's logo: %v", err)
		}
		if err := w.svc.RemoveLogo(ctx, w.as(w.exhibitorOut), w.inside.ID); !errors.Is(err, expodesk.ErrNotFound) {
			t.Errorf("exhibitor B removing A's logo: %v", err)
		}
		if _, err := w.store.LogoGetOwn(ctx, w.outside.ID); !errors.Is(err, expodesk.ErrNotFound) {
			t.Errorf("coordinator set another pavilion's logo: %v", err)
		}
		if now, _ := w.store.LogoGetOwn(ctx, w.inside.ID); now.ETag != info.ETag {
			t.Error("exhibitor B removed A's logo")
		}
	})
	t.Run("remove", func(t *testing.T) {
		if err := w.svc.RemoveLogo(ctx, w.as(w.exhibitorIn), w.inside.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := w.store.LogoGetOwn(ctx, w.inside.ID); !errors.Is(err, expodesk.ErrNotFound) {
			t.Errorf("logo still there: %v", err)
		}
		if n := w.auditCount(t, expodesk.ActionExhibitorRemoveLogo, w.inside.ID); n != 1 {
			t.Errorf("%d removal entries", n)
		}
		// Removing again is no change and no entry.
		if err := w.svc.RemoveLogo(ctx, w.as(w.exhibitorIn), w.inside.ID); err != nil {
			t.Fatal(err)
		}
		if n := w.auditCount(t, expodesk.ActionExhibitorRemoveLogo, w.inside.ID); n != 1 {
			t.Errorf("%d removal entries after removing nothing", n)
		}
	})
}

// TestProfileCountryAgainstRegistration: the profile form has no
// registration id, so a country its kind does not fit is a problem at the
// country field, and nothing changes.
func TestProfileCountryAgainstRegistration(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	if _, err := w.pool.Exec(ctx, `UPDATE exhibitor SET registration_id = '91320214MA1QM7K8PB' WHERE id = $1`, w.inside.ID); err != nil {
		t.Fatal(err)
	}
	in := profileOf(w.inside)
	in.Country = "ES"
	audits := w.auditCount(t, expodesk.ActionExhibitorUpdateProfile, w.inside.ID)
	_, err := w.svc.UpdateExhibitorProfile(ctx, w.as(w.exhibitorIn), w.inside.ID, in)
	var e *expodesk.Error
	if !errors.As(err, &e) || e.Problems["country"].Key != "profile.country_registration" {
		t.Fatalf("err = %v, want the problem at the country field", err)
	}
	if _, ok := e.Problems["registration_id"]; ok {
		t.Errorf("a problem at registration_id, a field the form does not have: %+v", e.Problems)
	}
	after, err := w.store.ExhibitorGetByID(ctx, w.inside.ID)
	if err != nil || after.Country != "CN" {
		t.Errorf("country = %q, %v; want CN unchanged", after.Country, err)
	}
	if n := w.auditCount(t, expodesk.ActionExhibitorUpdateProfile, w.inside.ID); n != audits {
		t.Errorf("audit entries %d → %d", audits, n)
	}
}
