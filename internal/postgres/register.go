package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"expodesk/internal/expodesk"
)

// Registering a company by form (O2): free slugs, likely duplicates, the
// booth test, and the identity fields only organizers change.

// nameSimilarity is how alike (pg_trgm similarity, 0–1) the cores of two
// names (name_core, migration 000014: folded, legal forms and the place
// names every Wuxi company carries dropped) must be to call a company a
// likely duplicate. At 0.5, "Taihu Sensing" matches "Taihu Sensing Co.,
// Ltd." (1.0) and 太湖传感 matches 无锡太湖传感科技有限公司 (1.0), while
// "Lake Robotics GmbH" and "Refused Robotics GmbH" (0.43) do not. The %
// operator's default threshold (0.3) narrows the rows through the name
// indexes first.
const nameSimilarity = 0.5

// maxDuplicateNames and maxDuplicates bound a duplicate search: the names
// compared (legal name and three languages) and the candidates returned.
const (
	maxDuplicateNames = 4
	maxDuplicates     = 20
)

// nameColumns are the names of a company compared for duplicates, as the
// indexes of migration 000014 hold them.
var nameColumns = []string{"name_core(e.legal_name)", "name_core(e.name->>'en')", "name_core(e.name->>'zh')", "name_core(e.name->>'es')"}

// ExhibitorDuplicates returns the companies that look like the one q
// describes: the same registration id (in capitals), the same website host
// (website_host: www. aside), or a name in any language near-identical to
// one of q.Names (name_core: case, accents and legal forms aside). Those with the same registration id come first,
// then the same website, then by how alike the names are; at most 20,
// each with the expos it takes part in.
func (s *Store) ExhibitorDuplicates(ctx context.Context, q expodesk.DuplicateQuery) ([]expodesk.DuplicateCandidate, error) {
	args := []any{q.RegistrationID, q.Website}
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	var names []string
	for _, n := range q.Names {
		if n = strings.TrimSpace(n); n != "" && !slices.Contains(names, n) && len(names) < maxDuplicateNames {
			names = append(names, n)
		}
	}
	// One arm per name and column, each served by its trigram index; an
	// ANY() over the names or a similarity() test would read every row.
	var near, score []string
	for _, n := range names {
		p := "name_core(" + arg(n) + ")"
		for _, col := range nameColumns {
			near = append(near, col+" % "+p)
			score = append(score, "coalesce(similarity("+col+", "+p+"), 0)")
		}
	}
	// Each arm is served by an index of migration 000014.
	parts := []string{
		`SELECT e.id FROM exhibitor e WHERE e.registration_id <> '' AND upper(e.registration_id) = upper(nullif($1, ''))`,
		`SELECT e.id FROM exhibitor e WHERE e.website <> '' AND website_host(e.website) = nullif(website_host($2), '')`,
	}
	nameScore := "0::real"
	if len(near) > 0 {
		parts = append(parts, `SELECT e.id FROM exhibitor e WHERE `+strings.Join(near, " OR "))
		nameScore = "greatest(" + strings.Join(score, ", ") + ")"
	}
	type row struct {
		ID             int64
		Slug           string
		LegalName      string
		Name           expodesk.Text
		Country        string
		Website        string
		RegistrationID string
		SameRegID      bool
		SameHost       bool
		NameScore      float32
	}
	// Names are planned for their own values: their selectivity varies as
	// much as a directory search's does.
	rows, err := collect[row](ctx, s.db, "find duplicates",
		`WITH found AS (`+strings.Join(parts, " UNION ")+`),
		scored AS (
			SELECT e.id, e.slug, e.legal_name, e.name, e.country, e.website, e.registration_id,
				coalesce(e.registration_id <> '' AND upper(e.registration_id) = upper(nullif($1, '')), false) AS same_reg_id,
				coalesce(e.website <> '' AND website_host(e.website) = nullif(website_host($2), ''), false) AS same_host,
				`+nameScore+` AS name_score
			FROM exhibitor e JOIN found f ON f.id = e.id)
		SELECT * FROM scored
		WHERE same_reg_id OR same_host OR name_score >= `+fmt.Sprint(nameSimilarity)+`
		ORDER BY same_reg_id DESC, same_host DESC, name_score DESC, id
		LIMIT `+fmt.Sprint(maxDuplicates), append([]any{pgx.QueryExecModeExec}, args...)...)
	if err != nil {
		return nil, err
	}
	out := make([]expodesk.DuplicateCandidate, len(rows))
	ids := make([]int64, len(rows))
	for i, r := range rows {
		c := expodesk.DuplicateCandidate{ExhibitorID: r.ID, Slug: r.Slug, LegalName: r.LegalName, Name: r.Name,
			Country: r.Country, Website: r.Website, RegistrationID: r.RegistrationID}
		if r.SameRegID {
			c.Reasons = append(c.Reasons, expodesk.DuplicateRegistrationID)
		}
		if r.SameHost {
			c.Reasons = append(c.Reasons, expodesk.DuplicateWebsite)
		}
		if float64(r.NameScore) >= nameSimilarity {
			c.Reasons = append(c.Reasons, expodesk.DuplicateName)
		}
		out[i], ids[i] = c, r.ID
	}
	parts2, err := s.ExhibitorParticipationsOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		for _, p := range parts2 {
			if p.ExhibitorID != out[i].ExhibitorID {
				continue
			}
			out[i].Participations = append(out[i].Participations, p)
			if p.ExpoID == q.ExpoID {
				out[i].InExpo = p.Status
			}
		}
	}
	return out, nil
}

