package postgres_test

import (
	"strings"
	"testing"

	"expodesk/internal/expodesk"
)

// TestDirectoryCountBound: a search matching more than
// expodesk.DirectoryCountBound companies is counted up to the bound and
// says so (More), and its pages hold the same companies, in the same order,
// as the plain query: for a one-character term, a two-character one (whose
// page leaves the bigram index out when it matches that many), a
// two-character Chinese one, a longer one and a rare one.
func TestDirectoryCountBound(t *testing.T) {
	t.Parallel()
	v := newVisitorStore(t)
	e := v.expo("iotswc-2027")
	other := v.expo("wiot-2027")
	// 1,100 companies, every one "Señal Lorawan 网关 <n>"; one in ten also
	// "Sensórica"; those of the other expo do not count.
	_, err := v.pool.Exec(v.ctx, `
		WITH x AS (
			INSERT INTO exhibitor (slug, legal_name, name, country)
			SELECT 'co-' || n, 'Co ' || n,
			       jsonb_build_object('en', 'Señal Lorawan 网关 ' || lpad(n::text, 4, '0') ||
			                                CASE WHEN n % 10 = 0 THEN ' Sensórica' ELSE '' END),
			       'ES'
			FROM generate_series(1, 1100) AS n RETURNING id, slug)
		INSERT INTO participation (expo_id, exhibitor_id, status, booth)
		SELECT CASE WHEN x.slug = 'co-7' THEN $2::bigint ELSE $1::bigint END, x.id, 'approved', '' FROM x`, e.ID, other.ID)
	v.must(err)
	v.must(v.s.ExhibitorSortKeysFill(v.ctx))
	for _, tc := range []struct {
		term  string
		total int
		more  bool
	}{
		{"l", expodesk.DirectoryCountBound, true},
		{"lo", expodesk.DirectoryCountBound, true},
		{"网关", expodesk.DirectoryCountBound, true},
		{"señal", expodesk.DirectoryCountBound, true},
		{"senal lorawan", expodesk.DirectoryCountBound, true},
		{"sensórica", 110, false},
		{"ns", 110, false}, // only in "Sensórica"
		{"0107", 1, false},
	} {
		t.Run(tc.term, func(t *testing.T) {
			for _, pg := range []int{1, 2, 42} {
				page, err := v.s.Directory(v.ctx, expodesk.DirectoryQuery{ExpoID: e.ID, Text: tc.term, Lang: expodesk.EN, Page: pg})
				if err != nil {
					t.Fatal(err)
				}
				if page.Total != tc.total || page.More != tc.more {
					t.Fatalf("q=%s: total %d more %v, want %d %v", tc.term, page.Total, page.More, tc.total, tc.more)
				}
				// The plain query: every match in name order, by LIKE alone.
				var want []string
				rows, err := v.pool.Query(v.ctx, `
					SELECT e.slug FROM participation p JOIN exhibitor e ON e.id = p.exhibitor_id
					WHERE p.expo_id = $1 AND p.status = 'approved' AND e.search LIKE ALL (
						SELECT '%' || search_fold(w) || '%' FROM unnest(string_to_array($2, ' ')) AS w)
					ORDER BY e.name->>'en' COLLATE "en-x-icu", e.id LIMIT 24 OFFSET $3`,
					e.ID, tc.term, (page.Page-1)*24)
				v.must(err)
				for rows.Next() {
					var s string
					v.must(rows.Scan(&s))
					want = append(want, s)
				}
				v.must(rows.Err())
				var got []string
				for _, en := range page.Entries {
					got = append(got, en.Slug)
				}
				if strings.Join(got, " ") != strings.Join(want, " ") {
					t.Fatalf("q=%s page %d:\n got %v\nwant %v", tc.term, page.Page, got, want)
				}
			}
		})
	}
}
