package expodesk

import (
	"encoding/hex"
	"math/bits"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"
)

// A fair draw (issue 9, item 5): instead of first come, first served, the
// companies of a booking scope rank up to MaxChoices slots during a request
// period; when it has closed, a random order published with its seed decides
// who chooses first (random serial dictatorship), and the slots left open
// for first come, first served. Everything here is a pure function of its
// inputs, so that anyone holding the seed can recompute the allocation
// (docs/draw.md spells the algorithm out).

// Draw is the draw of one booking scope: an expo's own rules (PavilionID
// nil) or a pavilion's that has rules of its own.
type Draw struct {
	ID         int64
	ExpoID     int64
	PavilionID *int64
	// Requests are taken from OpensAt until ClosesAt.
	OpensAt  time.Time
	ClosesAt time.Time
	// MaxChoices is how many slots a company may rank (1..MaxDrawChoices).
	MaxChoices int
	// Run is the draw once run; nil until then.
	Run *DrawRun
}

// DrawRun is what running a draw fixed: its seed and when.
type DrawRun struct {
	Seed    []byte
	DrawnAt time.Time
	// Participants is how many companies had ranked slots.
	Participants int
}

// SeedHex is the run's seed as it is published.
func (r DrawRun) SeedHex() string { return hex.EncodeToString(r.Seed) }

// MaxDrawChoices is the most slots a draw lets a company rank.
const MaxDrawChoices = 20

// DrawSeedLen is the length of a draw's seed in bytes.
const DrawSeedLen = 32

// Validate reports what is wrong with d's settings as the organizer's form
// shows them.
func (d Draw) Validate() error {
	p := Problems{}
	if d.OpensAt.IsZero() {
		p.Add("opens_at", "validation.required", nil)
	}
	if d.ClosesAt.IsZero() {
		p.Add("closes_at", "validation.required", nil)
	}
	if !d.OpensAt.IsZero() && !d.ClosesAt.IsZero() && !d.ClosesAt.After(d.OpensAt) {
		p.Add("closes_at", "draw.closes_after_opens", nil)
	}
	if d.MaxChoices < 1 || d.MaxChoices > MaxDrawChoices {
		p.Add("max_choices", "validation.range", map[string]any{"Min": 1, "Max": MaxDrawChoices})
	}
	return p.Err()
}

// Pending reports whether the draw still decides its slots: set up and not
// run, so that first come, first served waits for it.
func (d Draw) Pending() bool { return d.Run == nil }

// RequestsOpen reports whether companies may rank slots at now.
func (d Draw) RequestsOpen(now time.Time) bool {
	return d.Run == nil && !now.Before(d.OpensAt) && now.Before(d.ClosesAt)
}

// RequestError returns why a company may not rank or withdraw at now, or nil.
func (d Draw) RequestError(now time.Time) error {
	switch {
	case d.Run != nil:
		return ErrDrawAlreadyRun
	case now.Before(d.OpensAt):
		return &Error{Code: EINVALID, Message: "draw.requests_not_open", Data: map[string]any{"Opens": d.OpensAt}}
	case !now.Before(d.ClosesAt):
		return &Error{Code: EINVALID, Message: "draw.requests_closed", Data: map[string]any{"Closes": d.ClosesAt}}
	}
	return nil
}

// BookingError is why first come, first served booking is refused under
// d while it is pending: the message names when requests close.
func (d Draw) BookingError() error {
	return &Error{Code: EINVALID, Message: "booking.draw_pending", Data: map[string]any{"Closes": d.ClosesAt}}
}

// Errors of the draw.
var (
	// ErrDrawAlreadyRun: the draw has run (a second run, a ranking after it);
	// the constraint slot_draw_run_pkey decides two runs at once.
	ErrDrawAlreadyRun = &Error{Code: ECONFLICT, Message: "draw.already_run",
		Data: map[string]any{"Constraint": "slot_draw_run_pkey"}}
	// ErrDrawNotClosed: the request period has not ended yet.
	ErrDrawNotClosed = Errorf(EINVALID, "draw.not_closed")
	// ErrDrawNeedsRules: a pavilion draw needs the pavilion's own booking rules.
	ErrDrawNeedsRules = Errorf(EINVALID, "draw.pavilion_needs_rules")
)

