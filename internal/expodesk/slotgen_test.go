package expodesk

import (
	"testing"
	"time"
)

func madridExpo() Expo {
	return Expo{TimeZone: "Europe/Madrid", FirstDay: time.Date(2027, 3, 27, 0, 0, 0, 0, time.UTC),
		LastDay: time.Date(2027, 10, 31, 0, 0, 0, 0, time.UTC)}
}

// at is a wall time in Madrid, the first of two when it happens twice.
func at(t *testing.T, day string, clock string) time.Time {
	t.Helper()
	loc := LoadLocation("Europe/Madrid")
	v, err := time.ParseInLocation("2006-01-02 15:04", day+" "+clock, loc)
	if err != nil {
		t.Fatal(err)
	}
	if earlier := v.Add(-time.Hour); earlier.Format("15:04") == clock {
		return earlier
	}
	return v
}

func plan(t *testing.T, day, from, to string, length, brk time.Duration) SlotPlan {
	d, _ := time.Parse(time.DateOnly, day)
	return SlotPlan{StageID: 1, Day: d, FirstStart: at(t, day, from), LastEnd: at(t, day, to), Length: length, Break: brk}
}

func TestSlotPlanLayout(t *testing.T) {
	p := plan(t, "2027-05-11", "10:00", "12:00", 25*time.Minute, 5*time.Minute)
	got := p.Slots()
	want := []string{"10:00-10:25", "10:30-10:55", "11:00-11:25", "11:30-11:55"}
	if len(got) != len(want) {
		t.Fatalf("%d slots, want %d", len(got), len(want))
	}
	loc := madridExpo().Location()
	for i, sl := range got {
		if s := sl.StartsAt.In(loc).Format("15:04") + "-" + sl.EndsAt.In(loc).Format("15:04"); s != want[i] {
			t.Errorf("slot %d = %s, want %s", i, s, want[i])
		}
	}
	if err := p.Validate(madridExpo()); err != nil {
		t.Errorf("valid plan refused: %v", err)
	}
}

// TestSlotPlanDST: 01:00–05:00 with one-hour slots on the two nights the
// clocks change in Madrid in 2027. Slots are laid out in real time: the
// spring night has three hours and three slots (the first reads
// 01:00 CET–03:00 CEST), the autumn night five hours and five slots (the
// second reads 02:00 CEST–02:00 CET); none is lost, none doubled.
func TestSlotPlanDST(t *testing.T) {
	loc := madridExpo().Location()
	for _, tc := range []struct {
		day     string
		want    []string
		forward bool
		hours   time.Duration
	}{
		{"2027-03-28", []string{"01:00 CET-03:00 CEST", "03:00 CEST-04:00 CEST", "04:00 CEST-05:00 CEST"}, true, 23},
		{"2027-10-31", []string{"01:00 CEST-02:00 CEST", "02:00 CEST-02:00 CET", "02:00 CET-03:00 CET",
			"03:00 CET-04:00 CET", "04:00 CET-05:00 CET"}, false, 25},
	} {
		t.Run(tc.day, func(t *testing.T) {
			p := plan(t, tc.day, "01:00", "05:00", time.Hour, 0)
			if err := p.Validate(madridExpo()); err != nil {
				t.Fatal(err)
			}
			got := p.Slots()
			if len(got) != len(tc.want) {
				t.Fatalf("%d slots, want %d", len(got), len(tc.want))
			}
			seen := map[time.Time]bool{}
			for i, sl := range got {
				s := sl.StartsAt.In(loc).Format("15:04 MST") + "-" + sl.EndsAt.In(loc).Format("15:04 MST")
				if s != tc.want[i] {
					t.Errorf("slot %d = %s, want %s", i, s, tc.want[i])
				}
				if sl.EndsAt.Sub(sl.StartsAt) != time.Hour {
					t.Errorf("slot %d lasts %s", i, sl.EndsAt.Sub(sl.StartsAt))
				}
				if seen[sl.StartsAt] {
					t.Errorf("slot %d doubled", i)
				}
				seen[sl.StartsAt] = true
			}
			d, _ := time.Parse(time.DateOnly, tc.day)
			changes := ClockChanges(d, loc)
			if len(changes) != 1 || changes[0].Forward() != tc.forward {
				t.Fatalf("clock changes %+v", changes)
			}
			c := changes[0]
			if tc.forward && (c.LocalBefore().Format("15:04") != "02:00" || c.LocalAfter().Format("15:04") != "03:00" || c.BeforeAbbr != "CET" || c.AfterAbbr != "CEST") {
				t.Errorf("spring change %+v: %s → %s", c, c.LocalBefore().Format("15:04"), c.LocalAfter().Format("15:04"))
			}
			if !tc.forward && (c.LocalBefore().Format("15:04") != "03:00" || c.LocalAfter().Format("15:04") != "02:00") {
				t.Errorf("autumn change %+v", c)
			}
			if DayLength(d, loc) != tc.hours*time.Hour {
				t.Errorf("day length %s", DayLength(d, loc))
			}
		})
	}
	if n := ClockChanges(time.Date(2027, 5, 11, 0, 0, 0, 0, time.UTC), loc); len(n) != 0 {
		t.Errorf("changes on an ordinary day: %+v", n)
	}
	if n := ClockChanges(time.Date(2027, 3, 28, 0, 0, 0, 0, time.UTC), LoadLocation("Asia/Shanghai")); len(n) != 0 {
		t.Errorf("changes in Shanghai: %+v", n)
	}
}

