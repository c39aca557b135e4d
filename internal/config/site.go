package config

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
)

// SiteFile holds, in the data folder, the settings that mail depends on
// (the public base URL, the SMTP server, the From address) as serve was
// last given them, so that every command run on the same folder (the
// digest from cron, a preview, admin create) writes and links the same
// way. A flag or an environment variable still wins over the file.
const SiteFile = "site.json"

// siteKeys are the flags kept in the file.
var siteKeys = []string{"base-url", "smtp-url", "mail-from"}

func (c *Config) sitePath() string { return filepath.Join(c.DataDir, SiteFile) }

// given reports the flags set on the command line or by their variable.
func (c *Config) given() map[string]bool {
	set := map[string]bool{}
	if c.fs != nil {
		c.fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	}
	return set
}

// readSite fills the settings the command was not given from the data
// folder's site file, and remembers the file's values.
func (c *Config) readSite() error {
	b, err := os.ReadFile(c.sitePath())
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, &c.site); err != nil {
		return fmt.Errorf("%s: %w", c.sitePath(), err)
	}
	given := c.given()
	for _, k := range siteKeys {
		if v, ok := c.site[k]; ok && !given[k] {
			*c.siteField(k) = v
		}
	}
	return nil
}

func (c *Config) siteField(key string) *string {
	switch key {
	case "base-url":
		return &c.rawBaseURL
	case "smtp-url":
		return &c.rawSMTP
	}
	return &c.rawFrom
}

// CheckSite refuses a command that would, against the site's own
// settings, write mail to files instead of the SMTP server, or send links
// to a loopback address instead of the public one. The commands that
// send mail call it; serve instead records what it is given.
func (c *Config) CheckSite() error {
	if c.site["smtp-url"] != "" && c.SMTPURL == nil {
		return fmt.Errorf("the site sends mail through its SMTP server (%s), and this command would write it to %s instead: drop --smtp-url, or give the right one",
			SiteFile, filepath.Join(c.DataDir, "mail"))
	}
	if public := c.site["base-url"]; public != "" && c.BaseURL != nil && isLoopback(c.BaseURL.Hostname()) && !isLoopbackURL(public) {
		return fmt.Errorf("the site's public address is %s (%s), and this command would link to %s: drop --base-url, or give the public one",
			public, SiteFile, c.BaseURL)
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func isLoopbackURL(raw string) bool {
	u, err := parseBase(raw)
	return err == nil && isLoopback(u.Hostname())
}

// SaveSite records in the data folder the mail settings this command was
// given explicitly (and the base URL derived from a given --addr, when
// none is kept), for the other commands to use; it reports whether the
// file changed. serve and config call it.
func (c *Config) SaveSite() (bool, error) {
	given := c.given()
	next := map[string]string{}
	for k, v := range c.site {
		next[k] = v
	}
	changed := false
	for _, k := range siteKeys {
		if v := *c.siteField(k); given[k] && next[k] != v {
			next[k], changed = v, true
		}
	}
	// serve given only --addr links to that address: the other commands
	// should too, until a public base URL is given.
	if given["addr"] && !given["base-url"] && next["base-url"] == "" && c.BaseURL != nil {
		next["base-url"], changed = c.BaseURL.String(), true
	}
	if !changed {
		return false, nil
	}
	b, err := json.MarshalIndent(next, "", "  ")
	if err != nil {
		return false, err
	}
	// It may hold the SMTP password: readable by the server's user only.
	tmp := c.sitePath() + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return false, err
	}
	if err := os.Rename(tmp, c.sitePath()); err != nil {
		return false, err
	}
	c.site = next
	return true, nil
}

// SiteSetting is one of the mail settings as the data folder keeps it.
type SiteSetting struct {
	Flag  string
	Value string // as kept (the SMTP password hidden); "" when not kept
	InUse string // what a command on this folder uses now
}

// Site lists the kept settings and what is in use, the SMTP password
// hidden in both.
func (c *Config) Site() []SiteSetting {
	var out []SiteSetting
	for _, k := range siteKeys {
		st := SiteSetting{Flag: k, Value: c.site[k]}
		switch k {
		case "base-url":
			st.InUse = c.BaseURL.String()
		case "smtp-url":
			if c.SMTPURL != nil {
				st.InUse = c.SMTPURL.Redacted()
			}
			if u, err := url.Parse(st.Value); err == nil && st.Value != "" {
				st.Value = u.Redacted()
			}
		case "mail-from":
			st.InUse = c.MailFrom.String()
		}
		out = append(out, st)
	}
	return out
}
