package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"expodesk/internal/demo"
	"expodesk/internal/expodesk"
	"expodesk/internal/metrics/metricstest"
	"expodesk/internal/pgcluster"
	"expodesk/internal/postgres"
	"expodesk/internal/testdb"
	"expodesk/internal/totp"
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
		{name: "NoMetricsByDefault", vars: map[string]string{}, check: func(t *testing.T, c config) {
			if c.MetricsAddr != "" || c.MetricsToken != "" {
				t.Errorf("metrics configured by default: %+v", c)
			}
		}},
		{name: "Metrics", vars: map[string]string{"METRICS_ADDR": "127.0.0.1:9090", "METRICS_TOKEN": " 0123456789abcdef0123 \n"}, check: func(t *testing.T, c config) {
			if c.MetricsAddr != "127.0.0.1:9090" || c.MetricsToken != "0123456789abcdef0123" {
				t.Errorf("got %q, %q", c.MetricsAddr, c.MetricsToken)
			}
		}},
		{name: "ErrBadMetricsAddr", vars: map[string]string{"METRICS_ADDR": "9090"}, wantErr: "METRICS_ADDR"},
		{name: "ErrShortMetricsToken", vars: map[string]string{"METRICS_TOKEN": "secret"}, wantErr: "METRICS_TOKEN"},
		{name: "ErrBlankMetricsToken", vars: map[string]string{"METRICS_TOKEN": "   "}, wantErr: "METRICS_TOKEN"},
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

// TestHelpNeedsNoDatabase: a newcomer without DATABASE_URL can read what
// the commands are; help goes to stdout with status 0.
func TestHelpNeedsNoDatabase(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"--help"}, {"-h"}, {"help"}, {"serve", "--help"}, {"serve", "--demo", "-h"},
		{"organizer", "create", "--help"}, {"organizer", "--help"}, {"migrate", "--help"}, {"demo", "--help"},
		{"backup", "--help"}, {"restore", "-h"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), args, env(nil), strings.NewReader(""), &stdout, &stderr)
			if err != nil || exitCode(err) != 0 {
				t.Fatalf("err = %v (exit %d), want usage and exit 0", err, exitCode(err))
			}
			if !strings.Contains(stdout.String(), "Usage") || stderr.Len() != 0 {
				t.Errorf("stdout %q, stderr %q; want usage on stdout only", stdout.String(), stderr.String())
			}
		})
	}
	t.Run("FlagsOfTheCommand", func(t *testing.T) {
		var stdout bytes.Buffer
		if err := run(context.Background(), []string{"organizer", "create", "--help"}, env(nil), strings.NewReader(""), &stdout, io.Discard); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"-email", "-family-name", "-pavilion", "-password-stdin"} {
			if !strings.Contains(stdout.String(), f) {
				t.Errorf("organizer create --help does not describe %s:\n%s", f, stdout.String())
			}
		}
	})
}

// TestBadCommandLineExits2: an unknown command or flag prints the usage on
// stderr and exits with status 2, before asking for a database.
func TestBadCommandLineExits2(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"frobnicate"}, {"serve", "--bogus"}, {"migrate", "sideways"}, {"organizer", "delete"}, {"organizer", "create", "--nope"},
		{"backup"}, {"backup", "--out", "x.dump", "extra"}, {"restore", "--force"}, {"restore", "--in"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), args, env(nil), strings.NewReader(""), &stdout, &stderr)
			if exitCode(err) != 2 {
				t.Fatalf("err = %v (exit %d), want exit 2", err, exitCode(err))
			}
			if stdout.Len() != 0 || !strings.Contains(strings.ToLower(stderr.String()), "usage") {
				t.Errorf("stdout %q, stderr %q; want usage on stderr only", stdout.String(), stderr.String())
			}
		})
	}
	if c := exitCode(fmt.Errorf("connect: %w", io.EOF)); c != 1 {
		t.Errorf("exit code of an ordinary error = %d, want 1", c)
	}
}

