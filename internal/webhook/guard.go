package webhook

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"syscall"
	"time"
)

// ErrForbiddenAddress is a delivery refused because its host is, or
// resolves to, an address partners' endpoints never have: loopback,
// private, link-local (the cloud metadata service at 169.254.169.254 among
// them), carrier-grade NAT, multicast, unspecified or reserved.
var ErrForbiddenAddress = errors.New("address not allowed for webhooks")

// blocked are the ranges the netip predicates do not name.
var blocked = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // carrier-grade NAT (RFC 6598)
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, and the broadcast address
	netip.MustParsePrefix("::/96"),           // IPv4-compatible (deprecated): ::127.0.0.1
	netip.MustParsePrefix("64:ff9b::/96"),    // NAT64: reaches any IPv4 address, private ones too
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local NAT64
	netip.MustParsePrefix("100::/64"),        // discard
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("2002::/16"),       // 6to4: embeds an IPv4 address
	netip.MustParsePrefix("fec0::/10"),       // site-local (deprecated)
}

// Forbidden reports whether a delivery may not connect to ip. An
// IPv4-mapped IPv6 address (::ffff:127.0.0.1) is judged as the IPv4
// address it is.
func Forbidden(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsUnspecified() || ip.IsMulticast() ||
		ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() {
		return true
	}
	for _, p := range blocked {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// Resolver looks a host name up (net.DefaultResolver; tests give one that
// answers what they need).
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// ClientConfig is how deliveries reach receivers.
type ClientConfig struct {
	// AllowPrivate lets deliveries reach loopback and private addresses
	// (WEBHOOK_ALLOW_PRIVATE=true): for tests and for receivers on the
	// organizer's own network. Off by default.
	AllowPrivate bool
	// Timeout bounds one delivery: connecting, sending, the answer's
	// headers and the bounded read of its body.
	Timeout  time.Duration
	Resolver Resolver
}

// NewClient returns the HTTP client deliveries use. The host of each
// request is resolved when it is sent and every address it resolves to is
// checked; the dialer's Control hook then checks the address actually
// connected to, so that a name answering differently the second time (DNS
// rebinding) still cannot reach a forbidden address. No proxy from the
// environment is used (it would do the resolving), and redirects are not
// followed: a 3xx answer is the delivery's outcome.
func NewClient(cfg ClientConfig) *http.Client {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Resolver == nil {
		cfg.Resolver = net.DefaultResolver
	}
	check := func(ip netip.Addr) error {
		if !cfg.AllowPrivate && Forbidden(ip) {
			return fmt.Errorf("%w: %s", ErrForbiddenAddress, ip.Unmap())
		}
		return nil
	}
	dialer := &net.Dialer{Timeout: cfg.Timeout, Control: control(check)}
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, portText, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		port, err := strconv.ParseUint(portText, 10, 16)
		if err != nil {
			return nil, fmt.Errorf("bad port %q", portText)
		}
		ips, err := resolve(ctx, cfg.Resolver, host)
		if err != nil {
			return nil, err
		}
		// Every address must be allowed, not only the first: the system
		// would try the others when the first does not answer.
		for _, ip := range ips {
			if err := check(ip); err != nil {
				return nil, err
			}
		}
		var last error
		for _, ip := range ips {
			conn, err := dialer.DialContext(ctx, network, netip.AddrPortFrom(ip.Unmap(), uint16(port)).String())
			if err == nil {
				return conn, nil
			}
			last = err
		}
		return nil, last
	}
	transport := &http.Transport{
		Proxy:                  nil,
		DialContext:            dial,
		ForceAttemptHTTP2:      true,
		TLSHandshakeTimeout:    cfg.Timeout,
		ResponseHeaderTimeout:  cfg.Timeout,
		MaxResponseHeaderBytes: 16 << 10,
		MaxIdleConns:           16,
		IdleConnTimeout:        30 * time.Second,
	}
	return &http.Client{
		Transport: transport,
		Timeout:   cfg.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// control is the dialer's hook: it sees the address about to be connected
// to, whatever resolved it, and refuses a forbidden one.
func control(check func(netip.Addr) error) func(network, address string, _ syscall.RawConn) error {
	return func(_, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("%w: %s", ErrForbiddenAddress, address)
		}
		return check(ap.Addr())
	}
}

// resolve returns host's addresses: the address itself for a literal.
func resolve(ctx context.Context, r Resolver, host string) ([]netip.Addr, error) {
	if ip, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{ip}, nil
	}
	ips, err := r.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, err
	}
	if len(ips) == 0 {
		return nil, fmt.Errorf("%s resolves to no address", host)
	}
	return ips, nil
}

// CheckScheme refuses a URL that is not http(s) with a host, again at
// delivery time (the form checked it, the database's check too).
func CheckScheme(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil {
		return fmt.Errorf("%w: only http and https URLs with a host", ErrForbiddenAddress)
	}
	return nil
}
