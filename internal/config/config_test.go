package config

import (
	"flag"
	"io"
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
