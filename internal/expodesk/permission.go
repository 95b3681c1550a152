package expodesk

// Permission rules: plain functions of the principal and the object, so that
// handlers and the store ask the same question the same way. An object the
// principal may not see is reported as not found by the callers.

// CanManageExpos reports whether p may create expos, sister links and
// organizer accounts: only expo-wide organizers.
func CanManageExpos(p *Principal) bool { return p.IsExpoOrganizer() }

// CanManagePavilion reports whether p may manage the pavilion's exhibitors,
// stages, slots and delegation visits.
func CanManagePavilion(p *Principal, pavilionID int64) bool {
	if p.IsExpoOrganizer() {
		return true
	}
	return p.IsOrganizer() && pavilionID != 0 && p.PavilionID == pavilionID
}

// CanEditExhibitor reports whether p may change the exhibitor's profile and
// team: its own team members, and organizers (a coordinator when the company
// exhibits in their pavilion, which the caller passes as inPavilion).
func CanEditExhibitor(p *Principal, exhibitorID int64, inPavilion bool) bool {
	switch {
	case p.IsExhibitor():
		return p.ExhibitorID == exhibitorID
	case p.IsExpoOrganizer():
		return true
	case p.IsOrganizer():
		return inPavilion
	}
	return false
}

// CanSeeAudit reports whether p may read the audit log (a coordinator sees
// their pavilion's part of it).
func CanSeeAudit(p *Principal) bool { return p.IsOrganizer() }

// CanManageAccount reports whether p may disable, enable or remove target's
// account. Organizer accounts are for expo-wide organizers; a team member's
// account is for whoever may edit the company (inPavilion: the company is in
// p's pavilion). Nobody manages their own account this way.
func CanManageAccount(p *Principal, target User, inPavilion bool) bool {
	if p == nil || target.ID == p.UserID {
		return false
	}
	if target.Role == RoleOrganizer {
		return CanManageExpos(p)
	}
	return target.ExhibitorID != nil && CanEditExhibitor(p, *target.ExhibitorID, inPavilion)
}

// CanReadOutbox reports whether p may open the outbox at all (a coordinator
// sees their pavilion's part of it).
func CanReadOutbox(p *Principal) bool { return p.IsOrganizer() }

// CanReadMail reports whether p may read an outbox message scoped to a
// pavilion (nil: not scoped to one): expo-wide organizers read all, a
// coordinator their pavilion's.
func CanReadMail(p *Principal, pavilionID *int64) bool {
	if p.IsExpoOrganizer() {
		return true
	}
	return pavilionID != nil && CanManagePavilion(p, *pavilionID)
}

// CanReadMailBody reports whether p may read the body of m, an outbox
// message p may read (CanReadMail), sent to an account of the given role
// ("" when no account has the address any more). A body holding a link that
// signs in as its recipient is shown only to someone who could hand out such
// an account anyway, and only while it still has to be passed on by hand:
//   - a password reset link: to nobody but the recipient, so never here;
//   - an invitation once it was sent: the recipient has it, so no more;
//   - an invitation to an organizer account (a pavilion coordinator's too):
//     to expo-wide organizers only. A coordinator may see it listed in
//     their pavilion's outbox, but reading the link would let them sign in
//     as a fellow coordinator. An unknown recipient counts as an organizer.
func CanReadMailBody(p *Principal, m MailMessage, recipient Role) bool {
	if !CanReadMail(p, m.PavilionID) || m.Private() {
		return false
	}
	if m.Kind != MailInvitation {
		return true
	}
	if m.SentAt != nil {
		return false
	}
	return recipient == RoleExhibitor || p.IsExpoOrganizer()
}

// CanManageParticipation reports whether p may decide on or place a
// participation in the pavilion pavilionID (nil: in no pavilion). Expo-wide
// organizers always may; a coordinator only for a participation in their own
// pavilion, which also bars them from moving one into another pavilion (the
// caller asks again for the pavilion it would move to).
func CanManageParticipation(p *Principal, pavilionID *int64) bool {
	if p.IsExpoOrganizer() {
		return true
	}
	return pavilionID != nil && CanManagePavilion(p, *pavilionID)
}

// CanRegisterExhibitor reports whether p may register companies and their
// participation at expo expoID (O2): expo-wide organizers at any expo, a
// coordinator at the expo of their pavilion (and in it only, which
// CanManageParticipation decides for the pavilion chosen).
func CanRegisterExhibitor(p *Principal, expoID int64) bool {
	if p.IsExpoOrganizer() {
		return true
	}
	return p.IsOrganizer() && p.PavilionID != 0 && p.ExpoID == expoID
}

// CanEditExhibitorIdentity reports whether p may change what identifies a
// company in law (its legal name and registration id): organizers who may
// edit the company (a coordinator when it exhibits in their pavilion,
// inPavilion), never its own team.
func CanEditExhibitorIdentity(p *Principal, exhibitorID int64, inPavilion bool) bool {
	return p.IsOrganizer() && CanEditExhibitor(p, exhibitorID, inPavilion)
}

// CanManageStage reports whether p may create, change or delete a stage in
// the pavilion pavilionID (nil: an expo-wide stage) and its slots, and see
// their bookings in the organizer's grid: expo-wide organizers any, a
// coordinator their own pavilion's only.
func CanManageStage(p *Principal, pavilionID *int64) bool {
	if p.IsExpoOrganizer() {
		return true
	}
	return pavilionID != nil && CanManagePavilion(p, *pavilionID)
}

// CanManageDelegation reports whether p may see and change a delegation
// visiting expo expoID hosted by pavilion hostPavilionID (nil: the whole
// expo), its members and their personal data: expo-wide organizers any, a
// coordinator the visits their own pavilion hosts.
func CanManageDelegation(p *Principal, expoID int64, hostPavilionID *int64) bool {
	if p.IsExpoOrganizer() {
		return true
	}
	return p.IsOrganizer() && hostPavilionID != nil && p.ExpoID == expoID && CanManagePavilion(p, *hostPavilionID)
}

// CanSeeMeeting reports whether p may read and answer a meeting with
// company exhibitorID: the company's own team only (another's is not found).
func CanSeeMeeting(p *Principal, exhibitorID int64) bool {
	return p.IsExhibitor() && p.ExhibitorID == exhibitorID
}