func TestSlotPlanBadInput(t *testing.T) {
	e := madridExpo()
	for _, tc := range []struct {
		name  string
		edit  func(*SlotPlan)
		field string
	}{
		{"EndBeforeStart", func(p *SlotPlan) { p.FirstStart, p.LastEnd = p.LastEnd, p.FirstStart }, "last_end"},
		{"EndIsStart", func(p *SlotPlan) { p.LastEnd = p.FirstStart }, "last_end"},
		{"ZeroLength", func(p *SlotPlan) { p.Length = 0 }, "length"},
		{"NegativeLength", func(p *SlotPlan) { p.Length = -30 * time.Minute }, "length"},
		{"OverTwelveHours", func(p *SlotPlan) { p.Length = 12*time.Hour + time.Minute }, "length"},
		{"NegativeBreak", func(p *SlotPlan) { p.Break = -time.Minute }, "break"},
		{"DayBeforeExpo", func(p *SlotPlan) { p.Day = e.FirstDay.AddDate(0, 0, -1) }, "day"},
		{"DayAfterExpo", func(p *SlotPlan) { p.Day = e.LastDay.AddDate(0, 0, 1) }, "day"},
		{"NoSlotFits", func(p *SlotPlan) { p.Length = 3 * time.Hour }, "length"},
		{"StartOnAnotherDay", func(p *SlotPlan) { p.Day = p.Day.AddDate(0, 0, 1) }, "first_start"},
		{"NoDay", func(p *SlotPlan) { p.Day = time.Time{} }, "day"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := plan(t, "2027-05-11", "10:00", "12:00", 30*time.Minute, 0)
			tc.edit(&p)
			err := p.Validate(e)
			if pr := ErrorOf(err); pr == nil || pr.Problems[tc.field].Key == "" {
				t.Errorf("Validate = %v, want a problem on %s", err, tc.field)
			}
		})
	}
	if n := len(plan(t, "2027-05-11", "00:00", "23:59", MinSlotLength, 0).Slots()); n > MaxSlotsPerPlan+1 {
		t.Errorf("%d slots", n)
	}
}

// FuzzSlotPlan: whatever the parameters, laying out a plan does not panic,
// its slots do not overlap, each lasts the plan's length and lies within
// the first start and the last end; a plan Validate accepts has slots and
// not too many.
func FuzzSlotPlan(f *testing.F) {
	f.Add(int64(60), int64(240), int64(60), int64(0), uint8(0))
	f.Add(int64(0), int64(1439), int64(5), int64(0), uint8(1))
	f.Add(int64(600), int64(540), int64(30), int64(5), uint8(2))
	f.Add(int64(60), int64(300), int64(0), int64(-5), uint8(1))
	f.Add(int64(-100000), int64(1<<40), int64(1<<50), int64(1<<60), uint8(2))
	days := []string{"2027-05-11", "2027-03-28", "2027-10-31"}
	e := madridExpo()
	loc := e.Location()
	f.Fuzz(func(t *testing.T, startMin, endMin, lengthMin, breakMin int64, dayIdx uint8) {
		d, _ := time.Parse(time.DateOnly, days[int(dayIdx)%len(days)])
		midnight := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
		clamp := func(m int64) time.Duration {
			const lim = int64(1 << 40) // keeps the Duration arithmetic from wrapping
			return time.Duration(max(-lim, min(lim, m))) * time.Minute
		}
		p := SlotPlan{StageID: 1, Day: d, FirstStart: midnight.Add(clamp(startMin)), LastEnd: midnight.Add(clamp(endMin)),
			Length: clamp(lengthMin), Break: clamp(breakMin)}
		slots := p.Slots()
		if len(slots) > MaxSlotsPerPlan+1 {
			t.Fatalf("%d slots", len(slots))
		}
		for i, sl := range slots {
			if sl.StartsAt.Before(p.FirstStart) || sl.EndsAt.After(p.LastEnd) {
				t.Fatalf("slot %d [%s, %s] outside [%s, %s]", i, sl.StartsAt, sl.EndsAt, p.FirstStart, p.LastEnd)
			}
			if sl.EndsAt.Sub(sl.StartsAt) != p.Length {
				t.Fatalf("slot %d lasts %s, want %s", i, sl.EndsAt.Sub(sl.StartsAt), p.Length)
			}
			if i > 0 && Overlaps(slots[i-1].StartsAt, slots[i-1].EndsAt, sl.StartsAt, sl.EndsAt) {
				t.Fatalf("slots %d and %d overlap", i-1, i)
			}
			if i > 0 && !sl.StartsAt.After(slots[i-1].StartsAt) {
				t.Fatalf("slot %d does not come after slot %d", i, i-1)
			}
		}
		if err := p.Validate(e); err == nil {
			if len(slots) == 0 || len(slots) > MaxSlotsPerPlan {
				t.Fatalf("a valid plan has %d slots", len(slots))
			}
			if p.Length < MinSlotLength || p.Length > MaxSlotLength {
				t.Fatalf("a valid plan has length %s", p.Length)
			}
		}
	})
}
