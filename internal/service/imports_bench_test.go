package service_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"expodesk/internal/exhibitorcsv"
	"expodesk/internal/expodesk"
	"expodesk/internal/i18n"
	"expodesk/internal/mail"
	"expodesk/internal/password"
	"expodesk/internal/service"
	"expodesk/internal/testdb"
)

// benchSheet is a spreadsheet of n generated companies at one expo, in the
// exporter's format (every column), a third in the pavilion with a booth
// and approved, names in Chinese and English, generated from seed so that
// each iteration imports new companies.
func benchSheet(b *testing.B, n int, seed string) []byte {
	b.Helper()
	rows := make([]exhibitorcsv.Row, n)
	sectors := []string{"sensors", "cloud", "smart-city", "energy", "ai"}
	for i := range rows {
		r := exhibitorcsv.Row{Exhibitor: expodesk.Exhibitor{
			Slug:      fmt.Sprintf("bench-%s-%05d", seed, i),
			LegalName: fmt.Sprintf("无锡基准%s科技有限公司 %d", seed, i),
			Name:      expodesk.Text{EN: fmt.Sprintf("Bench %s %d", seed, i), ZH: fmt.Sprintf("基准%s%d", seed, i)},
			Description: expodesk.Text{EN: "Sensors, gateways and a cloud platform for smart factories.",
				ZH: "面向智能工厂的传感器、网关与云平台。"},
			Sectors: []string{sectors[i%len(sectors)], sectors[(i+2)%len(sectors)]},
			Country: "CN", City: "Wuxi", Website: fmt.Sprintf("https://bench-%s-%d.example", seed, i),
			Email: fmt.Sprintf("expo@bench-%s-%d.example", seed, i), Phone: "+86 510 8000 0000",
		}, Expo: "iotswc-svc", Status: expodesk.StatusInvited}
		if i%3 == 0 {
			r.Pavilion, r.Booth, r.Status = "wuxi-pavilion", fmt.Sprintf("%s-%05d", seed, i), expodesk.StatusApproved
		}
		rows[i] = r
	}
	var buf bytes.Buffer
	if err := exhibitorcsv.Write(&buf, rows); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkImport10000 previews and commits a spreadsheet of 10,000 new
// companies against the real test database (the target: each within 3 s),
// and previews and commits the same file again (every row unchanged).
// `make bench` runs it; docs/benchmarks.md has the figures.
func BenchmarkImport10000(b *testing.B) {
	ctx := context.Background()
	store, pool := testdb.Store(b, time.Now)
	catalog, err := i18n.Load()
	if err != nil {
		b.Fatal(err)
	}
	svc := service.New(service.Config{BaseURL: "https://expo.example.org"}, service.Deps{Store: store, Mail: mail.NewComposer(catalog),
		Passwords: password.NewHasher(password.Config{})})
	expo, err := store.ExpoCreate(ctx, expodesk.Expo{Slug: "iotswc-svc", Name: expodesk.Text{EN: "IOTSWC"}, City: expodesk.Text{EN: "Barcelona"},
		Country: "ES", TimeZone: "Europe/Madrid", FirstDay: time.Date(2027, 5, 11, 0, 0, 0, 0, time.UTC), LastDay: time.Date(2027, 5, 13, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := store.PavilionCreate(ctx, expodesk.Pavilion{ExpoID: expo.ID, Slug: "wuxi-pavilion", Name: expodesk.Text{EN: "Wuxi Pavilion"}}); err != nil {
		b.Fatal(err)
	}
	u, err := store.UserCreate(ctx, expodesk.User{Email: "bench@example.org", Role: expodesk.RoleOrganizer,
		PersonName: expodesk.PersonName{FamilyName: "Bench"}, PasswordHash: "x"})
	if err != nil {
		b.Fatal(err)
	}
	c := service.Caller{Principal: expodesk.PrincipalOf(u, 0), User: u}
	const n = 10000
	preview := func(data []byte) service.ImportPreview {
		p, err := svc.PreviewImport(ctx, c, service.ImportUpload{Filename: "bench.csv", Data: data})
		if err != nil || !p.Valid() || len(p.Rows) != n {
			b.Fatalf("preview: %v, valid %v, %d rows", err, p.Valid(), len(p.Rows))
		}
		return p
	}
	commit := func(id int64, created int) {
		res, err := svc.CommitImport(ctx, c, id)
		if err != nil || res.Counts.CompaniesCreated != created {
			b.Fatalf("commit: %v, %+v", err, res.Counts)
		}
	}
	var iter int
	next := func() []byte {
		iter++
		return benchSheet(b, n, fmt.Sprintf("r%d", iter))
	}

	b.Run("Preview", func(b *testing.B) {
		data := next()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			preview(data)
		}
	})
	b.Run("Commit", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			p := preview(next())
			b.StartTimer()
			commit(p.ImportID, n)
		}
	})
	b.Run("PreviewAndCommitAgain", func(b *testing.B) {
		b.StopTimer()
		data := next()
		commit(preview(data).ImportID, n)
		if _, err := pool.Exec(ctx, "ANALYZE"); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for i := 0; i < b.N; i++ {
			commit(preview(data).ImportID, 0)
		}
	})
}
