// Package exhibitorcsv reads and writes the exhibitor spreadsheet an
// organizer imports and exports: one row per participation (a company at one
// expo), the company's columns repeated on each of its rows. It knows no HTTP
// and no SQL: the import page hands it the uploaded bytes and the known
// sectors, shows the rows and their problems, and commits through the
// service; the export page hands it the rows read from the store. What the
// writer writes the reader reads back unchanged, so an export can be edited
// in a spreadsheet and imported again.
//
// # Columns
//
// The header row names the columns, in any order and any letter case
// ("Legal_Name" is legal_name); surrounding spaces are ignored. A column
// that is not in this list is an error that names it, and so is a missing
// required column (marked *). An optional column left out reads as empty.
//
//	slug*            the company's slug: lower-case ASCII letters, digits and single dashes
//	legal_name*      the registered name, in its own language
//	name_en          display name in English  } at least one of the three
//	name_zh          display name in Chinese  } names is filled on each row
//	name_es          display name in Spanish  }
//	description_en   descriptions; the only cells that may hold line breaks
//	description_zh
//	description_es
//	sectors          sector codes separated by "|" ("sensors|smart-city")
//	country*         ISO 3166 alpha-2 code, upper case ("CN", "ES")
//	city
//	website          http:// or https:// address
//	email            contact address
//	phone
//	registration_id  checked by country: Chinese USCC, Spanish NIF/CIF, else 1–32 letters, digits, dashes
//	expo*            the expo's slug
//	pavilion         the pavilion's slug at that expo; empty for none
//	booth            up to 20 characters; empty until one is assigned
//	status           invited, applied, approved, rejected or withdrawn; empty means invited
//
// Sectors are separated by "|" rather than ";" because Spanish Excel uses
// ";" between cells: a "|" needs no quoting in any dialect.
//
// A company at two expos has two rows with the same slug; their company
// columns (slug to registration_id) must agree, since the import could not
// tell which to keep. docs/csv.md explains all this to organizers.
package exhibitorcsv

import "strings"

// Column names, in the order the writer writes them.
const (
	ColSlug           = "slug"
	ColLegalName      = "legal_name"
	ColNameEN         = "name_en"
	ColNameZH         = "name_zh"
	ColNameES         = "name_es"
	ColDescriptionEN  = "description_en"
	ColDescriptionZH  = "description_zh"
	ColDescriptionES  = "description_es"
	ColSectors        = "sectors"
	ColCountry        = "country"
	ColCity           = "city"
	ColWebsite        = "website"
	ColEmail          = "email"
	ColPhone          = "phone"
	ColRegistrationID = "registration_id"
	ColExpo           = "expo"
	ColPavilion       = "pavilion"
	ColBooth          = "booth"
	ColStatus         = "status"
)

// RowProblem is the key of a problem with a whole row rather than one cell
// (a row with more or fewer cells than the header). It is not a column name.
const RowProblem = "row"

// SectorSeparator separates sector codes in the sectors cell.
const SectorSeparator = "|"

// columnList is Columns as an array, so that a row's values fit in one.
var columnList = [...]string{
	ColSlug, ColLegalName, ColNameEN, ColNameZH, ColNameES,
	ColDescriptionEN, ColDescriptionZH, ColDescriptionES,
	ColSectors, ColCountry, ColCity, ColWebsite, ColEmail, ColPhone, ColRegistrationID,
	ColExpo, ColPavilion, ColBooth, ColStatus,
}

// Columns lists every column in the order the writer writes them.
var Columns = columnList[:]

// columnIndex maps a column name to its place in Columns.
var columnIndex = func() map[string]int {
	m := make(map[string]int, len(columnList))
	for i, c := range columnList {
		m[c] = i
	}
	return m
}()

// Required lists the columns a header must name.
var Required = []string{ColSlug, ColLegalName, ColCountry, ColExpo}

// companyColumns are the columns that describe the company rather than its
// participation: rows with the same slug must agree on them.
var companyColumns = Columns[:15]

// multiline are the columns whose cells may hold line breaks.
var multiline = map[string]bool{ColDescriptionEN: true, ColDescriptionZH: true, ColDescriptionES: true}

// known reports whether name is a column.
func known(name string) bool {
	_, ok := columnIndex[name]
	return ok
}

// normalizeHeader is how a header cell is matched: trimmed and lower-cased.
func normalizeHeader(s string) string {
	return strings.ToLower(strings.TrimSpace(s))
}
