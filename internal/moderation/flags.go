package moderation

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"
	"unicode/utf8"

	"puente/db"
	"puente/internal/accounts"
	"puente/internal/apperr"
	"puente/internal/mail"
	"puente/internal/modlog"
	"puente/internal/notifications"
	"puente/internal/practices"
	"puente/internal/sanitize"
)

// FlagReasons are why a member may flag an item.
var FlagReasons = []string{"spam", "off_topic", "sensitive", "offensive", "other"}

// Flag records that v thinks an item breaks the rules. A member flags an
// item once; they must be able to see it, and not be its author. When the
// item is flagged for the first time, moderators who asked are emailed.
func (s *Store) Flag(ctx context.Context, v practices.Viewer, t Target, reason, details string) error {
	if !v.Member() {
		return apperr.New(apperr.Unauthorized, "error.signin_needed")
	}
	if !t.Valid() {
		return apperr.New(apperr.NotFound, "error.not_found")
	}
	if err := s.visible(ctx, v, t); err != nil {
		return err
	}
	details = sanitize.Plain(details)
	switch {
	case !slices.Contains(FlagReasons, reason):
		return apperr.New(apperr.Unprocessable, "flag.reason_required")
	case reason == "other" && details == "":
		return apperr.New(apperr.Unprocessable, "flag.details_required")
	case utf8.RuneCountInString(details) > MaxReason:
		return apperr.New(apperr.Unprocessable, "moderation.reason_too_long")
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		it, err := loadItem(ctx, tx, t)
		if err != nil {
			return err
		}
		if it.authorID == v.AccountID {
			return apperr.New(apperr.Conflict, "flag.own_item")
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO flags (target_type, target_id, account_id, reason, details, created_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, t.Type, t.ID, v.AccountID, reason, details, db.FormatTime(now))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			st, err := flagState(ctx, tx, v.AccountID, t)
			if err != nil {
				return err
			}
			return alreadyFlagged(st)
		}
		res, err = tx.ExecContext(ctx, `INSERT INTO flag_notices (target_type, target_id, sent_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
			t.Type, t.ID, db.FormatTime(now))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // moderators were told about this item already
		}
		mods, err := accounts.FlagWatchers(ctx, tx)
		if err != nil {
			return err
		}
		for _, m := range mods {
			if err := s.notify(ctx, tx, Notice{To: m, Email: &mail.FlagNotice{Title: it.label, Reason: reason, Type: t.Type}}); err != nil {
				return err
			}
		}
		return nil
	})
}

// visible checks that v can see the item (404 otherwise).
func (s *Store) visible(ctx context.Context, v practices.Viewer, t Target) error {
	switch t.Type {
	case "practice":
		_, err := s.Practices.Get(ctx, v, t.ID)
		return err
	case "comment":
		c, err := s.Comments.Get(ctx, v, t.ID)
		if err != nil {
			return err
		}
		if c.Deleted() || (c.Hidden() && c.AuthorID != v.AccountID && !v.Staff()) {
			return apperr.New(apperr.NotFound, "error.not_found")
		}
		return nil
	}
	return apperr.New(apperr.NotFound, "error.not_found")
}

// FlagGroup is the open flags on one item, for the moderators' queue.
type FlagGroup struct {
	Target     Target
	AuthorID   int64 // who wrote the item
	PracticeID int64
	Label      string // the practice's title
	Excerpt    string // the comment's text, for a comment
	Hidden     bool
	Count      int
	Reasons    map[string]int
	Details    []string
	FirstAt    time.Time
}

// FlagQueue groups the open flags by item, oldest first.
func (s *Store) FlagQueue(ctx context.Context) ([]*FlagGroup, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT target_type, target_id, reason, details, created_at FROM flags
		WHERE resolved_at IS NULL ORDER BY created_at, id`)
	if err != nil {
		return nil, err
	}
	var groups []*FlagGroup
	byKey := map[Target]*FlagGroup{}
	for rows.Next() {
		var t Target
		var reason, details, at string
		if err := rows.Scan(&t.Type, &t.ID, &reason, &details, &at); err != nil {
			rows.Close()
			return nil, err
		}
		g := byKey[t]
		if g == nil {
			g = &FlagGroup{Target: t, Reasons: map[string]int{}}
			g.FirstAt, _ = db.ParseTime(at)
			byKey[t] = g
			groups = append(groups, g)
		}
		g.Count++
		g.Reasons[reason]++
		if details != "" {
			g.Details = append(g.Details, details)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		for _, g := range groups {
			it, err := loadItem(ctx, tx, g.Target)
			if err != nil {
				return err
			}
			g.AuthorID, g.PracticeID, g.Label, g.Hidden = it.authorID, it.practice, it.label, it.hidden
			g.Excerpt = it.excerpt
		}
		return nil
	})
	return groups, err
}

// DismissFlags closes the open flags on an item without acting on it.
func (s *Store) DismissFlags(ctx context.Context, actor *accounts.Account, t Target, reason string) error {
	if err := staff(actor); err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		it, err := loadItem(ctx, tx, t)
		if err != nil {
			return err
		}
		if err := notOwn(actor, it.authorID); err != nil {
			return err
		}
		if err := s.tellFlaggers(ctx, tx, t, it, notifications.FlagDismissed, actor, now); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE flags SET resolved_at = ?, resolved_by = ?, resolution = 'dismissed'
			WHERE target_type = ? AND target_id = ? AND resolved_at IS NULL`, db.FormatTime(now), actor.ID, t.Type, t.ID)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		if n == 0 {
			return apperr.New(apperr.Conflict, "moderation.already_done")
		}
		_, err = modlog.Record(ctx, tx, now, modlog.Entry{ActorID: actor.ID, Action: modlog.FlagsDismissed, TargetType: t.Type, TargetID: t.ID,
			PracticeID: it.practice, CountryCode: it.country, Title: it.label, Note: sanitize.Plain(reason)})
		return err
	})
}

// FlagCount is how many open flags an item has, for moderators.
func (s *Store) FlagCount(ctx context.Context, t Target) (int, error) {
	var n int
	err := s.DB.R.QueryRowContext(ctx, `SELECT count(*) FROM flags WHERE target_type = ? AND target_id = ? AND resolved_at IS NULL`, t.Type, t.ID).Scan(&n)
	return n, err
}

// FlagState says where account's flag on the item stands: "" (none),
// "open", or how moderators resolved it ("dismissed", "actioned").
func (s *Store) FlagState(ctx context.Context, accountID int64, t Target) (string, error) {
	return flagState(ctx, s.DB.R, accountID, t)
}

func flagState(ctx context.Context, q db.Querier, accountID int64, t Target) (string, error) {
	var st string
	err := q.QueryRowContext(ctx, `SELECT CASE WHEN resolved_at IS NULL THEN 'open' ELSE coalesce(resolution, 'dismissed') END
		FROM flags WHERE target_type = ? AND target_id = ? AND account_id = ?`, t.Type, t.ID, accountID).Scan(&st)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return st, err
}

// alreadyFlagged is the answer to a second flag: still waiting, or what
// moderators decided.
func alreadyFlagged(state string) error {
	if state == "open" || state == "" {
		return apperr.New(apperr.Conflict, "flag.already")
	}
	return apperr.New(apperr.Conflict, "flag.already_"+state)
}

// Counts are the sizes of the moderators' queues, for the navigation.
type Counts struct{ Review, Changes, Flags, Appeals int }

// Total is the sum of the queues.
func (c Counts) Total() int { return c.Review + c.Changes + c.Flags + c.Appeals }

// QueueCounts counts what waits for moderators.
func (s *Store) QueueCounts(ctx context.Context) (Counts, error) {
	var c Counts
	var err error
	if c.Review, err = practices.CountSubmitted(ctx, s.DB.R); err != nil {
		return c, err
	}
	if c.Changes, err = practices.CountChanges(ctx, s.DB.R); err != nil {
		return c, err
	}
	// Versions in other languages waiting are changes too.
	versions, err := practices.PendingVersionsCount(ctx, s.DB.R)
	if err != nil {
		return c, err
	}
	c.Changes += versions
	files, err := practices.CountWaitingFiles(ctx, s.DB.R)
	if err != nil {
		return c, err
	}
	c.Changes += files
	err = s.DB.R.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM (SELECT DISTINCT target_type, target_id FROM flags WHERE resolved_at IS NULL)),
		(SELECT count(*) FROM appeals WHERE resolved_at IS NULL)`).Scan(&c.Flags, &c.Appeals)
	return c, err
}
