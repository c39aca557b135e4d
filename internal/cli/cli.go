// Package cli is the puente command: its subcommands, their flags, and
// the wiring of the stores behind each. It lives outside cmd/ so that a
// test binary can act as the server in a child process.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	netmail "net/mail"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"puente/db"
	"puente/internal/accounts"
	"puente/internal/app"
	"puente/internal/apperr"
	"puente/internal/config"
	"puente/internal/demo"
	"puente/internal/digest"
	"puente/internal/i18n"
	"puente/internal/mail"
	"puente/internal/sanitize"
	"puente/internal/server"
)

const usage = `Puente: a good-practice exchange for the member states of the CRM and the CSM.

Usage:
  puente serve [flags]                 run the web server (--demo seeds demo accounts)
  puente migrate [flags]               create or upgrade the database, then exit
  puente admin create --email ADDRESS  invite the first (or another) admin, or give an existing account
                                      admin access back; prints a one-time link
  puente sanitize [--all]              re-sanitise stored rich text with the current policy
  puente search reindex                rebuild the full-text search index
  puente backup FILE                   copy the database to FILE while the server runs
  puente digest send [--week W] [--dry-run]      send the weekly digest (from cron), default: last week
  puente digest preview --email X [--week W] [--out F.eml]   write the digest X would receive
  puente digest status [--week W]                what became of a week's digests (default: last week)
  puente config [--base-url U] [--smtp-url S] [--mail-from F]   show, or set, the mail settings every
                                      command on the data folder uses (DATA/site.json)

Run "puente COMMAND -h" for a command's flags. Every flag can also be set
through the environment variable named in its help.
`

// Run runs the command named by args[0] with the rest of args.
func Run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], getenv, stdout, stderr)
	case "migrate":
		return migrate(ctx, args[1:], getenv, stdout, stderr)
	case "sanitize":
		return resanitize(ctx, args[1:], getenv, stdout, stderr)
	case "search":
		if len(args) < 2 || args[1] != "reindex" {
			return errors.New("usage: puente search reindex [flags]")
		}
		return reindex(ctx, args[2:], getenv, stdout, stderr)
	case "digest":
		if len(args) < 2 || (args[1] != "send" && args[1] != "preview" && args[1] != "status") {
			return errors.New("usage: puente digest send|preview|status [flags]")
		}
		return digestCommand(ctx, args[1], args[2:], getenv, stdout, stderr)
	case "backup":
		return backup(ctx, args[1:], getenv, stdout, stderr)
	case "config":
		return siteConfig(args[1:], getenv, stdout, stderr)
	case "admin":
		if len(args) < 2 || args[1] != "create" {
			return errors.New(`usage: puente admin create --email ADDRESS`)
		}
		return adminCreate(ctx, args[2:], getenv, stdout, stderr)
	}
	return fmt.Errorf("unknown command %q\n\n%s", args[0], usage)
}

// setup parses the flags and opens and migrates the database.
func setup(ctx context.Context, name string, args []string, getenv func(string) string, stderr io.Writer, extra func(*flag.FlagSet)) (*config.Config, *db.DB, *slog.Logger, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := config.Register(fs, getenv)
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		return nil, nil, nil, err
	}
	if err := cfg.Finish(); err != nil {
		return nil, nil, nil, err
	}
	log := newLogger(cfg, stderr)
	if err := cfg.EnsureDataDir(); err != nil {
		return nil, nil, nil, err
	}
	d, err := db.OpenWith(cfg.DBPath, db.Options{Replicated: cfg.Litestream})
	if err != nil {
		return nil, nil, nil, err
	}
	applied, err := d.Migrate(ctx)
	if err != nil {
		d.Close()
		return nil, nil, nil, err
	}
	if len(applied) > 0 {
		log.Info("database migrated", "path", cfg.DBPath, "applied", fmt.Sprint(applied), "version", db.LatestVersion())
	}
	if err := d.Optimize(ctx); err != nil {
		log.Warn("refreshing the query planner's statistics", "err", err)
	}
	if ok, err := d.StablePlans(ctx); err == nil && !ok {
		log.Warn("SQLite was built without SQLITE_ENABLE_QPSG: statements are planned again for every new LIMIT, and pages are slower; build with make")
	}
	return cfg, d, log, nil
}

// build parses the flags, opens the database and builds the stores.
func build(ctx context.Context, name string, args []string, getenv func(string) string, stderr io.Writer, extra func(*flag.FlagSet)) (*app.App, error) {
	cfg, d, log, err := setup(ctx, name, args, getenv, stderr, extra)
	if err != nil {
		return nil, err
	}
	a, err := app.New(ctx, cfg, d, log, app.Options{})
	if err != nil {
		d.Close()
		return nil, err
	}
	return a, nil
}

