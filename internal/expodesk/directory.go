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
	// keys, then id; see DirectoryOrder).
	RankEN, RankZH, RankES int32
}

// DirectoryOrder is one exhibitor's places in the directory's name orders.
type DirectoryOrder struct {
	ID int64
	// Slug, LegalName and Name are what the places follow from (the
	// Chinese key is computed from them on write).
	Slug      string
	LegalName string
	Name      Text
	// EN, ZH and ES are the exhibitor's places among all exhibitors in
	// the order the directory sorts by in each language.
	EN, ZH, ES int32
}
