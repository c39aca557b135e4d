package moderation

import (
	"context"
	"database/sql"
	"errors"
	"time"
	"unicode/utf8"

	"puente/db"
	"puente/internal/accounts"
	"puente/internal/apperr"
	"puente/internal/modlog"
	"puente/internal/notifications"
	"puente/internal/practices"
	"puente/internal/sanitize"
)

// appealable are the actions an author may appeal.
var appealable = map[string]bool{modlog.Reject: true, modlog.HidePractice: true, modlog.HideComment: true}

// Appeal is an author's request to reconsider a rejection or a hiding.
type Appeal struct {
	ID         int64
	Log        *modlog.Entry
	Target     Target
	PracticeID int64
	Label      string
	AuthorID   int64
	AuthorName string
	Message    string
	CreatedAt  time.Time
	ResolvedAt time.Time
	ResolvedBy int64
	Outcome    string
	Response   string
}

// AppealableAction returns the latest logged action on an item that its
// author may still appeal, or nil.
func (s *Store) AppealableAction(ctx context.Context, authorID int64, t Target) (*modlog.Entry, *Appeal, error) {
	var logID int64
	err := s.DB.R.QueryRowContext(ctx, `SELECT id FROM moderation_log WHERE target_type = ? AND target_id = ?
		AND action IN (?, ?, ?) ORDER BY id DESC LIMIT 1`, t.Type, t.ID, modlog.Reject, modlog.HidePractice, modlog.HideComment).Scan(&logID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	e, err := modlog.Get(ctx, s.DB.R, logID)
	if err != nil {
		return nil, nil, err
	}
	a, err := s.appealByLog(ctx, logID)
	if err != nil {
		return nil, nil, err
	}
	return e, a, nil
}

func (s *Store) appealByLog(ctx context.Context, logID int64) (*Appeal, error) {
	var id int64
	err := s.DB.R.QueryRowContext(ctx, `SELECT id FROM appeals WHERE log_id = ?`, logID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return s.GetAppeal(ctx, id)
}

// FileAppeal records the author's appeal of logged action logID, once.
func (s *Store) FileAppeal(ctx context.Context, author *accounts.Account, logID int64, message string) (*Appeal, error) {
	message = sanitize.Plain(message)
	switch {
	case message == "":
		return nil, apperr.New(apperr.Unprocessable, "appeal.message_required")
	case utf8.RuneCountInString(message) > MaxReason:
		return nil, apperr.New(apperr.Unprocessable, "moderation.reason_too_long")
	}
	var id int64
	now := s.Clock.Now()
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		e, err := modlog.Get(ctx, tx, logID)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "error.not_found")
		}
		if err != nil {
			return err
		}
		if !appealable[e.Action] {
			return apperr.New(apperr.Conflict, "appeal.not_appealable")
		}
		t := Target{Type: e.TargetType, ID: e.TargetID}
		it, err := loadItem(ctx, tx, t)
		if err != nil {
			return err
		}
		if it.authorID != author.ID {
			return apperr.New(apperr.Forbidden, "appeal.not_yours")
		}
		// The decision must still stand: a restored item has nothing to appeal.
		if e.Action == modlog.Reject {
			p, err := practices.Load(ctx, tx, t.ID)
			if err != nil {
				return err
			}
			if p.Status != practices.Rejected {
				return apperr.New(apperr.Conflict, "appeal.not_appealable")
			}
		} else if !it.hidden {
			return apperr.New(apperr.Conflict, "appeal.not_appealable")
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO appeals (log_id, target_type, target_id, author_id, message, created_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, logID, t.Type, t.ID, author.ID, message, db.FormatTime(now))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.Conflict, "appeal.already")
		}
		id, _ = res.LastInsertId()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.GetAppeal(ctx, id)
}

const appealColumns = `ap.id, ap.log_id, ap.target_type, ap.target_id, ap.author_id, ap.message, ap.created_at,
	coalesce(ap.resolved_at, ''), coalesce(ap.resolved_by, 0), coalesce(ap.outcome, ''), ap.response`

