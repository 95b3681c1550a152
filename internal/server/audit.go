package server

import (
	"expodesk/internal/urls"
	"expodesk/web"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// auditLog lists the audit log, newest first, with filters in the URL; a
// coordinator sees the entries about their pavilion and its companies.
func (s *Server) auditLog(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	// The page and audit.csv read their filters and scope the same way.
	filter := auditFilterOf(r)
	filter.Limit = 100
	if before, err := strconv.ParseInt(q.Get("before"), 10, 64); err == nil && before > 0 {
		filter.BeforeID = before
	}
	rows, err := s.store.AuditList(ctx, filter)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := web.AuditView{Filter: web.FormState{Values: url.Values{"action": {filter.Action}, "actor": {filter.ActorEmail}, "since": {q.Get("since")}}}}
	for _, a := range rows {
		item := web.AuditItem{ID: a.ID, At: a.At, Actor: a.ActorLabel, Action: a.Action, Before: a.Before, After: a.After,
			ClientIP: a.ClientIP, RequestID: a.RequestID}
		if a.ObjectType != "" {
			item.Object = a.ObjectType + " " + a.ObjectID
		}
		v.Entries = append(v.Entries, item)
	}
	if len(rows) == filter.Limit {
		older := url.Values{"action": {filter.Action}, "actor": {filter.ActorEmail}, "since": {q.Get("since")},
			"before": {itoa(rows[len(rows)-1].ID)}}
		v.Older = urls.OrganizerAudit(older)
	}
	s.render(w, r, http.StatusOK, web.AuditPage(web.Page{Title: web.T(ctx, "organizer.audit")}, v))
}

// clip bounds a filter value and drops invalid UTF-8.
func clip(v string, max int) string {
	v = strings.ToValidUTF8(v, "")
	if r := []rune(v); len(r) > max {
		v = string(r[:max])
	}
	return v
}
