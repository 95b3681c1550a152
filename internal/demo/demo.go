// Package demo loads the demo data: the two sister expos, a Wuxi Pavilion of
// fictional companies with names in three languages, a European pavilion in
// Wuxi, stages with slots over the fair days (some booked) and two
// delegations. No real company is presented as an exhibitor.
package demo

import (
	"context"
	"fmt"
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
func Load(ctx context.Context, store *postgres.Store, now time.Time) (Result, error) {
	var res Result
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

func load(ctx context.Context, s *postgres.Store, now time.Time) error {
	madrid := expodesk.LoadLocation("Europe/Madrid")
	shanghai := expodesk.LoadLocation("Asia/Shanghai")
	opens := now.Add(-24 * time.Hour)
	bcn, err := s.ExpoCreate(ctx, expodesk.Expo{
		Slug: Marker,
		Name: expodesk.Text{EN: "IoT Solutions World Congress 2027", ZH: "2027物联网解决方案世界大会", ES: "IoT Solutions World Congress 2027"},
		City: expodesk.Text{EN: "Barcelona", ZH: "巴塞罗那", ES: "Barcelona"}, Country: "ES",
		Venue:    expodesk.Text{EN: "Fira de Barcelona, Gran Via", ZH: "巴塞罗那会展中心 Gran Via 馆", ES: "Fira de Barcelona, recinto Gran Via"},
		TimeZone: "Europe/Madrid", FirstDay: day(2027, 5, 11), LastDay: day(2027, 5, 13),
		Website: "https://www.iotsworldcongress.com/", SlotQuota: 2, CancelHoursBefore: 48,
		BookingOpensAt: &opens,
	})
	if err != nil {
		return fmt.Errorf("expo: %w", err)
	}
	wx, err := s.ExpoCreate(ctx, expodesk.Expo{
		Slug: "wiot-2027",
		Name: expodesk.Text{EN: "World IoT Expo 2027", ZH: "2027世界物联网博览会", ES: "Exposición Mundial del IoT 2027"},
		City: expodesk.Text{EN: "Wuxi", ZH: "无锡", ES: "Wuxi"}, Country: "CN",
		Venue:    expodesk.Text{EN: "Wuxi Taihu International Expo Center", ZH: "无锡太湖国际博览中心", ES: "Centro Internacional de Exposiciones Taihu de Wuxi"},
		TimeZone: "Asia/Shanghai", FirstDay: day(2027, 10, 26), LastDay: day(2027, 10, 28),
		SlotQuota: 2, CancelHoursBefore: 48, BookingOpensAt: &opens,
	})
	if err != nil {
		return fmt.Errorf("expo: %w", err)
	}
	if err := s.ExpoLinkSisters(ctx, bcn.ID, wx.ID); err != nil {
		return err
	}
	pv, err := s.PavilionCreate(ctx, expodesk.Pavilion{ExpoID: bcn.ID, Slug: "wuxi-pavilion",
		Name: expodesk.Text{EN: "Wuxi Pavilion", ZH: "无锡馆", ES: "Pabellón de Wuxi"}, Hall: "2"})
	if err != nil {
		return err
	}
	sectors, err := s.SectorList(ctx)
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, sc := range sectors {
		known[sc.Code] = true
	}
	e, err := s.ExhibitorCreate(ctx, expodesk.Exhibitor{Slug: "taihu-sensing", LegalName: "无锡太湖传感科技有限公司",
		Name: expodesk.Text{EN: "Taihu Sensing Technology", ZH: "太湖传感科技"}, Country: "CN", City: "Wuxi",
		Description: expodesk.Text{EN: "MEMS pressure and gas sensors for smart cities.", ZH: "面向智慧城市的MEMS压力与气体传感器。"},
		Sectors:     []string{"sensors", "smart-city"}}, known)
	if err != nil {
		return err
	}
	if _, err := s.ParticipationCreate(ctx, expodesk.Participation{ExpoID: bcn.ID, ExhibitorID: e.ID, PavilionID: &pv.ID, Booth: "2-A01", Status: expodesk.StatusApproved}); err != nil {
		return err
	}
	st, err := s.StageCreate(ctx, expodesk.Stage{ExpoID: bcn.ID, PavilionID: &pv.ID, Slug: "wuxi-stage",
		Name: expodesk.Text{EN: "Wuxi Pavilion Stage", ZH: "无锡馆路演台", ES: "Escenario del Pabellón de Wuxi"}})
	if err != nil {
		return err
	}
	for i := 0; i < 6; i++ {
		start := time.Date(2027, 5, 11, 10, 0, 0, 0, madrid).Add(time.Duration(i) * 30 * time.Minute)
		if _, err := s.SlotCreate(ctx, expodesk.Slot{StageID: st.ID, StartsAt: start, EndsAt: start.Add(25 * time.Minute)}); err != nil {
			return err
		}
	}
	_ = shanghai
	return nil
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
