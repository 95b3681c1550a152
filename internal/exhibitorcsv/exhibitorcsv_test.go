package exhibitorcsv

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"expodesk/internal/expodesk"
)

// sectors are the sector codes of the first migration.
var sectors = map[string]bool{
	"sensors": true, "cloud": true, "industrial-internet": true, "internet-of-vehicles": true,
	"smart-city": true, "smart-home": true, "ai": true, "integrated-circuits": true, "energy": true,
	"security": true, "connectivity": true, "healthcare": true, "logistics": true, "agriculture": true,
}

var limits = Limits{Sectors: sectors}

const header = "slug,legal_name,name_en,name_zh,country,expo,booth"

// valid is a valid data row for header.
const valid = "acme-iot,Acme IoT Ltd,Acme IoT,,GB,iotswc-2027,A1"

func mustRead(t *testing.T, data []byte, l Limits) *File {
	t.Helper()
	f, err := Read(bytes.NewReader(data), l)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return f
}

// fileKey returns the message key of a file-level error, failing the test
// if err is not one.
func fileKey(t *testing.T, err error) string {
	t.Helper()
	e := expodesk.ErrorOf(err)
	if e == nil || e.Code != expodesk.EINVALID {
		t.Fatalf("error %v is not an EINVALID *expodesk.Error", err)
	}
	return e.Message
}

func TestReadFormats(t *testing.T) {
	t.Parallel()
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(
		"slug,legal_name,name_zh,country,expo\r\nqingmei,无锡青梅传感科技有限公司,青梅传感,CN,wiot-2027\r\n")
	if err != nil {
		t.Fatal(err)
	}
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(
		"slug;legal_name;name_zh;country;expo\r\nhuishan;无锡惠山智能家居有限公司;惠山智能;CN;wiot-2027\r\n")
	if err != nil {
		t.Fatal(err)
	}
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(
		"slug\tlegal_name\tname_zh\tcountry\texpo\r\nqingmei\t无锡青梅传感科技有限公司\t青梅传感\tCN\twiot-2027\r\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		data      string
		enc       string
		sep       rune
		legalName string // of the first row
		nameZH    string
		lines     []int
	}{
		{"UTF8", header + "\n" + valid + "\n", UTF8, ',', "Acme IoT Ltd", "", []int{2}},
		{"NoFinalNewline", header + "\n" + valid, UTF8, ',', "Acme IoT Ltd", "", []int{2}},
		{"BOMCRLFSemicolon", "\ufeff" + strings.ReplaceAll(header, ",", ";") + "\r\n" +
			"energia-sur;Energía del Sur, S.A.;Energia del Sur;;ES;iotswc-2027;B2\r\n", UTF8, ';', "Energía del Sur, S.A.", "", []int{2}},
		{"Tab", strings.ReplaceAll(header, ",", "\t") + "\n" + strings.ReplaceAll(valid, ",", "\t") + "\n", UTF8, '\t', "Acme IoT Ltd", "", []int{2}},
		{"HeaderAnyCaseAnyOrder", "EXPO, Country ,Legal_Name,Slug,NAME_EN\nwiot-2027,GB,Acme IoT Ltd,acme-iot,Acme\n", UTF8, ',', "Acme IoT Ltd", "", []int{2}},
		{"EmbeddedNewlinesAndQuotes", "slug,description_en,legal_name,name_en,country,expo\n" +
			"acme-iot,\"Sensors, \"\"smart\"\"\r\nand\n\nmore\",\"Acme \"\"IoT\"\" Ltd\",Acme,GB,iotswc-2027\n" +
			"beta-iot,,Beta Ltd,Beta,GB,iotswc-2027\n", UTF8, ',', "Acme \"IoT\" Ltd", "", []int{2, 6}},
		{"BlankRowsSkipped", header + "\n\n" + valid + "\n,,,,,,\n", UTF8, ',', "Acme IoT Ltd", "", []int{3}},
		{"UTF16Tab", utf16, UTF16, '\t', "无锡青梅传感科技有限公司", "青梅传感", []int{2}},
		{"TrailingSeparators", header + ",\r\n" + valid + ",\r\n", UTF8, ',', "Acme IoT Ltd", "", []int{2}},
		{"GB18030", gb, GB18030, ',', "无锡青梅传感科技有限公司", "青梅传感", []int{2}},
		{"GBKSemicolon", gbk, GB18030, ';', "无锡惠山智能家居有限公司", "惠山智能", []int{2}},
		{"UTF8Chinese", "slug,legal_name,name_zh,country,expo\nqingmei,无锡青梅传感科技有限公司,青梅传感,CN,wiot-2027\n", UTF8, ',', "无锡青梅传感科技有限公司", "青梅传感", []int{2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := mustRead(t, []byte(tc.data), limits)
			if f.Encoding != tc.enc || f.Separator != tc.sep {
				t.Errorf("encoding %q separator %q, want %q %q", f.Encoding, f.Separator, tc.enc, tc.sep)
			}
			var lines []int
			for _, r := range f.Rows {
				lines = append(lines, r.Line)
			}
			if !reflect.DeepEqual(lines, tc.lines) {
				t.Errorf("lines %v, want %v", lines, tc.lines)
			}
			r := f.Rows[0]
			if r.Exhibitor.LegalName != tc.legalName || r.Exhibitor.Name.ZH != tc.nameZH {
				t.Errorf("legal name %q, Chinese name %q; want %q %q", r.Exhibitor.LegalName, r.Exhibitor.Name.ZH, tc.legalName, tc.nameZH)
			}
			if len(r.Problems) > 0 {
				t.Errorf("problems %v", r.Problems)
			}
			if tc.name == "EmbeddedNewlinesAndQuotes" && r.Exhibitor.Description.EN != "Sensors, \"smart\"\nand\n\nmore" {
				t.Errorf("description %q", r.Exhibitor.Description.EN)
			}
		})
	}
}

