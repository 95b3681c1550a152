package expodesk

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

var drawDay = time.Date(2027, 5, 11, 9, 0, 0, 0, time.UTC)

// halfHours returns n consecutive 30-minute slots with ids from 1.
func halfHours(n int) []DrawSlot {
	var out []DrawSlot
	for i := range n {
		start := drawDay.Add(time.Duration(i) * 30 * time.Minute)
		out = append(out, DrawSlot{ID: int64(i + 1), StartsAt: start, EndsAt: start.Add(30 * time.Minute)})
	}
	return out
}

func seedOf(t testing.TB, h string) [DrawSeedLen]byte {
	t.Helper()
	b, err := hex.DecodeString(h)
	if err != nil || len(b) != DrawSeedLen {
		t.Fatalf("seed %q: %v", h, err)
	}
	return [DrawSeedLen]byte(b)
}

const goldenSeed = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

// TestDrawOrderGolden pins the order a published seed gives: docs/draw.md
// tells how to recompute it, and a change of algorithm must show here.
func TestDrawOrderGolden(t *testing.T) {
	got := DrawOrder(seedOf(t, goldenSeed), []int64{50, 10, 40, 20, 30, 60, 70, 80})
	want := []int64{70, 20, 60, 80, 30, 10, 50, 40}
	if !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
	// The input order does not matter: ids are sorted first.
	if again := DrawOrder(seedOf(t, goldenSeed), []int64{80, 70, 60, 50, 40, 30, 20, 10}); !slices.Equal(again, want) {
		t.Errorf("order of unsorted ids %v, want %v", again, want)
	}
}

// TestDrawReproducible: the same seed and inputs give the same result, a
// different seed (usually) another order.
func TestDrawReproducible(t *testing.T) {
	seed := seedOf(t, goldenSeed)
	var ps []DrawParticipant
	for i := range 30 {
		ps = append(ps, DrawParticipant{ExhibitorID: int64(100 + i), Choices: []int64{1, 2, 3, int64(4 + i%5)}})
	}
	a := RunDraw(seed, slices.Clone(ps), halfHours(10), 2)
	b := RunDraw(seed, slices.Clone(ps), halfHours(10), 2)
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Fatal("the same seed gave two results")
	}
	other := seed
	other[0] ^= 1
	c := RunDraw(other, ps, halfHours(10), 2)
	if fmt.Sprint(a.Entries[0]) == fmt.Sprint(c.Entries[0]) && fmt.Sprint(a.Entries[1]) == fmt.Sprint(c.Entries[1]) {
		t.Error("another seed gave the same first two positions")
	}
}

// TestRunDrawSerialDictatorship checks the rules on a small case whose
// order the golden seed fixes.
func TestRunDrawSerialDictatorship(t *testing.T) {
	seed := seedOf(t, goldenSeed)
	order := DrawOrder(seed, []int64{1, 2, 3})
	first, second, third := order[0], order[1], order[2]
	slots := halfHours(4) // 1: 09:00, 2: 09:30, 3: 10:00, 4: 10:30
	overlap := DrawSlot{ID: 99, StartsAt: slots[3].StartsAt.Add(10 * time.Minute), EndsAt: slots[3].EndsAt}
	ps := []DrawParticipant{
		{ExhibitorID: first, Choices: []int64{1, 2, 3}},
		{ExhibitorID: second, Choices: []int64{1, 4, 2, 7}, Busy: []DrawSlot{overlap}},
		{ExhibitorID: third, Choices: []int64{2, 1}, Held: 1},
	}
	res := RunDraw(seed, ps, slots, 2)
	if len(res.Entries) != 3 {
		t.Fatalf("%d entries", len(res.Entries))
	}
	e1, e2, e3 := res.Entries[0], res.Entries[1], res.Entries[2]
	// Round 1: first gets 1; second: 1 taken by #1, 4 overlaps its
	// booking, gets 2; third: 2 taken by #2, 1 taken by #1, nothing.
	// Round 2: first gets 3 (2 taken by #2); second: 7 unavailable, done.
	want1 := []DrawChoice{{Rank: 1, SlotID: 1, Outcome: DrawWon, Round: 1}, {Rank: 2, SlotID: 2, Outcome: DrawTaken, ByPosition: 2, Round: 2},
		{Rank: 3, SlotID: 3, Outcome: DrawWon, Round: 2}}
	if !slices.Equal(e1.Choices, want1) || !slices.Equal(e1.Won, []int64{1, 3}) {
		t.Errorf("first: %+v won %v", e1.Choices, e1.Won)
	}
	want2 := []DrawChoice{{Rank: 1, SlotID: 1, Outcome: DrawTaken, ByPosition: 1, Round: 1},
		{Rank: 2, SlotID: 4, Outcome: DrawOverlap, OverlapsSlot: 99, OverlapsAt: overlap.StartsAt, Round: 1},
		{Rank: 3, SlotID: 2, Outcome: DrawWon, Round: 1}, {Rank: 4, SlotID: 7, Outcome: DrawUnavailable, Round: 2}}
	if !slices.Equal(e2.Choices, want2) {
		t.Errorf("second: %+v", e2.Choices)
	}
	want3 := []DrawChoice{{Rank: 1, SlotID: 2, Outcome: DrawTaken, ByPosition: 2, Round: 1},
		{Rank: 2, SlotID: 1, Outcome: DrawTaken, ByPosition: 1, Round: 1}}
	if !slices.Equal(e3.Choices, want3) || len(e3.Won) != 0 {
		t.Errorf("third: %+v", e3.Choices)
	}
	if len(res.Allocations) != 3 {
		t.Errorf("allocations %+v", res.Allocations)
	}
}

