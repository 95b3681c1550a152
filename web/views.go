package web

import (
	"context"
	"time"

	"expodesk/internal/expodesk"
)

// Page is what the layout needs from every page.
type Page struct {
	Title       string // already translated; the site name is appended
	Description string
	Crumbs      []Crumb
	// AltICS, when set, is advertised as the page's calendar feed.
	AltICS string
	// htmx loads htmx, for the pages that use it (the directory's search as
	// one types): elsewhere its start-up scan of the page is wasted work.
	htmx bool
}

// withHTMX returns p for a page that uses htmx.
func (p Page) withHTMX() Page {
	p.htmx = true
	return p
}

// Crumb is one step of the breadcrumb trail; the last one has no link.
type Crumb struct {
	Label string
	Href  string
	Lang  string // when the label is content in another language
}

// HomeView is the home page: every expo with its sisters.
type HomeView struct {
	Expos []ExpoCard
}

// ExpoCard is an expo as a card shows it.
type ExpoCard struct {
	Expo    expodesk.Expo
	Sisters []expodesk.Expo
	Counts  expodesk.ExpoCounts
}

// ExpoView is an expo's page.
type ExpoView struct {
	Expo      expodesk.Expo
	Sisters   []expodesk.Expo
	Pavilions []expodesk.PavilionSummary
	Counts    expodesk.ExpoCounts
}

// DirectoryView is an expo's or a pavilion's exhibitor directory.
type DirectoryView struct {
	Expo      expodesk.Expo
	Pavilion  *expodesk.Pavilion
	Query     expodesk.DirectoryQuery
	Result    expodesk.DirectoryPage
	Sectors   []expodesk.Sector
	Countries []string
	// Path is the directory's own URL path, which the filter form submits to.
	Path string
}

// SectorName returns a sector's name for display (its code if unknown).
func (v DirectoryView) SectorName(code string) expodesk.Text {
	return sectorName(v.Sectors, code)
}

func sectorName(sectors []expodesk.Sector, code string) expodesk.Text {
	for _, s := range sectors {
		if s.Code == code {
			return s.Name
		}
	}
	return expodesk.Text{EN: code}
}

// ExhibitorView is an exhibitor's public page.
type ExhibitorView struct {
	Exhibitor      expodesk.Exhibitor
	Participations []expodesk.ExhibitorParticipation
	Slots          []expodesk.AgendaItem
	Sectors        []expodesk.Sector
}

// AgendaView is an expo's (or a pavilion's) roadshow agenda.
type AgendaView struct {
	Expo      expodesk.Expo
	Pavilion  *expodesk.Pavilion
	Pavilions []expodesk.Pavilion
	Days      []AgendaDay
	// Zones is the zone a visitor abroad chose to read times in beside the expo's.
	Zones Zones
	ICS   string
}

// AgendaDay is one day of an agenda, stage by stage.
type AgendaDay struct {
	Date   time.Time
	Stages []AgendaStage
}

// AgendaStage is one stage's slots on one day.
type AgendaStage struct {
	StageID      int64
	Name         expodesk.Text
	Location     expodesk.Text
	PavilionName expodesk.Text
	Items        []expodesk.AgendaItem
}

// GroupAgenda arranges slots (ordered by start) into days in loc and, inside
// each day, stages in order of first appearance. Stages are told apart by id:
// two pavilions may both name theirs "Roadshow stage".
func GroupAgenda(items []expodesk.AgendaItem, loc *time.Location) []AgendaDay {
	var days []AgendaDay
	for _, it := range items {
		local := it.StartsAt.In(loc)
		day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
		if len(days) == 0 || !days[len(days)-1].Date.Equal(day) {
			days = append(days, AgendaDay{Date: day})
		}
		d := &days[len(days)-1]
		idx := -1
		for i := range d.Stages {
			if d.Stages[i].StageID == it.StageID {
				idx = i
				break
			}
		}
		if idx < 0 {
			d.Stages = append(d.Stages, AgendaStage{StageID: it.StageID, Name: it.StageName, Location: it.StageLocation, PavilionName: it.PavilionName})
			idx = len(d.Stages) - 1
		}
		d.Stages[idx].Items = append(d.Stages[idx].Items, it)
	}
	return days
}

// ErrorView is the page for a failed request.
type ErrorView struct {
	Status    int
	Title     string
	Message   string
	RequestID string
}

// pageWindow returns the page numbers to link: the first, the last, and two
// around the current one, with 0 standing for a gap.
func pageWindow(page, pages int) []int {
	var out []int
	last := 0
	for n := 1; n <= pages; n++ {
		if n == 1 || n == pages || (n >= page-2 && n <= page+2) {
			if last != 0 && n > last+1 {
				out = append(out, 0)
			}
			out = append(out, n)
			last = n
		}
	}
	return out
}

type altName struct{ Label, Lang string }

// otherNames lists a company's names in the languages other than the one
// shown as its title, so a Chinese reader also sees the English name.
func otherNames(ctx context.Context, e expodesk.Exhibitor) []altName {
	_, shown := e.Name.Resolve(Lang(ctx))
	var out []altName
	for _, l := range expodesk.Langs {
		if v := e.Name.Get(l); v != "" && l != shown && v != e.Name.Get(shown) {
			out = append(out, altName{Label: v, Lang: htmlLang(l)})
		}
	}
	return out
}
