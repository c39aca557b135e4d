package search

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"puente/db"
	"puente/internal/sanitize"
)

// Doc is what the index holds of one practice, as its owner reads it.
type Doc struct {
	Title, Summary string
	// Sections are the rich-text sections, sanitised HTML.
	Sections []string
	// Places names the practice's countries (in every language), its
	// institutions and partners.
	Places string
}

// Source reads, inside the caller's transaction, what the index is made
// of from the tables' owners: the practices and their comments.
type Source struct {
	// Practice returns practice id, or false when there is none.
	Practice func(ctx context.Context, q db.Querier, id int64) (Doc, bool, error)
	// Comments returns the visible comments of a practice, oldest first,
	// as sanitised HTML.
	Comments func(ctx context.Context, q db.Querier, practiceID int64) ([]string, error)
	// Visible returns the sanitised HTML of those of the comments ids
	// that are visible.
	Visible func(ctx context.Context, q db.Querier, ids []int64) (map[int64]string, error)
	// After returns up to n practice ids above after, in order.
	After func(ctx context.Context, q db.Querier, after int64, n int) ([]int64, error)
}

// Indexer keeps the full-text index (practice_fts, practice_head_fts,
// practice_title_fts) and
// the queue of comments waiting to join it.
type Indexer struct {
	DB     *db.DB
	Source Source

	// flushMu lets one Flush run at a time: the others find nothing left.
	flushMu sync.Mutex
}

// Index writes practice id's row of the search index from what is stored,
// inside the caller's transaction, so the index changes with the data.
func (x *Indexer) Index(ctx context.Context, tx db.Querier, id int64) error {
	doc, ok, err := x.Source.Practice(ctx, tx, id)
	if err != nil {
		return err
	}
	if !ok {
		for _, table := range headTables {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE rowid = ?`, id); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM practice_fts WHERE rowid = ?`, id)
		return err
	}
	var body strings.Builder
	for _, s := range doc.Sections {
		body.WriteString(sanitize.Text(s))
		body.WriteString("\n")
	}
	htmls, err := x.Source.Comments(ctx, tx, id)
	if err != nil {
		return err
	}
	var comments strings.Builder
	for _, h := range htmls {
		if comments.Len() >= MaxCommentText {
			break
		}
		comments.WriteString(capText(sanitize.Text(h)+"\n", MaxCommentText-comments.Len()))
	}
	// The full row holds every visible comment: none waits any more.
	if _, err := tx.ExecContext(ctx, `DELETE FROM search_pending_comments WHERE practice_id = ?`, id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM practice_fts WHERE rowid = ?`, id); err != nil {
		return err
	}
	for _, table := range headTables {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE rowid = ?`, id); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO practice_title_fts (rowid, title) VALUES (?, ?)`, id, doc.Title); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO practice_head_fts (rowid, title, summary) VALUES (?, ?, ?)`, id, doc.Title, doc.Summary); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO practice_fts (rowid, title, summary, body, places, comments) VALUES (?, ?, ?, ?, ?, ?)`,
		id, doc.Title, doc.Summary, body.String(), doc.Places, comments.String())
	return err
}

// Reindex rebuilds the whole index, in batches, reporting progress.
func (x *Indexer) Reindex(ctx context.Context, progress func(done int)) (int, error) {
	d := x.DB
	for _, table := range append([]string{"practice_fts"}, headTables...) {
		if _, err := d.W.ExecContext(ctx, `DELETE FROM `+table); err != nil {
			return 0, err
		}
	}
	var after int64
	done := 0
	for {
		ids, err := x.Source.After(ctx, d.R, after, 1000)
		if err != nil {
			return done, err
		}
		if len(ids) == 0 {
			break
		}
		err = d.Tx(ctx, func(tx *sql.Tx) error {
			for _, id := range ids {
				if err := x.Index(ctx, tx, id); err != nil {
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
	for _, table := range append([]string{"practice_fts"}, headTables...) {
		if _, err := d.W.ExecContext(ctx, `INSERT INTO `+table+` (`+table+`) VALUES ('optimize')`); err != nil {
			return done, err
		}
	}
	return done, nil
}

// headTables are the small indexes searched first: titles and summaries,
// and titles alone.
var headTables = []string{"practice_head_fts", "practice_title_fts"}

// QueueComment records, inside the caller's transaction, that a new comment
// is to be added to its practice's search row by the next Flush.
func QueueComment(ctx context.Context, tx db.Querier, commentID, practiceID int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO search_pending_comments (comment_id, practice_id) VALUES (?, ?)`, commentID, practiceID)
	return err
}

