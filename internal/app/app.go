// Package app builds Puente's stores, mail outbox and background jobs
// over one database, once. Every command, the test harness and the
// benchmarks get their graph here, so the pieces are wired the same way
// everywhere.
package app

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"puente/db"
	"puente/internal/accounts"
	"puente/internal/adoptions"
	"puente/internal/cache"
	"puente/internal/clock"
	"puente/internal/comments"
	"puente/internal/config"
	"puente/internal/demo"
	"puente/internal/digest"
	"puente/internal/mail"
	"puente/internal/metrics"
	"puente/internal/moderation"
	"puente/internal/notifications"
	"puente/internal/notify"
	"puente/internal/practices"
	"puente/internal/printer"
	"puente/internal/questions"
	"puente/internal/search"
	"puente/internal/server"
	"puente/internal/taxonomy"
	"puente/internal/websession"
	"puente/static"
)

// Options are what may differ between a production process and a test.
type Options struct {
	Clock clock.Clock // default: the real clock
	// HashParams default to accounts.DefaultHashParams; tests use cheaper ones.
	HashParams *accounts.HashParams
	// Sender overrides the sender the configuration names.
	Sender mail.Sender
	// MessageIDHost defaults to the base URL's host.
	MessageIDHost string
}

// App is the graph of one Puente process.
type App struct {
	Config *config.Config
	DB     *db.DB
	Clock  clock.Clock
	Log    *slog.Logger

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
	Metrics    *metrics.Metrics
	// Printer makes the compendiums' PDFs; it starts Chromium when first
	// asked. Close stops it.
	Printer *printer.Printer
}

// New builds every store over d, which must be migrated. It reads the
// reference data first: a process that cannot does not start.
func New(ctx context.Context, cfg *config.Config, d *db.DB, log *slog.Logger, o Options) (*App, error) {
	a := &App{Config: cfg, DB: d, Clock: o.Clock, Log: log}
	if a.Clock == nil {
		a.Clock = clock.Real{}
	}
	hp := accounts.DefaultHashParams
	if o.HashParams != nil {
		hp = *o.HashParams
	}
	a.Versions = &cache.Versions{DB: d}
	var err error
	if a.Taxonomy, err = taxonomy.Open(ctx, d, a.Versions); err != nil {
		return nil, err
	}
	a.Accounts = accounts.NewStore(d, a.Clock, hp)
	a.Search = &search.Indexer{DB: d, Source: search.Source{
		Practice: func(ctx context.Context, q db.Querier, id int64) (search.Doc, bool, error) {
			doc, codes, ok, err := practices.SearchDoc(ctx, q, id)
			if ok {
				doc.Places = a.Taxonomy.AllNames(codes) + " " + doc.Places
			}
			return doc, ok, err
		},
		Comments: comments.SearchTexts,
		Visible:  comments.VisibleTexts,
		After:    practices.IDsAfter,
	}}
	a.Practices = &practices.Store{DB: d, Clock: a.Clock, Index: a.Search, Versions: a.Versions}
	a.Comments = &comments.Store{DB: d, Clock: a.Clock, Practices: a.Practices}
	a.Adoptions = &adoptions.Store{DB: d, Clock: a.Clock, Practices: a.Practices}
	a.Questions = &questions.Store{DB: d, Clock: a.Clock, Practices: a.Practices}

	sender := o.Sender
	if sender == nil {
		sender = &mail.DirSender{Dir: cfg.MailDir(), Log: log}
		if cfg.SMTPURL != nil {
			if sender, err = mail.NewSMTPSender(cfg.SMTPURL, cfg.BaseURL.Hostname()); err != nil {
				return nil, err
			}
		}
	}
	if a.Mail, err = mail.NewComposer(cfg.BaseURL); err != nil {
		return nil, err
	}
	host := o.MessageIDHost
	if host == "" {
		host = cfg.BaseURL.Hostname()
	}
	a.Outbox = &mail.Outbox{DB: d, Clock: a.Clock, Sender: sender, From: cfg.MailFrom, MessageIDHost: host, Log: log}
	a.Inbox = &notifications.Store{DB: d}
	a.Notices = &notify.Notices{DB: d, Clock: a.Clock, Accounts: a.Accounts, Practices: a.Practices, Taxonomy: a.Taxonomy, Inbox: a.Inbox,
		Mail: a.Mail, Outbox: a.Outbox, BaseURL: cfg.BaseURL, Log: log}
	a.Moderation = &moderation.Store{DB: d, Clock: a.Clock, Accounts: a.Accounts, Practices: a.Practices, Comments: a.Comments,
		Notify: a.Notices.Moderation}
	a.Digest = &digest.Runner{DB: d, Clock: a.Clock, Composer: a.Mail, Outbox: a.Outbox, Taxonomy: a.Taxonomy,
		Accounts: a.Accounts, Practices: a.Practices, Comments: a.Comments, Adoptions: a.Adoptions, Moderation: a.Moderation, Inbox: a.Inbox,
		Notices: a.Notices, BaseURL: cfg.BaseURL, Location: cfg.DigestLocation, MailTo: cfg.MailFrom.Address, Log: log}
	// An address refused for good stops receiving digests and
	// notification emails (the centre still shows everything).
	a.Outbox.OnFailed = a.Digest.MarkUndeliverable
	a.Sessions = websession.New(d, a.Clock, cfg.SessionIdle, cfg.SessionMax, cfg.Secure(), cfg.SessionKeys)
	a.Metrics = metrics.New()
	a.watch()
	a.Printer = &printer.Printer{Exec: cfg.Chromium, Static: static.Files, Log: log}
	return a, nil
}

