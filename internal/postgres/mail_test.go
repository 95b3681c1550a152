package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/postgres"
	"expodesk/internal/testdb"
)

// mailT0 is the test clock's start; whole seconds, so that PostgreSQL's
// microsecond timestamps give back the same instants.
var mailT0 = time.Date(2027, 5, 3, 9, 0, 0, 0, time.UTC)

// ticking returns a clock that moves one second forward on every reading, so
// that messages enqueued one after the other have distinct created_at.
func ticking() func() time.Time {
	var n atomic.Int64
	return func() time.Time { return mailT0.Add(time.Duration(n.Add(1)) * time.Second) }
}

func testMail(to string) expodesk.MailMessage {
	return expodesk.MailMessage{ToAddr: to, Lang: expodesk.ES, Subject: "Invitación a expodesk",
		BodyText: "Hola,\n\nhttps://expodesk.example/invitation/abc\n", Kind: expodesk.MailInvitation}
}

func enqueue(t *testing.T, s *postgres.Store, m expodesk.MailMessage) expodesk.MailMessage {
	t.Helper()
	out, err := s.MailEnqueue(context.Background(), m)
	if err != nil {
		t.Fatalf("MailEnqueue: %v", err)
	}
	return out
}

func ids(ms []expodesk.MailMessage) []int64 {
	out := make([]int64, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	return out
}

func TestMailEnqueue(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		s, _ := testdb.Store(t, ticking())
		m := enqueue(t, s, testMail("marc@example.es"))
		if m.ID == 0 || m.Attempts != 0 || m.SentAt != nil || m.LastError != "" {
			t.Errorf("new message = %+v", m)
		}
		if !m.CreatedAt.Equal(m.NextTryAt) || !m.CreatedAt.After(mailT0) {
			t.Errorf("created %v, next try %v: want both the clock's now", m.CreatedAt, m.NextTryAt)
		}
		if m.Status() != expodesk.MailPending {
			t.Errorf("status = %s, want pending", m.Status())
		}
		got, err := s.MailGet(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Subject != "Invitación a expodesk" || got.Lang != expodesk.ES || got.Kind != expodesk.MailInvitation ||
			got.BodyText != m.BodyText {
			t.Errorf("MailGet = %+v", got)
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		t.Parallel()
		s, _ := testdb.Store(t, ticking())
		for name, m := range map[string]expodesk.MailMessage{
			"display name":   testMail("Marc <marc@example.es>"),
			"two recipients": testMail("a@example.es, b@example.es"),
			"header injection": func() expodesk.MailMessage {
				m := testMail("a@example.es")
				m.Subject = "Hi\r\nBcc: x@evil.example"
				return m
			}(),
			"unknown language": func() expodesk.MailMessage { m := testMail("a@example.es"); m.Lang = "fr"; return m }(),
			"empty body":       func() expodesk.MailMessage { m := testMail("a@example.es"); m.BodyText = " "; return m }(),
			"subject too long": func() expodesk.MailMessage {
				m := testMail("a@example.es")
				m.Subject = strings.Repeat("邀", 301)
				return m
			}(),
			"kind missing":       func() expodesk.MailMessage { m := testMail("a@example.es"); m.Kind = ""; return m }(),
			"address is missing": testMail(""),
		} {
			if _, err := s.MailEnqueue(ctx, m); expodesk.ErrorCode(err) != expodesk.EINVALID {
				t.Errorf("%s: err = %v, want invalid", name, err)
			}
		}
	})

	t.Run("RolledBackWithTheChange", func(t *testing.T) {
		t.Parallel()
		s, _ := testdb.Store(t, ticking())
		errChange := errors.New("the change failed")
		err := s.Tx(ctx, func(tx *postgres.Store) error {
			if _, err := tx.MailEnqueue(ctx, testMail("marc@example.es")); err != nil {
				return err
			}
			return errChange
		})
		if !errors.Is(err, errChange) {
			t.Fatalf("Tx = %v", err)
		}
		due, err := s.MailClaimDue(ctx, 10, mailT0.Add(time.Hour), time.Minute)
		if err != nil || len(due) != 0 {
			t.Errorf("after rollback, claimed %v, %v; want nothing", ids(due), err)
		}
	})

	t.Run("CommittedWithTheChange", func(t *testing.T) {
		t.Parallel()
		s, _ := testdb.Store(t, ticking())
		var queued expodesk.MailMessage
		err := s.Tx(ctx, func(tx *postgres.Store) error {
			var err error
			queued, err = tx.MailEnqueue(ctx, testMail("marc@example.es"))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		due, err := s.MailClaimDue(ctx, 10, mailT0.Add(time.Hour), time.Minute)
		if err != nil || len(due) != 1 || due[0].ID != queued.ID {
			t.Errorf("after commit, claimed %v, %v; want [%d]", ids(due), err, queued.ID)
		}
	})
}

func TestMailClaimDue(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	lease := 5 * time.Minute

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		s, _ := testdb.Store(t, ticking())
		a := enqueue(t, s, testMail("a@example.es"))
		b := enqueue(t, s, testMail("b@example.es"))
		now := mailT0.Add(time.Minute)
		got, err := s.MailClaimDue(ctx, 10, now, lease)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(ids(got)) != fmt.Sprint([]int64{a.ID, b.ID}) {
			t.Fatalf("claimed %v, want [%d %d]", ids(got), a.ID, b.ID)
		}
		for _, m := range got {
			if !m.NextTryAt.Equal(now.Add(lease)) {
				t.Errorf("message %d: next try %v, want now+lease %v", m.ID, m.NextTryAt, now.Add(lease))
			}
		}
		// Claimed messages are not claimed again while the lease runs.
		again, err := s.MailClaimDue(ctx, 10, now.Add(lease-time.Second), lease)
		if err != nil || len(again) != 0 {
			t.Errorf("during the lease, claimed %v, %v; want nothing", ids(again), err)
		}
	})

	t.Run("LeaseExpiresAfterACrash", func(t *testing.T) {
		t.Parallel()
		s, _ := testdb.Store(t, ticking())
		m := enqueue(t, s, testMail("a@example.es"))
		now := mailT0.Add(time.Minute)
		if got, err := s.MailClaimDue(ctx, 10, now, lease); err != nil || len(got) != 1 {
			t.Fatalf("first claim: %v, %v", ids(got), err)
		}
		// The worker that claimed it died without marking it: once the lease
		// is over, the message is claimed again.
		got, err := s.MailClaimDue(ctx, 10, now.Add(lease), lease)
		if err != nil || len(got) != 1 || got[0].ID != m.ID {
			t.Errorf("after the lease, claimed %v, %v; want [%d]", ids(got), err, m.ID)
		}
	})

	t.Run("OnlyDueUnsentAndNotGivenUp", func(t *testing.T) {
		t.Parallel()
		s, _ := testdb.Store(t, ticking())
		sent := enqueue(t, s, testMail("sent@example.es"))
		later := enqueue(t, s, testMail("later@example.es"))
		gaveUp := enqueue(t, s, testMail("gaveup@example.es"))
		due := enqueue(t, s, testMail("due@example.es"))
		now := mailT0.Add(time.Minute)
		if err := s.MailMarkSent(ctx, sent.ID, now); err != nil {
			t.Fatal(err)
		}
		if err := s.MailMarkFailed(ctx, later.ID, "451 try later", now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		for range expodesk.MailMaxAttempts {
			if err := s.MailMarkFailed(ctx, gaveUp.ID, "550 no such user", now); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.MailClaimDue(ctx, 10, now, lease)
		if err != nil || fmt.Sprint(ids(got)) != fmt.Sprint([]int64{due.ID}) {
			t.Errorf("claimed %v, %v; want [%d]", ids(got), err, due.ID)
		}
	})

	t.Run("Limit", func(t *testing.T) {
		t.Parallel()
		s, _ := testdb.Store(t, ticking())
		for i := range 5 {
			enqueue(t, s, testMail(fmt.Sprintf("m%d@example.es", i)))
		}
		now := mailT0.Add(time.Minute)
		first, err := s.MailClaimDue(ctx, 3, now, lease)
		if err != nil || len(first) != 3 {
			t.Fatalf("first claim: %v, %v; want 3", ids(first), err)
		}
		rest, err := s.MailClaimDue(ctx, 3, now, lease)
		if err != nil || len(rest) != 2 {
			t.Fatalf("second claim: %v, %v; want 2", ids(rest), err)
		}
	})

	t.Run("ConcurrentWorkersNeverShareAMessage", func(t *testing.T) {
		t.Parallel()
		s, _ := testdb.Store(t, ticking())
		const messages, workers = 60, 6
		for i := range messages {
			enqueue(t, s, testMail(fmt.Sprintf("m%d@example.es", i)))
		}
		now := mailT0.Add(time.Hour)
		var (
			mu     sync.Mutex
			seen   = map[int64]int{}
			wg     sync.WaitGroup
			errs   = make(chan error, workers)
			starts = make(chan struct{})
		)
		for range workers {
			wg.Go(func() {
				<-starts
				for {
					got, err := s.MailClaimDue(ctx, 4, now, lease)
					if err != nil {
						errs <- err
						return
					}
					if len(got) == 0 {
						return
					}
					mu.Lock()
					for _, m := range got {
						seen[m.ID]++
					}
					mu.Unlock()
				}
			})
		}
		close(starts)
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		if len(seen) != messages {
			t.Errorf("claimed %d distinct messages, want %d", len(seen), messages)
		}
		for id, n := range seen {
			if n != 1 {
				t.Errorf("message %d claimed %d times", id, n)
			}
		}
	})
}

func TestMailMark(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("Sent", func(t *testing.T) {
		t.Parallel()
		s, _ := testdb.Store(t, ticking())
		m := enqueue(t, s, testMail("a@example.es"))
		at := mailT0.Add(time.Minute)
		if err := s.MailMarkSent(ctx, m.ID, at); err != nil {
			t.Fatal(err)
		}
		// A second worker that sent it again does not move the time.
		if err := s.MailMarkSent(ctx, m.ID, at.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		got, _ := s.MailGet(ctx, m.ID)
		if got.SentAt == nil || !got.SentAt.Equal(at) || got.Status() != expodesk.MailSent {
			t.Errorf("sent at %v, status %s; want %v, sent", got.SentAt, got.Status(), at)
		}
	})

	t.Run("SentErrNotFound", func(t *testing.T) {
		t.Parallel()
		s, _ := testdb.Store(t, ticking())
		if err := s.MailMarkSent(ctx, 4242, mailT0); !errors.Is(err, expodesk.ErrNotFound) {
			t.Errorf("err = %v, want not found", err)
		}
	})

	t.Run("Failed", func(t *testing.T) {
		t.Parallel()
		s, _ := testdb.Store(t, ticking())
		m := enqueue(t, s, testMail("a@example.es"))
		next := mailT0.Add(30 * time.Minute)
		long := "451 4.3.0 mailbox busy\r\n" + strings.Repeat("很长的错误 ", 200)
		if err := s.MailMarkFailed(ctx, m.ID, long, next); err != nil {
			t.Fatal(err)
		}
		got, _ := s.MailGet(ctx, m.ID)
		if got.Attempts != 1 || !got.NextTryAt.Equal(next) || got.Status() != expodesk.MailPending {
			t.Errorf("after a failure: attempts %d, next try %v, status %s", got.Attempts, got.NextTryAt, got.Status())
		}
		if !strings.HasPrefix(got.LastError, "451 4.3.0 mailbox busy 很长的错误") || strings.ContainsAny(got.LastError, "\r\n") {
			t.Errorf("last error = %q", got.LastError)
		}
		if n := len([]rune(got.LastError)); n > 500 {
			t.Errorf("last error has %d characters, want at most 500", n)
		}
		for range expodesk.MailMaxAttempts - 1 {
			if err := s.MailMarkFailed(ctx, m.ID, "451 again", next); err != nil {
				t.Fatal(err)
			}
		}
		got, _ = s.MailGet(ctx, m.ID)
		if got.Status() != expodesk.MailFailed || got.LastError != "451 again" {
			t.Errorf("after %d failures: status %s, last error %q", got.Attempts, got.Status(), got.LastError)
		}
	})

	t.Run("FailedAfterSentChangesNothing", func(t *testing.T) {
		t.Parallel()
		s, _ := testdb.Store(t, ticking())
		m := enqueue(t, s, testMail("a@example.es"))
		if err := s.MailMarkSent(ctx, m.ID, mailT0); err != nil {
			t.Fatal(err)
		}
		if err := s.MailMarkFailed(ctx, m.ID, "timeout", mailT0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		got, _ := s.MailGet(ctx, m.ID)
		if got.Attempts != 0 || got.LastError != "" || got.Status() != expodesk.MailSent {
			t.Errorf("a sent message was marked failed: %+v", got)
		}
	})
}

func TestMailList(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := testdb.Store(t, ticking())
	expo, err := s.ExpoCreate(ctx, expodesk.Expo{Slug: "iotswc-test",
		Name: expodesk.Text{EN: "IoT Solutions World Congress"}, City: expodesk.Text{EN: "Barcelona"},
		Country: "ES", TimeZone: "Europe/Madrid",
		FirstDay: time.Date(2027, 5, 11, 0, 0, 0, 0, time.UTC), LastDay: time.Date(2027, 5, 13, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	pavilion, err := s.PavilionCreate(ctx, expodesk.Pavilion{ExpoID: expo.ID, Slug: "wuxi-pavilion",
		Name: expodesk.Text{EN: "Wuxi Pavilion", ZH: "无锡馆"}})
	if err != nil {
		t.Fatal(err)
	}
	scoped := func(to string, pavilionID *int64) expodesk.MailMessage {
		m := testMail(to)
		m.ExpoID, m.PavilionID = &expo.ID, pavilionID
		return m
	}
	reset := testMail("organizer@example.es")
	reset.Kind = expodesk.MailPasswordReset
	r := enqueue(t, s, reset)                                    // no scope
	e1 := enqueue(t, s, scoped("expo1@example.es", nil))         // expo-wide
	p1 := enqueue(t, s, scoped("pav1@example.cn", &pavilion.ID)) // in the pavilion
	p2 := enqueue(t, s, scoped("pav2@example.cn", &pavilion.ID))
	if err := s.MailMarkSent(ctx, p1.ID, mailT0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name   string
		filter expodesk.MailFilter
		want   []int64
	}{
		{"All", expodesk.MailFilter{}, []int64{p2.ID, p1.ID, e1.ID, r.ID}},
		{"Expo", expodesk.MailFilter{ExpoID: &expo.ID}, []int64{p2.ID, p1.ID, e1.ID}},
		{"Pavilion", expodesk.MailFilter{ExpoID: &expo.ID, PavilionID: &pavilion.ID}, []int64{p2.ID, p1.ID}},
		{"Sent", expodesk.MailFilter{Status: expodesk.MailSent}, []int64{p1.ID}},
		{"Pending", expodesk.MailFilter{PavilionID: &pavilion.ID, Status: expodesk.MailPending}, []int64{p2.ID}},
		{"Failed", expodesk.MailFilter{Status: expodesk.MailFailed}, []int64{}},
		{"Kind", expodesk.MailFilter{Kind: expodesk.MailPasswordReset}, []int64{r.ID}},
		{"FirstPage", expodesk.MailFilter{Page: 1, PerPage: 3}, []int64{p2.ID, p1.ID, e1.ID}},
		{"SecondPage", expodesk.MailFilter{Page: 2, PerPage: 3}, []int64{r.ID}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.MailList(ctx, tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(ids(got)) != fmt.Sprint(tc.want) {
				t.Errorf("MailList = %v, want %v", ids(got), tc.want)
			}
			n, err := s.MailCount(ctx, tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			if tc.filter.PerPage == 0 && n != len(tc.want) {
				t.Errorf("MailCount = %d, want %d", n, len(tc.want))
			}
		})
	}
	if !r.Private() || e1.Private() {
		t.Errorf("Private: reset %v, invitation %v; want true, false", r.Private(), e1.Private())
	}
	if _, err := s.MailGet(ctx, 4242); !errors.Is(err, expodesk.ErrNotFound) {
		t.Errorf("MailGet(unknown) = %v, want not found", err)
	}
}