// TestRunDrawQuota: with quota 1 a winner's further choices are passed
// over for its quota; a company at its quota before the draw gets nothing.
func TestRunDrawQuota(t *testing.T) {
	seed := seedOf(t, goldenSeed)
	ps := []DrawParticipant{{ExhibitorID: 1, Choices: []int64{1, 2, 3}}, {ExhibitorID: 2, Choices: []int64{3}, Held: 1}}
	res := RunDraw(seed, ps, halfHours(3), 1)
	for _, e := range res.Entries {
		switch e.ExhibitorID {
		case 1:
			if e.Choices[0].Outcome != DrawWon || e.Choices[1].Outcome != DrawQuota || e.Choices[2].Outcome != DrawQuota {
				t.Errorf("1: %+v", e.Choices)
			}
		case 2:
			if e.Choices[0].Outcome != DrawQuota || len(e.Won) != 0 {
				t.Errorf("2: %+v", e.Choices)
			}
		}
	}
}

func TestValidateRanking(t *testing.T) {
	d := Draw{MaxChoices: 3}
	ok := map[int64]bool{1: true, 2: true, 3: true, 4: true}
	if got, err := ValidateRanking(d, []int64{2, 0, 1}, ok); err != nil || !slices.Equal(got, []int64{2, 1}) {
		t.Errorf("gap: %v %v", got, err)
	}
	cases := map[string]struct {
		in    []int64
		field string
		key   string
	}{
		"Twice":       {[]int64{1, 1}, "choice_2", "draw.choice_twice"},
		"Unavailable": {[]int64{1, 9}, "choice_2", "draw.choice_unavailable"},
		"TooMany":     {[]int64{1, 2, 3, 4}, "choice_3", "draw.too_many_choices"},
		"None":        {[]int64{0, 0}, "choice_1", "draw.choice_required"},
	}
	for name, c := range cases {
		_, err := ValidateRanking(d, c.in, ok)
		e := ErrorOf(err)
		if e == nil || e.Problems[c.field].Key != c.key {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestDrawValidate(t *testing.T) {
	opens := drawDay
	if err := (Draw{OpensAt: opens, ClosesAt: opens.Add(time.Hour), MaxChoices: 20}).Validate(); err != nil {
		t.Error(err)
	}
	for name, d := range map[string]Draw{
		"ClosesBeforeOpens": {OpensAt: opens, ClosesAt: opens.Add(-time.Hour), MaxChoices: 3},
		"NoChoices":         {OpensAt: opens, ClosesAt: opens.Add(time.Hour), MaxChoices: 0},
		"TooManyChoices":    {OpensAt: opens, ClosesAt: opens.Add(time.Hour), MaxChoices: 21},
	} {
		if err := d.Validate(); err == nil {
			t.Errorf("%s: no problem", name)
		}
	}
}

// checkDraw asserts the invariants of a result: every slot allocated at
// most once and only if it was free and ranked by its winner, nobody
// over quota or at two overlapping slots, every choice explained.
func checkDraw(t *testing.T, ps []DrawParticipant, slots []DrawSlot, quota int, res DrawResult) {
	t.Helper()
	free := map[int64]DrawSlot{}
	for _, s := range slots {
		free[s.ID] = s
	}
	byID := map[int64]DrawParticipant{}
	for _, p := range ps {
		if _, ok := byID[p.ExhibitorID]; !ok {
			byID[p.ExhibitorID] = p
		}
	}
	if len(res.Entries) != len(byID) {
		t.Fatalf("%d entries for %d participants", len(res.Entries), len(byID))
	}
	owner := map[int64]int64{}
	for _, a := range res.Allocations {
		if _, twice := owner[a.SlotID]; twice {
			t.Fatalf("slot %d allocated twice", a.SlotID)
		}
		if _, ok := free[a.SlotID]; !ok {
			t.Fatalf("slot %d was not free", a.SlotID)
		}
		owner[a.SlotID] = a.ExhibitorID
		if !slices.Contains(byID[a.ExhibitorID].Choices, a.SlotID) {
			t.Fatalf("slot %d given to %d which did not rank it", a.SlotID, a.ExhibitorID)
		}
	}
	for i, e := range res.Entries {
		p := byID[e.ExhibitorID]
		if e.Position != i+1 {
			t.Fatalf("entry %d has position %d", i, e.Position)
		}
		if len(e.Won) > 0 && p.Held+len(e.Won) > quota {
			t.Fatalf("%d over quota: held %d, won %d, quota %d", e.ExhibitorID, p.Held, len(e.Won), quota)
		}
		held := slices.Clone(p.Busy)
		for _, id := range e.Won {
			sl := free[id]
			if o, hit := overlapping(held, sl); hit {
				t.Fatalf("%d won slot %d overlapping %d", e.ExhibitorID, id, o.ID)
			}
			held = append(held, sl)
		}
		for _, c := range e.Choices {
			if c.Outcome == "" {
				t.Fatalf("choice %+v unexplained", c)
			}
			if c.Outcome == DrawTaken && (c.ByPosition < 1 || c.ByPosition > len(res.Entries) || c.ByPosition == e.Position) {
				t.Fatalf("choice %+v taken by an impossible position", c)
			}
		}
	}
}

// FuzzRunDraw: whatever the seed, rankings, bookings and quota, the draw
// never panics, never gives a slot twice, never exceeds a quota, never
// puts a company in two places, and gives the same result twice.
func FuzzRunDraw(f *testing.F) {
	f.Add([]byte(goldenSeed), []byte{1, 2, 3, 1, 2, 3, 4, 5, 6, 7}, uint8(2), uint8(6))
	f.Add([]byte{}, []byte{0, 0, 0}, uint8(0), uint8(0))
	f.Add([]byte("another seed"), []byte{9, 9, 9, 1, 1, 2, 200, 17, 33, 4, 5, 8, 13}, uint8(1), uint8(12))
	f.Fuzz(func(t *testing.T, seedBytes, plan []byte, quota, nSlots uint8) {
		var seed [DrawSeedLen]byte
		copy(seed[:], seedBytes)
		slots := halfHours(int(nSlots % 40))
		// Half of the slots overlap the next one by a quarter hour, so that
		// overlaps happen.
		for i := range slots {
			if i%2 == 1 {
				slots[i].StartsAt = slots[i].StartsAt.Add(-15 * time.Minute)
			}
		}
		var ps []DrawParticipant
		for i := 0; i+1 < len(plan); {
			p := DrawParticipant{ExhibitorID: int64(plan[i] % 32), Held: int(plan[i+1] % 3)}
			n := int(plan[i+1]%7) + 1
			i += 2
			for ; n > 0 && i < len(plan); n-- {
				p.Choices = append(p.Choices, int64(plan[i]%48)) // some ids are no free slot
				i++
			}
			if p.Held > 0 && len(slots) > 0 {
				b := slots[int(plan[i-1])%len(slots)]
				p.Busy = []DrawSlot{{StartsAt: b.StartsAt.Add(5 * time.Minute), EndsAt: b.EndsAt}}
			}
			ps = append(ps, p)
		}
		q := int(quota % 5)
		res := RunDraw(seed, slices.Clone(ps), slots, q)
		checkDraw(t, ps, slots, q, res)
		if again := RunDraw(seed, slices.Clone(ps), slots, q); fmt.Sprint(again) != fmt.Sprint(res) {
			t.Fatal("not reproducible")
		}
	})
}

// TestShuffleIndexUniform: ShuffleIndex stays in range and, over many
// draws, hits every value.
func TestShuffleIndexUniform(t *testing.T) {
	src := chachaOf(1)
	seen := map[int]int{}
	for range 6000 {
		v := ShuffleIndex(src, 6)
		if v < 0 || v >= 6 {
			t.Fatalf("%d out of range", v)
		}
		seen[v]++
	}
	for v := range 6 {
		if seen[v] < 800 {
			t.Errorf("value %d drawn %d times of 6000", v, seen[v])
		}
	}
}

func chachaOf(n uint64) *rand.ChaCha8 {
	var seed [DrawSeedLen]byte
	binary.LittleEndian.PutUint64(seed[:], n)
	return rand.NewChaCha8(seed)
}

// TestDrawOrderIsRandShuffle: on this (64-bit) machine the order is what
// math/rand/v2's Shuffle over the same ChaCha8 stream gives.
func TestDrawOrderIsRandShuffle(t *testing.T) {
	for n := range uint64(20) {
		var seed [DrawSeedLen]byte
		binary.LittleEndian.PutUint64(seed[:], n*7919)
		ids := make([]int64, n*13)
		for i := range ids {
			ids[i] = int64(i*3 + 1)
		}
		want := slices.Clone(ids)
		rand.New(rand.NewChaCha8(seed)).Shuffle(len(want), func(i, j int) { want[i], want[j] = want[j], want[i] })
		if got := DrawOrder(seed, ids); !slices.Equal(got, want) {
			t.Fatalf("n=%d: %v, rand.Shuffle %v", len(ids), got, want)
		}
	}
}
