// Package demo loads the demo data: the two sister expos, a Wuxi Pavilion of
// fictional companies with names in three languages, a European pavilion in
// Wuxi, stages with slots over the fair days (some booked) and two
// delegations. No real company is presented as an exhibitor.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/postgres"
)

// Login is a demo account printed by `make run`.
type Login struct {
	Role     string
	Email    string
	Password string
}

// Result says what Load did.
type Result struct {
	Loaded bool // false when the demo data was already there
	Logins []Login
}

// Marker is the slug of the expo whose presence means the demo data is loaded.
const Marker = "iotswc-2027"

// lockKey serializes concurrent loads from two instances.
const lockKey = 0x6578706f64656d6f // "expodemo"

// Load inserts the demo data in one transaction unless it is already there.
// now places the booking and application windows so that both are open when
// the demo starts.
func Load(ctx context.Context, store *postgres.Store, now time.Time) (Result, error) {
	res := Result{Logins: Logins()}
	err := store.Tx(ctx, func(tx *postgres.Store) error {
		if err := tx.Lock(ctx, lockKey); err != nil {
			return err
		}
		if _, err := tx.ExpoGet(ctx, Marker); err == nil {
			return nil
		} else if expodesk.ErrorCode(err) != expodesk.ENOTFOUND {
			return err
		}
		res.Loaded = true
		return load(ctx, tx, now)
	})
	return res, err
}

// world is what load has created so far, by slug, for the parts that refer
// to earlier ones.
type world struct {
	expos      map[string]expodesk.Expo
	pavilions  map[string]expodesk.Pavilion // by pavilion slug (unique across the demo)
	exhibitors map[string]expodesk.Exhibitor
	stages     map[string]expodesk.Stage
	slots      map[string][]expodesk.Slot // by stage slug, in time order
	bookings   map[int64]expodesk.Booking // by slot id
}

func load(ctx context.Context, s *postgres.Store, now time.Time) error {
	w := &world{
		expos:      map[string]expodesk.Expo{},
		pavilions:  map[string]expodesk.Pavilion{},
		exhibitors: map[string]expodesk.Exhibitor{},
		stages:     map[string]expodesk.Stage{},
		slots:      map[string][]expodesk.Slot{},
		bookings:   map[int64]expodesk.Booking{},
	}
	steps := []struct {
		what string
		do   func(context.Context, *postgres.Store, *world, time.Time) error
	}{
		{"expos", loadExpos},
		{"pavilions", loadPavilions},
		{"exhibitors", loadExhibitors},
		{"stages", loadStages},
		{"bookings", loadBookings},
		{"delegations", loadDelegations},
		{"accounts", loadAccounts},
	}
	for _, step := range steps {
		if err := step.do(ctx, s, w, now); err != nil {
			return fmt.Errorf("demo %s: %w", step.what, err)
		}
	}
	return nil
}

func loadExpos(ctx context.Context, s *postgres.Store, w *world, now time.Time) error {
	for _, e := range []expodesk.Expo{
		{
			Slug: bcn,
			Name: expodesk.Text{EN: "IoT Solutions World Congress 2027", ZH: "2027物联网解决方案世界大会", ES: "IoT Solutions World Congress 2027"},
			City: expodesk.Text{EN: "Barcelona", ZH: "巴塞罗那", ES: "Barcelona"}, Country: "ES",
			Venue:    expodesk.Text{EN: "Fira de Barcelona, Gran Via", ZH: "巴塞罗那会展中心Gran Via展馆", ES: "Fira de Barcelona, recinto Gran Via"},
			TimeZone: "Europe/Madrid", FirstDay: day(2027, 5, 11), LastDay: day(2027, 5, 13),
			Website: "https://www.iotsworldcongress.com/", SlotQuota: 2, CancelHoursBefore: 48,
		},
		{
			Slug: wx,
			Name: expodesk.Text{EN: "World IoT Expo 2027", ZH: "2027世界物联网博览会", ES: "Exposición Mundial del IoT 2027"},
			City: expodesk.Text{EN: "Wuxi", ZH: "无锡", ES: "Wuxi"}, Country: "CN",
			Venue:    expodesk.Text{EN: "Taihu International Expo Center", ZH: "太湖国际博览中心", ES: "Centro Internacional de Exposiciones Taihu"},
			TimeZone: "Asia/Shanghai", FirstDay: day(2027, 10, 26), LastDay: day(2027, 10, 28),
			SlotQuota: 2, CancelHoursBefore: 48,
		},
	} {
		e.BookingOpensAt, e.BookingClosesAt = window(now, 24*time.Hour, e, 2)
		e.ApplicationsOpenAt, e.ApplicationsCloseAt = window(now, 30*24*time.Hour, e, 30)
		created, err := s.ExpoCreate(ctx, e)
		if err != nil {
			return fmt.Errorf("%s: %w", e.Slug, err)
		}
		w.expos[e.Slug] = created
	}
	return s.ExpoLinkSisters(ctx, w.expos[bcn].ID, w.expos[wx].ID)
}

