package web

import "expodesk/internal/expodesk"

// SignInView is the sign-in form.
type SignInView struct {
	Form    FormState
	Next    string
	Message string // the one answer for an unknown email or a wrong password
	Flash   string
}

// TOTPView is the second step of signing in.
type TOTPView struct {
	Form     FormState
	Message  string
	Recovery bool // show the recovery-code field instead of the code field
}

// TOTPSetupView enrols an authenticator app.
type TOTPSetupView struct {
	Form      FormState
	Message   string
	Secret    string // base32, grouped for typing
	QRDataURL string // data:image/png;base64,…
	Required  bool   // organizers must enrol before anything else
	Action    string // where the form posts
	// ConfirmPassword asks for the current password: enrolling from a
	// signed-in session (a stolen session must not lock the owner out).
	ConfirmPassword bool
}

// RecoveryCodesView shows new recovery codes once.
type RecoveryCodesView struct {
	Codes    []string
	Continue string
}

// ForgotView asks for the email of a forgotten password.
type ForgotView struct {
	Form FormState
	Sent bool
}

// ResetView sets a new password from a reset link.
type ResetView struct {
	Form  FormState
	Token string
	Email string
}

// InvitationView accepts an invitation.
type InvitationView struct {
	Form    FormState
	Token   string
	User    expodesk.User
	Company string
}

// AccountView is a signed-in person's own account page.
type AccountView struct {
	User           expodesk.User
	Profile        FormState
	Password       FormState
	TOTPForm       FormState
	CodesLeft      int
	CanDisableTOTP bool
	Flash          string
}
