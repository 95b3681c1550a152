package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"expodesk/internal/cluster"
	"expodesk/internal/httpserve"
)

// helloCommand is the hidden subcommand that runs the hello-world server:
// the benchmark starts itself again, so that the reference is a process of
// its own like expodesk, with the same Go runtime defaults (GOMAXPROCS).
const helloCommand = "hello-server"

// helloBody is what the hello-world handler writes.
const helloBody = "Hello, World!\n"

// serveHello serves helloBody on --addr until ctx ends.
func serveHello(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet(helloCommand, flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:0", "address to listen on")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("hello-world: %w", err)
	}
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			_, _ = io.WriteString(w, helloBody)
		}),
		ReadHeaderTimeout: 5 * time.Second,
	}
	return httpserve.Until(ctx, srv, ln, 5*time.Second, nil)
}

// process is a server the benchmark started. Its output goes to a logSink,
// not a file: a server that logs on every request would fill the disk.
type process struct {
	*cluster.Process
	log *logSink
}

func startProcess(name string, env []string, bin string, args ...string) (*process, error) {
	sink := &logSink{}
	p, err := cluster.StartProcess(name, env, sink, bin, args...)
	if err != nil {
		return nil, err
	}
	return &process{Process: p, log: sink}, nil
}

// stop asks the process to shut down gracefully (SIGTERM) and kills it if
// it has not within 30 s. A server that had to be killed, or ended with an
// error, is reported on stderr: the figures stand, but it wants a look.
func (p *process) stop() {
	if err := p.Stop(30 * time.Second); err != nil {
		logf(os.Stderr, "%s: %v", p.Name, err)
	}
}

// exited returns an error with the end of the log when the process has ended.
func (p *process) exited() error {
	select {
	case <-p.Done():
		return fmt.Errorf("%s exited (%v); the end of its output:\n%s", p.Name, p.ExitErr(), strings.Join(p.log.last(), "\n"))
	default:
		return nil
	}
}

// logSink counts the lines a process writes and keeps the first few after
// a mark and the last few, in bounded memory.
type logSink struct {
	mu        sync.Mutex
	partial   []byte
	lines     int
	markLines int
	marked    bool
	afterMark []string // the first lines after the mark
	tail      []string // the last lines
}

const (
	sinkKeepAfterMark = 5
	sinkKeepTail      = 20
	sinkMaxLine       = 2000 // longer lines are cut when kept
)

func (s *logSink) Write(b []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(b)
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			if len(s.partial) < sinkMaxLine {
				s.partial = append(s.partial, b[:min(len(b), sinkMaxLine-len(s.partial))]...)
			}
			break
		}
		line := b[:i]
		if len(s.partial) > 0 {
			line = append(s.partial, line[:min(len(line), max(0, sinkMaxLine-len(s.partial)))]...)
			s.partial = nil
		}
		s.keep(string(line[:min(len(line), sinkMaxLine)]))
		b = b[i+1:]
	}
	return n, nil
}

func (s *logSink) keep(line string) {
	s.lines++
	if s.marked && len(s.afterMark) < sinkKeepAfterMark {
		s.afterMark = append(s.afterMark, line)
	}
	if len(s.tail) == sinkKeepTail {
		s.tail = append(s.tail[:0], s.tail[1:]...)
	}
	s.tail = append(s.tail, line)
}

// mark starts counting the lines that since returns.
func (s *logSink) mark() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.marked, s.markLines, s.afterMark = true, s.lines, nil
}

// since returns how many lines were written after the mark, and the first few.
func (s *logSink) since() (int, []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lines - s.markLines, append([]string(nil), s.afterMark...)
}

func (s *logSink) last() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.tail...)
}

var httpClient = &http.Client{Timeout: 10 * time.Second}

// waitReady polls url until it answers 200, the process ends or 60 s pass.
func waitReady(ctx context.Context, p *process, url string) error {
	deadline := time.Now().Add(60 * time.Second)
	for {
		if err := p.exited(); err != nil {
			return err
		}
		if resp, err := httpClient.Get(url); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not ready at %s after 60 s; the end of its output:\n%s", p.Name, url, strings.Join(p.log.last(), "\n"))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// settle waits until the server has worked off the backlog a load run
// leaves behind (wrk stops sending, but requests already queued for the
// database still run), so that one page's backlog does not slow the next
// page's run: it returns once url has answered in under 20 ms twice in a
// row, or after 60 s.
func settle(ctx context.Context, url string) {
	deadline := time.Now().Add(60 * time.Second)
	fast := 0
	for fast < 2 && time.Now().Before(deadline) {
		start := time.Now()
		if resp, err := httpClient.Get(url); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if time.Since(start) < 20*time.Millisecond {
				fast++
			} else {
				fast = 0
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// fetch GETs url and checks that it answers 200 with a body containing want,
// so that the benchmark never measures an error page.
func fetch(url, want string) ([]byte, error) {
	resp, err := httpClient.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return body, fmt.Errorf("GET %s: status %d", url, resp.StatusCode)
	}
	if !strings.Contains(string(body), want) {
		return body, errors.New("GET " + url + ": the page lacks " + want)
	}
	return body, nil
}
