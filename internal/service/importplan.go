package service

import (
	"slices"
	"strconv"
	"strings"

	"expodesk/internal/exhibitorcsv"
	"expodesk/internal/expodesk"
)

// The import's plan: what each row of a read spreadsheet does against what
// the database holds, and the problems that stop the commit. It is a pure
// function of the file, the database's state and who imports, so that the
// preview and the commit (which plans again inside its transaction) cannot
// disagree.
//
// The rules, which docs/csv.md explains to organizers:
//   - A row whose slug is a company's is an update of that company; a new
//     slug creates one. A registration id another company holds is a
//     problem naming that company's slug (the import never renames a
//     company, whose slug is in links partners keep).
//   - On an update, only the columns the file has are written: a file
//     without description columns leaves descriptions alone; an empty cell
//     of a column the file has empties the field.
//   - A website host or a name another company already uses is a problem
//     (a likely duplicate) when the row creates a company or changes that
//     field; data already stored that way is not flagged again.
//   - A participation changes status only along the organizer's decisions
//     (expodesk.CanTransition); a booth another approved company holds at
//     the expo is a problem, unless that company leaves it in the same file.
//   - A pavilion coordinator imports rows of their own pavilion only, and
//     changes only companies already in their care.

// importField is one company column of the spreadsheet and the field it is.
type importField struct {
	col string
	get func(e *expodesk.Exhibitor) *string
}

var importFields = []importField{
	{exhibitorcsv.ColLegalName, func(e *expodesk.Exhibitor) *string { return &e.LegalName }},
	{exhibitorcsv.ColNameEN, func(e *expodesk.Exhibitor) *string { return &e.Name.EN }},
	{exhibitorcsv.ColNameZH, func(e *expodesk.Exhibitor) *string { return &e.Name.ZH }},
	{exhibitorcsv.ColNameES, func(e *expodesk.Exhibitor) *string { return &e.Name.ES }},
	{exhibitorcsv.ColDescriptionEN, func(e *expodesk.Exhibitor) *string { return &e.Description.EN }},
	{exhibitorcsv.ColDescriptionZH, func(e *expodesk.Exhibitor) *string { return &e.Description.ZH }},
	{exhibitorcsv.ColDescriptionES, func(e *expodesk.Exhibitor) *string { return &e.Description.ES }},
	{exhibitorcsv.ColCountry, func(e *expodesk.Exhibitor) *string { return &e.Country }},
	{exhibitorcsv.ColCity, func(e *expodesk.Exhibitor) *string { return &e.City }},
	{exhibitorcsv.ColWebsite, func(e *expodesk.Exhibitor) *string { return &e.Website }},
	{exhibitorcsv.ColEmail, func(e *expodesk.Exhibitor) *string { return &e.Email }},
	{exhibitorcsv.ColPhone, func(e *expodesk.Exhibitor) *string { return &e.Phone }},
	{exhibitorcsv.ColRegistrationID, func(e *expodesk.Exhibitor) *string { return &e.RegistrationID }},
}

// nameColumns are the columns compared for likely duplicates by name.
var nameColumns = []string{exhibitorcsv.ColLegalName, exhibitorcsv.ColNameEN, exhibitorcsv.ColNameZH, exhibitorcsv.ColNameES}

// companyPlan is what the rows of one slug do to that company.
type companyPlan struct {
	existing *expodesk.Exhibitor
	merged   expodesk.Exhibitor
	changed  []string
	problems expodesk.Problems
}

// participationPlan is what one row does to its participation.
type participationPlan struct {
	expo     *expodesk.Expo
	existing *expodesk.Participation
	want     expodesk.Participation
	changed  []string
}

// importPlan is a planned file: the preview's rows and counts, and the
// writes of its commit.
type importPlan struct {
	rows   []ImportRow
	counts ImportCounts
	write  expodesk.ImportWrite
	// changes are the audit entries' contents, by company slug, in file order.
	changes []companyChange
}

