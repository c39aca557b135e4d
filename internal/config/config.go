// Package config reads Puente's settings from flags, with an environment
// variable behind each flag, and checks them once at start.
package config

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
	_ "time/tzdata" // time zones even where the system has none
)

// Config is every setting of a Puente process.
type Config struct {
	Addr     string
	DataDir  string
	DBPath   string
	BaseURL  *url.URL
	SMTPURL  *url.URL // nil: messages are written as .eml files
	MailFrom *mail.Address
	// Contact is where a visitor writes to ask for an account (a process
	// secretariat), shown on the front page; empty when none is given.
	Contact        string
	SessionIdle    time.Duration
	SessionMax     time.Duration
	SessionKeys    [][]byte // first signs; all verify (rotation)
	TrustedProxies []netip.Prefix
	Demo           bool
	// The weekly digest: whether the server sends it itself, and when.
	DigestSchedule bool
	DigestDay      time.Weekday
	DigestHour     int
	DigestLocation *time.Location
	LogLevel       string
	LogFormat      string
	// DiagAddr, when set, serves the metrics, the readiness check and Go's
	// profiler there (loopback only).
	DiagAddr string
	// AccessLog logs every request at info level.
	AccessLog bool
	// Chromium prints compendiums to PDF; empty finds it on the PATH.
	Chromium string
	// Litestream says a Litestream process replicates the database and
	// checkpoints its WAL.
	Litestream bool
	// The readiness check fails when the oldest message waiting to be
	// sent is older than ReadyOutboxAge, or when the data folder's disk
	// has less than ReadyMinDisk bytes free.
	ReadyOutboxAge time.Duration
	ReadyMinDisk   int64
	readyMinDiskMB int
	// MemoryLimit is the soft limit on the Go runtime's memory (bytes;
	// zero for none): near it, the garbage collector runs more often
	// rather than let the heap double.
	MemoryLimit   int64
	memoryLimitMB int
	// What one account may post (comments, flags, new practices):
	// PostBurst at once, then one every PostEvery; zero PostEvery is no
	// limit.
	PostBurst int
	PostEvery time.Duration
	// AutosaveEvery is how often the practice form saves a draft in the
	// background while it changes; zero turns it off.
	AutosaveEvery time.Duration
	// ReviewMonths is how long after its publication or last review a
	// practice's author is asked whether it is still current.
	ReviewMonths int
	// AttachmentMax bounds one file a practice carries, AttachmentsMax
	// all of one practice's files together, in bytes.
	AttachmentMax, AttachmentsMax int64
	attachmentMB, attachmentsMB   int

	rawBaseURL, rawSMTP, rawFrom, rawKeys, rawProxies string
	rawContact                                        string
	rawDigestDay, rawDigestTZ                         string
	// envErrs are the environment variables whose values their flag refused.
	envErrs []error
	// fs is the flag set, to tell what was given; site is the data
	// folder's site file (see SiteFile).
	fs   *flag.FlagSet
	site map[string]string
}

// DefaultMailFrom is the From address when none is given: fine for the
// demo, never for a real site (config warns).
const DefaultMailFrom = "Puente <no-reply@puente.localhost>"

// Secure reports whether the site is served over https, which turns on
// Secure cookies, the __Host- prefix and HSTS.
func (c *Config) Secure() bool { return c.BaseURL.Scheme == "https" }

// MailDir is where messages go when no SMTP server is configured.
func (c *Config) MailDir() string { return filepath.Join(c.DataDir, "mail") }

// Var describes one setting for the README and --help.
type Var struct{ Flag, Env, Default, Usage string }

