package server

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"expodesk/internal/exhibitorcsv"
	"expodesk/internal/expodesk"
	"expodesk/internal/postgres"
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// download fetches a CSV export and checks the download headers and the BOM.
func download(t *testing.T, c *client, path, wantName string) []byte {
	t.Helper()
	resp, body := c.get(path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d\n%s", path, resp.StatusCode, excerpt(body))
	}
	for h, want := range map[string]string{"Content-Type": "text/csv; charset=utf-8", "Cache-Control": "no-store",
		"X-Content-Type-Options": "nosniff"} {
		if got := resp.Header.Get(h); got != want {
			t.Errorf("GET %s: %s %q, want %q", path, h, got, want)
		}
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") || !strings.Contains(cd, wantName) {
		t.Errorf("GET %s: Content-Disposition %q, want an attachment named like %q", path, cd, wantName)
	}
	if !strings.HasPrefix(body, string(utf8BOM)) {
		t.Errorf("GET %s does not start with the UTF-8 byte-order mark: %q", path, excerpt(body))
	}
	if !strings.Contains(body, "\r\n") || strings.Contains(strings.ReplaceAll(body, "\r\n", ""), "\n") {
		t.Errorf("GET %s: line ends are not CRLF", path)
	}
	return []byte(body)
}

// readBack parses an exhibitor export as the import does.
func readBack(t *testing.T, e *testEnv, data []byte) []exhibitorcsv.Row {
	t.Helper()
	f, err := exhibitorcsv.Read(bytes.NewReader(data), exhibitorcsv.Limits{Sectors: e.sectors(t)})
	if err != nil {
		t.Fatalf("reading the export back: %v", err)
	}
	for _, r := range f.Rows {
		if len(r.Problems) > 0 {
			t.Errorf("line %d of the export reads back with problems %v", r.Line, r.Problems)
		}
	}
	return f.Rows
}

// sectors returns every sector code of the database.
func (e *testEnv) sectors(t *testing.T) map[string]bool {
	t.Helper()
	rows, err := e.pool.Query(context.Background(), `SELECT code FROM sector`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	m := map[string]bool{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		m[c] = true
	}
	return m
}

// comparable strips what the file does not carry (ids, times, logo, line, problems).
func comparable(rows []exhibitorcsv.Row) []exhibitorcsv.Row {
	out := make([]exhibitorcsv.Row, len(rows))
	for i, r := range rows {
		x := r.Exhibitor
		x.ID, x.LogoETag = 0, ""
		x.CreatedAt, x.UpdatedAt = time.Time{}, time.Time{}
		if len(x.Sectors) == 0 {
			x.Sectors = nil
		}
		out[i] = exhibitorcsv.Row{Exhibitor: x, Expo: r.Expo, Pavilion: r.Pavilion, Booth: r.Booth, Status: r.Status}
	}
	return out
}

// slugsOf lists "expo/company" of each row.
func slugsOf(rows []exhibitorcsv.Row) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.Expo+"/"+r.Exhibitor.Slug)
	}
	return out
}

