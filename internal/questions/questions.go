// Package questions lets a member ask the people who ran a practice: the
// question goes to the practice's contact point and its author, the author
// answers, the asker is told, and the exchange stays private unless both
// agree to show it on the practice. An unanswered question reminds the
// author once. It owns the questions table.
package questions

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"puente/db"
	"puente/internal/accounts"
	"puente/internal/apperr"
	"puente/internal/clock"
	"puente/internal/notifications"
	"puente/internal/practices"
	"puente/internal/sanitize"
)

// Status is where a question stands.
type Status string

// The statuses.
const (
	Open     Status = "open"
	Answered Status = "answered"
	Closed   Status = "closed"
)

// MaxText is the longest question or answer, in characters.
const MaxText = 4000

// RemindAfter is how long a question waits for its answer before the
// author is reminded, once.
const RemindAfter = 14 * 24 * time.Hour

// Question is one question and its answer.
type Question struct {
	ID           int64
	PracticeID   int64
	Title        string // the practice's, for lists
	AskerID      int64
	AskerName    string
	AskerCountry string
	AuthorID     int64 // the practice's author, who answers
	Body         string
	Status       Status
	Answer       string
	AnsweredAt   time.Time
	AnsweredBy   string // who answered, by name
	AskerAgrees  bool
	AuthorAgrees bool
	CreatedAt    time.Time
	HiddenAt     time.Time
	HiddenReason string
}

// Hidden reports whether moderators hid the published exchange.
func (q *Question) Hidden() bool { return !q.HiddenAt.IsZero() }

// Public reports whether the exchange shows on the practice: answered,
// both sides agreed, not hidden.
func (q *Question) Public() bool {
	return q.Answer != "" && q.AskerAgrees && q.AuthorAgrees && !q.Hidden()
}

// Store reads and writes questions.
type Store struct {
	DB        *db.DB
	Clock     clock.Clock
	Practices *practices.Store
}

// ErrNotFound is a question that does not exist or that the reader may
// not see.
var ErrNotFound = apperr.New(apperr.NotFound, "error.not_found")

func check(text string) string {
	switch {
	case strings.TrimSpace(text) == "":
		return "field.required"
	case utf8.RuneCountInString(text) > MaxText:
		return "question.too_long"
	}
	return ""
}

// CanAsk reports whether v may ask about p: a member other than its
// author, on a published practice in circulation.
func CanAsk(v practices.Viewer, p *practices.Practice) bool {
	return v.Member() && p.AuthorID != v.AccountID && p.Status == practices.Published && !p.Hidden()
}

// Ask records a question from a about practice id, tells its author, and
// calls also inside the same transaction (to queue the email to the
// contact point), so a question is never sent without being recorded.
func (s *Store) Ask(ctx context.Context, v practices.Viewer, id int64, body string, also func(tx *sql.Tx, q *Question, p *practices.Practice) error) (int64, error) {
	p, err := s.Practices.GetHead(ctx, v, id) // its head holds the contact point; the sections are not needed
	if err != nil {
		return 0, err
	}
	if !CanAsk(v, p) {
		if p.AuthorID == v.AccountID {
			return 0, apperr.New(apperr.Forbidden, "question.own_practice")
		}
		return 0, apperr.New(apperr.Conflict, "question.not_published")
	}
	body = sanitize.Plain(body)
	if key := check(body); key != "" {
		return 0, apperr.InvalidFields(apperr.FieldErrors{"body": key})
	}
	now := s.Clock.Now()
	var qid int64
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO questions (practice_id, asker_id, body, created_at) VALUES (?, ?, ?, ?)`,
			p.ID, v.AccountID, body, db.FormatTime(now))
		if err != nil {
			return err
		}
		qid, _ = res.LastInsertId()
		n := notifications.Notification{Kind: notifications.Question, PracticeID: p.ID, ActorID: v.AccountID, Detail: strconv.FormatInt(qid, 10)}
		if err := notifications.Add(ctx, tx, now, n, p.AuthorID); err != nil {
			return err
		}
		if also == nil {
			return nil
		}
		return also(tx, &Question{ID: qid, PracticeID: p.ID, AskerID: v.AccountID, AuthorID: p.AuthorID, Body: body, Status: Open, CreatedAt: now}, p)
	})
	return qid, err
}

const columns = `q.id, q.practice_id, p.title, coalesce(q.asker_id, 0), coalesce(a.display_name, ''), coalesce(a.country_code, ''), p.author_id,
	q.body, q.status, q.answer, coalesce(q.answered_at, ''), coalesce(ab.display_name, ''), q.asker_agrees, q.author_agrees, q.created_at,
	coalesce(q.hidden_at, ''), q.hidden_reason`

const from = ` FROM questions q JOIN practices p ON p.id = q.practice_id LEFT JOIN accounts a ON a.id = q.asker_id
	LEFT JOIN accounts ab ON ab.id = q.answered_by `

func scan(rows *sql.Rows) ([]*Question, error) {
	defer rows.Close()
	var out []*Question
	for rows.Next() {
		q := &Question{}
		var answered, created, hidden string
		if err := rows.Scan(&q.ID, &q.PracticeID, &q.Title, &q.AskerID, &q.AskerName, &q.AskerCountry, &q.AuthorID, &q.Body, &q.Status, &q.Answer,
			&answered, &q.AnsweredBy, &q.AskerAgrees, &q.AuthorAgrees, &created, &hidden, &q.HiddenReason); err != nil {
			return nil, err
		}
		q.AnsweredAt, _ = db.ParseTime(answered)
		q.CreatedAt, _ = db.ParseTime(created)
		q.HiddenAt, _ = db.ParseTime(hidden)
		out = append(out, q)
	}
	return out, rows.Err()
}

func (s *Store) read(ctx context.Context, q db.Querier, where string, args ...any) ([]*Question, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+columns+from+`WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	return scan(rows)
}

