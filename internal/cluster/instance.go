package cluster

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Instance is one `expodesk serve` process listening on Addr.
type Instance struct {
	*Process
	Addr string // 127.0.0.1:port
}

// StartInstance starts `bin serve --addr addr` with env (the whole
// environment: DATABASE_URL, BASE_URL, TRUST_PROXY…), its output going to out.
func StartInstance(bin, name, addr string, env []string, out io.Writer) (*Instance, error) {
	p, err := StartProcess(name, env, out, bin, "serve", "--addr", addr)
	if err != nil {
		return nil, err
	}
	return &Instance{Process: p, Addr: addr}, nil
}

// URL is the instance's own origin, without the proxy.
func (i *Instance) URL() string { return "http://" + i.Addr }

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
