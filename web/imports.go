package web

import (
	"context"
	"strings"

	"expodesk/internal/expodesk"
	"expodesk/internal/i18n"
)

// ImportView is the exhibitor spreadsheet's import page (O2): the upload
// form, the expos and pavilions whose slugs the file may name, and, after
// an upload, the preview of every row; after a commit, what it did.
type ImportView struct {
	Form  FormState // the upload form; a problem of the whole file is at "file"
	Expos []ImportExpo
	// MaxMiB and MaxRows are the limits of one file.
	MaxMiB  int
	MaxRows int
	// Coordinator is the reader's pavilion when they coordinate one.
	Coordinator *expodesk.Pavilion
	Preview     *ImportPreviewView
	// Changed says the commit found problems the preview had not (the
	// data changed meanwhile); Preview shows them.
	Changed bool
	Result  *ImportCounts // the last commit's counts, once
	Flash   string
}

// ImportExpo is an expo with the slugs of its pavilions.
type ImportExpo struct {
	Expo      expodesk.Expo
	Pavilions []expodesk.Pavilion
}

// ImportPreviewView is what importing an uploaded file would do.
type ImportPreviewView struct {
	ImportID  int64 // 0 when rows have problems
	Filename  string
	SHA256    string
	Encoding  string
	Separator string
	Rows      []ImportRowView
	Counts    ImportCounts
}

// ImportCounts sums up a file.
type ImportCounts struct {
	Filename              string
	Rows                  int
	RowsWithProblems      int
	CompaniesCreated      int
	CompaniesUpdated      int
	ParticipationsCreated int
	ParticipationsUpdated int
	Unchanged             int
}

// ImportRowView is one row of the preview.
type ImportRowView struct {
	Line     int
	Action   expodesk.ImportAction
	Slug     string
	Name     expodesk.Text
	Legal    string
	Expo     string
	Pavilion string
	Booth    string
	Status   expodesk.ParticipationStatus
	Changed  []string
	Problems []ImportProblem
}

// ImportProblem is a problem of a row at one column (RowColumn for the
// whole row).
type ImportProblem struct {
	Column  string
	Message expodesk.Message
}

// RowColumn is the column name of a problem with a whole row.
const RowColumn = "row"

// importRowName is a row's company name in the reader's language, else its legal name.
func importRowName(ctx context.Context, r ImportRowView) string {
	if n := In(ctx, r.Name); n != "" {
		return n
	}
	return r.Legal
}

// problemText is a row's problem as the preview says it: the column, then
// what is wrong there.
func problemText(ctx context.Context, p ImportProblem) string {
	msg := i18n.From(ctx).M(p.Message)
	if p.Column == RowColumn {
		return msg
	}
	return TD(ctx, "import.at_column", map[string]any{"Column": p.Column, "Message": msg})
}

// actionKeys are the catalog keys of the actions' names.
var actionKeys = map[expodesk.ImportAction]string{
	expodesk.ImportCreate:    "import.action_create",
	expodesk.ImportUpdate:    "import.action_update",
	expodesk.ImportUnchanged: "import.action_unchanged",
}

// actionLabel is an action's name in the reader's language.
func actionLabel(ctx context.Context, a expodesk.ImportAction) string { return T(ctx, actionKeys[a]) }

func joinColumns(cols []string) string { return strings.Join(cols, ", ") }

// importColumns are the spreadsheet's columns with the catalog key of what
// each holds, for the page's help (docs/csv.md says more).
var importColumns = []struct{ Name, Key string }{
	{"slug", "import.col_slug"}, {"legal_name", "import.col_legal_name"},
	{"name_en, name_zh, name_es", "import.col_names"}, {"description_en, description_zh, description_es", "import.col_descriptions"},
	{"sectors", "import.col_sectors"}, {"country", "import.col_country"}, {"city", "import.col_city"},
	{"website", "import.col_website"}, {"email, phone", "import.col_contact"},
	{"registration_id", "import.col_registration_id"}, {"expo", "import.col_expo"}, {"pavilion", "import.col_pavilion"},
	{"booth", "import.col_booth"}, {"status", "import.col_status"},
}
