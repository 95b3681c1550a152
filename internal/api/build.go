package api

import (
	"net/url"
	"strconv"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/urls"
)

// Builder turns the domain's public data into response types, with links
// made absolute against the public origin (BASE_URL): an embedding page on
// another site follows them as they are.
type Builder struct {
	Base string
	Lang Lang
}

func (b Builder) abs(path string) string { return urls.Absolute(b.Base, path) }

// langQuery is the lang parameter that keeps ?lang=all in the links of a
// response (one language is chosen again by the next request's own headers).
func (b Builder) langQuery() url.Values {
	if b.Lang.All {
		return url.Values{"lang": {"all"}}
	}
	return nil
}

// ExpoRef names e.
func (b Builder) ExpoRef(e expodesk.Expo) ExpoRef {
	return ExpoRef{Slug: e.Slug, Name: b.Lang.Text(e.Name), API: b.abs(urls.APIExpo(e.Slug))}
}

// Expo is e with its sisters and figures; pavilions are added by the caller.
func (b Builder) Expo(e expodesk.Expo, sisters []expodesk.Expo, c expodesk.ExpoCounts) Expo {
	out := Expo{Slug: e.Slug, Name: b.Lang.Text(e.Name), City: b.Lang.Text(e.City), Country: e.Country,
		Venue: b.Lang.Text(e.Venue), TimeZone: e.TimeZone,
		FirstDay: e.FirstDay.Format(time.DateOnly), LastDay: e.LastDay.Format(time.DateOnly),
		Website: e.Website, Sisters: make([]ExpoRef, 0, len(sisters)),
		Counts: Counts{Exhibitors: c.Exhibitors, Pavilions: c.Pavilions, Countries: c.Countries,
			Slots: c.Slots, BookedSlots: c.BookedSlots},
		URL: b.abs(urls.Expo(e.Slug)),
		Links: ExpoLinks{Self: b.abs(urls.APIExpo(e.Slug)), Pavilions: b.abs(urls.APIPavilions(e.Slug)),
			Exhibitors: b.abs(urls.APIExpoExhibitors(e.Slug, b.langQuery())), Agenda: b.abs(urls.APIExpoAgenda(e.Slug)),
			Calendar: b.abs(urls.ExpoAgendaICS(e.Slug))},
	}
	if !b.Lang.All {
		out.Links.Calendar = b.abs(urls.InLang(urls.ExpoAgendaICS(e.Slug), string(b.Lang.Lang)))
	}
	for _, s := range sisters {
		out.Sisters = append(out.Sisters, b.ExpoRef(s))
	}
	return out
}

// PavilionRef names pavilion slug (named name) of expo.
func (b Builder) PavilionRef(expo, slug string, name expodesk.Text) *PavilionRef {
	return &PavilionRef{Slug: slug, Name: b.Lang.Text(name), API: b.abs(urls.APIPavilion(expo, slug))}
}

// Pavilion is pv of expo with its number of approved exhibitors.
func (b Builder) Pavilion(expo string, pv expodesk.Pavilion, exhibitors int) Pavilion {
	return Pavilion{Slug: pv.Slug, Expo: expo, Name: b.Lang.Text(pv.Name), Host: b.Lang.Text(pv.Host), Hall: pv.Hall,
		Description: b.Lang.Text(pv.Description), Exhibitors: exhibitors, URL: b.abs(urls.Pavilion(expo, pv.Slug)),
		Links: PavilionLinks{Self: b.abs(urls.APIPavilion(expo, pv.Slug)),
			Exhibitors: b.abs(urls.APIPavilionExhibitors(expo, pv.Slug, b.langQuery())),
			Agenda:     b.abs(urls.APIPavilionAgenda(expo, pv.Slug)),
			Calendar:   b.abs(urls.PavilionAgendaICS(expo, pv.Slug))}}
}

// name is an exhibitor's name: in one language it falls back to the legal
// name, as the pages do; with every language each is as written.
func (b Builder) name(e expodesk.Exhibitor) Text {
	if b.Lang.All {
		return b.Lang.Text(e.Name)
	}
	return Text{one: e.DisplayName(b.Lang.Lang)}
}

func (b Builder) logo(e expodesk.Exhibitor) string {
	if e.LogoETag == "" {
		return ""
	}
	return b.abs(urls.ExhibitorLogo(e.Slug, e.LogoETag))
}

func sectors(codes []string) []string {
	if codes == nil {
		return []string{}
	}
	return codes
}

// ExhibitorCard is a directory entry of expo.
func (b Builder) ExhibitorCard(expo string, d expodesk.DirectoryEntry) ExhibitorCard {
	c := ExhibitorCard{Slug: d.Slug, Name: b.name(d.Exhibitor), LegalName: d.LegalName, Country: d.Country,
		Sectors: sectors(d.Sectors), Logo: b.logo(d.Exhibitor), Booth: d.Booth,
		URL: b.abs(urls.Exhibitor(d.Slug)), API: b.abs(urls.APIExhibitor(d.Slug))}
	if d.PavilionSlug != "" {
		c.Pavilion = b.PavilionRef(expo, d.PavilionSlug, d.PavilionName)
	}
	return c
}