// ValidateRanking reports what is wrong with a company's ranking (slot ids
// by rank, 0 where a rank was left empty) under draw d whose rankable
// slots are eligible: more than d.MaxChoices, the same slot twice, a slot
// not open to the draw, none at all. It returns the ranking without gaps.
func ValidateRanking(d Draw, ranked []int64, eligible map[int64]bool) ([]int64, error) {
	p := Problems{}
	var out []int64
	seen := map[int64]bool{}
	for i, id := range ranked {
		field := DrawChoiceField(i + 1)
		switch {
		case id == 0:
			continue
		case i >= d.MaxChoices:
			// Said at the last rank the form shows.
			p.Add(DrawChoiceField(max(d.MaxChoices, 1)), "draw.too_many_choices", map[string]any{"Max": d.MaxChoices})
		case seen[id]:
			p.Add(field, "draw.choice_twice", nil)
		case !eligible[id]:
			p.Add(field, "draw.choice_unavailable", nil)
		default:
			seen[id] = true
			out = append(out, id)
		}
	}
	if len(out) == 0 && len(p) == 0 {
		p.Add(DrawChoiceField(1), "draw.choice_required", nil)
	}
	return out, p.Err()
}

// DrawChoiceField is the form field of rank n (1-based).
func DrawChoiceField(n int) string { return "choice_" + strconv.Itoa(n) }

// DrawSlot is a slot the draw may allocate: free, not blocked, not started,
// on a stage of the draw's scope.
type DrawSlot struct {
	ID       int64
	StartsAt time.Time
	EndsAt   time.Time
}

// DrawParticipant is a company taking part in a draw: its ranking and what
// it held before the draw ran.
type DrawParticipant struct {
	ExhibitorID int64
	// Choices are slot ids, best first.
	Choices []int64
	// Held counts its active bookings on the scope's stages (they count
	// towards the quota).
	Held int
	// Busy are the times of its active bookings on any stage (a slot won
	// must not overlap them).
	Busy []DrawSlot
}

// DrawOutcome is what happened to one ranked choice.
type DrawOutcome string

// Outcomes of a choice.
const (
	DrawWon         DrawOutcome = "won"         // the company got the slot
	DrawTaken       DrawOutcome = "taken"       // an earlier position got it first
	DrawQuota       DrawOutcome = "quota"       // the company reached its quota before this choice
	DrawOverlap     DrawOutcome = "overlap"     // it overlaps a slot the company holds
	DrawUnavailable DrawOutcome = "unavailable" // booked, blocked, started or removed before the draw
)

// DrawChoice is one ranked choice and what happened to it.
type DrawChoice struct {
	Rank    int         `json:"rank"`
	SlotID  int64       `json:"slot_id"`
	Outcome DrawOutcome `json:"outcome"`
	// ByPosition is the draw position that took the slot (DrawTaken).
	ByPosition int `json:"by_position,omitempty"`
	// OverlapsSlot is the slot it overlaps (DrawOverlap): 0 when that is a
	// booking held before the draw, which OverlapsAt then dates.
	OverlapsSlot int64     `json:"overlaps_slot,omitempty"`
	OverlapsAt   time.Time `json:"overlaps_at"`
	// Round is the round in which the choice was decided (1-based).
	Round int `json:"round"`
}

// DrawEntry is one participant's result.
type DrawEntry struct {
	ExhibitorID int64
	Position    int // 1-based
	Choices     []DrawChoice
	Won         []int64 // slot ids, in the order won
}

// DrawAllocation is one slot given to one company.
type DrawAllocation struct {
	SlotID      int64
	ExhibitorID int64
	Position    int
	Round       int
}

// DrawResult is a draw's whole outcome: entries in draw order and the
// allocations in the order they were made.
type DrawResult struct {
	Entries     []DrawEntry
	Allocations []DrawAllocation
}

// DrawOrder returns the participants' exhibitor ids in the order the seed
// gives them: the ids sorted ascending, then shuffled by Fisher–Yates with
// numbers drawn from ChaCha8 seeded with seed (see ShuffleIndex).
func DrawOrder(seed [DrawSeedLen]byte, exhibitorIDs []int64) []int64 {
	order := slices.Clone(exhibitorIDs)
	slices.Sort(order)
	order = slices.Compact(order)
	rng := rand.NewChaCha8(seed)
	for i := len(order) - 1; i > 0; i-- {
		j := ShuffleIndex(rng, uint64(i+1))
		order[i], order[j] = order[j], order[i]
	}
	return order
}

// ShuffleIndex returns a uniform number in [0, n) from src as
// math/rand/v2's Rand.Shuffle does on 64-bit machines: a power of two by
// masking one number, else by Lemire's multiply-and-reject. Written out so
// that the result depends neither on the machine's word size nor on a
// later Go release.
func ShuffleIndex(src rand.Source, n uint64) int {
	if n&(n-1) == 0 {
		return int(src.Uint64() & (n - 1))
	}
	hi, lo := bits.Mul64(src.Uint64(), n)
	if lo < n {
		thresh := -n % n
		for lo < thresh {
			hi, lo = bits.Mul64(src.Uint64(), n)
		}
	}
	return int(hi)
}

