package postgres_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/golang-migrate/migrate/v4"
	"github.com/golang-migrate/migrate/v4/source/iofs"
	"github.com/jackc/pgx/v5"

	"expodesk/internal/expodesk"
	"expodesk/internal/postgres"
	"expodesk/internal/testdb"
	"expodesk/migrations"
)

// TestDirectorySortPinyinReadings: a character with several readings sorts
// by the one the company's own romanization spells. ICU (and go-pinyin's
// first reading) read 泊 as pō and filed 泊川 between 暖巢 and 青鹭.
func TestDirectorySortPinyinReadings(t *testing.T) {
	t.Parallel()
	v := newVisitorStore(t)
	e := v.expo("iotswc-2027")
	for _, x := range []expodesk.Exhibitor{
		{Slug: "qinglu-vision", Name: expodesk.Text{EN: "Qinglu Vision AI", ZH: "青鹭视觉"}},
		{Slug: "nuanchao-smart-climate", Name: expodesk.Text{EN: "Nuanchao Smart Climate", ZH: "暖巢智能"}},
		{Slug: "bochuan-smart-logistics", Name: expodesk.Text{EN: "Bochuan Smart Logistics", ZH: "泊川物流"}},
		// Without a romanization to go by, 泊 keeps its first reading (pō):
		// after 暖 (nuǎn), before 青 (qīng).
		{Slug: "x-lake", LegalName: "Lake Ltd", Name: expodesk.Text{ZH: "泊湖"}},
		// The legal name, when it is all there is in Chinese for zh readers.
		{Slug: "x-legal", LegalName: "阿里物联", Name: expodesk.Text{EN: "Ali IoT"}},
	} {
		x = v.exhibitor(x)
		v.join(e.ID, x.ID, nil, expodesk.StatusApproved)
	}
	got, _ := (directoryWorld{visitorStore: v, expo: e}).slugs(t, expodesk.DirectoryQuery{Lang: expodesk.ZH})
	// 泊川 bó, 暖巢 nuǎn, 泊湖 pō, 青鹭 qīng; then the Latin-named Ali IoT.
	want := []string{"bochuan-smart-logistics", "nuanchao-smart-climate", "x-lake", "qinglu-vision", "x-legal"}
	if !slices.Equal(got, want) {
		t.Errorf("zh order %v, want %v", got, want)
	}
}

// TestExhibitorSortKeysFill: rows written without a key (COPY, or before
// migration 000009) get one, and the directory then sorts them.
func TestExhibitorSortKeysFill(t *testing.T) {
	t.Parallel()
	v := newVisitorStore(t)
	e := v.expo("iotswc-2027")
	for _, x := range []expodesk.Exhibitor{
		{Slug: "qinglu-vision", Name: expodesk.Text{EN: "Qinglu Vision AI", ZH: "青鹭视觉"}},
		{Slug: "bochuan-smart-logistics", Name: expodesk.Text{EN: "Bochuan Smart Logistics", ZH: "泊川物流"}},
	} {
		x = v.exhibitor(x)
		v.join(e.ID, x.ID, nil, expodesk.StatusApproved)
	}
	v.exec(`UPDATE exhibitor SET sort_zh = ''`)
	v.must(v.s.ExhibitorSortKeysFill(v.ctx))
	var key string
	v.must(v.pool.QueryRow(v.ctx, `SELECT sort_zh FROM exhibitor WHERE slug = 'bochuan-smart-logistics'`).Scan(&key))
	if key != "0bo2 chuan1 wu4 liu2" {
		t.Errorf("sort key %q", key)
	}
	got, _ := (directoryWorld{visitorStore: v, expo: e}).slugs(t, expodesk.DirectoryQuery{Lang: expodesk.ZH})
	if want := []string{"bochuan-smart-logistics", "qinglu-vision"}; !slices.Equal(got, want) {
		t.Errorf("zh order %v, want %v", got, want)
	}
}

// TestMigration9Data: migration 000009 turns a stage's location into
// English text and fills the Chinese sort keys; down turns it back.
func TestMigration9Data(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := testdb.URL(t)
	src, err := iofs.New(migrations.FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	m, err := migrate.NewWithSourceInstance("iofs", src, "pgx5://"+strings.TrimPrefix(url, "postgres://"))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if err := m.Migrate(8); err != nil {
		t.Fatalf("down to 8: %v", err)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	exec := func(sql string) {
		t.Helper()
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	exec(`INSERT INTO expo (slug, name, city, country, time_zone, first_day, last_day)
		VALUES ('x', '{"en":"X"}', '{"en":"Barcelona"}', 'ES', 'Europe/Madrid', '2027-05-11', '2027-05-13')`)
	exec(`INSERT INTO stage (expo_id, slug, name, location) SELECT id, 'main', '{"en":"Main"}', 'Hall 3' FROM expo`)
	exec(`INSERT INTO stage (expo_id, slug, name) SELECT id, 'side', '{"en":"Side"}' FROM expo`)
	exec(`INSERT INTO exhibitor (slug, legal_name, name, country)
		VALUES ('bochuan-smart-logistics', '无锡泊川智慧物流有限公司', '{"en":"Bochuan Smart Logistics","zh":"泊川物流"}', 'CN')`)

	if err := postgres.MigrateUp(url); err != nil {
		t.Fatal(err)
	}
	var main, side, key string
	if err := conn.QueryRow(ctx, `SELECT (SELECT location::text FROM stage WHERE slug = 'main'),
		(SELECT location::text FROM stage WHERE slug = 'side'), (SELECT sort_zh FROM exhibitor)`).Scan(&main, &side, &key); err != nil {
		t.Fatal(err)
	}
	if main != `{"en": "Hall 3"}` || side != `{}` || key != "0bo2 chuan1 wu4 liu2" {
		t.Errorf("after up: locations %s, %s; sort key %q", main, side, key)
	}

	exec(`UPDATE stage SET location = '{"zh": "3号馆", "es": "Pabellón 3"}' WHERE slug = 'main'`)
	if err := m.Migrate(8); err != nil {
		t.Fatalf("down to 8: %v", err)
	}
	if err := conn.QueryRow(ctx, `SELECT (SELECT location FROM stage WHERE slug = 'main'),
		(SELECT location FROM stage WHERE slug = 'side')`).Scan(&main, &side); err != nil {
		t.Fatal(err)
	}
	if main != "Pabellón 3" || side != "" {
		t.Errorf("after down: locations %q, %q", main, side)
	}
}
