package accounts

import (
	"strings"
	"testing"
)

var cheap = HashParams{MemoryKiB: 1024, Time: 1, Threads: 1}

func TestHashAndVerify(t *testing.T) {
	long := strings.Repeat("é", 100) + "end" // over 72 bytes: every byte counts
	h := HashPassword(long, cheap)
	if !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Fatalf("hash %q", h)
	}
	if ok, err := VerifyPassword(long, h); !ok || err != nil {
		t.Fatalf("own password refused: %v", err)
	}
	if ok, _ := VerifyPassword(strings.Repeat("é", 100)+"enD", h); ok {
		t.Fatal("a change after 72 bytes went unnoticed")
	}
	if HashPassword(long, cheap) == h {
		t.Fatal("same salt twice")
	}
	for _, bad := range []string{"", "$argon2id$v=19$m=1,t=1$x$y", "$bcrypt$...", "$argon2id$v=18$m=1024,t=1,p=1$c2FsdA$aGFzaA"} {
		if ok, err := VerifyPassword("x", bad); ok || err == nil {
			t.Errorf("malformed hash %q accepted", bad)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	for _, tc := range []struct{ pw, want string }{
		{"seven77", "password.too_short"},
		{"ñandúes!", ""}, // 8 characters, 10 bytes
		{strings.Repeat("a", 257), "password.too_long"},
		{strings.Repeat("ab", 128), ""},
		{"Password1", "password.common"},
		{"CONTRASEÑA", "password.common"},
		{"zzzzzzzzzz", "password.common"},
		{"ana@gob.pa", "password.personal"},
		{"Ana Ríos", "password.personal"},
		{"el puente de las américas", ""},
	} {
		if got := CheckPassword(tc.pw, "ana@gob.pa", "Ana Ríos"); got != tc.want {
			t.Errorf("CheckPassword(%q) = %q, want %q", tc.pw, got, tc.want)
		}
	}
}

func TestCheckEmailAndName(t *testing.T) {
	for email, want := range map[string]string{
		"ana@gob.pa": "", "": "field.required", "ana": "email.invalid", "Ana <ana@gob.pa>": "email.invalid",
		"ana@localhost": "email.invalid", strings.Repeat("a", 250) + "@b.org": "email.invalid",
	} {
		if got := CheckEmail(email); got != want {
			t.Errorf("CheckEmail(%q) = %q, want %q", email, got, want)
		}
	}
	for name, want := range map[string]string{
		"Ana": "", "  ": "field.required", strings.Repeat("ñ", 80): "", strings.Repeat("ñ", 81): "name.too_long", "a\x00b": "name.invalid",
	} {
		if got := CheckDisplayName(name); got != want {
			t.Errorf("CheckDisplayName(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestRoles(t *testing.T) {
	if !Admin.AtLeast(Moderator) || !Moderator.AtLeast(Official) || Official.AtLeast(Moderator) || Role("x").AtLeast(Official) || Role("").Valid() {
		t.Fatal("role order wrong")
	}
}
