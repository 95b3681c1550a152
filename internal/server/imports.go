package server

import (
	"encoding/json"
	"errors"
	"net/http"
	"sort"

	"github.com/a-h/templ"

	"expodesk/internal/exhibitorcsv"
	"expodesk/internal/expodesk"
	"expodesk/internal/service"
	"expodesk/internal/urls"
	"expodesk/web"
)

// importBodyLimit is the body cap of the spreadsheet upload: the largest
// file the import reads and room for the multipart envelope. A larger body
// is refused with the 413 page before anything parses it; a file between
// the two is refused by the reader with a message saying the limit.
const importBodyLimit = service.ImportMaxBytes + 1<<20

// sessImportResult keeps the counts of the last commit for the page the
// commit redirects to, shown once (the flash says only that it happened).
const sessImportResult = "import_result"

// importView is the import page for the reader, with the expos and
// pavilions whose slugs a file may name (a coordinator's own only).
func (s *Server) importView(r *http.Request, fs web.FormState) (web.ImportView, error) {
	ctx := r.Context()
	p := principal(r)
	v := web.ImportView{Form: fs, MaxMiB: service.ImportMaxBytes >> 20, MaxRows: service.ImportMaxRows}
	expos, err := s.store.ExpoList(ctx)
	if err != nil {
		return v, err
	}
	for _, x := range expos {
		if !p.IsExpoOrganizer() && x.ID != p.ExpoID {
			continue
		}
		pavilions, err := s.store.PavilionList(ctx, x.ID)
		if err != nil {
			return v, err
		}
		ie := web.ImportExpo{Expo: x}
		for _, pv := range pavilions {
			if p.IsExpoOrganizer() || pv.ID == p.PavilionID {
				ie.Pavilions = append(ie.Pavilions, pv)
				if pv.ID == p.PavilionID {
					c := pv
					v.Coordinator = &c
				}
			}
		}
		v.Expos = append(v.Expos, ie)
	}
	return v, nil
}

func importPage(r *http.Request, v web.ImportView) templ.Component {
	return web.ImportPage(web.Page{Title: web.T(r.Context(), "import.title")}, v)
}

// importForm shows the upload form, and the counts of a commit just made.
func (s *Server) importForm(w http.ResponseWriter, r *http.Request) {
	v, err := s.importView(r, web.FormState{})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v.Flash = s.popFlash(r)
	if raw := s.sessions.PopString(r.Context(), sessImportResult); raw != "" {
		var c web.ImportCounts
		if json.Unmarshal([]byte(raw), &c) == nil {
			v.Result = &c
		}
	}
	s.render(w, r, http.StatusOK, importPage(r, v))
}

// importPreview reads the uploaded file and shows every row with what
// committing it does and its problems: 200 with the commit button when no
// row has a problem (the service keeps the file for the commit), 422 with
// the rows' problems and the upload form otherwise, and 422 with the
// problem at the file field for a file that cannot be read at all.
func (s *Server) importPreview(w http.ResponseWriter, r *http.Request) {
	f, err := parseForm(w, r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	// Whatever the body cap let through reaches the reader, whose message
	// for a file over its limit names the limit in MiB and says what to do.
	up := f.file(service.ImportField, importBodyLimit, true)
	var p service.ImportPreview
	if f.err() == nil {
		p, err = s.svc.PreviewImport(r.Context(), s.caller(r), service.ImportUpload{Filename: up.Filename, Data: up.Data})
	}
	if err != nil || f.err() != nil {
		s.finish(w, r, submission{f: f, err: err, page: func(fs web.FormState) (templ.Component, error) {
			fs.Values = nil // a file is not shown again
			v, err := s.importView(r, fs)
			return importPage(r, v), err
		}})
		return
	}
	v, err := s.importView(r, web.FormState{})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v.Preview = previewView(p)
	status := http.StatusOK
	if !p.Valid() {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, importPage(r, v))
}

// importCommit imports the previewed file the form names (its id; the
// service checks it is the reader's own upload). Success redirects to the
// import page with the counts; problems that appeared since the preview
// show the preview again with 422.
func (s *Server) importCommit(w http.ResponseWriter, r *http.Request) {
	f, err := parseForm(w, r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	id := f.id("import")
	if id == 0 {
		s.renderError(w, r, expodesk.ErrImportGone)
		return
	}
	p, err := s.svc.CommitImport(r.Context(), s.caller(r), id)
	if errors.Is(err, expodesk.ErrImportChanged) {
		v, verr := s.importView(r, web.FormState{})
		if verr != nil {
			s.renderError(w, r, verr)
			return
		}
		v.Preview, v.Changed = previewView(p), true
		v.Preview.ImportID = 0 // the commit form is not offered again
		s.render(w, r, http.StatusUnprocessableEntity, importPage(r, v))
		return
	}
	if err == nil {
		c := countsView(p)
		if raw, jerr := json.Marshal(c); jerr == nil {
			s.sessions.Put(r.Context(), sessImportResult, string(raw))
		}
	}
	s.finish(w, r, submission{f: f, err: err, done: urls.OrganizerImport(), flash: flashImported,
		page: func(fs web.FormState) (templ.Component, error) {
			v, err := s.importView(r, fs)
			return importPage(r, v), err
		}})
}

func countsView(p service.ImportPreview) web.ImportCounts {
	c := p.Counts
	return web.ImportCounts{Filename: p.Filename, Rows: c.Rows, RowsWithProblems: c.RowsWithProblems,
		CompaniesCreated: c.CompaniesCreated, CompaniesUpdated: c.CompaniesUpdated,
		ParticipationsCreated: c.ParticipationsCreated, ParticipationsUpdated: c.ParticipationsUpdated, Unchanged: c.Unchanged}
}

// previewView is the page's view of a preview; each row's problems in the
// order of the columns.
func previewView(p service.ImportPreview) *web.ImportPreviewView {
	sep := map[rune]string{',': ",", ';': ";", '\t': "tab"}[p.Separator]
	v := &web.ImportPreviewView{ImportID: p.ImportID, Filename: p.Filename, SHA256: p.SHA256, Encoding: p.Encoding,
		Separator: sep, Counts: countsView(p), Rows: make([]web.ImportRowView, len(p.Rows))}
	for i, r := range p.Rows {
		rv := web.ImportRowView{Line: r.Line, Action: r.Action, Slug: r.Exhibitor.Slug, Name: r.Exhibitor.Name,
			Legal: r.Exhibitor.LegalName, Expo: r.Expo, Pavilion: r.Pavilion, Booth: r.Booth, Status: r.Status, Changed: r.Changed}
		for col, m := range r.Problems {
			rv.Problems = append(rv.Problems, web.ImportProblem{Column: col, Message: m})
		}
		sort.Slice(rv.Problems, func(a, b int) bool {
			return columnOrder(rv.Problems[a].Column) < columnOrder(rv.Problems[b].Column)
		})
		v.Rows[i] = rv
	}
	return v
}

// columnOrder places a problem's column as the spreadsheet does (the
// whole row first).
func columnOrder(col string) int {
	for i, c := range importColumnOrder {
		if c == col {
			return i
		}
	}
	return len(importColumnOrder)
}

var importColumnOrder = append([]string{exhibitorcsv.RowProblem}, exhibitorcsv.Columns...)