// Register adds the flags to fs; each flag's default comes from its
// environment variable when that is set. Call Finish after fs.Parse.
func Register(fs *flag.FlagSet, getenv func(string) string) *Config {
	c := &Config{fs: fs}
	fs.StringVar(&c.Addr, "addr", "127.0.0.1:8080", "listen address (PUENTE_ADDR)")
	fs.StringVar(&c.DataDir, "data", "data", "data folder: database, keys, mail files (PUENTE_DATA)")
	fs.StringVar(&c.DBPath, "db", "", "database file (PUENTE_DB; default DATA/puente.db)")
	fs.StringVar(&c.rawBaseURL, "base-url", "", "public URL of the site, used in emails and cookies (PUENTE_BASE_URL; default http://ADDR)")
	fs.StringVar(&c.rawSMTP, "smtp-url", "", "SMTP server, smtp://user:pass@host:587 (STARTTLS), smtps://... (TLS) or smtp://host:25?tls=none (PUENTE_SMTP_URL; default: write .eml files to DATA/mail)")
	fs.StringVar(&c.rawFrom, "mail-from", DefaultMailFrom, "From address of outgoing mail (PUENTE_MAIL_FROM)")
	fs.StringVar(&c.rawContact, "contact", "", "address a visitor writes to for an account, e.g. the process secretariat's, shown on the front page (PUENTE_CONTACT; default: the front page says to ask the national migration authority)")
	fs.DurationVar(&c.SessionIdle, "session-idle", 2*time.Hour, "a session ends after this long without a request (PUENTE_SESSION_IDLE)")
	fs.DurationVar(&c.SessionMax, "session-max", 12*time.Hour, "a session ends this long after sign-in, active or not (PUENTE_SESSION_MAX)")
	fs.StringVar(&c.rawKeys, "session-keys", "", "comma-separated cookie signing keys, newest first, hex or base64, 32+ bytes each (PUENTE_SESSION_KEYS; default: generated once into DATA/session.keys)")
	fs.StringVar(&c.rawProxies, "trusted-proxies", "", "comma-separated proxy addresses or CIDRs whose X-Forwarded-For is believed (PUENTE_TRUSTED_PROXIES; default none)")
	fs.BoolVar(&c.Demo, "demo", false, "seed demo accounts with a known password (PUENTE_DEMO=1); never in production")
	fs.BoolVar(&c.DigestSchedule, "digest-schedule", false, "send the weekly digest from the server itself (PUENTE_DIGEST_SCHEDULE=1); otherwise run 'puente digest send' from cron")
	fs.StringVar(&c.rawDigestDay, "digest-day", "monday", "weekday the digest goes out (PUENTE_DIGEST_DAY)")
	fs.IntVar(&c.DigestHour, "digest-hour", 8, "hour (0-23) the digest goes out (PUENTE_DIGEST_HOUR)")
	fs.IntVar(&c.PostBurst, "post-burst", 5, "posts (comments, flags, new practices) one account may send at once (PUENTE_POST_BURST)")
	fs.DurationVar(&c.PostEvery, "post-every", 5*time.Second, "after that burst, one more post per account every this long; 0 turns the limit off (PUENTE_POST_EVERY)")
	fs.IntVar(&c.attachmentMB, "attachment-max-mb", 20, "largest file a practice may carry, in MB (PUENTE_ATTACHMENT_MAX_MB)")
	fs.IntVar(&c.attachmentsMB, "attachments-max-mb", 100, "most a practice's files may add up to, in MB (PUENTE_ATTACHMENTS_MAX_MB)")
	fs.DurationVar(&c.AutosaveEvery, "autosave-every", 30*time.Second, "how often the practice form saves a draft in the background while it changes; 0 turns it off (PUENTE_AUTOSAVE_EVERY)")
	fs.IntVar(&c.ReviewMonths, "review-months", 12, "months after its publication or last review that a practice's author is asked whether it is still current (PUENTE_REVIEW_MONTHS)")
	fs.StringVar(&c.rawDigestTZ, "digest-tz", "America/Panama", "time zone of the digest's day and hour, and of its weeks (PUENTE_DIGEST_TZ)")
	fs.StringVar(&c.LogLevel, "log-level", "info", "debug, info, warn or error (PUENTE_LOG_LEVEL)")
	fs.StringVar(&c.LogFormat, "log-format", "text", "text or json (PUENTE_LOG_FORMAT)")
	fs.StringVar(&c.DiagAddr, "diag-addr", "", "serve the diagnostics (/metrics for Prometheus, /readyz, Go's profiler at /debug/pprof/) on this loopback address, e.g. 127.0.0.1:9090 (PUENTE_DIAG_ADDR; default off)")
	fs.StringVar(&c.Chromium, "chromium", "", "Chromium (or Chrome) that prints a meeting's compendium to PDF (PUENTE_CHROMIUM; default: chromium on the PATH; without one, the PDF is refused and the page still prints from a browser)")
	fs.BoolVar(&c.AccessLog, "access-log", false, "log one line per request at info level: method, route pattern (never the raw path), status, duration (PUENTE_ACCESS_LOG=1)")
	fs.BoolVar(&c.Litestream, "litestream", false, "Litestream replicates the database and checkpoints its WAL; Puente checkpoints only if the WAL grows past 10,000 pages (PUENTE_LITESTREAM=1)")
	fs.DurationVar(&c.ReadyOutboxAge, "ready-outbox-age", time.Hour, "/readyz fails when a message has waited longer than this to be sent (PUENTE_READY_OUTBOX_AGE)")
	fs.IntVar(&c.readyMinDiskMB, "ready-min-disk-mb", 512, "/readyz fails when the data folder's disk has less free space than this, in MB (PUENTE_READY_MIN_DISK_MB)")
	fs.IntVar(&c.memoryLimitMB, "memory-limit-mb", 48, "soft limit on the server's Go memory, in MB: near it, garbage is collected more often; 0 for none; Go's own GOMEMLIMIT, when set, wins (PUENTE_MEMORY_LIMIT_MB)")
	// A variable's value goes through the flag's own parser, so a
	// malformed one is refused as the same flag would be, never replaced
	// by the default.
	fs.VisitAll(func(f *flag.Flag) {
		name := envName.FindStringSubmatch(f.Usage)
		if name == nil {
			return
		}
		if v := getenv(name[1]); v != "" {
			if err := fs.Set(f.Name, v); err != nil {
				c.envErrs = append(c.envErrs, fmt.Errorf("invalid value %q for flag -%s (from %s): %v", v, f.Name, name[1], err))
			}
		}
	})
	return c
}