func TestReadRefusesFile(t *testing.T) {
	t.Parallel()
	sjis, err := japanese.ShiftJIS.NewEncoder().String("slug,legal_name,name_en,country,expo\nsakura,さくらセンサー株式会社,ｻｸﾗ,JP,iotswc-2027\n")
	if err != nil {
		t.Fatal(err)
	}
	latin1, err := charmap.Windows1252.NewEncoder().String("slug;legal_name;country;expo\nenergia;Energía del Sur, S.A. — España;ES;iotswc-2027\n")
	if err != nil {
		t.Fatal(err)
	}
	// These two pass GB18030's byte grammar and decode to Han characters
	// without a replacement character: only the GB2312 share tells them
	// from Chinese.
	latin1Plausible, err := charmap.Windows1252.NewEncoder().String("slug;legal_name;country;expo\nenergia;Energía España Logística;ES;iotswc-2027\n")
	if err != nil {
		t.Fatal(err)
	}
	sjisPlausible, err := japanese.ShiftJIS.NewEncoder().String("slug,legal_name,country,expo\nsakura,さくらでんき,JP,iotswc-2027\n")
	if err != nil {
		t.Fatal(err)
	}
	many := header + "\n" + strings.Repeat(valid+"\n", 4)
	for _, tc := range []struct {
		name string
		data string
		l    Limits
		key  string
	}{
		{"ShiftJIS", sjis, limits, "csv.encoding"},
		{"Windows1252", latin1, limits, "csv.encoding"},
		{"Windows1252LooksLikeGBK", latin1Plausible, limits, "csv.encoding"},
		{"ShiftJISLooksLikeGBK", sjisPlausible, limits, "csv.encoding"},
		{"Binary", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", limits, "csv.encoding"},
		{"NUL", header + "\n" + valid + "\x00\n", limits, "csv.encoding"},
		{"UTF16OddLength", "\xff\xfes\x00l\x00u", limits, "csv.encoding"},
		{"UTF16LoneSurrogate", "\xff\xfea\x00\x00\xd8b\x00", limits, "csv.encoding"},
		{"TooManyRows", many, Limits{Sectors: sectors, MaxRows: 3}, "csv.too_many_rows"},
		{"TooManyBytes", many, Limits{Sectors: sectors, MaxBytes: int64(len(many) - 1)}, "csv.too_large"},
		{"Empty", "", limits, "csv.empty"},
		{"BOMOnly", "\ufeff", limits, "csv.empty"},
		{"HeaderOnly", header + "\r\n", limits, "csv.no_rows"},
		{"UnknownColumn", header + ",fax\n" + valid + ",1\n", limits, "csv.unknown_columns"},
		{"MissingColumn", "slug,legal_name,name_en,expo\nacme,Acme,Acme,iotswc-2027\n", limits, "csv.missing_columns"},
		{"RepeatedColumn", header + ",Slug\n" + valid + ",x\n", limits, "csv.repeated_columns"},
		{"BareQuote", header + "\n" + valid + "\nacme,\"Acme\" Ltd,Acme,,GB,iotswc-2027,A3\n", limits, "csv.syntax"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f, err := Read(strings.NewReader(tc.data), tc.l)
			if err == nil {
				t.Fatalf("accepted, %d rows", len(f.Rows))
			}
			if got := fileKey(t, err); got != tc.key {
				t.Errorf("key %q, want %q (%v)", got, tc.key, err)
			}
		})
	}
	t.Run("UnknownColumnNamed", func(t *testing.T) {
		_, err := Read(strings.NewReader(header+",Fax, Telex \n"+valid+",1,2\n"), limits)
		if got := expodesk.ErrorOf(err).Data["Columns"]; got != `"Fax", "Telex"` {
			t.Errorf("columns %q", got)
		}
	})
	t.Run("MissingColumnNamed", func(t *testing.T) {
		_, err := Read(strings.NewReader("slug,name_en\nacme,Acme\n"), limits)
		if got := expodesk.ErrorOf(err).Data["Columns"]; got != "legal_name, country, expo" {
			t.Errorf("columns %q", got)
		}
	})
	t.Run("SyntaxLine", func(t *testing.T) {
		_, err := Read(strings.NewReader(header+"\n"+valid+"\nacme,\"Acme\" Ltd,Acme,,GB,iotswc-2027,A3\n"), limits)
		if got := expodesk.ErrorOf(err).Data["Line"]; got != 3 {
			t.Errorf("line %v, want 3", got)
		}
	})
	t.Run("LimitAllowsExactly", func(t *testing.T) {
		mustRead(t, []byte(many), Limits{Sectors: sectors, MaxRows: 4, MaxBytes: int64(len(many))})
	})
}

