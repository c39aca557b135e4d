package server

import (
	"strings"
	"time"
)

// browserAndSystem names the browser and operating system a User-Agent
// string describes, as a person knows them ("Chrome", "Windows"); empty
// when the string does not say. Order matters: Edge, Opera and Samsung
// Internet also call themselves Chrome and Safari.
func browserAndSystem(ua string) (browser, system string) {
	has := func(s string) bool { return strings.Contains(ua, s) }
	switch {
	case has("Edg/") || has("EdgA/") || has("EdgiOS/"):
		browser = "Edge"
	case has("OPR/") || has("Opera"):
		browser = "Opera"
	case has("SamsungBrowser/"):
		browser = "Samsung Internet"
	case has("Firefox/") || has("FxiOS/"):
		browser = "Firefox"
	case has("CriOS/") || has("Chrome/"):
		browser = "Chrome"
	case has("Chromium/"):
		browser = "Chromium"
	case has("Safari/") && has("Version/"):
		browser = "Safari"
	}
	switch {
	case has("iPhone") || has("iPod"):
		system = "iOS"
	case has("iPad"):
		system = "iPadOS"
	case has("Android"):
		system = "Android"
	case has("Windows"):
		system = "Windows"
	case has("CrOS"):
		system = "ChromeOS"
	case has("Mac OS X") || has("Macintosh"):
		system = "macOS"
	case has("Linux"):
		system = "Linux"
	}
	return browser, system
}

// Device is how a session is shown: "Chrome on Windows".
func (v *View) Device(ua string) string {
	b, sys := browserAndSystem(ua)
	if b == "" {
		b = v.T("sessions.unknown_browser")
	}
	if sys == "" {
		return b
	}
	return v.T("sessions.device_on", "browser", b, "os", sys)
}

// Ago says how long before the page was made t was.
func (v *View) Ago(t time.Time) string { return v.Locale.Ago(t, v.now) }
