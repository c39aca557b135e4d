// Package web holds Puente's HTML and email templates, embedded in the
// binary.
package web

import "embed"

// Templates holds layouts/, partials/, pages/ and email/.
//
//go:embed templates
var Templates embed.FS