// TestReadRowProblems checks that each bad row gets its problem at its
// column and that the other rows read on.
func TestReadRowProblems(t *testing.T) {
	t.Parallel()
	const h = "slug,legal_name,name_en,sectors,country,website,email,registration_id,expo,pavilion,booth,status"
	for _, tc := range []struct {
		name string
		row  string
		col  string
		key  string
	}{
		{"Valid", "acme,Acme,Acme,sensors|ai,GB,https://acme.example,a@acme.example,SC-1,iotswc-2027,,A1,approved", "", ""},
		{"UnknownSector", "acme,Acme,Acme,sensors|teleportation,GB,,,,iotswc-2027,,,", ColSectors, "validation.sector"},
		{"BadEmail", "acme,Acme,Acme,,GB,,not-an-address,,iotswc-2027,,,", ColEmail, "validation.email"},
		{"BadRegistrationID", "acme,Acme,Acme,,CN,,,91320214MA1QM7K8PC,iotswc-2027,,,", ColRegistrationID, "validation.registration_id"},
		{"MissingName", "acme,Acme,,,GB,,,,iotswc-2027,,,", ColNameEN, "validation.one_language_required"},
		{"JavascriptWebsite", "acme,Acme,Acme,,GB,javascript:alert(1),,,iotswc-2027,,,", ColWebsite, "validation.url"},
		{"MissingSlug", ",Acme,Acme,,GB,,,,iotswc-2027,,,", ColSlug, "validation.required"},
		{"BadCountry", "acme,Acme,Acme,,Spain,,,,iotswc-2027,,,", ColCountry, "validation.country"},
		{"MissingExpo", "acme,Acme,Acme,,GB,,,,,,,", ColExpo, "validation.required"},
		{"BadPavilion", "acme,Acme,Acme,,GB,,,,iotswc-2027,Wuxi Pavilion,,", ColPavilion, "validation.slug"},
		{"LongBooth", "acme,Acme,Acme,,GB,,,,iotswc-2027,," + strings.Repeat("B", 21) + ",", ColBooth, "validation.too_long"},
		{"BadStatus", "acme,Acme,Acme,,GB,,,,iotswc-2027,,,pending", ColStatus, "csv.status"},
		{"NewlineInName", "acme,\"Acme\nLtd\",Acme,,GB,,,,iotswc-2027,,,", ColLegalName, "validation.single_line"},
		{"FiveFields", "acme,Acme,Acme,,GB", RowProblem, "csv.field_count"},
		{"FourteenFields", "acme,Acme,Acme,,GB,,,,iotswc-2027,,,,x,y", RowProblem, "csv.field_count"},
		{"OneEmptyCellTooMany", "acme,Acme,Acme,,GB,,,,iotswc-2027,,,,", RowProblem, "csv.field_count"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := mustRead(t, []byte(h+"\n"+tc.row+"\n"+"next,Next,Next,,GB,,,,iotswc-2027,,,\n"), limits)
			if len(f.Rows) != 2 {
				t.Fatalf("%d rows", len(f.Rows))
			}
			p := f.Rows[0].Problems
			if tc.key == "" {
				if len(p) > 0 {
					t.Errorf("problems %v", p)
				}
			} else if p[tc.col].Key != tc.key {
				t.Errorf("problem at %s = %q, want %q (all: %v)", tc.col, p[tc.col].Key, tc.key, p)
			}
			if len(f.Rows[1].Problems) > 0 {
				t.Errorf("the next row has problems %v", f.Rows[1].Problems)
			}
			if f.Rows[1].Line != 3+strings.Count(tc.row, "\n") {
				t.Errorf("next row at line %d", f.Rows[1].Line)
			}
			if f.Valid() == (tc.key != "") {
				t.Errorf("Valid() = %v", f.Valid())
			}
		})
	}
	t.Run("RegistrationIDCleanedAsTheFormCleansIt", func(t *testing.T) {
		t.Parallel()
		f := mustRead(t, []byte(h+"\n"+"nube,Nube Catalana SL,Nube,,ES,,,b-2674 0183,iotswc-2027,,,\n"), limits)
		if got := f.Rows[0].Exhibitor.RegistrationID; got != "B26740183" || len(f.Rows[0].Problems) > 0 {
			t.Errorf("registration id %q, problems %v; want B26740183 and none", got, f.Rows[0].Problems)
		}
	})
	t.Run("FiveThenNine", func(t *testing.T) {
		t.Parallel()
		f := mustRead(t, []byte("slug,legal_name,name_en,country,expo,booth,status\n"+
			"a,A,A,GB,x\n"+"b,B,B,GB,x,,,,\n"+"c,C,C,GB,x,,\n"), limits)
		for i, want := range []bool{true, true, false} {
			if _, got := f.Rows[i].Problems[RowProblem]; got != want {
				t.Errorf("row %d field-count problem %v, want %v", i, got, want)
			}
		}
		if d := f.Rows[1].Problems[RowProblem].Data; d["Count"] != 9 || d["Want"] != 7 {
			t.Errorf("data %v", d)
		}
	})
	t.Run("ValueInUnnamedColumn", func(t *testing.T) {
		t.Parallel()
		f := mustRead(t, []byte(header+",\n"+valid+",\n"+"beta-iot,Beta,Beta,,GB,iotswc-2027,A2,forgotten\n"), limits)
		if len(f.Rows[0].Problems) > 0 || f.Rows[1].Problems[RowProblem].Key != "csv.unnamed_cell" {
			t.Errorf("problems %v, %v", f.Rows[0].Problems, f.Rows[1].Problems)
		}
	})
	t.Run("StatusDefaultsToInvited", func(t *testing.T) {
		t.Parallel()
		f := mustRead(t, []byte(header+"\n"+valid+"\n"), limits)
		if f.Rows[0].Status != expodesk.StatusInvited {
			t.Errorf("status %q", f.Rows[0].Status)
		}
	})
	t.Run("SectorsSplit", func(t *testing.T) {
		t.Parallel()
		f := mustRead(t, []byte("slug,legal_name,name_en,country,expo,sectors\nacme,Acme,Acme,GB,x, Sensors | ai||sensors \n"), limits)
		if got := f.Rows[0].Exhibitor.Sectors; !reflect.DeepEqual(got, []string{"sensors", "ai"}) {
			t.Errorf("sectors %q", got)
		}
	})
}