// window returns a booking or application window that opened ago before now
// and closes daysBefore the expo's first day (18:00 local), or a month after
// now when that is less than a day away, so that a demo started at any time
// is open.
func window(now time.Time, ago time.Duration, e expodesk.Expo, daysBefore int) (opens, closes *time.Time) {
	o := now.Add(-ago)
	first := e.FirstDay.AddDate(0, 0, -daysBefore)
	c := time.Date(first.Year(), first.Month(), first.Day(), 18, 0, 0, 0, e.Location())
	if c.Before(now.Add(24 * time.Hour)) {
		c = now.Add(30 * 24 * time.Hour)
	}
	return &o, &c
}

func loadPavilions(ctx context.Context, s *postgres.Store, w *world, _ time.Time) error {
	for _, p := range []struct {
		expo string
		expodesk.Pavilion
	}{
		{bcn, expodesk.Pavilion{
			Slug: "wuxi-pavilion", Hall: "2", Position: 1,
			Name: expodesk.Text{EN: "Wuxi Pavilion", ZH: "无锡馆", ES: "Pabellón de Wuxi"},
			Host: expodesk.Text{EN: "EU–China IoT Partnership Centre", ZH: "中欧物联网伙伴中心", ES: "Centro de Asociación IoT UE–China"},
			Description: expodesk.Text{
				EN: "Forty companies from Wuxi, China's IoT city: sensing, cloud computing, smart homes, smart cities, industrial manufacturing, connected vehicles and chips. The pavilion is curated by the IOTSWC's country partner, with roadshows on the pavilion stage every day of the congress.",
				ZH: "四十家来自中国物联网之城无锡的企业，涵盖传感、云计算、智能家居、智慧城市、工业制造、车联网和集成电路。展馆由IOTSWC国家合作伙伴组织，大会期间每天在无锡馆路演台举办项目路演。",
				ES: "Cuarenta empresas de Wuxi, la ciudad china del IoT: sensórica, computación en la nube, hogar inteligente, ciudades inteligentes, fabricación industrial, vehículo conectado y chips. Reunidas por el socio nacional del IOTSWC, con roadshows en el escenario del pabellón todos los días del congreso.",
			},
		}},
		{wx, expodesk.Pavilion{
			Slug: "european-pavilion", Hall: "A3", Position: 1,
			Name: expodesk.Text{EN: "European Pavilion", ZH: "欧洲馆", ES: "Pabellón Europeo"},
			Host: expodesk.Text{EN: "Mediterranean IoT Trade Association", ZH: "地中海物联网贸易协会", ES: "Asociación Mediterránea de Comercio IoT"},
			Description: expodesk.Text{
				EN: "Companies from Spain and the rest of Europe bring agritech, water, mobility, industrial and cloud solutions to Wuxi, with a daily roadshow programme in English, Chinese and Spanish.",
				ZH: "来自西班牙和欧洲其他国家的企业将智慧农业、水务、出行、工业和云计算方案带到无锡，展会期间每天以中英西三种语言举办路演。",
				ES: "Empresas de España y del resto de Europa llevan a Wuxi soluciones de agrotecnología, agua, movilidad, industria y nube, con un programa diario de roadshows en inglés, chino y español.",
			},
		}},
	} {
		p.ExpoID = w.expos[p.expo].ID
		created, err := s.PavilionCreate(ctx, p.Pavilion)
		if err != nil {
			return fmt.Errorf("%s: %w", p.Slug, err)
		}
		w.pavilions[p.Slug] = created
	}
	return nil
}

// pavilionOf returns the pavilion a company from country exhibits in at an
// expo: the Wuxi Pavilion for Chinese companies in Barcelona, the European
// Pavilion for the others in Wuxi, none at home.
func pavilionOf(expoSlug, country string) string {
	switch {
	case expoSlug == bcn && country == "CN":
		return "wuxi-pavilion"
	case expoSlug == wx && country != "CN":
		return "european-pavilion"
	}
	return ""
}

