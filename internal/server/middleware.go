package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"runtime/debug"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/gorilla/sessions"

	"puente/internal/accounts"
	"puente/internal/apperr"
	"puente/internal/cache"
	"puente/internal/i18n"
	"puente/internal/tokens"
	"puente/internal/websession"
)

// reqState is what the middleware learns about a request, kept in its
// context as one pointer so later middleware can fill it in.
type reqState struct {
	session *sessions.Session
	account *accounts.Account
	lang    string
	// nonce lets the rich-text editor's own stylesheet past the CSP.
	nonce string
	// flashes are the messages this response leaves for the next page.
	flashes []string
}

type ctxKey struct{}

func state(r *http.Request) *reqState {
	if st, ok := r.Context().Value(ctxKey{}).(*reqState); ok {
		return st
	}
	return &reqState{lang: i18n.Default}
}

func currentAccount(r *http.Request) *accounts.Account { return state(r).account }

// begin puts an empty state in the request's context, first of all, so
// that every later layer (error pages included) can read and fill it.
func (s *Server) begin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := &reqState{lang: i18n.Default, nonce: tokens.New()[:22]}
		ctx := cache.WithSeqMemo(context.WithValue(r.Context(), ctxKey{}, st))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// MaxBodyBytes bounds a request body: room for a practice whose five
// sections are at their limit, percent-encoded.
const MaxBodyBytes = 4 << 20

