package expodesk_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"expodesk/internal/expodesk"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestExpoValidate(t *testing.T) {
	t.Parallel()
	opens := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	closes := opens.Add(-time.Hour)
	valid := expodesk.Expo{Slug: "iotswc-2027", Name: expodesk.Text{EN: "IoT Solutions World Congress"},
		City: expodesk.Text{EN: "Barcelona"}, Country: "ES", TimeZone: "Europe/Madrid",
		FirstDay: day(2027, 5, 11), LastDay: day(2027, 5, 13), Website: "https://www.iotsworldcongress.com",
		SlotQuota: 2, CancelHoursBefore: 48}
	for _, tc := range []struct {
		name   string
		modify func(*expodesk.Expo)
		want   []string
	}{
		{"OK", func(*expodesk.Expo) {}, nil},
		{"OKOneDay", func(e *expodesk.Expo) { e.LastDay = e.FirstDay }, nil},
		{"OKSixtyDays", func(e *expodesk.Expo) { e.LastDay = e.FirstDay.AddDate(0, 0, 60) }, nil},
		{"OKChineseOnlyName", func(e *expodesk.Expo) { e.Name = expodesk.Text{ZH: "世界物联网博览会"} }, nil},
		{"ErrSlug", func(e *expodesk.Expo) { e.Slug = "IoTSWC 2027" }, []string{"slug"}},
		{"ErrSlugMissing", func(e *expodesk.Expo) { e.Slug = "" }, []string{"slug"}},
		{"ErrNameMissing", func(e *expodesk.Expo) { e.Name = expodesk.Text{} }, []string{"name_en"}},
		{"ErrNameTooLong", func(e *expodesk.Expo) { e.Name.ES = strings.Repeat("x", 201) }, []string{"name_es"}},
		{"ErrCityMissing", func(e *expodesk.Expo) { e.City = expodesk.Text{} }, []string{"city_en"}},
		{"ErrVenueTooLong", func(e *expodesk.Expo) { e.Venue.ZH = strings.Repeat("馆", 201) }, []string{"venue_zh"}},
		{"ErrCountry", func(e *expodesk.Expo) { e.Country = "Spain" }, []string{"country"}},
		{"ErrTimeZoneMissing", func(e *expodesk.Expo) { e.TimeZone = "" }, []string{"time_zone"}},
		{"ErrTimeZoneUnknown", func(e *expodesk.Expo) { e.TimeZone = "Not/AZone" }, []string{"time_zone"}},
		{"ErrTimeZoneLocal", func(e *expodesk.Expo) { e.TimeZone = "Local" }, []string{"time_zone"}},
		{"ErrFirstDayMissing", func(e *expodesk.Expo) { e.FirstDay = time.Time{} }, []string{"first_day", "last_day"}},
		{"ErrLastDayMissing", func(e *expodesk.Expo) { e.LastDay = time.Time{} }, []string{"last_day"}},
		{"ErrLastBeforeFirst", func(e *expodesk.Expo) { e.LastDay = e.FirstDay.AddDate(0, 0, -1) }, []string{"last_day"}},
		{"ErrTooLong", func(e *expodesk.Expo) { e.LastDay = e.FirstDay.AddDate(0, 0, 61) }, []string{"last_day"}},
		{"ErrWebsiteScheme", func(e *expodesk.Expo) { e.Website = "ftp://example.org" }, []string{"website"}},
		{"ErrWebsiteTooLong", func(e *expodesk.Expo) { e.Website = "https://e.org/" + strings.Repeat("a", 500) }, []string{"website"}},
		{"ErrQuotaNegative", func(e *expodesk.Expo) { e.SlotQuota = -1 }, []string{"slot_quota"}},
		{"ErrQuotaHuge", func(e *expodesk.Expo) { e.SlotQuota = 1001 }, []string{"slot_quota"}},
		{"ErrCancelHours", func(e *expodesk.Expo) { e.CancelHoursBefore = 8761 }, []string{"cancel_hours_before"}},
		{"ErrBookingCloseBeforeOpen", func(e *expodesk.Expo) { e.BookingOpensAt, e.BookingClosesAt = &opens, &closes }, []string{"booking_closes_at"}},
		{"ErrBookingCloseEqualsOpen", func(e *expodesk.Expo) { e.BookingOpensAt, e.BookingClosesAt = &opens, &opens }, []string{"booking_closes_at"}},
		{"ErrApplicationsCloseBeforeOpen", func(e *expodesk.Expo) { e.ApplicationsOpenAt, e.ApplicationsCloseAt = &opens, &closes }, []string{"applications_close_at"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := valid
			tc.modify(&e)
			if got := problemKeys(t, e.Validate()); !slices.Equal(got, tc.want) {
				t.Errorf("problems on %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("RangeMessageCarriesBounds", func(t *testing.T) {
		e := valid
		e.SlotQuota = -1
		m := expodesk.ErrorOf(e.Validate()).Problems["slot_quota"]
		if m.Key != "validation.range" || m.Data["Min"] != 0 || m.Data["Max"] != 1000 {
			t.Errorf("slot_quota problem = %+v", m)
		}
	})
}

func TestPavilionValidate(t *testing.T) {
	t.Parallel()
	valid := expodesk.Pavilion{Slug: "wuxi-pavilion", Name: expodesk.Text{EN: "Wuxi Pavilion"}, Hall: "2"}
	for _, tc := range []struct {
		name   string
		modify func(*expodesk.Pavilion)
		want   []string
	}{
		{"OK", func(*expodesk.Pavilion) {}, nil},
		{"ErrSlug", func(p *expodesk.Pavilion) { p.Slug = "无锡馆" }, []string{"slug"}},
		{"ErrName", func(p *expodesk.Pavilion) { p.Name = expodesk.Text{} }, []string{"name_en"}},
		{"ErrHall", func(p *expodesk.Pavilion) { p.Hall = strings.Repeat("h", 81) }, []string{"hall"}},
		{"ErrHost", func(p *expodesk.Pavilion) { p.Host.ZH = strings.Repeat("主", 201) }, []string{"host_zh"}},
		{"ErrDescription", func(p *expodesk.Pavilion) { p.Description.ES = strings.Repeat("d", 4001) }, []string{"description_es"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := valid
			tc.modify(&p)
			if got := problemKeys(t, p.Validate()); !slices.Equal(got, tc.want) {
				t.Errorf("problems on %v, want %v", got, tc.want)
			}
		})
	}
}

func TestStageAndBookingValidate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		err  error
		want []string
	}{
		{"StageOK", expodesk.Stage{Slug: "wuxi-stage", Name: expodesk.Text{ZH: "无锡路演台"}}.Validate(), nil},
		{"StageErrName", expodesk.Stage{Slug: "s"}.Validate(), []string{"name_en"}},
		{"StageErrLocation", expodesk.Stage{Slug: "s", Name: expodesk.Text{EN: "S"}, Location: expodesk.Text{ZH: strings.Repeat("l", 121)}}.Validate(), []string{"location_zh"}},
		{"BookingOK", expodesk.Booking{Title: "传感器赋能智慧城市"}.Validate(), nil},
		{"BookingErrTitleBlank", expodesk.Booking{Title: " \t "}.Validate(), []string{"title"}},
		{"BookingErrTitleTooLong", expodesk.Booking{Title: strings.Repeat("题", 201)}.Validate(), []string{"title"}},
		{"BookingErrAbstractTooLong", expodesk.Booking{Title: "t", Abstract: strings.Repeat("a", 4001)}.Validate(), []string{"abstract"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := problemKeys(t, tc.err); !slices.Equal(got, tc.want) {
				t.Errorf("problems on %v, want %v", got, tc.want)
			}
		})
	}
}

func TestLoadLocation(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, in, want string }{
		{"Madrid", "Europe/Madrid", "Europe/Madrid"},
		{"Shanghai", "Asia/Shanghai", "Asia/Shanghai"},
		{"UnknownIsUTC", "Not/AZone", "UTC"},
		{"EmptyIsUTC", "", "UTC"},
		{"LocalIsUTC", "Local", "UTC"},
		{"PathTraversalIsUTC", "../../etc/passwd", "UTC"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := expodesk.LoadLocation(tc.in).String(); got != tc.want {
				t.Errorf("LoadLocation(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestExpoDays(t *testing.T) {
	t.Parallel()
	e := expodesk.Expo{FirstDay: day(2027, 5, 11), LastDay: day(2027, 5, 13)}
	if got := e.Days(); len(got) != 3 || !got[0].Equal(e.FirstDay) || !got[2].Equal(e.LastDay) {
		t.Errorf("Days() = %v", got)
	}
}

func TestSafeURL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in string
		want     bool
	}{
		{"HTTPS", "https://nube.example.es", true},
		{"HTTP", "http://nube.example.es/path?q=1", true},
		{"Javascript", "javascript:alert(1)", false},
		{"JavascriptUpper", "JAVASCRIPT:alert(1)", false},
		{"Data", "data:text/html,<script>alert(1)</script>", false},
		{"Relative", "/exhibitors/x", false},
		{"SchemeRelative", "//evil.example", false},
		{"NoHost", "https://", false},
		{"Empty", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := expodesk.SafeURL(tc.in); got != tc.want {
				t.Errorf("SafeURL(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestErrorCode(t *testing.T) {
	t.Parallel()
	wrapped := fmt.Errorf("load: %w", expodesk.ErrNotFound)
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"Nil", nil, ""},
		{"Plain", errors.New("boom"), expodesk.EINTERNAL},
		{"Domain", expodesk.ErrForbidden, expodesk.EFORBIDDEN},
		{"Wrapped", wrapped, expodesk.ENOTFOUND},
		{"WrapKeepsCause", expodesk.Wrap(expodesk.ECONFLICT, "error.conflict", errors.New("pg")), expodesk.ECONFLICT},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := expodesk.ErrorCode(tc.err); got != tc.want {
				t.Errorf("ErrorCode = %q, want %q", got, tc.want)
			}
		})
	}
	cause := errors.New("pg down")
	if err := expodesk.Wrap(expodesk.EINTERNAL, "error.internal", cause); !errors.Is(err, cause) {
		t.Error("Wrap does not unwrap to its cause")
	}
	if (expodesk.Problems{}).Err() != nil {
		t.Error("empty Problems.Err() is not nil")
	}
	p := expodesk.Problems{}
	p.Add("slug", "validation.required", nil)
	p.Add("slug", "validation.slug", nil)
	if p["slug"].Key != "validation.required" {
		t.Errorf("Problems.Add replaced the first problem: %+v", p["slug"])
	}
}
