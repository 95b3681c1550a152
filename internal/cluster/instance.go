package cluster

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// Instance is one `expodesk serve` process listening on Addr.
type Instance struct {
	Name string
	Addr string // 127.0.0.1:port

	cmd  *exec.Cmd
	done chan struct{}
	err  error // what Wait returned, once done is closed
}

// StartInstance starts `bin serve --addr addr` with env (the whole
// environment: DATABASE_URL, BASE_URL, TRUST_PROXY…), its output going to out.
func StartInstance(bin, name, addr string, env []string, out io.Writer) (*Instance, error) {
	cmd := exec.Command(bin, "serve", "--addr", addr)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = out, out
	// Its own process group, so that a Ctrl-C reaches the supervisor alone,
	// which stops nginx first and then each instance; and it dies with the
	// supervisor if that is killed.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	i := &Instance{Name: name, Addr: addr, cmd: cmd, done: make(chan struct{})}
	go func() {
		i.err = cmd.Wait()
		close(i.done)
	}()
	return i, nil
}

// URL is the instance's own origin, without the proxy.
func (i *Instance) URL() string { return "http://" + i.Addr }

// Pid is the process id.
func (i *Instance) Pid() int { return i.cmd.Process.Pid }

// Done is closed when the process has exited.
func (i *Instance) Done() <-chan struct{} { return i.done }

// ExitErr is what the process's end returned: nil for status 0. Call it
// after Done is closed.
func (i *Instance) ExitErr() error { return i.err }

// Signal sends sig to the process.
func (i *Instance) Signal(sig syscall.Signal) error {
	if err := i.cmd.Process.Signal(sig); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("signal %s: %w", i.Name, err)
	}
	return nil
}

// Stop asks the instance to shut down gracefully (SIGTERM: in-flight
// requests finish) and kills it if it has not exited within timeout. It
// returns the process's exit error (nil for status 0).
func (i *Instance) Stop(timeout time.Duration) error {
	select {
	case <-i.done:
		return i.err
	default:
	}
	_ = i.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-i.done:
		return i.err
	case <-time.After(timeout):
		_ = i.cmd.Process.Kill()
		<-i.done
		return fmt.Errorf("%s did not stop within %s; killed", i.Name, timeout)
	}
}

// Kill ends the process at once (SIGKILL), as a crash would, and waits for it.
func (i *Instance) Kill() {
	_ = i.cmd.Process.Kill()
	<-i.done
}

// probe waits 5 s for /readyz, itself bounded at 2 s for its query: an instance
// slow on a busy machine is not taken for a red one.
var probe = &http.Client{Timeout: 5 * time.Second}

// Ready reports whether the instance answers /readyz with 200.
func (i *Instance) Ready(ctx context.Context) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, i.URL()+"/readyz", nil)
	if err != nil {
		return false
	}
	resp, err := probe.Do(req)
	if err != nil {
		return false
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// WaitReady waits until /readyz answers 200, the process exits or timeout passes.
func (i *Instance) WaitReady(ctx context.Context, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		select {
		case <-i.done:
			return fmt.Errorf("%s exited before it was ready: %v", i.Name, i.err)
		default:
		}
		if i.Ready(ctx) {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not ready at %s/readyz after %s", i.Name, i.URL(), timeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}
