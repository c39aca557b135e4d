// Package apperr defines the coded errors that domain packages return and
// the server turns into HTTP status codes in one place.
package apperr

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// Code classifies an error for the person who meets it.
type Code string

// The codes, each mapped to one HTTP status by the server.
const (
	Invalid       Code = "invalid"       // 400: the request itself is malformed
	Unauthorized  Code = "unauthorized"  // 401: sign-in needed
	Forbidden     Code = "forbidden"     // 403
	NotFound      Code = "not_found"     // 404
	Conflict      Code = "conflict"      // 409: already handled, already exists
	Gone          Code = "gone"          // 410: a link that expired or was used
	TooLarge      Code = "too_large"     // 413
	Unprocessable Code = "unprocessable" // 422: a form that failed validation
	RateLimited   Code = "rate_limited"  // 429
	Method        Code = "method"        // 405
	Unavailable   Code = "unavailable"   // 503: a service the server needs is not there
	Internal      Code = "internal"      // 500
)

// Error is an error with a code and a message key from the translation
// catalogue, safe to show to the person.
type Error struct {
	Code Code
	// Key is a catalogue key describing what went wrong, for the person.
	Key string
	// Err is the underlying cause, for the log only.
	Err error
	// Retry, on a RateLimited error, is when trying again may work.
	Retry time.Duration
	// Fields, on an Unprocessable error, are its problems by form field.
	Fields FieldErrors
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Key, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Key)
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an error with code and message key.
func New(code Code, key string) *Error { return &Error{Code: code, Key: key} }

// Wrap returns an error with code and message key that keeps err as cause.
func Wrap(code Code, key string, err error) *Error { return &Error{Code: code, Key: key, Err: err} }

// TooSoon is the one 429: the limit was reached, and retry is when
// trying again may work.
func TooSoon(key string, retry time.Duration) *Error {
	return &Error{Code: RateLimited, Key: key, Retry: retry}
}

// InvalidFields returns the Unprocessable error of a form's problems by field;
// its Key is the first field's problem, in field-name order.
func InvalidFields(f FieldErrors) *Error {
	names := make([]string, 0, len(f))
	for name := range f {
		names = append(names, name)
	}
	slices.Sort(names)
	return &Error{Code: Unprocessable, Key: f[names[0]], Fields: f}
}

// FieldsOf returns the problems by field an error carries, or, for an
// Unprocessable error without them, its message under field; nil otherwise.
func FieldsOf(err error, field string) FieldErrors {
	var e *Error
	if !errors.As(err, &e) || e.Code != Unprocessable {
		return nil
	}
	if e.Fields != nil {
		return e.Fields
	}
	return FieldErrors{field: e.Key}
}

// RetryOf returns when a RateLimited err may be tried again, or 0.
func RetryOf(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) && e.Code == RateLimited {
		return e.Retry
	}
	return 0
}

// CodeOf returns the code of err, or Internal when it carries none.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// KeyOf returns the message key of err, or "" when it carries none.
func KeyOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Key
	}
	return ""
}

// Is reports whether err carries code.
func Is(err error, code Code) bool { return err != nil && CodeOf(err) == code }

// FieldErrors maps a form field name to a catalogue key describing the
// problem with it. An empty map means the form is valid.
type FieldErrors map[string]string

// Add records the first problem with field; later ones are dropped so the
// person sees one message per field.
func (f FieldErrors) Add(field, key string) {
	if _, ok := f[field]; !ok {
		f[field] = key
	}
}

// OK reports whether there are no problems.
func (f FieldErrors) OK() bool { return len(f) == 0 }