func newLogger(cfg *config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func migrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, d, _, err := setup(ctx, "migrate", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	defer d.Close()
	fmt.Fprintf(stdout, "database %s is at schema version %d\n", cfg.DBPath, db.LatestVersion())
	return nil
}

// resanitize renders stored rich text again from the raw input, after the
// sanitising policy changed (or for every text, with --all).
func resanitize(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var all bool
	a, err := build(ctx, "sanitize", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.BoolVar(&all, "all", false, "re-sanitise every text, not only those made under an older policy")
	})
	if err != nil {
		return err
	}
	defer a.DB.Close()
	log := a.Log
	np, err := a.Practices.Resanitize(ctx, all, func(n int) { fmt.Fprintf(stdout, "\rpractices: %d", n) })
	if err != nil {
		return err
	}
	nc, err := a.Comments.Resanitize(ctx, all, func(n int) { fmt.Fprintf(stdout, "\rcomments: %d ", n) })
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\rre-sanitised %d practices and %d comments with policy version %d\n", np, nc, sanitize.PolicyVersion)
	log.Info("re-sanitised", "practices", np, "comments", nc, "policy_version", sanitize.PolicyVersion)
	return nil
}

// backup copies the database, consistent and checked, to a new file.
func backup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	// The destination may come before or after the flags.
	var dest string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		dest, args = args[0], args[1:]
	}
	var flags *flag.FlagSet
	cfg, d, log, err := setup(ctx, "backup", args, getenv, stderr, func(fs *flag.FlagSet) { flags = fs })
	if err != nil {
		return err
	}
	defer d.Close()
	if rest := flags.Args(); dest == "" && len(rest) == 1 {
		dest = rest[0]
	} else if len(rest) > 0 || dest == "" {
		return errors.New("usage: puente backup [flags] FILE")
	}
	start := time.Now()
	if err := d.Backup(ctx, dest); err != nil {
		return err
	}
	info, err := os.Stat(dest)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s (%.1f MB, integrity checked) in %s\n", cfg.DBPath, dest,
		float64(info.Size())/1e6, time.Since(start).Round(time.Millisecond))
	log.Info("database backed up", "to", dest, "bytes", info.Size())
	return nil
}