// parseBase reads a public base URL: http(s)://host[:port], no trailing
// slash.
func parseBase(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("not a base URL")
	}
	return u, nil
}

// envName finds the environment variable a flag's help names.
var envName = regexp.MustCompile(`\((PUENTE_[A-Z_]+)`)

// Finish checks the parsed flags and fills in derived settings.
func (c *Config) Finish() error {
	if len(c.envErrs) > 0 {
		// A refused variable may have left its flag zeroed: checking
		// the rest would only add confusing consequences.
		return errors.Join(c.envErrs...)
	}
	var errs []error
	if c.DBPath == "" {
		c.DBPath = filepath.Join(c.DataDir, "puente.db")
	}
	if err := c.readSite(); err != nil {
		return err
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("--addr %q: %w", c.Addr, err))
	}
	if c.PostBurst < 1 {
		errs = append(errs, fmt.Errorf("--post-burst %d: at least 1", c.PostBurst))
	}
	if c.ReviewMonths < 1 || c.ReviewMonths > 120 {
		errs = append(errs, fmt.Errorf("--review-months %d: between 1 and 120", c.ReviewMonths))
	}
	switch {
	case c.attachmentMB < 1 || c.attachmentMB > 1024:
		errs = append(errs, fmt.Errorf("--attachment-max-mb %d: between 1 and 1024", c.attachmentMB))
	case c.attachmentsMB < c.attachmentMB || c.attachmentsMB > 4096:
		errs = append(errs, fmt.Errorf("--attachments-max-mb %d: at least --attachment-max-mb, at most 4096", c.attachmentsMB))
	}
	c.AttachmentMax, c.AttachmentsMax = int64(c.attachmentMB)<<20, int64(c.attachmentsMB)<<20
	if c.AutosaveEvery != 0 && c.AutosaveEvery < time.Second {
		errs = append(errs, fmt.Errorf("--autosave-every %s: at least 1s, or 0 for none", c.AutosaveEvery))
	}
	if c.PostEvery < 0 {
		errs = append(errs, fmt.Errorf("--post-every %s: not negative", c.PostEvery))
	}
	if c.DiagAddr != "" {
		// The profiler shows memory and goroutines, the metrics the
		// site's traffic: never beyond this host.
		host, _, err := net.SplitHostPort(c.DiagAddr)
		if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
			errs = append(errs, fmt.Errorf("--diag-addr %q: want a loopback address such as 127.0.0.1:9090", c.DiagAddr))
		}
	}
	if c.ReadyOutboxAge < time.Minute {
		errs = append(errs, fmt.Errorf("--ready-outbox-age %s: at least 1m", c.ReadyOutboxAge))
	}
	if c.readyMinDiskMB < 0 {
		errs = append(errs, fmt.Errorf("--ready-min-disk-mb %d: not negative", c.readyMinDiskMB))
	}
	c.ReadyMinDisk = int64(c.readyMinDiskMB) << 20
	if c.memoryLimitMB != 0 && c.memoryLimitMB < 32 {
		errs = append(errs, fmt.Errorf("--memory-limit-mb %d: 0 (no limit) or at least 32", c.memoryLimitMB))
	}
	c.MemoryLimit = int64(c.memoryLimitMB) << 20
	raw := c.rawBaseURL
	if raw == "" {
		raw = "http://" + c.Addr
	}
	if u, err := parseBase(raw); err != nil {
		errs = append(errs, fmt.Errorf("--base-url %q: want http(s)://host[:port]", raw))
	} else {
		c.BaseURL = u
	}
	if c.rawSMTP != "" {
		s, err := url.Parse(c.rawSMTP)
		if err != nil || (s.Scheme != "smtp" && s.Scheme != "smtps") || s.Hostname() == "" {
			errs = append(errs, errors.New("--smtp-url: want smtp://[user:pass@]host[:port] or smtps://host[:port]"))
		} else {
			c.SMTPURL = s
		}
	}
	if c.rawContact != "" {
		if a, err := mail.ParseAddress(c.rawContact); err != nil || a.Name != "" {
			errs = append(errs, fmt.Errorf("--contact %q: want a bare address such as secretaria@crmsv.org", c.rawContact))
		} else {
			c.Contact = a.Address
		}
	}
	from, err := mail.ParseAddress(c.rawFrom)
	if err != nil {
		errs = append(errs, fmt.Errorf("--mail-from %q: want an address such as \"Puente <no-reply@puente.example.org>\" (%w)", c.rawFrom, err))
	} else {
		c.MailFrom = from
	}
	if c.SessionIdle <= 0 || c.SessionMax <= 0 || c.SessionIdle > c.SessionMax {
		errs = append(errs, errors.New("--session-idle and --session-max must be positive, idle no longer than max"))
	}
	if c.rawKeys != "" {
		keys, err := ParseKeys(c.rawKeys)
		if err != nil {
			errs = append(errs, fmt.Errorf("--session-keys: %w", err))
		}
		c.SessionKeys = keys
	}
	for _, p := range splitList(c.rawProxies) {
		pre, err := netip.ParsePrefix(p)
		if err != nil {
			addr, err2 := netip.ParseAddr(p)
			if err2 != nil {
				errs = append(errs, fmt.Errorf("--trusted-proxies %q: not an address or CIDR", p))
				continue
			}
			pre = netip.PrefixFrom(addr, addr.BitLen())
		}
		c.TrustedProxies = append(c.TrustedProxies, pre.Masked())
	}
	day, ok := weekdays[strings.ToLower(c.rawDigestDay)]
	if !ok {
		errs = append(errs, fmt.Errorf("--digest-day %q: want a weekday in English, such as monday", c.rawDigestDay))
	}
	c.DigestDay = day
	if c.DigestHour < 0 || c.DigestHour > 23 {
		errs = append(errs, fmt.Errorf("--digest-hour %d: want 0 to 23", c.DigestHour))
	}
	if loc, err := time.LoadLocation(c.rawDigestTZ); err != nil {
		errs = append(errs, fmt.Errorf("--digest-tz %q: %w", c.rawDigestTZ, err))
	} else {
		c.DigestLocation = loc
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("--log-level %q: want debug, info, warn or error", c.LogLevel))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("--log-format %q: want text or json", c.LogFormat))
	}
	return errors.Join(errs...)
}