// ExhibitorPage is a directory page; link(q) is the page's own URL with
// query q (its filters, with another page number).
func (b Builder) ExhibitorPage(expo string, d expodesk.DirectoryPage, q url.Values, link func(url.Values) string) ExhibitorPage {
	out := ExhibitorPage{Items: make([]ExhibitorCard, 0, len(d.Entries)), Page: d.Page, PerPage: d.PerPage,
		Pages: d.Pages(), Total: d.Total, TotalIsLowerBound: d.More}
	for _, e := range d.Entries {
		out.Items = append(out.Items, b.ExhibitorCard(expo, e))
	}
	at := func(page int) string {
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		v.Del("page")
		if page > 1 {
			v.Set("page", strconv.Itoa(page))
		}
		return b.abs(link(v))
	}
	out.Links = PageLinks{Self: at(d.Page), First: at(1), Last: at(out.Pages)}
	if d.Page < out.Pages {
		next := at(d.Page + 1)
		out.Links.Next = &next
	}
	if d.Page > 1 {
		prev := at(min(d.Page-1, out.Pages))
		out.Links.Prev = &prev
	}
	return out
}

// Exhibitor is e's public profile with its approved participations.
func (b Builder) Exhibitor(e expodesk.Exhibitor, parts []expodesk.ExhibitorParticipation) Exhibitor {
	out := Exhibitor{Slug: e.Slug, Name: b.name(e), LegalName: e.LegalName, Description: b.Lang.Text(e.Description),
		Country: e.Country, City: e.City, Website: e.Website, Sectors: sectors(e.Sectors), Logo: b.logo(e),
		Participations: make([]Participation, 0, len(parts)), URL: b.abs(urls.Exhibitor(e.Slug)),
		Links: ExhibitorLinks{Self: b.abs(urls.APIExhibitor(e.Slug)), Agenda: b.abs(urls.APIExhibitorAgenda(e.Slug)),
			Calendar: b.abs(urls.ExhibitorAgendaICS(e.Slug))}}
	if !b.Lang.All {
		out.Links.Calendar = b.abs(urls.InLang(urls.ExhibitorAgendaICS(e.Slug), string(b.Lang.Lang)))
	}
	for _, p := range parts {
		pp := Participation{Expo: b.ExpoRef(p.Expo), Booth: p.Booth}
		if p.Pavilion != nil {
			pp.Pavilion = b.PavilionRef(p.Expo.Slug, p.Pavilion.Slug, p.Pavilion.Name)
		}
		out.Participations = append(out.Participations, pp)
	}
	return out
}

// Agenda is items as slots, each time in its expo's zone.
func (b Builder) Agenda(items []expodesk.AgendaItem) Agenda {
	out := Agenda{Items: make([]Slot, 0, len(items))}
	for _, it := range items {
		zone := expodesk.LoadLocation(it.ExpoTimeZone)
		s := Slot{ID: it.SlotID, StartsAt: it.StartsAt.In(zone).Format(time.RFC3339),
			EndsAt: it.EndsAt.In(zone).Format(time.RFC3339), TimeZone: it.ExpoTimeZone, Status: SlotFree,
			Expo:  ExpoRef{Slug: it.ExpoSlug, Name: b.Lang.Text(it.ExpoName), API: b.abs(urls.APIExpo(it.ExpoSlug))},
			Stage: Stage{Slug: it.StageSlug, Name: b.Lang.Text(it.StageName), Location: b.Lang.Text(it.StageLocation)}}
		if it.PavilionSlug != "" {
			s.Pavilion = b.PavilionRef(it.ExpoSlug, it.PavilionSlug, it.PavilionName)
		}
		switch {
		case it.BookingID != nil:
			s.Status = SlotBooked
			// A booking of a company visitors may not see keeps the slot
			// taken and says nothing about who holds it.
			if it.Presented() {
				name := Text{one: it.ExhibitorName.In(b.Lang.Lang)}
				if b.Lang.All {
					name = b.Lang.Text(it.ExhibitorName)
				} else if name.one == "" {
					name.one = it.ExhibitorLegalName
				}
				s.Presentation = &Presentation{Title: b.Lang.Text(it.Titles), Abstract: b.Lang.Text(it.Abstracts),
					Exhibitor: ExhibitorRef{Slug: it.ExhibitorSlug, Name: name,
						URL: b.abs(urls.Exhibitor(it.ExhibitorSlug)), API: b.abs(urls.APIExhibitor(it.ExhibitorSlug))}}
			}
		case it.Blocked:
			s.Status = SlotBlocked
			if it.Labelled() {
				l := b.Lang.Text(it.Label)
				s.Label = &l
			}
		}
		out.Items = append(out.Items, s)
	}
	return out
}

// Sectors is the sector list.
func (b Builder) Sectors(list []expodesk.Sector) SectorList {
	out := SectorList{Items: make([]Sector, 0, len(list))}
	for _, s := range list {
		out.Items = append(out.Items, Sector{Code: s.Code, Name: b.Lang.Text(s.Name)})
	}
	return out
}
