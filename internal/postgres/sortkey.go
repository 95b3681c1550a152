package postgres

import "expodesk/internal/expodesk"

// ExhibitorSortKey is the Chinese sort key the store writes with every
// company (sort_zh), for tools that load companies with COPY, such as
// cmd/bench: computed before the rows go in, it spares an UPDATE of every
// row (and of every index entry) afterwards.
func ExhibitorSortKey(slug, legal string, name expodesk.Text) string {
	return zhSortKey(slug, legal, name)
}
