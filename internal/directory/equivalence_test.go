package directory_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"expodesk/internal/directory"
	"expodesk/internal/expodesk"
	"expodesk/internal/postgres"
	"expodesk/internal/testdb"
)

// world is a generated expo (and a second one, whose companies must never
// show) with exhibitors named and described in three languages.
type world struct {
	store      *postgres.Store
	pool       *pgxpool.Pool
	expo       expodesk.Expo
	other      expodesk.Expo
	pavilions  []int64
	exhibitors int
}

var (
	enWords = []string{"Smart", "Sensor", "Sensing", "Cloud", "LoRaWAN", "Gateway", "Energy", "Logistics", "Lake", "Taihu",
		"Wuxi", "Data", "Loop", "Camera", "Edge", "AI", "5G", "Signal", "Control", "Link", "Solar", "Vision"}
	esWords = []string{"Señal", "Energía", "Cámara", "Niño", "Montaña", "Logística", "España", "Sensores", "Nube",
		"Ciudad", "Camara", "Señales", "Compañía", "Óptica", "ÁGUILA", "Pequeña", "Año"}
	zhWords = []string{"无锡", "传感", "传感器", "物联网", "智能", "网关", "太湖", "云", "数据", "能源", "摄像", "信号",
		"控制", "智慧城市", "科技", "网络", "锡"}
	otherWords = []string{"Ærø", "Straße", "Œuvre", "İzmir", "Ｆｕｌｌ", "ＡＢＣ", "Ελλάδα", "Москва", "½", "©", "ǅ", "100%", "a_b", "x\\y"}
	countries  = []string{"CN", "ES", "DE", "FR", "US"}
	sectors    = []string{"sensors", "cloud", "ai", "energy", "logistics"}
)

func pick(rng *rand.Rand, words []string, n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = words[rng.IntN(len(words))]
	}
	return strings.Join(parts, " ")
}

