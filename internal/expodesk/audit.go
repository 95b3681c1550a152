package expodesk

import "time"

// AuditEntry records who changed what and when.
type AuditEntry struct {
	ID          int64
	At          time.Time
	ActorID     *int64
	ActorLabel  string
	Action      AuditAction
	ObjectType  string
	ObjectID    string
	ExpoID      *int64
	PavilionID  *int64
	ExhibitorID *int64
	Before      any
	After       any
	ClientIP    string
	RequestID   string
}

// AuditAction names what an audit entry records, "<object>.<verb>"; the
// database checks the shape, these constants the vocabulary.
type AuditAction string

// Audit actions of accounts and security events.
const (
	ActionSignIn              AuditAction = "auth.signin"
	ActionSignInFailed        AuditAction = "auth.signin_failed"
	ActionSignOut             AuditAction = "auth.signout"
	ActionTOTPFailed          AuditAction = "auth.totp_failed"
	ActionTOTPLocked          AuditAction = "auth.totp_locked"
	ActionRecoveryCodeUsed    AuditAction = "auth.recovery_code_used"
	ActionTOTPEnabled         AuditAction = "auth.totp_enabled"
	ActionPasswordCheckFailed AuditAction = "auth.password_check_failed"
	ActionResetRequested      AuditAction = "auth.reset_requested"
	ActionPasswordReset       AuditAction = "auth.password_reset"
	ActionInvitationAccepted  AuditAction = "auth.invitation_accepted"
	ActionForbidden           AuditAction = "auth.forbidden"

	ActionUserInvite         AuditAction = "user.invite"
	ActionUserInviteExisting AuditAction = "user.invite_existing"
	ActionUserEnable         AuditAction = "user.enable"
	ActionUserDisable        AuditAction = "user.disable"
	ActionUserRemove         AuditAction = "user.remove"
	ActionUserUpdateProfile  AuditAction = "user.update_profile"
	ActionUserChangePassword AuditAction = "user.change_password"
	ActionUserRecoveryCodes  AuditAction = "user.recovery_codes"
	ActionUserTOTPDisabled   AuditAction = "user.totp_disabled"
	ActionInvitationCancel   AuditAction = "user.invitation_cancel"

	ActionExhibitorUpdateProfile AuditAction = "exhibitor.update_profile"
	ActionExhibitorSetLogo       AuditAction = "exhibitor.set_logo"
	ActionExhibitorRemoveLogo    AuditAction = "exhibitor.remove_logo"
)

// Audit actions of expos, sister links and pavilions (O1).
const (
	ActionExpoCreate     AuditAction = "expo.create"
	ActionExpoUpdate     AuditAction = "expo.update"
	ActionExpoArchive    AuditAction = "expo.archive"
	ActionExpoRestore    AuditAction = "expo.restore"
	ActionExpoLinkSister AuditAction = "expo.link_sister"
	ActionExpoUnlink     AuditAction = "expo.unlink_sister"
	ActionPavilionCreate AuditAction = "pavilion.create"
	ActionPavilionUpdate AuditAction = "pavilion.update"
	ActionPavilionMove   AuditAction = "pavilion.move"
)

// Audit actions of stages and slots (O1).
const (
	ActionStageCreate   AuditAction = "stage.create"
	ActionStageUpdate   AuditAction = "stage.update"
	ActionStageDelete   AuditAction = "stage.delete"
	ActionSlotsGenerate AuditAction = "slot.generate"
	ActionSlotUpdate    AuditAction = "slot.update"
	ActionSlotDelete    AuditAction = "slot.delete"
)

// AuditFilter selects audit entries.
type AuditFilter struct {
	Action     string // prefix, e.g. "auth." or "user.disable"
	ActorEmail string // substring of the actor label
	ObjectType string
	ObjectID   string
	Since      time.Time
	Until      time.Time
	// PavilionID limits a coordinator to entries about their pavilion and its companies.
	PavilionID int64
	Limit      int
	BeforeID   int64 // for paging backwards
}

// AuditRow is an audit entry as the organizer's page lists it.
type AuditRow struct {
	ID         int64
	At         time.Time
	ActorID    *int64
	ActorLabel string
	Action     string
	ObjectType string
	ObjectID   string
	Before     string // JSON, "" when none
	After      string
	ClientIP   string
	RequestID  string
}

// Audit actions of booking rules and bookings (E3).
const (
	ActionBookingRulesSet    AuditAction = "booking_rules.set"
	ActionBookingRulesRemove AuditAction = "booking_rules.remove"
	ActionBookingCreate      AuditAction = "booking.create"
	ActionBookingTexts       AuditAction = "booking.texts"
	ActionBookingCancel      AuditAction = "booking.cancel"
	// ActionBookingOrganizerCancel: an organizer cancelled a company's booking, with a reason.
	ActionBookingOrganizerCancel AuditAction = "booking.organizer_cancel"
	// ActionBookingMove: an organizer moved a company's booking to another slot.
	ActionBookingMove AuditAction = "booking.move"
)

// Audit actions of delegations and their members (O4).
const (
	ActionDelegationCreate AuditAction = "delegation.create"
	ActionDelegationUpdate AuditAction = "delegation.update"
	ActionDelegationStatus AuditAction = "delegation.status"
	ActionMemberAdd        AuditAction = "delegation_member.add"
	ActionMemberUpdate     AuditAction = "delegation_member.update"
	ActionMemberMove       AuditAction = "delegation_member.move"
	ActionMemberRemove     AuditAction = "delegation_member.remove"
	// ActionMemberErase: a member's personal data erased on request; the
	// entry, and every earlier entry about the member, holds none of it.
	ActionMemberErase AuditAction = "delegation_member.erase"
)

// Audit actions of itineraries, meetings and the shared itinerary link (O4, E4).
const (
	ActionItineraryAdd     AuditAction = "itinerary.add"
	ActionItineraryUpdate  AuditAction = "itinerary.update"
	ActionItineraryRemove  AuditAction = "itinerary.remove"
	ActionMeetingRequest   AuditAction = "meeting.request"
	ActionMeetingAnswer    AuditAction = "meeting.answer"  // accepted or declined by the exhibitor
	ActionMeetingPropose   AuditAction = "meeting.propose" // another time proposed by the exhibitor
	ActionMeetingProposal  AuditAction = "meeting.proposal_decided"
	ActionMeetingCancel    AuditAction = "meeting.cancel"
	ActionItineraryShare   AuditAction = "delegation.share"
	ActionItineraryUnshare AuditAction = "delegation.unshare"
)

// Audit actions of the fair draw (issue 9, item 5).
const (
	ActionDrawSet      AuditAction = "draw.set"      // a scope's draw set up or changed
	ActionDrawRemove   AuditAction = "draw.remove"   // a draw removed before it ran
	ActionDrawRequest  AuditAction = "draw.request"  // a company ranked slots, or changed its ranking
	ActionDrawWithdraw AuditAction = "draw.withdraw" // a company withdrew its ranking
	ActionDrawRun      AuditAction = "draw.run"      // the draw ran: seed, order, allocations
)
