// Package accounts holds the people who use Puente: their accounts, roles,
// passwords, the invitations that create accounts and the links that reset
// passwords.
package accounts

import (
	"context"
	"database/sql"
	"errors"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"puente/db"
	"puente/internal/apperr"
	"puente/internal/clock"
	"puente/internal/sanitize"
	"puente/internal/tokens"
	"puente/internal/websession"
)

// Role is what an account may do.
type Role string

// The roles, each able to do all that the one before can. An observer
// (an international organisation or a technical secretariat) reads, and
// comments only when an admin allows it; an official of a member state
// also posts practices, flags and records adoptions.
const (
	Observer  Role = "observer"
	Official  Role = "official"
	Moderator Role = "moderator"
	Admin     Role = "admin"
)

// Roles lists the roles in ascending order of power.
var Roles = []Role{Observer, Official, Moderator, Admin}

func (r Role) rank() int {
	switch r {
	case Observer:
		return 1
	case Official:
		return 2
	case Moderator:
		return 3
	case Admin:
		return 4
	}
	return 0
}

// AtLeast reports whether r includes every power of o.
func (r Role) AtLeast(o Role) bool { return r.rank() >= o.rank() && r.rank() > 0 }

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r.rank() > 0 }

// Status is whether an account may sign in.
type Status string

// Account statuses.
const (
	Active    Status = "active"
	Suspended Status = "suspended"
)

// Account is a person with access to Puente.
type Account struct {
	ID                int64
	Email             string
	DisplayName       string
	Role              Role
	CountryCode       string // "" for staff without a member state
	Status            Status
	Lang              string // "" follows the browser
	CreatedAt         time.Time
	UpdatedAt         time.Time
	PasswordChangedAt time.Time
	TwoFactor         bool // two-factor sign-in is on
	// SuspendedUntil is when a suspension ends by itself (zero: when an
	// administrator reactivates the account); SuspendReason is why, for
	// staff and the person.
	SuspendedUntil time.Time
	SuspendReason  string
	// FocalPoint: an official their country named to vouch for its
	// officials (invite, suspend) and to see its practices in every state.
	FocalPoint bool
	// An observer's organisation, the processes it reads (ObserverCRM,
	// ObserverCSM or ObserverBoth) and whether it may comment.
	Organisation     string
	ObserverScope    string
	ObserverComments bool
}

// The processes an observer reads.
const (
	ObserverCRM  = "crm"
	ObserverCSM  = "csm"
	ObserverBoth = "both"
)

// ObserverScopes lists them, in the order forms offer them.
var ObserverScopes = []string{ObserverCRM, ObserverCSM, ObserverBoth}

// ObserverProcesses are the processes (CRM, CSM) an observer of scope
// reads.
func ObserverProcesses(scope string) []string {
	switch scope {
	case ObserverCRM:
		return []string{"CRM"}
	case ObserverCSM:
		return []string{"CSM"}
	case ObserverBoth:
		return []string{"CRM", "CSM"}
	}
	return nil
}

// Posts reports whether the account may post practices, flag, and record
// what its country did with a practice: officials and staff, not
// observers.
func (a *Account) Posts() bool { return a.Role.AtLeast(Official) }

// Comments reports whether the account may comment: everyone but an
// observer the admin did not allow.
func (a *Account) Comments() bool { return a.Role != Observer || a.ObserverComments }

// FocalFor reports whether a is an active focal point of country cc.
func (a *Account) FocalFor(cc string) bool {
	return a.FocalPoint && a.Status == Active && a.Role == Official && cc != "" && a.CountryCode == cc
}

// Limits on what a person types.
const (
	MaxDisplayName = 80
	MaxEmail       = 254
)

// Store reads and writes accounts.
type Store struct {
	DB     *db.DB
	Clock  clock.Clock
	Params HashParams
	// dummyHash is verified when an email is unknown, so that a failed
	// sign-in takes as long whether or not the account exists.
	dummyHash string
}

// NewStore returns a store that hashes with params.
func NewStore(d *db.DB, c clock.Clock, params HashParams) *Store {
	return &Store{DB: d, Clock: c, Params: params, dummyHash: HashPassword("not a password", params)}
}

func (s *Store) now() string { return db.FormatTime(s.Clock.Now()) }

const accountColumns = `id, email, display_name, role, coalesce(country_code, ''), status, lang, created_at, updated_at, password_changed_at,
	totp_enabled_at IS NOT NULL, coalesce(suspended_until, ''), suspend_reason, focal_point, organisation, coalesce(observer_scope, ''), observer_comments`

type rowScanner interface{ Scan(...any) error }

