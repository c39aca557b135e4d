// Package server is Puente's HTTP interface: the router, the middleware
// every request passes through, and one handler per action.
package server

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/gorilla/securecookie"
	"github.com/prometheus/client_golang/prometheus"

	"puente/internal/accounts"
	"puente/internal/adoptions"
	"puente/internal/cache"
	"puente/internal/clock"
	"puente/internal/comments"
	"puente/internal/config"
	"puente/internal/digest"
	"puente/internal/mail"
	"puente/internal/metrics"
	"puente/internal/moderation"
	"puente/internal/notifications"
	"puente/internal/notify"
	"puente/internal/practices"
	"puente/internal/printer"
	"puente/internal/questions"
	"puente/internal/ratelimit"
	"puente/internal/search"
	"puente/internal/taxonomy"
	"puente/internal/websession"
)

// Deps are what the server is built from: the stores and services of
// the application, never the database itself.
type Deps struct {
	Config     *config.Config
	Clock      clock.Clock
	Log        *slog.Logger
	Versions   *cache.Versions
	Taxonomy   *taxonomy.Store
	Accounts   *accounts.Store
	Practices  *practices.Store
	Comments   *comments.Store
	Adoptions  *adoptions.Store
	Questions  *questions.Store
	Moderation *moderation.Store
	Sessions   *websession.Store
	Search     *search.Indexer
	Outbox     *mail.Outbox
	Mail       *mail.Composer
	Digest     *digest.Runner
	Notices    *notify.Notices
	Inbox      *notifications.Store
	// Health reports whether the database answers.
	Health func(context.Context) error
	// Ready reports whether the site can do all its work, or why not.
	Ready func(context.Context) error
	// Metrics counts requests, rate-limit refusals and the cache.
	Metrics *metrics.Metrics
	// Printer makes PDFs of compendiums.
	Printer *printer.Printer
}

// Server holds the handlers' shared state.
type Server struct {
	cfg        *config.Config
	clock      clock.Clock
	log        *slog.Logger
	accounts   *accounts.Store
	sessions   *websession.Store
	taxonomy   *taxonomy.Store
	practices  *practices.Store
	comments   *comments.Store
	adoptions  *adoptions.Store
	questions  *questions.Store
	moderation *moderation.Store
	search     *search.Indexer
	outbox     *mail.Outbox
	mail       *mail.Composer
	digest     *digest.Runner
	notices    *notify.Notices
	inbox      *notifications.Store
	health     func(context.Context) error
	ready      func(context.Context) error
	metrics    *metrics.Metrics
	printer    *printer.Printer
	// parts keeps rendered parts of pages every viewer of a kind sees
	// alike (see parts.go).
	parts      *cache.Cache[partKey, keptPart]
	headers    headerStore
	versions   *cache.Versions
	pages      *pages
	cookieName string
	// deviceCodecs sign the cookies of browsers that have signed in.
	deviceCodecs []securecookie.Codec
	limits       limits
}

type limits struct {
	signinAccount, signinIP *ratelimit.Limiter
	resetEmail, resetIP     *ratelimit.Limiter
	resetAccount            *ratelimit.Limiter
	inviteIP, invitation    *ratelimit.Limiter
	code, codeIP            *ratelimit.Limiter
	// posts is what one account may post: comments, flags, new practices.
	posts *ratelimit.Bucket
	// questions is what one account may ask: each one emails people.
	questions *ratelimit.Bucket
	// pdf is the compendiums one account may have printed: each starts a
	// browser page on the server.
	pdf *ratelimit.Bucket
	// api is what one token may ask of the API.
	api *ratelimit.Bucket
}

// Rate limits. Sign-in counts failures only; the others count every try.
const (
	SigninAccountLimit = 10 // failed sign-ins per account per window
	SigninIPLimit      = 50 // failed sign-ins per client address per window
	LimitWindow        = 15 * time.Minute
	// A person may send QuestionBurst questions at once, then one per
	// QuestionEvery.
	QuestionBurst = 5
	QuestionEvery = 30 * time.Minute
)

