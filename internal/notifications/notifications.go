// Package notifications is each person's notification centre: what
// happened to them or their work, newest first, read or not. It owns the
// notifications table. Entries are added by the stores where the events
// happen, inside the events' own transactions, so that an event that
// commits always has its notifications and one that does not has none.
package notifications

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"puente/db"
)

// The kinds of notification.
const (
	Reply            = "reply"             // a reply to the person's comment
	Comment          = "comment"           // a comment on a practice they wrote or follow
	Published        = "published"         // their practice was published
	SentBack         = "sent_back"         // their practice was sent back, with a note
	Rejected         = "rejected"          // their practice was rejected, with a note
	PracticeHidden   = "practice_hidden"   // their practice was hidden
	PracticeRestored = "practice_restored" // their practice was shown again
	ChangeApproved   = "change_approved"   // their change to a published practice was approved
	ChangeReturned   = "change_returned"   // their change was sent back, with a note
	CommentHidden    = "comment_hidden"    // their comment was hidden
	CommentRestored  = "comment_restored"  // their comment was shown again
	AppealAnswered   = "appeal_answered"   // their appeal was decided
	FlagActioned     = "flag_actioned"     // what they flagged was hidden
	FlagDismissed    = "flag_dismissed"    // their flag was dismissed
	InviteAccepted   = "invite_accepted"   // a person they invited joined
	QueueWaiting     = "queue_waiting"     // something waits in the review queue (moderators; one until read)
	Adoption         = "adoption"          // a country recorded or updated its take-up of a practice they wrote or follow
	AdoptionHidden   = "adoption_hidden"   // their country's adoption record was hidden
	AdoptionRestored = "adoption_restored" // their country's adoption record was shown again
	Question         = "question"          // a question about a practice they wrote
	QuestionAnswered = "question_answered" // the answer to their question
	QuestionReminder = "question_reminder" // a question on their practice waits for an answer (once, after two weeks)
	QuestionHidden   = "question_hidden"   // the published exchange they asked was hidden
	QuestionRestored = "question_restored" // the published exchange they asked was shown again
	// For focal points: what no author answered on their country's practice.
	QuestionUnanswered = "question_unanswered" // a question waited two weeks without the author's answer
	ReviewUnanswered   = "review_unanswered"   // its author left the question "is it still current?" unanswered
)

// Kinds lists every kind.
var Kinds = []string{Reply, Comment, Published, SentBack, Rejected, PracticeHidden, PracticeRestored, ChangeApproved,
	ChangeReturned, CommentHidden, CommentRestored, AppealAnswered, FlagActioned, FlagDismissed, InviteAccepted, QueueWaiting,
	Adoption, AdoptionHidden, AdoptionRestored, Question, QuestionAnswered, QuestionReminder, QuestionHidden, QuestionRestored,
	QuestionUnanswered, ReviewUnanswered}

// Notification is one entry.
type Notification struct {
	ID         int64
	AccountID  int64
	Kind       string
	PracticeID int64
	CommentID  int64
	ActorID    int64
	Note       string // a moderator's note for the person, when the kind has one
	Detail     string // refines the kind: an appeal "upheld" or "reversed", an adoption's stage, a question's id
	CreatedAt  time.Time
	ReadAt     time.Time
	// Grouped counts the events the entry stands for: comments on one
	// practice gather into their reader's unread entry (AddGathered);
	// every other entry is one event.
	Grouped int
}

// Key is the catalogue key of the entry's sentence, which names the
// actor ({name}), the item ({title}) and, for gathered entries, how many
// ({count}).
func (n *Notification) Key() string { return SentenceKey(n.Kind, n.Grouped) }

// SentenceKey is the catalogue key of a notification of kind standing
// for count events.
func SentenceKey(kind string, count int) string {
	if count > 1 {
		return "notification." + kind + "_gathered"
	}
	return "notification." + kind
}

// Unread reports whether the person has not marked it read.
func (n *Notification) Unread() bool { return n.ReadAt.IsZero() }

