package metrics

import (
	"context"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"expodesk/internal/expodesk"
)

// TestGrafanaDashboard checks docs/grafana/expodesk.json against the
// metrics: it parses, every panel reads the Prometheus data source chosen
// in its variable, every series it queries exists, and every expodesk
// series has a panel.
func TestGrafanaDashboard(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../../docs/grafana/expodesk.json")
	if err != nil {
		t.Fatal(err)
	}
	type datasource struct{ Type, UID string }
	var dash struct {
		Title      string
		Templating struct {
			List []struct{ Name, Type, Query any }
		}
		Panels []struct {
			Type, Title string
			Datasource  *datasource
			Targets     []struct {
				Expr       string
				Datasource *datasource
			}
		}
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatalf("the dashboard is not JSON: %v", err)
	}
	hasVar := false
	for _, v := range dash.Templating.List {
		if v.Name == "datasource" && v.Type == "datasource" && v.Query == "prometheus" {
			hasVar = true
		}
	}
	if !hasVar {
		t.Error("no Prometheus data source variable named datasource")
	}

	// Every series the application can export, from a registry with every collector.
	m := New(nil)
	m.Requests([]string{"/"}).Observe("/", "GET", 200, time.Millisecond)
	pool, err := pgxpool.New(context.Background(), "postgres://nobody@127.0.0.1:1/none") // connects lazily: never here
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	m.RegisterPool(pool)
	m.RegisterOutbox(func(context.Context) ([]expodesk.OutboxDepth, error) {
		return []expodesk.OutboxDepth{{Outbox: expodesk.OutboxMail}}, nil
	})
	m.RegisterPageCache(func() PageCacheStats { return PageCacheStats{} })
	m.RegisterDirectory(func() DirectoryStats { return DirectoryStats{} })
	fams := scrape(t, m.Handler())

	name := regexp.MustCompile(`\b(?:expodesk|go|process)_[a-z_]+\b`)
	used := map[string]bool{}
	panels := 0
	for _, p := range dash.Panels {
		if p.Type == "row" {
			continue
		}
		panels++
		if p.Datasource == nil || p.Datasource.Type != "prometheus" || p.Datasource.UID != "${datasource}" {
			t.Errorf("panel %q does not use the datasource variable", p.Title)
		}
		if len(p.Targets) == 0 {
			t.Errorf("panel %q queries nothing", p.Title)
		}
		for _, q := range p.Targets {
			if q.Datasource == nil || q.Datasource.UID != "${datasource}" {
				t.Errorf("a query of panel %q does not use the datasource variable", p.Title)
			}
			for _, n := range name.FindAllString(q.Expr, -1) {
				family := n
				for _, suffix := range []string{"_bucket", "_sum", "_count"} {
					if base := strings.TrimSuffix(n, suffix); base != n && fams[base] != nil {
						family = base
					}
				}
				used[family] = true
				if fams[family] == nil {
					t.Errorf("panel %q queries %s, which expodesk does not export", p.Title, n)
				}
			}
		}
	}
	if panels < 20 {
		t.Errorf("%d panels", panels)
	}
	for _, n := range fams.Names("expodesk_") {
		if !used[n] {
			t.Errorf("no panel shows %s", n)
		}
	}
}
