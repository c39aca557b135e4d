// Package mail queues outgoing email in the outbox table and delivers it,
// through SMTP when configured and otherwise as .eml files in a folder.
// A 4xx answer is retried with backoff; a 5xx marks the message failed.
package mail

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	netmail "net/mail"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	gomail "github.com/wneessen/go-mail"

	"puente/db"
	"puente/internal/clock"
	"puente/internal/tokens"
)

// Message is one email to one person, composed in their language.
type Message struct {
	Kind    string // invitation, password_reset, digest, ...
	To      string
	ToName  string
	Subject string
	Text    string
	HTML    string
	// Headers are extra header fields, such as List-Unsubscribe.
	Headers map[string]string
}

// Sender hands one composed message to the outside world.
type Sender interface {
	Send(ctx context.Context, m *gomail.Msg) error
	// Describe names where messages go, for the log.
	Describe() string
}

// Outbox stores messages and delivers them in the background.
type Outbox struct {
	DB     *db.DB
	Clock  clock.Clock
	Sender Sender
	From   *netmail.Address
	// MessageIDHost is the right-hand side of generated Message-IDs.
	MessageIDHost string
	Log           *slog.Logger
	// MaxAttempts is how many temporary failures a message survives.
	MaxAttempts int
	// Backoff is the wait after the nth temporary failure.
	Backoff func(attempt int) time.Duration
	// Poll is how often the worker looks for due messages when not woken.
	Poll time.Duration
	// OnFailed, if set, learns of each message that failed for good, so
	// that the sender of its kind can react (stop writing to the address).
	OnFailed func(ctx context.Context, q *Queued, err error)

	wakeOnce sync.Once
	wake     chan struct{}

	sent, deferred, failed atomic.Uint64
}

// Deliveries counts this process's delivery attempts by outcome: handed
// to the mail server, deferred to be tried again, failed for good.
func (o *Outbox) Deliveries() (sent, deferred, failed uint64) {
	return o.sent.Load(), o.deferred.Load(), o.failed.Load()
}

// Backlog is the state of the queue.
type Backlog struct {
	Queued int       // waiting to be sent, or being sent
	Failed int       // failed for good, ever
	Oldest time.Time // when the oldest message still waiting was written; zero if none
}

// Backlog reads the queue's state, for monitoring and the readiness check.
func (o *Outbox) Backlog(ctx context.Context) (Backlog, error) {
	var b Backlog
	var oldest sql.NullString
	// Each count reads a partial index of its own status.
	err := o.DB.R.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM outbox WHERE status = 'pending') + (SELECT count(*) FROM outbox WHERE status = 'sending'),
		(SELECT count(*) FROM outbox WHERE status = 'failed'),
		(SELECT min(created_at) FROM outbox WHERE status = 'pending')`).Scan(&b.Queued, &b.Failed, &oldest)
	if err != nil {
		return b, err
	}
	if oldest.Valid {
		if b.Oldest, err = db.ParseTime(oldest.String); err != nil {
			return b, err
		}
	}
	return b, nil
}

// DefaultBackoff waits a minute after the first failure, doubling to at
// most an hour.
func DefaultBackoff(attempt int) time.Duration {
	d := time.Minute << min(attempt-1, 6)
	return min(d, time.Hour)
}

func (o *Outbox) wakeChan() chan struct{} {
	o.wakeOnce.Do(func() { o.wake = make(chan struct{}, 1) })
	return o.wake
}

// Notify wakes the worker after a message was queued.
func (o *Outbox) Notify() {
	select {
	case o.wakeChan() <- struct{}{}:
	default:
	}
}

// Enqueue stores m inside tx, so the message exists exactly when the
// change that caused it does. Call Notify after the commit.
func (o *Outbox) Enqueue(ctx context.Context, tx *sql.Tx, m Message) (int64, error) {
	if m.To == "" || m.Subject == "" || m.Text == "" {
		return 0, errors.New("mail: message needs a recipient, a subject and a text part")
	}
	headers, err := json.Marshal(m.Headers)
	if err != nil {
		return 0, err
	}
	if m.Headers == nil {
		headers = []byte("{}")
	}
	now := db.FormatTime(o.Clock.Now())
	msgID := fmt.Sprintf("<%s@%s>", tokens.New()[:24], o.MessageIDHost)
	res, err := tx.ExecContext(ctx, `INSERT INTO outbox (kind, to_addr, to_name, subject, text_body, html_body, headers, message_id, next_attempt_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, m.Kind, m.To, m.ToName, m.Subject, m.Text, m.HTML, string(headers), msgID, now, now)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// Queued is a stored message with its delivery state.