// Flush adds the waiting comments to their practices' search rows: each
// row is read back from the index, the comments' text appended, and the
// row written once, however many comments it gains. It returns how many
// comments it added.
//
// What costs (reading the comments, taking the text out of their HTML) is
// done before the write transaction, which holds the database's one
// writer: comments posted meanwhile wait only for the rows' rewriting. A
// comment is added only if it still waits when the transaction begins:
// an edit, a deletion or a hiding indexes its practice in full, which
// takes that practice's comments out of the queue, so text read before
// such a change is never added after it.
func (x *Indexer) Flush(ctx context.Context) (int, error) {
	d := x.DB
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
	x.flushMu.Lock()
	defer x.flushMu.Unlock()
	if some, err := waiting(); err != nil || !some {
		return 0, err
	}
	type pending struct {
		practice int64
		comments []int64
		texts    map[int64]string // of the visible comments, while the row has room
		indexed  bool             // the practice had a search row when read
	}
	var order []*pending
	rows, err := d.R.QueryContext(ctx, `SELECT comment_id, practice_id FROM search_pending_comments ORDER BY practice_id, comment_id LIMIT 5000`)
	if err != nil {
		return 0, err
	}
	for rows.Next() {
		var comment, practice int64
		if err := rows.Scan(&comment, &practice); err != nil {
			rows.Close()
			return 0, err
		}
		if len(order) == 0 || order[len(order)-1].practice != practice {
			order = append(order, &pending{practice: practice})
		}
		p := order[len(order)-1]
		p.comments = append(p.comments, comment)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, p := range order {
		// A thread at the cap gains nothing more: its comments leave the
		// queue without being read.
		var indexed sql.NullInt64
		err := d.R.QueryRowContext(ctx, `SELECT length(CAST(comments AS BLOB)) FROM practice_fts WHERE rowid = ?`, p.practice).Scan(&indexed)
		if err != nil && err != sql.ErrNoRows {
			return 0, err
		}
		p.indexed = indexed.Valid
		if indexed.Valid && indexed.Int64 >= MaxCommentText {
			continue
		}
		html, err := x.Source.Visible(ctx, d.R, p.comments)
		if err != nil {
			return 0, err
		}
		p.texts = make(map[int64]string, len(html))
		for id, h := range html {
			p.texts[id] = sanitize.Text(h) + "\n"
		}
	}
	added := 0
	err = d.Tx(ctx, func(tx *sql.Tx) error {
		added = 0
		for _, p := range order {
			still, err := db.Column[int64](ctx, tx, `DELETE FROM search_pending_comments WHERE comment_id IN (SELECT value FROM json_each(?))
				RETURNING comment_id`, db.IDList(p.comments))
			if err != nil {
				return err
			}
			slices.Sort(still)
			var text strings.Builder
			for _, id := range still {
				if t, ok := p.texts[id]; ok {
					text.WriteString(t)
					added++
				}
			}
			if text.Len() == 0 && p.indexed {
				// Nothing to add (a thread at the cap, comments hidden
				// meanwhile): the row is not read.
				continue
			}
			if err := x.appendComments(ctx, tx, p.practice, text.String()); err != nil {
				return err
			}
		}
		return nil
	})
	return added, err
}

// appendComments adds text to practice id's row; a practice with no row
// yet is indexed in full.
func (x *Indexer) appendComments(ctx context.Context, tx db.Querier, id int64, text string) error {
	var title, summary, body, places, comments string
	err := tx.QueryRowContext(ctx, `SELECT title, summary, body, places, comments FROM practice_fts WHERE rowid = ?`, id).
		Scan(&title, &summary, &body, &places, &comments)
	if err == sql.ErrNoRows {
		return x.Index(ctx, tx, id)
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

// Pending counts the comments waiting to be added to the search index: a
// search adds them first, so this is work deferred, not results missed.
func (x *Indexer) Pending(ctx context.Context) (int, error) {
	var n int
	err := x.DB.R.QueryRowContext(ctx, `SELECT count(*) FROM search_pending_comments`).Scan(&n)
	return n, err
}
