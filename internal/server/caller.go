package server

import (
	"net/http"
	"strconv"

	"expodesk/internal/service"
)

// caller is who acts in this request, for the service's permission rules
// and audit entries.
func (s *Server) caller(r *http.Request) service.Caller {
	return service.Caller{Principal: principal(r), User: currentUser(r), ClientIP: s.clientIP(r),
		RequestID: RequestID(r.Context())}
}

// authorizationFailed records a refused request in the log and the audit log.
func (s *Server) authorizationFailed(r *http.Request, objectType, objectID string) {
	s.svc.RecordRefusal(r.Context(), s.caller(r), objectType, clip(objectID, 200)) // it may come from a forged form
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