// companyChange is what the import does to one company, for its audit entry.
type companyChange struct {
	slug          string
	existingID    int64
	before, after map[string]any
	expoID        *int64
	pavilionID    *int64
}

type partKey struct{ expo, exhibitor int64 }

// keysOf lists what a file's rows may match in the database.
func keysOf(f *exhibitorcsv.File) expodesk.ImportKeys {
	var k expodesk.ImportKeys
	seen := map[string]bool{}
	add := func(list *[]string, kind, v string) {
		if v != "" && !seen[kind+v] {
			seen[kind+v] = true
			*list = append(*list, v)
		}
	}
	for _, r := range f.Rows {
		e := r.Exhibitor
		add(&k.Slugs, "s", e.Slug)
		add(&k.RegistrationIDs, "r", e.RegistrationID)
		add(&k.WebsiteHosts, "w", expodesk.ImportHost(e.Website))
		for _, n := range []string{e.LegalName, e.Name.EN, e.Name.ZH, e.Name.ES} {
			add(&k.Names, "n", expodesk.FoldName(n))
		}
		add(&k.ExpoSlugs, "x", r.Expo)
	}
	return k
}

// planImport plans file f for principal p against the database's state st;
// sectors are the valid sector codes.
func planImport(p *expodesk.Principal, f *exhibitorcsv.File, st expodesk.ImportState, sectors map[string]bool) importPlan {
	has := map[string]bool{}
	for _, h := range f.Header {
		has[h] = true
	}
	expos := map[string]*expodesk.Expo{}
	for i := range st.Expos {
		expos[st.Expos[i].Slug] = &st.Expos[i]
	}
	pavilions := map[int64]map[string]*expodesk.Pavilion{}
	pavilionSlug := map[int64]string{}
	for i := range st.Pavilions {
		pv := &st.Pavilions[i]
		if pavilions[pv.ExpoID] == nil {
			pavilions[pv.ExpoID] = map[string]*expodesk.Pavilion{}
		}
		pavilions[pv.ExpoID][pv.Slug] = pv
		pavilionSlug[pv.ID] = pv.Slug
	}
	bySlug, byReg := map[string]*expodesk.Exhibitor{}, map[string]*expodesk.Exhibitor{}
	byHost, byName := map[string][]*expodesk.Exhibitor{}, map[string][]*expodesk.Exhibitor{}
	for i := range st.Exhibitors {
		e := &st.Exhibitors[i]
		bySlug[e.Slug] = e
		if e.RegistrationID != "" {
			byReg[strings.ToUpper(e.RegistrationID)] = e
		}
		if h := expodesk.ImportHost(e.Website); h != "" {
			byHost[h] = append(byHost[h], e)
		}
		for _, n := range []string{e.LegalName, e.Name.EN, e.Name.ZH, e.Name.ES} {
			if fn := expodesk.FoldName(n); fn != "" && !slices.Contains(byName[fn], e) {
				byName[fn] = append(byName[fn], e)
			}
		}
	}
	parts := map[partKey]*expodesk.Participation{}
	inPavilion := map[int64]bool{} // companies in the coordinator's care
	for i := range st.Participations {
		pt := &st.Participations[i]
		parts[partKey{pt.ExpoID, pt.ExhibitorID}] = pt
		if p.PavilionID != 0 && pt.PavilionID != nil && *pt.PavilionID == p.PavilionID &&
			(pt.Status == expodesk.StatusInvited || pt.Status == expodesk.StatusApplied || pt.Status == expodesk.StatusApproved) {
			inPavilion[pt.ExhibitorID] = true
		}
	}
	booths := map[string]expodesk.BoothHolder{}
	for _, b := range st.Booths {
		booths[strconv.FormatInt(b.ExpoID, 10)+"\x00"+b.Booth] = b
	}

	var pl importPlan
	pl.rows = make([]ImportRow, len(f.Rows))
	companies := map[string]*companyPlan{}
	var order []string // slugs in file order
	plans := make([]participationPlan, len(f.Rows))
	freed := map[partKey]bool{} // approved booths a row of the file leaves

	for i, r := range f.Rows {
		row := &pl.rows[i]
		row.Row = r
		row.Problems = expodesk.Problems{}
		for k, v := range r.Problems {
			row.Problems[k] = v
		}
		slug := r.Exhibitor.Slug
		cp := companies[slug]
		if cp == nil {
			cp = planCompany(p, r.Exhibitor, has, bySlug, byReg, byHost, byName, inPavilion, sectors)
			companies[slug] = cp
			order = append(order, slug)
		}
		for k, v := range cp.problems {
			row.Problems.Add(k, v.Key, v.Data)
		}

		pp := &plans[i]
		x := expos[r.Expo]
		switch {
		case r.Expo == "" || !expodesk.ValidSlug(r.Expo):
			// The parser said so already.
		case x == nil:
			row.Problems.Add(exhibitorcsv.ColExpo, "import.unknown_expo", map[string]any{"Expo": r.Expo})
		case x.ArchivedAt != nil:
			row.Problems.Add(exhibitorcsv.ColExpo, "import.expo_archived", map[string]any{"Expo": r.Expo})
		}
		if x == nil {
			continue
		}
		pp.expo = x
		var pavilion *int64
		if r.Pavilion != "" {
			if pv := pavilions[x.ID][r.Pavilion]; pv != nil {
				pavilion = &pv.ID
			} else {
				row.Problems.Add(exhibitorcsv.ColPavilion, "import.unknown_pavilion", map[string]any{"Pavilion": r.Pavilion, "Expo": r.Expo})
			}
		}
		if cp.existing != nil {
			pp.existing = parts[partKey{x.ID, cp.existing.ID}]
		}
		w := expodesk.Participation{ExpoID: x.ID, PavilionID: pavilion, Booth: r.Booth, Status: r.Status}
		if e := pp.existing; e != nil {
			w.ID, w.ExhibitorID = e.ID, e.ExhibitorID
			if !has[exhibitorcsv.ColPavilion] {
				w.PavilionID = e.PavilionID
			}
			if !has[exhibitorcsv.ColBooth] {
				w.Booth = e.Booth
			}
			if !has[exhibitorcsv.ColStatus] {
				w.Status = e.Status
			}
			if !samePavilion(e.PavilionID, w.PavilionID) {
				pp.changed = append(pp.changed, exhibitorcsv.ColPavilion)
			}
			if e.Booth != w.Booth {
				pp.changed = append(pp.changed, exhibitorcsv.ColBooth)
			}
			if e.Status != w.Status {
				pp.changed = append(pp.changed, exhibitorcsv.ColStatus)
				if !expodesk.CanTransition(e.Status, w.Status) {
					row.Problems.Add(exhibitorcsv.ColStatus, "import.status_change", map[string]any{"From": string(e.Status), "To": string(w.Status)})
				}
			}
			if e.Status == expodesk.StatusApproved && e.Booth != "" && (w.Booth != e.Booth || w.Status != expodesk.StatusApproved) {
				freed[partKey{x.ID, e.ExhibitorID}] = true
			}
			if !expodesk.CanManageParticipation(p, e.PavilionID) {
				row.Problems.Add(exhibitorcsv.ColPavilion, "import.participation_not_yours", nil)
			}
		}
		pp.want = w
		if _, bad := row.Problems[exhibitorcsv.ColPavilion]; !bad && !expodesk.CanManageParticipation(p, w.PavilionID) {
			row.Problems.Add(exhibitorcsv.ColPavilion, "import.pavilion_not_yours", map[string]any{"Pavilion": pavilionSlug[p.PavilionID]})
		}
	}

	// Booths, once every row has said which booths it leaves.
	for i := range pl.rows {
		pp, row := &plans[i], &pl.rows[i]
		if pp.expo == nil || pp.want.Status != expodesk.StatusApproved || pp.want.Booth == "" {
			continue
		}
		h, held := booths[strconv.FormatInt(pp.expo.ID, 10)+"\x00"+pp.want.Booth]
		own := companies[row.Exhibitor.Slug].existing
		if held && (own == nil || h.ExhibitorID != own.ID) && !freed[partKey{pp.expo.ID, h.ExhibitorID}] {
			row.Problems.Add(exhibitorcsv.ColBooth, "import.booth_taken", map[string]any{"Slug": h.ExhibitorSlug})
		}
	}

	// Actions, counts and writes.
	pl.counts.Rows = len(pl.rows)
	changes := map[string]*companyChange{}
	for _, slug := range order {
		cp := companies[slug]
		switch {
		case cp.existing == nil:
			pl.counts.CompaniesCreated++
			pl.write.Create = append(pl.write.Create, cp.merged)
			changes[slug] = &companyChange{slug: slug, after: exhibitorImportAudit(cp.merged, nil)}
		case len(cp.changed) > 0:
			pl.counts.CompaniesUpdated++
			pl.write.Update = append(pl.write.Update, cp.merged)
			changes[slug] = &companyChange{slug: slug, existingID: cp.existing.ID,
				before: exhibitorImportAudit(*cp.existing, cp.changed), after: exhibitorImportAudit(cp.merged, cp.changed)}
		}
	}
	for i := range pl.rows {
		row, pp := &pl.rows[i], &plans[i]
		if len(row.Problems) > 0 {
			pl.counts.RowsWithProblems++
		}
		cp := companies[row.Exhibitor.Slug]
		row.Changed = append(row.Changed, cp.changed...)
		partChanged := false
		if pp.expo != nil {
			switch {
			case pp.existing == nil:
				partChanged = true
				pl.counts.ParticipationsCreated++
				pl.write.NewParticipations = append(pl.write.NewParticipations, expodesk.NewParticipation{
					ExhibitorSlug: row.Exhibitor.Slug, ExpoID: pp.expo.ID, PavilionID: pp.want.PavilionID,
					Booth: pp.want.Booth, Status: pp.want.Status})
				if cp.existing != nil {
					row.Changed = append(row.Changed, exhibitorcsv.ColExpo)
				}
			case len(pp.changed) > 0:
				partChanged = true
				pl.counts.ParticipationsUpdated++
				pl.write.Participations = append(pl.write.Participations, pp.want)
				row.Changed = append(row.Changed, pp.changed...)
			}
		}
		switch {
		case cp.existing == nil:
			row.Action = expodesk.ImportCreate
		case len(cp.changed) > 0 || partChanged:
			row.Action = expodesk.ImportUpdate
		default:
			row.Action = expodesk.ImportUnchanged
			pl.counts.Unchanged++
		}
		if !partChanged {
			continue
		}
		ch := changes[row.Exhibitor.Slug]
		if ch == nil {
			ch = &companyChange{slug: row.Exhibitor.Slug, existingID: cp.existing.ID, before: map[string]any{}, after: map[string]any{}}
			changes[row.Exhibitor.Slug] = ch
		}
		if ch.expoID == nil {
			ch.expoID, ch.pavilionID = &pp.expo.ID, pp.want.PavilionID
		}
		key := "participation " + pp.expo.Slug
		if pp.existing != nil {
			ch.before[key] = participationImportAudit(*pp.existing, pavilionSlug)
		}
		ch.after[key] = participationImportAudit(pp.want, pavilionSlug)
	}
	for _, slug := range order {
		if ch := changes[slug]; ch != nil {
			pl.changes = append(pl.changes, *ch)
		}
	}
	return pl
}

