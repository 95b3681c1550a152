package postgres

// SearchCondition exposes the directory's search test to the external
// tests, which EXPLAIN it to check that the trigram index still serves it.
var SearchCondition = searchCondition