func loadExhibitors(ctx context.Context, s *postgres.Store, w *world, _ time.Time) error {
	sectors, err := s.SectorList(ctx)
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, sc := range sectors {
		known[sc.Code] = true
	}
	for _, c := range allCompanies() {
		e := expodesk.Exhibitor{
			Slug: slugOf(c), LegalName: c.legal, Name: c.name, Description: c.desc,
			Country: c.country, City: c.city, Sectors: c.sectors, RegistrationID: registrationID(c),
		}
		// Companies known only by their Chinese name show the page without a
		// web site or mail address, as a newly registered one would.
		if c.slug != "" {
			e.Website = "https://www." + c.slug + ".example"
			e.Email = "info@" + c.slug + ".example"
		}
		created, err := s.ExhibitorCreate(ctx, e, known)
		if err != nil {
			return fmt.Errorf("%s: %w", e.Slug, err)
		}
		w.exhibitors[created.Slug] = created
		status := c.status
		if status == "" {
			status = expodesk.StatusApproved
		}
		for _, expoSlug := range []string{bcn, wx} {
			booth, ok := c.at[expoSlug]
			if !ok {
				continue
			}
			p := expodesk.Participation{ExpoID: w.expos[expoSlug].ID, ExhibitorID: created.ID, Booth: booth, Status: status}
			if pv := pavilionOf(expoSlug, c.country); pv != "" {
				id := w.pavilions[pv].ID
				p.PavilionID = &id
			}
			if _, err := s.ParticipationCreate(ctx, p); err != nil {
				return fmt.Errorf("%s at %s: %w", e.Slug, expoSlug, err)
			}
		}
	}
	return nil
}

func allCompanies() []company {
	return append(append([]company{}, wuxiCompanies...), europeanCompanies...)
}

// slugOf returns the company's slug; one known only by its Chinese name gets
// the pinyin of it, as the registration form would give it.
func slugOf(c company) string {
	if c.slug != "" {
		return c.slug
	}
	return expodesk.Slugify(c.name.ZH)
}

// Roadshow hours on every fair day, local time: mornings 10:00–13:30 and
// afternoons 14:30–17:30 in 30-minute slots, with an hour for lunch.
var sessions = []struct{ fromH, fromM, toH, toM int }{{10, 0, 13, 30}, {14, 30, 17, 30}}

const slotLength = 30 * time.Minute

func loadStages(ctx context.Context, s *postgres.Store, w *world, _ time.Time) error {
	for _, st := range []struct {
		expo, pavilion string
		stage          expodesk.Stage
		// blocked is the slot held back from booking: day (0 = first) and local start time.
		blockedDay, blockedH, blockedM int
	}{
		{bcn, "wuxi-pavilion", expodesk.Stage{Slug: wuxiStage, Position: 1, Location: expodesk.Text{EN: "Hall 2, 2-E01", ZH: "2号馆，2-E01", ES: "Pabellón 2, 2-E01"},
			Name: expodesk.Text{EN: "Wuxi Pavilion Stage", ZH: "无锡馆路演台", ES: "Escenario del Pabellón de Wuxi"}},
			0, 10, 0}, // the pavilion's opening ceremony
		{bcn, "", expodesk.Stage{Slug: mainStage, Position: 2, Location: expodesk.Text{EN: "Hall 3", ZH: "3号馆", ES: "Pabellón 3"},
			Name: expodesk.Text{EN: "Main Stage", ZH: "主舞台", ES: "Escenario principal"}},
			1, 13, 0}, // the sister expos' joint announcement
		{wx, "european-pavilion", expodesk.Stage{Slug: europeStage, Position: 1, Location: expodesk.Text{EN: "Hall A3", ZH: "A3馆", ES: "Pabellón A3"},
			Name: expodesk.Text{EN: "European Pavilion Stage", ZH: "欧洲馆路演台", ES: "Escenario del Pabellón Europeo"}},
			0, 10, 0}, // the pavilion's opening ceremony
	} {
		expo := w.expos[st.expo]
		st.stage.ExpoID = expo.ID
		if st.pavilion != "" {
			id := w.pavilions[st.pavilion].ID
			st.stage.PavilionID = &id
		}
		stage, err := s.StageCreate(ctx, st.stage)
		if err != nil {
			return fmt.Errorf("%s: %w", st.stage.Slug, err)
		}
		w.stages[stage.Slug] = stage
		loc := expo.Location()
		for i, d := range expo.Days() {
			for _, ss := range sessions {
				// Times are built in the expo's zone, so that 10:00 is 10:00 in
				// Barcelona or Wuxi whatever the server's zone.
				end := time.Date(d.Year(), d.Month(), d.Day(), ss.toH, ss.toM, 0, 0, loc)
				for t := time.Date(d.Year(), d.Month(), d.Day(), ss.fromH, ss.fromM, 0, 0, loc); t.Before(end); t = t.Add(slotLength) {
					blocked := i == st.blockedDay && t.Hour() == st.blockedH && t.Minute() == st.blockedM
					sl, err := s.SlotCreate(ctx, expodesk.Slot{StageID: stage.ID, StartsAt: t, EndsAt: t.Add(slotLength), Blocked: blocked})
					if err != nil {
						return fmt.Errorf("%s slot %s: %w", stage.Slug, t.Format(time.RFC3339), err)
					}
					w.slots[stage.Slug] = append(w.slots[stage.Slug], sl)
				}
			}
		}
	}
	return nil
}

