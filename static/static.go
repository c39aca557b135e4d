// Package static holds the stylesheets, scripts and images that pages load,
// embedded in the binary and served under content-hashed names.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"strings"
)

// Files holds everything under css/, js/, img/ and vendor/.
//
//go:embed css js img vendor
var Files embed.FS

// Hashes maps a file's path to a short hash of its content; URLs carry the
// hash so a file can be cached for a year and still change on release.
var Hashes = func() map[string]string {
	m := map[string]string{}
	_ = fs.WalkDir(Files, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(Files, path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		m[path] = hex.EncodeToString(sum[:6])
		return nil
	})
	return m
}()

// URL returns the cache-busting URL of a file, such as
// /static/css/app.css?v=1a2b3c4d5e6f.
func URL(path string) string {
	path = strings.TrimPrefix(path, "/")
	if h, ok := Hashes[path]; ok {
		return "/static/" + path + "?v=" + h
	}
	return "/static/" + path
}
