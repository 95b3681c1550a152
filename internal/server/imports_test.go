package server

import (
	"context"
	"crypto/sha256"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"expodesk/internal/expodesk"
	"expodesk/internal/urls"
)

// importSheet is a one-row spreadsheet that imports a new company at the
// fixture's Barcelona expo, approved in the Wuxi Pavilion.
func importSheet(slug string) string {
	return "slug,legal_name,name_en,name_zh,sectors,country,city,expo,pavilion,booth,status\r\n" +
		slug + ",无锡" + slug + "有限公司," + strings.ToUpper(slug[:1]) + slug[1:] + ",新公司,sensors,CN,Wuxi,iotswc-test,wuxi-pavilion,,approved\r\n"
}

// keptUpload keeps a valid one-row spreadsheet as user's upload, as a
// preview would, and returns its id.
func keptUpload(e *testEnv, user int64) int64 {
	e.t.Helper()
	data := []byte(importSheet(fmt.Sprintf("kept-%d-%d", user, e.count(`SELECT count(*) FROM csv_import`)+e.count(`SELECT count(*) FROM exhibitor`))))
	sum := sha256.Sum256(data)
	now := e.server.now()
	im, err := e.store.CSVImportAdd(context.Background(), expodesk.CSVImport{UploadedBy: user, Filename: "kept.csv", Data: data,
		SHA256: sum[:], RowCount: 1, CreatedAt: now, ExpiresAt: now.Add(expodesk.ImportTTL)})
	if err != nil {
		e.t.Fatal(err)
	}
	return im.ID
}

// importID is the id the preview's commit form carries ("" when there is none).
func importID(t *testing.T, body string) string {
	t.Helper()
	v, _ := doc(t, body).Find(`form[action="` + urls.OrganizerImportCommit() + `"] input[name="import"]`).Attr("value")
	return v
}

