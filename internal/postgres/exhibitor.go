package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/mozillazg/go-pinyin"

	"expodesk/internal/expodesk"
)

const exhibitorColumns = `e.id, e.slug, e.legal_name, e.name, e.description, e.country, e.city, e.website,
	e.email, e.phone, e.registration_id,
	array(SELECT s.sector_code FROM exhibitor_sector s WHERE s.exhibitor_id = e.id ORDER BY s.sector_code) AS sectors,
	coalesce((SELECT l.etag FROM logo l WHERE l.exhibitor_id = e.id), '') AS logo_etag,
	e.created_at, e.updated_at`

// ExhibitorGet returns the exhibitor with the given slug.
func (s *Store) ExhibitorGet(ctx context.Context, slug string) (expodesk.Exhibitor, error) {
	if !expodesk.ValidSlug(slug) { // see ExpoGet
		return expodesk.Exhibitor{}, expodesk.ErrNotFound
	}
	return one[expodesk.Exhibitor](ctx, s.db, "get exhibitor",
		`SELECT `+exhibitorColumns+` FROM exhibitor e WHERE e.slug = $1`, slug)
}

// ExhibitorGetByID returns the exhibitor with the given id.
func (s *Store) ExhibitorGetByID(ctx context.Context, id int64) (expodesk.Exhibitor, error) {
	return one[expodesk.Exhibitor](ctx, s.db, "get exhibitor",
		`SELECT `+exhibitorColumns+` FROM exhibitor e WHERE e.id = $1`, id)
}

