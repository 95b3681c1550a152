package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"expodesk/internal/expodesk"
)

// The exhibitor spreadsheet import (O2): the uploaded file kept between its
// preview and its commit, what the rows are checked against, and the
// commit's writes, each a handful of statements over arrays (unnest) rather
// than a round trip per row, so that 10,000 rows commit in well under the
// 3 seconds a page may take.

// CSVImportAdd keeps an uploaded file until it is committed or expires.
func (s *Store) CSVImportAdd(ctx context.Context, im expodesk.CSVImport) (expodesk.CSVImport, error) {
	return one[expodesk.CSVImport](ctx, s.db, "keep uploaded spreadsheet",
		`INSERT INTO csv_import (uploaded_by, filename, data, sha256, row_count, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		RETURNING id, uploaded_by, filename, ''::bytea AS data, sha256, row_count, created_at, expires_at`,
		im.UploadedBy, im.Filename, im.Data, im.SHA256, im.RowCount, im.CreatedAt, im.ExpiresAt)
}

// CSVImportGetForUpdate returns an uploaded file with its bytes, locked
// until the transaction ends, so that two commits of one file run one
// after the other (the second finds it gone). An expired file is not found.
func (s *Store) CSVImportGetForUpdate(ctx context.Context, id int64) (expodesk.CSVImport, error) {
	return one[expodesk.CSVImport](ctx, s.db, "get uploaded spreadsheet",
		`SELECT id, uploaded_by, filename, data, sha256, row_count, created_at, expires_at
		FROM csv_import WHERE id = $1 AND expires_at > $2 FOR UPDATE`, id, s.now())
}

// CSVImportDelete removes an uploaded file (once committed).
func (s *Store) CSVImportDelete(ctx context.Context, id int64) error {
	_, err := s.db.Exec(ctx, `DELETE FROM csv_import WHERE id = $1`, id)
	return translate(err, "delete uploaded spreadsheet")
}

// CSVImportPrune removes uploaded files that expired before now.
func (s *Store) CSVImportPrune(ctx context.Context, now time.Time) error {
	_, err := s.db.Exec(ctx, `DELETE FROM csv_import WHERE expires_at <= $1`, now)
	return translate(err, "prune uploaded spreadsheets")
}

// foldSQL folds a name column as expodesk.FoldName does for names as the
// forms store them (trimmed, single spaces): lower case. A regular
// expression per name and row would cost more than the rest of the query.
func foldSQL(col string) string { return `lower(` + col + `)` }

// hostSQL is the host of the website column as expodesk.ImportHost reads
// it: website_host (migration 000018), which registering a company
// compares by too.
const hostSQL = `website_host(e.website)`

