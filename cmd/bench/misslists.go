package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"

	"github.com/jackc/pgx/v5"

	"expodesk/internal/urls"
)

// The page lists of the runs that miss the page cache.

var missLangs = []string{"en", "zh", "es"}

// searchPaths are the search-as-you-type requests of a directory at path:
// each term in the language its kind suggests.
func searchPaths(path string, terms []typedTerm) []string {
	out := make([]string, len(terms))
	for i, t := range terms {
		out[i] = path + "?" + url.Values{"q": {t.Text}, "lang": {t.Kind.lang()}}.Encode()
	}
	return out
}

// dirEntry is one approved participation of the measured expo, as the
// directory's filters see it.
type dirEntry struct {
	Pavilion string // "" for none
	Country  string
	Sectors  []string
}

// directoryMissPaths lists every distinct directory page of the expo a
// visitor can reach with the filters: the expo's directory and each
// pavilion's, with no sector or one, no country or one, each page of the
// result up to maxPages, in each language; only combinations that list
// somebody. Shuffled (seeded), so that consecutive requests are different
// kinds of pages.
func directoryMissPaths(expo string, entries []dirEntry, perPage, maxPages int, seed uint64) []string {
	type combo struct{ pavilion, sector, country string }
	counts := map[combo]int{}
	for _, e := range entries {
		for _, pv := range []string{"*", e.Pavilion} {
			if pv == "" {
				continue
			}
			for _, s := range append([]string{""}, e.Sectors...) {
				for _, c := range []string{"", e.Country} {
					counts[combo{pv, s, c}]++
				}
			}
		}
	}
	combos := make([]combo, 0, len(counts))
	for c := range counts {
		combos = append(combos, c)
	}
	slices.SortFunc(combos, func(a, b combo) int {
		if a.pavilion != b.pavilion {
			return cmpString(a.pavilion, b.pavilion)
		}
		if a.sector != b.sector {
			return cmpString(a.sector, b.sector)
		}
		return cmpString(a.country, b.country)
	})
	var out []string
	for _, c := range combos {
		path := urls.ExpoDirectory(expo)
		if c.pavilion != "*" {
			path = urls.Pavilion(expo, c.pavilion)
		}
		pages := min(maxPages, (counts[c]+perPage-1)/perPage)
		for page := 1; page <= pages; page++ {
			for _, lang := range missLangs {
				q := url.Values{"lang": {lang}}
				if c.sector != "" {
					q.Set("sector", c.sector)
				}
				if c.country != "" {
					q.Set("country", c.country)
				}
				if page > 1 {
					q.Set("page", fmt.Sprint(page))
				}
				out = append(out, path+"?"+q.Encode())
			}
		}
	}
	rng := rand.New(rand.NewPCG(seed, 3))
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// exhibitorMissPaths lists each exhibitor's page in each language, shuffled.
func exhibitorMissPaths(slugs []string, seed uint64) []string {
	var out []string
	for _, s := range slugs {
		for _, lang := range missLangs {
			out = append(out, urls.Exhibitor(s)+"?lang="+lang)
		}
	}
	rng := rand.New(rand.NewPCG(seed, 5))
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// missData is what the lists are made from, read from the database.
type missData struct {
	Phrases []string // names of the expo's approved companies, and the products they describe
	Entries []dirEntry
	Slugs   []string // the expo's approved companies
}

func readMissData(ctx context.Context, dbURL string, expoID int64) (missData, error) {
	var d missData
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return d, err
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `
		SELECT e.slug, coalesce(e.name->>'en', ''), coalesce(e.name->>'zh', ''), coalesce(e.name->>'es', ''),
		       coalesce(pv.slug, ''), e.country,
		       array(SELECT s.sector_code FROM exhibitor_sector s WHERE s.exhibitor_id = e.id ORDER BY 1)
		FROM participation p JOIN exhibitor e ON e.id = p.exhibitor_id LEFT JOIN pavilion pv ON pv.id = p.pavilion_id
		WHERE p.expo_id = $1 AND p.status = 'approved' ORDER BY e.id`, expoID)
	if err != nil {
		return d, fmt.Errorf("read the expo's companies: %w", err)
	}
	var slug, en, zh, es string
	var e dirEntry
	_, err = pgx.ForEachRow(rows, []any{&slug, &en, &zh, &es, &e.Pavilion, &e.Country, &e.Sectors}, func() error {
		d.Slugs = append(d.Slugs, slug)
		d.Entries = append(d.Entries, dirEntry{Pavilion: e.Pavilion, Country: e.Country, Sectors: slices.Clone(e.Sectors)})
		for _, n := range []string{en, zh, es} {
			if n != "" {
				d.Phrases = append(d.Phrases, n)
			}
		}
		return nil
	})
	if err != nil {
		return d, fmt.Errorf("read the expo's companies: %w", err)
	}
	for _, p := range products {
		d.Phrases = append(d.Phrases, p.en, p.zh, p.es)
	}
	for _, a := range applications {
		d.Phrases = append(d.Phrases, a.en, a.zh, a.es)
	}
	return d, nil
}