// Get returns question id for its asker, the practice's author and staff,
// while the practice is one they may see.
func (s *Store) Get(ctx context.Context, v practices.Viewer, id int64) (*Question, *practices.Practice, error) {
	list, err := s.read(ctx, s.DB.R, `q.id = ?`, id)
	if err != nil {
		return nil, nil, err
	}
	if len(list) == 0 || !v.Member() {
		return nil, nil, ErrNotFound
	}
	q := list[0]
	p, err := s.Practices.GetHead(ctx, v, q.PracticeID)
	if apperr.Is(err, apperr.NotFound) {
		return nil, nil, ErrNotFound
	}
	if err != nil {
		return nil, nil, err
	}
	// Its two sides and staff read it, and the focal points of the
	// practice's countries, who follow up what the author leaves.
	focal := v.FocalCountry != "" && slices.Contains(p.Countries, v.FocalCountry)
	if q.AskerID != v.AccountID && q.AuthorID != v.AccountID && !v.Staff() && !focal {
		return nil, nil, ErrNotFound
	}
	return q, p, nil
}

// Answer records the author's answer and tells the asker. An answer may
// be corrected; the asker is told of the first.
func (s *Store) Answer(ctx context.Context, v practices.Viewer, id int64, text string) error {
	q, _, err := s.Get(ctx, v, id)
	if err != nil {
		return err
	}
	if q.AuthorID != v.AccountID {
		return apperr.New(apperr.Forbidden, "question.author_answers")
	}
	if q.Status == Closed {
		return apperr.New(apperr.Conflict, "question.closed")
	}
	text = sanitize.Plain(text)
	if key := check(text); key != "" {
		return apperr.InvalidFields(apperr.FieldErrors{"answer": key})
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE questions SET status = 'answered', answer = ?, answered_by = ?, answered_at = coalesce(answered_at, ?) WHERE id = ?`,
			text, v.AccountID, db.FormatTime(now), id); err != nil {
			return err
		}
		if q.Status != Open {
			return nil
		}
		n := notifications.Notification{Kind: notifications.QuestionAnswered, PracticeID: q.PracticeID, ActorID: v.AccountID, Detail: strconv.FormatInt(id, 10)}
		return notifications.Add(ctx, tx, now, n, q.AskerID)
	})
}

// Close ends the exchange, by its asker or the author.
func (s *Store) Close(ctx context.Context, v practices.Viewer, id int64) error {
	q, _, err := s.Get(ctx, v, id)
	if err != nil {
		return err
	}
	if q.AskerID != v.AccountID && q.AuthorID != v.AccountID {
		return apperr.New(apperr.Forbidden, "question.parties_only")
	}
	if q.Status == Closed {
		return apperr.New(apperr.Conflict, "question.closed")
	}
	_, err = s.DB.W.ExecContext(ctx, `UPDATE questions SET status = 'closed', closed_at = ? WHERE id = ?`, db.FormatTime(s.Clock.Now()), id)
	return err
}

// Agree records whether the asker or the author agrees to show the
// exchange on the practice; it shows once both do.
func (s *Store) Agree(ctx context.Context, v practices.Viewer, id int64, agree bool) error {
	q, _, err := s.Get(ctx, v, id)
	if err != nil {
		return err
	}
	col := ""
	switch v.AccountID {
	case q.AskerID:
		col = "asker_agrees"
	case q.AuthorID:
		col = "author_agrees"
	default:
		return apperr.New(apperr.Forbidden, "question.parties_only")
	}
	if q.Answer == "" {
		return apperr.New(apperr.Conflict, "question.not_answered")
	}
	_, err = s.DB.W.ExecContext(ctx, `UPDATE questions SET `+col+` = ? WHERE id = ?`, agree, id)
	return err
}

// Published returns the exchanges shown on practice p (which the caller
// read as v may see it): answered, agreed by both, and not hidden unless
// v is staff.
func (s *Store) Published(ctx context.Context, v practices.Viewer, p *practices.Practice) ([]*Question, error) {
	list, err := s.read(ctx, s.DB.R, `q.practice_id = ? AND q.answer <> '' AND q.asker_agrees AND q.author_agrees ORDER BY q.answered_at, q.id`, p.ID)
	if err != nil {
		return nil, err
	}
	out := list[:0]
	for _, q := range list {
		if !q.Hidden() || v.Staff() {
			out = append(out, q)
		}
	}
	return out, nil
}

// ToAnswer returns the open questions on the practices account wrote,
// oldest first; Asked those account asked, newest first.
func (s *Store) ToAnswer(ctx context.Context, account int64) ([]*Question, error) {
	return s.read(ctx, s.DB.R, `p.author_id = ? AND q.status = 'open' ORDER BY q.created_at, q.id`, account)
}

// Asked returns the questions account asked, newest first.
func (s *Store) Asked(ctx context.Context, account int64) ([]*Question, error) {
	return s.read(ctx, s.DB.R, `q.asker_id = ? ORDER BY q.id DESC LIMIT 50`, account)
}

// Remind tells the author of each question open for RemindAfter, once,
// and returns how many were reminded.
func (s *Store) Remind(ctx context.Context) (int, error) {
	now := s.Clock.Now()
	due, err := s.read(ctx, s.DB.R, `q.status = 'open' AND q.reminded_at IS NULL AND q.created_at <= ? ORDER BY q.created_at LIMIT 500`,
		db.FormatTime(now.Add(-RemindAfter)))
	if err != nil {
		return 0, err
	}
	for _, q := range due {
		err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
			res, err := tx.ExecContext(ctx, `UPDATE questions SET reminded_at = ? WHERE id = ? AND reminded_at IS NULL AND status = 'open'`, db.FormatTime(now), q.ID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil
			}
			n := notifications.Notification{Kind: notifications.QuestionReminder, PracticeID: q.PracticeID, ActorID: q.AskerID, Detail: strconv.FormatInt(q.ID, 10)}
			if err := notifications.Add(ctx, tx, now, n, q.AuthorID); err != nil {
				return err
			}
			// The practice's countries' focal points learn that it waits.
			_, countries, err := practices.Owners(ctx, tx, q.PracticeID)
			if err != nil {
				return err
			}
			focal, err := accounts.FocalPointsOf(ctx, tx, countries)
			if err != nil {
				return err
			}
			focal = slices.DeleteFunc(focal, func(a int64) bool { return a == q.AuthorID || a == q.AskerID })
			n.Kind = notifications.QuestionUnanswered
			return notifications.Add(ctx, tx, now, n, focal...)
		})
		if err != nil {
			return 0, err
		}
	}
	return len(due), nil
}

// Item is what moderation needs of an exchange.
type Item struct {
	PracticeID int64
	AskerID    int64
	Country    string
	Hidden     bool
}

// Load reads question id inside the caller's transaction, for moderation.
func Load(ctx context.Context, q db.Querier, id int64) (*Item, error) {
	it := &Item{}
	var asker sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT q.practice_id, q.asker_id, coalesce(a.country_code, ''), q.hidden_at IS NOT NULL
		FROM questions q LEFT JOIN accounts a ON a.id = q.asker_id WHERE q.id = ?`, id).Scan(&it.PracticeID, &asker, &it.Country, &it.Hidden)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	it.AskerID = asker.Int64
	return it, err
}

// SetHidden hides (at not zero, with the moderators' note) or restores a
// published exchange, inside the caller's transaction.
func SetHidden(ctx context.Context, q db.Querier, id int64, at time.Time, note string) error {
	_, err := q.ExecContext(ctx, `UPDATE questions SET hidden_at = ?, hidden_reason = ? WHERE id = ?`, db.TimeOrNull(at), note, id)
	return err
}

// PracticeOf returns the practice of question id, if v may see that
// practice.
func (s *Store) PracticeOf(ctx context.Context, v practices.Viewer, id int64) (int64, error) {
	it, err := Load(ctx, s.DB.R, id)
	if err != nil {
		return 0, err
	}
	if _, _, err := s.Practices.Status(ctx, v, it.PracticeID); err != nil {
		return 0, err
	}
	return it.PracticeID, nil
}
