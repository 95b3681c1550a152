package demo

import (
	"fmt"
	"testing"

	"expodesk/internal/expodesk"
)

// The generators must produce valid ids for any seed, not only for the
// companies in the tables today.
func TestGeneratedIDsValidate(t *testing.T) {
	for i := range 5000 {
		seed := fmt.Sprintf("company %d", i)
		for _, div := range []string{liangxi, xinwu, jiangyin, yixing} {
			if id := uscc(div, seed); !expodesk.ValidUSCC(id) {
				t.Fatalf("uscc(%s, %q) = %q, not valid", div, seed, id)
			}
		}
		for _, prefix := range []string{"A08", "B28", "G46", "N07", "Q48", "J17"} {
			if id := cif(prefix, seed); !expodesk.ValidSpanishTaxID(id) {
				t.Fatalf("cif(%s, %q) = %q, not valid", prefix, seed, id)
			}
		}
	}
}

func TestCompanyTables(t *testing.T) {
	slugs := map[string]bool{}
	booths := map[string]bool{}
	for _, c := range allCompanies() {
		slug := slugOf(c)
		if slugs[slug] || !expodesk.ValidSlug(slug) {
			t.Errorf("slug %q is a duplicate or invalid", slug)
		}
		slugs[slug] = true
		if len(c.at) == 0 {
			t.Errorf("%s exhibits nowhere", slug)
		}
		for expo, booth := range c.at {
			if booth == "" {
				if c.status == "" || c.status == expodesk.StatusApproved {
					t.Errorf("%s is approved at %s without a booth", slug, expo)
				}
				continue
			}
			if booths[expo+" "+booth] {
				t.Errorf("booth %s at %s given twice", booth, expo)
			}
			booths[expo+" "+booth] = true
		}
		for _, tk := range c.talks {
			if _, ok := c.at[map[string]string{wuxiStage: bcn, mainStage: bcn, europeStage: wx}[tk.stage]]; !ok {
				t.Errorf("%s talks on %s at an expo it does not exhibit at", slug, tk.stage)
			}
		}
	}
}