// reindex rebuilds the search index from the stored practices and comments.
func reindex(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	a, err := build(ctx, "search reindex", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	defer a.DB.Close()
	log := a.Log
	start := time.Now()
	n, err := a.Search.Reindex(ctx, func(n int) { fmt.Fprintf(stdout, "\rindexed %d practices", n) })
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\rindexed %d practices in %s\n", n, time.Since(start).Round(time.Millisecond))
	log.Info("search index rebuilt", "practices", n)
	return nil
}

func adminCreate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var email, country, lang string
	a, err := build(ctx, "admin create", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "the new admin's email address (required)")
		fs.StringVar(&country, "country", "", "ISO code of the admin's member state, if any (e.g. PA)")
		fs.StringVar(&lang, "lang", i18n.Default, "language of the invitation page: es, en, pt, fr or nl")
	})
	if err != nil {
		return err
	}
	defer a.DB.Close()
	cfg, log, store, tax := a.Config, a.Log, a.Accounts, a.Taxonomy
	if err := cfg.CheckSite(); err != nil {
		return err
	}
	// An existing account whose admin access was lost (demoted,
	// suspended, password forgotten with nobody to reset it) gets it back
	// with a password link, logged.
	if _, err := store.ByEmail(ctx, email); err == nil {
		acc, token, err := store.RestoreAdmin(ctx, email)
		if err != nil {
			return err
		}
		log.Info("security", "event", "account.admin_restored", "actor", "command line", "account_id", acc.ID)
		fmt.Fprintf(stdout, "%s already has an account: it is an active admin again and its sessions ended. Open this link once, within %s, to choose a new password:\n\n  %s/password/reset/%s\n\n",
			acc.Email, accounts.ResetTTL, cfg.BaseURL, token)
		return nil
	} else if !apperr.Is(err, apperr.NotFound) {
		return err
	}
	f := accounts.InviteForm{Email: email, Role: string(accounts.Admin), Country: country, Lang: lang}
	if errs := f.Validate(tax.CountryExists, i18n.Supported); !errs.OK() {
		var msgs []string
		loc := i18n.For("en")
		for field, key := range errs {
			msgs = append(msgs, "--"+field+": "+loc.T(key))
		}
		return errors.New(strings.Join(msgs, "; "))
	}
	inv, token, err := store.Invite(ctx, f, 0, nil)
	if err != nil {
		if key := apperr.KeyOf(err); key != "" {
			return errors.New(i18n.For("en").T(key))
		}
		return err
	}
	log.Info("security", "event", "invitation.created", "actor", "command line", "invitation_id", inv.ID, "role", string(inv.Role))
	fmt.Fprintf(stdout, "Invitation for %s (admin), valid until %s. Open this link once to choose a password:\n\n  %s/invitations/%s\n\n",
		inv.Email, inv.ExpiresAt.UTC().Format(time.RFC1123), cfg.BaseURL, token)
	return nil
}

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	a, err := build(ctx, "serve", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	defer a.DB.Close()
	cfg, log := a.Config, a.Log
	if err := a.DB.CheckVersion(ctx); err != nil {
		return err
	}
	if getenv("GOMEMLIMIT") == "" && cfg.MemoryLimit > 0 {
		// The heap the server keeps is some 30 MB under load (its kept
		// pages included); left to itself the collector lets it grow to
		// twice that before collecting.
		debug.SetMemoryLimit(cfg.MemoryLimit)
	}
	// What serve is told about mail, every other command on this folder
	// uses too (the digest from cron above all).
	if saved, err := cfg.SaveSite(); err != nil {
		return fmt.Errorf("saving the site's mail settings: %w", err)
	} else if saved {
		log.Info("mail settings saved for the other commands", "file", filepath.Join(cfg.DataDir, config.SiteFile), "base_url", cfg.BaseURL.String())
	}
	if cfg.Demo {
		if cfg.Contact == "" {
			cfg.Contact = "secretaria@demo.puente.test"
		}
		n, np, err := a.Demo(ctx)
		if err != nil {
			return fmt.Errorf("demo seed: %w", err)
		}
		log.Info("demo data", "accounts_created", n, "practices_created", np)
	}
	srv, err := a.Server()
	if err != nil {
		return err
	}
	defer a.Printer.Close()

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	if cfg.DiagAddr != "" {
		// Diagnostics, for monitoring and profiling: on their own
		// loopback listener, never on the site's router.
		dln, err := net.Listen("tcp", cfg.DiagAddr)
		if err != nil {
			ln.Close()
			return err
		}
		dsrv := &http.Server{Handler: diagnostics(a, srv), ReadHeaderTimeout: 10 * time.Second}
		go dsrv.Serve(dln)
		defer dsrv.Close()
		log.Info("diagnostics", "metrics", "http://"+dln.Addr().String()+"/metrics")
	}

	httpSrv := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The jobs outlive ctx: they stop after the requests are drained.
	workers, stopWorkers := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { a.Run(workers) })

	// The counts the home and the lists show take a moment over a large
	// database (0.4 s for 100,000 practices): they are computed before
	// the first request is answered rather than while a reader waits.
	// Connections that arrive meanwhile wait in the listener's queue.
	warmStart := time.Now()
	if err := a.Practices.WarmCounts(ctx); err != nil && ctx.Err() == nil {
		log.Warn("warming the counts", "err", err)
	}
	log.Debug("counts warmed", "ms", time.Since(warmStart).Milliseconds())
	serveErr := make(chan error, 1)
	go func() { serveErr <- httpSrv.Serve(ln) }()
	log.Info("listening", "url", cfg.BaseURL.String(), "addr", ln.Addr().String(), "mail", a.Outbox.Sender.Describe(), "digest_schedule", cfg.DigestSchedule)
	if cfg.Demo {
		printDemo(stdout, cfg)
	}

	select {
	case err := <-serveErr:
		stopWorkers()
		wg.Wait()
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: draining requests and the mail sender")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = httpSrv.Shutdown(shutdownCtx)
	stopWorkers()
	wg.Wait()
	log.Info("stopped")
	return err
}

// diagnostics is the diagnostics listener's handler: the metrics, the
// readiness check and Go's profiler.
func diagnostics(a *app.App, srv *server.Server) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", a.Metrics.Handler())
	mux.HandleFunc("GET /readyz", srv.Readyz)
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

func printDemo(w io.Writer, cfg *config.Config) {
	fmt.Fprintf(w, "\nPuente is running at %s\n\nSign in with any of these demo accounts (password: %s):\n\n", cfg.BaseURL, demo.Password)
	for _, a := range demo.Accounts {
		where := a.Country
		if o, ok := demo.Observers[a.Email]; ok {
			where = o.Organisation
		}
		if slices.Contains(demo.FocalPoints, a.Email) {
			where += ", focal point"
		}
		fmt.Fprintf(w, "  %-31s %-10s %s\n", a.Email, a.Role, where)
	}
	fmt.Fprintf(w, "\nOutgoing mail (invitations, password resets) is written to %s/\n", cfg.MailDir())
	fmt.Fprintf(w, "Stop with Ctrl-C.\n\n")
}

