package server

import (
	"context"
	"fmt"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"expodesk/internal/expodesk"
)

var callExpos atomic.Int64

// callExpo creates an expo whose call for applications is open at the
// server's clock (opened a day ago, closing in a month), with a pavilion.
func (e *testEnv) callExpo(t testing.TB) (expodesk.Expo, expodesk.Pavilion) {
	t.Helper()
	ctx := context.Background()
	now := e.server.now()
	opens, closes := now.Add(-24*time.Hour), now.Add(30*24*time.Hour)
	x, err := e.store.ExpoCreate(ctx, expodesk.Expo{Slug: fmt.Sprintf("call-expo-%d", callExpos.Add(1)),
		Name: expodesk.Text{EN: "Call Expo", ZH: "征集展会", ES: "Feria con convocatoria"}, City: expodesk.Text{EN: "Wuxi"},
		Country: "CN", TimeZone: "Asia/Shanghai", FirstDay: time.Date(2027, 10, 26, 0, 0, 0, 0, time.UTC),
		LastDay: time.Date(2027, 10, 28, 0, 0, 0, 0, time.UTC), SlotQuota: 2, CancelHoursBefore: 48,
		ApplicationsOpenAt: &opens, ApplicationsCloseAt: &closes})
	if err != nil {
		t.Fatal(err)
	}
	pv, err := e.store.PavilionCreate(ctx, expodesk.Pavilion{ExpoID: x.ID, Slug: "european-pavilion",
		Name: expodesk.Text{EN: "European Pavilion", ZH: "欧洲馆", ES: "Pabellón Europeo"}})
	if err != nil {
		t.Fatal(err)
	}
	return x, pv
}

// applicationForm is a valid application from a Chinese company; email
// names its contact.
func applicationForm(email string) url.Values {
	return url.Values{
		"legal_name": {"无锡云感科技有限公司"}, "name_en": {"Cloudsense"}, "name_zh": {"云感科技"},
		"description_en": {"Sensor clouds for smart cities."}, "sectors": {"sensors", "cloud"},
		"country": {"CN"}, "city": {"Wuxi"}, "website": {"https://cloudsense.example.cn"},
		"registration_id": {""}, "family_name": {"刘"}, "given_name": {"洋"}, "contact_email": {email},
		"phone": {"+86 510 8888 0000"}, "lang": {"zh"}, "note": {"We would like a booth near the stage."},
	}
}
