package mail

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"expodesk/internal/expodesk"
	"expodesk/internal/postgres"
	"expodesk/internal/testdb"
)

// sink is an in-process SMTP server that keeps what it receives.
type sink struct {
	addr     string
	user     string // when set, MAIL needs AUTH PLAIN as user/pass
	pass     string
	mu       sync.Mutex
	received []received
	failNext int // DATA commands still to answer with a temporary error
}

type received struct {
	From string
	To   []string
	Data []byte
}

type sinkOptions struct {
	user, pass string
	tls        *tls.Config // offer STARTTLS with this configuration
}

func startSink(t *testing.T, opts sinkOptions) *sink {
	t.Helper()
	s := &sink{user: opts.user, pass: opts.pass}
	srv := smtp.NewServer(s)
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.TLSConfig = opts.tls
	// Tests without TLS still exercise authentication (go-mail sends PLAIN
	// to localhost only).
	srv.AllowInsecureAuth = opts.tls == nil
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = l.Addr().String()
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

func (s *sink) failNextData(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failNext = n
}

func (s *sink) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.received...)
}

// config returns an SMTP configuration that reaches s without TLS.
func (s *sink) config() SMTPConfig {
	host, port, _ := net.SplitHostPort(s.addr)
	p, _ := strconv.Atoi(port)
	return SMTPConfig{Host: host, Port: p, Username: s.user, Password: s.pass,
		From: "expodesk <noreply@expodesk.example>", TLS: TLSNone}
}

func (s *sink) NewSession(*smtp.Conn) (smtp.Session, error) { return &sinkSession{sink: s}, nil }

type sinkSession struct {
	sink   *sink
	authed bool
	from   string
	to     []string
}