// digestCommand sends the digest of a week (from cron), or previews one
// person's.
func digestCommand(ctx context.Context, verb string, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var week, email, out string
	var dry bool
	a, err := build(ctx, "digest "+verb, args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&week, "week", "", "ISO week to cover, such as 2026-W48 (default: the last complete week)")
		switch verb {
		case "status":
		case "send":
			fs.BoolVar(&dry, "dry-run", false, "only count who would receive a digest")
		default:
			fs.StringVar(&email, "email", "", "the account whose digest to write (required)")
			fs.StringVar(&out, "out", "", "write the message to this .eml file (default: standard output)")
		}
	})
	if err != nil {
		return err
	}
	defer a.DB.Close()
	cfg, clk, outbox, runner := a.Config, a.Clock, a.Outbox, a.Digest
	p := digest.LastComplete(clk.Now(), cfg.DigestLocation)
	if week != "" {
		if p, err = digest.ParsePeriod(week); err != nil {
			return err
		}
	}
	if verb == "status" {
		st, err := runner.Status(ctx, p)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, st)
		return nil
	}
	if err := cfg.CheckSite(); err != nil {
		return err
	}
	if verb == "preview" {
		if email == "" {
			return errors.New("--email is required")
		}
		acc, err := a.Accounts.ByEmail(ctx, email)
		if err != nil {
			return fmt.Errorf("no account with email %q", email)
		}
		m, content, err := runner.Preview(ctx, acc, p)
		if err != nil {
			return err
		}
		if content.Empty() {
			fmt.Fprintf(stderr, "note: %s has nothing for %s, so no digest would be sent\n", email, p)
		}
		msg, err := outbox.Build(&mail.Queued{Message: m, MessageID: "<preview@" + cfg.BaseURL.Hostname() + ">", CreatedAt: clk.Now()})
		if err != nil {
			return err
		}
		w := stdout
		if out != "" {
			f, err := os.Create(out)
			if err != nil {
				return err
			}
			defer f.Close()
			w = f
		}
		_, err = msg.WriteTo(w)
		return err
	}
	progress := func(done, total int) { fmt.Fprintf(stderr, "\rdigest %s: %d/%d accounts", p, done, total) }
	sum, err := runner.Run(ctx, p, digest.Options{DryRun: dry, Progress: progress})
	fmt.Fprintln(stderr)
	if err != nil {
		return err
	}
	if !dry {
		// Hand the queued digests to the mail server now; what the server
		// defers (4xx) stays queued for the server's own sender.
		sent, err := outbox.SendDue(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s; %d messages handed to %s\n", sum, sent, outbox.Sender.Describe())
		return nil
	}
	fmt.Fprintf(stdout, "dry run: %s\n", sum)
	return nil
}

// siteConfig shows the mail settings kept in the data folder, or records
// the ones given, as serve would, without starting the server.
func siteConfig(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("config", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := config.Register(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected %q: settings are given as flags, e.g. --base-url https://puente.example.org", fs.Arg(0))
	}
	if err := cfg.Finish(); err != nil {
		return err
	}
	// What serve would refuse is not kept: the SMTP URL must make a sender.
	if cfg.SMTPURL != nil {
		if _, err := mail.NewSMTPSender(cfg.SMTPURL, cfg.BaseURL.Hostname()); err != nil {
			return fmt.Errorf("--smtp-url: %w", err)
		}
	}
	if err := cfg.EnsureDataDir(); err != nil {
		return err
	}
	saved, err := cfg.SaveSite()
	if err != nil {
		return fmt.Errorf("saving the site's mail settings: %w", err)
	}
	file := filepath.Join(cfg.DataDir, config.SiteFile)
	if saved {
		fmt.Fprintf(stdout, "saved in %s\n", file)
	}
	fmt.Fprintf(stdout, "mail settings for %s (kept in %s; a flag or variable given to a command wins):\n", cfg.DataDir, file)
	for _, st := range cfg.Site() {
		kept := st.Value
		if kept == "" {
			kept = "(not kept)"
		}
		use := st.InUse
		if use == "" {
			use = "none: .eml files in " + cfg.MailDir()
		}
		fmt.Fprintf(stdout, "  --%-10s %s\n  %-12s in use: %s\n", st.Flag, kept, "", use)
	}
	if cfg.SMTPURL != nil && cfg.MailFrom.String() == mustAddress(config.DefaultMailFrom) {
		fmt.Fprintf(stdout, "warning: mail goes out through SMTP from the default %s; give --mail-from an address of your domain\n", config.DefaultMailFrom)
	}
	return nil
}

func mustAddress(s string) string {
	a, err := netmail.ParseAddress(s)
	if err != nil {
		return s
	}
	return a.String()
}