type Queued struct {
	Message
	ID        int64
	MessageID string
	Status    string
	Attempts  int
	LastError string
	CreatedAt time.Time
}

// Build turns a stored message into a MIME message with a text and an
// HTML part.
func (o *Outbox) Build(q *Queued) (*gomail.Msg, error) {
	m := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	m.FromMailAddress(o.From)
	if q.ToName != "" {
		if err := m.AddToFormat(q.ToName, q.To); err != nil {
			return nil, err
		}
	} else if err := m.To(q.To); err != nil {
		return nil, err
	}
	m.Subject(q.Subject)
	m.SetMessageIDWithValue(strings.Trim(q.MessageID, "<>"))
	m.SetDateWithValue(q.CreatedAt)
	for k, v := range q.Headers {
		m.SetGenHeader(gomail.Header(k), v)
	}
	m.SetBodyString(gomail.TypeTextPlain, q.Text)
	if q.HTML != "" {
		m.AddAlternativeString(gomail.TypeTextHTML, q.HTML)
	}
	return m, nil
}

const queuedColumns = `id, kind, to_addr, to_name, subject, text_body, html_body, headers, message_id, status, attempts, last_error, created_at`

func scanQueued(r interface{ Scan(...any) error }) (*Queued, error) {
	var q Queued
	var headers, created string
	if err := r.Scan(&q.ID, &q.Kind, &q.To, &q.ToName, &q.Subject, &q.Text, &q.HTML, &headers, &q.MessageID, &q.Status, &q.Attempts, &q.LastError, &created); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(headers), &q.Headers); err != nil {
		return nil, err
	}
	q.CreatedAt, _ = db.ParseTime(created)
	return &q, nil
}

// claim marks the next due message as being sent and returns it, or nil.
func (o *Outbox) claim(ctx context.Context) (*Queued, error) {
	// The next message due, unless one to the same address is being sent:
	// a person's messages arrive in the order they were written.
	q, err := scanQueued(o.DB.W.QueryRowContext(ctx, `UPDATE outbox SET status = 'sending', attempts = attempts + 1
		WHERE id = (SELECT o.id FROM outbox o WHERE o.status = 'pending' AND o.next_attempt_at <= ?
			AND NOT EXISTS (SELECT 1 FROM outbox s WHERE s.status = 'sending' AND s.to_addr = o.to_addr)
			ORDER BY o.next_attempt_at, o.id LIMIT 1)
		RETURNING `+queuedColumns, db.FormatTime(o.Clock.Now())))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return q, err
}

