package search

import (
	"context"
	"database/sql"
	"strings"

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
	rows, err := tx.QueryContext(ctx, `SELECT body_html FROM comments WHERE practice_id = ? AND deleted_at IS NULL AND hidden_at IS NULL`, id)
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
		comments.WriteString(sanitize.Text(h))
		comments.WriteString("\n")
	}
	rows.Close()
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

// AddComment adds one new visible comment's text to practice id's row,
// inside the caller's transaction. It reads the row's text back from the
// index rather than rebuilding it from every section and comment, so a
// comment costs the same on a practice with 5 comments or 500. A practice
// with no row yet is indexed in full.
func AddComment(ctx context.Context, tx execQuerier, id int64, commentHTML string) error {
	var title, summary, body, places, comments string
	err := tx.QueryRowContext(ctx, `SELECT title, summary, body, places, comments FROM practice_fts WHERE rowid = ?`, id).
		Scan(&title, &summary, &body, &places, &comments)
	if err == sql.ErrNoRows {
		return Index(ctx, tx, id)
	}
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM practice_fts WHERE rowid = ?`, id); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO practice_fts (rowid, title, summary, body, places, comments) VALUES (?, ?, ?, ?, ?, ?)`,
		id, title, summary, body, places, comments+sanitize.Text(commentHTML)+"\n")
	return err
}