// New builds a server.
func New(d Deps) (*Server, error) {
	pg, err := parsePages()
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg: d.Config, clock: d.Clock, log: d.Log,
		accounts: d.Accounts, sessions: d.Sessions, taxonomy: d.Taxonomy, practices: d.Practices, comments: d.Comments,
		adoptions: d.Adoptions, questions: d.Questions,
		moderation: d.Moderation, search: d.Search, outbox: d.Outbox, mail: d.Mail, digest: d.Digest, notices: d.Notices, inbox: d.Inbox,
		health: d.Health, ready: d.Ready, metrics: d.Metrics, printer: d.Printer, versions: d.Versions,
		parts: cache.New[partKey](d.Versions, maxPartBytes, keptPart.size),
		pages: pg,
	}
	s.sessions.ClientIP = s.clientIP
	s.cookieName = websession.CookieName(d.Config.Secure())
	s.deviceCodecs = newDeviceCodecs(d.Config.SessionKeys)
	s.limits = limits{
		signinAccount: ratelimit.New(SigninAccountLimit, LimitWindow, d.Clock),
		signinIP:      ratelimit.New(SigninIPLimit, LimitWindow, d.Clock),
		resetEmail:    ratelimit.New(5, LimitWindow, d.Clock),
		resetIP:       ratelimit.New(20, LimitWindow, d.Clock),
		resetAccount:  ratelimit.New(10, LimitWindow, d.Clock),
		inviteIP:      ratelimit.New(20, LimitWindow, d.Clock),
		invitation:    ratelimit.New(10, LimitWindow, d.Clock),
		code:          ratelimit.New(CodeLimit, LimitWindow, d.Clock),
		codeIP:        ratelimit.New(SigninIPLimit, LimitWindow, d.Clock),
		posts:         ratelimit.NewBucket(d.Config.PostBurst, d.Config.PostEvery, d.Clock),
		questions:     ratelimit.NewBucket(QuestionBurst, QuestionEvery, d.Clock),
		pdf:           ratelimit.NewBucket(3, time.Minute, d.Clock),
		api:           ratelimit.NewBucket(APIBurst, APIEvery, d.Clock),
	}
	s.watch()
	return s, nil
}

// watch adds to the metrics the tries each rate limit refused and the
// kept parts' hits and misses.
func (s *Server) watch() {
	const refusals = "Tries a rate limit refused, by limit."
	for name, refused := range map[string]func() uint64{
		"signin_account": s.limits.signinAccount.Refused, "signin_ip": s.limits.signinIP.Refused,
		"reset_email": s.limits.resetEmail.Refused, "reset_ip": s.limits.resetIP.Refused, "reset_account": s.limits.resetAccount.Refused,
		"invite_ip": s.limits.inviteIP.Refused, "invitation": s.limits.invitation.Refused,
		"code": s.limits.code.Refused, "code_ip": s.limits.codeIP.Refused,
		"posts": s.limits.posts.Refused, "questions": s.limits.questions.Refused, "pdf": s.limits.pdf.Refused, "api": s.limits.api.Refused,
	} {
		s.metrics.Counter("puente_ratelimit_refusals_total", refusals, prometheus.Labels{"limit": name}, refused)
	}
	const lookups = "Lookups of rendered page parts kept in memory, by result: hit (still current) or miss (absent or out of date)."
	s.metrics.Counter("puente_cache_lookups_total", lookups, prometheus.Labels{"result": "hit"}, func() uint64 { h, _ := s.parts.Counts(); return h })
	s.metrics.Counter("puente_cache_lookups_total", lookups, prometheus.Labels{"result": "miss"}, func() uint64 { _, m := s.parts.Counts(); return m })
	s.metrics.Gauge("puente_cache_bytes", "Bytes of rendered page parts kept in memory.", func() float64 { return float64(s.parts.Bytes()) })
}

// Sessions exposes the session store, for maintenance and tests.
func (s *Server) Sessions() *websession.Store { return s.sessions }

// Handler returns the router with every middleware.
func (s *Server) Handler() http.Handler {
	r := chi.NewRouter()
	// HEAD is answered by the GET handler, headers only: uptime monitors
	// and link checkers use it.
	r.Use(middleware.GetHead)
	r.Use(s.begin, s.observe, s.compress, s.recoverer, s.securityHeaders)
	// Pages know who asks and in what language, and check what is sent;
	// the files and the health check below need none of it, and are most
	// of the requests a browser makes.
	pages := []func(http.Handler) http.Handler{s.loadSession, s.chooseLocale, s.enforceTwoFactor, s.limitBody, s.crossOrigin, s.checkForm}
	asPage := func(h http.HandlerFunc) http.HandlerFunc { return chi.Chain(pages...).HandlerFunc(h).ServeHTTP }
	r.NotFound(asPage(s.h(func(w http.ResponseWriter, r *http.Request) error { return errNotFound })))
	r.MethodNotAllowed(asPage(s.h(func(w http.ResponseWriter, req *http.Request) error {
		w.Header().Set("Allow", strings.Join(allowedMethods(r, req.URL.Path), ", "))
		return errMethod
	})))

	r.Get("/healthz", s.healthz)
	r.Get("/readyz", s.Readyz)
	r.Get("/static/*", s.serveStatic)
	r.Get("/favicon.ico", s.favicon)
	s.apiRoutes(r)

	r.Group(func(r chi.Router) {
		r.Use(pages...)
		s.pageRoutes(r)
	})
	return r
}

