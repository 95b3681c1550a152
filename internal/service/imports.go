package service

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"unicode/utf8"

	"expodesk/internal/exhibitorcsv"
	"expodesk/internal/expodesk"
)

// Importing exhibitors from a spreadsheet (O2). PreviewImport reads and
// plans an uploaded file and, when no row has a problem, keeps it for the
// commit; CommitImport plans the kept bytes again inside its transaction
// and writes everything or nothing. The rules of the plan are in
// importplan.go.

// ImportMaxBytes and ImportMaxRows bound one file (exhibitorcsv's limits).
const (
	ImportMaxBytes = exhibitorcsv.DefaultMaxBytes
	ImportMaxRows  = exhibitorcsv.DefaultMaxRows
)

// ImportField is the upload form's file field, where problems of the whole
// file are shown.
const ImportField = "file"

// ImportUpload is a spreadsheet as an organizer uploaded it.
type ImportUpload struct {
	Filename string
	Data     []byte
}

// ImportRow is one row of a file with what committing it does.
type ImportRow struct {
	exhibitorcsv.Row
	Action expodesk.ImportAction
	// Changed lists the columns an update changes ("expo" for a new
	// participation of a company that exists).
	Changed []string
}

// ImportCounts sums up a file.
type ImportCounts struct {
	Rows                  int
	RowsWithProblems      int
	CompaniesCreated      int
	CompaniesUpdated      int
	ParticipationsCreated int
	ParticipationsUpdated int
	Unchanged             int // rows that change nothing
}

// ImportPreview is what committing a file does, row by row.
type ImportPreview struct {
	// ImportID is the kept file, which the commit form names; 0 when rows
	// have problems (nothing is kept then).
	ImportID  int64
	Filename  string
	SHA256    string // hex
	Encoding  string
	Separator rune
	Rows      []ImportRow
	Counts    ImportCounts
}

// Valid reports whether no row has a problem.
func (p ImportPreview) Valid() bool { return p.Counts.RowsWithProblems == 0 }

// importAllowed is the permission rule of both steps: organizers import
// (a coordinator their pavilion's rows, checked row by row); exhibitors
// are refused and visitors asked to sign in.
func (s *Service) importAllowed(ctx context.Context, c Caller) error {
	if c.Principal == nil {
		return expodesk.Errorf(expodesk.EUNAUTHORIZED, "error.unauthorized")
	}
	if !expodesk.CanImportExhibitors(c.Principal) {
		return s.refuse(ctx, c, "csv_import", 0, expodesk.ErrForbidden)
	}
	return nil
}

// sectorSet returns the valid sector codes.
func (s *Service) sectorSet(ctx context.Context) (map[string]bool, error) {
	list, err := s.store.SectorList(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[string]bool, len(list))
	for _, sc := range list {
		m[sc.Code] = true
	}
	return m, nil
}

// readImport parses a file; a problem with the whole file is an error on
// the upload's file field.
func readImport(data []byte, sectors map[string]bool) (*exhibitorcsv.File, error) {
	f, err := exhibitorcsv.Read(bytes.NewReader(data), exhibitorcsv.Limits{Sectors: sectors})
	if err != nil {
		if e := expodesk.ErrorOf(err); e != nil && e.Code == expodesk.EINVALID {
			return nil, &expodesk.Error{Code: expodesk.EINVALID, Message: e.Message, Data: e.Data, Field: ImportField}
		}
		return nil, err
	}
	return f, nil
}

func previewOf(f *exhibitorcsv.File, pl importPlan, filename string, sum []byte) ImportPreview {
	return ImportPreview{Filename: filename, SHA256: hex.EncodeToString(sum), Encoding: f.Encoding,
		Separator: f.Separator, Rows: pl.rows, Counts: pl.counts}
}

// PreviewImport reads an uploaded spreadsheet and shows what committing it
// would do: every row with its action and its problems (the parser's and
// the database's). When no row has a problem the file is kept, for an hour,
// for the commit; nothing else is written.
func (s *Service) PreviewImport(ctx context.Context, c Caller, up ImportUpload) (ImportPreview, error) {
	if err := s.importAllowed(ctx, c); err != nil {
		return ImportPreview{}, err
	}
	sectors, err := s.sectorSet(ctx)
	if err != nil {
		return ImportPreview{}, err
	}
	f, err := readImport(up.Data, sectors)
	if err != nil {
		return ImportPreview{}, err
	}
	st, err := s.store.ImportState(ctx, keysOf(f))
	if err != nil {
		return ImportPreview{}, err
	}
	name := clipName(up.Filename)
	sum := sha256.Sum256(up.Data)
	out := previewOf(f, planImport(c.Principal, f, st, sectors), name, sum[:])
	if !out.Valid() {
		return out, nil
	}
	now := s.now()
	err = s.write(ctx, c, func(t *tx) error {
		im, err := t.CSVImportAdd(ctx, expodesk.CSVImport{UploadedBy: c.Principal.UserID, Filename: name, Data: up.Data,
			SHA256: sum[:], RowCount: len(f.Rows), CreatedAt: now, ExpiresAt: now.Add(expodesk.ImportTTL)})
		out.ImportID = im.ID
		return err
	})
	return out, err
}

