package postgres

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// IsUnavailable reports whether err means that the database could not be
// reached or stopped answering — an outage, not a bug: it was down or
// restarting (connection refused, reset or closed, 57P01 admin_shutdown,
// 57P03 cannot_connect_now), it had no connection to spare (53300), or it
// did not answer in time (a connect or pool acquire deadline). A caller
// that gave up (context.Canceled) is not an outage, and neither is a
// connection the server refused for a reason that waiting will not fix
// (a wrong password, an unknown database).
//
// It is the one classifier of such errors: the server answers them with
// 503 and Retry-After, and readiness goes red.
func IsUnavailable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// The server answered, so what it said decides, even within a
		// failed connection attempt.
		return unavailableCode(pgErr.Code)
	}
	var connectErr *pgconn.ConnectError
	var opErr *net.OpError
	switch {
	case errors.As(err, &connectErr): // refused, no route, timed out while connecting
		return true
	case pgconn.SafeToRetry(err): // failed before anything was sent: the connection was already closed
		return true
	case pgconn.Timeout(err), errors.Is(err, context.DeadlineExceeded): // no answer in time, or no connection from the pool
		return true
	case errors.As(err, &opErr): // reset or broken pipe on an established connection
		return true
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, pgconn.ErrConnClosed):
		return true
	}
	return false
}

// unavailableCode reports whether a PostgreSQL error code is one of a
// server that is shutting down, starting or out of connections: class 08
// (connection exception), 57P01 admin_shutdown, 57P02 crash_shutdown,
// 57P03 cannot_connect_now and 53300 too_many_connections.
func unavailableCode(code string) bool {
	switch code {
	case "57P01", "57P02", "57P03", "53300":
		return true
	}
	return strings.HasPrefix(code, "08")
}
