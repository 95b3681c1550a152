package exhibitorcsv

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"expodesk/internal/expodesk"
)

// Default limits: a file of 10 MiB holds far more than 20,000 typical rows,
// and 20,000 rows preview and commit well within the time a page may take.
const (
	DefaultMaxBytes = 10 << 20
	DefaultMaxRows  = 20000
)

// Limits bounds what Read accepts and says what it checks against.
type Limits struct {
	MaxBytes int64 // 0 means DefaultMaxBytes
	MaxRows  int   // data rows, not counting the header; 0 means DefaultMaxRows
	// Sectors holds the valid sector codes (the sector table).
	Sectors map[string]bool
}

func (l Limits) maxBytes() int64 {
	if l.MaxBytes <= 0 {
		return DefaultMaxBytes
	}
	return l.MaxBytes
}

func (l Limits) maxRows() int {
	if l.MaxRows <= 0 {
		return DefaultMaxRows
	}
	return l.MaxRows
}

// Row is one participation: the company, where it exhibits, and what is
// wrong with the row.
type Row struct {
	// Line is the 1-based line of the file where the row starts (a cell
	// with line breaks makes a row span several lines).
	Line      int
	Exhibitor expodesk.Exhibitor
	Expo      string // expo slug
	Pavilion  string // pavilion slug, "" for none
	Booth     string
	Status    expodesk.ParticipationStatus
	// Problems maps a column name (or RowProblem) to what is wrong there;
	// empty when the row is valid on its own. Checks against the database
	// (an unknown expo or pavilion, a booth taken) are the import's.
	Problems expodesk.Problems
}

// File is a read spreadsheet.
type File struct {
	Encoding  string // UTF8 or GB18030
	Separator rune   // ',', ';' or '\t'
	Header    []string
	Rows      []Row
}

// Valid reports whether no row has a problem.
func (f *File) Valid() bool {
	for _, r := range f.Rows {
		if len(r.Problems) > 0 {
			return false
		}
	}
	return true
}

// Read parses and checks a spreadsheet. A problem with the file as a whole
// (too big, too many rows, an encoding it cannot read, broken quoting, a bad
// header) is an *expodesk.Error with code EINVALID, a "csv." message key and
// its data; problems of single rows are in the rows and do not stop the
// reading.
func Read(r io.Reader, limits Limits) (*File, error) {
	max := limits.maxBytes()
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("exhibitorcsv: read: %w", err)
	}
	if int64(len(data)) > max {
		return nil, fileError("csv.too_large", map[string]any{"MaxMiB": (max + 1<<20 - 1) >> 20})
	}
	text, enc, err := decode(data)
	if err != nil {
		return nil, err
	}
	f := &File{Encoding: enc, Separator: detectSeparator(text)}

	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = f.Separator
	cr.FieldsPerRecord = -1 // a short or long row is a row problem, not the end
	cr.ReuseRecord = true

	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fileError("csv.empty", nil)
	}
	if err != nil {
		return nil, syntaxError(err)
	}
	index, err := readHeader(header)
	if err != nil {
		return nil, err
	}
	unnamed := -1
	if last := len(header) - 1; last > 0 && normalizeHeader(header[last]) == "" {
		unnamed = last
	}
	// pos[i] is the record index of Columns[i], -1 when the file lacks it.
	pos := make([]int, len(Columns))
	for i, c := range Columns {
		pos[i] = -1
		if j, ok := index[c]; ok {
			pos[i] = j
		}
	}
	f.Header = make([]string, len(header))
	for i, h := range header {
		f.Header[i] = normalizeHeader(h)
	}

	maxRows := limits.maxRows()
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, syntaxError(err)
		}
		if blank(rec) {
			// Excel keeps rows once touched as ",,,,": nothing to import.
			continue
		}
		if len(f.Rows) == maxRows {
			return nil, fileError("csv.too_many_rows", map[string]any{"Max": maxRows})
		}
		line, _ := cr.FieldPos(0)
		f.Rows = append(f.Rows, parseRow(line, rec, len(header), pos, unnamed, limits.Sectors))
	}
	if len(f.Rows) == 0 {
		return nil, fileError("csv.no_rows", nil)
	}
	checkDuplicates(f.Rows)
	return f, nil
}

func fileError(key string, data map[string]any) error {
	return &expodesk.Error{Code: expodesk.EINVALID, Message: key, Data: data}
}

