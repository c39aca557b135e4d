package server

import (
	"testing"
	"time"

	"puente/internal/i18n"
)

func TestDeviceLabels(t *testing.T) {
	for ua, want := range map[string]string{
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36":                            "Chrome en Windows",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0":              "Edge en Windows",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1":    "Safari en iOS",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:128.0) Gecko/20100101 Firefox/128.0":                                                        "Firefox en macOS",
		"Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36": "Samsung Internet en Android",
		"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 OPR/106.0.0.0":                        "Opera en Linux",
		"Go-http-client/1.1": "Navegador desconocido",
		"":                   "Navegador desconocido",
	} {
		v := &View{Locale: i18n.For("es")}
		if got := v.Device(ua); got != want {
			t.Errorf("%q: %q, want %q", ua, got, want)
		}
	}
	if got := (&View{Locale: i18n.For("en")}).Device("Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"); got != "Chrome on ChromeOS" {
		t.Errorf("en: %q", got)
	}
}

func TestAgo(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		lang string
		d    time.Duration
		want string
	}{
		{"es", 10 * time.Second, "hace un momento"}, {"es", time.Minute, "hace 1 minuto"}, {"es", 5 * time.Minute, "hace 5 minutos"},
		{"en", 59 * time.Minute, "59 minutes ago"}, {"en", time.Hour, "1 hour ago"}, {"pt", 3 * time.Hour, "há 3 horas"},
		{"fr", 24 * time.Hour, "il y a 1 jour"}, {"nl", 48 * time.Hour, "2 dagen geleden"}, {"nl", 2 * time.Hour, "2 uur geleden"},
		{"en", 40 * 24 * time.Hour, "28 October 2026"},
	} {
		if got := i18n.For(c.lang).Ago(now.Add(-c.d), now); got != c.want {
			t.Errorf("%s %v: %q, want %q", c.lang, c.d, got, c.want)
		}
	}
}
