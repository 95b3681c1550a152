// Package totp is the second factor of organizer accounts: time-based one-time
// codes (RFC 6238) that authenticator apps show, enrolled by scanning a QR
// code, and single-use recovery codes for when the phone is lost.
package totp

import (
	"bytes"
	"crypto/subtle"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"
	"time"
	"unicode"

	"github.com/boombuler/barcode/qr"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	"github.com/pquerna/otp/totp"
)

// The parameters every common authenticator app supports (Google
// Authenticator ignores anything else): 30-second steps, 6 digits,
// HMAC-SHA1. SHA-1 is not a weakness here: HOTP relies on HMAC, not on
// collision resistance.
const (
	period = 30
	digits = 6
	// secretSize is RFC 4226's recommended 160-bit shared secret.
	secretSize = 20
	// skew is how many steps before and after the current one are accepted,
	// for phone clocks a little off and codes typed as they change.
	skew = 1
)

// NewSecret returns a new random secret (base32, as stored and as
// authenticator apps accept it typed in) and the otpauth:// URL that the QR
// code carries. issuer names the service in the app ("expodesk"); account
// names the person (an email address).
func NewSecret(issuer, account string) (secret, url string, err error) {
	key, err := totp.Generate(totp.GenerateOpts{
		Issuer:      issuer,
		AccountName: account,
		Period:      period,
		SecretSize:  secretSize,
		Digits:      otp.DigitsSix,
		Algorithm:   otp.AlgorithmSHA1,
	})
	if err != nil {
		return "", "", fmt.Errorf("totp: new secret: %w", err)
	}
	return key.Secret(), key.URL(), nil
}

// QR code sizes QRCodePNG accepts, in pixels: big enough for the densest
// otpauth URL at one pixel per module, small enough that a bad argument
// cannot make the server paint a huge image.
const (
	MinQRSize = 64
	MaxQRSize = 1024
)

// quietZone is the blank border, in modules, that ISO/IEC 18004 requires
// around a QR code for scanners to find it.
const quietZone = 4

// QRCodePNG renders url as a black-on-white QR code PNG of size × size
// pixels, so that enrolment needs no third-party service and no JavaScript.
// It draws the code itself from boombuler/barcode's matrix rather than use
// otp.Key.Image, because that scales the code edge to edge with no quiet
// zone, which scanners need on a dark or busy page; modules are whole pixels
// so the code stays sharp.
func QRCodePNG(url string, size int) ([]byte, error) {
	if size < MinQRSize || size > MaxQRSize {
		return nil, fmt.Errorf("totp: QR code size %d outside %d..%d", size, MinQRSize, MaxQRSize)
	}
	if !strings.HasPrefix(url, "otpauth://") {
		return nil, errors.New("totp: QR code content is not an otpauth:// URL")
	}
	code, err := qr.Encode(url, qr.M, qr.Auto)
	if err != nil {
		return nil, fmt.Errorf("totp: QR code: %w", err)
	}
	n := code.Bounds().Dx()
	scale := size / (n + 2*quietZone)
	if scale < 1 {
		return nil, fmt.Errorf("totp: QR code of %d modules does not fit in %d pixels", n, size)
	}
	offset := (size - n*scale) / 2
	img := image.NewPaletted(image.Rect(0, 0, size, size), color.Palette{color.White, color.Black})
	for y := range n {
		for x := range n {
			if r, _, _, _ := code.At(x, y).RGBA(); r != 0 {
				continue // light module: the background is already white
			}
			for dy := range scale {
				row := (offset+y*scale+dy)*img.Stride + offset + x*scale
				for dx := range scale {
					img.Pix[row+dx] = 1
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("totp: QR code PNG: %w", err)
	}
	return buf.Bytes(), nil
}

// Validate reports whether code is the right one-time code for secret at now,
// allowing one step of clock skew either way, and returns the step it
// belongs to. A step at or before lastStep is refused even when the code is
// right: each code works once, so one seen over a shoulder or phished cannot
// be replayed. The caller stores the returned step as the new lastStep (0 for
// a secret never used), atomically with accepting it.
//
// The code is normalized first (see NormalizeCode); a malformed code, or an
// unusable secret, is simply not ok.
func Validate(secret, code string, now time.Time, lastStep int64) (step int64, ok bool) {
	code, valid := NormalizeCode(code)
	if !valid {
		return 0, false
	}
	current := now.Unix() / period
	opts := hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
	for s := current - skew; s <= current+skew; s++ {
		if s <= lastStep || s < 0 {
			continue
		}
		want, err := hotp.GenerateCodeCustom(secret, uint64(s), opts)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}

// NormalizeCode returns code as the six ASCII digits it should be, and false
// when it is not six digits. Spaces of any kind are removed ("123 456", as
// apps display it), and fullwidth digits, which a Chinese input method may
// type, become ASCII.
func NormalizeCode(code string) (string, bool) {
	if len(code) > 64 {
		return "", false // no real code is this long; don't scan it
	}
	var b strings.Builder
	for _, r := range code {
		switch {
		case unicode.IsSpace(r):
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '０' && r <= '９':
			b.WriteRune('0' + (r - '０'))
		default:
			return "", false
		}
	}
	if b.Len() != digits {
		return "", false
	}
	return b.String(), true
}