func TestListenAddr(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		cfg  config
		flag string
		demo bool
		want string
	}{
		{"DemoLoopbackOnly", config{Port: "8080"}, "", true, "127.0.0.1:8080"},
		{"DeploymentAllInterfaces", config{Port: "8080"}, "", false, ":8080"},
		{"HostChosen", config{Port: "9000", Host: "0.0.0.0"}, "", true, "0.0.0.0:9000"},
		{"HostIPv6", config{Port: "9000", Host: "::1"}, "", true, "[::1]:9000"},
		{"AddrVariable", config{Port: "9000", Host: "10.0.0.1", Addr: "192.0.2.7:7000"}, "", true, "192.0.2.7:7000"},
		{"FlagWins", config{Port: "9000", Addr: "192.0.2.7:7000"}, ":8443", true, ":8443"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := listenAddr(tc.cfg, tc.flag, tc.demo); got != tc.want {
				t.Errorf("listenAddr = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestDemoServesOnLoopback runs `serve --demo` as make run does (PORT only)
// and checks that it listens on 127.0.0.1, not every interface: the demo's
// passwords are printed on the terminal and in the README.
func TestDemoServesOnLoopback(t *testing.T) {
	t.Parallel()
	port, err := pgcluster.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	var logs, out syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	vars := env(map[string]string{"DATABASE_URL": testdb.URL(t), "PORT": fmt.Sprint(port)})
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "--demo"}, vars, strings.NewReader(""), &out, &logs) }()
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(out.String(), "expodesk is serving") {
		select {
		case err := <-done:
			t.Fatalf("serve ended: %v\n%s", err, logs.String())
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("serve --demo did not start in 60s")
		}
	}
	want := fmt.Sprintf(`"addr":"127.0.0.1:%d"`, port)
	if !strings.Contains(logs.String(), want) {
		t.Errorf("serve --demo did not log %s; it listens elsewhere:\n%s", want, logs.String())
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run = %v", err)
	}
}

// TestDemoPrintsOnlyUnusedRecoveryCodes: a second `expodesk demo` (a second
// make run) lists the codes each demo login can still use, not spent ones.
func TestDemoPrintsOnlyUnusedRecoveryCodes(t *testing.T) {
	t.Parallel()
	url := testdb.URL(t)
	vars := env(map[string]string{"DATABASE_URL": url})
	var first bytes.Buffer
	if err := run(context.Background(), []string{"demo"}, vars, strings.NewReader(""), &first, io.Discard); err != nil {
		t.Fatal(err)
	}
	codes := demo.RecoveryCodes()
	if !strings.Contains(first.String(), codes[0]) || !strings.Contains(first.String(), "10 of 10") {
		t.Fatalf("first load does not print the ten codes:\n%s", first.String())
	}
	pool, err := postgres.Open(context.Background(), url, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	s := postgres.New(pool, time.Now)
	org, err := s.UserGetByEmail(context.Background(), demo.Logins()[0].Email)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := s.RecoveryCodeUse(context.Background(), org.ID, totp.HashRecoveryCode(codes[0])); err != nil || !ok {
		t.Fatalf("spend a code: %v %v", ok, err)
	}
	var second bytes.Buffer
	if err := run(context.Background(), []string{"demo"}, vars, strings.NewReader(""), &second, io.Discard); err != nil {
		t.Fatal(err)
	}
	var orgLine string
	lines := strings.Split(second.String(), "\n")
	for i, l := range lines {
		if strings.Contains(l, org.Email) && i+2 < len(lines) {
			orgLine = strings.Join(lines[i:i+3], "\n")
		}
	}
	if !strings.Contains(orgLine, "9 of 10") || strings.Contains(orgLine, codes[0]) || !strings.Contains(orgLine, codes[1]) {
		t.Errorf("organizer's codes after spending %s:\n%s", codes[0], second.String())
	}
	// The spent code still works for the coordinator, who has not used it.
	if !strings.Contains(second.String(), "10 of 10") {
		t.Errorf("the coordinator's codes are not all listed:\n%s", second.String())
	}
	// Listing them spent nothing.
	if n, err := s.RecoveryCodesLeft(context.Background(), org.ID); err != nil || n != 9 {
		t.Errorf("recovery codes left = %d (%v), want 9", n, err)
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
		// A sentence, as the sign-up form says it, not the policy's key.
		if err == nil || !strings.Contains(err.Error(), "Use at least 8 characters") || strings.Contains(err.Error(), "too_short") {
			t.Fatalf("err = %v, want the English sentence for password.too_short", err)
		}
	})
	t.Run("PavilionCoordinator", func(t *testing.T) {
		if err := run(context.Background(), []string{"demo"}, vars, strings.NewReader(""), io.Discard, io.Discard); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		err := run(context.Background(), []string{"organizer", "create", "--email", "li@example.org", "--family-name", "Li",
			"--pavilion", "iotswc-2027/wuxi-pavilion", "--password-stdin"}, vars, strings.NewReader("Barcelona sensors in May\n"), &out, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(out.String(), "Pavilion coordinator li@example.org of ") || !strings.Contains(out.String(), "(iotswc-2027/wuxi-pavilion) created") {
			t.Errorf("stdout = %q, want it to say a pavilion coordinator was created", out.String())
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
	return serveForTestWith(t, stderr, nil)
}

// serveForTestWith is serveForTest with more environment variables.
func serveForTestWith(t *testing.T, stderr io.Writer, extra map[string]string) (string, context.CancelFunc, <-chan error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	port, err := pgcluster.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	vars := map[string]string{"DATABASE_URL": testdb.URL(t), "LOG_LEVEL": "info", "BASE_URL": "https://expo.example.org"}
	maps.Copy(vars, extra)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", fmt.Sprintf("127.0.0.1:%d", port)}, env(vars), strings.NewReader(""), io.Discard, stderr)
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

// TestServeMetrics runs `expodesk serve` with METRICS_ADDR and
// METRICS_TOKEN: the metrics listener serves /metrics (and nothing else)
// in the Prometheus format, the app port only to the token's holder, and
// both stop with the server.
func TestServeMetrics(t *testing.T) {
	t.Parallel()
	port, err := pgcluster.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	const token = "run-test-metrics-token-0123456789"
	metricsBase := fmt.Sprintf("http://127.0.0.1:%d", port)
	base, cancel, done := serveForTestWith(t, io.Discard, map[string]string{
		"METRICS_ADDR": fmt.Sprintf("127.0.0.1:%d", port), "METRICS_TOKEN": token})
	defer cancel()
	get := func(url, auth string) (*http.Response, []byte) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, url, nil)
		if err != nil {
			t.Fatal(err)
		}
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, b
	}
	for _, c := range []struct{ name, url, auth string }{
		{"Listener", metricsBase + "/metrics", ""},
		{"AppPortWithToken", base + "/metrics", "Bearer " + token},
	} {
		resp, body := get(c.url, c.auth)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: GET /metrics = %d", c.name, resp.StatusCode)
		}
		fams, err := metricstest.Parse(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("%s: the scrape does not parse: %v", c.name, err)
		}
		if v, _ := fams.Value("expodesk_db_pool_max_conns", nil); v != 20 {
			t.Errorf("%s: max_conns = %v, want DB_MAX_CONNS's default 20", c.name, v)
		}
		// serveForTest waited on /livez: counted under its pattern.
		if v, _ := fams.Value("expodesk_http_requests_total", map[string]string{"route": "/livez", "status": "2xx"}); v < 1 {
			t.Errorf("%s: /livez requests = %v", c.name, v)
		}
		for _, name := range []string{"go_goroutines", "process_resident_memory_bytes", "expodesk_outbox_pending",
			"expodesk_page_cache_requests_total", "expodesk_directory_model_answers_total"} {
			if fams[name] == nil {
				t.Errorf("%s: no %s", c.name, name)
			}
		}
	}
	for _, c := range []struct{ name, url, auth string }{
		{"AppPortWithoutToken", base + "/metrics", ""},
		{"AppPortWrongToken", base + "/metrics", "Bearer " + strings.Repeat("x", len(token))},
		{"ListenerServesOnlyMetrics", metricsBase + "/livez", ""},
	} {
		if resp, _ := get(c.url, c.auth); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", c.name, resp.StatusCode)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run = %v", err)
	}
	http.DefaultClient.CloseIdleConnections()
	if resp, err := http.Get(metricsBase + "/metrics"); err == nil {
		resp.Body.Close()
		t.Error("the metrics listener still answers after the server stopped")
	}
}

// TestServeRefusesATakenMetricsAddr: a METRICS_ADDR that cannot be bound
// stops the start, rather than serving without the metrics asked for.
func TestServeRefusesATakenMetricsAddr(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port, err := pgcluster.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	vars := env(map[string]string{"DATABASE_URL": testdb.URL(t), "BASE_URL": "https://expo.example.org", "METRICS_ADDR": ln.Addr().String()})
	err = run(context.Background(), []string{"serve", "--addr", fmt.Sprintf("127.0.0.1:%d", port)}, vars, strings.NewReader(""), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "METRICS_ADDR") {
		t.Fatalf("run = %v, want an error naming METRICS_ADDR", err)
	}
}