func TestReadDuplicates(t *testing.T) {
	t.Parallel()
	const h = "slug,legal_name,name_en,country,registration_id,expo,booth"
	for _, tc := range []struct {
		name   string
		rows   []string
		col    string
		key    string
		flaggd []int // row indexes flagged
	}{
		{"SameCompanyTwoExpos", []string{"a,A,A,ES,B26740183,iotswc-2027,1", "a,A,A,ES,B26740183,wiot-2027,1"}, "", "", nil},
		{"SameCompanySameExpo", []string{"a,A,A,GB,,iotswc-2027,1", "b,B,B,GB,,iotswc-2027,2", "a,A,A,GB,,iotswc-2027,3"}, ColExpo, "csv.duplicate_participation", []int{0, 2}},
		{"SameRegistrationID", []string{"a,A,A,ES,B26740183,iotswc-2027,1", "b,B,B,ES,B26740183,iotswc-2027,2"}, ColRegistrationID, "csv.duplicate_registration_id", []int{0, 1}},
		{"SameBooth", []string{"a,A,A,GB,,iotswc-2027,B7", "b,B,B,GB,,iotswc-2027,B7", "c,C,C,GB,,wiot-2027,B7"}, ColBooth, "csv.duplicate_booth", []int{0, 1}},
		{"CompanyDiffers", []string{"a,A,A,GB,,iotswc-2027,1", "a,A,Other,GB,,wiot-2027,1"}, ColNameEN, "csv.company_differs", []int{0, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := mustRead(t, []byte(h+"\n"+strings.Join(tc.rows, "\n")), limits)
			var flagged []int
			for i, r := range f.Rows {
				if len(r.Problems) == 0 {
					continue
				}
				flagged = append(flagged, i)
				if m := r.Problems[tc.col]; m.Key != tc.key {
					t.Errorf("row %d: %v, want %s at %s", i, r.Problems, tc.key, tc.col)
				}
			}
			if !reflect.DeepEqual(flagged, tc.flaggd) {
				t.Errorf("flagged rows %v, want %v", flagged, tc.flaggd)
			}
			if len(tc.flaggd) == 2 {
				// Each names the other's line.
				a, b := f.Rows[tc.flaggd[0]], f.Rows[tc.flaggd[1]]
				if a.Problems[tc.col].Data["Line"] != b.Line || b.Problems[tc.col].Data["Line"] != a.Line {
					t.Errorf("lines %v %v", a.Problems[tc.col].Data, b.Problems[tc.col].Data)
				}
			}
		})
	}
}