// watch adds to the metrics what the stores count and what the database
// tells at each scrape.
func (a *App) watch() {
	m := a.Metrics
	m.Database(a.DB)
	m.Watch(a.State, a.Clock.Now)
	delivery := func(pick func(sent, deferred, failed uint64) uint64) func() uint64 {
		return func() uint64 { return pick(a.Outbox.Deliveries()) }
	}
	const deliveries = "Messages this process handed to the mail server, by outcome: sent, deferred (a temporary refusal, tried again later) or failed (for good)."
	m.Counter("puente_mail_deliveries_total", deliveries, prometheus.Labels{"outcome": "sent"}, delivery(func(s, _, _ uint64) uint64 { return s }))
	m.Counter("puente_mail_deliveries_total", deliveries, prometheus.Labels{"outcome": "deferred"}, delivery(func(_, d, _ uint64) uint64 { return d }))
	m.Counter("puente_mail_deliveries_total", deliveries, prometheus.Labels{"outcome": "failed"}, delivery(func(_, _, f uint64) uint64 { return f }))
	const runs = "Weekly digest runs of this process (the schedule's; the digest command's are its own), by outcome."
	m.Counter("puente_digest_runs_total", runs, prometheus.Labels{"outcome": "ok"}, func() uint64 { r, f := a.Digest.Runs(); return r - f })
	m.Counter("puente_digest_runs_total", runs, prometheus.Labels{"outcome": "error"}, func() uint64 { _, f := a.Digest.Runs(); return f })
}

// State reads what the metrics report of the site's background work.
func (a *App) State(ctx context.Context) (metrics.State, error) {
	var st metrics.State
	b, err := a.Outbox.Backlog(ctx)
	if err != nil {
		return st, err
	}
	st.OutboxQueued, st.OutboxFailed, st.OutboxOldest = b.Queued, b.Failed, b.Oldest
	if st.SessionsOpen, st.SessionsActive, err = a.Sessions.Counts(ctx, metrics.ActiveWindow); err != nil {
		return st, err
	}
	if st.SearchPending, err = a.Search.Pending(ctx); err != nil {
		return st, err
	}
	if _, st.DigestLast, _, err = a.Digest.LastRun(ctx); err != nil {
		return st, err
	}
	return st, nil
}

// Intervals of the background jobs.
const (
	SweepEvery   = 15 * time.Minute
	FlushEvery   = time.Second
	NoticesEvery = 30 * time.Second
)

