package config

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func parse(t *testing.T, env map[string]string, args ...string) (*Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c := Register(fs, func(k string) string { return env[k] })
	if err := fs.Parse(append([]string{"--data", t.TempDir()}, args...)); err != nil {
		return nil, err
	}
	return c, c.Finish()
}

// A variable is read as its flag would be: a good value is used, a flag
// on the command line wins, and a malformed value is refused with the
// message the flag gives, never replaced by the default.
func TestEnvironmentIsParsedAsTheFlag(t *testing.T) {
	c, err := parse(t, map[string]string{"PUENTE_DIGEST_HOUR": "6", "PUENTE_POST_EVERY": "2s", "PUENTE_DEMO": "1"})
	if err != nil {
		t.Fatal(err)
	}
	if c.DigestHour != 6 || c.PostEvery != 2*time.Second || !c.Demo {
		t.Errorf("variables not used: hour %d, post-every %s, demo %t", c.DigestHour, c.PostEvery, c.Demo)
	}
	if c, err = parse(t, map[string]string{"PUENTE_DIGEST_HOUR": "6"}, "--digest-hour", "9"); err != nil || c.DigestHour != 9 {
		t.Errorf("the flag does not win over the variable: %d, %v", c.DigestHour, err)
	}

	for _, bad := range []struct{ env, flag, value string }{
		{"PUENTE_DIGEST_HOUR", "digest-hour", "eight"},
		{"PUENTE_POST_EVERY", "post-every", "5 seconds"},
		{"PUENTE_SESSION_IDLE", "session-idle", "2"},
		{"PUENTE_DEMO", "demo", "yes"},
	} {
		_, envErr := parse(t, map[string]string{bad.env: bad.value})
		_, flagErr := parse(t, nil, "--"+bad.flag+"="+bad.value)
		if envErr == nil || flagErr == nil {
			t.Errorf("%s=%q: accepted (variable: %v, flag: %v)", bad.env, bad.value, envErr, flagErr)
			continue
		}
		// flag's own message: invalid value "eight" for flag -digest-hour: parse error
		if !strings.Contains(envErr.Error(), `invalid value "`+bad.value+`" for flag -`+bad.flag) ||
			!strings.Contains(envErr.Error(), bad.env) || !strings.Contains(flagErr.Error(), strings.SplitN(envErr.Error(), ": ", 2)[1]) {
			t.Errorf("%s=%q refused as %q; the flag says %q", bad.env, bad.value, envErr, flagErr)
		}
	}
}

// The mail settings serve was given are kept in the data folder for the
// other commands; what a command is given (flag or variable) wins; only
// what was given is saved, readable by the owner alone.
func TestSiteSettingsAreSharedByEveryCommand(t *testing.T) {
	dir := t.TempDir()
	load := func(env map[string]string, args ...string) *Config {
		t.Helper()
		fs := flag.NewFlagSet("test", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		c := Register(fs, func(k string) string { return env[k] })
		if err := fs.Parse(append([]string{"--data", dir}, args...)); err != nil {
			t.Fatal(err)
		}
		if err := c.Finish(); err != nil {
			t.Fatal(err)
		}
		return c
	}
	serve := load(map[string]string{"PUENTE_SMTP_URL": "smtp://u:secreto@mail.gob.pa:587"}, "--base-url", "https://puente.example.org")
	if saved, err := serve.SaveSite(); !saved || err != nil {
		t.Fatalf("save: %t, %v", saved, err)
	}
	info, err := os.Stat(filepath.Join(dir, SiteFile))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("site file: %v, %v", info, err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, SiteFile))
	if strings.Contains(string(b), "mail-from") {
		t.Errorf("a default was saved as if given:\n%s", b)
	}
	if again, _ := load(nil, "--base-url", "https://puente.example.org").SaveSite(); again {
		t.Error("saving the same setting again rewrote the file")
	}

	cron := load(nil)
	if cron.BaseURL.String() != "https://puente.example.org" || cron.SMTPURL == nil || cron.SMTPURL.Host != "mail.gob.pa:587" {
		t.Fatalf("a command without flags: base %v, smtp %v", cron.BaseURL, cron.SMTPURL)
	}
	if err := cron.CheckSite(); err != nil {
		t.Fatal(err)
	}
	if c := load(map[string]string{"PUENTE_BASE_URL": "https://otro.example.org"}); c.BaseURL.Host != "otro.example.org" {
		t.Errorf("the variable does not win over the file: %v", c.BaseURL)
	}
	for _, args := range [][]string{{"--smtp-url="}, {"--base-url", "http://localhost:8080"}} {
		if err := load(nil, args...).CheckSite(); err == nil {
			t.Errorf("%v against the site's settings: accepted", args)
		}
	}
}

// TestREADMEDescribesEveryFlag: the README's configuration table has a
// row for each flag, with the variable its help names, and no row for a
// flag that is gone.
func TestREADMEDescribesEveryFlag(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{} // flag → its row
	for _, m := range regexp.MustCompile("(?m)^\\| `--([a-z-]+)` \\| (.*)$").FindAllStringSubmatch(string(readme), -1) {
		rows[m[1]] = m[2]
	}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	Register(fs, func(string) string { return "" })
	fs.VisitAll(func(f *flag.Flag) {
		row, ok := rows[f.Name]
		if !ok {
			t.Errorf("the README's configuration table has no row for --%s", f.Name)
			return
		}
		delete(rows, f.Name)
		if env := envName.FindStringSubmatch(f.Usage); env != nil && !strings.Contains(row, "`"+env[1]) {
			t.Errorf("the README's row for --%s does not name %s", f.Name, env[1])
		}
	})
	for name := range rows {
		t.Errorf("the README's configuration table describes --%s, which no longer exists", name)
	}
}

// The server's soft memory limit: 48 MB unless told, none at 0, and no
// limit so low that the collector would run without pause.
func TestMemoryLimit(t *testing.T) {
	c, err := parse(t, nil)
	if err != nil || c.MemoryLimit != 48<<20 {
		t.Fatalf("default limit %d, %v; want 48 MB", c.MemoryLimit, err)
	}
	if c, err = parse(t, map[string]string{"PUENTE_MEMORY_LIMIT_MB": "0"}); err != nil || c.MemoryLimit != 0 {
		t.Errorf("PUENTE_MEMORY_LIMIT_MB=0: limit %d, %v; want none", c.MemoryLimit, err)
	}
	if _, err = parse(t, nil, "--memory-limit-mb", "16"); err == nil || !strings.Contains(err.Error(), "at least 32") {
		t.Errorf("--memory-limit-mb 16: %v, want refused", err)
	}
}
