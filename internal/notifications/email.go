package notifications

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"puente/db"
	"puente/internal/apperr"
	"puente/internal/tokens"
)

// Delivery is how a person hears of one kind of notification by email.
// Whatever they choose, it is in their notification centre.
type Delivery string

// The choices.
const (
	Now      Delivery = "now"    // at once, batched: at most one email per Gap
	InDigest Delivery = "digest" // in the weekly digest, when the digest is on
	Never    Delivery = "never"  // not by email
)

// Deliveries lists the choices in the order forms offer them.
var Deliveries = []Delivery{Now, InDigest, Never}

// Valid reports whether d is one of the choices.
func (d Delivery) Valid() bool { return slices.Contains(Deliveries, d) }

// Gap is the least time between two immediate emails to one person:
// what happens meanwhile waits and goes in the next one.
const Gap = 10 * time.Minute

// MaxAge is how old an entry may be and still be emailed at once: after
// a long outage of the mailer, week-old news goes to the centre only.
const MaxAge = 7 * 24 * time.Hour

// immediate are the kinds emailed at once unless the person chooses
// otherwise: decisions about their own work and answers to them. The
// rest wait for the digest.
var immediate = map[string]bool{
	Reply: true, Published: true, SentBack: true, Rejected: true, PracticeHidden: true, PracticeRestored: true,
	ChangeApproved: true, ChangeReturned: true, CommentHidden: true, CommentRestored: true, AppealAnswered: true,
	FlagActioned: true, FlagDismissed: true, AdoptionHidden: true, AdoptionRestored: true,
	Question: true, QuestionAnswered: true, QuestionReminder: true, QuestionHidden: true, QuestionRestored: true,
	QuestionUnanswered: true, ReviewUnanswered: true,
}

// Default is a kind's delivery for a person who did not choose.
func Default(kind string) Delivery {
	if immediate[kind] {
		return Now
	}
	return InDigest
}

// Audience is who can receive a kind.
type Audience int

// The audiences.
const (
	Everyone Audience = iota
	Moderators
	Admins
	FocalPoints
)

// AudienceOf says who can receive kind: the queue is the moderators',
// invitations are the administrators', what nobody answered on a
// country's practices its focal points'.
func AudienceOf(kind string) Audience {
	switch kind {
	case QueueWaiting:
		return Moderators
	case InviteAccepted:
		return Admins
	case QuestionUnanswered, ReviewUnanswered:
		return FocalPoints
	}
	return Everyone
}

// deliveryOf is the SQL for the delivery of the notifications row named
// by alias: the person's choice, or the kind's default. Built from the
// constants above, never from input.
func deliveryOf(alias string) string {
	var now []string
	for _, k := range Kinds {
		if immediate[k] {
			now = append(now, "'"+k+"'")
		}
	}
	return `coalesce((SELECT p.delivery FROM notification_prefs p WHERE p.account_id = ` + alias + `.account_id AND p.kind = ` + alias + `.kind),
		CASE WHEN ` + alias + `.kind IN (` + strings.Join(now, ", ") + `) THEN 'now' ELSE 'digest' END)`
}

// Prefs returns account's delivery for every kind.
func (s *Store) Prefs(ctx context.Context, account int64) (map[string]Delivery, error) {
	out := map[string]Delivery{}
	for _, k := range Kinds {
		out[k] = Default(k)
	}
	pairs, err := db.Pairs[string, string](ctx, s.DB.R, `SELECT kind, delivery FROM notification_prefs WHERE account_id = ?`, account)
	if err != nil {
		return nil, err
	}
	for k, d := range pairs {
		if _, known := out[k]; known {
			out[k] = Delivery(d)
		}
	}
	return out, nil
}

// SetPrefs stores account's choices; a kind not named keeps its choice,
// and a choice equal to the default is stored as no choice, so that a
// better default later reaches everyone who never chose.
func (s *Store) SetPrefs(ctx context.Context, account int64, prefs map[string]Delivery) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error { return setPrefs(ctx, tx, account, prefs) })
}

