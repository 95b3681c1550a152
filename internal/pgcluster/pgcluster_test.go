package pgcluster_test

import (
	"context"
	"os"
	"path/filepath"
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
	t.Cleanup(func() { _ = c.Stop(context.Background()) })
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
