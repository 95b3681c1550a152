package exhibitorcsv

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"expodesk/internal/expodesk"
)

// guard neutralises a cell a spreadsheet would take for a formula: one
// starting with "=", "+", "-", "@", a tab or a carriage return gets a leading
// apostrophe (OWASP's advice), so "=HYPERLINK(…)" in a company name stays
// text when an organizer opens the export. A cell already starting with an
// apostrophe gets one too, so that unguard can tell the two apart and every
// value comes back exactly: "+86 510…" is written "'+86 510…", an
// apostrophe and "+86" is written with two apostrophes, and both read back
// as they were.
func guard(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r'", rune(v[0])) {
		return "'" + v
	}
	return v
}

// unguard removes the apostrophe guard added, and only that one: an
// apostrophe followed by a character guard would have protected. An
// apostrophe typed before anything else ("'Hello") is kept.
func unguard(v string) string {
	if len(v) >= 2 && v[0] == '\'' && strings.ContainsRune("=+-@\t\r'", rune(v[1])) {
		return v[1:]
	}
	return v
}

// companyValues returns the company columns of e, in companyColumns order.
func companyValues(e expodesk.Exhibitor) []string {
	return []string{
		e.Slug, e.LegalName, e.Name.EN, e.Name.ZH, e.Name.ES,
		e.Description.EN, e.Description.ZH, e.Description.ES,
		strings.Join(e.Sectors, SectorSeparator), e.Country, e.City, e.Website, e.Email, e.Phone, e.RegistrationID,
	}
}

func record(r Row) []string {
	rec := append(companyValues(r.Exhibitor), r.Expo, r.Pavilion, r.Booth, string(r.Status))
	for i, v := range rec {
		rec[i] = guard(v)
	}
	return rec
}

// Write writes rows as the reader reads them: every column of Columns, in
// that order, UTF-8 with a byte-order mark and CRLF line ends. The mark is
// what makes Excel in Chinese and Spanish locales read UTF-8 instead of the
// locale's code page; CRLF is what Excel writes itself. Line breaks inside
// a description are written as CRLF too and read back as LF. Row.Line and
// Row.Problems are not written.
func Write(w io.Writer, rows []Row) error {
	sw, err := NewWriter(w)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if err := sw.Write(r); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// Writer writes rows one at a time, as Write does, for a file too large to
// hold in memory as rows.
type Writer struct{ cw *csv.Writer }

// NewWriter writes the byte-order mark and the header.
func NewWriter(w io.Writer) (*Writer, error) {
	if _, err := w.Write(utf8BOM); err != nil {
		return nil, fmt.Errorf("exhibitorcsv: write: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(Columns); err != nil {
		return nil, fmt.Errorf("exhibitorcsv: write: %w", err)
	}
	return &Writer{cw: cw}, nil
}

// Write writes one row.
func (sw *Writer) Write(r Row) error {
	if err := sw.cw.Write(record(r)); err != nil {
		return fmt.Errorf("exhibitorcsv: write: %w", err)
	}
	return nil
}

// Flush writes what is buffered; call it after the last row.
func (sw *Writer) Flush() error {
	sw.cw.Flush()
	if err := sw.cw.Error(); err != nil {
		return fmt.Errorf("exhibitorcsv: write: %w", err)
	}
	return nil
}

// RowOf is the spreadsheet row of a participation record (the store's
// shape of one), for Write.
func RowOf(r expodesk.ParticipationRecord) Row {
	return Row{Exhibitor: r.Exhibitor, Expo: r.Expo, Pavilion: r.Pavilion, Booth: r.Booth, Status: r.Status}
}

// RowsOf is RowOf for each record.
func RowsOf(records []expodesk.ParticipationRecord) []Row {
	out := make([]Row, len(records))
	for i, r := range records {
		out[i] = RowOf(r)
	}
	return out
}

// Record is the participation record a row holds, without its line and problems.
func (r Row) Record() expodesk.ParticipationRecord {
	return expodesk.ParticipationRecord{Exhibitor: r.Exhibitor, Expo: r.Expo, Pavilion: r.Pavilion, Booth: r.Booth, Status: r.Status}
}

// TemplateRows are the example rows of the template: a Chinese company, a
// Spanish one and one with only an English name, all invented (web sites and
// mail under the reserved .example domain, registration ids computed to
// pass their check characters, not taken from any register).
var TemplateRows = []Row{
	{
		Exhibitor: expodesk.Exhibitor{
			Slug:      "qingmei-sensing",
			LegalName: "无锡青梅传感科技有限公司",
			Name:      expodesk.Text{EN: "Qingmei Sensing", ZH: "青梅传感", ES: "Qingmei Sensing"},
			Description: expodesk.Text{
				EN: "Soil-moisture and weather sensors for smart farms, with LoRaWAN gateways.",
				ZH: "面向智慧农场的土壤湿度与气象传感器，配套LoRaWAN网关。",
				ES: "Sensores de humedad del suelo y meteorológicos para granjas inteligentes, con pasarelas LoRaWAN.",
			},
			Sectors:        []string{"sensors", "agriculture"},
			Country:        "CN",
			City:           "Wuxi",
			Website:        "https://qingmei-sensing.example",
			Email:          "expo@qingmei-sensing.example",
			Phone:          "+86 510 8000 0000",
			RegistrationID: "91320214MA1QM7K8PB",
		},
		Expo: "iotswc-2027", Pavilion: "wuxi-pavilion", Booth: "2-A10", Status: expodesk.StatusInvited,
	},
	{
		Exhibitor: expodesk.Exhibitor{
			Slug:      "ondaluz-sistemas",
			LegalName: "Ondaluz Sistemas, S.L.",
			Name:      expodesk.Text{EN: "Ondaluz Systems", ZH: "翁达卢斯系统", ES: "Ondaluz Sistemas"},
			Description: expodesk.Text{
				ES: "Alumbrado público conectado y gestión de la energía para ayuntamientos.",
			},
			Sectors:        []string{"smart-city", "energy"},
			Country:        "ES",
			City:           "Barcelona",
			Website:        "https://ondaluz.example",
			Email:          "hola@ondaluz.example",
			Phone:          "+34 930 000 000",
			RegistrationID: "B26740183",
		},
		Expo: "wiot-2027", Pavilion: "european-pavilion", Booth: "A3-12", Status: expodesk.StatusInvited,
	},
	{
		Exhibitor: expodesk.Exhibitor{
			Slug:        "harbourlight-devices",
			LegalName:   "Harbourlight Devices Ltd",
			Name:        expodesk.Text{EN: "Harbourlight Devices"},
			Description: expodesk.Text{EN: "Asset trackers for ports and warehouses."},
			Sectors:     []string{"logistics"},
			Country:     "GB",
			City:        "Bristol",
			Website:     "https://harbourlight.example",
			Email:       "sales@harbourlight.example",
		},
		Expo: "iotswc-2027", Status: expodesk.StatusInvited,
	},
}

// Template writes the downloadable template: the header and TemplateRows,
// as Write writes them.
func Template(w io.Writer) error {
	return Write(w, TemplateRows)
}

// Cell neutralises one cell for any CSV a spreadsheet may open (the audit
// log export uses it too): it is the guard Write applies to every cell.
func Cell(v string) string { return guard(v) }
