package logo

// The fuzz target checks accepted input with image.DecodeConfig, which
// needs the decoders registered.
import (
	_ "image/jpeg"
	_ "image/png"

	_ "golang.org/x/image/webp"
)