func (s *Store) scanAppeal(ctx context.Context, r interface{ Scan(...any) error }) (*Appeal, error) {
	var a Appeal
	var logID int64
	var created, resolved string
	if err := r.Scan(&a.ID, &logID, &a.Target.Type, &a.Target.ID, &a.AuthorID, &a.Message, &created, &resolved,
		&a.ResolvedBy, &a.Outcome, &a.Response); err != nil {
		return nil, err
	}
	a.CreatedAt, _ = db.ParseTime(created)
	a.ResolvedAt, _ = db.ParseTime(resolved)
	var err error
	if a.Log, err = modlog.Get(ctx, s.DB.R, logID); err != nil {
		return nil, err
	}
	names, err := s.Accounts.DisplayNames(ctx, []int64{a.AuthorID, a.Log.ActorID})
	if err != nil {
		return nil, err
	}
	a.AuthorName, a.Log.ActorName = names[a.AuthorID], names[a.Log.ActorID]
	return &a, nil
}

// GetAppeal returns one appeal.
func (s *Store) GetAppeal(ctx context.Context, id int64) (*Appeal, error) {
	a, err := s.scanAppeal(ctx, s.DB.R.QueryRowContext(ctx, `SELECT `+appealColumns+` FROM appeals ap WHERE ap.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "error.not_found")
	}
	return a, err
}

// AppealQueue lists open appeals, oldest first, with what they concern.
func (s *Store) AppealQueue(ctx context.Context) ([]*Appeal, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+appealColumns+` FROM appeals ap
		WHERE ap.resolved_at IS NULL ORDER BY ap.created_at, ap.id`)
	if err != nil {
		return nil, err
	}
	var out []*Appeal
	for rows.Next() {
		a, err := s.scanAppeal(ctx, rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		for _, a := range out {
			it, err := loadItem(ctx, tx, a.Target)
			if err != nil {
				return err
			}
			a.PracticeID, a.Label = it.practice, it.label
		}
		return nil
	})
	return out, err
}

// ResolveAppeal upholds or reverses the appealed decision. A moderator
// other than the one who acted must resolve it; reversing publishes a
// rejected practice or restores a hidden item. The author is told.
func (s *Store) ResolveAppeal(ctx context.Context, actor *accounts.Account, id int64, reverse bool, response, public string) error {
	if err := staff(actor); err != nil {
		return err
	}
	response, public = sanitize.Plain(response), sanitize.Plain(public)
	if err := checkNotes(response, public, true); err != nil {
		return err
	}
	a, err := s.GetAppeal(ctx, id)
	if err != nil {
		return err
	}
	if err := notOwn(actor, a.AuthorID); err != nil {
		return err
	}
	if a.Log.ActorID == actor.ID {
		return ErrOwnDecision
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		outcome, action := "upheld", modlog.AppealUpheld
		if reverse {
			outcome, action = "reversed", modlog.AppealReversed
		}
		res, err := tx.ExecContext(ctx, `UPDATE appeals SET resolved_at = ?, resolved_by = ?, outcome = ?, response = ? WHERE id = ? AND resolved_at IS NULL`,
			db.FormatTime(now), actor.ID, outcome, response, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.Conflict, "moderation.already_done")
		}
		if reverse {
			switch a.Log.Action {
			case modlog.Reject:
				// Back to the queue: its current text is reviewed before
				// anyone reads it.
				if err := practices.Transition(ctx, tx, now, a.Target.ID, practices.Submitted, "submitted_at", practices.Rejected); err != nil {
					return err
				}
				if err := practices.SetResubmission(ctx, tx, a.Target.ID, "appeal", ""); err != nil {
					return err
				}
			default:
				if _, err := s.hideTx(ctx, tx, actor, a.Target, false, "", "", now); err != nil {
					return err
				}
			}
		}
		it, err := loadItem(ctx, tx, a.Target)
		if err != nil {
			return err
		}
		if _, err := modlog.Record(ctx, tx, now, modlog.Entry{ActorID: actor.ID, Action: action, TargetType: a.Target.Type, TargetID: a.Target.ID,
			PracticeID: it.practice, CountryCode: it.country, Title: it.label, Note: response, Reason: public}); err != nil {
			return err
		}
		answered := notifications.Notification{Kind: notifications.AppealAnswered, PracticeID: it.practice, ActorID: actor.ID, Note: response, Detail: outcome}
		if a.Target.Type == "comment" {
			answered.CommentID = a.Target.ID
		}
		return notifications.Add(ctx, tx, now, answered, a.AuthorID)
	})
}