// ExhibitorParticipationsOf lists every participation of the companies
// ids, whatever its status, with its expo, soonest expo first.
func (s *Store) ExhibitorParticipationsOf(ctx context.Context, ids []int64) ([]expodesk.CandidateParticipation, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return collect[expodesk.CandidateParticipation](ctx, s.db, "list participations of companies",
		`SELECT p.exhibitor_id, p.expo_id, x.slug AS expo_slug, x.name AS expo_name, p.status, p.booth
		FROM participation p JOIN expo x ON x.id = p.expo_id
		WHERE p.exhibitor_id = ANY($1)
		ORDER BY x.first_day, x.id, p.exhibitor_id`, ids)
}

// ExhibitorFreeSlug returns base, or base with the smallest number added
// ("acme-2", "acme-3"…) that no company has yet. Two registrations at the
// same moment may pick the same one: the slug's unique index refuses the
// second with ErrExhibitorSlugTaken, for the caller to try again.
func (s *Store) ExhibitorFreeSlug(ctx context.Context, base string) (string, error) {
	for start := 1; start < 10000; start += 100 {
		candidates := make([]string, 0, 100)
		for n := start; n < start+100; n++ {
			candidates = append(candidates, expodesk.SlugWithSuffix(base, n))
		}
		rows, err := s.db.Query(ctx, `SELECT slug FROM exhibitor WHERE slug = ANY($1)`, candidates)
		if err != nil {
			return "", translate(err, "find a free slug")
		}
		taken, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return "", translate(err, "find a free slug")
		}
		for _, c := range candidates {
			if !slices.Contains(taken, c) {
				return c, nil
			}
		}
	}
	return "", fmt.Errorf("no free slug for %q", base)
}

// ParticipationStatusOf returns the company's status at the expo, and
// false when it does not participate there.
func (s *Store) ParticipationStatusOf(ctx context.Context, exhibitorID, expoID int64) (expodesk.ParticipationStatus, bool, error) {
	var st expodesk.ParticipationStatus
	err := s.db.QueryRow(ctx, `SELECT status FROM participation WHERE exhibitor_id = $1 AND expo_id = $2`,
		exhibitorID, expoID).Scan(&st)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	return st, err == nil, translate(err, "get participation status")
}

// BoothTaken reports whether an approved participation of another company
// than exhibitorID holds the booth at the expo (what the participation_booth
// index refuses for an approved one).
func (s *Store) BoothTaken(ctx context.Context, expoID int64, booth string, exhibitorID int64) (bool, error) {
	var taken bool
	err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM participation
		WHERE expo_id = $1 AND booth = $2 AND status = 'approved' AND exhibitor_id <> $3)`, expoID, booth, exhibitorID).Scan(&taken)
	return taken, translate(err, "check booth")
}

// ExhibitorUpdateIdentity sets a company's legal name and registration id
// (the fields only organizers change) and returns it as stored. Another
// company with the registration id is ErrRegistrationIDTaken.
func (s *Store) ExhibitorUpdateIdentity(ctx context.Context, id int64, legalName, registrationID string) (expodesk.Exhibitor, error) {
	var out expodesk.Exhibitor
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var slug string
		var name expodesk.Text
		err := tx.QueryRow(ctx, `SELECT slug, name FROM exhibitor WHERE id = $1 FOR UPDATE`, id).Scan(&slug, &name)
		if err != nil {
			return translate(err, "lock exhibitor")
		}
		// The Chinese sort key falls back to the legal name.
		_, err = tx.Exec(ctx, `UPDATE exhibitor SET legal_name = $2, registration_id = $3, sort_zh = $4, updated_at = now()
			WHERE id = $1`, id, legalName, registrationID, zhSortKey(slug, legalName, name))
		if err != nil {
			return translate(err, "update exhibitor identity")
		}
		out, err = one[expodesk.Exhibitor](ctx, tx, "get exhibitor",
			`SELECT `+exhibitorColumns+` FROM exhibitor e WHERE e.id = $1`, id)
		return err
	})
	return out, err
}
