package server

import (
	"net/http"
	"testing"
)

func TestVisitorPagesAnswer(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seed()
	for _, path := range []string{"/", "/expos/iotswc-test", "/expos/iotswc-test/exhibitors",
		"/expos/iotswc-test/pavilions/wuxi-pavilion", "/exhibitors/taihu-sensing", "/expos/iotswc-test/agenda",
		"/expos/iotswc-test/agenda.ics", "/exhibitors/taihu-sensing/agenda.ics", "/livez", "/readyz"} {
		resp, _ := e.get(path)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d, want 200", path, resp.StatusCode)
		}
	}
}