func setPrefs(ctx context.Context, tx db.Querier, account int64, prefs map[string]Delivery) error {
	for k, d := range prefs {
		if !slices.Contains(Kinds, k) || !d.Valid() {
			return apperr.New(apperr.Invalid, "field.invalid_choice")
		}
		var err error
		if d == Default(k) {
			_, err = tx.ExecContext(ctx, `DELETE FROM notification_prefs WHERE account_id = ? AND kind = ?`, account, k)
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO notification_prefs (account_id, kind, delivery) VALUES (?, ?, ?)
				ON CONFLICT (account_id, kind) DO UPDATE SET delivery = excluded.delivery`, account, k, string(d))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// Sort decides every entry not yet decided that will not be emailed at
// once: read on the site already, of a kind the person wants in the
// digest or not at all, or due at once but older than MaxAge. What stays
// undecided waits for an immediate email.
func (s *Store) Sort(ctx context.Context, now time.Time) error {
	d := deliveryOf("notifications")
	_, err := s.DB.W.ExecContext(ctx, `UPDATE notifications SET mail_state = CASE
			WHEN read_at IS NOT NULL THEN 'read'
			WHEN `+d+` <> 'now' THEN `+d+`
			ELSE 'skipped' END
		WHERE mail_state IS NULL AND (read_at IS NOT NULL OR created_at < ? OR `+d+` <> 'now')`,
		db.FormatTime(now.Add(-MaxAge)))
	return err
}

// Due returns the accounts with entries waiting for an immediate email
// whose last such email is at least Gap old.
func (s *Store) Due(ctx context.Context, now time.Time) ([]int64, error) {
	return db.Column[int64](ctx, s.DB.R, `SELECT DISTINCT n.account_id FROM notifications n
		WHERE n.mail_state IS NULL
		AND NOT EXISTS (SELECT 1 FROM notification_emails e WHERE e.account_id = n.account_id AND e.created_at > ?)`,
		db.FormatTime(now.Add(-Gap)))
}

// Pending returns account's entries waiting for an immediate email,
// oldest first.
func (s *Store) Pending(ctx context.Context, account int64) ([]*Notification, error) {
	return scan(s.DB.R.QueryContext(ctx, `SELECT `+columns+` FROM notifications WHERE account_id = ? AND mail_state IS NULL ORDER BY id`, account))
}

// Skip marks entries that no email can carry (an inactive account, an
// address the mail server refused), inside tx.
func Skip(ctx context.Context, tx db.Querier, ids []int64) error {
	return setState(ctx, tx, ids, "skipped", 0)
}

func setState(ctx context.Context, tx db.Querier, ids []int64, state string, email int64) error {
	if len(ids) == 0 {
		return nil
	}
	var e any
	if email != 0 {
		e = email
	}
	_, err := tx.ExecContext(ctx, `UPDATE notifications SET mail_state = ?, email_id = ?
		WHERE mail_state IS NULL AND id IN (SELECT value FROM json_each(?))`, state, e, db.IDList(ids))
	return err
}

// Sent records an immediate email to account, telling of the entries ids
// (of kinds), queued in the outbox as outboxID, whose unsubscribe links
// carry token; inside the transaction that queued it.
func Sent(ctx context.Context, tx db.Querier, at time.Time, account int64, kinds []string, ids []int64, token string, outboxID int64) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO notification_emails (account_id, kinds, outbox_id, unsub_token_hash, created_at) VALUES (?, ?, ?, ?, ?)`,
		account, strings.Join(kinds, ","), outboxID, tokens.Hash(token), db.FormatTime(at))
	if err != nil {
		return err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return err
	}
	return setState(ctx, tx, ids, "sent", id)
}

// ForDigest returns account's entries created in [from, to) that wait
// for the digest, oldest first, at most limit. Comments on followed
// practices are left out: the digest has its own section for them.
func (s *Store) ForDigest(ctx context.Context, account int64, from, to time.Time, limit int) ([]*Notification, error) {
	return scan(s.DB.R.QueryContext(ctx, `SELECT `+columns+` FROM notifications n WHERE `+forDigest+` ORDER BY n.id LIMIT ?`,
		account, db.FormatTime(from), db.FormatTime(to), Comment, limit))
}

// CountForDigest counts what ForDigest would return without a limit.
func (s *Store) CountForDigest(ctx context.Context, account int64, from, to time.Time) (int, error) {
	var n int
	err := s.DB.R.QueryRowContext(ctx, `SELECT count(*) FROM notifications n WHERE `+forDigest,
		account, db.FormatTime(from), db.FormatTime(to), Comment).Scan(&n)
	return n, err
}

var forDigest = `n.account_id = ? AND n.created_at >= ? AND n.created_at < ? AND n.read_at IS NULL AND n.kind <> ?
	AND (n.mail_state = 'digest' OR (n.mail_state IS NULL AND ` + deliveryOf("n") + ` = 'digest'))`

// ErrTokenInvalid answers an unknown unsubscribe link.
var ErrTokenInvalid = apperr.New(apperr.Gone, "unsubscribe.notices_invalid")

// Unsubscription is what an email's unsubscribe link names.
type Unsubscription struct {
	AccountID int64
	Kinds     []string // what the link turns off
	Done      bool     // turned off already
}

// ByToken reads what the unsubscribe link token of an immediate email
// names; kind, when not empty, narrows it to one of the email's kinds.
func (s *Store) ByToken(ctx context.Context, token, kind string) (*Unsubscription, error) {
	return byToken(ctx, s.DB.R, token, kind)
}

func byToken(ctx context.Context, q db.Querier, token, kind string) (*Unsubscription, error) {
	var u Unsubscription
	var kinds string
	err := q.QueryRowContext(ctx, `SELECT account_id, kinds FROM notification_emails WHERE unsub_token_hash = ?`, tokens.Hash(token)).
		Scan(&u.AccountID, &kinds)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrTokenInvalid
	}
	if err != nil {
		return nil, err
	}
	u.Kinds = strings.Split(kinds, ",")
	if kind != "" {
		if !slices.Contains(u.Kinds, kind) {
			return nil, ErrTokenInvalid
		}
		u.Kinds = []string{kind}
	}
	u.Done = true
	for _, k := range u.Kinds {
		var d string
		if err := q.QueryRowContext(ctx, `SELECT coalesce((SELECT delivery FROM notification_prefs WHERE account_id = ? AND kind = ?), '')`,
			u.AccountID, k).Scan(&d); err != nil {
			return nil, err
		}
		if Delivery(d) != Never {
			u.Done = false
		}
	}
	return &u, nil
}

// Unsubscribe turns off email for the kinds the link names (every kind
// of its email, or kind): the person's choice becomes Never. Using the
// link again changes nothing and answers the same.
func (s *Store) Unsubscribe(ctx context.Context, token, kind string, at time.Time) (*Unsubscription, error) {
	var u *Unsubscription
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if u, err = byToken(ctx, tx, token, kind); err != nil {
			return err
		}
		prefs := map[string]Delivery{}
		for _, k := range u.Kinds {
			prefs[k] = Never
		}
		if err := setPrefs(ctx, tx, u.AccountID, prefs); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE notification_emails SET unsubscribed_at = coalesce(unsubscribed_at, ?) WHERE unsub_token_hash = ?`,
			db.FormatTime(at), tokens.Hash(token))
		u.Done = true
		return err
	})
	return u, err
}
