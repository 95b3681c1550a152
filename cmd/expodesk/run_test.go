package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/pgcluster"
	"expodesk/internal/postgres"
	"expodesk/internal/testdb"
)

func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestLoadConfig(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		vars    map[string]string
		wantErr string
		check   func(t *testing.T, c config)
	}{
		{name: "Defaults", vars: map[string]string{}, check: func(t *testing.T, c config) {
			if c.Port != "8080" || c.SecureCookies || c.TrustProxy || c.DBMaxConns != 20 {
				t.Errorf("defaults = %+v", c)
			}
		}},
		{name: "HTTPSBaseURLMeansSecureCookies", vars: map[string]string{"BASE_URL": "https://expo.example.org/"}, check: func(t *testing.T, c config) {
			if !c.SecureCookies || c.BaseURL != "https://expo.example.org" {
				t.Errorf("got %+v", c)
			}
		}},
		{name: "ExplicitSecureCookiesWins", vars: map[string]string{"BASE_URL": "https://x.example", "SECURE_COOKIES": "false"}, check: func(t *testing.T, c config) {
			if c.SecureCookies {
				t.Error("SECURE_COOKIES=false ignored")
			}
		}},
		{name: "ErrBadPort", vars: map[string]string{"PORT": "eighty"}, wantErr: "PORT"},
		{name: "ErrPortTooBig", vars: map[string]string{"PORT": "70000"}, wantErr: "PORT"},
		{name: "ErrBadBool", vars: map[string]string{"TRUST_PROXY": "maybe"}, wantErr: "TRUST_PROXY"},
		{name: "ErrBadLogLevel", vars: map[string]string{"LOG_LEVEL": "loud"}, wantErr: "LOG_LEVEL"},
		{name: "ErrBadPoolSize", vars: map[string]string{"DB_MAX_CONNS": "0"}, wantErr: "DB_MAX_CONNS"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := loadConfig(env(tc.vars))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one naming %s", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, c)
		})
	}
}

func TestRunRequiresDatabaseURL(t *testing.T) {
	t.Parallel()
	err := run(context.Background(), nil, env(nil), strings.NewReader(""), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "DATABASE_URL") {
		t.Fatalf("err = %v, want DATABASE_URL is not set", err)
	}
}