// RecoverInterrupted puts back messages left "sending" by a process that
// stopped mid-send. Such a message may have reached the server already;
// sending it again is the one duplicate the outbox can make.
func (o *Outbox) RecoverInterrupted(ctx context.Context) (int64, error) {
	res, err := o.DB.W.ExecContext(ctx, `UPDATE outbox SET status = 'pending' WHERE status = 'sending'`)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Permanent reports whether a delivery error must not be retried: the
// server answered 5xx, or the message itself cannot be built.
func Permanent(err error) bool {
	var se *gomail.SendError
	if errors.As(err, &se) {
		if code := se.ErrorCode(); code >= 500 && code < 600 {
			return true
		}
		return false
	}
	var pe *permanentError
	return errors.As(err, &pe)
}

type permanentError struct{ err error }

func (p *permanentError) Error() string { return p.err.Error() }
func (p *permanentError) Unwrap() error { return p.err }

// SendDue delivers every message that is due now and returns how many it
// tried. It stops early, between messages, when ctx ends.
func (o *Outbox) SendDue(ctx context.Context) (int, error) {
	var tried atomic.Int64
	var mu sync.Mutex
	var first error
	var wg sync.WaitGroup
	for range sendWorkers {
		wg.Go(func() {
			for ctx.Err() == nil {
				q, err := o.claim(ctx)
				if err != nil {
					mu.Lock()
					first = cmp.Or(first, err)
					mu.Unlock()
					return
				}
				if q == nil {
					return
				}
				tried.Add(1)
				o.deliver(ctx, q)
			}
		})
	}
	wg.Wait()
	return int(tried.Load()), first
}

// sendWorkers is how many messages are handed to the mail server at once:
// each on a connection of its own, so that one slow answer (or the
// database's commit of the last outcome) does not hold up the rest. One
// person's messages still go one after another, in order (see claim). A
// weekly digest to 10,000 accounts goes out in about a third of the time
// one at a time took.
const sendWorkers = 4

func (o *Outbox) deliver(ctx context.Context, q *Queued) {
	// A send under way finishes even when shutdown begins.
	sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
	defer cancel()
	msg, err := o.Build(q)
	if err != nil {
		err = &permanentError{err}
	} else {
		err = o.Sender.Send(sendCtx, msg)
	}
	now := o.Clock.Now()
	log := o.Log.With("outbox_id", q.ID, "kind", q.Kind, "attempt", q.Attempts)
	switch {
	case err == nil:
		o.sent.Add(1)
		_, err = o.DB.W.ExecContext(sendCtx, `UPDATE outbox SET status = 'sent', sent_at = ?, last_error = '' WHERE id = ?`, db.FormatTime(now), q.ID)
		log.Info("mail sent", "via", o.Sender.Describe())
	case Permanent(err) || q.Attempts >= o.maxAttempts():
		o.failed.Add(1)
		log.Warn("mail failed", "err", err)
		cause := err
		_, err = o.DB.W.ExecContext(sendCtx, `UPDATE outbox SET status = 'failed', last_error = ? WHERE id = ?`, truncate(cause.Error(), 1000), q.ID)
		if err == nil && o.OnFailed != nil && Permanent(cause) {
			o.OnFailed(sendCtx, q, cause)
		}
	default:
		o.deferred.Add(1)
		wait := o.backoff(q.Attempts)
		log.Warn("mail deferred", "err", err, "retry_in", wait.String())
		_, err = o.DB.W.ExecContext(sendCtx, `UPDATE outbox SET status = 'pending', last_error = ?, next_attempt_at = ? WHERE id = ?`,
			truncate(err.Error(), 1000), db.FormatTime(now.Add(wait)), q.ID)
	}
	if err != nil {
		log.Error("mail state not saved", "err", err)
	}
}

func (o *Outbox) maxAttempts() int {
	if o.MaxAttempts > 0 {
		return o.MaxAttempts
	}
	return 8
}

func (o *Outbox) backoff(attempt int) time.Duration {
	if o.Backoff != nil {
		return o.Backoff(attempt)
	}
	return DefaultBackoff(attempt)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// Run delivers messages until ctx ends, waking when notified and at every
// poll interval. A send under way when ctx ends is finished first.
func (o *Outbox) Run(ctx context.Context) {
	if n, err := o.RecoverInterrupted(ctx); err != nil {
		o.Log.Error("outbox recovery", "err", err)
	} else if n > 0 {
		o.Log.Warn("outbox: messages interrupted mid-send are queued again", "count", n)
	}
	poll := o.Poll
	if poll <= 0 {
		poll = 10 * time.Second
	}
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		if _, err := o.SendDue(ctx); err != nil && ctx.Err() == nil {
			o.Log.Error("outbox", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-o.wakeChan():
		}
	}
}

// ByID returns one stored message.
func (o *Outbox) ByID(ctx context.Context, id int64) (*Queued, error) {
	return scanQueued(o.DB.R.QueryRowContext(ctx, `SELECT `+queuedColumns+` FROM outbox WHERE id = ?`, id))
}

// DirSender writes each message as an .eml file, for development and for
// sites without SMTP.
type DirSender struct {
	Dir string
	Log *slog.Logger
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// Send writes m to a new file in the folder.
func (d *DirSender) Send(_ context.Context, m *gomail.Msg) error {
	if err := os.MkdirAll(d.Dir, 0o750); err != nil {
		return &permanentError{err}
	}
	var to string
	if addrs := m.GetTo(); len(addrs) > 0 {
		to = addrs[0].Address
	}
	name := fmt.Sprintf("%s-%s.eml", time.Now().UTC().Format("20060102T150405.000000"), unsafeName.ReplaceAllString(to, "_"))
	path := filepath.Join(d.Dir, name)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o640)
	if err != nil {
		return err
	}
	if _, err := m.WriteTo(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	d.Log.Info("mail written to file", "path", path)
	return nil
}

// Describe names the folder.
func (d *DirSender) Describe() string { return "folder " + d.Dir }
