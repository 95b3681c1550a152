package totp

import (
	"bytes"
	"encoding/base32"
	"image/png"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/boombuler/barcode/qr"
	"github.com/pquerna/otp/totp"
)

func TestNewSecret(t *testing.T) {
	t.Parallel()
	secret, raw, err := NewSecret("expodesk", "marc@example.com")
	if err != nil {
		t.Fatal(err)
	}
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
	if err != nil || len(key) != 20 {
		t.Errorf("secret %q: %d bytes, %v; want 20 bytes of base32", secret, len(key), err)
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Scheme != "otpauth" || u.Host != "totp" || u.Path != "/expodesk:marc@example.com" ||
		q.Get("secret") != secret || q.Get("issuer") != "expodesk" ||
		q.Get("digits") != "6" || q.Get("period") != "30" || q.Get("algorithm") != "SHA1" {
		t.Errorf("URL %q", raw)
	}
	if again, _, _ := NewSecret("expodesk", "marc@example.com"); again == secret {
		t.Error("two secrets are equal")
	}
	if _, _, err := NewSecret("", "marc@example.com"); err == nil {
		t.Error("NewSecret without an issuer: no error")
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	secret, _, err := NewSecret("expodesk", "marc@example.com")
	if err != nil {
		t.Fatal(err)
	}
	// In the middle of a step, so that ±30 s lands in the neighbouring steps.
	now := time.Unix(1_800_000_015, 0)
	step := now.Unix() / 30
	code := func(at time.Time) string {
		c, err := totp.GenerateCode(secret, at)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}

	for _, tc := range []struct {
		name     string
		codeAt   time.Time
		lastStep int64
		wantStep int64
		wantOK   bool
	}{
		{"Current", now, 0, step, true},
		{"PhoneBehind30s", now.Add(-30 * time.Second), 0, step - 1, true},
		{"PhoneAhead30s", now.Add(30 * time.Second), 0, step + 1, true},
		{"PhoneBehind90s", now.Add(-90 * time.Second), 0, 0, false},
		{"PhoneAhead90s", now.Add(90 * time.Second), 0, 0, false},
		{"Replay", now, step, 0, false},
		{"OlderAfterNewer", now.Add(-30 * time.Second), step, 0, false},
		{"NextAfterCurrent", now.Add(30 * time.Second), step, step + 1, true},
		{"StepBeforeLast", now, step - 1, step, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Validate(secret, code(tc.codeAt), now, tc.lastStep)
			if got != tc.wantStep || ok != tc.wantOK {
				t.Errorf("Validate = %d, %v; want %d, %v", got, ok, tc.wantStep, tc.wantOK)
			}
		})
	}

	t.Run("ReplayAfterUse", func(t *testing.T) {
		c := code(now)
		used, ok := Validate(secret, c, now, 0)
		if !ok {
			t.Fatal("first use refused")
		}
		if _, ok := Validate(secret, c, now.Add(10*time.Second), used); ok {
			t.Error("the same code was accepted twice")
		}
	})
	t.Run("Formatted", func(t *testing.T) {
		c := code(now)
		for _, typed := range []string{c[:3] + " " + c[3:], " " + c + "\n", "\t" + c[:3] + "\u3000" + c[3:],
			strings.Map(func(r rune) rune { return r - '0' + '０' }, c)} {
			if got, ok := Validate(secret, typed, now, 0); !ok || got != step {
				t.Errorf("Validate(%q) = %d, %v", typed, got, ok)
			}
		}
	})
	t.Run("Malformed", func(t *testing.T) {
		c := code(now)
		for _, typed := range []string{"", c[:5], c + "0", c[:3] + "-" + c[3:], "abcdef", c[:5] + "x",
			"12345６7", "+" + c[1:], c[:5] + "\u0661", strings.Repeat(" ", 100) + c} {
			if _, ok := Validate(secret, typed, now, 0); ok {
				t.Errorf("Validate(%q) accepted", typed)
			}
		}
	})
	t.Run("WrongSecret", func(t *testing.T) {
		other, _, _ := NewSecret("expodesk", "someone@example.com")
		if _, ok := Validate(other, code(now), now, 0); ok {
			t.Error("a code for another secret was accepted")
		}
	})
	t.Run("BadSecret", func(t *testing.T) {
		for _, s := range []string{"", "not base32!", "1111"} {
			if _, ok := Validate(s, code(now), now, 0); ok {
				t.Errorf("Validate with secret %q accepted", s)
			}
		}
	})
}

func TestNormalizeCode(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"123456":                           "123456",
		"123 456":                          "123456",
		" 12 34 56 ":                       "123456",
		"１２３４５６":                           "123456",
		"123\u00a0456":                     "123456",
		"12345":                            "",
		"1234567":                          "",
		"12345a":                           "",
		"123-456":                          "",
		"١٢٣٤٥٦":                           "", // Arabic-Indic digits are not what apps show
		"123456\x00":                       "",
		"\xff\xfe123456":                   "",
		strings.Repeat(" ", 60) + "123456": "",
	} {
		got, ok := NormalizeCode(in)
		if got != want || ok != (want != "") {
			t.Errorf("NormalizeCode(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func FuzzNormalizeCode(f *testing.F) {
	for _, s := range []string{"123456", "123 456", "１２３４５６", "12345", "abcdef", "\xff", " 1 2 3 4 5 6 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, ok := NormalizeCode(in)
		if !ok {
			if got != "" {
				t.Fatalf("NormalizeCode(%q) = %q, false", in, got)
			}
			return
		}
		if len(got) != 6 || strings.Trim(got, "0123456789") != "" {
			t.Fatalf("NormalizeCode(%q) = %q, not six ASCII digits", in, got)
		}
		if again, ok := NormalizeCode(got); !ok || again != got {
			t.Fatalf("NormalizeCode not idempotent: %q → %q → %q", in, got, again)
		}
		// Validate must not panic on anything NormalizeCode lets through.
		Validate("JBSWY3DPEHPK3PXP", in, time.Unix(1_800_000_000, 0), 0)
	})
}

func TestQRCodePNG(t *testing.T) {
	t.Parallel()
	_, raw, err := NewSecret("expodesk", "a.rather.long.organizer.address@pavilion.example.com")
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []int{MinQRSize * 2, 200, 256, MaxQRSize} {
		b, err := QRCodePNG(raw, size)
		if err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		if !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
			t.Fatalf("size %d: not a PNG signature", size)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		if r := img.Bounds(); r.Dx() != size || r.Dy() != size || r.Min.X != 0 || r.Min.Y != 0 {
			t.Fatalf("size %d: image bounds %v", size, r)
		}

		// Read the modules back from the pixels and compare with the matrix:
		// every module is drawn, whole, and a quiet zone surrounds the code.
		code, err := qr.Encode(raw, qr.M, qr.Auto)
		if err != nil {
			t.Fatal(err)
		}
		n := code.Bounds().Dx()
		scale := size / (n + 2*quietZone)
		offset := (size - n*scale) / 2
		if offset < quietZone*scale {
			t.Errorf("size %d: quiet zone %d px, want at least %d", size, offset, quietZone*scale)
		}
		dark := func(x, y int) bool { r, _, _, _ := img.At(x, y).RGBA(); return r == 0 }
		for y := range n {
			for x := range n {
				r, _, _, _ := code.At(x, y).RGBA()
				want := r == 0
				for _, p := range [][2]int{{0, 0}, {scale - 1, 0}, {0, scale - 1}, {scale - 1, scale - 1}} {
					if got := dark(offset+x*scale+p[0], offset+y*scale+p[1]); got != want {
						t.Fatalf("size %d: module (%d,%d) pixel %v dark=%v, want %v", size, x, y, p, got, want)
					}
				}
			}
		}
		for i := range size {
			for _, p := range [][2]int{{i, 0}, {0, i}, {i, size - 1}, {size - 1, i}} {
				if dark(p[0], p[1]) {
					t.Fatalf("size %d: dark pixel on the border at %v", size, p)
				}
			}
		}
	}

	t.Run("Errors", func(t *testing.T) {
		for name, tc := range map[string]struct {
			url  string
			size int
		}{
			"TooSmall":    {raw, MinQRSize - 1},
			"TooBig":      {raw, MaxQRSize + 1},
			"Negative":    {raw, -5},
			"NotOTPAuth":  {"https://example.com/", 256},
			"DoesNotFit":  {"otpauth://totp/x?secret=" + strings.Repeat("A", 400), MinQRSize},
			"TooMuchData": {"otpauth://totp/x?secret=" + strings.Repeat("A", 5000), 512},
		} {
			t.Run(name, func(t *testing.T) {
				if b, err := QRCodePNG(tc.url, tc.size); err == nil {
					t.Errorf("QRCodePNG: %d bytes, no error", len(b))
				}
			})
		}
	})
}
