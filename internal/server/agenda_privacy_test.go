package server

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// TestAgendaHidesWithdrawnExhibitors: a booking by a company no longer
// approved at the expo keeps its slot taken, but neither the agenda nor the
// feeds name the company or its talk.
func TestAgendaHidesWithdrawnExhibitors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	f := e.seed()
	if _, err := e.pool.Exec(context.Background(),
		`UPDATE participation SET status = 'withdrawn' WHERE exhibitor_id = $1`, f.Sensing.ID); err != nil {
		t.Fatal(err)
	}
	resp, body := e.get("/expos/iotswc-test/agenda?lang=en")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("agenda = %d", resp.StatusCode)
	}
	if strings.Contains(body, f.Booking.Title) || strings.Contains(body, "/exhibitors/taihu-sensing") {
		t.Error("the agenda shows a withdrawn exhibitor's session")
	}
	if got := doc(t, body).Find(".badge.blocked").Length(); got != 1 {
		t.Errorf("%d slots marked not available, want the withdrawn company's one", got)
	}
	if got := doc(t, body).Find(".badge.free").Length(); got != len(f.Slots)-1 {
		t.Errorf("%d free slots, want %d: the held slot must not look free", got, len(f.Slots)-1)
	}
	_, ics := e.get("/expos/iotswc-test/agenda.ics")
	if strings.Contains(ics, "BEGIN:VEVENT") {
		t.Error("the expo feed lists a withdrawn exhibitor's session")
	}
}

// TestHeadAnswersLikeGet: link checkers and uptime monitors send HEAD.
func TestHeadAnswersLikeGet(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seed()
	for _, path := range []string{"/", "/livez", "/readyz", "/expos/iotswc-test/agenda.ics", "/static/app.css", "/favicon.ico"} {
		req, err := http.NewRequest(http.MethodHead, e.ts.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, body := e.do(req)
		if resp.StatusCode != http.StatusOK || body != "" {
			t.Errorf("HEAD %s = %d with %d body bytes, want 200 and no body", path, resp.StatusCode, len(body))
		}
	}
}