// Run runs the background jobs until ctx ends, then waits for them to
// stop: the mail sender, the notification emails (batched; see
// notify.SendDue), the sweep of expired sessions and suspensions, the
// search flush and, when configured, the digest schedule.
func (a *App) Run(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Go(func() { a.Outbox.Run(ctx) })
	wg.Go(func() {
		every(ctx, SweepEvery, func() {
			if n, err := a.Sessions.Sweep(ctx); err != nil && ctx.Err() == nil {
				a.Log.Error("session sweep", "err", err)
			} else if n > 0 {
				a.Log.Info("expired sessions removed", "count", n)
			}
			if n, err := a.Accounts.EndSuspensions(ctx); err != nil && ctx.Err() == nil {
				a.Log.Error("ending suspensions", "err", err)
			} else if n > 0 {
				a.Log.Info("suspensions ended", "count", n)
			}
			if asked, marked, err := a.Notices.AskReviews(ctx, a.Config.ReviewMonths); err != nil && ctx.Err() == nil {
				a.Log.Error("asking whether practices are current", "err", err)
			} else if asked+marked > 0 {
				a.Log.Info("practices' currency", "authors_asked", asked, "marked_not_reviewed", marked)
			}
			if n, err := a.Questions.Remind(ctx); err != nil && ctx.Err() == nil {
				a.Log.Error("question reminders", "err", err)
			} else if n > 0 {
				a.Log.Info("authors reminded of open questions", "count", n)
			}
			if err := a.DB.Optimize(ctx); err != nil && ctx.Err() == nil {
				a.Log.Error("refreshing the query planner's statistics", "err", err)
			}
		})
	})
	wg.Go(func() {
		every(ctx, NoticesEvery, func() {
			if n, err := a.Notices.SendDue(ctx); err != nil && ctx.Err() == nil {
				a.Log.Error("notification emails", "err", err)
			} else if n > 0 {
				a.Log.Info("notification emails queued", "count", n)
			}
		})
	})
	wg.Go(func() {
		every(ctx, FlushEvery, func() {
			if _, err := a.Search.Flush(ctx); err != nil && ctx.Err() == nil {
				a.Log.Error("search flush", "err", err)
			}
		})
	})
	if a.Config.DigestSchedule {
		wg.Go(func() { a.Digest.Schedule(ctx, a.Config.DigestDay, a.Config.DigestHour) })
	}
	wg.Wait()
}

// every runs f now and then every interval until ctx ends.
func every(ctx context.Context, interval time.Duration, f func()) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		f()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Health reports whether the database answers.
func (a *App) Health(ctx context.Context) error {
	if err := a.DB.Ping(ctx); err != nil {
		return fmt.Errorf("database unavailable: %w", err)
	}
	return nil
}

// Ready reports whether the site can do all its work: the database
// answers and its schema is the one this program knows, mail is going
// out, and the data folder's disk has room. The error says which failed,
// in a few words for a monitoring system.
func (a *App) Ready(ctx context.Context) error {
	if err := a.Health(ctx); err != nil {
		return err
	}
	if err := a.DB.CheckVersion(ctx); err != nil {
		return fmt.Errorf("database schema not current: %w", err)
	}
	b, err := a.Outbox.Backlog(ctx)
	if err != nil {
		return fmt.Errorf("outbox unreadable: %w", err)
	}
	if !b.Oldest.IsZero() {
		if age := a.Clock.Now().Sub(b.Oldest); age > a.Config.ReadyOutboxAge {
			return fmt.Errorf("outbox stuck: the oldest of %d messages waiting was written %s ago", b.Queued, age.Round(time.Minute))
		}
	}
	free, err := freeBytes(filepath.Dir(a.DB.Path))
	if err != nil {
		return fmt.Errorf("disk space unknown: %w", err)
	}
	if free < a.Config.ReadyMinDisk {
		return fmt.Errorf("disk nearly full: %d MB free for the data, below %d MB", free>>20, a.Config.ReadyMinDisk>>20)
	}
	return nil
}

// freeBytes is the space an unprivileged process may still use on the
// file system holding dir.
func freeBytes(dir string) (int64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, err
	}
	return int64(st.Bavail) * int64(st.Bsize), nil
}

// Server builds the HTTP server over the graph.
func (a *App) Server() (*server.Server, error) {
	return server.New(server.Deps{Config: a.Config, Clock: a.Clock, Log: a.Log, Versions: a.Versions, Taxonomy: a.Taxonomy,
		Accounts: a.Accounts, Practices: a.Practices, Comments: a.Comments, Adoptions: a.Adoptions, Questions: a.Questions,
		Moderation: a.Moderation, Sessions: a.Sessions, Search: a.Search, Outbox: a.Outbox, Mail: a.Mail, Digest: a.Digest, Notices: a.Notices, Inbox: a.Inbox, Health: a.Health,
		Ready: a.Ready, Metrics: a.Metrics, Printer: a.Printer})
}

// Demo seeds the demonstration accounts, practices and comments that do
// not exist yet, and returns how many accounts and practices it created.
func (a *App) Demo(ctx context.Context) (int, int, error) {
	n, err := demo.Seed(ctx, a.Accounts)
	if err != nil {
		return 0, 0, err
	}
	np, err := demo.SeedPractices(ctx, demo.Stores{Accounts: a.Accounts, Practices: a.Practices, Comments: a.Comments,
		Taxonomy: a.Taxonomy, Moderation: a.Moderation, Adoptions: a.Adoptions, Questions: a.Questions})
	return n, np, err
}