// loadBookings gives every talk of the company tables a free slot on its
// stage. Slots are drawn from a generator with a fixed seed, so the agenda
// looks scattered yet comes out the same every time; a company is never put
// on two stages at once.
func loadBookings(ctx context.Context, s *postgres.Store, w *world, _ time.Time) error {
	rng := rand.New(rand.NewPCG(2027, 511))
	busy := map[int64][]expodesk.Slot{} // exhibitor id → slots it presents in
	for _, stage := range []string{wuxiStage, mainStage, europeStage} {
		var free []expodesk.Slot
		for _, sl := range w.slots[stage] {
			if !sl.Blocked {
				free = append(free, sl)
			}
		}
		rng.Shuffle(len(free), func(i, j int) { free[i], free[j] = free[j], free[i] })
		for _, c := range allCompanies() {
			ex := w.exhibitors[slugOf(c)]
			for _, t := range c.talks {
				if t.stage != stage {
					continue
				}
				i := firstFree(free, busy[ex.ID])
				if i < 0 {
					return fmt.Errorf("no free slot on %s for %s", stage, ex.Slug)
				}
				sl := free[i]
				free = append(free[:i], free[i+1:]...)
				b, err := s.BookingCreate(ctx, expodesk.Booking{SlotID: sl.ID, ExhibitorID: ex.ID,
					Title: t.title, Abstract: t.abstract, Lang: t.lang}, nil)
				if err != nil {
					return fmt.Errorf("%s on %s: %w", ex.Slug, stage, err)
				}
				w.bookings[sl.ID] = b
				busy[ex.ID] = append(busy[ex.ID], sl)
			}
		}
	}
	return nil
}

// firstFree returns the index of the first slot in free that overlaps none
// of taken, or -1.
func firstFree(free, taken []expodesk.Slot) int {
next:
	for i, sl := range free {
		for _, t := range taken {
			if sl.StartsAt.Before(t.EndsAt) && t.StartsAt.Before(sl.EndsAt) {
				continue next
			}
		}
		return i
	}
	return -1
}

// bookedSlot returns the earliest booked slot on a stage on the expo's given
// day (0 = first) starting at or after the local hour, for itineraries that
// attend a roadshow.
func (w *world) bookedSlot(stage string, dayIndex, fromHour int) (expodesk.Slot, expodesk.Booking, bool) {
	expo := w.expoOfStage(stage)
	d := expo.FirstDay.AddDate(0, 0, dayIndex)
	from := time.Date(d.Year(), d.Month(), d.Day(), fromHour, 0, 0, 0, expo.Location())
	to := time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, expo.Location())
	for _, sl := range w.slots[stage] {
		if b, ok := w.bookings[sl.ID]; ok && !sl.StartsAt.Before(from) && sl.StartsAt.Before(to) {
			return sl, b, true
		}
	}
	return expodesk.Slot{}, expodesk.Booking{}, false
}

func (w *world) expoOfStage(stage string) expodesk.Expo {
	id := w.stages[stage].ExpoID
	for _, e := range w.expos {
		if e.ID == id {
			return e
		}
	}
	return expodesk.Expo{}
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
