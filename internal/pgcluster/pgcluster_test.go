package pgcluster_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"expodesk/internal/pgcluster"
	"expodesk/internal/postgres"
)

// TestClusterLifecycle creates a cluster, restarts it with its data kept,
// and checks that a pool opened before the restart recovers by itself.
func TestClusterLifecycle(t *testing.T) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "expodesk-pgcluster-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	c := &pgcluster.Cluster{Dir: filepath.Join(dir, "pg"), Fast: true}
	if err := c.Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Stop(context.Background()); _ = os.RemoveAll(c.Location()) })
	if c.Port == 0 {
		t.Fatal("no port chosen")
	}
	for i := 0; i < 2; i++ { // creating twice is a no-op
		if err := c.CreateDatabase(ctx, "app"); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("EnsureWhileRunningKeepsThePort", func(t *testing.T) {
		again := &pgcluster.Cluster{Dir: c.Dir, Port: c.Port + 1}
		if err := again.Ensure(ctx); err != nil {
			t.Fatal(err)
		}
		if again.Port != c.Port {
			t.Errorf("port %d, want the running server's %d", again.Port, c.Port)
		}
	})

	pool, err := postgres.Open(ctx, c.URL("app"), 4)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if _, err := pool.Exec(ctx, "CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)"); err != nil {
		t.Fatal(err)
	}

	t.Run("PoolRecoversAfterRestart", func(t *testing.T) {
		if err := c.Stop(ctx); err != nil {
			t.Fatal(err)
		}
		restarted := &pgcluster.Cluster{Dir: c.Dir, Port: c.Port, Fast: true}
		if err := restarted.Ensure(ctx); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(15 * time.Second)
		for {
			var v int
			err := pool.QueryRow(ctx, "SELECT v FROM kept").Scan(&v)
			if err == nil {
				if v != 42 {
					t.Errorf("kept = %d, want 42: data lost across the restart", v)
				}
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("pool did not recover after the restart: %v", err)
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
}

// TestClosedParentIsLeftAlone: a checkout under a folder closed to others
// (a home directory of mode 0700) gets a working cluster, and that folder's
// mode is not changed. As root, the postgres user cannot reach the checkout,
// so the data goes to a folder of its own, which the checkout links to.
func TestClosedParentIsLeftAlone(t *testing.T) {
	ctx := context.Background()
	home := filepath.Join(t.TempDir(), "home")
	if err := os.Mkdir(home, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(home, 0o700); err != nil { // whatever the umask
		t.Fatal(err)
	}
	checkout := filepath.Join(home, "expodesk")
	if err := os.Mkdir(checkout, 0o755); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	c := &pgcluster.Cluster{Dir: filepath.Join(checkout, ".local", "pg"), Fast: true, Log: &log}
	err := c.Ensure(ctx)
	t.Cleanup(func() { _ = c.Stop(context.Background()); _ = os.RemoveAll(c.Location()) })
	if err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	if fi, err := os.Stat(home); err != nil {
		t.Fatal(err)
	} else if fi.Mode().Perm() != 0o700 {
		t.Errorf("%s: mode %o, want 0700 as it was: pgcluster changed a folder outside its own", home, fi.Mode().Perm())
	}
	if err := c.CreateDatabase(ctx, "app"); err != nil {
		t.Fatal(err)
	}
	// The URL make run prints carries no password, and works.
	u := c.PassfileURL("app")
	if strings.Contains(u, pgcluster.User+":") {
		t.Errorf("PassfileURL %s carries a password", u)
	}
	pool, err := postgres.Open(ctx, u, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if err := pool.Ping(ctx); err != nil {
		t.Fatalf("PassfileURL %s: %v", u, err)
	}
	if os.Geteuid() != 0 {
		if c.Relocated() {
			t.Errorf("not root, yet the data went to %s", c.Location())
		}
		return
	}
	want, err := pgcluster.RelocatedDir(c.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Relocated() || c.Location() != want {
		t.Fatalf("as root under a closed folder: data in %s, want %s", c.Location(), want)
	}
	if target, err := os.Readlink(c.Dir); err != nil || target != want {
		t.Errorf("%s links to %q (%v), want %s", c.Dir, target, err, want)
	}
	if !strings.Contains(log.String(), want) {
		t.Errorf("the log does not say where the data went:\n%s", log.String())
	}
	// Another checkout gets another folder.
	if other, _ := pgcluster.RelocatedDir(filepath.Join(home, "other", ".local", "pg")); other == want {
		t.Errorf("two checkouts share %s", want)
	}
	// The next run finds the same cluster through the link, and stops it.
	again := &pgcluster.Cluster{Dir: c.Dir, Fast: true}
	if err := again.Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	if again.Location() != want || again.Port != c.Port {
		t.Errorf("second Ensure: %s port %d, want %s port %d", again.Location(), again.Port, want, c.Port)
	}
	if err := (&pgcluster.Cluster{Dir: c.Dir}).Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if err := pool.Ping(ctx); err == nil {
		t.Error("Stop through the link left the server running")
	}
}