// clipName bounds an uploaded file's name to what the table keeps.
func clipName(s string) string {
	s = string(bytes.ToValidUTF8([]byte(s), nil))
	for utf8.RuneCountInString(s) > 200 {
		_, n := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-n]
	}
	return s
}

// CommitImport writes the kept file id, which only its uploader may
// commit, in one transaction: it plans the bytes again against the data as
// it is now, and writes the companies, their sectors and participations,
// one audit entry per company changed and one that sums up the file, or
// nothing at all. A file that changes nothing (imported before) writes no
// audit entry. When rows have problems now that they had not at the
// preview (someone took a booth meanwhile), the error is
// ErrImportChanged and the returned preview shows them.
func (s *Service) CommitImport(ctx context.Context, c Caller, id int64) (ImportPreview, error) {
	if err := s.importAllowed(ctx, c); err != nil {
		return ImportPreview{}, err
	}
	sectors, err := s.sectorSet(ctx)
	if err != nil {
		return ImportPreview{}, err
	}
	var out ImportPreview
	err = s.write(ctx, c, func(t *tx) error {
		im, err := t.CSVImportGetForUpdate(ctx, id)
		if errors.Is(err, expodesk.ErrNotFound) {
			return expodesk.ErrImportGone
		} else if err != nil {
			return err
		}
		if im.UploadedBy != c.Principal.UserID {
			return s.refuse(ctx, c, "csv_import", id, expodesk.ErrImportGone)
		}
		f, err := readImport(im.Data, sectors)
		if err != nil {
			return err
		}
		st, err := t.ImportState(ctx, keysOf(f))
		if err != nil {
			return err
		}
		pl := planImport(c.Principal, f, st, sectors)
		out = previewOf(f, pl, im.Filename, im.SHA256)
		out.ImportID = im.ID
		if !out.Valid() {
			return expodesk.ErrImportChanged
		}
		if err := t.CSVImportDelete(ctx, im.ID); err != nil {
			return err
		}
		if pl.write.Empty() {
			return nil
		}
		ids, err := t.ImportApply(ctx, pl.write)
		if err != nil {
			return err
		}
		entries := make([]expodesk.AuditEntry, 0, len(pl.changes)+1)
		for _, ch := range pl.changes {
			id := ch.existingID
			if id == 0 {
				id = ids[ch.slug]
			}
			var before any
			if ch.before != nil {
				before = ch.before
			}
			entries = append(entries, s.entry(c, expodesk.ActionExhibitorImport, "exhibitor", id,
				scope{ExpoID: ch.expoID, PavilionID: ch.pavilionID, ExhibitorID: &id}, before, ch.after))
		}
		var sc scope
		if p := c.Principal; p.PavilionID != 0 {
			sc = scope{ExpoID: &p.ExpoID, PavilionID: &p.PavilionID}
		}
		entries = append(entries, s.entry(c, expodesk.ActionImportCommit, "csv_import", im.ID, sc, nil, map[string]any{
			"filename": im.Filename, "sha256": out.SHA256, "rows": out.Counts.Rows,
			"companies_created": out.Counts.CompaniesCreated, "companies_updated": out.Counts.CompaniesUpdated,
			"participations_created": out.Counts.ParticipationsCreated, "participations_updated": out.Counts.ParticipationsUpdated,
			"unchanged": out.Counts.Unchanged,
		}))
		return t.AuditAddMany(ctx, entries)
	})
	if err != nil && !errors.Is(err, expodesk.ErrImportChanged) {
		return ImportPreview{}, err
	}
	if err == nil {
		s.log.InfoContext(ctx, "spreadsheet imported", "import", strconv.FormatInt(id, 10), "rows", out.Counts.Rows,
			"created", out.Counts.CompaniesCreated, "updated", out.Counts.CompaniesUpdated)
	}
	return out, err
}