func (ss *sinkSession) AuthMechanisms() []string {
	if ss.sink.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *sinkSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, username, password string) error {
		if username != ss.sink.user || password != ss.sink.pass {
			return smtp.ErrAuthFailed
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *sinkSession) Mail(from string, _ *smtp.MailOptions) error {
	if ss.sink.user != "" && !ss.authed {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}

func (ss *sinkSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.sink.mu.Lock()
	defer ss.sink.mu.Unlock()
	if ss.sink.failNext > 0 {
		ss.sink.failNext--
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Mailbox busy, try again later"}
	}
	ss.sink.received = append(ss.sink.received, received{From: ss.from, To: ss.to, Data: data})
	return nil
}

func (ss *sinkSession) Reset()        { ss.from, ss.to = "", nil }
func (ss *sinkSession) Logout() error { return nil }

// decoded is a received message after MIME decoding.
type decoded struct {
	Header  netmail.Header
	Subject string
	Body    string
}

func decode(t *testing.T, raw []byte) decoded {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("read message: %v\n%s", err, raw)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("decode subject: %v", err)
	}
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mediaType != "text/plain" || !strings.EqualFold(params["charset"], "utf-8") {
		t.Fatalf("Content-Type = %q (%v), want text/plain; charset=UTF-8", msg.Header.Get("Content-Type"), err)
	}
	body := msg.Body
	switch cte := strings.ToLower(msg.Header.Get("Content-Transfer-Encoding")); cte {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "", "7bit", "8bit":
	default:
		t.Fatalf("unexpected Content-Transfer-Encoding %q", cte)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatalf("decode body: %v", err)
	}
	return decoded{Header: msg.Header, Subject: subject, Body: strings.ReplaceAll(string(b), "\r\n", "\n")}
}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2027, 5, 3, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func testLogger(t *testing.T) *slog.Logger {
	if !testing.Verbose() {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(slog.NewTextHandler(testWriter{t}, nil))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// logBuffer collects log lines so that tests can check what they carry.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

type testEnv struct {
	t     *testing.T
	clock *clock
	store *postgres.Store
	sink  *sink
	comp  *Composer
}

func newEnv(t *testing.T, opts sinkOptions) *testEnv {
	t.Helper()
	c := newClock()
	store, _ := testdb.Store(t, c.Now)
	return &testEnv{t: t, clock: c, store: store, sink: startSink(t, opts), comp: newComposer(t)}
}

func (e *testEnv) worker(log *slog.Logger) *Worker {
	e.t.Helper()
	sender, err := NewSMTPSender(e.sink.config())
	if err != nil {
		e.t.Fatal(err)
	}
	if log == nil {
		log = testLogger(e.t)
	}
	w := NewWorker(e.store, sender, log, e.clock.Now)
	w.SendTimeout = 10 * time.Second
	return w
}

func (e *testEnv) enqueue(m expodesk.MailMessage) expodesk.MailMessage {
	e.t.Helper()
	var out expodesk.MailMessage
	err := e.store.Tx(context.Background(), func(tx *postgres.Store) error {
		var err error
		out, err = tx.MailEnqueue(context.Background(), m)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

func (e *testEnv) get(id int64) expodesk.MailMessage {
	e.t.Helper()
	m, err := e.store.MailGet(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return m
}

func TestWorker(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	expires := time.Date(2027, 10, 20, 2, 30, 0, 0, time.UTC)

	t.Run("DeliversInTheRecipientsLanguage", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, sinkOptions{user: "expodesk", pass: "s3cret-pass"})
		invite := e.enqueue(e.comp.Message("li.na@example.cn", expodesk.ZH, Invitation{Role: InviteTeamMember,
			Link: "https://expodesk.example/invitations/tok-zh", Inviter: "王伟", Company: "太湖传感",
			Expo: "世界物联网博览会", ExpiresAt: expires, Zone: zone(t, "Asia/Shanghai")}))
		reset := e.enqueue(e.comp.Message("marc@example.es", expodesk.ES, PasswordReset{
			Link: "https://expodesk.example/reset/tok-es", ExpiresAt: expires, Zone: zone(t, "Europe/Madrid")}))

		var logs logBuffer
		w := e.worker(slog.New(slog.NewTextHandler(&logs, nil)))
		if n, err := w.RunOnce(ctx); err != nil || n != 2 {
			t.Fatalf("RunOnce = %d, %v; want 2", n, err)
		}
		got := e.sink.messages()
		if len(got) != 2 {
			t.Fatalf("the server received %d messages, want 2", len(got))
		}
		byTo := map[string]decoded{}
		for _, r := range got {
			if len(r.To) != 1 || r.From != "noreply@expodesk.example" {
				t.Errorf("envelope from %q to %v", r.From, r.To)
			}
			byTo[r.To[0]] = decode(t, r.Data)
		}

		zh := byTo["li.na@example.cn"]
		if zh.Subject != "王伟邀请您加入 expodesk 上的太湖传感团队" {
			t.Errorf("Chinese subject = %q", zh.Subject)
		}
		for _, want := range []string{"您好：", "王伟邀请您加入太湖传感在 expodesk 上的团队（世界物联网博览会）。",
			"如接受邀请，请打开以下链接并设置密码：\nhttps://expodesk.example/invitations/tok-zh",
			"有效期至2027年10月20日 10:30（CST）。"} {
			if !strings.Contains(zh.Body, want) {
				t.Errorf("Chinese body lacks %q:\n%s", want, zh.Body)
			}
		}
		es := byTo["marc@example.es"]
		if es.Subject != "Restablezca su contraseña de expodesk" {
			t.Errorf("Spanish subject = %q", es.Subject)
		}
		for _, want := range []string{"Hola:", "https://expodesk.example/reset/tok-es",
			"válido hasta el 20 de octubre de 2027, 04:30 (CEST).", "su contraseña no cambiará"} {
			if !strings.Contains(es.Body, want) {
				t.Errorf("Spanish body lacks %q:\n%s", want, es.Body)
			}
		}
		for to, d := range byTo {
			if from, err := d.Header.AddressList("From"); err != nil || len(from) != 1 ||
				from[0].Address != "noreply@expodesk.example" || from[0].Name != "expodesk" {
				t.Errorf("%s: From = %q", to, d.Header.Get("From"))
			}
			if id := d.Header.Get("Message-Id"); !strings.HasSuffix(id, "@expodesk.example>") {
				t.Errorf("%s: Message-ID = %q", to, id)
			}
			// The Date is when the message went out, by the real clock.
			if date, err := d.Header.Date(); err != nil || time.Since(date).Abs() > time.Minute {
				t.Errorf("%s: Date = %q (%v)", to, d.Header.Get("Date"), err)
			}
			if ua := d.Header.Get("User-Agent") + d.Header.Get("X-Mailer"); ua != "" {
				t.Errorf("%s: the message names its mailer: %q", to, ua)
			}
			if d.Header.Get("Auto-Submitted") != "auto-generated" {
				t.Errorf("%s: Auto-Submitted = %q", to, d.Header.Get("Auto-Submitted"))
			}
		}
		for _, m := range []expodesk.MailMessage{invite, reset} {
			if got := e.get(m.ID); got.SentAt == nil || !got.SentAt.Equal(e.clock.Now()) || got.Attempts != 0 {
				t.Errorf("message %d after sending: sent at %v, attempts %d", m.ID, got.SentAt, got.Attempts)
			}
		}
		// Logs name the message and the recipient's domain, never the body's
		// tokens nor the whole address.
		for _, secret := range []string{"tok-zh", "tok-es", "li.na@", "marc@", "s3cret-pass"} {
			if strings.Contains(logs.String(), secret) {
				t.Errorf("logs hold %q:\n%s", secret, logs.String())
			}
		}
		if !strings.Contains(logs.String(), "to_domain=example.cn") {
			t.Errorf("logs lack the recipient domain:\n%s", logs.String())
		}
		if n, err := w.RunOnce(ctx); err != nil || n != 0 {
			t.Errorf("second round claimed %d, %v; want nothing", n, err)
		}
	})

	t.Run("RolledBackChangeSendsNothing", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, sinkOptions{})
		errChange := errors.New("the invitation could not be saved")
		err := e.store.Tx(ctx, func(tx *postgres.Store) error {
			if _, err := tx.MailEnqueue(ctx, e.comp.Message("li.na@example.cn", expodesk.ZH,
				PasswordReset{Link: "https://expodesk.example/reset/x", ExpiresAt: expires})); err != nil {
				return err
			}
			return errChange
		})
		if !errors.Is(err, errChange) {
			t.Fatal(err)
		}
		if n, err := e.worker(nil).RunOnce(ctx); err != nil || n != 0 {
			t.Errorf("RunOnce = %d, %v; want nothing claimed", n, err)
		}
		if got := e.sink.messages(); len(got) != 0 {
			t.Errorf("the server received %d messages, want none", len(got))
		}
	})

	t.Run("TemporaryErrorIsRetriedLater", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, sinkOptions{user: "expodesk", pass: "s3cret-pass"})
		m := e.enqueue(e.comp.Message("marc@example.es", expodesk.ES, PasswordChanged{At: expires}))
		e.sink.failNextData(1)
		var logs logBuffer
		w := e.worker(slog.New(slog.NewTextHandler(&logs, nil)))
		if n, err := w.RunOnce(ctx); err != nil || n != 1 {
			t.Fatalf("RunOnce = %d, %v", n, err)
		}
		failed := e.get(m.ID)
		if failed.Attempts != 1 || failed.SentAt != nil || !failed.NextTryAt.Equal(e.clock.Now().Add(Backoff(0))) {
			t.Errorf("after a 451: attempts %d, sent %v, next try %v (now %v)",
				failed.Attempts, failed.SentAt, failed.NextTryAt, e.clock.Now())
		}
		if !strings.Contains(failed.LastError, "451") || strings.Contains(failed.LastError, "s3cret-pass") ||
			strings.Contains(failed.LastError, "marc@example.es") {
			t.Errorf("last error = %q", failed.LastError)
		}
		if !strings.Contains(logs.String(), "will retry") || strings.Contains(logs.String(), "marc@example.es") {
			t.Errorf("logs:\n%s", logs.String())
		}
		// Not due yet.
		e.clock.Add(Backoff(0) - time.Second)
		if n, err := w.RunOnce(ctx); err != nil || n != 0 {
			t.Fatalf("before the backoff ends, RunOnce = %d, %v; want nothing", n, err)
		}
		e.clock.Add(time.Second)
		if n, err := w.RunOnce(ctx); err != nil || n != 1 {
			t.Fatalf("after the backoff, RunOnce = %d, %v; want 1", n, err)
		}
		sent := e.get(m.ID)
		if sent.SentAt == nil || sent.Attempts != 1 || sent.LastError != "" {
			t.Errorf("after the retry: sent %v, attempts %d, last error %q", sent.SentAt, sent.Attempts, sent.LastError)
		}
		if got := e.sink.messages(); len(got) != 1 || decode(t, got[0].Data).Subject != "Se ha cambiado su contraseña de expodesk" {
			t.Errorf("the server received %d messages", len(got))
		}
	})

	t.Run("GivesUpAfterMaxAttempts", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, sinkOptions{})
		m := e.enqueue(e.comp.Message("marc@example.es", expodesk.EN, PasswordChanged{At: expires}))
		e.sink.failNextData(expodesk.MailMaxAttempts + 5)
		w := e.worker(nil)
		for i := range expodesk.MailMaxAttempts {
			if n, err := w.RunOnce(ctx); err != nil || n != 1 {
				t.Fatalf("attempt %d: RunOnce = %d, %v", i+1, n, err)
			}
			e.clock.Add(time.Hour)
		}
		if n, err := w.RunOnce(ctx); err != nil || n != 0 {
			t.Errorf("after giving up, RunOnce = %d, %v; want nothing", n, err)
		}
		got := e.get(m.ID)
		if got.Status() != expodesk.MailFailed || got.Attempts != expodesk.MailMaxAttempts || !strings.Contains(got.LastError, "451") {
			t.Errorf("given up message: status %s, attempts %d, last error %q", got.Status(), got.Attempts, got.LastError)
		}
	})

	t.Run("TwoWorkersNeverSendAMessageTwice", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, sinkOptions{})
		const messages = 40
		for i := range messages {
			e.enqueue(e.comp.Message(fmt.Sprintf("exhibitor%02d@example.cn", i), expodesk.ZH,
				PasswordChanged{At: expires}))
		}
		workers := []*Worker{e.worker(nil), e.worker(nil)}
		var wg sync.WaitGroup
		claimed := make([]int, len(workers))
		errs := make(chan error, len(workers))
		for i, w := range workers {
			w.Batch = 3
			wg.Go(func() {
				for {
					n, err := w.RunOnce(ctx)
					if err != nil {
						errs <- err
						return
					}
					if n == 0 {
						return
					}
					claimed[i] += n
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for _, r := range e.sink.messages() {
			seen[r.To[0]]++
		}
		if len(seen) != messages {
			t.Errorf("%d recipients got mail, want %d", len(seen), messages)
		}
		for to, n := range seen {
			if n != 1 {
				t.Errorf("%s got %d copies", to, n)
			}
		}
		t.Logf("the workers sent %v", claimed)
		pending, err := e.store.MailCount(ctx, expodesk.MailFilter{Status: expodesk.MailPending})
		if err != nil || pending != 0 {
			t.Errorf("pending after both workers: %d, %v", pending, err)
		}
	})

	t.Run("RunSendsOnWakeAndStopsOnCancel", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, sinkOptions{})
		w := e.worker(nil)
		w.Interval = time.Hour // only Wake makes it look again
		runCtx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			w.Run(runCtx)
			close(done)
		}()
		m := e.enqueue(e.comp.Message("marc@example.es", expodesk.ES, PasswordChanged{At: expires}))
		w.Wake()
		deadline := time.Now().Add(10 * time.Second)
		for e.get(m.ID).SentAt == nil {
			if time.Now().After(deadline) {
				t.Fatal("the woken worker did not send the message")
			}
			time.Sleep(20 * time.Millisecond)
		}
		cancel()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("Run did not return after its context ended")
		}
		if got := e.sink.messages(); len(got) != 1 {
			t.Errorf("the server received %d messages, want 1", len(got))
		}
	})

	t.Run("StopsBeforeTheLeaseRunsOut", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, sinkOptions{})
		for i := range 3 {
			e.enqueue(e.comp.Message(fmt.Sprintf("m%d@example.es", i), expodesk.ES, PasswordChanged{At: expires}))
		}
		// A sender so slow that the lease is nearly over after the first message.
		w := NewWorker(e.store, slowSender{clock: e.clock, step: 4*time.Minute + 40*time.Second}, testLogger(t), e.clock.Now)
		w.Lease, w.SendTimeout = 5*time.Minute, 30*time.Second
		if n, err := w.RunOnce(ctx); err != nil || n != 3 {
			t.Fatalf("RunOnce = %d, %v", n, err)
		}
		sent, err := e.store.MailCount(ctx, expodesk.MailFilter{Status: expodesk.MailSent})
		if err != nil || sent != 1 {
			t.Errorf("sent %d, %v; want 1 (the rest waits for the lease to end)", sent, err)
		}
	})
}