func scanAccount(r rowScanner) (*Account, error) {
	var a Account
	var created, updated, pwd, until string
	if err := r.Scan(&a.ID, &a.Email, &a.DisplayName, &a.Role, &a.CountryCode, &a.Status, &a.Lang, &created, &updated, &pwd, &a.TwoFactor,
		&until, &a.SuspendReason, &a.FocalPoint, &a.Organisation, &a.ObserverScope, &a.ObserverComments); err != nil {
		return nil, err
	}
	a.SuspendedUntil, _ = db.ParseTime(until)
	a.CreatedAt, _ = db.ParseTime(created)
	a.UpdatedAt, _ = db.ParseTime(updated)
	a.PasswordChangedAt, _ = db.ParseTime(pwd)
	return &a, nil
}

// ByID returns the account with id, or a NotFound error.
func (s *Store) ByID(ctx context.Context, id int64) (*Account, error) {
	a, err := scanAccount(s.DB.R.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "error.not_found")
	}
	return a, err
}

// ByEmail returns the account with email (any case), or a NotFound error.
func (s *Store) ByEmail(ctx context.Context, email string) (*Account, error) {
	a, err := scanAccount(s.DB.R.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE email = ?`, NormalizeEmail(email)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "error.not_found")
	}
	return a, err
}

// NormalizeEmail trims an address and lowers its case; the database also
// compares addresses without case.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// CheckEmail returns the catalogue key of the problem with an address, or "".
func CheckEmail(email string) string {
	if email == "" {
		return "field.required"
	}
	if len(email) > MaxEmail {
		return "email.invalid"
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || !strings.Contains(email[strings.LastIndex(email, "@")+1:], ".") {
		return "email.invalid"
	}
	return ""
}

// CheckDisplayName returns the catalogue key of the problem with a name, or "".
func CheckDisplayName(name string) string {
	switch n := utf8.RuneCountInString(name); {
	case sanitize.Plain(name) == "":
		return "field.required"
	case n > MaxDisplayName:
		return "name.too_long"
	case !utf8.ValidString(name) || strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return "name.invalid"
	}
	return ""
}

// Errors of signing in. Both mean the same to the person: the message does
// not tell whether an address has an account.
var (
	ErrBadCredentials = apperr.New(apperr.Unprocessable, "signin.bad_credentials")
	ErrSuspended      = apperr.New(apperr.Forbidden, "signin.suspended")
)

// Authenticate returns the account whose email and password match.
func (s *Store) Authenticate(ctx context.Context, email, password string) (*Account, error) {
	a, hash, err := s.withHash(ctx, `email = ?`, NormalizeEmail(email))
	if errors.Is(err, sql.ErrNoRows) {
		_, _ = VerifyPassword(password, s.dummyHash)
		return nil, ErrBadCredentials
	}
	if err != nil {
		return nil, err
	}
	ok, err := VerifyPassword(password, hash)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrBadCredentials
	}
	if a.Status != Active {
		if a, err = s.endSuspensionOf(ctx, a); err != nil {
			return nil, err
		}
		if a.Status != Active {
			return nil, ErrSuspended
		}
	}
	return a, nil
}

// CheckPasswordOf reports whether password is account id's, to confirm a
// sensitive change by someone already signed in.
func (s *Store) CheckPasswordOf(ctx context.Context, id int64, password string) (bool, error) {
	if password == "" {
		return false, nil
	}
	_, hash, err := s.withHash(ctx, `id = ?`, id)
	if err != nil {
		return false, err
	}
	return VerifyPassword(password, hash)
}

// withHash loads one account and its password hash.
func (s *Store) withHash(ctx context.Context, where string, arg any) (*Account, string, error) {
	var hash string
	row := s.DB.R.QueryRowContext(ctx, `SELECT `+accountColumns+`, password_hash FROM accounts WHERE `+where, arg)
	a, err := scanAccount(scanFunc(func(dest ...any) error { return row.Scan(append(dest, &hash)...) }))
	return a, hash, err
}

type scanFunc func(...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }

// endSessions removes every session of the account, inside tx.
func endSessions(ctx context.Context, tx *sql.Tx, accountID int64) (int64, error) {
	return websession.EndFor(ctx, tx, time.Time{}, accountID, "")
}

// ChangePassword sets a new password after checking the current one, and
// ends every other session of the account (keepSession is the current
// session's row id; 0 ends them all).
func (s *Store) ChangePassword(ctx context.Context, id int64, current, next string, keepSession int64) apperr.FieldErrors {
	errs := apperr.FieldErrors{}
	a, hash, err := s.withHash(ctx, `id = ?`, id)
	if err != nil {
		errs.Add("current", "error.internal")
		return errs
	}
	if ok, _ := VerifyPassword(current, hash); !ok {
		errs.Add("current", "password.current_wrong")
	}
	if key := CheckPassword(next, a.Email, a.DisplayName); key != "" {
		errs.Add("new", key)
	}
	if !errs.OK() {
		return errs
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.setPassword(ctx, tx, id, next); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE account_id = ? AND id <> ?`, id, keepSession)
		return err
	})
	if err != nil {
		errs.Add("new", "error.internal")
	}
	return errs
}