var weekdays = map[string]time.Weekday{"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday,
	"wednesday": time.Wednesday, "thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// ParseKeys reads comma- or newline-separated keys in hex or base64.
func ParseKeys(s string) ([][]byte, error) {
	var keys [][]byte
	for _, p := range splitList(strings.ReplaceAll(s, "\n", ",")) {
		k, err := hex.DecodeString(p)
		if err != nil {
			k, err = base64.StdEncoding.DecodeString(p)
		}
		if err != nil {
			k, err = base64.RawURLEncoding.DecodeString(p)
		}
		if err != nil {
			return nil, errors.New("a key is neither hex nor base64")
		}
		if len(k) < 32 {
			return nil, errors.New("a key is shorter than 32 bytes")
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil, errors.New("no keys")
	}
	return keys, nil
}

// EnsureDataDir creates the data folder, and when no session keys were
// configured, loads them from DATA/session.keys, generating that file once.
func (c *Config) EnsureDataDir() error {
	if err := os.MkdirAll(c.DataDir, 0o750); err != nil {
		return err
	}
	if len(c.SessionKeys) > 0 {
		return nil
	}
	path := filepath.Join(c.DataDir, "session.keys")
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		k := make([]byte, 64)
		if _, err := rand.Read(k); err != nil {
			return err
		}
		b = []byte(hex.EncodeToString(k) + "\n")
		if err := os.WriteFile(path, b, 0o600); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	keys, err := ParseKeys(string(b))
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	c.SessionKeys = keys
	return nil
}