// RunDraw allocates slots by random serial dictatorship. The order is
// DrawOrder of the participants. Then rounds: in each, every participant
// in order that is under quota and has choices left gets its best choice
// still free that overlaps nothing it holds (one slot per round); rounds
// repeat until one allocates nothing. Choices of slots not in slots are
// unavailable; a participant's choices beyond what it can still win are
// marked as passed over for its quota. quota is the scope's SlotQuota.
func RunDraw(seed [DrawSeedLen]byte, participants []DrawParticipant, slots []DrawSlot, quota int) DrawResult {
	byID := map[int64]*DrawParticipant{}
	var ids []int64
	for i := range participants {
		p := &participants[i]
		if _, dup := byID[p.ExhibitorID]; dup {
			continue
		}
		byID[p.ExhibitorID] = p
		ids = append(ids, p.ExhibitorID)
	}
	free := map[int64]DrawSlot{}
	for _, sl := range slots {
		free[sl.ID] = sl
	}
	takenBy := map[int64]int{} // slot → position
	order := DrawOrder(seed, ids)
	res := DrawResult{Entries: make([]DrawEntry, len(order))}
	// decided[i][k]: entry i's choice k has its outcome.
	decided := make([][]bool, len(order))
	busy := make([][]DrawSlot, len(order)) // held before the draw, then won
	for i, id := range order {
		p := byID[id]
		e := &res.Entries[i]
		e.ExhibitorID, e.Position = id, i+1
		seen := map[int64]bool{}
		for _, sl := range p.Choices {
			if sl == 0 || seen[sl] {
				continue
			}
			seen[sl] = true
			e.Choices = append(e.Choices, DrawChoice{Rank: len(e.Choices) + 1, SlotID: sl})
		}
		decided[i] = make([]bool, len(e.Choices))
		busy[i] = slices.Clone(p.Busy)
	}
	for round := 1; ; round++ {
		allocated := false
		for i := range res.Entries {
			e := &res.Entries[i]
			p := byID[e.ExhibitorID]
			if p.Held+len(e.Won) >= quota {
				continue
			}
			for k := range e.Choices {
				if decided[i][k] {
					continue
				}
				c := &e.Choices[k]
				sl, ok := free[c.SlotID]
				if !ok {
					if pos, was := takenBy[c.SlotID]; was {
						c.Outcome, c.ByPosition = DrawTaken, pos
					} else {
						c.Outcome = DrawUnavailable
					}
					c.Round, decided[i][k] = round, true
					continue
				}
				if o, hit := overlapping(busy[i], sl); hit {
					c.Outcome, c.OverlapsSlot, c.OverlapsAt = DrawOverlap, o.ID, o.StartsAt
					c.Round, decided[i][k] = round, true
					continue
				}
				c.Outcome, c.Round, decided[i][k] = DrawWon, round, true
				delete(free, sl.ID)
				takenBy[sl.ID] = e.Position
				busy[i] = append(busy[i], sl)
				e.Won = append(e.Won, sl.ID)
				res.Allocations = append(res.Allocations, DrawAllocation{SlotID: sl.ID, ExhibitorID: e.ExhibitorID,
					Position: e.Position, Round: round})
				allocated = true
				break
			}
		}
		if !allocated {
			break
		}
	}
	// What is left undecided was never reached: the company reached its quota.
	for i := range res.Entries {
		for k := range res.Entries[i].Choices {
			if !decided[i][k] {
				res.Entries[i].Choices[k].Outcome = DrawQuota
			}
		}
	}
	return res
}

// overlapping returns the first of held that overlaps sl.
func overlapping(held []DrawSlot, sl DrawSlot) (DrawSlot, bool) {
	for _, h := range held {
		if h.StartsAt.Before(sl.EndsAt) && sl.StartsAt.Before(h.EndsAt) {
			return h, true
		}
	}
	return DrawSlot{}, false
}

// DrawChoiceRecord is a choice's outcome as it is kept and shown: with its
// slot's time and stage as they were at the draw.
type DrawChoiceRecord struct {
	DrawChoice
	StartsAt  time.Time `json:"starts_at"`
	EndsAt    time.Time `json:"ends_at"`
	StageName Text      `json:"stage_name"`
}

// DrawEntryRecord is one participant's kept result.
type DrawEntryRecord struct {
	ExhibitorID int64
	Position    int
	Choices     []DrawChoiceRecord
	Company     Text   // the company's name (when read)
	CompanySlug string // its public page (when read)
}

// Won is the choices the company got.
func (e DrawEntryRecord) Won() []DrawChoiceRecord {
	var out []DrawChoiceRecord
	for _, c := range e.Choices {
		if c.Outcome == DrawWon {
			out = append(out, c)
		}
	}
	return out
}

// DrawRequest is a company's ranking in a draw.
type DrawRequest struct {
	ID          int64
	DrawID      int64
	ExhibitorID int64
	Choices     []int64 // slot ids, best first
	UpdatedAt   time.Time
}
