package expodesk

import (
	"net/url"
	"strings"
	"time"
)

// Importing exhibitors from a spreadsheet (O2): the organizer uploads a
// file, sees what committing it would do row by row, then commits it in one
// transaction. The spreadsheet's format is internal/exhibitorcsv's; the
// rules of what a row may do are here and in the service.

// Audit actions of the import.
const (
	// ActionImportCommit is the one entry that sums up a committed file:
	// its name, its SHA-256 and the counts.
	ActionImportCommit AuditAction = "import.commit"
	// ActionExhibitorImport is a company the import created or changed
	// (its fields and participations, before and after).
	ActionExhibitorImport AuditAction = "exhibitor.import"
)

// ImportTTL is how long an uploaded file waits for its commit.
const ImportTTL = time.Hour

// Errors of the import.
var (
	// ErrImportGone: the previewed file was committed already, expired, or
	// never was (a forged form): upload it again.
	ErrImportGone = Errorf(EGONE, "import.gone")
	// ErrImportChanged: the data changed between the preview and the
	// commit so that some rows now have problems; nothing was written.
	ErrImportChanged = Errorf(EINVALID, "import.changed")
)

// CanImportExhibitors reports whether p may import exhibitors at all:
// organizers. A pavilion coordinator may import rows of their own pavilion
// only, which CanManageParticipation decides row by row.
func CanImportExhibitors(p *Principal) bool { return p.IsOrganizer() }

// ParticipationRecord is a company at one expo as a spreadsheet row carries
// it: the company with its expo and pavilion named by slug. The export
// reads these from the store and the import compares rows against them.
type ParticipationRecord struct {
	Exhibitor Exhibitor
	Expo      string // expo slug
	Pavilion  string // pavilion slug, "" for none
	Booth     string
	Status    ParticipationStatus
}

// ImportAction is what committing a row does.
type ImportAction string

// Import actions: a row creates its company, updates the company or its
// participation, or changes nothing (a file imported again).
const (
	ImportCreate    ImportAction = "create"
	ImportUpdate    ImportAction = "update"
	ImportUnchanged ImportAction = "unchanged"
)

// CSVImport is an uploaded spreadsheet waiting for its commit.
type CSVImport struct {
	ID         int64
	UploadedBy int64
	Filename   string
	Data       []byte
	SHA256     []byte
	RowCount   int
	CreatedAt  time.Time
	ExpiresAt  time.Time
}

// ImportKeys are what the rows of a file may match in the database: the
// company slugs and registration ids they name, their websites' hosts and
// their names, folded (see FoldName).
type ImportKeys struct {
	Slugs           []string
	RegistrationIDs []string
	WebsiteHosts    []string
	Names           []string
	ExpoSlugs       []string
}

// BoothHolder is an approved participation holding a booth.
type BoothHolder struct {
	ExpoID        int64
	Booth         string
	ExhibitorID   int64
	ExhibitorSlug string
}

// ImportState is what the database holds that a file's rows are checked
// against: every expo and pavilion, the companies the rows may match with
// their participations, and the booths held in the file's expos.
type ImportState struct {
	Expos          []Expo
	Pavilions      []Pavilion
	Exhibitors     []Exhibitor
	Participations []Participation
	Booths         []BoothHolder
}

// ImportWrite is everything a valid file's commit writes.
type ImportWrite struct {
	// Create are the new companies; Update the changed ones (with ID).
	Create []Exhibitor
	Update []Exhibitor
	// NewParticipations name their company by slug (a new company has no id
	// before the commit); Participations to update carry their ID.
	NewParticipations []NewParticipation
	Participations    []Participation
}

// NewParticipation is a participation an import creates.
type NewParticipation struct {
	ExhibitorSlug string
	ExpoID        int64
	PavilionID    *int64
	Booth         string
	Status        ParticipationStatus
}

// Empty reports whether the write changes nothing.
func (w ImportWrite) Empty() bool {
	return len(w.Create) == 0 && len(w.Update) == 0 && len(w.NewParticipations) == 0 && len(w.Participations) == 0
}

// ImportHost is a website's host as duplicates are compared by: lower
// case, without a leading "www."; "" when v is no http(s) address.
func ImportHost(v string) string {
	if !SafeURL(v) {
		return ""
	}
	u, err := url.Parse(v)
	if err != nil {
		return ""
	}
	h := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	return strings.TrimPrefix(h, "www.")
}

// FoldName is a company name as duplicates are compared by: lower case,
// runs of spaces as one. The database folds the same way (lower, trimmed).
func FoldName(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}
