package postgres_test

import (
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"expodesk/internal/postgres"
)

// TestDirectorySearchUsesTrigramIndex: the search pattern is folded and
// escaped in SQL; planned for its own value, it must still be a pattern the
// trigram index can serve, not a filter over every exhibitor.
func TestDirectorySearchUsesTrigramIndex(t *testing.T) {
	t.Parallel()
	v := newVisitorStore(t)
	tx, err := v.pool.Begin(v.ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(v.ctx)
	// A tiny table is cheapest to scan; forbid that to see whether the index can be used at all.
	if _, err := tx.Exec(v.ctx, "SET LOCAL enable_seqscan = off"); err != nil {
		t.Fatal(err)
	}
	for _, term := range []string{"sensing", "100％", "under_score"} {
		rows, err := tx.Query(v.ctx, "EXPLAIN SELECT e.id FROM exhibitor e WHERE "+postgres.SearchCondition("$1"),
			pgx.QueryExecModeExec, term)
		if err != nil {
			t.Fatal(err)
		}
		lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		plan := strings.Join(lines, "\n")
		if !strings.Contains(plan, "exhibitor_search_trgm") {
			t.Errorf("q=%s: the plan does not use exhibitor_search_trgm:\n%s", term, plan)
		}
	}
}
