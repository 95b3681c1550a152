package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"expodesk/internal/expodesk"
)

// AuditAdd appends an entry to the audit log. Call it in the transaction of
// the change it records, so that both happen or neither does.
func (s *Store) AuditAdd(ctx context.Context, e expodesk.AuditEntry) error {
	if e.At.IsZero() {
		e.At = s.now()
	}
	_, err := s.db.Exec(ctx,
		`INSERT INTO audit_entry (at, actor_id, actor_label, action, object_type, object_id, expo_id, pavilion_id,
			exhibitor_id, before, after, client_ip, request_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		e.At, e.ActorID, e.ActorLabel, e.Action, e.ObjectType, e.ObjectID, e.ExpoID, e.PavilionID, e.ExhibitorID,
		e.Before, e.After, e.ClientIP, e.RequestID)
	return translate(err, "add audit entry")
}

// AuditList returns entries matching f, newest first.
func (s *Store) AuditList(ctx context.Context, f expodesk.AuditFilter) ([]expodesk.AuditRow, error) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if f.Action != "" {
		where = append(where, "a.action LIKE "+arg(escapeLike(f.Action)+"%"))
	}
	if f.ActorEmail != "" {
		where = append(where, "a.actor_label ILIKE "+arg(likePattern(f.ActorEmail)))
	}
	if f.ObjectType != "" {
		where = append(where, "a.object_type = "+arg(f.ObjectType))
	}
	if f.ObjectID != "" {
		where = append(where, "a.object_id = "+arg(f.ObjectID))
	}
	if !f.Since.IsZero() {
		where = append(where, "a.at >= "+arg(f.Since))
	}
	if !f.Until.IsZero() {
		where = append(where, "a.at < "+arg(f.Until))
	}
	if f.PavilionID != 0 {
		p := arg(f.PavilionID)
		where = append(where, "(a.pavilion_id = "+p+" OR a.exhibitor_id IN (SELECT exhibitor_id FROM participation WHERE pavilion_id = "+p+" AND "+inPavilion+"))")
	}
	if f.BeforeID != 0 {
		where = append(where, "a.id < "+arg(f.BeforeID))
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	q := `SELECT a.id, a.at, a.actor_id, a.actor_label, a.action, a.object_type, a.object_id,
		coalesce(a.before::text, '') AS before, coalesce(a.after::text, '') AS after, a.client_ip, a.request_id
		FROM audit_entry a`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY a.id DESC LIMIT " + arg(f.Limit)
	return collect[expodesk.AuditRow](ctx, s.db, "list audit entries", q, args...)
}

// AuditAddMany appends entries in one statement (an import's entry per
// company), in the transaction of the change they record.
func (s *Store) AuditAddMany(ctx context.Context, entries []expodesk.AuditEntry) error {
	if len(entries) == 0 {
		return nil
	}
	n := len(entries)
	at := make([]time.Time, n)
	actors, expos, pavilions, exhibitors := make([]*int64, n), make([]*int64, n), make([]*int64, n), make([]*int64, n)
	labels, actions, types, objects, befores, afters, ips, reqs := make([]string, n), make([]string, n), make([]string, n),
		make([]string, n), make([]*string, n), make([]*string, n), make([]string, n), make([]string, n)
	for i, e := range entries {
		at[i] = e.At
		if at[i].IsZero() {
			at[i] = s.now()
		}
		actors[i], expos[i], pavilions[i], exhibitors[i] = e.ActorID, e.ExpoID, e.PavilionID, e.ExhibitorID
		labels[i], actions[i], types[i], objects[i], ips[i], reqs[i] = e.ActorLabel, string(e.Action), e.ObjectType, e.ObjectID, e.ClientIP, e.RequestID
		var err error
		if befores[i], err = jsonOrNil(e.Before); err != nil {
			return err
		}
		if afters[i], err = jsonOrNil(e.After); err != nil {
			return err
		}
	}
	_, err := s.db.Exec(ctx,
		`INSERT INTO audit_entry (at, actor_id, actor_label, action, object_type, object_id, expo_id, pavilion_id,
			exhibitor_id, before, after, client_ip, request_id)
		SELECT u.at, u.actor_id, u.actor_label, u.action, u.object_type, u.object_id, u.expo_id, u.pavilion_id,
			u.exhibitor_id, u.before::jsonb, u.after::jsonb, u.client_ip, u.request_id
		FROM unnest($1::timestamptz[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[],
			$8::bigint[], $9::bigint[], $10::text[], $11::text[], $12::text[], $13::text[])
			AS u(at, actor_id, actor_label, action, object_type, object_id, expo_id, pavilion_id, exhibitor_id,
				before, after, client_ip, request_id)`,
		at, actors, labels, actions, types, objects, expos, pavilions, exhibitors, befores, afters, ips, reqs)
	return translate(err, "add audit entries")
}

// jsonOrNil is v as JSON text, nil for nil.
func jsonOrNil(v any) (*string, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode audit entry: %w", err)
	}
	s := string(b)
	return &s, nil
}
