package postgres_test

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"expodesk/internal/testdb"
)

// TestServerKey: a key is made once; every caller, however many ask at the
// same moment, gets the same one, and different names get different keys.
func TestServerKey(t *testing.T) {
	t.Parallel()
	s, _ := testdb.Store(t, time.Now)
	ctx := context.Background()
	keys := make([][]byte, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k, err := s.ServerKey(ctx, "device_cookie")
			if err != nil {
				t.Error(err)
			}
			keys[i] = k
		}()
	}
	wg.Wait()
	for i, k := range keys {
		if len(k) != 32 || !bytes.Equal(k, keys[0]) {
			t.Fatalf("caller %d got a %d-byte key %x, want the same 32 bytes as caller 0 (%x)", i, len(k), k, keys[0])
		}
	}
	other, err := s.ServerKey(ctx, "something_else")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(other, keys[0]) {
		t.Error("two key names share one key")
	}
}