// TestExportExhibitors checks the exhibitor export: the download headers,
// the BOM and CRLF, the formula guard, Chinese names, the round trip through
// the import's reader, the filters, and a coordinator's pavilion scope.
func TestExportExhibitors(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	ctx := context.Background()
	known := e.sectors(t)
	formula, err := e.store.ExhibitorCreate(ctx, expodesk.Exhibitor{Slug: "formula-corp", LegalName: "=HYPERLINK(\"https://evil.example\")",
		Name: expodesk.Text{EN: "-Minus Corp", ZH: "公式公司"}, Country: "CN", Phone: "+86 510 1234 5678",
		Sectors: []string{"sensors"}}, known)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []expodesk.Participation{
		{ExpoID: w.Barcelona.ID, ExhibitorID: formula.ID, PavilionID: &w.WuxiPavilion.ID, Booth: "2-A02", Status: expodesk.StatusInvited},
		{ExpoID: w.Wuxi.ID, ExhibitorID: w.Cloud.ID, PavilionID: &w.EuroPavilion.ID, Booth: "E-1", Status: expodesk.StatusApproved},
	} {
		if _, err := e.store.ParticipationCreate(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	org := e.signedIn(t, w.Organizer)
	coord := e.signedIn(t, w.Coordinator)
	today := e.clock.Now().UTC().Format("2006-01-02")

	data := download(t, org, "/organizer/exhibitors.csv", "exhibitors-"+today+".csv")
	raw := string(data)
	for _, want := range []string{`"'=HYPERLINK(""https://evil.example"")"`, "'+86 510 1234 5678", "'-Minus Corp",
		"无锡太湖传感科技有限公司", "太湖传感"} {
		if !strings.Contains(raw, want) {
			t.Errorf("the export does not contain %q:\n%s", want, raw)
		}
	}
	got := readBack(t, e, data)
	want, err := e.store.ExhibitorExport(ctx, postgres.ExportFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != 5 {
		t.Fatalf("the store exports %d participations, want 5", len(want))
	}
	if g, w := comparable(got), comparable(exhibitorcsv.RowsOf(want)); !reflect.DeepEqual(g, w) {
		t.Errorf("the export reads back as\n%+v\nwant\n%+v", g, w)
	}
	for _, r := range got {
		if r.Exhibitor.Slug == "formula-corp" && (r.Exhibitor.LegalName != formula.LegalName || r.Exhibitor.Phone != "+86 510 1234 5678" || r.Exhibitor.Name.EN != "-Minus Corp") {
			t.Errorf("the guarded cells read back as %q %q %q", r.Exhibitor.LegalName, r.Exhibitor.Phone, r.Exhibitor.Name.EN)
		}
		if r.Exhibitor.Slug == "taihu-sensing" && (r.Exhibitor.LegalName != "无锡太湖传感科技有限公司" || r.Exhibitor.Name.ZH != "太湖传感") {
			t.Errorf("the Chinese names read back as %q %q", r.Exhibitor.LegalName, r.Exhibitor.Name.ZH)
		}
	}

	// Filters: by expo and status, named in the file name.
	rows := readBack(t, e, download(t, org, "/organizer/exhibitors.csv?expo=iotswc-test&status=applied",
		"exhibitors-iotswc-test-applied-"+today+".csv"))
	if s := slugsOf(rows); !slices.Equal(s, []string{"iotswc-test/applied-only"}) {
		t.Errorf("expo and status filter: %v", s)
	}
	rows = readBack(t, e, download(t, org, "/organizer/exhibitors.csv?expo=wiot-test", "exhibitors-wiot-test-"+today+".csv"))
	if s := slugsOf(rows); !slices.Equal(s, []string{"wiot-test/nube-catalana"}) {
		t.Errorf("expo filter: %v", s)
	}

	// The coordinator's export holds their pavilion only, whatever they ask for.
	rows = readBack(t, e, download(t, coord, "/organizer/exhibitors.csv", "exhibitors-"+today+".csv"))
	if s := slugsOf(rows); !slices.Equal(s, []string{"iotswc-test/applied-only", "iotswc-test/formula-corp", "iotswc-test/taihu-sensing"}) {
		t.Errorf("the coordinator's export holds %v, want the Wuxi Pavilion's three companies", s)
	}
	for _, r := range rows {
		if r.Pavilion != w.WuxiPavilion.Slug {
			t.Errorf("the coordinator's export holds %s in pavilion %q", r.Exhibitor.Slug, r.Pavilion)
		}
	}
	if data := download(t, coord, "/organizer/exhibitors.csv?expo=wiot-test", "wiot-test"); strings.Count(string(data), "\r\n") != 1 {
		t.Errorf("the coordinator's export of another expo holds more than the header:\n%s", data)
	}
}

// TestExportTemplate checks that the template downloads and reads back
// with no problems.
func TestExportTemplate(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	for _, a := range []account{w.Organizer, w.Coordinator} {
		rows := readBack(t, e, download(t, e.signedIn(t, a), "/organizer/exhibitors-template.csv", "exhibitors-template.csv"))
		if g, w := comparable(rows), comparable(exhibitorcsv.TemplateRows); !reflect.DeepEqual(g, w) {
			t.Errorf("the template reads back as %+v, want %+v", g, w)
		}
	}
}

// TestExportAudit checks the audit log download: the page's filters, a
// coordinator's scope and the formula guard.
func TestExportAudit(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	ctx := context.Background()
	for _, a := range []expodesk.AuditEntry{
		{ActorLabel: "=cmd|' /C calc'!A0", Action: "test.export", ObjectType: "pavilion", ObjectID: "wuxi", PavilionID: &w.WuxiPavilion.ID},
		{ActorLabel: "someone@euro.example", Action: "test.export", ObjectType: "pavilion", ObjectID: "euro", PavilionID: &w.EuroPavilion.ID},
		{ActorLabel: "other@example.com", Action: "test.other", ObjectType: "expo", ObjectID: "x"},
	} {
		if err := e.store.AuditAdd(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	read := func(c *client, query string) [][]string {
		t.Helper()
		data := download(t, c, "/organizer/audit.csv"+query, "audit-")
		recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, utf8BOM))).ReadAll()
		if err != nil {
			t.Fatalf("audit.csv%s does not parse: %v", query, err)
		}
		if len(recs) == 0 || !slices.Equal(recs[0], auditColumns) {
			t.Fatalf("audit.csv%s header %v", query, recs)
		}
		return recs[1:]
	}
	org := e.signedIn(t, w.Organizer)
	coord := e.signedIn(t, w.Coordinator)
	objects := func(recs [][]string) []string {
		var out []string
		for _, r := range recs {
			out = append(out, r[3]+" "+r[5])
		}
		return out
	}
	if got := objects(read(org, "?action=test.")); !slices.Equal(got, []string{"test.other x", "test.export euro", "test.export wuxi"}) {
		t.Errorf("organizer, action test.: %v", got)
	}
	if got := objects(read(org, "?action=test.export&actor=euro")); !slices.Equal(got, []string{"test.export euro"}) {
		t.Errorf("organizer, action and actor: %v", got)
	}
	if got := read(org, "?action=test.&since=2999-01-01"); len(got) != 0 {
		t.Errorf("organizer, since in the future: %v", got)
	}
	recs := read(coord, "?action=test.")
	if got := objects(recs); !slices.Equal(got, []string{"test.export wuxi"}) {
		t.Errorf("the coordinator's audit.csv holds %v, want their pavilion's entry only", got)
	}
	if len(recs) == 1 && recs[0][2] != "'=cmd|' /C calc'!A0" {
		t.Errorf("the actor cell is %q, not neutralised", recs[0][2])
	}
	// Entries of the signed-in sessions are there too, beyond one page of the store's.
	if all := read(org, ""); len(all) < 3 {
		t.Errorf("the organizer's audit.csv holds %d entries", len(all))
	}
}
