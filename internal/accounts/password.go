package accounts

import (
	"bufio"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// HashParams are the argon2id cost settings. The defaults follow the
// OWASP recommendation (19 MiB, 2 passes); tests use cheaper ones.
type HashParams struct {
	MemoryKiB uint32
	Time      uint32
	Threads   uint8
}

// DefaultHashParams is the production cost.
var DefaultHashParams = HashParams{MemoryKiB: 19 * 1024, Time: 2, Threads: 1}

// Password length limits, in characters. No composition rules; argon2id has
// no 72-byte truncation, so long passphrases keep every character.
const (
	MinPasswordLen = 8
	MaxPasswordLen = 256
)

// HashPassword returns the PHC-format argon2id hash of password.
func HashPassword(password string, p HashParams) string {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, 32)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.MemoryKiB, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

var errBadHash = errors.New("malformed password hash")

// VerifyPassword tells whether password matches the stored hash, in
// constant time with respect to the key.
func VerifyPassword(password, encoded string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	var p HashParams
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Time, &p.Threads); err != nil {
		return false, errBadHash
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false, errBadHash
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, errBadHash
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

//go:embed common_passwords.txt
var commonPasswordList string

var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(commonPasswordList))
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" && !strings.HasPrefix(w, "#") {
			m[strings.ToLower(w)] = true
		}
	}
	return m
}()

// CheckPassword returns the catalogue key of the problem with a new
// password, or "" when it is acceptable. email and name are the person's
// own, which make poor passwords.
func CheckPassword(password, email, name string) string {
	n := utf8.RuneCountInString(password)
	switch {
	case n < MinPasswordLen:
		return "password.too_short"
	case n > MaxPasswordLen:
		return "password.too_long"
	}
	lower := strings.ToLower(password)
	if commonPasswords[lower] {
		return "password.common"
	}
	local, _, _ := strings.Cut(strings.ToLower(email), "@")
	if lower == strings.ToLower(email) || (len(local) >= 4 && lower == local) ||
		(name != "" && lower == strings.ToLower(name)) {
		return "password.personal"
	}
	if strings.Count(lower, string([]rune(lower)[0])) == len(lower) {
		return "password.common"
	}
	return ""
}