// TestImportPages uploads spreadsheets through the real router: the page,
// a preview with every row's problems, the bad files of the issue, a
// commit that creates companies that show in the public directory, the
// same file again changing nothing, and a coordinator held to their pavilion.
func TestImportPages(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	org := e.signedIn(t, w.Organizer)
	const header = "slug,legal_name,name_en,country,expo,pavilion,booth,status\n"
	preview := func(c *client, lang, name string, data []byte) (*http.Response, string) {
		t.Helper()
		return c.upload(urls.OrganizerImportPreview()+"?lang="+lang, name, data)
	}

	t.Run("Form", func(t *testing.T) {
		resp, body := org.get(urls.OrganizerImport() + "?lang=en")
		if resp.StatusCode != s200 {
			t.Fatalf("%d", resp.StatusCode)
		}
		for _, want := range []string{urls.OrganizerExhibitorsTemplateCSV(), `enctype="multipart/form-data"`, "<code>iotswc-test</code>",
			"<code>wuxi-pavilion</code>", "<code>european-pavilion</code>", "At most 10 MiB and 20000 rows"} {
			if !strings.Contains(body, want) {
				t.Errorf("the import page lacks %q", want)
			}
		}
		if _, body := org.get(urls.Organizer() + "?lang=en"); !strings.Contains(body, `href="`+urls.OrganizerImport()+`"`) {
			t.Error("the organizer home does not link to the import page")
		}
	})

	t.Run("PreviewShowsEveryRowsProblems", func(t *testing.T) {
		before := e.snapshot()
		resp, body := preview(org, "en", "problems.csv", []byte(header+
			"good-one,Good One Ltd,Good One,GB,iotswc-test,,,\n"+
			"lost-one,Lost One Ltd,Lost One,GB,iotswc-test,no-such-pavilion,,\n"+
			"thief,Thief Ltd,Thief,GB,iotswc-test,,3-B10,approved\n"+
			"bad-site,,Bad Site,,iotswc-test,,,paid\n"))
		if resp.StatusCode != s422 {
			t.Fatalf("preview with problems: %d, want 422\n%s", resp.StatusCode, excerpt(body))
		}
		d := doc(t, body)
		if n := d.Find(`table[data-testid="import-preview"] tbody tr`).Length(); n != 4 {
			t.Errorf("%d preview rows, want 4", n)
		}
		for line, want := range map[int]string{
			3: "pavilion: The expo iotswc-test has no pavilion “no-such-pavilion”.",
			4: "booth: This booth is held by the approved company nube-catalana at this expo.",
			5: "legal_name: ",
		} {
			if got := d.Find(fmt.Sprintf("#line-%d", line)).Text(); !strings.Contains(got, want) {
				t.Errorf("line %d says %q, want %q", line, got, want)
			}
		}
		if got := d.Find("#line-5").Text(); !strings.Contains(got, "country:") || !strings.Contains(got, "status:") {
			t.Errorf("line 5 does not name every bad column: %q", got)
		}
		if got := d.Find("#line-2").Text(); !strings.Contains(got, "create") {
			t.Errorf("line 2: %q, want the create action", got)
		}
		if importID(t, body) != "" {
			t.Error("a preview with problems offers the commit")
		}
		if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
			t.Errorf("a preview with problems changed %v", changed)
		}
		// In Chinese, the same problems in Chinese.
		_, body = preview(org, "zh", "problems.csv", []byte(header+"lost-one,Lost One Ltd,Lost One,GB,iotswc-test,no-such-pavilion,,\n"))
		if !strings.Contains(body, "展会 iotswc-test 没有展馆“no-such-pavilion”") {
			t.Errorf("no Chinese problem\n%s", excerpt(body))
		}
	})

	t.Run("BadInput", func(t *testing.T) {
		rows := make([]string, 0, 200001)
		rows = append(rows, "slug,legal_name,name_en,country,expo")
		for i := range 200000 {
			rows = append(rows, fmt.Sprintf("c%d,C%d,C,GB,iotswc-test", i, i))
		}
		for _, tc := range []struct {
			name   string
			data   []byte
			status int
			want   string
		}{
			{"FiftyMegabytes", append([]byte(header), make([]byte, 50<<20)...), http.StatusRequestEntityTooLarge, "too large"},
			{"ElevenMegabytes", append([]byte(header), strings.Repeat("x,", 5<<20)...), s422, "larger than 10 MiB"},
			{"TwoHundredThousandRows", []byte(strings.Join(rows, "\n")), s422, "more than 20000 rows"},
			{"ShiftJIS", append([]byte(header), []byte("sony-ish,\x83\x5c\x83\x6a\x81\x5b,Sonyish,JP,iotswc-test,,,\n")...), s422, "CSV UTF-8"},
			{"FiveColumnsThenNine", []byte("slug,legal_name,name_en,country,expo\nfive-co,Five Co,Five,GB,iotswc-test\nnine-co,Nine Co,Nine,GB,iotswc-test,a,b,c,d\n"),
				s422, "This row has 9 cells but the header has 5"},
			{"NoFile", nil, s422, "This field is required."},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := e.snapshot()
				var resp *http.Response
				var body string
				if tc.data == nil {
					resp, body = org.postRaw(urls.OrganizerImportPreview()+"?lang=en", "multipart/form-data; boundary=x", "--x--\r\n")
				} else {
					resp, body = preview(org, "en", "bad.csv", tc.data)
				}
				if resp.StatusCode != tc.status || !strings.Contains(body, tc.want) {
					t.Errorf("%d, want %d with %q\n%s", resp.StatusCode, tc.status, tc.want, excerpt(body))
				}
				if strings.Contains(body, "goroutine") || strings.Contains(body, ".go:") {
					t.Error("the answer shows internals")
				}
				if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
					t.Errorf("changed %v", changed)
				}
			})
		}
	})

	t.Run("CommitThenTheSameFileChangesNothing", func(t *testing.T) {
		sheet := []byte("\uFEFFslug,legal_name,name_en,name_zh,sectors,country,expo,pavilion,booth,status\r\n" +
			"jade-river,无锡玉河物联网有限公司,Jade River IoT,玉河物联,sensors|cloud,CN,iotswc-test,wuxi-pavilion,2-C05,approved\r\n" +
			"taihu-sensing,无锡太湖传感科技有限公司,Taihu Sensing,太湖传感,sensors|smart-city,CN,wiot-test,,,invited\r\n")
		resp, body := preview(org, "en", "jade.csv", sheet)
		if resp.StatusCode != s200 {
			t.Fatalf("preview: %d\n%s", resp.StatusCode, excerpt(body))
		}
		id := importID(t, body)
		if id == "" || !strings.Contains(doc(t, body).Find("#line-3").Text(), "update") {
			t.Fatalf("preview without commit form or update row\n%s", excerpt(body))
		}
		audits := e.count(`SELECT count(*) FROM audit_entry`)
		resp, body = org.post(urls.OrganizerImportCommit()+"?lang=en", url.Values{"import": {id}})
		if resp.StatusCode != s303 || resp.Header.Get("Location") != urls.OrganizerImport() {
			t.Fatalf("commit: %d %q\n%s", resp.StatusCode, resp.Header.Get("Location"), excerpt(body))
		}
		_, body = org.get(urls.OrganizerImport() + "?lang=en")
		result := doc(t, body).Find(`[data-testid="import-result"]`).Text()
		for _, want := range []string{"jade.csv was imported", "1 company created", "0 companies updated", "2 participations created"} {
			if !strings.Contains(result, want) {
				t.Errorf("the result says %q, want %q", result, want)
			}
		}
		if e.count(`SELECT count(*) FROM audit_entry`) != audits+3 {
			t.Error("want an audit entry per company and one for the file")
		}
		if _, body := fetch(t, e.ts, urls.ExpoDirectory(w.Barcelona.Slug)+"?lang=zh"); !strings.Contains(body, "玉河物联") {
			t.Error("the imported approved company is not in the public directory")
		}
		// Committing the same preview again: gone, nothing written.
		if resp, _ := org.post(urls.OrganizerImportCommit(), url.Values{"import": {id}}); resp.StatusCode != s410 {
			t.Errorf("second commit of one preview: %d, want 410", resp.StatusCode)
		}
		// The same file again: every row unchanged, and the commit changes nothing.
		before, audits := e.snapshot(), e.count(`SELECT count(*) FROM audit_entry`)
		resp, body = preview(org, "en", "jade.csv", sheet)
		if resp.StatusCode != s200 || doc(t, body).Find(`tbody tr:contains("unchanged")`).Length() != 2 {
			t.Fatalf("second preview: %d\n%s", resp.StatusCode, excerpt(body))
		}
		if resp, _ := org.post(urls.OrganizerImportCommit()+"?lang=en", url.Values{"import": {importID(t, body)}}); resp.StatusCode != s303 {
			t.Fatalf("second commit: %d", resp.StatusCode)
		}
		if changed := changedTables(before, e.snapshot()); len(changed) > 0 || e.count(`SELECT count(*) FROM audit_entry`) != audits {
			t.Errorf("importing the same file again changed %v (audit entries %d → %d)", changed, audits, e.count(`SELECT count(*) FROM audit_entry`))
		}
		_, body = org.get(urls.OrganizerImport() + "?lang=en")
		if result := doc(t, body).Find(`[data-testid="import-result"]`).Text(); !strings.Contains(result, "0 companies created") ||
			!strings.Contains(result, "0 companies updated") || !strings.Contains(result, "2 rows unchanged") {
			t.Errorf("the second result says %q", result)
		}
	})

	t.Run("CoordinatorOwnPavilion", func(t *testing.T) {
		coord := e.signedIn(t, w.Coordinator)
		resp, body := preview(coord, "en", "coord.csv", []byte(header+"coord-co,Coord Co,Coord Co,CN,iotswc-test,,,\n"))
		if resp.StatusCode != s422 || !strings.Contains(doc(t, body).Find("#line-2").Text(), "You may import rows of your pavilion (wuxi-pavilion) only.") {
			t.Errorf("a coordinator's row outside their pavilion: %d\n%s", resp.StatusCode, excerpt(body))
		}
		resp, body = preview(coord, "en", "coord.csv", []byte(header+"coord-co,Coord Co,Coord Co,CN,iotswc-test,wuxi-pavilion,,\n"))
		if resp.StatusCode != s200 {
			t.Fatalf("%d\n%s", resp.StatusCode, excerpt(body))
		}
		// The organizer cannot commit the coordinator's upload.
		if resp, _ := org.post(urls.OrganizerImportCommit(), url.Values{"import": {importID(t, body)}}); resp.StatusCode != s410 {
			t.Errorf("another organizer's commit: %d, want 410", resp.StatusCode)
		}
		if resp, _ := coord.post(urls.OrganizerImportCommit(), url.Values{"import": {importID(t, body)}}); resp.StatusCode != s303 {
			t.Errorf("the coordinator's own commit: %d", resp.StatusCode)
		}
	})
}
