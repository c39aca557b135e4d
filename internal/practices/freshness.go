package practices

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"time"

	"puente/db"
	"puente/internal/apperr"
	"puente/internal/tokens"
)

// Freshness: a practice published (or last confirmed) long enough ago is
// put to its author, "is this practice still current?"; left unanswered
// for ReviewGrace it is marked "not reviewed since" until someone
// answers. An ongoing practice only: one that ended says so already.

// ReviewGrace is how long a question about a practice's currency waits
// before the practice is marked as not reviewed.
const ReviewGrace = 60 * 24 * time.Hour

// Review answers.
const (
	StillCurrent = "current"
	WillUpdate   = "update"
	HasEnded     = "ended"
)

// ReviewDue is a practice whose author is to be asked, with a fresh token
// for the email's answers.
type ReviewDue struct {
	Practice *Practice
	Token    string
	// Since is when it was published or last confirmed.
	Since time.Time
}

// DueForReview returns the practices to ask about now (published, in
// circulation, ongoing, published or confirmed at least months ago, not
// asked since), each with a new token; MarkAsked records the question.
func (s *Store) DueForReview(ctx context.Context, months, limit int) ([]ReviewDue, error) {
	cutoff := db.FormatTime(s.Clock.Now().AddDate(0, -months, 0))
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+listColumns+`, coalesce(r.reviewed_at, p.published_at) FROM practices p JOIN accounts a ON a.id = p.author_id
		LEFT JOIN practice_reviews r ON r.practice_id = p.id
		WHERE p.status = 'published' AND p.hidden_at IS NULL AND p.period_end IS NULL
		AND coalesce(r.reviewed_at, p.published_at) <= ?
		AND (r.asked_at IS NULL OR r.asked_at < coalesce(r.reviewed_at, p.published_at))
		ORDER BY coalesce(r.reviewed_at, p.published_at), p.id LIMIT ?`, cutoff, limit)
	if err != nil {
		return nil, err
	}
	var due []ReviewDue
	for rows.Next() {
		var since string
		p, err := scanPractice(scanWith(rows, &since))
		if err != nil {
			rows.Close()
			return nil, err
		}
		d := ReviewDue{Practice: p, Token: tokens.New()}
		d.Since, _ = db.ParseTime(since)
		due = append(due, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return due, nil
}

// MarkAsked records, inside the caller's transaction (the one that
// queues the emails), that d's author was asked, with its token.
func (s *Store) MarkAsked(ctx context.Context, tx *sql.Tx, d ReviewDue) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO practice_reviews (practice_id, asked_at, token_hash) VALUES (?, ?, ?)
		ON CONFLICT (practice_id) DO UPDATE SET asked_at = excluded.asked_at, token_hash = excluded.token_hash`,
		d.Practice.ID, db.FormatTime(s.Clock.Now()), tokens.Hash(d.Token))
	return err
}

// MarkUnreviewed marks, inside the caller's transaction, the practices
// whose question went unanswered for ReviewGrace, and returns them.
func (s *Store) MarkUnreviewed(ctx context.Context, q db.Querier) ([]int64, error) {
	now := s.Clock.Now()
	return db.Column[int64](ctx, q, `UPDATE practice_reviews SET stale_at = ?
		WHERE stale_at IS NULL AND asked_at IS NOT NULL AND asked_at <= ? AND (reviewed_at IS NULL OR reviewed_at < asked_at)
		RETURNING practice_id`, db.FormatTime(now), db.FormatTime(now.Add(-ReviewGrace)))
}

// Owners are practice id's author and countries, read inside the
// caller's transaction or on a pool: who answers for it.
func Owners(ctx context.Context, q db.Querier, id int64) (author int64, countries []string, err error) {
	if err := q.QueryRowContext(ctx, `SELECT author_id FROM practices WHERE id = ?`, id).Scan(&author); err != nil {
		return 0, nil, err
	}
	countries, err = db.Column[string](ctx, q, `SELECT country_code FROM practice_countries WHERE practice_id = ? ORDER BY country_code`, id)
	return author, countries, err
}

// ReviewByToken returns the practice an email's review token is about,
// while the question is open, and when it was last confirmed (or
// published).
func (s *Store) ReviewByToken(ctx context.Context, token string) (*Practice, time.Time, error) {
	var id int64
	var reviewed string
	err := s.DB.R.QueryRowContext(ctx, `SELECT practice_id, coalesce(reviewed_at, '') FROM practice_reviews WHERE token_hash = ?`, tokens.Hash(token)).Scan(&id, &reviewed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, time.Time{}, apperr.New(apperr.Gone, "review.link_used")
	}
	if err != nil {
		return nil, time.Time{}, err
	}
	p, err := s.get(ctx, s.DB.R, id)
	if err != nil {
		return nil, time.Time{}, err
	}
	since := p.PublishedAt
	if t, err := db.ParseTime(reviewed); err == nil && reviewed != "" {
		since = t
	}
	return p, since, nil
}

var reviewMonth = regexp.MustCompile(`^[12][0-9]{3}-(0[1-9]|1[0-2])$`)

// Review records the answer to "is this practice still current?": still
// current, or to be updated (both confirm it was looked at now), or ended
// in month (its period ends then). The practice is no longer marked, and
// the email's link stops working.
func (s *Store) Review(ctx context.Context, id int64, answer, month string) error {
	now := s.Clock.Now()
	switch answer {
	case StillCurrent, WillUpdate:
	case HasEnded:
		if !reviewMonth.MatchString(month) {
			return apperr.InvalidFields(apperr.FieldErrors{"month": "review.month_invalid"})
		}
		if month > now.Format("2006-01") {
			return apperr.InvalidFields(apperr.FieldErrors{"month": "review.month_future"})
		}
	default:
		return apperr.New(apperr.Invalid, "error.bad_request")
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		p, err := s.get(ctx, tx, id)
		if err != nil {
			return err
		}
		if p.Status != Published {
			return apperr.New(apperr.Conflict, "review.not_published")
		}
		if answer == HasEnded {
			if month < p.PeriodStart {
				return apperr.InvalidFields(apperr.FieldErrors{"month": "review.month_before_start"})
			}
			if _, err := tx.ExecContext(ctx, `UPDATE practices SET period_end = ?, updated_at = ? WHERE id = ?`, month, db.FormatTime(now), id); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO practice_reviews (practice_id, reviewed_at) VALUES (?, ?)
			ON CONFLICT (practice_id) DO UPDATE SET reviewed_at = excluded.reviewed_at, token_hash = NULL, stale_at = NULL`, id, db.FormatTime(now))
		return err
	})
}

