package web

import (
	"net/url"
	"slices"

	"expodesk/internal/expodesk"
)

// ProfileView is the exhibitor's profile page: the form, the logo and a
// preview of the company's card as the directory shows it.
type ProfileView struct {
	Company expodesk.Exhibitor
	// Preview is the card as the directory shows it (booth and pavilion of
	// the first approved participation, when there is one).
	Preview expodesk.DirectoryEntry
	Sectors []expodesk.Sector
	// Public reports whether the company has a public page yet.
	Public bool
	Form   FormState
	Logo   FormState
	Flash  string
}

// ProfileValues is the form filled with what is stored.
func ProfileValues(e expodesk.Exhibitor) url.Values {
	v := url.Values{}
	for _, l := range expodesk.Langs {
		v.Set("name_"+string(l), e.Name.Get(l))
		v.Set("description_"+string(l), e.Description.Get(l))
	}
	v["sectors"] = slices.Clone(e.Sectors)
	v.Set("country", e.Country)
	v.Set("city", e.City)
	v.Set("website", e.Website)
	v.Set("email", e.Email)
	v.Set("phone", e.Phone)
	return v
}

func (f FormState) has(name, value string) bool {
	return f.Values != nil && slices.Contains(f.Values[name], value)
}

// profileLangLabel is the catalog key naming a language in a field label.
func profileLangLabel(l expodesk.Lang) string { return "profile.in_" + string(l) }

func logoDescribedBy(f FormState) string {
	if f.Invalid("file") {
		return "file-hint file-error"
	}
	return "file-hint"
}