func TestGuard(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, written string }{
		{"=HYPERLINK(\"http://evil.example\")", "'=HYPERLINK(\"http://evil.example\")"},
		{"+86 510 1234 5678", "'+86 510 1234 5678"},
		{"-Minus Corp", "'-Minus Corp"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tTab", "'\tTab"},
		{"\rCR", "'\rCR"},
		{"'=already", "''=already"},
		{"'quoted", "''quoted"},
		{"Plain", "Plain"},
		{"", ""},
		{"a=b", "a=b"},
	} {
		if got := guard(tc.in); got != tc.written {
			t.Errorf("guard(%q) = %q, want %q", tc.in, got, tc.written)
		}
		if got := unguard(guard(tc.in)); got != tc.in {
			t.Errorf("unguard(guard(%q)) = %q", tc.in, got)
		}
	}
	// An apostrophe the writer would not have added stays.
	for _, v := range []string{"'Hello", "'", "'86"} {
		if got := unguard(v); got != v {
			t.Errorf("unguard(%q) = %q", v, got)
		}
	}
}

// roundTripRows are rows whose every value Write and Read keep exactly.
func roundTripRows() []Row {
	rows := append([]Row(nil), TemplateRows...)
	rows = append(rows,
		Row{
			Exhibitor: expodesk.Exhibitor{
				Slug:      "minus-corp",
				LegalName: "-Minus Corp",
				Name:      expodesk.Text{EN: "=1+1", ZH: "@负号", ES: "'+guarded"},
				Description: expodesk.Text{
					EN: "Line one\nLine \"two\", with a comma; and a semicolon\n\nand\ta tab",
					ZH: "第一行\n第二行",
				},
				Sectors: []string{"ai"},
				Country: "GB", City: "'Apostrophe", Phone: "+86 510 1234 5678", Email: "minus@corp.example",
			},
			Expo: "wiot-2027", Booth: "-1", Status: expodesk.StatusApproved,
		},
		Row{
			Exhibitor: expodesk.Exhibitor{
				Slug: "minus-corp", LegalName: "-Minus Corp",
				Name: expodesk.Text{EN: "=1+1", ZH: "@负号", ES: "'+guarded"},
				Description: expodesk.Text{
					EN: "Line one\nLine \"two\", with a comma; and a semicolon\n\nand\ta tab",
					ZH: "第一行\n第二行",
				},
				Sectors: []string{"ai"},
				Country: "GB", City: "'Apostrophe", Phone: "+86 510 1234 5678", Email: "minus@corp.example",
			},
			Expo: "iotswc-2027", Pavilion: "wuxi-pavilion", Booth: "2-B1", Status: expodesk.StatusWithdrawn,
		},
	)
	return rows
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	rows := roundTripRows()
	var buf bytes.Buffer
	if err := Write(&buf, rows); err != nil {
		t.Fatal(err)
	}
	out := buf.Bytes()
	if !bytes.HasPrefix(out, utf8BOM) {
		t.Error("no byte-order mark")
	}
	if bytes.Count(out, []byte("\n")) != bytes.Count(out, []byte("\r\n")) {
		t.Error("a line end is not CRLF")
	}
	for _, cell := range []string{"'+86 510 1234 5678", "'-Minus Corp", "'=1+1", "'@负号", "''+guarded"} {
		if !bytes.Contains(out, []byte(","+cell+",")) {
			t.Errorf("the file lacks the guarded cell %s", cell)
		}
	}
	f := mustRead(t, out, limits)
	if f.Encoding != UTF8 || f.Separator != ',' || !reflect.DeepEqual(f.Header, Columns) {
		t.Errorf("encoding %q separator %q header %v", f.Encoding, f.Separator, f.Header)
	}
	if len(f.Rows) != len(rows) {
		t.Fatalf("%d rows back, wrote %d", len(f.Rows), len(rows))
	}
	for i, got := range f.Rows {
		if len(got.Problems) > 0 {
			t.Errorf("row %d (line %d): problems %v", i, got.Line, got.Problems)
		}
		got.Line, got.Problems = 0, nil
		if !reflect.DeepEqual(got, rows[i]) {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, got, rows[i])
		}
	}
	// And again: writing what was read gives the same bytes.
	var again bytes.Buffer
	if err := Write(&again, f.Rows); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.Bytes(), out) {
		t.Error("a second export differs from the first")
	}
}