func (s *Store) setPassword(ctx context.Context, tx *sql.Tx, id int64, password string) error {
	now := s.now()
	_, err := tx.ExecContext(ctx, `UPDATE accounts SET password_hash = ?, password_changed_at = ?, updated_at = ? WHERE id = ?`,
		HashPassword(password, s.Params), now, now, id)
	return err
}

// UpdateProfile changes what a person may change about themselves.
func (s *Store) UpdateProfile(ctx context.Context, id int64, displayName, lang string) error {
	_, err := s.DB.W.ExecContext(ctx, `UPDATE accounts SET display_name = ?, lang = ?, updated_at = ? WHERE id = ?`,
		sanitize.Plain(displayName), lang, s.now(), id)
	return err
}

// SetLang changes only the interface language of an account.
func (s *Store) SetLang(ctx context.Context, id int64, lang string) error {
	_, err := s.DB.W.ExecContext(ctx, `UPDATE accounts SET lang = ?, updated_at = ? WHERE id = ?`, lang, s.now(), id)
	return err
}

// Count returns how many accounts exist.
func (s *Store) Count(ctx context.Context) (int, error) {
	var n int
	err := s.DB.R.QueryRowContext(ctx, `SELECT count(*) FROM accounts`).Scan(&n)
	return n, err
}

// CreateDirect makes an active account with a known password. It is for
// the demo seed and tests; people otherwise arrive through invitations.
func (s *Store) CreateDirect(ctx context.Context, email, name string, role Role, country, lang, password string) (*Account, error) {
	now := s.now()
	var cc any
	if country != "" {
		cc = country
	}
	return s.insert(ctx, `INSERT INTO accounts (email, display_name, password_hash, role, country_code, lang, created_at, updated_at, password_changed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, NormalizeEmail(email), sanitize.Plain(name), HashPassword(password, s.Params), role, cc, lang, now, now, now)
}

// insert runs an INSERT of one account and returns the account made: an
// address already taken is a conflict.
func (s *Store) insert(ctx context.Context, query string, args ...any) (*Account, error) {
	res, err := s.DB.W.ExecContext(ctx, query, args...)
	if err != nil {
		if db.IsUniqueViolation(err) {
			return nil, apperr.Wrap(apperr.Conflict, "invite.email_taken", err)
		}
		return nil, err
	}
	id, _ := res.LastInsertId()
	return s.ByID(ctx, id)
}

// SetNotifyFlags turns a moderator's flag emails on or off.
func (s *Store) SetNotifyFlags(ctx context.Context, id int64, on bool) error {
	_, err := s.DB.W.ExecContext(ctx, `UPDATE accounts SET notify_flags = ?, updated_at = ? WHERE id = ?`, on, s.now(), id)
	return err
}

// NotifyFlags reports whether a moderator asked for flag emails.
func (s *Store) NotifyFlags(ctx context.Context, id int64) (bool, error) {
	var on bool
	err := s.DB.R.QueryRowContext(ctx, `SELECT notify_flags FROM accounts WHERE id = ?`, id).Scan(&on)
	return on, err
}

// NewFeedToken gives an account a new private-feed token, replacing any
// old one (whose links stop working), and returns it.
func (s *Store) NewFeedToken(ctx context.Context, id int64) (string, error) {
	token := tokens.New()
	_, err := s.DB.W.ExecContext(ctx, `UPDATE accounts SET feed_token_hash = ? WHERE id = ?`, tokens.Hash(token), id)
	return token, err
}

// RevokeFeedToken ends an account's private feed.
func (s *Store) RevokeFeedToken(ctx context.Context, id int64) error {
	_, err := s.DB.W.ExecContext(ctx, `UPDATE accounts SET feed_token_hash = NULL WHERE id = ?`, id)
	return err
}

// HasFeedToken reports whether an account has a private feed.
func (s *Store) HasFeedToken(ctx context.Context, id int64) (bool, error) {
	var n int
	err := s.DB.R.QueryRowContext(ctx, `SELECT count(*) FROM accounts WHERE id = ? AND feed_token_hash IS NOT NULL`, id).Scan(&n)
	return n > 0, err
}

// ByFeedToken returns the active account a private-feed token belongs to.
func (s *Store) ByFeedToken(ctx context.Context, token string) (*Account, error) {
	a, err := scanAccount(s.DB.R.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE feed_token_hash = ? AND status = 'active'`, tokens.Hash(token)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "error.not_found")
	}
	return a, err
}