// ReviewWaiting returns the practices whose question is open (asked, not
// answered), of those ids.
func (s *Store) ReviewWaiting(ctx context.Context, ids []int64) (map[int64]time.Time, error) {
	raw, err := db.Pairs[int64, string](ctx, s.DB.R, `SELECT practice_id, asked_at FROM practice_reviews
		WHERE practice_id IN (SELECT value FROM json_each(?)) AND asked_at IS NOT NULL AND (reviewed_at IS NULL OR reviewed_at < asked_at)`, db.IDList(ids))
	if err != nil {
		return nil, err
	}
	out := make(map[int64]time.Time, len(raw))
	for id, at := range raw {
		out[id], _ = db.ParseTime(at)
	}
	return out, nil
}

// Unreviewed returns the practices marked as not reviewed, oldest first,
// for moderators.
func (s *Store) Unreviewed(ctx context.Context, limit int) ([]*Practice, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+listColumns+` FROM practice_reviews r JOIN practices p ON p.id = r.practice_id
		JOIN accounts a ON a.id = p.author_id WHERE r.stale_at IS NOT NULL AND p.status = 'published'
		ORDER BY coalesce(r.reviewed_at, p.published_at), p.id LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	return collect(rows)
}

// SeedReview sets a practice's review record as given (a zero time is
// none), for seeded demonstration data: a practice confirmed lately, one
// asked and waiting, one marked as not reviewed.
func (s *Store) SeedReview(ctx context.Context, id int64, reviewed, asked, stale time.Time) error {
	var token any
	if !asked.IsZero() {
		token = tokens.Hash(tokens.New())
	}
	_, err := s.DB.W.ExecContext(ctx, `INSERT INTO practice_reviews (practice_id, reviewed_at, asked_at, token_hash, stale_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (practice_id) DO UPDATE SET reviewed_at = excluded.reviewed_at, asked_at = excluded.asked_at,
		token_hash = excluded.token_hash, stale_at = excluded.stale_at`, id, db.TimeOrNull(reviewed), db.TimeOrNull(asked), token, db.TimeOrNull(stale))
	return err
}
