// Package journeys holds the browser journeys: a real headless Chromium
// walks Puente as a person would, against a full server with a real SMTP
// server. The accessibility checks and the hostile-content test are in the
// packages beside it, so that go test runs the three side by side.
package journeys
