package postgres_test

import (
	"slices"
	"testing"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/postgres"
)

func TestAuditAdd(t *testing.T) {
	t.Parallel()
	w := newAccountsWorld(t)
	org := w.organizer("org@example.es", nil)

	t.Run("OK", func(t *testing.T) {
		w.must(w.s.AuditAdd(w.ctx, expodesk.AuditEntry{ActorID: &org.ID, ActorLabel: org.Email, Action: "user.disable",
			ObjectType: "user", ObjectID: "42", ExpoID: &w.expo.ID, Before: map[string]any{"disabled": false},
			After: map[string]any{"disabled": true}, ClientIP: "192.0.2.7", RequestID: "req-1"}))
		rows, err := w.s.AuditList(w.ctx, expodesk.AuditFilter{})
		if err != nil || len(rows) != 1 {
			t.Fatalf("AuditList = %+v, %v", rows, err)
		}
		r := rows[0]
		// Without a time of its own, an entry takes the store's clock.
		if !r.At.Equal(accountsT0) || r.ActorID == nil || *r.ActorID != org.ID || r.ActorLabel != org.Email ||
			r.Action != "user.disable" || r.ObjectType != "user" || r.ObjectID != "42" || r.ClientIP != "192.0.2.7" || r.RequestID != "req-1" {
			t.Errorf("entry %+v", r)
		}
		if r.Before != `{"disabled": false}` || r.After != `{"disabled": true}` {
			t.Errorf("before %s, after %s", r.Before, r.After)
		}
	})
	t.Run("GivenTimeAndNoJSON", func(t *testing.T) {
		at := accountsT0.Add(-time.Hour)
		w.must(w.s.AuditAdd(w.ctx, expodesk.AuditEntry{At: at, ActorLabel: "system", Action: "mail.give_up"}))
		rows, err := w.s.AuditList(w.ctx, expodesk.AuditFilter{Action: "mail."})
		if err != nil || len(rows) != 1 {
			t.Fatalf("AuditList = %+v, %v", rows, err)
		}
		if !rows[0].At.Equal(at) || rows[0].ActorID != nil || rows[0].Before != "" || rows[0].After != "" {
			t.Errorf("entry %+v", rows[0])
		}
	})
	t.Run("ErrBadAction", func(t *testing.T) {
		wantCode(t, w.s.AuditAdd(w.ctx, expodesk.AuditEntry{ActorLabel: "x", Action: "Disable User"}), expodesk.EINVALID)
	})
	t.Run("InTransaction", func(t *testing.T) {
		// Recorded in the transaction of the change: rolled back with it.
		err := w.s.Tx(w.ctx, func(tx *postgres.Store) error {
			w.must(tx.AuditAdd(w.ctx, expodesk.AuditEntry{ActorLabel: "x", Action: "user.delete"}))
			return expodesk.ErrNotFound
		})
		wantCode(t, err, expodesk.ENOTFOUND)
		if rows, err := w.s.AuditList(w.ctx, expodesk.AuditFilter{Action: "user.delete"}); err != nil || len(rows) != 0 {
			t.Errorf("a rolled-back entry is listed: %+v, %v", rows, err)
		}
	})
}