// syntaxError turns the csv package's error into one naming the line.
func syntaxError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fileError("csv.syntax", map[string]any{"Line": pe.Line})
	}
	return fmt.Errorf("exhibitorcsv: parse: %w", err)
}

// readHeader maps each column name to its index, refusing unknown,
// repeated and missing columns.
func readHeader(header []string) (map[string]int, error) {
	index := map[string]int{}
	var unknown, repeated []string
	for i, h := range header {
		name := normalizeHeader(h)
		switch {
		case name == "" && i == len(header)-1 && len(header) > 1:
			// A trailing separator ("slug,name_en,"), which Excel writes
			// on every line once a cell right of the table was touched:
			// an unnamed last column, which must stay empty.
			continue
		case !known(name):
			unknown = append(unknown, quote(h))
		case hasKey(index, name):
			repeated = append(repeated, name)
		default:
			index[name] = i
		}
	}
	if len(unknown) > 0 {
		return nil, fileError("csv.unknown_columns", map[string]any{"Columns": strings.Join(unknown, ", "), "Count": len(unknown)})
	}
	if len(repeated) > 0 {
		return nil, fileError("csv.repeated_columns", map[string]any{"Columns": strings.Join(repeated, ", "), "Count": len(repeated)})
	}
	var missing []string
	for _, c := range Required {
		if !hasKey(index, c) {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, fileError("csv.missing_columns", map[string]any{"Columns": strings.Join(missing, ", "), "Count": len(missing)})
	}
	return index, nil
}

func hasKey(m map[string]int, k string) bool { _, ok := m[k]; return ok }

// quote shows a header cell as typed, bounded so an absurd one cannot
// flood the page.
func quote(h string) string {
	h = strings.TrimSpace(h)
	if r := []rune(h); len(r) > 40 {
		h = string(r[:40]) + "…"
	}
	return `"` + h + `"`
}

func blank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// cell returns the cleaned value of a column: trimmed, the writer's
// formula-guarding apostrophe removed, line breaks as LF (csv.Reader turns
// CRLF into LF already; a lone CR, which csv.Writer would drop, becomes LF
// too) and trimmed again. Every value cell returns is one Write writes and
// cell reads back unchanged.
func cell(rec []string, i int) string {
	if i < 0 || i >= len(rec) {
		return ""
	}
	v := unguard(strings.TrimSpace(rec[i]))
	if strings.IndexByte(v, '\r') >= 0 {
		v = strings.ReplaceAll(strings.ReplaceAll(v, "\r\n", "\n"), "\r", "\n")
	}
	return strings.TrimSpace(v)
}

// parseRow reads one record. width is the header's number of cells, pos the
// record index of each of Columns, unnamed the index of an unnamed last
// header cell or -1.
func parseRow(line int, rec []string, width int, pos []int, unnamed int, sectors map[string]bool) Row {
	row := Row{Line: line, Problems: expodesk.Problems{}}
	if len(rec) != width {
		// Misaligned: the values cannot be trusted to be in their columns.
		row.Problems.Add(RowProblem, "csv.field_count", map[string]any{"Count": len(rec), "Want": width})
	} else if unnamed >= 0 && strings.TrimSpace(rec[unnamed]) != "" {
		row.Problems.Add(RowProblem, "csv.unnamed_cell", nil)
	}
	var values [len(columnList)]string
	for i, col := range Columns {
		v := cell(rec, pos[i])
		values[i] = v
		if !multiline[col] && strings.ContainsAny(v, "\n") {
			row.Problems.Add(col, "validation.single_line", nil)
		}
	}
	get := func(col string) string { return values[columnIndex[col]] }
	e := expodesk.Exhibitor{
		Slug:      get(ColSlug),
		LegalName: get(ColLegalName),
		Name: expodesk.Text{
			EN: get(ColNameEN), ZH: get(ColNameZH), ES: get(ColNameES),
		},
		Description: expodesk.Text{
			EN: get(ColDescriptionEN), ZH: get(ColDescriptionZH), ES: get(ColDescriptionES),
		},
		Country: get(ColCountry),
		City:    get(ColCity),
		Website: get(ColWebsite),
		Email:   get(ColEmail),
		Phone:   get(ColPhone),
		// Cleaned as the console cleans it ("b-2674 0183" is B26740183),
		// so that the file and the form find the same duplicates.
		RegistrationID: expodesk.CleanRegistrationID(get(ColCountry), get(ColRegistrationID)),
		Sectors:        splitSectors(get(ColSectors)),
	}
	row.Exhibitor = e
	row.Expo = get(ColExpo)
	row.Pavilion = get(ColPavilion)
	row.Booth = get(ColBooth)
	row.Status = expodesk.ParticipationStatus(get(ColStatus))
	if row.Status == "" {
		row.Status = expodesk.StatusInvited
	}

	if err := e.Validate(sectors); err != nil {
		if de := expodesk.ErrorOf(err); de != nil && de.Problems != nil {
			for field, m := range de.Problems {
				// Validate's field names are the column names already
				// (name_en, registration_id…); a name it adds later
				// without a column is shown on the row.
				if !known(field) {
					field = RowProblem
				}
				row.Problems.Add(field, m.Key, m.Data)
			}
		} else {
			row.Problems.Add(RowProblem, "error.invalid", nil)
		}
	}
	switch {
	case row.Expo == "":
		row.Problems.Add(ColExpo, "validation.required", nil)
	case !expodesk.ValidSlug(row.Expo):
		row.Problems.Add(ColExpo, "validation.slug", nil)
	}
	if row.Pavilion != "" && !expodesk.ValidSlug(row.Pavilion) {
		row.Problems.Add(ColPavilion, "validation.slug", nil)
	}
	if utf8.RuneCountInString(row.Booth) > 20 {
		row.Problems.Add(ColBooth, "validation.too_long", map[string]any{"Max": 20})
	}
	if !slices.Contains(expodesk.ParticipationStatuses, row.Status) {
		row.Problems.Add(ColStatus, "csv.status", map[string]any{"Statuses": statusList()})
	}
	return row
}

func statusList() string {
	s := make([]string, len(expodesk.ParticipationStatuses))
	for i, st := range expodesk.ParticipationStatuses {
		s[i] = string(st)
	}
	return strings.Join(s, ", ")
}

// splitSectors splits a sectors cell at "|", dropping empty parts and
// repeats. Codes are lower-cased: "Smart-City" means smart-city.
func splitSectors(v string) []string {
	var out []string
	for _, s := range strings.Split(v, SectorSeparator) {
		s = strings.ToLower(strings.TrimSpace(s))
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// checkDuplicates flags, on both rows, the same company twice at one expo,
// one registration id on two companies, one booth twice at one expo, and
// rows of one company that disagree about it.
func checkDuplicates(rows []Row) {
	type key struct{ a, b string }
	first := map[key]int{} // key → index of the first row with it
	flag := func(k key, i int, col, msg string) {
		j, seen := first[k]
		if !seen {
			first[k] = i
			return
		}
		rows[i].Problems.Add(col, msg, map[string]any{"Line": rows[j].Line})
		rows[j].Problems.Add(col, msg, map[string]any{"Line": rows[i].Line})
	}
	company := map[string]int{} // slug → first row of it
	for i := range rows {
		r := &rows[i]
		e := r.Exhibitor
		if e.Slug != "" && r.Expo != "" {
			flag(key{"participation", e.Slug + "\x00" + r.Expo}, i, ColExpo, "csv.duplicate_participation")
		}
		if e.RegistrationID != "" {
			// Rows of one company share their id; two slugs with one id
			// are two companies claiming the same registration.
			k := key{"registration", e.Country + "\x00" + e.RegistrationID}
			if j, seen := first[k]; seen && rows[j].Exhibitor.Slug != e.Slug {
				flag(k, i, ColRegistrationID, "csv.duplicate_registration_id")
			} else if !seen {
				first[k] = i
			}
		}
		if r.Booth != "" && r.Expo != "" {
			flag(key{"booth", r.Expo + "\x00" + r.Booth}, i, ColBooth, "csv.duplicate_booth")
		}
		if e.Slug == "" {
			continue
		}
		j, seen := company[e.Slug]
		if !seen {
			company[e.Slug] = i
			continue
		}
		if col := differs(rows[j], *r); col != "" {
			r.Problems.Add(col, "csv.company_differs", map[string]any{"Line": rows[j].Line})
			rows[j].Problems.Add(col, "csv.company_differs", map[string]any{"Line": r.Line})
		}
	}
}

// differs returns the first company column in which a and b disagree.
func differs(a, b Row) string {
	va, vb := companyValues(a.Exhibitor), companyValues(b.Exhibitor)
	for i, col := range companyColumns {
		if va[i] != vb[i] {
			return col
		}
	}
	return ""
}
