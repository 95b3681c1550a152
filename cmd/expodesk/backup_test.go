package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"expodesk/internal/testdb"
)

// TestBackupRestoreCommands: expodesk backup writes a file that expodesk
// restore loads into a database it creates; restoring over data is
// refused (exit status 1, saying how to force it) unless --force.
func TestBackupRestoreCommands(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	source := testdb.URL(t)
	file := filepath.Join(t.TempDir(), "expodesk-test.dump")
	var out bytes.Buffer
	if err := run(ctx, []string{"backup", "--out", file}, env(map[string]string{"DATABASE_URL": source}), strings.NewReader(""), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Backup written to "+file) {
		t.Errorf("backup said %q", out.String())
	}
	if _, err := os.Stat(file); err != nil {
		t.Fatal(err)
	}

	target := newDatabaseURL(t, source)
	vars := env(map[string]string{"DATABASE_URL": target})
	out.Reset()
	if err := run(ctx, []string{"restore", "--in", file}, vars, strings.NewReader(""), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Restored "+file) || !strings.Contains(out.String(), "this release's") {
		t.Errorf("restore said %q", out.String())
	}
	err := run(ctx, []string{"restore", "--in", file}, vars, strings.NewReader(""), io.Discard, io.Discard)
	if err == nil || exitCode(err) != 1 || !strings.Contains(err.Error(), "not empty") || !strings.Contains(err.Error(), "--force") {
		t.Errorf("a restore over data: %v (exit %d), want a refusal naming --force", err, exitCode(err))
	}
	if err := run(ctx, []string{"restore", "--in", file, "--force"}, vars, strings.NewReader(""), io.Discard, io.Discard); err != nil {
		t.Errorf("restore --force: %v", err)
	}
}

// newDatabaseURL names a database the server of like does not have yet,
// dropped when the test ends.
func newDatabaseURL(t *testing.T, like string) string {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "restore_" + hex.EncodeToString(b)
	u, err := url.Parse(like)
	if err != nil {
		t.Fatal(err)
	}
	admin := *u
	admin.Path = "/postgres"
	u.Path = "/" + name
	t.Cleanup(func() {
		conn, err := pgx.Connect(context.Background(), admin.String())
		if err != nil {
			t.Logf("drop %s: %v", name, err)
			return
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Logf("drop %s: %v", name, err)
		}
	})
	return u.String()
}
