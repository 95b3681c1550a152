package demo_test

import (
	"context"
	"errors"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"expodesk/internal/demo"
	"expodesk/internal/expodesk"
	"expodesk/internal/password"
	"expodesk/internal/postgres"
	"expodesk/internal/testdb"
	"expodesk/internal/totp"
)

func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }

// now is a fixed clock a few months before the fairs.
var now = time.Date(2027, 2, 1, 9, 0, 0, 0, time.UTC)

// demoTables are the tables the demo fills; loading again must leave each
// one's row count as it was.
var demoTables = []string{"expo", "expo_sister", "pavilion", "exhibitor", "exhibitor_sector", "participation",
	"stage", "slot", "booking", "delegation", "delegation_member", "itinerary_item", "meeting", "app_user"}

func rowCounts(t *testing.T, pool *pgxpool.Pool) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range demoTables {
		out[table] = count(t, pool, "SELECT count(*) FROM "+table)
	}
	return out
}

func count(t *testing.T, pool *pgxpool.Pool, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

func TestLoad(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := testdb.Store(t, time.Now)
	start := time.Now()
	res, err := demo.Load(ctx, s, now)
	if err != nil {
		t.Fatal(err)
	}
	// How long it took is for the log, not a verdict: speed is measured
	// by benchmarks, and a loaded machine makes any bound flaky.
	t.Logf("demo load took %v", time.Since(start))
	if !res.Loaded {
		t.Error("Loaded = false on an empty database")
	}
	checkLogins(t, s, res.Logins)
	if n := count(t, pool, "SELECT count(*) FROM app_user"); n != len(res.Logins) {
		t.Errorf("%d user accounts, want the %d printed demo logins", n, len(res.Logins))
	}

	bcn, err := s.ExpoGet(ctx, demo.Marker)
	if err != nil {
		t.Fatal(err)
	}
	wx, err := s.ExpoGet(ctx, "wiot-2027")
	if err != nil {
		t.Fatal(err)
	}

	t.Run("Expos", func(t *testing.T) {
		for _, e := range []expodesk.Expo{bcn, wx} {
			if !e.FirstDay.After(now) {
				t.Errorf("%s starts %v, want a date after the demo clock", e.Slug, e.FirstDay)
			}
			open := func(opens, closes *time.Time) bool {
				return opens != nil && !now.Before(*opens) && (closes == nil || now.Before(*closes))
			}
			if !open(e.BookingOpensAt, e.BookingClosesAt) || !open(e.ApplicationsOpenAt, e.ApplicationsCloseAt) {
				t.Errorf("%s: booking or applications not open at %v; want both open", e.Slug, now)
			}
			for _, l := range expodesk.Langs {
				if e.Name.Get(l) == "" || e.City.Get(l) == "" || e.Venue.Get(l) == "" {
					t.Errorf("%s lacks its name, city or venue in %s", e.Slug, l)
				}
			}
		}
		if bcn.TimeZone != "Europe/Madrid" || wx.TimeZone != "Asia/Shanghai" {
			t.Errorf("time zones %s, %s", bcn.TimeZone, wx.TimeZone)
		}
		sisters, err := s.ExpoSisters(ctx, bcn.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(sisters) != 1 || sisters[0].ID != wx.ID {
			t.Errorf("sisters of %s: %v, want %s", bcn.Slug, sisters, wx.Slug)
		}
	})

	t.Run("Pavilions", func(t *testing.T) {
		counts := map[string]int{}
		for _, e := range []expodesk.Expo{bcn, wx} {
			pvs, err := s.PavilionListWithCounts(ctx, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range pvs {
				counts[p.Slug] = p.Exhibitors
				for _, l := range expodesk.Langs {
					if p.Name.Get(l) == "" || p.Host.Get(l) == "" || p.Description.Get(l) == "" {
						t.Errorf("%s lacks its name, host or description in %s", p.Slug, l)
					}
				}
			}
		}
		if n := counts["wuxi-pavilion"]; n != 40 {
			t.Errorf("Wuxi Pavilion has %d approved exhibitors, want 40", n)
		}
		if n := counts["european-pavilion"]; n < 8 || n > 12 {
			t.Errorf("European Pavilion has %d approved exhibitors, want about 10", n)
		}
		if n := count(t, pool, `SELECT count(*) FROM participation p JOIN exhibitor e ON e.id = p.exhibitor_id
			WHERE p.expo_id = $1 AND p.pavilion_id IS NULL AND p.status = 'approved' AND e.country <> 'CN'`, bcn.ID); n < 4 {
			t.Errorf("%d European exhibitors outside pavilions at IOTSWC, want a handful", n)
		}
	})

	t.Run("LanguageFallback", func(t *testing.T) {
		zhEn := count(t, pool, `SELECT count(*) FROM exhibitor WHERE name->>'zh' <> '' AND name->>'en' <> ''
			AND coalesce(name->>'es', '') = '' AND coalesce(description->>'es', '') = ''`)
		zhOnly := count(t, pool, `SELECT count(*) FROM exhibitor WHERE name->>'zh' <> ''
			AND coalesce(name->>'en', '') = '' AND coalesce(name->>'es', '') = ''`)
		all3 := count(t, pool, `SELECT count(*) FROM exhibitor WHERE name->>'zh' <> '' AND name->>'en' <> '' AND name->>'es' <> ''`)
		if zhEn < 10 || zhOnly < 2 || all3 < 25 {
			t.Errorf("names in zh+en only: %d (want ≥10), zh only: %d (want ≥2), all three: %d (want ≥25)", zhEn, zhOnly, all3)
		}
		// A Chinese-only company still gets a readable ASCII slug.
		for _, slug := range []string{"li-hu-yi-biao", "mei-yuan-zhi-suo"} {
			e, err := s.ExhibitorGet(ctx, slug)
			if err != nil {
				t.Fatalf("%s: %v", slug, err)
			}
			if e.DisplayName(expodesk.ES) != e.Name.ZH {
				t.Errorf("%s in Spanish reads %q, want the Chinese name", slug, e.DisplayName(expodesk.ES))
			}
		}
	})

	t.Run("PendingNotPublic", func(t *testing.T) {
		for _, status := range []expodesk.ParticipationStatus{expodesk.StatusApplied, expodesk.StatusInvited, expodesk.StatusRejected} {
			if n := count(t, pool, "SELECT count(*) FROM participation WHERE status = $1", status); n == 0 {
				t.Errorf("no %s participation in the demo", status)
			}
		}
		rows, err := pool.Query(ctx, `SELECT e.id, e.slug FROM exhibitor e
			WHERE NOT EXISTS (SELECT 1 FROM participation p WHERE p.exhibitor_id = e.id AND p.status = 'approved')`)
		if err != nil {
			t.Fatal(err)
		}
		hidden := map[string]int64{}
		for rows.Next() {
			var id int64
			var slug string
			if err := rows.Scan(&id, &slug); err != nil {
				t.Fatal(err)
			}
			hidden[slug] = id
		}
		if rows.Err() != nil {
			t.Fatal(rows.Err())
		}
		if len(hidden) < 3 {
			t.Fatalf("%d exhibitors without an approved participation, want at least 3", len(hidden))
		}
		for slug := range hidden {
			if _, err := s.ExhibitorPublicPage(ctx, slug); !errors.Is(err, expodesk.ErrNotFound) {
				t.Errorf("%s is public (%v)", slug, err)
			}
		}
		for _, e := range []expodesk.Expo{bcn, wx} {
			page, err := s.Directory(ctx, expodesk.DirectoryQuery{ExpoID: e.ID, PerPage: 100})
			if err != nil {
				t.Fatal(err)
			}
			if page.Total > len(page.Entries) {
				t.Fatalf("%s: directory has %d entries, more than one page", e.Slug, page.Total)
			}
			for _, entry := range page.Entries {
				if _, ok := hidden[entry.Slug]; ok {
					t.Errorf("%s's directory lists %s, which is not approved", e.Slug, entry.Slug)
				}
			}
		}
	})

	t.Run("Slots", func(t *testing.T) {
		stagesSeen := map[string]bool{}
		for _, e := range []expodesk.Expo{bcn, wx} {
			items, err := s.Agenda(ctx, e.ID, 0)
			if err != nil {
				t.Fatal(err)
			}
			loc := e.Location()
			days := map[string]bool{}
			for _, d := range e.Days() {
				days[d.Format(time.DateOnly)] = true
			}
			byStage := map[string][]expodesk.AgendaItem{}
			for _, it := range items {
				byStage[it.StageSlug] = append(byStage[it.StageSlug], it)
				start, end := it.StartsAt.In(loc), it.EndsAt.In(loc)
				clock := func(t time.Time) int { return t.Hour()*60 + t.Minute() }
				lunch := clock(start) < 14*60+30 && clock(end) > 13*60+30
				if !days[start.Format(time.DateOnly)] || clock(start) < 10*60 || clock(end) > 17*60+30 || lunch {
					t.Errorf("%s slot %s–%s is outside 10:00–17:30 local on a fair day, or over lunch", it.StageSlug, start, end)
				}
				if it.Blocked && it.Booked() {
					t.Errorf("%s slot at %s is blocked and booked", it.StageSlug, start)
				}
			}
			for stage, its := range byStage {
				stagesSeen[stage] = true
				sort.Slice(its, func(i, j int) bool { return its[i].StartsAt.Before(its[j].StartsAt) })
				booked, blocked := 0, 0
				for i, it := range its {
					if i > 0 && it.StartsAt.Before(its[i-1].EndsAt) {
						t.Errorf("%s: slots at %v and %v overlap", stage, its[i-1].StartsAt, it.StartsAt)
					}
					if it.Booked() {
						booked++
						if it.Title == "" || it.Abstract == "" || it.ExhibitorSlug == "" {
							t.Errorf("%s: booking at %v lacks a title, abstract or exhibitor", stage, it.StartsAt)
						}
					}
					if it.Blocked {
						blocked++
					}
				}
				if want := 3 * 13; len(its) != want {
					t.Errorf("%s has %d slots, want %d (13 a day over three days)", stage, len(its), want)
				}
				if share := float64(booked) / float64(len(its)); share < 0.25 || share > 0.45 {
					t.Errorf("%s: %d of %d slots booked (%.0f%%), want 30–40%%", stage, booked, len(its), share*100)
				}
				if blocked < 1 || blocked > 2 {
					t.Errorf("%s: %d blocked slots, want one or two", stage, blocked)
				}
			}
		}
		for _, stage := range []string{"wuxi-stage", "main-stage", "european-stage"} {
			if !stagesSeen[stage] {
				t.Errorf("no slots on %s", stage)
			}
		}
		langs := map[string]bool{}
		rows, err := pool.Query(ctx, "SELECT DISTINCT lang FROM booking")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var l string
			if err := rows.Scan(&l); err != nil {
				t.Fatal(err)
			}
			langs[l] = true
		}
		if !langs["zh"] || !langs["en"] || !langs["es"] {
			t.Errorf("bookings are written in %v, want zh, en and es", langs)
		}
	})

	t.Run("BookingsFollowTheRules", func(t *testing.T) {
		for _, c := range []struct{ what, sql string }{
			{"bookings by an exhibitor not approved at the stage's expo or pavilion", `SELECT count(*) FROM booking b
				JOIN slot sl ON sl.id = b.slot_id JOIN stage st ON st.id = sl.stage_id
				WHERE NOT EXISTS (SELECT 1 FROM participation p WHERE p.exhibitor_id = b.exhibitor_id
					AND p.expo_id = st.expo_id AND p.status = 'approved'
					AND (st.pavilion_id IS NULL OR p.pavilion_id = st.pavilion_id))`},
			{"exhibitors over their expo's slot quota", `SELECT count(*) FROM (
				SELECT st.expo_id, b.exhibitor_id, count(*) AS n FROM booking b
				JOIN slot sl ON sl.id = b.slot_id JOIN stage st ON st.id = sl.stage_id
				WHERE b.status = 'active' GROUP BY 1, 2) q JOIN expo e ON e.id = q.expo_id WHERE q.n > e.slot_quota`},
			{"exhibitors on two stages at once", `SELECT count(*) FROM booking a JOIN slot sa ON sa.id = a.slot_id
				JOIN booking b ON b.exhibitor_id = a.exhibitor_id AND b.id <> a.id JOIN slot sb ON sb.id = b.slot_id
				WHERE tstzrange(sa.starts_at, sa.ends_at) && tstzrange(sb.starts_at, sb.ends_at)`},
		} {
			if n := count(t, pool, c.sql); n != 0 {
				t.Errorf("%d %s", n, c.what)
			}
		}
	})

	t.Run("Delegations", func(t *testing.T) {
		if n := count(t, pool, "SELECT count(*) FROM delegation"); n != 2 {
			t.Errorf("%d delegations, want 2", n)
		}
		if n := count(t, pool, "SELECT count(DISTINCT expo_id) FROM delegation"); n != 2 {
			t.Errorf("delegations visit %d expos, want one each way", n)
		}
		for _, c := range []struct {
			what string
			want func(int) bool
			sql  string
		}{
			{"delegations without exactly one head", func(n int) bool { return n == 0 }, `SELECT count(*) FROM delegation d
				WHERE (SELECT count(*) FROM delegation_member m WHERE m.delegation_id = d.id AND m.protocol_role = 'head') <> 1`},
			{"members in eastern order", func(n int) bool { return n >= 5 }, `SELECT count(*) FROM delegation_member WHERE name_order = 'eastern'`},
			{"members in western order", func(n int) bool { return n >= 4 }, `SELECT count(*) FROM delegation_member WHERE name_order = 'western'`},
			{"interpreters", func(n int) bool { return n >= 2 }, `SELECT count(*) FROM delegation_member WHERE protocol_role = 'interpreter'`},
			{"letter statuses", func(n int) bool { return n == 3 }, `SELECT count(DISTINCT letter_status) FROM delegation_member`},
			{"requested meetings", func(n int) bool { return n >= 1 }, `SELECT count(*) FROM meeting WHERE status = 'requested'`},
			{"accepted meetings", func(n int) bool { return n >= 1 }, `SELECT count(*) FROM meeting WHERE status = 'accepted'`},
			{"answered meetings without an answer time, or answered after the demo clock", func(n int) bool { return n == 0 },
				`SELECT count(*) FROM meeting WHERE status IN ('accepted', 'declined') AND (responded_at IS NULL OR responded_at > $1)`},
			{"pavilion visits", func(n int) bool { return n >= 2 }, `SELECT count(*) FROM itinerary_item WHERE kind = 'visit' AND pavilion_id IS NOT NULL`},
			{"roadshow items", func(n int) bool { return n >= 2 }, `SELECT count(*) FROM itinerary_item WHERE kind = 'roadshow'`},
			{"roadshow items not matching a booking", func(n int) bool { return n == 0 }, `SELECT count(*) FROM itinerary_item i
				WHERE i.kind = 'roadshow' AND NOT EXISTS (SELECT 1 FROM booking b JOIN slot sl ON sl.id = b.slot_id
					WHERE b.slot_id = i.slot_id AND b.exhibitor_id = i.exhibitor_id AND b.status = 'active'
					AND sl.starts_at = i.starts_at)`},
			{"items or meetings outside the stay", func(n int) bool { return n == 0 }, `SELECT count(*) FROM (
				SELECT delegation_id, starts_at, ends_at FROM itinerary_item
				UNION ALL SELECT delegation_id, starts_at, ends_at FROM meeting) x
				JOIN delegation d ON d.id = x.delegation_id WHERE x.starts_at < d.arrives_at OR x.ends_at > d.departs_at`},
			{"meetings with exhibitors not approved at the delegation's expo", func(n int) bool { return n == 0 }, `SELECT count(*) FROM meeting m
				JOIN delegation d ON d.id = m.delegation_id WHERE NOT EXISTS (SELECT 1 FROM participation p
					WHERE p.exhibitor_id = m.exhibitor_id AND p.expo_id = d.expo_id AND p.status = 'approved')`},
			{"meetings during the exhibitor's own roadshow", func(n int) bool { return n == 0 }, `SELECT count(*) FROM meeting m
				JOIN booking b ON b.exhibitor_id = m.exhibitor_id AND b.status = 'active' JOIN slot sl ON sl.id = b.slot_id
				WHERE tstzrange(m.starts_at, m.ends_at) && tstzrange(sl.starts_at, sl.ends_at)`},
		} {
			var n int
			args := []any{}
			if strings.Contains(c.sql, "$1") {
				args = append(args, now)
			}
			n = count(t, pool, c.sql, args...)
			if !c.want(n) {
				t.Errorf("%d %s", n, c.what)
			}
		}
		var head string
		err := pool.QueryRow(ctx, `SELECT family_name || given_name FROM delegation_member
			WHERE name_order = 'eastern' AND protocol_role = 'head'`).Scan(&head)
		if err != nil || head != "王伟" {
			t.Errorf("head of the Wuxi delegation: %q (%v), want 王伟", head, err)
		}
	})
}

func TestLoadTwiceChangesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := testdb.Store(t, time.Now)
	if res, err := demo.Load(ctx, s, now); err != nil || !res.Loaded {
		t.Fatalf("first load: %+v, %v", res, err)
	}
	before := rowCounts(t, pool)
	res, err := demo.Load(ctx, s, now.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if res.Loaded {
		t.Error("second load: Loaded = true, want false")
	}
	after := rowCounts(t, pool)
	for _, table := range demoTables {
		if before[table] != after[table] {
			t.Errorf("%s: %d rows before the second load, %d after", table, before[table], after[table])
		}
	}
}

func TestLoadConcurrent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := testdb.Store(t, time.Now)
	const n = 2
	var wg sync.WaitGroup
	results := make([]demo.Result, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = demo.Load(ctx, s, now)
		}()
	}
	wg.Wait()
	loaded := 0
	for i := range n {
		if errs[i] != nil {
			t.Errorf("load %d: %v", i, errs[i])
		}
		if results[i].Loaded {
			loaded++
		}
	}
	if loaded != 1 {
		t.Errorf("%d of %d concurrent loads loaded, want exactly 1", loaded, n)
	}
	if got := count(t, pool, "SELECT count(*) FROM expo"); got != 2 {
		t.Errorf("%d expos after concurrent loads, want 2", got)
	}
	if got := count(t, pool, "SELECT count(*) FROM delegation"); got != 2 {
		t.Errorf("%d delegations after concurrent loads, want 2", got)
	}
}

