package server

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"expodesk/internal/exhibitorcsv"
	"expodesk/internal/expodesk"
	"expodesk/internal/postgres"
)

// maxAuditExport bounds one audit log download: the file is built in memory
// so that a failing query answers with the error page rather than a file
// cut short. Beyond it the organizer is asked to narrow the filters.
const maxAuditExport = 100_000

// auditColumns are the header of the audit log download.
var auditColumns = []string{"id", "at", "actor", "action", "object_type", "object_id", "before", "after", "client_ip", "request_id"}

// exhibitorsCSV downloads the exhibitor spreadsheet: one row per
// participation, as the import reads it. An expo-wide organizer may narrow
// it by expo and status; a coordinator's is always their pavilion only,
// which the store query enforces.
func (s *Server) exhibitorsCSV(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := principal(r)
	q := r.URL.Query()
	var f postgres.ExportFilter
	name := []string{"exhibitors"}
	if slug := q.Get("expo"); slug != "" {
		x, err := s.store.ExpoGet(ctx, slug)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		f.ExpoID = x.ID
		name = append(name, x.Slug)
	}
	if st := expodesk.ParticipationStatus(q.Get("status")); st != "" {
		if !slices.Contains(expodesk.ParticipationStatuses, st) {
			s.renderError(w, r, expodesk.Errorf(expodesk.EINVALID, "export.bad_status"))
			return
		}
		f.Status = st
		name = append(name, string(st))
	}
	if !p.IsExpoOrganizer() {
		f.PavilionID = p.PavilionID
	}
	// The file is written to disk as the rows arrive, then sent: memory
	// stays that of one row whatever the number of companies, and a query
	// that fails half-way answers with the error page, not a file cut short.
	file, err := os.CreateTemp("", "expodesk-export-*.csv")
	if err != nil {
		s.renderError(w, r, fmt.Errorf("export exhibitors: %w", err))
		return
	}
	defer func() {
		_ = file.Close()
		_ = os.Remove(file.Name())
	}()
	err = func() error {
		bw := bufio.NewWriter(file)
		cw, err := exhibitorcsv.NewWriter(bw)
		if err != nil {
			return err
		}
		if err := s.store.ExhibitorExportEach(ctx, f, func(rec expodesk.ParticipationRecord) error {
			return cw.Write(exhibitorcsv.RowOf(rec))
		}); err != nil {
			return err
		}
		if err := cw.Flush(); err != nil {
			return err
		}
		if err := bw.Flush(); err != nil {
			return fmt.Errorf("export exhibitors: %w", err)
		}
		_, err = file.Seek(0, io.SeekStart)
		return err
	}()
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.sendCSVFrom(w, s.csvName(name...), file)
}

// exhibitorsTemplateCSV downloads the template: the header and example rows.
func (s *Server) exhibitorsTemplateCSV(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	if err := exhibitorcsv.Template(&buf); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.sendCSV(w, "exhibitors-template.csv", buf.Bytes())
}

// auditCSV downloads the audit log with the audit page's filters, scoped
// for a coordinator as the page is, newest first. Every cell goes through
// the formula guard: actor labels, object ids and the JSON of a change hold
// what users typed.
func (s *Server) auditCSV(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	filter := auditFilterOf(r)
	filter.Limit = 500
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	cw := csv.NewWriter(&buf)
	cw.UseCRLF = true
	if err := cw.Write(auditColumns); err != nil {
		s.renderError(w, r, err)
		return
	}
	for n := 0; ; {
		page, err := s.store.AuditList(ctx, filter)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		if n += len(page); n > maxAuditExport {
			s.renderError(w, r, expodesk.Errorf(expodesk.EINVALID, "export.audit_too_large"))
			return
		}
		for _, a := range page {
			rec := []string{itoa(a.ID), a.At.UTC().Format(time.RFC3339), a.ActorLabel, a.Action, a.ObjectType, a.ObjectID,
				a.Before, a.After, a.ClientIP, a.RequestID}
			for i, v := range rec {
				rec[i] = exhibitorcsv.Cell(v)
			}
			if err := cw.Write(rec); err != nil {
				s.renderError(w, r, err)
				return
			}
		}
		if len(page) < filter.Limit {
			break
		}
		filter.BeforeID = page[len(page)-1].ID
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.sendCSV(w, s.csvName("audit"), buf.Bytes())
}

// auditFilterOf reads the audit page's filters (action prefix, actor,
// since) from the URL and scopes a coordinator to their pavilion, as the
// page does.
func auditFilterOf(r *http.Request) expodesk.AuditFilter {
	q := r.URL.Query()
	f := expodesk.AuditFilter{Action: clip(q.Get("action"), 60), ActorEmail: clip(q.Get("actor"), 254)}
	if since, err := time.Parse("2006-01-02", q.Get("since")); err == nil {
		f.Since = since
	}
	if p := principal(r); !p.IsExpoOrganizer() {
		f.PavilionID = p.PavilionID
	}
	return f
}

// csvName is a download's file name: its parts and today's date (UTC), so
// that successive exports sort by day in a downloads folder.
func (s *Server) csvName(parts ...string) string {
	return strings.Join(append(parts, s.now().UTC().Format("2006-01-02")), "-") + ".csv"
}

// sendCSV answers with a spreadsheet download. nosniff keeps a browser from
// taking the file for a page; no-store keeps exhibitor contacts and the
// audit log out of shared caches and the browser's disk cache.
func (s *Server) sendCSV(w http.ResponseWriter, filename string, body []byte) {
	csvHeaders(w, filename)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// sendCSVFrom is sendCSV with the body read from a written file.
func (s *Server) sendCSVFrom(w http.ResponseWriter, filename string, file *os.File) {
	csvHeaders(w, filename)
	if fi, err := file.Stat(); err == nil {
		w.Header().Set("Content-Length", strconv.FormatInt(fi.Size(), 10))
	}
	w.WriteHeader(http.StatusOK)
	_, _ = io.Copy(w, file)
}

func csvHeaders(w http.ResponseWriter, filename string) {
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": filename}))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
}