// slowSender pretends each send takes step on the test clock.
type slowSender struct {
	clock *clock
	step  time.Duration
}

func (s slowSender) Send(context.Context, string, string, string) error {
	s.clock.Add(s.step)
	return nil
}

func TestSMTPSender(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("STARTTLSWithAuth", func(t *testing.T) {
		t.Parallel()
		serverTLS, clientTLS := selfSigned(t)
		s := startSink(t, sinkOptions{user: "expodesk", pass: "s3cret-pass", tls: serverTLS})
		cfg := s.config()
		cfg.TLS = TLSStartTLS
		sender, err := NewSMTPSender(cfg)
		if err != nil {
			t.Fatal(err)
		}
		sender.tlsConfig = clientTLS
		if err := sender.Send(ctx, "li.na@example.cn", "您好，世界", "无锡馆欢迎您。\n"); err != nil {
			t.Fatal(err)
		}
		got := s.messages()
		if len(got) != 1 {
			t.Fatalf("received %d messages", len(got))
		}
		if d := decode(t, got[0].Data); d.Subject != "您好，世界" || d.Body != "无锡馆欢迎您。\n" {
			t.Errorf("subject %q, body %q", d.Subject, d.Body)
		}
	})

	t.Run("ErrSTARTTLSRequired", func(t *testing.T) {
		t.Parallel()
		s := startSink(t, sinkOptions{}) // offers no STARTTLS
		cfg := s.config()
		cfg.TLS = TLSStartTLS
		sender, err := NewSMTPSender(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if err := sender.Send(ctx, "a@example.es", "Hola", "Hola\n"); err == nil {
			t.Error("sent over a connection without STARTTLS")
		}
		if got := s.messages(); len(got) != 0 {
			t.Errorf("received %d messages", len(got))
		}
	})

	t.Run("ErrWrongPasswordIsNotEchoed", func(t *testing.T) {
		t.Parallel()
		s := startSink(t, sinkOptions{user: "expodesk", pass: "right-pass"})
		cfg := s.config()
		cfg.Password = "wrong-pass"
		sender, err := NewSMTPSender(cfg)
		if err != nil {
			t.Fatal(err)
		}
		err = sender.Send(ctx, "a@example.es", "Hola", "Hola\n")
		if err == nil || strings.Contains(err.Error(), "wrong-pass") {
			t.Errorf("Send = %v; want an error without the password", err)
		}
	})

	t.Run("RedactsThePassword", func(t *testing.T) {
		t.Parallel()
		sender := &SMTPSender{cfg: SMTPConfig{Password: "hunter2"}}
		cause := errors.New("535 authentication failed for expodesk:hunter2")
		err := sender.redact(cause)
		if strings.Contains(err.Error(), "hunter2") || !errors.Is(err, cause) {
			t.Errorf("redact = %q", err)
		}
	})
}

// selfSigned returns a server TLS configuration for 127.0.0.1 and a client
// configuration that trusts it.
func selfSigned(t *testing.T) (server, client *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "expodesk test SMTP"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:         true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	server = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}, MinVersion: tls.VersionTLS12}
	client = &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
	return server, client
}
