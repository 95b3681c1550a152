package web

import "expodesk/internal/expodesk"

// ExposView is the console's list of expos.
type ExposView struct {
	Expos     []expodesk.Expo
	CanManage bool         // an expo-wide organizer: may create and edit expos
	Own       *OwnPavilion // a coordinator's own pavilion
	Flash     string
}

// OwnPavilion is the one pavilion a coordinator manages, with its expo.
type OwnPavilion struct {
	Expo     expodesk.Expo
	Pavilion expodesk.Pavilion
}

// ExpoFormView is the new-expo form (Expo nil) or an expo's edit page with
// its sisters and pavilions.
type ExpoFormView struct {
	Expo          *expodesk.Expo
	Form          FormState
	Sisters       []expodesk.Expo
	SisterOptions []Option
	SisterForm    FormState
	Pavilions     []expodesk.Pavilion
	Flash         string
}

// PavilionFormView is the new-pavilion form (Pavilion nil) or a pavilion's edit page.
type PavilionFormView struct {
	Expo          expodesk.Expo
	Pavilion      *expodesk.Pavilion
	Form          FormState
	CanManageExpo bool
}

// langFields are the three languages of a translated field, for the forms.
func langFields() []expodesk.Lang { return expodesk.Langs }