func TestTemplate(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := Template(&buf); err != nil {
		t.Fatal(err)
	}
	f := mustRead(t, buf.Bytes(), limits)
	if len(f.Rows) != 3 || !f.Valid() {
		for _, r := range f.Rows {
			t.Errorf("line %d: %v", r.Line, r.Problems)
		}
		t.Fatalf("%d rows", len(f.Rows))
	}
	zh, es, en := f.Rows[0].Exhibitor, f.Rows[1].Exhibitor, f.Rows[2].Exhibitor
	if zh.Country != "CN" || zh.RegistrationID == "" || !strings.ContainsRune(zh.LegalName, '无') {
		t.Errorf("Chinese example %+v", zh)
	}
	if es.Country != "ES" || es.RegistrationID == "" || es.Name.ES == "" {
		t.Errorf("Spanish example %+v", es)
	}
	if en.Name.EN == "" || en.Name.ZH != "" || en.Name.ES != "" {
		t.Errorf("English example %+v", en)
	}
	for _, r := range f.Rows {
		if !strings.HasSuffix(r.Exhibitor.Website, ".example") || !strings.HasSuffix(r.Exhibitor.Email, ".example") {
			t.Errorf("%s: web site or mail outside .example", r.Exhibitor.Slug)
		}
	}
}

