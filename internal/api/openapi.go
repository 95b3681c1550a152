package api

import _ "embed"

// OpenAPI is the API's OpenAPI 3.1 document, served at /api/v1/openapi.json.
// It is written by hand beside the types it describes; a test validates
// real responses of every endpoint against it.
//
//go:embed openapi.json
var OpenAPI []byte