func TestAuditList(t *testing.T) {
	t.Parallel()
	w := newAccountsWorld(t)
	org := w.organizer("Org.Admin@Example.es", nil)
	coord := w.organizer("coord@wuxi.example.cn", &w.wuxi.ID)
	// Entries one minute apart, in scopes a coordinator may and may not see.
	type entry struct {
		name string
		e    expodesk.AuditEntry
	}
	entries := []entry{
		{"signin", expodesk.AuditEntry{ActorID: &org.ID, ActorLabel: org.Email, Action: "auth.signin", ObjectType: "user", ObjectID: "1"}},
		{"wuxi-pavilion", expodesk.AuditEntry{ActorID: &coord.ID, ActorLabel: coord.Email, Action: "pavilion.update",
			ObjectType: "pavilion", ObjectID: "7", ExpoID: &w.expo.ID, PavilionID: &w.wuxi.ID}},
		{"sensing-member", expodesk.AuditEntry{ActorID: &coord.ID, ActorLabel: coord.Email, Action: "user.disable",
			ObjectType: "user", ObjectID: "2", ExhibitorID: &w.sensing.ID}},
		{"invited-company", expodesk.AuditEntry{ActorID: &org.ID, ActorLabel: org.Email, Action: "user.invite",
			ObjectType: "user", ObjectID: "3", ExhibitorID: &w.invited.ID}},
		{"rejected-company", expodesk.AuditEntry{ActorID: &org.ID, ActorLabel: org.Email, Action: "user.disable",
			ObjectType: "user", ObjectID: "4", ExhibitorID: &w.rejected.ID}},
		{"euro-pavilion", expodesk.AuditEntry{ActorID: &org.ID, ActorLabel: org.Email, Action: "pavilion.update",
			ObjectType: "pavilion", ObjectID: "8", PavilionID: &w.euro.ID}},
		{"cloud-company", expodesk.AuditEntry{ActorID: &org.ID, ActorLabel: org.Email, Action: "user.disable",
			ObjectType: "user", ObjectID: "5", ExhibitorID: &w.cloud.ID}},
		{"failed-signin", expodesk.AuditEntry{ActorLabel: "100%_sure@example.com", Action: "auth.signin_failed"}},
	}
	names := map[int64]string{}
	for i, en := range entries {
		en.e.At = accountsT0.Add(time.Duration(i) * time.Minute)
		w.must(w.s.AuditAdd(w.ctx, en.e))
	}
	all, err := w.s.AuditList(w.ctx, expodesk.AuditFilter{})
	w.must(err)
	if len(all) != len(entries) {
		t.Fatalf("%d entries listed, want %d", len(all), len(entries))
	}
	for i, r := range all {
		names[r.ID] = entries[len(entries)-1-i].name // newest first
	}
	list := func(t *testing.T, f expodesk.AuditFilter) []string {
		t.Helper()
		rows, err := w.s.AuditList(w.ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range rows {
			out = append(out, names[r.ID])
		}
		return out
	}
	minute := func(i int) time.Time { return accountsT0.Add(time.Duration(i) * time.Minute) }

	for _, tc := range []struct {
		name   string
		filter expodesk.AuditFilter
		want   []string
	}{
		{"NewestFirst", expodesk.AuditFilter{}, []string{"failed-signin", "cloud-company", "euro-pavilion", "rejected-company",
			"invited-company", "sensing-member", "wuxi-pavilion", "signin"}},
		{"ActionPrefix", expodesk.AuditFilter{Action: "auth."}, []string{"failed-signin", "signin"}},
		{"ActionWhole", expodesk.AuditFilter{Action: "auth.signin_failed"}, []string{"failed-signin"}},
		// LIKE's metacharacters are literal: "_" is not any character, "%" not anything.
		{"ActionUnderscoreLiteral", expodesk.AuditFilter{Action: "auth_"}, nil},
		{"ActionPercentLiteral", expodesk.AuditFilter{Action: "%"}, nil},
		{"ActorEmailIgnoringCase", expodesk.AuditFilter{ActorEmail: "org.ADMIN@"}, []string{"cloud-company", "euro-pavilion",
			"rejected-company", "invited-company", "signin"}},
		{"ActorEmailLiteral", expodesk.AuditFilter{ActorEmail: "100%_"}, []string{"failed-signin"}},
		{"ActorEmailPercentNotWildcard", expodesk.AuditFilter{ActorEmail: "0%s"}, nil},
		{"ObjectType", expodesk.AuditFilter{ObjectType: "pavilion"}, []string{"euro-pavilion", "wuxi-pavilion"}},
		{"Object", expodesk.AuditFilter{ObjectType: "user", ObjectID: "2"}, []string{"sensing-member"}},
		{"SinceInclusive", expodesk.AuditFilter{Since: minute(6)}, []string{"failed-signin", "cloud-company"}},
		{"UntilExclusive", expodesk.AuditFilter{Until: minute(2)}, []string{"wuxi-pavilion", "signin"}},
		{"SinceUntil", expodesk.AuditFilter{Since: minute(2), Until: minute(4)}, []string{"invited-company", "sensing-member"}},
		// A coordinator: their pavilion, and the companies invited to, applying for or approved in it.
		{"PavilionScope", expodesk.AuditFilter{PavilionID: w.wuxi.ID}, []string{"invited-company", "sensing-member", "wuxi-pavilion"}},
		{"OtherPavilionScope", expodesk.AuditFilter{PavilionID: w.euro.ID}, []string{"euro-pavilion"}},
		{"PavilionScopeAndAction", expodesk.AuditFilter{PavilionID: w.wuxi.ID, Action: "user.disable"}, []string{"sensing-member"}},
		{"Limit", expodesk.AuditFilter{Limit: 3}, []string{"failed-signin", "cloud-company", "euro-pavilion"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := list(t, tc.filter); !slices.Equal(got, tc.want) {
				t.Errorf("AuditList(%+v) = %v, want %v", tc.filter, got, tc.want)
			}
		})
	}

	t.Run("Paging", func(t *testing.T) {
		var pages [][]string
		f := expodesk.AuditFilter{Limit: 3}
		for range 5 {
			rows, err := w.s.AuditList(w.ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) == 0 {
				break
			}
			var page []string
			for _, r := range rows {
				page = append(page, names[r.ID])
			}
			pages = append(pages, page)
			f.BeforeID = rows[len(rows)-1].ID
		}
		want := [][]string{{"failed-signin", "cloud-company", "euro-pavilion"}, {"rejected-company", "invited-company", "sensing-member"},
			{"wuxi-pavilion", "signin"}}
		if !slices.EqualFunc(pages, want, slices.Equal) {
			t.Errorf("pages %v, want %v", pages, want)
		}
	})
	t.Run("PagingInScope", func(t *testing.T) {
		first := list(t, expodesk.AuditFilter{PavilionID: w.wuxi.ID, Limit: 1})
		var firstID int64
		for id, n := range names {
			if n == first[0] {
				firstID = id
			}
		}
		got := list(t, expodesk.AuditFilter{PavilionID: w.wuxi.ID, BeforeID: firstID})
		if want := []string{"sensing-member", "wuxi-pavilion"}; !slices.Equal(got, want) {
			t.Errorf("second page in scope: %v, want %v", got, want)
		}
	})
	t.Run("LimitBounds", func(t *testing.T) {
		for i := range 120 {
			w.must(w.s.AuditAdd(w.ctx, expodesk.AuditEntry{ActorLabel: "bulk", Action: "bulk.entry", ObjectID: string(rune('a' + i%26))}))
		}
		for _, tc := range []struct {
			limit, want int
		}{{0, 100}, {-1, 100}, {501, 100}, {500, 120}, {110, 110}} {
			rows, err := w.s.AuditList(w.ctx, expodesk.AuditFilter{Action: "bulk.", Limit: tc.limit})
			if err != nil || len(rows) != tc.want {
				t.Errorf("limit %d: %d rows, %v; want %d", tc.limit, len(rows), err, tc.want)
			}
		}
	})
}