// ExhibitorCreate inserts e with its sectors and returns it with its id.
func (s *Store) ExhibitorCreate(ctx context.Context, e expodesk.Exhibitor, known map[string]bool) (expodesk.Exhibitor, error) {
	if err := e.Validate(known); err != nil {
		return e, err
	}
	var out expodesk.Exhibitor
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var id int64
		err := tx.QueryRow(ctx,
			`INSERT INTO exhibitor (slug, legal_name, name, description, country, city, website, email, phone,
				registration_id, sort_zh)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			e.Slug, e.LegalName, e.Name, e.Description, e.Country, e.City, e.Website, e.Email, e.Phone,
			e.RegistrationID, zhSortKey(e.Slug, e.LegalName, e.Name)).Scan(&id)
		if err != nil {
			return translate(err, "create exhibitor")
		}
		if err := setSectors(ctx, tx, id, e.Sectors); err != nil {
			return err
		}
		out, err = one[expodesk.Exhibitor](ctx, tx, "get exhibitor",
			`SELECT `+exhibitorColumns+` FROM exhibitor e WHERE e.id = $1`, id)
		return err
	})
	return out, err
}

func setSectors(ctx context.Context, tx pgx.Tx, exhibitorID int64, sectors []string) error {
	if _, err := tx.Exec(ctx, `DELETE FROM exhibitor_sector WHERE exhibitor_id = $1`, exhibitorID); err != nil {
		return translate(err, "clear sectors")
	}
	_, err := tx.Exec(ctx,
		`INSERT INTO exhibitor_sector (exhibitor_id, sector_code)
		SELECT $1, code FROM unnest($2::text[]) AS code ON CONFLICT DO NOTHING`, exhibitorID, sectors)
	return translate(err, "set sectors")
}

// participationRow is an approved participation as participationsSelect
// reads it, with its expo and pavilion.
type participationRow struct {
	expodesk.Expo
	Booth               string
	PavilionID          *int64
	PavilionSlug        string
	PavilionName        expodesk.Text
	PavilionHost        expodesk.Text
	PavilionHall        string
	PavilionDescription expodesk.Text
	PavilionPosition    int
}

// participationsSelect reads the approved participations of the exhibitor
// whose id its WHERE clause ends with, soonest expo first.
const participationsSelect = `SELECT ` + expoColumns + `, p.booth, p.pavilion_id,
	coalesce(pv.slug, '') AS pavilion_slug, coalesce(pv.name, '{}') AS pavilion_name,
	coalesce(pv.host, '{}') AS pavilion_host, coalesce(pv.hall, '') AS pavilion_hall,
	coalesce(pv.description, '{}') AS pavilion_description, coalesce(pv.position, 0) AS pavilion_position
FROM participation p JOIN expo e ON e.id = p.expo_id
LEFT JOIN pavilion pv ON pv.id = p.pavilion_id
WHERE p.status = 'approved' AND p.exhibitor_id = `

const participationsOrder = ` ORDER BY e.first_day, e.id`

// ExhibitorParticipations returns the approved participations of an
// exhibitor with their expo and pavilion, soonest expo first.
func (s *Store) ExhibitorParticipations(ctx context.Context, exhibitorID int64) ([]expodesk.ExhibitorParticipation, error) {
	rows, err := collect[participationRow](ctx, s.db, "list participations",
		participationsSelect+`$1`+participationsOrder, exhibitorID)
	return participations(rows), err
}

func participations(rows []participationRow) []expodesk.ExhibitorParticipation {
	out := make([]expodesk.ExhibitorParticipation, 0, len(rows))
	for _, r := range rows {
		ep := expodesk.ExhibitorParticipation{Expo: r.Expo, Booth: r.Booth}
		if r.PavilionID != nil {
			ep.Pavilion = &expodesk.Pavilion{ID: *r.PavilionID, ExpoID: r.Expo.ID, Slug: r.PavilionSlug,
				Name: r.PavilionName, Host: r.PavilionHost, Hall: r.PavilionHall,
				Description: r.PavilionDescription, Position: r.PavilionPosition}
		}
		out = append(out, ep)
	}
	return out
}

// ExhibitorPublicPage returns what a visitor's page of the exhibitor slug
// shows: the exhibitor, its approved participations and the slots it
// presents in. The three queries go in one round trip: an exhibitor page's
// first view paid four before, and the round trips, more than the queries,
// were its cost. ErrNotFound when there is no such exhibitor or it has no
// approved participation, which is what makes a page public.
func (s *Store) ExhibitorPublicPage(ctx context.Context, slug string) (expodesk.ExhibitorPage, error) {
	var page expodesk.ExhibitorPage
	if !expodesk.ValidSlug(slug) { // see ExpoGet
		return page, expodesk.ErrNotFound
	}
	const bySlug = `(SELECT id FROM exhibitor WHERE slug = $1)`
	b := &pgx.Batch{}
	b.Queue(`SELECT `+exhibitorColumns+` FROM exhibitor e WHERE e.slug = $1`, slug)
	b.Queue(participationsSelect+bySlug+participationsOrder, slug)
	b.Queue(agendaByExhibitor(bySlug), slug)
	br := s.db.SendBatch(ctx, b)
	defer br.Close()
	var err error
	if page.Exhibitor, err = batchOne[expodesk.Exhibitor](br, "get exhibitor"); err != nil {
		return page, err
	}
	rows, err := batchCollect[participationRow](br, "list participations")
	if err != nil {
		return page, err
	}
	if len(rows) == 0 {
		return page, expodesk.ErrNotFound
	}
	page.Participations = participations(rows)
	if page.Slots, err = batchCollect[expodesk.AgendaItem](br, "list exhibitor agenda"); err != nil {
		return page, err
	}
	return page, translate(br.Close(), "exhibitor page")
}

// ExhibitorPublic is an exhibitor page's own part, for a caller that
// remembers expos and pavilions: the exhibitor, the expo, pavilion (0 for
// none) and booth of each approved participation, soonest expo first, and
// whether it holds an active booking, without which it presents in no slot.
type ExhibitorPublic struct {
	expodesk.Exhibitor
	ExpoIDs     []int64
	PavilionIDs []int64
	Booths      []string
	Presents    bool
}

// ExhibitorPublicGet reads an exhibitor page's own part in one query. It
// is what the visitor's pages ask for: most companies present in no slot,
// so that one statement is all their page costs PostgreSQL, where
// ExhibitorPublicPage's batch runs three. ErrNotFound as ExhibitorPublicPage.
func (s *Store) ExhibitorPublicGet(ctx context.Context, slug string) (ExhibitorPublic, error) {
	if !expodesk.ValidSlug(slug) { // see ExpoGet
		return ExhibitorPublic{}, expodesk.ErrNotFound
	}
	const order = ` ORDER BY x.first_day, x.id), '{}')`
	pub, err := one[ExhibitorPublic](ctx, s.db, "get public exhibitor",
		`SELECT `+exhibitorColumns+`, pa.expo_ids, pa.pavilion_ids, pa.booths,
			EXISTS (SELECT 1 FROM booking b WHERE b.exhibitor_id = e.id AND b.status = 'active') AS presents
		FROM exhibitor e CROSS JOIN LATERAL (
			SELECT coalesce(array_agg(p.expo_id`+order+` AS expo_ids,
				coalesce(array_agg(coalesce(p.pavilion_id, 0)`+order+` AS pavilion_ids,
				coalesce(array_agg(p.booth`+order+` AS booths
			FROM participation p JOIN expo x ON x.id = p.expo_id
			WHERE p.exhibitor_id = e.id AND p.status = 'approved') pa
		WHERE e.slug = $1`, slug)
	if err == nil && len(pub.ExpoIDs) == 0 {
		err = expodesk.ErrNotFound
	}
	return pub, err
}

// ParticipationCreate inserts a participation; one approved (or rejected)
// from the start is decided now, as the console's status change records it.
func (s *Store) ParticipationCreate(ctx context.Context, p expodesk.Participation) (expodesk.Participation, error) {
	return one[expodesk.Participation](ctx, s.db, "create participation",
		`INSERT INTO participation (expo_id, exhibitor_id, pavilion_id, booth, status, decided_at)
		VALUES ($1, $2, $3, $4, $5, CASE WHEN $5 IN ('approved', 'rejected') THEN now() END)
		RETURNING id, expo_id, exhibitor_id, pavilion_id, booth, status, created_at`,
		p.ExpoID, p.ExhibitorID, p.PavilionID, p.Booth, p.Status)
}

// Logo is an exhibitor's stored logo image.
type Logo struct {
	ContentType string
	Data        []byte
	ETag        string
}

// LogoGet returns the logo of an exhibitor with a public page.
func (s *Store) LogoGet(ctx context.Context, exhibitorSlug string) (Logo, error) {
	if !expodesk.ValidSlug(exhibitorSlug) { // see ExpoGet
		return Logo{}, expodesk.ErrNotFound
	}
	return one[Logo](ctx, s.db, "get logo",
		`SELECT l.content_type, l.data, l.etag FROM logo l JOIN exhibitor e ON e.id = l.exhibitor_id
		WHERE e.slug = $1
		  AND EXISTS (SELECT 1 FROM participation p WHERE p.exhibitor_id = e.id AND p.status = 'approved')`, exhibitorSlug)
}

// LogoPut stores an already re-encoded logo for an exhibitor.
func (s *Store) LogoPut(ctx context.Context, exhibitorID int64, contentType string, data []byte, width, height int, etag string) error {
	_, err := s.db.Exec(ctx,
		`INSERT INTO logo (exhibitor_id, content_type, data, width, height, etag) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (exhibitor_id) DO UPDATE SET content_type = $2, data = $3, width = $4, height = $5, etag = $6, updated_at = now()`,
		exhibitorID, contentType, data, width, height, etag)
	return translate(err, "store logo")
}

// LogoGetOwn returns an exhibitor's logo whatever the state of its
// participations, for its own team and organizers (a company not yet
// approved has no public logo).
func (s *Store) LogoGetOwn(ctx context.Context, exhibitorID int64) (Logo, error) {
	return one[Logo](ctx, s.db, "get own logo",
		`SELECT content_type, data, etag FROM logo WHERE exhibitor_id = $1`, exhibitorID)
}

// LogoInfo is what is known of a stored logo without its bytes (for the
// audit log, which never holds images).
type LogoInfo struct {
	ContentType string
	Size        int
	Width       int
	Height      int
	ETag        string
}

// LogoInfoGet describes an exhibitor's logo; ErrNotFound when it has none.
func (s *Store) LogoInfoGet(ctx context.Context, exhibitorID int64) (LogoInfo, error) {
	return one[LogoInfo](ctx, s.db, "describe logo",
		`SELECT content_type, octet_length(data) AS size, width, height, etag FROM logo WHERE exhibitor_id = $1`, exhibitorID)
}

// LogoDelete removes an exhibitor's logo; removing none is not an error.
func (s *Store) LogoDelete(ctx context.Context, exhibitorID int64) error {
	_, err := s.db.Exec(ctx, `DELETE FROM logo WHERE exhibitor_id = $1`, exhibitorID)
	return translate(err, "delete logo")
}

// ExhibitorUpdateProfile writes the fields of e a company's team may edit
// (names, descriptions, sectors, country, city, website, contact) and
// returns the exhibitor as stored. Slug, legal name, registration id and
// everything about participations are not touched, whatever e holds.
func (s *Store) ExhibitorUpdateProfile(ctx context.Context, e expodesk.Exhibitor) (expodesk.Exhibitor, error) {
	var out expodesk.Exhibitor
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var slug, legal string
		err := tx.QueryRow(ctx, `SELECT slug, legal_name FROM exhibitor WHERE id = $1 FOR UPDATE`, e.ID).Scan(&slug, &legal)
		if err != nil {
			return translate(err, "lock exhibitor")
		}
		_, err = tx.Exec(ctx,
			`UPDATE exhibitor SET name = $2, description = $3, country = $4, city = $5, website = $6, email = $7,
				phone = $8, sort_zh = $9, updated_at = now()
			WHERE id = $1`,
			e.ID, e.Name, e.Description, e.Country, e.City, e.Website, e.Email, e.Phone, zhSortKey(slug, legal, e.Name))
		if err != nil {
			return translate(err, "update exhibitor")
		}
		if err := setSectors(ctx, tx, e.ID, e.Sectors); err != nil {
			return err
		}
		out, err = one[expodesk.Exhibitor](ctx, tx, "get exhibitor",
			`SELECT `+exhibitorColumns+` FROM exhibitor e WHERE e.id = $1`, e.ID)
		return err
	})
	return out, err
}

// maxSearchTerms bounds how many words of a search are matched; the rest are ignored.
const maxSearchTerms = 5

// likePattern escapes LIKE's metacharacters in term and wraps it in %…%.
func likePattern(term string) string {
	return "%" + escapeLike(term) + "%"
}

// searchCondition is the directory's test that one search term, the
// parameter param, occurs in an exhibitor's folded search text. The term is
// folded first and escaped after: search_fold turns full-width ％ ＿ ＼ into
// % _ \, so escaping before folding would hand LIKE live wildcards (q=％
// matched everything). The pattern is built from immutable functions of the
// parameter, so a plan made for its value (exec mode) folds it to a constant
// and the trigram index exhibitor_search_trgm still serves it.
func searchCondition(param string) string { return foldedLike("e.search", param) }

// foldedLike is the test that the search term param occurs in the folded
// text column (see searchCondition).
func foldedLike(column, param string) string {
	folded := "search_fold(" + param + ")"
	return column + ` LIKE ('%' || replace(replace(replace(` + folded + `, '\', '\\'), '%', '\%'), '_', '\_') || '%')`
}

// likeEscaper makes LIKE's metacharacters literal.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

func escapeLike(s string) string { return likeEscaper.Replace(s) }

// sortName is the SQL expression a directory in lang is ordered by: a
// card's name with the same fallback order as expodesk.Text.In, compared in
// lang's collation so that Spanish names sort by Spanish rules. Chinese
// readers' order is the pinyin key zhSortKey computed on write. Migrations
// 000008 and 000009 index exactly these expressions; change both together.
func sortName(lang expodesk.Lang) string {
	if lang == expodesk.ZH {
		return `e.sort_zh COLLATE "en-x-icu"`
	}
	order := map[expodesk.Lang][]string{
		expodesk.EN: {"en", "es", "zh"},
		expodesk.ES: {"es", "en", "zh"},
	}[lang]
	if order == nil {
		order = []string{"en", "es", "zh"}
	}
	collation := map[expodesk.Lang]string{expodesk.EN: "en-x-icu", expodesk.ES: "es-x-icu"}[lang]
	if collation == "" {
		collation = "en-x-icu"
	}
	var parts []string
	for _, l := range order {
		parts = append(parts, fmt.Sprintf("nullif(e.name->>'%s', '')", l))
	}
	return fmt.Sprintf(`coalesce(%s, e.legal_name) COLLATE "%s"`, strings.Join(parts, ", "), collation)
}

// zhSortKey is the key a Chinese reader's directory sorts a company by: its
// name as Text.In(ZH) shows it, Chinese characters as pinyin with tone
// numbers ("泊川物流" → "0bo2 chuan1 wu4 liu2"), other text lower-cased.
// Names that start with a Chinese character come first ("0"), the others
// after ("1"), as the zh collation orders them.
//
// A character with several readings (泊: pō, bó) takes the one the company's
// own romanization spells — its slug, English or Spanish name ("Bochuan") —
// and its most common one otherwise. A collation cannot know this: ICU reads
// every 泊 as pō and would file 泊川 between 暖巢 (nuǎn) and 青鹭 (qīng).
func zhSortKey(slug, legal string, name expodesk.Text) string {
	shown := name.In(expodesk.ZH)
	if shown == "" {
		shown = legal
	}
	var spellings []string
	for _, s := range []string{slug, name.EN, name.ES} {
		if f := asciiLetters(s); f != "" {
			spellings = append(spellings, f)
		}
	}
	tone := pinyin.NewArgs()
	tone.Style = pinyin.Tone3
	tone.Heteronym = true
	var b strings.Builder
	group := "1"
	// pos is how far each spelling has been matched; -1 once it has not.
	pos := make([]int, len(spellings))
	for i, r := range []rune(shown) {
		if !unicode.Is(unicode.Han, r) {
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		readings := pinyin.SinglePinyin(r, tone)
		if len(readings) == 0 {
			b.WriteRune(r)
			continue
		}
		if i == 0 {
			group = "0"
		}
		chosen := readings[0]
		found := false
		for si, sp := range spellings {
			if pos[si] < 0 {
				continue
			}
			matched := false
			for _, rd := range readings {
				if plain := strings.TrimRight(rd, "012345"); strings.HasPrefix(sp[pos[si]:], plain) {
					if !found {
						chosen, found = rd, true
					}
					pos[si] += len(plain)
					matched = true
					break
				}
			}
			if !matched {
				pos[si] = -1
			}
		}
		b.WriteString(" " + chosen + " ")
	}
	key := group + strings.Join(strings.Fields(b.String()), " ")
	if len(key) > 2000 { // the column's check; names are at most 200 characters
		key = key[:2000]
	}
	return key
}

// asciiLetters keeps the lower-cased ASCII letters of s ("Bochuan Smart" →
// "bochuansmart"), to match pinyin against.
func asciiLetters(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ExhibitorSortKeysFill computes the Chinese sort key of every exhibitor that
// has none: rows written before migration 000009 and rows loaded by COPY.
func (s *Store) ExhibitorSortKeysFill(ctx context.Context) error {
	type row struct {
		ID        int64
		Slug      string
		LegalName string
		Name      expodesk.Text
	}
	rows, err := collect[row](ctx, s.db, "list unsorted exhibitors",
		`SELECT id, slug, legal_name, name FROM exhibitor WHERE sort_zh = ''`)
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return nil
	}
	ids, keys := make([]int64, len(rows)), make([]string, len(rows))
	for i, r := range rows {
		ids[i], keys[i] = r.ID, zhSortKey(r.Slug, r.LegalName, r.Name)
	}
	_, err = s.db.Exec(ctx, `UPDATE exhibitor e SET sort_zh = k.key
		FROM unnest($1::bigint[], $2::text[]) AS k(id, key) WHERE e.id = k.id`, ids, keys)
	return translate(err, "fill sort keys")
}

// Directory returns one page of an expo's (or a pavilion's) approved
// exhibitors matching q. Every word of q must occur in a name, the legal name
// or a description in any language, ignoring case and accents.
func (s *Store) Directory(ctx context.Context, q expodesk.DirectoryQuery) (expodesk.DirectoryPage, error) {
	q = q.Clean()
	args := []any{q.ExpoID}
	where := []string{"p.expo_id = $1", "p.status = 'approved'"}
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if q.PavilionID != 0 {
		where = append(where, "p.pavilion_id = "+arg(q.PavilionID))
	}
	// Filters on the exhibitor itself need the join; without them the count
	// reads participation alone.
	byExhibitor := false
	// bigrams are the conditions that let the bigram index narrow the rows
	// for two-character terms (no trigram in them); see below for when the
	// page query leaves them out.
	var bigrams []string
	// inNames are the tests that each term occurs in a name or the legal
	// name: those matches are listed first.
	var inNames []string
	for i, term := range strings.Fields(q.Text) {
		if i == maxSearchTerms {
			break
		}
		t := arg(term)
		where = append(where, searchCondition(t))
		inNames = append(inNames, foldedLike("e.search_names", t))
		if utf8.RuneCountInString(term) == 2 {
			// Folding can lengthen a term (Æ → ae), when the bigram test
			// would be wrong; planned for its own value (exec mode, below),
			// the length check folds to a constant and leaves the index test.
			// The test only narrows: the LIKE above decides. It names the
			// same parameter, so that the page query may leave it out.
			bigrams = append(bigrams, "(length(search_fold("+t+")) <> 2 OR search_bigrams(e.search) @> ARRAY[search_fold("+t+")])")
		}
		byExhibitor = true
	}
	if q.Sector != "" {
		where = append(where, "EXISTS (SELECT 1 FROM exhibitor_sector s WHERE s.exhibitor_id = p.exhibitor_id AND s.sector_code = "+arg(q.Sector)+")")
	}
	if q.Country != "" {
		where = append(where, "e.country = "+arg(q.Country))
		byExhibitor = true
	}
	cond := strings.Join(where, " AND ")
	withBigrams := strings.Join(append(where, bigrams...), " AND ")
	// A search term's selectivity varies wildly (a two-character Chinese
	// word has no trigram to use), so searches are planned for their own
	// values rather than with a generic plan cached on the connection.
	mode := []any{}
	if q.Text != "" {
		mode = append(mode, pgx.QueryExecModeExec)
	}

	page := expodesk.DirectoryPage{Page: q.Page, PerPage: q.PerPage}
	count := `SELECT count(*) FROM participation p WHERE ` + cond
	switch {
	case len(bigrams) > 0:
		// Counted through the bigram index, exactly: under a LIMIT the
		// planner would rather walk any index and call search_bigrams on
		// each row it reads, at ~0.3 ms a call (docs/benchmarks.md, "Where a directory miss goes").
		count = `SELECT count(*) FROM participation p JOIN exhibitor e ON e.id = p.exhibitor_id WHERE ` + withBigrams
	case q.Text != "":
		// A search is counted up to a bound: a short term ("l", "sen")
		// matches most of an expo, and counting every match would read
		// them all, while the page needs only the first 24 in order. Past
		// the bound the directory says "more than" and pages up to it.
		// Without a term the count reads the participation index alone
		// and is exact. The price: a term matching about as many as the
		// bound ("cám", 610) is planned for an early stop that does not
		// come, a full scan (9 ms instead of 3); typed prefixes are mostly
		// dense, and they save 4-6 ms each ("sen", "sensor").
		count = `SELECT count(*) FROM (SELECT FROM participation p JOIN exhibitor e ON e.id = p.exhibitor_id WHERE ` +
			cond + ` LIMIT ` + strconv.Itoa(expodesk.DirectoryCountBound+1) + `) AS matches`
	case byExhibitor:
		count = `SELECT count(*) FROM participation p JOIN exhibitor e ON e.id = p.exhibitor_id WHERE ` + cond
	}
	if err := s.db.QueryRow(ctx, count, append(mode, args...)...).Scan(&page.Total); err != nil {
		return page, translate(err, "count directory")
	}
	if page.Total > expodesk.DirectoryCountBound {
		page.Total, page.More = expodesk.DirectoryCountBound, true
	}
	if page.Total == 0 {
		return page, nil
	}
	// A page past the end shows the last page rather than nothing.
	if last := page.Pages(); page.Page > last {
		page.Page = last
	}
	// A two-character term matched by many (more than the bound: "lo" by
	// 5,000 of 7,000) is found fastest by walking the name order and
	// testing LIKE, ~0.5 ms; with the bigram test the planner walks the
	// same way and calls search_bigrams on each row (10-50 ms). A rare one
	// ("网关") is best narrowed by the bigram index.
	pageCond := withBigrams
	if page.More {
		pageCond = cond
	}
	// Name matches first, then description matches, each in name order
	// (internal/directory orders the same way).
	order := sortName(q.Lang)
	if len(inNames) > 0 {
		order = "(" + strings.Join(inNames, " AND ") + ") DESC, " + order
	}
	limit, offset := arg(q.PerPage), arg((page.Page-1)*q.PerPage)
	// A card shows a handful of columns: no descriptions (three languages
	// of up to 4,000 characters each, decoded from JSON for nothing), no
	// contact fields.
	rows, err := s.db.Query(ctx,
		`SELECT e.id, e.slug, e.legal_name, e.name, e.country,
			array(SELECT s.sector_code FROM exhibitor_sector s WHERE s.exhibitor_id = e.id ORDER BY s.sector_code) AS sectors,
			coalesce((SELECT l.etag FROM logo l WHERE l.exhibitor_id = e.id), '') AS logo_etag, p.booth,
			coalesce(pv.slug, '') AS pavilion_slug, coalesce(pv.name, '{}') AS pavilion_name
		FROM participation p JOIN exhibitor e ON e.id = p.exhibitor_id
		LEFT JOIN pavilion pv ON pv.id = p.pavilion_id
		WHERE `+pageCond+` ORDER BY `+order+`, e.id LIMIT `+limit+` OFFSET `+offset, append(mode, args...)...)
	if err != nil {
		return page, translate(err, "list directory")
	}
	entries, err := pgx.CollectRows(rows, pgx.RowToStructByNameLax[expodesk.DirectoryEntry])
	if err != nil {
		return page, translate(err, "list directory")
	}
	page.Entries = entries
	return page, nil
}

// DirectoryCountries returns the countries of an expo's (or pavilion's)
// approved exhibitors, for the country filter.
func (s *Store) DirectoryCountries(ctx context.Context, expoID, pavilionID int64) ([]string, error) {
	rows, err := s.db.Query(ctx,
		`SELECT DISTINCT e.country FROM participation p JOIN exhibitor e ON e.id = p.exhibitor_id
		WHERE p.expo_id = $1 AND p.status = 'approved' AND ($2 = 0 OR p.pavilion_id = $2)
		ORDER BY 1`, expoID, pavilionID)
	if err != nil {
		return nil, translate(err, "list countries")
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return out, translate(err, "list countries")
}

// ExhibitorOption is a company as a select lists it.
type ExhibitorOption struct {
	ID        int64
	Slug      string
	Name      expodesk.Text
	LegalName string
}

// ExhibitorOptions lists companies for an invitation form: every company, or
// (for a coordinator) those participating in one pavilion; at most 2,000.
func (s *Store) ExhibitorOptions(ctx context.Context, pavilionID int64) ([]ExhibitorOption, error) {
	return collect[ExhibitorOption](ctx, s.db, "list exhibitor options",
		`SELECT e.id, e.slug, e.name, e.legal_name FROM exhibitor e
		WHERE $1 = 0 OR EXISTS (SELECT 1 FROM participation p WHERE p.exhibitor_id = e.id AND p.pavilion_id = $1
			AND p.`+inPavilion+`)
		ORDER BY lower(coalesce(nullif(e.name->>'en', ''), e.legal_name)), e.id LIMIT 2000`, pavilionID)
}