// newWorld fills a database with n generated exhibitors: about 80 % at the
// expo (each status, three pavilions or none), names repeated on purpose so
// that ties fall to the id.
func newWorld(t testing.TB, n int) world {
	t.Helper()
	ctx := context.Background()
	store, pool := testdb.Store(t, time.Now)
	w := world{store: store, pool: pool, exhibitors: n}
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := pool.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	for _, slug := range []string{"iotswc-2027", "wiot-2027"} {
		exec(`INSERT INTO expo (slug, name, city, country, time_zone, first_day, last_day)
			VALUES ($1, '{"en":"Expo"}', '{"en":"Wuxi"}', 'CN', 'Asia/Shanghai', '2027-09-01', '2027-09-03')`, slug)
	}
	var err error
	if w.expo, err = store.ExpoGet(ctx, "iotswc-2027"); err != nil {
		t.Fatal(err)
	}
	if w.other, err = store.ExpoGet(ctx, "wiot-2027"); err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{`{"en":"Wuxi Pavilion","zh":"无锡馆"}`, `{"en":"Spain","es":"Pabellón de España"}`, `{"zh":"欧洲馆"}`} {
		var id int64
		if err := pool.QueryRow(ctx, `INSERT INTO pavilion (expo_id, slug, name) VALUES ($1, $2, $3) RETURNING id`,
			w.expo.ID, fmt.Sprintf("pavilion-%d", i), name).Scan(&id); err != nil {
			t.Fatal(err)
		}
		w.pavilions = append(w.pavilions, id)
	}
	rng := rand.New(rand.NewPCG(7, 11))
	statuses := []string{"approved", "approved", "approved", "approved", "approved", "applied", "invited", "rejected", "withdrawn"}
	for i := range n {
		name := map[string]string{}
		switch rng.IntN(4) {
		case 0:
			name["en"] = pick(rng, enWords, 1+rng.IntN(3))
		case 1:
			name["zh"] = pick(rng, zhWords, 1+rng.IntN(2))
		case 2:
			name["es"] = pick(rng, esWords, 1+rng.IntN(3))
		default:
			name["en"] = pick(rng, enWords, 2)
			name["zh"] = strings.ReplaceAll(pick(rng, zhWords, 2), " ", "")
			name["es"] = pick(rng, esWords, 2)
		}
		if rng.IntN(10) == 0 {
			name["en"] = pick(rng, otherWords, 2) + " " + pick(rng, enWords, 1)
		}
		desc := map[string]string{}
		if rng.IntN(3) > 0 {
			desc["en"] = pick(rng, enWords, 5+rng.IntN(10))
		}
		if rng.IntN(2) == 0 {
			desc["zh"] = strings.ReplaceAll(pick(rng, zhWords, 4+rng.IntN(6)), " ", "")
		}
		if rng.IntN(2) == 0 {
			desc["es"] = pick(rng, esWords, 5+rng.IntN(10)) + " " + pick(rng, otherWords, 1)
		}
		legal := pick(rng, enWords, 2) + " Co., Ltd."
		if rng.IntN(3) == 0 {
			legal = strings.ReplaceAll(pick(rng, zhWords, 3), " ", "") + "有限公司"
		}
		var id int64
		if err := pool.QueryRow(ctx, `INSERT INTO exhibitor (slug, legal_name, name, description, country)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, fmt.Sprintf("company-%d", i), legal, name, desc,
			countries[rng.IntN(len(countries))]).Scan(&id); err != nil {
			t.Fatal(err)
		}
		for _, s := range sectors {
			if rng.IntN(4) == 0 {
				exec(`INSERT INTO exhibitor_sector (exhibitor_id, sector_code) VALUES ($1, $2)`, id, s)
			}
		}
		expo := w.expo.ID
		if rng.IntN(6) == 0 {
			expo = w.other.ID
		}
		var pavilion *int64
		if k := rng.IntN(len(w.pavilions) + 1); k < len(w.pavilions) && expo == w.expo.ID {
			pavilion = &w.pavilions[k]
		}
		exec(`INSERT INTO participation (expo_id, exhibitor_id, pavilion_id, booth, status) VALUES ($1, $2, $3, $4, $5)`,
			expo, id, pavilion, fmt.Sprintf("B%d", i), statuses[rng.IntN(len(statuses))])
	}
	if err := store.ExhibitorSortKeysFill(ctx); err != nil {
		t.Fatal(err)
	}
	return w
}

// loadedModel returns a model listening (as if notified) with w's expo loaded.
func loadedModel(t testing.TB, w world) *directory.Model {
	t.Helper()
	m := directory.New(w.store.DirectoryRows, w.store.DirectoryOrders, slog.New(slog.NewTextHandler(io.Discard, nil)))
	t.Cleanup(m.Close)
	m.Listening(true)
	waitLoaded(t, m, w.expo)
	return m
}

func waitLoaded(t testing.TB, m *directory.Model, expo expodesk.Expo) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, ok := m.Directory(context.Background(), expo, expodesk.DirectoryQuery{ExpoID: expo.ID}); ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the model did not load")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// searchTerms are the texts the equivalence test searches: one and two
// characters, accents either way, ñ, Chinese substrings, mixed scripts,
// LIKE's metacharacters, several words, nothing found.
var searchTerms = []string{"", "s", "l", "e", "ñ", "n", "网", "锡", "é", "5", "%", "_", "\\", "½",
	"lo", "se", "无锡", "网关", "传感", "ña", "an", "ca", "cá", "CÁ", "ai", "5g", "ñi", "能源",
	"sensor", "sensing", "energia", "ENERGÍA", "energía", "señal", "senal", "SEÑAL", "cámara", "camara", "传感器",
	"物联网", "智慧城市", "nino", "niño", "montaña", "montana", "espana", "compania", "aguila", "óptica",
	"aerø", "aero", "strasse", "straße", "oeuvre", "izmir", "full", "ｆｕｌｌ", "abc", "ελλαδα", "москва", "1/2", "(c)", "dz",
	"100%", "a_b", "x\\y", "smart 无锡", "wuxi sensor", "sensor 传感", "señal energía", "lake taihu 太湖",
	"s e n s o r extra", "co ltd", "有限公司", "xyzzy", "无锡 xyzzy", "  Smart   Loop  "}

// TestModelMatchesStore compares the in-memory directory with the store's
// Directory query on generated data: for every search text above, in three
// languages, with and without pavilion, sector and country filters, on
// several pages, both return the same cards in the same order and the
// same total; and the same country lists.
func TestModelMatchesStore(t *testing.T) {
	w := newWorld(t, 600)
	m := loadedModel(t, w)
	ctx := context.Background()
	type filter struct {
		pavilion        int64
		sector, country string
	}
	filters := []filter{{}, {pavilion: w.pavilions[0]}, {sector: "sensors"}, {country: "ES"},
		{pavilion: w.pavilions[1], country: "CN"}, {pavilion: w.pavilions[2], sector: "ai"}}
	compared, nonEmpty := 0, 0
	for ti, text := range searchTerms {
		for _, lang := range expodesk.Langs {
			for fi, f := range filters {
				// Every text with the whole expo; each other filter with some texts.
				if fi > 0 && (ti+fi)%4 != 0 {
					continue
				}
				pages := []int{1, 9999}
				if fi == 0 {
					pages = append(pages, 3)
				}
				for _, page := range pages {
					q := expodesk.DirectoryQuery{ExpoID: w.expo.ID, PavilionID: f.pavilion, Text: text,
						Sector: f.sector, Country: f.country, Lang: lang, Page: page, PerPage: 24}
					want, err := w.store.Directory(ctx, q)
					if err != nil {
						t.Fatal(err)
					}
					got, ok := m.Directory(ctx, w.expo, q)
					if !ok {
						t.Fatal("the model did not answer")
					}
					compared++
					if want.Total > 0 {
						nonEmpty++
					}
					if want.More {
						t.Fatalf("%+v: the store's count was bounded; the world is too large for this test", q)
					}
					if got.Total != want.Total || got.Page != want.Page || got.PerPage != want.PerPage || got.More {
						t.Errorf("%q %s %+v page %d: model total %d page %d, store total %d page %d",
							text, lang, f, page, got.Total, got.Page, want.Total, want.Page)
						continue
					}
					if !reflect.DeepEqual(ids(got), ids(want)) {
						t.Errorf("%q %s %+v page %d:\nmodel %v\nstore %v", text, lang, f, page, ids(got), ids(want))
						continue
					}
					if !reflect.DeepEqual(got.Entries, want.Entries) {
						t.Errorf("%q %s %+v page %d: same ids, other cards:\nmodel %+v\nstore %+v", text, lang, f, page, got.Entries, want.Entries)
					}
				}
			}
		}
	}
	if nonEmpty < compared/2 {
		t.Errorf("only %d of %d queries found anything: the data does not exercise the search", nonEmpty, compared)
	}
	t.Logf("compared %d queries (%d non-empty)", compared, nonEmpty)
	for _, pv := range append([]int64{0}, w.pavilions...) {
		want, err := w.store.DirectoryCountries(ctx, w.expo.ID, pv)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := m.Countries(ctx, w.expo, pv)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("countries of pavilion %d: model %v, store %v", pv, got, want)
		}
	}
}

// TestModelNameMatchesFirst checks the order both give: a term found in a
// name lists that company before one where it is only in a description,
// each group in name order.
func TestModelNameMatchesFirst(t *testing.T) {
	w := newWorld(t, 0)
	ctx := context.Background()
	add := func(slug, name, desc string) {
		t.Helper()
		var id int64
		if err := w.pool.QueryRow(ctx, `INSERT INTO exhibitor (slug, legal_name, name, description, country)
			VALUES ($1, $2, jsonb_build_object('en', $3::text), jsonb_build_object('en', $4::text), 'CN') RETURNING id`,
			slug, name+" Ltd", name, desc).Scan(&id); err != nil {
			t.Fatal(err)
		}
		if _, err := w.pool.Exec(ctx, `INSERT INTO participation (expo_id, exhibitor_id, status) VALUES ($1, $2, 'approved')`, w.expo.ID, id); err != nil {
			t.Fatal(err)
		}
	}
	add("alpha", "Alpha Cameras", "Lenses")
	add("beta", "Beta Optics", "We make cámaras")
	add("gamma", "Gamma Cámara", "Optics")
	add("delta", "Delta", "Cameras and more")
	add("aardvark", "Aardvark", "Cámara maker")
	if err := w.store.ExhibitorSortKeysFill(ctx); err != nil {
		t.Fatal(err)
	}
	m := loadedModel(t, w)
	q := expodesk.DirectoryQuery{ExpoID: w.expo.ID, Text: "camara", Lang: expodesk.EN}
	want := []string{"gamma", "aardvark", "beta"}
	q2 := expodesk.DirectoryQuery{ExpoID: w.expo.ID, Text: "camera", Lang: expodesk.EN}
	want2 := []string{"alpha", "delta"}
	for i, c := range []struct {
		q    expodesk.DirectoryQuery
		want []string
	}{{q, want}, {q2, want2}} {
		fromStore, err := w.store.Directory(ctx, c.q)
		if err != nil {
			t.Fatal(err)
		}
		fromModel, _ := m.Directory(ctx, w.expo, c.q)
		for name, p := range map[string]expodesk.DirectoryPage{"store": fromStore, "model": fromModel} {
			if got := slugs(p); !reflect.DeepEqual(got, c.want) {
				t.Errorf("case %d, %s: %v, want %v", i, name, got, c.want)
			}
		}
	}
}

func ids(p expodesk.DirectoryPage) []int64 {
	out := []int64{}
	for _, e := range p.Entries {
		out = append(out, e.ID)
	}
	return out
}

func slugs(p expodesk.DirectoryPage) []string {
	var out []string
	for _, e := range p.Entries {
		out = append(out, e.Slug)
	}
	return out
}
