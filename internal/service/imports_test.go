package service_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"expodesk/internal/expodesk"
	"expodesk/internal/service"
)

const importHeader = "slug,legal_name,name_en,name_zh,sectors,country,city,website,registration_id,expo,pavilion,booth,status\n"

// sheet is a spreadsheet of the fixture's expo with the given data lines.
func sheet(lines ...string) service.ImportUpload {
	return service.ImportUpload{Filename: "exhibitors.csv", Data: []byte(importHeader + strings.Join(lines, "\n") + "\n")}
}

// tableDigest is the content of the tables an import writes, to prove that
// an import changed nothing.
func (w world) tableDigest(t *testing.T) string {
	t.Helper()
	var out []string
	for _, q := range []string{
		`SELECT coalesce(md5(string_agg(e::text, '|' ORDER BY e.id)), '') FROM exhibitor e`,
		`SELECT coalesce(md5(string_agg(s::text, '|' ORDER BY s::text)), '') FROM exhibitor_sector s`,
		`SELECT coalesce(md5(string_agg(p::text, '|' ORDER BY p.id)), '') FROM participation p`,
		`SELECT count(*)::text FROM audit_entry`,
	} {
		var d string
		if err := w.pool.QueryRow(context.Background(), q).Scan(&d); err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	return strings.Join(out, " ")
}

func (w world) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := w.pool.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// rowProblem returns the catalog key of a preview row's problem at col ("" for none).
func rowProblem(p service.ImportPreview, line int, col string) string {
	for _, r := range p.Rows {
		if r.Line == line {
			return r.Problems[col].Key
		}
	}
	return "no such line"
}

// TestImport previews and commits files through the write path: creates,
// then the same file again changes nothing; updates write only the columns
// the file has; one bad row keeps every row out; the data changing between
// preview and commit is caught; and who may import what.
func TestImport(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	org := w.as(w.organizer)
	good := sheet(
		`qingmei-sensing,无锡青梅传感科技有限公司,Qingmei Sensing,青梅传感,sensors|agriculture,CN,Wuxi,https://qingmei.example,91320214MA1QM7K8PB,iotswc-svc,wuxi-pavilion,2-A10,approved`,
		`ondaluz,"Ondaluz Sistemas, S.L.",Ondaluz Systems,,smart-city,ES,Barcelona,https://ondaluz.example,B26740183,iotswc-svc,,A3-12,invited`,
	)

	t.Run("CreateThenNothingChanges", func(t *testing.T) {
		p, err := w.svc.PreviewImport(ctx, org, good)
		if err != nil {
			t.Fatal(err)
		}
		if !p.Valid() || p.ImportID == 0 {
			t.Fatalf("preview of a good file: valid %v, id %d, rows %+v", p.Valid(), p.ImportID, p.Rows)
		}
		if p.Rows[0].Action != expodesk.ImportCreate || p.Rows[0].Line != 2 || p.Rows[1].Line != 3 {
			t.Errorf("rows %+v", p.Rows)
		}
		audits := w.counts(t)[3]
		res, err := w.svc.CommitImport(ctx, org, p.ImportID)
		if err != nil {
			t.Fatal(err)
		}
		if c := res.Counts; c.CompaniesCreated != 2 || c.ParticipationsCreated != 2 || c.CompaniesUpdated != 0 {
			t.Errorf("counts %+v", c)
		}
		x, err := w.store.ExhibitorGet(ctx, "qingmei-sensing")
		if err != nil || x.Name.ZH != "青梅传感" || strings.Join(x.Sectors, "|") != "agriculture|sensors" {
			t.Fatalf("created %+v, %v", x, err)
		}
		if n := w.count(t, `SELECT count(*) FROM participation WHERE exhibitor_id = $1 AND status = 'approved' AND booth = '2-A10'
			AND pavilion_id = $2 AND decided_at IS NOT NULL`, x.ID, w.pavilion.ID); n != 1 {
			t.Error("the approved participation in the pavilion was not created")
		}
		// One entry per company and one for the file, with its name and hash.
		if got := w.counts(t)[3]; got != audits+3 {
			t.Errorf("audit entries %d → %d, want 3 more", audits, got)
		}
		var name, sum string
		if err := w.pool.QueryRow(ctx, `SELECT after->>'filename', after->>'sha256' FROM audit_entry WHERE action = 'import.commit'`).Scan(&name, &sum); err != nil ||
			name != "exhibitors.csv" || sum != res.SHA256 || len(sum) != 64 {
			t.Errorf("summary entry %q %q, %v", name, sum, err)
		}
		if n := w.count(t, `SELECT count(*) FROM audit_entry WHERE action = 'exhibitor.import' AND exhibitor_id = $1 AND pavilion_id = $2`, x.ID, w.pavilion.ID); n != 1 {
			t.Error("no audit entry for the company, scoped to its pavilion")
		}
		if n := w.count(t, `SELECT count(*) FROM csv_import`); n != 0 {
			t.Errorf("%d kept files after the commit", n)
		}
		// The same file again: every row unchanged, and its commit writes nothing.
		before := w.tableDigest(t)
		p, err = w.svc.PreviewImport(ctx, org, good)
		if err != nil || !p.Valid() {
			t.Fatalf("second preview: %v %+v", err, p.Rows)
		}
		for _, r := range p.Rows {
			if r.Action != expodesk.ImportUnchanged || len(r.Changed) > 0 {
				t.Errorf("line %d: %s %v, want unchanged", r.Line, r.Action, r.Changed)
			}
		}
		res, err = w.svc.CommitImport(ctx, org, p.ImportID)
		if err != nil {
			t.Fatal(err)
		}
		if c := res.Counts; c.CompaniesCreated+c.CompaniesUpdated+c.ParticipationsCreated+c.ParticipationsUpdated != 0 || c.Unchanged != 2 {
			t.Errorf("re-import counts %+v", c)
		}
		if after := w.tableDigest(t); after != before {
			t.Errorf("re-importing changed the tables:\n%s\n%s", before, after)
		}
		// A committed file is gone: committing it again changes nothing.
		if _, err := w.svc.CommitImport(ctx, org, p.ImportID); !errors.Is(err, expodesk.ErrImportGone) {
			t.Errorf("second commit: %v, want ErrImportGone", err)
		}
	})

	t.Run("UpdateWritesTheFileColumnsOnly", func(t *testing.T) {
		if _, err := w.pool.Exec(ctx, `UPDATE exhibitor SET description = '{"en":"Kept as it was."}' WHERE id = $1`, w.inside.ID); err != nil {
			t.Fatal(err)
		}
		up := service.ImportUpload{Filename: "inside.csv", Data: []byte("slug,legal_name,name_en,country,city,expo,pavilion,booth,status\n" +
			"inside,Inside Ltd,Inside,CN,Suzhou,iotswc-svc,wuxi-pavilion,2-B01,approved\n")}
		p, err := w.svc.PreviewImport(ctx, org, up)
		if err != nil || !p.Valid() {
			t.Fatalf("%v %+v", err, p.Rows)
		}
		if r := p.Rows[0]; r.Action != expodesk.ImportUpdate || strings.Join(r.Changed, ",") != "city,booth" {
			t.Errorf("action %s, changed %v; want update of city,booth", r.Action, r.Changed)
		}
		if _, err := w.svc.CommitImport(ctx, org, p.ImportID); err != nil {
			t.Fatal(err)
		}
		x, _ := w.store.ExhibitorGet(ctx, "inside")
		if x.City != "Suzhou" || x.Description.EN != "Kept as it was." {
			t.Errorf("after the update: city %q, description %q", x.City, x.Description.EN)
		}
		var before, after string
		if err := w.pool.QueryRow(ctx, `SELECT before::text, after::text FROM audit_entry WHERE action = 'exhibitor.import'
			AND exhibitor_id = $1`, w.inside.ID).Scan(&before, &after); err != nil ||
			!strings.Contains(before, `"city": ""`) || !strings.Contains(after, `"city": "Suzhou"`) || !strings.Contains(after, `"booth": "2-B01"`) {
			t.Errorf("audit before %s after %s, %v", before, after, err)
		}
	})

	t.Run("OneBadRowKeepsEveryRowOut", func(t *testing.T) {
		before := w.tableDigest(t)
		p, err := w.svc.PreviewImport(ctx, org, sheet(
			`fine-co,Fine Co,Fine,,sensors,GB,,,,iotswc-svc,,,`,
			`lost-co,Lost Co,Lost,,sensors,GB,,,,iotswc-svc,no-such-pavilion,,`,
			`wrong-expo,Wrong Co,Wrong,,sensors,GB,,,,no-such-expo,,,`,
			`dup-site,Dup Site,Dup Site,,,ES,,https://www.qingmei.example/en,,iotswc-svc,,,`,
			`dup-name,Other Legal,Qingmei Sensing,,,CN,,,,iotswc-svc,,,`,
			`renamed,Renamed,Renamed,,,CN,,,91320214MA1QM7K8PB,iotswc-svc,,,`,
			`booth-thief,Booth Thief,Thief,,,GB,,,,iotswc-svc,,2-A10,approved`,
			`outside,Outside SL,,Fuera,,ES,,,,iotswc-svc,,,invited`,
		))
		if err != nil {
			t.Fatal(err)
		}
		if p.Valid() || p.ImportID != 0 || len(p.Rows) != 8 {
			t.Fatalf("valid %v, id %d, %d rows", p.Valid(), p.ImportID, len(p.Rows))
		}
		for _, want := range []struct {
			line     int
			col, key string
		}{
			{2, "pavilion", ""},
			{3, "pavilion", "import.unknown_pavilion"},
			{4, "expo", "import.unknown_expo"},
			{5, "website", "import.website_taken"},
			{6, "name_en", "import.name_taken"},
			{7, "slug", "import.registered_as"},
			{8, "booth", "import.booth_taken"},
			{9, "status", "import.status_change"},
		} {
			if got := rowProblem(p, want.line, want.col); got != want.key {
				t.Errorf("line %d, %s: %q, want %q", want.line, want.col, got, want.key)
			}
		}
		if p.Counts.RowsWithProblems != 7 {
			t.Errorf("counts %+v", p.Counts)
		}
		if after := w.tableDigest(t); after != before || w.count(t, `SELECT count(*) FROM csv_import`) != 0 {
			t.Error("a preview with problems wrote something")
		}
	})

	t.Run("ChangedSinceThePreview", func(t *testing.T) {
		p, err := w.svc.PreviewImport(ctx, org, sheet(`late-co,Late Co,Late,,,GB,,,,iotswc-svc,,9-Z99,approved`))
		if err != nil || !p.Valid() {
			t.Fatalf("%v %+v", err, p.Rows)
		}
		// Meanwhile the booth goes to another company.
		if _, err := w.pool.Exec(ctx, `UPDATE participation SET booth = '9-Z99' WHERE exhibitor_id = $1`, w.outside.ID); err != nil {
			t.Fatal(err)
		}
		before := w.tableDigest(t)
		res, err := w.svc.CommitImport(ctx, org, p.ImportID)
		if !errors.Is(err, expodesk.ErrImportChanged) || rowProblem(res, 2, "booth") != "import.booth_taken" {
			t.Fatalf("commit: %v, rows %+v", err, res.Rows)
		}
		if after := w.tableDigest(t); after != before {
			t.Error("a refused commit wrote something")
		}
	})

	t.Run("BoothsSwapInOneFile", func(t *testing.T) {
		if _, err := w.pool.Exec(ctx, `UPDATE participation SET booth = 'S-1' WHERE exhibitor_id = $1;`, w.outside.ID); err != nil {
			t.Fatal(err)
		}
		up := service.ImportUpload{Filename: "swap.csv", Data: []byte("slug,legal_name,name_en,name_es,country,expo,pavilion,booth\n" +
			"inside,Inside Ltd,Inside,,CN,iotswc-svc,wuxi-pavilion,S-1\n" +
			"outside,Outside SL,,Fuera,ES,iotswc-svc,,2-B01\n")}
		p, err := w.svc.PreviewImport(ctx, org, up)
		if err != nil || !p.Valid() {
			t.Fatalf("%v %+v", err, p.Rows)
		}
		if _, err := w.svc.CommitImport(ctx, org, p.ImportID); err != nil {
			t.Fatal(err)
		}
		if w.participationOf(t, w.inside.ID).Booth != "S-1" || w.participationOf(t, w.outside.ID).Booth != "2-B01" {
			t.Error("booths not swapped")
		}
	})

	t.Run("CoordinatorOwnPavilionOnly", func(t *testing.T) {
		coord := w.as(w.coordinator)
		p, err := w.svc.PreviewImport(ctx, coord, sheet(
			`coord-new,Coord New,Coord New,,,CN,,,,iotswc-svc,wuxi-pavilion,,invited`,
			`coord-none,Coord None,Coord None,,,CN,,,,iotswc-svc,,,invited`,
			`outside,Outside SL,,,,ES,Girona,,,iotswc-svc,wuxi-pavilion,,approved`,
		))
		if err != nil {
			t.Fatal(err)
		}
		if got := rowProblem(p, 2, "pavilion") + rowProblem(p, 2, "slug"); got != "" {
			t.Errorf("own pavilion: %q", got)
		}
		if got := rowProblem(p, 3, "pavilion"); got != "import.pavilion_not_yours" {
			t.Errorf("no pavilion: %q", got)
		}
		if got := rowProblem(p, 4, "pavilion"); got != "import.participation_not_yours" {
			t.Errorf("another pavilion's company moved in: %q", got)
		}
		if got := rowProblem(p, 4, "slug"); got != "import.company_not_yours" {
			t.Errorf("another pavilion's company changed: %q", got)
		}
		p, err = w.svc.PreviewImport(ctx, coord, sheet(`coord-new,Coord New,Coord New,,,CN,,,,iotswc-svc,wuxi-pavilion,,invited`))
		if err != nil || !p.Valid() {
			t.Fatalf("%v %+v", err, p.Rows)
		}
		if _, err := w.svc.CommitImport(ctx, coord, p.ImportID); err != nil {
			t.Fatal(err)
		}
		if n := w.count(t, `SELECT count(*) FROM audit_entry WHERE action = 'import.commit' AND pavilion_id = $1`, w.pavilion.ID); n != 1 {
			t.Error("the coordinator's import is not in their part of the audit log")
		}
	})

	t.Run("Forbidden", func(t *testing.T) {
		p, err := w.svc.PreviewImport(ctx, org, sheet(`kept-co,Kept Co,Kept,,,GB,,,,iotswc-svc,,,`))
		if err != nil || p.ImportID == 0 {
			t.Fatal(err)
		}
		before := w.tableDigest(t)
		refusals := w.count(t, `SELECT count(*) FROM audit_entry WHERE action = 'auth.forbidden'`)
		if _, err := w.svc.PreviewImport(ctx, w.as(w.exhibitorIn), good); !errors.Is(err, expodesk.ErrForbidden) {
			t.Errorf("exhibitor preview: %v", err)
		}
		if _, err := w.svc.CommitImport(ctx, w.as(w.exhibitorIn), p.ImportID); !errors.Is(err, expodesk.ErrForbidden) {
			t.Errorf("exhibitor commit: %v", err)
		}
		if _, err := w.svc.PreviewImport(ctx, service.Caller{}, good); expodesk.ErrorCode(err) != expodesk.EUNAUTHORIZED {
			t.Errorf("visitor preview: %v", err)
		}
		// Another organizer's upload is not theirs to commit.
		if _, err := w.svc.CommitImport(ctx, w.as(w.coordinator), p.ImportID); !errors.Is(err, expodesk.ErrImportGone) {
			t.Errorf("another organizer's commit: %v", err)
		}
		if _, err := w.svc.CommitImport(ctx, org, 987654); !errors.Is(err, expodesk.ErrImportGone) {
			t.Errorf("unknown import: %v", err)
		}
		if n := w.count(t, `SELECT count(*) FROM audit_entry WHERE action = 'auth.forbidden'`); n != refusals+3 {
			t.Errorf("refusals audited %d → %d, want 3 more", refusals, n)
		}
		if after := w.tableDigest(t); strings.Fields(after)[0] != strings.Fields(before)[0] || strings.Fields(after)[2] != strings.Fields(before)[2] {
			t.Error("a refused import wrote companies or participations")
		}
		// The uploader still may.
		if _, err := w.svc.CommitImport(ctx, org, p.ImportID); err != nil {
			t.Errorf("the uploader's commit: %v", err)
		}
	})

	t.Run("BadFile", func(t *testing.T) {
		for name, data := range map[string][]byte{
			"ShiftJIS": []byte("slug,legal_name,name_en,country,expo\nsony-ish,\x83\x5c\x83\x6a\x81\x5b,Sony-ish,JP,iotswc-svc\n"),
			"Empty":    {},
			"Header":   []byte("slug,legal_name,colour\n"),
		} {
			_, err := w.svc.PreviewImport(ctx, org, service.ImportUpload{Filename: "bad.csv", Data: data})
			if e := expodesk.ErrorOf(err); e == nil || e.Field != service.ImportField || !strings.HasPrefix(e.Message, "csv.") {
				t.Errorf("%s: %v, want a csv.* problem at the file field", name, err)
			}
		}
	})
}
