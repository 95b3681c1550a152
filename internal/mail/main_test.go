package mail

import (
	"os"
	"testing"

	"expodesk/internal/testdb"
)

func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }
