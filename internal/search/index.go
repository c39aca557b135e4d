package search

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"puente/db"
	"puente/internal/sanitize"
)

type execQuerier interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	QueryRowContext(context.Context, string, ...any) *sql.Row
}

// Index writes practice id's row of the search index from what is stored,
// inside the caller's transaction, so the index changes with the data.
func Index(ctx context.Context, tx execQuerier, id int64) error {
	var title, summary, institutions, partners string
	sections := make([]string, 5)
	err := tx.QueryRowContext(ctx, `SELECT title, summary, institutions, partners,
		context_html, actions_html, results_html, lessons_html, adoption_html FROM practices WHERE id = ?`, id).
		Scan(&title, &summary, &institutions, &partners, &sections[0], &sections[1], &sections[2], &sections[3], &sections[4])
	if err == sql.ErrNoRows {
		if _, err := tx.ExecContext(ctx, `DELETE FROM practice_head_fts WHERE rowid = ?`, id); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM practice_fts WHERE rowid = ?`, id)
		return err
	}
	if err != nil {
		return err
	}
	var body strings.Builder
	for _, s := range sections {
		body.WriteString(sanitize.Text(s))
		body.WriteString("\n")
	}
	var places string
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(group_concat(name, ' '), '') FROM country_names
		WHERE country_code IN (SELECT country_code FROM practice_countries WHERE practice_id = ?)`, id).Scan(&places); err != nil {
		return err
	}
	places += " " + institutions + " " + partners
	rows, err := tx.QueryContext(ctx, `SELECT body_html FROM comments WHERE practice_id = ? AND deleted_at IS NULL AND hidden_at IS NULL ORDER BY id`, id)
	if err != nil {
		return err
	}
	var comments strings.Builder
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			rows.Close()
			return err
		}
		if comments.Len() < MaxCommentText {
			comments.WriteString(capText(sanitize.Text(h)+"\n", MaxCommentText-comments.Len()))
		}
	}
	rows.Close()
	// The full row holds every visible comment: none waits any more.
	if _, err := tx.ExecContext(ctx, `DELETE FROM search_pending_comments WHERE practice_id = ?`, id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM practice_fts WHERE rowid = ?`, id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM practice_head_fts WHERE rowid = ?`, id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO practice_head_fts (rowid, title, summary) VALUES (?, ?, ?)`, id, title, summary); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO practice_fts (rowid, title, summary, body, places, comments) VALUES (?, ?, ?, ?, ?, ?)`,
		id, title, summary, body.String(), places, comments.String())
	return err
}

// Reindex rebuilds the whole index, in batches, reporting progress.
func Reindex(ctx context.Context, d *db.DB, progress func(done int)) (int, error) {
	for _, table := range []string{"practice_fts", "practice_head_fts"} {
		if _, err := d.W.ExecContext(ctx, `DELETE FROM `+table); err != nil {
			return 0, err
		}
	}
	var after int64
	done := 0
	for {
		var ids []int64
		rows, err := d.R.QueryContext(ctx, `SELECT id FROM practices WHERE id > ? ORDER BY id LIMIT 1000`, after)
		if err != nil {
			return done, err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return done, err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if len(ids) == 0 {
			break
		}
		err = d.Tx(ctx, func(tx *sql.Tx) error {
			for _, id := range ids {
				if err := Index(ctx, tx, id); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return done, err
		}
		after = ids[len(ids)-1]
		done += len(ids)
		if progress != nil {
			progress(done)
		}
	}
	if _, err := d.W.ExecContext(ctx, `INSERT INTO practice_fts (practice_fts) VALUES ('optimize')`); err != nil {
		return done, err
	}
	_, err := d.W.ExecContext(ctx, `INSERT INTO practice_head_fts (practice_head_fts) VALUES ('optimize')`)
	return done, err
}

// QueueComment records, inside the caller's transaction, that a new comment
// is to be added to its practice's search row by the next Flush.
func QueueComment(ctx context.Context, tx execQuerier, commentID, practiceID int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO search_pending_comments (comment_id, practice_id) VALUES (?, ?)`, commentID, practiceID)
	return err
}

// flushMu lets one Flush run at a time: the others find nothing left.
var flushMu sync.Mutex

// Flush adds the waiting comments to their practices' search rows: each
// row is read back from the index, the comments' text appended, and the
// row written once, however many comments it gains. It returns how many
// comments it added.
func Flush(ctx context.Context, d *db.DB) (int, error) {
	waiting := func() (bool, error) {
		var some bool
		err := d.R.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM search_pending_comments)`).Scan(&some)
		return some, err
	}
	// Searches run side by side while nothing waits, which is the usual
	// case; only a flush with work to do takes the lock.
	if some, err := waiting(); err != nil || !some {
		return 0, err
	}
	flushMu.Lock()
	defer flushMu.Unlock()
	if some, err := waiting(); err != nil || !some {
		return 0, err
	}
	added := 0
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT q.comment_id, q.practice_id, c.body_html, c.deleted_at IS NULL AND c.hidden_at IS NULL
			FROM search_pending_comments q JOIN comments c ON c.id = q.comment_id ORDER BY q.practice_id, q.comment_id LIMIT 5000`)
		if err != nil {
			return err
		}
		type pending struct {
			practice int64
			text     strings.Builder
		}
		var order []*pending
		var ids []int64
		for rows.Next() {
			var cid, pid int64
			var html string
			var visible bool
			if err := rows.Scan(&cid, &pid, &html, &visible); err != nil {
				rows.Close()
				return err
			}
			if len(order) == 0 || order[len(order)-1].practice != pid {
				order = append(order, &pending{practice: pid})
			}
			if visible {
				order[len(order)-1].text.WriteString(sanitize.Text(html) + "\n")
				added++
			}
			ids = append(ids, cid)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, p := range order {
			if err := appendComments(ctx, tx, p.practice, p.text.String()); err != nil {
				return err
			}
		}
		// A practice indexed in full above has emptied its own queue; the
		// rest read here go now.
		_, err = tx.ExecContext(ctx, `DELETE FROM search_pending_comments WHERE comment_id IN (SELECT value FROM json_each(?))`, jsonList(ids))
		return err
	})
	return added, err
}

func jsonList(ids []int64) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	b.WriteByte(']')
	return b.String()
}

// appendComments adds text to practice id's row; a practice with no row
// yet is indexed in full.
func appendComments(ctx context.Context, tx execQuerier, id int64, text string) error {
	var title, summary, body, places, comments string
	err := tx.QueryRowContext(ctx, `SELECT title, summary, body, places, comments FROM practice_fts WHERE rowid = ?`, id).
		Scan(&title, &summary, &body, &places, &comments)
	if err == sql.ErrNoRows {
		return Index(ctx, tx, id)
	}
	if err != nil || text == "" {
		return err
	}
	// A thread past the cap adds nothing more, and its row is not
	// rewritten for every new comment.
	if text = capText(text, MaxCommentText-len(comments)); text == "" {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM practice_fts WHERE rowid = ?`, id); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO practice_fts (rowid, title, summary, body, places, comments) VALUES (?, ?, ?, ?, ?, ?)`,
		id, title, summary, body, places, comments+text)
	return err
}

// MaxCommentText caps the comments' text one practice puts in the index, in
// bytes: the oldest comments of a thread, up to this much, are searchable.
// However long a thread grows, its search row stays small to rewrite.
const MaxCommentText = 200_000

// capText is s cut to at most n bytes, on a character boundary.
func capText(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
