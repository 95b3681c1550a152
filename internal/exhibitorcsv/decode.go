package exhibitorcsv

import (
	"bytes"
	stdunicode "unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"expodesk/internal/expodesk"
)

// Encodings a file may be in.
const (
	UTF8    = "utf-8"
	UTF16   = "utf-16"  // with its byte-order mark: Excel's "Unicode text"
	GB18030 = "gb18030" // also GBK and GB2312, its subsets
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// errEncoding is the file-level error for bytes that are neither UTF-8 nor
// Chinese text in GB18030: the message tells the user to save as CSV UTF-8.
var errEncoding = expodesk.Errorf(expodesk.EINVALID, "csv.encoding")

// decode returns data as UTF-8 text and the encoding it was in.
//
// UTF-8 (with or without a BOM) is taken as it is. Anything else is tried as
// GB18030, which Excel writes on Chinese Windows ("CSV (逗号分隔)"). GB18030
// decodes almost any byte string to something, so that alone proves little:
// Spanish text saved by Excel in Windows-1252 ("España" is 45 73 70 61 F1
// 61) and Japanese in Shift-JIS both pass through its two-byte table as
// nonsense. Chinese text, though, is nearly all in the GB2312 area, where
// both bytes are 0xA1 or above, while an accented letter in Windows-1252 is
// followed by a plain ASCII letter and Shift-JIS's kana and most of its
// kanji start below 0xA1. So the file is taken as GB18030 only when it
// decodes without a replacement character, holds at least one Han
// character, and at least half its multi-byte characters are GB2312 ones.
// NUL bytes mean a binary file (and PostgreSQL text cannot hold them).
//
// UTF-16 is read when it starts with its byte-order mark, as Excel's
// "Unicode text" (tab-separated) export does.
func decode(data []byte) (string, string, error) {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil || len(data)%2 != 0 || !utf8.Valid(out) || bytes.ContainsRune(out, utf8.RuneError) || bytes.IndexByte(out, 0) >= 0 {
			return "", "", errEncoding
		}
		return string(out), UTF16, nil
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	if bytes.IndexByte(data, 0) >= 0 {
		return "", "", errEncoding
	}
	if utf8.Valid(data) {
		return string(data), UTF8, nil
	}
	multi, gb2312 := 0, 0
	for i := 0; i < len(data); {
		c0 := data[i]
		switch {
		case c0 < 0x80:
			i++
			continue
		case c0 == 0x80 || c0 == 0xFF:
			return "", "", errEncoding
		}
		if i+1 >= len(data) {
			return "", "", errEncoding
		}
		c1 := data[i+1]
		switch {
		case c1 >= 0x30 && c1 <= 0x39: // four-byte sequence
			multi++
			i += 4
		case c1 >= 0x40 && c1 <= 0xFE && c1 != 0x7F:
			multi++
			if c0 >= 0xA1 && c0 <= 0xF7 && c1 >= 0xA1 {
				gb2312++
			}
			i += 2
		default:
			return "", "", errEncoding
		}
	}
	if gb2312*2 < multi {
		return "", "", errEncoding
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil || !utf8.Valid(out) || bytes.ContainsRune(out, utf8.RuneError) ||
		!bytes.ContainsFunc(out, func(r rune) bool { return stdunicode.Is(stdunicode.Han, r) }) {
		return "", "", errEncoding
	}
	return string(out), GB18030, nil
}

// detectSeparator picks the separator of the header line: the most frequent
// of comma, semicolon and tab outside quotes, comma when there is none.
// Spanish Excel writes semicolons (the comma is its decimal mark); "Unicode
// text" exports use tabs.
func detectSeparator(text string) rune {
	counts := map[rune]int{}
	quoted := false
	for _, r := range text {
		if r == '"' {
			quoted = !quoted
			continue
		}
		if quoted {
			continue
		}
		if r == '\n' || r == '\r' {
			break
		}
		if r == ',' || r == ';' || r == '\t' {
			counts[r]++
		}
	}
	best := ','
	for _, r := range []rune{';', '\t'} {
		if counts[r] > counts[best] {
			best = r
		}
	}
	return best
}
