// Package logo checks an uploaded company logo and re-encodes it. Only
// PNG, JPEG and WebP are taken, recognised by their content (never the
// file name or the type the browser claimed); the pixel dimensions are read
// from the header and capped before anything is decoded, so a small file
// announcing a gigapixel image never allocates it; the image is decoded,
// scaled down to fit Box×Box and encoded again by this package, so what is
// stored and served is always an image this code wrote (no scripts, no
// metadata, no polyglot files).
package logo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"net/http"

	"golang.org/x/image/draw"
	"golang.org/x/image/webp"
)

// Limits of an upload.
const (
	// MaxBytes caps the file itself; the route's body cap is a little
	// larger so that the form around it fits.
	MaxBytes = 2 << 20
	// MaxSide caps each pixel dimension announced by the header.
	MaxSide = 4096
	// Box is the size a logo is scaled down to fit.
	Box = 512
)

// The reasons an upload is refused. The caller turns them into a message
// at the file field.
var (
	ErrType       = errors.New("logo: not a PNG, JPEG or WebP image")
	ErrDimensions = errors.New("logo: pixel dimensions too large")
	ErrCorrupt    = errors.New("logo: image cannot be read")
	ErrTooLarge   = errors.New("logo: file too large")
)

// Image is a re-encoded logo, ready to store.
type Image struct {
	ContentType string // image/png or image/jpeg
	Data        []byte
	Width       int
	Height      int
	// ETag names this exact content (a hash), for caching.
	ETag string
}

// formats maps the type sniffed from the content to the decoder for it and
// the name image.DecodeConfig reports for it.
var formats = map[string]struct {
	name   string
	config func([]byte) (image.Config, error)
	decode func([]byte) (image.Image, error)
}{
	"image/png": {"png",
		func(b []byte) (image.Config, error) { return png.DecodeConfig(bytes.NewReader(b)) },
		func(b []byte) (image.Image, error) { return png.Decode(bytes.NewReader(b)) }},
	"image/jpeg": {"jpeg",
		func(b []byte) (image.Config, error) { return jpeg.DecodeConfig(bytes.NewReader(b)) },
		func(b []byte) (image.Image, error) { return jpeg.Decode(bytes.NewReader(b)) }},
	"image/webp": {"webp",
		func(b []byte) (image.Config, error) { return webp.DecodeConfig(bytes.NewReader(b)) },
		func(b []byte) (image.Image, error) { return webp.Decode(bytes.NewReader(b)) }},
}

// Sniff returns the type the content says it is (net/http's sniffing
// algorithm), or "" when it is not one a logo may be.
func Sniff(data []byte) string {
	ct := http.DetectContentType(data)
	if _, ok := formats[ct]; ok {
		return ct
	}
	return ""
}

// decoding bounds how many images are decoded at once: a 4096×4096 image
// takes 64 to 128 MiB while it is decoded and scaled, so a burst of uploads
// queues here rather than exhausting the instance's memory.
var decoding = make(chan struct{}, 2)

// Process checks data and returns it re-encoded: JPEG stays JPEG (a photo
// compresses far better so), PNG and WebP become PNG (keeping transparency).
// It waits for a decoding slot as long as ctx allows.
func Process(ctx context.Context, data []byte) (Image, error) {
	if len(data) > MaxBytes {
		return Image{}, ErrTooLarge
	}
	ct := Sniff(data)
	if ct == "" {
		return Image{}, ErrType
	}
	f := formats[ct]
	// The header alone: dimensions are capped before any pixel is allocated.
	cfg, err := guarded(func() (image.Config, error) { return f.config(data) })
	if err != nil {
		return Image{}, ErrCorrupt
	}
	if cfg.Width < 1 || cfg.Height < 1 {
		return Image{}, ErrCorrupt
	}
	if cfg.Width > MaxSide || cfg.Height > MaxSide {
		return Image{}, ErrDimensions
	}
	select {
	case decoding <- struct{}{}:
		defer func() { <-decoding }()
	case <-ctx.Done():
		return Image{}, ctx.Err()
	}
	src, err := guarded(func() (image.Image, error) { return f.decode(data) })
	if err != nil {
		return Image{}, ErrCorrupt
	}
	if b := src.Bounds(); b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return Image{}, ErrCorrupt
	}
	w, h := fit(cfg.Width, cfg.Height, Box)
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	if w == cfg.Width && h == cfg.Height {
		draw.Draw(dst, dst.Bounds(), src, src.Bounds().Min, draw.Src)
	} else {
		draw.CatmullRom.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Src, nil)
	}
	var out bytes.Buffer
	img := Image{ContentType: "image/png", Width: w, Height: h}
	if ct == "image/jpeg" {
		img.ContentType = "image/jpeg"
		err = jpeg.Encode(&out, dst, &jpeg.Options{Quality: 88})
	} else {
		err = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&out, dst)
	}
	if err != nil {
		return Image{}, err
	}
	img.Data = out.Bytes()
	sum := sha256.Sum256(img.Data)
	img.ETag = hex.EncodeToString(sum[:12])
	return img, nil
}

// guarded runs a decoder, turning a panic inside it (a decoder bug on a
// hostile file) into ErrCorrupt rather than a crashed request.
func guarded[T any](fn func() (T, error)) (v T, err error) {
	defer func() {
		if recover() != nil {
			var zero T
			v, err = zero, ErrCorrupt
		}
	}()
	return fn()
}

// fit scales w×h down to fit box×box, keeping the aspect ratio; smaller
// images keep their size.
func fit(w, h, box int) (int, int) {
	if w <= box && h <= box {
		return w, h
	}
	if w >= h {
		return box, max(1, h*box/w)
	}
	return max(1, w*box/h), box
}