// FlagWatchers returns the active moderators and admins who asked to be
// emailed about new flags, inside the caller's transaction.
func FlagWatchers(ctx context.Context, q db.Querier) ([]int64, error) {
	return db.Column[int64](ctx, q, `SELECT id FROM accounts WHERE notify_flags = 1 AND status = 'active' AND role IN ('moderator', 'admin')`)
}

// StaffIDs returns the active moderators and administrators, inside the
// caller's transaction: who is told that something waits for review.
func StaffIDs(ctx context.Context, q db.Querier) ([]int64, error) {
	return db.Column[int64](ctx, q, `SELECT id FROM accounts WHERE status = 'active' AND role IN ('moderator', 'admin')`)
}

// StaffNames returns the display names of the active moderators and
// administrators, but for the accounts except, by name.
func (s *Store) StaffNames(ctx context.Context, except []int64) ([]string, error) {
	return db.Column[string](ctx, s.DB.R, `SELECT display_name FROM accounts
		WHERE status = 'active' AND role IN ('moderator', 'admin') AND id NOT IN (SELECT value FROM json_each(?))
		ORDER BY display_name COLLATE NOCASE`, db.IDList(except))
}

// DisplayNames returns the display names of the accounts ids.
func (s *Store) DisplayNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	if len(ids) == 0 {
		return map[int64]string{}, nil
	}
	return db.Pairs[int64, string](ctx, s.DB.R, `SELECT id, display_name FROM accounts WHERE id IN (SELECT value FROM json_each(?))`, db.IDList(ids))
}

// DigestChoice is how often, if at all, an account wants the digest.
type DigestChoice struct {
	Enabled bool
	Every   int // weeks
	// Undeliverable is set when the mail server refused the address for
	// good: nothing is sent to it.
	Undeliverable bool
}

// DigestChoiceOf reads account id's digest choice.
func (s *Store) DigestChoiceOf(ctx context.Context, id int64) (DigestChoice, error) {
	var c DigestChoice
	err := s.DB.R.QueryRowContext(ctx, `SELECT digest_enabled, digest_every, undeliverable_at IS NOT NULL FROM accounts WHERE id = ?`, id).
		Scan(&c.Enabled, &c.Every, &c.Undeliverable)
	return c, err
}

// SetDigestChoice stores account id's digest choice inside the caller's
// transaction.
func SetDigestChoice(ctx context.Context, tx db.Querier, id int64, c DigestChoice) error {
	_, err := tx.ExecContext(ctx, `UPDATE accounts SET digest_enabled = ?, digest_every = ? WHERE id = ?`, c.Enabled, c.Every, id)
	return err
}

// StopDigest turns account id's digest off inside the caller's
// transaction (an unsubscribe link).
func StopDigest(ctx context.Context, tx db.Querier, id int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE accounts SET digest_enabled = 0 WHERE id = ?`, id)
	return err
}

// Recipient is an account that receives the digest, every Every weeks.
type Recipient struct {
	*Account
	Every int
}

// CountDigestRecipients counts the active accounts whose digest is on and
// whose address has not been refused.
func (s *Store) CountDigestRecipients(ctx context.Context) (int, error) {
	var n int
	err := s.DB.R.QueryRowContext(ctx, `SELECT count(*) FROM accounts WHERE status = 'active' AND digest_enabled = 1 AND undeliverable_at IS NULL`).Scan(&n)
	return n, err
}

// DigestRecipients returns up to n of those accounts with ids above after,
// in id order.
func (s *Store) DigestRecipients(ctx context.Context, after int64, n int) ([]Recipient, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, email, display_name, role, coalesce(country_code, ''), lang, digest_every,
		focal_point, organisation, coalesce(observer_scope, ''), observer_comments FROM accounts
		WHERE id > ? AND status = 'active' AND digest_enabled = 1 AND undeliverable_at IS NULL ORDER BY id LIMIT ?`, after, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Recipient
	for rows.Next() {
		a := &Account{Status: Active}
		rc := Recipient{Account: a}
		if err := rows.Scan(&a.ID, &a.Email, &a.DisplayName, &a.Role, &a.CountryCode, &a.Lang, &rc.Every,
			&a.FocalPoint, &a.Organisation, &a.ObserverScope, &a.ObserverComments); err != nil {
			return nil, err
		}
		out = append(out, rc)
	}
	return out, rows.Err()
}

// MarkUndeliverable records that the mail server refused email for good,
// so digests stop for it.
func (s *Store) MarkUndeliverable(ctx context.Context, email, reason string) error {
	_, err := s.DB.W.ExecContext(ctx, `UPDATE accounts SET undeliverable_at = ?, undeliverable_reason = ? WHERE email = ? AND undeliverable_at IS NULL`,
		s.now(), reason, email)
	return err
}
