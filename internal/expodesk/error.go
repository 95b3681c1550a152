package expodesk

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status and one kind of page in the server.
const (
	ECONFLICT       = "conflict"     // the action clashes with the current state (a slot just taken)
	EINTERNAL       = "internal"     // a bug or an outage; details go to the log, never to the user
	EINVALID        = "invalid"      // the input breaks a rule; see Problems
	ENOTFOUND       = "not_found"    // no such object, or not one the actor may see
	EFORBIDDEN      = "forbidden"    // the actor is known but may not do this
	EUNAUTHORIZED   = "unauthorized" // the actor must sign in first
	ETOOMANYREQUEST = "too_many"     // throttled
	EGONE           = "gone"         // a token that expired or was used
)

// Error is the one error type the domain returns. Message is a translation key
// shown to the user; internal errors wrap the cause instead.
type Error struct {
	Code    string
	Message string
	Data    map[string]any
	// Problems carries field-level messages for EINVALID.
	Problems Problems
	// Field names the form field the error is about, when it is about one
	// (an email already taken): a form shows it there instead of a page.
	Field string
	cause error
}

func (e *Error) Error() string {
	if e.cause != nil {
		return fmt.Sprintf("expodesk %s: %s: %v", e.Code, e.Message, e.cause)
	}
	return fmt.Sprintf("expodesk %s: %s", e.Code, e.Message)
}

// Unwrap returns the underlying cause, if any.
func (e *Error) Unwrap() error { return e.cause }

// Errorf returns an Error with the given code and message key.
func Errorf(code, message string) *Error {
	return &Error{Code: code, Message: message}
}

// Wrap returns an Error with the given code that keeps err as its cause.
func Wrap(code, message string, err error) *Error {
	return &Error{Code: code, Message: message, cause: err}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorOf returns the first *Error in err's chain, or nil.
func ErrorOf(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// Common errors. Callers compare with errors.Is; the store and the
// service return these values themselves, never a generic code that a
// caller must reinterpret.
var (
	ErrNotFound  = Errorf(ENOTFOUND, "error.not_found")
	ErrForbidden = Errorf(EFORBIDDEN, "error.forbidden")

	// ErrEmailTaken: another account has this address (the app_user_email index).
	ErrEmailTaken = &Error{Code: ECONFLICT, Message: "users.email_taken", Field: "email"}
	// ErrExpoSlugTaken: another expo has this slug (the expo_slug_key index).
	ErrExpoSlugTaken = &Error{Code: ECONFLICT, Message: "expos.slug_taken", Field: "slug",
		Data: map[string]any{"Constraint": "expo_slug_key"}}
	// ErrPavilionSlugTaken: another pavilion of the expo has this slug
	// (the pavilion_expo_id_slug_key index).
	ErrPavilionSlugTaken = &Error{Code: ECONFLICT, Message: "expos.pavilion_slug_taken", Field: "slug",
		Data: map[string]any{"Constraint": "pavilion_expo_id_slug_key"}}
	// ErrTokenGone: a link that is unknown, used, expired or revoked.
	ErrTokenGone = Errorf(EGONE, "auth.token_gone")
	// ErrTOTPAlreadyOn: a second factor is in place; it is never replaced
	// without turning it off first.
	ErrTOTPAlreadyOn = Errorf(ECONFLICT, "auth.totp_already_on")
	// ErrNotYourself: an account action one may not take on one's own account.
	ErrNotYourself = Errorf(EFORBIDDEN, "users.not_yourself")
	// ErrTOTPRequired: organizers keep their second factor.
	ErrTOTPRequired = Errorf(EFORBIDDEN, "account.totp_required_organizer")
	// ErrWrongPassword: the current password typed to confirm a change is wrong.
	ErrWrongPassword = &Error{Code: EINVALID, Message: "account.wrong_password", Field: "current_password"}
	// ErrPasswordChangedMeanwhile: the password changed between checking the
	// current one and writing the new one (another session changed it).
	ErrPasswordChangedMeanwhile = Errorf(ECONFLICT, "account.password_changed_meanwhile")
	// ErrWrongCode: a TOTP code that does not match (or was used before).
	ErrWrongCode = &Error{Code: EINVALID, Message: "auth.totp_wrong_code", Field: "code"}
)

// Message is a translation key with its template data.
type Message struct {
	Key  string
	Data map[string]any
}

// Problems maps a form field name to what is wrong with it.
type Problems map[string]Message

// Add records a problem for field unless one is already recorded.
func (p Problems) Add(field, key string, data map[string]any) {
	if _, ok := p[field]; !ok {
		p[field] = Message{Key: key, Data: data}
	}
}

// Err returns an EINVALID *Error carrying p, or nil when p is empty.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "error.invalid", Problems: p}
}

// Errors of stages and slots (O1).
var (
	// ErrStageSlugTaken: another stage of the expo has this slug (the
	// stage_expo_id_slug_key index).
	ErrStageSlugTaken = &Error{Code: ECONFLICT, Message: "stages.slug_taken", Field: "slug",
		Data: map[string]any{"Constraint": "stage_expo_id_slug_key"}}
	// ErrSlotOverlap: the slot's times overlap another slot of its stage
	// (the slot_no_overlap exclusion constraint).
	ErrSlotOverlap = &Error{Code: ECONFLICT, Message: "slots.overlap", Field: "starts_at",
		Data: map[string]any{"Constraint": "slot_no_overlap"}}
	// ErrSlotsOverlap: a day's generated slots overlap slots the stage
	// already has, so none was created.
	ErrSlotsOverlap = &Error{Code: ECONFLICT, Message: "slots.generate_overlap", Field: "first_start",
		Data: map[string]any{"Constraint": "slot_no_overlap"}}
	// ErrSlotBooked: the slot holds an active booking, so it is neither
	// deleted, moved nor blocked (the booking is moved or cancelled first).
	ErrSlotBooked = Errorf(ECONFLICT, "slots.booked")
	// ErrStageHasBookings: a stage with active bookings is not deleted.
	ErrStageHasBookings = Errorf(ECONFLICT, "stages.has_bookings")
)

// Errors of delegations (O4).
var (
	// ErrMemberErased: the member's personal data was erased, so there is
	// nothing left to edit or erase.
	ErrMemberErased = Errorf(ECONFLICT, "delegations.already_erased")
)
