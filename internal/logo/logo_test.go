package logo

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"testing"
)

// pngOf encodes a w×h gradient as PNG.
func pngOf(t testing.TB, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, gradient(w, h)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegOf(t testing.TB, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, gradient(w, h), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func gradient(w, h int) image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{uint8(x), uint8(y), 128, 255})
		}
	}
	return img
}

// HugeHeaderPNG is a PNG signature and a well-formed IHDR announcing w×h
// pixels, with no image data: a few dozen bytes that would ask a careless
// decoder for w*h*4 bytes of memory.
func hugeHeaderPNG(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA
	chunk := append([]byte("IHDR"), ihdr...)
	_ = binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	b.Write(chunk)
	_ = binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

func TestProcessGood(t *testing.T) {
	webpData, err := os.ReadFile("testdata/blue-purple-pink.lossy.webp")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name         string
		data         []byte
		wantType     string
		wantW, wantH int
	}{
		{"small png keeps its size", pngOf(t, 40, 30), "image/png", 40, 30},
		{"wide png fits the box", pngOf(t, 1200, 600), "image/png", 512, 256},
		{"tall jpeg stays jpeg", jpegOf(t, 300, 900), "image/jpeg", 170, 512},
		{"webp becomes png", webpData, "image/png", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img, err := Process(t.Context(), tc.data)
			if err != nil {
				t.Fatal(err)
			}
			if img.ContentType != tc.wantType {
				t.Errorf("type %q, want %q", img.ContentType, tc.wantType)
			}
			cfg, format, err := image.DecodeConfig(bytes.NewReader(img.Data))
			if err != nil {
				t.Fatalf("output does not decode: %v", err)
			}
			if "image/"+format != img.ContentType || cfg.Width != img.Width || cfg.Height != img.Height {
				t.Errorf("output %s %dx%d, reported %s %dx%d", format, cfg.Width, cfg.Height, img.ContentType, img.Width, img.Height)
			}
			if tc.wantW != 0 && (img.Width != tc.wantW || img.Height != tc.wantH) {
				t.Errorf("size %dx%d, want %dx%d", img.Width, img.Height, tc.wantW, tc.wantH)
			}
			if img.Width > Box || img.Height > Box || len(img.ETag) != 24 {
				t.Errorf("size %dx%d etag %q", img.Width, img.Height, img.ETag)
			}
			if bytes.Equal(img.Data, tc.data) {
				t.Error("stored as uploaded, not re-encoded")
			}
		})
	}
}

func TestProcessRefused(t *testing.T) {
	var gifData bytes.Buffer
	if err := gif.Encode(&gifData, gradient(10, 10), nil); err != nil {
		t.Fatal(err)
	}
	good := pngOf(t, 64, 64)
	for _, tc := range []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrType},
		{"html renamed .png", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), ErrType},
		{"svg", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>`), ErrType},
		{"svg without prolog", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>`), ErrType},
		{"gif", gifData.Bytes(), ErrType},
		{"png header announcing 100000x100000", hugeHeaderPNG(100000, 100000), ErrDimensions},
		{"png one side too long", hugeHeaderPNG(MaxSide+1, 10), ErrDimensions},
		{"png header without data", hugeHeaderPNG(100, 100), ErrCorrupt},
		{"truncated png", good[:len(good)/2], ErrCorrupt},
		{"png signature then html", append([]byte("\x89PNG\r\n\x1a\n"), "<html>"...), ErrCorrupt},
		{"too many bytes", append(pngOf(t, 8, 8), make([]byte, MaxBytes)...), ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img, err := Process(t.Context(), tc.data)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
			if img.Data != nil {
				t.Error("returned data with an error")
			}
		})
	}
}

func TestProcessWaitsForASlot(t *testing.T) {
	for range cap(decoding) {
		decoding <- struct{}{}
	}
	defer func() {
		for range cap(decoding) {
			<-decoding
		}
	}()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := Process(ctx, pngOf(t, 4, 4)); !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want the context's while every slot is taken", err)
	}
}

func TestFit(t *testing.T) {
	for _, tc := range [][4]int{{512, 512, 512, 512}, {4096, 1, 512, 1}, {1, 4096, 1, 512}, {1000, 500, 512, 256}} {
		if w, h := fit(tc[0], tc[1], 512); w != tc[2] || h != tc[3] {
			t.Errorf("fit(%d,%d) = %d,%d, want %d,%d", tc[0], tc[1], w, h, tc[2], tc[3])
		}
	}
}

// FuzzProcess: no input panics, and nothing that is not a PNG, JPEG or
// WebP image the standard decoders read is ever accepted; what is accepted
// comes out as a decodable image within the box.
func FuzzProcess(f *testing.F) {
	webpData, _ := os.ReadFile("testdata/blue-purple-pink.lossy.webp")
	for _, seed := range [][]byte{pngOf(f, 3, 2), jpegOf(f, 5, 4), webpData, hugeHeaderPNG(100000, 100000),
		[]byte("<svg/>"), []byte("GIF89a"), {}} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := Process(t.Context(), data)
		if err != nil {
			return
		}
		in, format, cerr := image.DecodeConfig(bytes.NewReader(data))
		if cerr != nil || (format != "png" && format != "jpeg" && format != "webp") {
			t.Fatalf("accepted input that is not an allowed image (%q, %v)", format, cerr)
		}
		if in.Width > MaxSide || in.Height > MaxSide {
			t.Fatalf("accepted %dx%d", in.Width, in.Height)
		}
		out, oformat, oerr := image.DecodeConfig(bytes.NewReader(img.Data))
		if oerr != nil || "image/"+oformat != img.ContentType || out.Width > Box || out.Height > Box {
			t.Fatalf("output %q %v %dx%d", oformat, oerr, out.Width, out.Height)
		}
	})
}
