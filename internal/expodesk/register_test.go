package expodesk

import (
	"strings"
	"testing"
)

func TestCanRegisterExhibitor(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    *Principal
		expo int64
		want bool
	}{
		{"Visitor", visitor, 1, false},
		{"Organizer", organizer, 1, true},
		{"OrganizerAnyExpo", organizer, 2, true},
		{"CoordinatorOwnExpo", coordinator, 1, true},
		{"CoordinatorOtherExpo", coordinator, 2, false},
		{"Exhibitor", exhibitorA, 1, false},
		{"Orphan", orphan, 1, false},
	} {
		if got := CanRegisterExhibitor(tc.p, tc.expo); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestCanEditExhibitorIdentity(t *testing.T) {
	for _, tc := range []struct {
		name       string
		p          *Principal
		company    int64
		inPavilion bool
		want       bool
	}{
		{"Visitor", visitor, 100, false, false},
		{"Organizer", organizer, 100, false, true},
		{"CoordinatorInPavilion", coordinator, 100, true, true},
		{"CoordinatorOutside", coordinator, 200, false, false},
		{"OwnTeam", exhibitorA, 100, false, false},
		{"OtherTeam", exhibitorB, 100, false, false},
	} {
		if got := CanEditExhibitorIdentity(tc.p, tc.company, tc.inPavilion); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestCleanRegistrationID(t *testing.T) {
	for _, tc := range []struct{ country, in, want string }{
		{"ES", " b-2674 0183 ", "B26740183"},
		{"CN", "91350100m000100y43", "91350100M000100Y43"},
		{"CN", "9135 0100 M000 100Y 43", "91350100M000100Y43"},
		{"DE", " HRB 12345 ", "HRB 12345"}, // other countries' ids are kept as typed
		{"ES", "ſ2674018", "ſ2674018"},     // non-ASCII is left for validation to refuse
	} {
		if got := CleanRegistrationID(tc.country, tc.in); got != tc.want {
			t.Errorf("CleanRegistrationID(%s, %q) = %q, want %q", tc.country, tc.in, got, tc.want)
		}
	}
}

func TestRegistrationIDProblem(t *testing.T) {
	e := Exhibitor{Slug: "x", LegalName: "X", Name: Text{EN: "X"}, Country: "CN", RegistrationID: "91350100M000100Y44"}
	err := ExplainRegistrationID(e.Validate(nil), e.Country)
	if k := ErrorOf(err).Problems["registration_id"].Key; k != "validation.registration_id_uscc" {
		t.Errorf("CN: %q", k)
	}
	e.Country = "ES"
	if k := ErrorOf(ExplainRegistrationID(e.Validate(nil), e.Country)).Problems["registration_id"].Key; k != "validation.registration_id_es" {
		t.Errorf("ES: %q", k)
	}
	e.Country, e.RegistrationID = "DE", "HRB 1"
	if k := ErrorOf(ExplainRegistrationID(e.Validate(nil), e.Country)).Problems["registration_id"].Key; k != "validation.registration_id_other" {
		t.Errorf("DE: %q", k)
	}
	if ExplainRegistrationID(nil, "CN") != nil {
		t.Error("no error became one")
	}
}

func TestExhibitorSlugFor(t *testing.T) {
	for _, tc := range []struct {
		e    Exhibitor
		want string
	}{
		{Exhibitor{Name: Text{EN: "Taihu Sensing", ZH: "太湖传感"}}, "taihu-sensing"},
		{Exhibitor{Name: Text{ES: "Energía Solar"}}, "energia-solar"},
		{Exhibitor{Name: Text{ZH: "云帆物联"}}, "yun-fan-wu-lian"},
		{Exhibitor{Name: Text{EN: "!!!"}, LegalName: "Acme SL"}, "acme-sl"},
		{Exhibitor{Name: Text{EN: "!!!"}, RegistrationID: "B26740183"}, "b26740183"},
		{Exhibitor{Name: Text{EN: "!!!"}}, "exhibitor"},
	} {
		if got := ExhibitorSlugFor(tc.e); got != tc.want {
			t.Errorf("ExhibitorSlugFor(%+v) = %q, want %q", tc.e.Name, got, tc.want)
		}
	}
	long := strings.Repeat("a", 80)
	for n, want := range map[int]string{1: long, 2: strings.Repeat("a", 78) + "-2", 100: strings.Repeat("a", 76) + "-100"} {
		got := SlugWithSuffix(long, n)
		if got != want || !ValidSlug(got) {
			t.Errorf("SlugWithSuffix(80 a, %d) = %q (valid %v)", n, got, ValidSlug(got))
		}
	}
	if got := SlugWithSuffix(strings.Repeat("a", 77)+"-bc", 2); got != strings.Repeat("a", 77)+"-2" || !ValidSlug(got) {
		t.Errorf("a cut that ends on a dash: %q", got)
	}
}