func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "err", fmt.Sprint(v), "stack", string(debug.Stack()))
				s.renderError(w, r, errors.New("panic"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// contentSecurityPolicy allows no inline script at all. securityHeaders
// adds inline style only with the request's nonce (the rich-text editor's
// own stylesheet) and data: images (the editor's toolbar icons).
const contentSecurityPolicy = "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

func (s *Server) securityHeaders(next http.Handler) http.Handler {
	secure := s.cfg.Secure()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy+"; img-src 'self' data:; style-src 'self' 'nonce-"+state(r).nonce+"'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		if secure {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// observe counts each request in the metrics and writes one line for it
// to the log: at info level with --access-log, else at debug (a server
// error always at warn). Both name the route pattern, never the raw path,
// because paths of links carry secret tokens and the metrics would keep
// one series per practice. It sits outside the recoverer, so that a
// request whose handler panicked is counted with its 500.
func (s *Server) observe(next http.Handler) http.Handler {
	level := slog.LevelDebug
	if s.cfg.AccessLog {
		level = slog.LevelInfo
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		elapsed := time.Since(start)
		route := chi.RouteContext(r.Context()).RoutePattern()
		if route == "" {
			route = "(unmatched)"
		}
		status := ww.Status()
		if status == 0 {
			status = http.StatusOK // nothing written: net/http answers 200
		}
		s.metrics.Request(route, r.Method, status, elapsed)
		lvl := level
		if status >= 500 {
			lvl = slog.LevelWarn
		}
		if !s.log.Enabled(r.Context(), lvl) {
			return
		}
		attrs := []slog.Attr{slog.String("method", r.Method), slog.String("route", route), slog.Int("status", status),
			slog.Int("bytes", ww.BytesWritten()), slog.Float64("ms", float64(elapsed.Microseconds())/1000), slog.String("ip", s.clientIP(r))}
		if a := currentAccount(r); a != nil {
			attrs = append(attrs, slog.Int64("account_id", a.ID))
		}
		s.log.LogAttrs(r.Context(), lvl, "request", attrs...)
	})
}

// checkForm refuses, with a 400 page, a form or query string that cannot be
// decoded or that is not valid UTF-8. Browsers never send either, and a
// handler that went on would store or echo broken text.
func (s *Server) checkForm(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/static/") {
			next.ServeHTTP(w, r)
			return
		}
		bad := apperr.New(apperr.Invalid, "error.bad_encoding")
		if q, err := url.ParseQuery(r.URL.RawQuery); err != nil || !validUTF8(q) {
			s.renderError(w, r, bad)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
			if ct == "application/x-www-form-urlencoded" {
				if err := r.ParseForm(); err != nil {
					var tooLarge *http.MaxBytesError
					if errors.As(err, &tooLarge) {
						s.renderError(w, r, err)
					} else {
						s.renderError(w, r, bad)
					}
					return
				}
				if !validUTF8(r.PostForm) {
					s.renderError(w, r, bad)
					return
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

func validUTF8(v url.Values) bool {
	for k, vs := range v {
		if !utf8.ValidString(k) {
			return false
		}
		for _, x := range vs {
			if !utf8.ValidString(x) {
				return false
			}
		}
	}
	return true
}

func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := int64(MaxBodyBytes)
		// The practice form carries files: as much as a practice may hold.
		if r.Method == http.MethodPost && practiceForm.MatchString(r.URL.Path) && strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			limit += s.cfg.AttachmentsMax
		}
		if r.ContentLength > limit {
			s.renderError(w, r, apperr.New(apperr.TooLarge, "error.too_large"))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

// practiceForm matches where the practice form posts.
var practiceForm = regexp.MustCompile(`^/practices(/[0-9]+)?$`)

// loadSession finds the session and its account. An account that is gone
// or suspended is treated as signed out, and its session ended.
func (s *Server) loadSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := state(r)
		sess, err := s.sessions.Get(r, s.cookieName)
		if err != nil {
			if r.Context().Err() == nil {
				s.log.Error("session load", "err", err)
			}
			s.renderError(w, r, err)
			return
		}
		st.session = sess
		// Someone else ended this browser's session: say why, once.
		if why := websession.EndedBecause(sess); why != "" {
			s.flash(w, r, "signin.ended."+why)
		}
		if id := websession.AccountID(sess); id != 0 {
			a, err := s.accounts.ByID(r.Context(), id)
			switch {
			case err == nil && a.Status == accounts.Active:
				st.account = a
			case err == nil || apperr.Is(err, apperr.NotFound):
				s.sessions.EndAll(r.Context(), id)
				sess.Values = map[any]any{}
				sess.ID = ""
			default:
				s.renderError(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// langCookieName holds the language chosen without an account.
func (s *Server) langCookieName() string { return s.hostCookie("lang") }

func (s *Server) chooseLocale(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := state(r)
		switch {
		case st.account != nil && i18n.Supported(st.account.Lang):
			st.lang = st.account.Lang
		default:
			if c, err := r.Cookie(s.langCookieName()); err == nil && i18n.Supported(c.Value) {
				st.lang = c.Value
			} else {
				st.lang = i18n.FromAcceptLanguage(r.Header.Get("Accept-Language"))
			}
		}
		w.Header().Set("Content-Language", st.lang)
		next.ServeHTTP(w, r)
	})
}

// crossOrigin refuses state-changing requests from other sites, using the
// browser's Sec-Fetch-Site and Origin headers, for every route at once.
func (s *Server) crossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	// The one exemption: one-click unsubscribe from a mail client, for
	// the digest and for notification emails.
	cop.AddInsecureBypassPattern("POST /unsubscribe/{token}")
	cop.AddInsecureBypassPattern("POST /unsubscribe/notices/{token}")
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.log.Warn("security", "event", "csrf.rejected", "method", r.Method, "client_ip", s.clientIP(r),
			"sec_fetch_site", r.Header.Get("Sec-Fetch-Site"), "origin", r.Header.Get("Origin"))
		s.renderError(w, r, apperr.New(apperr.Forbidden, "error.cross_origin"))
	}))
	return cop.Handler(next)
}

func (s *Server) requireAccount(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if currentAccount(r) == nil {
			s.renderError(w, r, errSignInNeeded)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) requireRole(role accounts.Role) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if a := currentAccount(r); a == nil || !a.Role.AtLeast(role) {
				s.renderError(w, r, errForbidden)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// clientIP is the TCP peer, unless the peer is a configured trusted proxy:
// then it is the right-most X-Forwarded-For address that is not itself a
// trusted proxy. Without trusted proxies the header is ignored, so a
// client cannot pick its own address to dodge rate limits.
func (s *Server) clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !s.trusted(peer) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		if !s.trusted(a) {
			return a.String()
		}
	}
	return host
}

func (s *Server) trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// localPath accepts only a path on this site, so that a "next" parameter
// cannot send a person elsewhere after signing in.
func localPath(p string) string {
	if p == "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return "/"
	}
	u, err := url.Parse(p)
	if err != nil || u.IsAbs() || u.Host != "" {
		return "/"
	}
	return p
}