// realCompanies are names (in any of the three languages) of real companies
// that must never be presented as demo exhibitors: well-known IoT and
// electronics firms, and firms based in Wuxi.
var realCompanies = []string{
	"huawei", "华为", "alibaba", "阿里", "tencent", "腾讯", "sensetime", "商汤", "hikvision", "海康",
	"dahua", "大华", "xiaomi", "小米", "baidu", "百度", "haier", "海尔", "midea", "lenovo", "联想",
	"byd", "比亚迪", "zte", "中兴", "apptec", "药明", "wuxi biologics", "suntech", "尚德", "jcet", "长电",
	"hua hong", "华虹", "hynix", "海力士", "little swan", "小天鹅", "hongdou", "红豆", "yadea", "雅迪",
	"lead intelligent", "先导智能", "xinje", "信捷", "seuic", "sunny optical", "舜宇", "verisilicon", "芯原",
	"unigroup", "紫光", "aqara", "murata", "panasonic", "sony", "samsung", "siemens", "bosch", "schneider",
	"ericsson", "nokia", "vodafone", "cisco", "qualcomm", "intel ", "telefónica", "telefonica", "cellnex",
	"indra", "eupic",
}

func TestNoRealCompanyNames(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := testdb.Store(t, time.Now)
	if _, err := demo.Load(ctx, s, now); err != nil {
		t.Fatal(err)
	}
	rows, err := pool.Query(ctx, `SELECT slug, legal_name || ' ' || coalesce(name->>'en', '') || ' ' ||
		coalesce(name->>'zh', '') || ' ' || coalesce(name->>'es', '') FROM exhibitor`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	checked := 0
	for rows.Next() {
		var slug, names string
		if err := rows.Scan(&slug, &names); err != nil {
			t.Fatal(err)
		}
		checked++
		folded := strings.ToLower(names + " " + slug)
		for _, real := range realCompanies {
			if strings.Contains(folded, real) {
				t.Errorf("%s: %q contains the real company name %q", slug, names, real)
			}
		}
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	if checked < 50 {
		t.Errorf("checked %d exhibitors, want the whole demo (50+)", checked)
	}
}

func TestRegistrationIDsValidate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := testdb.Store(t, time.Now)
	if _, err := demo.Load(ctx, s, now); err != nil {
		t.Fatal(err)
	}
	rows, err := pool.Query(ctx, `SELECT slug, country, registration_id FROM exhibitor WHERE registration_id <> ''`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	perCountry := map[string]int{}
	for rows.Next() {
		var slug, country, id string
		if err := rows.Scan(&slug, &country, &id); err != nil {
			t.Fatal(err)
		}
		perCountry[country]++
		var ok bool
		switch country {
		case "CN":
			ok = expodesk.ValidUSCC(id)
		case "ES":
			ok = expodesk.ValidSpanishTaxID(id)
		default:
			t.Errorf("%s (%s) carries registration id %q; only Chinese and Spanish ones are generated", slug, country, id)
		}
		if !ok || !expodesk.ValidRegistrationID(country, id) {
			t.Errorf("%s (%s): registration id %q does not validate", slug, country, id)
		}
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	if perCountry["CN"] < 30 || perCountry["ES"] < 5 {
		t.Errorf("registration ids per country: %v, want 30+ USCCs and 5+ CIFs", perCountry)
	}
}

// checkLogins asserts that each printed login signs in with its password,
// organizers carry the demo TOTP secret, and team logins belong to a company.
func checkLogins(t *testing.T, s *postgres.Store, logins []demo.Login) {
	t.Helper()
	ctx := context.Background()
	if len(logins) == 0 {
		t.Fatal("no demo logins")
	}
	hasher := password.NewHasher(password.Config{})
	roles := map[string]bool{}
	for _, l := range logins {
		u, err := s.UserGetByEmail(ctx, l.Email)
		if err != nil {
			t.Errorf("login %s: %v", l.Email, err)
			continue
		}
		roles[l.Role] = true
		if ok, _, err := hasher.Verify(ctx, l.Password, u.PasswordHash); err != nil || !ok {
			t.Errorf("login %s: the printed password does not verify (%v)", l.Email, err)
		}
		switch l.Role {
		case "organizer", "coordinator":
			if u.Role != expodesk.RoleOrganizer || u.TOTPSecret != demo.DemoTOTPSecret {
				t.Errorf("login %s: role %s, TOTP %q; want an organizer with the demo secret", l.Email, u.Role, u.TOTPSecret)
			}
			if (l.Role == "coordinator") != (u.PavilionID != nil) {
				t.Errorf("login %s: pavilion %v does not match role %s", l.Email, u.PavilionID, l.Role)
			}
		case "exhibitor":
			if u.Role != expodesk.RoleExhibitor || u.ExhibitorID == nil {
				t.Errorf("login %s: role %s, company %v; want a team member", l.Email, u.Role, u.ExhibitorID)
			}
		}
	}
	for _, r := range []string{"organizer", "coordinator", "exhibitor"} {
		if !roles[r] {
			t.Errorf("no demo login with role %s", r)
		}
	}
	for _, c := range demo.RecoveryCodes() {
		if _, ok := totp.NormalizeRecoveryCode(c); !ok {
			t.Errorf("demo recovery code %q is not in the recovery-code format", c)
		}
	}
}

// TestUnusedRecoveryCodes: what make run prints after the first load is the
// codes each demo login can still spend, found without spending any.
func TestUnusedRecoveryCodes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := testdb.Store(t, time.Now)
	if _, err := demo.Load(ctx, s, now); err != nil {
		t.Fatal(err)
	}
	codes := demo.RecoveryCodes()
	org, err := s.UserGetByEmail(ctx, "organizer@expodesk.example")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range codes[:3] {
		if ok, err := s.RecoveryCodeUse(ctx, org.ID, totp.HashRecoveryCode(c)); err != nil || !ok {
			t.Fatalf("spend %s: %v %v", c, ok, err)
		}
	}
	got, err := demo.UnusedRecoveryCodes(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{"organizer@expodesk.example": codes[3:], "wuxi-pavilion@expodesk.example": codes}
	if len(got) != len(want) {
		t.Fatalf("codes for %d logins, want %d: %+v", len(got), len(want), got)
	}
	for _, a := range got {
		if strings.Join(a.Unused, " ") != strings.Join(want[a.Login.Email], " ") {
			t.Errorf("%s: unused %v, want %v", a.Login.Email, a.Unused, want[a.Login.Email])
		}
	}
	if n := count(t, pool, "SELECT count(*) FROM recovery_code WHERE used_at IS NULL"); n != 7+len(codes) {
		t.Errorf("%d unused recovery codes stored after listing them, want %d: listing spent some", n, 7+len(codes))
	}
}