// TestReadNotExpodeskError: a failing reader is an internal error, not a
// message for the user.
func TestReadReaderError(t *testing.T) {
	t.Parallel()
	_, err := Read(errReader{}, limits)
	if err == nil || expodesk.ErrorOf(err) != nil || !errors.Is(err, errBroken) {
		t.Errorf("err %v", err)
	}
}

var errBroken = errors.New("broken")

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errBroken }

// rowsFile builds a file of n valid rows as an export would write it.
func rowsFile(n int) []byte {
	rows := make([]Row, n)
	for i := range rows {
		r := TemplateRows[i%len(TemplateRows)]
		r.Exhibitor.Slug = fmt.Sprintf("company-%d", i)
		r.Exhibitor.RegistrationID = ""
		r.Booth = fmt.Sprintf("B%d", i)
		rows[i] = r
	}
	var buf bytes.Buffer
	if err := Write(&buf, rows); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func BenchmarkRead10000(b *testing.B) {
	data := rowsFile(10000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		f, err := Read(bytes.NewReader(data), limits)
		if err != nil || len(f.Rows) != 10000 || !f.Valid() {
			b.Fatalf("err %v", err)
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add([]byte(header + "\n" + valid + "\n"))
	f.Add(rowsFile(3))
	f.Add([]byte("\ufeffslug;legal_name;country;expo\r\na;\"x\r\ny\";ES;e\r\n"))
	gb, _ := simplifiedchinese.GB18030.NewEncoder().String("slug,legal_name,name_zh,country,expo\nq,无锡,青梅,CN,w\n")
	f.Add([]byte(gb))
	u16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String("slug\tlegal_name\tname_zh\tcountry\texpo\r\nq\t无锡\t青梅\tCN\tw\r\n")
	f.Add([]byte(u16))
	f.Add([]byte("slug,legal_name,country,expo\na,b\nc,d,e,f,g,h,i\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Read(bytes.NewReader(data), Limits{Sectors: sectors, MaxRows: 1000})
		if err != nil {
			if e := expodesk.ErrorOf(err); e == nil || !strings.HasPrefix(e.Message, "csv.") {
				t.Fatalf("error %v is not a csv. message", err)
			}
			return
		}
		text, _, _ := decode(data)
		lines := strings.Count(text, "\n") + 1
		last := 0
		for _, r := range file.Rows {
			if r.Line < 2 || r.Line > lines || r.Line <= last {
				t.Fatalf("row at line %d (previous %d) in a file of %d lines", r.Line, last, lines)
			}
			last = r.Line
			for _, v := range record(r) {
				if !utf8.ValidString(v) {
					t.Fatalf("line %d: value %q is not UTF-8", r.Line, v)
				}
			}
		}
		// What was read, written and read again is the same: every value
		// the reader returns survives an export and a re-import.
		var buf bytes.Buffer
		if err := Write(&buf, file.Rows); err != nil {
			t.Fatal(err)
		}
		again, err := Read(&buf, Limits{Sectors: sectors, MaxRows: 1000})
		if err != nil {
			t.Fatalf("re-reading the export: %v", err)
		}
		if len(again.Rows) != len(file.Rows) {
			t.Fatalf("%d rows re-read, %d written", len(again.Rows), len(file.Rows))
		}
		for i, r := range again.Rows {
			if a, b := record(r), record(file.Rows[i]); !reflect.DeepEqual(a, b) {
				t.Fatalf("row %d changed in a round trip:\n%q\n%q", i, b, a)
			}
		}
	})
}
