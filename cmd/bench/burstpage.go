package main

import (
	"html"
	"regexp"
	"strings"

	"expodesk/internal/expodesk"
	"expodesk/internal/i18n"
)

// What the burst's clients read off the booking pages, as a person does:
// the book buttons of the free slots on the page they wait on, and, after
// losing a slot, whether the page says it was just taken and which nearest
// free slots it offers (or that none is left).

// bookAction is the action of one booking form (each free slot's book
// button is a form of its own, posting nothing but the form itself).
var bookAction = regexp.MustCompile(`<form\b[^>]*\baction="([^"]*/slots/[0-9]+/book)"`)

// bookActions returns the booking forms' actions in page order.
func bookActions(page string) []string {
	var out []string
	for _, m := range bookAction.FindAllStringSubmatch(page, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// pageTexts are the sentences of the booking page that say a slot was
// taken and that no other one is free, in the language the clients ask
// for, from the server's own catalog.
type pageTexts struct{ taken, noneLeft string }

func loadPageTexts() (pageTexts, error) {
	catalog, err := i18n.Load()
	if err != nil {
		return pageTexts{}, err
	}
	l := catalog.Localizer(expodesk.EN)
	return pageTexts{taken: html.EscapeString(l.T("booking.slot_taken")), noneLeft: html.EscapeString(l.T("booking.no_free_left"))}, nil
}

// lostAnswer is what a 409 page says to a company that lost a slot.
type lostAnswer struct {
	Taken    bool     // the notice says the slot was just taken
	Nearest  []string // the booking forms of the nearest free slots offered
	NoneLeft bool     // the notice says no other slot is free
}

// readLost reads the notice of a booking page answered to a lost slot: the
// nearest slots are the book buttons inside the notice's list, not the
// page's full list of free slots below it.
func readLost(page string, t pageTexts) lostAnswer {
	var a lostAnswer
	start := strings.Index(page, `data-testid="booking-notice"`)
	if start < 0 {
		return a
	}
	notice := page[start:]
	// The notice is one <div> holding paragraphs and at most one list; the
	// first </div> after it ends it (its forms hold no div).
	if end := strings.Index(notice, "</div>"); end >= 0 {
		notice = notice[:end]
	}
	a.Taken = strings.Contains(notice, t.taken)
	if !a.Taken {
		return a
	}
	if i := strings.Index(notice, `data-testid="nearest"`); i >= 0 {
		list := notice[i:]
		if end := strings.Index(list, "</ul>"); end >= 0 {
			list = list[:end]
		}
		a.Nearest = bookActions(list)
	}
	a.NoneLeft = len(a.Nearest) == 0 && strings.Contains(notice, t.noneLeft)
	return a
}