// Add records n for each of the accounts to, but its actor, inside the
// caller's transaction.
func Add(ctx context.Context, tx db.Querier, at time.Time, n Notification, to ...int64) error {
	seen := map[int64]bool{n.ActorID: true}
	for _, id := range to {
		if id == 0 || seen[id] {
			continue
		}
		seen[id] = true
		var practice, comment, actor any
		if n.PracticeID != 0 {
			practice = n.PracticeID
		}
		if n.CommentID != 0 {
			comment = n.CommentID
		}
		if n.ActorID != 0 {
			actor = n.ActorID
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO notifications (account_id, kind, practice_id, comment_id, actor_id, note, detail, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, n.Kind, practice, comment, actor, n.Note, n.Detail, db.FormatTime(at)); err != nil {
			return err
		}
	}
	return nil
}

// AddSelected records n for each account the query selects (one column
// of account ids, written by the owner of what it reads), but its actor
// and except, in one statement inside the caller's transaction: a comment
// tells a practice's author and followers without a round trip each.
func AddSelected(ctx context.Context, tx db.Querier, at time.Time, n Notification, except int64, query string, args ...any) error {
	var practice, comment any
	if n.PracticeID != 0 {
		practice = n.PracticeID
	}
	if n.CommentID != 0 {
		comment = n.CommentID
	}
	_, err := tx.ExecContext(ctx, `WITH w(id) AS (`+query+`)
		INSERT INTO notifications (account_id, kind, practice_id, comment_id, actor_id, note, detail, created_at)
		SELECT id, ?, ?, ?, nullif(?, 0), ?, ?, ? FROM w WHERE id NOT IN (?, ?)`,
		append(append(append([]any(nil), args...), n.Kind, practice, comment, n.ActorID, n.Note, n.Detail, db.FormatTime(at)), n.ActorID, except)...)
	return err
}

// AddGathered is AddSelected for news that gathers (comments on a
// practice): an account whose newest unread entry of n's kind on n's
// practice will not be emailed on its own counts one more on that entry;
// the others get a new one. Nothing gathers for a person who wants the
// kind emailed at once, nor into an entry already emailed: every
// immediate email tells of each event it carries and of nothing after.
// Gathering changes no indexed column, so it writes one page where a new
// entry writes one in each index of the table.
func AddGathered(ctx context.Context, tx db.Querier, at time.Time, n Notification, except int64, query string, args ...any) error {
	if n.PracticeID == 0 {
		return errors.New("notifications: a gathered notification needs its practice")
	}
	to, err := db.Column[int64](ctx, tx, query, args...)
	if err != nil {
		return err
	}
	seen := map[int64]bool{n.ActorID: true, except: true, 0: true}
	var fresh []int64
	for _, id := range to {
		if seen[id] {
			continue
		}
		seen[id] = true
		// One row by its key, one statement per account: SQLite plans
		// "id IN (a subquery on this table)" far slower.
		res, err := tx.ExecContext(ctx, `UPDATE notifications SET grouped = grouped + 1
			WHERE id = (SELECT l.id FROM notifications l WHERE l.account_id = ? AND l.kind = ? AND l.practice_id = ? AND l.read_at IS NULL
				ORDER BY l.id DESC LIMIT 1)
			AND mail_state IS NOT 'sent'
			AND coalesce((SELECT p.delivery FROM notification_prefs p WHERE p.account_id = ? AND p.kind = ?), ?) <> 'now'`,
			id, n.Kind, n.PracticeID, id, n.Kind, string(Default(n.Kind)))
		if err != nil {
			return err
		}
		if k, err := res.RowsAffected(); err != nil {
			return err
		} else if k == 0 {
			fresh = append(fresh, id)
		}
	}
	return Add(ctx, tx, at, n, fresh...)
}

// AddOnce is Add for a kind that groups: an account that has an unread
// notification of n's kind gets no second one.
func AddOnce(ctx context.Context, tx db.Querier, at time.Time, n Notification, to ...int64) error {
	var fresh []int64
	for _, id := range to {
		var waiting bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM notifications WHERE account_id = ? AND kind = ? AND read_at IS NULL)`,
			id, n.Kind).Scan(&waiting); err != nil {
			return err
		}
		if !waiting {
			fresh = append(fresh, id)
		}
	}
	return Add(ctx, tx, at, n, fresh...)
}

// Store reads and marks a person's notifications.
type Store struct{ DB *db.DB }

// List returns account's notifications older than before (0: the newest),
// at most limit, newest first, and whether more follow.
func (s *Store) List(ctx context.Context, account, before int64, limit int) ([]*Notification, bool, error) {
	if before == 0 {
		before = 1<<62 - 1
	}
	out, err := scan(s.DB.R.QueryContext(ctx, `SELECT `+columns+` FROM notifications WHERE account_id = ? AND id < ? ORDER BY id DESC LIMIT ?`,
		account, before, limit+1))
	if err != nil {
		return nil, false, err
	}
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	return out, more, nil
}

const columns = `id, account_id, kind, coalesce(practice_id, 0), coalesce(comment_id, 0), coalesce(actor_id, 0),
	note, detail, created_at, coalesce(read_at, ''), grouped`

func scan(rows *sql.Rows, err error) ([]*Notification, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Notification
	for rows.Next() {
		n := &Notification{}
		var created, read string
		if err := rows.Scan(&n.ID, &n.AccountID, &n.Kind, &n.PracticeID, &n.CommentID, &n.ActorID, &n.Note, &n.Detail, &created, &read, &n.Grouped); err != nil {
			return nil, err
		}
		n.CreatedAt, _ = db.ParseTime(created)
		n.ReadAt, _ = db.ParseTime(read)
		out = append(out, n)
	}
	return out, rows.Err()
}

// Unread counts account's unread notifications.
func (s *Store) Unread(ctx context.Context, account int64) (int, error) {
	var n int
	err := s.DB.R.QueryRowContext(ctx, `SELECT count(*) FROM notifications WHERE account_id = ? AND read_at IS NULL`, account).Scan(&n)
	return n, err
}

// MarkRead marks one of account's notifications read (id), or all of
// them (id 0).
func (s *Store) MarkRead(ctx context.Context, account, id int64, at time.Time) error {
	_, err := s.DB.W.ExecContext(ctx, `UPDATE notifications SET read_at = ? WHERE account_id = ? AND read_at IS NULL AND (? = 0 OR id = ?)`,
		db.FormatTime(at), account, id, id)
	return err
}
