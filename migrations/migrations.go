// Package migrations holds the numbered SQL migrations, embedded so that the
// binary migrates its own database.
package migrations

import "embed"

// FS holds every *.up.sql and *.down.sql file of this folder.
//
//go:embed *.sql
var FS embed.FS