// ImportState reads what the rows of a file are checked against: every
// expo and pavilion, the companies matching any of keys (by slug,
// registration id, website host or name) with their participations, and
// the approved booths of the file's expos. Five statements, whatever the
// number of rows.
func (s *Store) ImportState(ctx context.Context, k expodesk.ImportKeys) (expodesk.ImportState, error) {
	var st expodesk.ImportState
	var err error
	if st.Expos, err = s.ExpoListAll(ctx); err != nil {
		return st, err
	}
	if st.Pavilions, err = collect[expodesk.Pavilion](ctx, s.db, "list pavilions",
		`SELECT `+pavilionColumns+` FROM pavilion p ORDER BY p.expo_id, p.position, p.id`); err != nil {
		return st, err
	}
	// IN (subquery) rather than = ANY(array): PostgreSQL hashes a subquery's
	// values, while ANY compares each row with every element (10,000 rows
	// against 40,000 names took minutes).
	if st.Exhibitors, err = collect[expodesk.Exhibitor](ctx, s.db, "match exhibitors",
		`SELECT `+exhibitorColumns+` FROM exhibitor e
		WHERE e.slug IN (SELECT unnest($1::text[]))
		   OR (e.registration_id <> '' AND upper(e.registration_id) IN (SELECT upper(unnest($2::text[]))))
		   OR (e.website <> '' AND `+hostSQL+` IN (SELECT unnest($3::text[])))
		   OR `+foldSQL("e.legal_name")+` IN (SELECT unnest($4::text[]))
		   OR `+foldSQL("coalesce(e.name->>'en', '')")+` IN (SELECT unnest($4::text[]))
		   OR `+foldSQL("coalesce(e.name->>'zh', '')")+` IN (SELECT unnest($4::text[]))
		   OR `+foldSQL("coalesce(e.name->>'es', '')")+` IN (SELECT unnest($4::text[]))`,
		nonNil(k.Slugs), nonNil(k.RegistrationIDs), nonNil(k.WebsiteHosts), nonNil(k.Names)); err != nil {
		return st, err
	}
	ids := make([]int64, len(st.Exhibitors))
	for i, e := range st.Exhibitors {
		ids[i] = e.ID
	}
	if st.Participations, err = collect[expodesk.Participation](ctx, s.db, "list matched participations",
		`SELECT `+participationColumns+` FROM participation p WHERE p.exhibitor_id = ANY($1) ORDER BY p.id`, ids); err != nil {
		return st, err
	}
	st.Booths, err = collect[expodesk.BoothHolder](ctx, s.db, "list booths",
		`SELECT p.expo_id, p.booth, p.exhibitor_id, e.slug AS exhibitor_slug
		FROM participation p JOIN exhibitor e ON e.id = p.exhibitor_id JOIN expo x ON x.id = p.expo_id
		WHERE x.slug = ANY($1) AND p.status = 'approved' AND p.booth <> ''`, nonNil(k.ExpoSlugs))
	return st, err
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// exhibitorArrays are the columns of exhibitors as parallel arrays for unnest.
type exhibitorArrays struct {
	ids                                           []int64
	slugs, legal, names, descs, countries, cities []string
	websites, emails, phones, regIDs, sortKeys    []string
	sectorOwner                                   []string // slug of each sector pair
	sectorCode                                    []string
}

func arraysOf(list []expodesk.Exhibitor) (exhibitorArrays, error) {
	var a exhibitorArrays
	for _, e := range list {
		name, err := json.Marshal(e.Name)
		if err != nil {
			return a, fmt.Errorf("encode name: %w", err)
		}
		desc, err := json.Marshal(e.Description)
		if err != nil {
			return a, fmt.Errorf("encode description: %w", err)
		}
		a.ids = append(a.ids, e.ID)
		a.slugs = append(a.slugs, e.Slug)
		a.legal = append(a.legal, e.LegalName)
		a.names = append(a.names, string(name))
		a.descs = append(a.descs, string(desc))
		a.countries = append(a.countries, e.Country)
		a.cities = append(a.cities, e.City)
		a.websites = append(a.websites, e.Website)
		a.emails = append(a.emails, e.Email)
		a.phones = append(a.phones, e.Phone)
		a.regIDs = append(a.regIDs, e.RegistrationID)
		a.sortKeys = append(a.sortKeys, zhSortKey(e.Slug, e.LegalName, e.Name))
		for _, sc := range e.Sectors {
			a.sectorOwner = append(a.sectorOwner, e.Slug)
			a.sectorCode = append(a.sectorCode, sc)
		}
	}
	return a, nil
}

// ImportApply makes the writes of a committed file in the store's
// transaction (call it inside Tx): new companies, changed companies with
// their sectors, then participations. It returns the id of every company
// it wrote, by slug. A booth a changed participation leaves is freed before
// any is taken, so that two companies may swap booths in one file.
func (s *Store) ImportApply(ctx context.Context, w expodesk.ImportWrite) (map[string]int64, error) {
	ids := map[string]int64{}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if len(w.Create) > 0 {
			a, err := arraysOf(w.Create)
			if err != nil {
				return err
			}
			rows, err := tx.Query(ctx,
				`INSERT INTO exhibitor (slug, legal_name, name, description, country, city, website, email, phone,
					registration_id, sort_zh)
				SELECT u.slug, u.legal, u.name::jsonb, u.descr::jsonb, u.country, u.city, u.website, u.email, u.phone,
					u.reg, u.sort_zh
				FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
					$8::text[], $9::text[], $10::text[], $11::text[])
					AS u(slug, legal, name, descr, country, city, website, email, phone, reg, sort_zh)
				RETURNING id, slug`,
				a.slugs, a.legal, a.names, a.descs, a.countries, a.cities, a.websites, a.emails, a.phones, a.regIDs, a.sortKeys)
			if err != nil {
				return translate(err, "import exhibitors")
			}
			if err := collectIDs(rows, ids); err != nil {
				return translate(err, "import exhibitors")
			}
			if err := insertSectors(ctx, tx, a); err != nil {
				return err
			}
		}
		if len(w.Update) > 0 {
			a, err := arraysOf(w.Update)
			if err != nil {
				return err
			}
			rows, err := tx.Query(ctx,
				`UPDATE exhibitor e SET legal_name = u.legal, name = u.name::jsonb, description = u.descr::jsonb,
					country = u.country, city = u.city, website = u.website, email = u.email, phone = u.phone,
					registration_id = u.reg, sort_zh = u.sort_zh, updated_at = now()
				FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
					$8::text[], $9::text[], $10::text[], $11::text[])
					AS u(id, legal, name, descr, country, city, website, email, phone, reg, sort_zh)
				WHERE e.id = u.id
				RETURNING e.id, e.slug`,
				a.ids, a.legal, a.names, a.descs, a.countries, a.cities, a.websites, a.emails, a.phones, a.regIDs, a.sortKeys)
			if err != nil {
				return translate(err, "update imported exhibitors")
			}
			if err := collectIDs(rows, ids); err != nil {
				return translate(err, "update imported exhibitors")
			}
			if _, err := tx.Exec(ctx, `DELETE FROM exhibitor_sector WHERE exhibitor_id = ANY($1)`, a.ids); err != nil {
				return translate(err, "clear imported sectors")
			}
			if err := insertSectors(ctx, tx, a); err != nil {
				return err
			}
		}
		if len(w.Participations) > 0 {
			n := len(w.Participations)
			pids, pavs, booths, statuses := make([]int64, n), make([]int64, n), make([]string, n), make([]string, n)
			for i, p := range w.Participations {
				pids[i], booths[i], statuses[i] = p.ID, p.Booth, string(p.Status)
				if p.PavilionID != nil {
					pavs[i] = *p.PavilionID
				}
			}
			// Free the booths first: the booth index is checked row by row.
			if _, err := tx.Exec(ctx, `UPDATE participation SET booth = '' WHERE id = ANY($1) AND booth <> ''`, pids); err != nil {
				return translate(err, "free imported booths")
			}
			if _, err := tx.Exec(ctx,
				`UPDATE participation p SET pavilion_id = nullif(u.pavilion_id, 0), booth = u.booth, status = u.status,
					decided_at = CASE WHEN u.status <> p.status AND u.status IN ('approved', 'rejected') THEN now() ELSE p.decided_at END,
					updated_at = now()
				FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) AS u(id, pavilion_id, booth, status)
				WHERE p.id = u.id`, pids, pavs, booths, statuses); err != nil {
				return translate(err, "update imported participations")
			}
		}
		if len(w.NewParticipations) > 0 {
			n := len(w.NewParticipations)
			slugs, expos, pavs, booths, statuses := make([]string, n), make([]int64, n), make([]int64, n), make([]string, n), make([]string, n)
			for i, p := range w.NewParticipations {
				slugs[i], expos[i], booths[i], statuses[i] = p.ExhibitorSlug, p.ExpoID, p.Booth, string(p.Status)
				if p.PavilionID != nil {
					pavs[i] = *p.PavilionID
				}
			}
			tag, err := tx.Exec(ctx,
				`INSERT INTO participation (expo_id, exhibitor_id, pavilion_id, booth, status, decided_at)
				SELECT u.expo_id, e.id, nullif(u.pavilion_id, 0), u.booth, u.status,
					CASE WHEN u.status IN ('approved', 'rejected') THEN now() END
				FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::text[])
					AS u(slug, expo_id, pavilion_id, booth, status)
				JOIN exhibitor e ON e.slug = u.slug`, slugs, expos, pavs, booths, statuses)
			if err != nil {
				return translate(err, "import participations")
			}
			if int(tag.RowsAffected()) != n {
				return fmt.Errorf("import participations: %d of %d companies found", tag.RowsAffected(), n)
			}
		}
		return nil
	})
	return ids, err
}

func collectIDs(rows pgx.Rows, ids map[string]int64) error {
	var id int64
	var slug string
	_, err := pgx.ForEachRow(rows, []any{&id, &slug}, func() error {
		ids[slug] = id
		return nil
	})
	return err
}

func insertSectors(ctx context.Context, tx pgx.Tx, a exhibitorArrays) error {
	if len(a.sectorCode) == 0 {
		return nil
	}
	_, err := tx.Exec(ctx,
		`INSERT INTO exhibitor_sector (exhibitor_id, sector_code)
		SELECT e.id, u.code FROM unnest($1::text[], $2::text[]) AS u(slug, code) JOIN exhibitor e ON e.slug = u.slug
		ON CONFLICT DO NOTHING`, a.sectorOwner, a.sectorCode)
	return translate(err, "import sectors")
}
