package server

import (
	"net/http"
	"strings"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"

	"puente/internal/i18n"
)

// Messages for the next page ("comment posted") travel in a signed
// cookie of their own rather than in the session: a post then writes
// nothing but its change, and the page that shows the message writes
// nothing at all. Under load, the session write doubled the commits each
// comment waited for.

// maxFlashes is how many unread messages are kept: a client that posts
// and never reads a page carries the latest few, not a growing cookie.
const maxFlashes = 5

func (s *Server) flashCookieName() string { return s.hostCookie("puente-flash") }

// hostCookie is the name of a cookie Puente sets: over https it carries
// the __Host- prefix, so no other host of the domain and no plain-http
// page can set it.
func (s *Server) hostCookie(name string) string {
	if s.cfg.Secure() {
		return "__Host-" + name
	}
	return name
}

// flashesOf returns the messages waiting in r's cookie, and those added
// while answering r.
func (s *Server) flashesOf(r *http.Request) []string {
	var keys []string
	if c, err := r.Cookie(s.flashCookieName()); err == nil {
		var raw []byte
		if securecookie.DecodeMulti(s.flashCookieName(), c.Value, &raw, s.sessions.Codecs...) == nil {
			for _, k := range strings.Split(string(raw), "\n") {
				if i18n.Has(k) {
					keys = append(keys, k)
				}
			}
		}
	}
	return append(keys, state(r).flashes...)
}

// flash keeps a message for the next page this person sees.
func (s *Server) flash(w http.ResponseWriter, r *http.Request, key string) {
	st := state(r)
	st.flashes = append(st.flashes, key)
	keys := s.flashesOf(r)
	if len(keys) > maxFlashes {
		keys = keys[len(keys)-maxFlashes:]
	}
	encoded, err := securecookie.EncodeMulti(s.flashCookieName(), []byte(strings.Join(keys, "\n")), s.sessions.Codecs...)
	if err != nil {
		s.log.Error("flash cookie", "err", err)
		return
	}
	http.SetCookie(w, sessions.NewCookie(s.flashCookieName(), encoded, s.flashOptions(0)))
}

// takeFlashes returns the messages for the page answering r (those
// waiting in the cookie and those r itself left) and clears them, so each
// shows once: the clearing cookie comes after any that r set, and wins.
func (s *Server) takeFlashes(w http.ResponseWriter, r *http.Request) []string {
	keys := s.flashesOf(r)
	if _, err := r.Cookie(s.flashCookieName()); err == nil || len(state(r).flashes) > 0 {
		http.SetCookie(w, sessions.NewCookie(s.flashCookieName(), "", s.flashOptions(-1)))
	}
	return keys
}

func (s *Server) flashOptions(maxAge int) *sessions.Options {
	return &sessions.Options{Path: "/", MaxAge: maxAge, HttpOnly: true, Secure: s.cfg.Secure(), SameSite: http.SameSiteLaxMode}
}
