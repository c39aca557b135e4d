// Package e2e holds the browser journeys: a real headless Chromium walks
// Puente as a person would, against a full server with a real SMTP server.
package e2e