// planCompany works out what the rows of one slug do to that company: the
// company they match, the record as it would be stored, the columns that
// change and the problems that only the database reveals.
func planCompany(p *expodesk.Principal, row expodesk.Exhibitor, has map[string]bool,
	bySlug, byReg map[string]*expodesk.Exhibitor, byHost, byName map[string][]*expodesk.Exhibitor,
	inPavilion map[int64]bool, sectors map[string]bool) *companyPlan {
	cp := &companyPlan{problems: expodesk.Problems{}, merged: row}
	existing := bySlug[row.Slug]
	if row.RegistrationID != "" {
		if other := byReg[strings.ToUpper(row.RegistrationID)]; other != nil && (existing == nil || other.ID != existing.ID) {
			if existing == nil {
				cp.problems.Add(exhibitorcsv.ColSlug, "import.registered_as", map[string]any{"Slug": other.Slug})
			} else {
				cp.problems.Add(exhibitorcsv.ColRegistrationID, "import.registration_id_taken", map[string]any{"Slug": other.Slug})
			}
		}
	}
	var existingID int64
	if existing != nil {
		existingID = existing.ID
		cp.existing = existing
		m := *existing
		m.Sectors = slices.Clone(existing.Sectors)
		for _, f := range importFields {
			if has[f.col] {
				*f.get(&m) = *f.get(&row)
			}
			if *f.get(&m) != *f.get(existing) {
				cp.changed = append(cp.changed, f.col)
			}
		}
		if has[exhibitorcsv.ColSectors] {
			m.Sectors = slices.Clone(row.Sectors)
		}
		if !sameSet(m.Sectors, existing.Sectors) {
			cp.changed = append(cp.changed, exhibitorcsv.ColSectors)
		}
		cp.merged = m
		if err := m.Validate(sectors); err != nil {
			if de := expodesk.ErrorOf(err); de != nil {
				for field, msg := range de.Problems {
					if !slices.Contains(exhibitorcsv.Columns, field) {
						field = exhibitorcsv.RowProblem
					}
					cp.problems.Add(field, msg.Key, msg.Data)
				}
			}
		}
		if len(cp.changed) > 0 && !expodesk.CanEditExhibitor(p, existing.ID, inPavilion[existing.ID]) {
			cp.problems.Add(exhibitorcsv.ColSlug, "import.company_not_yours", nil)
		}
	}
	// Likely duplicates: only for what is new, so that data stored before
	// is not flagged at every import.
	checks := func(col string) bool { return existing == nil || slices.Contains(cp.changed, col) }
	if checks(exhibitorcsv.ColWebsite) {
		for _, other := range byHost[expodesk.ImportHost(cp.merged.Website)] {
			if other.ID != existingID {
				cp.problems.Add(exhibitorcsv.ColWebsite, "import.website_taken", map[string]any{"Slug": other.Slug})
				break
			}
		}
	}
	for _, col := range nameColumns {
		if !checks(col) {
			continue
		}
		v := *fieldOf(col).get(&cp.merged)
		for _, other := range byName[expodesk.FoldName(v)] {
			if v != "" && other.ID != existingID {
				cp.problems.Add(col, "import.name_taken", map[string]any{"Slug": other.Slug})
				break
			}
		}
	}
	return cp
}

func fieldOf(col string) importField {
	for _, f := range importFields {
		if f.col == col {
			return f
		}
	}
	panic("exhibitorcsv column without a field: " + col)
}

func samePavilion(a, b *int64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// exhibitorImportAudit is what the audit entry records of a company: the
// given columns, or every column when cols is nil (a new company).
func exhibitorImportAudit(e expodesk.Exhibitor, cols []string) map[string]any {
	out := map[string]any{}
	for _, f := range importFields {
		if cols == nil || slices.Contains(cols, f.col) {
			out[f.col] = *f.get(&e)
		}
	}
	if cols == nil || slices.Contains(cols, exhibitorcsv.ColSectors) {
		out[exhibitorcsv.ColSectors] = e.Sectors
	}
	if cols == nil {
		out[exhibitorcsv.ColSlug] = e.Slug
	}
	return out
}

func participationImportAudit(pt expodesk.Participation, pavilionSlug map[int64]string) map[string]any {
	pv := ""
	if pt.PavilionID != nil {
		pv = pavilionSlug[*pt.PavilionID]
	}
	return map[string]any{"pavilion": pv, "booth": pt.Booth, "status": pt.Status}
}
