package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/securecookie"

	"puente/internal/accounts"
)

// Sign-in lockout with device cookies, after OWASP's "slow down online
// guessing attacks with device cookies": a browser that has signed in to
// an account keeps a signed cookie naming that account. Failed passwords
// are counted per account and device for such a browser, and per account
// for every other source together. Ten failures from anywhere lock the
// account's untrusted sign-ins for the window, not the owner's own
// browser, so nobody can keep an official out by guessing wrong.

// deviceMaxAge is how long a browser stays known after its last sign-in.
const deviceMaxAge = 180 * 24 * time.Hour

func (s *Server) deviceCookieName() string { return s.hostCookie("puente-device") }

// newDeviceCodecs signs device cookies with the session keys, valid for
// deviceMaxAge (the session codecs leave expiry to the server).
func newDeviceCodecs(keys [][]byte) []securecookie.Codec {
	pairs := make([][]byte, 0, 2*len(keys))
	for _, k := range keys {
		pairs = append(pairs, k, nil)
	}
	codecs := securecookie.CodecsFromPairs(pairs...)
	for _, c := range codecs {
		if sc, ok := c.(*securecookie.SecureCookie); ok {
			sc.MaxAge(int(deviceMaxAge.Seconds()))
		}
	}
	return codecs
}

// rememberDevice gives the browser a device cookie for a, after a sign-in
// that passed every step.
func (s *Server) rememberDevice(w http.ResponseWriter, a *accounts.Account) error {
	nonce := make([]byte, 16)
	if _, err := rand.Read(nonce); err != nil {
		return err
	}
	name := s.deviceCookieName()
	value, err := securecookie.EncodeMulti(name, []byte(accounts.NormalizeEmail(a.Email)+"\n"+hex.EncodeToString(nonce)), s.deviceCodecs...)
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: int(deviceMaxAge.Seconds()),
		HttpOnly: true, Secure: s.cfg.Secure(), SameSite: http.SameSiteLaxMode})
	return nil
}

// signinKey is what the sign-in limiter counts a try for the account
// named acctKey under: the account on this device when the browser holds
// a valid device cookie for it, else the account's untrusted sources.
func (s *Server) signinKey(r *http.Request, acctKey string) (key string, known bool) {
	if c, err := r.Cookie(s.deviceCookieName()); err == nil {
		var raw []byte
		if securecookie.DecodeMulti(s.deviceCookieName(), c.Value, &raw, s.deviceCodecs...) == nil {
			if email, nonce, ok := strings.Cut(string(raw), "\n"); ok && email == acctKey {
				return acctKey + "\x00device\x00" + nonce, true
			}
		}
	}
	return acctKey + "\x00untrusted", false
}

// noticeLock tells the owner of the account at email, if there is one,
// that sign-ins from unknown browsers are paused. It runs apart from the
// request, so the answer takes as long whether or not the account exists.
func (s *Server) noticeLock(email string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	a, err := s.accounts.ByEmail(ctx, email)
	if err != nil || a == nil || a.Status != accounts.Active {
		return
	}
	if err := s.notices.SigninLocked(ctx, a, int(LimitWindow.Minutes())); err != nil {
		s.log.Error("signin lock notice", "err", err)
		return
	}
	s.log.Info("security", "event", "signin.lock_notice", "account_id", a.ID)
}
