package cluster

import (
	"strings"
	"testing"
)

// TestConfig checks what the template renders for the upstreams, and the
// proxy settings the README's Deployment section promises.
func TestConfig(t *testing.T) {
	n := &Nginx{Dir: "/srv/nginx", Listen: "127.0.0.1:8080", temp: "/tmp/nginx-temp",
		Upstreams: []Upstream{{Addr: "127.0.0.1:8081"}, {Addr: "127.0.0.1:8082", Down: true}}}
	b, err := n.Config()
	if err != nil {
		t.Fatal(err)
	}
	conf := string(b)
	for _, want := range []string{
		"server 127.0.0.1:8081 max_fails=1 fail_timeout=5s;",
		"server 127.0.0.1:8082 max_fails=1 fail_timeout=5s down;",
		"listen 127.0.0.1:8080;",
		"worker_processes auto;",
		"pid /srv/nginx/nginx.pid;",
		"proxy_temp_path /tmp/nginx-temp/proxy;",
		"proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
		"proxy_set_header X-Forwarded-Proto $scheme;",
		"proxy_set_header Host $http_host;",
		"proxy_next_upstream error timeout;",
		"proxy_next_upstream_tries 2;",
		"error_page 502 504 = @unavailable;",
		"add_header Retry-After 10 always;",
		"access_log off;",
	} {
		if !strings.Contains(conf, want) {
			t.Errorf("the configuration lacks %q", want)
		}
	}
	// A POST that reached an instance must never be sent to another.
	for _, line := range strings.Split(conf, "\n") {
		if l := strings.TrimSpace(line); !strings.HasPrefix(l, "#") && strings.Contains(l, "non_idempotent") {
			t.Errorf("the configuration retries non-idempotent requests: %s", l)
		}
	}
	if strings.Contains(conf, "\nuser ") {
		t.Error("a user directive without root")
	}
	n.user = "www-data"
	if b, _ = n.Config(); !strings.Contains(string(b), "\nuser www-data;") {
		t.Error("started as root, the workers' user is not set")
	}
}
