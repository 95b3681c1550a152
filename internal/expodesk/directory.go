package expodesk

// DirectoryRow is one approved participation of an expo as the in-memory
// directory (internal/directory) loads it: the card, and what a search and
// the directory's order need.
type DirectoryRow struct {
	DirectoryEntry
	PavilionID int64
	// Search is the exhibitor's folded search text and SearchNames its
	// folded names, which Search starts with.
	Search      string
	SearchNames string
	// RankEN, RankZH and RankES are the row's places in the directory's
	// name order in each language (the store's collations and pinyin
	// keys, then id).
	RankEN, RankZH, RankES int32
}