func TestOrganizerCreate(t *testing.T) {
	t.Parallel()
	url := testdb.URL(t)
	vars := env(map[string]string{"DATABASE_URL": url})
	create := func(stdin string, args ...string) error {
		return run(context.Background(), append([]string{"organizer", "create"}, args...), vars,
			strings.NewReader(stdin), io.Discard, io.Discard)
	}
	t.Run("OK", func(t *testing.T) {
		if err := create("Barcelona sensors in May\n", "--email", "Ana@Example.org", "--family-name", "Puig",
			"--given-name", "Ana", "--lang", "es", "--password-stdin"); err != nil {
			t.Fatal(err)
		}
		pool, err := postgres.Open(context.Background(), url, 2)
		if err != nil {
			t.Fatal(err)
		}
		defer pool.Close()
		u, err := postgres.New(pool, time.Now).UserGetByEmail(context.Background(), "ana@example.org")
		if err != nil {
			t.Fatal(err)
		}
		if u.Role != expodesk.RoleOrganizer || u.PavilionID != nil || u.Lang != expodesk.ES || !strings.HasPrefix(u.PasswordHash, "$argon2id$") {
			t.Errorf("created %+v", u)
		}
	})
	t.Run("ErrSameEmailAnyCase", func(t *testing.T) {
		err := create("Another long passphrase\n", "--email", "ANA@example.org", "--family-name", "Puig", "--password-stdin")
		if err == nil || !strings.Contains(err.Error(), "already exists") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("ErrCommonPassword", func(t *testing.T) {
		err := create("password123\n", "--email", "b@example.org", "--family-name", "B", "--password-stdin")
		if err == nil || !strings.Contains(err.Error(), "password refused") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("ErrShortPassword", func(t *testing.T) {
		err := create("short\n", "--email", "c@example.org", "--family-name", "C", "--password-stdin")
		if err == nil || !strings.Contains(err.Error(), "too_short") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("ErrBadEmail", func(t *testing.T) {
		err := create("Barcelona sensors in May\n", "--email", "not an email", "--family-name", "D", "--password-stdin")
		if err == nil || !strings.Contains(err.Error(), "--email") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("ErrUnknownPavilion", func(t *testing.T) {
		err := create("Barcelona sensors in May\n", "--email", "e@example.org", "--family-name", "E",
			"--pavilion", "nope/nothing", "--password-stdin")
		if err == nil || !strings.Contains(err.Error(), "--pavilion") {
			t.Fatalf("err = %v", err)
		}
	})
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// serveForTest runs `expodesk serve` on a free port until the returned cancel
// is called; it returns the base URL and a channel with run's result.
func serveForTest(t *testing.T, stderr io.Writer) (string, context.CancelFunc, <-chan error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	port, err := pgcluster.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	vars := env(map[string]string{"DATABASE_URL": testdb.URL(t), "LOG_LEVEL": "info", "BASE_URL": "https://expo.example.org"})
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", fmt.Sprintf("127.0.0.1:%d", port)}, vars, strings.NewReader(""), io.Discard, stderr)
	}()
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case err := <-done:
			cancel()
			t.Fatalf("serve ended before listening: %v", err)
		default:
		}
		if resp, err := http.Get(base + "/livez"); err == nil {
			resp.Body.Close()
			return base, cancel, done
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatal("serve did not start in 30s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestServeRequiresBaseURLOutsideDemo(t *testing.T) {
	t.Parallel()
	err := run(context.Background(), []string{"serve"}, env(map[string]string{"DATABASE_URL": testdb.URL(t)}),
		strings.NewReader(""), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "BASE_URL") {
		t.Fatalf("err = %v, want BASE_URL is not set", err)
	}
}

// TestGracefulShutdown cancels the server while a request is still arriving:
// the request must be answered, and run must return nil once it has been.
func TestGracefulShutdown(t *testing.T) {
	t.Parallel()
	base, cancel, done := serveForTest(t, io.Discard)
	defer cancel()
	host := strings.TrimPrefix(base, "http://")
	host = strings.Replace(host, "localhost", "127.0.0.1", 1)
	conn, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := "email=nobody%40example.org&password=wrong-password"
	fmt.Fprintf(conn, "POST /signin HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s",
		host, len(body), body[:10])
	time.Sleep(200 * time.Millisecond) // the server is now reading this request's body
	cancel()
	select {
	case err := <-done:
		t.Fatalf("run returned (%v) while a request was in flight", err)
	case <-time.After(500 * time.Millisecond):
	}
	if _, err := conn.Write([]byte(body[10:])); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("in-flight request not answered: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("in-flight sign-in = %d, want 401", resp.StatusCode)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run = %v after graceful shutdown", err)
		}
	case <-time.After(25 * time.Second):
		t.Fatal("run did not return after the in-flight request finished")
	}
}

// TestLogLinesCarryRequestID checks that every log line written while
// serving a request names the request, and that it is the id the response
// carries.
func TestLogLinesCarryRequestID(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	base, cancel, done := serveForTest(t, &logs)
	resp, err := http.Get(base + "/expos/no-such-expo")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	id := resp.Header.Get("X-Request-Id")
	if resp.StatusCode != http.StatusNotFound || id == "" {
		t.Fatalf("status %d, X-Request-Id %q", resp.StatusCode, id)
	}
	cancel()
	<-done
	found := false
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		if rec["msg"] == "request" {
			if rec["request_id"] == nil || rec["route"] == nil {
				t.Errorf("request log line without request_id or route: %s", line)
			}
			if rec["request_id"] == id {
				found = true
				if strings.Contains(line, "no-such-expo") {
					t.Errorf("the log line carries the raw URL, not the route pattern: %s", line)
				}
			}
		}
	}
	if !found {
		t.Errorf("no request log line with request_id %s in:\n%s", id, logs.String())
	}
}
