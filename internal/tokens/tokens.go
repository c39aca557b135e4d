// Package tokens makes the random secrets behind links and sessions and the
// hashes under which they are stored.
package tokens

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
)

// New returns a random URL-safe token carrying 256 bits.
func New() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// Hash is what the database keeps in place of a token.
func Hash(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}