// pageRoutes are the routes of pages and forms.
func (s *Server) pageRoutes(r chi.Router) {

	r.Get("/signin", s.h(s.signinPage))
	r.Post("/signin", s.h(s.signinPost))
	r.Post("/signout", s.h(s.signout))
	r.Get("/signin/code", s.h(s.signinCodePage))
	r.Post("/signin/code", s.h(s.signinCodePost))
	r.Get("/password/forgot", s.h(s.forgotPage))
	r.Post("/password/forgot", s.h(s.forgotPost))
	r.Get("/password/reset/{token}", s.h(s.resetPage))
	r.Post("/password/reset/{token}", s.h(s.resetPost))
	r.Get("/email/confirm/{token}", s.h(s.emailConfirmPage))
	r.Post("/email/confirm/{token}", s.h(s.emailConfirm))
	r.Get("/invitations/{token}", s.h(s.acceptPage))
	r.Post("/invitations/{token}", s.h(s.acceptPost))
	r.Post("/language", s.h(s.setLanguage))
	// The token in the URL is the credential: a mail client's one-click
	// POST carries no session and no Origin of ours (RFC 8058).
	r.Get("/unsubscribe/{token}", s.h(s.unsubscribePage))
	r.Get("/review/{token}", s.h(s.freshPage))
	r.Post("/review/{token}", s.h(s.freshPost))
	r.Post("/unsubscribe/{token}", s.h(s.unsubscribePost))
	r.Get("/unsubscribe/notices/{token}", s.h(s.noticeUnsubscribePage))
	r.Post("/unsubscribe/notices/{token}", s.h(s.noticeUnsubscribePost))

	// Open to visitors, who see only public practices.
	r.Get("/practices", s.h(s.practiceList))
	r.Get("/search", s.h(s.searchPage))
	r.Get("/feeds/practices.atom", s.h(s.publicFeed))
	r.Get("/feeds/tags/{tag}", s.h(s.publicFeed))
	r.Get("/feeds/countries/{country}", s.h(s.publicFeed))
	r.Get("/feeds/private/{token}", s.h(s.privateFeed))
	r.Get("/practices/{id}", s.h(s.practicePage))
	r.Get("/practices/{id}/history", s.h(s.practiceHistory))
	r.Get("/attachments/{id}", s.h(s.attachmentGet))
	r.Get("/comments/{id}", s.h(s.commentPermalink))
	r.Get("/countries/{code}", s.h(s.countryPage))
	r.Get("/meetings", s.h(s.meetingsPage))
	r.Get("/meetings/{id}", s.h(s.meetingPage))
	r.Get("/meetings/{id}/compendium", s.h(s.compendium))
	// Open data: the public practices, for anyone and any program.
	r.Get("/data/practices.json", s.h(s.openData("json")))
	r.Get("/data/practices.csv", s.h(s.openData("csv")))
	r.Get("/tags/{id}", s.h(s.tagPage))

	r.Get("/", s.h(s.home)) // members' home, or the front page for visitors
	r.Group(func(r chi.Router) {
		r.Use(s.requireAccount)
		r.Get("/account", s.h(s.accountPage))
		r.Post("/account/profile", s.h(s.profilePost))
		r.Post("/account/password", s.h(s.passwordPost))
		r.Post("/account/sessions/{id}/end", s.h(s.endSession))
		r.Post("/account/sessions/end-all", s.h(s.endAllSessions))
		r.Get("/account/2fa", s.h(s.twoFactorPage))
		r.Post("/account/2fa/setup", s.h(s.twoFactorSetup))
		r.Post("/account/2fa/enable", s.h(s.twoFactorEnable))
		r.Post("/account/2fa/recovery", s.h(s.twoFactorRecovery))
		r.Post("/account/2fa/disable", s.h(s.twoFactorDisable))

		r.Post("/practices/{id}/follow", s.h(s.practiceFollow))
		r.Post("/tags/{id}/follow", s.h(s.tagFollow))
		r.Post("/tags/{id}/unfollow", s.h(s.tagUnfollow))
		r.Post("/countries/{code}/follow", s.h(s.countryFollow))
		r.Post("/countries/{code}/unfollow", s.h(s.countryUnfollow))
		r.Post("/practices/{id}/unfollow", s.h(s.practiceUnfollow))
		r.Post("/practices/{id}/comments", s.h(s.commentCreate))
		r.Get("/practices/{id}/questions/new", s.h(s.questionNew))
		r.Post("/practices/{id}/questions", s.h(s.questionPost))
		r.Get("/questions/{id}", s.h(s.questionPage))
		r.Post("/questions/{id}/answer", s.h(s.questionAnswer))
		r.Post("/questions/{id}/close", s.h(s.questionClose))
		r.Post("/questions/{id}/publish", s.h(s.questionAgree))
		r.Get("/comments/{id}/edit", s.h(s.commentEdit))
		r.Post("/comments/{id}/edit", s.h(s.commentUpdate))
		r.Post("/comments/{id}/delete", s.h(s.commentDelete))
		r.Get("/my/practices", s.h(s.myPractices))
		r.Post("/appeals", s.h(s.appealPost))
		r.Post("/account/notifications", s.h(s.notificationsPost))
		r.Get("/notifications", s.h(s.inboxPage))
		r.Post("/notifications/{id}/read", s.h(s.inboxRead))
		r.Post("/notifications/read", s.h(s.inboxReadAll))
		r.Post("/account/feed", s.h(s.feedTokenPost))
		r.Post("/account/tokens", s.h(s.tokenCreate))
		r.Post("/account/tokens/{id}/revoke", s.h(s.tokenRevoke))
		r.Get("/insights", s.h(s.insightsPage))
		r.Get("/insights/{chart}.csv", s.h(s.insightsCSV))
		r.Get("/log", s.h(s.logPage))
		r.Get("/settings/digest", s.h(s.digestSettings))
		r.Post("/settings/digest", s.h(s.digestSettingsPost))
		r.Get("/settings/notifications", s.h(s.noticeSettings))
		r.Post("/settings/notifications", s.h(s.noticeSettingsPost))
		// A focal point's page: the handlers check the duty.
		r.Get("/focal", s.h(s.focalPage))
		r.Post("/focal/invitations", s.h(s.focalInvite))
		r.Post("/focal/accounts/{id}/suspend", s.h(s.focalSuspend))
	})

	// What officials and staff do, and observers never: post practices,
	// flag, record what their country did with a practice.
	r.Group(func(r chi.Router) {
		r.Use(s.requireAccount, s.requirePoster)
		r.Get("/practices/new", s.h(s.practiceNew))
		r.Post("/practices", s.h(s.practiceCreate))
		r.Get("/practices/{id}/edit", s.h(s.practiceEdit))
		r.Post("/practices/{id}", s.h(s.practiceUpdate))
		r.Post("/practices/{id}/submit", s.h(s.practiceSubmit))
		r.Post("/practices/{id}/change/withdraw", s.h(s.changeWithdraw))
		r.Get("/practices/{id}/versions/{lang}", s.h(s.versionForm))
		r.Post("/practices/{id}/versions/{lang}", s.h(s.versionPost))
		r.Get("/practices/{id}/adoption", s.h(s.adoptionPage))
		r.Post("/practices/{id}/adoption", s.h(s.adoptionPost))
		r.Post("/practices/{id}/review", s.h(s.practiceFresh))
		r.Get("/practices/{id}/flag", s.h(s.flagPage("practice")))
		r.Get("/comments/{id}/flag", s.h(s.flagPage("comment")))
		r.Post("/flags", s.h(s.flagPost))
		r.Post("/practices/{id}/share", s.h(s.practiceShare))
	})

	r.Group(func(r chi.Router) {
		r.Use(s.requireAccount, s.requireRole(accounts.Moderator))
		r.Get("/moderation", s.h(s.moderationHome))
		r.Get("/moderation/review/{id}", s.h(s.reviewPage))
		r.Post("/moderation/review/{id}", s.h(s.reviewPost))
		r.Post("/moderation/review/{id}/claim", s.h(s.claimPost))
		r.Get("/moderation/changes/{id}", s.h(s.changePage))
		r.Post("/moderation/changes/{id}", s.h(s.changePost))
		r.Get("/moderation/versions/{id}/{lang}", s.h(s.versionReviewPage))
		r.Post("/moderation/files/{id}", s.h(s.fileDecision))
		r.Post("/moderation/versions/{id}/{lang}", s.h(s.versionReviewPost))
		r.Get("/moderation/hidden", s.h(s.hiddenPage))
		r.Get("/moderation/featured", s.h(s.featuredPage))
		r.Post("/moderation/practices/{id}/feature", s.h(s.featurePost))
		r.Post("/moderation/practices/{id}/unfeature", s.h(s.unfeaturePost))
		r.Post("/moderation/practices/{id}/move", s.h(s.movePost))
		r.Post("/moderation/practices/{id}/hide", s.h(s.hideHandler("practice", true)))
		r.Post("/moderation/practices/{id}/restore", s.h(s.hideHandler("practice", false)))
		r.Post("/moderation/comments/{id}/hide", s.h(s.hideHandler("comment", true)))
		r.Post("/moderation/comments/{id}/restore", s.h(s.hideHandler("comment", false)))
		r.Post("/moderation/adoptions/{id}/hide", s.h(s.hideHandler("adoption", true)))
		r.Post("/moderation/adoptions/{id}/restore", s.h(s.hideHandler("adoption", false)))
		r.Post("/moderation/questions/{id}/hide", s.h(s.hideHandler("question", true)))
		r.Post("/moderation/questions/{id}/restore", s.h(s.hideHandler("question", false)))
		r.Post("/moderation/flags/dismiss", s.h(s.dismissFlags))
		r.Post("/moderation/appeals/{id}/resolve", s.h(s.resolveAppeal))
		r.Post("/practices/{id}/publish", s.h(s.practicePublish))
	})

	r.Group(func(r chi.Router) {
		r.Use(s.requireAccount, s.requireRole(accounts.Admin))
		r.Get("/admin/accounts", s.h(s.adminAccounts))
		r.Get("/admin/accounts/{id}", s.h(s.adminAccount))
		r.Post("/admin/accounts/{id}/role", s.h(s.adminSetRole))
		r.Post("/admin/accounts/{id}/correct", s.h(s.adminCorrect))
		r.Post("/admin/accounts/{id}/email", s.h(s.adminEmail))
		r.Post("/admin/accounts/{id}/transfer", s.h(s.adminTransfer))
		r.Post("/admin/accounts/{id}/suspend", s.h(s.adminSuspend))
		r.Post("/admin/accounts/{id}/reactivate", s.h(s.adminReactivate))
		r.Post("/admin/accounts/{id}/focal", s.h(s.adminFocal))
		r.Get("/admin/data", s.h(s.adminData))
		r.Post("/admin/data", s.h(s.adminDataPost))
		r.Post("/admin/accounts/{id}/observer", s.h(s.adminObserver))
		r.Post("/admin/accounts/{id}/2fa/reset", s.h(s.adminResetTwoFactor))
		r.Get("/admin/security", s.h(s.adminSecurity))
		r.Post("/admin/security", s.h(s.adminSecurityPost))
		r.Get("/admin/invitations", s.h(s.adminInvitations))
		r.Post("/admin/invitations", s.h(s.adminInvite))
		r.Post("/admin/invitations/{id}/revoke", s.h(s.adminRevokeInvitation))
		r.Get("/admin/digest/preview", s.h(s.digestPreview))
		r.Get("/admin/taxonomy", s.h(s.taxonomyPage))
		r.Post("/admin/meetings", s.h(s.meetingCreate))
		r.Get("/admin/meetings/{id}", s.h(s.meetingEdit))
		r.Post("/admin/meetings/{id}", s.h(s.meetingUpdate))
		r.Post("/admin/meetings/{id}/tags", s.h(s.tagCreate))
		r.Get("/admin/tags/{id}", s.h(s.tagEdit))
		r.Post("/admin/tags/{id}", s.h(s.tagUpdate))
		r.Post("/admin/tags/{id}/retire", s.h(s.tagRetire(true)))
		r.Post("/admin/tags/{id}/unretire", s.h(s.tagRetire(false)))
	})
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.health(ctx); err != nil {
		s.log.Error("health check failed", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("database unavailable\n"))
		return
	}
	w.Write([]byte("ok\n"))
}

// Readyz answers 200 "ok" when the site can do all its work, or 503
// with the reason in a line: for monitoring and for a deployment that
// waits for a new version to be ready. /healthz stays the cheap liveness
// check (is the process answering and the database open).
func (s *Server) Readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := s.ready(ctx); err != nil {
		s.log.Warn("not ready", "reason", err.Error())
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w, "not ready: %s\n", err)
		return
	}
	w.Write([]byte("ok\n"))
}

// allowedMethods lists the methods the router answers at path, for the
// Allow header of a 405.
func allowedMethods(mux *chi.Mux, path string) []string {
	var out []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		if mux.Match(chi.NewRouteContext(), m, path) {
			out = append(out, m)
			if m == http.MethodGet {
				out = append(out, http.MethodHead)
			}
		}
	}
	return out
}
